package config_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read testdata: %v", err)
	}
	return data
}

// configErrors returns every error joined into err, each of which must be a
// *config.Error.
func configErrors(t testing.TB, err error) []*config.Error {
	t.Helper()
	leaves := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		leaves = j.Unwrap()
	}
	var out []*config.Error
	for _, e := range leaves {
		var ce *config.Error
		if !errors.As(e, &ce) {
			t.Fatalf("error %q (%T) is not a *config.Error", e, e)
		}
		out = append(out, ce)
	}
	return out
}

// sameConfig compares configs, time zones by name.
func sameConfig(t *testing.T, got, want config.Config) {
	t.Helper()
	if got.Team.Location.String() != want.Team.Location.String() {
		t.Errorf("Team.Location = %v, want %v", got.Team.Location, want.Team.Location)
	}
	got.Team.Location, want.Team.Location = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("config =\n %#v\nwant\n %#v", got, want)
	}
}

func TestParseFull(t *testing.T) {
	got, err := config.Parse("testdata/full.yaml", readTestdata(t, "full.yaml"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := config.Config{
		Path: "testdata/full.yaml",
		Team: model.Team{
			Name: "Acme Platform", Engineers: 6, HourlyCost: 95.5, Currency: "EUR",
			Location: mustLoad(t, "Europe/Berlin"),
		},
		GitHub: config.GitHub{
			APIURL:      "https://github.example.com/api/v3/",
			Repos:       []string{"acme/api", "acme/web.site"},
			Orgs:        []string{"acme", "acme-labs"},
			RepoFilter:  "svc-*",
			Branches:    []string{"main", "release/2026"},
			InfraPaths:  []string{"**/*.tf", "deploy/**"},
			InfraLabels: []string{"infra", "terraform"},
			Concurrency: 4,
			Timeout:     20 * time.Minute,
		},
		AWS: config.AWS{Profiles: []string{"prod", "staging"}, Regions: []string{"us-east-1", "eu-west-1"}, Timeout: 6 * time.Minute},
		Assumptions: model.Assumptions{
			PipelineFailureMinutes: 25, PipelineRerunMinutes: 7.5, AlarmMinutes: 45,
			OffHoursMultiplier: 1.25, SleepHoursMultiplier: 3, InfraPRHours: 1.5, WorkWeekHours: 37.5,
		},
		Effort: model.DefaultEffortHours(),
		Store:  config.Store{URL: "postgres://opsdrag@db.example.com:5432/opsdrag?sslmode=verify-full", User: "ana@example.com"},
	}
	// Two kinds set, the others keep their defaults.
	want.Effort[model.KindRDSInstance], want.Effort[model.KindECSService] = 24, 8.5
	sameConfig(t, got, want)
	if !got.Found() || !got.GitHub.Configured() {
		t.Errorf("Found=%v Configured=%v, want both true", got.Found(), got.GitHub.Configured())
	}
}

func TestParseDefaults(t *testing.T) {
	def := config.Default()
	withPath := func(c config.Config) config.Config { c.Path = "c.yaml"; return c }
	tests := []struct {
		name string
		in   string
		want config.Config
	}{
		{"empty", "", withPath(def)},
		{"blank", " \n\t\n", withPath(def)},
		{"comments only", "# team:\n#   engineers: 5\n", withPath(def)},
		{"empty document", "---\n", withPath(def)},
		{"null sections", "team: ~\ngithub:\naws: ~\ndrag: {}\n", withPath(def)},
		{"one key", string(readTestdata(t, "minimal.yaml")), func() config.Config {
			c := withPath(def)
			c.Team.Engineers = 4
			return c
		}()},
		{"explicit null infra paths keep the defaults", "github:\n  infra_paths: ~\n", withPath(def)},
		{"explicit empty infra paths and labels mean none", "github:\n  infra_paths: []\n  infra_labels: []\n", func() config.Config {
			c := withPath(def)
			c.GitHub.InfraPaths, c.GitHub.InfraLabels = []string{}, []string{}
			return c
		}()},
		{"one drag assumption", "drag:\n  alarm_minutes: 10\n", func() config.Config {
			c := withPath(def)
			c.Assumptions.AlarmMinutes = 10
			return c
		}()},
		{"zero minutes are allowed", "drag:\n  pipeline_rerun_minutes: 0\n", func() config.Config {
			c := withPath(def)
			c.Assumptions.PipelineRerunMinutes = 0
			return c
		}()},
		{"trailing empty document", "team:\n  engineers: 4\n---\n", func() config.Config {
			c := withPath(def)
			c.Team.Engineers = 4
			return c
		}()},
		{"all regions", "aws:\n  regions: [all]\n", func() config.Config {
			c := withPath(def)
			c.AWS.Regions = []string{"all"}
			return c
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := config.Parse("c.yaml", []byte(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			sameConfig(t, got, tt.want)
		})
	}
}

func TestDefault(t *testing.T) {
	d := config.Default()
	if d.Found() || d.Path != "" {
		t.Errorf("Default has a path: %q", d.Path)
	}
	if d.Team.Currency != "USD" || d.Team.Location != time.Local || d.Team.Engineers != 0 || d.Team.HourlyCost != 0 {
		t.Errorf("Default team = %+v, want USD in the local zone with engineers and cost unknown", d.Team)
	}
	if d.Assumptions != model.DefaultAssumptions() {
		t.Errorf("Default assumptions = %+v", d.Assumptions)
	}
	if d.GitHub.Concurrency != config.DefaultGitHubConcurrency ||
		!reflect.DeepEqual(d.GitHub.InfraPaths, config.DefaultInfraPaths()) ||
		!reflect.DeepEqual(d.GitHub.InfraLabels, config.DefaultInfraLabels()) {
		t.Errorf("Default GitHub = %+v", d.GitHub)
	}
	if d.GitHub.Configured() {
		t.Errorf("Default GitHub is configured")
	}
	// Default returns fresh slices: changing one must not change the next.
	d.GitHub.InfraPaths[0] = "changed"
	if config.Default().GitHub.InfraPaths[0] == "changed" {
		t.Errorf("Default shares its slices between calls")
	}
}

func TestDefaultInfraPathsAreValidGlobs(t *testing.T) {
	var b strings.Builder
	b.WriteString("github:\n  infra_paths:\n")
	for _, p := range config.DefaultInfraPaths() {
		b.WriteString("    - \"" + p + "\"\n")
	}
	if _, err := config.Parse("c.yaml", []byte(b.String())); err != nil {
		t.Errorf("the default infra paths do not validate: %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		line int
		key  string
		msg  string // a fragment of the message
	}{
		// The plan's effort estimates.
		{"unknown kind", "checklist:\n  effort_hours:\n    rds: 3\n", 3, "checklist.effort_hours.rds", `unknown component kind "rds": use one of ecs-cluster, ecs-service`},
		{"negative effort", "checklist:\n  effort_hours:\n    sqs-queue: -1\n", 3, "checklist.effort_hours.sqs-queue", "want hours from 0 to 2000, got -1"},
		{"text effort", "checklist:\n  effort_hours:\n    sqs-queue: lots\n", 3, "checklist.effort_hours.sqs-queue", "want a number"},
		{"alarms are steps, not items", "checklist:\n  effort_hours:\n    cloudwatch-alarm: 1\n", 3, "checklist.effort_hours.cloudwatch-alarm", "unknown component kind"},
		// Unknown keys.
		{"unknown nested key", "team:\n  engineerz: 3\n", 2, "team.engineerz", "unknown key"},
		{"unknown top-level key", "team:\n  engineers: 3\nteams:\n  engineers: 3\n", 3, "teams", "unknown key"},
		{"unknown key after valid ones", "github:\n  repos: [acme/api]\n  apiurl: https://x\n", 3, "github.apiurl", "unknown key"},
		// Wrong types.
		{"text for a whole number", "team:\n  engineers: many\n", 2, "team.engineers", `want a whole number, got "many"`},
		{"boolean for a whole number", "team:\n  engineers: true\n", 2, "team.engineers", "want a whole number"},
		{"text for a number", "team:\n  hourly_cost: lots\n", 2, "team.hourly_cost", `want a number, got "lots"`},
		{"scalar for a list", "github:\n  repos: acme/api\n", 2, "github.repos", "where a sequence is expected"},
		{"list for a mapping", "team: [1, 2]\n", 1, "team", "where a mapping is expected"},
		{"mapping for text in a list", "github:\n  repos:\n    - {a: b}\n", 3, "github.repos[0]", "want text"},
		{"fraction for a whole number", "team:\n  engineers: 3.5\n", 2, "team.engineers", "whole number"},
		{"fraction for concurrency", "github:\n  concurrency: 2.5\n", 2, "github.concurrency", "whole number"},
		// YAML syntax.
		{"bad indentation", "team:\n  engineers: 3\n   name: x\n", 2, "", "invalid YAML"},
		{"unclosed flow mapping", "team: {engineers: 3\n", 1, "", "invalid YAML"},
		{"tab indentation", "team:\n\tengineers: 3\n", 2, "", "invalid YAML"},
		{"duplicate key", "team:\n  engineers: 3\nteam:\n  engineers: 4\n", 3, "", "already defined"},
		{"two documents", "team:\n  engineers: 3\n---\nteam:\n  engineers: 0\n", 4, "", "more than one YAML document"},
		// Bad values.
		{"zero engineers", "team:\n  engineers: 0\n", 2, "team.engineers", "at least 1 engineer, got 0"},
		{"negative engineers", "team:\n  name: x\n  engineers: -3\n", 3, "team.engineers", "got -3"},
		{"negative hourly cost", "team:\n  hourly_cost: -95\n", 2, "team.hourly_cost", "positive"},
		{"zero hourly cost", "team:\n  hourly_cost: 0\n", 2, "team.hourly_cost", "positive"},
		{"NaN hourly cost", "team:\n  hourly_cost: .nan\n", 2, "team.hourly_cost", "positive"},
		{"infinite hourly cost", "team:\n  hourly_cost: .inf\n", 2, "team.hourly_cost", "positive"},
		{"bad time zone", "team:\n  timezone: Mars/Olympus\n", 2, "team.timezone", `unknown time zone "Mars/Olympus"`},
		{"bad currency", "team:\n  currency: usd\n", 2, "team.currency", "three-letter ISO code"},
		{"bad API URL", "github:\n  api_url: ftp://example.com\n", 2, "github.api_url", "http(s) URL"},
		{"API URL without host", "github:\n  api_url: https://\n", 2, "github.api_url", "http(s) URL"},
		{"bad repo in a block list", "github:\n  repos:\n    - acme/api\n    - not a repo\n", 4, "github.repos[1]", `want owner/name, got "not a repo"`},
		{"bad repo in a flow list", "github:\n  repos: [acme/api, bare]\n", 2, "github.repos[1]", `got "bare"`},
		{"repo with too many parts", "github:\n  repos:\n    - a/b/c\n", 3, "github.repos[0]", "owner/name"},
		{"bad org", "github:\n  orgs:\n    - acme\n    - -acme\n", 4, "github.orgs[1]", "organisation login"},
		{"bad repo filter glob", "github:\n  repo_filter: \"svc-[\"\n", 2, "github.repo_filter", "invalid glob"},
		{"bad infra path glob", "github:\n  infra_paths:\n    - \"**/*.tf\"\n    - \"deploy/[\"\n", 4, "github.infra_paths[1]", "invalid glob"},
		{"concurrency zero", "github:\n  concurrency: 0\n", 2, "github.concurrency", "1 to 50"},
		{"concurrency too high", "github:\n  concurrency: 51\n", 2, "github.concurrency", "got 51"},
		{"timeout not a duration", "github:\n  timeout: soon\n", 2, "github.timeout", "duration such as 15m"},
		{"timeout too short", "github:\n  timeout: 10ms\n", 2, "github.timeout", "1s to 2h"},
		{"AWS timeout not a duration", "aws:\n  regions: [us-east-1]\n  timeout: 3\n", 3, "aws.timeout", `duration such as 15m or 90s, got "3"`},
		{"AWS timeout too long", "aws:\n  timeout: 3h\n", 2, "aws.timeout", "1s to 2h, got 3h0m0s"},
		{"bad region", "aws:\n  regions:\n    - us-east-1\n    - moon-1\n", 4, "aws.regions[1]", `got "moon-1"`},
		{"region in upper case", "aws:\n  regions: [US-EAST-1]\n", 2, "aws.regions[0]", "us-east-1"},
		{"all mixed with regions", "aws:\n  regions:\n    - us-east-1\n    - all\n", 4, "aws.regions[1]", `"all" stands alone`},
		{"empty profile", "aws:\n  profiles:\n    - prod\n    - \" \"\n", 4, "aws.profiles[1]", "empty profile"},
		{"off-hours multiplier below 1", "drag:\n  off_hours_multiplier: 0.5\n", 2, "drag.off_hours_multiplier", "from 1 to 100, got 0.5"},
		{"sleep multiplier below 1", "drag:\n  sleep_hours_multiplier: 0.99\n", 2, "drag.sleep_hours_multiplier", "from 1 to 100"},
		{"negative minutes", "drag:\n  alarm_minutes: -1\n", 2, "drag.alarm_minutes", "from 0 to 10080, got -1"},
		{"NaN minutes", "drag:\n  pipeline_failure_minutes: .nan\n", 2, "drag.pipeline_failure_minutes", "got NaN"},
		{"infinite PR hours", "drag:\n  infra_pr_hours: .inf\n", 2, "drag.infra_pr_hours", "got +Inf"},
		{"zero work week", "drag:\n  work_week_hours: 0\n", 2, "drag.work_week_hours", "from 1 to 168"},
		{"absurd hourly cost", "team:\n  hourly_cost: 1e308\n", 2, "team.hourly_cost", "up to 100000"},
		{"absurd multiplier", "drag:\n  sleep_hours_multiplier: 1e300\n", 2, "drag.sleep_hours_multiplier", "from 1 to 100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Parse("/home/me/.config/opsdrag/config.yaml", []byte(tt.in))
			if err == nil {
				t.Fatalf("Parse accepted it: %+v", cfg)
			}
			errs := configErrors(t, err)
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want 1: %v", len(errs), err)
			}
			e := errs[0]
			if e.Path != "/home/me/.config/opsdrag/config.yaml" || e.Line != tt.line || e.Key != tt.key || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got %+v\nwant line %d, key %q, message with %q", *e, tt.line, tt.key, tt.msg)
			}
			// The message a user sees names the file, line and key.
			prefix := "/home/me/.config/opsdrag/config.yaml:" + strconv.Itoa(tt.line) + ": "
			if tt.key != "" {
				prefix += tt.key + ": "
			}
			if !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("error %q does not start with %q", err, prefix)
			}
			if !reflect.DeepEqual(cfg, config.Config{}) {
				t.Errorf("a failed Parse returned a config: %+v", cfg)
			}
		})
	}
}

func TestParseReportsEveryError(t *testing.T) {
	_, err := config.Parse("testdata/several-errors.yaml", readTestdata(t, "several-errors.yaml"))
	if err == nil {
		t.Fatal("Parse accepted a file with seven bad values")
	}
	want := []struct {
		line int
		key  string
	}{
		{2, "team.engineers"},
		{3, "team.hourly_cost"},
		{4, "team.timezone"},
		{8, "github.repos[1]"},
		{9, "github.concurrency"},
		{13, "aws.regions[1]"},
		{15, "drag.off_hours_multiplier"},
	}
	errs := configErrors(t, err)
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(want), err)
	}
	for i, w := range want {
		if errs[i].Line != w.line || errs[i].Key != w.key || errs[i].Path != "testdata/several-errors.yaml" {
			t.Errorf("error %d = %+v, want line %d key %s", i, *errs[i], w.line, w.key)
		}
	}
	// One per line in the text a user sees.
	if lines := strings.Split(err.Error(), "\n"); len(lines) != len(want) {
		t.Errorf("error text has %d lines, want %d:\n%s", len(lines), len(want), err)
	}
}

