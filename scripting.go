package embedis

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/embedis/embedis/lua"
)

// Scripting: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT ..., FUNCTION ...,
// FCALL and FCALL_RO, on the lua package's Engine.
//
// A script runs on the executor, inside the handler of the command that
// started it, so it is atomic like any command. Its redis.call reaches
// Store.dispatch directly (the executor keeps one call context per nesting
// level) with a script client of its own: the caller's database at the
// start (SELECT in the script changes only the script's), the protocol the
// script chose with redis.setresp, and a marker connection that tells
// handlers they run inside a script (call.inScript).
//
// While a script runs, the executor serves no other request, until the
// script has run for busy-reply-threshold (lua-time-limit). From then on,
// as Redis does from its script interrupt hook, the script itself answers
// the other clients: the engine calls scriptHost.Yield every
// lua.YieldEvery Lua instructions, and Yield (serveBusy) takes every
// request waiting, the rest of the executor's current turn first and then
// the queue, in arrival order, and serves it with the busy rule of Redis's
// processCommand: a command that passes the usual checks (unknown command,
// arity, NOAUTH, no-multi inside MULTI) runs when it is flagged allow-busy
// (MULTI, DISCARD, WATCH, UNWATCH, AUTH, HELLO, RESET, QUIT, SCRIPT KILL,
// FUNCTION KILL, FUNCTION STATS) and is refused with BUSY otherwise. A
// refusal dooms an open MULTI and an EXEC answers EXECABORT, so a
// pipelined transaction caught by the threshold never runs its tail
// outside MULTI. Internal jobs (onExecutor) wait for the script to end.
//
// Two answers need no executor, and callers give them on their own
// goroutine (busyReply): SCRIPT KILL and FUNCTION KILL, outside MULTI,
// whenever a script runs (Engine.Kill is safe from any goroutine), so a
// kill never waits behind the script it kills, even one spinning where
// Yield is not called (inside a coroutine or a long Go function); and,
// past the threshold, BUSY for a command of a DB handle, which has no
// connection state that the busy rule could change.

// scriptState is the store's scripting state.
type scriptState struct {
	// engine is created by the executor on first use and published here
	// for Kill and Running from other goroutines. Closed by Store.Close
	// after the executor has exited.
	engine atomic.Pointer[lua.Engine]

	// active is true while a script or function runs; since is when it
	// started (store clock, unix ms) and function whether it is an FCALL.
	// Written by the executor, read by any goroutine (busyReply).
	active   atomic.Bool
	since    atomic.Int64
	function atomic.Bool

	// threshold is busy-reply-threshold in milliseconds plus one, as
	// CONFIG SET last set it; 0 means Options.BusyThreshold.
	threshold atomic.Int64

	// mu guards ctx, cancel and closed: the context every script runs
	// with, created with the engine and cancelled by Close, so that Close
	// stops even a script that SCRIPT KILL may not (one that wrote).
	mu     sync.Mutex
	ctx    context.Context
	cancel context.CancelFunc
	closed bool

	// Owned by the executor: the Host of the running script, and a test
	// hook that sees every command a script calls before it runs.
	host   scriptHost
	onCall func(args []string)
	// serving is set while serveBusy answers other clients from inside a
	// script: dispatch then refuses commands not flagged allow-busy.
	// Owned by the executor.
	serving bool
}

// scriptConn is the connection of the client a script's commands run as.
// Its presence in client.conn marks a command as called from a script.
type scriptConn struct{}

var theScriptConn = &scriptConn{}

// inScript reports whether the command runs inside a Lua script or
// function (redis.call / redis.pcall). Blocking commands test it: in Redis
// 7.0, BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BZPOPMIN and BZPOPMAX are flagged
// noscript (never reach a handler from a script), BLMPOP and BZMPOP must
// not block but answer as if their timeout had expired at once, and XREAD
// and XREADGROUP with BLOCK reply "ERR xread command is not allowed with
// BLOCK option from scripts" (xreadgroup: the same with its name). SORT
// tests it too (sortInScript).
func (c *call) inScript() bool {
	_, ok := c.cl.conn.(*scriptConn)
	return ok
}

// scriptEngine returns the engine, creating it on first use. Executor only.
func (s *Store) scriptEngine() *lua.Engine {
	if e := s.script.engine.Load(); e != nil {
		return e
	}
	e := lua.NewEngine(lua.Options{Now: s.opts.Clock.Now})
	st := &s.script
	st.mu.Lock()
	st.ctx, st.cancel = context.WithCancel(context.Background())
	if st.closed {
		st.cancel()
	}
	st.mu.Unlock()
	st.host.s = s
	st.engine.Store(e)
	return e
}

