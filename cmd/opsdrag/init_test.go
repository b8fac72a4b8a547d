package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/opsdrag/opsdrag/config"
)

// fakeGH puts a gh on PATH that prints token for `gh auth token`, as the
// real one does after gh auth login.
func fakeGH(t *testing.T, env []string, token string) []string {
	t.Helper()
	dir := t.TempDir()
	script := "#!/bin/sh\nif [ \"$1 $2\" = \"auth token\" ]; then echo " + token + "; exit 0; fi\nexit 1\n"
	if err := os.WriteFile(filepath.Join(dir, "gh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	out := slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, "PATH=") })
	return append(out, "PATH="+dir+":/usr/bin:/bin")
}

func loadWritten(t *testing.T, path string) config.Config {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatalf("nothing written at %s: %v", path, err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %04o, want 0600", path, st.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	cfg, err := config.Parse(path, data)
	if err != nil {
		t.Fatalf("the written file does not load: %v\n%s", err, data)
	}
	return cfg
}

// In a script: every answer a flag, the file at the XDG path, then the
// doctor, whose status is init's. The token (found through gh here) is
// used by the doctor and never written.
func TestInitNoInputWritesTheConfigAndRunsTheDoctor(t *testing.T) {
	const token = "ghp_initFROMgh"
	gh := fakeGitHubWithARedCI(t, token)
	env := fakeGH(t, cleanEnv(t), token)
	r := run(t, env, "init", "--no-input", "--github-api-url", gh.URL(), "--github-repo", "acme/api",
		"--team-name", "payments", "--engineers", "6", "--hourly-cost", "95", "--currency", "EUR", "--timezone", "Europe/Berlin")
	path := filepath.Join(envValue(env, "XDG_CONFIG_HOME"), "opsdrag", "config.yaml")
	cfg := loadWritten(t, path)
	if cfg.Team.Name != "payments" || cfg.Team.Engineers != 6 || cfg.Team.HourlyCost != 95 || cfg.Team.Currency != "EUR" ||
		cfg.Team.Loc().String() != "Europe/Berlin" || !slices.Equal(cfg.GitHub.Repos, []string{"acme/api"}) || cfg.GitHub.APIURL != gh.URL() {
		t.Errorf("written config: %+v", cfg)
	}
	if data, _ := os.ReadFile(path); strings.Contains(string(data), token) {
		t.Error("the token was written to the config")
	}
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"Wrote " + path, "Checking it with opsdrag doctor", "✓ github token: the token from `gh auth token` is accepted",
		"✓ github acme/api", "Every check passed"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
}

// Without a token the file is still written (what to watch is known), and
// the doctor's failing line says how to get one: init exits 1.
func TestInitWithoutATokenSaysHowToGetOne(t *testing.T) {
	env := cleanEnv(t)
	env = append(slices.DeleteFunc(env, func(kv string) bool { return strings.HasPrefix(kv, "PATH=") }), "PATH=/usr/bin:/bin")
	path := filepath.Join(t.TempDir(), "team.yaml")
	r := run(t, env, "init", "--no-input", "--config", path, "--github-org", "acme", "--aws-profile", "prod", "--aws-region", "all")
	cfg := loadWritten(t, path)
	if !slices.Equal(cfg.GitHub.Orgs, []string{"acme"}) || !slices.Equal(cfg.AWS.Profiles, []string{"prod"}) || !slices.Equal(cfg.AWS.Regions, []string{"all"}) {
		t.Errorf("written config: %+v", cfg)
	}
	if r.code != 1 || !strings.Contains(r.stdout, "✗ github token: no GitHub token found") || !strings.Contains(r.stdout, "gh auth login") ||
		!strings.Contains(r.stdout, `✗ aws prod: identity`) {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
}

func TestInitNeverOverwritesWithoutForce(t *testing.T) {
	env := cleanEnv(t)
	path := filepath.Join(t.TempDir(), "team.yaml")
	old := "team:\n  name: the old one\n"
	os.WriteFile(path, []byte(old), 0o644)

	r := run(t, env, "init", "--no-input", "--no-doctor", "--config", path, "--team-name", "new")
	if r.code != 2 || !strings.Contains(r.stderr, "already exists") || !strings.Contains(r.stderr, "--force") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
	if data, _ := os.ReadFile(path); string(data) != old {
		t.Errorf("the file changed without --force:\n%s", data)
	}

	for i, backup := range []string{path + ".bak", path + ".bak.2"} {
		r = run(t, env, "init", "--no-input", "--no-doctor", "--force", "--config", path, "--team-name", "new")
		if r.code != 0 || !strings.Contains(r.stdout, "Kept the previous file as "+backup) {
			t.Fatalf("run %d: exit %d\n%s\n%s", i, r.code, r.stdout, r.stderr)
		}
		if data, _ := os.ReadFile(backup); i == 0 && string(data) != old {
			t.Errorf("the backup holds %q, want the old file", data)
		}
		if cfg := loadWritten(t, path); cfg.Team.Name != "new" {
			t.Errorf("team = %q", cfg.Team.Name)
		}
	}
}

// Outside a terminal, init does not wait for answers nobody can give.
func TestInitOutsideATerminalNeedsNoInput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "team.yaml")
	r := run(t, cleanEnv(t), "init", "--config", path)
	if r.code != 2 || !strings.Contains(r.stderr, "--no-input") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
	if fileExists(path) {
		t.Error("a file was written without answers")
	}
	r = run(t, cleanEnv(t), "init", "--no-input", "--config", path, "--timezone", "Mars/Olympus")
	if r.code != 2 || !strings.Contains(r.stderr, "Mars/Olympus") || fileExists(path) {
		t.Errorf("a bad answer: exit %d: %s", r.code, r.stderr)
	}
}
