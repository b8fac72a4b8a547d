package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
	"github.com/opsdrag/opsdrag/store"
	"github.com/opsdrag/opsdrag/tui"
)

// readsShared reports whether this run shows the team's shared history
// instead of collecting: a shared store, and no GitHub or AWS credentials
// here to collect with (and no --demo, no --no-store). Someone who has
// them collects and saves for everyone.
func readsShared(g globalFlags, s setup) bool {
	return s.cfg.Store.Shared() && !g.demo && !g.noStore && !hasCredentials(os.Getenv, fileExists)
}

// sharedHint says on the interface what it shows.
const sharedHint = "Shared history: the team's latest saved collection (no GitHub or AWS credentials here); r reloads it, marks are saved for everyone."

// readShared makes the interface show the latest shared snapshot: painted
// at once, reloaded on refresh, never collected nor saved.
func readShared(opts *tui.Options, hist *store.Store, s setup) {
	load := func(ctx context.Context) (model.Snapshot, error) {
		snap, _, err := snapshotFromHistory(ctx, hist, s)
		return snap, err
	}
	opts.Hint = sharedHint
	opts.Reload = load
	opts.Save = nil
	opts.Initial = nil
	if snap, err := load(context.Background()); err == nil {
		opts.Initial = &snap
	} else {
		opts.Warning = err.Error()
	}
}

// sharedSnapshot is the latest collection of the shared history for a
// one-shot command run without credentials, with when it was saved; the
// output says so, and stderr says it in one line for a job's log.
func sharedSnapshot(ctx context.Context, hist *store.Store, s setup) (model.Snapshot, time.Time, error) {
	snap, at, err := snapshotFromHistory(ctx, hist, s)
	if err != nil {
		return model.Snapshot{}, time.Time{}, err
	}
	fmt.Fprintf(os.Stderr, "opsdrag: no GitHub or AWS credentials here: this is the team's latest shared collection, saved %s\n",
		at.In(s.team.Loc()).Format("Mon Jan 2 15:04 MST"))
	return snap, at, nil
}

// envMarkerOf is who marks are recorded as, for a command that has no
// setup of its own.
func envMarkerOf(g globalFlags) string {
	cfg, err := config.Resolve(g.configPath)
	if err != nil {
		cfg = config.Default()
	}
	return envMarker(cfg)
}
