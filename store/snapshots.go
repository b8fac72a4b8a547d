package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
	"golang.org/x/sync/errgroup"

	"github.com/opsdrag/opsdrag/model"
)

// Saved is a snapshot read back from the history, with the drag figures it
// was saved with.
type Saved struct {
	ID       int64
	At       time.Time
	Snapshot model.Snapshot
	Figures  Figures
}

// Summary is one line of the history, for `opsdrag history`.
type Summary struct {
	ID      int64
	At      time.Time
	Window  model.Window
	Demo    bool
	Figures Figures
	// SourcesOK counts the sources that produced data (ok or partial) out
	// of SourcesTotal.
	SourcesOK    int
	SourcesTotal int
}

// ErrNotFound is returned by Get for an id the history does not hold.
var ErrNotFound = errors.New("no such snapshot in the history")

// summaryColumns are read by scanSummary, in order.
const summaryColumns = `id, at, window_since, window_until, demo, sources_ok, sources_total,
	hours_per_week, team_share, monthly_cost, invoice_monthly, cost_ratio, infra_merged, merged_prs,
	hours_completeness`

type scanner interface {
	Scan(dest ...any) error
}

func scanSummary(row scanner) (Summary, error) {
	var (
		sm                  Summary
		at                  int64
		since, until, prs   sql.NullInt64
		share, cost, inv, r sql.NullFloat64
	)
	err := row.Scan(&sm.ID, &at, &since, &until, &sm.Demo, &sm.SourcesOK, &sm.SourcesTotal,
		&sm.Figures.HoursPerWeek, &share, &cost, &inv, &r, &sm.Figures.InfraMerged, &prs, &sm.Figures.HoursCompleteness)
	if err != nil {
		return sm, err
	}
	sm.At = fromNanos(at)
	sm.Window = model.Window{Since: fromNullNanos(since), Until: fromNullNanos(until)}
	sm.Figures.TeamShare, sm.Figures.MonthlyCost = floatPtr(share), floatPtr(cost)
	sm.Figures.InvoiceMonthly, sm.Figures.CostRatio = floatPtr(inv), floatPtr(r)
	sm.Figures.MergedPRs = intPtr(prs)
	sm.Figures.Categories = map[model.Category]float64{}
	return sm, nil
}

