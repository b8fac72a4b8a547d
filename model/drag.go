package model

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Assumptions are the per-signal costs the drag ledger charges. Every one is
// configurable and shown next to the figures it produces.
type Assumptions struct {
	// PipelineFailureMinutes is charged per failed run on a watched branch.
	PipelineFailureMinutes float64
	// PipelineRerunMinutes is charged per re-run attempt.
	PipelineRerunMinutes float64
	// AlarmMinutes is charged per transition into ALARM.
	AlarmMinutes float64
	// OffHoursMultiplier scales an alarm that fired off-hours.
	OffHoursMultiplier float64
	// SleepHoursMultiplier scales an alarm that fired in sleep hours.
	SleepHoursMultiplier float64
	// InfraPRHours is charged per infra PR merged in the window (authoring
	// and review).
	InfraPRHours float64
	// WorkWeekHours is one engineer's working week, for the team share.
	WorkWeekHours float64
}

// DefaultAssumptions are the field-derived defaults.
func DefaultAssumptions() Assumptions {
	return Assumptions{
		PipelineFailureMinutes: 20,
		PipelineRerunMinutes:   5,
		AlarmMinutes:           30,
		OffHoursMultiplier:     1.5,
		SleepHoursMultiplier:   2,
		InfraPRHours:           2,
		WorkWeekHours:          40,
	}
}

// Team is who pays the drag. Zero Engineers or HourlyCost mean unknown: the
// figures that need them are then unknown too, never invented.
type Team struct {
	Name       string
	Engineers  int
	HourlyCost float64
	Currency   string
	Location   *time.Location
}

// Loc returns the team's time zone, UTC when unset.
func (t Team) Loc() *time.Location {
	if t.Location == nil {
		return time.UTC
	}
	return t.Location
}

// Category is a kind of drag.
type Category string

// Drag categories, in display order.
const (
	CatPipelines Category = "pipelines"
	CatAlarms    Category = "alarms"
	CatInfraPRs  Category = "infra_prs"
)

// Title names the category for people.
func (c Category) Title() string {
	switch c {
	case CatPipelines:
		return "Failing pipelines"
	case CatAlarms:
		return "Alarms"
	case CatInfraPRs:
		return "Infra PRs"
	}
	return string(c)
}

// Word names the category inside a sentence: "pipelines", "alarms",
// "infra PRs".
func (c Category) Word() string {
	if c == CatInfraPRs {
		return "infra PRs"
	}
	return string(c)
}

// LedgerLine is one signal's charge: what it was, and the arithmetic.
type LedgerLine struct {
	Subject string
	// Formula shows the computation, e.g. "3 failures × 20 min + 1 rerun × 5 min".
	Formula string
	// Hours charged over the window (not scaled to a week).
	Hours float64
}

// CategoryDrag is one category's drag.
type CategoryDrag struct {
	Category    Category
	WindowHours float64
	WeekHours   float64
	Lines       []LedgerLine
	// Coverage says whether the hours are complete, a lower bound or
	// unknown, from the sources behind the category.
	Coverage Coverage
}

// Feed is what the category is computed from.
func (c Category) Feed() Feed {
	switch c {
	case CatPipelines:
		return FeedPipelines
	case CatAlarms:
		return FeedAlarms
	}
	return FeedPullRequests
}

// Ledger is the drag a snapshot adds up to: hours per week, the team's share
// of its capacity, what that costs per month, and how it compares with the
// AWS invoice. Nil figures are unknown.
type Ledger struct {
	Window      Window
	Assumptions Assumptions
	Team        Team
	// WeekScale turns window hours into hours per week (7 / days).
	WeekScale  float64
	Categories []CategoryDrag
	// HoursPerWeek is the drag; read it with Coverage: it is a lower bound
	// when a source behind it is missing, and meaningless (zero) when
	// Coverage is not Known.
	HoursPerWeek float64
	// Coverage is how complete HoursPerWeek is, and so TeamShare and
	// MonthlyCost, which scale it.
	Coverage Coverage
	// TeamShare is HoursPerWeek / (Engineers × WorkWeekHours), 0..1; nil
	// when the team size or the hours are unknown.
	TeamShare *float64
	// MonthlyCost is HoursPerWeek × 52/12 × HourlyCost; nil when the hourly
	// cost or the hours are unknown.
	MonthlyCost *float64
	// InvoiceMonthly is the last full month's AWS bill; nil unless Cost
	// Explorer answered for every configured account.
	InvoiceMonthly *float64
	// InvoiceCoverage is how complete the invoice is.
	InvoiceCoverage Coverage
	// CostRatioCoverage is how complete CostRatio is: a lower bound when
	// the drag is, never computed from a partial invoice.
	CostRatioCoverage Coverage
	// InvoiceCurrency is the bill's currency code (USD unless Cost
	// Explorer says otherwise).
	InvoiceCurrency string
	// CostRatio is (InvoiceMonthly + MonthlyCost) / InvoiceMonthly.
	CostRatio *float64
	// InfraMerged and MergedPRs give the infra share of merged work.
	InfraMerged int
	MergedPRs   *int
	// PRCoverage is how complete the merged-PR counts are.
	PRCoverage Coverage
}

