package model_test

import (
	"reflect"
	"testing"

	"github.com/opsdrag/opsdrag/model"
)

func TestSummarizeRuns(t *testing.T) {
	run := func(c model.Conclusion, attempt int, h float64, url string) model.Run {
		return model.Run{Conclusion: c, Attempt: attempt, CompletedAt: at(h), URL: url}
	}
	inProgress := func(attempt int, url string) model.Run {
		return model.Run{Conclusion: model.InProgress, Attempt: attempt, URL: url}
	}

	tests := []struct {
		name string
		runs []model.Run
		want model.RunSummary
	}{
		{
			name: "no runs",
			want: model.RunSummary{},
		},
		{
			name: "green only: latest run linked",
			runs: []model.Run{run(model.Success, 1, 10, "s1"), run(model.Success, 1, 20, "s2")},
			want: model.RunSummary{LastURL: "s2"},
		},
		{
			// Failure at h10, re-run (attempt 2) green at h12.
			// Reruns = 2-1 = 1; red = 12-10 = 2 h.
			name: "failure then rerun green",
			runs: []model.Run{run(model.Failure, 1, 10, "f1"), run(model.Success, 2, 12, "s1")},
			want: model.RunSummary{Failures: 1, Reruns: 1, RedHours: 2, LastFailureAt: ptr(at(10)), LastURL: "f1"},
		},
		{
			// Attempt 3 means two re-runs: 3-1 = 2.
			name: "third attempt counts two reruns",
			runs: []model.Run{run(model.Failure, 1, 10, "f1"), run(model.Failure, 2, 11, "f2"), run(model.Success, 3, 13.5, "s1")},
			// Failures 2; reruns (2-1)+(3-1) = 3; red 13.5-10 = 3.5 h.
			want: model.RunSummary{Failures: 2, Reruns: 3, RedHours: 3.5, LastFailureAt: ptr(at(11)), LastURL: "f2"},
		},
		{
			// Failures at h10, h11, h13 then success at h16: one streak of
			// 16-10 = 6 h, not (1+2+3).
			name: "consecutive failures extend one streak",
			runs: []model.Run{
				run(model.Failure, 1, 10, "f1"), run(model.Failure, 1, 11, "f2"),
				run(model.Failure, 1, 13, "f3"), run(model.Success, 1, 16, "s1"),
			},
			want: model.RunSummary{Failures: 3, RedHours: 6, LastFailureAt: ptr(at(13)), LastURL: "f3"},
		},
		{
			// Two separate streaks: (12-10) + (25-20) = 7 h.
			name: "two streaks add up",
			runs: []model.Run{
				run(model.Failure, 1, 10, "f1"), run(model.Success, 1, 12, "s1"),
				run(model.Failure, 1, 20, "f2"), run(model.Success, 1, 25, "s2"),
			},
			want: model.RunSummary{Failures: 2, RedHours: 7, LastFailureAt: ptr(at(20)), LastURL: "f2"},
		},
		{
			// Green at h20, red from h100 to the window end at h168:
			// 168-100 = 68 h, failing since h100.
			name: "still red at window end",
			runs: []model.Run{
				run(model.Success, 1, 20, "s1"), run(model.Failure, 1, 100, "f1"), run(model.Failure, 1, 150, "f2"),
			},
			want: model.RunSummary{
				Failing: true, FailingSince: ptr(at(100)), Failures: 2, RedHours: 68,
				LastFailureAt: ptr(at(150)), LastURL: "f2",
			},
		},
		{
			// Failed at h-5 (before the window), green at h3: red is
			// clipped to the window, 3-0 = 3 h; the failure is not counted.
			name: "streak begun before the window is clipped to Since",
			runs: []model.Run{run(model.Failure, 1, -5, "f0"), run(model.Success, 1, 3, "s1")},
			want: model.RunSummary{RedHours: 3, LastURL: "s1"},
		},
		{
			// Failed at h-24, its re-run failed at h-20 (attempt 2, before
			// the window: not counted), failed again at h50. Red for the
			// whole window (168 h), failing since the first failure.
			name: "streak begun before the window still red",
			runs: []model.Run{
				run(model.Failure, 1, -24, "f0"), run(model.Failure, 2, -20, "f0b"), run(model.Failure, 1, 50, "f1"),
			},
			want: model.RunSummary{
				Failing: true, FailingSince: ptr(at(-24)), Failures: 1, RedHours: 168,
				LastFailureAt: ptr(at(50)), LastURL: "f1",
			},
		},
		{
			// Red h-30 to h-20, entirely before the window: nothing.
			name: "streak ended before the window",
			runs: []model.Run{run(model.Failure, 1, -30, "f0"), run(model.Success, 1, -20, "s0")},
			want: model.RunSummary{LastURL: "s0"},
		},
		{
			// Cancelled (h11) and skipped (h12) runs neither count as
			// failures nor end the streak: red 14-10 = 4 h.
			name: "cancelled and skipped are not failures and do not end a streak",
			runs: []model.Run{
				run(model.Failure, 1, 10, "f1"), run(model.Cancelled, 1, 11, "c1"),
				run(model.Skipped, 1, 12, "k1"), run(model.Success, 1, 14, "s1"),
			},
			want: model.RunSummary{Failures: 1, RedHours: 4, LastFailureAt: ptr(at(10)), LastURL: "f1"},
		},
		{
			name: "cancelled alone is green",
			runs: []model.Run{run(model.Success, 1, 5, "s1"), run(model.Cancelled, 1, 10, "c1"), run(model.Skipped, 1, 11, "k1")},
			want: model.RunSummary{LastURL: "k1"},
		},
		{
			// Failure at h160, cancelled at h165: still failing, red
			// 168-160 = 8 h.
			name: "cancelled after a failure keeps it failing",
			runs: []model.Run{run(model.Failure, 1, 160, "f1"), run(model.Cancelled, 1, 165, "c1")},
			want: model.RunSummary{
				Failing: true, FailingSince: ptr(at(160)), Failures: 1, RedHours: 8,
				LastFailureAt: ptr(at(160)), LastURL: "f1",
			},
		},
		{
			// The in-progress re-run (attempt 2) has not completed: it
			// neither ends the streak nor counts as a rerun. Red 168-10.
			name: "in-progress runs are ignored",
			runs: []model.Run{run(model.Failure, 1, 10, "f1"), inProgress(2, "p1")},
			want: model.RunSummary{
				Failing: true, FailingSince: ptr(at(10)), Failures: 1, RedHours: 158,
				LastFailureAt: ptr(at(10)), LastURL: "f1",
			},
		},
		{
			// A failure at h170 is after Until (h168): ignored entirely.
			name: "runs after Until are ignored",
			runs: []model.Run{run(model.Success, 1, 100, "s1"), run(model.Failure, 2, 170, "f1")},
			want: model.RunSummary{LastURL: "s1"},
		},
		{
			// Red from h160; the success at h170 is after Until, so at the
			// window's end the pipeline was red: 168-160 = 8 h.
			name: "success after Until does not end the streak",
			runs: []model.Run{run(model.Failure, 1, 160, "f1"), run(model.Success, 1, 170, "s1")},
			want: model.RunSummary{
				Failing: true, FailingSince: ptr(at(160)), Failures: 1, RedHours: 8,
				LastFailureAt: ptr(at(160)), LastURL: "f1",
			},
		},
		{
			// Same runs as "consecutive failures extend one streak", shuffled.
			name: "unsorted input",
			runs: []model.Run{
				run(model.Success, 1, 16, "s1"), run(model.Failure, 1, 11, "f2"),
				run(model.Failure, 1, 13, "f3"), run(model.Failure, 1, 10, "f1"),
			},
			want: model.RunSummary{Failures: 3, RedHours: 6, LastFailureAt: ptr(at(13)), LastURL: "f3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]model.Run(nil), tt.runs...)
			got := model.SummarizeRuns(tt.runs, week())
			assertSummary(t, got, tt.want)
			for i := range in {
				if !reflect.DeepEqual(in[i], tt.runs[i]) {
					t.Fatalf("SummarizeRuns reordered or changed its input at %d", i)
				}
			}
		})
	}
}

