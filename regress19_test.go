package embedis

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/embedis/embedis/lua"
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

// killAtomicScript is the script of the SCRIPT KILL atomicity tests: reads
// around three writes. It must be applied whole or not at all.
const killAtomicScript = `redis.call('PING')
for i = 1, tonumber(ARGV[1]) do redis.call('GET', 'x') end
redis.call('SET', 'a', '1')
redis.call('GET', 'y')
redis.call('SET', 'b', '1')
redis.call('INCR', 'c')
return 'done'`

// killAtomicLib is the same as a function, for FUNCTION KILL.
const killAtomicLib = "#!lua name=atomic\nredis.register_function('atomic', function(keys, ARGV)\n" + killAtomicScript + "\nend)"

// checkAllOrNothing checks that the script's writes (a, b, c) all happened
// or none did, and that this matches how the kill and the script ended.
func checkAllOrNothing(t *testing.T, ts *testStore, what string, killErr, runErr error) {
	t.Helper()
	n, err := ts.Exists(context.Background(), "a", "b", "c")
	if err != nil {
		t.Fatal(err)
	}
	killed := runErr != nil && strings.HasPrefix(runErr.Error(), "ERR Script killed by user with SCRIPT KILL...")
	switch {
	case n != 0 && n != 3:
		t.Fatalf("%s: %d of the script's 3 writes applied (kill: %v, script: %v)", what, n, killErr, runErr)
	case killed != (n == 0):
		t.Fatalf("%s: script returned %v with %d writes applied", what, runErr, n)
	case killErr == nil && !killed:
		t.Fatalf("%s: the kill succeeded but the script returned %v", what, runErr)
	case killed && killErr != nil:
		t.Fatalf("%s: the kill failed (%v) but the script was killed", what, killErr)
	}
	if _, err := ts.Del(context.Background(), "a", "b", "c"); err != nil {
		t.Fatal(err)
	}
}

// SCRIPT KILL and FUNCTION KILL landing at every command of a script:
// before the first write the script stops with nothing applied; from the
// first write on, the kill answers UNKILLABLE and everything is applied.
// The kill is made from the script's own command hook, so it lands at an
// exact point: just before the command's checks.
func TestRegressScriptKillAtomicAtEveryCall(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	if _, err := ts.FunctionLoad(ctx, killAtomicLib, false); err != nil {
		t.Fatal(err)
	}
	const reads = 2
	calls := 1 + reads + 4 // PING, the GETs, SET, GET, SET, INCR
	for _, function := range []bool{false, true} {
		for at := 0; at < calls; at++ {
			var killErr error
			n := 0
			if err := ts.onExecutor(ctx, func(s *Store) {
				s.script.onCall = func(args []string) {
					if n == at {
						killErr = s.script.engine.Load().Kill(function)
					}
					n++
				}
			}); err != nil {
				t.Fatal(err)
			}
			var runErr error
			if function {
				_, runErr = ts.FCall(ctx, "atomic", nil, reads)
			} else {
				_, runErr = ts.Eval(ctx, killAtomicScript, nil, reads)
			}
			if err := ts.onExecutor(ctx, func(s *Store) { s.script.onCall = nil }); err != nil {
				t.Fatal(err)
			}
			what := fmt.Sprintf("function=%v kill at call %d", function, at)
			wantUnkillable := at > reads+1 // after SET a started
			if wantUnkillable != (killErr != nil && killErr.Error() == lua.ErrUnkillable) {
				t.Fatalf("%s: kill returned %v", what, killErr)
			}
			checkAllOrNothing(t, ts, what, killErr, runErr)
		}
	}
}

// The same with the kill sent from another goroutine at a moment chosen by
// the scheduler, many times (seeded number of reads before the writes).
func TestRegressScriptKillAtomicRace(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	if _, err := ts.FunctionLoad(ctx, killAtomicLib, false); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(19, 3))
	for i := 0; i < 200; i++ {
		function := i%2 == 1
		reads := rng.IntN(20)
		started := make(chan struct{})
		if err := ts.onExecutor(ctx, func(s *Store) {
			s.script.onCall = func(args []string) {
				close(started)
				s.script.onCall = nil
			}
		}); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			var err error
			if function {
				_, err = ts.FCall(ctx, "atomic", nil, reads)
			} else {
				_, err = ts.Eval(ctx, killAtomicScript, nil, reads)
			}
			done <- err
		}()
		<-started
		for j := rng.IntN(4*reads + 1); j > 0; j-- {
			runtime.Gosched()
		}
		var killErr error
		if function {
			killErr = ts.FunctionKill(ctx)
		} else {
			killErr = ts.ScriptKill(ctx)
		}
		if errors.Is(killErr, ErrNotBusy) {
			killErr = errors.New("script already done") // counts as a failed kill
		}
		checkAllOrNothing(t, ts, fmt.Sprintf("run %d (function=%v, %d reads)", i, function, reads), killErr, <-done)
	}
}
