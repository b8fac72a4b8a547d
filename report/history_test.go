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