// stop cancels the running script, if any, so that the executor
// can exit (Close calls it before waiting for the executor).
func (st *scriptState) stop() {
	st.mu.Lock()
	st.closed = true
	if st.cancel != nil {
		st.cancel()
	}
	st.mu.Unlock()
}

// release frees the Lua VM; Close calls it after the executor has exited.
func (st *scriptState) release() {
	if e := st.engine.Swap(nil); e != nil {
		e.Close()
	}
}

// busyThreshold returns busy-reply-threshold in milliseconds.
func (s *Store) busyThreshold() int64 {
	if t := s.script.threshold.Load(); t > 0 {
		return t - 1
	}
	return s.opts.BusyThreshold.Milliseconds()
}

// setBusyThreshold applies CONFIG SET busy-reply-threshold (or its alias
// lua-time-limit), in milliseconds.
func (s *Store) setBusyThreshold(ms int64) { s.script.threshold.Store(ms + 1) }

// busyValue is the BUSY error for the running script's kind.
func (s *Store) busyValue() Value {
	if s.script.function.Load() {
		return ErrorValue(lua.ErrBusyFunction)
	}
	return ErrorValue(lua.ErrBusy)
}

// busyReply answers, on the caller's goroutine, a command of cl that
// arrives while a script runs, when no executor state is needed for it:
// SCRIPT KILL and FUNCTION KILL at any time unless cl is inside MULTI (then
// they are queued); and for a DB handle's client (no connection state),
// once the script has run for busy-reply-threshold, FUNCTION STATS and BUSY
// for every other command that resolves and is not flagged allow-busy. ok
// is false when the command must be submitted as usual: the executor then
// answers it from inside the script (serveBusy) or after it. Safe from any
// goroutine; callers test scriptState.active first, so that the common
// case costs one atomic load.
func (s *Store) busyReply(cl *client, args []string) (Value, bool) {
	st := &s.script
	if !st.active.Load() || len(args) == 0 {
		return Value{}, false
	}
	e := st.engine.Load()
	if e == nil {
		return Value{}, false
	}
	sub := len(args) == 2
	isScript, isFunction := eqFold(args[0], "script"), eqFold(args[0], "function")
	if sub && (isScript || isFunction) && eqFold(args[1], "kill") {
		if t := txOf(cl); t != nil && t.open.Load() {
			return Value{}, false // queued by MULTI, on the executor
		}
		if err := e.Kill(isFunction); err != nil {
			return ErrorValue(err.Error()), true
		}
		return okValue, true
	}
	if cl.conn != nil {
		// MULTI, WATCH, AUTH ... and the refusals that doom a
		// transaction are the executor's (serveBusy), in arrival order.
		return Value{}, false
	}
	if s.opts.Clock.Now().UnixMilli()-st.since.Load() < s.busyThreshold() {
		return Value{}, false
	}
	cmd, _, ok := resolve(args)
	switch {
	case !ok:
		return Value{}, false // the executor answers the error
	case sub && isFunction && cmd.name == "function|stats":
		return replyValue(e.FunctionStats()), true
	case cmd.flags&flagAllowBusy != 0:
		return Value{}, false
	}
	return s.busyValue(), true
}

// busyBatch answers a batch of cl with busyReply when it can answer every
// command of it; otherwise the batch is submitted as usual, in one piece,
// so that its commands are answered in order.
func (s *Store) busyBatch(cl *client, batch [][]string, replies []Value) bool {
	if !s.script.active.Load() {
		return false
	}
	for i, args := range batch {
		v, ok := s.busyReply(cl, args)
		if !ok {
			clear(replies[:i])
			return false
		}
		replies[i] = v
	}
	return true
}

// Yield is the engine's instruction hook (lua.Yielder), called on the
// executor between Lua instructions of the running script: once the
// script has run for busy-reply-threshold, it answers the requests
// waiting (serveBusy). It costs a pointer load or two while nobody waits.
func (h *scriptHost) Yield() {
	s := h.s
	if s.script.serving || s.pending == nil && s.q.head.Load() == nil || s.closed.Load() {
		return
	}
	if s.opts.Clock.Now().UnixMilli()-s.script.since.Load() < s.busyThreshold() {
		return
	}
	s.serveBusy()
}

