package embedis

import (
	"context"
	"strings"
	"sync/atomic"
)

// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH (Redis's multi.c).
//
// MULTI. Between MULTI and EXEC a client's commands are checked against
// the command table (unknown command, arity, no-multi flag, auth) and
// queued instead of run; the reply to each is QUEUED. A command refused
// at queue time poisons the transaction: EXEC then runs nothing and
// replies EXECABORT. EXEC runs the queue inside the one handler call of
// EXEC, so inside one executor turn: no other client's command can come
// between two of its commands. A command that fails when run (WRONGTYPE)
// fails alone: the others still run, and nothing is rolled back.
//
// WATCH. WATCH makes the next EXEC conditional: if any watched key
// changed since it was watched, by anyone, EXEC runs nothing and replies
// nil. The registry maps (database, key) to the watches on it
// (db.watched); the dirty hooks of db.go consult it on every change, at
// the cost of a length check while nobody watches anything. The first
// change to a watched key marks each watching client dirty and releases
// all its watches at once, since nothing can make its EXEC succeed any
// more: the registry only ever holds watches that can still matter, and
// every watch is released by EXEC, DISCARD, UNWATCH, RESET or the close of
// its connection. Rejected design: a version number on every key, compared
// at EXEC, would make every write pay and keep versions of deleted keys
// forever.
//
// Expiry (Redis 7.0's rule). A watched key that expires counts as
// changed, whether it is then deleted (lazily or by the active cycle) or
// still sits in the table when EXEC looks. But a key that had already
// expired when it was watched was already logically gone: its deletion
// later is no change. FLUSHDB, FLUSHALL and SWAPDB change a watched key
// only if it was present before or is present after (SWAPDB brings the
// other database's key); a key expired on both sides is no change either.

// txState is one client's MULTI and WATCH state: a wire session's, or a
// typed transaction's (Tx). Owned by the executor goroutine.
type txState struct {
	// active is set between MULTI and EXEC or DISCARD.
	active bool
	// dirtyExec is set when a command was refused while queueing: EXEC
	// will abort with EXECABORT.
	dirtyExec bool
	// dirtyCAS is set when a watched key changed: EXEC will reply nil.
	dirtyCAS bool
	// queue holds the commands to run at EXEC, resolved at queue time.
	queue []queuedCmd
	// watched are this client's entries in the registry.
	watched []*watchedKey
	// held mirrors len(watched) > 0 for goroutines other than the
	// executor: a closing connection reads it to learn whether it must
	// ask the executor to release its watches.
	held atomic.Bool
	// open mirrors active for the client's own goroutine (a session's, a
	// Tx's), which reads it between its requests: a SCRIPT KILL it sends
	// inside MULTI is queued by the executor, not answered by the caller
	// (scripting.go, busyReply).
	open atomic.Bool
}

// queuedCmd is one command queued by MULTI.
type queuedCmd struct {
	cmd  *command
	args []string
}

// watchedKey is one client's watch on one key of one database, listed both
// in the database's registry and in the client's txState.
type watchedKey struct {
	d   *db
	key string
	t   *txState
	// expired: the key had already expired when it was watched, so its
	// deletion is no change (Redis 7.0).
	expired bool
	// present: the key is in d's table (expired or not). Known at WATCH
	// and kept up to date for as long as the watch lives, since any change
	// of it is either a write, which ends the watch, or the deletion of an
	// expired key, which updates it. FLUSHDB and SWAPDB need to know it
	// after the data has gone.
	present bool
}

// txOf returns the MULTI/WATCH state of cl, or nil for a client that has
// none (typed calls through a DB handle).
func txOf(cl *client) *txState {
	switch c := cl.conn.(type) {
	case *session:
		return &c.tx
	case *txState:
		return c
	}
	return nil
}

func init() {
	const f = flagNoScript | flagLoading | flagStale | flagConn
	acl := []string{"fast", "transaction"}
	register(
		&command{name: "multi", arity: 1, flags: f | flagFast | flagAllowBusy, acl: acl, handler: cmdMulti},
		&command{name: "exec", arity: 1, flags: f | flagSkipSlowlog, acl: []string{"slow", "transaction"}, handler: cmdExec},
		&command{name: "discard", arity: 1, flags: f | flagFast | flagAllowBusy, acl: acl, handler: cmdDiscard},
		&command{name: "watch", arity: -2, flags: f | flagFast | flagAllowBusy, firstKey: 1, lastKey: -1, step: 1, acl: acl, handler: cmdWatch},
		&command{name: "unwatch", arity: 1, flags: f | flagFast | flagAllowBusy, acl: acl, handler: cmdUnwatch},
	)
}

// isTxCommand reports whether cmd is one that MULTI runs at once rather
// than queueing (Redis's processCommand list).
func isTxCommand(cmd *command) bool {
	switch cmd.name {
	case "exec", "discard", "multi", "watch", "quit", "reset":
		return true
	}
	return false
}

