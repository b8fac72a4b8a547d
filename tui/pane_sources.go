package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// Pane names the app refers to by name.
const (
	triagePaneName  = "Triage"
	sourcesPaneName = "Sources"
)

// sourcesPane says, for every source, how its last collection went and why:
// the status, the reason and the fix, when its data was collected, what it
// found, how long it took and what it spent of its API's budget.
type sourcesPane struct{}

func (sourcesPane) name() string { return sourcesPaneName }

func (sourcesPane) can() features { return features{sort: true, broken: true} }

func (sourcesPane) columns() []column {
	return []column{
		{title: "STATUS", min: 16, priority: 10},
		{title: "SOURCE", min: 16, priority: 9},
		{title: "ITEMS", min: 5, right: true, priority: 6},
		{title: "DATA AGE", min: 8, right: true, priority: 7},
		{title: "TOOK", min: 6, right: true, priority: 3, optional: true},
		{title: "REQUESTS", min: 8, right: true, priority: 2, optional: true},
		{title: "WHY", min: 12, priority: 8},
	}
}

func (sourcesPane) intro(d data, st Styles, width int) string {
	return st.Muted.Render(pad("Each source's last collection. enter shows the whole reason and its fix.", width))
}

func (sourcesPane) empty(data) string { return "No source is configured." }

func (sourcesPane) count(d data) int { return len(d.snap.Sources) }

func (sourcesPane) rows(d data, st Styles) []row {
	var rows []row
	for _, src := range d.snap.Sources {
		items, age, took, reqs := "—", "—", "—", "—"
		if src.Succeeded() || src.Stale {
			items = fmt.Sprint(src.Items)
		}
		if !src.At.IsZero() && (src.Succeeded() || src.Stale) {
			age = ago(d.now, src.At)
		}
		if src.Duration > 0 {
			took = shortDuration(src.Duration)
		}
		if u := src.Usage; u != nil {
			reqs = fmt.Sprint(u.Requests)
		}
		why := src.Detail
		if src.Status == model.StatusOK && !src.Stale {
			why = st.Muted.Render("feeds " + feedWords(src.Name))
		}
		rows = append(rows, row{
			key:    src.Name,
			title:  src.Name,
			broken: src.Status == model.StatusError || src.Stale,
			cells:  []string{sourceState(src, d.collecting[src.Name], st), src.Name, items, age, took, reqs, why},
			order:  []string{0: sourceSeverity(src)},
			detail: sourceDetail(src, &d, &st),
		})
	}
	return rows
}

// sourceSeverity ranks a source's status for sorting, worst highest.
func sourceSeverity(src model.Source) string {
	switch {
	case src.Status == model.StatusError:
		return "4"
	case src.Stale:
		return "3"
	case src.Status == model.StatusPartial:
		return "2"
	case src.Status == model.StatusSkipped:
		return "0"
	}
	return "1"
}

// sourceState is a source's status in a word, with its glyph.
func sourceState(src model.Source, collecting bool, st Styles) string {
	if collecting || src.Status == model.StatusPending {
		s := "… collecting"
		if p := src.Progress; p != nil && p.Total > 0 {
			s = fmt.Sprintf("… %d/%d", p.Done, p.Total)
		}
		return st.Info.Render(s)
	}
	switch {
	case src.Stale:
		return st.Bad.Render("✗ failed, stale")
	case src.Status == model.StatusOK:
		return st.Good.Render("✓ ok")
	case src.Status == model.StatusPartial:
		return st.Warn.Render("! incomplete")
	case src.Status == model.StatusSkipped:
		return st.Muted.Render("– not configured")
	}
	return st.Bad.Render("✗ failed")
}

func sourceDetail(src model.Source, d *data, st *Styles) func(int) string {
	return func(width int) string {
		loc := d.team.Loc()
		t := detailText{st: *st}
		t.field("Source", src.Name)
		t.field("Status", sourceState(src, d.collecting[src.Name], *st))
		if src.Detail != "" {
			t.heading("Why, and what to do")
			t.line(src.Detail)
		}
		t.heading("Last collection")
		switch {
		case src.Stale:
			t.field("Data shown", "from "+stamp(src.At, loc)+" ("+ago(d.now, src.At)+" old): the latest refresh failed")
		case src.Succeeded():
			t.field("Collected", stamp(src.At, loc)+" ("+ago(d.now, src.At)+" ago)")
		case !src.At.IsZero():
			t.field("Tried", stamp(src.At, loc)+" ("+ago(d.now, src.At)+" ago)")
			t.field("Last success", "none since opsdrag started")
		}
		if src.Succeeded() || src.Stale {
			t.field("Items", model.Plural(src.Items, "item"))
		}
		if src.Duration > 0 {
			t.field("Took", src.Duration.Round(time.Millisecond).String())
		}
		if p := src.Progress; p != nil && d.collecting[src.Name] {
			t.field("Progress", fmt.Sprintf("%d of %d %s", p.Done, p.Total, p.Unit))
		}
		if u := src.Usage; u != nil {
			t.heading("API budget")
			t.field("Requests", usageRequests(*u))
			if u.RateLimit > 0 {
				rate := fmt.Sprintf("%d of %d left this hour", u.RateRemaining, u.RateLimit)
				if !u.RateReset.IsZero() {
					rate += ", resets " + u.RateReset.In(loc).Format("15:04 MST")
				}
				t.field("Rate limit", rate)
			}
			if u.Paced > 0 {
				t.field("Paced", u.Paced.Round(100*time.Millisecond).String()+" waiting to stay under the per-minute limits")
			}
		}
		t.heading("Feeds")
		t.line(feedWords(src.Name))
		return t.render(width)
	}
}

// usageRequests says how many requests a collection sent and how many the
// cache answered.
func usageRequests(u model.Usage) string {
	s := model.Plural(u.Requests, "request")
	if u.NotModified > 0 {
		s += fmt.Sprintf(" (%d answered 304 from the cache, free against the hourly limit)", u.NotModified)
	}
	return s
}

// feedWords names what a source feeds, e.g. "pipelines".
func feedWords(source string) string {
	var words []string
	for _, f := range model.SourceFeeds(source) {
		words = append(words, f.Title())
	}
	if len(words) == 0 {
		return "nothing opsdrag counts"
	}
	return strings.Join(words, ", ")
}

// shortDuration is a duration in one unit: "850ms", "12s", "3m".
func shortDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.0fs", d.Seconds())
	}
	return fmt.Sprintf("%.0fm", d.Minutes())
}
