package store

import (
	"context"
	"errors"
)

// collectRunningHint says what a collect refused for another's should do.
const collectRunningHint = "it will save this collection: nothing was saved by this one (schedule collects further apart than one takes)"

// LockCollect takes the store's collect lock, so that two `opsdrag collect`
// runs started together (two schedulers, a retried job) never save the
// same collection twice: the second gets an error wrapping
// ErrCollectRunning at once. The lock is the session's: it is released by
// release, or by the server (PostgreSQL) or the kernel (SQLite) when the
// process dies, so a killed collect never leaves it held.
func (s *Store) LockCollect(ctx context.Context) (release func() error, err error) {
	const op = "take the collect lock"
	if s.pg {
		release, err = s.lockCollectPostgres(ctx)
	} else {
		release, err = lockFile(s.path + ".collect-lock")
	}
	if errors.Is(err, ErrCollectRunning) {
		return nil, &Error{Op: op, Path: s.path, Kind: ErrCollectRunning, Hint: collectRunningHint}
	}
	if err != nil {
		return nil, s.fail(op, err)
	}
	return release, nil
}

// lockCollectPostgres holds a session-level advisory lock on a connection
// of its own until release.
func (s *Store) lockCollectPostgres(ctx context.Context) (func() error, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	const key = `?, hashtext(current_schema() || ':' || ?)`
	var got bool
	if err := conn.QueryRowContext(ctx, rebind(`SELECT pg_try_advisory_lock(`+key+`)`, true), pgLockClass, lockCollect).Scan(&got); err != nil {
		conn.Close()
		return nil, err
	}
	if !got {
		conn.Close()
		return nil, ErrCollectRunning
	}
	return func() error {
		// A fresh context: the collect's own may be cancelled by now.
		_, err := conn.ExecContext(context.Background(), rebind(`SELECT pg_advisory_unlock(`+key+`)`, true), pgLockClass, lockCollect)
		return errors.Join(err, conn.Close())
	}, nil
}
