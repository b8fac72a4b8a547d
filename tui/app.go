// Package tui is opsdrag's interactive terminal interface: one tab per pane
// (drag, pipelines, alarms, infra PRs, checklist), a status line with each
// source's state and the data's age, detail views, filtering and help.
package tui

import (
	"context"
	"maps"
	"sync"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/opsdrag/opsdrag/model"
)

// Options is everything the app needs from the outside world. Collection and
// opening URLs are injected so tests run instantly and offline.
type Options struct {
	Team        model.Team
	Assumptions model.Assumptions
	Demo        bool
	// Hint is a one-line notice under the header, e.g. how to configure
	// opsdrag when it fell back to the demo.
	Hint string
	// Sources names the collectors, in order.
	Sources []string
	// Window returns the window to collect for at a moment.
	Window func(now time.Time) model.Window
	// Collect runs the collectors and streams their outcomes; the channel is
	// closed when all are done.
	Collect func(ctx context.Context, w model.Window) <-chan model.Outcome
	// Now tells the time; nil means time.Now.
	Now func() time.Time
	// OpenURL opens a link in the browser; nil means the system opener.
	OpenURL func(url string) error
	// NoColor drops colour, keeping bold, reverse and text markers.
	NoColor bool
	// Handled loads the triage items marked handled for a triage window,
	// each with who marked it and when; nil keeps marks in memory only.
	Handled func(triageStart time.Time) (map[string]model.Mark, error)
	// MarkHandled persists a triage mark; nil keeps it in memory only.
	MarkHandled func(triageStart time.Time, id string, handled bool) error
	// Initial is the last saved snapshot, painted at once (marked with its
	// age) while the first refresh runs; nil starts empty.
	Initial *model.Snapshot
	// Reload, when set, replaces collecting: a refresh reads the latest
	// snapshot someone saved in a shared history (window and all) instead
	// of running the collectors, for a person without credentials.
	Reload func(ctx context.Context) (model.Snapshot, error)
	// Save keeps a finished refresh in the history; nil keeps nothing.
	Save func(snap model.Snapshot, l model.Ledger) error
	// Trend returns the drag of the past weeks, oldest first, ending with
	// the current week; nil shows no trend.
	Trend func(now time.Time) ([]model.WeekPoint, error)
	// Warning is shown in the status line at start, e.g. when the history
	// could not be opened.
	Warning string
	// Effort are the migration plan's estimates per kind; nil means the
	// defaults.
	Effort model.EffortHours
	// PlanState loads the plan's marks, notes and the items seen before;
	// nil keeps marks in memory only.
	PlanState func() (model.PlanState, error)
	// MarkPlan persists a plan mark (step "" for the whole item); NotePlan
	// a note ("" removes it). Nil keeps them in memory only.
	MarkPlan func(itemID, step string, done bool) error
	NotePlan func(itemID, note string) error
}

// App is the root Bubble Tea model.
type App struct {
	opts   Options
	styles Styles
	keys   keyMap
	help   help.Model
	spin   spinner.Model
	// input is the filter prompt (/ and !), command the command line (:).
	input   textinput.Model
	command textinput.Model

	// window is the collection window at a moment: the options' until a
	// :since command changes it.
	window func(now time.Time) model.Window

	width, height int
	panes         []pane
	tables        []table
	active        int
	// stale marks the panes whose rows are older than data: the shown pane
	// is built at once, the others when shown or, after a pause, one per
	// message (rows.go).
	stale []bool
	// rowsGen counts data changes; prebuilding says a pause's prebuild is
	// on its way.
	rowsGen     int
	prebuilding bool
	// dark is whether the styles are for a dark background.
	dark bool

	snap    model.Snapshot
	data    data
	handled map[string]bool
	// handledBy says who marked each handled item, and when, as stored.
	handledBy map[string]model.Mark
	// handledFor is the triage window the marks belong to.
	handledFor time.Time
	trend      []model.WeekPoint
	// plan holds the migration plan's marks and notes; noteFor is the
	// item whose note is being written.
	plan    model.PlanState
	noteFor string

	gen        int
	cancel     context.CancelFunc
	collecting map[string]bool

	// touched is true once the person has pressed a key: until then the
	// app may choose the pane (the triage list when something is broken).
	touched    bool
	filtering  bool
	commanding bool
	// brokenOnly shows only the rows broken now, on every pane that has them.
	brokenOnly bool
	showHelp   bool
	detail     *detailView
	flash      string
	flashAt    time.Time
}

