package model_test

import (
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

var liveSources = []string{"github/actions", "github/pulls", "aws/alarms", "aws/codepipeline", "aws/cost", "aws/inventory"}

// outcomes applies a status to each named source; sources given data get a
// signal inside the window.
func withStatuses(s model.Snapshot, at time.Time, st map[string]model.Status) model.Snapshot {
	for name, status := range st {
		o := model.Outcome{Source: model.Source{Name: name, Status: status, Detail: name + " detail", At: at}}
		if status == model.StatusOK || status == model.StatusPartial {
			switch name {
			case "github/actions":
				o.Data.Pipelines = []model.Pipeline{{Provider: model.GitHubActions, Scope: "a/b", Name: "ci", Failures: 3}}
			case "aws/alarms":
				o.Data.Alarms = []model.Alarm{{Name: "cpu", State: model.StateAlarm, Transitions: []time.Time{at.Add(-time.Hour)}}}
			case "github/pulls":
				merged := 0
				o.Data.MergedPRs = &merged
			case "aws/cost":
				bill := 1000.0
				o.Data.Invoices = []model.Invoice{{Account: "1", LastMonth: &bill}}
			}
		}
		s = s.With(o)
	}
	return s
}

func TestCoverage(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	w := model.LastDays(now, 7*24*time.Hour)
	ok, bad, skip, part := model.StatusOK, model.StatusError, model.StatusSkipped, model.StatusPartial
	tests := []struct {
		name     string
		statuses map[string]model.Status
		feed     model.Feed
		want     model.Completeness
		gaps     string
	}{
		{"all ok", map[string]model.Status{"github/actions": ok, "aws/codepipeline": ok}, model.FeedPipelines, model.Complete, ""},
		{"wrong token", map[string]model.Status{"github/actions": bad, "aws/codepipeline": skip}, model.FeedPipelines, model.Unknown,
			"github/actions failed, aws/codepipeline not configured"},
		{"one of two failed", map[string]model.Status{"github/actions": bad, "aws/codepipeline": ok}, model.FeedPipelines, model.LowerBound,
			"github/actions failed"},
		{"github only", map[string]model.Status{"aws/alarms": skip}, model.FeedAlarms, model.Unknown, "aws/alarms not configured"},
		{"partial", map[string]model.Status{"aws/alarms": part}, model.FeedAlarms, model.LowerBound, "aws/alarms incomplete"},
		{"still collecting", map[string]model.Status{}, model.FeedAlarms, model.Collecting, "aws/alarms collecting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := withStatuses(model.NewSnapshot(w, false, liveSources), now, tt.statuses)
			c := s.Coverage(tt.feed)
			if c.Completeness != tt.want || c.Short() != tt.gaps {
				t.Errorf("coverage %s %q, want %s %q", c.Completeness, c.Short(), tt.want, tt.gaps)
			}
		})
	}
	if c := model.NewSnapshot(w, false, []string{"github/pulls"}).Coverage(model.FeedAlarms); c.Completeness != model.Unknown || c.Short() != "no source collects it" {
		t.Errorf("no alarms source at all: %s %q", c.Completeness, c.Short())
	}
}

