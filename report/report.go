// Package report renders a snapshot for `opsdrag report`: as text for a
// terminal, as markdown to paste in a chat or a wiki, or as JSON — a
// documented, versioned contract (docs/report-json.md) for scripts.
//
// Every format shows the same things: the window, the drag ledger, each
// source's status, the pipelines, alarms and infra PRs, and the migration
// checklist. The report computes the ledger and the checklist itself, so a
// caller passes only what it collected and the team's settings.
package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// Format is an output format of the report.
type Format string

// Report formats.
const (
	Text     Format = "text"
	Markdown Format = "markdown"
	JSON     Format = "json"
)

// Formats lists the accepted formats, in the order help text shows them.
func Formats() []Format { return []Format{Text, Markdown, JSON} }

// ParseFormat reads a --format value, case-insensitively.
func ParseFormat(s string) (Format, error) {
	v := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, f := range Formats() {
		if v == f {
			return f, nil
		}
	}
	names := make([]string, len(Formats()))
	for i, f := range Formats() {
		names[i] = string(f)
	}
	return "", fmt.Errorf("unknown report format %q: use one of %s", s, strings.Join(names, ", "))
}

// Input is what a report is made of.
type Input struct {
	Snapshot    model.Snapshot
	Team        model.Team
	Assumptions model.Assumptions
	// GeneratedAt is when the report was produced; zero means now.
	GeneratedAt time.Time
	// Explain adds the line-by-line arithmetic of every drag figure.
	Explain bool
}

// Write renders in as format f to w. The whole report is rendered before
// anything is written, so a failure never leaves half a report behind.
func Write(w io.Writer, f Format, in Input) error {
	f, err := ParseFormat(string(f))
	if err != nil {
		return err
	}
	v := newView(in)
	var buf bytes.Buffer
	switch f {
	case Text:
		writeText(&buf, v)
	case Markdown:
		writeMarkdown(&buf, v)
	case JSON:
		err = writeJSON(&buf, v)
	}
	if err != nil {
		return fmt.Errorf("render the %s report: %w", f, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write the %s report: %w", f, err)
	}
	return nil
}

// view is everything the renderers show, computed once.
type view struct {
	in        Input
	loc       *time.Location
	generated time.Time
	window    model.Window
	ledger    model.Ledger
	pipelines []model.Pipeline
	alarms    []model.Alarm
	prs       []model.PullRequest
	checklist []model.ChecklistItem
}

func newView(in Input) view {
	loc := in.Team.Loc()
	snap := in.Snapshot
	// The ledger's explanations print the window; show it in the team's
	// time zone, the one its hour buckets are counted in.
	snap.Window = snap.Window.In(loc)
	gen := in.GeneratedAt
	if gen.IsZero() {
		gen = time.Now()
	}
	return view{
		in:        in,
		loc:       loc,
		generated: gen,
		window:    snap.Window,
		ledger:    model.ComputeLedger(snap, in.Team, in.Assumptions),
		pipelines: snap.Pipelines(),
		alarms:    snap.Alarms(),
		prs:       snap.PullRequests(),
		checklist: model.BuildChecklist(snap.Inventory()),
	}
}

// figure is one line of the drag summary, shared by text and markdown.
type figure struct {
	label, value string
	// sub marks a by-category line under the hours figure.
	sub bool
}

// figures lists the drag figures: the ledger's headline numbers (with the
// hint for an unknown one), hours by category, the invoice and the infra
// share of merged work.
func (v view) figures() []figure {
	l := v.ledger
	var out []figure
	for i, f := range l.Figures() {
		value := f.Value
		if value == "unknown" && len(f.Steps) > 0 {
			value += " — " + f.Steps[0]
		}
		out = append(out, figure{label: f.Label, value: value})
		if i == 0 {
			for _, c := range l.Categories {
				out = append(out, figure{label: c.Category.Title(), value: model.FormatHours(c.WeekHours) + " h/week", sub: true})
			}
		}
	}
	invoice := "unknown (Cost Explorer not collected)"
	if l.InvoiceMonthly != nil {
		invoice = model.FormatMoney(*l.InvoiceMonthly, v.invoiceCurrency()) + " last full month"
	}
	out = append(out, figure{label: "AWS invoice", value: invoice})
	share := "unknown (merged PRs not counted)"
	if s := l.InfraShare(); s != nil {
		share = fmt.Sprintf("%s (%d of %d PRs merged in the window)", model.FormatPercent(*s), l.InfraMerged, *l.MergedPRs)
	} else if l.MergedPRs != nil {
		share = "unknown (no PR merged in the window)"
	}
	out = append(out, figure{label: "Infra share of merged work", value: share})
	return out
}

// invoiceCurrency is the currency the invoices are in when they agree,
// else the team's.
func (v view) invoiceCurrency() string {
	cur := ""
	for _, inv := range v.in.Snapshot.Invoices() {
		switch {
		case inv.LastMonth == nil:
		case cur == "":
			cur = inv.Currency
		case cur != inv.Currency:
			return v.in.Team.Currency
		}
	}
	if cur == "" {
		return v.in.Team.Currency
	}
	return cur
}

// bandLine is one reference range and where the team sits, for text and
// markdown.
type bandLine struct{ figure, value, verdict string }

func (v view) bands() []bandLine {
	var out []bandLine
	for _, b := range v.ledger.Bands() {
		line := bandLine{figure: b.Figure, value: "unknown", verdict: "field range " + b.Range()}
		if b.Value != nil {
			line.value = b.FormatValue()
			line.verdict = b.Assessment()
			if !b.Healthy {
				line.verdict = strings.ToUpper(line.verdict[:1]) + line.verdict[1:] + " (!)"
			}
		}
		out = append(out, line)
	}
	return out
}

// countFailing counts the pipelines failing now.
func countFailing(ps []model.Pipeline) int {
	n := 0
	for _, p := range ps {
		if p.Failing {
			n++
		}
	}
	return n
}

// countFiring counts the alarms in ALARM now.
func countFiring(as []model.Alarm) int {
	n := 0
	for _, a := range as {
		if a.Firing() {
			n++
		}
	}
	return n
}

// countOpen counts the open PRs.
func countOpen(prs []model.PullRequest) int {
	n := 0
	for _, p := range prs {
		if p.State == model.PROpen {
			n++
		}
	}
	return n
}

// clock formats a moment for people, in the team's time zone.
func (v view) clock(t time.Time) string {
	return t.In(v.loc).Format("Mon Jan 2 15:04 MST")
}

// clockPtr is clock for an optional moment.
func (v view) clockPtr(t *time.Time) string {
	if t == nil {
		return "unknown"
	}
	return v.clock(*t)
}

// windowText describes the window, e.g. "Mon Nov 16 09:00 EST – Mon Nov 23
// 09:00 EST (7 days)".
func (v view) windowText() string {
	return fmt.Sprintf("%s – %s (%s days)", v.clock(v.window.Since), v.clock(v.window.Until), model.FormatNumber(v.window.Days()))
}

// age says how long ago t was, relative to the end of the window: "35m",
// "20h", "9d".
func (v view) age(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	d := v.window.Until.Sub(t)
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%dm", max(0, int(d/time.Minute)))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	default:
		return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	}
}

