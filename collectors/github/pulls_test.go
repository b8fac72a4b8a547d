package github

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/internal/ghfake"
	"github.com/opsdrag/opsdrag/model"
)

func files(names ...string) []ghfake.File {
	var out []ghfake.File
	for _, n := range names {
		if prev, name, ok := strings.Cut(n, " -> "); ok {
			out = append(out, ghfake.File{Name: name, Previous: prev})
			continue
		}
		out = append(out, ghfake.File{Name: n})
	}
	return out
}

// pullsScenario: acme/api with open, merged, closed and old pull requests,
// acme/infra with one open Terraform change. The window is the week before
// now (2026-11-18T14:00Z – 2026-11-25T14:00Z).
func pullsScenario(f *ghfake.Server) {
	api := f.AddRepo("acme/api", ghfake.Repo{})
	pr := func(n int, title string, created string, merged, closed string, labels []string, fs []ghfake.File) {
		p := ghfake.Pull{Number: n, Title: title, Author: "dev" + fmt.Sprint(n), Created: at(created), Labels: labels, Files: fs}
		p.Updated = p.Created
		if closed != "" {
			p.Closed, p.Updated = timePtr(closed), at(closed)
		}
		if merged != "" {
			p.Merged = timePtr(merged)
		}
		f.AddPull(api, p)
	}
	pr(1, "Bump the RDS instance class", "2026-11-01T09:00:00Z", "", "", nil, files("terraform/main.tf", "src/app.go"))
	pr(2, "Rotate credentials", "2026-11-20T09:00:00Z", "", "", []string{"bug", "Infra"}, files("src/app.go"))
	pr(3, "Retire the old deploy stack", "2026-11-19T09:00:00Z", "2026-11-20T10:00:00Z", "2026-11-20T10:00:00Z", nil,
		files("deploy/main.tf -> archive/main.tf.bak", "README.md"))
	pr(4, "Fix the handler", "2026-11-19T09:00:00Z", "2026-11-21T10:00:00Z", "2026-11-21T10:00:00Z", nil, files("src/handler.go"))
	pr(5, "Old infra change", "2026-11-09T09:00:00Z", "2026-11-10T10:00:00Z", "2026-11-10T10:00:00Z", nil, files("infra/old.tf"))
	pr(6, "Abandoned Helm chart", "2026-11-21T09:00:00Z", "", "2026-11-22T10:00:00Z", nil, files("charts/api/Chart.yaml"))
	pr(7, "Cache Go modules in CI", "2026-11-22T09:00:00Z", "2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z", nil, files(".github/workflows/ci.yml"))
	f.AddPull(api, ghfake.Pull{Number: 8, Title: "Slim the web image", Author: "dev8", Draft: true,
		Created: at("2026-11-24T09:00:00Z"), Files: files("services/web/Dockerfile")})
	// Merged a second before the window (updated in it since): not counted.
	f.AddPull(api, ghfake.Pull{Number: 9, Title: "Just before", Author: "dev9", Created: at("2026-11-17T09:00:00Z"),
		Updated: at("2026-11-19T10:00:00Z"), Closed: timePtr("2026-11-18T13:59:59Z"), Merged: timePtr("2026-11-18T13:59:59Z"),
		Files: files("infra/eks.tf")})
	// Merged exactly at the window's start: counted.
	pr(10, "Just in time", "2026-11-17T09:00:00Z", "2026-11-18T14:00:00Z", "2026-11-18T14:00:00Z", nil, files("infra/eks.tf"))
	pr(11, "Docs", "2026-11-20T09:00:00Z", "", "", []string{"documentation"}, files("docs/README.md"))
	// 150 pull requests closed long before the window: the closed list,
	// newest update first, is not read past its first page.
	for i := range 150 {
		c := at("2026-09-01T00:00:00Z").Add(time.Duration(i) * 6 * time.Hour)
		f.AddPull(api, ghfake.Pull{Number: 100 + i, Title: "old", Created: c, Updated: c.Add(time.Hour),
			Closed: ptr(c.Add(time.Hour)), Merged: ptr(c.Add(time.Hour)), Files: files("infra/x.tf")})
	}

	infra := f.AddRepo("acme/infra", ghfake.Repo{})
	f.AddPull(infra, ghfake.Pull{Number: 1, Title: "New VPC", Author: "ops", Created: at("2026-11-24T09:00:00Z"),
		Files: files("modules/vpc/main.tf")})
}

