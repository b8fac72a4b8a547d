package applog

import (
	"fmt"
	"log/slog"
	"regexp"
)

// secret matches what must never reach the log however it got into a
// message: GitHub tokens by their documented prefixes (ghp_, gho_, ghu_,
// ghs_, ghr_, github_pat_), and the value of an Authorization-style
// credential (Bearer, Basic, token).
var secret = regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,})\b|(?i:\b(bearer|basic|token)[ :=]+)[A-Za-z0-9._~+/=-]{16,}`)

// Redact replaces every secret in s with "[redacted]".
func Redact(s string) string {
	return secret.ReplaceAllStringFunc(s, func(m string) string {
		if sub := secret.FindStringSubmatch(m); sub[1] != "" {
			return sub[1] + " [redacted]"
		}
		return "[redacted]"
	})
}

// redactAttr redacts the message and every value that prints as text.
func redactAttr(_ []string, a slog.Attr) slog.Attr {
	switch a.Value.Kind() {
	case slog.KindString:
		if s := a.Value.String(); secret.MatchString(s) {
			a.Value = slog.StringValue(Redact(s))
		}
	case slog.KindAny:
		switch v := a.Value.Any().(type) {
		case error:
			a.Value = slog.StringValue(Redact(v.Error()))
		case fmt.Stringer:
			a.Value = slog.StringValue(Redact(v.String()))
		}
	}
	return a
}
