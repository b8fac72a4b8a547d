package model_test

import (
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// at returns Monday 2026-11-16 00:00 UTC plus h hours; most tests use the
// 168-hour window week() = [at(0), at(168)).
func at(h float64) time.Time {
	return time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC).Add(time.Duration(h * float64(time.Hour)))
}

func week() model.Window { return model.Window{Since: at(0), Until: at(168)} }

func ptr[T any](v T) *T { return &v }

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load time zone %s: %v", name, err)
	}
	return loc
}

// near compares floats computed through different orders of operations.
func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func timePtrEqual(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func fmtTimePtr(t *time.Time) string {
	if t == nil {
		return "nil"
	}
	return t.UTC().Format(time.RFC3339)
}

func floatPtrString(f *float64) string {
	if f == nil {
		return "nil"
	}
	return fmtFloat(*f)
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
