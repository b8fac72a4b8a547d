package report

import (
	"fmt"
	"html"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// The scenarios every figure is checked in. All share numbersInput's
// signals (hand-computed there) and team, so only what the sources and the
// settings leave unknown changes.

// githubOnly is a config that watches GitHub and no AWS account: the AWS
// sources are skipped, so pipelines are a lower bound (no CodePipeline) and
// alarms unknown.
func githubOnly() Input {
	in := numbersInput()
	full := in.Snapshot
	in.Snapshot = handSnapshot(twoWeeks, false,
		outcome{name: "github/actions", status: model.StatusOK, data: model.Data{Pipelines: full.Pipelines()}},
		outcome{name: "github/pulls", status: model.StatusOK, data: model.Data{PullRequests: full.PullRequests(), MergedPRs: full.MergedPRs()}},
		outcome{name: "aws/alarms", status: model.StatusSkipped, detail: awsHint},
		outcome{name: "aws/codepipeline", status: model.StatusSkipped, detail: awsHint},
		outcome{name: "aws/cost", status: model.StatusSkipped, detail: awsHint},
		outcome{name: "aws/inventory", status: model.StatusSkipped, detail: awsHint},
	)
	return in
}

const awsHint = "no AWS credentials found: run `aws configure` or `aws sso login`, or list profiles in aws.profiles"

// wrongToken is GitHub rejecting the token and no AWS at all: nothing
// behind the drag answered.
func wrongToken() Input {
	in := numbersInput()
	in.Snapshot = handSnapshot(twoWeeks, false,
		outcome{name: "github/actions", status: model.StatusError, detail: rejectedToken},
		outcome{name: "github/pulls", status: model.StatusError, detail: rejectedToken},
		outcome{name: "aws/alarms", status: model.StatusSkipped, detail: awsHint},
		outcome{name: "aws/codepipeline", status: model.StatusSkipped, detail: awsHint},
		outcome{name: "aws/cost", status: model.StatusSkipped, detail: awsHint},
		outcome{name: "aws/inventory", status: model.StatusSkipped, detail: awsHint},
	)
	return in
}

// staleActions is numbersInput after a refresh of github/actions failed:
// its pipelines are kept from the earlier collection, marked stale.
func staleActions() Input {
	in := numbersInput()
	in.Snapshot = in.Snapshot.With(model.Outcome{Source: model.Source{
		Name: "github/actions", Status: model.StatusError, Detail: "connection refused", At: now,
	}})
	if src, _ := in.Snapshot.Source("github/actions"); !src.Stale {
		panic("github/actions is not stale")
	}
	return in
}

// noTeamSettings is every source complete, but neither team.engineers nor
// team.hourly_cost set.
func noTeamSettings() Input {
	in := numbersInput()
	in.Team = model.Team{Name: "acme", Location: time.UTC}
	return in
}

// figureWant is how one figure must show in one scenario.
type figureWant struct {
	// text is the value as text and markdown show it.
	text string
	// completeness and reasons are drag.coverage.<key> in the JSON; the
	// figure is null there exactly when completeness is unknown.
	completeness string
	reasons      []string
}

// figureRows names each figure: its label in text and markdown, and its
// key under drag (and drag.coverage) in the JSON.
var figureRows = []struct{ label, key string }{
	{"Hours per week", "hours_per_week"},
	{"Failing pipelines", "by_category.pipelines"},
	{"Alarms (incident response)", "by_category.alarms"},
	{"Infra PRs", "by_category.infra_prs"},
	{"Team share", "team_share"},
	{"Monthly cost", "monthly_cost"},
	{"AWS invoice, last full month", "aws_invoice_monthly"},
	{"Cost vs AWS invoice", "cost_ratio"},
	{"Infra share of merged PRs", "infra_share"},
}

const (
	ghFailed   = "github/actions failed"
	cpNotConf  = "aws/codepipeline not configured"
	alNotConf  = "aws/alarms not configured"
	ceNotConf  = "aws/cost not configured"
	prFailed   = "github/pulls failed"
	complete   = "complete"
	lowerBound = "lower_bound"
	unknown    = "unknown"
)

var figureCases = []struct {
	name string
	in   func() Input
	want map[string]figureWant // by JSON key
}{
	{"complete", numbersInput, map[string]figureWant{
		"hours_per_week":        {"2.7 h/week", complete, nil},
		"by_category.pipelines": {"0.5 h/week", complete, nil},
		"by_category.alarms":    {"1.1 h/week", complete, nil},
		"by_category.infra_prs": {"1.0 h/week", complete, nil},
		"team_share":            {"1.7% of capacity", complete, nil},
		"monthly_cost":          {"$1,156/month", complete, nil},
		"aws_invoice_monthly":   {"$1,000/month", complete, nil},
		"cost_ratio":            {"2.2×", complete, nil},
		"infra_share":           {"12% (1 of 8)", complete, nil},
	}},
	{"lower bound: GitHub only", githubOnly, map[string]figureWant{
		"hours_per_week":        {"≥ 1.5 h/week", lowerBound, []string{"not_configured", "not_configured"}},
		"by_category.pipelines": {"≥ 0.5 h/week", lowerBound, []string{"not_configured"}},
		"by_category.alarms":    {"unknown (" + alNotConf + ")", unknown, []string{"not_configured"}},
		"by_category.infra_prs": {"1.0 h/week", complete, nil},
		"team_share":            {"≥ 1% of capacity", lowerBound, []string{"not_configured", "not_configured"}},
		"monthly_cost":          {"≥ $668/month", lowerBound, []string{"not_configured", "not_configured"}},
		"aws_invoice_monthly":   {"unknown (" + ceNotConf + ")", unknown, []string{"not_configured"}},
		"cost_ratio":            {"unknown (" + ceNotConf + ")", unknown, []string{"not_configured"}},
		"infra_share":           {"12% (1 of 8)", complete, nil},
	}},
	{"unknown: wrong token", wrongToken, map[string]figureWant{
		"hours_per_week": {"unknown (" + ghFailed + ", " + cpNotConf + ", " + alNotConf + ", " + prFailed + ")", unknown,
			[]string{"failed", "not_configured", "not_configured", "failed"}},
		"by_category.pipelines": {"unknown (" + ghFailed + ", " + cpNotConf + ")", unknown, []string{"failed", "not_configured"}},
		"by_category.alarms":    {"unknown (" + alNotConf + ")", unknown, []string{"not_configured"}},
		"by_category.infra_prs": {"unknown (" + prFailed + ")", unknown, []string{"failed"}},
		// Scaled from the hours: named by them, with every source behind
		// them in the JSON.
		"team_share":          {"unknown (hours per week unknown)", unknown, []string{"failed", "not_configured", "not_configured", "failed"}},
		"monthly_cost":        {"unknown (hours per week unknown)", unknown, []string{"failed", "not_configured", "not_configured", "failed"}},
		"aws_invoice_monthly": {"unknown (" + ceNotConf + ")", unknown, []string{"not_configured"}},
		"cost_ratio": {"unknown (hours per week unknown, " + ceNotConf + ")", unknown,
			[]string{"failed", "not_configured", "not_configured", "failed", "not_configured"}},
		"infra_share": {"unknown (" + prFailed + ")", unknown, []string{"failed"}},
	}},
	{"lower bound: stale", staleActions, map[string]figureWant{
		"hours_per_week":        {"≥ 2.7 h/week", lowerBound, []string{"stale"}},
		"by_category.pipelines": {"≥ 0.5 h/week", lowerBound, []string{"stale"}},
		"by_category.alarms":    {"1.1 h/week", complete, nil},
		"by_category.infra_prs": {"1.0 h/week", complete, nil},
		"team_share":            {"≥ 1.7% of capacity", lowerBound, []string{"stale"}},
		"monthly_cost":          {"≥ $1,156/month", lowerBound, []string{"stale"}},
		"aws_invoice_monthly":   {"$1,000/month", complete, nil},
		"cost_ratio":            {"≥ 2.2×", lowerBound, []string{"stale"}},
		"infra_share":           {"12% (1 of 8)", complete, nil},
	}},
	{"unknown: no team settings", noTeamSettings, map[string]figureWant{
		"hours_per_week":        {"2.7 h/week", complete, nil},
		"by_category.pipelines": {"0.5 h/week", complete, nil},
		"by_category.alarms":    {"1.1 h/week", complete, nil},
		"by_category.infra_prs": {"1.0 h/week", complete, nil},
		"team_share":            {"unknown (team.engineers not set)", unknown, []string{"setting_missing"}},
		"monthly_cost":          {"unknown (team.hourly_cost not set)", unknown, []string{"setting_missing"}},
		"aws_invoice_monthly":   {"$1,000/month", complete, nil},
		"cost_ratio":            {"unknown (team.hourly_cost not set)", unknown, []string{"setting_missing"}},
		"infra_share":           {"12% (1 of 8)", complete, nil},
	}},
}

// textRows returns the cells of the text DRAG table, by label: the table's
// columns are separated by two spaces or more.
func textRows(t *testing.T, out string) map[string][]string {
	t.Helper()
	_, drag, ok := strings.Cut(out, "\nDRAG")
	if !ok {
		t.Fatalf("no DRAG section:\n%s", out)
	}
	drag, _, _ = strings.Cut(drag, "\n\n")
	rows := map[string][]string{}
	for _, line := range strings.Split(drag, "\n")[1:] {
		var cells []string
		for c := range strings.SplitSeq(strings.TrimSpace(line), "  ") {
			if c = strings.TrimSpace(c); c != "" {
				cells = append(cells, c)
			}
		}
		if len(cells) > 0 {
			rows[cells[0]] = cells
		}
	}
	return rows
}

// markdownRows returns the cells of the markdown drag table as a reader
// sees them, by label (without the ↳ of a category).
func markdownRows(t *testing.T, md string) map[string][]string {
	t.Helper()
	page := toHTML(t, md)
	_, drag, _ := strings.Cut(page, "<h2>Drag")
	drag, _, _ = strings.Cut(drag, "</table>")
	rows := map[string][]string{}
	for _, row := range rowRE.FindAllStringSubmatch(drag, -1) {
		var cells []string
		for _, c := range cellRE.FindAllStringSubmatch(row[1], -1) {
			cells = append(cells, strings.TrimSpace(html.UnescapeString(tagRE.ReplaceAllString(c[1], ""))))
		}
		if len(cells) > 0 {
			rows[strings.TrimPrefix(cells[0], "↳ ")] = cells
		}
	}
	return rows
}

// Unknown is never zero, never good news: each figure, in each format, is
// its value when complete, a "≥" lower bound when some source behind it is
// missing, and "unknown (why)" — null with a reason in the JSON — when no
// value can be given.
func TestEveryFigureSaysHowCompleteItIs(t *testing.T) {
	for _, c := range figureCases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in()
			text, md, doc := textRows(t, render(t, Text, in)), markdownRows(t, render(t, Markdown, in)), decode(t, in)
			for _, f := range figureRows {
				w := c.want[f.key]
				if row := text[f.label]; len(row) < 2 || row[1] != w.text {
					t.Errorf("text %s = %q, want %q", f.label, row, w.text)
				}
				if row := md[f.label]; len(row) < 2 || row[1] != w.text {
					t.Errorf("markdown %s = %q, want %q", f.label, row, w.text)
				}
				path := append([]any{"drag"}, splitPath(f.key)...)
				if v := get(t, doc, path...); (v == nil) != (w.completeness == unknown) {
					t.Errorf("JSON drag.%s = %v, want null exactly when unknown (%s)", f.key, v, w.completeness)
				}
				cov := get(t, doc, append([]any{"drag", "coverage"}, splitPath(f.key)...)...)
				if got := get(t, cov, "completeness"); got != w.completeness {
					t.Errorf("JSON drag.coverage.%s.completeness = %v, want %s", f.key, got, w.completeness)
				}
				var reasons []string
				for _, g := range get(t, cov, "gaps").([]any) {
					reasons = append(reasons, g.(map[string]any)["reason"].(string))
				}
				if !slices.Equal(reasons, w.reasons) {
					t.Errorf("JSON drag.coverage.%s gaps = %v, want %v", f.key, reasons, w.reasons)
				}
			}
		})
	}
}

