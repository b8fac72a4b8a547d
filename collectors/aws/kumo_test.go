package awscollect

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
)

// kumoEnv makes the SDK's own configuration chain find kumo exactly as a
// user would point opsdrag anywhere: AWS_ENDPOINT_URL and static keys.
func kumoEnv(t *testing.T) {
	isolateAWSEnv(t)
	t.Setenv("AWS_ENDPOINT_URL", kumoURL)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_REGION", "us-east-1")
}

// kumoSeeded is set once seedKumo has run: kumo keeps its state for the
// whole test run, and the tests run one after another.
var kumoSeeded bool

// seedKumo creates, through the ordinary SDK, what a small team runs. The
// seeding clients are not opsdrag's: they may write.
func seedKumo(t *testing.T, ctx context.Context) {
	t.Helper()
	if kumoSeeded {
		return
	}
	kumoSeeded = true
	cfg, err := loadDefaultConfig(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("seed %s: %v", what, err)
		}
	}
	cw := cloudwatch.NewFromConfig(cfg)
	for _, name := range []string{"kumo-api-5xx", "kumo-db-cpu", "kumo-queue-age"} {
		in := &cloudwatch.PutMetricAlarmInput{
			AlarmName: aws.String(name), Namespace: aws.String("AWS/ApplicationELB"), MetricName: aws.String("HTTPCode_Target_5XX_Count"),
			Statistic: cwtypes.StatisticSum, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(5),
			ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold,
		}
		if name == "kumo-db-cpu" {
			// What ties the alarm to its database in the plan.
			in.Namespace, in.MetricName = aws.String("AWS/RDS"), aws.String("CPUUtilization")
			in.Dimensions = []cwtypes.Dimension{{Name: aws.String("DBInstanceIdentifier"), Value: aws.String("kumo-orders-db")}}
		}
		_, err := cw.PutMetricAlarm(ctx, in)
		must("alarm "+name, err)
	}
	_, err = cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("kumo-api-5xx"), StateValue: cwtypes.StateValueAlarm,
		StateReason: aws.String("Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).")})
	must("alarm state", err)
	_, err = cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("kumo-db-cpu"), StateValue: cwtypes.StateValueOk, StateReason: aws.String("fine")})
	must("alarm state", err)

	_, err = ecs.NewFromConfig(cfg).CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("kumo-prod")})
	must("ECS cluster", err)
	_, err = rds.NewFromConfig(cfg).CreateDBInstance(ctx, &rds.CreateDBInstanceInput{
		DBInstanceIdentifier: aws.String("kumo-orders-db"), Engine: aws.String("postgres"), DBInstanceClass: aws.String("db.t4g.micro"),
		AllocatedStorage: aws.Int32(20), MasterUsername: aws.String("app"), MasterUserPassword: aws.String("not-a-secret-1"),
	})
	must("RDS instance", err)
	_, err = elasticache.NewFromConfig(cfg).CreateCacheCluster(ctx, &elasticache.CreateCacheClusterInput{
		CacheClusterId: aws.String("kumo-sessions"), Engine: aws.String("redis"), CacheNodeType: aws.String("cache.t4g.micro"), NumCacheNodes: aws.Int32(1),
	})
	must("ElastiCache cluster", err)
	for _, q := range []string{"kumo-orders", "kumo-orders-dlq"} {
		_, err = sqs.NewFromConfig(cfg).CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(q)})
		must("SQS queue", err)
	}
	_, err = sns.NewFromConfig(cfg).CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("kumo-alarms-pager")})
	must("SNS topic", err)
}

