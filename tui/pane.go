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
	// name is the pane's title, on its tab and above it.
	name() string
	// can says which list keys work on the pane.
	can() features
	columns() []column
	rows(d data, st Styles) []row
	// count is how many items rows lists (steps and notes apart), for the
	// tab of a pane whose rows are not built yet.
	count(d data) int
	// intro is drawn above the table ("" for none).
	intro(d data, st Styles, width int) string
	// empty says why there are no rows.
	empty(d data) string
}

// panes lists the app's panes in tab order.
func panes() []pane {
	return []pane{dragPane{}, triagePane{}, pipelinesPane{}, alarmsPane{}, prsPane{}, checklistPane{}, sourcesPane{}}
}

// features are the list keys a pane supports beyond moving and filtering:
// a key is offered (footer, help) only where it does something.
type features struct {
	// sort: its rows can be sorted by column.
	sort bool
	// broken: some of its rows can be broken now (the broken-only view).
	broken bool
	// mark names what space does to a row ("" for nothing).
	mark string
	// note: n writes a note on a row.
	note bool
}

// detailText lays out a detail view: a block of "label: value" pairs, then
// free sections, each line wrapped to width.
type detailText struct {
	st    Styles
	lines []detailLine
}

// detailLine is one line of a detail view; a link is never wrapped. A
// field's label is kept apart from its value, so a long value wraps under
// itself rather than under the label.
type detailLine struct {
	label string
	text  string
	link  bool
}

// minHangingValue is the narrowest a field's value may wrap to beside its
// label; narrower, it wraps under the label instead.
const minHangingValue = 20

func (d *detailText) field(label, value string) {
	d.lines = append(d.lines, detailLine{label: label + ": ", text: value})
}

func (d *detailText) blank() { d.line("") }

func (d *detailText) heading(s string) {
	d.blank()
	d.line(d.st.Bold.Render(s))
}

func (d *detailText) line(s string) { d.lines = append(d.lines, detailLine{text: s}) }

// url adds a link on a line of its own, whole: wrapping would break it for
// a mouse copy. It is a terminal hyperlink too (OSC 8), so where the
// terminal is narrower than the link a click still opens all of it; y
// copies it.
func (d *detailText) url(label, u string) {
	if u == "" {
		return
	}
	d.line(d.st.Muted.Render(label + " (o opens, y copies):"))
	text := u
	if checkURL(u) == nil {
		text = ansi.SetHyperlink(u) + u + ansi.ResetHyperlink()
	}
	d.lines = append(d.lines, detailLine{text: text, link: true})
}

func (d *detailText) render(width int) string {
	var out []string
	for _, l := range d.lines {
		switch indent := ansi.StringWidth(l.label); {
		case l.link:
			out = append(out, l.text)
		case l.label != "" && width-indent >= minHangingValue:
			label := d.st.Muted.Render(l.label)
			for i, v := range strings.Split(ansi.Wrap(l.text, width-indent, " /"), "\n") {
				out = append(out, label+v)
				if i == 0 {
					label = strings.Repeat(" ", indent)
				}
			}
		default:
			text := l.text
			if l.label != "" {
				text = d.st.Muted.Render(l.label) + text
			}
			out = append(out, strings.Split(ansi.Wrap(text, width, " /"), "\n")...)
		}
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
