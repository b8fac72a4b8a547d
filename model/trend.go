package model

import "time"

// WeekPoint is one calendar week of the drag trend.
type WeekPoint struct {
	// Start is the week's Monday 00:00 in the team's time zone.
	Start time.Time
	// Known is false for a week with no saved snapshot.
	Known bool
	// Hours is the drag in hours per week that week.
	Hours float64
	// LowerBound is set when some source behind that week's figure failed.
	LowerBound bool
	// ByCategory splits Hours by drag category; nil when not known (a
	// history saved before categories were kept).
	ByCategory map[Category]float64
}

// WeekStart is Monday 00:00 of the week t falls in, in loc. Weeks are
// stepped in calendar days (AddDate), never in 168 hours: a week with a DST
// change is 167 or 169 hours long.
func WeekStart(t time.Time, loc *time.Location) time.Time {
	local := t.In(loc)
	y, m, d := local.Date()
	return time.Date(y, m, d-(int(local.Weekday())+6)%7, 0, 0, 0, 0, loc)
}
