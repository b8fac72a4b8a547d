package model_test

import (
	"testing"

	"github.com/opsdrag/opsdrag/model"
)

func TestBands(t *testing.T) {
	ratio, share := 2.4, 0.35
	l := model.Ledger{
		Categories: []model.CategoryDrag{
			{Category: model.CatPipelines, WeekHours: 1.5},
			{Category: model.CatAlarms, WeekHours: 3}, // 3 × 52/12 = 13 h/month
			{Category: model.CatInfraPRs, WeekHours: 2},
		},
		CostRatio: &ratio,
		TeamShare: &share,
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
		{"Incident response", 13, model.Above, false, "4–8 h/month"},
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
	for i, want := range []string{"within 2–4 h/week", "above 4–8 h/month", "below 3–5× the invoice", "above 30% of capacity"} {
		if got[i].Assessment() != want {
			t.Errorf("band %d: %q, want %q", i, got[i].Assessment(), want)
		}
	}
	unknown := model.Ledger{}.Bands()
	if unknown[2].Value != nil || unknown[3].Value != nil {
		t.Error("unknown ratio and share must stay unknown")
	}
}
