package store

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/internal/loadgen"
	"github.com/opsdrag/opsdrag/model"
)

func TestRoundTrip(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		path := b.fresh(t)
		s := openTest(t, path)
		if _, ok, err := s.Latest(ctx, false); err != nil || ok {
			t.Fatalf("Latest on an empty store = %v, %v; want nothing", ok, err)
		}

		snap := richSnapshot(t, false)
		ledger := model.ComputeLedger(snap, testTeam, model.DefaultAssumptions())
		at := time.Date(2026, 11, 25, 14, 0, 2, 123456789, time.UTC)
		id, err := s.Save(ctx, at, snap, ledger)
		if err != nil {
			t.Fatal(err)
		}
		// Read it back through a second store, as the next launch would.
		s.Close()
		s = openTest(t, path)

		got, ok, err := s.Latest(ctx, false)
		if err != nil || !ok {
			t.Fatalf("Latest = %v, %v", ok, err)
		}
		if got.ID != id || !got.At.Equal(at) {
			t.Errorf("Latest id, at = %d, %v; want %d, %v", got.ID, got.At, id, at)
		}
		assertSnapshot(t, snap, got.Snapshot)
		// Nil and empty survive as themselves.
		parts := got.Snapshot.Parts()
		if tr := parts["github/actions"].Alarms[0].Transitions; tr != nil {
			t.Errorf("nil Transitions came back as %#v", tr)
		}
		if fa := parts["github/actions"].Pipelines[0].FailedAt; fa == nil || len(fa) != 0 {
			t.Errorf("empty FailedAt came back as %#v", fa)
		}
		// The restored snapshot behaves like the original: same ledger.
		again := model.ComputeLedger(got.Snapshot, testTeam, model.DefaultAssumptions())
		if again.HoursPerWeek != ledger.HoursPerWeek || *again.CostRatio != *ledger.CostRatio {
			t.Errorf("ledger of the restored snapshot = %v h, ratio %v; want %v h, ratio %v",
				again.HoursPerWeek, *again.CostRatio, ledger.HoursPerWeek, *ledger.CostRatio)
		}
		assertFigures(t, ledger, got.Figures)

		byID, err := s.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		assertSnapshot(t, snap, byID.Snapshot)
		if _, err := s.Get(ctx, id+100); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "opsdrag history") {
			t.Errorf("Get(unknown) = %v, want ErrNotFound with a hint", err)
		}
	})
}

func TestRoundTripDemoCollectors(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openTest(t, b.fresh(t))
		now := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC) // a Monday morning
		snap := demoSnapshot(t, now)
		l := model.ComputeLedger(snap, testTeam, model.DefaultAssumptions())
		if _, err := s.Save(ctx, now, snap, l); err != nil {
			t.Fatal(err)
		}
		got, ok, err := s.Latest(ctx, false)
		if err != nil || !ok {
			t.Fatalf("Latest = %v, %v", ok, err)
		}
		assertSnapshot(t, snap, got.Snapshot)
		if got.Figures.HoursPerWeek != l.HoursPerWeek || got.Figures.HoursPerWeek == 0 {
			t.Errorf("hours/week = %v, want %v", got.Figures.HoursPerWeek, l.HoursPerWeek)
		}
	})
}

func assertFigures(t *testing.T, l model.Ledger, f Figures) {
	t.Helper()
	want := Figures{HoursPerWeek: l.HoursPerWeek, HoursCompleteness: l.Coverage.Completeness, Categories: map[model.Category]float64{},
		TeamShare: l.TeamShare, MonthlyCost: l.MonthlyCost, InvoiceMonthly: l.InvoiceMonthly,
		CostRatio: l.CostRatio, InfraMerged: l.InfraMerged, MergedPRs: l.MergedPRs}
	for _, c := range l.Categories {
		want.Categories[c.Category] = c.WeekHours
	}
	if d := diff("Figures", reflect.ValueOf(want), reflect.ValueOf(f)); len(d) > 0 {
		t.Errorf("figures differ:\n  %s", strings.Join(d, "\n  "))
	}
}

