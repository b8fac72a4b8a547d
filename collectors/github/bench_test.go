package github

import (
	"context"
	"fmt"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/collectors/github/internal/ghfake"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
)

const (
	benchRepos   = 200
	benchRuns    = 30
	benchPRs     = 10
	benchLatency = 50 * time.Millisecond
)

// benchFake is an organisation of 200 repositories, each with 3 workflows,
// 30 runs over the last 10 days (some failed, some re-run) and 10 pull
// requests (4 open, 4 merged in the window, 2 merged before it), served
// with 50 ms of latency per request.
func benchFake(b *testing.B, repos int) *ghfake.Server {
	f := ghfake.New(b, ghfake.Options{Token: testToken, Prefix: "/api/v3", Latency: benchLatency})
	for i := range repos {
		r := f.AddRepo(fmt.Sprintf("bench/svc-%03d", i), ghfake.Repo{})
		for w := int64(1); w <= 3; w++ {
			f.AddWorkflow(r, ghfake.Workflow{ID: w, Name: fmt.Sprint("wf", w), Path: fmt.Sprintf(".github/workflows/wf%d.yml", w)})
		}
		for k := range benchRuns {
			c := now.Add(-time.Duration(k)*8*time.Hour - time.Hour)
			a := []ghfake.Attempt{{Conclusion: "success", Started: c, Completed: c.Add(10 * time.Minute)}}
			if k%7 == 0 {
				a[0].Conclusion = "failure"
			}
			if k%10 == 5 {
				a = []ghfake.Attempt{
					{Conclusion: "failure", Started: c, Completed: c.Add(10 * time.Minute)},
					{Conclusion: "success", Started: c.Add(20 * time.Minute), Completed: c.Add(30 * time.Minute)},
				}
			}
			f.AddRun(r, ghfake.Run{ID: int64(k + 1), WorkflowID: int64(k%3 + 1), Created: c, Attempts: a})
		}
		for n := 1; n <= benchPRs; n++ {
			c := now.Add(-time.Duration(n) * 12 * time.Hour)
			p := ghfake.Pull{Number: n, Title: fmt.Sprint("change ", n), Created: c,
				Files: files(fmt.Sprintf("src/a%d.go", n), fmt.Sprintf("src/b%d.go", n), "README.md")}
			if n%3 == 1 {
				p.Files = append(p.Files, ghfake.File{Name: "terraform/main.tf"})
			}
			switch {
			case n > 8:
				m := now.Add(-20 * 24 * time.Hour)
				p.Created, p.Closed, p.Merged, p.Updated = m.Add(-time.Hour), &m, &m, m
			case n > 4:
				m := c.Add(6 * time.Hour)
				p.Closed, p.Merged, p.Updated = &m, &m, m
			}
			f.AddPull(r, p)
		}
	}
	return f
}

type benchRun struct {
	wall time.Duration
	cpu  time.Duration // process CPU time, fake server included
	st   ghfake.Stats
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func runBench(b *testing.B, f *ghfake.Server, repos, conc int, cache string, at time.Time) benchRun {
	tr := f.Client().Transport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = conc
	cfg := config.GitHub{APIURL: f.URL(), Orgs: []string{"bench"}, Concurrency: conc}
	runner := collectors.Runner{Collectors: New(cfg, Options{Token: testToken, CacheDir: cache, HTTPClient: &http.Client{Transport: tr}})}
	// Each run starts with a personal token's full hourly limit: a cold
	// collection of this organisation fits in it.
	f.SetRateLimit(5000, 5000, time.Now().Add(time.Hour))
	f.ResetStats()
	start, cpu0 := time.Now(), cpuTime()
	snap := runner.Collect(context.Background(), model.NewSnapshot(week(at), false, runner.Names()))
	wall, cpu := time.Since(start), cpuTime()-cpu0
	for _, src := range snap.Sources {
		if src.Status != model.StatusOK {
			b.Fatalf("%s: %s %s", src.Name, src.Status, src.Detail)
		}
	}
	if len(snap.Pipelines()) != repos*3 || len(snap.PullRequests()) != repos*3 || *snap.MergedPRs() != repos*4 {
		b.Fatalf("collected %d pipelines, %d infra PRs, %d merged; want %d, %d, %d",
			len(snap.Pipelines()), len(snap.PullRequests()), *snap.MergedPRs(), repos*3, repos*3, repos*4)
	}
	return benchRun{wall: wall, cpu: cpu, st: f.Stats()}
}

func report(b *testing.B, r benchRun, conc int) {
	b.ReportMetric(float64(r.st.Requests), "requests")
	b.ReportMetric(float64(r.st.NotModified)/float64(max(r.st.Requests, 1)), "304-share")
	b.ReportMetric(float64(r.st.MaxInFlight), "peak-concurrent")
	// Wall time in units of one request's latency: the round trips on the
	// path actually taken, against the floor set by the concurrency bound.
	b.ReportMetric(float64(r.wall)/float64(benchLatency), "round-trips")
	b.ReportMetric(float64(r.st.Requests)/float64(conc), "floor-round-trips")
	// CPU seconds spent by client and fake together: on a 2-core machine,
	// cpu-s near 2 × wall means the run was bound by CPU, not by latency.
	b.ReportMetric(r.cpu.Seconds(), "cpu-s")
}

// BenchmarkCollect measures both collectors against 200 repos × 30 runs ×
// 10 PRs at 50 ms per request, cold (empty cache) and warm (a second run on
// the same cache), at the default concurrency, at the configurable maximum,
// and effectively unbounded.
//
//	go test -run x -bench . -benchtime 1x ./collectors/github/
func BenchmarkCollect(b *testing.B) {
	f := benchFake(b, benchRepos)
	for _, conc := range []int{config.DefaultGitHubConcurrency, 50, 1000} {
		b.Run(fmt.Sprintf("concurrency=%d/cold", conc), func(b *testing.B) {
			var r benchRun
			for range b.N {
				r = runBench(b, f, benchRepos, conc, b.TempDir(), now)
			}
			report(b, r, conc)
		})
		b.Run(fmt.Sprintf("concurrency=%d/warm", conc), func(b *testing.B) {
			var r benchRun
			for range b.N {
				b.StopTimer()
				cache := b.TempDir()
				runBench(b, f, benchRepos, conc, cache, now)
				b.StartTimer()
				r = runBench(b, f, benchRepos, conc, cache, now.Add(5*time.Minute))
			}
			report(b, r, conc)
		})
	}
}

// BenchmarkCriticalPath runs the same shape on 20 repositories with no
// effective concurrency bound, where CPU does not interfere: its
// round-trips metric is the depth of the request graph (the organisation
// listing, each repository's lists, then attempts and file lists), which
// does not grow with the number of repositories.
func BenchmarkCriticalPath(b *testing.B) {
	const repos = 20
	f := benchFake(b, repos)
	b.ResetTimer()
	var r benchRun
	for range b.N {
		r = runBench(b, f, repos, 1000, b.TempDir(), now)
	}
	report(b, r, 1000)
}
