package model_test

import (
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

func TestClassifyHourBoundaries(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	// Local wall-clock times in Berlin; 2026-11-18 is a Wednesday,
	// 2026-11-20 a Friday, 2026-11-21/22 the weekend.
	local := func(day, hour, minute int) time.Time {
		return time.Date(2026, 11, day, hour, minute, 0, 0, berlin)
	}
	tests := []struct {
		name string
		t    time.Time
		want model.HourBucket
	}{
		{"Wed 00:00", local(18, 0, 0), model.SleepHours},
		{"Wed 07:59", local(18, 7, 59), model.SleepHours},
		{"Wed 08:00", local(18, 8, 0), model.BusinessHours},
		{"Wed 12:30", local(18, 12, 30), model.BusinessHours},
		{"Wed 17:59", local(18, 17, 59), model.BusinessHours},
		{"Wed 18:00", local(18, 18, 0), model.OffHours},
		{"Wed 21:59", local(18, 21, 59), model.OffHours},
		{"Wed 22:00", local(18, 22, 0), model.SleepHours},
		{"Wed 23:59", local(18, 23, 59), model.SleepHours},
		{"Mon 08:00", local(16, 8, 0), model.BusinessHours},
		{"Fri 17:59", local(20, 17, 59), model.BusinessHours},
		{"Fri 18:00", local(20, 18, 0), model.OffHours},
		{"Sat 07:59", local(21, 7, 59), model.SleepHours},
		{"Sat 08:00", local(21, 8, 0), model.OffHours},
		{"Sat 10:00", local(21, 10, 0), model.OffHours},
		{"Sat 21:59", local(21, 21, 59), model.OffHours},
		{"Sat 22:00", local(21, 22, 0), model.SleepHours},
		{"Sun 03:00", local(22, 3, 0), model.SleepHours},
		{"Sun 12:00", local(22, 12, 0), model.OffHours},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The instant is passed in UTC: ClassifyHour must convert.
			if got := model.ClassifyHour(tt.t.UTC(), berlin); got != tt.want {
				t.Errorf("ClassifyHour(%s) = %s, want %s", tt.t.Format(time.RFC3339), got, tt.want)
			}
		})
	}
}

func TestClassifyHourTimeZones(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	la := mustLoad(t, "America/Los_Angeles")
	// 2026-11-18 22:00Z is Wed 23:00 CET in Berlin (sleep) and Wed 14:00
	// PST in Los Angeles (business).
	instant := time.Date(2026, 11, 18, 22, 0, 0, 0, time.UTC)
	if got := model.ClassifyHour(instant, berlin); got != model.SleepHours {
		t.Errorf("Berlin: got %s, want sleep hours", got)
	}
	if got := model.ClassifyHour(instant, la); got != model.BusinessHours {
		t.Errorf("Los Angeles: got %s, want business hours", got)
	}
	// In UTC itself it is 22:00: sleep.
	if got := model.ClassifyHour(instant, time.UTC); got != model.SleepHours {
		t.Errorf("UTC: got %s, want sleep hours", got)
	}
}

