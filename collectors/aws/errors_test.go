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
