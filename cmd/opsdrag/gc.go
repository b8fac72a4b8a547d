package main

import (
	"os"
	"runtime/debug"
)

// The interface's garbage collection (docs/performance.md). It keeps one
// snapshot and what is derived from it; the rest is garbage of earlier
// refreshes. Collecting at half again the live heap (interfaceGCPercent)
// rather than twice it keeps the process small, at a cost a person at the
// keyboard never sees.
//
// Starting is different: opsdrag reads the last snapshot back and derives
// everything from it, and all of it stays live, so collecting while it
// grows is work that frees nothing and delays the first frame. Until the
// first frame the collector runs only should the runtime's memory reach
// startCeiling — about what collecting at interfaceGCPercent would let the
// heap of 10,000 pipelines reach anyway.
const (
	interfaceGCPercent = 50
	startCeiling       = 64 << 20
)

// interfaceGC sets the start's collection and returns the function that
// ends it, once the first frame is built. GOGC or GOMEMLIMIT, when set,
// win over both.
func interfaceGC() (started func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(startCeiling)
	return func() {
		debug.SetGCPercent(interfaceGCPercent)
		debug.SetMemoryLimit(limit)
	}
}
