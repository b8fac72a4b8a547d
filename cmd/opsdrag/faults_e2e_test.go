package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
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

// savedOnce starts a GitHub with a red CI and saves one report of it in a
// new history; it returns the environment and the config to run with.
func savedOnce(t *testing.T) (env []string, config string) {
	t.Helper()
	gh := fakeGitHubWithARedCI(t, "good-token")
	env, config = append(cleanEnv(t), "GITHUB_TOKEN=good-token"), githubConfig(t, gh.URL())
	if r := run(t, env, "report", "--config", config); r.code != 0 {
		t.Fatalf("first report: exit %d: %s", r.code, r.stderr)
	}
	return env, config
}

// historyCount runs `opsdrag history --check` and `opsdrag history`, fails
// the test unless the file is intact, and returns how many snapshots it
// lists.
func historyCount(t *testing.T, env []string) int {
	t.Helper()
	if r := run(t, env, "history", "--check"); r.code != 0 || !strings.Contains(r.stdout, "ok (integrity check passed)") {
		t.Fatalf("the history is damaged: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := run(t, env, "history")
	if r.code != 0 {
		t.Fatalf("history: exit %d: %s", r.code, r.stderr)
	}
	return strings.Count(r.stdout, "\n") - 1 // less the header
}

// A state directory that is full: the interface says the history is off
// and why, shows the live data, and the history already saved is intact.
func TestEndToEndAFullStateDirectory(t *testing.T) {
	env, path := savedOnce(t)
	before := historyCount(t, env)
	// RLIMIT_FSIZE makes every write past 8 KB fail with EFBIG as a full
	// disk fails with ENOSPC, and holds for root too.
	s := startTmuxShell(t, 100, 30, "ulimit -f 16; env -i "+quoteAll(env)+" "+quoteAll([]string{binary, "--config", path}))
	s.waitFor("history off:", "run with --no-store", "CI (main)")
	s.keys("5")
	s.waitFor("#7 Raise the RDS")
	s.keys("q")
	s.waitFor("opsdrag-exited-0")
	if after := historyCount(t, env); after != before {
		t.Errorf("the history went from %d snapshots to %d", before, after)
	}
}

// readOnly returns a command line that runs command with dir read-only:
// by its mode for an ordinary user, by a read-only bind mount for root
// (whom modes do not stop). It skips the test where neither is possible.
func readOnly(t *testing.T, dir string, command []string) []string {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		return command
	}
	if err := exec.Command("unshare", "-m", "true").Run(); err != nil {
		t.Skipf("running as root without unshare -m (%v): no way to make a directory read-only for root", err)
	}
	return append([]string{"unshare", "-m", "sh", "-c", `mount --bind -o ro "$0" "$0" && exec "$@"`, dir}, command...)
}

// A read-only state directory: the report is produced, stderr says the
// history and the log are off and why, and the saved history is intact.
func TestEndToEndAReadOnlyStateDirectory(t *testing.T) {
	env, path := savedOnce(t)
	before := historyCount(t, env)
	line := readOnly(t, stateDir(env), []string{binary, "report", "--format", "json", "--config", path})
	cmd := exec.Command(line[0], line[1:]...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("report with a read-only state directory: %v\n%s", err, errb.String())
	}
	var rep reportJSON
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || len(rep.InfraPRs) != 1 {
		t.Errorf("no report (%v):\n%s", err, out.String())
	}
	for _, want := range []string{"history", "--no-store"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr does not say %q:\n%s", want, errb.String())
		}
	}
	t.Logf("stderr:\n%s", errb.String())
	if after := historyCount(t, env); after != before {
		t.Errorf("the history went from %d snapshots to %d", before, after)
	}
}

// logLines waits until the log at path holds n lines containing what, and
// returns the log.
func waitForLog(t testing.TB, path, what string, n int) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, _ := os.ReadFile(path)
		if strings.Count(string(b), what) >= n {
			return string(b)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log never said %q %d times:\n%s", what, n, b)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// lastPID is the pid the log's latest "opsdrag started" line gives.
var startedPID = regexp.MustCompile(`msg="opsdrag started".* pid=(\d+)`)

func lastPID(t testing.TB, log string) int {
	t.Helper()
	m := startedPID.FindAllStringSubmatch(log, -1)
	if m == nil {
		t.Fatalf("no start line in the log:\n%s", log)
	}
	pid, _ := strconv.Atoi(m[len(m)-1][1])
	return pid
}

// SIGTERM and SIGHUP while a snapshot is being saved: the program ends,
// the history is intact, and the save under way is finished, not lost.
func TestEndToEndSignalsDuringAWrite(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		t.Run("report "+sig.String(), func(t *testing.T) {
			env, path := savedOnce(t)
			cmd := exec.Command(binary, "report", "--debug", "--config", path)
			cmd.Env = env
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitForLog(t, filepath.Join(stateDir(env), "opsdrag.log"), `msg="saving snapshot"`, 1)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			_ = cmd.Wait() // it ends, however it exits
			if n := historyCount(t, env); n != 2 {
				t.Errorf("%d snapshots after the save %s interrupted, want 2", n, sig)
			}
		})
		t.Run("interface "+sig.String(), func(t *testing.T) {
			env, path := savedOnce(t)
			logPath := filepath.Join(stateDir(env), "opsdrag.log")
			s := startTmux(t, 100, 30, env, "--debug", "--config", path)
			log := waitForLog(t, logPath, `msg="saving snapshot"`, 1)
			if err := syscall.Kill(lastPID(t, log), sig); err != nil {
				t.Fatal(err)
			}
			s.waitFor("opsdrag-exited-")
			waitForLog(t, logPath, `msg="opsdrag stopped"`, 2)
			if n := historyCount(t, env); n != 2 {
				t.Errorf("%d snapshots after the save %s interrupted, want 2", n, sig)
			}
			if screen := s.screen(); strings.Contains(screen, "level=") || strings.Contains(screen, "msg=") {
				t.Errorf("log lines on the terminal:\n%s", screen)
			}
		})
	}
}

// With --debug the log has every request to GitHub, with its status,
// duration and rate limits, in a private file, and never the token.
func TestEndToEndTheDebugLogNeverHoldsTheToken(t *testing.T) {
	const token = "ghp_opsdragE2EtokenABCDEFGHIJ0123456789"
	gh := fakeGitHubWithARedCI(t, token)
	env := append(cleanEnv(t), "GITHUB_TOKEN="+token)
	if r := run(t, env, "report", "--debug", "--config", githubConfig(t, gh.URL())); r.code != 0 {
		t.Fatalf("report: exit %d: %s", r.code, r.stderr)
	}
	path := filepath.Join(stateDir(env), "opsdrag.log")
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("the log is %o, want 600", info.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	log := string(b)
	for _, want := range []string{`msg="http request" method=GET`, "path=/api/v3/repos/acme/api", "status=200", "duration=", "x-ratelimit-remaining=", "x-ratelimit-reset=",
		`msg="http request" method=POST`, "path=/api/graphql", `msg=collected source=github/actions status=ok`} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q", want)
		}
	}
	for _, never := range []string{token, token[4:], "Authorization", "authorization"} {
		if strings.Contains(log, never) {
			t.Errorf("the log holds %q", never)
		}
	}
	if t.Failed() {
		t.Logf("the log:\n%s", log)
	}
}
