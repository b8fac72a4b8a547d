package awscollect

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
)

// fakeExecution is one pipeline execution of the fake: a Source, a Build
// and a Deploy stage of one action each. Its Deploy action failed at each
// of retries before the execution was resumed with RetryStageExecution,
// which keeps the execution's id: only ListActionExecutions shows it.
type fakeExecution struct {
	id, status string
	start, end time.Time
	retries    []time.Time
}

func execution(id, status string, start, end time.Time) fakeExecution {
	return fakeExecution{id: id, status: status, start: start, end: end}
}

// retried returns e with its Deploy stage failed and retried at each of
// failedAt.
func (e fakeExecution) retried(failedAt ...time.Time) fakeExecution {
	e.retries = failedAt
	return e
}

// summary is the execution as ListPipelineExecutions carries it.
func (e fakeExecution) summary() map[string]any {
	return map[string]any{
		"pipelineExecutionId": e.id, "status": e.status,
		"startTime": epoch(e.start), "lastUpdateTime": epoch(e.end),
		"executionMode": "SUPERSEDED", "executionType": "STANDARD",
		"trigger": map[string]any{"triggerType": "CloudWatchEvent", "triggerDetail": "arn"},
	}
}

// actions are the execution's action executions as ListActionExecutions
// carries them: one per action per attempt of its stage.
func (e fakeExecution) actions() []map[string]any {
	detail := func(stage, status string, start, end time.Time) map[string]any {
		return map[string]any{
			"pipelineExecutionId": e.id, "actionExecutionId": fmt.Sprintf("%s-%s-%d", e.id, stage, int(start.Unix())),
			"pipelineVersion": 3, "stageName": stage, "actionName": stage,
			"startTime": epoch(start), "lastUpdateTime": epoch(end), "status": status,
			"input":  map[string]any{"actionTypeId": map[string]any{"category": stage, "owner": "AWS", "provider": "CodeBuild", "version": "1"}},
			"output": map[string]any{"executionResult": map[string]any{"externalExecutionId": "x"}},
		}
	}
	span := e.end.Sub(e.start)
	if len(e.retries) > 0 {
		span = e.retries[0].Sub(e.start)
	}
	build := e.start.Add(span / 10)
	deploy := e.start.Add(span / 5)
	out := []map[string]any{
		detail("Source", "Succeeded", e.start, build),
		detail("Build", "Succeeded", build, deploy),
	}
	for _, failed := range e.retries {
		out = append(out, detail("Deploy", "Failed", deploy, failed))
		deploy = failed.Add(time.Second)
	}
	final := map[string]string{"Succeeded": "Succeeded", "Failed": "Failed", "InProgress": "InProgress"}[e.status]
	if final == "" {
		final = "Abandoned"
	}
	return append(out, detail("Deploy", final, deploy, e.end))
}

