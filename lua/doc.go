// Package lua is embedis's script engine: Redis 7.0 Lua scripting (EVAL,
// EVALSHA, SCRIPT LOAD/EXISTS/FLUSH/KILL) and Redis 7.0 functions (FUNCTION
// LOAD/DELETE/FLUSH/LIST/DUMP/RESTORE/STATS/KILL, FCALL, FCALL_RO), built on
// gopher-lua (Lua 5.1, like Redis). It imports nothing from the root package:
// commands come in as strings, replies go out as the neutral Reply tree, and
// the store is reached only through the Host interface.
//
// # Basics
//
// The root keeps one Engine per store (NewEngine), calls it from the
// executor, and maps commands to methods:
//
//	EVAL body n k.. a..          keys, argv, err := SplitKeys(n, rest); e.Eval(ctx, host, body, keys, argv, RunOptions{})
//	EVAL_RO                      the same with RunOptions{ReadOnly: true}
//	EVALSHA / EVALSHA_RO sha ..  e.EvalSHA(ctx, host, sha, keys, argv, opts)
//	SCRIPT LOAD body             sha, err := e.Load(body)
//	SCRIPT EXISTS sha..          e.Exists(shas...) → []bool
//	SCRIPT FLUSH [ASYNC|SYNC]    e.Flush()
//	SCRIPT KILL                  err := e.Kill(false)  (from any goroutine)
//	FUNCTION LOAD [REPLACE] code name, err := e.FunctionLoad(ctx, host, code, replace)
//	FUNCTION DELETE lib          err := e.FunctionDelete(lib)
//	FUNCTION FLUSH               e.FunctionFlush()
//	FUNCTION LIST [LIBRARYNAME p] [WITHCODE]   e.FunctionList(p, withCode) → Reply
//	FUNCTION DUMP                e.FunctionDump() → []byte (a bulk string)
//	FUNCTION RESTORE data [policy]  p, err := ParseRestorePolicy(s); err = e.FunctionRestore(ctx, data, p)
//	FUNCTION STATS               e.FunctionStats() → Reply
//	FUNCTION KILL                err := e.Kill(true)  (from any goroutine)
//	FCALL / FCALL_RO f n k.. a.. e.FCall(ctx, host, f, keys, argv, opts)
//
// Methods that fail return an error whose Error() is the exact Redis 7.0 reply
// text, code included ("ERR Library not found"); methods that run code return
// a Reply, which is an error reply (KindError) when the script failed, with
// Redis's text, e.g.
//
//	ERR user_script:1: Script attempted to access nonexistent global variable 'x' script: <sha>, on @user_script:1.
//	ERR Error compiling script (new function): user_script:1: unexpected symbol near '+'
//	NOSCRIPT No matching script. Please use EVAL.
//
// The Err* constants hold the texts the root needs on its side (BUSY,
// NOTBUSY, UNKILLABLE, the numkeys errors, the texts Host.Call returns for an
// unknown command, a wrong argument count, a no-script command or a write in
// a read-only script).
//
// # Host
//
// Host.Call runs one command for redis.call / redis.pcall on the caller's
// goroutine and returns its reply; the engine converts it with Redis's rules
// (integer → number, bulk → string, null → false (RESP2) or nil (RESP3),
// status → {ok=...}, error → {err=...}, array → table, and under
// redis.setresp(3) map → {map=...}, set → {set=...}, double → {double=...},
// boolean, big number → {big_number=...}, verbatim → {verbatim_string=...}).
// The Call carries what the host must enforce: RESP (reply shape), ReadOnly
// (refuse writes with ErrWriteInReadOnly) and AllowOOM; before it runs a
// write command the host calls Call.BeginWrite, which makes the script
// UNKILLABLE, or reports that it was killed (then the host runs nothing).
// The host must refuse commands flagged no-script (ErrNotAllowed): EVAL,
// FCALL, MULTI, blocking commands and so on — the engine runs one script at a
// time and answers a nested run with ErrNotAllowed itself. Host.Log receives
// redis.log lines.
//
// A script's result converts by Redis's rules too: number → integer
// (truncated; out of range → the minimum int64, as C's cast on x86-64),
// string → bulk, true → integer 1 (RESP3 after setresp(3): boolean), false →
// null (RESP3: boolean false), nil → null, table → array up to the first nil,
// {err=...} → error, {ok=...} → status (err wins when both), {double=...},
// {map=...}, {set=...}, {big_number=...}, {verbatim_string=...} → their RESP3
// kinds. The Reply uses RESP3 kinds; the root's writer downgrades them for
// RESP2 clients as Redis does (double → bulk, map → flat array, set → array,
// boolean → integer 1/0, big number → bulk, verbatim → bulk).
//
// # Concurrency
//
// One Engine owns one Lua VM (*lua.LState) reused by every script, as Redis
// reuses its VM. All methods except Kill and Running must be called by one
// goroutine at a time — the store's executor — and Host methods are called
// back on that goroutine. Kill and Running are safe from any goroutine: the
// wire layer answers SCRIPT KILL / FUNCTION KILL / FUNCTION STATS and BUSY
// while the executor is inside a script.
//
// # Time limit
//
// Eval, EvalSHA, FCall and FunctionLoad take a context. When it is cancelled,
// or when Kill succeeds, the script stops at its next Lua instruction or
// redis.call (a pcall inside the script cannot catch it for good: the next
// instruction raises again) and the reply is
// "ERR Script killed by user with SCRIPT KILL... script: <name>, on @user_script:<line>.".
// The engine itself has no clock-based limit: a Host that implements
// Yielder is called back every YieldEvery Lua instructions, where the root
// checks busy-reply-threshold (lua-time-limit) and, once it has passed,
// answers other clients (ErrBusy / ErrBusyFunction, SCRIPT KILL ...); Kill refuses with
// ErrUnkillable once the script has begun a write (Call.BeginWrite), and the caller's
// context still stops it (SHUTDOWN NOSAVE).
//
// # Sandbox
//
// Scripts see the Redis 7.0 globals: the base library without dofile,
// loadfile, print, require, module, getfenv, setfenv and newproxy; string,
// table, math, coroutine; cjson, cmsgpack, bit, struct; redis; KEYS and ARGV
// (EVAL only). No os, io, debug or package library exists. Globals cannot be
// created ("Attempt to modify a readonly table") and reading a missing one
// raises ("Script attempted to access nonexistent global variable 'x'");
// library tables are read-only too. Redis implements this with a patched Lua;
// here scripts run with an empty environment table whose metatable forwards
// reads and refuses writes, each library table is a read-only proxy, and
// rawset, rawget, setmetatable, getmetatable, next and pairs see through or
// refuse the proxies. FUNCTION LOAD runs library code with only
// redis.register_function, redis.log, the LOG_* constants and the version in
// scope, as Redis 7.0 does; functions then run with the script globals
// (without KEYS and ARGV).
//
// math.random and math.randomseed use Redis's rand48 generator. Like Redis
// 7.0 the state is shared by every script and starts from the same seed when
// the Engine is created, so a new Engine yields the sequence a freshly started
// redis-server does (math.random(100) → 40, 85, 36, ...).
//
// # FUNCTION DUMP format
//
// FunctionDump's payload is embedis's own (not Redis's RDB encoding, so it
// cannot be restored into a real Redis and vice versa):
//
//	"EMBFN" | version 1 (one byte) | uvarint count |
//	count × (uvarint length | library code) | CRC-32 IEEE, big endian, of all preceding bytes
//
// FunctionRestore rejects anything else with ErrBadPayload and applies the
// policy all-or-nothing: APPEND fails on an existing library ("ERR Library x
// already exists"), REPLACE replaces libraries of the same name, FLUSH deletes
// every library first; a function name clash fails the whole restore.
//
// # Caveats
//
//   - gopher-lua is not PUC Lua. The engine rewrites its common runtime
//     errors into Lua 5.1's generic wording ("attempt to perform arithmetic
//     on a nil value", "attempt to index a nil value", "attempt to call a nil
//     value", "bad argument #1 to 'floor' (...)"), but Lua adds variable names
//     where it knows them ("attempt to index local 'x' (a nil value)") and
//     the engine cannot; "#" on a non-table still says "__len undefined".
//     Compile errors keep Lua's "<chunk>:<line>: ... near '<token>'" shape,
//     but gopher-lua does not say which token it expected, so "'end'
//     expected" and "'=' expected" come out as "unexpected symbol".
//   - Table iteration order (pairs, and so the order of {map=...} replies and
//     cjson objects) differs from PUC Lua's. Numbers converted to strings by
//     concatenation use Go's shortest form; tostring, redis.log and redis.call
//     arguments use Lua's %.14g and Redis's %.17g as Redis does.
//   - getmetatable on the globals and on library tables returns false (Redis:
//     the protecting metatable); the tables still cannot be modified.
//   - error({}) (no err field) replies "ERR execution failure" where Redis
//     7.0.15 crashes.
//   - redis.acl_check_cmd always answers true: embedis has no ACL users.
//   - redis.breakpoint and redis.debug are the no-ops they are outside the
//     Lua debugger, which is not implemented (SCRIPT DEBUG).
//   - The flags allow-stale, no-cluster and allow-cross-slot-keys are parsed
//     and listed but change nothing: embedis has no replicas or cluster.
//
// The root's testdata/diff/scripting.txt is a differential script (the
// testdata/diff format) for the commands above, checked against
// redis-server 7.0.15, for the root integration to adopt.
package lua
