package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// Save records a snapshot taken at at, with its drag ledger, and returns its
// id. Every alarm transition into ALARM and every failed pipeline run it
// holds is also added, once, to the long-term history that Transitions and
// Failures read, so they outlive the APIs' retention. A demo snapshot is
// saved but adds nothing to that history: demo alarms are fiction.
// Everything is written in one transaction: a crash leaves all of it or none.
func (s *Store) Save(ctx context.Context, at time.Time, snap model.Snapshot, l model.Ledger) (int64, error) {
	const op = "save a snapshot"
	// Encode before taking the write lock, so it is held only for writing.
	rec, err := newRecord(at, snap, l)
	if err != nil {
		return 0, &Error{Op: op, Path: s.path, Err: err}
	}
	var id int64
	err = s.write(ctx, op, func(tx txn) error {
		if s.pg {
			// SQLite lets one writer in at a time; PostgreSQL would let two
			// saves merge the same stretches of alarm history at once.
			if err := advisoryXactLock(ctx, tx, lockSave); err != nil {
				return err
			}
		}
		var err error
		if id, err = rec.insert(ctx, tx); err != nil {
			return err
		}
		if snap.Demo {
			return nil
		}
		return insertHistory(ctx, tx, snap)
	})
	return id, err
}

// record is a snapshot and its figures in the form they are stored.
type record struct {
	at           int64
	since, until sql.NullInt64
	demo         bool
	sourcesOK    int
	figures      Figures
	sources      []sourceRow
}

// sourceRow is one source of a snapshot, its data encoded.
type sourceRow struct {
	src  model.Source
	at   sql.NullInt64
	data sql.NullString
}

func newRecord(at time.Time, snap model.Snapshot, l model.Ledger) (record, error) {
	r := record{demo: snap.Demo, figures: figuresOf(l)}
	var err error
	if r.at, err = nanos(at); err != nil {
		return r, err
	}
	if r.since, err = nullNanos(snap.Window.Since); err != nil {
		return r, fmt.Errorf("window start: %w", err)
	}
	if r.until, err = nullNanos(snap.Window.Until); err != nil {
		return r, fmt.Errorf("window end: %w", err)
	}
	parts := snap.Parts()
	for _, src := range snap.Sources {
		row := sourceRow{src: src}
		if row.at, err = nullNanos(src.At); err != nil {
			return r, fmt.Errorf("source %s: %w", src.Name, err)
		}
		if d, ok := parts[src.Name]; ok {
			b, err := encodeData(d)
			if err != nil {
				return r, fmt.Errorf("encode the data of source %s: %w", src.Name, err)
			}
			row.data = sql.NullString{String: string(b), Valid: true}
		}
		if src.Succeeded() {
			r.sourcesOK++
		}
		r.sources = append(r.sources, row)
	}
	return r, nil
}

func (r record) insert(ctx context.Context, tx txn) (int64, error) {
	f := r.figures
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO snapshots
		(at, window_since, window_until, demo, sources_ok, sources_total,
		 hours_per_week, team_share, monthly_cost, invoice_monthly, cost_ratio, infra_merged, merged_prs,
		 hours_completeness)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.at, r.since, r.until, r.demo, r.sourcesOK, len(r.sources),
		f.HoursPerWeek, nullFloat(f.TeamShare), nullFloat(f.MonthlyCost), nullFloat(f.InvoiceMonthly),
		nullFloat(f.CostRatio), f.InfraMerged, nullInt(f.MergedPRs), string(cmp.Or(f.HoursCompleteness, model.Complete))).Scan(&id)
	if err != nil {
		return 0, err
	}
	for i, row := range r.sources {
		src := row.src
		if _, err := tx.exec(ctx, `INSERT INTO snapshot_sources
			(snapshot_id, position, name, status, detail, items, duration_ns, collected_at, stale, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, i, src.Name, string(src.Status), src.Detail, src.Items, int64(src.Duration), row.at, src.Stale, row.data); err != nil {
			return 0, err
		}
	}
	for _, c := range sortedKeys(f.Categories) {
		if _, err := tx.exec(ctx, `INSERT INTO snapshot_drag (snapshot_id, category, week_hours) VALUES (?, ?, ?)`,
			id, string(c), f.Categories[c]); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// insertHistory adds the snapshot's alarm transitions and failed runs to
// the long-term history, the ones already there skipped, and the
// stretches of alarm history its collections read.
func insertHistory(ctx context.Context, tx txn, snap model.Snapshot) error {
	if err := insertAlarmHistoryRead(ctx, tx, snap); err != nil {
		return err
	}
	alarm, err := tx.prepare(ctx, `INSERT INTO alarm_transitions (account, region, name, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return err
	}
	defer alarm.Close()
	for _, a := range snap.Alarms() {
		for _, t := range a.Transitions {
			n, err := nanos(t)
			if err != nil {
				continue // a nonsense timestamp is no history worth keeping
			}
			if _, err := alarm.ExecContext(ctx, a.Account, a.Region, a.Name, n); err != nil {
				return err
			}
		}
	}
	failure, err := tx.prepare(ctx, `INSERT INTO pipeline_failures (provider, scope, name, branch, failed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return err
	}
	defer failure.Close()
	for _, p := range snap.Pipelines() {
		for _, t := range p.FailedAt {
			n, err := nanos(t)
			if err != nil {
				continue
			}
			if _, err := failure.ExecContext(ctx, string(p.Provider), p.Scope, p.Name, p.Branch, n); err != nil {
				return err
			}
		}
	}
	return nil
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// insertAlarmHistoryRead records, for every place whose alarm history the
// snapshot's collections read, the stretch they read, merged with the
// stretches already recorded that it overlaps or touches: one row per
// unbroken stretch, however often opsdrag refreshes.
func insertAlarmHistoryRead(ctx context.Context, tx txn, snap model.Snapshot) error {
	for _, d := range snap.Parts() {
		for _, r := range d.AlarmReach {
			if r.From.IsZero() || !r.Until.After(r.From) {
				continue
			}
			since, err := nanos(r.From)
			if err != nil {
				continue
			}
			until, err := nanos(r.Until)
			if err != nil {
				continue
			}
			const overlapping = `FROM alarm_history_read WHERE account = ? AND region = ? AND since <= ? AND until >= ?`
			var lo, hi sql.NullInt64
			if err := tx.queryRow(ctx, `SELECT min(since), max(until) `+overlapping, r.Account, r.Region, until, since).Scan(&lo, &hi); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `DELETE `+overlapping, r.Account, r.Region, until, since); err != nil {
				return err
			}
			if lo.Valid {
				since, until = min(since, lo.Int64), max(until, hi.Int64)
			}
			if _, err := tx.exec(ctx, `INSERT INTO alarm_history_read (account, region, since, until) VALUES (?, ?, ?, ?)`,
				r.Account, r.Region, since, until); err != nil {
				return err
			}
		}
	}
	return nil
}