func TestLatestKeepsDemoAndLiveApart(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openTest(t, b.fresh(t))
		at := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
		live, demoSnap := richSnapshot(t, false), richSnapshot(t, true)
		liveID, err := s.Save(ctx, at, live, model.ComputeLedger(live, testTeam, model.DefaultAssumptions()))
		if err != nil {
			t.Fatal(err)
		}
		demoID, err := s.Save(ctx, at.Add(time.Hour), demoSnap, model.ComputeLedger(demoSnap, testTeam, model.DefaultAssumptions()))
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			demo bool
			want int64
		}{{false, liveID}, {true, demoID}} {
			got, ok, err := s.Latest(ctx, tc.demo)
			if err != nil || !ok || got.ID != tc.want || got.Snapshot.Demo != tc.demo {
				t.Errorf("Latest(demo=%v) = #%d demo=%v (%v, %v), want #%d", tc.demo, got.ID, got.Snapshot.Demo, ok, err, tc.want)
			}
		}
	})
}

func TestLedgerUnknownsAreNull(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		path := b.fresh(t)
		s := openTest(t, path)
		// No team size, no hourly cost, no invoice, no merged-PR count.
		snap := model.NewSnapshot(model.LastDays(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), model.DefaultWindow), false, []string{"github/actions"})
		snap = snap.With(outcome("github/actions", model.StatusOK, time.Now(), model.Data{
			Pipelines: []model.Pipeline{{Provider: model.GitHubActions, Scope: "a/b", Name: "CI", Failures: 3}},
		}))
		l := model.ComputeLedger(snap, model.Team{}, model.DefaultAssumptions())
		if l.TeamShare != nil || l.MonthlyCost != nil || l.InvoiceMonthly != nil || l.CostRatio != nil || l.MergedPRs != nil {
			t.Fatalf("test setup: ledger has known figures: %+v", l)
		}
		id, err := s.Save(ctx, time.Now(), snap, l)
		if err != nil {
			t.Fatal(err)
		}
		db := rawDB(t, path)
		if n := queryInt(t, db, `SELECT count(*) FROM snapshots WHERE id = ? AND team_share IS NULL AND monthly_cost IS NULL
			AND invoice_monthly IS NULL AND cost_ratio IS NULL AND merged_prs IS NULL`, id); n != 1 {
			t.Errorf("the 5 unknown figures of #%d are not all NULL", id)
		}
		got, err := s.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		assertFigures(t, l, got.Figures)
		if got.Figures.HoursPerWeek != 1 { // 3 failures × 20 min over a 7-day window
			t.Errorf("hours/week = %v, want 1", got.Figures.HoursPerWeek)
		}
	})
}

