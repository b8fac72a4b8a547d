package model

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
	// Action is the migration step, phrased as a task.
	Action string
}

// Kinds lists every component kind in checklist order.
func Kinds() []KindInfo {
	return []KindInfo{
		{KindECSCluster, "ECS", "clusters", "Retire the ECS clusters"},
		{KindECSService, "ECS", "services", "Move the ECS services to the platform"},
		{KindEKSCluster, "EKS", "clusters", "Move the EKS workloads and retire the clusters"},
		{KindEC2Instance, "EC2", "instances", "Replace the EC2 instances"},
		{KindLambda, "Lambda", "functions", "Move the Lambda functions"},
		{KindRDSInstance, "RDS", "instances", "Migrate the RDS databases"},
		{KindAuroraCluster, "Aurora", "clusters", "Migrate the Aurora clusters"},
		{KindElastiCache, "ElastiCache", "clusters", "Replace the ElastiCache (Redis/Memcached) clusters"},
		{KindSQSQueue, "SQS", "queues", "Move the SQS queues"},
		{KindSNSTopic, "SNS", "topics", "Move the SNS topics"},
		{KindLoadBalancer, "ELB", "load balancers", "Replace the load balancers with platform routing"},
		{KindAPIGateway, "API Gateway", "APIs", "Move the API Gateway APIs"},
		{KindCloudFront, "CloudFront", "distributions", "Move the CloudFront distributions"},
		{KindCodePipeline, "CodePipeline", "pipelines", "Replace the CodePipeline pipelines"},
		{KindCodeBuild, "CodeBuild", "projects", "Replace the CodeBuild projects"},
		{KindIAMRole, "IAM", "roles", "Review and retire the IAM roles"},
		{KindSecurityGroup, "VPC", "security groups", "Review and retire the security groups"},
		{KindCloudWatchAlarm, "CloudWatch", "alarms", "Re-create the CloudWatch alarms as platform alerts"},
	}
}

// InfoFor returns the description of kind k; unknown kinds get a generic one.
func InfoFor(k Kind) KindInfo {
	for _, info := range Kinds() {
		if info.Kind == k {
			return info
		}
	}
	return KindInfo{Kind: k, Component: string(k), Noun: "resources", Action: "Migrate " + string(k)}
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
}
