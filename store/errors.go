package store

import (
	"context"
	"errors"
	"fmt"
)

// Kinds of failure a caller may want to tell apart, with errors.Is: the
// history can then be skipped with a warning instead of stopping opsdrag.
var (
	// ErrCorrupt means the file is not a SQLite database or is damaged, or
	// the store holds rows that do not make sense.
	ErrCorrupt = errors.New("the history database is damaged (or the file is not a SQLite database)")
	// ErrLocked means another process held the database longer than the
	// busy timeout.
	ErrLocked = errors.New("the history database is locked by another process")
	// ErrTooNew means a newer opsdrag wrote the database.
	ErrTooNew = errors.New("the history database was written by a newer opsdrag")
	// ErrForeign means the file is a SQLite database, or the PostgreSQL
	// schema holds tables, that opsdrag did not create.
	ErrForeign = errors.New("the database holds tables that opsdrag did not create")
	// ErrCollectRunning means another opsdrag collect is saving to the
	// same store at this moment.
	ErrCollectRunning = errors.New("another opsdrag collect is running against this store")
)

const corruptHint = "nothing was changed: move the file aside (with any -wal and -shm files next to it) and opsdrag will start a new one, or run with --no-store"

// Error is a failure of the history store: what was being done, to which
// file or database, what went wrong and what to do next.
type Error struct {
	// Op is what was being done, e.g. "save a snapshot".
	Op string
	// Path is the SQLite file, or the PostgreSQL URL without its password.
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
	var known *Error
	if errors.As(err, &known) {
		return err
	}
	e := &Error{Op: op, Path: s.path, Err: err}
	if s.pg {
		classifyPostgres(e, err)
	} else {
		classifySQLite(e, err)
	}
	return e
}

// corruptHint is what to do about a damaged store.
func (s *Store) corruptHint() string {
	if s.pg {
		return pgCorruptHint
	}
	return corruptHint
}
