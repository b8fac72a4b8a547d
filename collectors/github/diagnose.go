package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	gh "github.com/google/go-github/v93/github"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
)

// maxDiagnosedRepos bounds how many repositories a diagnosis probes: each
// costs four requests, and a permission missing on one of a token's
// repositories is usually missing on all.
const maxDiagnosedRepos = 20

// perOrgSample is how many repositories of each organisation are probed.
const perOrgSample = 3

// probe is one permission a collection needs, tested by one harmless GET.
type probe struct {
	what string
	need need
	path func(full string) string
}

// probes are the permissions the collectors rely on, each with the
// cheapest request that needs it (a page of one item).
var probes = []probe{
	{"list workflow runs", needActions, func(r string) string { return "repos/" + r + "/actions/runs?per_page=1" }},
	{"list pull requests", needPulls, func(r string) string { return "repos/" + r + "/pulls?state=all&per_page=1" }},
	{"list commits", need{fine: "Contents: Read-only", classic: "repo"}, func(r string) string { return "repos/" + r + "/commits?per_page=1" }},
}

// Diagnose checks the GitHub setup of cfg, for opsdrag doctor: that a token
// is found, that GitHub accepts it, that each organisation is visible and
// that the token has every permission the collectors need on each watched
// repository (up to maxDiagnosedRepos of them, a few per organisation).
// It only sends GETs, through the same read-only stack as a collection,
// without the cache: a diagnosis must see GitHub's answer of now.
func Diagnose(ctx context.Context, cfg config.GitHub, opts Options) []collectors.Check {
	opts.CacheDir = ""
	s := newSession(cfg, opts, defaultSettings(cfg, opts))
	cl, err := s.connect(ctx)
	var skip *collectors.SkipError
	switch {
	case errors.As(err, &skip) && !cfg.Configured():
		return []collectors.Check{{Name: "github", Status: collectors.CheckSkipped, Detail: "not configured",
			Fix: "run opsdrag init, or list repositories under github.repos (owner/name) or organisations under github.orgs"}}
	case errors.As(err, &skip):
		return []collectors.Check{{Name: "github token", Status: collectors.CheckFailed, Detail: "no GitHub token found (GITHUB_TOKEN, GH_TOKEN, gh auth token)",
			Fix: "export GITHUB_TOKEN=<a read-only token> or run gh auth login" + hostFlag(cfg.APIURL)}}
	case err != nil:
		return []collectors.Check{{Name: "github api", Status: collectors.CheckFailed, Detail: err.Error(),
			Fix: "fix github.api_url in the config (https://HOST/api/v3/ for GitHub Enterprise Server)"}}
	}
	tokenCheck, ok := diagnoseToken(ctx, cl, s.tok)
	checks := []collectors.Check{tokenCheck}
	if !ok {
		return checks
	}
	var repos []string
	for _, org := range cfg.Orgs {
		c, sample := diagnoseOrg(ctx, cl, org)
		checks = append(checks, c)
		repos = appendNew(repos, sample...)
	}
	repos = appendNew(cfg.Repos, repos...)
	skipped := 0
	if len(repos) > maxDiagnosedRepos {
		skipped = len(repos) - maxDiagnosedRepos
		repos = repos[:maxDiagnosedRepos]
	}
	results := make([]collectors.Check, len(repos))
	var wg sync.WaitGroup
	for i, r := range repos {
		wg.Go(func() {
			defer collectors.Recover(ctx)
			results[i] = diagnoseRepo(ctx, cl, r)
		})
	}
	wg.Wait()
	checks = append(checks, results...)
	if skipped > 0 {
		checks = append(checks, collectors.Check{Name: "github repositories", Status: collectors.CheckSkipped,
			Detail: fmt.Sprintf("%d more repositories not probed (a diagnosis checks %d)", skipped, maxDiagnosedRepos)})
	}
	return checks
}

// diagnoseToken asks who the token belongs to; ok is false when GitHub
// rejects it, which makes every other check meaningless.
func diagnoseToken(ctx context.Context, cl *gh.Client, tok token) (collectors.Check, bool) {
	c := collectors.Check{Name: "github token"}
	user, resp, err := cl.Users.Get(ctx, "")
	code, er := statusOf(err)
	switch {
	case err == nil:
		c.Status, c.Detail = collectors.CheckOK, fmt.Sprintf("the token from %s is accepted: signed in as %s", tok.source, user.GetLogin())
		if scopes := resp.Header.Get("X-OAuth-Scopes"); scopes != "" {
			c.Detail += " (classic token, scopes: " + scopes + ")"
		}
		return c, true
	case code == http.StatusUnauthorized:
		c.Status = collectors.CheckFailed
		c.Detail = fmt.Sprintf("GitHub rejected the token from %s (401 %s): it is wrong, expired or revoked", tok.source, strings.TrimSpace(er.Message))
		c.Fix = "create a new read-only token (Actions, Pull requests, Contents, Metadata) and export it as GITHUB_TOKEN, or run gh auth login"
		return c, false
	case code == http.StatusForbidden:
		// An app installation token (GitHub Actions' own) has no user.
		c.Status, c.Detail = collectors.CheckOK, fmt.Sprintf("the token from %s is accepted (not a user's token: %s)", tok.source, strings.TrimSpace(er.Message))
		return c, true
	}
	c.Status, c.Detail = collectors.CheckFailed, "could not reach GitHub: "+err.Error()
	c.Fix = "check the network and github.api_url, then run opsdrag doctor again"
	return c, false
}

