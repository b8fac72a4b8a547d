package github

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/internal/ghfake"
)

// A secondary rate limit — 403 or 429 with Retry-After — is waited out and
// retried; the collection then succeeds as if nothing happened.
func TestSecondaryRateLimitIsRetried(t *testing.T) {
	for _, status := range []int{http.StatusForbidden, http.StatusTooManyRequests} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			f := newFake(t, ghfake.Options{})
			actionsScenario(f)
			f.Inject(ghfake.Fault{Path: "/repos/acme/api/actions/runs", Status: status, Times: 2, RetryAfter: "1",
				Message: ghfake.SecondaryLimitMessage, DocURL: ghfake.SecondaryLimitDoc})
			p := connectTo(f, config.GitHub{Repos: []string{"acme/api"}}, "")
			start := time.Now()
			res := collect(t, p.actions, week(now))
			if len(res.Warnings) != 0 || len(res.Data.Pipelines) != 5 {
				t.Fatalf("warnings %q, %d pipelines; want none and 5", res.Warnings, len(res.Data.Pipelines))
			}
			if n := f.Stats().Count("/repos/acme/api/actions/runs?"); n != 4 {
				t.Errorf("runs list requested %d times, want 4 (two limited, then its two pages served)", n)
			}
			if d := time.Since(start); d < 2*time.Second {
				t.Errorf("finished in %s: Retry-After (1s, twice) was not honoured", d)
			}
		})
	}
}

// A secondary limit that does not lift within the retries is a warning
// naming what was stopped; the rest is kept.
func TestSecondaryRateLimitGivesUp(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	actionsScenario(f)
	f.Inject(ghfake.Fault{Path: "/repos/acme/api/actions/workflows", Status: 403, RetryAfter: "0",
		Message: ghfake.SecondaryLimitMessage, DocURL: ghfake.SecondaryLimitDoc})
	p := connectTo(f, config.GitHub{Repos: []string{"acme/api"}}, "")
	res := collect(t, p.actions, week(now))
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "secondary rate limit") {
		t.Fatalf("warnings = %q, want one about the secondary rate limit", res.Warnings)
	}
	if n := f.Stats().Count("/repos/acme/api/actions/workflows"); n != 4 {
		t.Errorf("workflows requested %d times, want 1 + 3 retries", n)
	}
	if len(res.Data.Pipelines) == 0 {
		t.Error("the runs that were read were dropped")
	}
}

// 5xx answers are retried a bounded number of times.
func TestServerErrorsAreRetriedBounded(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	actionsScenario(f)
	f.AddRepo("acme/flaky", ghfake.Repo{})
	f.Inject(ghfake.Fault{Path: "/repos/acme/api/actions/runs", Status: 502, Times: 2})
	f.Inject(ghfake.Fault{Path: "/repos/acme/flaky/actions/*", Status: 500})
	p := connectTo(f, config.GitHub{Repos: []string{"acme/api", "acme/flaky"}}, "")
	res := collect(t, p.actions, week(now))
	if len(res.Data.Pipelines) != 5 {
		t.Errorf("acme/api: %d pipelines after two 502s, want 5", len(res.Data.Pipelines))
	}
	if len(res.Warnings) == 0 || !strings.Contains(strings.Join(res.Warnings, "\n"), "acme/flaky") ||
		!strings.Contains(strings.Join(res.Warnings, "\n"), "500") {
		t.Errorf("warnings = %q, want acme/flaky's 500 named", res.Warnings)
	}
	st := f.Stats()
	if n := st.Count("/repos/acme/flaky/actions/runs?"); n != 4 {
		t.Errorf("a failing endpoint was asked %d times, want 1 + 3 retries", n)
	}
	if n := st.Count("/repos/acme/api/actions/runs?"); n != 4 {
		t.Errorf("runs asked %d times, want 2 failures + 2 pages", n)
	}
}

