package tui

import (
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/opsdrag/opsdrag/model"
)

// flashFor is how long a transient status message stays.
const flashFor = 6 * time.Second

// Update handles one message, then, once rows are out of date on panes
// not shown, asks for a pause to build them in (rows.go).
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := a.update(msg)
	return m, tea.Batch(cmd, a.schedulePrebuild())
}

func (a *App) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if cmd, ok := a.updatePlan(msg); ok {
		return a, cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.help.SetWidth(msg.Width)
		a.input.SetWidth(max(10, msg.Width-30))
		a.command.SetWidth(max(10, msg.Width-30))
		a.clampScroll()
		return a, nil

	case tea.BackgroundColorMsg:
		if msg.IsDark() != a.dark {
			a.setStyles(msg.IsDark())
			a.invalidateRows()
		}
		return a, nil

	case prebuildMsg:
		return a, a.prebuild(msg)

	case outcomeMsg:
		if msg.gen != a.gen {
			return a, nil
		}
		a.snap = a.snap.With(msg.outcome)
		if msg.outcome.Source.Status != model.StatusPending {
			a.collecting[msg.outcome.Source.Name] = false
		}
		a.rebuild()
		return a, waitOutcome(msg.gen, msg.next)

	case collectedMsg:
		if msg.gen != a.gen {
			return a, nil
		}
		for name := range a.collecting {
			a.collecting[name] = false
		}
		return a, a.saveCmd()

	case savedMsg:
		if msg.err != nil {
			a.setFlash("history not saved: " + msg.err.Error())
			return a, nil
		}
		return a, a.loadTrend()

	case trendMsg:
		if msg.err != nil {
			a.setFlash("history: " + msg.err.Error())
			return a, nil
		}
		a.trend, a.data.trend = msg.points, msg.points
		a.invalidateRows()
		return a, nil

	case ageTickMsg:
		a.tickAges()
		return a, tea.Batch(a.tickAge(), a.rollTriage())

	case spinner.TickMsg:
		if !a.loading() {
			return a, nil // stop the spinner loop once everything has answered
		}
		var cmd tea.Cmd
		a.spin, cmd = a.spin.Update(msg)
		return a, cmd

	case handledMsg:
		if msg.err != nil {
			a.setFlash("triage marks: " + msg.err.Error())
			return a, nil
		}
		if msg.start.Equal(a.data.triageStart) {
			clear(a.handled)
			clear(a.handledBy)
			for id, m := range msg.handled {
				a.handled[id], a.handledBy[id] = true, m
			}
			a.invalidateRows()
		}
		return a, nil

	case markedMsg:
		if msg.err != nil {
			a.setFlash("could not save the mark: " + msg.err.Error())
			return a, nil
		}
		// Read the marks back: who set this one, and anyone else's since.
		return a, a.loadHandled()

	case reloadedMsg:
		if msg.gen != a.gen {
			return a, nil
		}
		clear(a.collecting)
		if msg.err != nil {
			a.setFlash("shared history: " + msg.err.Error())
			a.rebuild()
			return a, nil
		}
		a.snap = msg.snap
		a.snap.Demo = a.opts.Demo
		a.rebuild()
		return a, tea.Batch(a.loadHandled(), a.loadPlan(), a.loadTrend())

	case openedMsg:
		return a, a.opened(msg)

	case tea.KeyPressMsg:
		return a.handleKey(msg)
	}
	switch {
	case a.filtering:
		var cmd tea.Cmd
		a.input, cmd = a.input.Update(msg)
		return a, cmd
	case a.commanding:
		var cmd tea.Cmd
		a.command, cmd = a.command.Update(msg)
		return a, cmd
	}
	return a, nil
}

func (a *App) setFlash(s string) {
	a.flash, a.flashAt = s, a.opts.Now()
}

func (a *App) handleKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	a.touched = true
	if msg.String() == "ctrl+c" {
		return a, a.quit()
	}
	switch {
	case a.filtering:
		return a.handleFilterKey(msg)
	case a.commanding:
		return a.handleCommandKey(msg)
	case a.showHelp:
		switch {
		case key.Matches(msg, a.keys.Quit):
			return a, a.quit()
		case key.Matches(msg, a.keys.Help), key.Matches(msg, a.keys.Back):
			a.showHelp = false
		}
		return a, nil
	case a.detail != nil:
		return a.handleDetailKey(msg)
	}
	return a.handleListKey(msg)
}

