package embedis

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/embedis/embedis/lua"
	"github.com/redis/go-redis/v9"
)

func TestScriptEvalTyped(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()

	v, err := ts.Eval(ctx, "return redis.call('INCRBY', KEYS[1], ARGV[1])", []string{"n"}, 5)
	if err != nil || v.Kind() != KindInt || v.Int() != 5 {
		t.Fatalf("Eval INCRBY = %v, %v", v, err)
	}
	v, err = ts.Eval(ctx, "return {KEYS[1], ARGV[1], ARGV[2]}", []string{"k"}, "a", 1.5)
	if err != nil || v.String() != `1) "k"`+"\n"+`2) "a"`+"\n"+`3) "1.5"` {
		t.Fatalf("Eval KEYS/ARGV = %q, %v", v.String(), err)
	}
	// A script error is the error, and the Value carries it too.
	v, err = ts.Eval(ctx, "return redis.call('nosuch')", nil)
	want := "ERR Unknown Redis command called from script script: "
	if err == nil || !strings.HasPrefix(err.Error(), want) || v.Kind() != KindError {
		t.Fatalf("Eval unknown command = %v, %v", v, err)
	}
	if _, err := ts.Eval(ctx, "return {err='MY own error'}", nil); err == nil || err.Error() != "MY own error" {
		t.Fatalf("error reply: %v", err)
	}

	sha, err := ts.ScriptLoad(ctx, "return ARGV[1]")
	if err != nil || sha != lua.SHA1Hex("return ARGV[1]") {
		t.Fatalf("ScriptLoad = %q, %v", sha, err)
	}
	if v, err := ts.EvalSha(ctx, sha, nil, "x"); err != nil || v.Str() != "x" {
		t.Fatalf("EvalSha = %v, %v", v, err)
	}
	if v, err := ts.EvalShaRO(ctx, strings.ToUpper(sha), nil, "y"); err != nil || v.Str() != "y" {
		t.Fatalf("EvalShaRO = %v, %v", v, err)
	}
	ok, err := ts.ScriptExists(ctx, sha, strings.Repeat("f", 40))
	if err != nil || len(ok) != 2 || !ok[0] || ok[1] {
		t.Fatalf("ScriptExists = %v, %v", ok, err)
	}
	if err := ts.ScriptFlush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.EvalSha(ctx, sha, nil); !errors.Is(err, ErrNoScript) {
		t.Fatalf("EvalSha after flush: %v", err)
	}

	// Read-only scripts.
	if _, err := ts.EvalRO(ctx, "return redis.call('SET', 'a', 'b')", nil); err == nil ||
		!strings.HasPrefix(err.Error(), lua.ErrWriteInReadOnly+" script: ") {
		t.Fatalf("EvalRO write: %v", err)
	}
	if v, err := ts.EvalRO(ctx, "return redis.call('GET', KEYS[1])", []string{"n"}); err != nil || v.Str() != "5" {
		t.Fatalf("EvalRO read = %v, %v", v, err)
	}
	if err := ts.ScriptKill(ctx); !errors.Is(err, ErrNotBusy) {
		t.Fatalf("ScriptKill idle: %v", err)
	}
	if err := ts.FunctionKill(ctx); !errors.Is(err, ErrNotBusy) {
		t.Fatalf("FunctionKill idle: %v", err)
	}
}

// rateLimit allows ARGV[2] calls per window of ARGV[1] seconds per key.
const rateLimit = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if n > tonumber(ARGV[2]) then return 0 end
return 1`

func TestScriptRateLimit(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	limit := NewScript(rateLimit)
	allow := func() bool {
		t.Helper()
		v, err := limit.Run(ctx, ts.DB, []string{"rl:user1"}, 60, 3)
		if err != nil {
			t.Fatal(err)
		}
		return v.Int() == 1
	}
	for i := 0; i < 3; i++ {
		if !allow() {
			t.Fatalf("call %d refused", i+1)
		}
	}
	if allow() {
		t.Fatal("4th call in the window allowed")
	}
	if ttl, err := ts.TTL(ctx, "rl:user1"); err != nil || ttl != 60*time.Second {
		t.Fatalf("TTL = %v, %v", ttl, err)
	}
	ts.clk.Advance(61 * time.Second)
	if !allow() {
		t.Fatal("call after the window refused")
	}
}

// unlock deletes the lock only if it still holds the caller's token.
const unlock = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0`

