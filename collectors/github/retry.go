package github

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// retrier retries what GitHub asks to be retried, a bounded number of times:
//
//   - secondary rate limits (403 or 429 with Retry-After, or a 403/429 whose
//     message says so): wait as told — GitHub asks for at least a minute when
//     it gives no Retry-After — and hold every other request back meanwhile,
//     since they would hit the same limit;
//   - 5xx, network errors and answers that arrive broken (answer.go):
//     exponential backoff with jitter.
//
// A primary rate limit (x-ratelimit-remaining: 0) is not retried: it resets
// in up to an hour, so the budget reports it instead. A wait that would
// outlast the context's deadline is not started; the response goes up as is.
type retrier struct {
	next http.RoundTripper
	st   settings

	mu    sync.Mutex
	pause time.Time // no request is sent before this
}

func (r *retrier) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var (
		secondary, transient int
		err                  error
	)
	for {
		if err := r.waitPause(ctx); err != nil {
			return nil, err
		}
		try := req.Clone(ctx)
		if req.GetBody != nil && req.Body != nil {
			// Each attempt sends the whole body again.
			if try.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
		resp, err := r.next.RoundTrip(try)
		if err == nil {
			if err = checkAnswer(try, resp); err != nil {
				resp = nil
			}
		}
		wait, isSecondary, retry := r.decide(resp, err)
		if retry && isSecondary {
			secondary++
			retry = secondary <= r.st.secondaryRetries
		} else if retry {
			transient++
			retry = transient <= r.st.retries
			wait = jitter(r.st.backoff << (transient - 1))
		}
		if retry && wait > r.st.maxWait {
			retry = false
		}
		if retry {
			if dl, ok := ctx.Deadline(); ok && r.st.now().Add(wait).After(dl) {
				retry = false
			}
		}
		if !retry {
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			_ = resp.Body.Close()
		}
		if isSecondary {
			r.pauseFor(wait)
		}
		if err := r.st.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// decide says whether a response or error is worth retrying, after how long
// (for secondary limits; transient failures use backoff), and whether it is
// a secondary rate limit.
func (r *retrier) decide(resp *http.Response, err error) (wait time.Duration, secondary, retry bool) {
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return 0, false, false
		}
		var be *budgetError
		if errors.As(err, &be) {
			return 0, false, false
		}
		return 0, false, true
	}
	switch code := resp.StatusCode; {
	case code == http.StatusInternalServerError, code == http.StatusBadGateway,
		code == http.StatusServiceUnavailable, code == http.StatusGatewayTimeout:
		return 0, false, true
	case code == http.StatusForbidden || code == http.StatusTooManyRequests:
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), r.st.now()); ok {
			return d, true, true
		}
		if resp.Header.Get("X-RateLimit-Remaining") == "0" {
			return 0, false, false // primary limit: the budget reports it
		}
		if code == http.StatusTooManyRequests || mentionsSecondaryLimit(resp) {
			return time.Minute, true, true
		}
	}
	return 0, false, false
}

// mentionsSecondaryLimit peeks at an error body (and puts it back) to tell
// a secondary rate limit from a permission error, both 403s.
func mentionsSecondaryLimit(resp *http.Response) bool {
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(body), resp.Body), resp.Body}
	if err != nil {
		return false
	}
	s := strings.ToLower(string(body))
	return strings.Contains(s, "secondary rate limit") || strings.Contains(s, "abuse detection")
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

func (r *retrier) pauseFor(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if until := r.st.now().Add(d); until.After(r.pause) {
		r.pause = until
	}
}

func (r *retrier) waitPause(ctx context.Context) error {
	r.mu.Lock()
	d := r.pause.Sub(r.st.now())
	r.mu.Unlock()
	if d <= 0 {
		return nil
	}
	return r.st.sleep(ctx, d)
}

// jitter spreads a backoff over [d/2, d) so that clients retrying together
// do not stay in step.
func jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2)
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
