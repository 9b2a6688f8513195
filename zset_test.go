package embedis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// newZTestStore is newTestStore plus a check of every sorted set's
// invariants (table vs index, spans, no empty set stored) on cleanup.
func newZTestStore(t testing.TB) *testStore {
	t.Helper()
	ts := newTestStore(t)
	t.Cleanup(func() {
		var zerr error
		if err := ts.onExecutor(context.Background(), func(s *Store) { zerr = s.checkZsets() }); err != nil && err != ErrClosed {
			t.Errorf("zset check: %v", err)
		}
		if zerr != nil {
			t.Errorf("zset invariants: %v", zerr)
		}
	})
	return ts
}

// resp2 returns a handle on database 0 that asks for RESP2 reply shapes,
// as a RESP2 connection does.
func (ts *testStore) resp2() *DB { return &DB{s: ts.Store, cl: &client{db: 0, proto: 2}} }

func zarr(vs ...Value) Value          { return ArrayValue(vs...) }
func zbulks(ss ...string) Value       { return bulkStrings(ss) }
func zpair(m string, f float64) Value { return zarr(BulkValue(m), DoubleValue(f)) }

var zctx = context.Background()

func TestZAddTyped(t *testing.T) {
	ts := newZTestStore(t)
	n, err := ts.ZAdd(zctx, "z", ZAddOptions{}, Z{"a", 1}, Z{"b", 2}, Z{"c", math.Inf(1)})
	if err != nil || n != 3 {
		t.Fatalf("ZAdd = %d, %v", n, err)
	}
	if n, _ := ts.ZAdd(zctx, "z", ZAddOptions{}, Z{"a", 5}); n != 0 {
		t.Fatalf("update counted as add: %d", n)
	}
	if n, _ := ts.ZAdd(zctx, "z", ZAddOptions{CH: true}, Z{"a", 6}, Z{"d", 1}); n != 2 {
		t.Fatalf("CH = %d, want 2", n)
	}
	if n, _ := ts.ZAdd(zctx, "z", ZAddOptions{NX: true}, Z{"a", 100}, Z{"e", 1}); n != 1 {
		t.Fatalf("NX = %d", n)
	}
	if f, _ := ts.ZScore(zctx, "z", "a"); f != 6 {
		t.Fatalf("NX changed a: %v", f)
	}
	if n, _ := ts.ZAdd(zctx, "z", ZAddOptions{XX: true, CH: true}, Z{"a", 7}, Z{"new", 1}); n != 1 {
		t.Fatalf("XX CH = %d", n)
	}
	if _, err := ts.ZScore(zctx, "z", "new"); !errors.Is(err, Nil) {
		t.Fatalf("XX added a member: %v", err)
	}
	if n, _ := ts.ZAdd(zctx, "z", ZAddOptions{GT: true, CH: true}, Z{"a", 1}); n != 0 {
		t.Fatalf("GT lowered: %d", n)
	}
	if n, _ := ts.ZAdd(zctx, "z", ZAddOptions{LT: true, CH: true}, Z{"a", 1}); n != 1 {
		t.Fatalf("LT did not lower: %d", n)
	}
	if _, err := ts.ZAdd(zctx, "z", ZAddOptions{NX: true, XX: true}, Z{"a", 1}); !errors.Is(err, ErrZAddXXNX) {
		t.Fatalf("NX XX: %v", err)
	}
	if _, err := ts.ZAdd(zctx, "z", ZAddOptions{GT: true, LT: true}, Z{"a", 1}); !errors.Is(err, ErrZAddGTLTNX) {
		t.Fatalf("GT LT: %v", err)
	}
	if _, err := ts.ZAdd(zctx, "z", ZAddOptions{}, Z{"a", math.NaN()}); !errors.Is(err, ErrNotFloat) {
		t.Fatalf("NaN score: %v", err)
	}
	if _, err := ts.ZAdd(zctx, "z", ZAddOptions{}); err == nil || err.Error() != "ERR wrong number of arguments for 'zadd' command" {
		t.Fatalf("no pairs: %v", err)
	}
	ts.Set(zctx, "str", "v", SetOptions{})
	if _, err := ts.ZAdd(zctx, "str", ZAddOptions{}, Z{"a", 1}); !errors.Is(err, ErrWrongType) {
		t.Fatalf("wrong type: %v", err)
	}

	f, err := ts.ZAddIncr(zctx, "z", ZAddOptions{}, "a", 2.5)
	if err != nil || f != 3.5 {
		t.Fatalf("ZAddIncr = %v, %v", f, err)
	}
	if _, err := ts.ZAddIncr(zctx, "z", ZAddOptions{NX: true}, "a", 1); !errors.Is(err, Nil) {
		t.Fatalf("ZAddIncr NX on existing: %v", err)
	}
	if _, err := ts.ZAddIncr(zctx, "z", ZAddOptions{GT: true}, "a", -1); !errors.Is(err, Nil) {
		t.Fatalf("ZAddIncr GT lowering: %v", err)
	}
	if _, err := ts.ZAddIncr(zctx, "z", ZAddOptions{}, "c", math.Inf(-1)); !errors.Is(err, ErrZSetNaN) {
		t.Fatalf("inf + -inf: %v", err)
	}
}

func TestZAddDo(t *testing.T) {
	ts := newZTestStore(t)
	ts.expect(IntValue(2), "ZADD", "z", "1", "a", "2", "b")
	ts.expectErr(ErrZAddXXNX.msg, "ZADD", "z", "nx", "XX", "1", "a")
	ts.expectErr(ErrZAddGTLTNX.msg, "ZADD", "z", "gt", "lt", "1", "a")
	ts.expectErr(ErrZAddGTLTNX.msg, "ZADD", "z", "gt", "nx", "1", "a")
	ts.expectErr(ErrZAddIncrPair.msg, "ZADD", "z", "incr", "1", "a", "2", "b")
	ts.expectErr(ErrSyntax.msg, "ZADD", "z", "1", "a", "2")
	ts.expectErr(ErrSyntax.msg, "ZADD", "z", "nx", "xx", "1") // odd count first
	ts.expectErr(ErrSyntax.msg, "ZADD", "z", "foo", "1", "a")
	ts.expectErr(ErrNotFloat.msg, "ZADD", "z", "nan", "a")
	ts.expectErr(ErrNotFloat.msg, "ZADD", "z", " 1", "a")
	ts.expectErr(ErrNotFloat.msg, "ZADD", "z", "1e400", "a")
	ts.expectErr(ErrNotFloat.msg, "ZADD", "z", "1e-400", "a")
	ts.expectErr(ErrNotFloat.msg, "ZADD", "z", "", "a")
	// A bad score anywhere means nothing is added.
	ts.expectErr(ErrNotFloat.msg, "ZADD", "z", "1", "c", "x", "d")
	ts.expect(nullValue, "ZSCORE", "z", "c")
	ts.expectErr("ERR wrong number of arguments for 'zadd' command", "ZADD", "z", "1")
	ts.expect(IntValue(1), "ZADD", "z", "0x10", "hex")
	ts.expect(DoubleValue(16), "ZSCORE", "z", "hex")
	ts.expect(DoubleValue(5), "ZADD", "z", "incr", "5", "fresh")
	ts.expect(nullValue, "ZADD", "nokey", "xx", "incr", "1", "a")
	ts.expect(IntValue(0), "ZADD", "nokey", "xx", "1", "a")
	ts.expect(IntValue(0), "EXISTS", "nokey")
	ts.expect(DoubleValue(math.Inf(1)), "ZADD", "z", "incr", "inf", "i")
	ts.expectErr(ErrZSetNaN.msg, "ZADD", "z", "incr", "-inf", "i")
	ts.expect(DoubleValue(math.Inf(1)), "ZSCORE", "z", "i")
	ts.do("SET", "str", "v")
	ts.expectErr(ErrWrongType.msg, "ZADD", "str", "1", "a")
	// Option keywords are matched as C strings, as Redis does.
	ts.expect(IntValue(0), "ZADD", "z", "nx\x00junk", "5", "a")
	ts.expect(DoubleValue(1), "ZSCORE", "z", "a")
}

