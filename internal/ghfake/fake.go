// Package ghfake is an in-process fake of the GitHub REST and GraphQL APIs
// for tests. It speaks the wire format the real API does — Link pagination
// in the /repositories/{id}/ form, ETags and 304s, x-ratelimit-* headers on
// every response, primary and secondary rate limits (900 REST and 2,000
// GraphQL points a minute, 100 requests in flight), the 1,000-result cap of
// filtered run lists and the 3,000-file cap of pull requests, 401 for a bad
// token — with bodies built from GitHub's own OpenAPI examples, and GraphQL
// queries validated against GitHub's published schema (graphql.go). It
// serves GET, and POST only to the GraphQL endpoint and only for queries:
// anything else fails the test, because opsdrag must never change anything
// on GitHub.
package ghfake

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// GitHub's documented caps on what a list can reach.
const (
	// MaxFilteredRuns is how many results a workflow runs list returns when
	// filtered by actor, branch, check_suite_id, created, event, head_sha or
	// status: "up to 1,000 results for each search"; paging ends there.
	MaxFilteredRuns = 1000
	// MaxPullFiles is how many changed files GitHub lists for one pull
	// request, through REST and GraphQL alike; the rest are left out.
	MaxPullFiles = 3000
)

// GitHub's secondary rate limits, which the fake enforces unless told not
// to: points in any 60 seconds (every request is one point, a 304
// included) and requests in flight. Past them it answers 403 with
// Retry-After, as GitHub does.
const (
	RESTPointsPerMinute    = 900
	GraphQLPointsPerMinute = 2000
	MaxConcurrent          = 100
)

// Options shape a fake server.
type Options struct {
	// Token is the only token accepted; "" accepts any request.
	Token string
	// Login is the user GET /user answers for; "" means octocat.
	Login string
	// Prefix is the path the API is mounted under, e.g. "/api/v3" for
	// GitHub Enterprise Server; "" mounts it at the root like api.github.com.
	Prefix string
	// TLS serves HTTPS (with httptest's certificate).
	TLS bool
	// Latency is added to every request, to measure concurrency.
	Latency time.Duration
	// Now tells the fake's time (for rate-limit resets and the per-minute
	// secondary limits); nil means time.Now.
	Now func() time.Time
	// NoSecondaryLimits lets any number of requests through per minute and
	// at once (for measuring a client that does not pace itself).
	NoSecondaryLimits bool
}

// Failure is how a fault breaks a response.
type Failure int

// The ways a response can break: GitHub's own error answers, and what a
// network or a proxy in between does to a good one.
const (
	// AnswerStatus answers Fault.Status with GitHub's error body (the
	// default).
	AnswerStatus Failure = iota
	// Hang never answers: the request waits until the client gives up, or
	// until Close drops the connection as a network that disappears would.
	Hang
	// MalformedJSON answers 200 with the usual headers and a body that is
	// not valid JSON (one comma doubled), as a server bug would.
	MalformedJSON
	// DropMidBody sends the headers, a Content-Length for the whole body and
	// half of it, then closes the connection.
	DropMidBody
	// TruncatedBody answers 200 with the first half of the body and a
	// Content-Length that matches it, the headers (ETag included) otherwise
	// those of the whole body: a proxy that cut the response short.
	TruncatedBody
)

// Fault makes matching requests fail: the fake answers Status (or breaks
// the response as Failure says) instead of the resource, Times times (0
// means every time).
type Fault struct {
	// Failure is how the response breaks; the zero value answers Status.
	Failure Failure
	// Path is the request path without the prefix; a trailing "*" matches
	// any path that starts with the rest.
	Path string
	// Query, when set, must be a substring of the raw query.
	Query      string
	Status     int
	Times      int
	RetryAfter string
	Message    string
	// DocURL is the documentation_url of the error body.
	DocURL string
	// AcceptedPermissions is sent as X-Accepted-GitHub-Permissions, as
	// GitHub does on 403s for fine-grained tokens.
	AcceptedPermissions string
	// SSO is sent as X-GitHub-SSO, as GitHub does when a token is not
	// authorized for an organisation's SAML single sign-on.
	SSO string
	// RateRemainingZero sends x-ratelimit-remaining: 0 with the fault.
	RateRemainingZero bool

	fired int
}

