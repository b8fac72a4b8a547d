package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// tableExists reports whether the store at target holds the table name.
func tableExists(t *testing.T, target, name string) bool {
	t.Helper()
	if IsURL(target) {
		return queryInt(t, rawDB(t, target), `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?`, name) == 1
	}
	return queryInt(t, rawDB(t, target), `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, name) == 1
}

// schemaVersion is the store's schema version as its marker says.
func schemaVersion(t *testing.T, target string) int {
	t.Helper()
	if IsURL(target) {
		return queryInt(t, rawDB(t, target), `SELECT version FROM opsdrag_schema`)
	}
	return queryInt(t, rawDB(t, target), `PRAGMA user_version`)
}

// schemaOf is the backend's own list of migrations.
func schemaOf(b backend) []migration {
	if b.pg {
		return postgresSchema()
	}
	return sqliteSchema()
}

// A history written by the first release (schema version 1, before triage
// marks) is migrated in place and keeps everything it held.
func TestMigrateFromVersion1(t *testing.T) {
	ctx := context.Background()
	path := tempDB(t)
	// Today's Save writes today's columns: save with today's schema, then
	// take the file back to the first release's shape.
	old, err := openWith(path, options{busyTimeout: testBusy})
	if err != nil {
		t.Fatal(err)
	}
	// The first release knew no alarm reach: its snapshots hold none.
	snap := withoutAlarmReach(richSnapshot(t, false))
	l := model.ComputeLedger(snap, testTeam, model.DefaultAssumptions())
	at := time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC)
	id, err := old.Save(ctx, at, snap, l)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	for _, q := range []string{`ALTER TABLE triage_marks DROP COLUMN who`, `ALTER TABLE triage_marks DROP COLUMN at`,
		`DROP TABLE plan_marks`, `DROP TABLE plan_notes`, `DROP TABLE plan_items`,
		`DROP TABLE triage_marks`, `DROP TABLE alarm_history_read`,
		`ALTER TABLE snapshots DROP COLUMN hours_completeness`, `PRAGMA user_version = 1`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("test setup: %s: %v", q, err)
		}
	}
	// The first release saved every drag as a plain number.
	l.Coverage.Completeness = model.Complete
	if v := queryInt(t, rawDB(t, path), `PRAGMA user_version`); v != 1 || tableExists(t, path, "triage_marks") {
		t.Fatalf("test setup: version %d, triage_marks present %v", v, tableExists(t, path, "triage_marks"))
	}

	s := openTest(t, path)
	if v, want := queryInt(t, rawDB(t, path), `PRAGMA user_version`), len(sqliteSchema()); v != want {
		t.Errorf("user_version = %d after migrating, want %d", v, want)
	}
	got, err := s.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	assertSnapshot(t, snap, got.Snapshot)
	assertFigures(t, l, got.Figures)
	tr, err := s.Transitions(ctx, snap.Window)
	if err != nil || len(tr) == 0 {
		t.Errorf("transitions after migrating = %v, %v", tr, err)
	}
	by := model.Mark{By: "ana@example.com", At: at}
	if err := s.SetHandled(ctx, at, "alarm:x", true, by); err != nil {
		t.Fatalf("the new table is not usable: %v", err)
	}
	if h, err := s.Handled(ctx, at); err != nil || h["alarm:x"].By != by.By || !h["alarm:x"].At.Equal(at) {
		t.Errorf("Handled = %v, %v", h, err)
	}
	if err := s.SetPlanMark(ctx, false, "rds-instance/1/r/db", "", true, by); err != nil {
		t.Fatalf("the plan tables are not usable: %v", err)
	}
	rich := richSnapshot(t, false)
	if _, err := s.Save(ctx, at, rich, l); err != nil {
		t.Fatalf("save after migrating: %v", err)
	}
	if read, err := s.AlarmHistoryRead(ctx, rich.Window); err != nil || len(read) != 1 {
		t.Errorf("alarm history read after migrating = %v, %v", read, err)
	}
	// Opening again runs nothing twice.
	s.Close()
	openTest(t, path)
}

// A migration that fails half-way leaves the file as it was: version and
// tables.
func TestFailedMigrationChangesNothing(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		path := b.fresh(t)
		s := openTest(t, path)
		s.Close()
		broken := append(schemaOf(b), migration{name: "broken", sql: `
CREATE TABLE half_done (x INTEGER);
INSERT INTO no_such_table VALUES (1);`})
		_, err := openWith(path, options{busyTimeout: testBusy, migrations: broken})
		if err == nil || !strings.Contains(err.Error(), "broken") || !strings.Contains(err.Error(), shown(path)) {
			t.Fatalf("Open with a broken migration = %v, want an error naming it and the file", err)
		}
		if v := schemaVersion(t, path); v != len(schemaOf(b)) {
			t.Errorf("schema version = %d, want %d", v, len(schemaOf(b)))
		}
		if tableExists(t, path, "half_done") {
			t.Error("the failed migration's first statement was kept")
		}
	})
}

func TestNewerSchemaIsRefusedUntouched(t *testing.T) {
	path := tempDB(t)
	s := openTest(t, path)
	if _, err := s.Save(context.Background(), time.Now(), richSnapshot(t, false), model.Ledger{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db := rawDB(t, path)
	if _, err := db.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := fileBytes(t, path)

	_, err := Open(path)
	if !errors.Is(err, ErrTooNew) {
		t.Fatalf("Open = %v, want ErrTooNew", err)
	}
	for _, want := range []string{path, "upgrade opsdrag", "99", "left unchanged"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	assertUnchanged(t, path, before)
}

func TestForeignDatabaseIsRefusedUntouched(t *testing.T) {
	path := tempDB(t)
	db := rawDB(t, path)
	// Its own schema version must not pass for a newer opsdrag's.
	if _, err := db.Exec(`CREATE TABLE invoices (id INTEGER); INSERT INTO invoices VALUES (1); PRAGMA user_version = 7`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := fileBytes(t, path)
	_, err := Open(path)
	if !errors.Is(err, ErrForeign) || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open = %v, want ErrForeign naming the file", err)
	}
	assertUnchanged(t, path, before)
}

// withoutAlarmReach returns snap with no source's alarm reach, as snapshots
// were before opsdrag recorded it.
func withoutAlarmReach(snap model.Snapshot) model.Snapshot {
	parts := snap.Parts()
	for name, d := range parts {
		d.AlarmReach = nil
		parts[name] = d
	}
	return model.RestoreSnapshot(snap.Window, snap.Demo, snap.Sources, parts)
}
