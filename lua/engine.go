package lua

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	glua "github.com/yuin/gopher-lua"
)

// Version is the Redis version scripts see as redis.REDIS_VERSION.
const Version = "7.0.15"

// versionNum is redis.REDIS_VERSION_NUM: 0x00MMmmpp.
const versionNum = 7<<16 | 0<<8 | 15

// Options configure an Engine. The zero value is ready to use.
type Options struct {
	// Now is the clock used for FUNCTION STATS durations. Default time.Now.
	Now func() time.Time
}

// RunOptions qualify one Eval, EvalSHA or FCall.
type RunOptions struct {
	// ReadOnly is set for EVAL_RO, EVALSHA_RO and FCALL_RO: write commands are
	// refused (the host sees Call.ReadOnly) and a script or function that
	// declares it may write is refused before it runs.
	ReadOnly bool
	// Command is the full command line (e.g. FCALL name 1 k), reported by
	// FUNCTION STATS while the script runs. Optional.
	Command []string
	// Cluster is set when the host runs in cluster mode: a script or
	// function with the no-cluster flag is refused before it runs.
	Cluster bool
}

// ErrNoCluster is the refusal of a no-cluster script in cluster mode.
const ErrNoCluster = "ERR Can not run script on cluster, 'no-cluster' flag is set."

// Running describes the script in execution, for SCRIPT KILL, FUNCTION KILL
// and FUNCTION STATS.
type Running struct {
	Name     string    // the SHA1 of an EVAL script, or the function's name
	Function bool      // true for FCALL
	Wrote    bool      // the script has begun a write command (Call.BeginWrite)
	Command  []string  // RunOptions.Command
	Start    time.Time // when the script started running
}

// Engine runs Redis 7.0 Lua scripts and functions in one Lua VM.
//
// Every method except Kill and Running must be called from one goroutine at a
// time (the store's executor); the Host is called back on that goroutine.
// Kill and Running are safe from any goroutine.
type Engine struct {
	now func() time.Time

	// Owned by the executing goroutine.
	L           *glua.LState
	globals     *glua.LTable                  // the real globals (raw access only)
	env         *glua.LTable                  // the read-only proxy EVAL scripts run with (reads go to globals)
	fnGlobals   *glua.LTable                  // the globals of functions: globals without KEYS and ARGV
	fenv        *glua.LTable                  // the read-only proxy function libraries run with
	fenvMeta    *glua.LTable                  // fenv's metatable: __index switches to loadGlobals during FUNCTION LOAD
	readonly    map[*glua.LTable]*glua.LTable // read-only proxy → the table it protects
	errFn       *glua.LFunction               // error handler for the outermost pcall
	scripts     map[string]*script            // SCRIPT LOAD / EVAL cache by SHA1
	libs        map[string]*library
	funcs       map[string]*function
	rng         rand48
	run         *runState    // the current run, nil when idle
	hook        yieldCtx     // the context of the current run when its host is a Yielder
	loading     *library     // the library being loaded by FUNCTION LOAD, nil otherwise
	loadHost    Host         // the host of that FUNCTION LOAD, for redis.log; may be nil
	loadGlobals *glua.LTable // the globals FUNCTION LOAD runs with

	mu      sync.Mutex // guards current, nlibs and nfuncs
	current *current
	nlibs   int // len(libs), for FunctionStats from any goroutine
	nfuncs  int // len(funcs)
}

type current struct {
	info   Running
	cancel context.CancelFunc
}

type script struct {
	fn    *glua.LFunction
	body  string
	flags scriptFlags
}

// runState is the context of the script in execution.
type runState struct {
	host     Host
	ctx      context.Context
	name     string // sha or function name, for the "script: X" suffix
	resp     int
	function bool // an FCALL: code runs in fenv
	readOnly bool
	allowOOM bool
	// crossSlot: the script may use keys of different cluster slots
	// (legacy EVAL scripts, and the allow-cross-slot-keys flag).
	crossSlot bool
	errSrc    string // where the last raised error happened
	errLine   int
}

