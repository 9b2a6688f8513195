package embedis

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Store is an embedded Redis: sixteen (by default) databases of keys, served
// by one executor goroutine. Its typed methods operate on database 0 (they
// are the methods of the embedded *DB); Database returns a handle for
// another database. All methods are safe for concurrent use.
type Store struct {
	// DB is the handle of database 0, whose methods Store exposes.
	*DB

	opts Options // validated copy; never mutated after Open

	// handles are the per-database handles, created in Open, immutable.
	handles []*DB

	q queue

	// wire holds the listeners and connection sessions (wire.go).
	wire wireState
	// admin is the state of CONFIG, INFO and DEBUG (server_admin.go).
	admin adminState
	// script is the Lua engine and the busy-script state (scripting.go).
	script scriptState
	// testkit is the test kits' hook state (testkit.go).
	testkit testkitState
	// obs is the command statistics, slow log and latency monitor
	// (obs.go); owned by the executor goroutine.
	obs obsState
	// cluster is the cluster face's state (cluster.go).
	cluster clusterState
	// shutdown is SHUTDOWN's save hook (servercmds.go).
	shutdown shutdownState

	closed    atomic.Bool
	closeOnce sync.Once
	quit      chan struct{} // closed by Close: the executor drains and exits
	exited    chan struct{} // closed by the executor when it has exited

	// spinners counts callers spinning for a reply (see spinWait);
	// callSpinners, set in Open, is how many may at once.
	spinners     atomic.Int32
	callSpinners int32
	// callSpinScore is how well callers' spins have been paying off
	// (see spinWait); a heuristic, updated without care for races.
	callSpinScore atomic.Int32

	// Everything below is owned by the executor goroutine.

	dbs   []*db
	rnd   *rand.Rand
	stats stats

	// now is the store clock in unix milliseconds, read once per request
	// the executor serves: every command of a request (a pipeline, a
	// MULTI/EXEC body, a script's calls) sees the same time, as Redis
	// freezes time within a command, and the clock, which costs tens of
	// nanoseconds per read on some machines, is read once per hand-off.
	now int64
	// limits are the encoding thresholds CONFIG SET can change.
	limits encodingLimits
	// calls are reusable command contexts, one per nesting level (a
	// script or EXEC dispatches commands from inside a handler), so that
	// dispatch allocates none.
	calls     []*call
	callDepth int

	// blk is the registry of requests blocked in BLPOP, XREAD BLOCK ...
	// (blocking.go).
	blk blockers

	// The mutation path (mutate.go) and the write feed (feed.go).
	//
	// observer sees every change before it happens (a snapshot's
	// pre-image hook); nil when nothing observes.
	observer changeObserver
	// noSelfExpire turns off expiry by the store's own clock, as on a
	// Redis replica: expired keys read as missing but stay stored (no
	// lazy deletion, no active cycle, nothing propagated) until the
	// primary's DEL arrives through the write path. Replication sets it.
	noSelfExpire bool
	// snapEpoch is the epoch of the point-in-time snapshot in progress
	// (0: none); keys created meanwhile get it in entry.snap, so the
	// snapshot skips them.
	snapEpoch uint32
	// events receives keyspace events after each change; nil when
	// nothing listens.
	events keyEventSink
	// ps is the pub/sub registry and notify-keyspace-events
	// (pubsub.go, notify.go).
	ps pubsubState
	// feed collects each execution unit's propagated commands for its
	// sinks (append log, replicas, tests).
	feed feedState
	// durable, when set, is the step a turn's replies wait for
	// (appendfsync always); held are the requests finished in the
	// current turn, waiting for it.
	durable durabilityStep
	held    []*request
	// mcheck is the coverage check of the mutation path, active only
	// in builds with -tags embedischeck.
	mcheck mutCheck
	// batchAt is the index of the batch command running (runBatch), so
	// that a panic answers it and the commands after it.
	batchAt int
	// broken is set when a handler panicked: the store refuses every
	// later command with it (see serve). brokenPub publishes it to
	// Broken, which any goroutine may call.
	broken    error
	brokenPub atomic.Pointer[error]

	// pending is the rest of the executor's current turn: the requests
	// taken from the queue and not yet served, in arrival order. A script
	// past its busy threshold answers them from inside the script
	// (serveBusy, scripting.go) before the requests queued since.
	pending *request

	// persist is the snapshot state: backend, save rules, the
	// background save in progress (persistence.go, rdbsave.go).
	persist persistState
	// aof is the append-only log (aof.go).
	aof aofState
}

// stats are counters kept by the executor.
type stats struct {
	commands    int64 // commands processed
	expiredKeys int64 // keys removed by expiry
	hits, miss  int64 // keyspace hits and misses of read lookups
	dirty       int64 // writes since start
}

