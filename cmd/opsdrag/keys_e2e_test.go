package main

import (
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The tests in this file drive the real binary in tmux with the keys people
// bring from k9s, gh-dash and lazygit, at the sizes people use.

// tableLines are the screen's lines between the column header that starts
// with head and the status line, cut at the preview's rule.
func tableLines(screen, head string) []string {
	var out []string
	in := false
	for _, l := range strings.Split(screen, "\n") {
		left, _, _ := strings.Cut(l, " │ ")
		switch {
		case strings.HasPrefix(left, head):
			in = true
		case in && (strings.Contains(left, "github/actions") && strings.Contains(left, "data ") || strings.Contains(left, "sources ")):
			return out
		case in && strings.TrimSpace(left) != "":
			out = append(out, left)
		}
	}
	return out
}

func TestEndToEndEveryPaneKeepsWhatTellsRowsApartAtEverySize(t *testing.T) {
	// Each pane's identifying cells: the full form, or the short form a
	// narrow terminal may use instead.
	type ident struct{ full, short string }
	panes := []struct {
		key, head, title string
		ids              []ident
	}{
		{"2", "    WHAT", "Triage  ", []ident{{"acme/infra", "acme/infra"}, {"111122223333 eu-west-1", "…3333 euw1"}, {"111122223333/eu-west-1", "…3333/euw1"}}},
		{"3", "STATUS", "Pipelines  6", []ident{{"acme/infra", "acme/infra"}, {"acme/web", "acme/web"}, {"111122223333/eu-west-1", "…3333/euw1"}, {"111122223333/us-east-1", "…3333/use1"}}},
		{"4", "STATE", "Alarms  5", []ident{{"111122223333 eu-west-1", "…3333 euw1"}, {"111122223333 us-east-1", "…3333 use1"}}},
		{"5", "STATE", "Infra PRs  7", []ident{{"acme/infra#219", "infra#219"}, {"acme/api#1050", "api#1050"}}},
		{"6", "    ITEM", "Checklist  ", []ident{{"111122223333 eu-west-1", "…3333 euw1"}, {"111122223333 us-east-1", "…3333 use1"}}},
		{"7", "STATUS", "Sources  6", []ident{{"github/actions", "github/actions"}, {"aws/codepipeline", "aws/codepipeline"}}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 35}, {200, 60}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			s := startTmux(t, w, h, cleanEnv(t), "--demo")
			s.waitDemoLoaded()
			for _, p := range panes {
				s.keys(p.key)
				screen := s.waitFor(p.title, p.head)
				s.checkFits(w, h)
				for _, id := range p.ids {
					if !strings.Contains(screen, id.full) && !strings.Contains(screen, id.short) {
						t.Errorf("pane %s at %dx%d lacks %q:\n%s", p.key, w, h, id.full, screen)
					}
					if w >= 120 && !strings.Contains(screen, id.full) {
						t.Errorf("pane %s at %dx%d shows %q short though it has room:\n%s", p.key, w, h, id.full, screen)
					}
				}
				if w == 200 {
					// Nothing that fits is cut: no ellipsis in the list.
					for _, l := range tableLines(screen, p.head) {
						if strings.Contains(l, "…") && !strings.Contains(l, "…3333") {
							t.Errorf("pane %s at 200 columns cuts a cell: %q", p.key, l)
						}
					}
				}
				footer := lastLine(screen)
				for _, k := range []string{"r refresh", "? help", "q quit"} {
					if !strings.Contains(footer, k) {
						t.Errorf("pane %s at %dx%d: the footer %q lacks %q", p.key, w, h, footer, k)
					}
				}
			}
			// The Drag pane says when rows are below the fold.
			s.keys("1")
			screen := s.waitFor("Hours per week")
			if !strings.Contains(screen, "Infra share of PRs") && !strings.Contains(screen, "more below") {
				t.Errorf("Drag at %dx%d hides rows without saying so:\n%s", w, h, screen)
			}
		})
	}
}

