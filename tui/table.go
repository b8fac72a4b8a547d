package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// column describes one column of a table.
type column struct {
	title string
	// min is the narrowest the column may be; below the sum of all mins,
	// columns with the lowest priority are dropped.
	min int
	// priority decides which columns survive a narrow terminal (higher
	// stays) and which get spare width first.
	priority int
	// want caps the width the column asks for when deciding whether an
	// optional column still fits (0: its widest cell).
	want int
	// optional columns are dropped (lowest priority first) when every
	// column's wanted width does not fit; the others shrink instead.
	optional bool
	right    bool
}

// tone is how a whole cell is drawn. A long list keeps its cells plain
// with a tone each, styled only when drawn: styling every cell of 10,000
// rows on every change is what would make the interface slow.
type tone uint8

const (
	plain tone = iota
	toneBad
	toneWarn
	toneGood
	toneInfo
	toneMuted
)

// style is the style a tone draws with.
func (t tone) style(st Styles) (lipgloss.Style, bool) {
	switch t {
	case toneBad:
		return st.Bad, true
	case toneWarn:
		return st.Warn, true
	case toneGood:
		return st.Good, true
	case toneInfo:
		return st.Info, true
	case toneMuted:
		return st.Muted, true
	}
	return lipgloss.Style{}, false
}

// row is one line of a table plus what the app needs to act on it.
type row struct {
	// key identifies the row across refreshes so the cursor stays on it.
	key string
	// cells are the row's text, plain or styled; tones draws plain cells
	// in a style (nil: as they are).
	cells []string
	tones []tone
	// compact holds shorter forms of some cells ("…3333 euw1" for
	// "111122223333 eu-west-1"), used when the full cell does not fit;
	// nil or "" keeps the cell.
	compact []string
	// order holds what some cells sort by, when not their text: a status
	// sorts by how bad it is (a larger number is worse), not by its symbol.
	order []string
	// url is what "o" opens and "y" copies.
	url string
	// name is what "Y" copies: the row's name or id ("" copies the title).
	name string
	// sub marks a row that details the row above it (a plan item's step):
	// moving from item to item in a detail view passes over it.
	sub bool
	// inert is a row space and n do nothing on (the plan's untied drag).
	inert bool
	// broken is true for what is broken now (a failing pipeline, a firing
	// alarm, a failed source): the rows the broken-only view keeps.
	broken bool
	// detail renders the row's detail view at a width.
	detail func(width int) string
	// title names the row in the detail view's header.
	title string
}

// copyName is what "Y" copies.
func (r row) copyName() string {
	if r.name != "" {
		return r.name
	}
	return r.title
}

// cell returns the text of column i that fits in w cells: the full cell,
// else its compact form.
func (r row) cell(i, w int) string {
	c := ""
	if i < len(r.cells) {
		c = r.cells[i]
	}
	if i < len(r.compact) && r.compact[i] != "" && ansi.StringWidth(c) > w {
		return r.compact[i]
	}
	return c
}

// indexed is a row with what filtering and sorting read, computed once when
// the rows change rather than on every key.
type indexed struct {
	row
	// text is the cells and their short forms without styling, lower
	// case, for the filter: what is on screen can be found.
	text string
	// pos is the row's place in the table's rows, for the sort keys.
	pos int
}

func index(r row) indexed {
	var text strings.Builder
	// Each cell is lowered on its own: most are plain ASCII, which
	// strings.ToLower returns as they are.
	for _, c := range r.cells {
		text.WriteString(strings.ToLower(stripped(c)))
		text.WriteByte(' ')
	}
	for _, c := range r.compact {
		if c != "" {
			text.WriteString(strings.ToLower(stripped(c)))
			text.WriteByte(' ')
		}
	}
	return indexed{row: r, text: text.String()}
}

// sortText is what cell c of r sorts by: its order value, else its text
// without styling.
func (r *row) sortText(c int) string {
	if o := cellAt(r.order, c); o != "" {
		return o
	}
	return stripped(cellAt(r.cells, c))
}

