package model

import (
	"fmt"
	"strings"
)

// EffortHours is the work, in engineer-hours, that moving one plan item of
// each kind is estimated to take: an assumption like the drag's, shown
// next to every figure it produces and set with checklist.effort_hours.
type EffortHours map[Kind]float64

// DefaultEffortHours are the estimates used when the config sets none. The
// reasoning behind each is in docs/checklist.md.
func DefaultEffortHours() EffortHours {
	return EffortHours{
		KindECSService:    12,
		KindECSCluster:    2,
		KindEKSCluster:    40,
		KindEC2Instance:   16,
		KindLambda:        8,
		KindRDSInstance:   16,
		KindAuroraCluster: 24,
		KindElastiCache:   6,
		KindSQSQueue:      6,
		KindSNSTopic:      4,
		KindLoadBalancer:  4,
		KindAPIGateway:    8,
		KindCloudFront:    4,
		KindCodePipeline:  4,
		KindCodeBuild:     4,
		KindIAMRole:       4,
		KindSecurityGroup: 2,
	}
}

// For returns the estimate for kind k: the configured one, else the
// default, else 8 hours for a kind opsdrag does not describe.
func (e EffortHours) For(k Kind) float64 {
	if h, ok := e[k]; ok {
		return h
	}
	if h, ok := DefaultEffortHours()[k]; ok {
		return h
	}
	return 8
}

// PlanKinds lists the kinds the plan makes items of, in the order
// checklist.effort_hours documents them. CloudWatch alarms are not among
// them: each alarm is a step of the component it watches.
func PlanKinds() []Kind {
	var out []Kind
	for _, k := range Kinds() {
		if k.Kind != KindCloudWatchAlarm {
			out = append(out, k.Kind)
		}
	}
	return out
}

// groupedKinds are moved as one item per account and region (per account
// for global services): a queue or a function is small, and a team moves
// them together.
var groupedKinds = map[Kind]bool{
	KindLambda: true, KindSQSQueue: true, KindSNSTopic: true, KindAPIGateway: true,
	KindCloudFront: true, KindCodeBuild: true, KindIAMRole: true, KindSecurityGroup: true,
}

// grouped reports whether kind k is moved as one item per place.
func grouped(k Kind) bool {
	if groupedKinds[k] {
		return true
	}
	// A kind opsdrag does not describe has only names: one item per place.
	return !isKnownKind(k)
}

func isKnownKind(k Kind) bool {
	for _, info := range Kinds() {
		if info.Kind == k {
			return true
		}
	}
	return false
}

// costServices are the names Cost Explorer's SERVICE dimension gives the
// service each kind is billed under.
var costServices = map[Kind][]string{
	KindECSService:    {"Amazon Elastic Container Service"},
	KindECSCluster:    {"Amazon Elastic Container Service"},
	KindEKSCluster:    {"Amazon Elastic Container Service for Kubernetes", "Amazon Elastic Kubernetes Service"},
	KindEC2Instance:   {"Amazon Elastic Compute Cloud - Compute"},
	KindLambda:        {"AWS Lambda"},
	KindRDSInstance:   {"Amazon Relational Database Service"},
	KindAuroraCluster: {"Amazon Relational Database Service"},
	KindElastiCache:   {"Amazon ElastiCache"},
	KindSQSQueue:      {"Amazon Simple Queue Service"},
	KindSNSTopic:      {"Amazon Simple Notification Service"},
	KindLoadBalancer:  {"Amazon Elastic Load Balancing", "Elastic Load Balancing"},
	KindAPIGateway:    {"Amazon API Gateway"},
	KindCloudFront:    {"Amazon CloudFront"},
	KindCodePipeline:  {"AWS CodePipeline"},
	KindCodeBuild:     {"CodeBuild", "AWS CodeBuild"},
}

