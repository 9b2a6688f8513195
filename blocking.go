package embedis

// Blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN,
// BZPOPMAX, BZMPOP, XREAD BLOCK, XREADGROUP BLOCK): Redis's blocked.c.
//
// A blocked command parks its caller, never the executor. The handler finds
// nothing to serve and returns c.block(keys, deadline, timeoutReply,
// resume); serve sees the marker, records a blockState on the request,
// registers it FIFO on each key (per database) and in a deadline heap, and
// moves the request to reqBlocked without completing it. The caller keeps
// waiting in submit; the executor goes on with other requests.
//
// Every write calls c.changed(key, ...) (mutate.go), which adds the key to a ready
// list when a request waits on it. After every top-level command the
// executor serves the ready keys (handleReady): for each key in the order
// it became ready, for each waiter in arrival order, it claims the request
// (CAS reqBlocked -> reqTaken) and calls the command's resume function for
// that key. Served: the reply is stored, the request leaves every list,
// the rest of its batch runs, and it completes. Not served (another waiter
// took the element first): it goes back to reqBlocked with its original
// place in every queue and its deadline. A served waiter's own writes
// (BLMOVE pushing to its destination) can make more keys ready; the loop
// runs until the ready list is empty.
//
// Why a resume function rather than running the command again: Redis 7.0
// serves a blocked client from the key that became ready, not from the
// first non-empty key of its list (BLPOP a b, with a push to b then a in
// one transaction, pops from b), and XREAD resolves '$' when it blocks:
// parsing the arguments again would resolve it to the entry that just
// arrived, and the reader would never be served.
//
// No element is lost to a timeout or a cancellation. A waiter is served
// only by the executor, and only after its CAS out of reqBlocked has won;
// a caller whose ctx ends tries the CAS reqBlocked -> reqAbandoned, and
// exactly one of the two wins. If the caller wins, the executor never pops
// for it; if the executor wins, the caller waits for the reply, which
// carries the element. Timeouts are decided by the executor itself, so
// they cannot race with serving.
//
// One interleaving needs care: the executor claims a waiter, finds nothing
// for it and puts it back to reqBlocked. A caller whose ctx ended inside
// that window fails its CAS (the phase was reqTaken) and would wait for a
// reply that may never come. So the caller first sets r.cancelled and then
// tries the CAS; the executor first puts the request back and then reads
// r.cancelled. Sequentially consistent atomics make at least one of them
// see the other: either the caller's CAS finds reqBlocked, or the executor
// sees the flag, claims the request again and completes it with
// errBlockCancelled, which submit turns into ctx's error.

import (
	"container/heap"
	"context"
	"errors"
	"math"
	"math/big"
	"net"
	"os"
	"sync"
	"time"

	"github.com/embedis/embedis/internal/ldouble"
	"github.com/embedis/embedis/internal/resp"
)

// kindBlocked marks the reply of a handler that blocks. It never leaves
// the executor: serve replaces it with the eventual reply.
const kindBlocked Kind = 255

var blockedValue = Value{kind: kindBlocked}

// reqBlocked is the phase of a request parked on keys by a blocking
// command. It is a separate bit so that it never collides with reqParked.
const reqBlocked int32 = 8

// errBlockCancelled is set by the executor on a blocked request whose
// caller gave up while the executor held it (see the package comment
// above); submit returns the caller's ctx error instead.
var errBlockCancelled = errors.New("embedis: blocked call cancelled")

// errTimeoutNotFloat is the reply to a timeout in seconds that is not a
// number (BLPOP and its family).
var errTimeoutNotFloat = ErrorValue("ERR timeout is not a float or out of range")

// resumeFunc serves a blocked command from key, which was written since
// the command blocked. served is false when key still has nothing for it,
// and the command stays blocked.
type resumeFunc func(c *call, key string) (reply Value, served bool)

// blockState is what a blocked request waits for. Owned by the executor.
type blockState struct {
	r        *request
	cmd      *command
	args     []string
	db       int
	keys     []string
	deadline int64 // unix ms on the store clock; 0: no timeout
	timeout  Value // the reply when the deadline passes
	resume   resumeFunc
	// pos is the index in r.batch of the blocked command; -1 for a
	// single-command request.
	pos int
	// heapIdx is the position in the deadline heap; -1 when not in it.
	heapIdx int
	// registered is true from registration until the request is served,
	// times out, is failed or is dropped after its caller abandoned it.
	registered bool
}

