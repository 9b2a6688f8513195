package lua

import (
	"strconv"
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// The redis table scripts see.
func (e *Engine) redisTable() *glua.LTable {
	L := e.L
	t := L.NewTable()
	fns := map[string]glua.LGFunction{
		"call":               func(L *glua.LState) int { return e.redisCall(L, true) },
		"pcall":              func(L *glua.LState) int { return e.redisCall(L, false) },
		"sha1hex":            redisSha1hex,
		"error_reply":        redisErrorReply,
		"status_reply":       redisStatusReply,
		"log":                e.redisLog,
		"setresp":            e.redisSetresp,
		"set_repl":           e.redisSetRepl,
		"replicate_commands": func(L *glua.LState) int { L.Push(glua.LTrue); return 1 },
		"breakpoint":         func(L *glua.LState) int { L.Push(glua.LFalse); return 1 },
		"debug":              func(L *glua.LState) int { return 0 },
		"acl_check_cmd":      e.redisACLCheck,
	}
	for name, f := range fns {
		t.RawSetString(name, L.NewFunction(f))
	}
	setLogConstants(t)
	for name, v := range map[string]int{"REPL_NONE": 0, "REPL_AOF": 1, "REPL_SLAVE": 2, "REPL_REPLICA": 2, "REPL_ALL": 3} {
		t.RawSetString(name, glua.LNumber(v))
	}
	return t
}

func setLogConstants(t *glua.LTable) {
	t.RawSetString("LOG_DEBUG", glua.LNumber(LogDebug))
	t.RawSetString("LOG_VERBOSE", glua.LNumber(LogVerbose))
	t.RawSetString("LOG_NOTICE", glua.LNumber(LogNotice))
	t.RawSetString("LOG_WARNING", glua.LNumber(LogWarning))
	t.RawSetString("REDIS_VERSION", glua.LString(Version))
	t.RawSetString("REDIS_VERSION_NUM", glua.LNumber(versionNum))
}

// errorTable builds Redis's error object {err="CODE msg"} from "-CODE msg" or "msg".
func errorTable(L *glua.LState, text string) *glua.LTable {
	t := L.CreateTable(0, 1)
	t.RawSetString("err", glua.LString(normalizeError(text)))
	return t
}

// normalizeError is luaPushErrorBuff: "-CODE msg" keeps its code, anything
// else gets "ERR "; trailing CR/LF are trimmed.
func normalizeError(text string) string {
	var code, msg string
	if strings.HasPrefix(text, "-") {
		if i := strings.IndexByte(text, ' '); i < 0 {
			code, msg = "ERR", text[1:]
		} else {
			code, msg = text[1:i], text[i+1:]
		}
	} else {
		code, msg = "ERR", text
	}
	return code + " " + strings.Trim(msg, "\r\n")
}

// raise raises Redis's error table for text.
func raise(L *glua.LState, text string) int {
	L.Error(errorTable(L, text), 0)
	return 0
}

// redisCall is redis.call (raise true) and redis.pcall (raise false).
func (e *Engine) redisCall(L *glua.LState, raiseErr bool) int {
	r := e.run
	if r == nil {
		return raise(L, "redis.call/pcall can only be called inside a script invocation")
	}
	fail := func(text string) int {
		if raiseErr {
			return raise(L, text)
		}
		L.Push(errorTable(L, text))
		return 1
	}
	n := L.GetTop()
	if n == 0 {
		return fail("Please specify at least one argument for this redis lib call")
	}
	args := make([]string, n)
	for i := 1; i <= n; i++ {
		switch v := L.Get(i).(type) {
		case glua.LNumber:
			args[i-1] = strconv.FormatFloat(float64(v), 'g', 17, 64)
		case glua.LString:
			args[i-1] = string(v)
		default:
			return fail("Lua redis lib command arguments must be strings or integers")
		}
	}
	L.SetTop(0)
	if err := r.ctx.Err(); err != nil {
		return raise(L, "Script killed by user with SCRIPT KILL...")
	}
	c := &Call{Args: args, RESP: r.resp, ReadOnly: r.readOnly, AllowOOM: r.allowOOM, AllowCrossSlot: r.crossSlot, e: e}
	reply := r.host.Call(c)
	if c.killed {
		// Killed before its first write (Call.BeginWrite): the write did
		// not run, and the script stops here.
		return raise(L, "Script killed by user with SCRIPT KILL...")
	}
	if reply.Kind == KindError {
		t := errorTable(L, "-"+reply.Str)
		if raiseErr {
			L.Error(t, 0)
			return 0
		}
		L.Push(t)
		return 1
	}
	L.Push(e.toLua(reply, r.resp))
	return 1
}

func redisSha1hex(L *glua.LState) int {
	if L.GetTop() != 1 {
		return raise(L, "wrong number of arguments")
	}
	var s string
	switch v := L.Get(1).(type) {
	case glua.LString:
		s = string(v)
	case glua.LNumber:
		s = formatNumber(float64(v))
	}
	L.Push(glua.LString(SHA1Hex(s)))
	return 1
}

func redisErrorReply(L *glua.LState) int {
	s, ok := L.Get(1).(glua.LString)
	if L.GetTop() != 1 || !ok {
		L.Push(errorTable(L, "wrong number or type of arguments"))
		return 1
	}
	text := string(s)
	if !strings.HasPrefix(text, "-") {
		text = "-" + text
	}
	L.Push(errorTable(L, text))
	return 1
}

func redisStatusReply(L *glua.LState) int {
	s, ok := L.Get(1).(glua.LString)
	if L.GetTop() != 1 || !ok {
		L.Push(errorTable(L, "wrong number or type of arguments"))
		return 1
	}
	t := L.CreateTable(0, 1)
	t.RawSetString("ok", s)
	L.Push(t)
	return 1
}

// logLine is redis.log's argument check and message, shared with the
// FUNCTION LOAD environment.
func logLine(L *glua.LState) (LogLevel, string) {
	n := L.GetTop()
	if n < 2 {
		raise(L, "redis.log() requires two arguments or more.")
	}
	lv, ok := toNumber(L.Get(1))
	if !ok {
		raise(L, "First argument must be a number (log level).")
	}
	level := int(lv)
	if level < int(LogDebug) || level > int(LogWarning) {
		raise(L, "Invalid debug level.")
	}
	parts := make([]string, 0, n-1)
	for i := 2; i <= n; i++ {
		switch v := L.Get(i).(type) {
		case glua.LString:
			parts = append(parts, string(v))
		case glua.LNumber:
			parts = append(parts, formatNumber(float64(v)))
		}
	}
	return LogLevel(level), strings.Join(parts, " ")
}

func (e *Engine) redisLog(L *glua.LState) int {
	level, msg := logLine(L)
	if e.run != nil && e.run.host != nil {
		e.run.host.Log(level, msg)
	} else if e.loadHost != nil {
		e.loadHost.Log(level, msg)
	}
	return 0
}

func (e *Engine) redisSetresp(L *glua.LState) int {
	if e.run == nil {
		return raise(L, "redis.setresp can only be called inside a script invocation")
	}
	if L.GetTop() != 1 {
		return raise(L, "redis.setresp() requires one argument.")
	}
	n, _ := toNumber(L.Get(1))
	v := int(n)
	if v != 2 && v != 3 {
		return raise(L, "RESP version must be 2 or 3.")
	}
	e.run.resp = v
	return 0
}

func (e *Engine) redisSetRepl(L *glua.LState) int {
	if e.run == nil {
		return raise(L, "redis.set_repl can only be called inside a script invocation")
	}
	if L.GetTop() != 1 {
		return raise(L, "redis.set_repl() requires two arguments.")
	}
	n, _ := toNumber(L.Get(1))
	if int(n)&^3 != 0 {
		return raise(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.")
	}
	return 0
}

// redisACLCheck is redis.acl_check_cmd: embedis has no ACL users, so every
// command is allowed; the command must exist, which only the host knows, so
// the engine allows any non-empty command.
func (e *Engine) redisACLCheck(L *glua.LState) int {
	if e.run == nil {
		return raise(L, "redis.acl_check_cmd can only be called inside a script invocation")
	}
	if L.GetTop() == 0 {
		return raise(L, "Please specify at least one argument for this redis lib call")
	}
	L.Push(glua.LTrue)
	return 1
}

// toNumber is lua_tonumber: numbers and numeric strings.
func toNumber(v glua.LValue) (float64, bool) {
	switch x := v.(type) {
	case glua.LNumber:
		return float64(x), true
	case glua.LString:
		f, err := strconv.ParseFloat(strings.TrimSpace(string(x)), 64)
		if err != nil {
			if n, err2 := strconv.ParseInt(strings.TrimSpace(string(x)), 0, 64); err2 == nil {
				return float64(n), true
			}
			return 0, false
		}
		return f, true
	}
	return 0, false
}
