package tui

import (
	"strconv"
	"strings"
)

// sortNumber reads a cell as a number when it is one: a count ("12",
// "7?"), a figure with its unit ("49.0 h", "7.6%", "3.4×", "$10,052",
// "≥ 4.4 h") or an age ("35m", "41h", "2d", read in seconds). ok is false
// for words and for "—" or "unknown".
func sortNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, "≥$€£ ")
	s = strings.TrimRight(s, "?")
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return 0, false
	}
	if ms, ok := strings.CutSuffix(s, "ms"); ok {
		if v, err := strconv.ParseFloat(ms, 64); err == nil {
			return v / 1000, true
		}
	}
	if n := len(s); n >= 2 {
		if unit := ageUnit(s[n-1]); unit > 0 {
			if v, err := strconv.Atoi(s[:n-1]); err == nil {
				return float64(v) * unit, true
			}
		}
	}
	for _, suffix := range []string{" h", " min", "%", "×", " ms", " s"} {
		if rest, ok := strings.CutSuffix(s, suffix); ok {
			s = rest
			break
		}
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v, err == nil
}

// ageUnit is the seconds in a unit ago writes; 0 for another letter.
func ageUnit(u byte) float64 {
	switch u {
	case 's':
		return 1
	case 'm':
		return 60
	case 'h':
		return 3600
	case 'd':
		return 86400
	}
	return 0
}

// compareCells orders two cells: numbers by value, then words
// alphabetically (case aside), then a cell that holds neither ("—",
// "unknown", empty). desc reverses the numbers and the words among
// themselves, never that order: sorting never puts the unknown first.
func compareCells(a, b string, desc bool) int {
	return compareKeys(keyOf(a), keyOf(b), desc)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// blankCell is a cell that holds no value.
func blankCell(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "—", "-", "unknown":
		return true
	}
	return false
}

// sortKey is a cell read once for sorting: a number, a word, or blank.
type sortKey struct {
	kind int8 // 0 number, 1 word, 2 blank
	num  float64
	word string
}

func keyOf(s string) sortKey {
	if blankCell(s) {
		return sortKey{kind: 2}
	}
	if n, ok := sortNumber(s); ok {
		return sortKey{num: n}
	}
	return sortKey{kind: 1, word: strings.ToLower(s)}
}

// compareKeys orders two cells read for sorting; see compareCells.
func compareKeys(a, b sortKey, desc bool) int {
	if a.kind != b.kind {
		return int(a.kind) - int(b.kind)
	}
	var c int
	switch a.kind {
	case 0:
		c = cmpFloat(a.num, b.num)
	case 1:
		c = strings.Compare(a.word, b.word)
	}
	if desc {
		return -c
	}
	return c
}
