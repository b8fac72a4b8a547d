package report

import (
	"bytes"
	"cmp"
	"encoding/json"
	"strings"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// Schema names the JSON contract these types implement. A change that could
// break a script (a renamed or removed field, a changed type or unit) needs a
// new schema version; adding a field does not.
const Schema = "opsdrag/report@2"

// The types below are the JSON contract, documented field by field in
// docs/json.md. They are separate from the model on purpose: the
// model may change shape freely, and only these types decide what scripts
// see. Pointers are values that may be unknown (null); slices are always
// emitted as arrays, empty rather than null.

type jsonReport struct {
	Schema      string          `json:"schema"`
	GeneratedAt string          `json:"generated_at"`
	Demo        bool            `json:"demo"`
	Window      jsonWindow      `json:"window"`
	Sources     []jsonSource    `json:"sources"`
	Pipelines   []jsonPipeline  `json:"pipelines"`
	Alarms      []jsonAlarm     `json:"alarms"`
	InfraPRs    []jsonPR        `json:"infra_prs"`
	Drag        jsonDrag        `json:"drag"`
	Checklist   []jsonChecklist `json:"checklist"`
	// Plan was added within report@2: the migration plan's summary and
	// each item's drag and payback.
	Plan jsonReportPlan `json:"plan"`
	// FromHistory was added within report@2: when the collection shown
	// was saved, present only when the report was made from the history.
	FromHistory *string `json:"from_history,omitempty"`
}

type jsonWindow struct {
	Since string `json:"since"`
	Until string `json:"until"`
}

type jsonSource struct {
	Name       string     `json:"name"`
	Status     string     `json:"status"`
	Detail     string     `json:"detail"`
	Items      int        `json:"items"`
	DurationMS int64      `json:"duration_ms"`
	Usage      *jsonUsage `json:"usage"`
}

// jsonUsage is what a collection spent of its API's request budget.
type jsonUsage struct {
	Requests      int     `json:"requests"`
	NotModified   int     `json:"not_modified"`
	RateLimit     *int    `json:"rate_limit"`
	RateRemaining *int    `json:"rate_remaining"`
	RateReset     *string `json:"rate_reset"`
	PacedMS       int64   `json:"paced_ms"`
}

// jsonCoverage is how complete a figure is, and why not: no gaps exactly
// when complete.
type jsonCoverage struct {
	Completeness string    `json:"completeness"`
	Gaps         []jsonGap `json:"gaps"`
}

// jsonGap is one reason a figure is short: a source's gap, or a setting or
// value missing.
type jsonGap struct {
	Source *string `json:"source"`
	Reason string  `json:"reason"`
	Detail string  `json:"detail"`
	DataAt *string `json:"data_at"`
}

// jsonDragCoverage mirrors the drag's figures, one coverage each.
type jsonDragCoverage struct {
	HoursPerWeek      jsonCoverage         `json:"hours_per_week"`
	ByCategory        jsonCategoryCoverage `json:"by_category"`
	TeamShare         jsonCoverage         `json:"team_share"`
	MonthlyCost       jsonCoverage         `json:"monthly_cost"`
	AWSInvoiceMonthly jsonCoverage         `json:"aws_invoice_monthly"`
	CostRatio         jsonCoverage         `json:"cost_ratio"`
	InfraShare        jsonCoverage         `json:"infra_share"`
}

type jsonCategoryCoverage struct {
	Pipelines jsonCoverage `json:"pipelines"`
	Alarms    jsonCoverage `json:"alarms"`
	InfraPRs  jsonCoverage `json:"infra_prs"`
}

type jsonPipeline struct {
	Provider      string  `json:"provider"`
	Scope         string  `json:"scope"`
	Name          string  `json:"name"`
	Branch        *string `json:"branch"`
	Failing       bool    `json:"failing"`
	Failures      int     `json:"failures"`
	Reruns        int     `json:"reruns"`
	RedHours      float64 `json:"red_hours"`
	LastFailureAt *string `json:"last_failure_at"`
	URL           *string `json:"url"`
}

type jsonAlarm struct {
	Account     *string `json:"account"`
	Region      string  `json:"region"`
	Name        string  `json:"name"`
	State       string  `json:"state"`
	Since       *string `json:"since"`
	Transitions *int    `json:"transitions"`
	OffHours    *int    `json:"off_hours"`
	SleepHours  *int    `json:"sleep_hours"`
	URL         *string `json:"url"`
}

type jsonPR struct {
	Repo      string   `json:"repo"`
	Number    int      `json:"number"`
	Title     string   `json:"title"`
	Author    *string  `json:"author"`
	State     string   `json:"state"`
	CreatedAt *string  `json:"created_at"`
	MergedAt  *string  `json:"merged_at"`
	Paths     []string `json:"paths"`
	Labels    []string `json:"labels"`
	URL       *string  `json:"url"`
}

type jsonDrag struct {
	HoursPerWeek      *float64         `json:"hours_per_week"`
	ByCategory        jsonByCategory   `json:"by_category"`
	TeamShare         *float64         `json:"team_share"`
	MonthlyCost       *float64         `json:"monthly_cost"`
	AWSInvoiceMonthly *float64         `json:"aws_invoice_monthly"`
	CostRatio         *float64         `json:"cost_ratio"`
	InfraShare        *float64         `json:"infra_share"`
	Coverage          jsonDragCoverage `json:"coverage"`
	Assumptions       jsonAssumptions  `json:"assumptions"`
	Bands             []jsonBand       `json:"bands"`
	// Explain is present only when the report was asked to explain.
	Explain []jsonFigure `json:"explain,omitempty"`
}

// jsonBand places a figure against a reference range from the field.
type jsonBand struct {
	Figure  string   `json:"figure"`
	Value   *float64 `json:"value"`
	Low     float64  `json:"low"`
	High    float64  `json:"high"`
	Unit    string   `json:"unit"`
	Verdict *string  `json:"verdict"`
	Healthy *bool    `json:"healthy"`
	// Judged is false when the value is unknown or a lower bound that could
	// still fall on either side of the range; verdict and healthy are then
	// null.
	Judged   bool         `json:"judged"`
	Coverage jsonCoverage `json:"coverage"`
}

type jsonByCategory struct {
	Pipelines *float64 `json:"pipelines"`
	Alarms    *float64 `json:"alarms"`
	InfraPRs  *float64 `json:"infra_prs"`
}

type jsonAssumptions struct {
	PipelineFailureMinutes float64  `json:"pipeline_failure_minutes"`
	PipelineRerunMinutes   float64  `json:"pipeline_rerun_minutes"`
	AlarmMinutes           float64  `json:"alarm_minutes"`
	OffHoursMultiplier     float64  `json:"off_hours_multiplier"`
	SleepHoursMultiplier   float64  `json:"sleep_hours_multiplier"`
	InfraPRHours           float64  `json:"infra_pr_hours"`
	WorkWeekHours          float64  `json:"work_week_hours"`
	Engineers              *int     `json:"engineers"`
	HourlyCost             *float64 `json:"hourly_cost"`
	Currency               *string  `json:"currency"`
	Timezone               *string  `json:"timezone"`
	WindowDays             float64  `json:"window_days"`
	WeekScale              float64  `json:"week_scale"`
}

type jsonFigure struct {
	Label string   `json:"label"`
	Value string   `json:"value"`
	Steps []string `json:"steps"`
}

type jsonChecklist struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Component string   `json:"component"`
	Evidence  []string `json:"evidence"`
	Done      bool     `json:"done"`
}

