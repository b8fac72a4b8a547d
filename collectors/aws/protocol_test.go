package awscollect

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
)

// TestFakeSpeaksThePinnedProtocols keeps the fake honest: what the pinned
// clients really send is checked header by header, so a client upgrade that
// changes protocol (as CloudWatch moved from Query to RPC v2 CBOR) fails
// here instead of silently testing nothing.
func TestFakeSpeaksThePinnedProtocols(t *testing.T) {
	f := newFakeAWS(t)
	installInventory(f)
	installCostExplorer(t, f)
	installPipelines(f, map[string][]fakeExecution{"deploy": {execution("d1", "Succeeded", testNow.Add(-2*time.Hour), testNow.Add(-time.Hour))}})
	cs := fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1"}})
	for name, o := range runAll(t, testWindow, cs[NameAlarms], cs[NameCodePipeline], cs[NameCost], cs[NameInventory]) {
		if o.Source.Status != model.StatusOK {
			t.Errorf("%s: %s %s", name, o.Source.Status, o.Source.Detail)
		}
	}
	want := map[string]map[string]string{
		"monitoring":   {"Content-Type": "application/cbor", "Accept": "application/cbor", "Smithy-Protocol": "rpc-v2-cbor", "X-Amzn-Query-Mode": "true"},
		"codepipeline": {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "CodePipeline_20150709."},
		"ce":           {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSInsightsIndexService.GetCostAndUsage"},
		"ecs":          {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AmazonEC2ContainerServiceV20141113."},
		"sqs":          {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ListQueues"},
		"rds":          {"Content-Type": "application/x-www-form-urlencoded"},
		"ec2":          {"Content-Type": "application/x-www-form-urlencoded"},
	}
	seen := map[string]bool{}
	for _, c := range f.requests() {
		for h, v := range want[c.Service] {
			if got := c.Header.Get(h); !strings.HasPrefix(got, v) {
				t.Errorf("%s %s: %s = %q, want %q", c.Service, c.Op, h, got, v)
			}
		}
		seen[c.Service+" "+c.Op] = true
	}
	for _, call := range []string{"monitoring DescribeAlarms", "monitoring DescribeAlarmHistory", "codepipeline ListPipelines",
		"codepipeline ListPipelineExecutions", "codepipeline ListActionExecutions", "ce GetCostAndUsage", "ecs ListServices", "sqs ListQueues", "rds DescribeDBInstances", "ec2 DescribeInstances"} {
		if !seen[call] {
			t.Errorf("no %s request was made", call)
		}
	}
}

// recordingTB collects the fake's complaints instead of failing the test.
type recordingTB struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestFakeRefusesAnotherProtocol(t *testing.T) {
	rec := &recordingTB{TB: t}
	f := newFakeAWS(rec)
	// CloudWatch's old AWS Query protocol, which the pinned client no
	// longer speaks.
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/", strings.NewReader("Action=DescribeAlarms&Version=2010-08-01"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID-x/20261125/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "want a Smithy RPC v2 CBOR request") {
		t.Errorf("status %d, complaints %v", resp.StatusCode, rec.errs)
	}
}
