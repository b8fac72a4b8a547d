package tui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

const badToken = "GitHub rejected the token from GITHUB_TOKEN (401 Bad credentials): it is wrong, expired or revoked; create a new one and export it as GITHUB_TOKEN"

// liveOptions runs the given collectors as the live sources would be, for
// a team that is not the demo's.
func liveOptions(t *testing.T, cs ...collectors.Collector) Options {
	t.Helper()
	o := demoOptions(t)
	runner := collectors.Runner{Collectors: cs, Now: func() time.Time { return fixedNow }}
	o.Demo = false
	o.Team = model.Team{Name: "payments", Engineers: 6, HourlyCost: 100, Location: time.UTC}
	o.Sources, o.Collect = runner.Names(), runner.Run
	return o
}

// failing is a collector that always fails (err) or is not configured (skip).
func failing(name, detail string) collectors.Collector {
	return scripted{name: name, err: errors.New(detail)}
}

func notConfigured(name string) collectors.Collector {
	return scripted{name: name, err: collectors.Skip("no AWS credentials found: run aws configure")}
}

func answering(name string, d model.Data) scripted {
	s := scripted{name: name, res: make(chan collectors.Result, 8)}
	for range 8 {
		s.res <- collectors.Result{Data: d}
	}
	return s
}

func allPanes(t *testing.T, a *App) string {
	t.Helper()
	var b strings.Builder
	for i := range a.panes {
		press(t, a, string(rune('1'+i)))
		b.WriteString(screen(a))
		b.WriteString("\n")
	}
	return b.String()
}

func TestAWrongTokenIsNeverShownAsZeroOrGoodNews(t *testing.T) {
	a := loaded(t, liveOptions(t,
		failing("github/actions", badToken), failing("github/pulls", badToken),
		notConfigured("aws/alarms"), notConfigured("aws/codepipeline"), notConfigured("aws/cost"), notConfigured("aws/inventory"),
	), 80, 24)
	first := screen(a)
	if !strings.Contains(first, "? firing") || !strings.Contains(first, "? failing") {
		t.Errorf("the header counts what nobody could check:\n%s", first)
	}
	if !strings.Contains(first, "github/actions failed") || !strings.Contains(first, "GitHub rejected the token") {
		t.Errorf("the failure's reason is not on screen:\n%s", first)
	}
	all := allPanes(t, a)
	for _, lie := range []string{"0.0 h", "✓ below", "$0", "0 broken now", "0 of 0 handled", "Nothing to triage", "No pipeline failed", "No alarm fired", "0%"} {
		if strings.Contains(all, lie) {
			t.Errorf("%q on screen although no source succeeded:\n%s", lie, all)
		}
	}
	press(t, a, "3")
	body := strings.SplitN(screen(a), "STATUS", 2)[1]
	if !strings.HasPrefix(strings.TrimSpace(body[strings.Index(body, "\n"):]), "Unknown: github/actions failed: GitHub rejected the token") {
		t.Errorf("the empty pipelines pane does not lead with why:\n%s", screen(a))
	}
	press(t, a, "7")
	if s := screen(a); !strings.Contains(s, "✗ failed") || !strings.Contains(s, "– not configured") {
		t.Errorf("the sources pane:\n%s", s)
	}
	press(t, a, "enter")
	if s := screen(a); !strings.Contains(s, "export it as GITHUB_TOKEN") || !strings.Contains(s, "Why, and what to do") {
		t.Errorf("the source's detail does not carry its whole reason and fix:\n%s", s)
	}
}

