package awscollect

import (
	"context"
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/codebuild"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	cptypes "github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/model"
)

// regionalListers list the kinds that live in a region.
func regionalListers() []lister {
	return []lister{
		listECS, listEKS, listEC2Instances, listLambda, listRDSInstances, listAurora, listElastiCache,
		listSQS, listSNS, listLoadBalancers, listAPIGateways, listCodePipelines, listCodeBuild,
		listSecurityGroups, listAlarms,
	}
}

// globalListers list the kinds that belong to an account, not a region.
func globalListers() []lister {
	return []lister{listIAMRoles, listCloudFront}
}

// one wraps a single kind's result.
func one(kind model.Kind, names []string, note string, err error) []listed {
	return []listed{{kind: kind, names: names, note: note, err: err}}
}

// listECS lists clusters, then each cluster's services, then how each
// service runs (Fargate or EC2).
func listECS(ctx context.Context, cfg aws.Config) []listed {
	c := ecs.NewFromConfig(cfg)
	var clusters []string
	pages := ecs.NewListClustersPaginator(c, &ecs.ListClustersInput{MaxResults: aws.Int32(100)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return []listed{{kind: model.KindECSCluster, err: err}, {kind: model.KindECSService, err: err}}
		}
		clusters = append(clusters, page.ClusterArns...)
	}
	clusterNames := make([]string, len(clusters))
	for i, arn := range clusters {
		clusterNames[i] = afterSlash(arn)
	}
	type perCluster struct {
		names, launch []string
		resources     []model.Resource
		err, descErr  error
	}
	results := make([]perCluster, len(clusters))
	var wg sync.WaitGroup
	for i, arn := range clusters {
		wg.Go(func() {
			defer collectors.Recover(ctx)
			r := &results[i]
			var arns []string
			pages := ecs.NewListServicesPaginator(c, &ecs.ListServicesInput{Cluster: aws.String(arn), MaxResults: aws.Int32(100)})
			for pages.HasMorePages() {
				page, err := pages.NextPage(ctx)
				if err != nil {
					r.err = err
					return
				}
				arns = append(arns, page.ServiceArns...)
			}
			for _, a := range arns {
				r.names = append(r.names, clusterNames[i]+"/"+afterSlash(a))
			}
			// DescribeServices takes at most 10 services at a time.
			for start := 0; start < len(arns); start += 10 {
				out, err := c.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(arn), Services: arns[start:min(start+10, len(arns))]})
				if err != nil {
					r.descErr = err
					return
				}
				for _, s := range out.Services {
					r.launch = append(r.launch, launchType(s))
					r.resources = append(r.resources, serviceResource(clusterNames[i], s))
				}
			}
		})
	}
	wg.Wait()
	services := listed{kind: model.KindECSService}
	var launch []string
	for _, r := range results {
		if r.err != nil {
			services.err = r.err
			break
		}
		services.names = append(services.names, r.names...)
		launch = append(launch, r.launch...)
		services.resources = append(services.resources, r.resources...)
		if r.descErr != nil {
			services.note = "Fargate/EC2 split unknown: " + unknownNote(classify(r.descErr))
			services.short, services.shortWhat = r.descErr, "services' details (launch type, tasks, target groups)"
		}
	}
	if services.note == "" {
		services.note = countNote(launch)
	}
	if services.short != nil {
		services.resources = nil // the plan falls back to names for all of them
	}
	clusterRes := make([]model.Resource, len(clusterNames))
	for i, n := range clusterNames {
		clusterRes[i] = model.Resource{ID: n}
	}
	return []listed{{kind: model.KindECSCluster, names: clusterNames, resources: clusterRes}, services}
}

// serviceResource is what moving an ECS service needs to know of it.
func serviceResource(cluster string, s ecstypes.Service) model.Resource {
	r := model.Resource{
		ID: cluster + "/" + aws.ToString(s.ServiceName), ARN: aws.ToString(s.ServiceArn),
		LaunchType: launchType(s), DesiredTasks: int(s.DesiredCount), RunningTasks: int(s.RunningCount),
	}
	for _, lb := range s.LoadBalancers {
		if tg := aws.ToString(lb.TargetGroupArn); tg != "" {
			r.TargetGroups = append(r.TargetGroups, tg)
		}
	}
	return r
}

