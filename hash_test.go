package embedis

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestHashCommandRows checks each row against Redis 7.0.15's COMMAND INFO.
func TestHashCommandRows(t *testing.T) {
	ro, w, f, dn := flagReadonly, flagWrite, flagFast, flagDenyOOM
	for _, r := range []struct {
		name  string
		arity int
		flags cmdFlags
		acl   string
	}{
		{"hdel", -3, w | f, "write hash fast"},
		{"hexists", 3, ro | f, "read hash fast"},
		{"hget", 3, ro | f, "read hash fast"},
		{"hgetall", 2, ro, "read hash slow"},
		{"hincrby", 4, w | dn | f, "write hash fast"},
		{"hincrbyfloat", 4, w | dn | f, "write hash fast"},
		{"hkeys", 2, ro, "read hash slow"},
		{"hlen", 2, ro | f, "read hash fast"},
		{"hmget", -3, ro | f, "read hash fast"},
		{"hmset", -4, w | dn | f, "write hash fast"},
		{"hrandfield", -2, ro, "read hash slow"},
		{"hscan", -3, ro, "read hash slow"},
		{"hset", -4, w | dn | f, "write hash fast"},
		{"hsetnx", 4, w | dn | f, "write hash fast"},
		{"hstrlen", 3, ro | f, "read hash fast"},
		{"hvals", 2, ro, "read hash slow"},
	} {
		c := commands[r.name]
		if c == nil {
			t.Errorf("%s: not registered", r.name)
			continue
		}
		if c.arity != r.arity || c.flags != r.flags || c.firstKey != 1 || c.lastKey != 1 || c.step != 1 ||
			strings.Join(c.acl, " ") != r.acl {
			t.Errorf("%s: row %+v, want arity %d flags %v acl %s", r.name, *c, r.arity, r.flags.names(), r.acl)
		}
	}
}

// doProto runs a command as a client speaking RESP2 or RESP3, for replies
// whose shape depends on the protocol.
func (ts *testStore) doProto(proto int, args ...string) Value {
	ts.t.Helper()
	var v Value
	if err := ts.onExecutor(bg, func(s *Store) { v = s.dispatch(&client{db: 0, proto: proto}, args) }); err != nil {
		ts.t.Fatal(err)
	}
	return v
}

// hashOf returns the hash value at key in database 0 (nil when missing).
func (ts *testStore) hashOf(key string) *hashType {
	ts.t.Helper()
	var h *hashType
	if err := ts.onExecutor(bg, func(s *Store) {
		if e := s.dbs[0].keys.Get(key); e != nil && e.typ == typeHash {
			h = e.obj.(*hashType)
		}
	}); err != nil {
		ts.t.Fatal(err)
	}
	return h
}

// dirtyCount reads the store's write counter.
func (ts *testStore) dirtyCount() int64 {
	var n int64
	if err := ts.onExecutor(bg, func(s *Store) { n = s.stats.dirty }); err != nil {
		ts.t.Fatal(err)
	}
	return n
}

func (ts *testStore) expectEncoding(key, want string) {
	ts.t.Helper()
	ts.expect(BulkValue(want), "object", "encoding", key)
}

func TestHSetHGet(t *testing.T) {
	ts := newTestStore(t)
	ts.expect(IntValue(3), "hset", "h", "a", "1", "b", "2", "c", "3")
	ts.expect(IntValue(1), "hset", "h", "a", "x", "d", "4") // a updated, d new
	ts.expect(BulkValue("x"), "hget", "h", "a")
	ts.expect(nullValue, "hget", "h", "zz")
	ts.expect(nullValue, "hget", "nokey", "a")
	ts.expect(okValue, "hmset", "h", "e", "5")
	ts.expect(IntValue(5), "hlen", "h")
	ts.expect(IntValue(0), "hlen", "nokey")
	ts.expect(bulks("a", "b", "c", "d", "e"), "hkeys", "h")
	ts.expect(bulks("x", "2", "3", "4", "5"), "hvals", "h")
	ts.expect(MapValue(bulks("a", "x", "b", "2", "c", "3", "d", "4", "e", "5").elems...), "hgetall", "h")
	ts.expect(MapValue(), "hgetall", "nokey")
	ts.expect(ArrayValue(), "hkeys", "nokey")
	ts.expect(ArrayValue(), "hvals", "nokey")
	ts.expect(IntValue(1), "hexists", "h", "a")
	ts.expect(IntValue(0), "hexists", "h", "zz")
	ts.expect(IntValue(0), "hexists", "nokey", "a")
	ts.expect(IntValue(1), "hstrlen", "h", "a")
	ts.expect(IntValue(0), "hstrlen", "h", "zz")
	ts.expect(IntValue(0), "hstrlen", "nokey", "zz")
	ts.expect(ArrayValue(BulkValue("x"), nullValue, BulkValue("2")), "hmget", "h", "a", "zz", "b")
	ts.expect(ArrayValue(nullValue, nullValue), "hmget", "nokey", "a", "b")
	ts.expect(SimpleValue("hash"), "type", "h")
	// Empty strings are fine as fields and values.
	ts.expect(IntValue(1), "hset", "h", "", "")
	ts.expect(BulkValue(""), "hget", "h", "")
	ts.expect(IntValue(1), "hexists", "h", "")
	// HGETALL over RESP2 is the same pairs; the encoder flattens the map.
	if v := ts.doProto(2, "hgetall", "nokey"); v.kind != KindMap || len(v.elems) != 0 {
		t.Errorf("hgetall nokey: %s", v)
	}
}

