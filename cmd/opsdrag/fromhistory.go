package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/opsdrag/opsdrag/model"
	"github.com/opsdrag/opsdrag/store"
)

// openHistoryRequired opens the history for a command that cannot do
// without it (report --from-history).
func openHistoryRequired(g globalFlags) (*store.Store, error) {
	return openStore(g)
}

// snapshotFromHistory rebuilds the report's snapshot from the latest
// collection saved in the history, with no request: the window ends when
// that collection did (--since counts back from there), and what the
// history kept of older alarms and failures is added as a live run adds
// it. A source whose saved collection did not reach back to the window's
// start is partial, and says what is missing. It returns when the
// collection was saved.
func snapshotFromHistory(ctx context.Context, hist *store.Store, s setup) (model.Snapshot, time.Time, error) {
	saved, ok, err := hist.Latest(ctx, s.demo)
	if err != nil {
		return model.Snapshot{}, time.Time{}, err
	}
	if !ok {
		what := "collection"
		if s.demo {
			what = "demo collection"
		}
		return model.Snapshot{}, time.Time{}, fmt.Errorf("the history at %s holds no saved %s yet: run `opsdrag report` once where the credentials are, then --from-history works anywhere the history file is", hist.Path(), what)
	}
	read := saved.Snapshot.Window
	w := s.window(read.Until)
	kept, err := hist.Kept(ctx, w)
	if err != nil {
		return model.Snapshot{}, time.Time{}, err
	}
	parts := saved.Snapshot.Parts()
	sources := slices.Clone(saved.Snapshot.Sources)
	for i, src := range sources {
		d, has := parts[src.Name]
		if !has || !src.Succeeded() {
			continue
		}
		o := addKept(model.Outcome{Source: src, Data: d}, kept, w)
		o.Source = notReadBack(o.Source, o.Data, read, w, saved.At, s.team.Loc())
		sources[i], parts[src.Name] = o.Source, o.Data
	}
	return model.RestoreSnapshot(w, saved.Snapshot.Demo, sources, parts), saved.At, nil
}

// notReadBack marks a pipelines or pull-request source partial when its
// saved collection began after the window does: re-runs, red time and
// merged PRs from before it were never read (failed runs and alarm pages
// the history keeps for good, and addKept has added them).
func notReadBack(src model.Source, d model.Data, read, w model.Window, at time.Time, loc *time.Location) model.Source {
	if !read.Since.After(w.Since) {
		return src
	}
	var missing []string
	for _, f := range model.SourceFeeds(src.Name) {
		switch f {
		case model.FeedPipelines:
			missing = append(missing, "re-runs and red time")
		case model.FeedPullRequests:
			missing = append(missing, "infra PRs merged")
		}
	}
	if len(missing) == 0 {
		return src
	}
	note := fmt.Sprintf("from the history: the collection saved %s read back to %s only; %s before then are not known (a lower bound: collect with a longer --since to fill it)",
		at.In(loc).Format("Jan 2 15:04"), read.Since.In(loc).Format("Jan 2 15:04"), strings.Join(missing, ", "))
	src.Status = model.StatusPartial
	src.Detail = strings.TrimPrefix(src.Detail+"; "+note, "; ")
	return src
}