// launchType says how an ECS service runs its tasks.
func launchType(s ecstypes.Service) string {
	switch {
	case s.LaunchType == ecstypes.LaunchTypeFargate:
		return "Fargate"
	case s.LaunchType == ecstypes.LaunchTypeEc2:
		return "EC2"
	case s.LaunchType == ecstypes.LaunchTypeExternal:
		return "external"
	}
	for _, p := range s.CapacityProviderStrategy {
		if strings.HasPrefix(aws.ToString(p.CapacityProvider), "FARGATE") {
			return "Fargate"
		}
	}
	if len(s.CapacityProviderStrategy) > 0 {
		return "EC2"
	}
	return ""
}

func listEKS(ctx context.Context, cfg aws.Config) []listed {
	var names []string
	pages := eks.NewListClustersPaginator(eks.NewFromConfig(cfg), &eks.ListClustersInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return one(model.KindEKSCluster, nil, "", err)
		}
		names = append(names, page.Clusters...)
	}
	return one(model.KindEKSCluster, names, "", nil)
}

func listEC2Instances(ctx context.Context, cfg aws.Config) []listed {
	var names, states []string
	var resources []model.Resource
	pages := ec2.NewDescribeInstancesPaginator(ec2.NewFromConfig(cfg), &ec2.DescribeInstancesInput{
		Filters: []ec2types.Filter{{Name: aws.String("instance-state-name"), Values: []string{"pending", "running", "stopping", "stopped", "shutting-down"}}},
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return one(model.KindEC2Instance, nil, "", err)
		}
		for _, r := range page.Reservations {
			for _, in := range r.Instances {
				state := ""
				if in.State != nil {
					state = string(in.State.Name)
				}
				if state == string(ec2types.InstanceStateNameTerminated) {
					continue
				}
				name := aws.ToString(in.InstanceId)
				r := model.Resource{ID: name, Class: string(in.InstanceType), Detail: state}
				for _, tag := range in.Tags {
					switch aws.ToString(tag.Key) {
					case "Name":
						if v := aws.ToString(tag.Value); v != "" {
							name, r.Name = v+" ("+name+")", v
						}
					case "aws:autoscaling:groupName":
						r.Group = aws.ToString(tag.Value)
					}
				}
				names, states = append(names, name), append(states, state)
				resources = append(resources, r)
			}
		}
	}
	return []listed{{kind: model.KindEC2Instance, names: names, note: countNote(states), resources: resources}}
}

func listLambda(ctx context.Context, cfg aws.Config) []listed {
	var names []string
	pages := lambda.NewListFunctionsPaginator(lambda.NewFromConfig(cfg), &lambda.ListFunctionsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return one(model.KindLambda, nil, "", err)
		}
		for _, f := range page.Functions {
			names = append(names, aws.ToString(f.FunctionName))
		}
	}
	return one(model.KindLambda, names, "", nil)
}

// notRDS are engines DescribeDB* also returns that are not RDS databases
// proper: Aurora's instances belong to their cluster, and DocumentDB and
// Neptune are other products.
func notRDS(engine string) bool {
	return strings.HasPrefix(engine, "aurora") || strings.HasPrefix(engine, "docdb") || strings.HasPrefix(engine, "neptune")
}

func listRDSInstances(ctx context.Context, cfg aws.Config) []listed {
	var names, engines []string
	var resources []model.Resource
	pages := rds.NewDescribeDBInstancesPaginator(rds.NewFromConfig(cfg), &rds.DescribeDBInstancesInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return one(model.KindRDSInstance, nil, "", err)
		}
		for _, db := range page.DBInstances {
			if engine := aws.ToString(db.Engine); !notRDS(engine) {
				names, engines = append(names, aws.ToString(db.DBInstanceIdentifier)), append(engines, engine)
				r := model.Resource{
					ID: aws.ToString(db.DBInstanceIdentifier), ARN: aws.ToString(db.DBInstanceArn), Engine: engine,
					EngineVersion: aws.ToString(db.EngineVersion), Class: aws.ToString(db.DBInstanceClass),
					MultiAZ: aws.ToBool(db.MultiAZ), StorageGiB: int(aws.ToInt32(db.AllocatedStorage)),
				}
				// A replica in another region names its source by ARN: it is
				// an item of its own there.
				if src := aws.ToString(db.ReadReplicaSourceDBInstanceIdentifier); src != "" && !strings.HasPrefix(src, "arn:") {
					r.Group = src
				} else if src != "" {
					r.Detail = "cross-region read replica of " + src
				}
				resources = append(resources, r)
			}
		}
	}
	return []listed{{kind: model.KindRDSInstance, names: names, note: countNote(engines), resources: resources}}
}

