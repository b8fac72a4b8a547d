package github

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"time"
)

// ghTimeout bounds `gh auth token`, which may read the system keyring.
const ghTimeout = 5 * time.Second

// token is a credential and where it came from; the source, never the
// value, is what messages name.
type token struct {
	value  string
	source string
}

// lookupToken finds a token the way gh users expect: GITHUB_TOKEN, then
// GH_TOKEN, then `gh auth token` for the API's host when the gh CLI is
// installed. host is the web host ("github.com" or a GHES host).
func lookupToken(ctx context.Context, host string) token {
	for _, env := range []string{"GITHUB_TOKEN", "GH_TOKEN"} {
		if v := strings.TrimSpace(os.Getenv(env)); v != "" {
			return token{value: v, source: env}
		}
	}
	gh, err := exec.LookPath("gh")
	if err != nil {
		return token{}
	}
	ctx, cancel := context.WithTimeout(ctx, ghTimeout)
	defer cancel()
	args := []string{"auth", "token"}
	if host != "" && host != "github.com" {
		args = append(args, "--hostname", host)
	}
	cmd := exec.CommandContext(ctx, gh, args...)
	cmd.Stdin, cmd.Stderr = nil, nil
	out, err := cmd.Output()
	if err != nil {
		return token{}
	}
	v := strings.TrimSpace(string(out))
	if v == "" || strings.ContainsAny(v, " \t\r\n") {
		return token{}
	}
	return token{value: v, source: "`gh auth token`"}
}
