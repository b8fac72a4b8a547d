package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The Checklist pane under tmux at 80x24, as a person uses it: the items in
// payback order, a step ticked, a note written, a whole item ticked; then
// quit, start again, and everything is still there; then the export says
// the same, and importing it back into a fresh history restores it.
func TestChecklistPaneInTmux(t *testing.T) {
	env := cleanEnv(t)
	s := startTmux(t, 80, 24, env, "--demo")
	s.waitFor("DEMO", "inventory", "data ")
	s.keys("6")
	// Quickest payback first; the first item's steps open under it.
	screen := s.waitFor("Moving these", "Move the Redis cache", "PAYBACK", "[ ] Provision the platform's")
	first := rowIndex(screen, "Move the Redis cache")
	if first < 0 || first > rowIndex(screen, "Move the SQS queues") {
		t.Errorf("the items are not in payback order:\n%s", screen)
	}
	s.checkFits(80, 24)

	s.keys("j", "Space") // tick the first step
	s.waitFor("[x] Provision the platform's", " 1/5 ")
	s.keys("n")
	s.waitFor("note:")
	s.keys("cut over on Saturday", "Enter")
	s.waitFor("✎")
	s.checkFits(80, 24)
	// Down past the first item's steps to the second item: its steps open.
	s.keys("j", "j", "j", "j", "j")
	s.waitFor("Replace the load balancer", "[ ] Route its hosts")
	s.keys("Space") // the whole second item
	s.waitFor("[x] Replace the load balancer")
	s.checkFits(80, 24)
	s.keys("q")
	s.waitFor("opsdrag-exited-0")

	// A restart reads the marks back from the history.
	s = startTmux(t, 80, 24, env, "--demo")
	s.waitFor("DEMO", "inventory", "data ")
	s.keys("6")
	s.waitFor(" 1/5 ", "✎", "[x] Provision the platform's")
	s.keys("q")

	out := run(t, env, "checklist", "--demo", "--format", "json")
	if out.code != 0 {
		t.Fatalf("checklist: %d %s", out.code, out.stderr)
	}
	var doc struct {
		Items []struct {
			ID    string `json:"id"`
			Done  bool   `json:"done"`
			State string `json:"state"`
			Note  string `json:"note"`
			Steps []struct {
				ID   string `json:"id"`
				Done bool   `json:"done"`
			} `json:"steps"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(out.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	marks := map[string]string{}
	for _, it := range doc.Items {
		if it.Done || it.Note != "" || len(it.Steps) > 0 && it.Steps[0].Done {
			marks[it.ID] = it.State + " " + it.Note
		}
	}
	want := map[string]string{
		"elasticache-cluster/111122223333/eu-west-1/acme-eu-redis": "open cut over on Saturday",
		"load-balancer/111122223333/us-east-1/acme-prod-alb":       "done ",
	}
	if len(marks) != len(want) || marks["elasticache-cluster/111122223333/eu-west-1/acme-eu-redis"] != want["elasticache-cluster/111122223333/eu-west-1/acme-eu-redis"] ||
		marks["load-balancer/111122223333/us-east-1/acme-prod-alb"] != want["load-balancer/111122223333/us-east-1/acme-prod-alb"] {
		t.Errorf("exported marks = %v, want %v", marks, want)
	}

	// Round trip: a fresh history gets the same marks from the file.
	file := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(file, []byte(out.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := cleanEnv(t)
	if r := run(t, fresh, "checklist", "import", "--demo", file); r.code != 0 || !strings.Contains(r.stdout, "1 marked done, 1 with a note") {
		t.Fatalf("import: %d %q %q", r.code, r.stdout, r.stderr)
	}
	again := run(t, fresh, "checklist", "--demo", "--format", "json")
	if !strings.Contains(again.stdout, `"note": "cut over on Saturday"`) {
		t.Errorf("the imported note is not in the plan:\n%s", again.stdout)
	}
}

// A hostile or malformed import is refused with the reason (exit 2) and
// changes nothing in the history.
func TestChecklistImportRefusesAndChangesNothing(t *testing.T) {
	env := cleanEnv(t)
	good := filepath.Join(t.TempDir(), "good.json")
	if err := os.WriteFile(good, []byte(`{"schema":"opsdrag/checklist@1","items":[{"id":"rds-instance/1/us-east-1/db","done":true,"note":"keep me","steps":[]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := run(t, env, "checklist", "import", good); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	state := filepath.Join(envValue(env, "XDG_STATE_HOME"), "opsdrag")
	before := snapshotDir(t, state)
	for name, body := range map[string]string{
		"report":    `{"schema":"opsdrag/report@2","items":[]}`,
		"escape":    `{"schema":"opsdrag/checklist@1","items":[{"id":"rds-instance/1/us-east-1/db","done":false,"note":"\u001b]52;c;ZXZpbA==\u0007","steps":[]}]}`,
		"half-good": `{"schema":"opsdrag/checklist@1","items":[{"id":"rds-instance/1/us-east-1/db","done":false,"note":"","steps":[]},{"id":"bad","done":true,"steps":[]}]}`,
		"truncated": `{"schema":"opsdrag/checklist@1","items":[{"id":"rds-ins`,
	} {
		f := filepath.Join(t.TempDir(), name+".json")
		if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		r := run(t, env, "checklist", "import", f)
		if r.code != 2 || !strings.Contains(r.stderr, "nothing was changed") {
			t.Errorf("%s: exit %d, stderr %q", name, r.code, r.stderr)
		}
	}
	if after := snapshotDir(t, state); after != before {
		t.Error("a refused import changed the history")
	}
	out := run(t, env, "checklist", "import", "/does/not/exist")
	if out.code != 2 {
		t.Errorf("missing file: exit %d", out.code)
	}
}

func rowIndex(screen, s string) int {
	for i, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return i
		}
	}
	return -1
}

// snapshotDir reads every file of dir, for comparing before and after.
func snapshotDir(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(e.Name() + "\n" + string(data))
	}
	return b.String()
}