func (a *App) handleListKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	t := &a.tables[a.active]
	can := a.panes[a.active].can()
	switch {
	case key.Matches(msg, a.keys.Quit):
		return a, a.quit()
	case key.Matches(msg, a.keys.Help):
		a.showHelp = true
	case key.Matches(msg, a.keys.Command):
		return a, a.startCommand()
	case key.Matches(msg, a.keys.Next):
		a.focus(a.active + 1)
	case key.Matches(msg, a.keys.Prev):
		a.focus(a.active - 1)
	case key.Matches(msg, a.keys.Pane):
		a.focus(int(msg.String()[0] - '1'))
	case key.Matches(msg, a.keys.Up):
		t.move(-1)
	case key.Matches(msg, a.keys.Down):
		t.move(1)
	case key.Matches(msg, a.keys.Top):
		t.move(-len(t.rows))
	case key.Matches(msg, a.keys.Bottom):
		t.move(len(t.rows))
	case key.Matches(msg, a.keys.PageUp):
		t.move(-max(1, a.tableHeight()-1))
	case key.Matches(msg, a.keys.PageDown):
		t.move(max(1, a.tableHeight()-1))
	case key.Matches(msg, a.keys.Filter):
		return a, a.startFilter(t.filter)
	case key.Matches(msg, a.keys.Inverse):
		return a, a.startFilter("!")
	case key.Matches(msg, a.keys.ClearFilter):
		t.setFilter("")
	case key.Matches(msg, a.keys.Sort) && can.sort:
		t.cycleSort()
	case key.Matches(msg, a.keys.SortReverse) && can.sort:
		t.reverseSort()
	case key.Matches(msg, a.keys.Broken) && can.broken:
		a.setBrokenOnly(!a.brokenOnly)
	case key.Matches(msg, a.keys.Details):
		a.openDetail()
	case key.Matches(msg, a.keys.Open):
		if r, ok := t.selected(); ok {
			return a, a.openCmd(r.url)
		}
	case key.Matches(msg, a.keys.Copy):
		if r, ok := t.selected(); ok {
			return a, a.copyCmd("link", r.url)
		}
	case key.Matches(msg, a.keys.Copy2):
		if r, ok := t.selected(); ok {
			return a, a.copyCmd("name", r.copyName())
		}
	case key.Matches(msg, a.keys.Mark) && can.mark != "":
		if r, ok := t.selected(); ok {
			return a, a.mark(r.key)
		}
	case key.Matches(msg, a.keys.Note) && can.note:
		if r, ok := t.selected(); ok {
			return a, a.startNote(r.key)
		}
	case key.Matches(msg, a.keys.Refresh):
		return a, a.refresh()
	}
	a.clampScroll()
	a.followChecklistCursor()
	return a, nil
}

// mark toggles the row's mark on the focused pane: a triage item handled,
// a plan step or item ticked.
func (a *App) mark(key string) tea.Cmd {
	if a.panes[a.active].name() == checklistPaneName {
		return a.togglePlan(key)
	}
	return a.toggleHandled(key)
}

// startFilter opens the filter prompt with its text, which filters at once.
func (a *App) startFilter(text string) tea.Cmd {
	a.tables[a.active].setFilter(text)
	a.clampScroll()
	a.filtering = true
	a.input.SetValue(text)
	a.input.CursorEnd()
	return a.input.Focus()
}

func (a *App) handleFilterKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	t := &a.tables[a.active]
	if a.noteFor != "" {
		switch msg.String() {
		case "enter":
			return a, a.finishNote(true)
		case "esc":
			return a, a.finishNote(false)
		}
		var cmd tea.Cmd
		a.input, cmd = a.input.Update(msg)
		return a, cmd
	}
	switch msg.String() {
	case "enter":
		a.filtering = false
		a.input.Blur()
		return a, nil
	case "esc":
		a.filtering = false
		a.input.Blur()
		a.input.SetValue("")
		t.setFilter("")
		a.clampScroll()
		return a, nil
	}
	var cmd tea.Cmd
	a.input, cmd = a.input.Update(msg)
	t.setFilter(strings.TrimSpace(a.input.Value()))
	a.clampScroll()
	return a, cmd
}