func TestCodePipelines(t *testing.T) {
	f := newFakeAWS(t)
	h := func(d time.Duration) time.Time { return testNow.Add(-d) }
	runs := map[string][]fakeExecution{
		"deploy": {
			execution("d4", "Failed", h(3*time.Hour), h(2*time.Hour)),
			execution("d3", "Failed", h(30*time.Hour), h(29*time.Hour)),
			execution("d2", "Succeeded", h(50*time.Hour), h(49*time.Hour)),
			execution("d1", "Succeeded", h(300*time.Hour), h(299*time.Hour)),
		},
		"migrate": {
			execution("m3", "InProgress", h(time.Hour), h(time.Hour)),
			execution("m2", "Succeeded", h(20*time.Hour), h(19*time.Hour)),
			execution("m1", "Failed", h(26*time.Hour), h(25*time.Hour)),
		},
		"green":    {execution("g1", "Succeeded", h(5*time.Hour), h(4*time.Hour))},
		"old-red":  {execution("o1", "Failed", h(400*time.Hour), h(399*time.Hour))},
		"stopped":  {execution("s2", "Stopped", h(2*time.Hour), h(time.Hour)), execution("s1", "Succeeded", h(9*time.Hour), h(8*time.Hour))},
		"branches": nil,
	}
	// A busy pipeline: 150 green runs in the window, then a failure before
	// it, then 250 older runs. Its fourth and fifth pages are never needed.
	for i := range 150 {
		end := h(time.Duration(i+1) * time.Hour)
		runs["busy"] = append(runs["busy"], execution(fmt.Sprint("b", i), "Succeeded", end.Add(-10*time.Minute), end))
	}
	runs["busy"] = append(runs["busy"], execution("b-red", "Failed", h(200*time.Hour), h(199*time.Hour)))
	for i := range 250 {
		runs["busy"] = append(runs["busy"], execution(fmt.Sprint("b-old", i), "Succeeded", h(time.Duration(300+i)*time.Hour), h(time.Duration(300+i)*time.Hour)))
	}
	installPipelines(f, runs, "gone")

	o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"eu-west-1"}})[NameCodePipeline], testWindow)
	if o.Source.Status != model.StatusPartial || !strings.Contains(o.Source.Detail, "pipeline gone: codepipeline:ListPipelineExecutions: PipelineNotFoundException") {
		t.Errorf("status %s detail %q: want partial naming the missing pipeline", o.Source.Status, o.Source.Detail)
	}
	got := map[string]model.Pipeline{}
	for _, p := range o.Data.Pipelines {
		got[p.Name] = p
		if p.Provider != model.CodePipeline || p.Scope != "111111111111/eu-west-1" {
			t.Errorf("%s: provider %q scope %q", p.Name, p.Provider, p.Scope)
		}
	}
	for _, name := range []string{"green", "stopped", "branches"} {
		if _, ok := got[name]; ok {
			t.Errorf("%s reported, but it did not fail in the window and is green", name)
		}
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

	d := got["deploy"]
	if !d.Failing || d.Failures != 2 || !near(d.RedHours, 29) || d.FailingSince == nil || !d.FailingSince.Equal(h(29*time.Hour)) {
		t.Errorf("deploy = %+v: want failing since 29h ago, 2 failures, 29 red hours", d)
	}
	if d.URL != "https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/deploy/view?region=eu-west-1" {
		t.Errorf("deploy URL = %q", d.URL)
	}
	m := got["migrate"]
	if m.Failing || m.Failures != 1 || !near(m.RedHours, 6) || m.LastFailureAt == nil || !m.LastFailureAt.Equal(h(25*time.Hour)) {
		t.Errorf("migrate = %+v: want recovered, 1 failure, 6 red hours", m)
	}
	// busy failed before the window and recovered 150 h ago: 18 red hours
	// inside the window, and no failure in it.
	if b, ok := got["busy"]; !ok || b.Failing || b.Failures != 0 || !near(b.RedHours, 18) {
		t.Errorf("busy = %+v, %v: want reported with 18 red hours and no failure", b, ok)
	}
	old := got["old-red"]
	if !old.Failing || old.Failures != 0 || !near(old.RedHours, 7*24) {
		t.Errorf("old-red = %+v: want failing for the whole window, no failure inside it", old)
	}
	// busy: three pages (100 in the window; the rest of the window, the red
	// run and older ones; then a page that ended wholly before the
	// window), never the fourth and fifth.
	busyPages := 0
	for _, c := range f.requests() {
		if c.Op == "ListPipelineExecutions" && firstAttempt(c) {
			busyPages++
		}
	}
	// 1 page each for the 7 small pipelines (gone included) + 3 for busy.
	if busyPages != 10 {
		t.Errorf("ListPipelineExecutions requests = %d, want 10: busy's history must stop at a page wholly before the window", busyPages)
	}
}

