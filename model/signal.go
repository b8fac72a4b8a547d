package model

import "time"

// Provider names the CI system a pipeline runs on.
type Provider string

// Pipeline providers.
const (
	GitHubActions Provider = "github-actions"
	CodePipeline  Provider = "codepipeline"
)

// Pipeline is one watched workflow or pipeline on one branch, summarised over
// the window. Nil pointers mean unknown.
type Pipeline struct {
	Provider Provider
	// Scope is where the pipeline lives: "owner/repo" for GitHub Actions,
	// "account/region" for CodePipeline.
	Scope  string
	Name   string
	Branch string
	// Failing is true when the latest completed run failed.
	Failing bool
	// FailingSince is when the current red streak began (nil when green).
	FailingSince *time.Time
	// Failures counts failed runs completed in the window.
	Failures int
	// Reruns counts re-run attempts in the window.
	Reruns int
	// RerunBy names who started those re-runs, one login per re-run whose
	// starter the source reported (GitHub's triggering_actor); fewer than
	// Reruns when it did not say, empty for CodePipeline, which never does.
	RerunBy []string
	// RedHours is the time the pipeline spent red inside the window.
	RedHours      float64
	LastFailureAt *time.Time
	// FailedAt are the completion times of the failed runs in the window.
	FailedAt []time.Time
	URL      string
}

// AlarmState is a CloudWatch alarm state value.
type AlarmState string

// CloudWatch alarm states.
const (
	StateAlarm            AlarmState = "ALARM"
	StateOK               AlarmState = "OK"
	StateInsufficientData AlarmState = "INSUFFICIENT_DATA"
)

// Alarm is one CloudWatch alarm that is firing now or entered ALARM in the
// window.
type Alarm struct {
	Account string
	Region  string
	Name    string
	State   AlarmState
	// Since is when the alarm entered its current state.
	Since  *time.Time
	Reason string
	// Transitions are the moments the alarm entered ALARM inside the window,
	// oldest first. Nil when the history could not be read.
	Transitions []time.Time
	// HistoryKnown is false when the alarm history API was unavailable, so
	// Transitions only holds what the current state reveals.
	HistoryKnown bool
	URL          string
}

// Firing reports whether the alarm is in ALARM now.
func (a Alarm) Firing() bool { return a.State == StateAlarm }

// PRState is the state of a pull request as opsdrag reports it.
type PRState string

// Pull request states.
const (
	PROpen   PRState = "open"
	PRMerged PRState = "merged"
)

// PullRequest is an infrastructure pull request: open now, or merged in the
// window.
type PullRequest struct {
	Repo      string
	Number    int
	Title     string
	Author    string
	State     PRState
	Draft     bool
	CreatedAt time.Time
	MergedAt  *time.Time
	// Paths are the changed files that matched the infra globs.
	Paths []string
	// Labels are the PR's labels that matched the infra labels.
	Labels []string
	URL    string
	// ReviewsKnown is set when the source read the PR's reviews:
	// Reviewers and FirstReviewAt mean nothing without it.
	ReviewsKnown bool
	// Reviewers are the distinct logins that submitted a review, the
	// author excluded, in the order they first reviewed.
	Reviewers []string
	// FirstReviewAt is when someone other than the author first submitted
	// a review; nil when nobody has.
	FirstReviewAt *time.Time
}

// Invoice is one AWS account's bill from Cost Explorer.
type Invoice struct {
	Account string
	// Payer is the account whose Cost Explorer answered for this one: the
	// Organization's management account for a member's bill, else the
	// account itself; empty when unknown (older snapshots).
	Payer string
	// Month is the first day of the last full month.
	Month time.Time
	// LastMonth is the unblended cost of the last full month; nil when unknown.
	LastMonth *float64
	// MonthToDate is the unblended cost so far this month; nil when unknown.
	MonthToDate *float64
	Currency    string
	// ByService is last month's cost per AWS service.
	ByService map[string]float64
}
