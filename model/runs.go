package model

import (
	"slices"
	"time"
)

// Conclusion is how a pipeline run ended.
type Conclusion string

// Run conclusions. Cancelled and skipped runs are neither failures nor
// successes: they do not change whether a pipeline is red.
const (
	Success   Conclusion = "success"
	Failure   Conclusion = "failure"
	Cancelled Conclusion = "cancelled"
	Skipped   Conclusion = "skipped"
	// InProgress marks a run that has not completed.
	InProgress Conclusion = ""
)

// Run is one completed (or in-flight) run of a pipeline on one branch.
type Run struct {
	Conclusion Conclusion
	// Attempt is the attempt number; above 1 means the run was re-run, and
	// SummarizeRuns counts Attempt-1 re-runs for it. When earlier attempts
	// of the same run are passed too (a failure re-run to green shows only
	// there), pass them with Attempt 1 so no re-run is counted twice.
	Attempt int
	// CompletedAt is when the run finished; zero while in progress.
	CompletedAt time.Time
	URL         string
	// RerunBy names who started attempts 2..Attempt, where the source
	// said (GitHub's triggering_actor of each attempt).
	RerunBy []string
}

// RunSummary is what a pipeline's runs add up to over a window.
type RunSummary struct {
	Failing       bool
	FailingSince  *time.Time
	Failures      int
	Reruns        int
	RedHours      float64
	LastFailureAt *time.Time
	// FailedAt are the completion times of the failed runs in the window,
	// oldest first, so history can keep them beyond the API's retention.
	FailedAt []time.Time
	// RerunBy names who started the re-runs counted in Reruns, where known.
	RerunBy []string
	// LastURL links to the most recent failed run, or the latest run.
	LastURL string
}

// SummarizeRuns computes failures, reruns, red time and whether the
// pipeline is failing now from its runs. Pass the runs in the window plus the
// last completed run before it, so a red streak that began earlier is
// clipped in rather than lost. Red time runs from a failure until the next
// success, clipped to the window; consecutive failures extend one streak
// rather than adding up.
func SummarizeRuns(runs []Run, w Window) RunSummary {
	done := slices.DeleteFunc(slices.Clone(runs), func(r Run) bool { return r.CompletedAt.IsZero() })
	slices.SortStableFunc(done, func(a, b Run) int { return a.CompletedAt.Compare(b.CompletedAt) })

	var s RunSummary
	var redFrom *time.Time
	for _, r := range done {
		if r.CompletedAt.After(w.Until) {
			break
		}
		in := w.Contains(r.CompletedAt)
		if in && r.Attempt > 1 {
			s.Reruns += r.Attempt - 1
			for _, who := range r.RerunBy {
				if who != "" {
					s.RerunBy = append(s.RerunBy, who)
				}
			}
		}
		switch r.Conclusion {
		case Failure:
			if in {
				s.Failures++
				s.FailedAt = append(s.FailedAt, r.CompletedAt)
				at := r.CompletedAt
				s.LastFailureAt = &at
				s.LastURL = r.URL
			}
			if redFrom == nil {
				at := r.CompletedAt
				redFrom = &at
			}
		case Success:
			if redFrom != nil {
				s.RedHours += w.Clip(*redFrom, r.CompletedAt)
				redFrom = nil
			}
		}
		if s.LastURL == "" || (r.Conclusion != Failure && s.LastFailureAt == nil) {
			s.LastURL = r.URL
		}
	}
	if redFrom != nil {
		s.RedHours += w.Clip(*redFrom, w.Until)
		s.Failing = true
		s.FailingSince = redFrom
	}
	return s
}

// Fill returns p with the summary's figures set.
func (s RunSummary) Fill(p Pipeline) Pipeline {
	p.Failing, p.FailingSince = s.Failing, s.FailingSince
	p.Failures, p.Reruns, p.RedHours = s.Failures, s.Reruns, s.RedHours
	p.RerunBy = s.RerunBy
	p.LastFailureAt, p.FailedAt = s.LastFailureAt, s.FailedAt
	return p
}
