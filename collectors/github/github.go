// Package github collects failing pipelines ("github/actions") and
// infrastructure pull requests ("github/pulls") from the GitHub REST API,
// github.com or GitHub Enterprise Server.
//
// Both collectors share one session: one client, one rate-limit budget and
// one repository listing per refresh. Every request goes through a
// budget-aware HTTP stack (see transport.go): bounded concurrency, an
// on-disk ETag cache, rate-limit reserve, bounded retries. Only GET is ever
// sent.
package github

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	gh "github.com/google/go-github/v93/github"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/internal/applog"
	"github.com/opsdrag/opsdrag/model"
)

// Collector names.
const (
	ActionsName = "github/actions"
	PullsName   = "github/pulls"
)

// collectTimeout bounds one collection. Paced under GitHub's 900 points a
// minute, a cold refresh of about 4 requests a repository takes a quarter
// of a minute per 60 repositories: 15 minutes reach some 3,500 of them. A
// collection that still runs out of time keeps what it read, as partial.
const collectTimeout = 15 * time.Minute

// Options are what the command line knows beyond the config file.
type Options struct {
	// Token authenticates; "" looks one up: GITHUB_TOKEN, then GH_TOKEN,
	// then `gh auth token` when the gh CLI is installed.
	Token string
	// CacheDir is the root of the ETag cache and of the permanent store,
	// e.g. config.CacheDir()+"/github"; "" keeps nothing on disk.
	CacheDir string
	// HTTPClient sends the requests (tests inject one); nil uses a default.
	HTTPClient *http.Client
	// Now tells the time; nil means time.Now.
	Now func() time.Time
	// Log receives every request at debug level (applog.Transport); nil
	// logs nothing.
	Log *slog.Logger
}

// settings are the knobs tests turn; New uses defaultSettings.
type settings struct {
	concurrency      int
	reserve          func(limit int) int
	retries          int           // 5xx and network errors
	secondaryRetries int           // secondary rate limits
	backoff          time.Duration // first 5xx backoff, doubled each time
	maxWait          time.Duration // longest single wait for a retry
	pace             paceLimits
	attempt          time.Duration // one network attempt, body included
	now              func() time.Time
	sleep            func(ctx context.Context, d time.Duration) error
}

func defaultSettings(cfg config.GitHub, opts Options) settings {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	conc := cfg.Concurrency
	if conc <= 0 {
		conc = config.DefaultGitHubConcurrency
	}
	return settings{
		concurrency: conc, reserve: defaultReserve,
		retries: 3, secondaryRetries: 3,
		backoff: time.Second, maxWait: 2 * time.Minute,
		pace:    defaultPace,
		attempt: min(attemptTimeout, cmp.Or(cfg.Timeout, attemptTimeout)),
		now:     now, sleep: sleep,
	}
}

// New returns the two GitHub collectors, "github/actions" and
// "github/pulls", sharing one session.
func New(cfg config.GitHub, opts Options) []collectors.Collector {
	s := newSession(cfg, opts, defaultSettings(cfg, opts))
	return []collectors.Collector{&actionsCollector{s: s}, &pullsCollector{s: s}}
}

// session is what both collectors share.
type session struct {
	cfg   config.GitHub
	opts  Options
	st    settings
	rules infraRules

	mu     sync.Mutex
	client *gh.Client
	tok    token
	budget *budget
	store  permanentStore
	memo   *listingMemo
	gqlURL string
	// cacheProblem, when set, is a warning every collection repeats.
	cacheProblem string
}

func newSession(cfg config.GitHub, opts Options, st settings) *session {
	paths, labels := cfg.InfraPaths, cfg.InfraLabels
	if paths == nil {
		paths = config.DefaultInfraPaths()
	}
	if labels == nil {
		labels = config.DefaultInfraLabels()
	}
	return &session{cfg: cfg, opts: opts, st: st, rules: newInfraRules(paths, labels)}
}

