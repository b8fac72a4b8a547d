// Package store is opsdrag's memory: every saved snapshot with its drag
// figures, the alarm transitions and pipeline failures the APIs forget
// after a few weeks, the Monday-triage marks and the migration plan's marks
// and notes, each with who set it and when.
//
// It keeps them in one of two databases: an embedded SQLite file on one
// machine (the default), or a PostgreSQL database a team shares. Both hold
// the same tables through their own versioned migrations, and behave the
// same: several opsdrag processes may use one store at once, a crash loses
// nothing committed, and a damaged, foreign or newer-than-known store is
// refused and left exactly as it was.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// DefaultBusyTimeout is how long a write waits for another opsdrag process
// to finish its own before giving up with ErrLocked.
const DefaultBusyTimeout = 5 * time.Second

// Store is an open history database. It is safe for concurrent use by
// several goroutines, and several processes may open the same store.
type Store struct {
	db *sql.DB
	// pg is true for PostgreSQL, false for SQLite: the two dialects differ
	// in placeholders, types and locks, and in nothing the callers see.
	pg bool
	// path is the SQLite file's absolute path, or the PostgreSQL URL
	// without its password: what errors name.
	path string
	// busy is how long to wait for another process's lock.
	busy time.Duration
}

// options are the knobs tests turn; Open uses the defaults.
type options struct {
	busyTimeout time.Duration
	// migrations replace the backend's own schema when not nil.
	migrations []migration
}

// Open opens the history: target is a postgres:// (or postgresql://) URL
// for a shared PostgreSQL database, or else the path of a SQLite file. The
// schema is brought up to date; a damaged, foreign, unreachable, locked or
// newer-than-known store gives an *Error and is never changed.
func Open(target string) (*Store, error) {
	return openWith(target, options{busyTimeout: DefaultBusyTimeout})
}

// IsURL reports whether target names a PostgreSQL database rather than a
// SQLite file.
func IsURL(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}

func openWith(target string, o options) (*Store, error) {
	if IsURL(target) {
		return openPostgres(target, o)
	}
	return openSQLite(target, o)
}

// Path is the SQLite file's absolute path, or the PostgreSQL URL without
// its password.
func (s *Store) Path() string { return s.path }

// Shared reports whether the store is a PostgreSQL database a team shares
// rather than a file on this machine.
func (s *Store) Shared() bool { return s.pg }

// Close closes the database. With SQLite, the last process to close it
// folds the write-ahead log back into the file.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return s.fail("close", err)
	}
	return nil
}

// Check verifies the whole store, for `opsdrag history --check` and for
// tests: SQLite's integrity check of every page (PostgreSQL checks its own
// pages), then, on both, that every snapshot holds all its sources and
// every saved source's data still decodes. It reads everything, so it is
// not run on every open.
func (s *Store) Check(ctx context.Context) error {
	if !s.pg {
		if err := s.checkPages(ctx); err != nil {
			return err
		}
	}
	var problems []string
	err := s.read(ctx, func(tx txn) error {
		var err error
		problems, err = checkRows(ctx, tx)
		return err
	})
	if err != nil {
		return s.fail("check", err)
	}
	if len(problems) > 0 {
		return &Error{Op: "check", Path: s.path, Kind: ErrCorrupt,
			Err: errors.New(strings.Join(problems, "; ")), Hint: s.corruptHint()}
	}
	return nil
}

// maxProblems bounds how many problems Check names.
const maxProblems = 10

// checkRows finds snapshots that lack some of their sources and saved data
// that no longer decodes.
func checkRows(ctx context.Context, tx txn) ([]string, error) {
	var problems []string
	rows, err := tx.query(ctx, `SELECT s.id, s.sources_total, count(src.snapshot_id) FROM snapshots s
		LEFT JOIN snapshot_sources src ON src.snapshot_id = s.id
		GROUP BY s.id, s.sources_total HAVING count(src.snapshot_id) <> s.sources_total ORDER BY s.id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var want, got int
		if err := rows.Scan(&id, &want, &got); err != nil {
			rows.Close()
			return nil, err
		}
		if len(problems) < maxProblems {
			problems = append(problems, fmt.Sprintf("snapshot %d holds %d of its %d sources", id, got, want))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.query(ctx, `SELECT snapshot_id, name, data FROM snapshot_sources WHERE data IS NOT NULL ORDER BY snapshot_id, position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name, data string
		if err := rows.Scan(&id, &name, &data); err != nil {
			return nil, err
		}
		if _, err := decodeData(data); err != nil && len(problems) < maxProblems {
			problems = append(problems, fmt.Sprintf("snapshot %d: the data of source %s does not decode (%v)", id, name, err))
		}
	}
	return problems, rows.Err()
}