// Stats count what the fake served.
type Stats struct {
	Requests    int
	NotModified int
	// MaxInFlight is the peak number of requests being served at once.
	MaxInFlight int
	// PeakRESTPerMinute and PeakGraphQLPerMinute are the most requests
	// that arrived in any 60 seconds.
	PeakRESTPerMinute    int
	PeakGraphQLPerMinute int
	// SecondaryLimited counts requests refused by a secondary rate limit.
	SecondaryLimited int
	// FileLists counts, per pull request ("owner/name#n"), the times its
	// changed files were served: a REST page or a GraphQL files connection.
	FileLists map[string]int
	// GraphQL counts GraphQL queries.
	GraphQL int
	// Paths counts requests per path (without prefix), query included.
	Paths map[string]int
}

// Count sums the requests whose path and query start with prefix.
func (s Stats) Count(prefix string) int {
	n := 0
	for p, c := range s.Paths {
		if strings.HasPrefix(p, prefix) {
			n += c
		}
	}
	return n
}

// Server is a fake GitHub API.
type Server struct {
	t    testing.TB
	opts Options
	srv  *httptest.Server

	mu        sync.Mutex
	repos     map[string]*Repo
	order     []*Repo
	faults    []*Fault
	limit     int
	remaining int
	reset     time.Time
	stats     Stats
	// between are pull requests merged between the open and the closed
	// listing of their repository.
	between []*mergeBetween
	// arrivals are the arrival times of the last minute's requests.
	arrivals map[bool][]time.Time
	// The GraphQL rate limit, separate from REST's.
	gqlRemaining int
	gqlReset     time.Time

	inFlight atomic.Int64
	// closing is closed by Close: hung requests then drop their connection.
	closing   chan struct{}
	closeOnce sync.Once
}

// mergeBetween merges a pull request right after its repository's open
// pull requests are listed; the closed listing waits for that, so a client
// that reads both lists sees the pull request in each.
type mergeBetween struct {
	repo   *Repo
	number int
	at     time.Time
	done   chan struct{}
}

// MergeBetweenListings makes open pull request number of r merged at at,
// right after r's open pull requests are first listed (REST or GraphQL);
// a listing of r's closed pull requests that comes first waits for that
// (up to 5 s). It reproduces a pull request merged between the two calls
// a client makes to list open and closed pull requests.
func (s *Server) MergeBetweenListings(r *Repo, number int, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.between = append(s.between, &mergeBetween{repo: r, number: number, at: at, done: make(chan struct{})})
}

// openListed runs the merges due once r's open pull requests are listed.
// The caller holds s.mu.
func (s *Server) openListed(r *Repo) {
	for _, m := range s.between {
		if m.repo != r {
			continue
		}
		select {
		case <-m.done:
			continue
		default:
		}
		for _, p := range r.pulls {
			if p.Number == m.number {
				at := m.at
				p.Closed, p.Merged, p.Updated = &at, &at, at
				p.body = renderPull(r, p)
			}
		}
		close(m.done)
	}
}

// waitMergesBetween holds a closed listing of r until the merges due
// between r's listings have happened.
func (s *Server) waitMergesBetween(r *Repo) {
	s.mu.Lock()
	var wait []chan struct{}
	for _, m := range s.between {
		if m.repo == r {
			wait = append(wait, m.done)
		}
	}
	s.mu.Unlock()
	for _, c := range wait {
		select {
		case <-c:
		case <-time.After(5 * time.Second):
		}
	}
}

