package store

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// FuzzSavedSourceData reads arbitrary text back as a source's saved data
// (what another version wrote, a file edited by hand, bit rot inside a
// valid page), as Latest does first thing at start: it either fails with
// an error that names the source and the snapshot, or gives data the model
// computes on without a panic — the data encoding/json reads from it. (SQLite's part, storing text and returning
// it, is tested by the round trips in store_test.go; running it under the
// fuzzer's coverage instrumentation costs seconds an input.)
//
//	go test -run '^$' -fuzz FuzzSavedSourceData -fuzztime 10s ./store/
func FuzzSavedSourceData(f *testing.F) {
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	at, snap, _ := seqSnapshot(1, base)
	for _, d := range snap.Parts() {
		d.Alarms = d.Alarms[:min(2, len(d.Alarms))] // small seeds mutate faster
		d.Pipelines = d.Pipelines[:min(2, len(d.Pipelines))]
		if b, err := json.Marshal(d); err == nil {
			f.Add(string(b))
		}
	}
	for _, s := range []string{
		"", "null", "{}", "[]", `{"Pipelines":null}`, `{"Pipelines":[{}]}`, `{"Alarms":[{"State":"ALARM","Since":"0001-01-01T00:00:00Z"}]}`,
		`{"Pipelines":[{"Failing":true,"FailingSince":"9999-12-31T23:59:59Z","RedHours":1e308,"Failures":-5}]}`,
		`{"PullRequests":[{"State":"open","CreatedAt":"0001-01-01T00:00:00Z","Paths":null}]}`,
		`{"Invoices":[{"LastMonth":-1e308,"Currency":"","ByService":{"":1}}]}`, `{"MergedPRs":-3}`,
		`{"Inventory":[{"Kind":"","Count":-1}]}`, `{"AlarmReach":[{"Since":"9999-01-01T00:00:00Z","Until":"0001-01-01T00:00:00Z"}]}`,
		`{"Pipelines":[{"FailedAt":["2026-11-01T00:00:00Z","1970-01-01T00:00:00Z"]}]}`, `{"Pipelines":`,
	} {
		f.Add(s)
	}
	team := model.Team{Name: "acme", Engineers: 6, HourlyCost: 100, Currency: "USD", Location: time.UTC}
	sources := snap.Sources
	f.Fuzz(func(t *testing.T, text string) {
		d, err := decodeData(text)
		// JSON v2 reads the history for speed, with encoding/json's
		// semantics: what encoding/json (which wrote it) reads, it reads to
		// the same value, and what encoding/json refuses, it refuses.
		var want model.Data
		wantErr := json.Unmarshal([]byte(text), &want)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("decodeData: %v; encoding/json: %v", err, wantErr)
		}
		if err != nil {
			return // refused: loadSaved names the source and the snapshot
		}
		if !reflect.DeepEqual(d, want) {
			t.Fatalf("decodeData read\n%#v\nencoding/json read\n%#v", d, want)
		}
		// Saved again, it reads back the same.
		if saved, err := encodeData(d); err == nil {
			full, _ := json.Marshal(d)
			if again, err := decodeData(string(saved)); err != nil || !sameJSON(again, full) {
				t.Fatalf("saved as %s, read back %#v (%v)", saved, again, err)
			}
		}
		got := model.RestoreSnapshot(snap.Window, false, sources, map[string]model.Data{"github/actions": d, "aws/alarms": d})
		ledger := model.ComputeLedger(got, team, model.DefaultAssumptions())
		_ = ledger.Headline()
		_ = ledger.Caveat()
		_ = ledger.Figures()
		_ = ledger.Bands()
		_ = model.Triage(got, at.Add(-24*time.Hour), time.UTC)
		_ = model.BrokenNow(got)
		_ = model.BuildChecklist(got.Inventory())
	})
}

// FuzzTriageMarks checks that any item id and any triage start a mark is
// set with read back exactly, and that unsetting it leaves none: a mark is
// an arbitrary string from remote text, and a start may be any time.
//
//	go test -run '^$' -fuzz FuzzTriageMarks -fuzztime 10s ./store/
func FuzzTriageMarks(f *testing.F) {
	for _, c := range []struct {
		id    string
		start int64
	}{
		{"pipeline:github-actions:acme/api:CI:main", time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC).Unix()},
		{"", 0}, {"alarm:111122223333:us-east-1:x'; DROP TABLE triage_marks;--", -1}, {"\x00nul\xff", 1 << 40}, {"π", -62135596800},
	} {
		f.Add(c.id, c.start)
	}
	s := openTest(f, tempDB(f))
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, id string, unix int64) {
		start := time.Unix(unix, 0)
		mark := model.Mark{By: "fuzz@example.com", At: time.Unix(1_800_000_000, 0)}
		if err := s.SetHandled(ctx, start, id, true, mark); err != nil {
			if _, nerr := nanos(start); nerr == nil {
				t.Fatalf("SetHandled(%s, %q): %v", start, id, err)
			}
			return // a time nanoseconds cannot hold is refused, not stored wrong
		}
		got, err := s.Handled(ctx, start)
		if err != nil {
			t.Fatal(err)
		}
		if got[id].By != mark.By || len(got) != 1 {
			t.Fatalf("marked %q at %s, read back %v", id, start, got)
		}
		if err := s.SetHandled(ctx, start, id, false, mark); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Handled(ctx, start); len(got) != 0 {
			t.Fatalf("unmarked %q at %s, still %v", id, start, got)
		}
	})
}
