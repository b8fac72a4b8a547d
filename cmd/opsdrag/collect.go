package main

import (
	"context"
	"errors"
	"fmt"
	"os/signal"
	"time"

	"github.com/spf13/cobra"

	"github.com/opsdrag/opsdrag/model"
)

func newCollectCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "collect",
		Short: "Collect once and save the snapshot in the history, for cron or a scheduled CI job",
		Long: `Runs every source once and saves the collection in the history (with store.url or
OPSDRAG_STORE_URL, the team's shared PostgreSQL database), for everyone's interface, reports
and trend; it prints nothing else. Two collects started together never save the same
collection twice: the second finds the first's lock and stops without saving.
Exits 0 when the snapshot was saved (with one line on stderr when a source failed or left
data out), 1 with the reason when nothing was saved (no source succeeded, the store refused,
another collect was running), 2 for bad flags or config, or with neither a config file nor
credentials. docs/store.md has an hourly GitHub Actions workflow that runs it.`,
		Example: `  opsdrag collect                                  # into the history this config names
  OPSDRAG_STORE_URL=postgres://… opsdrag collect   # into the team's database
  opsdrag collect --since 30d                      # a month, to fill the trend after a gap`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if g.noStore {
				return usageError{errors.New("collect saves into the history, which --no-store turns off")}
			}
			_, s, err := oneShot(*g, "text", cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer s.log.close()
			hist, err := openStore(*g)
			if err != nil {
				return fmt.Errorf("nothing collected: %w", err)
			}
			defer hist.Close()
			ctx, stop := signal.NotifyContext(cmd.Context(), stopSignals...)
			defer stop()
			release, err := hist.LockCollect(ctx)
			if err != nil {
				return fmt.Errorf("nothing collected: %w", err)
			}
			defer release()
			snap := collect(ctx, s, s.window(time.Now()), hist)
			if !snap.AnySucceeded() {
				for _, src := range snap.Sources {
					fmt.Fprintf(cmd.ErrOrStderr(), "opsdrag: %s: %s %s\n", src.Name, src.Status, src.Detail)
				}
				return fmt.Errorf("nothing saved: %w", errNoSource)
			}
			ledger := model.ComputeLedger(snap, s.team, s.cfg.Assumptions)
			// A save that has begun is finished whatever signal arrives.
			id, err := saveRefresh(context.WithoutCancel(ctx), hist, snap, ledger)
			if id == 0 {
				return fmt.Errorf("nothing saved: %w", err)
			}
			if err != nil {
				// The snapshot is in; trimming old data or remembering the
				// plan's items failed and will be tried again next time.
				fmt.Fprintln(cmd.ErrOrStderr(), "opsdrag: saved, but:", err)
			}
			ok := 0
			for _, src := range snap.Sources {
				if src.Succeeded() {
					ok++
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Saved snapshot #%d in %s: %s sources answered, drag %s.\n",
				id, hist.Path(), fmt.Sprintf("%d of %d", ok, len(snap.Sources)), model.FormatBound(ledger.HoursPerWeek, ledger.Coverage, model.FormatHours)+" h/week")
			for _, src := range snap.Sources {
				if src.Status != model.StatusOK && src.Status != model.StatusSkipped {
					fmt.Fprintf(cmd.ErrOrStderr(), "opsdrag: %s: %s %s\n", src.Name, src.Status, src.Detail)
				}
			}
			return nil
		},
	}
}
