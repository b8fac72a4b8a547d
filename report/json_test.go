package report

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// The contract of the README's "The JSON report", written independently of the DTOs:
// a renamed, added, removed or retyped field fails the test.
type (
	tString  struct{}
	tNumber  struct{}
	tInt     struct{}
	tBool    struct{}
	tTime    struct{}
	tEnum    []string
	tNull    struct{ of any }
	tArray   struct{ of any }
	tObject  map[string]any
	tOptiona struct{ of any } // the key may be absent
	tMap     struct{ of any } // an object whose keys are data
)

func nullable(of any) tNull { return tNull{of} }

// tCoverage is how complete a figure is, and why not.
var tCoverage = tObject{
	"completeness": tEnum{"complete", "lower_bound", "collecting", "unknown"},
	"gaps": tArray{tObject{
		"source": nullable(tString{}),
		"reason": tEnum{"not_configured", "failed", "partial", "stale", "collecting", "no_source",
			"setting_missing", "no_data", "undefined"},
		"detail":  tString{},
		"data_at": nullable(tTime{}),
	}},
}

// tSource is one source's status, shared by the report and the triage.
var tSource = tObject{
	"name": tString{}, "status": tEnum{"ok", "partial", "error", "skipped"},
	"detail": tString{}, "items": tInt{}, "duration_ms": tInt{},
	"usage": nullable(tObject{
		"requests": tInt{}, "not_modified": tInt{}, "rate_limit": nullable(tInt{}),
		"rate_remaining": nullable(tInt{}), "rate_reset": nullable(tTime{}), "paced_ms": tInt{},
	}),
}

var contract = tObject{
	"schema":       tEnum{"opsdrag/report@2"},
	"generated_at": tTime{},
	"demo":         tBool{},
	"window":       tObject{"since": tTime{}, "until": tTime{}},
	"sources":      tArray{tSource},
	"pipelines": tArray{tObject{
		"provider": tEnum{"github-actions", "codepipeline"}, "scope": tString{}, "name": tString{},
		"branch": nullable(tString{}), "failing": tBool{}, "failures": tInt{}, "reruns": tInt{},
		"red_hours": tNumber{}, "last_failure_at": nullable(tTime{}), "url": nullable(tString{}),
	}},
	"alarms": tArray{tObject{
		"account": nullable(tString{}), "region": tString{}, "name": tString{},
		"state": tEnum{"ALARM", "OK", "INSUFFICIENT_DATA"}, "since": nullable(tTime{}),
		"transitions": nullable(tInt{}), "off_hours": nullable(tInt{}), "sleep_hours": nullable(tInt{}),
		"url": nullable(tString{}),
	}},
	"infra_prs": tArray{tObject{
		"repo": tString{}, "number": tInt{}, "title": tString{}, "author": nullable(tString{}),
		"state": tEnum{"open", "merged"}, "created_at": nullable(tTime{}), "merged_at": nullable(tTime{}),
		"paths": tArray{tString{}}, "labels": tArray{tString{}}, "url": nullable(tString{}),
	}},
	"drag": tObject{
		"hours_per_week": nullable(tNumber{}),
		"by_category":    tObject{"pipelines": nullable(tNumber{}), "alarms": nullable(tNumber{}), "infra_prs": nullable(tNumber{})},
		"team_share":     nullable(tNumber{}), "monthly_cost": nullable(tNumber{}),
		"aws_invoice_monthly": nullable(tNumber{}), "cost_ratio": nullable(tNumber{}),
		"infra_share": nullable(tNumber{}),
		"coverage": tObject{
			"hours_per_week": tCoverage,
			"by_category":    tObject{"pipelines": tCoverage, "alarms": tCoverage, "infra_prs": tCoverage},
			"team_share":     tCoverage, "monthly_cost": tCoverage, "aws_invoice_monthly": tCoverage,
			"cost_ratio": tCoverage, "infra_share": tCoverage,
		},
		"assumptions": tObject{
			"pipeline_failure_minutes": tNumber{}, "pipeline_rerun_minutes": tNumber{},
			"alarm_minutes": tNumber{}, "off_hours_multiplier": tNumber{}, "sleep_hours_multiplier": tNumber{},
			"infra_pr_hours": tNumber{}, "work_week_hours": tNumber{},
			"engineers": nullable(tInt{}), "hourly_cost": nullable(tNumber{}),
			"currency": nullable(tString{}), "timezone": nullable(tString{}),
			"window_days": tNumber{}, "week_scale": tNumber{},
		},
		"bands": tArray{tObject{
			"figure": tString{}, "value": nullable(tNumber{}), "low": tNumber{}, "high": tNumber{}, "unit": tString{},
			"verdict": nullable(tEnum{"below", "within", "above"}), "healthy": nullable(tBool{}),
			"judged": tBool{}, "coverage": tCoverage,
		}},
		"explain": tOptiona{tArray{tObject{"label": tString{}, "value": tString{}, "steps": tArray{tString{}}}}},
	},
	"checklist": tArray{tObject{
		"id": tString{}, "title": tString{}, "component": tString{}, "evidence": tArray{tString{}}, "done": tBool{},
	}},
	"plan": tObject{
		"summary": tPlanSummary,
		"items": tArray{tObject{
			"id": tString{}, "title": tString{}, "state": tItemState,
			"hours_per_week": nullable(tNumber{}), "hours_completeness": tCompleteness,
			"effort_hours": tNumber{}, "payback_weeks": nullable(tNumber{}),
		}},
	},
}