func TestZIncrBy(t *testing.T) {
	ts := newZTestStore(t)
	f, err := ts.ZIncrBy(zctx, "z", 1.5, "a")
	if err != nil || f != 1.5 {
		t.Fatalf("ZIncrBy = %v, %v", f, err)
	}
	if f, _ := ts.ZIncrBy(zctx, "z", -3, "a"); f != -1.5 {
		t.Fatalf("ZIncrBy = %v", f)
	}
	ts.ZIncrBy(zctx, "z", math.Inf(1), "a")
	if _, err := ts.ZIncrBy(zctx, "z", math.Inf(-1), "a"); !errors.Is(err, ErrZSetNaN) {
		t.Fatalf("NaN: %v", err)
	}
	ts.expectErr(ErrNotFloat.msg, "ZINCRBY", "z", "abc", "a")
	ts.expectErr(ErrSyntax.msg, "ZINCRBY", "z", "nx", "a")
	ts.expectErr("ERR wrong number of arguments for 'zincrby' command", "ZINCRBY", "z", "1")
	ts.do("SET", "str", "v")
	ts.expectErr(ErrWrongType.msg, "ZINCRBY", "str", "1", "a")
	// -0: the reply keeps the sign; a listpack stores 0.
	ts.expect(DoubleValue(math.Copysign(0, -1)), "ZINCRBY", "z", "-0", "nz")
	ts.expect(DoubleValue(0), "ZSCORE", "z", "nz")
}

func TestZReadsTyped(t *testing.T) {
	ts := newZTestStore(t)
	ts.ZAdd(zctx, "z", ZAddOptions{}, Z{"a", 1}, Z{"b", 2.5}, Z{"c", 3}, Z{"d", 3})
	if n, _ := ts.ZCard(zctx, "z"); n != 4 {
		t.Fatalf("ZCard = %d", n)
	}
	if n, _ := ts.ZCard(zctx, "nokey"); n != 0 {
		t.Fatalf("ZCard missing = %d", n)
	}
	if f, err := ts.ZScore(zctx, "z", "b"); err != nil || f != 2.5 {
		t.Fatalf("ZScore = %v, %v", f, err)
	}
	if _, err := ts.ZScore(zctx, "z", "x"); !errors.Is(err, Nil) {
		t.Fatalf("ZScore missing member: %v", err)
	}
	if _, err := ts.ZScore(zctx, "nokey", "x"); !errors.Is(err, Nil) {
		t.Fatalf("ZScore missing key: %v", err)
	}
	ms, err := ts.ZMScore(zctx, "z", "a", "x", "c")
	if err != nil || len(ms) != 3 || *ms[0] != 1 || ms[1] != nil || *ms[2] != 3 {
		t.Fatalf("ZMScore = %v, %v", ms, err)
	}
	if r, _ := ts.ZRank(zctx, "z", "c"); r != 2 {
		t.Fatalf("ZRank = %d", r)
	}
	if r, _ := ts.ZRevRank(zctx, "z", "c"); r != 1 {
		t.Fatalf("ZRevRank = %d", r)
	}
	if _, err := ts.ZRank(zctx, "z", "x"); !errors.Is(err, Nil) {
		t.Fatalf("ZRank missing: %v", err)
	}
	if n, _ := ts.ZCount(zctx, "z", "(1", "3"); n != 3 {
		t.Fatalf("ZCount = %d", n)
	}
	if _, err := ts.ZCount(zctx, "z", "a", "b"); !errors.Is(err, ErrMinMaxNotFloat) {
		t.Fatalf("ZCount bad bound: %v", err)
	}
	ts.ZAdd(zctx, "lex", ZAddOptions{}, Z{"a", 0}, Z{"b", 0}, Z{"c", 0}, Z{"d", 0})
	if n, _ := ts.ZLexCount(zctx, "lex", "(a", "[c"); n != 2 {
		t.Fatalf("ZLexCount = %d", n)
	}
	if _, err := ts.ZLexCount(zctx, "lex", "a", "c"); !errors.Is(err, ErrMinMaxNotString) {
		t.Fatalf("ZLexCount bad bound: %v", err)
	}
	ts.Set(zctx, "str", "v", SetOptions{})
	for name, f := range map[string]func() error{
		"ZCard":     func() error { _, err := ts.ZCard(zctx, "str"); return err },
		"ZScore":    func() error { _, err := ts.ZScore(zctx, "str", "a"); return err },
		"ZMScore":   func() error { _, err := ts.ZMScore(zctx, "str", "a"); return err },
		"ZRank":     func() error { _, err := ts.ZRank(zctx, "str", "a"); return err },
		"ZRevRank":  func() error { _, err := ts.ZRevRank(zctx, "str", "a"); return err },
		"ZCount":    func() error { _, err := ts.ZCount(zctx, "str", "0", "1"); return err },
		"ZLexCount": func() error { _, err := ts.ZLexCount(zctx, "str", "-", "+"); return err },
		"ZRem":      func() error { _, err := ts.ZRem(zctx, "str", "a"); return err },
		"ZRange":    func() error { _, err := ts.ZRange(zctx, "str", "0", "-1", ZRangeOptions{}); return err },
		"ZPopMin":   func() error { _, err := ts.ZPopMin(zctx, "str", 1); return err },
		"ZScan":     func() error { _, _, err := ts.ZScan(zctx, "str", 0, ZScanOptions{}); return err },
		"ZRandMember": func() error {
			_, err := ts.ZRandMember(zctx, "str", 1)
			return err
		},
		"ZUnion": func() error { _, err := ts.ZUnion(zctx, []string{"z", "str"}, ZStoreOptions{}); return err },
	} {
		if err := f(); !errors.Is(err, ErrWrongType) {
			t.Errorf("%s on a string: %v", name, err)
		}
	}
}

