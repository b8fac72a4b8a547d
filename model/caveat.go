package model

import (
	"fmt"
	"strings"
)

// Caveat says, in one sentence, why the drag figures may be short: which
// sources were not collected, failed, or left data out. Empty when every
// source is ok (or still collecting).
func (s Snapshot) Caveat() string {
	var skipped, failed, partial []string
	for _, src := range s.Sources {
		switch {
		case src.Status == StatusSkipped:
			skipped = append(skipped, src.Name)
		case src.Status == StatusError || src.Stale:
			failed = append(failed, src.Name)
		case src.Status == StatusPartial:
			partial = append(partial, src.Name)
		}
	}
	var parts []string
	for _, g := range []struct {
		names []string
		what  string
	}{{skipped, "not configured"}, {failed, "failed"}, {partial, "incomplete"}} {
		if len(g.names) > 0 {
			parts = append(parts, strings.Join(g.names, ", ")+" "+g.what)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("A lower bound: %s.", strings.Join(parts, "; "))
}
