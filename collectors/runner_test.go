package collectors_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

// fake is a collector whose behaviour is a function.
type fake struct {
	name    string
	collect func(ctx context.Context, w model.Window) (collectors.Result, error)
}

func (f fake) Name() string { return f.name }

func (f fake) Collect(ctx context.Context, w model.Window) (collectors.Result, error) {
	return f.collect(ctx, w)
}

// slowFake is a fake that asks for its own timeout.
type slowFake struct {
	fake
	timeout time.Duration
}

func (f slowFake) Timeout() time.Duration { return f.timeout }

func returns(res collectors.Result, err error) func(context.Context, model.Window) (collectors.Result, error) {
	return func(context.Context, model.Window) (collectors.Result, error) { return res, err }
}

// blockUntil ignores its context and returns only when release is closed,
// like a collector stuck in a call that takes no context.
func blockUntil(release <-chan struct{}) func(context.Context, model.Window) (collectors.Result, error) {
	return func(context.Context, model.Window) (collectors.Result, error) {
		<-release
		return collectors.Result{}, nil
	}
}

func testWindow() model.Window {
	return model.Window{Since: time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
}

// next receives one outcome or fails after a generous deadline, so a broken
// runner fails the test instead of hanging it.
func next(t *testing.T, ch <-chan model.Outcome) model.Outcome {
	t.Helper()
	select {
	case o, ok := <-ch:
		if !ok {
			t.Fatal("outcome channel closed early")
		}
		return o
	case <-time.After(10 * time.Second):
		t.Fatal("no outcome within 10s")
	}
	return model.Outcome{}
}

func drain(t *testing.T, ch <-chan model.Outcome) map[string]model.Outcome {
	t.Helper()
	out := map[string]model.Outcome{}
	for {
		select {
		case o, ok := <-ch:
			if !ok {
				return out
			}
			if o.Source.Status == model.StatusPending {
				continue // progress on the way to the outcome
			}
			if _, dup := out[o.Source.Name]; dup {
				t.Errorf("two outcomes for %s", o.Source.Name)
			}
			out[o.Source.Name] = o
		case <-time.After(10 * time.Second):
			t.Fatal("outcome channel not closed within 10s")
		}
	}
}

func TestRunStreamsInCompletionOrder(t *testing.T) {
	release := make(chan struct{})
	slowStarted := make(chan struct{})
	r := collectors.Runner{Collectors: []collectors.Collector{
		fake{"slow", func(context.Context, model.Window) (collectors.Result, error) {
			close(slowStarted)
			<-release
			return collectors.Result{Data: model.Data{Alarms: []model.Alarm{{Name: "late"}}}}, nil
		}},
		fake{"fast", returns(collectors.Result{Data: model.Data{Pipelines: []model.Pipeline{{Name: "ci"}}}}, nil)},
	}}
	ch := r.Run(t.Context(), testWindow())
	<-slowStarted
	// The slow collector is provably still running (it cannot return
	// before release is closed), yet the fast one's outcome is here.
	first := next(t, ch)
	if first.Source.Name != "fast" || first.Source.Status != model.StatusOK || len(first.Data.Pipelines) != 1 {
		t.Fatalf("first outcome = %+v, want fast ok with its pipeline", first.Source)
	}
	close(release)
	second := next(t, ch)
	if second.Source.Name != "slow" || second.Source.Status != model.StatusOK || len(second.Data.Alarms) != 1 {
		t.Fatalf("second outcome = %+v, want slow ok", second.Source)
	}
	if _, ok := <-ch; ok {
		t.Fatal("channel not closed after every collector reported")
	}
}

func TestRunStatuses(t *testing.T) {
	data := model.Data{Alarms: []model.Alarm{{Name: "a"}, {Name: "b"}}}
	tests := []struct {
		name   string
		fn     func(context.Context, model.Window) (collectors.Result, error)
		status model.Status
		detail string
		items  int
	}{
		{"ok", returns(collectors.Result{Data: data}, nil), model.StatusOK, "", 2},
		{"ok empty", returns(collectors.Result{}, nil), model.StatusOK, "", 0},
		{"error", returns(collectors.Result{}, errors.New("list alarms in eu-west-1: AccessDenied")),
			model.StatusError, "list alarms in eu-west-1: AccessDenied", 0},
		{"skip", returns(collectors.Result{}, collectors.Skip("set GITHUB_TOKEN to read GitHub")),
			model.StatusSkipped, "set GITHUB_TOKEN to read GitHub", 0},
		{"wrapped skip", returns(collectors.Result{}, fmt.Errorf("github: %w", collectors.Skip("run gh auth login"))),
			model.StatusSkipped, "run gh auth login", 0},
		{"warnings", func(context.Context, model.Window) (collectors.Result, error) {
			res := collectors.Result{Data: data}
			res.Warn("eu-west-1: access denied")
			res.Warn("ap-south-1: throttled")
			return res, nil
		}, model.StatusPartial, "eu-west-1: access denied; ap-south-1: throttled", 2},
		{"panic", func(context.Context, model.Window) (collectors.Result, error) { panic("boom") },
			model.StatusError, "crashed: boom (a bug in opsdrag: its stack is in opsdrag's log; please report it)", 0},
		{"panic with an error", func(context.Context, model.Window) (collectors.Result, error) {
			var m map[string]int
			//lint:ignore SA5000 the test needs a runtime panic
			m["x"]++ // assignment to entry in nil map
			return collectors.Result{}, nil
		}, model.StatusError, "crashed: assignment to entry in nil map (a bug in opsdrag: its stack is in opsdrag's log; please report it)", 0},
	}
	var cs []collectors.Collector
	for _, tt := range tests {
		cs = append(cs, fake{tt.name, tt.fn})
	}
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	r := collectors.Runner{Collectors: cs, Now: func() time.Time { return now }}
	got := drain(t, r.Run(t.Context(), testWindow()))
	if len(got) != len(tests) {
		t.Fatalf("got %d outcomes, want %d", len(got), len(tests))
	}
	for _, tt := range tests {
		o := got[tt.name]
		if o.Source.Status != tt.status || o.Source.Detail != tt.detail {
			t.Errorf("%s: status %s %q, want %s %q", tt.name, o.Source.Status, o.Source.Detail, tt.status, tt.detail)
		}
		if o.Data.Items() != tt.items {
			t.Errorf("%s: %d items, want %d", tt.name, o.Data.Items(), tt.items)
		}
		if !o.Source.At.Equal(now) {
			t.Errorf("%s: At = %s, want the runner's clock %s", tt.name, o.Source.At, now)
		}
		if o.Source.Duration < 0 || o.Source.Duration > 10*time.Second {
			t.Errorf("%s: Duration = %s", tt.name, o.Source.Duration)
		}
	}
}

func TestRunPassesTheWindow(t *testing.T) {
	seen := make(chan model.Window, 1)
	r := collectors.Runner{Collectors: []collectors.Collector{fake{"w", func(_ context.Context, w model.Window) (collectors.Result, error) {
		seen <- w
		return collectors.Result{}, nil
	}}}}
	drain(t, r.Run(t.Context(), testWindow()))
	if w := <-seen; w != testWindow() {
		t.Errorf("collector saw window %v, want %v", w, testWindow())
	}
}

func TestRunTimeouts(t *testing.T) {
	release := make(chan struct{})
	defer close(release) // let the stuck collectors' goroutines exit
	honours := func(ctx context.Context, _ model.Window) (collectors.Result, error) {
		<-ctx.Done()
		return collectors.Result{}, fmt.Errorf("describe alarms: %w", ctx.Err())
	}
	r := collectors.Runner{
		Timeout: 50 * time.Millisecond,
		Collectors: []collectors.Collector{
			fake{"ignores ctx", blockUntil(release)},
			fake{"honours ctx", honours},
			// Timeouter overrides the runner's default in both directions.
			slowFake{fake{"own short timeout", blockUntil(release)}, 20 * time.Millisecond},
			slowFake{fake{"own long timeout", func(ctx context.Context, _ model.Window) (collectors.Result, error) {
				select {
				case <-time.After(150 * time.Millisecond): // longer than the runner's 50 ms
					return collectors.Result{Data: model.Data{Alarms: []model.Alarm{{Name: "ok"}}}}, nil
				case <-ctx.Done():
					return collectors.Result{}, ctx.Err()
				}
			}}, 10 * time.Second},
			// A zero Timeout() means "no opinion": the runner's applies.
			slowFake{fake{"zero own timeout", blockUntil(release)}, 0},
			fake{"quick", returns(collectors.Result{}, nil)},
		},
	}
	start := time.Now()
	got := drain(t, r.Run(t.Context(), testWindow()))
	elapsed := time.Since(start)
	want := map[string]struct {
		status model.Status
		detail string
	}{
		"ignores ctx":       {model.StatusError, "timed out after 50ms"},
		"honours ctx":       {model.StatusError, "timed out after 50ms"},
		"own short timeout": {model.StatusError, "timed out after 20ms"},
		"own long timeout":  {model.StatusOK, ""},
		"zero own timeout":  {model.StatusError, "timed out after 50ms"},
		"quick":             {model.StatusOK, ""},
	}
	for name, w := range want {
		o := got[name]
		if o.Source.Status != w.status || o.Source.Detail != w.detail {
			t.Errorf("%s: %s %q, want %s %q", name, o.Source.Status, o.Source.Detail, w.status, w.detail)
		}
	}
	// Every stuck collector was abandoned at its timeout, not waited for:
	// all outcomes were in well before release was closed.
	if elapsed > 5*time.Second {
		t.Errorf("run took %s with collectors that never return", elapsed)
	}
	if d := got["ignores ctx"].Source.Duration; d < 50*time.Millisecond || d > 5*time.Second {
		t.Errorf("timed-out Duration = %s, want about 50ms", d)
	}
}

func TestRunDeadlines(t *testing.T) {
	deadline := func(ctx context.Context) time.Duration {
		d, ok := ctx.Deadline()
		if !ok {
			return -1
		}
		return time.Until(d)
	}
	type seen struct {
		name string
		left time.Duration
	}
	ch := make(chan seen, 3)
	record := func(name string) func(ctx context.Context, _ model.Window) (collectors.Result, error) {
		return func(ctx context.Context, _ model.Window) (collectors.Result, error) {
			ch <- seen{name, deadline(ctx)}
			return collectors.Result{}, nil
		}
	}
	r := collectors.Runner{Collectors: []collectors.Collector{
		fake{"default", record("default")},
		slowFake{fake{"own", record("own")}, 5 * time.Minute},
	}}
	drain(t, r.Run(t.Context(), testWindow()))
	close(ch)
	for s := range ch {
		want := collectors.DefaultTimeout // Runner.Timeout zero: 60 s
		if s.name == "own" {
			want = 5 * time.Minute
		}
		if s.left > want || s.left < want-10*time.Second {
			t.Errorf("%s: deadline %s away, want about %s", s.name, s.left, want)
		}
	}
}

func TestRunParentCancel(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{}, 2)
	ctx, cancel := context.WithCancel(t.Context())
	r := collectors.Runner{Timeout: time.Hour, Collectors: []collectors.Collector{
		fake{"ignores ctx", func(context.Context, model.Window) (collectors.Result, error) {
			started <- struct{}{}
			<-release
			return collectors.Result{}, nil
		}},
		fake{"honours ctx", func(ctx context.Context, _ model.Window) (collectors.Result, error) {
			started <- struct{}{}
			<-ctx.Done()
			return collectors.Result{}, ctx.Err()
		}},
	}}
	ch := r.Run(ctx, testWindow())
	<-started
	<-started
	cancel()
	got := drain(t, ch)
	for _, name := range []string{"ignores ctx", "honours ctx"} {
		if o := got[name]; o.Source.Status != model.StatusError || o.Source.Detail != "cancelled" {
			t.Errorf("%s: %s %q, want error \"cancelled\"", name, o.Source.Status, o.Source.Detail)
		}
	}
}

func TestRunAlreadyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	r := collectors.Runner{Collectors: []collectors.Collector{
		fake{"c", func(ctx context.Context, _ model.Window) (collectors.Result, error) {
			return collectors.Result{}, ctx.Err()
		}},
	}}
	if o := drain(t, r.Run(ctx, testWindow()))["c"]; o.Source.Status != model.StatusError || o.Source.Detail != "cancelled" {
		t.Errorf("got %s %q, want error \"cancelled\"", o.Source.Status, o.Source.Detail)
	}
}

func TestRunNoCollectors(t *testing.T) {
	if got := drain(t, collectors.Runner{}.Run(t.Context(), testWindow())); len(got) != 0 {
		t.Errorf("got %d outcomes from no collectors", len(got))
	}
}

func TestRunnerCollect(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	r := collectors.Runner{
		Now: func() time.Time { return now },
		Collectors: []collectors.Collector{
			fake{"github/actions", returns(collectors.Result{Data: model.Data{Pipelines: []model.Pipeline{{Name: "ci\x1b[31m", Failing: true}}}}, nil)},
			fake{"github/pulls", returns(collectors.Result{}, collectors.Skip("set GITHUB_TOKEN"))},
			fake{"aws/alarms", func(context.Context, model.Window) (collectors.Result, error) { panic("nil pointer") }},
			fake{"aws/cost", func(context.Context, model.Window) (collectors.Result, error) {
				bill := 1200.0
				res := collectors.Result{Data: model.Data{Invoices: []model.Invoice{{Account: "1", LastMonth: &bill}}}}
				res.Warn("account 2: access denied")
				return res, nil
			}},
		},
	}
	if got, want := r.Names(), []string{"github/actions", "github/pulls", "aws/alarms", "aws/cost"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Names = %v, want %v", got, want)
	}
	snap := r.Collect(t.Context(), model.NewSnapshot(testWindow(), false, r.Names()))
	if snap.Pending() {
		t.Errorf("a source is still pending after Collect")
	}
	var got []string
	for _, s := range snap.Sources {
		got = append(got, s.Name+":"+string(s.Status))
	}
	want := []string{"github/actions:ok", "github/pulls:skipped", "aws/alarms:error", "aws/cost:partial"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sources = %v, want %v (configuration order)", got, want)
	}
	if p := snap.Pipelines(); len(p) != 1 || p[0].Name != "ci" {
		t.Errorf("pipelines = %+v, want one, cleaned", p)
	}
	if inv := snap.InvoiceMonthly(); inv == nil || *inv != 1200 {
		t.Errorf("invoice = %v, want 1200 from the partial source", inv)
	}
	if src, _ := snap.Source("aws/alarms"); !strings.HasPrefix(src.Detail, "crashed: nil pointer") {
		t.Errorf("aws/alarms detail = %q", src.Detail)
	}
	if src, _ := snap.Source("github/actions"); !src.At.Equal(now) || src.Items != 1 {
		t.Errorf("github/actions = %+v, want 1 item at %s", src, now)
	}
}

