package collectors_test

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/opsdrag/opsdrag/collectors"
	"github.com/opsdrag/opsdrag/internal/applog"
	"github.com/opsdrag/opsdrag/model"
)

// fanOut collects like the real collectors do: one goroutine per item,
// each recovering as every collector goroutine must.
func fanOut(items int, work func(i int)) func(context.Context, model.Window) (collectors.Result, error) {
	return func(ctx context.Context, _ model.Window) (collectors.Result, error) {
		var wg sync.WaitGroup
		for i := range items {
			wg.Go(func() {
				defer collectors.Recover(ctx)
				work(i)
			})
		}
		wg.Wait()
		return collectors.Result{Data: model.Data{Alarms: []model.Alarm{{Name: "kept?"}}}}, nil
	}
}

// A panic in any goroutine of a collection ends that collection only: its
// source is an error that says so, the log has the panic and its stack,
// and the other sources are untouched.
func TestAPanicInACollectorsGoroutineFailsOnlyItsSource(t *testing.T) {
	var buf bytes.Buffer
	r := collectors.Runner{Log: applog.New(&buf, false), Collectors: []collectors.Collector{
		fake{"aws/alarms", fanOut(8, func(i int) {
			if i == 5 {
				var regions map[string][]string
				//lint:ignore SA5000 the test needs a runtime panic
				regions["eu-west-1"] = nil // assignment to entry in nil map
			}
		})},
		fake{"github/actions", fanOut(8, func(int) {})},
	}}
	got := drain(t, r.Run(t.Context(), testWindow()))
	alarms := got["aws/alarms"].Source
	if alarms.Status != model.StatusError || !strings.HasPrefix(alarms.Detail, "crashed: assignment to entry in nil map") ||
		!strings.Contains(alarms.Detail, "stack is in opsdrag's log") {
		t.Errorf("aws/alarms = %s %q, want an error naming the crash", alarms.Status, alarms.Detail)
	}
	if n := got["aws/alarms"].Data.Items(); n != 0 {
		t.Errorf("a crashed collection kept %d items of an answer it never finished", n)
	}
	if gh := got["github/actions"].Source; gh.Status != model.StatusOK {
		t.Errorf("github/actions = %s %q, want ok", gh.Status, gh.Detail)
	}
	log := buf.String()
	for _, want := range []string{"level=ERROR", "collector panicked", "source=aws/alarms", "assignment to entry in nil map", "crash_test.go", "goroutine "} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
}

// Outside a runner nobody owns the collection: the panic goes on, so a
// collector's own test sees it.
func TestRecoverOutsideARunnerPanics(t *testing.T) {
	defer func() {
		if p := recover(); p != "boom" {
			t.Errorf("recovered %v, want the panic to go on", p)
		}
	}()
	func() {
		defer collectors.Recover(context.Background())
		panic("boom")
	}()
	t.Error("the panic was swallowed")
}

// Every goroutine a collector starts recovers (see collectors.Recover): one
// that does not would take the whole program down with a panic. The rule is
// checked on the source, so a new goroutine cannot forget it.
func TestEveryCollectorGoroutineRecovers(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("*", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			var lit *ast.FuncLit
			switch n := n.(type) {
			case *ast.GoStmt:
				lit, _ = n.Call.Fun.(*ast.FuncLit)
				if lit == nil {
					t.Errorf("%s: go statement without a function literal: it cannot be seen to recover", fset.Position(n.Pos()))
					return true
				}
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "Go" || len(n.Args) != 1 {
					return true
				}
				if lit, _ = n.Args[0].(*ast.FuncLit); lit == nil {
					t.Errorf("%s: %s.Go without a function literal: it cannot be seen to recover", fset.Position(n.Pos()), sel.X)
					return true
				}
			default:
				return true
			}
			checked++
			if !recoversFirst(lit) {
				t.Errorf("%s: a goroutine that does not begin with defer collectors.Recover(ctx)", fset.Position(lit.Pos()))
			}
			return true
		})
	}
	if checked < 20 {
		t.Errorf("only %d goroutines found in the collectors: is the check looking in the right place?", checked)
	}
}

func recoversFirst(lit *ast.FuncLit) bool {
	if len(lit.Body.List) == 0 {
		return false
	}
	d, ok := lit.Body.List[0].(*ast.DeferStmt)
	if !ok {
		return false
	}
	sel, ok := d.Call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "collectors" && sel.Sel.Name == "Recover"
}
