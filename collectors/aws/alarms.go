package awscollect

import (
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

// alarmTypes asks for every kind of alarm: without it CloudWatch returns
// metric alarms only.
var alarmTypes = []types.AlarmType{types.AlarmTypeMetricAlarm, types.AlarmTypeCompositeAlarm, types.AlarmTypeLogAlarm}

// alarmsCollector reports the alarms firing now and those that entered
// ALARM in the window, in every account and region.
type alarmsCollector struct{ *env }

func (c *alarmsCollector) Name() string { return NameAlarms }

func (c *alarmsCollector) Collect(ctx context.Context, w model.Window) (collectors.Result, error) {
	return c.collect(ctx, w, everyRegion, func(ctx context.Context, t target) (found, error) {
		return alarmsIn(ctx, cloudwatch.NewFromConfig(t.cfg), t, w)
	})
}

// alarmState is what the alarm kinds (metric, composite, log) share.
type alarmState struct {
	name   string
	state  types.StateValue
	reason string
	since  *time.Time
	// namespace, metric and dimensions say what a metric alarm watches
	// (for a metric-math alarm, its first metric's).
	namespace, metric string
	dimensions        []model.Dimension
}

// cloudwatchAPI is the part of the CloudWatch client the alarms collector
// uses.
type cloudwatchAPI interface {
	cloudwatch.DescribeAlarmsAPIClient
	cloudwatch.DescribeAlarmHistoryAPIClient
}

// alarmHistoryMemory is how long CloudWatch keeps alarm history: two
// weeks, for alarms deleted since too.
const alarmHistoryMemory = 14 * 24 * time.Hour

// alarmsIn reads one account and region: the alarms in ALARM now, and the
// transitions into ALARM in the window from the alarm history. When the
// history cannot be read, the alarms firing now are still reported, marked
// HistoryKnown false, with the one transition their current state reveals.
// Its AlarmReach says how far back the history was read: to the window's
// start, or to CloudWatch's 14 days when the window reaches further, so the
// kept history can fill in before that, or the gap be said.
func alarmsIn(ctx context.Context, cw cloudwatchAPI, t target, w model.Window) (found, error) {
	firing, err := describeAlarms(ctx, cw, &cloudwatch.DescribeAlarmsInput{StateValue: types.StateValueAlarm})
	if err != nil {
		return found{}, err
	}
	hist, herr := alarmHistory(ctx, cw, w)

	var out found
	known := herr == nil
	reach := model.AlarmReach{Place: model.Place{Account: t.Account, Region: t.Region}, Until: w.Until}
	if known {
		reach.From = w.Since
		if oldest := w.Until.Add(-alarmHistoryMemory); oldest.After(reach.From) {
			reach.From = oldest
		}
	}
	out.data.AlarmReach = []model.AlarmReach{reach}
	if !known {
		out.notes = append(out.notes, note{
			msg:   "alarm history unavailable, showing current state only: " + classify(herr).message(t.Profile),
			where: t,
		})
	}
	seen := map[string]bool{}
	for _, a := range firing {
		seen[a.name] = true
		alarm := newAlarm(t, a)
		alarm.HistoryKnown = known
		if h := hist[a.name]; h != nil {
			alarm.Transitions = h.entries
		} else if !known && a.since != nil && w.Contains(*a.since) {
			alarm.Transitions = []time.Time{*a.since}
		}
		out.data.Alarms = append(out.data.Alarms, alarm)
	}
	// Alarms that fired in the window but are not firing now: their newest
	// history item is their current state, so no second lookup is needed.
	for _, name := range sortedKeys(hist) {
		h := hist[name]
		if seen[name] || len(h.entries) == 0 {
			continue
		}
		alarm := newAlarm(t, h.latest)
		alarm.HistoryKnown = true
		alarm.Transitions = h.entries
		out.data.Alarms = append(out.data.Alarms, alarm)
	}
	return out, nil
}

func newAlarm(t target, a alarmState) model.Alarm {
	return model.Alarm{
		Account: t.Account,
		Region:  t.Region,
		Name:    a.name,
		State:   model.AlarmState(a.state),
		Since:   a.since,
		Reason:  a.reason,
		URL:     alarmURL(t.Region, a.name),
	}
}

// describeAlarms lists every alarm of every type that matches in, across
// all pages.
func describeAlarms(ctx context.Context, cw cloudwatch.DescribeAlarmsAPIClient, in *cloudwatch.DescribeAlarmsInput) ([]alarmState, error) {
	in.AlarmTypes = alarmTypes
	in.MaxRecords = aws.Int32(100)
	var out []alarmState
	pages := cloudwatch.NewDescribeAlarmsPaginator(cw, in)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, a := range page.MetricAlarms {
			st := stateOf(a.AlarmName, a.StateValue, a.StateReason, a.StateTransitionedTimestamp, a.StateUpdatedTimestamp)
			st.namespace, st.metric, st.dimensions = aws.ToString(a.Namespace), aws.ToString(a.MetricName), dimensions(a.Dimensions)
			for _, q := range a.Metrics {
				if st.dimensions != nil || q.MetricStat == nil || q.MetricStat.Metric == nil {
					continue
				}
				m := q.MetricStat.Metric
				st.namespace, st.metric, st.dimensions = aws.ToString(m.Namespace), aws.ToString(m.MetricName), dimensions(m.Dimensions)
			}
			out = append(out, st)
		}
		for _, a := range page.CompositeAlarms {
			out = append(out, stateOf(a.AlarmName, a.StateValue, a.StateReason, a.StateTransitionedTimestamp, a.StateUpdatedTimestamp))
		}
		for _, a := range page.LogAlarms {
			out = append(out, stateOf(a.AlarmName, a.StateValue, a.StateReason, a.StateTransitionedTimestamp, a.StateUpdatedTimestamp))
		}
	}
	return out, nil
}

func dimensions(ds []types.Dimension) []model.Dimension {
	var out []model.Dimension
	for _, d := range ds {
		out = append(out, model.Dimension{Name: aws.ToString(d.Name), Value: aws.ToString(d.Value)})
	}
	return out
}

// stateOf picks when the alarm entered its state: the transition time
// when CloudWatch gives it (the update time also moves when only the
// reason changes), else the update time.
func stateOf(name *string, state types.StateValue, reason *string, transitioned, updated *time.Time) alarmState {
	since := transitioned
	if since == nil || since.IsZero() {
		since = updated
	}
	if since != nil && since.IsZero() {
		since = nil
	}
	return alarmState{name: aws.ToString(name), state: state, reason: aws.ToString(reason), since: since}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
