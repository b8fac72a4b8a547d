package store

import (
	"context"
	"fmt"
)

// applicationID marks a SQLite file as an opsdrag history ("opsd"), so
// opsdrag never adds its tables to someone else's database.
const applicationID = 0x6f707364

// migration is one step of a backend's schema. Its version is its position
// in the backend's list plus one, kept in PRAGMA user_version (SQLite) or
// the opsdrag_schema table (PostgreSQL).
type migration struct {
	name string
	sql  string
}

// sqliteSchema lists every SQLite migration in order. Append only: a
// released step is never edited, since databases in the field already ran
// it. postgresSchema is the same tables for PostgreSQL; a step added to one
// needs its twin in the other.
//
// Times are INTEGER Unix nanoseconds (UTC), so windows compare as numbers.
// Each source's data is model.Data as JSON: the model is the contract, and a
// snapshot comes back exactly as it was collected.
func sqliteSchema() []migration {
	return []migration{
		{name: "snapshots, drag figures, alarm transitions and pipeline failures", sql: `
PRAGMA application_id = ` + fmt.Sprint(applicationID) + `;

CREATE TABLE snapshots (
	id              INTEGER PRIMARY KEY,
	at              INTEGER NOT NULL,
	window_since    INTEGER,
	window_until    INTEGER,
	demo            INTEGER NOT NULL,
	sources_ok      INTEGER NOT NULL,
	sources_total   INTEGER NOT NULL,
	hours_per_week  REAL    NOT NULL,
	team_share      REAL,
	monthly_cost    REAL,
	invoice_monthly REAL,
	cost_ratio      REAL,
	infra_merged    INTEGER NOT NULL,
	merged_prs      INTEGER
);
CREATE INDEX snapshots_by_time ON snapshots (demo, at);

CREATE TABLE snapshot_sources (
	snapshot_id  INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
	position     INTEGER NOT NULL,
	name         TEXT    NOT NULL,
	status       TEXT    NOT NULL,
	detail       TEXT    NOT NULL,
	items        INTEGER NOT NULL,
	duration_ns  INTEGER NOT NULL,
	collected_at INTEGER,
	stale        INTEGER NOT NULL,
	data         TEXT,
	PRIMARY KEY (snapshot_id, position)
) WITHOUT ROWID;

CREATE TABLE snapshot_drag (
	snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
	category    TEXT    NOT NULL,
	week_hours  REAL    NOT NULL,
	PRIMARY KEY (snapshot_id, category)
) WITHOUT ROWID;

CREATE TABLE alarm_transitions (
	account TEXT    NOT NULL,
	region  TEXT    NOT NULL,
	name    TEXT    NOT NULL,
	at      INTEGER NOT NULL,
	PRIMARY KEY (account, region, name, at)
) WITHOUT ROWID;
CREATE INDEX alarm_transitions_by_time ON alarm_transitions (at);

CREATE TABLE pipeline_failures (
	provider  TEXT    NOT NULL,
	scope     TEXT    NOT NULL,
	name      TEXT    NOT NULL,
	branch    TEXT    NOT NULL,
	failed_at INTEGER NOT NULL,
	PRIMARY KEY (provider, scope, name, branch, failed_at)
) WITHOUT ROWID;
CREATE INDEX pipeline_failures_by_time ON pipeline_failures (failed_at);
`},
		{name: "Monday-triage marks", sql: `
CREATE TABLE triage_marks (
	triage_start INTEGER NOT NULL,
	item_id      TEXT    NOT NULL,
	PRIMARY KEY (triage_start, item_id)
) WITHOUT ROWID;
`},
		{name: "stretches of alarm history read", sql: `
CREATE TABLE alarm_history_read (
	account TEXT    NOT NULL,
	region  TEXT    NOT NULL,
	since   INTEGER NOT NULL,
	until   INTEGER NOT NULL,
	PRIMARY KEY (account, region, since)
) WITHOUT ROWID;
`},
		// hours_per_week is NOT NULL from the first step: a drag nobody could
		// count is saved as 0 with completeness 'unknown', and never read as 0.
		{name: "how complete each snapshot's hours are", sql: `
ALTER TABLE snapshots ADD COLUMN hours_completeness TEXT NOT NULL DEFAULT 'complete';
`},
		// Marks and notes are keyed by the plan item's stable id (kind/
		// account/region/resource), never by a snapshot: they outlive every
		// re-derivation. step '' marks the whole item. The demo's plan is
		// kept apart from the team's, as its snapshots are.
		{name: "migration plan marks, notes and the items seen", sql: `
CREATE TABLE plan_marks (
	demo    INTEGER NOT NULL,
	item_id TEXT    NOT NULL,
	step    TEXT    NOT NULL,
	at      INTEGER NOT NULL,
	PRIMARY KEY (demo, item_id, step)
) WITHOUT ROWID;

CREATE TABLE plan_notes (
	demo    INTEGER NOT NULL,
	item_id TEXT    NOT NULL,
	note    TEXT    NOT NULL,
	at      INTEGER NOT NULL,
	PRIMARY KEY (demo, item_id)
) WITHOUT ROWID;

CREATE TABLE plan_items (
	demo               INTEGER NOT NULL,
	item_id            TEXT    NOT NULL,
	kind               TEXT    NOT NULL,
	account            TEXT    NOT NULL,
	region             TEXT    NOT NULL,
	title              TEXT    NOT NULL,
	first_seen         INTEGER NOT NULL,
	last_seen          INTEGER NOT NULL,
	week_hours         REAL    NOT NULL,
	hours_completeness TEXT    NOT NULL,
	PRIMARY KEY (demo, item_id)
) WITHOUT ROWID;
`},
		// A shared store holds marks from many people: each says who set
		// it and when. Marks from before are kept, with nobody and no time.
		{name: "who set each mark and note, and when", sql: `
ALTER TABLE triage_marks ADD COLUMN who TEXT NOT NULL DEFAULT '';
ALTER TABLE triage_marks ADD COLUMN at INTEGER;
ALTER TABLE plan_marks ADD COLUMN who TEXT NOT NULL DEFAULT '';
ALTER TABLE plan_notes ADD COLUMN who TEXT NOT NULL DEFAULT '';
`},
	}
}

// migrate applies the migrations the store has not run yet, each in its
// own write transaction, through apply. Another opsdrag may be migrating
// the same store at the same moment: apply reads the version again under
// the write lock, so each step still runs exactly once.
func (s *Store) migrate(ctx context.Context, migrations []migration, apply func(context.Context, int, migration) error) error {
	for i, m := range migrations {
		version := i + 1
		op := fmt.Sprintf("migrate to schema version %d (%s)", version, m.name)
		if err := apply(ctx, version, m); err != nil {
			return s.fail(op, err)
		}
	}
	return nil
}
