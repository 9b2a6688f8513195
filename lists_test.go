package embedis

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"
)

// Helpers for list tests.

// ltStrs builds the array reply of bulk strings.
func ltStrs(ss ...string) Value { return bulkStrings(ss) }

// ltInts builds an array reply of integers.
func ltInts(ns ...int64) Value {
	vs := make([]Value, len(ns))
	for i, n := range ns {
		vs[i] = IntValue(n)
	}
	return ArrayValue(vs...)
}

// ltCheckLists verifies on the executor that no stored list is empty.
func (ts *testStore) ltCheckLists() {
	ts.t.Helper()
	var err error
	if e := ts.onExecutor(context.Background(), func(s *Store) {
		for _, d := range s.dbs {
			d.keys.All(func(key string, e *entry) bool {
				if e.typ == typeList {
					if ierr := e.obj.(*list).checkInvariants(); ierr != nil {
						err = fmt.Errorf("key %q: %w", key, ierr)
						return false
					}
				}
				return true
			})
		}
	}); e != nil {
		ts.t.Fatal(e)
	}
	if err != nil {
		ts.t.Fatal(err)
	}
}

// ltDirty returns the store's write counter.
func (ts *testStore) ltDirty() int64 {
	var n int64
	if err := ts.onExecutor(context.Background(), func(s *Store) { n = s.stats.dirty }); err != nil {
		ts.t.Fatal(err)
	}
	return n
}

// ltSetTTL gives key an expiry time on the executor (EXPIRE is not part of
// this file's commands).
func (ts *testStore) ltSetTTL(key string, d time.Duration) {
	ts.t.Helper()
	if err := ts.onExecutor(context.Background(), func(s *Store) {
		e := s.dbs[0].keys.Get(key)
		if e == nil {
			ts.t.Errorf("setTTL: no key %q", key)
			return
		}
		s.dbs[0].setExpire(key, e, ts.clk.Now().Add(d).UnixMilli())
	}); err != nil {
		ts.t.Fatal(err)
	}
}

// ltTTL returns key's expiry time in unix ms (0 for none, -1 if missing).
func (ts *testStore) ltTTL(key string) int64 {
	var at int64 = -1
	if err := ts.onExecutor(context.Background(), func(s *Store) {
		if e := s.dbs[0].keys.Get(key); e != nil {
			at = e.expire
		}
	}); err != nil {
		ts.t.Fatal(err)
	}
	return at
}

const ltWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"

func TestListPushAndLen(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	n, err := ts.LPush(ctx, "l", "a", "b", "c")
	if err != nil || n != 3 {
		t.Fatalf("LPush = %d, %v", n, err)
	}
	if n, err = ts.RPush(ctx, "l", "d"); err != nil || n != 4 {
		t.Fatalf("RPush = %d, %v", n, err)
	}
	got, err := ts.LRange(ctx, "l", 0, -1)
	if err != nil || !slices.Equal(got, []string{"c", "b", "a", "d"}) {
		t.Fatalf("LRange = %v, %v", got, err)
	}
	if n, err = ts.LLen(ctx, "l"); err != nil || n != 4 {
		t.Fatalf("LLen = %d, %v", n, err)
	}
	if n, err = ts.LLen(ctx, "missing"); err != nil || n != 0 {
		t.Fatalf("LLen missing = %d, %v", n, err)
	}
	// X variants act only on existing lists.
	if n, err = ts.LPushX(ctx, "missing", "a"); err != nil || n != 0 {
		t.Fatalf("LPushX missing = %d, %v", n, err)
	}
	if n, err = ts.RPushX(ctx, "missing", "a"); err != nil || n != 0 {
		t.Fatalf("RPushX missing = %d, %v", n, err)
	}
	ts.expect(IntValue(0), "exists", "missing")
	ts.expect(IntValue(5), "lpushx", "l", "x")
	ts.expect(IntValue(7), "rpushx", "l", "y", "z")
	ts.expect(ltStrs("x", "c", "b", "a", "d", "y", "z"), "lrange", "l", 0, -1)

	ts.do("set", "s", "v")
	for _, cmd := range []string{"lpush", "rpush", "lpushx", "rpushx"} {
		ts.expectErr(ltWrongType, cmd, "s", "a")
		ts.expectErr("ERR wrong number of arguments for '"+cmd+"' command", cmd, "l")
	}
	ts.expectErr(ltWrongType, "llen", "s")
	ts.expectErr("ERR wrong number of arguments for 'llen' command", "llen")
	if _, err := ts.LPush(ctx, "s", "a"); !errors.Is(err, ErrWrongType) {
		t.Fatalf("LPush on a string: %v", err)
	}
	ts.ltCheckLists()
}

