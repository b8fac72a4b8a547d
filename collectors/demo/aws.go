package demo

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

func (d dataset) cost() collectors.Result {
	byService := map[string]float64{
		"Amazon Elastic Compute Cloud - Compute": 1184.22,
		"Amazon Relational Database Service":     962.40,
		"Amazon Elastic Container Service":       641.18,
		"Amazon ElastiCache":                     418.75,
		"Amazon Elastic Load Balancing":          262.91,
		"Amazon CloudWatch":                      183.06,
		"Amazon Simple Storage Service":          96.35,
		"AWS Lambda":                             22.14,
		"Amazon Simple Queue Service":            8.71,
		"Other":                                  410.75,
	}
	// Sum in a fixed order: float addition is not associative, and the demo
	// must give the same figures on every run.
	var last float64
	for _, k := range slices.Sorted(maps.Keys(byService)) {
		last += byService[k]
	}
	local := d.now.In(d.loc)
	monthStart := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, time.UTC)
	elapsed := float64(local.Day()-1) + float64(local.Hour())/24
	mtd := last / 30 * elapsed
	return collectors.Result{Data: model.Data{Invoices: []model.Invoice{{
		Account: Account, Month: monthStart.AddDate(0, -1, 0),
		LastMonth: ptr(last), MonthToDate: ptr(mtd), Currency: "USD", ByService: byService,
	}}}}
}

