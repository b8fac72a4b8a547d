package github

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gh "github.com/google/go-github/v93/github"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

// Collect reports, for every watched repository and branch, each workflow
// that failed in the window, is failing now, was re-run in it or was red
// during it, with its failures, re-runs and red time (model.SummarizeRuns).
//
// Per repository and branch it reads every run created from 31 days before
// the window's UTC day on (a run re-run in the window keeps its created_at
// and can be at most 30 days older), in narrower created ranges where one
// would pass GitHub's 1,000-result cap; plus, for each active workflow with
// no decisive run before the window in that reach, one small query for its
// last one — so a red streak that began before the window is clipped in.
// Earlier attempts of re-run runs are fetched (once ever: they are final)
// because a failure re-run to green is visible only there. The workflow
// list comes from the catalog the last refresh kept, brought up to date by
// one GraphQL query for 25 repositories. Query URLs depend on the day, not
// the exact window, so a refresh is answered by 304s.
func (c *actionsCollector) Collect(ctx context.Context, w model.Window) (collectors.Result, error) {
	ctx, run := c.s.begin(ctx)
	found, p, repos, read, err := eachBatch(ctx, c.s, w, c.Name(), workflowsBatch, func(ctx context.Context, cl *gh.Client, rs []repo, p *problems, done func(int, []model.Pipeline, bool)) {
		lists := make([]*workflows, len(rs))
		for i, r := range rs {
			lists[i] = c.newWorkflows(cl, r, p)
		}
		c.cataloged(ctx, cl, rs, lists)
		var wg sync.WaitGroup
		for i, r := range rs {
			wg.Go(func() {
				defer collectors.Recover(ctx)
				res, good := c.repo(ctx, cl, r, w, lists[i], p)
				done(i, res, good)
			})
		}
		wg.Wait()
	}, func(found [][]model.Pipeline) model.Data {
		return model.Data{Pipelines: sortPipelines(slices.Concat(found...))}
	})
	if err != nil {
		return collectors.Result{Usage: run.usage()}, err
	}
	return finish(p, model.Data{Pipelines: sortPipelines(slices.Concat(found...))}, repos, read, run.usage())
}

// sortPipelines orders pipelines by repository, name and branch.
func sortPipelines(pipes []model.Pipeline) []model.Pipeline {
	slices.SortFunc(pipes, func(a, b model.Pipeline) int {
		return cmp.Or(cmp.Compare(a.Scope, b.Scope), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Branch, b.Branch))
	})
	return pipes
}

// workflowsBatch is how many repositories share one GraphQL query for the
// names and states of their kept workflow catalogs.
const workflowsBatch = 25

func (c *actionsCollector) repo(ctx context.Context, cl *gh.Client, r repo, w model.Window, wfs *workflows, p *problems) ([]model.Pipeline, bool) {
	branches := c.s.cfg.Branches
	if len(branches) == 0 {
		branches = []string{cmp.Or(r.defaultBranch, "main")}
	}
	var wg sync.WaitGroup
	if wfs.byID == nil {
		// No catalog: list the workflows while the runs are listed.
		wg.Go(func() {
			defer collectors.Recover(ctx)
			wfs.get(ctx)
		})
	}
	out := make([][]model.Pipeline, len(branches))
	good := make([]bool, len(branches))
	for i, br := range branches {
		wg.Go(func() {
			defer collectors.Recover(ctx)
			out[i], good[i] = c.branch(ctx, cl, r, br, w, wfs, p)
		})
	}
	wg.Wait()
	return slices.Concat(out...), slices.Contains(good, true)
}

