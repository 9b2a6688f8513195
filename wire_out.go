package embedis

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Out-of-band output: messages the executor sends to a connection outside
// the request/reply flow (pub/sub messages, MONITOR lines, client-tracking
// invalidations, a replica's stream). The executor must never wait for a
// client, so it cannot write to a connection itself: it hands a message to
// the connection's outConn, which queues it and lets the connection's own
// goroutine write it.
//
// # The interface
//
// outConn (below) is all the executor knows of a connection's output. Its
// methods run on the executor and never block. The goroutine-per-connection
// path implements it with the session's outbox (this file); an event-loop
// path, where one goroutine owns every socket's output buffer, would
// implement it by appending the encoded message to that buffer and
// registering the socket for writability: the same contract, and the
// ordering below comes for free there, since replies and pushes are
// appended to one buffer in the order the executor produces them.
//
// # Ordering guarantee
//
// For each connection, the bytes go out in the order the executor produced
// them: a reply is produced when its command returns, a push when push is
// called. So a push published while a command of the same client runs
// (PUBLISH to a channel the client itself is subscribed to, in RESP3)
// precedes that command's reply, as redis-server 7.0.15 writes
// ":1 >message :1 :2" for INCR; PUBLISH (to itself); INCR; a push published after the
// executor finished a command follows that command's reply, even when the
// session goroutine has not written the reply yet; a push published before
// the executor took a command precedes its reply, though the client may
// have sent the command earlier. Replies answered without the executor
// (BUSY while a script runs) are not ordered against pushes.
//
// How the goroutine path keeps it. Replies are encoded and written by the
// session goroutine after the executor answers a whole batch, so the two
// sides count replies: the executor counts the replies it produced for the
// session (produced, bumped by replied), and tags each push with that
// count: "after reply n". The session goroutine counts the replies it has
// written (written). A push tagged n may go out once written >= n, and
// must go out before reply n. Both writers, the session goroutine with a
// batch of replies and the outbox's writer goroutine with pushes that
// arrive while the session is idle (or blocked in BLPOP), hold wmu while
// they write, and each writes the pushes whose turn has come. The
// interleavings this prevents:
//
//   - The client pipelines INCR; PUBLISH (to itself); INCR. Without tags
//     the push would go after the whole batch's replies, or, written at
//     once by the writer goroutine, before the first INCR's reply, which
//     the executor produced first.
//   - The executor finishes GET k for a client, then a write from another
//     client publishes an invalidation of k to it. The session goroutine
//     has the reply but has not written it; the writer goroutine wakes
//     first. Without the tag it would write the invalidation before the
//     stale value, and a tracking client would cache the stale value
//     forever.
//   - Both goroutines write at once: without wmu the bytes of a push and a
//     reply could interleave inside one frame (the in-memory pipe splits
//     large writes).
//
// # Output buffer limits
//
// Pushes queued and not yet written count against client-output-buffer-
// limit for the connection's class (normal, replica, pubsub; a MONITOR
// client is normal, as in Redis). Reaching the hard limit closes the
// client at once; staying at or over the soft limit for longer than its
// seconds (measured on the store's clock, checked when a push arrives, as
// Redis checks when it adds output) closes it too. A client's replies to
// its own commands are not counted: the session goroutine writes them
// before it reads the client's next commands, so a client that does not
// read its replies is held by TCP backpressure instead, which is what
// Redis's default of no limit for the normal class amounts to.
//
// An in-process subscriber of a future typed API (a Go channel) can
// implement outConn too: push appends to a bounded queue that a goroutine
// of its own feeds into the channel, and the same limits apply.
//
// CLIENT REPLY OFF and SKIP silence replies only; pushes are still sent,
// as redis-server 7.0.15 sends pub/sub messages to a client with replies
// off.

