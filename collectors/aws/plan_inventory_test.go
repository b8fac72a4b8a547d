package awscollect

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
)

const (
	tgArn = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/web-tg/73e2d6bc24d8a067"
	lbArn = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/50dc6c495c0c9188"
)

// installPlanDetails answers the inventory's calls with the details the
// plan reads, each in its service's wire format.
func installPlanDetails(f *fakeAWS) {
	xml := func(s string) fakeHandler { return func(fakeReq) fakeResp { return fakeResp{Body: s} } }
	f.handle("ecs", "ListClusters", func(r fakeReq) fakeResp {
		return fakeResp{Body: map[string]any{"clusterArns": []string{"arn:aws:ecs:" + r.Region + ":111111111111:cluster/prod"}}}
	})
	f.handle("ecs", "ListServices", func(r fakeReq) fakeResp {
		return fakeResp{Body: map[string]any{"serviceArns": []string{"arn:aws:ecs:" + r.Region + ":111111111111:service/prod/web"}}}
	})
	f.handle("ecs", "DescribeServices", func(r fakeReq) fakeResp {
		return fakeResp{Body: map[string]any{"services": []any{map[string]any{
			"serviceName": "web", "serviceArn": "arn:aws:ecs:us-east-1:111111111111:service/prod/web", "launchType": "FARGATE",
			"desiredCount": 3, "runningCount": 2,
			"loadBalancers": []any{map[string]any{"targetGroupArn": tgArn, "containerName": "web", "containerPort": 8080}},
		}}, "failures": []any{}}}
	})
	f.handle("rds", "DescribeDBInstances", xml(`<DBInstances>`+
		`<DBInstance><DBInstanceIdentifier>orders-db</DBInstanceIdentifier><Engine>mysql</Engine><EngineVersion>8.0.35</EngineVersion>`+
		`<DBInstanceClass>db.r6g.large</DBInstanceClass><MultiAZ>true</MultiAZ><AllocatedStorage>200</AllocatedStorage></DBInstance>`+
		`<DBInstance><DBInstanceIdentifier>orders-db-ro</DBInstanceIdentifier><Engine>mysql</Engine><EngineVersion>8.0.35</EngineVersion>`+
		`<ReadReplicaSourceDBInstanceIdentifier>orders-db</ReadReplicaSourceDBInstanceIdentifier></DBInstance>`+
		`</DBInstances>`))
	f.handle("elasticache", "DescribeCacheClusters", xml(`<CacheClusters><CacheCluster><CacheClusterId>sessions-001</CacheClusterId>`+
		`<Engine>redis</Engine><EngineVersion>7.1</EngineVersion><CacheNodeType>cache.t4g.small</CacheNodeType><NumCacheNodes>1</NumCacheNodes>`+
		`<ReplicationGroupId>sessions</ReplicationGroupId></CacheCluster></CacheClusters>`))
	f.handle("elasticloadbalancing", "DescribeLoadBalancers", xml(`<LoadBalancers><member><LoadBalancerName>web</LoadBalancerName>`+
		`<LoadBalancerArn>`+lbArn+`</LoadBalancerArn><Type>application</Type></member></LoadBalancers>`))
	f.handle("elasticloadbalancing", "DescribeTargetGroups", xml(`<TargetGroups><member><TargetGroupArn>`+tgArn+`</TargetGroupArn>`+
		`<LoadBalancerArns><member>`+lbArn+`</member></LoadBalancerArns></member></TargetGroups>`))
	f.handle("codepipeline", "ListPipelines", func(fakeReq) fakeResp {
		return fakeResp{Body: map[string]any{"pipelines": []any{map[string]any{"name": "web-deploy"}, map[string]any{"name": "migrations"}}}}
	})
	f.handle("codepipeline", "GetPipeline", func(r fakeReq) fakeResp {
		name, _ := r.Params["name"].(string)
		actions := []any{map[string]any{"name": "Build", "actionTypeId": map[string]any{"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"},
			"configuration": map[string]any{"ProjectName": "web-build"}}}
		if name == "web-deploy" {
			actions = append(actions, map[string]any{"name": "Deploy", "actionTypeId": map[string]any{"category": "Deploy", "owner": "AWS", "provider": "ECS", "version": "1"},
				"configuration": map[string]any{"ClusterName": "prod", "ServiceName": "web", "FileName": "imagedefinitions.json"}})
		}
		return fakeResp{Body: map[string]any{"pipeline": map[string]any{"name": name, "roleArn": "arn:aws:iam::111111111111:role/cp",
			"stages": []any{map[string]any{"name": "Main", "actions": actions}}}}}
	})
	f.handle("monitoring", "DescribeAlarms", func(fakeReq) fakeResp {
		db := metricAlarm("db-cpu", "OK", "r", at(time.Wednesday, 10, 0))
		db["Namespace"], db["MetricName"] = "AWS/RDS", "CPUUtilization"
		db["Dimensions"] = []any{map[string]any{"Name": "DBInstanceIdentifier", "Value": "orders-db"}}
		// A metric-math alarm names its metric in Metrics.
		web := metricAlarm("web-5xx-rate", "ALARM", "r", at(time.Wednesday, 10, 0))
		web["Metrics"] = []any{map[string]any{"Id": "m1", "MetricStat": map[string]any{"Metric": map[string]any{
			"Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_Target_5XX_Count",
			"Dimensions": []any{map[string]any{"Name": "LoadBalancer", "Value": "app/web/50dc6c495c0c9188"}},
		}, "Period": 60, "Stat": "Sum"}}, map[string]any{"Id": "e1", "Expression": "m1/60"}}
		return fakeResp{Body: map[string]any{"MetricAlarms": []any{db, web}}}
	})
}

