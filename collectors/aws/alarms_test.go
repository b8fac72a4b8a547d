package awscollect

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
)

// cloudwatchWorld answers DescribeAlarms and DescribeAlarmHistory the way
// CloudWatch does: filtered by state and dates, newest history first, in
// pages of at most MaxRecords (100) with a NextToken. Like CloudWatch, it
// keeps 14 days of history (before testNow).
type cloudwatchWorld struct {
	alarms  map[string][]map[string]any // region → alarms
	history map[string][]map[string]any // region → history items, newest first
}

func page[T any](items []T, token string, size int) ([]T, string) {
	start := 0
	fmt.Sscan(token, &start)
	end := min(start+size, len(items))
	next := ""
	if end < len(items) {
		next = fmt.Sprint(end)
	}
	return items[start:end], next
}

func (cw cloudwatchWorld) install(t testing.TB, f *fakeAWS) {
	f.handle("monitoring", "DescribeAlarms", func(r fakeReq) fakeResp {
		types := strs(r.Params["AlarmTypes"])
		if !slices.Contains(types, "CompositeAlarm") || !slices.Contains(types, "MetricAlarm") {
			t.Errorf("DescribeAlarms without composite and metric alarm types: %v", types)
		}
		var match []map[string]any
		for _, a := range cw.alarms[r.Region] {
			if s, _ := r.Params["StateValue"].(string); s == "" || a["StateValue"] == s {
				match = append(match, a)
			}
		}
		token, _ := r.Params["NextToken"].(string)
		items, next := page(match, token, 100)
		var metric, composite []map[string]any
		for _, a := range items {
			if a["composite"] == true {
				c := map[string]any{}
				for k, v := range a {
					if k != "composite" {
						c[k] = v
					}
				}
				composite = append(composite, c)
			} else {
				metric = append(metric, a)
			}
		}
		body := map[string]any{"MetricAlarms": metric, "CompositeAlarms": composite}
		if next != "" {
			body["NextToken"] = next
		}
		return fakeResp{Body: body}
	})
	f.handle("monitoring", "DescribeAlarmHistory", func(r fakeReq) fakeResp {
		if r.Params["HistoryItemType"] != "StateUpdate" {
			t.Errorf("DescribeAlarmHistory HistoryItemType = %v, want StateUpdate", r.Params["HistoryItemType"])
		}
		if types := strs(r.Params["AlarmTypes"]); !slices.Contains(types, "CompositeAlarm") {
			t.Errorf("DescribeAlarmHistory without composite alarms: %v", types)
		}
		from, to := timeParam(r.Params["StartDate"]), timeParam(r.Params["EndDate"])
		var match []map[string]any
		for _, it := range cw.history[r.Region] {
			at := timeParam(it["Timestamp"])
			if at.Before(testNow.Add(-alarmHistoryMemory)) {
				continue
			}
			if !at.Before(from) && !at.After(to) {
				match = append(match, it)
			}
		}
		token, _ := r.Params["NextToken"].(string)
		items, next := page(match, token, 100)
		body := map[string]any{"AlarmHistoryItems": items}
		if next != "" {
			body["NextToken"] = next
		}
		return fakeResp{Body: body}
	})
}

// at returns a moment of the test week in UTC.
func at(day time.Weekday, hour, minute int) time.Time {
	// testNow is Wednesday 25 Nov 2026; go back to the most recent day.
	back := (int(testNow.Weekday()) - int(day) + 7) % 7
	return time.Date(2026, 11, 25-back, hour, minute, 0, 0, time.UTC)
}

