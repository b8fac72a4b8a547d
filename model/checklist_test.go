package model_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/opsdrag/opsdrag/model"
)

func TestBuildChecklist(t *testing.T) {
	// Deliberately not in kind order: the checklist must sort.
	inv := []model.ResourceGroup{
		{Kind: model.KindSQSQueue, Account: "111", Region: "us-east-1", Count: 3, Names: []string{"jobs", "mail", "dlq"}},
		{Kind: model.KindECSService, Account: "111", Region: "us-east-1", Count: 4, Names: []string{"api", "web", "worker", "cron"}, Note: "Fargate 3, EC2 1"},
		{Kind: model.KindLambda, Account: "111", Region: "us-east-1", Count: 0}, // none: no item
		{Kind: model.KindECSService, Account: "222", Region: "eu-west-1", Count: 8, Names: []string{"a", "b", "c", "d", "e", "f", "g", "h"}},
		{Kind: model.KindRDSInstance, Account: "111", Region: "eu-west-1", Unknown: true, Note: "AccessDenied: rds:DescribeDBInstances"},
		{Kind: model.KindECSCluster, Account: "111", Region: "us-east-1", Count: 1, Names: []string{"main"}},
		{Kind: model.KindElastiCache, Account: "111", Region: "us-east-1", Count: 2},
		{Kind: model.KindElastiCache, Account: "111", Region: "eu-west-1", Unknown: true},
		{Kind: model.KindIAMRole, Account: "111", Region: "global", Count: 40, Names: []string{"r1", "r2", "r3"}}, // names truncated by the collector
	}
	got := model.BuildChecklist(inv)
	want := []model.ChecklistItem{
		{
			ID: "ecs-cluster", Kind: model.KindECSCluster, Component: "ECS", Count: 1,
			Title:    "Retire the ECS clusters (1 cluster in 1 region)",
			Evidence: []string{"111 us-east-1: 1 cluster (main)"},
		},
		{
			// 4 + 8 = 12 services in two regions of two accounts.
			ID: "ecs-service", Kind: model.KindECSService, Component: "ECS", Count: 12,
			Title: "Move the ECS services to the platform (12 services in 2 regions of 2 accounts)",
			Evidence: []string{
				"111 us-east-1: 4 services (api, web, worker, cron) — Fargate 3, EC2 1",
				// 8 names, 5 shown: 8 - 5 = 3 more.
				"222 eu-west-1: 8 services (a, b, c, d, e, +3 more)",
			},
		},
		{
			ID: "rds-instance", Kind: model.KindRDSInstance, Component: "RDS", Count: 0,
			Title:    "Migrate the RDS databases (unknown number of instances in 1 region)",
			Evidence: []string{"111 eu-west-1: instances unknown — AccessDenied: rds:DescribeDBInstances"},
		},
		{
			ID: "elasticache-cluster", Kind: model.KindElastiCache, Component: "ElastiCache", Count: 2,
			Title: "Replace the ElastiCache (Redis/Memcached) clusters (at least 2 clusters in 2 regions)",
			Evidence: []string{
				"111 us-east-1: 2 clusters",
				"111 eu-west-1: clusters unknown — could not be listed",
			},
		},
		{
			ID: "sqs-queue", Kind: model.KindSQSQueue, Component: "SQS", Count: 3,
			Title:    "Move the SQS queues (3 queues in 1 region)",
			Evidence: []string{"111 us-east-1: 3 queues (jobs, mail, dlq)"},
		},
		{
			// 40 roles, 3 names known: 40 - 3 = 37 more.
			ID: "iam-role", Kind: model.KindIAMRole, Component: "IAM", Count: 40,
			Title:    "Review and retire the IAM roles (40 roles in 1 account)",
			Evidence: []string{"111 global: 40 roles (r1, r2, r3, +37 more)"},
		},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d items %q, want %d", len(got), names(got, func(i model.ChecklistItem) string { return i.ID }), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("item %d:\n got  %#v\n want %#v", i, got[i], want[i])
		}
	}
}

