package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load time zone %s: %v", name, err)
	}
	return loc
}

// xdgHome points HOME and every XDG variable Resolve reads into a fresh
// temporary tree, so no test sees the developer's own config.
func xdgHome(t *testing.T) (home, configHome string) {
	t.Helper()
	home = t.TempDir()
	configHome = filepath.Join(home, "xdg-config")
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", configHome)
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "xdg-state"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "xdg-cache"))
	t.Setenv(config.EnvConfig, "")
	return home, configHome
}

func writeConfig(t *testing.T, path, teamName string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("team:\n  name: "+teamName+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestResolveOrder(t *testing.T) {
	_, configHome := xdgHome(t)
	dir := t.TempDir()
	explicit := filepath.Join(dir, "explicit.yaml")
	fromEnv := filepath.Join(dir, "env.yaml")
	xdg := filepath.Join(configHome, "opsdrag", "config.yaml")
	writeConfig(t, explicit, "explicit")
	writeConfig(t, fromEnv, "env")
	writeConfig(t, xdg, "xdg")

	check := func(t *testing.T, arg, wantPath, wantName string) {
		t.Helper()
		cfg, err := config.Resolve(arg)
		if err != nil {
			t.Fatalf("Resolve(%q): %v", arg, err)
		}
		if cfg.Path != wantPath || cfg.Team.Name != wantName || !cfg.Found() {
			t.Errorf("Resolve(%q) read %q (team %q), want %q (team %q)", arg, cfg.Path, cfg.Team.Name, wantPath, wantName)
		}
	}
	t.Setenv(config.EnvConfig, fromEnv)
	check(t, explicit, explicit, "explicit") // explicit beats the environment
	check(t, "", fromEnv, "env")             // the environment beats XDG
	t.Setenv(config.EnvConfig, "")
	check(t, "", xdg, "xdg") // XDG when neither is set
	if got := config.DefaultPath(); got != xdg {
		t.Errorf("DefaultPath = %q, want %q", got, xdg)
	}
}

func TestResolveMissingFiles(t *testing.T) {
	xdgHome(t)
	missing := filepath.Join(t.TempDir(), "nope.yaml")

	// No file at the default path: the defaults, not an error.
	cfg, err := config.Resolve("")
	if err != nil {
		t.Fatalf("Resolve with no config anywhere: %v", err)
	}
	if cfg.Found() || cfg.Team.Currency != "USD" || cfg.Assumptions != config.Default().Assumptions {
		t.Errorf("Resolve with no file = %+v, want the defaults", cfg)
	}

	// A file named explicitly must exist, and the error names it.
	for _, tt := range []struct {
		name string
		arg  string
		env  string
	}{
		{"flag", missing, ""},
		{"environment", "", missing},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(config.EnvConfig, tt.env)
			_, err := config.Resolve(tt.arg)
			if err == nil {
				t.Fatal("Resolve accepted a missing file")
			}
			if !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "does not exist") {
				t.Errorf("error %q does not name the missing file", err)
			}
		})
	}
}

