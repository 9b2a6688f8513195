package lua

import (
	"context"
	"strings"
	"testing"
)

func TestSandbox(t *testing.T) {
	missing := func(name string) string {
		return "-ERR user_script:1: Script attempted to access nonexistent global variable '" + name + "'"
	}
	cases := []scriptCase{
		{`return debug`, missing("debug")},
		{`return os`, missing("os")},
		{`return io`, missing("io")},
		{`return loadfile`, missing("loadfile")},
		{`return dofile`, missing("dofile")},
		{`return require`, missing("require")},
		{`return module`, missing("module")},
		{`return print`, missing("print")},
		{`return getfenv`, missing("getfenv")},
		{`return setfenv`, missing("setfenv")},
		{`return newproxy`, missing("newproxy")},
		{`return package`, missing("package")},
		{`return channel`, missing("channel")},
		{`return _GOPHER_LUA_VERSION`, missing("_GOPHER_LUA_VERSION")},
		{`return {type(loadstring), type(load), type(collectgarbage), type(gcinfo), type(unpack), type(select), type(xpcall), type(coroutine), type(_VERSION)}`,
			`["function" "function" "function" "function" "function" "function" "function" "table" "string"]`},
		{`return {type(string.gfind), type(table.getn), type(math.mod), type(bit), type(cjson), type(cmsgpack), type(struct)}`,
			`["function" "function" "function" "table" "table" "table" "table"]`},
		{`local t={} for k,v in pairs(redis) do t[#t+1]=k end table.sort(t) return t`,
			`["LOG_DEBUG" "LOG_NOTICE" "LOG_VERBOSE" "LOG_WARNING" "REDIS_VERSION" "REDIS_VERSION_NUM" "REPL_ALL" "REPL_AOF" "REPL_NONE" "REPL_REPLICA" "REPL_SLAVE" "acl_check_cmd" "breakpoint" "call" "debug" "error_reply" "log" "pcall" "replicate_commands" "set_repl" "setresp" "sha1hex" "status_reply"]`},
		{`local t={} for k,v in pairs(_G) do t[#t+1]=k end table.sort(t) return t`,
			`["ARGV" "KEYS" "_G" "_VERSION" "assert" "bit" "cjson" "cmsgpack" "collectgarbage" "coroutine" "error" "gcinfo" "getmetatable" "ipairs" "load" "loadstring" "math" "next" "pairs" "pcall" "rawequal" "rawget" "rawset" "redis" "select" "setmetatable" "string" "struct" "table" "tonumber" "tostring" "type" "unpack" "xpcall"]`},
		{`x = 1`, `-ERR user_script:1: Attempt to modify a readonly table`},
		{`_G.x = 1`, `-ERR user_script:1: Attempt to modify a readonly table`},
		{`string.x = 1`, `-ERR user_script:1: Attempt to modify a readonly table`},
		{`redis.call = nil`, `-ERR user_script:1: Attempt to modify a readonly table`},
		{`cjson.encode = nil`, `-ERR user_script:1: Attempt to modify a readonly table`},
		{`return rawset(_G, 'x', 1)`, `-ERR Attempt to modify a readonly table`},
		{`return rawset(redis, 'x', 1)`, `-ERR Attempt to modify a readonly table`},
		{`setmetatable(_G, {})`, `-ERR Attempt to modify a readonly table`},
		{`getmetatable('').__index = {}`, `-ERR user_script:1: Attempt to modify a readonly table`},
		{`return getmetatable(_G) == nil`, `(nil)`},
		{`return getmetatable('').__index == string`, `:1`},
		{`return ('abc'):upper()`, `"ABC"`},
		{`return rawget(redis, 'REDIS_VERSION')`, `"7.0.15"`},
		{`local t = setmetatable({}, {__index = function(t, k) return k .. '!' end}) return t.x`, `"x!"`},
		{`KEYS[1] = 'x' return KEYS[1]`, `"x"`},
		{`return loadstring('return 1+1')()`, `:2`},
		{`local s = 'zz = 1' return load(function() local c = s s = nil return c end)()`, `-ERR ?:1: Attempt to modify a readonly table`},
		{`local s = 'return ARGV' return type(load(function() local c = s s = nil return c end)())`, `"table"`},
		{`return loadstring('return x')()`, `-ERR [string "return x"]:1: Script attempted to access nonexistent global variable 'x'`},
		{`return loadstring('y = 1')()`, `-ERR [string "y = 1"]:1: Attempt to modify a readonly table`},
		{`return {loadstring('return +')}`, `[]`},
		{`return select('#', loadstring('return +'))`, `:2`},
		{`local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end) local _, x = coroutine.resume(co, 1) local _, y = coroutine.resume(co, 10) return {x, y}`, `[:2 :20]`},
		{`return string.format('%d %s %.3f', 5, 'x', 1/3)`, `"5 x 0.333"`},
		{`return table.concat({1, 2, 3}, ',')`, `"1,2,3"`},
		{`return math.floor(2.5) + math.max(1, 7)`, `:9`},
		{`return #string.rep('ab', 3)`, `:6`},
	}
	runCases(t, cases)
}