func TestListPop(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	ts.RPush(ctx, "l", "a", "b", "c", "d", "e")
	if v, err := ts.LPop(ctx, "l"); err != nil || v != "a" {
		t.Fatalf("LPop = %q, %v", v, err)
	}
	if v, err := ts.RPop(ctx, "l"); err != nil || v != "e" {
		t.Fatalf("RPop = %q, %v", v, err)
	}
	if vs, err := ts.RPopCount(ctx, "l", 2); err != nil || !slices.Equal(vs, []string{"d", "c"}) {
		t.Fatalf("RPopCount = %v, %v", vs, err)
	}
	ts.expect(ArrayValue(), "lpop", "l", 0)
	if vs, err := ts.LPopCount(ctx, "l", 10); err != nil || !slices.Equal(vs, []string{"b"}) {
		t.Fatalf("LPopCount = %v, %v", vs, err)
	}
	// The list emptied: the key is gone.
	ts.expect(IntValue(0), "exists", "l")
	if _, err := ts.LPop(ctx, "l"); !errors.Is(err, Nil) {
		t.Fatalf("LPop of a missing key: %v", err)
	}
	if _, err := ts.LPopCount(ctx, "l", 2); !errors.Is(err, Nil) {
		t.Fatalf("LPopCount of a missing key: %v", err)
	}
	// Without a count: nil bulk; with a count (even 0): nil array.
	ts.expect(nullValue, "rpop", "l")
	ts.expect(nullArrayValue, "rpop", "l", 1)
	ts.expect(nullArrayValue, "lpop", "l", 0)

	ts.RPush(ctx, "l", "a")
	for _, bad := range []string{"-1", "x", "1.5", "00", "9223372036854775808"} {
		ts.expectErr("ERR value is out of range, must be positive", "lpop", "l", bad)
	}
	if _, err := ts.LPopCount(ctx, "l", -1); !errors.Is(err, ErrNotPositive) {
		t.Fatalf("LPopCount -1: %v", err)
	}
	ts.expect(ltStrs("a"), "lpop", "l", "9223372036854775807")

	ts.do("set", "s", "v")
	ts.expectErr(ltWrongType, "lpop", "s")
	ts.expectErr(ltWrongType, "rpop", "s", 0)
	// The count is parsed before the key is looked up.
	ts.expectErr("ERR value is out of range, must be positive", "lpop", "s", "x")
	ts.expectErr("ERR wrong number of arguments for 'lpop' command", "lpop", "l", 1, 2)
	ts.expectErr("ERR wrong number of arguments for 'rpop' command", "rpop")
	ts.ltCheckLists()
}

func TestListIndexSetInsert(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	ts.RPush(ctx, "l", "a", "b", "c")
	for idx, want := range map[int64]string{0: "a", 2: "c", -1: "c", -3: "a"} {
		if v, err := ts.LIndex(ctx, "l", idx); err != nil || v != want {
			t.Errorf("LIndex %d = %q, %v", idx, v, err)
		}
	}
	for _, idx := range []int64{3, -4, 1 << 62, -1 << 63} {
		if _, err := ts.LIndex(ctx, "l", idx); !errors.Is(err, Nil) {
			t.Errorf("LIndex %d: %v", idx, err)
		}
	}
	ts.expectErr("ERR value is not an integer or out of range", "lindex", "l", "x")
	// LINDEX and LSET look the key up before parsing the index.
	ts.expect(nullValue, "lindex", "missing", "x")
	ts.expectErr("ERR no such key", "lset", "missing", "x", "v")

	if err := ts.LSet(ctx, "l", -1, "C"); err != nil {
		t.Fatal(err)
	}
	if err := ts.LSet(ctx, "l", 3, "x"); !errors.Is(err, ErrIndexOutOfRange) {
		t.Fatalf("LSet out of range: %v", err)
	}
	if err := ts.LSet(ctx, "missing", 0, "x"); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("LSet missing: %v", err)
	}
	ts.expectErr("ERR value is not an integer or out of range", "lset", "l", "1.0", "v")

	if n, err := ts.LInsertBefore(ctx, "l", "b", "X"); err != nil || n != 4 {
		t.Fatalf("LInsertBefore = %d, %v", n, err)
	}
	if n, err := ts.LInsertAfter(ctx, "l", "C", "Z"); err != nil || n != 5 {
		t.Fatalf("LInsertAfter = %d, %v", n, err)
	}
	if n, err := ts.LInsertAfter(ctx, "l", "nope", "Z"); err != nil || n != -1 {
		t.Fatalf("LInsertAfter missing pivot = %d, %v", n, err)
	}
	if n, err := ts.LInsertAfter(ctx, "missing", "a", "Z"); err != nil || n != 0 {
		t.Fatalf("LInsertAfter missing key = %d, %v", n, err)
	}
	ts.expect(ltStrs("a", "X", "b", "C", "Z"), "lrange", "l", 0, -1)
	ts.expectErr("ERR syntax error", "linsert", "l", "middle", "a", "v")
	ts.expectErr("ERR syntax error", "linsert", "missing", "middle", "a", "v")

	ts.do("set", "s", "v")
	ts.expectErr(ltWrongType, "lindex", "s", 0)
	ts.expectErr(ltWrongType, "lset", "s", 0, "v")
	ts.expectErr(ltWrongType, "linsert", "s", "before", "a", "v")
	ts.expectErr("ERR wrong number of arguments for 'linsert' command", "linsert", "l", "before", "a")
	ts.expectErr("ERR wrong number of arguments for 'lset' command", "lset", "l", 0)
	ts.expectErr("ERR wrong number of arguments for 'lindex' command", "lindex", "l")
}

