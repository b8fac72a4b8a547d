package model_test

import (
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

func TestTheLedgerChargesOnlyInsideTheWindow(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	w := model.LastDays(now, 7*24*time.Hour)
	old, recent := now.Add(-35*24*time.Hour), now.Add(-24*time.Hour)
	// Data kept from an older collection reaches back 35 days.
	data := model.Data{
		PullRequests: []model.PullRequest{
			{Repo: "a/b", Number: 1, State: model.PRMerged, MergedAt: &old},
			{Repo: "a/b", Number: 2, State: model.PRMerged, MergedAt: &recent},
		},
		Alarms:    []model.Alarm{{Name: "x", State: model.StateOK, Transitions: []time.Time{old, recent.Add(4 * time.Hour)}, HistoryKnown: true}},
		Pipelines: []model.Pipeline{{Name: "ci", Failures: 3, FailedAt: []time.Time{old, old.Add(time.Hour), recent}}},
	}
	snap := model.NewSnapshot(w, false, []string{"s"}).With(model.Outcome{Source: model.Source{Name: "s", Status: model.StatusOK}, Data: data})
	l := model.ComputeLedger(snap, model.Team{Location: time.UTC}, model.DefaultAssumptions())
	// One PR × 2 h; one alarm transition on a Tuesday 16:00 UTC × 30 min;
	// one failure × 20 min.
	if got := l.Category(model.CatInfraPRs).WindowHours; got != 2 {
		t.Errorf("infra PRs: %v h, want 2", got)
	}
	if got := l.Category(model.CatAlarms).WindowHours; got != 0.5 {
		t.Errorf("alarms: %v h, want 0.5", got)
	}
	if got := l.Category(model.CatPipelines).WindowHours; got != 20.0/60 {
		t.Errorf("pipelines: %v h, want 1/3", got)
	}
	if l.InfraMerged != 1 {
		t.Errorf("infra merged: %d, want 1", l.InfraMerged)
	}
}

func TestSourceDetailsAreCleaned(t *testing.T) {
	snap := model.NewSnapshot(model.Window{}, false, []string{"github/pulls"}).
		With(model.Outcome{Source: model.Source{Name: "github/pulls", Status: model.StatusError,
			Detail: "403 \x1b]0;pwned\x07Resource \x1b[5;31mnot accessible\x1b[0m\nby integration"}})
	src, _ := snap.Source("github/pulls")
	if strings.ContainsAny(src.Detail, "\x1b\x07\n") || src.Detail != "403 Resource not accessible by integration" {
		t.Fatalf("detail not cleaned: %q", src.Detail)
	}
}
