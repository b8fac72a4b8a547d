package report

import (
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"golang.org/x/net/html"

	"github.com/opsdrag/opsdrag/collectors/demo"
	"github.com/opsdrag/opsdrag/model"
)

// sprintInput is the demo over a two-week sprint ending at now, with the
// demo's 12-week trend and the people section, as
// `opsdrag --demo report --format html --people` makes it.
func sprintInput(t *testing.T) Input {
	t.Helper()
	snap := demoSnapshot(twoWeeks)
	for i := range snap.Sources {
		snap.Sources[i].Duration = time.Duration(i+1) * 7 * time.Millisecond
	}
	team := demo.Team()
	return Input{Snapshot: snap, Team: team, Assumptions: model.DefaultAssumptions(), GeneratedAt: now.Add(2 * time.Second),
		Trend: demo.Trend(now, team.Loc(), 12), People: true}
}

// hostileHTMLInput carries remote text written to break out of HTML: in
// every place the page shows remote text, with links that are not http.
func hostileHTMLInput() Input {
	night := *at("2026-11-22T03:00:00Z")
	snap := handSnapshot(twoWeeks, false,
		outcome{name: "github/actions", status: model.StatusOK, data: model.Data{Pipelines: []model.Pipeline{{
			Provider: model.GitHubActions, Scope: "evil/repo", Name: `CI"><script>alert(1)</script>`, Branch: "main",
			Failures: 1, Reruns: 1, RerunBy: []string{"<b>mallory</b>"}, Failing: true, FailingSince: at("2026-11-20T10:00:00Z"),
			RedHours: 76, LastFailureAt: at("2026-11-20T10:00:00Z"), URL: `https://github.com/evil/repo/actions?q="><script>x</script>`,
		}}}},
		outcome{name: "aws/alarms", status: model.StatusPartial, detail: `<iframe src="https://evil.example/">`,
			data: model.Data{Alarms: []model.Alarm{{
				Account: "111122223333", Region: "us-east-1", Name: "<svg onload=alert(1)>", State: model.StateAlarm,
				Since: &night, Reason: "<script>alert(1)</script>", Transitions: []time.Time{night}, HistoryKnown: true,
				URL: "javascript:alert(1)",
			}}}},
		outcome{name: "github/pulls", status: model.StatusOK, data: model.Data{PullRequests: []model.PullRequest{{
			Repo: "evil/repo", Number: 1, Title: "<script>alert('pr')</script>", Author: "<i>eve</i>", State: model.PRMerged,
			CreatedAt: now.Add(-80 * time.Hour), MergedAt: at("2026-11-22T10:00:00Z"), Labels: []string{"infra"},
			ReviewsKnown: true, Reviewers: []string{"</td></tr><tr><td>x"}, FirstReviewAt: at("2026-11-21T10:00:00Z"),
			URL: "data:text/html,<script>alert(1)</script>",
		}}, MergedPRs: ptrTo(3)}},
	)
	return Input{Snapshot: snap, Team: model.Team{Name: `</title><script>alert("team")</script>`, Engineers: 5, HourlyCost: 90},
		Assumptions: model.DefaultAssumptions(), GeneratedAt: now, People: true,
		Trend: []model.WeekPoint{{Start: model.WeekStart(now, time.UTC), Known: true, Hours: 3}}}
}

func ptrTo[T any](v T) *T { return &v }

func htmlCases(t *testing.T) map[string]Input {
	return map[string]Input{
		"demo_sprint": sprintInput(t),
		"unknowns":    unknownsInput(),
		"hostile":     hostileHTMLInput(),
	}
}

// TestGoldenHTML pins the page on the demo sprint (fixed clock), on a
// snapshot full of unknowns and on hostile remote text. Regenerate with
// `go test ./report -run TestGoldenHTML -update` after an intended change,
// and look at the page.
func TestGoldenHTML(t *testing.T) {
	for name, in := range htmlCases(t) {
		t.Run(name, func(t *testing.T) {
			golden.RequireEqual(t, render(t, HTML, in))
		})
	}
}

