package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/opsdrag/opsdrag/internal/ghfake"
)

// The forms, as a person fills them in a terminal: the token's
// organisations and repositories offered (found through a fake gh), the
// AWS profiles of the home's config offered, the team asked; the file
// written holds what was chosen and loads.
func TestEndToEndInitInteractive(t *testing.T) {
	const token = "ghp_initTMUX"
	gh := fakeGitHubWithARedCI(t, token)
	gh.AddRepo("acme/web", ghfake.Repo{})
	env := fakeGH(t, cleanEnv(t), token)
	home := envValue(env, "HOME")
	os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
	os.WriteFile(filepath.Join(home, ".aws", "config"), []byte("[profile prod]\nregion = eu-west-1\n[profile staging]\nregion = us-east-1\n"), 0o600)
	env = append(env, "AWS_EC2_METADATA_DISABLED=true", "TERM=xterm-256color")
	path := filepath.Join(t.TempDir(), "team.yaml")

	s := startTmux(t, 100, 40, env, "init", "--no-doctor", "--config", path, "--github-api-url", gh.URL(), "--timezone", "Europe/Berlin")
	s.waitFor("GitHub API URL")
	s.keys("Enter")
	s.waitFor("gh auth token", "signed in as octocat: 1 organisations, 2 repositories visible.", "Organisations to watch", "acme")
	s.keys("x", "Enter") // acme
	s.waitFor("Repositories to watch besides those", "acme/web")
	s.keys("Enter") // none besides
	s.waitFor("AWS profiles to read", "prod", "staging")
	s.keys("Down", "x", "Enter") // staging
	s.waitFor("AWS regions to read", "Not searched", `AWS profile "staging"`)
	s.keys("x", "Enter") // all
	s.waitFor("Team name")
	s.keys("payments", "Enter")
	s.waitFor("Engineers on the team")
	s.keys("6", "Enter")
	s.waitFor("Loaded cost of one engineer-hour")
	s.keys("95", "Enter")
	s.waitFor("Currency of that cost")
	s.keys("Enter")
	s.waitFor("Time zone")
	s.keys("Enter")
	s.waitFor("Wrote "+path, "opsdrag-exited-0")

	cfg := loadWritten(t, path)
	if !slices.Equal(cfg.GitHub.Orgs, []string{"acme"}) || len(cfg.GitHub.Repos) != 0 || !slices.Equal(cfg.AWS.Profiles, []string{"staging"}) ||
		!slices.Equal(cfg.AWS.Regions, []string{"all"}) || cfg.Team.Name != "payments" || cfg.Team.Engineers != 6 || cfg.Team.HourlyCost != 95 ||
		cfg.Team.Loc().String() != "Europe/Berlin" {
		data, _ := os.ReadFile(path)
		t.Errorf("written:\n%s", data)
	}
	if data, _ := os.ReadFile(path); strings.Contains(string(data), token) {
		t.Error("the token was written")
	}
}