// dayStart is the start of t's UTC day: query URLs built from it stay the
// same all day, so refreshes can be answered by 304s.
func dayStart(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

func (c *actionsCollector) branch(ctx context.Context, cl *gh.Client, r repo, br string, w model.Window, wfs *workflows, p *problems) ([]model.Pipeline, bool) {
	reach := dayStart(w.Since).Add(-reRunReach)
	list := func(ctx context.Context, created string, page int) (*gh.WorkflowRuns, *gh.Response, error) {
		return cl.Actions.ListRepositoryWorkflowRuns(ctx, r.owner, r.name, &gh.ListWorkflowRunsOptions{
			Branch: br, Created: created, ExcludePullRequests: true, ListOptions: gh.ListOptions{Page: page, PerPage: 100}})
	}
	runs, caps, err := runsCreated(ctx, list, createdRange{from: reach}, dayStart(w.Until).Add(24*time.Hour))
	if err != nil {
		p.add(err, "list workflow runs on "+br, r.full(), needActions)
		return nil, false
	}
	for _, cp := range caps {
		p.warnf("%s", cappedWarning(r.full(), br, cp))
	}
	runs = slices.DeleteFunc(runs, func(run *gh.WorkflowRun) bool { return !onBranch(run, br) })

	// Earlier attempts (of runs in the window) and last runs before the
	// window (of workflows not seen yet) are independent: ask for both at once.
	var (
		attempts map[int64][]attempt
		before   []*gh.WorkflowRun
		wg       sync.WaitGroup
	)
	wg.Go(func() {
		defer collectors.Recover(ctx)
		attempts = c.earlierAttempts(ctx, cl, r, runs, w.Since, p)
	})
	ids := make([]int64, len(runs))
	for i, run := range runs {
		ids[i] = run.GetWorkflowID()
	}
	byID := wfs.get(ctx, ids...)
	wg.Go(func() {
		defer collectors.Recover(ctx)
		if byID != nil {
			before = c.baselines(ctx, cl, r, br, w.Since, reach, runs, byID, p)
		}
	})
	wg.Wait()
	runs = append(runs, before...)

	byWorkflow := map[int64][]model.Run{}
	names := map[int64]string{}
	for _, run := range runs {
		id := run.GetWorkflowID()
		names[id] = run.GetName()
		byWorkflow[id] = append(byWorkflow[id], toRuns(run, attempts[run.GetID()])...)
	}
	var out []model.Pipeline
	for id, rs := range byWorkflow {
		sum := model.SummarizeRuns(rs, w)
		wf, listed := byID[id]
		if listed && wf.State != "active" {
			sum = disabled(sum, w)
		}
		if sum.Failures == 0 && sum.Reruns == 0 && sum.RedHours == 0 && !sum.Failing {
			continue
		}
		name := names[id]
		if listed {
			name = cmp.Or(wf.Name, name)
		}
		out = append(out, sum.Fill(model.Pipeline{
			Provider: model.GitHubActions, Scope: r.full(), Name: name, Branch: br, URL: sum.LastURL,
		}))
	}
	return out, true
}

// disabled adjusts a disabled workflow's summary: it cannot run, so it is
// not failing now, and the red streak it was left in is not charged (GitHub
// does not say when it was disabled); its failures, re-runs and red time
// that ended in the window still count.
func disabled(sum model.RunSummary, w model.Window) model.RunSummary {
	if sum.Failing {
		sum.RedHours -= w.Clip(*sum.FailingSince, w.Until)
		if sum.RedHours < 1e-9 {
			sum.RedHours = 0
		}
		sum.Failing, sum.FailingSince = false, nil
	}
	return sum
}

// onBranch keeps the runs of the watched branch itself: a pull request from
// a fork's branch of the same name is listed under that name too.
func onBranch(run *gh.WorkflowRun, br string) bool {
	switch run.GetEvent() {
	case "pull_request", "pull_request_target":
		return false
	}
	return run.GetHeadBranch() == br
}

// decisive reports whether a run's conclusion makes a workflow green or
// red; cancelled and skipped runs do neither.
func decisive(run *gh.WorkflowRun) bool {
	c := conclusion(run.GetStatus(), run.GetConclusion())
	return c == model.Success || c == model.Failure
}

// baselines finds, for each active workflow, its last decisive run before
// the window when the runs read so far (those created since reach) do not
// show it, so red time that began before the window is counted from the
// window's start. Runs created before reach can no longer have been re-run
// into the window, so they are final.
func (c *actionsCollector) baselines(ctx context.Context, cl *gh.Client, r repo, br string, since, reach time.Time,
	runs []*gh.WorkflowRun, active map[int64]workflow, p *problems) []*gh.WorkflowRun {
	have := map[int64]bool{}
	seen := map[int64]bool{}
	for _, run := range runs {
		seen[run.GetID()] = true
		if decisive(run) && run.GetUpdatedAt().Before(since) {
			have[run.GetWorkflowID()] = true
		}
	}
	var (
		mu  sync.Mutex
		out []*gh.WorkflowRun
		wg  sync.WaitGroup
	)
	for id, wf := range active {
		if have[id] || wf.State != "active" {
			continue
		}
		wg.Go(func() {
			defer collectors.Recover(ctx)
			res, _, err := cl.Actions.ListWorkflowRunsByID(ctx, r.owner, r.name, id, &gh.ListWorkflowRunsOptions{
				Branch: br, Status: "completed", Created: "<" + reach.UTC().Format(time.RFC3339),
				ExcludePullRequests: true, ListOptions: gh.ListOptions{PerPage: 10}})
			if err != nil {
				p.add(err, fmt.Sprintf("read the last run of workflow %q on %s", wf.Name, br), r.full(), needActions)
				return
			}
			for _, run := range res.GetWorkflowRuns() {
				if onBranch(run, br) && decisive(run) && !seen[run.GetID()] {
					mu.Lock()
					out = append(out, run)
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	return out
}

// attempt is an earlier, final attempt of a re-run run.
type attempt struct {
	Status     string    `json:"status"`
	Conclusion string    `json:"conclusion"`
	Completed  time.Time `json:"completed"`
	// By is who started the attempt (its triggering_actor); empty when
	// unknown, as in attempts kept before it was read.
	By string `json:"by,omitempty"`
}

// earlierAttempts fetches attempts 1..n-1 of every run re-run to its n-th
// attempt that ended in the window or is still going; by run ID. A run
// whose attempts could not all be read is left out of the map.
func (c *actionsCollector) earlierAttempts(ctx context.Context, cl *gh.Client, r repo, runs []*gh.WorkflowRun, since time.Time, p *problems) map[int64][]attempt {
	out := map[int64][]attempt{}
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	for _, run := range runs {
		n := run.GetRunAttempt()
		if n < 2 || (run.GetStatus() == "completed" && run.GetUpdatedAt().Before(since)) {
			continue
		}
		got := make([]attempt, n-1)
		var failed atomic.Bool
		var rw sync.WaitGroup
		for k := 1; k < n; k++ {
			rw.Go(func() {
				defer collectors.Recover(ctx)
				a, err := c.attempt(ctx, cl, r, run.GetID(), k)
				if err != nil {
					failed.Store(true)
					p.add(err, fmt.Sprintf("read attempt %d of run %d", k, run.GetID()), r.full(), needActions)
					return
				}
				got[k-1] = a
			})
		}
		wg.Go(func() {
			defer collectors.Recover(ctx)
			rw.Wait()
			if !failed.Load() {
				mu.Lock()
				out[run.GetID()] = got
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return out
}

func (c *actionsCollector) attempt(ctx context.Context, cl *gh.Client, r repo, runID int64, k int) (attempt, error) {
	key := fmt.Sprintf("%s|%s|%d|%d", c.s.baseKey(), strings.ToLower(r.full()), runID, k)
	var a attempt
	if c.s.store.get("run-attempts", key, &a) {
		return a, nil
	}
	run, _, err := cl.Actions.GetWorkflowRunAttempt(ctx, r.owner, r.name, runID, k, &gh.WorkflowRunAttemptOptions{ExcludePullRequests: ptr(true)})
	if err != nil {
		return attempt{}, err
	}
	a = attempt{Status: run.GetStatus(), Conclusion: run.GetConclusion(), Completed: run.GetUpdatedAt().Time, By: run.GetTriggeringActor().GetLogin()}
	if a.Status == "completed" {
		c.s.store.put("run-attempts", key, a)
	}
	return a, nil
}

// toRuns turns a run and its earlier attempts into model runs.
//
// model.SummarizeRuns adds Attempt-1 re-runs for each run it is given, so
// the run's latest attempt carries the attempt count and the earlier
// attempts carry 1: a run re-run twice counts two re-runs, once. The
// earlier attempts still count as failures and start red time, which is
// how a failure re-run to green shows up.
func toRuns(run *gh.WorkflowRun, earlier []attempt) []model.Run {
	var out []model.Run
	for i, a := range earlier {
		out = append(out, model.Run{
			Conclusion:  conclusion(a.Status, a.Conclusion),
			Attempt:     1,
			CompletedAt: a.Completed,
			URL:         fmt.Sprintf("%s/attempts/%d", run.GetHTMLURL(), i+1),
		})
	}
	last := model.Run{
		Conclusion: conclusion(run.GetStatus(), run.GetConclusion()),
		Attempt:    max(run.GetRunAttempt(), 1),
		URL:        run.GetHTMLURL(),
	}
	if last.Attempt > 1 {
		// Who started each re-run: attempts 2..n-1 from the earlier
		// attempts read, attempt n from the run itself (triggering_actor;
		// actor stays whoever started attempt 1).
		for i := 1; i < len(earlier); i++ {
			last.RerunBy = append(last.RerunBy, earlier[i].By)
		}
		last.RerunBy = append(last.RerunBy, run.GetTriggeringActor().GetLogin())
	}
	if run.GetStatus() == "completed" {
		// A workflow run has no completed_at; updated_at is when it finished.
		last.CompletedAt = run.GetUpdatedAt().Time
	}
	return append(out, last)
}

// conclusion maps a run's status and conclusion to the model's. Failures
// are what gh CLI counts as failure states (shared.IsFailureState):
// failure, timed_out, startup_failure and action_required — a run waiting
// for someone's approval holds the pipeline up until it is approved and
// passes. cancelled is its own conclusion; skipped, neutral, stale and
// anything GitHub may add later neither pass nor fail, so they neither start
// nor end red time. A run that has not completed has no conclusion yet.
func conclusion(status, c string) model.Conclusion {
	if status != "completed" {
		return model.InProgress
	}
	switch c {
	case "success":
		return model.Success
	case "failure", "timed_out", "startup_failure", "action_required":
		return model.Failure
	case "cancelled":
		return model.Cancelled
	}
	return model.Skipped
}