// engineName names a database or cache engine for people.
func engineName(engine string) string {
	e := strings.ToLower(engine)
	for _, n := range []struct{ prefix, name string }{
		{"aurora-postgresql", "Aurora PostgreSQL"}, {"aurora-mysql", "Aurora MySQL"}, {"aurora", "Aurora MySQL"},
		{"postgres", "PostgreSQL"}, {"mysql", "MySQL"}, {"mariadb", "MariaDB"},
		{"sqlserver", "SQL Server"}, {"oracle", "Oracle"}, {"db2", "Db2"},
		{"redis", "Redis"}, {"valkey", "Valkey"}, {"memcached", "Memcached"},
	} {
		if strings.HasPrefix(e, n.prefix) {
			return n.name
		}
	}
	if engine == "" {
		return "unknown engine"
	}
	return engine
}

// describe fills an item's title, facts, members and steps from what it
// moves. Steps name capabilities of a managed application platform, not a
// vendor.
func describe(b *building) {
	it := &b.item
	r := b.main[0]
	alerts := "Re-create its alarms as platform alerts (none watch it now: decide what should)"
	if n := len(b.alarms); n > 0 {
		alerts = fmt.Sprintf("Re-create its %s (%s) as platform alerts", Plural(n, "alarm"), listNames(b.alarms, 3))
	}
	step := func(id, text string) { it.Steps = append(it.Steps, PlanStep{ID: id, Text: text}) }
	fact := func(label, value string) {
		if value != "" {
			it.Facts = append(it.Facts, Fact{Label: label, Value: value})
		}
	}
	switch it.Kind {
	case KindRDSInstance, KindAuroraCluster:
		what := "database"
		if it.Kind == KindAuroraCluster {
			what = "Aurora cluster"
		}
		it.Title = fmt.Sprintf("Move the %s %s %s", engineName(r.Engine), what, r.ID)
		fact("Engine", strings.TrimSpace(engineName(r.Engine)+" "+r.EngineVersion))
		fact("Class", r.Class)
		if it.Kind == KindRDSInstance {
			fact("Multi-AZ", yesNo(r.MultiAZ))
		}
		if r.Nodes > 0 {
			fact("Instances", fmt.Sprint(r.Nodes))
		}
		storage := "its storage"
		if r.StorageGiB > 0 {
			storage = fmt.Sprintf("its %d GiB of storage", r.StorageGiB)
			fact("Storage", fmt.Sprintf("%d GiB", r.StorageGiB))
		}
		if len(b.main) > 1 {
			fact("Read replicas", listNames(ids(b.main[1:]), 5))
		}
		major := r.MajorVersion()
		if major != "" {
			major = " " + major
		}
		size := ""
		if r.Class != "" {
			size = ", sized like " + r.Class
		}
		if r.MultiAZ {
			size += ", with a standby"
		}
		step("provision", fmt.Sprintf("Provision the platform's managed %s%s database%s", engineName(r.Engine), major, size))
		step("data-move", "Plan the data move (dump/restore or replication) and a cut-over window sized by "+storage+"; rehearse it")
		step("secrets", "Move the connection strings to the platform's secrets")
		step("alerts", alerts)
		step("cutover", "Cut over in the window and check the application against the new database")
		retire := "Retire the instance, its parameter groups, snapshots and alarms"
		if it.Kind == KindAuroraCluster {
			retire = "Retire the cluster, its instances, parameter groups, snapshots and alarms"
		}
		if len(b.main) > 1 {
			retire += " (and its read replicas)"
		}
		step("retire", retire)
	case KindElastiCache:
		it.Title = fmt.Sprintf("Move the %s cache %s", engineName(r.Engine), groupOrID(r))
		fact("Engine", strings.TrimSpace(engineName(r.Engine)+" "+r.EngineVersion))
		fact("Node type", r.Class)
		nodes := 0
		for _, m := range b.main {
			nodes += max(m.Nodes, 1)
		}
		fact("Nodes", fmt.Sprint(nodes))
		if len(b.main) > 1 {
			fact("Clusters", listNames(ids(b.main), 5))
		}
		step("provision", fmt.Sprintf("Provision the platform's managed %s cache (%s)", engineName(r.Engine), Plural(nodes, "node")))
		step("warm", "Decide whether the cache can start cold; if not, plan how it warms before the switch")
		step("secrets", "Move its endpoint and credentials to the platform's secrets")
		step("alerts", alerts)
		step("retire", "Retire the cluster, its parameter and subnet groups, snapshots and alarms")
	case KindECSService:
		cluster, svc, _ := strings.Cut(r.ID, "/")
		it.Title = "Move the ECS service " + svc
		if len(b.lbs) > 0 {
			it.Title += " and its load balancer"
		}
		fact("Cluster", cluster)
		fact("Launch type", r.LaunchType)
		if r.DesiredTasks > 0 || r.RunningTasks > 0 {
			fact("Tasks", fmt.Sprintf("%d running of %d desired", r.RunningTasks, r.DesiredTasks))
		}
		fact("Load balancer", strings.Join(ids(b.lbs), ", "))
		fact("Deployed by", strings.Join(ids(b.pipelines), ", "))
		tasks := ""
		if r.DesiredTasks > 0 {
			tasks = fmt.Sprintf(" with %s", Plural(r.DesiredTasks, "instance"))
		}
		step("runtime", "Run its container on the platform's managed runtime"+tasks)
		deploy := "Deploy it with git-push deploys"
		if len(b.pipelines) > 0 {
			deploy += " in place of pipeline " + strings.Join(ids(b.pipelines), ", ")
		}
		step("deploy", deploy)
		step("secrets", "Move its environment variables and secrets to the platform's secrets")
		if len(b.lbs) > 0 {
			step("routing", "Route its traffic with the platform's routing and TLS in place of load balancer "+strings.Join(ids(b.lbs), ", "))
		} else {
			step("routing", "Give it the platform's routing and TLS if it serves traffic")
		}
		step("alerts", strings.Replace(alerts, "Re-create", "Use the platform's built-in metrics; re-create", 1))
		retire := "Retire the service, its task definitions and alarms"
		if len(b.lbs) > 0 {
			retire = "Retire the service, its task definitions, load balancer, target groups and alarms"
		}
		if len(b.pipelines) > 0 {
			retire += ", and the pipeline"
		}
		step("retire", retire)
	case KindECSCluster:
		it.Title = "Retire the ECS cluster " + r.ID
		if b.services > 0 {
			fact("Services", fmt.Sprint(b.services))
			step("services", fmt.Sprintf("Move its %s (items of their own)", Plural(b.services, "service")))
		}
		step("alerts", alerts)
		step("retire", "Retire the cluster, its capacity providers, container instances and alarms")
	case KindEKSCluster:
		it.Title = "Move the workloads of EKS cluster " + r.ID
		fact("Version", r.EngineVersion)
		step("inventory", "List the cluster's workloads, their ingress, volumes and secrets")
		step("runtime", "Run each workload on the platform's managed runtime")
		step("deploy", "Deploy them with git-push deploys in place of the cluster's manifests")
		step("secrets", "Move their secrets and config to the platform's secrets")
		step("routing", "Move ingress to the platform's routing and TLS")
		step("alerts", alerts)
		step("retire", "Retire the cluster, its node groups, add-ons and alarms")
	case KindEC2Instance:
		name := r.Label()
		if r.Group != "" {
			name = "group " + r.Group
		}
		it.Title = "Replace the EC2 " + name
		fact("Instance type", r.Class)
		if len(b.main) > 1 {
			fact("Instances", fmt.Sprintf("%d (%s)", len(b.main), listNames(labels(b.main), 3)))
		}
		fact("State", r.Detail)
		step("inventory", "Find what runs on it: processes, cron jobs, disks, open ports")
		step("runtime", "Package it as a container and run it on the platform's managed runtime")
		step("deploy", "Deploy it with git-push deploys")
		step("secrets", "Move its config and secrets to the platform's secrets")
		step("alerts", alerts)
		step("retire", "Retire the instances, their volumes, snapshots and alarms")
	case KindLoadBalancer:
		it.Title = "Replace the load balancer " + r.ID + " with platform routing"
		fact("Type", r.Class)
		fact("Fronts", strings.Join(b.fronts, ", "))
		step("routing", "Route its hosts and paths with the platform's routing")
		step("tls", "Move its certificates to the platform's TLS")
		step("alerts", alerts)
		step("retire", "Retire the load balancer, its listeners, target groups and alarms")
	case KindCodePipeline:
		it.Title = "Replace the pipeline " + r.ID + " with git-push deploys"
		fact("Deploys", strings.Join(r.Deploys, ", "))
		step("deploy", "Deploy what it deploys with the platform's git-push deploys")
		step("checks", "Keep its test and approval stages as checks before the push deploys")
		step("alerts", alerts)
		step("retire", "Retire the pipeline, its artifact bucket and role")
	default:
		describeGroup(b, alerts, step, fact)
	}
	for _, lb := range b.lbs {
		it.Members = append(it.Members, "load balancer "+lb.ID)
	}
	for _, p := range b.pipelines {
		it.Members = append(it.Members, "pipeline "+p.ID)
	}
}

