package model

import "time"

// HourBucket says when, in the team's week, something happened.
type HourBucket int

// Hour buckets, from least to most disruptive.
const (
	// BusinessHours is 08:00–18:00, Monday to Friday.
	BusinessHours HourBucket = iota
	// OffHours is 18:00–22:00 on weekdays and 08:00–22:00 at weekends.
	OffHours
	// SleepHours is 22:00–08:00 on any day.
	SleepHours
)

// String names the bucket.
func (b HourBucket) String() string {
	switch b {
	case OffHours:
		return "off-hours"
	case SleepHours:
		return "sleep hours"
	default:
		return "business hours"
	}
}

// ClassifyHour puts t into its hour bucket in loc. Sleep hours win over
// off-hours: a page at 03:00 on a Sunday woke someone up, which is worse than
// spoiling their weekend afternoon.
func ClassifyHour(t time.Time, loc *time.Location) HourBucket {
	local := t.In(loc)
	h := local.Hour()
	if h >= 22 || h < 8 {
		return SleepHours
	}
	if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday || h >= 18 {
		return OffHours
	}
	return BusinessHours
}

// PageCounts counts transitions into ALARM per hour bucket.
type PageCounts struct {
	Total, Business, OffHours, Sleep int
}

// CountPages classifies each transition of a in loc.
func CountPages(a Alarm, loc *time.Location) PageCounts {
	var c PageCounts
	for _, t := range a.Transitions {
		c.Total++
		switch ClassifyHour(t, loc) {
		case SleepHours:
			c.Sleep++
		case OffHours:
			c.OffHours++
		default:
			c.Business++
		}
	}
	return c
}

// FlappingThreshold is how many transitions into ALARM in one window make an
// alarm "flapping".
const FlappingThreshold = 5

// Flapping reports whether a entered ALARM often enough to be flapping.
func Flapping(a Alarm) bool { return len(a.Transitions) >= FlappingThreshold }