func TestScriptLockRelease(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	if err := ts.Set(ctx, "lock", "token-a", SetOptions{}); err != nil {
		t.Fatal(err)
	}
	release := NewScript(unlock)
	if v, err := release.Run(ctx, ts.DB, []string{"lock"}, "token-b"); err != nil || v.Int() != 0 {
		t.Fatalf("release with a foreign token = %v, %v", v, err)
	}
	if v, _ := ts.Get(ctx, "lock"); v != "token-a" {
		t.Fatalf("lock = %q after a foreign release", v)
	}
	if v, err := release.Run(ctx, ts.DB, []string{"lock"}, "token-a"); err != nil || v.Int() != 1 {
		t.Fatalf("release = %v, %v", v, err)
	}
	if _, err := ts.Get(ctx, "lock"); !errors.Is(err, Nil) {
		t.Fatalf("lock still held: %v", err)
	}
	// Run loaded the script by EVAL after NOSCRIPT; it is cached now.
	if ok, _ := ts.ScriptExists(ctx, release.Hash()); !ok[0] {
		t.Fatal("script not cached after Run")
	}
	// A script without a shebang may run read-only until it tries to write.
	if err := ts.Set(ctx, "lock", "x", SetOptions{}); err != nil {
		t.Fatal(err)
	}
	if v, err := release.RunRO(ctx, ts.DB, []string{"lock"}, "y"); err != nil || v.Int() != 0 {
		t.Fatalf("RunRO without a write = %v, %v", v, err)
	}
	if _, err := release.RunRO(ctx, ts.DB, []string{"lock"}, "x"); err == nil || !strings.HasPrefix(err.Error(), lua.ErrWriteInReadOnly) {
		t.Fatalf("RunRO with a write: %v", err)
	}
}

func TestScriptGoRedisScript(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Dialer: ts.DialContext})
	defer rdb.Close()
	sc := redis.NewScript(rateLimit)
	for i, want := range []int64{1, 1, 0} {
		n, err := sc.Run(ctx, rdb, []string{"rl"}, 10, 2).Int64()
		if err != nil || n != want {
			t.Fatalf("run %d = %d, %v", i, n, err)
		}
	}
	if err := rdb.Eval(ctx, "return redis.call('nosuch')", nil).Err(); err == nil ||
		!strings.HasPrefix(err.Error(), lua.ErrUnknownCommand) {
		t.Fatalf("go-redis Eval error: %v", err)
	}
}

