package awscollect

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/constant"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"golang.org/x/sync/semaphore"
)

// readVerbs are the operation prefixes of read-only AWS calls.
var readVerbs = []string{"Describe", "List", "Get"}

func TestPolicyIsReadOnly(t *testing.T) {
	actions, err := policyActions()
	if err != nil {
		t.Fatal(err)
	}
	if len(actions) < 20 {
		t.Fatalf("policy lists only %d actions: %v", len(actions), actions)
	}
	for _, a := range actions {
		_, op, _ := strings.Cut(a, ":")
		if a == "apigateway:GET" {
			continue
		}
		if !slices.ContainsFunc(readVerbs, func(v string) bool { return strings.HasPrefix(op, v) }) {
			t.Errorf("policy allows %s, which is not a read (Describe/List/Get)", a)
		}
	}
}

// TestPolicyListsExactlyTheCallsInTheCode type-checks the package's source
// and finds every call that can reach an AWS operation: every function or
// method that takes an SDK operation input (*<service>.<Op>Input) — client
// methods, the narrow interfaces the collectors use, and paginators. The
// set of their IAM actions must equal the policy: a call cannot be added
// without updating iam-policy.json, and the policy lists nothing unused.
func TestPolicyListsExactlyTheCallsInTheCode(t *testing.T) {
	inCode := sdkCallsInSource(t)
	policy, err := policyActions()
	if err != nil {
		t.Fatal(err)
	}
	var missing, unused []string
	for a := range inCode {
		if !slices.Contains(policy, a) {
			missing = append(missing, fmt.Sprintf("%s (%s)", a, inCode[a]))
		}
	}
	for _, a := range policy {
		if _, ok := inCode[a]; !ok {
			unused = append(unused, a)
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("the code calls AWS operations that iam-policy.json does not list: %v", missing)
	}
	if len(unused) > 0 {
		t.Errorf("iam-policy.json lists actions the code never calls: %v", unused)
	}
	if _, ok := inCode["cloudwatch:DescribeAlarmHistory"]; !ok {
		t.Errorf("the scan missed a call it must find: %v", inCode)
	}
}

// sdkCallsInSource returns the IAM actions of every SDK operation the
// package's non-test source can call, with where each call is.
func sdkCallsInSource(t *testing.T) map[string]string {
	t.Helper()
	// Export data of every dependency, from the build cache.
	out, err := exec.Command("go", "list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}", ".").Output()
	if err != nil {
		t.Fatalf("go list -export: %v", err)
	}
	exports := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if path, file, ok := strings.Cut(sc.Text(), "\t"); ok && file != "" {
			exports[path] = file
		}
	}
	fset := token.NewFileSet()
	names, _ := filepath.Glob("*.go")
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	})
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	if _, err := (&types.Config{Importer: imp}).Check("github.com/opsdrag/opsdrag/collectors/aws", fset, files, info); err != nil {
		t.Fatalf("type-check: %v", err)
	}
	found := map[string]string{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sig, ok := info.Types[call.Fun].Type.(*types.Signature)
			if !ok {
				return true
			}
			for i := range sig.Params().Len() {
				if action, ok := operationOf(sig.Params().At(i).Type()); ok {
					found[action] = fset.Position(call.Pos()).String()
				}
			}
			return true
		})
	}
	if len(found) == 0 {
		t.Fatal("the scan found no AWS call at all")
	}
	return found
}

// operationOf recognises *<service>.<Op>Input from an SDK service package
// and returns the operation's IAM action.
func operationOf(typ types.Type) (string, bool) {
	ptr, ok := typ.(*types.Pointer)
	if !ok {
		return "", false
	}
	named, ok := ptr.Elem().(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return "", false
	}
	pkg := named.Obj().Pkg()
	op, ok := strings.CutSuffix(named.Obj().Name(), "Input")
	if !ok || !strings.HasPrefix(pkg.Path(), "github.com/aws/aws-sdk-go-v2/service/") {
		return "", false
	}
	id, ok := pkg.Scope().Lookup("ServiceID").(*types.Const)
	if !ok {
		return "", false
	}
	return iamAction(constant.StringVal(id.Val()), op), true
}

func TestGuardRefusesWhatThePolicyDoesNotList(t *testing.T) {
	f := newFakeAWS(t)
	actions, _ := policyActions()
	allowed := map[string]bool{}
	for _, a := range actions {
		allowed[a] = true
	}
	cfg := prepare(aws.Config{
		Region:       "us-east-1",
		Credentials:  staticCreds{key: "AKID-guard"},
		BaseEndpoint: aws.String(f.srv.URL),
	}, allowed, semaphore.NewWeighted(1), fastBackoff)
	client := sqs.NewFromConfig(cfg)
	_, err := client.DeleteQueue(context.Background(), &sqs.DeleteQueueInput{QueueUrl: aws.String(f.srv.URL + "/111111111111/orders")})
	if err == nil || !strings.Contains(err.Error(), "opsdrag refused to call sqs:DeleteQueue") {
		t.Fatalf("DeleteQueue: %v, want refused", err)
	}
	if _, err := client.ListQueues(context.Background(), &sqs.ListQueuesInput{}); err != nil {
		t.Fatalf("ListQueues, which the policy lists: %v", err)
	}
	if got := f.requests(); len(got) != 1 || got[0].Op != "ListQueues" {
		t.Errorf("requests that reached AWS: %+v, want only ListQueues", got)
	}
}

func TestDocsShipThePolicy(t *testing.T) {
	doc, err := os.ReadFile("../../docs/aws.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, bytes.TrimSpace(PolicyJSON())) {
		t.Error("docs/aws.md does not contain iam-policy.json verbatim: paste the file into its IAM policy section")
	}
}
