package report

import (
	"github.com/opsdrag/opsdrag/model"
)

// The migration plan's summary in the HTML report: its headline and the
// components in payback order — effort against the weekly drag a move
// retires. This function and the template's "plan" block are all of it.

// planRow is one component of the plan as the page shows it.
type planRow struct {
	Item, Where string
	// Hours is the weekly drag tied to it; Effort the hours a move takes;
	// Payback the weeks it takes to pay back, or why it cannot be said.
	Hours, Effort, Payback string
	// State is "done", "retired" or "not found now" for an item no longer
	// open; "" for one to move.
	State string
}

// planRows lists the plan's items in its order: open items by payback,
// then those done or gone.
func planRows(p model.Plan) []planRow {
	rows := make([]planRow, 0, len(p.Items))
	for _, it := range p.Items {
		r := planRow{
			Item: it.Title, Where: it.Where(),
			Hours:   model.FormatBound(it.WeekHours, it.Coverage, model.FormatHours),
			Effort:  model.FormatNumber(it.EffortHours),
			Payback: model.FormatPayback(it),
		}
		switch it.State {
		case model.ItemDone:
			r.State = "done"
		case model.ItemRetired:
			r.State, r.Effort, r.Payback = "retired", "", ""
		case model.ItemMissing:
			r.State, r.Effort, r.Payback = "not found now", "", ""
		}
		rows = append(rows, r)
	}
	return rows
}
