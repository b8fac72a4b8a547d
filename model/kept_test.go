package model_test

import (
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

func TestWithKeptAddsWhatTheAPIsForgot(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	w := model.LastDays(now, 30*24*time.Hour)
	day := func(n int) time.Time { return now.Add(-time.Duration(n) * 24 * time.Hour) }
	recent := day(2)
	d := model.Data{
		// The API remembers only the last two weeks.
		Alarms: []model.Alarm{{Account: "1", Region: "us-east-1", Name: "db-cpu", Transitions: []time.Time{recent}, HistoryKnown: true}},
		Pipelines: []model.Pipeline{{Provider: model.GitHubActions, Scope: "acme/api", Name: "CI", Branch: "main",
			Failures: 1, FailedAt: []time.Time{recent}, LastFailureAt: &recent}},
	}
	k := model.Kept{
		Transitions: map[model.AlarmRef][]time.Time{
			{Account: "1", Region: "us-east-1", Name: "db-cpu"}: {day(40), day(20), recent.Add(300 * time.Millisecond)},
			{Account: "1", Region: "us-east-1", Name: "gone"}:   {day(3)},
		},
		Failures: map[model.PipelineRef][]time.Time{
			{Provider: model.GitHubActions, Scope: "acme/api", Name: "CI", Branch: "main"}: {day(25), recent},
		},
	}
	got := d.WithKept(k, w)
	// day(40) is outside the window; the kept copy of "recent", 300 ms off,
	// is the same transition; day(20) is added.
	if tr := got.Alarms[0].Transitions; len(tr) != 2 || !tr[0].Equal(day(20)) || !tr[1].Equal(recent) {
		t.Errorf("alarm transitions = %v", tr)
	}
	if len(got.Alarms) != 1 {
		t.Errorf("an alarm the sources did not report was invented: %d alarms", len(got.Alarms))
	}
	p := got.Pipelines[0]
	if p.Failures != 2 || len(p.FailedAt) != 2 || !p.FailedAt[0].Equal(day(25)) || !p.LastFailureAt.Equal(recent) {
		t.Errorf("pipeline = %+v", p)
	}
	// The input is not changed.
	if len(d.Alarms[0].Transitions) != 1 || d.Pipelines[0].Failures != 1 {
		t.Error("WithKept changed its receiver")
	}
	// Nothing kept: the same data.
	if same := d.WithKept(model.Kept{}, w); len(same.Alarms[0].Transitions) != 1 {
		t.Error("empty history changed the data")
	}
}