func TestScriptsDoNotLeakState(t *testing.T) {
	e := newEngine(t)
	h := newFakeHost()
	for _, s := range []string{`x = 1`, `string.foo = 1`, `rawset(_G, 'y', 1)`, `setmetatable(_G, nil)`} {
		eval(t, e, h, s, nil, nil)
	}
	for s, want := range map[string]string{
		`return rawget(_G, 'x') == nil and rawget(_G, 'y') == nil`: ":1",
		`return string.foo == nil`:                                 ":1",
		`return z`:                                                 "-ERR user_script:1: Script attempted to access nonexistent global variable 'z'",
	} {
		got := eval(t, e, h, s, nil, nil).String()
		if i := strings.Index(got, " script: "); i > 0 {
			got = got[:i]
		}
		if got != want {
			t.Errorf("%s: got %s want %s", s, got, want)
		}
	}
	// Functions never see an EVAL's KEYS and ARGV.
	eval(t, e, h, `return 1`, []string{"k"}, []string{"a"})
	if _, err := e.FunctionLoad(context.Background(), nil, "#!lua name=k\nredis.register_function('k', function() return KEYS end)", false); err != nil {
		t.Fatal(err)
	}
	if got := e.FCall(context.Background(), h, "k", nil, nil, RunOptions{}).String(); !strings.Contains(got, "nonexistent global variable 'KEYS'") {
		t.Fatalf("FCALL saw KEYS: %s", got)
	}
}

func TestMathRandomMatchesFreshRedis(t *testing.T) {
	e := newEngine(t)
	h := newFakeHost()
	// A fresh redis-server 7.0.15 answers 40, 85, 36, then 0.44658343468168.
	if got := eval(t, e, h, `return {math.random(100), math.random(100), math.random(100)}`, nil, nil).String(); got != "[:40 :85 :36]" {
		t.Fatalf("first values %s", got)
	}
	if got := eval(t, e, h, `return tostring(math.random())`, nil, nil).String(); got != `"0.44658343468168"` {
		t.Fatalf("fourth value %s", got)
	}
	if got := eval(t, e, h, `math.randomseed(7) local a = math.random(1000) math.randomseed(7) return a == math.random(1000) and math.random(5, 5) == 5`, nil, nil).String(); got != ":1" {
		t.Fatalf("randomseed: %s", got)
	}
	if got := eval(t, e, h, `return math.random(0)`, nil, nil).String(); !strings.Contains(got, "interval is empty") {
		t.Fatalf("empty interval: %s", got)
	}
}

func TestRESP3Conversions(t *testing.T) {
	e := newEngine(t)
	h := newFakeHost()
	h.hash["h"] = map[string]string{"f": "v"}
	cases := []scriptCase{
		{`return redis.call('hgetall', 'h')`, `["f" "v"]`},
		{`redis.setresp(3) return redis.call('hgetall', 'h')`, `{"f" "v"}`},
		{`redis.setresp(3) return redis.call('hgetall', 'h').map.f`, `"v"`},
		{`return redis.call('zscore', 'z', 'm')`, `"1.5"`},
		{`redis.setresp(3) return redis.call('zscore', 'z', 'm')`, `,1.5`},
		{`redis.setresp(3) return redis.call('zscore', 'z', 'm').double`, `:1`},
		{`redis.setresp(3) return redis.call('get', 'nokey') == nil`, `#t`},
		{`redis.setresp(3) return redis.call('hello3')`, `[,2.5 #t #f (123456789012345678901234567890 =txt:"hello" ~{"a"}]`},
		{`redis.setresp(3) local r = redis.call('hello3') return {r[4].big_number, r[5].verbatim_string.format, r[5].verbatim_string.string, tostring(r[6].set.a), r[7] == nil}`,
			`["123456789012345678901234567890" "txt" "hello" "true" #t]`},
		{`return redis.call('hello3')`, `[,2.5 :1 (nil) (123456789012345678901234567890 =txt:"hello" ~{"a"} (nil)]`},
		{`redis.setresp(3) return {true, false}`, `[#t #f]`},
		{`return {map={a=1}}`, `{"a" :1}`},
		{`return {set={a=true}}`, `~{"a"}`},
		{`return {double=2.5}`, `,2.5`},
		{`return {big_number='12\r\n3'}`, `(12  3`},
		{`return {verbatim_string={format='txt', string='s'}}`, `=txt:"s"`},
		{`return {verbatim_string={format='txt'}}`, `[]`},
	}
	for _, c := range cases {
		if got := eval(t, e, h, c.script, nil, nil).String(); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.script, got, c.want)
		}
	}
}

