package report

import (
	"strings"
	"testing"

	"github.com/opsdrag/opsdrag/model"
)

// textSection returns the text report's section whose title starts with
// title, title line included.
func textSection(t *testing.T, out, title string) string {
	t.Helper()
	i := strings.Index(out, "\n"+title)
	if i < 0 {
		t.Fatalf("no %s section:\n%s", title, out)
	}
	s := out[i+1:]
	if j := strings.Index(s, "\n\n"); j >= 0 {
		s = s[:j]
	}
	return s
}

// markdownSection returns the markdown section under the heading that
// starts with heading, up to the next one of its level.
func markdownSection(t *testing.T, md, heading string) string {
	t.Helper()
	i := strings.Index(md, "\n"+heading)
	if i < 0 {
		t.Fatalf("no %s section:\n%s", heading, md)
	}
	s := md[i+1:]
	if j := strings.Index(s[len(heading):], "\n## "); j >= 0 {
		s = s[:len(heading)+j]
	}
	return s
}

// allQuiet is every source complete and nothing found: the only case in
// which a section may say nothing happened.
func allQuiet() Input {
	snap := handSnapshot(twoWeeks, false,
		outcome{name: "github/actions", status: model.StatusOK},
		outcome{name: "github/pulls", status: model.StatusOK, data: model.Data{MergedPRs: new(0)}},
		outcome{name: "aws/alarms", status: model.StatusOK},
		outcome{name: "aws/codepipeline", status: model.StatusOK},
		outcome{name: "aws/cost", status: model.StatusOK},
		outcome{name: "aws/inventory", status: model.StatusOK},
	)
	return Input{Snapshot: snap, Assumptions: model.DefaultAssumptions(), GeneratedAt: now}
}

// A section fed by a source that failed or was not configured leads with
// that source's reason, whole; "nothing happened" is said only when every
// source behind the section succeeded.
func TestSectionsLeadWithWhyTheyMayBeEmpty(t *testing.T) {
	type section struct{ text, markdown, allClear string }
	pipelines := section{"PIPELINES", "## Pipelines", "No pipeline failed in the window."}
	alarms := section{"ALARMS", "## Alarms", "No alarm fired in the window."}
	prs := section{"INFRASTRUCTURE PULL REQUESTS", "## Infrastructure pull requests", "No infra PR is open or was merged in the window."}
	checklist := section{"MIGRATION PLAN", "## Migration plan", "No AWS component found."}
	cases := []struct {
		name string
		in   Input
		s    section
		// title is the end of the section's title line; lead the first
		// line under it; wants what else the section says.
		title, lead string
		wants       []string
	}{
		{"wrong token: pipelines", wrongToken(), pipelines, "(unknown)", "Unknown: no source could look.",
			[]string{"github/actions failed: " + rejectedToken, "aws/codepipeline not configured: " + awsHint}},
		{"wrong token: PRs", wrongToken(), prs, "(unknown)", "Unknown: no source could look.",
			[]string{"github/pulls failed: " + rejectedToken}},
		{"GitHub only: alarms", githubOnly(), alarms, "(unknown)", "Unknown: no source could look.",
			[]string{"aws/alarms not configured: " + awsHint}},
		{"GitHub only: checklist", githubOnly(), checklist, "(unknown)", "Unknown: no source could look.",
			[]string{"aws/inventory not configured: " + awsHint}},
		{"GitHub only: pipelines", githubOnly(), pipelines, "(1 found, 0 failing now — incomplete)",
			"Incomplete: only what could be read.",
			[]string{"aws/codepipeline not configured: " + awsHint, "acme/api · CI"}},
		{"stale", staleActions(), pipelines, "(1 found, 0 failing now — incomplete)",
			"Incomplete: only what could be read.",
			[]string{"github/actions failed: connection refused (showing data from"}},
		{"all quiet: pipelines", allQuiet(), pipelines, "(none)", pipelines.allClear, nil},
		{"all quiet: alarms", allQuiet(), alarms, "(none)", alarms.allClear, nil},
		{"all quiet: PRs", allQuiet(), prs, "(none)", prs.allClear, nil},
		{"all quiet: checklist", allQuiet(), checklist, "(none)", checklist.allClear, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := textSection(t, render(t, Text, c.in), c.s.text)
			lines := strings.Split(text, "\n")
			if !strings.HasSuffix(lines[0], c.title) {
				t.Errorf("text title %q, want it to end %q", lines[0], c.title)
			}
			if len(lines) < 2 || strings.TrimSpace(lines[1]) != c.lead {
				t.Errorf("text section does not lead with %q:\n%s", c.lead, text)
			}
			md := markdownSection(t, render(t, Markdown, c.in), c.s.markdown)
			if first, _, _ := strings.Cut(md, "\n"); !strings.HasSuffix(first, c.title) {
				t.Errorf("markdown heading %q, want it to end %q", first, c.title)
			}
			if paras := strings.Split(md, "\n\n"); len(paras) < 2 || strings.Trim(strings.TrimSpace(paras[1]), "*") != esc(c.lead) {
				t.Errorf("markdown section does not lead with %q:\n%s", c.lead, md)
			}
			for _, w := range c.wants {
				if !strings.Contains(words(text), w) {
					t.Errorf("text section lacks %q:\n%s", w, text)
				}
				if !strings.Contains(md, esc(w)) {
					t.Errorf("markdown section lacks %q:\n%s", w, md)
				}
			}
			if c.lead != c.s.allClear && (strings.Contains(text, c.s.allClear) || strings.Contains(md, c.s.allClear)) {
				t.Errorf("says %q although a source did not look", c.s.allClear)
			}
		})
	}
}

// A source that did not answer contributed nothing: its count is shown as
// unknown, not as 0 items.
func TestSourcesThatDidNotAnswerHaveNoCount(t *testing.T) {
	out := render(t, Text, wrongToken())
	for line := range strings.SplitSeq(textSection(t, out, "SOURCES"), "\n") {
		if strings.Contains(line, "0 items") {
			t.Errorf("a failed source reads as if it found nothing: %q", line)
		}
	}
}
