package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
)

// marker says who sets marks from this environment: OPSDRAG_USER, else
// store.user, else git's user.email, else $USER; "" when none says.
func marker(cfg config.Config, getenv func(string) string, gitEmail func() string) string {
	for _, who := range []func() string{
		func() string { return getenv(config.EnvUser) },
		func() string { return cfg.Store.User },
		gitEmail,
		func() string { return getenv("USER") },
	} {
		if w := strings.TrimSpace(who()); w != "" {
			return model.CleanText(w)
		}
	}
	return ""
}

// gitUserEmail is `git config user.email`, "" without git or a setting.
func gitUserEmail() string {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "config", "--get", "user.email").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// markBy is a mark set now by who.
func markBy(who string) model.Mark { return model.Mark{By: who, At: time.Now()} }

// envMarker is marker from the process's environment.
func envMarker(cfg config.Config) string { return marker(cfg, os.Getenv, gitUserEmail) }
