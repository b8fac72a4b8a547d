package awscollect

import (
	"fmt"
	"math"
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
	runs := map[string][]map[string]any{ // newest first, as CodePipeline lists them
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
	// it. Its third page of history is never needed.
	for i := range 150 {
		end := h(time.Duration(i+1) * time.Hour)
		runs["busy"] = append(runs["busy"], execution(fmt.Sprint("b", i), "Succeeded", end.Add(-10*time.Minute), end))
	}
	runs["busy"] = append(runs["busy"], execution("b-red", "Failed", h(200*time.Hour), h(199*time.Hour)))
	for i := range 120 {
		runs["busy"] = append(runs["busy"], execution(fmt.Sprint("b-old", i), "Succeeded", h(time.Duration(300+i)*time.Hour), h(time.Duration(300+i)*time.Hour)))
	}
	names := []string{"branches", "busy", "deploy", "gone", "green", "migrate", "old-red", "stopped"}

	f.handle("codepipeline", "ListPipelines", func(r fakeReq) fakeResp {
		token, _ := r.Params["nextToken"].(string)
		items, next := page(names, token, 5)
		var ps []map[string]any
		for _, n := range items {
			ps = append(ps, map[string]any{"name": n, "version": 3, "pipelineType": "V2", "created": epoch(h(900 * time.Hour)), "updated": epoch(h(800 * time.Hour))})
		}
		body := map[string]any{"pipelines": ps}
		if next != "" {
			body["nextToken"] = next
		}
		return fakeResp{Body: body}
	})
	f.handle("codepipeline", "ListPipelineExecutions", func(r fakeReq) fakeResp {
		name, _ := r.Params["pipelineName"].(string)
		if name == "gone" {
			return fakeResp{Code: "PipelineNotFoundException", Msg: "The account with id '111111111111' does not include a pipeline with the name 'gone'"}
		}
		token, _ := r.Params["nextToken"].(string)
		size := 100
		if m, ok := r.Params["maxResults"].(float64); ok {
			size = int(m)
		}
		items, next := page(runs[name], token, size)
		body := map[string]any{"pipelineExecutionSummaries": items}
		if next != "" {
			body["nextToken"] = next
		}
		return fakeResp{Body: body}
	})

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
	for _, name := range []string{"green", "stopped", "branches", "busy"} {
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
	old := got["old-red"]
	if !old.Failing || old.Failures != 0 || !near(old.RedHours, 7*24) {
		t.Errorf("old-red = %+v: want failing for the whole window, no failure inside it", old)
	}
	// busy: two pages (100 + the rest of the window and the red run just
	// before it), never the third.
	busyPages := 0
	for _, c := range f.requests() {
		if c.Op == "ListPipelineExecutions" && firstAttempt(c) {
			busyPages++
		}
	}
	// 1 page each for the 7 small pipelines (gone included) + 2 for busy.
	if busyPages != 9 {
		t.Errorf("ListPipelineExecutions requests = %d, want 9: busy's history must stop at the run before the window", busyPages)
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
