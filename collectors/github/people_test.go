package github

import (
	"slices"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/internal/ghfake"
)

// Who re-ran comes from each attempt's triggering_actor (the run's actor
// stays whoever pushed): attempts 2..n-1 from the attempts read anyway,
// attempt n from the runs list. A second collection, answered from the
// kept attempts, names the same people without asking again.
func TestActionsRerunBy(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	r := f.AddRepo("acme/api", ghfake.Repo{DefaultBranch: "main"})
	f.AddWorkflow(r, ghfake.Workflow{ID: 1, Name: "CI", Path: ".github/workflows/ci.yml"})
	c := at("2026-11-20T09:00:00Z")
	step := func(i int, conclusion, by string) ghfake.Attempt {
		s := c.Add(time.Duration(i) * time.Hour)
		return ghfake.Attempt{Conclusion: conclusion, Started: s, Completed: s.Add(10 * time.Minute), By: by}
	}
	f.AddRun(r, ghfake.Run{ID: 7, WorkflowID: 1, Created: c, Attempts: []ghfake.Attempt{
		step(0, "failure", "pusher"), step(1, "failure", "ana"), step(2, "success", "bo"),
	}})

	cache := t.TempDir()
	for round := range 2 {
		p := connectTo(f, config.GitHub{Repos: []string{"acme/api"}}, cache)
		res := collect(t, p.actions, week(now.Add(time.Duration(round)*time.Minute)))
		if len(res.Data.Pipelines) != 1 {
			t.Fatalf("round %d: pipelines %+v (warnings %q)", round, res.Data.Pipelines, res.Warnings)
		}
		pl := res.Data.Pipelines[0]
		if pl.Reruns != 2 || !slices.Equal(pl.RerunBy, []string{"ana", "bo"}) {
			t.Errorf("round %d: Reruns = %d, RerunBy = %q; want 2 by ana, bo", round, pl.Reruns, pl.RerunBy)
		}
	}
	if n := f.Stats().Count("/repos/acme/api/actions/runs/7/attempts/1"); n != 1 {
		t.Errorf("attempt 1 read %d times, want once ever", n)
	}
}

// Reviews come with the labels, in the details query already sent: the
// distinct reviewers other than the author, in the order they first
// reviewed, and when the first of them did. A deleted account's review
// counts for the time, not as a person.
func TestPullsReviewers(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	r := f.AddRepo("acme/infra", ghfake.Repo{})
	created := at("2026-11-19T09:00:00Z")
	f.AddPull(r, ghfake.Pull{Number: 1, Title: "Resize the cluster", Author: "dev", Created: created, Updated: created,
		Closed: timePtr("2026-11-21T10:00:00Z"), Merged: timePtr("2026-11-21T10:00:00Z"), Files: files("infra/eks.tf"),
		Reviews: []ghfake.Review{
			{By: "dev", At: at("2026-11-19T10:00:00Z")}, // the author answering: not a review of theirs
			{By: "", At: at("2026-11-19T12:00:00Z")},
			{By: "rev-a", At: at("2026-11-20T09:00:00Z")},
			{By: "rev-b", At: at("2026-11-20T11:00:00Z")},
			{By: "rev-a", At: at("2026-11-21T09:00:00Z")},
		}})
	f.AddPull(r, ghfake.Pull{Number: 2, Title: "New VPC", Author: "ops", Created: created, Updated: created, Files: files("infra/vpc.tf")})

	p := connectTo(f, config.GitHub{Repos: []string{"acme/infra"}}, t.TempDir())
	res := collect(t, p.pulls, week(now))
	if len(res.Warnings) != 0 || len(res.Data.PullRequests) != 2 {
		t.Fatalf("PRs %+v, warnings %q", res.Data.PullRequests, res.Warnings)
	}
	reviewed, waiting := res.Data.PullRequests[1], res.Data.PullRequests[0]
	if reviewed.Number != 1 {
		reviewed, waiting = waiting, reviewed
	}
	if !reviewed.ReviewsKnown || !slices.Equal(reviewed.Reviewers, []string{"rev-a", "rev-b"}) ||
		!sameTime(reviewed.FirstReviewAt, timePtr("2026-11-19T12:00:00Z")) {
		t.Errorf("#1: known %v, reviewers %q, first %v; want rev-a, rev-b, first at 12:00 on the 19th",
			reviewed.ReviewsKnown, reviewed.Reviewers, reviewed.FirstReviewAt)
	}
	if !waiting.ReviewsKnown || len(waiting.Reviewers) != 0 || waiting.FirstReviewAt != nil {
		t.Errorf("#2: known %v, reviewers %q, first %v; want known and none", waiting.ReviewsKnown, waiting.Reviewers, waiting.FirstReviewAt)
	}
	if st := f.Stats(); st.GraphQL != 2 {
		t.Errorf("%d GraphQL queries, want 2: reviews ride on the details query", st.GraphQL)
	}
}
