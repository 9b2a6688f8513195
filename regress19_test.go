package embedis

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

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

// busySpin is the script of Redis's BUSY scenario: it runs forever, and
// catches the errors of its own calls.
const busySpin = "local f = function() while 1 do redis.call('ping') end end while 1 do pcall(f) end"

// Requests queued before a script passes its busy threshold are answered
// once it passes, from inside the script, on every entry point, with
// Redis's busy rule: BUSY for most commands, allow-busy ones run, a
// refusal dooms an open MULTI and EXEC answers EXECABORT. Replies as
// redis-server 7.0.15 gives them for the same sequence (two connections,
// lua-time-limit 10).
func TestRegressBusyAnswersQueuedRequests(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	busy := "-" + lua.ErrBusy + "\r\n"
	b, c := dialRaw(t, ts.Store), dialRaw(t, ts.Store)
	done := startScript(t, ts, busySpin, "")

	type result struct {
		what string
		v    []Value
		err  error
	}
	results := make(chan result, 8)
	go func() {
		_, err := ts.Get(ctx, "k")
		results <- result{"Get", nil, err}
	}()
	go func() {
		v, err := ts.Do(ctx, "SET", "k", "v")
		results <- result{"Do", []Value{v}, err}
	}()
	go func() {
		p := ts.Pipeline()
		p.Do("GET", "k")
		p.Do("INCR", "n")
		vs, err := p.Exec(ctx)
		results <- result{"Pipeline", vs, err}
	}()
	go func() {
		vs, err := ts.TxPipelined(ctx, func(p *TxPipeline) error {
			p.Set("k", "v")
			return nil
		})
		results <- result{"TxPipelined", vs, err}
	}()
	go func() {
		var v Value
		err := ts.Watch(ctx, func(tx *Tx) error {
			var err error
			v, err = tx.Do(ctx, "GET", "k")
			return err
		}, "w")
		results <- result{"Tx", []Value{v}, err}
	}()
	b.send("PING\r\n")
	c.send("MULTI\r\nSET k v\r\nFOO\r\nGET\r\nWATCH w\r\nEXEC\r\n")
	waitQueued(ts.Store, 7)
	ts.clk.Advance(5 * time.Second)

	for i := 0; i < 5; i++ {
		r := <-results
		switch r.what {
		case "Get":
			if !errors.Is(r.err, ErrBusy) {
				t.Errorf("Get: %v, want ErrBusy", r.err)
			}
		case "Do", "Tx":
			if r.err != nil || r.v[0].Str() != lua.ErrBusy {
				t.Errorf("%s: %v, %v; want BUSY", r.what, r.v, r.err)
			}
		case "Pipeline":
			if r.err != nil || len(r.v) != 2 || r.v[0].Str() != lua.ErrBusy || r.v[1].Str() != lua.ErrBusy {
				t.Errorf("Pipeline: %v, %v; want BUSY twice", r.v, r.err)
			}
		case "TxPipelined":
			if !errors.Is(r.err, ErrExecAbort) || !errors.Is(r.err, ErrBusy) {
				t.Errorf("TxPipelined: %v, %v; want EXECABORT because of BUSY", r.v, r.err)
			}
		}
	}
	b.expect(busy)
	c.expect("+OK\r\n")
	c.expect(busy)
	c.expect("-ERR unknown command 'FOO', with args beginning with: \r\n")
	c.expect("-ERR wrong number of arguments for 'get' command\r\n")
	c.expect("-ERR WATCH inside MULTI is not allowed\r\n")
	c.expect("-EXECABORT Transaction discarded because of: " + lua.ErrBusy + "\r\n")
	// A transaction opened while busy stays open and doomed.
	c.send("MULTI\r\nSET k v\r\n")
	c.expect("+OK\r\n")
	c.expect(busy)
	// A PING and a SCRIPT KILL pipelined: BUSY, then the kill.
	b.send("PING\r\nSCRIPT KILL\r\n")
	b.expect(busy)
	b.expect("+OK\r\n")
	if err := <-done; err == nil || !strings.HasPrefix(err.Error(), "ERR Script killed by user with SCRIPT KILL...") {
		t.Fatalf("script: %v", err)
	}
	c.send("SET k2 v\r\nEXEC\r\n")
	c.expect("+QUEUED\r\n")
	c.expect("-EXECABORT Transaction discarded because of previous errors.\r\n")
	ts.expect(IntValue(0), "EXISTS", "k", "k2", "n")
	ts.expect(IntValue(0), "DBSIZE")
}

// The same for a function, whose loop makes no call at all (the engine's
// instruction hook answers), and for the kill commands inside MULTI.
func TestRegressBusyFunctionQueuedRequests(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	busy := "-" + lua.ErrBusyFunction + "\r\n"
	if _, err := ts.FunctionLoad(ctx, "#!lua name=spin\nredis.register_function('spin', function() redis.call('PING') local n = 0 while true do n = n + 1 end end)", false); err != nil {
		t.Fatal(err)
	}
	b := dialRaw(t, ts.Store)
	done := startScript(t, ts, "", "spin")
	got := make(chan Value, 1)
	go func() {
		v, err := ts.Do(ctx, "GET", "k")
		if err != nil {
			v = ErrorValue(err.Error())
		}
		got <- v
	}()
	b.send("MULTI\r\nSCRIPT KILL\r\nDISCARD\r\nEXEC\r\nSCRIPT KILL\r\nFUNCTION STATS\r\n")
	waitQueued(ts.Store, 2)
	ts.clk.Advance(6 * time.Second)
	if v := <-got; v.Str() != lua.ErrBusyFunction {
		t.Errorf("Do while a function is busy: %v", v)
	}
	b.expect("+OK\r\n")
	b.expect("+QUEUED\r\n")
	b.expect("+OK\r\n")
	b.expect("-EXECABORT Transaction discarded because of: " + lua.ErrBusyFunction + "\r\n")
	b.expect(busy) // SCRIPT KILL of a function
	stats, err := b.readFrame()
	if err != nil || !strings.Contains(stats, "$4\r\nspin\r\n") {
		t.Fatalf("FUNCTION STATS while busy: %q, %v", stats, err)
	}
	b.roundTrip("FUNCTION KILL\r\n", "+OK\r\n")
	if err := <-done; err == nil || !strings.HasPrefix(err.Error(), "ERR Script killed by user with SCRIPT KILL... script: spin") {
		t.Fatalf("function: %v", err)
	}
}
