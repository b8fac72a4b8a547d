package tui

import (
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
	return []pane{dragPane{}, triagePane{}, pipelinesPane{}, alarmsPane{}, prsPane{}, checklistPane{}}
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

// sourcesEmpty explains an empty pane from its sources' statuses.
func sourcesEmpty(d data, none string, names ...string) string {
	var problems []string
	for _, n := range names {
		src, ok := d.snap.Source(n)
		if !ok {
			continue
		}
		switch src.Status {
		case model.StatusPending:
			return "Collecting from " + n + "…"
		case model.StatusError, model.StatusSkipped, model.StatusPartial:
			problems = append(problems, n+" "+string(src.Status)+": "+src.Detail)
		}
	}
	if len(problems) > 0 {
		// Nothing found is not good news when a source could not look.
		return strings.TrimSuffix(none, " ✓") + "\n\n" + strings.Join(problems, "\n")
	}
	return none
}
