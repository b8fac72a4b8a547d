package tui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/collectors/demo"
	"github.com/opsdrag/opsdrag/model"
)

// fixedNow is a Wednesday afternoon; every demo time is relative to it.
var fixedNow = time.Date(2026, 11, 25, 15, 4, 0, 0, time.UTC)

func demoOptions(t *testing.T) Options {
	t.Helper()
	runner := collectors.Runner{Collectors: demo.Collectors(demo.Options{Now: func() time.Time { return fixedNow }}), Now: func() time.Time { return fixedNow }}
	return Options{
		Team:        demo.Team(),
		Assumptions: model.DefaultAssumptions(),
		Demo:        true,
		Sources:     runner.Names(),
		Now:         func() time.Time { return fixedNow },
		Collect:     runner.Run,
		OpenURL:     func(string) error { return errors.New("no browser in tests") },
	}
}

// drive feeds cmd's messages back into the app until it goes quiet. Commands
// run concurrently; timers (spinner, cursor blink, age tick) are dropped so
// nothing loops, and whatever is still running after a quiet spell is a
// timer we do not wait for.
func drive(t *testing.T, a *App, cmd tea.Cmd) {
	t.Helper()
	results := make(chan tea.Msg, 64)
	pending := 0
	launch := func(c tea.Cmd) {
		if c != nil {
			pending++
			go func() { results <- c() }()
		}
	}
	launch(cmd)
	deadline := time.Now().Add(20 * time.Second)
	for pending > 0 {
		select {
		case msg := <-results:
			pending--
			switch msg := msg.(type) {
			case tea.BatchMsg:
				for _, c := range msg {
					launch(c)
				}
			case outcomeMsg, collectedMsg, openedMsg, handledMsg, markedMsg, savedMsg, trendMsg, planStateMsg, planSavedMsg, reloadedMsg:
				_, next := a.Update(msg)
				launch(next)
			}
		case <-time.After(250 * time.Millisecond):
			// Quiet: only timers are left, unless a source is still
			// collecting (a slow, loaded machine) — then keep waiting.
			if !a.loading() || time.Now().After(deadline) {
				return
			}
		}
	}
}

