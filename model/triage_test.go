package model

import (
	"testing"
	"time"
)

func TestTriageStartOnEachWeekday(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	// The week of Monday 2026-11-23; each case at 09:30 Berlin time.
	cases := []struct {
		day  int // November date
		want string
	}{
		{23, "2026-11-20 18:00"}, // Monday → Friday
		{24, "2026-11-23 18:00"}, // Tuesday → Monday
		{25, "2026-11-24 18:00"},
		{26, "2026-11-25 18:00"},
		{27, "2026-11-26 18:00"}, // Friday → Thursday
		{28, "2026-11-27 18:00"}, // Saturday → Friday
		{29, "2026-11-27 18:00"}, // Sunday → Friday
	}
	for _, c := range cases {
		now := time.Date(2026, 11, c.day, 9, 30, 0, 0, berlin)
		got := TriageStart(now, berlin).In(berlin).Format("2006-01-02 15:04")
		if got != c.want {
			t.Errorf("%s: got %s, want %s", now.Weekday(), got, c.want)
		}
	}
	// Late on Monday evening it is still Friday's evening that starts it.
	if got := TriageStart(time.Date(2026, 11, 23, 23, 0, 0, 0, berlin), berlin).In(berlin).Day(); got != 20 {
		t.Errorf("Monday 23:00 → Nov %d, want 20", got)
	}
	// Across the end of daylight saving time (Berlin, Sunday 2026-10-25):
	// Monday's triage starts Friday 18:00 CEST = 16:00 UTC.
	got := TriageStart(time.Date(2026, 10, 26, 9, 0, 0, 0, berlin), berlin).UTC()
	if want := time.Date(2026, 10, 23, 16, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("across DST: %s, want %s", got, want)
	}
}

func TestTriageOrdersWorstFirst(t *testing.T) {
	loc := time.UTC
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, loc) // Monday
	at := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, loc) }
	ptr := func(t time.Time) *time.Time { return &t }
	w := Window{Since: TriageStart(now, loc), Until: now}
	data := Data{
		Alarms: []Alarm{
			{Account: "1", Region: "r", Name: "recovered-day", State: StateOK, Transitions: []time.Time{at(21, 14), at(21, 15)}, HistoryKnown: true},
			{Account: "1", Region: "r", Name: "firing-new", State: StateAlarm, Since: ptr(at(23, 8)), Transitions: []time.Time{at(23, 8)}, HistoryKnown: true},
			{Account: "1", Region: "r", Name: "recovered-night", State: StateOK, Transitions: []time.Time{at(22, 3)}, HistoryKnown: true},
			{Account: "1", Region: "r", Name: "firing-old", State: StateAlarm, Since: ptr(at(21, 2)), Transitions: []time.Time{at(21, 2)}, HistoryKnown: true},
			{Account: "1", Region: "r", Name: "quiet", State: StateOK, HistoryKnown: true},
			{Account: "1", Region: "r", Name: "last-week", State: StateOK, Transitions: []time.Time{at(17, 3)}, HistoryKnown: true},
		},
		Pipelines: []Pipeline{
			{Provider: GitHubActions, Scope: "acme/api", Name: "CI", Branch: "main", Failing: true, FailingSince: ptr(at(22, 10)), Failures: 2},
			{Provider: GitHubActions, Scope: "acme/web", Name: "CI", Branch: "main", Failures: 1, LastFailureAt: ptr(at(21, 11))},
			// Failed only before the triage start: not on the list.
			{Provider: GitHubActions, Scope: "acme/old", Name: "CI", Branch: "main", Failures: 2, FailedAt: []time.Time{at(18, 9), at(19, 9)}, LastFailureAt: ptr(at(19, 9))},
		},
		PullRequests: []PullRequest{
			{Repo: "acme/infra", Number: 2, Title: "newer", State: PROpen, CreatedAt: at(20, 9)},
			{Repo: "acme/infra", Number: 1, Title: "older", State: PROpen, CreatedAt: at(10, 9)},
			{Repo: "acme/infra", Number: 3, Title: "draft", State: PROpen, Draft: true, CreatedAt: at(1, 9)},
			{Repo: "acme/infra", Number: 4, Title: "merged", State: PRMerged, CreatedAt: at(1, 9), MergedAt: ptr(at(22, 9))},
		},
	}
	snap := NewSnapshot(w, false, []string{"all"}).With(Outcome{Source: Source{Name: "all", Status: StatusOK}, Data: data})
	got := Triage(snap, w.Since, loc)
	want := []struct {
		id    string
		group TriageGroup
	}{
		{"alarm:1/r/firing-old", FiringNow},
		{"alarm:1/r/firing-new", FiringNow},
		{"pipeline:github-actions/acme/api/CI/main", FailingNow},
		{"alarm:1/r/recovered-night", Recovered}, // a sleep-hour page outranks two daytime ones
		{"alarm:1/r/recovered-day", Recovered},   // Saturday afternoon: off-hours
		{"pipeline:github-actions/acme/web/CI/main", Recovered},
		{"pr:acme/infra#1", WaitingReview},
		{"pr:acme/infra#2", WaitingReview},
	}
	if len(got) != len(want) {
		for _, g := range got {
			t.Log(g.ID)
		}
		t.Fatalf("%d items, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].ID != w.id || got[i].Group != w.group {
			t.Errorf("item %d: %s (%v), want %s (%v)", i, got[i].ID, got[i].Group, w.id, w.group)
		}
	}
	night := got[3]
	if night.SleepPages != 1 || night.Times != 1 || night.Summary() != "1 time, 1 in sleep hours" {
		t.Errorf("night alarm: %+v %q", night, night.Summary())
	}
	if day := got[4]; day.OffHourPages != 2 || day.Summary() != "2 times, 2 off-hours" {
		t.Errorf("weekend alarm: %+v %q", day, day.Summary())
	}
	if !got[2].Since.Equal(at(22, 10)) {
		t.Errorf("a failing pipeline is dated from when it went red, got %v", got[2].Since)
	}
	if !got[3].Since.Equal(at(22, 3)) {
		t.Errorf("a recovered alarm is dated from its last page, got %v", got[3].Since)
	}
}
