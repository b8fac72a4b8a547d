package model

import "fmt"

// Kind is a kind of AWS component the team operates.
type Kind string

// Component kinds found by the inventory, in checklist order.
const (
	KindECSCluster      Kind = "ecs-cluster"
	KindECSService      Kind = "ecs-service"
	KindEKSCluster      Kind = "eks-cluster"
	KindEC2Instance     Kind = "ec2-instance"
	KindLambda          Kind = "lambda-function"
	KindRDSInstance     Kind = "rds-instance"
	KindAuroraCluster   Kind = "aurora-cluster"
	KindElastiCache     Kind = "elasticache-cluster"
	KindSQSQueue        Kind = "sqs-queue"
	KindSNSTopic        Kind = "sns-topic"
	KindLoadBalancer    Kind = "load-balancer"
	KindAPIGateway      Kind = "api-gateway"
	KindCloudFront      Kind = "cloudfront-distribution"
	KindCodePipeline    Kind = "codepipeline"
	KindCodeBuild       Kind = "codebuild-project"
	KindIAMRole         Kind = "iam-role"
	KindSecurityGroup   Kind = "security-group"
	KindCloudWatchAlarm Kind = "cloudwatch-alarm"
)

// KindInfo describes a component kind for people.
type KindInfo struct {
	Kind Kind
	// Component is the short product name, e.g. "ECS".
	Component string
	// Noun is the plural noun for what is counted, e.g. "services".
	Noun string
	// One is the singular noun, e.g. "service".
	One string
	// Action is the migration step, phrased as a task.
	Action string
}

// Kinds lists every component kind in checklist order.
func Kinds() []KindInfo {
	return []KindInfo{
		{KindECSCluster, "ECS", "clusters", "cluster", "Retire the ECS clusters"},
		{KindECSService, "ECS", "services", "service", "Move the ECS services to the platform"},
		{KindEKSCluster, "EKS", "clusters", "cluster", "Move the EKS workloads and retire the clusters"},
		{KindEC2Instance, "EC2", "instances", "instance", "Replace the EC2 instances"},
		{KindLambda, "Lambda", "functions", "function", "Move the Lambda functions"},
		{KindRDSInstance, "RDS", "instances", "instance", "Migrate the RDS databases"},
		{KindAuroraCluster, "Aurora", "clusters", "cluster", "Migrate the Aurora clusters"},
		{KindElastiCache, "ElastiCache", "clusters", "cluster", "Replace the ElastiCache (Redis/Memcached) clusters"},
		{KindSQSQueue, "SQS", "queues", "queue", "Move the SQS queues"},
		{KindSNSTopic, "SNS", "topics", "topic", "Move the SNS topics"},
		{KindLoadBalancer, "ELB", "load balancers", "load balancer", "Replace the load balancers with platform routing"},
		{KindAPIGateway, "API Gateway", "APIs", "API", "Move the API Gateway APIs"},
		{KindCloudFront, "CloudFront", "distributions", "distribution", "Move the CloudFront distributions"},
		{KindCodePipeline, "CodePipeline", "pipelines", "pipeline", "Replace the CodePipeline pipelines"},
		{KindCodeBuild, "CodeBuild", "projects", "project", "Replace the CodeBuild projects"},
		{KindIAMRole, "IAM", "roles", "role", "Review and retire the IAM roles"},
		{KindSecurityGroup, "VPC", "security groups", "security group", "Review and retire the security groups"},
		{KindCloudWatchAlarm, "CloudWatch", "alarms", "alarm", "Re-create the CloudWatch alarms as platform alerts"},
	}
}

// InfoFor returns the description of kind k; unknown kinds get a generic one.
func InfoFor(k Kind) KindInfo {
	for _, info := range Kinds() {
		if info.Kind == k {
			return info
		}
	}
	return KindInfo{Kind: k, Component: string(k), Noun: "resources", One: "resource", Action: "Migrate " + string(k)}
}

// Count phrases n of this kind: "1 cluster", "3 clusters".
func (k KindInfo) Count(n int) string {
	if n == 1 {
		return "1 " + k.One
	}
	return fmt.Sprintf("%d %s", n, k.Noun)
}

// ResourceGroup is what the inventory found of one kind in one account and
// region.
type ResourceGroup struct {
	Kind    Kind
	Account string
	Region  string
	// Names of the resources found (may be fewer than Count when truncated).
	Names []string
	Count int
	// Unknown is true when the kind could not be listed (e.g. permission
	// denied): the count is unknown, not zero.
	Unknown bool
	// Note says why the group is unknown, or adds a detail such as
	// "Fargate 3, EC2 1".
	Note string
	// Resources details each resource, for the kinds whose plan items need
	// more than a name (capped like Names); nil for the others, and in
	// snapshots saved before they were read.
	Resources []Resource
}