// TestKumo runs the four collectors against the kumo emulator, seeded
// through the SDK, with credentials and endpoint found by the SDK's own
// chain (AWS_ENDPOINT_URL). What kumo does not emulate must show up as
// partial or unknown, never as invented zeros.
func TestKumo(t *testing.T) {
	requireKumo(t)
	kumoEnv(t)
	ctx := context.Background()
	seedKumo(t, ctx)

	now := time.Now()
	w := model.LastDays(now, 7*24*time.Hour)
	cs := New(config.AWS{Regions: []string{"us-east-1"}}, Options{
		CacheDir: t.TempDir(),
		Backoff:  fastBackoff,
		// The SDK's own loading, plus the operation recorder the policy
		// check reads.
		LoadConfig: func(ctx context.Context, profile, region string) (aws.Config, error) {
			cfg, err := loadDefaultConfig(ctx, profile, region)
			cfg.APIOptions = append(cfg.APIOptions, recordOperations)
			return cfg, err
		},
	})
	outs := runAll(t, w, cs...)
	for name, o := range outs {
		t.Logf("%s: %s %s", name, o.Source.Status, o.Source.Detail)
	}

	t.Run("alarms", func(t *testing.T) {
		o := outs[NameAlarms]
		// kumo answers DescribeAlarmHistory with 400 InvalidAction.
		if o.Source.Status != model.StatusPartial || !strings.Contains(o.Source.Detail, "alarm history unavailable") {
			t.Errorf("status %s detail %q: want partial, history unavailable", o.Source.Status, o.Source.Detail)
		}
		a, ok := findAlarm(o.Data.Alarms, "us-east-1", "kumo-api-5xx")
		if !ok {
			t.Fatalf("kumo-api-5xx not reported: %+v", o.Data.Alarms)
		}
		if a.State != model.StateAlarm || a.Account == "" || !strings.HasPrefix(a.Reason, "Threshold Crossed") || a.HistoryKnown || a.Since == nil {
			t.Errorf("kumo-api-5xx = %+v", a)
		}
		if len(a.Transitions) != 1 || !w.Contains(a.Transitions[0]) {
			t.Errorf("transitions %v: want the one its current state reveals", a.Transitions)
		}
		if _, ok := findAlarm(o.Data.Alarms, "us-east-1", "kumo-db-cpu"); ok {
			t.Error("an OK alarm with no known transition was reported")
		}
	})

	t.Run("inventory", func(t *testing.T) {
		o := outs[NameInventory]
		if !o.Source.Succeeded() {
			t.Fatalf("status %s: %s", o.Source.Status, o.Source.Detail)
		}
		g := groups(o.Data.Inventory)
		for key, name := range map[string]string{
			"ecs-cluster us-east-1":         "kumo-prod",
			"rds-instance us-east-1":        "kumo-orders-db",
			"elasticache-cluster us-east-1": "kumo-sessions",
			"sqs-queue us-east-1":           "kumo-orders-dlq",
			"sns-topic us-east-1":           "kumo-alarms-pager",
			"cloudwatch-alarm us-east-1":    "kumo-queue-age",
		} {
			if gr := g[key]; gr.Unknown || !contains(gr.Names, name) || gr.Count < 1 {
				t.Errorf("%s = %+v, want it to list %s", key, gr, name)
			}
		}
		// kumo has no ECS ListServices, CodePipeline or CodeBuild: unknown,
		// not zero.
		for _, key := range []string{"ecs-service us-east-1", "codepipeline us-east-1", "codebuild-project us-east-1"} {
			if gr, ok := g[key]; !ok || !gr.Unknown || gr.Note == "" {
				t.Errorf("%s = %+v, want unknown with a note", key, gr)
			}
		}
		items := model.BuildChecklist(o.Data.Inventory)
		var ids []string
		for _, it := range items {
			ids = append(ids, it.ID)
		}
		for _, want := range []string{"ecs-cluster", "rds-instance", "elasticache-cluster", "sqs-queue", "cloudwatch-alarm"} {
			if !contains(ids, want) {
				t.Errorf("checklist %v lacks %s", ids, want)
			}
		}
		// The plan's items carry the facts kumo keeps, and the alarm is
		// tied to its database by its dimension.
		snap := model.NewSnapshot(w, false, []string{NameInventory})
		snap = snap.With(model.Outcome{Source: model.Source{Name: NameInventory, Status: model.StatusOK, At: w.Until}, Data: o.Data})
		p := model.BuildPlan(snap, model.ComputeLedger(snap, model.Team{}, model.DefaultAssumptions()), nil, model.PlanState{})
		var db, cache *model.PlanItem
		for i, it := range p.Items {
			switch it.Kind {
			case model.KindRDSInstance:
				db = &p.Items[i]
			case model.KindElastiCache:
				cache = &p.Items[i]
			}
		}
		if db == nil || db.Title != "Move the PostgreSQL database kumo-orders-db" || !contains(db.Alarms, "kumo-db-cpu") ||
			!slices.Contains(db.Facts, model.Fact{Label: "Class", Value: "db.t4g.micro"}) || !slices.Contains(db.Facts, model.Fact{Label: "Storage", Value: "20 GiB"}) {
			t.Errorf("database item = %+v", db)
		}
		if cache == nil || cache.Title != "Move the Redis cache kumo-sessions" {
			t.Errorf("cache item = %+v", cache)
		}
	})

	t.Run("cost", func(t *testing.T) {
		o := outs[NameCost]
		if o.Source.Status != model.StatusOK || len(o.Data.Invoices) != 1 {
			t.Fatalf("status %s %q invoices %+v", o.Source.Status, o.Source.Detail, o.Data.Invoices)
		}
		inv := o.Data.Invoices[0]
		// kumo answers any query with one result spanning the whole
		// period, from last month's first day, five services (10 + 15.5
		// + 21 + 26.5 + 32 USD). It starts last month, so it counts as
		// last month; this month is not in it and stays unknown.
		if inv.LastMonth == nil || *inv.LastMonth != 105 || inv.MonthToDate != nil || inv.Currency != "USD" || len(inv.ByService) != 5 {
			t.Errorf("invoice %+v", inv)
		}
	})

	t.Run("codepipeline", func(t *testing.T) {
		o := outs[NameCodePipeline]
		if o.Source.Status != model.StatusError || strings.Contains(o.Source.Detail, "RequestID") || len(o.Source.Detail) > 300 {
			t.Errorf("status %s detail %q: want a short error (kumo does not emulate CodePipeline)", o.Source.Status, o.Source.Detail)
		}
	})

	t.Run("AWS_ENDPOINT_URL alone", func(t *testing.T) {
		// No LoadConfig at all: what a user runs.
		c := New(config.AWS{}, Options{Backoff: fastBackoff})[0]
		o := runOne(t, c, w)
		if _, ok := findAlarm(o.Data.Alarms, "us-east-1", "kumo-api-5xx"); !ok || !o.Source.Succeeded() {
			t.Errorf("status %s %q alarms %+v", o.Source.Status, o.Source.Detail, o.Data.Alarms)
		}
	})
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
