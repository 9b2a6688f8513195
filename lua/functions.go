package lua

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"sort"
	"strings"

	"github.com/embedis/embedis/internal/glob"
	glua "github.com/yuin/gopher-lua"
)

// Redis 7.0 functions: libraries of named Lua functions loaded with FUNCTION
// LOAD and called with FCALL.

type library struct {
	name  string
	code  string
	funcs map[string]*function
}

type function struct {
	name    string
	lib     *library
	fn      *glua.LFunction
	desc    string
	hasDesc bool
	flags   scriptFlags
}

// setupLoadEnv builds the globals FUNCTION LOAD runs with: only a redis table
// holding register_function, log, the LOG_* constants and the version.
func (e *Engine) setupLoadEnv() {
	L := e.L
	missing := L.NewFunction(missingGlobal)
	r := L.NewTable()
	r.RawSetString("register_function", L.NewFunction(e.registerFunction))
	r.RawSetString("log", L.NewFunction(e.redisLog))
	setLogConstants(r)
	g := L.NewTable()
	g.RawSetString("redis", e.protect(r, missing))
	gm := L.NewTable()
	gm.RawSetString("__index", missing)
	g.Metatable = gm
	e.loadGlobals = g
}

// libraryMeta parses the shebang "#!lua name=<lib>" of a library's code.
func libraryMeta(code string) (string, error) {
	if !strings.HasPrefix(code, "#!") {
		return "", newError("ERR Missing library metadata")
	}
	nl := strings.IndexByte(code, '\n')
	if nl < 0 {
		return "", newError("ERR Invalid library metadata")
	}
	parts := strings.Split(code[2:nl], " ")
	engine := parts[0]
	name := ""
	for _, p := range parts[1:] {
		if p == "" {
			continue
		}
		if !strings.HasPrefix(p, "name=") {
			return "", newError("ERR Invalid metadata value given: " + p)
		}
		name = p[len("name="):]
	}
	if name == "" {
		return "", newError("ERR Library name was not given")
	}
	if !strings.EqualFold(engine, "lua") {
		return "", newError("ERR Engine '" + engine + "' not found")
	}
	if !validName(name) {
		return "", newError("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long")
	}
	return name, nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// FunctionLoad loads a library (FUNCTION LOAD [REPLACE]) and returns its name.
// The library code runs once, with ctx bounding its time, to register its
// functions; host receives its redis.log lines and may be nil.
func (e *Engine) FunctionLoad(ctx context.Context, host Host, code string, replace bool) (string, error) {
	lib, err := e.buildLibrary(ctx, host, code, replace)
	if err != nil {
		return "", err
	}
	e.install(lib)
	return lib.name, nil
}

// buildLibrary compiles and runs code and checks the result against the
// loaded libraries, without installing it.
func (e *Engine) buildLibrary(ctx context.Context, host Host, code string, replace bool) (*library, error) {
	if e.run != nil || e.loading != nil {
		// Reached from a script through the host: Redis refuses FUNCTION in scripts.
		return nil, newError(ErrNotAllowed)
	}
	name, err := libraryMeta(code)
	if err != nil {
		return nil, err
	}
	old := e.libs[name]
	if old != nil && !replace {
		return nil, newError("ERR Library '" + name + "' already exists")
	}
	// Keep line numbers: the shebang line becomes an empty line.
	src := code[strings.IndexByte(code, '\n'):]
	fn, cerr := e.L.Load(strings.NewReader(src), "user_function")
	if cerr != nil {
		return nil, newError("ERR Error compiling function: " + compileMessage(cerr, "user_function", src))
	}
	fn.Env = e.fenv
	noArgTable(fn)
	lib := &library{name: name, code: code, funcs: map[string]*function{}}

	L := e.L
	e.loading, e.loadHost = lib, host
	e.fenvMeta.RawSetString("__index", e.loadGlobals)
	L.Env = e.fenv
	ctx, cancel := context.WithCancel(ctx)
	if ctx.Done() != nil {
		L.SetContext(ctx)
	}
	L.Push(fn)
	perr := L.PCall(0, 0, nil)
	L.RemoveContext()
	timedOut := ctx.Err() != nil
	cancel()
	L.SetTop(0)
	e.fenvMeta.RawSetString("__index", e.fnGlobals)
	L.Env = e.env
	e.loading, e.loadHost = nil, nil
	if perr != nil {
		text := errorText(perr)
		if timedOut {
			text = "ERR FUNCTION LOAD timeout"
		}
		return nil, newError("ERR Error registering functions: " + sanitize(text))
	}
	if len(lib.funcs) == 0 {
		return nil, newError("ERR No functions registered")
	}
	for fname := range lib.funcs {
		if f, ok := e.funcs[fname]; ok && f.lib != old {
			return nil, newError("ERR Function " + fname + " already exists")
		}
	}
	return lib, nil
}

func (e *Engine) install(lib *library) {
	if old := e.libs[lib.name]; old != nil {
		e.unlink(old)
	}
	e.libs[lib.name] = lib
	for name, f := range lib.funcs {
		e.funcs[name] = f
	}
	e.counted()
}

func (e *Engine) unlink(lib *library) {
	delete(e.libs, lib.name)
	for name := range lib.funcs {
		delete(e.funcs, name)
	}
	e.counted()
}

// counted publishes the library and function counts for FunctionStats.
func (e *Engine) counted() {
	e.mu.Lock()
	e.nlibs, e.nfuncs = len(e.libs), len(e.funcs)
	e.mu.Unlock()
}

// registerFunction is redis.register_function, available only while a
// library loads.
func (e *Engine) registerFunction(L *glua.LState) int {
	lib := e.loading
	if lib == nil {
		return raise(L, "redis.register_function can only be called on FUNCTION LOAD command")
	}
	f := &function{lib: lib}
	var nameV, cbV glua.LValue = glua.LNil, glua.LNil
	switch L.GetTop() {
	case 1:
		t, ok := L.Get(1).(*glua.LTable)
		if !ok {
			return raise(L, "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).")
		}
		var ferr string
		t.ForEach(func(k, v glua.LValue) {
			if ferr != "" {
				return
			}
			ks, ok := k.(glua.LString)
			if !ok {
				ferr = "named argument key given to redis.register_function is not a string"
				return
			}
			switch string(ks) {
			case "function_name":
				if _, ok := v.(glua.LString); !ok {
					ferr = "function_name argument given to redis.register_function must be a string"
					return
				}
				nameV = v
			case "description":
				s, ok := v.(glua.LString)
				if !ok {
					ferr = "description argument given to redis.register_function must be a string"
					return
				}
				f.desc, f.hasDesc = string(s), true
			case "callback":
				if _, ok := v.(*glua.LFunction); !ok {
					ferr = "callback argument given to redis.register_function must be a function"
					return
				}
				cbV = v
			case "flags":
				ft, ok := v.(*glua.LTable)
				if !ok {
					ferr = "flags argument to redis.register_function must be a table representing function flags"
					return
				}
				for i := 1; ; i++ {
					fv := ft.RawGetInt(i)
					if fv == glua.LNil {
						break
					}
					s, ok := fv.(glua.LString)
					flag, known := flagByName(string(s))
					if !ok || !known {
						ferr = "unknown flag given"
						return
					}
					f.flags |= flag
				}
			default:
				ferr = "unknown argument given to redis.register_function"
			}
		})
		if ferr != "" {
			return raise(L, ferr)
		}
		if nameV == glua.LNil {
			return raise(L, "redis.register_function must get a function name argument")
		}
		if cbV == glua.LNil {
			return raise(L, "redis.register_function must get a callback argument")
		}
	case 2:
		nameV, cbV = L.Get(1), L.Get(2)
		switch n := nameV.(type) {
		case glua.LString:
		case glua.LNumber:
			nameV = glua.LString(formatNumber(float64(n)))
		default:
			return raise(L, "first argument to redis.register_function must be a string")
		}
		if _, ok := cbV.(*glua.LFunction); !ok {
			return raise(L, "second argument to redis.register_function must be a function")
		}
	default:
		return raise(L, "wrong number of arguments to redis.register_function")
	}
	f.name = string(nameV.(glua.LString))
	f.fn = cbV.(*glua.LFunction)
	if !validName(f.name) {
		return raise(L, "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long")
	}
	if _, ok := lib.funcs[f.name]; ok {
		return raise(L, "Function already exists in the library")
	}
	lib.funcs[f.name] = f
	return 0
}

// FCall runs the function name (FCALL / FCALL_RO) with keys and args as its
// two table arguments.
func (e *Engine) FCall(ctx context.Context, host Host, name string, keys, argv []string, opts RunOptions) Reply {
	f, ok := e.funcs[name]
	if !ok {
		return Error("ERR Function not found")
	}
	if opts.ReadOnly && f.flags&flagNoWrites == 0 {
		return Error(ErrROWithWrite)
	}
	args := []glua.LValue{stringArray(e.L, keys), stringArray(e.L, argv)}
	return e.call(ctx, host, name, true, f.fn, args, opts.ReadOnly || f.flags&flagNoWrites != 0, f.flags&flagAllowOOM != 0, opts)
}

// FunctionFlags reports the flags of function name by their Redis names
// (no-writes, allow-oom, allow-stale, no-cluster, allow-cross-slot-keys), and
// whether it exists; the root uses them for its pre-run checks.
func (e *Engine) FunctionFlags(name string) ([]string, bool) {
	f, ok := e.funcs[name]
	if !ok {
		return nil, false
	}
	return f.flags.names(), true
}

// FunctionDelete deletes a library and its functions (FUNCTION DELETE).
func (e *Engine) FunctionDelete(name string) error {
	lib, ok := e.libs[name]
	if !ok {
		return newError("ERR Library not found")
	}
	e.unlink(lib)
	return nil
}

// FunctionFlush deletes every library (FUNCTION FLUSH).
func (e *Engine) FunctionFlush() {
	e.libs = map[string]*library{}
	e.funcs = map[string]*function{}
	e.counted()
}

func (e *Engine) sortedLibs() []*library {
	libs := make([]*library, 0, len(e.libs))
	for _, l := range e.libs {
		libs = append(libs, l)
	}
	sort.Slice(libs, func(i, j int) bool { return libs[i].name < libs[j].name })
	return libs
}

// FunctionList returns the reply of FUNCTION LIST: pattern ("" for all) is
// the LIBRARYNAME glob, withCode adds library_code. Libraries and functions
// are sorted by name.
func (e *Engine) FunctionList(pattern string, withCode bool) Reply {
	var m *glob.Pattern
	if pattern != "" {
		m = glob.Compile(pattern, true)
	}
	out := []Reply{}
	for _, lib := range e.sortedLibs() {
		if m != nil && !m.Match(lib.name) {
			continue
		}
		names := make([]string, 0, len(lib.funcs))
		for n := range lib.funcs {
			names = append(names, n)
		}
		sort.Strings(names)
		fns := []Reply{}
		for _, n := range names {
			f := lib.funcs[n]
			desc := Null()
			if f.hasDesc {
				desc = Bulk(f.desc)
			}
			flags := []Reply{}
			for _, fl := range f.flags.names() {
				flags = append(flags, Status(fl))
			}
			fns = append(fns, Map(Bulk("name"), Bulk(f.name), Bulk("description"), desc, Bulk("flags"), Set(flags...)))
		}
		kv := []Reply{Bulk("library_name"), Bulk(lib.name), Bulk("engine"), Bulk("LUA"), Bulk("functions"), Array(fns...)}
		if withCode {
			kv = append(kv, Bulk("library_code"), Bulk(lib.code))
		}
		out = append(out, Map(kv...))
	}
	return Array(out...)
}

// FunctionStats returns the reply of FUNCTION STATS. Safe from any goroutine,
// as Redis answers it while a script runs.
func (e *Engine) FunctionStats() Reply {
	e.mu.Lock()
	nlibs, nfuncs := e.nlibs, e.nfuncs
	e.mu.Unlock()
	running := Null()
	if r, ok := e.Running(); ok && r.Function {
		cmd := []Reply{}
		for _, a := range r.Command {
			cmd = append(cmd, Bulk(a))
		}
		running = Map(Bulk("name"), Bulk(r.Name), Bulk("command"), Array(cmd...),
			Bulk("duration_ms"), Int(e.now().Sub(r.Start).Milliseconds()))
	}
	return Map(Bulk("running_script"), running, Bulk("engines"),
		Map(Bulk("LUA"), Map(Bulk("libraries_count"), Int(int64(nlibs)), Bulk("functions_count"), Int(int64(nfuncs)))))
}

// NumFunctions returns the number of libraries and functions loaded.
func (e *Engine) NumFunctions() (libraries, functions int) { return len(e.libs), len(e.funcs) }

// RestorePolicy is the policy of FUNCTION RESTORE.
type RestorePolicy int

// The FUNCTION RESTORE policies.
const (
	RestoreAppend  RestorePolicy = iota // fail if a library already exists (the default)
	RestoreReplace                      // replace libraries with the same name
	RestoreFlush                        // delete every library first
)

// The FUNCTION DUMP payload (our own format, not Redis's RDB encoding):
//
//	"EMBFN" | version byte (1) | uvarint count | count × (uvarint len | code) | CRC-32 (IEEE, big endian) of all before
var dumpMagic = []byte("EMBFN")

const dumpVersion = 1

// FunctionDump serializes every library (FUNCTION DUMP).
func (e *Engine) FunctionDump() []byte {
	var b bytes.Buffer
	b.Write(dumpMagic)
	b.WriteByte(dumpVersion)
	b.Write(binary.AppendUvarint(nil, uint64(len(e.libs))))
	for _, lib := range e.sortedLibs() {
		b.Write(binary.AppendUvarint(nil, uint64(len(lib.code))))
		b.WriteString(lib.code)
	}
	return binary.BigEndian.AppendUint32(b.Bytes(), crc32.ChecksumIEEE(b.Bytes()))
}

// ErrBadPayload is FUNCTION RESTORE's error for a payload that is not a
// FunctionDump of this version.
const ErrBadPayload = "ERR DUMP payload version or checksum are wrong"

// ErrBadRestorePolicy is FUNCTION RESTORE's error for an unknown policy.
const ErrBadRestorePolicy = "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE."

// ParseRestorePolicy parses FUNCTION RESTORE's policy argument (any case).
func ParseRestorePolicy(s string) (RestorePolicy, error) {
	switch strings.ToUpper(s) {
	case "APPEND":
		return RestoreAppend, nil
	case "REPLACE":
		return RestoreReplace, nil
	case "FLUSH":
		return RestoreFlush, nil
	}
	return 0, newError(ErrBadRestorePolicy)
}

func parseDump(data []byte) ([]string, error) {
	bad := newError(ErrBadPayload)
	if len(data) < len(dumpMagic)+1+4 || !bytes.HasPrefix(data, dumpMagic) || data[len(dumpMagic)] != dumpVersion {
		return nil, bad
	}
	body, sum := data[:len(data)-4], binary.BigEndian.Uint32(data[len(data)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, bad
	}
	p := body[len(dumpMagic)+1:]
	n, k := binary.Uvarint(p)
	if k <= 0 {
		return nil, bad
	}
	p = p[k:]
	var codes []string
	for i := uint64(0); i < n; i++ {
		l, k := binary.Uvarint(p)
		if k <= 0 || uint64(len(p)-k) < l {
			return nil, bad
		}
		codes = append(codes, string(p[k:k+int(l)]))
		p = p[k+int(l):]
	}
	if len(p) != 0 {
		return nil, bad
	}
	return codes, nil
}

// FunctionRestore loads the libraries of a FunctionDump payload with policy
// (FUNCTION RESTORE). On error nothing changes.
func (e *Engine) FunctionRestore(ctx context.Context, data []byte, policy RestorePolicy) error {
	codes, err := parseDump(data)
	if err != nil {
		return err
	}
	libs, funcs := e.libs, e.funcs
	rollback := func() { e.libs, e.funcs = libs, funcs; e.counted() }
	e.libs, e.funcs = map[string]*library{}, map[string]*function{}
	if policy != RestoreFlush {
		for k, v := range libs {
			e.libs[k] = v
		}
		for k, v := range funcs {
			e.funcs[k] = v
		}
	}
	for _, code := range codes {
		if policy == RestoreAppend {
			if name, err := libraryMeta(code); err == nil && e.libs[name] != nil {
				rollback()
				return newError("ERR Library " + name + " already exists")
			}
		}
		lib, err := e.buildLibrary(ctx, nil, code, policy == RestoreReplace)
		if err != nil {
			rollback()
			return err
		}
		e.install(lib)
	}
	return nil
}

// LibraryCodes returns the code of every library, sorted by library name,
// as FUNCTION LOAD received it: what a snapshot saves (RDB_OPCODE_FUNCTION2)
// and FunctionLoad restores.
func (e *Engine) LibraryCodes() []string {
	libs := e.sortedLibs()
	out := make([]string, len(libs))
	for i, l := range libs {
		out[i] = l.code
	}
	return out
}
