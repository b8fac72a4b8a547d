// Command opsdrag measures a team's infrastructure drag: the hours and
// dollars spent operating AWS, beside the AWS invoice. This package only
// parses flags and wires collectors, model and views together.
package main

import (
	"os"
	_ "time/tzdata" // team time zones must load on machines without zoneinfo
)

func main() {
	os.Exit(execute(os.Args[1:], os.Stdout, os.Stderr))
}
