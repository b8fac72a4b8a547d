package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/opsdrag/opsdrag/model"
)

// View draws the whole screen: header, optional hint, pane title, body,
// status line and key help. Every line is cut to the terminal's width and
// the screen is exactly its height.
func (a *App) View() tea.View {
	v := tea.NewView(a.render())
	v.AltScreen = true
	v.WindowTitle = "opsdrag"
	return v
}

func (a *App) render() string {
	lines := []string{a.header(), a.tabLine()}
	lines = append(lines, a.hintLines()...)
	if p := a.problemLine(); p != "" {
		lines = append(lines, p)
	}
	lines = append(lines, a.paneTitle())
	lines = append(lines, a.body())
	lines = append(lines, a.statusLine(), a.footer())
	return fitScreen(strings.Join(lines, "\n"), a.width, a.height)
}

// fixedLines counts the lines around the body.
func (a *App) fixedLines() int {
	n := 5 // header, tabs, pane title, status, footer
	n += len(a.hintLines())
	if a.problemLine() != "" {
		n++
	}
	return n
}

func (a *App) bodyHeight() int { return max(1, a.height-a.fixedLines()) }

func (a *App) tableHeight() int { return a.tableHeightFor(a.active) }

func (a *App) tableHeightFor(i int) int {
	intro := a.panes[i].intro(a.data, a.styles, a.width)
	n := 0
	if intro != "" {
		n = strings.Count(intro, "\n") + 2 // the intro plus a blank line
	}
	return max(1, a.bodyHeight()-n)
}

// hintLines is the hint, wrapped to at most two lines: the path it names
// must be readable whole.
func (a *App) hintLines() []string {
	if a.opts.Hint == "" {
		return nil
	}
	lines := model.WrapAtSpaces(a.opts.Hint, a.width) // the path stays whole
	if len(lines) > 2 {
		lines = lines[:2]
	}
	for i := range lines {
		lines[i] = a.styles.Hint.Render(lines[i])
	}
	return lines
}

// header names the app and the team and says what is broken now: the one
// thing that must be seen on every pane, at any width, without a key.
func (a *App) header() string {
	st := a.styles
	left := st.Brand.Render("opsdrag")
	if a.opts.Team.Name != "" {
		left += " " + st.Muted.Render(a.opts.Team.Name)
	}
	if a.opts.Demo {
		left += " " + st.Demo.Render("DEMO")
	}
	return left + "   " + a.brokenSummary()
}

// tabLine names every pane by its title, with its row count when there is
// room; on a very narrow terminal only the focused pane keeps its name.
func (a *App) tabLine() string {
	for _, form := range []int{tabsFull, tabsNoCount, tabsNumbers} {
		if tabs := a.tabs(form); ansi.StringWidth(tabs) <= a.width {
			return tabs
		}
	}
	return a.tabs(tabsNumbers)
}

// brokenSummary counts the alarms firing and the pipelines failing now,
// e.g. "● 2 firing  ✗ 3 failing". A count some source could not check reads
// "≥ 2" or "?", never a reassuring zero.
func (a *App) brokenSummary() string {
	st := a.styles
	b := a.data.broken
	part := func(n int, c model.Coverage, glyph, what string) string {
		switch c.Completeness {
		case model.Collecting:
			return st.Muted.Render("… " + what)
		case model.Unknown:
			return st.Warn.Render("? " + what)
		}
		count := fmt.Sprint(n)
		if c.Completeness == model.LowerBound {
			count = "≥" + count
		}
		s := glyph + " " + count + " " + what
		switch {
		case n > 0:
			return st.Bad.Render(s)
		case c.Completeness == model.Complete:
			return st.Good.Render(s)
		}
		return st.Warn.Render(s)
	}
	return part(b.Firing, b.FiringCoverage, "●", "firing") + "  " + part(b.Failing, b.FailingCoverage, "✗", "failing")
}

