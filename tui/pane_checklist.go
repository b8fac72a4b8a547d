package tui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/opsdrag/opsdrag/model"
)

// checklistPaneName is the Checklist pane's tab title.
const checklistPaneName = "Checklist"

// checklistPane shows the migration plan: one row per component in payback
// order, the steps of the item under the cursor below it. space ticks a
// step or a whole item; n writes a note.
type checklistPane struct{}

func (checklistPane) name() string { return checklistPaneName }

// can: the plan keeps its payback order, each item's steps under it, so it
// is not sorted.
func (checklistPane) can() features { return features{mark: "tick", note: true} }

func (checklistPane) columns() []column {
	return []column{
		{title: "", min: 3, priority: 10},
		{title: "ITEM", min: 20, priority: 9},
		{title: "WHERE", min: 9, priority: 8},
		{title: "DONE", min: 4, right: true, priority: 5},
		{title: "H/WEEK", min: 6, right: true, priority: 8},
		{title: "EFFORT", min: 6, right: true, priority: 6},
		{title: "PAYBACK", min: 7, right: true, priority: 7},
	}
}

func (checklistPane) intro(d data, st Styles, width int) string {
	p := d.plan()
	if len(p.Items) == 0 {
		return ""
	}
	s := p.Summary()
	lines := []string{s.Headline() + "."}
	if p.Coverage.Known() && p.UnlinkedWeekHours > 0 {
		lines = append(lines, fmt.Sprintf("%s h/week of drag is tied to no component (enter on the list's last row).", model.FormatHours(p.UnlinkedWeekHours)))
	}
	lines = append(lines, st.Muted.Render("space ticks a step or an item · n writes a note · payback in weeks = effort ÷ h/week"))
	out := ansi.Wrap(strings.Join(lines, "\n"), width, " ")
	if note := coverageNote(d, st, model.FeedInventory, model.FeedAlarms, model.FeedPipelines, model.FeedPullRequests); note != "" {
		out += "\n" + ansi.Wrap(note, width, " ")
	}
	return out
}

func (checklistPane) empty(d data) string {
	return emptyText(d, "No AWS component found: the plan is built from what the AWS inventory finds.", model.FeedInventory)
}

// keySep joins an item id and a step id in a row key. Item ids never hold
// it: they are made of remote names, which are cleaned of control
// characters.
const keySep = '\x1f'

// stepKey is the row key of an item's step.
func stepKey(itemID, stepID string) string { return itemID + string(keySep) + stepID }

// splitKey returns the item id and step id ("" for the item) of a row key.
func splitKey(key string) (item, step string) {
	i := strings.LastIndexByte(key, keySep)
	if i < 0 {
		return key, ""
	}
	return key[:i], key[i+1:]
}

// unlinkedKey is the row that lists the drag tied to no component.
const unlinkedKey = string(keySep) + "unlinked"

func (checklistPane) count(d data) int { return d.planItems() }

func (checklistPane) rows(d data, st Styles) []row {
	var rows []row
	short := compactor()
	open := d.planOpen
	if open == "" && len(d.plan().Items) > 0 {
		open = d.plan().Items[0].ID
	}
	for _, it := range d.plan().Items {
		b := "[ ]"
		switch it.State {
		case model.ItemDone:
			b = st.Good.Render("[x]")
		case model.ItemRetired:
			b = st.Good.Render(" ✓ ")
		case model.ItemMissing:
			b = st.Warn.Render(" ? ")
		}
		title := it.Title
		if it.Note != "" {
			title += " ✎"
		}
		hours := model.FormatBound(it.WeekHours, it.Coverage, model.FormatHours)
		payback := model.FormatPayback(it)
		effort := model.FormatNumber(it.EffortHours) + " h"
		switch it.State {
		case model.ItemRetired:
			title, effort, payback = st.Muted.Render(title+" (retired)"), "", "done"
		case model.ItemMissing:
			title, effort, payback = title+" (not found now)", "", "?"
		}
		done := ""
		if it.State == model.ItemOpen && len(it.Steps) > 0 {
			done = fmt.Sprintf("%d/%d", it.StepsDone(), len(it.Steps))
		}
		rows = append(rows, row{
			key: it.ID, title: it.Title,
			cells:   []string{b, title, it.Where(), done, hours, effort, payback},
			compact: []string{2: short(it.Where())},
			detail:  planDetail(it, &d, &st),
		})
		if it.ID != open || it.State == model.ItemRetired || it.State == model.ItemMissing {
			continue
		}
		for _, s := range it.Steps {
			sb := "[ ]"
			if s.Done || it.State == model.ItemDone {
				sb = st.Good.Render("[x]")
			}
			rows = append(rows, row{
				key: stepKey(it.ID, s.ID), title: it.Title, sub: true,
				cells:  []string{"", sb + " " + s.Text, "", "", "", "", ""},
				detail: planDetail(it, &d, &st),
			})
		}
	}
	if d.plan().Coverage.Known() && len(d.plan().Unlinked) > 0 {
		rows = append(rows, row{
			key: unlinkedKey, title: "Drag tied to no component", inert: true,
			cells:  []string{"", st.Muted.Render(fmt.Sprintf("Tied to no component: %s", model.Plural(len(d.plan().Unlinked), "signal"))), "", "", model.FormatBound(d.plan().UnlinkedWeekHours, d.plan().Coverage, model.FormatHours), "", ""},
			detail: unlinkedDetail(&d, &st),
		})
	}
	return rows
}

