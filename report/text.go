package report

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/opsdrag/opsdrag/model"
)

// Display widths that keep text lines readable in a terminal. Remote text
// in a table cell longer than this is cut with an ellipsis; JSON and
// markdown keep it whole. What says what to do (a source's detail, why a
// checklist item is unknown) is never cut: it is wrapped at lineWidth.
const (
	maxTitleWidth  = 60
	maxNameWidth   = 48
	maxReasonWidth = 160
	maxPathsWidth  = 120
	lineWidth      = 100
)

// textHeader starts a text document: the demo marker, what it is, over
// which window, and when it was made.
func textHeader(buf *bytes.Buffer, v view, what string) *textWriter {
	t := &textWriter{buf: buf}
	if v.in.Snapshot.Demo {
		t.line("DEMO DATA — built-in sample data for a fictitious team, not your accounts")
	}
	t.line("opsdrag " + what + " · " + v.windowText())
	t.line("Generated " + v.clock(v.generated))
	if note := fromHistoryNote(v.in.FromHistory, v.generated, v.clock); note != "" {
		t.line(note)
	}
	return t
}

func writeText(buf *bytes.Buffer, v view) {
	t := textHeader(buf, v, "report")
	t.blank()
	t.line(v.ledger.Headline())
	if c := v.ledger.Caveat(); c != "" {
		t.line(c)
	}

	t.section("DRAG: TIME AND MONEY SPENT OPERATING AWS")
	rows := [][]string{{"FIGURE", "VALUE", "COMPARED WITH OTHER TEAMS"}}
	for _, r := range v.dragRows() {
		label := r.label
		if r.sub {
			label = "  " + label
		}
		rows = append(rows, []string{label, r.value, r.compared})
	}
	t.table(rows, nil)
	if v.in.Explain {
		t.section("HOW THE FIGURES ARE COMPUTED")
		for i, f := range v.ledger.Figures() {
			if i > 0 {
				t.blank()
			}
			t.line("  " + f.Label + " = " + f.Value)
			for _, s := range f.Steps {
				t.line("    " + s)
			}
		}
	}

	t.section("SOURCES")
	rows = nil
	var extra [][]string
	for _, s := range v.in.Snapshot.Sources {
		rows = append(rows, []string{s.Name, string(s.Status), sourceItems(s), duration(s.Duration)})
		var more []string
		if s.Detail != "" && s.Status != model.StatusOK {
			more = append(more, s.Detail)
		}
		if u := v.usage(s.Usage); u != "" && v.in.Explain {
			more = append(more, u)
		}
		extra = append(extra, more)
	}
	if len(rows) == 0 {
		t.line("  No source was run.")
	}
	t.table(rows, extra)

	rows, extra = nil, nil
	for _, p := range v.pipelines {
		state := "ok"
		if p.Failing {
			state = "FAILING"
		} else if p.Failures > 0 {
			state = "recovered"
		}
		last := "no failure in the window"
		if p.LastFailureAt != nil {
			last = "last failed " + v.clock(*p.LastFailureAt)
		}
		rows = append(rows, []string{state, cut(pipelineName(p), maxNameWidth), pipelineCounts(p), last})
		extra = append(extra, nonEmpty(p.URL))
	}
	t.list("PIPELINES", v.in.Snapshot.Coverage(model.FeedPipelines),
		fmt.Sprintf("%d found, %d failing now", len(v.pipelines), countFailing(v.pipelines)),
		"No pipeline failed in the window.", len(rows), func() { t.table(rows, extra) })

	rows, extra = nil, nil
	for _, a := range v.alarms {
		rows = append(rows, []string{
			stateLabel(a.State), cut(a.Name, maxNameWidth), strings.TrimSpace(a.Account + " " + a.Region),
			"since " + v.clockPtr(a.Since), v.pages(a),
		})
		var more []string
		if a.Reason != "" {
			more = append(more, cut(a.Reason, maxReasonWidth))
		}
		extra = append(extra, append(more, nonEmpty(a.URL)...))
	}
	t.list("ALARMS", v.in.Snapshot.Coverage(model.FeedAlarms),
		fmt.Sprintf("%d found, %d firing now", len(v.alarms), countFiring(v.alarms)),
		"No alarm fired in the window.", len(rows), func() { t.table(rows, extra) })

	rows, extra = nil, nil
	for _, p := range v.prs {
		state, when := string(p.State), "merged "+v.clockPtr(p.MergedAt)
		if p.State == model.PROpen {
			when = "open " + v.age(p.CreatedAt)
			if p.Draft {
				state = "draft"
			}
		}
		author := p.Author
		if author == "" {
			author = "unknown author"
		}
		rows = append(rows, []string{state, fmt.Sprintf("%s#%d", p.Repo, p.Number), cut(p.Title, maxTitleWidth), author, when})
		var more []string
		if why := prEvidence(p); why != "" {
			more = append(more, cut(why, maxPathsWidth))
		}
		extra = append(extra, append(more, nonEmpty(p.URL)...))
	}
	open := countOpen(v.prs)
	t.list("INFRASTRUCTURE PULL REQUESTS", v.in.Snapshot.Coverage(model.FeedPullRequests),
		fmt.Sprintf("%d open, %d merged in the window", open, len(v.prs)-open),
		"No infra PR is open or was merged in the window.", len(rows), func() { t.table(rows, extra) })

	v.planSectionText(t, false)
}

