// Package model is opsdrag's pure domain: the signals collectors gather,
// the snapshot that merges them, the time window they cover, and what the
// product derives from them — the drag ledger, the migration checklist and
// the triage order. It performs no I/O and imports neither collectors nor
// any user interface.
package model