func TestAlarmsFiringHistoryAndPagination(t *testing.T) {
	f := newFakeAWS(t)
	cw := cloudwatchWorld{alarms: map[string][]map[string]any{}, history: map[string][]map[string]any{}}
	// 150 alarms firing: two pages.
	for i := range 148 {
		cw.alarms["us-east-1"] = append(cw.alarms["us-east-1"], metricAlarm(fmt.Sprintf("disk-%03d", i), "ALARM", "disk full", at(time.Monday, 9, 0)))
	}
	api := metricAlarm("api-5xx", "ALARM", "Threshold Crossed: 1 datapoint [7.3] was greater than the threshold (5.0).", at(time.Wednesday, 14, 20))
	comp := metricAlarm("checkout-degraded", "ALARM", "composite rule true", at(time.Tuesday, 23, 30))
	comp["composite"] = true
	cw.alarms["us-east-1"] = append(cw.alarms["us-east-1"], api, comp,
		metricAlarm("db-cpu", "OK", "fine", at(time.Tuesday, 11, 0)))

	// History, newest first, as CloudWatch returns it by default.
	hist := []map[string]any{
		historyItem("api-5xx", "MetricAlarm", "OK", "ALARM", at(time.Wednesday, 14, 20)),
		historyItem("checkout-degraded", "CompositeAlarm", "OK", "ALARM", at(time.Tuesday, 23, 30)),
		historyItem("db-cpu", "MetricAlarm", "ALARM", "OK", at(time.Tuesday, 11, 0)),
		historyItem("db-cpu", "MetricAlarm", "OK", "ALARM", at(time.Tuesday, 10, 5)),
		historyItem("api-5xx", "MetricAlarm", "ALARM", "OK", at(time.Monday, 3, 30)),
		historyItem("api-5xx", "MetricAlarm", "OK", "ALARM", at(time.Monday, 3, 12)), // sleep hours
		historyItem("db-cpu", "MetricAlarm", "ALARM", "OK", at(time.Sunday, 4, 0)),
		historyItem("db-cpu", "MetricAlarm", "OK", "ALARM", at(time.Saturday, 14, 10)), // weekend: off-hours
		historyItem("api-5xx", "MetricAlarm", "INSUFFICIENT_DATA", "OK", at(time.Friday, 20, 0)),
	}
	// A contributor-level item repeats an alarm-level one and must not count.
	contrib := historyItem("db-cpu", "MetricAlarm", "OK", "ALARM", at(time.Tuesday, 10, 5))
	contrib["AlarmContributorId"] = "c-1"
	hist = append(hist, contrib)
	// Filler from other alarms that never fired, to force a second page.
	for i := range 120 {
		hist = append(hist, historyItem(fmt.Sprintf("quiet-%03d", i), "MetricAlarm", "INSUFFICIENT_DATA", "OK", at(time.Friday, 8, 0).Add(-time.Duration(i)*time.Minute)))
	}
	// Before the window: not a transition of this week.
	hist = append(hist, historyItem("db-cpu", "MetricAlarm", "OK", "ALARM", testWindow.Since.Add(-time.Hour)))
	cw.history["us-east-1"] = hist
	cw.install(t, f)

	c := fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1"}})[NameAlarms]
	res, err := c.Collect(context.Background(), testWindow)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) > 0 {
		t.Fatalf("warnings: %v", res.Warnings)
	}
	if n := f.calls("monitoring", "DescribeAlarms"); n != 2 {
		t.Errorf("DescribeAlarms requests = %d, want 2 pages", n)
	}
	for _, c := range f.requests() {
		if a := c.Header.Get("Amz-Sdk-Request"); !strings.HasPrefix(a, "attempt=1;") {
			t.Logf("DEBUG retry %s %s %s", c.Op, a, c.Header.Get("Amz-Sdk-Invocation-Id"))
		}
	}
	if n := f.calls("monitoring", "DescribeAlarmHistory"); n != 2 {
		t.Errorf("DescribeAlarmHistory requests = %d, want 2 pages", n)
	}
	// 150 firing + db-cpu, which fired in the window and is OK now. The
	// quiet alarms never entered ALARM and are not reported.
	if got := len(res.Data.Alarms); got != 151 {
		t.Fatalf("got %d alarms, want 151", got)
	}

	a, ok := findAlarm(res.Data.Alarms, "us-east-1", "api-5xx")
	if !ok {
		t.Fatal("api-5xx missing")
	}
	wantTrans := []time.Time{at(time.Monday, 3, 12), at(time.Wednesday, 14, 20)}
	if a.State != model.StateAlarm || !a.HistoryKnown || !slices.EqualFunc(a.Transitions, wantTrans, time.Time.Equal) {
		t.Errorf("api-5xx = %+v, want firing, history known, transitions %v", a, wantTrans)
	}
	if a.Since == nil || !a.Since.Equal(at(time.Wednesday, 14, 20)) {
		t.Errorf("api-5xx since = %v, want the state transition time", a.Since)
	}
	if a.Account != "111111111111" || !strings.HasPrefix(a.Reason, "Threshold Crossed") {
		t.Errorf("api-5xx account/reason = %q/%q", a.Account, a.Reason)
	}
	if want := "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/api-5xx"; a.URL != want {
		t.Errorf("URL = %q, want %q", a.URL, want)
	}
	if pc := model.CountPages(a, time.UTC); pc.Sleep != 1 || pc.Business != 1 || pc.Total != 2 {
		t.Errorf("api-5xx pages = %+v, want 1 sleep + 1 business", pc)
	}

	comp2, ok := findAlarm(res.Data.Alarms, "us-east-1", "checkout-degraded")
	if !ok || comp2.State != model.StateAlarm || len(comp2.Transitions) != 1 {
		t.Errorf("composite alarm = %+v, %v; want firing with one transition", comp2, ok)
	}

	db, ok := findAlarm(res.Data.Alarms, "us-east-1", "db-cpu")
	wantDB := []time.Time{at(time.Saturday, 14, 10), at(time.Tuesday, 10, 5)}
	if !ok || db.State != model.StateOK || !slices.EqualFunc(db.Transitions, wantDB, time.Time.Equal) {
		t.Fatalf("db-cpu = %+v, want OK now with transitions %v", db, wantDB)
	}
	if db.Since == nil || !db.Since.Equal(at(time.Tuesday, 11, 0)) || db.Reason != "Threshold Crossed: now OK" {
		t.Errorf("db-cpu current state from its newest history item: since %v reason %q", db.Since, db.Reason)
	}
	if pc := model.CountPages(db, time.UTC); pc.OffHours != 1 || pc.Business != 1 {
		t.Errorf("db-cpu pages = %+v, want 1 off-hours + 1 business", pc)
	}
	if _, ok := findAlarm(res.Data.Alarms, "us-east-1", "quiet-000"); ok {
		t.Error("an alarm that never entered ALARM was reported")
	}
}

