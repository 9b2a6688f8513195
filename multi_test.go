package embedis

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// line sends one inline command and expects the raw reply want.
func (rc *rawConn) line(cmd, want string) {
	rc.t.Helper()
	rc.roundTrip(cmd+"\r\n", want)
}

// registrySize is the number of watches in ts's registry, read on the
// executor.
func (ts *testStore) registrySize() int {
	ts.t.Helper()
	n := 0
	if err := ts.onExecutor(context.Background(), func(s *Store) { n = s.watchedKeys() }); err != nil {
		ts.t.Fatal(err)
	}
	return n
}

const (
	wantOK     = "+OK\r\n"
	wantQueued = "+QUEUED\r\n"
)

func TestMultiExecBasics(t *testing.T) {
	ts := newTestStore(t)
	rc := dialRaw(t, ts.Store)
	rc.line("MULTI", wantOK)
	rc.line("SET a 1", wantQueued)
	rc.line("INCR a", wantQueued)
	rc.line("GET a", wantQueued)
	rc.line("GET nokey", wantQueued)
	rc.line("EXEC", "*4\r\n+OK\r\n:2\r\n$1\r\n2\r\n$-1\r\n")
	// Empty transaction.
	rc.line("MULTI", wantOK)
	rc.line("EXEC", "*0\r\n")
	// Nothing ran before EXEC.
	rc.line("MULTI", wantOK)
	rc.line("SET q 1", wantQueued)
	ts.expect(nullValue, "GET", "q")
	rc.line("DISCARD", wantOK)
	ts.expect(nullValue, "GET", "q")
	// A run-time error fails its command only; no rollback.
	rc.line("MULTI", wantOK)
	rc.line("SET s x", wantQueued)
	rc.line("INCR s", wantQueued)
	rc.line("APPEND s y", wantQueued)
	rc.line("LPUSH s 1", wantQueued)
	rc.line("EXEC", "*4\r\n+OK\r\n-"+ErrNotInteger.Error()+"\r\n:2\r\n-"+ErrWrongType.Error()+"\r\n")
	ts.expect(BulkValue("xy"), "GET", "s")
	// SELECT queued: runs at EXEC and stays.
	rc.line("MULTI", wantOK)
	rc.line("SELECT 1", wantQueued)
	rc.line("SET in1 v", wantQueued)
	rc.line("EXEC", "*2\r\n+OK\r\n+OK\r\n")
	rc.line("GET in1", "$1\r\nv\r\n")
	ts.expect(nullValue, "GET", "in1")
	// QUIT inside MULTI runs at once.
	rc.line("MULTI", wantOK)
	rc.line("QUIT", wantOK)
	rc.expectClosed()
}

func TestMultiErrors(t *testing.T) {
	ts := newTestStore(t)
	rc := dialRaw(t, ts.Store)
	abort := "-" + ErrExecAbort.Error() + "\r\n"
	rc.line("EXEC", "-ERR EXEC without MULTI\r\n")
	rc.line("DISCARD", "-ERR DISCARD without MULTI\r\n")
	// Nested MULTI and WATCH inside MULTI are errors that leave the
	// transaction intact.
	rc.line("MULTI", wantOK)
	rc.line("MULTI", "-ERR MULTI calls can not be nested\r\n")
	rc.line("WATCH k", "-ERR WATCH inside MULTI is not allowed\r\n")
	rc.line("SET k 1", wantQueued)
	rc.line("EXEC", "*1\r\n+OK\r\n")
	// Queue-time errors: unknown command, wrong arity, arity of WATCH.
	for _, bad := range []struct{ cmd, reply string }{
		{"NOSUCH a", "-ERR unknown command 'NOSUCH', with args beginning with: 'a' \r\n"},
		{"GET", "-ERR wrong number of arguments for 'get' command\r\n"},
		{"WATCH", "-ERR wrong number of arguments for 'watch' command\r\n"},
		{"UNWATCH x", "-ERR wrong number of arguments for 'unwatch' command\r\n"},
		{"OBJECT NOSUCH", "-ERR unknown subcommand 'NOSUCH'. Try OBJECT HELP.\r\n"},
	} {
		rc.line("MULTI", wantOK)
		rc.line("SET k 2", wantQueued)
		rc.line(bad.cmd, bad.reply)
		rc.line("SET k 3", wantQueued)
		rc.line("EXEC", abort)
		ts.expect(BulkValue("1"), "GET", "k")
		rc.line("EXEC", "-ERR EXEC without MULTI\r\n")
	}
	// A doomed transaction can still be discarded.
	rc.line("MULTI", wantOK)
	rc.line("NOSUCH", "-ERR unknown command 'NOSUCH', with args beginning with: \r\n")
	rc.line("DISCARD", wantOK)
	// EXEC with arguments ends the transaction, with or without MULTI.
	rc.line("MULTI", wantOK)
	rc.line("SET k 4", wantQueued)
	rc.line("EXEC x", "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n")
	rc.line("EXEC", "-ERR EXEC without MULTI\r\n")
	rc.line("EXEC x", "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n")
	ts.expect(BulkValue("1"), "GET", "k")
	// Wrong arity of the transaction commands outside MULTI.
	rc.line("MULTI x", "-ERR wrong number of arguments for 'multi' command\r\n")
	rc.line("DISCARD x", "-ERR wrong number of arguments for 'discard' command\r\n")
	rc.line("WATCH", "-ERR wrong number of arguments for 'watch' command\r\n")
	rc.line("EXEC", "-ERR EXEC without MULTI\r\n")
	// Through Do, with no connection, the transaction commands are refused.
	for _, c := range []string{"MULTI", "EXEC", "DISCARD", "UNWATCH"} {
		if v := ts.do(c); v.Kind() != KindError || !strings.Contains(v.Str(), "needs a connection") {
			t.Errorf("Do(%s) = %v", c, v)
		}
	}
}

