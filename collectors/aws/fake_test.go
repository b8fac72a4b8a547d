package awscollect

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/fxamacker/cbor/v2"
)

// fakeAWS is an HTTP-level fake of the AWS services opsdrag reads. It
// speaks the wire protocol each pinned SDK client uses — Smithy RPC v2 CBOR
// for CloudWatch, AWS JSON 1.0/1.1, AWS Query, EC2 Query, REST-JSON and
// REST-XML — and refuses a request in any other protocol, so it cannot
// drift from the clients silently. It tells profiles apart by access key
// and regions and services by the SigV4 credential scope, exactly as AWS
// does. Scenarios register handlers per service and operation; anything
// else gets an empty, well-formed answer.
type fakeAWS struct {
	t       testing.TB
	srv     *httptest.Server
	latency time.Duration

	mu       sync.Mutex
	handlers map[string]fakeHandler
	accounts map[string]string // access key → account id
	regions  []string          // what DescribeRegions answers
	log      []fakeCall
	inflight int
	peak     int
	// intercept, when set, answers before any handler: a failing region,
	// a throttling storm.
	intercept func(r fakeReq) (fakeResp, bool)
	// stall, when it says so, never answers the request: a region behind a
	// firewall that drops packets, an endpoint that hangs.
	stall func(r fakeReq) bool
}

// fakeReq is one decoded request.
type fakeReq struct {
	Service string // SigV4 signing name, e.g. "monitoring"
	Op      string
	Region  string
	Key     string // access key id
	Header  http.Header
	Path    string
	Query   url.Values
	// Params is the decoded body: a map for CBOR and JSON, form values
	// (flattened to strings) for the query protocols.
	Params map[string]any
}

// fakeResp is a handler's answer. Body is a map for CBOR and JSON
// protocols and an XML fragment (the content of the result element) for
// the XML ones. A non-empty Code makes it an error of that code.
type fakeResp struct {
	Status int
	Code   string
	Msg    string
	Body   any
}

type fakeHandler func(r fakeReq) fakeResp

type fakeCall struct {
	Service, Op, Region, Key string
	Header                   http.Header
}

// protocol is a wire protocol of the pinned clients.
type protocol int

const (
	protoCBOR protocol = iota
	protoJSON10
	protoJSON11
	protoQuery
	protoEC2
	protoRESTJSON
	protoRESTXML
)

// protocols maps each signing name to the protocol its pinned client
// speaks (see TESTING.md and the clients' request snapshots).
var protocols = map[string]protocol{
	"monitoring":           protoCBOR,
	"codepipeline":         protoJSON11,
	"ce":                   protoJSON11,
	"ecs":                  protoJSON11,
	"codebuild":            protoJSON11,
	"sqs":                  protoJSON10,
	"sts":                  protoQuery,
	"rds":                  protoQuery,
	"elasticache":          protoQuery,
	"elasticloadbalancing": protoQuery,
	"iam":                  protoQuery,
	"sns":                  protoQuery,
	"ec2":                  protoEC2,
	"eks":                  protoRESTJSON,
	"lambda":               protoRESTJSON,
	"apigateway":           protoRESTJSON,
	"cloudfront":           protoRESTXML,
}

// jsonTargets are the X-Amz-Target prefixes of the JSON services.
var jsonTargets = map[string]string{
	"codepipeline": "CodePipeline_20150709.",
	"ce":           "AWSInsightsIndexService.",
	"ecs":          "AmazonEC2ContainerServiceV20141113.",
	"codebuild":    "CodeBuild_20161006.",
	"sqs":          "AmazonSQS.",
}

func newFakeAWS(t testing.TB) *fakeAWS {
	f := &fakeAWS{
		t:        t,
		handlers: map[string]fakeHandler{},
		accounts: map[string]string{},
		regions:  []string{"us-east-1", "eu-west-1"},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// handle registers h for service's op ("*" for every op of the service).
func (f *fakeAWS) handle(service, op string, h fakeHandler) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[service+"/"+op] = h
}

// account makes access key key belong to account id.
func (f *fakeAWS) account(key, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.accounts[key] = id
}

// requests returns the calls made so far.
func (f *fakeAWS) requests() []fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeCall(nil), f.log...)
}

