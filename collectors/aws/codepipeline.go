package awscollect

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

// pipelinesCollector reports the CodePipelines that failed in the window or
// whose latest execution failed.
type pipelinesCollector struct{ *env }

func (c *pipelinesCollector) Name() string { return NameCodePipeline }

// Timeout leaves room for many regions and a throttling storm.
func (c *pipelinesCollector) Timeout() time.Duration { return collectorTimeout }

func (c *pipelinesCollector) Collect(ctx context.Context, w model.Window) (collectors.Result, error) {
	return c.collect(ctx, w, pairs, func(ctx context.Context, t target) (found, error) {
		return pipelinesIn(ctx, codepipeline.NewFromConfig(t.cfg), t, w)
	})
}

// codepipelineAPI is the part of the CodePipeline client the collector uses.
type codepipelineAPI interface {
	codepipeline.ListPipelinesAPIClient
	codepipeline.ListPipelineExecutionsAPIClient
}

// pipelinesIn reads every pipeline of one account and region, each
// concurrently. A pipeline whose executions cannot be read is left out
// with a warning; the others are kept.
func pipelinesIn(ctx context.Context, cp codepipelineAPI, t target, w model.Window) (found, error) {
	var names []string
	pages := codepipeline.NewListPipelinesPaginator(cp, &codepipeline.ListPipelinesInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return found{}, err
		}
		for _, p := range page.Pipelines {
			names = append(names, aws.ToString(p.Name))
		}
	}
	results := make([]*model.Pipeline, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() { results[i], errs[i] = pipelineIn(ctx, cp, t, name, w) })
	}
	wg.Wait()
	var out found
	for i, p := range results {
		if errs[i] != nil {
			out.notes = append(out.notes, note{msg: "pipeline " + names[i] + ": " + classify(errs[i]).message(t.Profile), where: t})
			continue
		}
		if p != nil {
			out.data.Pipelines = append(out.data.Pipelines, *p)
		}
	}
	return out, nil
}

// pipelineIn summarises one pipeline's executions over the window; nil
// when it left no signal in the window: no failure, no re-run, no red time
// and not failing now. A failure before the window whose red time runs
// into it is a signal.
func pipelineIn(ctx context.Context, cp codepipeline.ListPipelineExecutionsAPIClient, t target, name string, w model.Window) (*model.Pipeline, error) {
	runs, err := executions(ctx, cp, t.Region, name, w)
	if err != nil {
		return nil, err
	}
	s := model.SummarizeRuns(runs, w)
	if s.Failures == 0 && s.Reruns == 0 && s.RedHours == 0 && !s.Failing {
		return nil, nil
	}
	p := s.Fill(model.Pipeline{
		Provider: model.CodePipeline,
		Scope:    t.Account + "/" + t.Region,
		Name:     name,
		URL:      pipelineURL(t.Region, name),
	})
	return &p, nil
}

// executions lists a pipeline's executions, newest first as CodePipeline
// returns them, down to the last one that completed before the window (so
// a red streak that began earlier is clipped in, not lost), and turns them
// into runs.
func executions(ctx context.Context, cp codepipeline.ListPipelineExecutionsAPIClient, region, name string, w model.Window) ([]model.Run, error) {
	pages := codepipeline.NewListPipelineExecutionsPaginator(cp, &codepipeline.ListPipelineExecutionsInput{
		PipelineName: aws.String(name),
		MaxResults:   aws.Int32(100),
	})
	var runs []model.Run
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, e := range page.PipelineExecutionSummaries {
			r := runOf(e, region, name)
			runs = append(runs, r)
			if !r.CompletedAt.IsZero() && r.CompletedAt.Before(w.Since) && r.Conclusion != model.Cancelled {
				return runs, nil
			}
		}
	}
	return runs, nil
}

// runOf maps an execution to a run. Stopped and superseded executions are
// neither failures nor successes, like cancelled workflow runs; executions
// still going have no completion time.
func runOf(e types.PipelineExecutionSummary, region, name string) model.Run {
	r := model.Run{Attempt: 1, URL: executionURL(region, name, aws.ToString(e.PipelineExecutionId))}
	switch e.Status {
	case types.PipelineExecutionStatusSucceeded:
		r.Conclusion = model.Success
	case types.PipelineExecutionStatusFailed:
		r.Conclusion = model.Failure
	case types.PipelineExecutionStatusCancelled, types.PipelineExecutionStatusStopped, types.PipelineExecutionStatusSuperseded:
		r.Conclusion = model.Cancelled
	default:
		return model.Run{Conclusion: model.InProgress, Attempt: 1, URL: r.URL}
	}
	if e.LastUpdateTime != nil {
		r.CompletedAt = *e.LastUpdateTime
	}
	return r
}
