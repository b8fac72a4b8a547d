package awscollect

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/opsdrag/opsdrag/model"
)

// alarmHist is one alarm's history in the window.
type alarmHist struct {
	// entries are the moments it entered ALARM, oldest first.
	entries []time.Time
	// latest is its newest state update, which is its current state.
	latest alarmState
}

// historyData is the JSON CloudWatch keeps in a StateUpdate item's
// HistoryData.
type historyData struct {
	OldState struct {
		StateValue string `json:"stateValue"`
	} `json:"oldState"`
	NewState struct {
		StateValue  string `json:"stateValue"`
		StateReason string `json:"stateReason"`
	} `json:"newState"`
}

// alarmHistory reads every state update of every alarm in the window
// (CloudWatch keeps about two weeks of it) and returns, per alarm name, its
// transitions into ALARM and its newest state.
func alarmHistory(ctx context.Context, cw cloudwatch.DescribeAlarmHistoryAPIClient, w model.Window) (map[string]*alarmHist, error) {
	since, until := w.Since, w.Until
	pages := cloudwatch.NewDescribeAlarmHistoryPaginator(cw, &cloudwatch.DescribeAlarmHistoryInput{
		HistoryItemType: types.HistoryItemTypeStateUpdate,
		AlarmTypes:      alarmTypes,
		StartDate:       &since,
		EndDate:         &until,
		MaxRecords:      aws.Int32(100),
	})
	out := map[string]*alarmHist{}
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, item := range page.AlarmHistoryItems {
			addHistoryItem(out, item, w)
		}
	}
	for _, h := range out {
		slices.SortFunc(h.entries, time.Time.Compare)
	}
	return out, nil
}

func addHistoryItem(out map[string]*alarmHist, item types.AlarmHistoryItem, w model.Window) {
	// Per-contributor items of a multi-time-series alarm repeat what the
	// alarm-level items say; counting both would double the pages.
	if item.AlarmContributorId != nil || item.Timestamp == nil || item.AlarmName == nil {
		return
	}
	var data historyData
	if err := json.Unmarshal([]byte(aws.ToString(item.HistoryData)), &data); err != nil || data.NewState.StateValue == "" {
		return
	}
	name, at := aws.ToString(item.AlarmName), *item.Timestamp
	h := out[name]
	if h == nil {
		h = &alarmHist{}
		out[name] = h
	}
	if h.latest.since == nil || at.After(*h.latest.since) {
		h.latest = alarmState{name: name, state: types.StateValue(data.NewState.StateValue), reason: data.NewState.StateReason, since: &at}
	}
	if data.NewState.StateValue == string(types.StateValueAlarm) && data.OldState.StateValue != string(types.StateValueAlarm) && w.Contains(at) {
		h.entries = append(h.entries, at)
	}
}
