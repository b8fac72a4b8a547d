package awscollect

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/semaphore"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
)

// TestErrorsAreShort checks what people read when the network, not AWS,
// fails: one line, what failed and why, no SDK dump.
func TestErrorsAreShort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()

	call := func(endpoint string, timeout time.Duration) error {
		cfg := prepare(aws.Config{Region: "us-east-1", Credentials: staticCreds{key: "AKID-x"}, BaseEndpoint: aws.String(endpoint)},
			map[string]bool{"sqs:ListQueues": true}, semaphore.NewWeighted(4), fastBackoff)
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		_, err := sqs.NewFromConfig(cfg).ListQueues(ctx, &sqs.ListQueuesInput{})
		return err
	}
	for _, tc := range []struct {
		name string
		err  error
		kind kind
		want string
	}{
		{"refused", call(closed, time.Minute), kindOther, "connect: connection refused"},
		// Built by hand: a real lookup would leave the machine.
		{"no such host", &smithy.OperationError{ServiceID: "SQS", OperationName: "ListQueues",
			Err: &net.DNSError{Err: "no such host", Name: "sqs.me-central-9.amazonaws.com", IsNotFound: true}},
			kindNotOffered, "sqs:ListQueues is not offered in this region (no endpoint sqs.me-central-9.amazonaws.com)"},
		{"timeout", call(closed, 0), kindCancelled, "timed out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil {
				t.Fatal("no error")
			}
			p := classify(tc.err)
			msg := p.message("")
			if p.kind != tc.kind || !strings.Contains(msg, tc.want) {
				t.Errorf("classify(%v) = kind %d, %q; want kind %d containing %q", tc.err, p.kind, msg, tc.kind, tc.want)
			}
			if strings.Contains(msg, "operation error") || strings.Contains(msg, "RequestID") || strings.Contains(msg, "\n") {
				t.Errorf("message %q carries SDK noise", msg)
			}
		})
	}
}

// aws.timeout bounds each AWS source's collection: against an AWS that
// answers nothing for a minute, each source gives up at the configured
// second and says so, instead of holding the refresh for its 3-minute
// default.
func TestConfiguredTimeoutBoundsEachSource(t *testing.T) {
	f := newFakeAWS(t)
	f.latency = time.Minute
	cs := fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1"}, Timeout: time.Second})
	start := time.Now()
	var all []collectors.Collector
	for _, c := range cs {
		all = append(all, c)
	}
	got := runAll(t, testWindow, all...)
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("the refresh took %s with a 1s aws.timeout", took)
	}
	for _, name := range []string{NameAlarms, NameCodePipeline, NameCost, NameInventory} {
		if s := got[name].Source; s.Status != model.StatusError || !strings.Contains(s.Detail, "timed out after 1s") {
			t.Errorf("%s: %s %q, want an error timed out after 1s", name, s.Status, s.Detail)
		}
	}
	if d := fakeCollectors(t, f, config.AWS{})[NameAlarms].(collectors.Timeouter).Timeout(); d != collectorTimeout {
		t.Errorf("without aws.timeout the timeout is %s, want the default %s", d, collectorTimeout)
	}
}

// A region that never answers costs its own data, not the others': when
// the collection runs out of time, what the regions that answered gave is
// kept, and the source says it is short and how short.
func TestAStalledRegionKeepsTheOthers(t *testing.T) {
	f := newFakeAWS(t)
	f.handle("monitoring", "DescribeAlarms", func(r fakeReq) fakeResp {
		return fakeResp{Body: map[string]any{"MetricAlarms": []any{metricAlarm("queue-depth-"+r.Region, "ALARM", "r", at(time.Wednesday, 10, 0))}}}
	})
	f.stall = func(r fakeReq) bool { return r.Service == "monitoring" && r.Region == "eu-west-1" }
	cs := fakeCollectors(t, f, config.AWS{Regions: []string{"us-east-1", "eu-west-1"}, Timeout: 4 * time.Second})
	got := runAll(t, testWindow, cs[NameAlarms])[NameAlarms]
	s := got.Source
	if s.Status != model.StatusPartial || s.Detail != "timed out after 4s having read 1 of 2 account regions: the rest is missing, so every figure it feeds is a lower bound" {
		t.Errorf("alarms: %s %q, want partial, timed out having read 1 of 2", s.Status, s.Detail)
	}
	if len(got.Data.Alarms) != 1 || got.Data.Alarms[0].Region != "us-east-1" {
		t.Errorf("alarms kept: %+v, want us-east-1's one", got.Data.Alarms)
	}
}
