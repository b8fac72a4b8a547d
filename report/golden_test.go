package report

import (
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// TestGolden pins every format on the demo data, the demo with --explain,
// a snapshot full of unknowns and one full of hostile remote text. Run
// `go test ./report -update` to regenerate after an intended change.
func TestGolden(t *testing.T) {
	cases := []struct {
		name string
		in   func(*testing.T) Input
	}{
		{"demo", func(t *testing.T) Input { return demoInput(t, false) }},
		{"demo_explain", func(t *testing.T) Input { return demoInput(t, true) }},
		{"unknowns", func(*testing.T) Input { return unknownsInput() }},
		{"hostile", func(*testing.T) Input { return hostileInput() }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in(t)
			for _, f := range Formats() {
				if f == HTML {
					continue // TestGoldenHTML: a sprint, its trend and people
				}
				t.Run(string(f), func(t *testing.T) {
					golden.RequireEqual(t, render(t, f, in))
				})
			}
		})
	}
}
