package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/internal/ghfake"
)

// The Monday-morning truths, checked on the real binary in a real terminal:
// unknown is never zero, the reason is on screen, what is broken comes
// first, and the cursor waits on the top row.

// noLies are what a screen must never show when no source could count.
var noLies = []string{"0.0 h", "✓ below", "$0", "0 broken now", "Nothing to triage", "No pipeline failed", "No alarm fired", "✓ 0 firing", "✓ 0 failing"}

func assertNoLies(t *testing.T, where, screen string) {
	t.Helper()
	for _, lie := range noLies {
		if strings.Contains(screen, lie) {
			t.Errorf("%s shows %q although no source could count it:\n%s", where, lie, screen)
		}
	}
}

func TestEndToEndAWrongTokenWithoutHistory(t *testing.T) {
	path := writeConfig(t, "team:\n  name: payments\n  engineers: 6\n  hourly_cost: 100\ngithub:\n  api_url: "+fakeGitHubRejectingTokens(t)+"\n  repos: [acme/api]\n")
	// No AWS credentials: the AWS sources are not configured.
	s := startTmux(t, 80, 24, append(cleanEnv(t), "GITHUB_TOKEN=not-a-token"), "--config", path)
	first := s.waitFor("? firing", "? failing", "✗ github/actions, github/pulls: GitHub rejected the token", "7 Sources")
	s.checkFits(80, 24)
	assertNoLies(t, "the first frame", first)
	for _, p := range []struct{ key, want string }{
		{"1", "What operating AWS costs payments is unknown"},
		{"2", "Unknown: "},
		{"3", "Unknown: github/actions failed: GitHub rejected the token"},
		{"4", "Unknown: aws/alarms not configured"},
		{"5", "Unknown: github/pulls failed"},
		{"7", "– not configured"},
	} {
		s.keys(p.key)
		screen := s.waitFor(p.want)
		assertNoLies(t, "pane "+p.key, screen)
		s.checkFits(80, 24)
	}
	s.keys("Enter")
	s.waitFor("Why, and what to do", "export it as GITHUB_TOKEN")
	if strings.Contains(s.screen(), "not-a-token") {
		t.Error("the token is on screen")
	}
	s.keys("Escape", "q")
	s.waitFor("opsdrag-exited-0")
}

// plainZero is a zero figure not marked as a lower bound.
var plainZero = regexp.MustCompile(`[^≥] 0\.0 h`)

// sgrBefore matches a colour or attribute sequence right before text.
func sgrBefore(text string) *regexp.Regexp {
	return regexp.MustCompile(`\x1b\[[0-9;]*m` + regexp.QuoteMeta(text))
}

func TestEndToEndTheFirstFrameSaysWhatIsBrokenNow(t *testing.T) {
	for _, noColor := range []bool{false, true} {
		env := append(cleanEnv(t), "TERM=xterm-256color")
		if noColor {
			env = append(env, "NO_COLOR=1")
		}
		s := startTmux(t, 80, 24, env, "--demo")
		// Without a key: what is broken now, on the triage list.
		screen := s.waitFor("● 2 firing", "✗ 3 failing", "Triage", "5 broken now", "data ")
		if !strings.HasPrefix(strings.Split(screen, "\n")[0], "opsdrag acme") || !strings.Contains(strings.Split(screen, "\n")[0], "● 2 firing  ✗ 3 failing") {
			t.Errorf("the header does not say what is broken:\n%s", screen)
		}
		esc := s.screenWithEscapes()
		if colored := sgrBefore("● 2 firing").MatchString(esc); !noColor && !colored {
			t.Errorf("what is broken is not in colour:\n%q", esc)
		}
		if noColor && (strings.Contains(esc, "[38;") || strings.Contains(esc, ";38;")) {
			t.Errorf("NO_COLOR is set but the screen has colours")
		}
		// On every pane.
		for _, k := range []string{"1", "3", "4", "5", "6", "7"} {
			s.keys(k)
			if h := strings.Split(s.screen(), "\n")[0]; !strings.Contains(h, "● 2 firing  ✗ 3 failing") {
				t.Errorf("pane %s: header %q", k, h)
			}
		}
	}
}

// reversed finds the line drawn in reverse video: the selected row.
var reversed = regexp.MustCompile(`\x1b\[(?:[0-9]+;)*7(?:;[0-9]+)*m([^\n]*)`)

func TestEndToEndAFirstRunKeepsTheCursorOnRowOne(t *testing.T) {
	// An empty state directory, and sources that answer one after another:
	// rows arrive above the first ones while the person reads.
	s := startTmux(t, 100, 30, cleanEnv(t), "--demo")
	s.waitFor("prod-orders-dlq-not-empty", "#1050", "data ")
	m := reversed.FindStringSubmatch(s.screenWithEscapes())
	if m == nil || !strings.Contains(m[1], "prod-orders-dlq-not-empty") {
		t.Fatalf("the cursor is not on the top row (prod-orders-dlq-not-empty): %q\n%s", m, s.screen())
	}
	// A quick space acts on that row.
	s.keys("Space")
	screen := s.waitFor("· 1 of ") // "1 of 13 handled" on a Monday, fewer later in the week
	for _, line := range strings.Split(screen, "\n") {
		if strings.Contains(line, "[x]") && !strings.Contains(line, "prod-orders-dlq-not-empty") {
			t.Errorf("space marked another row: %q", line)
		}
	}
}

