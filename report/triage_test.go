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
	alarms := model.Data{Alarms: []model.Alarm{{Account: "1", Region: "us-east-1", Name: "db | cpu *high*", State: model.StateOK,
		Transitions: []time.Time{fired}, HistoryKnown: true, URL: "javascript:alert(1)"}}}
	prs := model.Data{PullRequests: []model.PullRequest{{Repo: "acme/infra", Number: 9, Title: "Fix [link](http://evil) <img src=x> @channel",
		State: model.PROpen, CreatedAt: at(20, 10), URL: "https://github.com/acme/infra/pull/9"}}}
	snap := model.NewSnapshot(model.Window{Since: since, Until: now}, false, []string{"aws/alarms", "github/pulls", "github/actions"}).
		With(model.Outcome{Source: model.Source{Name: "aws/alarms", Status: model.StatusOK}, Data: alarms}).
		With(model.Outcome{Source: model.Source{Name: "github/pulls", Status: model.StatusOK}, Data: prs}).
		With(model.Outcome{Source: model.Source{Name: "github/actions", Status: model.StatusError, Detail: "token expired"}})
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
		"Broken now: none found in what could be read (github/actions failed).",
		"**Fired or failed, recovered since**",
		`- [ ] db \| cpu \*high\* — 1 us-east-1 — last Sat Nov 21 03:00 UTC — 1 time, 1 in sleep hours`,
		"- [x] [#9 Fix \\[link\\](http:\u2060//evil) \\<img src=x\\> @\u2060channel](https://github.com/acme/infra/pull/9)",
		"**Incomplete: only what could be read.**\n\n- github/actions failed: token expired\n",
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
	names := []string{"github/actions", "github/pulls", "aws/alarms", "aws/codepipeline"}
	snap := model.NewSnapshot(model.Window{Since: since, Until: now}, true, names)
	for _, n := range names {
		snap = snap.With(model.Outcome{Source: model.Source{Name: n, Status: model.StatusOK}})
	}
	var buf bytes.Buffer
	if err := WriteTriage(&buf, Text, TriageInput{Snapshot: snap, Since: since}); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, "DEMO DATA") || !strings.Contains(out, "0 broken now.") ||
		!strings.Contains(out, "Nothing fired, failed or waits for review") || strings.Contains(out, "**") {
		t.Errorf("text triage:\n%s", out)
	}
}

