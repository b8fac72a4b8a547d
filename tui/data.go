package tui

import (
	"fmt"
	"runtime/debug"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// data is what the panes show: the snapshot and what the model derives from
// it, computed once per change rather than on every frame.
type data struct {
	snap model.Snapshot
	// ledger and plan (the migration plan) are computed on another core
	// while the shown pane's rows are built (at 10,000 pipelines, the two
	// take longer than the rest of a first frame); reading one waits for
	// it. planOpen is the item whose steps the Checklist
	// pane shows (its first item when empty).
	ledger func() model.Ledger
	plan   func() model.Plan
	// planItems counts the plan's items without waiting for it, for the
	// Checklist tab.
	planItems func() int
	planOpen  string
	team      model.Team
	now       time.Time
	// triageStart is the end of the previous working day; triage holds what
	// happened since, worst first, and handled the items marked done.
	triageStart time.Time
	triage      []model.TriageItem
	handled     map[string]bool
	handledBy   map[string]model.Mark
	// pipelines, alarms and prs are the snapshot's, sorted once per change
	// rather than on every frame.
	pipelines []model.Pipeline
	alarms    []model.Alarm
	prs       []model.PullRequest
	// broken counts what is broken now, with how far each count holds.
	broken model.Broken
	// collecting names the sources a refresh is waiting for.
	collecting map[string]bool
	// trend is the drag of past weeks from the history.
	trend []model.WeekPoint
}

func newData(snap model.Snapshot, team model.Team, a model.Assumptions, now time.Time, handled map[string]bool) data {
	start := model.TriageStart(now, team.Loc())
	// Times on screen are in the team's time zone, the one hours are
	// bucketed in.
	snap.Window = snap.Window.In(team.Loc())
	return data{
		snap:        snap,
		ledger:      async(func() model.Ledger { return model.ComputeLedger(snap, team, a) }),
		team:        team,
		now:         now,
		triageStart: start,
		triage:      model.Triage(snap, start, team.Loc()),
		handled:     handled,
		broken:      model.BrokenNow(snap),
		pipelines:   snap.Pipelines(),
		alarms:      snap.Alarms(),
		prs:         snap.PullRequests(),
	}
}

// async runs f on a goroutine of its own and returns the function that
// waits for its result. f's panic is raised again where the result is
// read, on the event loop, where Bubble Tea restores the terminal: a
// goroutine's own panic would end the program with the terminal raw.
func async[T any](f func() T) func() T {
	var (
		v       T
		failure any
		done    = make(chan struct{})
	)
	go func() {
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				failure = fmt.Sprintf("%v\n%s", r, debug.Stack())
			}
		}()
		v = f()
	}()
	return func() T {
		<-done
		if failure != nil {
			panic(failure)
		}
		return v
	}
}

// ago formats how long before now t was: "35m", "3h", "2d".
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 0:
		return "0s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// agoPtr is ago for an optional time; "—" when unknown.
func agoPtr(now time.Time, t *time.Time) string {
	if t == nil {
		return "—"
	}
	return ago(now, *t)
}

// markedBy says who set a mark and when, for detail views: "" when the
// store did not record it.
func markedBy(m model.Mark, loc *time.Location) string {
	if !m.Known() {
		return ""
	}
	if m.At.IsZero() {
		return "by " + m.By
	}
	return "by " + m.By + ", " + stamp(m.At, loc)
}

// stamp formats t in the team's time zone for detail views.
func stamp(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon Jan 2 15:04 MST")
}

func stampPtr(t *time.Time, loc *time.Location) string {
	if t == nil {
		return "unknown"
	}
	return stamp(*t, loc)
}
