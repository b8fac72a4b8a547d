package awscollect

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
)

// testNow is a Wednesday afternoon; the window is the week before it.
var testNow = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)

var testWindow = model.LastDays(testNow, 7*24*time.Hour)

// fakeCollectors returns the four collectors pointed at f.
func fakeCollectors(t testing.TB, f *fakeAWS, cfg config.AWS, tune ...func(*Options)) map[string]collectors.Collector {
	t.Helper()
	opts := Options{
		CacheDir:   t.TempDir(),
		Now:        func() time.Time { return testNow },
		LoadConfig: f.loadConfig("us-east-1"),
		Backoff:    fastBackoff,
	}
	for _, fn := range tune {
		fn(&opts)
	}
	out := map[string]collectors.Collector{}
	for _, c := range New(cfg, opts) {
		out[c.Name()] = c
	}
	return out
}

// runOne runs one collector through the real runner and returns its
// outcome, as the TUI and the report would see it.
func runOne(t testing.TB, c collectors.Collector, w model.Window) model.Outcome {
	t.Helper()
	var out model.Outcome
	for o := range (collectors.Runner{Collectors: []collectors.Collector{c}, Timeout: time.Minute}).Run(context.Background(), w) {
		out = o
	}
	return out
}

// runAll runs collectors together, as one refresh does, and returns their
// outcomes by name.
func runAll(t testing.TB, w model.Window, cs ...collectors.Collector) map[string]model.Outcome {
	t.Helper()
	out := map[string]model.Outcome{}
	for o := range (collectors.Runner{Collectors: cs, Timeout: 2 * time.Minute}).Run(context.Background(), w) {
		out[o.Source.Name] = o
	}
	return out
}

// strs turns a decoded CBOR or JSON list into strings.
func strs(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, x := range l {
			out = append(out, fmt.Sprint(x))
		}
	}
	return out
}

// timeParam reads a timestamp parameter of a CBOR request.
func timeParam(v any) time.Time {
	switch x := v.(type) {
	case time.Time:
		return x
	case cbor.Tag:
		if f, ok := x.Content.(float64); ok {
			return time.Unix(0, int64(f*1e9)).UTC()
		}
		if i, ok := x.Content.(uint64); ok {
			return time.Unix(int64(i), 0).UTC()
		}
	}
	return time.Time{}
}

// historyItem builds a DescribeAlarmHistory StateUpdate item as CloudWatch
// returns it.
func historyItem(name, typ, from, to string, at time.Time) map[string]any {
	data, _ := json.Marshal(map[string]any{
		"version":  "1.0",
		"oldState": map[string]any{"stateValue": from, "stateReason": "was " + from},
		"newState": map[string]any{"stateValue": to, "stateReason": "Threshold Crossed: now " + to},
	})
	return map[string]any{
		"AlarmName":       name,
		"AlarmType":       typ,
		"Timestamp":       cborTime(at),
		"HistoryItemType": "StateUpdate",
		"HistorySummary":  fmt.Sprintf("Alarm updated from %s to %s", from, to),
		"HistoryData":     string(data),
	}
}

// metricAlarm builds a MetricAlarm as DescribeAlarms returns it.
func metricAlarm(name, state, reason string, since time.Time) map[string]any {
	return map[string]any{
		"AlarmName":                  name,
		"AlarmArn":                   "arn:aws:cloudwatch:us-east-1:111111111111:alarm:" + name,
		"StateValue":                 state,
		"StateReason":                reason,
		"StateUpdatedTimestamp":      cborTime(since.Add(time.Minute)),
		"StateTransitionedTimestamp": cborTime(since),
	}
}

func hasWarning(ws []string, parts ...string) bool {
	for _, w := range ws {
		ok := true
		for _, p := range parts {
			if !strings.Contains(w, p) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func findAlarm(as []model.Alarm, region, name string) (model.Alarm, bool) {
	for _, a := range as {
		if a.Region == region && a.Name == name {
			return a, true
		}
	}
	return model.Alarm{}, false
}
