package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/opsdrag/opsdrag/model"
	"github.com/opsdrag/opsdrag/report"
	"github.com/opsdrag/opsdrag/store"
)

func newChecklistCmd(g *globalFlags) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "checklist",
		Short: "Collect once and print the migration plan, in payback order",
		Example: `  opsdrag checklist                                  # the plan as markdown, to review in a PR
  opsdrag checklist --format json > plan.json        # an export import can restore
  opsdrag checklist --demo --format text             # the demo's plan`,
		Long: `Runs the collectors once and prints the migration plan: one item per component the team
runs, the steps of a move to a managed application platform, its effort (checklist.effort_hours),
the drag tied to it and when the move pays back, with the marks and notes set in the interface.
--format markdown is made to keep in a repository and review in a pull request; --format json is
the contract "opsdrag/checklist@1" that "opsdrag checklist import" reads back.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch f, err := report.ParseFormat(format); {
			case f == report.HTML:
				return usageError{errors.New("the plan is printed as markdown, text or json; its summary is in report --format html")}
			case err != nil:
				return usageError{fmt.Errorf("unknown checklist format %q: use markdown, text or json", format)}
			}
			f, in, done, err := collectForReport(cmd, *g, format)
			if err != nil {
				return err
			}
			defer done()
			if err := report.WritePlan(cmd.OutOrStdout(), f, in); err != nil {
				return err
			}
			return outcome(cmd.ErrOrStderr(), in.Snapshot, shortfall("the plan's drag", planCoverage(in), "only a lower bound", "the plan"))
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "markdown", "output format: markdown, text or json")
	cmd.AddCommand(newChecklistImportCmd(g))
	return cmd
}

// planCoverage is how complete the plan's hours are.
func planCoverage(in report.Input) model.Coverage {
	l := model.ComputeLedger(in.Snapshot, in.Team, in.Assumptions)
	return model.BuildPlan(in.Snapshot, l, in.Effort, in.PlanState).Coverage
}

// planState reads the plan's marks and notes; without a history, or when
// it cannot be read (said on stderr), the plan shows none.
func planState(ctx context.Context, hist *store.Store, demo bool) model.PlanState {
	if hist == nil {
		return model.PlanState{}
	}
	st, err := hist.PlanState(ctx, demo)
	if err != nil {
		fmt.Fprintln(os.Stderr, "opsdrag: the plan's marks could not be read:", err)
		return model.PlanState{}
	}
	return st
}

func newChecklistImportCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Restore the plan's marks and notes from a JSON export",
		Example: `  opsdrag checklist import plan.json
  git show main:ops/plan.json | opsdrag checklist import -`,
		Long: `Reads a plan exported with "opsdrag checklist --format json" (schema "opsdrag/checklist@1")
and restores, for every item it lists, the item's mark, its steps' marks and its note, as the
file has them. Items the file does not list keep theirs. A file that is not such an export, or
is malformed anywhere, is refused with the reason and nothing is changed. "-" reads stdin.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			marks, err := readPlanFile(cmd, args[0], g.demo)
			if err != nil {
				return err
			}
			if g.noStore {
				return usageError{errors.New("--no-store: there is no history to import the marks into")}
			}
			hist, warning, _ := openHistory(*g)
			if hist == nil {
				return fmt.Errorf("import %s: %s", args[0], warning)
			}
			defer hist.Close()
			if err := hist.ImportPlanMarks(cmd.Context(), g.demo, marks, markBy(envMarkerOf(*g))); err != nil {
				return fmt.Errorf("import %s: %w (nothing was changed)", args[0], err)
			}
			done, notes := 0, 0
			for _, m := range marks {
				if m.Done {
					done++
				}
				if m.Note != "" {
					notes++
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Imported the marks and notes of %s (%d marked done, %d with a note) from %s.\n",
				model.Plural(len(marks), "item"), done, notes, args[0])
			return nil
		},
	}
}

// readPlanFile reads and checks an export before the history is opened:
// a refused file never touches it.
func readPlanFile(cmd *cobra.Command, path string, demo bool) (map[string]model.ItemMarks, error) {
	in := cmd.InOrStdin()
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, usageError{fmt.Errorf("import: %w", err)}
		}
		defer f.Close()
		in = f
	}
	marks, fileDemo, err := report.ReadPlanExport(in)
	switch {
	case err != nil:
		return nil, usageError{fmt.Errorf("import %s: %w; nothing was changed", path, err)}
	case fileDemo && !demo:
		return nil, usageError{fmt.Errorf("import %s: the file is the built-in demo's plan, not the team's; nothing was changed (import it with --demo to restore the demo's marks)", path)}
	case !fileDemo && demo:
		return nil, usageError{fmt.Errorf("import %s: the file is the team's plan and --demo restores the demo's; nothing was changed (import it without --demo)", path)}
	}
	return marks, nil
}
