package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// The test binary doubles as the second opsdrag process: run with these
// variables set, it writes to the store instead of running tests.
const (
	childRoleEnv  = "OPSDRAG_STORE_TEST_CHILD"
	childPathEnv  = "OPSDRAG_STORE_TEST_PATH"
	childFirstEnv = "OPSDRAG_STORE_TEST_FIRST"
	childCountEnv = "OPSDRAG_STORE_TEST_COUNT"
)

func TestMain(m *testing.M) {
	if role := os.Getenv(childRoleEnv); role != "" {
		os.Exit(runChild(role))
	}
	code := m.Run()
	dropTestDatabase()
	os.Exit(code)
}

// seqBase is when the first numbered snapshot was taken; snapshot seq was
// taken seq minutes later, so its time says which it is.
var seqBase = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// seqSnapshot is the snapshot numbered seq: every one different, each a few
// tens of kilobytes so that saving it writes many pages.
func seqSnapshot(seq int, base time.Time) (time.Time, model.Snapshot, model.Ledger) {
	at := base.Add(time.Duration(seq) * time.Minute)
	w := model.LastDays(at, model.DefaultWindow)
	var d model.Data
	for i := range 20 + seq%7 {
		failed := []time.Time{at.Add(-time.Duration(i+1) * time.Hour), at.Add(-time.Duration(seq%50+1) * time.Second)}
		d.Pipelines = append(d.Pipelines, model.Pipeline{
			Provider: model.GitHubActions, Scope: fmt.Sprintf("acme/repo-%d", i), Name: "CI", Branch: "main",
			Failing: i%2 == 0, Failures: len(failed), Reruns: seq % 3, RedHours: float64(seq) / 7, FailedAt: failed,
			URL: fmt.Sprintf("https://github.com/acme/repo-%d/actions/runs/%d", i, seq),
		})
		d.Alarms = append(d.Alarms, model.Alarm{
			Account: "111122223333", Region: "us-east-1", Name: fmt.Sprintf("alarm-%d", i), State: model.StateAlarm,
			Reason:      fmt.Sprintf("snapshot %d: %s", seq, strings.Repeat("threshold crossed ", 60)),
			Transitions: []time.Time{at.Add(-time.Duration(i) * time.Minute)}, HistoryKnown: true,
		})
	}
	snap := model.NewSnapshot(w, false, []string{"github/actions", "aws/alarms"})
	snap = snap.With(outcome("github/actions", model.StatusOK, at, model.Data{Pipelines: d.Pipelines}))
	snap = snap.With(outcome("aws/alarms", model.StatusOK, at, model.Data{Alarms: d.Alarms}))
	return at, snap, model.ComputeLedger(snap, testTeam, model.DefaultAssumptions())
}

// runChild is the second process: "writer" saves its snapshots and exits,
// "crash" saves until it is killed. Each prints "committed <seq>" once a
// save has returned, so the parent knows what must survive.
func runChild(role string) int {
	path := os.Getenv(childPathEnv)
	first, _ := strconv.Atoi(os.Getenv(childFirstEnv))
	count, _ := strconv.Atoi(os.Getenv(childCountEnv))
	s, err := openWith(path, options{busyTimeout: testBusy})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	switch role {
	case "lock":
		return holdCollectLock(s)
	case "marker":
		return mark(s, first, count)
	}
	for seq := first; seq < first+count; seq++ {
		at, snap, l := seqSnapshot(seq, seqBase)
		if _, err := s.Save(context.Background(), at, snap, l); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Fprintf(os.Stdout, "committed %d\n", seq)
	}
	if role == "crash" {
		fmt.Fprintln(os.Stderr, "crash child: was not killed in time")
		return 1
	}
	return 0
}

// holdCollectLock takes the collect lock, says so, and waits to be killed.
func holdCollectLock(s *Store) int {
	if _, err := s.LockCollect(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintln(os.Stdout, "committed 0")
	time.Sleep(time.Minute)
	fmt.Fprintln(os.Stderr, "lock child: was not killed in time")
	return 1
}

// mark is one person marking: triage items of its own and shared ones,
// and plan steps of one item, as marker-<first>.
func mark(s *Store, first, count int) int {
	ctx := context.Background()
	by := model.Mark{By: fmt.Sprintf("marker-%d", first), At: time.Now()}
	for i := range count {
		for _, id := range []string{fmt.Sprintf("item-%d", first+i), fmt.Sprintf("shared-%d", i)} {
			if err := s.SetHandled(ctx, seqBase, id, true, by); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		if err := s.SetPlanMark(ctx, false, "rds-instance/1/r/db", fmt.Sprintf("step-%d", first+i), true, by); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Fprintf(os.Stdout, "committed %d\n", first+i)
	}
	return 0
}

type child struct {
	cmd       *exec.Cmd
	committed chan int
	stderr    strings.Builder
}

func startChild(t *testing.T, role, path string, first, count int) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(),
		childRoleEnv+"="+role, childPathEnv+"="+path,
		childFirstEnv+"="+strconv.Itoa(first), childCountEnv+"="+strconv.Itoa(count))
	c := &child{cmd: cmd, committed: make(chan int, count)}
	cmd.Stderr = &c.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(c.committed)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "committed "); ok {
				n, _ := strconv.Atoi(v)
				c.committed <- n
			}
		}
	}()
	return c
}

