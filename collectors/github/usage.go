package github

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// meter counts what one collection sends: requests, 304s, and the time it
// was held back by the pacer. Both collectors share one HTTP stack, so each
// puts its meter in the context of its requests.
type meter struct {
	now func() time.Time

	mu          sync.Mutex
	requests    int
	notModified int
	graphql     bool
	// paced is the wall time during which at least one request was held
	// back, so concurrent waits are not counted twice.
	paced   time.Duration
	holding int
	since   time.Time
}

type meterKey struct{}

func withMeter(ctx context.Context, m *meter) context.Context {
	return context.WithValue(ctx, meterKey{}, m)
}

// meterOf returns the context's meter; nil (which counts nothing) when the
// request belongs to no collection.
func meterOf(ctx context.Context) *meter {
	m, _ := ctx.Value(meterKey{}).(*meter)
	return m
}

func (m *meter) sent(graphql bool, status int) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests++
	m.graphql = m.graphql || graphql
	if status == http.StatusNotModified {
		m.notModified++
	}
}

func (m *meter) waiting(start bool) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if start {
		if m.holding == 0 {
			m.since = now
		}
		m.holding++
		return
	}
	m.holding--
	if m.holding == 0 {
		m.paced += now.Sub(m.since)
	}
}

// usage is what the collection spent, with the hourly budget left of the
// resource it leaned on most (REST's core, or GraphQL's points).
func (m *meter) usage(b *budget) *model.Usage {
	m.mu.Lock()
	u := &model.Usage{Requests: m.requests, NotModified: m.notModified, Paced: m.paced}
	usedGraphQL := m.graphql
	m.mu.Unlock()
	if b == nil {
		return u
	}
	res := []string{"core"}
	if usedGraphQL {
		res = append(res, "graphql")
	}
	var best *rateState
	for _, r := range res {
		if s, ok := b.state(r); ok && (best == nil || s.share() < best.share()) {
			best = &s
		}
	}
	if best != nil {
		u.RateLimit, u.RateRemaining, u.RateReset = best.limit, best.remaining, best.reset
	}
	return u
}

// metered counts every request as it is really sent (retries included),
// and the 304s, on the meter of the request's collection.
type metered struct{ next http.RoundTripper }

func (t metered) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	meterOf(req.Context()).sent(isGraphQL(req), status)
	return resp, err
}
