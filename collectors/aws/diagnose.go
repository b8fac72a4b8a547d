package awscollect

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/codebuild"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/costexplorer"
	cetypes "github.com/aws/aws-sdk-go-v2/service/costexplorer/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
)

// serviceProbe is the one harmless read-only call a diagnosis makes per
// service of the policy: the smallest page of a list.
type serviceProbe struct {
	action string
	call   func(ctx context.Context, cfg aws.Config) error
}

// serviceProbes covers every service in iam-policy.json (STS is the
// identity check itself). Cost Explorer has no free call: its probe is the
// collector's own request for one day, which AWS charges $0.01 for.
func serviceProbes(now time.Time) []serviceProbe {
	day := now.UTC().AddDate(0, 0, -2).Format("2006-01-02")
	next := now.UTC().AddDate(0, 0, -1).Format("2006-01-02")
	return []serviceProbe{
		{"cloudwatch:DescribeAlarms", func(ctx context.Context, c aws.Config) error {
			_, err := cloudwatch.NewFromConfig(c).DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{MaxRecords: aws.Int32(1)})
			return err
		}},
		{"codepipeline:ListPipelines", func(ctx context.Context, c aws.Config) error {
			_, err := codepipeline.NewFromConfig(c).ListPipelines(ctx, &codepipeline.ListPipelinesInput{MaxResults: aws.Int32(1)})
			return err
		}},
		{"ce:GetCostAndUsage", func(ctx context.Context, c aws.Config) error {
			c.Region = "us-east-1" // Cost Explorer's one endpoint
			_, err := costexplorer.NewFromConfig(c).GetCostAndUsage(ctx, &costexplorer.GetCostAndUsageInput{
				TimePeriod:  &cetypes.DateInterval{Start: aws.String(day), End: aws.String(next)},
				Granularity: cetypes.GranularityDaily, Metrics: []string{"UnblendedCost"}})
			return err
		}},
		{"ec2:DescribeRegions", func(ctx context.Context, c aws.Config) error {
			_, err := ec2.NewFromConfig(c).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
			return err
		}},
		{"ecs:ListClusters", func(ctx context.Context, c aws.Config) error {
			_, err := ecs.NewFromConfig(c).ListClusters(ctx, &ecs.ListClustersInput{MaxResults: aws.Int32(1)})
			return err
		}},
		{"eks:ListClusters", func(ctx context.Context, c aws.Config) error {
			_, err := eks.NewFromConfig(c).ListClusters(ctx, &eks.ListClustersInput{MaxResults: aws.Int32(1)})
			return err
		}},
		{"lambda:ListFunctions", func(ctx context.Context, c aws.Config) error {
			_, err := lambda.NewFromConfig(c).ListFunctions(ctx, &lambda.ListFunctionsInput{MaxItems: aws.Int32(1)})
			return err
		}},
		{"rds:DescribeDBInstances", func(ctx context.Context, c aws.Config) error {
			_, err := rds.NewFromConfig(c).DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{MaxRecords: aws.Int32(20)})
			return err
		}},
		{"elasticache:DescribeCacheClusters", func(ctx context.Context, c aws.Config) error {
			_, err := elasticache.NewFromConfig(c).DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{MaxRecords: aws.Int32(20)})
			return err
		}},
		{"sqs:ListQueues", func(ctx context.Context, c aws.Config) error {
			_, err := sqs.NewFromConfig(c).ListQueues(ctx, &sqs.ListQueuesInput{MaxResults: aws.Int32(1)})
			return err
		}},
		{"sns:ListTopics", func(ctx context.Context, c aws.Config) error {
			_, err := sns.NewFromConfig(c).ListTopics(ctx, &sns.ListTopicsInput{})
			return err
		}},
		{"elasticloadbalancing:DescribeLoadBalancers", func(ctx context.Context, c aws.Config) error {
			_, err := elbv2.NewFromConfig(c).DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{PageSize: aws.Int32(1)})
			return err
		}},
		{"apigateway:GET", func(ctx context.Context, c aws.Config) error {
			_, err := apigateway.NewFromConfig(c).GetRestApis(ctx, &apigateway.GetRestApisInput{Limit: aws.Int32(1)})
			return err
		}},
		{"codebuild:ListProjects", func(ctx context.Context, c aws.Config) error {
			_, err := codebuild.NewFromConfig(c).ListProjects(ctx, &codebuild.ListProjectsInput{})
			return err
		}},
		{"iam:ListRoles", func(ctx context.Context, c aws.Config) error {
			_, err := iam.NewFromConfig(c).ListRoles(ctx, &iam.ListRolesInput{MaxItems: aws.Int32(1)})
			return err
		}},
		{"cloudfront:ListDistributions", func(ctx context.Context, c aws.Config) error {
			_, err := cloudfront.NewFromConfig(c).ListDistributions(ctx, &cloudfront.ListDistributionsInput{MaxItems: aws.Int32(1)})
			return err
		}},
	}
}

