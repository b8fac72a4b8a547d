package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// txn is a transaction that speaks the store's dialect: queries are
// written once, with SQLite's ? placeholders (?1, ?2 to bind one argument
// twice), and rewritten to PostgreSQL's $1, $2 there.
type txn struct {
	tx *sql.Tx
	pg bool
}

func (t txn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, rebind(query, t.pg), args...)
}

func (t txn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, rebind(query, t.pg), args...)
}

func (t txn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, rebind(query, t.pg), args...)
}

// eachRow runs query with args in tx and calls f for every row.
func eachRow(ctx context.Context, tx txn, query string, args []any, f func(scanner) error) error {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t txn) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.tx.PrepareContext(ctx, rebind(query, t.pg))
}

// rebind rewrites ? placeholders as $n for PostgreSQL: ?N keeps its
// number, a bare ? takes the next. The store's queries hold no ? inside a
// string literal, so no quoting is tracked.
func rebind(query string, pg bool) string {
	if !pg || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		if c != '?' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(query) && query[j] >= '0' && query[j] <= '9' {
			j++
		}
		b.WriteByte('$')
		if j > i+1 {
			b.WriteString(query[i+1 : j])
			i = j - 1
			continue
		}
		n++
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// read runs f in a read-only transaction: one consistent view of the store
// that never waits for, or blocks, a writer. PostgreSQL's default gives
// each statement its own view, so a repeatable read is asked for.
func (s *Store) read(ctx context.Context, f func(txn) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.pg {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return s.inTx(ctx, opts, f)
}

// inTx runs f in a transaction with opts and commits it, or rolls it back
// when f fails.
func (s *Store) inTx(ctx context.Context, opts *sql.TxOptions, f func(txn) error) error {
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(txn{tx: tx, pg: s.pg}); err != nil {
		return err
	}
	return tx.Commit()
}

// write runs f in one write transaction, which waits for another writer
// under the busy timeout; a failure is described for people as op.
func (s *Store) write(ctx context.Context, op string, f func(txn) error) error {
	if err := s.inTx(ctx, nil, f); err != nil {
		return s.fail(op, err)
	}
	return nil
}