func TestList(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openTest(t, b.fresh(t))
		base := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
		rich := richSnapshot(t, false)
		richLedger := model.ComputeLedger(rich, testTeam, model.DefaultAssumptions())
		// Saved out of time order: the list is by time, not by id.
		ats := []time.Time{base.Add(2 * time.Hour), base, base.Add(time.Hour)}
		var ids []int64
		for i, at := range ats {
			snap := rich
			if i == 1 {
				snap = richSnapshot(t, true)
			}
			id, err := s.Save(ctx, at, snap, richLedger)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		all, err := s.List(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := summaryIDs(all), []int64{ids[0], ids[2], ids[1]}; !slices.Equal(got, want) {
			t.Fatalf("List ids = %v, want %v (newest first)", got, want)
		}
		top, err := s.List(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := summaryIDs(top), []int64{ids[0], ids[2]}; !slices.Equal(got, want) {
			t.Errorf("List(2) ids = %v, want %v", got, want)
		}
		sm := all[0]
		// ok, partial: produced data; error (stale), skipped, pending: did not.
		if sm.SourcesOK != 2 || sm.SourcesTotal != 5 {
			t.Errorf("sources = %d/%d, want 2/5", sm.SourcesOK, sm.SourcesTotal)
		}
		if !sm.At.Equal(ats[0]) || sm.Demo || !sm.Window.Since.Equal(rich.Window.Since) || !sm.Window.Until.Equal(rich.Window.Until) {
			t.Errorf("summary = %+v", sm)
		}
		if !all[2].Demo {
			t.Errorf("the demo snapshot is listed as live")
		}
		assertFigures(t, richLedger, sm.Figures)
		for _, sm := range all {
			if len(sm.Figures.Categories) != len(richLedger.Categories) {
				t.Errorf("#%d has %d categories, want %d", sm.ID, len(sm.Figures.Categories), len(richLedger.Categories))
			}
		}
	})
}

func summaryIDs(sms []Summary) []int64 {
	out := make([]int64, len(sms))
	for i, sm := range sms {
		out[i] = sm.ID
	}
	return out
}

// historySnapshot holds two alarms with the same name in two regions and a
// pipeline on two branches.
func historySnapshot(demoFlag bool, alarmAt, failedAt []time.Time) model.Snapshot {
	w := model.Window{Since: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	snap := model.NewSnapshot(w, demoFlag, []string{"aws/alarms", "github/actions"})
	snap = snap.With(outcome("aws/alarms", model.StatusOK, w.Until, model.Data{Alarms: []model.Alarm{
		{Account: "1", Region: "us-east-1", Name: "5xx", Transitions: alarmAt},
		{Account: "1", Region: "eu-west-1", Name: "5xx", Transitions: alarmAt[:1]},
	}}))
	return snap.With(outcome("github/actions", model.StatusOK, w.Until, model.Data{Pipelines: []model.Pipeline{
		{Provider: model.GitHubActions, Scope: "acme/api", Name: "CI", Branch: "main", Failures: len(failedAt), FailedAt: failedAt},
		{Provider: model.GitHubActions, Scope: "acme/api", Name: "CI", Branch: "release", Failures: 1, FailedAt: failedAt[:1]},
	}}))
}

func TestHistoryDeduplicatesAndFiltersByWindow(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		path := b.fresh(t)
		s := openTest(t, path)
		day := func(d int) time.Time { return time.Date(2026, 11, d, 3, 0, 0, 0, time.UTC) }
		save := func(snap model.Snapshot) {
			t.Helper()
			if _, err := s.Save(ctx, time.Now(), snap, model.ComputeLedger(snap, testTeam, model.DefaultAssumptions())); err != nil {
				t.Fatal(err)
			}
		}
		// Three refreshes: the second repeats the first, the third overlaps it.
		save(historySnapshot(false, []time.Time{day(2), day(5)}, []time.Time{day(3), day(6)}))
		save(historySnapshot(false, []time.Time{day(2), day(5)}, []time.Time{day(3), day(6)}))
		save(historySnapshot(false, []time.Time{day(5), day(9)}, []time.Time{day(6), day(10)}))
		// A demo run's alarms are fiction and stay out of the history.
		save(historySnapshot(true, []time.Time{day(7)}, []time.Time{day(7)}))

		db := rawDB(t, path)
		// us-east-1: 2, 5, 9; eu-west-1: 2, 5.
		if n := queryInt(t, db, `SELECT count(*) FROM alarm_transitions`); n != 5 {
			t.Errorf("%d stored transitions, want 5", n)
		}
		// main: 3, 6, 10; release: 3, 6.
		if n := queryInt(t, db, `SELECT count(*) FROM pipeline_failures`); n != 5 {
			t.Errorf("%d stored failures, want 5", n)
		}

		east := AlarmKey{Account: "1", Region: "us-east-1", Name: "5xx"}
		west := AlarmKey{Account: "1", Region: "eu-west-1", Name: "5xx"}
		main := PipelineKey{Provider: model.GitHubActions, Scope: "acme/api", Name: "CI", Branch: "main"}
		release := PipelineKey{Provider: model.GitHubActions, Scope: "acme/api", Name: "CI", Branch: "release"}
		for _, tc := range []struct {
			name     string
			w        model.Window
			alarms   map[AlarmKey][]time.Time
			failures map[PipelineKey][]time.Time
		}{
			{"everything", model.Window{Since: day(1), Until: day(30)},
				map[AlarmKey][]time.Time{east: {day(2), day(5), day(9)}, west: {day(2), day(5)}},
				map[PipelineKey][]time.Time{main: {day(3), day(6), day(10)}, release: {day(3), day(6)}}},
			// Half-open: the start is in, the end is out.
			{"from day 5 to day 9", model.Window{Since: day(5), Until: day(9)},
				map[AlarmKey][]time.Time{east: {day(5)}, west: {day(5)}},
				map[PipelineKey][]time.Time{main: {day(6)}, release: {day(6)}}},
			{"nothing", model.Window{Since: day(11), Until: day(20)},
				map[AlarmKey][]time.Time{}, map[PipelineKey][]time.Time{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				alarms, err := s.Transitions(ctx, tc.w)
				if err != nil {
					t.Fatal(err)
				}
				if d := diff("Transitions", reflect.ValueOf(tc.alarms), reflect.ValueOf(alarms)); len(d) > 0 {
					t.Errorf("%s", strings.Join(d, "\n"))
				}
				failures, err := s.Failures(ctx, tc.w)
				if err != nil {
					t.Fatal(err)
				}
				if d := diff("Failures", reflect.ValueOf(tc.failures), reflect.ValueOf(failures)); len(d) > 0 {
					t.Errorf("%s", strings.Join(d, "\n"))
				}
			})
		}
	})
}