// installPipelines answers ListPipelines (five a page),
// ListPipelineExecutions and ListActionExecutions (pages of maxResults)
// from runs; the pipelines named in gone are listed but answer
// PipelineNotFoundException, as one deleted between the two calls does.
// CodePipeline documents only "most recent" first, so the fake lists
// executions and action executions by start time, newest first (one that
// ran long comes after ones it outlived), and then swaps every pair: a
// client that relies on any order loses runs. Like CodePipeline, it keeps
// 12 months of executions, by their start.
func installPipelines(f *fakeAWS, runs map[string][]fakeExecution, gone ...string) {
	listed, actions := map[string][]map[string]any{}, map[string][]map[string]any{}
	for name, rs := range runs {
		for _, e := range rs {
			if e.start.Before(testNow.AddDate(-1, 0, 0)) {
				continue
			}
			listed[name] = append(listed[name], e.summary())
			actions[name] = append(actions[name], e.actions()...)
		}
		unordered(listed[name])
		unordered(actions[name])
	}
	names := slices.Sorted(maps.Keys(runs))
	names = append(names, gone...)
	slices.Sort(names)
	f.handle("codepipeline", "ListPipelines", func(r fakeReq) fakeResp {
		token, _ := r.Params["nextToken"].(string)
		items, next := page(names, token, 5)
		var ps []map[string]any
		for _, n := range items {
			ps = append(ps, map[string]any{"name": n, "version": 3, "pipelineType": "V2",
				"created": epoch(testNow.Add(-900 * time.Hour)), "updated": epoch(testNow.Add(-800 * time.Hour))})
		}
		body := map[string]any{"pipelines": ps}
		if next != "" {
			body["nextToken"] = next
		}
		return fakeResp{Body: body}
	})
	f.handle("codepipeline", "ListPipelineExecutions", func(r fakeReq) fakeResp {
		name, _ := r.Params["pipelineName"].(string)
		if slices.Contains(gone, name) {
			return fakeResp{Code: "PipelineNotFoundException", Msg: "The account with id '111111111111' does not include a pipeline with the name '" + name + "'"}
		}
		return pageOf(r, "pipelineExecutionSummaries", listed[name])
	})
	f.handle("codepipeline", "ListActionExecutions", func(r fakeReq) fakeResp {
		name, _ := r.Params["pipelineName"].(string)
		all := actions[name]
		if filter, ok := r.Params["filter"].(map[string]any); ok {
			id, _ := filter["pipelineExecutionId"].(string)
			all = slices.DeleteFunc(slices.Clone(all), func(a map[string]any) bool { return a["pipelineExecutionId"] != id })
		}
		return pageOf(r, "actionExecutionDetails", all)
	})
}

// pageOf answers a CodePipeline listing: the page of items that the
// request's nextToken and maxResults (at most 100) ask for, under field.
func pageOf(r fakeReq, field string, items []map[string]any) fakeResp {
	token, _ := r.Params["nextToken"].(string)
	size := 100
	if m, ok := r.Params["maxResults"].(float64); ok {
		size = min(int(m), 100)
	}
	got, next := page(items, token, size)
	body := map[string]any{field: got}
	if next != "" {
		body["nextToken"] = next
	}
	return fakeResp{Body: body}
}

// unordered puts items in the order the fake lists them: by start time,
// newest first, with every pair swapped.
func unordered(items []map[string]any) {
	slices.SortStableFunc(items, func(a, b map[string]any) int { return cmp.Compare(b["startTime"].(float64), a["startTime"].(float64)) })
	for i := 0; i+1 < len(items); i += 2 {
		items[i], items[i+1] = items[i+1], items[i]
	}
}

func TestCodePipelineListDenied(t *testing.T) {
	f := newFakeAWS(t)
	f.handle("codepipeline", "ListPipelines", denied("AccessDeniedException"))
	o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1"}})[NameCodePipeline], testWindow)
	if o.Source.Status != model.StatusError || !strings.Contains(o.Source.Detail, "permission denied for codepipeline:ListPipelines") {
		t.Errorf("status %s detail %q: want error naming the missing permission", o.Source.Status, o.Source.Detail)
	}
}

