package embedis

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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

func TestBlockingTimeoutsManualClock(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	a := ts.goDo(ctx, "BLPOP", "k", "0.5")
	b := ts.goDo(ctx, "BLMOVE", "k", "d", "LEFT", "RIGHT", "1")
	c := ts.goDo(ctx, "BZPOPMIN", "z", "1")
	d := ts.goDo(ctx, "XREAD", "BLOCK", "1500", "STREAMS", "s", "$")
	ts.waitBlocked(4)
	ts.clk.Advance(499 * time.Millisecond)
	ts.expect(SimpleValue("PONG"), "PING") // an executor turn: timeouts checked
	ts.waitBlocked(4)
	ts.clk.Advance(time.Millisecond)
	expectReply(t, a, nullArrayValue)
	ts.waitBlocked(3)
	ts.clk.Advance(500 * time.Millisecond)
	expectReply(t, b, nullArrayValue) // a nil array, even for BLMOVE
	expectReply(t, c, nullArrayValue)
	ts.waitBlocked(1)
	ts.clk.Advance(500 * time.Millisecond)
	expectReply(t, d, nullArrayValue)
	ts.waitBlocked(0)
	// Timeout 0 waits without limit.
	e := ts.goDo(ctx, "BRPOP", "k", "0")
	ts.waitBlocked(1)
	ts.clk.Advance(1000 * time.Hour)
	ts.expect(SimpleValue("PONG"), "PING")
	ts.waitBlocked(1)
	ts.expect(IntValue(1), "RPUSH", "k", "v")
	expectReply(t, e, ArrayValue(BulkValue("k"), BulkValue("v")))
}

func TestBlockingTimeoutArguments(t *testing.T) {
	ts := newTestStore(t)
	ts.expectErr("ERR timeout is not a float or out of range", "BLPOP", "k", "abc")
	ts.expectErr("ERR timeout is not a float or out of range", "BLPOP", "k", "nan")
	ts.expectErr("ERR timeout is not a float or out of range", "BLPOP", "k", "")
	ts.expectErr("ERR timeout is negative", "BLPOP", "k", "-1")
	ts.expectErr("ERR timeout is negative", "BRPOP", "k", "1e100")
	ts.expectErr("ERR timeout is negative", "BZPOPMIN", "k", "inf")
	ts.expectErr("ERR timeout is not an integer or out of range", "XREAD", "BLOCK", "1.5", "STREAMS", "s", "0")
	ts.expectErr("ERR syntax error", "BLMOVE", "a", "b", "UP", "LEFT", "x")
	ts.expectErr("ERR numkeys should be greater than 0", "BLMPOP", "x", "0", "k", "LEFT")
	ts.expectErr("ERR timeout is not a float or out of range", "BLMPOP", "x", "1", "k", "LEFT")
	// The rounding up of fractions: 0.0001 s waits 1 ms.
	ch := ts.goDo(context.Background(), "BLPOP", "k", "0x0.001p0")
	ts.waitBlocked(1)
	ts.clk.Advance(time.Millisecond)
	expectReply(t, ch, nullArrayValue)
}

func TestBlockingNonBlockingPaths(t *testing.T) {
	ts := newTestStore(t)
	ts.do("RPUSH", "a", "1", "2", "3")
	ts.expect(ArrayValue(BulkValue("a"), BulkValue("1")), "BLPOP", "none", "a", "0")
	ts.expect(ArrayValue(BulkValue("a"), BulkValue("3")), "BRPOP", "a", "0")
	ts.expect(BulkValue("2"), "BRPOPLPUSH", "a", "b", "0")
	ts.expect(ArrayValue(BulkValue("b"), ArrayValue(BulkValue("2"))), "BLMPOP", "0", "2", "a", "b", "LEFT", "COUNT", "5")
	ts.do("SET", "str", "x")
	ts.expectErr(errWrongType.str, "BLPOP", "str", "0")
	ts.expectErr(errWrongType.str, "BZPOPMIN", "str", "0")
	ts.do("ZADD", "z", "1", "m", "2", "n")
	ts.expect(ArrayValue(BulkValue("z"), BulkValue("n"), DoubleValue(2)), "BZPOPMAX", "z", "0")
	// Not allowed to block (an internal job, as EXEC and scripts dispatch
	// nested): the timeout reply at once, even with timeout 0.
	var v1, v2, v3 Value
	if err := ts.onExecutor(context.Background(), func(s *Store) {
		v1 = s.dispatch(ts.cl, []string{"blpop", "none", "0"})
		v2 = s.dispatch(ts.cl, []string{"blmove", "none", "x", "left", "left", "0"})
		v3 = s.dispatch(ts.cl, []string{"xread", "block", "0", "streams", "none", "0"})
	}); err != nil {
		t.Fatal(err)
	}
	if v1.kind != KindNullArray || v2.kind != KindNull || v3.kind != KindNullArray {
		t.Fatalf("non-blocking context: %s %s %s", v1.Kind(), v2.Kind(), v3.Kind())
	}
	ts.waitBlocked(0)
}

