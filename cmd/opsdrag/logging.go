package main

import (
	"fmt"
	"log"
	"log/slog"
	"os"
	"strings"

	"github.com/opsdrag/opsdrag/internal/applog"
)

// runLog is this run's log and how to close it.
type runLog struct {
	*slog.Logger
	close func()
}

// openLog starts this run's log in the state directory (applog.Path).
// Anything that logs through the standard library's default loggers goes
// there too, never to the terminal the interface draws on. A log that
// cannot be opened costs the run its log, nothing else: the reason comes
// back as a warning for the caller to show.
func openLog(g globalFlags) (runLog, string) {
	discard := runLog{Logger: applog.Discard(), close: func() {}}
	path := applog.Path()
	if path == "" {
		silenceStandardLog()
		return discard, ""
	}
	l, err := applog.Open(path, g.debug)
	if err != nil {
		silenceStandardLog()
		return discard, fmt.Sprintf("no log: %v", err)
	}
	slog.SetDefault(l.Logger) // also routes the standard library's log package
	l.Info("opsdrag started", "version", versionString(), "pid", os.Getpid(), "args", strings.Join(os.Args[1:], " "), "debug", g.debug)
	return runLog{Logger: l.Logger, close: func() {
		l.Info("opsdrag stopped")
		l.Close()
	}}, ""
}

// silenceStandardLog keeps the standard library's logger off the terminal
// when there is no log file to send it to.
func silenceStandardLog() {
	slog.SetDefault(applog.Discard())
	log.SetOutput(discardWriter{})
}

type discardWriter struct{}

func (discardWriter) Write(p []byte) (int, error) { return len(p), nil }