// unblockedWaiter is a waiter CLIENT UNBLOCK claimed, and its reply.
type unblockedWaiter struct {
	bs    *blockState
	reply Value
}

// readyKey is a key of a database that was written while waited on.
type readyKey struct {
	db  int
	key string
}

// blockers is the executor's registry of blocked requests. Owned by the
// executor goroutine, except clockCh, which a ManualClock signals.
type blockers struct {
	// waiters maps, per database, a key to its waiters in arrival order.
	waiters []map[string][]*blockState
	// count is the number of registered waiters; dirty looks at it first,
	// so a store without blocked callers pays one comparison per write.
	count int
	// ready lists the keys written while waited on, in the order they
	// became ready; readySet holds the same keys.
	ready    []readyKey
	readySet map[readyKey]struct{}
	// deadlines orders the waiters that have a timeout.
	deadlines deadlineHeap

	// allow is set while serve dispatches a top-level command of a
	// request: only then may a handler block.
	allow bool
	// pending is set by call.block and consumed by serve.
	pending *blockState
	// serving is set while handleReady runs, which commands of served
	// waiters' batches may call again.
	serving bool
	// unblocked are waiters claimed by CLIENT UNBLOCK, answered with
	// their reply after the command, by handleReady.
	unblocked []unblockedWaiter

	// timer fires at the earliest deadline (real clock only); clockCh is
	// signalled by a ManualClock whenever it moves.
	timer   *time.Timer
	timerAt int64
	clockCh chan struct{}
	watcher timeWatcher
}

// init prepares the registry; called from Open.
func (b *blockers) init(dbs int, clk Clock) {
	b.waiters = make([]map[string][]*blockState, dbs)
	b.readySet = map[readyKey]struct{}{}
	if w, ok := clk.(timeWatcher); ok {
		b.watcher = w
		b.clockCh = make(chan struct{}, 1)
		w.watch(b.clockCh)
	}
}

// stop releases the timer and the clock subscription; the executor calls
// it as it exits.
func (b *blockers) stop() {
	if b.timer != nil {
		b.timer.Stop()
	}
	if b.watcher != nil {
		b.watcher.unwatch(b.clockCh)
	}
}

// timerC is the channel of the deadline timer, nil while there is none.
func (b *blockers) timerC() <-chan time.Time {
	if b.timer == nil {
		return nil
	}
	return b.timer.C
}

// block is how a handler blocks: keys are the keys it waits on, deadline
// the unix ms time on the store clock at which it gives up with
// timeoutReply (0: never), and resume serves it later from a key that was
// written. When the command may not block (inside MULTI/EXEC or a script,
// which dispatch at depth 2, or from an internal job), block returns
// timeoutReply at once, as Redis does.
func (c *call) block(keys []string, deadline int64, timeoutReply Value, resume resumeFunc) Value {
	s := c.s
	if !c.mayBlock() {
		return timeoutReply
	}
	s.blk.pending = &blockState{
		cmd:      c.cmd,
		args:     c.args,
		db:       c.cl.db,
		keys:     append([]string(nil), keys...),
		deadline: deadline,
		timeout:  timeoutReply,
		resume:   resume,
		heapIdx:  -1,
	}
	return blockedValue
}

// mayBlock reports whether the command may block: only a top-level
// command of a request may, not one inside EXEC or a script (dispatched at
// depth 2) nor one an internal job runs.
func (c *call) mayBlock() bool { return c.s.callDepth == 1 && c.s.blk.allow }

// blockDeadline parses the timeout argument of BLPOP and its family:
// seconds as a long double, as Redis 7.0's getTimeoutFromObjectOrReply.
// It returns the deadline in unix ms (0: wait forever).
func (c *call) blockDeadline(arg string) (int64, Value, bool) {
	f, ok := ldouble.Parse(arg)
	if !ok {
		return 0, errTimeoutNotFloat, false
	}
	// Redis multiplies by 1000 in long double and rounds up, then casts
	// to long long: a value beyond its range (1e100, inf) becomes
	// LLONG_MIN on x86 and is reported as negative.
	ms := new(big.Float).SetPrec(ldouble.Prec).Mul(f, big.NewFloat(1000))
	if ms.IsInf() {
		return 0, errTimeoutNegative, false
	}
	n, acc := ms.Int(nil)
	if acc == big.Below { // ms was above n: round up
		n.Add(n, big.NewInt(1))
	}
	if !n.IsInt64() || n.Int64() < 0 {
		return 0, errTimeoutNegative, false
	}
	return c.deadlineAfter(n.Int64()), Value{}, true
}