func planDetail(it model.PlanItem, d *data, st *Styles) func(int) string {
	return func(width int) string {
		t := detailText{st: *st}
		t.field("Item", it.Title)
		t.field("Where", it.Where())
		t.field("State", string(it.State))
		for _, f := range it.Facts {
			t.field(f.Label, f.Value)
		}
		for _, m := range it.Members {
			t.field("Moves with it", m)
		}
		t.field("Drag", model.FormatBound(it.WeekHours, it.Coverage, model.FormatHours)+" h/week")
		if it.State != model.ItemRetired && it.State != model.ItemMissing {
			effort := model.FormatNumber(it.EffortHours) + " h"
			if len(it.Effort) > 1 {
				var parts []string
				for _, e := range it.Effort {
					parts = append(parts, fmt.Sprintf("%s %s", e.Kind, model.FormatNumber(e.Hours)))
				}
				effort += " (" + strings.Join(parts, " + ") + ")"
			}
			t.field("Effort", effort+" — checklist.effort_hours")
			t.field("Payback", model.FormatPayback(it)+" weeks")
		} else {
			t.field("Last seen", stamp(it.LastSeen, d.team.Loc()))
		}
		if c := it.Cost; c != nil {
			cost := fmt.Sprintf("%s %s/month", c.Service, model.FormatMoney(c.Monthly, c.Currency))
			if c.SharedBy > 1 {
				cost += fmt.Sprintf(" (the whole line, shared by %d items)", c.SharedBy)
			}
			t.field("AWS invoice", cost)
		}
		loc := d.team.Loc()
		if by := markedBy(it.DoneBy, loc); by != "" {
			t.field("Marked done", by)
		}
		if it.Note != "" {
			t.field("Note", it.Note)
			if by := markedBy(it.NoteBy, loc); by != "" {
				t.field("Note written", by)
			}
		}
		if len(it.Steps) > 0 {
			t.heading("Steps")
			for _, s := range it.Steps {
				b := "[ ]"
				if s.Done || it.State == model.ItemDone {
					b = "[x]"
				}
				line := "  " + b + " " + s.Text
				if by := markedBy(s.By, loc); by != "" {
					line += " (" + by + ")"
				}
				t.line(line)
			}
		}
		t.heading("Drag tied to it")
		if len(it.Links) == 0 {
			t.line("  none in the window")
		}
		for _, l := range it.Links {
			s := fmt.Sprintf("  %s: %s h/week (%s) — %s", l.Subject, model.FormatHours(l.WeekHours), l.Formula, l.Via)
			if l.ByName {
				s += " (by name)"
			}
			if l.Shared > 1 {
				s += fmt.Sprintf(" (split between %d items)", l.Shared)
			}
			t.line(s)
		}
		t.blank()
		t.field("Id", it.ID)
		return t.render(width)
	}
}

func unlinkedDetail(d *data, st *Styles) func(int) string {
	return func(width int) string {
		t := detailText{st: *st}
		t.line("Drag no component could be tied to: shown as such, never spread over the items.")
		t.line("GitHub Actions runs, alarms without dimensions naming a resource opsdrag lists, and infra PRs")
		t.line("whose title and paths name no component land here.")
		t.blank()
		for _, l := range d.plan().Unlinked {
			t.line(fmt.Sprintf("  %s: %s h/week (%s)", l.Subject, model.FormatHours(l.WeekHours), l.Formula))
		}
		return t.render(width)
	}
}

// planStateMsg carries the plan's marks and notes loaded from the store.
type planStateMsg struct {
	state model.PlanState
	err   error
}

// planSavedMsg reports how saving a plan mark or note went.
type planSavedMsg struct{ err error }

// loadPlan reads the plan's marks and notes off the event loop.
func (a *App) loadPlan() tea.Cmd {
	load := a.opts.PlanState
	if load == nil {
		return nil
	}
	return func() tea.Msg {
		st, err := load()
		return planStateMsg{state: st, err: err}
	}
}