func TestZReadErrorsDo(t *testing.T) {
	ts := newZTestStore(t)
	ts.do("ZADD", "z", "1", "a", "2", "b", "3", "c")
	ts.expectErr(ErrMinMaxNotFloat.msg, "ZCOUNT", "z", "a", "1")
	ts.expectErr(ErrMinMaxNotFloat.msg, "ZCOUNT", "z", "1", "nan")
	ts.expectErr(ErrMinMaxNotFloat.msg, "ZCOUNT", "z", "1 ", "2")
	ts.expectErr(ErrMinMaxNotFloat.msg, "ZCOUNT", "z", "[1", "2")
	ts.expect(IntValue(2), "ZCOUNT", "z", " 1", "2")
	ts.expect(IntValue(1), "ZCOUNT", "z", "(", "1")          // "(" alone is (0
	ts.expect(IntValue(3), "ZCOUNT", "z", "", "5")           // "" is 0
	ts.expect(IntValue(3), "ZCOUNT", "z", "-1e400", "1e500") // overflow is ±inf
	ts.expect(IntValue(2), "ZCOUNT", "z", "1\x00junk", "2")
	ts.expectErr(ErrMinMaxNotString.msg, "ZLEXCOUNT", "z", "a", "b")
	ts.expectErr(ErrMinMaxNotString.msg, "ZLEXCOUNT", "z", "", "+")
	ts.expectErr(ErrMinMaxNotString.msg, "ZLEXCOUNT", "z", "-a", "+")
	ts.expect(IntValue(3), "ZLEXCOUNT", "z", "-\x00a", "+")
	ts.do("SET", "str", "v")
	// Ranges are parsed before the key is looked up.
	ts.expectErr(ErrMinMaxNotFloat.msg, "ZCOUNT", "str", "a", "b")
	ts.expectErr(ErrWrongType.msg, "ZCOUNT", "str", "0", "1")
	ts.expectErr(ErrWrongType.msg, "ZSCORE", "str", "a")
	ts.expectErr(ErrWrongType.msg, "ZMSCORE", "str", "a")
	ts.expectErr(ErrWrongType.msg, "ZRANK", "str", "a")
	ts.expectErr(ErrWrongType.msg, "ZCARD", "str")
	ts.expectErr("ERR wrong number of arguments for 'zrank' command", "ZRANK", "z", "a", "withscore")
	ts.expectErr("ERR wrong number of arguments for 'zmscore' command", "ZMSCORE", "z")
	ts.expect(zarr(nullValue, nullValue), "ZMSCORE", "nokey", "a", "b")
}

func TestZRangeTyped(t *testing.T) {
	ts := newZTestStore(t)
	ts.ZAdd(zctx, "z", ZAddOptions{}, Z{"a", 1}, Z{"b", 2}, Z{"c", 3}, Z{"d", 4}, Z{"e", 5})
	check := func(what string, got []string, err error, want ...string) {
		t.Helper()
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%s = %q, %v; want %q", what, got, err, want)
		}
	}
	got, err := ts.ZRange(zctx, "z", "0", "-1", ZRangeOptions{})
	check("index", got, err, "a", "b", "c", "d", "e")
	got, err = ts.ZRange(zctx, "z", "1", "2", ZRangeOptions{Rev: true})
	check("index rev", got, err, "d", "c")
	got, err = ts.ZRange(zctx, "z", "(1", "4", ZRangeOptions{ByScore: true})
	check("score", got, err, "b", "c", "d")
	got, err = ts.ZRange(zctx, "z", "+inf", "-inf", ZRangeOptions{ByScore: true, Rev: true, Offset: 1, Count: 2})
	check("score rev limit", got, err, "d", "c")
	got, err = ts.ZRange(zctx, "z", "-inf", "+inf", ZRangeOptions{ByScore: true, Offset: 3})
	check("score offset only", got, err, "d", "e")
	got, err = ts.ZRange(zctx, "z", "[b", "(e", ZRangeOptions{ByLex: true})
	check("lex", got, err, "b", "c", "d")
	got, err = ts.ZRange(zctx, "z", "+", "-", ZRangeOptions{ByLex: true, Rev: true, Count: 2})
	check("lex rev count", got, err, "e", "d")
	got, err = ts.ZRange(zctx, "nokey", "0", "-1", ZRangeOptions{})
	check("missing", got, err)

	zs, err := ts.ZRangeWithScores(zctx, "z", "0", "1", ZRangeOptions{})
	if err != nil || !slices.Equal(zs, []Z{{"a", 1}, {"b", 2}}) {
		t.Fatalf("ZRangeWithScores = %v, %v", zs, err)
	}
	zs, err = ts.ZRangeWithScores(zctx, "z", "5", "4", ZRangeOptions{ByScore: true, Rev: true})
	if err != nil || !slices.Equal(zs, []Z{{"e", 5}, {"d", 4}}) {
		t.Fatalf("ZRangeWithScores rev = %v, %v", zs, err)
	}
	if _, err := ts.ZRangeWithScores(zctx, "z", "-", "+", ZRangeOptions{ByLex: true}); !errors.Is(err, ErrZRangeLexScores) {
		t.Fatalf("BYLEX WITHSCORES: %v", err)
	}
	if _, err := ts.ZRange(zctx, "z", "0", "-1", ZRangeOptions{Count: 1}); !errors.Is(err, ErrZRangeLimit) {
		t.Fatalf("LIMIT by index: %v", err)
	}
	if _, err := ts.ZRange(zctx, "z", "0", "-1", ZRangeOptions{ByLex: true, ByScore: true}); !errors.Is(err, ErrSyntax) {
		t.Fatalf("BYSCORE BYLEX: %v", err)
	}

	n, err := ts.ZRangeStore(zctx, "dst", "z", "2", "4", ZRangeOptions{ByScore: true})
	if err != nil || n != 3 {
		t.Fatalf("ZRangeStore = %d, %v", n, err)
	}
	got, err = ts.ZRange(zctx, "dst", "0", "-1", ZRangeOptions{})
	check("stored", got, err, "b", "c", "d")
	if n, _ := ts.ZRangeStore(zctx, "dst", "z", "10", "20", ZRangeOptions{}); n != 0 {
		t.Fatalf("empty ZRangeStore = %d", n)
	}
	if n, _ := ts.Exists(zctx, "dst"); n != 0 {
		t.Fatal("empty ZRangeStore kept the destination")
	}
}

