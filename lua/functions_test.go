package lua

import (
	"context"
	"testing"
)

func load(t *testing.T, e *Engine, code string, replace bool) string {
	t.Helper()
	name, err := e.FunctionLoad(context.Background(), nil, code, replace)
	if err != nil {
		return "-" + err.Error()
	}
	return name
}

func TestFunctionLoadErrors(t *testing.T) {
	e := newEngine(t)
	cases := []struct{ code, want string }{
		{"return 1", "-ERR Missing library metadata"},
		{"#!lua", "-ERR Invalid library metadata"},
		{"#!lua name=mylib", "-ERR Invalid library metadata"},
		{"#!js name=x\nredis.register_function('f', function() end)", "-ERR Engine 'js' not found"},
		{"#!lua name=x foo=bar\nredis.register_function('f', function() end)", "-ERR Invalid metadata value given: foo=bar"},
		{"#!lua\nredis.register_function('f', function() end)", "-ERR Library name was not given"},
		{"#!lua name=bad-name!\nredis.register_function('f', function() end)", "-ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"},
		{"#!lua name=x\n", "-ERR No functions registered"},
		{"#!lua name=x\nlocal y = 1", "-ERR No functions registered"},
		{"#!lua name=x\nreturn +", "-ERR Error compiling function: user_function:2: unexpected symbol near '+'"},
		{"#!lua name=x\nredis.register_function('g', function() end)\nredis.register_function('g', function() end)", "-ERR Error registering functions: ERR Function already exists in the library"},
		{"#!lua name=x\nredis.register_function('bad name', function() end)", "-ERR Error registering functions: ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"},
		{"#!lua name=x\nredis.register_function('f', 1)", "-ERR Error registering functions: ERR second argument to redis.register_function must be a function"},
		{"#!lua name=x\nredis.register_function()", "-ERR Error registering functions: ERR wrong number of arguments to redis.register_function"},
		{"#!lua name=x\nredis.register_function{function_name='f', callback=function() end, flags={'bad'}}", "-ERR Error registering functions: ERR unknown flag given"},
		{"#!lua name=x\nredis.register_function{function_name='f', callback=function() end, flags={'no-writes'}, description='d', extra=1}", "-ERR Error registering functions: ERR unknown argument given to redis.register_function"},
		{"#!lua name=x\nredis.call('ping')", "-ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'call'"},
		{"#!lua name=x\nlocal a = b", "-ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'b'"},
		{"#!lua name=x\nerror('boom')", "-ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'error'"},
		{"#!lua name=x\nlocal s = redis.setresp", "-ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'setresp'"},
	}
	for _, c := range cases {
		if got := load(t, e, c.code, false); got != c.want {
			t.Errorf("%q\n got %s\nwant %s", c.code, got, c.want)
		}
	}
	if n, f := e.NumFunctions(); n != 0 || f != 0 {
		t.Fatalf("failed loads left %d libraries, %d functions", n, f)
	}
}

