package model_test

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/opsdrag/opsdrag/model"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"plain", "Bump RDS to 16.4", "Bump RDS to 16.4"},
		{"SGR colour", "\x1b[31mred\x1b[0m alert", "red alert"},
		{"clear screen", "a\x1b[2Jb", "ab"},
		{"cursor movement", "\x1b[10;20Hx\x1b[Ay", "xy"},
		{"OSC 8 hyperlink with BEL", "\x1b]8;;http://evil\x07link\x1b]8;;\x07", "link"},
		{"OSC 8 hyperlink with ST", "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"},
		{"OSC 0 window title", "\x1b]0;pwned\x07title", "title"},
		{"OSC 52 clipboard write", "x\x1b]52;c;cm0gLXJmIH4=\x07y", "xy"},
		{"DCS", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		{"ESC c full reset", "a\x1bcb", "ab"},
		{"C0 controls", "a\x00b\x07c\x08d\x0ee\x1b", "abcde"},
		{"ESC plus a final byte is a sequence", "a\x1beb", "ab"},
		{"DEL", "a\x7fb", "ab"},
		{"C1 controls", "a\u0085b\u009bc\u009dd", "abcd"},
		// The 8-bit CSI introducer goes; what is left is inert text.
		{"8-bit CSI", "a\u009b31mb", "a31mb"},
		{"bidi override", "admin\u202Egnp.exe", "admingnp.exe"},
		{"bidi isolates and marks", "\u2066a\u2069\u200eb\u200f\u061cc\u202a\u202bd\u202c", "abcd"},
		{"BOM", "\ufeffTitle", "Title"},
		{"newline", "line one\nline two", "line one line two"},
		{"CRLF folds to one space", "one\r\ntwo", "one two"},
		{"tabs and newlines fold to one space", "a\t\n\t\nb", "a b"},
		{"trailing newline", "title\n", "title"},
		{"line separators fold too", "a\u2028b\u2029", "a b"},
		{"emoji", "🔥 deploy failed 🚀", "🔥 deploy failed 🚀"},
		{"CJK", "部署失败 デプロイ", "部署失败 デプロイ"},
		{"accents", "Café naïve Zürich Łódź", "Café naïve Zürich Łódź"},
		{"non-breaking space kept", "a\u00a0b", "a\u00a0b"},
		{"invalid UTF-8 is dropped", "a\xff\xc0b", "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := model.CleanText(tt.in)
			if got != tt.want {
				t.Errorf("CleanText(%q) = %q, want %q", tt.in, got, tt.want)
			}
			assertTerminalSafe(t, got)
			if again := model.CleanText(got); again != got {
				t.Errorf("CleanText is not idempotent: %q → %q", got, again)
			}
		})
	}
}

// assertTerminalSafe fails if s holds anything a terminal would act on.
func assertTerminalSafe(t *testing.T, s string) {
	t.Helper()
	for _, r := range s {
		if r == 0x1b || r == 0x7f || (r < 0x20) || (r >= 0x80 && r < 0xa0) ||
			(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			t.Errorf("cleaned text %q still holds %U", s, r)
		}
	}
}

const dirty = "\x1b[31mx\x1b]8;;http://evil\x07\u202E\ny\x07"

// dirtyClean is what CleanText makes of dirty.
const dirtyClean = "x y"

// fillStrings sets every plain string, []string element and map key
// reachable from v to dirty, so a test notices a field Clean forgets.
// Named string types (Provider, AlarmState, PRState, Kind) are values the
// collectors set, not remote text, and are left alone.
func fillStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			fillStrings(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillStrings(v.Field(i))
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			fillStrings(v.Index(i))
		}
	case reflect.String:
		if v.Type() == reflect.TypeFor[string]() {
			v.SetString(dirty)
		}
	case reflect.Map:
		if v.Type().Key() == reflect.TypeFor[string]() {
			m := reflect.MakeMap(v.Type())
			for _, k := range v.MapKeys() {
				m.SetMapIndex(reflect.ValueOf(dirty+k.String()), v.MapIndex(k))
			}
			v.Set(m)
		}
	}
}

// collectStrings returns every plain string reachable from v, with its path.
func collectStrings(v reflect.Value, path string, out map[string]string) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			collectStrings(v.Elem(), path, out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				collectStrings(v.Field(i), path+"."+f.Name, out)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			collectStrings(v.Index(i), path+"["+strconv.Itoa(i)+"]", out)
		}
	case reflect.String:
		if v.Type() == reflect.TypeFor[string]() {
			out[path] = v.String()
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			if k.Kind() == reflect.String {
				out[path+"{key}"+k.String()] = k.String()
			}
		}
	}
}

