package model_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/model"
)

const acct = "111111111111"

// planInventory is one of each kind the plan makes items of, in
// us-east-1 (and IAM and CloudFront globally), with the facts the
// collectors read.
func planInventory() []model.ResourceGroup {
	g := func(k model.Kind, region string, rs ...model.Resource) model.ResourceGroup {
		names := make([]string, len(rs))
		for i, r := range rs {
			names[i] = r.ID
		}
		return model.ResourceGroup{Kind: k, Account: acct, Region: region, Names: names, Count: len(rs), Resources: rs}
	}
	names := func(k model.Kind, region string, ns ...string) model.ResourceGroup {
		return model.ResourceGroup{Kind: k, Account: acct, Region: region, Names: ns, Count: len(ns)}
	}
	const tgAPI = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/api-tg/73e2d6bc24d8a067"
	const tgWeb = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/web-tg/83e2d6bc24d8a067"
	const tgAdm = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/admin-tg/93e2d6bc24d8a067"
	return []model.ResourceGroup{
		g(model.KindECSCluster, "us-east-1", model.Resource{ID: "prod"}),
		g(model.KindECSService, "us-east-1",
			model.Resource{ID: "prod/api", LaunchType: "Fargate", DesiredTasks: 3, RunningTasks: 3, TargetGroups: []string{tgAPI}},
			model.Resource{ID: "prod/web", LaunchType: "Fargate", DesiredTasks: 2, RunningTasks: 2, TargetGroups: []string{tgWeb}},
			model.Resource{ID: "prod/admin", LaunchType: "EC2", DesiredTasks: 1, RunningTasks: 1, TargetGroups: []string{tgAdm}},
			model.Resource{ID: "prod/worker", LaunchType: "Fargate", DesiredTasks: 2, RunningTasks: 1},
		),
		g(model.KindEKSCluster, "us-east-1", model.Resource{ID: "platform", EngineVersion: "1.31"}),
		g(model.KindEC2Instance, "us-east-1",
			model.Resource{ID: "i-0a", Name: "bastion", Class: "t3.micro", Detail: "running"},
			model.Resource{ID: "i-0b", Class: "m5.large", Group: "batch-asg"},
			model.Resource{ID: "i-0c", Class: "m5.large", Group: "batch-asg"},
		),
		names(model.KindLambda, "us-east-1", "thumbnails", "webhooks"),
		g(model.KindRDSInstance, "us-east-1",
			model.Resource{ID: "orders-db-replica", Engine: "mysql", EngineVersion: "8.0.35", Class: "db.r6g.large", StorageGiB: 200, Group: "orders-db"},
			model.Resource{ID: "orders-db", Engine: "mysql", EngineVersion: "8.0.35", Class: "db.r6g.large", MultiAZ: true, StorageGiB: 200},
		),
		g(model.KindAuroraCluster, "us-east-1", model.Resource{ID: "core", Engine: "aurora-postgresql", EngineVersion: "16.4", Nodes: 2}),
		g(model.KindElastiCache, "us-east-1",
			model.Resource{ID: "sessions-001", Engine: "redis", EngineVersion: "7.1", Class: "cache.t4g.small", Nodes: 1, Group: "sessions"},
			model.Resource{ID: "sessions-002", Engine: "redis", EngineVersion: "7.1", Class: "cache.t4g.small", Nodes: 1, Group: "sessions"},
		),
		names(model.KindSQSQueue, "us-east-1", "orders", "orders-dlq"),
		names(model.KindSNSTopic, "us-east-1", "alarms-pager"),
		g(model.KindLoadBalancer, "us-east-1",
			// api-alb fronts api alone: it moves with it.
			model.Resource{ID: "api-alb", Class: "application", ARN: "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/api-alb/50dc6c495c0c9188", TargetGroups: []string{tgAPI}},
			// shared-alb fronts web and admin: an item of its own.
			model.Resource{ID: "shared-alb", Class: "application", ARN: "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/shared-alb/60dc6c495c0c9188", TargetGroups: []string{tgWeb, tgAdm}},
		),
		names(model.KindAPIGateway, "us-east-1", "public-api"),
		names(model.KindCloudFront, "global", "www.example.com (E1ABC)"),
		g(model.KindCodePipeline, "us-east-1",
			model.Resource{ID: "api-deploy", Deploys: []string{"prod/api"}},
			model.Resource{ID: "release-all", Deploys: []string{"prod/web", "prod/admin"}},
		),
		names(model.KindCodeBuild, "us-east-1", "api-build"),
		names(model.KindIAMRole, "global", "app-task", "deploy"),
		names(model.KindSecurityGroup, "us-east-1", "web (sg-1)"),
		names(model.KindCloudWatchAlarm, "us-east-1", "api-5xx"),
		// Listed but empty: no item.
		{Kind: model.KindLambda, Account: acct, Region: "eu-west-1", Count: 0},
		// Could not be listed: a gap, said, never an item.
		{Kind: model.KindRDSInstance, Account: acct, Region: "eu-west-1", Unknown: true, Note: "permission denied for rds:DescribeDBInstances"},
	}
}