func TestAlarmsFlapping(t *testing.T) {
	f := newFakeAWS(t)
	cw := cloudwatchWorld{history: map[string][]map[string]any{}}
	for i := range 6 {
		start := at(time.Tuesday, 9, 0).Add(time.Duration(i) * 20 * time.Minute)
		cw.history["us-east-1"] = append([]map[string]any{
			historyItem("queue-age", "MetricAlarm", "ALARM", "OK", start.Add(10*time.Minute)),
			historyItem("queue-age", "MetricAlarm", "OK", "ALARM", start),
		}, cw.history["us-east-1"]...)
	}
	cw.install(t, f)
	res, err := fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1"}})[NameAlarms].Collect(context.Background(), testWindow)
	if err != nil {
		t.Fatal(err)
	}
	a, ok := findAlarm(res.Data.Alarms, "us-east-1", "queue-age")
	if !ok || len(a.Transitions) != 6 || !model.Flapping(a) {
		t.Fatalf("queue-age = %+v: want 6 transitions, flapping", a)
	}
}

func TestAlarmsHistoryUnavailable(t *testing.T) {
	for _, tc := range []struct {
		name   string
		resp   fakeResp
		detail []string
	}{
		// kumo and other emulators answer 400 InvalidAction.
		{"not implemented", fakeResp{Code: "InvalidAction", Msg: "Could not find operation DescribeAlarmHistory"},
			[]string{"alarm history unavailable", "cloudwatch:DescribeAlarmHistory is not supported"}},
		{"denied", fakeResp{Status: http.StatusForbidden, Code: "AccessDenied", Msg: "not authorized"},
			[]string{"alarm history unavailable", "permission denied for cloudwatch:DescribeAlarmHistory"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAWS(t)
			cw := cloudwatchWorld{alarms: map[string][]map[string]any{"us-east-1": {
				metricAlarm("api-5xx", "ALARM", "too many errors", at(time.Wednesday, 14, 20)),
				metricAlarm("old-alarm", "ALARM", "since long ago", testWindow.Since.Add(-48*time.Hour)),
			}}}
			cw.install(t, f)
			f.handle("monitoring", "DescribeAlarmHistory", func(fakeReq) fakeResp { return tc.resp })

			o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1"}})[NameAlarms], testWindow)
			t.Logf("detail: %s", o.Source.Detail)
			if o.Source.Status != model.StatusPartial {
				t.Errorf("status = %s (%s), want partial", o.Source.Status, o.Source.Detail)
			}
			for _, d := range tc.detail {
				if !strings.Contains(o.Source.Detail, d) {
					t.Errorf("detail %q lacks %q", o.Source.Detail, d)
				}
			}
			if strings.Contains(o.Source.Detail, "RequestID") || strings.Contains(o.Source.Detail, "operation error") {
				t.Errorf("detail leaks an SDK dump: %q", o.Source.Detail)
			}
			a, ok := findAlarm(o.Data.Alarms, "us-east-1", "api-5xx")
			if !ok || a.HistoryKnown || a.State != model.StateAlarm {
				t.Fatalf("api-5xx = %+v, want firing with history unknown", a)
			}
			// What the current state reveals: it entered ALARM in the window.
			if len(a.Transitions) != 1 || !a.Transitions[0].Equal(at(time.Wednesday, 14, 20)) {
				t.Errorf("api-5xx transitions = %v, want its state transition", a.Transitions)
			}
			old, ok := findAlarm(o.Data.Alarms, "us-east-1", "old-alarm")
			if !ok || len(old.Transitions) != 0 {
				t.Errorf("old-alarm = %+v, want firing with no transition in the window", old)
			}
		})
	}
}

