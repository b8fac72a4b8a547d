package report

import (
	"cmp"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// HistoryEntry is one saved snapshot, for `opsdrag history`.
type HistoryEntry struct {
	ID           int64
	At           time.Time
	Window       model.Window
	Demo         bool
	HoursPerWeek float64
	// Hours is how complete HoursPerWeek was.
	Hours model.Completeness
	// TeamShare and MonthlyCost are nil when they were unknown.
	TeamShare    *float64
	MonthlyCost  *float64
	SourcesOK    int
	SourcesTotal int
}

// WriteHistory lists saved snapshots as a table, newest first as given.
func WriteHistory(w io.Writer, entries []HistoryEntry, currency string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSAVED\tWINDOW\tHOURS/WEEK\tTEAM SHARE\tMONTHLY COST\tSOURCES\t")
	for _, e := range entries {
		// The share and the cost scale the hours: as complete as they are.
		hours := model.Coverage{Completeness: cmp.Or(e.Hours, model.Complete)}
		share, cost := "—", "—"
		if e.TeamShare != nil {
			share = model.FormatBound(*e.TeamShare, hours, model.FormatPercent)
		}
		if e.MonthlyCost != nil {
			cost = model.FormatBound(*e.MonthlyCost, hours, func(v float64) string { return model.FormatMoney(v, currency) })
		}
		id := fmt.Sprint(e.ID)
		if e.Demo {
			id += " (demo)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s days\t%s\t%s\t%s\t%d/%d ok\t\n", id, e.At.Format("2006-01-02 15:04"),
			model.FormatNumber(e.Window.Days()), model.FormatBound(e.HoursPerWeek, hours, model.FormatHours),
			share, cost, e.SourcesOK, e.SourcesTotal)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write the history: %w", err)
	}
	return nil
}
