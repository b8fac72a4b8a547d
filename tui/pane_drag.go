package tui

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/opsdrag/opsdrag/model"
)

type dragPane struct{}

func (dragPane) name() string { return "Drag" }

func (dragPane) can() features { return features{} }

func (dragPane) columns() []column {
	return []column{
		{title: "FIGURE", min: 21, priority: 10},
		{title: "VALUE", min: 9, right: true, priority: 9},
		{title: "HOW", min: 20, priority: 8},
	}
}

func (dragPane) intro(d data, st Styles, width int) string {
	l := d.ledger()
	lines := strings.Split(ansi.Wrap(st.Headline.Render(l.Headline()+"."), width, " "), "\n")
	if c := d.ledger().Caveat(); c != "" {
		lines = append(lines, strings.Split(ansi.Wrap(st.Warn.Render(c), width, " "), "\n")...)
	}
	if s := d.plan().Summary(); s.RetiredShare(l) != nil {
		done := fmt.Sprintf("The plan's moves retired %s h/week, %s of the drag before them (%s; Checklist pane).",
			model.FormatHours(s.RetiredWeekHours), model.FormatPercent(*s.RetiredShare(l)), model.Plural(s.Retired, "component"))
		lines = append(lines, strings.Split(ansi.Wrap(st.Good.Render(done), width, " "), "\n")...)
	}
	a := l.Assumptions
	assume := fmt.Sprintf("Assumptions: %s min per failed run · %s min per rerun · %s min per alarm (×%s off-hours, ×%s sleep) · %s h per merged infra PR · window %s days",
		model.FormatNumber(a.PipelineFailureMinutes), model.FormatNumber(a.PipelineRerunMinutes), model.FormatNumber(a.AlarmMinutes),
		model.FormatNumber(a.OffHoursMultiplier), model.FormatNumber(a.SleepHoursMultiplier), model.FormatNumber(a.InfraPRHours),
		fmt.Sprintf("%.1f", l.Window.Days()))
	lines = append(lines, strings.Split(ansi.Wrap(st.Muted.Render(assume), width, " "), "\n")...)
	return strings.Join(lines, "\n")
}

func (dragPane) empty(data) string { return "" }

// count builds the rows: there are few.
func (p dragPane) count(d data) int { return len(p.rows(d, Styles{})) }