func TestAlarmsPerRegionAndProfile(t *testing.T) {
	f := newFakeAWS(t)
	f.account("AKID-prod", "222222222222")
	f.account("AKID-staging", "333333333333")
	f.handle("monitoring", "DescribeAlarms", func(r fakeReq) fakeResp {
		name := strings.TrimPrefix(r.Key, "AKID-") + "-" + r.Region
		return fakeResp{Body: map[string]any{"MetricAlarms": []any{metricAlarm(name, "ALARM", "r", at(time.Wednesday, 10, 0))}}}
	})
	cs := fakeCollectors(t, f, config.AWS{Profiles: []string{"prod", "staging"}, Regions: []string{"us-east-1", "eu-west-1", "ap-southeast-2"}})
	res, err := cs[NameAlarms].Collect(context.Background(), testWindow)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Data.Alarms) != 6 {
		t.Fatalf("got %d alarms, want 6 (2 profiles × 3 regions)", len(res.Data.Alarms))
	}
	accounts := map[string]string{"prod": "222222222222", "staging": "333333333333"}
	for _, a := range res.Data.Alarms {
		profile, region, _ := strings.Cut(a.Name, "-")
		if a.Region != region || a.Account != accounts[profile] {
			t.Errorf("alarm %s reported in %s %s: regions or accounts crossed", a.Name, a.Account, a.Region)
		}
	}
	seen := map[string]int{}
	for _, c := range f.requests() {
		if c.Op == "DescribeAlarms" && firstAttempt(c) {
			seen[c.Key+" "+c.Region]++
		}
	}
	if len(seen) != 6 {
		t.Errorf("DescribeAlarms asked in %v, want each profile in each region", seen)
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s asked %d times", k, n)
		}
	}
	if n := f.calls("sts", "GetCallerIdentity"); n != 2 {
		t.Errorf("GetCallerIdentity = %d calls, want one per profile", n)
	}
}

func TestOneRegionFailingIsPartial(t *testing.T) {
	f := newFakeAWS(t)
	f.handle("monitoring", "*", func(r fakeReq) fakeResp {
		if r.Region == "ap-south-1" {
			return fakeResp{Status: http.StatusServiceUnavailable, Code: "ServiceUnavailable", Msg: "try later"}
		}
		if r.Op == "DescribeAlarms" {
			return fakeResp{Body: map[string]any{"MetricAlarms": []any{metricAlarm("a-"+r.Region, "ALARM", "r", at(time.Wednesday, 10, 0))}}}
		}
		return fakeResp{Body: map[string]any{}}
	})
	cs := fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1", "ap-south-1", "eu-west-1"}})
	o := runOne(t, cs[NameAlarms], testWindow)
	t.Logf("detail: %s", o.Source.Detail)
	if o.Source.Status != model.StatusPartial {
		t.Fatalf("status = %s (%s), want partial", o.Source.Status, o.Source.Detail)
	}
	if !strings.Contains(o.Source.Detail, "ap-south-1") || !strings.Contains(o.Source.Detail, "ServiceUnavailable") {
		t.Errorf("detail %q does not say which region failed and why", o.Source.Detail)
	}
	if len(o.Data.Alarms) != 2 {
		t.Errorf("kept %d alarms, want the 2 of the working regions", len(o.Data.Alarms))
	}
}

