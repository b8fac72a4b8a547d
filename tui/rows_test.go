package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/opsdrag/opsdrag/internal/loadgen"
)

// A tab's count is read from the data while the pane's rows wait to be
// built: it must be the count the built rows give.
func TestTabCountsAreTheBuiltRowsCounts(t *testing.T) {
	small := loadgen.Snapshot(loadgen.Size{Repos: 30, Pipelines: 300, PullRequests: 60, Alarms: 150}, fixedNow)
	withSnapshot := demoOptions(t)
	withSnapshot.Initial = &small
	for name, a := range map[string]*App{
		"demo":    loaded(t, demoOptions(t), 120, 35),
		"loadgen": New(withSnapshot),
	} {
		a.invalidateRows()
		for i, p := range a.panes {
			want := p.count(a.data)
			if a.count(i) != want {
				t.Errorf("%s, %s: the tab counts %d before the rows are built, the pane says %d", name, p.name(), a.count(i), want)
			}
			a.ensureRows(i)
			if got := a.tables[i].count(); got != want {
				t.Errorf("%s, %s: %d items built, the tab counted %d", name, p.name(), got, want)
			}
			if i > 0 && i != a.active && want == 0 {
				t.Errorf("%s, %s: no items to count: the check holds nothing", name, p.name())
			}
		}
	}
}

// Only the shown pane is built when the data changes; a pause's prebuild
// builds the others one per message, and a change in between starts over.
func TestPanesNotShownAreBuiltInAPause(t *testing.T) {
	a := loaded(t, demoOptions(t), 120, 35)
	a.invalidateRows()
	for i := range a.panes {
		if a.stale[i] != (i != a.active) {
			t.Fatalf("pane %s: stale %v with pane %d shown", a.panes[i].name(), a.stale[i], a.active)
		}
	}
	_, cmd := a.Update(tea.WindowSizeMsg{Width: 120, Height: 35})
	if cmd == nil {
		t.Fatal("no prebuild asked for with panes out of date")
	}
	old := prebuildMsg{gen: a.rowsGen}
	a.invalidateRows() // a source answers before the pause ends
	if cmd := a.prebuild(old); cmd != nil || !a.anyStale() || countStale(a) != len(a.panes)-1 {
		t.Fatalf("a prebuild for older data built %d panes", len(a.panes)-1-countStale(a))
	}
	msg := tea.Msg(prebuildMsg{gen: a.rowsGen})
	for n := len(a.panes) - 1; n > 0; n-- {
		if countStale(a) != n {
			t.Fatalf("%d panes out of date, want %d", countStale(a), n)
		}
		cmd := a.prebuild(msg.(prebuildMsg))
		if n > 1 && cmd == nil {
			t.Fatal("the prebuild stopped with panes out of date")
		}
		if cmd != nil {
			msg = cmd()
		}
	}
	if a.anyStale() {
		t.Fatal("panes still out of date after the prebuild")
	}
}

func countStale(a *App) int {
	n := 0
	for _, s := range a.stale {
		if s {
			n++
		}
	}
	return n
}

// A pane out of date lets its rows go (they hold the data they were built
// from) and, built again, puts the cursor back on the row it was on.
func TestAReleasedPaneKeepsItsCursor(t *testing.T) {
	a := loaded(t, demoOptions(t), 120, 35)
	press(t, a, "3", "j", "j")
	pipelines := a.active
	want := a.tables[pipelines].selectedKey()
	if want == "" || want == a.tables[pipelines].rows[0].key {
		t.Fatalf("the cursor did not move off the top row: %q", want)
	}
	press(t, a, "4")
	a.invalidateRows() // a source answers while the Alarms pane is shown
	if a.tables[pipelines].all != nil {
		t.Fatal("the Pipelines pane kept its out-of-date rows")
	}
	press(t, a, "3")
	if got := a.tables[pipelines].selectedKey(); got != want {
		t.Fatalf("the cursor is on %q, was on %q", got, want)
	}
}
