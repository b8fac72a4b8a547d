package model

import (
	"fmt"
	"math"
	"strings"
)

// FormatNumber shows an assumption or an intermediate value with at most
// two decimals and no trailing zeros: "20", "1.5", "2.33".
func FormatNumber(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", f), "0"), ".")
}

// Plural counts a regular noun: "1 failure", "3 failures".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// FormatHours shows hours with one decimal.
func FormatHours(h float64) string {
	return fmt.Sprintf("%.1f", h)
}

// FormatPercent shows a 0..1 share as a whole percentage ("7%"), or with one
// decimal below 10%.
func FormatPercent(f float64) string {
	p := f * 100
	if p < 10 {
		// Round first, then drop a ".0": 0.07 × 100 is 7.000000000000001
		// in floating point and must still read "7%".
		return strings.TrimSuffix(fmt.Sprintf("%.1f", p), ".0") + "%"
	}
	return fmt.Sprintf("%.0f%%", p)
}

// FormatRatio shows a ratio such as "2.4×".
func FormatRatio(r float64) string {
	return fmt.Sprintf("%.1f×", r)
}

// FormatMoney shows an amount rounded to whole units with thousands
// separators: "$4,980". Currency is an ISO code; USD (or empty) prints "$".
func FormatMoney(v float64, currency string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) >= 1e15 {
		return "n/a" // beyond any real budget: an input is absurd
	}
	n := int64(math.Round(math.Abs(v)))
	neg := v < 0 && n > 0 // -0.4 rounds to "$0", not "-$0"
	digits := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	s := b.String()
	switch strings.ToUpper(currency) {
	case "", "USD":
		s = "$" + s
	case "EUR":
		s = "€" + s
	case "GBP":
		s = "£" + s
	default:
		s = s + " " + strings.ToUpper(currency)
	}
	if neg {
		s = "-" + s
	}
	return s
}