// deadlineAfter is the deadline ms milliseconds from now (0: none).
func (c *call) deadlineAfter(ms int64) int64 {
	if ms == 0 {
		return 0
	}
	if ms > math.MaxInt64-c.now {
		return math.MaxInt64
	}
	return c.now + ms
}

// signalReady records that key of database db was written; called by the
// dirty hooks only when some request is blocked.
func (s *Store) signalReady(db int, key string) {
	m := s.blk.waiters[db]
	if m == nil {
		return
	}
	if _, ok := m[key]; !ok {
		return
	}
	rk := readyKey{db, key}
	if _, ok := s.blk.readySet[rk]; ok {
		return
	}
	s.blk.readySet[rk] = struct{}{}
	s.blk.ready = append(s.blk.ready, rk)
}

// signalDB marks every waited-on key of database db ready (FLUSHDB,
// SWAPDB).
func (s *Store) signalDB(db int) {
	for key := range s.blk.waiters[db] {
		s.signalReady(db, key)
	}
}

// register records bs, which blocked at batch position pos of r.
func (s *Store) register(r *request, bs *blockState, pos int) {
	bs.r, bs.pos, bs.registered = r, pos, true
	r.blk = bs
	m := s.blk.waiters[bs.db]
	if m == nil {
		m = map[string][]*blockState{}
		s.blk.waiters[bs.db] = m
	}
	for i, k := range bs.keys {
		dup := false
		for _, k2 := range bs.keys[:i] {
			if k2 == k {
				dup = true
				break
			}
		}
		if !dup {
			m[k] = append(m[k], bs)
		}
	}
	if bs.deadline != 0 {
		heap.Push(&s.blk.deadlines, bs)
		s.armTimer()
	}
	s.blk.count++
}

// unregister removes bs from every list; it is idempotent.
func (s *Store) unregister(bs *blockState) {
	if !bs.registered {
		return
	}
	bs.registered = false
	s.blk.count--
	m := s.blk.waiters[bs.db]
	for _, k := range bs.keys {
		l := m[k]
		for i, x := range l {
			if x == bs {
				l = append(l[:i], l[i+1:]...)
				break
			}
		}
		if len(l) == 0 {
			delete(m, k)
		} else {
			m[k] = l
		}
	}
	if bs.heapIdx >= 0 {
		heap.Remove(&s.blk.deadlines, bs.heapIdx)
	}
}

// blockRequest parks r, whose command at batch position pos (-1: single)
// returned the block marker.
func (s *Store) blockRequest(r *request, pos int) {
	bs := s.blk.pending
	s.blk.pending = nil
	s.register(r, bs, pos)
	// The caller may have given up while the executor held r (reqTaken):
	// the same window as in reblock.
	s.reblock(bs)
}

// setBlocked moves r from reqTaken to reqBlocked, keeping reqParked.
func (r *request) setBlocked() {
	for {
		st := r.state.Load()
		if r.state.CompareAndSwap(st, reqBlocked|st&reqParked) {
			return
		}
	}
}

// claimBlocked is the executor's claim on a blocked request: reqBlocked ->
// reqTaken. It reports false when the caller has abandoned it.
func (r *request) claimBlocked() bool {
	for {
		st := r.state.Load()
		if st&^reqParked != reqBlocked {
			return false
		}
		if r.state.CompareAndSwap(st, reqTaken|st&reqParked) {
			return true
		}
	}
}

// abandonBlocked is the caller's side of a cancellation while its request
// may be blocked (see the comment at the top of this file). It reports
// whether the caller now owns the outcome: the request will never be
// served, and its registration is dropped by a job queued to the executor.
func (s *Store) abandonBlocked(r *request) bool {
	r.cancelled.Store(true)
	if !r.state.CompareAndSwap(reqBlocked|reqParked, reqAbandoned) {
		return false
	}
	// The executor wrote r.blk before its CAS to reqBlocked, which ours
	// observed; an abandoned request is never reused (not returned to the
	// pool), so the pointer stays valid.
	bs := r.blk
	job := &request{fn: func(s *Store) { s.unregister(bs) }}
	s.q.push(job) // fails only when closed, and then the executor is gone
	return true
}

