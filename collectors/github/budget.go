package github

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// budget tracks GitHub's primary rate limit from the x-ratelimit-* headers
// of every response (304s included) and refuses to send once only a reserve
// is left, so opsdrag never burns the last requests a person or a CI job
// sharing the token might need. It is shared by both collectors.
type budget struct {
	next    http.RoundTripper
	now     func() time.Time
	reserve func(limit int) int

	mu        sync.Mutex
	known     bool
	limit     int
	remaining int
	reset     time.Time
}

// defaultReserve keeps 2% of the limit (100 of a personal token's 5,000 an
// hour, 20 of a GITHUB_TOKEN's 1,000), at least 5.
func defaultReserve(limit int) int { return max(limit/50, 5) }

// budgetError is returned instead of sending a request once the remaining
// rate limit has fallen to the reserve.
type budgetError struct {
	remaining, limit, reserve int
	reset                     time.Time
	now                       time.Time
}

func (e *budgetError) Error() string {
	return fmt.Sprintf("GitHub API rate limit nearly used up (%d of %d requests left, %d kept in reserve): stopped early; %s",
		e.remaining, e.limit, e.reserve, resetsAt(e.reset, e.now))
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
	if err := b.check(); err != nil {
		return nil, err
	}
	resp, err := b.next.RoundTrip(req)
	if resp != nil {
		b.observe(resp.Header)
	}
	return resp, err
}

func (b *budget) check() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if !b.known || !now.Before(b.reset) {
		return nil
	}
	if r := b.reserve(b.limit); b.remaining <= r {
		return &budgetError{remaining: b.remaining, limit: b.limit, reserve: r, reset: b.reset, now: now}
	}
	return nil
}

// observe records the rate limit a response reports. Responses arrive out of
// order under concurrency, so within one reset period the lowest remaining
// count wins; a later reset starts a new period.
func (b *budget) observe(h http.Header) {
	if res := h.Get("X-RateLimit-Resource"); res != "" && res != "core" {
		return
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
	switch {
	case !b.known || reset.After(b.reset):
		b.known, b.limit, b.remaining, b.reset = true, limit, remaining, reset
	case reset.Equal(b.reset):
		b.remaining = min(b.remaining, remaining)
		b.limit = limit
	}
}

// state reports the last known rate limit.
func (b *budget) state() (remaining, limit int, reset time.Time, known bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.remaining, b.limit, b.reset, b.known
}
