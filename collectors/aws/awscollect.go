// Package awscollect reads a team's AWS accounts: CloudWatch alarms and
// their history, CodePipeline runs, the Cost Explorer invoice and an
// inventory of what the team operates. It uses the credentials the team
// already has (profiles, SSO, assumed roles, AWS_ENDPOINT_URL) and only ever
// calls the read operations listed in iam-policy.json.
package awscollect

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"golang.org/x/sync/semaphore"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
)

// Collector names.
const (
	NameAlarms       = "aws/alarms"
	NameCodePipeline = "aws/codepipeline"
	NameCost         = "aws/cost"
	NameInventory    = "aws/inventory"
)

// Options tunes the AWS collectors. The zero value works, but without
// CacheDir every refresh asks Cost Explorer again, and AWS charges for each
// request.
type Options struct {
	// CacheDir holds answers worth keeping between runs (the daily Cost
	// Explorer answer, which AWS charges for); empty disables the cache.
	CacheDir string
	// Now tells the time; nil means time.Now.
	Now func() time.Time
	// LoadConfig returns the SDK configuration of a profile ("" = the
	// default chain); region, when set, overrides the profile's. Nil means
	// config.LoadDefaultConfig, with WithSharedConfigProfile for a named
	// profile. Tests inject endpoints and credentials here.
	LoadConfig func(ctx context.Context, profile, region string) (aws.Config, error)
	// MaxInFlight bounds the AWS requests in flight across the four
	// collectors; zero means DefaultMaxInFlight.
	MaxInFlight int
	// Backoff replaces the SDK's exponential backoff between retries
	// (tests shorten it); nil keeps the SDK's.
	Backoff retry.BackoffDelayer
	// Log receives every request at debug level, and the SDK's own
	// warnings, which it would otherwise print on stderr, under the
	// interface; nil logs nothing and leaves the SDK's logger as it is.
	Log *slog.Logger
}

// env is what the four collectors of one New share: the accounts and
// regions resolved once per refresh, the request bound and the policy.
type env struct {
	cfg  config.AWS
	opts Options
	// defaultLoad is true when credentials come from the SDK's own chain
	// rather than an injected LoadConfig.
	defaultLoad bool
	allowed     map[string]bool
	sem         *semaphore.Weighted
	targets     *resolver
}

// New returns the four AWS collectors for cfg. They share one resolution of
// profiles, accounts and regions per refresh, and one bound on requests in
// flight.
func New(cfg config.AWS, opts Options) []collectors.Collector {
	e := newEnv(cfg, opts)
	return []collectors.Collector{
		&alarmsCollector{e},
		&pipelinesCollector{e},
		&costCollector{e},
		&inventoryCollector{e},
	}
}

// newEnv prepares what the collectors (or a diagnosis) of one cfg share.
func newEnv(cfg config.AWS, opts Options) *env {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	defaultLoad := opts.LoadConfig == nil
	if defaultLoad {
		opts.LoadConfig = loadDefaultConfig
	}
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = DefaultMaxInFlight
	}
	// A policy that does not parse leaves allowed empty: the guard then
	// refuses every call, and a test parses the policy first.
	actions, _ := policyActions()
	allowed := make(map[string]bool, len(actions))
	for _, a := range actions {
		allowed[a] = true
	}
	e := &env{cfg: cfg, opts: opts, defaultLoad: defaultLoad, allowed: allowed, sem: semaphore.NewWeighted(int64(opts.MaxInFlight))}
	e.targets = newResolver(e)
	return e
}

// loadDefaultConfig is the SDK's own credential and config resolution:
// environment, ~/.aws/config and credentials, SSO, assumed roles, web
// identity, container and instance roles, and AWS_ENDPOINT_URL.
func loadDefaultConfig(ctx context.Context, profile, region string) (aws.Config, error) {
	var opts []func(*awsconfig.LoadOptions) error
	if profile != "" {
		opts = append(opts, awsconfig.WithSharedConfigProfile(profile))
	}
	if region != "" {
		opts = append(opts, awsconfig.WithRegion(region))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS config: %w", err)
	}
	return cfg, nil
}

// collectorTimeout leaves room for a throttling storm over many regions.
const collectorTimeout = 3 * time.Minute

// Timeout bounds one collection of each AWS source: aws.timeout, else
// collectorTimeout.
func (e *env) Timeout() time.Duration { return cmp.Or(e.cfg.Timeout, collectorTimeout) }

// Each AWS collector bounds its collection with the shared Timeout.
var (
	_ collectors.Timeouter = (*alarmsCollector)(nil)
	_ collectors.Timeouter = (*pipelinesCollector)(nil)
	_ collectors.Timeouter = (*costCollector)(nil)
	_ collectors.Timeouter = (*inventoryCollector)(nil)
)