// runBatch runs r's batch from position from and reports whether it
// blocked (then r is registered and must not be completed).
func (s *Store) runBatch(r *request, from int) bool {
	for i := from; i < len(r.batch); i++ {
		s.batchAt = i
		s.blk.allow = true
		v := s.dispatch(r.cl, r.batch[i])
		s.blk.allow = false
		if v.kind == kindBlocked {
			s.blockRequest(r, i)
			return true
		}
		r.replies[i] = v
		noteReply(r.cl) // orders pushes against replies (wire_out.go)
		s.handleReady()
	}
	return false
}

// finishWaiter gives a claimed waiter its reply v, takes it out of every
// list, runs the rest of its batch and completes it unless it blocks
// again.
func (s *Store) finishWaiter(bs *blockState, v Value) {
	s.unregister(bs)
	s.obsUnblocked(bs.cmd, bs.args, bs.r.cl, v) // obs.go: commandstats of the blocked call
	r := bs.r
	r.blk = nil
	if bs.pos < 0 {
		r.reply = v
	} else {
		r.replies[bs.pos] = v
		noteReply(r.cl)
		if s.runBatch(r, bs.pos+1) {
			return
		}
	}
	s.release(r)
}

// reblock puts a claimed waiter that was not served (or a request that
// has just blocked) to reqBlocked, unless its caller asked to cancel
// meanwhile: then it completes it with errBlockCancelled.
func (s *Store) reblock(bs *blockState) {
	r := bs.r
	r.setBlocked()
	if !r.cancelled.Load() {
		return
	}
	if r.claimBlocked() {
		if r.whole {
			// A batch that runs to its end (pipeline.go): the command
			// answers as if timed out and the batch goes on.
			r.cut = true
			s.finishWaiter(bs, bs.timeout)
			return
		}
		s.unregister(bs)
		r.err = errBlockCancelled
		r.complete()
		return
	}
	s.unregister(bs) // abandoned by the caller after all
}

// handleReady serves the waiters of the keys written since it last ran.
// It runs after every top-level command.
func (s *Store) handleReady() {
	if len(s.blk.ready) == 0 && len(s.blk.unblocked) == 0 || s.blk.serving {
		return
	}
	s.blk.serving = true
	defer func() { s.blk.serving = false }()
	for len(s.blk.unblocked) > 0 {
		u := s.blk.unblocked[0]
		s.blk.unblocked = s.blk.unblocked[1:]
		s.finishWaiter(u.bs, u.reply)
	}
	s.blk.unblocked = nil
	for len(s.blk.ready) > 0 {
		rk := s.blk.ready[0]
		s.blk.ready = s.blk.ready[1:]
		delete(s.blk.readySet, rk)
		// A snapshot: served waiters leave the list, and a waiter whose
		// batch blocks again on the key joins its end, to be served in a
		// later round, as in Redis.
		list := append([]*blockState(nil), s.blk.waiters[rk.db][rk.key]...)
		for _, bs := range list {
			if !bs.registered {
				continue
			}
			if !bs.r.claimBlocked() {
				s.unregister(bs) // abandoned
				continue
			}
			v, served := s.resumeWaiter(bs, rk.key)
			if !served {
				s.reblock(bs)
				if !s.dbs[rk.db].has(rk.key) {
					// Nothing left for the waiters behind it either.
					// (Stream-group waiters on a deleted key are the
					// exception, and they were served an error.)
					if !anyStreamGroupWaiter(list) {
						break
					}
				}
				continue
			}
			s.finishWaiter(bs, v)
		}
	}
	if len(s.blk.ready) == 0 {
		s.blk.ready = s.blk.ready[:0:0]
	}
}

// anyStreamGroupWaiter reports whether some waiter in l is an XREADGROUP,
// which a deleted key serves with an error.
func anyStreamGroupWaiter(l []*blockState) bool {
	for _, bs := range l {
		if bs.registered && bs.cmd.name == "xreadgroup" {
			return true
		}
	}
	return false
}

// resumeWaiter calls bs's resume function for key in a call context of its
// own, as dispatch would for the command.
func (s *Store) resumeWaiter(bs *blockState, key string) (Value, bool) {
	if s.callDepth == len(s.calls) {
		s.calls = append(s.calls, new(call))
	}
	c := s.calls[s.callDepth]
	*c = call{s: s, cl: bs.r.cl, cmd: bs.cmd, db: s.dbs[bs.db], args: bs.args, now: s.now}
	s.callDepth++
	dirty := s.stats.dirty
	v, ok := bs.resume(c, key)
	if s.feed.on() {
		// Serving a blocked command is an execution unit of its own,
		// propagated in the non-blocking form its handler states.
		s.endCall(c, dirty)
	}
	s.callDepth--
	if s.callDepth == 0 && s.feed.on() {
		s.feed.endUnit()
	}
	*c = call{}
	return v, ok
}