// serveBusy serves, from inside a script past its busy threshold, every
// request waiting: the rest of the executor's current turn (s.pending),
// which arrived first, then everything queued since, in arrival order.
// Commands run under the busy rule (see dispatch and the comment at the
// top of this file), so none of them touches the data the script is
// changing. Internal jobs (r.fn) are kept, in order, for after the
// script, since they may need the whole store, except those flagged
// busyOK (the release of watches). Executor only.
func (s *Store) serveBusy() {
	st := &s.script
	st.serving = true
	allow := s.blk.allow
	s.blk.allow = false // nothing blocks here
	list := s.pending
	more := s.q.takeAll(nil)
	if list == nil {
		list = more
	} else {
		tail := list
		for tail.next != nil {
			tail = tail.next
		}
		tail.next = more
	}
	var keep, keepTail *request
	for r := list; r != nil; {
		next := r.next
		switch {
		case r.fn != nil && r.busyOK:
			if r.take() {
				r.fn(s)
				r.complete()
			} else {
				putRequest(r)
			}
		case r.fn != nil:
			r.next = nil
			if keep == nil {
				keep = r
			} else {
				keepTail.next = r
			}
			keepTail = r
		case !r.take():
			putRequest(r) // abandoned by its caller
		default:
			if r.batch != nil {
				for i, args := range r.batch {
					r.replies[i] = s.dispatch(r.cl, args)
				}
			} else {
				r.reply = s.dispatch(r.cl, r.args)
			}
			r.complete()
		}
		r = next
	}
	s.pending = keep
	s.blk.allow = allow
	st.serving = false
}

// ---------------------------------------------------------------------------
// The Host: commands called by scripts.

// scriptHost implements lua.Host for the running script. Executor only.
type scriptHost struct {
	s  *Store
	cl client // the script's client: its database, protocol and the scriptConn marker
	// slot is the cluster slot of the keys the script has used so far,
	// its declared keys first (-1: none yet); cluster mode only.
	slot int
}

// Call runs one redis.call / redis.pcall: the checks Redis makes for a
// command called from a script, then dispatch.
func (h *scriptHost) Call(lc *lua.Call) lua.Reply {
	args := lc.Args
	if h.s.script.onCall != nil {
		h.s.script.onCall(args)
	}
	cmd, _, ok := resolve(args)
	if !ok {
		if c := lookupCommand(commands, args[0]); c == nil || (c.subcommands != nil && len(args) >= 2 && lookupCommand(c.subcommands, args[1]) == nil) {
			return lua.Error(lua.ErrUnknownCommand)
		}
		return lua.Error(lua.ErrWrongArgs)
	}
	if cmd.flags&flagNoScript != 0 {
		return lua.Error(lua.ErrNotAllowed)
	}
	if cmd.flags&flagWrite != 0 {
		if lc.ReadOnly {
			return lua.Error(lua.ErrWriteInReadOnly)
		}
		// Not killed, and from now on unkillable, in one step before the
		// handler runs: a kill never leaves half a script applied.
		if !lc.BeginWrite() {
			return lua.Error("ERR Script killed by user with SCRIPT KILL...") // the engine raises its own
		}
	}
	// cluster.go: in cluster mode a call's keys must share one slot, and
	// so must all the keys a script touches (its declared keys included)
	// unless it is a legacy script or allows cross-slot keys.
	if h.s.opts.ClusterEnabled {
		if errv, ok := h.s.scriptSlotCheck(h, cmd, args, lc.AllowCrossSlot); !ok {
			return lua.Error(errv)
		}
	}
	h.cl.proto = lc.RESP
	return toReply(h.s.dispatch(&h.cl, args), lc.RESP)
}

// Log receives redis.log lines. embedis has no server log; they are
// dropped.
func (h *scriptHost) Log(level lua.LogLevel, msg string) {}

// toReply converts a command's reply for a script that speaks proto: under
// RESP2 the RESP3 kinds take the form a RESP2 client would receive.
func toReply(v Value, proto int) lua.Reply {
	resp3 := proto >= 3
	switch v.kind {
	case KindNull, KindNullArray:
		return lua.Null()
	case KindSimple:
		return lua.Status(v.str)
	case KindError:
		return lua.Error(v.str)
	case KindInt:
		return lua.Int(v.num)
	case KindDouble:
		if resp3 {
			return lua.Double(v.dbl)
		}
		return lua.Bulk(v.Str())
	case KindBulk:
		return lua.Bulk(v.str)
	case KindBool:
		if resp3 {
			return lua.Bool(v.num != 0)
		}
		return lua.Int(v.num)
	case KindVerbatim:
		if resp3 {
			return lua.Verbatim(v.VerbatimFormat(), v.Str())
		}
		return lua.Bulk(v.Str())
	case KindBigNumber:
		if resp3 {
			return lua.BigNumber(v.str)
		}
		return lua.Bulk(v.str)
	}
	elems := make([]lua.Reply, len(v.elems))
	for i, e := range v.elems {
		elems[i] = toReply(e, proto)
	}
	switch {
	case v.kind == KindMap && resp3:
		return lua.Map(elems...)
	case v.kind == KindSet && resp3:
		return lua.Set(elems...)
	}
	return lua.Array(elems...)
}