var (
	tCompleteness = tEnum{"complete", "lower_bound", "collecting", "unknown"}
	tItemState    = tEnum{"open", "done", "missing", "retired"}
	// tPlanSummary is the plan's headline, in the report and the checklist.
	tPlanSummary = tObject{
		"headline": tString{}, "moves": tInt{}, "retires_hours_per_week": nullable(tNumber{}),
		"effort_hours": tNumber{}, "payback_weeks": nullable(tNumber{}),
		"coverage": tCoverage, "inventory": tCoverage,
		"open": tInt{}, "done": tInt{}, "missing": tInt{}, "retired": tInt{},
		"retired_hours_per_week": tNumber{}, "retired_share": nullable(tNumber{}),
		"unlinked_hours_per_week": nullable(tNumber{}),
	}
)

// conform reports every way v departs from spec.
func conform(path string, spec, v any) []string {
	bad := func(want string) []string { return []string{fmt.Sprintf("%s: want %s, got %#v", path, want, v)} }
	switch s := spec.(type) {
	case tNull:
		if v == nil {
			return nil
		}
		return conform(path, s.of, v)
	case tString:
		if _, ok := v.(string); !ok {
			return bad("a string")
		}
	case tEnum:
		if str, ok := v.(string); !ok || !slices.Contains(s, str) {
			return bad(fmt.Sprintf("one of %v", []string(s)))
		}
	case tTime:
		str, ok := v.(string)
		if !ok {
			return bad("an RFC 3339 time")
		}
		if _, err := time.Parse(time.RFC3339, str); err != nil || !strings.HasSuffix(str, "Z") || strings.Contains(str, ".") {
			return bad("an RFC 3339 time in UTC to the second")
		}
	case tNumber:
		if _, ok := v.(float64); !ok {
			return bad("a number")
		}
	case tInt:
		if f, ok := v.(float64); !ok || f != math.Trunc(f) {
			return bad("an integer")
		}
	case tBool:
		if _, ok := v.(bool); !ok {
			return bad("a boolean")
		}
	case tArray:
		arr, ok := v.([]any)
		if !ok {
			return bad("an array (never null)")
		}
		var out []string
		for i, e := range arr {
			out = append(out, conform(fmt.Sprintf("%s[%d]", path, i), s.of, e)...)
		}
		return out
	case tObject:
		obj, ok := v.(map[string]any)
		if !ok {
			return bad("an object")
		}
		var out []string
		for k, sub := range s {
			val, present := obj[k]
			if opt, isOpt := sub.(tOptiona); isOpt {
				if present {
					out = append(out, conform(path+"."+k, opt.of, val)...)
				}
				continue
			}
			if !present {
				out = append(out, path+"."+k+": missing")
				continue
			}
			out = append(out, conform(path+"."+k, sub, val)...)
		}
		for k := range obj {
			if _, known := s[k]; !known {
				out = append(out, path+"."+k+": not in the contract")
			}
		}
		return out
	case tMap:
		obj, ok := v.(map[string]any)
		if !ok {
			return bad("an object")
		}
		var out []string
		for k, val := range obj {
			out = append(out, conform(path+"."+k, s.of, val)...)
		}
		return out
	default:
		panic(fmt.Sprintf("unknown spec %T", spec))
	}
	return nil
}

