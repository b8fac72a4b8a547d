package tui

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"runtime"

	tea "charm.land/bubbletea/v2"
)

// errNoBrowser says this machine cannot show a web page: an SSH session, a
// Linux box with no display, or no opener installed. The link is copied
// instead.
var errNoBrowser = errors.New("no browser")

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

// opened reports an opened link; when no browser could take it, the link
// is copied to the clipboard instead, which works over SSH and tmux.
func (a *App) opened(msg openedMsg) tea.Cmd {
	switch {
	case msg.err == nil:
		a.setFlash("opened " + msg.url)
		return nil
	case checkURL(msg.url) != nil:
		a.setFlash(msg.err.Error())
		return nil
	}
	a.setFlash(msg.err.Error() + ": link copied")
	return tea.SetClipboard(msg.url)
}

// copyCmd puts s on the clipboard through the terminal (OSC 52), which
// reaches the person's own clipboard through SSH and tmux.
func (a *App) copyCmd(what, s string) tea.Cmd {
	if s == "" {
		a.setFlash("nothing to copy: this row has no " + what)
		return nil
	}
	a.setFlash("copied " + what + ": " + s)
	return tea.SetClipboard(s)
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

// openURL starts the platform's URL opener without a shell, or says why
// there is no browser to open it in.
func openURL(u string) error {
	name, args := opener(u)
	if err := browserHere(os.Getenv, name); err != nil {
		return err
	}
	// Run, not Start: this is already off the event loop, and waiting reaps
	// the opener (which returns as soon as the browser has the link).
	if err := exec.Command(name, args...).Run(); err != nil {
		return fmt.Errorf("%w: %s failed (%v)", errNoBrowser, name, err)
	}
	return nil
}

// opener is the platform's command that opens a link.
func opener(u string) (string, []string) {
	switch runtime.GOOS {
	case "darwin":
		return "open", []string{u}
	case "windows":
		return "rundll32", []string{"url.dll,FileProtocolHandler", u}
	}
	return "xdg-open", []string{u}
}

// browserHere says why a link cannot be opened on this machine: the
// session is remote (the browser would open on the far side, if at all),
// no display is there to show it, or the opener is not installed.
func browserHere(getenv func(string) string, name string) error {
	if getenv("SSH_CONNECTION") != "" || getenv("SSH_TTY") != "" {
		return fmt.Errorf("%w (an SSH session)", errNoBrowser)
	}
	if runtime.GOOS == "linux" && getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return fmt.Errorf("%w (no display)", errNoBrowser)
	}
	if _, err := exec.LookPath(name); err != nil {
		return fmt.Errorf("%w (%s is not installed)", errNoBrowser, name)
	}
	return nil
}
