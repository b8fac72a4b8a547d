package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/opsdrag/opsdrag/model"
)

// outcomeMsg carries one collector's outcome; gen ties it to the refresh
// that asked for it, so a late answer to an old refresh is dropped.
type outcomeMsg struct {
	gen     int
	outcome model.Outcome
	next    <-chan model.Outcome
}

// collectedMsg says a refresh has finished: every collector answered.
type collectedMsg struct{ gen int }

// ageTickMsg re-renders the data's age.
type ageTickMsg struct{}

// tickAge schedules the next redraw of the data's age: every second while
// the age reads in seconds or a refresh is under way, so the status line
// never lags what happened, then every 15 seconds.
func (a *App) tickAge() tea.Cmd {
	return tea.Tick(a.ageInterval(), func(time.Time) tea.Msg { return ageTickMsg{} })
}

func (a *App) ageInterval() time.Duration {
	if oldest := a.snap.OldestData(); a.loading() || oldest.IsZero() || a.opts.Now().Sub(oldest) < time.Minute {
		return time.Second
	}
	return 15 * time.Second
}

// refresh cancels any collection in flight and starts a new one over a
// window ending now. Data already shown stays until each source answers.
func (a *App) refresh() tea.Cmd {
	if a.cancel != nil {
		a.cancel()
	}
	if a.opts.Reload != nil {
		return a.reload()
	}
	if a.opts.Collect == nil {
		return nil
	}
	a.gen++
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	a.snap.Window = a.window(a.opts.Now())
	for _, name := range a.opts.Sources {
		a.collecting[name] = true
	}
	ch := a.opts.Collect(ctx, a.snap.Window)
	return tea.Batch(waitOutcome(a.gen, ch), a.spin.Tick)
}

// waitOutcome reads the next outcome off the stream as a message.
func waitOutcome(gen int, ch <-chan model.Outcome) tea.Cmd {
	return func() tea.Msg {
		o, ok := <-ch
		if !ok {
			return collectedMsg{gen: gen}
		}
		return outcomeMsg{gen: gen, outcome: o, next: ch}
	}
}

// reloadedMsg carries the latest snapshot of a shared history.
type reloadedMsg struct {
	gen  int
	snap model.Snapshot
	err  error
}

// reload reads the latest shared snapshot off the event loop; the marks
// are read again with it, so other people's show.
func (a *App) reload() tea.Cmd {
	a.gen++
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	for _, name := range a.opts.Sources {
		a.collecting[name] = true
	}
	gen, load := a.gen, a.opts.Reload
	return tea.Batch(func() tea.Msg {
		snap, err := load(ctx)
		return reloadedMsg{gen: gen, snap: snap, err: err}
	}, a.spin.Tick)
}

// loading reports whether any source is still collecting.
func (a *App) loading() bool {
	for _, busy := range a.collecting {
		if busy {
			return true
		}
	}
	return false
}

// handledMsg carries the triage marks loaded from the store.
type handledMsg struct {
	start   time.Time
	handled map[string]model.Mark
	err     error
}

// markedMsg reports how saving a triage mark went.
type markedMsg struct{ err error }

// loadHandled reads the marks of the current triage window off the event
// loop.
func (a *App) loadHandled() tea.Cmd {
	load := a.opts.Handled
	if load == nil {
		return nil
	}
	start := a.data.triageStart
	return func() tea.Msg {
		h, err := load(start)
		return handledMsg{start: start, handled: h, err: err}
	}
}

// rollTriage starts a new triage window when the end of the previous
// working day has moved on (past midnight): its marks start empty and are
// loaded for the new window, never carried over.
func (a *App) rollTriage() tea.Cmd {
	if a.data.triageStart.Equal(a.handledFor) {
		return nil
	}
	a.handledFor = a.data.triageStart
	if len(a.handled) > 0 || len(a.handledBy) > 0 {
		clear(a.handled) // the data shares the maps
		clear(a.handledBy)
		a.invalidateRows()
	}
	return a.loadHandled()
}

// toggleHandled flips the selected triage item's mark and saves it.
func (a *App) toggleHandled(id string) tea.Cmd {
	now := !a.handled[id]
	a.handled[id] = now
	delete(a.handledBy, id) // the store says who, once saved
	a.invalidateRows()
	save := a.opts.MarkHandled
	if save == nil {
		return nil
	}
	start := a.data.triageStart
	return func() tea.Msg {
		return markedMsg{err: save(start, id, now)}
	}
}

// savedMsg reports how saving a refresh to the history went.
type savedMsg struct{ err error }

// trendMsg carries the weekly drag history.
type trendMsg struct {
	points []model.WeekPoint
	err    error
}

// saveCmd keeps the finished refresh in the history; the trend is reloaded
// when it is saved, so this week's point reflects it.
func (a *App) saveCmd() tea.Cmd {
	save := a.opts.Save
	if save == nil || !a.snap.AnySucceeded() {
		return nil
	}
	snap, ledger := a.snap, a.data.ledger()
	return func() tea.Msg { return savedMsg{err: save(snap, ledger)} }
}

// loadTrend reads the weekly history off the event loop.
func (a *App) loadTrend() tea.Cmd {
	trend := a.opts.Trend
	if trend == nil {
		return nil
	}
	now := a.opts.Now()
	return func() tea.Msg {
		points, err := trend(now)
		return trendMsg{points: points, err: err}
	}
}
