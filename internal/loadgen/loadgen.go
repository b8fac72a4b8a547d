// Package loadgen builds large, realistic snapshots for the load
// benchmarks: a big organisation's week (1,000 repositories, 10,000
// pipeline rows, 2,000 infra PRs, 5,000 alarms) in the shape the
// collectors produce, through the same snapshot updates a refresh makes.
// It is deterministic: the same size gives the same snapshot.
package loadgen

import (
	"fmt"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// Size is how much a snapshot holds.
type Size struct {
	Repos, Pipelines, PullRequests, Alarms int
}

// Large is the organisation issue 14 asks opsdrag to stay fast for.
var Large = Size{Repos: 1000, Pipelines: 10000, PullRequests: 2000, Alarms: 5000}

// Sources are the sources a generated snapshot has, in order.
var Sources = []string{"github/actions", "github/pulls", "aws/alarms", "aws/codepipeline", "aws/cost", "aws/inventory"}

// Team is the team the benchmarks compute for.
func Team() model.Team {
	return model.Team{Name: "acme", Engineers: 40, HourlyCost: 110, Currency: "USD", Location: time.UTC}
}

// Outcomes are what each source answers for the window ending at now, as a
// refresh streams them.
func Outcomes(s Size, now time.Time) []model.Outcome {
	w := model.LastDays(now, model.DefaultWindow)
	ago := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	var actions, codepipeline model.Data
	for i := range s.Pipelines {
		repo := fmt.Sprintf("acme/service-%04d", i%max(s.Repos, 1))
		p := model.Pipeline{Provider: model.GitHubActions, Scope: repo, Name: fmt.Sprintf("workflow-%d", i/max(s.Repos, 1)),
			Branch: "main", URL: fmt.Sprintf("https://github.com/%s/actions/runs/%d", repo, 1_000_000+i)}
		if i%7 == 0 {
			p.Failures, p.Reruns = 1+i%4, i%3
			p.LastFailureAt = ago(time.Duration(i%160) * time.Hour)
			for k := range p.Failures {
				p.FailedAt = append(p.FailedAt, now.Add(-time.Duration(i%160+k*3)*time.Hour))
			}
			if i%21 == 0 {
				p.Failing, p.FailingSince, p.RedHours = true, ago(time.Duration(1+i%40)*time.Hour), float64(1+i%40)
			}
		}
		if i%10 == 9 { // one pipeline in ten is a CodePipeline
			p.Provider, p.Scope, p.Branch = model.CodePipeline, "111122223333/us-east-1", ""
			codepipeline.Pipelines = append(codepipeline.Pipelines, p)
			continue
		}
		actions.Pipelines = append(actions.Pipelines, p)
	}
	var pulls model.Data
	merged := s.PullRequests
	pulls.MergedPRs = &merged
	for i := range s.PullRequests {
		repo := fmt.Sprintf("acme/service-%04d", i%max(s.Repos, 1))
		pr := model.PullRequest{Repo: repo, Number: 1000 + i, Title: fmt.Sprintf("Raise the RDS storage alarm threshold for shard %d", i),
			Author: fmt.Sprintf("dev%d", i%60), State: model.PROpen, CreatedAt: now.Add(-time.Duration(1+i%300) * time.Hour),
			Paths: []string{"terraform/rds.tf", fmt.Sprintf("terraform/shard-%d.tf", i)}, URL: fmt.Sprintf("https://github.com/%s/pull/%d", repo, 1000+i)}
		if i%2 == 0 {
			pr.State, pr.MergedAt = model.PRMerged, ago(time.Duration(i%150)*time.Hour)
		}
		pulls.PullRequests = append(pulls.PullRequests, pr)
	}
	var alarms model.Data
	for i := range s.Alarms {
		a := model.Alarm{Account: "111122223333", Region: []string{"us-east-1", "eu-west-1"}[i%2], Name: fmt.Sprintf("prod-service-%04d-5xx-rate", i),
			State: model.StateOK, Since: ago(time.Duration(i%300) * time.Hour), HistoryKnown: true,
			Reason: "Threshold Crossed: 1 out of the last 1 datapoints [12.0 (23/11/26 03:12:00)] was greater than the threshold (5.0)."}
		if i%5 == 0 {
			for k := range 1 + i%6 {
				a.Transitions = append(a.Transitions, now.Add(-time.Duration(i%150+k*5)*time.Hour))
			}
		}
		if i%50 == 0 {
			a.State = model.StateAlarm
		}
		alarms.Alarms = append(alarms.Alarms, a)
	}
	alarms.AlarmReach = []model.AlarmReach{{Place: model.Place{Account: "111122223333", Region: "us-east-1"}, From: w.Since, Until: now},
		{Place: model.Place{Account: "111122223333", Region: "eu-west-1"}, From: w.Since, Until: now}}
	bill, mtd := 182_000.0, 151_000.0
	cost := model.Data{Invoices: []model.Invoice{{Account: "111122223333", Payer: "111122223333", Month: time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC),
		LastMonth: &bill, MonthToDate: &mtd, Currency: "USD", ByService: map[string]float64{"Amazon RDS": 60_000, "Amazon EC2": 90_000, "AWS Lambda": 32_000}}}}
	var inventory model.Data
	for i, kind := range []model.Kind{model.KindECSService, model.KindRDSInstance, model.KindElastiCache, model.KindSQSQueue, model.KindLambda, model.KindLoadBalancer} {
		g := model.ResourceGroup{Kind: kind, Account: "111122223333", Region: "us-east-1", Count: 40 * (i + 1)}
		for k := range g.Count {
			g.Names = append(g.Names, fmt.Sprintf("%s-%d", kind, k))
		}
		inventory.Inventory = append(inventory.Inventory, g)
	}
	out := make([]model.Outcome, 0, len(Sources))
	for i, d := range []model.Data{actions, pulls, alarms, codepipeline, cost, inventory} {
		out = append(out, model.Outcome{Source: model.Source{Name: Sources[i], Status: model.StatusOK, At: now, Duration: time.Minute}, Data: d})
	}
	return out
}

// Snapshot is the snapshot a refresh ending at now leaves: every outcome
// applied in turn.
func Snapshot(s Size, now time.Time) model.Snapshot {
	snap := model.NewSnapshot(model.LastDays(now, model.DefaultWindow), false, Sources)
	for _, o := range Outcomes(s, now) {
		snap = snap.With(o)
	}
	return snap
}
