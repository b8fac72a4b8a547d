package github

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	gh "github.com/google/go-github/v93/github"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

// Collect reports the open pull requests and those merged in the window
// that are infrastructure work — a changed file matches github.infra_paths
// or a label is in github.infra_labels — and counts every pull request
// merged in the window, infra or not, for the infra share of merged work.
//
// Closed pull requests are read sorted by last update, newest first, and
// only back to the start of the window. The file list of a merged pull
// request never changes, so it is fetched once ever and kept.
func (c *pullsCollector) Collect(ctx context.Context, w model.Window) (collectors.Result, error) {
	found, p, repos, read, err := eachRepo(ctx, c.s, w, c.Name(), func(ctx context.Context, cl *gh.Client, r repo, p *problems) (repoPulls, bool) {
		res := c.repo(ctx, cl, r, w, p)
		return res, res.ok
	})
	if err != nil {
		return collectors.Result{}, err
	}
	var (
		prs         []model.PullRequest
		merged      int
		mergedKnown bool
	)
	for _, res := range found {
		prs = append(prs, res.prs...)
		if res.mergedKnown {
			merged += res.merged
			mergedKnown = true
		}
	}
	slices.SortFunc(prs, func(a, b model.PullRequest) int {
		return cmp.Or(cmp.Compare(a.Repo, b.Repo), cmp.Compare(a.Number, b.Number))
	})
	d := model.Data{PullRequests: prs}
	if mergedKnown {
		d.MergedPRs = &merged
	}
	return finish(p, d, repos, read)
}

type repoPulls struct {
	prs         []model.PullRequest
	merged      int
	mergedKnown bool
	ok          bool
}

func (c *pullsCollector) repo(ctx context.Context, cl *gh.Client, r repo, w model.Window, p *problems) repoPulls {
	var (
		mu  sync.Mutex
		out repoPulls
		wg  sync.WaitGroup
	)
	// Each PR is classified as soon as its list page is in, without waiting
	// for the other list.
	classify := func(pr *gh.PullRequest, merged bool) {
		wg.Go(func() {
			if m := c.classify(ctx, cl, r, pr, merged, p); m != nil {
				mu.Lock()
				out.prs = append(out.prs, *m)
				mu.Unlock()
			}
		})
	}
	wg.Go(func() {
		open, err := allPages(ctx, func(ctx context.Context, page int) ([]*gh.PullRequest, *gh.Response, error) {
			return cl.PullRequests.List(ctx, r.owner, r.name, &gh.PullRequestListOptions{
				State: "open", ListOptions: gh.ListOptions{Page: page, PerPage: 100}})
		})
		if err != nil {
			p.add(err, "list open pull requests", r.full(), needPulls)
			return
		}
		mu.Lock()
		out.ok = true
		mu.Unlock()
		for _, pr := range open {
			classify(pr, false)
		}
	})
	wg.Go(func() {
		closed, err := pagesUntil(ctx, func(ctx context.Context, page int) ([]*gh.PullRequest, *gh.Response, error) {
			return cl.PullRequests.List(ctx, r.owner, r.name, &gh.PullRequestListOptions{
				State: "closed", Sort: "updated", Direction: "desc", ListOptions: gh.ListOptions{Page: page, PerPage: 100}})
		}, func(page []*gh.PullRequest) bool {
			// A PR merged in the window was updated in it, at the latest then.
			return !page[len(page)-1].GetUpdatedAt().Before(w.Since)
		})
		if err != nil {
			p.add(err, "list closed pull requests", r.full(), needPulls)
		}
		var n int
		for _, pr := range closed {
			if at := pr.MergedAt; at != nil && w.Contains(at.Time) {
				n++
				classify(pr, true)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if err == nil || len(closed) > 0 {
			out.ok, out.mergedKnown, out.merged = true, true, n
		}
	})
	wg.Wait()
	return out
}

// classify returns the PR as an infra PR, or nil when it is not one.
func (c *pullsCollector) classify(ctx context.Context, cl *gh.Client, r repo, pr *gh.PullRequest, merged bool, p *problems) *model.PullRequest {
	files, err := c.files(ctx, cl, r, pr.GetNumber(), merged)
	if err != nil {
		p.add(err, fmt.Sprintf("list the changed files of #%d", pr.GetNumber()), r.full(), needPulls)
	}
	var labels []string
	for _, l := range pr.Labels {
		labels = append(labels, l.GetName())
	}
	paths, infraLabels := c.s.rules.matchPaths(files), c.s.rules.matchLabels(labels)
	if len(paths) == 0 && len(infraLabels) == 0 {
		return nil
	}
	out := &model.PullRequest{
		Repo: r.full(), Number: pr.GetNumber(), Title: pr.GetTitle(), Author: pr.GetUser().GetLogin(),
		State: model.PROpen, Draft: pr.GetDraft(), CreatedAt: pr.GetCreatedAt().Time,
		Paths: paths, Labels: infraLabels, URL: pr.GetHTMLURL(),
	}
	if merged {
		out.State, out.MergedAt = model.PRMerged, ptr(pr.GetMergedAt().Time)
	}
	return out
}

// files lists a PR's changed files. A merged PR's list is final: it comes
// from the permanent store when there, and goes into it otherwise.
func (c *pullsCollector) files(ctx context.Context, cl *gh.Client, r repo, number int, merged bool) ([]prFile, error) {
	key := fmt.Sprintf("%s|%s|%d", c.s.baseKey(), strings.ToLower(r.full()), number)
	var files []prFile
	if merged && c.s.store.get("pr-files", key, &files) {
		return files, nil
	}
	list, err := allPages(ctx, func(ctx context.Context, page int) ([]*gh.CommitFile, *gh.Response, error) {
		return cl.PullRequests.ListFiles(ctx, r.owner, r.name, number, &gh.ListOptions{Page: page, PerPage: 100})
	})
	if err != nil {
		return nil, err
	}
	files = make([]prFile, 0, len(list))
	for _, f := range list {
		files = append(files, prFile{Name: f.GetFilename(), Previous: f.GetPreviousFilename()})
	}
	if merged {
		c.s.store.put("pr-files", key, files)
	}
	return files, nil
}