// count counts the attempts at service's op ("" for all), retries
// included.
func (f *fakeAWS) count(service, op string) int {
	n := 0
	for _, c := range f.requests() {
		if (service == "" || c.Service == service) && (op == "" || c.Op == op) {
			n++
		}
	}
	return n
}

// calls counts the calls of service's op ("" for all): first attempts
// only, so that a transport-level retry by the SDK (see firstAttempt) does
// not count as a second call.
func (f *fakeAWS) calls(service, op string) int {
	n := 0
	for _, c := range f.requests() {
		if (service == "" || c.Service == service) && (op == "" || c.Op == op) && firstAttempt(c) {
			n++
		}
	}
	return n
}

// firstAttempt reports whether a request is the first attempt of its
// call, from the amz-sdk-request header the SDK sends. Under the race
// detector the pinned SDK now and then fails to read a complete 200 response
// from a loopback server ("use of closed network connection") and retries
// it; counts of calls must not depend on that.
func firstAttempt(c fakeCall) bool {
	return strings.HasPrefix(c.Header.Get("Amz-Sdk-Request"), "attempt=1;")
}

// loadConfig returns an Options.LoadConfig that points every client at
// the fake with static credentials: profile p signs with access key
// "AKID-p" ("AKID-default" for the default chain).
func (f *fakeAWS) loadConfig(region string) func(ctx context.Context, profile, _ string) (aws.Config, error) {
	return func(ctx context.Context, profile, _ string) (aws.Config, error) {
		if profile == "" {
			profile = "default"
		}
		cfg := aws.Config{
			Region:       region,
			Credentials:  aws.NewCredentialsCache(staticCreds{key: "AKID-" + profile}),
			BaseEndpoint: aws.String(f.srv.URL),
			HTTPClient:   f.srv.Client(),
		}
		cfg.APIOptions = append(cfg.APIOptions, recordOperations)
		return cfg, nil
	}
}

// fastBackoff keeps retry tests quick while still exercising the retryer.
var fastBackoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })

type staticCreds struct{ key string }

func (s staticCreds) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: s.key, SecretAccessKey: "secret", Source: "fake"}, nil
}

func (f *fakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req, proto, err := f.decode(r, body)
	if err != nil {
		f.t.Errorf("fake AWS: %v", err)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.log = append(f.log, fakeCall{Service: req.Service, Op: req.Op, Region: req.Region, Key: req.Key, Header: r.Header.Clone()})
	f.inflight++
	f.peak = max(f.peak, f.inflight)
	h := f.handlers[req.Service+"/"+req.Op]
	if h == nil {
		h = f.handlers[req.Service+"/*"]
	}
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inflight--
		f.mu.Unlock()
	}()
	if f.stall != nil && f.stall(req) {
		<-r.Context().Done()
		return
	}
	if f.latency > 0 {
		select {
		case <-time.After(f.latency):
		case <-r.Context().Done():
			return
		}
	}
	var resp fakeResp
	if f.intercept != nil {
		if r, ok := f.intercept(req); ok {
			writeResp(w, req, proto, r)
			return
		}
	}
	if h != nil {
		resp = h(req)
	} else {
		resp = f.defaultResp(req)
	}
	writeResp(w, req, proto, resp)
}

