package model

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// CleanText makes untrusted remote text (PR titles, alarm names, reasons)
// safe to print on a terminal: it removes ANSI escape sequences, control
// characters and bidirectional overrides, and folds line breaks and tabs into
// single spaces so one value stays on one line.
func CleanText(s string) string {
	if printableASCII(s) {
		return s // most remote text: nothing to clean, nothing to copy
	}
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	space, folded := false, false
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t' || r == 0x2028 || r == 0x2029:
			if !space {
				b.WriteByte(' ')
				space, folded = true, true
			}
			continue
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			continue // C0, DEL and C1 controls
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
			continue // bidi overrides and marks ("trojan source")
		case r == 0xfeff:
			continue
		}
		space, folded = r == ' ', false
		b.WriteRune(r)
	}
	out := b.String()
	if folded {
		out = out[:len(out)-1] // a line break at the very end is not a space
	}
	return out
}

// printableASCII reports whether every byte of s is a printable ASCII
// character (space to tilde): text CleanText would return unchanged.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// WrapAtSpaces breaks s into lines of at most width display cells, at
// spaces only: ansi.Wordwrap also breaks after hyphens, which would split a
// flag such as --profile, a path or a resource name across lines. A word
// wider than a line is kept whole on its own line, never cut.
func WrapAtSpaces(s string, width int) []string {
	var lines []string
	var line strings.Builder
	for _, w := range strings.Fields(s) {
		if line.Len() > 0 && ansi.StringWidth(line.String())+1+ansi.StringWidth(w) > width {
			lines = append(lines, line.String())
			line.Reset()
		}
		if line.Len() > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(w)
	}
	if line.Len() > 0 {
		lines = append(lines, line.String())
	}
	return lines
}
