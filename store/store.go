// Package store is opsdrag's memory: an embedded SQLite database that keeps
// every saved snapshot with its drag figures, the alarm transitions and
// pipeline failures the APIs forget after a few weeks, and the Monday-triage
// marks. It is written so that two opsdrag processes can share one file, a
// crash loses nothing committed, and a damaged or unfamiliar file is refused
// and left exactly as it was.
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

// DefaultBusyTimeout is how long a write waits for another opsdrag process
// to finish its own before giving up with ErrLocked.
const DefaultBusyTimeout = 5 * time.Second

// maxConns bounds the connections one process holds: SQLite serialises
// writers anyway, and readers in WAL mode need few.
const maxConns = 4

// Store is an open history database. It is safe for concurrent use by
// several goroutines, and several processes may open the same file.
type Store struct {
	db   *sql.DB
	path string
	// busy is how long to wait for another process's lock.
	busy time.Duration
}

// options are the knobs tests turn; Open uses the defaults.
type options struct {
	busyTimeout time.Duration
	migrations  []migration
}

// Open opens the history database at path, creating it (and its directory)
// when missing, and brings its schema up to date. A new directory is created
// 0700 and a new file 0600; existing ones keep the mode their owner gave
// them. A damaged, foreign, locked or newer-than-known file gives an *Error
// and is never changed.
func Open(path string) (*Store, error) {
	return openWith(path, options{busyTimeout: DefaultBusyTimeout, migrations: schema()})
}

func openWith(path string, o options) (*Store, error) {
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
	if err := s.init(context.Background(), o.migrations); err != nil {
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

// init checks the file is an opsdrag history database this binary can read,
// then switches it to WAL and migrates it. Every check reads only, so a file
// that is refused is left byte for byte as it was.
func (s *Store) init(ctx context.Context, migrations []migration) error {
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
		return &Error{Op: op, Path: s.path, Kind: ErrTooNew,
			Err:  fmt.Errorf("its schema version is %d; this opsdrag knows versions up to %d", h.version, len(migrations)),
			Hint: "upgrade opsdrag to use it; the file was left unchanged"}
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
	return s.migrate(ctx, migrations)
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
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return h, err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&h.version); err != nil {
		return h, err
	}
	if err := tx.QueryRowContext(ctx, "PRAGMA application_id").Scan(&h.appID); err != nil {
		return h, err
	}
	err = tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'").Scan(&h.tables)
	return h, err
}

// Path is the database file's absolute path.
func (s *Store) Path() string { return s.path }

// Close closes the database. The last process to close it folds the
// write-ahead log back into the file.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return s.fail("close", err)
	}
	return nil
}

// Check runs SQLite's full integrity check, for `opsdrag history --check`
// and for tests. It reads the whole file, so it is not run on every open.
func (s *Store) Check(ctx context.Context) error {
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