// problemLine keeps the failing sources' reason on screen until a refresh
// resolves it: the names, then the reason itself (sources that failed for
// the same reason, such as a rejected token, share one line); the Sources
// pane (7) has the rest. "" when every source that ran succeeded in full.
func (a *App) problemLine() string {
	failed := func(s model.Source) bool { return s.Status == model.StatusError || s.Stale }
	// A failure leads: data left out matters less than data not read.
	var problems, partial []model.Source
	for _, src := range a.snap.Sources {
		switch {
		case failed(src):
			problems = append(problems, src)
		case src.Status == model.StatusPartial:
			partial = append(partial, src)
		}
	}
	problems = append(problems, partial...)
	if len(problems) == 0 {
		return ""
	}
	first := problems[0]
	var names []string
	reasons := 1
	for _, src := range problems {
		if src.Detail == first.Detail {
			names = append(names, src.Name)
		} else {
			reasons++
		}
	}
	st := a.styles
	glyph := st.Bad.Render("✗")
	if !failed(first) {
		glyph = st.Warn.Render("!")
	}
	more := ""
	if reasons > 1 {
		more = st.Muted.Render(fmt.Sprintf(" (+%d other %s: %d Sources)", reasons-1,
			map[bool]string{true: "reason", false: "reasons"}[reasons == 2], a.paneIndex(sourcesPaneName)+1))
	}
	return glyph + " " + st.Bold.Render(strings.Join(names, ", ")+":") + more + " " + first.Detail
}

const (
	tabsFull = iota
	tabsNoCount
	tabsNumbers
)

func (a *App) tabs(form int) string {
	var parts []string
	for i, p := range a.panes {
		name := p.name()
		label := fmt.Sprintf("%d %s", i+1, name)
		switch form {
		case tabsFull:
			if i == 0 {
				break // the Drag tab carries no count
			}
			if n := a.count(i); n > 0 {
				label += fmt.Sprintf(" %d", n)
			}
		case tabsNumbers:
			if i != a.active {
				label = fmt.Sprintf("%d", i+1)
			}
		}
		if i == a.active {
			parts = append(parts, a.styles.TabActive.Render(label))
		} else {
			parts = append(parts, a.styles.Tab.Render(label))
		}
	}
	return strings.Join(parts, "  ")
}

func (a *App) paneTitle() string {
	st := a.styles
	t := a.tables[a.active]
	p := a.panes[a.active]
	title := st.Title.Render(p.name())
	if a.detail != nil {
		title += st.Muted.Render(" › ") + st.Title.Render(a.detail.title)
	} else if a.showHelp {
		title = st.Title.Render("Help")
	} else if t.filter != "" || t.brokenOnly {
		var what []string
		if t.brokenOnly {
			what = append(what, "broken only")
		}
		if words, inverse := t.filterWords(); inverse {
			what = append(what, fmt.Sprintf("without %q", strings.Join(words, " ")))
		} else if t.filter != "" {
			what = append(what, fmt.Sprintf("filter %q", t.filter))
		}
		title += st.Filter.Render(fmt.Sprintf("  %s: %d of %d", strings.Join(what, ", "), len(t.rows), len(t.all)))
	} else if n := t.count(); n > 0 && a.active > 0 {
		title += st.Muted.Render(fmt.Sprintf("  %d", n))
	}
	if s := t.sortLabel(); s != "" && a.detail == nil && !a.showHelp {
		title += st.Muted.Render("  by " + s)
	}
	// One "since" per pane: the triage list has its own start.
	right := st.Muted.Render(fmt.Sprintf("last %s days · since %s", model.FormatNumber(a.snap.Window.Days()), a.snap.Window.Since.In(a.opts.Team.Loc()).Format("Mon Jan 2 15:04")))
	if p.name() == triagePaneName {
		since := "since " + a.data.triageStart.In(a.opts.Team.Loc()).Format("Mon Jan 2 15:04")
		right = st.Muted.Render(since + ", the end of the previous working day")
		if ansi.StringWidth(title)+ansi.StringWidth(right)+2 > a.width {
			right = st.Muted.Render(since)
		}
	}
	gap := a.width - ansi.StringWidth(title) - ansi.StringWidth(right)
	if gap < 2 {
		return title
	}
	return title + strings.Repeat(" ", gap) + right
}

func (a *App) body() string {
	return fitScreen(a.bodyContent(), a.width, a.bodyHeight())
}