// waitDemoLoaded waits until every demo source has answered: the final
// counts in the header and a tick for each of the six sources.
func (s *tmuxSession) waitDemoLoaded() {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var screen string
	for time.Now().Before(deadline) {
		screen = s.screen()
		lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
		if len(lines) >= 2 {
			status := lines[len(lines)-2]
			if strings.Contains(screen, "● 2 firing  ✗ 3 failing") && (strings.Count(status, "✓") == 6 || strings.Contains(status, "sources ✓6")) {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("the demo never finished loading:\n%s", screen)
}

func lastLine(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestEndToEndCopyAndOpenWithoutABrowser(t *testing.T) {
	s := startTmux(t, 120, 35, cleanEnv(t), "--demo")
	s.tmux("set-option", "-s", "set-clipboard", "on")
	s.waitDemoLoaded()
	s.keys("3")
	s.waitFor("terraform-plan")
	s.keys("y")
	s.waitFor("copied link: https://github.com/acme/infra/actions/workflows/plan.yml")
	s.waitBuffer("https://github.com/acme/infra/actions/workflows/plan.yml")
	s.keys("Y")
	s.waitFor("copied name: acme/infra terraform-plan")
	s.waitBuffer("acme/infra terraform-plan")
	// The test terminal has no display and no xdg-open: o says so and
	// copies the link instead.
	s.keys("j", "o")
	s.waitFor("no browser (no display): link copied")
	s.waitBuffer("https://github.com/acme/api/actions/workflows/ci.yml")
	// The detail view shows the link whole, on its own line.
	s.keys("Enter")
	screen := s.waitFor("Link (o opens, y copies):")
	if !regexp.MustCompile(`(?m)^https://github\.com/acme/api/actions/workflows/ci\.yml\s*$`).MatchString(screen) {
		t.Errorf("the link is not whole on a line of its own:\n%s", screen)
	}
}

// waitBuffer waits until tmux's newest paste buffer — what OSC 52 put on
// the clipboard — is want.
func (s *tmuxSession) waitBuffer(want string) {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	got := ""
	for time.Now().Before(deadline) {
		out, err := exec.Command("tmux", "-S", s.socket, "show-buffer").Output()
		if got = string(out); err == nil && got == want {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("the clipboard holds %q, want %q", got, want)
}

func TestEndToEndSortEachPane(t *testing.T) {
	s := startTmux(t, 120, 35, cleanEnv(t), "--demo")
	s.waitDemoLoaded()
	for _, c := range []struct {
		pane, sort, head string
		order            []string // rows in this order, top to bottom
	}{
		// Rows on the triage list whatever the weekday (broken now, or
		// waiting for review): it starts at the end of the previous
		// working day, Friday's on a Monday.
		{"2", "since", "    WHAT", []string{"#219 Rotate", "prod-orders-dlq-not-empty", "prod-api-5xx-rate"}},
		{"3", "red", "STATUS", []string{"terraform-plan", "acme/api               CI", "acme-prod-deploy", "acme-eu-deploy"}},
		{"4", "pages", "STATE", []string{"prod-redis-evictions", "prod-api-5xx-rate", "prod-alb-unhealthy"}},
		{"5", "age", "STATE", []string{"acme/infra#219", "acme/infra#225", "acme/api#1050"}},
		{"7", "items", "STATUS", []string{"aws/inventory", "github/pulls", "aws/alarms"}},
	} {
		s.keys(c.pane, ":")
		s.keys(strings.Split("sort "+c.sort, "")...)
		s.keys("Enter")
		screen := s.waitFor("▼")
		assertOrder(t, "pane "+c.pane+" by "+c.sort, tableLines(screen, c.head), c.order)
		s.keys("S")
		screen = s.waitFor("▲")
		rev := append([]string(nil), c.order...)
		for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
			rev[i], rev[j] = rev[j], rev[i]
		}
		assertOrder(t, "pane "+c.pane+" by "+c.sort+" reversed", tableLines(screen, c.head), rev)
	}
	// The plan keeps its payback order, each item's steps under it: s
	// does nothing there and is not offered.
	s.keys("6")
	if screen := s.waitFor("Checklist  ", "PAYBACK"); strings.Contains(lastLine(screen), "s sort") {
		t.Errorf("sort offered on the plan: %q", lastLine(screen))
	}
	// s cycles through the columns from the first.
	s.keys("3", ":")
	s.keys(strings.Split("sort off", "")...)
	s.keys("Enter", "s")
	s.waitFor("STATUS▼")
	s.keys("s")
	s.waitFor("WHERE▲")
}

// assertOrder checks that each of want appears on a later line than the one before.
func assertOrder(t *testing.T, what string, lines, want []string) {
	t.Helper()
	last := -1
	for _, w := range want {
		at := -1
		for i, l := range lines {
			if strings.Contains(l, w) {
				at = i
				break
			}
		}
		if at < 0 || at <= last {
			t.Errorf("%s: %q is not after %q in\n%s", what, w, want, strings.Join(lines, "\n"))
			return
		}
		last = at
	}
}

func TestEndToEndCommandLine(t *testing.T) {
	s := startTmux(t, 120, 35, cleanEnv(t), "--demo")
	s.waitDemoLoaded()
	command := func(line string) {
		s.keys(":")
		s.keys(strings.Split(line, "")...)
		s.keys("Enter")
	}
	command("alarms")
	s.waitFor("Alarms  5", "PAGES")
	command("since 30d")
	s.waitFor("last 30 days")
	command("broken")
	s.waitFor("broken only: 2 of ")
	command("all")
	s.waitFor("Alarms  6")
	command("nonsense")
	s.waitFor(`unknown command "nonsense"`)
	// tab completes a command.
	s.keys(":", "t", "r", "Tab", "Enter")
	s.waitFor("Triage  ", "WHAT")
	command("q")
	s.waitFor("opsdrag-exited-0")
}

func TestEndToEndPreviewFollowsTheCursorAt200Columns(t *testing.T) {
	s := startTmux(t, 200, 60, cleanEnv(t), "--demo")
	s.waitDemoLoaded()
	s.keys("3")
	s.waitFor("│ acme/infra · terraform-plan", "│ Pipeline: terraform-plan")
	s.keys("j")
	s.waitFor("│ acme/api · CI", "│ Pipeline: CI")
	s.keys("4", "j")
	s.waitFor("│ prod-orders-dlq-not-empty", "│ Alarm: prod-orders-dlq-not-empty")
	s.checkFits(200, 60)
}

func TestEndToEndDetailViewNavigation(t *testing.T) {
	s := startTmux(t, 100, 30, cleanEnv(t), "--demo")
	s.waitDemoLoaded()
	s.keys("3", "Enter")
	s.waitFor("Pipelines › acme/infra · terraform-plan", "j/k next/prev", "o open")
	s.keys("j")
	s.waitFor("Pipelines › acme/api · CI")
	s.keys("j")
	s.waitFor("Pipelines › 111122223333/eu-west-1 · acme-eu-deploy")
	s.keys("k")
	s.waitFor("Pipelines › acme/api · CI")
	s.keys("Tab")
	s.waitFor("Alarms  5", "PAGES")
	s.keys("6", "Enter")
	screen := s.waitFor("Checklist › ")
	if strings.Contains(lastLine(screen), "o open") || strings.Contains(lastLine(screen), "y copy") {
		t.Errorf("a detail without a link offers o or y: %q", lastLine(screen))
	}
	s.keys("Escape", "2")
	s.waitFor("Triage  ", "WHAT")
}
