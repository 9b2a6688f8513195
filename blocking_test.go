package embedis

import (
	"context"

	"runtime"
	"testing"

)

// waitBlocked waits until n calls are blocked in ts (polling the executor,
// yielding between polls: no sleeps, no timing assumptions).
func (ts *testStore) waitBlocked(n int) {
	ts.t.Helper()
	for i := 0; ; i++ {
		got, err := ts.blockedClients(context.Background())
		if err != nil {
			ts.t.Fatalf("blockedClients: %v", err)
		}
		if got == n {
			return
		}
		if i > 1e6 {
			ts.t.Fatalf("blocked calls: %d, want %d", got, n)
		}
		runtime.Gosched()
	}
}

// goDo runs a command in a goroutine and returns a channel for its reply.
func (ts *testStore) goDo(ctx context.Context, args ...any) <-chan Value {
	ch := make(chan Value, 1)
	go func() {
		v, err := ts.Do(ctx, args...)
		if err != nil {
			v = ErrorValue("Go error: " + err.Error())
		}
		ch <- v
	}()
	return ch
}

func expectReply(t *testing.T, ch <-chan Value, want Value) {
	t.Helper()
	got := <-ch
	if !valuesEqual(got, want) {
		t.Errorf("got %s (%s), want %s (%s)", got, got.Kind(), want, want.Kind())
	}
}

func TestBlockingServedByPushFIFO(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	a := ts.goDo(ctx, "BLPOP", "k", "0")
	ts.waitBlocked(1)
	b := ts.goDo(ctx, "BRPOP", "other", "k", "0")
	ts.waitBlocked(2)
	c := ts.goDo(ctx, "BLPOP", "k", "0")
	ts.waitBlocked(3)
	ts.expect(IntValue(2), "RPUSH", "k", "x", "y")
	expectReply(t, a, ArrayValue(BulkValue("k"), BulkValue("x")))
	expectReply(t, b, ArrayValue(BulkValue("k"), BulkValue("y")))
	ts.waitBlocked(1)
	ts.expect(IntValue(0), "EXISTS", "k")
	ts.expect(IntValue(1), "LPUSH", "k", "z")
	expectReply(t, c, ArrayValue(BulkValue("k"), BulkValue("z")))
	ts.waitBlocked(0)
}
