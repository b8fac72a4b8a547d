package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// pgFingerprint is everything a refused open must leave as it was: the
// schema's tables, their row counts, and the marker.
func pgFingerprint(t *testing.T, target string) string {
	t.Helper()
	db := rawDB(t, target)
	rows, err := db.Query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	var b strings.Builder
	for _, name := range tables {
		fmt.Fprintf(&b, "%s:%d ", name, queryInt(t, db, `SELECT count(*) FROM `+name))
	}
	if slices.Contains(tables, "opsdrag_schema") {
		fmt.Fprintf(&b, "version:%d", queryInt(t, db, `SELECT version FROM opsdrag_schema`))
	}
	return b.String()
}

func TestPostgresNewerSchemaIsRefusedUntouched(t *testing.T) {
	target := freshSchema(t)
	s := openTest(t, target)
	if _, err := s.Save(context.Background(), time.Now(), richSnapshot(t, false), model.Ledger{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := rawDB(t, target).Exec(`UPDATE opsdrag_schema SET version = 99`); err != nil {
		t.Fatal(err)
	}
	before := pgFingerprint(t, target)
	_, err := Open(target)
	if !errors.Is(err, ErrTooNew) {
		t.Fatalf("Open = %v, want ErrTooNew", err)
	}
	for _, want := range []string{RedactURL(target), "upgrade opsdrag", "99", "left unchanged"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if after := pgFingerprint(t, target); after != before {
		t.Errorf("the refused database changed:\n%s\n%s", before, after)
	}
}

func TestPostgresForeignSchemaIsRefusedUntouched(t *testing.T) {
	target := freshSchema(t)
	if _, err := rawDB(t, target).Exec(`CREATE TABLE invoices (id INTEGER); INSERT INTO invoices VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	before := pgFingerprint(t, target)
	_, err := Open(target)
	if !errors.Is(err, ErrForeign) || !strings.Contains(err.Error(), "search_path") {
		t.Fatalf("Open = %v, want ErrForeign pointing to search_path", err)
	}
	if after := pgFingerprint(t, target); after != before {
		t.Errorf("the refused schema changed:\n%s\n%s", before, after)
	}
}

// The URL's password never shows: not in Path, not in any error.
func TestPostgresPasswordIsNeverShown(t *testing.T) {
	requirePostgres(t)
	target := freshSchema(t)
	s := openTest(t, target)
	pw := "opsdrag-test-secret"
	wrong := strings.Replace(withQuery(target, "connect_timeout", "5"), "://", "://nobody:"+pw+"@", 1)
	wrong = strings.Replace(wrong, "@"+strings.SplitN(strings.SplitN(target, "://", 2)[1], "@", 2)[0]+"@", "@", 1)
	_, err := Open(wrong)
	if err == nil {
		t.Fatal("Open as an unknown role succeeded")
	}
	if strings.Contains(err.Error(), pw) {
		t.Errorf("the error shows the password: %v", err)
	}
	if !strings.Contains(err.Error(), "store.url") {
		t.Errorf("the error does not say what to check: %v", err)
	}
	if strings.Contains(s.Path(), ":"+os.Getenv(postgresURLEnv)) || strings.Contains(RedactURL("postgres://a:"+pw+"@h/d?password="+pw), pw) {
		t.Error("RedactURL keeps the password")
	}
}

// A writer that holds the save lock past the busy timeout makes a save
// give up with ErrLocked; readers and marks go on, and the save works once
// the lock is gone.
func TestPostgresLockedSave(t *testing.T) {
	ctx := context.Background()
	target := freshSchema(t)
	s, err := openWith(target, options{busyTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	first := richSnapshot(t, false)
	if _, err := s.Save(ctx, time.Now(), first, model.Ledger{}); err != nil {
		t.Fatal(err)
	}
	other := rawDB(t, target)
	tx, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`SELECT pg_advisory_xact_lock($1, hashtext(current_schema() || ':' || $2))`, pgLockClass, lockSave); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = s.Save(ctx, time.Now(), first, model.Ledger{})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "retry") {
		t.Fatalf("Save while locked = %v, want ErrLocked with a hint", err)
	}
	if waited := time.Since(start); waited < 150*time.Millisecond {
		t.Errorf("gave up after %v, before the busy timeout", waited)
	}
	if got, ok, err := s.Latest(ctx, false); err != nil || !ok {
		t.Errorf("Latest while locked = %v, %v", ok, err)
	} else {
		assertSnapshot(t, first, got.Snapshot)
	}
	if err := s.SetHandled(ctx, time.Now(), "x", true, model.Mark{By: "ana", At: time.Now()}); err != nil {
		t.Errorf("a mark while a save is locked: %v", err)
	}
	tx.Rollback()
	if _, err := s.Save(ctx, time.Now(), first, model.Ledger{}); err != nil {
		t.Errorf("Save after the lock was released: %v", err)
	}
}

// Two collects at once: the second is refused at once, and takes the lock
// once the first has let go of it.
func TestCollectLock(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		target := b.fresh(t)
		one, two := openTest(t, target), openTest(t, target)
		release, err := one.LockCollect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := two.LockCollect(ctx); !errors.Is(err, ErrCollectRunning) || !strings.Contains(err.Error(), "nothing was saved") {
			t.Fatalf("a second collect = %v, want ErrCollectRunning", err)
		}
		if err := release(); err != nil {
			t.Fatal(err)
		}
		again, err := two.LockCollect(ctx)
		if err != nil {
			t.Fatalf("after the first let go: %v", err)
		}
		if err := again(); err != nil {
			t.Fatal(err)
		}
	})
}

// A collect killed while it holds the lock never leaves it held.
func TestCollectLockDiesWithItsProcess(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		target := b.fresh(t)
		s := openTest(t, target)
		c := startChild(t, "lock", target, 0, 1)
		if _, ok := <-c.committed; !ok {
			c.cmd.Wait()
			t.Fatalf("the child did not take the lock: %s", c.stderr.String())
		}
		if _, err := s.LockCollect(context.Background()); !errors.Is(err, ErrCollectRunning) {
			t.Fatalf("while the child holds it: %v, want ErrCollectRunning", err)
		}
		if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		c.cmd.Wait()
		deadline := time.Now().Add(10 * time.Second)
		for {
			release, err := s.LockCollect(context.Background())
			if err == nil {
				release()
				return
			}
			if !errors.Is(err, ErrCollectRunning) || time.Now().After(deadline) {
				t.Fatalf("after the child was killed: %v", err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// Two people (two processes) marking at the same moment lose neither
// mark: each process marks its own items and the same shared ones, and
// every mark is kept with who set it.
func TestTwoProcessesMarkingAtOnce(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		target := b.fresh(t)
		s := openTest(t, target)
		const each = 40
		var wg sync.WaitGroup
		children := []*child{startChild(t, "marker", target, 0, each), startChild(t, "marker", target, 1000, each)}
		for _, c := range children {
			wg.Go(func() {
				for range c.committed {
				}
			})
		}
		wg.Wait()
		for _, c := range children {
			if err := c.cmd.Wait(); err != nil {
				t.Fatalf("marker process: %v\n%s", err, c.stderr.String())
			}
		}
		got, err := s.Handled(context.Background(), seqBase)
		if err != nil {
			t.Fatal(err)
		}
		for _, first := range []int{0, 1000} {
			for i := first; i < first+each; i++ {
				if m := got[fmt.Sprintf("item-%d", i)]; m.By != fmt.Sprintf("marker-%d", first) {
					t.Errorf("item-%d: %+v, want marked by marker-%d", i, m, first)
				}
			}
		}
		for i := range each {
			if m := got[fmt.Sprintf("shared-%d", i)]; m.By != "marker-0" && m.By != "marker-1000" {
				t.Errorf("shared-%d: %+v, want marked by one of the two", i, m)
			}
		}
		st, err := s.PlanState(context.Background(), false)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(st.Marks["rds-instance/1/r/db"].Steps); n != 2*each {
			t.Errorf("%d plan steps marked, want %d", n, 2*each)
		}
	})
}
