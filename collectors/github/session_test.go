package github

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/internal/ghfake"
	"github.com/opsdrag/opsdrag/model"
)

// orgScenario: organisation acme with two live repositories, an archived
// one and a fork (both skipped), plus other/tools listed explicitly.
func orgScenario(f *ghfake.Server) {
	for _, r := range []struct {
		name string
		repo ghfake.Repo
	}{
		{"acme/api", ghfake.Repo{}},
		{"acme/web", ghfake.Repo{DefaultBranch: "develop"}},
		{"acme/legacy", ghfake.Repo{Archived: true}},
		{"acme/forked-lib", ghfake.Repo{Fork: true}},
		{"other/tools", ghfake.Repo{}},
	} {
		rp := f.AddRepo(r.name, r.repo)
		f.AddWorkflow(rp, ghfake.Workflow{ID: 1, Name: "CI", Path: ".github/workflows/ci.yml"})
		f.AddRun(rp, ghfake.Run{ID: 1, WorkflowID: 1, Created: at("2026-11-24T10:00:00Z"),
			Attempts: []ghfake.Attempt{ok("failure", "2026-11-24T10:00:00Z", "2026-11-24T10:10:00Z")}})
		f.AddPull(rp, ghfake.Pull{Number: 1, Title: "infra", Created: at("2026-11-24T10:00:00Z"), Files: files("main.tf")})
	}
}

func scopes(ps []model.Pipeline) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Scope+"@"+p.Branch)
	}
	return out
}

// Through New and the runner, as cmd wires it: both collectors share one
// repository listing; archived repositories and forks are skipped; a
// second refresh is served by 304s that cost no rate limit.
func TestNewSharesListingAndRefreshesWith304s(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	orgScenario(f)
	cfg := config.GitHub{APIURL: f.URL(), Orgs: []string{"acme"}, Repos: []string{"other/tools", "acme/api"}}
	cs := New(cfg, Options{Token: testToken, CacheDir: t.TempDir(), HTTPClient: f.Client()})
	runner := collectors.Runner{Collectors: cs}
	if got := runner.Names(); !slices.Equal(got, []string{"github/actions", "github/pulls"}) {
		t.Fatalf("names = %q", got)
	}

	snap := runner.Collect(context.Background(), model.NewSnapshot(week(now), false, runner.Names()))
	for _, src := range snap.Sources {
		if src.Status != model.StatusOK {
			t.Fatalf("%s: %s %s", src.Name, src.Status, src.Detail)
		}
	}
	pipes := snap.Pipelines()
	if got, want := scopes(pipes), []string{"acme/api@main", "acme/web@develop", "other/tools@main"}; !slices.Equal(got, want) {
		t.Errorf("pipelines from %q, want %q (archived and forks skipped, explicit repo kept)", got, want)
	}
	st := f.Stats()
	if n := st.Count("/orgs/acme/repos"); n != 1 {
		t.Errorf("organisation listed %d times for two collectors, want once", n)
	}
	for _, skipped := range []string{"/repos/acme/legacy/", "/repos/acme/forked-lib/"} {
		if n := st.Count(skipped); n != 0 {
			t.Errorf("%s was read %d times", skipped, n)
		}
	}
	if n := st.Count("/repos/acme/api?"); n+st.Paths["/repos/acme/api"] != 1 {
		t.Errorf("explicit repo read %d times", n)
	}

	f.ResetStats()
	before := f.RateRemaining()
	snap2 := runner.Collect(context.Background(), model.NewSnapshot(week(now.Add(5*time.Minute)), false, runner.Names()))
	st2 := f.Stats()
	if len(snap2.Pipelines()) != len(pipes) {
		t.Errorf("second refresh: %d pipelines, want %d", len(snap2.Pipelines()), len(pipes))
	}
	// Every REST request is asked again, conditionally, and answered 304,
	// but the three workflow lists: one GraphQL query brings the kept
	// catalogs' names and states up to date. GraphQL has no 304s: the pull
	// request lists are asked again, then only the labels (the open pull
	// requests' heads did not move).
	if st2.Requests != st.Requests-3+1 || st2.NotModified != st2.Requests-st2.GraphQL || st2.GraphQL != 3 {
		t.Errorf("second refresh: %d requests (first: %d), %d of them 304, %d GraphQL", st2.Requests, st.Requests, st2.NotModified, st2.GraphQL)
	}
	if f.RateRemaining() != before {
		t.Errorf("rate limit went from %d to %d on a refresh of 304s", before, f.RateRemaining())
	}
}

func TestRepoFilter(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	orgScenario(f)
	for _, tc := range []struct{ filter, want string }{
		{"w*", "acme/web@develop"},
		{"acme/{api,web}", "acme/api@main acme/web@develop"},
		{"*legacy*", ""},
	} {
		p := connectTo(f, config.GitHub{Orgs: []string{"acme"}, RepoFilter: tc.filter}, "")
		res, err := p.actions.Collect(context.Background(), week(now))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(scopes(res.Data.Pipelines), " "); got != tc.want {
			t.Errorf("filter %q: %q, want %q", tc.filter, got, tc.want)
		}
		if tc.want == "" && (len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "github.repo_filter")) {
			t.Errorf("filter %q matching nothing: warnings %q, want a hint", tc.filter, res.Warnings)
		}
	}
}

