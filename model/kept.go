package model

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// AlarmRef identifies a CloudWatch alarm across refreshes.
type AlarmRef struct {
	Account string
	Region  string
	Name    string
}

// PipelineRef identifies a watched pipeline on one branch across refreshes.
type PipelineRef struct {
	Provider Provider
	Scope    string
	Name     string
	Branch   string
}

// Place is an AWS account and region.
type Place struct {
	Account string
	Region  string
}

// AlarmReach is what one collection read of one place's alarms: the
// alarms in ALARM at Until were listed, and every transition into ALARM
// from From to Until was read from the alarm history. From is zero when
// the history could not be read at all.
type AlarmReach struct {
	Place
	From  time.Time
	Until time.Time
}

// Kept is what the history saved of past signals: every transition into
// ALARM and every failed run, kept after the APIs have forgotten them
// (CloudWatch keeps alarm history for 14 days), and which stretches of each
// place's alarm history saved collections read.
type Kept struct {
	Transitions map[AlarmRef][]time.Time
	Failures    map[PipelineRef][]time.Time
	// AlarmHistory are the stretches of each place's alarm history that
	// saved collections read in full: every transition into ALARM in them
	// is in Transitions.
	AlarmHistory map[Place][]Window
}

// sameMoment is how close two records of one event may be: the current
// state and the history API can report the same transition a few
// milliseconds apart.
const sameMoment = time.Second

// WithKept returns d with the kept transitions and failures inside w added,
// so a window longer than the APIs' memory still counts them. A moment
// already reported is not counted twice. Kept transitions go to the alarms
// d reports and, where d listed a place's alarms (AlarmReach), to the
// alarms of that place d no longer reports: quiet now, they paged in the
// window all the same. Such an alarm's state is unknown (d says only that
// it is not in ALARM). Nothing is invented for a place d did not read, or
// for a pipeline d does not report.
func (d Data) WithKept(k Kept, w Window) Data {
	out := d
	if len(k.Transitions) > 0 && (len(d.Alarms) > 0 || len(d.AlarmReach) > 0) {
		out.Alarms = slices.Clone(d.Alarms)
		reported := map[AlarmRef]bool{}
		for i, a := range out.Alarms {
			ref := AlarmRef{a.Account, a.Region, a.Name}
			reported[ref] = true
			out.Alarms[i].Transitions = union(a.Transitions, k.Transitions[ref], w)
		}
		out.Alarms = append(out.Alarms, d.keptOnly(k, w, reported)...)
	}
	if len(k.Failures) > 0 && len(d.Pipelines) > 0 {
		out.Pipelines = slices.Clone(d.Pipelines)
		for i, p := range out.Pipelines {
			kept := k.Failures[PipelineRef{p.Provider, p.Scope, p.Name, p.Branch}]
			merged := union(p.FailedAt, kept, w)
			if added := len(merged) - len(p.FailedAt); added > 0 {
				q := &out.Pipelines[i]
				q.FailedAt, q.Failures = merged, p.Failures+added
				last := merged[len(merged)-1]
				if q.LastFailureAt == nil || last.After(*q.LastFailureAt) {
					q.LastFailureAt = &last
				}
			}
		}
	}
	return out
}

