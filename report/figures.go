package report

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// Reasons the report adds to the model's source gaps: why a figure has no
// value although its sources answered. They are part of the JSON contract
// (drag.coverage.*.gaps[].reason), next to model.GapReason's.
const (
	// reasonSettingMissing: a team setting the figure needs is not set.
	reasonSettingMissing = "setting_missing"
	// reasonNoData: the sources answered but gave no value for it.
	reasonNoData = "no_data"
	// reasonUndefined: the figure has no meaningful value (a division by
	// zero, amounts in two currencies).
	reasonUndefined = "undefined"
)

// gap is one machine-readable reason a figure is short: a source's gap, or
// a setting or value missing (no source).
type gap struct {
	source, reason, detail string
	dataAt                 time.Time
}

// reason is why a figure is short, for people (short) and for scripts
// (gaps): "hours per week unknown" stands for every source gap behind the
// hours, "team.engineers not set" for one missing setting.
type reason struct {
	short string
	gaps  []gap
}

// sourceReasons is one reason per source the coverage names; none when it
// is complete.
func sourceReasons(c model.Coverage) []reason {
	if c.Completeness == model.Complete {
		return nil
	}
	var out []reason
	for _, g := range c.Gaps {
		short, _ := gapPhrase(g)
		out = append(out, reason{short: short, gaps: []gap{{g.Source, string(g.Reason), g.Detail, g.DataAt}}})
	}
	return out
}

// gapPhrase says what happened to one source: in a few words
// ("github/actions failed") and whole, with the source's own detail.
func gapPhrase(g model.Gap) (short, whole string) {
	one := model.Coverage{Completeness: model.LowerBound, Gaps: []model.Gap{g}}
	return one.Short(), one.Why()
}

// because sums up reasons under one short phrase, keeping all their gaps.
func because(short string, rs []reason) reason {
	r := reason{short: short}
	for _, x := range rs {
		r.gaps = append(r.gaps, x.gaps...)
	}
	return r
}

// missing is a reason that is not a source's: a setting, a value.
func missing(code, short, detail string) reason {
	return reason{short: short, gaps: []gap{{reason: code, detail: detail}}}
}

// measure is one figure as every format shows it: its value (nil when
// unknown), the coverage that makes a value a lower bound, and what keeps
// it from having a value at all.
type measure struct {
	value *float64
	cov   model.Coverage
	// blockers say why value is nil; unused when it is set.
	blockers []reason
	// format renders a known value with its unit, e.g. "4.4 h/week".
	format func(float64) string
}

// completeness is how far the figure can be trusted: unknown whenever it
// has no value, whatever its sources say.
func (m measure) completeness() model.Completeness {
	switch {
	case m.value != nil:
		return m.cov.Completeness
	case m.cov.Completeness == model.Collecting:
		return model.Collecting
	}
	return model.Unknown
}

// reasons are why the figure is short: what makes a value a lower bound,
// or what keeps it unknown. None when it is complete.
func (m measure) reasons() []reason {
	if m.value != nil {
		return sourceReasons(m.cov)
	}
	return m.blockers
}

// why names the reasons in a few words: "aws/alarms not configured, team.engineers not set".
func (m measure) why() string {
	var parts []string
	for _, r := range m.reasons() {
		parts = append(parts, r.short)
	}
	return strings.Join(parts, ", ")
}

// show is the figure for people: "4.4 h/week", "≥ 4.4 h/week", "unknown
// (github/actions failed)" or "collecting…".
func (m measure) show() string {
	switch m.completeness() {
	case model.Complete:
		return m.format(*m.value)
	case model.LowerBound:
		return "≥ " + m.format(*m.value)
	case model.Collecting:
		return "collecting…"
	}
	return "unknown (" + m.why() + ")"
}

// measures are the drag figures of one report.
type measures struct {
	hours, pipelines, alarms, infraPRs, routine measure
	teamShare, monthlyCost, invoice, costRatio  measure
	infraShare                                  measure
	// bands are the reference ranges, each with the figure it judges.
	bands []judged
}

// judged is a reference range and the figure it judges.
type judged struct {
	band    model.Band
	measure measure
}