func TestZRangeDo(t *testing.T) {
	ts := newZTestStore(t)
	ts.do("ZADD", "z", "1", "a", "2.5", "b", "3", "c")
	ts.expect(zbulks("a", "b", "c"), "ZRANGE", "z", "0", "-1")
	// RESP3 (the typed handle's protocol): [member, score] pairs.
	ts.expect(zarr(zpair("a", 1), zpair("b", 2.5), zpair("c", 3)), "ZRANGE", "z", "0", "-1", "WITHSCORES")
	ts.expect(zarr(zpair("c", 3)), "ZREVRANGEBYSCORE", "z", "+inf", "-inf", "WITHSCORES", "LIMIT", "0", "1")
	// RESP2: a flat array (the encoder writes the doubles as bulk strings).
	v, err := ts.resp2().Do(zctx, "ZRANGE", "z", "0", "-1", "WITHSCORES")
	if err != nil || !valuesEqual(v, zarr(BulkValue("a"), DoubleValue(1), BulkValue("b"), DoubleValue(2.5), BulkValue("c"), DoubleValue(3))) {
		t.Fatalf("RESP2 WITHSCORES = %v, %v", v, err)
	}
	ts.expect(zbulks("a", "b", "c"), "ZRANGE", "z", "-100", "100")
	ts.expect(zbulks(), "ZRANGE", "z", "2", "1")
	ts.expect(zbulks("a", "b", "c"), "ZRANGE", "z", "0", "-1", "LIMIT", "1", "-1") // LIMIT x -1 is no limit
	ts.expectErr(ErrZRangeLimit.msg, "ZRANGE", "z", "0", "-1", "LIMIT", "0", "1")
	ts.expectErr(ErrSyntax.msg, "ZRANGE", "z", "0", "-1", "LIMIT", "0")
	ts.expectErr(ErrSyntax.msg, "ZRANGE", "z", "0", "-1", "REV", "REV")
	ts.expectErr(ErrSyntax.msg, "ZRANGE", "z", "0", "-1", "BYSCORE", "BYLEX")
	ts.expectErr(ErrNotInteger.msg, "ZRANGE", "z", "a", "b")
	ts.expectErr(ErrNotInteger.msg, "ZRANGE", "z", "0", "-1", "BYSCORE", "LIMIT", "a", "1")
	ts.expectErr(ErrMinMaxNotFloat.msg, "ZRANGE", "z", "a", "b", "BYSCORE")
	ts.expectErr(ErrMinMaxNotString.msg, "ZRANGE", "z", "a", "b", "BYLEX")
	ts.expectErr(ErrZRangeLexScores.msg, "ZRANGEBYLEX", "z", "-", "+", "WITHSCORES")
	ts.expectErr(ErrSyntax.msg, "ZRANGEBYSCORE", "z", "0", "1", "REV")
	ts.expectErr(ErrSyntax.msg, "ZRANGEBYSCORE", "z", "0", "1", "BYSCORE")
	ts.expectErr(ErrSyntax.msg, "ZREVRANGE", "z", "0", "1", "REV")
	ts.expectErr(ErrSyntax.msg, "ZRANGESTORE", "d", "z", "0", "1", "WITHSCORES")
	ts.expect(zbulks(), "ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "5")
	ts.expect(zbulks("b"), "ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "1")
	ts.expect(zbulks("b", "a"), "ZREVRANGE", "z", "1", "2")
	ts.do("SET", "str", "v")
	ts.expectErr(ErrNotInteger.msg, "ZRANGE", "str", "a", "b")
	ts.expectErr(ErrWrongType.msg, "ZRANGE", "str", "0", "1")
	ts.expect(IntValue(1), "ZRANGESTORE", "str", "z", "0", "0")
	ts.expect(SimpleValue("zset"), "TYPE", "str")
}

func TestZRem(t *testing.T) {
	ts := newZTestStore(t)
	ts.ZAdd(zctx, "z", ZAddOptions{}, Z{"a", 1}, Z{"b", 2}, Z{"c", 3})
	if n, err := ts.ZRem(zctx, "z", "a", "x", "a"); err != nil || n != 1 {
		t.Fatalf("ZRem = %d, %v", n, err)
	}
	if n, _ := ts.ZRem(zctx, "nokey", "a"); n != 0 {
		t.Fatalf("ZRem missing key = %d", n)
	}
	ts.ZRem(zctx, "z", "b", "c")
	if n, _ := ts.Exists(zctx, "z"); n != 0 {
		t.Fatal("an empty sorted set was kept")
	}
	ts.expectErr("ERR wrong number of arguments for 'zrem' command", "ZREM", "z")
}

func TestZRemRange(t *testing.T) {
	ts := newZTestStore(t)
	fill := func() {
		ts.ZAdd(zctx, "z", ZAddOptions{}, Z{"a", 1}, Z{"b", 2}, Z{"c", 3}, Z{"d", 4}, Z{"e", 5})
	}
	fill()
	if n, err := ts.ZRemRangeByRank(zctx, "z", 1, -2); err != nil || n != 3 {
		t.Fatalf("ZRemRangeByRank = %d, %v", n, err)
	}
	if got, _ := ts.ZRange(zctx, "z", "0", "-1", ZRangeOptions{}); !slices.Equal(got, []string{"a", "e"}) {
		t.Fatalf("after ZRemRangeByRank: %q", got)
	}
	if n, _ := ts.ZRemRangeByRank(zctx, "z", 5, 10); n != 0 {
		t.Fatalf("out of range = %d", n)
	}
	fill()
	if n, _ := ts.ZRemRangeByScore(zctx, "z", "(1", "3"); n != 2 {
		t.Fatalf("ZRemRangeByScore = %d", n)
	}
	if n, _ := ts.ZRemRangeByScore(zctx, "z", "-inf", "+inf"); n != 3 {
		t.Fatalf("ZRemRangeByScore all = %d", n)
	}
	if n, _ := ts.Exists(zctx, "z"); n != 0 {
		t.Fatal("emptied set kept")
	}
	ts.ZAdd(zctx, "l", ZAddOptions{}, Z{"a", 0}, Z{"b", 0}, Z{"c", 0}, Z{"d", 0})
	if n, _ := ts.ZRemRangeByLex(zctx, "l", "[b", "(d"); n != 2 {
		t.Fatalf("ZRemRangeByLex = %d", n)
	}
	ts.expectErr(ErrNotInteger.msg, "ZREMRANGEBYRANK", "l", "a", "1")
	ts.expectErr(ErrMinMaxNotFloat.msg, "ZREMRANGEBYSCORE", "l", "a", "1")
	ts.expectErr(ErrMinMaxNotString.msg, "ZREMRANGEBYLEX", "l", "a", "1")
	ts.do("SET", "str", "v")
	ts.expectErr(ErrWrongType.msg, "ZREMRANGEBYRANK", "str", "0", "1")
	ts.expectErr(ErrWrongType.msg, "ZREMRANGEBYSCORE", "str", "0", "1")
	ts.expectErr(ErrWrongType.msg, "ZREMRANGEBYLEX", "str", "-", "+")
	ts.expect(IntValue(0), "ZREMRANGEBYRANK", "nokey", "0", "-1")
}

func TestZPop(t *testing.T) {
	ts := newZTestStore(t)
	ts.ZAdd(zctx, "z", ZAddOptions{}, Z{"a", 1}, Z{"b", 2}, Z{"c", 3}, Z{"d", 4})
	zs, err := ts.ZPopMin(zctx, "z", 2)
	if err != nil || !slices.Equal(zs, []Z{{"a", 1}, {"b", 2}}) {
		t.Fatalf("ZPopMin = %v, %v", zs, err)
	}
	zs, err = ts.ZPopMax(zctx, "z", 1)
	if err != nil || !slices.Equal(zs, []Z{{"d", 4}}) {
		t.Fatalf("ZPopMax = %v, %v", zs, err)
	}
	zs, _ = ts.ZPopMax(zctx, "z", 10)
	if !slices.Equal(zs, []Z{{"c", 3}}) {
		t.Fatalf("ZPopMax rest = %v", zs)
	}
	if n, _ := ts.Exists(zctx, "z"); n != 0 {
		t.Fatal("popped-empty set kept")
	}
	if zs, err := ts.ZPopMin(zctx, "z", 1); err != nil || len(zs) != 0 {
		t.Fatalf("ZPopMin missing = %v, %v", zs, err)
	}
	if _, err := ts.ZPopMin(zctx, "z", -1); err == nil || err.Error() != "ERR value is out of range, must be positive" {
		t.Fatalf("negative count: %v", err)
	}

	ts.do("ZADD", "p", "1", "a", "2", "b", "3", "c")
	// Without a count: flat in both protocols; with a count: pairs in RESP3.
	ts.expect(zarr(BulkValue("a"), DoubleValue(1)), "ZPOPMIN", "p")
	ts.expect(zarr(zpair("c", 3)), "ZPOPMAX", "p", "1")
	ts.expect(zarr(), "ZPOPMIN", "p", "0")
	v, _ := ts.resp2().Do(zctx, "ZPOPMIN", "p", "5")
	if !valuesEqual(v, zarr(BulkValue("b"), DoubleValue(2))) {
		t.Fatalf("RESP2 ZPOPMIN count = %v", v)
	}
	ts.expectErr(ErrSyntax.msg, "ZPOPMIN", "p", "1", "2")
	ts.expectErr("ERR value is out of range, must be positive", "ZPOPMIN", "p", "a")
	ts.do("SET", "str", "v")
	ts.expectErr(ErrWrongType.msg, "ZPOPMIN", "str", "0")
}

func TestZMPop(t *testing.T) {
	ts := newZTestStore(t)
	ts.ZAdd(zctx, "z2", ZAddOptions{}, Z{"x", 10}, Z{"y", 20}, Z{"w", 5})
	key, zs, err := ts.ZMPop(zctx, []string{"nokey", "z2"}, true, 2)
	if err != nil || key != "z2" || !slices.Equal(zs, []Z{{"y", 20}, {"x", 10}}) {
		t.Fatalf("ZMPop = %q %v %v", key, zs, err)
	}
	key, zs, err = ts.ZMPop(zctx, []string{"z2"}, false, 5)
	if err != nil || key != "z2" || !slices.Equal(zs, []Z{{"w", 5}}) {
		t.Fatalf("ZMPop min = %q %v %v", key, zs, err)
	}
	if _, _, err := ts.ZMPop(zctx, []string{"z2", "nokey"}, false, 1); !errors.Is(err, Nil) {
		t.Fatalf("ZMPop of nothing: %v", err)
	}
	ts.do("ZADD", "p", "1", "a")
	// Nested in both protocols.
	ts.expect(zarr(BulkValue("p"), zarr(zpair("a", 1))), "ZMPOP", "1", "p", "MIN")
	ts.expect(nullArrayValue, "ZMPOP", "1", "p", "MIN")
	ts.do("ZADD", "p", "1", "a")
	v, _ := ts.resp2().Do(zctx, "ZMPOP", "1", "p", "MIN")
	if !valuesEqual(v, zarr(BulkValue("p"), zarr(zpair("a", 1)))) {
		t.Fatalf("RESP2 ZMPOP = %v", v)
	}
	ts.expectErr("ERR numkeys should be greater than 0", "ZMPOP", "0", "p", "MIN")
	ts.expectErr("ERR numkeys should be greater than 0", "ZMPOP", "a", "p", "MIN")
	ts.expectErr(ErrSyntax.msg, "ZMPOP", "2", "p", "MIN")
	ts.expectErr(ErrSyntax.msg, "ZMPOP", "9223372036854775807", "p", "MIN")
	ts.expectErr(ErrSyntax.msg, "ZMPOP", "1", "p", "foo")
	ts.expectErr(ErrSyntax.msg, "ZMPOP", "1", "p", "MIN", "COUNT")
	ts.expectErr(ErrSyntax.msg, "ZMPOP", "1", "p", "MIN", "COUNT", "1", "COUNT", "1")
	ts.expectErr("ERR count should be greater than 0", "ZMPOP", "1", "p", "MIN", "COUNT", "0")
	ts.expectErr("ERR count should be greater than 0", "ZMPOP", "1", "p", "MIN", "COUNT", "a")
	ts.do("SET", "str", "v")
	ts.expectErr(ErrWrongType.msg, "ZMPOP", "2", "nokey", "str", "MIN")
}

func TestZRandMember(t *testing.T) {
	ts := newZTestStore(t)
	var all []Z
	for i := 0; i < 20; i++ {
		all = append(all, Z{"m" + strconv.Itoa(i), float64(i)})
	}
	ts.ZAdd(zctx, "z", ZAddOptions{}, all...)
	for _, count := range []int64{1, 5, 19, 20, 25} {
		got, err := ts.ZRandMember(zctx, "z", count)
		if err != nil || int64(len(got)) != min(count, 20) {
			t.Fatalf("ZRandMember %d = %d members, %v", count, len(got), err)
		}
		seen := map[string]bool{}
		for _, m := range got {
			if seen[m] {
				t.Fatalf("ZRandMember %d repeated %q", count, m)
			}
			seen[m] = true
		}
	}
	got, _ := ts.ZRandMember(zctx, "z", -50)
	if len(got) != 50 {
		t.Fatalf("negative count gave %d", len(got))
	}
	zs, err := ts.ZRandMemberWithScores(zctx, "z", 7)
	if err != nil || len(zs) != 7 {
		t.Fatalf("WithScores = %v, %v", zs, err)
	}
	for _, z := range zs {
		if "m"+strconv.Itoa(int(z.Score)) != z.Member {
			t.Fatalf("score %v does not belong to %q", z.Score, z.Member)
		}
	}
	// Every member is drawn sometimes.
	hits := map[string]int{}
	for i := 0; i < 200; i++ {
		ms, _ := ts.ZRandMember(zctx, "z", 3)
		for _, m := range ms {
			hits[m]++
		}
	}
	if len(hits) != 20 {
		t.Fatalf("only %d of 20 members drawn in 600 draws", len(hits))
	}
	ts.expect(nullValue, "ZRANDMEMBER", "nokey")
	ts.expect(zarr(), "ZRANDMEMBER", "nokey", "5")
	ts.expect(zarr(), "ZRANDMEMBER", "z", "0")
	ts.expectErr(ErrNotInteger.msg, "ZRANDMEMBER", "z", "a")
	ts.expectErr(ErrSyntax.msg, "ZRANDMEMBER", "z", "1", "foo")
	ts.expectErr("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807", "ZRANDMEMBER", "z", "-9223372036854775808")
	ts.expectErr("ERR value is out of range", "ZRANDMEMBER", "z", "-4611686018427387904", "WITHSCORES")
	ts.do("SET", "str", "v")
	ts.expectErr(ErrWrongType.msg, "ZRANDMEMBER", "str")
	ts.expectErr(ErrWrongType.msg, "ZRANDMEMBER", "str", "0")
	if v := ts.do("ZRANDMEMBER", "z"); v.Kind() != KindBulk || !strings.HasPrefix(v.Str(), "m") {
		t.Fatalf("ZRANDMEMBER = %v", v)
	}
	// RESP3 WITHSCORES: pairs.
	if v := ts.do("ZRANDMEMBER", "z", "-2", "WITHSCORES"); v.Len() != 2 || v.Elems()[0].Kind() != KindArray {
		t.Fatalf("RESP3 WITHSCORES shape: %v", v)
	}
}

func TestZScan(t *testing.T) {
	ts := newZTestStore(t)
	ts.ZAdd(zctx, "small", ZAddOptions{}, Z{"a", 1}, Z{"b", 2.5}, Z{"c", 3})
	zs, next, err := ts.ZScan(zctx, "small", 0, ZScanOptions{Count: 1})
	if err != nil || next != 0 || !slices.Equal(zs, []Z{{"a", 1}, {"b", 2.5}, {"c", 3}}) {
		t.Fatalf("listpack ZScan = %v %d %v", zs, next, err)
	}
	zs, _, _ = ts.ZScan(zctx, "small", 0, ZScanOptions{Match: "[ab]"})
	if len(zs) != 2 {
		t.Fatalf("MATCH = %v", zs)
	}
	// A skiplist set: every member present throughout is returned, even
	// with writes between the steps.
	want := map[string]bool{}
	var batch []Z
	for i := 0; i < 1000; i++ {
		m := "member:" + strconv.Itoa(i)
		want[m] = true
		batch = append(batch, Z{m, float64(i)})
	}
	ts.ZAdd(zctx, "big", ZAddOptions{}, batch...)
	seen := map[string]bool{}
	steps := 0
	for z, err := range ts.ZScanAll(zctx, "big", ZScanOptions{Count: 50}) {
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(z.Member, "extra") && int(z.Score) != mustAtoi(t, strings.TrimPrefix(z.Member, "member:")) {
			t.Fatalf("member %q has score %v", z.Member, z.Score)
		}
		seen[z.Member] = true
		steps++
		if steps%100 == 0 {
			ts.ZAdd(zctx, "big", ZAddOptions{}, Z{"extra" + strconv.Itoa(steps), -1})
		}
	}
	for m := range want {
		if !seen[m] {
			t.Fatalf("ZScanAll missed %q", m)
		}
	}
	ts.expectErr(ErrInvalidCursor.msg, "ZSCAN", "small", "a")
	ts.expectErr(ErrInvalidCursor.msg, "ZSCAN", "nokey", "a")
	ts.expectErr(ErrSyntax.msg, "ZSCAN", "small", "0", "COUNT", "0")
	ts.expectErr(ErrNotInteger.msg, "ZSCAN", "small", "0", "COUNT", "a")
	ts.expectErr(ErrSyntax.msg, "ZSCAN", "small", "0", "MATCH")
	ts.expectErr(ErrSyntax.msg, "ZSCAN", "small", "0", "NOVALUES")
	ts.expect(zarr(BulkValue("0"), zarr()), "ZSCAN", "nokey", "0", "COUNT", "0")
	ts.do("SET", "str", "v")
	ts.expectErr(ErrWrongType.msg, "ZSCAN", "str", "0")
	// Scores are bulk strings in both protocols.
	ts.expect(zarr(BulkValue("0"), zbulks("a", "1", "b", "2.5", "c", "3")), "ZSCAN", "small", "0")
}

func mustAtoi(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("Atoi(%q): %v", s, err)
	}
	return n
}

func TestZSetOps(t *testing.T) {
	ts := newZTestStore(t)
	ts.ZAdd(zctx, "z1", ZAddOptions{}, Z{"a", 1}, Z{"b", 2}, Z{"c", 3})
	ts.ZAdd(zctx, "z2", ZAddOptions{}, Z{"b", 2}, Z{"c", 3}, Z{"d", 4})
	keys := []string{"z1", "z2"}
	got, err := ts.ZUnion(zctx, keys, ZStoreOptions{})
	if err != nil || !slices.Equal(got, []string{"a", "b", "d", "c"}) {
		t.Fatalf("ZUnion = %q, %v", got, err)
	}
	zs, _ := ts.ZUnionWithScores(zctx, keys, ZStoreOptions{Weights: []float64{2, 3}})
	if !slices.Equal(zs, []Z{{"a", 2}, {"b", 10}, {"d", 12}, {"c", 15}}) {
		t.Fatalf("ZUnion weights = %v", zs)
	}
	zs, _ = ts.ZUnionWithScores(zctx, keys, ZStoreOptions{Aggregate: "MIN"})
	if !slices.Equal(zs, []Z{{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}}) {
		t.Fatalf("ZUnion MIN = %v", zs)
	}
	zs, _ = ts.ZUnionWithScores(zctx, keys, ZStoreOptions{Weights: []float64{math.Inf(-1), math.Inf(1)}})
	if !slices.Equal(zs, []Z{{"a", math.Inf(-1)}, {"b", 0}, {"c", 0}, {"d", math.Inf(1)}}) {
		t.Fatalf("ZUnion inf weights = %v", zs)
	}
	got, _ = ts.ZInter(zctx, keys, ZStoreOptions{})
	if !slices.Equal(got, []string{"b", "c"}) {
		t.Fatalf("ZInter = %q", got)
	}
	zs, _ = ts.ZInterWithScores(zctx, keys, ZStoreOptions{Aggregate: "MAX", Weights: []float64{1, 10}})
	if !slices.Equal(zs, []Z{{"b", 20}, {"c", 30}}) {
		t.Fatalf("ZInter MAX = %v", zs)
	}
	if n, _ := ts.ZInterCard(zctx, keys, 0); n != 2 {
		t.Fatalf("ZInterCard = %d", n)
	}
	if n, _ := ts.ZInterCard(zctx, keys, 1); n != 1 {
		t.Fatalf("ZInterCard limit = %d", n)
	}
	got, _ = ts.ZDiff(zctx, "z1", "z2")
	if !slices.Equal(got, []string{"a"}) {
		t.Fatalf("ZDiff = %q", got)
	}
	zs, _ = ts.ZDiffWithScores(zctx, "z2", "z1")
	if !slices.Equal(zs, []Z{{"d", 4}}) {
		t.Fatalf("ZDiffWithScores = %v", zs)
	}
	if n, _ := ts.ZUnionStore(zctx, "u", keys, ZStoreOptions{}); n != 4 {
		t.Fatalf("ZUnionStore = %d", n)
	}
	if n, _ := ts.ZInterStore(zctx, "i", []string{"z1", "nokey"}, ZStoreOptions{}); n != 0 {
		t.Fatalf("ZInterStore empty = %d", n)
	}
	if n, _ := ts.Exists(zctx, "i"); n != 0 {
		t.Fatal("empty ZInterStore created its destination")
	}
	if n, _ := ts.ZDiffStore(zctx, "d", "z1", "z2"); n != 1 {
		t.Fatalf("ZDiffStore = %d", n)
	}
	// A destination that is also a source.
	if n, _ := ts.ZInterStore(zctx, "z1", keys, ZStoreOptions{}); n != 2 {
		t.Fatalf("ZInterStore into a source = %d", n)
	}

	ts.expectErr("ERR at least 1 input key is needed for 'zunion' command", "ZUNION", "0", "z1")
	ts.expectErr("ERR at least 1 input key is needed for 'zinterstore' command", "ZINTERSTORE", "d", "0", "z1")
	ts.expectErr("ERR at least 1 input key is needed for 'zintercard' command", "ZINTERCARD", "-1", "z1")
	ts.expectErr(ErrNotInteger.msg, "ZUNION", "a", "z1")
	ts.expectErr(ErrSyntax.msg, "ZUNION", "3", "z1", "z2")
	ts.expectErr(ErrWeightNotFloat.msg, "ZUNION", "1", "z1", "WEIGHTS", "nan")
	ts.expectErr(ErrSyntax.msg, "ZUNION", "2", "z1", "z2", "WEIGHTS", "1")
	ts.expectErr(ErrSyntax.msg, "ZUNION", "1", "z1", "AGGREGATE", "avg")
	ts.expectErr(ErrSyntax.msg, "ZDIFF", "2", "z1", "z2", "WEIGHTS", "1", "2")
	ts.expectErr(ErrSyntax.msg, "ZUNIONSTORE", "d", "1", "z1", "WITHSCORES")
	ts.expectErr(ErrSyntax.msg, "ZINTERCARD", "1", "z1", "WITHSCORES")
	ts.expectErr("ERR LIMIT can't be negative", "ZINTERCARD", "1", "z1", "LIMIT", "-1")
	ts.expectErr("ERR LIMIT can't be negative", "ZINTERCARD", "1", "z1", "LIMIT", "x")
	ts.do("SET", "str", "v")
	// WRONGTYPE comes before the options are parsed.
	ts.expectErr(ErrWrongType.msg, "ZUNION", "2", "z1", "str", "foo")
	ts.expectErr(ErrWrongType.msg, "ZINTERCARD", "1", "str")
	ts.expect(IntValue(2), "ZUNIONSTORE", "str", "1", "z1")
	ts.expect(SimpleValue("zset"), "TYPE", "str")
	ts.expect(zarr(zpair("b", 4), zpair("c", 6)), "ZUNION", "1", "z1", "WITHSCORES")
}

// fakeSet is a plain set for the set-operation hook, so the sorted-set
// operations can be tested with sets before the set group is merged.
type fakeSet []string

func (f fakeSet) len() int          { return len(f) }
func (f fakeSet) has(m string) bool { return slices.Contains(f, m) }
func (f fakeSet) at(i int) string   { return f[i] }

func TestZSetOpsWithPlainSets(t *testing.T) {
	ts := newZTestStore(t)
	ts.ZAdd(zctx, "z", ZAddOptions{}, Z{"a", 1}, Z{"b", 2}, Z{"c", 3})
	// Store a set value directly, as the set group would.
	if err := ts.onExecutor(zctx, func(s *Store) {
		e, _ := s.dbs[0].keys.Put("set")
		e.typ, e.obj = typeSet, fakeSet{"a", "b", "x"}
	}); err != nil {
		t.Fatal(err)
	}
	zs, err := ts.ZUnionWithScores(zctx, []string{"z", "set"}, ZStoreOptions{})
	if err != nil || !slices.Equal(zs, []Z{{"x", 1}, {"a", 2}, {"b", 3}, {"c", 3}}) {
		t.Fatalf("ZUnion with a set = %v, %v", zs, err)
	}
	zs, _ = ts.ZInterWithScores(zctx, []string{"set", "z"}, ZStoreOptions{Aggregate: "MAX", Weights: []float64{3, 0.5}})
	if !slices.Equal(zs, []Z{{"a", 3}, {"b", 3}}) {
		t.Fatalf("ZInter with a set = %v", zs)
	}
	got, _ := ts.ZDiff(zctx, "set", "z")
	if !slices.Equal(got, []string{"x"}) {
		t.Fatalf("ZDiff of a set = %q", got)
	}
	if n, _ := ts.ZInterCard(zctx, []string{"z", "set"}, 0); n != 2 {
		t.Fatalf("ZInterCard with a set = %d", n)
	}
	// Other commands refuse the set.
	ts.expectErr(ErrWrongType.msg, "ZRANGE", "set", "0", "-1")
	ts.do("DEL", "set")
}

func TestZSetEncoding(t *testing.T) {
	ts := newZTestStore(t)
	enc := func(key string) string {
		t.Helper()
		var s string
		ts.onExecutor(zctx, func(st *Store) { s = st.dbs[0].keys.Get(key).obj.(*zsetType).encoding() })
		return s
	}
	var ms []Z
	for i := 0; i < 128; i++ {
		ms = append(ms, Z{"m" + strconv.Itoa(i), float64(i)})
	}
	ts.ZAdd(zctx, "z", ZAddOptions{}, ms...)
	if e := enc("z"); e != "listpack" {
		t.Fatalf("128 members: %s", e)
	}
	ts.ZAdd(zctx, "z", ZAddOptions{}, Z{"m1", 5}) // an update does not convert
	if e := enc("z"); e != "listpack" {
		t.Fatalf("after update: %s", e)
	}
	ts.ZRangeStore(zctx, "copy", "z", "0", "-1", ZRangeOptions{})
	if e := enc("copy"); e != "listpack" {
		t.Fatalf("stored copy: %s", e)
	}
	ts.ZAdd(zctx, "z", ZAddOptions{}, Z{"m128", 128})
	if e := enc("z"); e != "skiplist" {
		t.Fatalf("129 members: %s", e)
	}
	ts.ZRemRangeByRank(zctx, "z", 0, -2)
	if e := enc("z"); e != "skiplist" {
		t.Fatalf("conversion is one-way, got %s", e)
	}
	ts.ZUnionStore(zctx, "u", []string{"z"}, ZStoreOptions{})
	if e := enc("u"); e != "listpack" {
		t.Fatalf("STORE of a small result: %s", e)
	}
	long := strings.Repeat("x", 65)
	ts.ZAdd(zctx, "l", ZAddOptions{}, Z{strings.Repeat("x", 64), 1})
	if e := enc("l"); e != "listpack" {
		t.Fatalf("64-byte member: %s", e)
	}
	ts.ZAdd(zctx, "l", ZAddOptions{XX: true}, Z{long, 1}) // not added: no conversion
	if e := enc("l"); e != "listpack" {
		t.Fatalf("XX of a long member converted: %s", e)
	}
	ts.ZAdd(zctx, "l", ZAddOptions{}, Z{long, 1})
	if e := enc("l"); e != "skiplist" {
		t.Fatalf("65-byte member: %s", e)
	}
}

func TestZSetCopyAndExpiry(t *testing.T) {
	ts := newZTestStore(t)
	ts.ZAdd(zctx, "z", ZAddOptions{}, Z{"a", 1}, Z{"b", 2})
	ts.expect(IntValue(1), "COPY", "z", "z2")
	ts.ZAdd(zctx, "z", ZAddOptions{}, Z{"c", 3})
	ts.ZRem(zctx, "z2", "a")
	if got, _ := ts.ZRange(zctx, "z2", "0", "-1", ZRangeOptions{}); !slices.Equal(got, []string{"b"}) {
		t.Fatalf("copy shares state: %q", got)
	}
	ts.do("EXPIRE", "z", "10")
	ts.ZAdd(zctx, "z", ZAddOptions{}, Z{"d", 4})
	ts.expect(IntValue(10), "TTL", "z") // ZADD keeps the TTL
	ts.clk.Advance(11 * time.Second)
	if n, _ := ts.ZCard(zctx, "z"); n != 0 {
		t.Fatalf("expired zset still has %d members", n)
	}
	ts.ZAdd(zctx, "t", ZAddOptions{}, Z{"a", 1})
	ts.do("EXPIRE", "t", "10")
	ts.ZUnionStore(zctx, "t", []string{"t"}, ZStoreOptions{})
	ts.expect(IntValue(-1), "TTL", "t") // STORE replaces the key and its TTL
}

// TestZSetRandomized runs a seeded stream of commands against the store
// and a map model, comparing ranks, ranges and scores as it goes (the
// harness checks the index invariants at the end).
func TestZSetRandomized(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) {
			ts := newZTestStore(t)
			rnd := rand.New(rand.NewPCG(seed, 99))
			model := map[string]float64{}
			sorted := func() []Z {
				out := make([]Z, 0, len(model))
				for m, s := range model {
					out = append(out, Z{m, s})
				}
				slices.SortFunc(out, compareZ)
				return out
			}
			for op := 0; op < 1500; op++ {
				m := "m" + strconv.Itoa(rnd.IntN(200))
				switch rnd.IntN(6) {
				case 0, 1:
					s := float64(rnd.IntN(40)) / 4
					ts.ZAdd(zctx, "k", ZAddOptions{}, Z{m, s})
					model[m] = s
				case 2:
					inc := float64(rnd.IntN(9) - 4)
					f, err := ts.ZIncrBy(zctx, "k", inc, m)
					model[m] += inc
					if err != nil || f != model[m] {
						t.Fatalf("ZIncrBy = %v, %v; want %v", f, err, model[m])
					}
				case 3:
					ts.ZRem(zctx, "k", m)
					delete(model, m)
				case 4:
					r, err := ts.ZRank(zctx, "k", m)
					want := slices.IndexFunc(sorted(), func(z Z) bool { return z.Member == m })
					if want < 0 {
						if !errors.Is(err, Nil) {
							t.Fatalf("ZRank of missing %q = %d, %v", m, r, err)
						}
					} else if r != int64(want) {
						t.Fatalf("ZRank(%q) = %d, want %d", m, r, want)
					}
				case 5:
					lo, hi := float64(rnd.IntN(40))/4, float64(rnd.IntN(40))/4
					got, err := ts.ZRangeWithScores(zctx, "k", fmt.Sprint(lo), "("+fmt.Sprint(hi), ZRangeOptions{ByScore: true})
					var want []Z
					for _, z := range sorted() {
						if z.Score >= lo && z.Score < hi {
							want = append(want, z)
						}
					}
					if err != nil || len(got) != len(want) || (len(want) > 0 && !slices.Equal(got, want)) {
						t.Fatalf("ZRANGE %v (%v BYSCORE = %v, %v; want %v", lo, hi, got, err, want)
					}
				}
			}
			all, _ := ts.ZRangeWithScores(zctx, "k", "0", "-1", ZRangeOptions{})
			if want := sorted(); len(all) != len(want) || (len(want) > 0 && !slices.Equal(all, want)) {
				t.Fatalf("final contents differ: %d vs %d members", len(all), len(want))
			}
		})
	}
}

