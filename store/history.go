package store

import (
	"context"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// AlarmKey identifies a CloudWatch alarm across snapshots.
type AlarmKey = model.AlarmRef

// PipelineKey identifies a watched pipeline on one branch across snapshots.
type PipelineKey = model.PipelineRef

// Kept returns the stored transitions and failures inside w, and the
// stretches of alarm history read that overlap w, for model.Data.WithKept
// and model.Data.AlarmHistoryGaps.
func (s *Store) Kept(ctx context.Context, w model.Window) (model.Kept, error) {
	tr, err := s.Transitions(ctx, w)
	if err != nil {
		return model.Kept{}, err
	}
	fl, err := s.Failures(ctx, w)
	if err != nil {
		return model.Kept{}, err
	}
	read, err := s.AlarmHistoryRead(ctx, w)
	if err != nil {
		return model.Kept{}, err
	}
	return model.Kept{Transitions: tr, Failures: fl, AlarmHistory: read}, nil
}

// AlarmHistoryRead returns, by place, the stretches of alarm history that
// saved collections read and that overlap w, oldest first: every
// transition into ALARM in them is in the kept history.
func (s *Store) AlarmHistoryRead(ctx context.Context, w model.Window) (map[model.Place][]model.Window, error) {
	out := map[model.Place][]model.Window{}
	// inWindow binds w.Since then w.Until: a stretch overlaps w when it ends
	// after w starts and starts before w ends.
	err := s.inWindow(ctx, w, `SELECT account, region, since, until FROM alarm_history_read
		WHERE until > ?1 AND since < ?2 ORDER BY account, region, since`,
		func(rows scanner) error {
			var (
				p            model.Place
				since, until int64
			)
			if err := rows.Scan(&p.Account, &p.Region, &since, &until); err != nil {
				return err
			}
			out[p] = append(out[p], model.Window{Since: fromNanos(since), Until: fromNanos(until)})
			return nil
		})
	if err != nil {
		return nil, s.fail("read which alarm history was read", err)
	}
	return out, nil
}

// Transitions returns every stored transition into ALARM inside w, by
// alarm, oldest first: what the live snapshots saw, kept after CloudWatch
// has forgotten it.
func (s *Store) Transitions(ctx context.Context, w model.Window) (map[AlarmKey][]time.Time, error) {
	out := map[AlarmKey][]time.Time{}
	err := s.inWindow(ctx, w, `SELECT account, region, name, at FROM alarm_transitions
		WHERE at >= ? AND at < ? ORDER BY account, region, name, at`,
		func(rows scanner) error {
			var (
				k  AlarmKey
				at int64
			)
			if err := rows.Scan(&k.Account, &k.Region, &k.Name, &at); err != nil {
				return err
			}
			out[k] = append(out[k], fromNanos(at))
			return nil
		})
	if err != nil {
		return nil, s.fail("read the alarm history", err)
	}
	return out, nil
}

// Failures returns the completion time of every stored failed run inside
// w, by pipeline, oldest first.
func (s *Store) Failures(ctx context.Context, w model.Window) (map[PipelineKey][]time.Time, error) {
	out := map[PipelineKey][]time.Time{}
	err := s.inWindow(ctx, w, `SELECT provider, scope, name, branch, failed_at FROM pipeline_failures
		WHERE failed_at >= ? AND failed_at < ? ORDER BY provider, scope, name, branch, failed_at`,
		func(rows scanner) error {
			var (
				k        PipelineKey
				provider string
				at       int64
			)
			if err := rows.Scan(&provider, &k.Scope, &k.Name, &k.Branch, &at); err != nil {
				return err
			}
			k.Provider = model.Provider(provider)
			out[k] = append(out[k], fromNanos(at))
			return nil
		})
	if err != nil {
		return nil, s.fail("read the pipeline history", err)
	}
	return out, nil
}

// inWindow runs query with w's bounds and calls each for every row.
func (s *Store) inWindow(ctx context.Context, w model.Window, query string, each func(scanner) error) error {
	since, err := nanos(w.Since)
	if err != nil {
		return err
	}
	until, err := nanos(w.Until)
	if err != nil {
		return err
	}
	return s.read(ctx, func(tx txn) error { return eachRow(ctx, tx, query, []any{since, until}, each) })
}
