package report

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/opsdrag/opsdrag/model"
)

func TestParseFormat(t *testing.T) {
	cases := []struct {
		in   string
		want Format
	}{
		{"text", Text},
		{"markdown", Markdown},
		{"json", JSON},
		{" JSON ", JSON},
		{"Markdown", Markdown},
	}
	for _, c := range cases {
		got, err := ParseFormat(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "htm", "md", "yaml"} {
		_, err := ParseFormat(bad)
		if err == nil {
			t.Errorf("ParseFormat(%q) accepted it", bad)
			continue
		}
		for _, f := range Formats() {
			if !strings.Contains(err.Error(), string(f)) {
				t.Errorf("ParseFormat(%q) error %q does not list %q", bad, err, f)
			}
		}
	}
}

type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestWriteErrors(t *testing.T) {
	err := Write(failingWriter{}, Text, unknownsInput())
	if !errors.Is(err, errDiskFull) || !strings.Contains(err.Error(), "write the text report") {
		t.Errorf("Write to a failing writer = %v, want a wrapped write error", err)
	}
	var buf strings.Builder
	err = Write(&buf, Format("yaml"), unknownsInput())
	if err == nil || !strings.Contains(err.Error(), "text, markdown, json, html") {
		t.Errorf("Write with an unknown format = %v, want an error listing the formats", err)
	}
	if buf.Len() != 0 {
		t.Errorf("a failed Write wrote %q", buf.String())
	}
	if err := Write(&buf, Format("JSON"), unknownsInput()); err != nil || !strings.HasPrefix(buf.String(), "{") {
		t.Errorf("Write(\"JSON\") = %v, wrote %.20q; want the JSON report", err, buf.String())
	}
}

func TestDemoMarker(t *testing.T) {
	for _, f := range []Format{Text, Markdown} {
		demo := render(t, f, demoInput(t, false))
		if first, _, _ := strings.Cut(demo, "\n"); !strings.Contains(first, "DEMO DATA") {
			t.Errorf("%s: first line %q lacks the DEMO DATA marker", f, first)
		}
		if real := render(t, f, unknownsInput()); strings.Contains(real, "DEMO") {
			t.Errorf("%s: a non-demo report says DEMO", f)
		}
	}
}

func TestTextShowsEverySection(t *testing.T) {
	out := render(t, Text, unknownsInput())
	for _, want := range []string{
		"Mon Nov 9 14:00 UTC – Mon Nov 23 14:00 UTC (14 days)", // the window
		// The headline: alarms left data out, so zero is only a floor.
		"Operating AWS costs this team at least 0.0 h/week",
		"Team share                                   unknown (team.engineers not set)",
		"aws/cost          error    —       4s",     // no count: it could not look
		"AccessDeniedException: ce:GetCostAndUsage", // detail of a non-ok source
		"no AWS credentials (run aws configure)",
		"FAILING  111122223333/us-east-1 · prod-deploy", // CodePipeline, no branch
		"pages unknown (alarm history unavailable)",
		"draft  acme/infra#7  Bump the VPC CIDR  unknown author  open 2d",
		// The inventory was skipped: unknown, not "no component found".
		"MIGRATION PLAN (unknown)\n  Unknown: no source could look.\n    aws/inventory not configured: no AWS credentials (run aws configure)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

// Details are shown for sources that did not go well; an ok source's note
// stays in the JSON only.
func TestSourceDetailOnlyWhenNotOK(t *testing.T) {
	in := Input{Snapshot: handSnapshot(twoWeeks, false,
		outcome{name: "github/actions", status: model.StatusOK, detail: "fine-note"},
		outcome{name: "aws/alarms", status: model.StatusError, detail: "broken-note"},
	), GeneratedAt: now}
	for _, f := range []Format{Text, Markdown} {
		out := render(t, f, in)
		if strings.Contains(out, "fine-note") || !strings.Contains(out, "broken-note") {
			t.Errorf("%s: want the error's detail and not the ok source's:\n%s", f, out)
		}
	}
	m := decode(t, in)
	if get(t, m, "sources", 0, "detail") != "fine-note" || get(t, m, "sources", 1, "detail") != "broken-note" {
		t.Error("JSON does not carry every source's detail")
	}
}

func TestTextTruncatesLongRemoteText(t *testing.T) {
	long := strings.Repeat("Refactor the Terraform modules for every region ", 6)
	in := handSnapshot(twoWeeks, false, outcome{name: "github/pulls", status: model.StatusOK, data: model.Data{PullRequests: []model.PullRequest{{
		Repo: "acme/infra", Number: 9, Title: long, Author: "a", State: model.PROpen, CreatedAt: now.Add(-time.Hour),
	}}}})
	input := Input{Snapshot: in, Assumptions: model.DefaultAssumptions(), GeneratedAt: now}
	text := render(t, Text, input)
	var row string
	for line := range strings.SplitSeq(text, "\n") {
		if strings.Contains(line, "acme/infra#9") {
			row = line
		}
	}
	if !strings.Contains(row, "…") || strings.Contains(row, long) {
		t.Errorf("long title not cut with …: %q", row)
	}
	if w := ansi.StringWidth(row); w > 120 {
		t.Errorf("PR line is %d cells wide, want it kept readable (≤ 120): %q", w, row)
	}
	// Only the terminal view is cut: scripts and wikis get the whole title.
	for _, f := range []Format{JSON, Markdown} {
		if out := render(t, f, input); !strings.Contains(out, strings.TrimSpace(long)) {
			t.Errorf("%s cut the title", f)
		}
	}
}

func TestExplainAddsTheArithmetic(t *testing.T) {
	in := numbersInput()
	figures := model.ComputeLedger(in.Snapshot, in.Team, in.Assumptions).Figures()
	for _, f := range []Format{Text, Markdown} {
		plain := render(t, f, in)
		in.Explain = true
		explained := render(t, f, in)
		in.Explain = false
		if !strings.HasPrefix(explained, strings.SplitN(plain, "\n", 2)[0]) {
			t.Errorf("%s: Explain changed the report's opening", f)
		}
		for _, fig := range figures {
			for _, step := range fig.Steps {
				want := strings.TrimSpace(step)
				if f == Markdown {
					want = esc(want)
				}
				if !strings.Contains(explained, want) {
					t.Errorf("%s with Explain lacks step %q", f, want)
				}
				if strings.Contains(plain, want) {
					t.Errorf("%s without Explain shows step %q", f, want)
				}
			}
		}
		// The hand-computed pipeline line is among them.
		if !strings.Contains(explained, "3 failures × 20 min + 1 rerun × 5 min = 65 min") {
			t.Errorf("%s with Explain lacks the pipeline arithmetic", f)
		}
	}
}

func TestGeneratedAtDefaultsToNow(t *testing.T) {
	in := unknownsInput()
	in.GeneratedAt = time.Time{}
	before := time.Now().UTC().Truncate(time.Second)
	m := decode(t, in)
	got, err := time.Parse(time.RFC3339, get(t, m, "generated_at").(string))
	if err != nil || got.Before(before) || got.After(time.Now().Add(time.Second)) {
		t.Errorf("generated_at = %v (%v), want about now", got, err)
	}
}

func TestAge(t *testing.T) {
	v := view{window: twoWeeks}
	cases := []struct {
		ago  time.Duration
		want string
	}{
		{35 * time.Minute, "35m"},
		{time.Hour, "1h"},
		{47*time.Hour + 59*time.Minute, "47h"},
		{48 * time.Hour, "2d"},
		{9*24*time.Hour + 23*time.Hour, "9d"},
		{-time.Hour, "0m"}, // created after the window ended (clock skew)
	}
	for _, c := range cases {
		if got := v.age(now.Add(-c.ago)); got != c.want {
			t.Errorf("age(%s ago) = %q, want %q", c.ago, got, c.want)
		}
	}
	if got := v.age(time.Time{}); got != "unknown" {
		t.Errorf("age(zero) = %q, want unknown", got)
	}
}

// rejectedToken is what the GitHub collector says about a 401: the fix is
// at the end, past any width a terminal line would be cut at.
const rejectedToken = "GitHub rejected the token from GITHUB_TOKEN (401 Bad credentials): it is wrong, expired or revoked; " +
	"create a new one (read-only Actions, Pull requests, Contents and Metadata) and export it as GITHUB_TOKEN, or run gh auth login"

// words folds every run of white space to one space, so a wrapped text
// compares equal to its one-line original.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// A source's detail says what to do; the text report may wrap it but never
// cut it, even when piped.
func TestTextNeverCutsASourceDetail(t *testing.T) {
	long := rejectedToken + "; " + strings.Repeat("and then some more advice ", 8) + "END-OF-FIX"
	in := Input{Snapshot: handSnapshot(twoWeeks, false,
		outcome{name: "github/actions", status: model.StatusError, detail: long},
		outcome{name: "aws/alarms", status: model.StatusPartial, detail: "x-" + strings.Repeat("y", 200) + "-z"},
	), Assumptions: model.DefaultAssumptions(), GeneratedAt: now}
	out := render(t, Text, in)
	sources := out[strings.Index(out, "\nSOURCES\n"):]
	sources = sources[:strings.Index(sources[1:], "\n\n")+1]
	if !strings.Contains(words(sources), long) {
		t.Errorf("the SOURCES section does not carry the detail whole:\n%s", sources)
	}
	// A word longer than a line is kept whole rather than broken or cut.
	if !strings.Contains(sources, "x-"+strings.Repeat("y", 200)+"-z") {
		t.Errorf("an unbreakable detail was cut or broken:\n%s", sources)
	}
	if strings.Contains(sources, "…") {
		t.Errorf("the SOURCES section cut something:\n%s", sources)
	}
	for line := range strings.SplitSeq(sources, "\n") {
		if w := ansi.StringWidth(line); w > 120 && !strings.Contains(line, "yyyy") {
			t.Errorf("a detail line is %d cells wide, want it wrapped: %q", w, line)
		}
	}
}

// With --explain, each metered source says what it spent of its API's
// budget; without, the report stays short.
func TestExplainShowsAPIUsage(t *testing.T) {
	snap := handSnapshot(twoWeeks, false, outcome{name: "github/actions", status: model.StatusOK}, outcome{name: "aws/alarms", status: model.StatusOK})
	snap = snap.With(model.Outcome{Source: model.Source{Name: "github/actions", Status: model.StatusOK, At: now, Usage: &model.Usage{
		Requests: 412, NotModified: 380, RateLimit: 5000, RateRemaining: 4588,
		RateReset: time.Date(2026, 11, 23, 14, 40, 0, 0, time.UTC), Paced: 1250 * time.Millisecond,
	}}})
	in := Input{Snapshot: snap, Assumptions: model.DefaultAssumptions(), GeneratedAt: now}
	want := "API usage: 412 requests, 380 of them answered 304 from the cache (free of the rate limit); " +
		"rate limit 4588 of 5000 left, resets Mon Nov 23 14:40 UTC; paced 1.25s to stay under the per-minute limits"
	for _, f := range []Format{Text, Markdown} {
		if out := render(t, f, in); strings.Contains(out, "API usage") {
			t.Errorf("%s without Explain shows the API usage:\n%s", f, out)
		}
		in.Explain = true
		out := render(t, f, in)
		in.Explain = false
		if f == Markdown {
			if !strings.Contains(out, "- github/actions: "+esc(want)) {
				t.Errorf("markdown with Explain lacks %q:\n%s", want, out)
			}
			continue
		}
		sources := textSection(t, out, "SOURCES")
		if !strings.Contains(words(sources), want) {
			t.Errorf("text with Explain lacks %q:\n%s", want, sources)
		}
		if strings.Count(sources, "API usage") != 1 {
			t.Errorf("text with Explain shows usage for a source that does not meter it:\n%s", sources)
		}
	}
}
