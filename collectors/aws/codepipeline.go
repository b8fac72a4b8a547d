package awscollect

import (
	"context"
	"fmt"
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

func (c *pipelinesCollector) Collect(ctx context.Context, w model.Window) (collectors.Result, error) {
	return c.collect(ctx, w, everyRegion, func(ctx context.Context, t target) (found, error) {
		return pipelinesIn(ctx, codepipeline.NewFromConfig(t.cfg), t, w)
	})
}

// codepipelineAPI is the part of the CodePipeline client the collector uses.
type codepipelineAPI interface {
	codepipeline.ListPipelinesAPIClient
	codepipeline.ListPipelineExecutionsAPIClient
	codepipeline.ListActionExecutionsAPIClient
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
	var out found
	if kept := w.Until.AddDate(0, -executionMemoryMonths, 0); w.Since.Before(kept) {
		out.notes = append(out.notes, note{where: t, msg: fmt.Sprintf(
			"CodePipeline keeps %d months of executions: runs before %s were not read, so failures and red time before then are lower bounds (opsdrag's history adds the failures it kept to the pipelines reported)",
			executionMemoryMonths, kept.UTC().Format("Jan 2 2006"))})
	}
	results := concurrently(ctx, names, func(name string) pipelineResult { return pipelineIn(ctx, cp, t, name, w) })
	for i, r := range results {
		if r.err != nil {
			out.notes = append(out.notes, note{msg: "pipeline " + names[i] + ": " + classify(r.err).message(t.Profile), where: t})
			continue
		}
		for _, msg := range r.notes {
			out.notes = append(out.notes, note{msg: "pipeline " + names[i] + ": " + msg, where: t})
		}
		for _, msg := range r.placeNotes {
			out.notes = append(out.notes, note{msg: msg, where: t})
		}
		if r.pipeline != nil {
			out.data.Pipelines = append(out.data.Pipelines, *r.pipeline)
		}
	}
	return out, nil
}

// pipelineResult is what one pipeline gave: its summary (nil when it left
// no signal in the window), what was left out, or why it could not be
// read.
type pipelineResult struct {
	pipeline *model.Pipeline
	notes    []string
	// placeNotes read the same for every pipeline of a place (a denied
	// permission), so they fold into one warning.
	placeNotes []string
	err        error
}

// pipelineIn summarises one pipeline's executions over the window. The
// summary is nil when the pipeline left no signal in the window: no
// failure, no re-run, no red time and not failing now. A failure before the
// window whose red time runs into it is a signal.
func pipelineIn(ctx context.Context, cp codepipelineAPI, t target, name string, w model.Window) pipelineResult {
	listed, err := executions(ctx, cp, name, w)
	if err != nil {
		return pipelineResult{err: err}
	}
	var res pipelineResult
	if listed.truncated {
		res.notes = append(res.notes, fmt.Sprintf("read %s executions (%d pages, opsdrag's limit) without reaching a page that ended wholly before the window; "+
			"executions listed after them (the oldest read ended %s) were not read: failures, re-runs and red time are lower bounds",
			grouped(len(listed.summaries)), maxExecutionPages, listed.oldest.UTC().Format("Jan 2 15:04 MST")))
	}
	retried, note, err := retriesIn(ctx, cp, name, listed.summaries, w)
	if note != "" {
		res.notes = append(res.notes, note)
	}
	if err != nil {
		res.placeNotes = append(res.placeNotes, "stage retries not read, so failures fixed by a retry and re-runs are lower bounds: "+classify(err).message(t.Profile))
	}
	var runs []model.Run
	for _, e := range listed.summaries {
		r := runOf(e, t.Region, name)
		// Each retried attempt failed before the execution went on: a
		// failure of its own, and the final run a re-run of it.
		for _, at := range retried[aws.ToString(e.PipelineExecutionId)] {
			runs = append(runs, model.Run{Conclusion: model.Failure, Attempt: 1, CompletedAt: at, URL: r.URL})
			r.Attempt++
		}
		runs = append(runs, r)
	}
	s := model.SummarizeRuns(runs, w)
	if s.Failures == 0 && s.Reruns == 0 && s.RedHours == 0 && !s.Failing {
		return res
	}
	p := s.Fill(model.Pipeline{
		Provider: model.CodePipeline,
		Scope:    t.Account + "/" + t.Region,
		Name:     name,
		URL:      pipelineURL(t.Region, name),
	})
	res.pipeline = &p
	return res
}

// executionMemoryMonths is how long CodePipeline keeps executions (by
// their start), and ListActionExecutions their actions.
const executionMemoryMonths = 12

// maxExecutionPages bounds the executions read per pipeline: 10 pages of
// 100. Reaching it leaves the source partial, saying what was not read.
const maxExecutionPages = 10

// listedExecutions is what executions read of a pipeline's history.
type listedExecutions struct {
	summaries []types.PipelineExecutionSummary
	// truncated says the page bound was reached before the listing
	// reached the window's start.
	truncated bool
	// oldest is the earliest end among the executions read.
	oldest time.Time
}

// executions lists a pipeline's executions back to the window's start and
// the last run that ended before it (so a red streak that began earlier is
// clipped in, not lost). CodePipeline lists the most recent executions
// first but documents no finer order (an execution that started earlier
// can end later), so nothing here relies on one: the runs are sorted by
// their end when summarised, and the listing stops only after a whole page
// of executions that all ended before the window, one of which settled
// whether the pipeline was red (succeeded or failed), or at
// maxExecutionPages.
func executions(ctx context.Context, cp codepipeline.ListPipelineExecutionsAPIClient, name string, w model.Window) (listedExecutions, error) {
	pages := codepipeline.NewListPipelineExecutionsPaginator(cp, &codepipeline.ListPipelineExecutionsInput{
		PipelineName: aws.String(name),
		MaxResults:   aws.Int32(100),
	})
	settled := false
	all, truncated, err := readBack(ctx, pages, func(p *codepipeline.ListPipelineExecutionsOutput) []types.PipelineExecutionSummary {
		return p.PipelineExecutionSummaries
	}, maxExecutionPages, func(page []types.PipelineExecutionSummary) bool {
		before := true
		for _, e := range page {
			ended := e.LastUpdateTime != nil && e.LastUpdateTime.Before(w.Since) &&
				e.Status != types.PipelineExecutionStatusInProgress && e.Status != types.PipelineExecutionStatusStopping
			before = before && ended
			settled = settled || ended && (e.Status == types.PipelineExecutionStatusSucceeded || e.Status == types.PipelineExecutionStatusFailed)
		}
		return before && settled
	})
	if err != nil {
		return listedExecutions{}, err
	}
	out := listedExecutions{summaries: all, truncated: truncated}
	for _, e := range all {
		if end := aws.ToTime(e.LastUpdateTime); out.oldest.IsZero() || end.Before(out.oldest) {
			out.oldest = end
		}
	}
	return out, nil
}

// retriesIn reads the stage retries of the executions that did not end
// before the window, by execution id, with a note when a capped listing
// left some out. When they cannot be read at all the pipeline is still
// summarised from its executions, and the error says why.
func retriesIn(ctx context.Context, cp codepipeline.ListActionExecutionsAPIClient, name string,
	summaries []types.PipelineExecutionSummary, w model.Window) (map[string][]time.Time, string, error) {
	wanted := map[string]bool{}
	var since time.Time
	for _, e := range summaries {
		if e.LastUpdateTime != nil && e.LastUpdateTime.Before(w.Since) && e.Status != types.PipelineExecutionStatusInProgress {
			continue
		}
		wanted[aws.ToString(e.PipelineExecutionId)] = true
		if start := aws.ToTime(e.StartTime); since.IsZero() || start.Before(since) {
			since = start
		}
	}
	if len(wanted) == 0 {
		return nil, "", nil
	}
	read, err := stageRetries(ctx, cp, name, wanted, since)
	if err != nil {
		return nil, "", err
	}
	if read.truncated {
		return read.failedAt, retriesNote(read), nil
	}
	return read.failedAt, "", nil
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

// grouped writes n with thousands separators: 1000 → "1,000".
func grouped(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
