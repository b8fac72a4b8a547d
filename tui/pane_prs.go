package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/opsdrag/opsdrag/model"
)

type prsPane struct{}

func (prsPane) name() string { return "Infra PRs" }

func (prsPane) can() features { return features{sort: true} }

func (prsPane) columns() []column {
	return []column{
		{title: "STATE", min: 6, priority: 10},
		{title: "PR", min: 12, priority: 9},
		{title: "TITLE", min: 16, priority: 8},
		{title: "AUTHOR", min: 8, priority: 4, optional: true},
		{title: "AGE", min: 4, right: true, priority: 7},
		{title: "WHY INFRA", min: 10, want: 24, priority: 3, optional: true},
	}
}

func (prsPane) intro(d data, st Styles, width int) string {
	if len(d.prs) == 0 {
		return ""
	}
	return ansi.Wrap(coverageNote(d, st, model.FeedPullRequests), width, " ")
}

func (prsPane) empty(d data) string {
	return emptyText(d, "No open infra PR and none merged in the window. ✓", model.FeedPullRequests)
}

func (prsPane) count(d data) int { return len(d.prs) }

func (prsPane) rows(d data, st Styles) []row {
	rows := make([]row, 0, len(d.prs))
	short := compactor()
	for i := range d.prs {
		p := &d.prs[i] // the detail view keeps a pointer, not a copy
		state, stateTone, age := "open", toneInfo, ago(d.now, p.CreatedAt)
		if p.Draft {
			state, stateTone = "draft", toneMuted
		}
		if p.State == model.PRMerged {
			state, stateTone, age = "merged", toneGood, agoPtr(d.now, p.MergedAt)
		}
		num := "#" + strconv.Itoa(p.Number)
		id := p.Repo + num
		rows = append(rows, row{
			key:     id,
			name:    id,
			compact: []string{1: short(p.Repo) + num},
			title:   id,
			url:     p.URL,
			cells:   []string{state, id, p.Title, p.Author, age, why(*p)},
			order:   []string{0: prRank(*p)},
			tones:   []tone{0: stateTone},
			detail:  prDetail(p, &d, &st),
		})
	}
	return rows
}

// prRank ranks a PR's state for sorting: open, then draft, then merged.
func prRank(p model.PullRequest) string {
	switch {
	case p.State == model.PRMerged:
		return "0"
	case p.Draft:
		return "1"
	}
	return "2"
}

// why summarises what made a PR infra work.
func why(p model.PullRequest) string {
	var parts []string
	if len(p.Labels) > 0 {
		parts = append(parts, "label "+p.Labels[0])
	}
	if len(p.Paths) > 0 {
		s := p.Paths[0]
		if len(p.Paths) > 1 {
			s += fmt.Sprintf(" +%d", len(p.Paths)-1)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func prDetail(p *model.PullRequest, d *data, st *Styles) func(int) string {
	return func(width int) string {
		loc := d.team.Loc()
		t := detailText{st: *st}
		t.field("Pull request", fmt.Sprintf("%s#%d", p.Repo, p.Number))
		t.field("Title", p.Title)
		t.field("Author", p.Author)
		state := string(p.State)
		if p.Draft {
			state += " (draft)"
		}
		t.field("State", state)
		t.field("Opened", stamp(p.CreatedAt, loc)+" ("+ago(d.now, p.CreatedAt)+" ago)")
		if p.MergedAt != nil {
			t.field("Merged", stamp(*p.MergedAt, loc))
			t.field("Drag", fmt.Sprintf("%s h (authoring and review of a merged infra PR)", model.FormatNumber(d.ledger().Assumptions.InfraPRHours)))
		}
		if len(p.Labels) > 0 {
			t.field("Infra labels", strings.Join(p.Labels, ", "))
		}
		if len(p.Paths) > 0 {
			t.heading("Changed infra files")
			for _, path := range p.Paths {
				t.line("  " + path)
			}
		}
		t.blank()
		t.url("Link", p.URL)
		return t.render(width)
	}
}
