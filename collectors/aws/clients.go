package awscollect

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	"golang.org/x/sync/semaphore"
)

const (
	// retryAttempts rides out a throttling storm: AWS throttles per account
	// and region, and opsdrag asks many regions at once.
	retryAttempts = 8
	// maxBackoff caps one wait between attempts so the worst case stays
	// well inside a collector's timeout.
	maxBackoff = 5 * time.Second
	// DefaultMaxInFlight bounds the AWS requests in flight across all the
	// AWS collectors of one process. Each region and service is its own
	// endpoint with its own rate limits, so this bounds sockets, not any
	// one API: the benchmark in bench_test.go shows 17 regions × 2 profiles
	// within about 3× the critical path at this bound.
	DefaultMaxInFlight = 128
)

// prepare returns cfg with opsdrag's retry policy (unless the user chose
// one in ~/.aws/config or the environment), the read-only guard and the
// in-flight bound. Every client opsdrag builds comes from a prepared config.
func prepare(cfg aws.Config, allowed map[string]bool, sem *semaphore.Weighted, backoff retry.BackoffDelayer) aws.Config {
	if cfg.Retryer == nil && cfg.RetryMode == "" {
		attempts := cfg.RetryMaxAttempts
		if attempts == 0 {
			attempts = retryAttempts
		}
		cfg.Retryer = func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = attempts
				o.MaxBackoff = maxBackoff
				// The default client-side retry quota gives up during a
				// storm that the per-request backoff would have ridden out.
				o.RateLimiter = ratelimit.None
				if backoff != nil {
					o.Backoff = backoff
				}
			})
		}
	}
	cfg.APIOptions = append(slices.Clip(cfg.APIOptions), readOnlyGuard(allowed), inFlightLimit(sem))
	return cfg
}

// inFlightLimit holds one slot of sem for each attempt of each request, so
// the fan-out over accounts, regions and services never opens more than
// the bound at once. It sits after the retryer, so a request waiting out a
// backoff gives its slot to another.
func inFlightLimit(sem *semaphore.Weighted) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("OpsdragInFlightLimit",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if err := sem.Acquire(ctx, 1); err != nil {
					return middleware.FinalizeOutput{}, middleware.Metadata{}, err
				}
				defer sem.Release(1)
				return next.HandleFinalize(ctx, in)
			}), middleware.After)
	}
}

// sdkLogger sends the SDK's own log lines (a clock skew, a retry quota
// spent) to opsdrag's log rather than to stderr, where they would tear
// through the interface.
func sdkLogger(log *slog.Logger) logging.Logger {
	return logging.LoggerFunc(func(c logging.Classification, format string, v ...any) {
		level := slog.LevelDebug
		if c == logging.Warn {
			level = slog.LevelWarn
		}
		log.Log(context.Background(), level, fmt.Sprintf(format, v...), "from", "aws-sdk")
	})
}
