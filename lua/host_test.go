package lua

import (
	"context"
	"strconv"
	"strings"
	"testing"
)

// fakeHost is a tiny map-backed command handler for tests.
type fakeHost struct {
	data   map[string]string
	hash   map[string]map[string]string
	logs   []string
	calls  int
	onCall func(c *Call)
}

func newFakeHost() *fakeHost {
	return &fakeHost{data: map[string]string{}, hash: map[string]map[string]string{}}
}

var fakeArity = map[string]int{"get": 2, "set": -3, "incr": 2, "del": -2, "ping": -1, "hset": -4, "hgetall": 2, "zscore": 3, "blpop": -3, "echo": 2, "hello3": 1, "exists": -2}
var fakeWrites = map[string]bool{"set": true, "incr": true, "del": true, "hset": true}

func (h *fakeHost) Call(c *Call) Reply {
	h.calls++
	if h.onCall != nil {
		h.onCall(c)
	}
	name := strings.ToLower(c.Args[0])
	ar, ok := fakeArity[name]
	if !ok {
		return Error(ErrUnknownCommand)
	}
	if (ar > 0 && len(c.Args) != ar) || (ar < 0 && len(c.Args) < -ar) {
		return Error(ErrWrongArgs)
	}
	if name == "blpop" {
		return Error(ErrNotAllowed)
	}
	if fakeWrites[name] {
		if c.ReadOnly {
			return Error(ErrWriteInReadOnly)
		}
		if !c.BeginWrite() {
			return Error("ERR killed")
		}
	}
	a := c.Args
	switch name {
	case "get":
		v, ok := h.data[a[1]]
		if !ok {
			return Null()
		}
		return Bulk(v)
	case "set":
		h.data[a[1]] = a[2]
		return Status("OK")
	case "incr":
		n, err := strconv.ParseInt(h.data[a[1]], 10, 64)
		if _, ok := h.data[a[1]]; ok && err != nil {
			return Error(ErrNotInteger)
		}
		n++
		h.data[a[1]] = strconv.FormatInt(n, 10)
		return Int(n)
	case "del":
		n := 0
		for _, k := range a[1:] {
			if _, ok := h.data[k]; ok {
				delete(h.data, k)
				n++
			}
		}
		return Int(int64(n))
	case "exists":
		_, ok := h.data[a[1]]
		if ok {
			return Int(1)
		}
		return Int(0)
	case "ping":
		return Status("PONG")
	case "echo":
		return Bulk(a[1])
	case "hset":
		m := h.hash[a[1]]
		if m == nil {
			m = map[string]string{}
			h.hash[a[1]] = m
		}
		n := 0
		for i := 2; i+1 < len(a); i += 2 {
			if _, ok := m[a[i]]; !ok {
				n++
			}
			m[a[i]] = a[i+1]
		}
		return Int(int64(n))
	case "hgetall":
		var kv []Reply
		for k, v := range h.hash[a[1]] {
			kv = append(kv, Bulk(k), Bulk(v))
		}
		if c.RESP == 3 {
			return Map(kv...)
		}
		return Array(kv...)
	case "zscore":
		if c.RESP == 3 {
			return Double(1.5)
		}
		return Bulk("1.5")
	case "hello3":
		// A reply of every RESP3 kind, for conversion tests.
		return Array(Double(2.5), Bool(true), Bool(false), BigNumber("123456789012345678901234567890"),
			Verbatim("txt", "hello"), Set(Bulk("a")), Null())
	}
	return Error("ERR unhandled")
}

func (h *fakeHost) Log(level LogLevel, msg string) {
	h.logs = append(h.logs, strconv.Itoa(int(level))+":"+msg)
}

// eval runs a script on a fresh-enough engine and returns the reply.
func eval(t testing.TB, e *Engine, h Host, body string, keys, argv []string) Reply {
	t.Helper()
	return e.Eval(context.Background(), h, body, keys, argv, RunOptions{})
}

func newEngine(t testing.TB) *Engine {
	e := NewEngine(Options{})
	t.Cleanup(e.Close)
	return e
}
