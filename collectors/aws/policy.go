package awscollect

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
)

// policyJSON is the minimal read-only IAM policy opsdrag needs: exactly the
// actions its AWS collectors call. docs/aws.md ships it; a test keeps it equal
// to the calls in the code, and every request is checked against it before
// it is sent. It is unexported so nothing can widen the guard at run time.
//
//go:embed iam-policy.json
var policyJSON []byte

// PolicyJSON returns a copy of the read-only IAM policy opsdrag needs.
func PolicyJSON() []byte { return append([]byte(nil), policyJSON...) }

// iamPrefix maps an SDK client's ServiceID to its IAM action prefix.
var iamPrefix = map[string]string{
	"API Gateway":               "apigateway",
	"ApiGatewayV2":              "apigateway",
	"CloudFront":                "cloudfront",
	"CloudWatch":                "cloudwatch",
	"CodeBuild":                 "codebuild",
	"CodePipeline":              "codepipeline",
	"Cost Explorer":             "ce",
	"EC2":                       "ec2",
	"ECS":                       "ecs",
	"EKS":                       "eks",
	"ElastiCache":               "elasticache",
	"Elastic Load Balancing v2": "elasticloadbalancing",
	"IAM":                       "iam",
	"Lambda":                    "lambda",
	"RDS":                       "rds",
	"SNS":                       "sns",
	"SQS":                       "sqs",
	"STS":                       "sts",
}

// iamAction names the IAM action that authorises operation op of the
// service with the given SDK ServiceID. API Gateway is authorised by HTTP
// verb rather than by operation: its Get* operations need apigateway:GET.
func iamAction(serviceID, op string) string {
	prefix, ok := iamPrefix[serviceID]
	if !ok {
		prefix = strings.ToLower(strings.ReplaceAll(serviceID, " ", ""))
	}
	if prefix == "apigateway" {
		if strings.HasPrefix(op, "Get") {
			return "apigateway:GET"
		}
		return "apigateway:" + strings.ToUpper(op)
	}
	return prefix + ":" + op
}

// policyActions returns the actions the embedded policy allows, sorted.
func policyActions() ([]string, error) {
	var doc struct {
		Statement []struct {
			Effect string
			Action []string
		}
	}
	if err := json.Unmarshal(policyJSON, &doc); err != nil {
		return nil, fmt.Errorf("parse the embedded iam-policy.json: %w", err)
	}
	var actions []string
	for _, st := range doc.Statement {
		if st.Effect != "Allow" {
			continue
		}
		actions = append(actions, st.Action...)
	}
	slices.Sort(actions)
	return slices.Compact(actions), nil
}

// readOnlyGuard refuses, before anything is serialized, signed or sent, any
// operation whose IAM action is not in the shipped policy. It sits at the
// end of the initialize step, where every client has named its service and
// operation. The policy is read-only, so
// this makes "opsdrag only ever reads" hold even against a future bug.
func readOnlyGuard(allowed map[string]bool) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("OpsdragReadOnlyGuard",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				action := iamAction(awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx))
				if !allowed[action] {
					return middleware.InitializeOutput{}, middleware.Metadata{},
						fmt.Errorf("opsdrag refused to call %s: it is not in its read-only IAM policy (a bug in opsdrag; please report it)", action)
				}
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
	}
}