// New starts a fake server; it stops when the test ends.
func New(t testing.TB, opts Options) *Server {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	s := &Server{
		t: t, opts: opts, repos: map[string]*Repo{},
		limit: 5000, remaining: 5000, reset: now().Add(time.Hour).Truncate(time.Second),
		stats: Stats{Paths: map[string]int{}}, closing: make(chan struct{}),
	}
	if opts.TLS {
		s.srv = httptest.NewTLSServer(s)
	} else {
		s.srv = httptest.NewServer(s)
	}
	t.Cleanup(s.Close)
	return s
}

// URL is the API base URL, with a trailing slash.
func (s *Server) URL() string { return s.srv.URL + s.opts.Prefix + "/" }

// Close stops the server, as a network that disappears would: requests in
// flight lose their connection and every request after it fails to connect.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	s.srv.Close()
}

// Addr is the host:port the server listens on.
func (s *Server) Addr() string { return s.srv.Listener.Addr().String() }

// Client returns an HTTP client that trusts the server's certificate.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// SetRateLimit sets the primary rate limit's state.
func (s *Server) SetRateLimit(limit, remaining int, reset time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit, s.remaining, s.reset = limit, remaining, reset.Truncate(time.Second)
}

// RateRemaining is what is left of the primary rate limit.
func (s *Server) RateRemaining() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.remaining
}

// Inject adds a fault.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.stats
	out.Paths = maps.Clone(s.stats.Paths)
	out.FileLists = maps.Clone(s.stats.FileLists)
	if out.FileLists == nil {
		out.FileLists = map[string]int{}
	}
	return out
}

// ResetStats zeroes the counters.
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = Stats{Paths: map[string]int{}}
}