// Open creates a store. The options are validated and copied; see Options
// for the defaults.
func Open(opts Options) (*Store, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Store{
		opts:   o,
		quit:   make(chan struct{}),
		exited: make(chan struct{}),
		rnd:    rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)),
	}
	s.admin.started = time.Now()
	s.limits = defaultEncodingLimits()
	s.q.init()
	s.callSpinners = int32(spinnersPerProc * (runtime.GOMAXPROCS(0) - 1))
	s.dbs = make([]*db, o.Databases)
	s.handles = make([]*DB, o.Databases)
	for i := range s.dbs {
		s.dbs[i] = newDB(i)
		s.handles[i] = &DB{s: s, cl: &client{db: i, proto: 3}}
	}
	s.DB = s.handles[0]
	s.blk.init(o.Databases, o.Clock)
	// Loading runs here, before the executor starts: Open's goroutine
	// owns the store until then.
	// The append-only log first: when it holds the dataset, the snapshot
	// is not loaded (aof.go, aof_load.go).
	if err := s.openAOF(); err != nil {
		s.script.release()
		return nil, err
	}
	if err := s.openPersistence(); err != nil {
		s.script.release()
		return nil, err
	}
	if err := s.startAOF(); err != nil {
		s.script.release()
		return nil, err
	}
	go s.run()
	return s, nil
}

// Close stops the store: calls waiting in the queue and every later call
// return ErrClosed, and the executor goroutine exits before Close returns.
// With a snapshot backend and save rules, Close first saves when anything
// changed since the last save (as Redis's SHUTDOWN saves) and returns that
// save's error; a background save in progress is abandoned and the
// previous snapshot stays. Close is idempotent and always returns nil for
// an in-memory store.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		err = s.saveOnClose()
		s.closed.Store(true)
		close(s.quit)
	})
	// A running script holds the executor: stop it, even one that wrote
	// and that SCRIPT KILL refuses, so that the executor can exit.
	s.script.stop()
	<-s.exited
	if j := s.persist.job; j != nil { // the executor has exited: no race
		<-j.done
	}
	s.wire.shutdown()
	s.script.release()
	return err
}

// Database returns the handle of database n (0 <= n < Options.Databases).
// It panics when n is out of range, as indexing a slice does.
func (s *Store) Database(n int) *DB {
	if n < 0 || n >= len(s.handles) {
		panic(fmt.Sprintf("embedis: database %d out of range [0,%d)", n, len(s.handles)))
	}
	return s.handles[n]
}

// DB is a handle for one database of a Store: typed methods and Do run
// there. Obtain one with Store.Database; Store itself is the handle of
// database 0. A DB is safe for concurrent use.
type DB struct {
	s  *Store
	cl *client // read-only: the database index and RESP3; no session
}

// Index is the number of the database.
func (d *DB) Index() int { return d.cl.db }

// client is who issues a command: its database and protocol, plus the
// connection state of a wire session (nil for typed calls).
type client struct {
	db    int // selected database
	proto int // 2 or 3: the shape of replies it wants
	// conn is the wire session, nil for in-process calls. Commands with
	// flagConn need it.
	conn any
	// primary marks the client that applies a replication primary's
	// stream: for it no key is expired by this store's clock (see
	// Store.noSelfExpire).
	primary bool
	// loading marks the client that replays an append log at start-up.
	loading bool
}

// call is the context of one command run by the executor.
type call struct {
	s    *Store
	cl   *client
	cmd  *command
	db   *db
	args []string
	now  int64 // unix milliseconds, read once per command
	// multi is set while the command runs as part of EXEC (multi.go). A
	// handler that could block the caller (BLPOP and friends) must then
	// answer as its non-blocking form would, as Redis does: the
	// transaction cannot wait.
	multi bool
	// prop is the form the command propagates in when propSet (feed.go):
	// nil with propSet means nothing of its own.
	prop    []string
	propSet bool
}

