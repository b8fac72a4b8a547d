package github

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/bmatcuk/doublestar/v4"
	gh "github.com/google/go-github/v93/github"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

// repo is a repository to watch.
type repo struct {
	owner, name   string
	defaultBranch string
	nodeID        string // the GraphQL ID
}

func (r repo) full() string { return r.owner + "/" + r.name }

// repoListing is the watched repositories of one refresh, with the problems
// met while listing them.
type repoListing struct {
	repos []repo
	probs *problems
}

// listingMemo shares one listing between the collectors of one refresh:
// both are called with the same window, and each takes it once. A collector
// asking again (a new refresh with an identical window) lists afresh.
type listingMemo struct {
	w       model.Window
	done    chan struct{}
	res     repoListing
	takenBy map[string]bool
}

// repos returns the watched repositories for the refresh of window w,
// listing them at most once for all collectors of that refresh.
func (s *session) repos(ctx context.Context, w model.Window, who string) repoListing {
	s.mu.Lock()
	m := s.memo
	if m != nil && sameWindow(m.w, w) && !m.takenBy[who] {
		m.takenBy[who] = true
		s.mu.Unlock()
		select {
		case <-m.done:
		case <-ctx.Done():
			p := s.newProblems()
			p.add(ctx.Err(), "list repositories", "", needMetadata)
			return repoListing{probs: p}
		}
		// The listing ran under the other collector's context; if that one
		// ended early while ours is still alive, list again.
		if ctx.Err() == nil && m.res.probs.stoppedByContext() {
			return s.listRepos(ctx)
		}
		return m.res
	}
	m = &listingMemo{w: w, done: make(chan struct{}), takenBy: map[string]bool{who: true}}
	s.memo = m
	s.mu.Unlock()
	m.res = s.listRepos(ctx)
	close(m.done)
	return m.res
}

// listRepos lists github.repos and the repositories of github.orgs:
// archived, disabled and forked organisation repositories are skipped, and
// github.repo_filter applies to organisation repositories.
func (s *session) listRepos(ctx context.Context) repoListing {
	p := s.newProblems()
	var (
		mu       sync.Mutex
		explicit = make([]*repo, len(s.cfg.Repos))
		fromOrgs []repo
		wg       sync.WaitGroup
	)
	for i, full := range s.cfg.Repos {
		owner, name, _ := strings.Cut(full, "/")
		wg.Go(func() {
			defer collectors.Recover(ctx)
			r, _, err := s.client.Repositories.Get(ctx, owner, name)
			if err != nil {
				p.add(err, "read the repository", full, needMetadata)
				return
			}
			explicit[i] = &repo{owner: r.GetOwner().GetLogin(), name: r.GetName(), defaultBranch: r.GetDefaultBranch(), nodeID: r.GetNodeID()}
		})
	}
	for _, org := range s.cfg.Orgs {
		wg.Go(func() {
			defer collectors.Recover(ctx)
			all, err := allPages(ctx, func(ctx context.Context, page int) ([]*gh.Repository, *gh.Response, error) {
				return s.client.Repositories.ListByOrg(ctx, org, &gh.RepositoryListByOrgOptions{
					Type: "all", ListOptions: gh.ListOptions{Page: page, PerPage: 100}})
			})
			if err != nil {
				if code, _ := statusOf(err); code == http.StatusNotFound {
					p.warnf("organisation %s: not found, or the token cannot see it (for a user's repositories, list them under github.repos)", org)
					return
				}
				p.add(err, "list the repositories of organisation "+org, "", needMetadata)
				return
			}
			var keep []repo
			for _, r := range all {
				if r.GetArchived() || r.GetDisabled() || r.GetFork() || !s.matchFilter(r) {
					continue
				}
				keep = append(keep, repo{owner: r.GetOwner().GetLogin(), name: r.GetName(), defaultBranch: r.GetDefaultBranch(), nodeID: r.GetNodeID()})
			}
			mu.Lock()
			fromOrgs = append(fromOrgs, keep...)
			mu.Unlock()
		})
	}
	wg.Wait()

	var out []repo
	seen := map[string]bool{}
	add := func(r repo) {
		if k := strings.ToLower(r.full()); !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	for _, r := range explicit {
		if r != nil {
			add(*r)
		}
	}
	slices.SortFunc(fromOrgs, func(a, b repo) int { return cmp.Compare(strings.ToLower(a.full()), strings.ToLower(b.full())) })
	for _, r := range fromOrgs {
		add(r)
	}
	return repoListing{repos: out, probs: p}
}

// matchFilter applies github.repo_filter: a glob on the repository name,
// or on owner/name when it contains a slash.
func (s *session) matchFilter(r *gh.Repository) bool {
	f := s.cfg.RepoFilter
	if f == "" {
		return true
	}
	subject := r.GetName()
	if strings.Contains(f, "/") {
		subject = r.GetFullName()
	}
	ok, err := doublestar.Match(f, subject)
	return err == nil && ok
}
