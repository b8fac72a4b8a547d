package github

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"
)

// The HTTP stack under go-github, outermost first:
//
//	readOnly  refuses anything but GET: opsdrag never changes GitHub
//	etagCache conditional requests against an on-disk cache (etagcache.go)
//	retrier   secondary limits and 5xx, bounded, with jitter (retry.go)
//	pacer     keeps under GitHub's points-per-minute limits (pace.go)
//	limiter   bounds the requests in flight
//	budget    stops before the primary rate limit is spent (budget.go)
//	metered   counts what each collection sends (usage.go)
//	base      net/http
//
// go-github has no cache, no retries and no concurrency bound of its own,
// and no maintained library does all three for GitHub's headers, so these
// small RoundTrippers are written by hand. The cache sits above the retrier
// so a retried request carries the same If-None-Match. The limiter sits
// below the retrier so a request waiting out a Retry-After does not hold a
// slot, and the budget below the limiter so it is consulted at the moment a
// request is really sent: at most the requests already in flight can pass
// the reserve.

// attemptTimeout bounds one network attempt, body included, so a hung
// connection cannot stall a collection until the collector's own timeout
// (a github.timeout shorter than it bounds attempts too).
const attemptTimeout = 45 * time.Second

func newStack(base http.RoundTripper, st settings, b *budget, cacheDir string) http.RoundTripper {
	b.next = metered{next: base}
	var rt http.RoundTripper = &limiter{next: b, sem: semaphore.NewWeighted(int64(st.concurrency)), timeout: st.attempt}
	rt = newPacer(rt, st)
	rt = &retrier{next: rt, st: st}
	if cacheDir != "" {
		rt = &etagCache{next: rt, dir: cacheDir, now: st.now}
	}
	return readOnly{next: rt}
}

// defaultTransport is net/http's default transport with enough idle
// connections kept for the configured concurrency.
func defaultTransport(concurrency int) http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = max(concurrency, 2)
	t.DialContext = (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	return t
}

// readOnly refuses, before anything is sent, every request but GET and
// HEAD, and a POST to the GraphQL endpoint whose query is one of opsdrag's
// fixed query documents (graphql.go) — never a mutation.
type readOnly struct{ next http.RoundTripper }

func (t readOnly) RoundTrip(req *http.Request) (*http.Response, error) {
	switch {
	case req.Method == http.MethodGet || req.Method == http.MethodHead:
	case isGraphQL(req) && knownQuery(req):
	default:
		return nil, fmt.Errorf("refusing to send %s %s: opsdrag only ever reads from GitHub", req.Method, req.URL.Path)
	}
	return t.next.RoundTrip(req)
}

// limiter bounds the number of requests in flight. A slot is held from
// sending until the response body is read or closed.
type limiter struct {
	next    http.RoundTripper
	sem     *semaphore.Weighted
	timeout time.Duration // one attempt, body included
}

func (l *limiter) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := l.sem.Acquire(req.Context(), 1); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(req.Context(), cmp.Or(l.timeout, attemptTimeout))
	var once sync.Once
	done := func() {
		once.Do(func() {
			cancel()
			l.sem.Release(1)
		})
	}
	resp, err := l.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		done()
		return nil, err
	}
	resp.Body = &releaseBody{ReadCloser: resp.Body, done: done}
	return resp, nil
}

// releaseBody runs done once the body is exhausted or closed.
type releaseBody struct {
	io.ReadCloser
	done func()
}

func (b *releaseBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.done()
	}
	return n, err
}

func (b *releaseBody) Close() error {
	err := b.ReadCloser.Close()
	b.done()
	return err
}