func TestTheLedgerNeverShowsUnknownAsZero(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	w := model.LastDays(now, 7*24*time.Hour)
	team := model.Team{Name: "acme", Engineers: 4, HourlyCost: 100}
	ok, bad, skip := model.StatusOK, model.StatusError, model.StatusSkipped

	// A rejected token with AWS not configured: nothing is known.
	s := withStatuses(model.NewSnapshot(w, false, liveSources), now, map[string]model.Status{
		"github/actions": bad, "github/pulls": bad, "aws/alarms": skip, "aws/codepipeline": skip, "aws/cost": skip, "aws/inventory": skip})
	l := model.ComputeLedger(s, team, model.DefaultAssumptions())
	if l.Coverage.Completeness != model.Unknown || l.TeamShare != nil || l.MonthlyCost != nil || l.CostRatio != nil {
		t.Fatalf("wrong token: %s share %v cost %v ratio %v", l.Coverage.Completeness, l.TeamShare, l.MonthlyCost, l.CostRatio)
	}
	if h := l.Headline(); !strings.Contains(h, "unknown") || strings.Contains(h, "0.0 h") {
		t.Errorf("wrong token headline: %q", h)
	}
	for _, b := range l.Bands() {
		if b.Judged || b.Healthy || b.Value != nil {
			t.Errorf("band %s judged on nothing: %+v", b.Figure, b)
		}
	}
	if c := l.Caveat(); !strings.HasPrefix(c, "Unknown: pipelines not counted (github/actions failed, aws/codepipeline not configured)") {
		t.Errorf("wrong token caveat: %q", c)
	}

	// GitHub only: pipelines and PRs count, alarms are not measured.
	s = withStatuses(model.NewSnapshot(w, false, liveSources), now, map[string]model.Status{
		"github/actions": ok, "github/pulls": ok, "aws/alarms": skip, "aws/codepipeline": skip, "aws/cost": skip, "aws/inventory": skip})
	l = model.ComputeLedger(s, team, model.DefaultAssumptions())
	if l.Coverage.Completeness != model.LowerBound || l.Category(model.CatAlarms).Coverage.Completeness != model.Unknown {
		t.Fatalf("github only: %s, alarms %s", l.Coverage.Completeness, l.Category(model.CatAlarms).Coverage.Completeness)
	}
	if h := l.Headline(); !strings.Contains(h, "at least 1.0 h/week") || !strings.Contains(h, "at least $433/month") {
		t.Errorf("github only headline: %q", h)
	}
	if b := l.Bands()[1]; b.Figure != "Incident response" || b.Judged || b.Assessment() != "unknown" {
		t.Errorf("incident response without alarms: %+v %q", b, b.Assessment())
	}
	if c := l.Caveat(); !strings.Contains(c, "alarms not counted (aws/alarms not configured)") || !strings.Contains(c, "The AWS invoice is unknown (aws/cost not configured)") {
		t.Errorf("github only caveat: %q", c)
	}

	// A refresh that fails keeps the data, marked as older.
	s = withStatuses(model.NewSnapshot(w, false, liveSources), now.Add(-2*time.Hour), map[string]model.Status{
		"github/actions": ok, "github/pulls": ok, "aws/alarms": ok, "aws/codepipeline": ok, "aws/cost": ok, "aws/inventory": ok})
	if l := model.ComputeLedger(s, team, model.DefaultAssumptions()); l.Coverage.Completeness != model.Complete || l.Caveat() != "" || l.CostRatio == nil {
		t.Fatalf("all ok: %s %q", l.Coverage.Completeness, l.Caveat())
	}
	s = s.With(model.Outcome{Source: model.Source{Name: "github/actions", Status: bad, Detail: "401", At: now}})
	l = model.ComputeLedger(s, team, model.DefaultAssumptions())
	if !l.Coverage.Stale() || !strings.Contains(l.Caveat(), "From older data: the latest refresh failed, so github/actions from Nov 30 07:00 is shown.") {
		t.Errorf("stale: %v %q", l.Coverage.Stale(), l.Caveat())
	}
	if l.Category(model.CatPipelines).WeekHours != 1 {
		t.Errorf("the stale pipelines still count: %v", l.Category(model.CatPipelines).WeekHours)
	}
}

// Last month's bill kept from a failed refresh is still the whole bill: the
// ratio is as complete as the drag.
func TestAStaleInvoiceBoundsNothing(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	w := model.LastDays(now, 7*24*time.Hour)
	s := withStatuses(model.NewSnapshot(w, false, liveSources), now.Add(-time.Hour), map[string]model.Status{
		"github/actions": model.StatusOK, "github/pulls": model.StatusOK, "aws/alarms": model.StatusOK,
		"aws/codepipeline": model.StatusOK, "aws/cost": model.StatusOK, "aws/inventory": model.StatusOK})
	s = s.With(model.Outcome{Source: model.Source{Name: "aws/cost", Status: model.StatusError, Detail: "throttled", At: now}})
	l := model.ComputeLedger(s, model.Team{Engineers: 4, HourlyCost: 100}, model.DefaultAssumptions())
	if l.InvoiceMonthly == nil || l.CostRatio == nil || l.CostRatioCoverage.Completeness != model.Complete || !l.InvoiceCoverage.Stale() {
		t.Errorf("stale invoice: %v %v %s", l.InvoiceMonthly, l.CostRatio, l.CostRatioCoverage.Completeness)
	}
	if !strings.Contains(l.Caveat(), "From older data") {
		t.Errorf("the caveat does not say the bill is from older data: %q", l.Caveat())
	}
}