func TestStrtod(t *testing.T) {
	for _, c := range []struct {
		in     string
		v      float64
		n      int
		erange bool
	}{
		{"1.5", 1.5, 3, false},
		{"  -2e3x", -2000, 6, false},
		{"0x10", 16, 4, false},
		{"0X1.8p1", 3, 7, false},
		{"0x", 0, 1, false},
		{"1e", 1, 1, false},
		{"inf", math.Inf(1), 3, false},
		{"-Infinity", math.Inf(-1), 9, false},
		{"1e400", math.Inf(1), 5, true},
		{"1e-400", 0, 6, true},
		{"abc", 0, 0, false},
		{"", 0, 0, false},
		{".5", 0.5, 2, false},
	} {
		v, n, er := strtod(c.in)
		if v != c.v || n != c.n || er != c.erange {
			t.Errorf("strtod(%q) = %v %d %v, want %v %d %v", c.in, v, n, er, c.v, c.n, c.erange)
		}
	}
	if v, n, _ := strtod("nan"); !math.IsNaN(v) || n != 3 {
		t.Errorf("strtod(nan) = %v %d", v, n)
	}
}

// Benchmarks: ZADD, ZINCRBY, ZRANK and a top-10 ZRANGE on sets of 1,000,
// 100,000 and 1,000,000 members, to show the O(log n) operations barely
// grow with size. The big sets are built once, directly on the executor.

