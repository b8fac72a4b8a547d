package main

import (
	"testing"

	"github.com/opsdrag/opsdrag/config"
)

func TestMarkerOrder(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	git := func(s string) func() string { return func() string { return s } }
	withUser := config.Config{Store: config.Store{User: "lead@example.com"}}
	for _, tc := range []struct {
		name   string
		cfg    config.Config
		getenv func(string) string
		git    func() string
		want   string
	}{
		{"OPSDRAG_USER wins", withUser, env(map[string]string{"OPSDRAG_USER": "oncall@example.com", "USER": "ana"}), git("ana@example.com"), "oncall@example.com"},
		{"then store.user", withUser, env(map[string]string{"USER": "ana"}), git("ana@example.com"), "lead@example.com"},
		{"then git's user.email", config.Config{}, env(map[string]string{"USER": "ana"}), git("ana@example.com\n"), "ana@example.com"},
		{"then $USER", config.Config{}, env(map[string]string{"USER": "ana"}), git(""), "ana"},
		{"nobody", config.Config{}, env(nil), git(""), ""},
		{"cleaned", config.Config{}, env(map[string]string{"OPSDRAG_USER": "ana\x1b[31m"}), git(""), "ana"},
	} {
		if got := marker(tc.cfg, tc.getenv, tc.git); got != tc.want {
			t.Errorf("%s: marker = %q, want %q", tc.name, got, tc.want)
		}
	}
}
