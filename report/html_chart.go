package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/opsdrag/opsdrag/model"
)

// The weekly chart is drawn here, in Go, as plain shapes the template
// writes out: every coordinate is a number, so nothing remote reaches the
// SVG but the labels html/template escapes.

// Chart geometry, in the SVG's own units (it scales to the page).
const (
	chartWidth  = 640.0
	chartHeight = 230.0
	plotLeft    = 36.0
	plotRight   = chartWidth - 8
	plotTop     = 18.0
	plotBottom  = 196.0
)

// htmlChart is the bar chart of the drag per week, this sprint marked.
type htmlChart struct {
	// None says why there is no chart.
	None          string
	Width, Height float64
	Left, Right   float64
	Base          float64
	Grid          []htmlGrid
	Sprint        []htmlSpan
	Bars          []htmlBar
	Legend        []htmlLegend
	Rows          []htmlWeekRow
	// Note says where the current week's bar comes from, when not from the
	// history.
	Note string
}

type htmlGrid struct {
	Y     float64
	Label string
}

type htmlSpan struct{ X, W float64 }

type htmlLegend struct{ Name, Class string }

type htmlBar struct {
	X, W, Mid            float64
	Label, Value, Title  string
	ValueY               float64
	Segments             []htmlSegment
	Known, Sprint, Bound bool
}

type htmlSegment struct {
	Y, H  float64
	Class string
}

type htmlWeekRow struct{ Week, Hours, Split, Note string }

// weekChart draws the trend the history gave, oldest week first. A week
// nobody measured is drawn as a gap marked "no data", never as zero.
func (v view) weekChart() htmlChart {
	c := htmlChart{Width: chartWidth, Height: chartHeight, Left: plotLeft, Right: plotRight, Base: plotBottom}
	points := v.currentWeek(v.in.Trend, &c)
	known := 0
	for _, p := range points {
		if p.Known {
			known++
		}
	}
	if known == 0 {
		c.None = "No history to draw yet: every run of opsdrag saves its figures (unless --no-store), and the chart fills week by week."
		return c
	}
	top := 0.0
	split := false
	for _, p := range points {
		if p.Known {
			top = max(top, p.Hours)
			split = split || p.ByCategory != nil
		}
	}
	step, ceil := niceScale(top)
	y := func(h float64) float64 { return plotBottom - (plotBottom-plotTop)*h/ceil }
	for t := 0.0; t <= ceil+1e-9; t += step {
		c.Grid = append(c.Grid, htmlGrid{Y: y(t), Label: rangeTick(t)})
	}
	if split {
		for _, cat := range []model.Category{model.CatPipelines, model.CatAlarms, model.CatInfraPRs} {
			c.Legend = append(c.Legend, htmlLegend{Name: cat.Title(), Class: "c-" + string(cat)})
		}
	}
	slot := (plotRight - plotLeft) / float64(len(points))
	for i, p := range points {
		x := plotLeft + float64(i)*slot
		end := p.Start.AddDate(0, 0, 7)
		b := htmlBar{X: x + slot*0.18, W: slot * 0.64, Mid: x + slot/2, Label: p.Start.Format("Jan 2"), Known: p.Known, Bound: p.LowerBound,
			Sprint: p.Start.Before(v.window.Until) && end.After(v.window.Since)}
		if b.Sprint {
			c.Sprint = append(c.Sprint, htmlSpan{X: x, W: slot})
		}
		row := htmlWeekRow{Week: "week of " + p.Start.Format("Mon Jan 2"), Hours: "no data"}
		if b.Sprint {
			row.Note = "this sprint"
		}
		if !p.Known {
			b.Value, b.ValueY, b.Title = "no data", plotBottom-18, row.Week+": no data"
			c.Bars, c.Rows = append(c.Bars, b), append(c.Rows, row)
			continue
		}
		b.Value = model.FormatHours(p.Hours)
		if p.LowerBound {
			b.Value = "≥ " + b.Value
			row.Note = strings.TrimPrefix(row.Note+"; a lower bound (a source failed that week)", "; ")
		}
		row.Hours = b.Value + " h/week"
		b.Title = row.Week + ": " + row.Hours
		b.ValueY = y(p.Hours) - 4
		if p.ByCategory == nil {
			b.Segments = []htmlSegment{{Y: y(p.Hours), H: plotBottom - y(p.Hours), Class: "c-total"}}
		} else {
			base := 0.0
			var parts []string
			for _, cat := range []model.Category{model.CatPipelines, model.CatAlarms, model.CatInfraPRs} {
				h := p.ByCategory[cat]
				parts = append(parts, fmt.Sprintf("%s %s", cat.Word(), model.FormatHours(h)))
				if h <= 0 {
					continue
				}
				b.Segments = append(b.Segments, htmlSegment{Y: y(base + h), H: y(base) - y(base+h), Class: "c-" + string(cat)})
				base += h
			}
			row.Split = strings.Join(parts, ", ")
		}
		c.Bars, c.Rows = append(c.Bars, b), append(c.Rows, row)
	}
	return c
}

// currentWeek returns the trend with its last week filled from this
// report's own figures when the history has none for it (the demo, a run
// with --no-store), and says so in the chart's note.
func (v view) currentWeek(trend []model.WeekPoint, c *htmlChart) []model.WeekPoint {
	if len(trend) == 0 {
		return nil
	}
	points := append([]model.WeekPoint(nil), trend...)
	last := &points[len(points)-1]
	if last.Known || !v.ledger.Coverage.Known() || !last.Start.Before(v.window.Until) {
		return points
	}
	last.Known, last.Hours = true, v.ledger.HoursPerWeek
	last.LowerBound = v.ledger.Coverage.Completeness != model.Complete
	last.ByCategory = map[model.Category]float64{}
	for _, cd := range v.ledger.Categories {
		if cd.Coverage.Known() {
			last.ByCategory[cd.Category] = cd.WeekHours
		}
	}
	c.Note = fmt.Sprintf("The week of %s is this report's own figure (the average over its window): the history has none for it yet.", last.Start.Format("Jan 2"))
	return points
}

// niceScale picks a step of 1, 2 or 5 × 10^k giving three to six grid
// lines up to at least top, and the axis ceiling.
func niceScale(top float64) (step, ceil float64) {
	if top <= 0 {
		return 1, 1
	}
	raw := top / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if step = m * mag; step >= raw {
			break
		}
	}
	return step, math.Ceil(top/step) * step
}
