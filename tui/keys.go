package tui

import "charm.land/bubbles/v2/key"

// keyMap is every binding of the app; it feeds the help views.
type keyMap struct {
	Next, Prev                key.Binding
	Pane                      key.Binding
	Up, Down, Move            key.Binding
	Top, Bottom               key.Binding
	PageUp, PageDown          key.Binding
	Filter, ClearFilter       key.Binding
	Details, Back, Open, Mark key.Binding
	Note                      key.Binding
	Refresh, Help, Quit       key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Next:        key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "pane")),
		Prev:        key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "pane back")),
		Pane:        key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7"), key.WithHelp("1-7", "go to pane")),
		Up:          key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("k/↑", "up")),
		Down:        key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("j/↓", "down")),
		Move:        key.NewBinding(key.WithKeys("j", "k", "up", "down"), key.WithHelp("j/k", "move")),
		Top:         key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:      key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		PageUp:      key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back / clear filter")),
		Details:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
		Back:        key.NewBinding(key.WithKeys("esc", "enter", "backspace"), key.WithHelp("esc", "back")),
		Open:        key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open")),
		Mark:        key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "mark handled")),
		Note:        key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "note")),
		Refresh:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Help:        key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:        key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// ShortHelp is the one-line help at the bottom.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Next, k.Move, k.Filter, k.Details, k.Help, k.Quit, k.Open, k.Refresh}
}

// FullHelp is the help overlay, one column per group.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Next, k.Prev, k.Pane, k.Refresh, k.Help, k.Quit},
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		{k.Filter, k.ClearFilter, k.Details, k.Open, k.Mark, k.Note},
	}
}
