package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/opsdrag/opsdrag/model"
	"github.com/opsdrag/opsdrag/report"
	"github.com/opsdrag/opsdrag/store"
)

// errNoSource is returned when no source produced data: the report was
// printed, but it holds nothing live.
var errNoSource = errors.New("no source succeeded: the output above says why, source by source")

func newReportCmd(g *globalFlags) *cobra.Command {
	var format string
	var explain bool
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Collect once and print the snapshot as text, markdown or JSON",
		Long: `Runs the same collectors as the interface, once, and prints the snapshot.
The JSON output (--format json) is a stable, documented contract: schema "opsdrag/report@2".
A figure some source could not count is shown as a lower bound (≥) or unknown, never as 0.
Exits 0 when the report was produced (with one line on stderr when the drag is only a
lower bound or unknown), 1 when no source succeeded, 2 for bad flags or config, or with
neither a config file nor credentials (pass --demo for the built-in demo data).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, s, err := oneShot(*g, format, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer s.log.close()
			ctx, stop := signal.NotifyContext(cmd.Context(), stopSignals...)
			defer stop()
			hist := openHistoryOrWarn(*g)
			defer closeHistory(hist)
			snap := collect(ctx, s, s.window(time.Now()), hist)
			ledger := model.ComputeLedger(snap, s.team, s.cfg.Assumptions)
			keep(ctx, hist, snap, ledger, s.log.Logger)
			in := report.Input{
				Snapshot:    snap,
				Team:        s.team,
				Assumptions: s.cfg.Assumptions,
				GeneratedAt: time.Now(),
				Explain:     explain,
			}
			if err := report.Write(cmd.OutOrStdout(), f, in); err != nil {
				return err
			}
			return outcome(cmd.ErrOrStderr(), snap, shortfall("the drag", ledger.Coverage, "only a lower bound", "the report"))
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text, markdown or json")
	cmd.Flags().BoolVar(&explain, "explain", false, "show the line-by-line arithmetic behind every drag figure")
	return cmd
}

// oneShot prepares a command that collects once and prints: its output
// format and its setup (no demo latency: nobody watches it fill). It never
// falls back to the demo on its own; a demo asked for is said on stderr, so
// a job's log shows the output is not the team's.
func oneShot(g globalFlags, format string, stderr io.Writer) (report.Format, setup, error) {
	f, err := report.ParseFormat(format)
	if err != nil {
		return "", setup{}, usageError{err}
	}
	s, err := newSetup(g, 0)
	switch {
	case err != nil:
		return "", setup{}, err
	case s.demo && !g.demo:
		return "", setup{}, nothingConfigured(s.cfg.LookedAt)
	case s.demo:
		fmt.Fprintln(stderr, "opsdrag: demo data (--demo): built-in sample data for a fictitious team, not your accounts")
	}
	if s.logWarning != "" {
		fmt.Fprintln(stderr, "opsdrag:", s.logWarning)
	}
	return f, s, nil
}

// collect runs every source once over w, adds what the history kept (when
// there is one), and returns the snapshot.
func collect(ctx context.Context, s setup, w model.Window, hist *store.Store) model.Snapshot {
	runner := s.runner()
	snap := model.NewSnapshot(w, s.demo, runner.Names())
	for o := range withKept(runner.Run, hist, s.log.Logger)(ctx, w) {
		snap = snap.With(o)
	}
	return snap
}

// outcome is a one-shot command's result once its output is written: an
// error only when no source produced anything. Otherwise a note, when there
// is one, goes to stderr in one line, where a scheduled job's log shows it.
func outcome(stderr io.Writer, snap model.Snapshot, note string) error {
	if !snap.AnySucceeded() {
		return errNoSource
	}
	if note != "" {
		fmt.Fprintln(stderr, "opsdrag: "+note)
	}
	return nil
}

// shortfall says in one line that what a command printed (what, e.g. "the
// drag") is only partly known, naming the sources behind the gap and where
// the output says why; "" when it is complete.
func shortfall(what string, c model.Coverage, partly, where string) string {
	switch {
	case c.Completeness == model.Complete:
		return ""
	case c.Known():
		return fmt.Sprintf("%s is %s (%s): %s says why", what, partly, c.Short(), where)
	}
	return fmt.Sprintf("%s is unknown (%s): %s says why", what, c.Short(), where)
}

// openHistoryOrWarn opens the history for a one-shot command; one that
// cannot be opened is reported on stderr and the command goes on without.
func openHistoryOrWarn(g globalFlags) *store.Store {
	hist, warning, _ := openHistory(g)
	if warning != "" {
		fmt.Fprintln(os.Stderr, "opsdrag:", warning)
	}
	return hist
}

func closeHistory(hist *store.Store) {
	if hist != nil {
		hist.Close()
	}
}

// keep saves a one-shot run in the history, as every refresh is; a failed
// save is reported on stderr. A run interrupted (ctx cancelled) before it
// got here is not saved: a collection cut short is no snapshot to compare
// weeks with. A save that has begun is finished whatever signal arrives,
// so the history holds the snapshot whole or not at all.
func keep(ctx context.Context, hist *store.Store, snap model.Snapshot, l model.Ledger, log *slog.Logger) {
	if hist == nil || !snap.AnySucceeded() {
		return
	}
	if ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "opsdrag: history not saved: the run was interrupted")
		return
	}
	log.Debug("saving snapshot", "path", hist.Path())
	if err := saveRefresh(context.WithoutCancel(ctx), hist, snap, l); err != nil {
		log.Warn("history not saved", "err", err)
		fmt.Fprintln(os.Stderr, "opsdrag: history not saved:", err)
		return
	}
	log.Debug("snapshot saved")
}

// stopSignals end a one-shot command early: Ctrl-C, a service manager's
// SIGTERM, a closed terminal's SIGHUP. Each cancels the collection; a save
// under way still finishes (keep).
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}
