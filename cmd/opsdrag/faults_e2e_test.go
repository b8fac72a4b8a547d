package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/internal/ghfake"
)

// Faults end to end: the real binary against a GitHub that breaks the way
// networks, proxies and servers do. Each waits on what the screen or the
// output says, never on the clock.

// waitLonger is waitFor with a deadline for faults that take a timeout and
// retries to surface.
func (s *tmuxSession) waitLonger(d time.Duration, wants ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(d)
	for {
		screen := s.screen()
		joined := strings.Join(strings.Fields(screen), " ")
		missing := ""
		for _, w := range wants {
			if !strings.Contains(screen, w) && !strings.Contains(joined, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("screen never showed %q:\n%s", missing, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// githubConfigWith is githubConfig with more github keys.
func githubConfigWith(t *testing.T, url, extra string) string {
	return writeConfig(t, "team:\n  name: payments\n  engineers: 6\n  hourly_cost: 100\ngithub:\n  api_url: "+url+"\n  repos: [acme/api]\n"+extra)
}

// A GitHub endpoint that never answers: the source's own timeout fires and
// says so, and the other source's rows are shown.
func TestEndToEndASourceThatHangsTimesOut(t *testing.T) {
	gh := fakeGitHubWithARedCI(t, "good-token")
	gh.Inject(ghfake.Fault{Path: "/repos/acme/api/actions/*", Failure: ghfake.Hang})
	path := githubConfigWith(t, gh.URL(), "  timeout: 3s\n")
	s := startTmux(t, 100, 30, append(cleanEnv(t), "GITHUB_TOKEN=good-token"), "--config", path)
	s.waitLonger(30*time.Second, "github/actions: timed out after 3s", "✓ pulls")
	s.keys("3")
	s.waitFor("github/actions", "timed out after 3s")
	s.keys("5")
	s.waitFor("#7 Raise the RDS")
	s.keys("7")
	s.waitFor("timed out after 3s", "github/pulls")
	s.checkFits(100, 30)
	s.keys("q")
	s.waitFor("opsdrag-exited-0")
}

// reportJSON is the part of `opsdrag report --format json` these tests read.
type reportJSON struct {
	Sources []struct {
		Name   string `json:"name"`
		Status string `json:"status"`
		Detail string `json:"detail"`
	} `json:"sources"`
	InfraPRs []struct {
		Number int `json:"number"`
	} `json:"infra_prs"`
}

// A page that comes back broken on every try fails its source with the
// reason, and the other source is reported in full.
func TestEndToEndBrokenAnswersFailOnlyTheirSource(t *testing.T) {
	for _, c := range []struct {
		name    string
		failure ghfake.Failure
		says    string
	}{
		{"malformed JSON", ghfake.MalformedJSON, "is not valid JSON"},
		{"connection dropped mid-page", ghfake.DropMidBody, "was cut short: the connection failed after"},
		{"200 with a truncated body", ghfake.TruncatedBody, "was cut short: its JSON ends after"},
	} {
		t.Run(c.name, func(t *testing.T) {
			gh := fakeGitHubWithARedCI(t, "good-token")
			gh.Inject(ghfake.Fault{Path: "/repos/acme/api/actions/runs", Failure: c.failure})
			env := append(cleanEnv(t), "GITHUB_TOKEN=good-token")
			r := run(t, env, "report", "--format", "json", "--config", githubConfig(t, gh.URL()))
			if r.code != 0 {
				t.Fatalf("exit %d, want 0 (one source answered): %s", r.code, r.stderr)
			}
			var rep reportJSON
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
				t.Fatalf("the report is not JSON: %v\n%s", err, r.stdout)
			}
			status := map[string]string{}
			for _, s := range rep.Sources {
				status[s.Name] = s.Status
				if s.Name == "github/actions" && !strings.Contains(s.Detail, c.says) {
					t.Errorf("github/actions detail %q does not say %q", s.Detail, c.says)
				}
			}
			if status["github/actions"] != "error" || status["github/pulls"] != "ok" {
				t.Errorf("statuses %v, want github/actions error and github/pulls ok", status)
			}
			if len(rep.InfraPRs) != 1 || rep.InfraPRs[0].Number != 7 {
				t.Errorf("infra PRs %+v, want #7", rep.InfraPRs)
			}
		})
	}
}

// The network disappears in the middle of a refresh: the rows of the last
// refresh stay, marked stale with their age.
func TestEndToEndTheNetworkDisappearsDuringARefresh(t *testing.T) {
	gh := fakeGitHubWithARedCI(t, "good-token")
	s := startTmux(t, 100, 30, append(cleanEnv(t), "GITHUB_TOKEN=good-token"), "--config", githubConfig(t, gh.URL()))
	s.waitFor("CI (main)", "#7 Raise the RDS", "data ")
	// The next refresh finds GitHub silent, then gone.
	gh.Inject(ghfake.Fault{Path: "/*", Failure: ghfake.Hang})
	before := gh.Stats().Requests
	s.keys("r")
	for gh.Stats().Requests == before {
		time.Sleep(20 * time.Millisecond) // until the refresh is on the wire
	}
	gh.Close()
	s.waitLonger(30*time.Second, "✗ github/actions, github/pulls")
	s.keys("3")
	screen := s.waitFor("CI", "Stale or incomplete: github/actions from", "its latest refresh failed")
	if !strings.Contains(screen, "acme/api") {
		t.Errorf("the failed refresh blanked the pipelines:\n%s", screen)
	}
	s.keys("7")
	s.waitFor("✗ failed, stale")
	s.checkFits(100, 30)
}

// The terminal shrinks to 20x5 and grows back: every frame fits, nothing
// is lost, and the program still answers keys.
func TestEndToEndATinyTerminalAndBack(t *testing.T) {
	s := startTmux(t, 100, 30, cleanEnv(t), "--demo")
	s.waitFor("DEMO", "● 2 firing", "data ")
	s.tmux("resize-window", "-t", s.name, "-x", "20", "-y", "5")
	s.waitUntil(func(screen string) bool { return fits(screen, 20, 5) && strings.TrimSpace(screen) != "" })
	s.keys("3", "j", "j")
	s.waitUntil(func(screen string) bool { return fits(screen, 20, 5) })
	s.tmux("resize-window", "-t", s.name, "-x", "100", "-y", "30")
	s.waitFor("DEMO", "● 2 firing", "STATUS", "terraform-plan")
	s.checkFits(100, 30)
	s.keys("q")
	s.waitFor("opsdrag-exited-0")
}

// waitUntil polls the screen until ok holds.
func (s *tmuxSession) waitUntil(ok func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		screen := s.screen()
		if ok(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never became right:\n%s", screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// fits reports whether every line of screen fits width and there are at
// most height of them.
func fits(screen string, width, height int) bool {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	if len(lines) > height {
		return false
	}
	for _, l := range lines {
		if len([]rune(l)) > width {
			return false
		}
	}
	return true
}

// stateDir is where the binary run with env keeps its history and log.
func stateDir(env []string) string {
	return filepath.Join(envValue(env, "XDG_STATE_HOME"), "opsdrag")
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