// describeGroup describes an item that moves every resource of a kind in
// one place.
func describeGroup(b *building, alerts string, step func(id, text string), fact func(label, value string)) {
	it := &b.item
	info := InfoFor(it.Kind)
	n := b.count
	it.Title = fmt.Sprintf("%s (%s)", info.Action, info.Count(n))
	fact(strings.ToUpper(info.Noun[:1])+info.Noun[1:], listNames(ids(b.main), 8))
	if b.note != "" {
		fact("Detail", b.note)
	}
	switch it.Kind {
	case KindSQSQueue:
		step("provision", "Create the queues on the platform's managed queue, with their dead-letter queues")
		step("drain", "Switch producers, then let consumers drain the old queues before switching them")
		step("secrets", "Move queue URLs and credentials to the platform's secrets")
		step("alerts", alerts)
		step("retire", "Retire the queues, their policies and alarms")
	case KindSNSTopic:
		step("provision", "Re-create the topics' fan-out on the platform's managed queue or alerts")
		step("subscribers", "Move each subscriber (queues, endpoints, pagers)")
		step("alerts", alerts)
		step("retire", "Retire the topics and their subscriptions")
	case KindLambda:
		step("runtime", "Run each function on the platform's managed runtime (as a service, job or scheduled task)")
		step("triggers", "Move their triggers: queues, schedules, HTTP routes")
		step("secrets", "Move their environment and secrets to the platform's secrets")
		step("alerts", alerts)
		step("retire", "Retire the functions, their roles, log groups and alarms")
	case KindAPIGateway:
		step("routing", "Serve the APIs' routes with the platform's routing and TLS")
		step("auth", "Move authorizers, API keys and throttling into the services or the platform")
		step("alerts", alerts)
		step("retire", "Retire the APIs, their stages, domains and alarms")
	case KindCloudFront:
		step("routing", "Serve the distributions' hosts with the platform's routing, TLS and caching")
		step("dns", "Point the DNS names at the platform")
		step("retire", "Retire the distributions and their certificates")
	case KindCodeBuild:
		step("deploy", "Build with the platform's git-push deploys")
		step("retire", "Retire the projects and their roles")
	case KindIAMRole:
		step("review", "Once the components above have moved, find the roles nothing uses any more")
		step("retire", "Retire them (service-linked roles go with their service)")
	case KindSecurityGroup:
		step("review", "Once the components above have moved, find the security groups nothing uses any more")
		step("retire", "Retire them")
	default:
		step("move", "Move them to the platform")
		step("retire", "Retire them")
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// groupOrID names a cache by its replication group when it has one.
func groupOrID(r Resource) string {
	if r.Group != "" {
		return r.Group
	}
	return r.ID
}

func ids(rs []Resource) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func labels(rs []Resource) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Label()
	}
	return out
}

// listNames joins at most n names, saying how many more there are.
func listNames(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(", +%d more", len(names)-n)
}