func TestResultWarnAndSkipError(t *testing.T) {
	var r collectors.Result
	r.Warn("one")
	r.Warn("two")
	if !reflect.DeepEqual(r.Warnings, []string{"one", "two"}) {
		t.Errorf("Warnings = %q", r.Warnings)
	}
	err := collectors.Skip("configure aws.profiles")
	var skip *collectors.SkipError
	if !errors.As(err, &skip) || skip.Hint != "configure aws.profiles" || err.Error() != "configure aws.profiles" {
		t.Errorf("Skip = %#v (%q)", err, err)
	}
}

func TestRunStreamsProgressBeforeTheOutcome(t *testing.T) {
	step := make(chan struct{})
	r := collectors.Runner{Collectors: []collectors.Collector{fake{"repos", func(ctx context.Context, _ model.Window) (collectors.Result, error) {
		var sofar model.Data
		for i := range 3 {
			<-step
			sofar.Pipelines = append(sofar.Pipelines[:i:i], model.Pipeline{Name: fmt.Sprint("ci", i)})
			collectors.ReportProgress(ctx, model.Progress{Done: i + 1, Total: 3, Unit: "repositories"}, sofar)
		}
		return collectors.Result{Data: sofar, Usage: &model.Usage{Requests: 7}}, nil
	}}}}
	ch := r.Run(t.Context(), testWindow())
	for i := range 3 {
		step <- struct{}{}
		if i == 0 {
			o := next(t, ch)
			if o.Source.Status != model.StatusPending || o.Source.Progress == nil || o.Source.Progress.Done != 1 || len(o.Data.Pipelines) != 1 {
				t.Fatalf("first progress = %+v %+v", o.Source, o.Source.Progress)
			}
		}
	}
	// Later reports may be dropped by the pace, but the final outcome comes
	// last and carries the usage.
	for {
		o := next(t, ch)
		if o.Source.Status == model.StatusPending {
			if o.Source.Progress.Done < 2 || len(o.Data.Pipelines) != o.Source.Progress.Done {
				t.Fatalf("progress %+v with %d pipelines", o.Source.Progress, len(o.Data.Pipelines))
			}
			continue
		}
		if o.Source.Status != model.StatusOK || len(o.Data.Pipelines) != 3 || o.Source.Usage == nil || o.Source.Usage.Requests != 7 || o.Source.Progress != nil {
			t.Fatalf("final outcome = %+v", o.Source)
		}
		break
	}
	if o, ok := <-ch; ok {
		t.Fatalf("an outcome after the final one: %+v", o.Source)
	}
}