// prEvidence says why a PR counts as infra: its matched paths and labels.
func prEvidence(p model.PullRequest) string {
	var parts []string
	if len(p.Paths) > 0 {
		parts = append(parts, strings.Join(p.Paths, ", "))
	}
	if len(p.Labels) > 0 {
		parts = append(parts, "labels: "+strings.Join(p.Labels, ", "))
	}
	return strings.Join(parts, " · ")
}

// cut shortens s to width display cells, ending with "…" when cut.
func cut(s string, width int) string { return ansi.Truncate(s, width, "…") }

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// textWriter writes the lines of the text report.
type textWriter struct {
	buf *bytes.Buffer
}

func (t *textWriter) line(s string) {
	t.buf.WriteString(strings.TrimRight(s, " "))
	t.buf.WriteByte('\n')
}

func (t *textWriter) blank() { t.buf.WriteByte('\n') }

func (t *textWriter) section(title string) {
	t.blank()
	t.line(title)
}

// list writes a section listing n things: its title with how many and how
// complete, why it may be incomplete, then the list (body) or what an empty
// one means.
func (t *textWriter) list(title string, c model.Coverage, counts, allClear string, n int, body func()) {
	t.section(title + " " + listTitle(c, n == 0, counts))
	lead, reasons := listLead(c)
	if lead != "" {
		t.line("  " + lead)
		for _, r := range reasons {
			t.wrapped("    ", r)
		}
	}
	if n == 0 {
		if s := listEmpty(c, allClear); s != "" {
			t.line("  " + s)
		}
		return
	}
	body()
}

// table writes rows indented by two spaces, each column padded to its
// widest cell in display cells (so "…" and "×" align). extra[i], when set,
// holds lines printed under row i, aligned with its second column.
func (t *textWriter) table(rows [][]string, extra [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	indent := 2
	if len(widths) > 0 {
		indent += widths[0] + 2
	}
	for i, r := range rows {
		var b strings.Builder
		b.WriteString("  ")
		for j, c := range r {
			b.WriteString(c)
			if j < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[j]-ansi.StringWidth(c)+2))
			}
		}
		t.line(b.String())
		if i < len(extra) {
			for _, e := range extra[i] {
				t.wrapped(strings.Repeat(" ", indent), e)
			}
		}
	}
}

// wrapped writes s after indent, wrapped at lineWidth.
func (t *textWriter) wrapped(indent, s string) {
	for _, l := range wrap(s, lineWidth-ansi.StringWidth(indent)) {
		t.line(indent + l)
	}
}

// wrap breaks s at spaces into lines of at most width cells (at least 40).
func wrap(s string, width int) []string {
	return model.WrapAtSpaces(s, max(width, 40))
}
