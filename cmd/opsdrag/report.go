package main

import (
	"bytes"
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

// htmlDefaultSince is the HTML report's window when --since is not given:
// a typical two-week sprint, the span the audit is about.
const htmlDefaultSince = "14d"

// reportFlags are the report command's own flags.
type reportFlags struct {
	format      string
	explain     bool
	output      string
	open        bool
	people      bool
	fromHistory bool
}

func newReportCmd(g *globalFlags) *cobra.Command {
	var rf reportFlags
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Collect once and print the snapshot as text, markdown, JSON or an HTML page",
		Long: `Runs the same collectors as the interface, once, and prints the snapshot.
The JSON output (--format json) is a stable, documented contract: schema "opsdrag/report@2".
--format html writes one self-contained page to forward (inline CSS and SVG, no script,
nothing fetched), over the last two weeks unless --since says otherwise; --people adds how
concentrated the drag is on a few people (never who). --from-history makes the report from
the latest saved collection, with no credentials and no request.
A figure some source could not count is shown as a lower bound (≥) or unknown, never as 0.
Exits 0 when the report was produced (with one line on stderr when the drag is only a
lower bound or unknown), 1 when no source succeeded, 2 for bad flags or config, or with
neither a config file nor credentials (pass --demo for the built-in demo data).`,
		Example: `  opsdrag report                                  # the last 7 days as text
  opsdrag report --format json | jq .drag.hours_per_week
  opsdrag report --since 30d --explain            # a month, with the arithmetic behind each figure`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runReport(cmd, *g, rf)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&rf.format, "format", "f", "text", "output format: text, markdown, json or html")
	f.BoolVar(&rf.explain, "explain", false, "show the line-by-line arithmetic behind every drag figure")
	f.StringVarP(&rf.output, "output", "o", "-", "write the report to this file (- for stdout)")
	f.BoolVar(&rf.open, "open", false, "open the HTML page in the default browser once written")
	f.BoolVar(&rf.people, "people", false, "HTML: add how concentrated the drag is on a few people (no names)")
	f.BoolVar(&rf.fromHistory, "from-history", false, "make the report from the latest collection saved in the history: no credentials, no request")
	return cmd
}

