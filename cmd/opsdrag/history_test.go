package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/internal/applog"
	"github.com/opsdrag/opsdrag/model"
	"github.com/opsdrag/opsdrag/store"
)

func TestWithKeptCountsWhatTheAPIsForgot(t *testing.T) {
	hist := openTestHistory(t)
	ctx := context.Background()
	now := time.Now().Truncate(time.Second)
	old := now.Add(-20 * 24 * time.Hour) // beyond CloudWatch's two weeks
	recent := now.Add(-time.Hour)
	alarm := func(ts ...time.Time) model.Data {
		return model.Data{Alarms: []model.Alarm{{Account: "1", Region: "us-east-1", Name: "db-cpu", State: model.StateOK, Transitions: ts, HistoryKnown: true}}}
	}
	// Three weeks ago a live refresh saw the alarm fire.
	then := model.LastDays(old.Add(time.Hour), 7*24*time.Hour)
	past := model.NewSnapshot(then, false, []string{"aws/alarms"}).
		With(model.Outcome{Source: model.Source{Name: "aws/alarms", Status: model.StatusOK, At: old}, Data: alarm(old)})
	if _, err := hist.Save(ctx, old.Add(time.Hour), past, model.ComputeLedger(past, model.Team{}, model.DefaultAssumptions())); err != nil {
		t.Fatal(err)
	}
	// Today CloudWatch only remembers the recent transition.
	run := func(ctx context.Context, w model.Window) <-chan model.Outcome {
		ch := make(chan model.Outcome, 1)
		ch <- model.Outcome{Source: model.Source{Name: "aws/alarms", Status: model.StatusOK}, Data: alarm(recent)}
		close(ch)
		return ch
	}
	w := model.LastDays(now, 30*24*time.Hour)
	var got []model.Outcome
	for o := range withKept(run, hist, applog.Discard())(ctx, w) {
		got = append(got, o)
	}
	if len(got) != 1 || len(got[0].Data.Alarms) != 1 {
		t.Fatalf("outcomes: %+v", got)
	}
	tr := got[0].Data.Alarms[0].Transitions
	if len(tr) != 2 || !tr[0].Equal(old) || !tr[1].Equal(recent) {
		t.Fatalf("a 30-day window should count the kept transition too: %v", tr)
	}
	// A 7-day window does not reach it.
	for o := range withKept(run, hist, applog.Discard())(ctx, model.LastDays(now, 7*24*time.Hour)) {
		if n := len(o.Data.Alarms[0].Transitions); n != 1 {
			t.Fatalf("7-day window: %d transitions", n)
		}
	}
	// Without a history the outcomes pass unchanged.
	for o := range withKept(run, nil, applog.Discard())(ctx, w) {
		if n := len(o.Data.Alarms[0].Transitions); n != 1 {
			t.Fatalf("no history: %d transitions", n)
		}
	}
}

// The case: with --since 30d, an alarm that paged 20 days ago and is
// quiet now is not in today's collection (CloudWatch keeps 14 days). The
// kept history counts it; the days neither CloudWatch nor a saved
// collection read are said, and make the source partial.
func TestWithKeptCountsAQuietAlarmAndSaysWhatIsNotCovered(t *testing.T) {
	hist := openTestHistory(t)
	ctx := context.Background()
	now := time.Now().Truncate(time.Second)
	day := func(n int) time.Time { return now.Add(-time.Duration(n) * 24 * time.Hour) }
	east := model.Place{Account: "1", Region: "us-east-1"}

	// 19 days ago a live refresh over a week read east's history and saw
	// db-cpu page the day before.
	then := model.Window{Since: day(26), Until: day(19)}
	past := model.NewSnapshot(then, false, []string{"aws/alarms"}).
		With(model.Outcome{Source: model.Source{Name: "aws/alarms", Status: model.StatusOK, At: day(19)}, Data: model.Data{
			Alarms:     []model.Alarm{{Account: "1", Region: "us-east-1", Name: "db-cpu", State: model.StateOK, Transitions: []time.Time{day(20)}, HistoryKnown: true}},
			AlarmReach: []model.AlarmReach{{Place: east, From: then.Since, Until: then.Until}},
		}})
	if _, err := hist.Save(ctx, day(19), past, model.ComputeLedger(past, model.Team{}, model.DefaultAssumptions())); err != nil {
		t.Fatal(err)
	}
	// Today CloudWatch remembers 14 days, in which db-cpu was quiet.
	run := func(ctx context.Context, w model.Window) <-chan model.Outcome {
		ch := make(chan model.Outcome, 1)
		ch <- model.Outcome{Source: model.Source{Name: "aws/alarms", Status: model.StatusOK}, Data: model.Data{
			AlarmReach: []model.AlarmReach{{Place: east, From: w.Until.Add(-14 * 24 * time.Hour), Until: w.Until}},
		}}
		close(ch)
		return ch
	}
	w := model.LastDays(now, 30*24*time.Hour)
	var got []model.Outcome
	for o := range withKept(run, hist, applog.Discard())(ctx, w) {
		got = append(got, o)
	}
	if len(got) != 1 {
		t.Fatalf("outcomes: %+v", got)
	}
	o := got[0]
	if len(o.Data.Alarms) != 1 || o.Data.Alarms[0].Name != "db-cpu" || len(o.Data.Alarms[0].Transitions) != 1 || !o.Data.Alarms[0].Transitions[0].Equal(day(20)) {
		t.Errorf("alarms = %+v: want db-cpu with its page of 20 days ago", o.Data.Alarms)
	}
	t.Logf("detail: %s", o.Source.Detail)
	// Read: days 26 to 19 (the saved refresh), 14 to now (CloudWatch).
	// Not read: 30 to 26, and 19 to 14.
	for _, gap := range []model.Window{{Since: day(30), Until: day(26)}, {Since: day(19), Until: day(14)}} {
		if !strings.Contains(o.Source.Detail, gap.String()) {
			t.Errorf("detail %q does not name the days not covered, %s", o.Source.Detail, gap)
		}
	}
	if o.Source.Status != model.StatusPartial || strings.Count(o.Source.Detail, "not read") != 2 {
		t.Errorf("status %s detail %q: want partial with the two stretches", o.Source.Status, o.Source.Detail)
	}

	// Without a history nothing is counted from it, and the whole stretch
	// beyond CloudWatch's memory is said.
	for o := range withKept(run, nil, applog.Discard())(ctx, w) {
		gap := model.Window{Since: day(30), Until: day(14)}
		if o.Source.Status != model.StatusPartial || !strings.Contains(o.Source.Detail, gap.String()) || len(o.Data.Alarms) != 0 {
			t.Errorf("no history: status %s detail %q alarms %+v; want partial naming %s", o.Source.Status, o.Source.Detail, o.Data.Alarms, gap)
		}
	}
	// Within CloudWatch's memory, nothing to say.
	for o := range withKept(run, hist, applog.Discard())(ctx, model.LastDays(now, 7*24*time.Hour)) {
		if o.Source.Status != model.StatusOK || o.Source.Detail != "" {
			t.Errorf("7-day window: status %s detail %q, want ok", o.Source.Status, o.Source.Detail)
		}
	}
}

// openTestHistory opens a history of its own for one test.
func openTestHistory(t *testing.T) *store.Store {
	t.Helper()
	hist, err := store.Open(filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hist.Close() })
	return hist
}
