package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// DefaultWindow is how far back opsdrag looks when no --since is given.
const DefaultWindow = 7 * 24 * time.Hour

// Window is the half-open time range [Since, Until) that signals are
// counted in.
type Window struct {
	Since time.Time
	Until time.Time
}

// LastDays returns the window of the d days up to now.
func LastDays(now time.Time, d time.Duration) Window {
	return Window{Since: now.Add(-d), Until: now}
}

// Contains reports whether t falls inside the window.
func (w Window) Contains(t time.Time) bool {
	return !t.Before(w.Since) && t.Before(w.Until)
}

// Days is the window's length in days (fractional).
func (w Window) Days() float64 {
	return w.Until.Sub(w.Since).Hours() / 24
}

// WeekScale is the factor that turns a count over the window into a count
// per week: 7 / Days.
func (w Window) WeekScale() float64 {
	d := w.Days()
	if d <= 0 {
		return 0
	}
	return 7 / d
}

// Clip returns the part of [from, to) inside the window, in hours.
func (w Window) Clip(from, to time.Time) float64 {
	if from.Before(w.Since) {
		from = w.Since
	}
	if to.After(w.Until) {
		to = w.Until
	}
	if !to.After(from) {
		return 0
	}
	return to.Sub(from).Hours()
}

// String formats the window for people in its own time zone, e.g.
// "Nov 18 14:00 – Nov 25 14:00 CET"; see In.
func (w Window) String() string {
	return w.Since.Format("Jan 2 15:04") + " – " + w.Until.Format("Jan 2 15:04 MST")
}

// In returns the same window with its times in loc, for display.
func (w Window) In(loc *time.Location) Window {
	return Window{Since: w.Since.In(loc), Until: w.Until.In(loc)}
}

// EndOfDayHour is when a working day ends, for weekday-based windows.
const EndOfDayHour = 18

// ParseSince turns a --since value into the start of a window ending now.
// It accepts a duration ("72h", "90m", and "7d" or "2w" for days and weeks),
// an RFC 3339 time, or a weekday name ("friday", "fri"), which means the
// most recent such day at 18:00 in loc.
func ParseSince(s string, now time.Time, loc *time.Location) (time.Time, error) {
	v := strings.TrimSpace(strings.ToLower(s))
	if v == "" {
		return now.Add(-DefaultWindow), nil
	}
	if d, err := parseDuration(v); err == nil {
		if d <= 0 {
			return time.Time{}, fmt.Errorf("--since %q: the duration must be positive", s)
		}
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339, strings.TrimSpace(s)); err == nil {
		if !t.Before(now) {
			return time.Time{}, fmt.Errorf("--since %q: the time is not in the past", s)
		}
		return t, nil
	}
	if wd, ok := parseWeekday(v); ok {
		return LastWeekdayAt(now, wd, EndOfDayHour, loc), nil
	}
	return time.Time{}, fmt.Errorf("--since %q: want a duration (72h, 7d), an RFC 3339 time (2026-11-20T18:00:00Z) or a weekday (friday)", s)
}

func parseDuration(v string) (time.Duration, error) {
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(v, suffix); ok {
			f, err := strconv.ParseFloat(n, 64)
			if err != nil {
				return 0, err
			}
			// Converting a NaN, an infinity or an out-of-range float to an
			// integer is platform-dependent: refuse them, as ParseDuration
			// refuses "9999999999h".
			d := f * float64(unit)
			if math.IsNaN(d) || math.Abs(d) >= math.MaxInt64 {
				return 0, fmt.Errorf("duration %q out of range", v)
			}
			return time.Duration(d), nil
		}
	}
	return time.ParseDuration(v)
}

func parseWeekday(v string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if v == name || v == name[:3] {
			return d, true
		}
	}
	return 0, false
}

// LastWeekdayAt returns the most recent moment before now that is weekday wd
// at hour:00 in loc.
func LastWeekdayAt(now time.Time, wd time.Weekday, hour int, loc *time.Location) time.Time {
	local := now.In(loc)
	back := (int(local.Weekday()) - int(wd) + 7) % 7
	y, m, d := local.Date()
	t := time.Date(y, m, d-back, hour, 0, 0, 0, loc)
	if !t.Before(now) {
		t = time.Date(y, m, d-back-7, hour, 0, 0, 0, loc)
	}
	return t
}
