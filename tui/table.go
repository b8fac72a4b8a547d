package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// column describes one column of a table.
type column struct {
	title string
	// min is the narrowest the column may be; below the sum of all mins,
	// columns with the lowest priority are dropped.
	min int
	// flex shares the spare width between columns (0 = fixed at min).
	flex int
	// priority decides which columns survive a narrow terminal (higher stays).
	priority int
	// want is the width the column would like; when the wants do not fit,
	// optional columns are dropped (lowest priority first) to make room.
	want     int
	optional bool
	right    bool
}

// row is one line of a table plus what the app needs to act on it.
type row struct {
	// key identifies the row across refreshes so the cursor stays on it.
	key   string
	cells []string
	// url is what "o" opens.
	url string
	// detail renders the row's detail view at a width.
	detail func(width int) string
	// title names the row in the detail view's header.
	title string
}

// text is everything the filter searches: the cells without styling.
func (r row) text() string {
	return strings.ToLower(ansi.Strip(strings.Join(r.cells, " ")))
}

// table is a scrollable, filterable list of rows with a cursor. It is drawn
// by hand rather than with bubbles/table so styled cells truncate at cell
// boundaries with an ellipsis and never spill into their neighbours.
type table struct {
	cols   []column
	all    []row
	rows   []row // all, filtered
	filter string
	cursor int
	offset int
	// moved is true once the person has moved the cursor: until then it
	// stays on the top row while rows arrive, so a quick key acts on the
	// row they see first.
	moved bool
}

// setRows replaces the rows, keeping the cursor on the same row when it
// still exists.
func (t *table) setRows(rows []row) {
	selected := t.selectedKey()
	t.all = rows
	t.apply(selected)
}

// setFilter filters rows to those containing every word of f.
func (t *table) setFilter(f string) {
	selected := t.selectedKey()
	t.filter = f
	t.apply(selected)
}

func (t *table) apply(selected string) {
	words := strings.Fields(strings.ToLower(t.filter))
	t.rows = t.rows[:0:0]
	for _, r := range t.all {
		text := r.text()
		ok := true
		for _, w := range words {
			if !strings.Contains(text, w) {
				ok = false
				break
			}
		}
		if ok {
			t.rows = append(t.rows, r)
		}
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
	return t.rows[t.cursor], true
}

// move moves the cursor by n rows, clamped.
func (t *table) move(n int) {
	t.cursor = max(0, min(len(t.rows)-1, t.cursor+n))
	t.moved = true
}

// widths fits the columns into width: a space between columns, columns
// dropped from the lowest priority up until the rest fit at their minimum,
// then spare width shared by flex. A dropped column gets width 0.
func (t table) widths(width int) []int {
	keep := make([]bool, len(t.cols))
	for i := range keep {
		keep[i] = true
	}
	need := func() int {
		n, cols := 0, 0
		for i, c := range t.cols {
			if keep[i] {
				n += c.min
				cols++
			}
		}
		return n + max(0, cols-1)
	}
	for need() > width {
		drop := -1
		for i, c := range t.cols {
			if keep[i] && (drop < 0 || c.priority < t.cols[drop].priority) {
				drop = i
			}
		}
		if drop < 0 {
			break
		}
		keep[drop] = false
	}
	wants := func() int {
		n, cols := 0, 0
		for i, c := range t.cols {
			if keep[i] {
				n += max(c.min, c.want)
				cols++
			}
		}
		return n + max(0, cols-1)
	}
	for wants() > width {
		drop := -1
		for i, c := range t.cols {
			if keep[i] && c.optional && (drop < 0 || c.priority < t.cols[drop].priority) {
				drop = i
			}
		}
		if drop < 0 {
			break
		}
		keep[drop] = false
	}
	ws := make([]int, len(t.cols))
	spare, flex := width-need(), 0
	for i, c := range t.cols {
		if keep[i] {
			ws[i] = c.min
			flex += c.flex
		}
	}
	if spare <= 0 || flex == 0 {
		return ws
	}
	given, first := 0, -1
	for i, c := range t.cols {
		if keep[i] && c.flex > 0 {
			add := spare * c.flex / flex
			ws[i] += add
			given += add
			if first < 0 {
				first = i
			}
		}
	}
	ws[first] += spare - given // what integer division left over
	return ws
}

// render draws the header and as many rows as fit in height lines.
func (t table) render(st Styles, width, height int) string {
	if height <= 0 || width <= 0 {
		return ""
	}
	ws := t.widths(width)
	lines := []string{st.Header.Render(joinCells(headerCells(t.cols), ws, t.cols))}
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
		cells := t.rows[i].cells
		if i == t.cursor {
			plain := make([]string, len(cells))
			for j, c := range cells {
				plain[j] = ansi.Strip(c)
			}
			line := joinCells(plain, ws, t.cols)
			lines = append(lines, st.Selected.Render(pad(line, width)))
			continue
		}
		lines = append(lines, joinCells(cells, ws, t.cols))
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

func headerCells(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.title
	}
	return out
}

// joinCells fits each cell to its column's width and joins them.
func joinCells(cells []string, ws []int, cols []column) string {
	var b strings.Builder
	first := true
	for i, w := range ws {
		if w == 0 {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		cell := ""
		if i < len(cells) {
			cell = cells[i]
		}
		b.WriteString(fit(cell, w, cols[i].right))
	}
	return b.String()
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