func TestThrottlingStormIsRiddenOut(t *testing.T) {
	f := newFakeAWS(t)
	var mu sync.Mutex
	throttled := map[string]int{}
	const storm = 5 // of the 8 attempts the retryer makes
	f.handle("monitoring", "*", func(r fakeReq) fakeResp {
		mu.Lock()
		key := r.Key + r.Region + r.Op
		n := throttled[key]
		throttled[key]++
		mu.Unlock()
		if n < storm {
			return fakeResp{Code: "Throttling", Msg: "Rate exceeded"}
		}
		if r.Op == "DescribeAlarms" {
			return fakeResp{Body: map[string]any{"MetricAlarms": []any{metricAlarm("a", "ALARM", "r", at(time.Wednesday, 10, 0))}}}
		}
		return fakeResp{Body: map[string]any{}}
	})
	// CodePipeline speaks AWS JSON: its storm is of ThrottlingException.
	f.handle("codepipeline", "ListPipelines", func(r fakeReq) fakeResp {
		mu.Lock()
		n := throttled[r.Key+r.Region+r.Op]
		throttled[r.Key+r.Region+r.Op]++
		mu.Unlock()
		if n < storm {
			return fakeResp{Code: "ThrottlingException", Msg: "Rate exceeded"}
		}
		return fakeResp{Body: map[string]any{"pipelines": []any{}}}
	})
	regions := []string{"us-east-1", "eu-west-1", "eu-central-1", "ap-northeast-1"}
	cs := fakeCollectors(t, f, config.AWS{Profiles: []string{"a", "b"}, Regions: regions})
	outs := runAll(t, testWindow, cs[NameAlarms], cs[NameCodePipeline])
	for name, o := range outs {
		if o.Source.Status != model.StatusOK {
			t.Fatalf("%s: status = %s (%s), want ok after riding out the storm", name, o.Source.Status, o.Source.Detail)
		}
	}
	for _, op := range []string{"DescribeAlarms", "ListPipelines"} {
		if n := f.calls("", op); n != len(regions) {
			t.Errorf("%s calls = %d, want one per region", op, n)
		}
		for _, r := range regions {
			mu.Lock()
			n := throttled["AKID-a"+r+op]
			mu.Unlock()
			if n < storm+1 {
				t.Errorf("%s in %s: %d attempts, want the %d throttled ones and a success", op, r, n, storm)
			}
		}
	}
	o := outs[NameAlarms]
	// Both profiles reach the same (default) account: each region once.
	if len(o.Data.Alarms) != len(regions) {
		t.Errorf("got %d alarms, want %d", len(o.Data.Alarms), len(regions))
	}
}

func TestEndlessThrottlingIsAShortWarning(t *testing.T) {
	f := newFakeAWS(t)
	f.handle("monitoring", "DescribeAlarmHistory", func(fakeReq) fakeResp {
		return fakeResp{Code: "Throttling", Msg: "Rate exceeded"}
	})
	o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1"}})[NameAlarms], testWindow)
	t.Logf("detail: %s", o.Source.Detail)
	if o.Source.Status != model.StatusPartial || !strings.Contains(o.Source.Detail, "throttled by AWS (Throttling)") {
		t.Fatalf("status %s detail %q: want partial, throttled", o.Source.Status, o.Source.Detail)
	}
	if n := f.count("monitoring", "DescribeAlarmHistory"); n != retryAttempts {
		t.Errorf("history attempts = %d, want %d", n, retryAttempts)
	}
}

// Every place whose alarms were listed says how far back its history was
// read: the window's start, or CloudWatch's 14 days when the window
// reaches further; nothing when the history could not be read. A place
// that failed says nothing.
func TestAlarmsSayHowFarTheirHistoryReaches(t *testing.T) {
	f := newFakeAWS(t)
	f.handle("monitoring", "*", func(r fakeReq) fakeResp {
		switch {
		case r.Region == "ap-south-1":
			return fakeResp{Status: http.StatusServiceUnavailable, Code: "ServiceUnavailable", Msg: "try later"}
		case r.Region == "eu-west-1" && r.Op == "DescribeAlarmHistory":
			return fakeResp{Status: http.StatusForbidden, Code: "AccessDenied", Msg: "not authorized"}
		}
		return fakeResp{Body: map[string]any{}}
	})
	c := fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1", "eu-west-1", "ap-south-1"}})[NameAlarms]
	for _, tc := range []struct {
		name string
		w    model.Window
		from time.Time
	}{
		{"a week", testWindow, testWindow.Since},
		{"a month", model.LastDays(testNow, 30*24*time.Hour), testNow.Add(-14 * 24 * time.Hour)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.Collect(context.Background(), tc.w)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]model.AlarmReach{}
			for _, r := range res.Data.AlarmReach {
				got[r.Region] = r
				if r.Account != "111111111111" || !r.Until.Equal(tc.w.Until) {
					t.Errorf("reach %+v: want account 111111111111 until the window's end", r)
				}
			}
			if len(got) != 2 {
				t.Fatalf("reach = %+v, want us-east-1 and eu-west-1 (ap-south-1 failed)", res.Data.AlarmReach)
			}
			if r := got["us-east-1"]; !r.From.Equal(tc.from) {
				t.Errorf("us-east-1 history read from %v, want %v", r.From, tc.from)
			}
			if r := got["eu-west-1"]; !r.From.IsZero() {
				t.Errorf("eu-west-1 history read from %v, want nothing (denied)", r.From)
			}
		})
	}
}
