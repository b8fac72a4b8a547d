package tui

import (
	"fmt"
	"strconv"

	"github.com/charmbracelet/x/ansi"

	"github.com/opsdrag/opsdrag/model"
)

type pipelinesPane struct{}

func (pipelinesPane) name() string { return "Pipelines" }

func (pipelinesPane) can() features { return features{sort: true, broken: true} }

func (pipelinesPane) columns() []column {
	return []column{
		{title: "STATUS", min: 9, priority: 10},
		{title: "WHERE", min: 10, priority: 9},
		{title: "PIPELINE", min: 10, priority: 9},
		{title: "BRANCH", min: 6, want: 16, priority: 3, optional: true},
		{title: "FAILS", min: 5, right: true, priority: 7},
		{title: "RERUNS", min: 6, right: true, priority: 4},
		{title: "RED FOR", min: 7, right: true, priority: 6},
		{title: "LAST FAIL", min: 9, right: true, priority: 5},
		{title: "ON", min: 6, priority: 2, optional: true},
	}
}

func (pipelinesPane) intro(d data, st Styles, width int) string {
	if len(d.pipelines) == 0 {
		return ""
	}
	return ansi.Wrap(coverageNote(d, st, model.FeedPipelines), width, " ")
}

func (pipelinesPane) empty(d data) string {
	return emptyText(d, "No pipeline failed in the window. ✓", model.FeedPipelines)
}

func (pipelinesPane) count(d data) int { return len(d.pipelines) }

func (pipelinesPane) rows(d data, st Styles) []row {
	rows := make([]row, 0, len(d.pipelines))
	short := compactor()
	for i := range d.pipelines {
		p := &d.pipelines[i] // the detail view keeps a pointer, not a copy
		status, statusTone := "✓ green", toneGood
		if p.Failing {
			status, statusTone = "✗ failing", toneBad
		}
		via := "GitHub"
		if p.Provider == model.CodePipeline {
			via = "AWS"
		}
		branch := p.Branch
		if branch == "" {
			branch = "—"
		}
		rows = append(rows, row{
			key:     string(p.Provider) + "|" + p.Scope + "|" + p.Name + "|" + p.Branch,
			title:   p.Scope + " · " + p.Name,
			name:    p.Scope + " " + p.Name,
			url:     p.URL,
			broken:  p.Failing,
			compact: []string{1: short(p.Scope)},
			order:   []string{0: pipelineSeverity(p)},
			tones:   []tone{0: statusTone},
			cells: []string{status, p.Scope, p.Name, branch, strconv.Itoa(p.Failures), strconv.Itoa(p.Reruns),
				strconv.FormatFloat(p.RedHours, 'f', 1, 64) + " h", agoPtr(d.now, p.LastFailureAt), via},
			detail: pipelineDetail(p, &d, &st),
		})
	}
	return rows
}

// pipelineSeverity ranks a pipeline for sorting: failing above green.
func pipelineSeverity(p *model.Pipeline) string {
	if p.Failing {
		return "1"
	}
	return "0"
}

func pipelineDetail(p *model.Pipeline, d *data, st *Styles) func(int) string {
	return func(width int) string {
		loc := d.team.Loc()
		t := detailText{st: *st}
		state := st.Good.Render("green: the latest completed run succeeded")
		if p.Failing {
			state = st.Bad.Render("failing since " + stampPtr(p.FailingSince, loc))
		}
		t.field("Pipeline", p.Name)
		t.field("Where", p.Scope)
		t.field("Provider", string(p.Provider))
		if p.Branch != "" {
			t.field("Branch", p.Branch)
		}
		t.field("State", state)
		t.heading("In the window (" + d.snap.Window.String() + ")")
		t.field("Failed runs", strconv.Itoa(p.Failures))
		t.field("Re-run attempts", strconv.Itoa(p.Reruns))
		t.field("Red time", fmt.Sprintf("%.1f h (from each failure to the next success, clipped to the window)", p.RedHours))
		t.field("Last failure", stampPtr(p.LastFailureAt, loc))
		a := d.ledger().Assumptions
		t.field("Drag", fmt.Sprintf("%d × %s min + %d × %s min = %.0f min",
			p.Failures, model.FormatNumber(a.PipelineFailureMinutes), p.Reruns, model.FormatNumber(a.PipelineRerunMinutes),
			float64(p.Failures)*a.PipelineFailureMinutes+float64(p.Reruns)*a.PipelineRerunMinutes))
		t.blank()
		t.url("Link", p.URL)
		return t.render(width)
	}
}