// WeeksPerMonth is 52/12, the factor from a weekly to a monthly figure.
const WeeksPerMonth = 52.0 / 12.0

// ComputeLedger charges every signal in s by the assumptions. Nothing is
// rounded: rounding belongs to display.
func ComputeLedger(s Snapshot, team Team, a Assumptions) Ledger {
	l := Ledger{Window: s.Window, Assumptions: a, Team: team, WeekScale: s.Window.WeekScale()}
	// Only signals inside the window are charged: data kept from an older
	// collection (a stale source, a saved snapshot) may reach further back.
	w := s.Window
	l.Categories = []CategoryDrag{
		pipelineDrag(s.Pipelines(), a, w),
		alarmDrag(s.Alarms(), a, team.Loc(), w),
		prDrag(s.PullRequests(), a, w),
	}
	for i := range l.Categories {
		c := &l.Categories[i]
		c.WeekHours = c.WindowHours * l.WeekScale
		c.Coverage = s.Coverage(c.Category.Feed())
		if i == 0 {
			l.Coverage = c.Coverage
		} else {
			l.Coverage = l.Coverage.Merge(c.Coverage)
		}
		if c.Coverage.Known() {
			l.HoursPerWeek += c.WeekHours
		}
	}
	// Hours nobody could count are not zero hours: what scales them is
	// unknown too.
	if l.Coverage.Known() && team.Engineers > 0 && a.WorkWeekHours > 0 {
		share := l.HoursPerWeek / (float64(team.Engineers) * a.WorkWeekHours)
		l.TeamShare = &share
	}
	if l.Coverage.Known() && team.HourlyCost > 0 {
		cost := l.HoursPerWeek * WeeksPerMonth * team.HourlyCost
		l.MonthlyCost = &cost
	}
	l.InvoiceCoverage = s.Coverage(FeedInvoices)
	if l.InvoiceCoverage.Completeness == Complete || stale(l.InvoiceCoverage) {
		// A bill missing some accounts would make the ratio look worse
		// than it is, not better: only a complete one is compared. One
		// kept from an earlier collection is last month's whole bill still.
		l.InvoiceMonthly = s.InvoiceMonthly()
	}
	l.InvoiceCurrency = s.InvoiceCurrency()
	l.CostRatioCoverage = l.Coverage.Merge(l.InvoiceCoverage)
	if stale(l.InvoiceCoverage) {
		// Last month's bill does not change: kept from an earlier
		// collection, it bounds nothing.
		l.CostRatioCoverage = l.Coverage
	}
	// Adding a bill in one currency to a cost in another would be wrong, and
	// converting needs a rate opsdrag does not know: leave the ratio unknown.
	if l.InvoiceMonthly != nil && *l.InvoiceMonthly > 0 && l.MonthlyCost != nil && l.currenciesMatch() {
		ratio := (*l.InvoiceMonthly + *l.MonthlyCost) / *l.InvoiceMonthly
		l.CostRatio = &ratio
	}
	l.PRCoverage = s.Coverage(FeedPullRequests)
	for _, pr := range s.PullRequests() {
		if mergedIn(pr, w) {
			l.InfraMerged++
		}
	}
	if l.PRCoverage.Completeness == Complete {
		// Both counts come from the same source: a partial one leaves out
		// an unknown share of each, so no share is better than a wrong one.
		l.MergedPRs = s.MergedPRs()
	}
	return l
}

// Category returns the drag of category c.
func (l Ledger) Category(c Category) CategoryDrag {
	for _, cd := range l.Categories {
		if cd.Category == c {
			return cd
		}
	}
	return CategoryDrag{Category: c}
}

// InfraShare is infra PRs merged / all PRs merged in the window; nil when
// the merged total is unknown or zero.
func (l Ledger) InfraShare() *float64 {
	if l.MergedPRs == nil || *l.MergedPRs == 0 {
		return nil
	}
	share := float64(l.InfraMerged) / float64(*l.MergedPRs)
	return &share
}

func pipelineDrag(ps []Pipeline, a Assumptions, w Window) CategoryDrag {
	cd := CategoryDrag{Category: CatPipelines}
	for _, p := range ps {
		if l, ok := pipelineLine(p, a, w); ok {
			cd.add(l)
		}
	}
	return cd
}