func TestHashArityAndWrongType(t *testing.T) {
	ts := newTestStore(t)
	ts.expect(okValue, "set", "s", "x")
	for _, c := range [][]any{
		{"hset", "h"}, {"hset", "h", "a"}, {"hset", "h", "a", "1", "b"}, {"hmset", "h", "a"},
		{"hmset", "h", "a", "1", "b"}, {"hget", "h"}, {"hget", "h", "a", "b"}, {"hdel", "h"},
		{"hexists", "h"}, {"hgetall"}, {"hgetall", "h", "x"}, {"hincrby", "h", "a"},
		{"hincrbyfloat", "h", "a"}, {"hkeys"}, {"hlen"}, {"hmget", "h"}, {"hrandfield"},
		{"hscan", "h"}, {"hsetnx", "h", "a"}, {"hstrlen", "h"}, {"hvals"},
	} {
		ts.expectErr(fmt.Sprintf("ERR wrong number of arguments for '%s' command", c[0]), c...)
	}
	ts.expect(IntValue(0), "exists", "h") // the odd HSET did not create it
	for _, c := range [][]any{
		{"hset", "s", "a", "1"}, {"hmset", "s", "a", "1"}, {"hsetnx", "s", "a", "1"}, {"hget", "s", "a"},
		{"hmget", "s", "a"}, {"hdel", "s", "a"}, {"hexists", "s", "a"}, {"hgetall", "s"},
		{"hkeys", "s"}, {"hvals", "s"}, {"hlen", "s"}, {"hstrlen", "s", "a"}, {"hincrby", "s", "a", "1"},
		{"hincrbyfloat", "s", "a", "1"}, {"hrandfield", "s"}, {"hrandfield", "s", "2"},
		{"hrandfield", "s", "2", "withvalues"}, {"hscan", "s", "0"}, {"hscan", "s", "0", "bogus"},
	} {
		ts.expectErr(ErrWrongType.msg, c...)
	}
	ts.expect(BulkValue("x"), "get", "s")
	// The typed API reports the same errors.
	if _, err := ts.HGet(bg, "s", "a"); !errors.Is(err, ErrWrongType) {
		t.Errorf("HGet on a string: %v", err)
	}
	if _, err := ts.HSet(bg, "h", "a"); err == nil || err.Error() != "ERR wrong number of arguments for 'hset' command" {
		t.Errorf("HSet odd: %v", err)
	}
	if _, err := ts.HGetAll(bg, "s"); !errors.Is(err, ErrWrongType) {
		t.Errorf("HGetAll on a string: %v", err)
	}
}

// TestHashInsertionOrder checks that a small hash keeps insertion order
// through updates and deletions, as a listpack does.
func TestHashInsertionOrder(t *testing.T) {
	ts := newTestStore(t)
	ts.expect(IntValue(3), "hset", "h", "c", "1", "a", "2", "b", "3")
	ts.expect(IntValue(1), "hdel", "h", "a")
	ts.expect(IntValue(1), "hset", "h", "a", "9")
	ts.expect(IntValue(0), "hset", "h", "c", "7") // update in place
	ts.expect(IntValue(1), "hsetnx", "h", "d", "4")
	ts.expect(IntValue(5), "hincrby", "h", "e", "5")
	ts.expect(bulks("c", "b", "a", "d", "e"), "hkeys", "h")
	ts.expect(bulks("7", "3", "9", "4", "5"), "hvals", "h")
	ts.expect(ArrayValue(BulkValue("0"), bulks("c", "7", "b", "3", "a", "9", "d", "4", "e", "5")), "hscan", "h", "0")
	ts.expect(bulks("c", "b", "a", "d", "e"), "hrandfield", "h", "5")
	ts.expect(bulks("c", "b", "a", "d", "e"), "hrandfield", "h", "100")
}

func TestHashEncoding(t *testing.T) {
	ts := newTestStore(t)
	long := strings.Repeat("x", 65)
	max := strings.Repeat("x", 64)

	// 512 entries (Redis 7.0's default hash-max-listpack-entries) stay a
	// listpack; the 513th converts.
	for i := 0; i < 512; i++ {
		ts.expect(IntValue(1), "hset", "h", "f"+strconv.Itoa(i), "v")
	}
	ts.expectEncoding("h", "listpack")
	ts.expect(IntValue(0), "hset", "h", "f0", "w")
	ts.expectEncoding("h", "listpack")
	ts.expect(IntValue(1), "hset", "h", "f512", "v")
	ts.expectEncoding("h", "hashtable")
	// One-way: deleting down to one field keeps the hashtable.
	for i := 0; i < 512; i++ {
		ts.expect(IntValue(1), "hdel", "h", "f"+strconv.Itoa(i))
	}
	ts.expectEncoding("h", "hashtable")
	ts.expect(IntValue(1), "hlen", "h")

	// One HSET adding many fields at once converts too.
	args := []any{"hset", "many"}
	for i := 0; i < 513; i++ {
		args = append(args, "f"+strconv.Itoa(i), "v")
	}
	ts.expect(IntValue(513), args...)
	ts.expectEncoding("many", "hashtable")

	// Lengths: 64 bytes fit, 65 do not, for a field or a value.
	ts.expect(IntValue(1), "hset", "v64", "a", max)
	ts.expect(IntValue(1), "hset", "v64", max, "a")
	ts.expectEncoding("v64", "listpack")
	ts.expect(IntValue(1), "hset", "v65", "a", long)
	ts.expectEncoding("v65", "hashtable")
	ts.expect(IntValue(1), "hset", "f65", long, "a")
	ts.expectEncoding("f65", "hashtable")
	// HSET checks every argument before writing, even of an existing field.
	ts.expect(IntValue(1), "hset", "upd", "a", "1")
	ts.expect(IntValue(0), "hset", "upd", "a", long)
	ts.expectEncoding("upd", "hashtable")
	ts.expect(IntValue(0), "hset", "upd", "a", "1")
	ts.expectEncoding("upd", "hashtable")

	// HSETNX converts only when it writes.
	ts.expect(IntValue(1), "hset", "nx", "a", "1")
	ts.expect(IntValue(0), "hsetnx", "nx", "a", long)
	ts.expectEncoding("nx", "listpack")
	ts.expect(IntValue(1), "hsetnx", "nx", "b", long)
	ts.expectEncoding("nx", "hashtable")
	ts.expect(IntValue(1), "hsetnx", "nx2", long, "1")
	ts.expectEncoding("nx2", "hashtable")

	// HINCRBY and HINCRBYFLOAT convert for a long field, and for a long
	// result.
	ts.expect(IntValue(1), "hincrby", "inc", long, "1")
	ts.expectEncoding("inc", "hashtable")
	ts.expect(BulkValue("1"), "hincrbyfloat", "incf", long, "1")
	ts.expectEncoding("incf", "hashtable")
	ts.expect(IntValue(1), "hset", "h8", "a", "1")
	ts.expect(BulkValue("10000000000000000000222479489586148259025995410601157579323600873193472"), "hincrbyfloat", "h8", "a", "1e70")
	ts.expectEncoding("h8", "hashtable")
	ts.expect(IntValue(1), "hset", "h7", "a", "1")
	ts.expect(BulkValue("999999999999999999999373423426722168652130621984886772203520"), "hincrbyfloat", "h7", "a", "1e60")
	ts.expectEncoding("h7", "listpack")

	// A deleted and re-created key starts as a listpack again.
	ts.expect(IntValue(1), "del", "v65")
	ts.expect(IntValue(1), "hset", "v65", "a", "1")
	ts.expectEncoding("v65", "listpack")

	if h := ts.hashOf("h"); h == nil || h.encoding() != "hashtable" || h.checkInvariants() != nil {
		t.Errorf("hash h: %+v", h)
	}
}