// fakeGitHubWithARedCI serves acme/api with a CI workflow whose latest run
// on main failed an hour ago, and an open infra pull request. Only token is
// accepted.
func fakeGitHubWithARedCI(t *testing.T, token string) *ghfake.Server {
	t.Helper()
	// A GitHub Enterprise Server: opsdrag mounts a bare host under /api/v3.
	gh := ghfake.New(t, ghfake.Options{Token: token, Prefix: "/api/v3"})
	r := gh.AddRepo("acme/api", ghfake.Repo{})
	gh.AddWorkflow(r, ghfake.Workflow{ID: 1, Name: "CI", Path: ".github/workflows/ci.yml"})
	now := time.Now().UTC().Truncate(time.Minute)
	for i, c := range []struct {
		ago        time.Duration
		conclusion string
	}{{26 * time.Hour, "success"}, {time.Hour, "failure"}} {
		created := now.Add(-c.ago)
		gh.AddRun(r, ghfake.Run{ID: int64(100 + i), WorkflowID: 1, Branch: "main", Created: created,
			Attempts: []ghfake.Attempt{{Conclusion: c.conclusion, Started: created, Completed: created.Add(10 * time.Minute)}}})
	}
	gh.AddPull(r, ghfake.Pull{Number: 7, Title: "Raise the RDS storage alarm", Author: "dana", Created: now.Add(-30 * time.Hour),
		Updated: now.Add(-30 * time.Hour), Files: []ghfake.File{{Name: "terraform/rds.tf", Status: "modified"}}})
	return gh
}

func githubConfig(t *testing.T, url string) string {
	return writeConfig(t, "team:\n  name: payments\n  engineers: 6\n  hourly_cost: 100\ngithub:\n  api_url: "+url+"\n  repos: [acme/api]\n")
}

// GitHub answers, then disappears between two refreshes; AWS is not
// configured throughout.
func TestEndToEndTheBackendKilledBetweenTwoRefreshes(t *testing.T) {
	gh := fakeGitHubWithARedCI(t, "good-token")
	s := startTmux(t, 100, 30, append(cleanEnv(t), "GITHUB_TOKEN=good-token"), "--config", githubConfig(t, gh.URL()))
	// Something is failing now: the triage list, with the alarms unknown.
	screen := s.waitFor("? firing", "✗ ≥1 failing", "Triage", "CI (main)", "#7 Raise the RDS", "data ")
	if strings.Contains(screen, "✗ github/") {
		t.Fatalf("a source failed against a working GitHub:\n%s", screen)
	}
	s.keys("1")
	screen = s.waitFor("Alarms (incidents)", "aws/alarms not configured")
	for _, lie := range []string{"✓ below", "Alarms (incidents)       0.0 h"} {
		if strings.Contains(screen, lie) {
			t.Errorf("alarms nobody read: %q on screen:\n%s", lie, screen)
		}
	}
	s.keys("4")
	s.waitFor("Unknown: aws/alarms not configured")

	gh.Close()
	s.keys("r")
	s.waitFor("✗ github/actions, github/pulls: acme/api: could not read")
	s.keys("3")
	screen = s.waitFor("CI", "Stale or incomplete: github/actions from", "its latest refresh failed")
	if !strings.Contains(screen, "acme/api") {
		t.Errorf("the failed refresh blanked the pipelines:\n%s", screen)
	}
	s.keys("1")
	s.waitFor("From older data: the latest refresh failed")
	s.keys("7")
	s.waitFor("✗ failed, stale")
	s.checkFits(100, 30)
}

// A token that worked yesterday is revoked: the history paints yesterday's
// picture, and the refresh says why it is stale.
func TestEndToEndAWrongTokenWithHistory(t *testing.T) {
	gh := fakeGitHubWithARedCI(t, "good-token")
	env, path := cleanEnv(t), githubConfig(t, gh.URL())
	// Yesterday's run, saved in the history.
	if r := run(t, append(env, "GITHUB_TOKEN=good-token"), "report", "--config", path); r.code != 0 {
		t.Fatalf("first report: exit %d: %s", r.code, r.stderr)
	}
	s := startTmux(t, 80, 24, append(env, "GITHUB_TOKEN=revoked"), "--config", path)
	screen := s.waitFor("✗ github/actions, github/pulls: GitHub rejected the token", "CI (main)")
	if strings.Contains(screen, "Nothing to triage") || strings.Contains(screen, "0 broken now") {
		t.Errorf("the triage list from older data reads as complete:\n%s", screen)
	}
	s.keys("3")
	s.waitFor("Stale or incomplete: github/actions from", "acme/api")
	s.keys("1")
	screen = s.waitFor("at least", "From older data")
	// Yesterday's figures are lower bounds now: "≥ 0.0 h" is honest, a
	// plain zero or a judged range is not.
	if plainZero.MatchString(screen) || strings.Contains(screen, "✓ below") {
		t.Errorf("the drag from older data reads as exact:\n%s", screen)
	}
	s.checkFits(80, 24)
}