func TestReadOnlyAndShebang(t *testing.T) {
	e := newEngine(t)
	h := newFakeHost()
	ctx := context.Background()
	ro := RunOptions{ReadOnly: true}
	check := func(got Reply, want string) {
		t.Helper()
		if got.String() != want {
			t.Errorf("got %s want %s", got, want)
		}
	}
	body := "#!lua flags=no-writes\nreturn redis.call('set','a','b')"
	check(e.Eval(ctx, h, body, nil, nil, RunOptions{}), "-ERR Write commands are not allowed from read-only scripts. script: "+SHA1Hex(body)+", on @user_script:2.")
	check(e.Eval(ctx, h, "#!lua\nreturn redis.call('set','a','b')", nil, nil, RunOptions{}), "+OK")
	check(e.Eval(ctx, h, "#!lua\nreturn 1", nil, nil, ro), "-ERR Can not execute a script with write flag using *_ro command.")
	body = "return redis.call('set','a','b')"
	check(e.Eval(ctx, h, body, nil, nil, ro), "-ERR Write commands are not allowed from read-only scripts. script: "+SHA1Hex(body)+", on @user_script:1.")
	check(e.Eval(ctx, h, "return redis.call('get','a')", nil, nil, ro), `"b"`)
	check(e.Eval(ctx, h, "#!lua flags=bad\nreturn 1", nil, nil, RunOptions{}), "-ERR Unexpected flag in script shebang: bad")
	check(e.Eval(ctx, h, "#!lua foo=bar\nreturn 1", nil, nil, RunOptions{}), "-ERR Unknown lua shebang option: foo=bar")
	check(e.Eval(ctx, h, "#!js\nreturn 1", nil, nil, RunOptions{}), "-ERR Unexpected engine in script shebang: #!js")
	body = "#!lua\nreturn x"
	check(e.Eval(ctx, h, body, nil, nil, RunOptions{}), "-ERR user_script:2: Script attempted to access nonexistent global variable 'x' script: "+SHA1Hex(body)+", on @user_script:2.")
	check(e.Eval(ctx, h, "#!lua flags=no-writes,allow-oom\nreturn 1", nil, nil, ro), ":1")
	var seen *Call
	h.onCall = func(c *Call) { seen = c }
	e.Eval(ctx, h, "#!lua flags=allow-oom\nreturn redis.call('ping')", nil, nil, RunOptions{})
	if seen == nil || !seen.AllowOOM || seen.ReadOnly || seen.RESP != 2 {
		t.Fatalf("call flags: %+v", seen)
	}
}

func TestScriptCache(t *testing.T) {
	e := newEngine(t)
	h := newFakeHost()
	ctx := context.Background()
	sha, err := e.Load("return ARGV[1]")
	if err != nil || sha != SHA1Hex("return ARGV[1]") {
		t.Fatal(sha, err)
	}
	if _, err := e.Load("return +"); err == nil || err.Error() != "ERR Error compiling script (new function): user_script:1: unexpected symbol near '+'" {
		t.Fatal(err)
	}
	if got := e.EvalSHA(ctx, h, strings.ToUpper(sha), nil, []string{"x"}, RunOptions{}); got.String() != `"x"` {
		t.Fatal(got)
	}
	if got := e.Exists(sha, "ffffffffffffffffffffffffffffffffffffffff"); !got[0] || got[1] {
		t.Fatal(got)
	}
	eval(t, e, h, "return 2", nil, nil) // EVAL caches too
	if e.NumScripts() != 2 {
		t.Fatal(e.NumScripts())
	}
	e.Flush()
	if got := e.EvalSHA(ctx, h, sha, nil, nil, RunOptions{}); got.String() != "-"+ErrNoScript {
		t.Fatal(got)
	}
	if got := e.EvalSHA(ctx, h, "abc", nil, nil, RunOptions{}); got.String() != "-"+ErrNoScript {
		t.Fatal(got)
	}
}

func TestSplitKeys(t *testing.T) {
	args := []string{"a", "b", "c"}
	for _, c := range []struct {
		n, want string
	}{
		{"0", "[] [a b c]"}, {"2", "[a b] [c]"}, {"3", "[a b c] []"},
		{"-1", ErrNegativeKeys}, {"4", ErrTooManyKeys}, {"x", ErrNotInteger}, {"01", ErrNotInteger}, {"+1", ErrNotInteger}, {"", ErrNotInteger},
	} {
		k, a, err := SplitKeys(c.n, args)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = strings.TrimSpace(strings.Join([]string{"[" + strings.Join(k, " ") + "]", "[" + strings.Join(a, " ") + "]"}, " "))
		}
		if got != c.want {
			t.Errorf("%q: got %s want %s", c.n, got, c.want)
		}
	}
}

func TestLog(t *testing.T) {
	e := newEngine(t)
	h := newFakeHost()
	eval(t, e, h, `redis.log(redis.LOG_WARNING, 'hi', 'there', 3) redis.log(redis.LOG_DEBUG, 'dbg')`, nil, nil)
	if strings.Join(h.logs, "|") != "3:hi there 3|0:dbg" {
		t.Fatal(h.logs)
	}
	if _, err := e.FunctionLoad(context.Background(), h, "#!lua name=l\nredis.log(redis.LOG_NOTICE, 'loading')\nredis.register_function('f', function() end)", false); err != nil {
		t.Fatal(err)
	}
	if h.logs[len(h.logs)-1] != "2:loading" {
		t.Fatal(h.logs)
	}
}