func TestPullsInfraClassificationAndMergedShare(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	pullsScenario(f)
	cfg := config.GitHub{Repos: []string{"acme/api", "acme/infra"}}
	cache := t.TempDir()
	p := connectTo(f, cfg, cache)
	res := collect(t, p.pulls, week(now))
	if len(res.Warnings) != 0 {
		t.Fatalf("warnings: %q", res.Warnings)
	}
	type want struct {
		repo   string
		number int
		state  model.PRState
		draft  bool
		paths  []string
		labels []string
		merged *time.Time
	}
	wants := []want{
		{"acme/api", 1, model.PROpen, false, []string{"terraform/main.tf"}, nil, nil},
		{"acme/api", 2, model.PROpen, false, nil, []string{"Infra"}, nil},
		{"acme/api", 3, model.PRMerged, false, []string{"deploy/main.tf"}, nil, timePtr("2026-11-20T10:00:00Z")},
		{"acme/api", 7, model.PRMerged, false, []string{".github/workflows/ci.yml"}, nil, timePtr("2026-11-23T10:00:00Z")},
		{"acme/api", 8, model.PROpen, true, []string{"services/web/Dockerfile"}, nil, nil},
		{"acme/api", 10, model.PRMerged, false, []string{"infra/eks.tf"}, nil, timePtr("2026-11-18T14:00:00Z")},
		{"acme/infra", 1, model.PROpen, false, []string{"modules/vpc/main.tf"}, nil, nil},
	}
	got := res.Data.PullRequests
	if len(got) != len(wants) {
		t.Fatalf("got %d infra PRs, want %d: %+v", len(got), len(wants), got)
	}
	for i, w := range wants {
		g := got[i]
		if g.Repo != w.repo || g.Number != w.number || g.State != w.state || g.Draft != w.draft ||
			!slices.Equal(g.Paths, w.paths) || !slices.Equal(g.Labels, w.labels) || !sameTime(g.MergedAt, w.merged) {
			t.Errorf("PR %d:\n got %+v\nwant %+v", i, g, w)
		}
		if g.Title == "" || g.Author == "" || g.CreatedAt.IsZero() ||
			g.URL != fmt.Sprintf("https://github.com/%s/pull/%d", g.Repo, g.Number) {
			t.Errorf("PR %d lacks title, author, created or URL: %+v", i, g)
		}
	}
	// Merged in the window, infra or not: #3, #4, #7, #10.
	if res.Data.MergedPRs == nil || *res.Data.MergedPRs != 4 {
		t.Errorf("MergedPRs = %v, want 4", res.Data.MergedPRs)
	}

	st := f.Stats()
	// Both repositories' lists come in one GraphQL query, the labels and
	// files of their pull requests in another; #3 has a renamed file, whose
	// previous name only REST gives.
	if st.GraphQL != 2 {
		t.Errorf("%d GraphQL queries, want 2 (lists, details)", st.GraphQL)
	}
	for _, n := range []int{1, 2, 4, 7, 8, 10, 11} {
		if c := st.FileLists[fmt.Sprintf("acme/api#%d", n)]; c != 1 {
			t.Errorf("files of #%d read %d times, want 1", n, c)
		}
	}
	if c := st.FileLists["acme/api#3"]; c != 2 {
		t.Errorf("files of #3 read %d times, want 2 (GraphQL shows a rename, REST names its previous path)", c)
	}
	if n := st.Count("/repos/acme/api/pulls/3/files"); n != 1 {
		t.Errorf("files of #3 (a rename) read %d times from REST, want 1", n)
	}
	for _, n := range []int{5, 6, 9, 100} {
		if c := st.FileLists[fmt.Sprintf("acme/api#%d", n)]; c != 0 {
			t.Errorf("files of #%d (not open, not merged in the window) read %d times", n, c)
		}
	}

	// A second refresh a minute later, in a new process with the same
	// cache: no file list is asked for again (merged pull requests' never
	// change, open ones' head and base did not move); the repositories are
	// answered 304 and cost no rate limit. #10, merged at the old window's
	// first second, has left the window.
	f.ResetStats()
	before := f.RateRemaining()
	p2 := connectTo(f, cfg, cache)
	res2 := collect(t, p2.pulls, week(now.Add(time.Minute)))
	st2 := f.Stats()
	if len(res2.Data.PullRequests) != len(wants)-1 || *res2.Data.MergedPRs != 3 {
		t.Errorf("second refresh differs: %d PRs, merged %v", len(res2.Data.PullRequests), *res2.Data.MergedPRs)
	}
	if len(st2.FileLists) != 0 {
		t.Errorf("file lists asked for again: %v", st2.FileLists)
	}
	// repositories (2, REST, 304) + lists (1) + labels (1)
	if st2.Requests != 4 || st2.NotModified != 2 || st2.GraphQL != 2 {
		t.Errorf("second refresh: %d requests, %d of them 304, %d GraphQL; want 4, 2, 2", st2.Requests, st2.NotModified, st2.GraphQL)
	}
	if after := f.RateRemaining(); after != before {
		t.Errorf("304s used rate limit: %d before, %d after", before, after)
	}

	// A push to an open pull request moves its head: its files are read again.
	f.AddPull(f.Repo("acme/api"), ghfake.Pull{Number: 1, Title: "Bump the RDS instance class", Author: "dev1",
		Created: at("2026-11-01T09:00:00Z"), Files: files("terraform/main.tf", "src/app.go", "src/more.go")})
	f.ResetStats()
	collect(t, connectTo(f, cfg, cache).pulls, week(now.Add(2*time.Minute)))
	if got := f.Stats().FileLists; len(got) != 1 || got["acme/api#1"] != 1 {
		t.Errorf("after a push to #1: file lists read %v, want #1's only", got)
	}
}