func target(alarm string, dims ...string) model.AlarmTarget {
	t := model.AlarmTarget{Account: acct, Region: "us-east-1", Alarm: alarm, Namespace: "AWS/Test"}
	for i := 0; i+1 < len(dims); i += 2 {
		t.Dimensions = append(t.Dimensions, model.Dimension{Name: dims[i], Value: dims[i+1]})
	}
	return t
}

// planSnapshot is planInventory with signals over week() (168 h, so window
// hours are hours per week).
func planSnapshot(extra ...model.Outcome) model.Snapshot {
	names := []string{"aws/inventory", "aws/alarms", "aws/codepipeline", "github/actions", "github/pulls", "aws/cost"}
	s := model.NewSnapshot(week(), false, names)
	ok := func(name string) model.Source { return model.Source{Name: name, Status: model.StatusOK, At: at(168)} }
	s = s.With(model.Outcome{Source: ok("aws/inventory"), Data: model.Data{Inventory: planInventory(), AlarmTargets: []model.AlarmTarget{
		target("db-cpu", "DBInstanceIdentifier", "orders-db"),
		target("replica-lag", "DBInstanceIdentifier", "orders-db-replica"),
		target("api-cpu", "ClusterName", "prod", "ServiceName", "api"),
		target("api-5xx", "LoadBalancer", "app/api-alb/50dc6c495c0c9188"),
		target("quiet-one", "CacheClusterId", "sessions-002"), // never fires: a step, no drag
		target("composite"), // no dimensions: unlinked
	}}})
	business := func(hours ...float64) []time.Time {
		var out []time.Time
		for _, h := range hours {
			out = append(out, at(h))
		}
		return out
	}
	s = s.With(model.Outcome{Source: ok("aws/alarms"), Data: model.Data{Alarms: []model.Alarm{
		// Mon 10:00, Tue 10:00 UTC: business hours, 30 min each.
		{Account: acct, Region: "us-east-1", Name: "db-cpu", State: model.StateOK, HistoryKnown: true, Transitions: business(10, 34)},
		// Mon 23:00: sleep, 30 × 2 = 60 min.
		{Account: acct, Region: "us-east-1", Name: "replica-lag", State: model.StateOK, HistoryKnown: true, Transitions: business(23)},
		{Account: acct, Region: "us-east-1", Name: "api-cpu", State: model.StateOK, HistoryKnown: true, Transitions: business(11)},
		{Account: acct, Region: "us-east-1", Name: "api-5xx", State: model.StateAlarm, HistoryKnown: true, Transitions: business(12, 13)},
		{Account: acct, Region: "us-east-1", Name: "composite", State: model.StateOK, HistoryKnown: true, Transitions: business(14)},
		{Account: acct, Region: "us-east-1", Name: "deleted-alarm", State: model.StateOK, HistoryKnown: true, Transitions: business(15)},
	}}})
	s = s.With(model.Outcome{Source: ok("aws/codepipeline"), Data: model.Data{Pipelines: []model.Pipeline{
		// 3 failures × 20 min = 60 min, tied to prod/api by its deploy action.
		{Provider: model.CodePipeline, Scope: acct + "/us-east-1", Name: "api-deploy", Failures: 3},
		// 1 failure + 2 reruns = 30 min, to its own item.
		{Provider: model.CodePipeline, Scope: acct + "/us-east-1", Name: "release-all", Failures: 1, Reruns: 2},
	}}})
	s = s.With(model.Outcome{Source: ok("github/actions"), Data: model.Data{Pipelines: []model.Pipeline{
		// GitHub Actions are not tied to components: 40 min unlinked.
		{Provider: model.GitHubActions, Scope: "acme/api", Name: "ci", Branch: "main", Failures: 2},
	}}})
	merged := ptr(at(100))
	s = s.With(model.Outcome{Source: ok("github/pulls"), Data: model.Data{PullRequests: []model.PullRequest{
		// Names orders-db (not the orders queue inside it): 2 h to the database.
		{Repo: "acme/infra", Number: 1, Title: "Grow orders-db storage", State: model.PRMerged, MergedAt: merged},
		// A changed path names the queue and the title the cache: 1 h each.
		{Repo: "acme/infra", Number: 2, Title: "Tune sessions eviction", State: model.PRMerged, MergedAt: merged, Paths: []string{"terraform/sqs/orders.tf"}},
		// Names nothing: unlinked.
		{Repo: "acme/infra", Number: 3, Title: "Bump provider", State: model.PRMerged, MergedAt: merged},
	}}})
	s = s.With(model.Outcome{Source: ok("aws/cost"), Data: model.Data{Invoices: []model.Invoice{{
		Account: acct, LastMonth: ptr(1000.0), Currency: "USD",
		ByService: map[string]float64{"Amazon Relational Database Service": 600, "Amazon ElastiCache": 100},
	}}}})
	for _, o := range extra {
		s = s.With(o)
	}
	return s
}

