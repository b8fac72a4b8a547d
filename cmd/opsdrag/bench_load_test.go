package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
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

// BenchmarkFirstFrameBinary is start to first frame as a person sees it:
// the real binary, started in a terminal over a history that holds
// loadgen.Large's snapshot, until its first frame is on the screen. The
// terminal's own part is measured alongside (a shell that prints one
// line, "terminal-ms"): what is left is opsdrag's, from process start.
//
//	go test -run '^$' -bench FirstFrameBinary -benchtime 5x ./cmd/opsdrag/
func BenchmarkFirstFrameBinary(b *testing.B) {
	var first, terminal time.Duration
	for b.Loop() {
		env := cleanEnv(b)
		saveLarge(b, filepath.Join(stateDir(env), "history.db"), true)
		first += timeToScreen(b, "env -i "+quoteAll(env)+" "+quoteAll([]string{binary, "--demo"}), "100 firing")
		terminal += timeToScreen(b, "echo 'first line'", "first line")
	}
	b.ReportMetric(float64(first.Milliseconds())/float64(b.N), "first-frame-ms")
	b.ReportMetric(float64(terminal.Milliseconds())/float64(b.N), "terminal-ms")
}

// timeToScreen starts command in a new terminal and returns how long
// until want is on its screen, read every 5 ms (more often, the reading
// takes the CPU the program needs).
func timeToScreen(b *testing.B, command, want string) time.Duration {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer()
	start := time.Now()
	s := startTmuxShell(b, 120, 40, command)
	for !strings.Contains(s.screen(), want) {
		if time.Since(start) > 30*time.Second {
			b.Fatalf("%q never on screen:\n%s", want, s.screen())
		}
		time.Sleep(5 * time.Millisecond)
	}
	took := time.Since(start)
	s.tmux("kill-server")
	return took
}

var (
	peakRSS = regexp.MustCompile(`VmHWM:\s+(\d+) kB`)
	anonRSS = regexp.MustCompile(`RssAnon:\s+(\d+) kB`)
)

// BenchmarkPeakRSS runs the real binary (built as a release is) in a
// terminal and reports its peak resident memory (VmHWM, Linux), binary and
// runtime included: "demo" on the built-in demo data alone, the floor any
// run starts from; "10k" over a history that holds loadgen.Large's
// snapshot, from its first frame until the refresh behind it has answered.
// How much of the executable the kernel maps in varies from run to run
// with its page cache (±10 MB here), so it also reports the peak of the
// memory the process itself allocated (RssAnon, read every 2 ms).
//
//	go test -run '^$' -bench PeakRSS -benchtime 1x ./cmd/opsdrag/
func BenchmarkPeakRSS(b *testing.B) {
	for _, c := range []struct {
		name  string
		large bool
		first string
	}{{"demo", false, "2 firing"}, {"10k", true, "100 firing"}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				env := cleanEnv(b)
				if c.large {
					saveLarge(b, filepath.Join(stateDir(env), "history.db"), true)
				}
				logPath := filepath.Join(stateDir(env), "opsdrag.log")
				s := startTmux(b, 120, 40, env, "--demo", "--debug")
				pid := lastPID(b, waitForLog(b, logPath, `msg="opsdrag started"`, 1))
				anon := sampleMax(pid, anonRSS)
				s.waitFor(c.first) // the first frame
				s.waitFor("data ")
				waitForLog(b, logPath, `msg=collected`, len(loadgen.Sources))
				time.Sleep(time.Second) // the panes built after a pause
				peak := readKB(b, pid, peakRSS)
				b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
				b.ReportMetric(float64(anon())/1024, "peak-anon-MB")
				s.keys("q")
			}
		})
	}
}

// readKB reads a figure in kB from the process's /proc status.
func readKB(b *testing.B, pid int, re *regexp.Regexp) int {
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Skipf("no /proc status to read memory from: %v", err)
	}
	m := re.FindSubmatch(status)
	if m == nil {
		b.Fatalf("no %s in /proc status:\n%s", re, status)
	}
	kb, _ := strconv.Atoi(string(m[1]))
	return kb
}

// sampleMax reads the figure re finds in the process's /proc status every
// 2 ms; the function it returns stops and gives the largest read, in kB.
func sampleMax(pid int, re *regexp.Regexp) func() int {
	stop, done := make(chan struct{}), make(chan int)
	go func() {
		most := 0
		for {
			if status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status"); err == nil {
				if m := re.FindSubmatch(status); m != nil {
					kb, _ := strconv.Atoi(string(m[1]))
					most = max(most, kb)
				}
			}
			select {
			case <-stop:
				done <- most
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() int {
		close(stop)
		return <-done
	}
}
