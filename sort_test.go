package embedis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"
)

// Stand-ins for the set, sorted-set and hash types (written in other
// files), implementing the hook interfaces SORT reads them through. They
// are put straight into the keyspace and removed before the test's store
// is checked and closed.

type fakeSortSet []string

func (s fakeSortSet) sortElements() []string { return s }

type fakeSortHash map[string]string

func (h fakeSortHash) sortHashField(f string) (string, bool) {
	v, ok := h[f]
	return v, ok
}

// ltPutFake stores obj at key with type typ, and removes it when the test
// ends (before the store's own cleanup, which runs later).
func (ts *testStore) ltPutFake(key string, typ valueType, obj any) {
	ts.t.Helper()
	if err := ts.onExecutor(context.Background(), func(s *Store) {
		e, _ := s.dbs[0].keys.Put(key)
		e.typ, e.obj, e.str = typ, obj, ""
	}); err != nil {
		ts.t.Fatal(err)
	}
	ts.t.Cleanup(func() {
		ts.onExecutor(context.Background(), func(s *Store) { s.removeKey(s.dbs[0], key) })
	})
}

func TestSortListNumericAlphaLimit(t *testing.T) {
	ts := newTestStore(t)
	ts.do("rpush", "l", "3", "1", "2", "10", "1.5", "-1")
	ts.expect(ltStrs("-1", "1", "1.5", "2", "3", "10"), "sort", "l")
	ts.expect(ltStrs("10", "3", "2", "1.5", "1", "-1"), "sort", "l", "desc")
	ts.expect(ltStrs("-1", "1", "1.5", "10", "2", "3"), "sort", "l", "alpha")
	ts.expect(ltStrs("3", "2", "10", "1.5", "1", "-1"), "sort", "l", "alpha", "desc")
	ts.expect(ltStrs("-1", "1", "1.5", "2", "3", "10"), "sort", "l", "desc", "asc")
	ts.expect(ltStrs("-1", "1", "1.5", "2", "3", "10"), "sort_ro", "l")
	ts.expect(ltStrs("1", "1.5"), "sort", "l", "limit", 1, 2)
	ts.expect(ltStrs("-1", "1"), "sort", "l", "limit", -1, 2)
	ts.expect(ltStrs("1", "1.5", "2", "3", "10"), "sort", "l", "limit", 1, -1)
	ts.expect(ltStrs("3", "10"), "sort", "l", "limit", 4, 10)
	ts.expect(ltStrs(), "sort", "l", "limit", 6, 1)
	ts.expect(ltStrs(), "sort", "l", "limit", 0, 0)
	ts.expect(ltStrs("1.5", "2", "3", "10"), "sort", "l", "limit", 2, "9223372036854775807")
	ts.expect(ltStrs(), "sort", "l", "limit", "9223372036854775807", "9223372036854775807")
	ts.expect(ltStrs("3", "2"), "sort", "l", "limit", 1, 2, "desc")
	// BY without '*': the list's own order, reversed by DESC, windowed by
	// LIMIT before reversal is applied to the index.
	ts.expect(ltStrs("3", "1", "2", "10", "1.5", "-1"), "sort", "l", "by", "nosort")
	ts.expect(ltStrs("-1", "1.5", "10", "2", "1", "3"), "sort", "l", "by", "nosort", "desc")
	ts.expect(ltStrs("1.5", "10"), "sort", "l", "by", "nosort", "desc", "limit", 1, 2)
	ts.expect(ltStrs("3", "1", "2", "10", "1.5", "-1"), "sort", "l", "by", "nosort", "by", "w_*")
	// The list itself is untouched.
	ts.expect(ltStrs("3", "1", "2", "10", "1.5", "-1"), "lrange", "l", 0, -1)

	// Equal scores fall back to comparing the elements byte-wise.
	ts.do("rpush", "ties", "2", "1", "01", "1.0", "1")
	ts.expect(ltStrs("01", "1", "1", "1.0", "2"), "sort", "ties")
	ts.expect(ltStrs("2", "1.0", "1", "1", "01"), "sort", "ties", "desc")
}

