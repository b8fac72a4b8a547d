package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/internal/ghfake"
)

// binary is the real opsdrag, built once for the tests that run it, as a
// release is (.goreleaser.yaml): stripped, paths trimmed.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "opsdrag-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "opsdrag")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("build opsdrag: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cleanEnv is an environment with no config and no credentials, in a
// throwaway home.
func cleanEnv(t testing.TB) []string {
	t.Helper()
	home := t.TempDir()
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "AWS_"), strings.HasPrefix(name, "XDG_"), strings.HasPrefix(name, "OPSDRAG_"),
			name == "GITHUB_TOKEN", name == "GH_TOKEN", name == "HOME":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_STATE_HOME="+filepath.Join(home, ".state"), "XDG_CACHE_HOME="+filepath.Join(home, ".cache"))
}

type result struct {
	stdout, stderr string
	code           int
}

func run(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return result{out.String(), errb.String(), code}
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestChooseDemo(t *testing.T) {
	none := func(string) string { return "" }
	noFiles := func(string) bool { return false }
	home := func(k string) string {
		if k == "HOME" {
			return "/home/u"
		}
		return ""
	}
	found := config.Config{Path: "/etc/opsdrag.yaml"}
	cases := []struct {
		name     string
		flag     bool
		cfg      config.Config
		getenv   func(string) string
		exists   func(string) bool
		wantDemo bool
		wantHint bool
	}{
		{"asked for", true, found, none, noFiles, true, false},
		{"nothing at all", false, config.Config{}, home, noFiles, true, true},
		{"a config file", false, found, home, noFiles, false, false},
		{"a GitHub token", false, config.Config{}, func(k string) string {
			if k == "GH_TOKEN" {
				return "x"
			}
			return ""
		}, noFiles, false, false},
		{"an AWS profile file", false, config.Config{}, home, func(p string) bool { return p == "/home/u/.aws/config" }, false, false},
		{"AWS_PROFILE", false, config.Config{}, func(k string) string {
			if k == "AWS_PROFILE" {
				return "prod"
			}
			return ""
		}, noFiles, false, false},
	}
	for _, c := range cases {
		demo, hint := chooseDemo(c.flag, c.cfg, c.getenv, c.exists)
		if demo != c.wantDemo || (hint != "") != c.wantHint {
			t.Errorf("%s: demo=%v hint=%q", c.name, demo, hint)
		}
	}
}

// The interface's demo hint names the file opsdrag looked for, so following
// it leads out of the demo wherever XDG_CONFIG_HOME points.
func TestDemoHintNamesTheExactPath(t *testing.T) {
	none := func(string) string { return "" }
	noFiles := func(string) bool { return false }
	for _, looked := range []string{"/srv/xdg/opsdrag/config.yaml", "/home/u/.config/opsdrag/config.yaml"} {
		_, hint := chooseDemo(false, config.Config{LookedAt: looked}, none, noFiles)
		if !strings.Contains(hint, looked) || strings.Contains(hint, "~/") || !strings.Contains(hint, "opsdrag init") {
			t.Errorf("hint %q does not name %s", hint, looked)
		}
	}
	// Nowhere to look (no home): the hint says how to point at a file.
	if _, hint := chooseDemo(false, config.Config{}, none, noFiles); !strings.Contains(hint, "--config") {
		t.Errorf("hint without a config location = %q, want it to name --config", hint)
	}
}

func TestReportJSONOnTheDemo(t *testing.T) {
	r := run(t, cleanEnv(t), "report", "--demo", "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var doc struct {
		Schema  string `json:"schema"`
		Demo    bool   `json:"demo"`
		Sources []struct {
			Name, Status string
		} `json:"sources"`
		Drag struct {
			HoursPerWeek float64        `json:"hours_per_week"`
			Assumptions  map[string]any `json:"assumptions"`
		} `json:"drag"`
		Checklist []json.RawMessage `json:"checklist"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if doc.Schema != "opsdrag/report@2" || !doc.Demo || len(doc.Sources) != 6 || doc.Drag.HoursPerWeek <= 0 || len(doc.Checklist) == 0 {
		t.Fatalf("unexpected report: %+v", doc)
	}
	if doc.Drag.Assumptions["engineers"] != 8.0 {
		t.Errorf("the demo team has 8 engineers, got %v", doc.Drag.Assumptions["engineers"])
	}
}

// A scheduled job whose secrets went missing must fail loudly, not report
// the demo's fiction as the team's drag: without --demo, report and triage
// never fall back to it. The message names the exact file looked for.
func TestWithoutConfigOrCredentialsReportAndTriageRefuseTheDemo(t *testing.T) {
	env := cleanEnv(t)
	home := envValue(env, "HOME")
	custom := filepath.Join(t.TempDir(), "elsewhere")
	noXDG := slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, "XDG_CONFIG_HOME=") })
	cases := []struct {
		name string
		env  []string
		want string
	}{
		{"XDG_CONFIG_HOME", append(slices.Clone(env), "XDG_CONFIG_HOME="+custom), filepath.Join(custom, "opsdrag", "config.yaml")},
		{"no XDG_CONFIG_HOME", noXDG, filepath.Join(home, ".config", "opsdrag", "config.yaml")},
	}
	for _, c := range cases {
		for _, args := range [][]string{{"report"}, {"report", "--format", "json"}, {"triage"}, {"triage", "--format", "json"}} {
			t.Run(c.name+" "+strings.Join(args, " "), func(t *testing.T) {
				r := run(t, c.env, args...)
				if r.code != 2 {
					t.Errorf("exit %d, want 2 (a configuration problem)", r.code)
				}
				if r.stdout != "" {
					t.Errorf("printed a report of no one's data:\n%s", r.stdout)
				}
				for _, want := range []string{c.want, "--demo", "no GitHub or AWS credentials", "opsdrag init"} {
					if !strings.Contains(r.stderr, want) {
						t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
					}
				}
				if strings.Contains(c.want, custom) && strings.Contains(r.stderr, "~/.config") {
					t.Errorf("stderr names ~/.config although XDG_CONFIG_HOME points elsewhere:\n%s", r.stderr)
				}
			})
		}
	}
}

// Asked for, the demo is served, and says so where a cron log shows it.
func TestDemoReportSaysSoOnStderr(t *testing.T) {
	for _, args := range [][]string{{"report", "--demo"}, {"report", "--demo", "--format", "json"}, {"triage", "--demo"}} {
		r := run(t, cleanEnv(t), args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "demo data") || !strings.Contains(r.stderr, "not your accounts") {
			t.Errorf("%v: stderr does not say the data is the demo's: %q", args, r.stderr)
		}
		if !slices.Contains(args, "json") {
			if first, _, _ := strings.Cut(r.stdout, "\n"); !strings.Contains(first, "DEMO DATA") {
				t.Errorf("%v: first line %q does not say DEMO DATA", args, first)
			}
		}
	}
}

func TestDemoUsesTheTeamAndAssumptionsOfTheConfig(t *testing.T) {
	path := writeConfig(t, "team:\n  name: payments\n  engineers: 4\n  hourly_cost: 150\n  timezone: Europe/Berlin\ndrag:\n  alarm_minutes: 45\n")
	r := run(t, cleanEnv(t), "report", "--demo", "--format", "json", "--config", path)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var doc struct {
		Drag struct {
			Assumptions map[string]any `json:"assumptions"`
		} `json:"drag"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	a := doc.Drag.Assumptions
	if a["engineers"] != 4.0 || a["hourly_cost"] != 150.0 || a["alarm_minutes"] != 45.0 || a["timezone"] != "Europe/Berlin" {
		t.Fatalf("assumptions: %v", a)
	}
}

func TestBadInputIsAClearErrorWithStatus2(t *testing.T) {
	bad := writeConfig(t, "team:\n  engineers: 6\n  hourly_cots: 90\n")
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"report", "--format", "xml", "--demo"}, []string{`unknown report format "xml"`, "text, markdown, json"}},
		{[]string{"report", "--config", bad}, []string{bad + ":3", "team.hourly_cots", "unknown key"}},
		{[]string{"report", "--config", "/nonexistent/opsdrag.yaml"}, []string{"/nonexistent/opsdrag.yaml does not exist"}},
		{[]string{"report", "--demo", "--since", "last tuesday-ish"}, []string{"--since", "72h", "friday"}},
	}
	for _, c := range cases {
		r := run(t, cleanEnv(t), c.args...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", c.args, r.code, r.stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%v: stderr %q lacks %q", c.args, r.stderr, w)
			}
		}
		if strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, "panic") {
			t.Errorf("%v: a crash, not an error: %s", c.args, r.stderr)
		}
	}
}

