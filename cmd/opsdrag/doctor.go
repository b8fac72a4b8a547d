package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/spf13/cobra"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/doctor"
	"github.com/opsdrag/opsdrag/internal/applog"
)

func newDoctorCmd(g *globalFlags) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the config, the credentials and permissions of every source, the history and the cache",
		Long: `Checks each configured source and prints one line per check, with the exact fix for
each failure: the config file parses (file:line:key), the GitHub token is accepted and has
every permission opsdrag needs on each watched repository, each AWS profile reaches its
account (an expired SSO session says how to log in) and may call each service of the
read-only policy (one harmless read each; AccessDenied names the action to add), the
history database is writable and intact, and the cache directory is private.

Every remote call is a read. The Cost Explorer check is one request, which AWS charges
$0.01 for. Exits 0 only when every check passes, 1 when one fails.`,
		Example: `  opsdrag doctor
  opsdrag doctor --config ./team.yaml
  opsdrag doctor --format json | jq -r '.checks[] | select(.status == "fail") | .fix'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return usageError{fmt.Errorf("unknown doctor format %q: want text or json", format)}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			return runDoctor(ctx, *g, format, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	return cmd
}

// runDoctor runs every check and prints them; a failed check is an error
// that exits 1 without repeating what the output says.
func runDoctor(ctx context.Context, g globalFlags, format string, out io.Writer) error {
	history, err := storeTarget(g)
	if err != nil {
		history = historyPath() // the config check says what is wrong
	}
	r := doctor.Run(ctx, doctor.Options{
		ConfigPath:  g.configPath,
		HistoryPath: history,
		CacheDir:    config.CacheDir(),
		Extra:       doctorExtras(),
	})
	write := doctor.WriteText
	if format == "json" {
		write = doctor.WriteJSON
	}
	if err := write(out, r); err != nil {
		return err
	}
	if n := r.Failed(); n > 0 {
		return checkFailed{n: n}
	}
	return nil
}

// doctorExtras are information lines the doctor prints after its checks:
// where opsdrag's log is, to attach to a bug report.
func doctorExtras() []collectors.Check {
	path := applog.Path()
	if path == "" {
		return []collectors.Check{{Name: "log", Status: collectors.CheckSkipped,
			Detail: "no state directory, so no log file", Fix: "set HOME or XDG_STATE_HOME"}}
	}
	return []collectors.Check{{Name: "log", Status: collectors.CheckOK,
		Detail: path + " (private; --debug adds every request, never a token)"}}
}