// When the rate limit runs low mid-collection, collection stops at the
// reserve, says when the limit resets, and keeps what it read.
func TestRateLimitExhaustionMidCollection(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	for i := range 6 {
		r := f.AddRepo("acme/svc"+string(rune('a'+i)), ghfake.Repo{})
		f.AddWorkflow(r, ghfake.Workflow{ID: 1, Name: "CI", Path: ".github/workflows/ci.yml"})
		f.AddRun(r, ghfake.Run{ID: 1, WorkflowID: 1, Created: at("2026-11-24T10:00:00Z"),
			Attempts: []ghfake.Attempt{ok("failure", "2026-11-24T10:00:00Z", "2026-11-24T10:10:00Z")}})
	}
	reset := time.Now().Add(40 * time.Minute)
	f.SetRateLimit(100, 14, reset)
	p := connectTo(f, config.GitHub{Orgs: []string{"acme"}}, "", func(s *settings) {
		s.concurrency = 1
		s.reserve = func(int) int { return 5 }
	})
	res, err := p.actions.Collect(context.Background(), week(now))
	if err != nil {
		t.Fatalf("Collect: %v (want partial data, not an error)", err)
	}
	if len(res.Warnings) == 0 || !strings.Contains(res.Warnings[0], "rate limit") ||
		!strings.Contains(res.Warnings[0], "resets at "+reset.Local().Format("15:04")) {
		t.Fatalf("warnings = %q, want the rate limit first, with its reset time", res.Warnings)
	}
	// A full collection takes 19 requests (the listing, then per repository
	// its workflows, its runs and its last run before the window); 9 were
	// affordable. At least 2 of the first 8 per-repository requests were
	// runs lists, whose pipelines are kept.
	if n := f.Stats().Requests; n != 9 {
		t.Errorf("%d requests sent, want 9 (14 left, 5 kept in reserve)", n)
	}
	if n := len(res.Data.Pipelines); n < 2 {
		t.Errorf("%d repos' pipelines kept, want those read before the stop", n)
	}
	if got := f.RateRemaining(); got != 5 {
		t.Errorf("%d requests left, want the reserve of 5 untouched", got)
	}
	// The pulls collector of the same session knows the REST budget is
	// spent and sends no REST request; it reads pull requests from GraphQL,
	// whose hourly budget is its own.
	f.ResetStats()
	if _, err = p.pulls.Collect(context.Background(), week(now)); err != nil {
		t.Errorf("pulls with the REST budget spent: %v", err)
	}
	if st := f.Stats(); st.Requests != st.GraphQL {
		t.Errorf("%d REST requests sent with the budget spent", st.Requests-st.GraphQL)
	}
}

// A primary limit already exhausted (403, x-ratelimit-remaining: 0) stops
// collection with the reset time; nothing is retried.
func TestPrimaryRateLimitExhausted(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	actionsScenario(f)
	f.SetRateLimit(5000, 0, time.Now().Add(20*time.Minute))
	p := connectTo(f, config.GitHub{Repos: []string{"acme/api"}}, "")
	_, err := p.actions.Collect(context.Background(), week(now))
	if err == nil || !strings.Contains(err.Error(), "rate limit") || !strings.Contains(err.Error(), "resets at") {
		t.Fatalf("err = %v, want the rate limit with its reset", err)
	}
	if n := f.Stats().Requests; n != 1 {
		t.Errorf("%d requests, want 1: a spent limit is not retried", n)
	}
}

// Only GET ever leaves the process.
func TestOnlyGETIsSent(t *testing.T) {
	var sent int
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent++
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("{}")), Header: http.Header{}, Request: r}, nil
	})
	b := &budget{now: time.Now, reserve: defaultReserve}
	rt := newStack(base, defaultSettings(config.GitHub{}, Options{}), b, t.TempDir())
	for _, m := range []string{http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete} {
		req, _ := http.NewRequest(m, "https://api.github.com/repos/acme/api/actions/runs/1/rerun", bytes.NewReader(nil))
		if _, err := rt.RoundTrip(req); err == nil || !strings.Contains(err.Error(), "only ever reads") {
			t.Errorf("%s: err = %v, want a refusal", m, err)
		}
	}
	if sent != 0 {
		t.Errorf("%d non-GET requests reached the network", sent)
	}

	// GraphQL: only POSTs to the GraphQL endpoint carrying one of the fixed
	// query documents pass; a mutation, another document, or a known query
	// sent elsewhere is refused before anything is sent.
	post := func(path, query string) error {
		body, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{}})
		req, _ := http.NewRequest(http.MethodPost, "https://api.github.com"+path, bytes.NewReader(body))
		resp, err := rt.RoundTrip(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	for _, tc := range []struct{ path, query string }{
		{"/graphql", `mutation { addStar(input: {starrableId: "R_1"}) { clientMutationId } }`},
		{"/graphql", queryPullRequestLists + " "},
		{"/graphql", `query { viewer { login } }`},
		{"/repos/acme/api/pulls", queryPullRequestLists},
	} {
		if err := post(tc.path, tc.query); err == nil || !strings.Contains(err.Error(), "only ever reads") {
			t.Errorf("POST %s %.40q: err = %v, want a refusal", tc.path, tc.query, err)
		}
	}
	if sent != 0 {
		t.Errorf("%d refused requests reached the network", sent)
	}
	for _, q := range graphqlDocuments {
		if err := post("/graphql", q); err != nil {
			t.Errorf("a fixed query was refused: %v", err)
		}
	}
	if sent != len(graphqlDocuments) {
		t.Errorf("%d of %d fixed queries reached the network", sent, len(graphqlDocuments))
	}
}

