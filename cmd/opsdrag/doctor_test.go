package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opsdrag/opsdrag/internal/ghfake"
)

// awsRejectingCredentials answers every AWS request as AWS answers keys it
// does not know (STS speaks the AWS Query protocol).
func awsRejectingCredentials(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error><RequestId>x</RequestId></ErrorResponse>`))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

type doctorDoc struct {
	Schema string `json:"schema"`
	OK     bool   `json:"ok"`
	Failed int    `json:"failed"`
	Checks []struct {
		Name, Status, Detail string
		Fix                  *string
	} `json:"checks"`
}

func doctorJSON(t *testing.T, r result) doctorDoc {
	t.Helper()
	var doc doctorDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("doctor --format json is not JSON: %v\n%s\n%s", err, r.stdout, r.stderr)
	}
	return doc
}

func TestDoctorPassesWithAWorkingSetup(t *testing.T) {
	const token = "ghp_doctorGOOD"
	gh := fakeGitHubWithARedCI(t, token)
	env := append(cleanEnv(t), "GITHUB_TOKEN="+token)
	path := githubConfig(t, gh.URL())
	r := run(t, env, "doctor", "--config", path)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"✓ config: " + path + " loads", "✓ github token: the token from GITHUB_TOKEN is accepted", "✓ github acme/api:",
		"– aws: not configured", "✓ history:", "✓ cache:", "Every check passed"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	doc := doctorJSON(t, run(t, env, "doctor", "--config", path, "--format", "json"))
	if doc.Schema != "opsdrag/doctor@1" || !doc.OK || doc.Failed != 0 || len(doc.Checks) < 5 {
		t.Errorf("json: %+v", doc)
	}
	if strings.Contains(r.stdout, token) {
		t.Error("the doctor printed the token")
	}
}

// Bad credentials for each source: one failing line each, with the fix,
// and exit status 1.
func TestDoctorNamesTheFixForBadCredentials(t *testing.T) {
	gh := fakeGitHubWithARedCI(t, "ghp_theRightOne")
	env := append(cleanEnv(t), "GITHUB_TOKEN=ghp_wrong", "AWS_ENDPOINT_URL="+awsRejectingCredentials(t),
		"AWS_ACCESS_KEY_ID=AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY=x", "AWS_REGION=eu-west-1")
	path := writeConfig(t, "github:\n  api_url: "+gh.URL()+"\n  repos: [acme/api]\naws:\n  profiles: []\n  regions: [eu-west-1]\n")
	r := run(t, env, "doctor", "--config", path)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"✗ github token: GitHub rejected the token from GITHUB_TOKEN (401",
		"fix: create a new read-only token",
		"✗ aws default: identity: InvalidClientTokenId",
		"fix: AWS rejected the credentials of the default AWS credentials (InvalidClientTokenId): check them with `aws sts get-caller-identity`",
		"2 of ",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "2 checks failed") {
		t.Errorf("stderr: %q", r.stderr)
	}
	doc := doctorJSON(t, run(t, env, "doctor", "--config", path, "--format", "json"))
	if doc.OK || doc.Failed != 2 {
		t.Errorf("json: %+v", doc)
	}
	for _, c := range doc.Checks {
		if c.Status == "fail" && (c.Fix == nil || *c.Fix == "") {
			t.Errorf("%s failed without a fix", c.Name)
		}
	}
}

// A permission missing on one repository is named on that repository's
// line with the grant to add.
func TestDoctorNamesAMissingPermission(t *testing.T) {
	const token = "ghp_doctorPERM"
	gh := fakeGitHubWithARedCI(t, token)
	gh.Inject(ghfake.Fault{Path: "/repos/acme/api/pulls", Status: 403, Message: "Resource not accessible by personal access token", AcceptedPermissions: "pull_requests=read"})
	r := run(t, append(cleanEnv(t), "GITHUB_TOKEN="+token), "doctor", "--config", githubConfig(t, gh.URL()))
	if r.code != 1 || !strings.Contains(r.stdout, "✗ github acme/api: the token lacks Pull requests: Read-only") ||
		!strings.Contains(r.stdout, "fix: give the token Pull requests: Read-only on acme/api") {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
}

// Every problem of the config, each with file:line:key; the sources are not
// checked with a config nobody can read.
func TestDoctorListsEveryConfigProblem(t *testing.T) {
	path := writeConfig(t, "team:\n  engineers: many\n  hourly_cots: 9\ngithub:\n  repos: [bare]\n")
	r := run(t, cleanEnv(t), "doctor", "--config", path)
	if r.code != 1 {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	for _, want := range []string{path + ":2: team.engineers:", path + ":3: team.hourly_cots: unknown key", path + ":5: github.repos[0]:", "– sources: not checked"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
}

// A cache directory others can read is a failure with the chmod to run.
func TestDoctorWantsAPrivateCache(t *testing.T) {
	env := cleanEnv(t)
	cache := filepath.Join(envValue(env, "XDG_CACHE_HOME"), "opsdrag")
	if err := os.MkdirAll(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(cache, 0o755)
	r := run(t, env, "doctor", "--config", writeConfig(t, "team:\n  engineers: 3\n"))
	if !strings.Contains(r.stdout, "✗ cache: "+cache+" is readable by others") || !strings.Contains(r.stdout, "fix: chmod 700 "+cache) {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
}
