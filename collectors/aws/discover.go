package awscollect

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
)

// Profiles lists the profiles of the shared AWS config and credentials
// files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/), in
// file order, each once. The SDK reads these files but does not list
// their profiles, so the section headers are read here: "[profile x]" and
// "[default]" in the config file, "[x]" in the credentials file.
func Profiles() []string {
	home, _ := os.UserHomeDir()
	file := func(env, name string) string {
		if p := os.Getenv(env); p != "" {
			return p
		}
		if home == "" {
			return ""
		}
		return filepath.Join(home, ".aws", name)
	}
	var out []string
	add := func(p string) {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	for _, s := range sections(file("AWS_CONFIG_FILE", "config")) {
		switch {
		case s == "default":
			add(s)
		case strings.HasPrefix(s, "profile "):
			add(strings.TrimPrefix(s, "profile "))
		}
	}
	for _, s := range sections(file("AWS_SHARED_CREDENTIALS_FILE", "credentials")) {
		add(s)
	}
	return out
}

// sections returns the [section] names of an INI file, none when it
// cannot be read.
func sections(path string) []string {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if name, ok := strings.CutPrefix(line, "["); ok {
			if name, ok := strings.CutSuffix(name, "]"); ok {
				out = append(out, strings.Join(strings.Fields(name), " "))
			}
		}
	}
	return out
}

// resourceProbes each list at most a few items of a kind teams commonly
// run; a region where any of them finds one has resources.
var resourceProbes = []func(ctx context.Context, c aws.Config) (bool, error){
	func(ctx context.Context, c aws.Config) (bool, error) {
		out, err := cloudwatch.NewFromConfig(c).DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{MaxRecords: aws.Int32(1)})
		return err == nil && len(out.MetricAlarms)+len(out.CompositeAlarms) > 0, err
	},
	func(ctx context.Context, c aws.Config) (bool, error) {
		out, err := ecs.NewFromConfig(c).ListClusters(ctx, &ecs.ListClustersInput{MaxResults: aws.Int32(1)})
		return err == nil && len(out.ClusterArns) > 0, err
	},
	func(ctx context.Context, c aws.Config) (bool, error) {
		out, err := lambda.NewFromConfig(c).ListFunctions(ctx, &lambda.ListFunctionsInput{MaxItems: aws.Int32(1)})
		return err == nil && len(out.Functions) > 0, err
	},
	func(ctx context.Context, c aws.Config) (bool, error) {
		out, err := rds.NewFromConfig(c).DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{MaxRecords: aws.Int32(20)})
		return err == nil && len(out.DBInstances) > 0, err
	},
	func(ctx context.Context, c aws.Config) (bool, error) {
		out, err := sqs.NewFromConfig(c).ListQueues(ctx, &sqs.ListQueuesInput{MaxResults: aws.Int32(1)})
		return err == nil && len(out.QueueUrls) > 0, err
	},
	func(ctx context.Context, c aws.Config) (bool, error) {
		out, err := ec2.NewFromConfig(c).DescribeInstances(ctx, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5)})
		return err == nil && len(out.Reservations) > 0, err
	},
}

// RegionsWithResources returns, for opsdrag init, the enabled regions of
// profile's account ("" = the default chain) in which alarms, ECS
// clusters, Lambda functions, RDS instances, SQS queues or EC2 instances
// exist, sorted. A region no probe could read is left out; the error is
// the credentials' when nothing could be asked at all.
func RegionsWithResources(ctx context.Context, profile string, opts Options) ([]string, error) {
	e := newEnv(config.AWS{Profiles: []string{profile}, Regions: []string{"all"}}, opts)
	pr := e.targets.resolveProfile(ctx, profile)
	if pr.failure != "" {
		return nil, problemError(pr.failure)
	}
	found := make([]atomic.Bool, len(pr.regions))
	var wg sync.WaitGroup
	for i, region := range pr.regions {
		cfg := pr.cfg.Copy()
		cfg.Region = region
		for _, probe := range resourceProbes {
			wg.Go(func() {
				defer collectors.Recover(ctx)
				if ok, _ := probe(ctx, cfg); ok {
					found[i].Store(true)
				}
			})
		}
	}
	wg.Wait()
	var out []string
	for i, region := range pr.regions {
		if found[i].Load() {
			out = append(out, region)
		}
	}
	return out, nil
}

// problemError carries a profile's failure, already worded for people.
type problemError string

func (e problemError) Error() string { return string(e) }