// NewEngine returns an Engine with the Redis 7.0 script environment set up.
func NewEngine(opts Options) *Engine {
	e := &Engine{
		now:      opts.Now,
		readonly: map[*glua.LTable]*glua.LTable{},
		scripts:  map[string]*script{},
		libs:     map[string]*library{},
		funcs:    map[string]*function{},
	}
	if e.now == nil {
		e.now = time.Now
	}
	e.rng.init()
	e.setup()
	return e
}

// Close releases the Lua VM. The Engine must not be used afterwards.
func (e *Engine) Close() { e.L.Close() }

// SHA1Hex returns the lower-case hex SHA1 of s, the name of a script.
func SHA1Hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// SplitKeys parses the numkeys argument of EVAL, EVALSHA and FCALL and splits
// rest (the arguments after numkeys) into keys and args, with Redis's errors.
func SplitKeys(numkeys string, rest []string) (keys, argv []string, err error) {
	n, perr := strconv.ParseInt(numkeys, 10, 64)
	if perr != nil || (len(numkeys) > 1 && (numkeys[0] == '0' || numkeys[0] == '+' || (numkeys[0] == '-' && numkeys[1] == '0'))) || numkeys == "" || numkeys == "-" {
		return nil, nil, newError(ErrNotInteger)
	}
	if n < 0 {
		return nil, nil, newError(ErrNegativeKeys)
	}
	if n > int64(len(rest)) {
		return nil, nil, newError(ErrTooManyKeys)
	}
	return rest[:n], rest[n:], nil
}

// ---------------------------------------------------------------------------
// Script cache: SCRIPT LOAD, EXISTS, FLUSH.

// Load compiles body and caches it under its SHA1, which it returns (SCRIPT
// LOAD). A script that does not compile is not cached; the error text is
// Redis's ("ERR Error compiling script (new function): user_script:1: ...").
func (e *Engine) Load(body string) (string, error) {
	sha := SHA1Hex(body)
	if _, ok := e.scripts[sha]; ok {
		return sha, nil
	}
	s, err := e.compileScript(body)
	if err != nil {
		return "", err
	}
	e.scripts[sha] = s
	return sha, nil
}

// Exists reports for each SHA1 whether the script is cached (SCRIPT EXISTS).
// The comparison ignores case, as Redis does.
func (e *Engine) Exists(shas ...string) []bool {
	out := make([]bool, len(shas))
	for i, s := range shas {
		_, out[i] = e.scripts[strings.ToLower(s)]
	}
	return out
}

// Flush empties the script cache (SCRIPT FLUSH). Functions are kept.
func (e *Engine) Flush() {
	e.scripts = map[string]*script{}
}

// NumScripts returns the number of cached scripts (INFO: number_of_cached_scripts).
func (e *Engine) NumScripts() int { return len(e.scripts) }

func (e *Engine) compileScript(body string) (*script, error) {
	code := body
	var flags scriptFlags
	if strings.HasPrefix(body, "#!") {
		f, rest, err := parseEvalShebang(body)
		if err != nil {
			return nil, err
		}
		flags, code = f, rest
	} else {
		flags = flagsLegacy
	}
	fn, err := e.L.Load(strings.NewReader(code), "user_script")
	if err != nil {
		return nil, newError("ERR Error compiling script (new function): " + compileMessage(err, "user_script", code))
	}
	fn.Env = e.env
	noArgTable(fn)
	return &script{fn: fn, body: body, flags: flags}, nil
}

// ---------------------------------------------------------------------------
// Running scripts.

// Eval runs body (EVAL / EVAL_RO), caching it like SCRIPT LOAD. keys and argv
// become KEYS and ARGV. The reply is the script's result converted by Redis's
// rules, or an error reply.
func (e *Engine) Eval(ctx context.Context, host Host, body string, keys, argv []string, opts RunOptions) Reply {
	sha := SHA1Hex(body)
	s, ok := e.scripts[sha]
	if !ok {
		var err error
		s, err = e.compileScript(body)
		if err != nil {
			return Error(err.Error())
		}
		e.scripts[sha] = s
	}
	return e.runScript(ctx, host, sha, s, keys, argv, opts)
}