func TestListInsertMiddleLongList(t *testing.T) {
	// Inserts near both ends and in the middle of a list long enough for
	// the deque to wrap around its ring.
	ts := newTestStore(t)
	var model []string
	for i := 0; i < 40; i++ {
		v := strconv.Itoa(i)
		if i%2 == 0 {
			ts.do("rpush", "l", v)
			model = append(model, v)
		} else {
			ts.do("lpush", "l", v)
			model = slices.Insert(model, 0, v)
		}
	}
	for _, pivot := range []string{"0", "39", "38", "17", "22"} {
		i := slices.Index(model, pivot)
		ts.expect(IntValue(int64(len(model)+1)), "linsert", "l", "before", pivot, "b"+pivot)
		model = slices.Insert(model, i, "b"+pivot)
		ts.expect(IntValue(int64(len(model)+1)), "linsert", "l", "after", pivot, "a"+pivot)
		model = slices.Insert(model, i+2, "a"+pivot)
	}
	ts.expect(ltStrs(model...), "lrange", "l", 0, -1)
}

func TestListRangeTrim(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	for i := 0; i < 10; i++ {
		ts.RPush(ctx, "l", strconv.Itoa(i))
	}
	cases := []struct {
		start, stop int64
		want        []string
	}{
		{0, -1, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}},
		{2, 4, []string{"2", "3", "4"}},
		{-3, -1, []string{"7", "8", "9"}},
		{-100, 1, []string{"0", "1"}},
		{8, 100, []string{"8", "9"}},
		{5, 2, []string{}},
		{10, 20, []string{}},
		{-1 << 63, 1<<63 - 1, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}},
	}
	for _, c := range cases {
		got, err := ts.LRange(ctx, "l", c.start, c.stop)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("LRange %d %d = %v, %v; want %v", c.start, c.stop, got, err, c.want)
		}
	}
	if got, err := ts.LRange(ctx, "missing", 0, -1); err != nil || len(got) != 0 {
		t.Fatalf("LRange missing = %v, %v", got, err)
	}
	ts.expectErr("ERR value is not an integer or out of range", "lrange", "l", "x", 1)
	ts.expectErr("ERR value is not an integer or out of range", "lrange", "missing", 0, "x")

	if err := ts.LTrim(ctx, "l", 1, -2); err != nil {
		t.Fatal(err)
	}
	ts.expect(ltStrs("1", "2", "3", "4", "5", "6", "7", "8"), "lrange", "l", 0, -1)
	ts.expect(okValue, "ltrim", "l", -3, 100)
	ts.expect(ltStrs("6", "7", "8"), "lrange", "l", 0, -1)
	ts.expect(okValue, "ltrim", "l", 2, 1)
	ts.expect(IntValue(0), "exists", "l")
	ts.expect(okValue, "ltrim", "missing", 0, 1)
	ts.expectErr("ERR value is not an integer or out of range", "ltrim", "missing", "x", 1)

	ts.do("set", "s", "v")
	ts.expectErr(ltWrongType, "lrange", "s", 0, 1)
	ts.expectErr(ltWrongType, "ltrim", "s", 0, 1)
	// The indexes are parsed before the key's type is checked.
	ts.expectErr("ERR value is not an integer or out of range", "ltrim", "s", "x", 1)
	ts.expectErr("ERR wrong number of arguments for 'ltrim' command", "ltrim", "l", 0)
	ts.expectErr("ERR wrong number of arguments for 'lrange' command", "lrange", "l", 0, 1, 2)
	ts.ltCheckLists()
}