func planTeam() model.Team {
	return model.Team{Name: "acme", Engineers: 5, HourlyCost: 100, Currency: "USD", Location: time.UTC}
}

func buildPlan(s model.Snapshot, st model.PlanState) (model.Plan, model.Ledger) {
	l := model.ComputeLedger(s, planTeam(), model.DefaultAssumptions())
	return model.BuildPlan(s, l, model.DefaultEffortHours(), st), l
}

func item(t *testing.T, p model.Plan, id string) model.PlanItem {
	t.Helper()
	for _, it := range p.Items {
		if it.ID == id {
			return it
		}
	}
	var ids []string
	for _, it := range p.Items {
		ids = append(ids, it.ID)
	}
	t.Fatalf("no item %s in %v", id, ids)
	return model.PlanItem{}
}

func id(k model.Kind, region, res string) string { return model.PlanItemID(k, acct, region, res) }

func TestPlanItemsPerComponent(t *testing.T) {
	p, _ := buildPlan(planSnapshot(), model.PlanState{})
	var got []string
	for _, it := range p.Items {
		got = append(got, strings.TrimPrefix(it.ID, ""))
	}
	slices.Sort(got)
	want := []string{
		id(model.KindAPIGateway, "us-east-1", "*"),
		id(model.KindAuroraCluster, "us-east-1", "core"),
		id(model.KindCloudFront, "global", "*"),
		id(model.KindCodeBuild, "us-east-1", "*"),
		// api-deploy deploys prod/api alone: it moved into its item.
		id(model.KindCodePipeline, "us-east-1", "release-all"),
		id(model.KindEC2Instance, "us-east-1", "batch-asg"),
		id(model.KindEC2Instance, "us-east-1", "i-0a"),
		id(model.KindECSCluster, "us-east-1", "prod"),
		id(model.KindECSService, "us-east-1", "prod/admin"),
		id(model.KindECSService, "us-east-1", "prod/api"),
		id(model.KindECSService, "us-east-1", "prod/web"),
		id(model.KindECSService, "us-east-1", "prod/worker"),
		id(model.KindEKSCluster, "us-east-1", "platform"),
		id(model.KindElastiCache, "us-east-1", "sessions"),
		id(model.KindIAMRole, "global", "*"),
		id(model.KindLambda, "us-east-1", "*"),
		// api-alb fronts prod/api alone: it moved into its item.
		id(model.KindLoadBalancer, "us-east-1", "shared-alb"),
		// The replica joined its primary.
		id(model.KindRDSInstance, "us-east-1", "orders-db"),
		id(model.KindSNSTopic, "us-east-1", "*"),
		id(model.KindSQSQueue, "us-east-1", "*"),
		id(model.KindSecurityGroup, "us-east-1", "*"),
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("items:\n got %v\nwant %v", got, want)
	}
	if len(p.Gaps) != 1 || !strings.Contains(p.Gaps[0], "eu-west-1: instances unknown — permission denied for rds:DescribeDBInstances") {
		t.Errorf("gaps = %q", p.Gaps)
	}

	db := item(t, p, id(model.KindRDSInstance, "us-east-1", "orders-db"))
	if db.Title != "Move the MySQL database orders-db" {
		t.Errorf("title %q", db.Title)
	}
	wantFacts := []model.Fact{{"Engine", "MySQL 8.0.35"}, {"Class", "db.r6g.large"}, {"Multi-AZ", "yes"}, {"Storage", "200 GiB"}, {"Read replicas", "orders-db-replica"}}
	if !slices.Equal(db.Facts, wantFacts) {
		t.Errorf("facts %v", db.Facts)
	}
	var steps []string
	for _, s := range db.Steps {
		steps = append(steps, s.ID+": "+s.Text)
	}
	wantSteps := []string{
		"provision: Provision the platform's managed MySQL 8.0 database, sized like db.r6g.large, with a standby",
		"data-move: Plan the data move (dump/restore or replication) and a cut-over window sized by its 200 GiB of storage; rehearse it",
		"secrets: Move the connection strings to the platform's secrets",
		"alerts: Re-create its 2 alarms (db-cpu, replica-lag) as platform alerts",
		"cutover: Cut over in the window and check the application against the new database",
		"retire: Retire the instance, its parameter groups, snapshots and alarms (and its read replicas)",
	}
	if !slices.Equal(steps, wantSteps) {
		t.Errorf("steps:\n%s", strings.Join(steps, "\n"))
	}
	if db.EffortHours != 16 {
		t.Errorf("effort %v", db.EffortHours)
	}

	api := item(t, p, id(model.KindECSService, "us-east-1", "prod/api"))
	if api.Title != "Move the ECS service api and its load balancer" || !slices.Equal(api.Members, []string{"load balancer api-alb", "pipeline api-deploy"}) {
		t.Errorf("api = %q %v", api.Title, api.Members)
	}
	// ECS service 12 + load balancer 4 + pipeline 4.
	if api.EffortHours != 20 || len(api.Effort) != 3 {
		t.Errorf("api effort %v %v", api.EffortHours, api.Effort)
	}
	shared := item(t, p, id(model.KindLoadBalancer, "us-east-1", "shared-alb"))
	if !slices.Contains(shared.Facts, model.Fact{Label: "Fronts", Value: "prod/web, prod/admin"}) {
		t.Errorf("shared-alb facts %v", shared.Facts)
	}
	cache := item(t, p, id(model.KindElastiCache, "us-east-1", "sessions"))
	if cache.Title != "Move the Redis cache sessions" || !slices.Contains(cache.Facts, model.Fact{Label: "Nodes", Value: "2"}) {
		t.Errorf("cache %q %v", cache.Title, cache.Facts)
	}
	if cl := item(t, p, id(model.KindECSCluster, "us-east-1", "prod")); cl.Steps[0].Text != "Move its 4 services (items of their own)" {
		t.Errorf("cluster steps %v", cl.Steps)
	}
	q := item(t, p, id(model.KindSQSQueue, "us-east-1", "*"))
	if q.Title != "Move the SQS queues (2 queues)" {
		t.Errorf("queues %q", q.Title)
	}
	// Cost Explorer's RDS line is the database's and the Aurora
	// cluster's: shown whole, shared by 2, never split.
	if db.Cost == nil || db.Cost.Monthly != 600 || db.Cost.SharedBy != 2 || db.Cost.Service != "Amazon Relational Database Service" {
		t.Errorf("db cost %+v", db.Cost)
	}
	if api.Cost != nil {
		t.Errorf("api cost %+v: Cost Explorer gave no ECS line", api.Cost)
	}
}

