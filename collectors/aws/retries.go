package awscollect

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
)

// maxActionPages bounds the action executions read per pipeline: 50 pages
// of 100. Reaching it leaves the source partial, saying what was not read.
const maxActionPages = 50

// retriesRead is what stageRetries found.
type retriesRead struct {
	// failedAt are, per pipeline execution id, the ends of the attempts
	// that failed and were then retried, oldest first.
	failedAt map[string][]time.Time
	// truncated says the page bound was reached before the listing
	// reached the executions' start.
	truncated bool
	// oldest is the earliest start among the action executions read.
	oldest time.Time
}

// stageRetries reads from ListActionExecutions which of the executions in
// wanted were resumed by a stage retry (RetryStageExecution, by hand or by
// a stage's automatic retry on failure). A retry keeps the execution's id
// and its summary shows only how it ended; each action run shows here
// instead. since is the earliest start among wanted: no action of theirs
// starts before it. Like executions, it relies on no order: it reads until
// a whole page of action executions started before since, or
// maxActionPages.
func stageRetries(ctx context.Context, cp codepipeline.ListActionExecutionsAPIClient, name string, wanted map[string]bool, since time.Time) (retriesRead, error) {
	pages := codepipeline.NewListActionExecutionsPaginator(cp, &codepipeline.ListActionExecutionsInput{
		PipelineName: aws.String(name),
		MaxResults:   aws.Int32(100),
	})
	all, truncated, err := readBack(ctx, pages, func(p *codepipeline.ListActionExecutionsOutput) []types.ActionExecutionDetail {
		return p.ActionExecutionDetails
	}, maxActionPages, func(page []types.ActionExecutionDetail) bool {
		return !slices.ContainsFunc(page, func(a types.ActionExecutionDetail) bool { return !aws.ToTime(a.StartTime).Before(since) })
	})
	if err != nil {
		return retriesRead{}, err
	}
	out := retriesRead{truncated: truncated}
	byExecution := map[string][]types.ActionExecutionDetail{}
	for _, a := range all {
		if start := aws.ToTime(a.StartTime); out.oldest.IsZero() || start.Before(out.oldest) {
			out.oldest = start
		}
		if id := aws.ToString(a.PipelineExecutionId); wanted[id] {
			byExecution[id] = append(byExecution[id], a)
		}
	}
	out.failedAt = map[string][]time.Time{}
	for id, actions := range byExecution {
		if failed := failedAttempts(actions); len(failed) > 0 {
			out.failedAt[id] = failed
		}
	}
	return out, nil
}

// failedAttempts returns when each retried attempt of one execution's
// stages failed, oldest first. Each retry runs a stage's failed actions (or
// all of them) again, so the n-th run of each action of a stage belongs to
// the stage's n-th attempt, and every attempt but the last was retried:
// it ended when its last failed action did.
func failedAttempts(actions []types.ActionExecutionDetail) []time.Time {
	type key struct{ stage, action string }
	runs := map[key][]types.ActionExecutionDetail{}
	for _, a := range actions {
		k := key{aws.ToString(a.StageName), aws.ToString(a.ActionName)}
		runs[k] = append(runs[k], a)
	}
	// attempts[stage][n] are the runs of the stage's n-th attempt.
	attempts := map[string][][]types.ActionExecutionDetail{}
	for k, rs := range runs {
		slices.SortFunc(rs, func(a, b types.ActionExecutionDetail) int {
			return aws.ToTime(a.StartTime).Compare(aws.ToTime(b.StartTime))
		})
		for n, r := range rs {
			for len(attempts[k.stage]) <= n {
				attempts[k.stage] = append(attempts[k.stage], nil)
			}
			attempts[k.stage][n] = append(attempts[k.stage][n], r)
		}
	}
	var out []time.Time
	for _, stage := range attempts {
		for _, attempt := range stage[:len(stage)-1] {
			out = append(out, attemptEnd(attempt))
		}
	}
	slices.SortFunc(out, time.Time.Compare)
	return out
}

// attemptEnd is when a retried attempt failed: the end of its last failed
// action, or of its last action when none says failed (one abandoned).
func attemptEnd(runs []types.ActionExecutionDetail) time.Time {
	var failed, any time.Time
	for _, r := range runs {
		end := aws.ToTime(r.LastUpdateTime)
		if end.After(any) {
			any = end
		}
		if r.Status == types.ActionExecutionStatusFailed && end.After(failed) {
			failed = end
		}
	}
	if failed.IsZero() {
		return any
	}
	return failed
}

// retriesNote says what a capped action listing left out.
func retriesNote(r retriesRead) string {
	return fmt.Sprintf("read %s action executions (%d pages, opsdrag's limit) without reaching ones that started before the window's executions; "+
		"stage retries before %s were not read: failures fixed by a retry and re-runs are lower bounds",
		grouped(maxActionPages*100), maxActionPages, r.oldest.UTC().Format("Jan 2 15:04 MST"))
}
