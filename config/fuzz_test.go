package config_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opsdrag/opsdrag/config"
)

// FuzzParse checks that no input makes Parse panic, that every failure is
// reported as *config.Error values naming the file, and that whatever Parse
// accepts satisfies the validation rules. The seed corpus is the fixtures in
// testdata plus testdata/fuzz/FuzzParse.
//
//	go test -run '^$' -fuzz FuzzParse -fuzztime 20s ./config/
func FuzzParse(f *testing.F) {
	fixtures, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil || len(fixtures) == 0 {
		f.Fatalf("no fixtures in testdata: %v", err)
	}
	for _, name := range fixtures {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"", "# only a comment\n", "---\n", "---\n---\n", "foo\n", "- a\n- b\n", "*x\n", "&a [*a]\n",
		"team: ~\n", "team:\n  <<: {engineers: 4}\n", "team:\n  engineers: !!str 3\n",
		"team:\n  engineers: 99999999999999999999999\n", "github:\n  concurrency: 1e1\n",
		"? [a]\n: b\n", "team:\n\tengineers: 3\n", "team: {engineers: 3\n",
		"aws:\n  regions: [all, all]\n", "drag:\n  alarm_minutes: .nan\n",
	} {
		f.Add([]byte(s))
	}

	const path = "fuzz/config.yaml"
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := config.Parse(path, data)
		if err != nil {
			leaves := []error{err}
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				leaves = j.Unwrap()
			}
			if len(leaves) == 0 {
				t.Fatalf("empty joined error")
			}
			for _, e := range leaves {
				var ce *config.Error
				if !errors.As(e, &ce) {
					t.Fatalf("error %q (%T) is not a *config.Error", e, e)
				}
				if ce.Path != path || ce.Line < 0 || ce.Msg == "" {
					t.Fatalf("error without a location or message: %#v", ce)
				}
			}
			if !strings.HasPrefix(err.Error(), path) {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		checkValid(t, cfg, path)
	})
}

// checkValid asserts the invariants the validator promises for every
// accepted config.
func checkValid(t *testing.T, cfg config.Config, path string) {
	t.Helper()
	if cfg.Path != path {
		t.Fatalf("Path = %q, want %q", cfg.Path, path)
	}
	if cfg.Team.Location == nil {
		t.Fatal("accepted config has no time zone")
	}
	if cfg.Team.Engineers < 0 { // 0 is "unknown"; a set value is at least 1
		t.Fatalf("accepted %d engineers", cfg.Team.Engineers)
	}
	if h := cfg.Team.HourlyCost; h < 0 || math.IsNaN(h) || math.IsInf(h, 0) {
		t.Fatalf("accepted hourly cost %v", h)
	}
	if c := cfg.Team.Currency; len(c) != 3 || strings.ToUpper(c) != c {
		t.Fatalf("accepted currency %q", c)
	}
	if c := cfg.GitHub.Concurrency; c < 1 || c > 50 {
		t.Fatalf("accepted concurrency %d", c)
	}
	a := cfg.Assumptions
	for name, v := range map[string]float64{
		"pipeline_failure_minutes": a.PipelineFailureMinutes, "pipeline_rerun_minutes": a.PipelineRerunMinutes,
		"alarm_minutes": a.AlarmMinutes, "infra_pr_hours": a.InfraPRHours,
	} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("accepted %s = %v", name, v)
		}
	}
	for name, v := range map[string]float64{
		"off_hours_multiplier": a.OffHoursMultiplier, "sleep_hours_multiplier": a.SleepHoursMultiplier,
		"work_week_hours": a.WorkWeekHours,
	} {
		if v < 1 || math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("accepted %s = %v", name, v)
		}
	}
	if r := cfg.AWS.Regions; len(r) > 1 {
		for _, region := range r {
			if region == "all" {
				t.Fatalf("accepted regions %q", r)
			}
		}
	}
}
