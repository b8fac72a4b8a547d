package applog

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const token = "ghp_opsdragTESTtoken0123456789abcdefXYZ"

func TestRedact(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"token " + token + " rejected", "token [redacted] rejected"},
		{"GITHUB_TOKEN=" + token, "GITHUB_TOKEN=[redacted]"},
		{"Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345", "Authorization: Bearer [redacted]"},
		{"basic dXNlcjpwYXNzd29yZHBhc3N3b3Jk", "basic [redacted]"},
		{"github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "[redacted]"},
		{"gho_16charsXXXXXXXXXXXX and ghs_16charsYYYYYYYYYYYY", "[redacted] and [redacted]"},
		// Ordinary text is left alone.
		{"GitHub rejected the token from GITHUB_TOKEN (401 Bad credentials)", "GitHub rejected the token from GITHUB_TOKEN (401 Bad credentials)"},
		{"GET /repos/acme/api/actions/runs?page=2", "GET /repos/acme/api/actions/runs?page=2"},
	} {
		if got := Redact(c.in); got != c.want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// A token in a message, an attribute or an error never reaches the file.
func TestTheLogNeverHoldsAToken(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, true)
	log.Info("GitHub rejected "+token, "detail", "Bearer "+token, "err", errors.New("auth "+token))
	log.Debug("x", slog.Any("value", stringer("token="+token)))
	if strings.Contains(buf.String(), token) || strings.Contains(buf.String(), token[4:]) {
		t.Errorf("the token is in the log:\n%s", buf.String())
	}
	if n := strings.Count(buf.String(), "[redacted]"); n != 4 {
		t.Errorf("%d redactions, want 4:\n%s", n, buf.String())
	}
}

type stringer string

func (s stringer) String() string { return string(s) }

func TestInfoByDefaultDebugWhenAsked(t *testing.T) {
	for _, debug := range []bool{false, true} {
		var buf bytes.Buffer
		log := New(&buf, debug)
		log.Debug("detail")
		log.Info("summary")
		if got := strings.Contains(buf.String(), "detail"); got != debug {
			t.Errorf("debug=%v: debug line logged = %v:\n%s", debug, got, buf.String())
		}
		if !strings.Contains(buf.String(), "summary") {
			t.Errorf("debug=%v: info line missing", debug)
		}
	}
}

// The file is its owner's alone: created 0600 in a 0700 directory, an
// existing file tightened, and so are rotated files.
func TestTheFileIsPrivateAndRotates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "opsdrag")
	path := filepath.Join(dir, FileName)
	l, err := Open(path, false)
	if err != nil {
		t.Fatal(err)
	}
	l.Info("first")
	checkMode(t, dir, 0o700)
	checkMode(t, path, 0o600)
	// More than one file's worth: it rotates.
	line := strings.Repeat("x", 1<<20)
	for range maxSizeMB + 1 {
		l.Info(line)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "opsdrag-*.log"))
	if len(files) == 0 {
		t.Fatal("no rotated file after more than the size limit")
	}
	for _, f := range append(files, path) {
		checkMode(t, f, 0o600)
	}

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err = Open(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	checkMode(t, path, 0o600)
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s: mode %o, want %o", path, got, want)
	}
}

// At debug level a request's line says what was asked and what came back,
// and nothing of the request's headers.
func TestRequestsAreLoggedWithoutTheirCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Remaining", "4999")
		w.Header().Set("X-RateLimit-Reset", "1764000000")
		w.Header().Set("X-GitHub-Request-Id", "ABCD:1234")
		w.Header().Set("Set-Cookie", "session=secret-cookie-value")
		w.WriteHeader(http.StatusNotModified)
	}))
	defer srv.Close()
	var buf bytes.Buffer
	hc := &http.Client{Transport: Transport(http.DefaultTransport, New(&buf, true))}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/repos/acme/api/actions/runs?page=2&access_token="+token, nil)
	req.Header.Set("Authorization", "token "+token)
	req.URL.User = nil
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := buf.String()
	for _, want := range []string{"method=GET", "path=\"/repos/acme/api/actions/runs?access_token=%5Bredacted%5D&page=2\"", "status=304", "duration=", "x-ratelimit-remaining=4999", "x-ratelimit-reset=1764000000", "x-github-request-id=ABCD:1234"} {
		if !strings.Contains(got, want) {
			t.Errorf("the line lacks %s:\n%s", want, got)
		}
	}
	for _, never := range []string{token, token[4:], "Authorization", "secret-cookie-value"} {
		if strings.Contains(got, never) {
			t.Errorf("the line holds %q:\n%s", never, got)
		}
	}

	// At info level nothing is logged per request.
	buf.Reset()
	hc.Transport = Transport(http.DefaultTransport, New(&buf, false))
	resp, err = hc.Get(srv.URL + "/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if buf.Len() != 0 {
		t.Errorf("info level logged a request: %s", buf.String())
	}
}