func TestBuildChecklistEdges(t *testing.T) {
	t.Run("empty inventory", func(t *testing.T) {
		if got := model.BuildChecklist(nil); len(got) != 0 {
			t.Errorf("got %d items, want none", len(got))
		}
	})
	t.Run("only zero counts", func(t *testing.T) {
		got := model.BuildChecklist([]model.ResourceGroup{{Kind: model.KindLambda}, {Kind: model.KindSNSTopic, Names: []string{}}})
		if len(got) != 0 {
			t.Errorf("got %d items, want none", len(got))
		}
	})
	t.Run("exactly five names", func(t *testing.T) {
		got := model.BuildChecklist([]model.ResourceGroup{{Kind: model.KindSQSQueue, Region: "us-east-1", Count: 5, Names: []string{"a", "b", "c", "d", "e"}}})
		if want := []string{"us-east-1: 5 queues (a, b, c, d, e)"}; len(got) != 1 || !reflect.DeepEqual(got[0].Evidence, want) {
			t.Errorf("evidence = %q, want %q", got[0].Evidence, want)
		}
	})
	t.Run("same place counted once", func(t *testing.T) {
		got := model.BuildChecklist([]model.ResourceGroup{
			{Kind: model.KindLambda, Account: "1", Region: "us-east-1", Count: 2},
			{Kind: model.KindLambda, Account: "1", Region: "us-east-1", Count: 1},
		})
		if len(got) != 1 || got[0].Count != 3 || !strings.HasSuffix(got[0].Title, "(3 functions in 1 region)") {
			t.Errorf("got %+v, want 3 functions in 1 region", got)
		}
	})
	t.Run("unknown kind gets a generic item after the known kinds", func(t *testing.T) {
		got := model.BuildChecklist([]model.ResourceGroup{
			{Kind: "kinesis-stream", Region: "us-east-1", Count: 2},
			{Kind: model.KindCloudWatchAlarm, Region: "us-east-1", Count: 9},
		})
		if len(got) != 2 || got[0].Kind != model.KindCloudWatchAlarm {
			t.Fatalf("got %q, want the CloudWatch alarms first", names(got, func(i model.ChecklistItem) string { return i.ID }))
		}
		if want := "Migrate kinesis-stream (2 resources in 1 region)"; got[1].Title != want || got[1].Component != "kinesis-stream" {
			t.Errorf("generic item = %+v, want title %q", got[1], want)
		}
	})
	t.Run("every kind in checklist order", func(t *testing.T) {
		var inv []model.ResourceGroup
		kinds := model.Kinds()
		for i := len(kinds) - 1; i >= 0; i-- {
			inv = append(inv, model.ResourceGroup{Kind: kinds[i].Kind, Region: "us-east-1", Count: 1})
		}
		got := model.BuildChecklist(inv)
		if len(got) != len(kinds) {
			t.Fatalf("got %d items, want %d", len(got), len(kinds))
		}
		for i, k := range kinds {
			if got[i].Kind != k.Kind || got[i].Component != k.Component || !strings.HasPrefix(got[i].Title, k.Action+" (") {
				t.Errorf("item %d = %s %q, want %s %q", i, got[i].Kind, got[i].Title, k.Kind, k.Action)
			}
		}
	})
}

func TestInfoFor(t *testing.T) {
	seen := map[model.Kind]bool{}
	for _, k := range model.Kinds() {
		if seen[k.Kind] {
			t.Errorf("kind %s listed twice", k.Kind)
		}
		seen[k.Kind] = true
		if k.Component == "" || k.Noun == "" || k.Action == "" {
			t.Errorf("kind %s lacks a description: %+v", k.Kind, k)
		}
		if got := model.InfoFor(k.Kind); got != k {
			t.Errorf("InfoFor(%s) = %+v, want %+v", k.Kind, got, k)
		}
	}
	if got := model.InfoFor("x"); got.Noun != "resources" || got.Action != "Migrate x" {
		t.Errorf("InfoFor(unknown) = %+v", got)
	}
}