// The fixed GraphQL documents are queries — never a mutation — valid
// against GitHub's published schema and within its limits (pagination
// bounds, 500,000 nodes) for the largest variables opsdrag sends.
func TestGraphQLDocumentsAreValidQueries(t *testing.T) {
	ids := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = fmt.Sprint("ID", i)
		}
		return out
	}
	vars := map[string]map[string]any{
		queryPullRequestLists:   {"ids": ids(pullsBatch)},
		queryMorePullRequests:   {"id": "R_1", "states": []any{"OPEN"}, "field": "CREATED_AT", "after": "c"},
		queryPullRequestDetails: {"ids": ids(detailsBatch), "withFiles": true},
		queryWorkflows:          {"ids": ids(detailsBatch)},
	}
	for _, q := range graphqlDocuments {
		if !strings.HasPrefix(q, "query Opsdrag") || strings.Contains(strings.ToLower(q), "mutation") || strings.Contains(strings.ToLower(q), "subscription") {
			t.Errorf("not a plain named query: %.60q", q)
		}
		if err := ghfake.ValidateQuery(q, vars[q]); err != nil {
			t.Errorf("%.40q: %v", q, err)
		}
	}
	if err := ghfake.ValidateQuery(`query { viewer { nosuchfield } }`, nil); err == nil {
		t.Error("the schema check accepts a field GitHub does not have")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// The cache directory is private and never holds the token; corrupt
// entries are refetched, not fatal.
func TestCacheIsPrivateTokenFreeAndCorruptionTolerant(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	actionsScenario(f)
	pullsScenario(f)
	cache := filepath.Join(t.TempDir(), "github")
	cfg := config.GitHub{Orgs: []string{"acme"}}
	p := connectTo(f, cfg, cache)
	first := collect(t, p.actions, week(now))
	collect(t, p.pulls, week(now))

	var entries int
	err := filepath.WalkDir(cache, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, _ := d.Info()
		if d.IsDir() {
			if perm := info.Mode().Perm(); perm != 0o700 {
				t.Errorf("%s: mode %o, want 0700", path, perm)
			}
			return nil
		}
		entries++
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s: mode %o, want 0600", path, perm)
		}
		b, _ := os.ReadFile(path)
		if bytes.Contains(b, []byte(testToken)) || bytes.Contains(bytes.ToLower(b), []byte("authorization")) {
			t.Errorf("%s holds the token or an Authorization header", path)
		}
		return nil
	})
	if err != nil || entries < 10 {
		t.Fatalf("walk cache: %v; %d entries", err, entries)
	}

	// Corrupt every entry: the next collection refetches and succeeds.
	_ = filepath.WalkDir(cache, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			_ = os.WriteFile(path, []byte("\x00garbage{"), 0o600)
		}
		return nil
	})
	f.ResetStats()
	p2 := connectTo(f, cfg, cache)
	second := collect(t, p2.actions, week(now))
	if len(second.Data.Pipelines) != len(first.Data.Pipelines) || len(second.Warnings) != 0 {
		t.Errorf("after corruption: %d pipelines (want %d), warnings %q", len(second.Data.Pipelines), len(first.Data.Pipelines), second.Warnings)
	}
	if st := f.Stats(); st.NotModified != 0 || st.Requests == 0 {
		t.Errorf("corrupt entries were used: %d requests, %d 304s", st.Requests, st.NotModified)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	base := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"7", 7 * time.Second, true},
		{"Wed, 25 Nov 2026 14:00:30 GMT", 30 * time.Second, true},
		{"soon", 0, false},
	} {
		got, ok := retryAfter(tc.in, base)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// A cache directory that cannot be created costs requests, not data.
func TestUnusableCacheDirectory(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	actionsScenario(f)
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p := connectTo(f, config.GitHub{Repos: []string{"acme/api"}}, notADir)
	res := collect(t, p.actions, week(now))
	if len(res.Data.Pipelines) != 5 {
		t.Errorf("%d pipelines, want 5", len(res.Data.Pipelines))
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "cannot use the cache directory "+notADir) {
		t.Errorf("warnings = %q, want the cache directory named", res.Warnings)
	}
}
