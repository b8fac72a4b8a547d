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
}

// Range formats the band's range, e.g. "2–4 h/week".
func (b Band) Range() string {
	if b.Low == 0 {
		return fmt.Sprintf("below %s%s", FormatNumber(b.High), b.Unit)
	}
	return fmt.Sprintf("%s–%s%s", FormatNumber(b.Low), FormatNumber(b.High), b.Unit)
}

// Assessment says where the value sits, e.g. "within 2–4 h/week",
// "above 30% of capacity"; "unknown" when the value is.
func (b Band) Assessment() string {
	switch {
	case b.Value == nil:
		return "unknown"
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
	switch {
	case b.Value == nil:
		return "unknown"
	case strings.HasPrefix(b.Unit, "×"):
		return FormatRatio(*b.Value)
	case strings.HasPrefix(b.Unit, "%"):
		return fmt.Sprintf("%.0f%%", *b.Value)
	}
	return fmt.Sprintf("%.1f%s", *b.Value, b.Unit)
}

// Bands compares the ledger with the reference ranges from the field:
// routine maintenance (pipelines and infra PRs) 2–4 h/week, incident
// response (alarms) 4–8 h/month, full cost 3–5× the AWS invoice, and a
// keep-the-lights-on share healthy below 30% of capacity.
func (l Ledger) Bands() []Band {
	routine := l.Category(CatPipelines).WeekHours + l.Category(CatInfraPRs).WeekHours
	incident := l.Category(CatAlarms).WeekHours * WeeksPerMonth
	bands := []Band{
		{Figure: "Routine maintenance", Value: &routine, Low: 2, High: 4, Unit: " h/week",
			Note: "failing pipelines and infra PRs"},
		{Figure: "Incident response", Value: &incident, Low: 4, High: 8, Unit: " h/month",
			Note: "alarms, weighted for nights and weekends"},
		{Figure: "Full cost", Value: l.CostRatio, Low: 3, High: 5, Unit: "× the invoice",
			Note: "the invoice plus the people who operate it"},
	}
	var share *float64
	if l.TeamShare != nil {
		pct := *l.TeamShare * 100
		share = &pct
	}
	bands = append(bands, Band{Figure: "KTLO share", Value: share, Low: 0, High: 30, Unit: "% of capacity",
		Note: "keeping the lights on, of the team's working hours"})
	for i := range bands {
		b := &bands[i]
		if b.Value == nil {
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
		b.Healthy = b.Verdict != Above
	}
	return bands
}
