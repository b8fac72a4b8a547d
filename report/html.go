package report

import (
	"bytes"
	"cmp"
	_ "embed"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// The HTML report is one self-contained page for a lead to forward: inline
// CSS and SVG, no script, nothing fetched (a Content-Security-Policy says
// so to the browser too). html/template escapes every value by context, so
// remote text (a PR title with <script>) renders as text; links are kept
// only when they are plain http(s) URLs, the signals' own.

//go:embed html.tmpl
var htmlPageSource string

//go:embed html.css
var htmlStyle string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"px":  func(f float64) string { return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", f), "0"), ".") },
	"sub": func(a, b float64) float64 { return a - b },
}).Parse(htmlPageSource))

// Rows the HTML lists show at most: the page is read in two minutes.
const (
	maxStreaks  = 6
	maxReviews  = 6
	maxPageRows = 8
	maxPlanRows = 8
)

func writeHTML(buf *bytes.Buffer, v view) error {
	return htmlTemplate.Execute(buf, v.htmlPage())
}

// htmlPage is everything the template shows, already in words.
type htmlPage struct {
	Style       template.CSS
	Demo        bool
	Team        string
	Window      string
	Generated   string
	FromHistory string
	Headline    string
	Caveat      string
	Figures     []htmlFigure
	Categories  []htmlCategory
	Chart       htmlChart
	Bands       []htmlBand
	Pages       htmlList[htmlPageRow]
	Streaks     htmlList[htmlStreak]
	Reviews     htmlList[htmlReview]
	People      *htmlPeople
	Plan        htmlList[planRow]
	Assumptions []htmlPair
	Sources     []htmlSource
}

// htmlFigure is one drag figure, its verdict and its arithmetic.
type htmlFigure struct {
	Label, Value, Compared string
	Sub                    bool
	Steps                  []string
}

// htmlLink is a signal's link; URL is empty when the signal's own link was
// not a plain http(s) URL (then the text stands alone).
type htmlLink struct {
	Text, URL string
}

func signalLink(text, raw string) htmlLink {
	u, err := url.Parse(raw)
	if raw == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return htmlLink{Text: text}
	}
	return htmlLink{Text: text, URL: u.String()}
}

// htmlList is a section listing signals: how many, how complete, why not,
// and what an empty one means.
type htmlList[T any] struct {
	Count   string
	Lead    string
	Reasons []string
	Empty   string
	Rows    []T
	// More counts the rows left out beyond the ones shown; MoreHint says
	// where to read them ("" for the text report).
	More     int
	MoreHint string
}

func newHTMLList[T any](c model.Coverage, counts, allClear string, rows []T, limit int) htmlList[T] {
	l := htmlList[T]{Count: listTitle(c, len(rows) == 0, counts)}
	l.Lead, l.Reasons = listLead(c)
	if len(rows) == 0 {
		l.Empty = listEmpty(c, allClear)
	}
	if limit > 0 && len(rows) > limit {
		l.More, rows = len(rows)-limit, rows[:limit]
	}
	l.Rows = rows
	return l
}

type htmlPair struct{ Key, Value string }

type htmlSource struct {
	Name, Status, Items, Collected, Detail string
	OK                                     bool
}

func (v view) htmlPage() htmlPage {
	p := htmlPage{
		Style:     template.CSS(htmlStyle),
		Demo:      v.in.Snapshot.Demo,
		Team:      cmp.Or(v.in.Team.Name, "this team"),
		Window:    v.windowText(),
		Generated: v.clock(v.generated),
		Headline:  v.ledger.Headline(),
		Caveat:    v.ledger.Caveat(),
	}
	if !v.in.FromHistory.IsZero() {
		p.FromHistory = v.clock(v.in.FromHistory)
	}
	steps := map[string][]string{}
	for _, f := range v.ledger.Figures() {
		steps[f.Label] = f.Steps
	}
	for _, r := range v.dragRows() {
		p.Figures = append(p.Figures, htmlFigure{Label: r.label, Value: r.value, Compared: r.compared, Sub: r.sub, Steps: steps[r.label]})
	}
	p.Categories = v.htmlCategories()
	p.Chart = v.weekChart()
	p.Bands = v.htmlBands()
	p.Pages = v.htmlPages()
	p.Streaks = v.htmlStreaks()
	p.Reviews = v.htmlReviews()
	if v.in.People {
		p.People = v.htmlPeople()
	}
	// Every move the headline counts is listed, however many.
	sum := v.plan.Summary()
	p.Plan = newHTMLList(v.plan.Inventory, model.Plural(len(v.plan.Items), "component")+" · "+sum.Headline(),
		"No AWS component found.", planRows(v.plan), max(maxPlanRows, sum.Moves))
	p.Plan.MoreHint = "opsdrag checklist lists them all, with their steps"
	p.Assumptions = v.htmlAssumptions()
	for _, s := range v.in.Snapshot.Sources {
		src := htmlSource{Name: s.Name, Status: string(s.Status), Items: sourceItems(s), OK: s.Status == model.StatusOK}
		if !s.At.IsZero() {
			src.Collected = v.clock(s.At)
		}
		if s.Status != model.StatusOK {
			src.Detail = s.Detail
		}
		p.Sources = append(p.Sources, src)
	}
	return p
}

