package model

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Figure is one headline number of the ledger with the arithmetic behind it.
type Figure struct {
	Label string
	// Value is the display value, or "unknown".
	Value string
	// Steps are the lines of the computation, top-down.
	Steps []string
}

// Headline is the one sentence a CTO can repeat, built from the ledger's
// known figures. A figure some source could not count reads "at least";
// one nobody could count is not given at all.
func (l Ledger) Headline() string {
	who := "this team"
	if l.Team.Name != "" {
		who = l.Team.Name
	}
	switch l.Coverage.Completeness {
	case Collecting:
		return fmt.Sprintf("Collecting what operating AWS costs %s: the figures appear as the sources answer", who)
	case Unknown:
		return fmt.Sprintf("What operating AWS costs %s is unknown: no source behind the drag produced data", who)
	}
	atLeast := ""
	if l.Coverage.Completeness == LowerBound {
		atLeast = "at least "
	}
	s := fmt.Sprintf("Operating AWS costs %s %s%s h/week", who, atLeast, FormatHours(l.HoursPerWeek))
	var parts []string
	if l.TeamShare != nil {
		parts = append(parts, atLeast+FormatPercent(*l.TeamShare)+" of its capacity")
	}
	if l.MonthlyCost != nil {
		parts = append(parts, atLeast+l.money(*l.MonthlyCost)+"/month")
	}
	if l.CostRatio != nil {
		parts = append(parts, atLeast+FormatRatio(*l.CostRatio)+" the AWS invoice")
	}
	if len(parts) > 0 {
		s += " — " + strings.Join(parts, ", ")
	}
	return s
}

// Caveat says, in a sentence or two, what the figures leave out and what
// they are based on: the categories some source could not count (and
// why), an invoice that is not complete, and data kept from an earlier
// collection because the latest failed. Empty when everything is complete.
func (l Ledger) Caveat() string {
	var short []string
	for _, c := range l.Categories {
		var state string
		switch c.Coverage.Completeness {
		case Complete, Collecting:
			continue
		case Unknown:
			state = "not counted"
		default:
			if stale(c.Coverage) {
				continue // said below
			}
			state = "incomplete"
		}
		short = append(short, fmt.Sprintf("%s %s (%s)", c.Category.Word(), state, c.Coverage.Short()))
	}
	var out []string
	if len(short) > 0 {
		lead := "A lower bound: "
		if !l.Coverage.Known() {
			lead = "Unknown: "
		}
		out = append(out, lead+strings.Join(short, "; ")+".")
	}
	if c := l.InvoiceCoverage; c.Completeness != Complete && c.Completeness != Collecting && !stale(c) {
		out = append(out, fmt.Sprintf("The AWS invoice is %s (%s).", map[bool]string{true: "incomplete", false: "unknown"}[c.Known()], c.Short()))
	}
	all := l.Coverage.Merge(l.InvoiceCoverage)
	if all.Stale() {
		var from []string
		for _, g := range all.Gaps {
			if g.Reason == GapStale {
				from = append(from, fmt.Sprintf("%s from %s", g.Source, g.DataAt.In(l.Team.Loc()).Format("Jan 2 15:04")))
			}
		}
		out = append(out, fmt.Sprintf("From older data: the latest refresh failed, so %s %s shown.",
			strings.Join(from, ", "), map[bool]string{true: "is", false: "are"}[len(from) == 1]))
	}
	return strings.Join(out, " ")
}

// stale reports whether c is short only because some of its data is kept
// from an earlier collection.
func stale(c Coverage) bool {
	return !slices.ContainsFunc(c.Gaps, func(g Gap) bool { return g.Reason != GapStale })
}

