package model

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Snapshot is everything opsdrag knows at one moment: each source's status
// and the data it last produced, over one window. Snapshots are values:
// With returns a new one and never changes its receiver.
type Snapshot struct {
	Window Window
	Demo   bool
	// Sources are in the order the collectors were configured.
	Sources []Source
	data    map[string]Data
	// views are the sorted lists, each computed once: the ledger, the
	// triage list, the plan and the panes all read them. nil in a
	// snapshot not built by this package's constructors.
	views *views
}

// views memoises a snapshot's sorted lists. A snapshot's data never
// changes once built (With returns a new one), so neither do they.
type views struct {
	pipelines func() []Pipeline
	alarms    func() []Alarm
	prs       func() []PullRequest
}

// withViews returns s with fresh memoised lists of its own data.
func (s Snapshot) withViews() Snapshot {
	s.views = nil
	c := s
	s.views = &views{
		pipelines: sync.OnceValue(c.sortedPipelines),
		alarms:    sync.OnceValue(c.sortedAlarms),
		prs:       sync.OnceValue(c.sortedPullRequests),
	}
	return s
}

// NewSnapshot returns a snapshot with every named source pending.
func NewSnapshot(w Window, demo bool, sourceNames []string) Snapshot {
	s := Snapshot{Window: w, Demo: demo, data: map[string]Data{}}
	for _, name := range sourceNames {
		s.Sources = append(s.Sources, Source{Name: name, Status: StatusPending})
	}
	return s.withViews()
}

// With returns the snapshot with one collector's outcome applied. Remote text
// is cleaned on the way in. When the outcome failed, the source's earlier
// data is kept and marked stale rather than blanked.
func (s Snapshot) With(o Outcome) Snapshot {
	out := s
	out.data = make(map[string]Data, len(s.data)+1)
	for k, v := range s.data {
		out.data[k] = v
	}
	out.Sources = slices.Clone(s.Sources)

	src := o.Source
	// Details quote remote systems (GitHub's and AWS's error messages).
	src.Detail = CleanText(src.Detail)
	i := slices.IndexFunc(out.Sources, func(x Source) bool { return x.Name == src.Name })
	if src.Status == StatusPending {
		return out.withProgress(i, o).withViews()
	}
	src.Progress = nil
	if src.Succeeded() {
		out.data[src.Name] = o.Data.Clean()
		src.Items = out.data[src.Name].Items()
	} else if prev, ok := s.data[src.Name]; ok && src.Status != StatusSkipped && i >= 0 && !out.Sources[i].At.IsZero() {
		// Keep what we had: one failed refresh must not blank the pane. (A
		// source that is no longer configured has nothing left to show.)
		src.Stale = true
		src.Items = prev.Items()
		src.Detail = fmt.Sprintf("%s (showing data from %s)", src.Detail, out.Sources[i].At.Format("Jan 2 15:04"))
		src.At = out.Sources[i].At
	} else {
		delete(out.data, src.Name)
	}
	if i < 0 {
		out.Sources = append(out.Sources, src)
	} else {
		out.Sources[i] = src
	}
	return out.withViews()
}

// withProgress applies an outcome streamed while a collection is in
// flight. The source keeps its last finished status (a failure's reason
// stays until a collection resolves it); the data gathered so far is shown
// only when the source has nothing from a finished collection to show (it
// never answered, or its last collection failed with nothing kept), so a
// cold refresh fills as answers arrive and a warm one never shrinks midway.
func (s Snapshot) withProgress(i int, o Outcome) Snapshot {
	src := o.Source
	if i < 0 {
		src.Detail = ""
		s.Sources = append(s.Sources, src)
		i = len(s.Sources) - 1
	} else {
		s.Sources[i].Progress = src.Progress
	}
	if cur := s.Sources[i]; !cur.Succeeded() && !cur.Stale {
		s.data[src.Name] = o.Data.Clean()
		s.Sources[i].Items = s.data[src.Name].Items()
	}
	return s
}

// Source returns the named source's status.
func (s Snapshot) Source(name string) (Source, bool) {
	i := slices.IndexFunc(s.Sources, func(x Source) bool { return x.Name == name })
	if i < 0 {
		return Source{}, false
	}
	return s.Sources[i], true
}

// Pending reports whether any source is still collecting.
func (s Snapshot) Pending() bool {
	return slices.ContainsFunc(s.Sources, func(x Source) bool { return x.Status == StatusPending })
}

// AnySucceeded reports whether at least one source produced data.
func (s Snapshot) AnySucceeded() bool {
	return slices.ContainsFunc(s.Sources, Source.Succeeded)
}

// OldestData returns when the oldest data shown was collected; zero when no
// data has been collected yet.
func (s Snapshot) OldestData() time.Time {
	var oldest time.Time
	for _, src := range s.Sources {
		if _, ok := s.data[src.Name]; ok && !src.At.IsZero() && (oldest.IsZero() || src.At.Before(oldest)) {
			oldest = src.At
		}
	}
	return oldest
}

// each calls f with every source's data, in source order.
func (s Snapshot) each(f func(Data)) {
	for _, src := range s.Sources {
		if d, ok := s.data[src.Name]; ok {
			f(d)
		}
	}
}

// Pipelines returns every pipeline, failing ones first, then by red time.
// The list is shared: callers must not change it.
func (s Snapshot) Pipelines() []Pipeline {
	if s.views != nil {
		return s.views.pipelines()
	}
	return s.sortedPipelines()
}

