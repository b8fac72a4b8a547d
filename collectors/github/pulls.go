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
	ctx, run := c.s.begin(ctx)
	found, p, repos, read, err := eachRepo(ctx, c.s, w, c.Name(), func(ctx context.Context, cl *gh.Client, r repo, p *problems) (repoPulls, bool) {
		res := c.repo(ctx, cl, r, w, p)
		return res, res.ok
	}, pullsData)
	if err != nil {
		return collectors.Result{Usage: run.usage()}, err
	}
	return finish(p, pullsData(found), repos, read, run.usage())
}

// pullsData adds up what was found in each repository.
func pullsData(found []repoPulls) model.Data {
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
	return d
}

type repoPulls struct {
	prs         []model.PullRequest
	merged      int
	mergedKnown bool
	ok          bool
}

func (c *pullsCollector) repo(ctx context.Context, cl *gh.Client, r repo, w model.Window, p *problems) repoPulls {
	var (
		mu     sync.Mutex
		out    repoPulls
		wg     sync.WaitGroup
		merged = map[int]bool{}
	)
	// Each PR is classified as soon as its list page is in.
	classify := func(pr *gh.PullRequest, isMerged bool) {
		wg.Go(func() {
			if m := c.classify(ctx, cl, r, pr, isMerged, p); m != nil {
				mu.Lock()
				out.prs = append(out.prs, *m)
				mu.Unlock()
			}
		})
	}
	// Open pull requests are listed before closed ones: one merged in
	// between then shows in both lists (and counts once, as merged), never
	// in neither.
	open, err := allPages(ctx, func(ctx context.Context, page int) ([]*gh.PullRequest, *gh.Response, error) {
		return cl.PullRequests.List(ctx, r.owner, r.name, &gh.PullRequestListOptions{
			State: "open", ListOptions: gh.ListOptions{Page: page, PerPage: 100}})
	})
	if err != nil {
		p.add(err, "list open pull requests", r.full(), needPulls)
	} else {
		out.ok = true
	}
	for _, pr := range open {
		classify(pr, false)
	}
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
		if at := pr.MergedAt; at != nil && w.Contains(at.Time) && !merged[pr.GetNumber()] {
			merged[pr.GetNumber()] = true
			n++
			classify(pr, true)
		}
	}
	if err == nil || len(closed) > 0 {
		out.ok, out.mergedKnown, out.merged = true, true, n
	}
	wg.Wait()
	for _, pr := range closed {
		if pr.MergedAt != nil {
			merged[pr.GetNumber()] = true
		}
	}
	out.prs = slices.DeleteFunc(out.prs, func(pr model.PullRequest) bool { return pr.State == model.PROpen && merged[pr.Number] })
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
		if len(files) >= maxPullFiles {
			c.filesCapped(ctx, cl, r, pr.GetNumber(), p)
		}
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

// maxPullFiles is how many changed files GitHub lists for one pull request,
// through REST and GraphQL alike; the rest are left out, silently.
const maxPullFiles = 3000

// filesCapped warns that a pull request not matched by its first 3,000
// files may be infra work in the ones GitHub does not list.
func (c *pullsCollector) filesCapped(ctx context.Context, cl *gh.Client, r repo, number int, p *problems) {
	total := "more than 3,000"
	if full, _, err := cl.PullRequests.Get(ctx, r.owner, r.name, number); err == nil && full.GetChangedFiles() > 0 {
		total = thousands(full.GetChangedFiles())
	}
	p.warnf("%s", filesCappedWarning(r.full(), number, total))
}

func filesCappedWarning(repo string, number int, total string) string {
	return fmt.Sprintf("%s#%d changes %s files and GitHub lists only the first 3,000: none of them matches github.infra_paths, "+
		"the rest were not checked (infra pull requests are a lower bound)", repo, number, total)
}
