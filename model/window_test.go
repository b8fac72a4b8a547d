package model_test

import (
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

func TestParseSinceDurations(t *testing.T) {
	now := time.Date(2026, 11, 18, 15, 4, 5, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"72h", now.Add(-72 * time.Hour)},
		{"90m", now.Add(-90 * time.Minute)},
		{"1h30m", now.Add(-90 * time.Minute)},
		{"7d", now.Add(-7 * 24 * time.Hour)},
		{"1.5d", now.Add(-36 * time.Hour)}, // 1.5 × 24 h
		{"2w", now.Add(-14 * 24 * time.Hour)},
		{"  7D ", now.Add(-7 * 24 * time.Hour)},
		{"2W", now.Add(-14 * 24 * time.Hour)},
		{"", now.Add(-model.DefaultWindow)},
		{"   ", now.Add(-7 * 24 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := model.ParseSince(tt.in, now, time.UTC)
			if err != nil {
				t.Fatalf("ParseSince(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("ParseSince(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseSinceRejects(t *testing.T) {
	now := time.Date(2026, 11, 18, 15, 4, 5, 0, time.UTC)
	tests := []struct {
		in       string
		contains []string
	}{
		{"0h", []string{`"0h"`, "positive"}},
		{"0d", []string{"positive"}},
		{"-1h", []string{"positive"}},
		{"-3d", []string{"positive"}},
		{"-1w", []string{"positive"}},
		{"2026-11-19T00:00:00Z", []string{"not in the past"}}, // after now
		{"2026-11-18T15:04:05Z", []string{"not in the past"}}, // exactly now
		{"2027-01-01T00:00:00+01:00", []string{"not in the past"}},
		{"yesterday", []string{`"yesterday"`, "72h", "RFC 3339", "friday"}},
		{"d", []string{"72h", "RFC 3339", "friday"}},
		{"fridays", []string{"72h", "RFC 3339", "friday"}},
		{"7x", []string{"72h", "RFC 3339", "friday"}},
		{"2026-11-10", []string{"72h", "RFC 3339", "friday"}},
		{"infd", []string{"72h", "RFC 3339", "friday"}},
		{"nanw", []string{"72h", "RFC 3339", "friday"}},
		{"1e300d", []string{"72h", "RFC 3339", "friday"}},
		{"999999999w", []string{"72h", "RFC 3339", "friday"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := model.ParseSince(tt.in, now, time.UTC)
			if err == nil {
				t.Fatalf("ParseSince(%q) = %s, want an error", tt.in, got)
			}
			for _, s := range tt.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("ParseSince(%q) error %q does not mention %q", tt.in, err, s)
				}
			}
			if !strings.HasPrefix(err.Error(), "--since ") {
				t.Errorf("error %q does not name the flag", err)
			}
		})
	}
}

func TestParseSinceRFC3339(t *testing.T) {
	now := time.Date(2026, 11, 18, 15, 4, 5, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-11-10T18:00:00Z", time.Date(2026, 11, 10, 18, 0, 0, 0, time.UTC)},
		{"2026-11-10T18:00:00+01:00", time.Date(2026, 11, 10, 17, 0, 0, 0, time.UTC)},
		{" 2026-11-18T15:04:04Z ", now.Add(-time.Second)},
	}
	for _, tt := range tests {
		got, err := model.ParseSince(tt.in, now, time.UTC)
		if err != nil {
			t.Errorf("ParseSince(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) {
			t.Errorf("ParseSince(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseSinceWeekday(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	ny := mustLoad(t, "America/New_York")
	la := mustLoad(t, "America/Los_Angeles")
	tokyo := mustLoad(t, "Asia/Tokyo")
	b := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, berlin) }
	utc := func(y int, mo time.Month, d, h int) time.Time { return time.Date(y, mo, d, h, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		in   string
		now  time.Time
		loc  *time.Location
		want time.Time
	}{
		// "friday" from each day of the week of Mon 2026-11-16, at noon
		// in Berlin: Mon–Fri noon go back to Fri 11-13 18:00, the weekend
		// to Fri 11-20 18:00.
		{"from Monday", "friday", b(16, 12, 0), berlin, b(13, 18, 0)},
		{"from Tuesday", "friday", b(17, 12, 0), berlin, b(13, 18, 0)},
		{"from Wednesday", "friday", b(18, 12, 0), berlin, b(13, 18, 0)},
		{"from Thursday", "friday", b(19, 12, 0), berlin, b(13, 18, 0)},
		{"from Friday before 18:00", "friday", b(20, 12, 0), berlin, b(13, 18, 0)},
		{"from Friday 17:59", "friday", b(20, 17, 59), berlin, b(13, 18, 0)},
		{"from Friday at 18:00 exactly", "friday", b(20, 18, 0), berlin, b(13, 18, 0)},
		{"from Friday after 18:00", "friday", b(20, 18, 1), berlin, b(20, 18, 0)},
		{"from Friday late", "friday", b(20, 23, 0), berlin, b(20, 18, 0)},
		{"from Saturday", "friday", b(21, 12, 0), berlin, b(20, 18, 0)},
		{"from Sunday", "friday", b(22, 12, 0), berlin, b(20, 18, 0)},
		{"from Monday 00:30", "friday", b(23, 0, 30), berlin, b(20, 18, 0)},
		// Abbreviations and case.
		{"fri", "fri", b(18, 12, 0), berlin, b(13, 18, 0)},
		{"FRIDAY", "FRIDAY", b(18, 12, 0), berlin, b(13, 18, 0)},
		{"Fri padded", "  Fri ", b(18, 12, 0), berlin, b(13, 18, 0)},
		// Other days.
		{"monday from Monday morning", "monday", b(16, 9, 0), berlin, b(9, 18, 0)},
		{"monday from Monday evening", "monday", b(16, 19, 0), berlin, b(16, 18, 0)},
		{"wed from Friday", "wed", b(20, 9, 0), berlin, b(18, 18, 0)},
		{"thursday from Wednesday", "thursday", b(18, 9, 0), berlin, b(12, 18, 0)},
		{"sun from Saturday", "sun", b(21, 9, 0), berlin, b(15, 18, 0)},
		{"sunday from Sunday evening", "Sunday", b(22, 20, 0), berlin, b(22, 18, 0)},
		{"sat from Tuesday", "sat", b(17, 9, 0), berlin, b(14, 18, 0)},
		{"tue from Tuesday noon", "tue", b(17, 12, 0), berlin, b(10, 18, 0)},

		// Across a DST change: the 18:00 is in the zone's offset of that
		// day, not of now.
		// Mon 2026-03-09 09:00 EDT (13:00Z) → Fri 03-06 18:00 EST = 23:00Z.
		{"NY spring forward", "friday", utc(2026, 3, 9, 13), ny, utc(2026, 3, 6, 23)},
		// Mon 2026-11-02 09:00 EST (14:00Z) → Fri 10-30 18:00 EDT = 22:00Z.
		{"NY fall back", "friday", utc(2026, 11, 2, 14), ny, utc(2026, 10, 30, 22)},
		// Mon 2026-03-30 09:00 CEST (07:00Z) → Fri 03-27 18:00 CET = 17:00Z.
		{"Berlin spring forward", "friday", utc(2026, 3, 30, 7), berlin, utc(2026, 3, 27, 17)},
		// Mon 2026-10-26 09:00 CET (08:00Z) → Fri 10-23 18:00 CEST = 16:00Z.
		{"Berlin fall back", "friday", utc(2026, 10, 26, 8), berlin, utc(2026, 10, 23, 16)},

		// The same instant, Sat 2026-11-21 02:00Z, in three zones.
		// UTC: Saturday → Fri 11-20 18:00Z.
		{"UTC", "friday", utc(2026, 11, 21, 2), time.UTC, utc(2026, 11, 20, 18)},
		// Los Angeles: Fri 18:00 PST exactly, not before now → the Friday
		// before, 11-13 18:00 PST = 11-14 02:00Z.
		{"Los Angeles", "friday", utc(2026, 11, 21, 2), la, utc(2026, 11, 14, 2)},
		// Tokyo: Sat 11:00 JST → Fri 11-20 18:00 JST = 09:00Z.
		{"Tokyo", "friday", utc(2026, 11, 21, 2), tokyo, utc(2026, 11, 20, 9)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := model.ParseSince(tt.in, tt.now, tt.loc)
			if err != nil {
				t.Fatalf("ParseSince(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("ParseSince(%q) at %s = %s, want %s", tt.in,
					tt.now.In(tt.loc).Format(time.RFC3339), got.In(tt.loc).Format(time.RFC3339), tt.want.In(tt.loc).Format(time.RFC3339))
			}
			if got.In(tt.loc).Hour() != model.EndOfDayHour {
				t.Errorf("result %s is not at %d:00 in %s", got, model.EndOfDayHour, tt.loc)
			}
		})
	}
}

func TestLastWeekdayAt(t *testing.T) {
	// Wed 2026-11-18 10:00 UTC; the most recent Wednesday 09:00 is today,
	// the most recent Wednesday 11:00 a week ago.
	now := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	if got, want := model.LastWeekdayAt(now, time.Wednesday, 9, time.UTC), time.Date(2026, 11, 18, 9, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Wednesday 09:00 = %s, want %s", got, want)
	}
	if got, want := model.LastWeekdayAt(now, time.Wednesday, 11, time.UTC), time.Date(2026, 11, 11, 11, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Wednesday 11:00 = %s, want %s", got, want)
	}
}

func TestWindow(t *testing.T) {
	w := week()
	t.Run("Contains is half-open", func(t *testing.T) {
		for _, tt := range []struct {
			h    float64
			want bool
		}{
			{-0.001, false}, {0, true}, {84, true}, {167.999, true}, {168, false}, {200, false},
		} {
			if got := w.Contains(at(tt.h)); got != tt.want {
				t.Errorf("Contains(h%v) = %v, want %v", tt.h, got, tt.want)
			}
		}
	})
	t.Run("Days and WeekScale", func(t *testing.T) {
		for _, tt := range []struct {
			name      string
			w         model.Window
			days      float64
			weekScale float64
		}{
			{"7 days", w, 7, 1},
			{"3 days", model.Window{Since: at(0), Until: at(72)}, 3, 7.0 / 3}, // 72 h / 24
			{"36 hours", model.Window{Since: at(0), Until: at(36)}, 1.5, 7 / 1.5},
			{"2 weeks", model.Window{Since: at(0), Until: at(336)}, 14, 0.5},
			{"empty", model.Window{Since: at(5), Until: at(5)}, 0, 0},
			{"reversed", model.Window{Since: at(10), Until: at(5)}, -5.0 / 24, 0},
		} {
			if got := tt.w.Days(); !near(got, tt.days) {
				t.Errorf("%s: Days = %v, want %v", tt.name, got, tt.days)
			}
			if got := tt.w.WeekScale(); !near(got, tt.weekScale) {
				t.Errorf("%s: WeekScale = %v, want %v", tt.name, got, tt.weekScale)
			}
		}
	})
	t.Run("Clip", func(t *testing.T) {
		for _, tt := range []struct {
			name     string
			from, to float64
			want     float64
		}{
			{"inside", 10, 12.5, 2.5},
			{"starts before", -5, 3, 3},
			{"ends after", 160, 200, 8},
			{"covers the window", -10, 300, 168},
			{"entirely before", -10, -5, 0},
			{"entirely after", 170, 180, 0},
			{"reversed", 12, 10, 0},
			{"empty", 12, 12, 0},
		} {
			if got := w.Clip(at(tt.from), at(tt.to)); !near(got, tt.want) {
				t.Errorf("%s: Clip(h%v, h%v) = %v, want %v", tt.name, tt.from, tt.to, got, tt.want)
			}
		}
	})
	t.Run("LastDays", func(t *testing.T) {
		now := at(168)
		got := model.LastDays(now, model.DefaultWindow)
		if !got.Since.Equal(at(0)) || !got.Until.Equal(now) {
			t.Errorf("LastDays = %+v, want [%s, %s)", got, at(0), now)
		}
	})
	t.Run("String", func(t *testing.T) {
		if got, want := w.String(), "Nov 16 00:00 – Nov 23 00:00 UTC"; got != want {
			t.Errorf("String = %q, want %q", got, want)
		}
	})
}

func TestWeekStart(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ in, want time.Time }{
		{time.Date(2026, 11, 25, 15, 0, 0, 0, ny), time.Date(2026, 11, 23, 0, 0, 0, 0, ny)},  // Wednesday
		{time.Date(2026, 11, 23, 0, 0, 0, 0, ny), time.Date(2026, 11, 23, 0, 0, 0, 0, ny)},   // Monday midnight
		{time.Date(2026, 11, 29, 23, 59, 0, 0, ny), time.Date(2026, 11, 23, 0, 0, 0, 0, ny)}, // Sunday night
		// The week of the end of DST (Sunday Nov 1) starts Monday Oct 26, EDT.
		{time.Date(2026, 11, 1, 12, 0, 0, 0, ny), time.Date(2026, 10, 26, 0, 0, 0, 0, ny)},
		// A UTC instant that is still Sunday in New York.
		{time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC), time.Date(2026, 11, 23, 0, 0, 0, 0, ny)},
	}
	for _, c := range cases {
		if got := model.WeekStart(c.in, ny); !got.Equal(c.want) {
			t.Errorf("WeekStart(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}
