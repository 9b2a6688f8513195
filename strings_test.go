package embedis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// Helpers of the string tests: they read an entry on the executor, since
// OBJECT ENCODING and TTL belong to other files.

// encoding returns the OBJECT ENCODING name of a string key, "" when the
// key is missing.
func (ts *testStore) encoding(key string) string {
	ts.t.Helper()
	var enc string
	ts.onEntry(key, func(e *entry) {
		if e != nil {
			enc = [...]string{encRaw: "raw", encEmbstr: "embstr", encInt: "int"}[e.enc]
		}
	})
	return enc
}

// pttl returns a key's remaining time to live in milliseconds, -1 without
// a TTL and -2 when missing, as PTTL does.
func (ts *testStore) pttl(key string) int64 {
	ts.t.Helper()
	ms := int64(-2)
	ts.onEntry(key, func(e *entry) {
		switch {
		case e == nil:
		case e.expire == 0:
			ms = -1
		default:
			ms = e.expire - ts.clk.Now().UnixMilli()
		}
	})
	return ms
}

func (ts *testStore) onEntry(key string, fn func(e *entry)) {
	ts.t.Helper()
	err := ts.onExecutor(context.Background(), func(s *Store) {
		fn(s.lookupDB(s.dbs[0], key, s.opts.Clock.Now().UnixMilli()))
	})
	if err != nil {
		ts.t.Fatal(err)
	}
}

// putList stores a non-string value at key, for WRONGTYPE paths (the list
// commands live elsewhere).
func (ts *testStore) putList(key string) {
	ts.t.Helper()
	err := ts.onExecutor(context.Background(), func(s *Store) {
		e, _ := s.dbs[0].keys.Put(key)
		e.typ, e.obj, e.str = typeList, []string{"x"}, ""
	})
	if err != nil {
		ts.t.Fatal(err)
	}
}

const (
	msgWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"
	msgNotInt    = "ERR value is not an integer or out of range"
	msgNotFloat  = "ERR value is not a valid float"
	msgSyntax    = "ERR syntax error"
)

func arityMsg(cmd string) string { return "ERR wrong number of arguments for '" + cmd + "' command" }

func mustNil(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, Nil) {
		t.Fatalf("%s: err = %v, want Nil", what, err)
	}
}

func TestStringCommandRows(t *testing.T) {
	type row struct {
		arity             int
		flags             cmdFlags
		first, last, step int
		acl               string
	}
	w, r, d, f := flagWrite, flagReadonly, flagDenyOOM, flagFast
	want := map[string]row{
		"append":      {3, w | d | f, 1, 1, 1, "write string fast"},
		"decr":        {2, w | d | f, 1, 1, 1, "write string fast"},
		"decrby":      {3, w | d | f, 1, 1, 1, "write string fast"},
		"get":         {2, r | f, 1, 1, 1, "read string fast"},
		"getdel":      {2, w | f, 1, 1, 1, "write string fast"},
		"getex":       {-2, w | f, 1, 1, 1, "write string fast"},
		"getrange":    {4, r, 1, 1, 1, "read string slow"},
		"getset":      {3, w | d | f, 1, 1, 1, "write string fast"},
		"incr":        {2, w | d | f, 1, 1, 1, "write string fast"},
		"incrby":      {3, w | d | f, 1, 1, 1, "write string fast"},
		"incrbyfloat": {3, w | d | f, 1, 1, 1, "write string fast"},
		"lcs":         {-3, r, 1, 2, 1, "read string slow"},
		"mget":        {-2, r | f, 1, -1, 1, "read string fast"},
		"mset":        {-3, w | d, 1, -1, 2, "write string slow"},
		"msetnx":      {-3, w | d, 1, -1, 2, "write string slow"},
		"psetex":      {4, w | d, 1, 1, 1, "write string slow"},
		"set":         {-3, w | d, 1, 1, 1, "write string slow"},
		"setex":       {4, w | d, 1, 1, 1, "write string slow"},
		"setnx":       {3, w | d | f, 1, 1, 1, "write string fast"},
		"setrange":    {4, w | d, 1, 1, 1, "write string slow"},
		"strlen":      {2, r | f, 1, 1, 1, "read string fast"},
		"substr":      {4, r, 1, 1, 1, "read string slow"},
	}
	for name, wr := range want {
		c := commands[name]
		if c == nil {
			t.Errorf("%s: not registered", name)
			continue
		}
		got := row{c.arity, c.flags, c.firstKey, c.lastKey, c.step, strings.Join(c.acl, " ")}
		if got != wr {
			t.Errorf("%s: row %+v, want %+v", name, got, wr)
		}
	}
	if pos := commands["mset"].keyPositions([]string{"mset", "a", "1", "b", "2"}); len(pos) != 2 || pos[0] != 1 || pos[1] != 3 {
		t.Errorf("mset key positions %v", pos)
	}
}

func TestGetSetBasics(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	_, err := ts.Get(ctx, "k")
	mustNil(t, "Get missing", err)
	if err := ts.Set(ctx, "k", "v", SetOptions{}); err != nil {
		t.Fatal(err)
	}
	if v, err := ts.Get(ctx, "k"); v != "v" || err != nil {
		t.Fatalf("Get = %q, %v", v, err)
	}
	ts.expect(nullValue, "GET", "nokey")
	ts.expect(BulkValue("v"), "GET", "k")
	ts.expectErr(arityMsg("get"), "GET")
	ts.expectErr(arityMsg("get"), "GET", "a", "b")
	ts.expectErr(arityMsg("set"), "SET", "k")
	ts.putList("l")
	ts.expectErr(msgWrongType, "GET", "l")
	if _, err := ts.Get(ctx, "l"); !errors.Is(err, ErrWrongType) {
		t.Fatalf("Get list: %v", err)
	}
	// SET overwrites any type.
	ts.expect(okValue, "SET", "l", "v")
	ts.expect(BulkValue("v"), "GET", "l")
}