func TestPlanNothingRunNothingListed(t *testing.T) {
	s := model.NewSnapshot(week(), false, []string{"aws/inventory"})
	s = s.With(model.Outcome{Source: model.Source{Name: "aws/inventory", Status: model.StatusOK, At: at(168)}, Data: model.Data{
		Inventory: []model.ResourceGroup{{Kind: model.KindRDSInstance, Account: acct, Region: "us-east-1"}},
	}})
	p, _ := buildPlan(s, model.PlanState{})
	if len(p.Items) != 0 {
		t.Errorf("items %v", p.Items)
	}
}

func TestPlanAlarmLinksByDimension(t *testing.T) {
	inv := planInventory()
	for _, tc := range []struct {
		dims []string
		want string // item id, "" for none
		via  string
	}{
		{[]string{"DBInstanceIdentifier", "orders-db"}, id(model.KindRDSInstance, "us-east-1", "orders-db"), "alarm dimension DBInstanceIdentifier = orders-db"},
		{[]string{"DBInstanceIdentifier", "orders-db-replica"}, id(model.KindRDSInstance, "us-east-1", "orders-db"), ""},
		{[]string{"DBClusterIdentifier", "core"}, id(model.KindAuroraCluster, "us-east-1", "core"), ""},
		{[]string{"CacheClusterId", "sessions-001"}, id(model.KindElastiCache, "us-east-1", "sessions"), ""},
		{[]string{"ReplicationGroupId", "sessions"}, id(model.KindElastiCache, "us-east-1", "sessions"), ""},
		{[]string{"QueueName", "orders-dlq"}, id(model.KindSQSQueue, "us-east-1", "*"), ""},
		{[]string{"TopicName", "alarms-pager"}, id(model.KindSNSTopic, "us-east-1", "*"), ""},
		{[]string{"ClusterName", "prod", "ServiceName", "worker"}, id(model.KindECSService, "us-east-1", "prod/worker"), "alarm dimension ClusterName = prod, ServiceName = worker"},
		{[]string{"ClusterName", "prod"}, id(model.KindECSCluster, "us-east-1", "prod"), ""},
		{[]string{"LoadBalancer", "app/api-alb/50dc6c495c0c9188"}, id(model.KindECSService, "us-east-1", "prod/api"), ""},
		{[]string{"LoadBalancer", "app/shared-alb/60dc6c495c0c9188"}, id(model.KindLoadBalancer, "us-east-1", "shared-alb"), ""},
		{[]string{"TargetGroup", "targetgroup/web-tg/83e2d6bc24d8a067", "LoadBalancer", "app/shared-alb/60dc6c495c0c9188"}, id(model.KindECSService, "us-east-1", "prod/web"), "alarm dimension TargetGroup = targetgroup/web-tg/83e2d6bc24d8a067"},
		{[]string{"FunctionName", "webhooks"}, id(model.KindLambda, "us-east-1", "*"), ""},
		{[]string{"InstanceId", "i-0a"}, id(model.KindEC2Instance, "us-east-1", "i-0a"), ""},
		{[]string{"InstanceId", "i-0c"}, id(model.KindEC2Instance, "us-east-1", "batch-asg"), ""},
		{[]string{"AutoScalingGroupName", "batch-asg"}, id(model.KindEC2Instance, "us-east-1", "batch-asg"), ""},
		{[]string{"ApiName", "public-api"}, id(model.KindAPIGateway, "us-east-1", "*"), ""},
		{[]string{"ProjectName", "api-build"}, id(model.KindCodeBuild, "us-east-1", "*"), ""},
		{[]string{"DBInstanceIdentifier", "someone-elses-db"}, "", ""},
		{[]string{"QueueName", "orders"}, id(model.KindSQSQueue, "us-east-1", "*"), ""},
	} {
		t.Run(strings.Join(tc.dims, "="), func(t *testing.T) {
			s := model.NewSnapshot(week(), false, []string{"aws/inventory", "aws/alarms"})
			ok := func(name string) model.Source { return model.Source{Name: name, Status: model.StatusOK, At: at(168)} }
			s = s.With(model.Outcome{Source: ok("aws/inventory"), Data: model.Data{Inventory: inv, AlarmTargets: []model.AlarmTarget{target("a", tc.dims...)}}})
			s = s.With(model.Outcome{Source: ok("aws/alarms"), Data: model.Data{Alarms: []model.Alarm{
				{Account: acct, Region: "us-east-1", Name: "a", HistoryKnown: true, Transitions: []time.Time{at(10)}},
			}}})
			p, _ := buildPlan(s, model.PlanState{})
			var linked []string
			for _, it := range p.Items {
				for _, l := range it.Links {
					linked = append(linked, it.ID)
					if tc.via != "" && l.Via != tc.via {
						t.Errorf("via %q, want %q", l.Via, tc.via)
					}
					if l.ByName || l.WeekHours != 0.5 || l.Shared != 1 {
						t.Errorf("link %+v", l)
					}
				}
				if tc.want == it.ID && !slices.Contains(it.Alarms, "a") {
					t.Errorf("%s does not list alarm a among its alarms: %v", it.ID, it.Alarms)
				}
			}
			switch {
			case tc.want == "" && (len(linked) != 0 || len(p.Unlinked) != 1):
				t.Errorf("linked to %v, unlinked %v: want unlinked", linked, p.Unlinked)
			case tc.want != "" && !slices.Equal(linked, []string{tc.want}):
				t.Errorf("linked to %v, want %s", linked, tc.want)
			}
		})
	}
}

