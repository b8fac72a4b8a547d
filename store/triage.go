package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// SetHandled marks (or unmarks) a Monday-triage item as handled in the
// triage window that starts at triageStart; by says who handled it, and
// when. Marks of one window do not carry over to the next: what broke
// again deserves a fresh look. A mark set twice keeps its first marker.
func (s *Store) SetHandled(ctx context.Context, triageStart time.Time, itemID string, handled bool, by model.Mark) error {
	const op = "save a triage mark"
	start, err := nanos(triageStart)
	if err != nil {
		return s.fail(op, err)
	}
	if !handled {
		return s.write(ctx, op, func(tx txn) error {
			_, err := tx.exec(ctx, `DELETE FROM triage_marks WHERE triage_start = ? AND item_id = ?`, start, itemID)
			return err
		})
	}
	at, err := nullNanos(by.At)
	if err != nil {
		return s.fail(op, err)
	}
	// An explicit (immediate) transaction waits for another writer under
	// the busy timeout; a bare statement could fail at once instead.
	return s.write(ctx, op, func(tx txn) error {
		_, err := tx.exec(ctx, `INSERT INTO triage_marks (triage_start, item_id, who, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			start, itemID, by.By, at)
		return err
	})
}

// Handled returns the items marked handled in the triage window that starts
// at triageStart, each with who marked it and when (zero for marks saved
// before opsdrag recorded them).
func (s *Store) Handled(ctx context.Context, triageStart time.Time) (map[string]model.Mark, error) {
	const op = "read the triage marks"
	start, err := nanos(triageStart)
	if err != nil {
		return nil, s.fail(op, err)
	}
	out := map[string]model.Mark{}
	err = s.read(ctx, func(tx txn) error {
		return eachRow(ctx, tx, `SELECT item_id, who, at FROM triage_marks WHERE triage_start = ?`, []any{start}, func(sc scanner) error {
			var id, who string
			var at sql.NullInt64
			if err := sc.Scan(&id, &who, &at); err != nil {
				return err
			}
			out[id] = model.Mark{By: who, At: fromNullNanos(at)}
			return nil
		})
	})
	if err != nil {
		return nil, s.fail(op, err)
	}
	return out, nil
}