func TestBlockingServedWithinTransactionAndByMoves(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	a := ts.goDo(ctx, "BLPOP", "k", "0")
	ts.waitBlocked(1)
	// A transaction-like turn (commands dispatched inside one executor
	// job, as EXEC does): the waiter sees only its final state.
	run := func(cmds ...[]string) {
		t.Helper()
		if err := ts.onExecutor(ctx, func(s *Store) {
			s.callDepth++ // nested, as an EXEC body
			for _, c := range cmds {
				s.dispatch(ts.cl, c)
			}
			s.callDepth--
		}); err != nil {
			t.Fatal(err)
		}
	}
	run([]string{"rpush", "k", "x"}, []string{"lpop", "k"})
	ts.expect(SimpleValue("PONG"), "PING")
	ts.waitBlocked(1)
	run([]string{"rpush", "k", "x", "y"}, []string{"lpop", "k"})
	expectReply(t, a, ArrayValue(BulkValue("k"), BulkValue("y")))

	// LMOVE into a waited-on key serves it; BLMOVE chains.
	b := ts.goDo(ctx, "BLMOVE", "src", "mid", "LEFT", "RIGHT", "0")
	ts.waitBlocked(1)
	c := ts.goDo(ctx, "BRPOP", "dst", "0")
	ts.waitBlocked(2)
	d := ts.goDo(ctx, "BLPOP", "mid", "0")
	ts.waitBlocked(3)
	ts.do("RPUSH", "other", "e1")
	ts.expect(BulkValue("e1"), "LMOVE", "other", "dst", "LEFT", "LEFT")
	expectReply(t, c, ArrayValue(BulkValue("dst"), BulkValue("e1")))
	ts.do("RPUSH", "src", "e2")
	expectReply(t, b, BulkValue("e2"))
	expectReply(t, d, ArrayValue(BulkValue("mid"), BulkValue("e2")))
	ts.waitBlocked(0)

	// A BLPOP on several keys is served from the key that became ready.
	e := ts.goDo(ctx, "BLPOP", "k1", "k2", "0")
	ts.waitBlocked(1)
	run([]string{"rpush", "k2", "two"}, []string{"rpush", "k1", "one"})
	expectReply(t, e, ArrayValue(BulkValue("k2"), BulkValue("two")))
	// A key replaced by another type keeps the waiter waiting.
	f := ts.goDo(ctx, "BLPOP", "w", "0")
	ts.waitBlocked(1)
	ts.do("SET", "w", "str")
	ts.expect(SimpleValue("PONG"), "PING")
	ts.waitBlocked(1)
	ts.do("DEL", "w")
	ts.do("RPUSH", "w", "ok")
	expectReply(t, f, ArrayValue(BulkValue("w"), BulkValue("ok")))
}

