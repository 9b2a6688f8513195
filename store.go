package embedis

import (
	"context"
	"fmt"
	"math/rand/v2"
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

	closed    atomic.Bool
	closeOnce sync.Once
	quit      chan struct{} // closed by Close: the executor drains and exits
	exited    chan struct{} // closed by the executor when it has exited

	// Everything below is owned by the executor goroutine.

	dbs   []*db
	rnd   *rand.Rand
	stats stats
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
	s.q.init()
	s.dbs = make([]*db, o.Databases)
	s.handles = make([]*DB, o.Databases)
	for i := range s.dbs {
		s.dbs[i] = newDB(i)
		s.handles[i] = &DB{s: s, cl: &client{db: i, proto: 3}}
	}
	s.DB = s.handles[0]
	go s.run()
	return s, nil
}

// Close stops the store: calls waiting in the queue and every later call
// return ErrClosed, and the executor goroutine exits before Close returns.
// Close is idempotent and always returns nil for an in-memory store.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		close(s.quit)
	})
	<-s.exited
	s.wire.shutdown()
	return nil
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
}

// request is one hand-off from a caller to the executor: a command, or a
// batch of commands run in one executor turn.
type request struct {
	cl *client

	// A single command: args in, reply out.
	args  []string
	argv  [4]string // backing store for short commands, so they need no allocation
	reply Value

	// A batch (pipeline): each arg vector runs in turn; replies[i] is the
	// reply to batch[i].
	batch   [][]string
	replies []Value

	// fn, when set, is run on the executor instead of a command: internal
	// jobs such as the invariant check of tests.
	fn func(s *Store)

	// state is reqQueued until the executor takes the request (reqTaken)
	// or the caller gives up waiting (reqAbandoned) before that: whichever
	// CAS wins decides whether the command runs.
	state atomic.Int32
	done  chan struct{} // receives one value when the reply is ready
}

const (
	reqQueued int32 = iota
	reqTaken
	reqAbandoned
)

var requestPool = sync.Pool{New: func() any { return &request{done: make(chan struct{}, 1)} }}

func getRequest(cl *client) *request {
	r := requestPool.Get().(*request)
	r.cl = cl
	r.state.Store(reqQueued)
	return r
}

func putRequest(r *request) {
	clear(r.argv[:])
	r.args, r.batch, r.replies, r.reply, r.cl, r.fn = nil, nil, nil, Value{}, nil, nil
	requestPool.Put(r)
}

// queue is the executor's inbox: callers append under mu and wake the
// executor; the executor swaps the whole slice out, so every request waiting
// at a wake-up is served in that turn.
type queue struct {
	mu      sync.Mutex
	pending []*request
	wake    chan struct{} // capacity 1: a pending wake-up
}

func (q *queue) init() { q.wake = make(chan struct{}, 1) }

func (q *queue) push(r *request) {
	q.mu.Lock()
	q.pending = append(q.pending, r)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// take returns the waiting requests, handing the previous batch's slice back
// for reuse.
func (q *queue) take(spare []*request) []*request {
	q.mu.Lock()
	b := q.pending
	q.pending = spare[:0]
	q.mu.Unlock()
	return b
}

// submit hands r to the executor and waits for the reply or for ctx. When
// ctx ends before the executor has taken r, the command does not run and
// ctx's error is returned; once taken, the command completes and its reply
// is returned, since commands are short and the caller must learn whether
// a write happened.
func (s *Store) submit(ctx context.Context, r *request) error {
	if s.closed.Load() {
		return ErrClosed
	}
	s.q.push(r)
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		if r.state.CompareAndSwap(reqQueued, reqAbandoned) {
			return ctx.Err()
		}
	case <-s.exited:
		// Close raced with the push: the executor's final drain may have
		// missed r.
		if r.state.CompareAndSwap(reqQueued, reqAbandoned) {
			return ErrClosed
		}
	}
	<-r.done
	return nil
}

// run is the executor goroutine.
func (s *Store) run() {
	defer close(s.exited)
	tick := time.NewTicker(time.Second / time.Duration(s.opts.Hz))
	defer tick.Stop()
	var batch []*request
	for {
		select {
		case <-s.q.wake:
		case <-tick.C:
			s.cron()
			continue
		case <-s.quit:
			// Serve nothing more: fail what is queued, and anything that
			// raced with the closed flag.
			for _, r := range s.q.take(nil) {
				s.fail(r)
			}
			return
		}
		batch = s.q.take(batch)
		for i, r := range batch {
			s.serve(r)
			batch[i] = nil
		}
	}
}

func (s *Store) fail(r *request) {
	if !r.state.CompareAndSwap(reqQueued, reqTaken) {
		return
	}
	r.reply = ErrorValue("ERR " + ErrClosed.Error())
	for i := range r.batch {
		r.replies[i] = r.reply
	}
	r.done <- struct{}{}
}

// serve runs one request on the executor.
func (s *Store) serve(r *request) {
	if !r.state.CompareAndSwap(reqQueued, reqTaken) {
		putRequest(r) // abandoned by its caller, who no longer holds it
		return
	}
	switch {
	case r.fn != nil:
		r.fn(s)
	case r.batch != nil:
		for i, args := range r.batch {
			r.replies[i] = s.dispatch(r.cl, args)
		}
	default:
		r.reply = s.dispatch(r.cl, r.args)
	}
	r.done <- struct{}{}
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
	if cl.conn != nil {
		if errv, ok := s.checkSession(cl, cmd); !ok {
			return s.rejectInMulti(cl, args, errv)
		}
		// multi.go: inside MULTI the command is queued, not run.
		if v, done := s.multiHook(cl, cmd, args); done {
			return v
		}
	} else if cmd.flags&flagConn != 0 {
		return ErrorValue("ERR '" + cmd.name + "' changes connection state and needs a connection; use Store.Database or a wire connection")
	}
	s.stats.commands++
	c := call{s: s, cl: cl, cmd: cmd, db: s.dbs[cl.db], args: args, now: s.opts.Clock.Now().UnixMilli()}
	return cmd.handler(&c)
}

// cron is the executor's periodic work.
func (s *Store) cron() {
	now := s.opts.Clock.Now().UnixMilli()
	for _, d := range s.dbs {
		d.keys.RehashSteps(100)
		d.expires.RehashSteps(100)
	}
	if !s.admin.activeExpireOff {
		s.activeExpireCycle(now)
	}
}

// exec runs one command for a DB handle and returns its reply.
func (d *DB) exec(ctx context.Context, args []string) (Value, error) {
	r := getRequest(d.cl)
	r.args = args
	if err := d.s.submit(ctx, r); err != nil {
		// r may still be in the queue; the executor drops it.
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
	if err := d.s.submit(ctx, r); err != nil {
		// r may still be in the queue; the executor drops it.
		return Value{}, err
	}
	v := r.reply
	putRequest(r)
	return v, nil
}

// onExecutor runs fn on the executor goroutine, between commands, and waits
// for it to return.
func (s *Store) onExecutor(ctx context.Context, fn func(s *Store)) error {
	r := getRequest(nil)
	r.fn = fn
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
	ss := make([]string, len(args))
	for i, a := range args {
		ss[i] = argString(a)
	}
	return d.exec(ctx, ss)
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
