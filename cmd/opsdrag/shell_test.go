package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Each shell's completion script is generated, and completes the commands.
func TestCompletionsForEachShell(t *testing.T) {
	for shell, marker := range map[string]string{"bash": "__start_opsdrag", "zsh": "#compdef opsdrag", "fish": "complete -c opsdrag"} {
		r := run(t, cleanEnv(t), "completion", shell)
		if r.code != 0 || !strings.Contains(r.stdout, marker) {
			t.Errorf("%s: exit %d, script lacks %q (%d bytes)", shell, r.code, marker, len(r.stdout))
		}
	}
	// What the scripts ask the binary for: the commands, flag values.
	r := run(t, cleanEnv(t), "__complete", "re")
	if !strings.Contains(r.stdout, "report") {
		t.Errorf("completing 're': %q", r.stdout)
	}
}

// The cask installs one man page per command: its list in .goreleaser.yaml
// is what `opsdrag man` writes, no more, no less.
func TestManPagesMatchTheCask(t *testing.T) {
	dir := t.TempDir()
	r := run(t, cleanEnv(t), "man", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("man: exit %d: %s", r.code, r.stderr)
	}
	entries, _ := os.ReadDir(dir)
	var written []string
	for _, e := range entries {
		written = append(written, "manpages/"+e.Name())
	}
	page, _ := os.ReadFile(filepath.Join(dir, "opsdrag-doctor.1"))
	if !strings.Contains(string(page), "opsdrag doctor") || !strings.Contains(string(page), ".SH EXAMPLE") {
		t.Errorf("the doctor page lacks its examples:\n%s", page)
	}
	yaml, err := os.ReadFile("../../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	listed := regexp.MustCompile(`(?m)^\s+- (manpages/\S+\.1)$`).FindAllStringSubmatch(string(yaml), -1)
	var cask []string
	for _, m := range listed {
		cask = append(cask, m[1])
	}
	slices.Sort(written)
	slices.Sort(cask)
	if !slices.Equal(written, cask) {
		t.Errorf("opsdrag man writes %v\nthe cask installs %v", written, cask)
	}
}
