package tui

import "strings"

var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// sparkline draws one rune per value, scaled between the smallest and the
// largest known value; an unknown value (nil) is a dot. Written by hand: a
// one-row sparkline is a dozen lines, not worth a charting library.
func sparkline(values []*float64) string {
	lo, hi, any := 0.0, 0.0, false
	for _, v := range values {
		if v == nil {
			continue
		}
		if !any || *v < lo {
			lo = *v
		}
		if !any || *v > hi {
			hi = *v
		}
		any = true
	}
	var b strings.Builder
	for _, v := range values {
		if v == nil {
			b.WriteRune('·')
			continue
		}
		i := len(sparkBlocks) - 1
		if hi > lo {
			i = int((*v - lo) / (hi - lo) * float64(len(sparkBlocks)-1))
		}
		b.WriteRune(sparkBlocks[i])
	}
	return b.String()
}
