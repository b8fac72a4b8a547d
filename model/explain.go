package model

import (
	"cmp"
	"fmt"
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
// known figures.
func (l Ledger) Headline() string {
	who := "this team"
	if l.Team.Name != "" {
		who = l.Team.Name
	}
	s := fmt.Sprintf("Operating AWS costs %s %s h/week", who, FormatHours(l.HoursPerWeek))
	var parts []string
	if l.TeamShare != nil {
		parts = append(parts, FormatPercent(*l.TeamShare)+" of its capacity")
	}
	if l.MonthlyCost != nil {
		parts = append(parts, l.money(*l.MonthlyCost)+"/month")
	}
	if l.CostRatio != nil {
		parts = append(parts, FormatRatio(*l.CostRatio)+" the AWS invoice")
	}
	if len(parts) > 0 {
		s += " — " + strings.Join(parts, ", ")
	}
	return s
}

// Figures explains every headline number: which signals, which assumption,
// which arithmetic.
func (l Ledger) Figures() []Figure {
	a := l.Assumptions
	hours := Figure{Label: "Hours per week", Value: FormatHours(l.HoursPerWeek) + " h"}
	hours.Steps = append(hours.Steps, fmt.Sprintf("Window: %s (%s days); per week = window hours × 7 / %s = × %s",
		l.Window, FormatNumber(l.Window.Days()), FormatNumber(l.Window.Days()), FormatNumber(l.WeekScale)))
	var sum []string
	for _, c := range l.Categories {
		hours.Steps = append(hours.Steps, fmt.Sprintf("%s: %s h in the window × %s = %s h/week",
			c.Category.Title(), FormatNumber(c.WindowHours), FormatNumber(l.WeekScale), FormatNumber(c.WeekHours)))
		for _, line := range c.Lines {
			hours.Steps = append(hours.Steps, fmt.Sprintf("  %s: %s", line.Subject, line.Formula))
		}
		sum = append(sum, FormatNumber(c.WeekHours))
	}
	hours.Steps = append(hours.Steps, fmt.Sprintf("Total: %s = %s h/week", strings.Join(sum, " + "), FormatNumber(l.HoursPerWeek)))
	hours.Steps = append(hours.Steps, fmt.Sprintf("Assumptions: %s min per failed run, %s min per rerun; %s min per alarm (× %s off-hours, × %s sleep hours); %s h per merged infra PR",
		FormatNumber(a.PipelineFailureMinutes), FormatNumber(a.PipelineRerunMinutes), FormatNumber(a.AlarmMinutes),
		FormatNumber(a.OffHoursMultiplier), FormatNumber(a.SleepHoursMultiplier), FormatNumber(a.InfraPRHours)))

	share := Figure{Label: "Team share", Value: "unknown"}
	if l.TeamShare != nil {
		share.Value = FormatPercent(*l.TeamShare)
		share.Steps = []string{fmt.Sprintf("%s h/week ÷ (%d engineers × %s h) = %s",
			FormatNumber(l.HoursPerWeek), l.Team.Engineers, FormatNumber(a.WorkWeekHours), FormatPercent(*l.TeamShare))}
	} else {
		share.Steps = []string{"Set team.engineers in the config to know the team's share."}
	}

	cost := Figure{Label: "Monthly cost", Value: "unknown"}
	if l.MonthlyCost != nil {
		cost.Value = l.money(*l.MonthlyCost)
		cost.Steps = []string{fmt.Sprintf("%s h/week × 52/12 weeks × %s/h = %s",
			FormatNumber(l.HoursPerWeek), l.money(l.Team.HourlyCost), l.money(*l.MonthlyCost))}
	} else {
		cost.Steps = []string{"Set team.hourly_cost in the config to price the drag."}
	}

	ratio := Figure{Label: "Cost vs AWS invoice", Value: "unknown"}
	switch {
	case l.CostRatio != nil:
		ratio.Value = FormatRatio(*l.CostRatio)
		ratio.Steps = []string{fmt.Sprintf("(invoice %s + drag %s) ÷ invoice %s = %s",
			l.money(*l.InvoiceMonthly), l.money(*l.MonthlyCost), l.money(*l.InvoiceMonthly), FormatRatio(*l.CostRatio))}
	case l.InvoiceMonthly == nil:
		ratio.Steps = []string{"The AWS invoice is unknown (Cost Explorer not collected)."}
	case !l.currenciesMatch():
		ratio.Steps = []string{fmt.Sprintf("The AWS invoice is in %s and team.hourly_cost in %s: set team.currency and team.hourly_cost in %s to compare them.",
			l.InvoiceCurrency, cmp.Or(l.Team.Currency, "USD"), l.InvoiceCurrency)}
	default:
		ratio.Steps = []string{"The drag's cost is unknown: set team.hourly_cost."}
	}
	return []Figure{hours, share, cost, ratio}
}

func (l Ledger) money(v float64) string {
	return FormatMoney(v, l.Team.Currency)
}
