package github

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/internal/ghfake"
	"github.com/opsdrag/opsdrag/model"
)

func ok(conclusion, started, completed string) ghfake.Attempt {
	return ghfake.Attempt{Conclusion: conclusion, Started: at(started), Completed: at(completed)}
}

// actionsScenario is acme/api on main, over the week before now
// (2026-11-18T14:00Z – 2026-11-25T14:00Z; the scan reaches back to the
// start of 2026-11-18 UTC).
func actionsScenario(f *ghfake.Server) {
	r := f.AddRepo("acme/api", ghfake.Repo{DefaultBranch: "main"})
	for _, w := range []ghfake.Workflow{
		{ID: 1, Name: "CI", Path: ".github/workflows/ci.yml"},
		{ID: 2, Name: "Deploy", Path: ".github/workflows/deploy.yml"},
		{ID: 3, Name: "Lint", Path: ".github/workflows/lint.yml"},
		{ID: 4, Name: "Nightly", Path: ".github/workflows/nightly.yml"},
		{ID: 5, Name: "PR checks", Path: ".github/workflows/pr.yml"},
		{ID: 6, Name: "Old", Path: ".github/workflows/old.yml", State: "disabled_manually"},
		{ID: 7, Name: "Boundary", Path: ".github/workflows/boundary.yml"},
		{ID: 8, Name: "E2E", Path: ".github/workflows/e2e.yml"},
	} {
		f.AddWorkflow(r, w)
	}
	run := func(id, wf int64, created string, attempts ...ghfake.Attempt) {
		f.AddRun(r, ghfake.Run{ID: id, WorkflowID: wf, Created: at(created), Attempts: attempts})
	}
	// 120 green CI runs before the window push Nightly's last run off the
	// first page: it must be found by the per-workflow fallback.
	for i := range 120 {
		c := at("2026-11-08T00:00:00Z").Add(time.Duration(i) * 108 * time.Minute)
		attempts := []ghfake.Attempt{{Conclusion: "success", Started: c, Completed: c.Add(10 * time.Minute)}}
		if i == 119 {
			// Re-run entirely before the window: its attempts are not read.
			attempts = []ghfake.Attempt{
				{Conclusion: "failure", Started: c, Completed: c.Add(10 * time.Minute)},
				{Conclusion: "success", Started: c.Add(time.Hour), Completed: c.Add(70 * time.Minute)},
			}
		}
		f.AddRun(r, ghfake.Run{ID: int64(1000 + i), WorkflowID: 1, Created: c, Attempts: attempts})
	}
	// CI: a failure re-run to green (2h red), then a failure still red at
	// the window's end; a cancelled run does not end the streak; a fork's
	// pull request from a branch named main does not count.
	run(2001, 1, "2026-11-19T09:00:00Z",
		ok("failure", "2026-11-19T09:00:00Z", "2026-11-19T09:10:00Z"),
		ok("success", "2026-11-19T11:00:00Z", "2026-11-19T11:10:00Z"))
	run(2002, 1, "2026-11-24T10:00:00Z", ok("failure", "2026-11-24T10:00:00Z", "2026-11-24T10:20:00Z"))
	run(2003, 1, "2026-11-24T12:00:00Z", ok("cancelled", "2026-11-24T12:00:00Z", "2026-11-24T12:05:00Z"))
	f.AddRun(r, ghfake.Run{ID: 2004, WorkflowID: 1, Event: "pull_request", Created: at("2026-11-24T13:00:00Z"),
		Attempts: []ghfake.Attempt{ok("failure", "2026-11-24T13:00:00Z", "2026-11-24T13:30:00Z")}})
	// Deploy: red since before the window, one more failure in it, then green.
	run(3000, 2, "2026-11-17T20:00:00Z", ok("failure", "2026-11-17T20:00:00Z", "2026-11-17T20:30:00Z"))
	run(3001, 2, "2026-11-18T16:00:00Z", ok("failure", "2026-11-18T16:00:00Z", "2026-11-18T16:30:00Z"))
	run(3002, 2, "2026-11-18T20:00:00Z", ok("success", "2026-11-18T20:00:00Z", "2026-11-18T20:30:00Z"))
	// Lint: cancelled and skipped runs are not failures.
	run(4000, 3, "2026-11-20T10:00:00Z", ok("cancelled", "2026-11-20T10:00:00Z", "2026-11-20T10:05:00Z"))
	run(4001, 3, "2026-11-20T11:00:00Z", ok("skipped", "2026-11-20T11:00:00Z", "2026-11-20T11:00:01Z"))
	run(4002, 3, "2026-11-20T12:00:00Z", ok("success", "2026-11-20T12:00:00Z", "2026-11-20T12:05:00Z"))
	// Nightly: last ran weeks ago and failed: failing now, red all window.
	run(5000, 4, "2026-11-05T02:00:00Z", ok("failure", "2026-11-05T02:00:00Z", "2026-11-05T02:30:00Z"))
	// Old: failed, but it is disabled.
	run(6000, 6, "2026-11-17T22:00:00Z", ok("failure", "2026-11-17T22:00:00Z", "2026-11-17T22:10:00Z"))
	// Boundary: a failure one second before the window is not counted but
	// starts red time at the window's start; one exactly at it is counted.
	run(7000, 7, "2026-11-18T13:50:00Z", ok("failure", "2026-11-18T13:50:00Z", "2026-11-18T13:59:59Z"))
	run(7001, 7, "2026-11-18T13:55:00Z", ok("failure", "2026-11-18T13:55:00Z", "2026-11-18T14:00:00Z"))
	run(7002, 7, "2026-11-18T15:00:00Z", ok("success", "2026-11-18T14:50:00Z", "2026-11-18T15:00:00Z"))
	// E2E: failed twice, third attempt green: two failures, two re-runs.
	run(8000, 8, "2026-11-21T10:00:00Z",
		ok("failure", "2026-11-21T10:00:00Z", "2026-11-21T10:10:00Z"),
		ok("failure", "2026-11-21T10:30:00Z", "2026-11-21T10:40:00Z"),
		ok("success", "2026-11-21T11:00:00Z", "2026-11-21T11:10:00Z"))
}

