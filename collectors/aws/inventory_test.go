package awscollect

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
)

// installInventory gives region us-east-1 (and, for the regional kinds,
// every region) one or more of each kind, in each service's own protocol.
func installInventory(f *fakeAWS) {
	xml := func(s string) fakeHandler { return func(fakeReq) fakeResp { return fakeResp{Body: s} } }
	js := func(v map[string]any) fakeHandler { return func(fakeReq) fakeResp { return fakeResp{Body: v} } }
	f.handle("ecs", "ListClusters", func(r fakeReq) fakeResp {
		// Two pages.
		if r.Params["nextToken"] == nil {
			return fakeResp{Body: map[string]any{"clusterArns": []string{"arn:aws:ecs:" + r.Region + ":111111111111:cluster/prod"}, "nextToken": "t2"}}
		}
		return fakeResp{Body: map[string]any{"clusterArns": []string{"arn:aws:ecs:" + r.Region + ":111111111111:cluster/batch"}}}
	})
	f.handle("ecs", "ListServices", func(r fakeReq) fakeResp {
		cluster := afterSlash(r.Params["cluster"].(string))
		var arns []string
		n := map[string]int{"prod": 12, "batch": 1}[cluster]
		for i := range n {
			arns = append(arns, fmt.Sprintf("arn:aws:ecs:%s:111111111111:service/%s/svc-%02d", r.Region, cluster, i))
		}
		return fakeResp{Body: map[string]any{"serviceArns": arns}}
	})
	f.handle("ecs", "DescribeServices", func(r fakeReq) fakeResp {
		services := strs(r.Params["services"])
		if len(services) > 10 {
			return fakeResp{Code: "InvalidParameterException", Msg: "too many services"}
		}
		var out []map[string]any
		for _, s := range services {
			svc := map[string]any{"serviceName": afterSlash(s), "serviceArn": s, "launchType": "FARGATE"}
			if strings.HasPrefix(afterSlash(s), "svc-00") {
				svc["launchType"] = "EC2"
			}
			out = append(out, svc)
		}
		return fakeResp{Body: map[string]any{"services": out, "failures": []any{}}}
	})
	f.handle("eks", "ListClusters", js(map[string]any{"clusters": []string{"platform"}}))
	f.handle("ec2", "DescribeInstances", xml(`<reservationSet><item><reservationId>r-1</reservationId><instancesSet>`+
		`<item><instanceId>i-0a</instanceId><instanceState><code>16</code><name>running</name></instanceState><tagSet><item><key>Name</key><value>bastion</value></item></tagSet></item>`+
		`<item><instanceId>i-0b</instanceId><instanceState><code>80</code><name>stopped</name></instanceState></item>`+
		`<item><instanceId>i-0c</instanceId><instanceState><code>48</code><name>terminated</name></instanceState></item>`+
		`</instancesSet></item></reservationSet>`))
	f.handle("ec2", "DescribeSecurityGroups", xml(`<securityGroupInfo><item><groupId>sg-1</groupId><groupName>web</groupName></item>`+
		`<item><groupId>sg-0</groupId><groupName>default</groupName></item></securityGroupInfo>`))
	f.handle("lambda", "ListFunctions", js(map[string]any{"Functions": []any{map[string]any{"FunctionName": "thumbnails"}, map[string]any{"FunctionName": "webhooks"}}}))
	f.handle("rds", "DescribeDBInstances", xml(`<DBInstances>`+
		`<DBInstance><DBInstanceIdentifier>orders-db</DBInstanceIdentifier><Engine>postgres</Engine></DBInstance>`+
		`<DBInstance><DBInstanceIdentifier>core-1</DBInstanceIdentifier><Engine>aurora-postgresql</Engine></DBInstance>`+
		`</DBInstances>`))
	f.handle("rds", "DescribeDBClusters", xml(`<DBClusters>`+
		`<DBCluster><DBClusterIdentifier>core</DBClusterIdentifier><Engine>aurora-postgresql</Engine></DBCluster>`+
		`<DBCluster><DBClusterIdentifier>graph</DBClusterIdentifier><Engine>neptune</Engine></DBCluster>`+
		`</DBClusters>`))
	f.handle("elasticache", "DescribeCacheClusters", xml(`<CacheClusters><CacheCluster><CacheClusterId>sessions</CacheClusterId><Engine>redis</Engine></CacheCluster></CacheClusters>`))
	f.handle("sqs", "ListQueues", func(r fakeReq) fakeResp {
		if r.Params["MaxResults"] == nil {
			return fakeResp{Code: "InvalidParameterValue", Msg: "without MaxResults there is no NextToken"}
		}
		if r.Params["NextToken"] == nil {
			return fakeResp{Body: map[string]any{"QueueUrls": []string{"https://sqs." + r.Region + ".amazonaws.com/111111111111/orders"}, "NextToken": "n2"}}
		}
		return fakeResp{Body: map[string]any{"QueueUrls": []string{"https://sqs." + r.Region + ".amazonaws.com/111111111111/orders-dlq"}}}
	})
	f.handle("sns", "ListTopics", xml(`<Topics><member><TopicArn>arn:aws:sns:us-east-1:111111111111:alarms-pager</TopicArn></member></Topics>`))
	f.handle("elasticloadbalancing", "DescribeLoadBalancers", xml(`<LoadBalancers>`+
		`<member><LoadBalancerName>web</LoadBalancerName><Type>application</Type></member>`+
		`<member><LoadBalancerName>grpc</LoadBalancerName><Type>network</Type></member></LoadBalancers>`))
	f.handle("apigateway", "GetRestApis", js(map[string]any{"item": []any{map[string]any{"id": "a1", "name": "public-api"}}}))
	f.handle("apigatewayv2", "GetApis", js(map[string]any{"items": []any{map[string]any{"apiId": "w1", "name": "live", "protocolType": "WEBSOCKET"}}}))
	f.handle("codepipeline", "ListPipelines", js(map[string]any{"pipelines": []any{map[string]any{"name": "deploy"}}}))
	f.handle("codebuild", "ListProjects", js(map[string]any{"projects": []string{"api-build", "web-build"}}))
	f.handle("monitoring", "DescribeAlarms", func(fakeReq) fakeResp {
		return fakeResp{Body: map[string]any{"MetricAlarms": []any{
			metricAlarm("api-5xx", "ALARM", "r", at(time.Wednesday, 10, 0)),
			metricAlarm("db-cpu", "OK", "r", at(time.Wednesday, 10, 0)),
		}}}
	})
	f.handle("iam", "ListRoles", xml(`<Roles>`+
		`<member><RoleName>app-task</RoleName><Path>/</Path></member>`+
		`<member><RoleName>AWSServiceRoleForECS</RoleName><Path>/aws-service-role/ecs.amazonaws.com/</Path></member>`+
		`</Roles><IsTruncated>false</IsTruncated>`))
	f.handle("cloudfront", "ListDistributions", xml(`<DistributionList><Marker></Marker><MaxItems>100</MaxItems><IsTruncated>false</IsTruncated><Quantity>1</Quantity><Items>`+
		`<DistributionSummary><Id>E1ABC</Id><DomainName>d1.cloudfront.net</DomainName><Aliases><Quantity>1</Quantity><Items><CNAME>www.example.com</CNAME></Items></Aliases></DistributionSummary>`+
		`</Items></DistributionList>`))
}