// TestPlanDragPerItem works each item's drag out by hand (window = one
// week, so window hours are hours per week).
func TestPlanDragPerItem(t *testing.T) {
	p, l := buildPlan(planSnapshot(), model.PlanState{})
	for _, tc := range []struct {
		id    string
		hours float64
		links int
	}{
		// db-cpu 2 × 30 min + replica-lag 1 sleep × 30 × 2 = 120 min;
		// PR #1 names orders-db: 2 h. 4 h.
		{id(model.KindRDSInstance, "us-east-1", "orders-db"), 4, 3},
		// api-cpu 30 min + api-5xx (its load balancer) 2 × 30 min +
		// pipeline api-deploy 3 × 20 min = 150 min = 2.5 h.
		{id(model.KindECSService, "us-east-1", "prod/api"), 2.5, 3},
		// release-all 1 × 20 + 2 × 5 = 30 min.
		{id(model.KindCodePipeline, "us-east-1", "release-all"), 0.5, 1},
		// PR #2 is named by two items: its 2 h split in two.
		{id(model.KindElastiCache, "us-east-1", "sessions"), 1, 1},
		{id(model.KindSQSQueue, "us-east-1", "*"), 1, 1},
		{id(model.KindAuroraCluster, "us-east-1", "core"), 0, 0},
	} {
		it := item(t, p, tc.id)
		if !near(it.WeekHours, tc.hours) || len(it.Links) != tc.links {
			t.Errorf("%s: %v h/week from %d links, want %v from %d: %+v", tc.id, it.WeekHours, len(it.Links), tc.hours, tc.links, it.Links)
		}
	}
	sq := item(t, p, id(model.KindSQSQueue, "us-east-1", "*"))
	if l := sq.Links[0]; !l.ByName || l.Shared != 2 || l.Via != `its changed path terraform/sqs/orders.tf names "orders"` {
		t.Errorf("queue link %+v", l)
	}
	if l := item(t, p, id(model.KindElastiCache, "us-east-1", "sessions")).Links[0]; l.Via != `its title names "sessions"` {
		t.Errorf("cache link %+v", l)
	}
	// Unlinked: composite 30 min + deleted-alarm 30 min + GitHub ci 2 × 20
	// min + PR #3 2 h = 160 min + 2 h = 4.6667 h.
	if !near(p.UnlinkedWeekHours, 2+(30+30+40)/60.0) || len(p.Unlinked) != 4 {
		t.Errorf("unlinked %v h: %+v", p.UnlinkedWeekHours, p.Unlinked)
	}
	// Nothing is lost or counted twice.
	sum := p.UnlinkedWeekHours
	for _, it := range p.Items {
		sum += it.WeekHours
	}
	if !near(sum, l.HoursPerWeek) {
		t.Errorf("items + unlinked = %v, ledger %v", sum, l.HoursPerWeek)
	}
}

