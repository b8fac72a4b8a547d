package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/opsdrag/opsdrag/model"
)

// WritePlan renders the migration plan alone, for `opsdrag checklist`: as
// text, as markdown (to keep in a repository and review in a pull
// request) or as JSON, the contract "opsdrag/checklist@1" that `opsdrag
// checklist import` reads back. Like Write, it renders everything before
// writing anything.
func WritePlan(w io.Writer, f Format, in Input) error {
	return renderDoc(w, f, in, "checklist", renderers{text: writePlanText, markdown: writePlanMarkdown, json: writePlanJSON})
}

// planHours shows an item's drag as its coverage allows: "4.0 h/week",
// "≥ 4.0 h/week", "unknown".
func planHours(h float64, c model.Coverage) string {
	s := model.FormatBound(h, c, model.FormatHours)
	if c.Known() {
		s += " h/week"
	}
	return s
}

// itemLine is an item's figures in one line: drag, effort, payback, cost.
func (v view) itemLine(it model.PlanItem) string {
	parts := []string{"drag " + planHours(it.WeekHours, it.Coverage)}
	switch it.State {
	case model.ItemRetired:
		parts[0] = "retired " + planHours(it.WeekHours, it.Coverage) + " (when last seen " + v.clock(it.LastSeen) + ")"
	case model.ItemMissing:
		parts[0] = "not found in this refresh, which could not look everywhere; last seen " + v.clock(it.LastSeen)
	default:
		parts = append(parts, "effort "+effortText(it), "payback "+paybackText(it))
		if c := it.Cost; c != nil {
			cost := fmt.Sprintf("%s %s/month", c.Service, model.FormatMoney(c.Monthly, c.Currency))
			if c.SharedBy > 1 {
				cost += fmt.Sprintf(" (whole, shared by %d items)", c.SharedBy)
			}
			parts = append(parts, cost)
		}
	}
	return strings.Join(parts, " · ")
}

func effortText(it model.PlanItem) string {
	s := model.FormatNumber(it.EffortHours) + " h"
	if len(it.Effort) > 1 {
		var terms []string
		for _, e := range it.Effort {
			terms = append(terms, model.InfoFor(e.Kind).One+" "+model.FormatNumber(e.Hours))
		}
		s += " (" + strings.Join(terms, " + ") + ")"
	}
	return s
}

func paybackText(it model.PlanItem) string {
	p := model.FormatPayback(it)
	switch p {
	case "—":
		return "none (no drag tied to it)"
	case "unknown", "collecting…":
		return p
	}
	return p + " weeks"
}

func box(done bool) string {
	if done {
		return "[x]"
	}
	return "[ ]"
}

func linkText(l model.PlanLink) string {
	s := fmt.Sprintf("%s: %s h/week — %s", l.Subject, model.FormatHours(l.WeekHours), l.Via)
	if l.ByName {
		s += " (by name)"
	}
	if l.Shared > 1 {
		s += fmt.Sprintf(" (split between %d items)", l.Shared)
	}
	return s
}

// effortAssumption lists the effort per kind the plan used.
func (v view) effortAssumption() string {
	var parts []string
	for _, k := range model.PlanKinds() {
		parts = append(parts, fmt.Sprintf("%s %s", k, model.FormatNumber(v.plan.Effort.For(k))))
	}
	return "Effort per item, in hours (checklist.effort_hours): " + strings.Join(parts, ", ")
}

func writePlanText(buf *bytes.Buffer, v view) {
	v.planSectionText(textHeader(buf, v, "migration plan"), true)
}

// planSectionText writes the plan: its headline, then each item; whole
// adds every item's facts, steps, links and note.
func (v view) planSectionText(t *textWriter, whole bool) {
	p, s := v.plan, v.plan.Summary()
	t.list("MIGRATION PLAN", p.Inventory, planCounts(s), "No AWS component found.", len(p.Items), func() {
		t.wrapped("  ", s.Headline()+".")
		if share := s.RetiredShare(v.ledger); share != nil {
			t.wrapped("  ", fmt.Sprintf("Done so far: %s retired %s h/week, %s of the drag before they moved.",
				model.Plural(s.Retired, "item"), model.FormatHours(s.RetiredWeekHours), model.FormatPercent(*share)))
		}
		t.wrapped("  ", v.effortAssumption()+".")
		for i, it := range p.Items {
			if whole || i == 0 {
				t.blank()
			}
			state := box(it.State == model.ItemDone)
			if it.State == model.ItemRetired || it.State == model.ItemMissing {
				state = "(" + string(it.State) + ")"
			}
			t.wrapped("  ", fmt.Sprintf("%d. %s %s — %s", i+1, state, it.Title, it.Where()))
			t.wrapped("       ", v.itemLine(it))
			if !whole {
				continue
			}
			var facts []string
			for _, f := range it.Facts {
				facts = append(facts, f.Label+": "+f.Value)
			}
			if len(facts) > 0 {
				t.wrapped("       ", strings.Join(facts, " · "))
			}
			for _, st := range it.Steps {
				t.wrapped("       ", box(st.Done)+" "+st.Text)
			}
			for _, l := range it.Links {
				t.wrapped("       ", "tied: "+linkText(l))
			}
			if it.Note != "" {
				t.wrapped("       ", "note: "+it.Note)
			}
			t.line("       id: " + it.ID)
		}
	})
	if len(p.Gaps) > 0 {
		t.line("  Not listed:")
		for _, g := range p.Gaps {
			t.wrapped("    ", g)
		}
	}
	if p.Coverage.Known() && len(p.Items) > 0 {
		t.section(fmt.Sprintf("DRAG NOT TIED TO ANY COMPONENT (%s)", planHours(p.UnlinkedWeekHours, p.Coverage)))
		if len(p.Unlinked) == 0 {
			t.line("  None.")
		}
		for _, l := range p.Unlinked {
			t.wrapped("  ", fmt.Sprintf("%s: %s h/week (%s)", l.Subject, model.FormatHours(l.WeekHours), l.Category.Word()))
		}
	}
}

