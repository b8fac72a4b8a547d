package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/opsdrag/opsdrag/internal/loadgen"
	"github.com/opsdrag/opsdrag/model"
	"github.com/opsdrag/opsdrag/store"
	"github.com/opsdrag/opsdrag/tui"
)

// saveLarge saves loadgen.Large's snapshot in a new history at path, as
// a demo run when demo is set.
func saveLarge(tb testing.TB, path string, demo bool) {
	tb.Helper()
	now := time.Now()
	snap := loadgen.Snapshot(loadgen.Large, now)
	snap.Demo = demo
	st, err := store.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Save(context.Background(), now, snap, model.ComputeLedger(snap, loadgen.Team(), model.DefaultAssumptions())); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkStartToFirstFrame is what opsdrag does between starting and
// painting its first frame from the history: open the history, read the
// latest snapshot (loadgen.Large: 10,000 pipeline rows, 5,000 alarms,
// 2,000 PRs), build the interface over it and render. Process start and
// the terminal's own setup are not in it (a few milliseconds).
//
//	go test -run '^$' -bench StartToFirstFrame -benchtime 5x ./cmd/opsdrag/
func BenchmarkStartToFirstFrame(b *testing.B) {
	path := filepath.Join(b.TempDir(), "history.db")
	saveLarge(b, path, false)
	b.ReportAllocs()
	for b.Loop() {
		st, err := store.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		saved, ok, err := st.Latest(context.Background(), false)
		if err != nil || !ok {
			b.Fatalf("latest: %v %v", ok, err)
		}
		a := tui.New(tui.Options{Team: loadgen.Team(), Assumptions: model.DefaultAssumptions(), Sources: loadgen.Sources, Initial: &saved.Snapshot})
		a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		if a.View().Content == "" {
			b.Fatal("empty first frame")
		}
		st.Close()
	}
}

var peakRSS = regexp.MustCompile(`VmHWM:\s+(\d+) kB`)

// BenchmarkPeakRSS runs the real binary in a terminal over a history that
// holds loadgen.Large's snapshot, waits until its first frame shows it and
// the refresh behind it has answered, and reports the process's peak
// resident memory (VmHWM, Linux).
//
//	go test -run '^$' -bench PeakRSS -benchtime 1x ./cmd/opsdrag/
func BenchmarkPeakRSS(b *testing.B) {
	for b.Loop() {
		env := cleanEnv(b)
		saveLarge(b, filepath.Join(stateDir(env), "history.db"), true)
		s := startTmux(b, 120, 40, env, "--demo", "--debug")
		s.waitFor("100 firing") // the stored snapshot's first frame
		s.waitFor("data ")
		log := waitForLog(b, filepath.Join(stateDir(env), "opsdrag.log"), `msg=collected`, len(loadgen.Sources))
		status, err := os.ReadFile("/proc/" + strconv.Itoa(lastPID(b, log)) + "/status")
		if err != nil {
			b.Skipf("no /proc status to read peak memory from: %v", err)
		}
		m := peakRSS.FindSubmatch(status)
		if m == nil {
			b.Fatalf("no VmHWM in /proc status:\n%s", status)
		}
		kb, _ := strconv.Atoi(string(m[1]))
		b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
		s.keys("q")
	}
}
