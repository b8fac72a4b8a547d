package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	gh "github.com/google/go-github/v93/github"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
)

// maxDiscoveredPages bounds how many pages of repositories discovery reads
// (100 a page), so a token that sees a large enterprise still answers fast.
const maxDiscoveredPages = 10

// Discovery is what a token can see, for opsdrag init to offer.
type Discovery struct {
	// TokenSource says where the token was found ("GITHUB_TOKEN",
	// "`gh auth token`"); empty when none was.
	TokenSource string
	// Login is the user the token belongs to; "" for a token without one.
	Login string
	// Orgs are the organisations the token's user belongs to, sorted.
	Orgs []string
	// Repos are the active repositories (owner/name) the token can read,
	// sorted; Truncated is set when there were more than were read.
	Repos     []string
	Truncated bool
}

// Discover finds a token the way a collection does and lists the
// organisations and repositories it can see at apiURL ("" for github.com).
// Without a token it returns an empty Discovery and no error.
func Discover(ctx context.Context, apiURL string, opts Options) (Discovery, error) {
	opts.CacheDir = ""
	cfg := config.GitHub{APIURL: apiURL}
	s := newSession(cfg, opts, defaultSettings(cfg, opts))
	cl, err := s.dial(ctx)
	if err != nil {
		if _, noToken := errors.AsType[*collectors.SkipError](err); noToken {
			return Discovery{}, nil
		}
		return Discovery{}, err
	}
	d := Discovery{TokenSource: s.tok.source}
	if user, _, err := cl.Users.Get(ctx, ""); err == nil {
		d.Login = user.GetLogin()
	} else if code, er := statusOf(err); code == http.StatusUnauthorized {
		return d, fmt.Errorf("GitHub rejected the token from %s (401 %s): create a new one or run gh auth login", s.tok.source, strings.TrimSpace(er.Message))
	}
	orgs, err := allPages(ctx, func(ctx context.Context, page int) ([]*gh.Organization, *gh.Response, error) {
		return cl.Organizations.List(ctx, "", &gh.ListOptions{Page: page, PerPage: 100})
	})
	if err != nil {
		return d, fmt.Errorf("list the token's organisations: %w", err)
	}
	for _, o := range orgs {
		d.Orgs = append(d.Orgs, o.GetLogin())
	}
	for page := 1; page <= maxDiscoveredPages; page++ {
		repos, resp, err := cl.Repositories.ListByAuthenticatedUser(ctx, &gh.RepositoryListByAuthenticatedUserOptions{
			Affiliation: "owner,collaborator,organization_member", Sort: "full_name", ListOptions: gh.ListOptions{Page: page, PerPage: 100}})
		if err != nil {
			return d, fmt.Errorf("list the token's repositories: %w", err)
		}
		for _, r := range repos {
			if !r.GetArchived() && !r.GetDisabled() && !r.GetFork() {
				d.Repos = append(d.Repos, r.GetFullName())
			}
		}
		if resp.NextPage == 0 {
			break
		}
		d.Truncated = page == maxDiscoveredPages
	}
	slices.SortFunc(d.Orgs, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	slices.SortFunc(d.Repos, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return d, nil
}
