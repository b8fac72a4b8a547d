package model_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// ledgerWindow is the three days Wed 2026-11-18 00:00Z – Sat 2026-11-21 00:00Z.
func ledgerWindow() model.Window {
	return model.Window{
		Since: time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC),
		Until: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC),
	}
}

func utcNov(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) }

// ledgerSnapshot is a hand-built snapshot whose drag is worked out by hand
// in TestComputeLedger.
func ledgerSnapshot(w model.Window) model.Snapshot {
	s := model.NewSnapshot(w, false, []string{"github/actions", "aws/alarms", "github/pulls", "aws/cost"})
	ok := func(name string) model.Source {
		return model.Source{Name: name, Status: model.StatusOK, At: w.Until}
	}
	s = s.With(model.Outcome{Source: ok("github/actions"), Data: model.Data{Pipelines: []model.Pipeline{
		{Provider: model.GitHubActions, Scope: "acme/api", Name: "ci", Branch: "main", Failing: true, Failures: 3, Reruns: 1, RedHours: 5},
		{Provider: model.GitHubActions, Scope: "acme/web", Name: "deploy", Reruns: 2},
		{Provider: model.GitHubActions, Scope: "acme/docs", Name: "lint"}, // green: no charge
	}}})
	s = s.With(model.Outcome{Source: ok("aws/alarms"), Data: model.Data{Alarms: []model.Alarm{
		{Name: "api-5xx", Region: "us-east-1", State: model.StateAlarm, HistoryKnown: true, Transitions: []time.Time{
			utcNov(18, 15, 0), // New York Wed 10:00 EST: business
			utcNov(19, 0, 30), // New York Wed 19:30 EST: off-hours (sleep in UTC)
			utcNov(19, 8, 0),  // New York Thu 03:00 EST: sleep (business in UTC)
		}},
		{Name: "queue-depth", Region: "eu-west-1", State: model.StateOK, HistoryKnown: true, Transitions: []time.Time{
			utcNov(20, 20, 0),  // New York Fri 15:00 EST: business (off-hours in UTC)
			utcNov(20, 23, 30), // New York Fri 18:30 EST: off-hours (sleep in UTC)
		}},
		{Name: "disk", Region: "us-east-1", State: model.StateAlarm}, // firing, no transition in the window: no charge
	}}})
	s = s.With(model.Outcome{Source: ok("github/pulls"), Data: model.Data{
		PullRequests: []model.PullRequest{
			{Repo: "acme/infra", Number: 12, Title: "Bump RDS", State: model.PRMerged, MergedAt: ptr(utcNov(19, 10, 0))},
			{Repo: "acme/api", Number: 40, Title: "Add queue", State: model.PRMerged, MergedAt: ptr(utcNov(20, 9, 0))},
			{Repo: "acme/infra", Number: 13, Title: "Open one", State: model.PROpen, CreatedAt: utcNov(17, 9, 0)}, // open: not charged
		},
		MergedPRs: ptr(10),
	}})
	s = s.With(model.Outcome{Source: ok("aws/cost"), Data: model.Data{Invoices: []model.Invoice{
		{Account: "111111111111", LastMonth: ptr(3000.0), Currency: "USD"},
		{Account: "222222222222", LastMonth: ptr(1000.0), Currency: "USD"},
		{Account: "333333333333", Currency: "USD"}, // bill unknown
	}}})
	return s
}

func acme(t *testing.T) model.Team {
	return model.Team{Name: "acme", Engineers: 5, HourlyCost: 100, Currency: "USD", Location: mustLoad(t, "America/New_York")}
}