func TestActionsFailuresRerunsAndRedTime(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	actionsScenario(f)
	p := connectTo(f, config.GitHub{Repos: []string{"acme/api"}}, t.TempDir())

	res := collect(t, p.actions, week(now))
	if len(res.Warnings) != 0 {
		t.Fatalf("warnings: %q", res.Warnings)
	}
	runURL := func(id int) string { return fmt.Sprintf("https://github.com/acme/api/actions/runs/%d", id) }
	want := []model.Pipeline{
		{Name: "Boundary", Failures: 1, RedHours: 1, LastFailureAt: timePtr("2026-11-18T14:00:00Z"), URL: runURL(7001)},
		{Name: "CI", Failing: true, FailingSince: timePtr("2026-11-24T10:20:00Z"), Failures: 2, Reruns: 1,
			RedHours: 2 + 27 + 40.0/60, LastFailureAt: timePtr("2026-11-24T10:20:00Z"), URL: runURL(2002)},
		{Name: "Deploy", Failures: 1, RedHours: 6.5, LastFailureAt: timePtr("2026-11-18T16:30:00Z"), URL: runURL(3001)},
		{Name: "E2E", Failures: 2, Reruns: 2, RedHours: 1, LastFailureAt: timePtr("2026-11-21T10:40:00Z"), URL: runURL(8000) + "/attempts/2"},
		{Name: "Nightly", Failing: true, FailingSince: timePtr("2026-11-05T02:30:00Z"), RedHours: 7 * 24, URL: runURL(5000)},
	}
	got := res.Data.Pipelines
	if len(got) != len(want) {
		t.Fatalf("got %d pipelines, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Provider != model.GitHubActions || g.Scope != "acme/api" || g.Branch != "main" || g.Name != w.Name ||
			g.Failing != w.Failing || g.Failures != w.Failures || g.Reruns != w.Reruns || !near(g.RedHours, w.RedHours) ||
			!sameTime(g.FailingSince, w.FailingSince) || !sameTime(g.LastFailureAt, w.LastFailureAt) || g.URL != w.URL {
			t.Errorf("pipeline %d:\n got %+v\nwant %+v", i, g, w)
		}
	}

	st := f.Stats()
	// The runs list is read back to 31 days before the window's day (the
	// re-run reach): the 120 CI runs before the window and Nightly's last
	// run are in it, on two pages.
	if n := st.Count("/repos/acme/api/actions/runs?"); n != 2 {
		t.Errorf("runs list read %d times, want 2 (two pages): %v", n, st.Paths)
	}
	// Workflows with a decisive run before the window in that reach need
	// no query of their own.
	for _, id := range []int{1, 2, 4, 7} {
		if n := st.Count(fmt.Sprintf("/repos/acme/api/actions/workflows/%d/runs", id)); n != 0 {
			t.Errorf("workflow %d fallback queried %d times, want 0", id, n)
		}
	}
	// PR checks has no run at all: its last run before the reach is asked for.
	if n := st.Count("/repos/acme/api/actions/workflows/5/runs?"); n != 1 {
		t.Errorf("PR checks fallback queried %d times, want 1", n)
	}
	// A disabled workflow gets no fallback query.
	if n := st.Count("/repos/acme/api/actions/workflows/6/runs"); n != 0 {
		t.Errorf("disabled workflow queried %d times", n)
	}
	for _, p := range []string{"/runs/2001/attempts/1", "/runs/8000/attempts/1", "/runs/8000/attempts/2"} {
		if n := st.Count("/repos/acme/api/actions" + p); n != 1 {
			t.Errorf("%s read %d times, want 1", p, n)
		}
	}
	if n := st.Count("/repos/acme/api/actions/runs/1119/attempts"); n != 0 {
		t.Errorf("attempts of a run re-run before the window read %d times, want 0", n)
	}
}

// The runs list is followed across pages, and earlier attempts are read
// once ever: a second collection with the same cache does not ask again.
func TestActionsPaginationAndAttemptsOnce(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	r := f.AddRepo("acme/busy", ghfake.Repo{DefaultBranch: "trunk"})
	f.AddWorkflow(r, ghfake.Workflow{ID: 1, Name: "CI", Path: ".github/workflows/ci.yml"})
	// 250 runs in the window, newest first on the list: the only failure,
	// re-run to green, is the oldest — on the third page. The next run,
	// green 20 minutes later, ends its red time before the re-run does.
	for i := range 250 {
		c := at("2026-11-19T00:00:00Z").Add(time.Duration(i) * 20 * time.Minute)
		a := []ghfake.Attempt{{Conclusion: "success", Started: c, Completed: c.Add(5 * time.Minute)}}
		if i == 0 {
			a = []ghfake.Attempt{
				{Conclusion: "failure", Started: c, Completed: c.Add(5 * time.Minute)},
				{Conclusion: "success", Started: c.Add(55 * time.Minute), Completed: c.Add(65 * time.Minute)},
			}
		}
		f.AddRun(r, ghfake.Run{ID: int64(10 + i), WorkflowID: 1, Created: c, Attempts: a})
	}
	cache := t.TempDir()
	p := connectTo(f, config.GitHub{Repos: []string{"acme/busy"}}, cache)
	res := collect(t, p.actions, week(now))
	if len(res.Data.Pipelines) != 1 {
		t.Fatalf("pipelines: %+v (warnings %q)", res.Data.Pipelines, res.Warnings)
	}
	pl := res.Data.Pipelines[0]
	if pl.Branch != "trunk" || pl.Failures != 1 || pl.Reruns != 1 || !near(pl.RedHours, 20.0/60) || pl.Failing {
		t.Errorf("pipeline = %+v, want 1 failure, 1 re-run, 20 min red on trunk, green now", pl)
	}
	st := f.Stats()
	for page := 1; page <= 3; page++ {
		if n := st.Count(fmt.Sprintf("/repos/acme/busy/actions/runs?branch=trunk&created=%%3E%%3D2026-10-18T00%%3A00%%3A00Z&exclude_pull_requests=true&page=%d&", page)); n != 1 {
			t.Errorf("runs page %d read %d times, want 1; paths %v", page, n, keys(st.Paths, "/actions/runs?"))
		}
	}

	f.ResetStats()
	p2 := connectTo(f, config.GitHub{Repos: []string{"acme/busy"}}, cache)
	res2 := collect(t, p2.actions, week(now.Add(time.Minute)))
	if len(res2.Data.Pipelines) != 1 || res2.Data.Pipelines[0].Failures != 1 {
		t.Errorf("second collection: %+v", res2.Data.Pipelines)
	}
	if n := f.Stats().Count("/repos/acme/busy/actions/runs/10/attempts"); n != 0 {
		t.Errorf("a final attempt was fetched again (%d requests): it must be kept once ever", n)
	}
}

// A workflow whose last run is older than the re-run reach is found by a
// query of its own: failing since then, red all window.
func TestActionsLastRunBeforeTheReach(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	r := f.AddRepo("acme/api", ghfake.Repo{})
	f.AddWorkflow(r, ghfake.Workflow{ID: 1, Name: "Yearly", Path: ".github/workflows/yearly.yml"})
	f.AddRun(r, ghfake.Run{ID: 1, WorkflowID: 1, Created: at("2026-08-01T00:00:00Z"),
		Attempts: []ghfake.Attempt{ok("success", "2026-08-01T00:00:00Z", "2026-08-01T00:10:00Z")}})
	f.AddRun(r, ghfake.Run{ID: 2, WorkflowID: 1, Created: at("2026-09-01T00:00:00Z"),
		Attempts: []ghfake.Attempt{ok("failure", "2026-09-01T00:00:00Z", "2026-09-01T00:10:00Z")}})
	p := connectTo(f, config.GitHub{Repos: []string{"acme/api"}}, "")
	res := collect(t, p.actions, week(now))
	pl := pipelineNamed(res.Data.Pipelines, "Yearly")
	if pl == nil || !pl.Failing || !sameTime(pl.FailingSince, timePtr("2026-09-01T00:10:00Z")) || !near(pl.RedHours, 7*24) || pl.Failures != 0 {
		t.Errorf("Yearly = %+v, want failing since 2026-09-01, red all window, no failure in it", pl)
	}
	if n := f.Stats().Count("/repos/acme/api/actions/workflows/1/runs?"); n != 1 {
		t.Errorf("Yearly's last run asked for %d times, want 1", n)
	}
}

// Configured branches replace the default branch, each its own pipeline.
func TestActionsConfiguredBranches(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	r := f.AddRepo("acme/api", ghfake.Repo{DefaultBranch: "main"})
	f.AddWorkflow(r, ghfake.Workflow{ID: 1, Name: "CI", Path: ".github/workflows/ci.yml"})
	for i, br := range []string{"main", "release", "dev"} {
		f.AddRun(r, ghfake.Run{ID: int64(100 + i), WorkflowID: 1, Branch: br, Created: at("2026-11-20T10:00:00Z"),
			Attempts: []ghfake.Attempt{ok("failure", "2026-11-20T10:00:00Z", "2026-11-20T10:10:00Z")}})
	}
	p := connectTo(f, config.GitHub{Repos: []string{"acme/api"}, Branches: []string{"release", "main"}}, "")
	res := collect(t, p.actions, week(now))
	var got []string
	for _, pl := range res.Data.Pipelines {
		got = append(got, pl.Branch)
	}
	if strings.Join(got, ",") != "main,release" {
		t.Errorf("branches = %v, want main,release (dev is not watched)", got)
	}
}

func keys(m map[string]int, contains string) []string {
	var out []string
	for k := range m {
		if strings.Contains(k, contains) {
			out = append(out, k)
		}
	}
	return out
}

// A refresh takes each repository's workflows from the catalog the last
// one kept, with names and states from one GraphQL query: a workflow
// disabled since is no longer failing now, one renamed shows its new name,
// and a run of a workflow added since has the list read afresh.
func TestActionsWorkflowCatalog(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	r := f.AddRepo("acme/api", ghfake.Repo{})
	f.AddWorkflow(r, ghfake.Workflow{ID: 1, Name: "CI", Path: ".github/workflows/ci.yml"})
	f.AddWorkflow(r, ghfake.Workflow{ID: 2, Name: "Deploy", Path: ".github/workflows/deploy.yml"})
	red := func(id, wf int64, created string) {
		f.AddRun(r, ghfake.Run{ID: id, WorkflowID: wf, Created: at(created),
			Attempts: []ghfake.Attempt{ok("failure", created, at(created).Add(10*time.Minute).Format(time.RFC3339))}})
	}
	red(1, 1, "2026-11-20T10:00:00Z")
	red(2, 2, "2026-11-20T11:00:00Z")
	cache := t.TempDir()
	cfg := config.GitHub{Repos: []string{"acme/api"}}
	first := collect(t, connectTo(f, cfg, cache).actions, week(now))
	if got := len(first.Data.Pipelines); got != 2 {
		t.Fatalf("first refresh: %d pipelines, want 2", got)
	}

	f.SetWorkflowState(r, 2, "disabled_manually")
	f.ResetStats()
	second := collect(t, connectTo(f, cfg, cache).actions, week(now.Add(time.Minute)))
	st := f.Stats()
	if n := st.Count("/repos/acme/api/actions/workflows?"); n != 0 || st.GraphQL != 1 {
		t.Errorf("second refresh listed the workflows %d times and sent %d GraphQL queries; want 0 and 1", n, st.GraphQL)
	}
	if d := pipelineNamed(second.Data.Pipelines, "Deploy"); d == nil || d.Failing || d.Failures != 1 {
		t.Errorf("Deploy, disabled since: %+v, want its failure and not failing now", d)
	}

	// A workflow added since, with a failing run: listed afresh.
	f.AddWorkflow(r, ghfake.Workflow{ID: 3, Name: "Nightly", Path: ".github/workflows/nightly.yml"})
	red(3, 3, "2026-11-21T02:00:00Z")
	f.ResetStats()
	third := collect(t, connectTo(f, cfg, cache).actions, week(now.Add(2*time.Minute)))
	if n := f.Stats().Count("/repos/acme/api/actions/workflows?"); n != 1 {
		t.Errorf("a run of an unknown workflow: workflows listed %d times, want 1", n)
	}
	if n := pipelineNamed(third.Data.Pipelines, "Nightly"); n == nil || !n.Failing {
		t.Errorf("Nightly, added since: %+v, want failing", n)
	}
}
