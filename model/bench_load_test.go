package model_test

import (
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/internal/loadgen"
	"github.com/opsdrag/opsdrag/model"
)

var benchNow = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)

// BenchmarkRefreshAtScale is the model's work for one refresh of a large
// organisation (loadgen.Large: 1,000 repositories, 10,000 pipeline rows,
// 2,000 PRs, 5,000 alarms): every source's outcome applied (remote text
// cleaned), then the ledger, the triage list, what is broken now and the
// checklist — what the interface and the report derive once per change.
//
//	go test -run '^$' -bench AtScale -benchmem ./model/
func BenchmarkRefreshAtScale(b *testing.B) {
	outcomes := loadgen.Outcomes(loadgen.Large, benchNow)
	team := loadgen.Team()
	b.ReportAllocs()
	for b.Loop() {
		snap := model.NewSnapshot(model.LastDays(benchNow, model.DefaultWindow), false, loadgen.Sources)
		for _, o := range outcomes {
			snap = snap.With(o)
		}
		l := model.ComputeLedger(snap, team, model.DefaultAssumptions())
		_ = l.Figures()
		_ = model.Triage(snap, model.TriageStart(benchNow, time.UTC), time.UTC)
		_ = model.BrokenNow(snap)
		_ = model.BuildChecklist(snap.Inventory())
	}
}

// BenchmarkLedgerAtScale is the ledger alone over the same snapshot.
func BenchmarkLedgerAtScale(b *testing.B) {
	snap := loadgen.Snapshot(loadgen.Large, benchNow)
	team := loadgen.Team()
	b.ReportAllocs()
	for b.Loop() {
		_ = model.ComputeLedger(snap, team, model.DefaultAssumptions())
	}
}
