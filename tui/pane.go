package tui

import (
	"fmt"
	"strings"

	"github.com/opsdrag/opsdrag/model"

	"github.com/charmbracelet/x/ansi"
)

// pane is one tab of the app: a table of rows derived from the data, with an
// optional text block above it.
type pane interface {
	// name is the tab's title; short is its title on a narrow terminal.
	name() string
	short() string
	columns() []column
	rows(d data, st Styles) []row
	// intro is drawn above the table ("" for none).
	intro(d data, st Styles, width int) string
	// empty says why there are no rows.
	empty(d data) string
}

// panes lists the app's panes in tab order.
func panes() []pane {
	return []pane{dragPane{}, triagePane{}, pipelinesPane{}, alarmsPane{}, prsPane{}, checklistPane{}, sourcesPane{}}
}

// detailText lays out a detail view: a block of "label: value" pairs, then
// free sections, each line wrapped to width.
type detailText struct {
	st    Styles
	lines []string
}

func (d *detailText) field(label, value string) {
	d.lines = append(d.lines, d.st.Muted.Render(label+": ")+value)
}

func (d *detailText) blank() { d.lines = append(d.lines, "") }

func (d *detailText) heading(s string) {
	d.blank()
	d.lines = append(d.lines, d.st.Bold.Render(s))
}

func (d *detailText) line(s string) { d.lines = append(d.lines, s) }

func (d *detailText) render(width int) string {
	var out []string
	for _, l := range d.lines {
		out = append(out, strings.Split(ansi.Wrap(l, width, " /"), "\n")...)
	}
	return strings.Join(out, "\n")
}

// emptyText explains an empty pane from the coverage of what it shows: the
// all-clear only when every source behind it succeeded, otherwise why
// nothing may be shown, leading with the reason.
func emptyText(d data, allClear string, feeds ...model.Feed) string {
	c := d.snap.Coverage(feeds...)
	switch c.Completeness {
	case model.Complete:
		return allClear
	case model.Collecting:
		return "Collecting… " + c.Short() + "."
	case model.Unknown:
		return "Unknown: " + c.Why() + ".\n\nNothing can be shown here until a source behind it answers."
	}
	clear := strings.TrimSuffix(allClear, " ✓")
	return "Not every source answered in full: " + c.Why() + ".\n\n" + clear + " (in what could be read)"
}

// coverageNote is a warning line for a pane whose rows may be incomplete or
// from older data; "" when everything behind it succeeded.
func coverageNote(d data, st Styles, feeds ...model.Feed) string {
	c := d.snap.Coverage(feeds...)
	switch c.Completeness {
	case model.Complete, model.Collecting:
		return ""
	}
	var parts []string
	for _, g := range c.Gaps {
		switch g.Reason {
		case model.GapStale:
			parts = append(parts, fmt.Sprintf("%s from %s (%s old: its latest refresh failed)", g.Source, g.DataAt.In(d.team.Loc()).Format("Jan 2 15:04"), ago(d.now, g.DataAt)))
		case model.GapCollecting:
		default:
			parts = append(parts, g.Short())
		}
	}
	if len(parts) == 0 {
		return ""
	}
	lead := "May be incomplete: "
	if c.Stale() {
		lead = "Stale or incomplete: "
	}
	return st.Warn.Render(lead + strings.Join(parts, "; ") + " — details on the Sources pane.")
}