// request is one hand-off from a caller to the executor: a command, or a
// batch of commands run in one executor turn. Requests are pooled: a caller
// takes one with getRequest, and whoever holds it last (the caller after
// its reply, or the executor for a request its caller abandoned) returns it
// with putRequest. No channel or reply slot is allocated per command.
type request struct {
	// next links the request into the queue. The pusher writes it before
	// publishing the request with the CAS on queue.head; the executor reads
	// it after taking the list with a Swap of queue.head, so the two atomic
	// operations order the write before the read.
	next *request

	cl *client

	// A single command: args in, reply out.
	args  []string
	argv  [4]string // backing store for short commands, so they need no allocation
	reply Value

	// A batch (pipeline, wire connection): each arg vector runs in turn;
	// replies[i] is the reply to batch[i]. The submitter allocates replies.
	batch   [][]string
	replies []Value

	// blk is set by the executor while the request is blocked in a
	// blocking command (blocking.go); cancelled is set by a caller whose
	// ctx ended while it may be blocked (see abandonBlocked).
	blk       *blockState
	cancelled atomic.Bool

	// whole is set by the submitter of a batch that, once the executor
	// has taken it, runs to its end (Pipeline.Exec): a ctx that ends
	// while one of its commands blocks cuts that command short, answered
	// as if its timeout had passed, instead of abandoning the batch (see
	// submit and cutBlocked). cut is set by the executor, before it
	// completes the request, when it did so.
	whole bool
	cut   bool

	// fn, when set, is run on the executor instead of a command: internal
	// jobs such as the invariant check of tests. A job waits for a running
	// script to end, unless busyOK is set: then a script past its busy
	// threshold runs it among the requests it answers (serveBusy), which
	// is for jobs that touch only state a script's commands never hold
	// across a Lua instruction (the release of watches).
	fn     func(s *Store)
	busyOK bool

	// err is set, instead of a reply, when the executor refused the
	// request without running it: ErrClosed, at Close.
	err error

	// state is the request's phase (reqQueued, reqTaken, reqDone,
	// reqAbandoned), possibly with reqParked added. See submit for the
	// protocol.
	state atomic.Int32
	// wake receives one token when the request is done, and only when the
	// caller had set reqParked before it was done. Capacity 1, so the
	// executor never blocks on it.
	wake chan struct{}
}

// The phases of a request, and the flag a caller adds before it blocks.
//
// Transitions: reqQueued -> reqTaken (executor, CAS) -> reqDone (executor,
// Swap); or reqQueued -> reqAbandoned (caller, CAS, when ctx ends while it
// waits). The CAS out of reqQueued decides, exactly once, whether the
// command runs: a caller whose CAS wins returns ctx's error and forgets r,
// and the executor, whose CAS then fails, returns r to the pool unrun.
// reqParked may be added by the caller to reqQueued or reqTaken; the
// executor carries it into reqTaken and, when its Swap to reqDone returns
// it, sends the wake token.
//
// A blocking command adds reqBlocked (blocking.go): reqTaken -> reqBlocked
// (executor, when the command blocks) -> reqTaken (executor, CAS, to serve
// it or time it out) or -> reqAbandoned (caller, CAS, when ctx ends). The
// executor may carry reqParked through all of these.
const (
	reqQueued int32 = iota
	reqTaken
	reqDone
	reqAbandoned

	reqParked int32 = 4
)

var requestPool = sync.Pool{New: func() any { return &request{wake: make(chan struct{}, 1)} }}

func getRequest(cl *client) *request {
	r := requestPool.Get().(*request)
	r.cl = cl
	r.state.Store(reqQueued)
	return r
}

func putRequest(r *request) {
	clear(r.argv[:])
	r.next, r.args, r.batch, r.replies, r.reply, r.cl, r.fn, r.err = nil, nil, nil, nil, Value{}, nil, nil, nil
	r.blk, r.whole, r.cut, r.busyOK = nil, false, false, false
	r.cancelled.Store(false)
	requestPool.Put(r)
}

// ownArgs returns a copy of args that owns its backing array. A command's
// argument vector is valid only while its request is being served: it may
// live in the pooled request (request.argv, cleared by putRequest), in a
// caller's slice that the caller reuses once the call returns, or in a
// batch the submitter reuses. Any code that keeps an argument vector past
// the command that received it (the MULTI queue; the write feed, a
// replication backlog, SLOWLOG) must keep ownArgs(args) instead.
//
// The strings themselves need no copy: Go strings are immutable, and no
// entry point makes one that aliases a reusable buffer (the wire reader
// copies each argument out of its read buffer with string(b); Do converts
// []byte with string(b)). An entry point that ever builds arguments with
// unsafe.String over a reused buffer must copy them here too.
func ownArgs(args []string) []string {
	return append(make([]string, 0, len(args)), args...)
}

// take is the executor's claim on r: it reports false when the caller has
// abandoned r, which must then not run.
func (r *request) take() bool {
	for {
		st := r.state.Load()
		if st&^reqParked != reqQueued {
			return false
		}
		if r.state.CompareAndSwap(st, reqTaken|st&reqParked) {
			return true
		}
	}
}

// complete publishes the reply, already written into r, to the caller.
// After the Swap the executor must not touch r unless the caller parked:
// a caller that saw reqDone while spinning may already have put r back in
// the pool and reused it. A parked caller holds r until it has the token.
func (r *request) complete() {
	if r.state.Swap(reqDone)&reqParked != 0 {
		r.wake <- struct{}{}
	}
}

