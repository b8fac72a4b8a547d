// Package config loads opsdrag's YAML configuration and locates its state
// and cache directories. Every problem is reported with the file, line and
// key at fault, and what to do about it.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

// EnvConfig names the environment variable that points at a config file.
const EnvConfig = "OPSDRAG_CONFIG"

// EnvStoreURL names the environment variable that sets store.url, and
// wins over it: a scheduled job passes its database's URL, password and
// all, as a secret.
const EnvStoreURL = "OPSDRAG_STORE_URL"

// EnvUser names the environment variable that says who sets marks, and
// wins over store.user.
const EnvUser = "OPSDRAG_USER"

// Config is opsdrag's resolved configuration.
type Config struct {
	// Path is the file the configuration was read from; empty when none
	// was found and the defaults apply.
	Path string
	// LookedAt is the file Resolve looked for, found or not: what to name
	// when telling someone to write a config. Empty when there was nowhere
	// to look (no --config, no OPSDRAG_CONFIG and no home directory).
	LookedAt    string
	Team        model.Team
	GitHub      GitHub
	AWS         AWS
	Assumptions model.Assumptions
	// Effort are the migration plan's estimates per component kind.
	Effort model.EffortHours
	// Store says where the history is kept.
	Store Store
}

// Store is where the history is kept: a PostgreSQL database a team
// shares, or (URL empty) the SQLite file in the state directory.
type Store struct {
	// URL is a postgres:// URL, from store.url or OPSDRAG_STORE_URL.
	URL string
	// User is who marks are recorded as, when set (store.user).
	User string
}

// Shared reports whether the history is a shared PostgreSQL database.
func (s Store) Shared() bool { return s.URL != "" }

// Found reports whether a config file was read.
func (c Config) Found() bool { return c.Path != "" }

// GitHub says which repositories to watch and what counts as infra work.
type GitHub struct {
	// APIURL is the REST API base; empty means api.github.com (or
	// GITHUB_API_URL).
	APIURL string
	Repos  []string
	Orgs   []string
	// RepoFilter is a glob that org repositories' names must match.
	RepoFilter string
	// Branches to watch; empty means each repository's default branch.
	Branches    []string
	InfraPaths  []string
	InfraLabels []string
	// Concurrency bounds the requests in flight.
	Concurrency int
	// Timeout bounds one collection (what it read by then is kept, as
	// partial) and every request in it; zero means the collector's default.
	Timeout time.Duration
}

// Configured reports whether any repository source is set.
func (g GitHub) Configured() bool { return len(g.Repos) > 0 || len(g.Orgs) > 0 }

// AWS says which accounts and regions to read.
type AWS struct {
	// Profiles from ~/.aws/config; empty means the default credential chain.
	Profiles []string
	// Regions to read; ["all"] means every enabled region.
	Regions []string
	// Timeout bounds one collection of each AWS source (what it read by
	// then is kept, as partial); zero means the collectors' default.
	Timeout time.Duration
}

// DefaultInfraPaths are the globs that make a changed file infrastructure
// work when github.infra_paths is not set.
func DefaultInfraPaths() []string {
	return []string{
		"**/*.tf", "**/*.tfvars", "**/*.hcl", "**/.terraform.lock.hcl",
		"**/cdk.json", "**/cdk/**", "**/infra/**", "**/infrastructure/**",
		"**/template.yaml", "**/template.yml", "**/samconfig.toml", "**/cloudformation/**", "**/*.cfn.yaml", "**/*.cfn.yml", "**/*.cfn.json",
		"**/Chart.yaml", "**/charts/**", "**/helm/**", "**/k8s/**", "**/kubernetes/**", "**/kustomization.yaml",
		"**/Dockerfile", "**/Dockerfile.*", "**/*.dockerfile", "**/docker-compose*.yml", "**/docker-compose*.yaml",
		".github/workflows/**", "**/buildspec.yml", "**/appspec.yml",
		"**/task-definition*.json", "**/taskdef*.json", "**/ecs/**",
		"**/iam/**", "**/*policy*.json",
	}
}