func (v view) measures() measures {
	l, team := v.ledger, v.in.Team
	perWeek := func(h float64) string { return model.FormatHours(h) + " h/week" }
	hoursOf := func(value *float64, c model.Coverage) measure {
		m := measure{cov: c, format: perWeek}
		if c.Known() {
			m.value = value
		} else {
			m.blockers = sourceReasons(c)
		}
		return m
	}
	category := func(cat model.Category) measure {
		c := l.Category(cat)
		return hoursOf(&c.WeekHours, c.Coverage)
	}
	bands := l.Bands()
	out := measures{
		hours:     hoursOf(&l.HoursPerWeek, l.Coverage),
		pipelines: category(model.CatPipelines),
		alarms:    category(model.CatAlarms),
		infraPRs:  category(model.CatInfraPRs),
		// Routine maintenance (pipelines + infra PRs) is a figure of its
		// own, shown with its reference range.
		routine: hoursOf(bands[0].Value, bands[0].Coverage),
	}

	// Scaled from the hours: unknown with them, or without the setting.
	scaled := func(value *float64, format func(float64) string, set bool, setting reason) measure {
		m := measure{value: value, cov: l.Coverage, format: format}
		if !l.Coverage.Known() {
			m.blockers = append(m.blockers, because("hours per week unknown", out.hours.blockers))
		}
		if !set {
			m.blockers = append(m.blockers, setting)
		}
		return m
	}
	out.teamShare = scaled(l.TeamShare, func(f float64) string { return model.FormatPercent(f) + " of capacity" },
		team.Engineers > 0 && l.Assumptions.WorkWeekHours > 0,
		missing(reasonSettingMissing, "team.engineers not set", "set team.engineers in the config to know the team's share"))
	out.monthlyCost = scaled(l.MonthlyCost, func(f float64) string { return model.FormatMoney(f, team.Currency) + "/month" },
		team.HourlyCost > 0,
		missing(reasonSettingMissing, "team.hourly_cost not set", "set team.hourly_cost in the config to price the drag"))

	out.invoice = measure{value: l.InvoiceMonthly, cov: l.InvoiceCoverage,
		format: func(f float64) string { return model.FormatMoney(f, v.invoiceCurrency()) + "/month" }}
	if l.InvoiceMonthly == nil {
		// Only a complete invoice is compared (model.ComputeLedger).
		out.invoice.blockers = sourceReasons(l.InvoiceCoverage)
		if l.InvoiceCoverage.Completeness == model.Complete {
			out.invoice.blockers = append(out.invoice.blockers, missing(reasonNoData,
				"no bill for the last full month", "Cost Explorer gave no bill for the last full month"))
		}
	}

	out.costRatio = measure{value: l.CostRatio, cov: l.CostRatioCoverage, format: model.FormatRatio}
	if l.CostRatio == nil {
		if l.MonthlyCost == nil {
			out.costRatio.blockers = append(out.costRatio.blockers, out.monthlyCost.blockers...)
		}
		if l.InvoiceMonthly == nil {
			out.costRatio.blockers = append(out.costRatio.blockers, out.invoice.blockers...)
		}
		invoiceCur, teamCur := cmp.Or(l.InvoiceCurrency, "USD"), cmp.Or(team.Currency, "USD")
		switch {
		case !strings.EqualFold(invoiceCur, teamCur):
			out.costRatio.blockers = append(out.costRatio.blockers, missing(reasonUndefined,
				fmt.Sprintf("invoice in %s, hourly cost in %s", invoiceCur, teamCur),
				fmt.Sprintf("the AWS invoice is in %s and team.hourly_cost in %s: set team.currency and team.hourly_cost in %s to compare them", invoiceCur, teamCur, invoiceCur)))
		case l.InvoiceMonthly != nil && *l.InvoiceMonthly <= 0:
			out.costRatio.blockers = append(out.costRatio.blockers, missing(reasonUndefined,
				"invoice is zero", "the AWS invoice is zero: there is nothing to compare the drag with"))
		}
	}

	out.infraShare = measure{value: l.InfraShare(), cov: l.PRCoverage, format: func(f float64) string {
		return fmt.Sprintf("%s (%d of %d)", model.FormatPercent(f), l.InfraMerged, *l.MergedPRs)
	}}
	switch {
	case out.infraShare.value != nil:
	case l.PRCoverage.Completeness != model.Complete:
		// A partial source leaves out an unknown share of both counts.
		out.infraShare.blockers = sourceReasons(l.PRCoverage)
	case l.MergedPRs == nil:
		out.infraShare.blockers = []reason{missing(reasonNoData, "merged PRs not counted", "the pull request source did not count the PRs merged in the window")}
	default:
		out.infraShare.blockers = []reason{missing(reasonUndefined, "no PR merged in the window", "no pull request was merged in the window")}
	}

	byFigure := map[string]measure{
		"Routine maintenance": out.routine, "Incident response": out.alarms,
		"Full cost": out.costRatio, "KTLO share": out.teamShare,
	}
	for _, b := range bands {
		m, ok := byFigure[b.Figure]
		if !ok {
			panic("report: no figure for the reference range " + b.Figure)
		}
		out.bands = append(out.bands, judged{b, m})
	}
	return out
}

// verdictOf is the verdict on the figure the reference range named figure
// ("Incident response") judges.
func (m measures) verdictOf(figure string) string {
	for _, j := range m.bands {
		if j.band.Figure == figure {
			return j.verdict()
		}
	}
	return ""
}

// verdict says where the figure sits in its range — "above the usual 2–4
// h/week (!)", "healthy: below 30% of capacity" — or, for a lower bound
// that does not settle it, what is missing. An unknown figure says why
// beside its value; its verdict only that there is none.
func (j judged) verdict() string {
	b := j.band
	switch {
	case j.measure.value == nil:
		return "not judged"
	case !b.Judged:
		return "not judged: " + j.measure.why()
	}
	usual := b.Range()
	if b.Field != "" {
		usual += " (" + b.Field + ")"
	}
	var s string
	switch {
	case b.Low == 0 && b.Verdict == model.Above:
		s = "above the healthy " + strings.TrimPrefix(b.Range(), "below ")
	case b.Low == 0:
		s = "healthy: " + usual
	default:
		s = map[model.Verdict]string{model.Below: "below", model.Within: "within", model.Above: "above"}[b.Verdict] + " the usual " + usual
	}
	if !b.Healthy {
		s += " (!)"
	}
	return s
}
