package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// A script can trust the exit status: anything wrong with what was asked
// for is 2, never the 1 that means "no source succeeded", and the message
// suggests what was probably meant.
func TestUsageErrorsExit2WithASuggestion(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"reprot"}, []string{`unknown command "reprot"`, "Did you mean", "report"}},
		{[]string{"histroy", "--limit", "3"}, []string{`unknown command "histroy"`, "history"}},
		{[]string{"report", "--fromat", "json", "--demo"}, []string{"unknown flag: --fromat", "Did you mean", "--format"}},
		{[]string{"report", "--demo", "--sicne", "3d"}, []string{"unknown flag: --sicne", "--since"}},
		{[]string{"triage", "-x"}, []string{"unknown shorthand flag: 'x'", "opsdrag triage --help"}},
		{[]string{"history", "--limit", "many"}, []string{`invalid argument "many" for "-n, --limit"`}},
		{[]string{"report", "extra"}, []string{`"report" takes no arguments`, "extra"}},
		{[]string{"completion", "tcsh"}, []string{`"tcsh"`, "bash", "zsh", "fish"}},
	}
	for _, c := range cases {
		r := run(t, cleanEnv(t), c.args...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", c.args, r.code, r.stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", c.args, w, r.stderr)
			}
		}
		if r.stdout != "" {
			t.Errorf("%v: a usage error printed to stdout:\n%s", c.args, r.stdout)
		}
	}
}

func TestVersionFlag(t *testing.T) {
	flag := run(t, cleanEnv(t), "--version")
	cmd := run(t, cleanEnv(t), "version")
	if flag.code != 0 || flag.stdout != cmd.stdout || !strings.HasPrefix(flag.stdout, "opsdrag ") {
		t.Fatalf("--version = %+v, version = %+v", flag, cmd)
	}
}

// Every command's help has real examples and the root's lists the exit
// codes, the same table as the README's.
func TestHelpHasExamplesAndExitCodes(t *testing.T) {
	root := newRootCmd()
	for _, c := range root.Commands() {
		if c.Hidden || c.Name() == "help" {
			continue
		}
		if n := strings.Count(c.Example, "opsdrag "); n < 2 {
			t.Errorf("%s: %d examples in --help, want 2 or 3", c.Name(), n)
		}
	}
	r := run(t, cleanEnv(t), "--help")
	if r.code != 0 {
		t.Fatalf("--help: exit %d", r.code)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range exitCodes() {
		row := regexp.MustCompile(`(?m)^\s*` + regexpQuote(e.code) + `\s+` + regexpQuote(e.meaning) + `$`)
		if !row.MatchString(r.stdout) {
			t.Errorf("--help lacks exit code %s %q:\n%s", e.code, e.meaning, r.stdout)
		}
		if !strings.Contains(string(readme), "| "+e.code+" | "+e.meaning+" |") {
			t.Errorf("README lacks the row | %s | %s |", e.code, e.meaning)
		}
	}
}

func regexpQuote(s string) string { return regexp.QuoteMeta(s) }