func TestListRem(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	ts.RPush(ctx, "l", "a", "b", "a", "c", "a", "b", "a")
	if n, err := ts.LRem(ctx, "l", 2, "a"); err != nil || n != 2 {
		t.Fatalf("LRem 2 = %d, %v", n, err)
	}
	ts.expect(ltStrs("b", "c", "a", "b", "a"), "lrange", "l", 0, -1)
	ts.expect(IntValue(1), "lrem", "l", -1, "b")
	ts.expect(ltStrs("b", "c", "a", "a"), "lrange", "l", 0, -1)
	ts.expect(IntValue(0), "lrem", "l", 0, "zz")
	ts.expect(IntValue(2), "lrem", "l", 0, "a")
	ts.expect(ltStrs("b", "c"), "lrange", "l", 0, -1)
	ts.expect(IntValue(1), "lrem", "l", -5, "b")
	ts.expect(IntValue(1), "lrem", "l", 1, "c")
	ts.expect(IntValue(0), "exists", "l")

	ts.RPush(ctx, "l", "x", "y", "x", "y", "x")
	ts.expect(IntValue(2), "lrem", "l", -2, "x")
	ts.expect(ltStrs("x", "y", "y"), "lrange", "l", 0, -1)
	ts.expect(IntValue(0), "lrem", "missing", 1, "a")
	ts.expectErr("ERR value is not an integer or out of range", "lrem", "l", "x", "a")
	ts.do("set", "s", "v")
	ts.expectErr(ltWrongType, "lrem", "s", 1, "a")
	ts.expectErr("ERR value is not an integer or out of range", "lrem", "s", "x", "a")
	ts.expectErr("ERR wrong number of arguments for 'lrem' command", "lrem", "l", 1)
	ts.ltCheckLists()
}

func TestListPos(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	ts.RPush(ctx, "l", "a", "b", "c", "a", "b", "c", "a")
	pos := func(el string, o LPosOptions) any {
		n, err := ts.LPos(ctx, "l", el, o)
		if errors.Is(err, Nil) {
			return nil
		}
		if err != nil {
			return err
		}
		return n
	}
	cases := []struct {
		el   string
		o    LPosOptions
		want any
	}{
		{"a", LPosOptions{}, int64(0)},
		{"c", LPosOptions{}, int64(2)},
		{"z", LPosOptions{}, nil},
		{"a", LPosOptions{Rank: 2}, int64(3)},
		{"a", LPosOptions{Rank: 4}, nil},
		{"a", LPosOptions{Rank: -1}, int64(6)},
		{"a", LPosOptions{Rank: -3}, int64(0)},
		{"a", LPosOptions{MaxLen: 3}, int64(0)},
		{"c", LPosOptions{MaxLen: 2}, nil},
		{"a", LPosOptions{Rank: -1, MaxLen: 1}, int64(6)},
		{"a", LPosOptions{Rank: -1 << 63}, int64(6)},
	}
	for _, c := range cases {
		if got := pos(c.el, c.o); got != c.want {
			t.Errorf("LPos %s %+v = %v, want %v", c.el, c.o, got, c.want)
		}
	}
	counts := []struct {
		count int64
		o     LPosOptions
		want  []int64
	}{
		{0, LPosOptions{}, []int64{0, 3, 6}},
		{2, LPosOptions{}, []int64{0, 3}},
		{2, LPosOptions{Rank: -1}, []int64{6, 3}},
		{0, LPosOptions{Rank: 2}, []int64{3, 6}},
		{0, LPosOptions{MaxLen: 4}, []int64{0, 3}},
		{0, LPosOptions{Rank: -2, MaxLen: 3}, []int64{}},
		// Redis 7.0 negates RANK LONG_MIN to itself; COUNT is then never
		// reached and every match is returned, from the tail.
		{2, LPosOptions{Rank: -1 << 63}, []int64{6, 3, 0}},
	}
	for _, c := range counts {
		got, err := ts.LPosCount(ctx, "l", "a", c.count, c.o)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("LPosCount %d %+v = %v, %v; want %v", c.count, c.o, got, err, c.want)
		}
	}
	if got, err := ts.LPosCount(ctx, "missing", "a", 1, LPosOptions{}); err != nil || len(got) != 0 {
		t.Fatalf("LPosCount missing = %v, %v", got, err)
	}
	ts.expect(nullValue, "lpos", "missing", "a")
	ts.expect(ltInts(3), "lpos", "l", "a", "count", 0, "count", 1, "rank", 2)

	rankZero := "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"
	ts.expectErr(rankZero, "lpos", "l", "a", "rank", 0)
	ts.expectErr(rankZero, "lpos", "missing", "a", "rank", 0)
	if _, err := ts.LPosCount(ctx, "l", "a", -1, LPosOptions{}); !errors.Is(err, ErrLPosCountNegative) {
		t.Fatalf("LPosCount -1: %v", err)
	}
	ts.expectErr("ERR value is not an integer or out of range", "lpos", "l", "a", "rank", "x")
	ts.expectErr("ERR COUNT can't be negative", "lpos", "l", "a", "count", "x")
	ts.expectErr("ERR MAXLEN can't be negative", "lpos", "l", "a", "maxlen", -1)
	ts.expectErr("ERR MAXLEN can't be negative", "lpos", "l", "a", "maxlen", "x")
	ts.expectErr("ERR syntax error", "lpos", "l", "a", "rank")
	ts.expectErr("ERR syntax error", "lpos", "l", "a", "foo", 1)
	ts.do("set", "s", "v")
	ts.expectErr(ltWrongType, "lpos", "s", "a")
	// Options are checked before the key.
	ts.expectErr(rankZero, "lpos", "s", "a", "rank", 0)
	ts.expectErr("ERR wrong number of arguments for 'lpos' command", "lpos", "l")
}

