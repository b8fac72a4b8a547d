package github

import (
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/internal/ghfake"
)

// GitHub keeps a run's created_at when it is re-run, and lists runs by
// creation: a run created before the window and re-run (failing) inside
// it sits behind every newer run. It decides whether its workflow is
// failing now however many runs stand in front of it.
func TestActionsRerunOfAnOldRunDecidesFailingNow(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	r := f.AddRepo("acme/api", ghfake.Repo{})
	f.AddWorkflow(r, ghfake.Workflow{ID: 1, Name: "Release", Path: ".github/workflows/release.yml"})
	f.AddWorkflow(r, ghfake.Workflow{ID: 2, Name: "CI", Path: ".github/workflows/ci.yml"})
	// Release, created 3 days before the window: failed then; re-run in
	// the window, failed again. A later Release run was green before the
	// window. The latest completed Release run is the re-run: red now.
	f.AddRun(r, ghfake.Run{ID: 100, WorkflowID: 1, Created: at("2026-11-15T09:00:00Z"), Attempts: []ghfake.Attempt{
		ok("failure", "2026-11-15T09:00:00Z", "2026-11-15T09:20:00Z"),
		ok("failure", "2026-11-23T08:00:00Z", "2026-11-23T08:20:00Z")}})
	f.AddRun(r, ghfake.Run{ID: 101, WorkflowID: 1, Created: at("2026-11-16T09:00:00Z"),
		Attempts: []ghfake.Attempt{ok("success", "2026-11-16T09:00:00Z", "2026-11-16T09:20:00Z")}})
	// 150 green CI runs between Release's runs and the window's start, and
	// more in the window.
	for i := range 150 {
		c := at("2026-11-16T10:00:00Z").Add(time.Duration(i) * 20 * time.Minute)
		f.AddRun(r, ghfake.Run{ID: int64(1000 + i), WorkflowID: 2, Created: c,
			Attempts: []ghfake.Attempt{{Conclusion: "success", Started: c, Completed: c.Add(5 * time.Minute)}}})
	}
	for i := range 20 {
		c := at("2026-11-19T00:00:00Z").Add(time.Duration(i) * 6 * time.Hour)
		f.AddRun(r, ghfake.Run{ID: int64(2000 + i), WorkflowID: 2, Created: c,
			Attempts: []ghfake.Attempt{{Conclusion: "success", Started: c, Completed: c.Add(5 * time.Minute)}}})
	}

	p := connectTo(f, config.GitHub{Repos: []string{"acme/api"}}, "")
	res := collect(t, p.actions, week(now))
	if len(res.Warnings) != 0 {
		t.Fatalf("warnings: %q", res.Warnings)
	}
	rel := pipelineNamed(res.Data.Pipelines, "Release")
	if rel == nil {
		t.Fatalf("Release, failing now, is missing: %+v", res.Data.Pipelines)
	}
	if !rel.Failing || rel.Failures != 1 || rel.Reruns != 1 || !sameTime(rel.FailingSince, timePtr("2026-11-23T08:20:00Z")) ||
		!near(rel.RedHours, 2*24+5+40.0/60) {
		t.Errorf("Release = %+v, want failing since the re-run at 2026-11-23T08:20Z, 1 failure, 1 re-run", rel)
	}
	if ci := pipelineNamed(res.Data.Pipelines, "CI"); ci != nil {
		t.Errorf("CI (all green) reported: %+v", ci)
	}
}

// Filtered runs lists stop at 1,000 results. When a branch has more runs
// than that, opsdrag reads them in narrower created ranges instead, so the
// oldest failure is not lost behind the cap.
func TestActionsReadsPastTheThousandRunCap(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	r := f.AddRepo("acme/busy", ghfake.Repo{})
	f.AddWorkflow(r, ghfake.Workflow{ID: 1, Name: "CI", Path: ".github/workflows/ci.yml"})
	// 1,250 runs in the window, every 7 minutes; only the oldest failed,
	// and the next one, 7 minutes later, was green.
	for i := range 1250 {
		c := at("2026-11-18T15:00:00Z").Add(time.Duration(i) * 7 * time.Minute)
		a := ghfake.Attempt{Conclusion: "success", Started: c, Completed: c.Add(2 * time.Minute)}
		if i == 0 {
			a.Conclusion = "failure"
		}
		f.AddRun(r, ghfake.Run{ID: int64(10 + i), WorkflowID: 1, Created: c, Attempts: []ghfake.Attempt{a}})
	}
	p := connectTo(f, config.GitHub{Repos: []string{"acme/busy"}}, "")
	res := collect(t, p.actions, week(now))
	if len(res.Warnings) != 0 {
		t.Fatalf("warnings: %q", res.Warnings)
	}
	ci := pipelineNamed(res.Data.Pipelines, "CI")
	if ci == nil || ci.Failures != 1 || !near(ci.RedHours, 7.0/60) || ci.Failing {
		t.Errorf("CI = %+v, want the oldest run's failure (1,250 runs, 250 past the cap) with 7 minutes red", ci)
	}
}

// When runs cannot be told apart by created time (more than 1,000 in one
// second), the rest cannot be read at all: the source is partial and says
// what was left out.
func TestActionsCapThatCannotBeSplitIsAWarning(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	r := f.AddRepo("acme/burst", ghfake.Repo{})
	f.AddWorkflow(r, ghfake.Workflow{ID: 1, Name: "CI", Path: ".github/workflows/ci.yml"})
	c := at("2026-11-20T10:00:00Z")
	for i := range 1001 {
		f.AddRun(r, ghfake.Run{ID: int64(10 + i), WorkflowID: 1, Created: c,
			Attempts: []ghfake.Attempt{{Conclusion: "success", Started: c, Completed: c.Add(time.Minute)}}})
	}
	p := connectTo(f, config.GitHub{Repos: []string{"acme/burst"}}, "")
	res := collect(t, p.actions, week(now))
	all := strings.Join(res.Warnings, "\n")
	for _, want := range []string{"acme/burst", "1,000", "lower bound"} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q: %q", want, res.Warnings)
		}
	}
}
