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
		"Elastic Load Balancing":                 262.91,
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
		g(model.KindECSCluster, "us-east-1", "", "acme-prod"),
		g(model.KindECSService, "us-east-1", "Fargate 3", "api", "web", "worker"),
		g(model.KindECSCluster, "eu-west-1", "", "acme-prod-eu"),
		g(model.KindECSService, "eu-west-1", "Fargate 2", "api-eu", "worker-eu"),
		g(model.KindRDSInstance, "us-east-1", "postgres 16.4, db.r6g.large, Multi-AZ", "acme-prod-db"),
		g(model.KindRDSInstance, "eu-west-1", "postgres 16.4, read replica", "acme-prod-db-eu"),
		g(model.KindElastiCache, "us-east-1", "redis 7.1", "acme-prod-redis"),
		g(model.KindElastiCache, "eu-west-1", "redis 7.1", "acme-eu-redis"),
		g(model.KindSQSQueue, "us-east-1", "", "orders", "orders-dlq", "emails", "webhooks"),
		g(model.KindSQSQueue, "eu-west-1", "", "orders-eu", "orders-eu-dlq"),
		g(model.KindSNSTopic, "us-east-1", "", "alarms-pager", "alarms-slack"),
		g(model.KindLoadBalancer, "us-east-1", "application", "acme-prod-alb"),
		g(model.KindLoadBalancer, "eu-west-1", "application", "acme-eu-alb"),
		g(model.KindLambda, "us-east-1", "", "thumbnails", "webhooks-ingest", "nightly-report"),
		g(model.KindCodePipeline, "us-east-1", "", "acme-prod-deploy", "acme-migrations"),
		g(model.KindCodePipeline, "eu-west-1", "", "acme-eu-deploy"),
		g(model.KindCodeBuild, "us-east-1", "", "acme-api-build", "acme-web-build"),
		g(model.KindIAMRole, "global", "", roles...),
		sgs("us-east-1", 14),
		sgs("eu-west-1", 9),
		g(model.KindCloudWatchAlarm, "us-east-1", "", "prod-api-5xx-rate", "prod-rds-cpu-high",
			"prod-alb-unhealthy-hosts", "prod-ecs-memory-high", "prod-api-latency-p99", "prod-rds-free-storage",
			"prod-redis-cpu", "prod-orders-queue-age"),
		g(model.KindCloudWatchAlarm, "eu-west-1", "", "prod-orders-dlq-not-empty", "prod-redis-evictions",
			"prod-eu-api-5xx-rate", "prod-eu-rds-replica-lag"),
	}
	return collectors.Result{Data: model.Data{Inventory: inv}}
}
