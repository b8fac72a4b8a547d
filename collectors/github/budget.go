package github

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// budget tracks GitHub's primary rate limits from the x-ratelimit-* headers
// of every response (304s included), one per resource (REST's "core",
// "graphql"), and refuses to send once only a reserve is left, so opsdrag
// never burns the last requests a person or a CI job sharing the token
// might need. It is shared by both collectors.
type budget struct {
	next    http.RoundTripper
	now     func() time.Time
	reserve func(limit int) int

	mu    sync.Mutex
	known map[string]rateState
}

// rateState is one resource's primary limit as last reported.
type rateState struct {
	limit     int
	remaining int
	reset     time.Time
}

// share is the fraction of the limit left.
func (r rateState) share() float64 {
	if r.limit <= 0 {
		return 1
	}
	return float64(r.remaining) / float64(r.limit)
}

// defaultReserve keeps 2% of the limit (100 of a personal token's 5,000 an
// hour, 20 of a GITHUB_TOKEN's 1,000), at least 5.
func defaultReserve(limit int) int { return max(limit/50, 5) }

// budgetError is returned instead of sending a request once the remaining
// rate limit has fallen to the reserve.
type budgetError struct {
	resource                  string
	remaining, limit, reserve int
	reset                     time.Time
	now                       time.Time
}

func (e *budgetError) Error() string {
	what := "GitHub API rate limit"
	if e.resource == "graphql" {
		what = "GitHub GraphQL API rate limit"
	}
	return fmt.Sprintf("%s nearly used up (%d of %d left, %d kept in reserve): stopped early; %s",
		what, e.remaining, e.limit, e.reserve, resetsAt(e.reset, e.now))
}

// resetsAt says when a rate limit resets, in local time and from now.
func resetsAt(reset, now time.Time) string {
	if reset.IsZero() {
		return "retry later"
	}
	in := reset.Sub(now).Round(time.Minute)
	if in < time.Minute {
		return fmt.Sprintf("the limit resets at %s (in under a minute)", reset.Local().Format("15:04 MST"))
	}
	return fmt.Sprintf("the limit resets at %s (in %s)", reset.Local().Format("15:04 MST"), shortDuration(in))
}

func shortDuration(d time.Duration) string {
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%dm", h, m)
}

func (b *budget) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := b.check(resourceOf(req)); err != nil {
		return nil, err
	}
	resp, err := b.next.RoundTrip(req)
	if resp != nil {
		b.observe(resp.Header)
	}
	return resp, err
}

// resourceOf names the rate-limit resource a request spends.
func resourceOf(req *http.Request) string {
	if isGraphQL(req) {
		return "graphql"
	}
	return "core"
}

func (b *budget) check(resource string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	st, ok := b.known[resource]
	if !ok || !now.Before(st.reset) {
		return nil
	}
	if r := b.reserve(st.limit); st.remaining <= r {
		return &budgetError{resource: resource, remaining: st.remaining, limit: st.limit, reserve: r, reset: st.reset, now: now}
	}
	return nil
}

// observe records the rate limit a response reports. Responses arrive out of
// order under concurrency, so within one reset period the lowest remaining
// count wins; a later reset starts a new period.
func (b *budget) observe(h http.Header) {
	res := h.Get("X-RateLimit-Resource")
	if res == "" {
		res = "core"
	}
	limit, err1 := strconv.Atoi(h.Get("X-RateLimit-Limit"))
	remaining, err2 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	epoch, err3 := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return
	}
	reset := time.Unix(epoch, 0)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.known == nil {
		b.known = map[string]rateState{}
	}
	st, ok := b.known[res]
	switch {
	case !ok || reset.After(st.reset):
		b.known[res] = rateState{limit: limit, remaining: remaining, reset: reset}
	case reset.Equal(st.reset):
		st.remaining = min(st.remaining, remaining)
		st.limit = limit
		b.known[res] = st
	}
}

// state reports the last known rate limit of a resource.
func (b *budget) state(resource string) (rateState, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	st, ok := b.known[resource]
	return st, ok
}
