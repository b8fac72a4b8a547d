package main

import (
	"fmt"
	"log/slog"
	"runtime/debug"

	tea "charm.land/bubbletea/v2"
)

// panicsLogged wraps the interface so that a panic in it — on the event
// loop or in a command's goroutine — is written to the log with its stack,
// then goes on to Bubble Tea, which restores the terminal and prints it.
type panicsLogged struct {
	tea.Model
	log *slog.Logger
}

func (m panicsLogged) Init() tea.Cmd {
	defer m.logPanic()
	return m.wrap(m.Model.Init())
}

func (m panicsLogged) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer m.logPanic()
	next, cmd := m.Model.Update(msg)
	return panicsLogged{Model: next, log: m.log}, m.wrap(cmd)
}

func (m panicsLogged) View() tea.View {
	defer m.logPanic()
	return m.Model.View()
}

// logPanic, deferred, logs a panic under way and lets it go on.
func (m panicsLogged) logPanic() {
	if r := recover(); r != nil {
		m.log.Error("the interface panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		panic(r)
	}
}

// wrap logs a panic in cmd, which runs on a goroutine of its own, and in
// the commands of the batch it returns.
func (m panicsLogged) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		defer m.logPanic()
		msg := cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			for i := range batch {
				batch[i] = m.wrap(batch[i])
			}
		}
		return msg
	}
}