func TestResolveUnreadableAndInvalid(t *testing.T) {
	xdgHome(t)
	dir := t.TempDir()
	if _, err := config.Resolve(dir); err == nil || !strings.Contains(err.Error(), "read config file "+dir) {
		t.Errorf("Resolve(a directory) = %v, want a read error naming it", err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("team:\n  engineers: 0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := config.Resolve(bad)
	if err == nil || !strings.HasPrefix(err.Error(), bad+":2: team.engineers:") {
		t.Errorf("Resolve(invalid file) = %v, want an error at %s:2", err, bad)
	}
}

func TestResolveInvalidDefaultFileIsAnError(t *testing.T) {
	_, configHome := xdgHome(t)
	path := filepath.Join(configHome, "opsdrag", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("tean:\n  engineers: 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Only a missing default file falls back to the defaults; a broken one
	// is reported, never silently ignored.
	if _, err := config.Resolve(""); err == nil || !strings.Contains(err.Error(), path+":1: tean: unknown key") {
		t.Errorf("Resolve = %v, want the unknown key reported", err)
	}
}

func TestDirsHonourXDG(t *testing.T) {
	home, configHome := xdgHome(t)
	if got, want := config.StateDir(), filepath.Join(home, "xdg-state", "opsdrag"); got != want {
		t.Errorf("StateDir = %q, want %q", got, want)
	}
	if got, want := config.CacheDir(), filepath.Join(home, "xdg-cache", "opsdrag"); got != want {
		t.Errorf("CacheDir = %q, want %q", got, want)
	}
	if got, want := config.DefaultPath(), filepath.Join(configHome, "opsdrag", "config.yaml"); got != want {
		t.Errorf("DefaultPath = %q, want %q", got, want)
	}
}

func TestDirsFallBackToHome(t *testing.T) {
	for _, unset := range []string{"", "relative/dir"} {
		t.Run("XDG="+unset, func(t *testing.T) {
			home, _ := xdgHome(t)
			// The XDG spec says relative paths are invalid and must be ignored.
			t.Setenv("XDG_CONFIG_HOME", unset)
			t.Setenv("XDG_STATE_HOME", unset)
			t.Setenv("XDG_CACHE_HOME", unset)
			for _, tt := range []struct {
				name string
				got  string
				want string
			}{
				{"StateDir", config.StateDir(), filepath.Join(home, ".local", "state", "opsdrag")},
				{"CacheDir", config.CacheDir(), filepath.Join(home, ".cache", "opsdrag")},
				{"DefaultPath", config.DefaultPath(), filepath.Join(home, ".config", "opsdrag", "config.yaml")},
			} {
				if tt.got != tt.want {
					t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
				}
			}
		})
	}
}

func TestGitHubConfigured(t *testing.T) {
	for _, tt := range []struct {
		g    config.GitHub
		want bool
	}{
		{config.GitHub{}, false},
		{config.GitHub{Branches: []string{"main"}}, false},
		{config.GitHub{Repos: []string{"acme/api"}}, true},
		{config.GitHub{Orgs: []string{"acme"}}, true},
	} {
		if got := tt.g.Configured(); got != tt.want {
			t.Errorf("%+v.Configured() = %v, want %v", tt.g, got, tt.want)
		}
	}
}

func TestNoHomeMeansNoDirectories(t *testing.T) {
	for _, v := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"} {
		t.Setenv(v, "")
	}
	if got := config.StateDir(); got != "" {
		t.Errorf("StateDir without a home = %q, want none (never a shared directory)", got)
	}
	if got := config.CacheDir(); got != "" {
		t.Errorf("CacheDir without a home = %q", got)
	}
	cfg, err := config.Resolve("")
	if err != nil || cfg.Found() {
		t.Errorf("Resolve without a home: %+v %v, want the defaults", cfg, err)
	}
}

// A person told "no config found" must be told exactly which file was
// looked for, whichever way it was chosen, found or not.
func TestResolveSaysWhereItLooked(t *testing.T) {
	home, configHome := xdgHome(t)
	dir := t.TempDir()
	explicit := filepath.Join(dir, "explicit.yaml")
	fromEnv := filepath.Join(dir, "env.yaml")
	writeConfig(t, explicit, "explicit")
	writeConfig(t, fromEnv, "env")

	cases := []struct {
		name, arg, env, xdg string
		want                string
		found               bool
	}{
		{"XDG_CONFIG_HOME, no file", "", "", configHome, filepath.Join(configHome, "opsdrag", "config.yaml"), false},
		{"no XDG_CONFIG_HOME, no file", "", "", "", filepath.Join(home, ".config", "opsdrag", "config.yaml"), false},
		{"OPSDRAG_CONFIG", "", fromEnv, configHome, fromEnv, true},
		{"--config", explicit, fromEnv, configHome, explicit, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("XDG_CONFIG_HOME", c.xdg)
			t.Setenv(config.EnvConfig, c.env)
			cfg, err := config.Resolve(c.arg)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.LookedAt != c.want || cfg.Found() != c.found {
				t.Errorf("LookedAt = %q (found %v), want %q (found %v)", cfg.LookedAt, cfg.Found(), c.want, c.found)
			}
		})
	}

	for _, v := range []string{"HOME", "XDG_CONFIG_HOME"} {
		t.Setenv(v, "")
	}
	if cfg, err := config.Resolve(""); err != nil || cfg.LookedAt != "" {
		t.Errorf("without a home, LookedAt = %q (%v), want none", cfg.LookedAt, err)
	}
}