func TestComputeLedger(t *testing.T) {
	w := ledgerWindow()
	snap := ledgerSnapshot(w)
	l := model.ComputeLedger(snap, acme(t), model.DefaultAssumptions())

	// Pipelines: acme/api 3 × 20 + 1 × 5 = 65 min; acme/web 2 × 5 = 10 min;
	// 75 min = 1.25 h in the window.
	// Alarms in New York time: api-5xx 30 + 30×1.5 + 30×2 = 135 min;
	// queue-depth 30 + 30×1.5 = 75 min; 210 min = 3.5 h.
	// Infra PRs: 2 merged × 2 h = 4 h (the open one is free).
	// Window 3 days → × 7/3. Week: 1.25×7/3 = 2.91667, 3.5×7/3 = 8.16667,
	// 4×7/3 = 9.33333; total 8.75×7/3 = 20.41667 h/week.
	scale := 7.0 / 3
	if !near(l.WeekScale, scale) {
		t.Errorf("WeekScale = %v, want 7/3", l.WeekScale)
	}
	wantCats := []struct {
		cat         model.Category
		windowHours float64
		lines       []model.LedgerLine
	}{
		{model.CatPipelines, 1.25, []model.LedgerLine{
			{Subject: "acme/api · ci (main)", Formula: "3 failures × 20 min + 1 rerun × 5 min = 65 min", Hours: 65.0 / 60},
			{Subject: "acme/web · deploy", Formula: "2 reruns × 5 min = 10 min", Hours: 10.0 / 60},
		}},
		{model.CatAlarms, 3.5, []model.LedgerLine{
			{Subject: "api-5xx (us-east-1)", Formula: "1 business × 30 min + 1 off-hours × 30 min × 1.5 + 1 sleep × 30 min × 2 = 135 min", Hours: 135.0 / 60},
			{Subject: "queue-depth (eu-west-1)", Formula: "1 business × 30 min + 1 off-hours × 30 min × 1.5 = 75 min", Hours: 75.0 / 60},
		}},
		{model.CatInfraPRs, 4, []model.LedgerLine{
			// Most recently merged first.
			{Subject: "acme/api#40 Add queue", Formula: "1 merged infra PR × 2 h", Hours: 2},
			{Subject: "acme/infra#12 Bump RDS", Formula: "1 merged infra PR × 2 h", Hours: 2},
		}},
	}
	if len(l.Categories) != len(wantCats) {
		t.Fatalf("got %d categories, want %d", len(l.Categories), len(wantCats))
	}
	for i, want := range wantCats {
		got := l.Categories[i]
		if got.Category != want.cat {
			t.Errorf("category %d = %s, want %s", i, got.Category, want.cat)
		}
		if !near(got.WindowHours, want.windowHours) {
			t.Errorf("%s: WindowHours = %v, want %v", want.cat, got.WindowHours, want.windowHours)
		}
		if !near(got.WeekHours, want.windowHours*scale) {
			t.Errorf("%s: WeekHours = %v, want %v", want.cat, got.WeekHours, want.windowHours*scale)
		}
		if len(got.Lines) != len(want.lines) {
			t.Errorf("%s: %d lines %+v, want %d", want.cat, len(got.Lines), got.Lines, len(want.lines))
			continue
		}
		for j, wl := range want.lines {
			gl := got.Lines[j]
			if gl.Subject != wl.Subject || gl.Formula != wl.Formula || !near(gl.Hours, wl.Hours) {
				t.Errorf("%s line %d = %+v, want %+v", want.cat, j, gl, wl)
			}
		}
		if c := l.Category(want.cat); c.Category != want.cat || !near(c.WindowHours, want.windowHours) {
			t.Errorf("Category(%s) = %+v", want.cat, c)
		}
	}
	if c := l.Category("nonsense"); c.Category != "nonsense" || c.WindowHours != 0 || c.Lines != nil {
		t.Errorf("Category(unknown) = %+v, want an empty drag", c)
	}

	// 8.75 × 7/3
	hours := 8.75 * 7 / 3
	if !near(l.HoursPerWeek, hours) {
		t.Errorf("HoursPerWeek = %v, want %v", l.HoursPerWeek, hours)
	}
	// Team share: 20.41667 / (5 × 40) = 0.1020833.
	if l.TeamShare == nil || !near(*l.TeamShare, hours/200) {
		t.Errorf("TeamShare = %s, want %v", floatPtrString(l.TeamShare), hours/200)
	}
	// Monthly cost: 20.41667 × 52/12 × 100 = 8847.22.
	cost := hours * 52 / 12 * 100
	if l.MonthlyCost == nil || !near(*l.MonthlyCost, cost) {
		t.Errorf("MonthlyCost = %s, want %v", floatPtrString(l.MonthlyCost), cost)
	}
	// Invoice: 3000 + 1000 (the third account's bill is unknown) = 4000.
	if l.InvoiceMonthly == nil || *l.InvoiceMonthly != 4000 {
		t.Errorf("InvoiceMonthly = %s, want 4000", floatPtrString(l.InvoiceMonthly))
	}
	// Ratio: (4000 + 8847.22) / 4000 = 3.21181.
	if l.CostRatio == nil || !near(*l.CostRatio, (4000+cost)/4000) {
		t.Errorf("CostRatio = %s, want %v", floatPtrString(l.CostRatio), (4000+cost)/4000)
	}
	// Infra share of merged work: 2 infra merged of 10 merged = 0.2.
	if l.InfraMerged != 2 {
		t.Errorf("InfraMerged = %d, want 2", l.InfraMerged)
	}
	if l.MergedPRs == nil || *l.MergedPRs != 10 {
		t.Errorf("MergedPRs = %v, want 10", l.MergedPRs)
	}
	if s := l.InfraShare(); s == nil || !near(*s, 0.2) {
		t.Errorf("InfraShare = %s, want 0.2", floatPtrString(s))
	}
	if l.Window != w || l.Assumptions != model.DefaultAssumptions() || l.Team.Name != "acme" {
		t.Errorf("ledger does not carry its inputs: window %v, assumptions %+v, team %+v", l.Window, l.Assumptions, l.Team)
	}
}

