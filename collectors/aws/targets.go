package awscollect

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/internal/applog"
	"github.com/opsdrag/opsdrag/model"
)

// target is one place opsdrag reads: an account in a region, reached
// through a profile. Global services (IAM, CloudFront, Cost Explorer) are
// read once per account, through its home region.
type target struct {
	Profile string
	Account string
	Region  string
	cfg     aws.Config
	// global marks an account's target for its global services.
	global bool
}

// resolution is where a refresh reads: every (account, region) pair once,
// every account once, and what went wrong with the profiles that failed.
type resolution struct {
	pairs    []target
	accounts []target
	warnings []string
}

// resolver resolves profiles into accounts and regions once per refresh and
// shares the answer between the four collectors: they are called with the
// same window, so the window identifies the refresh. A cancelled resolution
// is not kept, so the next caller tries again.
type resolver struct {
	e    *env
	lock chan struct{}
	have bool
	key  model.Window
	res  resolution
	err  error
}

func newResolver(e *env) *resolver { return &resolver{e: e, lock: make(chan struct{}, 1)} }

func (r *resolver) resolve(ctx context.Context, w model.Window) (resolution, error) {
	select {
	case r.lock <- struct{}{}:
	case <-ctx.Done():
		return resolution{}, ctx.Err()
	}
	defer func() { <-r.lock }()
	if r.have && r.key.Since.Equal(w.Since) && r.key.Until.Equal(w.Until) {
		return r.res, r.err
	}
	res, err := r.resolveAll(ctx)
	if ctx.Err() == nil {
		r.have, r.key, r.res, r.err = true, w, res, err
	}
	return res, err
}

// profileResult is one profile's account, regions and configuration, or
// what went wrong.
type profileResult struct {
	profile string
	account string
	cfg     aws.Config
	regions []string
	prob    *problem
	// failure says what went wrong, with the fix, for people.
	failure string
}

// skipHint is shown when nothing says AWS is in use.
const skipHint = "no AWS credentials found: run `aws configure` or `aws sso login`, or list profiles in aws.profiles"

// profilesToRead are the profiles to read: those configured, else the
// default chain's (""). ok is false when nothing says AWS is in use:
// without this check the SDK's chain would end by probing the EC2
// instance metadata endpoint on a laptop that has none.
func (e *env) profilesToRead() (profiles []string, ok bool) {
	if len(e.cfg.Profiles) > 0 {
		return e.cfg.Profiles, true
	}
	if e.defaultLoad && len(e.cfg.Regions) == 0 && !credentialSourcePresent() {
		return nil, false
	}
	return []string{""}, true
}

func (r *resolver) resolveAll(ctx context.Context) (resolution, error) {
	profiles, ok := r.e.profilesToRead()
	if !ok {
		return resolution{}, collectors.Skip(skipHint)
	}
	results := concurrently(ctx, profiles, func(p string) profileResult { return r.resolveProfile(ctx, p) })

	var res resolution
	seenPair, seenAccount := map[string]bool{}, map[string]bool{}
	var failures []profileResult
	for _, pr := range results {
		if pr.failure != "" {
			failures = append(failures, pr)
			continue
		}
		if !seenAccount[pr.account] {
			seenAccount[pr.account] = true
			res.accounts = append(res.accounts, target{Profile: pr.profile, Account: pr.account, Region: pr.cfg.Region, cfg: pr.cfg})
		}
		// Two profiles that reach the same account (say, two roles) would
		// count every alarm and resource twice: the first one listed wins.
		for _, region := range pr.regions {
			if key := pr.account + "/" + region; !seenPair[key] {
				seenPair[key] = true
				cfg := pr.cfg.Copy()
				cfg.Region = region
				res.pairs = append(res.pairs, target{Profile: pr.profile, Account: pr.account, Region: region, cfg: cfg})
			}
		}
	}
	for _, f := range failures {
		res.warnings = append(res.warnings, f.failure)
	}
	if len(res.pairs) > 0 {
		return res, nil
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	if len(failures) > 0 && !slices.ContainsFunc(failures, func(f profileResult) bool {
		return f.prob == nil || f.prob.kind != kindNoCredentials
	}) {
		return res, collectors.Skip(failures[0].failure)
	}
	return res, errors.New(strings.Join(unique(res.warnings), "; "))
}

func (r *resolver) resolveProfile(ctx context.Context, profile string) profileResult {
	// Messages name the profile the SDK will use, so that the fix they
	// give (`aws sso login --profile X`) is the right one.
	name := profile
	if name == "" && r.e.defaultLoad {
		name = os.Getenv("AWS_PROFILE")
	}
	pr := profileResult{profile: name}
	fail := func(p problem) profileResult {
		pr.prob = &p
		if p.credential() {
			pr.failure = p.message(name)
		} else {
			pr.failure = who(name) + ": " + p.message(name)
		}
		return pr
	}
	cfg, err := r.e.opts.LoadConfig(ctx, profile, "")
	if err != nil {
		return fail(classify(err))
	}
	regions := r.e.cfg.Regions
	all := len(regions) == 1 && regions[0] == "all"
	if cfg.Region == "" {
		switch {
		case all:
			// Any enabled region answers DescribeRegions for the account.
			cfg.Region = "us-east-1"
		case len(regions) > 0:
			cfg.Region = regions[0]
		default:
			return fail(problem{text: "no region: set aws.regions in the opsdrag config, or region in ~/.aws/config (or AWS_REGION)"})
		}
	}
	cfg = prepare(cfg, r.e.allowed, r.e.sem, r.e.opts.Backoff)
	if log := r.e.opts.Log; log != nil {
		cfg.HTTPClient = applog.Client(cfg.HTTPClient, log)
		cfg.Logger = sdkLogger(log)
	}
	if cfg.Credentials == nil {
		return fail(problem{kind: kindNoCredentials})
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		p := classify(err)
		if !p.credential() && p.kind != kindCancelled {
			p = problem{text: "could not get credentials: " + p.message(name)}
		}
		return fail(p)
	}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return fail(classify(err))
	}
	pr.account, pr.cfg = aws.ToString(id.Account), cfg
	switch {
	case all:
		out, err := ec2.NewFromConfig(cfg).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
		if err != nil {
			return fail(classify(err))
		}
		for _, reg := range out.Regions {
			if aws.ToString(reg.OptInStatus) != "not-opted-in" && aws.ToString(reg.RegionName) != "" {
				pr.regions = append(pr.regions, aws.ToString(reg.RegionName))
			}
		}
		slices.Sort(pr.regions)
	case len(regions) > 0:
		pr.regions = regions
	default:
		pr.regions = []string{cfg.Region}
	}
	return pr
}

// credentialSourcePresent reports whether anything on this machine says
// AWS credentials are set up: credential environment variables, a profile
// name, a web identity or container credentials, or an AWS config or
// credentials file.
func credentialSourcePresent() bool {
	for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"} {
		if os.Getenv(v) != "" {
			return true
		}
	}
	home, _ := os.UserHomeDir()
	for env, def := range map[string]string{"AWS_CONFIG_FILE": "config", "AWS_SHARED_CREDENTIALS_FILE": "credentials"} {
		path := os.Getenv(env)
		if path == "" && home != "" {
			path = filepath.Join(home, ".aws", def)
		}
		if st, err := os.Stat(path); path != "" && err == nil && !st.IsDir() {
			return true
		}
	}
	return false
}

func unique(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
