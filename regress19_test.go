package embedis

import (
	"context"
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
