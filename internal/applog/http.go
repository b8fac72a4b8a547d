package applog

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// answerHeaders are the response headers a request's log line carries:
// the rate limits and the ids that support asks for. Request headers are
// never logged: they carry the token.
var answerHeaders = []string{
	"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Used", "X-RateLimit-Reset", "X-RateLimit-Resource",
	"Retry-After", "X-GitHub-Request-Id", "X-Amzn-RequestId", "X-Amz-Request-Id",
}

// secretParams are query parameters whose values are credentials (old
// GitHub access_token URLs, presigned AWS URLs); their values are dropped.
var secretParams = []string{"access_token", "token", "client_secret", "x-amz-signature", "x-amz-credential", "x-amz-security-token", "sig", "signature"}

// Transport logs every request next sends, at debug level, once its
// response headers arrive (or it fails). A nil log returns next unchanged.
func Transport(next http.RoundTripper, log *slog.Logger) http.RoundTripper {
	if log == nil {
		return next
	}
	return transport{next: next, log: log}
}

type transport struct {
	next http.RoundTripper
	log  *slog.Logger
}

func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	return logged(t.log, req, t.next.RoundTrip)
}

// Doer is an HTTP client as the AWS SDK takes one.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Client logs every request next sends, as Transport does. A nil log
// returns next unchanged.
func Client(next Doer, log *slog.Logger) Doer {
	if log == nil || next == nil {
		return next
	}
	return client{next: next, log: log}
}

type client struct {
	next Doer
	log  *slog.Logger
}

func (c client) Do(req *http.Request) (*http.Response, error) {
	return logged(c.log, req, c.next.Do)
}

// logged sends req with send, and logs it when debug lines are kept.
func logged(log *slog.Logger, req *http.Request, send func(*http.Request) (*http.Response, error)) (*http.Response, error) {
	if !Enabled(log, slog.LevelDebug) {
		return send(req)
	}
	start := time.Now()
	resp, err := send(req)
	logRequest(log, req, resp, err, time.Since(start))
	return resp, err
}

func logRequest(log *slog.Logger, req *http.Request, resp *http.Response, err error, took time.Duration) {
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("host", req.URL.Host),
		slog.String("path", safePath(req.URL)),
	}
	if target := req.Header.Get("X-Amz-Target"); target != "" {
		attrs = append(attrs, slog.String("operation", target)) // AWS JSON APIs all POST to "/"
	}
	if err != nil {
		attrs = append(attrs, slog.Duration("duration", took), slog.Any("err", err))
		log.LogAttrs(req.Context(), slog.LevelDebug, "http request failed", attrs...)
		return
	}
	attrs = append(attrs, slog.Int("status", resp.StatusCode), slog.Duration("duration", took))
	for _, h := range answerHeaders {
		if v := resp.Header.Get(h); v != "" {
			attrs = append(attrs, slog.String(strings.ToLower(h), v))
		}
	}
	log.LogAttrs(req.Context(), slog.LevelDebug, "http request", attrs...)
}

// safePath is the URL's path and query, without user information and with
// the values of credential parameters dropped.
func safePath(u *url.URL) string {
	if u.RawQuery == "" {
		return u.EscapedPath()
	}
	q := u.Query()
	for k := range q {
		for _, s := range secretParams {
			if strings.EqualFold(k, s) {
				q.Set(k, "[redacted]")
			}
		}
	}
	return u.EscapedPath() + "?" + q.Encode()
}
