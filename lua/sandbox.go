package lua

import (
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// The sandbox.
//
// Redis 7.0 patches Lua with read-only tables: after start-up the globals and
// every library table refuse writes, and reading a missing global raises an
// error. gopher-lua has no read-only tables, so the engine builds the same
// behaviour from proxies: scripts run with an empty environment table whose
// metatable sends reads to the real globals and refuses writes; each library
// table the script can reach (redis, string, math, ...) is replaced by such a
// proxy too. The base functions that could bypass a metatable (rawset,
// rawget, setmetatable, next, pairs) are wrapped to see through or refuse the
// proxies. Nothing a script does survives into the next script.

// Globals scripts may see; everything else the libraries register is removed.
var keptGlobals = []string{
	"assert", "collectgarbage", "error", "gcinfo", "getmetatable", "ipairs",
	"load", "loadstring", "next", "pairs", "pcall", "rawequal", "rawget",
	"rawset", "select", "setmetatable", "tonumber", "tostring", "type",
	"unpack", "xpcall", "_VERSION", "coroutine", "string", "table", "math",
}

func (e *Engine) setup() {
	L := glua.NewState(glua.Options{
		SkipOpenLibs: true,
		// Grow on demand, up to limits near Lua 5.1's (LUAI_MAXCALLS 20000).
		CallStackSize:       20000,
		RegistrySize:        1024,
		RegistryMaxSize:     1 << 22,
		MinimizeStackMemory: true,
	})
	e.L = L
	for _, lib := range []struct {
		name string
		open glua.LGFunction
	}{
		{glua.BaseLibName, glua.OpenBase},
		{glua.TabLibName, glua.OpenTable},
		{glua.StringLibName, glua.OpenString},
		{glua.MathLibName, glua.OpenMath},
		{glua.CoroutineLibName, glua.OpenCoroutine},
	} {
		L.Push(L.NewFunction(lib.open))
		L.Push(glua.LString(lib.name))
		L.Call(1, 0)
	}
	g := L.G.Global
	e.globals = g

	// Keep the allow-listed globals only.
	kept := map[string]glua.LValue{}
	for _, name := range keptGlobals {
		kept[name] = g.RawGetString(name)
	}
	var names []glua.LValue
	g.ForEach(func(k, _ glua.LValue) { names = append(names, k) })
	for _, k := range names {
		g.RawSet(k, glua.LNil)
	}
	for name, v := range kept {
		if v != glua.LNil {
			g.RawSetString(name, v)
		}
	}
	if t, ok := g.RawGetString("table").(*glua.LTable); ok {
		// Lua 5.1 still had these; Redis ships them.
		t.RawSetString("getn", L.NewFunction(tableGetn))
		t.RawSetString("setn", L.NewFunction(func(L *glua.LState) int { return 0 }))
		t.RawSetString("foreach", L.NewFunction(tableForeach(false)))
		t.RawSetString("foreachi", L.NewFunction(tableForeach(true)))
	}
	if t, ok := g.RawGetString("string").(*glua.LTable); ok {
		t.RawSetString("gfind", t.RawGetString("gmatch"))
	}
	if t, ok := g.RawGetString("math").(*glua.LTable); ok {
		t.RawSetString("random", L.NewFunction(e.mathRandom))
		t.RawSetString("randomseed", L.NewFunction(e.mathRandomSeed))
		t.RawSetString("mod", t.RawGetString("fmod"))
	}
	g.RawSetString("gcinfo", L.NewFunction(func(L *glua.LState) int { L.Push(glua.LNumber(0)); return 1 }))
	g.RawSetString("pcall", L.NewFunction(e.redisPcall))
	g.RawSetString("error", L.NewFunction(luaError))
	g.RawSetString("tostring", L.NewFunction(luaTostring))
	g.RawSetString("rawset", L.NewFunction(e.rawset))
	g.RawSetString("rawget", L.NewFunction(e.rawget))
	g.RawSetString("setmetatable", L.NewFunction(e.setmetatable))
	g.RawSetString("getmetatable", L.NewFunction(e.getmetatable))
	g.RawSetString("next", L.NewFunction(e.next))
	g.RawSetString("pairs", L.NewFunction(e.pairs))
	g.RawSetString("loadstring", L.NewFunction(e.loadstring))

	g.RawSetString("cjson", openCjson(L))
	g.RawSetString("cmsgpack", openCmsgpack(L))
	g.RawSetString("bit", openBit(L))
	g.RawSetString("struct", openStruct(L))
	g.RawSetString("redis", e.redisTable())

	// Protect the libraries: replace each table global by a read-only proxy.
	for _, name := range []string{"string", "table", "math", "coroutine", "cjson", "cmsgpack", "bit", "struct", "redis"} {
		if t, ok := g.RawGetString(name).(*glua.LTable); ok {
			g.RawSetString(name, e.protect(t, nil))
		}
	}

	// Strings index the protected string library; their metatable is sealed.
	if sm, ok := L.GetMetatable(glua.LString("")).(*glua.LTable); ok {
		sm.RawSetString("__index", g.RawGetString("string"))
		sm.RawSetString("__metatable", e.protect(sm, nil))
	}

	// The globals: missing reads raise, writes are refused via the proxy.
	gm := L.NewTable()
	gm.RawSetString("__index", L.NewFunction(missingGlobal))
	g.Metatable = gm
	e.env = L.NewTable()
	em := L.NewTable()
	em.RawSetString("__index", g)
	em.RawSetString("__newindex", L.NewFunction(readonlyError))
	em.RawSetString("__metatable", glua.LFalse)
	e.env.Metatable = em
	e.readonly[e.env] = g

	// Functions see the same globals minus KEYS and ARGV, through their own
	// proxy, whose reads FUNCTION LOAD redirects to the load-time globals.
	fg := L.NewTable()
	g.ForEach(func(k, v glua.LValue) { fg.RawSet(k, v) })
	fg.Metatable = gm
	// Their redis table lacks the legacy EVAL-only entries, as in Redis 7.0.
	if rt, ok := e.real(g.RawGetString("redis")); ok {
		frt := L.NewTable()
		rt.ForEach(func(k, v glua.LValue) {
			switch k.String() {
			case "breakpoint", "debug", "replicate_commands":
			default:
				frt.RawSet(k, v)
			}
		})
		fg.RawSetString("redis", e.protect(frt, nil))
	}
	e.fnGlobals = fg
	e.fenv = L.NewTable()
	e.fenvMeta = L.NewTable()
	e.fenvMeta.RawSetString("__index", fg)
	e.fenvMeta.RawSetString("__newindex", L.NewFunction(readonlyError))
	e.fenvMeta.RawSetString("__metatable", glua.LFalse)
	e.fenv.Metatable = e.fenvMeta
	e.readonly[e.fenv] = fg
	g.RawSetString("_G", e.env)
	fg.RawSetString("_G", e.fenv)

	// Functions gopher-lua compiles on its own (base load, coroutines) take
	// L.Env as their environment: make it the proxy, never the real globals.
	L.Env = e.env

	e.errFn = L.NewFunction(e.errHandler)
	e.setupLoadEnv()
}

// protect returns a read-only proxy of t. index, if not nil, is called for a
// missing key instead of returning nil.
func (e *Engine) protect(t *glua.LTable, index glua.LValue) *glua.LTable {
	L := e.L
	p := L.NewTable()
	m := L.NewTable()
	if index != nil {
		// Reads go to t; a miss there calls index.
		tm := L.NewTable()
		tm.RawSetString("__index", index)
		t.Metatable = tm
	}
	m.RawSetString("__index", t)
	m.RawSetString("__newindex", L.NewFunction(readonlyError))
	m.RawSetString("__metatable", glua.LFalse)
	p.Metatable = m
	e.readonly[p] = t
	return p
}

func missingGlobal(L *glua.LState) int {
	L.RaiseError("Script attempted to access nonexistent global variable '%s'", L.ToStringMeta(L.Get(2)).String())
	return 0
}

func readonlyError(L *glua.LState) int {
	L.RaiseError("Attempt to modify a readonly table")
	return 0
}

// readonlyErrorBare is the same error without a position, as Redis raises it
// from rawset and setmetatable.
func readonlyErrorBare(L *glua.LState) {
	L.Error(glua.LString("Attempt to modify a readonly table"), 0)
}

func (e *Engine) real(v glua.LValue) (*glua.LTable, bool) {
	t, ok := v.(*glua.LTable)
	if !ok {
		return nil, false
	}
	if r, ok := e.readonly[t]; ok {
		return r, true
	}
	return t, false
}

func (e *Engine) rawset(L *glua.LState) int {
	t := L.CheckTable(1)
	if _, ok := e.readonly[t]; ok || e.isProtectedReal(t) {
		readonlyErrorBare(L)
	}
	k := L.CheckAny(2)
	if k == glua.LNil {
		L.RaiseError("table index is nil")
	}
	t.RawSet(k, L.CheckAny(3))
	L.SetTop(1)
	return 1
}

// isProtectedReal reports whether t is a table a proxy protects (reachable
// through the string metatable, for example).
func (e *Engine) isProtectedReal(t *glua.LTable) bool {
	for _, r := range e.readonly {
		if r == t {
			return true
		}
	}
	return false
}

func (e *Engine) rawget(L *glua.LState) int {
	t, _ := e.real(L.CheckTable(1))
	L.Push(t.RawGet(L.CheckAny(2)))
	return 1
}

func (e *Engine) setmetatable(L *glua.LState) int {
	t := L.CheckTable(1)
	if _, ok := e.readonly[t]; ok || e.isProtectedReal(t) {
		readonlyErrorBare(L)
	}
	mt := L.Get(2)
	if mt.Type() != glua.LTNil && mt.Type() != glua.LTTable {
		L.ArgError(2, "nil or table expected")
	}
	if old, ok := t.Metatable.(*glua.LTable); ok && old.RawGetString("__metatable") != glua.LNil {
		L.RaiseError("cannot change a protected metatable")
	}
	t.Metatable = mt
	L.SetTop(1)
	return 1
}

func (e *Engine) getmetatable(L *glua.LState) int {
	v := L.CheckAny(1)
	mt := L.GetMetatable(v)
	if t, ok := mt.(*glua.LTable); ok {
		if f := t.RawGetString("__metatable"); f != glua.LNil {
			L.Push(f)
			return 1
		}
	}
	L.Push(mt)
	return 1
}

func (e *Engine) next(L *glua.LState) int {
	t, _ := e.real(L.CheckTable(1))
	k, v := t.Next(L.Get(2))
	if k == glua.LNil {
		L.Push(glua.LNil)
		return 1
	}
	L.Push(k)
	L.Push(v)
	return 2
}

func (e *Engine) pairs(L *glua.LState) int {
	t := L.CheckTable(1)
	L.Push(e.globals.RawGetString("next"))
	L.Push(t)
	L.Push(glua.LNil)
	return 3
}

// redisPcall is Redis 7.0's pcall: like Lua's, but an error raised as a table
// with an err field (redis.call's errors) is returned as that string, as in
// Redis 6 and earlier.
func (e *Engine) redisPcall(L *glua.LState) int {
	fn := L.CheckAny(1)
	nargs := L.GetTop() - 1
	if fn.Type() != glua.LTFunction && L.GetMetaField(fn, "__call").Type() != glua.LTFunction {
		L.SetTop(0)
		L.Push(glua.LFalse)
		L.Push(glua.LString("attempt to call a " + fn.Type().String() + " value"))
		return 2
	}
	base := L.GetTop() - nargs - 1
	if err := L.PCall(nargs, glua.MultRet, nil); err != nil {
		var obj glua.LValue = glua.LString(err.Error())
		if aerr, ok := err.(*glua.ApiError); ok {
			obj = aerr.Object
		}
		if t, ok := obj.(*glua.LTable); ok {
			if s, ok := t.RawGetString("err").(glua.LString); ok {
				obj = s
			}
		} else if s, ok := obj.(glua.LString); ok {
			obj = glua.LString(luaMessage(string(s)))
		}
		L.SetTop(base)
		L.Push(glua.LFalse)
		L.Push(obj)
		return 2
	}
	L.Insert(glua.LTrue, base+1)
	return L.GetTop() - base
}

func luaTostring(L *glua.LState) int {
	v := L.CheckAny(1)
	if n, ok := v.(glua.LNumber); ok {
		L.Push(glua.LString(formatNumber(float64(n))))
		return 1
	}
	L.Push(L.ToStringMeta(v))
	return 1
}

func tableGetn(L *glua.LState) int {
	L.Push(glua.LNumber(L.CheckTable(1).Len()))
	return 1
}

func tableForeach(indexed bool) glua.LGFunction {
	return func(L *glua.LState) int {
		t := L.CheckTable(1)
		f := L.CheckFunction(2)
		if indexed {
			n := t.Len()
			for i := 1; i <= n; i++ {
				L.Push(f)
				L.Push(glua.LNumber(i))
				L.Push(t.RawGetInt(i))
				L.Call(2, 1)
				if r := L.Get(-1); r != glua.LNil {
					return 1
				}
				L.Pop(1)
			}
			return 0
		}
		k, v := t.Next(glua.LNil)
		for k != glua.LNil {
			L.Push(f)
			L.Push(k)
			L.Push(v)
			L.Call(2, 1)
			if r := L.Get(-1); r != glua.LNil {
				return 1
			}
			L.Pop(1)
			k, v = t.Next(k)
		}
		return 0
	}
}

// loadstring compiles a chunk with Lua 5.1's chunk name [string "..."], in the
// script environment.
func (e *Engine) loadstring(L *glua.LState) int {
	src := L.CheckString(1)
	name := L.OptString(2, chunkID(src))
	fn, err := L.Load(strings.NewReader(src), name)
	if err != nil {
		L.Push(glua.LNil)
		L.Push(glua.LString(compileMessage(err, name, src)))
		return 2
	}
	fn.Env = e.env
	noArgTable(fn)
	if e.run != nil && e.run.function {
		fn.Env = e.fenv
	}
	L.Push(fn)
	return 1
}

// chunkID is Lua 5.1's luaO_chunkid for a string chunk: its first line,
// shortened to fit 60 bytes.
func chunkID(src string) string {
	const idsize = 60 - 15 // LUA_IDSIZE minus the decoration, as in Lua
	line := src
	cut := false
	if i := strings.IndexAny(line, "\r\n"); i >= 0 {
		line, cut = line[:i], true
	}
	if len(line) > idsize {
		line, cut = line[:idsize], true
	}
	if cut {
		return "[string \"" + line + "...\"]"
	}
	return "[string \"" + line + "\"]"
}