func listAurora(ctx context.Context, cfg aws.Config) []listed {
	var names, engines []string
	var resources []model.Resource
	pages := rds.NewDescribeDBClustersPaginator(rds.NewFromConfig(cfg), &rds.DescribeDBClustersInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return one(model.KindAuroraCluster, nil, "", err)
		}
		for _, c := range page.DBClusters {
			if engine := aws.ToString(c.Engine); strings.HasPrefix(engine, "aurora") {
				names, engines = append(names, aws.ToString(c.DBClusterIdentifier)), append(engines, engine)
				resources = append(resources, model.Resource{
					ID: aws.ToString(c.DBClusterIdentifier), ARN: aws.ToString(c.DBClusterArn), Engine: engine,
					EngineVersion: aws.ToString(c.EngineVersion), Class: aws.ToString(c.DBClusterInstanceClass),
					MultiAZ: aws.ToBool(c.MultiAZ), Nodes: len(c.DBClusterMembers),
				})
			}
		}
	}
	return []listed{{kind: model.KindAuroraCluster, names: names, note: countNote(engines), resources: resources}}
}

func listElastiCache(ctx context.Context, cfg aws.Config) []listed {
	var names, engines []string
	var resources []model.Resource
	pages := elasticache.NewDescribeCacheClustersPaginator(elasticache.NewFromConfig(cfg), &elasticache.DescribeCacheClustersInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return one(model.KindElastiCache, nil, "", err)
		}
		for _, c := range page.CacheClusters {
			names, engines = append(names, aws.ToString(c.CacheClusterId)), append(engines, aws.ToString(c.Engine))
			resources = append(resources, model.Resource{
				ID: aws.ToString(c.CacheClusterId), ARN: aws.ToString(c.ARN), Engine: aws.ToString(c.Engine),
				EngineVersion: aws.ToString(c.EngineVersion), Class: aws.ToString(c.CacheNodeType),
				Nodes: int(aws.ToInt32(c.NumCacheNodes)), Group: aws.ToString(c.ReplicationGroupId),
			})
		}
	}
	return []listed{{kind: model.KindElastiCache, names: names, note: countNote(engines), resources: resources}}
}

func listSQS(ctx context.Context, cfg aws.Config) []listed {
	var names []string
	// Without MaxResults, ListQueues returns at most 1,000 queues and no
	// token to ask for the rest.
	pages := sqs.NewListQueuesPaginator(sqs.NewFromConfig(cfg), &sqs.ListQueuesInput{MaxResults: aws.Int32(1000)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return one(model.KindSQSQueue, nil, "", err)
		}
		for _, u := range page.QueueUrls {
			names = append(names, path.Base(u))
		}
	}
	return one(model.KindSQSQueue, names, "", nil)
}

func listSNS(ctx context.Context, cfg aws.Config) []listed {
	var names []string
	pages := sns.NewListTopicsPaginator(sns.NewFromConfig(cfg), &sns.ListTopicsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return one(model.KindSNSTopic, nil, "", err)
		}
		for _, t := range page.Topics {
			arn := aws.ToString(t.TopicArn)
			names = append(names, arn[strings.LastIndex(arn, ":")+1:])
		}
	}
	return one(model.KindSNSTopic, names, "", nil)
}