// Figures explains every headline number: which signals, which assumption,
// which arithmetic.
func (l Ledger) Figures() []Figure {
	a := l.Assumptions
	hours := Figure{Label: "Hours per week", Value: l.FormatHours(l.HoursPerWeek, l.Coverage) + " h"}
	hours.Steps = append(hours.Steps, fmt.Sprintf("Window: %s (%s days); per week = window hours × 7 / %s = × %s",
		l.Window, FormatNumber(l.Window.Days()), FormatNumber(l.Window.Days()), FormatNumber(l.WeekScale)))
	var sum []string
	for _, c := range l.Categories {
		if !c.Coverage.Known() {
			hours.Steps = append(hours.Steps, fmt.Sprintf("%s: %s — %s", c.Category.Title(), FormatBound(0, c.Coverage, nil), c.Coverage.Why()))
			continue
		}
		hours.Steps = append(hours.Steps, fmt.Sprintf("%s: %s h in the window × %s = %s h/week",
			c.Category.Title(), FormatNumber(c.WindowHours), FormatNumber(l.WeekScale), FormatNumber(c.WeekHours)))
		if c.Coverage.Completeness != Complete {
			hours.Steps = append(hours.Steps, "  a lower bound: "+c.Coverage.Why())
		}
		for _, line := range c.Lines {
			hours.Steps = append(hours.Steps, fmt.Sprintf("  %s: %s", line.Subject, line.Formula))
		}
		sum = append(sum, FormatNumber(c.WeekHours))
	}
	if l.Coverage.Known() {
		hours.Steps = append(hours.Steps, fmt.Sprintf("Total: %s = %s h/week", strings.Join(sum, " + "), FormatBound(l.HoursPerWeek, l.Coverage, FormatNumber)))
	} else {
		hours.Steps = append(hours.Steps, "Total: "+FormatBound(0, l.Coverage, nil)+": no source behind the drag produced data.")
	}
	hours.Steps = append(hours.Steps, fmt.Sprintf("Assumptions: %s min per failed run, %s min per rerun; %s min per alarm (× %s off-hours, × %s sleep hours); %s h per merged infra PR",
		FormatNumber(a.PipelineFailureMinutes), FormatNumber(a.PipelineRerunMinutes), FormatNumber(a.AlarmMinutes),
		FormatNumber(a.OffHoursMultiplier), FormatNumber(a.SleepHoursMultiplier), FormatNumber(a.InfraPRHours)))

	// Every reason a figure is unknown is given, not only the first.
	var unknownHours []string
	if !l.Coverage.Known() {
		// The sources' own reasons are long and said once, with the sources.
		unknownHours = []string{"The hours per week are unknown: " + l.Coverage.Short() + "."}
	}
	exact := func(h float64) string { return FormatBound(h, l.Coverage, FormatNumber) }

	share := Figure{Label: "Team share", Value: "unknown", Steps: unknownHours}
	if l.TeamShare != nil {
		share.Value = FormatBound(*l.TeamShare, l.Coverage, FormatPercent)
		share.Steps = []string{fmt.Sprintf("%s h/week ÷ (%d engineers × %s h) = %s",
			exact(l.HoursPerWeek), l.Team.Engineers, FormatNumber(a.WorkWeekHours), share.Value)}
	} else if l.Team.Engineers <= 0 {
		share.Steps = append(share.Steps, "Set team.engineers in the config to know the team's share.")
	}

	cost := Figure{Label: "Monthly cost", Value: "unknown", Steps: unknownHours}
	if l.MonthlyCost != nil {
		cost.Value = FormatBound(*l.MonthlyCost, l.Coverage, l.money)
		cost.Steps = []string{fmt.Sprintf("%s h/week × 52/12 weeks × %s/h = %s",
			exact(l.HoursPerWeek), l.money(l.Team.HourlyCost), cost.Value)}
	} else if l.Team.HourlyCost <= 0 {
		cost.Steps = append(cost.Steps, "Set team.hourly_cost in the config to price the drag.")
	}

	ratio := Figure{Label: "Cost vs AWS invoice", Value: "unknown"}
	if l.CostRatio != nil {
		ratio.Value = FormatBound(*l.CostRatio, l.CostRatioCoverage, FormatRatio)
		ratio.Steps = []string{fmt.Sprintf("(invoice %s + drag %s) ÷ invoice %s = %s",
			l.money(*l.InvoiceMonthly), FormatBound(*l.MonthlyCost, l.Coverage, l.money), l.money(*l.InvoiceMonthly), ratio.Value)}
	} else {
		ratio.Steps = append(ratio.Steps, cost.Steps...)
		if l.MonthlyCost != nil {
			ratio.Steps = nil
		}
		switch {
		case l.InvoiceMonthly == nil && l.InvoiceCoverage.Completeness != Complete:
			ratio.Steps = append(ratio.Steps, "The AWS invoice is not known in full (Cost Explorer): "+l.InvoiceCoverage.Why()+".")
		case l.InvoiceMonthly == nil:
			ratio.Steps = append(ratio.Steps, "The AWS invoice is unknown: Cost Explorer gave no bill for the last full month.")
		case !l.currenciesMatch():
			ratio.Steps = append(ratio.Steps, fmt.Sprintf("The AWS invoice is in %s and team.hourly_cost in %s: set team.currency and team.hourly_cost in %s to compare them.",
				l.InvoiceCurrency, cmp.Or(l.Team.Currency, "USD"), l.InvoiceCurrency))
		case *l.InvoiceMonthly <= 0:
			ratio.Steps = append(ratio.Steps, "The AWS invoice is zero: there is nothing to compare the drag with.")
		}
	}
	return []Figure{hours, share, cost, ratio}
}

func (l Ledger) money(v float64) string {
	return FormatMoney(v, l.Team.Currency)
}

// FormatHours shows hours as their coverage allows: "4.4", "≥ 4.4",
// "unknown".
func (l Ledger) FormatHours(h float64, c Coverage) string {
	return FormatBound(h, c, FormatHours)
}
