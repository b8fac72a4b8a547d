package report

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"github.com/opsdrag/opsdrag/model"
)

func writeMarkdown(buf *bytes.Buffer, v view) {
	m := &mdWriter{buf: buf}
	if v.in.Snapshot.Demo {
		m.para("> **DEMO DATA** — built-in sample data for a fictitious team, not your accounts")
	}
	m.para("# opsdrag report")
	m.para(fmt.Sprintf("**Window:** %s · generated %s", esc(v.windowText()), esc(v.clock(v.generated))))
	if note := fromHistoryNote(v.in.FromHistory, v.generated, v.clock); note != "" {
		m.para("**" + esc(note) + "**")
	}
	m.para("**" + esc(v.ledger.Headline()) + "**")
	if c := v.ledger.Caveat(); c != "" {
		// Plain, not italic: emphasis in the page must never be something
		// remote text could have produced.
		m.para(esc(c))
	}

	m.para("## Drag: time and money spent operating AWS")
	var rows [][]string
	for _, r := range v.dragRows() {
		label := esc(r.label)
		if r.sub {
			label = "↳ " + label
		}
		rows = append(rows, []string{label, esc(r.value), esc(r.compared)})
	}
	m.table([]string{"Figure", "Value", "Compared with other teams"}, "---", rows)
	if v.in.Explain {
		m.para("### How the figures are computed")
		for _, f := range v.ledger.Figures() {
			m.para("**" + esc(f.Label) + " = " + esc(f.Value) + "**")
			var items []string
			for _, s := range f.Steps {
				nested := strings.HasPrefix(s, " ")
				item := "- " + esc(strings.TrimSpace(s))
				if nested {
					item = "  " + item
				}
				items = append(items, item)
			}
			m.para(strings.Join(items, "\n"))
		}
	}

	m.para("## Sources")
	rows = nil
	for _, s := range v.in.Snapshot.Sources {
		detail := ""
		if s.Status != model.StatusOK {
			detail = esc(s.Detail)
		}
		rows = append(rows, []string{esc(s.Name), esc(string(s.Status)), sourceItems(s), duration(s.Duration), detail})
	}
	m.tableOr("No source was run.", []string{"Source", "Status", "Items", "Took", "Detail"}, "--r--", rows)
	if v.in.Explain {
		var usage []string
		for _, s := range v.in.Snapshot.Sources {
			if u := v.usage(s.Usage); u != "" {
				usage = append(usage, "- "+esc(s.Name)+": "+esc(u))
			}
		}
		if len(usage) > 0 {
			m.para(strings.Join(usage, "\n"))
		}
	}

	rows = nil
	for _, p := range v.pipelines {
		state := "ok"
		if p.Failing {
			state = "**FAILING**"
		} else if p.Failures > 0 {
			state = "recovered"
		}
		branch := "—"
		if p.Branch != "" {
			branch = esc(p.Branch)
		}
		last := "—"
		if p.LastFailureAt != nil {
			last = esc(v.clock(*p.LastFailureAt))
		}
		rows = append(rows, []string{state, link(p.Scope+" · "+p.Name, p.URL), branch,
			fmt.Sprint(p.Failures), fmt.Sprint(p.Reruns), model.FormatHours(p.RedHours) + " h", last})
	}
	m.list("## Pipelines", v.in.Snapshot.Coverage(model.FeedPipelines),
		fmt.Sprintf("%d found, %d failing now", len(v.pipelines), countFailing(v.pipelines)),
		"No pipeline failed in the window.", len(rows), func() {
			m.table([]string{"State", "Pipeline", "Branch", "Failures", "Reruns", "Red", "Last failure"}, "---rrr-", rows)
		})

	rows = nil
	for _, a := range v.alarms {
		state := esc(stateLabel(a.State))
		if a.Firing() {
			state = "**" + state + "**"
		}
		pages, off, sleep := "unknown", "unknown", "unknown"
		if a.HistoryKnown {
			c := model.CountPages(a, v.loc)
			pages, off, sleep = fmt.Sprint(c.Total), fmt.Sprint(c.OffHours), fmt.Sprint(c.Sleep)
			if model.Flapping(a) {
				pages += " (flapping)"
			}
		}
		rows = append(rows, []string{state, link(a.Name, a.URL), esc(strings.TrimSpace(a.Account + " " + a.Region)),
			esc(v.clockPtr(a.Since)), pages, off, sleep, esc(a.Reason)})
	}
	m.list("## Alarms", v.in.Snapshot.Coverage(model.FeedAlarms),
		fmt.Sprintf("%d found, %d firing now", len(v.alarms), countFiring(v.alarms)),
		"No alarm fired in the window.", len(rows), func() {
			m.table([]string{"State", "Alarm", "Where", "In this state since", "Pages", "Off-hours", "Sleep hours", "Reason"}, "----rrr-", rows)
		})

	var openRows, mergedRows [][]string
	for _, p := range v.prs {
		author := "unknown"
		if p.Author != "" {
			author = esc(p.Author)
		}
		row := []string{link(fmt.Sprintf("%s#%d", p.Repo, p.Number), p.URL), esc(p.Title), author}
		if p.State == model.PROpen {
			age := v.age(p.CreatedAt)
			if p.Draft {
				age += " (draft)"
			}
			openRows = append(openRows, append(row, age, esc(prEvidence(p))))
		} else {
			mergedRows = append(mergedRows, append(row, esc(v.clockPtr(p.MergedAt)), esc(prEvidence(p))))
		}
	}
	open := countOpen(v.prs)
	m.list("## Infrastructure pull requests", v.in.Snapshot.Coverage(model.FeedPullRequests),
		fmt.Sprintf("%d open, %d merged in the window", open, len(v.prs)-open),
		"No infra PR is open or was merged in the window.", len(v.prs), func() {
			m.para("**Open**, oldest first")
			m.tableOr("None.", []string{"PR", "Title", "Author", "Age", "Why infra"}, "-----", openRows)
			m.para("**Merged in the window**, most recent first")
			m.tableOr("None.", []string{"PR", "Title", "Author", "Merged", "Why infra"}, "-----", mergedRows)
		})

	v.planSectionMarkdown(m, false)
}