func TestSetOptions(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()

	ts.expect(okValue, "SET", "k", "v", "NX")
	ts.expect(nullValue, "SET", "k", "w", "nx")
	ts.expect(nullValue, "SET", "missing", "w", "XX")
	ts.expect(IntValue(0), "EXISTS", "missing")
	ts.expect(okValue, "SET", "k", "w", "xX")
	ts.expect(BulkValue("w"), "GET", "k")
	ts.expect(nullValue, "SET", "k", "w", "NX", "NX")
	ts.expect(BulkValue("w"), "SET", "k", "x", "GET")
	ts.expect(BulkValue("x"), "SET", "k", "y", "NX", "GET") // aborted, old value
	ts.expect(BulkValue("x"), "GET", "k")
	ts.expect(nullValue, "SET", "k2", "y", "XX", "GET")
	ts.expect(nullValue, "SET", "k2", "y", "NX", "GET")
	ts.expect(BulkValue("y"), "GET", "k2")
	// Keywords are matched as C strings: up to the first NUL.
	ts.expect(nullValue, "SET", "k2", "z", "nx\x00junk")
	ts.expect(BulkValue("y"), "SET", "k2", "z", "get\x00junk")

	for _, args := range [][]any{
		{"SET", "k", "v", "NX", "XX"}, {"SET", "k", "v", "XX", "NX"},
		{"SET", "k", "v", "EX"}, {"SET", "k", "v", "PX"}, {"SET", "k", "v", "EXAT"}, {"SET", "k", "v", "PXAT"},
		{"SET", "k", "v", "EX", 10, "PX", 100}, {"SET", "k", "v", "PX", 100, "EX", 10},
		{"SET", "k", "v", "EXAT", 10, "PXAT", 100}, {"SET", "k", "v", "EX", 10, "KEEPTTL"},
		{"SET", "k", "v", "KEEPTTL", "EX", 10}, {"SET", "k", "v", "PERSIST"}, {"SET", "k", "v", "foo"},
		{"SET", "k", "v", "EX", 0, "foo"}, {"SET", "k", "v", "foo", "EX", 0},
	} {
		ts.expectErr(msgSyntax, args...)
	}
	for _, args := range [][]any{
		{"SET", "k", "v", "EX", 0}, {"SET", "k", "v", "EX", -1}, {"SET", "k", "v", "PX", 0},
		{"SET", "k", "v", "EXAT", 0}, {"SET", "k", "v", "PXAT", -1},
		{"SET", "k", "v", "EX", "9223372036854776"},    // seconds overflow ms
		{"SET", "k", "v", "EX", "9223372036854775"},    // now + ms overflows
		{"SET", "k", "v", "PX", "9223372036854775807"}, // now + ms overflows
		{"SET", "k", "v", "EXAT", "9223372036854776"},
		{"SET", "k", "v", "NX", "EX", 0}, // checked before the condition
	} {
		ts.expectErr("ERR invalid expire time in 'set' command", args...)
	}
	ts.expectErr(msgNotInt, "SET", "k", "v", "EX", "abc")
	ts.expectErr(msgNotInt, "SET", "k", "v", "PX", "1.5")
	ts.expectErr(msgNotInt, "SET", "k", "v", "EX", " 10")
	ts.expect(BulkValue("x"), "GET", "k") // none of the failures wrote

	ts.putList("l")
	ts.expectErr(msgWrongType, "SET", "l", "v", "GET")
	ts.expectErr(msgWrongType, "SET", "l", "v", "NX", "GET")
	ts.expect(nullValue, "SET", "l", "v", "NX")
	ts.expect(okValue, "SET", "l", "v", "XX")
	ts.expect(BulkValue("v"), "GET", "l")

	// Typed options.
	if err := ts.Set(ctx, "k", "v", SetOptions{NX: true}); !errors.Is(err, Nil) {
		t.Fatalf("Set NX on existing key: %v", err)
	}
	if err := ts.Set(ctx, "k", "v", SetOptions{NX: true, XX: true}); !errors.Is(err, ErrSyntax) {
		t.Fatalf("Set NX XX: %v", err)
	}
	if err := ts.Set(ctx, "k", "v", SetOptions{TTL: time.Second, ExpireAt: testStart.Add(time.Hour)}); !errors.Is(err, ErrSyntax) {
		t.Fatalf("Set TTL+ExpireAt: %v", err)
	}
	if err := ts.Set(ctx, "k", "v", SetOptions{TTL: time.Second, KeepTTL: true}); !errors.Is(err, ErrSyntax) {
		t.Fatalf("Set TTL+KeepTTL: %v", err)
	}
	if err := ts.Set(ctx, "k", "v", SetOptions{ExpireAt: time.UnixMilli(-5)}); !errors.Is(err, ErrInvalidExpireSet) {
		t.Fatalf("Set ExpireAt before 1970: %v", err)
	}
	if old, err := ts.SetGet(ctx, "k", "new", SetOptions{XX: true}); old != "x" || err != nil {
		t.Fatalf("SetGet = %q, %v", old, err)
	}
	_, err := ts.SetGet(ctx, "fresh", "v", SetOptions{})
	mustNil(t, "SetGet on missing key", err)
	_, err = ts.SetGet(ctx, "l2", "v", SetOptions{})
	mustNil(t, "SetGet on missing key", err)
	ts.putList("l2")
	if _, err := ts.SetGet(ctx, "l2", "v", SetOptions{}); !errors.Is(err, ErrWrongType) {
		t.Fatalf("SetGet on list: %v", err)
	}
}