// replyValue converts a script's result (or an engine reply) to a Value.
func replyValue(r lua.Reply) Value {
	switch r.Kind {
	case lua.KindNull:
		return nullValue
	case lua.KindStatus:
		return SimpleValue(r.Str)
	case lua.KindError:
		return ErrorValue(r.Str)
	case lua.KindInt:
		return IntValue(r.Int)
	case lua.KindDouble:
		return DoubleValue(r.Float)
	case lua.KindBulk:
		return BulkValue(r.Str)
	case lua.KindBool:
		return BoolValue(r.Bool)
	case lua.KindBigNumber:
		return BigNumberValue(r.Str)
	case lua.KindVerbatim:
		return VerbatimValue(r.Format, r.Str)
	}
	elems := make([]Value, len(r.Elems))
	for i, e := range r.Elems {
		elems[i] = replyValue(e)
	}
	switch r.Kind {
	case lua.KindMap:
		return MapValue(elems...)
	case lua.KindSet:
		return SetValue(elems...)
	}
	return ArrayValue(elems...)
}

// functionLoadTimeout bounds the run of a library's code at FUNCTION LOAD
// and RESTORE, as Redis 7.0's LOAD_TIMEOUT_MS.
const functionLoadTimeout = 500 * time.Millisecond

// loadContext returns the context a library's code runs with at load time:
// the scripts' context (cancelled by Close) with functionLoadTimeout.
// Executor only, after scriptEngine.
func (s *Store) loadContext() (context.Context, context.CancelFunc) {
	st := &s.script
	st.mu.Lock()
	ctx := st.ctx
	st.mu.Unlock()
	return context.WithTimeout(ctx, functionLoadTimeout)
}

// runScript runs fn, the engine call of an EVAL or FCALL, as the running
// script of the store: it publishes the busy state and sets up the script
// client on c's database. Executor only.
func (s *Store) runScript(c *call, function bool, fn func(e *lua.Engine, ctx context.Context, h *scriptHost) lua.Reply) Value {
	e := s.scriptEngine()
	st := &s.script
	st.mu.Lock()
	ctx := st.ctx
	st.mu.Unlock()
	h := &st.host
	h.cl = client{db: c.cl.db, proto: 2, conn: theScriptConn}
	h.slot = -1
	if s.opts.ClusterEnabled {
		h.slot, _ = sameSlot(c.args, callKeys(c.cmd, c.args), -1)
	}
	st.since.Store(s.opts.Clock.Now().UnixMilli())
	st.function.Store(function)
	st.active.Store(true)
	r := fn(e, ctx, h)
	st.active.Store(false)
	h.cl = client{}
	return replyValue(r)
}

// ---------------------------------------------------------------------------
// Typed methods.

// Eval runs a Lua script (EVAL) with keys as KEYS and args as ARGV
// (formatted as Do formats arguments) and returns its result. A script
// error is returned as the error (see Value.Err) with the Value.
//
//	v, err := s.Eval(ctx, "return redis.call('INCR', KEYS[1])", []string{"n"})
func (d *DB) Eval(ctx context.Context, script string, keys []string, args ...any) (Value, error) {
	return d.evalLike(ctx, "eval", script, keys, args)
}

// EvalRO is Eval for a read-only script (EVAL_RO): write commands fail.
func (d *DB) EvalRO(ctx context.Context, script string, keys []string, args ...any) (Value, error) {
	return d.evalLike(ctx, "eval_ro", script, keys, args)
}

// EvalSha runs a script by its SHA1 (EVALSHA), as loaded by ScriptLoad or
// an earlier Eval; the error is ErrNoScript when it is not cached.
func (d *DB) EvalSha(ctx context.Context, sha1 string, keys []string, args ...any) (Value, error) {
	return d.evalLike(ctx, "evalsha", sha1, keys, args)
}

// EvalShaRO is EvalSha for a read-only script (EVALSHA_RO).
func (d *DB) EvalShaRO(ctx context.Context, sha1 string, keys []string, args ...any) (Value, error) {
	return d.evalLike(ctx, "evalsha_ro", sha1, keys, args)
}

// FCall calls a function loaded with FunctionLoad (FCALL).
func (d *DB) FCall(ctx context.Context, function string, keys []string, args ...any) (Value, error) {
	return d.evalLike(ctx, "fcall", function, keys, args)
}

// FCallRO calls a function flagged no-writes (FCALL_RO).
func (d *DB) FCallRO(ctx context.Context, function string, keys []string, args ...any) (Value, error) {
	return d.evalLike(ctx, "fcall_ro", function, keys, args)
}

