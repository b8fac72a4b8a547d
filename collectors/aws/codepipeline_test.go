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

// execution is a ListPipelineExecutions summary as CodePipeline's JSON
// carries it.
func execution(id, status string, start, end time.Time) map[string]any {
	return map[string]any{
		"pipelineExecutionId": id, "status": status,
		"startTime": epoch(start), "lastUpdateTime": epoch(end),
		"executionMode": "SUPERSEDED", "executionType": "STANDARD",
		"trigger": map[string]any{"triggerType": "CloudWatchEvent", "triggerDetail": "arn"},
	}
}

func TestCodePipelines(t *testing.T) {
	f := newFakeAWS(t)
	h := func(d time.Duration) time.Time { return testNow.Add(-d) }
	runs := map[string][]map[string]any{
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

// installPipelines answers ListPipelines (five a page) and
// ListPipelineExecutions (pages of maxResults) from runs; the pipelines
// named in gone are listed but answer PipelineNotFoundException, as one
// deleted between the two calls does. CodePipeline documents only "most
// recent" executions first, so the fake lists them by start time, newest
// first (an execution that ran long comes after ones it outlived), and
// then swaps every pair: a client that relies on any order loses runs.
func installPipelines(f *fakeAWS, runs map[string][]map[string]any, gone ...string) {
	listed := map[string][]map[string]any{}
	for name, rs := range runs {
		rs = slices.Clone(rs)
		slices.SortStableFunc(rs, func(a, b map[string]any) int { return cmp.Compare(b["startTime"].(float64), a["startTime"].(float64)) })
		for i := 0; i+1 < len(rs); i += 2 {
			rs[i], rs[i+1] = rs[i+1], rs[i]
		}
		listed[name] = rs
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
		token, _ := r.Params["nextToken"].(string)
		size := 100
		if m, ok := r.Params["maxResults"].(float64); ok {
			size = int(m)
		}
		items, next := page(listed[name], token, size)
		body := map[string]any{"pipelineExecutionSummaries": items}
		if next != "" {
			body["nextToken"] = next
		}
		return fakeResp{Body: body}
	})
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
	installPipelines(f, map[string][]map[string]any{
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
	installPipelines(f, map[string][]map[string]any{
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
	var flood []map[string]any
	for i := range 1200 { // every 8 minutes, all inside the week
		end := testNow.Add(-time.Duration(i+1) * 8 * time.Minute)
		status := "Succeeded"
		if i%100 == 7 {
			status = "Failed"
		}
		flood = append(flood, execution(fmt.Sprint("f", i), status, end.Add(-5*time.Minute), end))
	}
	installPipelines(f, map[string][]map[string]any{"flood": flood})
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
