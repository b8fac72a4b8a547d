package config

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/opsdrag/opsdrag/model"
)

// file is the config file's shape. Pointers tell "absent" from zero, so a
// default applies only where the user said nothing.
type file struct {
	Team struct {
		Name       string   `yaml:"name"`
		Engineers  *int     `yaml:"engineers"`
		HourlyCost *float64 `yaml:"hourly_cost"`
		Currency   string   `yaml:"currency"`
		Timezone   string   `yaml:"timezone"`
	} `yaml:"team"`
	GitHub struct {
		APIURL      string    `yaml:"api_url"`
		Repos       []string  `yaml:"repos"`
		Orgs        []string  `yaml:"orgs"`
		RepoFilter  string    `yaml:"repo_filter"`
		Branches    []string  `yaml:"branches"`
		InfraPaths  *[]string `yaml:"infra_paths"`
		InfraLabels *[]string `yaml:"infra_labels"`
		Concurrency *int      `yaml:"concurrency"`
		Timeout     string    `yaml:"timeout"`
	} `yaml:"github"`
	AWS struct {
		Profiles []string `yaml:"profiles"`
		Regions  []string `yaml:"regions"`
		Timeout  string   `yaml:"timeout"`
	} `yaml:"aws"`
	Drag struct {
		PipelineFailureMinutes *float64 `yaml:"pipeline_failure_minutes"`
		PipelineRerunMinutes   *float64 `yaml:"pipeline_rerun_minutes"`
		AlarmMinutes           *float64 `yaml:"alarm_minutes"`
		OffHoursMultiplier     *float64 `yaml:"off_hours_multiplier"`
		SleepHoursMultiplier   *float64 `yaml:"sleep_hours_multiplier"`
		InfraPRHours           *float64 `yaml:"infra_pr_hours"`
		WorkWeekHours          *float64 `yaml:"work_week_hours"`
	} `yaml:"drag"`
	Checklist struct {
		// EffortHours maps a component kind to the hours moving one of
		// its plan items takes.
		EffortHours map[string]float64 `yaml:"effort_hours"`
	} `yaml:"checklist"`
	Store struct {
		URL  string `yaml:"url"`
		User string `yaml:"user"`
	} `yaml:"store"`
}

// Error is a problem in a config file, located by line and key.
type Error struct {
	Path string
	Line int
	// Key is the dotted key at fault, e.g. "team.engineers"; empty for a
	// syntax error.
	Key string
	Msg string
}

func (e *Error) Error() string {
	loc := e.Path
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.Path, e.Line)
	}
	if e.Key != "" {
		return fmt.Sprintf("%s: %s: %s", loc, e.Key, e.Msg)
	}
	return fmt.Sprintf("%s: %s", loc, e.Msg)
}

// Parse reads a config file's contents. path is only used in errors.
func Parse(path string, data []byte) (Config, error) {
	cfg := Default()
	cfg.Path = path
	if strings.TrimSpace(string(data)) == "" {
		return cfg, nil
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return Config{}, yamlError(path, keyIndex{}, err)
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return cfg, nil // only comments, or an empty "---" document
	}
	for _, doc := range f.Docs[1:] {
		if doc.Body != nil {
			// A second document would otherwise be silently ignored.
			e := &Error{Path: path, Msg: "more than one YAML document (---): keep one configuration per file"}
			if t := doc.Body.GetToken(); t != nil {
				e.Line = t.Position.Line
			}
			return Config{}, e
		}
	}
	keys := indexKeys(f)
	v := validator{path: path, keys: keys}
	v.shape(f.Docs[0].Body)
	strict := len(v.errs) == 0 // else the keys found unknown are still in the document
	var raw file
	if err := decode(f.Docs[0].Body, &raw, strict); err != nil {
		v.errs = append(v.errs, yamlError(path, keys, err))
		return Config{}, v.joined()
	}
	v.apply(&cfg, raw)
	if len(v.errs) > 0 {
		return Config{}, v.joined()
	}
	return cfg, nil
}

// joined returns every problem found, in the order of the file's lines.
func (v *validator) joined() error {
	slices.SortStableFunc(v.errs, func(a, b error) int {
		var ea, eb *Error
		if !errors.As(a, &ea) || !errors.As(b, &eb) {
			return 0
		}
		return cmp.Compare(ea.Line, eb.Line)
	})
	return errors.Join(v.errs...)
}