// bandWant is how one reference range must read in one scenario: on the
// row of the figure it judges, in text and markdown; judged or not, and
// how complete, in the JSON.
type bandWant struct {
	verdict      string
	judged       bool
	completeness string
}

// bandRows names each band: the row its verdict is on, and its index in
// drag.bands.
var bandRows = []struct {
	row   string
	index int
}{
	{"Routine maintenance (pipelines + infra PRs)", 0},
	{"Alarms (incident response)", 1},
	{"Cost vs AWS invoice", 2},
	{"Team share", 3},
}

// A range is judged only on a figure that settles it; otherwise the
// verdict says what is missing (an unknown figure says it beside its value).
func TestEveryBandIsJudgedOnlyOnAFigureThatSettlesIt(t *testing.T) {
	cases := []struct {
		name string
		in   func() Input
		want []bandWant
		// routine is the routine maintenance figure's value.
		routine string
	}{
		{"complete", numbersInput, []bandWant{
			{"below the usual 2–4 h/week", true, complete},
			{"within the usual 0.9–1.8 h/week (4–8 h/month)", true, complete},
			{"below the usual 3–5× the invoice", true, complete},
			{"healthy: below 30% of capacity", true, complete},
		}, "1.5 h/week"},
		{"lower bound: GitHub only", githubOnly, []bandWant{
			{"not judged: " + cpNotConf, false, lowerBound},
			{"not judged", false, unknown},
			{"not judged", false, unknown},
			{"not judged: " + cpNotConf + ", " + alNotConf, false, lowerBound},
		}, "≥ 1.5 h/week"},
		{"unknown: wrong token", wrongToken, []bandWant{
			{"not judged", false, unknown},
			{"not judged", false, unknown},
			{"not judged", false, unknown},
			{"not judged", false, unknown},
		}, "unknown (" + ghFailed + ", " + cpNotConf + ", " + prFailed + ")"},
		{"lower bound: stale", staleActions, []bandWant{
			{"not judged: github/actions stale", false, lowerBound},
			{"within the usual 0.9–1.8 h/week (4–8 h/month)", true, complete},
			{"not judged: github/actions stale", false, lowerBound},
			{"not judged: github/actions stale", false, lowerBound},
		}, "≥ 1.5 h/week"},
		{"unknown: no team settings", noTeamSettings, []bandWant{
			{"below the usual 2–4 h/week", true, complete},
			{"within the usual 0.9–1.8 h/week (4–8 h/month)", true, complete},
			{"not judged", false, unknown},
			{"not judged", false, unknown},
		}, "1.5 h/week"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in()
			text, md, doc := textRows(t, render(t, Text, in)), markdownRows(t, render(t, Markdown, in)), decode(t, in)
			for _, b := range bandRows {
				w := c.want[b.index]
				if row := text[b.row]; len(row) != 3 || row[2] != w.verdict {
					t.Errorf("text %s = %q, want the verdict %q", b.row, row, w.verdict)
				}
				if row := md[b.row]; len(row) != 3 || row[2] != w.verdict {
					t.Errorf("markdown %s = %q, want the verdict %q", b.row, row, w.verdict)
				}
				band := get(t, doc, "drag", "bands", b.index)
				if got := get(t, band, "judged"); got != w.judged {
					t.Errorf("JSON band %d judged = %v, want %v", b.index, got, w.judged)
				}
				if got := get(t, band, "coverage", "completeness"); got != w.completeness {
					t.Errorf("JSON band %d completeness = %v, want %s", b.index, got, w.completeness)
				}
				if verdict, healthy := get(t, band, "verdict"), get(t, band, "healthy"); (verdict != nil) != w.judged || (healthy != nil) != w.judged {
					t.Errorf("JSON band %d verdict = %v, healthy = %v; want both only when judged", b.index, verdict, healthy)
				}
				if v := get(t, band, "value"); (v == nil) != (w.completeness == unknown) {
					t.Errorf("JSON band %d value = %v, want null exactly when unknown", b.index, v)
				}
			}
			if row := text["Routine maintenance (pipelines + infra PRs)"]; len(row) < 2 || row[1] != c.routine {
				t.Errorf("text routine maintenance = %q, want %q", row, c.routine)
			}
		})
	}
}