// multiHook runs in dispatch, for clients with a connection, before the
// handler: inside MULTI it queues the command and returns QUEUED (or the
// reason the command cannot be queued) with done set; otherwise the
// command runs as usual. RESET also ends the transaction and the watches
// here, before its handler resets the rest of the connection.
func (s *Store) multiHook(cl *client, cmd *command, args []string) (Value, bool) {
	t := txOf(cl)
	if t == nil {
		return Value{}, false
	}
	if _, typed := cl.conn.(*txState); typed && cmd.flags&flagConn != 0 {
		if !ownsTx(cmd) {
			// A typed transaction has no wire session for SELECT,
			// CLIENT, RESET ...
			return s.rejectInMulti(cl, args, ErrorValue("ERR '"+cmd.name+"' changes connection state and cannot run in a typed transaction; use a wire connection")), true
		}
		if cmd.name == "multi" && t.active {
			// Only a MULTI sent through Tx.Do can be open when
			// TxPipeline.Exec sends its own: doom that transaction, so
			// that the pipeline's commands do not run as part of it.
			t.dirtyExec = true
		}
	}
	if cmd.name == "reset" {
		s.discardTx(t)
		return Value{}, false
	}
	if !t.active || isTxCommand(cmd) {
		return Value{}, false
	}
	if cmd.flags&flagNoMulti != 0 {
		t.dirtyExec = true
		return errValue(ErrNotInMulti), true
	}
	// Once the transaction is doomed, there is no point keeping its
	// commands (a pipelining client may send many before it reads the
	// first error).
	// The queue outlives the request that carried the command (MULTI and
	// EXEC may come in later requests): it keeps its own copy of args.
	if !t.dirtyExec {
		t.queue = append(t.queue, queuedCmd{cmd: cmd, args: ownArgs(args)})
	}
	return queuedValue, true
}

// ownsTx reports whether cmd is one of this file's commands.
func ownsTx(cmd *command) bool {
	switch cmd.name {
	case "multi", "exec", "discard", "watch", "unwatch":
		return true
	}
	return false
}

var queuedValue = SimpleValue("QUEUED")

// rejectInMulti is dispatch's path for a command refused before it ran
// (unknown, wrong arity, NOAUTH): inside MULTI the refusal also dooms the
// transaction. A refused EXEC ends the transaction and drops the watches
// with EXECABORT and the reason, as Redis does, even outside MULTI. It
// returns the reply to send.
func (s *Store) rejectInMulti(cl *client, args []string, errv Value) Value {
	s.obsRejected(args, errv) // obs.go: rejected_calls and errorstats
	if cl.conn == nil {
		return errv
	}
	t := txOf(cl)
	if t == nil {
		return errv
	}
	if len(args) > 0 && eqFold(args[0], "exec") {
		s.discardTx(t)
		return ErrorValue(execAbortPrefix + strings.TrimPrefix(errv.str, "ERR "))
	}
	if t.active {
		t.dirtyExec = true
	}
	return errv
}

// discardTx ends t's transaction, if any, and releases its watches
// (Redis's discardTransaction).
func (s *Store) discardTx(t *txState) {
	t.active, t.dirtyExec, t.dirtyCAS = false, false, false
	t.open.Store(false)
	clear(t.queue)
	t.queue = t.queue[:0]
	if cap(t.queue) > 64 {
		t.queue = nil // do not keep a huge transaction's queue
	}
	s.unwatchAll(t)
}

func cmdMulti(c *call) Value {
	t := txOf(c.cl)
	if t.active {
		return errValue(ErrMultiNested)
	}
	t.active = true
	t.open.Store(true)
	return okValue
}

func cmdDiscard(c *call) Value {
	t := txOf(c.cl)
	if !t.active {
		return errValue(ErrDiscardWithoutMulti)
	}
	c.s.discardTx(t)
	return okValue
}

func cmdExec(c *call) Value {
	// The queued commands propagate themselves, wrapped in MULTI/EXEC
	// when more than one wrote (feed.go); EXEC itself never does.
	c.noPropagate()
	t := txOf(c.cl)
	if !t.active {
		return errValue(ErrExecWithoutMulti)
	}
	// A watched key that expired since WATCH may still sit in the table,
	// unseen by the dirty hooks: look.
	if !t.dirtyCAS && c.s.watchedExpired(t, c.now) {
		t.dirtyCAS = true
	}
	switch {
	case t.dirtyExec:
		c.s.discardTx(t)
		return errValue(ErrExecAbort)
	case t.dirtyCAS:
		c.s.discardTx(t)
		return nullArrayValue
	}
	// Unwatch first, so the transaction's own writes do not walk the
	// registry for nothing; then take the queue out of the state, so a
	// queued command that touches the state (SELECT does not, but future
	// ones may) sees a client outside MULTI.
	queue := t.queue
	t.queue = nil
	s := c.s
	s.discardTx(t)
	replies := make([]Value, len(queue))
	for i, q := range queue {
		// No queueing and no checks (made at queue time); one level
		// deeper than EXEC, so blocking commands act non-blocking; the
		// request's clock reading, so time stands still for the whole
		// transaction, as in Redis.
		replies[i] = s.invoke(c.cl, q.cmd, q.args, true)
	}
	return ArrayValue(replies...)
}

