package model

import (
	"fmt"
	"strings"
)

// Verdict places a figure against the range teams in the field report.
type Verdict int

// Verdicts, from good to bad.
const (
	Below Verdict = iota
	Within
	Above
)

// Band is one reference range from the field and where the team sits in it.
type Band struct {
	// Figure names what is compared, e.g. "Routine maintenance".
	Figure string
	// Value is the team's figure in the band's unit; nil when unknown.
	Value *float64
	Low   float64
	High  float64
	// Unit formats the range, e.g. "h/week".
	Unit    string
	Verdict Verdict
	// Healthy says whether the team's value is fine: below or within the
	// range for costs; below the ceiling for the KTLO share.
	Healthy bool
	// Note says what the band means.
	Note string
	// Field is the range as the field reports it, when it is in another
	// unit than the one shown (incident response is reported per month).
	Field string
	// Coverage is how complete Value is.
	Coverage Coverage
	// Judged is false when the value is unknown, or a lower bound that
	// could still fall on either side of the range: a band is judged only
	// on a figure that settles it.
	Judged bool
}

// Range formats the band's range, e.g. "2–4 h/week".
func (b Band) Range() string {
	if b.Low == 0 {
		return fmt.Sprintf("below %s%s", rangeNumber(b.High), b.Unit)
	}
	return fmt.Sprintf("%s–%s%s", rangeNumber(b.Low), rangeNumber(b.High), b.Unit)
}

// rangeNumber shows a range's end with at most one decimal: the ranges are
// rough, and 4 h/month is "0.9 h/week", not "0.92".
func rangeNumber(v float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0")
}

// Assessment says where the value sits, e.g. "within 2–4 h/week",
// "above 30% of capacity"; "unknown" when the value is.
func (b Band) Assessment() string {
	switch {
	case b.Value == nil || !b.Coverage.Known():
		return "unknown"
	case !b.Judged:
		return "not judged: " + b.Coverage.Short()
	case b.Low == 0 && b.Verdict == Above:
		return fmt.Sprintf("above %s%s", FormatNumber(b.High), b.Unit)
	case b.Low == 0:
		return b.Range()
	}
	return map[Verdict]string{Below: "below ", Within: "within ", Above: "above "}[b.Verdict] + b.Range()
}

// FormatValue shows the value in the band's unit: "12.5 h/week", "3.2×",
// "7%"; "unknown" when the value is.
func (b Band) FormatValue() string {
	if b.Value == nil {
		return FormatBound(0, Coverage{Completeness: Unknown}, nil)
	}
	return FormatBound(*b.Value, b.Coverage, func(v float64) string {
		switch {
		case strings.HasPrefix(b.Unit, "×"):
			return FormatRatio(v)
		case strings.HasPrefix(b.Unit, "%"):
			return fmt.Sprintf("%.0f%%", v)
		}
		return fmt.Sprintf("%.1f%s", v, b.Unit)
	})
}

// Bands compares the ledger with the reference ranges from the field:
// routine maintenance (pipelines and infra PRs) 2–4 h/week, incident
// response (alarms) 4–8 h/month, shown per week like every other figure,
// full cost 3–5× the AWS invoice, and a keep-the-lights-on share healthy
// below 30% of capacity.
func (l Ledger) Bands() []Band {
	pipes, alarms, prs := l.Category(CatPipelines), l.Category(CatAlarms), l.Category(CatInfraPRs)
	routine := l.knownHours(pipes) + l.knownHours(prs)
	incident := l.knownHours(alarms)
	bands := []Band{
		{Figure: "Routine maintenance", Value: &routine, Low: 2, High: 4, Unit: " h/week",
			Note: "failing pipelines and infra PRs", Coverage: pipes.Coverage.Merge(prs.Coverage)},
		{Figure: "Incident response", Value: &incident, Low: 4 / WeeksPerMonth, High: 8 / WeeksPerMonth, Unit: " h/week",
			Note: "alarms, weighted for nights and weekends", Field: "4–8 h/month", Coverage: alarms.Coverage},
		{Figure: "Full cost", Value: l.CostRatio, Low: 3, High: 5, Unit: "× the invoice",
			Note: "the invoice plus the people who operate it", Coverage: l.CostRatioCoverage},
	}
	var share *float64
	if l.TeamShare != nil {
		pct := *l.TeamShare * 100
		share = &pct
	}
	bands = append(bands, Band{Figure: "KTLO share", Value: share, Low: 0, High: 30, Unit: "% of capacity",
		Note: "keeping the lights on, of the team's working hours", Coverage: l.Coverage})
	for i := range bands {
		b := &bands[i]
		if b.Value == nil || !b.Coverage.Known() {
			b.Value = nil
			continue
		}
		switch v := *b.Value; {
		case v < b.Low:
			b.Verdict = Below
		case v <= b.High:
			b.Verdict = Within
		default:
			b.Verdict = Above
		}
		// A lower bound above the range is above it whatever is missing;
		// anywhere else it could still move.
		b.Judged = b.Coverage.Completeness == Complete || b.Verdict == Above
		b.Healthy = b.Judged && b.Verdict != Above
	}
	return bands
}

// knownHours is a category's hours per week, zero when unknown (its
// coverage says so).
func (l Ledger) knownHours(c CategoryDrag) float64 {
	if !c.Coverage.Known() {
		return 0
	}
	return c.WeekHours
}
