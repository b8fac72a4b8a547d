package demo

import (
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// pastWeeks is the demo team's drag, in hours per week, over the weeks
// before the current one: a slow climb with one bad week, the kind of
// history a real team's store fills up with.
var pastWeeks = [...]float64{14.5, 15.2, 13.8, 16.1, 17.4, 16.9, 24.8, 18.3, 19.6, 18.9, 20.7, 21.4}

// categoryShares split the demo's past weeks by category, roughly as its
// current window does: alarms at night weigh most.
var categoryShares = map[model.Category]float64{model.CatPipelines: 0.3, model.CatAlarms: 0.45, model.CatInfraPRs: 0.25}

// Trend returns the demo's drag trend: the given number of calendar weeks in
// loc, oldest first, ending with the one now falls in. The current week is
// left unknown; its point is the drag on screen.
func Trend(now time.Time, loc *time.Location, weeks int) []model.WeekPoint {
	monday := model.WeekStart(now, loc)
	points := make([]model.WeekPoint, weeks)
	for i := range points {
		points[i].Start = monday.AddDate(0, 0, -7*(weeks-1-i))
		// Past weeks take the last values of the history, the most recent last.
		if back := weeks - 1 - i; back > 0 && back <= len(pastWeeks) {
			hours := pastWeeks[len(pastWeeks)-back]
			points[i].Known, points[i].Hours = true, hours
			points[i].ByCategory = map[model.Category]float64{}
			for cat, share := range categoryShares {
				points[i].ByCategory[cat] = hours * share
			}
		}
	}
	return points
}
