package store

import (
	"context"
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Kinds of failure a caller may want to tell apart, with errors.Is: the
// history can then be skipped with a warning instead of stopping opsdrag.
var (
	// ErrCorrupt means the file is not a SQLite database or is damaged.
	ErrCorrupt = errors.New("the history database is damaged or is not a SQLite database")
	// ErrLocked means another process held the database longer than the
	// busy timeout.
	ErrLocked = errors.New("the history database is locked by another process")
	// ErrTooNew means a newer opsdrag wrote the database.
	ErrTooNew = errors.New("the history database was written by a newer opsdrag")
	// ErrForeign means the file is a SQLite database opsdrag did not create.
	ErrForeign = errors.New("the file is a SQLite database that opsdrag did not create")
)

const corruptHint = "nothing was changed: move the file aside (with any -wal and -shm files next to it) and opsdrag will start a new one, or run with --no-store"

// Error is a failure of the history store: what was being done, to which
// file, what went wrong and what to do next.
type Error struct {
	// Op is what was being done, e.g. "save a snapshot".
	Op   string
	Path string
	// Kind is one of the Err* values, or nil for other failures.
	Kind error
	// Err is the cause.
	Err error
	// Hint says what to do next.
	Hint string
}

// Error formats the failure for people.
func (e *Error) Error() string {
	msg := "history " + e.Path + ": " + e.Op + ": "
	switch {
	case e.Kind != nil && e.Err != nil:
		msg += e.Kind.Error() + " (" + e.Err.Error() + ")"
	case e.Kind != nil:
		msg += e.Kind.Error()
	case e.Err != nil:
		msg += e.Err.Error()
	}
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

// Unwrap returns the kind and the cause, for errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	var out []error
	for _, err := range []error{e.Kind, e.Err} {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// fail describes err, a failure while doing op, in terms a user can act on.
func (s *Store) fail(op string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("history %s: %s: %w", s.path, op, err)
	}
	e := &Error{Op: op, Path: s.path, Err: err}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return e
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		e.Kind, e.Hint = ErrCorrupt, corruptHint
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		e.Kind, e.Hint = ErrLocked, "another opsdrag is probably writing to it: retry in a moment, or run with --no-store"
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_AUTH:
		e.Hint = "check that you can read and write the file and its directory, or run with --no-store"
	case sqlite3.SQLITE_FULL:
		e.Hint = "free some disk space, or run with --no-store"
	case sqlite3.SQLITE_IOERR:
		e.Hint = "check the disk, or run with --no-store"
	}
	return e
}
