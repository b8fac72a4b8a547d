package report

import "github.com/opsdrag/opsdrag/model"

// The migration plan's summary in the HTML report. It is kept to this one
// function and the template's "plan" block, so that the plan model (issue
// 11: per-component items with their effort, the weekly drag they retire
// and their payback) replaces model.BuildChecklist here and nowhere else:
// planRows takes the plan, the "plan" block shows its rows.

// planRow is one component of the plan as the page shows it.
type planRow struct {
	Component string
	// Action is what to do with it and where it runs.
	Action string
	// Evidence says what was found where, and why a count is unknown.
	Evidence []string
	Done     bool
}

// planRows turns the migration checklist into the rows of the plan's
// summary, in the checklist's order (component kind).
func planRows(items []model.ChecklistItem) []planRow {
	rows := make([]planRow, 0, len(items))
	for _, c := range items {
		rows = append(rows, planRow{Component: c.Component, Action: c.Title, Evidence: c.Evidence, Done: c.Done})
	}
	return rows
}