// htmlCategory is one drag category: its hours per week and its share of
// the known total, drawn as a bar.
type htmlCategory struct {
	Name, Value, Share, Class string
	// Width is the bar's length, 0..100 (% of the largest category).
	Width float64
}

func (v view) htmlCategories() []htmlCategory {
	m := v.measures()
	ms := map[model.Category]measure{model.CatPipelines: m.pipelines, model.CatAlarms: m.alarms, model.CatInfraPRs: m.infraPRs}
	largest := 0.0
	for _, c := range v.ledger.Categories {
		if c.Coverage.Known() {
			largest = max(largest, c.WeekHours)
		}
	}
	var out []htmlCategory
	for _, c := range v.ledger.Categories {
		row := htmlCategory{Name: c.Category.Title(), Value: ms[c.Category].show(), Class: "c-" + string(c.Category)}
		if c.Coverage.Known() && v.ledger.Coverage.Known() && v.ledger.HoursPerWeek > 0 {
			row.Share = model.FormatPercent(c.WeekHours / v.ledger.HoursPerWeek)
			if c.Coverage.Completeness != model.Complete {
				row.Share = "≥ " + row.Share
			}
		}
		if largest > 0 && c.Coverage.Known() {
			row.Width = 100 * c.WeekHours / largest
		}
		out = append(out, row)
	}
	return out
}

// htmlBand is a reference range drawn as a gauge: the range shaded, the
// team's figure marked.
type htmlBand struct {
	Figure, Note, Range, Value, Verdict string
	Healthy, Known                      bool
	// Gauge geometry, in the SVG's 0..400 units.
	Low, High, Mark float64
	Ticks           []htmlTick
}

type htmlTick struct {
	X     float64
	Label string
}

const gaugeWidth = 400.0

func (v view) htmlBands() []htmlBand {
	var out []htmlBand
	for _, j := range v.measures().bands {
		b := j.band
		hb := htmlBand{Figure: b.Figure, Note: b.Note, Range: b.Range(), Value: j.measure.show(), Verdict: j.verdict(), Healthy: b.Healthy || !b.Judged}
		if b.Field != "" {
			hb.Range += " (" + b.Field + " in the field)"
		}
		top := b.High * 1.6
		if b.Value != nil {
			hb.Known = true
			top = max(top, *b.Value*1.15)
		}
		scale := gaugeWidth / top
		hb.Low, hb.High = b.Low*scale, b.High*scale
		if b.Value != nil {
			hb.Mark = min(*b.Value*scale, gaugeWidth)
		}
		for _, t := range []float64{0, b.Low, b.High} {
			if t == 0 && b.Low == 0 && len(hb.Ticks) > 0 {
				continue
			}
			hb.Ticks = append(hb.Ticks, htmlTick{X: t * scale, Label: rangeTick(t)})
		}
		out = append(out, hb)
	}
	return out
}

func rangeTick(v float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0")
}

// htmlPageRow is an alarm that paged outside business hours.
type htmlPageRow struct {
	Alarm       htmlLink
	Where       string
	Sleep, Off  int
	Times       string
	FiringNow   bool
	Flapping    bool
	HistoryNote string
}

func (v view) htmlPages() htmlList[htmlPageRow] {
	var rows []htmlPageRow
	sleep, off := 0, 0
	for _, a := range v.alarms {
		if !a.HistoryKnown {
			continue
		}
		var in []time.Time
		for _, t := range a.Transitions {
			if v.window.Contains(t) {
				in = append(in, t)
			}
		}
		a.Transitions = in
		c := model.CountPages(a, v.loc)
		if c.Sleep+c.OffHours == 0 {
			continue
		}
		sleep, off = sleep+c.Sleep, off+c.OffHours
		var times []string
		for _, t := range in {
			if b := model.ClassifyHour(t, v.loc); b != model.BusinessHours {
				times = append(times, t.In(v.loc).Format("Mon Jan 2 15:04")+" ("+b.String()+")")
			}
		}
		rows = append(rows, htmlPageRow{
			Alarm: signalLink(a.Name, a.URL), Where: strings.TrimSpace(a.Account + " " + a.Region),
			Sleep: c.Sleep, Off: c.OffHours, Times: strings.Join(times, "; "), FiringNow: a.Firing(), Flapping: model.Flapping(a),
		})
	}
	slices.SortStableFunc(rows, func(a, b htmlPageRow) int { return cmp.Or(cmp.Compare(b.Sleep, a.Sleep), cmp.Compare(b.Off, a.Off)) })
	l := newHTMLList(v.in.Snapshot.Coverage(model.FeedAlarms),
		fmt.Sprintf("%s in sleep hours, %d off-hours", model.Plural(sleep, "page"), off),
		"No alarm paged outside business hours in the window.", rows, maxPageRows)
	unread := 0
	for _, a := range v.alarms {
		if !a.HistoryKnown {
			unread++
		}
	}
	if unread > 0 {
		l.Reasons = append(l.Reasons, fmt.Sprintf("%s whose history could not be read may have paged at night too.", model.Plural(unread, "alarm")))
		if l.Lead == "" {
			l.Lead = "Incomplete: only what could be read."
		}
	}
	return l
}