func TestHandledMarksPerTriageWindow(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		path := b.fresh(t)
		s := openTest(t, path)
		berlin := mustLoad(t, "Europe/Berlin")
		friday := time.Date(2026, 11, 20, 18, 0, 0, 0, berlin)
		monday := time.Date(2026, 11, 23, 18, 0, 0, 0, berlin)
		ana := model.Mark{By: "ana@example.com", At: monday.Add(15*time.Hour + 123)}
		bo := model.Mark{By: "bo", At: monday.Add(16 * time.Hour)}
		for _, m := range []struct {
			start   time.Time
			id      string
			handled bool
			by      model.Mark
		}{
			{friday, "alarm:1/eu-west-1/5xx", true, ana},
			{friday, "pr:acme/infra#412", true, ana},
			{friday, "alarm:1/eu-west-1/5xx", true, bo}, // marking twice is harmless, and keeps who did it first
			{monday, "alarm:1/eu-west-1/5xx", true, bo},
			{friday, "pr:acme/infra#412", false, bo},
			{monday, "pipeline:never-marked", false, bo}, // unmarking what is not marked too
		} {
			if err := s.SetHandled(ctx, m.start, m.id, m.handled, m.by); err != nil {
				t.Fatal(err)
			}
		}
		s.Close()
		s = openTest(t, path) // marks persist
		for _, tc := range []struct {
			start time.Time
			want  map[string]model.Mark
		}{
			{friday, map[string]model.Mark{"alarm:1/eu-west-1/5xx": ana}},
			// The same instant in another zone is the same window.
			{friday.UTC(), map[string]model.Mark{"alarm:1/eu-west-1/5xx": ana}},
			{monday, map[string]model.Mark{"alarm:1/eu-west-1/5xx": bo}},
			{monday.Add(24 * time.Hour), map[string]model.Mark{}},
		} {
			got, err := s.Handled(ctx, tc.start)
			if err != nil {
				t.Fatal(err)
			}
			if d := diff("Handled", reflect.ValueOf(tc.want), reflect.ValueOf(got)); len(d) > 0 {
				t.Errorf("Handled(%v):\n  %s", tc.start, strings.Join(d, "\n  "))
			}
		}
	})
}

func TestSaveRefusesUnencodableDataAndWritesNothing(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openTest(t, b.fresh(t))
		snap := model.NewSnapshot(model.LastDays(time.Now(), model.DefaultWindow), false, []string{"x"})
		snap = snap.With(outcome("x", model.StatusOK, time.Now(), model.Data{Pipelines: []model.Pipeline{{Name: "bad", RedHours: math.NaN()}}}))
		if _, err := s.Save(ctx, time.Now(), snap, model.Ledger{}); err == nil || !strings.Contains(err.Error(), "source x") {
			t.Fatalf("Save of NaN data = %v, want an error naming the source", err)
		}
		if list, err := s.List(ctx, 0); err != nil || len(list) != 0 {
			t.Errorf("after a refused save the history holds %d snapshots (%v)", len(list), err)
		}
	})
}