// stripped is s without styling; plain text is returned as it is, without
// the parse.
func stripped(s string) string {
	if strings.IndexByte(s, ansi.ESC) < 0 {
		return s
	}
	return ansi.Strip(s)
}

// width is how many cells s takes on screen; plain ASCII is counted
// without the grapheme parse.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] == ansi.ESC {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// table is a scrollable, filterable, sortable list of rows with a cursor.
// It is drawn by hand rather than with bubbles/table so styled cells
// truncate at cell boundaries with an ellipsis and never spill into their
// neighbours, and columns get the width their content needs.
type table struct {
	cols []column
	all  []indexed
	// rows are all, filtered and sorted: pointers into all, so a keystroke
	// that re-filters 10,000 rows copies none of them.
	rows []*indexed
	// keys are each sorted column's cells read for sorting, by row
	// position, kept until the rows change.
	keys map[int][]sortKey
	// items is what count says, counted when the rows change.
	items int
	// natural is each column's widest cell (header included) over all
	// rows; short the widest a column must be to show every row at least
	// in its short form.
	natural, short []int
	// filter keeps the rows containing every word; a leading "!" keeps
	// the rows that do not.
	filter string
	// brokenOnly keeps only the rows broken now.
	brokenOnly bool
	// sortCol is the column rows are sorted by (-1: the pane's own order,
	// worst first), descending when sortDesc.
	sortCol  int
	sortDesc bool
	cursor   int
	offset   int
	// moved is true once the person has moved the cursor: until then it
	// stays on the top row while rows arrive, so a quick key acts on the
	// row they see first.
	moved bool
	// kept is the key of the row under the cursor when the rows were
	// released, for the rows built next.
	kept string
}

func newTable(cols []column) table { return table{cols: cols, sortCol: -1} }

// count is how many items the table lists: its rows but those that detail
// another (a plan item's steps) or stand apart (the plan's untied drag).
func (t table) count() int { return t.items }

// setRows replaces the rows, keeping the cursor on the same row when it
// still exists.
func (t *table) setRows(rows []row) {
	selected := t.selectedKey()
	if t.all == nil {
		selected = t.kept
	}
	t.rows = nil // it points into the old rows
	t.all = make([]indexed, len(rows))
	t.natural = make([]int, len(t.cols))
	t.short = make([]int, len(t.cols))
	for i, c := range t.cols {
		t.natural[i] = ansi.StringWidth(c.title)
		t.short[i] = t.natural[i]
	}
	t.keys, t.items = nil, 0
	// Cells that are not plain ASCII repeat (statuses, "—"): each is
	// measured once.
	widths := map[string]int{}
	measure := func(s string) int {
		if w, ok := widths[s]; ok {
			return w
		}
		w := width(s)
		if w != len(s) {
			widths[s] = w
		}
		return w
	}
	for i, r := range rows {
		if !r.sub && !r.inert {
			t.items++
		}
		t.all[i] = index(r)
		t.all[i].pos = i
		if r.sub {
			continue // it spills into the empty cells beside it, so it sizes no column
		}
		for j := range t.cols {
			if j < len(r.cells) {
				w := measure(r.cells[j])
				t.natural[j] = max(t.natural[j], w)
				if j < len(r.compact) && r.compact[j] != "" {
					w = min(w, measure(r.compact[j]))
				}
				t.short[j] = max(t.short[j], w)
			}
		}
	}
	t.apply(selected)
}

// release lets the rows go until they are built again, keeping the row
// under the cursor: out-of-date rows would hold on to the data they were
// built from (at 10,000 pipelines, megabytes of it).
func (t *table) release() {
	if t.all == nil {
		return
	}
	t.kept = t.selectedKey()
	t.all, t.rows, t.keys = nil, nil, nil
}

// setFilter filters rows to those containing every word of f ("!f": those
// that do not).
func (t *table) setFilter(f string) {
	selected := t.selectedKey()
	t.filter = f
	t.apply(selected)
}