// listLoadBalancers lists the load balancers and, to tie each to the ECS
// services behind it, the target groups that forward to it.
func listLoadBalancers(ctx context.Context, cfg aws.Config) []listed {
	var names, types []string
	var resources []model.Resource
	c := elbv2.NewFromConfig(cfg)
	pages := elbv2.NewDescribeLoadBalancersPaginator(c, &elbv2.DescribeLoadBalancersInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return one(model.KindLoadBalancer, nil, "", err)
		}
		for _, lb := range page.LoadBalancers {
			names, types = append(names, aws.ToString(lb.LoadBalancerName)), append(types, string(lb.Type))
			resources = append(resources, model.Resource{ID: aws.ToString(lb.LoadBalancerName), ARN: aws.ToString(lb.LoadBalancerArn), Class: string(lb.Type)})
		}
	}
	out := listed{kind: model.KindLoadBalancer, names: names, note: countNote(types), resources: resources}
	if len(resources) == 0 {
		return []listed{out}
	}
	byLB := map[string][]string{}
	tgs := elbv2.NewDescribeTargetGroupsPaginator(c, &elbv2.DescribeTargetGroupsInput{})
	for tgs.HasMorePages() {
		page, err := tgs.NextPage(ctx)
		if err != nil {
			out.short, out.shortWhat = err, "load balancers' target groups"
			return []listed{out}
		}
		for _, tg := range page.TargetGroups {
			for _, lb := range tg.LoadBalancerArns {
				byLB[lb] = append(byLB[lb], aws.ToString(tg.TargetGroupArn))
			}
		}
	}
	for i := range out.resources {
		out.resources[i].TargetGroups = byLB[out.resources[i].ARN]
	}
	return []listed{out}
}

// listAPIGateways lists REST APIs (API Gateway v1) and HTTP and WebSocket
// APIs (v2) as one kind.
func listAPIGateways(ctx context.Context, cfg aws.Config) []listed {
	var names, protocols []string
	pages := apigateway.NewGetRestApisPaginator(apigateway.NewFromConfig(cfg), &apigateway.GetRestApisInput{Limit: aws.Int32(500)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return one(model.KindAPIGateway, nil, "", err)
		}
		for _, api := range page.Items {
			names, protocols = append(names, aws.ToString(api.Name)), append(protocols, "REST")
		}
	}
	// GetApis has no paginator in the SDK.
	v2 := apigatewayv2.NewFromConfig(cfg)
	in := &apigatewayv2.GetApisInput{MaxResults: aws.String("500")}
	for {
		page, err := v2.GetApis(ctx, in)
		if err != nil {
			return one(model.KindAPIGateway, nil, "", err)
		}
		for _, api := range page.Items {
			names, protocols = append(names, aws.ToString(api.Name)), append(protocols, string(api.ProtocolType))
		}
		if aws.ToString(page.NextToken) == "" || aws.ToString(page.NextToken) == aws.ToString(in.NextToken) {
			break
		}
		in.NextToken = page.NextToken
	}
	return one(model.KindAPIGateway, names, countNote(protocols), nil)
}

// listCodePipelines lists the pipelines and reads each one's structure
// (GetPipeline) for the ECS services its deploy actions name.
func listCodePipelines(ctx context.Context, cfg aws.Config) []listed {
	var names []string
	c := codepipeline.NewFromConfig(cfg)
	pages := codepipeline.NewListPipelinesPaginator(c, &codepipeline.ListPipelinesInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return one(model.KindCodePipeline, nil, "", err)
		}
		for _, p := range page.Pipelines {
			names = append(names, aws.ToString(p.Name))
		}
	}
	out := listed{kind: model.KindCodePipeline, names: names, resources: make([]model.Resource, len(names))}
	errs := make([]error, len(names))
	sem := make(chan struct{}, pipelineReads)
	var wg sync.WaitGroup
	for i, name := range names {
		out.resources[i].ID = name
		wg.Go(func() {
			defer collectors.Recover(ctx)
			sem <- struct{}{}
			defer func() { <-sem }()
			p, err := c.GetPipeline(ctx, &codepipeline.GetPipelineInput{Name: aws.String(name)})
			if err != nil {
				errs[i] = err
				return
			}
			out.resources[i].Deploys = ecsDeploys(p.Pipeline)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			out.short, out.shortWhat = err, "pipelines' deploy targets"
			break
		}
	}
	return []listed{out}
}

// pipelineReads bounds the GetPipeline calls in flight per place.
const pipelineReads = 4