// decode fills raw from the document body. go-yaml v1.19.2 panics on some
// malformed input (a list key whose value is a bare tag, "repos: !x"); a
// config file must give an error, never a crash.
func decode(body ast.Node, raw *file, strict bool) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("could not read the YAML (%v): look for a tag (!…) or anchor without a value", p)
		}
	}()
	if !strict {
		return yaml.NodeToValue(body, raw)
	}
	return yaml.NodeToValue(body, raw, yaml.DisallowUnknownField())
}

// keyIndex maps YAML positions to dotted key paths.
type keyIndex struct {
	byPath map[string]*token.Token
	byPos  map[[2]int]string
	byLine map[int]string
	// floats holds the keys whose value is a float literal, which the
	// decoder would silently truncate into a whole-number field.
	floats map[string]string
}

func indexKeys(f *ast.File) keyIndex {
	idx := keyIndex{byPath: map[string]*token.Token{}, byPos: map[[2]int]string{}, byLine: map[int]string{}, floats: map[string]string{}}
	var walk func(n ast.Node, prefix string)
	walk = func(n ast.Node, prefix string) {
		switch n := n.(type) {
		case *ast.MappingNode:
			for _, mv := range n.Values {
				walk(mv, prefix)
			}
		case *ast.MappingValueNode:
			key := strings.TrimPrefix(prefix+"."+n.Key.String(), ".")
			kt := n.Key.GetToken()
			idx.byPath[key] = kt
			idx.byLine[kt.Position.Line] = key
			idx.byPos[[2]int{kt.Position.Line, kt.Position.Column}] = key
			if vt := n.Value.GetToken(); vt != nil {
				idx.byPos[[2]int{vt.Position.Line, vt.Position.Column}] = key
				if n.Value.Type() == ast.FloatType {
					idx.floats[key] = vt.Value
				}
			}
			walk(n.Value, key)
		case *ast.SequenceNode:
			for i, item := range n.Values {
				key := fmt.Sprintf("%s[%d]", prefix, i)
				if t := item.GetToken(); t != nil {
					idx.byPath[key] = t
					idx.byPos[[2]int{t.Position.Line, t.Position.Column}] = key
					if _, taken := idx.byLine[t.Position.Line]; !taken {
						idx.byLine[t.Position.Line] = key
					}
				}
				walk(item, key)
			}
		case *ast.DocumentNode:
			walk(n.Body, prefix)
		}
	}
	for _, doc := range f.Docs {
		walk(doc, "")
	}
	return idx
}

// at finds the key at a token's position.
func (k keyIndex) at(t *token.Token) string {
	if t == nil {
		return ""
	}
	if key, ok := k.byPos[[2]int{t.Position.Line, t.Position.Column}]; ok {
		return key
	}
	return k.byLine[t.Position.Line]
}

// line returns the line a dotted key is on, 0 when absent.
func (k keyIndex) line(key string) int {
	if t, ok := k.byPath[key]; ok {
		return t.Position.Line
	}
	return 0
}

// yamlError turns a go-yaml error into one that names the line and key in
// words a user acts on.
func yamlError(path string, keys keyIndex, err error) error {
	var ye yaml.Error
	if !errors.As(err, &ye) {
		return &Error{Path: path, Msg: err.Error()}
	}
	tok := ye.GetToken()
	e := &Error{Path: path, Msg: ye.GetMessage()}
	if tok != nil {
		e.Line = tok.Position.Line
	}
	if keys.byPos != nil {
		e.Key = keys.at(tok)
	}
	var (
		unknown *yaml.UnknownFieldError
		typeErr *yaml.TypeError
		nodeErr *yaml.UnexpectedNodeTypeError
		syntax  *yaml.SyntaxError
	)
	switch {
	case errors.As(err, &unknown):
		e.Msg = unknownKeyMsg
	case errors.As(err, &typeErr):
		e.Msg = fmt.Sprintf("want %s, got %q", kindName(typeErr.DstType), tokenValue(tok))
	case errors.As(err, &nodeErr):
		e.Msg = strings.Replace(ye.GetMessage(), " was used where ", " given where a ", 1)
	case errors.As(err, &syntax):
		e.Key = ""
		e.Msg = "invalid YAML: " + ye.GetMessage()
	}
	return e
}

func tokenValue(t *token.Token) string {
	if t == nil {
		return ""
	}
	return t.Value
}

func kindName(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint64:
		return "a whole number"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.String:
		return "text"
	case reflect.Slice:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "a mapping of keys"
	case reflect.Bool:
		return "true or false"
	}
	return t.Kind().String()
}