func (s Snapshot) sortedPipelines() []Pipeline {
	var out []Pipeline
	s.each(func(d Data) { out = append(out, d.Pipelines...) })
	return sortedStable(out, func(a, b *Pipeline) int {
		if a.Failing != b.Failing {
			if a.Failing {
				return -1
			}
			return 1
		}
		return cmp.Or(
			cmp.Compare(b.RedHours, a.RedHours),
			cmp.Compare(b.Failures, a.Failures),
			cmp.Compare(a.Scope, b.Scope),
			cmp.Compare(a.Name, b.Name),
		)
	})
}

// sortedStable returns s sorted stably by compare. It sorts positions, not
// the values: a stable sort moving large structs about is what made a
// refresh of 10,000 pipelines slow.
func sortedStable[T any](s []T, compare func(a, b *T) int) []T {
	if len(s) == 0 {
		return s
	}
	idx := make([]int, len(s))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int { return cmp.Or(compare(&s[i], &s[j]), i-j) })
	out := make([]T, len(s))
	for k, i := range idx {
		out[k] = s[i]
	}
	return out
}

// Alarms returns every alarm, firing ones first, then by transitions. The
// list is shared: callers must not change it.
func (s Snapshot) Alarms() []Alarm {
	if s.views != nil {
		return s.views.alarms()
	}
	return s.sortedAlarms()
}

func (s Snapshot) sortedAlarms() []Alarm {
	var out []Alarm
	s.each(func(d Data) { out = append(out, d.Alarms...) })
	return sortedStable(out, func(a, b *Alarm) int {
		if a.Firing() != b.Firing() {
			if a.Firing() {
				return -1
			}
			return 1
		}
		return cmp.Or(
			cmp.Compare(len(b.Transitions), len(a.Transitions)),
			cmp.Compare(a.Account, b.Account),
			cmp.Compare(a.Region, b.Region),
			cmp.Compare(a.Name, b.Name),
		)
	})
}

// PullRequests returns every infra PR: open ones first (oldest first, they
// have waited longest), then merged ones (most recent first). The list is
// shared: callers must not change it.
func (s Snapshot) PullRequests() []PullRequest {
	if s.views != nil {
		return s.views.prs()
	}
	return s.sortedPullRequests()
}

func (s Snapshot) sortedPullRequests() []PullRequest {
	var out []PullRequest
	s.each(func(d Data) { out = append(out, d.PullRequests...) })
	slices.SortStableFunc(out, func(a, b PullRequest) int {
		if a.State != b.State {
			if a.State == PROpen {
				return -1
			}
			return 1
		}
		if a.State == PROpen {
			return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.Repo, b.Repo), cmp.Compare(a.Number, b.Number))
		}
		return cmp.Or(timeOrZero(b.MergedAt).Compare(timeOrZero(a.MergedAt)), cmp.Compare(a.Repo, b.Repo), cmp.Compare(a.Number, b.Number))
	})
	return out
}

// MergedPRs sums the merged-PR counts of every source; nil when no source
// counted them.
func (s Snapshot) MergedPRs() *int {
	var total *int
	s.each(func(d Data) {
		if d.MergedPRs != nil {
			if total == nil {
				total = new(int)
			}
			*total += *d.MergedPRs
		}
	})
	return total
}

// Inventory returns every resource group, in kind order then account and
// region.
func (s Snapshot) Inventory() []ResourceGroup {
	var out []ResourceGroup
	s.each(func(d Data) { out = append(out, d.Inventory...) })
	order := map[Kind]int{}
	for i, k := range Kinds() {
		order[k.Kind] = i
	}
	slices.SortStableFunc(out, func(a, b ResourceGroup) int {
		ai, aok := order[a.Kind]
		bi, bok := order[b.Kind]
		if !aok {
			ai = len(order)
		}
		if !bok {
			bi = len(order)
		}
		return cmp.Or(cmp.Compare(ai, bi), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Account, b.Account), cmp.Compare(a.Region, b.Region))
	})
	return out
}

// Invoices returns every account's invoice.
func (s Snapshot) Invoices() []Invoice {
	var out []Invoice
	s.each(func(d Data) { out = append(out, d.Invoices...) })
	slices.SortStableFunc(out, func(a, b Invoice) int { return cmp.Compare(a.Account, b.Account) })
	return out
}

// InvoiceMonthly is the last full month's AWS bill summed over accounts; nil
// when no account's bill is known, or when the bills are in different
// currencies (adding them would need a rate opsdrag does not know).
func (s Snapshot) InvoiceMonthly() *float64 {
	var total *float64
	currency := ""
	for _, inv := range s.Invoices() {
		if inv.LastMonth != nil {
			c := strings.ToUpper(cmp.Or(inv.Currency, "USD"))
			if currency != "" && c != currency {
				return nil
			}
			currency = c
			if total == nil {
				total = new(float64)
			}
			*total += *inv.LastMonth
		}
	}
	return total
}

// InvoiceCurrency is the currency of the invoices, "USD" when none says.
func (s Snapshot) InvoiceCurrency() string {
	for _, inv := range s.Invoices() {
		if inv.Currency != "" {
			return strings.ToUpper(inv.Currency)
		}
	}
	return "USD"
}

func timeOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// AlarmTargets returns what each alarm the inventory listed watches.
func (s Snapshot) AlarmTargets() []AlarmTarget {
	var out []AlarmTarget
	s.each(func(d Data) { out = append(out, d.AlarmTargets...) })
	return out
}
