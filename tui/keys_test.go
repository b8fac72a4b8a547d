package tui

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

func TestCompactWhereKeepsWhatTellsRowsApart(t *testing.T) {
	for in, want := range map[string]string{
		"eu-west-1 111122223333":  "euw1 …3333",
		"111122223333/us-east-1":  "…3333/use1",
		"ap-southeast-2":          "apse2",
		"ap-northeast-1 12345678": "apne1 12345678",
		"us-gov-west-1":           "usgw1",
		"acme/infra":              "infra",
		"acme":                    "acme",
		"eu-west":                 "eu-west",
		"":                        "",
	} {
		if got := compactWhere(in); got != want {
			t.Errorf("compactWhere(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSortReadsNumbersUnitsAndAgesAndPutsUnknownLast(t *testing.T) {
	for in, want := range map[string]float64{
		"12": 12, "7?": 7, "49.0 h": 49, "7.6%": 7.6, "3.4×": 3.4, "$10,052": 10052, "≥ 4.4 h": 4.4,
		"35m": 35 * 60, "41h": 41 * 3600, "2d": 2 * 86400, "0s": 0, "420ms": 0.42,
	} {
		if got, ok := sortNumber(in); !ok || got != want {
			t.Errorf("sortNumber(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"acme/api", "—", "unknown", "main"} {
		if _, ok := sortNumber(in); ok {
			t.Errorf("sortNumber(%q) read a number", in)
		}
	}
	cells := []string{"3", "—", "41h", "unknown", "35m", "2d"}
	for _, desc := range []bool{false, true} {
		got := slices.Clone(cells)
		slices.SortStableFunc(got, func(a, b string) int { return compareCells(a, b, desc) })
		if last := got[len(got)-2:]; !blankCell(last[0]) || !blankCell(last[1]) {
			t.Errorf("desc=%v: unknown values not last: %q", desc, got)
		}
	}
	if compareCells("35m", "41h", false) >= 0 || compareCells("41h", "2d", false) >= 0 || compareCells("420ms", "1s", false) >= 0 {
		t.Error("ages are not ordered by duration")
	}
	for _, desc := range []bool{false, true} {
		if compareCells("3", "main", desc) >= 0 {
			t.Errorf("desc=%v: a word sorts before a number", desc)
		}
	}
}

func TestWidthsGiveSpareRoomToCutColumnsNeverToWholeOnes(t *testing.T) {
	tb := newTable([]column{
		{title: "ID", min: 4, priority: 10},
		{title: "NAME", min: 8, priority: 9},
		{title: "NOTE", min: 6, priority: 5},
	})
	tb.setRows([]row{{key: "a", cells: []string{"a1", strings.Repeat("n", 30), strings.Repeat("x", 40)}}})
	ws := tb.widths(200)
	if ws[0] != 2 || ws[1] != 30 || ws[2] != 40 {
		t.Errorf("at 200 columns every column should get exactly its content: %v", ws)
	}
	ws = tb.widths(50)
	if ws[0] != 2 || ws[1]+ws[2]+2+2 != 50 || ws[1] < 20 || ws[2] < 20 {
		t.Errorf("at 50 columns the cut columns should share the room: %v", ws)
	}
	ws = tb.widths(16)
	if ws[0] == 0 || ws[1] == 0 {
		t.Errorf("the identifying columns were dropped: %v", ws)
	}
}

// A sub row (a plan step) spills into the empty cells after it rather than
// being cut at its own column, and sizes no column: a long step does not
// widen ITEM for every item.
func TestSubRowsSpillIntoTheEmptyCellsBesideThem(t *testing.T) {
	cols := []column{
		{title: "ITEM", min: 10, priority: 10},
		{title: "WHERE", min: 6, priority: 5}, // dropped first, between two shown
		{title: "COST", min: 4, priority: 8, right: true},
	}
	step := "[ ] " + strings.Repeat("s", 40)
	items := []row{{key: "a", cells: []string{"Move the queue", "eu-west-1", "3.0"}}}
	tb := newTable(cols)
	tb.setRows(items)
	without := tb.widths(80)
	tb.setRows(append(items, row{key: "a/1", sub: true, cells: []string{step, "", ""}}))
	if ws := tb.widths(80); !slices.Equal(ws, without) {
		t.Errorf("the step changed the widths from %v to %v", without, ws)
	}
	lines := strings.Split(ansi.Strip(tb.render(NewStyles(true, false), 80, 10)), "\n")
	if len(lines) != 3 || strings.TrimRight(lines[2], " ") != step {
		t.Errorf("the step line is %q, want it whole, from the ITEM column on", lines)
	}
	// Too narrow for WHERE (dropped), the step spills past it all the same.
	narrow := strings.Split(ansi.Strip(tb.render(NewStyles(true, false), 20, 10)), "\n")
	if ws := tb.widths(20); ws[1] != 0 || len(narrow) != 3 || ansi.StringWidth(narrow[2]) != 20 || !strings.HasPrefix(narrow[2], "[ ] sss") {
		t.Errorf("at 20 columns (widths %v) the step line is %q, want it across the whole line", ws, narrow)
	}
	// A step with a cell of its own spills only up to it.
	tb.setRows(append(items, row{key: "a/1", sub: true, cells: []string{step, "", "1.0"}}))
	lines = strings.Split(ansi.Strip(tb.render(NewStyles(true, false), 80, 10)), "\n")
	if len(lines) != 3 || !strings.HasSuffix(lines[2], " 1.0") || !strings.Contains(lines[2], "[ ] sss") {
		t.Errorf("the step line is %q, want the step then its own cell", lines[2])
	}
}

// At 80 columns every pane keeps the columns that tell its rows apart.
func TestIdentifyingColumnsSurvive80Columns(t *testing.T) {
	a := loaded(t, demoOptions(t), 80, 24)
	for pane, want := range map[string][]string{
		"Triage":    {"WHERE", "acme/infra", "…3333 euw1", "…3333/euw1"},
		"Pipelines": {"WHERE", "acme/infra", "…3333/euw1", "…3333/use1"},
		"Alarms":    {"WHERE", "…3333 euw1", "…3333 use1"},
		"Infra PRs": {"acme/infra#219", "acme/api#1050"},
		"Sources":   {"github/actions", "aws/codepipeline"},
	} {
		a.focus(a.paneIndex(pane))
		s := screen(a)
		for _, w := range want {
			// The full form, or its short form when the full one does not fit.
			full := strings.NewReplacer("…3333", "111122223333", "euw1", "eu-west-1", "use1", "us-east-1").Replace(w)
			if !strings.Contains(s, w) && !strings.Contains(s, full) {
				t.Errorf("%s at 80x24 lacks %q:\n%s", pane, w, s)
			}
		}
		if !strings.Contains(s, "r refresh") || !strings.Contains(s, "? help") || !strings.Contains(s, "q quit") {
			t.Errorf("%s at 80x24: the footer lost refresh, help or quit:\n%s", pane, s)
		}
	}
}

func TestEverySortablePaneSortsByEachColumn(t *testing.T) {
	a := loaded(t, demoOptions(t), 120, 35)
	for i, p := range a.panes {
		a.focus(i)
		tb := &a.tables[i]
		if !p.can().sort {
			press(t, a, "s")
			if tb.sortCol >= 0 {
				t.Errorf("%s sorted though it keeps its own order", p.name())
			}
			continue
		}
		natural := keys(tb.rows)
		changed := false
		for c := range tb.cols {
			if !tb.sortable(c) {
				continue
			}
			press(t, a, "s")
			if tb.sortCol != c {
				t.Fatalf("%s: s should sort by column %d next, sorts by %d", p.name(), c, tb.sortCol)
			}
			if !strings.Contains(screen(a), tb.cols[c].title+tb.sortArrow()) {
				t.Errorf("%s: the header does not mark %s as sorted", p.name(), tb.cols[c].title)
			}
			for _, dir := range []string{"", "S"} {
				if dir != "" {
					press(t, a, dir)
				}
				for r := 1; r < len(tb.rows); r++ {
					x, y := tb.rows[r-1].sortText(c), tb.rows[r].sortText(c)
					if compareCells(x, y, tb.sortDesc) > 0 {
						t.Errorf("%s by %s (desc=%v): %q before %q", p.name(), tb.cols[c].title, tb.sortDesc, x, y)
					}
				}
				if !slices.Equal(keys(tb.rows), natural) {
					changed = true
				}
			}
			press(t, a, "S") // back to the column's first direction for the next s
		}
		press(t, a, "s")
		if tb.sortCol != -1 || !slices.Equal(keys(tb.rows), natural) {
			t.Errorf("%s: after the last column s should return to the pane's own order", p.name())
		}
		if len(tb.rows) > 2 && !changed {
			t.Errorf("%s: no sort changed the order", p.name())
		}
	}
}

func keys(rows []*indexed) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.key
	}
	return out
}

// A status sorts by how bad it is, not by its symbol.
func TestStatusColumnsSortWorstFirst(t *testing.T) {
	a := loaded(t, demoOptions(t), 120, 35)
	press(t, a, "2", "s") // WHAT, worst first
	var groups []string
	for _, r := range a.tables[a.active].rows {
		g := strings.Fields(ansi.Strip(r.cells[1]))[1]
		if len(groups) == 0 || groups[len(groups)-1] != g {
			groups = append(groups, g)
		}
	}
	if want := []string{"firing", "failing", "recovered", "review"}; !slices.Equal(groups, want) {
		t.Errorf("triage by WHAT: %v, want %v", groups, want)
	}
	press(t, a, "4", "s")
	if r := a.tables[a.active].rows[0]; !r.broken {
		t.Errorf("alarms by STATE: %q first, not a firing one", r.key)
	}
}

// What a narrow screen shows in short form can be found by the filter.
func TestFilterFindsShortForms(t *testing.T) {
	a := loaded(t, demoOptions(t), 80, 24)
	press(t, a, "4", "/", "u", "s", "e", "1", "enter")
	if tb := a.tables[a.active]; len(tb.rows) != 3 {
		t.Errorf("/use1 kept %d alarms, want the 3 in us-east-1", len(tb.rows))
	}
}

// A detail view stays on its item whatever happens to the list behind it.
func TestDetailStaysOnItsItemWhenTheListChanges(t *testing.T) {
	a := loaded(t, demoOptions(t), 80, 24)
	press(t, a, "2", "enter")
	shown := a.detail.key
	press(t, a, ":", "s", "o", "r", "t", " ", "i", "t", "e", "m", "enter")
	if r, _ := a.tables[a.active].selected(); r.key != shown {
		t.Fatalf("after a sort the cursor is on %q, the detail shows %q", r.key, shown)
	}
	_, cmd := a.Update(keyPress("Y"))
	r := a.tables[a.active].rows[slices.IndexFunc(a.tables[a.active].rows, func(r *indexed) bool { return r.key == shown })]
	if got, _ := clipboardOf(t, cmd); got != r.copyName() {
		t.Errorf("Y copied %q, the detail shows %q", got, r.copyName())
	}
	i := slices.IndexFunc(a.tables[a.active].rows, func(r *indexed) bool { return r.key == shown })
	press(t, a, "j")
	if want := a.tables[a.active].rows[i+1].key; a.detail.key != want {
		t.Errorf("j went to %q, want the next row in the sorted list %q", a.detail.key, want)
	}
	press(t, a, "ctrl+r") // new data: the view keeps its item
	if r, _ := a.tables[a.active].selected(); r.key != a.detail.key {
		t.Errorf("after a refresh the cursor is on %q, the detail shows %q", r.key, a.detail.key)
	}
}

func TestYOnATriagePullRequestCopiesRepoAndNumber(t *testing.T) {
	a := loaded(t, demoOptions(t), 120, 35)
	press(t, a, "2", "G")
	_, cmd := a.Update(keyPress("Y"))
	if got, _ := clipboardOf(t, cmd); !regexp.MustCompile(`^acme/[a-z]+#\d+$`).MatchString(got) {
		t.Errorf("Y on a PR copied %q, want repo#number", got)
	}
}

func TestSortKeepsTheCursorOnItsRow(t *testing.T) {
	a := loaded(t, demoOptions(t), 120, 35)
	press(t, a, "3", "j", "j")
	before, _ := a.tables[a.active].selected()
	press(t, a, "s", "s", "S")
	after, _ := a.tables[a.active].selected()
	if before.key != after.key {
		t.Errorf("the cursor left its row: %q → %q", before.key, after.key)
	}
}

func TestInverseFilterAndBrokenOnly(t *testing.T) {
	a := loaded(t, demoOptions(t), 120, 35)
	press(t, a, "3", "!", "a", "c", "m", "e", "/", "enter")
	tb := &a.tables[a.active]
	if len(tb.rows) == 0 || len(tb.rows) == len(tb.all) {
		t.Fatalf("!acme/ kept %d of %d rows", len(tb.rows), len(tb.all))
	}
	for _, r := range tb.rows {
		if strings.Contains(strings.Join(r.cells, " "), "acme/") {
			t.Errorf("the inverse filter kept %q", r.key)
		}
	}
	if !strings.Contains(screen(a), `without "acme/"`) {
		t.Errorf("the title does not say what is left out:\n%s", screen(a))
	}
	press(t, a, "esc", "b")
	if len(tb.rows) != 3 {
		t.Errorf("broken only kept %d pipelines, want the 3 failing", len(tb.rows))
	}
	for _, r := range tb.rows {
		if !strings.Contains(ansi.Strip(r.cells[0]), "failing") {
			t.Errorf("broken only kept %q", ansi.Strip(r.cells[0]))
		}
	}
	if !strings.Contains(screen(a), "broken only: 3 of 6") {
		t.Errorf("the title does not say broken only:\n%s", screen(a))
	}
	press(t, a, "2")
	for _, r := range a.tables[a.active].rows {
		if !r.broken {
			t.Errorf("triage kept %q with broken only", r.key)
		}
	}
	press(t, a, "5") // PRs are never broken: the toggle leaves them all, and is not offered
	if tb := a.tables[a.active]; len(tb.rows) != len(tb.all) || strings.Contains(screen(a), "b show all") {
		t.Errorf("broken only hid PRs or is offered where it does nothing:\n%s", screen(a))
	}
	press(t, a, "3", "b")
	if len(tb.rows) != len(tb.all) {
		t.Error("b again should show every row")
	}
}

func TestCommandLine(t *testing.T) {
	a := loaded(t, demoOptions(t), 120, 35)
	command := func(line string) {
		t.Helper()
		press(t, a, ":")
		for _, r := range line {
			press(t, a, string(r))
		}
		press(t, a, "enter")
	}
	command("alarms")
	if a.ActivePane() != "Alarms" {
		t.Errorf(":alarms went to %s", a.ActivePane())
	}
	command("pipe")
	if a.ActivePane() != "Pipelines" {
		t.Errorf(":pipe went to %s", a.ActivePane())
	}
	command("sort red")
	if tb := a.tables[a.active]; tb.cols[tb.sortCol].title != "RED FOR" || !tb.sortDesc {
		t.Errorf(":sort red sorted by %d desc=%v", tb.sortCol, tb.sortDesc)
	}
	command("since 30d")
	if d := a.snap.Window.Days(); d != 30 {
		t.Errorf(":since 30d: the window is %v days", d)
	}
	if !strings.Contains(screen(a), "last 30 days") {
		t.Errorf("the title does not show the new window:\n%s", screen(a))
	}
	command("since soon")
	if d := a.snap.Window.Days(); d != 30 || !strings.Contains(screen(a), ":since \"soon\"") {
		t.Errorf("a bad :since should say why and keep the window (%v days):\n%s", d, screen(a))
	}
	command("frobnicate")
	if !strings.Contains(screen(a), `unknown command "frobnicate"`) {
		t.Errorf("an unknown command is not reported:\n%s", screen(a))
	}
	press(t, a, ":")
	_, cmd := a.Update(keyPress("q"))
	drive(t, a, cmd)
	if _, cmd = a.Update(keyPress("enter")); cmd == nil || fmt.Sprint(cmd()) != fmt.Sprint(tea.Quit()) {
		t.Error(":q did not quit")
	}
}

// clipboardOf runs cmd and returns what it puts on the clipboard.
func clipboardOf(t *testing.T, cmd tea.Cmd) (string, bool) {
	t.Helper()
	if cmd == nil {
		return "", false
	}
	msg := cmd()
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			if s, ok := clipboardOf(t, c); ok {
				return s, true
			}
		}
		return "", false
	}
	want := fmt.Sprintf("%T", tea.SetClipboard("")())
	if fmt.Sprintf("%T", msg) != want {
		return "", false
	}
	return fmt.Sprint(msg), true
}

func TestCopyLinkAndName(t *testing.T) {
	a := loaded(t, demoOptions(t), 120, 35)
	press(t, a, "3")
	r, _ := a.tables[a.active].selected()
	_, cmd := a.Update(keyPress("y"))
	if got, ok := clipboardOf(t, cmd); !ok || got != r.url {
		t.Errorf("y copied %q, want the link %q", got, r.url)
	}
	_, cmd = a.Update(keyPress("Y"))
	if got, ok := clipboardOf(t, cmd); !ok || got != "acme/infra terraform-plan" {
		t.Errorf("Y copied %q, want the pipeline's name", got)
	}
	press(t, a, "7")
	_, cmd = a.Update(keyPress("y"))
	if _, ok := clipboardOf(t, cmd); ok || !strings.Contains(screen(a), "nothing to copy") {
		t.Errorf("y on a row without a link should say so:\n%s", screen(a))
	}
	if strings.Contains(screen(a), "y copy") || strings.Contains(screen(a), "o open") {
		t.Errorf("copy or open offered on a row without a link:\n%s", screen(a))
	}
}

func TestOpenWithoutABrowserCopiesTheLink(t *testing.T) {
	o := demoOptions(t)
	o.OpenURL = func(string) error { return fmt.Errorf("%w (an SSH session)", errNoBrowser) }
	a := loaded(t, o, 120, 35)
	press(t, a, "3")
	r, _ := a.tables[a.active].selected()
	_, cmd := a.Update(keyPress("o"))
	_, cmd = a.Update(cmd())
	if got, ok := clipboardOf(t, cmd); !ok || got != r.url {
		t.Errorf("o without a browser copied %q, want %q", got, r.url)
	}
	if s := screen(a); !strings.Contains(s, "no browser (an SSH session): link copied") {
		t.Errorf("o without a browser does not say so:\n%s", s)
	}

	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	if err := browserHere(env(map[string]string{"SSH_CONNECTION": "1.2.3.4 5 6.7.8.9 22", "DISPLAY": ":0"}), "sh"); !errors.Is(err, errNoBrowser) {
		t.Errorf("an SSH session was taken for a desktop: %v", err)
	}
	if err := browserHere(env(map[string]string{"DISPLAY": ":0"}), "no-such-opener-here"); !errors.Is(err, errNoBrowser) {
		t.Errorf("a missing opener was not noticed: %v", err)
	}
	if err := browserHere(env(map[string]string{"DISPLAY": ":0"}), "sh"); err != nil {
		t.Errorf("a desktop with an opener: %v", err)
	}
}

func TestDetailViewMovesBetweenItemsAndPanes(t *testing.T) {
	a := loaded(t, demoOptions(t), 120, 35)
	press(t, a, "3", "enter")
	first := a.detail.title
	press(t, a, "j")
	if a.detail == nil || a.detail.title == first {
		t.Fatalf("j in a detail view should show the next item, still on %q", first)
	}
	second, _ := a.tables[a.active].selected()
	if a.detail.title != second.title {
		t.Errorf("the detail shows %q but the list's cursor is on %q", a.detail.title, second.title)
	}
	press(t, a, "k")
	if a.detail.title != first {
		t.Errorf("k should go back to %q, shows %q", first, a.detail.title)
	}
	press(t, a, "tab")
	if a.detail != nil || a.ActivePane() != "Alarms" {
		t.Errorf("tab in a detail view should go to the next pane: %s, detail open %v", a.ActivePane(), a.detail != nil)
	}
	press(t, a, "enter", "6")
	if a.detail != nil || a.ActivePane() != "Checklist" {
		t.Errorf("6 in a detail view should go to the Checklist: %s", a.ActivePane())
	}
	press(t, a, "enter") // a checklist step has no link: o is not offered
	if s := screen(a); strings.Contains(s, "o open") || strings.Contains(s, "y copy") {
		t.Errorf("a detail without a link offers o or y:\n%s", s)
	}
}

func TestLinksInDetailViewsAreNeverWrapped(t *testing.T) {
	for _, w := range []int{80, 200} {
		a := loaded(t, demoOptions(t), w, 40)
		press(t, a, "4", "enter")
		url := a.detail.url
		if len(url) < 60 {
			t.Fatalf("the demo alarm link is short (%q): the test needs a long one", url)
		}
		lines := a.detail.lines(w)
		at := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(ansi.Strip(l), "https://") })
		if at < 0 {
			t.Fatalf("%d columns: no line starts the link", w)
		}
		if got := ansi.Strip(lines[at]); got != url {
			t.Errorf("%d columns: the link line is %q, want the whole link %q", w, got, url)
		}
		if !strings.Contains(lines[at], ansi.SetHyperlink(url)) {
			t.Errorf("%d columns: the link is not a terminal hyperlink", w)
		}
	}
}

