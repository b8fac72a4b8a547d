package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// reachSnapshot is a refresh whose alarms collection read the alarm history
// of each place from reach's From to its Until.
func reachSnapshot(demoFlag bool, reach ...model.AlarmReach) model.Snapshot {
	w := model.Window{Since: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	snap := model.NewSnapshot(w, demoFlag, []string{"aws/alarms"})
	return snap.With(outcome("aws/alarms", model.StatusOK, w.Until, model.Data{AlarmReach: reach}))
}

// The stretches of alarm history that saved collections read are what
// proves the kept history complete; they are kept merged, one row per
// unbroken stretch, however often opsdrag refreshes.
func TestKeptAlarmHistoryStretches(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		path := b.fresh(t)
		s := openTest(t, path)
		day := func(d int) time.Time { return time.Date(2026, 10, 1, 3, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
		east := model.Place{Account: "1", Region: "us-east-1"}
		west := model.Place{Account: "1", Region: "eu-west-1"}
		reach := func(p model.Place, from, until int) model.AlarmReach {
			return model.AlarmReach{Place: p, From: day(from), Until: day(until)}
		}
		save := func(snap model.Snapshot) {
			t.Helper()
			if _, err := s.Save(ctx, time.Now(), snap, model.ComputeLedger(snap, testTeam, model.DefaultAssumptions())); err != nil {
				t.Fatal(err)
			}
		}
		save(reachSnapshot(false, reach(east, 1, 15), reach(west, 5, 19)))
		// Refreshes every few days: each overlaps the last, and they merge.
		for d := 16; d <= 24; d += 4 {
			save(reachSnapshot(false, reach(east, d-14, d)))
		}
		// A month off, then a refresh: a second stretch.
		save(reachSnapshot(false, reach(east, 30, 44)))
		// One that joins the first two exactly where they meet.
		save(reachSnapshot(false, reach(east, 24, 30)))
		// A history that could not be read proves nothing; a demo is fiction.
		save(reachSnapshot(false, model.AlarmReach{Place: west, Until: day(60)}))
		save(reachSnapshot(true, reach(west, 50, 64)))

		if n := queryInt(t, rawDB(t, path), `SELECT count(*) FROM alarm_history_read`); n != 2 {
			t.Errorf("%d stored stretches, want 2 (east's, merged, and west's)", n)
		}
		span := func(from, until int) model.Window { return model.Window{Since: day(from), Until: day(until)} }
		for _, tc := range []struct {
			name string
			w    model.Window
			want map[model.Place][]model.Window
		}{
			{"everything", span(0, 100), map[model.Place][]model.Window{east: {span(1, 44)}, west: {span(5, 19)}}},
			{"overlapping the window only", span(20, 25), map[model.Place][]model.Window{east: {span(1, 44)}}},
			{"nothing", span(70, 90), map[model.Place][]model.Window{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				k, err := s.Kept(ctx, tc.w)
				if err != nil {
					t.Fatal(err)
				}
				if d := diff("AlarmHistory", reflect.ValueOf(tc.want), reflect.ValueOf(k.AlarmHistory)); len(d) > 0 {
					t.Errorf("%s", strings.Join(d, "\n"))
				}
			})
		}
	})
}