func TestHDel(t *testing.T) {
	ts := newTestStore(t)
	ts.expect(IntValue(0), "hdel", "nokey", "a")
	ts.expect(IntValue(4), "hset", "h", "a", "1", "b", "2", "c", "3", "d", "4")
	ts.expect(IntValue(1), "pexpire", "h", "100000")
	ts.expect(IntValue(2), "hdel", "h", "b", "zz", "b", "d")
	ts.expect(bulks("a", "c"), "hkeys", "h")
	ts.expect(IntValue(100000), "pttl", "h") // modifying a hash keeps its TTL
	ts.expect(IntValue(1), "hset", "h", "e", "5")
	ts.expect(IntValue(100000), "pttl", "h")
	ts.expect(IntValue(3), "hdel", "h", "a", "c", "e", "a")
	ts.expect(IntValue(0), "exists", "h")
	ts.expect(IntValue(-2), "pttl", "h")

	// A hashtable-encoded hash is deleted when emptied too.
	ts.expect(IntValue(1), "hset", "big", "a", strings.Repeat("y", 100))
	ts.expect(IntValue(1), "hdel", "big", "a")
	ts.expect(IntValue(0), "exists", "big")

	// A write resets OBJECT IDLETIME, as a read does.
	ts.expect(IntValue(1), "hset", "idle", "a", "1")
	ts.clk.Advance(5e9)
	ts.expect(IntValue(5), "object", "idletime", "idle")
	ts.expect(IntValue(1), "hdel", "idle", "zz", "a")
	ts.expect(IntValue(1), "hset", "idle", "a", "1")
	ts.clk.Advance(5e9)
	ts.expect(IntValue(0), "hdel", "idle", "zz")
	ts.expect(IntValue(0), "object", "idletime", "idle")

	// Expiry: the hash disappears at its time.
	ts.expect(IntValue(1), "hset", "exp", "a", "1")
	ts.expect(IntValue(1), "pexpire", "exp", "10")
	ts.clk.Advance(10e6)
	ts.expect(nullValue, "hget", "exp", "a")
	ts.expect(IntValue(1), "hset", "exp", "b", "2")
	ts.expect(IntValue(1), "hlen", "exp")
	ts.expect(IntValue(-1), "pttl", "exp")
}

func TestHashDirty(t *testing.T) {
	ts := newTestStore(t)
	for _, c := range []struct {
		args  []any
		write bool
	}{
		{[]any{"hset", "h", "a", "1"}, true},
		{[]any{"hset", "h", "a", "1"}, true}, // an overwrite counts as a write in Redis too
		{[]any{"hmset", "h", "b", "2"}, true},
		{[]any{"hsetnx", "h", "a", "2"}, false},
		{[]any{"hsetnx", "h", "c", "3"}, true},
		{[]any{"hincrby", "h", "n", "1"}, true},
		{[]any{"hincrbyfloat", "h", "n", "1.5"}, true},
		{[]any{"hincrby", "h", "n", "1"}, false}, // "2.5" is not an integer
		{[]any{"hdel", "h", "zz"}, false},
		{[]any{"hdel", "h", "a"}, true},
		{[]any{"hget", "h", "b"}, false},
		{[]any{"hgetall", "h"}, false},
		{[]any{"hrandfield", "h", "-3"}, false},
		{[]any{"hscan", "h", "0"}, false},
		{[]any{"hdel", "h", "b", "c", "n"}, true},
	} {
		before := ts.dirtyCount()
		ts.do(c.args...)
		if got := ts.dirtyCount() > before; got != c.write {
			t.Errorf("%v: dirty %v, want %v", c.args, got, c.write)
		}
	}
	ts.expect(IntValue(0), "exists", "h")
}

func TestHIncrBy(t *testing.T) {
	ts := newTestStore(t)
	ts.expect(IntValue(5), "hincrby", "h", "n", "5")
	ts.expect(IntValue(-5), "hincrby", "h", "n", "-10")
	ts.expect(BulkValue("-5"), "hget", "h", "n")
	ts.expectErr(ErrNotInteger.msg, "hincrby", "h", "n", "abc")
	ts.expectErr(ErrNotInteger.msg, "hincrby", "h", "n", "1.5")
	ts.expectErr(ErrNotInteger.msg, "hincrby", "h", "n", "9223372036854775808")
	ts.expectErr(ErrNotInteger.msg, "hincrby", "nokey", "n", " 1")
	ts.expect(IntValue(0), "exists", "nokey")
	for _, v := range []string{"foo", "", " 1", "1 ", "1.0", "01", "+1", "9223372036854775808"} {
		ts.do("hset", "h", "s", v)
		ts.expectErr(ErrHashNotInteger.msg, "hincrby", "h", "s", "1")
	}
	ts.expect(IntValue(1), "hset", "h", "m", "9223372036854775807")
	ts.expectErr(ErrOverflow.msg, "hincrby", "h", "m", "1")
	ts.expect(IntValue(-1), "hincrby", "h", "m", "-9223372036854775808")
	ts.expect(IntValue(1), "hset", "h", "lo", "-9223372036854775808")
	ts.expectErr(ErrOverflow.msg, "hincrby", "h", "lo", "-1")
	ts.expect(IntValue(9223372036854775807), "hincrby", "h", "x", "9223372036854775807")
	ts.expect(IntValue(0), "hincrby", "h", "zero", "0")

	n, err := ts.HIncrBy(bg, "t", "f", 41)
	if err != nil || n != 41 {
		t.Errorf("HIncrBy = %d, %v", n, err)
	}
	if _, err := ts.HIncrBy(bg, "h", "s", 1); !errors.Is(err, ErrHashNotInteger) {
		t.Errorf("HIncrBy on text: %v", err)
	}
	if _, err := ts.HIncrBy(bg, "h", "big", 1<<62); err != nil {
		t.Errorf("HIncrBy: %v", err)
	}
	if _, err := ts.HIncrBy(bg, "h", "big", 1<<62); !errors.Is(err, ErrOverflow) {
		t.Errorf("HIncrBy overflow: %v", err)
	}
}