func groups(inv []model.ResourceGroup) map[string]model.ResourceGroup {
	out := map[string]model.ResourceGroup{}
	for _, g := range inv {
		out[string(g.Kind)+" "+g.Region] = g
	}
	return out
}

func TestInventoryEveryKind(t *testing.T) {
	f := newFakeAWS(t)
	installInventory(f)
	res, err := fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1", "eu-west-1"}})[NameInventory].Collect(context.Background(), testWindow)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) > 0 {
		t.Fatalf("warnings: %v", res.Warnings)
	}
	g := groups(res.Data.Inventory)
	svcNames := []string{"batch/svc-00"}
	for i := range 12 {
		svcNames = append(svcNames, fmt.Sprintf("prod/svc-%02d", i))
	}
	for _, tc := range []struct {
		key   string
		names []string
		note  string
	}{
		{"ecs-cluster us-east-1", []string{"batch", "prod"}, ""},
		{"ecs-service us-east-1", svcNames, "EC2 2, Fargate 11"},
		{"eks-cluster us-east-1", []string{"platform"}, ""},
		{"ec2-instance us-east-1", []string{"bastion (i-0a)", "i-0b"}, "running 1, stopped 1"},
		{"lambda-function us-east-1", []string{"thumbnails", "webhooks"}, ""},
		{"rds-instance us-east-1", []string{"orders-db"}, "postgres 1"},
		{"aurora-cluster us-east-1", []string{"core"}, "aurora-postgresql 1"},
		{"elasticache-cluster us-east-1", []string{"sessions"}, "redis 1"},
		{"sqs-queue us-east-1", []string{"orders", "orders-dlq"}, ""},
		{"sns-topic us-east-1", []string{"alarms-pager"}, ""},
		{"load-balancer us-east-1", []string{"grpc", "web"}, "application 1, network 1"},
		{"api-gateway us-east-1", []string{"live", "public-api"}, "REST 1, WEBSOCKET 1"},
		{"codepipeline us-east-1", []string{"deploy"}, ""},
		{"codebuild-project us-east-1", []string{"api-build", "web-build"}, ""},
		{"security-group us-east-1", []string{"web (sg-1)"}, ""},
		{"cloudwatch-alarm us-east-1", []string{"api-5xx", "db-cpu"}, "1 in ALARM"},
		{"iam-role global", []string{"AWSServiceRoleForECS", "app-task"}, "1 service-linked"},
		{"cloudfront-distribution global", []string{"www.example.com (E1ABC)"}, ""},
	} {
		got, ok := g[tc.key]
		if !ok {
			t.Errorf("%s missing", tc.key)
			continue
		}
		if got.Unknown || got.Count != len(tc.names) || !slices.Equal(got.Names, tc.names) || got.Account != "111111111111" {
			t.Errorf("%s = %+v, want names %v", tc.key, got, tc.names)
		}
		if got.Note != tc.note {
			t.Errorf("%s note = %q, want %q", tc.key, got.Note, tc.note)
		}
	}
	// Global services are read once per account, not per region.
	if n := f.calls("iam", "ListRoles"); n != 1 {
		t.Errorf("ListRoles = %d calls, want 1", n)
	}
	if _, ok := g["iam-role eu-west-1"]; ok {
		t.Error("IAM roles reported per region")
	}
	// The regional kinds are there for eu-west-1 as well.
	if g["sqs-queue eu-west-1"].Count != 2 {
		t.Errorf("eu-west-1 queues = %+v", g["sqs-queue eu-west-1"])
	}
	// DescribeServices goes in batches of at most 10.
	if n := f.calls("ecs", "DescribeServices"); n != 2*3 {
		t.Errorf("DescribeServices = %d calls, want 3 per region (12 = 10+2, and 1)", n)
	}
	// It feeds the checklist: one item per kind found.
	items := model.BuildChecklist(res.Data.Inventory)
	if len(items) != 18 {
		t.Errorf("checklist has %d items, want one per kind (18)", len(items))
	}
}