func TestListMove(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	ts.RPush(ctx, "src", "a", "b", "c")
	if v, err := ts.LMove(ctx, "src", "dst", ListLeft, ListRight); err != nil || v != "a" {
		t.Fatalf("LMove = %q, %v", v, err)
	}
	if v, err := ts.LMove(ctx, "src", "dst", ListRight, ListLeft); err != nil || v != "c" {
		t.Fatalf("LMove = %q, %v", v, err)
	}
	if v, err := ts.RPopLPush(ctx, "src", "dst"); err != nil || v != "b" {
		t.Fatalf("RPopLPush = %q, %v", v, err)
	}
	ts.expect(IntValue(0), "exists", "src")
	ts.expect(ltStrs("b", "c", "a"), "lrange", "dst", 0, -1)
	if _, err := ts.LMove(ctx, "src", "dst", ListLeft, ListLeft); !errors.Is(err, Nil) {
		t.Fatalf("LMove from a missing key: %v", err)
	}
	// Same key: rotation; a one-element list survives.
	ts.expect(BulkValue("b"), "lmove", "dst", "dst", "left", "right")
	ts.expect(ltStrs("c", "a", "b"), "lrange", "dst", 0, -1)
	ts.expect(BulkValue("b"), "rpoplpush", "dst", "dst")
	ts.expect(ltStrs("b", "c", "a"), "lrange", "dst", 0, -1)
	ts.RPush(ctx, "one", "x")
	ts.expect(BulkValue("x"), "lmove", "one", "one", "LEFT", "RIGHT")
	ts.expect(ltStrs("x"), "lrange", "one", 0, -1)

	ts.do("set", "s", "v")
	// A WRONGTYPE destination loses nothing.
	ts.expectErr(ltWrongType, "lmove", "dst", "s", "left", "left")
	ts.expectErr(ltWrongType, "rpoplpush", "dst", "s")
	ts.expect(ltStrs("b", "c", "a"), "lrange", "dst", 0, -1)
	ts.expectErr(ltWrongType, "lmove", "s", "dst", "left", "left")
	// A missing source is nil even when the destination is of another type.
	ts.expect(nullValue, "lmove", "missing", "s", "left", "left")
	ts.expectErr("ERR syntax error", "lmove", "dst", "x", "up", "left")
	ts.expectErr("ERR syntax error", "lmove", "dst", "x", "left", "down")
	ts.expectErr("ERR syntax error", "lmove", "missing", "x", "middle", "left")
	ts.expectErr("ERR wrong number of arguments for 'lmove' command", "lmove", "a", "b", "left")
	ts.expectErr("ERR wrong number of arguments for 'rpoplpush' command", "rpoplpush", "a")
	if ListLeft.String() != "left" || ListRight.String() != "right" {
		t.Fatal("ListSide.String")
	}
	ts.ltCheckLists()
}

