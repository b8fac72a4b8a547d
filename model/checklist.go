package model

import (
	"cmp"
	"fmt"
	"slices"
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
	// Kind order, whatever order the inventory came in; kinds opsdrag does
	// not describe go last, by name.
	rank := map[Kind]int{}
	for i, info := range Kinds() {
		rank[info.Kind] = i
	}
	slices.SortStableFunc(order, func(a, b Kind) int {
		ra, aok := rank[a]
		rb, bok := rank[b]
		if !aok {
			ra = len(rank)
		}
		if !bok {
			rb = len(rank)
		}
		return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(a, b))
	})
	var items []ChecklistItem
	for _, k := range order {
		info := InfoFor(k)
		item := ChecklistItem{ID: string(k), Component: info.Component, Kind: k}
		unknown := false
		for _, g := range byKind[k] {
			item.Evidence = append(item.Evidence, evidenceLine(g, info))
			if g.Unknown {
				unknown = true
				continue
			}
			item.Count += g.Count
		}
		count := info.Count(item.Count)
		switch {
		case unknown && item.Count == 0:
			count = "unknown number of " + info.Noun
		case unknown:
			count = "at least " + count
		}
		item.Title = fmt.Sprintf("%s (%s in %s)", info.Action, count, placesText(byKind[k]))
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
	line := where + ": " + info.Count(g.Count)
	if len(g.Names) > 0 {
		names := g.Names
		if len(names) > maxEvidenceNames {
			names = names[:maxEvidenceNames]
		}
		// Names may be fewer than Count when the collector truncated them.
		more := ""
		if rest := max(g.Count, len(g.Names)) - len(names); rest > 0 {
			more = fmt.Sprintf(", +%d more", rest)
		}
		line += " (" + strings.Join(names, ", ") + more + ")"
	}
	if g.Note != "" {
		line += " — " + g.Note
	}
	return line
}

// placesText says where a kind runs: "2 regions", "1 account" for global
// services such as IAM, or "3 regions of 2 accounts".
func placesText(groups []ResourceGroup) string {
	accounts, regions := map[string]bool{}, map[string]bool{}
	for _, g := range groups {
		accounts[g.Account] = true
		if g.Region != "" && g.Region != "global" {
			regions[g.Account+"/"+g.Region] = true
		}
	}
	switch {
	case len(regions) == 0:
		return Plural(len(accounts), "account")
	case len(accounts) <= 1:
		return Plural(len(regions), "region")
	}
	return Plural(len(regions), "region") + " of " + Plural(len(accounts), "account")
}