// ecsDeploys lists the ECS services ("cluster/service") a pipeline's ECS
// deploy actions name in their configuration. A blue/green deploy through
// CodeDeploy (CodeDeployToECS) names a CodeDeploy application instead, and
// is not followed.
func ecsDeploys(p *cptypes.PipelineDeclaration) []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, st := range p.Stages {
		for _, a := range st.Actions {
			id := a.ActionTypeId
			if id == nil || id.Category != cptypes.ActionCategoryDeploy || aws.ToString(id.Provider) != "ECS" {
				continue
			}
			cluster, service := a.Configuration["ClusterName"], a.Configuration["ServiceName"]
			if cluster != "" && service != "" {
				out = append(out, afterSlash(cluster)+"/"+afterSlash(service))
			}
		}
	}
	return out
}

func listCodeBuild(ctx context.Context, cfg aws.Config) []listed {
	var names []string
	pages := codebuild.NewListProjectsPaginator(codebuild.NewFromConfig(cfg), &codebuild.ListProjectsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return one(model.KindCodeBuild, nil, "", err)
		}
		names = append(names, page.Projects...)
	}
	return one(model.KindCodeBuild, names, "", nil)
}

// listSecurityGroups leaves out each VPC's "default" group: every VPC has
// one that cannot be deleted, so it says nothing about what the team runs.
func listSecurityGroups(ctx context.Context, cfg aws.Config) []listed {
	var names []string
	pages := ec2.NewDescribeSecurityGroupsPaginator(ec2.NewFromConfig(cfg), &ec2.DescribeSecurityGroupsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return one(model.KindSecurityGroup, nil, "", err)
		}
		for _, g := range page.SecurityGroups {
			if aws.ToString(g.GroupName) == "default" {
				continue
			}
			names = append(names, aws.ToString(g.GroupName)+" ("+aws.ToString(g.GroupId)+")")
		}
	}
	return one(model.KindSecurityGroup, names, "", nil)
}

func listAlarms(ctx context.Context, cfg aws.Config) []listed {
	alarms, err := describeAlarms(ctx, cloudwatch.NewFromConfig(cfg), &cloudwatch.DescribeAlarmsInput{})
	if err != nil {
		return one(model.KindCloudWatchAlarm, nil, "", err)
	}
	names := make([]string, len(alarms))
	var targets []model.AlarmTarget
	firing := 0
	for i, a := range alarms {
		names[i] = a.name
		if a.state == "ALARM" {
			firing++
		}
		if len(a.dimensions) > 0 {
			targets = append(targets, model.AlarmTarget{Alarm: a.name, Namespace: a.namespace, Metric: a.metric, Dimensions: a.dimensions})
		}
	}
	note := ""
	if firing > 0 {
		note = fmt.Sprintf("%d in ALARM", firing)
	}
	return []listed{{kind: model.KindCloudWatchAlarm, names: names, note: note, targets: targets}}
}

func listIAMRoles(ctx context.Context, cfg aws.Config) []listed {
	var names []string
	linked := 0
	pages := iam.NewListRolesPaginator(iam.NewFromConfig(cfg), &iam.ListRolesInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return one(model.KindIAMRole, nil, "", err)
		}
		for _, r := range page.Roles {
			names = append(names, aws.ToString(r.RoleName))
			if strings.HasPrefix(aws.ToString(r.Path), "/aws-service-role/") {
				linked++
			}
		}
	}
	note := ""
	if linked > 0 {
		note = fmt.Sprintf("%d service-linked", linked)
	}
	return one(model.KindIAMRole, names, note, nil)
}

func listCloudFront(ctx context.Context, cfg aws.Config) []listed {
	var names []string
	pages := cloudfront.NewListDistributionsPaginator(cloudfront.NewFromConfig(cfg), &cloudfront.ListDistributionsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return one(model.KindCloudFront, nil, "", err)
		}
		if page.DistributionList == nil {
			continue
		}
		for _, d := range page.DistributionList.Items {
			name := aws.ToString(d.DomainName)
			if d.Aliases != nil && len(d.Aliases.Items) > 0 {
				name = d.Aliases.Items[0]
			}
			names = append(names, name+" ("+aws.ToString(d.Id)+")")
		}
	}
	return one(model.KindCloudFront, names, "", nil)
}

// afterSlash returns the part of an ARN after its last slash: the name of
// an ECS cluster or service.
func afterSlash(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }
