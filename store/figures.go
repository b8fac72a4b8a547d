package store

import "github.com/opsdrag/opsdrag/model"

// Figures are a drag ledger's headline numbers as saved with a snapshot.
// Nil figures were unknown when saved (no team size, no hourly cost, no
// invoice), never zero.
type Figures struct {
	// HoursPerWeek is the drag, read with HoursCompleteness: a lower bound
	// when some source behind it failed, meaningless (0) when unknown.
	HoursPerWeek      float64
	HoursCompleteness model.Completeness
	// Categories are the hours per week of each drag category.
	Categories     map[model.Category]float64
	TeamShare      *float64
	MonthlyCost    *float64
	InvoiceMonthly *float64
	CostRatio      *float64
	InfraMerged    int
	MergedPRs      *int
}

// figuresOf picks the headline numbers out of a ledger; the line-by-line
// computation is not kept, as it can be recomputed from the snapshot.
func figuresOf(l model.Ledger) Figures {
	f := Figures{
		HoursPerWeek:      l.HoursPerWeek,
		HoursCompleteness: l.Coverage.Completeness,
		Categories:        make(map[model.Category]float64, len(l.Categories)),
		TeamShare:         l.TeamShare,
		MonthlyCost:       l.MonthlyCost,
		InvoiceMonthly:    l.InvoiceMonthly,
		CostRatio:         l.CostRatio,
		InfraMerged:       l.InfraMerged,
		MergedPRs:         l.MergedPRs,
	}
	for _, c := range l.Categories {
		f.Categories[c.Category] += c.WeekHours
	}
	return f
}
