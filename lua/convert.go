package lua

import (
	"math"
	"strconv"
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// toReply converts a script's result to a reply by Redis 7.0's rules
// (luaReplyToRedisReply). resp is the protocol the script selected.
func (e *Engine) toReply(v glua.LValue, resp int) Reply {
	return e.toReplyDepth(v, resp, 0)
}

const maxDepth = 1000

func (e *Engine) toReplyDepth(v glua.LValue, resp, depth int) Reply {
	if depth > maxDepth {
		return Error("ERR reached lua stack limit")
	}
	switch x := v.(type) {
	case glua.LString:
		return Bulk(string(x))
	case glua.LBool:
		if resp == 2 {
			if x {
				return Int(1)
			}
			return Null()
		}
		return Bool(bool(x))
	case glua.LNumber:
		return Int(luaToInt64(float64(x)))
	case *glua.LTable:
		t, _ := e.real(x)
		if s, ok := t.RawGetString("err").(glua.LString); ok {
			return Error(sanitize(string(s)))
		}
		if s, ok := t.RawGetString("ok").(glua.LString); ok {
			return Status(sanitize(string(s)))
		}
		if n, ok := t.RawGetString("double").(glua.LNumber); ok {
			return Double(float64(n))
		}
		if s, ok := t.RawGetString("big_number").(glua.LString); ok {
			return BigNumber(sanitize(string(s)))
		}
		if vt, ok := t.RawGetString("verbatim_string").(*glua.LTable); ok {
			f, ok1 := vt.RawGetString("format").(glua.LString)
			s, ok2 := vt.RawGetString("string").(glua.LString)
			if ok1 && ok2 {
				return Verbatim(string(f), string(s))
			}
		}
		if m, ok := t.RawGetString("map").(*glua.LTable); ok {
			var kv []Reply
			k, val := m.Next(glua.LNil)
			for k != glua.LNil {
				kv = append(kv, e.toReplyDepth(k, resp, depth+1), e.toReplyDepth(val, resp, depth+1))
				k, val = m.Next(k)
			}
			return Map(kv...)
		}
		if s, ok := t.RawGetString("set").(*glua.LTable); ok {
			var elems []Reply
			k, _ := s.Next(glua.LNil)
			for k != glua.LNil {
				elems = append(elems, e.toReplyDepth(k, resp, depth+1))
				k, _ = s.Next(k)
			}
			return Set(elems...)
		}
		var elems []Reply
		for i := 1; ; i++ {
			el := t.RawGetInt(i)
			if el == glua.LNil {
				break
			}
			elems = append(elems, e.toReplyDepth(el, resp, depth+1))
		}
		return Array(elems...)
	default:
		return Null()
	}
}

// luaToInt64 is C's (long long) cast of a double as x86-64 performs it:
// out-of-range values and NaN become the minimum int64.
func luaToInt64(f float64) int64 {
	if math.IsNaN(f) || f >= 9.223372036854775807e18 || f < -9.223372036854775808e18 {
		return math.MinInt64
	}
	return int64(f)
}

// toLua converts a command's reply to a Lua value (redisProtocolToLuaType).
// Errors become {err=...}; they are handled by the caller.
func (e *Engine) toLua(r Reply, resp int) glua.LValue {
	L := e.L
	switch r.Kind {
	case KindInt:
		return glua.LNumber(r.Int)
	case KindBulk:
		return glua.LString(r.Str)
	case KindNull:
		if resp == 3 {
			return glua.LNil
		}
		return glua.LFalse
	case KindStatus:
		t := L.CreateTable(0, 1)
		t.RawSetString("ok", glua.LString(r.Str))
		return t
	case KindError:
		return errorTable(L, "-"+r.Str)
	case KindArray:
		t := L.CreateTable(len(r.Elems), 0)
		for i, el := range r.Elems {
			t.RawSetInt(i+1, e.toLua(el, resp))
		}
		return t
	case KindMap:
		m := L.CreateTable(0, len(r.Elems)/2)
		for i := 0; i+1 < len(r.Elems); i += 2 {
			m.RawSet(e.toLua(r.Elems[i], resp), e.toLua(r.Elems[i+1], resp))
		}
		t := L.CreateTable(0, 1)
		t.RawSetString("map", m)
		return t
	case KindSet:
		s := L.CreateTable(0, len(r.Elems))
		for _, el := range r.Elems {
			s.RawSet(e.toLua(el, resp), glua.LTrue)
		}
		t := L.CreateTable(0, 1)
		t.RawSetString("set", s)
		return t
	case KindDouble:
		t := L.CreateTable(0, 1)
		t.RawSetString("double", glua.LNumber(r.Float))
		return t
	case KindBool:
		return glua.LBool(r.Bool)
	case KindBigNumber:
		t := L.CreateTable(0, 1)
		t.RawSetString("big_number", glua.LString(r.Str))
		return t
	case KindVerbatim:
		v := L.CreateTable(0, 2)
		v.RawSetString("string", glua.LString(r.Str))
		v.RawSetString("format", glua.LString(r.Format))
		t := L.CreateTable(0, 1)
		t.RawSetString("verbatim_string", v)
		return t
	}
	return glua.LNil
}

// formatNumber formats a Lua number as Lua 5.1 does (LUA_NUMBER_FMT "%.14g").
func formatNumber(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		if math.Signbit(f) {
			return "-nan"
		}
		return "nan"
	}
	return formatG(f, 14)
}