func TestSortByAndGet(t *testing.T) {
	ts := newTestStore(t)
	ts.do("rpush", "l", "3", "1", "2", "10", "1.5", "-1")
	for k, v := range map[string]string{"w_3": "30", "w_1": "10", "w_2": "5", "w_10": "1", "w_1.5": "-3"} {
		ts.do("set", k, v)
	}
	ts.expect(ltStrs("1.5", "-1", "10", "2", "1", "3"), "sort", "l", "by", "w_*")
	ts.expect(ltStrs("3", "1", "2", "10", "-1", "1.5"), "sort", "l", "by", "w_*", "desc")
	// ALPHA by pattern: a missing value sorts first.
	ts.expect(ltStrs("-1", "1.5", "10", "1", "3", "2"), "sort", "l", "by", "w_*", "alpha")
	ts.expect(ltStrs("-1", "10", "2"), "sort", "l", "by", "w_*", "limit", 1, 3)
	ts.expect(ltStrs("-1", "1", "1.5", "10", "2", "3"), "sort", "l", "by", "missing_*")
	ts.expect(ArrayValue(nullValue, BulkValue("10"), BulkValue("-3"), BulkValue("5"), BulkValue("30"), BulkValue("1")),
		"sort", "l", "get", "w_*")
	ts.expect(ArrayValue(BulkValue("3"), BulkValue("30"), BulkValue("1"), BulkValue("10")),
		"sort", "l", "by", "w_*", "get", "#", "get", "w_*", "desc", "limit", 0, 2)
	ts.expect(ArrayValue(nullValue, nullValue), "sort", "l", "get", "nostar", "limit", 0, 2)

	// Typed API.
	ctx := context.Background()
	got, err := ts.Sort(ctx, "l", SortOptions{By: "w_*", Get: []string{"w_*", "#"}, Count: 2})
	if err != nil || !slices.Equal(got, []string{"-3", "1.5", "", "-1"}) {
		t.Fatalf("Sort = %q, %v", got, err)
	}
	got, err = ts.SortRO(ctx, "l", SortOptions{Desc: true, Alpha: true, Offset: 4})
	if err != nil || !slices.Equal(got, []string{"1", "-1"}) {
		t.Fatalf("SortRO = %q, %v", got, err)
	}
	n, err := ts.SortStore(ctx, "l", "dst", SortOptions{By: "nosort", Desc: true})
	if err != nil || n != 6 {
		t.Fatalf("SortStore = %d, %v", n, err)
	}
	ts.expect(ltStrs("-1", "1.5", "10", "2", "1", "3"), "lrange", "dst", 0, -1)
}

func TestSortStore(t *testing.T) {
	ts := newTestStore(t)
	ts.do("rpush", "l", "2", "3", "1")
	ts.do("set", "w_1", "x")
	ts.expect(IntValue(3), "sort", "l", "store", "dst")
	ts.expect(ltStrs("1", "2", "3"), "lrange", "dst", 0, -1)
	// GET values that are missing are stored as empty strings.
	ts.expect(IntValue(6), "sort", "l", "get", "w_*", "get", "#", "store", "dst")
	ts.expect(ltStrs("x", "1", "", "2", "", "3"), "lrange", "dst", 0, -1)
	// STORE replaces any value and its TTL.
	ts.do("set", "s", "v")
	ts.ltSetTTL("s", time.Minute)
	ts.expect(IntValue(1), "sort", "l", "limit", 0, 1, "store", "s")
	ts.expect(ltStrs("1"), "lrange", "s", 0, -1)
	if ts.ltTTL("s") != 0 {
		t.Fatal("SORT STORE kept the destination's TTL")
	}
	// An empty result deletes the destination.
	ts.expect(IntValue(0), "sort", "l", "limit", 5, 1, "store", "dst")
	ts.expect(IntValue(0), "exists", "dst")
	ts.expect(IntValue(0), "sort", "missing", "store", "s")
	ts.expect(IntValue(0), "exists", "s")
	// Sorting into the key itself.
	ts.expect(IntValue(3), "sort", "l", "desc", "store", "l")
	ts.expect(ltStrs("3", "2", "1"), "lrange", "l", 0, -1)
	// A conversion error stores nothing.
	ts.do("rpush", "bad", "1", "x")
	ts.expectErr("ERR One or more scores can't be converted into double", "sort", "bad", "store", "d3")
	ts.expect(IntValue(0), "exists", "d3")
	// The last STORE wins.
	ts.expect(IntValue(3), "sort", "l", "store", "d1", "store", "d2")
	ts.expect(IntValue(1), "exists", "d2")
	ts.expect(IntValue(0), "exists", "d1")
	ts.expectErr("ERR syntax error", "sort_ro", "l", "store", "dst")
	ts.ltCheckLists()
}