func runReport(cmd *cobra.Command, g globalFlags, rf reportFlags) error {
	f, err := report.ParseFormat(rf.format)
	if err != nil {
		return usageError{err}
	}
	if f != report.HTML && (rf.people || rf.open) {
		return usageError{errors.New("--people and --open apply to --format html only")}
	}
	if rf.fromHistory && g.noStore {
		return usageError{errors.New("--from-history reads the history, which --no-store turns off")}
	}
	if f == report.HTML && g.since == "" {
		g.since = htmlDefaultSince
	}
	s, err := prepare(g, rf.fromHistory, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer s.log.close()
	shared := !rf.fromHistory && readsShared(g, s)
	ctx, stop := signal.NotifyContext(cmd.Context(), stopSignals...)
	defer stop()
	in := report.Input{Team: s.team, Assumptions: s.cfg.Assumptions, GeneratedAt: time.Now(), Explain: rf.explain, People: rf.people, Effort: s.cfg.Effort}
	var hist *store.Store
	if rf.fromHistory || shared {
		if hist, err = openHistoryRequired(g); err != nil {
			return err
		}
		read := snapshotFromHistory
		if shared {
			read = sharedSnapshot
		}
		var at time.Time
		if in.Snapshot, at, err = read(ctx, hist, s); err != nil {
			hist.Close()
			return err
		}
		in.FromHistory = at
	} else {
		hist = openHistoryOrWarn(g)
		in.Snapshot = collectAndKeep(ctx, s, hist)
	}
	defer closeHistory(hist)
	in.PlanState = planState(ctx, hist, in.Snapshot.Demo)
	if f == report.HTML {
		in.Trend = reportTrend(hist, s, in.Snapshot.Window.Until)
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, f, in); err != nil {
		return err
	}
	path, err := writeOutput(cmd.OutOrStdout(), rf, buf.Bytes())
	if err != nil {
		return err
	}
	if rf.open {
		if err := openInBrowser(path); err != nil {
			fmt.Fprintf(cmd.ErrOrStderr(), "opsdrag: could not open a browser (%v): the page is %s\n", err, path)
		}
	}
	ledger := model.ComputeLedger(in.Snapshot, s.team, s.cfg.Assumptions)
	return outcome(cmd.ErrOrStderr(), in.Snapshot, shortfall("the drag", ledger.Coverage, "only a lower bound", "the report"))
}

// prepare is oneShot for the report: from the history, the demo is what
// the history holds of it, and no source is built to be run.
func prepare(g globalFlags, fromHistory bool, stderr io.Writer) (setup, error) {
	if !fromHistory {
		_, s, err := oneShot(g, string(report.Text), stderr)
		return s, err
	}
	s, err := newSetup(g, 0)
	if err != nil {
		return setup{}, err
	}
	// No config is needed to read the history; the demo is read only when
	// asked for, as everywhere else.
	if s.demo && !g.demo {
		s.demo, s.team = false, s.cfg.Team
	}
	if s.demo {
		fmt.Fprintln(stderr, "opsdrag: demo data (--demo): built-in sample data for a fictitious team, not your accounts")
	}
	return s, nil
}

// reportTrend is the drag of the last weeks for the HTML chart: the
// demo's own in demo mode, else the history's (which now holds this run);
// nil without a history or when it cannot be read.
func reportTrend(hist *store.Store, s setup, until time.Time) []model.WeekPoint {
	trend := trendFunc(hist, s.demo, s.team.Loc())
	if trend == nil {
		return nil
	}
	points, err := trend(until)
	if err != nil {
		fmt.Fprintln(os.Stderr, "opsdrag: the weekly chart is left out:", err)
		return nil
	}
	return points
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
	if _, err := saveRefresh(context.WithoutCancel(ctx), hist, snap, l); err != nil {
		log.Warn("history not saved", "err", err)
		fmt.Fprintln(os.Stderr, "opsdrag: history not saved:", err)
		return
	}
	log.Debug("snapshot saved")
}

// collectAndKeep runs the collectors once over the window ending now and
// keeps the refresh in the history (keep).
func collectAndKeep(ctx context.Context, s setup, hist *store.Store) model.Snapshot {
	snap := collect(ctx, s, s.window(time.Now()), hist)
	keep(ctx, hist, snap, model.ComputeLedger(snap, s.team, s.cfg.Assumptions), s.log.Logger)
	return snap
}

// stopSignals end a one-shot command early: Ctrl-C, a service manager's
// SIGTERM, a closed terminal's SIGHUP. Each cancels the collection; a save
// under way still finishes (keep).
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// collectForReport runs the collectors once for a one-shot command that
// prints a report (report, checklist): it saves the refresh in the history
// and returns the report's input with the plan's marks. done closes the
// history and stops listening for an interrupt.
func collectForReport(cmd *cobra.Command, g globalFlags, format string) (report.Format, report.Input, func(), error) {
	f, s, err := oneShot(g, format, cmd.ErrOrStderr())
	if err != nil {
		return "", report.Input{}, nil, err
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), stopSignals...)
	hist := openHistoryOrWarn(g)
	var snap model.Snapshot
	var savedAt time.Time
	if readsShared(g, s) && hist != nil {
		if snap, savedAt, err = sharedSnapshot(ctx, hist, s); err != nil {
			closeHistory(hist)
			stop()
			s.log.close()
			return "", report.Input{}, nil, err
		}
	} else {
		snap = collectAndKeep(ctx, s, hist)
	}
	in := report.Input{
		Snapshot: snap, Team: s.team, Assumptions: s.cfg.Assumptions, GeneratedAt: time.Now(),
		Effort: s.cfg.Effort, PlanState: planState(ctx, hist, snap.Demo), FromHistory: savedAt,
	}
	return f, in, func() { closeHistory(hist); stop(); s.log.close() }, nil
}
