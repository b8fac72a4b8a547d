package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"charm.land/huh/v2"

	awscollect "github.com/opsdrag/opsdrag/collectors/aws"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/tui"
)

// askInit asks init's questions in forms, starting from what the flags
// said, and returns the answers. Discovery (what the token sees, where the
// profiles have resources) happens between the forms.
func askInit(ctx context.Context, a config.Answers, out io.Writer) (config.Answers, error) {
	theme := formTheme(os.Getenv("NO_COLOR") != "")
	run := func(groups ...*huh.Group) error {
		err := huh.NewForm(groups...).WithTheme(theme).WithOutput(out).RunWithContext(ctx)
		if errors.Is(err, huh.ErrUserAborted) {
			return errors.New("init cancelled: nothing was written")
		}
		return err
	}

	// GitHub: where, then what the token sees there.
	if err := run(huh.NewGroup(
		huh.NewInput().Title("GitHub API URL").
			Description("Empty for github.com; https://HOST/api/v3/ for GitHub Enterprise Server.").
			Value(&a.GitHubAPIURL).Validate(optionalURL),
	)); err != nil {
		return a, err
	}
	fmt.Fprintln(out, "Looking for a GitHub token and what it can see…")
	d, err := discoverGitHub(ctx, a.GitHubAPIURL)
	var gh []huh.Field
	switch {
	case err != nil:
		gh = append(gh, huh.NewNote().Title("GitHub").Description("The token did not work: "+err.Error()+"\nopsdrag doctor will say how to fix it; name what to watch anyway."))
	case d.TokenSource == "":
		gh = append(gh, huh.NewNote().Title("GitHub").Description("No token found (`GITHUB_TOKEN`, `GH_TOKEN`, `gh auth token`). Set one or run `gh auth login`;\nname what to watch anyway."))
	default:
		who := "token from " + d.TokenSource
		if d.Login != "" {
			who += ", signed in as " + d.Login
		}
		gh = append(gh, huh.NewNote().Title("GitHub").Description(fmt.Sprintf("Using the %s: %d organisations, %d repositories visible.", who, len(d.Orgs), len(d.Repos))))
	}
	if len(d.Orgs) > 0 {
		gh = append(gh, huh.NewMultiSelect[string]().Title("Organisations to watch (every active repository)").
			Options(huh.NewOptions(union(d.Orgs, a.Orgs)...)...).Value(&a.Orgs).Filterable(true).Height(8))
	} else {
		gh = append(gh, commaList("Organisations to watch (comma-separated)", &a.Orgs))
	}
	if len(d.Repos) > 0 {
		gh = append(gh, huh.NewMultiSelect[string]().Title("Repositories to watch besides those (/ filters)").
			Options(huh.NewOptions(union(d.Repos, a.Repos)...)...).Value(&a.Repos).Filterable(true).Height(10))
	} else {
		gh = append(gh, commaList("Repositories to watch, owner/name (comma-separated)", &a.Repos))
	}

	// AWS: the profiles, then the regions where they have resources.
	var aws []huh.Field
	if profiles := awscollect.Profiles(); len(profiles) > 0 {
		aws = append(aws, huh.NewMultiSelect[string]().Title("AWS profiles to read (none: the default credentials)").
			Options(huh.NewOptions(union(profiles, a.Profiles)...)...).Value(&a.Profiles).Height(8))
	} else {
		aws = append(aws, huh.NewNote().Title("AWS").Description("No profile in ~/.aws/config or credentials: opsdrag uses the default credential chain."))
	}
	if err := run(huh.NewGroup(gh...), huh.NewGroup(aws...)); err != nil {
		return a, err
	}

	if len(a.Regions) == 0 {
		fmt.Fprintln(out, "Looking for the regions where the accounts have resources…")
		found, problems := regionsOf(ctx, a.Profiles)
		desc := "Regions with alarms, clusters, functions, databases, queues or instances are selected."
		if len(problems) > 0 {
			desc += "\nNot searched: " + strings.Join(problems, "; ")
		}
		a.Regions = found
		opts := huh.NewOptions(union([]string{"all"}, found, awsRegions)...)
		if err := run(huh.NewGroup(huh.NewMultiSelect[string]().Title("AWS regions to read (all: every enabled region)").
			Description(desc).Options(opts...).Value(&a.Regions).Filterable(true).Height(10).
			Validate(func(rs []string) error {
				if slices.Contains(rs, "all") && len(rs) > 1 {
					return errors.New(`"all" stands alone: unselect the other regions or "all"`)
				}
				return nil
			}))); err != nil {
			return a, err
		}
	}

	// The team.
	var engineers, cost string
	if a.Engineers > 0 {
		engineers = strconv.Itoa(a.Engineers)
	}
	if a.HourlyCost > 0 {
		cost = strconv.FormatFloat(a.HourlyCost, 'f', -1, 64)
	}
	if err := run(huh.NewGroup(
		huh.NewInput().Title("Team name").Value(&a.TeamName),
		huh.NewInput().Title("Engineers on the team").Description("For the team's share of capacity.").Value(&engineers).Validate(optionalInt),
		huh.NewInput().Title("Loaded cost of one engineer-hour").Description("For the monthly cost; e.g. 95.").Value(&cost).Validate(optionalFloat),
		huh.NewInput().Title("Currency of that cost").Value(&a.Currency).Validate(optionalCurrency),
		huh.NewInput().Title("Time zone").Description("IANA name: off-hours and sleep-hour pages are counted in it.").Value(&a.Timezone).Validate(optionalZone),
	)); err != nil {
		return a, err
	}
	a.Engineers, _ = strconv.Atoi(strings.TrimSpace(engineers))
	a.HourlyCost, _ = strconv.ParseFloat(strings.TrimSpace(cost), 64)
	return a, nil
}