func TestPullsPagination(t *testing.T) {
	f := newFake(t, ghfake.Options{})
	r := f.AddRepo("acme/mono", ghfake.Repo{})
	// 150 open PRs (two pages); #1 changes 250 files, the infra one last
	// (third page of its files).
	for n := 1; n <= 150; n++ {
		fs := files(fmt.Sprintf("src/f%d.go", n))
		if n == 1 {
			fs = nil
			for i := range 249 {
				fs = append(fs, ghfake.File{Name: fmt.Sprintf("src/gen/f%03d.go", i)})
			}
			fs = append(fs, ghfake.File{Name: "deploy/k8s/api.yaml"})
		}
		if n == 150 {
			fs = files("infra/cdk/app.ts")
		}
		f.AddPull(r, ghfake.Pull{Number: n, Title: fmt.Sprint("change ", n), Created: at("2026-11-01T00:00:00Z").Add(time.Duration(n) * time.Hour), Files: fs})
	}
	p := connectTo(f, config.GitHub{Repos: []string{"acme/mono"}}, "")
	res := collect(t, p.pulls, week(now))
	var got []string
	for _, pr := range res.Data.PullRequests {
		got = append(got, fmt.Sprintf("#%d %v", pr.Number, pr.Paths))
	}
	if want := []string{"#1 [deploy/k8s/api.yaml]", "#150 [infra/cdk/app.ts]"}; !slices.Equal(got, want) {
		t.Errorf("infra PRs = %q, want %q", got, want)
	}
	st := f.Stats()
	// Lists (2 pages of open pull requests), then details of 150 pull
	// requests in two queries; #1's 250 files come from REST, 3 pages.
	if st.GraphQL != 4 {
		t.Errorf("%d GraphQL queries, want 4", st.GraphQL)
	}
	if n := st.Count("/repos/acme/mono/pulls/1/files?page=3"); n != 1 {
		t.Errorf("files page 3 of #1 read %d times, want 1", n)
	}
}

func TestInfraRules(t *testing.T) {
	r := newInfraRules(config.DefaultInfraPaths(), []string{"infra", "Platform"})
	for _, tc := range []struct {
		file prFile
		want []string
	}{
		{prFile{Name: "main.tf"}, []string{"main.tf"}},
		{prFile{Name: "env/prod/terraform.tfvars"}, []string{"env/prod/terraform.tfvars"}},
		{prFile{Name: "Dockerfile"}, []string{"Dockerfile"}},
		{prFile{Name: "svc/Dockerfile.prod"}, []string{"svc/Dockerfile.prod"}},
		{prFile{Name: ".github/workflows/deploy.yml"}, []string{".github/workflows/deploy.yml"}},
		{prFile{Name: "ecs/task-definition.json"}, []string{"ecs/task-definition.json"}},
		{prFile{Name: "policies/s3-read-policy.json"}, []string{"policies/s3-read-policy.json"}},
		{prFile{Name: "charts/api/values.yaml"}, []string{"charts/api/values.yaml"}},
		{prFile{Name: "template.yaml"}, []string{"template.yaml"}},
		{prFile{Name: "src/main.go"}, nil},
		{prFile{Name: "docs/terraform.md"}, nil},
		{prFile{Name: "attic/old.txt", Previous: "infra/old.txt"}, []string{"infra/old.txt"}},
		{prFile{Name: "infra/new.tf", Previous: "infra/old.tf"}, []string{"infra/new.tf", "infra/old.tf"}},
	} {
		if got := r.matchPaths([]prFile{tc.file}); !slices.Equal(got, tc.want) {
			t.Errorf("matchPaths(%+v) = %q, want %q", tc.file, got, tc.want)
		}
	}
	if got := r.matchLabels([]string{"INFRA", "bug", "platform ", "infrastructure"}); !slices.Equal(got, []string{"INFRA", "platform "}) {
		t.Errorf("matchLabels = %q", got)
	}
	if got := newInfraRules([]string{"ops/**"}, nil).matchPaths([]prFile{{Name: "main.tf"}, {Name: "ops/a/b"}}); !slices.Equal(got, []string{"ops/a/b"}) {
		t.Errorf("configured globs replace the defaults: %q", got)
	}
}