// EvalSHA runs the cached script sha (EVALSHA / EVALSHA_RO); NOSCRIPT if it is
// not cached.
func (e *Engine) EvalSHA(ctx context.Context, host Host, sha string, keys, argv []string, opts RunOptions) Reply {
	s, ok := e.scripts[strings.ToLower(sha)]
	if !ok {
		return Error(ErrNoScript)
	}
	return e.runScript(ctx, host, strings.ToLower(sha), s, keys, argv, opts)
}

func (e *Engine) runScript(ctx context.Context, host Host, sha string, s *script, keys, argv []string, opts RunOptions) Reply {
	if e.run != nil {
		return Error(ErrNotAllowed) // see call
	}
	if opts.Cluster && s.flags&flagsLegacy == 0 && s.flags&flagNoCluster != 0 {
		return Error(ErrNoCluster)
	}
	if opts.ReadOnly && s.flags&flagsLegacy == 0 && s.flags&flagNoWrites == 0 {
		return Error(ErrROWithWrite)
	}
	readOnly := opts.ReadOnly || s.flags&flagNoWrites != 0
	// Replaced, never deleted: only EVAL scripts read these globals, and each
	// run sets them first. (Deleting and re-adding a key costs gopher-lua a
	// map rehash now and then.)
	e.globals.RawSetString("KEYS", stringArray(e.L, keys))
	e.globals.RawSetString("ARGV", stringArray(e.L, argv))
	return e.call(ctx, host, sha, false, s.fn, nil, readOnly, s.flags&flagAllowOOM != 0, s.flags&(flagsLegacy|flagAllowCrossSlot) != 0, opts)
}

// call runs fn (with args pushed when function is true) under the run
// protocol shared by EVAL and FCALL: one run at a time, cancellable, the error
// handler recording where an error happened.
func (e *Engine) call(ctx context.Context, host Host, name string, function bool, fn *glua.LFunction, args []glua.LValue, readOnly, allowOOM, crossSlot bool, opts RunOptions) Reply {
	if e.run != nil {
		// A script calling EVAL/FCALL through the host: Redis refuses these
		// commands in scripts, so the host should never get here.
		return Error(ErrNotAllowed)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	e.mu.Lock()
	e.current = &current{info: Running{Name: name, Function: function, Command: opts.Command, Start: e.now()}, cancel: cancel}
	e.mu.Unlock()
	e.run = &runState{host: host, ctx: ctx, name: name, resp: 2, function: function, readOnly: readOnly, allowOOM: allowOOM, crossSlot: crossSlot}
	L := e.L
	if y, ok := host.(Yielder); ok {
		e.hook = yieldCtx{Context: ctx, y: y}
		L.SetContext(&e.hook)
	} else if ctx.Done() != nil {
		L.SetContext(ctx)
	}
	if function {
		L.Env = e.fenv
	}
	defer func() {
		L.Env = e.env
		L.RemoveContext()
		e.hook = yieldCtx{}
		L.SetTop(0)
		e.run = nil
		e.mu.Lock()
		e.current = nil
		e.mu.Unlock()
	}()

	L.Push(fn)
	for _, a := range args {
		L.Push(a)
	}
	err := L.PCall(len(args), 1, e.errFn)
	if ctx.Err() != nil {
		return Error(e.located("ERR Script killed by user with SCRIPT KILL..."))
	}
	if err != nil {
		return Error(e.located(errorText(err)))
	}
	return e.toReply(L.Get(-1), e.run.resp)
}

// located appends Redis's " script: NAME, on @SOURCE:LINE." to msg.
func (e *Engine) located(msg string) string {
	r := e.run
	if r.errSrc != "" {
		src := r.errSrc
		if src == "user_script" || src == "user_function" {
			src = "@" + src
		}
		msg += fmt.Sprintf(" script: %s, on %s:%d.", r.name, src, r.errLine)
	}
	return sanitize(msg)
}

// errorText renders an error raised by a script as Redis's handler does: a
// table's err field as is, anything else as "ERR " followed by its string.
func errorText(err error) string {
	aerr, ok := err.(*glua.ApiError)
	if !ok {
		return "ERR " + err.Error()
	}
	return errorValueText(aerr.Object)
}

func errorValueText(v glua.LValue) string {
	switch o := v.(type) {
	case *glua.LTable:
		if s, ok := o.RawGetString("err").(glua.LString); ok {
			return string(s)
		}
		return "ERR execution failure"
	case glua.LString:
		return "ERR " + luaMessage(string(o))
	case glua.LNumber:
		return "ERR " + formatNumber(float64(o))
	case nil:
		return "ERR execution failure"
	default:
		return "ERR " + v.String()
	}
}

func sanitize(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		s = strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' {
				return ' '
			}
			return r
		}, s)
	}
	return s
}