func TestSortErrors(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	ts.do("rpush", "l", "1", "2")
	ts.do("set", "str", "v")
	ts.expectErr(ltWrongType, "sort", "str")
	ts.expectErr(ltWrongType, "sort", "str", "by", "nosort")
	ts.expectErr(ltWrongType, "sort_ro", "str")
	if _, err := ts.Sort(ctx, "str", SortOptions{}); !errors.Is(err, ErrWrongType) {
		t.Fatalf("Sort of a string: %v", err)
	}
	ts.expect(ltStrs(), "sort", "missing")
	ts.expect(ltStrs(), "sort_ro", "missing", "get", "#")
	for _, args := range [][]any{
		{"sort", "l", "foo"}, {"sort", "l", "limit", 1}, {"sort", "l", "limit"}, {"sort", "l", "by"},
		{"sort", "l", "get"}, {"sort", "l", "store"}, {"sort", "l", "limit", 1, 2, 3}, {"sort_ro", "l", "store", "x"},
	} {
		ts.expectErr("ERR syntax error", args...)
	}
	ts.expectErr("ERR value is not an integer or out of range", "sort", "l", "limit", "x", 1)
	ts.expectErr("ERR value is not an integer or out of range", "sort", "l", "limit", 1, "1.5")
	ts.expectErr("ERR wrong number of arguments for 'sort' command", "sort")
	ts.expectErr("ERR wrong number of arguments for 'sort_ro' command", "sort_ro")

	ts.do("rpush", "bad", "1", "x", "2")
	ts.expectErr("ERR One or more scores can't be converted into double", "sort", "bad")
	if _, err := ts.Sort(ctx, "bad", SortOptions{}); !errors.Is(err, ErrSortNotDouble) {
		t.Fatalf("Sort of non-numbers: %v", err)
	}
	ts.expect(ltStrs("1", "2", "x"), "sort", "bad", "alpha")
	ts.expect(ltStrs("1", "x", "2"), "sort", "bad", "by", "nosort")
	ts.do("set", "wb_1", "notanumber")
	ts.expectErr("ERR One or more scores can't be converted into double", "sort", "bad", "by", "wb_*")

	// Numbers whose strtod conversion reports ERANGE are errors (and are
	// kept out of the differential script, see testdata/diff/sort.txt).
	for _, v := range []string{"1e400", "-1e400", "1e-400", "4.9e-324", "2.2250738585072011e-308", "0x1p-1075", "0x1p99999"} {
		ts.do("del", "r")
		ts.do("rpush", "r", v)
		ts.expectErr("ERR One or more scores can't be converted into double", "sort", "r")
	}
}

