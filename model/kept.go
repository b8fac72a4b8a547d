package model

import (
	"slices"
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

// Kept is what the history saved of past signals: every transition into
// ALARM and every failed run, kept after the APIs have forgotten them
// (CloudWatch keeps alarm history for about two weeks).
type Kept struct {
	Transitions map[AlarmRef][]time.Time
	Failures    map[PipelineRef][]time.Time
}

// sameMoment is how close two records of one event may be: the current
// state and the history API can report the same transition a few
// milliseconds apart.
const sameMoment = time.Second

// WithKept returns d with the kept transitions and failures inside w added
// to the alarms and pipelines it reports, so a window longer than the APIs'
// memory still counts them. A moment already reported is not counted twice;
// signals d does not report are not invented.
func (d Data) WithKept(k Kept, w Window) Data {
	out := d
	if len(k.Transitions) > 0 && len(d.Alarms) > 0 {
		out.Alarms = slices.Clone(d.Alarms)
		for i, a := range out.Alarms {
			kept := k.Transitions[AlarmRef{a.Account, a.Region, a.Name}]
			out.Alarms[i].Transitions = union(a.Transitions, kept, w)
		}
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
