package awscollect

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
)

func checksByName(t *testing.T, checks []collectors.Check) map[string]collectors.Check {
	t.Helper()
	m := map[string]collectors.Check{}
	for _, c := range checks {
		if _, dup := m[c.Name]; dup {
			t.Errorf("two checks named %q", c.Name)
		}
		if c.Status == collectors.CheckFailed && c.Fix == "" {
			t.Errorf("%s failed without a fix: %s", c.Name, c.Detail)
		}
		m[c.Name] = c
	}
	return m
}

// Every service of the policy is probed once per profile, and only with
// actions the policy lists (checkInvoked in TestMain fails the run
// otherwise).
func TestDiagnoseProbesEveryServiceOfThePolicyOnce(t *testing.T) {
	isolateAWSEnv(t)
	f := newFakeAWS(t)
	got := checksByName(t, Diagnose(context.Background(), config.AWS{Profiles: []string{"prod"}, Regions: []string{"eu-west-1"}},
		Options{LoadConfig: f.loadConfig(""), Backoff: fastBackoff, Now: func() time.Time { return testNow }}))
	if c := got["aws prod: identity"]; c.Status != collectors.CheckOK || !strings.Contains(c.Detail, "account 111111111111") {
		t.Errorf("identity: %+v", c)
	}
	actions, err := policyActions()
	if err != nil {
		t.Fatal(err)
	}
	services := map[string]bool{}
	for _, a := range actions {
		services[strings.Split(a, ":")[0]] = true
	}
	delete(services, "sts") // the identity check
	for name, c := range got {
		if name == "aws prod: identity" {
			continue
		}
		if c.Status != collectors.CheckOK {
			t.Errorf("%s: %+v", name, c)
		}
		delete(services, strings.Split(strings.TrimPrefix(name, "aws prod: "), ":")[0])
	}
	if len(services) > 0 {
		t.Errorf("services of the policy not probed: %v", services)
	}
	if n, want := f.calls("", ""), len(got)-1+1; n != want {
		t.Errorf("%d calls, want one per service plus STS (%d)", n, want)
	}
}

// AccessDenied on one service is that service's failure, with the action
// to add; the rest still pass.
func TestDiagnoseRecordsAccessDeniedPerService(t *testing.T) {
	isolateAWSEnv(t)
	f := newFakeAWS(t)
	f.handle("ecs", "*", denied("AccessDeniedException"))
	f.handle("monitoring", "*", denied("AccessDenied"))
	f.handle("ec2", "*", denied("UnauthorizedOperation"))
	got := checksByName(t, Diagnose(context.Background(), config.AWS{Profiles: []string{"prod"}, Regions: []string{"us-east-1"}},
		Options{LoadConfig: f.loadConfig(""), Backoff: fastBackoff, Now: func() time.Time { return testNow }}))
	for _, action := range []string{"ecs:ListClusters", "cloudwatch:DescribeAlarms", "ec2:DescribeRegions"} {
		c := got["aws prod: "+action]
		if c.Status != collectors.CheckFailed || !strings.Contains(c.Detail, "denied") || !strings.Contains(c.Fix, "add "+action) || !strings.Contains(c.Fix, `"prod"`) {
			t.Errorf("%s: %+v", action, c)
		}
	}
	if c := got["aws prod: sqs:ListQueues"]; c.Status != collectors.CheckOK {
		t.Errorf("sqs: %+v", c)
	}
}

// Credentials AWS rejects fail the identity check, and nothing else is
// tried with them.
func TestDiagnoseRejectedCredentials(t *testing.T) {
	isolateAWSEnv(t)
	f := newFakeAWS(t)
	f.handle("sts", "GetCallerIdentity", func(r fakeReq) fakeResp {
		return fakeResp{Status: 403, Code: "InvalidClientTokenId", Msg: "The security token included in the request is invalid."}
	})
	checks := Diagnose(context.Background(), config.AWS{Profiles: []string{"prod"}, Regions: []string{"us-east-1"}},
		Options{LoadConfig: f.loadConfig(""), Backoff: fastBackoff})
	got := checksByName(t, checks)
	c := got["aws prod: identity"]
	if len(checks) != 1 || c.Status != collectors.CheckFailed || !strings.Contains(c.Fix, "aws sts get-caller-identity --profile prod") {
		t.Errorf("checks: %+v", checks)
	}
}