// queue is the executor's inbox: a lock-free stack of requests that the
// executor empties in one Swap, so every request waiting when it looks is
// served in that turn (reversed into arrival order first).
//
// Why not a mutex and a slice, or a channel: both make every push take a
// lock that the executor also takes, and a channel parks and readies a
// goroutine on every command. A CAS push never blocks, and the executor
// pays one Swap per batch.
//
// Close swaps in the queueClosed marker instead of nil, and a push that
// finds the marker fails. So a request is either pushed before the
// executor's final Swap, and then the executor serves or fails it, or not
// pushed at all: no pushed request is ever stranded, and a waiting caller
// needs to watch only its own request, not the store's exit.
//
// Waking the executor is a Dekker handshake on two words, head and
// sleeping. The executor stores sleeping=true and then loads head; a
// pusher CASes head and then loads sleeping. Go's atomics are sequentially
// consistent, so at least one of them sees the other's write: either the
// executor finds the request and does not block, or the pusher finds it
// asleep and sends the token. Without the re-check of head after setting
// sleeping, a push landing between the executor's last look at head and its
// block would wait for the next timer tick. Only the pusher whose CAS moves
// sleeping from true to false sends, so a busy store sends no tokens at
// all; a stale token only causes one spurious wake-up.
type queue struct {
	head     atomic.Pointer[request]
	sleeping atomic.Bool
	wake     chan struct{} // capacity 1
}

// queueClosed marks the queue of a closed store; it is never served.
var queueClosed = new(request)

func (q *queue) init() { q.wake = make(chan struct{}, 1) }

// push appends r; it reports false, without queueing r, when the store is
// closed.
func (q *queue) push(r *request) bool {
	for {
		h := q.head.Load()
		if h == queueClosed {
			return false
		}
		r.next = h
		if q.head.CompareAndSwap(h, r) {
			break
		}
	}
	if q.sleeping.Load() && q.sleeping.CompareAndSwap(true, false) {
		select {
		case q.wake <- struct{}{}:
		default:
		}
	}
	return true
}

// takeAll empties the queue, leaving next in it (nil, or queueClosed at
// Close), and returns the requests in arrival order, linked by next. It is
// called only by the executor.
func (q *queue) takeAll(next *request) *request {
	r := q.head.Swap(next)
	var prev *request
	for r != nil {
		n := r.next
		r.next = prev
		prev, r = r, n
	}
	return prev
}

// Spinning. Parking a goroutine and readying it again (a futex call when
// the other processor is idle) costs more than a command, so both sides of
// the hand-off may first wait actively, briefly: the executor for the next
// request, a caller for its reply. Each spin round polls the awaited word
// spinPolls times and then calls runtime.Gosched, so a spinner never keeps
// a runnable goroutine from its processor (with GOMAXPROCS=1 that yield is
// what lets the callers run at all), and the rounds are bounded, after
// which the spinner parks: an idle store burns no CPU.
//
// A spin pays only when the other side is running at the same moment.
// When the machine is oversubscribed (more runnable threads than cores) a
// long spin is loss: the spinner waits for a thread the OS is not
// running. Go does not tell us whether cores are free, so each side
// learns it: a spin score rises when spinning succeeded and halves when it
// ran out; at zero that side parks at once, except for an occasional probe
// spin that lets the score recover when cores free up.
//
// Callers spin only when there is a processor besides the one the executor
// needs: none with GOMAXPROCS=1. Otherwise up to spinnersPerProc per spare
// processor spin at once, and the rest park at once. More than one per
// processor, because a spinner is mostly yielding, and because a caller
// that spins costs the executor nothing to answer (one Swap), while a
// parked caller costs it a channel send that readies a goroutine, often
// with a futex call to wake an idle processor for it. With 64 callers on
// 2 loaded cores, one spinner gave about 2 M commands/s and eight gave
// 2.2 to 3.6 M (noisy; see BENCHMARKS.md).
//
// The numbers were chosen by measurement on a loaded 2-core machine (see
// BENCHMARKS.md): few polls and frequent yields beat long polling there,
// since with more runnable threads than cores the reply often comes only
// after the spinner has yielded. A round is about 0.1 µs, so the executor
// spins for some 6 µs and a caller for some 1.5 µs at most.
const (
	spinPolls      = 8  // polls of the awaited word per round
	execSpinRounds = 64 // executor rounds before parking
	callSpinRounds = 16 // caller rounds before parking
)

const (
	spinnersPerProc = 8
	maxSpinScore    = 8
	probeEvery      = 32 // with a score of 0, spin once in this many waits
)

