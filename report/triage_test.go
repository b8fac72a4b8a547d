package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

func triageSnapshot(t *testing.T) (model.Snapshot, time.Time) {
	t.Helper()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) // Monday
	since := model.TriageStart(now, time.UTC)
	at := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC) }
	fired := at(21, 3)
	data := model.Data{
		Alarms: []model.Alarm{{Account: "1", Region: "us-east-1", Name: "db | cpu *high*", State: model.StateOK,
			Transitions: []time.Time{fired}, HistoryKnown: true, URL: "javascript:alert(1)"}},
		PullRequests: []model.PullRequest{{Repo: "acme/infra", Number: 9, Title: "Fix [link](http://evil) <img src=x> @channel",
			State: model.PROpen, CreatedAt: at(20, 10), URL: "https://github.com/acme/infra/pull/9"}},
	}
	snap := model.NewSnapshot(model.Window{Since: since, Until: now}, false, []string{"s", "broken"}).
		With(model.Outcome{Source: model.Source{Name: "s", Status: model.StatusOK}, Data: data}).
		With(model.Outcome{Source: model.Source{Name: "broken", Status: model.StatusError, Detail: "token expired"}})
	return snap, since
}

func TestTriageMarkdownIsSafeToPaste(t *testing.T) {
	snap, since := triageSnapshot(t)
	var buf bytes.Buffer
	in := TriageInput{Snapshot: snap, Team: model.Team{Name: "acme"}, Since: since, Handled: map[string]bool{"pr:acme/infra#9": true}}
	if err := WriteTriage(&buf, Markdown, in); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"**Triage for acme since Fri Nov 20 18:00 UTC**",
		"**Fired or failed, recovered since**",
		`- [ ] db \| cpu \*high\* — us-east-1 1 — last Sat Nov 21 03:00 UTC — 1 time, 1 in sleep hours`,
		"- [x] [#9 Fix \\[link\\](http:\u2060//evil) \\<img src=x\\> @\u2060channel](https://github.com/acme/infra/pull/9)",
		"Incomplete — broken error: token expired",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "javascript:") {
		t.Error("a javascript: URL became a link")
	}
}

func TestTriageJSON(t *testing.T) {
	snap, since := triageSnapshot(t)
	var buf bytes.Buffer
	if err := WriteTriage(&buf, JSON, TriageInput{Snapshot: snap, Since: since}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema string `json:"schema"`
		Since  string `json:"since"`
		Items  []map[string]any
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != TriageSchema || doc.Since != "2026-11-20T18:00:00Z" || len(doc.Items) != 2 {
		t.Fatalf("%+v", doc)
	}
	first := doc.Items[0]
	if first["group"] != "recovered" || first["sleep_pages"] != 1.0 || first["handled"] != false || first["id"] != "alarm:1/us-east-1/db | cpu *high*" {
		t.Errorf("first item: %v", first)
	}
	keys := []string{"group", "id", "what", "where", "since", "times", "sleep_pages", "off_hour_pages", "url", "handled"}
	for _, k := range keys {
		if _, ok := first[k]; !ok {
			t.Errorf("item lacks %q", k)
		}
	}
	if len(first) != len(keys) {
		t.Errorf("item has %d keys, want %d: %v", len(first), len(keys), first)
	}
}

func TestTriageTextWhenNothingHappened(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	since := model.TriageStart(now, time.UTC)
	snap := model.NewSnapshot(model.Window{Since: since, Until: now}, true, []string{"s"}).
		With(model.Outcome{Source: model.Source{Name: "s", Status: model.StatusOK}})
	var buf bytes.Buffer
	if err := WriteTriage(&buf, Text, TriageInput{Snapshot: snap, Since: since}); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, "DEMO DATA") || !strings.Contains(out, "Nothing fired, failed or waits for review") || strings.Contains(out, "**") {
		t.Errorf("text triage:\n%s", out)
	}
}