// decode identifies the request's service, region, profile and operation,
// and checks that it uses the protocol the service's client must speak.
func (f *fakeAWS) decode(r *http.Request, body []byte) (fakeReq, protocol, error) {
	req := fakeReq{Header: r.Header, Path: r.URL.Path, Query: r.URL.Query(), Params: map[string]any{}}
	auth := r.Header.Get("Authorization")
	_, cred, ok := strings.Cut(auth, "Credential=")
	if !ok {
		return req, 0, fmt.Errorf("unsigned request %s %s", r.Method, r.URL)
	}
	cred, _, _ = strings.Cut(cred, ",")
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return req, 0, fmt.Errorf("bad credential scope %q", cred)
	}
	req.Key, req.Region, req.Service = parts[0], parts[2], parts[3]
	proto, ok := protocols[req.Service]
	if !ok {
		return req, 0, fmt.Errorf("no fake for service %q", req.Service)
	}
	ct := r.Header.Get("Content-Type")
	switch proto {
	case protoCBOR:
		op, ok := strings.CutPrefix(r.URL.Path, "/service/GraniteServiceVersion20100801/operation/")
		if r.Method != http.MethodPost || !ok || ct != "application/cbor" || r.Header.Get("Smithy-Protocol") != "rpc-v2-cbor" {
			return req, 0, fmt.Errorf("%s: want a Smithy RPC v2 CBOR request, got %s %s Content-Type=%q Smithy-Protocol=%q",
				req.Service, r.Method, r.URL.Path, ct, r.Header.Get("Smithy-Protocol"))
		}
		req.Op = op
		if len(body) > 0 {
			if err := cbor.Unmarshal(body, &req.Params); err != nil {
				return req, 0, fmt.Errorf("%s %s: CBOR body: %v", req.Service, op, err)
			}
		}
	case protoJSON10, protoJSON11:
		want := "application/x-amz-json-1.1"
		if proto == protoJSON10 {
			want = "application/x-amz-json-1.0"
		}
		op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), jsonTargets[req.Service])
		if r.Method != http.MethodPost || r.URL.Path != "/" || !ok || ct != want {
			return req, 0, fmt.Errorf("%s: want an AWS JSON request (%s, target %s*), got %s %s Content-Type=%q X-Amz-Target=%q",
				req.Service, want, jsonTargets[req.Service], r.Method, r.URL.Path, ct, r.Header.Get("X-Amz-Target"))
		}
		req.Op = op
		if err := json.Unmarshal(body, &req.Params); err != nil {
			return req, 0, fmt.Errorf("%s %s: JSON body: %v", req.Service, op, err)
		}
	case protoQuery, protoEC2:
		form, err := url.ParseQuery(string(body))
		if r.Method != http.MethodPost || ct != "application/x-www-form-urlencoded" || err != nil || form.Get("Action") == "" {
			return req, 0, fmt.Errorf("%s: want an AWS Query request, got %s Content-Type=%q", req.Service, r.Method, ct)
		}
		req.Op = form.Get("Action")
		for k := range form {
			req.Params[k] = form.Get(k)
		}
	case protoRESTJSON, protoRESTXML:
		op, ok := restOp(req.Service, r.Method, r.URL.Path)
		if !ok {
			return req, 0, fmt.Errorf("%s: unknown REST route %s %s", req.Service, r.Method, r.URL.Path)
		}
		req.Op = op
		if op == "GetApis" {
			req.Service = "apigatewayv2"
		}
	}
	return req, proto, nil
}

// restOp maps the REST routes opsdrag uses to their operations.
func restOp(service, method, path string) (string, bool) {
	if method != http.MethodGet {
		return "", false
	}
	switch {
	case service == "eks" && path == "/clusters":
		return "ListClusters", true
	case service == "lambda" && path == "/2015-03-31/functions":
		return "ListFunctions", true
	case service == "apigateway" && path == "/restapis":
		return "GetRestApis", true
	case service == "apigateway" && path == "/v2/apis":
		return "GetApis", true
	case service == "cloudfront" && path == "/2020-05-31/distribution":
		return "ListDistributions", true
	}
	return "", false
}

// defaultResp answers what no handler claims: who the caller is, which
// regions are enabled, and an empty list for everything else.
func (f *fakeAWS) defaultResp(r fakeReq) fakeResp {
	switch r.Service + "/" + r.Op {
	case "sts/GetCallerIdentity":
		f.mu.Lock()
		account := f.accounts[r.Key]
		f.mu.Unlock()
		if account == "" {
			account = "111111111111"
		}
		return fakeResp{Body: fmt.Sprintf("<Account>%s</Account><Arn>arn:aws:iam::%s:user/fake</Arn><UserId>AIDFAKE</UserId>", account, account)}
	case "ec2/DescribeRegions":
		var b strings.Builder
		b.WriteString("<regionInfo>")
		for _, reg := range f.regions {
			fmt.Fprintf(&b, "<item><regionName>%s</regionName><regionEndpoint>ec2.%s.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>", reg, reg)
		}
		b.WriteString("</regionInfo>")
		return fakeResp{Body: b.String()}
	case "cloudfront/ListDistributions":
		return fakeResp{Body: "<DistributionList><Marker></Marker><MaxItems>100</MaxItems><IsTruncated>false</IsTruncated><Quantity>0</Quantity></DistributionList>"}
	}
	switch protocols[r.Service] {
	case protoQuery, protoEC2:
		return fakeResp{Body: ""}
	}
	return fakeResp{Body: map[string]any{}}
}

