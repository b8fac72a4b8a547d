package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"testing"

	"github.com/opsdrag/opsdrag/model"
)

// testdata/data-v1.json is a source's data exactly as schema version 1
// stores it: model.Data as JSON, every field set. It is frozen — databases
// in the field hold this shape — so do not regenerate it. When this test
// fails, a model field was renamed, removed or retyped: saved snapshots
// would silently lose it. Keep the old name readable (or add a migration
// that rewrites snapshot_sources.data), then add a new fixture beside this
// one rather than editing it.
func TestStoredDataOfVersion1StillDecodes(t *testing.T) {
	stored, err := os.ReadFile("testdata/data-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(stored))
	dec.DisallowUnknownFields()
	var d model.Data
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("data saved by schema version 1 no longer decodes into model.Data: %v", err)
	}
	again, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var old, now any
	if err := json.Unmarshal(stored, &old); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(again, &now); err != nil {
		t.Fatal(err)
	}
	if p := missing("data", old, now); p != "" {
		t.Errorf("data saved by schema version 1 loses %s when read back", p)
	}
}

// missing returns the first path of old whose value now does not carry,
// or "" when now holds all of old.
func missing(path string, old, now any) string {
	switch o := old.(type) {
	case map[string]any:
		n, ok := now.(map[string]any)
		if !ok {
			return path
		}
		for k, v := range o {
			if p := missing(path+"."+k, v, n[k]); p != "" {
				return p
			}
		}
		return ""
	case []any:
		n, ok := now.([]any)
		if !ok || len(n) != len(o) {
			return path
		}
		for i := range o {
			if p := missing(fmt.Sprintf("%s[%d]", path, i), o[i], n[i]); p != "" {
				return p
			}
		}
		return ""
	default:
		if !reflect.DeepEqual(old, now) {
			return path
		}
		return ""
	}
}
