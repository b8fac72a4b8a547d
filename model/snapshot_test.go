package model_test

import (
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

func names[T any](xs []T, f func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func sourceNames(s model.Snapshot) []string {
	return names(s.Sources, func(x model.Source) string { return x.Name + ":" + string(x.Status) })
}

func okOutcome(name string, when time.Time, d model.Data) model.Outcome {
	return model.Outcome{Source: model.Source{Name: name, Status: model.StatusOK, At: when}, Data: d}
}

func errOutcome(name string, when time.Time, detail string) model.Outcome {
	return model.Outcome{Source: model.Source{Name: name, Status: model.StatusError, Detail: detail, At: when}}
}

func TestNewSnapshot(t *testing.T) {
	s := model.NewSnapshot(week(), true, []string{"b", "a", "c"})
	if got, want := sourceNames(s), []string{"b:pending", "a:pending", "c:pending"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sources = %v, want %v", got, want)
	}
	if !s.Demo || s.Window != week() {
		t.Errorf("Demo/Window not kept: %+v", s)
	}
	if !s.Pending() || s.AnySucceeded() || !s.OldestData().IsZero() {
		t.Errorf("new snapshot: Pending=%v AnySucceeded=%v OldestData=%v, want true, false, zero",
			s.Pending(), s.AnySucceeded(), s.OldestData())
	}
	if s.Pipelines() != nil || s.MergedPRs() != nil || s.InvoiceMonthly() != nil {
		t.Errorf("new snapshot has data")
	}
}

func TestSnapshotWith(t *testing.T) {
	t1, t2, t3 := at(9), at(10), at(11)
	pipes := model.Data{Pipelines: []model.Pipeline{{Scope: "acme/api", Name: "ci"}, {Scope: "acme/web", Name: "ci"}}}

	s0 := model.NewSnapshot(week(), false, []string{"github/actions", "aws/alarms", "aws/cost"})
	// Outcomes arrive out of configuration order; the sources keep it.
	s1 := s0.With(errOutcome("aws/cost", t1, "access denied"))
	s1 = s1.With(okOutcome("github/actions", t1, pipes))
	if got, want := sourceNames(s1), []string{"github/actions:ok", "aws/alarms:pending", "aws/cost:error"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sources = %v, want %v", got, want)
	}
	src, ok := s1.Source("github/actions")
	if !ok || src.Items != 2 || src.Stale || !src.At.Equal(t1) {
		t.Errorf("github/actions = %+v, want 2 items at %s, not stale", src, t1)
	}
	if len(s1.Pipelines()) != 2 {
		t.Errorf("Pipelines = %d, want 2", len(s1.Pipelines()))
	}

	// A failing first attempt has no data and is not stale.
	cost, _ := s1.Source("aws/cost")
	if cost.Stale || cost.Items != 0 || cost.Detail != "access denied" {
		t.Errorf("failed first attempt = %+v, want no data, not stale, detail kept", cost)
	}
	if s1.InvoiceMonthly() != nil {
		t.Errorf("a failed source contributed an invoice")
	}

	// A failing refresh keeps the previous data, marked stale, with the
	// time it was collected.
	s2 := s1.With(errOutcome("github/actions", t2, "timed out after 1m0s"))
	src, _ = s2.Source("github/actions")
	wantDetail := "timed out after 1m0s (showing data from Nov 16 09:00)"
	if src.Status != model.StatusError || !src.Stale || !src.At.Equal(t1) || src.Items != 2 || src.Detail != wantDetail {
		t.Errorf("after a failed refresh = %+v, want error, stale, At %s, 2 items, detail %q", src, t1, wantDetail)
	}
	if len(s2.Pipelines()) != 2 {
		t.Errorf("a failed refresh blanked the pipelines")
	}
	if !s2.OldestData().Equal(t1) {
		t.Errorf("OldestData = %s, want %s", s2.OldestData(), t1)
	}

	// A second failure in a row still shows the first data and its time.
	s3 := s2.With(model.Outcome{Source: model.Source{Name: "github/actions", Status: model.StatusError, Detail: "rate limited", At: t3}})
	src, _ = s3.Source("github/actions")
	if !src.Stale || !src.At.Equal(t1) || len(s3.Pipelines()) != 2 || src.Detail != "rate limited (showing data from Nov 16 09:00)" {
		t.Errorf("after a second failure = %+v (%d pipelines), want stale data from %s", src, len(s3.Pipelines()), t1)
	}

	// A source no longer configured (skipped) keeps nothing.
	gone := s2.With(model.Outcome{Source: model.Source{Name: "github/actions", Status: model.StatusSkipped, Detail: "no token", At: t3}})
	if src, _ := gone.Source("github/actions"); src.Stale || len(gone.Pipelines()) != 0 || src.Detail != "no token" {
		t.Errorf("after being unconfigured = %+v (%d pipelines), want no data", src, len(gone.Pipelines()))
	}

	// A success replaces the data and clears the stale mark.
	s4 := s3.With(okOutcome("github/actions", t3, model.Data{Pipelines: pipes.Pipelines[:1]}))
	src, _ = s4.Source("github/actions")
	if src.Stale || !src.At.Equal(t3) || src.Items != 1 || len(s4.Pipelines()) != 1 {
		t.Errorf("after recovery = %+v (%d pipelines), want fresh data at %s", src, len(s4.Pipelines()), t3)
	}

	// With never changes its receiver.
	if got, want := sourceNames(s0), []string{"github/actions:pending", "aws/alarms:pending", "aws/cost:pending"}; !reflect.DeepEqual(got, want) {
		t.Errorf("s0 sources changed to %v", got)
	}
	if s0.Pipelines() != nil {
		t.Errorf("s0 gained data")
	}
	if src, _ := s1.Source("github/actions"); src.Stale || src.Status != model.StatusOK {
		t.Errorf("s1 changed by a later With: %+v", src)
	}
	if len(s1.Pipelines()) != 2 || len(s3.Pipelines()) != 2 {
		t.Errorf("earlier snapshots lost data")
	}
}

func TestSnapshotWithUnknownSourceIsAppended(t *testing.T) {
	s := model.NewSnapshot(week(), false, []string{"a"})
	s = s.With(okOutcome("extra", at(1), model.Data{}))
	if got, want := sourceNames(s), []string{"a:pending", "extra:ok"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sources = %v, want %v", got, want)
	}
	if _, ok := s.Source("missing"); ok {
		t.Errorf("Source(missing) found something")
	}
}

func TestSnapshotWithCleans(t *testing.T) {
	s := model.NewSnapshot(week(), false, []string{"src"})
	s = s.With(okOutcome("src", at(1), everyField()))
	got := map[string]string{}
	collect := func(v any, path string) { collectStrings(reflect.ValueOf(v), path, got) }
	collect(s.Pipelines(), "Pipelines")
	collect(s.Alarms(), "Alarms")
	collect(s.PullRequests(), "PullRequests")
	collect(s.Inventory(), "Inventory")
	collect(s.Invoices(), "Invoices")
	if len(got) < 20 {
		t.Fatalf("only %d strings came through: %v", len(got), got)
	}
	for path, v := range got {
		if v != dirtyClean && v != dirtyClean+"EC2" && v != dirtyClean+"RDS" {
			t.Errorf("%s = %q, not cleaned", path, v)
		}
	}
}

func TestSnapshotStatusQueries(t *testing.T) {
	s := model.NewSnapshot(week(), false, []string{"a", "b", "c"})
	s = s.With(errOutcome("a", at(1), "boom"))
	s = s.With(model.Outcome{Source: model.Source{Name: "b", Status: model.StatusSkipped}})
	if !s.Pending() || s.AnySucceeded() {
		t.Errorf("Pending=%v AnySucceeded=%v, want true, false", s.Pending(), s.AnySucceeded())
	}
	s = s.With(model.Outcome{Source: model.Source{Name: "c", Status: model.StatusPartial, Detail: "one region denied", At: at(5)},
		Data: model.Data{Alarms: []model.Alarm{{Name: "x"}}}})
	if s.Pending() || !s.AnySucceeded() {
		t.Errorf("Pending=%v AnySucceeded=%v, want false, true (partial succeeded)", s.Pending(), s.AnySucceeded())
	}
	if len(s.Alarms()) != 1 {
		t.Errorf("partial data dropped")
	}
}

func TestSnapshotOldestData(t *testing.T) {
	s := model.NewSnapshot(week(), false, []string{"a", "b", "c", "d"})
	s = s.With(okOutcome("a", at(20), model.Data{}))
	s = s.With(okOutcome("b", at(10), model.Data{}))
	s = s.With(errOutcome("c", at(5), "never worked")) // no data: does not count
	s = s.With(okOutcome("d", time.Time{}, model.Data{}))
	if got := s.OldestData(); !got.Equal(at(10)) {
		t.Errorf("OldestData = %s, want %s", got, at(10))
	}
	// b fails its refresh: its data from h10 stays the oldest shown.
	s = s.With(errOutcome("b", at(30), "boom"))
	if got := s.OldestData(); !got.Equal(at(10)) {
		t.Errorf("OldestData after a stale refresh = %s, want %s", got, at(10))
	}
}

func TestSnapshotPipelinesOrder(t *testing.T) {
	s := model.NewSnapshot(week(), false, []string{"gh", "cp"})
	s = s.With(okOutcome("gh", at(1), model.Data{Pipelines: []model.Pipeline{
		{Scope: "z/green", Name: "ci"},
		{Scope: "a/red-short", Name: "ci", Failing: true, RedHours: 2, Failures: 1},
		{Scope: "b/was-red", Name: "ci", RedHours: 10, Failures: 2},
		{Scope: "c/was-red-more-failures", Name: "ci", RedHours: 10, Failures: 5},
	}}))
	s = s.With(okOutcome("cp", at(1), model.Data{Pipelines: []model.Pipeline{
		{Scope: "111/eu-west-1", Name: "deploy", Failing: true, RedHours: 30, Failures: 1},
		{Scope: "a/red-short", Name: "b-job", Failing: true, RedHours: 2, Failures: 1},
		{Scope: "a/red-short", Name: "a-job", Failing: true, RedHours: 2, Failures: 1},
	}}))
	got := names(s.Pipelines(), func(p model.Pipeline) string { return p.Scope + " " + p.Name })
	want := []string{
		"111/eu-west-1 deploy", // failing, most red time
		"a/red-short a-job",    // failing, 2 h, 1 failure: by scope, then name
		"a/red-short b-job",
		"a/red-short ci",
		"c/was-red-more-failures ci", // green now: 10 h red, 5 failures
		"b/was-red ci",               // 10 h, 2 failures
		"z/green ci",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Pipelines order =\n %q\nwant\n %q", got, want)
	}
}

func TestSnapshotAlarmsOrder(t *testing.T) {
	tr := func(n int) []time.Time { return make([]time.Time, n) }
	s := model.NewSnapshot(week(), false, []string{"a"})
	s = s.With(okOutcome("a", at(1), model.Data{Alarms: []model.Alarm{
		{Account: "1", Region: "us-east-1", Name: "quiet", State: model.StateOK, Transitions: tr(1)},
		{Account: "1", Region: "us-east-1", Name: "flappy", State: model.StateOK, Transitions: tr(7)},
		{Account: "2", Region: "us-east-1", Name: "firing-b", State: model.StateAlarm, Transitions: tr(2)},
		{Account: "1", Region: "us-east-1", Name: "firing-a", State: model.StateAlarm, Transitions: tr(2)},
		{Account: "1", Region: "eu-west-1", Name: "firing-z", State: model.StateAlarm, Transitions: tr(2)},
		{Account: "1", Region: "us-east-1", Name: "firing-often", State: model.StateAlarm, Transitions: tr(4)},
		{Account: "1", Region: "us-east-1", Name: "no-data", State: model.StateInsufficientData},
	}}))
	got := names(s.Alarms(), func(a model.Alarm) string { return a.Name })
	want := []string{"firing-often", "firing-z", "firing-a", "firing-b", "flappy", "quiet", "no-data"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Alarms order = %q, want %q", got, want)
	}
}

func TestSnapshotPullRequestsOrder(t *testing.T) {
	s := model.NewSnapshot(week(), false, []string{"a", "b"})
	s = s.With(okOutcome("a", at(1), model.Data{PullRequests: []model.PullRequest{
		{Repo: "acme/x", Number: 1, State: model.PRMerged, MergedAt: ptr(at(10))},
		{Repo: "acme/x", Number: 2, State: model.PROpen, CreatedAt: at(50)},
		{Repo: "acme/x", Number: 3, State: model.PRMerged, MergedAt: ptr(at(90))},
		{Repo: "acme/x", Number: 4, State: model.PROpen, CreatedAt: at(-100)},
	}}))
	s = s.With(okOutcome("b", at(1), model.Data{PullRequests: []model.PullRequest{
		{Repo: "acme/b", Number: 9, State: model.PROpen, CreatedAt: at(50)},
		{Repo: "acme/a", Number: 5, State: model.PRMerged, MergedAt: ptr(at(90))},
		{Repo: "acme/a", Number: 6, State: model.PRMerged}, // merge time unknown: last
	}}))
	got := names(s.PullRequests(), func(p model.PullRequest) string {
		return string(p.State) + " " + p.Repo + "#" + strconv.Itoa(p.Number)
	})
	want := []string{
		"open acme/x#4",   // waited longest
		"open acme/b#9",   // same age as x#2: by repo
		"open acme/x#2",   //
		"merged acme/a#5", // merged at h90, by repo
		"merged acme/x#3", //
		"merged acme/x#1", // h10
		"merged acme/a#6", // unknown merge time
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PullRequests order =\n %q\nwant\n %q", got, want)
	}
}

func TestSnapshotInventoryAndInvoicesOrder(t *testing.T) {
	s := model.NewSnapshot(week(), false, []string{"a"})
	s = s.With(okOutcome("a", at(1), model.Data{
		Inventory: []model.ResourceGroup{
			{Kind: model.KindIAMRole, Account: "1", Region: "global", Count: 3},
			{Kind: "zz-custom", Account: "1", Region: "us-east-1", Count: 1},
			{Kind: model.KindECSService, Account: "2", Region: "us-east-1", Count: 2},
			{Kind: model.KindECSService, Account: "1", Region: "us-east-1", Count: 2},
			{Kind: model.KindECSCluster, Account: "1", Region: "us-east-1", Count: 1},
		},
		Invoices: []model.Invoice{{Account: "2"}, {Account: "1"}},
	}))
	got := names(s.Inventory(), func(g model.ResourceGroup) string { return string(g.Kind) + "/" + g.Account })
	want := []string{"ecs-cluster/1", "ecs-service/1", "ecs-service/2", "iam-role/1", "zz-custom/1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Inventory order = %q, want %q", got, want)
	}
	if got := names(s.Invoices(), func(i model.Invoice) string { return i.Account }); !reflect.DeepEqual(got, []string{"1", "2"}) {
		t.Errorf("Invoices order = %q", got)
	}
}

func TestSnapshotSums(t *testing.T) {
	tests := []struct {
		name    string
		data    []model.Data
		merged  *int
		invoice *float64
	}{
		{"nothing collected", nil, nil, nil},
		{"sources without counts", []model.Data{{}, {Invoices: []model.Invoice{{Account: "1"}}}}, nil, nil},
		// 3 + 4 = 7 merged; 120.5 + 79.5 = 200 invoiced (the unknown bill is skipped).
		{"summed", []model.Data{
			{MergedPRs: ptr(3), Invoices: []model.Invoice{{Account: "1", LastMonth: ptr(120.5)}, {Account: "3"}}},
			{MergedPRs: ptr(4), Invoices: []model.Invoice{{Account: "2", LastMonth: ptr(79.5)}}},
			{},
		}, ptr(7), ptr(200.0)},
		{"zero is known", []model.Data{{MergedPRs: ptr(0), Invoices: []model.Invoice{{LastMonth: ptr(0.0)}}}}, ptr(0), ptr(0.0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var srcs []string
			for i := range tt.data {
				srcs = append(srcs, strconv.Itoa(i))
			}
			s := model.NewSnapshot(week(), false, srcs)
			for i, d := range tt.data {
				s = s.With(okOutcome(srcs[i], at(1), d))
			}
			if got := s.MergedPRs(); (got == nil) != (tt.merged == nil) || (got != nil && *got != *tt.merged) {
				t.Errorf("MergedPRs = %v, want %v", deref(got), deref(tt.merged))
			}
			checkOpt(t, "InvoiceMonthly", s.InvoiceMonthly(), tt.invoice)
		})
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestSnapshotWithProgress(t *testing.T) {
	w := model.Window{Since: time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	pending := func(done int, names ...string) model.Outcome {
		var d model.Data
		for _, n := range names {
			d.Pipelines = append(d.Pipelines, model.Pipeline{Name: n + "\x1b[31m"})
		}
		return model.Outcome{Source: model.Source{Name: "github/actions", Status: model.StatusPending, Progress: &model.Progress{Done: done, Total: 3, Unit: "repositories"}}, Data: d}
	}
	// A cold collection fills as it goes.
	s := model.NewSnapshot(w, false, []string{"github/actions"}).With(pending(1, "ci"))
	src, _ := s.Source("github/actions")
	if src.Status != model.StatusPending || src.Progress == nil || src.Progress.Done != 1 || len(s.Pipelines()) != 1 || s.Pipelines()[0].Name != "ci" {
		t.Fatalf("cold progress: %+v %+v", src, s.Pipelines())
	}
	s = s.With(pending(2, "ci", "deploy"))
	if len(s.Pipelines()) != 2 {
		t.Fatalf("second progress: %+v", s.Pipelines())
	}
	// The final outcome replaces it and clears the progress.
	at := w.Until
	s = s.With(model.Outcome{Source: model.Source{Name: "github/actions", Status: model.StatusError, Detail: "401 Bad credentials", At: at}})
	src, _ = s.Source("github/actions")
	if src.Progress != nil || src.Status != model.StatusError {
		t.Fatalf("final: %+v", src)
	}
	ok := s.With(model.Outcome{Source: model.Source{Name: "github/actions", Status: model.StatusOK, At: at}, Data: model.Data{Pipelines: []model.Pipeline{{Name: "kept"}}}})
	// After a failure with nothing kept, the next refresh fills as it goes.
	retry := s.With(pending(1, "again"))
	if p := retry.Pipelines(); len(p) != 1 || p[0].Name != "again" {
		t.Fatalf("progress after a failed collection: %+v", p)
	}
	// A warm refresh keeps the finished data and the last status until the
	// collection ends; only the progress moves.
	failed := ok.With(model.Outcome{Source: model.Source{Name: "github/actions", Status: model.StatusError, Detail: "timeout", At: at.Add(time.Hour)}})
	warm := failed.With(pending(1, "partial"))
	src, _ = warm.Source("github/actions")
	if src.Status != model.StatusError || !src.Stale || src.Progress == nil || len(warm.Pipelines()) != 1 || warm.Pipelines()[0].Name != "kept" {
		t.Fatalf("warm progress: %+v %+v", src, warm.Pipelines())
	}
}
