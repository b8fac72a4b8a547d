package report

import (
	"bytes"
	"encoding/json"

	"github.com/opsdrag/opsdrag/model"
)

// PlanSchema names the JSON contract of the plan export, which `opsdrag
// checklist import` reads back. Like Schema, a change that could break a
// script or an import needs a new version; adding a field does not.
const PlanSchema = "opsdrag/checklist@1"

// The types below are the checklist contract, documented field by field
// in docs/checklist.md. Pointers are values that may be unknown (null);
// slices are always arrays.

type jsonPlanFile struct {
	Schema      string `json:"schema"`
	GeneratedAt string `json:"generated_at"`
	// FromHistory was added within checklist@1: when the collection shown
	// was saved, present only when the plan was made from the history.
	FromHistory *string            `json:"from_history,omitempty"`
	Demo        bool               `json:"demo"`
	Window      jsonWindow         `json:"window"`
	Summary     jsonPlanSummary    `json:"summary"`
	EffortHours map[string]float64 `json:"effort_hours"`
	Items       []jsonPlanItem     `json:"items"`
	Unlinked    []jsonPlanLink     `json:"unlinked"`
	Gaps        []string           `json:"gaps"`
}

// jsonPlanSummary is the plan's headline, in the checklist export and in
// the report's "plan".
type jsonPlanSummary struct {
	Headline             string       `json:"headline"`
	Moves                int          `json:"moves"`
	RetiresHoursPerWeek  *float64     `json:"retires_hours_per_week"`
	EffortHours          float64      `json:"effort_hours"`
	PaybackWeeks         *float64     `json:"payback_weeks"`
	Coverage             jsonCoverage `json:"coverage"`
	Inventory            jsonCoverage `json:"inventory"`
	Open                 int          `json:"open"`
	Done                 int          `json:"done"`
	Missing              int          `json:"missing"`
	Retired              int          `json:"retired"`
	RetiredHoursPerWeek  float64      `json:"retired_hours_per_week"`
	RetiredShare         *float64     `json:"retired_share"`
	UnlinkedHoursPerWeek *float64     `json:"unlinked_hours_per_week"`
}

type jsonPlanItem struct {
	ID                string           `json:"id"`
	Kind              string           `json:"kind"`
	Component         string           `json:"component"`
	Account           string           `json:"account"`
	Region            string           `json:"region"`
	Resource          string           `json:"resource"`
	Title             string           `json:"title"`
	State             string           `json:"state"`
	Done              bool             `json:"done"`
	Facts             []jsonFact       `json:"facts"`
	Members           []string         `json:"members"`
	Steps             []jsonPlanStep   `json:"steps"`
	EffortHours       float64          `json:"effort_hours"`
	Effort            []jsonEffortPart `json:"effort"`
	HoursPerWeek      *float64         `json:"hours_per_week"`
	HoursCompleteness string           `json:"hours_completeness"`
	PaybackWeeks      *float64         `json:"payback_weeks"`
	Links             []jsonPlanLink   `json:"links"`
	Alarms            []string         `json:"alarms"`
	Cost              *jsonServiceCost `json:"cost"`
	Note              string           `json:"note"`
	LastSeen          *string          `json:"last_seen"`
}

type jsonFact struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

type jsonPlanStep struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Done bool   `json:"done"`
}

type jsonEffortPart struct {
	Kind  string  `json:"kind"`
	Hours float64 `json:"hours"`
}

type jsonPlanLink struct {
	Category     string  `json:"category"`
	Subject      string  `json:"subject"`
	Formula      string  `json:"formula"`
	HoursPerWeek float64 `json:"hours_per_week"`
	Via          *string `json:"via"`
	ByName       bool    `json:"by_name"`
	Shared       int     `json:"shared"`
}

type jsonServiceCost struct {
	Service  string  `json:"service"`
	Monthly  float64 `json:"monthly"`
	Currency string  `json:"currency"`
	SharedBy int     `json:"shared_by"`
}

// jsonPlanBrief is an item as the report carries it: its drag and payback.
type jsonPlanBrief struct {
	ID                string   `json:"id"`
	Title             string   `json:"title"`
	State             string   `json:"state"`
	HoursPerWeek      *float64 `json:"hours_per_week"`
	HoursCompleteness string   `json:"hours_completeness"`
	EffortHours       float64  `json:"effort_hours"`
	PaybackWeeks      *float64 `json:"payback_weeks"`
}

// jsonReportPlan is the report's "plan": the summary and each item's drag
// and payback (the whole plan is `opsdrag checklist --format json`).
type jsonReportPlan struct {
	Summary jsonPlanSummary `json:"summary"`
	Items   []jsonPlanBrief `json:"items"`
}

func writePlanJSON(buf *bytes.Buffer, v view) error {
	enc := json.NewEncoder(buf)
	enc.SetIndent("", "  ")
	return enc.Encode(toPlanJSON(v))
}