func TestProgressAfterATimeoutIsDropped(t *testing.T) {
	release := make(chan struct{})
	reported := make(chan struct{})
	r := collectors.Runner{Timeout: 20 * time.Millisecond, Collectors: []collectors.Collector{fake{"stuck", func(ctx context.Context, _ model.Window) (collectors.Result, error) {
		<-release
		// The runner has given up on this collector and closed the stream.
		collectors.ReportProgress(ctx, model.Progress{Done: 1, Total: 2}, model.Data{})
		close(reported)
		return collectors.Result{}, nil
	}}}}
	got := drain(t, r.Run(t.Context(), testWindow()))
	if got["stuck"].Source.Status != model.StatusError {
		t.Fatalf("stuck collector: %+v", got["stuck"].Source)
	}
	close(release)
	<-reported                                                             // a send on the closed stream would have panicked
	collectors.ReportProgress(t.Context(), model.Progress{}, model.Data{}) // nobody listening: a no-op
}

// A collection that runs out of time keeps what it had gathered, as a
// partial source that says how far it got, rather than blanking its panes.
func TestATimeoutKeepsWhatWasGathered(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	r := collectors.Runner{Timeout: 100 * time.Millisecond, Collectors: []collectors.Collector{fake{"github/actions", func(ctx context.Context, _ model.Window) (collectors.Result, error) {
		collectors.ReportProgress(ctx, model.Progress{Done: 450, Total: 800, Unit: "repositories"},
			model.Data{Pipelines: []model.Pipeline{{Name: "ci"}}})
		<-release
		return collectors.Result{}, nil
	}}}}
	got := drain(t, r.Run(t.Context(), testWindow()))["github/actions"]
	if got.Source.Status != model.StatusPartial || len(got.Data.Pipelines) != 1 ||
		got.Source.Detail != "timed out after 100ms having read 450 of 800 repositories: the rest is missing, so every figure it feeds is a lower bound" {
		t.Fatalf("timed out: %+v with %d pipelines", got.Source, len(got.Data.Pipelines))
	}
}

// A collection that runs out of time before anything answered is an error,
// whatever progress it reported: nothing was read, so nothing is known.
func TestATimeoutBeforeAnythingWasReadIsAnError(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	r := collectors.Runner{Timeout: 100 * time.Millisecond, Collectors: []collectors.Collector{fake{"aws/alarms", func(ctx context.Context, _ model.Window) (collectors.Result, error) {
		collectors.ReportProgress(ctx, model.Progress{Total: 8, Unit: "account regions"}, model.Data{})
		<-release
		return collectors.Result{}, nil
	}}}}
	got := drain(t, r.Run(t.Context(), testWindow()))["aws/alarms"]
	if got.Source.Status != model.StatusError || got.Source.Detail != "timed out after 100ms having read none of 8 account regions" {
		t.Fatalf("timed out: %+v", got.Source)
	}
}
