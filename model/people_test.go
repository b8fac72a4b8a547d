package model_test

import (
	"reflect"
	"testing"

	"github.com/opsdrag/opsdrag/model"
)

func peopleSnapshot(prStatus model.Status) model.Snapshot {
	snap := model.NewSnapshot(week(), false, []string{"github/actions", "github/pulls"})
	snap = snap.With(model.Outcome{Source: model.Source{Name: "github/actions", Status: model.StatusOK}, Data: model.Data{
		Pipelines: []model.Pipeline{
			// 4 re-runs: two by ana, one by a bot, one nobody reported.
			{Provider: model.GitHubActions, Scope: "o/a", Name: "CI", Reruns: 4, RerunBy: []string{"ana", "ana", "dependabot[bot]"}},
			{Provider: model.GitHubActions, Scope: "o/b", Name: "CI", Failures: 3},
		},
	}})
	merged := ptr(at(50))
	return snap.With(model.Outcome{Source: model.Source{Name: "github/pulls", Status: prStatus}, Data: model.Data{
		PullRequests: []model.PullRequest{
			// 2 h split between the author and two reviewers (the author's
			// own review and the repeated one count once).
			{Repo: "o/i", Number: 1, State: model.PRMerged, MergedAt: merged, Author: "bo", ReviewsKnown: true, Reviewers: []string{"cy", "bo", "dee", "cy"}},
			// 2 h to its author alone: reviews not read.
			{Repo: "o/i", Number: 2, State: model.PRMerged, MergedAt: merged, Author: "bo"},
			// Open PRs are not charged by the ledger: nobody's load.
			{Repo: "o/i", Number: 3, State: model.PROpen, Author: "eve", ReviewsKnown: true, Reviewers: []string{"fay"}},
			// Merged before the window: not charged either.
			{Repo: "o/i", Number: 4, State: model.PRMerged, MergedAt: ptr(at(-3)), Author: "gus"},
		},
		MergedPRs: ptr(10),
	}})
}

func TestPeopleLoad(t *testing.T) {
	snap := peopleSnapshot(model.StatusOK)
	a := model.DefaultAssumptions()
	l := model.ComputeLedger(snap, model.Team{}, a)
	c := model.PeopleLoad(snap, l)

	// bo: 2/3 + 2 h; cy, dee: 2/3 h each; ana: 2 × 5 min. The window is a week.
	want := []float64{2 + 2.0/3, 2.0 / 3, 2.0 / 3, 10.0 / 60}
	if c.People != 4 || len(c.Loads) != 4 {
		t.Fatalf("People = %d, Loads = %v; want 4 people", c.People, c.Loads)
	}
	for i := range want {
		if !near(c.Loads[i], want[i]) {
			t.Errorf("Loads = %v, want %v (largest first)", c.Loads, want)
			break
		}
	}
	named := 4 + 10.0/60
	if !near(c.Named, named) {
		t.Errorf("Named = %v, want %v", c.Named, named)
	}
	// The ledger: 4 re-runs × 5 min + 3 failures × 20 min + 2 PRs × 2 h.
	if total := (20.0+60)/60 + 4; !near(c.Total, total) || !near(c.Total, l.HoursPerWeek) {
		t.Errorf("Total = %v, want the ledger's %v (%v)", c.Total, total, l.HoursPerWeek)
	}
	// 80% of 4.17 h is 3.33 h: bo (2.67) is not enough, bo + cy (3.33) is.
	if c.Carry != 2 {
		t.Errorf("Carry = %d, want 2", c.Carry)
	}
	if c.UnnamedReruns != 1 || c.UnreviewedPRs != 1 || c.Bots != 1 {
		t.Errorf("UnnamedReruns, UnreviewedPRs, Bots = %d, %d, %d; want 1, 1, 1", c.UnnamedReruns, c.UnreviewedPRs, c.Bots)
	}
	if c.Coverage.Completeness != model.Complete {
		t.Errorf("Coverage = %v, want complete", c.Coverage.Completeness)
	}
}

func TestPeopleLoadLowerBound(t *testing.T) {
	snap := peopleSnapshot(model.StatusPartial)
	c := model.PeopleLoad(snap, model.ComputeLedger(snap, model.Team{}, model.DefaultAssumptions()))
	if c.Coverage.Completeness != model.LowerBound {
		t.Errorf("a partial PR source: Coverage = %v, want a lower bound", c.Coverage.Completeness)
	}
}

func TestPeopleLoadNobody(t *testing.T) {
	snap := model.NewSnapshot(week(), false, []string{"github/actions"})
	snap = snap.With(model.Outcome{Source: model.Source{Name: "github/actions", Status: model.StatusOK}, Data: model.Data{
		Pipelines: []model.Pipeline{{Provider: model.GitHubActions, Scope: "o/a", Name: "CI", Failures: 2}},
	}})
	c := model.PeopleLoad(snap, model.ComputeLedger(snap, model.Team{}, model.DefaultAssumptions()))
	if c.People != 0 || c.Carry != 0 || c.Named != 0 || c.Loads != nil {
		t.Errorf("no signal names anyone: got %+v", c)
	}
	if s := c.ShareOfNamed(); s == nil || *s != 0 {
		t.Errorf("ShareOfNamed = %v, want 0 of a known drag", s)
	}
	if !reflect.DeepEqual(model.Carriers{}.ShareOfNamed(), (*float64)(nil)) {
		t.Errorf("ShareOfNamed of nothing counted should be nil")
	}
}
