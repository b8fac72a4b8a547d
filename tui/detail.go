package tui

import (
	"fmt"
	"strings"
)

// detailView shows one row's details, scrollable.
type detailView struct {
	// key is the row's, so the view follows its row's data.
	key string
	// name is what Y copies.
	name   string
	title  string
	url    string
	render func(width int) string
	offset int
}

// lines renders the detail at width.
func (d *detailView) lines(width int) []string {
	return strings.Split(d.render(width), "\n")
}

// rows is how many content lines fit in height: all of it, or one less to
// leave room for the "more lines" indicator when the content overflows.
func rows(total, height int) int {
	if total > height {
		return max(1, height-1)
	}
	return height
}

// scroll moves the view by n lines within the content.
func (d *detailView) scroll(n, width, height int) {
	total := len(d.lines(width))
	d.offset = max(0, min(d.offset+n, total-rows(total, height)))
}

// view returns the lines to draw in width × height, with an indicator of
// what is left below when the content overflows.
func (d *detailView) view(st Styles, width, height int) []string {
	lines := d.lines(width)
	visible := rows(len(lines), height)
	off := max(0, min(d.offset, len(lines)-visible))
	end := min(len(lines), off+visible)
	out := append([]string(nil), lines[off:end]...)
	if len(lines) > height {
		more := st.Muted.Render("(end — pgup/ctrl+u to scroll up)")
		if rest := len(lines) - end; rest > 0 {
			noun := "lines"
			if rest == 1 {
				noun = "line"
			}
			more = st.Muted.Render(fmt.Sprintf("… %d more %s (pgdn/ctrl+d to scroll)", rest, noun))
		}
		out = append(out, more)
	}
	return out
}

// overflows reports whether the content is taller than height.
func (d *detailView) overflows(width, height int) bool {
	return len(d.lines(width)) > height
}