func writeJSON(buf *bytes.Buffer, v view) error {
	enc := json.NewEncoder(buf)
	enc.SetIndent("", "  ")
	return enc.Encode(toJSON(v))
}

func toJSON(v view) jsonReport {
	in := v.in
	r := jsonReport{
		Schema:      Schema,
		GeneratedAt: stamp(v.generated),
		FromHistory: optStamp(&in.FromHistory),
		Demo:        in.Snapshot.Demo,
		Window:      jsonWindow{Since: stamp(v.window.Since), Until: stamp(v.window.Until)},
		Pipelines:   make([]jsonPipeline, 0, len(v.pipelines)),
		Alarms:      make([]jsonAlarm, 0, len(v.alarms)),
		InfraPRs:    make([]jsonPR, 0, len(v.prs)),
		Drag:        toJSONDrag(v),
		Checklist:   make([]jsonChecklist, 0, len(v.checklist)),
		Plan:        toReportPlanJSON(v),
	}
	r.Sources = toJSONSources(in.Snapshot)
	for _, p := range v.pipelines {
		r.Pipelines = append(r.Pipelines, jsonPipeline{
			Provider: string(p.Provider), Scope: p.Scope, Name: p.Name, Branch: optString(p.Branch),
			Failing: p.Failing, Failures: p.Failures, Reruns: p.Reruns, RedHours: p.RedHours,
			LastFailureAt: optStamp(p.LastFailureAt), URL: optString(p.URL),
		})
	}
	for _, a := range v.alarms {
		ja := jsonAlarm{
			Account: optString(a.Account), Region: a.Region, Name: a.Name, State: cmp.Or(string(a.State), "QUIET"),
			Since: optStamp(a.Since), URL: optString(a.URL),
		}
		if a.HistoryKnown {
			c := model.CountPages(a, v.loc)
			ja.Transitions, ja.OffHours, ja.SleepHours = &c.Total, &c.OffHours, &c.Sleep
		}
		r.Alarms = append(r.Alarms, ja)
	}
	for _, p := range v.prs {
		var created *string
		if !p.CreatedAt.IsZero() {
			created = optStamp(&p.CreatedAt)
		}
		r.InfraPRs = append(r.InfraPRs, jsonPR{
			Repo: p.Repo, Number: p.Number, Title: p.Title, Author: optString(p.Author), State: string(p.State),
			CreatedAt: created, MergedAt: optStamp(p.MergedAt),
			Paths: nonNil(p.Paths), Labels: nonNil(p.Labels), URL: optString(p.URL),
		})
	}
	for _, c := range v.checklist {
		r.Checklist = append(r.Checklist, jsonChecklist{
			ID: c.ID, Title: c.Title, Component: c.Component, Evidence: nonNil(c.Evidence), Done: c.Done,
		})
	}
	return r
}

