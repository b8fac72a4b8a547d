// Package doctor checks that opsdrag's setup works, source by source: the
// config file, the GitHub token and its permissions, each AWS profile and
// the services of the read-only policy, the history database and the
// cache directory. Each check is one line with, for a failure, the exact
// fix. Every remote call is a read.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/opsdrag/opsdrag/collectors"
	awscollect "github.com/opsdrag/opsdrag/collectors/aws"
	ghcollect "github.com/opsdrag/opsdrag/collectors/github"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/store"
)

// Options say where to look and how to reach the sources.
type Options struct {
	// ConfigPath is --config; "" follows OPSDRAG_CONFIG and the XDG path.
	ConfigPath string
	// HistoryPath is the history: a SQLite file, or the shared store's
	// PostgreSQL URL; "" when there is no state
	// directory.
	HistoryPath string
	// CacheDir is opsdrag's cache directory; "" when there is no home.
	CacheDir string
	// GitHub and AWS reach the sources (tests point them at fakes).
	GitHub ghcollect.Options
	AWS    awscollect.Options
	// Extra are lines other parts of opsdrag add, e.g. where the log file
	// is; they are printed after the checks.
	Extra []collectors.Check
}

// Report is the outcome of every check, in the order they ran.
type Report struct {
	Checks []collectors.Check
}

// Failed counts the checks that failed.
func (r Report) Failed() int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == collectors.CheckFailed {
			n++
		}
	}
	return n
}

// Run runs every check. The sources are checked only once the config
// parses: until then, nobody knows what to check.
func Run(ctx context.Context, opts Options) Report {
	var r Report
	cfg, cfgChecks := checkConfig(opts.ConfigPath)
	r.Checks = append(r.Checks, cfgChecks...)
	if cfg != nil {
		var gh, aws []collectors.Check
		var wg sync.WaitGroup
		wg.Go(func() { gh = ghcollect.Diagnose(ctx, cfg.GitHub, opts.GitHub) })
		wg.Go(func() { aws = awscollect.Diagnose(ctx, cfg.AWS, opts.AWS) })
		wg.Wait()
		r.Checks = append(r.Checks, gh...)
		r.Checks = append(r.Checks, aws...)
	}
	r.Checks = append(r.Checks, checkHistory(ctx, opts.HistoryPath), checkCache(opts.CacheDir))
	r.Checks = append(r.Checks, opts.Extra...)
	return r
}

// checkConfig loads the config and says what is wrong with it, one line
// per problem; the config is nil when it cannot be used.
func checkConfig(path string) (*config.Config, []collectors.Check) {
	cfg, err := config.Resolve(path)
	if err != nil {
		var leaves []error
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			leaves = j.Unwrap()
		} else {
			leaves = []error{err}
		}
		var checks []collectors.Check
		for _, e := range leaves {
			fix := "edit that line (docs/configuration.md lists every key), or start over with opsdrag init --force"
			var ce *config.Error
			if !errors.As(e, &ce) {
				fix = "run opsdrag init to write a config file"
			}
			checks = append(checks, collectors.Check{Name: "config", Status: collectors.CheckFailed, Detail: e.Error(), Fix: fix})
		}
		checks = append(checks, collectors.Check{Name: "sources", Status: collectors.CheckSkipped,
			Detail: "not checked: the config above does not load", Fix: "fix the config, then run opsdrag doctor again"})
		return nil, checks
	}
	if !cfg.Found() {
		where := cfg.LookedAt
		if where == "" {
			where = "anywhere (no home directory)"
		}
		return &cfg, []collectors.Check{{Name: "config", Status: collectors.CheckFailed,
			Detail: "no config file at " + where + ": opsdrag shows the demo, or what the credentials alone reach",
			Fix:    "run opsdrag init"}}
	}
	return &cfg, []collectors.Check{{Name: "config", Status: collectors.CheckOK, Detail: cfg.Path + " loads"}}
}

// checkHistory opens the history as every run does (creating it 0600 when
// missing) and runs SQLite's full integrity check.
func checkHistory(ctx context.Context, path string) collectors.Check {
	c := collectors.Check{Name: "history"}
	if path == "" {
		c.Status, c.Detail = collectors.CheckFailed, "no state directory to keep the history in"
		c.Fix = "set HOME or XDG_STATE_HOME"
		return c
	}
	shared := store.IsURL(path)
	st, err := store.Open(path)
	if err != nil {
		c.Status, c.Detail = collectors.CheckFailed, err.Error()
		c.Fix = fmt.Sprintf("make %s writable by you, or move the damaged file aside (opsdrag then starts a new history); --no-store runs without it", path)
		if shared {
			c.Fix = "the error says what to check in store.url or OPSDRAG_STORE_URL; docs/store.md has the URL, TLS and the roles' grants; --no-store runs without it"
		}
		return c
	}
	defer st.Close()
	if err := st.Check(ctx); err != nil {
		c.Status, c.Detail = collectors.CheckFailed, err.Error()
		c.Fix = fmt.Sprintf("move %s aside: opsdrag starts a new history (the old file can be inspected with sqlite3)", path)
		if shared {
			c.Fix = "have the database's administrator look at the snapshots named; opsdrag changed nothing"
		}
		return c
	}
	c.Status, c.Detail = collectors.CheckOK, st.Path()+" writable, integrity check passed"
	if shared {
		c.Detail = st.Path() + " (shared) reachable, schema current, every snapshot whole"
	}
	return c
}

// checkCache checks that the cache directory, which holds API answers of
// private repositories and accounts, is readable by its owner alone.
func checkCache(dir string) collectors.Check {
	c := collectors.Check{Name: "cache"}
	if dir == "" {
		c.Status, c.Detail = collectors.CheckSkipped, "no cache directory (no home): every request is made in full"
		c.Fix = "set HOME or XDG_CACHE_HOME"
		return c
	}
	for _, d := range []string{dir, filepath.Join(dir, "github"), filepath.Join(dir, "aws")} {
		st, err := os.Stat(d)
		switch {
		case errors.Is(err, os.ErrNotExist):
			continue
		case err != nil:
			c.Status, c.Detail, c.Fix = collectors.CheckFailed, err.Error(), "fix the permissions of "+d
			return c
		case !st.IsDir():
			c.Status, c.Detail, c.Fix = collectors.CheckFailed, d+" is not a directory", "remove "+d
			return c
		case st.Mode().Perm()&0o077 != 0:
			c.Status = collectors.CheckFailed
			c.Detail = fmt.Sprintf("%s is readable by others (mode %04o): it holds API answers about private repositories and accounts", d, st.Mode().Perm())
			c.Fix = "chmod 700 " + d
			return c
		}
	}
	c.Status, c.Detail = collectors.CheckOK, dir+" private (created 0700 when first used)"
	return c
}