func TestComputeLedgerScenarios(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	custom := model.Assumptions{
		PipelineFailureMinutes: 30, PipelineRerunMinutes: 10, AlarmMinutes: 60,
		OffHoursMultiplier: 2, SleepHoursMultiplier: 3, InfraPRHours: 4, WorkWeekHours: 35,
	}
	sevenDays := model.Window{Since: ledgerWindow().Since, Until: ledgerWindow().Since.Add(7 * 24 * time.Hour)}
	tests := []struct {
		name        string
		w           model.Window
		team        model.Team
		a           model.Assumptions
		hoursByCat  [3]float64 // window hours: pipelines, alarms, infra PRs
		scale       float64
		teamShare   *float64
		monthlyCost *float64
		costRatio   *float64
	}{
		{
			// Same signals over 7 days: 1.25 + 3.5 + 4 = 8.75 h/week.
			// Share 8.75/200 = 0.04375; cost 8.75 × 52/12 × 100 = 3791.67;
			// ratio (4000+3791.67)/4000 = 1.947917.
			name: "7-day window is not scaled", w: sevenDays,
			team: model.Team{Engineers: 5, HourlyCost: 100, Location: ny}, a: model.DefaultAssumptions(),
			hoursByCat: [3]float64{1.25, 3.5, 4}, scale: 1,
			teamShare: ptr(8.75 / 200), monthlyCost: ptr(8.75 * 52 / 12 * 100), costRatio: ptr((4000 + 8.75*52/12*100) / 4000),
		},
		{
			// Pipelines 3×30 + 1×10 + 2×10 = 120 min = 2 h.
			// Alarms 60 + 60×2 + 60×3 = 360, 60 + 60×2 = 180: 540 min = 9 h.
			// PRs 2 × 4 = 8 h. Total 19 × 7/3 = 44.3333 h/week.
			// Share 44.3333 / (5 × 35); cost 44.3333 × 52/12 × 100.
			name: "custom assumptions", w: ledgerWindow(),
			team: model.Team{Engineers: 5, HourlyCost: 100, Location: ny}, a: custom,
			hoursByCat: [3]float64{2, 9, 8}, scale: 7.0 / 3,
			teamShare: ptr(19 * 7.0 / 3 / 175), monthlyCost: ptr(19 * 7.0 / 3 * 52 / 12 * 100),
			costRatio: ptr((4000 + 19*7.0/3*52/12*100) / 4000),
		},
		{
			// No Location: UTC. api-5xx: 15:00 business 30, 00:30 sleep 60,
			// 08:00 business 30 = 120; queue-depth: Fri 20:00 off-hours 45,
			// 23:30 sleep 60 = 105; 225 min = 3.75 h.
			// Total 1.25 + 3.75 + 4 = 9 h × 7/3 = 21 h/week; 21/200 = 0.105.
			name: "alarms bucketed in UTC without a team time zone", w: ledgerWindow(),
			team: model.Team{Engineers: 5}, a: model.DefaultAssumptions(),
			hoursByCat: [3]float64{1.25, 3.75, 4}, scale: 7.0 / 3,
			teamShare: ptr(0.105),
		},
		{
			name: "unknown engineers and hourly cost", w: ledgerWindow(),
			team: model.Team{Location: ny}, a: model.DefaultAssumptions(),
			hoursByCat: [3]float64{1.25, 3.5, 4}, scale: 7.0 / 3,
		},
		{
			// Hourly cost known, engineers not: cost and ratio known, share not.
			name: "unknown engineers", w: ledgerWindow(),
			team: model.Team{HourlyCost: 100, Location: ny}, a: model.DefaultAssumptions(),
			hoursByCat: [3]float64{1.25, 3.5, 4}, scale: 7.0 / 3,
			monthlyCost: ptr(8.75 * 7 / 3 * 52 / 12 * 100), costRatio: ptr((4000 + 8.75*7/3*52/12*100) / 4000),
		},
		{
			name: "zero work week makes the share unknown", w: ledgerWindow(),
			team: model.Team{Engineers: 5, Location: ny}, a: func() model.Assumptions { a := model.DefaultAssumptions(); a.WorkWeekHours = 0; return a }(),
			hoursByCat: [3]float64{1.25, 3.5, 4}, scale: 7.0 / 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := model.ComputeLedger(ledgerSnapshot(tt.w), tt.team, tt.a)
			total := 0.0
			for i, c := range []model.Category{model.CatPipelines, model.CatAlarms, model.CatInfraPRs} {
				got := l.Category(c)
				if !near(got.WindowHours, tt.hoursByCat[i]) {
					t.Errorf("%s: WindowHours = %v, want %v", c, got.WindowHours, tt.hoursByCat[i])
				}
				total += tt.hoursByCat[i]
			}
			if !near(l.WeekScale, tt.scale) {
				t.Errorf("WeekScale = %v, want %v", l.WeekScale, tt.scale)
			}
			if !near(l.HoursPerWeek, total*tt.scale) {
				t.Errorf("HoursPerWeek = %v, want %v", l.HoursPerWeek, total*tt.scale)
			}
			checkOpt(t, "TeamShare", l.TeamShare, tt.teamShare)
			checkOpt(t, "MonthlyCost", l.MonthlyCost, tt.monthlyCost)
			checkOpt(t, "CostRatio", l.CostRatio, tt.costRatio)
		})
	}
}

