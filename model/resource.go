package model

import "strings"

// Resource is one thing the team runs, with the facts moving it needs. The
// inventory reports them for the kinds whose items need more than a name;
// for the others the group's names stand in.
type Resource struct {
	// ID is the identifier AWS gives the resource and alarms name it by:
	// DBInstanceIdentifier, DBClusterIdentifier, CacheClusterId,
	// "cluster/service" for an ECS service, the load balancer's or the
	// pipeline's name, an EC2 instance id.
	ID string
	// Name is a friendlier name when there is one (an EC2 Name tag).
	Name string
	// ARN is the resource's ARN when the inventory read it (a load
	// balancer's names it in its alarms' LoadBalancer dimension).
	ARN string
	// Engine and EngineVersion are a database's or a cache's.
	Engine        string
	EngineVersion string
	// Class is the size: a DB instance class, a cache node type, an EC2
	// instance type, a load balancer's type.
	Class string
	// MultiAZ is true for a database with a standby in another zone.
	MultiAZ bool
	// StorageGiB is a database's allocated storage; 0 when unknown.
	StorageGiB int
	// Nodes counts a cache cluster's nodes or an Aurora cluster's members.
	Nodes int
	// Group is the natural group the resource belongs to: a Redis
	// replication group, the primary of an RDS read replica, an EC2 Auto
	// Scaling group. Empty when it stands alone.
	Group string
	// LaunchType is how an ECS service runs ("Fargate", "EC2").
	LaunchType string
	// DesiredTasks and RunningTasks are an ECS service's task counts.
	DesiredTasks int
	RunningTasks int
	// TargetGroups are the ARNs of the target groups an ECS service
	// registers with, or that a load balancer forwards to: how a service
	// and its load balancer are tied by API fact.
	TargetGroups []string
	// Deploys are the ECS services ("cluster/service") a pipeline's deploy
	// actions name in their configuration.
	Deploys []string
	// Detail is anything else worth saying, e.g. "runtime nodejs20.x".
	Detail string
}

// Label is how the resource is named to people: its name and id, or its
// id.
func (r Resource) Label() string {
	if r.Name != "" && r.Name != r.ID {
		return r.Name + " (" + r.ID + ")"
	}
	return r.ID
}

// MajorVersion is the engine's major version: "8.0" for MySQL 8.0.35
// (MySQL and MariaDB number majors with two parts), "16" for PostgreSQL
// 16.4, "7" for Redis 7.1.
func (r Resource) MajorVersion() string {
	parts := strings.Split(r.EngineVersion, ".")
	if len(parts) == 0 || parts[0] == "" {
		return ""
	}
	e := strings.ToLower(r.Engine)
	if (strings.Contains(e, "mysql") || strings.Contains(e, "mariadb")) && len(parts) > 1 {
		return parts[0] + "." + parts[1]
	}
	return parts[0]
}

// Dimension is one CloudWatch metric dimension.
type Dimension struct {
	Name  string
	Value string
}

// AlarmTarget is what one alarm watches, from DescribeAlarms: the metric's
// namespace and dimensions. It ties an alarm to the resource it concerns.
type AlarmTarget struct {
	Account    string
	Region     string
	Alarm      string
	Namespace  string
	Metric     string
	Dimensions []Dimension
}

// Dimension returns the value of the named dimension, "" when absent.
func (t AlarmTarget) Dimension(name string) string {
	for _, d := range t.Dimensions {
		if d.Name == name {
			return d.Value
		}
	}
	return ""
}
