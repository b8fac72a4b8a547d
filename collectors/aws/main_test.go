package awscollect

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
)

// kumoURL is the endpoint of the kumo emulator TestMain started, or "" when
// kumo is not installed.
var kumoURL string

// invoked records every AWS operation any test made the SDK send, as IAM
// actions; TestMain checks them all against the shipped policy.
var invoked sync.Map

// recordOperations is an SDK middleware that records each operation.
func recordOperations(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("TestRecordOperation",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			invoked.Store(iamAction(awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx)), true)
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
}

func TestMain(m *testing.M) {
	stop, err := startKumo()
	if err != nil {
		fmt.Fprintln(os.Stderr, "kumo:", err)
		os.Exit(1)
	}
	code := m.Run()
	stop()
	if code == 0 {
		code = checkInvoked()
	}
	os.Exit(code)
}

// checkInvoked fails the run when a test made the SDK call an operation
// that the shipped IAM policy does not list.
func checkInvoked() int {
	actions, err := policyActions()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var missing []string
	invoked.Range(func(k, _ any) bool {
		if !slices.Contains(actions, k.(string)) {
			missing = append(missing, k.(string))
		}
		return true
	})
	sort.Strings(missing)
	if len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: the tests invoked AWS operations missing from iam-policy.json: %v\n", missing)
		return 1
	}
	return 0
}

// kumoBinary finds kumo on PATH or in $(go env GOPATH)/bin.
func kumoBinary() string {
	if p, err := exec.LookPath("kumo"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = string(out[:len(out)-1])
		}
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", "kumo")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// startKumo starts kumo on a free loopback port, when it is installed, and
// waits until it answers.
func startKumo() (stop func(), err error) {
	bin := kumoBinary()
	if bin == "" {
		return func() {}, nil
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "serve", "--host", "127.0.0.1", "--port", fmt.Sprint(port))
	cmd.Dir = os.TempDir()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	stop = func() {
		cmd.Process.Kill()
		cmd.Wait()
	}
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url + "/")
		if err == nil {
			resp.Body.Close()
			kumoURL = url
			return stop, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	stop()
	return nil, fmt.Errorf("%s did not answer on %s within 30s", bin, url)
}

// requireKumo skips a test when kumo is not installed, unless
// OPSDRAG_REQUIRE_KUMO=1 (as in CI), where it fails.
func requireKumo(t *testing.T) {
	t.Helper()
	if kumoURL != "" {
		return
	}
	if os.Getenv("OPSDRAG_REQUIRE_KUMO") == "1" {
		t.Fatal("kumo not installed: run .ci/kumo.sh (OPSDRAG_REQUIRE_KUMO=1 requires it)")
	}
	t.Skip("kumo not installed: run .ci/kumo.sh")
}