func TestSortSetsZSetsAndHashesThroughHooks(t *testing.T) {
	ts := newTestStore(t)
	ts.ltPutFake("s", typeSet, fakeSortSet{"c", "a", "b"})
	ts.ltPutFake("ns", typeSet, fakeSortSet{"3", "1", "2"})
	ts.ltPutFake("z", typeZSet, fakeSortSet{"low", "mid", "high"})
	ts.ltPutFake("h_1", typeHash, fakeSortHash{"f": "30"})
	ts.ltPutFake("h_2", typeHash, fakeSortHash{"f": "10", "g": "1"})
	ts.ltPutFake("h_3", typeHash, fakeSortHash{"f": "20"})
	ts.ltPutFake("odd", typeSet, struct{}{})

	ts.expect(ltStrs("1", "2", "3"), "sort", "ns")
	ts.expect(ltStrs("3", "2"), "sort", "ns", "desc", "limit", 0, 2)
	ts.expect(ltStrs("a", "b", "c"), "sort", "s", "alpha")
	ts.expectErr("ERR One or more scores can't be converted into double", "sort", "s")
	// BY nosort on a set: its own order when replying (DESC ignored) ...
	ts.expect(ltStrs("c", "a", "b"), "sort", "s", "by", "nosort")
	ts.expect(ltStrs("c", "a", "b"), "sort", "s", "by", "nosort", "desc")
	ts.expect(ltStrs("a", "b"), "sort", "s", "by", "nosort", "limit", 1, 2)
	// ... but sorted alphabetically when stored, so the stored list does
	// not depend on the set's internal order.
	ts.expect(IntValue(3), "sort", "s", "by", "nosort", "store", "dst")
	ts.expect(ltStrs("a", "b", "c"), "lrange", "dst", 0, -1)
	// A sorted set keeps its order with BY nosort, reversed by DESC.
	ts.expect(ltStrs("low", "mid", "high"), "sort", "z", "by", "nosort")
	ts.expect(ltStrs("high", "mid"), "sort", "z", "by", "nosort", "desc", "limit", 0, 2)
	ts.expect(ltStrs("high", "low", "mid"), "sort", "z", "alpha")

	// Hash fields through "->".
	ts.expect(ltStrs("2", "3", "1"), "sort", "ns", "by", "h_*->f")
	ts.expect(ltStrs("1", "3", "2"), "sort", "ns", "by", "h_*->f", "desc")
	ts.expect(ltStrs("10", "20", "30"), "sort", "ns", "by", "h_*->f", "get", "h_*->f")
	ts.expect(ArrayValue(BulkValue("1"), nullValue, BulkValue("2"), BulkValue("1"), BulkValue("3"), nullValue),
		"sort", "ns", "get", "#", "get", "h_*->g")
	// No field after "->": the whole pattern names a key ("h_1->").
	ts.expect(ArrayValue(nullValue, nullValue, nullValue), "sort", "ns", "get", "h_*->")
	// A string key does not answer a field pattern; a hash does not answer
	// a plain pattern.
	ts.do("set", "k_1", "5")
	ts.expect(ArrayValue(nullValue, nullValue, nullValue), "sort", "ns", "get", "k_*->f")
	ts.expect(ArrayValue(nullValue, nullValue, nullValue), "sort", "ns", "get", "h_*")
	ts.expect(IntValue(3), "sort", "ns", "by", "h_*->f", "get", "h_*->f", "store", "dst")
	ts.expect(ltStrs("10", "20", "30"), "lrange", "dst", 0, -1)

	// A set type that does not implement the hook yet.
	ts.expect(errSortUnsupported, "sort", "odd")
}

func TestSortPatternNULAndKeys(t *testing.T) {
	ts := newTestStore(t)
	ts.do("rpush", "nul", "a\x00b", "a\x00a", "a")
	// Replying compares as C strings (equal here, so the order is kept);
	// storing compares byte-wise.
	ts.expect(ltStrs("a\x00b", "a\x00a", "a"), "sort", "nul", "alpha")
	ts.expect(IntValue(3), "sort", "nul", "alpha", "store", "d")
	ts.expect(ltStrs("a", "a\x00a", "a\x00b"), "lrange", "d", 0, -1)
	ts.expect(ltStrs("a\x00b", "a\x00a", "a"), "sort", "nul", "alpha", "get", "#\x00x")
	ts.do("rpush", "l", "2", "1", "3")
	ts.expect(ltStrs("2", "1", "3"), "sort", "l", "by", "w_\x00*")

	cases := []struct {
		args []string
		want []int
	}{
		{[]string{"sort", "k"}, []int{1}},
		{[]string{"sort", "k", "store", "d"}, []int{1, 3}},
		{[]string{"sort", "k", "store", "a", "limit", "0", "1", "store", "b"}, []int{1, 8}},
		{[]string{"sort", "k", "by", "store", "get", "store", "store"}, []int{1}},
	}
	for _, c := range cases {
		if got := sortKeys(c.args); !slices.Equal(got, c.want) {
			t.Errorf("sortKeys(%q) = %v, want %v", c.args, got, c.want)
		}
	}
}