func TestListMPop(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	ts.RPush(ctx, "m1", "a", "b", "c", "d")
	ts.RPush(ctx, "m2", "x", "y")
	key, vals, err := ts.LMPop(ctx, ListLeft, 0, "missing", "m2")
	if err != nil || key != "m2" || !slices.Equal(vals, []string{"x"}) {
		t.Fatalf("LMPop = %q %v %v", key, vals, err)
	}
	key, vals, err = ts.LMPop(ctx, ListRight, 5, "m2", "m1")
	if err != nil || key != "m2" || !slices.Equal(vals, []string{"y"}) {
		t.Fatalf("LMPop = %q %v %v", key, vals, err)
	}
	ts.expect(IntValue(0), "exists", "m2")
	ts.expect(ArrayValue(BulkValue("m1"), ltStrs("d", "c")), "lmpop", 2, "m2", "m1", "RIGHT", "COUNT", 2)
	if _, _, err := ts.LMPop(ctx, ListLeft, 1, "m2", "missing"); !errors.Is(err, Nil) {
		t.Fatalf("LMPop of missing keys: %v", err)
	}
	ts.expect(nullArrayValue, "lmpop", 1, "missing", "left")

	ts.do("set", "s", "v")
	ts.expectErr(ltWrongType, "lmpop", 2, "s", "m1", "left")
	ts.expect(ArrayValue(BulkValue("m1"), ltStrs("a")), "lmpop", 2, "m1", "s", "left")
	ts.expectErr(ltWrongType, "lmpop", 2, "missing", "s", "left")

	for _, bad := range []string{"0", "-1", "x", "01", "1.5", "9223372036854775808"} {
		ts.expectErr("ERR numkeys should be greater than 0", "lmpop", bad, "m1", "left")
	}
	for _, bad := range []string{"2", "3", "9223372036854775807"} {
		ts.expectErr("ERR syntax error", "lmpop", bad, "m1", "left")
	}
	for _, bad := range []string{"0", "-1", "x", "9223372036854775808"} {
		ts.expectErr("ERR count should be greater than 0", "lmpop", 1, "m1", "left", "count", bad)
	}
	if _, _, err := ts.LMPop(ctx, ListLeft, -1, "m1"); !errors.Is(err, ErrCountPositive) {
		t.Fatalf("LMPop count -1: %v", err)
	}
	ts.expectErr("ERR syntax error", "lmpop", 1, "m1", "middle")
	ts.expectErr("ERR syntax error", "lmpop", 1, "m1", "left", "count", 1, "count", 1)
	ts.expectErr("ERR syntax error", "lmpop", 1, "m1", "left", "count")
	ts.expectErr("ERR syntax error", "lmpop", 1, "m1", "left", "foo")
	ts.expectErr("ERR wrong number of arguments for 'lmpop' command", "lmpop", 1, "m1")
	ts.expect(ltStrs("b"), "lrange", "m1", 0, -1)
	ts.ltCheckLists()
}

func TestLMPopParseShared(t *testing.T) {
	// BLMPOP will parse from index 2 (after the timeout).
	a, _, ok := parseLMPop([]string{"blmpop", "0", "2", "k1", "k2", "right", "count", "3"}, 2)
	if !ok || !slices.Equal(a.keys, []string{"k1", "k2"}) || a.left || a.count != 3 {
		t.Fatalf("parseLMPop = %+v, %v", a, ok)
	}
	if _, errv, ok := parseLMPop([]string{"blmpop", "0", "0", "k", "left"}, 2); ok || errv.Str() != ErrNumKeys.Error() {
		t.Fatalf("parseLMPop numkeys 0 = %v", errv)
	}
	if got := lmpopKeys([]string{"lmpop", "2", "a", "b", "left"}, 1); !slices.Equal(got, []int{2, 3}) {
		t.Fatalf("lmpopKeys = %v", got)
	}
	if got := lmpopKeys([]string{"lmpop", "5", "a", "left"}, 1); got != nil {
		t.Fatalf("lmpopKeys with bad numkeys = %v", got)
	}
}

