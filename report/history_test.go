package report

import (
	"strings"
	"testing"
)

// The history's headers are words a newcomer reads without a legend.
func TestHistoryHeadersAreWords(t *testing.T) {
	var b strings.Builder
	share := 0.072
	err := WriteHistory(&b, []HistoryEntry{{ID: 3, At: now, Window: twoWeeks, HoursPerWeek: 23.2, TeamShare: &share, SourcesOK: 6, SourcesTotal: 6}}, "USD")
	if err != nil {
		t.Fatal(err)
	}
	head, row, _ := strings.Cut(b.String(), "\n")
	if strings.Fields(head)[3] != "HOURS/WEEK" || !strings.Contains(head, "TEAM SHARE") || strings.Contains(head, "H/WEEK ") {
		t.Errorf("header %q", head)
	}
	if !strings.Contains(row, "23.2") || !strings.Contains(row, "7.2%") || !strings.Contains(row, "6/6 ok") {
		t.Errorf("row %q", row)
	}
}

// A saved drag some source could not count reads as a lower bound in every
// figure that scales it, and an uncounted one as unknown, never 0.
func TestHistoryNeverShowsABoundAsExact(t *testing.T) {
	var b strings.Builder
	share, cost := 0.003, 289.0
	err := WriteHistory(&b, []HistoryEntry{
		{ID: 2, At: now, Window: twoWeeks, HoursPerWeek: 0.7, Hours: "lower_bound", TeamShare: &share, MonthlyCost: &cost, SourcesOK: 2, SourcesTotal: 6},
		{ID: 1, At: now, Window: twoWeeks, Hours: "unknown", SourcesOK: 0, SourcesTotal: 6},
	}, "USD")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if row := lines[1]; !strings.Contains(row, "≥ 0.7") || !strings.Contains(row, "≥ 0.3%") || !strings.Contains(row, "≥ $289") {
		t.Errorf("lower bound row %q", row)
	}
	if row := lines[2]; !strings.Contains(row, "unknown") || strings.Contains(row, "0.0") {
		t.Errorf("unknown row %q", row)
	}
}