func TestSortOptionsArgs(t *testing.T) {
	cases := []struct {
		o    SortOptions
		want []string
	}{
		{SortOptions{}, []string{"sort", "k"}},
		{SortOptions{Count: 5}, []string{"sort", "k", "limit", "0", "5"}},
		{SortOptions{Offset: 2}, []string{"sort", "k", "limit", "2", "-1"}},
		{SortOptions{By: "w_*", Get: []string{"#", "x_*"}, Desc: true, Alpha: true},
			[]string{"sort", "k", "by", "w_*", "get", "#", "get", "x_*", "desc", "alpha"}},
	}
	for _, c := range cases {
		if got := c.o.args("sort", "k"); !slices.Equal(got, c.want) {
			t.Errorf("%+v.args = %q, want %q", c.o, got, c.want)
		}
	}
}

// TestStrtodRedis pins the number syntax of SORT's numeric mode to what
// redis-server 7.0.15 accepts (each case was checked there).
func TestStrtodRedis(t *testing.T) {
	ok := map[string]float64{
		"": 0, " 1": 1, "\t2": 2, "\v3": 3, "+5": 5, ".5": 0.5, "5.": 5, "-.5": -0.5, "1e3": 1000,
		"1E+2": 100, "1.e3": 1000, "00012": 12, "-0": 0, "0x10": 16, "-0x10": -16, "0X1p3": 8,
		"0x1.8p1": 3, "0x1.8": 1.5, "0x.8": 0.5, "0x0.0": 0, "0x0p-99999999": 0, "0.0e-99999999999": 0,
		"1\x00junk": 1, "inf": math.Inf(1), "-INF": math.Inf(-1), "+Inf": math.Inf(1), "infinity": math.Inf(1),
		"0x1P-1074": 5e-324, "2.2250738585072014e-308": 2.2250738585072014e-308,
		"1.7976931348623157e308": math.MaxFloat64, "99999999999999999999": 1e20,
	}
	for s, want := range ok {
		got, good := strtodRedis(s)
		if !good || got != want {
			t.Errorf("strtodRedis(%q) = %v, %v; want %v", s, got, good, want)
		}
	}
	for _, s := range []string{"1 ", "  ", "x", "1_0", "0x", "1e", "1e+", "0e", ".", "+-1", "0b1", "infx", "nan", "-nan",
		"1e400", "1.7976931348623159e308", "1e-400", "4.9e-324", "2.2250738585072011e-308", "0x1p-1075",
		"0x3p-1075", "0x1p99999", "1e-99999999999"} {
		if f, good := strtodRedis(s); good {
			t.Errorf("strtodRedis(%q) = %v, accepted", s, f)
		}
	}
}

// Sorting the IDs in a list by a score kept in other keys, and fetching
// each ID's name in the same call.
func ExampleDB_Sort() {
	ctx := context.Background()
	s, _ := Open(Options{})
	defer s.Close()

	s.RPush(ctx, "players", "7", "3", "9")
	for id, score := range map[string]string{"7": "120", "3": "300", "9": "80"} {
		s.Set(ctx, "score:"+id, score, SetOptions{})
		s.Set(ctx, "name:"+id, "player"+id, SetOptions{})
	}
	top, _ := s.Sort(ctx, "players", SortOptions{By: "score:*", Desc: true, Count: 2, Get: []string{"#", "name:*"}})
	fmt.Println(top)
	// Output: [3 player3 7 player7]
}