func decode(t *testing.T, in Input) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(render(t, JSON, in)), &m); err != nil {
		t.Fatalf("the JSON report does not parse: %v", err)
	}
	return m
}

// get walks a decoded document: get(m, "drag", "assumptions", "engineers"),
// with ints indexing arrays.
func get(t *testing.T, v any, path ...any) any {
	t.Helper()
	for i, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object", path[:i])
			}
			if v, ok = m[k]; !ok {
				t.Fatalf("%v: no key %q", path[:i], k)
			}
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("%v: no element %d in %#v", path[:i], k, v)
			}
			v = a[k]
		}
	}
	return v
}

func TestJSONFollowsTheContract(t *testing.T) {
	cases := map[string]func(*testing.T) Input{
		"demo":         func(t *testing.T) Input { return demoInput(t, false) },
		"demo explain": func(t *testing.T) Input { return demoInput(t, true) },
		"unknowns":     func(*testing.T) Input { return unknownsInput() },
		"hostile":      func(*testing.T) Input { return hostileInput() },
		"empty": func(*testing.T) Input {
			return Input{Snapshot: model.NewSnapshot(twoWeeks, false, nil), GeneratedAt: now}
		},
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			for _, problem := range conform("$", contract, decode(t, in(t))) {
				t.Error(problem)
			}
		})
	}
}

// The demo exercises every list, so the contract check above sees every
// element type; make sure it did.
func TestJSONDemoFillsEveryList(t *testing.T) {
	m := decode(t, demoInput(t, false))
	for _, key := range []string{"sources", "pipelines", "alarms", "infra_prs", "checklist"} {
		if n := len(get(t, m, key).([]any)); n == 0 {
			t.Errorf("%s is empty on the demo data", key)
		}
	}
	if get(t, m, "demo") != true {
		t.Error("demo is not true on demo data")
	}
	if got := get(t, m, "generated_at"); got != "2026-11-23T14:00:02Z" {
		t.Errorf("generated_at = %v, want the input's GeneratedAt in UTC", got)
	}
	if got := get(t, m, "window", "since"); got != "2026-11-16T14:00:00Z" {
		t.Errorf("window.since = %v, want 7 days before now in UTC", got)
	}
	// duration_ms is whole milliseconds: the first demo source took 7.6 ms.
	if got := get(t, m, "sources", 0, "duration_ms"); got != 7.0 {
		t.Errorf("duration_ms = %v, want 7", got)
	}
}

func TestJSONUnknownsAreNull(t *testing.T) {
	m := decode(t, unknownsInput())
	nulls := [][]any{
		{"pipelines", 0, "branch"},
		{"pipelines", 0, "last_failure_at"},
		{"pipelines", 0, "url"},
		{"alarms", 0, "account"},
		{"alarms", 0, "since"},
		{"alarms", 0, "transitions"},
		{"alarms", 0, "off_hours"},
		{"alarms", 0, "sleep_hours"},
		{"alarms", 0, "url"},
		{"infra_prs", 0, "author"},
		{"infra_prs", 0, "merged_at"},
		{"infra_prs", 0, "url"},
		{"drag", "team_share"},
		{"drag", "monthly_cost"},
		{"drag", "aws_invoice_monthly"},
		{"drag", "cost_ratio"},
		{"drag", "infra_share"},
		{"drag", "assumptions", "engineers"},
		{"drag", "assumptions", "hourly_cost"},
		{"drag", "assumptions", "currency"},
		{"drag", "assumptions", "timezone"},
	}
	for _, path := range nulls {
		if v := get(t, m, path...); v != nil {
			t.Errorf("%v = %#v, want null (unknown)", path, v)
		}
	}
	// Known values next to the unknowns stay known.
	if got := get(t, m, "pipelines", 0, "red_hours"); got != 336.0 {
		t.Errorf("red_hours = %v, want 336", got)
	}
	if got := get(t, m, "infra_prs", 0, "created_at"); got != "2026-11-21T12:00:00Z" {
		t.Errorf("created_at = %v", got)
	}
	if _, ok := get(t, m, "drag").(map[string]any)["explain"]; ok {
		t.Error("drag.explain is present without Explain")
	}
}

