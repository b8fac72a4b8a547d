package awscollect

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

// inventoryCollector counts, per account and region, the AWS components
// the team operates, with their names: the evidence behind the migration
// checklist.
type inventoryCollector struct{ *env }

func (c *inventoryCollector) Name() string { return NameInventory }

func (c *inventoryCollector) Collect(ctx context.Context, w model.Window) (collectors.Result, error) {
	return c.collect(ctx, w, inventoryPlaces, func(ctx context.Context, t target) (found, error) {
		if t.global {
			return inventoryIn(ctx, t, globalListers())
		}
		return inventoryIn(ctx, t, regionalListers())
	})
}

// globalRegion is the Region of resources that belong to no region.
const globalRegion = "global"

// inventoryPlaces is every (account, region) pair, plus every account once
// for its global services (IAM, CloudFront).
var inventoryPlaces = targetSet{pick: inventoryTargets, unit: "account regions and global services"}

// inventoryTargets picks inventoryPlaces from a resolution.
func inventoryTargets(r resolution) []target {
	ts := slices.Clone(r.pairs)
	for _, a := range r.accounts {
		a.global = true
		ts = append(ts, a)
	}
	return ts
}

// listed is what one lister found of one kind. A kind that could not be
// listed carries err, and becomes unknown rather than zero.
type listed struct {
	kind  model.Kind
	names []string
	note  string
	err   error
	// resources detail what was listed, for the plan; nil for the kinds
	// whose items need only names.
	resources []model.Resource
	// targets say what each listed alarm watches.
	targets []model.AlarmTarget
	// short says what a follow-up call could not read (a pipeline's deploy
	// targets, the load balancers' target groups): the kind is listed,
	// but the plan's links from it are a lower bound.
	short error
	// shortWhat names what short left unread.
	shortWhat string
}

// lister lists one or more kinds with one client; ECS clusters and services
// come from one chain of calls.
type lister func(ctx context.Context, cfg aws.Config) []listed

// maxNames caps the names kept per group; the count stays exact.
const maxNames = 100

// inventoryIn runs every lister for one target concurrently. A kind that
// cannot be listed is reported unknown, with why, and a warning; a kind the
// region does not offer yields nothing; the others are kept. Only when
// every kind failed the same way does the target fail as a whole.
func inventoryIn(ctx context.Context, t target, ls []lister) (found, error) {
	results := concurrently(ctx, ls, func(l lister) []listed { return l(ctx, t.cfg) })

	region := t.Region
	if t.global {
		region = globalRegion
	}
	var out found
	var failures []problem
	total := 0
	for _, rs := range results {
		for _, r := range rs {
			total++
			g := model.ResourceGroup{Kind: r.kind, Account: t.Account, Region: region, Note: r.note}
			if r.err != nil {
				p := classify(r.err)
				if p.kind == kindNotOffered {
					continue
				}
				failures = append(failures, p)
				g.Unknown, g.Note = true, unknownNote(p)
				out.notes = append(out.notes, note{
					msg:   fmt.Sprintf("%s %s unknown: %s", model.InfoFor(r.kind).Component, model.InfoFor(r.kind).Noun, p.message(t.Profile)),
					where: t,
				})
				out.data.Inventory = append(out.data.Inventory, g)
				continue
			}
			if r.short != nil {
				p := classify(r.short)
				out.notes = append(out.notes, note{
					msg:   fmt.Sprintf("%s %s not read, so the plan's links from them are a lower bound: %s", model.InfoFor(r.kind).Component, r.shortWhat, p.message(t.Profile)),
					where: t,
				})
			}
			for _, at := range r.targets {
				at.Account, at.Region = t.Account, region
				out.data.AlarmTargets = append(out.data.AlarmTargets, at)
			}
			if len(r.names) == 0 {
				continue
			}
			slices.Sort(r.names)
			g.Count = len(r.names)
			g.Names = r.names[:min(len(r.names), maxNames)]
			if r.resources != nil {
				slices.SortFunc(r.resources, func(a, b model.Resource) int { return strings.Compare(a.ID, b.ID) })
				g.Resources = r.resources[:min(len(r.resources), maxNames)]
			}
			out.data.Inventory = append(out.data.Inventory, g)
		}
	}
	// A region that cannot be reached at all, or credentials that stopped
	// working, fail every kind alike: one warning for the place says it
	// better than sixteen. The kinds stay unknown.
	if total > 0 && len(failures) == total && allSame(failures) && failures[0].kind != kindDenied {
		p := failures[0]
		msg := "inventory unavailable: " + p.text
		if p.credential() || p.kind == kindThrottled {
			msg = "inventory unavailable: " + p.message(t.Profile)
		}
		out.notes = []note{{msg: msg, where: t}}
		out.failed = true
	}
	return out, nil
}

// unknownNote says briefly why a kind is unknown, for the checklist's
// evidence line.
func unknownNote(p problem) string {
	switch p.kind {
	case kindDenied:
		return "permission denied for " + orWord(p.action, "the list call")
	case kindUnsupported:
		return "not supported by this endpoint"
	case kindThrottled:
		return "throttled by AWS"
	}
	return "could not be listed: " + p.text
}

func allSame(ps []problem) bool {
	for _, p := range ps[1:] {
		if p.kind != ps[0].kind || p.text != ps[0].text {
			return false
		}
	}
	return true
}

// countNote formats counts by label in order of appearance, e.g. "Fargate
// 3, EC2 1".
func countNote(labels []string) string {
	var order []string
	n := map[string]int{}
	for _, l := range labels {
		if l == "" {
			continue
		}
		if n[l] == 0 {
			order = append(order, l)
		}
		n[l]++
	}
	parts := make([]string, len(order))
	for i, l := range order {
		parts[i] = fmt.Sprintf("%s %d", l, n[l])
	}
	return strings.Join(parts, ", ")
}
