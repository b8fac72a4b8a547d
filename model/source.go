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
}

// Succeeded reports whether the source produced data on its latest attempt.
func (s Source) Succeeded() bool {
	return s.Status == StatusOK || s.Status == StatusPartial
}

// Outcome is what one run of one collector produced: its status and data.
type Outcome struct {
	Source Source
	Data   Data
}
