// Package report renders a snapshot for `opsdrag report`: as text for a
// terminal, as markdown to paste in a chat or a wiki, or as JSON — a
// documented, versioned contract (docs/json.md) for scripts.
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
	// HTML is one self-contained page to forward (opsdrag report only).
	HTML Format = "html"
)

// Formats lists the accepted formats, in the order help text shows them.
func Formats() []Format { return []Format{Text, Markdown, JSON, HTML} }

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
	// Effort are the migration plan's estimates per kind; nil means the
	// defaults.
	Effort model.EffortHours
	// PlanState holds the plan's marks, notes and the items seen before
	// (from the history); empty without one.
	PlanState model.PlanState
	// Trend is the drag of the last weeks from the history, oldest first,
	// for the HTML chart; nil when there is no history.
	Trend []model.WeekPoint
	// People adds to the HTML page how concentrated the drag is on a few
	// people (never who): off unless asked, in no other format.
	People bool
	// FromHistory is when the collection shown was saved, when the report
	// is made from the history rather than collected now; zero otherwise.
	FromHistory time.Time
}

// Write renders in as format f to w. The whole report is rendered before
// anything is written, so a failure never leaves half a report behind.
func Write(w io.Writer, f Format, in Input) error {
	return renderDoc(w, f, in, "report", renderers{text: writeText, markdown: writeMarkdown, json: writeJSON, html: writeHTML})
}

// renderers draw one document in each format.
type renderers struct {
	text, markdown func(*bytes.Buffer, view)
	json, html     func(*bytes.Buffer, view) error
}

// renderDoc draws the document what in format f, whole, then writes it to w.
func renderDoc(w io.Writer, f Format, in Input, what string, r renderers) error {
	f, err := ParseFormat(string(f))
	if err != nil {
		return err
	}
	v := newView(in)
	var buf bytes.Buffer
	switch f {
	case Text:
		r.text(&buf, v)
	case Markdown:
		r.markdown(&buf, v)
	case JSON:
		err = r.json(&buf, v)
	case HTML:
		if r.html == nil {
			return fmt.Errorf("the %s has no html format: use text, markdown or json", what)
		}
		err = r.html(&buf, v)
	}
	if err != nil {
		return fmt.Errorf("render the %s %s: %w", f, what, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write the %s %s: %w", f, what, err)
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
	plan      model.Plan
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
	ledger := model.ComputeLedger(snap, in.Team, in.Assumptions)
	effort := in.Effort
	if effort == nil {
		effort = model.DefaultEffortHours()
	}
	return view{
		in:        in,
		loc:       loc,
		generated: gen,
		window:    snap.Window,
		ledger:    ledger,
		plan:      model.BuildPlan(snap, ledger, effort, in.PlanState),
		pipelines: snap.Pipelines(),
		alarms:    snap.Alarms(),
		prs:       snap.PullRequests(),
		checklist: model.BuildChecklist(snap.Inventory()),
	}
}

// dragRow is one line of the drag table, shared by text and markdown: a
// figure, its value as its coverage allows, and, for a figure with a
// reference range, how it compares with other teams.
type dragRow struct {
	label, value, compared string
	// sub marks a by-category line under the hours figure.
	sub bool
}

// dragRows lists every drag figure once, hours per week first, each range's
// verdict on the line of the figure it judges (so no figure is repeated).
func (v view) dragRows() []dragRow {
	m := v.measures()
	return []dragRow{
		{label: "Hours per week", value: m.hours.show()},
		{label: model.CatPipelines.Title(), value: m.pipelines.show(), sub: true},
		{label: model.CatAlarms.Title() + " (incident response)", value: m.alarms.show(), compared: m.verdictOf("Incident response"), sub: true},
		{label: model.CatInfraPRs.Title(), value: m.infraPRs.show(), sub: true},
		{label: "Routine maintenance (pipelines + infra PRs)", value: m.routine.show(), compared: m.verdictOf("Routine maintenance")},
		{label: "Team share", value: m.teamShare.show(), compared: m.verdictOf("KTLO share")},
		{label: "Monthly cost", value: m.monthlyCost.show()},
		{label: "AWS invoice, last full month", value: m.invoice.show()},
		{label: "Cost vs AWS invoice", value: m.costRatio.show(), compared: m.verdictOf("Full cost")},
		{label: "Infra share of merged PRs", value: m.infraShare.show()},
	}
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

// listTitle is the counting part of a list section's title: "(6 found, 3
// failing now)" when its sources answered in full, marked incomplete when
// some did not, "(unknown)" when none did, "(none)" only when all did.
func listTitle(c model.Coverage, empty bool, counts string) string {
	switch {
	case c.Completeness == model.Collecting:
		return "(collecting…)"
	case !c.Known():
		return "(unknown)"
	case empty && c.Completeness == model.Complete:
		return "(none)"
	case empty:
		return "(none found — incomplete)"
	case c.Completeness == model.Complete:
		return "(" + counts + ")"
	}
	return "(" + counts + " — incomplete)"
}

// listLead is what a list section leads with when its sources did not all
// answer: a sentence, then each source's reason whole (the source's detail
// says what to do). Nothing when they did.
func listLead(c model.Coverage) (lead string, reasons []string) {
	switch c.Completeness {
	case model.Complete:
		return "", nil
	case model.Collecting:
		lead = "Collecting…"
	case model.LowerBound:
		lead = "Incomplete: only what could be read."
	default:
		lead = "Unknown: no source could look."
	}
	for _, g := range c.Gaps {
		_, whole := gapPhrase(g)
		reasons = append(reasons, whole)
	}
	return lead, reasons
}

// listEmpty is what an empty list says: allClear only when every source
// behind it answered in full; nothing more when none did (the lead said
// why).
func listEmpty(c model.Coverage, allClear string) string {
	switch {
	case c.Completeness == model.Complete:
		return allClear
	case c.Known():
		return "Nothing found in what could be read."
	}
	return ""
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
	case "":
		// Known only from the history: every firing alarm is listed.
		return "quiet"
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

// sourceItems is how many signals a source contributed: "—" for one that
// did not answer (it found nothing because it could not look), unless data
// from an earlier collection is shown.
func sourceItems(s model.Source) string {
	if !s.Succeeded() && !s.Stale {
		return "—"
	}
	return model.Plural(s.Items, "item")
}

// usage says what a collection spent of its API's budget, for --explain:
// "API usage: 412 requests, 380 of them answered 304 from the cache (free
// of the rate limit); rate limit 4588 of 5000 left, resets …; paced 1.25s
// to stay under the per-minute limits". "" when the source does not meter
// its requests.
func (v view) usage(u *model.Usage) string {
	if u == nil {
		return ""
	}
	s := "API usage: " + model.Plural(u.Requests, "request")
	if u.NotModified > 0 {
		s += fmt.Sprintf(", %d of them answered 304 from the cache (free of the rate limit)", u.NotModified)
	}
	if u.RateLimit > 0 {
		s += fmt.Sprintf("; rate limit %d of %d left", u.RateRemaining, u.RateLimit)
		if !u.RateReset.IsZero() {
			s += ", resets " + v.clock(u.RateReset)
		}
	}
	if u.Paced > 0 {
		s += fmt.Sprintf("; paced %s to stay under the per-minute limits", u.Paced.Round(10*time.Millisecond))
	}
	return s
}

// duration shows how long a source took, to the millisecond.
func duration(d time.Duration) string {
	if d < time.Millisecond {
		return "<1ms"
	}
	return d.Round(time.Millisecond).String()
}
