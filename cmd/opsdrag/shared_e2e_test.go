package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to make each test's schema

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/collectors/demo"
	"github.com/opsdrag/opsdrag/model"
	"github.com/opsdrag/opsdrag/store"
)

// sharedStore is a new, empty PostgreSQL schema of the server that
// OPSDRAG_TEST_POSTGRES_URL names (see store's tests), as the URL a team
// would put in OPSDRAG_STORE_URL. Skipped without one, unless
// OPSDRAG_REQUIRE_POSTGRES is set.
func sharedStore(t *testing.T) string {
	t.Helper()
	admin := os.Getenv("OPSDRAG_TEST_POSTGRES_URL")
	if admin == "" {
		if os.Getenv("OPSDRAG_REQUIRE_POSTGRES") != "" {
			t.Fatal("OPSDRAG_REQUIRE_POSTGRES is set but OPSDRAG_TEST_POSTGRES_URL is not: start PostgreSQL with .ci/postgres.sh")
		}
		t.Skip("no PostgreSQL: set OPSDRAG_TEST_POSTGRES_URL (bash .ci/postgres.sh start $$ prints it)")
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	schema := fmt.Sprintf("cmd_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		db.Close()
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func openShared(t *testing.T, target string) *store.Store {
	t.Helper()
	st, err := store.Open(target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// saveLive saves what the demo collects, as a live collection someone with
// credentials made at at.
func saveLive(t *testing.T, st *store.Store, at time.Time) {
	t.Helper()
	clock := func() time.Time { return at }
	r := collectors.Runner{Collectors: demo.Collectors(demo.Options{Now: clock}), Now: clock}
	snap := r.Collect(context.Background(), model.NewSnapshot(model.LastDays(at, model.DefaultWindow), false, r.Names()))
	if _, err := st.Save(context.Background(), at, snap, model.ComputeLedger(snap, demo.Team(), model.DefaultAssumptions())); err != nil {
		t.Fatal(err)
	}
}

func TestCollectSavesIntoTheSharedStore(t *testing.T) {
	target := sharedStore(t)
	env := append(cleanEnv(t), "OPSDRAG_STORE_URL="+target)
	r := run(t, env, "collect", "--demo")
	if r.code != 0 || !strings.Contains(r.stdout, "Saved snapshot #1 in postgres://") {
		t.Fatalf("collect = %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, ":"+passwordOf(t, target)+"@") {
		t.Error("collect printed the database password")
	}
	list, err := openShared(t, target).List(context.Background(), 0)
	if err != nil || len(list) != 1 || !list[0].Demo {
		t.Fatalf("the store holds %+v (%v), want the one demo snapshot", list, err)
	}
	// The history lists it from the same database, and --check passes.
	if r := run(t, env, "history", "--check"); r.code != 0 || !strings.Contains(r.stdout, "ok") {
		t.Errorf("history --check = %d: %s %s", r.code, r.stdout, r.stderr)
	}
}

// A collect that finds another running saves nothing, exits 1 and says why.
func TestCollectRefusedWhileAnotherRuns(t *testing.T) {
	target := sharedStore(t)
	st := openShared(t, target)
	release, err := st.LockCollect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	r := run(t, append(cleanEnv(t), "OPSDRAG_STORE_URL="+target), "collect", "--demo")
	if r.code != 1 || !strings.Contains(r.stderr, "another opsdrag collect is running") || !strings.Contains(r.stderr, "nothing") {
		t.Fatalf("collect while another runs = %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if list, err := st.List(context.Background(), 0); err != nil || len(list) != 0 {
		t.Errorf("the refused collect saved %d snapshots (%v)", len(list), err)
	}
}

// Nothing configured and no credentials: a usage error, nothing saved.
func TestCollectWithNothingConfigured(t *testing.T) {
	r := run(t, cleanEnv(t), "collect")
	if r.code != 2 || !strings.Contains(r.stderr, "opsdrag init") {
		t.Fatalf("collect = %d: %s", r.code, r.stderr)
	}
}

// Someone with the team's store and no GitHub or AWS credentials sees the
// latest shared collection in every report, said to be one and how old,
// and can still mark.
func TestReaderWithoutCredentialsSeesTheSharedSnapshot(t *testing.T) {
	target := sharedStore(t)
	st := openShared(t, target)
	saved := time.Now().Add(-3 * time.Hour).Truncate(time.Second)
	saveLive(t, st, saved)
	env := append(cleanEnv(t), "OPSDRAG_STORE_URL="+target)

	r := run(t, env, "report", "--format", "json")
	if r.code != 0 {
		t.Fatalf("report = %d: %s", r.code, r.stderr)
	}
	var rep struct {
		FromHistory string `json:"from_history"`
		Demo        bool   `json:"demo"`
		Drag        struct {
			HoursPerWeek *float64 `json:"hours_per_week"`
		} `json:"drag"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if at, err := time.Parse(time.RFC3339, rep.FromHistory); err != nil || !at.Equal(saved) || rep.Demo || rep.Drag.HoursPerWeek == nil || *rep.Drag.HoursPerWeek == 0 {
		t.Errorf("report = from_history %q demo %v drag %v; want the shared snapshot saved %v", rep.FromHistory, rep.Demo, rep.Drag.HoursPerWeek, saved)
	}
	if !strings.Contains(r.stderr, "team's latest shared collection") {
		t.Errorf("stderr does not say the report is the shared snapshot: %s", r.stderr)
	}
	r = run(t, env, "report")
	if r.code != 0 || !strings.Contains(r.stdout, "From the history: the collection saved") || !strings.Contains(r.stdout, "3 h before") {
		t.Errorf("text report = %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, env, "triage", "--format", "json")
	if r.code != 0 || !strings.Contains(r.stdout, `"from_history"`) {
		t.Errorf("triage = %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, env, "checklist")
	if r.code != 0 || !strings.Contains(r.stdout, "From the history") {
		t.Errorf("checklist = %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// A newer collection by someone else is what the next run shows.
	saveLive(t, st, saved.Add(2*time.Hour))
	r = run(t, env, "report", "--format", "json")
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if at, _ := time.Parse(time.RFC3339, rep.FromHistory); !at.Equal(saved.Add(2 * time.Hour)) {
		t.Errorf("after a newer save the report shows the one saved %s", rep.FromHistory)
	}
}

func passwordOf(t *testing.T, target string) string {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	return pw
}

// doctor checks the shared store, not a local file, and never prints its
// password.
func TestDoctorChecksTheSharedStore(t *testing.T) {
	target := sharedStore(t)
	r := run(t, append(cleanEnv(t), "OPSDRAG_STORE_URL="+target), "doctor")
	if !strings.Contains(r.stdout, "(shared) reachable, schema current") {
		t.Errorf("doctor does not check the shared store:\n%s\n%s", r.stdout, r.stderr)
	}
	if pw := passwordOf(t, target); pw != "" && strings.Contains(r.stdout+r.stderr, pw) {
		t.Error("doctor printed the database password")
	}
}