// setBrokenOnly keeps only the rows broken now, or all of them.
func (t *table) setBrokenOnly(on bool) {
	selected := t.selectedKey()
	t.brokenOnly = on
	t.apply(selected)
}

// sortable is whether column i can be sorted by: it has a title.
func (t table) sortable(i int) bool { return i >= 0 && i < len(t.cols) && t.cols[i].title != "" }

// cycleSort sorts by the next column that has a title, in its natural
// direction (numbers largest first, words A to Z), and after the last
// column returns to the pane's own order.
func (t *table) cycleSort() {
	next := -1
	for i := t.sortCol + 1; i < len(t.cols); i++ {
		if t.sortable(i) {
			next = i
			break
		}
	}
	t.sortBy(next, next >= 0 && t.numeric(next))
}

// reverseSort flips the sort direction; in the pane's own order it sorts by
// the first sortable column, reversed.
func (t *table) reverseSort() {
	if t.sortCol < 0 {
		t.cycleSort()
	}
	t.sortBy(t.sortCol, !t.sortDesc)
}

// sortBy sorts by column i (-1: the pane's own order).
func (t *table) sortBy(i int, desc bool) {
	selected := t.selectedKey()
	t.sortCol, t.sortDesc = i, desc
	t.apply(selected)
}

// numeric is whether most of column i's values read as numbers or ages.
func (t *table) numeric(i int) bool {
	n := 0
	for _, k := range t.sortKeys(i) {
		if k.kind == 0 {
			n++
		}
	}
	return n > 0 && n*2 >= len(t.all)
}

// sortKeys reads column c of every row for sorting, once.
func (t *table) sortKeys(c int) []sortKey {
	if ks, ok := t.keys[c]; ok {
		return ks
	}
	ks := make([]sortKey, len(t.all))
	for i := range t.all {
		ks[i] = keyOf(t.all[i].sortText(c))
	}
	if t.keys == nil {
		t.keys = map[int][]sortKey{}
	}
	t.keys[c] = ks
	return ks
}

// sortLabel says how the rows are ordered, e.g. "FAILS ▼"; "" for the pane's
// own order.
func (t table) sortLabel() string {
	if !t.sortable(t.sortCol) {
		return ""
	}
	return t.cols[t.sortCol].title + " " + t.sortArrow()
}

func (t table) sortArrow() string {
	if t.sortDesc {
		return "▼"
	}
	return "▲"
}

// filterWords returns the filter's words, and whether it leaves out the
// rows that match them rather than keeping them.
func (t table) filterWords() (words []string, inverse bool) {
	f := strings.TrimSpace(t.filter)
	if rest, ok := strings.CutPrefix(f, "!"); ok {
		return strings.Fields(strings.ToLower(rest)), true
	}
	return strings.Fields(strings.ToLower(f)), false
}

func (t *table) apply(selected string) {
	words, inverse := t.filterWords()
	t.rows = t.rows[:0]
	for i := range t.all {
		r := &t.all[i]
		if t.brokenOnly && !r.broken {
			continue
		}
		match := true
		for _, w := range words {
			if !strings.Contains(r.text, w) {
				match = false
				break
			}
		}
		if len(words) > 0 && match == inverse {
			continue
		}
		t.rows = append(t.rows, r)
	}
	if c := t.sortCol; t.sortable(c) {
		keys := t.sortKeys(c)
		desc := t.sortDesc
		slices.SortStableFunc(t.rows, func(a, b *indexed) int { return compareKeys(keys[a.pos], keys[b.pos], desc) })
	}
	t.cursor = 0
	if !t.moved {
		return
	}
	for i, r := range t.rows {
		if r.key == selected {
			t.cursor = i
		}
	}
}

func cellAt(cells []string, i int) string {
	if i < len(cells) {
		return cells[i]
	}
	return ""
}

func (t table) selectedKey() string {
	if r, ok := t.selected(); ok {
		return r.key
	}
	return ""
}

