package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// exitStatus is one row of the exit-code table that --help and the README
// both show.
type exitStatus struct{ code, meaning string }

// exitCodes is the one table of what opsdrag's exit status means; a test
// keeps the README's copy equal to it.
func exitCodes() []exitStatus {
	return []exitStatus{
		{"0", "success: the output was produced; doctor: every check passed"},
		{"1", "failure: no source succeeded (report, triage), collect saved nothing, a doctor check failed, or a run error"},
		{"2", "usage: unknown command or flag, bad value, bad config file, or nothing configured"},
	}
}

// exitCodesHelp renders exitCodes for --help.
func exitCodesHelp() string {
	var b strings.Builder
	b.WriteString("Exit status:\n")
	for _, e := range exitCodes() {
		fmt.Fprintf(&b, "  %s  %s\n", e.code, e.meaning)
	}
	return b.String()
}

// usageError marks errors in what the user asked for (flags, arguments,
// config), which exit with status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// checkFailed means the command ran and reported why on its own output (a
// doctor check failed): exit 1 without repeating a message.
type checkFailed struct{ n int }

func (e checkFailed) Error() string {
	if e.n == 1 {
		return "1 check failed: its line above says how to fix it"
	}
	return fmt.Sprintf("%d checks failed: their lines above say how to fix them", e.n)
}

func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// execute runs the command line args and returns the exit status, having
// written any error to stderr.
func execute(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := checkCommand(root, args)
	if err == nil {
		err = root.Execute()
	}
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "opsdrag:", strings.TrimRight(err.Error(), "\n"))
	return exitCode(err)
}

// checkCommand finds the command args name before any flag is parsed, so a
// mistyped command followed by its flags ("histroy --limit 3") is reported
// as the unknown command it is, with cobra's suggestions, rather than as
// the root's unknown flag.
func checkCommand(root *cobra.Command, args []string) error {
	if len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd) {
		return nil
	}
	if _, _, err := root.Find(args); err != nil {
		return usageError{fmt.Errorf("%s\nRun 'opsdrag --help' for the commands", strings.TrimRight(err.Error(), "\n"))}
	}
	return nil
}

// strictUsage makes every usage error of the tree under root a usageError
// with a way forward: flag errors suggest the closest flag, and extra
// arguments name what the command accepts.
func strictUsage(root *cobra.Command) {
	root.SuggestionsMinimumDistance = 2
	root.SetFlagErrorFunc(flagError)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.SilenceErrors, c.SilenceUsage = true, true
		if c.HasParent() { // the root's unknown commands are found by checkCommand
			c.Args = argsError(c.Args)
			if !c.Runnable() {
				// cobra shows the help of a command that only groups others
				// before it checks arguments: "completion tcsh" would exit 0.
				c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// argsError wraps a command's argument check so its failures are usage
// errors that say what the command takes.
func argsError(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if check == nil {
			check = cobra.NoArgs
		}
		err := check(cmd, args)
		if err == nil {
			return nil
		}
		if cmd.HasSubCommands() && len(args) > 0 {
			var names []string
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, sub.Name())
				}
			}
			return usageError{fmt.Errorf("unknown command %q for %q: want one of %s\nRun '%s --help' for usage",
				args[0], cmd.CommandPath(), strings.Join(names, ", "), cmd.CommandPath())}
		}
		if len(args) > 0 {
			return usageError{fmt.Errorf("%q takes no arguments, got %q\nRun '%s --help' for usage", cmd.Name(), strings.Join(args, " "), cmd.CommandPath())}
		}
		return usageError{fmt.Errorf("%w\nRun '%s --help' for usage", err, cmd.CommandPath())}
	}
}

// flagError turns pflag's errors into usage errors, suggesting the closest
// flag for a mistyped one.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	var missing *pflag.NotExistError
	if errors.As(err, &missing) && missing.GetSpecifiedName() != "" {
		if s := closestFlag(cmd, missing.GetSpecifiedName()); s != "" {
			msg += "\nDid you mean --" + s + "?"
		}
	}
	return usageError{fmt.Errorf("%s\nRun '%s --help' for usage", msg, cmd.CommandPath())}
}

// closestFlag is the flag of cmd whose name is nearest typed, "" when none
// is near enough to be what was meant.
func closestFlag(cmd *cobra.Command, typed string) string {
	var names []string
	add := func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, f.Name)
		}
	}
	cmd.Flags().VisitAll(add)
	cmd.InheritedFlags().VisitAll(add)
	slices.Sort(names)
	best, bestDist := "", 3 // more than two edits away is a different word
	for _, n := range slices.Compact(names) {
		d := levenshtein.ComputeDistance(typed, n)
		if strings.HasPrefix(n, typed) && len(typed) >= 3 {
			d = min(d, 1)
		}
		if d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}
