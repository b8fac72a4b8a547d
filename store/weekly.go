package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// WeekPoint is one calendar week of the drag trend.
type WeekPoint struct {
	// Start is the week's Monday 00:00 in the team's time zone.
	Start time.Time
	// Known is false when no snapshot was saved that week.
	Known bool
	// HoursPerWeek is the drag of the latest snapshot saved that week whose
	// drag was counted (a lower bound when LowerBound is set).
	HoursPerWeek float64
	LowerBound   bool
	// Categories are that snapshot's hours per week by drag category.
	Categories map[model.Category]float64
	// SnapshotID and At identify that snapshot.
	SnapshotID int64
	At         time.Time
}

// Weekly returns the last weeks calendar weeks (Monday to Monday in loc),
// oldest first, ending with the week now falls in: each with the drag of
// the latest live snapshot saved that week, for the trend sparkline and
// "this week vs last". Demo snapshots, and snapshots whose drag nobody
// could count, do not count. A nil loc means UTC.
func (s *Store) Weekly(ctx context.Context, now time.Time, weeks int, loc *time.Location) ([]WeekPoint, error) {
	if weeks <= 0 {
		return nil, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	points := make([]WeekPoint, weeks)
	monday := model.WeekStart(now, loc)
	for i := range points {
		points[i].Start = monday.AddDate(0, 0, -7*(weeks-1-i))
	}
	end := monday.AddDate(0, 0, 7)
	err := s.read(ctx, func(tx txn) error {
		stmt, err := tx.prepare(ctx, `SELECT id, at, hours_per_week, hours_completeness FROM snapshots
			WHERE demo = ? AND sources_ok > 0 AND hours_completeness IN ('complete', 'lower_bound') AND at >= ? AND at < ?
			ORDER BY at DESC, id DESC LIMIT 1`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := range points {
			p := &points[i]
			next := end
			if i+1 < len(points) {
				next = points[i+1].Start
			}
			from, err := nanos(p.Start)
			if err != nil {
				return err
			}
			to, err := nanos(next)
			if err != nil {
				return err
			}
			var at int64
			var completeness string
			err = stmt.QueryRowContext(ctx, false, from, to).Scan(&p.SnapshotID, &at, &p.HoursPerWeek, &completeness)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			p.Known, p.At = true, fromNanos(at)
			p.LowerBound = completeness == string(model.LowerBound)
		}
		figs := map[int64]*Figures{}
		var ids []any
		for i := range points {
			if p := &points[i]; p.Known {
				figs[p.SnapshotID] = &Figures{Categories: map[model.Category]float64{}}
				ids = append(ids, p.SnapshotID)
			}
		}
		if len(ids) == 0 {
			return nil
		}
		in := "?" + strings.Repeat(", ?", len(ids)-1)
		if err := loadCategories(ctx, tx, figs, "snapshot_id IN ("+in+")", ids...); err != nil {
			return err
		}
		for i := range points {
			if p := &points[i]; p.Known {
				p.Categories = figs[p.SnapshotID].Categories
			}
		}
		return nil
	})
	if err != nil {
		return nil, s.fail("read the weekly trend", err)
	}
	return points, nil
}
