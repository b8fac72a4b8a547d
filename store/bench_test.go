package store

import (
	"context"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// The demo data set at a fixed moment, collected through the real runner:
// six sources, a realistic snapshot. Save includes the history upserts.
func BenchmarkSave(b *testing.B) {
	ctx := context.Background()
	s := openTest(b, tempDB(b))
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	snap := demoSnapshot(b, now)
	l := model.ComputeLedger(snap, testTeam, model.DefaultAssumptions())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Save(ctx, now, snap, l); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLatest(b *testing.B) {
	ctx := context.Background()
	s := openTest(b, tempDB(b))
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	snap := demoSnapshot(b, now)
	l := model.ComputeLedger(snap, testTeam, model.DefaultAssumptions())
	// A history of a few weeks of refreshes, so Latest has to pick.
	for i := range 500 {
		if _, err := s.Save(ctx, now.Add(-time.Duration(i)*time.Hour), snap, l); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok, err := s.Latest(ctx, false); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}
