package model_test

import (
	"testing"

	"github.com/opsdrag/opsdrag/model"
)

func TestCaveat(t *testing.T) {
	snap := model.NewSnapshot(model.Window{}, false, []string{"a", "b", "c", "d", "e"})
	if got := snap.Caveat(); got != "" {
		t.Errorf("pending sources are not a caveat yet: %q", got)
	}
	for _, o := range []model.Outcome{
		{Source: model.Source{Name: "a", Status: model.StatusOK}},
		{Source: model.Source{Name: "b", Status: model.StatusSkipped}},
		{Source: model.Source{Name: "c", Status: model.StatusError}},
		{Source: model.Source{Name: "d", Status: model.StatusPartial}},
		{Source: model.Source{Name: "e", Status: model.StatusSkipped}},
	} {
		snap = snap.With(o)
	}
	want := "A lower bound: b, e not configured; c failed; d incomplete."
	if got := snap.Caveat(); got != want {
		t.Errorf("Caveat() = %q, want %q", got, want)
	}
	ok := model.NewSnapshot(model.Window{}, false, []string{"a"}).With(model.Outcome{Source: model.Source{Name: "a", Status: model.StatusOK}})
	if got := ok.Caveat(); got != "" {
		t.Errorf("all ok: %q", got)
	}
}