// maxHourlyCost bounds team.hourly_cost far above any real rate, so the
// money arithmetic cannot overflow.
const maxHourlyCost = 100000

// validator checks values and collects every problem, not just the first.
type validator struct {
	path string
	keys keyIndex
	errs []error
}

func (v *validator) fail(key, format string, args ...any) {
	v.errs = append(v.errs, &Error{Path: v.path, Line: v.keys.line(key), Key: key, Msg: fmt.Sprintf(format, args...)})
}

// timeout reads a collection timeout at key: "" is zero (the collectors'
// default); anything else must be a duration from 1s to 2h.
func (v *validator) timeout(key, raw string) time.Duration {
	if raw == "" {
		return 0
	}
	d, err := time.ParseDuration(raw)
	switch {
	case err != nil:
		v.fail(key, "want a duration such as 15m or 90s, got %q", raw)
	case d < time.Second || d > 2*time.Hour:
		v.fail(key, "want 1s to 2h, got %s", d)
	default:
		return d
	}
	return 0
}

var (
	repoName   = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)
	ownerName  = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$`)
	regionName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)
	currency   = regexp.MustCompile(`^[A-Z]{3}$`)
)

func (v *validator) apply(cfg *Config, raw file) {
	t := raw.Team
	cfg.Team.Name = t.Name
	if t.Engineers != nil {
		if f, ok := v.keys.floats["team.engineers"]; ok {
			v.fail("team.engineers", "want a whole number of engineers, got %s", f)
		} else if *t.Engineers < 1 {
			v.fail("team.engineers", "want at least 1 engineer, got %d", *t.Engineers)
		}
		cfg.Team.Engineers = *t.Engineers
	}
	if t.HourlyCost != nil {
		if !(*t.HourlyCost > 0 && *t.HourlyCost <= maxHourlyCost) { // NaN and ±Inf fail too
			v.fail("team.hourly_cost", "want a positive loaded cost per engineer-hour up to %v (e.g. 95), got %v", maxHourlyCost, *t.HourlyCost)
		}
		cfg.Team.HourlyCost = *t.HourlyCost
	}
	if t.Currency != "" {
		if !currency.MatchString(t.Currency) {
			v.fail("team.currency", "want a three-letter ISO code such as USD or EUR, got %q", t.Currency)
		}
		cfg.Team.Currency = t.Currency
	}
	if t.Timezone != "" {
		loc, err := time.LoadLocation(t.Timezone)
		if err != nil {
			v.fail("team.timezone", "unknown time zone %q: use an IANA name such as Europe/Berlin or America/New_York", t.Timezone)
		} else {
			cfg.Team.Location = loc
		}
	}

	g := raw.GitHub
	if g.APIURL != "" {
		u, err := url.Parse(g.APIURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			v.fail("github.api_url", "want an http(s) URL such as https://github.example.com/api/v3/, got %q", g.APIURL)
		}
		cfg.GitHub.APIURL = g.APIURL
	}
	for i, r := range g.Repos {
		if !repoName.MatchString(r) {
			v.fail(fmt.Sprintf("github.repos[%d]", i), "want owner/name, got %q", r)
		}
	}
	cfg.GitHub.Repos = g.Repos
	for i, o := range g.Orgs {
		if !ownerName.MatchString(o) {
			v.fail(fmt.Sprintf("github.orgs[%d]", i), "want an organisation login such as acme, got %q", o)
		}
	}
	cfg.GitHub.Orgs = g.Orgs
	if g.RepoFilter != "" {
		if !doublestar.ValidatePattern(g.RepoFilter) {
			v.fail("github.repo_filter", "invalid glob %q", g.RepoFilter)
		}
		cfg.GitHub.RepoFilter = g.RepoFilter
	}
	cfg.GitHub.Branches = g.Branches
	if g.InfraPaths != nil {
		for i, p := range *g.InfraPaths {
			if !doublestar.ValidatePattern(p) {
				v.fail(fmt.Sprintf("github.infra_paths[%d]", i), "invalid glob %q (doublestar syntax: **/*.tf)", p)
			}
		}
		cfg.GitHub.InfraPaths = *g.InfraPaths
	}
	if g.InfraLabels != nil {
		cfg.GitHub.InfraLabels = *g.InfraLabels
	}
	if g.Concurrency != nil {
		if f, ok := v.keys.floats["github.concurrency"]; ok {
			v.fail("github.concurrency", "want a whole number of requests, got %s", f)
		} else if *g.Concurrency < 1 || *g.Concurrency > 50 {
			v.fail("github.concurrency", "want 1 to 50 requests in flight, got %d", *g.Concurrency)
		}
		cfg.GitHub.Concurrency = *g.Concurrency
	}
	cfg.GitHub.Timeout = v.timeout("github.timeout", g.Timeout)
	cfg.AWS.Timeout = v.timeout("aws.timeout", raw.AWS.Timeout)

	for i, r := range raw.AWS.Regions {
		if r == "all" {
			if len(raw.AWS.Regions) > 1 {
				v.fail(fmt.Sprintf("aws.regions[%d]", i), `"all" stands alone: list regions or write [all]`)
			}
			continue
		}
		if !regionName.MatchString(r) {
			v.fail(fmt.Sprintf("aws.regions[%d]", i), "want a region such as us-east-1 (or all), got %q", r)
		}
	}
	cfg.AWS.Regions = raw.AWS.Regions
	for i, p := range raw.AWS.Profiles {
		if strings.TrimSpace(p) == "" {
			v.fail(fmt.Sprintf("aws.profiles[%d]", i), "empty profile name")
		}
	}
	cfg.AWS.Profiles = raw.AWS.Profiles

	d := raw.Drag
	a := &cfg.Assumptions
	for _, f := range []struct {
		key string
		val *float64
		dst *float64
		min float64
		max float64
	}{
		// The ceilings only keep absurd values (1e308) from overflowing
		// the arithmetic; no sensible setting comes near them.
		{"drag.pipeline_failure_minutes", d.PipelineFailureMinutes, &a.PipelineFailureMinutes, 0, 10080},
		{"drag.pipeline_rerun_minutes", d.PipelineRerunMinutes, &a.PipelineRerunMinutes, 0, 10080},
		{"drag.alarm_minutes", d.AlarmMinutes, &a.AlarmMinutes, 0, 10080},
		{"drag.off_hours_multiplier", d.OffHoursMultiplier, &a.OffHoursMultiplier, 1, 100},
		{"drag.sleep_hours_multiplier", d.SleepHoursMultiplier, &a.SleepHoursMultiplier, 1, 100},
		{"drag.infra_pr_hours", d.InfraPRHours, &a.InfraPRHours, 0, 1000},
		{"drag.work_week_hours", d.WorkWeekHours, &a.WorkWeekHours, 1, 168},
	} {
		if f.val == nil {
			continue
		}
		if !(*f.val >= f.min && *f.val <= f.max) { // NaN and ±Inf fail too
			v.fail(f.key, "want a number from %v to %v, got %v", f.min, f.max, *f.val)
		}
		*f.dst = *f.val
	}

	if u := raw.Store.URL; u != "" {
		if msg := CheckStoreURL(u); msg != "" {
			v.fail("store.url", "%s", msg)
		} else if pu, _ := url.Parse(u); hasPassword(pu) {
			v.fail("store.url", "holds a password: a config file is no place for one; use ~/.pgpass, PGPASSWORD, or the whole URL in %s", EnvStoreURL)
		}
		cfg.Store.URL = u
	}
	cfg.Store.User = strings.TrimSpace(raw.Store.User)

	kinds := model.PlanKinds()
	for _, k := range slices.Sorted(maps.Keys(raw.Checklist.EffortHours)) {
		h := raw.Checklist.EffortHours[k]
		key := "checklist.effort_hours." + k
		switch {
		case !slices.Contains(kinds, model.Kind(k)):
			names := make([]string, len(kinds))
			for i, kind := range kinds {
				names[i] = string(kind)
			}
			v.fail(key, "unknown component kind %q: use one of %s", k, strings.Join(names, ", "))
		case !(h >= 0 && h <= maxEffortHours): // NaN and ±Inf fail too
			v.fail(key, "want hours from 0 to %v, got %v", maxEffortHours, h)
		default:
			cfg.Effort[model.Kind(k)] = h
		}
	}
}

// maxEffortHours bounds an effort estimate: a year of one engineer's work.
const maxEffortHours = 2000

// CheckStoreURL says what is wrong with a shared store's URL, "" when
// nothing is.
func CheckStoreURL(u string) string {
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "postgres" && pu.Scheme != "postgresql") || pu.Host == "" {
		return "want a PostgreSQL URL such as postgres://opsdrag@db.example.com:5432/opsdrag?sslmode=verify-full (docs/store.md)"
	}
	return ""
}

func hasPassword(u *url.URL) bool {
	if u == nil {
		return false
	}
	_, set := u.User.Password()
	return set || u.Query().Has("password")
}