func TestHIncrByFloat(t *testing.T) {
	ts := newTestStore(t)
	ts.expect(BulkValue("2.5"), "hincrbyfloat", "h", "a", "2.5")
	ts.expect(BulkValue("2"), "hincrbyfloat", "h", "a", "-0.5")
	ts.expect(BulkValue("5000"), "hincrbyfloat", "h", "c", "5.0e3")
	ts.expect(BulkValue("0.1"), "hincrbyfloat", "h", "p", "0.1")
	ts.expect(BulkValue("0.3"), "hincrbyfloat", "h", "p", "0.2") // long double, not float64
	ts.expect(BulkValue("16"), "hincrbyfloat", "h", "x", "0x10")
	ts.expect(BulkValue("17"), "hincrbyfloat", "h", "x", "+1")
	ts.expect(BulkValue("0"), "hincrbyfloat", "h", "z", "1e-4950")
	for _, bad := range []string{"abc", "nan", "", " 1", "1 ", "1e-5000", "1e5000", "0x", "1e"} {
		ts.expectErr(ErrNotFloat.msg, "hincrbyfloat", "h", "a", bad)
	}
	for _, inf := range []string{"inf", "-inf", "infinity", "+Infinity"} {
		ts.expectErr(ErrNaNOrInfValue.msg, "hincrbyfloat", "h", "a", inf)
	}
	for _, v := range []string{"foo", "", " 1", "1 ", "nan"} {
		ts.do("hset", "h", "s", v)
		ts.expectErr(ErrHashNotFloat.msg, "hincrbyfloat", "h", "s", "1")
	}
	ts.expect(IntValue(1), "hset", "h", "w", "inf")
	ts.expectErr(ErrNaNOrInf.msg, "hincrbyfloat", "h", "w", "1")
	ts.expect(IntValue(1), "hset", "h", "big", "1e4932")
	ts.expectErr(ErrNaNOrInf.msg, "hincrbyfloat", "h", "big", "1e4932")
	ts.expect(BulkValue("1e4932"), "hget", "h", "big")
	ts.expect(IntValue(1), "hset", "h", "hx", "0x1p3")
	ts.expect(BulkValue("9"), "hincrbyfloat", "h", "hx", "1")
	ts.expect(IntValue(0), "exists", "nokey")
	ts.expectErr(ErrNotFloat.msg, "hincrbyfloat", "nokey", "a", "x")
	ts.expect(IntValue(0), "exists", "nokey")

	f, err := ts.HIncrByFloat(bg, "t", "f", 0.1)
	if err != nil || f != 0.1 {
		t.Errorf("HIncrByFloat = %v, %v", f, err)
	}
	if s, _ := ts.HGet(bg, "t", "f"); s != "0.1" {
		t.Errorf("HGet after HIncrByFloat = %q", s)
	}
	if _, err := ts.HIncrByFloat(bg, "h", "s", 1); !errors.Is(err, ErrHashNotFloat) {
		t.Errorf("HIncrByFloat on text: %v", err)
	}
	if f, err := ts.HIncrByFloat(bg, "h", "huge", 1e308); err != nil || f != 1e308 {
		t.Errorf("HIncrByFloat 1e308 = %v, %v", f, err)
	}
	if f, err := ts.HIncrByFloat(bg, "h", "huge", 1e308); err != nil || f < 1e308 {
		// 2e308 overflows a float64 but not a long double.
		t.Errorf("HIncrByFloat 2e308 = %v, %v", f, err)
	}
}

// TestHIncrByFloatAgainstRedis replays increments whose replies were
// recorded from redis-server 7.0.15 on x86-64: HSET h f value, then
// HINCRBYFLOAT h f increment.
func TestHIncrByFloatAgainstRedis(t *testing.T) {
	f, err := os.Open("testdata/hash/hincrbyfloat-redis-7.0.15.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ts := newTestStore(t)
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := strings.Split(line, "\t")
		if len(p) != 3 {
			t.Fatalf("bad line %q", line)
		}
		field := "f" + strconv.Itoa(n)
		n++
		ts.do("hset", "h", field, p[0])
		got := ts.do("hincrbyfloat", "h", field, p[1])
		if got.Str() != p[2] {
			t.Errorf("%s + %s:\n got  %s\n want %s", p[0], p[1], got.Str(), p[2])
		}
	}
	if n < 100 {
		t.Fatalf("only %d cases", n)
	}
}

func TestHSetNX(t *testing.T) {
	ts := newTestStore(t)
	ts.expect(IntValue(1), "hsetnx", "h", "a", "1")
	ts.expect(IntValue(0), "hsetnx", "h", "a", "2")
	ts.expect(BulkValue("1"), "hget", "h", "a")
	ok, err := ts.HSetNX(bg, "h", "b", "2")
	if err != nil || !ok {
		t.Errorf("HSetNX new = %v, %v", ok, err)
	}
	ok, err = ts.HSetNX(bg, "h", "b", "3")
	if err != nil || ok {
		t.Errorf("HSetNX existing = %v, %v", ok, err)
	}
}

