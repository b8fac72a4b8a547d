package github

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/internal/ghfake"
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
func benchFake(b *testing.B, repos int, tune ...func(*ghfake.Options)) *ghfake.Server {
	opts := ghfake.Options{Token: testToken, Prefix: "/api/v3", Latency: benchLatency}
	for _, t := range tune {
		t(&opts)
	}
	f := ghfake.New(b, opts)
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
	st   ghfake.Stats
	use  []*model.Usage
}

// collectOnce runs both collectors of runner once, as a refresh does, and
// checks the answers are the scenario's.
func collectOnce(b *testing.B, f *ghfake.Server, runner collectors.Runner, repos int, at time.Time) benchRun {
	f.ResetStats()
	start := time.Now()
	snap := runner.Collect(context.Background(), model.NewSnapshot(week(at), false, runner.Names()))
	wall := time.Since(start)
	var use []*model.Usage
	for _, src := range snap.Sources {
		if src.Status != model.StatusOK {
			b.Fatalf("%s: %s %s", src.Name, src.Status, src.Detail)
		}
		use = append(use, src.Usage)
	}
	if len(snap.Pipelines()) != repos*3 || len(snap.PullRequests()) != repos*3 || *snap.MergedPRs() != repos*4 {
		b.Fatalf("collected %d pipelines, %d infra PRs, %d merged; want %d, %d, %d",
			len(snap.Pipelines()), len(snap.PullRequests()), *snap.MergedPRs(), repos*3, repos*3, repos*4)
	}
	return benchRun{wall: wall, st: f.Stats(), use: use}
}

func newRunner(f *ghfake.Server, conc int, cache string) collectors.Runner {
	tr := f.Client().Transport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = conc
	cfg := config.GitHub{APIURL: f.URL(), Orgs: []string{"bench"}, Concurrency: conc}
	return collectors.Runner{Collectors: New(cfg, Options{Token: testToken, CacheDir: cache, HTTPClient: &http.Client{Transport: tr}})}
}

func report(b *testing.B, phase string, r benchRun, repos int) {
	b.ReportMetric(float64(r.st.Requests)/float64(repos), phase+"-requests/repo")
	b.ReportMetric(float64(r.st.GraphQL), phase+"-graphql")
	b.ReportMetric(r.wall.Seconds(), phase+"-s")
	// The pace floor: every request at GitHub's 900 a minute, 15 a second.
	b.ReportMetric(float64(r.st.Requests)/15, phase+"-floor-s")
	b.ReportMetric(float64(r.st.PeakRESTPerMinute), phase+"-peak-rest/min")
	b.ReportMetric(float64(r.st.SecondaryLimited), phase+"-refused")
	var paced time.Duration
	for _, u := range r.use {
		paced = max(paced, u.Paced)
	}
	b.ReportMetric(paced.Seconds(), phase+"-paced-s")
}

// BenchmarkCollect measures a refresh of both collectors, as opsdrag runs
// them by default (paced under GitHub's secondary limits, concurrency 8),
// against 200 repos × 30 runs × 10 PRs at 50 ms per request: cold (empty
// cache), then, a minute later as a second refresh of the same process,
// warm. The fake enforces GitHub's 900 points a minute; "refused" counts
// the requests it refused for it.
//
//	go test -run x -bench Collect -benchtime 1x ./collectors/github/
func BenchmarkCollect(b *testing.B) {
	f := benchFake(b, benchRepos)
	_ = ghfake.ValidateQuery(queryWorkflows, nil) // load the fake's schema outside the measure
	b.ResetTimer()
	for range b.N {
		runner := newRunner(f, config.DefaultGitHubConcurrency, b.TempDir())
		f.SetRateLimit(5000, 5000, time.Now().Add(time.Hour))
		cold := collectOnce(b, f, runner, benchRepos, now)
		b.StopTimer()
		time.Sleep(time.Minute) // the next refresh, a minute later
		b.StartTimer()
		warm := collectOnce(b, f, runner, benchRepos, now.Add(5*time.Minute))
		report(b, "cold", cold, benchRepos)
		report(b, "warm", warm, benchRepos)
	}
}

// BenchmarkCriticalPath runs the same shape on 20 repositories with no
// pacing and no concurrency bound (and a fake that does not refuse them),
// where neither the pace nor CPU interferes: its wall time in round trips
// is the depth of the request graph, which does not grow with the number
// of repositories.
func BenchmarkCriticalPath(b *testing.B) {
	const repos = 20
	f := benchFake(b, repos, func(o *ghfake.Options) { o.NoSecondaryLimits = true })
	_ = ghfake.ValidateQuery(queryWorkflows, nil) // load the fake's schema outside the measure
	b.ResetTimer()
	var r benchRun
	for range b.N {
		cfg := config.GitHub{APIURL: f.URL(), Orgs: []string{"bench"}}
		opts := Options{Token: testToken, CacheDir: b.TempDir(), HTTPClient: f.Client()}
		st := defaultSettings(cfg, opts)
		st.concurrency, st.pace = 1000, paceLimits{}
		s := newSession(cfg, opts, st)
		runner := collectors.Runner{Collectors: []collectors.Collector{&actionsCollector{s: s}, &pullsCollector{s: s}}}
		r = collectOnce(b, f, runner, repos, now)
	}
	b.ReportMetric(float64(r.wall)/float64(benchLatency), "round-trips")
	b.ReportMetric(float64(r.st.Requests)/float64(repos), "requests/repo")
}
