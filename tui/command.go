package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/opsdrag/opsdrag/model"
)

// The command line (":"), as in k9s and vim: a pane by name, ":since 30d",
// ":sort fails", ":filter text", ":broken", ":all", ":refresh", ":help",
// ":q". tab completes a command.

// paneAliases are the other names a pane answers to on the command line.
func paneAliases(name string) []string {
	switch name {
	case "Pipelines":
		return []string{"pipes", "pipeline", "pl"}
	case "Infra PRs":
		return []string{"prs", "pr", "pulls", "infra"}
	case "Checklist":
		return []string{"plan", "list"}
	}
	return nil
}

// commandSuggestions are what tab completes on the command line.
func (a *App) commandSuggestions() []string {
	var s []string
	for _, p := range a.panes {
		s = append(s, strings.ToLower(p.name()))
		s = append(s, paneAliases(p.name())...)
	}
	return append(s, "since 7d", "since 30d", "since friday", "sort", "filter ", "broken", "all", "refresh", "help", "quit")
}

// startCommand opens the command line.
func (a *App) startCommand() tea.Cmd {
	a.commanding = true
	a.command.SetValue("")
	a.command.SetSuggestions(a.commandSuggestions())
	return a.command.Focus()
}

func (a *App) handleCommandKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch msg.String() {
	case "esc":
		a.commanding = false
		a.command.Blur()
		return a, nil
	case "enter":
		a.commanding = false
		a.command.Blur()
		return a, a.run(a.command.Value())
	}
	var cmd tea.Cmd
	a.command, cmd = a.command.Update(msg)
	return a, cmd
}

// run carries out one command line.
func (a *App) run(line string) tea.Cmd {
	verb, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	verb, arg = strings.ToLower(verb), strings.TrimSpace(arg)
	if verb == "" {
		return nil
	}
	if i, ok := a.paneByName(strings.ToLower(strings.TrimSpace(line))); ok {
		a.detail, a.showHelp = nil, false
		a.focus(i)
		return nil
	}
	switch verb {
	case "q", "q!", "quit", "exit":
		return a.quit()
	case "r", "refresh", "reload":
		return a.refresh()
	case "help", "h":
		a.showHelp = true
		return nil
	case "since", "window":
		return a.setSince(arg)
	case "sort":
		a.sortBy(arg)
		return nil
	case "filter", "f":
		a.tables[a.active].setFilter(arg)
		a.clampScroll()
		return nil
	case "broken":
		a.setBrokenOnly(true)
		return nil
	case "all":
		a.setBrokenOnly(false)
		a.tables[a.active].setFilter("")
		a.clampScroll()
		return nil
	}
	a.setFlash(fmt.Sprintf("unknown command %q: try :triage, :since 30d, :sort fails, :filter text, :broken, :q (? lists the keys)", line))
	return nil
}

// paneByName finds a pane by its name, an alias, its number or a prefix
// only one pane's name starts with.
func (a *App) paneByName(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	match := -1
	for i, p := range a.panes {
		names := append([]string{strings.ToLower(p.name()), fmt.Sprint(i + 1)}, paneAliases(p.name())...)
		for _, n := range names {
			if n == s {
				return i, true
			}
			if strings.HasPrefix(n, s) {
				if match >= 0 && match != i {
					return 0, false // ambiguous
				}
				match = i
			}
		}
	}
	return match, match >= 0
}

// setSince changes the window to start at s (as --since) and refreshes.
func (a *App) setSince(s string) tea.Cmd {
	if s == "" {
		w := a.snap.Window.In(a.opts.Team.Loc())
		a.setFlash("window: " + w.String() + " (:since 30d, :since friday, :since 72h changes it)")
		return nil
	}
	loc := a.opts.Team.Loc()
	if _, err := model.ParseSince(s, a.opts.Now(), loc); err != nil {
		a.setFlash(strings.Replace(err.Error(), "--since", ":since", 1))
		return nil
	}
	a.window = func(now time.Time) model.Window {
		since, _ := model.ParseSince(s, now, loc) // checked above
		return model.Window{Since: since, Until: now}
	}
	a.setFlash("window set to since " + s + ": refreshing")
	return a.refresh()
}

// sortBy sorts the pane by the column whose title starts with arg
// ("fails", "since desc"); "" or "off" returns to the pane's own order.
func (a *App) sortBy(arg string) {
	t := &a.tables[a.active]
	if !a.panes[a.active].can().sort {
		a.setFlash(a.panes[a.active].name() + " keeps its own order")
		return
	}
	words := strings.Fields(strings.ToLower(arg))
	if len(words) == 0 || words[0] == "off" || words[0] == "none" {
		t.sortBy(-1, false)
		return
	}
	col := -1
	for i, c := range t.cols {
		if c.title != "" && strings.HasPrefix(strings.ToLower(c.title), words[0]) {
			col = i
			break
		}
	}
	if col < 0 {
		var titles []string
		for _, c := range t.cols {
			if c.title != "" {
				titles = append(titles, strings.ToLower(c.title))
			}
		}
		a.setFlash(fmt.Sprintf("no column %q here: sort by %s", words[0], strings.Join(titles, ", ")))
		return
	}
	desc := t.numeric(col)
	if len(words) > 1 {
		desc = words[1] == "desc" || words[1] == "down"
	}
	t.sortBy(col, desc)
}