// regionsOf asks each profile's account where it has resources, all at
// once; a profile that cannot be asked is said, not fatal.
func regionsOf(ctx context.Context, profiles []string) (found, problems []string) {
	if len(profiles) == 0 {
		profiles = []string{""}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, p := range profiles {
		wg.Go(func() {
			rs, err := discoverRegions(ctx, p)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				problems = append(problems, err.Error())
				return
			}
			found = union(found, rs)
		})
	}
	wg.Wait()
	slices.Sort(found)
	return found, problems
}

// awsRegions are the commercial regions offered besides those found.
var awsRegions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
	"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1",
	"ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "me-south-1", "af-south-1",
}

// formTheme is huh's base theme in the interface's own palette.
func formTheme(noColor bool) huh.Theme {
	return huh.ThemeFunc(func(isDark bool) *huh.Styles {
		s := tui.NewStyles(isDark, noColor)
		t := huh.ThemeBase(isDark)
		for _, f := range []*huh.FieldStyles{&t.Focused, &t.Blurred} {
			f.Title = s.Title
			f.Description = s.Muted
			f.ErrorIndicator, f.ErrorMessage = s.Bad, s.Bad
			f.SelectSelector, f.MultiSelectSelector = s.Brand, s.Brand
			f.SelectedOption, f.SelectedPrefix = s.Good, s.Good
			f.UnselectedPrefix = s.Muted
			f.NoteTitle = s.Brand
			f.TextInput.Prompt = s.Brand
			f.TextInput.Placeholder = s.Muted
		}
		t.Focused.Title = s.Brand
		t.Blurred.Title = s.Muted
		return t
	})
}

// commaList is a text field for a list, split at commas when the form ends.
func commaList(title string, dst *[]string) huh.Field {
	text := strings.Join(*dst, ", ")
	return huh.NewInput().Title(title).Value(&text).Validate(func(s string) error {
		*dst = nil
		for _, item := range strings.Split(s, ",") {
			if item = strings.TrimSpace(item); item != "" {
				*dst = append(*dst, item)
			}
		}
		return nil
	})
}

// union returns the items of the lists, each once, in first-seen order.
func union(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		for _, s := range l {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

func optionalURL(s string) error {
	if s = strings.TrimSpace(s); s == "" || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
		return nil
	}
	return errors.New("want an http(s) URL such as https://github.example.com/api/v3/, or nothing")
}

func optionalInt(s string) error {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	if n, err := strconv.Atoi(s); err != nil || n < 1 {
		return errors.New("want a whole number of engineers, at least 1")
	}
	return nil
}

func optionalFloat(s string) error {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	if f, err := strconv.ParseFloat(s, 64); err != nil || f <= 0 || f > 100000 {
		return errors.New("want a positive number such as 95")
	}
	return nil
}

func optionalCurrency(s string) error {
	if s == "" || (len(s) == 3 && strings.ToUpper(s) == s) {
		return nil
	}
	return errors.New("want a three-letter ISO code such as USD or EUR")
}

func optionalZone(s string) error {
	if s == "" {
		return nil
	}
	if _, err := time.LoadLocation(s); err != nil {
		return errors.New("unknown time zone: use an IANA name such as Europe/Berlin")
	}
	return nil
}