// DefaultInfraLabels are the labels that make a PR infrastructure work when
// github.infra_labels is not set.
func DefaultInfraLabels() []string {
	return []string{"infra", "infrastructure", "terraform", "devops", "ops", "platform"}
}

// DefaultGitHubConcurrency keeps well inside GitHub's secondary rate limits
// (no more than 100 concurrent requests, fewer in practice).
const DefaultGitHubConcurrency = 8

// Default returns the configuration used when no file exists.
func Default() Config {
	return Config{
		Team:        model.Team{Currency: "USD", Location: time.Local},
		GitHub:      GitHub{InfraPaths: DefaultInfraPaths(), InfraLabels: DefaultInfraLabels(), Concurrency: DefaultGitHubConcurrency},
		Assumptions: model.DefaultAssumptions(),
		Effort:      model.DefaultEffortHours(),
	}
}

// DefaultPath is where opsdrag looks for its config when neither --config
// nor OPSDRAG_CONFIG say otherwise: $XDG_CONFIG_HOME/opsdrag/config.yaml.
// It is "" when neither XDG_CONFIG_HOME nor a home directory is known.
func DefaultPath() string { return xdgDir("XDG_CONFIG_HOME", ".config", "opsdrag", "config.yaml") }

// StateDir is where opsdrag keeps its history: $XDG_STATE_HOME/opsdrag; ""
// when there is no home directory to put it in.
func StateDir() string { return xdgDir("XDG_STATE_HOME", ".local/state", "opsdrag") }

// CacheDir is where opsdrag keeps caches it can rebuild (HTTP ETags, the
// daily Cost Explorer answer): $XDG_CACHE_HOME/opsdrag; "" when there is no
// home directory to put it in.
func CacheDir() string { return xdgDir("XDG_CACHE_HOME", ".cache", "opsdrag") }

// xdgDir joins elem under an XDG base directory read from the environment
// on every call, falling back to its spec default under $HOME. It follows
// the XDG layout on macOS too, as gh and most CLI tools do, rather than
// ~/Library. Without either it returns "": a shared directory such as /tmp,
// which another user could prepare, is no place for history or caches.
func xdgDir(env, fallback string, elem ...string) string {
	base := os.Getenv(env)
	if !filepath.IsAbs(base) {
		home, err := os.UserHomeDir()
		if err != nil || !filepath.IsAbs(home) {
			return ""
		}
		base = filepath.Join(home, fallback)
	}
	return filepath.Join(append([]string{base}, elem...)...)
}

// Resolve finds and loads the configuration: the explicit path if given,
// else OPSDRAG_CONFIG, else the default path. A missing file is an error only
// when it was named explicitly; otherwise the defaults apply.
func Resolve(explicit string) (Config, error) {
	path, named := explicit, explicit != ""
	if !named {
		if env := os.Getenv(EnvConfig); env != "" {
			path, named = env, true
		} else {
			path = DefaultPath()
		}
	}
	if path == "" {
		return withStoreEnv(Default()) // no home directory: nowhere a default file could be
	}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !named:
		cfg := Default()
		cfg.LookedAt = path
		return withStoreEnv(cfg)
	case errors.Is(err, fs.ErrNotExist):
		return Config{}, fmt.Errorf("config file %s does not exist: create it with opsdrag init --config %s, or drop the --config / %s setting", path, path, EnvConfig)
	case err != nil:
		return Config{}, fmt.Errorf("read config file %s: %w", path, err)
	}
	cfg, err := Parse(path, data)
	cfg.LookedAt = path
	if err != nil {
		return cfg, err
	}
	return withStoreEnv(cfg)
}

// withStoreEnv applies OPSDRAG_STORE_URL over store.url.
func withStoreEnv(cfg Config) (Config, error) {
	u := os.Getenv(EnvStoreURL)
	if u == "" {
		return cfg, nil
	}
	if msg := CheckStoreURL(u); msg != "" {
		return Config{}, fmt.Errorf("%s: %s", EnvStoreURL, msg)
	}
	cfg.Store.URL = u
	return cfg, nil
}
