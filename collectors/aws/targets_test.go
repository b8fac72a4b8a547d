package awscollect

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/config"
	"github.com/opsdrag/opsdrag/model"
)

// isolateAWSEnv points the SDK's credential chain at an empty home: no
// credential variables, no config files, no instance metadata (which would
// otherwise be probed over the network).
func isolateAWSEnv(t *testing.T) string {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ROLE_ARN"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, ".aws", "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, ".aws", "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return home
}

func realCollectors(cfg config.AWS) map[string]collectors.Collector {
	out := map[string]collectors.Collector{}
	for _, c := range New(cfg, Options{Now: func() time.Time { return testNow }, Backoff: fastBackoff}) {
		out[c.Name()] = c
	}
	return out
}

func TestNoCredentialsAtAllIsSkipped(t *testing.T) {
	isolateAWSEnv(t)
	start := time.Now()
	outs := runAll(t, testWindow, slices.Collect(maps.Values(realCollectors(config.AWS{})))...)
	for name, o := range outs {
		if o.Source.Status != model.StatusSkipped || o.Source.Detail != skipHint {
			t.Errorf("%s: status %s detail %q, want skipped with the hint", name, o.Source.Status, o.Source.Detail)
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s: nothing should have been asked", d)
	}
}

func TestRegionsButNoCredentialsIsSkipped(t *testing.T) {
	isolateAWSEnv(t)
	o := runOne(t, realCollectors(config.AWS{Regions: []string{"us-east-1"}})[NameAlarms], testWindow)
	if o.Source.Status != model.StatusSkipped || !strings.Contains(o.Source.Detail, "no AWS credentials found for the default AWS credentials: run `aws configure`") {
		t.Errorf("status %s detail %q", o.Source.Status, o.Source.Detail)
	}
}

// writeAWSConfig writes an AWS CLI config file into home.
func writeAWSConfig(t *testing.T, home, body string) {
	t.Helper()
	dir := filepath.Join(home, ".aws")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

const ssoProfiles = `
[profile dev]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = eu-west-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile ops]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = eu-west-1
`

// expireSSOSession leaves an expired token of the "corp" session in the SSO
// cache, as `aws sso login` leaves it a day later (the file name is the
// SHA-1 of the session name).
func expireSSOSession(home string) {
	cache := filepath.Join(home, ".aws", "sso", "cache")
	os.MkdirAll(cache, 0o700)
	sum := sha1.Sum([]byte("corp"))
	os.WriteFile(filepath.Join(cache, hex.EncodeToString(sum[:])+".json"), []byte(`{"accessToken":"x","expiresAt":"2020-01-01T00:00:00Z","region":"us-east-1","startUrl":"https://corp.awsapps.com/start"}`), 0o600)
}

func TestExpiredSSOSaysHowToLogIn(t *testing.T) {
	home := isolateAWSEnv(t)
	writeAWSConfig(t, home, ssoProfiles)
	expireSSOSession(home)

	for _, profile := range []string{"dev", "ops", "AWS_PROFILE=dev"} {
		t.Run(profile, func(t *testing.T) {
			cfg := config.AWS{Profiles: []string{profile}}
			if env, ok := strings.CutPrefix(profile, "AWS_PROFILE="); ok {
				// No aws.profiles: the SDK's chain takes AWS_PROFILE, and
				// so does the fix.
				t.Setenv("AWS_PROFILE", env)
				cfg, profile = config.AWS{}, env
			}
			o := runOne(t, realCollectors(cfg)[NameAlarms], testWindow)
			want := "the AWS SSO session of AWS profile \"" + profile + "\" has expired: run `aws sso login --profile " + profile + "`"
			if o.Source.Status != model.StatusError || o.Source.Detail != want {
				t.Errorf("status %s detail %q, want error %q", o.Source.Status, o.Source.Detail, want)
			}
		})
	}
}

func TestOneProfileExpiredOthersKept(t *testing.T) {
	home := isolateAWSEnv(t)
	writeAWSConfig(t, home, ssoProfiles)
	f := newFakeAWS(t)
	f.handle("monitoring", "DescribeAlarms", func(r fakeReq) fakeResp {
		return fakeResp{Body: map[string]any{"MetricAlarms": []any{metricAlarm("prod-alarm", "ALARM", "r", at(time.Wednesday, 10, 0))}}}
	})
	fake := f.loadConfig("us-east-1")
	cs := New(config.AWS{Profiles: []string{"dev", "prod"}, Regions: []string{"us-east-1"}}, Options{
		Now:     func() time.Time { return testNow },
		Backoff: fastBackoff,
		LoadConfig: func(ctx context.Context, profile, region string) (aws.Config, error) {
			if profile == "dev" {
				return loadDefaultConfig(ctx, profile, region)
			}
			return fake(ctx, profile, region)
		},
	})
	o := runOne(t, cs[0], testWindow)
	if o.Source.Status != model.StatusPartial || !strings.Contains(o.Source.Detail, "run `aws sso login --profile dev`") {
		t.Errorf("status %s detail %q, want partial with the login hint", o.Source.Status, o.Source.Detail)
	}
	if len(o.Data.Alarms) != 1 || o.Data.Alarms[0].Name != "prod-alarm" {
		t.Errorf("alarms %+v, want prod's kept", o.Data.Alarms)
	}
}

func TestMissingProfileIsAnError(t *testing.T) {
	home := isolateAWSEnv(t)
	writeAWSConfig(t, home, ssoProfiles)
	o := runOne(t, realCollectors(config.AWS{Profiles: []string{"nope"}})[NameInventory], testWindow)
	if o.Source.Status != model.StatusError || !strings.Contains(o.Source.Detail, "profile \"nope\" is not in the AWS config files: fix aws.profiles in the opsdrag config or run `aws configure --profile nope`") {
		t.Errorf("status %s detail %q", o.Source.Status, o.Source.Detail)
	}
}

func TestExpiredCredentialsFromSTS(t *testing.T) {
	f := newFakeAWS(t)
	f.handle("sts", "GetCallerIdentity", func(fakeReq) fakeResp {
		return fakeResp{Status: http.StatusForbidden, Code: "ExpiredToken", Msg: "The security token included in the request is expired"}
	})
	o := runOne(t, fakeCollectors(t, f, config.AWS{Profiles: []string{"legacy"}, Regions: []string{"us-east-1"}})[NameCost], testWindow)
	want := "the credentials of AWS profile \"legacy\" have expired (ExpiredToken): run `aws sso login --profile legacy` for SSO, or renew them"
	if o.Source.Status != model.StatusError || o.Source.Detail != want {
		t.Errorf("status %s detail %q, want %q", o.Source.Status, o.Source.Detail, want)
	}
}

func TestAllRegionsAndSharedResolution(t *testing.T) {
	f := newFakeAWS(t)
	f.account("AKID-a", "222222222222")
	f.account("AKID-b", "333333333333")
	f.regions = []string{"eu-north-1", "us-east-1", "ap-south-1"}
	f.handle("ec2", "DescribeRegions", func(r fakeReq) fakeResp {
		return fakeResp{Body: `<regionInfo>` +
			`<item><regionName>us-east-1</regionName><optInStatus>opt-in-not-required</optInStatus></item>` +
			`<item><regionName>eu-north-1</regionName><optInStatus>opt-in-not-required</optInStatus></item>` +
			`<item><regionName>ap-east-1</regionName><optInStatus>opted-in</optInStatus></item>` +
			`<item><regionName>me-south-1</regionName><optInStatus>not-opted-in</optInStatus></item>` +
			`</regionInfo>`}
	})
	cs := fakeCollectors(t, f, config.AWS{Profiles: []string{"a", "b"}, Regions: []string{"all"}})
	all := slices.Collect(maps.Values(cs))
	outs := runAll(t, testWindow, all...)
	for name, o := range outs {
		if o.Source.Status != model.StatusOK {
			t.Errorf("%s: %s %s", name, o.Source.Status, o.Source.Detail)
		}
	}
	// One identity and one region list per profile, shared by the four
	// collectors of the refresh.
	if n := f.calls("sts", "GetCallerIdentity"); n != 2 {
		t.Errorf("GetCallerIdentity = %d, want 2 (once per profile)", n)
	}
	if n := f.calls("ec2", "DescribeRegions"); n != 2 {
		t.Errorf("DescribeRegions = %d, want 2", n)
	}
	regions := map[string]bool{}
	for _, c := range f.requests() {
		if c.Service == "monitoring" {
			regions[c.Region] = true
		}
	}
	if want := map[string]bool{"us-east-1": true, "eu-north-1": true, "ap-east-1": true}; !maps.Equal(regions, want) {
		t.Errorf("alarms read in %v, want the enabled regions %v", regions, want)
	}
	// A new refresh (a new window) resolves again: credentials may have
	// been renewed in between.
	runAll(t, model.LastDays(testNow.Add(time.Minute), 7*24*time.Hour), all...)
	if n := f.calls("sts", "GetCallerIdentity"); n != 4 {
		t.Errorf("GetCallerIdentity = %d after a second refresh, want 4", n)
	}
}

func TestProfileRegionIsTheDefault(t *testing.T) {
	f := newFakeAWS(t)
	cs := fakeCollectors(t, f, config.AWS{}, func(o *Options) { o.LoadConfig = f.loadConfig("eu-central-1") })
	if o := runOne(t, cs[NameAlarms], testWindow); o.Source.Status != model.StatusOK {
		t.Fatalf("%s: %s", o.Source.Status, o.Source.Detail)
	}
	for _, c := range f.requests() {
		if c.Region != "eu-central-1" {
			t.Errorf("%s %s asked in %s, want the profile's region", c.Service, c.Op, c.Region)
		}
	}

	none := fakeCollectors(t, f, config.AWS{}, func(o *Options) { o.LoadConfig = f.loadConfig("") })
	o := runOne(t, none[NameAlarms], testWindow)
	if o.Source.Status != model.StatusError || !strings.Contains(o.Source.Detail, "no region: set aws.regions in the opsdrag config") {
		t.Errorf("no region: %s %q", o.Source.Status, o.Source.Detail)
	}
}
