package github

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/internal/ghfake"
)

func diagnose(t *testing.T, f *ghfake.Server, cfg config.GitHub, token string) map[string]collectors.Check {
	t.Helper()
	cfg.APIURL = f.URL()
	checks := Diagnose(context.Background(), cfg, Options{Token: token, HTTPClient: f.Client()})
	byName := map[string]collectors.Check{}
	for _, c := range checks {
		if _, dup := byName[c.Name]; dup {
			t.Errorf("two checks named %q", c.Name)
		}
		if c.Status == collectors.CheckFailed && c.Fix == "" {
			t.Errorf("%s failed without a fix: %s", c.Name, c.Detail)
		}
		byName[c.Name] = c
	}
	return byName
}

func TestDiagnoseAGoodToken(t *testing.T) {
	f := newFake(t, ghfake.Options{Login: "mona"})
	orgScenario(f)
	got := diagnose(t, f, config.GitHub{Orgs: []string{"acme"}, Repos: []string{"other/tools"}}, testToken)
	if c := got["github token"]; c.Status != collectors.CheckOK || !strings.Contains(c.Detail, "signed in as mona") {
		t.Errorf("token: %+v", c)
	}
	if c := got["github org acme"]; c.Status != collectors.CheckOK {
		t.Errorf("org: %+v", c)
	}
	for _, r := range []string{"other/tools", "acme/api", "acme/web"} {
		if c := got["github "+r]; c.Status != collectors.CheckOK {
			t.Errorf("%s: %+v", r, c)
		}
	}
	if _, probed := got["github acme/legacy"]; probed {
		t.Error("an archived repository was probed")
	}
	if n := f.Stats().Requests; n > 1+1+3*4 {
		t.Errorf("%d requests for a diagnosis of three repositories", n)
	}
}

func TestDiagnoseARejectedTokenStopsThere(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	orgScenario(f)
	got := diagnose(t, f, config.GitHub{Orgs: []string{"acme"}}, "ghp_wrong")
	c := got["github token"]
	if c.Status != collectors.CheckFailed || !strings.Contains(c.Detail, "401") || !strings.Contains(c.Fix, "GITHUB_TOKEN") {
		t.Errorf("token: %+v", c)
	}
	if len(got) != 1 {
		t.Errorf("checks after a rejected token: %v", got)
	}
}

// Each repository's line names exactly the permissions the token lacks
// there, and how to grant them.
func TestDiagnoseNamesTheMissingPermissionsPerRepo(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	orgScenario(f)
	f.Inject(ghfake.Fault{Path: "/repos/acme/web/actions/*", Status: 403,
		Message: "Resource not accessible by personal access token", AcceptedPermissions: "actions=read"})
	f.Inject(ghfake.Fault{Path: "/repos/acme/web/commits", Status: 403,
		Message: "Resource not accessible by personal access token", AcceptedPermissions: "contents=read"})
	got := diagnose(t, f, config.GitHub{Repos: []string{"acme/api", "acme/web", "acme/secret"}, Orgs: []string{"nobody"}}, testToken)

	if c := got["github acme/api"]; c.Status != collectors.CheckOK {
		t.Errorf("acme/api: %+v", c)
	}
	web := got["github acme/web"]
	if web.Status != collectors.CheckFailed {
		t.Fatalf("acme/web: %+v", web)
	}
	for _, want := range []string{"Actions: Read-only", "Contents: Read-only"} {
		if !strings.Contains(web.Detail, want) || !strings.Contains(web.Fix, want) {
			t.Errorf("acme/web lacks %q: %+v", want, web)
		}
	}
	if strings.Contains(web.Detail, "Pull requests") {
		t.Errorf("acme/web: pull requests are readable, yet named: %s", web.Detail)
	}
	if !strings.Contains(web.Fix, "actions=read") || !strings.Contains(web.Fix, "acme/web") {
		t.Errorf("acme/web fix does not say what GitHub asks for: %s", web.Fix)
	}
	if c := got["github acme/secret"]; c.Status != collectors.CheckFailed || !strings.Contains(c.Detail, "not found") {
		t.Errorf("acme/secret: %+v", c)
	}
	if c := got["github org nobody"]; c.Status != collectors.CheckFailed || !strings.Contains(c.Fix, "github.orgs") {
		t.Errorf("org nobody: %+v", c)
	}
}

func TestDiagnoseSAMLSingleSignOn(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	orgScenario(f)
	f.Inject(ghfake.Fault{Path: "/repos/acme/api/pulls", Status: 403, Message: "Resource protected by organization SAML enforcement.",
		SSO: "required; url=https://github.com/orgs/acme/sso?authorization_request=x"})
	got := diagnose(t, f, config.GitHub{Repos: []string{"acme/api"}}, testToken)
	if c := got["github acme/api"]; c.Status != collectors.CheckFailed || !strings.Contains(c.Fix, "single sign-on") {
		t.Errorf("acme/api: %+v", c)
	}
}

func TestDiagnoseWithoutConfigOrToken(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	t.Setenv("PATH", t.TempDir()) // no gh
	f := newFake(t, ghfake.Options{})
	if got := diagnose(t, f, config.GitHub{}, ""); got["github"].Status != collectors.CheckSkipped || !strings.Contains(got["github"].Fix, "opsdrag init") {
		t.Errorf("not configured: %+v", got)
	}
	got := diagnose(t, f, config.GitHub{Repos: []string{"acme/api"}}, "")
	if c := got["github token"]; c.Status != collectors.CheckFailed || !strings.Contains(c.Fix, "gh auth login") {
		t.Errorf("no token: %+v", got)
	}
	if f.Stats().Requests != 0 {
		t.Errorf("%d requests without a token", f.Stats().Requests)
	}
}

func TestDiscoverListsWhatTheTokenSees(t *testing.T) {
	f := newFake(t, ghfake.Options{Login: "mona"})
	orgScenario(f)
	for i := range 130 { // more than a page
		f.AddRepo(fmt.Sprintf("big/svc-%03d", i), ghfake.Repo{})
	}
	d, err := Discover(context.Background(), f.URL(), Options{Token: testToken, HTTPClient: f.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if d.Login != "mona" || d.TokenSource != "the token given to opsdrag" {
		t.Errorf("who: %+v", d)
	}
	if !slices.Equal(d.Orgs, []string{"acme", "big", "other"}) {
		t.Errorf("orgs = %v", d.Orgs)
	}
	if len(d.Repos) != 3+130 || !slices.Contains(d.Repos, "big/svc-129") || slices.Contains(d.Repos, "acme/legacy") || slices.Contains(d.Repos, "acme/forked-lib") {
		t.Errorf("%d repos: %v", len(d.Repos), d.Repos)
	}
	if _, err := Discover(context.Background(), f.URL(), Options{Token: "ghp_wrong", HTTPClient: f.Client()}); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("a rejected token: %v", err)
	}
}
