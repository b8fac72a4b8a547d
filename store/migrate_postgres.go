package store

// postgresSchema lists every PostgreSQL migration in order; append only,
// as sqliteSchema. The tables are SQLite's, in PostgreSQL's types: times
// are BIGINT Unix nanoseconds, figures DOUBLE PRECISION (PostgreSQL's REAL
// would round them to 6 digits), flags BOOLEAN. opsdrag_schema is the
// marker and version SQLite keeps in its file header.
func postgresSchema() []migration {
	return []migration{
		{name: "snapshots, figures, kept history, triage and plan marks with who and when", sql: `
CREATE TABLE opsdrag_schema (
	only_row    BOOLEAN PRIMARY KEY DEFAULT true CHECK (only_row),
	application TEXT    NOT NULL,
	version     INTEGER NOT NULL
);

CREATE TABLE snapshots (
	id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at                 BIGINT           NOT NULL,
	window_since       BIGINT,
	window_until       BIGINT,
	demo               BOOLEAN          NOT NULL,
	sources_ok         INTEGER          NOT NULL,
	sources_total      INTEGER          NOT NULL,
	hours_per_week     DOUBLE PRECISION NOT NULL,
	team_share         DOUBLE PRECISION,
	monthly_cost       DOUBLE PRECISION,
	invoice_monthly    DOUBLE PRECISION,
	cost_ratio         DOUBLE PRECISION,
	infra_merged       INTEGER          NOT NULL,
	merged_prs         INTEGER,
	hours_completeness TEXT             NOT NULL DEFAULT 'complete'
);
CREATE INDEX snapshots_by_time ON snapshots (demo, at);

CREATE TABLE snapshot_sources (
	snapshot_id  BIGINT  NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
	position     INTEGER NOT NULL,
	name         TEXT    NOT NULL,
	status       TEXT    NOT NULL,
	detail       TEXT    NOT NULL,
	items        INTEGER NOT NULL,
	duration_ns  BIGINT  NOT NULL,
	collected_at BIGINT,
	stale        BOOLEAN NOT NULL,
	data         TEXT,
	PRIMARY KEY (snapshot_id, position)
);

CREATE TABLE snapshot_drag (
	snapshot_id BIGINT           NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
	category    TEXT             NOT NULL,
	week_hours  DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (snapshot_id, category)
);

CREATE TABLE alarm_transitions (
	account TEXT   NOT NULL,
	region  TEXT   NOT NULL,
	name    TEXT   NOT NULL,
	at      BIGINT NOT NULL,
	PRIMARY KEY (account, region, name, at)
);
CREATE INDEX alarm_transitions_by_time ON alarm_transitions (at);

CREATE TABLE pipeline_failures (
	provider  TEXT   NOT NULL,
	scope     TEXT   NOT NULL,
	name      TEXT   NOT NULL,
	branch    TEXT   NOT NULL,
	failed_at BIGINT NOT NULL,
	PRIMARY KEY (provider, scope, name, branch, failed_at)
);
CREATE INDEX pipeline_failures_by_time ON pipeline_failures (failed_at);

CREATE TABLE alarm_history_read (
	account TEXT   NOT NULL,
	region  TEXT   NOT NULL,
	since   BIGINT NOT NULL,
	until   BIGINT NOT NULL,
	PRIMARY KEY (account, region, since)
);

CREATE TABLE triage_marks (
	triage_start BIGINT NOT NULL,
	item_id      TEXT   NOT NULL,
	who          TEXT   NOT NULL DEFAULT '',
	at           BIGINT,
	PRIMARY KEY (triage_start, item_id)
);

CREATE TABLE plan_marks (
	demo    BOOLEAN NOT NULL,
	item_id TEXT    NOT NULL,
	step    TEXT    NOT NULL,
	at      BIGINT  NOT NULL,
	who     TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (demo, item_id, step)
);

CREATE TABLE plan_notes (
	demo    BOOLEAN NOT NULL,
	item_id TEXT    NOT NULL,
	note    TEXT    NOT NULL,
	at      BIGINT  NOT NULL,
	who     TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (demo, item_id)
);

CREATE TABLE plan_items (
	demo               BOOLEAN          NOT NULL,
	item_id            TEXT             NOT NULL,
	kind               TEXT             NOT NULL,
	account            TEXT             NOT NULL,
	region             TEXT             NOT NULL,
	title              TEXT             NOT NULL,
	first_seen         BIGINT           NOT NULL,
	last_seen          BIGINT           NOT NULL,
	week_hours         DOUBLE PRECISION NOT NULL,
	hours_completeness TEXT             NOT NULL,
	PRIMARY KEY (demo, item_id)
);
`},
	}
}