// Diagnose checks the AWS setup of cfg, for opsdrag doctor: for each
// profile, that its credentials work (an expired SSO session is told with
// the login command) and which account they reach (STS), then one
// read-only call per service of the policy, recording AccessDenied with
// the action to add. Every call passes the same read-only guard as a
// collection.
func Diagnose(ctx context.Context, cfg config.AWS, opts Options) []collectors.Check {
	e := newEnv(cfg, opts)
	profiles, ok := e.profilesToRead()
	if !ok {
		return []collectors.Check{{Name: "aws", Status: collectors.CheckSkipped, Detail: "not configured: no AWS credentials found",
			Fix: "run opsdrag init, or aws configure / aws sso login, or list profiles under aws.profiles"}}
	}
	results := concurrently(ctx, profiles, func(p string) []collectors.Check { return e.diagnoseProfile(ctx, p) })
	var out []collectors.Check
	for _, r := range results {
		out = append(out, r...)
	}
	return out
}

func (e *env) diagnoseProfile(ctx context.Context, profile string) []collectors.Check {
	pr := e.targets.resolveProfile(ctx, profile)
	label := "aws " + profileLabel(pr.profile)
	if pr.failure != "" {
		detail := "cannot reach the account"
		if pr.prob != nil && pr.prob.text != "" {
			detail = pr.prob.text
		}
		return []collectors.Check{{Name: label + ": identity", Status: collectors.CheckFailed, Detail: detail, Fix: pr.failure}}
	}
	checks := []collectors.Check{{Name: label + ": identity", Status: collectors.CheckOK,
		Detail: fmt.Sprintf("account %s, region %s; reads %d region(s)", pr.account, pr.cfg.Region, len(pr.regions))}}
	probes := serviceProbes(e.opts.Now())
	results := concurrently(ctx, probes, func(p serviceProbe) collectors.Check {
		return probeResult(label+": "+p.action, p.action, pr.profile, p.call(ctx, pr.cfg))
	})
	return append(checks, results...)
}

// probeResult turns one probe's error into a check line with its fix.
func probeResult(name, action, profile string, err error) collectors.Check {
	c := collectors.Check{Name: name}
	if err == nil {
		c.Status, c.Detail = collectors.CheckOK, "allowed"
		if action == "ce:GetCostAndUsage" {
			c.Detail += " (AWS charges $0.01 for this request)"
		}
		return c
	}
	p := classify(err)
	switch {
	case p.kind == kindDenied:
		c.Status, c.Detail = collectors.CheckFailed, "denied: "+p.text
		c.Fix = fmt.Sprintf("add %s to the policy of %s (docs/aws.md has opsdrag's read-only policy)", action, who(profile))
	case p.kind == kindUnsupported || p.kind == kindNotOffered:
		c.Status, c.Detail = collectors.CheckSkipped, p.message(profile)
	case p.credential():
		c.Status, c.Detail, c.Fix = collectors.CheckFailed, p.text, p.message(profile)
	default:
		c.Status, c.Detail = collectors.CheckFailed, p.message(profile)
		c.Fix = "check the network (and AWS_ENDPOINT_URL if set), then run opsdrag doctor again"
	}
	return c
}

func profileLabel(p string) string {
	if p == "" {
		return "default"
	}
	return p
}
