package github

import (
	"context"
	"net/http"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// GitHub's published secondary rate limits: at most 900 points a minute for
// REST endpoints (a GET is one point), 2,000 for GraphQL (a query is one
// point), and 100 requests in flight for both together. GitHub may block an
// integration that keeps hitting them, so opsdrag paces itself to stay
// under them instead of waiting for a 403.
const (
	restPointsPerMinute    = 900
	graphqlPointsPerMinute = 2000
)

// paceLimits are the points a minute the pacer allows; zero means no pacing.
type paceLimits struct {
	rest, graphql int
}

// defaultPace keeps 2 seconds' worth of requests below each limit: GitHub
// counts requests when they arrive, and network jitter can bunch requests
// sent evenly.
var defaultPace = paceLimits{rest: restPointsPerMinute - 30, graphql: graphqlPointsPerMinute - 60}

// newBucket returns a token bucket that lets through at most perMinute
// requests in any 60 seconds: a burst of b, then (perMinute-b)/60 a second.
// A 304 costs a point like any request: GitHub does not say that it does
// not count towards the secondary limits.
func newBucket(perMinute int) *rate.Limiter {
	if perMinute <= 0 {
		return nil
	}
	b := max(perMinute/60, 1)
	return rate.NewLimiter(rate.Limit(float64(perMinute-b)/60), b)
}

// pacer holds each request back until its bucket has a token. It sits below
// the retrier, so retries are paced too, and above the concurrency limiter,
// so a request waiting for its turn does not hold a slot.
type pacer struct {
	next          http.RoundTripper
	rest, graphql *rate.Limiter
	now           func() time.Time
	sleep         func(ctx context.Context, d time.Duration) error
}

func newPacer(next http.RoundTripper, st settings) *pacer {
	return &pacer{next: next, rest: newBucket(st.pace.rest), graphql: newBucket(st.pace.graphql), now: st.now, sleep: st.sleep}
}

func (p *pacer) RoundTrip(req *http.Request) (*http.Response, error) {
	lim := p.rest
	if isGraphQL(req) {
		lim = p.graphql
	}
	if lim != nil {
		now := p.now()
		r := lim.ReserveN(now, 1)
		if d := r.DelayFrom(now); d > 0 {
			m := meterOf(req.Context())
			m.waiting(true)
			err := p.sleep(req.Context(), d)
			m.waiting(false)
			if err != nil {
				r.CancelAt(p.now())
				return nil, err
			}
		}
	}
	return p.next.RoundTrip(req)
}

// isGraphQL tells a GraphQL query from a REST call: POST to …/graphql.
func isGraphQL(req *http.Request) bool {
	return req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/graphql")
}