func TestReportFailsOnlyWhenNoSourceSucceeded(t *testing.T) {
	// A config with nothing to collect: the report prints, but exits 1.
	path := writeConfig(t, "team:\n  engineers: 5\n")
	r := run(t, cleanEnv(t), "report", "--config", path)
	if r.code != 1 || !strings.Contains(r.stderr, "no source succeeded") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "opsdrag report") {
		t.Errorf("the report was not printed:\n%s", r.stdout)
	}
}

func TestSinceForms(t *testing.T) {
	for _, since := range []string{"72h", "3d", "friday", "2026-11-01T00:00:00Z"} {
		r := run(t, cleanEnv(t), "report", "--demo", "--format", "json", "--since", since)
		if r.code != 0 {
			t.Errorf("--since %s: exit %d: %s", since, r.code, r.stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	r := run(t, cleanEnv(t), "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "opsdrag ") || !strings.Contains(r.stdout, "commit") || !strings.Contains(r.stdout, "built") {
		t.Fatalf("version: %+v", r)
	}
}

func TestTriageCommand(t *testing.T) {
	r := run(t, cleanEnv(t), "triage", "--demo")
	if r.code != 0 || !strings.Contains(r.stdout, "**Alarms firing now**") || !strings.Contains(r.stdout, "end of") && !strings.Contains(r.stdout, "since") {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, cleanEnv(t), "triage", "--demo", "--format", "json", "--since", "72h")
	var doc struct {
		Schema string           `json:"schema"`
		Items  []map[string]any `json:"items"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Schema != "opsdrag/triage@1" || len(doc.Items) == 0 {
		t.Fatalf("triage json: %v %+v", err, doc)
	}
}

// envHome returns the throwaway home of an environment from cleanEnv.
func envValue(env []string, name string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

func TestEveryRunIsSavedInTheHistory(t *testing.T) {
	env := cleanEnv(t)
	db := filepath.Join(envValue(env, "XDG_STATE_HOME"), "opsdrag", "history.db")
	if r := run(t, env, "report", "--demo", "--no-store"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("--no-store created %s (%v)", db, err)
	}
	if r := run(t, env, "history"); r.code != 0 || !strings.Contains(r.stdout, "No snapshot saved yet") {
		t.Fatalf("empty history: %+v", r)
	}
	for range 2 {
		if r := run(t, env, "report", "--demo"); r.code != 0 {
			t.Fatal(r.stderr)
		}
	}
	info, err := os.Stat(db)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("history file: %v %v", info, err)
	}
	r := run(t, env, "history")
	if r.code != 0 || strings.Count(r.stdout, "(demo)") != 2 || !strings.Contains(r.stdout, "6/6 ok") {
		t.Fatalf("history:\n%s%s", r.stdout, r.stderr)
	}
	if r := run(t, env, "history", "--check"); r.code != 0 || !strings.Contains(r.stdout, "integrity check passed") {
		t.Fatalf("history --check: %+v", r)
	}
}

func TestABrokenHistoryNeverStopsARunNorLosesTheFile(t *testing.T) {
	env := cleanEnv(t)
	dir := filepath.Join(envValue(env, "XDG_STATE_HOME"), "opsdrag")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "history.db")
	garbage := []byte("this is not a database, but it is somebody's file\n")
	if err := os.WriteFile(db, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, env, "report", "--demo")
	if r.code != 0 || !strings.Contains(r.stdout, "DEMO DATA") {
		t.Fatalf("the report did not run: %+v", r)
	}
	if !strings.Contains(r.stderr, db) {
		t.Errorf("the warning does not name the file: %q", r.stderr)
	}
	if got, _ := os.ReadFile(db); string(got) != string(garbage) {
		t.Fatal("the broken history file was changed")
	}
	if r := run(t, env, "history"); r.code == 0 || !strings.Contains(r.stderr, db) {
		t.Errorf("history on a broken file: %+v", r)
	}
}

// githubHeaders sets what GitHub sends with every answer: a JSON content
// type and the rate-limit headers.
func githubHeaders(w http.ResponseWriter, limit, remaining int) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Ratelimit-Limit", fmt.Sprint(limit))
	w.Header().Set("X-Ratelimit-Remaining", fmt.Sprint(remaining))
	w.Header().Set("X-Ratelimit-Reset", fmt.Sprint(time.Now().Add(time.Hour).Unix()))
}

// fakeGitHubRejectingTokens answers every request as github.com answers a
// bad token: 401 with its JSON message and rate-limit headers.
func fakeGitHubRejectingTokens(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		githubHeaders(w, 60, 59)
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// The text report, piped as in a cron job, carries the whole of a source's
// detail: the fix is at its end.
func TestTextReportNeverCutsTheFix(t *testing.T) {
	path := writeConfig(t, "github:\n  api_url: "+fakeGitHubRejectingTokens(t)+"\n  repos: [acme/api]\n")
	r := run(t, append(cleanEnv(t), "GITHUB_TOKEN=not-a-token"), "report", "--config", path, "--no-store")
	if r.code != 1 {
		t.Errorf("exit %d, want 1 (no source succeeded): %s", r.code, r.stderr)
	}
	fix := "it is wrong, expired or revoked; create a new one (read-only Actions, Pull requests, Contents and Metadata) and export it as GITHUB_TOKEN, or run gh auth login"
	// In the SOURCES section, under github/actions (the drag figures may
	// repeat it, but that is not where a person looks for a source's fix).
	_, sources, _ := strings.Cut(r.stdout, "\nSOURCES\n")
	sources, _, _ = strings.Cut(sources, "\n\n")
	_, actions, _ := strings.Cut(sources, "github/actions")
	actions, _, _ = strings.Cut(actions, "github/pulls")
	if got := strings.Join(strings.Fields(actions), " "); !strings.Contains(got, fix) {
		t.Errorf("the SOURCES section does not carry github/actions' fix whole:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "not-a-token") || strings.Contains(r.stderr, "not-a-token") {
		t.Error("the token was printed")
	}
}

// fakeGitHubQuietRepo answers as GitHub Enterprise Server does (under
// /api/v3/, GraphQL at /api/graphql) for acme/api, a repository with no
// workflow and no pull request.
func fakeGitHubQuietRepo(t *testing.T) string {
	t.Helper()
	gh := ghfake.New(t, ghfake.Options{Prefix: "/api/v3"})
	gh.AddRepo("acme/api", ghfake.Repo{})
	return gh.URL()
}

// A report whose drag is only a lower bound is produced (exit 0) and says
// so in one line on stderr, where a cron job's log shows it; so does a
// triage list that is incomplete.
func TestALowerBoundSaysSoOnStderr(t *testing.T) {
	path := writeConfig(t, "github:\n  api_url: "+fakeGitHubQuietRepo(t)+"\n  repos: [acme/api]\n")
	env := append(cleanEnv(t), "GITHUB_TOKEN=test-token")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"report", "--format", "json"}, "opsdrag: the drag is only a lower bound (aws/codepipeline not configured, aws/alarms not configured): the report says why\n"},
		{[]string{"report"}, "opsdrag: the drag is only a lower bound (aws/codepipeline not configured, aws/alarms not configured): the report says why\n"},
		{[]string{"triage"}, "opsdrag: the triage list is incomplete (aws/alarms not configured, aws/codepipeline not configured): it says why\n"},
	}
	for _, c := range cases {
		r := run(t, env, append(c.args, "--config", path, "--no-store")...)
		if r.code != 0 {
			t.Errorf("%v: exit %d, want 0 (produced): %s", c.args, r.code, r.stderr)
		}
		if r.stderr != c.want {
			t.Errorf("%v: stderr = %q, want exactly %q", c.args, r.stderr, c.want)
		}
	}
	r := run(t, env, "report", "--format", "json", "--config", path, "--no-store")
	var doc struct {
		Sources []struct{ Name, Status, Detail string }
		Drag    struct {
			HoursPerWeek *float64 `json:"hours_per_week"`
			Alarms       any      `json:"alarms"`
		} `json:"drag"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Sources[0].Status != "ok" || doc.Sources[1].Status != "ok" || doc.Drag.HoursPerWeek == nil || *doc.Drag.HoursPerWeek != 0 {
		t.Errorf("want both GitHub sources ok and a lower bound of 0 h/week: %+v", doc)
	}
}