func TestListWritesMarkDirtyAndKeepTTL(t *testing.T) {
	ts := newTestStore(t)
	ts.do("rpush", "l", "a", "b", "c", "d")
	ts.ltSetTTL("l", time.Minute)
	at := ts.ltTTL("l")
	writes := [][]any{
		{"lpush", "l", "x"}, {"rpush", "l", "y"}, {"lpushx", "l", "z"}, {"rpushx", "l", "w"},
		{"lpop", "l"}, {"rpop", "l", 1}, {"lset", "l", 0, "q"}, {"linsert", "l", "before", "q", "p"},
		{"lrem", "l", 1, "p"}, {"ltrim", "l", 0, -1}, {"lmove", "l", "l", "left", "right"},
		{"rpoplpush", "l", "l"}, {"lmpop", 1, "l", "left"},
	}
	for _, w := range writes {
		before := ts.ltDirty()
		if v := ts.do(w...); v.Err() != nil {
			t.Fatalf("%v: %v", w, v.Err())
		}
		if ts.ltDirty() == before {
			t.Errorf("%v did not mark the key dirty", w)
		}
		if got := ts.ltTTL("l"); got != at {
			t.Errorf("%v changed the TTL from %d to %d", w, at, got)
		}
	}
	// Reads and no-op writes do not count.
	for _, r := range [][]any{{"llen", "l"}, {"lrange", "l", 0, -1}, {"lindex", "l", 0}, {"lpos", "l", "a"},
		{"lrem", "l", 0, "nothere"}, {"linsert", "l", "before", "nothere", "x"}, {"lpushx", "missing", "x"}} {
		before := ts.ltDirty()
		ts.do(r...)
		if ts.ltDirty() != before {
			t.Errorf("%v marked a write", r)
		}
	}
	// Expiry hides and removes the list.
	ts.clk.Advance(2 * time.Minute)
	ts.expect(IntValue(0), "llen", "l")
	ts.expect(IntValue(1), "rpush", "l", "new")
	if got := ts.ltTTL("l"); got != 0 {
		t.Errorf("a list recreated after expiry has TTL %d", got)
	}
}

func TestListEncodingAndClone(t *testing.T) {
	l := &list{}
	if l.encoding() != "quicklist" {
		t.Fatal(l.encoding())
	}
	l.d.PushBack("a")
	l.d.PushBack("b")
	c := l.clone()
	c.d.Set(0, "z")
	c.d.PushBack("c")
	if l.d.At(0) != "a" || l.len() != 2 || c.len() != 3 {
		t.Fatal("clone shares state with the original")
	}
	if (&list{}).checkInvariants() == nil || l.checkInvariants() != nil {
		t.Fatal("checkInvariants")
	}
}

// TestListCommandsRandomized drives the list commands with a seeded random
// stream and checks every reply and the final content against a plain
// slice model.
func TestListCommandsRandomized(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) {
			ts := newTestStore(t)
			rnd := rand.New(rand.NewPCG(seed, 42))
			var model []string
			val := func() string { return string(rune('a' + rnd.IntN(5))) }
			idx := func() int64 { return int64(rnd.IntN(len(model)*2+3)) - int64(len(model)) - 1 }
			for step := 0; step < 400; step++ {
				var args []any
				var want Value
				switch op := rnd.IntN(11); op {
				case 0, 1:
					v := val()
					args, want = []any{"lpush", "l", v}, IntValue(int64(len(model)+1))
					model = slices.Insert(model, 0, v)
				case 2, 3:
					v := val()
					args, want = []any{"rpush", "l", v}, IntValue(int64(len(model)+1))
					model = append(model, v)
				case 4:
					n := rnd.IntN(3)
					args = []any{"rpop", "l", n}
					if len(model) == 0 {
						want = nullArrayValue
					} else {
						k := min(n, len(model))
						popped := slices.Clone(model[len(model)-k:])
						slices.Reverse(popped)
						want = ltStrs(popped...)
						model = model[:len(model)-k]
					}
				case 5:
					args = []any{"lpop", "l"}
					if len(model) == 0 {
						want = nullValue
					} else {
						want = BulkValue(model[0])
						model = model[1:]
					}
				case 6:
					i := idx()
					args = []any{"lindex", "l", i}
					want = nullValue
					if j, ok := listIndex(i, len(model)); ok {
						want = BulkValue(model[j])
					}
				case 7:
					cnt, v := int64(rnd.IntN(5)-2), val()
					args = []any{"lrem", "l", cnt, v}
					var removed int
					model, removed = ltModelRem(model, cnt, v)
					want = IntValue(int64(removed))
				case 8:
					s, e := idx(), idx()
					args = []any{"ltrim", "l", s, e}
					want = okValue
					from, to := listRange(s, e, len(model))
					model = slices.Clone(model[from:to])
				case 9:
					pivot, v := val(), val()
					after := rnd.IntN(2) == 0
					where := "before"
					if after {
						where = "after"
					}
					args = []any{"linsert", "l", where, pivot, v}
					switch i := slices.Index(model, pivot); {
					case len(model) == 0:
						want = IntValue(0)
					case i < 0:
						want = IntValue(-1)
					default:
						if after {
							i++
						}
						model = slices.Insert(model, i, v)
						want = IntValue(int64(len(model)))
					}
				case 10:
					i, v := idx(), val()
					args = []any{"lset", "l", i, v}
					j, ok := listIndex(i, len(model))
					switch {
					case len(model) == 0:
						want = errNoSuchKey
					case !ok:
						want = errIndexOutOfRange
					default:
						model[j] = v
						want = okValue
					}
				}
				if got := ts.do(args...); !valuesEqual(got, want) {
					t.Fatalf("seed %d step %d %v: got %s, want %s", seed, step, args, got, want)
				}
				ts.expect(ltStrs(model...), "lrange", "l", 0, -1)
				ts.expect(IntValue(int64(min(len(model), 1))), "exists", "l")
			}
			ts.ltCheckLists()
		})
	}
}