func (d *DB) evalLike(ctx context.Context, cmd, first string, keys []string, args []any) (Value, error) {
	argv := make([]string, 0, 3+len(keys)+len(args))
	argv = append(argv, cmd, first, strconv.Itoa(len(keys)))
	argv = append(argv, keys...)
	for _, a := range args {
		argv = append(argv, argString(a))
	}
	v, err := d.exec(ctx, argv)
	if err != nil {
		return Value{}, err
	}
	return v, v.Err()
}

// ScriptLoad caches a script without running it (SCRIPT LOAD) and returns
// its SHA1 for EvalSha.
func (d *DB) ScriptLoad(ctx context.Context, script string) (string, error) {
	return asString(d.execArgs(ctx, "script", "load", script))
}

// ScriptExists reports for each SHA1 whether the script is cached (SCRIPT
// EXISTS).
func (d *DB) ScriptExists(ctx context.Context, sha1s ...string) ([]bool, error) {
	v, err := d.exec(ctx, append([]string{"script", "exists"}, sha1s...))
	if err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	out := make([]bool, len(v.elems))
	for i, e := range v.elems {
		out[i] = e.num != 0
	}
	return out, nil
}

// ScriptFlush empties the script cache (SCRIPT FLUSH).
func (d *DB) ScriptFlush(ctx context.Context) error {
	return asOK(d.execArgs(ctx, "script", "flush"))
}

// ScriptKill stops the running script (SCRIPT KILL). It fails with
// ErrNotBusy when none runs, and with ErrUnkillable when the script has
// already written (only Close stops it then).
func (d *DB) ScriptKill(ctx context.Context) error {
	return asOK(d.execArgs(ctx, "script", "kill"))
}

// FunctionLoad loads a library of functions (FUNCTION LOAD); code starts
// with its "#!lua name=<library>" line. With replace an existing library
// of the same name is replaced. It returns the library's name.
func (d *DB) FunctionLoad(ctx context.Context, code string, replace bool) (string, error) {
	if replace {
		return asString(d.execArgs(ctx, "function", "load", "replace", code))
	}
	return asString(d.execArgs(ctx, "function", "load", code))
}

// FunctionDelete deletes a library and its functions (FUNCTION DELETE).
func (d *DB) FunctionDelete(ctx context.Context, library string) error {
	return asOK(d.execArgs(ctx, "function", "delete", library))
}

// FunctionFlush deletes every library (FUNCTION FLUSH).
func (d *DB) FunctionFlush(ctx context.Context) error {
	return asOK(d.execArgs(ctx, "function", "flush"))
}

// FunctionKill stops the running function (FUNCTION KILL); see ScriptKill.
func (d *DB) FunctionKill(ctx context.Context) error {
	return asOK(d.execArgs(ctx, "function", "kill"))
}

// FunctionList returns FUNCTION LIST's reply: one map per library
// (library_name, engine, functions and, with withCode, library_code),
// filtered by the glob pattern unless it is "".
func (d *DB) FunctionList(ctx context.Context, pattern string, withCode bool) (Value, error) {
	args := []string{"function", "list"}
	if pattern != "" {
		args = append(args, "libraryname", pattern)
	}
	if withCode {
		args = append(args, "withcode")
	}
	v, err := d.exec(ctx, args)
	if err != nil {
		return Value{}, err
	}
	return v, v.Err()
}

// Script is a Lua script run by its SHA1 when the store has it cached and
// by its source otherwise, like go-redis's Script:
//
//	var incr = embedis.NewScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
//	v, err := incr.Run(ctx, s.DB, []string{"n"}, 5)
type Script struct {
	src, hash string
}

// NewScript returns a Script for src.
func NewScript(src string) *Script { return &Script{src: src, hash: lua.SHA1Hex(src)} }

// Hash returns the script's SHA1.
func (sc *Script) Hash() string { return sc.hash }

// Load caches the script in d's store (SCRIPT LOAD).
func (sc *Script) Load(ctx context.Context, d *DB) error {
	_, err := d.ScriptLoad(ctx, sc.src)
	return err
}

// Run runs the script on d with EVALSHA, and with EVAL when the store
// answers NOSCRIPT.
func (sc *Script) Run(ctx context.Context, d *DB, keys []string, args ...any) (Value, error) {
	v, err := d.EvalSha(ctx, sc.hash, keys, args...)
	if errors.Is(err, ErrNoScript) {
		return d.Eval(ctx, sc.src, keys, args...)
	}
	return v, err
}

// RunRO is Run with EVALSHA_RO and EVAL_RO.
func (sc *Script) RunRO(ctx context.Context, d *DB, keys []string, args ...any) (Value, error) {
	v, err := d.EvalShaRO(ctx, sc.hash, keys, args...)
	if errors.Is(err, ErrNoScript) {
		return d.EvalRO(ctx, sc.src, keys, args...)
	}
	return v, err
}

