package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite" // the pure-Go "sqlite" driver: no cgo, so release builds cross-compile
	sqlite3 "modernc.org/sqlite/lib"
)

// maxConns bounds the connections one process holds on a SQLite file:
// SQLite serialises writers anyway, and readers in WAL mode need few.
const maxConns = 4

// openSQLite opens the history file at path, creating it (and its
// directory) when missing. A new directory is created 0700 and a new file
// 0600; existing ones keep the mode their owner gave them.
func openSQLite(path string, o options) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &Error{Op: "open", Path: path, Err: err}
	}
	dir := filepath.Dir(abs)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, &Error{Op: "create its directory", Path: abs, Err: err, Hint: "check the parent directory's permissions, or run with --no-store"}
	}
	if err := createFile(abs); err != nil {
		return nil, &Error{Op: "create the file", Path: abs, Err: err, Hint: "check the directory's permissions, or run with --no-store"}
	}
	db, err := sql.Open("sqlite", dsn(abs, o.busyTimeout))
	if err != nil {
		return nil, &Error{Op: "open", Path: abs, Err: err}
	}
	db.SetMaxOpenConns(maxConns)
	s := &Store{db: db, path: abs, busy: o.busyTimeout}
	migrations := o.migrations
	if migrations == nil {
		migrations = sqliteSchema()
	}
	if err := s.initSQLite(context.Background(), migrations); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// createFile creates path 0600 when it does not exist. SQLite would create
// it with 0644 less the umask, readable by everyone on the machine; an empty
// file is a valid empty database, so SQLite takes it from here. An existing
// file is left alone, whatever its mode.
func createFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// dsn builds the driver's connection string. The _pragma settings apply to
// every pooled connection; _txlock=immediate makes write transactions take
// the write lock when they begin, so a writer waits under the busy timeout
// instead of failing at its first write when another process got there
// first. Read-only transactions stay deferred and never block writers.
// mode=rw: the file was created above with the right mode, and SQLite must
// not re-create it with its own should it vanish in between.
func dsn(path string, busy time.Duration) string {
	q := url.Values{}
	q.Set("mode", "rw")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path // a Windows drive letter
	}
	return u.String()
}

// initSQLite checks the file is an opsdrag history database this binary
// can read, then switches it to WAL and migrates it. Every check reads
// only, so a file that is refused is left byte for byte as it was.
func (s *Store) initSQLite(ctx context.Context, migrations []migration) error {
	const op = "open"
	h, err := s.header(ctx)
	if err != nil {
		return s.fail(op, err)
	}
	switch {
	case h.appID != applicationID && (h.appID != 0 || h.tables > 0):
		return &Error{Op: op, Path: s.path, Kind: ErrForeign,
			Err:  fmt.Errorf("it holds %d tables but not opsdrag's marker", h.tables),
			Hint: "point opsdrag's history at another file; this one was left unchanged"}
	case h.version > len(migrations):
		return tooNew(op, s.path, h.version, len(migrations), "the file")
	}
	mode, err := s.switchToWAL(ctx)
	if err != nil {
		return s.fail("switch to WAL", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return &Error{Op: "switch to WAL", Path: s.path,
			Err:  fmt.Errorf("SQLite kept journal mode %q", mode),
			Hint: "keep the history on a local disk (WAL does not work on network file systems), or run with --no-store"}
	}
	return s.migrate(ctx, migrations, s.applySQLite)
}

// tooNew is the refusal of a store a newer opsdrag wrote.
func tooNew(op, path string, version, known int, what string) error {
	return &Error{Op: op, Path: path, Kind: ErrTooNew,
		Err:  fmt.Errorf("its schema version is %d; this opsdrag knows versions up to %d", version, known),
		Hint: "upgrade opsdrag to use it; " + what + " was left unchanged"}
}

// switchToWAL sets the write-ahead log. Leaving the rollback journal needs
// the file to itself, and SQLite answers BUSY at once, without its busy
// handler, when another process holds it at that moment (two opsdrags
// opening a new history together): so it is retried for the busy timeout.
func (s *Store) switchToWAL(ctx context.Context) (string, error) {
	deadline := time.Now().Add(s.busy)
	for {
		var mode string
		err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode)
		var se *sqlite.Error
		busy := errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_BUSY || se.Code()&0xff == sqlite3.SQLITE_LOCKED)
		if !busy || time.Now().After(deadline) {
			return mode, err
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

type header struct {
	version, appID, tables int
}

// header reads the schema version, the application id and how many tables
// the file holds. Reading the header is also where SQLite notices a file
// that is not a database or is shorter than its header says.
//
// The three are read in one transaction: another process may be creating
// the schema at this moment, and reading its tables after its marker was
// read (before it committed) would take a file it is creating for a
// foreign one.
func (s *Store) header(ctx context.Context) (header, error) {
	var h header
	err := s.read(ctx, func(tx txn) error {
		if err := tx.queryRow(ctx, "PRAGMA user_version").Scan(&h.version); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, "PRAGMA application_id").Scan(&h.appID); err != nil {
			return err
		}
		return tx.queryRow(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'").Scan(&h.tables)
	})
	return h, err
}

// applySQLite runs m unless the file is already at version or later. The
// write transaction is immediate, so the version read again inside it is
// the one m would change.
func (s *Store) applySQLite(ctx context.Context, version int, m migration) error {
	var current int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return err
	}
	if current >= version {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return err
	}
	if current >= version {
		return nil
	}
	if current != version-1 {
		return fmt.Errorf("the file is at schema version %d, expected %d", current, version-1)
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	// PRAGMA takes no bound parameters; version is an int we computed.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
		return err
	}
	return tx.Commit()
}

// checkPages runs SQLite's full integrity check.
func (s *Store) checkPages(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return s.fail("check", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return s.fail("check", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return s.fail("check", err)
	}
	if len(problems) > 0 {
		return &Error{Op: "check", Path: s.path, Kind: ErrCorrupt,
			Err: errors.New(strings.Join(problems, "; ")), Hint: corruptHint}
	}
	return nil
}

// classifySQLite names the kind of a SQLite failure and what to do.
func classifySQLite(e *Error, err error) {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return
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
}
