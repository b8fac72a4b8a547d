package store

import (
	"context"
	"time"
)

// Prune drops the signal data of the snapshots saved before before, which is
// most of what a snapshot weighs (tens of kilobytes). What the trend and the
// history need stays: every snapshot's figures and source statuses, and
// the alarm transitions and pipeline failures. The newest live and the
// newest demo snapshot keep their data whatever their age, for the fast
// start. It returns how many snapshots were thinned.
func (s *Store) Prune(ctx context.Context, before time.Time) (int, error) {
	const op = "prune old snapshots"
	cutoff, err := nanos(before)
	if err != nil {
		return 0, s.fail(op, err)
	}
	const thinned = `SELECT DISTINCT snapshot_id FROM snapshot_sources
		WHERE data IS NOT NULL AND snapshot_id IN (
			SELECT id FROM snapshots WHERE at < ?
			EXCEPT SELECT id FROM (SELECT id FROM snapshots WHERE demo = ? ORDER BY at DESC, id DESC LIMIT 1) AS newest_live
			EXCEPT SELECT id FROM (SELECT id FROM snapshots WHERE demo = ? ORDER BY at DESC, id DESC LIMIT 1) AS newest_demo)`
	var n int
	err = s.write(ctx, op, func(tx txn) error {
		if err := tx.queryRow(ctx, `SELECT count(*) FROM (`+thinned+`) AS thinned`, cutoff, false, true).Scan(&n); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE snapshot_sources SET data = NULL WHERE snapshot_id IN (`+thinned+`)`, cutoff, false, true)
		return err
	})
	return n, err
}