func TestScriptDatabases(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	db1 := ts.Database(1)
	if err := db1.Set(ctx, "k", "one", SetOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := ts.Set(ctx, "k", "zero", SetOptions{}); err != nil {
		t.Fatal(err)
	}
	if v, _ := db1.Eval(ctx, "return redis.call('GET', 'k')", nil); v.Str() != "one" {
		t.Fatalf("script on db 1 read %v", v)
	}
	// SELECT inside the script moves the script only.
	if v, _ := ts.Eval(ctx, "redis.call('SELECT', 1) return redis.call('GET', 'k')", nil); v.Str() != "one" {
		t.Fatalf("script after SELECT 1 read %v", v)
	}
	if v, _ := ts.Get(ctx, "k"); v != "zero" {
		t.Fatalf("caller's database changed: %q", v)
	}
	rc := dialRaw(t, ts.Store)
	rc.roundTrip("SELECT 1\r\n", "+OK\r\n")
	rc.roundTrip("EVAL \"redis.call('select', 0) return redis.call('get', 'k')\" 0\r\n", "$4\r\nzero\r\n")
	rc.roundTrip("GET k\r\n", "$3\r\none\r\n")
}

func TestScriptReplyConversions(t *testing.T) {
	big := "123456789012345678901234567890"
	v := ArrayValue(nullValue, nullArrayValue, SimpleValue("OK"), ErrorValue("ERR x"), IntValue(-3),
		DoubleValue(1.5), BulkValue("b"), MapValue(BulkValue("f"), IntValue(1)), SetValue(BulkValue("m")),
		BoolValue(true), BoolValue(false), VerbatimValue("txt", "hi"), BigNumberValue(big), PushValue(BulkValue("p")))
	r3 := toReply(v, 3)
	want3 := `[(nil) (nil) +OK -ERR x :-3 ,1.5 "b" {"f" :1} ~{"m"} #t #f =txt:"hi" (` + big + ` ["p"]]`
	if r3.String() != want3 {
		t.Errorf("RESP3:\n got  %s\n want %s", r3, want3)
	}
	r2 := toReply(v, 2)
	want2 := `[(nil) (nil) +OK -ERR x :-3 "1.5" "b" ["f" :1] ["m"] :1 :0 "hi" "` + big + `" ["p"]]`
	if r2.String() != want2 {
		t.Errorf("RESP2:\n got  %s\n want %s", r2, want2)
	}
	// And back: every lua kind becomes the Value kind of the same shape.
	back := replyValue(r3)
	wantKinds := []Kind{KindNull, KindNull, KindSimple, KindError, KindInt, KindDouble, KindBulk, KindMap,
		KindSet, KindBool, KindBool, KindVerbatim, KindBigNumber, KindArray}
	for i, e := range back.Elems() {
		if e.Kind() != wantKinds[i] {
			t.Errorf("element %d: kind %s, want %s", i, e.Kind(), wantKinds[i])
		}
	}
	if e := back.Elems()[11]; e.Str() != "hi" || e.VerbatimFormat() != "txt" {
		t.Errorf("verbatim = %q %q", e.VerbatimFormat(), e.Str())
	}
	if e := back.Elems()[7]; !valuesEqual(e, MapValue(BulkValue("f"), IntValue(1))) {
		t.Errorf("map = %v", e)
	}

	// Through a script, RESP3 kinds reach the caller.
	ts := newTestStore(t)
	ctx := context.Background()
	got, err := ts.Eval(ctx, "redis.setresp(3) return {redis.call('HGETALL', 'nohash'), {double=0.5}, true, {big_number='12'}}", nil)
	if err != nil {
		t.Fatal(err)
	}
	wantv := ArrayValue(MapValue(), DoubleValue(0.5), BoolValue(true), BigNumberValue("12"))
	if !valuesEqual(got, wantv) {
		t.Errorf("Eval RESP3 result = %v", got)
	}
}

func TestFunctionsTyped(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	lib := "#!lua name=counters\n" +
		"redis.register_function('incr', function(keys, args) return redis.call('INCRBY', keys[1], args[1]) end)\n" +
		"redis.register_function{function_name='peek', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}}"
	name, err := ts.FunctionLoad(ctx, lib, false)
	if err != nil || name != "counters" {
		t.Fatalf("FunctionLoad = %q, %v", name, err)
	}
	if _, err := ts.FunctionLoad(ctx, lib, false); err == nil || err.Error() != "ERR Library 'counters' already exists" {
		t.Fatalf("second FunctionLoad: %v", err)
	}
	if _, err := ts.FunctionLoad(ctx, lib, true); err != nil {
		t.Fatalf("FunctionLoad REPLACE: %v", err)
	}
	if v, err := ts.FCall(ctx, "incr", []string{"c"}, 7); err != nil || v.Int() != 7 {
		t.Fatalf("FCall = %v, %v", v, err)
	}
	if v, err := ts.FCallRO(ctx, "peek", []string{"c"}); err != nil || v.Str() != "7" {
		t.Fatalf("FCallRO = %v, %v", v, err)
	}
	if _, err := ts.FCallRO(ctx, "incr", []string{"c"}, 1); err == nil || err.Error() != lua.ErrROWithWrite {
		t.Fatalf("FCallRO of a writing function: %v", err)
	}
	list, err := ts.FunctionList(ctx, "count*", true)
	if err != nil || list.Len() != 1 {
		t.Fatalf("FunctionList = %v, %v", list, err)
	}
	lm := list.Elems()[0]
	if lm.Kind() != KindMap || lm.Elems()[1].Str() != "counters" || lm.Elems()[7].Str() != lib {
		t.Fatalf("FunctionList entry = %v", lm)
	}
	if l, _ := ts.FunctionList(ctx, "other*", false); l.Len() != 0 {
		t.Fatalf("FunctionList other* = %v", l)
	}
	if err := ts.FunctionDelete(ctx, "counters"); err != nil {
		t.Fatal(err)
	}
	if err := ts.FunctionDelete(ctx, "counters"); err == nil || err.Error() != "ERR Library not found" {
		t.Fatalf("FunctionDelete again: %v", err)
	}
	if _, err := ts.FCall(ctx, "incr", []string{"c"}, 1); err == nil || err.Error() != "ERR Function not found" {
		t.Fatalf("FCall after delete: %v", err)
	}
	if _, err := ts.FunctionLoad(ctx, lib, false); err != nil {
		t.Fatal(err)
	}
	// DUMP, FLUSH, RESTORE round trip.
	dump := ts.do("FUNCTION", "DUMP")
	if err := ts.FunctionFlush(ctx); err != nil {
		t.Fatal(err)
	}
	ts.expect(okValue, "FUNCTION", "RESTORE", dump.Str())
	if v, err := ts.FCall(ctx, "incr", []string{"c"}, 1); err != nil || v.Int() != 8 {
		t.Fatalf("FCall after RESTORE = %v, %v", v, err)
	}
	stats := ts.do("FUNCTION", "STATS")
	if stats.Kind() != KindMap || !stats.Elems()[1].IsNull() {
		t.Fatalf("FUNCTION STATS idle = %v", stats)
	}
}

// startScript runs script (an EVAL when fcall is "", else FCALL of fcall)
// in a goroutine and returns once the script has called PING, so a test
// can act while it runs; the channel receives the caller's result.
func startScript(t *testing.T, ts *testStore, script, fcall string) <-chan error {
	t.Helper()
	started := make(chan struct{})
	err := ts.onExecutor(context.Background(), func(s *Store) {
		s.script.onCall = func(args []string) {
			if eqFold(args[0], "ping") {
				close(started)
				s.script.onCall = nil
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		var err error
		if fcall != "" {
			_, err = ts.FCall(context.Background(), fcall, nil)
		} else {
			_, err = ts.Eval(context.Background(), script, nil)
		}
		done <- err
	}()
	<-started
	return done
}

func TestScriptKillBusy(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	done := startScript(t, ts, "redis.call('PING') while true do end", "")

	// Before the threshold a kill is answered at once; other commands
	// would wait. Past it, they are answered BUSY without the executor.
	ts.clk.Advance(5 * time.Second)
	if _, err := ts.Get(ctx, "k"); !errors.Is(err, ErrBusy) {
		t.Fatalf("Get during a busy script: %v", err)
	}
	ts.expectErr(lua.ErrBusy, "SET", "k", "v")
	p := ts.Pipeline()
	p.Do("GET", "k")
	p.Do("INCR", "n")
	if replies, err := p.Exec(ctx); err != nil || len(replies) != 2 || replies[0].Str() != lua.ErrBusy || replies[1].Str() != lua.ErrBusy {
		t.Fatalf("pipeline during a busy script: %v %v", replies, err)
	}
	if err := ts.FunctionKill(ctx); err == nil || err.Error() != lua.ErrBusy {
		t.Fatalf("FUNCTION KILL of a script: %v", err)
	}
	st := ts.do("FUNCTION", "STATS") // answered while busy
	if st.Kind() != KindMap || !st.Elems()[1].IsNull() {
		t.Fatalf("FUNCTION STATS while busy = %v", st)
	}
	if err := ts.ScriptKill(ctx); err != nil {
		t.Fatalf("ScriptKill: %v", err)
	}
	err := <-done
	want := "ERR Script killed by user with SCRIPT KILL... script: " + lua.SHA1Hex("redis.call('PING') while true do end") + ", on @user_script:1."
	if err == nil || err.Error() != want {
		t.Fatalf("killed script returned %v\nwant %s", err, want)
	}
	// The store serves again.
	if err := ts.Set(ctx, "k", "v", SetOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := ts.ScriptKill(ctx); !errors.Is(err, ErrNotBusy) {
		t.Fatalf("ScriptKill after: %v", err)
	}
}

func TestFunctionKillBusy(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	if _, err := ts.FunctionLoad(ctx, "#!lua name=spin\nredis.register_function{function_name='spin', callback=function() redis.call('PING') while true do end end, flags={'no-writes'}}", false); err != nil {
		t.Fatal(err)
	}
	done := startScript(t, ts, "", "spin")
	ts.clk.Advance(6 * time.Second)
	ts.expectErr(lua.ErrBusyFunction, "GET", "k")
	if err := ts.ScriptKill(ctx); err == nil || err.Error() != lua.ErrBusyFunction {
		t.Fatalf("SCRIPT KILL of a function: %v", err)
	}
	st := ts.do("FUNCTION", "STATS")
	if r := st.Elems()[1]; r.Kind() != KindMap || r.Elems()[1].Str() != "spin" || r.Elems()[5].Int() != 6000 {
		t.Fatalf("FUNCTION STATS running_script = %v", r)
	}
	if err := ts.FunctionKill(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err == nil || !strings.HasPrefix(err.Error(), "ERR Script killed by user with SCRIPT KILL... script: spin") {
		t.Fatalf("killed function returned %v", err)
	}
}

func TestScriptKillOverWire(t *testing.T) {
	ts := newTestStore(t)
	runner, other := dialRaw(t, ts.Store), dialRaw(t, ts.Store)
	started := make(chan struct{})
	if err := ts.onExecutor(context.Background(), func(s *Store) {
		s.script.onCall = func(args []string) { close(started); s.script.onCall = nil }
	}); err != nil {
		t.Fatal(err)
	}
	runner.send("EVAL \"redis.call('ping') while true do end\" 0\r\n")
	<-started
	ts.clk.Advance(5 * time.Second)
	other.roundTrip("GET k\r\n", "-"+lua.ErrBusy+"\r\n")
	// A pipeline is answered as a whole.
	other.send("PING\r\nFUNCTION KILL\r\n")
	other.expect("-" + lua.ErrBusy + "\r\n")
	other.expect("-" + lua.ErrBusy + "\r\n")
	other.roundTrip("SCRIPT KILL\r\n", "+OK\r\n")
	sha := lua.SHA1Hex("redis.call('ping') while true do end")
	runner.expect("-ERR Script killed by user with SCRIPT KILL... script: " + sha + ", on @user_script:1.\r\n")
	other.roundTrip("SCRIPT KILL\r\n", "-"+lua.ErrNotBusy+"\r\n")
	runner.roundTrip("PING\r\n", "+PONG\r\n")
}

func TestScriptUnkillableClose(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	done := startScript(t, ts, "redis.call('SET', 'x', '1') redis.call('PING') while true do end", "")
	if err := ts.ScriptKill(ctx); !errors.Is(err, ErrUnkillable) {
		t.Fatalf("ScriptKill after a write: %v", err)
	}
	// Only Close stops it, and Close does not hang.
	if err := ts.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err == nil {
		t.Fatal("the runaway script's caller got no error")
	}
	if _, err := ts.Get(ctx, "x"); !errors.Is(err, ErrClosed) {
		t.Fatalf("Get after Close: %v", err)
	}
}

func TestScriptCloseWhileQueued(t *testing.T) {
	// A request queued behind a runaway read-only script is failed by
	// Close, not left waiting.
	ts := newTestStore(t)
	done := startScript(t, ts, "redis.call('PING') while true do end", "")
	queued := make(chan error, 1)
	go func() { _, err := ts.Database(1).Get(context.Background(), "k"); queued <- err }()
	if err := ts.Close(); err != nil {
		t.Fatal(err)
	}
	<-done
	if err := <-queued; err != nil && !errors.Is(err, ErrClosed) && !errors.Is(err, Nil) {
		t.Fatalf("queued Get: %v", err)
	}
}

func TestScriptBusyThresholdConfig(t *testing.T) {
	ts := newTestStore(t, func(o *Options) { o.BusyThreshold = 250 * time.Millisecond })
	ts.expect(MapValue(BulkValue("busy-reply-threshold"), BulkValue("250")), "CONFIG", "GET", "busy-reply-threshold")
	ts.expect(okValue, "CONFIG", "SET", "lua-time-limit", "100")
	ts.expect(MapValue(BulkValue("busy-reply-threshold"), BulkValue("100")), "CONFIG", "GET", "busy-reply-threshold")
	if got := ts.busyThreshold(); got != 100 {
		t.Fatalf("busyThreshold = %d", got)
	}
	done := startScript(t, ts, "redis.call('PING') while true do end", "")
	ts.clk.Advance(100 * time.Millisecond)
	ts.expectErr(lua.ErrBusy, "GET", "k")
	ts.expect(okValue, "SCRIPT", "KILL")
	<-done
	if _, err := Open(Options{BusyThreshold: -1}); !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("Open with a negative BusyThreshold: %v", err)
	}
}

func TestScriptCommandsInside(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	// Commands that need a wire connection are refused as no-script; SELECT works.
	for _, cmd := range []string{"'client', 'id'", "'hello'", "'auth', 'x'", "'reset'", "'eval', 'return 1', 0", "'function', 'stats'", "'script', 'kill'"} {
		_, err := ts.Eval(ctx, "return redis.call("+cmd+")", nil)
		if err == nil || !strings.HasPrefix(err.Error(), lua.ErrNotAllowed+" script: ") {
			t.Errorf("redis.call(%s): %v", cmd, err)
		}
	}
	if _, err := ts.Eval(ctx, "return redis.call('get')", nil); err == nil || !strings.HasPrefix(err.Error(), lua.ErrWrongArgs) {
		t.Errorf("wrong arity: %v", err)
	}
	// SORT ... BY nosort of a set is sorted inside a script.
	if _, err := ts.SAdd(ctx, "s", "c", "a", "b"); err != nil {
		t.Fatal(err)
	}
	v, err := ts.Eval(ctx, "return redis.call('SORT', 's', 'BY', 'nosort', 'ALPHA')", nil)
	if err != nil || !valuesEqual(v, bulkStrings([]string{"a", "b", "c"})) {
		t.Fatalf("SORT BY nosort in a script = %v, %v", v, err)
	}
}

func TestScriptCommandRows(t *testing.T) {
	ev := flagNoScript | flagStale | flagSkipMonitor | flagNoMandatoryKeys | flagMovableKeys
	sl := []string{"slow", "scripting"}
	wsl := []string{"write", "slow", "scripting"}
	for _, r := range []struct {
		name  string
		arity int
		flags cmdFlags
		acl   []string
	}{
		{"eval", -3, ev, sl}, {"evalsha", -3, ev, sl},
		{"eval_ro", -3, flagReadonly | ev, sl}, {"evalsha_ro", -3, flagReadonly | ev, sl},
		{"fcall", -3, ev, sl}, {"fcall_ro", -3, flagReadonly | ev, sl},
		{"script", -2, 0, []string{"slow"}},
		{"script|help", 2, flagLoading | flagStale, sl},
		{"script|flush", -2, flagNoScript, sl},
		{"script|debug", 3, flagNoScript, sl},
		{"script|exists", -3, flagNoScript, sl},
		{"script|load", 3, flagNoScript | flagStale, sl},
		{"script|kill", 2, flagNoScript | flagAllowBusy, sl},
		{"function", -2, 0, []string{"slow"}},
		{"function|restore", -3, flagWrite | flagDenyOOM | flagNoScript, wsl},
		{"function|delete", 3, flagWrite | flagNoScript, wsl},
		{"function|dump", 2, flagNoScript, sl},
		{"function|help", 2, flagLoading | flagStale, sl},
		{"function|list", -2, flagNoScript, sl},
		{"function|load", -3, flagWrite | flagDenyOOM | flagNoScript, wsl},
		{"function|flush", -2, flagWrite | flagNoScript, wsl},
		{"function|kill", 2, flagNoScript | flagAllowBusy, sl},
		{"function|stats", 2, flagNoScript | flagAllowBusy, sl},
	} {
		parent, sub, isSub := strings.Cut(r.name, "|")
		cmd := commands[parent]
		if isSub && cmd != nil {
			cmd = cmd.subcommands[sub]
		}
		if cmd == nil {
			t.Errorf("%s: not registered", r.name)
			continue
		}
		if cmd.arity != r.arity || cmd.flags != r.flags || cmd.firstKey != 0 || strings.Join(cmd.acl, " ") != strings.Join(r.acl, " ") {
			t.Errorf("%s: arity %d flags %v keys %d acl %v", r.name, cmd.arity, cmd.flags.names(), cmd.firstKey, cmd.acl)
		}
	}
}

func ExampleScript() {
	s, _ := Open(Options{})
	defer s.Close()
	ctx := context.Background()
	incr := NewScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
	v, _ := incr.Run(ctx, s.DB, []string{"counter"}, 5) // EVALSHA, then EVAL on NOSCRIPT
	fmt.Println(v.Int())
	v, _ = incr.Run(ctx, s.DB, []string{"counter"}, 2) // EVALSHA
	fmt.Println(v.Int())
	// Output:
	// 5
	// 7
}

func ExampleDB_FCall() {
	s, _ := Open(Options{})
	defer s.Close()
	ctx := context.Background()
	_, err := s.FunctionLoad(ctx, `#!lua name=greet
redis.register_function('hello', function(keys, args) return 'hello ' .. args[1] end)`, false)
	if err != nil {
		fmt.Println(err)
		return
	}
	v, _ := s.FCall(ctx, "hello", nil, "world")
	fmt.Println(v.Str())
	// Output: hello world
}

func BenchmarkEvalSha(b *testing.B) {
	ts := newTestStore(b)
	ctx := context.Background()
	sha, err := ts.ScriptLoad(ctx, "return redis.call('INCR', KEYS[1])")
	if err != nil {
		b.Fatal(err)
	}
	keys := []string{"n"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ts.EvalSha(ctx, sha, keys); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFirstEval is the cost of a store's first script: the Lua VM is
// created then.
func BenchmarkFirstEval(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s, err := Open(Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Eval(ctx, "return 1", nil); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