// Unknown keys and wrong types are listed with the bad values, not one at
// a time: a user fixes the whole file in one go.
func TestParseReportsUnknownKeysAndWrongTypesAtOnce(t *testing.T) {
	_, err := config.Parse("testdata/every-kind-of-error.yaml", readTestdata(t, "every-kind-of-error.yaml"))
	if err == nil {
		t.Fatal("Parse accepted a file with ten problems")
	}
	want := []struct {
		line int
		key  string
		msg  string
	}{
		{3, "team.engineers", `want a whole number, got "many"`},
		{4, "team.hourly_cots", "unknown key"},
		{5, "team.timezone", "unknown time zone"},
		{7, "github.repos", "where a sequence is expected"},
		{10, "github.orgs[1]", "want text, got a mapping"},
		{11, "github.concurrency", "1 to 50"},
		{14, "aws.profile", "unknown key"},
		{16, "drag.alarm_minutes", `want a number, got "lots"`},
		{17, "drag.off_hours_multiplier", "from 1 to 100"},
		{18, "teams", "unknown key"},
	}
	errs := configErrors(t, err)
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(want), err)
	}
	for i, w := range want {
		e := errs[i]
		if e.Line != w.line || e.Key != w.key || !strings.Contains(e.Msg, w.msg) {
			t.Errorf("error %d = %+v, want line %d key %s message with %q", i, *e, w.line, w.key, w.msg)
		}
		if prefix := fmt.Sprintf("testdata/every-kind-of-error.yaml:%d: %s: ", w.line, w.key); !strings.HasPrefix(e.Error(), prefix) {
			t.Errorf("error %d reads %q, want it to start with %q", i, e.Error(), prefix)
		}
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		e    config.Error
		want string
	}{
		{config.Error{Path: "c.yaml", Line: 3, Key: "team.engineers", Msg: "bad"}, "c.yaml:3: team.engineers: bad"},
		{config.Error{Path: "c.yaml", Line: 3, Msg: "invalid YAML: x"}, "c.yaml:3: invalid YAML: x"},
		{config.Error{Path: "c.yaml", Msg: "broken"}, "c.yaml: broken"},
		{config.Error{Path: "c.yaml", Key: "team", Msg: "broken"}, "c.yaml: team: broken"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestParseDoesNotPanicOnDecoderCrashers(t *testing.T) {
	// go-yaml v1.19.2 panics decoding a bare tag where a list belongs.
	for _, in := range []string{
		"github:\n  repos: !x\n",
		"aws:\n  profiles: !foo\n  regions: [us-east-1]\n",
	} {
		_, err := config.Parse("c.yaml", []byte(in))
		if err == nil {
			t.Errorf("Parse(%q) accepted it", in)
			continue
		}
		errs := configErrors(t, err)
		if len(errs) != 1 || errs[0].Path != "c.yaml" || !strings.Contains(errs[0].Msg, "tag") {
			t.Errorf("Parse(%q) = %v, want an error about the tag", in, err)
		}
	}
}

func TestParseNonMappingDocument(t *testing.T) {
	for _, in := range []string{"just text\n", "- a\n- b\n", "42\n"} {
		_, err := config.Parse("c.yaml", []byte(in))
		if err == nil {
			t.Errorf("Parse(%q) accepted a document that is not a mapping", in)
			continue
		}
		if errs := configErrors(t, err); errs[0].Line != 1 || !strings.Contains(errs[0].Msg, "mapping") {
			t.Errorf("Parse(%q) = %v, want line 1 and a word about a mapping", in, err)
		}
	}
}

func TestStoreURL(t *testing.T) {
	for _, tc := range []struct {
		name, url, wantErr string
	}{
		{"postgres", "postgres://opsdrag@db:5432/opsdrag?sslmode=verify-full", ""},
		{"postgresql", "postgresql://opsdrag@db/opsdrag", ""},
		{"a file", "/var/lib/opsdrag/history.db", "want a PostgreSQL URL"},
		{"no host", "postgres:///opsdrag", "want a PostgreSQL URL"},
		{"password in the user part", "postgres://opsdrag:s3cret@db/opsdrag", "holds a password"},
		{"password parameter", "postgres://opsdrag@db/opsdrag?password=s3cret", "holds a password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Parse("c.yaml", []byte("store:\n  url: "+tc.url+"\n"))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "c.yaml:2: store.url") {
				t.Fatalf("Parse = %v, want %q at c.yaml:2", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("the error repeats the password: %v", err)
			}
		})
	}
}

// OPSDRAG_STORE_URL wins over store.url, and may hold the password: it is
// a secret of the job's environment, never written to disk.
func TestStoreURLFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte("store:\n  url: postgres://a@file-host/opsdrag\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(config.EnvStoreURL, "postgres://opsdrag:s3cret@env-host/opsdrag")
	cfg, err := config.Resolve(path)
	if err != nil || cfg.Store.URL != "postgres://opsdrag:s3cret@env-host/opsdrag" || !cfg.Store.Shared() {
		t.Fatalf("Resolve = %+v, %v; want the environment's URL", cfg.Store, err)
	}
	t.Setenv(config.EnvStoreURL, "mysql://db/opsdrag")
	if _, err := config.Resolve(path); err == nil || !strings.Contains(err.Error(), config.EnvStoreURL) {
		t.Errorf("Resolve with a bad %s = %v, want an error naming it", config.EnvStoreURL, err)
	}
}