func TestComputeLedgerUnknownInvoice(t *testing.T) {
	w := ledgerWindow()
	team := model.Team{Engineers: 5, HourlyCost: 100}
	invoices := func(inv ...model.Invoice) model.Snapshot {
		s := model.NewSnapshot(w, false, []string{"aws/cost"})
		return s.With(model.Outcome{Source: model.Source{Name: "aws/cost", Status: model.StatusOK}, Data: model.Data{Invoices: inv}})
	}
	tests := []struct {
		name    string
		snap    model.Snapshot
		invoice *float64
	}{
		{"no cost source", model.NewSnapshot(w, false, nil), nil},
		{"no invoices", invoices(), nil},
		{"bill unknown", invoices(model.Invoice{Account: "1"}), nil},
		{"bill zero", invoices(model.Invoice{Account: "1", LastMonth: ptr(0.0)}), ptr(0.0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := model.ComputeLedger(tt.snap, team, model.DefaultAssumptions())
			checkOpt(t, "InvoiceMonthly", l.InvoiceMonthly, tt.invoice)
			// A ratio needs a positive invoice: never invented.
			checkOpt(t, "CostRatio", l.CostRatio, nil)
			// No source counted any drag: its cost is unknown, not zero.
			if l.MonthlyCost != nil {
				t.Errorf("MonthlyCost = %s, want nil (no drag source)", floatPtrString(l.MonthlyCost))
			}
			if l.InfraShare() != nil {
				t.Errorf("InfraShare = %v, want nil (merged total unknown)", *l.InfraShare())
			}
		})
	}
}

