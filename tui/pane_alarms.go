package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/opsdrag/opsdrag/model"
)

type alarmsPane struct{}

func (alarmsPane) name() string { return "Alarms" }

func (alarmsPane) can() features { return features{sort: true, broken: true} }

func (alarmsPane) columns() []column {
	return []column{
		{title: "STATE", min: 7, priority: 10},
		{title: "ALARM", min: 16, priority: 9},
		{title: "WHERE", min: 10, priority: 9},
		{title: "SINCE", min: 5, right: true, priority: 8},
		{title: "PAGES", min: 5, right: true, priority: 7},
		{title: "OFF-HOURS", min: 9, right: true, priority: 4, optional: true},
		{title: "NIGHT", min: 5, right: true, priority: 6},
		{title: "NOTE", min: 8, priority: 5},
	}
}

func (alarmsPane) intro(d data, st Styles, width int) string {
	if len(d.alarms) == 0 {
		return ""
	}
	return ansi.Wrap(coverageNote(d, st, model.FeedAlarms), width, " ")
}

func (alarmsPane) empty(d data) string {
	return emptyText(d, "No alarm fired in the window. ✓", model.FeedAlarms)
}

func (alarmsPane) count(d data) int { return len(d.alarms) }

func (alarmsPane) rows(d data, st Styles) []row {
	rows := make([]row, 0, len(d.alarms))
	short := compactor()
	for i := range d.alarms {
		a := &d.alarms[i] // the detail view keeps a pointer, not a copy
		c := model.CountPages(*a, d.team.Loc())
		state, stateTone := "✓ OK", toneGood
		switch a.State {
		case model.StateAlarm:
			state, stateTone = "● ALARM", toneBad
		case model.StateInsufficientData:
			state, stateTone = "? DATA", toneWarn
		case "":
			// Known only from opsdrag's history: every alarm firing now
			// is listed, so this one is not firing.
			state, stateTone = "– quiet", toneMuted
		}
		pages, off, sleep := strconv.Itoa(c.Total), strconv.Itoa(c.OffHours), strconv.Itoa(c.Sleep)
		if !a.HistoryKnown {
			pages, off, sleep = pages+"?", off+"?", sleep+"?"
		}
		note := ""
		if model.Flapping(*a) {
			note = "flapping"
		} else if c.Sleep > 0 {
			note = "woke someone"
		}
		where := strings.TrimSpace(a.Account + " " + a.Region)
		rows = append(rows, row{
			key:     a.Account + "|" + a.Region + "|" + a.Name,
			title:   a.Name,
			url:     a.URL,
			broken:  a.State == model.StateAlarm,
			cells:   []string{state, a.Name, where, agoPtr(d.now, a.Since), pages, off, sleep, note},
			order:   []string{0: alarmSeverity(a.State)},
			tones:   []tone{0: stateTone, 7: toneWarn},
			compact: []string{2: short(where)},
			detail:  alarmDetail(a, c, &d, &st),
		})
	}
	return rows
}

// alarmSeverity ranks a state for sorting, worst highest.
func alarmSeverity(s model.AlarmState) string {
	switch s {
	case model.StateAlarm:
		return "3"
	case model.StateInsufficientData:
		return "2"
	case "":
		return "0"
	}
	return "1"
}

func alarmDetail(a *model.Alarm, c model.PageCounts, d *data, st *Styles) func(int) string {
	return func(width int) string {
		loc := d.team.Loc()
		t := detailText{st: *st}
		t.field("Alarm", a.Name)
		t.field("Where", a.Account+" "+a.Region)
		if a.State == "" {
			t.field("State", "not firing now (the latest collection lists every alarm in ALARM, and not this one); its pages come from opsdrag's history")
		} else {
			t.field("State", string(a.State)+" since "+stampPtr(a.Since, loc))
		}
		if a.Reason != "" {
			t.field("Reason", a.Reason)
		}
		t.heading("Transitions into ALARM in the window (" + loc.String() + ")")
		if !a.HistoryKnown {
			t.line(st.Warn.Render("The alarm history could not be read; only the current state is known."))
		}
		if len(a.Transitions) == 0 {
			t.line("none")
		}
		for _, at := range a.Transitions {
			bucket := model.ClassifyHour(at, loc)
			label := bucket.String()
			if bucket == model.SleepHours {
				label = st.Bad.Render(label)
			} else if bucket == model.OffHours {
				label = st.Warn.Render(label)
			}
			t.line("  " + stamp(at, loc) + "  " + label)
		}
		t.blank()
		t.field("Pages", strconv.Itoa(c.Total)+" ("+strconv.Itoa(c.Business)+" business, "+
			strconv.Itoa(c.OffHours)+" off-hours, "+strconv.Itoa(c.Sleep)+" sleep hours)")
		if model.Flapping(*a) {
			t.field("Flapping", "yes: "+strconv.Itoa(len(a.Transitions))+" transitions in the window")
		}
		t.blank()
		t.url("Link", a.URL)
		return t.render(width)
	}
}