func toPlanJSON(v view) jsonPlanFile {
	p := v.plan
	f := jsonPlanFile{
		Schema: PlanSchema, GeneratedAt: stamp(v.generated), FromHistory: optStamp(&v.in.FromHistory), Demo: v.in.Snapshot.Demo,
		Window:  jsonWindow{Since: stamp(v.window.Since), Until: stamp(v.window.Until)},
		Summary: v.planSummaryJSON(), EffortHours: map[string]float64{},
		Items: make([]jsonPlanItem, 0, len(p.Items)), Unlinked: make([]jsonPlanLink, 0, len(p.Unlinked)), Gaps: nonNil(p.Gaps),
	}
	for _, k := range sortedKinds(p.Effort) {
		f.EffortHours[string(k)] = p.Effort.For(k)
	}
	for _, it := range p.Items {
		ji := jsonPlanItem{
			ID: it.ID, Kind: string(it.Kind), Component: it.Component, Account: it.Account, Region: it.Region,
			Resource: it.Resource, Title: it.Title, State: string(it.State), Done: v.markedDone(it.ID),
			Facts: []jsonFact{}, Members: nonNil(it.Members), Steps: []jsonPlanStep{},
			EffortHours: it.EffortHours, Effort: []jsonEffortPart{},
			HoursPerWeek: hoursJSON(it), HoursCompleteness: string(it.Coverage.Completeness), PaybackWeeks: paybackJSON(it),
			Links: []jsonPlanLink{}, Alarms: nonNil(it.Alarms), Note: it.Note, LastSeen: optStamp(&it.LastSeen),
		}
		for _, fa := range it.Facts {
			ji.Facts = append(ji.Facts, jsonFact(fa))
		}
		for _, s := range it.Steps {
			ji.Steps = append(ji.Steps, jsonPlanStep{ID: s.ID, Text: s.Text, Done: s.Done})
		}
		for _, e := range it.Effort {
			ji.Effort = append(ji.Effort, jsonEffortPart{Kind: string(e.Kind), Hours: e.Hours})
		}
		for _, l := range it.Links {
			ji.Links = append(ji.Links, linkJSON(l))
		}
		if c := it.Cost; c != nil {
			ji.Cost = &jsonServiceCost{Service: c.Service, Monthly: c.Monthly, Currency: c.Currency, SharedBy: c.SharedBy}
		}
		f.Items = append(f.Items, ji)
	}
	for _, l := range p.Unlinked {
		f.Unlinked = append(f.Unlinked, linkJSON(l))
	}
	return f
}

// markedDone reports whether the item itself is marked done (not only all
// its steps): what an import restores.
func (v view) markedDone(id string) bool { return v.in.PlanState.Marks[id].Done }

func linkJSON(l model.PlanLink) jsonPlanLink {
	return jsonPlanLink{Category: string(l.Category), Subject: l.Subject, Formula: l.Formula,
		HoursPerWeek: l.WeekHours, Via: optString(l.Via), ByName: l.ByName, Shared: l.Shared}
}

func hoursJSON(it model.PlanItem) *float64 {
	if !it.Coverage.Known() {
		return nil
	}
	h := it.WeekHours
	return &h
}

func paybackJSON(it model.PlanItem) *float64 {
	w, ok := it.Payback()
	if !ok {
		return nil
	}
	return &w
}

func (v view) planSummaryJSON() jsonPlanSummary {
	p, s := v.plan, v.plan.Summary()
	js := jsonPlanSummary{
		Headline: s.Headline(), Moves: s.Moves, EffortHours: s.EffortHours, PaybackWeeks: s.PaybackWeeks,
		Coverage:  coverageJSON(p.Coverage.Completeness, sourceReasons(p.Coverage)),
		Inventory: coverageJSON(p.Inventory.Completeness, sourceReasons(p.Inventory)),
		Open:      s.Open, Done: s.Done, Missing: s.Missing, Retired: s.Retired,
		RetiredHoursPerWeek: s.RetiredWeekHours, RetiredShare: s.RetiredShare(v.ledger),
	}
	if p.Coverage.Known() {
		r, u := s.RetiresWeekHours, p.UnlinkedWeekHours
		js.RetiresHoursPerWeek, js.UnlinkedHoursPerWeek = &r, &u
	}
	return js
}

func toReportPlanJSON(v view) jsonReportPlan {
	r := jsonReportPlan{Summary: v.planSummaryJSON(), Items: make([]jsonPlanBrief, 0, len(v.plan.Items))}
	for _, it := range v.plan.Items {
		r.Items = append(r.Items, jsonPlanBrief{ID: it.ID, Title: it.Title, State: string(it.State),
			HoursPerWeek: hoursJSON(it), HoursCompleteness: string(it.Coverage.Completeness),
			EffortHours: it.EffortHours, PaybackWeeks: paybackJSON(it)})
	}
	return r
}
