package demo

import (
	"fmt"
	"math"
	"time"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

func (d dataset) pulls() collectors.Result {
	pr := func(repo string, n int, title, author string, created time.Time, merged *time.Time, paths, labels []string) model.PullRequest {
		state := model.PROpen
		if merged != nil {
			state = model.PRMerged
		}
		return model.PullRequest{Repo: repo, Number: n, Title: title, Author: author, State: state,
			CreatedAt: created, MergedAt: merged, Paths: paths, Labels: labels,
			URL: fmt.Sprintf("https://github.com/%s/pull/%d", repo, n)}
	}
	at := func(hoursAgo float64) *time.Time { return ptr(d.ago(h(hoursAgo))) }
	// reviewed sets who reviewed a PR, the first of them firstAgo hours
	// ago: the infra PRs wait on the same two reviewers.
	reviewed := func(p model.PullRequest, firstAgo float64, who ...string) model.PullRequest {
		p.ReviewsKnown, p.Reviewers = true, who
		if len(who) > 0 {
			p.FirstReviewAt = at(firstAgo)
		}
		return p
	}
	all := []model.PullRequest{
		reviewed(pr("acme/infra", 219, "Rotate the deploy role's IAM policy", "mchen", d.ago(h(24*9)), nil,
			[]string{"iam/deploy-role-policy.json"}, []string{"infra"}), 0),
		reviewed(pr("acme/infra", 231, "Bump RDS instance class to db.r6g.xlarge", "priya", d.ago(h(96)), nil,
			[]string{"terraform/rds/acme-prod-db.tf", "terraform/variables.tf"}, []string{"infra", "database"}), 40, "mchen"),
		reviewed(pr("acme/api", 1050, "Fix Dockerfile layer caching for the api image", "tom", d.ago(h(20)), nil,
			[]string{"Dockerfile"}, nil), 0),
		reviewed(pr("acme/infra", 228, "Add ALB listener rule for /v2", "priya", d.ago(h(80)), at(50),
			[]string{"terraform/alb/acme-prod-alb.tf"}, []string{"infra"}), 58, "mchen"),
		reviewed(pr("acme/api", 1042, "Raise ECS task memory to 2 GiB", "sam", d.ago(h(30)), at(22),
			[]string{"deploy/ecs/task-definition.json"}, nil), 24, "priya"),
		reviewed(pr("acme/web", 877, "Move CI to Node 22", "lena", d.ago(h(100)), at(70),
			[]string{".github/workflows/ci.yml", ".github/workflows/e2e.yml"}, nil), 75, "priya", "tom"),
		reviewed(pr("acme/infra", 225, "Raise SQS visibility timeout on orders", "mchen", d.ago(h(130)), at(120),
			[]string{"terraform/sqs.tf"}, []string{"infra"}), 124, "priya"),
		// Merged 10 days ago: in a two-week window only.
		reviewed(pr("acme/infra", 214, "Enable RDS performance insights", "priya", d.ago(h(24*14)), at(24*10),
			[]string{"terraform/rds.tf"}, []string{"infra"}), 24*12, "mchen"),
	}
	var out []model.PullRequest
	infraMerged := 0
	for _, p := range all {
		switch {
		case p.State == model.PROpen:
			out = append(out, p)
		case d.w.Contains(*p.MergedAt):
			out = append(out, p)
			infraMerged++
		}
	}
	// The team merges about 23 PRs a week across its repos, infra or not.
	merged := max(int(math.Round(23*d.w.Days()/7)), infraMerged)
	return collectors.Result{Data: model.Data{PullRequests: out, MergedPRs: &merged}}
}