func keyPress(s string) tea.KeyPressMsg {
	switch s {
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	if ctrl, ok := strings.CutPrefix(s, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: []rune(ctrl)[0], Mod: tea.ModCtrl}
	}
	switch s {
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func press(t *testing.T, a *App, keys ...string) {
	t.Helper()
	for _, k := range keys {
		_, cmd := a.Update(keyPress(k))
		drive(t, a, cmd)
	}
}

func loaded(t *testing.T, o Options, w, h int) *App {
	t.Helper()
	a := New(o)
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
	drive(t, a, a.refresh())
	return a
}

func screen(a *App) string { return ansi.Strip(a.render()) }

func TestLoadsEveryPaneFromTheDemo(t *testing.T) {
	a := loaded(t, demoOptions(t), 120, 35)
	if a.loading() {
		t.Fatal("still loading after every source answered")
	}
	for _, src := range a.Snapshot().Sources {
		if src.Status != model.StatusOK {
			t.Errorf("source %s: %s %s", src.Name, src.Status, src.Detail)
		}
	}
	want := map[string][]string{
		"Drag":      {"Operating AWS costs acme", "h/week", "Hours per week", "Team share", "Monthly cost", "AWS invoice", "Cost vs invoice"},
		"Triage":    {"end of the previous working day", "● firing", "✗ failing", "⧗ review"},
		"Pipelines": {"terraform-plan", "✗ failing", "acme-eu-deploy"},
		"Alarms":    {"prod-api-5xx-rate", "● ALARM", "flapping"},
		"Infra PRs": {"acme/infra#219", "merged", "Bump RDS instance class"},
		"Checklist": {"Moving these", "Move the Redis cache acme-eu-redis", "Move the SQS queues", "PAYBACK"},
	}
	for i := range a.panes {
		a.focus(i)
		s := screen(a)
		for _, w := range want[a.ActivePane()] {
			if !strings.Contains(s, w) {
				t.Errorf("%s pane: %q missing from\n%s", a.ActivePane(), w, s)
			}
		}
		if !strings.Contains(s, "DEMO") {
			t.Errorf("%s pane: no DEMO marker", a.ActivePane())
		}
	}
}

func TestLayoutFitsEverySize(t *testing.T) {
	sizes := [][2]int{{80, 24}, {120, 35}, {200, 60}, {100, 30}, {60, 20}, {40, 12}}
	o := demoOptions(t)
	o.Hint = "Demo data: no config or credentials found. Write ~/.config/opsdrag/config.yaml (see README) to watch your team."
	for _, sz := range sizes {
		a := loaded(t, o, sz[0], sz[1])
		check := func(state string) {
			t.Helper()
			lines := strings.Split(a.render(), "\n")
			if len(lines) != sz[1] {
				t.Errorf("%dx%d %s/%s: %d lines", sz[0], sz[1], a.ActivePane(), state, len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > sz[0] {
					t.Errorf("%dx%d %s/%s: line %d is %d wide: %q", sz[0], sz[1], a.ActivePane(), state, i, w, ansi.Strip(l))
				}
			}
		}
		for i := range a.panes {
			a.focus(i)
			check("table")
			press(t, a, "G")
			check("bottom")
			press(t, a, "enter")
			check("detail")
			press(t, a, "esc", "?")
			check("help")
			press(t, a, "esc", "/", "a")
			check("filter")
			press(t, a, "esc", "g")
		}
	}
}

func TestNoCellIsCutWithoutAnEllipsis(t *testing.T) {
	// At 80 columns the pipelines table must keep whole words or mark the cut.
	a := loaded(t, demoOptions(t), 80, 24)
	a.focus(2)
	for _, l := range strings.Split(screen(a), "\n")[3:9] {
		if strings.Contains(l, "terraform-pl") && !strings.Contains(l, "terraform-plan") && !strings.Contains(l, "…") {
			t.Errorf("cut without an ellipsis: %q", l)
		}
	}
}

func TestKeysSwitchPanesAndMove(t *testing.T) {
	a := loaded(t, demoOptions(t), 120, 35)
	press(t, a, "1")
	steps := []struct {
		key  string
		pane string
	}{
		{"tab", "Triage"}, {"tab", "Pipelines"}, {"tab", "Alarms"}, {"shift+tab", "Pipelines"}, {"6", "Checklist"},
		{"tab", "Sources"}, {"tab", "Drag"}, {"shift+tab", "Sources"}, {"7", "Sources"}, {"shift+tab", "Checklist"}, {"4", "Alarms"}, {"2", "Triage"},
	}
	for _, s := range steps {
		press(t, a, s.key)
		if a.ActivePane() != s.pane {
			t.Fatalf("after %s: pane %s, want %s", s.key, a.ActivePane(), s.pane)
		}
	}
	tb := &a.tables[a.active]
	first, _ := tb.selected()
	press(t, a, "j")
	second, _ := tb.selected()
	if first.key == second.key {
		t.Fatal("j did not move the cursor")
	}
	press(t, a, "k")
	if back, _ := tb.selected(); back.key != first.key {
		t.Fatal("k did not move back")
	}
	press(t, a, "down", "G")
	if tb.cursor != len(tb.rows)-1 {
		t.Fatalf("G: cursor %d of %d", tb.cursor, len(tb.rows))
	}
}

func TestDetailsShowTheSelectedItem(t *testing.T) {
	a := loaded(t, demoOptions(t), 120, 35)
	press(t, a, "4", "enter")
	s := screen(a)
	for _, w := range []string{"Alarms › prod-api-5xx-rate", "Transitions into ALARM", "sleep hours", "console.aws.amazon.com"} {
		if !strings.Contains(s, w) {
			t.Errorf("detail misses %q:\n%s", w, s)
		}
	}
	press(t, a, "esc")
	if a.detail != nil {
		t.Fatal("esc did not close the detail")
	}
	// The drag figures open to their arithmetic.
	press(t, a, "1", "enter")
	s = screen(a)
	for _, w := range []string{"Hours per week", "per week = window hours × 7", "Assumptions:"} {
		if !strings.Contains(s, w) {
			t.Errorf("drag detail misses %q:\n%s", w, s)
		}
	}
}

func TestFilterNarrowsTheFocusedList(t *testing.T) {
	a := loaded(t, demoOptions(t), 120, 35)
	press(t, a, "5", "/", "t", "e", "r", "r", "a")
	tb := a.tables[a.active]
	if len(tb.rows) == 0 || len(tb.rows) == len(tb.all) {
		t.Fatalf("filter kept %d of %d rows", len(tb.rows), len(tb.all))
	}
	for _, r := range tb.rows {
		if !strings.Contains(strings.ToLower(ansi.Strip(strings.Join(r.cells, " "))), "terra") {
			t.Errorf("row %q does not match", r.key)
		}
	}
	press(t, a, "enter")
	if a.filtering || a.tables[a.active].filter != "terra" {
		t.Fatal("enter should keep the filter and leave the input")
	}
	if !strings.Contains(screen(a), `filter "terra"`) {
		t.Error("the pane title does not show the filter")
	}
	press(t, a, "esc")
	if tb := a.tables[a.active]; len(tb.rows) != len(tb.all) {
		t.Fatal("esc did not clear the filter")
	}
	// Other panes are not filtered.
	if tb := a.tables[3]; len(tb.rows) != len(tb.all) {
		t.Fatal("filtering one pane filtered another")
	}
}

func TestOpenOnlyHTTPLinks(t *testing.T) {
	o := demoOptions(t)
	var opened []string
	o.OpenURL = func(u string) error { opened = append(opened, u); return nil }
	a := loaded(t, o, 120, 35)
	press(t, a, "5", "o")
	if len(opened) != 1 || !strings.HasPrefix(opened[0], "https://github.com/acme/infra/pull/219") {
		t.Fatalf("opened %v", opened)
	}
	// A hostile link from remote data is refused, not handed to the opener.
	a.tables[a.active].rows[0].url = "file:///etc/passwd"
	press(t, a, "o")
	if len(opened) != 1 {
		t.Fatalf("opened a non-http link: %v", opened)
	}
	if !strings.Contains(screen(a), "not an http(s) link") {
		t.Error("no message about the refused link")
	}
}

// scripted is a collector whose answer the test controls.
type scripted struct {
	name string
	res  chan collectors.Result
	err  error
}

func (s scripted) Name() string { return s.name }
func (s scripted) Collect(ctx context.Context, _ model.Window) (collectors.Result, error) {
	if s.err != nil {
		return collectors.Result{}, s.err
	}
	select {
	case r := <-s.res:
		return r, nil
	case <-ctx.Done():
		return collectors.Result{}, ctx.Err()
	}
}

// withoutPrebuild is cmd less the prebuild of panes not shown that Update
// may batch with it.
func withoutPrebuild(cmd tea.Cmd) tea.Cmd {
	return func() tea.Msg {
		msg := cmd()
		batch, ok := msg.(tea.BatchMsg)
		if !ok {
			return msg
		}
		for _, c := range batch {
			if c == nil {
				continue
			}
			if m := c(); m != nil {
				if _, pre := m.(prebuildMsg); !pre {
					return m
				}
			}
		}
		return nil
	}
}

func TestPanesFillAsSourcesAnswerAndOneFailureBlanksNothing(t *testing.T) {
	slow := scripted{name: "aws/alarms", res: make(chan collectors.Result, 1)}
	broken := scripted{name: "aws/cost", err: errors.New("AccessDenied: ce:GetCostAndUsage not allowed")}
	fast := scripted{name: "github/pulls", res: make(chan collectors.Result, 1)}
	fast.res <- collectors.Result{Data: model.Data{PullRequests: []model.PullRequest{{
		Repo: "acme/infra", Number: 7, Title: "Pin \x1b]0;pwned\x07provider \x1b[31mversions", State: model.PROpen,
		CreatedAt: fixedNow.Add(-time.Hour), URL: "https://github.com/acme/infra/pull/7",
	}}}}
	runner := collectors.Runner{Collectors: []collectors.Collector{slow, broken, fast}}
	o := demoOptions(t)
	o.Sources, o.Collect = runner.Names(), runner.Run
	a := New(o)
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})

	// Read outcomes one by one: the fast and the broken source arrive while
	// the slow one is still collecting.
	cmd := a.refresh()
	msgs := cmd().(tea.BatchMsg)
	wait := msgs[0]
	for range 2 {
		msg := wait()
		_, wait = a.Update(msg)
		wait = withoutPrebuild(wait)
	}
	if !a.loading() {
		t.Fatal("the slow source should still be collecting")
	}
	press(t, a, "5")
	s := screen(a)
	if !strings.Contains(s, "Pin provider versions") {
		t.Fatalf("the PR did not appear before the slow source answered, or was not cleaned:\n%s", s)
	}
	if strings.Contains(a.render(), "pwned") || strings.Contains(a.render(), "\x1b]0;") {
		t.Fatal("an escape sequence from remote text reached the screen")
	}
	if src, _ := a.Snapshot().Source("aws/cost"); src.Status != model.StatusError || !strings.Contains(src.Detail, "AccessDenied") {
		t.Fatalf("cost source: %+v", src)
	}
	slow.res <- collectors.Result{Data: model.Data{Alarms: []model.Alarm{{Account: "1", Region: "us-east-1", Name: "db-cpu", State: model.StateAlarm, HistoryKnown: true}}}}
	drive(t, a, wait)
	if a.loading() {
		t.Fatal("still loading after every source answered")
	}
	press(t, a, "4")
	if !strings.Contains(screen(a), "db-cpu") {
		t.Fatal("the slow source's alarm is missing")
	}
	press(t, a, "1")
	if !strings.Contains(screen(a), "aws/cost failed") {
		t.Errorf("the drag pane should say why the invoice is unknown:\n%s", screen(a))
	}
}

func TestRefreshDropsAnswersToAnOlderRefresh(t *testing.T) {
	a := loaded(t, demoOptions(t), 120, 35)
	old := a.gen
	press(t, a, "r")
	if a.gen != old+1 {
		t.Fatalf("r did not start a new refresh: gen %d", a.gen)
	}
	stale := outcomeMsg{gen: old, outcome: model.Outcome{Source: model.Source{Name: "github/actions", Status: model.StatusError, Detail: "late"}}}
	a.Update(stale)
	if src, _ := a.Snapshot().Source("github/actions"); src.Status != model.StatusOK {
		t.Fatalf("a late answer to an old refresh replaced fresh data: %+v", src)
	}
}

func TestQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		a := loaded(t, demoOptions(t), 80, 24)
		_, cmd := a.Update(keyPress(k))
		if cmd == nil {
			t.Fatalf("%s: no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Fatalf("%s did not quit", k)
		}
	}
	// While filtering, q is text, not quit.
	a := loaded(t, demoOptions(t), 80, 24)
	press(t, a, "/", "q")
	if a.tables[a.active].filter != "q" {
		t.Fatal("q while filtering should type")
	}
}