func TestInfraShareZeroMerged(t *testing.T) {
	l := model.Ledger{InfraMerged: 0, MergedPRs: ptr(0)}
	if l.InfraShare() != nil {
		t.Errorf("InfraShare with 0 merged = %v, want nil", *l.InfraShare())
	}
}

func checkOpt(t *testing.T, name string, got, want *float64) {
	t.Helper()
	switch {
	case want == nil && got != nil:
		t.Errorf("%s = %v, want nil (unknown)", name, *got)
	case want != nil && got == nil:
		t.Errorf("%s = nil, want %v", name, *want)
	case want != nil && !near(*got, *want):
		t.Errorf("%s = %v, want %v", name, *got, *want)
	}
}

func TestCategoryTitle(t *testing.T) {
	for c, want := range map[model.Category]string{
		model.CatPipelines: "Failing pipelines",
		model.CatAlarms:    "Alarms",
		model.CatInfraPRs:  "Infra PRs",
		"other":            "other",
	} {
		if got := c.Title(); got != want {
			t.Errorf("%s.Title() = %q, want %q", c, got, want)
		}
	}
}

func TestDefaultAssumptions(t *testing.T) {
	// The field-derived defaults of the drag ledger issue.
	want := model.Assumptions{
		PipelineFailureMinutes: 20, PipelineRerunMinutes: 5, AlarmMinutes: 30,
		OffHoursMultiplier: 1.5, SleepHoursMultiplier: 2, InfraPRHours: 2, WorkWeekHours: 40,
	}
	if got := model.DefaultAssumptions(); !reflect.DeepEqual(got, want) {
		t.Errorf("DefaultAssumptions = %+v, want %+v", got, want)
	}
}

func TestTeamLoc(t *testing.T) {
	if got := (model.Team{}).Loc(); got != time.UTC {
		t.Errorf("zero Team.Loc() = %v, want UTC", got)
	}
	ny := mustLoad(t, "America/New_York")
	if got := (model.Team{Location: ny}).Loc(); got != ny {
		t.Errorf("Team.Loc() = %v, want %v", got, ny)
	}
}