func (dragPane) rows(d data, st Styles) []row {
	l := d.ledger()
	figs := l.Figures()
	money := func(v float64) string { return model.FormatMoney(v, l.Team.Currency) }
	steps := func(title string, lines []string) func(int) string {
		return func(width int) string {
			t := detailText{st: st}
			t.line(st.Bold.Render(title))
			t.blank()
			for _, s := range lines {
				t.line(s)
			}
			return t.render(width)
		}
	}
	// bound shows a value as far as its sources allow: "4.4 h", "≥ 4.4 h",
	// "unknown"; an unknown one is muted so it never reads like a figure.
	bound := func(v float64, c model.Coverage, format func(float64) string) string {
		s := model.FormatBound(v, c, format)
		if !c.Known() {
			return st.Muted.Render(s)
		}
		return s
	}
	hours := func(v float64) string { return model.FormatHours(v) + " h" }
	unknown := st.Muted.Render("unknown")

	var sum []string
	for _, c := range l.Categories {
		v := model.FormatBound(c.WeekHours, c.Coverage, model.FormatHours)
		sum = append(sum, c.Category.Word()+" "+v)
	}
	bands := l.Bands()
	rows := []row{{
		key: "hours", title: figs[0].Label,
		cells:  []string{st.Bold.Render("Hours per week"), st.Bold.Render(bound(l.HoursPerWeek, l.Coverage, hours)), strings.Join(sum, " + ")},
		detail: steps(figs[0].Label+": "+figs[0].Value, figs[0].Steps),
	}}
	for _, c := range l.Categories {
		lines := []string{fmt.Sprintf("%s h in the window × %s (week scale) = %s h/week",
			model.FormatNumber(c.WindowHours), model.FormatNumber(l.WeekScale), model.FormatNumber(c.WeekHours)), ""}
		how := ""
		switch {
		case !c.Coverage.Known():
			lines = []string{"Not counted: " + c.Coverage.Why() + "."}
			how = st.Warn.Render(c.Coverage.Short())
		default:
			share := 0.0
			if l.HoursPerWeek > 0 {
				share = c.WeekHours / l.HoursPerWeek
			}
			how = st.Bar.Render(bar(share, 10)) + fmt.Sprintf(" %s of the drag, %s", model.FormatPercent(share), model.Plural(len(c.Lines), "signal"))
			if c.Category == model.CatAlarms {
				// Alarms are the field's incident response: judged here,
				// first, so the verdict survives a narrow terminal.
				how = verdict(bands[1], st) + " · " + how
				lines = append(lines, bandExplain(bands[1]), "")
			}
			if c.Coverage.Completeness != model.Complete {
				how += st.Warn.Render(" · " + c.Coverage.Short())
				lines = append([]string{"A lower bound: " + c.Coverage.Why() + ".", ""}, lines...)
			}
			for _, line := range c.Lines {
				lines = append(lines, line.Subject+": "+line.Formula)
			}
			if len(c.Lines) == 0 {
				lines = append(lines, "Nothing charged in this window.")
			}
		}
		title := c.Category.Title()
		if c.Category == model.CatAlarms {
			title += " (incidents)"
		}
		rows = append(rows, row{
			key: "cat-" + string(c.Category), title: c.Category.Title(),
			cells:  []string{"  " + title, bound(c.WeekHours, c.Coverage, hours), how},
			detail: steps(c.Category.Title()+": "+model.FormatBound(c.WeekHours, c.Coverage, model.FormatHours)+" h/week", lines),
		})
	}

	routine := bands[0]
	routineLines := []string{bandExplain(routine), "", "Every reference range, per week like every figure here:"}
	for _, b := range bands {
		routineLines = append(routineLines, "  "+bandExplain(b))
	}
	routineLines = append(routineLines, "", "A range is judged only on a complete figure, or on a lower bound already above it.")
	if !routine.Judged {
		routineLines = append(routineLines, "Not judged: "+cmp.Or(routine.Coverage.Why(), "the figure is unknown")+".")
	}
	routineVal := st.Muted.Render(routine.FormatValue())
	if routine.Value != nil {
		routineVal = strings.TrimSuffix(routine.FormatValue(), routine.Unit) + " h"
	}
	rows = append(rows, row{key: "routine", title: "Routine maintenance",
		cells:  []string{"Routine maintenance", routineVal, verdict(routine, st) + st.Muted.Render(" · pipelines + infra PRs")},
		detail: steps("Routine maintenance: pipelines and infra PRs", routineLines)})

	rows = append(rows, trendRow(d, st, steps))

	share, cost, ratio := figs[1], figs[2], figs[3]
	// The team share and the field's keep-the-lights-on ceiling are one
	// figure: shown once, with its verdict.
	shareHow, shareVal := strings.Join(share.Steps, " "), unknown
	if l.TeamShare != nil {
		shareVal = share.Value
		shareHow = fmt.Sprintf("%s · %s h ÷ (%d engineers × %s h)", verdict(bands[3], st), model.FormatBound(l.HoursPerWeek, l.Coverage, model.FormatHours),
			l.Team.Engineers, model.FormatNumber(l.Assumptions.WorkWeekHours))
	}
	costHow, costVal := strings.Join(cost.Steps, " "), unknown
	if l.MonthlyCost != nil {
		costVal = st.Bold.Render(cost.Value)
		costHow = fmt.Sprintf("%s h × 52/12 weeks × %s/h", model.FormatBound(l.HoursPerWeek, l.Coverage, model.FormatHours), money(l.Team.HourlyCost))
	}
	invVal, invHow := unknown, "Cost Explorer gave no bill for the last full month"
	switch {
	case l.InvoiceMonthly != nil:
		invVal, invHow = money(*l.InvoiceMonthly), "last full month, all accounts"
		if c := l.InvoiceCoverage; c.Stale() {
			invHow += st.Warn.Render(fmt.Sprintf(" · from %s (%s old: the latest refresh failed)",
				c.OldestData().In(l.Team.Loc()).Format("Jan 2 15:04"), ago(d.now, c.OldestData())))
		}
	case l.InvoiceCoverage.Completeness != model.Complete:
		invHow = l.InvoiceCoverage.Short()
	}
	ratioVal, ratioHow := unknown, strings.Join(ratio.Steps, " ")
	if l.CostRatio != nil {
		ratioVal, ratioHow = st.Bold.Render(ratio.Value), verdict(bands[2], st)+" · (invoice + drag cost) ÷ invoice"
	}
	infraVal, infraHow := unknown, "needs the merged-PR count from GitHub"
	if s := l.InfraShare(); s != nil {
		infraVal, infraHow = model.FormatPercent(*s), fmt.Sprintf("%d of %d PRs merged in the window", l.InfraMerged, *l.MergedPRs)
	} else if l.PRCoverage.Completeness != model.Complete {
		infraHow = l.PRCoverage.Short()
	}
	rows = append(rows,
		row{key: "share", title: share.Label, cells: []string{"Team share", shareVal, shareHow},
			detail: steps(share.Label+": "+share.Value, append(share.Steps, "", bandExplain(bands[3])))},
		row{key: "cost", title: cost.Label, cells: []string{"Monthly cost", costVal, costHow}, detail: steps(cost.Label+": "+cost.Value, cost.Steps)},
		row{key: "invoice", title: "AWS invoice", cells: []string{"AWS invoice", invVal, invHow}, detail: steps("AWS invoice", invoiceLines(l, d.snap.Invoices()))},
		row{key: "ratio", title: ratio.Label, cells: []string{"Cost vs invoice", ratioVal, ratioHow}, detail: steps(ratio.Label+": "+ratio.Value, ratio.Steps)},
		row{key: "infra-share", title: "Infra share of merged work", cells: []string{"Infra share of PRs", infraVal, infraHow},
			detail: steps("Infra share of merged work", []string{infraHow, "An infra PR changes infrastructure files (github.infra_paths) or carries an infra label (github.infra_labels)."})},
	)
	return rows
}