func TestBlockingSortedSetsAndStreams(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	a := ts.goDo(ctx, "BZPOPMIN", "z1", "z2", "0")
	ts.waitBlocked(1)
	b := ts.goDo(ctx, "BZMPOP", "0", "1", "z2", "MAX", "COUNT", "2")
	ts.waitBlocked(2)
	ts.do("ZADD", "z2", "1", "a", "2", "b", "3", "c")
	expectReply(t, a, ArrayValue(BulkValue("z2"), BulkValue("a"), DoubleValue(1)))
	expectReply(t, b, ArrayValue(BulkValue("z2"), ArrayValue(
		ArrayValue(BulkValue("c"), DoubleValue(3)), ArrayValue(BulkValue("b"), DoubleValue(2)))))

	// XREAD BLOCK with $: served with what arrived after it blocked, for
	// the key that got it only.
	ts.do("XADD", "s1", "1-1", "f", "old")
	c := ts.goDo(ctx, "XREAD", "BLOCK", "0", "STREAMS", "s1", "s2", "$", "$")
	ts.waitBlocked(1)
	ts.do("XADD", "s2", "5-1", "f", "new")
	expectReply(t, c, MapValue(BulkValue("s2"), ArrayValue(
		ArrayValue(BulkValue("5-1"), ArrayValue(BulkValue("f"), BulkValue("new"))))))

	// XREADGROUP: served with '>'; a destroyed group and a deleted stream
	// answer as Redis 7.0.
	ts.do("XGROUP", "CREATE", "g", "grp", "$", "MKSTREAM")
	d := ts.goDo(ctx, "XREADGROUP", "GROUP", "grp", "c1", "BLOCK", "0", "STREAMS", "g", ">")
	ts.waitBlocked(1)
	ts.do("XADD", "g", "7-1", "x", "1")
	expectReply(t, d, MapValue(BulkValue("g"), ArrayValue(
		ArrayValue(BulkValue("7-1"), ArrayValue(BulkValue("x"), BulkValue("1"))))))
	ts.expect(IntValue(1), "XACK", "g", "grp", "7-1")
	e := ts.goDo(ctx, "XREADGROUP", "GROUP", "grp", "c1", "BLOCK", "0", "STREAMS", "g", ">")
	ts.waitBlocked(1)
	ts.do("XGROUP", "DESTROY", "g", "grp")
	expectReply(t, e, ErrorValue("NOGROUP the consumer group this client was blocked on no longer exists"))
	ts.do("XGROUP", "CREATE", "g", "grp", "$")
	f := ts.goDo(ctx, "XREADGROUP", "GROUP", "grp", "c1", "BLOCK", "0", "STREAMS", "g", ">")
	g := ts.goDo(ctx, "XREAD", "BLOCK", "0", "STREAMS", "g", "$")
	ts.waitBlocked(2)
	ts.do("DEL", "g")
	expectReply(t, f, ErrorValue("UNBLOCKED the stream key no longer exists"))
	ts.waitBlocked(1) // the plain reader keeps waiting
	ts.do("XADD", "g", "9-1", "y", "2")
	expectReply(t, g, MapValue(BulkValue("g"), ArrayValue(
		ArrayValue(BulkValue("9-1"), ArrayValue(BulkValue("y"), BulkValue("2"))))))
}

func TestBlockingCancelAndClose(t *testing.T) {
	ts := newTestStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, _, err := ts.BLPop(ctx, 0, "k")
		errc <- err
	}()
	ts.waitBlocked(1)
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("BLPop after cancel: %v", err)
	}
	ts.waitBlocked(0)
	ts.do("RPUSH", "k", "kept")
	ts.expect(IntValue(1), "LLEN", "k") // nothing was popped for the cancelled call

	tctx, tcancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer tcancel()
	if _, err := ts.BRPopLPush(tctx, "none", "x", 0); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("BRPopLPush with a ctx deadline: %v", err)
	}

	go func() {
		_, _, err := ts.BZPopMin(context.Background(), 0, "z")
		errc <- err
	}()
	ts.waitBlocked(1)
	ts.Close()
	if err := <-errc; !errors.Is(err, ErrClosed) {
		t.Fatalf("BZPopMin at Close: %v", err)
	}
}