func TestPlanPaybackOrder(t *testing.T) {
	p, _ := buildPlan(planSnapshot(), model.PlanState{})
	var got []string
	for _, it := range p.Items[:6] {
		w, _ := it.Payback()
		got = append(got, fmt.Sprintf("%s %s", it.ID, model.FormatNumber(w)))
	}
	want := []string{
		// Effort ÷ h/week: 6 ÷ 1 = 6; 6 ÷ 1 = 6 (by id); 16 ÷ 4 = 4 first;
		// 20 ÷ 2.5 = 8; 4 ÷ 0.5 = 8 (more drag first).
		id(model.KindRDSInstance, "us-east-1", "orders-db") + " 4",
		id(model.KindElastiCache, "us-east-1", "sessions") + " 6",
		id(model.KindSQSQueue, "us-east-1", "*") + " 6",
		id(model.KindECSService, "us-east-1", "prod/api") + " 8",
		id(model.KindCodePipeline, "us-east-1", "release-all") + " 8",
		// Then no drag, least effort first: security groups 2 h, ECS cluster 2 h.
		id(model.KindECSCluster, "us-east-1", "prod") + " 0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("order:\n got %v\nwant %v", got, want)
	}
	s := p.Summary()
	// 5 moves: 4 + 1 + 1 + 2.5 + 0.5 = 9 h/week for 16 + 6 + 6 + 20 + 4 = 52 h.
	if s.Moves != 5 || !near(s.RetiresWeekHours, 9) || s.EffortHours != 52 {
		t.Errorf("summary %+v", s)
	}
	if h := s.Headline(); h != "Moving these 5 retires 9.0 h/week for ~52 h of work: pays back in about 6 weeks" {
		t.Errorf("headline %q", h)
	}
}