// Each figure appears once in the drag section (the headline above it is
// the one-sentence summary): the team share carries the 30% reference and
// no "KTLO share" line repeats it; the alarms and the cost ratio carry
// their ranges.
func TestNoFigureIsShownTwice(t *testing.T) {
	for _, f := range []Format{Text, Markdown} {
		out := render(t, f, numbersInput())
		if strings.Contains(out, "KTLO") {
			t.Errorf("%s: a KTLO line repeats the team share:\n%s", f, out)
		}
		start := strings.Index(out, map[Format]string{Text: "\nDRAG", Markdown: "## Drag"}[f])
		end := strings.Index(out, map[Format]string{Text: "\nSOURCES", Markdown: "## Sources"}[f])
		if start < 0 || end < start {
			t.Fatalf("%s: no drag section:\n%s", f, out)
		}
		drag := out[start:end]
		for _, value := range []string{"1.7%", "2.2×", "1.1 h/week", "1.5 h/week", "2.7 h/week"} {
			if n := strings.Count(drag, value); n != 1 {
				t.Errorf("%s: %q appears %d times in the drag section, want once:\n%s", f, value, n, drag)
			}
		}
	}
}

func ExampleWrite_lowerBound() {
	var b strings.Builder
	_ = Write(&b, Text, githubOnly())
	for line := range strings.SplitSeq(b.String(), "\n") {
		if strings.HasPrefix(line, "Operating") || strings.HasPrefix(line, "A lower bound") {
			fmt.Println(line)
		}
	}
	// Output:
	// Operating AWS costs acme at least 1.5 h/week — at least 1% of its capacity, at least $668/month
	// A lower bound: pipelines incomplete (aws/codepipeline not configured); alarms not counted (aws/alarms not configured). The AWS invoice is unknown (aws/cost not configured).
}