// mdWriter writes markdown blocks separated by blank lines.
type mdWriter struct {
	buf *bytes.Buffer
}

func (m *mdWriter) para(s string) {
	if m.buf.Len() > 0 {
		m.buf.WriteByte('\n')
	}
	m.buf.WriteString(s)
	m.buf.WriteByte('\n')
}

// table writes a GFM table; align has one byte per column, 'r' for a
// right-aligned (numeric) column. Cells must already be escaped.
func (m *mdWriter) table(head []string, align string, rows [][]string) {
	var b strings.Builder
	b.WriteString("| " + strings.Join(head, " | ") + " |\n|")
	for i := range head {
		if i < len(align) && align[i] == 'r' {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	for _, r := range rows {
		b.WriteString("\n| " + strings.Join(r, " | ") + " |")
	}
	m.para(b.String())
}

// list writes a section listing n things: its heading with how many and
// how complete, why it may be incomplete (each source's reason whole),
// then the list (body) or what an empty one means.
func (m *mdWriter) list(heading string, c model.Coverage, counts, allClear string, n int, body func()) {
	m.para(heading + " " + esc(listTitle(c, n == 0, counts)))
	if lead, reasons := listLead(c); lead != "" {
		m.para("**" + esc(lead) + "**")
		items := make([]string, len(reasons))
		for i, r := range reasons {
			items[i] = "- " + esc(r)
		}
		m.para(strings.Join(items, "\n"))
	}
	if n == 0 {
		if s := listEmpty(c, allClear); s != "" {
			m.para(esc(s))
		}
		return
	}
	body()
}

// tableOr writes the table, or none when there are no rows.
func (m *mdWriter) tableOr(none string, head []string, align string, rows [][]string) {
	if len(rows) == 0 {
		m.para(none)
		return
	}
	m.table(head, align, rows)
}

// mdEscaper neutralises the characters that let remote text break a table
// cell (|), start code (`), emphasis (* _), a link or image ([ ]) or HTML
// (< >). Line breaks are folded so a value cannot end its table row.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "`", "\\`", "*", `\*`, "_", `\_`,
	"[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`,
	"\r\n", " ", "\n", " ", "\r", " ",
	// Pasted into a chat, "@channel" in a PR title would ping everyone and
	// a bare URL would become a link: a word joiner (U+2060) defuses both.
	"@", "@\u2060", "://", ":\u2060//",
)

// esc makes text safe to place anywhere in the markdown report, table
// cells included.
func esc(s string) string { return mdEscaper.Replace(s) }

// link renders text as a link to rawURL when it is a plain http(s) URL, and
// as escaped text otherwise: a remote party must not be able to make a link
// point at a javascript: or data: URL, nor break out of the destination.
func link(text, rawURL string) string {
	u, err := url.Parse(rawURL)
	if rawURL == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return esc(text)
	}
	return "[" + esc(text) + "](" + safeDestination(u.String()) + ")"
}

// safeDestination percent-encodes every byte of a link destination outside
// a conservative set, so parentheses, spaces, pipes and angle brackets can
// end neither the link nor the table cell around it.
func safeDestination(s string) string {
	const keep = "-._~:/?#@!$&'*+,;=%"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
