package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// unknownKeyMsg is what an unknown key is told.
const unknownKeyMsg = "unknown key: check its spelling against docs/configuration.md, or remove it"

// shape checks the document against the file's structure before it is
// decoded, because the decoder stops at its first unknown key or wrong
// type and a config error must list every problem at once. A value found
// wrong is replaced by null, so decoding and the value checks can go on
// with the rest. Tags, anchors and aliases are left to the decoder.
func (v *validator) shape(body ast.Node) {
	v.shapeValue(body, reflect.TypeFor[file](), "", func(ast.Node) {})
}

// mappingEntries returns the entries of a mapping node; go-yaml represents
// a mapping of one entry as the entry itself.
func mappingEntries(n ast.Node) ([]*ast.MappingValueNode, bool) {
	switch n := n.(type) {
	case *ast.MappingNode:
		return n.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{n}, true
	}
	return nil, false
}

func (v *validator) shapeStruct(n ast.Node, t reflect.Type, prefix string) {
	entries, _ := mappingEntries(n)
	fields := make(map[string]reflect.Type, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		fields[name] = f.Type
	}
	for _, mv := range entries {
		if mv.Key.Type() == ast.MergeKeyType {
			continue // "<<: *anchor": the decoder merges it
		}
		key := strings.TrimPrefix(prefix+"."+mv.Key.String(), ".")
		ft, ok := fields[mv.Key.String()]
		if !ok {
			v.fail(key, unknownKeyMsg)
			continue
		}
		v.shapeValue(mv.Value, ft, key, func(r ast.Node) { mv.Value = r })
	}
}

// shapeValue checks that n fits type t; replace swaps n for null in its
// parent when it does not.
func (v *validator) shapeValue(n ast.Node, t reflect.Type, key string, replace func(ast.Node)) {
	if n == nil || opaque(n) || n.Type() == ast.NullType {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	bad := func(format string, args ...any) {
		line := v.keys.line(key)
		if line == 0 && n.GetToken() != nil { // the document itself
			line = n.GetToken().Position.Line
		}
		v.errs = append(v.errs, &Error{Path: v.path, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
		replace(ast.Null(n.GetToken()))
	}
	switch t.Kind() {
	case reflect.Struct:
		if _, ok := mappingEntries(n); !ok {
			bad("%s given where a mapping is expected (keys, one per line, indented under %s)", nodeKind(n), lastKey(key))
			return
		}
		v.shapeStruct(n, t, key)
	case reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			bad("%s given where a sequence is expected: write a list, [a, b] or one \"- item\" per line", nodeKind(n))
			return
		}
		wrong := false
		for i, item := range seq.Values {
			if item != nil && !opaque(item) && !scalar(item) {
				v.fail(fmt.Sprintf("%s[%d]", key, i), "want text, got %s", nodeKind(item))
				wrong = true
			}
		}
		if wrong {
			replace(ast.Null(n.GetToken()))
		}
	case reflect.Int:
		if n.Type() != ast.IntegerType && n.Type() != ast.FloatType && !numeric(n) { // a fraction is told by the value checks
			bad("want a whole number, got %s", nodeValue(n))
		}
	case reflect.Float64:
		switch n.Type() {
		case ast.IntegerType, ast.FloatType, ast.InfinityType, ast.NanType:
		default:
			if numeric(n) {
				return
			}
			bad("want a number, got %s", nodeValue(n))
		}
	case reflect.String:
		if !scalar(n) {
			bad("want text, got %s", nodeKind(n))
		}
	}
}

// numeric reports whether a plain scalar reads as a number, as the decoder
// reads 1e308, which YAML 1.2 leaves a string.
func numeric(n ast.Node) bool {
	t := n.GetToken()
	if n.Type() != ast.StringType || t == nil || t.Type != token.StringType {
		return false
	}
	_, err := strconv.ParseFloat(t.Value, 64)
	return err == nil
}

// opaque nodes are resolved by the decoder: a tag, an anchor or an alias.
func opaque(n ast.Node) bool {
	switch n.Type() {
	case ast.TagType, ast.AnchorType, ast.AliasType:
		return true
	}
	return false
}

func scalar(n ast.Node) bool {
	switch n.Type() {
	case ast.StringType, ast.IntegerType, ast.FloatType, ast.BoolType, ast.NullType,
		ast.InfinityType, ast.NanType, ast.LiteralType:
		return true
	}
	return false
}

// nodeKind names a node's kind in a message.
func nodeKind(n ast.Node) string {
	switch n.Type() {
	case ast.MappingType, ast.MappingValueType:
		return "a mapping"
	case ast.SequenceType:
		return "a sequence"
	}
	return nodeValue(n)
}

// nodeValue quotes a scalar's text, or names the kind of anything else.
func nodeValue(n ast.Node) string {
	if scalar(n) {
		if t := n.GetToken(); t != nil {
			return fmt.Sprintf("%q", t.Value)
		}
	}
	return nodeKind(n)
}

func lastKey(key string) string {
	if key == "" {
		return "the top level"
	}
	return key[strings.LastIndex(key, ".")+1:]
}