// spinFor waits actively until ready reports true, for at most rounds
// rounds; it reports whether ready did.
func spinFor(rounds int, ready func() bool) bool {
	for round := 0; round < rounds; round++ {
		for i := 0; i < spinPolls; i++ {
			if ready() {
				return true
			}
		}
		runtime.Gosched()
	}
	return ready()
}

// adaptSpin updates a spin score after a spin that did or did not succeed.
func adaptSpin(score int32, ok bool) int32 {
	if ok {
		return min(score+1, maxSpinScore)
	}
	return score / 2
}

// submit hands r to the executor and waits for the reply or for ctx; it
// returns ErrClosed, without running the command, when the store is closed
// before the executor takes r. When ctx ends before the executor has taken
// r, the command does not run and ctx's error is returned; once taken, the
// command completes and its reply is returned, since commands are short and
// the caller must learn whether a write happened. A ctx already done on
// entry never runs the command. A command blocked in BLPOP & co. is the
// exception: a ctx that ends while it waits abandons it (blocking.go),
// unless r is a whole batch (request.whole): then the blocked command is
// cut short with its timeout reply and the rest of the batch runs.
//
// The caller may first spin (see spinFor) watching r.state for reqDone; if
// that succeeds no channel is touched at all. Otherwise it adds reqParked
// with a CAS and blocks on r.wake. The CAS and the executor's Swap to
// reqDone are ordered one way or the other: if the Swap came first, the
// CAS fails (the phase changed), the caller sees reqDone and returns
// without blocking; if the CAS came first, the Swap returns reqParked and
// the executor sends the token. So the caller never blocks without a token
// coming, and the executor sends a token only to a caller that will
// receive it, which keeps the pooled r.wake empty between uses.
func (s *Store) submit(ctx context.Context, r *request) error {
	if s.closed.Load() {
		return ErrClosed
	}
	done := ctx.Done()
	if done != nil {
		select {
		case <-done:
			return ctx.Err()
		default:
		}
	}
	if !s.q.push(r) {
		return ErrClosed
	}
	if s.spinWait(r) {
		return r.err
	}
	for {
		st := r.state.Load()
		if st == reqDone {
			return r.err
		}
		if r.state.CompareAndSwap(st, st|reqParked) {
			break
		}
	}
	if done == nil {
		<-r.wake
		return r.err
	}
	select {
	case <-r.wake:
		return r.err
	case <-done:
		if r.state.CompareAndSwap(reqQueued|reqParked, reqAbandoned) {
			return ctx.Err()
		}
		if r.whole {
			// Taken: the batch runs to its end; only a command blocked
			// in it, now or later, is cut short (pipeline.go).
			s.cutBlocked(r)
			<-r.wake
			return r.err
		}
		// A request blocked in BLPOP & co. can still be abandoned; if
		// the executor holds it instead, its reply (which may carry a
		// popped element) or errBlockCancelled comes (blocking.go).
		if s.abandonBlocked(r) {
			return ctx.Err()
		}
	}
	<-r.wake
	if r.err == errBlockCancelled {
		return ctx.Err()
	}
	return r.err
}

// spinWait spins for r's reply when a processor is free for it and
// callers' spins have been paying off.
func (s *Store) spinWait(r *request) bool {
	limit := s.callSpinners
	if limit <= 0 || s.spinners.Load() >= limit {
		return false
	}
	score := s.callSpinScore.Load()
	if score == 0 && rand.Uint32()%probeEvery != 0 {
		return false
	}
	if s.spinners.Add(1) > limit {
		s.spinners.Add(-1)
		return false
	}
	ok := spinFor(callSpinRounds, func() bool { return r.state.Load() == reqDone })
	s.spinners.Add(-1)
	if next := adaptSpin(score, ok); next != score {
		s.callSpinScore.Store(next)
	}
	return ok
}

