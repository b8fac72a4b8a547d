package tui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/opsdrag/opsdrag/model"
)

// flashFor is how long a transient status message stays.
const flashFor = 6 * time.Second

// Update handles one message.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if cmd, ok := a.updatePlan(msg); ok {
		return a, cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.help.SetWidth(msg.Width)
		a.input.SetWidth(max(10, msg.Width-30))
		a.clampScroll()
		return a, nil

	case tea.BackgroundColorMsg:
		a.setStyles(msg.IsDark())
		return a, nil

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
		a.trend = msg.points
		a.rebuild()
		return a, nil

	case ageTickMsg:
		a.rebuild()
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
			for id, h := range msg.handled {
				a.handled[id] = h
			}
			a.rebuild()
		}
		return a, nil

	case markedMsg:
		if msg.err != nil {
			a.setFlash("could not save the mark: " + msg.err.Error())
		}
		return a, nil

	case openedMsg:
		if msg.err != nil {
			a.setFlash(msg.err.Error())
		} else {
			a.setFlash("opened " + msg.url)
		}
		return a, nil

	case tea.KeyPressMsg:
		return a.handleKey(msg)
	}
	if a.filtering {
		var cmd tea.Cmd
		a.input, cmd = a.input.Update(msg)
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

	t := &a.tables[a.active]
	switch {
	case key.Matches(msg, a.keys.Quit):
		return a, a.quit()
	case key.Matches(msg, a.keys.Help):
		a.showHelp = true
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
		a.filtering = true
		a.input.SetValue(t.filter)
		a.input.CursorEnd()
		return a, a.input.Focus()
	case key.Matches(msg, a.keys.ClearFilter):
		t.setFilter("")
	case key.Matches(msg, a.keys.Details):
		if r, ok := t.selected(); ok && r.detail != nil {
			a.detail = &detailView{title: r.title, url: r.url, render: r.detail}
		}
	case key.Matches(msg, a.keys.Open):
		if r, ok := t.selected(); ok {
			return a, a.openCmd(r.url)
		}
	case key.Matches(msg, a.keys.Mark) && a.panes[a.active].name() == triagePaneName:
		if r, ok := t.selected(); ok {
			return a, a.toggleHandled(r.key)
		}
	case key.Matches(msg, a.keys.Mark) && a.panes[a.active].name() == checklistPaneName:
		if r, ok := t.selected(); ok {
			return a, a.togglePlan(r.key)
		}
	case key.Matches(msg, a.keys.Note) && a.panes[a.active].name() == checklistPaneName:
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

func (a *App) handleDetailKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	w, h := a.width, a.bodyHeight()
	switch {
	case key.Matches(msg, a.keys.Quit):
		return a, a.quit()
	case key.Matches(msg, a.keys.Back):
		a.detail = nil
	case key.Matches(msg, a.keys.Open):
		return a, a.openCmd(a.detail.url)
	case key.Matches(msg, a.keys.Up):
		a.detail.scroll(-1, w, h)
	case key.Matches(msg, a.keys.Down):
		a.detail.scroll(1, w, h)
	case key.Matches(msg, a.keys.PageUp):
		a.detail.scroll(-h, w, h)
	case key.Matches(msg, a.keys.PageDown):
		a.detail.scroll(h, w, h)
	case key.Matches(msg, a.keys.Help):
		a.showHelp = true
	}
	return a, nil
}

// focus switches to pane i, wrapping around.
func (a *App) focus(i int) {
	n := len(a.panes)
	a.active = ((i % n) + n) % n
	a.clampScroll()
}

func (a *App) quit() tea.Cmd {
	if a.cancel != nil {
		a.cancel()
	}
	return tea.Quit
}

// clampScroll keeps every table's cursor inside the visible rows.
func (a *App) clampScroll() {
	for i := range a.tables {
		h := a.tableHeightFor(i) - 1 // minus the header row
		t := &a.tables[i]
		if len(t.rows) > h {
			h-- // the line that says how many rows are out of sight
		}
		if h <= 0 {
			continue
		}
		if t.cursor < t.offset {
			t.offset = t.cursor
		}
		if t.cursor >= t.offset+h {
			t.offset = t.cursor - h + 1
		}
		t.offset = max(0, min(t.offset, len(t.rows)-h))
	}
}