func TestBlockingTypedMethods(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	type res struct {
		k   string
		v   []string
		err error
	}
	ch := make(chan res, 1)
	go func() {
		k, v, err := ts.BRPop(ctx, time.Hour, "l")
		ch <- res{k, []string{v}, err}
	}()
	ts.waitBlocked(1)
	ts.LPush(ctx, "l", "a", "b")
	if r := <-ch; r.err != nil || r.k != "l" || r.v[0] != "a" {
		t.Fatalf("BRPop: %+v", r)
	}
	if v, err := ts.BLMove(ctx, "l", "m", ListLeft, ListRight, 0); err != nil || v != "b" {
		t.Fatalf("BLMove: %q %v", v, err)
	}
	if k, vs, err := ts.BLMPop(ctx, 0, ListLeft, 5, "none", "m"); err != nil || k != "m" || len(vs) != 1 {
		t.Fatalf("BLMPop: %q %v %v", k, vs, err)
	}
	ts.do("ZADD", "z", "1", "a", "2", "b")
	if k, z, err := ts.BZPopMax(ctx, 0, "z"); err != nil || k != "z" || z.Member != "b" || z.Score != 2 {
		t.Fatalf("BZPopMax: %q %v %v", k, z, err)
	}
	if k, zs, err := ts.BZMPop(ctx, 0, []string{"z"}, false, 3); err != nil || k != "z" || len(zs) != 1 {
		t.Fatalf("BZMPop: %q %v %v", k, zs, err)
	}
	xs := make(chan []XStream, 1)
	go func() {
		v, err := ts.XRead(ctx, XReadArgs{Streams: []string{"s"}, IDs: []string{"$"}, Block: BlockForever})
		if err != nil {
			t.Error(err)
		}
		xs <- v
	}()
	ts.waitBlocked(1)
	ts.do("XADD", "s", "1-1", "f", "v")
	if v := <-xs; len(v) != 1 || v[0].Stream != "s" {
		t.Fatalf("XRead BLOCK: %+v", v)
	}
	errc := make(chan error, 1)
	go func() {
		_, _, err := ts.BZPopMin(ctx, 2*time.Second, "none")
		errc <- err
	}()
	ts.waitBlocked(1)
	ts.clk.Advance(2 * time.Second)
	if err := <-errc; !errors.Is(err, Nil) {
		t.Fatalf("BZPopMin timeout: %v", err)
	}
}