// writeResp writes resp in the request's protocol.
func writeResp(w http.ResponseWriter, r fakeReq, proto protocol, resp fakeResp) {
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
		if resp.Code != "" {
			status = http.StatusBadRequest
		}
	}
	w.Header().Set("X-Amzn-Requestid", "fake-request")
	switch proto {
	case protoCBOR:
		w.Header().Set("Content-Type", "application/cbor")
		w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
		body := resp.Body
		if resp.Code != "" {
			// CloudWatch is query-compatible: the SDK takes the error code
			// from this header, as AWS sends it.
			w.Header().Set("X-Amzn-Query-Error", resp.Code+";Sender")
			body = map[string]any{"__type": "com.amazon.coral.service#" + resp.Code + "Exception", "message": resp.Msg}
		}
		data, err := cbor.Marshal(body)
		if err != nil {
			panic(err)
		}
		w.WriteHeader(status)
		w.Write(data)
	case protoJSON10, protoJSON11:
		ct := "application/x-amz-json-1.1"
		if proto == protoJSON10 {
			ct = "application/x-amz-json-1.0"
		}
		w.Header().Set("Content-Type", ct)
		body := resp.Body
		if resp.Code != "" {
			if r.Service == "sqs" {
				w.Header().Set("X-Amzn-Query-Error", resp.Code+";Sender")
			}
			body = map[string]any{"__type": resp.Code, "message": resp.Msg}
		}
		data, _ := json.Marshal(body)
		w.WriteHeader(status)
		w.Write(data)
	case protoQuery:
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		if resp.Code != "" {
			fmt.Fprintf(w, "<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fake-request</RequestId></ErrorResponse>",
				resp.Code, html.EscapeString(resp.Msg))
			return
		}
		fmt.Fprintf(w, "<%sResponse><%sResult>%s</%sResult><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></%sResponse>",
			r.Op, r.Op, resp.Body, r.Op, r.Op)
	case protoEC2:
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		w.WriteHeader(status)
		if resp.Code != "" {
			fmt.Fprintf(w, "<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>fake-request</RequestID></Response>",
				resp.Code, html.EscapeString(resp.Msg))
			return
		}
		fmt.Fprintf(w, `<%sResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake-request</requestId>%s</%sResponse>`, r.Op, resp.Body, r.Op)
	case protoRESTJSON:
		w.Header().Set("Content-Type", "application/json")
		body := resp.Body
		if resp.Code != "" {
			w.Header().Set("X-Amzn-Errortype", resp.Code)
			body = map[string]any{"message": resp.Msg}
		}
		data, _ := json.Marshal(body)
		w.WriteHeader(status)
		w.Write(data)
	case protoRESTXML:
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		if resp.Code != "" {
			fmt.Fprintf(w, "<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fake-request</RequestId></ErrorResponse>",
				resp.Code, html.EscapeString(resp.Msg))
			return
		}
		fmt.Fprint(w, resp.Body)
	}
}

// cborTime encodes t as CloudWatch does: CBOR tag 1 around float64 epoch
// seconds.
func cborTime(t time.Time) cbor.Tag {
	return cbor.Tag{Number: 1, Content: float64(t.UnixNano()) / 1e9}
}

// epoch encodes t as the JSON protocols do: epoch seconds.
func epoch(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// denied answers every request with AccessDenied in the service's own
// dialect.
func denied(code string) fakeHandler {
	return func(r fakeReq) fakeResp {
		return fakeResp{Status: http.StatusForbidden, Code: code, Msg: "User: arn:aws:iam::111111111111:user/fake is not authorized to perform: " + r.Op}
	}
}