func TestGitHubOnlyNeverJudgesTheAlarms(t *testing.T) {
	now := fixedNow
	a := loaded(t, liveOptions(t,
		answering("github/actions", model.Data{Pipelines: []model.Pipeline{{Provider: model.GitHubActions, Scope: "acme/api", Name: "CI", Branch: "main",
			Failing: true, Failures: 2, FailedAt: []time.Time{now.Add(-2 * time.Hour), now.Add(-time.Hour)}, LastFailureAt: ptrTime(now.Add(-time.Hour))}}}),
		answering("github/pulls", model.Data{MergedPRs: new(int)}),
		notConfigured("aws/alarms"), notConfigured("aws/codepipeline"), notConfigured("aws/cost"), notConfigured("aws/inventory"),
	), 120, 35)
	press(t, a, "1")
	s := screen(a)
	for _, want := range [][]string{{"at least 0.7 h/week"}, {"Hours per week", "≥ 0.7 h"}, {"Alarms", "unknown", "aws/alarms not configured"}, {"Alarms (incidents)", "unknown", "aws/alarms not configured"}} {
		if !lineWith(s, want...) {
			t.Errorf("GitHub only: no line with %q:\n%s", want, s)
		}
	}
	if lineWith(s, "Alarms", "0.0 h") || strings.Contains(s, "✓ below 0.9") || strings.Contains(s, "unknown unknown") {
		t.Errorf("alarms nobody read are shown as zero or healthy:\n%s", s)
	}
	if h := strings.Split(s, "\n")[0]; !strings.Contains(h, "? firing") || !strings.Contains(h, "✗ ≥1 failing") {
		t.Errorf("header: %q", h)
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

// lineWith reports whether one line of s holds every part, in order.
func lineWith(s string, parts ...string) bool {
	for _, line := range strings.Split(s, "\n") {
		rest, ok := line, true
		for _, p := range parts {
			i := strings.Index(rest, p)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(p):]
		}
		if ok {
			return true
		}
	}
	return false
}

func TestRowsKeptFromAFailedRefreshAreMarkedStale(t *testing.T) {
	good := model.Data{Pipelines: []model.Pipeline{{Provider: model.GitHubActions, Scope: "acme/api", Name: "CI", Failing: true, Failures: 1}}}
	results := make(chan collectors.Result, 1)
	results <- collectors.Result{Data: good}
	src := &flaky{name: "github/actions", results: results}
	a := loaded(t, liveOptions(t, src), 100, 30)
	src.err = errors.New("Get \"https://api.github.com/...\": connection refused")
	drive(t, a, a.refresh())
	press(t, a, "3")
	s := screen(a)
	if !strings.Contains(s, "acme/api") || !strings.Contains(s, "Stale or incomplete: github/actions from") || !strings.Contains(s, "its latest refresh failed") {
		t.Errorf("stale rows are not marked:\n%s", s)
	}
	press(t, a, "1")
	if s := strings.Join(strings.Fields(screen(a)), " "); !strings.Contains(s, "From older data: the latest refresh failed, so github/actions from") {
		t.Errorf("the headline does not say the figures are from older data:\n%s", s)
	}
	if s := screen(a); !strings.Contains(s, "✗ github/actions: Get") || !strings.Contains(s, "(showing data from") {
		t.Errorf("the problem line does not say the data is stale:\n%s", s)
	}
}

// flaky answers from results until err is set.
type flaky struct {
	name    string
	results chan collectors.Result
	err     error
}

func (f *flaky) Name() string { return f.name }
func (f *flaky) Collect(ctx context.Context, _ model.Window) (collectors.Result, error) {
	if f.err != nil {
		return collectors.Result{}, f.err
	}
	return <-f.results, nil
}

func TestTheTriageCursorStaysOnTheTopRowWhileRowsArrive(t *testing.T) {
	late := scripted{name: "aws/alarms", res: make(chan collectors.Result, 1)}
	early := answering("github/pulls", model.Data{PullRequests: []model.PullRequest{
		{Repo: "acme/infra", Number: 1, Title: "first", State: model.PROpen, CreatedAt: fixedNow.Add(-48 * time.Hour)},
		{Repo: "acme/infra", Number: 2, Title: "second", State: model.PROpen, CreatedAt: fixedNow.Add(-24 * time.Hour)},
	}})
	o := liveOptions(t, early, late)
	a := New(o)
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	cmd := a.refresh()
	msgs := cmd().(tea.BatchMsg)
	next := msgs[0]
	_, next = a.Update(next()) // the PRs arrive first
	a.focus(a.paneIndex(triagePaneName))
	top, _ := a.tables[a.active].selected()
	// Alarms firing now arrive and go above the PRs.
	late.res <- collectors.Result{Data: model.Data{Alarms: []model.Alarm{{Account: "1", Region: "us-east-1", Name: "db-down", State: model.StateAlarm, Since: ptrTime(fixedNow.Add(-time.Hour))}}}}
	drive(t, a, next)
	sel, _ := a.tables[a.active].selected()
	if a.tables[a.active].cursor != 0 || !strings.Contains(sel.key, "db-down") || sel.key == top.key {
		t.Fatalf("cursor %d on %q, want the top row (db-down)", a.tables[a.active].cursor, sel.key)
	}
	// Once the person moves, the cursor follows their row.
	press(t, a, "j")
	moved, _ := a.tables[a.active].selected()
	late.res <- collectors.Result{Data: model.Data{Alarms: []model.Alarm{
		{Account: "1", Region: "us-east-1", Name: "db-down", State: model.StateAlarm, Since: ptrTime(fixedNow.Add(-time.Hour))},
		{Account: "1", Region: "us-east-1", Name: "api-5xx", State: model.StateAlarm, Since: ptrTime(fixedNow.Add(-3 * time.Hour))},
	}}}
	drive(t, a, a.refresh())
	if now, _ := a.tables[a.active].selected(); now.key != moved.key {
		t.Fatalf("after a move the cursor left its row: %q, want %q", now.key, moved.key)
	}
}

func TestOpensOnTheTriageListWhenSomethingIsBroken(t *testing.T) {
	// An evening: only something broken leads to the triage list.
	o := demoOptions(t)
	a := loaded(t, o, 80, 24)
	if a.ActivePane() != triagePaneName {
		t.Fatalf("the demo has alarms firing: opened on %s", a.ActivePane())
	}
	first := screen(a)
	if !strings.Contains(strings.Split(first, "\n")[0], "● 2 firing  ✗ 3 failing") {
		t.Errorf("the first frame at 80x24 does not say what is broken now:\n%s", first)
	}
	// Nothing broken on a Saturday evening: the drag.
	quiet := liveOptions(t, answering("github/actions", model.Data{}), answering("aws/alarms", model.Data{}))
	quiet.Now = func() time.Time { return time.Date(2026, 11, 28, 20, 0, 0, 0, time.UTC) }
	if a := loaded(t, quiet, 80, 24); a.ActivePane() != "Drag" {
		t.Errorf("nothing broken on a Saturday evening: opened on %s", a.ActivePane())
	}
	// Nothing broken on a Monday morning: still the triage list.
	quiet.Now = func() time.Time { return time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) }
	if a := loaded(t, quiet, 80, 24); a.ActivePane() != triagePaneName {
		t.Errorf("a Monday morning: opened on %s", a.ActivePane())
	}
	// Once the person has chosen a pane, a refresh never moves them.
	a = New(o)
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	press(t, a, "5")
	drive(t, a, a.refresh())
	if a.ActivePane() != "Infra PRs" {
		t.Errorf("a refresh moved the person to %s", a.ActivePane())
	}
}