// ---------------------------------------------------------------------------
// Command rows.

func init() {
	aclScript := []string{"slow", "scripting"}
	aclScriptWrite := []string{"write", "slow", "scripting"}
	evalFlags := flagNoScript | flagStale | flagSkipMonitor | flagNoMandatoryKeys | flagMovableKeys
	register(
		&command{name: "eval", arity: -3, flags: evalFlags, acl: aclScript, handler: cmdEval},
		&command{name: "evalsha", arity: -3, flags: evalFlags, acl: aclScript, handler: cmdEvalSha},
		&command{name: "eval_ro", arity: -3, flags: flagReadonly | evalFlags, acl: aclScript, handler: cmdEvalRO},
		&command{name: "evalsha_ro", arity: -3, flags: flagReadonly | evalFlags, acl: aclScript, handler: cmdEvalShaRO},
		&command{name: "fcall", arity: -3, flags: evalFlags, acl: aclScript, handler: cmdFCall},
		&command{name: "fcall_ro", arity: -3, flags: flagReadonly | evalFlags, acl: aclScript, handler: cmdFCallRO},

		&command{name: "script", arity: -2, acl: []string{"slow"}},
		&command{name: "script|help", arity: 2, flags: flagLoading | flagStale, acl: aclScript, handler: cmdScriptHelp},
		&command{name: "script|flush", arity: -2, flags: flagNoScript, acl: aclScript, handler: cmdScriptFlush},
		&command{name: "script|debug", arity: 3, flags: flagNoScript, acl: aclScript, handler: cmdScriptDebug},
		&command{name: "script|exists", arity: -3, flags: flagNoScript, acl: aclScript, handler: cmdScriptExists},
		&command{name: "script|load", arity: 3, flags: flagNoScript | flagStale, acl: aclScript, handler: cmdScriptLoad},
		&command{name: "script|kill", arity: 2, flags: flagNoScript | flagAllowBusy, acl: aclScript, handler: cmdScriptKill},

		&command{name: "function", arity: -2, acl: []string{"slow"}},
		&command{name: "function|restore", arity: -3, flags: flagWrite | flagDenyOOM | flagNoScript, acl: aclScriptWrite, handler: cmdFunctionRestore},
		&command{name: "function|delete", arity: 3, flags: flagWrite | flagNoScript, acl: aclScriptWrite, handler: cmdFunctionDelete},
		&command{name: "function|dump", arity: 2, flags: flagNoScript, acl: aclScript, handler: cmdFunctionDump},
		&command{name: "function|help", arity: 2, flags: flagLoading | flagStale, acl: aclScript, handler: cmdFunctionHelp},
		&command{name: "function|list", arity: -2, flags: flagNoScript, acl: aclScript, handler: cmdFunctionList},
		&command{name: "function|load", arity: -3, flags: flagWrite | flagDenyOOM | flagNoScript, acl: aclScriptWrite, handler: cmdFunctionLoad},
		&command{name: "function|flush", arity: -2, flags: flagWrite | flagNoScript, acl: aclScriptWrite, handler: cmdFunctionFlush},
		&command{name: "function|kill", arity: 2, flags: flagNoScript | flagAllowBusy, acl: aclScript, handler: cmdFunctionKill},
		&command{name: "function|stats", arity: 2, flags: flagNoScript | flagAllowBusy, acl: aclScript, handler: cmdFunctionStats},
	)
}

// ---------------------------------------------------------------------------
// Handlers.

func cmdEval(c *call) Value       { return evalCommand(c, false, false) }
func cmdEvalRO(c *call) Value     { return evalCommand(c, false, true) }
func cmdEvalSha(c *call) Value    { return evalCommand(c, true, false) }
func cmdEvalShaRO(c *call) Value  { return evalCommand(c, true, true) }
func cmdFCall(c *call) Value      { return fcallCommand(c, false) }
func cmdFCallRO(c *call) Value    { return fcallCommand(c, true) }
func cmdScriptHelp(c *call) Value { return serverHelp(scriptHelp) }