// The inventory reads what the plan needs: each database's engine, size
// and replicas, each cache's replication group, each service's tasks and
// target groups, each load balancer's target groups, each pipeline's ECS
// deploy target, and what each alarm watches.
func TestInventoryReadsWhatThePlanNeeds(t *testing.T) {
	f := newFakeAWS(t)
	installInventory(f)
	installPlanDetails(f)
	res, err := fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1"}})[NameInventory].Collect(context.Background(), testWindow)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) > 0 {
		t.Fatalf("warnings: %v", res.Warnings)
	}
	g := groups(res.Data.Inventory)
	res0 := func(key string) []model.Resource { return g[key].Resources }
	if got := res0("rds-instance us-east-1"); len(got) != 2 || got[0].Engine != "mysql" || got[0].EngineVersion != "8.0.35" ||
		got[0].Class != "db.r6g.large" || !got[0].MultiAZ || got[0].StorageGiB != 200 || got[1].Group != "orders-db" {
		t.Errorf("rds = %+v", got)
	}
	if got := res0("elasticache-cluster us-east-1"); len(got) != 1 || got[0].Group != "sessions" || got[0].Nodes != 1 || got[0].Class != "cache.t4g.small" {
		t.Errorf("elasticache = %+v", got)
	}
	if got := res0("ecs-service us-east-1"); len(got) != 1 || got[0].ID != "prod/web" || got[0].DesiredTasks != 3 || got[0].RunningTasks != 2 ||
		got[0].LaunchType != "Fargate" || !slices.Equal(got[0].TargetGroups, []string{tgArn}) {
		t.Errorf("ecs services = %+v", got)
	}
	if got := res0("load-balancer us-east-1"); len(got) != 1 || got[0].ARN != lbArn || !slices.Equal(got[0].TargetGroups, []string{tgArn}) {
		t.Errorf("load balancers = %+v", got)
	}
	if got := res0("codepipeline us-east-1"); len(got) != 2 || got[0].ID != "migrations" || got[0].Deploys != nil ||
		!slices.Equal(got[1].Deploys, []string{"prod/web"}) {
		t.Errorf("pipelines = %+v", got)
	}
	want := []model.AlarmTarget{
		{Account: "111111111111", Region: "us-east-1", Alarm: "db-cpu", Namespace: "AWS/RDS", Metric: "CPUUtilization",
			Dimensions: []model.Dimension{{Name: "DBInstanceIdentifier", Value: "orders-db"}}},
		{Account: "111111111111", Region: "us-east-1", Alarm: "web-5xx-rate", Namespace: "AWS/ApplicationELB", Metric: "HTTPCode_Target_5XX_Count",
			Dimensions: []model.Dimension{{Name: "LoadBalancer", Value: "app/web/50dc6c495c0c9188"}}},
	}
	if !slices.EqualFunc(res.Data.AlarmTargets, want, func(a, b model.AlarmTarget) bool {
		return a.Account == b.Account && a.Region == b.Region && a.Alarm == b.Alarm && a.Namespace == b.Namespace &&
			a.Metric == b.Metric && slices.Equal(a.Dimensions, b.Dimensions)
	}) {
		t.Errorf("alarm targets = %+v", res.Data.AlarmTargets)
	}

	// From that, the plan ties the pipeline and the load balancer to the
	// service, the read replica to its primary and each alarm to its item.
	snap := model.NewSnapshot(testWindow, false, []string{NameInventory})
	snap = snap.With(model.Outcome{Source: model.Source{Name: NameInventory, Status: model.StatusOK, At: testWindow.Until}, Data: res.Data})
	p := model.BuildPlan(snap, model.ComputeLedger(snap, model.Team{}, model.DefaultAssumptions()), nil, model.PlanState{})
	web := findItem(t, p, "ecs-service/111111111111/us-east-1/prod/web")
	if !slices.Equal(web.Members, []string{"load balancer web", "pipeline web-deploy"}) || !slices.Equal(web.Alarms, []string{"web-5xx-rate"}) {
		t.Errorf("web = %+v", web)
	}
	db := findItem(t, p, "rds-instance/111111111111/us-east-1/orders-db")
	if !slices.Equal(db.Alarms, []string{"db-cpu"}) || !slices.Contains(db.Facts, model.Fact{Label: "Read replicas", Value: "orders-db-ro"}) {
		t.Errorf("db = %+v", db)
	}
}