// updatePlan handles the plan's messages; ok is false for any other.
func (a *App) updatePlan(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case planStateMsg:
		if msg.err != nil {
			a.setFlash("plan marks: " + msg.err.Error())
			return nil, true
		}
		a.plan = msg.state
		a.replan()
		return nil, true
	case planSavedMsg:
		if msg.err != nil {
			a.setFlash("could not save the plan: " + msg.err.Error())
			return nil, true
		}
		// Read the marks back: who set this one, and anyone else's since.
		return a.loadPlan(), true
	}
	return nil, false
}

// marks returns the item's marks, ready to change.
func (a *App) marks(id string) model.ItemMarks {
	if a.plan.Marks == nil {
		a.plan.Marks = map[string]model.ItemMarks{}
	}
	m := a.plan.Marks[id]
	steps := make(map[string]bool, len(m.Steps)+1)
	for k, v := range m.Steps {
		steps[k] = v
	}
	m.Steps = steps
	return m
}

// togglePlan ticks (or unticks) the step or item of a Checklist row and
// saves the mark.
func (a *App) togglePlan(key string) tea.Cmd {
	if key == unlinkedKey {
		return nil
	}
	id, step := splitKey(key)
	m := a.marks(id)
	var done bool
	if step == "" {
		done = !a.itemDone(id)
		m.Done = done
		if !done {
			// Unticking an item whose steps were all ticked unticks them too,
			// or it would stay done.
			m.Steps = map[string]bool{}
		}
	} else {
		done = !m.Steps[step]
		m.Steps[step] = done
	}
	a.plan.Marks[id] = m
	a.replan()
	save := a.opts.MarkPlan
	if save == nil {
		return nil
	}
	steps := []string{step}
	if step == "" && !done {
		steps = append(steps, a.stepIDs(id)...)
	}
	return func() tea.Msg {
		for _, s := range steps {
			if err := save(id, s, done); err != nil {
				return planSavedMsg{err: err}
			}
		}
		return planSavedMsg{}
	}
}

// planItem is the plan's item id.
func (a *App) planItem(id string) (model.PlanItem, bool) {
	for _, it := range a.data.plan().Items {
		if it.ID == id {
			return it, true
		}
	}
	return model.PlanItem{}, false
}

func (a *App) itemDone(id string) bool {
	if it, ok := a.planItem(id); ok {
		return it.State == model.ItemDone
	}
	return a.plan.Marks[id].Done
}

func (a *App) stepIDs(id string) []string {
	it, ok := a.planItem(id)
	if !ok {
		return nil
	}
	out := make([]string, len(it.Steps))
	for i, s := range it.Steps {
		out[i] = s.ID
	}
	return out
}

// startNote opens the input line to write the note of the selected item.
func (a *App) startNote(key string) tea.Cmd {
	if key == unlinkedKey {
		return nil
	}
	id, _ := splitKey(key)
	a.noteFor = id
	a.filtering = true
	a.input.Prompt = "note: "
	a.input.Placeholder = "on this item (empty removes it)"
	// An imported note may be longer than one typed here: editing it must
	// not cut it.
	a.input.CharLimit = max(noteLimit, utf8.RuneCountInString(a.plan.Marks[id].Note))
	a.input.SetValue(a.plan.Marks[id].Note)
	a.input.CursorEnd()
	return a.input.Focus()
}

// noteLimit bounds a typed note so that an export of it imports back:
// 500 characters of at most 4 bytes are within an import's 2,000 bytes.
const noteLimit = 500

// finishNote ends writing a note: keep saves it, otherwise it is dropped.
func (a *App) finishNote(keep bool) tea.Cmd {
	id := a.noteFor
	a.noteFor = ""
	a.filtering = false
	a.input.Blur()
	a.input.Prompt, a.input.Placeholder, a.input.CharLimit = "/ ", "filter rows (!word leaves them out)", 0
	note := model.CleanText(strings.TrimSpace(a.input.Value()))
	a.input.SetValue(a.tables[a.active].filter)
	if !keep {
		return nil
	}
	m := a.marks(id)
	m.Note = note
	a.plan.Marks[id] = m
	a.replan()
	save := a.opts.NotePlan
	if save == nil {
		return nil
	}
	return func() tea.Msg { return planSavedMsg{err: save(id, note)} }
}

// followChecklistCursor opens the steps of the item under the Checklist's
// cursor, so its steps can be ticked where they are read.
func (a *App) followChecklistCursor() {
	i := a.paneIndex(checklistPaneName)
	if a.panes[i].name() != checklistPaneName {
		return
	}
	id, _ := splitKey(a.tables[i].selectedKey())
	if id == "" || id == a.data.planOpen { // the unlinked row keeps the open item
		return
	}
	a.data.planOpen = id
	a.tables[i].setRows(a.panes[i].rows(a.data, a.styles))
	a.clampScroll()
}