func evalCommand(c *call, bySha, readOnly bool) Value {
	// A script propagates as its effects: the commands it ran (wrapped
	// in MULTI/EXEC when more than one wrote), never as itself.
	c.noPropagate()
	e := c.s.scriptEngine()
	body := c.args[1]
	// Redis answers NOSCRIPT at once for a SHA that is not 40 characters
	// long; for one that is, it checks numkeys (an integer, not negative,
	// not more than the arguments) before it looks the script up: EVALSHA
	// of a missing SHA with numkeys -1 answers "Number of keys can't be
	// negative", not NOSCRIPT.
	if bySha && len(body) != 40 {
		return ErrorValue(lua.ErrNoScript)
	}
	keys, argv, err := lua.SplitKeys(c.args[2], c.args[3:])
	if err != nil {
		return ErrorValue(err.Error())
	}
	if bySha && !e.Exists(body)[0] {
		return ErrorValue(lua.ErrNoScript)
	}
	opts := lua.RunOptions{ReadOnly: readOnly, Command: c.args, Cluster: c.s.opts.ClusterEnabled}
	return c.s.runScript(c, false, func(e *lua.Engine, ctx context.Context, h *scriptHost) lua.Reply {
		if bySha {
			return e.EvalSHA(ctx, h, body, keys, argv, opts)
		}
		return e.Eval(ctx, h, body, keys, argv, opts)
	})
}

func fcallCommand(c *call, readOnly bool) Value {
	c.noPropagate() // as evalCommand: its effects propagate
	e := c.s.scriptEngine()
	name := c.args[1]
	if _, ok := e.FunctionFlags(name); !ok {
		// Redis looks the function up before it parses numkeys.
		return ErrorValue("ERR Function not found")
	}
	n, ok := parseInt(c.args[2])
	if !ok {
		return ErrorValue("ERR Bad number of keys provided")
	}
	if n < 0 {
		return ErrorValue(lua.ErrNegativeKeys)
	}
	rest := c.args[3:]
	if n > int64(len(rest)) {
		return ErrorValue(lua.ErrTooManyKeys)
	}
	keys, argv := rest[:n], rest[n:]
	opts := lua.RunOptions{ReadOnly: readOnly, Command: c.args, Cluster: c.s.opts.ClusterEnabled}
	return c.s.runScript(c, true, func(e *lua.Engine, ctx context.Context, h *scriptHost) lua.Reply {
		return e.FCall(ctx, h, name, keys, argv, opts)
	})
}

// flushMode checks the optional ASYNC|SYNC argument of SCRIPT FLUSH and
// FUNCTION FLUSH (both flush at once: there is nothing to free lazily).
func flushMode(args []string) bool {
	return len(args) == 0 || len(args) == 1 && (eqFold(args[0], "async") || eqFold(args[0], "sync"))
}

func cmdScriptFlush(c *call) Value {
	if !flushMode(c.args[2:]) {
		return ErrorValue("ERR SCRIPT FLUSH only support SYNC|ASYNC option")
	}
	c.s.scriptEngine().Flush()
	return okValue
}

// cmdScriptDebug accepts SCRIPT DEBUG NO; the Lua debugger (YES, SYNC) is
// not implemented.
func cmdScriptDebug(c *call) Value {
	switch {
	case eqFold(c.args[2], "no"):
		return okValue
	case eqFold(c.args[2], "yes"), eqFold(c.args[2], "sync"):
		return ErrorValue("ERR SCRIPT DEBUG is not supported by embedis")
	}
	return ErrorValue("ERR Use SCRIPT DEBUG YES/SYNC/NO")
}

func cmdScriptExists(c *call) Value {
	found := c.s.scriptEngine().Exists(c.args[2:]...)
	vs := make([]Value, len(found))
	for i, ok := range found {
		if ok {
			vs[i] = IntValue(1)
		} else {
			vs[i] = IntValue(0)
		}
	}
	return ArrayValue(vs...)
}

func cmdScriptLoad(c *call) Value {
	sha, err := c.s.scriptEngine().Load(c.args[2])
	if err != nil {
		return ErrorValue(err.Error())
	}
	return BulkValue(sha)
}

// cmdScriptKill is reached when no script runs, from inside MULTI, or from
// serveBusy for a request queued while the script runs.
func cmdScriptKill(c *call) Value   { return killScript(c, false) }
func cmdFunctionKill(c *call) Value { return killScript(c, true) }

func killScript(c *call, function bool) Value {
	e := c.s.script.engine.Load()
	if e == nil {
		return ErrorValue(lua.ErrNotBusy) // no engine, no script: do not create one to say so
	}
	if err := e.Kill(function); err != nil {
		return ErrorValue(err.Error())
	}
	return okValue
}

func cmdFunctionLoad(c *call) Value {
	replace := false
	for _, a := range c.args[2 : len(c.args)-1] {
		if !eqFold(a, "replace") {
			return ErrorValue("ERR Unknown option given: " + sanitize(a))
		}
		replace = true
	}
	code := c.args[len(c.args)-1]
	// Library code runs at load time with only redis.log and
	// redis.register_function in scope; like Redis, its run is bounded
	// ("FUNCTION LOAD timeout") rather than killable.
	e := c.s.scriptEngine()
	ctx, cancel := c.s.loadContext()
	name, err := e.FunctionLoad(ctx, &c.s.script.host, code, replace)
	cancel()
	if err != nil {
		return ErrorValue(err.Error())
	}
	c.keylessChange()
	return BulkValue(name)
}

