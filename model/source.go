package model

import "time"

// Status is how a source's last collection went.
type Status string

// Source statuses. Pending is internal (collection in flight) and never
// appears in a finished report.
const (
	StatusPending Status = "pending"
	StatusOK      Status = "ok"
	StatusPartial Status = "partial"
	StatusError   Status = "error"
	StatusSkipped Status = "skipped"
)

// Source is one collector's status in a snapshot.
type Source struct {
	Name   string
	Status Status
	// Detail is a human-readable reason for partial, error and skipped
	// statuses, or a hint; empty when all went well.
	Detail string
	// Items counts the signals the source contributed.
	Items    int
	Duration time.Duration
	// At is when the source's data was collected; zero when it never was.
	At time.Time
	// Stale is true when the latest attempt failed and the data shown is
	// from an earlier successful collection at At.
	Stale bool
	// Usage is what the latest collection spent of its API's budget; nil
	// when the source does not meter its requests.
	Usage *Usage
	// Progress is how far a collection in flight has come; nil when the
	// source does not report it or is not collecting.
	Progress *Progress
}

// Succeeded reports whether the source produced data on its latest attempt.
func (s Source) Succeeded() bool {
	return s.Status == StatusOK || s.Status == StatusPartial
}

// Usage is what one collection spent of an API's request budget, so a
// person can see that opsdrag is a good citizen of the limits it shares
// with them.
type Usage struct {
	// Requests counts the HTTP requests sent, conditional ones included.
	Requests int
	// NotModified counts the requests answered 304 from the ETag cache,
	// which do not count against GitHub's primary rate limit.
	NotModified int
	// RateLimit and RateRemaining are the primary (hourly) limit and what
	// was left of it after the collection; zero RateLimit means unknown.
	RateLimit     int
	RateRemaining int
	// RateReset is when the primary limit resets; zero when unknown.
	RateReset time.Time
	// Paced is the time spent waiting to stay under the per-minute
	// secondary limits.
	Paced time.Duration
}

// Progress is how far a collection in flight has come: Done of Total units
// (e.g. 45 of 200 repositories).
type Progress struct {
	Done  int
	Total int
	// Unit names what is counted, in the plural ("repositories", "regions").
	Unit string
}

// Outcome is what one run of one collector produced: its status and data.
// While a collection is in flight a collector may stream outcomes with
// status pending, a Progress and the data gathered so far.
type Outcome struct {
	Source Source
	Data   Data
}