func TestRefreshingClearsAsSoonAsTheLastSourceAnswers(t *testing.T) {
	a := loaded(t, demoOptions(t), 100, 30)
	_, cmd := a.Update(keyPress("r"))
	if s := screen(a); !strings.Contains(s, "refreshing 0/6") {
		t.Errorf("no refresh under way on screen:\n%s", s)
	}
	drive(t, a, cmd)
	if s := screen(a); strings.Contains(s, "refreshing") || !strings.Contains(s, "data 0s old") {
		t.Errorf("refreshing stays after every source answered:\n%s", s)
	}
	if a.ageInterval() != time.Second {
		t.Errorf("the age ticks every %s in its first minute", a.ageInterval())
	}
	a.opts.Now = func() time.Time { return fixedNow.Add(5 * time.Minute) }
	if a.ageInterval() != 15*time.Second {
		t.Errorf("the age ticks every %s once it reads in minutes", a.ageInterval())
	}
}

func TestTheTriageDetailOfAnAlarmCarriesItsReason(t *testing.T) {
	a := loaded(t, liveOptions(t, answering("aws/alarms", model.Data{Alarms: []model.Alarm{{Account: "1", Region: "us-east-1", Name: "db-down", State: model.StateAlarm,
		Since: ptrTime(fixedNow.Add(-time.Hour)), Reason: "Threshold Crossed: 1 datapoint [95.0] was greater than the threshold (90.0)."}}})), 100, 30)
	press(t, a, "2", "enter")
	if s := screen(a); !strings.Contains(s, "Reason: Threshold Crossed: 1 datapoint [95.0]") {
		t.Errorf("the triage detail lacks the alarm's reason:\n%s", s)
	}
}

func TestTheDemoHintShowsItsWholePathAt80Columns(t *testing.T) {
	o := demoOptions(t)
	path := "/home/someone-with-a-long-name/.config/opsdrag/config.yaml"
	o.Hint = "Demo data: no config or credentials found. Write " + path + " (see README) to watch your team."
	a := loaded(t, o, 80, 24)
	if s := screen(a); !strings.Contains(s, path) {
		t.Errorf("the hint's path is cut:\n%s", s)
	}
	if got := strings.Count(screen(a), "\n") + 1; got != 24 {
		t.Errorf("%d lines on a 24-line screen", got)
	}
}

func TestAFailureLeadsTheProblemLineOverAWarning(t *testing.T) {
	warned := scripted{name: "github/actions", res: make(chan collectors.Result, 1)}
	warned.res <- collectors.Result{Warnings: []string{"acme/missing: not found"}}
	a := loaded(t, liveOptions(t, warned,
		failing("aws/alarms", "AWS rejected the credentials of the default profile"),
		failing("aws/cost", "AWS rejected the credentials of the default profile"),
		failing("aws/inventory", "timed out after 1m0s"),
	), 120, 30)
	line := strings.Split(screen(a), "\n")[2]
	if !strings.HasPrefix(line, "✗ aws/alarms, aws/cost: (+2 other reasons: 7 Sources) AWS rejected the credentials") {
		t.Errorf("problem line %q", line)
	}
}
