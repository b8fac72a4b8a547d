package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// A pane's rows are built when the pane is shown, not whenever the data
// changes: at 10,000 pipelines a pane takes tens of milliseconds to build,
// and a refresh changes the data once per source. The shown pane is built
// at once; the others wait for a pause (prebuildAfter without a change)
// and are then built one per message, so a key press waits for one pane at
// most, and a pane is usually ready before it is shown.

// prebuildAfter is the pause after a change before the panes not shown are
// built.
const prebuildAfter = 150 * time.Millisecond

// prebuildMsg asks for the next pane not shown to be built, for the data
// of generation gen.
type prebuildMsg struct{ gen int }

// invalidateRows marks every pane's rows out of date, then builds the
// shown pane's.
func (a *App) invalidateRows() {
	a.rowsGen++
	a.prebuilding = false
	for i := range a.stale {
		a.stale[i] = true
		a.tables[i].release()
	}
	a.chooseOpeningPane()
	a.ensureRows(a.active)
	a.refreshDetail()
	a.clampScroll()
}

// ensureRows brings pane i's rows up to date with the data.
func (a *App) ensureRows(i int) {
	if !a.stale[i] {
		return
	}
	a.stale[i] = false
	a.tables[i].setRows(a.panes[i].rows(a.data, a.styles))
}

// count is the number of items pane i lists, whether or not its rows are
// built.
func (a *App) count(i int) int {
	if !a.stale[i] {
		return a.tables[i].count()
	}
	return a.panes[i].count(a.data)
}

// schedulePrebuild asks for a pause's prebuild when panes are out of date
// and none is on its way.
func (a *App) schedulePrebuild() tea.Cmd {
	if a.prebuilding || !a.anyStale() {
		return nil
	}
	a.prebuilding = true
	gen := a.rowsGen
	return tea.Tick(prebuildAfter, func(time.Time) tea.Msg { return prebuildMsg{gen: gen} })
}

// prebuild builds the next out-of-date pane, in tab order, and asks for
// the one after it.
func (a *App) prebuild(msg prebuildMsg) tea.Cmd {
	if msg.gen != a.rowsGen {
		return nil // the data changed since: a new pause is on its way
	}
	a.prebuilding = false
	for i := range a.stale {
		if a.stale[i] {
			a.ensureRows(i)
			break
		}
	}
	if !a.anyStale() {
		return nil
	}
	a.prebuilding = true
	gen := a.rowsGen
	return func() tea.Msg { return prebuildMsg{gen: gen} }
}

func (a *App) anyStale() bool {
	for _, s := range a.stale {
		if s {
			return true
		}
	}
	return false
}
