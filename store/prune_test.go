package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

func TestPruneKeepsFiguresHistoryAndTheNewest(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openTest(t, b.fresh(t))
		base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		var ids []int64
		for i := range 3 {
			at, snap, l := seqSnapshot(i*60*24, base) // one a day
			id, err := s.Save(ctx, at, snap, l)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		demoSnap := richSnapshot(t, true)
		demoID, err := s.Save(ctx, base, demoSnap, model.Ledger{})
		if err != nil {
			t.Fatal(err)
		}
		beforeList, err := s.List(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		window := model.Window{Since: base.Add(-30 * 24 * time.Hour), Until: base.Add(30 * 24 * time.Hour)}
		beforeFailures, err := s.Failures(ctx, window)
		if err != nil {
			t.Fatal(err)
		}

		// Everything is older than the cutoff; the newest live and demo
		// snapshots are kept whole anyway.
		n, err := s.Prune(ctx, base.Add(10*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("Prune thinned %d snapshots, want 2", n)
		}
		for _, id := range ids[:2] {
			got, err := s.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Snapshot.Parts()) != 0 || len(got.Snapshot.Sources) != 2 {
				t.Errorf("#%d after pruning: %d parts, %d sources; want 0, 2", id, len(got.Snapshot.Parts()), len(got.Snapshot.Sources))
			}
		}
		for id, want := range map[int64]model.Snapshot{ids[2]: seqAt(2*60*24, base), demoID: demoSnap} {
			got, err := s.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			assertSnapshot(t, want, got.Snapshot)
		}
		afterList, err := s.List(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(beforeList, afterList) {
			t.Errorf("pruning changed the list:\n%+v\n%+v", beforeList, afterList)
		}
		afterFailures, err := s.Failures(ctx, window)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(beforeFailures, afterFailures) {
			t.Error("pruning changed the pipeline history")
		}
		if n, err := s.Prune(ctx, base.Add(10*24*time.Hour)); err != nil || n != 0 {
			t.Errorf("second Prune = %d, %v; want 0", n, err)
		}
	})
}

func seqAt(seq int, base time.Time) model.Snapshot {
	_, snap, _ := seqSnapshot(seq, base)
	return snap
}
