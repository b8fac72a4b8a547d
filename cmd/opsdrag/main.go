// Command opsdrag measures a team's infrastructure drag: the hours and
// dollars spent operating AWS, beside the AWS invoice. This package only
// parses flags and wires collectors, model and views together.
package main

import (
	"fmt"
	"os"
	_ "time/tzdata" // team time zones must load on machines without zoneinfo
)

func main() {
	if err := newRootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "opsdrag:", err)
		os.Exit(exitCode(err))
	}
}