func cmdWatch(c *call) Value {
	t := txOf(c.cl)
	if t.active {
		return errValue(ErrWatchInMulti)
	}
	for _, key := range c.args[1:] {
		c.s.watchKey(t, c.db, key, c.now)
	}
	return okValue
}

func cmdUnwatch(c *call) Value {
	t := txOf(c.cl)
	c.s.unwatchAll(t)
	t.dirtyCAS = false
	return okValue
}

// watchKey adds t's watch on key of d, unless it has one.
func (s *Store) watchKey(t *txState, d *db, key string, now int64) {
	ws := d.watched[key]
	for _, wk := range ws {
		if wk.t == t {
			return
		}
	}
	// Not a lookup: WATCH does not delete an expired key, it notes that
	// the key was already gone.
	e := d.keys.Get(key)
	wk := &watchedKey{d: d, key: key, t: t, present: e != nil, expired: e != nil && e.expired(now)}
	if d.watched == nil {
		d.watched = map[string][]*watchedKey{}
	}
	d.watched[key] = append(ws, wk)
	t.watched = append(t.watched, wk)
	t.held.Store(true)
}

// unwatchAll releases every watch of t.
func (s *Store) unwatchAll(t *txState) {
	if len(t.watched) == 0 {
		return
	}
	for i, wk := range t.watched {
		ws := wk.d.watched[wk.key]
		for j, o := range ws {
			if o == wk {
				last := len(ws) - 1
				ws[j] = ws[last]
				ws[last] = nil
				ws = ws[:last]
				break
			}
		}
		if len(ws) == 0 {
			delete(wk.d.watched, wk.key)
		} else {
			wk.d.watched[wk.key] = ws
		}
		if len(wk.d.watched) == 0 {
			wk.d.watched = nil // back to the free fast path, and the map's memory goes
		}
		t.watched[i] = nil
	}
	t.watched = t.watched[:0]
	t.held.Store(false)
}

// releaseWatches frees the watches of t, whose client is going away (a
// Tx whose function returned, a closed connection), on the executor. Not
// the caller's ctx: a cancelled one must not leak the watches. The job
// may run inside a busy script (it touches only the registry), so a
// client never waits for a runaway script to let go of its watches. It
// fails only when the store is closed, and the registry is gone with it.
func (s *Store) releaseWatches(t *txState) {
	s.onExecutorJob(context.Background(), func(s *Store) { s.unwatchAll(t) }, true)
}

// invalidate marks t's EXEC to fail and drops its watches, which can no
// longer change that.
func (s *Store) invalidate(t *txState) {
	t.dirtyCAS = true
	s.unwatchAll(t)
}

// touchWatched is the dirty hook: key of d changed (written, deleted or
// expired). Only called while d has watches.
func (s *Store) touchWatched(d *db, key string) {
	ws := d.watched[key]
	if len(ws) == 0 {
		return
	}
	present := d.keys.Get(key) != nil
	// Collect first: invalidate edits the slice being walked.
	var stale [4]*txState
	victims := stale[:0]
	for _, wk := range ws {
		if wk.expired && !present {
			// The key had expired before WATCH and has now been
			// deleted: logically it was gone all along.
			wk.expired, wk.present = false, false
			continue
		}
		victims = append(victims, wk.t)
	}
	for _, t := range victims {
		s.invalidate(t)
	}
}

// touchWatchedDB is the hook of FLUSHDB, FLUSHALL and SWAPDB, called after
// d's contents were replaced (by nothing, or by another database's): a
// watch is touched when its key was present before or is present now,
// except that an expired key deleted, or replaced by an expired key, is no
// change.
func (s *Store) touchWatchedDB(d *db, now int64) {
	var victims []*txState
	for key, ws := range d.watched {
		e := d.keys.Get(key)
		for _, wk := range ws {
			switch {
			case !wk.present && e == nil:
				continue
			case wk.expired && e == nil:
				wk.expired, wk.present = false, false
				continue
			case wk.expired && e.expired(now):
				wk.present = true
				continue
			case !wk.expired && !wk.present && e.expired(now):
				// A missing key replaced by an expired one.
				wk.expired, wk.present = true, true
				continue
			}
			victims = append(victims, wk.t)
		}
	}
	for _, t := range victims {
		s.invalidate(t)
	}
}

// watchedExpired reports whether a key t watches, alive when watched, has
// expired since (EXEC's check for expiries no hook has seen).
func (s *Store) watchedExpired(t *txState, now int64) bool {
	for _, wk := range t.watched {
		if wk.expired {
			continue
		}
		if e := wk.d.keys.Get(wk.key); e != nil && e.expired(now) {
			return true
		}
	}
	return false
}

// watchedKeys is the size of the WATCH registry: the watches held across
// all databases (tests).
func (s *Store) watchedKeys() int {
	n := 0
	for _, d := range s.dbs {
		for _, ws := range d.watched {
			n += len(ws)
		}
	}
	return n
}
