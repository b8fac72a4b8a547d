package awscollect

import (
	"fmt"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
)

// benchRegions are 17 commercial regions, as a team with `regions: [all]`
// would have enabled by default.
var benchRegions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
	"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
	"ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
}

// benchLatency is injected into every request the fake answers.
const benchLatency = 50 * time.Millisecond

// criticalPathRequests is the longest chain of requests that must wait
// for one another in this scenario: the profile's identity (STS), then ECS
// clusters, then each cluster's services, then how those services run.
// Everything else hangs off the identity at a depth of at most 3.
const criticalPathRequests = 4

// BenchmarkAlarmsAndInventory collects alarms and inventory for 17 regions
// × 2 profiles (two accounts) from the HTTP fake at 50 ms per request, and
// reports the wall time against the sum of all request latencies (what a
// sequential collector would take) and against the critical path (the
// floor no amount of concurrency can beat).
//
//	go test -run '^$' -bench AlarmsAndInventory -benchtime 3x ./collectors/aws/
func BenchmarkAlarmsAndInventory(b *testing.B) {
	for _, inFlight := range []int{DefaultMaxInFlight, 1024} {
		b.Run(fmt.Sprintf("max-in-flight=%d", inFlight), func(b *testing.B) {
			f := newFakeAWS(b)
			f.latency = benchLatency
			f.account("AKID-prod", "222222222222")
			f.account("AKID-staging", "333333333333")
			installInventory(f)
			cw := cloudwatchWorld{alarms: map[string][]map[string]any{}, history: map[string][]map[string]any{}}
			for _, r := range benchRegions {
				cw.alarms[r] = []map[string]any{
					metricAlarm("api-5xx", "ALARM", "r", at(time.Wednesday, 10, 0)),
					metricAlarm("queue-age", "ALARM", "r", at(time.Tuesday, 23, 0)),
				}
				cw.history[r] = []map[string]any{
					historyItem("api-5xx", "MetricAlarm", "OK", "ALARM", at(time.Wednesday, 10, 0)),
					historyItem("queue-age", "MetricAlarm", "OK", "ALARM", at(time.Tuesday, 23, 0)),
					historyItem("db-cpu", "MetricAlarm", "ALARM", "OK", at(time.Monday, 4, 0)),
					historyItem("db-cpu", "MetricAlarm", "OK", "ALARM", at(time.Monday, 3, 0)),
				}
			}
			cw.install(b, f)
			cfg := config.AWS{Profiles: []string{"prod", "staging"}, Regions: benchRegions}

			var wall time.Duration
			requests := 0
			b.ResetTimer()
			for i := range b.N {
				cs := fakeCollectors(b, f, cfg, func(o *Options) { o.MaxInFlight = inFlight })
				before := len(f.requests())
				start := time.Now()
				outs := runAll(b, model.LastDays(testNow.Add(time.Duration(i)*time.Minute), 7*24*time.Hour), cs[NameAlarms], cs[NameInventory])
				wall += time.Since(start)
				requests += len(f.requests()) - before
				for name, o := range outs {
					if o.Source.Status != model.StatusOK {
						b.Fatalf("%s: %s %s", name, o.Source.Status, o.Source.Detail)
					}
				}
				if n := len(outs[NameAlarms].Data.Alarms); n != 3*len(benchRegions)*2 {
					b.Fatalf("got %d alarms, want %d", n, 3*len(benchRegions)*2)
				}
			}
			b.StopTimer()
			perRun := float64(requests) / float64(b.N)
			wallMS := float64(wall.Milliseconds()) / float64(b.N)
			seqMS := perRun * float64(benchLatency.Milliseconds())
			critMS := float64(criticalPathRequests * benchLatency.Milliseconds())
			b.ReportMetric(wallMS, "wall-ms")
			b.ReportMetric(perRun, "requests")
			b.ReportMetric(seqMS, "sequential-ms")
			b.ReportMetric(critMS, "critical-path-ms")
			b.ReportMetric(seqMS/wallMS, "x-faster-than-sequential")
			b.ReportMetric(wallMS/critMS, "x-critical-path")
			b.ReportMetric(float64(f.peak), "peak-in-flight")
		})
	}
}

// BenchmarkCodePipeline collects 20 pipelines of one region from the HTTP
// fake at 50 ms per request. Each ran 3 times a day over the week (one
// deploy in ten failed and was retried) and has 100 older executions: the
// listings must prove they reached past the window without relying on an
// order, and read the stage retries of the week's executions.
//
//	go test -run '^$' -bench CodePipeline -benchtime 3x ./collectors/aws/
func BenchmarkCodePipeline(b *testing.B) {
	const pipelines = 20
	f := newFakeAWS(b)
	f.latency = benchLatency
	runs := map[string][]fakeExecution{}
	for p := range pipelines {
		name := fmt.Sprintf("service-%02d", p)
		for i := range 21 + 100 {
			end := testNow.Add(-time.Duration(i*8+1) * time.Hour)
			e := execution(fmt.Sprint(name, "-", i), "Succeeded", end.Add(-20*time.Minute), end)
			if i%10 == 3 {
				e = e.retried(end.Add(-10 * time.Minute))
			}
			runs[name] = append(runs[name], e)
		}
	}
	installPipelines(f, runs)
	cfg := config.AWS{Regions: []string{"eu-west-1"}}

	var wall time.Duration
	requests := map[string]int{}
	b.ResetTimer()
	for i := range b.N {
		c := fakeCollectors(b, f, cfg)[NameCodePipeline]
		before := len(f.requests())
		start := time.Now()
		o := runOne(b, c, model.LastDays(testNow.Add(time.Duration(i)*time.Minute), 7*24*time.Hour))
		wall += time.Since(start)
		for _, call := range f.requests()[before:] {
			requests[call.Op]++
		}
		if o.Source.Status != model.StatusOK || len(o.Data.Pipelines) != pipelines {
			b.Fatalf("%s %q: %d pipelines", o.Source.Status, o.Source.Detail, len(o.Data.Pipelines))
		}
		for _, p := range o.Data.Pipelines {
			if p.Failures != 2 || p.Reruns != 2 {
				b.Fatalf("%s: %d failures, %d re-runs; want the 2 retried deploys of the week", p.Name, p.Failures, p.Reruns)
			}
		}
	}
	b.StopTimer()
	per := func(op string) float64 { return float64(requests[op]) / float64(b.N) / pipelines }
	b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "wall-ms")
	b.ReportMetric(per("ListPipelineExecutions"), "executions-requests/pipeline")
	b.ReportMetric(per("ListActionExecutions"), "actions-requests/pipeline")
}
