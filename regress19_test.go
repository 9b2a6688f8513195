package embedis

import (
	"context"
	"errors"
	"testing"
)

// Regression tests for the bugs of issue 19 (argument ownership, pipeline
// cancellation, SCRIPT KILL atomicity, BUSY for queued requests).

// A command queued by MULTI through a Tx's own Do keeps its arguments
// until EXEC, across requests: they must not alias the pooled request's
// argument array, which is cleared when the request is recycled.
func TestRegressMultiQueueOwnsArgs(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	err := ts.Watch(ctx, func(tx *Tx) error {
		for _, args := range [][]any{{"MULTI"}, {"SET", "k", "v"}, {"EXEC"}} {
			if _, err := tx.Do(ctx, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ts.expect(BulkValue("v"), "GET", "k")
	ts.expect(IntValue(0), "EXISTS", "")

	// The same through DoStrings, with a caller that reuses its slice once
	// the call has returned.
	err = ts.Watch(ctx, func(tx *Tx) error {
		buf := []string{"multi"}
		if _, err := tx.DoStrings(ctx, buf...); err != nil {
			return err
		}
		buf = []string{"set", "k2", "v2", "px", "100000"} // longer than the pooled array
		if _, err := tx.DoStrings(ctx, buf...); err != nil {
			return err
		}
		buf[1], buf[2] = "clobbered", "clobbered"
		v, err := tx.DoStrings(ctx, "exec")
		if err != nil {
			return err
		}
		return v.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	ts.expect(BulkValue("v2"), "GET", "k2")
	ts.expect(IntValue(0), "EXISTS", "clobbered")
}

// A Pipeline whose ctx ends while one of its commands blocks (BLPOP) has
// started: the commands before it ran, so Exec does not report "nothing
// ran". The blocked command answers as if its timeout had passed, the
// commands after it still run (a second blocking command too, at once),
// and Exec returns every reply together with ctx's error.
func TestRegressPipelineCancelledWhileBlocked(t *testing.T) {
	ts := newTestStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	p := ts.Pipeline()
	p.Do("SET", "before", "1")
	p.Do("BLPOP", "list", 0)
	p.Do("SET", "after", "1")
	p.Do("BRPOP", "list2", 0)
	p.Do("INCR", "n")
	type result struct {
		replies []Value
		err     error
	}
	done := make(chan result, 1)
	go func() {
		replies, err := p.Exec(ctx)
		done <- result{replies, err}
	}()
	ts.waitBlocked(1)
	cancel()
	res := <-done
	if !errors.Is(res.err, context.Canceled) {
		t.Fatalf("Exec error = %v, want context.Canceled", res.err)
	}
	want := []Value{okValue, nullArrayValue, okValue, nullArrayValue, IntValue(1)}
	if len(res.replies) != len(want) {
		t.Fatalf("replies = %v, want %v", res.replies, want)
	}
	for i := range want {
		if !valuesEqual(res.replies[i], want[i]) {
			t.Errorf("reply %d = %s, want %s", i, res.replies[i], want[i])
		}
	}
	ts.expect(BulkValue("1"), "GET", "after")
	ts.waitBlocked(0)
	// Nothing is left waiting: a push is not taken by the cancelled BLPOP.
	ts.expect(IntValue(1), "RPUSH", "list", "x")
	ts.expect(IntValue(1), "LLEN", "list")

	// A ctx that ends before the executor takes the batch still runs
	// nothing and returns no replies.
	release := blockExecutor(t, ts.Store)
	ctx2, cancel2 := context.WithCancel(context.Background())
	p.Do("SET", "never", "1")
	go func() {
		replies, err := p.Exec(ctx2)
		done <- result{replies, err}
	}()
	waitQueued(ts.Store, 1)
	cancel2()
	res = <-done
	release()
	if res.replies != nil || !errors.Is(res.err, context.Canceled) {
		t.Fatalf("Exec = %v, %v; want nil, context.Canceled", res.replies, res.err)
	}
	ts.expect(IntValue(0), "EXISTS", "never")
}