func TestFileModes(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "state", "opsdrag")
	path := filepath.Join(dir, "history.db")
	s := openTest(t, path)
	if _, err := s.Save(ctx, time.Now(), richSnapshot(t, false), model.Ledger{}); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]fs.FileMode{
		dir: fs.ModeDir | 0o700, filepath.Dir(dir): fs.ModeDir | 0o700,
		path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600,
	} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode(), want)
		}
	}
}

func TestExistingFileModesAreLeftAlone(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "history.db")
	if err := os.WriteFile(path, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil { // whatever the umask
		t.Fatal(err)
	}
	openTest(t, path)
	for p, want := range map[string]fs.FileMode{dir: fs.ModeDir | 0o755, path: 0o640} {
		if fi, err := os.Stat(p); err != nil || fi.Mode() != want {
			t.Errorf("%s: mode %v (%v), want %v untouched", p, fi.Mode(), err, want)
		}
	}
}

func TestPlanMarksNotesAndSeenItemsPersist(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		path := b.fresh(t)
		s := openTest(t, path)
		now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
		ana := model.Mark{By: "ana@example.com", At: now}
		bo := model.Mark{By: "bo", At: now.Add(time.Minute)}
		db := "rds-instance/111/us-east-1/orders-db"
		for _, m := range []struct {
			id, step string
			done     bool
			by       model.Mark
		}{
			{db, "provision", true, ana},
			{db, "secrets", true, ana},
			{db, "secrets", true, bo}, // twice is harmless, and keeps who did it first
			{db, "provision", false, bo},
			{"sqs-queue/111/us-east-1/*", "", true, bo},
			{"sqs-queue/111/us-east-1/*", "never", false, bo},
		} {
			if err := s.SetPlanMark(ctx, false, m.id, m.step, m.done, m.by); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SetPlanNote(ctx, false, db, "cut over Sat 02:00", ana); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPlanNote(ctx, false, db, "cut over Sat 02:00 «ü»", bo); err != nil { // the last writer wins
			t.Fatal(err)
		}
		if err := s.SetPlanNote(ctx, false, "gone/1/x/y", "", bo); err != nil { // removing nothing is harmless
			t.Fatal(err)
		}
		items := []model.PlanItem{
			{ID: db, Kind: model.KindRDSInstance, Account: "111", Region: "us-east-1", Title: "Move the MySQL database orders-db",
				WeekHours: 4, Coverage: model.Coverage{Completeness: model.LowerBound}, State: model.ItemOpen},
			{ID: "retired/1/x/y", State: model.ItemRetired, WeekHours: 9}, // not re-remembered
			{ID: "unknown/1/x/y", Kind: model.KindLambda, State: model.ItemOpen, WeekHours: 3, Coverage: model.Coverage{Completeness: model.Unknown}},
		}
		if err := s.RememberPlan(ctx, false, items, now); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s = openTest(t, path) // everything persists
		st, err := s.PlanState(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		// The demo's plan is its own.
		if demo, err := s.PlanState(ctx, true); err != nil || len(demo.Marks) != 0 || len(demo.Seen) != 0 {
			t.Errorf("demo plan state = %+v, %v", demo, err)
		}
		want := map[string]model.ItemMarks{
			db: {Steps: map[string]bool{"secrets": true}, Note: "cut over Sat 02:00 «ü»",
				By: map[string]model.Mark{"secrets": ana}, NoteBy: bo},
			"sqs-queue/111/us-east-1/*": {Done: true, By: map[string]model.Mark{"": bo}},
		}
		if d := diff("Marks", reflect.ValueOf(want), reflect.ValueOf(st.Marks)); len(d) > 0 {
			t.Errorf("marks differ:\n  %s", strings.Join(d, "\n  "))
		}
		if len(st.Seen) != 2 {
			t.Fatalf("seen = %+v", st.Seen)
		}
		seen := st.Seen[db]
		if seen.Title != "Move the MySQL database orders-db" || seen.WeekHours != 4 || seen.Completeness != model.LowerBound || !seen.LastSeen.Equal(now) || seen.Kind != model.KindRDSInstance {
			t.Errorf("seen = %+v", seen)
		}
		// Hours nobody could count are kept as unknown, never as a figure.
		if u := st.Seen["unknown/1/x/y"]; u.WeekHours != 0 || u.Completeness != model.Unknown {
			t.Errorf("unknown seen = %+v", u)
		}

		// An import replaces the listed items' marks and note, all or nothing,
		// and leaves the others alone.
		if err := s.ImportPlanMarks(ctx, false, map[string]model.ItemMarks{
			db: {Done: true, Steps: map[string]bool{"provision": true}},
		}, ana); err != nil {
			t.Fatal(err)
		}
		st, _ = s.PlanState(ctx, false)
		want = map[string]model.ItemMarks{
			db:                          {Done: true, Steps: map[string]bool{"provision": true}, By: map[string]model.Mark{"": ana, "provision": ana}},
			"sqs-queue/111/us-east-1/*": {Done: true, By: map[string]model.Mark{"": bo}},
		}
		if d := diff("Marks", reflect.ValueOf(want), reflect.ValueOf(st.Marks)); len(d) > 0 {
			t.Errorf("after import marks differ:\n  %s", strings.Join(d, "\n  "))
		}
	})
}