// run is the executor goroutine.
//
// Each turn takes everything queued and serves it. When the queue is empty
// it may spin for more work (see spinFor), then parks until a pusher wakes
// it (see queue), the timer ticks or Close. The timer is also polled
// without blocking every pollBatches batches, so a store kept busy still
// runs its cron.
func (s *Store) run() {
	defer close(s.exited)
	defer s.blk.stop()
	defer s.closePubSub() // pubsub.go: end the Go subscriptions
	tick := time.NewTicker(time.Second / time.Duration(s.opts.Hz))
	defer tick.Stop()
	const pollBatches = 64
	// The executor's spin score, and a count of idle moments for its probe
	// spins. (Not s.rnd: that stream belongs to the commands, and must
	// not depend on timing.)
	var spinScore int32 = maxSpinScore
	var idle, batches uint32
	for {
		if s.closed.Load() {
			// Serve nothing more: fail what is queued and close the
			// queue to later pushes, in one Swap.
			s.failList(s.q.takeAll(queueClosed))
			s.failBlocked()
			s.endTurn()
			s.stopAOF()
			s.persistStop()
			return
		}
		if list := s.q.takeAll(nil); list != nil {
			s.serveList(list)
			s.expireBlocked() // timeouts of blocked requests, if any
			if s.persist.job != nil {
				s.snapStep() // a slice of the background save (rdbsave.go)
			}
			// Counted in batches, not loop turns: with one caller, turns
			// alternate between a batch and an idle spin, and a turn
			// count could keep landing on the idle ones.
			if batches++; batches%pollBatches == 0 {
				select {
				case <-tick.C:
					s.cron()
				default:
				}
			}
			s.endTurn()
			continue
		}
		if s.persist.job != nil && !s.persist.noIdleSlices && s.snapStep() {
			// Idle with a background save: serialize slices until a
			// request arrives, polling the timer so cron still runs.
			select {
			case <-tick.C:
				s.cron()
			default:
			}
			continue
		}
		idle++
		if spinScore > 0 || idle%probeEvery == 0 {
			ok := spinFor(execSpinRounds, func() bool { return s.q.head.Load() != nil })
			spinScore = adaptSpin(spinScore, ok)
			if ok {
				continue
			}
		}
		s.q.sleeping.Store(true)
		if s.q.head.Load() != nil {
			s.q.sleeping.Store(false)
			continue
		}
		snapKick, snapDone := s.snapWait()
		select {
		case <-snapKick: // the snapshot writer has room again
		case <-snapDone:
		case <-s.q.wake:
		case <-tick.C:
			s.cron()
		case <-s.blk.timerC():
			s.timerFired()
		case <-s.blk.clockCh: // a ManualClock moved
			s.expireBlocked()
		case <-s.quit:
		}
		s.endTurn()
		s.q.sleeping.Store(false)
	}
}

// serveList serves a list from takeAll. next is read before serve: once a
// request is complete its caller may reuse it. The rest of the list lives
// in s.pending, where a busy script's serveBusy may take from it.
func (s *Store) serveList(r *request) {
	s.pending = r
	for s.pending != nil {
		r := s.pending
		s.pending = r.next
		s.serve(r)
	}
}

// failList fails the requests of a list from takeAll with ErrClosed,
// without running them.
func (s *Store) failList(r *request) {
	for r != nil {
		next := r.next
		if r.take() {
			r.err = ErrClosed
			r.complete()
		} else {
			putRequest(r) // abandoned by its caller, who no longer holds it
		}
		r = next
	}
}

// serve runs one request on the executor.
func (s *Store) serve(r *request) {
	if !r.take() {
		putRequest(r) // abandoned by its caller, who no longer holds it
		return
	}
	t := s.opts.Clock.Now()
	s.now = t.UnixMilli()
	s.obsServe(t) // obs.go: the start of the request's first command
	// Internal jobs (r.fn: tests seeding values, admin work) are not
	// commands and are not checked.
	check := mutationCheck && r.fn == nil
	if check {
		s.mutCheckBegin(requestName(r))
	}
	blocked := s.runRequest(r)
	if check {
		s.mutCheckEnd()
	}
	if !blocked {
		s.release(r)
	}
}

// runRequest runs r and then serves the callers blocked on keys it wrote
// (Redis does it after each command; runBatch does it between a batch's
// commands). It reports whether r itself blocked: then it is registered
// and completed when served (blocking.go).
//
// A panicking handler is a bug in embedis, never the caller's fault. The
// executor recovers it rather than taking down the host process: r gets
// an error reply naming the command and the panic, and the store is
// broken from then on (every later command is refused with ErrBroken,
// Close still works), because a handler that stopped half-way may have
// left data inconsistent, and serving it would spread the damage (into
// snapshots, the log, replicas). Redis itself aborts the process on a
// failed assertion; this is the same decision without killing the
// program that embeds the store.
func (s *Store) runRequest(r *request) (blocked bool) {
	if s.broken != nil {
		r.reply = errValue(ErrBroken)
		if r.batch != nil {
			for i := range r.replies {
				r.replies[i] = r.reply
			}
		}
		return false
	}
	defer func() {
		if p := recover(); p != nil {
			s.breakOn(r, p)
			blocked = false
		}
	}()
	switch {
	case r.fn != nil:
		r.fn(s)
	case r.batch != nil:
		if s.runBatch(r, 0) {
			return true
		}
	default:
		s.blk.allow = true
		r.reply = s.dispatch(r.cl, r.args)
		s.blk.allow = false
		if r.reply.kind == kindBlocked {
			s.blockRequest(r, -1)
			return true
		}
	}
	s.handleReady()
	return false
}