// triageOf renders the triage list of outs over the weekend before Monday
// Nov 23 09:00 UTC.
func triageOf(t *testing.T, f Format, outs ...outcome) string {
	t.Helper()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	since := model.TriageStart(now, time.UTC)
	snap := handSnapshot(model.Window{Since: since, Until: now}, false, outs...)
	var buf bytes.Buffer
	if err := WriteTriage(&buf, f, TriageInput{Snapshot: snap, Team: model.Team{Name: "acme"}, Since: since, GeneratedAt: now}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// "0 broken now" is good news: it is said only when the alarm and pipeline
// sources all answered; otherwise the count is a lower bound or unknown,
// and the list leads with each missing source's reason, whole.
func TestTriageSaysBrokenNowOnlyWhenItKnows(t *testing.T) {
	firing := model.Data{Alarms: []model.Alarm{{Account: "1", Region: "us-east-1", Name: "api-5xx", State: model.StateAlarm,
		Since: at("2026-11-23T08:00:00Z"), Transitions: []time.Time{*at("2026-11-23T08:00:00Z")}, HistoryKnown: true}}}
	ok := func(name string, d model.Data) outcome { return outcome{name: name, status: model.StatusOK, data: d} }
	skipped := func(name string) outcome { return outcome{name: name, status: model.StatusSkipped, detail: awsHint} }
	rejected := func(name string) outcome {
		return outcome{name: name, status: model.StatusError, detail: rejectedToken}
	}
	cases := []struct {
		name  string
		outs  []outcome
		wants []string
		bans  []string
	}{
		{"all answered, all quiet", []outcome{ok("github/actions", model.Data{}), ok("github/pulls", model.Data{}),
			ok("aws/alarms", model.Data{}), ok("aws/codepipeline", model.Data{})},
			[]string{"0 broken now.", "Nothing fired, failed or waits for review since then."}, []string{"unknown", "Incomplete"}},
		{"all answered, one firing", []outcome{ok("github/actions", model.Data{}), ok("github/pulls", model.Data{}),
			ok("aws/alarms", firing), ok("aws/codepipeline", model.Data{})},
			[]string{"1 broken now: 1 alarm firing, 0 pipelines failing."}, []string{"Nothing fired", "at least"}},
		{"GitHub only", []outcome{ok("github/actions", model.Data{}), ok("github/pulls", model.Data{}),
			skipped("aws/alarms"), skipped("aws/codepipeline")},
			[]string{"Broken now: none found in what could be read (aws/alarms not configured, aws/codepipeline not configured).",
				"Incomplete: only what could be read.", "aws/alarms not configured: " + awsHint, "aws/codepipeline not configured: " + awsHint,
				"Nothing found in what could be read."},
			[]string{"Nothing fired, failed", "\n0 broken now"}},
		{"no AWS, one failing", []outcome{ok("github/actions", model.Data{Pipelines: []model.Pipeline{{Provider: model.GitHubActions,
			Scope: "acme/api", Name: "CI", Branch: "main", Failing: true, Failures: 1}}}), ok("github/pulls", model.Data{}),
			skipped("aws/alarms"), skipped("aws/codepipeline")},
			[]string{"At least 1 broken now (aws/alarms not configured, aws/codepipeline not configured): alarms firing unknown, at least 1 pipeline failing."},
			[]string{"Nothing", "0 alarms firing"}},
		{"wrong token, no AWS", []outcome{rejected("github/actions"), rejected("github/pulls"), skipped("aws/alarms"), skipped("aws/codepipeline")},
			[]string{"Broken now: unknown (github/actions failed, aws/alarms not configured, aws/codepipeline not configured).",
				"Unknown: no source could look.", "github/actions failed: " + rejectedToken, "github/pulls failed: " + rejectedToken},
			[]string{"Nothing", "0 broken now"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, f := range []Format{Text, Markdown} {
				out := triageOf(t, f, c.outs...)
				for _, w := range c.wants {
					if f == Markdown {
						w = esc(w)
					}
					if !strings.Contains(words(out), words(w)) {
						t.Errorf("%s lacks %q:\n%s", f, w, out)
					}
				}
				for _, b := range c.bans {
					if strings.Contains(out, b) {
						t.Errorf("%s says %q:\n%s", f, b, out)
					}
				}
			}
		})
	}
}

// One "since" per list: the triage start. Items say when they began in
// their own words.
func TestTriageHasOneSince(t *testing.T) {
	out := triageOf(t, Text,
		outcome{name: "aws/alarms", status: model.StatusOK, data: model.Data{Alarms: []model.Alarm{{Account: "1", Region: "r", Name: "api-5xx",
			State: model.StateAlarm, Since: at("2026-11-23T08:00:00Z"), Transitions: []time.Time{*at("2026-11-23T08:00:00Z")}, HistoryKnown: true}}}},
		outcome{name: "github/actions", status: model.StatusOK, data: model.Data{Pipelines: []model.Pipeline{{Provider: model.GitHubActions,
			Scope: "acme/api", Name: "CI", Branch: "main", Failing: true, FailingSince: at("2026-11-22T10:00:00Z"), FailedAt: []time.Time{*at("2026-11-22T10:00:00Z")}, Failures: 1}}}},
	)
	if n := strings.Count(strings.ToLower(out), "since"); n != 1 {
		t.Errorf("%q appears %d times, want only the triage start's:\n%s", "since", n, out)
	}
	for _, w := range []string{"firing from Mon Nov 23 08:00 UTC", "failing from Sun Nov 22 10:00 UTC"} {
		if !strings.Contains(out, w) {
			t.Errorf("lacks %q:\n%s", w, out)
		}
	}
}

// The JSON says how complete the list is: an empty list with gaps is
// unknown, not quiet.
func TestTriageJSONSaysHowCompleteTheListIs(t *testing.T) {
	var doc struct {
		Coverage struct {
			Completeness string `json:"completeness"`
			Gaps         []struct {
				Source *string `json:"source"`
				Reason string  `json:"reason"`
				Detail string  `json:"detail"`
			} `json:"gaps"`
		} `json:"coverage"`
		Items []any `json:"items"`
	}
	out := triageOf(t, JSON, outcome{name: "github/actions", status: model.StatusError, detail: rejectedToken},
		outcome{name: "aws/alarms", status: model.StatusSkipped, detail: awsHint})
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Coverage.Completeness != "unknown" || len(doc.Coverage.Gaps) != 2 || len(doc.Items) != 0 {
		t.Fatalf("coverage = %+v, items = %v", doc.Coverage, doc.Items)
	}
	if g := doc.Coverage.Gaps[0]; g.Source == nil || *g.Source != "github/actions" || g.Reason != "failed" || g.Detail != rejectedToken {
		t.Errorf("first gap = %+v", g)
	}
	out = triageOf(t, JSON, outcome{name: "github/actions", status: model.StatusOK}, outcome{name: "github/pulls", status: model.StatusOK},
		outcome{name: "aws/alarms", status: model.StatusOK})
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Coverage.Completeness != "complete" || len(doc.Coverage.Gaps) != 0 {
		t.Errorf("all answered: coverage = %+v (%v)", doc.Coverage, err)
	}
}

// The triage JSON contract (README, "The triage JSON"): a renamed, added,
// removed or retyped field fails.
var triageContract = tObject{
	"schema": tEnum{"opsdrag/triage@1"}, "generated_at": tTime{}, "demo": tBool{},
	"since": tTime{}, "until": tTime{}, "sources": tArray{tSource}, "coverage": tCoverage,
	"items": tArray{tObject{
		"group": tEnum{"firing_now", "failing_now", "recovered", "waiting_review"}, "id": tString{},
		"what": tString{}, "where": tString{}, "since": nullable(tTime{}), "times": tInt{},
		"sleep_pages": tInt{}, "off_hour_pages": tInt{}, "url": nullable(tString{}), "handled": tBool{},
	}},
}

func TestTriageJSONFollowsTheContract(t *testing.T) {
	snap, since := triageSnapshot(t)
	var buf bytes.Buffer
	if err := WriteTriage(&buf, JSON, TriageInput{Snapshot: snap, Since: since}); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, problem := range conform("$", triageContract, doc) {
		t.Error(problem)
	}
}