// outConn is a client connection as the executor sees it for output
// outside the request/reply flow. Every method is called on the executor
// goroutine only and never blocks.
type outConn interface {
	// clientID is the connection's CLIENT ID.
	clientID() int64
	// push queues v for the client, encoded as its protocol is now (a
	// KindPush value is a '>' push in RESP3 and an array in RESP2; any
	// other kind is encoded as a reply would be, as MONITOR's status
	// lines are). It reports false, dropping v, when the connection is
	// closed or v took it over its output buffer limit, which closes it.
	push(v Value) bool
	// setOutputClass sets the class whose client-output-buffer-limit
	// applies (pub/sub code sets outPubSub on the first subscription and
	// outNormal after the last; replication sets outReplica).
	setOutputClass(c outClass)
	// outputPending is the bytes queued and not yet written (CLIENT LIST
	// omem, the limits).
	outputPending() int64
	// replied tells the connection that the executor has produced the
	// reply to one of its commands (the ordering guarantee above). The
	// executor calls it for every command of a batch it answers.
	replied()
}

// outClass is a class of client-output-buffer-limit.
type outClass uint8

const (
	outNormal outClass = iota
	outReplica
	outPubSub
	numOutClasses
)

// outLimit is one class's client-output-buffer-limit; zeros disable.
type outLimit struct {
	hard, soft int64
	softSecs   int64
}

// outLimits is the parsed client-output-buffer-limit. Owned by the
// executor.
type outLimits struct {
	src  string // the config text parsed into lim
	lim  [numOutClasses]outLimit
	init bool
}

// defaultOutLimits is Redis's default client-output-buffer-limit.
var defaultOutLimits = [numOutClasses]outLimit{
	outNormal:  {},
	outReplica: {hard: 256 << 20, soft: 64 << 20, softSecs: 60},
	outPubSub:  {hard: 32 << 20, soft: 8 << 20, softSecs: 60},
}

// parseOutLimits parses "class hard soft seconds ..." (classes normal,
// replica or slave, pubsub; sizes with units such as 32mb) over base, as
// Redis applies a CONFIG SET of some classes only. It reports false on a
// malformed text.
func parseOutLimits(text string, base [numOutClasses]outLimit) ([numOutClasses]outLimit, bool) {
	f := strings.Fields(text)
	if len(f)%4 != 0 {
		return base, false
	}
	out := base
	for i := 0; i < len(f); i += 4 {
		var c outClass
		switch strings.ToLower(f[i]) {
		case "normal":
			c = outNormal
		case "replica", "slave":
			c = outReplica
		case "pubsub":
			c = outPubSub
		default:
			return base, false
		}
		hard, ok1 := configParseMemory(f[i+1])
		soft, ok2 := configParseMemory(f[i+2])
		secs, err := strconv.ParseInt(f[i+3], 10, 64)
		if !ok1 || !ok2 || err != nil || hard < 0 || soft < 0 || secs < 0 {
			return base, false
		}
		out[c] = outLimit{hard: hard, soft: soft, softSecs: secs}
	}
	return out, true
}

// outLimit returns the limit of class c as CONFIG holds it now. Executor
// only: the parse is redone only when the text changed.
func (s *Store) outLimit(c outClass) outLimit {
	ol := &s.wire.outLimits
	text := s.configValues()["client-output-buffer-limit"]
	if !ol.init || text != ol.src {
		if lim, ok := parseOutLimits(text, defaultOutLimits); ok {
			ol.lim = lim
		} else if !ol.init {
			ol.lim = defaultOutLimits
		}
		ol.src, ol.init = text, true
	}
	return ol.lim[c]
}

// outConnByID returns the connection with CLIENT ID id, or nil. Executor
// or any goroutine.
func (s *Store) outConnByID(id int64) outConn {
	s.wire.mu.Lock()
	ss := s.wire.byID[id]
	s.wire.mu.Unlock()
	if ss == nil {
		return nil
	}
	return ss
}

