package embedis

import (
	"context"
	"errors"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/embedis/embedis/internal/resp"
)

// The wire face: Serve speaks the Redis protocol on a listener, and
// DialContext returns an in-memory connection to the same sessions, so any
// Redis client can use a Store, with or without a port.
//
// Each connection has a session: one goroutine that reads requests, hands
// them to the executor and writes the replies. A session reads every
// request that has already arrived and submits them as one batch, so a
// pipeline of N commands costs one hand-off to the executor and one write,
// not N. The session's connection state (database, protocol, name, auth)
// lives in its *client and *session and is changed only by commands, on
// the executor; the session goroutine reads it between batches, after the
// executor has answered, so the two never touch it at the same time.
//
// Output outside the request/reply flow (pushes: pub/sub, MONITOR,
// invalidations) goes through the session's outbox (wire_out.go), which
// the executor fills without blocking; the session goroutine writes the
// pushes due between its replies, and a writer goroutine, started by a
// session's first push, writes those that arrive while it is idle.

// maxBatch bounds the commands submitted in one hand-off, so one client's
// long pipeline does not hold the executor for too long at once.
const maxBatch = 1024

// flushAt is the size of buffered reply bytes after which a session writes
// them out before encoding the rest.
const flushAt = 256 << 10

// Serve accepts connections on l and serves each one the Redis protocol
// (RESP2, and RESP3 after HELLO 3) until the Store is closed, then returns
// nil. Any other Accept error is returned. Serve may be called on several
// listeners at once; Close closes them all and every connection.
//
//	l, _ := net.Listen("tcp", "127.0.0.1:6380")
//	go s.Serve(l)
func (s *Store) Serve(l net.Listener) error {
	if !s.wire.addListener(l) {
		l.Close()
		return ErrClosed
	}
	defer s.wire.removeListener(l)
	var delay time.Duration
	for {
		c, err := l.Accept()
		if err != nil {
			if s.wire.isClosed() {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				// A transient failure (such as too many open files):
				// back off and try again, as net/http does.
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				time.Sleep(delay)
				continue
			}
			return err
		}
		delay = 0
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetNoDelay(true)
			tc.SetKeepAlive(true)
			tc.SetKeepAlivePeriod(300 * time.Second) // Redis's tcp-keepalive
		}
		s.startSession(c)
	}
}

// ListenAndServe listens on the TCP address addr ("127.0.0.1:6380") and
// calls Serve. It returns nil after Close, or the error that stopped it.
func (s *Store) ListenAndServe(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(l)
}

// DialContext returns a new in-memory connection to the store, served as a
// network connection would be but with no socket. Its signature is that of
// go-redis's Options.Dialer (network and addr are ignored):
//
//	rdb := redis.NewClient(&redis.Options{Dialer: s.DialContext})
//
// It returns ErrClosed after Close, and ctx's error if ctx has ended.
func (s *Store) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	id := s.wire.ids.Add(1)
	client, server := newPipe("embedis:"+strconv.FormatInt(id, 10), "embedis:0")
	if !s.startSessionID(server, id) {
		client.Close()
		return nil, ErrClosed
	}
	return client, nil
}

// wireState is the store's network face: its listeners and sessions. Safe
// for concurrent use.
type wireState struct {
	mu        sync.Mutex
	closed    bool
	listeners map[net.Listener]struct{}
	sessions  map[*session]struct{}
	byID      map[int64]*session // the same sessions by CLIENT ID
	wg        sync.WaitGroup     // one per session goroutine

	ids atomic.Int64 // the last client ID given out (CLIENT ID)
	// connections counts the connections accepted (INFO
	// total_connections_received).
	connections atomic.Int64

	// CLIENT PAUSE state, under pauseMu.
	pauseMu  sync.Mutex
	pauseEnd time.Time     // zero when not paused
	pauseAll bool          // ALL (every command) rather than WRITE
	unpaused chan struct{} // closed by unpause, to wake waiting sessions

	// maxBulk and maxQuery are proto-max-bulk-len and
	// client-query-buffer-limit as CONFIG SET last set them (0: default).
	maxBulk  atomic.Int64
	maxQuery atomic.Int64

	// outLimits is client-output-buffer-limit as last parsed (wire_out.go).
	// Owned by the executor.
	outLimits outLimits
	// outDisconnects counts clients closed for their output buffer limit.
	outDisconnects atomic.Int64

	// password is requirepass as the sessions see it: Options.Password
	// until CONFIG SET requirepass changes it. nil means Options.Password.
	password atomic.Pointer[string]
}

