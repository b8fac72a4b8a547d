package model

import "time"

// Mark says who set a mark or a note and when: a triage item handled, a
// plan step or item done. By is an e-mail or a login, from the marker's
// environment; a mark saved before opsdrag recorded it has neither.
type Mark struct {
	By string
	At time.Time
}

// Known reports whether who set the mark was recorded.
func (m Mark) Known() bool { return m.By != "" }