// ltModelRem is LREM on a slice.
func ltModelRem(m []string, count int64, v string) ([]string, int) {
	out := slices.Clone(m)
	removed := 0
	if count >= 0 {
		for i := 0; i < len(out); {
			if out[i] == v && (count == 0 || int64(removed) < count) {
				out = slices.Delete(out, i, i+1)
				removed++
				continue
			}
			i++
		}
		return out, removed
	}
	for i := len(out) - 1; i >= 0; i-- {
		if out[i] == v && int64(removed) < -count {
			out = slices.Delete(out, i, i+1)
			removed++
		}
	}
	return out, removed
}

// A work queue: producers push at the head, a worker moves each job to a
// processing list as it takes it, so a crash cannot lose it.
func ExampleDB_LMove() {
	ctx := context.Background()
	s, _ := Open(Options{})
	defer s.Close()

	s.LPush(ctx, "jobs", "resize:1", "resize:2")
	job, _ := s.LMove(ctx, "jobs", "processing", ListRight, ListLeft)
	fmt.Println("working on", job)
	s.LRem(ctx, "processing", 1, job) // done
	left, _ := s.LRange(ctx, "jobs", 0, -1)
	fmt.Println("waiting:", left)
	// Output:
	// working on resize:1
	// waiting: [resize:2]
}

func ExampleDB_LMPop() {
	ctx := context.Background()
	s, _ := Open(Options{})
	defer s.Close()

	s.RPush(ctx, "high", "urgent")
	s.RPush(ctx, "low", "a", "b", "c")
	for {
		key, vals, err := s.LMPop(ctx, ListLeft, 2, "high", "low")
		if errors.Is(err, Nil) {
			break // every list is empty
		}
		fmt.Println(key, vals)
	}
	// Output:
	// high [urgent]
	// low [a b]
	// low [c]
}

func BenchmarkListPushPop(b *testing.B) {
	ts := newTestStore(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		ts.LPush(ctx, "q", "job")
		ts.RPop(ctx, "q")
	}
}

func BenchmarkListRange(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			ts := newTestStore(b)
			ctx := context.Background()
			vals := make([]string, n)
			for i := range vals {
				vals[i] = strconv.Itoa(i)
			}
			ts.RPush(ctx, "l", vals...)
			b.ReportAllocs()
			for b.Loop() {
				ts.LRange(ctx, "l", 0, -1)
			}
		})
	}
}

// TestBlockingHalves runs the executor-side functions the blocking
// commands (BLPOP, BRPOP, BLMPOP, BLMOVE) are built on, directly.
func TestBlockingHalves(t *testing.T) {
	ts := newTestStore(t)
	ts.do("rpush", "b", "1", "2", "3")
	ts.do("set", "s", "v")
	var got []Value
	var served []bool
	err := ts.onExecutor(context.Background(), func(s *Store) {
		c := &call{s: s, cl: ts.DB.cl, db: s.dbs[0], now: ts.clk.Now().UnixMilli()}
		add := func(v Value, ok bool) { got, served = append(got, v), append(served, ok) }
		add(c.bpopReady([]string{"missing", "b"}, true))
		add(c.bpopReady([]string{"b"}, false))
		add(c.bpopReady([]string{"missing"}, true))
		add(c.bpopReady([]string{"s", "b"}, true))
		a, _, _ := parseLMPop([]string{"blmpop", "0", "1", "b", "left", "count", "5"}, 2)
		add(c.lmpop(a))
		add(c.lmpop(a)) // b is gone now
		add(c.lmoveGeneric("missing", "d", true, true), false)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Value{
		ArrayValue(BulkValue("b"), BulkValue("1")),
		ArrayValue(BulkValue("b"), BulkValue("3")),
		nullArrayValue,
		ErrorValue(ltWrongType),
		ArrayValue(BulkValue("b"), ltStrs("2")),
		nullArrayValue,
		nullValue,
	}
	wantServed := []bool{true, true, false, true, true, false, false}
	for i := range want {
		if !valuesEqual(got[i], want[i]) || served[i] != wantServed[i] {
			t.Errorf("call %d: got %s (served %v), want %s (served %v)", i, got[i], served[i], want[i], wantServed[i])
		}
	}
	ts.expect(IntValue(0), "exists", "b")
}
