package github

import (
	"context"
	"sync"
	"testing"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/internal/ghfake"
	"github.com/opsdrag/opsdrag/model"
)

// Both collectors report their progress per repository, with everything
// found so far, so a long refresh fills the panes as it goes.
func TestProgressPerRepository(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	orgScenario(f)
	p := connectTo(f, config.GitHub{Orgs: []string{"acme"}, Repos: []string{"other/tools"}}, "")
	for _, c := range []collectors.Collector{p.actions, p.pulls} {
		var (
			mu   sync.Mutex
			seen []model.Progress
			last model.Data
		)
		ctx := collectors.WithProgress(context.Background(), func(pr model.Progress, sofar model.Data) {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, pr)
			last = sofar
		})
		res, err := c.Collect(ctx, week(now))
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != 4 || seen[0].Done != 0 || seen[len(seen)-1].Done != 3 {
			t.Fatalf("%s: progress %+v, want 4 reports: from 0, each repository, to 3 of 3", c.Name(), seen)
		}
		for i, pr := range seen {
			if pr.Total != 3 || pr.Unit != "repositories" || (i > 0 && pr.Done <= seen[i-1].Done) {
				t.Errorf("%s: report %d = %+v, want a rising count of 3 repositories", c.Name(), i, pr)
			}
		}
		if last.Items() != res.Data.Items() || last.Items() == 0 {
			t.Errorf("%s: last progress carried %d items, the result %d", c.Name(), last.Items(), res.Data.Items())
		}
	}
}
