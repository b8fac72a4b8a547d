package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/opsdrag/opsdrag/collectors/demo"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
	"github.com/opsdrag/opsdrag/report"
	"github.com/opsdrag/opsdrag/store"
)

// trendWeeks is how many weeks the drag trend shows.
const trendWeeks = 12

// keepSignals is how long saved snapshots keep their full signal data; their
// figures and the alarm and failure history are kept for good.
const keepSignals = 30 * 24 * time.Hour

// historyPath is the history database in the state directory; "" when
// there is no state directory.
func historyPath() string {
	if dir := config.StateDir(); dir != "" {
		return filepath.Join(dir, "history.db")
	}
	return ""
}

// storeTarget is where the history is kept: the shared PostgreSQL
// database of OPSDRAG_STORE_URL or store.url, else the SQLite file in the
// state directory.
func storeTarget(g globalFlags) (string, error) {
	cfg, err := config.Resolve(g.configPath)
	if err != nil {
		return "", usageError{err}
	}
	if cfg.Store.Shared() {
		return cfg.Store.URL, nil
	}
	if historyPath() == "" {
		return "", errors.New("no history: there is no home directory (set HOME or XDG_STATE_HOME, or store.url for a shared one)")
	}
	return historyPath(), nil
}

// openStore opens the history wherever it is kept.
func openStore(g globalFlags) (*store.Store, error) {
	target, err := storeTarget(g)
	if err != nil {
		return nil, err
	}
	return store.Open(target)
}

// openHistory opens the history unless --no-store was given. A history that
// cannot be opened is a warning, never a reason not to run: opsdrag then
// works without it and leaves the store alone. The warning is whole (path
// included) for stderr; brief is the same in one status line.
func openHistory(g globalFlags) (st *store.Store, warning, brief string) {
	if g.noStore {
		return nil, "", ""
	}
	st, err := openStore(g)
	if err != nil {
		w := "history off: " + strings.TrimPrefix(err.Error(), "no history: ")
		return nil, w, "history off: " + strings.TrimPrefix(briefly(err), "no history: ")
	}
	return st, "", ""
}

// briefly is a history error without the file's path, which is long and
// would push what went wrong and what to do off a status line: the cause
// and the hint. The log and `opsdrag history` name the file.
func briefly(err error) string {
	var se *store.Error
	if !errors.As(err, &se) {
		return err.Error()
	}
	cause := se.Err
	if se.Kind != nil {
		cause = se.Kind
	}
	msg := se.Op
	if cause != nil {
		msg = cause.Error()
	}
	if se.Hint != "" {
		msg += "; " + se.Hint
	}
	return msg
}

// saveRefresh keeps a snapshot in the history, trims old signal data and
// remembers the plan's items; it returns the snapshot's id.
func saveRefresh(ctx context.Context, st *store.Store, snap model.Snapshot, l model.Ledger) (int64, error) {
	now := time.Now()
	id, err := st.Save(ctx, now, snap, l)
	if err != nil {
		return 0, err
	}
	if _, err := st.Prune(ctx, now.Add(-keepSignals)); err != nil {
		return id, err
	}
	return id, rememberPlan(ctx, st, snap, l, now)
}

// rememberPlan records the plan items found now with their drag, so one
// whose resource is gone later shows as retired with what it cost. Only
// an inventory that answered says what exists.
func rememberPlan(ctx context.Context, st *store.Store, snap model.Snapshot, l model.Ledger, now time.Time) error {
	if !snap.Coverage(model.FeedInventory).Known() {
		return nil
	}
	state, err := st.PlanState(ctx, snap.Demo)
	if err != nil {
		return err
	}
	p := model.BuildPlan(snap, l, nil, state)
	return st.RememberPlan(ctx, snap.Demo, p.Items, now)
}

// collectFunc streams the outcomes of one collection over a window.
type collectFunc = func(ctx context.Context, w model.Window) <-chan model.Outcome