var benchSizes = []int{1_000, 100_000, 1_000_000}

func benchZset(b *testing.B, n int) (*Store, func()) {
	s, err := Open(Options{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	s.onExecutor(zctx, func(st *Store) {
		z := newZset()
		for i := 0; i < n; i++ {
			z.insert(st, "member:"+strconv.Itoa(i), float64(i))
		}
		e, _ := st.dbs[0].keys.Put("z")
		e.typ, e.obj = typeZSet, z
	})
	return s, func() { s.Close() }
}

func BenchmarkZSet(b *testing.B) {
	for _, n := range benchSizes {
		s, done := benchZset(b, n)
		name := strconv.Itoa(n)
		b.Run("ZADD/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				// Update an existing member's score (moves it in the
				// index): the set stays at n members.
				j := i % n
				s.ZAdd(zctx, "z", ZAddOptions{}, Z{"member:" + strconv.Itoa(j), float64(n - j)})
			}
		})
		b.Run("ZINCRBY/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				s.ZIncrBy(zctx, "z", 1, "member:"+strconv.Itoa(i%n))
			}
		})
		b.Run("ZRANK/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := s.ZRank(zctx, "z", "member:"+strconv.Itoa(i%n)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("ZRANGE-top10/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if ms, err := s.ZRange(zctx, "z", "0", "9", ZRangeOptions{Rev: true}); err != nil || len(ms) != 10 {
					b.Fatal(len(ms), err)
				}
			}
		})
		done()
	}
}