// ServeHTTP answers one API request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)

	path, ok := strings.CutPrefix(r.URL.Path, s.opts.Prefix)
	key := path
	if r.URL.RawQuery != "" {
		key += "?" + r.URL.RawQuery
	}
	s.mu.Lock()
	s.stats.Requests++
	s.stats.Paths[key]++
	s.stats.MaxInFlight = max(s.stats.MaxInFlight, int(n))
	limited := s.arrive(r.Method == http.MethodPost, int(n))
	s.mu.Unlock()
	if limited {
		s.writeFault(w, &Fault{Status: http.StatusForbidden, RetryAfter: "60", Message: SecondaryLimitMessage, DocURL: SecondaryLimitDoc})
		return
	}

	if s.opts.Latency > 0 {
		select {
		case <-time.After(s.opts.Latency):
		case <-r.Context().Done():
			return
		}
	}
	graphql := r.URL.Path == s.GraphQLPath()
	if r.Method != http.MethodGet && !(graphql && r.Method == http.MethodPost) {
		s.t.Errorf("ghfake: %s %s: opsdrag must only ever send GET, and POST only to GraphQL", r.Method, r.URL)
		s.writeError(w, http.StatusMethodNotAllowed, "Method not allowed", "", true)
		return
	}
	if graphql {
		path, ok = "/graphql", true
	}
	if !ok {
		s.writeError(w, http.StatusNotFound, "Not Found", "", true)
		return
	}
	if s.opts.Token != "" {
		auth := r.Header.Get("Authorization")
		if auth != "Bearer "+s.opts.Token && auth != "token "+s.opts.Token {
			s.writeUnauthorized(w)
			return
		}
	}
	var broken *Fault // breaks the resource's response once it is built
	if f := s.fault(path, r.URL.RawQuery); f != nil {
		switch f.Failure {
		case AnswerStatus:
			s.writeFault(w, f)
			return
		case Hang:
			s.hang(r)
			return
		default:
			broken = f
		}
	}
	if graphql {
		s.mu.Lock()
		s.stats.GraphQL++
		s.mu.Unlock()
		s.serveGraphQL(w, r)
		return
	}

	s.mu.Lock()
	exhausted := s.remaining <= 0 && s.now().Before(s.reset)
	s.mu.Unlock()
	if exhausted {
		s.writeRateLimited(w)
		return
	}

	if parts := strings.Split(strings.Trim(path, "/"), "/"); len(parts) == 4 && parts[0] == "repos" && parts[3] == "pulls" &&
		r.URL.Query().Get("state") != "" && r.URL.Query().Get("state") != "open" {
		if rp := s.Repo(parts[1] + "/" + parts[2]); rp != nil {
			s.waitMergesBetween(rp)
		}
	}
	status, body, link := s.route(r, path)
	if status != http.StatusOK {
		s.writeError(w, status, http.StatusText(status), "", true)
		return
	}
	etag := `W/"` + hash(body) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, max-age=60, s-maxage=60")
	h.Set("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
	if link != "" {
		h.Set("Link", link)
	}
	if matchETag(r.Header.Get("If-None-Match"), etag) {
		// A 304 does not count against the primary rate limit.
		s.rateHeaders(h, false)
		s.mu.Lock()
		s.stats.NotModified++
		s.mu.Unlock()
		w.WriteHeader(http.StatusNotModified)
		return
	}
	s.rateHeaders(h, true)
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	if broken != nil {
		s.writeBroken(w, broken.Failure, body)
		return
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// hang holds a request until the client gives up or the server closes,
// then drops the connection without an answer.
func (s *Server) hang(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-s.closing:
	}
	panic(http.ErrAbortHandler) // net/http closes the connection, silently
}

// writeBroken sends a 200 whose body is broken as f says; the headers are
// already set.
func (s *Server) writeBroken(w http.ResponseWriter, f Failure, body []byte) {
	h := w.Header()
	switch f {
	case MalformedJSON:
		bad := bytes.Replace(body, []byte(","), []byte(",,"), 1)
		if bytes.Equal(bad, body) {
			bad = append([]byte("{,"), body...)
		}
		h.Set("ETag", `W/"`+hash(bad)+`"`)
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(bad)
	case TruncatedBody:
		half := body[:len(body)/2]
		h.Set("Content-Length", strconv.Itoa(len(half)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(half)
	case DropMidBody:
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:len(body)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		panic(http.ErrAbortHandler) // the connection closes mid-body
	default:
		s.t.Errorf("ghfake: unknown failure %d", f)
		w.WriteHeader(http.StatusInternalServerError)
	}
}

// arrive records a request's arrival and reports whether it exceeds a
// secondary limit. The caller holds s.mu.
func (s *Server) arrive(graphql bool, inFlight int) bool {
	now := s.now()
	if s.arrivals == nil {
		s.arrivals = map[bool][]time.Time{}
	}
	recent := s.arrivals[graphql]
	i := 0
	for i < len(recent) && !recent[i].After(now.Add(-time.Minute)) {
		i++
	}
	recent = append(recent[i:], now)
	s.arrivals[graphql] = recent
	limit := RESTPointsPerMinute
	if graphql {
		limit = GraphQLPointsPerMinute
		s.stats.PeakGraphQLPerMinute = max(s.stats.PeakGraphQLPerMinute, len(recent))
	} else {
		s.stats.PeakRESTPerMinute = max(s.stats.PeakRESTPerMinute, len(recent))
	}
	if s.opts.NoSecondaryLimits || (len(recent) <= limit && inFlight <= MaxConcurrent) {
		return false
	}
	s.stats.SecondaryLimited++
	return true
}

func (s *Server) now() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now()
	}
	return time.Now()
}

func hash(b []byte) string {
	sum := sha1.Sum(b)
	return hex.EncodeToString(sum[:])
}

func matchETag(header, etag string) bool {
	if header == "" {
		return false
	}
	weak := func(t string) string { return strings.TrimPrefix(strings.TrimSpace(t), "W/") }
	for _, t := range strings.Split(header, ",") {
		if strings.TrimSpace(t) == "*" || weak(t) == weak(etag) {
			return true
		}
	}
	return false
}

// rateHeaders writes the x-ratelimit-* headers GitHub sends on every
// response, counting the request when spend is set.
func (s *Server) rateHeaders(h http.Header, spend bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.now().Before(s.reset) {
		s.remaining, s.reset = s.limit, s.now().Add(time.Hour).Truncate(time.Second)
	}
	if spend && s.remaining > 0 {
		s.remaining--
	}
	h.Set("X-RateLimit-Limit", fmt.Sprint(s.limit))
	h.Set("X-RateLimit-Remaining", fmt.Sprint(s.remaining))
	h.Set("X-RateLimit-Used", fmt.Sprint(s.limit-s.remaining))
	h.Set("X-RateLimit-Reset", fmt.Sprint(s.reset.Unix()))
	h.Set("X-RateLimit-Resource", "core")
	h.Set("X-GitHub-Request-Id", fmt.Sprintf("FAKE:%04X", s.stats.Requests))
}

func errorBody(message, doc string, status int) string {
	if doc == "" {
		doc = "https://docs.github.com/rest"
	}
	return fmt.Sprintf(`{"message":%q,"documentation_url":%q,"status":"%d"}`, message, doc, status)
}

func (s *Server) writeError(w http.ResponseWriter, status int, message, doc string, spend bool) {
	s.rateHeaders(w.Header(), spend)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(errorBody(message, doc, status)))
}

