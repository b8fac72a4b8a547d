package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/opsdrag/opsdrag/model"
)

type checklistPane struct{}

func (checklistPane) name() string { return "Checklist" }

func (checklistPane) can() features { return features{sort: true} }

func (checklistPane) columns() []column {
	return []column{
		{title: "COMPONENT", min: 12, priority: 8},
		{title: "STEP", min: 20, priority: 9},
		{title: "COUNT", min: 5, right: true, priority: 7},
	}
}

func (checklistPane) intro(d data, st Styles, width int) string {
	if len(d.checklist) == 0 {
		return ""
	}
	lines := []string{st.Muted.Render(pad("What this team runs on AWS, as migration steps. Enter shows where each one is.", width))}
	if note := coverageNote(d, st, model.FeedInventory); note != "" {
		lines = append(lines, ansi.Wrap(note, width, " "))
	}
	return strings.Join(lines, "\n")
}

func (checklistPane) empty(d data) string {
	return emptyText(d, "No AWS component found: the checklist is built from what the AWS inventory finds.", model.FeedInventory)
}

func (checklistPane) rows(d data, st Styles) []row {
	var rows []row
	for _, item := range d.checklist {
		rows = append(rows, row{
			key:   item.ID,
			title: item.Title,
			cells: []string{item.Component, item.Title, strconv.Itoa(item.Count)},
			detail: func(width int) string {
				t := detailText{st: st}
				t.field("Step", item.Title)
				t.field("Component", item.Component)
				t.heading("Evidence")
				for _, e := range item.Evidence {
					t.line("  " + e)
				}
				return t.render(width)
			},
		})
	}
	return rows
}