// A field's value too long for its line wraps under itself, not under its
// label, so the labels stay a column to read down; too narrow for that, it
// wraps under the label rather than into a sliver.
func TestLongFieldValuesWrapUnderThemselves(t *testing.T) {
	d := detailText{st: NewStyles(true, false)}
	d.field("Reason", strings.Repeat("threshold crossed ", 6))
	d.line(strings.Repeat("free text ", 10))
	lines := strings.Split(ansi.Strip(d.render(40)), "\n")
	if len(lines) < 5 || !strings.HasPrefix(lines[0], "Reason: threshold") {
		t.Fatalf("render(40) = %q", lines)
	}
	indent := strings.Repeat(" ", len("Reason: "))
	var value []string
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, indent) {
			break
		}
		value = append(value, l)
	}
	whole := strings.Fields(strings.Join(append([]string{lines[0][len(indent):]}, value...), " "))
	if len(value) == 0 || !slices.Equal(whole, strings.Fields(strings.Repeat("threshold crossed ", 6))) {
		t.Errorf("the value's continuation lines %q, want them under the value, holding the rest of it", value)
	}
	if free := lines[1+len(value)]; !strings.HasPrefix(free, "free text") {
		t.Errorf("a free line is indented: %q", free)
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > 40 {
			t.Errorf("line wider than 40: %q", l)
		}
	}
	narrow := strings.Split(ansi.Strip(d.render(24)), "\n")
	if narrow[1] == "" || narrow[1][0] == ' ' {
		t.Errorf("at 24 columns the value should wrap under the label, got %q", narrow)
	}
}

