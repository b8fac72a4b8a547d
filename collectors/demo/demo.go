// Package demo is opsdrag's built-in data set: a fictitious team "acme" with
// four repositories and one AWS account in two regions. It is deterministic
// for a given moment and relative to it, so the demo always looks current
// and exercises every pane: failing and recovered workflows with reruns,
// alarms firing now and alarms that fired at night and over the weekend,
// open and merged infra PRs, an invoice and an inventory.
package demo

import (
	"context"
	"time"
	_ "time/tzdata" // the demo team's time zone must load on any machine

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

// Account is the demo AWS account id.
const Account = "111122223333"

// Team returns the demo team's settings.
func Team() model.Team {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		loc = time.UTC
	}
	return model.Team{Name: "acme", Engineers: 8, HourlyCost: 95, Currency: "USD", Location: loc}
}

// Options tune the demo collectors.
type Options struct {
	// Now tells the time the data set is relative to; nil means the end of
	// the window being collected, so ages agree with the window exactly.
	Now func() time.Time
	// Location is the team time zone the night and weekend events are placed
	// in; nil means the demo team's.
	Location *time.Location
	// Latency, when set, makes each collector take a different share of it,
	// so the interface can be seen filling pane by pane.
	Latency time.Duration
}

// Collectors returns the demo sources, named like the real ones they stand in
// for.
func Collectors(o Options) []collectors.Collector {
	if o.Location == nil {
		o.Location = Team().Loc()
	}
	mk := func(name string, share float64, f func(dataset) collectors.Result) collectors.Collector {
		return source{name: name, delay: time.Duration(share * float64(o.Latency)), opts: o, build: f}
	}
	return []collectors.Collector{
		mk("github/actions", 0.35, func(d dataset) collectors.Result { return d.actions() }),
		mk("github/pulls", 0.6, func(d dataset) collectors.Result { return d.pulls() }),
		mk("aws/alarms", 0.5, func(d dataset) collectors.Result { return d.alarms() }),
		mk("aws/codepipeline", 0.7, func(d dataset) collectors.Result { return d.codepipelines() }),
		mk("aws/cost", 0.9, func(d dataset) collectors.Result { return d.cost() }),
		mk("aws/inventory", 1, func(d dataset) collectors.Result { return d.inventory() }),
	}
}

type source struct {
	name  string
	delay time.Duration
	opts  Options
	build func(dataset) collectors.Result
}

func (s source) Name() string { return s.name }

func (s source) Collect(ctx context.Context, w model.Window) (collectors.Result, error) {
	if s.delay > 0 {
		select {
		case <-time.After(s.delay):
		case <-ctx.Done():
			return collectors.Result{}, ctx.Err()
		}
	}
	now := w.Until
	if s.opts.Now != nil {
		now = s.opts.Now()
	}
	return s.build(dataset{now: now, loc: s.opts.Location, w: w}), nil
}

// dataset builds the demo signals for one moment and window.
type dataset struct {
	now time.Time
	loc *time.Location
	w   model.Window
}

// ago is a moment relative to now.
func (d dataset) ago(dur time.Duration) time.Time { return d.now.Add(-dur) }

// last returns the most recent weekday wd at hh:mm (team time) that is at
// least an hour before now.
func (d dataset) last(wd time.Weekday, hh, mm int) time.Time {
	ref := d.now.Add(-time.Hour)
	t := model.LastWeekdayAt(ref, wd, hh, d.loc).Add(time.Duration(mm) * time.Minute)
	if !t.Before(ref) {
		t = t.AddDate(0, 0, -7)
	}
	return t
}

// lastNight returns the most recent hh:mm (team time) at least an hour ago.
func (d dataset) lastNight(hh, mm int) time.Time {
	ref := d.now.Add(-time.Hour).In(d.loc)
	y, m, day := ref.Date()
	t := time.Date(y, m, day, hh, mm, 0, 0, d.loc)
	if !t.Before(ref) {
		t = t.AddDate(0, 0, -1)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

func h(n float64) time.Duration { return time.Duration(n * float64(time.Hour)) }