func TestNoColorKeepsMarkers(t *testing.T) {
	o := demoOptions(t)
	o.NoColor = true
	a := loaded(t, o, 120, 35)
	a.focus(2)
	out := a.render()
	if strings.Contains(out, "38;") {
		t.Error("NO_COLOR output sets a foreground colour")
	}
	if !strings.Contains(ansi.Strip(out), "✗ failing") || !strings.Contains(ansi.Strip(out), "DEMO") {
		t.Error("NO_COLOR lost the text markers")
	}
}

func TestSpaceMarksTriageItemsHandledAndSavesTheMark(t *testing.T) {
	o := demoOptions(t)
	type mark struct {
		start   time.Time
		id      string
		handled bool
	}
	var saved []mark
	// The store: who marked what, as the team's shared history keeps it.
	var mu sync.Mutex
	stored := map[string]model.Mark{"pr:acme/infra#219": {By: "ana@example.com", At: fixedNow.Add(-time.Hour)}}
	o.MarkHandled = func(start time.Time, id string, h bool) error {
		mu.Lock()
		defer mu.Unlock()
		saved = append(saved, mark{start, id, h})
		if h {
			stored[id] = model.Mark{By: "bo@example.com", At: fixedNow}
		} else {
			delete(stored, id)
		}
		return nil
	}
	var loadedFor time.Time
	o.Handled = func(start time.Time) (map[string]model.Mark, error) {
		mu.Lock()
		defer mu.Unlock()
		loadedFor = start
		return maps.Clone(stored), nil
	}
	a := New(o)
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 35})
	drive(t, a, a.Init())
	start := model.TriageStart(fixedNow, demo.Team().Loc())
	if !loadedFor.Equal(start) {
		t.Fatalf("marks loaded for %v, want the triage start %v", loadedFor, start)
	}
	// The cursor follows its row as sources answer in any order: start at the top.
	press(t, a, "2", "g")
	if !strings.Contains(screen(a), "[x] ⧗ review") {
		t.Fatalf("the stored mark is not shown:\n%s", screen(a))
	}
	first, _ := a.tables[a.active].selected()
	press(t, a, "space")
	if len(saved) != 1 || saved[0].id != first.key || !saved[0].handled || !saved[0].start.Equal(start) {
		t.Fatalf("saved %+v", saved)
	}
	if !strings.Contains(screen(a), "2 of") {
		t.Errorf("the intro does not count the handled items:\n%s", screen(a))
	}
	// The detail says who marked it, as the store read back says.
	press(t, a, "enter")
	if s := screen(a); !strings.Contains(s, "handled by bo@example.com") {
		t.Errorf("the detail does not say who marked the item:\n%s", s)
	}
	press(t, a, "esc")
	press(t, a, "space")
	if len(saved) != 2 || saved[1].handled {
		t.Fatalf("space again should unmark: %+v", saved)
	}
	// space does nothing outside the triage pane.
	press(t, a, "3", "space")
	if len(saved) != 2 {
		t.Fatal("space marked something outside the triage pane")
	}
}

