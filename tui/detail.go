package tui

import (
	"strings"
)

// detailView shows one row's details, scrollable.
type detailView struct {
	title  string
	url    string
	render func(width int) string
	offset int
}

// lines renders the detail at width.
func (d *detailView) lines(width int) []string {
	return strings.Split(d.render(width), "\n")
}

// scroll moves the view by n lines within the content.
func (d *detailView) scroll(n, width, height int) {
	total := len(d.lines(width))
	d.offset = max(0, min(d.offset+n, total-height))
}