// A pipeline whose failure came before the window and that recovered inside
// it spent part of the window red: that red time is drag, even with no
// failure in the window.
func TestCodePipelineRedTimeWithoutAFailureInTheWindow(t *testing.T) {
	f := newFakeAWS(t)
	h := func(d time.Duration) time.Time { return testNow.Add(-d) }
	installPipelines(f, map[string][]fakeExecution{
		"recovered": {
			execution("r2", "Succeeded", h(101*time.Hour), h(100*time.Hour)),
			execution("r1", "Failed", h(201*time.Hour), h(200*time.Hour)),
		},
	})
	o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"eu-west-1"}})[NameCodePipeline], testWindow)
	if o.Source.Status != model.StatusOK {
		t.Fatalf("status %s: %s", o.Source.Status, o.Source.Detail)
	}
	if len(o.Data.Pipelines) != 1 {
		t.Fatalf("pipelines = %+v, want the one that was red in the window", o.Data.Pipelines)
	}
	// Red from 200 h ago (before the 168 h window) to 100 h ago: 68 h of it
	// inside the window.
	if p := o.Data.Pipelines[0]; p.Name != "recovered" || p.Failing || p.Failures != 0 || math.Abs(p.RedHours-68) > 1e-9 {
		t.Errorf("recovered = %+v: want not failing, no failure in the window, 68 red hours", p)
	}
}

// CodePipeline does not document the order of executions beyond "most
// recent": one that started before another can end after it. A run that
// ended inside the window must be read even when one that ended before the
// window is listed ahead of it.
func TestCodePipelineExecutionsInAnyOrder(t *testing.T) {
	f := newFakeAWS(t)
	h := func(d time.Duration) time.Time { return testNow.Add(-d) }
	installPipelines(f, map[string][]fakeExecution{
		"slow": {
			execution("e3", "Succeeded", h(26*time.Hour), h(25*time.Hour)),
			// Waited days at a manual approval, then failed inside the window.
			execution("e1", "Failed", h(200*time.Hour), h(100*time.Hour)),
			execution("e2", "Succeeded", h(190*time.Hour), h(180*time.Hour)),
		},
	})
	o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"eu-west-1"}})[NameCodePipeline], testWindow)
	if o.Source.Status != model.StatusOK || len(o.Data.Pipelines) != 1 {
		t.Fatalf("status %s %q pipelines %+v: want slow reported", o.Source.Status, o.Source.Detail, o.Data.Pipelines)
	}
	if p := o.Data.Pipelines[0]; p.Failures != 1 || p.Failing || math.Abs(p.RedHours-75) > 1e-9 {
		t.Errorf("slow = %+v: want 1 failure and 75 red hours (100 h ago to 25 h ago)", p)
	}
}

// A pipeline that never lists a page wholly before the window is read up to
// a bound; what lies beyond it is said, never dropped silently.
func TestCodePipelineExecutionPageCapIsPartial(t *testing.T) {
	f := newFakeAWS(t)
	var flood []fakeExecution
	for i := range 1200 { // every 8 minutes, all inside the week
		end := testNow.Add(-time.Duration(i+1) * 8 * time.Minute)
		status := "Succeeded"
		if i%100 == 7 {
			status = "Failed"
		}
		flood = append(flood, execution(fmt.Sprint("f", i), status, end.Add(-5*time.Minute), end))
	}
	installPipelines(f, map[string][]fakeExecution{"flood": flood})
	o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"eu-west-1"}})[NameCodePipeline], testWindow)
	t.Logf("detail: %s", o.Source.Detail)
	if n := f.calls("codepipeline", "ListPipelineExecutions"); n != maxExecutionPages {
		t.Errorf("ListPipelineExecutions requests = %d, want the cap of %d", n, maxExecutionPages)
	}
	if o.Source.Status != model.StatusPartial || !hasWarning([]string{o.Source.Detail}, "pipeline flood", "1,000 executions", "not read", "lower bound") {
		t.Errorf("status %s detail %q: want partial saying what was not read", o.Source.Status, o.Source.Detail)
	}
	if len(o.Data.Pipelines) != 1 || o.Data.Pipelines[0].Failures != 10 {
		t.Errorf("pipelines = %+v: want flood with the 10 failures read", o.Data.Pipelines)
	}
}