func TestFastStartPaintsTheSavedSnapshotThenSavesTheRefresh(t *testing.T) {
	// A saved snapshot from two hours ago, with one alarm.
	old := fixedNow.Add(-2 * time.Hour)
	saved := model.NewSnapshot(model.LastDays(old, model.DefaultWindow), true, []string{"aws/alarms"}).
		With(model.Outcome{Source: model.Source{Name: "aws/alarms", Status: model.StatusOK, At: old},
			Data: model.Data{Alarms: []model.Alarm{{Account: "1", Region: "us-east-1", Name: "saved-alarm", State: model.StateAlarm, HistoryKnown: true}}}})
	o := demoOptions(t)
	o.Initial = &saved
	var savedSnaps []model.Snapshot
	o.Save = func(s model.Snapshot, l model.Ledger) error {
		savedSnaps = append(savedSnaps, s)
		if l.HoursPerWeek <= 0 {
			t.Error("saved without its ledger")
		}
		return nil
	}
	a := New(o)
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 35})
	press(t, a, "4")
	if s := screen(a); !strings.Contains(s, "saved-alarm") || !strings.Contains(s, "data 2h old") {
		t.Fatalf("the saved snapshot is not painted before the refresh, with its age:\n%s", s)
	}
	drive(t, a, a.refresh())
	if len(savedSnaps) != 1 || !savedSnaps[0].AnySucceeded() || len(savedSnaps[0].Sources) < 6 {
		t.Fatalf("saved %d snapshots after one refresh", len(savedSnaps))
	}
	if !strings.Contains(screen(a), "prod-api-5xx-rate") {
		t.Error("the refresh did not replace the saved data")
	}
}