func TestDiagnoseExpiredSSOSession(t *testing.T) {
	home := isolateAWSEnv(t)
	writeAWSConfig(t, home, ssoProfiles)
	expireSSOSession(home)
	got := checksByName(t, Diagnose(context.Background(), config.AWS{Profiles: []string{"ops"}}, Options{}))
	if c := got["aws ops: identity"]; c.Status != collectors.CheckFailed || !strings.Contains(c.Fix, "aws sso login --profile ops") {
		t.Errorf("identity: %+v", c)
	}
}

func TestDiagnoseNotConfigured(t *testing.T) {
	isolateAWSEnv(t)
	got := checksByName(t, Diagnose(context.Background(), config.AWS{}, Options{}))
	if c := got["aws"]; len(got) != 1 || c.Status != collectors.CheckSkipped || !strings.Contains(c.Fix, "opsdrag init") {
		t.Errorf("checks: %+v", got)
	}
}

// Against kumo, through the SDK's own configuration chain: the identity
// and the services kumo emulates pass; those it does not are skipped as
// unsupported by the endpoint, never reported as a permission problem.
func TestDiagnoseAgainstKumo(t *testing.T) {
	requireKumo(t)
	kumoEnv(t)
	got := checksByName(t, Diagnose(context.Background(), config.AWS{Regions: []string{"us-east-1"}}, Options{}))
	if c := got["aws default: identity"]; c.Status != collectors.CheckOK {
		t.Fatalf("identity against kumo: %+v", c)
	}
	for _, action := range []string{"cloudwatch:DescribeAlarms", "ecs:ListClusters", "rds:DescribeDBInstances", "sqs:ListQueues", "iam:ListRoles"} {
		if c := got["aws default: "+action]; c.Status != collectors.CheckOK {
			t.Errorf("%s against kumo: %+v", action, c)
		}
	}
	for name, c := range got {
		if c.Status == collectors.CheckFailed && strings.Contains(c.Detail, "denied") {
			t.Errorf("%s: kumo denies nothing: %+v", name, c)
		}
	}
}

func TestProfilesFromTheSharedFiles(t *testing.T) {
	home := isolateAWSEnv(t)
	writeAWSConfig(t, home, ssoProfiles+"\n[default]\nregion = us-east-1\n[services local]\nx = y\n")
	os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte("[default]\naws_access_key_id = A\n[ci]\naws_access_key_id = B\n"), 0o600)
	if got := Profiles(); strings.Join(got, ",") != "dev,ops,default,ci" {
		t.Errorf("profiles = %q", got)
	}
}

// Only regions where something exists are offered; the probes are reads
// of the policy (TestMain checks every operation invoked).
func TestRegionsWithResources(t *testing.T) {
	isolateAWSEnv(t)
	f := newFakeAWS(t)
	f.regions = []string{"us-east-1", "eu-west-1", "ap-south-1"}
	f.handle("monitoring", "DescribeAlarms", func(r fakeReq) fakeResp {
		if r.Region == "eu-west-1" {
			return fakeResp{Body: map[string]any{"MetricAlarms": []any{metricAlarm("a", "OK", "r", testNow)}}}
		}
		return fakeResp{Body: map[string]any{}}
	})
	f.handle("sqs", "ListQueues", func(r fakeReq) fakeResp {
		if r.Region == "ap-south-1" {
			return fakeResp{Body: map[string]any{"QueueUrls": []any{"https://sqs.ap-south-1.amazonaws.com/1/q"}}}
		}
		return fakeResp{Body: map[string]any{}}
	})
	got, err := RegionsWithResources(context.Background(), "prod", Options{LoadConfig: f.loadConfig("us-east-1"), Backoff: fastBackoff})
	if err != nil || strings.Join(got, ",") != "ap-south-1,eu-west-1" {
		t.Errorf("regions = %v, %v", got, err)
	}
}
