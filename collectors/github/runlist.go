package github

import (
	"context"
	"fmt"
	"strconv"
	"time"

	gh "github.com/google/go-github/v93/github"
	"golang.org/x/sync/errgroup"

	"github.com/opsdrag/opsdrag/collectors"
)

// maxFilteredRuns is how many results GitHub returns for a workflow runs
// list filtered by branch, created, event, head_sha, status or actor ("up
// to 1,000 results for each search"); paging silently ends there.
const maxFilteredRuns = 1000

// reRunReach is how long before the window's first day runs are read.
// GitHub lets a run be re-run up to 30 days after it was created and keeps
// its created_at, so a run re-run in the window was created at most 30 days
// before it; the 31st day covers a re-run that ran across midnight.
const reRunReach = 31 * 24 * time.Hour

// createdRange is a half-open range of creation times [from, to); a zero to
// leaves it open towards now.
type createdRange struct{ from, to time.Time }

// query is the range as the API's created qualifier. Bounds are whole days
// (or hours, minutes) so the URL stays the same between refreshes and an
// unchanged page is answered by a 304.
func (c createdRange) query() string {
	if c.to.IsZero() {
		return ">=" + c.from.UTC().Format(time.RFC3339)
	}
	return c.from.UTC().Format(time.RFC3339) + ".." + c.to.Add(-time.Second).UTC().Format(time.RFC3339)
}

// split cuts the range in two at a round time near its middle; ok is false
// when it is one second wide and cannot be cut. end stands for an open end.
func (c createdRange) split(end time.Time) (older, newer createdRange, ok bool) {
	to := c.to
	if to.IsZero() {
		to = end
	}
	mid := c.from.Add(to.Sub(c.from) / 2)
	for _, g := range []time.Duration{24 * time.Hour, time.Hour, time.Minute, time.Second} {
		if t := mid.Truncate(g); t.After(c.from) && t.Before(to) {
			return createdRange{c.from, t}, createdRange{t, c.to}, true
		}
	}
	return c, c, false
}

// listRuns lists one page of a branch's runs created in a range.
type listRuns func(ctx context.Context, created string, page int) (*gh.WorkflowRuns, *gh.Response, error)

// capped describes runs that could not be read because more than 1,000 were
// created within one second.
type capped struct {
	rng   createdRange
	total int
}

// runsCreated reads every run created in rng. A range with 1,000 runs or
// more is read as two narrower ones instead, recursively, so the cap never
// hides a run; only when over 1,000 runs share one second are the rest
// left out, and reported in capped.
func runsCreated(ctx context.Context, list listRuns, rng createdRange, end time.Time) ([]*gh.WorkflowRun, []capped, error) {
	first, resp, err := list(ctx, rng.query(), 1)
	if err != nil {
		return nil, nil, err
	}
	total := first.GetTotalCount()
	if total >= maxFilteredRuns {
		if older, newer, ok := rng.split(end); ok {
			var (
				runs [2][]*gh.WorkflowRun
				caps [2][]capped
			)
			g, gctx := errgroup.WithContext(ctx)
			for i, part := range []createdRange{newer, older} {
				g.Go(func() (err error) {
					defer collectors.Recover(gctx)
					runs[i], caps[i], err = runsCreated(gctx, list, part, end)
					return err
				})
			}
			if err := g.Wait(); err != nil {
				return nil, nil, err
			}
			return append(runs[0], runs[1]...), append(caps[0], caps[1]...), nil
		}
	}
	var cps []capped
	if total > maxFilteredRuns {
		cps = append(cps, capped{rng: rng, total: total})
	}
	pages := make([][]*gh.WorkflowRun, max(resp.LastPage, 1)+1)
	pages[1] = first.WorkflowRuns
	g, gctx := errgroup.WithContext(ctx)
	for p := 2; p <= resp.LastPage; p++ {
		g.Go(func() error {
			defer collectors.Recover(gctx)
			res, _, err := list(gctx, rng.query(), p)
			pages[p] = res.GetWorkflowRuns()
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	var all []*gh.WorkflowRun
	for _, p := range pages {
		all = append(all, p...)
	}
	return all, cps, nil
}

// cappedWarning says which runs the cap left out and what that means.
func cappedWarning(repo, branch string, c capped) string {
	return fmt.Sprintf("%s: %s runs on %s were created at %s, and GitHub returns at most 1,000 runs for a filtered list: "+
		"%s of them were not read (failures, re-runs and red time are a lower bound)",
		repo, thousands(c.total), branch, c.rng.from.UTC().Format("2006-01-02 15:04:05 MST"), thousands(c.total-maxFilteredRuns))
}

// thousands writes n with comma separators: 1,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}