// outConnOf returns the connection of the client issuing a command, or
// nil for a typed call or Do, which have none. A command such as SUBSCRIBE
// keeps what it returns to push to later.
func outConnOf(cl *client) outConn {
	if ss, ok := cl.conn.(*session); ok {
		return ss
	}
	return nil
}

// outConns returns the open connections in CLIENT ID order (the sessions
// CLIENT LIST and CLIENT KILL see).
func (s *Store) outConns() []outConn {
	ss := s.sessions()
	out := make([]outConn, len(ss))
	for i, x := range ss {
		out[i] = x
	}
	return out
}

// outbox is a session's out-of-band output: the goroutine-per-connection
// implementation of outConn.
type outbox struct {
	// Owned by the executor.
	produced  uint64    // replies produced for the session (replied)
	class     outClass  // which client-output-buffer-limit applies
	softSince time.Time // since when over the soft limit; zero when not
	dead      bool      // closed (by a limit, or found closed): pushes are dropped

	// pending is the bytes of pushes queued or being written: the output
	// buffer's size for the limits. Added by the executor, taken off by
	// whoever wrote them.
	pending atomic.Int64
	// queued is the number of pushes in q, so that the reply path can
	// skip mu when there are none.
	queued atomic.Int32

	// wmu is held by whoever writes to the connection (the session
	// goroutine with replies, the writer goroutine with pushes), so that
	// frames never interleave and pushes are placed between replies.
	wmu sync.Mutex

	mu      sync.Mutex
	q       []pushItem // in publish order; q[head:] are queued
	head    int
	written uint64 // replies the session goroutine has written (or skipped by CLIENT REPLY); set under wmu too
	closed  bool   // the session has ended
	writer  bool   // the writer goroutine was started

	wake chan struct{} // capacity 1: pushes arrived, or closed
	done chan struct{} // closed when the writer goroutine exits
}

// pushItem is one encoded push, to be written after reply number after.
type pushItem struct {
	after uint64
	b     []byte
}

// outputDisconnects counts clients closed for their output buffer limit
// (INFO client_output_buffer_limit_disconnections).
func (s *Store) outputDisconnects() int64 { return s.wire.outDisconnects.Load() }

func (ss *session) clientID() int64 { return ss.id }

func (ss *session) setOutputClass(c outClass) { ss.ob.class = c }

func (ss *session) outputPending() int64 { return ss.ob.pending.Load() }

func (ss *session) replied() { ss.ob.produced++ }

// noteReply calls replied for cl's connection, if it has one: the
// executor's hook after each command of a batch (runBatch). A concrete
// type assertion, cheaper than one to outConn on this hot path; an
// event-loop connection type would add its own case (or nothing, since
// its ordering needs no count).
func noteReply(cl *client) {
	if ss, ok := cl.conn.(*session); ok {
		ss.replied()
	}
}

func (ss *session) push(v Value) bool {
	if ss.ob.dead {
		return false
	}
	return ss.pushEncoded(appendReply(nil, v, ss.cl.proto))
}

// pushEncoded is push of a value already encoded in the session's
// protocol, which the session keeps and never modifies (so a publisher
// may encode a message once for all its subscribers).
func (ss *session) pushEncoded(b []byte) bool {
	ob := &ss.ob
	if ob.dead {
		return false
	}
	n := int64(len(b))
	if ss.overOutputLimit(ob.pending.Load() + n) {
		ob.dead = true
		ss.s.wire.outDisconnects.Add(1)
		ss.kill()
		return false
	}
	ob.mu.Lock()
	if ob.closed {
		ob.mu.Unlock()
		ob.dead = true
		return false
	}
	ob.pending.Add(n)
	ob.q = append(ob.q, pushItem{after: ob.produced, b: b})
	ob.queued.Add(1)
	start := !ob.writer
	if start {
		ob.writer = true
		ob.wake = make(chan struct{}, 1)
		ob.done = make(chan struct{})
	}
	wake := ob.wake
	ob.mu.Unlock()
	if start {
		go ss.writePushes(wake)
	}
	signal(wake)
	return true
}