func TestHRandField(t *testing.T) {
	ts := newTestStore(t)
	ts.expect(nullValue, "hrandfield", "nokey")
	ts.expect(ArrayValue(), "hrandfield", "nokey", "5")
	ts.expect(ArrayValue(), "hrandfield", "nokey", "-5", "withvalues")
	ts.expectErr(ErrSyntax.msg, "hrandfield", "nokey", "5", "foo")
	ts.expectErr(ErrSyntax.msg, "hrandfield", "nokey", "1", "withvalues", "x")
	ts.expectErr(ErrNotInteger.msg, "hrandfield", "nokey", "abc")
	ts.expectErr(ErrNotInteger.msg, "hrandfield", "nokey", " 1")
	ts.expectErr(ErrNotInteger.msg, "hrandfield", "nokey", "9223372036854775808")
	ts.expectErr(ErrCountOutOfRange.msg, "hrandfield", "nokey", "-9223372036854775808")
	ts.expectErr(ErrValueOutOfRange.msg, "hrandfield", "nokey", "-4611686018427387904", "withvalues")
	ts.expectErr(ErrValueOutOfRange.msg, "hrandfield", "nokey", "4611686018427387904", "WITHVALUES")
	ts.expect(ArrayValue(), "hrandfield", "nokey", "4611686018427387903", "withvalues")
	ts.expect(okValue, "set", "s", "x")
	ts.expectErr(ErrSyntax.msg, "hrandfield", "s", "1", "foo")                                    // before the type
	ts.expectErr(ErrValueOutOfRange.msg, "hrandfield", "s", "-9223372036854775807", "withvalues") // before the type

	fields := []string{"a", "b", "c", "d", "e"}
	ts.expect(IntValue(5), "hset", "h", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5")
	ts.expect(ArrayValue(), "hrandfield", "h", "0")
	ts.expect(ArrayValue(), "hrandfield", "h", "0", "withvalues")
	ts.expect(bulks(fields...), "hrandfield", "h", "5")
	ts.expect(bulks(fields...), "hrandfield", "h", "9223372036854775807")
	if v := ts.doProto(2, "hrandfield", "h", "4611686018427387903", "withvalues"); !valuesEqual(v, bulks("a", "1", "b", "2", "c", "3", "d", "4", "e", "5")) {
		t.Errorf("hrandfield h 4611686018427387903 withvalues (RESP2) = %s", v)
	}
	for i := 0; i < 20; i++ {
		f := ts.do("hrandfield", "h").Str()
		if !slices.Contains(fields, f) {
			t.Fatalf("hrandfield h = %q", f)
		}
	}

	// Replies by protocol: RESP3 pairs, RESP2 flat.
	v3 := ts.doProto(3, "hrandfield", "h", "-3", "withvalues")
	v2 := ts.doProto(2, "hrandfield", "h", "-3", "withvalues")
	if len(v3.elems) != 3 || len(v3.elems[0].elems) != 2 || len(v2.elems) != 6 || v2.elems[0].kind != KindBulk {
		t.Errorf("withvalues replies: RESP3 %s, RESP2 %s", v3, v2)
	}
	for _, p := range v3.elems {
		f, v := p.elems[0].Str(), p.elems[1].Str()
		if string(rune('a'+v[0]-'1')) != f {
			t.Errorf("pair %s %s", f, v)
		}
	}
	if v := ts.doProto(3, "hrandfield", "h", "1", "withvalues"); len(v.elems) != 1 || len(v.elems[0].elems) != 2 {
		t.Errorf("hrandfield h 1 withvalues (RESP3) = %s", v)
	}
	if v := ts.doProto(2, "hrandfield", "h", "2", "withvalues"); len(v.elems) != 4 {
		t.Errorf("hrandfield h 2 withvalues (RESP2) = %s", v)
	}

	// Negative counts repeat fields and return exactly -count of them.
	v := ts.do("hrandfield", "h", "-50")
	if len(v.elems) != 50 {
		t.Fatalf("hrandfield h -50: %d fields", len(v.elems))
	}
	seen := map[string]int{}
	for _, e := range v.elems {
		seen[e.Str()]++
	}
	if len(seen) != 5 {
		t.Errorf("-50 picks saw %v", seen)
	}

	// Positive counts: distinct fields; case 3 (count > size/3) and case 4.
	big := []any{"hset", "h20"}
	for i := 0; i < 20; i++ {
		big = append(big, fmt.Sprintf("f%02d", i), strconv.Itoa(i))
	}
	ts.do(big...)
	for _, count := range []int{2, 3, 6, 7, 10, 19} {
		for round := 0; round < 10; round++ {
			got := ts.do("hrandfield", "h20", count)
			ss := make([]string, len(got.elems))
			for i, e := range got.elems {
				ss[i] = e.Str()
			}
			if len(ss) != count || len(slices.Compact(slices.Sorted(slices.Values(ss)))) != count {
				t.Fatalf("hrandfield h20 %d = %v", count, ss)
			}
			if count*3 <= 20 && !slices.IsSorted(ss) {
				// Case 4 on a listpack samples in one pass: hash order.
				t.Errorf("hrandfield h20 %d not in hash order: %v", count, ss)
			}
		}
	}

	// A hashtable-encoded hash: cases 1, 3 and 4.
	bigArgs := []any{"hset", "ht"}
	for i := 0; i < 600; i++ {
		bigArgs = append(bigArgs, "f"+strconv.Itoa(i), strconv.Itoa(i))
	}
	ts.do(bigArgs...)
	ts.expectEncoding("ht", "hashtable")
	for _, count := range []int{1, 5, 199, 200, 201, 550, 600, 700} {
		got := ts.doProto(3, "hrandfield", "ht", strconv.Itoa(count), "withvalues")
		want := min(count, 600)
		uniq := map[string]bool{}
		for _, p := range got.elems {
			if "f"+p.elems[1].Str() != p.elems[0].Str() {
				t.Errorf("pair %s", p)
			}
			uniq[p.elems[0].Str()] = true
		}
		if len(got.elems) != want || len(uniq) != want {
			t.Errorf("hrandfield ht %d: %d replies, %d distinct", count, len(got.elems), len(uniq))
		}
	}
	if got := ts.do("hrandfield", "ht", "-1000"); len(got.elems) != 1000 {
		t.Errorf("hrandfield ht -1000: %d", len(got.elems))
	}

	// Typed.
	fs, err := ts.HRandField(bg, "h", 10)
	if err != nil || !slices.Equal(fs, fields) {
		t.Errorf("HRandField = %v, %v", fs, err)
	}
	fvs, err := ts.HRandFieldWithValues(bg, "h", -4)
	if err != nil || len(fvs) != 4 {
		t.Errorf("HRandFieldWithValues = %v, %v", fvs, err)
	}
	for _, fv := range fvs {
		if v, _ := ts.HGet(bg, "h", fv.Field); v != fv.Value {
			t.Errorf("pair %v, HGet %q", fv, v)
		}
	}
	if fs, err := ts.HRandField(bg, "nokey", 3); err != nil || len(fs) != 0 {
		t.Errorf("HRandField nokey = %v, %v", fs, err)
	}
	if _, err := ts.HRandFieldWithValues(bg, "h", -1<<62-1); !errors.Is(err, ErrValueOutOfRange) {
		t.Errorf("HRandFieldWithValues out of range: %v", err)
	}
}

// TestHRandFieldDistribution checks that each strategy gives every field a
// fair chance (a loose bound: this is not a statistical test suite).
func TestHRandFieldDistribution(t *testing.T) {
	ts := newTestStore(t)
	args := []any{"hset", "h"}
	for i := 0; i < 10; i++ {
		args = append(args, "f"+strconv.Itoa(i), "v")
	}
	ts.do(args...)
	for _, count := range []string{"-1", "1", "2", "5"} { // cases 1, 1, 4, 3
		hits := map[string]int{}
		for i := 0; i < 400; i++ {
			for _, e := range ts.do("hrandfield", "h", count).elems {
				hits[e.Str()]++
			}
		}
		for i := 0; i < 10; i++ {
			n := hits["f"+strconv.Itoa(i)]
			c, _ := strconv.Atoi(count)
			expect := 400 * max(c, -c) / 10
			if n < expect/3 || n > expect*3 {
				t.Errorf("count %s: f%d picked %d times, expected about %d (%v)", count, i, n, expect, hits)
			}
		}
	}
}

func TestHScan(t *testing.T) {
	ts := newTestStore(t)
	empty := ArrayValue(BulkValue("0"), ArrayValue())
	ts.expect(empty, "hscan", "nokey", "0")
	ts.expect(empty, "hscan", "nokey", "0", "foo")        // options are not parsed for a missing key
	ts.expect(empty, "hscan", "nokey", "0", "count", "0") // idem
	ts.expectErr(ErrInvalidCursor.msg, "hscan", "nokey", "abc")
	ts.expectErr(ErrInvalidCursor.msg, "hscan", "nokey", " 1")
	ts.expectErr(ErrInvalidCursor.msg, "hscan", "nokey", "18446744073709551616")
	ts.expectErr(ErrInvalidCursor.msg, "hscan", "nokey", "-")

	ts.expect(IntValue(3), "hset", "h", "a1", "1", "b1", "2", "a2", "3")
	all := ArrayValue(BulkValue("0"), bulks("a1", "1", "b1", "2", "a2", "3"))
	for _, cur := range []string{"0", "5", "-1", "", "+1", "01", "18446744073709551615"} {
		ts.expect(all, "hscan", "h", cur)
	}
	ts.expect(all, "hscan", "h", "0", "count", "1")
	ts.expect(all, "hscan", "h", "0", "match", "*")
	ts.expect(ArrayValue(BulkValue("0"), bulks("a1", "1", "a2", "3")), "hscan", "h", "0", "MATCH", "a*", "COUNT", "1")
	ts.expect(ArrayValue(BulkValue("0"), ArrayValue()), "hscan", "h", "0", "match", "zz*")
	ts.expectErr(ErrSyntax.msg, "hscan", "h", "0", "count", "0")
	ts.expectErr(ErrSyntax.msg, "hscan", "h", "0", "count", "-1")
	ts.expectErr(ErrNotInteger.msg, "hscan", "h", "0", "count", "abc")
	ts.expectErr(ErrSyntax.msg, "hscan", "h", "0", "match")
	ts.expectErr(ErrSyntax.msg, "hscan", "h", "0", "foo", "bar")
	ts.expectErr(ErrSyntax.msg, "hscan", "h", "0", "type", "string")
	ts.expectErr(ErrSyntax.msg, "hscan", "h", "0", "novalues")

	// A hashtable: scanning page by page returns every field.
	args := []any{"hset", "ht"}
	for i := 0; i < 600; i++ {
		args = append(args, "f"+strconv.Itoa(i), "v"+strconv.Itoa(i))
	}
	ts.do(args...)
	ts.expectEncoding("ht", "hashtable")
	for _, count := range []string{"1", "10", "2000"} {
		got := map[string]string{}
		cursor, calls := "0", 0
		for {
			v := ts.do("hscan", "ht", cursor, "count", count)
			calls++
			cursor = v.elems[0].Str()
			kv := v.elems[1].elems
			for i := 0; i < len(kv); i += 2 {
				got[kv[i].Str()] = kv[i+1].Str()
			}
			if cursor == "0" {
				break
			}
		}
		if len(got) != 600 {
			t.Errorf("count %s: scan returned %d fields", count, len(got))
		}
		for f, v := range got {
			if "v"+f[1:] != v {
				t.Errorf("pair %s %s", f, v)
			}
		}
		if count == "2000" && calls != 1 {
			t.Errorf("count 2000 took %d calls", calls)
		}
		if count == "1" && calls < 100 {
			t.Errorf("count 1 took only %d calls", calls)
		}
	}
	// MATCH filters after COUNT's work: pages may be empty.
	n := 0
	for fv, err := range ts.HScanAll(bg, "ht", HScanOptions{Match: "f1?", Count: 5}) {
		if err != nil {
			t.Fatal(err)
		}
		if !globLikeF1x(fv.Field) {
			t.Errorf("match f1? returned %s", fv.Field)
		}
		n++
	}
	if n != 10 {
		t.Errorf("match f1? returned %d fields", n)
	}
}

func globLikeF1x(s string) bool { return len(s) == 3 && strings.HasPrefix(s, "f1") }

func TestHScanTyped(t *testing.T) {
	ts := newTestStore(t)
	ts.HSet(bg, "h", "a", "1", "b", "2")
	page, next, err := ts.HScan(bg, "h", 0, HScanOptions{})
	if err != nil || next != 0 || !slices.Equal(page, []FieldValue{{"a", "1"}, {"b", "2"}}) {
		t.Errorf("HScan = %v, %d, %v", page, next, err)
	}
	page, next, err = ts.HScan(bg, "nokey", 0, HScanOptions{Match: "*", Count: 3})
	if err != nil || next != 0 || len(page) != 0 {
		t.Errorf("HScan nokey = %v, %d, %v", page, next, err)
	}
	if _, _, err := ts.HScan(bg, "h", 0, HScanOptions{Count: -1}); !errors.Is(err, ErrSyntax) {
		t.Errorf("HScan count -1: %v", err)
	}
	ts.Set(bg, "s", "x", SetOptions{})
	if _, _, err := ts.HScan(bg, "s", 0, HScanOptions{}); !errors.Is(err, ErrWrongType) {
		t.Errorf("HScan string: %v", err)
	}
	// The iterator: an error is yielded once; a break stops early.
	var errs []error
	for _, err := range ts.HScanAll(bg, "s", HScanOptions{}) {
		errs = append(errs, err)
	}
	if len(errs) != 1 || !errors.Is(errs[0], ErrWrongType) {
		t.Errorf("HScanAll on a string yielded %v", errs)
	}
	n := 0
	for range ts.HScanAll(bg, "h", HScanOptions{}) {
		n++
		break
	}
	if n != 1 {
		t.Errorf("break after %d", n)
	}
	ctx, cancel := context.WithCancel(bg)
	cancel()
	for _, err := range ts.HScanAll(ctx, "h", HScanOptions{}) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled HScanAll: %v", err)
		}
	}
}

