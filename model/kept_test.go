package model_test

import (
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

func TestWithKeptAddsWhatTheAPIsForgot(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	w := model.LastDays(now, 30*24*time.Hour)
	day := func(n int) time.Time { return now.Add(-time.Duration(n) * 24 * time.Hour) }
	recent := day(2)
	d := model.Data{
		// The API remembers only the last two weeks.
		Alarms: []model.Alarm{{Account: "1", Region: "us-east-1", Name: "db-cpu", Transitions: []time.Time{recent}, HistoryKnown: true}},
		Pipelines: []model.Pipeline{{Provider: model.GitHubActions, Scope: "acme/api", Name: "CI", Branch: "main",
			Failures: 1, FailedAt: []time.Time{recent}, LastFailureAt: &recent}},
	}
	k := model.Kept{
		Transitions: map[model.AlarmRef][]time.Time{
			{Account: "1", Region: "us-east-1", Name: "db-cpu"}: {day(40), day(20), recent.Add(300 * time.Millisecond)},
			{Account: "1", Region: "us-east-1", Name: "gone"}:   {day(3)},
		},
		Failures: map[model.PipelineRef][]time.Time{
			{Provider: model.GitHubActions, Scope: "acme/api", Name: "CI", Branch: "main"}: {day(25), recent},
		},
	}
	got := d.WithKept(k, w)
	// day(40) is outside the window; the kept copy of "recent", 300 ms off,
	// is the same transition; day(20) is added.
	if tr := got.Alarms[0].Transitions; len(tr) != 2 || !tr[0].Equal(day(20)) || !tr[1].Equal(recent) {
		t.Errorf("alarm transitions = %v", tr)
	}
	if len(got.Alarms) != 1 {
		t.Errorf("an alarm the sources did not report was invented: %d alarms", len(got.Alarms))
	}
	p := got.Pipelines[0]
	if p.Failures != 2 || len(p.FailedAt) != 2 || !p.FailedAt[0].Equal(day(25)) || !p.LastFailureAt.Equal(recent) {
		t.Errorf("pipeline = %+v", p)
	}
	// The input is not changed.
	if len(d.Alarms[0].Transitions) != 1 || d.Pipelines[0].Failures != 1 {
		t.Error("WithKept changed its receiver")
	}
	// Nothing kept: the same data.
	if same := d.WithKept(model.Kept{}, w); len(same.Alarms[0].Transitions) != 1 {
		t.Error("empty history changed the data")
	}
}

// CloudWatch forgets alarm history after 14 days. An alarm that paged 20
// days ago and is quiet now is not in today's collection at all; the kept
// history still holds its page, and it counts — where the collection of its
// account and region succeeded, so the alarm's place was really looked at.
func TestWithKeptAddsAlarmsTheCollectionNoLongerSees(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	w := model.LastDays(now, 30*24*time.Hour)
	day := func(n int) time.Time { return now.Add(-time.Duration(n) * 24 * time.Hour) }
	east := model.Place{Account: "1", Region: "us-east-1"}
	d := model.Data{
		Alarms:     []model.Alarm{{Account: "1", Region: "us-east-1", Name: "api-5xx", State: model.StateAlarm, Transitions: []time.Time{day(1)}, HistoryKnown: true}},
		AlarmReach: []model.AlarmReach{{Place: east, From: day(14), Until: now}},
	}
	k := model.Kept{Transitions: map[model.AlarmRef][]time.Time{
		{Account: "1", Region: "us-east-1", Name: "db-cpu"}:    {day(40), day(20)},
		{Account: "1", Region: "us-east-1", Name: "old"}:       {day(40)},
		{Account: "1", Region: "eu-west-1", Name: "unreached"}: {day(20)},
	}}
	got := d.WithKept(k, w)
	if len(got.Alarms) != 2 {
		t.Fatalf("alarms = %+v, want api-5xx and db-cpu", got.Alarms)
	}
	db := got.Alarms[1]
	if db.Name != "db-cpu" || db.Account != "1" || db.Region != "us-east-1" || len(db.Transitions) != 1 || !db.Transitions[0].Equal(day(20)) || !db.HistoryKnown {
		t.Errorf("db-cpu = %+v: want its kept page of 20 days ago, history known", db)
	}
	// Its state now is not known: the collection did not report it, which
	// says only that it is not in ALARM.
	if db.State != "" || db.Firing() || db.Since != nil {
		t.Errorf("db-cpu state %q since %v: want unknown", db.State, db.Since)
	}
	if len(d.Alarms) != 1 {
		t.Error("WithKept changed its receiver")
	}
	// A place whose history could not be read still had its alarms
	// listed: kept alarms count there, with the history marked unknown.
	d.AlarmReach[0].From = time.Time{}
	if got := d.WithKept(k, w); len(got.Alarms) != 2 || got.Alarms[1].HistoryKnown {
		t.Errorf("history unread: alarms = %+v, want db-cpu with history unknown", got.Alarms)
	}
}

func TestAlarmHistoryGaps(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return now.Add(-time.Duration(n) * 24 * time.Hour) }
	east := model.Place{Account: "1", Region: "us-east-1"}
	west := model.Place{Account: "1", Region: "eu-west-1"}
	other := model.Place{Account: "2", Region: "us-east-1"}
	d := model.Data{AlarmReach: []model.AlarmReach{
		{Place: east, From: day(14), Until: now},
		{Place: west, From: day(14), Until: now},
		{Place: other, From: day(14), Until: now},
		// History unreadable: the source says so already.
		{Place: model.Place{Account: "3", Region: "us-east-1"}, Until: now},
	}}
	for _, tc := range []struct {
		name   string
		window model.Window
		kept   map[model.Place][]model.Window
		want   []string
	}{
		{name: "inside CloudWatch's memory", window: model.LastDays(now, 7*24*time.Hour)},
		{name: "no history at all", window: model.LastDays(now, 30*24*time.Hour),
			want: []string{"Oct 26 12:00 – Nov 11 12:00 UTC", "(1 us-east-1, eu-west-1; 2 us-east-1)"}},
		{name: "kept history covers it", window: model.LastDays(now, 30*24*time.Hour), kept: map[model.Place][]model.Window{
			east:  {{Since: day(44), Until: day(30)}, {Since: day(31), Until: day(10)}},
			west:  {{Since: day(35), Until: day(2)}},
			other: {{Since: day(30), Until: day(16)}, {Since: day(16), Until: day(3)}},
		}},
		{name: "a gap between saved collections, and one too recent", window: model.LastDays(now, 30*24*time.Hour), kept: map[model.Place][]model.Window{
			east:  {{Since: day(30), Until: day(25)}, {Since: day(22), Until: day(6)}},
			west:  {{Since: day(22), Until: day(8)}, {Since: day(36), Until: day(25)}},
			other: {{Since: day(12), Until: day(1)}},
		}, want: []string{
			"Oct 26 12:00 – Nov 11 12:00 UTC", "(2 us-east-1)",
			"Oct 31 12:00 – Nov 3 12:00 UTC", "(1 us-east-1, eu-west-1)",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws := model.AlarmHistoryWarnings(d.AlarmHistoryGaps(model.Kept{AlarmHistory: tc.kept}, tc.window))
			// tc.want holds, per warning, its stretch and its places.
			if len(ws) != len(tc.want)/2 {
				t.Fatalf("warnings = %q, want %d", ws, len(tc.want)/2)
			}
			for i, w := range ws {
				span, places := tc.want[2*i], tc.want[2*i+1]
				if !strings.Contains(w, span) || !strings.HasSuffix(w, places) || !strings.Contains(w, "14 days") || !strings.Contains(w, "lower bound") {
					t.Errorf("warning %q, want it to name %s, %s, CloudWatch's 14 days and a lower bound", w, span, places)
				}
			}
		})
	}
}
