package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
)

// keyMap is every binding of the app. The keys follow the TUIs on-call
// engineers already use (k9s, gh-dash, lazygit): j/k, g/G, / and !
// filters, : commands, s to sort, y to copy.
type keyMap struct {
	Next, Prev, Pane key.Binding
	Up, Down         key.Binding
	Top, Bottom      key.Binding
	PageUp, PageDown key.Binding

	Filter, Inverse, ClearFilter key.Binding
	Sort, SortReverse, Broken    key.Binding
	Details, Open, Copy, Copy2   key.Binding
	Mark, Note                   key.Binding

	// In a detail view: the next or previous item of the list, scrolling
	// and going back to it.
	NextItem, PrevItem     key.Binding
	ScrollDown, ScrollUp   key.Binding
	Back                   key.Binding
	Command, Refresh, Help key.Binding
	Quit                   key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Next:        key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		Prev:        key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		Pane:        key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7"), key.WithHelp("1-7", "go to pane")),
		Up:          key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("k/↑", "up")),
		Down:        key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("j/↓", "down")),
		Top:         key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:      key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		PageUp:      key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup/ctrl+u", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn/ctrl+d", "page down")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Inverse:     key.NewBinding(key.WithKeys("!"), key.WithHelp("!", "filter out")),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Sort:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		SortReverse: key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
		Broken:      key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "broken only")),
		Details:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
		Open:        key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open")),
		Copy:        key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy link")),
		Copy2:       key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy name")),
		Mark:        key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "mark")),
		Note:        key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "note")),
		NextItem:    key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("j/↓", "next item")),
		PrevItem:    key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("k/↑", "previous item")),
		ScrollDown:  key.NewBinding(key.WithKeys("pgdown", "ctrl+d", "ctrl+e"), key.WithHelp("pgdn/ctrl+d", "scroll down")),
		ScrollUp:    key.NewBinding(key.WithKeys("pgup", "ctrl+u", "ctrl+y"), key.WithHelp("pgup/ctrl+u", "scroll up")),
		Back:        key.NewBinding(key.WithKeys("esc", "enter", "backspace"), key.WithHelp("esc", "back")),
		Command:     key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "command")),
		Refresh:     key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "refresh")),
		Help:        key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:        key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// help groups the keys that work in one view, most useful first: the footer
// shows as many as fit, in this order; ? shows them all.
type helpGroups struct {
	// footer is in priority order; help and quit are always shown.
	footer []key.Binding
	// all are the help overlay's columns.
	all [][]key.Binding
}

// enabled keeps the bindings that are on.
func enabled(bs ...key.Binding) []key.Binding {
	var out []key.Binding
	for _, b := range bs {
		if b.Enabled() {
			out = append(out, b)
		}
	}
	return out
}

// with returns b enabled when on, with desc as its help text when given.
func with(b key.Binding, on bool, desc string) key.Binding {
	if desc != "" {
		b.SetHelp(b.Help().Key, desc)
	}
	b.SetEnabled(on)
	return b
}

// footerLine draws as many of the bindings as fit in width, in order,
// always ending with the last two (help and quit).
func footerLine(st Styles, bs []key.Binding, width int) string {
	item := func(b key.Binding) string {
		return st.HelpKey.Render(b.Help().Key) + " " + st.Help.Render(b.Help().Desc)
	}
	const sep = "  "
	if len(bs) < 2 {
		var parts []string
		for _, b := range bs {
			parts = append(parts, item(b))
		}
		return strings.Join(parts, sep)
	}
	tail := []string{item(bs[len(bs)-2]), item(bs[len(bs)-1])}
	room := width - ansi.StringWidth(strings.Join(tail, sep)) - len(sep)
	var head []string
	used := 0
	for _, b := range bs[:len(bs)-2] {
		s := item(b)
		w := ansi.StringWidth(s) + len(sep)
		if used+w > room {
			break // strictly in order: a later key never shows before an earlier one
		}
		head = append(head, s)
		used += w
	}
	return strings.Join(append(head, tail...), sep)
}

// keysHere are the keys that work in the current view, and only those:
// o and y only on a row with a link, space only where it marks, s and b
// only on panes that sort and have broken rows.
func (a *App) keysHere() helpGroups {
	k := a.keys
	t := a.tables[a.active]
	can := a.panes[a.active].can()
	r, ok := t.selected()
	hasURL := ok && r.url != ""
	if a.detail != nil {
		hasURL = a.detail.url != ""
	}
	open := with(k.Open, hasURL, "open")
	copyLink := with(k.Copy, hasURL, "")
	copyName := with(k.Copy2, ok, "")
	mark := with(k.Mark, can.mark != "" && ok && !r.inert, can.mark)
	note := with(k.Note, can.note && ok && !r.inert, "")
	pane := with(k.Next, true, "pane")

	if a.detail != nil {
		back := with(k.Back, true, "back")
		several := len(t.rows) > 1
		long := a.detail.overflows(a.width, a.bodyHeight())
		// In the footer, j and k share one entry.
		items := with(k.NextItem, several, "next/prev")
		items.SetHelp("j/k", "next/prev")
		return helpGroups{
			footer: enabled(back, items, mark, note, open, copyLink, with(k.ScrollDown, long, "scroll"), pane, k.Help, k.Quit),
			all: [][]key.Binding{
				enabled(back, with(k.NextItem, several, ""), with(k.PrevItem, several, ""),
					with(k.ScrollDown, long, ""), with(k.ScrollUp, long, ""), with(k.Top, long, ""), with(k.Bottom, long, "")),
				enabled(mark, note, open, copyLink, copyName),
				enabled(k.Next, k.Prev, k.Pane, k.Command, k.Refresh, k.Help, k.Quit),
			},
		}
	}
	details := with(k.Details, ok && r.detail != nil, "")
	broken := with(k.Broken, can.broken, "broken only")
	if a.brokenOnly {
		broken = with(k.Broken, can.broken, "show all")
	}
	sort := with(k.Sort, can.sort && len(t.all) > 1, "")
	clear := with(k.ClearFilter, t.filter != "", "")
	return helpGroups{
		footer: enabled(details, mark, note, open, copyLink, k.Refresh, k.Filter, sort, broken, pane, k.Command, k.Help, k.Quit),
		all: [][]key.Binding{
			enabled(k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown),
			enabled(details, mark, note, open, copyLink, copyName),
			enabled(k.Filter, k.Inverse, clear, sort, with(k.SortReverse, sort.Enabled(), ""), broken),
			enabled(k.Next, k.Prev, k.Pane, k.Command, k.Refresh, k.Help, k.Quit),
		},
	}
}
