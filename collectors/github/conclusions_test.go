package github

import (
	"fmt"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/internal/ghfake"
	"github.com/opsdrag/opsdrag/model"
)

// pipelineNamed returns the pipeline called name, or nil.
func pipelineNamed(ps []model.Pipeline, name string) *model.Pipeline {
	for i := range ps {
		if ps[i].Name == name {
			return &ps[i]
		}
	}
	return nil
}

// A workflow whose only signals in the window are red time left over from
// a failure before it, or a re-run, is reported with them: neither is thrown
// away because it failed nothing in the window and is green now.
func TestActionsKeepsRedTimeAndRerunsWithoutFailures(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	r := f.AddRepo("acme/api", ghfake.Repo{})
	f.AddWorkflow(r, ghfake.Workflow{ID: 1, Name: "Flaky", Path: ".github/workflows/flaky.yml"})
	f.AddWorkflow(r, ghfake.Workflow{ID: 2, Name: "Redeploy", Path: ".github/workflows/redeploy.yml"})
	f.AddWorkflow(r, ghfake.Workflow{ID: 3, Name: "Quiet", Path: ".github/workflows/quiet.yml"})
	// Flaky failed two days before the window and went green 6 hours into it.
	f.AddRun(r, ghfake.Run{ID: 10, WorkflowID: 1, Created: at("2026-11-16T10:00:00Z"),
		Attempts: []ghfake.Attempt{ok("failure", "2026-11-16T10:00:00Z", "2026-11-16T10:10:00Z")}})
	f.AddRun(r, ghfake.Run{ID: 11, WorkflowID: 1, Created: at("2026-11-18T19:50:00Z"),
		Attempts: []ghfake.Attempt{ok("success", "2026-11-18T19:50:00Z", "2026-11-18T20:00:00Z")}})
	// Redeploy: a green run re-run (green again) in the window.
	f.AddRun(r, ghfake.Run{ID: 20, WorkflowID: 2, Created: at("2026-11-20T10:00:00Z"), Attempts: []ghfake.Attempt{
		ok("success", "2026-11-20T10:00:00Z", "2026-11-20T10:10:00Z"),
		ok("success", "2026-11-20T11:00:00Z", "2026-11-20T11:10:00Z")}})
	// Quiet: green, nothing to report.
	f.AddRun(r, ghfake.Run{ID: 30, WorkflowID: 3, Created: at("2026-11-20T10:00:00Z"),
		Attempts: []ghfake.Attempt{ok("success", "2026-11-20T10:00:00Z", "2026-11-20T10:10:00Z")}})

	p := connectTo(f, config.GitHub{Repos: []string{"acme/api"}}, "")
	res := collect(t, p.actions, week(now))
	if len(res.Warnings) != 0 {
		t.Fatalf("warnings: %q", res.Warnings)
	}
	flaky := pipelineNamed(res.Data.Pipelines, "Flaky")
	if flaky == nil || flaky.Failures != 0 || flaky.Failing || !near(flaky.RedHours, 6) || flaky.Reruns != 0 {
		t.Errorf("Flaky = %+v, want 6 red hours clipped from a failure before the window, no failure, green now", flaky)
	}
	redeploy := pipelineNamed(res.Data.Pipelines, "Redeploy")
	if redeploy == nil || redeploy.Reruns != 1 || redeploy.Failures != 0 || redeploy.RedHours != 0 {
		t.Errorf("Redeploy = %+v, want its one re-run", redeploy)
	}
	if q := pipelineNamed(res.Data.Pipelines, "Quiet"); q != nil {
		t.Errorf("Quiet (green, no re-run) reported: %+v", q)
	}
}

// Every conclusion GitHub documents, and what it means for opsdrag.
func TestConclusionTable(t *testing.T) {
	for _, tc := range []struct {
		status, conclusion string
		want               model.Conclusion
	}{
		{"completed", "success", model.Success},
		{"completed", "failure", model.Failure},
		{"completed", "timed_out", model.Failure},
		{"completed", "startup_failure", model.Failure},
		// As gh CLI's shared.IsFailureState: a run that needs someone's
		// approval is red until it is approved and passes.
		{"completed", "action_required", model.Failure},
		{"completed", "cancelled", model.Cancelled},
		{"completed", "skipped", model.Skipped},
		{"completed", "neutral", model.Skipped},
		{"completed", "stale", model.Skipped},
		{"completed", "something_new", model.Skipped},
		{"in_progress", "", model.InProgress},
		{"queued", "", model.InProgress},
		{"waiting", "", model.InProgress},
		{"requested", "", model.InProgress},
		{"pending", "", model.InProgress},
	} {
		if got := conclusion(tc.status, tc.conclusion); got != tc.want {
			t.Errorf("conclusion(%q, %q) = %q, want %q", tc.status, tc.conclusion, got, tc.want)
		}
	}
}

// Each conclusion through the API: timeouts, startup failures and runs
// awaiting approval fail and turn a workflow red; neutral and stale runs
// neither fail nor end a red streak.
func TestActionsEveryConclusion(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	r := f.AddRepo("acme/api", ghfake.Repo{})
	wf := int64(0)
	add := func(name string, conclusions ...string) {
		wf++
		f.AddWorkflow(r, ghfake.Workflow{ID: wf, Name: name, Path: fmt.Sprintf(".github/workflows/%d.yml", wf)})
		for i, c := range conclusions {
			s := at("2026-11-20T10:00:00Z").Add(time.Duration(i) * time.Hour)
			f.AddRun(r, ghfake.Run{ID: wf*100 + int64(i), WorkflowID: wf, Created: s,
				Attempts: []ghfake.Attempt{{Conclusion: c, Started: s, Completed: s.Add(10 * time.Minute)}}})
		}
	}
	add("timed_out", "success", "timed_out")
	add("startup_failure", "success", "startup_failure")
	add("action_required", "success", "action_required")
	add("neutral", "success", "neutral")
	add("stale", "success", "stale")
	add("failure then neutral", "failure", "neutral")
	add("failure then stale", "failure", "stale")
	add("failure then skipped", "failure", "skipped")
	add("failure then cancelled", "failure", "cancelled")
	p := connectTo(f, config.GitHub{Repos: []string{"acme/api"}}, "")
	res := collect(t, p.actions, week(now))
	if len(res.Warnings) != 0 {
		t.Fatalf("warnings: %q", res.Warnings)
	}
	for _, name := range []string{"timed_out", "startup_failure", "action_required"} {
		pl := pipelineNamed(res.Data.Pipelines, name)
		if pl == nil || pl.Failures != 1 || !pl.Failing || !sameTime(pl.FailingSince, timePtr("2026-11-20T11:10:00Z")) {
			t.Errorf("%s: %+v, want one failure, failing since 11:10", name, pl)
		}
	}
	for _, name := range []string{"neutral", "stale"} {
		if pl := pipelineNamed(res.Data.Pipelines, name); pl != nil {
			t.Errorf("%s after a success: reported %+v, want nothing", name, pl)
		}
	}
	for _, after := range []string{"neutral", "stale", "skipped", "cancelled"} {
		pl := pipelineNamed(res.Data.Pipelines, "failure then "+after)
		if pl == nil || pl.Failures != 1 || !pl.Failing || !sameTime(pl.FailingSince, timePtr("2026-11-20T10:10:00Z")) {
			t.Errorf("failure then %s: %+v, want still failing since the failure", after, pl)
		}
	}
}
