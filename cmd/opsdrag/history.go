package main

import (
	"context"
	"fmt"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/opsdrag/opsdrag/collectors/demo"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
	"github.com/opsdrag/opsdrag/store"
	"github.com/opsdrag/opsdrag/tui"
)

// trendWeeks is how many weeks the drag trend shows.
const trendWeeks = 12

// keepSignals is how long saved snapshots keep their full signal data; their
// figures and the alarm and failure history are kept for good.
const keepSignals = 30 * 24 * time.Hour

// historyPath is the history database in the state directory.
func historyPath() string { return filepath.Join(config.StateDir(), "history.db") }

// openHistory opens the history unless --no-store was given. A history that
// cannot be opened is a warning, never a reason not to run: opsdrag then
// works without it and leaves the file alone.
func openHistory(g globalFlags) (*store.Store, string) {
	if g.noStore {
		return nil, ""
	}
	st, err := store.Open(historyPath())
	if err != nil {
		return nil, "history off: " + err.Error()
	}
	return st, ""
}

// saveRefresh keeps a snapshot in the history and trims old signal data.
func saveRefresh(ctx context.Context, st *store.Store, snap model.Snapshot, l model.Ledger) error {
	now := time.Now()
	if _, err := st.Save(ctx, now, snap, l); err != nil {
		return err
	}
	_, err := st.Prune(ctx, now.Add(-keepSignals))
	return err
}

// trendFunc returns the weekly drag for the interface: from the history, or
// made up for the demo, whose snapshots the history does not count.
func trendFunc(st *store.Store, demoMode bool, loc *time.Location) func(time.Time) ([]tui.TrendPoint, error) {
	if demoMode {
		return func(now time.Time) ([]tui.TrendPoint, error) {
			past := demo.PastWeeks(trendWeeks - 1)
			start := weekStart(now, loc)
			points := make([]tui.TrendPoint, trendWeeks)
			for i := range points {
				points[i].Start = start.AddDate(0, 0, -7*(trendWeeks-1-i))
				if i < len(past) {
					points[i].Known, points[i].Hours = true, past[i]
				}
			}
			return points, nil
		}
	}
	if st == nil {
		return nil
	}
	return func(now time.Time) ([]tui.TrendPoint, error) {
		weeks, err := st.Weekly(context.Background(), now, trendWeeks, loc)
		if err != nil {
			return nil, err
		}
		points := make([]tui.TrendPoint, len(weeks))
		for i, w := range weeks {
			points[i] = tui.TrendPoint{Start: w.Start, Known: w.Known, Hours: w.HoursPerWeek}
		}
		return points, nil
	}
}

// weekStart is Monday 00:00 of the week t falls in, in loc.
func weekStart(t time.Time, loc *time.Location) time.Time {
	local := t.In(loc)
	back := (int(local.Weekday()) + 6) % 7
	y, m, d := local.Date()
	return time.Date(y, m, d-back, 0, 0, 0, 0, loc)
}

func newHistoryCmd(g *globalFlags) *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List the snapshots saved in the history, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Resolve(g.configPath)
			if err != nil {
				return usageError{err}
			}
			st, err := store.Open(historyPath())
			if err != nil {
				return err
			}
			defer st.Close()
			rows, err := st.List(cmd.Context(), limit)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if len(rows) == 0 {
				fmt.Fprintf(out, "No snapshot saved yet in %s: every run of opsdrag saves one (unless --no-store).\n", st.Path())
				return nil
			}
			w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tSAVED\tWINDOW\tH/WEEK\tSHARE\tMONTHLY COST\tSOURCES\t")
			for _, r := range rows {
				share, cost := "—", "—"
				if r.Figures.TeamShare != nil {
					share = model.FormatPercent(*r.Figures.TeamShare)
				}
				if r.Figures.MonthlyCost != nil {
					cost = model.FormatMoney(*r.Figures.MonthlyCost, cfg.Team.Currency)
				}
				id := fmt.Sprint(r.ID)
				if r.Demo {
					id += " (demo)"
				}
				fmt.Fprintf(w, "%s\t%s\t%s days\t%s\t%s\t%s\t%d/%d ok\t\n", id, r.At.Format("2006-01-02 15:04"),
					model.FormatNumber(r.Window.Days()), model.FormatHours(r.Figures.HoursPerWeek), share, cost, r.SourcesOK, r.SourcesTotal)
			}
			return w.Flush()
		},
	}
	cmd.Flags().IntVarP(&limit, "limit", "n", 50, "how many snapshots to list")
	return cmd
}