// selected returns the row under the cursor.
func (t table) selected() (row, bool) {
	if t.cursor < 0 || t.cursor >= len(t.rows) {
		return row{}, false
	}
	return t.rows[t.cursor].row, true
}

// move moves the cursor by n rows, clamped.
func (t *table) move(n int) {
	t.cursor = max(0, min(len(t.rows)-1, t.cursor+n))
	t.moved = true
}

// naturalWidth is the width the table needs to show every cell whole.
func (t table) naturalWidth() int {
	n := 0
	for _, w := range t.natural {
		n += w + 1
	}
	return max(0, n-1)
}

// widths fits the columns into width, a space between columns. Columns are
// dropped from the lowest priority up until the rest fit at their minimum,
// and optional ones until every kept column gets what it wants. Then each
// column gets its minimum, and the spare width goes, a cell at a time and
// highest priority first, to the columns whose content is still cut:
// and a column that shows short forms keeps only what they need while
// another is cut. A column
// never gets more than its widest cell. A dropped column gets width 0.
func (t table) widths(width int) []int {
	natural, short := t.natural, t.short
	if len(natural) != len(t.cols) || len(short) != len(t.cols) {
		natural = make([]int, len(t.cols))
		for i, c := range t.cols {
			natural[i] = max(c.min, ansi.StringWidth(c.title))
		}
		short = natural
	}
	if t.sortable(t.sortCol) {
		natural, short = slices.Clone(natural), slices.Clone(short)
		natural[t.sortCol]++ // room for the sort arrow
		short[t.sortCol] = max(short[t.sortCol], ansi.StringWidth(t.cols[t.sortCol].title)+1)
	}
	floor := make([]int, len(t.cols))
	for i, c := range t.cols {
		floor[i] = min(c.min, natural[i])
	}
	keep := make([]bool, len(t.cols))
	for i := range keep {
		keep[i] = true
	}
	sum := func(w func(i int) int) int {
		n, cols := 0, 0
		for i := range t.cols {
			if keep[i] {
				n += w(i)
				cols++
			}
		}
		return n + max(0, cols-1)
	}
	dropLowest := func(only func(c column) bool) bool {
		drop := -1
		for i, c := range t.cols {
			if keep[i] && only(c) && (drop < 0 || c.priority < t.cols[drop].priority) {
				drop = i
			}
		}
		if drop >= 0 {
			keep[drop] = false
		}
		return drop >= 0
	}
	for sum(func(i int) int { return floor[i] }) > width && dropLowest(func(column) bool { return true }) {
	}
	wants := func(i int) int {
		w := short[i]
		if c := t.cols[i]; c.want > 0 {
			w = min(w, c.want)
		}
		return max(floor[i], w)
	}
	for sum(wants) > width && dropLowest(func(c column) bool { return c.optional }) {
	}
	ws := make([]int, len(t.cols))
	for i := range t.cols {
		if keep[i] {
			ws[i] = floor[i]
		}
	}
	spare := width - sum(func(i int) int { return ws[i] })
	order := make([]int, 0, len(t.cols))
	for i := range t.cols {
		if keep[i] {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return t.cols[b].priority - t.cols[a].priority })
	settled := make([]bool, len(t.cols))
	fill := func() {
		for spare > 0 {
			given := false
			for _, i := range order {
				if spare > 0 && !settled[i] && ws[i] < natural[i] {
					ws[i]++
					spare--
					given = true
				}
			}
			if !given {
				return
			}
		}
	}
	for {
		fill()
		// A column that cannot show all its full forms shows its short
		// ones: they need less, and the rest goes to the columns still cut.
		reclaimed := false
		for _, i := range order {
			if settled[i] || ws[i] >= natural[i] || short[i] >= natural[i] {
				continue
			}
			settled[i] = true
			if need := max(floor[i], short[i]); need < ws[i] {
				spare += ws[i] - need
				ws[i] = need
				reclaimed = true
			}
		}
		if !reclaimed {
			break
		}
	}
	// What no cut column could use goes back to the short forms, so the
	// rows whose full form then fits show it.
	clear(settled)
	fill()
	return ws
}

