// Package applog is opsdrag's log: a rotating file in the state directory,
// readable by its owner only, that says what each refresh did (and, with
// --debug, every HTTP request: method, path, status, duration and the
// rate-limit headers). It never holds a token or a header that carries one,
// and it never writes to the terminal, which the interface owns.
package applog

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"gopkg.in/natefinch/lumberjack.v2"

	"github.com/opsdrag/opsdrag/config"
)

// FileName is the log's name in the state directory.
const FileName = "opsdrag.log"

// Rotation: a file is rotated at maxSizeMB; maxBackups rotated files are
// kept, none older than maxAgeDays. At most some 20 MB in all, enough for a
// week of --debug refreshes of a large organisation.
const (
	maxSizeMB  = 5
	maxBackups = 3
	maxAgeDays = 28
)

// Path is where opsdrag writes its log: $XDG_STATE_HOME/opsdrag/opsdrag.log
// (beside the history); "" when there is no home directory to put it in.
func Path() string {
	dir := config.StateDir()
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, FileName)
}

// Log is an open log file and the logger that writes to it.
type Log struct {
	*slog.Logger
	file io.Closer
}

// Open starts logging to the file at path, creating it 0600 (and its
// directory 0700), or tightening an existing file to 0600. Records below
// info are dropped unless debug is set. Writing never fails a caller: a log
// that stops being writable (a full disk) loses lines, nothing else.
func Open(path string, debug bool) (*Log, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create the log's directory: %w", err)
	}
	// lumberjack creates a new file 0600 but opens an existing one as it
	// finds it: make sure it is private before the first line.
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open the log: %w", err)
	}
	err = f.Chmod(0o600)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("make the log private: %w", err)
	}
	file := &lumberjack.Logger{Filename: path, MaxSize: maxSizeMB, MaxBackups: maxBackups, MaxAge: maxAgeDays}
	return &Log{Logger: New(file, debug), file: file}, nil
}

// New returns a logger that writes redacted text records to w: info and
// above, or everything when debug is set.
func New(w io.Writer, debug bool) *slog.Logger {
	level := slog.LevelInfo
	if debug {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: redactAttr}))
}

// Close flushes and closes the file.
func (l *Log) Close() error { return l.file.Close() }

// Discard is a logger that keeps nothing, for when there is no log.
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// OrDiscard returns l, or Discard when l is nil.
func OrDiscard(l *slog.Logger) *slog.Logger {
	if l == nil {
		return Discard()
	}
	return l
}

// Enabled reports whether l writes records of level: callers skip building
// what would be dropped.
func Enabled(l *slog.Logger, level slog.Level) bool {
	return l != nil && l.Enabled(context.Background(), level)
}
