package awscollect

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// wiredInCmd reports whether cmd/opsdrag builds its sources from this
// package.
func wiredInCmd(t *testing.T) bool {
	files, _ := filepath.Glob("../../cmd/opsdrag/*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(`"github.com/opsdrag/opsdrag/collectors/aws"`)) {
			return true
		}
	}
	return false
}

// TestReportBinaryAgainstKumo builds the real opsdrag binary and runs
// `opsdrag report --format json` against kumo, configured the way a user
// would: a config file with aws.regions and AWS_ENDPOINT_URL.
func TestReportBinaryAgainstKumo(t *testing.T) {
	requireKumo(t)
	if !wiredInCmd(t) {
		t.Skip("cmd/opsdrag does not wire the AWS collectors yet")
	}
	// The build keeps the machine's Go caches: kumoEnv moves HOME, which
	// would otherwise send it to an empty build and module cache (minutes
	// of compiling, and downloads).
	goEnv, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	var buildEnv []string
	for i, v := range strings.Split(strings.TrimSpace(string(goEnv)), "\n") {
		buildEnv = append(buildEnv, []string{"GOCACHE", "GOMODCACHE", "GOPATH"}[i]+"="+v)
	}
	kumoEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	seedKumo(t, ctx)

	dir := t.TempDir()
	bin := filepath.Join(dir, "opsdrag")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "../../cmd/opsdrag")
	build.Env = append(os.Environ(), buildEnv...)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("aws:\n  regions: [us-east-1]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	cmd := exec.CommandContext(ctx, bin, "report", "--format", "json", "--config", cfg)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("opsdrag report: %v\nstderr: %s\nstdout: %s", err, stderr.String(), stdout.String())
	}
	var rep struct {
		Schema  string `json:"schema"`
		Sources []struct {
			Name, Status, Detail string
		} `json:"sources"`
		Alarms []struct {
			Account, Region, Name, State string
			URL                          string `json:"url"`
		} `json:"alarms"`
		Checklist []struct {
			ID       string   `json:"id"`
			Evidence []string `json:"evidence"`
		} `json:"checklist"`
		Drag struct {
			AWSInvoiceMonthly *float64 `json:"aws_invoice_monthly"`
		} `json:"drag"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, stdout.String())
	}
	status := map[string]string{}
	for _, s := range rep.Sources {
		status[s.Name] = s.Status
	}
	if status[NameAlarms] != "partial" || status[NameInventory] != "partial" || status[NameCost] != "ok" {
		t.Errorf("sources %+v", rep.Sources)
	}
	found := false
	for _, a := range rep.Alarms {
		if a.Name == "kumo-api-5xx" && a.State == "ALARM" && a.Region == "us-east-1" && strings.Contains(a.URL, "alarmsV2:alarm/kumo-api-5xx") {
			found = true
		}
	}
	if !found {
		t.Errorf("alarms %+v lack kumo-api-5xx firing", rep.Alarms)
	}
	ids := map[string]string{}
	for _, c := range rep.Checklist {
		ids[c.ID] = strings.Join(c.Evidence, "\n")
	}
	for id, name := range map[string]string{"ecs-cluster": "kumo-prod", "rds-instance": "kumo-orders-db", "elasticache-cluster": "kumo-sessions", "sqs-queue": "kumo-orders"} {
		if !strings.Contains(ids[id], name) {
			t.Errorf("checklist item %s = %q, want it to name %s", id, ids[id], name)
		}
	}
	if rep.Drag.AWSInvoiceMonthly == nil || *rep.Drag.AWSInvoiceMonthly != 105 {
		t.Errorf("aws_invoice_monthly = %v, want kumo's 105", rep.Drag.AWSInvoiceMonthly)
	}
}