func TestFunctionLifecycle(t *testing.T) {
	e := newEngine(t)
	h := newFakeHost()
	ctx := context.Background()
	mylib := "#!lua name=mylib\nredis.register_function('f1', function(keys, args) return keys[1] end)"
	if got := load(t, e, mylib, false); got != "mylib" {
		t.Fatal(got)
	}
	if got := load(t, e, mylib, false); got != "-ERR Library 'mylib' already exists" {
		t.Fatal(got)
	}
	if got := load(t, e, "#!lua name=mylib2\nredis.register_function('f1', function() return 1 end)", false); got != "-ERR Function f1 already exists" {
		t.Fatal(got)
	}
	x := "#!lua name=x\nredis.register_function{function_name='f', callback=function() end, flags={'no-writes', 'allow-oom'}, description='desc'}\n" +
		"redis.register_function('g', function(k,a) return redis.call('set', k[1], a[1]) end)\n" +
		"local function helper() return redis.call('ping') end\n" +
		"redis.register_function('h', function() return helper() end)\n" +
		"redis.register_function(1, function() return KEYS end)\n" +
		"redis.register_function('fe5', function() return redis.register_function('a', function() end) end)\n" +
		"redis.register_function('fe4', function() undefinedvar = 1 end)"
	if got := load(t, e, x, false); got != "x" {
		t.Fatal(got)
	}
	cases := []struct {
		name string
		ro   bool
		want string
	}{
		{"f1", false, `"k"`},
		{"nosuch", false, "-ERR Function not found"},
		{"g", true, "-" + ErrROWithWrite},
		{"f", true, "(nil)"},
		{"g", false, "+OK"},
		{"h", false, "+PONG"},
		{"1", false, "-ERR user_function:6: Script attempted to access nonexistent global variable 'KEYS' script: 1, on @user_function:6."},
		{"fe5", false, "-ERR user_function:7: attempt to call a nil value script: fe5, on @user_function:7."},
		{"fe4", false, "-ERR user_function:8: Attempt to modify a readonly table script: fe4, on @user_function:8."},
	}
	for _, c := range cases {
		got := e.FCall(ctx, h, c.name, []string{"k"}, []string{"v"}, RunOptions{ReadOnly: c.ro})
		if got.String() != c.want {
			t.Errorf("FCALL %s: got %s want %s", c.name, got, c.want)
		}
	}
	if h.data["k"] != "v" {
		t.Fatalf("g did not write: %v", h.data)
	}
	if got := e.FunctionList("", false).String(); got != `[{"library_name" "mylib" "engine" "LUA" "functions" [{"name" "f1" "description" (nil) "flags" ~{}}]} {"library_name" "x" "engine" "LUA" "functions" [{"name" "1" "description" (nil) "flags" ~{}} {"name" "f" "description" "desc" "flags" ~{+no-writes +allow-oom}} {"name" "fe4" "description" (nil) "flags" ~{}} {"name" "fe5" "description" (nil) "flags" ~{}} {"name" "g" "description" (nil) "flags" ~{}} {"name" "h" "description" (nil) "flags" ~{}}]}]` {
		t.Errorf("list: %s", got)
	}
	if got := e.FunctionList("MY*", true).String(); got != `[{"library_name" "mylib" "engine" "LUA" "functions" [{"name" "f1" "description" (nil) "flags" ~{}}] "library_code" "#!lua name=mylib\nredis.register_function('f1', function(keys, args) return keys[1] end)"}]` {
		t.Errorf("list pattern: %s", got)
	}
	if got := e.FunctionStats().String(); got != `{"running_script" (nil) "engines" {"LUA" {"libraries_count" :2 "functions_count" :7}}}` {
		t.Errorf("stats: %s", got)
	}
	if flags, ok := e.FunctionFlags("f"); !ok || len(flags) != 2 {
		t.Errorf("flags: %v %v", flags, ok)
	}

	// REPLACE swaps the library.
	if got := load(t, e, "#!lua name=mylib\nredis.register_function('f1', function() return 2 end)", true); got != "mylib" {
		t.Fatal(got)
	}
	if got := e.FCall(ctx, h, "f1", nil, nil, RunOptions{}); got.String() != ":2" {
		t.Fatal(got)
	}

	// DUMP and RESTORE.
	dump := e.FunctionDump()
	if err := e.FunctionRestore(ctx, dump, RestoreAppend); err == nil || err.Error() != "ERR Library mylib already exists" {
		t.Fatalf("append: %v", err)
	}
	if err := e.FunctionRestore(ctx, dump, RestoreReplace); err != nil {
		t.Fatal(err)
	}
	if err := e.FunctionDelete("mylib"); err != nil {
		t.Fatal(err)
	}
	if err := e.FunctionDelete("mylib"); err == nil || err.Error() != "ERR Library not found" {
		t.Fatal(err)
	}
	if got := load(t, e, "#!lua name=other\nredis.register_function('f1', function() return 3 end)", false); got != "other" {
		t.Fatal(got)
	}
	if err := e.FunctionRestore(ctx, dump, RestoreReplace); err == nil || err.Error() != "ERR Function f1 already exists" {
		t.Fatalf("replace with a clash: %v", err)
	}
	if err := e.FunctionRestore(ctx, dump, RestoreFlush); err != nil {
		t.Fatal(err)
	}
	if n, f := e.NumFunctions(); n != 2 || f != 7 {
		t.Fatalf("after FLUSH restore: %d %d", n, f)
	}
	bad := append([]byte(nil), dump...)
	bad[len(bad)/2] ^= 1
	if err := e.FunctionRestore(ctx, bad, RestoreFlush); err == nil || err.Error() != ErrBadPayload {
		t.Fatalf("corrupt payload: %v", err)
	}
	if err := e.FunctionRestore(ctx, []byte("x"), RestoreFlush); err == nil || err.Error() != ErrBadPayload {
		t.Fatalf("short payload: %v", err)
	}
	if _, err := ParseRestorePolicy("bogus"); err == nil || err.Error() != ErrBadRestorePolicy {
		t.Fatal(err)
	}
	e.FunctionFlush()
	if n, f := e.NumFunctions(); n != 0 || f != 0 {
		t.Fatal("flush")
	}
}

func TestFunctionGlobals(t *testing.T) {
	e := newEngine(t)
	code := "#!lua name=probe\n" +
		"redis.register_function('rk', function() local t={} for k,v in pairs(redis) do t[#t+1]=k end table.sort(t) return t end)\n" +
		"redis.register_function('gk', function() local t={} for k,v in pairs(_G) do t[#t+1]=k end table.sort(t) return t end)"
	if got := load(t, e, code, false); got != "probe" {
		t.Fatal(got)
	}
	h := newFakeHost()
	if got := e.FCall(context.Background(), h, "rk", nil, nil, RunOptions{}).String(); got != `["LOG_DEBUG" "LOG_NOTICE" "LOG_VERBOSE" "LOG_WARNING" "REDIS_VERSION" "REDIS_VERSION_NUM" "REPL_ALL" "REPL_AOF" "REPL_NONE" "REPL_REPLICA" "REPL_SLAVE" "acl_check_cmd" "call" "error_reply" "log" "pcall" "set_repl" "setresp" "sha1hex" "status_reply"]` {
		t.Errorf("redis: %s", got)
	}
	if got := e.FCall(context.Background(), h, "gk", nil, nil, RunOptions{}).String(); got != `["_G" "_VERSION" "assert" "bit" "cjson" "cmsgpack" "collectgarbage" "coroutine" "error" "gcinfo" "getmetatable" "ipairs" "load" "loadstring" "math" "next" "pairs" "pcall" "rawequal" "rawget" "rawset" "redis" "select" "setmetatable" "string" "struct" "table" "tonumber" "tostring" "type" "unpack" "xpcall"]` {
		t.Errorf("_G: %s", got)
	}
}
