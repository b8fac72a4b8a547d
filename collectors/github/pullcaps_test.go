package github

import (
	"fmt"
	"strings"
	"testing"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/internal/ghfake"
)

// GitHub lists at most 3,000 changed files of a pull request. A pull
// request that may be infra work beyond them makes the source partial and
// says so; one already matched within them needs no warning.
func TestPullsThreeThousandFileCap(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	r := f.AddRepo("acme/mono", ghfake.Repo{})
	many := func(infraAt int) []ghfake.File {
		var fs []ghfake.File
		for i := range 3100 {
			name := fmt.Sprintf("src/gen/f%04d.go", i)
			if i == infraAt {
				name = "infra/main.tf"
			}
			fs = append(fs, ghfake.File{Name: name})
		}
		return fs
	}
	f.AddPull(r, ghfake.Pull{Number: 1, Title: "Regenerate, infra change past the cap", Created: at("2026-11-20T09:00:00Z"), Files: many(3050)})
	f.AddPull(r, ghfake.Pull{Number: 2, Title: "Regenerate, infra change early", Created: at("2026-11-20T09:00:00Z"), Files: many(10)})
	f.AddPull(r, ghfake.Pull{Number: 3, Title: "Small", Created: at("2026-11-20T09:00:00Z"), Files: files("src/a.go")})
	p := connectTo(f, config.GitHub{Repos: []string{"acme/mono"}}, "")
	res := collect(t, p.pulls, week(now))
	if len(res.Data.PullRequests) != 1 || res.Data.PullRequests[0].Number != 2 {
		t.Errorf("infra PRs = %+v, want #2", res.Data.PullRequests)
	}
	if len(res.Warnings) != 1 {
		t.Fatalf("warnings = %q, want one about #1", res.Warnings)
	}
	for _, want := range []string{"acme/mono#1", "3,000", "3,100", "lower bound"} {
		if !strings.Contains(res.Warnings[0], want) {
			t.Errorf("warning %q lacks %q", res.Warnings[0], want)
		}
	}
}

// A pull request merged between the listing of open and of merged pull
// requests is counted once, as merged.
func TestPullsMergedBetweenListingsCountsOnce(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	r := f.AddRepo("acme/api", ghfake.Repo{})
	f.AddPull(r, ghfake.Pull{Number: 5, Title: "Terraform bump", Created: at("2026-11-24T09:00:00Z"), Files: files("infra/main.tf")})
	f.AddPull(r, ghfake.Pull{Number: 6, Title: "Docs", Created: at("2026-11-24T09:00:00Z"), Files: files("docs/a.md")})
	f.MergeBetweenListings(r, 5, at("2026-11-25T13:00:00Z"))
	p := connectTo(f, config.GitHub{Repos: []string{"acme/api"}}, "")
	res := collect(t, p.pulls, week(now))
	if len(res.Warnings) != 0 {
		t.Fatalf("warnings: %q", res.Warnings)
	}
	var got []string
	for _, pr := range res.Data.PullRequests {
		got = append(got, fmt.Sprintf("#%d %s", pr.Number, pr.State))
	}
	if len(got) != 1 || got[0] != "#5 merged" {
		t.Errorf("infra PRs = %q, want #5 once, merged", got)
	}
	if res.Data.MergedPRs == nil || *res.Data.MergedPRs != 1 {
		t.Errorf("MergedPRs = %v, want 1", res.Data.MergedPRs)
	}
}