func TestZSetCheckCatchesCorruption(t *testing.T) {
	ts := newTestStore(t)
	ts.ZAdd(zctx, "z", ZAddOptions{}, Z{"a", 1}, Z{"b", 2})
	var errs []error
	ts.onExecutor(zctx, func(s *Store) {
		z := s.dbs[0].keys.Get("z").obj.(*zsetType)
		*z.dict.Get("a") = 5 // table and index disagree
		errs = append(errs, s.checkZsets())
		*z.dict.Get("a") = 1
		z.zsl.Insert(3, "c") // in the index only
		errs = append(errs, s.checkZsets())
		z.zsl.Delete(3, "c")
		errs = append(errs, s.checkZsets())
	})
	if errs[0] == nil || errs[1] == nil || errs[2] != nil {
		t.Fatalf("checkZsets = %v", errs)
	}
}

// A leaderboard: scores in, the top three out, and a player's rank.
func ExampleDB_ZAdd() {
	ctx := context.Background()
	s, err := Open(Options{})
	if err != nil {
		panic(err)
	}
	defer s.Close()

	s.ZAdd(ctx, "board", ZAddOptions{}, Z{"ann", 310}, Z{"bob", 150}, Z{"cy", 420}, Z{"dee", 280})
	s.ZIncrBy(ctx, "board", 200, "bob") // bob scores again: 350

	top, _ := s.ZRangeWithScores(ctx, "board", "0", "2", ZRangeOptions{Rev: true})
	for i, z := range top {
		fmt.Printf("%d. %s %v\n", i+1, z.Member, z.Score)
	}
	rank, _ := s.ZRevRank(ctx, "board", "dee")
	fmt.Println("dee is number", rank+1)
	// Output:
	// 1. cy 420
	// 2. bob 350
	// 3. ann 310
	// dee is number 4
}

// Paging through a range by score: members scoring from 200 up, two at a
// time.
func ExampleDB_ZRange() {
	ctx := context.Background()
	s, err := Open(Options{})
	if err != nil {
		panic(err)
	}
	defer s.Close()

	s.ZAdd(ctx, "board", ZAddOptions{}, Z{"ann", 310}, Z{"bob", 150}, Z{"cy", 420}, Z{"dee", 280})
	for offset := int64(0); ; offset += 2 {
		page, _ := s.ZRange(ctx, "board", "200", "+inf", ZRangeOptions{ByScore: true, Offset: offset, Count: 2})
		if len(page) == 0 {
			break
		}
		fmt.Println(page)
	}
	// Output:
	// [dee ann]
	// [cy]
}
