package report

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/collectors/demo"
	"github.com/opsdrag/opsdrag/model"
)

// now is the fixed moment every test snapshot is relative to: a Monday,
// 09:00 in the demo team's New York.
var now = time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return now }

// demoSnapshot runs the real demo collectors through the real runner at
// now, over w.
func demoSnapshot(w model.Window) model.Snapshot {
	cs := demo.Collectors(demo.Options{Now: fixedNow})
	for i, c := range cs {
		if c.Name() == "aws/cost" {
			cs[i] = stableCost{c}
		}
	}
	r := collectors.Runner{Collectors: cs, Now: fixedNow}
	return r.Collect(context.Background(), model.NewSnapshot(w, true, r.Names()))
}

// demoInput is the demo over the default window ending at now.
func demoInput(t *testing.T, explain bool) Input {
	t.Helper()
	snap := demoSnapshot(model.LastDays(now, model.DefaultWindow))
	// Durations are measured, so they differ on every run: pin them.
	for i := range snap.Sources {
		if snap.Sources[i].Status != model.StatusOK {
			t.Fatalf("demo source %s: %s %s", snap.Sources[i].Name, snap.Sources[i].Status, snap.Sources[i].Detail)
		}
		snap.Sources[i].Duration = time.Duration(i+1)*7*time.Millisecond + 600*time.Microsecond
	}
	return Input{Snapshot: snap, Team: demo.Team(), Assumptions: model.DefaultAssumptions(), GeneratedAt: now.Add(2 * time.Second), Explain: explain}
}

// stableCost wraps the demo's cost collector and re-sums each invoice's
// services in name order. The demo sums a map in Go's random iteration
// order, so its total differs in the last bits from run to run
// (4190.47 or 4190.469999999999), which would make the goldens flaky.
type stableCost struct{ collectors.Collector }

func (s stableCost) Collect(ctx context.Context, w model.Window) (collectors.Result, error) {
	res, err := s.Collector.Collect(ctx, w)
	for i, inv := range res.Data.Invoices {
		if inv.LastMonth == nil {
			continue
		}
		var total float64
		for _, k := range slices.Sorted(maps.Keys(inv.ByService)) {
			total += inv.ByService[k]
		}
		res.Data.Invoices[i].LastMonth = &total
	}
	return res, err
}

// outcome is one source's result for a hand-built snapshot.
type outcome struct {
	name   string
	status model.Status
	detail string
	data   model.Data
}

// handSnapshot builds a snapshot of the given window from outcomes, the way
// the runner does.
func handSnapshot(w model.Window, demo bool, outs ...outcome) model.Snapshot {
	names := make([]string, len(outs))
	for i, o := range outs {
		names[i] = o.name
	}
	snap := model.NewSnapshot(w, demo, names)
	for i, o := range outs {
		snap = snap.With(model.Outcome{
			Source: model.Source{Name: o.name, Status: o.status, Detail: o.detail, Duration: time.Duration(i+1) * time.Second, At: w.Until},
			Data:   o.data,
		})
	}
	return snap
}

// twoWeeks is a 14-day window ending at now, so the week scale is exactly 0.5.
var twoWeeks = model.Window{Since: now.AddDate(0, 0, -14), Until: now}

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// unknownsInput is a snapshot where everything that can be unknown is: a
// CodePipeline (no branch), an alarm without history, no invoice, and a
// team with neither engineers nor an hourly cost.
func unknownsInput() Input {
	snap := handSnapshot(twoWeeks, false,
		outcome{name: "aws/codepipeline", status: model.StatusOK, data: model.Data{Pipelines: []model.Pipeline{{
			Provider: model.CodePipeline, Scope: "111122223333/us-east-1", Name: "prod-deploy",
			Failing: true, FailingSince: at("2026-11-01T10:00:00Z"), RedHours: 336,
		}}}},
		outcome{name: "aws/alarms", status: model.StatusPartial, detail: "alarm history: AccessDenied in us-east-1 (add cloudwatch:DescribeAlarmHistory)",
			data: model.Data{Alarms: []model.Alarm{{
				Region: "us-east-1", Name: "prod-api-5xx", State: model.StateAlarm, Reason: "Threshold Crossed",
			}}}},
		outcome{name: "github/pulls", status: model.StatusOK, data: model.Data{PullRequests: []model.PullRequest{{
			Repo: "acme/infra", Number: 7, Title: "Bump the VPC CIDR", State: model.PROpen, Draft: true,
			CreatedAt: now.Add(-50 * time.Hour), Paths: []string{"terraform/vpc.tf"},
		}}}},
		outcome{name: "aws/cost", status: model.StatusError, detail: "AccessDeniedException: ce:GetCostAndUsage (add it to the opsdrag policy)"},
		outcome{name: "aws/inventory", status: model.StatusSkipped, detail: "no AWS credentials (run aws configure)"},
	)
	return Input{Snapshot: snap, Team: model.Team{}, Assumptions: model.DefaultAssumptions(), GeneratedAt: now}
}

// hostileTitle tries to break a markdown table, inject a link and HTML.
const hostileTitle = "Fix | pipe](http://evil) <img src=x onerror=alert(1)> *bold* _it_ `code` [x]"

// hostileInput carries remote text written to break out of the markdown.
func hostileInput() Input {
	snap := handSnapshot(twoWeeks, false,
		outcome{name: "github/actions", status: model.StatusOK, data: model.Data{Pipelines: []model.Pipeline{{
			Provider: model.GitHubActions, Scope: "evil/repo", Name: "CI | `x`", Branch: "feat|x_<b>y</b>",
			Failures: 1, LastFailureAt: at("2026-11-20T10:00:00Z"),
			URL: "https://github.com/evil/repo/actions?q=a)(b|c d",
		}}}},
		outcome{name: "aws/alarms", status: model.StatusOK, data: model.Data{Alarms: []model.Alarm{{
			Account: "111122223333", Region: "us-east-1", Name: "a|b](javascript:alert(1))", State: model.StateAlarm,
			Since: at("2026-11-23T13:00:00Z"), Reason: "<script>alert(1)</script> | *x*",
			Transitions: []time.Time{*at("2026-11-23T13:00:00Z")}, HistoryKnown: true,
			URL: "javascript:alert(1)",
		}}}},
		outcome{name: "github/pulls", status: model.StatusOK, data: model.Data{PullRequests: []model.PullRequest{{
			Repo: "evil/repo", Number: 1, Title: hostileTitle, Author: "m_a_l", State: model.PROpen,
			CreatedAt: now.Add(-30 * time.Minute), Labels: []string{"[infra](http://evil)"},
			URL: "https://github.com/evil/repo/pull/1",
		}}}},
	)
	return Input{Snapshot: snap, Team: model.Team{Name: "team_*x*"}, Assumptions: model.DefaultAssumptions(), GeneratedAt: now}
}

// render writes in as f and fails the test on error.
func render(t *testing.T, f Format, in Input) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, f, in); err != nil {
		t.Fatalf("Write(%s): %v", f, err)
	}
	return buf.String()
}
