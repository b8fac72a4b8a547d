// Package collectors defines the contract every signal source implements and
// the runner that executes them concurrently, streaming each outcome as it
// arrives. Each source lives in its own subpackage.
package collectors

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// Collector gathers one kind of signal from one source.
type Collector interface {
	// Name identifies the source, e.g. "github/actions"; it is unique in a run.
	Name() string
	// Collect gathers the signals of the window. A returned error makes the
	// source's status "error" (or "skipped" for a Skip error); a Result with
	// warnings makes it "partial".
	Collect(ctx context.Context, w model.Window) (Result, error)
}

// Result is what a collector found, with any non-fatal problems.
type Result struct {
	Data model.Data
	// Warnings are failures that left some data out (one region denied, a
	// repo not found). Any warning makes the source "partial".
	Warnings []string
	// Usage is what the collection spent of its API's budget; nil when the
	// source does not meter its requests.
	Usage *model.Usage
}

// Warn appends a warning to r.
func (r *Result) Warn(w string) { r.Warnings = append(r.Warnings, w) }

// SkipError marks a collector that is not configured: its source is
// "skipped" and the message is a one-line hint on how to enable it.
type SkipError struct{ Hint string }

func (e *SkipError) Error() string { return e.Hint }

// Skip returns a SkipError with the given hint.
func Skip(hint string) error { return &SkipError{Hint: hint} }

// Timeouter is implemented by collectors that need a timeout other than the
// runner's default.
type Timeouter interface {
	Timeout() time.Duration
}

// statusOf turns a collector's return into a source status and detail.
func statusOf(res Result, err error) (model.Status, string) {
	var skip *SkipError
	switch {
	case errors.As(err, &skip):
		return model.StatusSkipped, skip.Hint
	case err != nil:
		return model.StatusError, err.Error()
	case len(res.Warnings) > 0:
		return model.StatusPartial, strings.Join(res.Warnings, "; ")
	}
	return model.StatusOK, ""
}

// ProgressFunc receives a collection's progress while it runs: how far it
// has come and everything it has gathered so far (not only what is new).
type ProgressFunc func(p model.Progress, sofar model.Data)

type progressKey struct{}

// WithProgress returns a context whose collectors report their progress to f.
func WithProgress(ctx context.Context, f ProgressFunc) context.Context {
	return context.WithValue(ctx, progressKey{}, f)
}

// ReportProgress tells whoever runs the collector how far it has come and
// what it has gathered so far, so a long collection fills the panes as it
// goes. It does nothing when nobody listens. sofar must not be changed
// afterwards: the receiver may keep it.
func ReportProgress(ctx context.Context, p model.Progress, sofar model.Data) {
	if f, ok := ctx.Value(progressKey{}).(ProgressFunc); ok && f != nil {
		f(p, sofar)
	}
}
