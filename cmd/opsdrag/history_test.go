package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
	"github.com/opsdrag/opsdrag/store"
)

func TestWithKeptCountsWhatTheAPIsForgot(t *testing.T) {
	hist, err := store.Open(filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer hist.Close()
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
	for o := range withKept(run, hist)(ctx, w) {
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
	for o := range withKept(run, hist)(ctx, model.LastDays(now, 7*24*time.Hour)) {
		if n := len(o.Data.Alarms[0].Transitions); n != 1 {
			t.Fatalf("7-day window: %d transitions", n)
		}
	}
	// Without a history the outcomes pass unchanged.
	for o := range withKept(run, nil)(ctx, w) {
		if n := len(o.Data.Alarms[0].Transitions); n != 1 {
			t.Fatalf("no history: %d transitions", n)
		}
	}
}