func (a *App) bodyContent() string {
	h := a.bodyHeight()
	switch {
	case a.showHelp:
		return a.helpBody()
	case a.detail != nil:
		return strings.Join(a.detail.view(a.styles, a.width, h), "\n")
	}
	p := a.panes[a.active]
	t := a.tables[a.active]
	var parts []string
	if intro := p.intro(a.data, a.styles, a.width); intro != "" {
		parts = append(parts, intro, "")
	}
	th := a.tableHeight()
	tw, pw := a.previewWidths()
	switch {
	case len(t.all) == 0:
		parts = append(parts, t.render(a.styles, a.width, 1), "", ansi.Wrap(a.styles.Muted.Render(p.empty(a.data)), a.width, " /"))
	case len(t.rows) == 0:
		parts = append(parts, t.render(a.styles, a.width, 1), "", a.styles.Muted.Render(a.noMatch()))
	case pw > 0:
		parts = append(parts, a.withPreview(t.render(a.styles, tw, th), tw, pw, th))
	default:
		parts = append(parts, t.render(a.styles, a.width, th))
	}
	return strings.Join(parts, "\n")
}

// noMatch says why no row is shown and how to get them back.
func (a *App) noMatch() string {
	t := a.tables[a.active]
	if t.brokenOnly && t.filter == "" {
		return "Nothing here is broken now. b shows every row."
	}
	if t.brokenOnly {
		return "No broken row matches the filter. esc clears the filter, b shows every row."
	}
	return "No row matches the filter. Press esc to clear it."
}

// previewMinWidth is the narrowest terminal that shows the selected row's
// details beside the list.
const previewMinWidth = 160

// previewMin is the narrowest preview: enough for a detail's lines to read
// whole, while the list keeps most of the width.
const previewMin = 50

// previewWidths splits a wide terminal between the list and the preview of
// its selected row: the list gets what its columns need, the preview the
// rest within bounds. pw is 0 when there is no preview.
func (a *App) previewWidths() (tw, pw int) {
	t := a.tables[a.active]
	if a.width < previewMinWidth {
		return a.width, 0
	}
	if r, ok := t.selected(); !ok || r.detail == nil {
		return a.width, 0
	}
	pw = min(100, max(previewMin, a.width-t.naturalWidth()-3))
	return a.width - pw - 3, pw
}

// withPreview draws the list and, beside it behind a rule, the selected
// row's details, both height lines.
func (a *App) withPreview(list string, tw, pw, height int) string {
	r, _ := a.tables[a.active].selected()
	st := a.styles
	preview := append([]string{st.Title.Render(r.title), ""}, strings.Split(r.detail(pw), "\n")...)
	left := strings.Split(list, "\n")
	lines := make([]string, height)
	for i := range lines {
		l, p := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(preview) {
			p = preview[i]
		}
		lines[i] = pad(l, tw) + st.Rule.Render(" │ ") + fitLine(p, pw)
	}
	return strings.Join(lines, "\n")
}

// helpKeys lays the key groups out side by side, in as many rows of
// groups as it takes for every key to fit the width.
func (a *App) helpKeys() string {
	groups := a.keysHere().all
	// Measured whole: the help model would cut what does not fit.
	unlimited := a.help
	unlimited.SetWidth(0)
	for per := len(groups); per >= 1; per-- {
		var blocks []string
		for i := 0; i < len(groups); i += per {
			blocks = append(blocks, unlimited.FullHelpView(groups[i:min(i+per, len(groups))]))
		}
		out := strings.Join(blocks, "\n\n")
		if lipgloss.Width(out) <= a.width || per == 1 {
			return out
		}
	}
	return ""
}

// fitLine cuts s to width cells.
func fitLine(s string, width int) string {
	if ansi.StringWidth(s) > width {
		return ansi.Truncate(s, width, "…")
	}
	return s
}

// helpBody lists exactly the keys that work in the view help was opened
// from, then how to read the screen.
func (a *App) helpBody() string {
	st := a.styles
	legend := []string{
		"",
		st.Bold.Render("Reading the screen"),
		"  ✗ failing  ● ALARM  broken right now     ✓  fine, or recovered",
		"  !  source incomplete (some data missing)  –  source not configured",
		"  ≥ 4.4  a lower bound: a source behind it failed or left data out",
		"  unknown  no source behind it answered: never read as zero",
		"  PAGES  entries into ALARM; OFF-HOURS 18–22 h and weekends; NIGHT 22–08 h",
		"  RED FOR  time from each failure to the next success, inside the window",
		"",
		"  Every figure on the Drag pane opens (enter) to the arithmetic behind it.",
	}
	commands := []string{"a pane's name (:alarms)", ":since 30d", ":refresh", ":q"}
	if a.detail == nil {
		if a.panes[a.active].can().sort {
			commands = append(commands, ":sort fails")
		}
		commands = append(commands, ":filter text")
		legend = append(legend, "  A filter starting with ! leaves out the rows that match it.")
	}
	legend = append(legend, "  Commands: "+strings.Join(commands, ", ")+".")
	return a.helpKeys() + "\n" + ansi.Wrap(strings.Join(legend, "\n"), a.width, " ")
}