// expireBlocked answers the waiters whose deadline has passed on the store
// clock with their timeout reply.
func (s *Store) expireBlocked() {
	if s.blk.deadlines.Len() == 0 {
		return
	}
	now := s.opts.Clock.Now().UnixMilli()
	for s.blk.deadlines.Len() > 0 {
		bs := s.blk.deadlines[0]
		if bs.deadline > now {
			break
		}
		if !bs.r.claimBlocked() {
			s.unregister(bs)
			continue
		}
		s.now = now
		s.finishWaiter(bs, bs.timeout)
		s.handleReady()
	}
	s.armTimer()
}

// armTimer sets the real-time timer to the earliest deadline. With a
// ManualClock the store is told when time moves instead.
func (s *Store) armTimer() {
	if s.blk.watcher != nil || s.blk.deadlines.Len() == 0 {
		return
	}
	at := s.blk.deadlines[0].deadline
	if s.blk.timer != nil && s.blk.timerAt == at {
		return
	}
	d := time.Duration(at-s.opts.Clock.Now().UnixMilli()) * time.Millisecond
	if d < 0 {
		d = 0
	}
	// Not more than a minute ahead: the cron also checks, and a clock
	// that jumps is noticed.
	d = min(d, time.Minute)
	if s.blk.timer == nil {
		s.blk.timer = time.NewTimer(d)
	} else {
		s.blk.timer.Reset(d)
	}
	s.blk.timerAt = at
}

// timerFired handles the deadline timer.
func (s *Store) timerFired() {
	s.blk.timerAt = 0
	s.expireBlocked()
}

// failBlocked fails every blocked request with ErrClosed; the executor
// calls it as it exits.
func (s *Store) failBlocked() {
	for _, m := range s.blk.waiters {
		for _, l := range m {
			for _, bs := range append([]*blockState(nil), l...) {
				if !bs.registered {
					continue
				}
				s.unregister(bs)
				if bs.r.claimBlocked() {
					bs.r.err = ErrClosed
					bs.r.complete()
				}
			}
		}
	}
}

// unblockSession is CLIENT UNBLOCK: it answers the blocked call of the
// wire session id as if it had timed out, or with the UNBLOCKED error, and
// reports 1, or 0 when that session is not blocked. The answer, and the
// rest of that session's batch, run after the current command, at top
// level (handleReady), not nested inside CLIENT UNBLOCK.
func (s *Store) unblockSession(id int64, withError bool) int64 {
	for _, m := range s.blk.waiters {
		for _, l := range m {
			for _, bs := range l {
				ss, ok := bs.r.cl.conn.(*session)
				if !ok || ss.id != id || !bs.registered {
					continue
				}
				if !bs.r.claimBlocked() {
					s.unregister(bs)
					return 0
				}
				v := bs.timeout
				if withError {
					v = ErrorValue("UNBLOCKED client unblocked via CLIENT UNBLOCK")
				}
				s.blk.unblocked = append(s.blk.unblocked, unblockedWaiter{bs, v})
				return 1
			}
		}
	}
	return 0
}

// blockedCount is the number of blocked requests (tests, INFO).
func (s *Store) blockedCount() int { return s.blk.count }

// has reports whether key exists, without expiring it or counting a hit.
func (d *db) has(key string) bool {
	return d.keys.Get(key) != nil
}

// deadlineHeap is a min-heap of waiters by deadline.
type deadlineHeap []*blockState

func (h deadlineHeap) Len() int           { return len(h) }
func (h deadlineHeap) Less(i, j int) bool { return h[i].deadline < h[j].deadline }
func (h deadlineHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapIdx, h[j].heapIdx = i, j
}
func (h *deadlineHeap) Push(x any) {
	bs := x.(*blockState)
	bs.heapIdx = len(*h)
	*h = append(*h, bs)
}
func (h *deadlineHeap) Pop() any {
	old := *h
	bs := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	bs.heapIdx = -1
	return bs
}