// A pipeline whose structure cannot be read is still listed; the source
// says its deploy targets were not read, so links from it are a lower
// bound.
func TestInventoryPipelineDeniedGetPipelineIsPartial(t *testing.T) {
	f := newFakeAWS(t)
	installInventory(f)
	installPlanDetails(f)
	f.handle("codepipeline", "GetPipeline", denied("AccessDeniedException"))
	f.handle("elasticloadbalancing", "DescribeTargetGroups", denied("AccessDenied"))
	o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1"}})[NameInventory], testWindow)
	if o.Source.Status != model.StatusPartial {
		t.Fatalf("status %s (%s), want partial", o.Source.Status, o.Source.Detail)
	}
	for _, want := range []string{"CodePipeline pipelines' deploy targets not read", "codepipeline:GetPipeline",
		"ELB load balancers' target groups not read", "elasticloadbalancing:DescribeTargetGroups"} {
		if !strings.Contains(o.Source.Detail, want) {
			t.Errorf("detail %q lacks %q", o.Source.Detail, want)
		}
	}
	g := groups(o.Data.Inventory)
	if got := g["codepipeline us-east-1"]; got.Count != 2 || got.Unknown {
		t.Errorf("pipelines = %+v", got)
	}
}

func findItem(t *testing.T, p model.Plan, id string) model.PlanItem {
	t.Helper()
	for _, it := range p.Items {
		if it.ID == id {
			return it
		}
	}
	t.Fatalf("no item %s", id)
	return model.PlanItem{}
}
