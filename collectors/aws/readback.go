package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
)

// codepipelinePager is an SDK paginator of a CodePipeline listing.
type codepipelinePager[P any] interface {
	HasMorePages() bool
	NextPage(ctx context.Context, optFns ...func(*codepipeline.Options)) (P, error)
}

// readBack reads a listing that CodePipeline gives "most recent" first
// without documenting any finer order: page by page until done says a
// whole page lies before what is wanted, or maxPages have been read. It
// returns every item read, and whether the bound came first.
func readBack[P, T any](ctx context.Context, pages codepipelinePager[P], items func(P) []T, maxPages int, done func(page []T) bool) ([]T, bool, error) {
	var all []T
	for n := 0; pages.HasMorePages(); n++ {
		if n == maxPages {
			return all, true, nil
		}
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, false, err
		}
		got := items(page)
		all = append(all, got...)
		if len(got) > 0 && done(got) {
			break
		}
	}
	return all, false, nil
}