func TestClassifyHourDST(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	berlin := mustLoad(t, "Europe/Berlin")
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		name string
		loc  *time.Location
		t    time.Time
		want model.HourBucket
	}{
		// New York springs forward on Sunday 2026-03-08 at 02:00 EST → 03:00 EDT (07:00Z).
		{"NY Fri before, 12:59Z = 07:59 EST", ny, utc(2026, 3, 6, 12, 59), model.SleepHours},
		{"NY Fri before, 13:00Z = 08:00 EST", ny, utc(2026, 3, 6, 13, 0), model.BusinessHours},
		{"NY Sun, 06:59Z = 01:59 EST", ny, utc(2026, 3, 8, 6, 59), model.SleepHours},
		{"NY Sun, 07:00Z = 03:00 EDT", ny, utc(2026, 3, 8, 7, 0), model.SleepHours},
		// Were EST still applied, 12:00Z would be 07:00 (sleep).
		{"NY Sun, 11:59Z = 07:59 EDT", ny, utc(2026, 3, 8, 11, 59), model.SleepHours},
		{"NY Sun, 12:00Z = 08:00 EDT (weekend)", ny, utc(2026, 3, 8, 12, 0), model.OffHours},
		{"NY Mon after, 11:59Z = 07:59 EDT", ny, utc(2026, 3, 9, 11, 59), model.SleepHours},
		{"NY Mon after, 12:00Z = 08:00 EDT", ny, utc(2026, 3, 9, 12, 0), model.BusinessHours},
		{"NY Mon after, 22:00Z = 18:00 EDT", ny, utc(2026, 3, 9, 22, 0), model.OffHours},
		// New York falls back on Sunday 2026-11-01 at 02:00 EDT → 01:00 EST (06:00Z).
		{"NY Sun, 05:30Z = 01:30 EDT", ny, utc(2026, 11, 1, 5, 30), model.SleepHours},
		{"NY Sun, 06:30Z = 01:30 EST (again)", ny, utc(2026, 11, 1, 6, 30), model.SleepHours},
		// Were EDT still applied, 12:00Z would be 08:00 (off-hours).
		{"NY Sun, 12:00Z = 07:00 EST", ny, utc(2026, 11, 1, 12, 0), model.SleepHours},
		{"NY Sun, 13:00Z = 08:00 EST (weekend)", ny, utc(2026, 11, 1, 13, 0), model.OffHours},
		{"NY Fri before, 12:00Z = 08:00 EDT", ny, utc(2026, 10, 30, 12, 0), model.BusinessHours},
		{"NY Mon after, 12:00Z = 07:00 EST", ny, utc(2026, 11, 2, 12, 0), model.SleepHours},
		{"NY Mon after, 13:00Z = 08:00 EST", ny, utc(2026, 11, 2, 13, 0), model.BusinessHours},
		{"NY Mon after, 23:00Z = 18:00 EST", ny, utc(2026, 11, 2, 23, 0), model.OffHours},
		// Berlin springs forward on Sunday 2026-03-29 at 02:00 CET → 03:00 CEST (01:00Z).
		{"Berlin Sun, 00:59Z = 01:59 CET", berlin, utc(2026, 3, 29, 0, 59), model.SleepHours},
		{"Berlin Sun, 01:00Z = 03:00 CEST", berlin, utc(2026, 3, 29, 1, 0), model.SleepHours},
		{"Berlin Sun, 05:59Z = 07:59 CEST", berlin, utc(2026, 3, 29, 5, 59), model.SleepHours},
		{"Berlin Sun, 06:00Z = 08:00 CEST (weekend)", berlin, utc(2026, 3, 29, 6, 0), model.OffHours},
		{"Berlin Fri before, 06:30Z = 07:30 CET", berlin, utc(2026, 3, 27, 6, 30), model.SleepHours},
		{"Berlin Mon after, 06:30Z = 08:30 CEST", berlin, utc(2026, 3, 30, 6, 30), model.BusinessHours},
		{"Berlin Mon after, 16:00Z = 18:00 CEST", berlin, utc(2026, 3, 30, 16, 0), model.OffHours},
		// Berlin falls back on Sunday 2026-10-25 at 03:00 CEST → 02:00 CET (01:00Z).
		{"Berlin Fri before, 06:30Z = 08:30 CEST", berlin, utc(2026, 10, 23, 6, 30), model.BusinessHours},
		{"Berlin Sun, 20:30Z = 21:30 CET (weekend)", berlin, utc(2026, 10, 25, 20, 30), model.OffHours},
		{"Berlin Sun, 21:00Z = 22:00 CET", berlin, utc(2026, 10, 25, 21, 0), model.SleepHours},
		{"Berlin Mon after, 06:30Z = 07:30 CET", berlin, utc(2026, 10, 26, 6, 30), model.SleepHours},
		{"Berlin Mon after, 07:00Z = 08:00 CET", berlin, utc(2026, 10, 26, 7, 0), model.BusinessHours},
		{"Berlin Mon after, 16:30Z = 17:30 CET", berlin, utc(2026, 10, 26, 16, 30), model.BusinessHours},
		{"Berlin Mon after, 17:00Z = 18:00 CET", berlin, utc(2026, 10, 26, 17, 0), model.OffHours},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := model.ClassifyHour(tt.t, tt.loc); got != tt.want {
				t.Errorf("ClassifyHour(%s in %s) = %s, want %s", tt.t.Format(time.RFC3339), tt.loc, got, tt.want)
			}
		})
	}
}

func TestHourBucketString(t *testing.T) {
	for b, want := range map[model.HourBucket]string{
		model.BusinessHours: "business hours",
		model.OffHours:      "off-hours",
		model.SleepHours:    "sleep hours",
	} {
		if got := b.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", b, got, want)
		}
	}
}

func TestCountPages(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	berlin := mustLoad(t, "Europe/Berlin")
	utc := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	alarm := model.Alarm{Name: "api-5xx", Transitions: []time.Time{
		utc(18, 15), // Wed: NY 10:00 business; Berlin 16:00 business
		utc(19, 0),  // Thu 00:00Z: NY Wed 19:00 off-hours; Berlin 01:00 sleep
		utc(19, 8),  // NY 03:00 sleep; Berlin 09:00 business
		utc(21, 14), // Sat: NY 09:00 off-hours; Berlin 15:00 off-hours
		utc(22, 4),  // Sun: NY Sat 23:00 sleep; Berlin 05:00 sleep
	}}
	tests := []struct {
		loc  *time.Location
		want model.PageCounts
	}{
		{ny, model.PageCounts{Total: 5, Business: 1, OffHours: 2, Sleep: 2}},
		{berlin, model.PageCounts{Total: 5, Business: 2, OffHours: 1, Sleep: 2}},
		// UTC: 15:00 business, 00:00 sleep, 08:00 business, Sat 14:00 off, 04:00 sleep.
		{time.UTC, model.PageCounts{Total: 5, Business: 2, OffHours: 1, Sleep: 2}},
	}
	for _, tt := range tests {
		if got := model.CountPages(alarm, tt.loc); got != tt.want {
			t.Errorf("CountPages in %s = %+v, want %+v", tt.loc, got, tt.want)
		}
	}
	if got := model.CountPages(model.Alarm{}, ny); got != (model.PageCounts{}) {
		t.Errorf("CountPages with no transitions = %+v, want zero", got)
	}
}

func TestFlapping(t *testing.T) {
	n := func(k int) model.Alarm {
		a := model.Alarm{}
		for i := range k {
			a.Transitions = append(a.Transitions, at(float64(i)))
		}
		return a
	}
	if model.Flapping(n(model.FlappingThreshold - 1)) {
		t.Errorf("%d transitions reported as flapping", model.FlappingThreshold-1)
	}
	if !model.Flapping(n(model.FlappingThreshold)) {
		t.Errorf("%d transitions not reported as flapping", model.FlappingThreshold)
	}
}