// A rejected token is an error that says what to fix, for both collectors.
func TestBadToken(t *testing.T) {
	f := newFake(t, ghfake.Options{Token: "the-right-one"})
	orgScenario(f)
	t.Setenv("GITHUB_TOKEN", "expired-token")
	cs := New(config.GitHub{APIURL: f.URL(), Orgs: []string{"acme"}}, Options{HTTPClient: f.Client()})
	runner := collectors.Runner{Collectors: cs}
	snap := runner.Collect(context.Background(), model.NewSnapshot(week(now), false, runner.Names()))
	for _, src := range snap.Sources {
		if src.Status != model.StatusError || !strings.Contains(src.Detail, "rejected the token from GITHUB_TOKEN") ||
			!strings.Contains(src.Detail, "401 Bad credentials") || !strings.Contains(src.Detail, "gh auth login") {
			t.Errorf("%s: %s %q, want an error naming the token's source and the fix", src.Name, src.Status, src.Detail)
		}
		if strings.Contains(src.Detail, "expired-token") {
			t.Errorf("%s: the detail shows the token itself", src.Name)
		}
	}
}

// 403 and 404 on one repository are warnings naming it and the missing
// permission; the other repositories' data is kept.
func TestPermissionProblemsArePerRepo(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	orgScenario(f)
	f.Inject(ghfake.Fault{Path: "/repos/acme/web/actions/*", Status: 403,
		Message: "Resource not accessible by personal access token", AcceptedPermissions: "actions=read"})
	f.Inject(ghfake.Fault{Path: "/repos/acme/web/pulls*", Status: 403,
		Message: "Resource not accessible by personal access token", AcceptedPermissions: "pull_requests=read"})
	p := connectTo(f, config.GitHub{Orgs: []string{"acme"}, Repos: []string{"acme/secret"}}, "")

	res := collect(t, p.actions, week(now))
	if got := scopes(res.Data.Pipelines); !slices.Equal(got, []string{"acme/api@main"}) {
		t.Errorf("pipelines from %q, want acme/api's kept", got)
	}
	all := strings.Join(res.Warnings, "\n")
	for _, want := range []string{"acme/web: access denied", "Actions: Read-only", "actions=read", `"repo" scope`,
		"acme/secret: not found", "Metadata: Read-only"} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}

	pr := collect(t, p.pulls, week(now))
	if len(pr.Data.PullRequests) != 1 || pr.Data.PullRequests[0].Repo != "acme/api" {
		t.Errorf("pulls: %+v, want acme/api's kept", pr.Data.PullRequests)
	}
	if all := strings.Join(pr.Warnings, "\n"); !strings.Contains(all, "acme/web: access denied") || !strings.Contains(all, "Pull requests: Read-only") {
		t.Errorf("pulls warnings: %s", all)
	}
}

// A token not authorized for SAML single sign-on is told so.
func TestSSONotAuthorized(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	orgScenario(f)
	f.Inject(ghfake.Fault{Path: "/repos/acme/web/*", Status: 403, SSO: "required; url=https://github.com/orgs/acme/sso?authorization_request=x",
		Message: "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization."})
	p := connectTo(f, config.GitHub{Orgs: []string{"acme"}}, "")
	res := collect(t, p.actions, week(now))
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "acme/web: the token is not authorized for this organisation's SAML single sign-on") {
		t.Errorf("warnings = %q", res.Warnings)
	}
}

func TestUnknownOrganisation(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	orgScenario(f)
	p := connectTo(f, config.GitHub{Orgs: []string{"acme", "nosuch"}}, "")
	res := collect(t, p.actions, week(now))
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "organisation nosuch: not found") {
		t.Errorf("warnings = %q", res.Warnings)
	}
	if len(res.Data.Pipelines) != 2 {
		t.Errorf("acme's pipelines not kept: %d", len(res.Data.Pipelines))
	}
}

func TestSkips(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	t.Setenv("PATH", t.TempDir()) // no gh
	for _, tc := range []struct {
		cfg  config.GitHub
		want []string
	}{
		{config.GitHub{}, []string{"github.repos", "github.orgs"}},
		{config.GitHub{Orgs: []string{"acme"}}, []string{"no GitHub token: set GITHUB_TOKEN or run gh auth login"}},
	} {
		for _, c := range New(tc.cfg, Options{}) {
			_, err := c.Collect(context.Background(), week(now))
			var skip *collectors.SkipError
			if !errors.As(err, &skip) {
				t.Fatalf("%s: err = %v, want a skip", c.Name(), err)
			}
			for _, w := range tc.want {
				if !strings.Contains(skip.Hint, w) {
					t.Errorf("%s: hint %q lacks %q", c.Name(), skip.Hint, w)
				}
			}
		}
	}
}

