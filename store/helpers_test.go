package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/collectors/demo"
	"github.com/opsdrag/opsdrag/model"
)

// testBusy is the busy timeout of test stores: long enough for contended
// writers under -race on a small machine.
const testBusy = 30 * time.Second

func openTest(t testing.TB, target string) *Store {
	t.Helper()
	s, err := openWith(target, options{busyTimeout: testBusy})
	if err != nil {
		t.Fatalf("Open(%s): %v", target, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// tempDB is a new SQLite file, for the tests of what only a file has.
func tempDB(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "history.db")
}

// rawDB opens target (a SQLite file or a PostgreSQL URL) with the driver
// directly, to inspect or tamper with what the store wrote.
func rawDB(t testing.TB, target string) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if IsURL(target) {
		driver = "pgx"
	}
	db, err := sql.Open(driver, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// queryInt runs a query written with ? placeholders on either database.
func queryInt(t testing.TB, db *sql.DB, query string, args ...any) int {
	t.Helper()
	_, pg := db.Driver().(*stdlib.Driver)
	var n int
	if err := db.QueryRow(rebind(query, pg), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func ptr[T any](v T) *T { return &v }

// fullData sets every field of model.Data and of everything in it, with
// times in several zones and to the nanosecond, so a round trip that drops
// or bends any of them shows.
func fullData(t testing.TB) model.Data {
	ny := mustLoad(t, "America/New_York")
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	d := model.Data{
		Pipelines: []model.Pipeline{{
			Provider: model.GitHubActions, Scope: "acme/api", Name: "CI", Branch: "main",
			Failing: true, FailingSince: ptr(at("2026-11-24T09:15:00.123456789Z")),
			Failures: 3, Reruns: 2, RerunBy: []string{"ana", "bo"}, RedHours: 13.25,
			LastFailureAt: ptr(at("2026-11-25T08:01:02.5-05:00")),
			FailedAt:      []time.Time{at("2026-11-24T09:15:00.123456789Z"), at("2026-11-25T08:01:02.5-05:00").In(ny)},
			URL:           "https://github.com/acme/api/actions/workflows/ci.yml",
		}},
		Alarms: []model.Alarm{{
			Account: "111122223333", Region: "eu-west-1", Name: "prod-5xx «ünïcode» ✓", State: model.StateAlarm,
			Since: ptr(at("2026-11-25T03:12:00Z")), Reason: "Threshold Crossed: 1 datapoint [7.3] > 5.0",
			Transitions:  []time.Time{at("2026-11-22T03:12:00Z").In(ny), at("2026-11-25T03:12:00Z")},
			HistoryKnown: true,
			URL:          "https://eu-west-1.console.aws.amazon.com/cloudwatch/home#alarmsV2:alarm/prod-5xx",
		}},
		PullRequests: []model.PullRequest{{
			Repo: "acme/infra", Number: 412, Title: "Bump the RDS instance class", Author: "dana",
			State: model.PRMerged, Draft: true, CreatedAt: at("2026-11-20T10:00:00+01:00"),
			MergedAt: ptr(at("2026-11-21T16:30:00Z")), Paths: []string{"terraform/rds.tf", "modules/db/main.tf"},
			Labels: []string{"infra"}, URL: "https://github.com/acme/infra/pull/412",
			ReviewsKnown: true, Reviewers: []string{"cy"}, FirstReviewAt: ptr(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)),
		}},
		MergedPRs: ptr(17),
		Inventory: []model.ResourceGroup{{
			Kind: model.KindECSService, Account: "111122223333", Region: "us-east-1",
			Names: []string{"api", "worker"}, Count: 3, Unknown: true, Note: "Fargate 2, EC2 1",
			Resources: []model.Resource{{
				ID: "prod/api", Name: "api «ünïcode»", ARN: "arn:aws:ecs:us-east-1:111122223333:service/prod/api",
				Engine: "mysql", EngineVersion: "8.0.35", Class: "db.r6g.large", MultiAZ: true, StorageGiB: 200, Nodes: 2,
				Group: "orders-db", LaunchType: "Fargate", DesiredTasks: 3, RunningTasks: 2,
				TargetGroups: []string{"arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/api/73e2d6bc24d8a067"},
				Deploys:      []string{"prod/api"}, Detail: "runtime nodejs20.x",
			}},
		}},
		Invoices: []model.Invoice{{
			Account: "111122223333", Payer: "999988887777", Month: at("2026-10-01T00:00:00Z"),
			LastMonth: ptr(2071.37), MonthToDate: ptr(1450.5), Currency: "USD",
			ByService: map[string]float64{"Amazon RDS": 812.4, "Amazon EC2": 640.01},
		}},
		AlarmReach: []model.AlarmReach{{
			Place: model.Place{Account: "111122223333", Region: "us-east-1"},
			From:  at("2026-11-11T14:00:00Z"), Until: at("2026-11-25T14:00:00.000000987Z"),
		}},
		AlarmTargets: []model.AlarmTarget{{
			Account: "111122223333", Region: "us-east-1", Alarm: "prod-5xx", Namespace: "AWS/ApplicationELB", Metric: "HTTPCode_Target_5XX_Count",
			Dimensions: []model.Dimension{{Name: "LoadBalancer", Value: "app/api-alb/50dc6c495c0c9188"}},
		}},
	}
	assertEveryFieldSet(t, "fullData", reflect.ValueOf(d))
	return d
}

// assertEveryFieldSet fails when a field of v, at any depth, is zero: a
// field added to the model must be added to fullData so the round trip
// covers it.
func assertEveryFieldSet(t testing.TB, path string, v reflect.Value) {
	t.Helper()
	if v.IsZero() {
		t.Fatalf("%s is zero: set it in fullData so the round-trip test covers it", path)
	}
	switch v.Kind() {
	case reflect.Pointer:
		assertEveryFieldSet(t, path, v.Elem())
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			assertEveryFieldSet(t, fmt.Sprintf("%s[%d]", path, i), v.Index(i))
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			assertEveryFieldSet(t, path+"."+v.Type().Field(i).Name, v.Field(i))
		}
	}
}

// diff lists where got differs from want. Times compare as instants (a
// stored time comes back in another zone, and without its monotonic
// reading); everything else must be identical, nil and empty told apart.
func diff(path string, want, got reflect.Value) []string {
	if want.Type() != got.Type() {
		return []string{fmt.Sprintf("%s: type %s, want %s", path, got.Type(), want.Type())}
	}
	if want.Type() == reflect.TypeFor[time.Time]() {
		w, g := want.Interface().(time.Time), got.Interface().(time.Time)
		if !w.Equal(g) || w.IsZero() != g.IsZero() {
			return []string{fmt.Sprintf("%s: %v, want %v", path, g, w)}
		}
		return nil
	}
	switch want.Kind() {
	case reflect.Pointer:
		if want.IsNil() || got.IsNil() {
			if want.IsNil() != got.IsNil() {
				return []string{fmt.Sprintf("%s: nil mismatch (want nil %v)", path, want.IsNil())}
			}
			return nil
		}
		return diff(path, want.Elem(), got.Elem())
	case reflect.Slice:
		if want.IsNil() != got.IsNil() {
			return []string{fmt.Sprintf("%s: nil %v, want nil %v", path, got.IsNil(), want.IsNil())}
		}
		if want.Len() != got.Len() {
			return []string{fmt.Sprintf("%s: %d elements, want %d", path, got.Len(), want.Len())}
		}
		var out []string
		for i := 0; i < want.Len(); i++ {
			out = append(out, diff(fmt.Sprintf("%s[%d]", path, i), want.Index(i), got.Index(i))...)
		}
		return out
	case reflect.Map:
		if want.IsNil() != got.IsNil() || want.Len() != got.Len() {
			return []string{fmt.Sprintf("%s: %v, want %v", path, got, want)}
		}
		var out []string
		for _, k := range want.MapKeys() {
			g := got.MapIndex(k)
			if !g.IsValid() {
				out = append(out, fmt.Sprintf("%s[%v]: missing", path, k))
				continue
			}
			out = append(out, diff(fmt.Sprintf("%s[%v]", path, k), want.MapIndex(k), g)...)
		}
		return out
	case reflect.Struct:
		var out []string
		for i := 0; i < want.NumField(); i++ {
			out = append(out, diff(path+"."+want.Type().Field(i).Name, want.Field(i), got.Field(i))...)
		}
		return out
	default:
		if !reflect.DeepEqual(want.Interface(), got.Interface()) {
			return []string{fmt.Sprintf("%s: %#v, want %#v", path, got.Interface(), want.Interface())}
		}
		return nil
	}
}

// snapshotDiff compares everything a snapshot carries: window, demo flag,
// sources in order and each source's data.
func snapshotDiff(want, got model.Snapshot) []string {
	var out []string
	out = append(out, diff("Window", reflect.ValueOf(want.Window), reflect.ValueOf(got.Window))...)
	out = append(out, diff("Demo", reflect.ValueOf(want.Demo), reflect.ValueOf(got.Demo))...)
	out = append(out, diff("Sources", reflect.ValueOf(want.Sources), reflect.ValueOf(got.Sources))...)
	out = append(out, diff("Parts", reflect.ValueOf(want.Parts()), reflect.ValueOf(got.Parts()))...)
	return out
}

func assertSnapshot(t testing.TB, want, got model.Snapshot) {
	t.Helper()
	if d := snapshotDiff(want, got); len(d) > 0 {
		t.Fatalf("restored snapshot differs:\n  %s", strings.Join(d, "\n  "))
	}
}

func outcome(name string, status model.Status, at time.Time, d model.Data) model.Outcome {
	return model.Outcome{Source: model.Source{Name: name, Status: status, At: at, Duration: 1234567 * time.Microsecond}, Data: d}
}

// richSnapshot has a source in every state: ok with every field, partial,
// stale after a failed refresh, skipped and still pending.
func richSnapshot(t testing.TB, demoFlag bool) model.Snapshot {
	w := model.Window{Since: time.Date(2026, 11, 18, 14, 0, 0, 0, time.UTC), Until: time.Date(2026, 11, 25, 14, 0, 0, 987, time.UTC)}
	collected := time.Date(2026, 11, 25, 14, 0, 1, 5, time.Local)
	snap := model.NewSnapshot(w, demoFlag, []string{"aws/alarms", "github/actions", "aws/cost", "github/pulls", "aws/inventory"})
	snap = snap.With(outcome("aws/alarms", model.StatusOK, collected, fullData(t)))
	partial := outcome("github/actions", model.StatusPartial, collected, model.Data{
		// Empty and nil slices mean different things to the model.
		Alarms:    []model.Alarm{{Account: "1", Region: "r", Name: "no-history", State: model.StateOK}},
		Pipelines: []model.Pipeline{{Provider: model.CodePipeline, Scope: "1/r", Name: "deploy", FailedAt: []time.Time{}}},
	})
	partial.Source.Detail = "repo acme/gone: not found"
	snap = snap.With(partial)
	snap = snap.With(outcome("aws/cost", model.StatusOK, collected.Add(-time.Hour), model.Data{Invoices: fullData(t).Invoices}))
	failed := outcome("aws/cost", model.StatusError, collected, model.Data{})
	failed.Source.Detail = "timed out after 1m0s"
	snap = snap.With(failed)
	skipped := outcome("github/pulls", model.StatusSkipped, collected, model.Data{})
	skipped.Source.Detail = "set github.repos to enable"
	snap = snap.With(skipped)
	if s, _ := snap.Source("aws/cost"); !s.Stale {
		t.Fatal("test setup: aws/cost should be stale")
	}
	return snap
}

var testTeam = model.Team{Name: "acme", Engineers: 8, HourlyCost: 95, Currency: "USD", Location: time.UTC}

// demoSnapshot is what the built-in demo collects at a fixed moment,
// through the real runner: a realistic snapshot for round trips and
// benchmarks.
func demoSnapshot(t testing.TB, now time.Time) model.Snapshot {
	t.Helper()
	clock := func() time.Time { return now }
	r := collectors.Runner{Collectors: demo.Collectors(demo.Options{Now: clock}), Now: clock}
	w := model.LastDays(now, model.DefaultWindow)
	snap := r.Collect(context.Background(), model.NewSnapshot(w, false, r.Names()))
	if !snap.AnySucceeded() || len(snap.Alarms()) == 0 || len(snap.Pipelines()) == 0 {
		t.Fatalf("demo snapshot is empty: %+v", snap.Sources)
	}
	return snap
}

func fileBytes(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func assertUnchanged(t testing.TB, path string, before []byte) {
	t.Helper()
	if after := fileBytes(t, path); !bytes.Equal(before, after) {
		t.Fatalf("%s was changed (%d bytes before, %d after)", path, len(before), len(after))
	}
}
