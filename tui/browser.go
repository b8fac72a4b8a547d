package tui

import (
	"fmt"
	"net/url"
	"os/exec"
	"runtime"

	tea "charm.land/bubbletea/v2"
)

// openedMsg reports how opening a URL went.
type openedMsg struct {
	url string
	err error
}

// openCmd opens u in the browser off the event loop. Only http(s) URLs are
// opened: links come from remote data and must not launch anything else.
func (a *App) openCmd(u string) tea.Cmd {
	open := a.opts.OpenURL
	return func() tea.Msg {
		if err := checkURL(u); err != nil {
			return openedMsg{url: u, err: err}
		}
		return openedMsg{url: u, err: open(u)}
	}
}

func checkURL(u string) error {
	if u == "" {
		return fmt.Errorf("nothing to open: this row has no link")
	}
	parsed, err := url.Parse(u)
	if err != nil || (parsed.Scheme != "https" && parsed.Scheme != "http") || parsed.Host == "" {
		return fmt.Errorf("refusing to open %q: not an http(s) link", u)
	}
	return nil
}

// openURL starts the platform's URL opener without a shell.
func openURL(u string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", u)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	default:
		cmd = exec.Command("xdg-open", u)
	}
	// Run, not Start: this is already off the event loop, and waiting reaps
	// the opener (which returns as soon as the browser has the link).
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("open %s: %w (copy the link from the details view instead)", u, err)
	}
	return nil
}
