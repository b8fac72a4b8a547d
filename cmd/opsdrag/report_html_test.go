package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The HTML page goes to the file --output names, over two weeks unless
// --since says otherwise; --people adds the concentration.
func TestReportHTMLToAFile(t *testing.T) {
	env := cleanEnv(t)
	out := filepath.Join(t.TempDir(), "drag.html")
	r := run(t, env, "--demo", "report", "--format", "html", "--people", "--output", out)
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<!DOCTYPE html>", "(14 days)", "Who carries it", "The last 12 weeks", "DEMO DATA"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("the output directory holds %d files, want only the page (no temporary left)", len(entries))
	}
	r = run(t, env, "--demo", "report", "--format", "html", "--since", "3d", "-o", "-")
	if r.code != 0 || !strings.Contains(r.stdout, "(3 days)") || strings.Contains(r.stdout, "Who carries it") {
		t.Errorf("--since 3d to stdout: exit %d, people shown %v, stderr %s", r.code, strings.Contains(r.stdout, "Who carries it"), r.stderr)
	}
}

// A report file gets the mode a shell's > would give it: 0666 less the
// umask, so someone whose umask keeps their files private gets a private
// report. A report written over a file keeps that file's mode.
func TestReportFileModeFollowsTheUmask(t *testing.T) {
	env := cleanEnv(t)
	dir := t.TempDir()
	withUmask := func(umask, out string) {
		t.Helper()
		cmd := exec.Command("sh", "-c", "umask "+umask+"; exec \"$0\" \"$@\"", binary, "--demo", "--no-store", "report", "--format", "html", "-o", out)
		cmd.Env = env
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("umask %s: %v\n%s", umask, err, b)
		}
	}
	mode := func(path string) os.FileMode {
		t.Helper()
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return info.Mode().Perm()
	}
	for umask, want := range map[string]os.FileMode{"077": 0o600, "022": 0o644, "027": 0o640} {
		out := filepath.Join(dir, umask+".html")
		withUmask(umask, out)
		if got := mode(out); got != want {
			t.Errorf("umask %s: the report is %v, want %v", umask, got, want)
		}
	}
	kept := filepath.Join(dir, "kept.html")
	if err := os.WriteFile(kept, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(kept, 0o604); err != nil {
		t.Fatal(err)
	}
	withUmask("077", kept)
	if page, err := os.ReadFile(kept); err != nil || !strings.Contains(string(page), "<!DOCTYPE html>") || mode(kept) != 0o604 {
		t.Errorf("the replaced report is %v (%v), want its mode 0604 kept and the page in it", mode(kept), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 {
		t.Errorf("the directory holds %d files, want the 4 reports and no temporary left", len(entries))
	}
}

// With --open and no file named, the page goes to the temporary directory,
// where other users could read a file of the usual mode: it is 0600.
func TestReportToOpenIsPrivate(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	path, err := writeOutput(io.Discard, reportFlags{open: true}, []byte("<!DOCTYPE html>"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || filepath.Dir(path) != tmp || info.Mode().Perm() != 0o600 {
		t.Fatalf("--open wrote %s (%v), want a 0600 file in %s", path, err, tmp)
	}
}

// A report that cannot be written says which file and, when it is the
// directory, what to check.
func TestReportToAMissingDirectorySaysWhatToCheck(t *testing.T) {
	out := filepath.Join(t.TempDir(), "no-such-dir", "drag.html")
	r := run(t, cleanEnv(t), "--demo", "--no-store", "report", "--format", "html", "-o", out)
	if r.code == 0 || !strings.Contains(r.stderr, "write the report to "+out) || !strings.Contains(r.stderr, "check that the directory exists and is writable") {
		t.Errorf("exit %d, stderr %s", r.code, r.stderr)
	}
}

func TestReportHTMLFlagsAreHTMLOnly(t *testing.T) {
	env := cleanEnv(t)
	for _, args := range [][]string{
		{"--demo", "report", "--people"},
		{"--demo", "report", "--format", "json", "--open"},
		{"--demo", "triage", "--format", "html"},
		{"--demo", "--no-store", "report", "--from-history"},
	} {
		if r := run(t, env, args...); r.code != 2 || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %.40q; want a usage error (2)", args, r.code, r.stdout)
		}
	}
}

// --from-history needs no credentials and sends no request: it shows the
// latest saved collection, and says what that collection did not read of
// a longer window.
func TestReportFromHistory(t *testing.T) {
	env := cleanEnv(t)
	if r := run(t, env, "report", "--format", "html", "--from-history"); r.code != 1 || !strings.Contains(r.stderr, "holds no saved collection") {
		t.Errorf("an empty history: exit %d, stderr %s", r.code, r.stderr)
	}
	if r := run(t, env, "--demo", "report", "--format", "json"); r.code != 0 {
		t.Fatalf("saving a demo run: exit %d, %s", r.code, r.stderr)
	}
	r := run(t, env, "--demo", "report", "--format", "html", "--from-history")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	for _, want := range []string{"from the history (collection saved", "(14 days)", "read back to", "partial"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the page from the history lacks %q", want)
		}
	}
	// Over the 7 days that collection read, nothing is missing.
	r = run(t, env, "--demo", "report", "--format", "text", "--from-history", "--since", "7d")
	if r.code != 0 || strings.Contains(r.stdout, "read back to") {
		t.Errorf("--since 7d from a 7-day collection: exit %d, says something is missing: %s", r.code, r.stdout)
	}
}