// RetryStageExecution resumes a failed execution under the same id: the
// execution's own status shows only how it ended. The failed attempts show
// in ListActionExecutions, and count like a GitHub re-run: each failed
// attempt is a failure, each retry a re-run.
func TestCodePipelineStageRetries(t *testing.T) {
	f := newFakeAWS(t)
	h := func(d time.Duration) time.Time { return testNow.Add(-d) }
	installPipelines(f, map[string][]fakeExecution{
		// Deploy failed 12 h ago, was retried and went green 10 h ago.
		"fixed-by-retry": {
			execution("r2", "Succeeded", h(13*time.Hour), h(10*time.Hour)).retried(h(12 * time.Hour)),
			execution("r1", "Succeeded", h(50*time.Hour), h(49*time.Hour)),
		},
		// Retried twice and still red.
		"still-red": {execution("x1", "Failed", h(9*time.Hour), h(5*time.Hour)).retried(h(8*time.Hour), h(7*time.Hour))},
		// Failed before the window, retried to green inside it.
		"retried-into-window": {execution("y1", "Succeeded", h(170*time.Hour), h(160*time.Hour)).retried(h(169 * time.Hour))},
		// Nothing in the window: its actions are never asked for.
		"idle": {execution("i1", "Succeeded", h(400*time.Hour), h(399*time.Hour)).retried(h(399*time.Hour + 30*time.Minute))},
	})
	o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"eu-west-1"}})[NameCodePipeline], testWindow)
	if o.Source.Status != model.StatusOK {
		t.Fatalf("status %s: %s", o.Source.Status, o.Source.Detail)
	}
	got := map[string]model.Pipeline{}
	for _, p := range o.Data.Pipelines {
		got[p.Name] = p
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if p, ok := got["fixed-by-retry"]; !ok || p.Failures != 1 || p.Reruns != 1 || p.Failing || !near(p.RedHours, 2) ||
		p.LastFailureAt == nil || !p.LastFailureAt.Equal(h(12*time.Hour)) || len(p.FailedAt) != 1 {
		t.Errorf("fixed-by-retry = %+v, %v: want 1 failure (12 h ago), 1 re-run, 2 red hours", p, ok)
	}
	if p, ok := got["still-red"]; !ok || p.Failures != 3 || p.Reruns != 2 || !p.Failing || p.FailingSince == nil || !p.FailingSince.Equal(h(8*time.Hour)) {
		t.Errorf("still-red = %+v, %v: want 3 failures, 2 re-runs, failing since the first attempt 8 h ago", p, ok)
	}
	if p, ok := got["retried-into-window"]; !ok || p.Failures != 0 || p.Reruns != 1 || !near(p.RedHours, 8) {
		t.Errorf("retried-into-window = %+v, %v: want no failure in the window, 1 re-run, 8 red hours", p, ok)
	}
	if _, ok := got["idle"]; ok {
		t.Error("idle reported, but nothing of it is in the window")
	}
	asked := map[string]int{}
	for _, c := range f.requests() {
		if c.Op == "ListActionExecutions" && firstAttempt(c) {
			asked["all"]++
		}
	}
	if asked["all"] != 3 {
		t.Errorf("ListActionExecutions requests = %d, want one for each of the 3 pipelines with executions in the window", asked["all"])
	}
}

