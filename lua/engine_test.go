package lua

import (
	"context"
	"testing"
)

func TestEvalConversions(t *testing.T) {
	e := newEngine(t)
	h := newFakeHost()
	cases := []struct{ script, want string }{
		{"return 1", ":1"},
		{"return 3.99", ":3"},
		{"return -3.99", ":-3"},
		{"return 1e20", ":-9223372036854775808"},
		{"return 0/0", ":-9223372036854775808"},
		{"return 'x'", `"x"`},
		{"return true", ":1"},
		{"return false", "(nil)"},
		{"return nil", "(nil)"},
		{"return {1,2,nil,4}", "[:1 :2]"},
		{"return {1,'a',true,false,{2,3}}", `[:1 "a" :1 (nil) [:2 :3]]`},
		{"return {a=1}", "[]"},
		{"return {err='x'}", "-x"},
		{"return {err='MY x'}", "-MY x"},
		{"return {ok='fine'}", "+fine"},
		{"return {ok='fine', err='bad'}", "-bad"},
		{"return {err=1}", "[]"},
		{"return {ok='a\\r\\nb'}", "+a  b"},
		{"return redis.error_reply('E1')", "-ERR E1"},
		{"return redis.error_reply('-E1 x')", "-E1 x"},
		{"return redis.error_reply('My error')", "-My error"},
		{"return redis.error_reply('')", "-ERR "},
		{"return redis.error_reply()", "-ERR wrong number or type of arguments"},
		{"return redis.status_reply(1)", "-ERR wrong number or type of arguments"},
		{"return redis.status_reply('S')", "+S"},
		{"return function() end", "(nil)"},
		{"return {KEYS[1],ARGV[1],#KEYS,#ARGV}", `["k" "a" :1 :2]`},
		{"return redis.call('get','nokey')", "(nil)"},
		{"local r = redis.call('get', 'nokey') return {type(r), tostring(r)}", `["boolean" "false"]`},
		{"local r = redis.call('ping') return {type(r), r.ok}", `["table" "PONG"]`},
		{"return redis.call('ping')", "+PONG"},
		{"return redis.sha1hex('')", `"da39a3ee5e6b4b0d3255bfef95601890afd80709"`},
		{"return redis.sha1hex(12)", `"7b52009b64fd0a2a49e6d8a939753077792b0554"`},
		{"return {redis.LOG_DEBUG,redis.LOG_VERBOSE,redis.LOG_NOTICE,redis.LOG_WARNING,redis.REPL_NONE,redis.REPL_AOF,redis.REPL_REPLICA,redis.REPL_SLAVE,redis.REPL_ALL,redis.REDIS_VERSION,redis.REDIS_VERSION_NUM}",
			`[:0 :1 :2 :3 :0 :1 :2 :2 :3 "7.0.15" :458767]`},
		{"return {redis.replicate_commands(), redis.breakpoint(), redis.debug('x')}", "[:1 (nil)]"},
		{"return redis.set_repl(redis.REPL_ALL)", "(nil)"},
		{"return redis.setresp(3)", "(nil)"},
		{"return redis.pcall('incr','k')", "-ERR value is not an integer or out of range"},
		{"local e = redis.pcall('incr','k') return {type(e), e.err}", `["table" "ERR value is not an integer or out of range"]`},
		{"local e = redis.pcall() return {type(e), e.err}", `["table" "ERR Please specify at least one argument for this redis lib call"]`},
		{"local e = redis.pcall({}) return {type(e), e.err}", `["table" "ERR Lua redis lib command arguments must be strings or integers"]`},
		{"local ok,e = pcall(redis.call, 'incr', 'k') return {tostring(ok), type(e), tostring(e)}", `["false" "string" "ERR value is not an integer or out of range"]`},
		{"local ok,e = pcall(function() error('x') end) return e", `"user_script:1: x"`},
		{"local ok,e = pcall(error, {err='X y'}) return {type(e), e}", `["string" "X y"]`},
		{"return redis.call('echo', 1.5)", `"1.5"`},
		{"return redis.call('echo', 0.1)", `"0.10000000000000001"`},
		{"return redis.call('echo', 100)", `"100"`},
		{"return tostring(1/3)", `"0.33333333333333"`},
		{"return tostring(1e15)", `"1e+15"`},
	}
	h.data["k"] = "v"
	for _, c := range cases {
		got := e.Eval(t.Context(), h, c.script, []string{"k"}, []string{"a", "b"}, RunOptions{})
		if got.String() != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.script, got, c.want)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	e := newEngine(t)
	h := newFakeHost()
	h.data["k"] = "v"
	cases := []struct{ script, want string }{
		{"return x", "-ERR user_script:1: Script attempted to access nonexistent global variable 'x' script: 03c387736bb5cc009ff35151572cee04677aa374, on @user_script:1."},
		{"x = 1", "-ERR user_script:1: Attempt to modify a readonly table script: 34bce5f775de97f557a34088509c8bfe1ea17e52, on @user_script:1."},
		{"return +", "-ERR Error compiling script (new function): user_script:1: unexpected symbol near '+'"},
		{"return redis.call('nosuch')", "-ERR Unknown Redis command called from script script: 206396248e12c6e742fd7296250433c8d7343b74, on @user_script:1."},
		{"return redis.call('get')", "-ERR Wrong number of args calling Redis command from script script: f187dee77f607f7cff00bbabc9df38507582c78d, on @user_script:1."},
		{"return redis.pcall('nosuch')", "-ERR Unknown Redis command called from script"},
		{"return redis.call()", "-ERR Please specify at least one argument for this redis lib call script: 0a907e1429221a4d85516cab7fd219a82a9439d8, on @user_script:1."},
		{"return redis.call({})", "-ERR Lua redis lib command arguments must be strings or integers script: 80747816df1f4411f7c442b928fce6a814214839, on @user_script:1."},
		{"return redis.call('incr','k')", "-ERR value is not an integer or out of range script: 1f71dc1cd0b838440b29a02b9ecb8480e01af28a, on @user_script:1."},
		{"local r = redis.call('blpop', 'nokey', 0) return {type(r), tostring(r)}", "-ERR This Redis command is not allowed from script script: 305a96f8ed1f3c83e1bd60a2a60ceefa517647fd, on @user_script:1."},
		{"return error('boom')", "-ERR user_script:1: boom script: 57b11f4c6516f4ef2661c6423451796106f8393a, on @user_script:1."},
		{"return error({err='boom'})", "-boom script: ca93689faf30a4e888fe61179738b9fef828987e, on @user_script:1."},
		{"return error({err='MY boom'})", "-MY boom script: 625f83359e359aba24f2c27e1e327b559368b64d, on @user_script:1."},
		{"error(123)", "-ERR user_script:1: 123 script: 11e4dc32230d2c1e720fc094a49809887ce1381a, on @user_script:1."},
		{"local x x.y = 1", "-ERR user_script:1: attempt to index a nil value script: " + SHA1Hex("local x x.y = 1") + ", on @user_script:1."},
		{"return nil + 1", "-ERR user_script:1: attempt to perform arithmetic on a nil value script: " + SHA1Hex("return nil + 1") + ", on @user_script:1."},
		{"return 'a' .. nil", "-ERR user_script:1: attempt to concatenate a nil value script: " + SHA1Hex("return 'a' .. nil") + ", on @user_script:1."},
		{"return math.floor('a')", "-ERR user_script:1: bad argument #1 to 'floor' (number expected, got string) script: " + SHA1Hex("return math.floor('a')") + ", on @user_script:1."},
		{"error()", "-ERR nil script: " + SHA1Hex("error()") + ", on @user_script:1."},
		{"if x then", "-ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'"},
		{"return 'abc", "-ERR Error compiling script (new function): user_script:1: unfinished string near '<eof>'"},
		{"return error('x',0)", "-ERR x script: 873ff8df52487c65327443413a63469260f40123, on @user_script:1."},
		{"return redis.sha1hex()", "-ERR wrong number of arguments script: 3c7ce947ae74a835cc575b6ee87fb27503cb7ba4, on @user_script:1."},
		{"return redis.log(99, 'hi')", "-ERR Invalid debug level. script: 8005b92c707418d29a29c3b0ea21b985a97a3de7, on @user_script:1."},
		{"return redis.log(1)", "-ERR redis.log() requires two arguments or more. script: f5438245431406aa19fc387d93c6d03a0d5bcb0f, on @user_script:1."},
		{"return redis.log('x','y')", "-ERR First argument must be a number (log level). script: 7eb2c51797b5ba4486062c3780fcd2ba1dfab7c7, on @user_script:1."},
		{"return redis.setresp(4)", "-ERR RESP version must be 2 or 3. script: 921c0a48021d97dfd5884aeea41875972c7804d9, on @user_script:1."},
		{"return redis.setresp()", "-ERR redis.setresp() requires one argument. script: 76da64e28014e7c9ad76db33c3918c53d81a3d7e, on @user_script:1."},
		{"return redis.set_repl(99)", "-ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE. script: fae934173b6296d6836d5d5f52e192640f8897d9, on @user_script:1."},
		{"return redis.set_repl()", "-ERR redis.set_repl() requires two arguments. script: 9504533b41060c143a92eb2f8878e77d33b6dc33, on @user_script:1."},
	}
	for _, c := range cases {
		got := eval(t, e, h, c.script, nil, nil)
		if got.String() != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.script, got, c.want)
		}
	}
}

// nestedHost runs EVAL from inside a script, which Redis refuses.
type nestedHost struct {
	*fakeHost
	e *Engine
}

func (h nestedHost) Call(c *Call) Reply {
	if c.Args[0] == "evalnested" {
		return h.e.Eval(context.Background(), h, "return KEYS[1]", []string{"other"}, nil, RunOptions{})
	}
	if c.Args[0] == "fnload" {
		_, err := h.e.FunctionLoad(context.Background(), h, "#!lua name=n\nredis.register_function('n', function() end)", false)
		return Error(err.Error())
	}
	return h.fakeHost.Call(c)
}

func TestNestedRunRefused(t *testing.T) {
	e := newEngine(t)
	h := nestedHost{newFakeHost(), e}
	got := e.Eval(context.Background(), h, "local r = redis.pcall('evalnested') return {r.err, KEYS[1], redis.pcall('fnload').err}", []string{"mine"}, nil, RunOptions{})
	if want := `["` + ErrNotAllowed + `" "mine" "` + ErrNotAllowed + `"]`; got.String() != want {
		t.Fatalf("got %s want %s", got, want)
	}
}