func TestTrendRow(t *testing.T) {
	o := demoOptions(t)
	a := loaded(t, o, 120, 35)
	press(t, a, "1")
	if !strings.Contains(screen(a), "no history yet") {
		t.Errorf("no trend and no hint:\n%s", screen(a))
	}
	o.Trend = func(now time.Time) ([]model.WeekPoint, error) {
		return []model.WeekPoint{{Known: true, Hours: 10}, {}, {Known: true, Hours: 20}, {Known: true, Hours: 1}}, nil
	}
	a = New(o)
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 35})
	drive(t, a, a.Init())
	press(t, a, "1")
	s := screen(a)
	// The last week is this week: the ledger's figure replaces the stored 1 h.
	this := a.data.ledger().HoursPerWeek
	if !strings.Contains(s, "Trend, 4 weeks") || !strings.Contains(s, "this week "+model.FormatHours(this)+" h · last week 20.0 h") {
		t.Fatalf("trend row:\n%s", s)
	}
	if !strings.Contains(s, "·") || !strings.Contains(s, "▁") {
		t.Errorf("the sparkline should show an unknown week as a dot and the lowest as ▁:\n%s", s)
	}
}

func TestSparkline(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	cases := []struct {
		in   []*float64
		want string
	}{
		{[]*float64{f(0), f(7)}, "▁█"},
		{[]*float64{f(0), f(3.5), f(7)}, "▁▄█"},
		{[]*float64{f(5), nil, f(5)}, "█·█"},
		{nil, ""},
	}
	for _, c := range cases {
		if got := sparkline(c.in); got != c.want {
			t.Errorf("sparkline = %q, want %q", got, c.want)
		}
	}
}