// everyField returns Data with one element of every kind and every string
// field set to dirty text.
func everyField() model.Data {
	d := model.Data{
		Pipelines:    []model.Pipeline{{Provider: model.GitHubActions, Failures: 1, RerunBy: []string{"x"}}},
		Alarms:       []model.Alarm{{State: model.StateAlarm, Transitions: []time.Time{at(1)}}},
		PullRequests: []model.PullRequest{{State: model.PRMerged, Number: 7, Paths: []string{"a", "b"}, Labels: []string{"infra"}, Reviewers: []string{"r"}}},
		Inventory:    []model.ResourceGroup{{Kind: model.KindSQSQueue, Count: 2, Names: []string{"q1", "q2"}}},
		Invoices:     []model.Invoice{{LastMonth: ptr(10.0), ByService: map[string]float64{"EC2": 5, "RDS": 5}}},
		MergedPRs:    ptr(3),
		AlarmReach:   []model.AlarmReach{{From: at(0), Until: at(1)}},
	}
	fillStrings(reflect.ValueOf(&d))
	return d
}

func TestDataCleanEveryField(t *testing.T) {
	d := everyField()
	before := map[string]string{}
	collectStrings(reflect.ValueOf(d), "Data", before)
	if len(before) < 20 {
		t.Fatalf("only %d strings were filled; the fixture is missing fields: %v", len(before), before)
	}

	clean := d.Clean()
	got := map[string]string{}
	collectStrings(reflect.ValueOf(clean), "Data", got)
	for path, s := range got {
		if strings.HasPrefix(path, "Data.Invoices[0].ByService{key}") {
			continue // checked below: keys are merged by value
		}
		if s != dirtyClean {
			t.Errorf("%s = %q after Clean, want %q", path, s, dirtyClean)
		}
	}
	// Both keys clean to "x yEC2"/"x yRDS"; the amounts survive.
	by := clean.Invoices[0].ByService
	if len(by) != 2 || by[dirtyClean+"EC2"] != 5 || by[dirtyClean+"RDS"] != 5 {
		t.Errorf("ByService after Clean = %v", by)
	}
	// Non-text fields survive.
	if clean.Pipelines[0].Failures != 1 || clean.PullRequests[0].Number != 7 || clean.Inventory[0].Count != 2 ||
		*clean.MergedPRs != 3 || *clean.Invoices[0].LastMonth != 10 || len(clean.Alarms[0].Transitions) != 1 {
		t.Errorf("Clean changed non-text fields: %+v", clean)
	}
	// Clean does not write through to the original.
	after := map[string]string{}
	collectStrings(reflect.ValueOf(d), "Data", after)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("Clean modified its receiver")
	}
}

func TestDataCleanMergesByServiceKeys(t *testing.T) {
	// Two keys that clean to the same text are summed, not overwritten.
	d := model.Data{Invoices: []model.Invoice{{ByService: map[string]float64{"EC2": 5, "EC2\x1b[0m": 2.5}}}}
	if got := d.Clean().Invoices[0].ByService; len(got) != 1 || got["EC2"] != 7.5 {
		t.Errorf("ByService = %v, want map[EC2:7.5]", got)
	}
}

func TestDataCleanKeepsNil(t *testing.T) {
	if got := (model.Data{}).Clean(); !reflect.DeepEqual(got, model.Data{}) {
		t.Errorf("Clean of empty Data = %+v, want empty (nil slices stay nil)", got)
	}
}

func TestDataItems(t *testing.T) {
	d := model.Data{
		Pipelines:    make([]model.Pipeline, 2),
		Alarms:       make([]model.Alarm, 3),
		PullRequests: make([]model.PullRequest, 1),
		Invoices:     make([]model.Invoice, 1),
		Inventory:    []model.ResourceGroup{{Count: 4}, {Count: 6}, {Unknown: true}},
		MergedPRs:    ptr(50),
	}
	// 2 + 3 + 1 + 1 + (4 + 6) = 17; MergedPRs is a count, not items.
	if got := d.Items(); got != 17 {
		t.Errorf("Items = %d, want 17", got)
	}
}

func TestCleanTextOnlyRemovesUnsafeRunes(t *testing.T) {
	// Every printable rune of a broad sample survives unchanged.
	var b strings.Builder
	for r := rune(0x20); r < 0x3000; r++ {
		if unicode.IsPrint(r) && !(r >= 0x202a && r <= 0x202e) && !(r >= 0x2066 && r <= 0x2069) &&
			r != 0x200e && r != 0x200f && r != 0x061c {
			b.WriteRune(r)
		}
	}
	in := b.String()
	if got := model.CleanText(in); got != in {
		for i, r := range []rune(in) {
			if rs := []rune(got); i >= len(rs) || rs[i] != r {
				t.Fatalf("CleanText dropped or changed printable %U", r)
			}
		}
	}
}