func TestLedgerHeadline(t *testing.T) {
	l := model.ComputeLedger(ledgerSnapshot(ledgerWindow()), acme(t), model.DefaultAssumptions())
	// 20.41667 h/week; 10.2% → "10%"; $8,847.22 → "$8,847"; 3.2118 → "3.2×".
	want := "Operating AWS costs acme 20.4 h/week — 10% of its capacity, $8,847/month, 3.2× the AWS invoice"
	if got := l.Headline(); got != want {
		t.Errorf("Headline =\n  %q\nwant\n  %q", got, want)
	}

	eur := acme(t)
	eur.Currency = "EUR"
	if got := model.ComputeLedger(ledgerSnapshot(ledgerWindow()), eur, model.DefaultAssumptions()).Headline(); !strings.Contains(got, "€8,847/month") {
		t.Errorf("EUR headline %q lacks €8,847/month", got)
	}

	unknown := model.ComputeLedger(ledgerSnapshot(ledgerWindow()), model.Team{}, model.DefaultAssumptions())
	// 1.25 + 3.75 (UTC buckets) + 4 = 9 h × 7/3 = 21 h/week; nothing else known.
	if got, want := unknown.Headline(), "Operating AWS costs this team 21.0 h/week"; got != want {
		t.Errorf("Headline with unknowns = %q, want %q", got, want)
	}
}