func cmdFunctionDelete(c *call) Value {
	if err := c.s.scriptEngine().FunctionDelete(c.args[2]); err != nil {
		return ErrorValue(err.Error())
	}
	c.keylessChange()
	return okValue
}

func cmdFunctionDump(c *call) Value {
	return BulkValue(string(c.s.scriptEngine().FunctionDump()))
}

func cmdFunctionFlush(c *call) Value {
	if len(c.args) > 3 {
		return ErrorValue("ERR unknown subcommand or wrong number of arguments for 'FLUSH'. Try FUNCTION HELP.")
	}
	if !flushMode(c.args[2:]) {
		return ErrorValue("ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
	}
	c.s.scriptEngine().FunctionFlush()
	c.keylessChange()
	return okValue
}

func cmdFunctionList(c *call) Value {
	pattern, withCode := "", false
	havePattern := false
	for i := 2; i < len(c.args); i++ {
		a := c.args[i]
		switch {
		case eqFold(a, "withcode") && !withCode:
			withCode = true
		case eqFold(a, "libraryname") && !havePattern:
			if i+1 >= len(c.args) {
				return ErrorValue("ERR library name argument was not given")
			}
			i++
			pattern, havePattern = c.args[i], true
		default:
			return ErrorValue("ERR Unknown argument " + sanitize(a))
		}
	}
	if havePattern && pattern == "" {
		// An empty pattern matches no name but "" would mean all.
		pattern = "\x00no-library"
	}
	return replyValue(c.s.scriptEngine().FunctionList(pattern, withCode))
}

func cmdFunctionRestore(c *call) Value {
	policy := lua.RestoreAppend
	if len(c.args) > 4 {
		return errSyntax
	}
	if len(c.args) == 4 {
		p, err := lua.ParseRestorePolicy(c.args[3])
		if err != nil {
			return ErrorValue(err.Error())
		}
		policy = p
	}
	e := c.s.scriptEngine()
	ctx, cancel := c.s.loadContext()
	err := e.FunctionRestore(ctx, []byte(c.args[2]), policy)
	cancel()
	if err != nil {
		return ErrorValue(err.Error())
	}
	c.keylessChange()
	return okValue
}

func cmdFunctionStats(c *call) Value {
	return replyValue(c.s.scriptEngine().FunctionStats())
}

func cmdFunctionHelp(c *call) Value { return serverHelp(functionHelp) }

const scriptHelp = `SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:
DEBUG (YES|SYNC|NO)
    Set the debug mode for subsequent scripts executed.
EXISTS <sha1> [<sha1> ...]
    Return information about the existence of the scripts in the script cache.
FLUSH [ASYNC|SYNC]
    Flush the Lua scripts cache. Very dangerous on replicas.
    When called without the optional mode argument, the behavior is determined by the
    lazyfree-lazy-user-flush configuration directive. Valid modes are:
    * ASYNC: Asynchronously flush the scripts cache.
    * SYNC: Synchronously flush the scripts cache.
KILL
    Kill the currently executing Lua script.
LOAD <script>
    Load a script into the scripts cache without executing it.
HELP
    Prints this help.`

const functionHelp = `FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:
LOAD [REPLACE] <FUNCTION CODE>
    Create a new library with the given library name and code.
DELETE <LIBRARY NAME>
    Delete the given library.
LIST [LIBRARYNAME PATTERN] [WITHCODE]
    Return general information on all the libraries:
    * Library name
    * The engine used to run the Library
    * Library description
    * Functions list
    * Library code (if WITHCODE is given)
    It also possible to get only function that matches a pattern using LIBRARYNAME argument.
STATS
    Return information about the current function running:
    * Function name
    * Command used to run the function
    * Duration in MS that the function is running
    If no function is running, return nil
    In addition, returns a list of available engines.
KILL
    Kill the current running function.
FLUSH [ASYNC|SYNC]
    Delete all the libraries.
    When called without the optional mode argument, the behavior is determined by the
    lazyfree-lazy-user-flush configuration directive. Valid modes are:
    * ASYNC: Asynchronously flush the libraries.
    * SYNC: Synchronously flush the libraries.
DUMP
    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command
RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]
    Restore the libraries represented by the given payload, it is possible to give a restore policy to
    control how to handle existing libraries (default APPEND):
    * FLUSH: delete all existing libraries.
    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.
    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old
      libraries with the new libraries (notice that even on this option there is a chance of failure
      in case of functions name collision with another library).
HELP
    Prints this help.`
