package report

import (
	"fmt"
	"time"
)

// fromHistoryNote says that what is shown is a saved collection, not one
// made now, and how old it is: the team's latest shared snapshot, read by
// someone without credentials, or --from-history. "" for a live one.
func fromHistoryNote(saved, generated time.Time, clock func(time.Time) string) string {
	if saved.IsZero() {
		return ""
	}
	return fmt.Sprintf("From the history: the collection saved %s, %s before this was made (nothing was collected now)",
		clock(saved), age(generated.Sub(saved)))
}

// age says how long d is, to the unit that matters: "40 s", "35 min",
// "3 h", "2 days".
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(max(d, 0).Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}