func TestHashTyped(t *testing.T) {
	ts := newTestStore(t)
	n, err := ts.HSet(bg, "h", "a", "1", "b", "2")
	if err != nil || n != 2 {
		t.Fatalf("HSet = %d, %v", n, err)
	}
	n, err = ts.HSetMap(bg, "h", map[string]string{"c": "3", "b": "20", "d": "4"})
	if err != nil || n != 2 {
		t.Fatalf("HSetMap = %d, %v", n, err)
	}
	if err := ts.HMSet(bg, "h", "e", "5"); err != nil {
		t.Fatal(err)
	}
	if err := ts.HMSet(bg, "h", "e"); err == nil {
		t.Error("HMSet with an odd count succeeded")
	}
	if v, err := ts.HGet(bg, "h", "b"); err != nil || v != "20" {
		t.Errorf("HGet = %q, %v", v, err)
	}
	if _, err := ts.HGet(bg, "h", "zz"); !errors.Is(err, Nil) {
		t.Errorf("HGet missing field: %v", err)
	}
	if _, err := ts.HGet(bg, "nokey", "a"); !errors.Is(err, Nil) {
		t.Errorf("HGet missing key: %v", err)
	}
	m, err := ts.HGetAll(bg, "h")
	want := map[string]string{"a": "1", "b": "20", "c": "3", "d": "4", "e": "5"}
	if err != nil || fmt.Sprint(m) != fmt.Sprint(want) {
		t.Errorf("HGetAll = %v, %v", m, err)
	}
	if m, err := ts.HGetAll(bg, "nokey"); err != nil || m == nil || len(m) != 0 {
		t.Errorf("HGetAll nokey = %v, %v", m, err)
	}
	vals, err := ts.HMGet(bg, "h", "a", "zz", "e")
	if err != nil || len(vals) != 3 || *vals[0] != "1" || vals[1] != nil || *vals[2] != "5" {
		t.Errorf("HMGet = %v, %v", vals, err)
	}
	if keys, err := ts.HKeys(bg, "h"); err != nil || !slices.Equal(keys, []string{"a", "b", "c", "d", "e"}) {
		t.Errorf("HKeys = %v, %v", keys, err)
	}
	if vs, err := ts.HVals(bg, "h"); err != nil || !slices.Equal(vs, []string{"1", "20", "3", "4", "5"}) {
		t.Errorf("HVals = %v, %v", vs, err)
	}
	if l, err := ts.HLen(bg, "h"); err != nil || l != 5 {
		t.Errorf("HLen = %d, %v", l, err)
	}
	if ok, err := ts.HExists(bg, "h", "c"); err != nil || !ok {
		t.Errorf("HExists = %v, %v", ok, err)
	}
	if ok, err := ts.HExists(bg, "h", "zz"); err != nil || ok {
		t.Errorf("HExists missing = %v, %v", ok, err)
	}
	if l, err := ts.HStrLen(bg, "h", "b"); err != nil || l != 2 {
		t.Errorf("HStrLen = %d, %v", l, err)
	}
	if n, err := ts.HDel(bg, "h", "a", "zz", "b"); err != nil || n != 2 {
		t.Errorf("HDel = %d, %v", n, err)
	}
	if keys, _ := ts.HKeys(bg, "nokey"); keys == nil || len(keys) != 0 {
		t.Errorf("HKeys nokey = %#v", keys)
	}
	if enc, err := ts.ObjectEncoding(bg, "h"); err != nil || enc != "listpack" {
		t.Errorf("ObjectEncoding = %q, %v", enc, err)
	}
}