// voidElements have no end tag in HTML.
var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// parseStrict parses page with golang.org/x/net/html and fails the test
// on anything a browser would have to repair (strictProblems).
func parseStrict(t *testing.T, page string) *html.Node {
	t.Helper()
	problems, doc := strictProblems(page)
	for _, p := range problems {
		t.Error(p)
	}
	if doc == nil {
		t.FailNow()
	}
	return doc
}

// strictProblems lists what a browser would have to repair in page: a tag
// left open or closed out of order, a self-closing tag, no doctype, or an element the HTML5 parser had to add or drop (its
// tree then holds another number of elements than the tags written).
func strictProblems(page string) ([]string, *html.Node) {
	var problems []string
	z := html.NewTokenizer(strings.NewReader(page))
	var stack []string
	starts, doctype := 0, false
loop:
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				return append(problems, "tokenize: "+z.Err().Error()), nil
			}
			break loop
		case html.DoctypeToken:
			doctype = string(z.Text()) == "html"
		case html.SelfClosingTagToken:
			name, _ := z.TagName()
			problems = append(problems, fmt.Sprintf("self-closing <%s/>: write an end tag", name))
		case html.StartTagToken:
			name, _ := z.TagName()
			starts++
			if !voidElements[string(name)] {
				stack = append(stack, string(name))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if len(stack) == 0 || stack[len(stack)-1] != string(name) {
				return append(problems, fmt.Sprintf("</%s> closes %v", name, stack)), nil
			}
			stack = stack[:len(stack)-1]
		}
	}
	if !doctype {
		problems = append(problems, "no <!DOCTYPE html>")
	}
	if len(stack) > 0 {
		problems = append(problems, fmt.Sprintf("left open: %v", stack))
	}
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return append(problems, "parse: "+err.Error()), nil
	}
	elements := 0
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode {
			elements++
		}
	}
	if elements != starts {
		problems = append(problems, fmt.Sprintf("the parser built %d elements from %d tags: it repaired the page", elements, starts))
	}
	return problems, doc
}