// toJSONSources lists each source's status, [] when there are none.
func toJSONSources(snap model.Snapshot) []jsonSource {
	out := make([]jsonSource, 0, len(snap.Sources))
	for _, s := range snap.Sources {
		out = append(out, jsonSource{
			Name: s.Name, Status: string(s.Status), Detail: s.Detail, Items: s.Items,
			DurationMS: s.Duration.Milliseconds(), Usage: toJSONUsage(s.Usage),
		})
	}
	return out
}

// toJSONUsage is a source's API usage; nil when it does not meter it. A
// rate limit of zero means the API did not say.
func toJSONUsage(u *model.Usage) *jsonUsage {
	if u == nil {
		return nil
	}
	out := &jsonUsage{Requests: u.Requests, NotModified: u.NotModified, PacedMS: u.Paced.Milliseconds()}
	if u.RateLimit > 0 {
		out.RateLimit, out.RateRemaining = &u.RateLimit, &u.RateRemaining
	}
	if !u.RateReset.IsZero() {
		out.RateReset = optStamp(&u.RateReset)
	}
	return out
}

// toJSONCoverage says how complete a figure is, and every reason it is
// short, source by source.
func toJSONCoverage(m measure) jsonCoverage { return coverageJSON(m.completeness(), m.reasons()) }

