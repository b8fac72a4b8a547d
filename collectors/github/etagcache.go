package github

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// etagCache makes every GET a conditional request. GitHub answers an
// unchanged resource with a 304 that does not count against the rate limit;
// the cache then serves the body it kept, with the fresh response's rate
// headers so the budget stays accurate.
//
// What is stored is only what the response needs to be replayed: the URL,
// the ETag, a few response headers (Link for pagination among them) and the
// body. Request headers are never stored, so neither is the token. Entries
// are files, 0600 in 0700 directories, written atomically; an entry that
// cannot be read or parsed is a miss, never an error. Entries are not keyed
// by token: GitHub checks access before it evaluates If-None-Match, so a
// token that may not see a resource gets a 403 or 404, never the cached body.
type etagCache struct {
	next http.RoundTripper
	dir  string
	now  func() time.Time

	pruneOnce sync.Once
	made      sync.Map // directories known to exist
}

// maxCachedBody bounds what one entry may hold; larger bodies pass through.
const maxCachedBody = 32 << 20

// cacheMaxAge is how long an entry that was not used survives a prune.
const cacheMaxAge = 30 * 24 * time.Hour

// storedHeaders are the response headers an entry keeps.
var storedHeaders = []string{"Content-Type", "ETag", "Link", "Last-Modified", "X-GitHub-Media-Type"}

type cacheEntry struct {
	URL    string      `json:"url"`
	Accept string      `json:"accept"`
	ETag   string      `json:"etag"`
	Header http.Header `json:"header"`
	Stored time.Time   `json:"stored"`
	body   []byte
}

func (c *etagCache) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet || req.Header.Get("If-None-Match") != "" || req.Header.Get("Range") != "" {
		return c.next.RoundTrip(req)
	}
	c.pruneOnce.Do(c.prune)
	url, accept := cacheURL(req), req.Header.Get("Accept")
	path := c.path(req, url, accept)
	entry, hit := c.load(path, url, accept)
	send := req
	if hit {
		send = req.Clone(req.Context())
		send.Header.Set("If-None-Match", entry.ETag)
	}
	resp, err := c.next.RoundTrip(send)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && hit:
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		now := c.now()
		_ = os.Chtimes(path, now, now) // keep a used entry from being pruned
		return replay(entry, resp, req), nil
	case resp.StatusCode == http.StatusOK && resp.Header.Get("ETag") != "":
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxCachedBody+1))
		if err != nil {
			_ = resp.Body.Close()
			return nil, err
		}
		if len(body) > maxCachedBody {
			resp.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(body), resp.Body), resp.Body}
			return resp, nil
		}
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		c.store(path, url, accept, resp.Header, body)
	}
	return resp, nil
}

// replay builds a 200 from a cached entry and the 304 that confirmed it.
func replay(e cacheEntry, fresh *http.Response, req *http.Request) *http.Response {
	h := e.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	for k, v := range fresh.Header {
		switch k {
		case "Content-Length", "Content-Encoding", "Transfer-Encoding", "Content-Type":
			continue
		}
		h[k] = v
	}
	h.Set("Content-Length", strconv.Itoa(len(e.body)))
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK,
		Proto: fresh.Proto, ProtoMajor: fresh.ProtoMajor, ProtoMinor: fresh.ProtoMinor,
		Header: h, Body: io.NopCloser(bytes.NewReader(e.body)), ContentLength: int64(len(e.body)),
		Request: req,
	}
}

// cacheURL is the request URL without any user information, so a
// credential someone put in github.api_url never reaches the disk.
func cacheURL(req *http.Request) string {
	u := *req.URL
	u.User = nil
	return u.String()
}

// path keys an entry by method, URL, Accept and API version: the same URL
// asked for another media type or API version is another resource.
func (c *etagCache) path(req *http.Request, url, accept string) string {
	sum := sha256.Sum256([]byte(req.Method + "\n" + url + "\n" + accept + "\n" + req.Header.Get("X-GitHub-Api-Version")))
	name := hex.EncodeToString(sum[:])
	return filepath.Join(c.dir, name[:2], name+".entry")
}

// An entry file is one line of JSON metadata, a newline, then the body.
func (c *etagCache) load(path, url, accept string) (cacheEntry, bool) {
	f, err := os.Open(path)
	if err != nil {
		return cacheEntry{}, false
	}
	defer f.Close()
	r := bufio.NewReader(f)
	line, err := r.ReadBytes('\n')
	if err != nil {
		return cacheEntry{}, false
	}
	var e cacheEntry
	if json.Unmarshal(line, &e) != nil || e.URL != url || e.Accept != accept || e.ETag == "" {
		return cacheEntry{}, false
	}
	if e.body, err = io.ReadAll(r); err != nil {
		return cacheEntry{}, false
	}
	return e, true
}

func (c *etagCache) store(path, url, accept string, h http.Header, body []byte) {
	e := cacheEntry{URL: url, Accept: accept, ETag: h.Get("ETag"), Header: http.Header{}, Stored: c.now().UTC()}
	for _, k := range storedHeaders {
		if v := h.Values(k); len(v) > 0 {
			e.Header[k] = v
		}
	}
	meta, err := json.Marshal(e)
	if err != nil {
		return
	}
	_ = writeFileAtomic(path, append(append(meta, '\n'), body...), &c.made)
}

// prune removes entries unused for cacheMaxAge and temporary files left by
// an interrupted write. It walks the cache at most once a day (a marker
// file remembers when it last did), so it costs a refresh one stat.
func (c *etagCache) prune() {
	now := c.now()
	marker := filepath.Join(c.dir, ".pruned")
	if info, err := os.Stat(marker); err == nil && now.Sub(info.ModTime()) < 24*time.Hour {
		return
	}
	_ = filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		age := now.Sub(info.ModTime())
		if (strings.HasSuffix(p, ".entry") && age > cacheMaxAge) || (strings.HasPrefix(d.Name(), ".tmp-") && age > time.Hour) {
			_ = os.Remove(p)
		}
		return nil
	})
	_ = writeFileAtomic(marker, nil, &c.made)
}

// writeFileAtomic writes data to path through a temporary file in the same
// directory: a reader sees the old entry or the new one, never half of one.
// Directories are created 0700 (once: made remembers them) and the file is
// 0600, as os.CreateTemp makes it.
func writeFileAtomic(path string, data []byte, made *sync.Map) error {
	dir := filepath.Dir(path)
	if _, ok := made.Load(dir); !ok {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		made.Store(dir, true)
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// ensurePrivateDir creates dir 0700, and tightens it if it already exists:
// the cache holds private repositories' data.
func ensurePrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.Chmod(dir, 0o700)
}
