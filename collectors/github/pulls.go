package github

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	gh "github.com/google/go-github/v93/github"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

// pullsBatch is how many repositories one GraphQL listing covers; with two
// lists of 100 pull requests each and no nested connection, a query stays
// far below GitHub's node limit and costs one point.
const pullsBatch = 25

// detailsBatch is how many pull requests one details query covers:
// nodes(ids:) takes at most 100.
const detailsBatch = 100

// Collect reports the open pull requests and those merged in the window
// that are infrastructure work — a changed file matches github.infra_paths
// or a label is in github.infra_labels — and counts every pull request
// merged in the window, infra or not, for the infra share of merged work.
//
// It asks GitHub's GraphQL API, 25 repositories a query, for their open
// pull requests and their merged ones, most recently updated first, back to
// the start of the window; then, 100 pull requests a query, for their
// labels and changed files. A pull request's file list is fetched only when
// it can have changed: a merged one's never does, an open one's only with
// its head or base commit, so both are kept and not asked for again. More
// than 100 files, or a renamed file (GraphQL does not give its previous
// name), are read from REST instead.
func (c *pullsCollector) Collect(ctx context.Context, w model.Window) (collectors.Result, error) {
	ctx, run := c.s.begin(ctx)
	found, p, repos, read, err := eachBatch(ctx, c.s, w, c.Name(), pullsBatch, func(ctx context.Context, cl *gh.Client, rs []repo, p *problems, done func(int, repoPulls, bool)) {
		for i, res := range c.batch(ctx, cl, rs, w, p) {
			done(i, res, res.ok)
		}
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

// listedPR is a pull request as the GraphQL lists give it.
type listedPR struct {
	ID           string     `json:"id"`
	Number       int        `json:"number"`
	Title        string     `json:"title"`
	URL          string     `json:"url"`
	IsDraft      bool       `json:"isDraft"`
	CreatedAt    time.Time  `json:"createdAt"`
	UpdatedAt    time.Time  `json:"updatedAt"`
	MergedAt     *time.Time `json:"mergedAt"`
	ChangedFiles int        `json:"changedFiles"`
	HeadRefOid   string     `json:"headRefOid"`
	BaseRefOid   string     `json:"baseRefOid"`
	Author       *struct {
		Login string `json:"login"`
	} `json:"author"`
}

type prPage struct {
	PageInfo struct {
		HasNextPage bool   `json:"hasNextPage"`
		EndCursor   string `json:"endCursor"`
	} `json:"pageInfo"`
	Nodes []listedPR `json:"nodes"`
}

// candidate is a pull request to classify, with its repository.
type candidate struct {
	at     int // index of its repository in the batch
	pr     listedPR
	merged bool
	labels []string
	files  []prFile
	// filesOK is false when the file list could not be read.
	filesOK bool
	// reviews are the submitted reviews, oldest first, when reviewsOK.
	reviews   []review
	reviewsOK bool
}

// review is one submitted review of a pull request.
type review struct {
	at time.Time
	by string // empty for a deleted account
}

func loginOf(a *struct {
	Login string `json:"login"`
}) string {
	if a == nil {
		return ""
	}
	return a.Login
}

// batch collects the pull requests of a few repositories.
func (c *pullsCollector) batch(ctx context.Context, cl *gh.Client, rs []repo, w model.Window, p *problems) []repoPulls {
	out := make([]repoPulls, len(rs))
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.nodeID
	}
	var data struct {
		Nodes []*struct {
			Open   prPage `json:"open"`
			Merged prPage `json:"merged"`
		} `json:"nodes"`
	}
	errs, err := c.s.graphql(ctx, cl, queryPullRequestLists, map[string]any{"ids": ids}, &data)
	if err != nil {
		for _, r := range rs {
			p.add(err, "list pull requests", r.full(), needPulls)
		}
		return out
	}
	failed := map[int]bool{}
	for _, e := range errs {
		if i := e.index(); i >= 0 && i < len(rs) {
			failed[i] = true
			p.addGraphQL(e, "list pull requests", rs[i].full(), needPulls)
		} else {
			p.warnf("could not list pull requests: GitHub's GraphQL API said %q", e.Message)
		}
	}

	var (
		cands []*candidate
		mu    sync.Mutex
		wg    sync.WaitGroup
	)
	for i, n := range data.Nodes {
		if n == nil || i >= len(rs) || failed[i] {
			continue
		}
		wg.Go(func() {
			defer collectors.Recover(ctx)
			open, merged, ok := c.lists(ctx, cl, rs[i], n.Open, n.Merged, w, p)
			if !ok {
				return
			}
			// A pull request merged between the two lists shows in both:
			// it counts once, as merged.
			isMerged := map[int]bool{}
			for _, pr := range merged {
				isMerged[pr.Number] = true
			}
			mu.Lock()
			defer mu.Unlock()
			out[i].ok, out[i].mergedKnown = true, true
			for _, pr := range open {
				if !isMerged[pr.Number] {
					cands = append(cands, &candidate{at: i, pr: pr})
				}
			}
			for _, pr := range merged {
				if w.Contains(*pr.MergedAt) {
					out[i].merged++
					cands = append(cands, &candidate{at: i, pr: pr, merged: true})
				}
			}
		})
	}
	wg.Wait()

	c.details(ctx, cl, rs, cands, p)
	for _, cd := range cands {
		if m := c.classify(rs[cd.at], cd, p); m != nil {
			out[cd.at].prs = append(out[cd.at].prs, *m)
		}
	}
	return out
}

// lists completes a repository's two lists: every open pull request, and
// the merged ones back to the window's start (a pull request merged in the
// window was last updated in it, at the earliest then).
func (c *pullsCollector) lists(ctx context.Context, cl *gh.Client, r repo, open, merged prPage, w model.Window, p *problems) (opens, mergeds []listedPR, ok bool) {
	opens, ok = c.more(ctx, cl, r, open, "OPEN", "CREATED_AT", func(prPage) bool { return true }, p)
	if !ok {
		return nil, nil, false
	}
	mergeds, ok = c.more(ctx, cl, r, merged, "MERGED", "UPDATED_AT", func(pg prPage) bool {
		return len(pg.Nodes) > 0 && !pg.Nodes[len(pg.Nodes)-1].UpdatedAt.Before(w.Since)
	}, p)
	for i := range mergeds {
		if mergeds[i].MergedAt == nil {
			mergeds[i].MergedAt = &mergeds[i].UpdatedAt
		}
	}
	return opens, mergeds, ok
}

// more follows a list's further pages while want says the page just read
// may be followed by pages worth reading.
func (c *pullsCollector) more(ctx context.Context, cl *gh.Client, r repo, pg prPage, state, field string, want func(prPage) bool, p *problems) ([]listedPR, bool) {
	all := pg.Nodes
	for pg.PageInfo.HasNextPage && want(pg) {
		var data struct {
			Node *struct {
				PullRequests prPage `json:"pullRequests"`
			} `json:"node"`
		}
		vars := map[string]any{"id": r.nodeID, "states": []string{state}, "field": field, "after": pg.PageInfo.EndCursor}
		errs, err := c.s.graphql(ctx, cl, queryMorePullRequests, vars, &data)
		what := "list " + strings.ToLower(state) + " pull requests"
		if err != nil {
			p.add(err, what, r.full(), needPulls)
			return all, false
		}
		if len(errs) > 0 || data.Node == nil {
			for _, e := range errs {
				p.addGraphQL(e, what, r.full(), needPulls)
			}
			return all, false
		}
		pg = data.Node.PullRequests
		all = append(all, pg.Nodes...)
	}
	return all, true
}

// details fills in the labels and changed files of every candidate.
func (c *pullsCollector) details(ctx context.Context, cl *gh.Client, rs []repo, cands []*candidate, p *problems) {
	var withFiles, labelsOnly []*candidate
	for _, cd := range cands {
		if files, ok := c.keptFiles(rs[cd.at], cd); ok {
			cd.files, cd.filesOK = files, true
			labelsOnly = append(labelsOnly, cd)
		} else {
			withFiles = append(withFiles, cd)
		}
	}
	var (
		wg    sync.WaitGroup
		viaRS []*candidate // files to read from REST
		mu    sync.Mutex
	)
	for _, group := range []struct {
		cands []*candidate
		files bool
	}{{withFiles, true}, {labelsOnly, false}} {
		for chunk := range slices.Chunk(group.cands, detailsBatch) {
			wg.Go(func() {
				defer collectors.Recover(ctx)
				rest := c.detailsQuery(ctx, cl, rs, chunk, group.files, p)
				mu.Lock()
				viaRS = append(viaRS, rest...)
				mu.Unlock()
			})
		}
	}
	wg.Wait()
	for _, cd := range viaRS {
		wg.Go(func() {
			defer collectors.Recover(ctx)
			r := rs[cd.at]
			files, err := restFiles(ctx, cl, r, cd.pr.Number)
			if err != nil {
				p.add(err, fmt.Sprintf("list the changed files of #%d", cd.pr.Number), r.full(), needPulls)
				return
			}
			cd.files, cd.filesOK = files, true
			c.keepFiles(r, cd)
		})
	}
	wg.Wait()
}

// detailsQuery asks for the labels (and files) of up to 100 pull requests;
// it returns those whose files must be read from REST.
func (c *pullsCollector) detailsQuery(ctx context.Context, cl *gh.Client, rs []repo, chunk []*candidate, withFiles bool, p *problems) []*candidate {
	ids := make([]string, len(chunk))
	for i, cd := range chunk {
		ids[i] = cd.pr.ID
	}
	var data struct {
		Nodes []*struct {
			Labels struct {
				Nodes []struct {
					Name string `json:"name"`
				} `json:"nodes"`
			} `json:"labels"`
			Reviews *struct {
				Nodes []struct {
					Author *struct {
						Login string `json:"login"`
					} `json:"author"`
					SubmittedAt *time.Time `json:"submittedAt"`
				} `json:"nodes"`
			} `json:"reviews"`
			Files *struct {
				PageInfo struct {
					HasNextPage bool `json:"hasNextPage"`
				} `json:"pageInfo"`
				Nodes []struct {
					Path       string `json:"path"`
					ChangeType string `json:"changeType"`
				} `json:"nodes"`
			} `json:"files"`
		} `json:"nodes"`
	}
	errs, err := c.s.graphql(ctx, cl, queryPullRequestDetails, map[string]any{"ids": ids, "withFiles": withFiles}, &data)
	if err != nil {
		for _, cd := range chunk {
			p.add(err, fmt.Sprintf("read the labels and changed files of #%d", cd.pr.Number), rs[cd.at].full(), needPulls)
		}
		return nil
	}
	for _, e := range errs {
		if i := e.index(); i >= 0 && i < len(chunk) {
			cd := chunk[i]
			p.addGraphQL(e, fmt.Sprintf("read the labels and changed files of #%d", cd.pr.Number), rs[cd.at].full(), needPulls)
		}
	}
	var rest []*candidate
	for i, n := range data.Nodes {
		if n == nil || i >= len(chunk) {
			continue
		}
		cd := chunk[i]
		for _, l := range n.Labels.Nodes {
			cd.labels = append(cd.labels, l.Name)
		}
		if n.Reviews != nil {
			cd.reviewsOK = true
			for _, r := range n.Reviews.Nodes {
				// A pending review has no submittedAt (only its author sees
				// it); a deleted account has no author.
				if r.SubmittedAt != nil {
					cd.reviews = append(cd.reviews, review{at: *r.SubmittedAt, by: loginOf(r.Author)})
				}
			}
		}
		if !withFiles || n.Files == nil {
			continue
		}
		renamed := slices.ContainsFunc(n.Files.Nodes, func(f struct {
			Path       string `json:"path"`
			ChangeType string `json:"changeType"`
		}) bool {
			return f.ChangeType == "RENAMED"
		})
		if n.Files.PageInfo.HasNextPage || renamed {
			rest = append(rest, cd)
			continue
		}
		cd.files = make([]prFile, 0, len(n.Files.Nodes))
		for _, f := range n.Files.Nodes {
			cd.files = append(cd.files, prFile{Name: f.Path})
		}
		cd.filesOK = true
		c.keepFiles(rs[cd.at], cd)
	}
	return rest
}

// filesKey keys a pull request's file list in the permanent store. A merged
// pull request's list is final; an open one's is final for a given head and
// base commit, which is part of its key.
func (c *pullsCollector) filesKey(r repo, cd *candidate) (kind, key string) {
	key = fmt.Sprintf("%s|%s|%d", c.s.baseKey(), strings.ToLower(r.full()), cd.pr.Number)
	if cd.merged {
		return "pr-files", key
	}
	return "pr-files-at", key + "|" + cd.pr.HeadRefOid + "|" + cd.pr.BaseRefOid
}

func (c *pullsCollector) keptFiles(r repo, cd *candidate) ([]prFile, bool) {
	if !cd.merged && (cd.pr.HeadRefOid == "" || cd.pr.BaseRefOid == "") {
		return nil, false
	}
	kind, key := c.filesKey(r, cd)
	var files []prFile
	return files, c.s.store.get(kind, key, &files)
}

func (c *pullsCollector) keepFiles(r repo, cd *candidate) {
	if !cd.merged && (cd.pr.HeadRefOid == "" || cd.pr.BaseRefOid == "") {
		return
	}
	kind, key := c.filesKey(r, cd)
	c.s.store.put(kind, key, cd.files)
}

// classify returns the pull request as an infra PR, or nil when it is not
// one. One whose files were cut off by GitHub's 3,000-file cap without a
// match may be infra work all the same: that is a warning.
func (c *pullsCollector) classify(r repo, cd *candidate, p *problems) *model.PullRequest {
	pr := cd.pr
	paths, infraLabels := c.s.rules.matchPaths(cd.files), c.s.rules.matchLabels(cd.labels)
	if len(paths) == 0 && len(infraLabels) == 0 {
		if cd.filesOK && pr.ChangedFiles > len(cd.files) && len(cd.files) >= maxPullFiles {
			p.warnf("%s", filesCappedWarning(r.full(), pr.Number, thousands(pr.ChangedFiles)))
		}
		return nil
	}
	out := &model.PullRequest{
		Repo: r.full(), Number: pr.Number, Title: pr.Title, State: model.PROpen, Draft: pr.IsDraft,
		CreatedAt: pr.CreatedAt, Paths: paths, Labels: infraLabels, URL: pr.URL,
	}
	out.Author = loginOf(pr.Author)
	if cd.reviewsOK {
		out.ReviewsKnown = true
		out.Reviewers, out.FirstReviewAt = reviewers(cd.reviews, out.Author)
	}
	if cd.merged {
		out.State, out.MergedAt = model.PRMerged, ptr(*pr.MergedAt)
	}
	return out
}

// reviewers are the distinct people who reviewed, the author excluded, in
// the order they first did, and when the first of them did. GitHub lists a
// pull request's reviews oldest first; they are sorted all the same.
func reviewers(rs []review, author string) ([]string, *time.Time) {
	rs = slices.Clone(rs)
	slices.SortStableFunc(rs, func(a, b review) int { return a.at.Compare(b.at) })
	var (
		who   []string
		first *time.Time
	)
	for _, r := range rs {
		if r.by == author && author != "" {
			continue
		}
		if first == nil {
			first = ptr(r.at)
		}
		if r.by != "" && !slices.Contains(who, r.by) {
			who = append(who, r.by)
		}
	}
	return who, first
}

// restFiles lists a pull request's changed files from REST, which gives a
// renamed file's previous name; like GraphQL it stops at 3,000.
func restFiles(ctx context.Context, cl *gh.Client, r repo, number int) ([]prFile, error) {
	list, err := allPages(ctx, func(ctx context.Context, page int) ([]*gh.CommitFile, *gh.Response, error) {
		return cl.PullRequests.ListFiles(ctx, r.owner, r.name, number, &gh.ListOptions{Page: page, PerPage: 100})
	})
	if err != nil {
		return nil, err
	}
	files := make([]prFile, 0, len(list))
	for _, f := range list {
		files = append(files, prFile{Name: f.GetFilename(), Previous: f.GetPreviousFilename()})
	}
	return files, nil
}

// maxPullFiles is how many changed files GitHub lists for one pull request,
// through REST and GraphQL alike; the rest are left out, silently.
const maxPullFiles = 3000

func filesCappedWarning(repo string, number int, total string) string {
	return fmt.Sprintf("%s#%d changes %s files and GitHub lists only the first 3,000: none of them matches github.infra_paths, "+
		"the rest were not checked (infra pull requests are a lower bound)", repo, number, total)
}
