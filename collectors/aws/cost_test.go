package awscollect

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
)

func group(service, amount string) map[string]any {
	return map[string]any{"Keys": []string{service}, "Metrics": map[string]any{"UnblendedCost": map[string]any{"Amount": amount, "Unit": "USD"}}}
}

// installCostExplorer answers GetCostAndUsage like Cost Explorer: one
// result per month, groups split over two pages.
func installCostExplorer(t *testing.T, f *fakeAWS) {
	f.handle("ce", "GetCostAndUsage", func(r fakeReq) fakeResp {
		period, _ := r.Params["TimePeriod"].(map[string]any)
		if r.Params["Granularity"] != "MONTHLY" || !slices.Equal(strs(r.Params["Metrics"]), []string{"UnblendedCost"}) ||
			period["Start"] != "2026-10-01" || period["End"] != "2026-12-01" {
			t.Errorf("GetCostAndUsage params = %v", r.Params)
		}
		gb, _ := r.Params["GroupBy"].([]any)
		if len(gb) != 1 || gb[0].(map[string]any)["Key"] != "SERVICE" {
			t.Errorf("GetCostAndUsage GroupBy = %v, want SERVICE", r.Params["GroupBy"])
		}
		oct := map[string]any{"TimePeriod": map[string]any{"Start": "2026-10-01", "End": "2026-11-01"}, "Estimated": false, "Total": map[string]any{}}
		nov := map[string]any{"TimePeriod": map[string]any{"Start": "2026-11-01", "End": "2026-12-01"}, "Estimated": true, "Total": map[string]any{}}
		if r.Params["NextPageToken"] == nil {
			oct["Groups"] = []any{group("Amazon Elastic Compute Cloud - Compute", "100.50"), group("Tax", "0")}
			return fakeResp{Body: map[string]any{"ResultsByTime": []any{oct}, "NextPageToken": "p2",
				"GroupDefinitions": []any{map[string]any{"Type": "DIMENSION", "Key": "SERVICE"}}}}
		}
		oct["Groups"] = []any{group("Amazon Relational Database Service", "50.25")}
		nov["Groups"] = []any{group("Amazon Elastic Compute Cloud - Compute", "40"), group("Amazon Relational Database Service", "20")}
		return fakeResp{Body: map[string]any{"ResultsByTime": []any{oct, nov}}}
	})
}

func TestCostAndDailyCache(t *testing.T) {
	f := newFakeAWS(t)
	installCostExplorer(t, f)
	cache := filepath.Join(t.TempDir(), "aws")
	now := testNow
	collector := func() map[string]func() model.Outcome {
		cs := fakeCollectors(t, f, config.AWS{Profiles: []string{"a", "b"}, Regions: []string{"us-east-1", "eu-west-1"}},
			func(o *Options) { o.CacheDir = cache; o.Now = func() time.Time { return now } })
		return map[string]func() model.Outcome{NameCost: func() model.Outcome { return runOne(t, cs[NameCost], testWindow) }}
	}

	o := collector()[NameCost]()
	if o.Source.Status != model.StatusOK {
		t.Fatalf("status %s: %s", o.Source.Status, o.Source.Detail)
	}
	// Two profiles, one account (and two regions): one question.
	if n := f.calls("ce", "GetCostAndUsage"); n != 2 {
		t.Fatalf("GetCostAndUsage requests = %d, want one query of two pages", n)
	}
	if len(o.Data.Invoices) != 1 {
		t.Fatalf("invoices = %+v, want one per account", o.Data.Invoices)
	}
	inv := o.Data.Invoices[0]
	if inv.Account != "111111111111" || !inv.Month.Equal(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) || inv.Currency != "USD" {
		t.Errorf("invoice = %+v", inv)
	}
	if inv.LastMonth == nil || *inv.LastMonth != 150.75 || inv.MonthToDate == nil || *inv.MonthToDate != 60 {
		t.Errorf("last month %v, month to date %v; want 150.75 and 60", inv.LastMonth, inv.MonthToDate)
	}
	want := map[string]float64{"Amazon Elastic Compute Cloud - Compute": 100.5, "Amazon Relational Database Service": 50.25}
	if len(inv.ByService) != len(want) || inv.ByService["Amazon Elastic Compute Cloud - Compute"] != 100.5 || inv.ByService["Amazon Relational Database Service"] != 50.25 {
		t.Errorf("by service = %v, want %v", inv.ByService, want)
	}

	// The cache is private and named by account and day.
	st, err := os.Stat(filepath.Join(cache, "cost-111111111111-2026-11-25.json"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("cache file: %v, mode %v; want 0600", err, st)
	}
	if st, _ := os.Stat(cache); st.Mode().Perm() != 0o700 {
		t.Errorf("cache dir mode %v, want 0700", st.Mode().Perm())
	}

	// A second run the same day, by a new process: zero requests.
	before, beforeCalls := f.count("ce", ""), f.calls("ce", "")
	o2 := collector()[NameCost]()
	if n := f.count("ce", "") - before; n != 0 {
		t.Errorf("second run the same day made %d Cost Explorer requests, want 0", n)
	}
	if len(o2.Data.Invoices) != 1 || *o2.Data.Invoices[0].LastMonth != 150.75 || o2.Data.Invoices[0].ByService["Amazon Relational Database Service"] != 50.25 {
		t.Errorf("cached invoice = %+v", o2.Data.Invoices)
	}

	// The next day asks again, and replaces yesterday's file.
	now = testNow.Add(24 * time.Hour)
	collector()[NameCost]()
	if n := f.calls("ce", "") - beforeCalls; n != 2 {
		t.Errorf("next day made %d requests, want one query of two pages", n)
	}
	files, _ := filepath.Glob(filepath.Join(cache, "cost-*"))
	if len(files) != 1 || !strings.HasSuffix(files[0], "cost-111111111111-2026-11-26.json") {
		t.Errorf("cache files = %v, want only today's", files)
	}
}

func TestCostMissingMonthIsUnknown(t *testing.T) {
	f := newFakeAWS(t)
	// A new account: no result for last month at all.
	f.handle("ce", "GetCostAndUsage", func(fakeReq) fakeResp {
		return fakeResp{Body: map[string]any{"ResultsByTime": []any{map[string]any{
			"TimePeriod": map[string]any{"Start": "2026-11-01", "End": "2026-12-01"},
			"Groups":     []any{group("AWS Lambda", "0.42")},
		}}}}
	})
	res, err := fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1"}})[NameCost].Collect(context.Background(), testWindow)
	if err != nil {
		t.Fatal(err)
	}
	inv := res.Data.Invoices[0]
	if inv.LastMonth != nil || inv.MonthToDate == nil || *inv.MonthToDate != 0.42 {
		t.Errorf("invoice = %+v: last month must be unknown (nil), not zero", inv)
	}
}

func TestCostDenied(t *testing.T) {
	f := newFakeAWS(t)
	f.handle("ce", "GetCostAndUsage", denied("AccessDeniedException"))
	cache := t.TempDir()
	o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1"}}, func(o *Options) { o.CacheDir = cache })[NameCost], testWindow)
	if o.Source.Status != model.StatusError || !strings.Contains(o.Source.Detail, "permission denied for ce:GetCostAndUsage") {
		t.Errorf("status %s detail %q", o.Source.Status, o.Source.Detail)
	}
	if files, _ := filepath.Glob(filepath.Join(cache, "*")); len(files) != 0 {
		t.Errorf("a failure was cached: %v", files)
	}
}
