package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// PlanState reads the migration plan's marks and notes and the items seen
// before, for model.BuildPlan: the demo's or the team's.
func (s *Store) PlanState(ctx context.Context, demo bool) (model.PlanState, error) {
	const op = "read the plan's marks"
	st := model.PlanState{Marks: map[string]model.ItemMarks{}, Seen: map[string]model.SeenItem{}}
	err := s.read(ctx, func(tx *sql.Tx) error {
		if err := eachRow(ctx, tx, `SELECT item_id, step FROM plan_marks WHERE demo = ?`, demo, func(rows *sql.Rows) error {
			var id, step string
			if err := rows.Scan(&id, &step); err != nil {
				return err
			}
			m := st.Marks[id]
			if step == "" {
				m.Done = true
			} else {
				if m.Steps == nil {
					m.Steps = map[string]bool{}
				}
				m.Steps[step] = true
			}
			st.Marks[id] = m
			return nil
		}); err != nil {
			return err
		}
		if err := eachRow(ctx, tx, `SELECT item_id, note FROM plan_notes WHERE demo = ?`, demo, func(rows *sql.Rows) error {
			var id, note string
			if err := rows.Scan(&id, &note); err != nil {
				return err
			}
			m := st.Marks[id]
			m.Note = note
			st.Marks[id] = m
			return nil
		}); err != nil {
			return err
		}
		return eachRow(ctx, tx, `SELECT item_id, kind, account, region, title, last_seen, week_hours, hours_completeness
			FROM plan_items WHERE demo = ?`, demo,
			func(rows *sql.Rows) error {
				var it model.SeenItem
				var last int64
				var kind, completeness string
				if err := rows.Scan(&it.ID, &kind, &it.Account, &it.Region, &it.Title, &last, &it.WeekHours, &completeness); err != nil {
					return err
				}
				it.Kind, it.Completeness, it.LastSeen = model.Kind(kind), model.Completeness(completeness), fromNanos(last)
				st.Seen[it.ID] = it
				return nil
			})
	})
	if err != nil {
		return model.PlanState{}, s.fail(op, err)
	}
	return st, nil
}

func eachRow(ctx context.Context, tx *sql.Tx, query string, demo bool, f func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query, demo)
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

// SetPlanMark marks (or unmarks) a step of a plan item done; step "" is
// the whole item.
func (s *Store) SetPlanMark(ctx context.Context, demo bool, itemID, step string, done bool, at time.Time) error {
	return s.write(ctx, "save a plan mark", func(tx *sql.Tx) error {
		return setMark(ctx, tx, demo, itemID, step, done, at)
	})
}

func setMark(ctx context.Context, tx *sql.Tx, demo bool, itemID, step string, done bool, at time.Time) error {
	if !done {
		_, err := tx.ExecContext(ctx, `DELETE FROM plan_marks WHERE demo = ? AND item_id = ? AND step = ?`, demo, itemID, step)
		return err
	}
	n, err := nanos(at)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO plan_marks (demo, item_id, step, at) VALUES (?, ?, ?, ?)`, demo, itemID, step, n)
	return err
}

// SetPlanNote keeps a plan item's note; an empty note removes it.
func (s *Store) SetPlanNote(ctx context.Context, demo bool, itemID, note string, at time.Time) error {
	return s.write(ctx, "save a plan note", func(tx *sql.Tx) error {
		return setNote(ctx, tx, demo, itemID, note, at)
	})
}

func setNote(ctx context.Context, tx *sql.Tx, demo bool, itemID, note string, at time.Time) error {
	if note == "" {
		_, err := tx.ExecContext(ctx, `DELETE FROM plan_notes WHERE demo = ? AND item_id = ?`, demo, itemID)
		return err
	}
	n, err := nanos(at)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO plan_notes (demo, item_id, note, at) VALUES (?, ?, ?, ?)
		ON CONFLICT (demo, item_id) DO UPDATE SET note = excluded.note, at = excluded.at`, demo, itemID, note, n)
	return err
}

// ImportPlanMarks replaces the marks and note of every item in marks with
// the given ones, all in one transaction: a failure changes nothing. Items
// not in marks keep theirs.
func (s *Store) ImportPlanMarks(ctx context.Context, demo bool, marks map[string]model.ItemMarks, at time.Time) error {
	return s.write(ctx, "import the plan's marks", func(tx *sql.Tx) error {
		for id, m := range marks {
			if _, err := tx.ExecContext(ctx, `DELETE FROM plan_marks WHERE demo = ? AND item_id = ?`, demo, id); err != nil {
				return err
			}
			if err := setMark(ctx, tx, demo, id, "", m.Done, at); err != nil {
				return err
			}
			for step, done := range m.Steps {
				if err := setMark(ctx, tx, demo, id, step, done, at); err != nil {
					return err
				}
			}
			if err := setNote(ctx, tx, demo, id, m.Note, at); err != nil {
				return err
			}
		}
		return nil
	})
}

// RememberPlan records the items found now (open or done), with their drag,
// so that one whose resource disappears later shows as retired with the
// drag it had. Missing and retired items are left as last seen.
func (s *Store) RememberPlan(ctx context.Context, demo bool, items []model.PlanItem, at time.Time) error {
	n, err := nanos(at)
	if err != nil {
		return s.fail("remember the plan's items", err)
	}
	return s.write(ctx, "remember the plan's items", func(tx *sql.Tx) error {
		for _, it := range items {
			if it.State != model.ItemOpen && it.State != model.ItemDone {
				continue
			}
			hours, completeness := it.WeekHours, it.Coverage.Completeness
			if !it.Coverage.Known() {
				hours = 0
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO plan_items
				(demo, item_id, kind, account, region, title, first_seen, last_seen, week_hours, hours_completeness)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (demo, item_id) DO UPDATE SET title = excluded.title, last_seen = excluded.last_seen,
					week_hours = excluded.week_hours, hours_completeness = excluded.hours_completeness`,
				demo, it.ID, string(it.Kind), it.Account, it.Region, it.Title, n, n, hours, string(completeness)); err != nil {
				return err
			}
		}
		return nil
	})
}

// write runs f in one write transaction, which waits for another writer
// under the busy timeout.
func (s *Store) write(ctx context.Context, op string, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.fail(op, err)
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return s.fail(op, err)
	}
	if err := tx.Commit(); err != nil {
		return s.fail(op, err)
	}
	return nil
}