// errHandler runs before the Lua stack unwinds: it records the line of the
// innermost Lua function, skipping Go functions such as redis.call, as
// Redis's __redis__err__handler does with debug.getinfo.
func (e *Engine) errHandler(L *glua.LState) int {
	if e.run != nil {
		e.run.errSrc, e.run.errLine = "", 0
		for level := 1; ; level++ {
			dbg, ok := L.GetStack(level)
			if !ok {
				break
			}
			if _, err := L.GetInfo("Sl", dbg, glua.LNil); err != nil {
				break
			}
			if dbg.What == "G" || dbg.CurrentLine < 0 {
				continue
			}
			e.run.errSrc, e.run.errLine = dbg.Source, dbg.CurrentLine
			break
		}
	}
	L.Push(L.Get(1))
	return 1
}

// Kill stops the running script (SCRIPT KILL when function is false, FUNCTION
// KILL when true). It returns nil when the script was told to stop, or an
// error with Redis's text: ErrNotBusy, ErrUnkillable, or a BUSY error when the
// running kind does not match. Safe from any goroutine.
func (e *Engine) Kill(function bool) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.current
	if c == nil {
		return newError(ErrNotBusy)
	}
	if c.info.Wrote {
		return newError(ErrUnkillable)
	}
	if c.info.Function != function {
		if c.info.Function {
			return newError(ErrBusyFunction)
		}
		return newError(ErrBusy)
	}
	c.cancel()
	return nil
}

// Running reports the script in execution, if any. Safe from any goroutine.
func (e *Engine) Running() (Running, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.current == nil {
		return Running{}, false
	}
	return e.current.info, true
}

// beginWrite is Call.BeginWrite: under mu, which Kill holds while it
// decides and cancels, so "not killed" and "has written" are one step.
func (e *Engine) beginWrite() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.run == nil || e.run.ctx.Err() != nil {
		return false
	}
	if e.current != nil {
		e.current.info.Wrote = true
	}
	return true
}

// noArgTable stops gopher-lua from building the Lua 5.0 "arg" table on every
// call of a main chunk (a 2 KB allocation per EVAL); Redis's Lua does not
// build it for chunks either.
func noArgTable(fn *glua.LFunction) {
	fn.Proto.IsVarArg &^= glua.VarArgNeedsArg
}

func stringArray(L *glua.LState, ss []string) *glua.LTable {
	t := L.CreateTable(len(ss), 0)
	for i, s := range ss {
		t.RawSetInt(i+1, glua.LString(s))
	}
	return t
}

// Yielder is an optional interface of a Host. When the Host of a run
// implements it, Yield is called on the goroutine running the script,
// between two Lua instructions, once every YieldEvery instructions, for as
// long as the script runs Lua code (not while it is inside a Go function
// such as redis.call or string.rep, nor inside a coroutine, which runs on
// a context of its own). The store uses it as Redis uses its script
// interrupt hook: past the busy threshold it answers the other clients
// (BUSY, SCRIPT KILL ...). Yield must not call the Engine, except Kill,
// Running and FunctionStats, which are safe from anywhere.
type Yielder interface {
	Yield()
}

// YieldEvery is how many Lua instructions run between two calls of
// Yielder.Yield. A power of two.
const YieldEvery = 1 << 10

// yieldCtx is the context a run of a Yielder host runs with: gopher-lua
// calls Done before every instruction, which makes it the instruction
// hook that gopher-lua does not otherwise offer. Owned by the goroutine
// running the script.
type yieldCtx struct {
	context.Context
	n uint32
	y Yielder
}

func (c *yieldCtx) Done() <-chan struct{} {
	c.n++
	if c.n&(YieldEvery-1) == 0 {
		c.y.Yield()
	}
	return c.Context.Done()
}