// fakeGH installs a gh that prints token for `gh auth token` with the
// given arguments, and fails otherwise.
func fakeGH(t *testing.T, args, token string) {
	dir := t.TempDir()
	script := "#!/bin/sh\nif [ \"$*\" = \"" + args + "\" ]; then echo " + token + "; exit 0; fi\necho \"unexpected: $*\" >&2; exit 1\n"
	if err := os.WriteFile(filepath.Join(dir, "gh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
}

func TestTokenLookupOrder(t *testing.T) {
	ctx := context.Background()
	fakeGH(t, "auth token", "from-gh")
	t.Setenv("GITHUB_TOKEN", "from-github-token")
	t.Setenv("GH_TOKEN", "from-gh-token")
	if got := lookupToken(ctx, "github.com"); got.value != "from-github-token" || got.source != "GITHUB_TOKEN" {
		t.Errorf("with both variables: %+v", got)
	}
	t.Setenv("GITHUB_TOKEN", "")
	if got := lookupToken(ctx, "github.com"); got.value != "from-gh-token" || got.source != "GH_TOKEN" {
		t.Errorf("with GH_TOKEN: %+v", got)
	}
	t.Setenv("GH_TOKEN", "")
	if got := lookupToken(ctx, "github.com"); got.value != "from-gh" || !strings.Contains(got.source, "gh auth token") {
		t.Errorf("from gh: %+v", got)
	}
	fakeGH(t, "auth token --hostname ghe.example.test", "from-gh-ghes")
	if got := lookupToken(ctx, "ghe.example.test"); got.value != "from-gh-ghes" {
		t.Errorf("from gh for a GHES host: %+v", got)
	}
	t.Setenv("PATH", t.TempDir())
	if got := lookupToken(ctx, "github.com"); got.value != "" {
		t.Errorf("with nothing: %+v", got)
	}
}

func TestAPIBase(t *testing.T) {
	t.Setenv("GITHUB_API_URL", "")
	for _, tc := range []struct{ cfg, env, want, err string }{
		{"", "", "", ""},
		{"https://api.github.com", "", "", ""},
		{"https://ghe.example.com/api/v3/", "", "https://ghe.example.com/api/v3/", ""},
		{"", "https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3", ""},
		{"https://cfg.example.com/api/v3/", "https://env.example.com/api/v3", "https://cfg.example.com/api/v3/", ""},
		{"ftp://x", "", "", "github.api_url"},
		{"", "nonsense", "", "GITHUB_API_URL"},
	} {
		t.Setenv("GITHUB_API_URL", tc.env)
		got, err := apiBase(tc.cfg)
		if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("apiBase(%q) with GITHUB_API_URL=%q = %q, %v; want %q, error naming %q", tc.cfg, tc.env, got, err, tc.want, tc.err)
		}
	}
}

// GitHub Enterprise Server: HTTPS at https://HOST/api/v3/, given as the
// host alone, the full API URL, or GITHUB_API_URL; gh is asked for that
// host's token.
func TestGitHubEnterpriseServer(t *testing.T) {
	f := newFake(t, ghfake.Options{TLS: true, Prefix: "/api/v3", Token: "ghes-token"})
	orgScenario(f)
	// Resolve ghe.example.test to the fake, over its TLS certificate.
	client := f.Client()
	tr := client.Transport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, f.Addr())
	}
	tr.TLSClientConfig.ServerName = "example.com" // httptest's certificate names example.com
	client = &http.Client{Transport: tr}

	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	fakeGH(t, "auth token --hostname ghe.example.test", "ghes-token")
	for _, tc := range []struct{ cfg, env string }{
		{"https://ghe.example.test", ""},
		{"https://ghe.example.test/api/v3/", ""},
		{"", "https://ghe.example.test/api/v3"},
	} {
		t.Setenv("GITHUB_API_URL", tc.env)
		f.ResetStats()
		cs := New(config.GitHub{APIURL: tc.cfg, Orgs: []string{"acme"}}, Options{HTTPClient: client})
		res, err := cs[0].Collect(context.Background(), week(now))
		if err != nil {
			t.Fatalf("api_url %q, GITHUB_API_URL %q: %v", tc.cfg, tc.env, err)
		}
		if len(res.Data.Pipelines) != 2 || len(res.Warnings) != 0 {
			t.Errorf("api_url %q: %d pipelines, warnings %q", tc.cfg, len(res.Data.Pipelines), res.Warnings)
		}
		if n := f.Stats().Count("/orgs/acme/repos"); n != 1 {
			t.Errorf("api_url %q: organisation not listed under /api/v3 (%d)", tc.cfg, n)
		}
		if u := res.Data.Pipelines[0].URL; !strings.HasPrefix(u, "https://github.com/acme/") {
			t.Errorf("run URL %q", u)
		}
	}
}