// New builds the app. Collection starts in Init.
func New(o Options) *App {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.OpenURL == nil {
		o.OpenURL = openURL
	}
	if o.Window == nil {
		o.Window = func(now time.Time) model.Window { return model.LastDays(now, model.DefaultWindow) }
	}
	a := &App{
		opts:       o,
		keys:       newKeyMap(),
		help:       help.New(),
		spin:       spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		input:      textinput.New(),
		command:    textinput.New(),
		window:     o.Window,
		panes:      panes(),
		collecting: map[string]bool{},
		handled:    map[string]bool{},
		handledBy:  map[string]model.Mark{},
		width:      80,
		height:     24,
	}
	a.tables = make([]table, len(a.panes))
	a.stale = make([]bool, len(a.panes))
	for i, p := range a.panes {
		a.tables[i] = newTable(p.columns())
	}
	a.input.Prompt = "/ "
	a.input.Placeholder = "filter rows (!word leaves them out)"
	a.command.Prompt = ":"
	a.command.Placeholder = "triage, since 30d, sort fails, q (tab completes)"
	a.command.ShowSuggestions = true
	now := o.Now()
	a.snap = model.NewSnapshot(o.Window(now), o.Demo, o.Sources)
	if o.Initial != nil {
		a.snap = *o.Initial
		a.snap.Demo = o.Demo
	}
	if o.Warning != "" {
		a.setFlash(o.Warning)
		a.flashAt = now.Add(time.Minute) // keep it up a while
	}
	a.setStyles(true)
	a.rebuild()
	return a
}

// setStyles builds the styles for a dark or light background.
func (a *App) setStyles(isDark bool) {
	a.dark = isDark
	a.styles = NewStyles(isDark, a.opts.NoColor)
	a.help.Styles = help.DefaultStyles(isDark)
	a.help.Styles.ShortKey = a.styles.HelpKey
	a.help.Styles.FullKey = a.styles.HelpKey
	a.help.Styles.ShortDesc = a.styles.Help
	a.help.Styles.FullDesc = a.styles.Help
	a.help.Styles.ShortSeparator = a.styles.Muted
	a.help.Styles.FullSeparator = a.styles.Muted
	a.help.Styles.Ellipsis = a.styles.Muted
	a.spin.Style = a.styles.Info
}

// Snapshot returns what the app currently shows.
func (a *App) Snapshot() model.Snapshot { return a.snap }

// ActivePane returns the name of the focused pane.
func (a *App) ActivePane() string { return a.panes[a.active].name() }

// Init starts the first collection.
func (a *App) Init() tea.Cmd {
	return tea.Batch(a.refresh(), a.rollTriage(), a.loadTrend(), a.loadPlan(), a.tickAge(), tea.RequestBackgroundColor)
}

// rebuild recomputes the derived data of a new snapshot, then the shown
// pane's rows (the others' when they are shown).
func (a *App) rebuild() {
	open := a.data.planOpen
	a.data = newData(a.snap, a.opts.Team, a.opts.Assumptions, a.opts.Now(), a.handled)
	a.data.planOpen = open
	a.data.handledBy = a.handledBy
	a.data.trend = a.trend
	a.data.collecting = a.collecting
	a.replan()
}

// replan rebuilds the migration plan, whose marks or notes changed, and
// the rows. The plan is built off the event loop, which goes on changing
// the marks: it reads copies.
func (a *App) replan() {
	snap, ledger, effort := a.data.snap, a.data.ledger, a.opts.Effort
	state := model.PlanState{Marks: maps.Clone(a.plan.Marks), Seen: maps.Clone(a.plan.Seen)}
	a.data.plan = async(func() model.Plan { return model.BuildPlan(snap, ledger(), effort, state) })
	a.data.planItems = sync.OnceValue(func() int { return model.PlanItemCount(snap, state) })
	a.invalidateRows()
}

// tickAges brings the ages on screen up to now. The lists' ages change
// once a minute past their first, so the rows are rebuilt on a new minute
// only — at 10,000 rows a rebuild is not work for every second — and the
// data only when the triage window moves, while the Sources pane's data
// ages, in seconds at first, follow every tick.
func (a *App) tickAges() {
	now := a.opts.Now()
	if !now.Truncate(time.Minute).Equal(a.data.now.Truncate(time.Minute)) {
		if !model.TriageStart(now, a.opts.Team.Loc()).Equal(a.data.triageStart) {
			a.rebuild()
			return
		}
		a.data.now = now
		a.invalidateRows()
		return
	}
	a.data.now = now
	i := a.paneIndex(sourcesPaneName)
	a.stale[i] = true
	if i == a.active {
		a.ensureRows(i)
		a.refreshDetail()
	}
}

// refreshDetail keeps an open detail view on the new data of its row.
func (a *App) refreshDetail() {
	if a.detail == nil {
		return
	}
	for _, r := range a.tables[a.active].rows {
		if r.key == a.detail.key && r.detail != nil {
			a.detail.name, a.detail.title, a.detail.url, a.detail.render = r.copyName(), r.title, r.url, r.detail
			return
		}
	}
}

// chooseOpeningPane leads to the triage list, until the person presses a
// key, when something is broken now or on a working-day morning: that is
// what someone opening opsdrag then has come for. It never leads away.
func (a *App) chooseOpeningPane() {
	if a.touched {
		return
	}
	b := a.data.broken
	if b.Firing > 0 || b.Failing > 0 || model.WorkingMorning(a.opts.Now(), a.opts.Team.Loc()) {
		a.active = a.paneIndex(triagePaneName)
		a.ensureRows(a.active)
	}
}

// paneIndex is the tab index of the named pane.
func (a *App) paneIndex(name string) int {
	for i, p := range a.panes {
		if p.name() == name {
			return i
		}
	}
	return 0
}