// htmlStreak is a pipeline's red time in the window.
type htmlStreak struct {
	Pipeline          htmlLink
	Red, Since, Count string
	Failing           bool
}

func (v view) htmlStreaks() htmlList[htmlStreak] {
	ps := slices.Clone(v.pipelines)
	ps = slices.DeleteFunc(ps, func(p model.Pipeline) bool { return p.RedHours <= 0 })
	slices.SortStableFunc(ps, func(a, b model.Pipeline) int { return cmp.Compare(b.RedHours, a.RedHours) })
	var rows []htmlStreak
	for _, p := range ps {
		s := htmlStreak{Pipeline: signalLink(pipelineName(p), p.URL), Red: model.FormatHours(p.RedHours) + " h",
			Failing: p.Failing, Count: fmt.Sprintf("%s, %s", model.Plural(p.Failures, "failure"), model.Plural(p.Reruns, "rerun"))}
		if p.Failing && p.FailingSince != nil {
			s.Since = "red since " + v.clock(*p.FailingSince)
		} else if p.LastFailureAt != nil {
			s.Since = "green again; last failed " + v.clock(*p.LastFailureAt)
		}
		rows = append(rows, s)
	}
	return newHTMLList(v.in.Snapshot.Coverage(model.FeedPipelines), model.Plural(len(rows), "pipeline")+" red in the window",
		"No pipeline was red in the window.", rows, maxStreaks)
}

// htmlReview is an infra PR and how long it waited for review.
type htmlReview struct {
	PR           htmlLink
	Title        string
	Opened       string
	Waited       string
	State        string
	Reviewers    string
	waitedFor    time.Duration
	notYetReview bool
}

func (v view) htmlReviews() htmlList[htmlReview] {
	var rows []htmlReview
	for _, p := range v.prs {
		if p.State == model.PRMerged && p.MergedAt != nil && !v.window.Contains(*p.MergedAt) {
			continue
		}
		r := htmlReview{PR: signalLink(fmt.Sprintf("%s#%d", p.Repo, p.Number), p.URL), Title: p.Title, Opened: v.clock(p.CreatedAt)}
		end := v.window.Until
		r.State = "open " + v.age(p.CreatedAt)
		if p.Draft {
			r.State += " (draft)"
		}
		if p.State == model.PRMerged && p.MergedAt != nil {
			end = *p.MergedAt
			r.State = "merged after " + span(p.MergedAt.Sub(p.CreatedAt))
		}
		switch {
		case !p.ReviewsKnown:
			r.Waited, r.Reviewers = "reviews not read", "unknown"
			r.waitedFor = -1
		case p.FirstReviewAt != nil:
			r.waitedFor = p.FirstReviewAt.Sub(p.CreatedAt)
			r.Waited = span(r.waitedFor) + " to a first review"
			r.Reviewers = model.Plural(len(p.Reviewers), "reviewer")
		default:
			r.waitedFor = end.Sub(p.CreatedAt)
			r.notYetReview = true
			r.Waited = span(r.waitedFor) + ", no review"
			if p.State == model.PRMerged {
				r.Waited = "merged without a review"
			}
			r.Reviewers = "none"
		}
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(a, b htmlReview) int { return cmp.Compare(b.waitedFor, a.waitedFor) })
	return newHTMLList(v.in.Snapshot.Coverage(model.FeedPullRequests), model.Plural(len(rows), "infra PR")+" open or merged in the window",
		"No infra PR is open or was merged in the window.", rows, maxReviews)
}

