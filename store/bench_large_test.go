package store

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// A team's history after a year and a half of hourly collects: 10,000
// snapshots (signal data thinned on all but the newest, as Prune leaves
// them), 100,000 kept alarm transitions over two years, and the newest
// snapshot a full demo collection.
const (
	largeSnapshots   = 10_000
	largeTransitions = 100_000
)

// seedLarge fills a fresh store with the large history, in SQL: saving
// 10,000 snapshots one by one would take longer than the benchmarks.
func seedLarge(b *testing.B, be backend) (*Store, time.Time) {
	b.Helper()
	target := be.fresh(b)
	s := openTest(b, target)
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	// Ranges of integers: generate_series in PostgreSQL, a recursive CTE
	// in SQLite.
	series := func(name string, n int) string {
		if be.pg {
			return `(SELECT g AS ` + name + ` FROM generate_series(1, ` + itoa(n) + `) g) AS ` + name + `_t`
		}
		return `(WITH RECURSIVE r(` + name + `) AS (SELECT 1 UNION ALL SELECT ` + name + ` + 1 FROM r WHERE ` + name + ` < ` + itoa(n) + `) SELECT ` + name + ` FROM r) AS ` + name + `_t`
	}
	hour, tenMin := int64(time.Hour), int64(10*time.Minute)
	stmts := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO snapshots (at, window_since, window_until, demo, sources_ok, sources_total, hours_per_week,
			team_share, monthly_cost, invoice_monthly, cost_ratio, infra_merged, merged_prs, hours_completeness)
			SELECT CAST(? AS BIGINT) - g * CAST(? AS BIGINT), CAST(? AS BIGINT) - g * CAST(? AS BIGINT) - 7 * 24 * CAST(? AS BIGINT),
				CAST(? AS BIGINT) - g * CAST(? AS BIGINT), ?, 6, 6, 10 + g % 7, 0.05, 4000, 20000, 0.2, 3, 40, 'complete'
			FROM ` + series("g", largeSnapshots), []any{now.UnixNano(), hour, now.UnixNano(), hour, hour, now.UnixNano(), hour, false}},
		{`INSERT INTO snapshot_sources (snapshot_id, position, name, status, detail, items, duration_ns, collected_at, stale, data)
			SELECT id, p, 'source', 'ok', '', 10, 1000000, at, ?, NULL FROM snapshots, ` + series("p", 6), []any{false}},
		{`INSERT INTO snapshot_drag (snapshot_id, category, week_hours)
			SELECT id, CASE c WHEN 1 THEN 'pipelines' WHEN 2 THEN 'alarms' ELSE 'infra_prs' END, 3.5 FROM snapshots, ` + series("c", 3), nil},
		{`INSERT INTO alarm_transitions (account, region, name, at)
			SELECT '111122223333', 'us-east-1', 'alarm-' || (t % 500), CAST(? AS BIGINT) - t * CAST(? AS BIGINT) FROM ` + series("t", largeTransitions), []any{now.UnixNano(), tenMin}},
	}
	err := s.write(context.Background(), "seed", func(tx txn) error {
		for _, st := range stmts {
			if _, err := tx.exec(context.Background(), st.sql, st.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if s.pg {
		if _, err := s.db.Exec(`ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}
	snap := demoSnapshot(b, now)
	if _, err := s.Save(context.Background(), now, snap, model.ComputeLedger(snap, testTeam, model.DefaultAssumptions())); err != nil {
		b.Fatal(err)
	}
	return s, now
}

func itoa(n int) string { return strconv.Itoa(n) }

// BenchmarkLargeHistory measures, on each backend holding the large
// history: saving a demo collection (six sources, with its transitions
// and failures upserted), the latest snapshot (the interface's fast
// start), the 12-week trend, and the kept history of a 30-day window.
func BenchmarkLargeHistory(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			if be.pg {
				requirePostgres(b)
			}
			ctx := context.Background()
			s, now := seedLarge(b, be)
			snap := demoSnapshot(b, now)
			l := model.ComputeLedger(snap, testTeam, model.DefaultAssumptions())
			b.Run("Save", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := s.Save(ctx, now, snap, l); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("Latest", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, ok, err := s.Latest(ctx, false); err != nil || !ok {
						b.Fatal(ok, err)
					}
				}
			})
			b.Run("Weekly12", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					weeks, err := s.Weekly(ctx, now, 12, time.UTC)
					if err != nil || !weeks[0].Known {
						b.Fatal(err)
					}
				}
			})
			b.Run("Kept30d", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := s.Kept(ctx, model.LastDays(now, 30*24*time.Hour)); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
