package demo

import (
	"fmt"
	"net/url"
	"time"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

type demoAlarm struct {
	region, name, reason string
	state                model.AlarmState
	// entries are the moments the alarm entered ALARM, oldest first.
	entries []time.Time
	// since is when it entered its current state.
	since time.Time
}

func (d dataset) alarms() collectors.Result {
	nightSat := d.last(time.Saturday, 3, 12)
	all := []demoAlarm{
		{region: "us-east-1", name: "prod-api-5xx-rate", state: model.StateAlarm,
			reason:  "Threshold Crossed: 1 out of the last 1 datapoints [7.3 (25/11/26 17:20:00)] was greater than the threshold (5.0).",
			entries: []time.Time{d.last(time.Saturday, 14, 10), d.lastNight(23, 40), d.ago(35 * time.Minute)},
			since:   d.ago(35 * time.Minute)},
		{region: "eu-west-1", name: "prod-orders-dlq-not-empty", state: model.StateAlarm,
			reason:  "Threshold Crossed: 3 datapoints were greater than or equal to the threshold (1.0).",
			entries: []time.Time{d.ago(h(41))}, since: d.ago(h(41))},
		{region: "us-east-1", name: "prod-rds-cpu-high", state: model.StateOK,
			reason:  "Threshold Crossed: 1 datapoint [41.2] was not greater than the threshold (80.0).",
			entries: []time.Time{d.last(time.Sunday, 3, 12), d.last(time.Tuesday, 10, 5)}, since: d.ago(h(3))},
		{region: "eu-west-1", name: "prod-redis-evictions", state: model.StateOK,
			reason: "Threshold Crossed: 1 datapoint [0.0] was not greater than the threshold (100.0).",
			entries: []time.Time{d.ago(h(140)), d.ago(h(118)), d.ago(h(97)), nightSat,
				d.ago(h(50)), d.ago(h(26)), d.lastNight(2, 15)},
			since: d.ago(h(5))},
		{region: "us-east-1", name: "prod-alb-unhealthy-hosts", state: model.StateOK,
			reason:  "Threshold Crossed: 1 datapoint [0.0] was not greater than or equal to the threshold (1.0).",
			entries: []time.Time{d.last(time.Friday, 19, 20)}, since: d.last(time.Friday, 19, 20).Add(25 * time.Minute)},
		// Fired only before the window: it must not be reported.
		{region: "us-east-1", name: "prod-ecs-memory-high", state: model.StateOK,
			reason: "Threshold Crossed", entries: []time.Time{d.ago(h(24 * 12))}, since: d.ago(h(24 * 11))},
	}
	var out []model.Alarm
	for _, a := range all {
		var in []time.Time
		for _, t := range a.entries {
			if d.w.Contains(t) {
				in = append(in, t)
			}
		}
		if a.state != model.StateAlarm && len(in) == 0 {
			continue
		}
		out = append(out, model.Alarm{
			Account: Account, Region: a.region, Name: a.name, State: a.state,
			Since: ptr(a.since), Reason: a.reason, Transitions: in, HistoryKnown: true,
			URL: alarmURL(a.region, a.name),
		})
	}
	return collectors.Result{Data: model.Data{Alarms: out}}
}

func alarmURL(region, name string) string {
	return fmt.Sprintf("https://%s.console.aws.amazon.com/cloudwatch/home?region=%s#alarmsV2:alarm/%s",
		region, region, url.PathEscape(name))
}