// apiBase resolves the REST API base URL: github.api_url, else
// GITHUB_API_URL, else api.github.com ("" here). A GHES host given without
// a path gets /api/v3/, as go-github's WithEnterpriseURLs does.
func apiBase(configured string) (string, error) {
	raw := strings.TrimSpace(configured)
	key := "github.api_url"
	if raw == "" {
		raw, key = strings.TrimSpace(os.Getenv("GITHUB_API_URL")), "GITHUB_API_URL"
	}
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("%s %q is not an http(s) URL: use https://api.github.com or, for GitHub Enterprise Server, https://HOST/api/v3/", key, raw)
	}
	if strings.EqualFold(u.Host, "api.github.com") {
		return "", nil
	}
	return raw, nil
}

// webHost is the host gh knows the API by: github.com, or the GHES host.
func webHost(base string) string {
	if base == "" {
		return "github.com"
	}
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "api.")
}

// connect returns the shared client, building it on first use. It returns a
// Skip error when GitHub is not configured or no token is found.
func (s *session) connect(ctx context.Context) (*gh.Client, error) {
	if !s.cfg.Configured() {
		return nil, collectors.Skip("GitHub not configured: run opsdrag init, or list repositories under github.repos (owner/name) or organisations under github.orgs in the config file")
	}
	return s.dial(ctx)
}

// dial builds the shared client on first use, configured or not: a Skip
// error when no token is found.
func (s *session) dial(ctx context.Context) (*gh.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client != nil {
		return s.client, nil
	}
	base, err := apiBase(s.cfg.APIURL)
	if err != nil {
		return nil, err
	}
	tok := token{value: strings.TrimSpace(s.opts.Token), source: "the token given to opsdrag"}
	if tok.value == "" {
		tok = lookupToken(ctx, webHost(base))
	}
	if tok.value == "" {
		return nil, collectors.Skip("no GitHub token: set GITHUB_TOKEN or run gh auth login")
	}

	b := &budget{now: s.st.now, reserve: s.st.reserve}
	httpc := &http.Client{}
	var transport http.RoundTripper
	if hc := s.opts.HTTPClient; hc != nil {
		httpc.Jar, httpc.CheckRedirect = hc.Jar, hc.CheckRedirect
		transport = hc.Transport
	}
	if transport == nil {
		transport = defaultTransport(s.st.concurrency)
	}
	httpCache := ""
	if s.opts.CacheDir != "" {
		// A cache that cannot be used costs requests, not the collection.
		if err := ensurePrivateDir(s.opts.CacheDir); err != nil {
			s.cacheProblem = fmt.Sprintf("cannot use the cache directory %s (%v): every request is made in full; fix its permissions or remove it", s.opts.CacheDir, err)
		} else {
			httpCache = filepath.Join(s.opts.CacheDir, "http")
			s.store = permanentStore{dir: filepath.Join(s.opts.CacheDir, "permanent"), made: &sync.Map{}}
		}
	}
	httpc.Transport = newStack(applog.Transport(transport, s.opts.Log), s.st, b, httpCache)

	opts := []gh.ClientOptionsFunc{gh.WithHTTPClient(httpc), gh.WithAuthToken(tok.value), gh.WithUserAgent("opsdrag")}
	if base != "" {
		opts = append(opts, gh.WithEnterpriseURLs(base, base))
	}
	c, err := gh.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("set up the GitHub client for %s: %w", base, err)
	}
	s.client, s.tok, s.budget, s.gqlURL = c, tok, b, graphqlURL(c.BaseURL())
	return c, nil
}

// baseKey identifies the API for permanent-store keys.
func (s *session) baseKey() string { return s.client.BaseURL() }

func (s *session) newProblems() *problems {
	p := &problems{tok: s.tok, now: s.st.now}
	if s.cacheProblem != "" {
		p.warn(s.cacheProblem)
	}
	return p
}

// actionsCollector reports failing GitHub Actions workflows.
type actionsCollector struct{ s *session }

func (c *actionsCollector) Name() string           { return ActionsName }
func (c *actionsCollector) Timeout() time.Duration { return cmp.Or(c.s.cfg.Timeout, collectTimeout) }

// pullsCollector reports infrastructure pull requests.
type pullsCollector struct{ s *session }

func (c *pullsCollector) Name() string           { return PullsName }
func (c *pullsCollector) Timeout() time.Duration { return cmp.Or(c.s.cfg.Timeout, collectTimeout) }