// requestName describes r for the mutation check's messages.
func requestName(r *request) string {
	switch {
	case r.fn != nil:
		return "an internal job"
	case r.batch != nil:
		return fmt.Sprintf("a batch of %d commands %q", len(r.batch), r.batch)
	}
	return fmt.Sprintf("command %q", r.args)
}

// dispatch runs one command for cl on the executor goroutine: it finds the
// row, enforces arity and flags, and calls the handler.
func (s *Store) dispatch(cl *client, args []string) Value {
	if len(args) == 0 {
		return ErrorValue("ERR empty command")
	}
	cmd, errv, ok := resolve(args)
	if !ok {
		return s.rejectInMulti(cl, args, errv) // multi.go: an error aborts an open MULTI
	}
	if v, done := s.intercepted(cl, args); done { // testkit.go: fault injection
		return v
	}
	if cl.conn != nil {
		if errv, ok := s.checkSession(cl, cmd); !ok {
			return s.rejectInMulti(cl, args, errv)
		}
	}
	// cluster.go: keys in different slots are refused before the command
	// runs or is queued, as Redis Cluster does (a script's redis.call
	// is checked by the script host instead).
	if s.opts.ClusterEnabled && !cl.primary {
		if errv, ok := s.clusterCheck(cl, cmd, args); !ok {
			return errv
		}
	}
	if cl.conn != nil {
		// scripting.go: while a busy script answers other clients, only
		// allow-busy commands run; the rest are refused, which also
		// dooms an open MULTI (but a no-multi command inside MULTI gets
		// that error first, as in Redis).
		if s.script.serving && cmd.flags&flagAllowBusy == 0 {
			if t := txOf(cl); t == nil || !t.active || cmd.flags&flagNoMulti == 0 {
				return s.rejectInMulti(cl, args, s.busyValue())
			}
		}
		if s.persist.bgsaveErr != nil && s.misconf(cl, cmd) {
			return s.rejectInMulti(cl, args, errValue(ErrMisconf))
		}
		if v, deny := s.aofMisconf(cl, cmd); deny {
			return s.rejectInMulti(cl, args, v)
		}
		// multi.go: inside MULTI the command is queued, not run.
		if v, done := s.multiHook(cl, cmd, args); done {
			return v
		}
	} else if s.script.serving && cmd.flags&flagAllowBusy == 0 {
		return s.busyValue()
	} else if cmd.flags&flagConn != 0 {
		return ErrorValue("ERR '" + cmd.name + "' changes connection state and needs a connection; use Store.Database or a wire connection")
	}
	if s.persist.bgsaveErr != nil && cl.conn == nil && s.misconf(cl, cmd) {
		return errValue(ErrMisconf)
	}
	if v, deny := s.aofMisconf(cl, cmd); deny && cl.conn == nil {
		return v
	}
	return s.invoke(cl, cmd, args, false)
}

// invoke runs a resolved command's handler, one nesting level deeper: the
// last step of dispatch, and how EXEC runs its queued commands (multi set).
// The depth is what tells a handler whether it runs at the top of a
// request (and so may block) or inside EXEC or a script (and must not).
func (s *Store) invoke(cl *client, cmd *command, args []string, multi bool) Value {
	s.stats.commands++
	if s.callDepth == len(s.calls) {
		s.calls = append(s.calls, new(call))
	}
	c := s.calls[s.callDepth]
	*c = call{s: s, cl: cl, cmd: cmd, db: s.dbs[cl.db], args: args, now: s.now, multi: multi}
	s.callDepth++
	dirty := s.stats.dirty
	start := s.obsBegin() // obs.go: commandstats, SLOWLOG, LATENCY
	v := cmd.handler(c)
	s.obsEnd(c, start, v)
	if s.feed.on() {
		s.endCall(c, dirty)
	}
	s.callDepth--
	if s.callDepth == 0 && s.feed.on() {
		s.feed.endUnit()
	}
	*c = call{} // drop references to args and the client
	return v
}

// cron is the executor's periodic work.
func (s *Store) cron() {
	now := s.opts.Clock.Now().UnixMilli()
	for _, d := range s.dbs {
		d.keys.RehashSteps(100)
		d.expires.RehashSteps(100)
	}
	if !s.admin.activeExpireOff && !s.noSelfExpire {
		t := s.latencyStart() // latency.go: the expire-cycle event
		s.activeExpireCycle(now)
		s.latencyEnd("expire-cycle", t)
	}
	s.expireBlocked()
	s.persistCron()
	s.aofCron()
}

// exec runs one command for a DB handle and returns its reply.
func (d *DB) exec(ctx context.Context, args []string) (Value, error) {
	r := getRequest(d.cl)
	r.args = args
	return d.s.execRequest(ctx, r)
}

