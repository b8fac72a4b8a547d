package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// fillStore saves n sizeable snapshots, so the file spans many pages.
func fillStore(t *testing.T, path string, n int) {
	t.Helper()
	s := openTest(t, path)
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		at, snap, l := seqSnapshot(i, base)
		if _, err := s.Save(context.Background(), at, snap, l); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func assertCorruptError(t *testing.T, err error, path string) {
	t.Helper()
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("error = %v, want ErrCorrupt", err)
	}
	for _, want := range []string{path, "move the file aside", "--no-store", "nothing was changed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestNotADatabaseIsRefusedUntouched(t *testing.T) {
	path := tempDB(t)
	junk := make([]byte, 3*4096)
	r := rand.NewChaCha8([32]byte{7})
	r.Read(junk)
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path)
	assertCorruptError(t, err, path)
	assertUnchanged(t, path, junk)
}

func TestTruncatedDatabaseIsRefusedUntouched(t *testing.T) {
	path := tempDB(t)
	fillStore(t, path, 30)
	full := fileBytes(t, path)
	if len(full) < 20*4096 {
		t.Fatalf("test setup: only %d bytes", len(full))
	}
	cut := full[:len(full)/2+100] // not even on a page boundary
	if err := os.WriteFile(path, cut, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path)
	assertCorruptError(t, err, path)
	assertUnchanged(t, path, cut)
}

// A page damaged in the middle of the file may go unnoticed until it is
// read; Check reads everything and reports it, changing nothing.
func TestDamagedPageIsReportedUntouched(t *testing.T) {
	path := tempDB(t)
	fillStore(t, path, 30)
	b := fileBytes(t, path)
	const page = 4096
	r := rand.NewChaCha8([32]byte{9})
	mid := len(b) / page / 2 * page
	r.Read(b[mid : mid+page])
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err == nil {
		err = s.Check(context.Background())
		s.Close()
	}
	assertCorruptError(t, err, path)
	assertUnchanged(t, path, b)
}

func TestLockedDatabase(t *testing.T) {
	ctx := context.Background()
	path := tempDB(t)
	s, err := openWith(path, options{busyTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	first := richSnapshot(t, false)
	if _, err := s.Save(ctx, time.Now(), first, model.Ledger{}); err != nil {
		t.Fatal(err)
	}

	// Another process holds the write lock, and keeps it past the timeout.
	other := rawDB(t, path)
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = s.Save(ctx, time.Now(), first, model.Ledger{})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("Save while locked = %v, want ErrLocked", err)
	}
	if waited := time.Since(start); waited < 150*time.Millisecond {
		t.Errorf("gave up after %v, before the busy timeout", waited)
	}
	for _, want := range []string{path, "another opsdrag", "retry"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if err := s.SetHandled(ctx, time.Now(), "x", true, model.Mark{By: "ana", At: time.Now()}); !errors.Is(err, ErrLocked) {
		t.Errorf("SetHandled while locked = %v, want ErrLocked", err)
	}
	// Readers are not blocked by a writer, and a second opsdrag can still
	// start.
	if got, ok, err := s.Latest(ctx, false); err != nil || !ok {
		t.Errorf("Latest while locked = %v, %v", ok, err)
	} else {
		assertSnapshot(t, first, got.Snapshot)
	}
	s2 := openTest(t, path)
	if _, err := s2.List(ctx, 0); err != nil {
		t.Errorf("List from a second store while locked: %v", err)
	}

	if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(ctx, time.Now(), first, model.Ledger{}); err != nil {
		t.Errorf("Save after the lock was released: %v", err)
	}
}