// overOutputLimit applies the class's limit to a buffer of used bytes, as
// Redis's checkClientOutputBufferLimits: at the hard limit at once; at the
// soft limit when it has been so, at every check, for longer than the
// limit's seconds.
func (ss *session) overOutputLimit(used int64) bool {
	ob := &ss.ob
	lim := ss.s.outLimit(ob.class)
	if lim.hard > 0 && used >= lim.hard {
		return true
	}
	if lim.soft == 0 || used < lim.soft {
		ob.softSince = time.Time{}
		return false
	}
	now := ss.s.opts.Clock.Now()
	if ob.softSince.IsZero() {
		ob.softSince = now
		return false
	}
	return now.Sub(ob.softSince) > time.Duration(lim.softSecs)*time.Second
}

// takePushes appends to b the queued pushes due after at most upTo
// replies, and returns their byte count. Called with wmu held.
func (ob *outbox) takePushes(b []byte, upTo uint64) ([]byte, int64) {
	var n int64
	ob.mu.Lock()
	for ob.head < len(ob.q) && ob.q[ob.head].after <= upTo {
		b = append(b, ob.q[ob.head].b...)
		n += int64(len(ob.q[ob.head].b))
		ob.q[ob.head] = pushItem{}
		ob.head++
	}
	if ob.head == len(ob.q) {
		ob.q, ob.head = ob.q[:0], 0
	}
	ob.queued.Store(int32(len(ob.q) - ob.head))
	ob.mu.Unlock()
	return b, n
}

// setWritten records that the session goroutine has written (or skipped)
// the replies up to n. Called with wmu held.
func (ob *outbox) setWritten(n uint64) {
	ob.mu.Lock()
	ob.written = n
	ob.mu.Unlock()
}

// writePushes is the writer goroutine, started by the first push: it
// writes the pushes whose turn has come whenever pushes arrive, until the
// session ends.
func (ss *session) writePushes(wake chan struct{}) {
	ob := &ss.ob
	defer close(ob.done)
	var buf []byte
	for range wake {
		ob.mu.Lock()
		closed := ob.closed
		ob.mu.Unlock()
		if closed {
			return
		}
		ob.wmu.Lock()
		var err error
		buf, err = ss.flushPushesLocked(buf)
		ob.wmu.Unlock()
		if err != nil {
			ss.kill() // the connection is broken: end the session
		}
		if cap(buf) > 4*flushAt {
			buf = nil
		}
	}
}

// flushPushesLocked writes the queued pushes due after the replies
// already written, using buf, and returns buf for reuse. Called with wmu
// held.
func (ss *session) flushPushesLocked(buf []byte) ([]byte, error) {
	ob := &ss.ob
	buf, n := ob.takePushes(buf[:0], ob.written)
	if len(buf) == 0 {
		return buf, nil
	}
	_, err := ss.conn.Write(buf)
	ob.pending.Add(-n)
	return buf, err
}

// closeOutbox ends the outbox when the session ends (after the
// connection is closed, so a write in progress fails) and waits for its
// writer goroutine.
func (ss *session) closeOutbox() {
	ob := &ss.ob
	ob.mu.Lock()
	ob.closed = true
	started := ob.writer
	ob.q, ob.head = nil, 0
	ob.queued.Store(0)
	ob.mu.Unlock()
	if started {
		signal(ob.wake)
		<-ob.done
	}
}

// pushToClient pushes v to the connection with CLIENT ID id, on the
// executor, and reports whether it was queued. For tests and debugging
// until pub/sub and MONITOR use outConn.
func (s *Store) pushToClient(id int64, v Value) (queued bool, err error) {
	err = s.onExecutor(context.Background(), func(s *Store) {
		if oc := s.outConnByID(id); oc != nil {
			queued = oc.push(v)
		}
	})
	return queued, err
}