// headerCells are the column titles, the sorted one with its arrow.
func (t table) headerCells() []string {
	out := make([]string, len(t.cols))
	for i, c := range t.cols {
		out[i] = c.title
		if i == t.sortCol {
			out[i] += t.sortArrow()
		}
	}
	return out
}

// render draws the header and as many rows as fit in height lines.
func (t table) render(st Styles, width, height int) string {
	if height <= 0 || width <= 0 {
		return ""
	}
	ws := t.widths(width)
	lines := []string{st.Header.Render(joinCells(st, row{cells: t.headerCells()}, ws, t.cols, width, false))}
	body := height - 1
	if body <= 0 {
		return lines[0]
	}
	// When the rows overflow, the last line says how many are out of sight.
	visible := body
	if len(t.rows) > body {
		visible = max(1, body-1)
	}
	offset := max(0, min(t.offset, t.cursor))
	if t.cursor >= offset+visible {
		offset = t.cursor - visible + 1
	}
	for i := offset; i < len(t.rows) && i < offset+visible; i++ {
		if i == t.cursor {
			line := joinCells(st, t.rows[i].row, ws, t.cols, width, true)
			lines = append(lines, st.Selected.Render(pad(line, width)))
			continue
		}
		lines = append(lines, joinCells(st, t.rows[i].row, ws, t.cols, width, false))
	}
	if visible < body {
		below, above := len(t.rows)-(offset+visible), offset
		var hint []string
		if below > 0 {
			hint = append(hint, fmt.Sprintf("↓ %d more below", below))
		}
		if above > 0 {
			hint = append(hint, fmt.Sprintf("↑ %d above", above))
		}
		lines = append(lines, st.Muted.Render(strings.Join(hint, " · ")+" (j/k, g/G)"))
	}
	return strings.Join(lines, "\n")
}

// joinCells fits each cell to its column's width, draws it in its tone and
// joins them; bare drops the cells' styling (the selected row is drawn
// reversed).
//
// A sub row's text spills into the empty cells after it, and to the end of
// the line (width) when all of them are: a plan step is one sentence under
// its item, and cutting it at the ITEM column would leave the rest of its
// line blank.
func joinCells(st Styles, r row, ws []int, cols []column, width int, bare bool) string {
	var b strings.Builder
	used := 0
	for i := 0; i < len(ws); i++ {
		if ws[i] == 0 {
			continue
		}
		if used > 0 {
			b.WriteByte(' ')
			used++
		}
		c, w := i, ws[i]
		if r.sub && !cols[c].right && r.cell(c, w) != "" {
			i, w = spill(r, ws, c, width-used)
		}
		cell := r.cell(c, w) // its short form only if the whole cell does not fit where it spills
		used += w
		if bare {
			cell = stripped(cell)
		}
		cell = fit(cell, w, cols[c].right)
		if c < len(r.tones) && !bare {
			if s, ok := r.tones[c].style(st); ok {
				cell = s.Render(cell)
			}
		}
		b.WriteString(cell)
	}
	return b.String()
}

// spill is how far a sub row's cell c reaches: over every following cell
// that is empty or not shown, and to the end of the line (room) when it
// reaches the last. It returns the last column covered and the width.
func spill(r row, ws []int, c, room int) (last, w int) {
	last, w = c, ws[c]
	for last+1 < len(ws) && (ws[last+1] == 0 || r.cell(last+1, ws[last+1]) == "") {
		last++
		if ws[last] > 0 {
			w += ws[last] + 1
		}
	}
	if last == len(ws)-1 {
		w = max(w, room)
	}
	return last, w
}

// fit truncates s to w cells with an ellipsis, then pads it to exactly w.
func fit(s string, w int, right bool) string {
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	gap := w - ansi.StringWidth(s)
	if gap <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", gap) + s
	}
	return s + strings.Repeat(" ", gap)
}

// pad right-pads s to width cells, truncating when longer.
func pad(s string, width int) string { return fit(s, width, false) }
