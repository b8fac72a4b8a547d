package github

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
)

// permanentStore keeps answers that can never change, so they are fetched
// once ever: the file list of a merged pull request, and an earlier attempt
// of a workflow run (superseded attempts are final). Keys include the API
// base URL, so a GitHub Enterprise Server and github.com never share an
// entry. Like the ETag cache it never holds a credential, and an unreadable
// entry is simply fetched again.
type permanentStore struct {
	dir  string    // "" keeps nothing
	made *sync.Map // directories known to exist
}

func (p permanentStore) path(kind, key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(p.dir, kind, hex.EncodeToString(sum[:])+".json")
}

// get decodes the entry for key into v and reports whether it was there.
func (p permanentStore) get(kind, key string, v any) bool {
	if p.dir == "" {
		return false
	}
	b, err := os.ReadFile(p.path(kind, key))
	if err != nil {
		return false
	}
	var e struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	}
	if json.Unmarshal(b, &e) != nil || e.Key != key {
		return false
	}
	return json.Unmarshal(e.Value, v) == nil
}

// put stores v under key; a failure to write only costs a later refetch.
func (p permanentStore) put(kind, key string, v any) {
	if p.dir == "" {
		return
	}
	b, err := json.Marshal(struct {
		Key   string `json:"key"`
		Value any    `json:"value"`
	}{key, v})
	if err != nil {
		return
	}
	_ = writeFileAtomic(p.path(kind, key), b, p.made)
}