// span says a duration in the largest unit that reads well: "50m",
// "20h", "3.5d".
func span(d time.Duration) string {
	switch {
	case d < 0:
		return "0m"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", d.Hours()/24), ".0") + "d"
}

// htmlPeople is how concentrated the drag is, without a name.
type htmlPeople struct {
	Sentence string
	Detail   []string
	// Bars are each person's load as a share of the largest, 0..100,
	// largest first; Carry marks the ones inside the 80%.
	Bars []htmlPersonBar
}

type htmlPersonBar struct {
	X, Height float64
	Carry     bool
}

func (v view) htmlPeople() *htmlPeople {
	c := model.PeopleLoad(v.in.Snapshot, v.ledger)
	p := &htmlPeople{}
	atLeast := ""
	if c.Coverage.Completeness != model.Complete {
		atLeast = "at least "
	}
	switch {
	case !c.Coverage.Known():
		p.Sentence = "Unknown: neither the pipelines nor the infra PRs could be read (" + c.Coverage.Short() + ")."
		return p
	case c.People == 0:
		p.Sentence = "No signal in the window names anyone: the drag is alarms and failed runs, which name nobody."
	default:
		verb := "carry"
		if c.Carry == 1 {
			verb = "carries"
		}
		p.Sentence = fmt.Sprintf("%d of the %s named %s %.0f%% of the drag that names someone (%s%s of %s h/week).",
			c.Carry, peopleWord(c.People), verb, model.CarryShare*100, atLeast, model.FormatHours(c.Named), model.FormatHours(c.Total))
	}
	if s := c.ShareOfNamed(); s != nil {
		p.Detail = append(p.Detail, fmt.Sprintf("%s of the drag names someone: re-runs (%s min each, to whoever started them) and merged infra PRs (%s h each, split evenly between the author and the reviewers). Alarms and failed runs name nobody.",
			model.FormatPercent(*s), model.FormatNumber(v.ledger.Assumptions.PipelineRerunMinutes), model.FormatNumber(v.ledger.Assumptions.InfraPRHours)))
	}
	if c.UnnamedReruns > 0 {
		p.Detail = append(p.Detail, fmt.Sprintf("%s whose starter the source did not report (CodePipeline never does) are left out.", model.Plural(c.UnnamedReruns, "re-run")))
	}
	if c.UnreviewedPRs > 0 {
		p.Detail = append(p.Detail, fmt.Sprintf("%s whose reviews were not read are charged to their author alone.", model.Plural(c.UnreviewedPRs, "merged infra PR")))
	}
	if c.Bots > 0 {
		p.Detail = append(p.Detail, fmt.Sprintf("%s by automation accounts are no one's load.", model.Plural(c.Bots, "re-run or review")))
	}
	if c.Coverage.Completeness != model.Complete {
		p.Detail = append(p.Detail, "A lower bound: "+c.Coverage.Why()+".")
	}
	p.Detail = append(p.Detail, "Nobody is named here on purpose: this is how concentrated the load is, not a ranking.")
	if len(c.Loads) > 0 {
		largest := c.Loads[0]
		step := min(36.0, gaugeWidth/float64(len(c.Loads)))
		for i, h := range c.Loads {
			height := 0.0
			if largest > 0 {
				height = 60 * h / largest
			}
			p.Bars = append(p.Bars, htmlPersonBar{X: float64(i) * step, Height: height, Carry: i < c.Carry})
		}
	}
	return p
}

// peopleWord counts people: "1 person", "5 people".
func peopleWord(n int) string {
	if n == 1 {
		return "1 person"
	}
	return fmt.Sprintf("%d people", n)
}

func (v view) htmlAssumptions() []htmlPair {
	a := v.ledger.Assumptions
	team := v.in.Team
	engineers, cost := "not set (team.engineers)", "not set (team.hourly_cost)"
	if team.Engineers > 0 {
		engineers = fmt.Sprintf("%d × %s h a week", team.Engineers, model.FormatNumber(a.WorkWeekHours))
	}
	if team.HourlyCost > 0 {
		cost = model.FormatMoney(team.HourlyCost, team.Currency) + " an hour, fully loaded"
	}
	return []htmlPair{
		{"Failed pipeline run", model.FormatNumber(a.PipelineFailureMinutes) + " min to notice, read the log and fix or re-run"},
		{"Re-run", model.FormatNumber(a.PipelineRerunMinutes) + " min"},
		{"Alarm transition into ALARM", fmt.Sprintf("%s min; × %s off-hours (18–22 h weekdays, weekends), × %s in sleep hours (22–08 h)",
			model.FormatNumber(a.AlarmMinutes), model.FormatNumber(a.OffHoursMultiplier), model.FormatNumber(a.SleepHoursMultiplier))},
		{"Merged infra PR", model.FormatNumber(a.InfraPRHours) + " h of authoring and review"},
		{"Team capacity", engineers},
		{"Hourly cost", cost},
		{"Time zone", v.loc.String()},
		{"Reference ranges", "routine maintenance 2–4 h/week, incident response 4–8 h/month, full cost 3–5× the AWS invoice, keep-the-lights-on below 30% of capacity: ranges teams in the field report, not a standard"},
	}
}