// withKept adds what the history kept to each outcome as it streams by, so
// a window longer than the APIs' memory still counts past alarms and
// failures, and says which days of alarm history neither CloudWatch (14
// days) nor any saved collection read: they make the source partial.
// Without a history, or if it cannot be read, nothing is added and every
// day beyond CloudWatch's memory is said.
func withKept(run collectFunc, hist *store.Store, log *slog.Logger) collectFunc {
	return func(ctx context.Context, w model.Window) <-chan model.Outcome {
		in := run(ctx, w)
		out := make(chan model.Outcome, cap(in))
		go func() {
			defer close(out)
			var kept model.Kept
			if hist != nil {
				if k, err := hist.Kept(ctx, w); err == nil {
					kept = k
				}
			}
			for o := range in {
				if o.Source.Succeeded() {
					o = addKeptOrFail(o, kept, w, log)
				}
				out <- o
			}
		}()
		return out
	}
}

// addKeptOrFail is addKept, with a panic in it (a bug) turned into an
// error for that source, logged with its stack, as the runner does for a
// collector's.
func addKeptOrFail(o model.Outcome, k model.Kept, w model.Window, log *slog.Logger) (res model.Outcome) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("adding the history panicked", "source", o.Source.Name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			res = model.Outcome{Source: o.Source}
			res.Source.Status = model.StatusError
			res.Source.Detail = fmt.Sprintf("crashed while adding what the history kept: %v (a bug in opsdrag: its stack is in opsdrag's log; please report it)", p)
		}
	}()
	return addKept(o, k, w)
}

// addKept returns o with the kept signals added and the alarm history it
// still lacks said.
func addKept(o model.Outcome, k model.Kept, w model.Window) model.Outcome {
	o.Data = o.Data.WithKept(k, w)
	gaps := model.AlarmHistoryWarnings(o.Data.AlarmHistoryGaps(k, w))
	if len(gaps) == 0 {
		return o
	}
	if o.Source.Detail != "" {
		gaps = append([]string{o.Source.Detail}, gaps...)
	}
	o.Source.Status, o.Source.Detail = model.StatusPartial, strings.Join(gaps, "; ")
	return o
}

// trendFunc returns the weekly drag for the interface: from the history, or
// the demo's own, since the history leaves demo snapshots out of the trend.
func trendFunc(st *store.Store, demoMode bool, loc *time.Location) func(time.Time) ([]model.WeekPoint, error) {
	if demoMode {
		return func(now time.Time) ([]model.WeekPoint, error) { return demo.Trend(now, loc, trendWeeks), nil }
	}
	if st == nil {
		return nil
	}
	return func(now time.Time) ([]model.WeekPoint, error) {
		weeks, err := st.Weekly(context.Background(), now, trendWeeks, loc)
		if err != nil {
			return nil, err
		}
		points := make([]model.WeekPoint, len(weeks))
		for i, w := range weeks {
			points[i] = model.WeekPoint{Start: w.Start, Known: w.Known, Hours: w.HoursPerWeek, LowerBound: w.LowerBound, ByCategory: w.Categories}
		}
		return points, nil
	}
}

func newHistoryCmd(g *globalFlags) *cobra.Command {
	var limit int
	var check bool
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List the snapshots saved in the history, newest first",
		Example: `  opsdrag history                # the last 50 snapshots
  opsdrag history -n 5
  opsdrag history --check        # check every snapshot (and, for a SQLite file, every page)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Resolve(g.configPath)
			if err != nil {
				return usageError{err}
			}
			st, err := openStore(*g)
			if err != nil {
				return err
			}
			defer st.Close()
			if check {
				if err := st.Check(cmd.Context()); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: ok (integrity check passed)\n", st.Path())
				return nil
			}
			rows, err := st.List(cmd.Context(), limit)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if len(rows) == 0 {
				fmt.Fprintf(out, "No snapshot saved yet in %s: every run of opsdrag saves one (unless --no-store).\n", st.Path())
				return nil
			}
			entries := make([]report.HistoryEntry, len(rows))
			for i, r := range rows {
				entries[i] = report.HistoryEntry{ID: r.ID, At: r.At, Window: r.Window, Demo: r.Demo,
					HoursPerWeek: r.Figures.HoursPerWeek, Hours: r.Figures.HoursCompleteness, TeamShare: r.Figures.TeamShare, MonthlyCost: r.Figures.MonthlyCost,
					SourcesOK: r.SourcesOK, SourcesTotal: r.SourcesTotal}
			}
			return report.WriteHistory(out, entries, cfg.Team.Currency)
		},
	}
	cmd.Flags().IntVarP(&limit, "limit", "n", 50, "how many snapshots to list")
	cmd.Flags().BoolVar(&check, "check", false, "check the whole history instead of listing it (SQLite: every page too)")
	return cmd
}