// TestBlockingNoLostElements races cancellations against pushes: consumers
// block in BLPOP with contexts that other goroutines cancel at random
// moments while producers push. Every element pushed must come out exactly
// once: popped by a consumer whose call returned it, or left in the list.
func TestBlockingNoLostElements(t *testing.T) {
	ts := newTestStore(t)
	const producers, consumers, perProducer = 3, 4, 300
	rng := rand.New(rand.NewPCG(7, 11))
	delays := make([]int, consumers*perProducer*producers)
	for i := range delays {
		delays[i] = rng.IntN(40)
	}
	var popped [consumers][]string
	var stop atomic.Bool
	var cancelled atomic.Int64
	var wg sync.WaitGroup
	for c := range consumers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				ctx, cancel := context.WithCancel(context.Background())
				d := delays[(c*7919+i)%len(delays)]
				go func() {
					for range d {
						runtime.Gosched()
					}
					cancel()
				}()
				var err error
				var v string
				if i%2 == 0 {
					_, v, err = ts.BLPop(ctx, 0, "q")
				} else {
					v, err = ts.BLMove(ctx, "q", "q2:"+strconv.Itoa(c), ListRight, ListLeft, 0)
					if err == nil {
						// Moved, not consumed: take it back off q2.
						var v2 string
						v2, err = ts.RPop(context.Background(), "q2:"+strconv.Itoa(c))
						if err != nil || v2 != v {
							t.Errorf("RPOP q2 after BLMOVE: %q %v, want %q", v2, err, v)
						}
					}
				}
				cancel()
				switch {
				case err == nil:
					popped[c] = append(popped[c], v)
				case errors.Is(err, context.Canceled):
					cancelled.Add(1)
				default:
					t.Errorf("consumer: %v", err)
					return
				}
			}
		}()
	}
	var pwg sync.WaitGroup
	for p := range producers {
		pwg.Add(1)
		go func() {
			defer pwg.Done()
			prng := rand.New(rand.NewPCG(uint64(p), 3))
			for i := range perProducer {
				for range prng.IntN(60) { // let consumers block and cancel
					runtime.Gosched()
				}
				if _, err := ts.RPush(context.Background(), "q", strconv.Itoa(p*perProducer+i)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	pwg.Wait()
	stop.Store(true)
	wg.Wait()
	seen := make([]int, producers*perProducer)
	for c := range popped {
		for _, v := range popped[c] {
			n, _ := strconv.Atoi(v)
			seen[n]++
		}
	}
	rest, err := ts.LRange(context.Background(), "q", 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range rest {
		n, _ := strconv.Atoi(v)
		seen[n]++
	}
	t.Logf("%d cancelled calls, %d elements left", cancelled.Load(), len(rest))
	for n, k := range seen {
		if k != 1 {
			t.Fatalf("element %d seen %d times (%d left in the list)", n, k, len(rest))
		}
	}
	ts.waitBlocked(0)
}

func TestBlockingWire(t *testing.T) {
	ts := newTestStore(t)
	a, b := dialRaw(t, ts.Store), dialRaw(t, ts.Store)
	// Served by a push from another connection.
	a.send("BLPOP k 0\r\n")
	ts.waitBlocked(1)
	b.roundTrip("RPUSH k v\r\n", ":1\r\n")
	a.expect("*2\r\n$1\r\nk\r\n$1\r\nv\r\n")

	// Blocked in the middle of a pipeline: the replies before it are
	// sent, the rest runs after it is served, and commands pipelined while
	// it waited are kept.
	a.send("SET x 1\r\nBRPOP k 0\r\nINCR x\r\n")
	a.expect("+OK\r\n")
	ts.waitBlocked(1)
	a.send("ECHO later\r\n")
	b.roundTrip("PING\r\n", "+PONG\r\n") // a turn of the executor
	ts.waitBlocked(1)
	b.roundTrip("LPUSH k w\r\n", ":1\r\n")
	a.expect("*2\r\n$1\r\nk\r\n$1\r\nw\r\n")
	a.expect(":2\r\n")
	a.expect("$5\r\nlater\r\n")

	// A pipelined batch from another client: the waiter is served right
	// after the push, before the next command of that batch (as Redis,
	// which serves blocked clients after every command).
	a.send("BLPOP k 0\r\n")
	ts.waitBlocked(1)
	b.send("RPUSH k x\r\nLPOP k\r\n")
	b.expect(":1\r\n")
	b.expect("$-1\r\n")
	a.expect("*2\r\n$1\r\nk\r\n$1\r\nx\r\n")

	// Timeouts over the wire, RESP2 shapes.
	a.send("BLMOVE none d LEFT LEFT 0.2\r\nBZPOPMIN none 0.2\r\n")
	ts.waitBlocked(1)
	ts.clk.Advance(200 * time.Millisecond)
	a.expect("*-1\r\n") // Redis 7.0 times BLMOVE out with a nil array
	ts.waitBlocked(1)
	ts.clk.Advance(200 * time.Millisecond)
	a.expect("*-1\r\n")

	// A client that disconnects while blocked is cleaned up, and pops
	// nothing.
	c := dialRaw(t, ts.Store)
	c.send("BLPOP gone 0\r\n")
	ts.waitBlocked(1)
	c.c.Close()
	ts.waitBlocked(0)
	b.roundTrip("RPUSH gone e\r\n", ":1\r\n")
	b.roundTrip("LLEN gone\r\n", ":1\r\n")

	// CLIENT UNBLOCK, as a timeout and as an error.
	e := dialRaw(t, ts.Store)
	e.roundTrip("CLIENT ID\r\n", ":4\r\n")
	e.send("BLPOP u 0\r\n")
	ts.waitBlocked(1)
	b.roundTrip("CLIENT UNBLOCK 4\r\n", ":1\r\n")
	e.expect("*-1\r\n")
	b.roundTrip("CLIENT UNBLOCK 4\r\n", ":0\r\n")
	e.send("BZPOPMAX u 0\r\n")
	ts.waitBlocked(1)
	b.roundTrip("CLIENT UNBLOCK 4 ERROR\r\n", ":1\r\n")
	e.expect("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n")
	ts.waitBlocked(0)

	// CLIENT KILL of a blocked client.
	d := dialRaw(t, ts.Store)
	d.roundTrip("CLIENT ID\r\n", ":5\r\n")
	d.send("XREAD BLOCK 0 STREAMS s $\r\n")
	ts.waitBlocked(1)
	b.roundTrip("CLIENT KILL ID 5\r\n", ":1\r\n")
	d.expectClosed()
	ts.waitBlocked(0)
}

func TestBlockingPipelineContinues(t *testing.T) {
	ts := newTestStore(t)
	p := ts.Pipeline()
	p.Do("SET", "x", "1")
	p.Do("BLPOP", "k", "0")
	p.Do("INCR", "x")
	p.Do("BLPOP", "k", "0")
	p.Do("INCR", "x")
	type res struct {
		vs  []Value
		err error
	}
	ch := make(chan res, 1)
	go func() {
		vs, err := p.Exec(context.Background())
		ch <- res{vs, err}
	}()
	ts.waitBlocked(1)
	ts.expect(IntValue(1), "RPUSH", "k", "a")
	ts.waitBlocked(1) // served, then blocked again at the second BLPOP
	ts.expect(BulkValue("2"), "GET", "x")
	ts.expect(IntValue(1), "RPUSH", "k", "b")
	r := <-ch
	if r.err != nil {
		t.Fatal(r.err)
	}
	want := []Value{okValue, ArrayValue(BulkValue("k"), BulkValue("a")), IntValue(2),
		ArrayValue(BulkValue("k"), BulkValue("b")), IntValue(3)}
	for i := range want {
		if !valuesEqual(r.vs[i], want[i]) {
			t.Errorf("reply %d: %s, want %s", i, r.vs[i], want[i])
		}
	}
}

// TestBlockDeadline checks the timeout arithmetic against what
// redis-server 7.0.15 does: seconds * 1000 in long double, rounded up,
// cast to long long (so a product beyond its range is "negative").
func TestBlockDeadline(t *testing.T) {
	const now = 1_000_000
	c := &call{now: now}
	for _, tc := range []struct {
		arg  string
		want int64 // -1: "timeout is negative"; -2: not a float
	}{
		{"0", 0}, {"-0", 0}, {"1", now + 1000}, {"0.5", now + 500}, {"1.0005", now + 1001},
		{"0.0000001", now + 1}, {"1e-400", now + 1}, {"0x10", now + 16000},
		// Rounded up to -0: waits without limit on 7.0.15.
		{"-0.0001", 0}, {"-0.001", 0},
		{"-0.002", -1}, {"-1", -1}, {"9.3e15", -1}, {"1e100", -1}, {"inf", -1}, {"-inf", -1},
		{"9e15", now + 9e18}, {"nan", -2}, {"", -2}, {" 1", -2}, {"1s", -2},
	} {
		got, errv, ok := c.blockDeadline(tc.arg)
		switch {
		case tc.want == -1:
			if ok || errv.str != "ERR timeout is negative" {
				t.Errorf("%q: %d %s, want negative", tc.arg, got, errv)
			}
		case tc.want == -2:
			if ok || errv.str != errTimeoutNotFloat.str {
				t.Errorf("%q: %d %s, want not a float", tc.arg, got, errv)
			}
		case !ok || got != tc.want:
			t.Errorf("%q: %d %s, want %d", tc.arg, got, errv, tc.want)
		}
	}
}

// TestBlockingInsideExecActsNonBlocking: EXEC runs its queued commands one
// level deeper than itself, so a blocking command in a transaction answers
// at once as on a timeout, and the marker of a parked call never reaches a
// reply.
func TestBlockingInsideExecActsNonBlocking(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	replies, err := ts.TxPipelined(ctx, func(p *TxPipeline) error {
		p.Do("BLPOP", "nokey", "0")
		p.Do("BLMOVE", "nokey", "dst", "LEFT", "LEFT", "0")
		p.Do("XREAD", "BLOCK", "0", "STREAMS", "nos", "$")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Kind{KindNullArray, KindNull, KindNullArray}
	for i, v := range replies {
		if v.Kind() != want[i] {
			t.Errorf("reply %d: %s, want %s", i, v.Kind(), want[i])
		}
	}
}