var (
	_ collectors.Collector = (*actionsCollector)(nil)
	_ collectors.Timeouter = (*pullsCollector)(nil)
)

// run is one collection of one collector: its meter and, once connected,
// the session's budget.
type run struct {
	s *session
	m *meter
}

// begin starts a collection: its requests are counted on their own meter.
func (s *session) begin(ctx context.Context) (context.Context, *run) {
	m := &meter{now: s.st.now}
	return withMeter(ctx, m), &run{s: s, m: m}
}

// usage is what the collection has spent so far.
func (r *run) usage() *model.Usage {
	r.s.mu.Lock()
	b := r.s.budget
	r.s.mu.Unlock()
	return r.m.usage(b)
}

// perBatch is one collector's work on a few repositories at once (one
// GraphQL query answers for many). It calls done once for each repository
// (by its index in rs) as soon as that one is finished, with what it found
// and whether it was read at all.
type perBatch[T any] func(ctx context.Context, cl *gh.Client, rs []repo, p *problems, done func(i int, res T, good bool))

// eachBatch connects, lists the watched repositories and runs work on them
// size at a time, a few batches at once (the pacer and the transport bound
// the requests), so repositories finish one after another and progress
// shows: as each finishes, what has been found so far goes to
// collectors.ReportProgress as data(). It returns what each repository
// produced, the problems met, and how many repositories there were and were
// read.
func eachBatch[T any](ctx context.Context, s *session, w model.Window, who string, size int, work perBatch[T], data func([]T) model.Data) (found []T, p *problems, repos, read int, err error) {
	cl, err := s.connect(ctx)
	if err != nil {
		return nil, nil, 0, 0, err
	}
	lst := s.repos(ctx, w, who)
	p = s.newProblems()
	p.merge(lst.probs)
	total := len(lst.repos)
	collectors.ReportProgress(ctx, model.Progress{Total: total, Unit: "repositories"}, data(nil))
	var batches [][]repo
	for b := range slices.Chunk(lst.repos, max(size, 1)) {
		batches = append(batches, b)
	}
	var (
		mu   sync.Mutex
		ok   int
		wg   sync.WaitGroup
		next = make(chan []repo)
	)
	done := func(_ int, res T, good bool) {
		mu.Lock()
		defer mu.Unlock()
		if good {
			ok++
		}
		found = append(found, res)
		// Under the lock, so reports arrive in order.
		collectors.ReportProgress(ctx, model.Progress{Done: len(found), Total: total, Unit: "repositories"}, data(slices.Clone(found)))
	}
	for range min(max(s.st.concurrency, 1), len(batches)) {
		wg.Go(func() {
			defer collectors.Recover(ctx)
			for b := range next {
				work(ctx, cl, b, p, done)
			}
		})
	}
	for _, b := range batches {
		next <- b
	}
	close(next)
	wg.Wait()
	return found, p, total, ok, nil
}

// finish turns what a collection found and met into the collector's answer:
// an error when the token was rejected or nothing at all could be read, else
// the data with its warnings; either way with what it spent.
func finish(p *problems, d model.Data, repos, succeeded int, u *model.Usage) (collectors.Result, error) {
	warnings, fatal := p.result()
	if fatal != nil {
		return collectors.Result{Usage: u}, fatal
	}
	if succeeded == 0 && len(warnings) > 0 {
		if len(warnings) > 3 {
			warnings = append(warnings[:3:3], fmt.Sprintf("and %d more problems", len(warnings)-3))
		}
		return collectors.Result{Usage: u}, fmt.Errorf("%s", strings.Join(warnings, "; "))
	}
	if repos == 0 {
		warnings = append(warnings, "no repository to watch: the organisations in github.orgs have no repository that is not archived or a fork and matches github.repo_filter")
	}
	return collectors.Result{Data: d, Warnings: warnings, Usage: u}, nil
}

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

// sameWindow reports whether two windows are the same refresh.
func sameWindow(a, b model.Window) bool { return a.Since.Equal(b.Since) && a.Until.Equal(b.Until) }