func TestSetExpiry(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()

	ts.expect(okValue, "SET", "k", "v", "EX", 100)
	if got := ts.pttl("k"); got != 100000 {
		t.Fatalf("pttl after EX 100 = %d", got)
	}
	ts.expect(okValue, "SET", "k", "v", "EX", 10, "EX", 20) // the last one wins
	if got := ts.pttl("k"); got != 20000 {
		t.Fatalf("pttl after EX 10 EX 20 = %d", got)
	}
	ts.expect(okValue, "SET", "k", "w", "KEEPTTL")
	if got := ts.pttl("k"); got != 20000 {
		t.Fatalf("KEEPTTL lost the TTL: %d", got)
	}
	ts.expect(okValue, "SET", "k", "w")
	if got := ts.pttl("k"); got != -1 {
		t.Fatalf("plain SET kept the TTL: %d", got)
	}
	ts.expect(okValue, "SET", "k", "v", "PX", 1500)
	ts.clk.Advance(1499 * time.Millisecond)
	ts.expect(BulkValue("v"), "GET", "k")
	ts.clk.Advance(time.Millisecond)
	ts.expect(nullValue, "GET", "k")

	ts.clk.Advance(500 * time.Millisecond) // back to a whole second
	at := ts.clk.Now().Add(time.Hour)
	ts.expect(okValue, "SET", "k", "v", "EXAT", at.Unix())
	if got := ts.pttl("k"); got != 3600000 {
		t.Fatalf("pttl after EXAT = %d", got)
	}
	ts.expect(okValue, "SET", "k", "v", "PXAT", at.UnixMilli()+1)
	if got := ts.pttl("k"); got != 3600001 {
		t.Fatalf("pttl after PXAT = %d", got)
	}
	// An absolute time in the past: the key is gone at once.
	ts.expect(okValue, "SET", "k", "v", "EXAT", 1)
	ts.expect(IntValue(0), "EXISTS", "k")

	// Typed.
	if err := ts.Set(ctx, "t", "v", SetOptions{TTL: 1500 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if got := ts.pttl("t"); got != 1500 {
		t.Fatalf("Set TTL: pttl %d", got)
	}
	if err := ts.Set(ctx, "t", "v", SetOptions{TTL: time.Microsecond}); err != nil {
		t.Fatal(err)
	}
	if got := ts.pttl("t"); got != 1 {
		t.Fatalf("Set TTL 1µs: pttl %d, want 1", got)
	}
	if err := ts.Set(ctx, "t", "v", SetOptions{ExpireAt: at}); err != nil {
		t.Fatal(err)
	}
	if got := ts.pttl("t"); got != 3600000 {
		t.Fatalf("Set ExpireAt: pttl %d", got)
	}
	if err := ts.Set(ctx, "t", "w", SetOptions{KeepTTL: true, XX: true}); err != nil {
		t.Fatal(err)
	}
	if got := ts.pttl("t"); got != 3600000 {
		t.Fatalf("Set KeepTTL: pttl %d", got)
	}
}

func TestSetNXSetEXPSetEX(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	if ok, err := ts.SetNX(ctx, "n", "v"); !ok || err != nil {
		t.Fatalf("SetNX = %v, %v", ok, err)
	}
	if ok, err := ts.SetNX(ctx, "n", "w"); ok || err != nil {
		t.Fatalf("second SetNX = %v, %v", ok, err)
	}
	ts.expect(IntValue(0), "SETNX", "n", "w")
	ts.expect(BulkValue("v"), "GET", "n")
	ts.putList("l")
	ts.expect(IntValue(0), "SETNX", "l", "v")
	ts.expectErr(arityMsg("setnx"), "SETNX", "n")

	if err := ts.SetEX(ctx, "x", "v", 100*time.Second); err != nil {
		t.Fatal(err)
	}
	if got := ts.pttl("x"); got != 100000 {
		t.Fatalf("SetEX: pttl %d", got)
	}
	if err := ts.SetEX(ctx, "x", "v", 999*time.Millisecond); !errors.Is(err, ErrInvalidExpireSetEX) {
		t.Fatalf("SetEX under a second: %v", err)
	}
	ts.expectErr("ERR invalid expire time in 'setex' command", "SETEX", "x", -5, "v")
	ts.expectErr("ERR invalid expire time in 'setex' command", "SETEX", "x", "9223372036854775", "v")
	ts.expectErr("ERR invalid expire time in 'setex' command", "SETEX", "x", "9223372036854776", "v")
	ts.expectErr(msgNotInt, "SETEX", "x", "abc", "v")
	ts.expectErr(arityMsg("setex"), "SETEX", "x", 100)
	ts.expect(okValue, "SETEX", "l", 100, "v") // overwrites another type
	ts.expect(BulkValue("v"), "GET", "l")
	ts.clk.Advance(100 * time.Second)
	ts.expect(nullValue, "GET", "x")

	if err := ts.PSetEX(ctx, "p", "v", 1500*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if got := ts.pttl("p"); got != 1500 {
		t.Fatalf("PSetEX: pttl %d", got)
	}
	if err := ts.PSetEX(ctx, "p", "v", time.Microsecond); !errors.Is(err, ErrInvalidExpirePSetEX) {
		t.Fatalf("PSetEX under a millisecond: %v", err)
	}
	ts.expectErr("ERR invalid expire time in 'psetex' command", "PSETEX", "p", "9223372036854775807", "v")
	ts.expectErr(msgNotInt, "PSETEX", "p", "1.5", "v")
	ts.expectErr(arityMsg("psetex"), "PSETEX", "p", 100)
	ts.expect(okValue, "SETEX", "p", 100, 42)
	if e := ts.encoding("p"); e != "int" {
		t.Fatalf("SETEX 42 encoding %q", e)
	}
}

func TestSetEncodings(t *testing.T) {
	ts := newTestStore(t)
	for _, c := range []struct{ val, enc string }{
		{"12345", "int"}, {"-12345", "int"}, {"0", "int"},
		{"9223372036854775807", "int"}, {"-9223372036854775808", "int"},
		{"9223372036854775808", "embstr"}, {"012", "embstr"}, {"+12", "embstr"},
		{" 12", "embstr"}, {"12.5", "embstr"}, {"", "embstr"},
		{strings.Repeat("x", 44), "embstr"}, {strings.Repeat("x", 45), "raw"},
	} {
		ts.expect(okValue, "SET", "k", c.val)
		if got := ts.encoding("k"); got != c.enc {
			t.Errorf("SET %q: encoding %s, want %s", c.val, got, c.enc)
		}
	}
	ts.expect(okValue, "MSET", "a", "123", "b", "abc")
	if ts.encoding("a") != "int" || ts.encoding("b") != "embstr" {
		t.Errorf("MSET encodings %s %s", ts.encoding("a"), ts.encoding("b"))
	}
	ts.expect(nullValue, "GETSET", "c", "77")
	if ts.encoding("c") != "int" {
		t.Errorf("GETSET encoding %s", ts.encoding("c"))
	}
}

func TestGetSetAndGetDel(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	_, err := ts.GetSet(ctx, "g", "v")
	mustNil(t, "GetSet on missing key", err)
	if old, err := ts.GetSet(ctx, "g", "w"); old != "v" || err != nil {
		t.Fatalf("GetSet = %q, %v", old, err)
	}
	ts.expect(BulkValue("w"), "GETSET", "g", "x")
	ts.expect(okValue, "SET", "t", "v", "EX", 100)
	ts.expect(BulkValue("v"), "GETSET", "t", "w")
	if got := ts.pttl("t"); got != -1 {
		t.Fatalf("GETSET kept the TTL: %d", got)
	}
	ts.putList("l")
	ts.expectErr(msgWrongType, "GETSET", "l", "x")
	if _, err := ts.GetSet(ctx, "l", "x"); !errors.Is(err, ErrWrongType) {
		t.Fatalf("GetSet on list: %v", err)
	}
	ts.expectErr(arityMsg("getset"), "GETSET", "g")

	if v, err := ts.GetDel(ctx, "g"); v != "x" || err != nil {
		t.Fatalf("GetDel = %q, %v", v, err)
	}
	ts.expect(IntValue(0), "EXISTS", "g")
	_, err = ts.GetDel(ctx, "g")
	mustNil(t, "GetDel on missing key", err)
	ts.expect(nullValue, "GETDEL", "g")
	ts.expectErr(msgWrongType, "GETDEL", "l")
	ts.expect(IntValue(1), "EXISTS", "l")
	ts.expectErr(arityMsg("getdel"), "GETDEL")
	ts.expectErr(arityMsg("getdel"), "GETDEL", "a", "b")
	ts.expect(okValue, "SET", "e", "v", "PX", 10)
	ts.clk.Advance(10 * time.Millisecond)
	ts.expect(nullValue, "GETDEL", "e")
}

func TestGetEx(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	const badExpire = "ERR invalid expire time in 'getex' command"

	// A missing key answers nil before the TTL is checked, but after the
	// syntax.
	ts.expect(nullValue, "GETEX", "nokey")
	ts.expect(nullValue, "GETEX", "nokey", "EX", 0)
	ts.expect(nullValue, "GETEX", "nokey", "EX", "abc")
	ts.expectErr(msgSyntax, "GETEX", "nokey", "foo")
	ts.expectErr(msgSyntax, "GETEX", "nokey", "EX")
	ts.expectErr(arityMsg("getex"), "GETEX")
	_, err := ts.GetEx(ctx, "nokey", GetExOptions{})
	mustNil(t, "GetEx on missing key", err)

	ts.expect(okValue, "SET", "k", "v")
	ts.expect(BulkValue("v"), "GETEX", "k")
	if ts.pttl("k") != -1 {
		t.Fatal("plain GETEX set a TTL")
	}
	ts.expect(BulkValue("v"), "GETEX", "k", "EX", 100)
	if got := ts.pttl("k"); got != 100000 {
		t.Fatalf("GETEX EX: pttl %d", got)
	}
	ts.expect(BulkValue("v"), "GETEX", "k", "px", 5000)
	if got := ts.pttl("k"); got != 5000 {
		t.Fatalf("GETEX PX: pttl %d", got)
	}
	ts.expect(BulkValue("v"), "GETEX", "k", "EX", 10, "EX", 20)
	if got := ts.pttl("k"); got != 20000 {
		t.Fatalf("GETEX EX EX: pttl %d", got)
	}
	ts.expect(BulkValue("v"), "GETEX", "k", "PERSIST")
	if got := ts.pttl("k"); got != -1 {
		t.Fatalf("GETEX PERSIST: pttl %d", got)
	}
	ts.expect(BulkValue("v"), "GETEX", "k", "persist", "PERSIST")
	at := testStart.Add(time.Hour)
	ts.expect(BulkValue("v"), "GETEX", "k", "EXAT", at.Unix())
	if got := ts.pttl("k"); got != 3600000 {
		t.Fatalf("GETEX EXAT: pttl %d", got)
	}
	ts.expect(BulkValue("v"), "GETEX", "k", "PXAT", at.UnixMilli()-1)
	if got := ts.pttl("k"); got != 3599999 {
		t.Fatalf("GETEX PXAT: pttl %d", got)
	}
	for _, args := range [][]any{
		{"GETEX", "k", "EX", 0}, {"GETEX", "k", "EX", -1}, {"GETEX", "k", "PX", 0},
		{"GETEX", "k", "EXAT", 0}, {"GETEX", "k", "PXAT", -5},
		{"GETEX", "k", "EX", "9223372036854775"}, {"GETEX", "k", "PX", "9223372036854775807"},
	} {
		ts.expectErr(badExpire, args...)
	}
	ts.expectErr(msgNotInt, "GETEX", "k", "EX", "abc")
	for _, args := range [][]any{
		{"GETEX", "k", "foo"}, {"GETEX", "k", "EX", 10, "PX", 10}, {"GETEX", "k", "PERSIST", "EX", 10},
		{"GETEX", "k", "EX", 10, "PERSIST"}, {"GETEX", "k", "KEEPTTL"}, {"GETEX", "k", "NX"},
		{"GETEX", "k", "XX"}, {"GETEX", "k", "GET"},
	} {
		ts.expectErr(msgSyntax, args...)
	}
	if got := ts.pttl("k"); got != 3599999 {
		t.Fatalf("a failed GETEX changed the TTL: %d", got)
	}
	// A past absolute time deletes the key after reading it.
	ts.expect(BulkValue("v"), "GETEX", "k", "EXAT", 1)
	ts.expect(IntValue(0), "EXISTS", "k")

	ts.putList("l")
	ts.expectErr(msgWrongType, "GETEX", "l")
	ts.expectErr(msgWrongType, "GETEX", "l", "EX", 0) // type before TTL
	ts.expectErr(msgSyntax, "GETEX", "l", "foo")      // syntax before type

	// Typed.
	ts.expect(okValue, "SET", "k", "v")
	if v, err := ts.GetEx(ctx, "k", GetExOptions{TTL: 2 * time.Second}); v != "v" || err != nil {
		t.Fatalf("GetEx TTL = %q, %v", v, err)
	}
	if got := ts.pttl("k"); got != 2000 {
		t.Fatalf("GetEx TTL: pttl %d", got)
	}
	ts.clk.Advance(2 * time.Second)
	_, err = ts.GetEx(ctx, "k", GetExOptions{})
	mustNil(t, "GetEx after expiry", err)
	ts.expect(okValue, "SET", "k", "v", "EX", 50)
	if _, err := ts.GetEx(ctx, "k", GetExOptions{Persist: true}); err != nil || ts.pttl("k") != -1 {
		t.Fatalf("GetEx Persist: %v, pttl %d", err, ts.pttl("k"))
	}
	if _, err := ts.GetEx(ctx, "k", GetExOptions{ExpireAt: at}); err != nil || ts.pttl("k") != int64(time.Hour/time.Millisecond)-2000 {
		t.Fatalf("GetEx ExpireAt: %v, pttl %d", err, ts.pttl("k"))
	}
	if _, err := ts.GetEx(ctx, "k", GetExOptions{TTL: time.Second, Persist: true}); !errors.Is(err, ErrSyntax) {
		t.Fatalf("GetEx TTL+Persist: %v", err)
	}
	if _, err := ts.GetEx(ctx, "k", GetExOptions{ExpireAt: time.UnixMilli(-1)}); !errors.Is(err, ErrInvalidExpireGetEx) {
		t.Fatalf("GetEx before 1970: %v", err)
	}
	if _, err := ts.GetEx(ctx, "k", GetExOptions{ExpireAt: time.UnixMilli(1)}); err != nil {
		t.Fatal(err)
	}
	ts.expect(IntValue(0), "EXISTS", "k")
}

func TestAppend(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	if n, err := ts.Append(ctx, "a", "hello"); n != 5 || err != nil {
		t.Fatalf("Append = %d, %v", n, err)
	}
	ts.expect(IntValue(11), "APPEND", "a", " world")
	ts.expect(BulkValue("hello world"), "GET", "a")
	ts.expect(IntValue(0), "APPEND", "empty", "")
	ts.expect(IntValue(1), "EXISTS", "empty")
	ts.putList("l")
	ts.expectErr(msgWrongType, "APPEND", "l", "x")
	if _, err := ts.Append(ctx, "l", "x"); !errors.Is(err, ErrWrongType) {
		t.Fatalf("Append to list: %v", err)
	}
	ts.expectErr(arityMsg("append"), "APPEND", "a")

	// Encodings: a new key is stored as SET would; an append makes it raw.
	ts.expect(IntValue(3), "APPEND", "n", "123")
	if e := ts.encoding("n"); e != "int" {
		t.Fatalf("APPEND to missing key: %s", e)
	}
	ts.expect(IntValue(4), "APPEND", "n", "4")
	if e := ts.encoding("n"); e != "raw" {
		t.Fatalf("APPEND to int: %s", e)
	}
	ts.expect(IntValue(1235), "INCR", "n")
	ts.expect(IntValue(0), "APPEND", "empty", "")
	if e := ts.encoding("empty"); e != "raw" {
		t.Fatalf("APPEND of nothing: %s", e)
	}
	// The TTL is kept.
	ts.expect(okValue, "SET", "t", "v", "EX", 100)
	ts.expect(IntValue(2), "APPEND", "t", "w")
	if got := ts.pttl("t"); got != 100000 {
		t.Fatalf("APPEND lost the TTL: %d", got)
	}

	// The size limit, lowered so the test stays small.
	defer func(old int64) { stringLimit = old }(stringLimit)
	stringLimit = 12
	ts.expect(IntValue(12), "APPEND", "a", "!")
	ts.expectErr(ErrStringTooLong.Error(), "APPEND", "a", "?")
	if _, err := ts.Append(ctx, "a", "?"); !errors.Is(err, ErrStringTooLong) {
		t.Fatalf("Append beyond the limit: %v", err)
	}
	ts.expect(BulkValue("hello world!"), "GET", "a")
}

func TestSetRange(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	tooLong := ErrStringTooLong.Error()

	ts.expect(IntValue(0), "SETRANGE", "r", 0, "")
	ts.expect(IntValue(0), "SETRANGE", "r", 5, "")
	ts.expect(IntValue(0), "EXISTS", "r")
	ts.expectErr("ERR offset is out of range", "SETRANGE", "r", -1, "")
	ts.expectErr("ERR offset is out of range", "SETRANGE", "r", -1, "x")
	ts.expectErr(msgNotInt, "SETRANGE", "r", "x", "y")
	ts.expectErr(msgNotInt, "SETRANGE", "r", "9223372036854775808", "y")
	if n, err := ts.SetRange(ctx, "r", 3, "abc"); n != 6 || err != nil {
		t.Fatalf("SetRange = %d, %v", n, err)
	}
	ts.expect(BulkValue("\x00\x00\x00abc"), "GET", "r")
	if e := ts.encoding("r"); e != "raw" {
		t.Fatalf("SETRANGE on missing key: %s", e)
	}
	ts.expect(IntValue(6), "SETRANGE", "r", 1, "X")
	ts.expect(IntValue(7), "SETRANGE", "r", 6, "Z")
	ts.expect(BulkValue("\x00X\x00abcZ"), "GET", "r")
	ts.expect(IntValue(7), "SETRANGE", "r", 10, "")
	ts.expect(IntValue(11), "SETRANGE", "r", 0, "hello!world")
	ts.expect(IntValue(13), "SETRANGE", "r", 11, "!!")
	ts.expect(BulkValue("hello!world!!"), "GET", "r")
	ts.expect(IntValue(13), "SETRANGE", "r", 2, "LL")
	ts.expect(BulkValue("heLLo!world!!"), "GET", "r")
	ts.expect(IntValue(1000), "SETRANGE", "big", 999, "x") // padding beyond one zero chunk
	ts.expect(BulkValue(strings.Repeat("\x00", 999)+"x"), "GET", "big")

	ts.putList("l")
	ts.expectErr(msgWrongType, "SETRANGE", "l", 0, "x")
	ts.expectErr(msgWrongType, "SETRANGE", "l", 0, "")
	ts.expectErr("ERR offset is out of range", "SETRANGE", "l", -1, "x")
	if _, err := ts.SetRange(ctx, "x", -1, "x"); !errors.Is(err, ErrOffsetRange) {
		t.Fatalf("SetRange negative: %v", err)
	}

	// The limit applies to offset+len, checked without allocating.
	ts.expectErr(tooLong, "SETRANGE", "r2", 536870912, "x")
	ts.expectErr(tooLong, "SETRANGE", "r2", 536870911, "xy")
	ts.expectErr(tooLong, "SETRANGE", "r2", "9223372036854775807", "x")
	ts.expectErr(tooLong, "SETRANGE", "r", 536870912, "x")
	ts.expect(IntValue(0), "SETRANGE", "r2", 536870912, "")
	ts.expect(IntValue(13), "SETRANGE", "r", 536870912, "")
	if _, err := ts.SetRange(ctx, "r", 1<<40, "x"); !errors.Is(err, ErrStringTooLong) {
		t.Fatalf("SetRange beyond the limit: %v", err)
	}

	// Encoding and TTL.
	ts.expect(okValue, "SET", "i", "12")
	ts.expect(IntValue(2), "SETRANGE", "i", 0, "")
	if e := ts.encoding("i"); e != "int" {
		t.Fatalf("SETRANGE of nothing changed the encoding: %s", e)
	}
	ts.expect(IntValue(2), "SETRANGE", "i", 0, "3")
	if e := ts.encoding("i"); e != "raw" {
		t.Fatalf("SETRANGE on int: %s", e)
	}
	ts.expect(IntValue(33), "INCRBY", "i", 1)
	ts.expect(okValue, "SET", "t", "v", "EX", 100)
	ts.expect(IntValue(1), "SETRANGE", "t", 0, "w")
	if got := ts.pttl("t"); got != 100000 {
		t.Fatalf("SETRANGE lost the TTL: %d", got)
	}
	ts.expectErr(arityMsg("setrange"), "SETRANGE", "r", 0)
}

func TestGetRange(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	ts.expect(okValue, "SET", "s", "Hello World")
	for _, c := range []struct {
		start, end any
		want       string
	}{
		{0, -1, "Hello World"}, {0, 4, "Hello"}, {-3, -1, "rld"}, {-1, -3, ""},
		{-100, -200, ""}, {5, 3, ""}, {0, 100, "Hello World"}, {-100, 2, "Hel"},
		{10, 10, "d"}, {11, 11, ""}, {11, -1, ""}, {-1, 0, ""},
		{"-9223372036854775808", -1, "Hello World"}, {0, "9223372036854775807", "Hello World"},
		{"9223372036854775807", 0, ""},
	} {
		ts.expect(BulkValue(c.want), "GETRANGE", "s", c.start, c.end)
		ts.expect(BulkValue(c.want), "SUBSTR", "s", c.start, c.end)
	}
	ts.expectErr(msgNotInt, "GETRANGE", "s", "x", 1)
	ts.expectErr(msgNotInt, "GETRANGE", "s", 1, "x")
	ts.expectErr(msgNotInt, "GETRANGE", "nokey", "x", 1) // arguments before the key
	ts.expect(BulkValue(""), "GETRANGE", "nokey", 0, -1)
	ts.putList("l")
	ts.expectErr(msgWrongType, "GETRANGE", "l", 0, 1)
	ts.expectErr(msgNotInt, "GETRANGE", "l", "x", 1)
	ts.expectErr(msgWrongType, "SUBSTR", "l", 0, 1)
	ts.expect(okValue, "SET", "e", "")
	ts.expect(BulkValue(""), "GETRANGE", "e", 0, -1)
	ts.expect(BulkValue(""), "GETRANGE", "e", -1, -1)
	ts.expect(okValue, "SET", "n", 12345)
	ts.expect(BulkValue("23"), "GETRANGE", "n", 1, 2)
	ts.expectErr(arityMsg("getrange"), "GETRANGE", "s", 0)
	ts.expectErr(arityMsg("substr"), "SUBSTR", "s", 0)

	if v, err := ts.GetRange(ctx, "s", -5, -1); v != "World" || err != nil {
		t.Fatalf("GetRange = %q, %v", v, err)
	}
	if v, err := ts.GetRange(ctx, "nokey", 0, -1); v != "" || err != nil {
		t.Fatalf("GetRange on missing key = %q, %v (want \"\", no Nil)", v, err)
	}
	if _, err := ts.GetRange(ctx, "l", 0, -1); !errors.Is(err, ErrWrongType) {
		t.Fatalf("GetRange on list: %v", err)
	}
}

func TestStrLen(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	if n, err := ts.StrLen(ctx, "nokey"); n != 0 || err != nil {
		t.Fatalf("StrLen missing = %d, %v", n, err)
	}
	ts.expect(okValue, "SET", "s", "abc")
	ts.expect(IntValue(3), "STRLEN", "s")
	ts.expect(okValue, "SET", "s", 12345)
	if n, err := ts.StrLen(ctx, "s"); n != 5 || err != nil {
		t.Fatalf("StrLen int = %d, %v", n, err)
	}
	ts.putList("l")
	ts.expectErr(msgWrongType, "STRLEN", "l")
	ts.expectErr(arityMsg("strlen"), "STRLEN")
	ts.expectErr(arityMsg("strlen"), "STRLEN", "a", "b")
}

func TestMGetMSet(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	if err := ts.MSet(ctx, "m1", "1", "m2", "2", "m3", "3"); err != nil {
		t.Fatal(err)
	}
	ts.putList("l")
	vals, err := ts.MGet(ctx, "m1", "m2", "nokey", "l", "m3")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vals {
		if v == nil {
			got = append(got, "<nil>")
		} else {
			got = append(got, *v)
		}
	}
	if strings.Join(got, ",") != "1,2,<nil>,<nil>,3" {
		t.Fatalf("MGet = %v", got)
	}
	ts.expect(ArrayValue(BulkValue("1"), nullValue), "MGET", "m1", "nokey")
	ts.expectErr(arityMsg("mget"), "MGET")
	if _, err := ts.MGet(ctx); err == nil || !strings.Contains(err.Error(), "'mget'") {
		t.Fatalf("MGet of nothing: %v", err)
	}

	ts.expectErr(arityMsg("mset"), "MSET", "m1")
	ts.expectErr(arityMsg("mset"), "MSET", "m1", "1", "m2")
	ts.expectErr(arityMsg("mset"), "MSET")
	if err := ts.MSet(ctx, "m1", "1", "m2"); err == nil || err.Error() != arityMsg("mset") {
		t.Fatalf("MSet odd: %v", err)
	}
	ts.expect(okValue, "MSET", "m1", "a", "m1", "b")
	ts.expect(BulkValue("b"), "GET", "m1")
	ts.expect(okValue, "SET", "t", "v", "EX", 100)
	ts.expect(okValue, "MSET", "t", "w", "l", "x")
	if got := ts.pttl("t"); got != -1 {
		t.Fatalf("MSET kept the TTL: %d", got)
	}
	ts.expect(BulkValue("x"), "GET", "l") // overwrote the list

	ts.expectErr(arityMsg("msetnx"), "MSETNX", "m1")
	ts.expectErr(arityMsg("msetnx"), "MSETNX", "m1", "1", "m2")
	ts.expect(IntValue(0), "MSETNX", "m1", "x", "m9", "y")
	ts.expect(IntValue(0), "EXISTS", "m9")
	if ok, err := ts.MSetNX(ctx, "m8", "x", "m9", "y"); !ok || err != nil {
		t.Fatalf("MSetNX = %v, %v", ok, err)
	}
	if ok, err := ts.MSetNX(ctx, "m9", "z", "m10", "z"); ok || err != nil {
		t.Fatalf("MSetNX on existing = %v, %v", ok, err)
	}
	ts.expect(IntValue(1), "MSETNX", "m11", "a", "m11", "b")
	ts.expect(BulkValue("b"), "GET", "m11")
	ts.putList("l2")
	ts.expect(IntValue(0), "MSETNX", "m12", "a", "l2", "b")
	// An expired key does not count as existing.
	ts.expect(okValue, "SET", "e", "v", "PX", 5)
	ts.clk.Advance(5 * time.Millisecond)
	ts.expect(IntValue(1), "MSETNX", "e", "w")
}

func TestIncrDecr(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	overflow := "ERR increment or decrement would overflow"

	if n, err := ts.Incr(ctx, "i"); n != 1 || err != nil {
		t.Fatalf("Incr = %d, %v", n, err)
	}
	if n, err := ts.IncrBy(ctx, "i", 10); n != 11 || err != nil {
		t.Fatalf("IncrBy = %d, %v", n, err)
	}
	if n, err := ts.Decr(ctx, "i"); n != 10 || err != nil {
		t.Fatalf("Decr = %d, %v", n, err)
	}
	if n, err := ts.DecrBy(ctx, "i", 20); n != -10 || err != nil {
		t.Fatalf("DecrBy = %d, %v", n, err)
	}
	ts.expect(IntValue(-1), "DECR", "fresh")
	ts.expect(IntValue(-15), "DECRBY", "i", 5)
	ts.expect(IntValue(0), "DECRBY", "i", -15)
	for _, a := range []string{"abc", "1.5", " 1", "01", "+1", "99999999999999999999", ""} {
		ts.expectErr(msgNotInt, "INCRBY", "i", a)
		ts.expectErr(msgNotInt, "DECRBY", "i", a)
		ts.expect(okValue, "SET", "s", a)
		ts.expectErr(msgNotInt, "INCR", "s")
	}
	ts.putList("l")
	for _, cmd := range []string{"INCR", "DECR"} {
		ts.expectErr(msgWrongType, cmd, "l")
	}
	ts.expectErr(msgWrongType, "INCRBY", "l", 1)
	ts.expectErr(msgNotInt, "INCRBY", "l", "abc") // the argument first
	if _, err := ts.Incr(ctx, "l"); !errors.Is(err, ErrWrongType) {
		t.Fatalf("Incr list: %v", err)
	}

	ts.expect(okValue, "SET", "m", "9223372036854775807")
	ts.expectErr(overflow, "INCR", "m")
	ts.expectErr(overflow, "INCRBY", "m", 1)
	if _, err := ts.IncrBy(ctx, "m", 1); !errors.Is(err, ErrOverflow) {
		t.Fatalf("IncrBy overflow: %v", err)
	}
	ts.expect(IntValue(math.MaxInt64-1), "DECR", "m")
	ts.expect(okValue, "SET", "m", "-9223372036854775808")
	ts.expectErr(overflow, "DECR", "m")
	ts.expectErr(overflow, "DECRBY", "m", 1)
	ts.expectErr(overflow, "INCRBY", "m", -1)
	ts.expect(IntValue(-1), "INCRBY", "m", math.MaxInt64)
	ts.expectErr("ERR decrement would overflow", "DECRBY", "z", "-9223372036854775808")
	if _, err := ts.DecrBy(ctx, "z", math.MinInt64); !errors.Is(err, ErrDecrementOverflow) {
		t.Fatalf("DecrBy MinInt64: %v", err)
	}
	ts.expect(IntValue(0), "EXISTS", "z")
	ts.expect(IntValue(math.MinInt64+1), "DECRBY", "z", math.MaxInt64)

	// The TTL is kept and the result is int-encoded.
	ts.expect(okValue, "SET", "t", "10", "EX", 100)
	ts.expect(IntValue(11), "INCR", "t")
	ts.expect(IntValue(8), "DECRBY", "t", 3)
	if got := ts.pttl("t"); got != 100000 {
		t.Fatalf("INCR lost the TTL: %d", got)
	}
	if e := ts.encoding("t"); e != "int" {
		t.Fatalf("INCR encoding %s", e)
	}
	ts.expectErr(arityMsg("incr"), "INCR")
	ts.expectErr(arityMsg("incrby"), "INCRBY", "i")
	ts.expectErr(arityMsg("decrby"), "DECRBY", "i")
	ts.expectErr(arityMsg("decr"), "DECR", "a", "b")
}

func TestIncrByFloat(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	nanInf := "ERR increment would produce NaN or Infinity"

	ts.expect(okValue, "SET", "f", "10.5")
	ts.expect(BulkValue("10.6"), "INCRBYFLOAT", "f", "0.1")
	ts.expect(okValue, "SET", "f", "0.1")
	ts.expect(BulkValue("0.3"), "INCRBYFLOAT", "f", "0.2")
	ts.expect(okValue, "SET", "f", "5.0e3")
	ts.expect(BulkValue("5000"), "INCRBYFLOAT", "f", 0)
	if e := ts.encoding("f"); e != "embstr" {
		t.Fatalf("INCRBYFLOAT encoding %s, want embstr (never int)", e)
	}
	ts.expect(BulkValue("100000"), "INCRBYFLOAT", "g", "1e5")
	ts.expect(BulkValue("100016"), "INCRBYFLOAT", "g", "0x10")
	ts.expect(BulkValue("0"), "INCRBYFLOAT", "h", "-0")
	ts.expect(BulkValue("0"), "INCRBYFLOAT", "h", "-1e-20")
	ts.expect(okValue, "SET", "big", strings.Repeat("1", 50))
	ts.expect(BulkValue("11111111111111111111157189290920927820784081043456"), "INCRBYFLOAT", "big", 1)
	if e := ts.encoding("big"); e != "raw" {
		t.Fatalf("INCRBYFLOAT long result encoding %s", e)
	}
	for _, a := range []string{" 1", "1 ", "", "abc", "nan", "1e", "0x", "1_000", "1\x00", "1e-4951", "0x1p16384", "1.19e4932"} {
		ts.expectErr(msgNotFloat, "INCRBYFLOAT", "h", a)
	}
	for _, a := range []string{"inf", "-inf", "+Infinity"} {
		ts.expectErr(nanInf, "INCRBYFLOAT", "h", a)
	}
	ts.expect(BulkValue("0"), "GET", "h")
	ts.expect(okValue, "SET", "s", "abc")
	ts.expectErr(msgNotFloat, "INCRBYFLOAT", "s", 1)
	ts.expect(okValue, "SET", "s", "inf")
	ts.expectErr(nanInf, "INCRBYFLOAT", "s", 1)
	ts.putList("l")
	ts.expectErr(msgWrongType, "INCRBYFLOAT", "l", 1)
	ts.expectErr(msgWrongType, "INCRBYFLOAT", "l", "abc") // type before argument
	ts.expectErr(arityMsg("incrbyfloat"), "INCRBYFLOAT", "f")

	// The TTL is kept.
	ts.expect(okValue, "SET", "t", "1.5", "EX", 100)
	ts.expect(BulkValue("2.5"), "INCRBYFLOAT", "t", 1)
	if got := ts.pttl("t"); got != 100000 {
		t.Fatalf("INCRBYFLOAT lost the TTL: %d", got)
	}

	// Typed.
	if f, err := ts.IncrByFloat(ctx, "tf", 10.5); f != 10.5 || err != nil {
		t.Fatalf("IncrByFloat = %v, %v", f, err)
	}
	if f, err := ts.IncrByFloat(ctx, "tf", 0.1); f != 10.6 || err != nil {
		t.Fatalf("IncrByFloat = %v, %v", f, err)
	}
	ts.expect(BulkValue("10.6"), "GET", "tf")
	if f, err := ts.IncrByFloat(ctx, "tf", 1e21); f != 1e21+10.6 || err != nil {
		t.Fatalf("IncrByFloat 1e21 = %v, %v", f, err)
	}
	if _, err := ts.IncrByFloat(ctx, "tf", math.Inf(1)); !errors.Is(err, ErrNaNOrInf) {
		t.Fatalf("IncrByFloat +Inf: %v", err)
	}
	if _, err := ts.IncrByFloat(ctx, "tf", math.NaN()); !errors.Is(err, ErrNotFloat) {
		t.Fatalf("IncrByFloat NaN: %v", err)
	}
	ts.expect(okValue, "SET", "huge", "1e400")
	if f, err := ts.IncrByFloat(ctx, "huge", 1); !math.IsInf(f, 1) || err != nil {
		t.Fatalf("IncrByFloat beyond float64 = %v, %v", f, err)
	}
	if _, err := ts.IncrByFloat(ctx, "l", 1); !errors.Is(err, ErrWrongType) {
		t.Fatalf("IncrByFloat on list: %v", err)
	}
}

func TestLCS(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	ts.expect(okValue, "MSET", "key1", "ohmytext", "key2", "mynewtext")
	ts.expect(BulkValue("mytext"), "LCS", "key1", "key2")
	ts.expect(IntValue(6), "LCS", "key1", "key2", "LEN")
	rng := func(a, b int64) Value { return ArrayValue(IntValue(a), IntValue(b)) }
	ts.expect(MapValue(BulkValue("matches"), ArrayValue(
		ArrayValue(rng(4, 7), rng(5, 8)),
		ArrayValue(rng(2, 3), rng(0, 1)),
	), BulkValue("len"), IntValue(6)), "LCS", "key1", "key2", "IDX")
	ts.expect(MapValue(BulkValue("matches"), ArrayValue(
		ArrayValue(rng(4, 7), rng(5, 8), IntValue(4)),
	), BulkValue("len"), IntValue(6)), "LCS", "key1", "key2", "idx", "minmatchlen", 4, "withmatchlen")
	ts.expect(MapValue(BulkValue("matches"), ArrayValue(
		ArrayValue(rng(4, 7), rng(5, 8), IntValue(4)),
		ArrayValue(rng(2, 3), rng(0, 1), IntValue(2)),
	), BulkValue("len"), IntValue(6)), "LCS", "key1", "key2", "IDX", "MINMATCHLEN", -5, "WITHMATCHLEN")
	ts.expect(BulkValue("mytext"), "LCS", "key1", "key2", "WITHMATCHLEN", "MINMATCHLEN", 2)
	ts.expect(IntValue(6), "LCS", "key1", "key2", "LEN", "LEN")
	ts.expect(BulkValue(""), "LCS", "no1", "no2")
	ts.expect(IntValue(0), "LCS", "no1", "no2", "LEN")
	ts.expect(MapValue(BulkValue("matches"), ArrayValue(), BulkValue("len"), IntValue(0)), "LCS", "no1", "no2", "IDX")

	ts.expectErr("ERR If you want both the length and indexes, please just use IDX.", "LCS", "key1", "key2", "IDX", "LEN")
	ts.expectErr(msgSyntax, "LCS", "key1", "key2", "foo")
	ts.expectErr(msgSyntax, "LCS", "key1", "key2", "MINMATCHLEN")
	ts.expectErr(msgNotInt, "LCS", "key1", "key2", "MINMATCHLEN", "x")
	ts.putList("l")
	notString := "ERR The specified keys must contain string values"
	ts.expectErr(notString, "LCS", "l", "key1")
	ts.expectErr(notString, "LCS", "key1", "l")
	ts.expectErr(notString, "LCS", "l", "key1", "foo") // types before options
	ts.expectErr(arityMsg("lcs"), "LCS", "key1")

	// Typed.
	r, err := ts.LCS(ctx, "key1", "key2", LCSOptions{})
	if err != nil || r.MatchString != "mytext" || r.Len != 6 || r.Matches != nil {
		t.Fatalf("LCS = %+v, %v", r, err)
	}
	r, err = ts.LCS(ctx, "key1", "key2", LCSOptions{Len: true})
	if err != nil || r.Len != 6 || r.MatchString != "" {
		t.Fatalf("LCS Len = %+v, %v", r, err)
	}
	r, err = ts.LCS(ctx, "key1", "key2", LCSOptions{Idx: true, WithMatchLen: true, MinMatchLen: 3})
	want := []LCSMatch{{Key1: LCSRange{4, 7}, Key2: LCSRange{5, 8}, Len: 4}}
	if err != nil || r.Len != 6 || len(r.Matches) != 1 || r.Matches[0] != want[0] {
		t.Fatalf("LCS Idx = %+v, %v", r, err)
	}
	r, err = ts.LCS(ctx, "key1", "key2", LCSOptions{Idx: true})
	if err != nil || len(r.Matches) != 2 || r.Matches[1] != (LCSMatch{Key1: LCSRange{2, 3}, Key2: LCSRange{0, 1}}) {
		t.Fatalf("LCS Idx = %+v, %v", r, err)
	}
	if _, err := ts.LCS(ctx, "key1", "key2", LCSOptions{Idx: true, Len: true}); !errors.Is(err, ErrLCSLenAndIdx) {
		t.Fatalf("LCS Idx+Len: %v", err)
	}
	if _, err := ts.LCS(ctx, "l", "key2", LCSOptions{}); !errors.Is(err, ErrLCSNotString) {
		t.Fatalf("LCS on list: %v", err)
	}

	// The table limit, lowered so the test stays small: (n+1)*(m+1)*4.
	defer func(old int64) { stringLimit = old }(stringLimit)
	stringLimit = 4 * 9 * 10
	ts.expect(IntValue(6), "LCS", "key1", "key2", "LEN")
	ts.expect(okValue, "SET", "key3", "mynewtext!")
	ts.expectErr("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len", "LCS", "key1", "key3", "LEN")
	if _, err := ts.LCS(ctx, "key1", "key3", LCSOptions{}); !errors.Is(err, ErrLCSTooLarge) {
		t.Fatalf("LCS too large: %v", err)
	}
}

func TestStringWritesAreCounted(t *testing.T) {
	ts := newTestStore(t)
	dirty := func() int64 {
		var n int64
		ts.onExecutor(context.Background(), func(s *Store) { n = s.stats.dirty })
		return n
	}
	for _, c := range []struct {
		args  []any
		delta int64
	}{
		{[]any{"SET", "k", "v"}, 1},
		{[]any{"APPEND", "k", "w"}, 1},
		{[]any{"SETRANGE", "k", 0, "x"}, 1},
		{[]any{"SETRANGE", "k", 0, ""}, 0},
		{[]any{"GETEX", "k"}, 0},
		{[]any{"GETEX", "k", "EX", 10}, 1},
		{[]any{"GETEX", "k", "PERSIST"}, 1},
		{[]any{"GETEX", "k", "PERSIST"}, 0},
		{[]any{"MSET", "a", "1", "b", "2"}, 2},
		{[]any{"MSETNX", "a", "1", "c", "2"}, 0},
		{[]any{"INCRBYFLOAT", "a", 1}, 1},
		{[]any{"GETDEL", "a"}, 1},
		{[]any{"GETDEL", "a"}, 0},
		{[]any{"GETSET", "a", "x"}, 1},
		{[]any{"GET", "a"}, 0},
		{[]any{"LCS", "a", "b"}, 0},
	} {
		before := dirty()
		ts.do(c.args...)
		if got := dirty() - before; got != c.delta {
			t.Errorf("%v: dirty +%d, want +%d", c.args, got, c.delta)
		}
	}
}

func ExampleDB_IncrByFloat() {
	s, _ := Open(Options{})
	defer s.Close()
	ctx := context.Background()
	s.Set(ctx, "price", "10.5", SetOptions{})
	f, _ := s.IncrByFloat(ctx, "price", 0.1)
	text, _ := s.Get(ctx, "price")
	fmt.Println(f, text)
	// Output: 10.6 10.6
}

func ExampleDB_LCS() {
	s, _ := Open(Options{})
	defer s.Close()
	ctx := context.Background()
	s.MSet(ctx, "key1", "ohmytext", "key2", "mynewtext")
	r, _ := s.LCS(ctx, "key1", "key2", LCSOptions{})
	fmt.Println(r.MatchString, r.Len)
	r, _ = s.LCS(ctx, "key1", "key2", LCSOptions{Idx: true, WithMatchLen: true})
	for _, m := range r.Matches {
		fmt.Println(m.Key1, m.Key2, m.Len)
	}
	// Output:
	// mytext 6
	// {4 7} {5 8} 4
	// {2 3} {0 1} 2
}