// execRequest submits a single-command request from getRequest and returns
// its reply, recycling r.
func (s *Store) execRequest(ctx context.Context, r *request) (Value, error) {
	// While a script runs, SCRIPT KILL, and BUSY for a DB handle's
	// commands, are answered here, without waiting for the executor
	// (scripting.go).
	if s.script.active.Load() {
		if v, ok := s.busyReply(r.cl, r.args); ok {
			putRequest(r)
			return v, nil
		}
	}
	if err := s.submit(ctx, r); err != nil {
		// r may still be in the queue, and then the executor recycles it.
		return Value{}, err
	}
	v := r.reply
	putRequest(r)
	return v, nil
}

// execArgs copies short argument vectors into the pooled request so that
// typed calls do not allocate one.
func (d *DB) execArgs(ctx context.Context, args ...string) (Value, error) {
	r := getRequest(d.cl)
	if len(args) <= len(r.argv) {
		n := copy(r.argv[:], args)
		r.args = r.argv[:n]
	} else {
		// Copied so that args itself never escapes to the heap.
		r.args = append([]string(nil), args...)
	}
	return d.s.execRequest(ctx, r)
}

// onExecutor runs fn on the executor goroutine, between commands, and waits
// for it to return.
func (s *Store) onExecutor(ctx context.Context, fn func(s *Store)) error {
	return s.onExecutorJob(ctx, fn, false)
}

// onExecutorJob is onExecutor, for a job that a busy script may run
// (request.busyOK) when busyOK is set.
func (s *Store) onExecutorJob(ctx context.Context, fn func(s *Store), busyOK bool) error {
	r := getRequest(nil)
	r.fn, r.busyOK = fn, busyOK
	if err := s.submit(ctx, r); err != nil {
		return err
	}
	putRequest(r)
	return nil
}

// Do runs any command by name, with its arguments, and returns the reply
// as a Value (see Value.Err for error replies; Do itself returns an error
// only when the store is closed or ctx ends first). Arguments may be
// strings, []byte, integers, floats, bools (1 or 0) and time.Duration
// (whole seconds); anything else is formatted with fmt.Sprint.
//
//	v, err := s.Do(ctx, "GETRANGE", "user:123", 0, 3)
func (d *DB) Do(ctx context.Context, args ...any) (Value, error) {
	if len(args) == 0 {
		return ErrorValue("ERR empty command"), nil
	}
	r := getRequest(d.cl)
	if len(args) <= len(r.argv) {
		// Converted straight into the pooled request: no argument slice
		// is allocated for short commands.
		for i, a := range args {
			r.argv[i] = argString(a)
		}
		r.args = r.argv[:len(args)]
	} else {
		r.args = make([]string, len(args))
		for i, a := range args {
			r.args[i] = argString(a)
		}
	}
	return d.s.execRequest(ctx, r)
}

// DoStrings is Do with string arguments, without conversion.
func (d *DB) DoStrings(ctx context.Context, args ...string) (Value, error) {
	if len(args) == 0 {
		return ErrorValue("ERR empty command"), nil
	}
	return d.exec(ctx, args)
}

func argString(a any) string {
	switch v := a.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case uint:
		return strconv.FormatUint(uint64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case uint32:
		return strconv.FormatUint(uint64(v), 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(v), 'f', -1, 32)
	case bool:
		if v {
			return "1"
		}
		return "0"
	case time.Duration:
		return strconv.FormatInt(int64(v/time.Second), 10)
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprint(a)
}

// breakOn handles a panic of a handler while serving r (see runRequest):
// it answers r with the panic, marks the store broken and resets the
// executor's per-request state, which the panic left half-way.
func (s *Store) breakOn(r *request, p any) {
	what := requestName(r)
	s.broken = fmt.Errorf("%w: %s panicked: %v\n%s", ErrBroken, what, p, debug.Stack())
	s.brokenPub.Store(&s.broken)
	reply := ErrorValue(fmt.Sprintf("ERR embedis internal error: %s panicked: %v", what, p))
	r.reply = reply
	for i := s.batchAt; i < len(r.replies); i++ {
		r.replies[i] = reply
	}
	if r.blk != nil {
		s.unregister(r.blk)
		r.blk = nil
	}
	s.callDepth = 0
	s.blk.allow, s.blk.serving = false, false
	s.feed.ops = nil
}

// Broken returns nil while the store works, and after a command panicked
// (a bug in embedis) an error wrapping ErrBroken with the command, the
// panic and its stack. From then on the store refuses every command with
// ErrBroken; Close it and open a new one (see runRequest for why).
func (s *Store) Broken() error {
	if p := s.brokenPub.Load(); p != nil {
		return *p
	}
	return nil
}
