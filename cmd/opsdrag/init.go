package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	awscollect "github.com/opsdrag/opsdrag/collectors/aws"
	ghcollect "github.com/opsdrag/opsdrag/collectors/github"
	"github.com/opsdrag/opsdrag/config"
)

// initFlags are init's answers given on the command line; in a terminal
// they are the forms' defaults.
type initFlags struct {
	answers  config.Answers
	noInput  bool
	force    bool
	noDoctor bool
}

func newInitCmd(g *globalFlags) *cobra.Command {
	var f initFlags
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter config for your team, then check it with opsdrag doctor",
		Long: `Asks, in the terminal, what opsdrag should watch and writes a commented config file at
$XDG_CONFIG_HOME/opsdrag/config.yaml (or --config, or $OPSDRAG_CONFIG), mode 0600.

It finds a GitHub token as opsdrag does (GITHUB_TOKEN, GH_TOKEN, gh auth token) and offers the
organisations and repositories it can see; the AWS profiles of ~/.aws/config and credentials
and the regions where they have resources (or all); the team's size, hourly cost and time
zone (the machine's by default). No token or key is ever written to the file.

Every question has a flag, and --no-input takes the flags alone, for scripts. An existing
file is never overwritten without --force, which keeps it as a .bak file beside the new one.
init ends by running opsdrag doctor and exits with its status.`,
		Example: `  opsdrag init
  opsdrag init --no-input --github-org acme --aws-profile prod --aws-region all --engineers 6 --hourly-cost 95
  opsdrag init --config ./team.yaml --force`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			return runInit(ctx, *g, f, cmd.OutOrStdout())
		},
	}
	fl := cmd.Flags()
	a := &f.answers
	fl.StringSliceVar(&a.Orgs, "github-org", nil, "GitHub organisation to watch (repeat or comma-separate)")
	fl.StringSliceVar(&a.Repos, "github-repo", nil, "GitHub repository to watch, owner/name (repeat or comma-separate)")
	fl.StringVar(&a.GitHubAPIURL, "github-api-url", os.Getenv("GITHUB_API_URL"), "GitHub Enterprise Server API URL, https://HOST/api/v3/")
	fl.StringSliceVar(&a.Profiles, "aws-profile", nil, "AWS profile to read (repeat or comma-separate)")
	fl.StringSliceVar(&a.Regions, "aws-region", nil, "AWS region to read (repeat or comma-separate), or all")
	fl.StringVar(&a.TeamName, "team-name", "", "team name shown in the header")
	fl.IntVar(&a.Engineers, "engineers", 0, "people on the team")
	fl.Float64Var(&a.HourlyCost, "hourly-cost", 0, "loaded cost of one engineer-hour")
	fl.StringVar(&a.Currency, "currency", "USD", "ISO code of --hourly-cost")
	fl.StringVar(&a.Timezone, "timezone", localZoneName(), "the team's IANA time zone")
	fl.BoolVar(&f.noInput, "no-input", false, "ask nothing: take the flags alone")
	fl.BoolVar(&f.force, "force", false, "replace an existing file, keeping it as a .bak file")
	fl.BoolVar(&f.noDoctor, "no-doctor", false, "do not run opsdrag doctor after writing the file")
	return cmd
}

func runInit(ctx context.Context, g globalFlags, f initFlags, out io.Writer) error {
	path, err := initPath(g.configPath)
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil && !f.force {
		return usageError{fmt.Errorf("%s already exists: opsdrag init never overwrites it; edit it, check it with opsdrag doctor, or pass --force (the old file is kept as a .bak)", path)}
	}
	a := f.answers
	if !f.noInput {
		if !term.IsTerminal(os.Stdin.Fd()) {
			return usageError{errors.New("opsdrag init asks its questions in a terminal: pass --no-input with the answers as flags (see opsdrag init --help)")}
		}
		if a, err = askInit(ctx, a, out); err != nil {
			return err
		}
	}
	data := config.Starter(a)
	if _, err := config.Parse(path, data); err != nil {
		return usageError{fmt.Errorf("the answers do not make a valid config:\n%w", err)}
	}
	backup, err := writeConfigFile(path, data, f.force)
	if err != nil {
		return err
	}
	if backup != "" {
		fmt.Fprintf(out, "Kept the previous file as %s\n", backup)
	}
	fmt.Fprintf(out, "Wrote %s\n", path)
	if f.noDoctor {
		return nil
	}
	fmt.Fprintln(out, "\nChecking it with opsdrag doctor:")
	g.configPath = path
	return runDoctor(ctx, g, "text", out)
}

// initPath is where init writes: --config, else $OPSDRAG_CONFIG, else the
// XDG path every command reads by default.
func initPath(explicit string) (string, error) {
	for _, p := range []string{explicit, os.Getenv(config.EnvConfig), config.DefaultPath()} {
		if p != "" {
			return filepath.Abs(p)
		}
	}
	return "", usageError{errors.New("no home directory to put the config in: pass --config FILE")}
}

// writeConfigFile writes data at path, mode 0600, through a temporary file
// renamed into place, so a crash never leaves half a config. With force,
// an existing file is first kept as path.bak (path.bak.2, … if taken).
func writeConfigFile(path string, data []byte, force bool) (backup string, err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".config-*.yaml")
	if err != nil {
		return "", fmt.Errorf("write the config in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return "", err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if _, err := os.Stat(path); err == nil {
		if !force {
			return "", usageError{fmt.Errorf("%s already exists: pass --force to replace it", path)}
		}
		backup = path + ".bak"
		for n := 2; fileExists(backup); n++ {
			backup = fmt.Sprintf("%s.bak.%d", path, n)
		}
		if err := os.Link(path, backup); err != nil {
			return "", fmt.Errorf("keep the previous config as %s: %w", backup, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return backup, nil
}

// localZoneName is the machine's IANA time zone: $TZ, else the zoneinfo
// file /etc/localtime links to; "" when neither says.
func localZoneName() string {
	if tz := strings.TrimPrefix(os.Getenv("TZ"), ":"); tz != "" {
		if _, err := time.LoadLocation(tz); err == nil && !filepath.IsAbs(tz) {
			return tz
		}
	}
	if target, err := filepath.EvalSymlinks("/etc/localtime"); err == nil {
		if _, name, ok := strings.Cut(target, "zoneinfo/"); ok {
			if _, err := time.LoadLocation(name); err == nil {
				return name
			}
		}
	}
	return ""
}

// discoverGitHub and discoverRegions are what the form offers; they are
// variables of nothing but the real discovery, passed to askInit.
func discoverGitHub(ctx context.Context, apiURL string) (ghcollect.Discovery, error) {
	return ghcollect.Discover(ctx, apiURL, ghcollect.Options{})
}

func discoverRegions(ctx context.Context, profile string) ([]string, error) {
	return awscollect.RegionsWithResources(ctx, profile, awscollect.Options{})
}
