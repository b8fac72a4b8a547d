package github

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/internal/ghfake"
	"github.com/opsdrag/opsdrag/model"
)

// testToken is distinctive enough to grep the cache directory for.
const testToken = "ghp_opsdragTESTtoken0123456789abcdefXYZ"

// now is a Wednesday afternoon; the default window is the week before it.
var now = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)

func week(until time.Time) model.Window { return model.LastDays(until, 7*24*time.Hour) }

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func newFake(t testing.TB, opts ghfake.Options) *ghfake.Server {
	if opts.Token == "" {
		opts.Token = testToken
	}
	if opts.Prefix == "" {
		opts.Prefix = "/api/v3"
	}
	return ghfake.New(t, opts)
}

// pair is the two collectors of one session.
type pair struct {
	s       *session
	actions *actionsCollector
	pulls   *pullsCollector
}

// connectTo builds a session against the fake, with fast retries.
func connectTo(fake *ghfake.Server, cfg config.GitHub, cacheDir string, tune ...func(*settings)) pair {
	if cfg.APIURL == "" {
		cfg.APIURL = fake.URL()
	}
	opts := Options{Token: testToken, CacheDir: cacheDir, HTTPClient: fake.Client()}
	st := defaultSettings(cfg, opts)
	st.backoff = 10 * time.Millisecond
	for _, f := range tune {
		f(&st)
	}
	s := newSession(cfg, opts, st)
	return pair{s: s, actions: &actionsCollector{s: s}, pulls: &pullsCollector{s: s}}
}

func collect(t *testing.T, c collectors.Collector, w model.Window) collectors.Result {
	t.Helper()
	res, err := c.Collect(context.Background(), w)
	if err != nil {
		t.Fatalf("%s: Collect: %v", c.Name(), err)
	}
	return res
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func timePtr(s string) *time.Time { t := at(s); return &t }

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}
