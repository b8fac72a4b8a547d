package model

// Data is what one collector found. Every field is optional: a GitHub
// collector fills pipelines and pull requests, an AWS one alarms, inventory
// or invoices.
type Data struct {
	Pipelines    []Pipeline
	Alarms       []Alarm
	PullRequests []PullRequest
	// MergedPRs counts all pull requests merged in the window, infra or not,
	// for the infra share of merged work; nil when not collected.
	MergedPRs *int
	Inventory []ResourceGroup
	Invoices  []Invoice
	// AlarmReach says, for each account and region whose alarms a
	// collection listed, how far back it read their history.
	AlarmReach []AlarmReach
	// AlarmTargets say what each alarm the inventory listed watches, so
	// an alarm's drag can be tied to its resource.
	AlarmTargets []AlarmTarget
}

// Items counts the signals in d.
func (d Data) Items() int {
	n := len(d.Pipelines) + len(d.Alarms) + len(d.PullRequests) + len(d.Invoices)
	for _, g := range d.Inventory {
		n += g.Count
	}
	return n
}

// Clean returns d with every remote string stripped of control and escape
// sequences, so nothing a remote party wrote can drive the terminal.
func (d Data) Clean() Data {
	out := d
	out.Pipelines = mapSlice(d.Pipelines, func(p Pipeline) Pipeline {
		p.Scope, p.Name, p.Branch, p.URL = CleanText(p.Scope), CleanText(p.Name), CleanText(p.Branch), CleanText(p.URL)
		p.RerunBy = mapSlice(p.RerunBy, CleanText)
		return p
	})
	out.Alarms = mapSlice(d.Alarms, func(a Alarm) Alarm {
		a.Account, a.Region, a.Name = CleanText(a.Account), CleanText(a.Region), CleanText(a.Name)
		a.Reason, a.URL = CleanText(a.Reason), CleanText(a.URL)
		return a
	})
	out.PullRequests = mapSlice(d.PullRequests, func(p PullRequest) PullRequest {
		p.Repo, p.Title, p.Author, p.URL = CleanText(p.Repo), CleanText(p.Title), CleanText(p.Author), CleanText(p.URL)
		p.Paths = mapSlice(p.Paths, CleanText)
		p.Labels = mapSlice(p.Labels, CleanText)
		p.Reviewers = mapSlice(p.Reviewers, CleanText)
		return p
	})
	out.Inventory = mapSlice(d.Inventory, func(g ResourceGroup) ResourceGroup {
		g.Account, g.Region, g.Note = CleanText(g.Account), CleanText(g.Region), CleanText(g.Note)
		g.Names = mapSlice(g.Names, CleanText)
		g.Resources = mapSlice(g.Resources, func(r Resource) Resource {
			r.ID, r.Name, r.ARN, r.Engine, r.EngineVersion = CleanText(r.ID), CleanText(r.Name), CleanText(r.ARN), CleanText(r.Engine), CleanText(r.EngineVersion)
			r.Class, r.Group, r.LaunchType, r.Detail = CleanText(r.Class), CleanText(r.Group), CleanText(r.LaunchType), CleanText(r.Detail)
			r.TargetGroups = mapSlice(r.TargetGroups, CleanText)
			r.Deploys = mapSlice(r.Deploys, CleanText)
			return r
		})
		return g
	})
	out.Invoices = mapSlice(d.Invoices, func(inv Invoice) Invoice {
		inv.Account, inv.Payer, inv.Currency = CleanText(inv.Account), CleanText(inv.Payer), CleanText(inv.Currency)
		if inv.ByService != nil {
			by := make(map[string]float64, len(inv.ByService))
			for k, v := range inv.ByService {
				by[CleanText(k)] += v
			}
			inv.ByService = by
		}
		return inv
	})
	out.AlarmTargets = mapSlice(d.AlarmTargets, func(t AlarmTarget) AlarmTarget {
		t.Account, t.Region, t.Alarm = CleanText(t.Account), CleanText(t.Region), CleanText(t.Alarm)
		t.Namespace, t.Metric = CleanText(t.Namespace), CleanText(t.Metric)
		t.Dimensions = mapSlice(t.Dimensions, func(d Dimension) Dimension { return Dimension{CleanText(d.Name), CleanText(d.Value)} })
		return t
	})
	out.AlarmReach = mapSlice(d.AlarmReach, func(r AlarmReach) AlarmReach {
		r.Account, r.Region = CleanText(r.Account), CleanText(r.Region)
		return r
	})
	return out
}

func mapSlice[T any](in []T, f func(T) T) []T {
	if in == nil {
		return nil
	}
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}