func (s *Server) writeUnauthorized(w http.ResponseWriter) {
	// Unauthenticated requests have their own, small limit.
	h := w.Header()
	h.Set("X-RateLimit-Limit", "60")
	h.Set("X-RateLimit-Remaining", "59")
	h.Set("X-RateLimit-Used", "1")
	h.Set("X-RateLimit-Reset", fmt.Sprint(s.now().Add(time.Hour).Unix()))
	h.Set("X-RateLimit-Resource", "core")
	h.Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write([]byte(errorBody("Bad credentials", "https://docs.github.com/rest", 401)))
}

func (s *Server) writeRateLimited(w http.ResponseWriter) {
	s.rateHeaders(w.Header(), false)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte(errorBody("API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.",
		"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api", 403)))
}

func (s *Server) fault(path, query string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faultLocked(path, query)
}

// servedFiles counts a pull request's file list served. The caller holds s.mu.
func (s *Server) servedFiles(r *Repo, number int) {
	if s.stats.FileLists == nil {
		s.stats.FileLists = map[string]int{}
	}
	s.stats.FileLists[fmt.Sprintf("%s#%d", r.FullName(), number)]++
}

// faultLocked is fault for a caller that holds s.mu.
func (s *Server) faultLocked(path, query string) *Fault {
	for _, f := range s.faults {
		match := f.Path == path
		if p, ok := strings.CutSuffix(f.Path, "*"); ok {
			match = strings.HasPrefix(path, p)
		}
		if !match || !strings.Contains(query, f.Query) || (f.Times > 0 && f.fired >= f.Times) {
			continue
		}
		f.fired++
		return f
	}
	return nil
}

func (s *Server) writeFault(w http.ResponseWriter, f *Fault) {
	h := w.Header()
	s.rateHeaders(h, false)
	if f.RateRemainingZero {
		h.Set("X-RateLimit-Remaining", "0")
	}
	if f.RetryAfter != "" {
		h.Set("Retry-After", f.RetryAfter)
	}
	if f.SSO != "" {
		h.Set("X-GitHub-SSO", f.SSO)
	}
	if f.AcceptedPermissions != "" {
		h.Set("X-Accepted-GitHub-Permissions", f.AcceptedPermissions)
	}
	msg := f.Message
	if msg == "" {
		msg = http.StatusText(f.Status)
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(errorBody(msg, f.DocURL, f.Status)))
}

// SecondaryLimitDoc is the documentation_url GitHub sends with a secondary
// rate limit error.
const SecondaryLimitDoc = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"

// SecondaryLimitMessage is the message GitHub sends with a secondary rate
// limit error.
const SecondaryLimitMessage = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID."

// sortedRepos returns the repos in creation order, newest first, as
// GitHub's default sort for organisation repositories does.
func (s *Server) sortedRepos(owner string) []*Repo {
	var out []*Repo
	for _, r := range slices.Backward(s.order) {
		if strings.EqualFold(r.Owner, owner) {
			out = append(out, r)
		}
	}
	return out
}
