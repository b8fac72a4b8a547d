package github

import (
	"strings"
	"testing"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/internal/ghfake"
)

// A page broken once on the way (cut short by a proxy, the connection
// dropped mid-body, a body that is not JSON) is asked for again, like a
// 5xx: one bad hop does not cost a repository its figures.
func TestABrokenPageIsAskedForAgain(t *testing.T) {
	for _, f := range []struct {
		name    string
		failure ghfake.Failure
	}{{"truncated", ghfake.TruncatedBody}, {"dropped mid-body", ghfake.DropMidBody}, {"malformed JSON", ghfake.MalformedJSON}} {
		t.Run(f.name, func(t *testing.T) {
			fk := newFake(t, ghfake.Options{})
			actionsScenario(fk)
			fk.Inject(ghfake.Fault{Path: "/repos/acme/api/actions/runs", Failure: f.failure, Times: 1})
			p := connectTo(fk, config.GitHub{Repos: []string{"acme/api"}}, t.TempDir())
			res := collect(t, p.actions, week(now))
			if len(res.Warnings) > 0 || len(res.Data.Pipelines) != 5 {
				t.Errorf("after one broken page: warnings %q, %d pipelines, want none and 5", res.Warnings, len(res.Data.Pipelines))
			}
		})
	}
}

// A page that stays broken fails the repository with a reason a person can
// act on, and is never kept in the ETag cache: a truncated body kept there
// would be replayed on every 304 until the resource changed.
func TestABrokenPageIsNeverCached(t *testing.T) {
	for _, f := range []struct {
		name    string
		failure ghfake.Failure
		says    string
	}{
		{"truncated", ghfake.TruncatedBody, "cut short"},
		{"malformed JSON", ghfake.MalformedJSON, "not valid JSON"},
		{"dropped mid-body", ghfake.DropMidBody, "cut short"},
	} {
		t.Run(f.name, func(t *testing.T) {
			fk := newFake(t, ghfake.Options{})
			actionsScenario(fk)
			// Every attempt of the first collection breaks: one try and
			// three retries.
			fk.Inject(ghfake.Fault{Path: "/repos/acme/api/actions/runs", Failure: f.failure, Times: 4})
			dir := t.TempDir()
			p := connectTo(fk, config.GitHub{Repos: []string{"acme/api"}}, dir)
			_, err := p.actions.Collect(t.Context(), week(now))
			if err == nil || !strings.Contains(err.Error(), f.says) || !strings.Contains(err.Error(), "acme/api") {
				t.Fatalf("error = %v, want acme/api and %q", err, f.says)
			}
			if n := fk.Stats().Count("/repos/acme/api/actions/runs?"); n != 4 {
				t.Errorf("the broken page was asked %d times, want 1 + 3 retries", n)
			}
			// The network is fine again: the next refresh reads everything.
			p = connectTo(fk, config.GitHub{Repos: []string{"acme/api"}}, dir)
			res := collect(t, p.actions, week(now))
			if len(res.Warnings) > 0 || len(res.Data.Pipelines) != 5 {
				t.Errorf("the refresh after: warnings %q, %d pipelines, want none and 5", res.Warnings, len(res.Data.Pipelines))
			}
		})
	}
}
