package github

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/internal/ghfake"
)

// fastClock runs k times faster than the wall clock, for the client's pacer
// and the fake's per-minute limits alike, so minutes of pacing take seconds.
type fastClock struct {
	start time.Time
	real  time.Time
	k     float64
}

func newFastClock(k float64) *fastClock {
	return &fastClock{start: time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC), real: time.Now(), k: k}
}

func (c *fastClock) now() time.Time {
	return c.start.Add(time.Duration(float64(time.Since(c.real)) * c.k))
}

func (c *fastClock) sleep(ctx context.Context, d time.Duration) error {
	return sleep(ctx, time.Duration(float64(d)/c.k))
}

func (c *fastClock) tune(s *settings) { s.now, s.sleep = c.now, c.sleep }

// sleepClock is time that passes only when something sleeps: each sleep
// moves the clock on by its length, at once, as if no two sleeps overlapped.
// A paced wait then lasts exactly what the pacer asked for, however slow the
// machine running the test; on a fast clock, the time a slow machine takes
// to send each request shortens the waits (a CI run once measured 6.97 s of
// pacing where the pacer asked for 9.15 s).
type sleepClock struct {
	mu sync.Mutex
	t  time.Time
}

func newSleepClock() *sleepClock {
	return &sleepClock{t: time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)}
}

func (c *sleepClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *sleepClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return nil
}

func (c *sleepClock) tune(s *settings) { s.now, s.sleep = c.now, c.sleep }

// hammer sends n GETs through the stack from 16 goroutines.
func hammer(t *testing.T, f *ghfake.Server, st settings, n int) {
	t.Helper()
	rt := newStack(f.Client().Transport, st, &budget{now: st.now, reserve: defaultReserve}, "")
	cl := &http.Client{Transport: rt}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for range jobs {
				req, _ := http.NewRequest(http.MethodGet, f.URL()+"repos/acme/api", nil)
				req.Header.Set("Authorization", "Bearer "+testToken)
				resp, err := cl.Do(req)
				if err != nil {
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}

// By default opsdrag never exceeds GitHub's secondary limit of 900 REST
// points a minute, however much it has to ask: it paces itself with a
// token bucket instead of waiting for 403s. Without the pacer, the same
// requests are refused by the fake as GitHub would refuse them.
func TestPacingStaysUnderTheSecondaryLimit(t *testing.T) {
	clock := newFastClock(20)
	f := newFake(t, ghfake.Options{Now: clock.now})
	f.AddRepo("acme/api", ghfake.Repo{})
	st := defaultSettings(config.GitHub{}, Options{})
	clock.tune(&st)
	st.concurrency = 16

	start := clock.now()
	hammer(t, f, st, 1200)
	took := clock.now().Sub(start)
	s := f.Stats()
	if s.SecondaryLimited != 0 || s.PeakRESTPerMinute > ghfake.RESTPointsPerMinute {
		t.Errorf("paced: %d requests refused, peak %d a minute; want none refused, at most 900", s.SecondaryLimited, s.PeakRESTPerMinute)
	}
	if floor := time.Duration(float64(1200-15) / (float64(defaultPace.rest-15) / 60) * float64(time.Second)); took < floor-time.Second {
		t.Errorf("1,200 requests took %s of fake time, less than the pace allows (%s)", took, floor)
	}

	// The same requests unpaced: GitHub would refuse many.
	clock2 := newFastClock(20)
	f2 := newFake(t, ghfake.Options{Now: clock2.now})
	f2.AddRepo("acme/api", ghfake.Repo{})
	st2 := defaultSettings(config.GitHub{}, Options{})
	clock2.tune(&st2)
	st2.concurrency, st2.pace, st2.secondaryRetries = 16, paceLimits{}, 0
	hammer(t, f2, st2, 1200)
	if s := f2.Stats(); s.SecondaryLimited == 0 {
		t.Errorf("unpaced: no request refused (peak %d a minute): the fake does not model the limit", s.PeakRESTPerMinute)
	}
}

// Each collection says what it spent: requests, 304s, the hourly budget
// left, and the time it was held back to stay under the per-minute limit.
func TestUsageIsReported(t *testing.T) {
	clock := newSleepClock()
	f := newFake(t, ghfake.Options{Now: clock.now})
	actionsScenario(f)
	cache := t.TempDir()
	p := connectTo(f, config.GitHub{Repos: []string{"acme/api"}}, cache, clock.tune, func(s *settings) {
		s.pace = paceLimits{rest: 60, graphql: 60} // one a second, to see pacing on a small scenario
	})
	res := collect(t, p.actions, week(now))
	u := res.Usage
	st := f.Stats()
	if u == nil || u.Requests != st.Requests || u.NotModified != 0 {
		t.Fatalf("usage = %+v, want %d requests, no 304", u, st.Requests)
	}
	if u.RateLimit != 5000 || u.RateRemaining != f.RateRemaining() || u.RateReset.IsZero() {
		t.Errorf("usage = %+v, want the hourly limit 5000 with %d left", u, f.RateRemaining())
	}
	if want := time.Duration(st.Requests-1) * time.Second; u.Paced < want {
		t.Errorf("paced %s for %d requests at one a second, want at least %s", u.Paced, st.Requests, want)
	}

	f.ResetStats()
	res2 := collect(t, p.actions, week(now.Add(time.Minute)))
	st2 := f.Stats()
	if u2 := res2.Usage; u2.Requests != st2.Requests || u2.NotModified != st2.NotModified || u2.NotModified == 0 {
		t.Errorf("second collection usage = %+v, want %d requests, %d of them 304", u2, st2.Requests, st2.NotModified)
	}
}
