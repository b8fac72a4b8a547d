package collectors

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// DefaultTimeout bounds a collector that does not say otherwise.
const DefaultTimeout = 60 * time.Second

// Runner runs collectors concurrently, each under its own timeout.
type Runner struct {
	Collectors []Collector
	// Timeout applies to collectors that do not implement Timeouter; zero
	// means DefaultTimeout.
	Timeout time.Duration
	// Now tells the time; nil means time.Now.
	Now func() time.Time
	// Log receives each collection's outcome, and any panic with its
	// stack; nil logs nothing.
	Log *slog.Logger
}

// Names returns the collectors' names in order.
func (r Runner) Names() []string {
	names := make([]string, len(r.Collectors))
	for i, c := range r.Collectors {
		names[i] = c.Name()
	}
	return names
}

// Run starts every collector and returns a channel that yields each outcome
// as soon as it is ready, then closes once all are done. A collector that
// errors, panics or outlives its timeout yields an "error" outcome; the
// others are unaffected. Cancelling ctx cancels them all.
func (r Runner) Run(ctx context.Context, w model.Window) <-chan model.Outcome {
	// Room for every final outcome and a progress report from each.
	out := make(chan model.Outcome, 2*len(r.Collectors))
	var wg sync.WaitGroup
	for _, c := range r.Collectors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := &progressGate{name: c.Name(), out: out}
			o := r.runOne(ctx, g, c, w)
			g.close()
			out <- o
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// progressInterval is the least time between two progress outcomes of one
// collector: often enough to watch a pane fill, rare enough that copying the
// data gathered so far costs nothing.
const progressInterval = 150 * time.Millisecond

// progressGate forwards one collector's progress as pending outcomes. It
// never blocks the collector (a report that finds the stream full is
// dropped: the next one carries everything gathered so far) and stops for
// good before the final outcome is sent, so nothing follows it, even from a
// collector that outlived its timeout.
type progressGate struct {
	name string
	out  chan<- model.Outcome

	mu     sync.Mutex
	closed bool
	last   time.Time
	// latest is the last report, sent or not: what a collection that runs
	// out of time had gathered.
	latest   *model.Progress
	latestSo model.Data
}

func (g *progressGate) report(p model.Progress, sofar model.Data) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return
	}
	g.latest, g.latestSo = &p, sofar
	if time.Since(g.last) < progressInterval {
		return
	}
	g.last = time.Now()
	o := model.Outcome{Source: model.Source{Name: g.name, Status: model.StatusPending, Progress: &p}, Data: sofar}
	select {
	case g.out <- o:
	default:
	}
}

// gathered returns the last progress reported and the data with it; nil
// when none was.
func (g *progressGate) gathered() (*model.Progress, model.Data) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.latest, g.latestSo
}

func (g *progressGate) close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}

// Collect runs every collector and folds the outcomes into snap.
func (r Runner) Collect(ctx context.Context, snap model.Snapshot) model.Snapshot {
	for o := range r.Run(ctx, snap.Window) {
		snap = snap.With(o)
	}
	return snap
}

type attempt struct {
	res Result
	err error
}

func (r Runner) runOne(ctx context.Context, g *progressGate, c Collector, w model.Window) model.Outcome {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if t, ok := c.(Timeouter); ok && t.Timeout() > 0 {
		timeout = t.Timeout()
	}
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	// The clock starts before the timeout's: a source that times out took
	// its whole timeout, never a hair less.
	start := time.Now()
	ctx, cancel := context.WithTimeout(WithProgress(ctx, g.report), timeout)
	defer cancel()
	crashed := &crash{cancel: cancel}
	ctx = withCrash(ctx, crashed)

	// Buffered so a collector that ignores its context can still finish and
	// exit after we have stopped waiting for it.
	done := make(chan attempt, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				crashed.record(p, debug.Stack())
				done <- attempt{}
			}
		}()
		res, err := c.Collect(ctx, w)
		done <- attempt{res: res, err: err}
	}()

	var a attempt
	select {
	case a = <-done:
	case <-ctx.Done():
		a = attempt{err: ctx.Err()}
	}
	if p, stack := crashed.happened(); stack != nil {
		// Whatever the collection returned after a panic cut it short is
		// not the whole answer.
		a = attempt{err: crashed.err()}
		r.log().Error("collector panicked", "source", c.Name(), "panic", fmt.Sprint(p), "stack", string(stack))
	} else if a.err != nil && ctx.Err() != nil && a.res.Data.Items() == 0 {
		p, sofar := g.gathered()
		switch {
		case ctx.Err() == context.DeadlineExceeded && p != nil && p.Done == 0:
			// Nothing was read: unknown, not an empty partial.
			a.err = fmt.Errorf("timed out after %s having read none of %d %s", timeout, p.Total, p.Unit)
		case ctx.Err() == context.DeadlineExceeded && p != nil:
			// What was gathered is kept, and said to be short.
			a = attempt{res: Result{Data: sofar, Usage: a.res.Usage}}
			a.res.Warn(fmt.Sprintf("timed out after %s having read %d of %d %s: the rest is missing, so every figure it feeds is a lower bound",
				timeout, p.Done, p.Total, p.Unit))
		case ctx.Err() == context.DeadlineExceeded:
			a.err = fmt.Errorf("timed out after %s", timeout)
		default:
			a.err = fmt.Errorf("cancelled")
		}
	}
	status, detail := statusOf(a.res, a.err)
	r.log().Info("collected", "source", c.Name(), "status", string(status), "items", a.res.Data.Items(),
		"duration", time.Since(start).Round(time.Millisecond), "detail", detail)
	return model.Outcome{
		Source: model.Source{
			Name:     c.Name(),
			Status:   status,
			Detail:   detail,
			Duration: time.Since(start),
			At:       now(),
			Usage:    a.res.Usage,
		},
		Data: a.res.Data,
	}
}

func (r Runner) log() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}
