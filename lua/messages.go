package lua

import (
	"regexp"
	"strconv"
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// gopher-lua words some runtime errors differently from Lua 5.1. luaMessage
// rewrites the common ones into Lua 5.1's generic form (without the variable
// names Lua adds when it knows them, e.g. "local 'x'").
var (
	reArith  = regexp.MustCompile(`cannot perform (?:add|sub|mul|div|mod|pow|unm) operation between (\w+) and (\w+)`)
	reConcat = regexp.MustCompile(`cannot perform concat operation between (\w+) and (\w+)`)
	reIndex  = regexp.MustCompile(`attempt to index a non-table object\((\w+)\) with key '.*'`)
	reBadArg = regexp.MustCompile(`bad argument #(\d+) to (\w+) \(`)
)

func luaMessage(s string) string {
	if !strings.Contains(s, "operation between") && !strings.Contains(s, "non-") && !strings.Contains(s, "bad argument") {
		return s
	}
	s = reArith.ReplaceAllStringFunc(s, func(m string) string {
		p := reArith.FindStringSubmatch(m)
		bad := p[1]
		if bad == "number" || bad == "string" {
			bad = p[2]
		}
		return "attempt to perform arithmetic on a " + bad + " value"
	})
	s = reConcat.ReplaceAllStringFunc(s, func(m string) string {
		p := reConcat.FindStringSubmatch(m)
		bad := p[1]
		if bad == "number" || bad == "string" {
			bad = p[2]
		}
		return "attempt to concatenate a " + bad + " value"
	})
	s = reIndex.ReplaceAllString(s, "attempt to index a $1 value")
	s = strings.ReplaceAll(s, "attempt to call a non-function object", "attempt to call a nil value")
	s = reBadArg.ReplaceAllString(s, "bad argument #$1 to '$2' (")
	return s
}

// luaError is Lua 5.1's error(): any value (nil when absent), with the
// position prepended to strings and numbers at level > 0.
func luaError(L *glua.LState) int {
	v := L.Get(1)
	level := 1
	if L.GetTop() >= 2 {
		level = int(L.CheckNumber(2))
	}
	if n, ok := v.(glua.LNumber); ok {
		v = glua.LString(formatNumber(float64(n)))
	}
	L.Error(v, level)
	return 0
}

// compileError parts of gopher-lua's parse errors.
var reParse = regexp.MustCompile(`^(.*) line:(\d+)\(column:\d+\) near '(.*)':\s+(.*)$`)
var reEOF = regexp.MustCompile(`^(.*) at EOF:\s+(.*)$`)

// compileMessage turns a gopher-lua compile error into Lua 5.1's form,
// "<chunk>:<line>: <message> near '<token>'", as far as it can: the parser
// does not say which token it expected, so "'end' expected" and the like
// become "unexpected symbol".
func compileMessage(err error, chunk, src string) string {
	msg := err.Error()
	if aerr, ok := err.(*glua.ApiError); ok && aerr.Cause != nil {
		msg = aerr.Cause.Error()
	}
	msg = strings.TrimSpace(msg)
	if m := reParse.FindStringSubmatch(msg); m != nil {
		reason := "unexpected symbol"
		if m[4] == "unterminated string" {
			reason = "unfinished string"
		}
		return chunk + ":" + m[2] + ": " + reason + " near '" + m[3] + "'"
	}
	if m := reEOF.FindStringSubmatch(msg); m != nil {
		line := strings.Count(src, "\n") + 1
		reason := "unexpected symbol"
		if m[2] == "unterminated string" {
			reason = "unfinished string"
		}
		return chunk + ":" + strconv.Itoa(line) + ": " + reason + " near '<eof>'"
	}
	return msg
}
