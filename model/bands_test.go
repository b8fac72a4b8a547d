package model_test

import (
	"testing"

	"github.com/opsdrag/opsdrag/model"
)

func TestBands(t *testing.T) {
	ratio, share := 2.4, 0.35
	done := model.Coverage{Completeness: model.Complete}
	l := model.Ledger{
		Categories: []model.CategoryDrag{
			{Category: model.CatPipelines, WeekHours: 1.5, Coverage: done},
			{Category: model.CatAlarms, WeekHours: 3, Coverage: done}, // 13 h/month
			{Category: model.CatInfraPRs, WeekHours: 2, Coverage: done},
		},
		CostRatio: &ratio, CostRatioCoverage: done,
		TeamShare: &share, Coverage: done,
	}
	got := l.Bands()
	want := []struct {
		figure  string
		value   float64
		verdict model.Verdict
		healthy bool
		rng     string
	}{
		{"Routine maintenance", 3.5, model.Within, true, "2–4 h/week"},
		{"Incident response", 3, model.Above, false, "0.9–1.8 h/week"},
		{"Full cost", 2.4, model.Below, true, "3–5× the invoice"},
		{"KTLO share", 35, model.Above, false, "below 30% of capacity"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d bands", len(got))
	}
	for i, w := range want {
		b := got[i]
		if b.Figure != w.figure || b.Value == nil || *b.Value < w.value-1e-9 || *b.Value > w.value+1e-9 ||
			b.Verdict != w.verdict || b.Healthy != w.healthy || b.Range() != w.rng {
			t.Errorf("band %d: %+v (value %v, range %q), want %+v", i, b, deref(b.Value), b.Range(), w)
		}
	}
	for i, want := range []string{"within 2–4 h/week", "above 0.9–1.8 h/week", "below 3–5× the invoice", "above 30% of capacity"} {
		if got[i].Assessment() != want {
			t.Errorf("band %d: %q, want %q", i, got[i].Assessment(), want)
		}
	}
	unknown := model.Ledger{}.Bands()
	if unknown[2].Value != nil || unknown[3].Value != nil {
		t.Error("unknown ratio and share must stay unknown")
	}
}

func TestBandsJudgeOnlyWhatTheFiguresSettle(t *testing.T) {
	lower := model.Coverage{Completeness: model.LowerBound, Gaps: []model.Gap{{Source: "aws/alarms", Reason: model.GapFailed}}}
	unknown := model.Coverage{Completeness: model.Unknown, Gaps: []model.Gap{{Source: "aws/alarms", Reason: model.GapNotConfigured}}}
	done := model.Coverage{Completeness: model.Complete}
	tests := []struct {
		name     string
		pipes    float64
		cov      model.Coverage
		prs      model.Coverage
		judged   bool
		assessed string
		value    string
	}{
		// A lower bound above the range is above it whatever is missing.
		{"lower bound above", 5, lower, done, true, "above 2–4 h/week", "≥ 5.0 h/week"},
		// Below or within, the missing part could move it: not judged.
		{"lower bound within", 3, lower, done, false, "not judged: aws/alarms failed", "≥ 3.0 h/week"},
		{"lower bound below", 0, lower, done, false, "not judged: aws/alarms failed", "≥ 0.0 h/week"},
		{"unknown", 0, unknown, unknown, false, "unknown", "unknown"},
		// Half known is a lower bound, even at zero.
		{"half known", 0, unknown, done, false, "not judged: aws/alarms not configured", "≥ 0.0 h/week"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := model.Ledger{Categories: []model.CategoryDrag{
				{Category: model.CatPipelines, WeekHours: tt.pipes, Coverage: tt.cov},
				{Category: model.CatAlarms, WeekHours: 0, Coverage: unknown},
				{Category: model.CatInfraPRs, WeekHours: 0, Coverage: tt.prs},
			}}
			b := l.Bands()[0]
			if b.Judged != tt.judged || b.Assessment() != tt.assessed || b.FormatValue() != tt.value {
				t.Errorf("judged %v %q %q, want %v %q %q", b.Judged, b.Assessment(), b.FormatValue(), tt.judged, tt.assessed, tt.value)
			}
			if b.Healthy && !b.Judged {
				t.Error("an unjudged band is called healthy")
			}
			// Alarms never collected: incident response is unknown, never "below".
			if inc := l.Bands()[1]; inc.Value != nil || inc.Judged || inc.Healthy || inc.Assessment() != "unknown" {
				t.Errorf("incident response without alarms: %+v", inc)
			}
		})
	}
}