func TestInventoryAccessDeniedIsUnknownNotZero(t *testing.T) {
	f := newFakeAWS(t)
	installInventory(f)
	f.handle("ecs", "ListClusters", denied("AccessDeniedException"))
	f.handle("rds", "DescribeDBClusters", denied("AccessDenied"))
	f.handle("ec2", "DescribeSecurityGroups", denied("UnauthorizedOperation"))
	o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1", "eu-west-1"}})[NameInventory], testWindow)
	if o.Source.Status != model.StatusPartial {
		t.Fatalf("status %s (%s), want partial", o.Source.Status, o.Source.Detail)
	}
	g := groups(o.Data.Inventory)
	for _, tc := range []struct{ key, action string }{
		{"ecs-cluster us-east-1", "ecs:ListClusters"},
		{"ecs-service us-east-1", "ecs:ListClusters"},
		{"aurora-cluster eu-west-1", "rds:DescribeDBClusters"},
		{"security-group us-east-1", "ec2:DescribeSecurityGroups"},
	} {
		got := g[tc.key]
		if !got.Unknown || got.Count != 0 || !strings.Contains(got.Note, "permission denied for "+tc.action) {
			t.Errorf("%s = %+v: want unknown, noting the denied %s", tc.key, got, tc.action)
		}
	}
	// The rest is known and counted.
	if got := g["rds-instance us-east-1"]; got.Unknown || got.Count != 1 {
		t.Errorf("rds instances = %+v, want known", got)
	}
	// One warning per denied action, naming both regions.
	if !strings.Contains(o.Source.Detail, "permission denied for rds:DescribeDBClusters (AccessDenied)") ||
		!strings.Contains(o.Source.Detail, "(111111111111 us-east-1, eu-west-1)") {
		t.Errorf("detail %q", o.Source.Detail)
	}
	if c := strings.Count(o.Source.Detail, "rds:DescribeDBClusters"); c != 1 {
		t.Errorf("the denial is repeated %d times in %q", c, o.Source.Detail)
	}
	// The checklist says unknown, never zero.
	for _, item := range model.BuildChecklist(o.Data.Inventory) {
		if item.Kind == model.KindECSCluster && !strings.Contains(strings.Join(item.Evidence, "\n"), "unknown — permission denied for ecs:ListClusters") {
			t.Errorf("checklist evidence %v", item.Evidence)
		}
	}
}

func TestInventoryUnreachableRegionIsOneWarning(t *testing.T) {
	f := newFakeAWS(t)
	installInventory(f)
	f.intercept = func(r fakeReq) (fakeResp, bool) {
		return fakeResp{Status: http.StatusInternalServerError, Code: "InternalFailure", Msg: "boom"}, r.Region == "sa-east-1"
	}
	o := runOne(t, fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1", "sa-east-1"}})[NameInventory], testWindow)
	if o.Source.Status != model.StatusPartial {
		t.Fatalf("status %s (%s)", o.Source.Status, o.Source.Detail)
	}
	if strings.Count(o.Source.Detail, "sa-east-1") != 1 || !strings.Contains(o.Source.Detail, "inventory unavailable: InternalFailure: boom (111111111111 sa-east-1)") {
		t.Errorf("detail %q: want one warning for the failing region", o.Source.Detail)
	}
	unknown := 0
	for _, gr := range o.Data.Inventory {
		if gr.Region == "sa-east-1" {
			if !gr.Unknown {
				t.Errorf("%+v: a kind of the failing region is known", gr)
			}
			unknown++
		}
	}
	if unknown != 16 {
		t.Errorf("%d unknown groups in the failing region, want all 16 regional kinds", unknown)
	}
	if g := groups(o.Data.Inventory)["sqs-queue us-east-1"]; g.Count != 2 {
		t.Errorf("the working region was not kept: %+v", g)
	}
}
