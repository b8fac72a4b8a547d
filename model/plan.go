package model

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Plan is the migration plan: one item per component the team runs (a
// database, a cache, an ECS service with its load balancer, a pipeline, the
// queues of a region…), each with the steps a move to a managed application
// platform takes, its effort, the weekly drag tied to it and so its
// payback, in payback order. It is derived afresh from every snapshot;
// marks, notes and what was seen before come in as PlanState.
type Plan struct {
	// Items are in payback order: open items with drag, quickest payback
	// first; then open items with no drag tied to them, least effort
	// first; then done, missing and retired ones.
	Items []PlanItem
	// Unlinked is the drag no component could be tied to, signal by
	// signal: it is shown as such, never spread over the items.
	Unlinked []PlanLink
	// UnlinkedWeekHours sums Unlinked.
	UnlinkedWeekHours float64
	// Coverage is how complete the items' hours are: the drag's sources
	// and the inventory's.
	Coverage Coverage
	// Inventory is how complete the list of items is.
	Inventory Coverage
	// Gaps are the inventory's own words for what it could not list, e.g.
	// "111 eu-west-1: RDS instances unknown — permission denied for
	// rds:DescribeDBInstances".
	Gaps []string
	// WeekScale turns window hours into hours per week.
	WeekScale float64
	// Effort are the estimates used, per kind.
	Effort EffortHours
}

// ItemState is where a plan item stands.
type ItemState string

// Plan item states.
const (
	// ItemOpen: the component runs and is not marked done.
	ItemOpen ItemState = "open"
	// ItemDone: marked done (the item, or every step of it).
	ItemDone ItemState = "done"
	// ItemMissing: seen before, not found now, but the inventory could
	// not look everywhere: it may still run.
	ItemMissing ItemState = "missing"
	// ItemRetired: seen before and gone from a complete inventory: the
	// move retired it, with the drag it had when last seen.
	ItemRetired ItemState = "retired"
)

// PlanItem is one component to move.
type PlanItem struct {
	// ID is stable across refreshes: kind/account/region/resource, with
	// "*" as the resource of an item that moves a kind's whole place.
	ID        string
	Kind      Kind
	Component string
	Account   string
	Region    string
	// Resource is the main resource's id, "*" for a whole place.
	Resource string
	Title    string
	Facts    []Fact
	// Members are what the item moves besides its main resource: the
	// load balancer and pipeline of an ECS service.
	Members []string
	Steps   []PlanStep
	// Effort breaks EffortHours down by kind (an ECS service with its
	// load balancer and pipeline adds the three).
	Effort      []EffortPart
	EffortHours float64
	// Links are the drag signals tied to the item.
	Links []PlanLink
	// Alarms are the names of every alarm watching the item, firing or
	// not: the platform alerts to re-create.
	Alarms []string
	// WeekHours is the drag per week of the linked signals (for a retired
	// item: when it was last seen); read it with Coverage.
	WeekHours float64
	Coverage  Coverage
	// Cost is the item's service on the AWS invoice; nil when Cost
	// Explorer did not give it.
	Cost  *ServiceCost
	State ItemState
	Note  string
	// DoneBy is who marked the whole item done, NoteBy who wrote its note.
	DoneBy, NoteBy Mark
	// LastSeen is when a missing or retired item was last found.
	LastSeen time.Time
}

// Fact is one thing known about a component, for people.
type Fact struct {
	Label string
	Value string
}

// PlanStep is one step of a move.
type PlanStep struct {
	// ID is stable for the kind: "provision", "data-move", "retire"…
	ID   string
	Text string
	Done bool
	// By is who marked it done, when recorded.
	By Mark
}

// EffortPart is one kind's share of an item's effort.
type EffortPart struct {
	Kind  Kind
	Hours float64
}

// PlanLink ties one drag signal to an item.
type PlanLink struct {
	Category Category
	// Subject and Formula are the ledger line's.
	Subject string
	Formula string
	// WeekHours is the item's share of the signal's hours per week.
	WeekHours float64
	// Via says what ties them: "alarm dimension DBInstanceIdentifier =
	// orders-db", "deploy action ClusterName/ServiceName", "title names
	// orders-db".
	Via string
	// ByName is true when the link rests on a name appearing in text,
	// not on an API fact.
	ByName bool
	// Shared counts the items the signal is split between (1: this one).
	Shared int
}

// ServiceCost is what the AWS service an item runs on cost last month in
// its account. Several items may share it; it is never split between them.
type ServiceCost struct {
	Service  string
	Monthly  float64
	Currency string
	// SharedBy counts the plan items billed under the same service in
	// the same account.
	SharedBy int
}

// Open reports whether the item is still to do.
func (it PlanItem) Open() bool { return it.State == ItemOpen }

// Payback is how many weeks of the drag the move retires pay for its
// effort; ok is false when no drag is tied to it or the drag is unknown.
// A lower-bound drag makes the payback an upper bound.
func (it PlanItem) Payback() (weeks float64, ok bool) {
	if !it.Coverage.Known() || it.WeekHours <= 0 {
		return 0, false
	}
	return it.EffortHours / it.WeekHours, true
}

// Where is the item's account and region.
func (it PlanItem) Where() string { return strings.TrimSpace(it.Account + " " + it.Region) }

// StepsDone counts the item's steps marked done.
func (it PlanItem) StepsDone() int {
	n := 0
	for _, s := range it.Steps {
		if s.Done {
			n++
		}
	}
	return n
}

// PlanItemID is the stable id of the item of kind k for resource in an
// account and region.
func PlanItemID(k Kind, account, region, resource string) string {
	return strings.Join([]string{string(k), account, region, resource}, "/")
}

// PlanState is what outlives a derivation: marks and notes by item id, and
// the items seen before, so a component that is gone shows as retired.
type PlanState struct {
	Marks map[string]ItemMarks
	Seen  map[string]SeenItem
}

// ItemMarks are the marks and note of one item.
type ItemMarks struct {
	// Done marks the whole item done.
	Done bool
	// Steps are the ids of the steps marked done.
	Steps map[string]bool
	Note  string
	// By says who set each mark and when, by step id ("" for the whole
	// item); NoteBy who wrote the note. Nil or zero when not recorded.
	By     map[string]Mark
	NoteBy Mark
}

// SeenItem is what was remembered of an item the last time it was found.
type SeenItem struct {
	ID        string
	Kind      Kind
	Account   string
	Region    string
	Title     string
	LastSeen  time.Time
	WeekHours float64
	// Completeness of WeekHours then.
	Completeness Completeness
}

// building is an item while it is put together.
type building struct {
	item PlanItem
	// main are the item's own resources: one, or a database and its
	// replicas, a cache's clusters, a kind's resources in one place.
	main      []Resource
	lbs       []Resource
	pipelines []Resource
	alarms    []string
	fronts    []string
	services  int
	count     int
	note      string
}

// BuildPlan derives the plan from a snapshot and its ledger: one item per
// component the inventory found, the ledger's lines tied to them, effort
// from the estimates, and marks, notes and retired items from the state.
func BuildPlan(s Snapshot, l Ledger, effort EffortHours, st PlanState) Plan {
	p := Plan{Inventory: s.Coverage(FeedInventory), WeekScale: l.WeekScale, Effort: effort}
	// The items' hours need both the drag and the inventory (which ties
	// alarms to resources); hours nobody could count stay unknown.
	p.Coverage = l.Coverage
	if l.Coverage.Known() {
		p.Coverage = l.Coverage.Merge(p.Inventory)
	}
	inv := s.Inventory()
	bs, gaps := components(inv)
	p.Gaps = gaps
	ix := newPlanIndex(bs)
	for _, t := range s.AlarmTargets() {
		if i, _, ok := ix.alarm(t); ok {
			bs[i].alarms = append(bs[i].alarms, t.Alarm)
		}
	}
	for i := range bs {
		b := &bs[i]
		slices.Sort(b.alarms)
		b.alarms = slices.Compact(b.alarms)
		b.item.Alarms = b.alarms
		describe(b)
		b.item.Coverage = p.Coverage
		for j := range b.item.Effort {
			part := &b.item.Effort[j]
			part.Hours = effort.For(part.Kind)
			b.item.EffortHours += part.Hours
		}
	}
	p.link(s, l, bs, ix)
	costs(bs, s.Invoices())
	items := make([]PlanItem, len(bs))
	for i, b := range bs {
		items[i] = b.item
	}
	p.Items = applyState(items, st, p.Inventory, accountsOf(inv))
	sortItems(p.Items)
	return p
}

// PlanItemCount is how many items BuildPlan lists for s and st — the
// inventory's components and the items seen before that are gone — without
// the ledger or tying any drag to them: what a count needs, at a fraction
// of the plan's cost.
func PlanItemCount(s Snapshot, st PlanState) int {
	bs, _ := components(s.Inventory())
	present := make(map[string]bool, len(bs))
	for _, b := range bs {
		present[b.item.ID] = true
	}
	n := len(bs)
	for _, seen := range st.Seen {
		if !present[seen.ID] {
			n++
		}
	}
	return n
}

// components groups the inventory into items; it also returns a line for
// each kind and place that could not be listed.
func components(inv []ResourceGroup) ([]building, []string) {
	var out []building
	var gaps []string
	byKind := map[Kind]map[Place][]Resource{}
	var order []Kind
	for _, g := range inv {
		if g.Unknown {
			gaps = append(gaps, evidenceLine(g, InfoFor(g.Kind)))
			continue
		}
		if g.Count == 0 || g.Kind == KindCloudWatchAlarm {
			continue
		}
		rs := g.Resources
		if rs == nil {
			rs = fromNames(g)
		}
		if byKind[g.Kind] == nil {
			byKind[g.Kind] = map[Place][]Resource{}
			order = append(order, g.Kind)
		}
		pl := Place{g.Account, g.Region}
		byKind[g.Kind][pl] = append(byKind[g.Kind][pl], rs...)
		if grouped(g.Kind) {
			b := building{item: newItem(g.Kind, g.Account, g.Region, "*"), main: rs, count: g.Count, note: g.Note}
			if more := g.Count - len(rs); more > 0 {
				b.item.Facts = append(b.item.Facts, Fact{"Not listed by name", fmt.Sprint(more)})
			}
			out = append(out, b)
		} else if more := g.Count - len(rs); more > 0 {
			gaps = append(gaps, fmt.Sprintf("%s: %d more %s not detailed (opsdrag lists at most %d per place): no items for them",
				strings.TrimSpace(g.Account+" "+g.Region), more, InfoFor(g.Kind).Noun, len(rs)))
		}
	}
	// Per-resource kinds, in kind order so the result does not depend on
	// the order the inventory came in.
	slices.SortFunc(order, func(a, b Kind) int { return cmp.Compare(kindRank(a), kindRank(b)) })
	for _, k := range order {
		if grouped(k) {
			continue
		}
		places := byKind[k]
		keys := make([]Place, 0, len(places))
		for pl := range places {
			keys = append(keys, pl)
		}
		slices.SortFunc(keys, func(a, b Place) int {
			return cmp.Or(cmp.Compare(a.Account, b.Account), cmp.Compare(a.Region, b.Region))
		})
		for _, pl := range keys {
			out = append(out, perResource(k, pl, places[pl], byKind)...)
		}
	}
	return absorb(out), gaps
}

// perResource makes the items of a per-resource kind in one place: one per
// resource, or per natural group (a database and its read replicas, a
// cache's replication group, an Auto Scaling group).
func perResource(k Kind, pl Place, rs []Resource, all map[Kind]map[Place][]Resource) []building {
	var out []building
	groupOf := map[string]int{}
	ids := map[string]bool{}
	for _, r := range rs {
		ids[r.ID] = true
	}
	for _, r := range rs {
		key := r.ID
		switch {
		case k == KindRDSInstance && r.Group != "" && ids[r.Group]:
			key = r.Group // a read replica joins its primary's item
		case (k == KindElastiCache || k == KindEC2Instance) && r.Group != "":
			key = r.Group
		}
		if i, ok := groupOf[key]; ok {
			if key == r.ID { // the primary came after a replica: it leads
				out[i].main = append([]Resource{r}, out[i].main...)
			} else {
				out[i].main = append(out[i].main, r)
			}
			continue
		}
		groupOf[key] = len(out)
		out = append(out, building{item: newItem(k, pl.Account, pl.Region, key), main: []Resource{r}})
	}
	if k == KindECSCluster {
		services := all[KindECSService][pl]
		for i := range out {
			for _, s := range services {
				if c, _, _ := strings.Cut(s.ID, "/"); c == out[i].main[0].ID {
					out[i].services++
				}
			}
		}
	}
	return out
}

func newItem(k Kind, account, region, resource string) PlanItem {
	return PlanItem{
		ID: PlanItemID(k, account, region, resource), Kind: k, Component: InfoFor(k).Component,
		Account: account, Region: region, Resource: resource, State: ItemOpen,
		Effort: []EffortPart{{Kind: k}},
	}
}

// fromNames stands in for the resources of a group the inventory gave
// names only: an older snapshot, or a kind read without details. "name
// (id)" is split as the inventory writes EC2 instances.
func fromNames(g ResourceGroup) []Resource {
	out := make([]Resource, 0, len(g.Names))
	for _, n := range g.Names {
		r := Resource{ID: n}
		if name, id, ok := strings.Cut(n, " ("); ok && strings.HasSuffix(id, ")") && g.Kind == KindEC2Instance {
			r = Resource{ID: strings.TrimSuffix(id, ")"), Name: name}
		}
		out = append(out, r)
	}
	return out
}

// absorb folds into an ECS service's item the load balancer only it sits
// behind (by their shared target groups) and the pipeline that deploys
// only it (by its deploy action's configuration). A load balancer or
// pipeline shared by several services keeps its own item.
func absorb(bs []building) []building {
	services := map[string]int{} // account/region/cluster/service → index
	for i, b := range bs {
		if b.item.Kind == KindECSService {
			services[b.item.Account+"/"+b.item.Region+"/"+b.main[0].ID] = i
		}
	}
	gone := map[int]bool{}
	for i := range bs {
		b := &bs[i]
		switch b.item.Kind {
		case KindLoadBalancer:
			var fronts []int
			for j, s := range bs {
				if s.item.Kind == KindECSService && s.item.Account == b.item.Account && s.item.Region == b.item.Region &&
					sharesAny(s.main[0].TargetGroups, b.main[0].TargetGroups) {
					fronts = append(fronts, j)
				}
			}
			if len(fronts) == 1 {
				s := &bs[fronts[0]]
				s.lbs = append(s.lbs, b.main[0])
				s.item.Effort = append(s.item.Effort, EffortPart{Kind: KindLoadBalancer})
				gone[i] = true
				continue
			}
			for _, j := range fronts {
				b.fronts = append(b.fronts, bs[j].main[0].ID)
			}
		case KindCodePipeline:
			deploys := slices.Compact(slices.Sorted(slices.Values(b.main[0].Deploys)))
			if len(deploys) != 1 {
				continue
			}
			if j, ok := services[b.item.Account+"/"+b.item.Region+"/"+deploys[0]]; ok {
				s := &bs[j]
				s.pipelines = append(s.pipelines, b.main[0])
				s.item.Effort = append(s.item.Effort, EffortPart{Kind: KindCodePipeline})
				gone[i] = true
			}
		}
	}
	kept := make([]building, 0, len(bs)-len(gone))
	for i, b := range bs {
		if !gone[i] {
			kept = append(kept, b)
		}
	}
	return kept
}

func sharesAny(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// kindRank orders kinds as Kinds lists them; others go last.
func kindRank(k Kind) int {
	for i, info := range Kinds() {
		if info.Kind == k {
			return i
		}
	}
	return len(Kinds())
}

// costs gives each item its service's line of its account's invoice.
func costs(bs []building, invoices []Invoice) {
	type key struct{ account, service string }
	monthly := map[key]float64{}
	currency := map[string]string{}
	for _, inv := range invoices {
		for svc, v := range inv.ByService {
			monthly[key{inv.Account, svc}] += v
		}
		currency[inv.Account] = cmp.Or(inv.Currency, "USD")
	}
	shared := map[key]int{}
	found := make([]*key, len(bs))
	for i, b := range bs {
		for _, svc := range costServices[b.item.Kind] {
			k := key{b.item.Account, svc}
			if _, ok := monthly[k]; ok {
				found[i] = &k
				shared[k]++
				break
			}
		}
	}
	for i := range bs {
		if k := found[i]; k != nil {
			bs[i].item.Cost = &ServiceCost{Service: k.service, Monthly: monthly[*k], Currency: currency[k.account], SharedBy: shared[*k]}
		}
	}
}

// accountsOf lists the accounts an inventory read.
func accountsOf(inv []ResourceGroup) map[string]bool {
	out := map[string]bool{}
	for _, g := range inv {
		out[g.Account] = true
	}
	return out
}

// applyState puts the marks and notes on the items and adds the items seen
// before that are gone: retired when the inventory is complete and read
// their account, missing otherwise (they may still run).
func applyState(items []PlanItem, st PlanState, inv Coverage, accounts map[string]bool) []PlanItem {
	present := map[string]bool{}
	for i := range items {
		it := &items[i]
		present[it.ID] = true
		m := st.Marks[it.ID]
		it.Note, it.NoteBy = m.Note, m.NoteBy
		if m.Done {
			it.DoneBy = m.By[""]
		}
		for j := range it.Steps {
			it.Steps[j].Done = m.Steps[it.Steps[j].ID]
			if it.Steps[j].Done {
				it.Steps[j].By = m.By[it.Steps[j].ID]
			}
		}
		if m.Done || (len(it.Steps) > 0 && it.StepsDone() == len(it.Steps)) {
			it.State = ItemDone
		}
	}
	seen := make([]SeenItem, 0, len(st.Seen))
	for _, s := range st.Seen {
		if !present[s.ID] {
			seen = append(seen, s)
		}
	}
	slices.SortFunc(seen, func(a, b SeenItem) int { return cmp.Compare(a.ID, b.ID) })
	for _, s := range seen {
		it := PlanItem{
			ID: s.ID, Kind: s.Kind, Component: InfoFor(s.Kind).Component, Account: s.Account, Region: s.Region,
			Title: s.Title, WeekHours: s.WeekHours, LastSeen: s.LastSeen, State: ItemMissing,
			Coverage: Coverage{Completeness: cmp.Or(s.Completeness, Complete)},
		}
		if inv.Completeness == Complete && accounts[s.Account] {
			it.State = ItemRetired
		}
		m := st.Marks[s.ID]
		it.Note, it.NoteBy = m.Note, m.NoteBy
		items = append(items, it)
	}
	return items
}

// stateRank orders items by state.
var stateRank = map[ItemState]int{ItemOpen: 0, ItemDone: 1, ItemMissing: 2, ItemRetired: 3}

// sortItems puts items in payback order.
func sortItems(items []PlanItem) {
	slices.SortStableFunc(items, func(a, b PlanItem) int {
		if c := cmp.Compare(stateRank[a.State], stateRank[b.State]); c != 0 {
			return c
		}
		pa, aok := a.Payback()
		pb, bok := b.Payback()
		switch {
		case aok && bok:
			return cmp.Or(cmp.Compare(pa, pb), cmp.Compare(b.WeekHours, a.WeekHours), cmp.Compare(a.ID, b.ID))
		case aok:
			return -1
		case bok:
			return 1
		}
		return cmp.Or(cmp.Compare(a.EffortHours, b.EffortHours), cmp.Compare(a.ID, b.ID))
	})
}

// PlanSummary is the plan's headline: what moving the open items with
// drag tied to them retires, for how much work.
type PlanSummary struct {
	// Moves counts the open items with drag tied to them.
	Moves int
	// RetiresWeekHours is their drag per week; EffortHours their effort.
	RetiresWeekHours float64
	EffortHours      float64
	// PaybackWeeks is EffortHours / RetiresWeekHours; nil without drag.
	PaybackWeeks *float64
	// Coverage is how complete RetiresWeekHours is.
	Coverage Coverage
	// Open, Done, Missing and Retired count the items by state.
	Open, Done, Missing, Retired int
	// RetiredWeekHours is the drag the retired items had when last seen.
	RetiredWeekHours float64
}

// Summary adds the plan up.
func (p Plan) Summary() PlanSummary {
	s := PlanSummary{Coverage: p.Coverage}
	for _, it := range p.Items {
		switch it.State {
		case ItemOpen:
			s.Open++
			if _, ok := it.Payback(); ok {
				s.Moves++
				s.RetiresWeekHours += it.WeekHours
				s.EffortHours += it.EffortHours
			}
		case ItemDone:
			s.Done++
		case ItemMissing:
			s.Missing++
		case ItemRetired:
			s.Retired++
			s.RetiredWeekHours += it.WeekHours
		}
	}
	if s.RetiresWeekHours > 0 {
		w := s.EffortHours / s.RetiresWeekHours
		s.PaybackWeeks = &w
	}
	return s
}

// Headline says in one sentence what the plan offers: "Moving these 4
// retires 14.2 h/week for ~60 h of work: pays back in about 4 weeks".
func (s PlanSummary) Headline() string {
	switch {
	case s.Coverage.Completeness == Collecting:
		return "Collecting: the plan's drag appears as the sources answer"
	case !s.Coverage.Known():
		return "The drag tied to each component is unknown: " + s.Coverage.Short()
	case s.Moves == 0 && s.Open == 0:
		return "Nothing left to move"
	case s.Moves == 0:
		return fmt.Sprintf("No drag in the window is tied to the %s left to move", Plural(s.Open, "item"))
	}
	atLeast, atMost := "", ""
	if s.Coverage.Completeness != Complete {
		atLeast, atMost = "at least ", "at most "
	}
	these := "these " + fmt.Sprint(s.Moves)
	if s.Moves == 1 {
		these = "this one"
	}
	return fmt.Sprintf("Moving %s retires %s%s h/week for ~%s h of work: pays back in %s%s",
		these, atLeast, FormatHours(s.RetiresWeekHours), FormatNumber(math.Round(s.EffortHours)), atMost, FormatWeeks(*s.PaybackWeeks))
}

// RetiredShare is the share of the drag the retired items took with them:
// their drag when last seen over that plus today's; nil when today's drag
// is unknown or nothing was retired.
func (s PlanSummary) RetiredShare(l Ledger) *float64 {
	if s.RetiredWeekHours <= 0 || !l.Coverage.Known() {
		return nil
	}
	share := s.RetiredWeekHours / (s.RetiredWeekHours + l.HoursPerWeek)
	return &share
}

// FormatWeeks says how many weeks, roughly: "under a week", "about 1
// week", "about 4 weeks".
func FormatWeeks(w float64) string {
	switch {
	case w < 0.75:
		return "under a week"
	case w < 1.5:
		return "about 1 week"
	}
	return fmt.Sprintf("about %.0f weeks", w)
}

// FormatPayback shows an item's payback in weeks for a table: "4.2",
// "≤ 4.2" when its drag is a lower bound, "unknown", or "—" when no drag
// is tied to it.
func FormatPayback(it PlanItem) string {
	if !it.Coverage.Known() {
		return FormatBound(0, it.Coverage, nil)
	}
	w, ok := it.Payback()
	if !ok {
		return "—"
	}
	v := FormatHours(w)
	if it.Coverage.Completeness != Complete {
		return "≤ " + v
	}
	return v
}
