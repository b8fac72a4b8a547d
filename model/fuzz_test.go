package model_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/opsdrag/opsdrag/model"
)

// FuzzCleanText checks what CleanText promises for any remote text: the
// output holds no C0 or C1 control (so no ESC, CSI, OSC or DCS sequence
// can start), no bidirectional override, is valid UTF-8, and a second
// pass changes nothing.
//
//	go test -run '^$' -fuzz FuzzCleanText -fuzztime 10s ./model/
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{
		"", "plain", "red \x1b[31mCI\x1b[0m", "\x1b]52;c;ZXZpbA==\x07clipboard", "\x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\",
		"\x1bP+q544e\x1b\\dcs", "\x9b31m8-bit CSI", "\u009d0;title\u009c", "\xc2\x9b31m", "tab\tand\r\nnewline\n",
		"\u202eevil\u202c", "\u2066isolate\u2069", "a\x1b", "\x1b[", "\x1b]", "\x1b\x1b[[31m", "trailing \n", "\n\n\n",
		"bom\ufeff", "\xff\xfe invalid", "\x1b[?1049h\x1b[2J", "a\u2028b\u2029c", "\x00nul\x7fdel",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := model.CleanText(s)
		if !utf8.ValidString(out) {
			t.Fatalf("CleanText(%q) = %q: not valid UTF-8", s, out)
		}
		for i, r := range out {
			switch {
			case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
				t.Fatalf("CleanText(%q) = %q: control U+%04X at byte %d", s, out, r, i)
			case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
				t.Fatalf("CleanText(%q) = %q: bidirectional control U+%04X at byte %d", s, out, r, i)
			}
		}
		if ansi.Strip(out) != out {
			t.Fatalf("CleanText(%q) = %q: an escape sequence survived", s, out)
		}
		if again := model.CleanText(out); again != out {
			t.Fatalf("not stable: CleanText(%q) = %q, then %q", s, out, again)
		}
	})
}

// FuzzParseSince checks that no --since value panics, and that every
// accepted one starts the window in the past, at the same moment however
// often it is parsed; a refused one names the flag and the value.
//
//	go test -run '^$' -fuzz FuzzParseSince -fuzztime 10s ./model/
func FuzzParseSince(f *testing.F) {
	for _, s := range []string{
		"", "7d", "72h", "90m", "2w", "1.5d", "0d", "-3d", "1e400d", "NaNd", "infd", "9999999999h", "friday", "FRI", " sun ",
		"2026-11-20T18:00:00Z", "2026-11-20T18:00:00+14:00", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "tomorrow", "d", "w", "5x",
	} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	loc, err := time.LoadLocation("Pacific/Kiritimati") // UTC+14: a weekday there is still yesterday in UTC
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := model.ParseSince(s, now, loc)
		if err != nil {
			if !strings.Contains(err.Error(), "--since") {
				t.Fatalf("ParseSince(%q): error %q does not name --since", s, err)
			}
			return
		}
		if !got.Before(now) {
			t.Fatalf("ParseSince(%q) = %s, not before now (%s)", s, got, now)
		}
		if again, _ := model.ParseSince(s, now, loc); !again.Equal(got) {
			t.Fatalf("ParseSince(%q) = %s, then %s", s, got, again)
		}
	})
}
