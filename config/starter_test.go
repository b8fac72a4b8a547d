package config_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/opsdrag/opsdrag/config"
)

// Whatever init was told, the file it writes loads, says what it was told
// and holds the keys left unset as commented examples.
func TestStarterLoadsWithWhatItWasTold(t *testing.T) {
	full := config.Answers{TeamName: `Pay "ments": #1`, Engineers: 6, HourlyCost: 95.5, Currency: "EUR", Timezone: "Europe/Berlin",
		GitHubAPIURL: "https://github.example.com/api/v3/", Orgs: []string{"acme"}, Repos: []string{"other/tools", "acme/web.site"},
		Profiles: []string{"prod", "staging eu"}, Regions: []string{"all"}}
	cfg, err := config.Parse("starter.yaml", config.Starter(full))
	if err != nil {
		t.Fatalf("the full starter does not load: %v\n%s", err, config.Starter(full))
	}
	if cfg.Team.Name != full.TeamName || cfg.Team.Engineers != 6 || cfg.Team.HourlyCost != 95.5 || cfg.Team.Currency != "EUR" ||
		cfg.Team.Loc().String() != "Europe/Berlin" || cfg.GitHub.APIURL != full.GitHubAPIURL ||
		!slices.Equal(cfg.GitHub.Orgs, full.Orgs) || !slices.Equal(cfg.GitHub.Repos, full.Repos) ||
		!slices.Equal(cfg.AWS.Profiles, full.Profiles) || !slices.Equal(cfg.AWS.Regions, full.Regions) {
		t.Errorf("loaded %+v", cfg)
	}

	empty := config.Starter(config.Answers{})
	cfg, err = config.Parse("starter.yaml", empty)
	if err != nil {
		t.Fatalf("the empty starter does not load: %v\n%s", err, empty)
	}
	if cfg.GitHub.Configured() || len(cfg.AWS.Profiles) > 0 || cfg.Team.Engineers != 0 {
		t.Errorf("an empty answer set something: %+v", cfg)
	}
	for _, key := range []string{"# engineers:", "# hourly_cost:", "# orgs:", "# repos:", "# profiles:", "# regions:", "# api_url:", "#   alarm_minutes: 30"} {
		if !strings.Contains(string(empty), key) {
			t.Errorf("the starter lacks the example %q", key)
		}
	}
}