// TestHashCopy checks that COPY gives an independent hash with the same
// encoding and order.
func TestHashCopy(t *testing.T) {
	ts := newTestStore(t)
	ts.HSet(bg, "src", "b", "1", "a", "2")
	ts.expect(IntValue(1), "copy", "src", "dst")
	ts.expect(IntValue(1), "hset", "src", "c", "3")
	ts.expect(bulks("b", "a"), "hkeys", "dst")
	ts.expectEncoding("dst", "listpack")
	ts.expect(IntValue(1), "hset", "big", "x", strings.Repeat("z", 100))
	ts.expect(IntValue(1), "copy", "big", "big2")
	ts.expect(IntValue(1), "hdel", "big", "x")
	ts.expect(BulkValue(strings.Repeat("z", 100)), "hget", "big2", "x")
	ts.expectEncoding("big2", "hashtable")
	h := ts.hashOf("big2").clone()
	if h.encoding() != "hashtable" || h.len() != 1 {
		t.Errorf("clone: %s, %d", h.encoding(), h.len())
	}
}

// TestHashRandomized runs a seeded random mix of hash commands against a
// Go map model and compares every reply; small hashes must also match the
// model's insertion order exactly.
func TestHashRandomized(t *testing.T) {
	seed := uint64(20261130)
	rnd := rand.New(rand.NewPCG(seed, 1))
	ts := newTestStore(t)
	type model struct {
		order []string
		vals  map[string]string
		ht    bool
	}
	hashes := map[string]*model{}
	keys := []string{"k0", "k1", "k2"}
	// Only k2 gets long fields and values; the others grow into a
	// hashtable by their number of fields, or stay listpacks.
	var key string
	field := func() string {
		if key == "k2" && rnd.IntN(20) == 0 {
			return strings.Repeat("F", 60+rnd.IntN(10))
		}
		return "f" + strconv.Itoa(rnd.IntN(800))
	}
	value := func() string {
		switch rnd.IntN(10) {
		case 0:
			if key != "k2" {
				return "short"
			}
			return strings.Repeat("v", 60+rnd.IntN(10))
		case 1, 2:
			return strconv.Itoa(rnd.IntN(1000) - 500)
		}
		return "v" + strconv.Itoa(rnd.IntN(1000))
	}
	set := func(m *model, f, v string) bool {
		_, old := m.vals[f]
		if !old {
			m.order = append(m.order, f)
		}
		m.vals[f] = v
		return !old
	}
	for step := 0; step < 6000; step++ {
		key = keys[rnd.IntN(len(keys))]
		m := hashes[key]
		if m == nil {
			m = &model{vals: map[string]string{}}
		}
		ctx := fmt.Sprintf("seed %d step %d", seed, step)
		if step%500 == 0 {
			for k := range hashes {
				if err := ts.hashOf(k).checkInvariants(); err != nil {
					t.Fatalf("%s: %s: %v", ctx, k, err)
				}
			}
		}
		switch op := rnd.IntN(10); op {
		case 0, 1, 2: // HSET with 1-3 pairs
			args := []any{"hset", key}
			var added int64
			var strs []string
			n := 1 + rnd.IntN(3)
			for i := 0; i < n; i++ {
				f, v := field(), value()
				args = append(args, f, v)
				strs = append(strs, f, v)
			}
			for _, s := range strs {
				if len(s) > 64 {
					m.ht = true
				}
			}
			for i := 0; i < len(strs); i += 2 {
				if set(m, strs[i], strs[i+1]) {
					added++
				}
				if len(m.vals) > 512 {
					m.ht = true
				}
			}
			hashes[key] = m
			if got := ts.do(args...); !valuesEqual(got, IntValue(added)) {
				t.Fatalf("%s: %v = %s, want %d", ctx, args, got, added)
			}
		case 3: // HDEL
			f := field()
			if len(m.order) > 0 && rnd.IntN(2) == 0 {
				f = m.order[rnd.IntN(len(m.order))]
			}
			want := int64(0)
			if _, ok := m.vals[f]; ok {
				want = 1
				delete(m.vals, f)
				m.order = slices.DeleteFunc(m.order, func(s string) bool { return s == f })
			}
			if len(m.vals) == 0 {
				delete(hashes, key)
			}
			if got := ts.do("hdel", key, f); !valuesEqual(got, IntValue(want)) {
				t.Fatalf("%s: hdel %s %s = %s, want %d", ctx, key, f, got, want)
			}
		case 4: // HINCRBY
			f := field()
			cur, ok := m.vals[f]
			n := int64(rnd.IntN(100))
			want := Value{}
			var newv string
			if !ok {
				want, newv = IntValue(n), strconv.FormatInt(n, 10)
			} else if c, isInt := parseInt(cur); isInt {
				want, newv = IntValue(c+n), strconv.FormatInt(c+n, 10)
			} else {
				want = ErrorValue(ErrHashNotInteger.msg)
			}
			if want.kind != KindError {
				if len(f) > 64 {
					m.ht = true
				}
				set(m, f, newv)
				if len(m.vals) > 512 {
					m.ht = true
				}
				hashes[key] = m
			}
			if got := ts.do("hincrby", key, f, n); !valuesEqual(got, want) {
				t.Fatalf("%s: hincrby = %s, want %s", ctx, got, want)
			}
		case 5: // HSETNX
			f, v := field(), value()
			want := int64(0)
			if _, ok := m.vals[f]; !ok {
				want = 1
				if len(f) > 64 || len(v) > 64 {
					m.ht = true
				}
				set(m, f, v)
				if len(m.vals) > 512 {
					m.ht = true
				}
				hashes[key] = m
			}
			if got := ts.do("hsetnx", key, f, v); !valuesEqual(got, IntValue(want)) {
				t.Fatalf("%s: hsetnx = %s, want %d", ctx, got, want)
			}
		case 6: // HGET / HEXISTS / HSTRLEN
			f := field()
			v, ok := m.vals[f]
			want := nullValue
			if ok {
				want = BulkValue(v)
			}
			if got := ts.do("hget", key, f); !valuesEqual(got, want) {
				t.Fatalf("%s: hget = %s, want %s", ctx, got, want)
			}
			if got := ts.do("hstrlen", key, f); got.num != int64(len(v)) {
				t.Fatalf("%s: hstrlen = %s, want %d", ctx, got, len(v))
			}
		default: // whole-hash reads
			if got := ts.do("hlen", key); got.num != int64(len(m.vals)) {
				t.Fatalf("%s: hlen = %s, want %d", ctx, got, len(m.vals))
			}
			enc := "listpack"
			if m.ht {
				enc = "hashtable"
			}
			if len(m.vals) > 0 {
				ts.expectEncoding(key, enc)
			}
			got := ts.do("hgetall", key)
			var fields []string
			for i := 0; i < len(got.elems); i += 2 {
				f, v := got.elems[i].Str(), got.elems[i+1].Str()
				if m.vals[f] != v {
					t.Fatalf("%s: hgetall has %s=%s, model %q", ctx, f, v, m.vals[f])
				}
				fields = append(fields, f)
			}
			if !m.ht {
				if !slices.Equal(fields, m.order) {
					t.Fatalf("%s: listpack order %v, model %v", ctx, fields, m.order)
				}
			} else {
				sort.Strings(fields)
				want := slices.Sorted(slices.Values(m.order))
				if !slices.Equal(fields, want) {
					t.Fatalf("%s: fields %v, model %v", ctx, fields, want)
				}
			}
		}
	}
	for key := range hashes {
		if err := ts.hashOf(key).checkInvariants(); err != nil {
			t.Errorf("%s: %v", key, err)
		}
	}
}

