package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/opsdrag/opsdrag/model"
)

type triagePane struct{}

func (triagePane) name() string { return "Triage" }

func (triagePane) can() features { return features{sort: true, broken: true, mark: "handled"} }

func (triagePane) columns() []column {
	return []column{
		{title: "", min: 3, priority: 10},
		{title: "WHAT", min: 11, priority: 9},
		{title: "ITEM", min: 16, priority: 9},
		{title: "WHERE", min: 10, priority: 9},
		{title: "SINCE", min: 5, right: true, priority: 8},
		{title: "HOW OFTEN", min: 12, priority: 6},
	}
}

func (triagePane) intro(d data, st Styles, width int) string {
	sleep, handled := 0, 0
	for _, it := range d.triage {
		sleep += it.SleepPages
		if d.handled[it.ID] {
			handled++
		}
	}
	b := d.broken
	now := b.FiringCoverage.Merge(b.FailingCoverage)
	parts := []string{model.FormatBound(float64(b.Firing+b.Failing), now, func(v float64) string { return fmt.Sprintf("%.0f", v) }) + " broken now"}
	if !now.Known() {
		parts[0] = "broken now: unknown"
	}
	pages := model.Plural(sleep, "sleep-hour page")
	switch c := b.FiringCoverage; {
	case !c.Known():
		pages = "sleep-hour pages unknown"
	case c.Completeness != model.Complete:
		pages = "≥ " + pages
	}
	parts = append(parts, pages)
	// With nothing listed because nothing could look, "0 of 0 handled"
	// would read as a count.
	if len(d.triage) > 0 || now.Known() {
		parts = append(parts, fmt.Sprintf("%d of %d handled", handled, len(d.triage)))
	}
	s := strings.Join(parts, " · ") + "."
	lines := []string{st.Muted.Render(s)}
	// Nothing on the list is not good news when a source could not look.
	if len(d.triage) > 0 {
		if note := coverageNote(d, st, model.FeedAlarms, model.FeedPipelines, model.FeedPullRequests); note != "" {
			lines = append(lines, note)
		}
	}
	return ansi.Wrap(strings.Join(lines, "\n"), width, " ")
}

func (triagePane) empty(d data) string {
	return emptyText(d, "Nothing to triage since the end of the previous working day. ✓", model.FeedAlarms, model.FeedPipelines, model.FeedPullRequests)
}

// triageLabel marks a triage group in the list.
func triageLabel(g model.TriageGroup) string {
	switch g {
	case model.FiringNow:
		return "● firing"
	case model.FailingNow:
		return "✗ failing"
	case model.Recovered:
		return "↺ recovered"
	}
	return "⧗ review"
}

func (triagePane) count(d data) int { return len(d.triage) }

func (triagePane) rows(d data, st Styles) []row {
	rows := make([]row, 0, len(d.triage))
	short := compactor()
	for i := range d.triage {
		it := &d.triage[i] // the detail view keeps a pointer, not a copy
		box, boxTone := "[ ]", plain
		if d.handled[it.ID] {
			box, boxTone = "[x]", toneGood
		}
		labelTone := toneInfo
		switch it.Group {
		case model.FiringNow, model.FailingNow:
			labelTone = toneBad
		case model.Recovered:
			labelTone = toneWarn
		}
		oftenTone := plain
		if it.SleepPages > 0 {
			oftenTone = toneWarn
		}
		rows = append(rows, row{
			key:     it.ID,
			name:    triageName(*it),
			title:   it.What,
			url:     it.URL,
			broken:  it.Group == model.FiringNow || it.Group == model.FailingNow,
			cells:   []string{box, triageLabel(it.Group), it.What, it.Where, agoPtr(d.now, it.Since), it.Summary()},
			tones:   []tone{0: boxTone, 1: labelTone, 5: oftenTone},
			order:   []string{1: fmt.Sprint(4 - int(it.Group))},
			compact: []string{3: short(it.Where)},
			detail:  triageDetail(it, &d, &st),
		})
	}
	return rows
}

// triageName is what Y copies for an item: an alarm's name, a pipeline
// with its place, a pull request's repo#number.
func triageName(it model.TriageItem) string {
	switch {
	case strings.HasPrefix(it.ID, "pr:"):
		return strings.TrimPrefix(it.ID, "pr:")
	case strings.HasPrefix(it.ID, "pipeline:"):
		return it.Where + " " + it.What
	}
	return it.What
}

func triageDetail(it *model.TriageItem, d *data, st *Styles) func(int) string {
	return func(width int) string {
		loc := d.team.Loc()
		t := detailText{st: *st}
		t.field("What", it.What)
		t.field("Where", it.Where)
		t.field("Kind", it.Group.String())
		t.field("Since", stampPtr(it.Since, loc))
		t.field("How often", it.Summary())
		if it.Reason != "" {
			t.field("Reason", it.Reason)
		}
		state := "not handled yet (space marks it)"
		if d.handled[it.ID] {
			state = "handled"
			if by := markedBy(d.handledBy[it.ID], loc); by != "" {
				state += " " + by
			}
		}
		t.field("Triage", state)
		t.blank()
		t.url("Link", it.URL)
		return t.render(width)
	}
}
