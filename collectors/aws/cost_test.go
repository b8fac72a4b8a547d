package awscollect

import (
	"cmp"
	"context"
	"fmt"
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

// cost is one line of a costWorld: what one linked account spent on one
// service in one month.
type cost struct {
	month, account, service, amount string
	unit                            string // "" means USD
}

// costWorld answers GetCostAndUsage like Cost Explorer in an AWS
// Organization: the management account's view holds every member
// account's costs, a member's view only its own. Groups are keyed
// [SERVICE, LINKED_ACCOUNT] and split over pages of pageSize groups.
type costWorld struct {
	// views maps the account asking to the accounts its view holds.
	views    map[string][]string
	costs    []cost
	pageSize int
}

func (cw costWorld) install(t testing.TB, f *fakeAWS) {
	f.handle("ce", "GetCostAndUsage", func(r fakeReq) fakeResp {
		period, _ := r.Params["TimePeriod"].(map[string]any)
		if r.Params["Granularity"] != "MONTHLY" || !slices.Equal(strs(r.Params["Metrics"]), []string{"UnblendedCost"}) ||
			period["Start"] != "2026-10-01" || period["End"] != "2026-12-01" {
			t.Errorf("GetCostAndUsage params = %v", r.Params)
		}
		var keys []string
		gb, _ := r.Params["GroupBy"].([]any)
		for _, g := range gb {
			d := g.(map[string]any)
			if d["Type"] != "DIMENSION" {
				t.Errorf("GetCostAndUsage GroupBy = %v, want dimensions", gb)
			}
			keys = append(keys, fmt.Sprint(d["Key"]))
		}
		if !slices.Equal(keys, []string{"SERVICE", "LINKED_ACCOUNT"}) {
			t.Errorf("GetCostAndUsage GroupBy = %v, want SERVICE and LINKED_ACCOUNT", keys)
		}
		f.mu.Lock()
		asker := f.accounts[r.Key]
		f.mu.Unlock()
		if asker == "" {
			asker = "111111111111"
		}
		view, ok := cw.views[asker]
		if !ok {
			view = []string{asker}
		}
		var mine []cost
		for _, c := range cw.costs {
			if slices.Contains(view, c.account) {
				mine = append(mine, c)
			}
		}
		token, _ := r.Params["NextPageToken"].(string)
		size := cw.pageSize
		if size == 0 {
			size = 100
		}
		items, next := page(mine, token, size)
		results := map[string]map[string]any{}
		for _, month := range []string{"2026-10-01", "2026-11-01"} {
			end := map[string]string{"2026-10-01": "2026-11-01", "2026-11-01": "2026-12-01"}[month]
			results[month] = map[string]any{"TimePeriod": map[string]any{"Start": month, "End": end}, "Estimated": month == "2026-11-01",
				"Total": map[string]any{}, "Groups": []any{}}
		}
		seen := map[string]bool{}
		var attrs []any
		for _, c := range items {
			unit := cmp.Or(c.unit, "USD")
			res := results[c.month]
			res["Groups"] = append(res["Groups"].([]any), map[string]any{"Keys": []string{c.service, c.account},
				"Metrics": map[string]any{"UnblendedCost": map[string]any{"Amount": c.amount, "Unit": unit}}})
			if !seen[c.account] {
				seen[c.account] = true
				attrs = append(attrs, map[string]any{"Value": c.account, "Attributes": map[string]any{"description": "acct-" + c.account}})
			}
		}
		body := map[string]any{"ResultsByTime": []any{results["2026-10-01"], results["2026-11-01"]},
			"GroupDefinitions":         []any{map[string]any{"Type": "DIMENSION", "Key": "SERVICE"}, map[string]any{"Type": "DIMENSION", "Key": "LINKED_ACCOUNT"}},
			"DimensionValueAttributes": attrs}
		if next != "" {
			body["NextPageToken"] = next
		}
		return fakeResp{Body: body}
	})
}

// installCostExplorer answers for one account outside any Organization,
// its groups split over two pages.
func installCostExplorer(t *testing.T, f *fakeAWS) {
	const a = "111111111111"
	costWorld{pageSize: 3, costs: []cost{
		{"2026-10-01", a, "Amazon Elastic Compute Cloud - Compute", "100.50", ""},
		{"2026-10-01", a, "Tax", "0", ""},
		{"2026-10-01", a, "Amazon Relational Database Service", "50.25", ""},
		{"2026-11-01", a, "Amazon Elastic Compute Cloud - Compute", "40", ""},
		{"2026-11-01", a, "Amazon Relational Database Service", "20", ""},
	}}.install(t, f)
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

// In an AWS Organization the management account's Cost Explorer answers
// for every member account. With the management account and a member both
// configured, each account's bill counts once, and says which payer's
// answer it came through.
func TestCostOrganizationCountsEachAccountOnce(t *testing.T) {
	const mgmt, member, other = "111111111111", "222222222222", "333333333333"
	f := newFakeAWS(t)
	f.account("AKID-mgmt", mgmt)
	f.account("AKID-member", member)
	costWorld{pageSize: 2, views: map[string][]string{mgmt: {mgmt, member, other}}, costs: []cost{
		{"2026-10-01", mgmt, "AWS Organizations", "10", ""},
		{"2026-10-01", member, "Amazon Elastic Compute Cloud - Compute", "20", ""},
		{"2026-10-01", member, "Amazon Relational Database Service", "5", ""},
		{"2026-10-01", other, "AWS Lambda", "7", ""},
		{"2026-11-01", member, "Amazon Elastic Compute Cloud - Compute", "3", ""},
	}}.install(t, f)
	o := runOne(t, fakeCollectors(t, f, config.AWS{Profiles: []string{"mgmt", "member"}, Regions: []string{"us-east-1"}})[NameCost], testWindow)
	if o.Source.Status != model.StatusOK {
		t.Fatalf("status %s: %s", o.Source.Status, o.Source.Detail)
	}
	got := map[string]model.Invoice{}
	for _, inv := range o.Data.Invoices {
		if _, dup := got[inv.Account]; dup {
			t.Errorf("account %s counted twice", inv.Account)
		}
		got[inv.Account] = inv
	}
	want := map[string]float64{mgmt: 10, member: 25, other: 7}
	if len(got) != len(want) {
		t.Fatalf("invoices = %+v, want one per linked account: %v", o.Data.Invoices, want)
	}
	for account, total := range want {
		inv := got[account]
		if inv.LastMonth == nil || *inv.LastMonth != total || inv.Payer != mgmt || inv.Currency != "USD" {
			t.Errorf("invoice %s = %+v, want %v last month through payer %s", account, inv, total, mgmt)
		}
	}
	if inv := got[member]; inv.MonthToDate == nil || *inv.MonthToDate != 3 || inv.ByService["Amazon Relational Database Service"] != 5 {
		t.Errorf("member invoice = %+v", inv)
	}
	// Cost Explorer answered for November and named no cost of other's:
	// a known zero, as for a single account.
	if inv := got[other]; inv.MonthToDate == nil || *inv.MonthToDate != 0 {
		t.Errorf("month to date of an account with no cost this month = %v, want a known 0", inv.MonthToDate)
	}
	snap := model.NewSnapshot(testWindow, false, []string{NameCost}).With(o)
	if total := snap.InvoiceMonthly(); total == nil || *total != 42 {
		t.Errorf("invoice across accounts = %v, want 42 (each account once)", total)
	}
}

// A member account whose own Cost Explorer is denied (members often are)
// loses nothing when the management account's answer holds its bill.
func TestCostMemberDeniedButCoveredByThePayer(t *testing.T) {
	const mgmt, member = "111111111111", "222222222222"
	f := newFakeAWS(t)
	f.account("AKID-mgmt", mgmt)
	f.account("AKID-member", member)
	world := costWorld{views: map[string][]string{mgmt: {mgmt, member}}, costs: []cost{
		{"2026-10-01", mgmt, "AWS Organizations", "10", ""},
		{"2026-10-01", member, "AWS Lambda", "20", ""},
	}}
	world.install(t, f)
	inner := f.handlers["ce/GetCostAndUsage"]
	f.handle("ce", "GetCostAndUsage", func(r fakeReq) fakeResp {
		if r.Key == "AKID-member" {
			return denied("AccessDeniedException")(r)
		}
		return inner(r)
	})
	cs := fakeCollectors(t, f, config.AWS{Profiles: []string{"member", "mgmt"}, Regions: []string{"us-east-1"}})
	o := runOne(t, cs[NameCost], testWindow)
	if o.Source.Status != model.StatusOK || len(o.Data.Invoices) != 2 {
		t.Errorf("status %s %q invoices %+v: want ok, both bills through the payer", o.Source.Status, o.Source.Detail, o.Data.Invoices)
	}
	// Alone, the member's denial is what it is.
	o = runOne(t, fakeCollectors(t, f, config.AWS{Profiles: []string{"member"}, Regions: []string{"us-east-1"}})[NameCost], testWindow)
	if o.Source.Status != model.StatusError || !strings.Contains(o.Source.Detail, "permission denied for ce:GetCostAndUsage") {
		t.Errorf("member alone: status %s %q, want the denial", o.Source.Status, o.Source.Detail)
	}
}

// Costs in two currencies are never added up: the total is unknown, and
// the source says why.
func TestCostCurrenciesAreNeverSummed(t *testing.T) {
	const a, b = "111111111111", "222222222222"
	f := newFakeAWS(t)
	costWorld{views: map[string][]string{a: {a, b}}, costs: []cost{
		{"2026-10-01", a, "Amazon Elastic Compute Cloud - Compute", "100", "USD"},
		{"2026-10-01", a, "AWS Marketplace", "50", "EUR"},
		{"2026-10-01", b, "AWS Lambda", "7", "EUR"},
	}}.install(t, f)
	cache := t.TempDir()
	run := func() model.Outcome {
		return runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1"}}, func(o *Options) { o.CacheDir = cache })[NameCost], testWindow)
	}
	o := run()
	t.Logf("detail: %s", o.Source.Detail)
	// The cached answer says the same, without asking again.
	asked := f.count("ce", "")
	if again := run(); again.Source.Detail != o.Source.Detail || f.count("ce", "") != asked {
		t.Errorf("from the cache: detail %q after %d more requests; want the same detail and none", again.Source.Detail, f.count("ce", "")-asked)
	}
	got := map[string]model.Invoice{}
	for _, inv := range o.Data.Invoices {
		got[inv.Account] = inv
	}
	if inv := got[a]; inv.LastMonth != nil || inv.ByService != nil {
		t.Errorf("invoice %s = %+v: USD and EUR must not be added, the total is unknown", a, inv)
	}
	if inv := got[b]; inv.LastMonth == nil || *inv.LastMonth != 7 || inv.Currency != "EUR" {
		t.Errorf("invoice %s = %+v, want 7 EUR", b, inv)
	}
	if o.Source.Status != model.StatusPartial || !hasWarning([]string{o.Source.Detail}, a, "USD", "EUR", "unknown") {
		t.Errorf("status %s detail %q: want partial naming the account and its currencies", o.Source.Status, o.Source.Detail)
	}
}

// Accounts billed in different currencies cannot be added up into one
// invoice; the source says so.
func TestCostAccountsInDifferentCurrencies(t *testing.T) {
	const a, b = "111111111111", "222222222222"
	f := newFakeAWS(t)
	costWorld{views: map[string][]string{a: {a, b}}, costs: []cost{
		{"2026-10-01", a, "AWS Lambda", "100", "USD"},
		{"2026-10-01", b, "AWS Lambda", "7", "EUR"},
	}}.install(t, f)
	o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1"}})[NameCost], testWindow)
	t.Logf("detail: %s", o.Source.Detail)
	if o.Source.Status != model.StatusPartial || !hasWarning([]string{o.Source.Detail}, "USD", "EUR", a, b) {
		t.Errorf("status %s detail %q: want partial saying which accounts bill in which currency", o.Source.Status, o.Source.Detail)
	}
}
