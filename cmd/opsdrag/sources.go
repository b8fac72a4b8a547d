package main

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/opsdrag/opsdrag/collectors"
	awscollect "github.com/opsdrag/opsdrag/collectors/aws"
	"github.com/opsdrag/opsdrag/collectors/demo"
	ghcollect "github.com/opsdrag/opsdrag/collectors/github"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
)

// demoHint is shown when the interface fell back to the demo on its own. It
// names the file opsdrag looked for, so following it leads out of the demo
// wherever XDG_CONFIG_HOME points.
func demoHint(lookedAt string) string {
	if lookedAt == "" {
		return "Demo data: no config or credentials found, and no home directory to look in. Run opsdrag init --config FILE to watch your team."
	}
	return "Demo data: no config or credentials found. Run opsdrag init (it writes " + lookedAt + ") to watch your team."
}

// nothingConfigured is why report and triage refuse to run with nothing to
// read: a scheduled job whose secrets went missing must fail, not report the
// demo's fiction as the team's drag.
func nothingConfigured(lookedAt string) error {
	where := "no config file at " + lookedAt
	write := "run opsdrag init (it writes " + lookedAt + ")"
	if lookedAt == "" {
		where = "no config file (no --config, no $" + config.EnvConfig + ", and no home directory to look in)"
		write = "run opsdrag init --config FILE"
	}
	return usageError{fmt.Errorf("nothing to report on: %s and no GitHub or AWS credentials; "+
		"%s to watch your team, or pass --demo for the built-in demo data", where, write)}
}

// chooseDemo decides whether to show the demo: when asked to, or when there
// is neither a config file nor any credentials to read live data with.
func chooseDemo(flag bool, cfg config.Config, getenv func(string) string, exists func(string) bool) (demo bool, hint string) {
	if flag {
		return true, ""
	}
	if cfg.Found() || cfg.Store.Shared() || hasCredentials(getenv, exists) {
		return false, ""
	}
	return true, demoHint(cfg.LookedAt)
}

// hasCredentials reports whether a GitHub token or AWS credentials are
// visible the way the SDKs would find them.
func hasCredentials(getenv func(string) string, exists func(string) bool) bool {
	for _, v := range []string{"GITHUB_TOKEN", "GH_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_PROFILE",
		// Roles on EKS (web identity) and ECS (container credentials).
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"} {
		if getenv(v) != "" {
			return true
		}
	}
	home := getenv("HOME")
	for _, p := range []string{
		getenv("AWS_SHARED_CREDENTIALS_FILE"), getenv("AWS_CONFIG_FILE"),
		filepath.Join(home, ".aws", "credentials"), filepath.Join(home, ".aws", "config"),
	} {
		if p != "" && home != "" && exists(p) {
			return true
		}
	}
	return false
}

func demoTeam() model.Team { return demo.Team() }

// buildSources returns the collectors for this run: the demo's, or the live
// ones the config enables.
func buildSources(cfg config.Config, demoMode bool, loc *time.Location, demoLatency time.Duration, log *slog.Logger) []collectors.Collector {
	if demoMode {
		return demo.Collectors(demo.Options{Location: loc, Latency: demoLatency})
	}
	var out []collectors.Collector
	out = append(out, ghcollect.New(cfg.GitHub, ghcollect.Options{CacheDir: cacheDir("github"), Log: log})...)
	out = append(out, awscollect.New(cfg.AWS, awscollect.Options{CacheDir: cacheDir("aws"), Log: log})...)
	return out
}

// cacheDir is a source's cache directory, "" (no cache) without a home.
func cacheDir(source string) string {
	if dir := config.CacheDir(); dir != "" {
		return filepath.Join(dir, source)
	}
	return ""
}