func (w *wireState) addListener(l net.Listener) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return false
	}
	if w.listeners == nil {
		w.listeners = map[net.Listener]struct{}{}
	}
	w.listeners[l] = struct{}{}
	return true
}

func (w *wireState) removeListener(l net.Listener) {
	w.mu.Lock()
	delete(w.listeners, l)
	w.mu.Unlock()
}

func (w *wireState) isClosed() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.closed
}

// shutdown closes the listeners and connections and waits for every session
// goroutine to return. Called by Store.Close after the executor has
// stopped, so sessions waiting for a reply get ErrClosed.
func (w *wireState) shutdown() {
	w.mu.Lock()
	w.closed = true
	for l := range w.listeners {
		l.Close()
	}
	for ss := range w.sessions {
		ss.cancel()
		ss.conn.Close()
	}
	w.mu.Unlock()
	w.wg.Wait()
}

// pause suspends sessions until end (CLIENT PAUSE): every command when
// all, else only commands that write. Extending a pause keeps the later end
// and the stricter mode, as Redis does.
func (w *wireState) pause(end time.Time, all bool) {
	w.pauseMu.Lock()
	defer w.pauseMu.Unlock()
	if w.pauseEnd.IsZero() || time.Now().After(w.pauseEnd) {
		w.pauseEnd, w.pauseAll = end, all
	} else {
		if end.After(w.pauseEnd) {
			w.pauseEnd = end
		}
		w.pauseAll = w.pauseAll || all
	}
	if w.unpaused == nil {
		w.unpaused = make(chan struct{})
	}
}

// unpause ends a pause (CLIENT UNPAUSE).
func (w *wireState) unpause() {
	w.pauseMu.Lock()
	defer w.pauseMu.Unlock()
	w.pauseEnd = time.Time{}
	if w.unpaused != nil {
		close(w.unpaused)
		w.unpaused = nil
	}
}

// waitPause holds a batch while a CLIENT PAUSE applies to it. It returns
// false when ctx ends first.
func (w *wireState) waitPause(ctx context.Context, batch [][]string) bool {
	for {
		w.pauseMu.Lock()
		end, all, ch := w.pauseEnd, w.pauseAll, w.unpaused
		w.pauseMu.Unlock()
		if end.IsZero() {
			return true
		}
		d := time.Until(end)
		if d <= 0 || !all && !batchWrites(batch) {
			return true
		}
		t := time.NewTimer(d)
		select {
		case <-ch:
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return false
		}
		t.Stop()
	}
}

// batchWrites reports whether a batch has a command that CLIENT PAUSE
// WRITE holds: one that writes or may replicate.
func batchWrites(batch [][]string) bool {
	for _, args := range batch {
		cmd, _, ok := resolve(args)
		if ok && cmd.flags&(flagWrite|flagMayReplicate) != 0 {
			return true
		}
	}
	return false
}

// requirePass returns the password connections must AUTH with ("" for
// none).
func (s *Store) requirePass() string {
	if p := s.wire.password.Load(); p != nil {
		return *p
	}
	return s.opts.Password
}

// session is one client connection.
type session struct {
	s    *Store
	conn net.Conn
	cl   *client
	id   int64
	rd   *resp.Reader
	out  []byte
	// src is what rd reads: the connection, after any bytes the
	// disconnect watcher read while a batch was blocked (blocking.go).
	src *connSource

	created time.Time
	ctx     context.Context
	cancel  context.CancelFunc

	// Owned by the executor: changed by commands, read by the session
	// goroutine only between batches.
	authenticated bool
	name          string
	libName       string
	libVer        string
	lastCmd       string
	lastActive    time.Time
	closeAfter    bool // QUIT, or CLIENT KILL of itself: close after replying
	noEvict       bool
	noTouch       bool
	// tx is the MULTI/WATCH state (multi.go). Also reached by other
	// clients' writes, which invalidate its watches: the session
	// goroutine reads only tx.held, an atomic.
	tx txState

	// readAt is when the session read the batch being served (set by
	// the session goroutine before it submits the batch, read by the
	// executor while serving it): a command's activity time, as Redis
	// takes its lastinteraction when it reads the query.
	readAt time.Time

	// Owned by the session goroutine: CLIENT REPLY modes.
	replyOff  bool
	replySkip bool

	// ob is the out-of-band output (pushes) and its ordering against
	// replies (wire_out.go).
	ob outbox

	// psub is the session's pub/sub subscriptions (pubsub.go), nil
	// before its first (UN)SUBSCRIBE. Owned by the executor; psHeld tells
	// the session goroutine it must release them when the session ends.
	psub   *subscriber
	psHeld atomic.Bool
}