func (a *App) statusLine() string {
	st := a.styles
	right := ""
	switch {
	case a.flash != "" && a.opts.Now().Sub(a.flashAt) < flashFor:
		right = a.flash
	default:
		var parts []string
		if a.loading() {
			busy := 0
			for _, c := range a.collecting {
				if c {
					busy++
				}
			}
			parts = append(parts, fmt.Sprintf("refreshing %d/%d", len(a.collecting)-busy, len(a.collecting)))
		}
		if oldest := a.snap.OldestData(); !oldest.IsZero() {
			parts = append(parts, "data "+ago(a.opts.Now(), oldest)+" old")
		}
		right = strings.Join(parts, " · ")
	}
	right = st.Muted.Render(right)
	room := a.width - ansi.StringWidth(right) - 2
	for _, short := range []bool{false, true} {
		s := a.sources(short)
		if ansi.StringWidth(s) <= room {
			return s + strings.Repeat(" ", max(2, a.width-ansi.StringWidth(s)-ansi.StringWidth(right))) + right
		}
	}
	return a.sourceCounts() + "  " + right
}

func (a *App) sourceGlyph(src model.Source) string {
	st := a.styles
	if a.collecting[src.Name] {
		return st.Info.Render(a.spin.View())
	}
	switch src.Status {
	case model.StatusOK:
		return st.Good.Render("✓")
	case model.StatusPartial:
		return st.Warn.Render("!")
	case model.StatusError:
		return st.Bad.Render("✗")
	case model.StatusSkipped:
		return st.Muted.Render("–")
	}
	return st.Muted.Render("·")
}

func (a *App) sources(short bool) string {
	var parts []string
	for _, src := range a.snap.Sources {
		name := src.Name
		if short {
			if _, after, ok := strings.Cut(name, "/"); ok {
				name = after
			}
		}
		part := a.sourceGlyph(src) + " " + name
		if p := src.Progress; p != nil && a.collecting[src.Name] && p.Total > 0 {
			part += fmt.Sprintf(" %d/%d", p.Done, p.Total)
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, " ")
}

func (a *App) sourceCounts() string {
	count := map[model.Status]int{}
	busy := 0
	for _, src := range a.snap.Sources {
		if a.collecting[src.Name] {
			busy++
			continue
		}
		count[src.Status]++
	}
	st := a.styles
	var parts []string
	if busy > 0 {
		parts = append(parts, st.Info.Render(a.spin.View())+fmt.Sprint(busy))
	}
	for _, s := range []struct {
		status model.Status
		glyph  string
	}{{model.StatusOK, st.Good.Render("✓")}, {model.StatusPartial, st.Warn.Render("!")}, {model.StatusError, st.Bad.Render("✗")}, {model.StatusSkipped, st.Muted.Render("–")}} {
		if count[s.status] > 0 {
			parts = append(parts, s.glyph+fmt.Sprint(count[s.status]))
		}
	}
	return "sources " + strings.Join(parts, " ")
}

func (a *App) footer() string {
	switch {
	case a.filtering && a.noteFor != "":
		return a.input.View() + a.styles.Muted.Render("  enter keep · esc cancel")
	case a.filtering:
		return a.input.View() + a.styles.Muted.Render("  enter keep · esc clear")
	case a.commanding:
		return a.command.View() + a.styles.Muted.Render("  enter run · tab complete · esc cancel")
	case a.showHelp:
		return footerLine(a.styles, []key.Binding{with(a.keys.Back, true, "close"), a.keys.Quit}, a.width)
	}
	return footerLine(a.styles, a.keysHere().footer, a.width)
}

// fitScreen cuts every line to width and pads or cuts the block to height
// lines, so nothing overflows or wraps the terminal.
func fitScreen(s string, width, height int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		lines[i] = fitLine(l, width)
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
