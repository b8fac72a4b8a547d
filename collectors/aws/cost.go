package awscollect

import (
	"context"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/costexplorer"
	"github.com/aws/aws-sdk-go-v2/service/costexplorer/types"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

// costCollector reports each account's AWS bill from Cost Explorer: last
// full month and month to date, by service. Cost Explorer charges for each
// request, so the answer is cached on disk and asked at most once a day per
// account.
type costCollector struct{ *env }

func (c *costCollector) Name() string { return NameCost }

// Timeout leaves room for a throttling storm.
func (c *costCollector) Timeout() time.Duration { return collectorTimeout }

func (c *costCollector) Collect(ctx context.Context, w model.Window) (collectors.Result, error) {
	cache := costCache{dir: c.opts.CacheDir}
	return c.collect(ctx, w, accounts, func(ctx context.Context, t target) (found, error) {
		now := c.opts.Now().UTC()
		day := now.Format(time.DateOnly)
		var out found
		if inv, ok := cache.load(t.Account, day); ok {
			out.data.Invoices = []model.Invoice{inv}
			return out, nil
		}
		inv, err := invoice(ctx, costexplorer.NewFromConfig(t.cfg), t.Account, now)
		if err != nil {
			return found{}, err
		}
		if err := cache.store(inv, day); err != nil {
			out.notes = append(out.notes, note{msg: "could not cache the Cost Explorer answer, the next run will ask (and pay) again: " + err.Error(), where: t})
		}
		out.data.Invoices = []model.Invoice{inv}
		return out, nil
	})
}

// costExplorerAPI is the part of the Cost Explorer client the collector
// uses.
type costExplorerAPI interface {
	GetCostAndUsage(ctx context.Context, in *costexplorer.GetCostAndUsageInput, optFns ...func(*costexplorer.Options)) (*costexplorer.GetCostAndUsageOutput, error)
}

// invoice asks Cost Explorer, in one query, for the unblended cost of the
// last full month and of this month so far, by service. Months are UTC
// calendar months, as AWS bills them.
func invoice(ctx context.Context, ce costExplorerAPI, account string, now time.Time) (model.Invoice, error) {
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
		GroupBy: []types.GroupDefinition{{Type: types.GroupDefinitionTypeDimension, Key: aws.String("SERVICE")}},
	}
	inv := model.Invoice{Account: account, Month: lastMonth}
	for {
		out, err := ce.GetCostAndUsage(ctx, in)
		if err != nil {
			return model.Invoice{}, err
		}
		for _, r := range out.ResultsByTime {
			addResult(&inv, r, lastMonth, thisMonth)
		}
		if aws.ToString(out.NextPageToken) == "" {
			return inv, nil
		}
		in.NextPageToken = out.NextPageToken
	}
}

// addResult adds one month's result to inv, by the month it starts in.
func addResult(inv *model.Invoice, r types.ResultByTime, lastMonth, thisMonth time.Time) {
	if r.TimePeriod == nil {
		return
	}
	start, err := time.Parse(time.DateOnly, aws.ToString(r.TimePeriod.Start))
	if err != nil {
		return
	}
	var total **float64
	switch {
	case start.Equal(lastMonth):
		total = &inv.LastMonth
	case start.Equal(thisMonth):
		total = &inv.MonthToDate
	default:
		return
	}
	if *total == nil {
		*total = new(float64)
	}
	add := func(service string, m map[string]types.MetricValue) {
		v, ok := m["UnblendedCost"]
		if !ok {
			return
		}
		amount, err := strconv.ParseFloat(aws.ToString(v.Amount), 64)
		if err != nil {
			return
		}
		**total += amount
		if inv.Currency == "" {
			inv.Currency = aws.ToString(v.Unit)
		}
		if start.Equal(lastMonth) && service != "" && amount != 0 {
			if inv.ByService == nil {
				inv.ByService = map[string]float64{}
			}
			inv.ByService[service] += amount
		}
	}
	if len(r.Groups) == 0 {
		add("", r.Total)
	}
	for _, g := range r.Groups {
		service := ""
		if len(g.Keys) > 0 {
			service = g.Keys[0]
		}
		add(service, g.Metrics)
	}
}