// diagnoseOrg checks that the organisation is visible and returns the
// first few of its active repositories to probe.
func diagnoseOrg(ctx context.Context, cl *gh.Client, org string) (collectors.Check, []string) {
	c := collectors.Check{Name: "github org " + org}
	list, _, err := cl.Repositories.ListByOrg(ctx, org, &gh.RepositoryListByOrgOptions{Type: "all", ListOptions: gh.ListOptions{PerPage: 100}})
	switch code, er := statusOf(err); {
	case code == http.StatusNotFound:
		c.Status, c.Detail = collectors.CheckFailed, "not found, or the token cannot see it"
		c.Fix = fmt.Sprintf("check the spelling of %q under github.orgs; a fine-grained token's resource owner must be %s (for a user's repositories, list them under github.repos)", org, org)
		return c, nil
	case err != nil:
		c.Status, c.Detail = collectors.CheckFailed, "could not list its repositories: "+err.Error()
		c.Fix = permissionFix(er, needMetadata, org)
		return c, nil
	}
	var sample []string
	active := 0
	for _, r := range list {
		if r.GetArchived() || r.GetDisabled() || r.GetFork() {
			continue
		}
		active++
		if len(sample) < perOrgSample {
			sample = append(sample, r.GetFullName())
		}
	}
	c.Status = collectors.CheckOK
	c.Detail = fmt.Sprintf("visible; %d active repositories on the first page, probing %d", active, len(sample))
	if active == 0 {
		c.Status, c.Detail = collectors.CheckFailed, "visible, but the token sees none of its active repositories"
		c.Fix = "grant the token access to the organisation's repositories (a fine-grained token: Repository access = All repositories, or the ones you watch)"
	}
	return c, sample
}

// diagnoseRepo probes every permission a collection needs on one
// repository and names those missing.
func diagnoseRepo(ctx context.Context, cl *gh.Client, full string) collectors.Check {
	c := collectors.Check{Name: "github " + full}
	owner, name, _ := strings.Cut(full, "/")
	if _, _, err := cl.Repositories.Get(ctx, owner, name); err != nil {
		code, er := statusOf(err)
		c.Status = collectors.CheckFailed
		if code == http.StatusNotFound {
			c.Detail = "not found, or the token cannot see it"
			c.Fix = fmt.Sprintf("check the name under github.repos; grant a fine-grained token access to %s (Metadata: Read-only), or give a classic token the repo scope for a private repository", full)
			return c
		}
		c.Detail, c.Fix = "could not read the repository: "+err.Error(), permissionFix(er, needMetadata, full)
		return c
	}
	var missing, fixes []string
	for _, p := range probes {
		req, err := cl.NewRequest(ctx, http.MethodGet, p.path(full), nil)
		if err != nil {
			c.Status, c.Detail = collectors.CheckFailed, err.Error()
			return c
		}
		_, err = cl.Do(req, nil)
		code, er := statusOf(err)
		switch {
		case err == nil:
		case code == http.StatusConflict:
			// 409 "Git Repository is empty": allowed, with nothing to list.
		case code == http.StatusForbidden || code == http.StatusNotFound:
			missing = append(missing, fmt.Sprintf("%s (%s: %d)", p.need.fine, p.what, code))
			fixes = appendNew(fixes, permissionFix(er, p.need, full))
		default:
			c.Status, c.Detail = collectors.CheckFailed, fmt.Sprintf("could not %s: %v", p.what, err)
			c.Fix = "check the network, then run opsdrag doctor again"
			return c
		}
	}
	if len(missing) > 0 {
		c.Status = collectors.CheckFailed
		c.Detail = "the token lacks " + strings.Join(missing, ", ")
		c.Fix = strings.Join(fixes, "; ")
		return c
	}
	c.Status, c.Detail = collectors.CheckOK, "Metadata, Actions, Pull requests and Contents readable"
	return c
}

// permissionFix says how to give the token what a 403 or 404 says it
// lacks, naming SAML single sign-on when that is the cause.
func permissionFix(er *gh.ErrorResponse, n need, where string) string {
	if er != nil && er.Response != nil && er.Response.Header.Get("X-GitHub-SSO") != "" {
		return "authorize the token for the organisation's SAML single sign-on (GitHub → Settings → Developer settings → tokens → Configure SSO)"
	}
	fix := fmt.Sprintf("give the token %s on %s (a classic token: the %q scope)", n.fine, where, n.classic)
	if er != nil && er.Response != nil {
		if acc := er.Response.Header.Get("X-Accepted-GitHub-Permissions"); acc != "" {
			fix += "; GitHub asks for " + acc
		}
	}
	return fix
}

// hostFlag is gh's --hostname flag for a GitHub Enterprise Server API URL.
func hostFlag(apiURL string) string {
	base, err := apiBase(apiURL)
	if err != nil || base == "" {
		return ""
	}
	return " --hostname " + webHost(base)
}

// appendNew appends the items of add not already in list, ignoring case.
func appendNew(list []string, add ...string) []string {
	out := append([]string(nil), list...)
	for _, a := range add {
		dup := false
		for _, l := range out {
			if strings.EqualFold(l, a) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, a)
		}
	}
	return out
}
