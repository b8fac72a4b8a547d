package awscollect

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/costexplorer"
	"github.com/aws/aws-sdk-go-v2/service/costexplorer/types"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

// costCollector reports each account's AWS bill from Cost Explorer: last
// full month and month to date, by service. In an AWS Organization the
// management account's Cost Explorer answers for every member account, so
// the answer is grouped by linked account and each account's bill counts
// once, whichever configured profiles see it. Cost Explorer charges for
// each request, so each answer is cached on disk and asked at most once a
// day per account.
type costCollector struct{ *env }

func (c *costCollector) Name() string { return NameCost }

func (c *costCollector) Collect(ctx context.Context, w model.Window) (collectors.Result, error) {
	cache := costCache{dir: c.opts.CacheDir}
	now := c.opts.Now().UTC()
	day := now.Format(time.DateOnly)
	g, err := c.gather(ctx, w, everyAccount, func(ctx context.Context, t target) (found, error) {
		var out found
		ans, ok := cache.load(t.Account, day)
		if !ok {
			var err error
			ans, err = costsSeenBy(ctx, costexplorer.NewFromConfig(t.cfg), t.Account, now)
			if err != nil {
				return found{}, err
			}
			if err := cache.store(t.Account, ans, day); err != nil {
				out.notes = append(out.notes, note{msg: "could not cache the Cost Explorer answer, the next run will ask (and pay) again: " + err.Error(), where: t})
			}
		}
		out.data.Invoices = ans.Invoices
		for _, msg := range ans.Notes {
			out.notes = append(out.notes, note{msg: msg, where: t})
		}
		return out, nil
	})
	if err != nil {
		return collectors.Result{}, err
	}
	// A member account's own Cost Explorer is often closed to it; when a
	// payer's answer holds its bill, nothing is missing.
	covered := map[string]bool{}
	for _, o := range g.outs {
		for _, inv := range o.data.Invoices {
			covered[inv.Account] = true
		}
	}
	for i, t := range g.targets {
		if g.errs[i] != nil && covered[t.Account] {
			g.errs[i], g.outs[i] = nil, found{}
		}
	}
	res, err := g.fold(ctx)
	res.Data.Invoices = oncePerAccount(res.Data.Invoices)
	if msg := currencyMix(res.Data.Invoices); msg != "" {
		res.Warn(msg)
	}
	return res, err
}

// costExplorerAPI is the part of the Cost Explorer client the collector
// uses.
type costExplorerAPI interface {
	GetCostAndUsage(ctx context.Context, in *costexplorer.GetCostAndUsageInput, optFns ...func(*costexplorer.Options)) (*costexplorer.GetCostAndUsageOutput, error)
}

// costAnswer is what one account's Cost Explorer said: a bill for every
// account its view holds (every member's, for an Organization's management
// account), and what in it could not be added up.
type costAnswer struct {
	Invoices []model.Invoice
	Notes    []string
}

// Group keys of the query, in the order Cost Explorer keys each group.
const (
	keyService = "SERVICE"
	keyAccount = "LINKED_ACCOUNT"
)

// costsSeenBy asks payer's Cost Explorer, in one query, for the unblended
// cost of the last full month and of this month so far, by service and
// linked account. Months are UTC calendar months, as AWS bills them.
func costsSeenBy(ctx context.Context, ce costExplorerAPI, payer string, now time.Time) (costAnswer, error) {
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	lastMonth := thisMonth.AddDate(0, -1, 0)
	// The end is exclusive; asking up to next month's first day returns
	// this month to date.
	in := &costexplorer.GetCostAndUsageInput{
		Granularity: types.GranularityMonthly,
		Metrics:     []string{"UnblendedCost"},
		TimePeriod: &types.DateInterval{
			Start: aws.String(lastMonth.Format(time.DateOnly)),
			End:   aws.String(thisMonth.AddDate(0, 1, 0).Format(time.DateOnly)),
		},
		GroupBy: []types.GroupDefinition{
			{Type: types.GroupDefinitionTypeDimension, Key: aws.String(keyService)},
			{Type: types.GroupDefinitionTypeDimension, Key: aws.String(keyAccount)},
		},
	}
	b := newBills(payer, lastMonth, thisMonth)
	for {
		out, err := ce.GetCostAndUsage(ctx, in)
		if err != nil {
			return costAnswer{}, err
		}
		defs := out.GroupDefinitions
		if len(defs) == 0 {
			defs = in.GroupBy
		}
		for _, r := range out.ResultsByTime {
			b.add(r, defs)
		}
		if aws.ToString(out.NextPageToken) == "" {
			return b.answer(), nil
		}
		in.NextPageToken = out.NextPageToken
	}
}

// bills adds one payer's answer up, account by account.
type bills struct {
	payer                string
	lastMonth, thisMonth time.Time
	// answered marks the months Cost Explorer gave a result for: in them an
	// account of the view with no cost has a known zero.
	answered  map[time.Time]bool
	byAccount map[string]*bill
}

// bill is one account's costs as they add up, with every currency seen.
type bill struct {
	inv   model.Invoice
	units []string
}

func newBills(payer string, lastMonth, thisMonth time.Time) *bills {
	return &bills{payer: payer, lastMonth: lastMonth, thisMonth: thisMonth, answered: map[time.Time]bool{}, byAccount: map[string]*bill{}}
}

