package main

import (
	"regexp"
	"strings"
	"testing"
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
	first := s.waitFor("? firing", "? failing", "github/actions failed", "GitHub rejected the token", "7 Sources")
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
	screen := s.waitFor("1 of 13 handled")
	for _, line := range strings.Split(screen, "\n") {
		if strings.Contains(line, "[x]") && !strings.Contains(line, "prod-orders-dlq-not-empty") {
			t.Errorf("space marked another row: %q", line)
		}
	}
}
