package tui_test

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/opsdrag/opsdrag/internal/loadgen"
	"github.com/opsdrag/opsdrag/model"
	"github.com/opsdrag/opsdrag/tui"
)

// Pane interaction at the scale of a large organisation (loadgen.Large:
// 10,000 pipeline rows, 5,000 alarms, 2,000 PRs), measured from outside: a
// key press into Update, then the frame View renders — what a person
// waits for between pressing a key and seeing the answer. The budget is
// 2 ms a frame (docs/performance.md).
//
//	go test -run '^$' -bench . -benchmem ./tui/

var loadNow = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)

// Panes by their number key.
const (
	paneTriage    = "2"
	panePipelines = "3"
	paneAlarms    = "4"
	panePRs       = "5"
)

// newLargeApp builds the interface over loadgen.Large's snapshot, sized
// width x height and showing pane (its number key): 10,000 rows on the
// Pipelines pane. Collection never starts (Init is not run), so every frame
// measured is the keys' work alone. Sort benchmarks start here too.
func newLargeApp(tb testing.TB, width, height int, pane string) *tui.App {
	tb.Helper()
	snap := loadgen.Snapshot(loadgen.Large, loadNow)
	a := tui.New(largeOptions(&snap))
	a.Update(tea.WindowSizeMsg{Width: width, Height: height})
	a.Update(keyPress(pane))
	if len(a.View().Content) == 0 {
		tb.Fatal("the first frame is empty")
	}
	return a
}

func largeOptions(initial *model.Snapshot) tui.Options {
	return tui.Options{
		Team:        loadgen.Team(),
		Assumptions: model.DefaultAssumptions(),
		Sources:     loadgen.Sources,
		Window:      func(now time.Time) model.Window { return model.LastDays(now, model.DefaultWindow) },
		Collect: func(context.Context, model.Window) <-chan model.Outcome {
			ch := make(chan model.Outcome)
			close(ch)
			return ch
		},
		Now:     func() time.Time { return loadNow },
		OpenURL: func(string) error { return nil },
		Initial: initial,
	}
}

func keyPress(s string) tea.KeyPressMsg {
	switch s {
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// frame presses key and renders the frame that follows.
func frame(a *tui.App, key string) string {
	a.Update(keyPress(key))
	return a.View().Content
}

// BenchmarkMove is one row down or up (j, k) on a long list.
func BenchmarkMove(b *testing.B) {
	for _, p := range []struct{ name, key string }{{"pipelines", panePipelines}, {"alarms", paneAlarms}, {"prs", panePRs}, {"triage", paneTriage}} {
		b.Run(p.name, func(b *testing.B) {
			a := newLargeApp(b, 120, 40, p.key)
			keys := []string{"j", "j", "k"}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				frame(a, keys[i%len(keys)])
				i++
			}
		})
	}
}

// BenchmarkFilterKeystroke is one keystroke in the filter: each one
// re-filters every row of the pane. It types and erases "terraform"
// letter by letter, so the rows kept range from all to none.
func BenchmarkFilterKeystroke(b *testing.B) {
	for _, p := range []struct{ name, key string }{{"pipelines", panePipelines}, {"alarms", paneAlarms}, {"prs", panePRs}} {
		b.Run(p.name, func(b *testing.B) {
			a := newLargeApp(b, 120, 40, p.key)
			frame(a, "/")
			var keys []string
			for _, r := range "service-00" {
				keys = append(keys, string(r))
			}
			for range len(keys) {
				keys = append(keys, "backspace")
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				frame(a, keys[i%len(keys)])
				i++
			}
		})
	}
}

// BenchmarkSort is s on a pane of 10,000 rows: sort by the next column, each
// cell read as a number, an age or a word, then the frame — all the way
// round the columns and back to the pane's own order.
func BenchmarkSort(b *testing.B) {
	for _, p := range []struct{ name, key string }{{"pipelines", panePipelines}, {"alarms", paneAlarms}, {"prs", panePRs}, {"triage", paneTriage}} {
		b.Run(p.name, func(b *testing.B) {
			a := newLargeApp(b, 120, 40, p.key)
			b.ReportAllocs()
			for b.Loop() {
				frame(a, "s")
			}
		})
	}
}

// BenchmarkSwitchPanes is tab to the next pane, all the way round.
func BenchmarkSwitchPanes(b *testing.B) {
	a := newLargeApp(b, 120, 40, panePipelines)
	b.ReportAllocs()
	for b.Loop() {
		frame(a, "tab")
	}
}

// BenchmarkFirstFrame is the interface built over a stored snapshot of the
// large organisation, sized, and its first frame rendered: the in-process
// part of start to first frame (cmd/opsdrag's BenchmarkStartToFirstFrame
// adds reading the snapshot from the history).
func BenchmarkFirstFrame(b *testing.B) {
	snap := loadgen.Snapshot(loadgen.Large, loadNow)
	b.ReportAllocs()
	for b.Loop() {
		a := tui.New(largeOptions(&snap))
		a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		_ = a.View().Content
	}
}
