package main

import (
	"errors"
	"os/signal"
	"time"

	"github.com/spf13/cobra"

	"github.com/opsdrag/opsdrag/model"
	"github.com/opsdrag/opsdrag/report"
)

func newTriageCmd(g *globalFlags) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "triage",
		Short: "What broke since the end of the previous working day, worst first",
		Long: `Collects once and prints the Monday-morning list: alarms firing now, pipelines failing
now, what fired or failed and recovered (sleep-hour and off-hour pages called out), then infra
PRs waiting longest for review. It starts at the end of the previous working day in the team's
time zone (on Monday: Friday 18:00); --since overrides. Markdown is ready to paste into a chat.`,
		Example: `  opsdrag triage                                  # markdown, ready to paste into a chat
  opsdrag triage --format text --since 72h
  opsdrag triage --format json | jq -r '.items[] | select(.group == "firing_now") | .what'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f, _ := report.ParseFormat(format); f == report.HTML {
				return usageError{errors.New("triage has no html format: use markdown, text or json (the HTML page is `opsdrag report --format html`)")}
			}
			f, s, err := oneShot(*g, format, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer s.log.close()
			now := time.Now()
			since := model.TriageStart(now, s.team.Loc())
			if g.since != "" {
				since = s.window(now).Since
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), stopSignals...)
			defer stop()
			hist := openHistoryOrWarn(*g)
			defer closeHistory(hist)
			in := report.TriageInput{Team: s.team, Since: since, GeneratedAt: now}
			if readsShared(*g, s) && hist != nil {
				var err error
				if in.Snapshot, in.FromHistory, err = sharedSnapshot(ctx, hist, s); err != nil {
					return err
				}
			} else {
				in.Snapshot = collect(ctx, s, model.Window{Since: since, Until: now}, hist)
			}
			snap := in.Snapshot
			if hist != nil {
				// The marks set with space in the Triage pane, kept for the
				// default window (also shown for a --since one).
				marks, _ := hist.Handled(ctx, model.TriageStart(now, s.team.Loc()))
				in.Handled = map[string]bool{}
				for id := range marks {
					in.Handled[id] = true
				}
			}
			if err := report.WriteTriage(cmd.OutOrStdout(), f, in); err != nil {
				return err
			}
			return outcome(cmd.ErrOrStderr(), snap, shortfall("the triage list", report.TriageCoverage(snap), "incomplete", "it"))
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "markdown", "output format: markdown, text or json")
	return cmd
}