// The data is saved without its zero fields: what any reader gets back —
// this one, or encoding/json in an older opsdrag — is the data saved (the
// same JSON once written out again: a time read back is the same instant,
// in a zone of its own), and there is less of it to read.
func TestSavedDataLeavesOutZeroFieldsAndReadsBackTheSame(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	saved, written := 0, 0
	for _, o := range append(loadgen.Outcomes(loadgen.Size{Repos: 20, Pipelines: 200, PullRequests: 40, Alarms: 100}, now), richSnapshotOutcomes(t)...) {
		b, err := encodeData(o.Data)
		if err != nil {
			t.Fatal(err)
		}
		full, _ := json.Marshal(o.Data)
		if len(b) > len(full) {
			t.Errorf("%s: saved %d bytes, encoding/json writes %d", o.Source.Name, len(b), len(full))
		}
		saved, written = saved+len(b), written+len(full)
		var old model.Data
		if err := json.Unmarshal(b, &old); err != nil || !sameJSON(old, full) {
			t.Errorf("%s: encoding/json reads back something else (%v)", o.Source.Name, err)
		}
		got, err := decodeData(string(b))
		if err != nil || !sameJSON(got, full) {
			t.Errorf("%s: decodeData reads back something else (%v)", o.Source.Name, err)
		}
	}
	if saved*5 > written*4 {
		t.Errorf("saved %d bytes in all, encoding/json writes %d: not a fifth less", saved, written)
	}
}

func sameJSON(d model.Data, want []byte) bool {
	b, err := json.Marshal(d)
	return err == nil && string(b) == string(want)
}

// richSnapshotOutcomes is richSnapshot's data, one outcome per source.
func richSnapshotOutcomes(t *testing.T) []model.Outcome {
	snap := richSnapshot(t, false)
	var out []model.Outcome
	for name, d := range snap.Parts() {
		out = append(out, model.Outcome{Source: model.Source{Name: name}, Data: d})
	}
	return out
}

// A pointer to the zero time is data (a merge at a time nobody knows is
// not a merge with no time): JSON v2 would leave it out as zero, to come
// back nil, so data that holds one is saved whole.
func TestAPointerToTheZeroTimeIsSaved(t *testing.T) {
	var zero time.Time
	for name, d := range map[string]model.Data{
		"merged at":     {PullRequests: []model.PullRequest{{State: model.PRMerged, MergedAt: &zero}}},
		"failing since": {Pipelines: []model.Pipeline{{Name: "CI", FailingSince: &zero}}},
		"alarm since":   {Alarms: []model.Alarm{{Name: "x", Since: &zero}}},
	} {
		b, err := encodeData(d)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeData(string(b))
		full, _ := json.Marshal(d)
		if err != nil || !sameJSON(got, full) {
			t.Errorf("%s: saved %s, read back %+v (%v)", name, b, got, err)
		}
	}
}