func (d dataset) inventory() collectors.Result {
	g := func(kind model.Kind, region string, note string, names ...string) model.ResourceGroup {
		return model.ResourceGroup{Kind: kind, Account: Account, Region: region, Names: names, Count: len(names), Note: note}
	}
	// detailed is a group whose resources carry the facts a move needs,
	// as the inventory reads them.
	detailed := func(kind model.Kind, region, note string, rs ...model.Resource) model.ResourceGroup {
		grp := g(kind, region, note)
		for _, r := range rs {
			grp.Names = append(grp.Names, r.ID)
		}
		grp.Count, grp.Resources = len(rs), rs
		return grp
	}
	arn := func(region, rest string) string {
		return "arn:aws:elasticloadbalancing:" + region + ":" + Account + ":" + rest
	}
	tgAPI := arn("us-east-1", "targetgroup/acme-api/4a1e2f7c9b3d5e61")
	tgWeb := arn("us-east-1", "targetgroup/acme-web/5b2f3a8d0c4e6f72")
	tgAPIEU := arn("eu-west-1", "targetgroup/acme-api-eu/6c3a4b9e1d5f7a83")
	roles := []string{"ecsTaskExecutionRole", "acme-api-task", "acme-web-task", "acme-worker-task",
		"acme-deploy", "acme-ci-github-oidc", "acme-codepipeline", "acme-codebuild", "acme-lambda-thumbnails",
		"acme-lambda-webhooks", "acme-rds-monitoring", "AWSServiceRoleForECS", "AWSServiceRoleForRDS",
		"AWSServiceRoleForElastiCache", "AWSServiceRoleForElasticLoadBalancing"}
	for i := len(roles); i < 34; i++ {
		roles = append(roles, fmt.Sprintf("acme-legacy-%02d", i))
	}
	sgs := func(region string, n int) model.ResourceGroup {
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("sg-%s-%02d", region[:2]+region[len(region)-1:], i+1)
		}
		return g(model.KindSecurityGroup, region, "", names...)
	}
	inv := []model.ResourceGroup{
		detailed(model.KindECSCluster, "us-east-1", "", model.Resource{ID: "acme-prod"}),
		detailed(model.KindECSService, "us-east-1", "Fargate 3",
			model.Resource{ID: "acme-prod/api", LaunchType: "Fargate", DesiredTasks: 4, RunningTasks: 4, TargetGroups: []string{tgAPI}},
			model.Resource{ID: "acme-prod/web", LaunchType: "Fargate", DesiredTasks: 2, RunningTasks: 2, TargetGroups: []string{tgWeb}},
			model.Resource{ID: "acme-prod/worker", LaunchType: "Fargate", DesiredTasks: 2, RunningTasks: 2}),
		detailed(model.KindECSCluster, "eu-west-1", "", model.Resource{ID: "acme-prod-eu"}),
		detailed(model.KindECSService, "eu-west-1", "Fargate 2",
			model.Resource{ID: "acme-prod-eu/api-eu", LaunchType: "Fargate", DesiredTasks: 2, RunningTasks: 2, TargetGroups: []string{tgAPIEU}},
			model.Resource{ID: "acme-prod-eu/worker-eu", LaunchType: "Fargate", DesiredTasks: 1, RunningTasks: 1}),
		detailed(model.KindRDSInstance, "us-east-1", "postgres 1",
			model.Resource{ID: "acme-prod-db", Engine: "postgres", EngineVersion: "16.4", Class: "db.r6g.large", MultiAZ: true, StorageGiB: 500}),
		detailed(model.KindRDSInstance, "eu-west-1", "postgres 1",
			model.Resource{ID: "acme-prod-db-eu", Engine: "postgres", EngineVersion: "16.4", Class: "db.r6g.large", StorageGiB: 500,
				Detail: "cross-region read replica of acme-prod-db"}),
		detailed(model.KindElastiCache, "us-east-1", "redis 2",
			model.Resource{ID: "acme-prod-redis-001", Engine: "redis", EngineVersion: "7.1", Class: "cache.r6g.large", Nodes: 1, Group: "acme-prod-redis"},
			model.Resource{ID: "acme-prod-redis-002", Engine: "redis", EngineVersion: "7.1", Class: "cache.r6g.large", Nodes: 1, Group: "acme-prod-redis"}),
		detailed(model.KindElastiCache, "eu-west-1", "redis 1",
			model.Resource{ID: "acme-eu-redis-001", Engine: "redis", EngineVersion: "7.1", Class: "cache.t4g.medium", Nodes: 1, Group: "acme-eu-redis"}),
		g(model.KindSQSQueue, "us-east-1", "", "emails", "orders", "orders-dlq", "webhooks"),
		g(model.KindSQSQueue, "eu-west-1", "", "orders-eu", "orders-eu-dlq"),
		g(model.KindSNSTopic, "us-east-1", "", "alarms-pager", "alarms-slack"),
		detailed(model.KindLoadBalancer, "us-east-1", "application 1",
			model.Resource{ID: "acme-prod-alb", Class: "application", ARN: arn("us-east-1", "loadbalancer/app/acme-prod-alb/7d4b5c0f2e6a8b94"),
				TargetGroups: []string{tgAPI, tgWeb}}),
		detailed(model.KindLoadBalancer, "eu-west-1", "application 1",
			model.Resource{ID: "acme-eu-alb", Class: "application", ARN: arn("eu-west-1", "loadbalancer/app/acme-eu-alb/8e5c6d1a3f7b9c05"),
				TargetGroups: []string{tgAPIEU}}),
		g(model.KindLambda, "us-east-1", "", "nightly-report", "thumbnails", "webhooks-ingest"),
		detailed(model.KindCodePipeline, "us-east-1", "",
			model.Resource{ID: "acme-migrations"},
			model.Resource{ID: "acme-prod-deploy", Deploys: []string{"acme-prod/api"}}),
		detailed(model.KindCodePipeline, "eu-west-1", "", model.Resource{ID: "acme-eu-deploy", Deploys: []string{"acme-prod-eu/api-eu"}}),
		g(model.KindCodeBuild, "us-east-1", "", "acme-api-build", "acme-web-build"),
		g(model.KindIAMRole, "global", "", roles...),
		sgs("us-east-1", 14),
		sgs("eu-west-1", 9),
		g(model.KindCloudWatchAlarm, "us-east-1", "", "prod-alb-unhealthy-hosts", "prod-api-5xx-rate", "prod-api-latency-p99",
			"prod-ecs-memory-high", "prod-orders-queue-age", "prod-rds-cpu-high", "prod-rds-free-storage", "prod-redis-cpu"),
		g(model.KindCloudWatchAlarm, "eu-west-1", "", "prod-eu-api-5xx-rate", "prod-eu-rds-replica-lag",
			"prod-orders-dlq-not-empty", "prod-redis-evictions"),
	}
	target := func(region, alarm, namespace, metric string, dims ...string) model.AlarmTarget {
		t := model.AlarmTarget{Account: Account, Region: region, Alarm: alarm, Namespace: namespace, Metric: metric}
		for i := 0; i+1 < len(dims); i += 2 {
			t.Dimensions = append(t.Dimensions, model.Dimension{Name: dims[i], Value: dims[i+1]})
		}
		return t
	}
	lbDim, lbEUDim := "app/acme-prod-alb/7d4b5c0f2e6a8b94", "app/acme-eu-alb/8e5c6d1a3f7b9c05"
	targets := []model.AlarmTarget{
		target("us-east-1", "prod-api-5xx-rate", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
			"LoadBalancer", lbDim, "TargetGroup", "targetgroup/acme-api/4a1e2f7c9b3d5e61"),
		target("us-east-1", "prod-api-latency-p99", "AWS/ApplicationELB", "TargetResponseTime",
			"LoadBalancer", lbDim, "TargetGroup", "targetgroup/acme-api/4a1e2f7c9b3d5e61"),
		target("us-east-1", "prod-alb-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount",
			"LoadBalancer", lbDim, "TargetGroup", "targetgroup/acme-web/5b2f3a8d0c4e6f72"),
		target("us-east-1", "prod-ecs-memory-high", "AWS/ECS", "MemoryUtilization", "ClusterName", "acme-prod", "ServiceName", "worker"),
		target("us-east-1", "prod-orders-queue-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", "orders"),
		target("us-east-1", "prod-rds-cpu-high", "AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "acme-prod-db"),
		target("us-east-1", "prod-rds-free-storage", "AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", "acme-prod-db"),
		target("us-east-1", "prod-redis-cpu", "AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", "acme-prod-redis-001"),
		target("eu-west-1", "prod-eu-api-5xx-rate", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
			"LoadBalancer", lbEUDim, "TargetGroup", "targetgroup/acme-api-eu/6c3a4b9e1d5f7a83"),
		target("eu-west-1", "prod-eu-rds-replica-lag", "AWS/RDS", "ReplicaLag", "DBInstanceIdentifier", "acme-prod-db-eu"),
		target("eu-west-1", "prod-orders-dlq-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "orders-eu-dlq"),
		target("eu-west-1", "prod-redis-evictions", "AWS/ElastiCache", "Evictions", "CacheClusterId", "acme-eu-redis-001"),
	}
	return collectors.Result{Data: model.Data{Inventory: inv, AlarmTargets: targets}}
}