// blockedClients reports how many calls are blocked in a blocking command
// (BLPOP, XREAD BLOCK ...) right now, as INFO's blocked_clients would.
func (s *Store) blockedClients(ctx context.Context) (int, error) {
	n := 0
	err := s.onExecutor(ctx, func(s *Store) { n = s.blk.count })
	return n, err
}

// Wire sessions. While a session's batch is blocked, the session goroutine
// waits in submit and reads nothing, so a client that disconnects would go
// unnoticed, and its blocked call would wait on, maybe forever, and then
// pop an element for nobody. So when a batch holds a blocking command, a
// watcher goroutine reads the connection until the batch completes: an
// error or EOF cancels the session's ctx, which abandons the blocked call
// (submit); bytes that arrive meanwhile (the client pipelining more
// commands) are kept for the request reader. The watcher is stopped with a
// read deadline in the past, which both TCP connections and the in-memory
// pipe honour even with bytes waiting.
//
// The kept bytes are bounded as Redis bounds a blocked client's query
// buffer, which it keeps reading into: when they and the reader's
// unparsed bytes exceed client-query-buffer-limit (1gb by default), the
// client is closed, as Redis closes a client that "reached max query
// buffer length". The alternative, to stop reading and let TCP
// backpressure hold the client, was rejected: a client that stops being
// read can no longer be seen to disconnect, which is what the watcher is
// for, and over the in-memory pipe the client would block in Write with no
// error at all, where Redis would have dropped it.

// connSource is the session's reader of the connection: bytes the watcher
// read come first. pending is touched by the watcher only while it runs
// and by the session goroutine only while none runs.
type connSource struct {
	conn    net.Conn
	pending []byte
}

func (cs *connSource) Read(p []byte) (int, error) {
	if len(cs.pending) > 0 {
		n := copy(p, cs.pending)
		cs.pending = cs.pending[n:]
		if len(cs.pending) == 0 {
			cs.pending = nil
		}
		return n, nil
	}
	return cs.conn.Read(p)
}

// cmdMayBlock reports whether a command is flagged blocking (XREAD and
// XREADGROUP only with BLOCK), and WAIT. Only names starting with b, x or w are looked
// up: the other commands of the hot path pay one byte comparison.
func cmdMayBlock(args []string) bool {
	if len(args) == 0 || len(args[0]) == 0 {
		return false
	}
	if c := args[0][0] | 0x20; c != 'b' && c != 'x' && c != 'w' {
		return false
	}
	cmd := lookupCommand(commands, args[0])
	if cmd != nil && cmd.name == "wait" {
		return true // not flagged blocking in Redis, but waits (servercmds.go)
	}
	if cmd == nil || cmd.flags&flagBlocking == 0 {
		return false
	}
	if cmd.name != "xread" && cmd.name != "xreadgroup" {
		return true
	}
	for _, a := range args[1:] {
		if eqFold(a, "block") {
			return true
		}
	}
	return false
}

// watchBufs are the watchers' read buffers, 16 KB as Redis reads, pooled:
// a consumer looping on BLPOP starts a watcher per call.
var watchBufs = sync.Pool{New: func() any { b := make([]byte, 16<<10); return &b }}

// watchConn starts the watcher and returns the function that stops it and
// waits for it.
func (ss *session) watchConn() (stop func()) {
	done := make(chan struct{})
	limit := ss.s.wire.maxQuery.Load()
	if limit <= 0 {
		limit = resp.DefaultMaxQuery
	}
	// The reader's unparsed bytes count too: they are the query buffer
	// as much as the watcher's are. The reader is idle while the watcher
	// runs, so the figure is fixed.
	room := limit - int64(ss.rd.Pending()) - int64(len(ss.src.pending))
	go func() {
		defer close(done)
		bp := watchBufs.Get().(*[]byte)
		defer watchBufs.Put(bp)
		buf := *bp
		for {
			n, err := ss.conn.Read(buf)
			if room -= int64(n); room < 0 {
				// Over client-query-buffer-limit: drop the client and
				// its blocked call, and free what it sent.
				ss.src.pending = nil
				ss.kill()
				return
			}
			ss.src.pending = append(ss.src.pending, buf[:n]...)
			if err != nil {
				if !errors.Is(err, os.ErrDeadlineExceeded) {
					ss.cancel() // gone: abandon the blocked call
				}
				return
			}
		}
	}()
	return func() {
		ss.conn.SetReadDeadline(time.Unix(1, 0))
		<-done
		ss.conn.SetReadDeadline(time.Time{})
	}
}