// formatG is C's %.<prec>g.
func formatG(f float64, prec int) string {
	s := strconv.FormatFloat(f, 'g', prec, 64)
	// Go writes exponents with at least two digits, as C does; it already
	// drops trailing zeros for 'g'.
	if i := strings.IndexByte(s, 'e'); i >= 0 {
		mant, exp := s[:i], s[i+1:]
		if strings.Contains(mant, ".") {
			mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		}
		s = mant + "e" + exp
	}
	return s
}

// ---------------------------------------------------------------------------
// math.random: Redis's rand48, whose state starts at the default seed when
// the server starts and is shared by every script, so a fresh Engine yields
// the same sequence as a fresh redis-server.

type rand48 struct{ x uint64 }

func (r *rand48) init() { r.x = 0x1234ABCD330E }

func (r *rand48) seed(s int32) { r.x = uint64(uint32(s))<<16 | 0x330E }

func (r *rand48) next() int32 {
	r.x = (0x5DEECE66D*r.x + 0xB) & (1<<48 - 1)
	return int32(r.x >> 17)
}

func (e *Engine) mathRandom(L *glua.LState) int {
	const max = math.MaxInt32
	r := float64(e.rng.next()%max) / float64(max)
	switch L.GetTop() {
	case 0:
		L.Push(glua.LNumber(r))
	case 1:
		u := int(L.CheckNumber(1))
		if u < 1 {
			L.ArgError(1, "interval is empty")
		}
		L.Push(glua.LNumber(math.Floor(r*float64(u)) + 1))
	case 2:
		l := int(L.CheckNumber(1))
		u := int(L.CheckNumber(2))
		if l > u {
			L.ArgError(2, "interval is empty")
		}
		L.Push(glua.LNumber(math.Floor(r*float64(u-l+1)) + float64(l)))
	default:
		L.RaiseError("wrong number of arguments")
	}
	return 1
}

func (e *Engine) mathRandomSeed(L *glua.LState) int {
	e.rng.seed(int32(int64(L.CheckNumber(1))))
	return 0
}

// ---------------------------------------------------------------------------
// Script flags (the EVAL shebang and function flags).

type scriptFlags uint8

const (
	flagNoWrites scriptFlags = 1 << iota
	flagAllowOOM
	flagAllowStale
	flagNoCluster
	flagAllowCrossSlot
	flagsLegacy // an EVAL script without a shebang
)

var flagNames = []struct {
	name string
	flag scriptFlags
}{
	{"no-writes", flagNoWrites},
	{"allow-oom", flagAllowOOM},
	{"allow-stale", flagAllowStale},
	{"no-cluster", flagNoCluster},
	{"allow-cross-slot-keys", flagAllowCrossSlot},
}

func flagByName(name string) (scriptFlags, bool) {
	for _, f := range flagNames {
		if f.name == name {
			return f.flag, true
		}
	}
	return 0, false
}

func (f scriptFlags) names() []string {
	var out []string
	for _, n := range flagNames {
		if f&n.flag != 0 {
			out = append(out, n.name)
		}
	}
	return out
}

// parseEvalShebang parses "#!lua [flags=a,b]" on the first line of an EVAL
// script; the code keeps an empty first line so line numbers hold.
func parseEvalShebang(body string) (scriptFlags, string, error) {
	line, rest := body, ""
	if i := strings.IndexByte(body, '\n'); i >= 0 {
		line, rest = body[:i], body[i:]
	}
	parts := strings.Split(line[2:], " ")
	if parts[0] != "lua" {
		return 0, "", newError("ERR Unexpected engine in script shebang: " + line)
	}
	var flags scriptFlags
	for _, p := range parts[1:] {
		if p == "" {
			continue
		}
		if !strings.HasPrefix(p, "flags=") {
			return 0, "", newError("ERR Unknown lua shebang option: " + p)
		}
		for _, name := range strings.Split(p[len("flags="):], ",") {
			if name == "" {
				continue
			}
			f, ok := flagByName(name)
			if !ok {
				return 0, "", newError("ERR Unexpected flag in script shebang: " + name)
			}
			flags |= f
		}
	}
	return flags, rest, nil
}
