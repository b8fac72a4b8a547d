package model

import (
	"cmp"
	"slices"
	"strings"
)

// CarryShare is the share of the named drag that Carriers counts the
// fewest people for: "3 people carry 80% of it".
const CarryShare = 0.8

// Carriers says how concentrated the drag is on a few people, from the
// signals that name them. It never says who: Loads are anonymous, largest
// first, so no view built on it can rank people by name.
type Carriers struct {
	// People counts the distinct people the signals name.
	People int
	// Loads are each person's hours per week, largest first.
	Loads []float64
	// Named is the drag the signals put on someone, in hours per week;
	// Total is the whole drag the ledger counted (alarms and failures name
	// nobody, so Named is at most Total).
	Named, Total float64
	// Carry is the fewest people whose loads add up to CarryShare of Named.
	Carry int
	// Unnamed are the charged signals that name nobody although they
	// could: re-runs whose starter GitHub did not report, merged PRs whose
	// reviews were not read. Their hours are not in Named.
	UnnamedReruns, UnreviewedPRs int
	// Bots counts the re-runs and reviews by automation accounts
	// ("…[bot]"), which are no one's load.
	Bots int
	// Coverage is how complete the signals are: those of the pipelines and
	// the infra PRs.
	Coverage Coverage
}

// ShareOfNamed is Named / Total, 0..1; nil when nothing was counted.
func (c Carriers) ShareOfNamed() *float64 {
	if c.Total <= 0 {
		return nil
	}
	s := c.Named / c.Total
	return &s
}

// PeopleLoad attributes the drag the ledger charges for signals that name
// people: each merged infra PR's hours are split evenly between its author
// and its reviewers, and each re-run's minutes go to whoever started it.
// These are the ledger's own charges (the same assumptions), so Named never
// exceeds the drag. Automation accounts carry nothing.
func PeopleLoad(s Snapshot, l Ledger) Carriers {
	a, w := l.Assumptions, s.Window
	load := map[string]float64{}
	c := Carriers{Coverage: s.Coverage(FeedPipelines, FeedPullRequests)}
	bot := func(login string) bool { return strings.HasSuffix(strings.ToLower(login), "[bot]") }
	for _, p := range s.Pipelines() {
		named := 0
		for _, who := range p.RerunBy {
			named++
			if bot(who) {
				c.Bots++
				continue
			}
			load[who] += a.PipelineRerunMinutes / 60
		}
		c.UnnamedReruns += max(p.Reruns-named, 0)
	}
	for _, pr := range s.PullRequests() {
		if !mergedIn(pr, w) {
			continue
		}
		var people []string
		if pr.Author != "" && !bot(pr.Author) {
			people = append(people, pr.Author)
		}
		for _, r := range pr.Reviewers {
			switch {
			case bot(r):
				c.Bots++
			case r != pr.Author && !slices.Contains(people, r):
				people = append(people, r)
			}
		}
		if !pr.ReviewsKnown {
			c.UnreviewedPRs++
		}
		for _, who := range people {
			load[who] += a.InfraPRHours / float64(len(people))
		}
	}
	for _, h := range load {
		c.Loads = append(c.Loads, h*l.WeekScale)
		c.Named += h * l.WeekScale
	}
	slices.SortFunc(c.Loads, func(x, y float64) int { return cmp.Compare(y, x) })
	c.People = len(c.Loads)
	if l.Coverage.Known() {
		c.Total = l.HoursPerWeek
	}
	sum := 0.0
	for i, h := range c.Loads {
		sum += h
		if sum >= CarryShare*c.Named-1e-9 {
			c.Carry = i + 1
			break
		}
	}
	return c
}
