package awscollect

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

// found is what one target gave: its data, and the problems that left
// some of it out without failing the target.
type found struct {
	data  model.Data
	notes []note
	// failed says the target gave nothing known, though it returned
	// unknown groups; it counts as a failed target.
	failed bool
}

// note is one problem in one place; equal messages from many places fold
// into one warning.
type note struct {
	msg   string
	where target
}

// concurrently runs f on each item, on a goroutine of its own, and returns
// the results in the items' order. A panic in f is the collection's crash
// (collectors.Recover), not the program's.
func concurrently[T, R any](ctx context.Context, items []T, f func(T) R) []R {
	results := make([]R, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Go(func() {
			defer collectors.Recover(ctx)
			results[i] = f(it)
		})
	}
	wg.Wait()
	return results
}

// targetSet chooses the targets a collection reads from a resolution, and
// names them for its progress ("3 of 8 account regions").
type targetSet struct {
	pick func(resolution) []target
	unit string
}

// collect resolves the refresh's targets, runs f on each of those ts
// chooses (all concurrently; the in-flight bound is per request), and
// folds the answers: data from every target that worked, one warning per
// distinct problem naming where it happened, and an error only when no
// target worked at all.
func (e *env) collect(ctx context.Context, w model.Window, ts targetSet,
	f func(ctx context.Context, t target) (found, error)) (collectors.Result, error) {
	g, err := e.gather(ctx, w, ts, f)
	if err != nil {
		return collectors.Result{}, err
	}
	return g.fold(ctx)
}

// gathered is every target's answer to one collection, before folding.
type gathered struct {
	// warnings are the resolution's: profiles that could not be used.
	warnings []string
	targets  []target
	outs     []found
	errs     []error
}

// gather resolves the refresh's targets and runs f on each of those ts
// chooses, concurrently. As each target answers, what has been found so far
// goes to collectors.ReportProgress: the panes fill region by region, and a
// collection that runs out of time keeps what the targets that answered
// gave, said to be short, rather than nothing.
func (e *env) gather(ctx context.Context, w model.Window, set targetSet,
	f func(ctx context.Context, t target) (found, error)) (gathered, error) {
	res, err := e.targets.resolve(ctx, w)
	if err != nil {
		return gathered{}, err
	}
	ts := set.pick(res)
	g := gathered{warnings: res.warnings, targets: ts, outs: make([]found, len(ts)), errs: make([]error, len(ts))}
	collectors.ReportProgress(ctx, model.Progress{Total: len(ts), Unit: set.unit}, model.Data{})
	var (
		mu    sync.Mutex
		done  int
		sofar model.Data
	)
	type answer struct {
		out found
		err error
	}
	answers := concurrently(ctx, ts, func(t target) answer {
		out, err := f(ctx, t)
		mu.Lock()
		defer mu.Unlock()
		done++
		if err == nil {
			// A new value each time: the receiver may keep the last.
			sofar = merge(merge(model.Data{}, sofar), out.data)
		}
		// Under the lock, so reports arrive in order.
		collectors.ReportProgress(ctx, model.Progress{Done: done, Total: len(ts), Unit: set.unit}, sofar)
		return answer{out, err}
	})
	for i, a := range answers {
		g.outs[i], g.errs[i] = a.out, a.err
	}
	return g, nil
}

// fold turns the answers into a result: data from every target that
// worked, one warning per distinct problem naming where it happened, and
// an error only when no target worked at all.
func (g gathered) fold(ctx context.Context) (collectors.Result, error) {
	var out collectors.Result
	for _, msg := range g.warnings {
		out.Warn(msg)
	}
	var notes []note
	worked := 0
	for i, t := range g.targets {
		if g.errs[i] != nil {
			notes = append(notes, note{msg: describe(t, g.errs[i]), where: t})
			continue
		}
		if !g.outs[i].failed {
			worked++
		}
		out.Data = merge(out.Data, g.outs[i].data)
		notes = append(notes, g.outs[i].notes...)
	}
	for _, msg := range fold(notes) {
		out.Warn(msg)
	}
	if worked == 0 && len(g.targets) > 0 {
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		return out, errors.New(strings.Join(out.Warnings, "; "))
	}
	return out, nil
}

// describe says what went wrong with a target, with the fix.
func describe(t target, err error) string { return classify(err).message(t.Profile) }

// fold turns notes into warnings: one per distinct message, listing the
// accounts and regions it happened in, in first-seen order.
func fold(notes []note) []string {
	var order []string
	places := map[string][]target{}
	for _, n := range notes {
		if _, ok := places[n.msg]; !ok {
			order = append(order, n.msg)
		}
		places[n.msg] = append(places[n.msg], n.where)
	}
	out := make([]string, 0, len(order))
	for _, msg := range order {
		out = append(out, fmt.Sprintf("%s (%s)", msg, placesText(places[msg])))
	}
	return out
}

// placesText lists targets grouped by account: "111111111111 us-east-1,
// eu-west-1; 222222222222 us-east-1".
func placesText(ts []target) string {
	ps := make([]model.Place, len(ts))
	for i, t := range ts {
		ps[i] = model.Place{Account: t.Account, Region: t.Region}
	}
	return model.PlaceList(ps)
}

// merge appends b's data to a's.
func merge(a, b model.Data) model.Data {
	a.Pipelines = append(a.Pipelines, b.Pipelines...)
	a.Alarms = append(a.Alarms, b.Alarms...)
	a.Inventory = append(a.Inventory, b.Inventory...)
	a.Invoices = append(a.Invoices, b.Invoices...)
	a.AlarmReach = append(a.AlarmReach, b.AlarmReach...)
	a.AlarmTargets = append(a.AlarmTargets, b.AlarmTargets...)
	return a
}

// everyRegion is every (account, region) pair.
var everyRegion = targetSet{pick: func(r resolution) []target { return r.pairs }, unit: "account regions"}

// everyAccount is every account once.
var everyAccount = targetSet{pick: func(r resolution) []target { return r.accounts }, unit: "accounts"}
