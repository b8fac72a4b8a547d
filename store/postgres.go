package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// pgMaxConns bounds the connections one process holds on a shared
// database: one refresh writes in one transaction, readers need few, and a
// team's processes together must stay far below max_connections.
const pgMaxConns = 4

// pgLockClass is the first key of every advisory lock opsdrag takes
// ("opsd"); the second is a hash of the schema and the lock's purpose, so
// two stores in two schemas of one database never wait for each other.
const pgLockClass = 0x6f707364

// Purposes of advisory locks.
const (
	lockMigrate = "migrate"
	lockSave    = "save"
	lockCollect = "collect"
)

const pgCorruptHint = "nothing was changed: have the database's administrator check it (its server log names the damage), or run with --no-store"

// openPostgres connects to the database rawURL names. lock_timeout is the
// busy timeout (unless the URL sets its own), so a write that waits for
// another opsdrag gives up as SQLite's would; application_name shows
// opsdrag's sessions in pg_stat_activity.
func openPostgres(rawURL string, o options) (*Store, error) {
	where := RedactURL(rawURL)
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		// pgx's message may quote the URL, password and all: say only
		// what is wrong with its shape.
		return nil, &Error{Op: "open", Path: where, Err: errors.New("the URL cannot be read as a PostgreSQL connection URL"),
			Hint: "write it as postgres://USER@HOST:PORT/DATABASE?sslmode=verify-full (docs/store.md)"}
	}
	if _, set := cfg.RuntimeParams["lock_timeout"]; !set {
		cfg.RuntimeParams["lock_timeout"] = strconv.FormatInt(o.busyTimeout.Milliseconds(), 10)
	}
	if _, set := cfg.RuntimeParams["application_name"]; !set {
		cfg.RuntimeParams["application_name"] = "opsdrag"
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(pgMaxConns)
	db.SetConnMaxIdleTime(time.Minute)
	s := &Store{db: db, pg: true, path: where, busy: o.busyTimeout}
	migrations := o.migrations
	if migrations == nil {
		migrations = postgresSchema()
	}
	if err := s.initPostgres(context.Background(), migrations); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// RedactURL returns a PostgreSQL URL without its password (in the user
// part or a password parameter), fit for errors and logs.
func RedactURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(a PostgreSQL URL that cannot be parsed)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	for _, k := range []string{"password", "sslpassword"} {
		if q.Has(k) {
			q.Set(k, "REDACTED")
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// pgHeader is what a PostgreSQL store says about itself.
type pgHeader struct {
	schema  sql.NullString
	tables  int
	marked  bool
	app     string
	version int
}

// initPostgres checks the schema is an opsdrag store this binary can read
// and migrates it. The checks only read; a store at the current version is
// not written to at all, so a role that may only read and mark can open it.
func (s *Store) initPostgres(ctx context.Context, migrations []migration) error {
	const op = "open"
	var h pgHeader
	err := s.read(ctx, func(tx txn) error {
		var err error
		h, err = readPgHeader(ctx, tx)
		return err
	})
	if err != nil {
		return s.fail(op, err)
	}
	switch {
	case !h.schema.Valid:
		return &Error{Op: op, Path: s.path, Err: errors.New("no schema of the search_path exists"),
			Hint: "create the schema named by search_path (docs/store.md), or drop search_path from the URL"}
	case (!h.marked && h.tables > 0) || (h.marked && h.app != "opsdrag"):
		return &Error{Op: op, Path: s.path, Kind: ErrForeign,
			Err:  fmt.Errorf("schema %s holds %d tables but not opsdrag's marker", h.schema.String, h.tables),
			Hint: "give opsdrag a database or schema of its own (search_path in the URL, docs/store.md); nothing was changed"}
	case h.version > len(migrations):
		return tooNew(op, s.path, h.version, len(migrations), "the database")
	case h.version == len(migrations):
		return nil
	}
	return s.migrate(ctx, migrations, s.applyPostgres)
}

// readPgHeader reads the current schema, how many tables it holds, and
// opsdrag's marker in it: the application and the schema version.
func readPgHeader(ctx context.Context, tx txn) (pgHeader, error) {
	var h pgHeader
	err := tx.queryRow(ctx, `SELECT current_schema(),
		(SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()),
		to_regclass(quote_ident(current_schema()) || '.opsdrag_schema') IS NOT NULL`).Scan(&h.schema, &h.tables, &h.marked)
	if err != nil || !h.marked {
		return h, err
	}
	err = tx.queryRow(ctx, `SELECT application, version FROM opsdrag_schema`).Scan(&h.app, &h.version)
	if errors.Is(err, sql.ErrNoRows) {
		return h, nil
	}
	return h, err
}

// applyPostgres runs m unless the store is already at version or later.
// PostgreSQL runs DDL in transactions, so a step that fails leaves
// nothing; an advisory lock held to the commit makes two opsdrags that
// migrate at once take turns, and the version is read again under it.
func (s *Store) applyPostgres(ctx context.Context, version int, m migration) error {
	return s.writeTx(ctx, func(tx txn) error {
		if err := advisoryXactLock(ctx, tx, lockMigrate); err != nil {
			return err
		}
		h, err := readPgHeader(ctx, tx)
		if err != nil {
			return err
		}
		if h.version >= version {
			return nil
		}
		if h.version != version-1 {
			return fmt.Errorf("the database is at schema version %d, expected %d", h.version, version-1)
		}
		if _, err := tx.exec(ctx, m.sql); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO opsdrag_schema (only_row, application, version) VALUES (true, 'opsdrag', ?)
			ON CONFLICT (only_row) DO UPDATE SET version = excluded.version`, version)
		return err
	})
}

// writeTx runs f in a write transaction and commits it; errors are left
// for the caller to describe.
func (s *Store) writeTx(ctx context.Context, f func(txn) error) error {
	return s.inTx(ctx, nil, f)
}

// advisoryXactLock waits (under lock_timeout) for the transaction-level
// advisory lock of purpose in the current schema; the commit or rollback
// releases it.
func advisoryXactLock(ctx context.Context, tx txn, purpose string) error {
	_, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(?, hashtext(current_schema() || ':' || ?))`, pgLockClass, purpose)
	return err
}

// classifyPostgres names the kind of a PostgreSQL failure and what to do.
func classifyPostgres(e *Error, err error) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "55P03", "40001", "40P01": // lock_not_available, serialization_failure, deadlock_detected
			e.Kind, e.Hint = ErrLocked, "another opsdrag is probably writing to it: retry in a moment, or run with --no-store"
		case "42501": // insufficient_privilege
			e.Hint = "the database role lacks a grant opsdrag needs (docs/store.md lists them); after an opsdrag upgrade, open the store once as its owner role to apply the new schema step; or run with --no-store"
		case "28P01", "28000": // invalid_password, invalid_authorization_specification
			e.Hint = "check the user and password of store.url (or OPSDRAG_STORE_URL, or ~/.pgpass), or run with --no-store"
		case "3D000": // invalid_catalog_name
			e.Hint = "create the database first (docs/store.md), or fix its name in store.url"
		case "53100": // disk_full
			e.Hint = "the database server's disk is full: tell its administrator, or run with --no-store"
		case "57P01", "57P02", "57P03": // shutting down, crashed, cannot connect now
			e.Hint = "the database server is restarting: retry in a moment, or run with --no-store"
		case "XX001", "XX002": // data_corrupted, index_corrupted
			e.Kind, e.Hint = ErrCorrupt, pgCorruptHint
		}
		return
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) {
		e.Hint = "check the host and port of store.url (or OPSDRAG_STORE_URL), that the server is reachable from here, and its sslmode (docs/store.md); or run with --no-store"
	}
}
