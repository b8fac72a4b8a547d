package github

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// answer304 answers a conditional request 304 and any other 200 with a
// fresh body, as GitHub does for an unchanged resource.
type answer304 struct{}

var freshBody = []byte(`{"fresh":true}`)

func (answer304) RoundTrip(req *http.Request) (*http.Response, error) {
	h := http.Header{"Etag": {`W/"fresh"`}, "Content-Type": {"application/json"}}
	if req.Header.Get("If-None-Match") != "" {
		return &http.Response{StatusCode: http.StatusNotModified, Header: h, Body: io.NopCloser(bytes.NewReader(nil)), Request: req}, nil
	}
	return &http.Response{StatusCode: http.StatusOK, Header: h, Body: io.NopCloser(bytes.NewReader(freshBody)), Request: req}, nil
}

// FuzzETagCacheEntry feeds arbitrary bytes to the cache as an entry read
// back from disk (a file cut short by a crash, another version's format,
// bit rot). Whatever it holds, the request is answered: from the entry
// when the entry is whole and for this URL (and then with exactly its
// body), else afresh, and the entry is then rewritten whole.
//
//	go test -run '^$' -fuzz FuzzETagCacheEntry -fuzztime 10s ./collectors/github/
func FuzzETagCacheEntry(f *testing.F) {
	const url = "https://api.github.com/repos/acme/api/actions/runs?page=2"
	seedDir := f.TempDir()
	seed := &etagCache{dir: seedDir, now: time.Now}
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	path := seed.path(req, url, "")
	seed.store(path, url, "", http.Header{"Etag": {`W/"abc"`}, "Link": {`<https://api.github.com/repositories/1/actions/runs?page=3>; rel="next"`}}, []byte(`{"total_count":1}`))
	whole, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	for _, b := range [][]byte{
		whole, whole[:len(whole)/2], whole[:bytes.IndexByte(whole, '\n')], whole[:bytes.IndexByte(whole, '\n')+1], nil, []byte("\n"),
		[]byte(`{"url":"` + url + `","etag":""}` + "\n{}"), []byte(`{"url":"https://api.github.com/other","etag":"x"}` + "\nbody"),
		[]byte(`{"url":"` + url + `","etag":"x","header":{"Content-Length":["999"]}}` + "\nshort"), []byte(`[1,2,3]` + "\n"), []byte(`null` + "\n"),
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, entry []byte) {
		dir := t.TempDir()
		c := &etagCache{next: answer304{}, dir: dir, now: time.Now}
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		path := c.path(req, url, "")
		if err := writeFileAtomic(path, entry, &sync.Map{}); err != nil {
			t.Fatal(err)
		}
		stored, hit := c.load(path, url, "")
		resp, err := c.RoundTrip(req)
		if err != nil {
			t.Fatalf("RoundTrip: %v", err)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		want := freshBody
		if hit {
			want = stored.body
		}
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, want) {
			t.Fatalf("hit=%v: %d %q, want 200 %q", hit, resp.StatusCode, body, want)
		}
		if n := resp.ContentLength; hit && n != int64(len(body)) {
			t.Fatalf("Content-Length %d for a %d-byte body", n, len(body))
		}
		if !hit {
			// The miss was stored afresh, whole.
			if e, ok := c.load(path, url, ""); !ok || !bytes.Equal(e.body, freshBody) {
				t.Fatalf("after a miss the entry is %v %q, want the fresh answer", ok, e.body)
			}
		}
		if entries, _ := filepath.Glob(filepath.Join(dir, "*", ".tmp-*")); len(entries) > 0 {
			t.Fatalf("temporary files left: %v", entries)
		}
	})
}