// TestSummarizeRunsRerunBy: who re-ran is kept for the re-runs counted in
// the window only, and an attempt whose starter is unknown names nobody.
func TestSummarizeRunsRerunBy(t *testing.T) {
	runs := []model.Run{
		{Conclusion: model.Success, Attempt: 2, CompletedAt: at(-5), RerunBy: []string{"before"}},
		{Conclusion: model.Failure, Attempt: 1, CompletedAt: at(10)},
		{Conclusion: model.Success, Attempt: 3, CompletedAt: at(12), RerunBy: []string{"ana", ""}},
	}
	got := model.SummarizeRuns(runs, week())
	if got.Reruns != 2 || !reflect.DeepEqual(got.RerunBy, []string{"ana"}) {
		t.Errorf("Reruns = %d, RerunBy = %q; want 2 and [ana]", got.Reruns, got.RerunBy)
	}
	if p := got.Fill(model.Pipeline{}); !reflect.DeepEqual(p.RerunBy, []string{"ana"}) {
		t.Errorf("Fill: RerunBy = %q", p.RerunBy)
	}
}

func assertSummary(t *testing.T, got, want model.RunSummary) {
	t.Helper()
	if got.Failing != want.Failing {
		t.Errorf("Failing = %v, want %v", got.Failing, want.Failing)
	}
	if !timePtrEqual(got.FailingSince, want.FailingSince) {
		t.Errorf("FailingSince = %s, want %s", fmtTimePtr(got.FailingSince), fmtTimePtr(want.FailingSince))
	}
	if got.Failures != want.Failures {
		t.Errorf("Failures = %d, want %d", got.Failures, want.Failures)
	}
	if got.Reruns != want.Reruns {
		t.Errorf("Reruns = %d, want %d", got.Reruns, want.Reruns)
	}
	if !near(got.RedHours, want.RedHours) {
		t.Errorf("RedHours = %v, want %v", got.RedHours, want.RedHours)
	}
	if !timePtrEqual(got.LastFailureAt, want.LastFailureAt) {
		t.Errorf("LastFailureAt = %s, want %s", fmtTimePtr(got.LastFailureAt), fmtTimePtr(want.LastFailureAt))
	}
	if got.LastURL != want.LastURL {
		t.Errorf("LastURL = %q, want %q", got.LastURL, want.LastURL)
	}
}
