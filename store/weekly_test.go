package store

import (
	"context"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// saveHours saves a snapshot at at whose ledger says hours per week.
func saveHours(t *testing.T, s *Store, at time.Time, hours float64, demoFlag bool, sourceOK bool) {
	t.Helper()
	snap := model.NewSnapshot(model.LastDays(at, model.DefaultWindow), demoFlag, []string{"github/actions"})
	status := model.StatusOK
	if !sourceOK {
		status = model.StatusError
	}
	snap = snap.With(outcome("github/actions", status, at, model.Data{}))
	if _, err := s.Save(context.Background(), at, snap, model.Ledger{HoursPerWeek: hours}); err != nil {
		t.Fatal(err)
	}
}

type weekWant struct {
	start time.Time
	known bool
	hours float64
}

func assertWeeks(t *testing.T, got []WeekPoint, want []weekWant) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d weeks, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if !g.Start.Equal(w.start) || g.Known != w.known || g.HoursPerWeek != w.hours {
			t.Errorf("week %d: start %v known %v hours %v; want start %v known %v hours %v",
				i, g.Start, g.Known, g.HoursPerWeek, w.start, w.known, w.hours)
		}
		if g.Known && g.SnapshotID == 0 {
			t.Errorf("week %d: known without a snapshot id", i)
		}
	}
}

// Twelve Berlin weeks, the second to last with the spring-forward Sunday
// (2026-03-29): a 167-hour week.
func TestWeeklyTwelveWeeksAcrossSpringForward(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openTest(t, b.fresh(t))
		berlin := mustLoad(t, "Europe/Berlin")
		at := func(m time.Month, d, hh, mm int) time.Time { return time.Date(2026, m, d, hh, mm, 0, 0, berlin) }
		now := at(time.April, 1, 10, 0) // a Wednesday

		saveHours(t, s, at(time.January, 11, 23, 59), 100, false, true) // the Sunday before the first week
		saveHours(t, s, at(time.January, 12, 0, 0), 3, false, true)     // Monday 00:00: the first week
		saveHours(t, s, at(time.February, 18, 12, 0), 4, false, true)
		saveHours(t, s, at(time.February, 20, 12, 0), 5, false, true) // later that week: wins
		// The DST week: Sunday 23:59 CEST is still that week...
		saveHours(t, s, at(time.March, 29, 23, 59), 10, false, true)
		// ...and Monday 00:30 CEST (22:30 UTC Sunday) is the next, although a
		// week of 168 hours from Monday 00:00 CET would still be running.
		saveHours(t, s, at(time.March, 30, 0, 30), 11, false, true)
		saveHours(t, s, at(time.March, 31, 9, 0), 12, false, true)
		saveHours(t, s, at(time.March, 30, 12, 0), 99, false, true) // saved last but earlier: loses
		saveHours(t, s, at(time.April, 1, 9, 0), 500, true, true)   // demo: ignored
		saveHours(t, s, at(time.April, 1, 9, 30), 0, false, false)  // nothing collected: ignored

		got, err := s.Weekly(ctx, now, 12, berlin)
		if err != nil {
			t.Fatal(err)
		}
		monday := func(m time.Month, d int) time.Time { return at(m, d, 0, 0) }
		want := []weekWant{
			{monday(time.January, 12), true, 3},
			{monday(time.January, 19), false, 0},
			{monday(time.January, 26), false, 0},
			{monday(time.February, 2), false, 0},
			{monday(time.February, 9), false, 0},
			{monday(time.February, 16), true, 5},
			{monday(time.February, 23), false, 0},
			{monday(time.March, 2), false, 0},
			{monday(time.March, 9), false, 0},
			{monday(time.March, 16), false, 0},
			{monday(time.March, 23), true, 10},
			{monday(time.March, 30), true, 12},
		}
		assertWeeks(t, got, want)
		if h := got[11].Start.Sub(got[10].Start); h != 167*time.Hour {
			t.Errorf("the DST week is %v long, want 167h", h)
		}
		if want := at(time.March, 31, 9, 0); !got[11].At.Equal(want) {
			t.Errorf("this week's snapshot was saved at %v, want %v", got[11].At, want)
		}
	})
}

// New York falls back on Sunday 2026-11-01: a 169-hour week.
func TestWeeklyAcrossFallBack(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openTest(t, b.fresh(t))
		ny := mustLoad(t, "America/New_York")
		at := func(m time.Month, d, hh, mm int) time.Time { return time.Date(2026, m, d, hh, mm, 0, 0, ny) }
		// Sunday 23:30 EST is 04:30 UTC Monday: past 168 hours from Monday
		// 00:00 EDT, yet still the same local week.
		saveHours(t, s, at(time.November, 1, 23, 30), 7, false, true)
		saveHours(t, s, at(time.November, 2, 0, 30), 8, false, true)

		got, err := s.Weekly(ctx, at(time.November, 5, 12, 0), 3, ny)
		if err != nil {
			t.Fatal(err)
		}
		assertWeeks(t, got, []weekWant{
			{at(time.October, 19, 0, 0), false, 0},
			{at(time.October, 26, 0, 0), true, 7},
			{at(time.November, 2, 0, 0), true, 8},
		})
		if h := got[2].Start.Sub(got[1].Start); h != 169*time.Hour {
			t.Errorf("the DST week is %v long, want 169h", h)
		}
	})
}

