package embedis

import (
	"context"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// onExec runs fn on ts's executor.
func (ts *testStore) onExec(fn func(s *Store)) {
	ts.t.Helper()
	if err := ts.onExecutor(context.Background(), fn); err != nil {
		ts.t.Fatalf("onExecutor: %v", err)
	}
}

// push pushes v to client id and reports whether it was queued.
func (ts *testStore) push(id int64, v Value) bool {
	ts.t.Helper()
	ok, err := ts.pushToClient(id, v)
	if err != nil {
		ts.t.Fatalf("pushToClient: %v", err)
	}
	return ok
}

// waitProduced waits until the executor has produced n replies for client
// id (polling the executor, yielding between polls).
func (ts *testStore) waitProduced(id int64, n uint64) {
	ts.t.Helper()
	for i := 0; ; i++ {
		var got uint64
		ts.onExec(func(s *Store) { got = s.outConnByID(id).(*session).ob.produced })
		if got >= n {
			return
		}
		if i > 1e6 {
			ts.t.Fatalf("replies produced: %d, want %d", got, n)
		}
		runtime.Gosched()
	}
}

// checkNoLeak checks, when the test ends after its stores are closed, that
// no goroutine of it is left (register before opening the stores).
func checkNoLeak(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
}

func pushMsg(text string) Value {
	return PushValue(BulkValue("message"), BulkValue("ch"), BulkValue(text))
}

func pushFrame(proto int, text string) string {
	return string(appendReply(nil, pushMsg(text), proto))
}

// respCmd encodes a command as a RESP array.
func respCmd(args ...string) string {
	vs := make([]Value, len(args))
	for i, a := range args {
		vs[i] = BulkValue(a)
	}
	return string(appendReply(nil, ArrayValue(vs...), 2))
}

// A push goes out in the order the executor produced it relative to the
// client's replies: during a command, before that command's reply; while
// the client is idle or blocked, at once; and after a reply the executor
// produced but the session has not yet written, after that reply.
func TestOutboxOrdering(t *testing.T) {
	checkNoLeak(t)
	ts := newTestStore(t)
	a := dialRaw(t, ts.Store)
	b := dialRaw(t, ts.Store)
	a.roundTrip("CLIENT ID\r\n", ":1\r\n") // reply 1 of client 1

	// While idle: written by the outbox's writer goroutine.
	if !ts.push(1, pushMsg("idle")) {
		t.Fatal("push to an idle client refused")
	}
	a.expect(pushFrame(2, "idle"))

	// Inside a pipeline: pushed while the EVAL (the second command) runs,
	// so after the first INCR's reply and before the EVAL's.
	ts.onExec(func(s *Store) {
		s.script.onCall = func(args []string) {
			s.outConnByID(1).push(pushMsg("during-eval"))
			s.script.onCall = nil
		}
	})
	a.send(respCmd("INCR", "x") + respCmd("EVAL", "return redis.call('incr','x')", "0") + respCmd("INCR", "x"))
	a.expect(":1\r\n")
	a.expect(pushFrame(2, "during-eval"))
	a.expect(":2\r\n")
	a.expect(":3\r\n") // replies 2..4

	// While blocked in BLPOP: written at once, before the BLPOP's reply.
	a.send("BLPOP k 0\r\n")
	ts.waitBlocked(1)
	ts.push(1, pushMsg("blocked"))
	a.expect(pushFrame(2, "blocked"))
	b.roundTrip("RPUSH k v\r\n", ":1\r\n")
	a.expect("*2\r\n$1\r\nk\r\n$1\r\nv\r\n") // reply 5

	// After a reply the executor produced but the session has not
	// written (held here by taking its write lock): the push waits for
	// the reply, even when the writer goroutine gets the lock first (as
	// this test goroutine acts here).
	ss := ts.outConnByID(1).(*session)
	ss.ob.wmu.Lock()
	a.send("GET k\r\n")
	ts.waitProduced(1, 6)
	ts.push(1, pushMsg("after-get"))
	if _, err := ss.flushPushesLocked(nil); err != nil {
		t.Fatal(err)
	}
	ss.ob.wmu.Unlock()
	a.expect("$-1\r\n")
	a.expect(pushFrame(2, "after-get"))

	// Pushed before the executor takes a command: before its reply.
	ts.push(1, pushMsg("before-ping"))
	a.roundTrip("PING\r\n", pushFrame(2, "before-ping"))
	a.expect("+PONG\r\n")

	// CLIENT REPLY OFF silences replies, not pushes, and keeps the count.
	a.send("CLIENT REPLY OFF\r\nPING\r\n")
	ts.waitProduced(1, 9)
	ts.push(1, pushMsg("reply-off"))
	a.expect(pushFrame(2, "reply-off"))
	a.roundTrip("CLIENT REPLY ON\r\n", "+OK\r\n")
}

// Pushes are encoded as the client's protocol is when they are published:
// arrays in RESP2, '>' pushes in RESP3; other kinds (MONITOR's status
// lines) as replies.
func TestOutboxEncoding(t *testing.T) {
	ts := newTestStore(t)
	a := dialRaw(t, ts.Store)
	ts.push(1, pushMsg("two"))
	a.expect("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$3\r\ntwo\r\n")
	a.send("HELLO 3\r\n")
	if _, err := a.readFrame(); err != nil {
		t.Fatal(err)
	}
	ts.push(1, pushMsg("three"))
	a.expect(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nthree\r\n")
	ts.push(1, SimpleValue("1700000000.000000 [0 embedis:1] \"PING\""))
	a.expect("+1700000000.000000 [0 embedis:1] \"PING\"\r\n")
	ts.push(1, PushValue(BulkValue("invalidate"), nullValue))
	a.expect(">2\r\n$10\r\ninvalidate\r\n_\r\n")
	if ts.push(99, pushMsg("nobody")) {
		t.Fatal("push to an unknown client queued")
	}
}

// fillUntilRefused pushes msg to client id until a push is refused, and
// returns how many were queued; at most max.
func (ts *testStore) fillUntilRefused(id int64, msg Value, max int) int {
	ts.t.Helper()
	for i := 0; i < max; i++ {
		if !ts.push(id, msg) {
			return i
		}
	}
	ts.t.Fatalf("%d pushes queued without reaching the limit", max)
	return 0
}

// drainToEOF reads a connection until EOF and returns the bytes read.
func drainToEOF(t *testing.T, rc *rawConn) int {
	t.Helper()
	n, err := io.Copy(io.Discard, rc.br)
	if err != nil {
		t.Fatalf("reading to EOF: %v", err)
	}
	return int(n)
}

// A client that does not read is closed when its queued pushes reach the
// hard limit of its class; other classes' limits do not apply to it.
func TestOutboxHardLimit(t *testing.T) {
	checkNoLeak(t)
	ts := newTestStore(t)
	admin := dialRaw(t, ts.Store) // client 1
	slow := dialRaw(t, ts.Store)  // client 2: never reads until the end
	admin.roundTrip("CONFIG SET client-output-buffer-limit \"pubsub 256kb 0 0\"\r\n", "+OK\r\n")
	msg := pushMsg(strings.Repeat("x", 16<<10))
	size := len(appendReply(nil, msg, 2))

	// The normal class keeps its default, no limit: 3 MB queue up.
	for i := 0; i < (3<<20)/size; i++ {
		if !ts.push(2, msg) {
			t.Fatalf("push %d to a normal client refused", i)
		}
	}
	if n := drainUpTo(t, slow, (3<<20)/size*size); n != (3<<20)/size*size {
		t.Fatalf("read %d bytes", n)
	}

	// The pubsub class has 256 KB: the client goes once the pushes the
	// pipe has not taken (it holds pipeBufLimit) reach it.
	// The reader has the bytes, but the writer goroutine takes them off
	// the pending count only after its Write returns: wait for that, or
	// the class switch below would count bytes already delivered.
	for {
		var pending int64
		ts.onExec(func(s *Store) { pending = s.outConnByID(2).outputPending() })
		if pending == 0 {
			break
		}
		runtime.Gosched()
	}
	ts.onExec(func(s *Store) { s.outConnByID(2).setOutputClass(outPubSub) })
	n := ts.fillUntilRefused(2, msg, 10000)
	if max := (pipeBufLimit+256<<10)/size + 2; n > max {
		t.Fatalf("%d pushes queued before the limit, want at most %d", n, max)
	}
	if got := ts.outputDisconnects(); got != 1 {
		t.Fatalf("output limit disconnections = %d, want 1", got)
	}
	if ts.push(2, msg) {
		t.Fatal("push to a closed client queued")
	}
	// The client reads what had reached it (the last push perhaps cut,
	// as over TCP), and then EOF.
	if got := drainToEOF(t, slow); got == 0 || got > n*size {
		t.Fatalf("read %d bytes of %d-byte pushes, %d queued", got, size, n)
	}
	waitGone(admin, 2)
}

// waitGone waits until client id has left CLIENT LIST, asking over rc.
func waitGone(rc *rawConn, id int) {
	rc.t.Helper()
	for {
		rc.send("CLIENT LIST ID " + itoa(id) + "\r\n")
		if l, err := rc.readFrame(); err != nil {
			rc.t.Fatal(err)
		} else if l == "$0\r\n\r\n" {
			return
		}
	}
}

// drainUpTo reads exactly n bytes.
func drainUpTo(t *testing.T, rc *rawConn, n int) int {
	t.Helper()
	got, err := io.CopyN(io.Discard, rc.br, int64(n))
	if err != nil {
		t.Fatalf("reading %d bytes: %v", n, err)
	}
	return int(got)
}

// The soft limit closes a client that stays at or over it for longer than
// its seconds, on the store's clock.
func TestOutboxSoftLimit(t *testing.T) {
	checkNoLeak(t)
	ts := newTestStore(t)
	admin := dialRaw(t, ts.Store)
	slow := dialRaw(t, ts.Store) // client 2
	admin.roundTrip("CONFIG SET client-output-buffer-limit \"pubsub 0 64kb 10\"\r\n", "+OK\r\n")
	ts.onExec(func(s *Store) { s.outConnByID(2).setOutputClass(outPubSub) })
	msg := pushMsg(strings.Repeat("y", 16<<10))
	size := len(appendReply(nil, msg, 2))
	// Beyond what the pipe holds plus the soft limit, the queue is over
	// the soft limit whatever the writer goroutine has done.
	for i := 0; i < (pipeBufLimit+64<<10)/size+2; i++ {
		if !ts.push(2, msg) {
			t.Fatalf("push %d refused before any time passed", i)
		}
	}
	ts.clk.Advance(10 * time.Second)
	if !ts.push(2, msg) {
		t.Fatal("closed after exactly the soft limit's seconds; Redis waits for more")
	}
	ts.clk.Advance(time.Millisecond)
	if ts.push(2, msg) {
		t.Fatal("still open past the soft limit's seconds")
	}
	drainToEOF(t, slow)

	// Under the soft limit the timer starts over: a reading client is
	// never closed, however much time passes between pushes.
	reader := dialRaw(t, ts.Store) // client 3
	ts.onExec(func(s *Store) { s.outConnByID(3).setOutputClass(outPubSub) })
	for i := 0; i < 5; i++ {
		if !ts.push(3, pushMsg("small")) {
			t.Fatal("push to a reading client refused")
		}
		reader.expect(pushFrame(2, "small"))
		ts.clk.Advance(time.Minute)
	}
}

func TestParseOutLimits(t *testing.T) {
	lim, ok := parseOutLimits("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", defaultOutLimits)
	if !ok || lim != defaultOutLimits {
		t.Fatalf("default text = %v, %v", lim, ok)
	}
	lim, ok = parseOutLimits("PUBSUB 1mb 1kb 5 replica 2gb 0 0", defaultOutLimits)
	want := defaultOutLimits
	want[outPubSub] = outLimit{hard: 1 << 20, soft: 1 << 10, softSecs: 5}
	want[outReplica] = outLimit{hard: 2 << 30}
	if !ok || lim != want {
		t.Fatalf("partial text = %v, %v; want %v", lim, ok, want)
	}
	for _, bad := range []string{"pubsub 1 2", "master 1 2 3", "pubsub x 1 1", "pubsub 1 1 -1", "normal 1 1 1 pubsub"} {
		if _, ok := parseOutLimits(bad, defaultOutLimits); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

// The writer goroutine ends with its session, and the CLIENT LIST fields
// report the queue.
func TestOutboxSessionEnd(t *testing.T) {
	checkNoLeak(t)
	ts := newTestStore(t)
	a := dialRaw(t, ts.Store)
	b := dialRaw(t, ts.Store)
	// Fill the pipe so that some pushes stay queued.
	msg := pushMsg(strings.Repeat("z", 64<<10))
	for i := 0; i < pipeBufLimit/(64<<10)+4; i++ {
		ts.push(1, msg)
	}
	b.send("CLIENT LIST ID 1\r\n")
	line, err := b.readFrame()
	if err != nil || strings.Contains(line, " omem=0 ") {
		t.Fatalf("CLIENT LIST of a client with pushes queued = %q, %v", line, err)
	}
	a.c.Close()
	waitGone(b, 1)
	if ts.push(1, msg) {
		t.Fatal("push to a closed client queued")
	}
}

// Under concurrency, every push lands exactly after the replies the
// executor had produced for the client when it was pushed: a client
// pipelines INCRs while another goroutine pushes numbered messages.
func TestOutboxOrderingConcurrent(t *testing.T) {
	checkNoLeak(t)
	ts := newTestStore(t)
	a := dialRaw(t, ts.Store)
	a.roundTrip("PING\r\n", "+PONG\r\n") // reply 1
	const incrs, pushes = 3000, 300
	tags := make([]uint64, pushes) // replies produced before push i
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < pushes; i++ {
			ts.onExecutor(context.Background(), func(s *Store) {
				oc := s.outConnByID(1)
				tags[i] = oc.(*session).ob.produced
				oc.push(pushMsg(itoa(i)))
			})
			runtime.Gosched()
		}
	}()
	go func() {
		for i := 0; i < incrs; i++ {
			a.c.Write([]byte(respCmd("INCR", "n")))
		}
	}()
	replies, pushed := 1, 0 // replies read so far: the PONG
	type event struct{ push, afterReplies int }
	var events []event
	for replies < 1+incrs || pushed < pushes {
		f, err := a.readFrame()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(f, "*3") {
			if f != pushFrame(2, itoa(pushed)) {
				t.Fatalf("push %d: got %q", pushed, f)
			}
			events = append(events, event{pushed, replies})
			pushed++
			continue
		}
		if f != ":"+itoa(replies)+"\r\n" {
			t.Fatalf("reply %d: got %q", replies, f)
		}
		replies++
	}
	<-done
	for _, e := range events {
		if uint64(e.afterReplies) != tags[e.push] {
			t.Fatalf("push %d came after %d replies; the executor had produced %d when it was pushed",
				e.push, e.afterReplies, tags[e.push])
		}
	}
}
