package store

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// rolesSQL returns the SQL block of docs/store.md that follows the marker
// <!-- store-roles: part -->.
func rolesSQL(t *testing.T, part string) string {
	t.Helper()
	doc, err := os.ReadFile("../docs/store.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(doc), "<!-- store-roles: "+part+" -->\n```sql\n")
	if !ok {
		t.Fatalf("docs/store.md has no %q roles block", part)
	}
	block, _, _ := strings.Cut(after, "```")
	return block
}

// The roles and grants docs/store.md gives, run as they are written: the
// owner migrates, and the team role can then do everything opsdrag does,
// and cannot change the schema.
func TestDocumentedRolesAreEnough(t *testing.T) {
	requirePostgres(t)
	ctx := context.Background()
	admin := os.Getenv(postgresURLEnv)
	suffix := fmt.Sprint(os.Getpid())
	db, owner, team := "opsdrag_roles_"+suffix, "opsdrag_owner_"+suffix, "opsdrag_team_"+suffix
	rename := func(sql string) string {
		sql = regexp.MustCompile(`\bDATABASE opsdrag\b`).ReplaceAllString(sql, "DATABASE "+db)
		return strings.NewReplacer("opsdrag_owner", owner, "opsdrag_team", team).Replace(sql)
	}
	adminDB := rawDB(t, admin)
	t.Cleanup(func() {
		adminDB.Exec(`DROP DATABASE IF EXISTS ` + db + ` WITH (FORCE)`)
		adminDB.Exec(`DROP ROLE IF EXISTS ` + team)
		adminDB.Exec(`DROP ROLE IF EXISTS ` + owner)
	})
	for _, stmt := range strings.Split(rename(rolesSQL(t, "cluster")), ";") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := adminDB.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", strings.TrimSpace(stmt), err)
		}
	}
	if _, err := rawDB(t, withDatabase(admin, db)).Exec(rename(rolesSQL(t, "database"))); err != nil {
		t.Fatalf("the database block: %v", err)
	}
	as := func(role, password string) string {
		u, _ := url.Parse(withQuery(withDatabase(admin, db), "search_path", "opsdrag"))
		u.User = url.UserPassword(role, password)
		return u.String()
	}
	ownerURL, teamURL := as(owner, "change-me-owner"), as(team, "change-me-team")

	// Before the owner created the tables, the team role cannot.
	if _, err := Open(teamURL); err == nil || !strings.Contains(err.Error(), "owner role") {
		t.Fatalf("Open as the team role before any migration = %v, want a missing grant pointing to the owner", err)
	}
	openTest(t, ownerURL).Close()

	s := openTest(t, teamURL)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	by := model.Mark{By: "ana@example.com", At: now}
	snap := richSnapshot(t, false)
	steps := []struct {
		name string
		do   func() error
	}{
		{"save", func() error { _, err := s.Save(ctx, now, snap, model.Ledger{}); return err }},
		{"save again", func() error { _, err := s.Save(ctx, now.Add(time.Hour), snap, model.Ledger{}); return err }},
		{"latest", func() error { _, _, err := s.Latest(ctx, false); return err }},
		{"list", func() error { _, err := s.List(ctx, 0); return err }},
		{"weekly", func() error { _, err := s.Weekly(ctx, now, 12, time.UTC); return err }},
		{"kept", func() error { _, err := s.Kept(ctx, snap.Window); return err }},
		{"prune", func() error { _, err := s.Prune(ctx, now.Add(48*time.Hour)); return err }},
		{"mark handled", func() error { return s.SetHandled(ctx, now, "alarm:x", true, by) }},
		{"unmark", func() error { return s.SetHandled(ctx, now, "alarm:x", false, by) }},
		{"read marks", func() error { _, err := s.Handled(ctx, now); return err }},
		{"plan mark", func() error { return s.SetPlanMark(ctx, false, "rds-instance/1/r/db", "provision", true, by) }},
		{"plan note", func() error { return s.SetPlanNote(ctx, false, "rds-instance/1/r/db", "Sat", by) }},
		{"plan note again", func() error { return s.SetPlanNote(ctx, false, "rds-instance/1/r/db", "Sun", by) }},
		{"import", func() error {
			return s.ImportPlanMarks(ctx, false, map[string]model.ItemMarks{"rds-instance/1/r/db": {Done: true}}, by)
		}},
		{"remember the plan", func() error {
			return s.RememberPlan(ctx, false, []model.PlanItem{{ID: "rds-instance/1/r/db", State: model.ItemOpen}}, now)
		}},
		{"plan state", func() error { _, err := s.PlanState(ctx, false); return err }},
		{"collect lock", func() error {
			release, err := s.LockCollect(ctx)
			if err != nil {
				return err
			}
			return release()
		}},
		{"check", func() error { return s.Check(ctx) }},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Errorf("%s as the team role: %v", st.name, err)
		}
	}
	for _, ddl := range []string{`DROP TABLE snapshots`, `CREATE TABLE opsdrag.x (i int)`, `ALTER TABLE snapshots ADD COLUMN x int`, `CREATE TABLE public.x (i int)`} {
		if _, err := rawDB(t, teamURL).Exec(ddl); err == nil {
			t.Errorf("the team role may %s", ddl)
		}
	}
}