func TestHelpListsExactlyTheKeysThatWorkHere(t *testing.T) {
	a := loaded(t, demoOptions(t), 80, 40)
	help := func() string {
		press(t, a, "?")
		s := screen(a)
		press(t, a, "esc")
		return s
	}
	press(t, a, "1")
	drag := help()
	for _, absent := range []string{"sort", "broken only", "copy link", "mark"} {
		if strings.Contains(drag, absent) {
			t.Errorf("Drag help offers %q, which does nothing there", absent)
		}
	}
	press(t, a, "2")
	triage := help()
	for _, want := range []string{"sort", "broken only", "copy link", "handled", "filter out", "command", "previous pane", "refresh", "quit"} {
		if !strings.Contains(triage, want) {
			t.Errorf("Triage help lacks %q", want)
		}
	}
	press(t, a, "enter")
	detail := help()
	if a.detail.overflows(a.width, a.bodyHeight()) != strings.Contains(detail, "scroll down") {
		t.Errorf("scrolling offered where the detail fits, or not where it does not:\n%s", detail)
	}
	for _, want := range []string{"next item", "previous item"} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail help lacks %q", want)
		}
	}
	if strings.Contains(detail, "broken only") || strings.Contains(detail, "filter") {
		t.Errorf("detail help offers list keys:\n%s", detail)
	}
	if strings.Contains(triage, "…") || strings.Contains(detail, "…") {
		t.Errorf("the help is cut at 80 columns:\n%s", triage)
	}
	press(t, a, "?")
	if footer := lastLine(screen(a)); strings.Contains(footer, "details") || !strings.Contains(footer, "esc close") {
		t.Errorf("the help's footer offers keys that do nothing there: %q", footer)
	}
	press(t, a, "esc", "esc", "6", "enter") // a short detail on a pane of many rows
	if s := help(); strings.Contains(s, "scroll down") {
		t.Errorf("scrolling offered where the detail fits:\n%s", s)
	}
}

func TestPreviewFollowsTheCursorOnWideTerminals(t *testing.T) {
	a := loaded(t, demoOptions(t), 200, 50)
	press(t, a, "3")
	previewTitle := func() string {
		for _, l := range strings.Split(screen(a), "\n") {
			if _, right, ok := strings.Cut(l, "│ "); ok && strings.TrimSpace(right) != "" {
				return strings.TrimSpace(right)
			}
		}
		return ""
	}
	for range 3 {
		r, _ := a.tables[a.active].selected()
		if got := previewTitle(); got != r.title {
			t.Errorf("the preview shows %q, the cursor is on %q", got, r.title)
		}
		press(t, a, "j")
	}
	a.Update(tea.WindowSizeMsg{Width: 159, Height: 50})
	if strings.Contains(screen(a), " │ ") {
		t.Error("a preview below 160 columns")
	}
}

func TestCtrlRRefreshes(t *testing.T) {
	a := loaded(t, demoOptions(t), 120, 35)
	gen := a.gen
	_, cmd := a.Update(keyPress("ctrl+r"))
	if cmd == nil || a.gen != gen+1 {
		t.Error("ctrl+r did not start a refresh")
	}
	drive(t, a, cmd)
}

func lastLine(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	return lines[len(lines)-1]
}