func TestPlanPartialDragIsALowerBound(t *testing.T) {
	s := planSnapshot(model.Outcome{Source: model.Source{Name: "github/pulls", Status: model.StatusError, Detail: "rate limited"}})
	p, _ := buildPlan(s, model.PlanState{})
	db := item(t, p, id(model.KindRDSInstance, "us-east-1", "orders-db"))
	// github/pulls failed: its PRs are kept from the last collection
	// (stale), so the 4 h are a lower bound and the payback, 16 ÷ 4, an
	// upper one.
	if !near(db.WeekHours, 4) || db.Coverage.Completeness != model.LowerBound || model.FormatPayback(db) != "≤ 4.0" {
		t.Errorf("db %v h %s payback %s", db.WeekHours, db.Coverage.Completeness, model.FormatPayback(db))
	}
	if h := p.Summary().Headline(); !strings.Contains(h, "retires at least") || !strings.Contains(h, "pays back in at most") {
		t.Errorf("headline %q", h)
	}
}

func TestPlanMarksSurviveRederivationAndRetire(t *testing.T) {
	dbID := id(model.KindRDSInstance, "us-east-1", "orders-db")
	cacheID := id(model.KindElastiCache, "us-east-1", "sessions")
	st := model.PlanState{Marks: map[string]model.ItemMarks{
		dbID:    {Steps: map[string]bool{"provision": true, "secrets": true}, Note: "window: Sat 02:00"},
		cacheID: {Done: true},
	}}
	p, _ := buildPlan(planSnapshot(), st)
	db := item(t, p, dbID)
	if db.State != model.ItemOpen || db.StepsDone() != 2 || !db.Steps[0].Done || db.Steps[1].Done || db.Note != "window: Sat 02:00" {
		t.Errorf("db %s %d steps, note %q", db.State, db.StepsDone(), db.Note)
	}
	if c := item(t, p, cacheID); c.State != model.ItemDone {
		t.Errorf("cache %s", c.State)
	}
	// Every step ticked: the item is done.
	all := map[string]bool{}
	for _, s := range db.Steps {
		all[s.ID] = true
	}
	st.Marks[dbID] = model.ItemMarks{Steps: all}
	p, _ = buildPlan(planSnapshot(), st)
	if item(t, p, dbID).State != model.ItemDone {
		t.Error("all steps done, item not done")
	}

	// The database is gone from a complete inventory: retired, with the
	// drag it had when last seen.
	st.Seen = map[string]model.SeenItem{dbID: {ID: dbID, Kind: model.KindRDSInstance, Account: acct, Region: "us-east-1",
		Title: "Move the MySQL database orders-db", LastSeen: at(100), WeekHours: 4, Completeness: model.Complete}}
	st.Marks[dbID] = model.ItemMarks{Note: "moved Sat"}
	gone := func(status model.Status) model.Snapshot {
		inv := slices.DeleteFunc(planInventory(), func(g model.ResourceGroup) bool { return g.Kind == model.KindRDSInstance && !g.Unknown })
		inv = slices.DeleteFunc(inv, func(g model.ResourceGroup) bool { return g.Unknown })
		return planSnapshot(model.Outcome{Source: model.Source{Name: "aws/inventory", Status: status, At: at(168)}, Data: model.Data{Inventory: inv}})
	}
	p, l := buildPlan(gone(model.StatusOK), st)
	db = item(t, p, dbID)
	if db.State != model.ItemRetired || db.WeekHours != 4 || db.Note != "moved Sat" || db.Title != "Move the MySQL database orders-db" {
		t.Errorf("retired db %+v", db)
	}
	if p.Items[len(p.Items)-1].ID != dbID {
		t.Error("a retired item is not last")
	}
	sum := p.Summary()
	share := sum.RetiredShare(l)
	if sum.Retired != 1 || sum.RetiredWeekHours != 4 || share == nil || !near(*share, 4/(4+l.HoursPerWeek)) {
		t.Errorf("summary %+v share %v", sum, share)
	}
	// From an incomplete inventory it may still run: missing, not retired.
	p, _ = buildPlan(gone(model.StatusPartial), st)
	if db := item(t, p, dbID); db.State != model.ItemMissing {
		t.Errorf("state %s from a partial inventory, want missing", db.State)
	}
}