func planCounts(s model.PlanSummary) string {
	parts := []string{fmt.Sprintf("%d open", s.Open)}
	if s.Done > 0 {
		parts = append(parts, fmt.Sprintf("%d done", s.Done))
	}
	if s.Missing > 0 {
		parts = append(parts, fmt.Sprintf("%d missing", s.Missing))
	}
	if s.Retired > 0 {
		parts = append(parts, fmt.Sprintf("%d retired", s.Retired))
	}
	return strings.Join(parts, ", ")
}

func writePlanMarkdown(buf *bytes.Buffer, v view) {
	m := &mdWriter{buf: buf}
	if v.in.Snapshot.Demo {
		m.para("> **Demo data** — built-in sample data for a fictitious team, not your accounts.")
	}
	m.para("# Migration plan")
	m.para(esc(v.windowText()) + "  \nGenerated " + esc(v.clock(v.generated)) +
		"  \nImport marks and notes back with `opsdrag checklist import` from the JSON export (`--format json`).")
	if note := fromHistoryNote(v.in.FromHistory, v.generated, v.clock); note != "" {
		m.para("**" + esc(note) + "**")
	}
	v.planSectionMarkdown(m, true)
}

// planSectionMarkdown writes the plan; whole gives each item its own
// section with its steps, a report a table of the items.
func (v view) planSectionMarkdown(m *mdWriter, whole bool) {
	p, s := v.plan, v.plan.Summary()
	m.list("## Migration plan", p.Inventory, planCounts(s), "No AWS component found.", len(p.Items), func() {
		lines := []string{"**" + esc(s.Headline()) + ".**"}
		if share := s.RetiredShare(v.ledger); share != nil {
			lines = append(lines, esc(fmt.Sprintf("Done so far: %s retired %s h/week, %s of the drag before they moved.",
				model.Plural(s.Retired, "item"), model.FormatHours(s.RetiredWeekHours), model.FormatPercent(*share))))
		}
		lines = append(lines, esc(v.effortAssumption())+".")
		m.para(strings.Join(lines, "  \n"))
		if !whole {
			var rows [][]string
			for i, it := range p.Items {
				rows = append(rows, []string{fmt.Sprint(i + 1), esc(it.Title), esc(it.Where()), esc(stateWord(it)),
					esc(planHours(it.WeekHours, it.Coverage)), esc(effortText(it)), esc(paybackText(it))})
			}
			m.table([]string{"#", "Item", "Where", "State", "Drag", "Effort", "Payback"}, "r-----r", rows)
			return
		}
		for i, it := range p.Items {
			var b []string
			b = append(b, fmt.Sprintf("### %d. %s", i+1, esc(it.Title)))
			b = append(b, "", esc(it.Where())+" · "+esc(stateWord(it))+" · "+esc(it.ID)+"  ", esc(v.itemLine(it)))
			if len(it.Facts) > 0 {
				var facts []string
				for _, f := range it.Facts {
					facts = append(facts, esc(f.Label)+": "+esc(f.Value))
				}
				b = append(b, "", strings.Join(facts, " · "))
			}
			if len(it.Steps) > 0 {
				b = append(b, "")
				for _, st := range it.Steps {
					b = append(b, "- "+box(st.Done)+" "+esc(st.Text))
				}
			}
			if len(it.Links) > 0 {
				b = append(b, "", "Drag tied to it:", "")
				for _, l := range it.Links {
					b = append(b, "- "+esc(linkText(l)))
				}
			}
			if it.Note != "" {
				b = append(b, "", "> "+esc(it.Note))
			}
			m.para(strings.Join(b, "\n"))
		}
	})
	if len(p.Gaps) > 0 {
		var gaps []string
		for _, g := range p.Gaps {
			gaps = append(gaps, "- "+esc(g))
		}
		m.para("Not listed:\n\n" + strings.Join(gaps, "\n"))
	}
	if p.Coverage.Known() && len(p.Items) > 0 {
		var rows []string
		for _, l := range p.Unlinked {
			rows = append(rows, "- "+esc(fmt.Sprintf("%s: %s h/week (%s)", l.Subject, model.FormatHours(l.WeekHours), l.Category.Word())))
		}
		if len(rows) == 0 {
			rows = []string{"None."}
		}
		m.para(fmt.Sprintf("**Drag not tied to any component: %s**\n\n%s", esc(planHours(p.UnlinkedWeekHours, p.Coverage)), strings.Join(rows, "\n")))
	}
}

func stateWord(it model.PlanItem) string {
	if it.State == model.ItemOpen && it.StepsDone() > 0 {
		return fmt.Sprintf("%d of %d steps done", it.StepsDone(), len(it.Steps))
	}
	return string(it.State)
}

// sortedKinds lists the kinds of an effort map in plan order.
func sortedKinds(e model.EffortHours) []model.Kind {
	kinds := model.PlanKinds()
	for k := range e {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	return kinds
}