func TestWeeklyEdges(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openTest(t, b.fresh(t))
		now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) // Monday 00:00 exactly
		saveHours(t, s, now, 6, false, true)
		saveHours(t, s, now.Add(-time.Nanosecond), 5, false, true)

		if got, err := s.Weekly(ctx, now, 0, nil); err != nil || got != nil {
			t.Errorf("Weekly(0 weeks) = %v, %v; want nothing", got, err)
		}
		// A nil zone is UTC; Monday 00:00 begins the new week.
		got, err := s.Weekly(ctx, now, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		assertWeeks(t, got, []weekWant{
			{time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC), true, 5},
			{now, true, 6},
		})
		// On Sunday the current week is the one that began six days before.
		got, err = s.Weekly(ctx, now.Add(-time.Hour), 1, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		assertWeeks(t, got, []weekWant{{time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC), true, 5}})
	})
}

// A drag nobody could count (a rejected token) is saved, but it is not a
// week of zero hours: the trend keeps the week's last counted figure, and
// says when that was only a lower bound.
func TestWeeklyNeverReadsAnUnknownDragAsZero(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openTest(t, b.fresh(t))
		now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) // a Wednesday
		save := func(at time.Time, hours float64, c model.Completeness) {
			t.Helper()
			snap := model.NewSnapshot(model.LastDays(at, model.DefaultWindow), false, []string{"github/actions"})
			snap = snap.With(outcome("github/actions", model.StatusOK, at, model.Data{}))
			if _, err := s.Save(ctx, at, snap, model.Ledger{HoursPerWeek: hours, Coverage: model.Coverage{Completeness: c}}); err != nil {
				t.Fatal(err)
			}
		}
		save(now.AddDate(0, 0, -7), 6, model.LowerBound)
		save(now.Add(-2*time.Hour), 4, model.Complete)
		save(now.Add(-time.Hour), 0, model.Unknown)
		weeks, err := s.Weekly(ctx, now, 2, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if w := weeks[1]; !w.Known || w.HoursPerWeek != 4 || w.LowerBound {
			t.Errorf("this week: %+v, want the counted 4 h, not the unknown 0", w)
		}
		if w := weeks[0]; !w.Known || w.HoursPerWeek != 6 || !w.LowerBound {
			t.Errorf("last week: %+v, want 6 h as a lower bound", w)
		}
		list, err := s.List(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if f := list[0].Figures; f.HoursCompleteness != model.Unknown {
			t.Errorf("the unknown drag was listed as %q", f.HoursCompleteness)
		}
	})
}

// Each week carries its snapshot's hours by category, for the report's
// stacked bars; only the snapshot that week's figure comes from counts.
func TestWeeklyCategories(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := openTest(t, b.fresh(t))
		now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
		save := func(at time.Time, pipes, alarms float64) {
			snap := model.NewSnapshot(model.LastDays(at, model.DefaultWindow), false, []string{"github/actions"})
			snap = snap.With(outcome("github/actions", model.StatusOK, at, model.Data{}))
			l := model.Ledger{HoursPerWeek: pipes + alarms, Categories: []model.CategoryDrag{
				{Category: model.CatPipelines, WeekHours: pipes}, {Category: model.CatAlarms, WeekHours: alarms},
			}}
			if _, err := s.Save(ctx, at, snap, l); err != nil {
				t.Fatal(err)
			}
		}
		save(now.AddDate(0, 0, -8), 1, 2)
		save(now.Add(-2*time.Hour), 3, 4)
		save(now.Add(-time.Hour), 5, 6) // the latest of this week: its split is shown
		got, err := s.Weekly(ctx, now, 3, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Known || got[0].Categories != nil {
			t.Errorf("a week without a snapshot has categories %v", got[0].Categories)
		}
		if c := got[1].Categories; c[model.CatPipelines] != 1 || c[model.CatAlarms] != 2 {
			t.Errorf("last week's categories = %v, want pipelines 1, alarms 2", c)
		}
		if c := got[2].Categories; c[model.CatPipelines] != 5 || c[model.CatAlarms] != 6 || len(c) != 2 {
			t.Errorf("this week's categories = %v, want pipelines 5, alarms 6", c)
		}
	})
}
