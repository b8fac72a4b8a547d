package model

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// TriageGroup orders the triage list: worst first.
type TriageGroup int

// Triage groups, in the order the list shows them.
const (
	// FiringNow is an alarm in ALARM right now.
	FiringNow TriageGroup = iota
	// FailingNow is a pipeline whose latest run failed.
	FailingNow
	// Recovered is an alarm or pipeline that fired or failed since the
	// triage start and is fine again.
	Recovered
	// WaitingReview is an open infra PR, longest waiting first.
	WaitingReview
)

// String names the group for headings.
func (g TriageGroup) String() string {
	switch g {
	case FiringNow:
		return "Alarms firing now"
	case FailingNow:
		return "Pipelines failing now"
	case Recovered:
		return "Fired or failed, recovered since"
	default:
		return "Infra PRs waiting for review"
	}
}

// TriageItem is one line of the Monday-morning list: what, where, since
// when, how many times, and where to look.
type TriageItem struct {
	Group TriageGroup
	// ID is stable across refreshes, for marking an item handled.
	ID    string
	What  string
	Where string
	// Since is when it started: firing, failing, last fired, or opened.
	Since *time.Time
	// Times counts transitions into ALARM or failed runs since the start.
	Times int
	// SleepPages and OffHourPages call out alarms that woke or bothered
	// someone.
	SleepPages   int
	OffHourPages int
	// Reason is why an alarm is in its state, as CloudWatch says it.
	Reason string
	URL    string
}

// Broken counts what is broken right now, each count with how far it can
// be trusted: zero firing alarms means nothing only when the alarms were
// all read.
type Broken struct {
	Firing         int
	FiringCoverage Coverage
	Failing        int
	// FailingCoverage is the pipelines' coverage.
	FailingCoverage Coverage
}

// BrokenNow counts the alarms firing and the pipelines failing now.
func BrokenNow(s Snapshot) Broken {
	b := Broken{FiringCoverage: s.Coverage(FeedAlarms), FailingCoverage: s.Coverage(FeedPipelines)}
	for _, a := range s.Alarms() {
		if a.Firing() {
			b.Firing++
		}
	}
	for _, p := range s.Pipelines() {
		if p.Failing {
			b.Failing++
		}
	}
	return b
}

// Summary is a one-line description of how often and when, for lists.
func (it TriageItem) Summary() string {
	switch it.Group {
	case WaitingReview:
		return "waiting for review"
	case FailingNow, FiringNow:
		s := Plural(it.Times, "time")
		if it.Times == 0 {
			s = "still " + map[TriageGroup]string{FiringNow: "firing", FailingNow: "failing"}[it.Group]
		}
		return appendPages(s, it)
	default:
		return appendPages(Plural(it.Times, "time"), it)
	}
}

func appendPages(s string, it TriageItem) string {
	if it.SleepPages > 0 {
		s += fmt.Sprintf(", %d in sleep hours", it.SleepPages)
	}
	if it.OffHourPages > 0 {
		s += fmt.Sprintf(", %d off-hours", it.OffHourPages)
	}
	return s
}

// TriageStart is the end of the previous working day in loc: on Monday (and
// at the weekend) Friday 18:00, on other weekdays yesterday 18:00.
func TriageStart(now time.Time, loc *time.Location) time.Time {
	local := now.In(loc)
	y, m, d := local.Date()
	for back := 1; ; back++ {
		day := time.Date(y, m, d-back, EndOfDayHour, 0, 0, 0, loc)
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return day
		}
	}
}

// WorkingMorning reports whether now is a working-day morning in loc
// (Monday to Friday, 05:00 to noon): when someone opening opsdrag has come
// to triage what broke since the previous working day.
func WorkingMorning(now time.Time, loc *time.Location) bool {
	local := now.In(loc)
	wd := local.Weekday()
	return wd != time.Saturday && wd != time.Sunday && local.Hour() >= 5 && local.Hour() < 12
}

// Triage orders what the snapshot holds for the on-call engineer: alarms
// firing now, pipelines failing now, what fired or failed and recovered
// (pages in sleep hours first), then open infra PRs waiting longest. Only
// what happened from since on counts; the snapshot's window should cover it.
func Triage(s Snapshot, since time.Time, loc *time.Location) []TriageItem {
	var items []TriageItem
	for _, a := range s.Alarms() {
		a.Transitions = slices.DeleteFunc(slices.Clone(a.Transitions), func(t time.Time) bool { return t.Before(since) })
		c := CountPages(a, loc)
		if !a.Firing() && c.Total == 0 {
			continue
		}
		it := TriageItem{
			ID: "alarm:" + a.Account + "/" + a.Region + "/" + a.Name, What: a.Name, Where: a.Account + " " + a.Region,
			Since: a.Since, Times: c.Total, SleepPages: c.Sleep, OffHourPages: c.OffHours, Reason: a.Reason, URL: a.URL,
		}
		if a.Firing() {
			it.Group = FiringNow
		} else {
			it.Group = Recovered
			if n := len(a.Transitions); n > 0 {
				last := a.Transitions[n-1]
				it.Since = &last
			}
		}
		items = append(items, it)
	}
	for _, p := range s.Pipelines() {
		failures := failuresSince(p, since)
		if !p.Failing && failures == 0 {
			continue
		}
		what := p.Name
		if p.Branch != "" {
			what += " (" + p.Branch + ")"
		}
		it := TriageItem{
			ID: "pipeline:" + string(p.Provider) + "/" + p.Scope + "/" + p.Name + "/" + p.Branch, What: what, Where: p.Scope,
			Since: p.LastFailureAt, Times: failures, URL: p.URL, Group: Recovered,
		}
		if p.Failing {
			it.Group, it.Since = FailingNow, p.FailingSince
		}
		items = append(items, it)
	}
	for _, pr := range s.PullRequests() {
		if pr.State != PROpen || pr.Draft {
			continue
		}
		created := pr.CreatedAt
		items = append(items, TriageItem{
			Group: WaitingReview, ID: fmt.Sprintf("pr:%s#%d", pr.Repo, pr.Number),
			What: fmt.Sprintf("#%d %s", pr.Number, pr.Title), Where: pr.Repo, Since: &created, URL: pr.URL,
		})
	}
	slices.SortStableFunc(items, func(a, b TriageItem) int {
		if a.Group != b.Group {
			return cmp.Compare(a.Group, b.Group)
		}
		switch a.Group {
		case Recovered:
			// Whatever woke someone up comes first.
			return cmp.Or(cmp.Compare(b.SleepPages, a.SleepPages), cmp.Compare(b.OffHourPages, a.OffHourPages),
				cmp.Compare(b.Times, a.Times), cmp.Compare(a.ID, b.ID))
		default:
			// Longest-standing first: firing longest, red longest, waiting longest.
			return cmp.Or(timeOrZero(a.Since).Compare(timeOrZero(b.Since)), cmp.Compare(a.ID, b.ID))
		}
	})
	return items
}

// failuresSince counts a pipeline's failures from since on. Without
// per-failure times it can only tell whether the last one is recent.
func failuresSince(p Pipeline, since time.Time) int {
	if len(p.FailedAt) == 0 {
		if p.LastFailureAt != nil && !p.LastFailureAt.Before(since) {
			return p.Failures
		}
		return 0
	}
	n := 0
	for _, t := range p.FailedAt {
		if !t.Before(since) {
			n++
		}
	}
	return n
}
