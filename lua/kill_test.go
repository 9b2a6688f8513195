package lua

import (
	"context"
	"strings"
	"testing"
)

// startSignal returns a host whose PING call reports, once, that the script
// is running, and a channel that receives it.
func startSignal() (*fakeHost, chan struct{}) {
	h := newFakeHost()
	started := make(chan struct{})
	h.onCall = func(c *Call) {
		if strings.EqualFold(c.Args[0], "ping") {
			close(started)
			h.onCall = nil
		}
	}
	return h, started
}

func TestKillRunawayScript(t *testing.T) {
	e := newEngine(t)
	if err := e.Kill(false); err == nil || err.Error() != ErrNotBusy {
		t.Fatalf("idle kill: %v", err)
	}
	h, started := startSignal()
	errs := make(chan error, 2)
	go func() {
		<-started
		if r, ok := e.Running(); !ok || r.Function || r.Wrote {
			errs <- nil
		}
		errs <- e.Kill(true) // wrong kind: BUSY
		errs <- e.Kill(false)
	}()
	body := "redis.call('ping') while true do end"
	got := eval(t, e, h, body, nil, nil)
	want := "-ERR Script killed by user with SCRIPT KILL... script: " + SHA1Hex(body) + ", on @user_script:1."
	if got.String() != want {
		t.Fatalf("got %s want %s", got, want)
	}
	if err := <-errs; err == nil || err.Error() != ErrBusy {
		t.Fatalf("FUNCTION KILL during EVAL: %v", err)
	}
	if err := <-errs; err != nil {
		t.Fatalf("SCRIPT KILL: %v", err)
	}
	if _, ok := e.Running(); ok {
		t.Fatal("still running after the kill")
	}
	// The VM is usable afterwards.
	if got := eval(t, e, h, "return 1", nil, nil); got.String() != ":1" {
		t.Fatalf("after kill: %s", got)
	}
}

func TestKillCaughtByPcallStillStops(t *testing.T) {
	e := newEngine(t)
	h, started := startSignal()
	go func() {
		<-started
		_ = e.Kill(false)
	}()
	got := eval(t, e, h, "redis.call('ping') while true do pcall(function() while true do end end) end", nil, nil)
	if !strings.HasPrefix(got.Str, "ERR Script killed by user with SCRIPT KILL...") {
		t.Fatalf("got %s", got)
	}
}

func TestUnkillableAfterWriteButContextStops(t *testing.T) {
	e := newEngine(t)
	h, started := startSignal()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errs := make(chan error, 1)
	go func() {
		<-started
		errs <- e.Kill(false)
		cancel() // the caller's context still stops it (e.g. SHUTDOWN NOSAVE)
	}()
	got := e.Eval(ctx, h, "redis.call('set','a','b') redis.call('ping') while true do end", nil, nil, RunOptions{})
	if err := <-errs; err == nil || err.Error() != ErrUnkillable {
		t.Fatalf("kill after write: %v", err)
	}
	if !strings.HasPrefix(got.Str, "ERR Script killed by user with SCRIPT KILL...") {
		t.Fatalf("got %s", got)
	}
}

func TestKillFunction(t *testing.T) {
	e := newEngine(t)
	if _, err := e.FunctionLoad(context.Background(), nil, "#!lua name=spin\nredis.register_function('spin', function() redis.call('ping') while true do end end)", false); err != nil {
		t.Fatal(err)
	}
	h, started := startSignal()
	errs := make(chan error, 2)
	stats := make(chan string, 1)
	go func() {
		<-started
		stats <- e.FunctionStats().String()
		errs <- e.Kill(false) // SCRIPT KILL during FCALL: BUSY
		errs <- e.Kill(true)
	}()
	got := e.FCall(context.Background(), h, "spin", nil, nil, RunOptions{Command: []string{"FCALL", "spin", "0"}})
	if want := "-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2."; got.String() != want {
		t.Fatalf("got %s want %s", got, want)
	}
	if s := <-stats; !strings.HasPrefix(s, `{"running_script" {"name" "spin" "command" ["FCALL" "spin" "0"] "duration_ms" :`) || !strings.HasSuffix(s, `"engines" {"LUA" {"libraries_count" :1 "functions_count" :1}}}`) {
		t.Fatalf("stats while running: %s", s)
	}
	if err := <-errs; err == nil || err.Error() != ErrBusyFunction {
		t.Fatalf("SCRIPT KILL during FCALL: %v", err)
	}
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
}