func TestLedgerFigures(t *testing.T) {
	l := model.ComputeLedger(ledgerSnapshot(ledgerWindow()), acme(t), model.DefaultAssumptions())
	figs := l.Figures()
	want := []model.Figure{
		{Label: "Hours per week", Value: "20.4 h", Steps: []string{
			"Window: Nov 18 00:00 – Nov 21 00:00 UTC (3 days); per week = window hours × 7 / 3 = × 2.33",
			"Failing pipelines: 1.25 h in the window × 2.33 = 2.92 h/week",
			"  acme/api · ci (main): 3 failures × 20 min + 1 rerun × 5 min = 65 min",
			"  acme/web · deploy: 2 reruns × 5 min = 10 min",
			"Alarms: 3.5 h in the window × 2.33 = 8.17 h/week",
			"  api-5xx (us-east-1): 1 business × 30 min + 1 off-hours × 30 min × 1.5 + 1 sleep × 30 min × 2 = 135 min",
			"  queue-depth (eu-west-1): 1 business × 30 min + 1 off-hours × 30 min × 1.5 = 75 min",
			"Infra PRs: 4 h in the window × 2.33 = 9.33 h/week",
			"  acme/api#40 Add queue: 1 merged infra PR × 2 h",
			"  acme/infra#12 Bump RDS: 1 merged infra PR × 2 h",
			"Total: 2.92 + 8.17 + 9.33 = 20.42 h/week",
			"Assumptions: 20 min per failed run, 5 min per rerun; 30 min per alarm (× 1.5 off-hours, × 2 sleep hours); 2 h per merged infra PR",
		}},
		{Label: "Team share", Value: "10%", Steps: []string{"20.42 h/week ÷ (5 engineers × 40 h) = 10%"}},
		{Label: "Monthly cost", Value: "$8,847", Steps: []string{"20.42 h/week × 52/12 weeks × $100/h = $8,847"}},
		{Label: "Cost vs AWS invoice", Value: "3.2×", Steps: []string{"(invoice $4,000 + drag $8,847) ÷ invoice $4,000 = 3.2×"}},
	}
	if !reflect.DeepEqual(figs, want) {
		for i := range max(len(figs), len(want)) {
			var g, w model.Figure
			if i < len(figs) {
				g = figs[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("figure %d:\n got  %#v\n want %#v", i, g, w)
			}
		}
	}
}

func TestLedgerFiguresUnknown(t *testing.T) {
	w := ledgerWindow()
	tests := []struct {
		name  string
		snap  model.Snapshot
		team  model.Team
		hints [3]string // share, cost, ratio
	}{
		{"nothing known", model.NewSnapshot(w, false, nil), model.Team{},
			[3]string{"team.engineers", "team.hourly_cost", "Cost Explorer"}},
		// A team fully configured whose sources all failed: the reason is
		// the sources, not the config.
		{"sources failed", failedSnapshot(w), model.Team{Engineers: 3, HourlyCost: 100},
			[3]string{"github/actions failed", "hours per week are unknown", "aws/cost not configured"}},
		{"invoice known, cost not", ledgerSnapshot(w), model.Team{Engineers: 3},
			[3]string{"", "team.hourly_cost", "team.hourly_cost"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			figs := model.ComputeLedger(tt.snap, tt.team, model.DefaultAssumptions()).Figures()
			if len(figs) != 4 {
				t.Fatalf("got %d figures, want 4", len(figs))
			}
			for i, hint := range tt.hints {
				f := figs[i+1]
				if hint == "" {
					if f.Value == "unknown" {
						t.Errorf("%s is unknown, want a value", f.Label)
					}
					continue
				}
				if f.Value != "unknown" {
					t.Errorf("%s = %q, want unknown", f.Label, f.Value)
				}
				if !strings.Contains(strings.Join(f.Steps, "\n"), hint) {
					t.Errorf("%s steps %q do not mention %q", f.Label, f.Steps, hint)
				}
			}
		})
	}
}

func TestFormatMoney(t *testing.T) {
	tests := []struct {
		v        float64
		currency string
		want     string
	}{
		{0, "USD", "$0"},
		{7, "", "$7"},
		{999, "USD", "$999"},
		{999.5, "USD", "$1,000"}, // rounds half away from zero
		{1000, "usd", "$1,000"},
		{4980.4, "USD", "$4,980"},
		{8847.2222, "USD", "$8,847"},
		{1234567, "USD", "$1,234,567"},
		{100000, "USD", "$100,000"},
		{1234.4, "EUR", "€1,234"},
		{1234.4, "gbp", "£1,234"},
		{1234.4, "CHF", "1,234 CHF"},
		{-1234.4, "USD", "-$1,234"},
		{-0.4, "USD", "$0"}, // rounds to zero: no sign
	}
	for _, tt := range tests {
		if got := model.FormatMoney(tt.v, tt.currency); got != tt.want {
			t.Errorf("FormatMoney(%v, %q) = %q, want %q", tt.v, tt.currency, got, tt.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{0, "0%"},
		{0.005, "0.5%"},
		{0.05, "5%"},
		{0.07, "7%"}, // 0.07 × 100 is 7.000000000000001 in floating point
		{0.0719, "7.2%"},
		{0.0996, "10%"}, // 9.96 rounds to 10.0: whole
		{0.1020833, "10%"},
		{0.29, "29%"},
		{0.574, "57%"},
		{1, "100%"},
	}
	for _, tt := range tests {
		if got := model.FormatPercent(tt.f); got != tt.want {
			t.Errorf("FormatPercent(%v) = %q, want %q", tt.f, got, tt.want)
		}
	}
}

func TestFormatHoursAndRatio(t *testing.T) {
	for _, tt := range []struct {
		h    float64
		want string
	}{{0, "0.0"}, {20.41667, "20.4"}, {9.96, "10.0"}, {11.5, "11.5"}} {
		if got := model.FormatHours(tt.h); got != tt.want {
			t.Errorf("FormatHours(%v) = %q, want %q", tt.h, got, tt.want)
		}
	}
	for _, tt := range []struct {
		r    float64
		want string
	}{{1, "1.0×"}, {2.4, "2.4×"}, {3.2118, "3.2×"}} {
		if got := model.FormatRatio(tt.r); got != tt.want {
			t.Errorf("FormatRatio(%v) = %q, want %q", tt.r, got, tt.want)
		}
	}
}

func failedSnapshot(w model.Window) model.Snapshot {
	s := model.NewSnapshot(w, false, []string{"github/actions", "github/pulls", "aws/alarms", "aws/cost"})
	for _, src := range s.Sources {
		o := model.Outcome{Source: model.Source{Name: src.Name, Status: model.StatusError, Detail: "401 Bad credentials"}}
		if strings.HasPrefix(src.Name, "aws/") {
			o.Source.Status, o.Source.Detail = model.StatusSkipped, "no AWS credentials"
		}
		s = s.With(o)
	}
	return s
}