// Tab labels are the panes' titles, the ones above each pane.
func TestTabsNameEveryPaneByItsTitleAtEveryWidth(t *testing.T) {
	for _, w := range []int{80, 100, 200} {
		a := loaded(t, demoOptions(t), w, 30)
		for i, p := range a.panes {
			press(t, a, fmt.Sprint(i+1))
			lines := strings.Split(screen(a), "\n")
			if !strings.Contains(lines[1], fmt.Sprintf("%d %s", i+1, p.name())) {
				t.Errorf("%d columns: tabs %q lack pane %d %s", w, lines[1], i+1, p.name())
			}
			if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, p.name()) }) {
				t.Errorf("%d columns: no title line starts with %q", w, p.name())
			}
		}
	}
}

func TestAnEmptyPaneSaysWhichSourceCouldNotLook(t *testing.T) {
	partial := scripted{name: "aws/alarms", res: make(chan collectors.Result, 1)}
	partial.res <- collectors.Result{Warnings: []string{"alarm history unavailable in us-east-1: add cloudwatch:DescribeAlarmHistory"}}
	runner := collectors.Runner{Collectors: []collectors.Collector{partial}}
	o := demoOptions(t)
	o.Sources, o.Collect = runner.Names(), runner.Run
	a := loaded(t, o, 80, 24)
	press(t, a, "4")
	s := strings.Join(strings.Fields(screen(a)), " ")
	if strings.Contains(s, "window. ✓") || !strings.Contains(s, "Not every source answered in full: aws/alarms incomplete: alarm history unavailable") || !strings.Contains(s, "DescribeAlarmHistory") {
		t.Fatalf("the empty alarms pane hides why:\n%s", s)
	}
}

func TestDetailScrollsToItsLastLine(t *testing.T) {
	a := loaded(t, demoOptions(t), 80, 24)
	press(t, a, "1", "enter") // hours per week: longer than the screen
	total := len(a.detail.lines(a.width))
	if total <= a.bodyHeight() {
		t.Skipf("the detail fits (%d lines): nothing to scroll", total)
	}
	last := ansi.Strip(a.detail.lines(a.width)[total-1])
	if strings.Contains(screen(a), last) {
		t.Fatalf("the last line %q shows before scrolling", last)
	}
	for range total {
		press(t, a, "ctrl+d")
	}
	s := screen(a)
	if !strings.Contains(s, last) || !strings.Contains(s, "(end") {
		t.Fatalf("scrolled to the end but the last line %q is not shown:\n%s", last, s)
	}
	press(t, a, "pgup")
	if strings.Contains(screen(a), last) || !strings.Contains(screen(a), "more line") {
		t.Errorf("a page up should leave the last line below:\n%s", screen(a))
	}
}

func TestTriageMarksBelongToTheirWindow(t *testing.T) {
	o := demoOptions(t)
	now := fixedNow // a Wednesday
	o.Now = func() time.Time { return now }
	var asked []time.Time
	o.Handled = func(start time.Time) (map[string]model.Mark, error) {
		asked = append(asked, start)
		if len(asked) == 1 {
			return map[string]model.Mark{"pr:acme/infra#219": {}}, nil
		}
		return nil, nil
	}
	a := New(o)
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 35})
	drive(t, a, a.Init())
	if !a.handled["pr:acme/infra#219"] {
		t.Fatal("the marks of the current window were not loaded")
	}
	// A day later the triage window starts a day later: the marks go.
	now = now.Add(24 * time.Hour)
	_, cmd := a.Update(ageTickMsg{})
	drive(t, a, cmd)
	if len(asked) != 2 || !asked[1].Equal(model.TriageStart(now, demo.Team().Loc())) {
		t.Fatalf("marks asked for %v", asked)
	}
	if a.handled["pr:acme/infra#219"] {
		t.Error("a mark carried over into the next triage window")
	}
}