// A role whose policy predates ListActionExecutions still gets its
// pipelines, from their executions, and one warning that names the missing
// permission and what it leaves out.
func TestCodePipelineRetriesDeniedIsPartial(t *testing.T) {
	f := newFakeAWS(t)
	h := func(d time.Duration) time.Time { return testNow.Add(-d) }
	installPipelines(f, map[string][]fakeExecution{
		"a": {execution("a1", "Failed", h(3*time.Hour), h(2*time.Hour))},
		"b": {execution("b1", "Failed", h(5*time.Hour), h(4*time.Hour)).retried(h(4*time.Hour + 30*time.Minute))},
	})
	f.handle("codepipeline", "ListActionExecutions", denied("AccessDeniedException"))
	o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"eu-west-1"}})[NameCodePipeline], testWindow)
	t.Logf("detail: %s", o.Source.Detail)
	if o.Source.Status != model.StatusPartial || strings.Count(o.Source.Detail, "ListActionExecutions") != 1 ||
		!hasWarning([]string{o.Source.Detail}, "stage retries not read", "lower bounds", "permission denied for codepipeline:ListActionExecutions") {
		t.Errorf("status %s detail %q: want partial, one warning naming the permission", o.Source.Status, o.Source.Detail)
	}
	if len(o.Data.Pipelines) != 2 {
		t.Errorf("pipelines = %+v, want both, from their executions", o.Data.Pipelines)
	}
}

// A pipeline whose action executions never reach a page wholly before its
// executions' start is read up to a bound, and says so.
func TestCodePipelineActionPageCapIsPartial(t *testing.T) {
	f := newFakeAWS(t)
	var busy []fakeExecution
	for i := range 1100 { // every 9 minutes, each deploy failing twice before it went green
		end := testNow.Add(-time.Duration(i+1) * 9 * time.Minute)
		busy = append(busy, execution(fmt.Sprint("e", i), "Succeeded", end.Add(-8*time.Minute), end).retried(end.Add(-6*time.Minute), end.Add(-4*time.Minute)))
	}
	installPipelines(f, map[string][]fakeExecution{"busy": busy})
	o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"eu-west-1"}})[NameCodePipeline], testWindow)
	t.Logf("detail: %s", o.Source.Detail)
	if n := f.calls("codepipeline", "ListActionExecutions"); n != maxActionPages {
		t.Errorf("ListActionExecutions requests = %d, want the cap of %d", n, maxActionPages)
	}
	if o.Source.Status != model.StatusPartial || !hasWarning([]string{o.Source.Detail}, "pipeline busy", "5,000 action executions", "stage retries before", "lower bounds") {
		t.Errorf("status %s detail %q: want partial saying which retries were not read", o.Source.Status, o.Source.Detail)
	}
	if p := o.Data.Pipelines; len(p) != 1 || p[0].Reruns != 2000 || p[0].Failures != 2000 {
		t.Errorf("pipelines = %+v: want busy with the 1,000 executions read, 2 failed attempts and 2 re-runs each", p)
	}
}

// CodePipeline keeps 12 months of executions: a longer window is partial,
// and says from when.
func TestCodePipelineBeyondTwelveMonthsIsPartial(t *testing.T) {
	f := newFakeAWS(t)
	installPipelines(f, map[string][]fakeExecution{
		"deploy": {
			execution("d2", "Succeeded", testNow.AddDate(0, -2, 0), testNow.AddDate(0, -2, 0).Add(time.Hour)),
			execution("d1", "Failed", testNow.AddDate(0, -13, 0), testNow.AddDate(0, -13, 0).Add(time.Hour)),
		},
	})
	w := model.LastDays(testNow, 400*24*time.Hour)
	o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"eu-west-1"}})[NameCodePipeline], w)
	t.Logf("detail: %s", o.Source.Detail)
	if o.Source.Status != model.StatusPartial || !hasWarning([]string{o.Source.Detail}, "12 months", "Nov 25 2025", "lower bound") {
		t.Errorf("status %s detail %q: want partial saying executions before Nov 25 2025 are beyond CodePipeline's memory", o.Source.Status, o.Source.Detail)
	}
	// The same pipeline over a year or less is complete.
	if o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"eu-west-1"}})[NameCodePipeline], model.LastDays(testNow, 300*24*time.Hour)); o.Source.Status != model.StatusOK {
		t.Errorf("300-day window: status %s %q, want ok", o.Source.Status, o.Source.Detail)
	}
}