// pipelineLine is one pipeline's charge over w; false when it cost nothing.
func pipelineLine(p Pipeline, a Assumptions, w Window) (LedgerLine, bool) {
	if len(p.FailedAt) > 0 {
		p.Failures = countIn(p.FailedAt, w)
	}
	if p.Failures == 0 && p.Reruns == 0 {
		return LedgerLine{}, false
	}
	minutes := float64(p.Failures)*a.PipelineFailureMinutes + float64(p.Reruns)*a.PipelineRerunMinutes
	var terms []string
	if p.Failures > 0 {
		terms = append(terms, fmt.Sprintf("%s × %s min", Plural(p.Failures, "failure"), FormatNumber(a.PipelineFailureMinutes)))
	}
	if p.Reruns > 0 {
		terms = append(terms, fmt.Sprintf("%s × %s min", Plural(p.Reruns, "rerun"), FormatNumber(a.PipelineRerunMinutes)))
	}
	return LedgerLine{
		Subject: pipelineSubject(p),
		Formula: strings.Join(terms, " + ") + " = " + FormatNumber(minutes) + " min",
		Hours:   minutes / 60,
	}, true
}

func pipelineSubject(p Pipeline) string {
	s := p.Scope + " · " + p.Name
	if p.Branch != "" {
		s += " (" + p.Branch + ")"
	}
	return s
}

func alarmDrag(as []Alarm, a Assumptions, loc *time.Location, w Window) CategoryDrag {
	cd := CategoryDrag{Category: CatAlarms}
	for _, al := range as {
		if l, ok := alarmLine(al, a, loc, w); ok {
			cd.add(l)
		}
	}
	return cd
}

// alarmLine is one alarm's charge over w; false when it cost nothing.
func alarmLine(al Alarm, a Assumptions, loc *time.Location, w Window) (LedgerLine, bool) {
	al.Transitions = slices.DeleteFunc(slices.Clone(al.Transitions), func(t time.Time) bool { return !w.Contains(t) })
	c := CountPages(al, loc)
	if c.Total == 0 {
		return LedgerLine{}, false
	}
	minutes := float64(c.Business)*a.AlarmMinutes +
		float64(c.OffHours)*a.AlarmMinutes*a.OffHoursMultiplier +
		float64(c.Sleep)*a.AlarmMinutes*a.SleepHoursMultiplier
	var terms []string
	if c.Business > 0 {
		terms = append(terms, fmt.Sprintf("%d business × %s min", c.Business, FormatNumber(a.AlarmMinutes)))
	}
	if c.OffHours > 0 {
		terms = append(terms, fmt.Sprintf("%d off-hours × %s min × %s", c.OffHours, FormatNumber(a.AlarmMinutes), FormatNumber(a.OffHoursMultiplier)))
	}
	if c.Sleep > 0 {
		terms = append(terms, fmt.Sprintf("%d sleep × %s min × %s", c.Sleep, FormatNumber(a.AlarmMinutes), FormatNumber(a.SleepHoursMultiplier)))
	}
	return LedgerLine{
		Subject: al.Name + " (" + al.Region + ")",
		Formula: strings.Join(terms, " + ") + " = " + FormatNumber(minutes) + " min",
		Hours:   minutes / 60,
	}, true
}

func prDrag(prs []PullRequest, a Assumptions, w Window) CategoryDrag {
	cd := CategoryDrag{Category: CatInfraPRs}
	for _, pr := range prs {
		if l, ok := prLine(pr, a, w); ok {
			cd.add(l)
		}
	}
	return cd
}

// prLine is one infra PR's charge over w; false unless it was merged in w.
func prLine(pr PullRequest, a Assumptions, w Window) (LedgerLine, bool) {
	if !mergedIn(pr, w) {
		return LedgerLine{}, false
	}
	return LedgerLine{
		Subject: fmt.Sprintf("%s#%d %s", pr.Repo, pr.Number, pr.Title),
		Formula: fmt.Sprintf("1 merged infra PR × %s h", FormatNumber(a.InfraPRHours)),
		Hours:   a.InfraPRHours,
	}, true
}

func (cd *CategoryDrag) add(l LedgerLine) {
	cd.Lines = append(cd.Lines, l)
	cd.WindowHours += l.Hours
}

// currenciesMatch reports whether the invoice and the team's hourly cost are
// in the same currency (an empty code means USD).
func (l Ledger) currenciesMatch() bool {
	return strings.EqualFold(cmp.Or(l.InvoiceCurrency, "USD"), cmp.Or(l.Team.Currency, "USD"))
}

// mergedIn reports whether pr was merged inside w; a merged PR without a
// merge time is taken as the collector reported it, in the window.
func mergedIn(pr PullRequest, w Window) bool {
	return pr.State == PRMerged && (pr.MergedAt == nil || w.Contains(*pr.MergedAt))
}

// countIn counts the moments inside w.
func countIn(ts []time.Time, w Window) int {
	n := 0
	for _, t := range ts {
		if w.Contains(t) {
			n++
		}
	}
	return n
}