// verdict places a judged band's value in its range, coloured; otherwise it
// says why it is not judged.
func verdict(b model.Band, st Styles) string {
	switch {
	case b.Value == nil:
		return st.Muted.Render("(field: " + b.Range() + ")")
	case !b.Judged:
		return st.Muted.Render(b.Assessment() + " (field: " + b.Range() + ")")
	case b.Healthy:
		return st.Good.Render("✓ " + b.Assessment())
	}
	return st.Bad.Render("▲ " + b.Assessment())
}

// bandExplain says what a band means and where it comes from.
func bandExplain(b model.Band) string {
	s := fmt.Sprintf("Against the field: %s, %s", b.Note, b.Range())
	if b.Field != "" {
		s += " (reported as " + b.Field + ")"
	}
	return s + "."
}

// trendRow shows the drag of the last weeks from the history, this week's
// point being the figure on screen, and this week against the last.
func trendRow(d data, st Styles, steps func(string, []string) func(int) string) row {
	r := row{key: "trend", title: "Trend"}
	if len(d.trend) == 0 {
		r.cells = []string{"Trend", st.Muted.Render("—"), st.Muted.Render("no history yet: each refresh is saved")}
		r.detail = steps("Trend", []string{"opsdrag saves every refresh in its history (unless --no-store); the weekly trend appears as weeks go by."})
		return r
	}
	values := make([]*float64, len(d.trend))
	lower := make([]bool, len(d.trend))
	lines := []string{"Hours per week, from the latest snapshot saved each week (Monday to Sunday); ≥ marks a week some source could not count in full:", ""}
	for i, p := range d.trend {
		if p.Known {
			h := p.Hours
			values[i], lower[i] = &h, p.LowerBound
		}
	}
	if c := d.ledger().Coverage; c.Known() {
		now := d.ledger().HoursPerWeek
		values[len(values)-1], lower[len(values)-1] = &now, c.Completeness != model.Complete
	}
	show := func(i int) string {
		if values[i] == nil {
			return "unknown"
		}
		v := model.FormatHours(*values[i]) + " h"
		if lower[i] {
			v = "≥ " + v
		}
		return v
	}
	for i, p := range d.trend {
		v := "no snapshot"
		if values[i] != nil {
			v = show(i)
		}
		lines = append(lines, fmt.Sprintf("  week of %s  %s", p.Start.In(d.team.Loc()).Format("Jan 2"), v))
	}
	n := len(values) - 1
	change, how := st.Muted.Render("—"), "this week "+show(n)
	this, last := values[n], (*float64)(nil)
	if n > 0 {
		last = values[n-1]
	}
	if last != nil {
		how += " · last week " + show(n-1)
		// A change between lower bounds could be anything.
		if this != nil && *last > 0 && !lower[n] && !lower[n-1] {
			pct := (*this - *last) / *last
			change = fmt.Sprintf("%+.0f%%", pct*100)
			if pct > 0.1 {
				change = st.Bad.Render(change)
			} else if pct < -0.1 {
				change = st.Good.Render(change)
			}
		}
	}
	r.cells = []string{fmt.Sprintf("Trend, %d weeks", len(values)), change, st.Bar.Render(sparkline(values)) + " " + how}
	r.detail = steps("Trend", lines)
	return r
}

// invoiceLines breaks the invoice down per account and service, largest
// first, after saying whether it is complete.
func invoiceLines(l model.Ledger, invs []model.Invoice) []string {
	var lines []string
	if c := l.InvoiceCoverage; c.Completeness != model.Complete {
		lines = append(lines, "Not complete, so not compared with the drag: "+c.Why()+".", "")
	}
	if len(invs) == 0 {
		return append(lines, "No invoice collected: opsdrag reads it from Cost Explorer (aws/cost).")
	}
	for _, inv := range invs {
		cur := cmp.Or(inv.Currency, l.Team.Currency)
		head := "Account " + inv.Account
		if inv.Payer != "" && inv.Payer != inv.Account {
			head += " (billed through its Organization's management account " + inv.Payer + ")"
		}
		if !inv.Month.IsZero() {
			head += ", " + inv.Month.Format("January 2006")
		}
		if inv.LastMonth != nil {
			head += ": " + model.FormatMoney(*inv.LastMonth, cur)
		}
		if inv.MonthToDate != nil {
			head += " (month to date: " + model.FormatMoney(*inv.MonthToDate, cur) + ")"
		}
		lines = append(lines, head)
		services := slices.SortedFunc(maps.Keys(inv.ByService), func(a, b string) int {
			return cmp.Compare(inv.ByService[b], inv.ByService[a])
		})
		for _, s := range services {
			lines = append(lines, fmt.Sprintf("  %10s  %s", model.FormatMoney(inv.ByService[s], cur), s))
		}
	}
	return lines
}

// bar draws share (0..1) as a bar of width cells.
func bar(share float64, width int) string {
	full := int(share*float64(width) + 0.5)
	full = max(0, min(width, full))
	return strings.Repeat("█", full) + strings.Repeat("░", width-full)
}
