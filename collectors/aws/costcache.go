package awscollect

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// costCache keeps one Cost Explorer answer per asking account per UTC day,
// so that opsdrag asks (and AWS charges) at most once a day per account
// however often it refreshes. Files are private to the user: a bill is not
// public.
type costCache struct{ dir string }

// costCacheVersion changes when the stored shape does; older files are
// ignored and replaced. Version 2 holds every linked account's bill.
const costCacheVersion = 2

type costEntry struct {
	Version int        `json:"version"`
	Account string     `json:"account"`
	Day     string     `json:"day"`
	Answer  costAnswer `json:"answer"`
}

func (c costCache) path(account, day string) string {
	return filepath.Join(c.dir, fmt.Sprintf("cost-%s-%s.json", account, day))
}

// load returns the answer account's Cost Explorer gave on day, if one is
// cached.
func (c costCache) load(account, day string) (costAnswer, bool) {
	if c.dir == "" || !safeName(account) {
		return costAnswer{}, false
	}
	data, err := os.ReadFile(c.path(account, day))
	if err != nil {
		return costAnswer{}, false
	}
	var e costEntry
	if json.Unmarshal(data, &e) != nil || e.Version != costCacheVersion || e.Account != account || e.Day != day {
		return costAnswer{}, false
	}
	return e.Answer, true
}

// store writes ans as account's answer for day, atomically and 0600, and
// removes the account's answers from earlier days.
func (c costCache) store(account string, ans costAnswer, day string) error {
	if c.dir == "" {
		return nil
	}
	if !safeName(account) {
		return fmt.Errorf("unexpected account id %q", account)
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return fmt.Errorf("create cache directory: %w", err)
	}
	data, err := json.Marshal(costEntry{Version: costCacheVersion, Account: account, Day: day, Answer: ans})
	if err != nil {
		return fmt.Errorf("encode the cost cache: %w", err)
	}
	tmp, err := os.CreateTemp(c.dir, ".cost-*.tmp")
	if err != nil {
		return fmt.Errorf("write the cost cache: %w", err)
	}
	// CreateTemp makes the file 0600 already; the chmod keeps that true on
	// any platform and umask.
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr, os.Chmod(tmp.Name(), 0o600)); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write the cost cache: %w", err)
	}
	final := c.path(account, day)
	if err := os.Rename(tmp.Name(), final); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write the cost cache: %w", err)
	}
	old, _ := filepath.Glob(filepath.Join(c.dir, "cost-"+account+"-*.json"))
	for _, f := range old {
		if f != final {
			os.Remove(f)
		}
	}
	return nil
}

// safeName reports whether an account id can be part of a file name.
func safeName(s string) bool {
	return s != "" && !strings.ContainsAny(s, `/\.*?[`) && len(s) <= 64
}