// TestMultiNoMultiFlag checks the queue-time refusal of commands flagged
// no-multi. No command of the table has the flag yet (SAVE, SHUTDOWN ...
// are not implemented), so the hook is given a row of its own.
func TestMultiNoMultiFlag(t *testing.T) {
	ts := newTestStore(t)
	ran := false
	save := &command{name: "save", arity: 1, flags: flagNoMulti, handler: func(c *call) Value { ran = true; return okValue }}
	var reply Value
	var st txState
	err := ts.onExecutor(context.Background(), func(s *Store) {
		cl := &client{proto: 2, conn: &st}
		s.dispatch(cl, []string{"multi"})
		var done bool
		reply, done = s.multiHook(cl, save, []string{"save"})
		if !done {
			t.Error("no-multi command not stopped")
		}
		if v := s.dispatch(cl, []string{"exec"}); !valuesEqual(v, errValue(ErrExecAbort)) {
			t.Errorf("EXEC = %v", v)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !valuesEqual(reply, ErrorValue("ERR Command not allowed inside a transaction")) || ran {
		t.Errorf("reply %v, ran %v", reply, ran)
	}
}

// TestMultiCallFlag checks that a handler run by EXEC knows it (call.multi),
// which blocking commands read to answer without blocking.
func TestMultiCallFlag(t *testing.T) {
	ts := newTestStore(t)
	var seen []bool
	probe := &command{name: "probe", arity: 1, handler: func(c *call) Value { seen = append(seen, c.multi); return okValue }}
	var st txState
	err := ts.onExecutor(context.Background(), func(s *Store) {
		cl := &client{proto: 2, conn: &st}
		s.dispatch(cl, []string{"multi"})
		if v, done := s.multiHook(cl, probe, []string{"probe"}); !done || !valuesEqual(v, queuedValue) {
			t.Errorf("probe not queued: %v", v)
		}
		if len(seen) != 0 {
			t.Error("probe ran at queue time")
		}
		s.dispatch(cl, []string{"exec"})
		// Outside MULTI the hook lets it run; dispatch would call it
		// with multi unset.
		if _, done := s.multiHook(cl, probe, []string{"probe"}); done {
			t.Error("probe queued outside MULTI")
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || !seen[0] {
		t.Errorf("seen %v, want [true]", seen)
	}
}

// TestMultiRESP3 checks the reply shapes over RESP3: the nil of an EXEC
// failed by WATCH is RESP3's null; replies inside EXEC keep their kinds.
func TestMultiRESP3(t *testing.T) {
	ts := newTestStore(t)
	rc := dialRaw(t, ts.Store)
	rc.send("HELLO 3\r\n")
	if _, err := rc.readFrame(); err != nil {
		t.Fatal(err)
	}
	rc.line("HSET h f v", ":1\r\n")
	rc.line("WATCH h", wantOK)
	rc.line("MULTI", wantOK)
	rc.line("HGETALL h", wantQueued)
	rc.line("GET nokey", wantQueued)
	rc.line("EXEC", "*2\r\n%1\r\n$1\r\nf\r\n$1\r\nv\r\n_\r\n")
	rc.line("WATCH h", wantOK)
	ts.do("HSET", "h", "g", "w")
	rc.line("MULTI", wantOK)
	rc.line("HGETALL h", wantQueued)
	rc.line("EXEC", "_\r\n")

	// RESP2: the nil array.
	r2 := dialRaw(t, ts.Store)
	r2.line("WATCH h", wantOK)
	ts.do("DEL", "h")
	r2.line("MULTI", wantOK)
	r2.line("PING", wantQueued)
	r2.line("EXEC", "*-1\r\n")
}

// TestWatchInvalidation runs WATCH k, a change by another client, and
// EXEC, for every kind of change: EXEC must fail exactly when Redis 7.0's
// fails.
func TestWatchInvalidation(t *testing.T) {
	type step func(ts *testStore)
	do := func(args ...any) step { return func(ts *testStore) { ts.do(args...) } }
	in := func(n int, args ...any) step {
		return func(ts *testStore) { ts.Database(n).Do(context.Background(), args...) }
	}
	advance := func(d time.Duration) step { return func(ts *testStore) { ts.clk.Advance(d) } }
	activeExpire := func(ts *testStore) {
		ts.onExecutor(context.Background(), func(s *Store) { s.activeExpireCycle(s.opts.Clock.Now().UnixMilli()) })
	}
	cases := []struct {
		name   string
		setup  []step // before WATCH
		change []step // between WATCH and EXEC
		fails  bool
	}{
		{"nothing", []step{do("SET", "k", "1")}, nil, false},
		{"read", []step{do("SET", "k", "1")}, []step{do("GET", "k"), do("EXISTS", "k"), do("TTL", "k")}, false},
		{"other key", []step{do("SET", "k", "1")}, []step{do("SET", "j", "1")}, false},
		{"same key other db", []step{do("SET", "k", "1")}, []step{in(1, "SET", "k", "2")}, false},
		{"set", []step{do("SET", "k", "1")}, []step{do("SET", "k", "1")}, true},
		{"create", nil, []step{do("SET", "k", "1")}, true},
		{"del", []step{do("SET", "k", "1")}, []step{do("DEL", "k")}, true},
		{"del missing", nil, []step{do("DEL", "k")}, false},
		{"failed write", []step{do("SET", "k", "x")}, []step{do("INCR", "k"), do("LPUSH", "k", "a")}, false},
		{"incr", []step{do("SET", "k", "1")}, []step{do("INCR", "k")}, true},
		{"lpush", nil, []step{do("LPUSH", "k", "a")}, true},
		{"hset", nil, []step{do("HSET", "k", "f", "v")}, true},
		{"sadd", nil, []step{do("SADD", "k", "m")}, true},
		{"expire", []step{do("SET", "k", "1")}, []step{do("EXPIRE", "k", "100")}, true},
		{"persist", []step{do("SET", "k", "1", "EX", "100")}, []step{do("PERSIST", "k")}, true},
		{"expire in the past", []step{do("SET", "k", "1")}, []step{do("PEXPIREAT", "k", "1")}, true},
		{"rename onto", []step{do("SET", "k", "1"), do("SET", "src", "2")}, []step{do("RENAME", "src", "k")}, true},
		{"rename from", []step{do("SET", "k", "1")}, []step{do("RENAME", "k", "dst")}, true},
		{"move", []step{do("SET", "k", "1")}, []step{do("MOVE", "k", "1")}, true},
		{"move into", nil, []step{in(1, "SET", "k", "1"), in(1, "MOVE", "k", "0")}, true},
		{"copy onto", []step{do("SET", "src", "1")}, []step{do("COPY", "src", "k")}, true},
		{"copy from other db", nil, []step{in(2, "SET", "src", "1"), in(2, "COPY", "src", "k", "DB", "0")}, true},
		{"copy from", []step{do("SET", "k", "1")}, []step{do("COPY", "k", "dst")}, false},
		{"flushdb", []step{do("SET", "k", "1")}, []step{do("FLUSHDB")}, true},
		{"flushdb missing", nil, []step{do("FLUSHDB")}, false},
		{"flushall", []step{do("SET", "k", "1")}, []step{in(5, "FLUSHALL")}, true},
		{"flushdb other db", []step{do("SET", "k", "1")}, []step{in(1, "FLUSHDB")}, false},
		{"swapdb here", []step{do("SET", "k", "1")}, []step{do("SWAPDB", "0", "1")}, true},
		{"swapdb there", []step{in(1, "SET", "k", "1")}, []step{do("SWAPDB", "1", "0")}, true},
		{"swapdb neither", []step{in(1, "SET", "j", "1")}, []step{do("SWAPDB", "0", "1")}, false},
		{"swapdb unrelated", []step{do("SET", "k", "1")}, []step{do("SWAPDB", "2", "3")}, false},
		// Expiry.
		{"expires, unseen", []step{do("SET", "k", "1", "PX", "100")}, []step{advance(time.Second)}, true},
		{"expires, lazily deleted", []step{do("SET", "k", "1", "PX", "100")}, []step{advance(time.Second), do("GET", "k")}, true},
		{"expires, actively deleted", []step{do("SET", "k", "1", "PX", "100")}, []step{advance(time.Second), activeExpire}, true},
		{"ttl not reached", []step{do("SET", "k", "1", "PX", "10000")}, []step{advance(time.Second), do("GET", "k")}, false},
		{"expired at watch", []step{do("SET", "k", "1", "PX", "100"), advance(time.Second)}, nil, false},
		{"expired at watch, lazily deleted", []step{do("SET", "k", "1", "PX", "100"), advance(time.Second)}, []step{do("GET", "k")}, false},
		{"expired at watch, actively deleted", []step{do("SET", "k", "1", "PX", "100"), advance(time.Second)}, []step{activeExpire}, false},
		{"expired at watch, del", []step{do("SET", "k", "1", "PX", "100"), advance(time.Second)}, []step{do("DEL", "k")}, false},
		{"expired at watch, then set", []step{do("SET", "k", "1", "PX", "100"), advance(time.Second)}, []step{do("SET", "k", "2")}, true},
		{"expired at watch, deleted, then set", []step{do("SET", "k", "1", "PX", "100"), advance(time.Second)}, []step{do("GET", "k"), do("SET", "k", "2")}, true},
		{"expired at watch, flushdb", []step{do("SET", "k", "1", "PX", "100"), advance(time.Second)}, []step{do("FLUSHDB")}, false},
		{"expired at watch, swapdb with nothing", []step{do("SET", "k", "1", "PX", "100"), advance(time.Second)}, []step{do("SWAPDB", "0", "1")}, false},
		{"expired at watch, swapdb with expired", []step{do("SET", "k", "1", "PX", "100"), in(1, "SET", "k", "1", "PX", "100"), advance(time.Second)}, []step{do("SWAPDB", "0", "1")}, false},
		{"expired at watch, swapdb with live", []step{do("SET", "k", "1", "PX", "100"), advance(time.Second), in(1, "SET", "k", "1")}, []step{do("SWAPDB", "0", "1")}, true},
		{"missing, swapdb with expired", []step{in(1, "SET", "k", "1", "PX", "100"), advance(time.Second)}, []step{do("SWAPDB", "0", "1")}, false},
		{"missing, swapdb with expired, swapped back", []step{in(1, "SET", "k", "1", "PX", "100"), advance(time.Second)}, []step{do("SWAPDB", "0", "1"), do("SWAPDB", "0", "1")}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestStore(t)
			ts.do("DEBUG", "SET-ACTIVE-EXPIRE", "0") // expiry only where a step asks
			for _, f := range tc.setup {
				f(ts)
			}
			rc := dialRaw(t, ts.Store)
			rc.line("WATCH k", wantOK)
			for _, f := range tc.change {
				f(ts)
			}
			rc.line("MULTI", wantOK)
			rc.line("PING", wantQueued)
			want := "*1\r\n+PONG\r\n"
			if tc.fails {
				want = "*-1\r\n"
			}
			rc.line("EXEC", want)
			if n := ts.registrySize(); n != 0 {
				t.Errorf("registry holds %d watches after EXEC", n)
			}
		})
	}
}

// TestWatchOwnWrites: the watching client's own writes count too, and
// UNWATCH forgets them.
func TestWatchOwnWrites(t *testing.T) {
	ts := newTestStore(t)
	rc := dialRaw(t, ts.Store)
	rc.line("WATCH k", wantOK)
	rc.line("SET k 1", wantOK)
	rc.line("MULTI", wantOK)
	rc.line("GET k", wantQueued)
	rc.line("EXEC", "*-1\r\n")
	rc.line("WATCH k", wantOK)
	rc.line("SET k 2", wantOK)
	rc.line("UNWATCH", wantOK)
	rc.line("MULTI", wantOK)
	rc.line("GET k", wantQueued)
	rc.line("EXEC", "*1\r\n$1\r\n2\r\n")
	// Watching in another database, via SELECT.
	rc.line("SELECT 4", wantOK)
	rc.line("WATCH k", wantOK)
	rc.line("SELECT 0", wantOK)
	rc.line("SET k 3", wantOK) // database 0's k: not watched
	rc.line("MULTI", wantOK)
	rc.line("PING", wantQueued)
	rc.line("EXEC", "*1\r\n+PONG\r\n")
	rc.line("SELECT 4", wantOK)
	rc.line("WATCH k", wantOK)
	ts.Database(4).Set(context.Background(), "k", "x", SetOptions{})
	rc.line("MULTI", wantOK)
	rc.line("PING", wantQueued)
	rc.line("EXEC", "*-1\r\n")
}

// TestWatchRegistryCleanup: watches are released by EXEC, DISCARD,
// UNWATCH, RESET, a failed EXEC, the first change to a watched key, and
// the close of the connection; nothing is left behind after many cycles.
func TestWatchRegistryCleanup(t *testing.T) {
	ts := newTestStore(t)
	rc := dialRaw(t, ts.Store)
	for i := 0; i < 200; i++ {
		rc.line("WATCH a b c a", wantOK)
		switch i % 6 {
		case 0:
			rc.line("MULTI", wantOK)
			rc.line("EXEC", "*0\r\n")
		case 1:
			rc.line("MULTI", wantOK)
			rc.line("DISCARD", wantOK)
		case 2:
			rc.line("UNWATCH", wantOK)
		case 3:
			rc.line("RESET", "+RESET\r\n")
		case 4:
			ts.do("SET", "b", i)
			if n := ts.registrySize(); n != 0 {
				t.Fatalf("cycle %d: %d watches after the change", i, n)
			}
			rc.line("MULTI", wantOK)
			rc.line("EXEC", "*-1\r\n")
		case 5:
			rc.line("MULTI", wantOK)
			rc.line("NOSUCH", "-ERR unknown command 'NOSUCH', with args beginning with: \r\n")
			rc.line("EXEC", "-"+ErrExecAbort.Error()+"\r\n")
		}
		if n := ts.registrySize(); n != 0 {
			t.Fatalf("cycle %d: %d watches left", i, n)
		}
	}
	// Held watches count once per client and key.
	rc.line("WATCH a b c a", wantOK)
	rc2 := dialRaw(t, ts.Store)
	rc2.line("WATCH a", wantOK)
	if n := ts.registrySize(); n != 4 {
		t.Fatalf("registry holds %d watches, want 4", n)
	}
	// RESET inside MULTI ends both.
	rc2.line("MULTI", wantOK)
	rc2.line("RESET", "+RESET\r\n")
	rc2.line("EXEC", "-ERR EXEC without MULTI\r\n")
	if n := ts.registrySize(); n != 3 {
		t.Fatalf("registry holds %d watches, want 3", n)
	}
	// Closing connections releases theirs, also in the middle of MULTI.
	var conns []*rawConn
	for i := 0; i < 20; i++ {
		c := dialRaw(t, ts.Store)
		c.line(fmt.Sprintf("WATCH a k%d", i), wantOK)
		if i%2 == 0 {
			c.line("MULTI", wantOK)
		}
		conns = append(conns, c)
	}
	rc.c.Close()
	for _, c := range conns {
		c.c.Close()
	}
	waitFor(t, func() bool { return ts.registrySize() == 0 })
}

// waitFor polls cond, which reads state that another goroutine (a session
// ending) changes, until it holds. There is no event to wait for: a
// session releases its watches after its connection is gone.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		runtime.Gosched()
	}
}

// TestMultiNoInterleaving runs transactions from several wire clients
// (go-redis) against plain writers: a concurrent command never slips
// between two commands of one EXEC.
func TestMultiNoInterleaving(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	const workers, rounds = 3, 100
	var wg sync.WaitGroup
	errs := make(chan error, 2*workers)
	for w := 0; w < workers; w++ {
		rdb := redis.NewClient(&redis.Options{Dialer: ts.DialContext, PoolSize: 1})
		defer rdb.Close()
		wg.Add(2)
		go func() { // transactions: x += 1, y -= 1, and read back their own write
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				var set *redis.StatusCmd
				var get *redis.StringCmd
				mine := fmt.Sprintf("w%d-%d", w, i)
				_, err := rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
					p.Incr(ctx, "x")
					p.Decr(ctx, "y")
					set = p.Set(ctx, "owner", mine, 0)
					get = p.Get(ctx, "owner")
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
				if set.Err() != nil || get.Val() != mine {
					errs <- fmt.Errorf("owner = %q, want %q: another write came between", get.Val(), mine)
					return
				}
			}
		}()
		go func() { // plain commands, each of which sees x + y == 0
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				if err := rdb.Set(ctx, "owner", "intruder", 0).Err(); err != nil {
					errs <- err
					return
				}
				v, err := ts.MGet(ctx, "x", "y")
				if err != nil {
					errs <- err
					return
				}
				var x, y int64
				if v[0] != nil {
					fmt.Sscan(*v[0], &x)
				}
				if v[1] != nil {
					fmt.Sscan(*v[1], &y)
				}
				if x+y != 0 {
					errs <- fmt.Errorf("x=%d y=%d: half a transaction seen", x, y)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	ts.expect(BulkValue(fmt.Sprint(workers*rounds)), "GET", "x")
}

// TestWatchGoRedis runs go-redis's own optimistic transaction (WATCH on a
// dedicated connection, MULTI/EXEC, UNWATCH) against a concurrent write.
func TestWatchGoRedis(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Dialer: ts.DialContext})
	defer rdb.Close()
	update := func(between func()) error {
		return rdb.Watch(ctx, func(tx *redis.Tx) error {
			n, err := tx.Get(ctx, "k").Int()
			if err != nil && err != redis.Nil {
				return err
			}
			between()
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, "k", n+1, 0)
				return nil
			})
			return err
		}, "k")
	}
	if err := update(func() {}); err != nil {
		t.Fatal(err)
	}
	if err := update(func() { ts.do("SET", "k", 10) }); err != redis.TxFailedErr {
		t.Fatalf("err = %v, want redis.TxFailedErr", err)
	}
	ts.expect(BulkValue("10"), "GET", "k")
	if err := update(func() {}); err != nil {
		t.Fatal(err)
	}
	ts.expect(BulkValue("11"), "GET", "k")
	if n := ts.registrySize(); n != 0 {
		t.Fatalf("registry holds %d watches", n)
	}
}

