package config

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml/parser"
)

// fileKeys lists the dotted keys of the config file's shape.
func fileKeys(t reflect.Type, prefix string) []string {
	var keys []string
	for i := range t.NumField() {
		f := t.Field(i)
		key := f.Tag.Get("yaml")
		if prefix != "" {
			key = prefix + "." + key
		}
		keys = append(keys, key)
		if f.Type.Kind() == reflect.Struct {
			keys = append(keys, fileKeys(f.Type, key)...)
		}
	}
	return keys
}

// TestFullFixtureSetsEveryKey keeps testdata/full.yaml complete: a key added
// to the file shape without a test value fails here.
func TestFullFixtureSetsEveryKey(t *testing.T) {
	data, err := os.ReadFile("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	idx := indexKeys(f)
	want := fileKeys(reflect.TypeFor[file](), "")
	if len(want) < 25 {
		t.Fatalf("only %d keys found in the file shape: %v", len(want), want)
	}
	for _, key := range want {
		if _, ok := idx.byPath[key]; !ok {
			t.Errorf("testdata/full.yaml does not set %s", key)
		}
	}
	// And nothing more: every key in the fixture is one opsdrag reads.
	for key := range idx.byPath {
		if !slices.Contains(want, key) && !isListItem(key) && !strings.HasPrefix(key, "checklist.effort_hours.") {
			t.Errorf("testdata/full.yaml sets %s, which is not a config key", key)
		}
	}
}

func isListItem(key string) bool { return len(key) > 0 && key[len(key)-1] == ']' }