// add adds one month's result, by the month it starts in. defs say which
// key of a group is which.
func (b *bills) add(r types.ResultByTime, defs []types.GroupDefinition) {
	if r.TimePeriod == nil {
		return
	}
	start, err := time.Parse(time.DateOnly, aws.ToString(r.TimePeriod.Start))
	if err != nil || (!start.Equal(b.lastMonth) && !start.Equal(b.thisMonth)) {
		return
	}
	b.answered[start] = true
	if len(r.Groups) == 0 {
		b.cost(start, b.payer, "", r.Total)
	}
	for _, g := range r.Groups {
		// An answer that names no linked account (an emulator's) is the
		// asking account's own: a member account's view holds only itself.
		account := cmp.Or(groupKey(g, defs, keyAccount), b.payer)
		b.cost(start, account, groupKey(g, defs, keyService), g.Metrics)
	}
}

// groupKey returns the value of the group key named key, or "".
func groupKey(g types.Group, defs []types.GroupDefinition, key string) string {
	i := slices.IndexFunc(defs, func(d types.GroupDefinition) bool { return aws.ToString(d.Key) == key })
	if i < 0 || i >= len(g.Keys) {
		return ""
	}
	return g.Keys[i]
}

// cost adds one amount to account's bill for month.
func (b *bills) cost(month time.Time, account, service string, m map[string]types.MetricValue) {
	v, ok := m["UnblendedCost"]
	if !ok {
		return
	}
	amount, err := strconv.ParseFloat(aws.ToString(v.Amount), 64)
	if err != nil {
		return
	}
	bl := b.bill(account)
	if unit := aws.ToString(v.Unit); unit != "" && !slices.Contains(bl.units, unit) {
		bl.units = append(bl.units, unit)
	}
	total := bl.total(month, b.lastMonth)
	**total += amount
	if month.Equal(b.lastMonth) && service != "" && amount != 0 {
		if bl.inv.ByService == nil {
			bl.inv.ByService = map[string]float64{}
		}
		bl.inv.ByService[service] += amount
	}
}

func (b *bills) bill(account string) *bill {
	bl := b.byAccount[account]
	if bl == nil {
		bl = &bill{inv: model.Invoice{Account: account, Payer: b.payer, Month: b.lastMonth}}
		b.byAccount[account] = bl
	}
	return bl
}

// total is the bill's total for month, made known (zero) if it was not.
func (bl *bill) total(month, lastMonth time.Time) **float64 {
	total := &bl.inv.MonthToDate
	if month.Equal(lastMonth) {
		total = &bl.inv.LastMonth
	}
	if *total == nil {
		*total = new(float64)
	}
	return total
}

// answer returns every account's bill, by account. A bill in more than one
// currency is never added up: its totals are unknown, and a note says why.
func (b *bills) answer() costAnswer {
	var out costAnswer
	for _, account := range sortedKeys(b.byAccount) {
		bl := b.byAccount[account]
		for month := range b.answered {
			bl.total(month, b.lastMonth)
		}
		if len(bl.units) > 1 {
			out.Notes = append(out.Notes, fmt.Sprintf("account %s: Cost Explorer answered in %s, and amounts in different currencies are never added: its bill is unknown",
				account, strings.Join(bl.units, " and ")))
			bl.inv.LastMonth, bl.inv.MonthToDate, bl.inv.ByService = nil, nil, nil
		} else if len(bl.units) == 1 {
			bl.inv.Currency = bl.units[0]
		}
		out.Invoices = append(out.Invoices, bl.inv)
	}
	return out
}

// oncePerAccount keeps one bill per account when several payers' answers
// hold it (an Organization's management account and the member itself):
// the one through the management account, whose bill it is part of.
func oncePerAccount(invs []model.Invoice) []model.Invoice {
	best := map[string]model.Invoice{}
	for _, inv := range invs {
		have, ok := best[inv.Account]
		if !ok || better(inv, have) {
			best[inv.Account] = inv
		}
	}
	out := make([]model.Invoice, 0, len(best))
	for _, account := range sortedKeys(best) {
		out = append(out, best[account])
	}
	return out
}

// better reports whether a is the bill to keep over b, for one account.
func better(a, b model.Invoice) bool {
	aPayer, bPayer := a.Payer != a.Account, b.Payer != b.Account
	if aPayer != bPayer {
		return aPayer
	}
	return a.Payer < b.Payer
}

// currencyMix says when accounts are billed in different currencies, which
// cannot be added into one invoice; "" when they agree.
func currencyMix(invs []model.Invoice) string {
	byCurrency := map[string][]string{}
	for _, inv := range invs {
		if inv.Currency != "" && (inv.LastMonth != nil || inv.MonthToDate != nil) {
			byCurrency[inv.Currency] = append(byCurrency[inv.Currency], inv.Account)
		}
	}
	if len(byCurrency) < 2 {
		return ""
	}
	var parts []string
	for _, cur := range sortedKeys(byCurrency) {
		parts = append(parts, cur+": "+strings.Join(byCurrency[cur], ", "))
	}
	return "accounts are billed in different currencies (" + strings.Join(parts, "; ") + "): their bills cannot be added into one invoice"
}