// coverageJSON is a completeness and its reasons, gap by gap.
func coverageJSON(completeness model.Completeness, reasons []reason) jsonCoverage {
	c := jsonCoverage{Completeness: string(completeness), Gaps: []jsonGap{}}
	for _, r := range reasons {
		for _, g := range r.gaps {
			var at *string
			if !g.dataAt.IsZero() {
				at = optStamp(&g.dataAt)
			}
			c.Gaps = append(c.Gaps, jsonGap{Source: optString(g.source), Reason: g.reason, Detail: g.detail, DataAt: at})
		}
	}
	return c
}

func toJSONDrag(v view) jsonDrag {
	l, team, a := v.ledger, v.in.Team, v.ledger.Assumptions
	m := v.measures()
	d := jsonDrag{
		HoursPerWeek:      m.hours.value,
		ByCategory:        jsonByCategory{Pipelines: m.pipelines.value, Alarms: m.alarms.value, InfraPRs: m.infraPRs.value},
		TeamShare:         m.teamShare.value,
		MonthlyCost:       m.monthlyCost.value,
		AWSInvoiceMonthly: m.invoice.value,
		CostRatio:         m.costRatio.value,
		InfraShare:        m.infraShare.value,
		Coverage: jsonDragCoverage{
			HoursPerWeek: toJSONCoverage(m.hours),
			ByCategory: jsonCategoryCoverage{
				Pipelines: toJSONCoverage(m.pipelines), Alarms: toJSONCoverage(m.alarms), InfraPRs: toJSONCoverage(m.infraPRs),
			},
			TeamShare:         toJSONCoverage(m.teamShare),
			MonthlyCost:       toJSONCoverage(m.monthlyCost),
			AWSInvoiceMonthly: toJSONCoverage(m.invoice),
			CostRatio:         toJSONCoverage(m.costRatio),
			InfraShare:        toJSONCoverage(m.infraShare),
		},
		Assumptions: jsonAssumptions{
			PipelineFailureMinutes: a.PipelineFailureMinutes,
			PipelineRerunMinutes:   a.PipelineRerunMinutes,
			AlarmMinutes:           a.AlarmMinutes,
			OffHoursMultiplier:     a.OffHoursMultiplier,
			SleepHoursMultiplier:   a.SleepHoursMultiplier,
			InfraPRHours:           a.InfraPRHours,
			WorkWeekHours:          a.WorkWeekHours,
			Currency:               optString(team.Currency),
			WindowDays:             l.Window.Days(),
			WeekScale:              l.WeekScale,
		},
	}
	if team.Engineers > 0 {
		d.Assumptions.Engineers = &team.Engineers
	}
	if team.HourlyCost > 0 {
		d.Assumptions.HourlyCost = &team.HourlyCost
	}
	if team.Location != nil {
		d.Assumptions.Timezone = optString(team.Location.String())
	}
	d.Bands = []jsonBand{}
	for _, j := range m.bands {
		b := j.band
		jb := jsonBand{Figure: b.Figure, Value: b.Value, Low: b.Low, High: b.High, Unit: strings.TrimSpace(b.Unit),
			Coverage: toJSONCoverage(j.measure)}
		if b.Judged && j.measure.value != nil {
			verdict := map[model.Verdict]string{model.Below: "below", model.Within: "within", model.Above: "above"}[b.Verdict]
			healthy := b.Healthy
			jb.Verdict, jb.Healthy, jb.Judged = &verdict, &healthy, true
		}
		d.Bands = append(d.Bands, jb)
	}
	if v.in.Explain {
		for _, f := range l.Figures() {
			d.Explain = append(d.Explain, jsonFigure{Label: f.Label, Value: f.Value, Steps: nonNil(f.Steps)})
		}
	}
	return d
}

// stamp formats t as RFC 3339 in UTC to the second, the form jq's fromdate
// and most tools parse (sub-second digits would break jq).
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func optStamp(t *time.Time) *string {
	if t == nil || t.IsZero() {
		return nil
	}
	s := stamp(*t)
	return &s
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
