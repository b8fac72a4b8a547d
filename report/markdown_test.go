package report

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
)

// toHTML renders markdown the way a GFM wiki would (tables, task lists,
// strikethrough), with raw HTML passed through so that any HTML a remote
// party managed to inject would show up in the result.
func toHTML(t *testing.T, md string) string {
	t.Helper()
	gm := goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.TaskList, extension.Strikethrough),
		goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
	)
	var buf bytes.Buffer
	if err := gm.Convert([]byte(md), &buf); err != nil {
		t.Fatalf("render markdown: %v", err)
	}
	return buf.String()
}

var (
	rowRE  = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	cellRE = regexp.MustCompile(`(?s)<t[dh][^>]*>(.*?)</t[dh]>`)
	tagRE  = regexp.MustCompile(`<[^>]+>`)
)

// rowCells returns the text of each cell of the first table row that
// contains needle.
func rowCells(t *testing.T, page, needle string) []string {
	t.Helper()
	for _, row := range rowRE.FindAllStringSubmatch(page, -1) {
		if !strings.Contains(row[1], needle) {
			continue
		}
		var cells []string
		for _, c := range cellRE.FindAllStringSubmatch(row[1], -1) {
			// The word joiners that defuse @mentions and bare URLs in a chat
			// are invisible: the text a reader sees is without them.
			cells = append(cells, strings.ReplaceAll(html.UnescapeString(tagRE.ReplaceAllString(c[1], "")), "\u2060", ""))
		}
		return cells
	}
	t.Fatalf("no table row contains %q in:\n%s", needle, page)
	return nil
}

func TestMarkdownEscapesRemoteText(t *testing.T) {
	in := hostileInput()
	md := render(t, Markdown, in)
	page := toHTML(t, md)

	for _, bad := range []string{"<img", "<script", "<b>", `href="http://evil`, `href="javascript:`, "<em>", "<strong>bold", "<code>"} {
		if strings.Contains(page, bad) {
			t.Errorf("remote text produced %s in the rendered page:\n%s", bad, page)
		}
	}

	// Each hostile value survives as exactly its own text, in its own cell:
	// nothing split the row, nothing became emphasis, code or a link.
	pr := rowCells(t, page, "evil/repo#1")
	if len(pr) != 5 {
		t.Fatalf("the PR row has %d cells, want 5: %q", len(pr), pr)
	}
	if pr[1] != hostileTitle {
		t.Errorf("PR title cell = %q, want the title verbatim %q", pr[1], hostileTitle)
	}
	if pr[2] != "m_a_l" || pr[4] != "labels: [infra](http://evil)" {
		t.Errorf("author and labels cells = %q, %q", pr[2], pr[4])
	}

	alarm := rowCells(t, page, "111122223333 us-east-1")
	if len(alarm) != 8 {
		t.Fatalf("the alarm row has %d cells, want 8: %q", len(alarm), alarm)
	}
	if alarm[1] != "a|b](javascript:alert(1))" || alarm[7] != "<script>alert(1)</script> | *x*" {
		t.Errorf("alarm name and reason cells = %q, %q", alarm[1], alarm[7])
	}

	pipe := rowCells(t, page, "feat|x_")
	if len(pipe) != 7 || pipe[2] != "feat|x_<b>y</b>" || pipe[1] != "evil/repo · CI | `x`" {
		t.Errorf("pipeline row = %q", pipe)
	}

	if got := html.UnescapeString(tagRE.ReplaceAllString(regexp.MustCompile(`(?s)<p><strong>(Operating.*?)</strong></p>`).FindString(page), "")); got != "Operating AWS costs team_*x* 0.4 h/week" {
		t.Errorf("headline = %q", got)
	}
}

func TestMarkdownLinks(t *testing.T) {
	page := toHTML(t, render(t, Markdown, hostileInput()))
	// A URL with parentheses, a pipe and a space stays one link, encoded.
	if !strings.Contains(page, `<a href="https://github.com/evil/repo/actions?q=a%29%28b%7Cc%20d">`) {
		t.Errorf("the pipeline link is missing or not encoded:\n%s", page)
	}
	if !strings.Contains(page, `<a href="https://github.com/evil/repo/pull/1">evil/repo#1</a>`) {
		t.Errorf("the PR link is missing:\n%s", page)
	}
	// A javascript: URL is never a link; the name is shown as text.
	if n := strings.Count(page, "<a "); n != 2 {
		t.Errorf("rendered %d links, want exactly the 2 http(s) ones:\n%s", n, page)
	}
}

func TestLink(t *testing.T) {
	cases := []struct{ text, url, want string }{
		{"a", "https://x.test/p?q=1#f", "[a](https://x.test/p?q=1#f)"},
		{"a_b", "http://x.test/(p)", `[a\_b](http://x.test/%28p%29)`},
		{"a", "javascript:alert(1)", "a"},
		{"a", "data:text/html,<b>", "a"},
		{"a", "//x.test/p", "a"},
		{"a", "", "a"},
		{"[a]", "https://x.test/a b|c<d>", `[\[a\]](https://x.test/a%20b%7Cc%3Cd%3E)`},
	}
	for _, c := range cases {
		if got := link(c.text, c.url); got != c.want {
			t.Errorf("link(%q, %q) = %q, want %q", c.text, c.url, got, c.want)
		}
	}
}

func TestMarkdownDemo(t *testing.T) {
	md := render(t, Markdown, demoInput(t, false))
	if !strings.HasPrefix(md, "> **DEMO DATA**") {
		t.Errorf("demo markdown does not open with the DEMO DATA marker:\n%.200s", md)
	}
	page := toHTML(t, md)
	// Every table renders as a table, one per section that has rows.
	if n := strings.Count(page, "<table>"); n != 7 {
		t.Errorf("rendered %d tables, want 7 (drag with its ranges, sources, pipelines, alarms, open and merged PRs, the plan)", n)
	}
	// Failing pipelines come first, firing alarms first.
	if i, j := strings.Index(md, "**FAILING**"), strings.Index(md, "| recovered |"); i < 0 || j < 0 || i > j {
		t.Error("failing pipelines are not listed before recovered ones")
	}
	alarms := md[strings.Index(md, "## Alarms"):]
	if i, j := strings.Index(alarms, "**FIRING**"), strings.Index(alarms, "| ok |"); i < 0 || j < 0 || i > j {
		t.Error("firing alarms are not listed before quiet ones")
	}
	if strings.Contains(md, "How the figures are computed") {
		t.Error("the arithmetic is shown without Explain")
	}
}