// pages summarises an alarm's transitions into ALARM by hour bucket, e.g.
// "3 pages (1 off-hours, 1 in sleep hours)".
func (v view) pages(a model.Alarm) string {
	if !a.HistoryKnown {
		return "pages unknown (alarm history unavailable)"
	}
	c := model.CountPages(a, v.loc)
	s := model.Plural(c.Total, "page")
	var parts []string
	if c.OffHours > 0 {
		parts = append(parts, fmt.Sprintf("%d off-hours", c.OffHours))
	}
	if c.Sleep > 0 {
		parts = append(parts, fmt.Sprintf("%d in sleep hours", c.Sleep))
	}
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	if model.Flapping(a) {
		s += ", flapping"
	}
	return s
}

// stateLabel names an alarm state for people.
func stateLabel(s model.AlarmState) string {
	switch s {
	case model.StateAlarm:
		return "FIRING"
	case model.StateOK:
		return "ok"
	case model.StateInsufficientData:
		return "no data"
	}
	return strings.ToLower(string(s))
}

// pipelineName is "scope · name (branch)".
func pipelineName(p model.Pipeline) string {
	s := p.Scope + " · " + p.Name
	if p.Branch != "" {
		s += " (" + p.Branch + ")"
	}
	return s
}

// pipelineCounts is "2 failures, 1 rerun, 7.0 h red".
func pipelineCounts(p model.Pipeline) string {
	return fmt.Sprintf("%s, %s, %s h red", model.Plural(p.Failures, "failure"), model.Plural(p.Reruns, "rerun"), model.FormatHours(p.RedHours))
}

// duration shows how long a source took, to the millisecond.
func duration(d time.Duration) string {
	if d < time.Millisecond {
		return "<1ms"
	}
	return d.Round(time.Millisecond).String()
}