// keptOnly returns the alarms of the places d reached that paged in w by
// the kept history but that d does not report, by account, region and name.
func (d Data) keptOnly(k Kept, w Window, reported map[AlarmRef]bool) []Alarm {
	reached := map[Place]AlarmReach{}
	for _, r := range d.AlarmReach {
		reached[r.Place] = r
	}
	var out []Alarm
	for ref, kept := range k.Transitions {
		r, ok := reached[Place{ref.Account, ref.Region}]
		if !ok || reported[ref] {
			continue
		}
		if in := union(nil, kept, w); len(in) > 0 {
			out = append(out, Alarm{Account: ref.Account, Region: ref.Region, Name: ref.Name, Transitions: in, HistoryKnown: !r.From.IsZero()})
		}
	}
	slices.SortFunc(out, func(a, b Alarm) int {
		return cmp.Or(cmp.Compare(a.Account, b.Account), cmp.Compare(a.Region, b.Region), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// union adds the kept moments inside w to have, oldest first, skipping any
// within sameMoment of one already there.
func union(have, kept []time.Time, w Window) []time.Time {
	out := slices.Clone(have)
	for _, t := range kept {
		if !w.Contains(t) {
			continue
		}
		dup := slices.ContainsFunc(out, func(h time.Time) bool {
			d := t.Sub(h)
			return d < sameMoment && d > -sameMoment
		})
		if !dup {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	if len(out) == 0 {
		return have
	}
	return out
}

// AlarmHistoryGap is a stretch of a window in which one place's alarm
// history was read neither by the collection (CloudWatch keeps 14 days)
// nor by any saved one: an alarm that paged only then is not counted.
type AlarmHistoryGap struct {
	Place
	Since time.Time
	Until time.Time
}

// AlarmHistoryGaps returns, for every place whose alarm history d read, the
// stretches of w before what it read that the kept history does not cover,
// oldest first. A place whose history could not be read at all is left
// out: its collection says so already.
func (d Data) AlarmHistoryGaps(k Kept, w Window) []AlarmHistoryGap {
	var out []AlarmHistoryGap
	for _, r := range d.AlarmReach {
		if r.From.IsZero() || !r.From.After(w.Since) {
			continue
		}
		spans := slices.Clone(k.AlarmHistory[r.Place])
		slices.SortFunc(spans, func(a, b Window) int { return a.Since.Compare(b.Since) })
		from, until := w.Since, r.From
		for _, s := range spans {
			if !from.Before(until) {
				break
			}
			if s.Since.After(from) {
				out = append(out, AlarmHistoryGap{Place: r.Place, Since: from, Until: earliest(s.Since, until)})
			}
			if s.Until.After(from) {
				from = s.Until
			}
		}
		if from.Before(until) {
			out = append(out, AlarmHistoryGap{Place: r.Place, Since: from, Until: until})
		}
	}
	slices.SortStableFunc(out, func(a, b AlarmHistoryGap) int { return a.Since.Compare(b.Since) })
	return out
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// AlarmHistoryWarnings says what the gaps leave out: one warning per
// stretch, naming the places it concerns, in the window's time zone.
func AlarmHistoryWarnings(gaps []AlarmHistoryGap) []string {
	type stretch struct{ since, until time.Time }
	var order []stretch
	places := map[stretch][]Place{}
	for _, g := range gaps {
		s := stretch{g.Since, g.Until}
		i := slices.IndexFunc(order, func(o stretch) bool { return o.since.Equal(s.since) && o.until.Equal(s.until) })
		if i < 0 {
			order = append(order, s)
		} else {
			s = order[i]
		}
		places[s] = append(places[s], g.Place)
	}
	out := make([]string, 0, len(order))
	for _, s := range order {
		span := Window{Since: s.since, Until: s.until.In(s.since.Location())}
		out = append(out, fmt.Sprintf("alarm history of %s not read: it is beyond CloudWatch's 14 days and no collection saved in opsdrag's history read it, "+
			"so alarms that paged only then are not counted (lower bound) (%s)", span, PlaceList(places[s])))
	}
	return out
}

// PlaceList names places for people, grouped by account: "111111111111
// us-east-1, eu-west-1; 222222222222 us-east-1".
func PlaceList(ps []Place) string {
	var accounts []string
	regions := map[string][]string{}
	for _, p := range ps {
		if _, ok := regions[p.Account]; !ok {
			accounts = append(accounts, p.Account)
		}
		if !slices.Contains(regions[p.Account], p.Region) {
			regions[p.Account] = append(regions[p.Account], p.Region)
		}
	}
	parts := make([]string, 0, len(accounts))
	for _, a := range accounts {
		parts = append(parts, strings.TrimSpace(a+" "+strings.Join(regions[a], ", ")))
	}
	return strings.Join(parts, "; ")
}
