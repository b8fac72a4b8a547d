package tui

import (
	"strings"
)

// compactWhere shortens a place for a narrow column while keeping what
// tells rows apart: an AWS region becomes its usual short code
// ("eu-west-1" → "euw1", "ap-southeast-2" → "apse2"), an account id its
// last four digits ("111122223333" → "…3333"), and an "org/repo" its
// repository. Words it does not know stay as they are.
func compactWhere(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		parts := strings.Split(w, "/")
		aws := false
		for j, p := range parts {
			if c, ok := compactAWS(p); ok {
				parts[j], aws = c, true
			}
		}
		if !aws && len(parts) == 2 && parts[1] != "" {
			parts = parts[1:] // org/repo → repo
		}
		words[i] = strings.Join(parts, "/")
	}
	return strings.Join(words, " ")
}

// compactor is compactWhere remembering its answers: a list of 10,000
// rows names a few hundred places.
func compactor() func(string) string {
	seen := map[string]string{}
	return func(s string) string {
		c, ok := seen[s]
		if !ok {
			c = compactWhere(s)
			seen[s] = c
		}
		return c
	}
}

// compactAWS shortens an account id or a region; ok is false for anything
// else.
func compactAWS(s string) (string, bool) {
	if isAccountID(s) {
		return "…" + s[len(s)-4:], true
	}
	if r, ok := shortRegion(s); ok {
		return r, true
	}
	return s, false
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// shortRegion writes a region the way people abbreviate it: its area,
// the initials of its direction and its number ("us-gov-west-1" →
// "usgw1", "ap-northeast-1" → "apne1").
func shortRegion(s string) (string, bool) {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || len(parts[0]) != 2 {
		return "", false
	}
	num := parts[len(parts)-1]
	if num == "" || strings.Trim(num, "0123456789") != "" {
		return "", false
	}
	out := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		switch p {
		case "northeast", "northwest", "southeast", "southwest":
			out += p[:1] + p[5:6]
		case "":
			return "", false
		default:
			out += p[:1]
		}
	}
	return out + num, true
}