func (s *Store) startSession(c net.Conn) {
	s.startSessionID(c, s.wire.ids.Add(1))
}

func (s *Store) startSessionID(c net.Conn, id int64) bool {
	now := time.Now()
	ss := &session{
		s:          s,
		conn:       c,
		id:         id,
		src:        &connSource{conn: c},
		created:    now,
		lastActive: now,
	}
	ss.rd = resp.NewReader(ss.src)
	ss.cl = &client{db: 0, proto: 2, conn: ss}
	ss.authenticated = s.requirePass() == ""
	ss.ctx, ss.cancel = context.WithCancel(context.Background())
	w := &s.wire
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		ss.cancel()
		c.Close()
		return false
	}
	if w.sessions == nil {
		w.sessions = map[*session]struct{}{}
		w.byID = map[int64]*session{}
	}
	w.sessions[ss] = struct{}{}
	w.byID[ss.id] = ss
	w.wg.Add(1)
	w.mu.Unlock()
	w.connections.Add(1)
	go ss.serve()
	return true
}

// authRequired reports whether the session must still AUTH (Redis's
// authRequired).
func (ss *session) authRequired() bool {
	return !ss.authenticated && ss.s.requirePass() != ""
}

// endsBatch reports whether a command changes how the commands after it
// are read or answered (the protocol, the auth state, the connection's
// life), so nothing after it may be submitted in the same batch.
func endsBatch(args []string) bool {
	n := args[0]
	return eqFold(n, "hello") || eqFold(n, "reset") || eqFold(n, "quit") || eqFold(n, "auth")
}

// serve is the session goroutine.
func (ss *session) serve() {
	w := &ss.s.wire
	defer func() {
		ss.cancel()
		ss.conn.Close()
		ss.closeOutbox()
		if ss.tx.held.Load() {
			// Release the watches, which live in the executor's registry
			// (multi.go).
			ss.s.releaseWatches(&ss.tx)
		}
		if ss.psHeld.Load() {
			ss.releaseSubscriptions() // pubsub.go
		}
		w.mu.Lock()
		delete(w.sessions, ss)
		delete(w.byID, ss.id)
		w.mu.Unlock()
		w.wg.Done()
	}()
	var batch [][]string
	var replies []Value
	// carry is a command read but left for the next batch: a command that
	// may block runs in a batch of its own (see below).
	var carry []string
	for {
		unauth := ss.authRequired()
		ss.rd.Unauthenticated = unauth
		ss.rd.MaxBulk = w.maxBulk.Load()
		ss.rd.MaxQuery = int(w.maxQuery.Load())
		args := carry
		carry = nil
		if args == nil {
			var err error
			args, err = ss.rd.ReadCommand()
			if err != nil {
				if !ss.replyOff {
					ss.writeProtocolError(err)
				}
				// Redis stops reading from the client and drops it once
				// its replies are out; with CLIENT REPLY OFF there are
				// none.
				return
			}
		}
		batch = append(batch[:0], args)
		var perr error
		// A command that may block (BLPOP, XREAD BLOCK ...) is submitted
		// alone: the replies before it go out before it waits, and the
		// commands after it are read only once it is answered, as Redis
		// answers a pipeline.
		mayBlock := cmdMayBlock(args)
		if !unauth && !endsBatch(args) && !mayBlock {
			for len(batch) < maxBatch {
				args, err := ss.rd.Buffered()
				if err != nil {
					perr = err
					break
				}
				if args == nil {
					break
				}
				if cmdMayBlock(args) {
					carry = args
					break
				}
				batch = append(batch, args)
				if endsBatch(args) {
					break
				}
			}
		}
		if cap(replies) < len(batch) {
			replies = make([]Value, len(batch))
		}
		replies = replies[:len(batch)]
		if !w.waitPause(ss.ctx, batch) {
			return
		}
		ss.readAt = time.Now()
		// While a script runs, SCRIPT KILL outside MULTI is answered
		// here, without the executor (scripting.go).
		busy := ss.s.busyBatch(ss.cl, batch, replies)
		if !busy {
			r := getRequest(ss.cl)
			r.batch, r.replies = batch, replies
			// A batch that may block leaves the connection unread for as
			// long as it waits: watch it meanwhile, so that a client that
			// goes away is noticed and its blocked call dropped.
			var stopWatch func()
			if mayBlock {
				stopWatch = ss.watchConn()
			}
			serr := ss.s.submit(ss.ctx, r)
			if stopWatch != nil {
				stopWatch()
			}
			if serr != nil {
				// The store is closing (or the session was cancelled); r may
				// still be queued, and the executor drops it.
				return
			}
			putRequest(r)
		}
		if !ss.writeReplies(batch, replies, !busy, perr) {
			return
		}
		clear(batch)
		if perr != nil || ss.closeAfter {
			return
		}
	}
}