// setBrokenOnly shows only what is broken now on every pane that has such
// rows, or everything again.
func (a *App) setBrokenOnly(on bool) {
	a.brokenOnly = on
	for i, p := range a.panes {
		a.tables[i].setBrokenOnly(on && p.can().broken)
	}
	a.clampScroll()
}

// openDetail opens the selected row's detail view. The cursor counts as
// moved, so a sort or new data keeps it on this row.
func (a *App) openDetail() {
	t := &a.tables[a.active]
	if r, ok := t.selected(); ok && r.detail != nil {
		t.moved = true
		a.detail = &detailView{key: r.key, name: r.copyName(), title: r.title, url: r.url, render: r.detail}
	}
}

// stepDetail shows the detail of the item n rows from the one shown, in the
// list's current order.
func (a *App) stepDetail(n int) {
	t := &a.tables[a.active]
	if i := slices.IndexFunc(t.rows, func(r *indexed) bool { return r.key == a.detail.key }); i >= 0 {
		t.cursor = i
	}
	t.move(n)
	for t.cursor > 0 && t.cursor < len(t.rows)-1 && t.rows[t.cursor].sub {
		t.move(n)
	}
	for n < 0 && t.cursor > 0 && t.rows[t.cursor].sub {
		t.move(-1)
	}
	a.openDetail()
	a.followChecklistCursor()
}

func (a *App) handleDetailKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	w, h := a.width, a.bodyHeight()
	switch {
	case key.Matches(msg, a.keys.Quit):
		return a, a.quit()
	case key.Matches(msg, a.keys.Back):
		a.detail = nil
	case key.Matches(msg, a.keys.Open):
		if a.detail.url != "" {
			return a, a.openCmd(a.detail.url)
		}
	case key.Matches(msg, a.keys.Copy):
		return a, a.copyCmd("link", a.detail.url)
	case key.Matches(msg, a.keys.Copy2):
		return a, a.copyCmd("name", a.detail.name)
	case key.Matches(msg, a.keys.Mark) && a.panes[a.active].can().mark != "":
		return a, a.mark(a.detail.key)
	case key.Matches(msg, a.keys.NextItem):
		a.stepDetail(1)
	case key.Matches(msg, a.keys.PrevItem):
		a.stepDetail(-1)
	case key.Matches(msg, a.keys.ScrollUp):
		a.detail.scroll(-max(1, h-1), w, h)
	case key.Matches(msg, a.keys.ScrollDown):
		a.detail.scroll(max(1, h-1), w, h)
	case key.Matches(msg, a.keys.Top):
		a.detail.scroll(-len(a.detail.lines(w)), w, h)
	case key.Matches(msg, a.keys.Bottom):
		a.detail.scroll(len(a.detail.lines(w)), w, h)
	case key.Matches(msg, a.keys.Next):
		a.detail = nil
		a.focus(a.active + 1)
	case key.Matches(msg, a.keys.Prev):
		a.detail = nil
		a.focus(a.active - 1)
	case key.Matches(msg, a.keys.Pane):
		a.detail = nil
		a.focus(int(msg.String()[0] - '1'))
	case key.Matches(msg, a.keys.Command):
		return a, a.startCommand()
	case key.Matches(msg, a.keys.Refresh):
		return a, a.refresh()
	case key.Matches(msg, a.keys.Help):
		a.showHelp = true
	}
	a.clampScroll()
	return a, nil
}

// focus switches to pane i, wrapping around.
func (a *App) focus(i int) {
	n := len(a.panes)
	a.active = ((i % n) + n) % n
	a.ensureRows(a.active)
	a.clampScroll()
}

func (a *App) quit() tea.Cmd {
	if a.cancel != nil {
		a.cancel()
	}
	return tea.Quit
}

// clampScroll keeps the shown table's cursor inside the visible rows; a
// pane is brought into line when it is shown (focus). Only the shown pane's
// height is measured: another's may need figures not computed yet (the
// Drag pane's intro needs the ledger).
func (a *App) clampScroll() {
	h := a.tableHeightFor(a.active) - 1 // minus the header row
	t := &a.tables[a.active]
	if len(t.rows) > h {
		h-- // the line that says how many rows are out of sight
	}
	if h <= 0 {
		return
	}
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+h {
		t.offset = t.cursor - h + 1
	}
	t.offset = max(0, min(t.offset, len(t.rows)-h))
}
