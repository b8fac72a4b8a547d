package model_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

func TestCostRatioNeedsOneCurrency(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	bill := 1000.0
	snap := model.NewSnapshot(model.LastDays(now, 7*24*time.Hour), false, []string{"aws/cost", "github/pulls"}).
		With(model.Outcome{Source: model.Source{Name: "aws/cost", Status: model.StatusOK},
			Data: model.Data{Invoices: []model.Invoice{{Account: "1", LastMonth: &bill, Currency: "USD"}}}}).
		With(model.Outcome{Source: model.Source{Name: "github/pulls", Status: model.StatusOK},
			Data: model.Data{PullRequests: []model.PullRequest{{Repo: "a/b", Number: 1, State: model.PRMerged, MergedAt: &now}}}})
	snap.Window.Until = now.Add(time.Second)

	usd := model.ComputeLedger(snap, model.Team{Engineers: 5, HourlyCost: 100, Currency: "usd"}, model.DefaultAssumptions())
	// 2 h/week × 52/12 × 100 = 866.67; (1000 + 866.67) / 1000 = 1.8667.
	if usd.CostRatio == nil || *usd.CostRatio < 1.866 || *usd.CostRatio > 1.867 {
		t.Fatalf("USD team: ratio %v", usd.CostRatio)
	}
	eur := model.ComputeLedger(snap, model.Team{Engineers: 5, HourlyCost: 100, Currency: "EUR"}, model.DefaultAssumptions())
	if eur.CostRatio != nil {
		t.Fatalf("a EUR cost was added to a USD bill: %v", *eur.CostRatio)
	}
	figs := eur.Figures()
	if steps := strings.Join(figs[3].Steps, " "); !strings.Contains(steps, "in USD") || !strings.Contains(steps, "EUR") {
		t.Errorf("the ratio does not say why it is unknown: %q", steps)
	}
}

func TestFormatMoneyNeverOverflows(t *testing.T) {
	for _, v := range []float64{math.Inf(1), math.NaN(), 1e300, -1e20} {
		if got := model.FormatMoney(v, "USD"); got != "n/a" {
			t.Errorf("FormatMoney(%v) = %q", v, got)
		}
	}
	if got := model.FormatMoney(123456.7, "EUR"); got != "€123,457" {
		t.Errorf("FormatMoney = %q", got)
	}
}