type logSignal struct {
	*fakeHost
	cancel func()
}

func (h logSignal) Log(level LogLevel, msg string) { h.cancel() }

func TestFunctionLoadTimeout(t *testing.T) {
	e := newEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := logSignal{newFakeHost(), cancel}
	_, err := e.FunctionLoad(ctx, h, "#!lua name=x\nredis.log(redis.LOG_WARNING, 'go')\nwhile true do end", false)
	if err == nil || err.Error() != "ERR Error registering functions: ERR FUNCTION LOAD timeout" {
		t.Fatal(err)
	}
	if n, _ := e.NumFunctions(); n != 0 {
		t.Fatal("library installed after a timeout")
	}
	// The engine still works, and function code sees the run-time globals.
	if _, err := e.FunctionLoad(context.Background(), nil, "#!lua name=y\nredis.register_function('y', function() return redis.call('ping') end)", false); err != nil {
		t.Fatal(err)
	}
	if got := e.FCall(context.Background(), newFakeHost(), "y", nil, nil, RunOptions{}); got.String() != "+PONG" {
		t.Fatal(got)
	}
}

func TestErrorLineIsTheCallSite(t *testing.T) {
	e := newEngine(t)
	h := newFakeHost()
	body := "local function f()\n  return redis.call('nosuch')\nend\n\nreturn f()"
	want := "-ERR Unknown Redis command called from script script: " + SHA1Hex(body) + ", on @user_script:2."
	if got := eval(t, e, h, body, nil, nil); got.String() != want {
		t.Fatalf("got %s want %s", got, want)
	}
	body = "local t = {}\nt[1] = 1\nreturn t.x.y"
	want = "-ERR user_script:3: attempt to index a nil value script: " + SHA1Hex(body) + ", on @user_script:3."
	if got := eval(t, e, h, body, nil, nil); got.String() != want {
		t.Fatalf("got %s want %s", got, want)
	}
}

func TestKillInsideCoroutine(t *testing.T) {
	e := newEngine(t)
	h, started := startSignal()
	go func() {
		<-started
		_ = e.Kill(false)
	}()
	got := eval(t, e, h, "redis.call('ping') local co = coroutine.create(function() while true do end end) while true do coroutine.resume(co) end", nil, nil)
	if !strings.HasPrefix(got.Str, "ERR Script killed by user with SCRIPT KILL...") {
		t.Fatalf("got %s", got)
	}
}

// yieldHost counts Yield calls and kills the script from Yield once it
// has seen enough of them.
type yieldHost struct {
	*fakeHost
	e      *Engine
	yields int
}

func (h *yieldHost) Yield() {
	h.yields++
	if h.yields == 3 {
		if err := h.e.Kill(false); err != nil {
			panic(err)
		}
	}
}

func TestYielderCalledBetweenInstructions(t *testing.T) {
	e := newEngine(t)
	h := &yieldHost{fakeHost: newFakeHost(), e: e}
	// No redis.call in the loop: only the instruction hook can run Yield.
	got := eval(t, e, h, "local n = 0 while true do n = n + 1 end", nil, nil)
	if !strings.HasPrefix(got.Str, "ERR Script killed by user with SCRIPT KILL...") {
		t.Fatalf("got %s", got)
	}
	if h.yields != 3 {
		t.Fatalf("Yield called %d times, want 3", h.yields)
	}
	// A short script is not interrupted at all.
	h.yields = 0
	if got := eval(t, e, h, "return 1", nil, nil); got.String() != ":1" || h.yields != 0 {
		t.Fatalf("short script: %s, %d yields", got, h.yields)
	}
}
