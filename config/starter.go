package config

import (
	"fmt"
	"strconv"
	"strings"
)

// Answers are what opsdrag init asked; empty and zero values are written
// as commented-out examples, so the file shows every main key.
type Answers struct {
	TeamName   string
	Engineers  int
	HourlyCost float64
	Currency   string
	Timezone   string

	GitHubAPIURL string
	Orgs         []string
	Repos        []string

	Profiles []string
	// Regions are the regions to read, or ["all"].
	Regions []string
}

// Starter renders a commented starter config from a. The result always
// parses (a test holds Starter to it for every kind of answer); it never
// holds a credential.
func Starter(a Answers) []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# opsdrag configuration, written by opsdrag init.\n")
	w("# Every key: docs/configuration.md. Check it with: opsdrag doctor\n")
	w("# Credentials never go in this file: opsdrag reads GITHUB_TOKEN / gh auth token and\n")
	w("# your AWS profiles, as the gh and aws CLIs do.\n\n")

	w("team:\n")
	writeScalar(&b, "name", quote(a.TeamName), "payments", "shown in the header")
	writeScalar(&b, "engineers", intOr(a.Engineers), "6", "people on the team: the team share of capacity")
	writeScalar(&b, "hourly_cost", floatOr(a.HourlyCost), "95", "loaded cost of one engineer-hour: the monthly cost")
	writeScalar(&b, "currency", quote(a.Currency), "USD", "ISO code of hourly_cost")
	writeScalar(&b, "timezone", quote(a.Timezone), "Europe/Berlin", "IANA zone: off-hours and sleep-hour pages")

	w("\ngithub:\n")
	if a.GitHubAPIURL != "" {
		writeScalar(&b, "api_url", quote(a.GitHubAPIURL), "", "GitHub Enterprise Server")
	} else {
		w("  # api_url: https://github.example.com/api/v3/   # GitHub Enterprise Server only\n")
	}
	writeList(&b, "orgs", a.Orgs, "acme", "every active repository of these organisations")
	writeList(&b, "repos", a.Repos, "acme/api", "and these repositories (owner/name)")
	w("  # repo_filter: \"svc-*\"       # only org repositories whose name matches\n")
	w("  # branches: [main]           # default: each repository's default branch\n")

	w("\naws:\n")
	writeList(&b, "profiles", a.Profiles, "prod", "from ~/.aws/config; none: the default credential chain")
	writeList(&b, "regions", a.Regions, "us-east-1", "or [all]: every enabled region")

	w("\n# How the drag is charged (the defaults shown): docs/ledger.md\n")
	w("# drag:\n")
	w("#   pipeline_failure_minutes: 20\n#   pipeline_rerun_minutes: 5\n#   alarm_minutes: 30\n")
	w("#   off_hours_multiplier: 1.5\n#   sleep_hours_multiplier: 2\n#   infra_pr_hours: 2\n#   work_week_hours: 40\n")
	return []byte(b.String())
}

// writeScalar writes "  key: value   # why", or the example commented out
// when there is no value.
func writeScalar(b *strings.Builder, key, value, example, why string) {
	if value == "" {
		fmt.Fprintf(b, "  # %s: %s   # %s\n", key, example, why)
		return
	}
	fmt.Fprintf(b, "  %s: %s   # %s\n", key, value, why)
}

func writeList(b *strings.Builder, key string, items []string, example, why string) {
	if len(items) == 0 {
		fmt.Fprintf(b, "  # %s: [%s]   # %s\n", key, example, why)
		return
	}
	fmt.Fprintf(b, "  %s:   # %s\n", key, why)
	for _, it := range items {
		fmt.Fprintf(b, "    - %s\n", quote(it))
	}
}

// quote writes a string as a double-quoted YAML scalar (the JSON escapes
// are valid YAML), "" for an empty one.
func quote(s string) string {
	if s == "" {
		return ""
	}
	return strconv.Quote(s)
}

func intOr(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func floatOr(f float64) string {
	if f == 0 {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
