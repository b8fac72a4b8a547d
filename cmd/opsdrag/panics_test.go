package main

import (
	"bytes"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/opsdrag/opsdrag/internal/applog"
)

// explodes is an interface with a bug: a key panics on the event loop,
// another in a command's goroutine, a third in a command of a batch.
type explodes struct{}

func (explodes) Init() tea.Cmd  { return nil }
func (explodes) View() tea.View { return tea.NewView("") }

func (e explodes) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(tea.KeyPressMsg).String() {
	case "u":
		panicOnTheEventLoop()
	case "c":
		return e, panicInACommand
	case "b":
		return e, tea.Batch(func() tea.Msg { return nil }, panicInACommand)
	}
	return e, nil
}

func panicOnTheEventLoop()      { panic("nil map on the event loop") }
func panicInACommand() tea.Msg  { panic("index out of range in a command") }
func repanics(f func()) (r any) { defer func() { r = recover() }(); f(); return nil }

// A panic in the interface reaches the log with its stack, wherever it
// happens, and still reaches Bubble Tea, which restores the terminal.
func TestAPanicInTheInterfaceIsLoggedWithItsStack(t *testing.T) {
	for key, where := range map[string]string{"u": "panicOnTheEventLoop", "c": "panicInACommand", "b": "panicInACommand"} {
		var log bytes.Buffer
		m := panicsLogged{Model: explodes{}, log: applog.New(&log, false)}
		r := repanics(func() {
			_, cmd := m.Update(tea.KeyPressMsg{Code: rune(key[0]), Text: key})
			for cmd != nil {
				msg := cmd()
				cmd = nil
				if batch, ok := msg.(tea.BatchMsg); ok {
					for _, c := range batch {
						c()
					}
				}
			}
		})
		if r == nil {
			t.Errorf("%s: the panic did not go on to Bubble Tea", key)
		}
		got := log.String()
		if !strings.Contains(got, "the interface panicked") || !strings.Contains(got, where) || !strings.Contains(got, "panics_test.go") {
			t.Errorf("%s: the log has no panic with its stack at %s:\n%s", key, where, got)
		}
	}
}
