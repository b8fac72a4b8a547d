package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// TriageSchema names the version of the triage JSON contract.
const TriageSchema = "opsdrag/triage@1"

// TriageInput is what the Monday triage list is made of.
type TriageInput struct {
	Snapshot model.Snapshot
	Team     model.Team
	// Since is the triage start: by default the end of the previous working
	// day (model.TriageStart).
	Since       time.Time
	GeneratedAt time.Time
	// Handled holds the IDs of items marked handled in the interface.
	Handled map[string]bool
	// FromHistory is when the collection shown was saved, when the list is
	// made from the history rather than collected now; zero otherwise.
	FromHistory time.Time
}

// WriteTriage renders the triage list: markdown ready to paste into a chat
// channel, text for a terminal, or JSON (schema opsdrag/triage@1).
func WriteTriage(w io.Writer, f Format, in TriageInput) error {
	f, err := ParseFormat(string(f))
	if err != nil {
		return err
	}
	if f == HTML {
		return errors.New("triage has no html format: use markdown, text or json")
	}
	loc := in.Team.Loc()
	items := model.Triage(in.Snapshot, in.Since, loc)
	if in.GeneratedAt.IsZero() {
		in.GeneratedAt = time.Now()
	}
	var buf bytes.Buffer
	switch f {
	case JSON:
		err = writeTriageJSON(&buf, in, items)
	case Markdown:
		writeTriageList(&buf, in, items, true)
	default:
		writeTriageList(&buf, in, items, false)
	}
	if err != nil {
		return fmt.Errorf("render the %s triage: %w", f, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write the %s triage: %w", f, err)
	}
	return nil
}

// TriageCoverage is how complete the triage list of s is: it is drawn from
// the alarms, the pipelines and the infra PRs.
func TriageCoverage(s model.Snapshot) model.Coverage {
	return s.Coverage(model.FeedAlarms, model.FeedPipelines, model.FeedPullRequests)
}

// writeTriageList writes the grouped list as markdown (md) or plain text:
// how many things are broken now (only when the sources that could say
// answered), why the list may be incomplete, then the items.
func writeTriageList(buf *bytes.Buffer, in TriageInput, items []model.TriageItem, md bool) {
	loc := in.Team.Loc()
	clock := func(t time.Time) string { return t.In(loc).Format("Mon Jan 2 15:04 MST") }
	e := func(s string) string { return s }
	bold := func(s string) string { return s }
	if md {
		e = esc
		bold = func(s string) string { return "**" + s + "**" }
	}
	para := func(s string) {
		fmt.Fprintln(buf)
		fmt.Fprintln(buf, s)
	}
	if in.Snapshot.Demo {
		fmt.Fprintln(buf, e("DEMO DATA — built-in sample data, not your accounts"))
		fmt.Fprintln(buf)
	}
	who := ""
	if in.Team.Name != "" {
		who = " for " + in.Team.Name
	}
	fmt.Fprintln(buf, bold(e(fmt.Sprintf("Triage%s since %s", who, clock(in.Since)))))
	if note := fromHistoryNote(in.FromHistory, in.GeneratedAt, clock); note != "" {
		fmt.Fprintln(buf, bold(e(note)))
	}
	fmt.Fprintln(buf, e(brokenNow(in.Snapshot, items)))

	list := TriageCoverage(in.Snapshot)
	if lead, reasons := listLead(list); lead != "" {
		para(bold(e(lead)))
		for i, r := range reasons {
			if i == 0 {
				fmt.Fprintln(buf)
			}
			if md {
				fmt.Fprintln(buf, "- "+esc(r))
			} else {
				// A reason says what to do: whole, wrapped, never cut.
				for j, l := range wrap(r, lineWidth-4) {
					fmt.Fprintln(buf, map[bool]string{true: "  - ", false: "    "}[j == 0]+l)
				}
			}
		}
	}
	if len(items) == 0 {
		if s := listEmpty(list, "Nothing fired, failed or waits for review since then."); s != "" {
			para(e(s))
		}
	}
	group := model.TriageGroup(-1)
	for _, it := range items {
		if it.Group != group {
			group = it.Group
			para(bold(e(group.String())))
		}
		box := "[ ]"
		if in.Handled[it.ID] {
			box = "[x]"
		}
		what := e(it.What)
		if md {
			what = link(it.What, it.URL)
		}
		began := "start unknown"
		if it.Since != nil {
			began = triageBegan(it.Group) + " " + clock(*it.Since)
		}
		fmt.Fprintf(buf, "- %s %s — %s — %s — %s\n", box, what, e(it.Where), e(began), e(it.Summary()))
		if !md && it.URL != "" {
			fmt.Fprintf(buf, "      %s\n", it.URL)
		}
	}
}

// brokenNow counts what is broken now — alarms firing and pipelines
// failing — as far as their sources could tell (c): "2 broken now: 1 alarm
// firing, 1 pipeline failing.", "At least 1 broken now (why): …", "Broken
// now: unknown (why)."; "0 broken now." only when every one of them answered.
func brokenNow(snap model.Snapshot, items []model.TriageItem) string {
	c := snap.Coverage(model.FeedAlarms, model.FeedPipelines)
	alarms, pipelines := 0, 0
	for _, it := range items {
		switch it.Group {
		case model.FiringNow:
			alarms++
		case model.FailingNow:
			pipelines++
		}
	}
	n := alarms + pipelines
	// Each count as far as its own sources allow: zero alarms nobody read
	// is not "0 alarms firing".
	count := func(n int, f model.Feed, noun, state string) string {
		switch cov := snap.Coverage(f); {
		case !cov.Known():
			return noun + "s " + state + " unknown"
		case cov.Completeness != model.Complete:
			return "at least " + model.Plural(n, noun) + " " + state
		}
		return model.Plural(n, noun) + " " + state
	}
	which := count(alarms, model.FeedAlarms, "alarm", "firing") + ", " + count(pipelines, model.FeedPipelines, "pipeline", "failing") + "."
	switch {
	case c.Completeness == model.Collecting:
		return "Broken now: collecting…"
	case !c.Known():
		return "Broken now: unknown (" + c.Short() + ")."
	case c.Completeness != model.Complete && n == 0:
		return "Broken now: none found in what could be read (" + c.Short() + ")."
	case c.Completeness != model.Complete:
		return fmt.Sprintf("At least %d broken now (%s): %s", n, c.Short(), which)
	case n == 0:
		return "0 broken now."
	}
	return fmt.Sprintf("%d broken now: %s", n, which)
}

// triageBegan says how an item's start reads, so that "since" is said once,
// for the triage start.
func triageBegan(g model.TriageGroup) string {
	switch g {
	case model.FiringNow:
		return "firing from"
	case model.FailingNow:
		return "failing from"
	case model.Recovered:
		return "last"
	}
	return "opened"
}

type jsonTriage struct {
	Schema      string `json:"schema"`
	GeneratedAt string `json:"generated_at"`
	Demo        bool   `json:"demo"`
	Since       string `json:"since"`
	Until       string `json:"until"`
	// FromHistory was added within triage@1: when the collection shown was
	// saved, present only when the list was made from the history.
	FromHistory *string      `json:"from_history,omitempty"`
	Sources     []jsonSource `json:"sources"`
	// Coverage says how complete items is: an empty list with gaps is
	// unknown, not quiet.
	Coverage jsonCoverage      `json:"coverage"`
	Items    []jsonTriageEntry `json:"items"`
}

type jsonTriageEntry struct {
	Group        string  `json:"group"`
	ID           string  `json:"id"`
	What         string  `json:"what"`
	Where        string  `json:"where"`
	Since        *string `json:"since"`
	Times        int     `json:"times"`
	SleepPages   int     `json:"sleep_pages"`
	OffHourPages int     `json:"off_hour_pages"`
	URL          *string `json:"url"`
	Handled      bool    `json:"handled"`
}

// triageGroupName is a group's name in the JSON contract.
func triageGroupName(g model.TriageGroup) string {
	switch g {
	case model.FiringNow:
		return "firing_now"
	case model.FailingNow:
		return "failing_now"
	case model.Recovered:
		return "recovered"
	}
	return "waiting_review"
}

func writeTriageJSON(buf *bytes.Buffer, in TriageInput, items []model.TriageItem) error {
	doc := jsonTriage{
		Schema: TriageSchema, GeneratedAt: stamp(in.GeneratedAt), Demo: in.Snapshot.Demo,
		Since: stamp(in.Since), Until: stamp(in.Snapshot.Window.Until), FromHistory: optStamp(&in.FromHistory),
		Sources: toJSONSources(in.Snapshot), Items: []jsonTriageEntry{},
	}
	list := TriageCoverage(in.Snapshot)
	doc.Coverage = coverageJSON(list.Completeness, sourceReasons(list))
	for _, it := range items {
		doc.Items = append(doc.Items, jsonTriageEntry{
			Group: triageGroupName(it.Group), ID: it.ID, What: it.What, Where: it.Where,
			Since: optStamp(it.Since), Times: it.Times, SleepPages: it.SleepPages, OffHourPages: it.OffHourPages,
			URL: optString(it.URL), Handled: in.Handled[it.ID],
		})
	}
	enc := json.NewEncoder(buf)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