func TestJSONEmptyListsAreArrays(t *testing.T) {
	in := unknownsInput() // no checklist (inventory skipped), a PR without labels
	out := render(t, JSON, in)
	for _, want := range []string{`"checklist": []`, `"labels": []`} {
		if !strings.Contains(out, want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	empty := render(t, JSON, Input{Snapshot: model.NewSnapshot(twoWeeks, false, nil), GeneratedAt: now})
	for _, key := range []string{"sources", "pipelines", "alarms", "infra_prs", "checklist"} {
		if !strings.Contains(empty, fmt.Sprintf("%q: []", key)) {
			t.Errorf("%s is not [] on an empty snapshot:\n%s", key, empty)
		}
	}
}

// numbersInput has hand-computed drag over a 14-day window (week scale 0.5):
//   - pipelines: 3 failures × 20 + 1 rerun × 5 = 65 min
//   - alarms (UTC): business Tue 10:00 30 min + sleep Wed 03:00 60 min +
//     off-hours Sat 15:00 45 min = 135 min
//   - infra PRs: 1 merged × 2 h
//
// so hours/week = (65/60 + 2.25 + 2) × 0.5 = 8/3.
func numbersInput() Input {
	snap := handSnapshot(twoWeeks, false,
		outcome{name: "github/actions", status: model.StatusOK, data: model.Data{Pipelines: []model.Pipeline{{
			Provider: model.GitHubActions, Scope: "acme/api", Name: "CI", Branch: "main",
			Failures: 3, Reruns: 1, RedHours: 5.5, LastFailureAt: at("2026-11-20T10:00:00Z"),
		}}}},
		outcome{name: "aws/alarms", status: model.StatusOK, data: model.Data{Alarms: []model.Alarm{{
			Account: "1", Region: "us-east-1", Name: "cpu", State: model.StateOK, Since: at("2026-11-21T16:00:00Z"),
			Transitions:  []time.Time{*at("2026-11-17T10:00:00Z"), *at("2026-11-18T03:00:00Z"), *at("2026-11-21T15:00:00Z")},
			HistoryKnown: true,
		}}}},
		outcome{name: "github/pulls", status: model.StatusOK, data: model.Data{
			PullRequests: []model.PullRequest{{
				Repo: "acme/infra", Number: 3, Title: "t", Author: "a", State: model.PRMerged,
				CreatedAt: now.Add(-72 * time.Hour), MergedAt: at("2026-11-22T10:00:00Z"),
			}},
			MergedPRs: new(8),
		}},
		outcome{name: "aws/cost", status: model.StatusOK, data: model.Data{Invoices: []model.Invoice{{
			Account: "1", LastMonth: new(1000.0), Currency: "USD",
		}}}},
	)
	return Input{
		Snapshot:    snap,
		Team:        model.Team{Name: "acme", Engineers: 4, HourlyCost: 100, Currency: "USD", Location: time.UTC},
		Assumptions: model.DefaultAssumptions(),
		GeneratedAt: now,
	}
}

func TestJSONNumbersAreExact(t *testing.T) {
	in := numbersInput()
	m := decode(t, in)
	hours := 8.0 / 3
	want := map[string]float64{
		"hours_per_week":          hours,
		"by_category.pipelines":   65.0 / 60 / 2,
		"by_category.alarms":      2.25 / 2,
		"by_category.infra_prs":   1,
		"team_share":              hours / (4 * 40),
		"monthly_cost":            hours * 52 / 12 * 100,
		"aws_invoice_monthly":     1000,
		"cost_ratio":              (1000 + hours*52/12*100) / 1000,
		"infra_share":             1.0 / 8,
		"assumptions.window_days": 14,
		"assumptions.week_scale":  0.5,
		"assumptions.engineers":   4,
		"assumptions.hourly_cost": 100,
	}
	// The report must carry the ledger's floats bit for bit: nothing is
	// rounded on the way out.
	l := model.ComputeLedger(in.Snapshot, in.Team, in.Assumptions)
	exact := map[string]float64{
		"hours_per_week":        l.HoursPerWeek,
		"by_category.pipelines": l.Category(model.CatPipelines).WeekHours,
		"team_share":            *l.TeamShare,
		"monthly_cost":          *l.MonthlyCost,
		"cost_ratio":            *l.CostRatio,
	}
	for key, w := range want {
		got, ok := get(t, m, append([]any{"drag"}, splitPath(key)...)...).(float64)
		if !ok {
			t.Errorf("drag.%s is not a number", key)
			continue
		}
		if math.Abs(got-w) > 1e-9*math.Max(1, math.Abs(w)) {
			t.Errorf("drag.%s = %v, want %v (hand-computed)", key, got, w)
		}
		if e, ok := exact[key]; ok && got != e {
			t.Errorf("drag.%s = %v, want the ledger's exact %v", key, got, e)
		}
	}
	if got := get(t, m, "drag", "assumptions", "timezone"); got != "UTC" {
		t.Errorf("timezone = %v, want UTC", got)
	}
	counts := map[string]float64{"transitions": 3, "off_hours": 1, "sleep_hours": 1}
	for key, w := range counts {
		if got := get(t, m, "alarms", 0, key); got != w {
			t.Errorf("alarms[0].%s = %v, want %v", key, got, w)
		}
	}
}

// Alarm hour buckets are counted in the team's time zone: a page at 15:00
// UTC on a Saturday is weekend afternoon (off-hours) in UTC but 00:00 on
// Sunday (sleep hours) in Tokyo.
func TestJSONAlarmBucketsUseTeamTimeZone(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	snap := handSnapshot(twoWeeks, false, outcome{name: "aws/alarms", status: model.StatusOK, data: model.Data{Alarms: []model.Alarm{{
		Region: "r", Name: "n", State: model.StateOK, Transitions: []time.Time{*at("2026-11-21T15:00:00Z")}, HistoryKnown: true,
	}}}})
	cases := []struct {
		loc               *time.Location
		zone              string
		offHours, sleep   float64
		alarmHoursPerWeek float64
	}{
		{time.UTC, "UTC", 1, 0, 0.75 / 2},
		{tokyo, "Asia/Tokyo", 0, 1, 1.0 / 2},
	}
	for _, c := range cases {
		t.Run(c.zone, func(t *testing.T) {
			m := decode(t, Input{Snapshot: snap, Team: model.Team{Location: c.loc}, Assumptions: model.DefaultAssumptions(), GeneratedAt: now})
			if got := get(t, m, "alarms", 0, "off_hours"); got != c.offHours {
				t.Errorf("off_hours = %v, want %v", got, c.offHours)
			}
			if got := get(t, m, "alarms", 0, "sleep_hours"); got != c.sleep {
				t.Errorf("sleep_hours = %v, want %v", got, c.sleep)
			}
			if got := get(t, m, "drag", "by_category", "alarms"); got != c.alarmHoursPerWeek {
				t.Errorf("alarm drag = %v h/week, want %v", got, c.alarmHoursPerWeek)
			}
			if got := get(t, m, "drag", "assumptions", "timezone"); got != c.zone {
				t.Errorf("timezone = %v, want %s", got, c.zone)
			}
		})
	}
}

func TestJSONExplain(t *testing.T) {
	in := numbersInput()
	in.Explain = true
	m := decode(t, in)
	got, err := json.Marshal(get(t, m, "drag", "explain"))
	if err != nil {
		t.Fatal(err)
	}
	l := model.ComputeLedger(in.Snapshot, in.Team, in.Assumptions)
	var want []map[string]any
	for _, f := range l.Figures() {
		want = append(want, map[string]any{"label": f.Label, "value": f.Value, "steps": f.Steps})
	}
	wantJSON, _ := json.Marshal(want)
	if string(got) != string(wantJSON) {
		t.Errorf("drag.explain =\n%s\nwant the ledger's figures\n%s", got, wantJSON)
	}
	if !strings.Contains(string(got), "3 failures × 20 min + 1 rerun × 5 min = 65 min") {
		t.Errorf("drag.explain lacks the pipeline arithmetic: %s", got)
	}
}

func TestJSONOrder(t *testing.T) {
	m := decode(t, demoInput(t, false))
	failingDone := false
	for i, p := range get(t, m, "pipelines").([]any) {
		failing := p.(map[string]any)["failing"].(bool)
		if failing && failingDone {
			t.Errorf("pipelines[%d] is failing after a green one: failing ones come first", i)
		}
		failingDone = failingDone || !failing
	}
	firingDone := false
	for i, a := range get(t, m, "alarms").([]any) {
		firing := a.(map[string]any)["state"] == "ALARM"
		if firing && firingDone {
			t.Errorf("alarms[%d] is firing after a quiet one: firing ones come first", i)
		}
		firingDone = firingDone || !firing
	}
}

func splitPath(key string) []any {
	var out []any
	for _, p := range strings.Split(key, ".") {
		out = append(out, p)
	}
	return out
}

// A gap says which source, what happened, what it said, and for kept data
// when it was collected; a missing setting has no source.
func TestJSONGapsSayWhichSourceAndWhy(t *testing.T) {
	first := func(in Input, key ...any) map[string]any {
		t.Helper()
		path := append([]any{"drag", "coverage"}, key...)
		return get(t, decode(t, in), append(path, "gaps", 0)...).(map[string]any)
	}
	g := first(wrongToken(), "hours_per_week")
	if g["source"] != "github/actions" || g["reason"] != "failed" || g["detail"] != rejectedToken || g["data_at"] != nil {
		t.Errorf("wrong token: first gap = %v", g)
	}
	g = first(staleActions(), "by_category", "pipelines")
	if g["source"] != "github/actions" || g["reason"] != "stale" || g["data_at"] != "2026-11-23T14:00:00Z" ||
		!strings.HasPrefix(g["detail"].(string), "connection refused (showing data from") {
		t.Errorf("stale: first gap = %v", g)
	}
	g = first(noTeamSettings(), "team_share")
	if g["source"] != nil || g["reason"] != "setting_missing" || !strings.Contains(g["detail"].(string), "team.engineers") {
		t.Errorf("no engineers: first gap = %v", g)
	}
}

// Each source says what it spent of its API's budget; null when it does not
// meter it, and a rate limit the API did not give is null, not 0.
func TestJSONSourcesCarryTheirUsage(t *testing.T) {
	snap := handSnapshot(twoWeeks, false,
		outcome{name: "github/actions", status: model.StatusOK},
		outcome{name: "github/pulls", status: model.StatusOK},
		outcome{name: "aws/alarms", status: model.StatusOK},
	)
	snap = snap.With(model.Outcome{Source: model.Source{Name: "github/actions", Status: model.StatusOK, At: now, Usage: &model.Usage{
		Requests: 412, NotModified: 380, RateLimit: 5000, RateRemaining: 4588,
		RateReset: time.Date(2026, 11, 23, 14, 40, 0, 0, time.UTC), Paced: 1250 * time.Millisecond,
	}}})
	snap = snap.With(model.Outcome{Source: model.Source{Name: "github/pulls", Status: model.StatusOK, At: now, Usage: &model.Usage{Requests: 3}}})
	m := decode(t, Input{Snapshot: snap, GeneratedAt: now})
	want := map[string]any{"requests": 412.0, "not_modified": 380.0, "rate_limit": 5000.0, "rate_remaining": 4588.0,
		"rate_reset": "2026-11-23T14:40:00Z", "paced_ms": 1250.0}
	if got := get(t, m, "sources", 0, "usage"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("github/actions usage = %v, want %v", got, want)
	}
	pulls := get(t, m, "sources", 1, "usage").(map[string]any)
	if pulls["requests"] != 3.0 || pulls["rate_limit"] != nil || pulls["rate_remaining"] != nil || pulls["rate_reset"] != nil {
		t.Errorf("github/pulls usage = %v, want unknown rate limits as null", pulls)
	}
	if got := get(t, m, "sources", 2, "usage"); got != nil {
		t.Errorf("aws/alarms usage = %v, want null (not metered)", got)
	}
}

// An alarm known only from the history is not firing now: the collection
// lists every alarm in ALARM. It reads "QUIET", never "" nor "OK".
func TestAlarmKnownOnlyFromTheHistoryIsQuiet(t *testing.T) {
	snap := handSnapshot(twoWeeks, false, outcome{name: "aws/alarms", status: model.StatusOK, data: model.Data{Alarms: []model.Alarm{{
		Account: "1", Region: "us-east-1", Name: "paged-20-days-ago", Transitions: []time.Time{*at("2026-11-12T03:00:00Z")}, HistoryKnown: true,
	}}}})
	in := Input{Snapshot: snap, Team: model.Team{}, Assumptions: model.DefaultAssumptions(), GeneratedAt: now}
	if got := get(t, decode(t, in), "alarms", 0, "state"); got != "QUIET" {
		t.Errorf("JSON state = %v, want QUIET", got)
	}
	if text := render(t, Text, in); !strings.Contains(text, "quiet  paged-20-days-ago") {
		t.Errorf("text:\n%s", text)
	}
}
