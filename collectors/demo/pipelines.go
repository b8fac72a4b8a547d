package demo

import (
	"time"

	"fmt"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

type workflow struct {
	provider model.Provider
	scope    string
	name     string
	branch   string
	url      string
	runs     []model.Run
}

// summarize reports the workflows that failed in the window or are failing
// now, exactly as a real collector would.
func summarize(w model.Window, wfs []workflow) []model.Pipeline {
	var out []model.Pipeline
	for _, wf := range wfs {
		s := model.SummarizeRuns(wf.runs, w)
		if s.Failures == 0 && !s.Failing {
			continue
		}
		out = append(out, s.Fill(model.Pipeline{
			Provider: wf.provider, Scope: wf.scope, Name: wf.name, Branch: wf.branch, URL: wf.url,
		}))
	}
	return out
}

func (d dataset) actions() collectors.Result {
	gh := func(repo, name, file string, runs ...model.Run) workflow {
		for i := range runs {
			runs[i].URL = fmt.Sprintf("https://github.com/%s/actions/runs/%d", repo, 9100000000+i*1731+len(repo)*97)
		}
		return workflow{model.GitHubActions, repo, name, "main",
			fmt.Sprintf("https://github.com/%s/actions/workflows/%s", repo, file), runs}
	}
	r := func(c model.Conclusion, attempt int, ago float64) model.Run {
		return model.Run{Conclusion: c, Attempt: attempt, CompletedAt: d.ago(h(ago))}
	}
	// by names who started a run's re-runs, as GitHub's triggering_actor
	// does: mostly the two people who own the infrastructure.
	by := func(run model.Run, who ...string) model.Run { run.RerunBy = who; return run }
	wfs := []workflow{
		// Red right now: two failures this morning after a flaky day.
		gh("acme/api", "CI", "ci.yml",
			// One run: attempt 1 failed, attempt 2 failed, attempt 3 passed.
			r(model.Success, 1, 150), r(model.Failure, 1, 30), r(model.Failure, 1, 29.5),
			by(r(model.Success, 3, 27), "priya", "tom"), r(model.Success, 1, 20), r(model.Failure, 1, 5), r(model.Failure, 1, 2)),
		// Failed at a weekend night deploy, re-run to green half an hour later.
		gh("acme/api", "Deploy", "deploy.yml",
			r(model.Success, 1, 100),
			model.Run{Conclusion: model.Failure, Attempt: 1, CompletedAt: d.last(time.Saturday, 2, 10)},
			model.Run{Conclusion: model.Success, Attempt: 2, CompletedAt: d.last(time.Saturday, 2, 40), RerunBy: []string{"priya"}}),
		// One flaky failure, recovered by a rerun.
		gh("acme/web", "CI", "ci.yml",
			r(model.Success, 1, 120), r(model.Failure, 1, 96), by(r(model.Success, 2, 95), "lena"), r(model.Success, 1, 10)),
		// Terraform plan has been red for two days.
		gh("acme/infra", "terraform-plan", "plan.yml",
			r(model.Success, 1, 80), r(model.Failure, 1, 49), r(model.Failure, 1, 30), by(r(model.Failure, 2, 29), "mchen"), r(model.Failure, 1, 6)),
		// Cancelled runs are not failures: this workflow stays off the list.
		gh("acme/worker", "CI", "ci.yml",
			r(model.Success, 1, 60), r(model.Cancelled, 1, 40), r(model.Success, 1, 39)),
		// A failure before the window does not count.
		gh("acme/web", "e2e", "e2e.yml",
			r(model.Failure, 1, 24*9), r(model.Success, 1, 24*8.9), r(model.Success, 1, 30)),
	}
	return collectors.Result{Data: model.Data{Pipelines: summarize(d.w, wfs)}}
}

func (d dataset) codepipelines() collectors.Result {
	cp := func(region, name string, runs ...model.Run) workflow {
		url := fmt.Sprintf("https://%s.console.aws.amazon.com/codesuite/codepipeline/pipelines/%s/view?region=%s", region, name, region)
		return workflow{model.CodePipeline, Account + "/" + region, name, "", url, runs}
	}
	r := func(c model.Conclusion, ago float64) model.Run {
		return model.Run{Conclusion: c, Attempt: 1, CompletedAt: d.ago(h(ago))}
	}
	wfs := []workflow{
		cp("us-east-1", "acme-prod-deploy", r(model.Success, 90), r(model.Failure, 72), r(model.Success, 68), r(model.Success, 12)),
		cp("eu-west-1", "acme-eu-deploy", r(model.Success, 50), r(model.Failure, 0.7)),
		cp("us-east-1", "acme-migrations", r(model.Success, 40), r(model.Success, 16)),
	}
	return collectors.Result{Data: model.Data{Pipelines: summarize(d.w, wfs)}}
}
