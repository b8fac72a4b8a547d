package store

import (
	"context"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// PlanState reads the migration plan's marks and notes, with who set each
// and when, and the items seen before, for model.BuildPlan: the demo's or
// the team's.
func (s *Store) PlanState(ctx context.Context, demo bool) (model.PlanState, error) {
	const op = "read the plan's marks"
	st := model.PlanState{Marks: map[string]model.ItemMarks{}, Seen: map[string]model.SeenItem{}}
	err := s.read(ctx, func(tx txn) error {
		if err := eachRow(ctx, tx, `SELECT item_id, step, who, at FROM plan_marks WHERE demo = ?`, []any{demo}, func(sc scanner) error {
			var id, step, who string
			var at int64
			if err := sc.Scan(&id, &step, &who, &at); err != nil {
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
			if who != "" {
				if m.By == nil {
					m.By = map[string]model.Mark{}
				}
				m.By[step] = model.Mark{By: who, At: fromNanos(at)}
			}
			st.Marks[id] = m
			return nil
		}); err != nil {
			return err
		}
		if err := eachRow(ctx, tx, `SELECT item_id, note, who, at FROM plan_notes WHERE demo = ?`, []any{demo}, func(sc scanner) error {
			var id, note, who string
			var at int64
			if err := sc.Scan(&id, &note, &who, &at); err != nil {
				return err
			}
			m := st.Marks[id]
			m.Note = note
			if who != "" {
				m.NoteBy = model.Mark{By: who, At: fromNanos(at)}
			}
			st.Marks[id] = m
			return nil
		}); err != nil {
			return err
		}
		return eachRow(ctx, tx, `SELECT item_id, kind, account, region, title, last_seen, week_hours, hours_completeness
			FROM plan_items WHERE demo = ?`, []any{demo},
			func(sc scanner) error {
				var it model.SeenItem
				var last int64
				var kind, completeness string
				if err := sc.Scan(&it.ID, &kind, &it.Account, &it.Region, &it.Title, &last, &it.WeekHours, &completeness); err != nil {
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

// SetPlanMark marks (or unmarks) a step of a plan item done; step "" is
// the whole item. by says who marked it, and when.
func (s *Store) SetPlanMark(ctx context.Context, demo bool, itemID, step string, done bool, by model.Mark) error {
	return s.write(ctx, "save a plan mark", func(tx txn) error {
		return setMark(ctx, tx, demo, itemID, step, done, by)
	})
}

// setMark keeps the first marker of a mark set twice: who did it first is
// who did it.
func setMark(ctx context.Context, tx txn, demo bool, itemID, step string, done bool, by model.Mark) error {
	if !done {
		_, err := tx.exec(ctx, `DELETE FROM plan_marks WHERE demo = ? AND item_id = ? AND step = ?`, demo, itemID, step)
		return err
	}
	n, err := nanos(by.At)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO plan_marks (demo, item_id, step, at, who) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		demo, itemID, step, n, by.By)
	return err
}

// SetPlanNote keeps a plan item's note, with who wrote it and when; an
// empty note removes it.
func (s *Store) SetPlanNote(ctx context.Context, demo bool, itemID, note string, by model.Mark) error {
	return s.write(ctx, "save a plan note", func(tx txn) error {
		return setNote(ctx, tx, demo, itemID, note, by)
	})
}

func setNote(ctx context.Context, tx txn, demo bool, itemID, note string, by model.Mark) error {
	if note == "" {
		_, err := tx.exec(ctx, `DELETE FROM plan_notes WHERE demo = ? AND item_id = ?`, demo, itemID)
		return err
	}
	n, err := nanos(by.At)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO plan_notes (demo, item_id, note, at, who) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (demo, item_id) DO UPDATE SET note = excluded.note, at = excluded.at, who = excluded.who`, demo, itemID, note, n, by.By)
	return err
}

// ImportPlanMarks replaces the marks and note of every item in marks with
// the given ones, all in one transaction: a failure changes nothing. Items
// not in marks keep theirs. by says who imported them, and when.
func (s *Store) ImportPlanMarks(ctx context.Context, demo bool, marks map[string]model.ItemMarks, by model.Mark) error {
	return s.write(ctx, "import the plan's marks", func(tx txn) error {
		for id, m := range marks {
			if _, err := tx.exec(ctx, `DELETE FROM plan_marks WHERE demo = ? AND item_id = ?`, demo, id); err != nil {
				return err
			}
			if err := setMark(ctx, tx, demo, id, "", m.Done, by); err != nil {
				return err
			}
			for step, done := range m.Steps {
				if err := setMark(ctx, tx, demo, id, step, done, by); err != nil {
					return err
				}
			}
			if err := setNote(ctx, tx, demo, id, m.Note, by); err != nil {
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
	return s.write(ctx, "remember the plan's items", func(tx txn) error {
		for _, it := range items {
			if it.State != model.ItemOpen && it.State != model.ItemDone {
				continue
			}
			hours, completeness := it.WeekHours, it.Coverage.Completeness
			if !it.Coverage.Known() {
				hours = 0
			}
			if _, err := tx.exec(ctx, `INSERT INTO plan_items
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
