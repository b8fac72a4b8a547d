package github

import (
	"context"

	gh "github.com/google/go-github/v93/github"
	"golang.org/x/sync/errgroup"

	"github.com/opsdrag/opsdrag/collectors"
)

// fetchPage asks for one page (1-based) of a list endpoint.
type fetchPage[T any] func(ctx context.Context, page int) ([]T, *gh.Response, error)

// allPages follows a list's Link header to the end. When the first page
// names the last one (rel="last", as GitHub's page-numbered lists do), the
// remaining pages are fetched concurrently: a long list then costs two
// round trips on the critical path, not one per page.
func allPages[T any](ctx context.Context, fetch fetchPage[T]) ([]T, error) {
	first, resp, err := fetch(ctx, 1)
	if err != nil {
		return nil, err
	}
	if resp.LastPage > 1 {
		pages := make([][]T, resp.LastPage+1)
		pages[1] = first
		g, gctx := errgroup.WithContext(ctx)
		for p := 2; p <= resp.LastPage; p++ {
			g.Go(func() error {
				defer collectors.Recover(gctx)
				items, _, err := fetch(gctx, p)
				pages[p] = items
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		var all []T
		for _, p := range pages {
			all = append(all, p...)
		}
		return all, nil
	}
	all := first
	for next := resp.NextPage; next != 0; {
		items, r, err := fetch(ctx, next)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		next = r.NextPage
	}
	return all, nil
}
