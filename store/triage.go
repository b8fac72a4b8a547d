package store

import (
	"context"
	"database/sql"
	"time"
)

// SetHandled marks (or unmarks) a Monday-triage item as handled in the
// triage window that starts at triageStart. Marks of one window do not
// carry over to the next: what broke again deserves a fresh look.
func (s *Store) SetHandled(ctx context.Context, triageStart time.Time, itemID string, handled bool) error {
	const op = "save a triage mark"
	start, err := nanos(triageStart)
	if err != nil {
		return s.fail(op, err)
	}
	query := `DELETE FROM triage_marks WHERE triage_start = ? AND item_id = ?`
	if handled {
		query = `INSERT OR IGNORE INTO triage_marks (triage_start, item_id) VALUES (?, ?)`
	}
	// An explicit (immediate) transaction waits for another writer under
	// the busy timeout; a bare statement could fail at once instead.
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.fail(op, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, query, start, itemID); err != nil {
		return s.fail(op, err)
	}
	if err := tx.Commit(); err != nil {
		return s.fail(op, err)
	}
	return nil
}

// Handled returns the items marked handled in the triage window that starts
// at triageStart.
func (s *Store) Handled(ctx context.Context, triageStart time.Time) (map[string]bool, error) {
	const op = "read the triage marks"
	start, err := nanos(triageStart)
	if err != nil {
		return nil, s.fail(op, err)
	}
	out := map[string]bool{}
	err = s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT item_id FROM triage_marks WHERE triage_start = ?`, start)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			out[id] = true
		}
		return rows.Err()
	})
	if err != nil {
		return nil, s.fail(op, err)
	}
	return out, nil
}