func BenchmarkHash(b *testing.B) {
	ts := newTestStore(b)
	for _, size := range []int{16, 500, 1000} {
		key := "h" + strconv.Itoa(size)
		for i := 0; i < size; i++ {
			ts.HSet(bg, key, "f"+strconv.Itoa(i), "v")
		}
		b.Run(fmt.Sprintf("HGet/%d", size), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				ts.HGet(bg, key, "f"+strconv.Itoa(i%size))
			}
		})
		b.Run(fmt.Sprintf("HSet/%d", size), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				ts.HSet(bg, key, "f"+strconv.Itoa(i%size), "w")
			}
		})
	}
}

func ExampleDB_HSet() {
	ctx := context.Background()
	s, _ := Open(Options{})
	defer s.Close()

	s.HSet(ctx, "user:1", "name", "Ada", "lang", "en")
	s.HIncrBy(ctx, "user:1", "visits", 1)
	m, _ := s.HGetAll(ctx, "user:1")
	fields, _ := s.HKeys(ctx, "user:1") // small hashes keep insertion order
	fmt.Println(m["name"], m["visits"], fields)
	// Output: Ada 1 [name lang visits]
}

func ExampleDB_HScanAll() {
	ctx := context.Background()
	s, _ := Open(Options{})
	defer s.Close()

	s.HSet(ctx, "h", "a1", "x", "b1", "y", "a2", "z")
	for fv, err := range s.HScanAll(ctx, "h", HScanOptions{Match: "a*"}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(fv.Field, fv.Value)
	}
	// Output:
	// a1 x
	// a2 z
}

// TestHashSort checks SORT's BY and GET patterns that read hash fields.
func TestHashSort(t *testing.T) {
	ts := newTestStore(t)
	ts.do("rpush", "l", "3", "1", "2")
	ts.do("hset", "w_1", "n", "30", "name", "one")
	ts.do("hset", "w_2", "n", "10", "name", "two")
	ts.do("hset", "w_3", "n", "20", "name", "three", "pad", strings.Repeat("p", 100))
	ts.expectEncoding("w_3", "hashtable")
	ts.expect(bulks("2", "3", "1"), "sort", "l", "by", "w_*->n")
	ts.expect(bulks("two", "2", "three", "3", "one", "1"), "sort", "l", "by", "w_*->n", "get", "w_*->name", "get", "#")
	ts.expect(ArrayValue(nullValue, nullValue, nullValue), "sort", "l", "get", "w_*->missing")
	ts.expect(bulks("one", "three", "two"), "sort", "l", "by", "w_*->name", "alpha", "get", "w_*->name")
}