// The strict check itself: each of these pages needs a repair.
func TestStrictProblemsCatchesRepairs(t *testing.T) {
	const head = "<!DOCTYPE html><html><head><title>x</title></head><body>"
	const tail = "</body></html>"
	if p, _ := strictProblems(head + "<p>fine</p>" + tail); len(p) != 0 {
		t.Fatalf("a clean page: %v", p)
	}
	for _, bad := range []string{
		head + "<p><ul><li>x</li></ul></p>" + tail,         // </p> with no <p> open: the parser adds one
		head + "<table><tr><td>x</td></tr></table>" + tail, // the parser adds <tbody>
		head + "<div><span>x</div></span>" + tail,
		head + "<br/>" + tail,
		"<html><head><title>x</title></head><body></body></html>",
		head + "<div>" + tail,
	} {
		if p, _ := strictProblems(bad); len(p) == 0 {
			t.Errorf("no problem found in %q", bad)
		}
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// signalURLs are every link the input's signals carry.
func signalURLs(in Input) map[string]bool {
	out := map[string]bool{}
	for _, p := range in.Snapshot.Pipelines() {
		out[p.URL] = true
	}
	for _, a := range in.Snapshot.Alarms() {
		out[a.URL] = true
	}
	for _, p := range in.Snapshot.PullRequests() {
		out[p.URL] = true
	}
	return out
}

// TestHTMLIsStrictSelfContainedAndSafe: every page parses without repair,
// runs no script, and refers to nothing outside itself but the signals'
// own http(s) links.
func TestHTMLIsStrictSelfContainedAndSafe(t *testing.T) {
	for name, in := range htmlCases(t) {
		t.Run(name, func(t *testing.T) {
			page := render(t, HTML, in)
			doc := parseStrict(t, page)
			own := signalURLs(in)
			links := 0
			for n := range doc.Descendants() {
				if n.Type != html.ElementNode {
					continue
				}
				switch n.Data {
				case "script", "iframe", "object", "embed", "img", "link", "base", "foreignObject":
					t.Errorf("<%s> in the page", n.Data)
				}
				for _, a := range n.Attr {
					key := strings.ToLower(a.Key)
					if strings.HasPrefix(key, "on") {
						t.Errorf("<%s %s=%q>: an event handler", n.Data, a.Key, a.Val)
					}
					switch key {
					case "src", "srcset", "action", "formaction", "poster", "xlink:href", "background":
						t.Errorf("<%s %s=%q>: an external reference", n.Data, a.Key, a.Val)
					case "href":
						links++
						// html/template percent-encodes what a URL must not hold raw.
						raw, err := url.QueryUnescape(a.Val)
						if err != nil || !own[raw] || !(strings.HasPrefix(a.Val, "https://") || strings.HasPrefix(a.Val, "http://")) {
							t.Errorf("<a href=%q>: not one of the signals' own http(s) links", a.Val)
						}
					case "style":
						t.Errorf("<%s style=…>: styles live in the one <style>", n.Data)
					}
				}
				if n.Data == "style" && n.FirstChild != nil {
					css := strings.ToLower(n.FirstChild.Data)
					if strings.Contains(css, "url(") || strings.Contains(css, "@import") || strings.Contains(css, "@font-face") {
						t.Errorf("the style fetches something")
					}
				}
			}
			if name == "demo_sprint" && links < 10 {
				t.Errorf("only %d links on the demo page: the signals' links are missing", links)
			}
		})
	}
}

// text is the page's visible text, tags stripped and entities decoded.
func text(doc *html.Node) string {
	var b strings.Builder
	for n := range doc.Descendants() {
		if n.Type == html.TextNode && (n.Parent == nil || n.Parent.Data != "style") {
			b.WriteString(n.Data)
		}
	}
	return b.String()
}

// Remote text written as HTML renders as that text, in the title as in
// the tables, and a link that is not http(s) is no link.
func TestHTMLRemoteTextIsText(t *testing.T) {
	page := render(t, HTML, hostileHTMLInput())
	doc := parseStrict(t, page)
	got := text(doc)
	for _, want := range []string{
		`<script>alert(1)</script>`, `CI"><script>alert(1)</script>`, `<svg onload=alert(1)>`,
		`<script>alert('pr')</script>`, `<iframe src="https://evil.example/">`, `</title><script>alert("team")</script>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the page's text lacks %q: remote text must show as written", want)
		}
	}
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "a" {
			if href, _ := attr(n, "href"); !strings.HasPrefix(href, "https://github.com/evil/repo/actions") {
				t.Errorf("a link to %q", href)
			}
		}
	}
	if strings.Contains(page, "javascript:") || strings.Contains(page, "data:text") {
		t.Errorf("a javascript: or data: URL reached the page")
	}
}

// Who carries the drag is there only when asked, and never names anyone:
// not in the people section, not in the PR table.
func TestHTMLPeopleOnlyWhenAskedAndNeverNamed(t *testing.T) {
	in := sprintInput(t)
	logins := []string{"priya", "mchen", "tom", "lena", "sam"}
	for _, people := range []bool{false, true} {
		in.People = people
		page := text(parseStrict(t, render(t, HTML, in)))
		if got := strings.Contains(page, "Who carries it"); got != people {
			t.Errorf("People = %v: the section shown = %v", people, got)
		}
		for _, login := range logins {
			if regexp.MustCompile(`\b` + login + `\b`).MatchString(page) {
				t.Errorf("People = %v: the page names %q", people, login)
			}
		}
	}
	c := model.PeopleLoad(in.Snapshot, model.ComputeLedger(in.Snapshot, in.Team, in.Assumptions))
	page := render(t, HTML, in)
	if want := "of the " + peopleWord(c.People) + " named carry"; c.People < 2 || !strings.Contains(page, want) {
		t.Errorf("the demo's concentration (%d people) is not said as %q", c.People, want)
	}
	for _, f := range []Format{Text, Markdown, JSON} {
		if out := render(t, f, in); strings.Contains(out, "carry") || strings.Contains(out, "reviewer") {
			t.Errorf("%s shows the people section", f)
		}
	}
}

// The chart draws the weeks the history has, marks the sprint's weeks,
// draws a week nobody measured as "no data" (never a zero bar), and fills
// the current week from the report when the history has none for it.
func TestHTMLWeeklyChart(t *testing.T) {
	in := sprintInput(t)
	in.Trend[3].Known = false
	v := newView(in)
	c := v.weekChart()
	if len(c.Bars) != 12 {
		t.Fatalf("%d bars, want 12", len(c.Bars))
	}
	if b := c.Bars[3]; b.Known || b.Value != "no data" || len(b.Segments) != 0 {
		t.Errorf("an unknown week: %+v", b)
	}
	var sprint []int
	for i, b := range c.Bars {
		if b.Sprint {
			sprint = append(sprint, i)
		}
	}
	// 14 days back from Monday Nov 23 09:00 in New York touch the weeks of
	// Nov 9, Nov 16 and Nov 23.
	if !slices.Equal(sprint, []int{9, 10, 11}) {
		t.Errorf("sprint weeks %v, want 9, 10, 11", sprint)
	}
	last := c.Bars[11]
	if !last.Known || last.Value != model.FormatHours(v.ledger.HoursPerWeek) || c.Note == "" {
		t.Errorf("the current week = %+v, note %q: want the report's own %.1f h and a note", last, c.Note, v.ledger.HoursPerWeek)
	}
	in.Trend = nil
	if c := newView(in).weekChart(); c.None == "" || len(c.Bars) != 0 {
		t.Errorf("no history: the chart should say so, got %+v", c)
	}
}

func TestNiceScale(t *testing.T) {
	for _, c := range []struct{ top, step, ceil float64 }{
		{24.8, 10, 30}, {3.2, 1, 4}, {0.4, 0.1, 0.4}, {0, 1, 1}, {100, 50, 100},
	} {
		step, ceil := niceScale(c.top)
		if !nearly(step, c.step) || !nearly(ceil, c.ceil) {
			t.Errorf("niceScale(%v) = %v, %v; want %v, %v", c.top, step, ceil, c.step, c.ceil)
		}
	}
}

func nearly(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestPlanRows(t *testing.T) {
	complete := model.Coverage{Completeness: model.Complete}
	p := model.Plan{Items: []model.PlanItem{
		{Title: "Move the Redis cache acme-eu-redis", Account: "111122223333", Region: "eu-west-1", WeekHours: 4.8, EffortHours: 6, Coverage: complete},
		{Title: "Move the SQS queues (2 queues)", Account: "111122223333", Region: "us-east-1", WeekHours: 0.5, EffortHours: 6, Coverage: complete, State: model.ItemDone},
		{Title: "Move the Lambda function thumbs", WeekHours: 1, EffortHours: 4, Coverage: complete, State: model.ItemRetired},
	}}
	rows := planRows(p)
	want := []planRow{
		{Item: "Move the Redis cache acme-eu-redis", Where: "111122223333 eu-west-1", Hours: "4.8", Effort: "6", Payback: "1.2"},
		{Item: "Move the SQS queues (2 queues)", Where: "111122223333 us-east-1", Hours: "0.5", Effort: "6", Payback: "12.0", State: "done"},
		{Item: "Move the Lambda function thumbs", Hours: "1.0", State: "retired"},
	}
	if len(rows) != len(want) {
		t.Fatalf("planRows = %+v", rows)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, rows[i], want[i])
		}
	}
}