func TestPlanUnknownDrag(t *testing.T) {
	s := model.NewSnapshot(week(), false, []string{"aws/inventory", "aws/alarms"})
	s = s.With(model.Outcome{Source: model.Source{Name: "aws/inventory", Status: model.StatusOK, At: at(168)}, Data: model.Data{Inventory: planInventory()}})
	s = s.With(model.Outcome{Source: model.Source{Name: "aws/alarms", Status: model.StatusError, Detail: "denied"}})
	p, _ := buildPlan(s, model.PlanState{})
	if h := p.Summary().Headline(); !strings.HasPrefix(h, "The drag tied to each component is unknown") {
		t.Errorf("headline %q", h)
	}
	if got := model.FormatPayback(p.Items[0]); got != "unknown" {
		t.Errorf("payback %q", got)
	}
}

// PlanItemCount, what a tab shows before the plan is built, counts what
// BuildPlan lists: each component, and each item seen before that is gone
// (once, even when it is also present now).
func TestPlanItemCountIsTheItemsBuilt(t *testing.T) {
	p, _ := buildPlan(planSnapshot(), model.PlanState{})
	present := p.Items[0]
	st := model.PlanState{Seen: map[string]model.SeenItem{
		present.ID:        {ID: present.ID, Kind: present.Kind, Account: present.Account, Region: present.Region, Title: present.Title},
		"rds/gone/orders": {ID: "rds/gone/orders", Kind: model.KindRDSInstance, Account: acct, Region: "us-east-1", Title: "Move the MySQL database orders"},
	}}
	empty := model.NewSnapshot(week(), false, []string{"aws/inventory"})
	for name, c := range map[string]struct {
		s  model.Snapshot
		st model.PlanState
	}{
		"components": {planSnapshot(), model.PlanState{}},
		"seen":       {planSnapshot(), st},
		"nothing":    {empty, model.PlanState{}},
		"only seen":  {empty, st},
	} {
		p, _ := buildPlan(c.s, c.st)
		if got := model.PlanItemCount(c.s, c.st); got != len(p.Items) {
			t.Errorf("%s: PlanItemCount = %d, BuildPlan lists %d", name, got, len(p.Items))
		}
	}
	if n := model.PlanItemCount(planSnapshot(), st); n != len(p.Items)+1 {
		t.Errorf("one item gone since: %d, want %d", n, len(p.Items)+1)
	}
}
