package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/spf13/cobra"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
	"github.com/opsdrag/opsdrag/report"
)

// errNoSource is returned when no source produced data: the report was
// printed, but it holds nothing live.
var errNoSource = errors.New("no source succeeded: see the sources section of the report for why")

func newReportCmd(g *globalFlags) *cobra.Command {
	var format string
	var explain bool
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Collect once and print the snapshot as text, markdown or JSON",
		Long: `Runs the same collectors as the interface, once, and prints the snapshot.
The JSON output (--format json) is a stable, documented contract: schema "opsdrag/report@1".
Exits 0 when the report was produced, non-zero only when no source succeeded.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, s, err := oneShot(*g, format)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			snap := collect(ctx, s, s.window(time.Now()))
			keep(ctx, *g, snap, s)
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
			return outcome(snap)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text, markdown or json")
	cmd.Flags().BoolVar(&explain, "explain", false, "show the line-by-line arithmetic behind every drag figure")
	return cmd
}

// oneShot prepares a command that collects once and prints: its output
// format and its setup (no demo latency: nobody watches it fill).
func oneShot(g globalFlags, format string) (report.Format, setup, error) {
	f, err := report.ParseFormat(format)
	if err != nil {
		return "", setup{}, usageError{err}
	}
	s, err := newSetup(g, 0)
	return f, s, err
}

// collect runs every source once over w and returns the snapshot.
func collect(ctx context.Context, s setup, w model.Window) model.Snapshot {
	runner := collectors.Runner{Collectors: s.sources}
	return runner.Collect(ctx, model.NewSnapshot(w, s.demo, runner.Names()))
}

// outcome is a one-shot command's result once its output is written: an
// error only when no source produced anything.
func outcome(snap model.Snapshot) error {
	if !snap.AnySucceeded() {
		return errNoSource
	}
	return nil
}

// keep saves a one-shot run in the history, as every refresh is; a history
// that cannot be opened or written is reported on stderr and skipped.
func keep(ctx context.Context, g globalFlags, snap model.Snapshot, s setup) {
	hist, warning := openHistory(g)
	if warning != "" {
		fmt.Fprintln(os.Stderr, "opsdrag:", warning)
	}
	if hist == nil || !snap.AnySucceeded() {
		return
	}
	defer hist.Close()
	if err := saveRefresh(ctx, hist, snap, model.ComputeLedger(snap, s.team, s.cfg.Assumptions)); err != nil {
		fmt.Fprintln(os.Stderr, "opsdrag: history not saved:", err)
	}
}
