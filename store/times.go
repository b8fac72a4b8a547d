package store

import (
	"database/sql"
	"fmt"
	"time"
)

// nanos turns t into the stored form, Unix nanoseconds. Times outside
// 1678–2262 do not fit and are refused rather than silently wrapped.
func nanos(t time.Time) (int64, error) {
	n := t.UnixNano()
	if !time.Unix(0, n).Equal(t) {
		return 0, fmt.Errorf("time %s is outside what the history can store", t.Format(time.RFC3339))
	}
	return n, nil
}

// nullNanos is nanos with the zero time, "never", stored as NULL.
func nullNanos(t time.Time) (sql.NullInt64, error) {
	if t.IsZero() {
		return sql.NullInt64{}, nil
	}
	n, err := nanos(t)
	return sql.NullInt64{Int64: n, Valid: err == nil}, err
}

// fromNanos turns a stored time back into a time.Time in the local zone,
// the zone time.Now gives the rest of opsdrag.
func fromNanos(n int64) time.Time { return time.Unix(0, n) }

// fromNullNanos is fromNanos with NULL read back as the zero time.
func fromNullNanos(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return fromNanos(n.Int64)
}

func nullFloat(f *float64) sql.NullFloat64 {
	if f == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *f, Valid: true}
}

func floatPtr(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	return &f.Float64
}

func nullInt(i *int) sql.NullInt64 {
	if i == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*i), Valid: true}
}

func intPtr(i sql.NullInt64) *int {
	if !i.Valid {
		return nil
	}
	v := int(i.Int64)
	return &v
}
