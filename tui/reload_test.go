package tui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/collectors/demo"
	"github.com/opsdrag/opsdrag/model"
)

// Someone without credentials on a shared history: refresh reloads the
// latest saved snapshot (never collects, never saves), its age shows, and
// the marks are read again with it.
func TestRefreshReloadsTheSharedSnapshot(t *testing.T) {
	o := demoOptions(t)
	o.Demo = false
	o.Hint = "Shared history: the team's latest saved collection"
	saved := func(at time.Time) model.Snapshot {
		clock := func() time.Time { return at }
		r := collectors.Runner{Collectors: demo.Collectors(demo.Options{Now: clock}), Now: clock}
		return r.Collect(context.Background(), model.NewSnapshot(model.LastDays(at, model.DefaultWindow), false, r.Names()))
	}
	var reloads, markReads atomic.Int32
	latest := saved(fixedNow.Add(-3 * time.Hour))
	o.Reload = func(context.Context) (model.Snapshot, error) {
		reloads.Add(1)
		return latest, nil
	}
	o.Collect = func(context.Context, model.Window) <-chan model.Outcome {
		t.Fatal("a reader collected")
		return nil
	}
	o.Save = func(model.Snapshot, model.Ledger) error {
		t.Fatal("a reader saved")
		return nil
	}
	o.Handled = func(time.Time) (map[string]model.Mark, error) {
		markReads.Add(1)
		return nil, nil
	}
	a := New(o)
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 35})
	drive(t, a, a.Init())
	if reloads.Load() != 1 {
		t.Fatalf("%d reloads at start, want 1", reloads.Load())
	}
	s := screen(a)
	for _, want := range []string{"Shared history", "data 3h old"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	reads := markReads.Load()
	// Someone with credentials saves a newer collection; r shows it.
	latest = saved(fixedNow.Add(-10 * time.Minute))
	press(t, a, "r")
	if reloads.Load() != 2 || !strings.Contains(screen(a), "data 10m old") {
		t.Errorf("after r: %d reloads, screen:\n%s", reloads.Load(), screen(a))
	}
	if markReads.Load() <= reads {
		t.Error("the marks were not read again with the reloaded snapshot")
	}
}
