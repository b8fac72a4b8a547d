package model

import (
	"fmt"
	"strings"
)

// ChecklistItem is one step of the migration checklist, backed by evidence
// from what the team actually runs.
type ChecklistItem struct {
	ID        string
	Title     string
	Component string
	Kind      Kind
	// Count is how many resources were found (known groups only).
	Count int
	// Evidence says what exists where, one line per account and region.
	Evidence []string
	Done     bool
}

// maxEvidenceNames caps the names listed per evidence line.
const maxEvidenceNames = 5

// BuildChecklist returns one item per component kind found in the
// inventory, in kind order. A kind the account does not run yields no item;
// a kind that could not be listed yields an item whose evidence says so.
func BuildChecklist(inv []ResourceGroup) []ChecklistItem {
	byKind := map[Kind][]ResourceGroup{}
	var order []Kind
	for _, g := range inv {
		if !g.Unknown && g.Count == 0 {
			continue
		}
		if _, seen := byKind[g.Kind]; !seen {
			order = append(order, g.Kind)
		}
		byKind[g.Kind] = append(byKind[g.Kind], g)
	}
	var items []ChecklistItem
	for _, k := range order {
		info := InfoFor(k)
		item := ChecklistItem{ID: string(k), Component: info.Component, Kind: k}
		places := map[string]bool{}
		unknown := false
		for _, g := range byKind[k] {
			places[g.Account+"/"+g.Region] = true
			item.Evidence = append(item.Evidence, evidenceLine(g, info))
			if g.Unknown {
				unknown = true
				continue
			}
			item.Count += g.Count
		}
		count := fmt.Sprintf("%d %s", item.Count, info.Noun)
		if unknown {
			count = "at least " + count
		}
		item.Title = fmt.Sprintf("%s (%s in %s)", info.Action, count, plural(len(places), "place"))
		items = append(items, item)
	}
	return items
}

func evidenceLine(g ResourceGroup, info KindInfo) string {
	where := strings.Trim(g.Account+" "+g.Region, " ")
	if g.Unknown {
		note := g.Note
		if note == "" {
			note = "could not be listed"
		}
		return fmt.Sprintf("%s: %s unknown — %s", where, info.Noun, note)
	}
	line := fmt.Sprintf("%s: %d %s", where, g.Count, info.Noun)
	if len(g.Names) > 0 {
		names := g.Names
		more := ""
		if len(names) > maxEvidenceNames {
			more = fmt.Sprintf(", +%d more", g.Count-maxEvidenceNames)
			names = names[:maxEvidenceNames]
		}
		line += " (" + strings.Join(names, ", ") + more + ")"
	}
	if g.Note != "" {
		line += " — " + g.Note
	}
	return line
}
