package collectors

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
)

// crash is the first panic in one collection's goroutines, with its stack.
type crash struct {
	cancel context.CancelFunc

	mu    sync.Mutex
	value any
	stack []byte
}

func (c *crash) record(p any, stack []byte) {
	c.mu.Lock()
	if c.stack == nil {
		c.value, c.stack = p, stack
	}
	c.mu.Unlock()
	c.cancel() // the rest of the collection stops: its answer is lost anyway
}

// happened returns the panic and its stack; a nil stack when none happened.
func (c *crash) happened() (any, []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.value, c.stack
}

func (c *crash) err() error {
	p, _ := c.happened()
	return fmt.Errorf("crashed: %v (a bug in opsdrag: its stack is in opsdrag's log; please report it)", p)
}

type crashKey struct{}

// withCrash returns a context whose collectors' panics are recorded in c.
func withCrash(ctx context.Context, c *crash) context.Context {
	return context.WithValue(ctx, crashKey{}, c)
}

// Recover is deferred first thing in every goroutine a collector starts:
//
//	wg.Go(func() {
//		defer collectors.Recover(ctx)
//		…
//	})
//
// A panic there then ends only that collection: the runner shows its source
// as failed, logs the panic with its stack, and every other source carries
// on. A goroutine a panic ends returns as if it had done nothing. Outside a
// runner (a collector's own tests) the panic goes on as if not recovered.
func Recover(ctx context.Context) {
	p := recover()
	if p == nil {
		return
	}
	c, ok := ctx.Value(crashKey{}).(*crash)
	if !ok {
		panic(p)
	}
	c.record(p, debug.Stack())
}