// Latest returns the most recently saved snapshot with the given demo flag,
// for painting the screen before the first refresh returns; false when
// there is none. Live and demo runs never see each other's snapshots.
func (s *Store) Latest(ctx context.Context, demo bool) (Saved, bool, error) {
	const op = "read the latest snapshot"
	var saved Saved
	err := s.read(ctx, func(tx txn) error {
		var err error
		saved, err = loadSaved(ctx, tx, `WHERE demo = ? ORDER BY at DESC, id DESC LIMIT 1`, demo)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return Saved{}, false, nil
	}
	if err != nil {
		return Saved{}, false, s.fail(op, err)
	}
	return saved, true, nil
}

// Get returns the snapshot saved with id, or an error wrapping ErrNotFound.
func (s *Store) Get(ctx context.Context, id int64) (Saved, error) {
	op := fmt.Sprintf("read snapshot %d", id)
	var saved Saved
	err := s.read(ctx, func(tx txn) error {
		var err error
		saved, err = loadSaved(ctx, tx, `WHERE id = ?`, id)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return Saved{}, &Error{Op: op, Path: s.path, Err: ErrNotFound, Hint: "`opsdrag history` lists the saved snapshots"}
	}
	if err != nil {
		return Saved{}, s.fail(op, err)
	}
	return saved, nil
}

// loadSaved reads the one snapshot that where (with args) selects.
func loadSaved(ctx context.Context, tx txn, where string, args ...any) (Saved, error) {
	sm, err := scanSummary(tx.queryRow(ctx, `SELECT `+summaryColumns+` FROM snapshots `+where, args...))
	if err != nil {
		return Saved{}, err
	}
	if err := loadCategories(ctx, tx, map[int64]*Figures{sm.ID: &sm.Figures}, `snapshot_id = ?`, sm.ID); err != nil {
		return Saved{}, err
	}
	rows, err := tx.query(ctx, `SELECT name, status, detail, items, duration_ns, collected_at, stale, data
		FROM snapshot_sources WHERE snapshot_id = ? ORDER BY position`, sm.ID)
	if err != nil {
		return Saved{}, err
	}
	defer rows.Close()
	var (
		sources []model.Source
		blobs   []sql.NullString // each source's saved data, NULL for none
	)
	for rows.Next() {
		var (
			src      model.Source
			status   string
			duration int64
			at       sql.NullInt64
			data     sql.NullString
		)
		if err := rows.Scan(&src.Name, &status, &src.Detail, &src.Items, &duration, &at, &src.Stale, &data); err != nil {
			return Saved{}, err
		}
		src.Status, src.Duration, src.At = model.Status(status), time.Duration(duration), fromNullNanos(at)
		sources = append(sources, src)
		blobs = append(blobs, data)
	}
	if err := rows.Err(); err != nil {
		return Saved{}, err
	}
	parts, err := decodeSources(sources, blobs)
	if err != nil {
		return Saved{}, fmt.Errorf("snapshot %d: %w", sm.ID, err)
	}
	return Saved{
		ID:       sm.ID,
		At:       sm.At,
		Snapshot: model.RestoreSnapshot(sm.Window, sm.Demo, sources, parts),
		Figures:  sm.Figures,
	}, nil
}

// loadCategories fills in the per-category hours of the figures, by
// snapshot id, for the snapshots that the condition cond (with args) on
// snapshot_id selects.
func loadCategories(ctx context.Context, tx txn, figs map[int64]*Figures, cond string, args ...any) error {
	rows, err := tx.query(ctx, `SELECT snapshot_id, category, week_hours FROM snapshot_drag WHERE `+cond, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id    int64
			cat   string
			hours float64
		)
		if err := rows.Scan(&id, &cat, &hours); err != nil {
			return err
		}
		if f, ok := figs[id]; ok {
			f.Categories[model.Category(cat)] = hours
		}
	}
	return rows.Err()
}

// List returns the saved snapshots, newest first, at most limit of them (all
// when limit is zero or less).
func (s *Store) List(ctx context.Context, limit int) ([]Summary, error) {
	const op = "list snapshots"
	// The two dialects spell "no limit" differently; leaving it out is
	// the same in both.
	newest, args := `SELECT id FROM snapshots ORDER BY at DESC, id DESC`, []any(nil)
	if limit > 0 {
		newest, args = newest+` LIMIT ?`, []any{limit}
	}
	var out []Summary
	err := s.read(ctx, func(tx txn) error {
		rows, err := tx.query(ctx, `SELECT `+summaryColumns+` FROM snapshots WHERE id IN (`+newest+`) ORDER BY at DESC, id DESC`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			sm, err := scanSummary(rows)
			if err != nil {
				return err
			}
			out = append(out, sm)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		figs := make(map[int64]*Figures, len(out))
		for i := range out {
			figs[out[i].ID] = &out[i].Figures
		}
		return loadCategories(ctx, tx, figs, `snapshot_id IN (`+newest+`)`, args...)
	})
	if err != nil {
		return nil, s.fail(op, err)
	}
	return out, nil
}

// decodeSources reads each source's saved data back (blobs[i] is
// sources[i]'s, "" for none), the sources side by side: at 10,000 pipelines
// decoding is most of opening opsdrag on its history.
func decodeSources(sources []model.Source, blobs []sql.NullString) (map[string]model.Data, error) {
	decoded := make([]model.Data, len(blobs))
	failed := make([]error, len(blobs))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, b := range blobs {
		if b.Valid {
			g.Go(func() error {
				decoded[i], failed[i] = decodeData(b.String)
				return nil
			})
		}
	}
	g.Wait()
	parts := make(map[string]model.Data, len(blobs))
	for i, b := range blobs {
		if failed[i] != nil { // the first in the snapshot's order, whichever failed first
			return nil, fmt.Errorf("decode the data of source %s: %w", sources[i].Name, failed[i])
		}
		if b.Valid {
			parts[sources[i].Name] = decoded[i]
		}
	}
	return parts, nil
}

// encodeData writes a source's data as encoding/json would, less the
// fields that hold their zero value: reading it back gives the same data
// (an absent field is zero, nil stays nil and empty stays empty), with a
// third less to read at 10,000 pipelines. Any version of opsdrag reads it.
//
// JSON v2 takes a pointer to a zero time (a *time.Time set, to the zero
// time) for zero too and would leave it out, to come back nil: data that
// holds one is written whole.
func encodeData(d model.Data) ([]byte, error) {
	if zeroBehindPointer(reflect.ValueOf(d)) {
		return jsonv2.Marshal(d, jsonv1.DefaultOptionsV1())
	}
	return jsonv2.Marshal(d, jsonv1.DefaultOptionsV1(), jsonv2.OmitZeroStructFields(true))
}

// zeroBehindPointer reports whether v holds, in an exported field or an
// element, a pointer that is not nil to a value whose IsZero method says
// it is zero.
func zeroBehindPointer(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return false
		}
		if z, ok := v.Interface().(interface{ IsZero() bool }); ok && z.IsZero() {
			return true
		}
		return zeroBehindPointer(v.Elem())
	case reflect.Interface:
		return !v.IsNil() && zeroBehindPointer(v.Elem())
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			if t.Field(i).IsExported() && zeroBehindPointer(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		if !mayPoint(v.Type().Elem()) {
			return false
		}
		for i := range v.Len() {
			if zeroBehindPointer(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if zeroBehindPointer(it.Value()) {
				return true
			}
		}
	}
	return false
}

// mayPoint is false for element types that hold no pointer zeroBehindPointer
// looks at (strings, numbers, times), so their slices are not walked.
func mayPoint(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int64, reflect.Float64:
		return false
	}
	return t != reflect.TypeFor[time.Time]()
}

// decodeData reads a source's saved data back. It was written by
// encoding/json; JSON v2 with encoding/json's semantics reads it twice as
// fast, to the same value (FuzzSavedSourceData holds it to that).
func decodeData(s string) (model.Data, error) {
	var d model.Data
	err := jsonv2.Unmarshal([]byte(s), &d, jsonv1.DefaultOptionsV1())
	return d, err
}