// writeReplies writes a batch's replies, with the pushes due before,
// between and after them (wire_out.go), and then the error of a broken
// request, perr, if any. counted says the executor produced the replies
// (and counted them); BUSY replies it did not. It reports false when the
// connection failed.
func (ss *session) writeReplies(batch [][]string, replies []Value, counted bool, perr error) bool {
	ob := &ss.ob
	ob.wmu.Lock()
	defer ob.wmu.Unlock()
	var pushed int64 // push bytes in ss.out, taken off pending once written
	write := func() bool {
		_, err := ss.conn.Write(ss.out)
		ss.out = ss.out[:0]
		ob.pending.Add(-pushed)
		pushed = 0
		return err == nil
	}
	base := ob.written
	ss.out = ss.out[:0]
	for i, v := range replies {
		if counted && ob.queued.Load() > 0 {
			var n int64
			ss.out, n = ob.takePushes(ss.out, base+uint64(i))
			pushed += n
		}
		if ss.replyMode(batch[i], v) {
			ss.out = appendReply(ss.out, v, ss.cl.proto)
		}
		replies[i] = Value{}
		if len(ss.out) >= flushAt && !write() {
			return false
		}
	}
	if counted {
		ob.setWritten(base + uint64(len(replies)))
		if ob.queued.Load() > 0 {
			var n int64
			ss.out, n = ob.takePushes(ss.out, ob.written)
			pushed += n
		}
	}
	if perr != nil && !ss.replyOff {
		ss.out = resp.AppendError(ss.out, "ERR "+perr.Error())
	}
	if len(ss.out) > 0 && !write() {
		return false
	}
	if cap(ss.out) > 4*flushAt {
		ss.out = nil // do not keep a huge reply's buffer
	}
	return true
}

// writeProtocolError answers a request that broke the protocol, as Redis
// does before closing the connection.
func (ss *session) writeProtocolError(err error) {
	if !resp.IsProtocolError(err) {
		return
	}
	ss.ob.wmu.Lock()
	ss.conn.Write(resp.AppendError(ss.out[:0], "ERR "+err.Error()))
	ss.ob.wmu.Unlock()
}

// replyMode applies CLIENT REPLY ON|OFF|SKIP and reports whether the reply
// v to args is to be sent.
func (ss *session) replyMode(args []string, v Value) bool {
	send := !ss.replyOff && !ss.replySkip
	ss.replySkip = false
	if len(args) == 1 && v.kind == KindSimple && v.str == "RESET" && eqFold(args[0], "reset") {
		ss.replyOff = false
		return true
	}
	if len(args) == 3 && v.kind == KindSimple && eqFold(args[0], "client") && eqFold(args[1], "reply") {
		switch {
		case eqFold(args[2], "on"):
			ss.replyOff = false
			return true
		case eqFold(args[2], "off"):
			ss.replyOff = true
			return false
		case eqFold(args[2], "skip"):
			if !ss.replyOff {
				ss.replySkip = true
			}
			return false
		}
	}
	return send
}

// checkSession applies a wire session's rules to a command about to run:
// NOAUTH before AUTH. It runs on the executor, from dispatch.
func (s *Store) checkSession(cl *client, cmd *command) (Value, bool) {
	ss, ok := cl.conn.(*session)
	if !ok {
		return Value{}, true
	}
	if cmd.flags&flagNoAuth == 0 && ss.authRequired() {
		return errValue(ErrNoAuth), false
	}
	if ss.psub != nil && cl.proto == 2 && ss.psub.total() > 0 && !allowedSubscribed(cmd) {
		return errSubscribedMode(cmd), false // pubsub.go
	}
	ss.lastCmd = cmd.name
	ss.lastActive = ss.readAt
	return Value{}, true
}