// TestWatchExpiryTwoWatchers: the same key watched alive by one client
// and already expired by another; its deletion fails only the first.
func TestWatchExpiryTwoWatchers(t *testing.T) {
	ts := newTestStore(t)
	ts.do("DEBUG", "SET-ACTIVE-EXPIRE", "0")
	ts.do("SET", "k", "1", "PX", "100")
	alive, late := dialRaw(t, ts.Store), dialRaw(t, ts.Store)
	alive.line("WATCH k", wantOK)
	ts.clk.Advance(time.Second)
	late.line("WATCH k", wantOK)
	ts.expect(nullValue, "GET", "k") // deletes it
	for _, rc := range []*rawConn{alive, late} {
		rc.line("MULTI", wantOK)
		rc.line("PING", wantQueued)
	}
	alive.line("EXEC", "*-1\r\n")
	late.line("EXEC", "*1\r\n+PONG\r\n")
}

// BenchmarkWatchDirtyHook measures a write while nobody watches and while
// a thousand other keys are watched: the hook is a length check in the
// first case and one map lookup in the second.
func BenchmarkWatchDirtyHook(b *testing.B) {
	for _, watched := range []int{0, 1000} {
		b.Run(fmt.Sprintf("watched=%d", watched), func(b *testing.B) {
			ts := newTestStore(b)
			ctx := context.Background()
			var st txState
			ts.onExecutor(ctx, func(s *Store) {
				for i := 0; i < watched; i++ {
					s.watchKey(&st, s.dbs[0], fmt.Sprintf("w%d", i), 0)
				}
			})
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ts.Set(ctx, "k", "v", SetOptions{})
			}
			b.StopTimer()
			ts.onExecutor(ctx, func(s *Store) { s.unwatchAll(&st) })
		})
	}
}