// verifyAll checks every snapshot in the store is whole and exactly the one
// its time says it is, and that the file passes SQLite's integrity check.
// It returns the seqs found.
func verifyAll(t *testing.T, s *Store) map[int]bool {
	t.Helper()
	ctx := context.Background()
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	list, err := s.List(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := map[int]bool{}
	for _, sm := range list {
		seq := int(sm.At.Sub(seqBase) / time.Minute)
		if found[seq] {
			t.Errorf("snapshot %d saved twice", seq)
		}
		found[seq] = true
		got, err := s.Get(ctx, sm.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, want, l := seqSnapshot(seq, seqBase)
		if d := snapshotDiff(want, got.Snapshot); len(d) > 0 {
			t.Fatalf("snapshot %d (#%d) differs: %s", seq, sm.ID, strings.Join(d, "; "))
		}
		if got.Figures.HoursPerWeek != l.HoursPerWeek {
			t.Errorf("snapshot %d: hours/week %v, want %v", seq, got.Figures.HoursPerWeek, l.HoursPerWeek)
		}
		failures, err := s.Failures(ctx, want.Window)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range want.Pipelines() {
			k := PipelineKey{Provider: p.Provider, Scope: p.Scope, Name: p.Name, Branch: p.Branch}
			for _, at := range p.FailedAt {
				if !containsTime(failures[k], at) {
					t.Fatalf("snapshot %d: failure of %v at %v was not kept", seq, k, at)
				}
			}
		}
	}
	return found
}

func containsTime(ts []time.Time, t time.Time) bool {
	for _, x := range ts {
		if x.Equal(t) {
			return true
		}
	}
	return false
}

// Two stores in one process, opening a new file at the same moment and
// writing from several goroutines while others read.
func TestConcurrentWritersInOneProcess(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		path := b.fresh(t)
		const stores, writers, each = 2, 3, 8
		opened := make([]*Store, stores)
		var wg sync.WaitGroup
		for i := range opened {
			wg.Go(func() {
				s, err := openWith(path, options{busyTimeout: testBusy})
				if err != nil {
					t.Errorf("Open: %v", err)
					return
				}
				opened[i] = s
			})
		}
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		done := make(chan struct{})
		var readers sync.WaitGroup
		for si, s := range opened {
			defer s.Close()
			for w := range writers {
				wg.Go(func() {
					for i := range each {
						seq := (si*writers+w)*each + i
						at, snap, l := seqSnapshot(seq, seqBase)
						if _, err := s.Save(ctx, at, snap, l); err != nil {
							t.Errorf("Save %d: %v", seq, err)
							return
						}
					}
				})
			}
			readers.Go(func() {
				for {
					select {
					case <-done:
						return
					default:
					}
					if _, _, err := s.Latest(ctx, false); err != nil {
						t.Errorf("Latest: %v", err)
						return
					}
					if _, err := s.Weekly(ctx, seqBase, 4, time.UTC); err != nil {
						t.Errorf("Weekly: %v", err)
						return
					}
				}
			})
		}
		wg.Wait()
		close(done)
		readers.Wait()
		if t.Failed() {
			t.FailNow()
		}
		if found := verifyAll(t, opened[0]); len(found) != stores*writers*each {
			t.Errorf("%d snapshots stored, want %d", len(found), stores*writers*each)
		}
	})
}

// Two opsdrag processes writing to one new file at once.
func TestConcurrentWritersInTwoProcesses(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		path := b.fresh(t)
		const each = 15
		c := startChild(t, "writer", path, 1000, each)
		s := openTest(t, path)
		for seq := range each {
			at, snap, l := seqSnapshot(seq, seqBase)
			if _, err := s.Save(ctx, at, snap, l); err != nil {
				t.Fatal(err)
			}
		}
		for range c.committed {
		}
		if err := c.cmd.Wait(); err != nil {
			t.Fatalf("child process: %v\n%s", err, c.stderr.String())
		}
		found := verifyAll(t, s)
		for _, first := range []int{0, 1000} {
			for seq := first; seq < first+each; seq++ {
				if !found[seq] {
					t.Errorf("snapshot %d is missing", seq)
				}
			}
		}
		if len(found) != 2*each {
			t.Errorf("%d snapshots stored, want %d", len(found), 2*each)
		}
	})
}

// A process killed at a random moment while saving loses nothing it had
// committed, and leaves no half-written snapshot.
func TestCrashMidWriteLosesNothingCommitted(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		path := b.fresh(t)
		r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
		committed := map[int]bool{}
		for round := range 5 {
			first := round * 10000
			c := startChild(t, "crash", path, first, 5000)
			wantCommits := 3 + r.IntN(10)
			n := 0
			for seq := range c.committed {
				committed[seq] = true
				if n++; n == wantCommits {
					break
				}
			}
			if n < wantCommits {
				c.cmd.Wait()
				t.Fatalf("round %d: the child stopped after %d saves: %s", round, n, c.stderr.String())
			}
			// Kill it somewhere inside one of the next saves.
			time.Sleep(time.Duration(r.IntN(20_000)) * time.Microsecond)
			if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			for seq := range c.committed { // what it reported before dying
				committed[seq] = true
				n++
			}
			if err := c.cmd.Wait(); err == nil {
				t.Fatalf("round %d: the child was not killed", round)
			}

			s := openTest(t, path)
			found := verifyAll(t, s)
			for seq := range committed {
				if !found[seq] {
					t.Errorf("round %d: committed snapshot %d was lost", round, seq)
				}
			}
			t.Logf("round %d: killed after %d reported saves; %d snapshots in the file", round, n, len(found))
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		}
	})
}
