package embedis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// ---- helpers (prefixed st to avoid clashes between test files) ----

// stEntry builds the reply of one entry.
func stEntry(id string, fv ...string) Value { return ArrayValue(BulkValue(id), bulkStrings(fv)) }

// stEntries builds an array of entries.
func stEntries(es ...Value) Value { return ArrayValue(es...) }

// stFields builds typed fields from alternating names and values.
func stFields(fv ...string) []XField {
	out := make([]XField, len(fv)/2)
	for i := range out {
		out[i] = XField{fv[2*i], fv[2*i+1]}
	}
	return out
}

// stMsgIDs lists the IDs of messages.
func stMsgIDs(ms []XMessage) string {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return strings.Join(ids, " ")
}

// stAdd adds entries with explicit IDs, each with field f and value v<i>.
func (ts *testStore) stAdd(key string, ids ...string) {
	ts.t.Helper()
	for i, id := range ids {
		ts.expect(BulkValue(id), "XADD", key, id, "f", "v"+strconv.Itoa(i))
	}
}

// stInfo returns XINFO STREAM's fields as a map from name to reply.
func (ts *testStore) stInfo(key string) map[string]Value {
	ts.t.Helper()
	v := ts.do("XINFO", "STREAM", key)
	if v.Kind() != KindMap {
		ts.t.Fatalf("XINFO STREAM %s: %s", key, v)
	}
	m := map[string]Value{}
	for i := 0; i+1 < len(v.elems); i += 2 {
		m[v.elems[i].Str()] = v.elems[i+1]
	}
	return m
}

// stGroupInfo returns XINFO GROUPS' fields of one group.
func (ts *testStore) stGroupInfo(key, group string) map[string]Value {
	ts.t.Helper()
	for _, g := range ts.do("XINFO", "GROUPS", key).Elems() {
		m := map[string]Value{}
		for i := 0; i+1 < len(g.elems); i += 2 {
			m[g.elems[i].Str()] = g.elems[i+1]
		}
		if m["name"].Str() == group {
			return m
		}
	}
	ts.t.Fatalf("no group %q in %q", group, key)
	return nil
}

var stCtx = context.Background()

// ---- XADD, IDs, XLEN ----

func TestStreamAddIDs(t *testing.T) {
	ts := newTestStore(t)
	now := testStart.UnixMilli()
	id := func(ms int64, seq int) Value { return BulkValue(strconv.FormatInt(ms, 10) + "-" + strconv.Itoa(seq)) }

	ts.expect(id(now, 0), "XADD", "s", "*", "a", "1")
	ts.expect(id(now, 1), "XADD", "s", "*", "a", "2")
	ts.clk.Advance(5 * time.Millisecond)
	ts.expect(id(now+5, 0), "XADD", "s", "*", "a", "3")
	// The clock going backwards keeps IDs monotonic: the last ID's ms with
	// the next sequence.
	ts.clk.Set(testStart.Add(-time.Hour))
	ts.expect(id(now+5, 1), "XADD", "s", "*", "a", "4")
	ts.expect(id(now+5, 2), "XADD", "s", strconv.FormatInt(now+5, 10)+"-*", "a", "5")
	ts.expectErr("ERR The ID specified in XADD is equal or smaller than the target stream top item", "XADD", "s", "1-*", "a", "b")
	ts.expect(IntValue(5), "XLEN", "s")

	ts.expect(BulkValue("0-1"), "XADD", "z", "0-*", "a", "b")
	ts.expectErr("ERR The ID specified in XADD must be greater than 0-0", "XADD", "z2", "0", "a", "b")
	ts.expect(IntValue(0), "EXISTS", "z2")
	ts.expect(BulkValue("5-0"), "XADD", "z", "5", "a", "b")
	ts.expect(BulkValue("18446744073709551615-18446744073709551615"), "XADD", "z", "18446744073709551615-18446744073709551615", "a", "b")
	ts.expectErr("ERR The stream has exhausted the last possible ID, unable to add more items", "XADD", "z", "*", "a", "b")

	// strtoull's leniency, as Redis.
	ts.expect(BulkValue("7-1"), "XADD", "y", "07-01", "a", "b")
	ts.expect(BulkValue("8-0"), "XADD", "y", " +8", "a", "b")
	ts.expect(BulkValue("9-18446744073709551615"), "XADD", "y", "9--01", "a", "b")
	ts.expectErr(ErrStreamInvalidID.Error(), "XADD", "y", "10--101", "a", "b")
	for _, bad := range []string{"x", "1-x", "-1", "-", "+", "4-", "18446744073709551616-0", "1-18446744073709551616", strings.Repeat("1", 128)} {
		ts.expectErr(ErrStreamInvalidID.Error(), "XADD", "y", bad, "a", "b")
	}

	ts.expectErr("ERR wrong number of arguments for 'xadd' command", "XADD", "s", "*", "a")
	ts.expectErr("ERR wrong number of arguments for 'xadd' command", "XADD", "s", "*", "a", "b", "c")
	ts.expectErr(ErrStreamInvalidID.Error(), "XADD", "s", "maxlen", "1", "a")
	ts.expectErr("ERR wrong number of arguments for 'xadd' command", "XADD", "s", "maxlen", "1", "*", "a")
	ts.expectErr("ERR wrong number of arguments for 'xlen' command", "XLEN")
	ts.expect(IntValue(0), "XLEN", "nokey")
	ts.do("SET", "str", "v")
	ts.expectErr(ErrWrongType.Error(), "XADD", "str", "*", "a", "b")
	ts.expectErr(ErrWrongType.Error(), "XLEN", "str")

	// NOMKSTREAM.
	ts.expect(nullValue, "XADD", "n", "NOMKSTREAM", "*", "a", "b")
	ts.expect(IntValue(0), "EXISTS", "n")
	ts.expect(BulkValue("1-1"), "XADD", "y2", "1-1", "a", "b")
	ts.expect(BulkValue("2-1"), "XADD", "y2", "nomkstream", "2-1", "a", "b")

	// Typed.
	got, err := ts.XAdd(stCtx, XAddArgs{Stream: "t", ID: "3-3", Fields: stFields("k", "v", "k", "w")})
	if err != nil || got != "3-3" {
		t.Fatalf("XAdd: %q %v", got, err)
	}
	if _, err := ts.XAdd(stCtx, XAddArgs{Stream: "t", ID: "3-3", Fields: stFields("k", "v")}); !errors.Is(err, ErrStreamIDTooSmall) {
		t.Fatalf("XAdd dup: %v", err)
	}
	if _, err := ts.XAdd(stCtx, XAddArgs{Stream: "t", ID: "0-0", Fields: stFields("k", "v")}); !errors.Is(err, ErrStreamIDZero) {
		t.Fatalf("XAdd 0-0: %v", err)
	}
	if _, err := ts.XAdd(stCtx, XAddArgs{Stream: "nope", NoMkStream: true, Fields: stFields("k", "v")}); !errors.Is(err, Nil) {
		t.Fatalf("XAdd NoMkStream: %v", err)
	}
	if _, err := ts.XAdd(stCtx, XAddArgs{Stream: "str", Fields: stFields("k", "v")}); !errors.Is(err, ErrWrongType) {
		t.Fatalf("XAdd wrong type: %v", err)
	}
	if id, err := ts.XAdd(stCtx, XAddArgs{Stream: "t", Fields: stFields("k", "v")}); err != nil || id != strconv.FormatInt(now-3600000, 10)+"-0" {
		t.Fatalf("XAdd *: %q %v", id, err)
	}
	if n, err := ts.XLen(stCtx, "t"); err != nil || n != 2 {
		t.Fatalf("XLen: %d %v", n, err)
	}
	ms, err := ts.XRange(stCtx, "t", "-", "+", 0)
	if err != nil || len(ms) != 2 || len(ms[0].Fields) != 2 || ms[0].Fields[1] != (XField{"k", "w"}) {
		t.Fatalf("XRange: %+v %v", ms, err)
	}
	ts.expect(SimpleValue("stream"), "TYPE", "t")
	ts.expect(BulkValue("stream"), "OBJECT", "ENCODING", "t")
}

// ---- trimming ----

func TestStreamTrim(t *testing.T) {
	ts := newTestStore(t)
	ts.stAdd("t", "1-1", "2-1", "3-1")
	ts.expect(BulkValue("4-1"), "XADD", "t", "MAXLEN", "2", "4-1", "f", "v")
	ts.expect(stEntries(stEntry("3-1", "f", "v2"), stEntry("4-1", "f", "v")), "XRANGE", "t", "-", "+")
	ts.expect(BulkValue("5-1"), "XADD", "t", "MINID", "=", "4-1", "5-1", "f", "v")
	ts.expect(IntValue(2), "XLEN", "t")
	ts.expect(IntValue(1), "XTRIM", "t", "MAXLEN", "1")
	// The last entry's node is whole, so even ~ removes it.
	ts.expect(IntValue(1), "XTRIM", "t", "MAXLEN", "~", "0")
	ts.expect(IntValue(0), "XTRIM", "t", "MINID", "9")
	// An empty stream stays.
	ts.expect(IntValue(1), "EXISTS", "t")
	info := ts.stInfo("t")
	if info["recorded-first-entry-id"].Str() != "0-0" || info["max-deleted-entry-id"].Str() != "0-0" || info["entries-added"].Int() != 5 {
		t.Fatalf("info after trims: %v", info)
	}

	errs := [][]any{
		{"ERR syntax error, MAXLEN and MINID options at the same time are not compatible", "XADD", "t", "MAXLEN", "1", "MINID", "1", "*", "a", "b"},
		{"ERR The MAXLEN argument must be >= 0.", "XADD", "t", "MAXLEN", "-1", "*", "a", "b"},
		{"ERR value is not an integer or out of range", "XADD", "t", "MAXLEN", "x", "*", "a", "b"},
		{"ERR The LIMIT argument must be >= 0.", "XADD", "t", "MAXLEN", "~", "1", "LIMIT", "-1", "*", "a", "b"},
		{"ERR value is not an integer or out of range", "XADD", "t", "MAXLEN", "~", "1", "LIMIT", "x", "*", "a", "b"},
		{"ERR syntax error, LIMIT cannot be used without specifying a trimming strategy", "XADD", "t", "LIMIT", "5", "*", "a", "b"},
		{"ERR syntax error, LIMIT cannot be used without the special ~ option", "XADD", "t", "MAXLEN", "5", "LIMIT", "5", "*", "a", "b"},
		{"ERR Invalid stream ID specified as stream command argument", "XADD", "t", "MINID", "-", "*", "a", "b"},
		{"ERR syntax error", "XTRIM", "t", "foo", "1"},
		{"ERR syntax error, XTRIM must be called with a trimming strategy", "XTRIM", "t", "LIMIT", "0"},
		{"ERR syntax error, LIMIT cannot be used without the special ~ option", "XADD", "t", "LIMIT", "0", "*", "a", "b"},
		{"ERR syntax error, LIMIT cannot be used without specifying a trimming strategy", "XTRIM", "t", "LIMIT", "5"},
		{"ERR syntax error", "XTRIM", "t", "MAXLEN", "1", "foo"},
		{"ERR syntax error", "XTRIM", "t", "NOMKSTREAM", "MAXLEN", "1"},
		{"ERR wrong number of arguments for 'xtrim' command", "XTRIM", "t", "MAXLEN"},
		{"ERR value is not an integer or out of range", "XTRIM", "nokey", "MAXLEN", "x"},
		{ErrWrongType.Error(), "XTRIM", "str", "MAXLEN", "1"},
	}
	ts.do("SET", "str", "v")
	for _, e := range errs {
		ts.expectErr(e[0].(string), e[1:]...)
	}
	ts.expect(IntValue(0), "XTRIM", "nokey", "MAXLEN", "1")

	// Typed.
	ts.stAdd("u", "1-1", "2-1", "3-1", "4-1")
	if n, err := ts.XTrim(stCtx, "u", XTrimOptions{MinID: "3"}); err != nil || n != 2 {
		t.Fatalf("XTrim MinID: %d %v", n, err)
	}
	if n, err := ts.XTrim(stCtx, "u", XTrimOptions{MaxLen: 0}); err != nil || n != 2 {
		t.Fatalf("XTrim MaxLen 0: %d %v", n, err)
	}
	if _, err := ts.XAdd(stCtx, XAddArgs{Stream: "u", ID: "9-9", Trim: &XTrimOptions{MaxLen: 5, Limit: 3}, Fields: stFields("a", "b")}); err == nil {
		t.Fatal("XAdd LIMIT without ~ accepted")
	}
}

// TestStreamApproxTrimNodes checks that ~ trimming removes whole nodes of
// 100 entries, as Redis does (figures from redis-server 7.0.15).
func TestStreamApproxTrimNodes(t *testing.T) {
	ts := newTestStore(t)
	for i := 1; i <= 250; i++ {
		ts.do("XADD", "s", fmt.Sprintf("%d-1", i), "f", "v")
	}
	info := ts.stInfo("s")
	if info["radix-tree-keys"].Int() != 3 {
		t.Fatalf("radix-tree-keys %d, want 3", info["radix-tree-keys"].Int())
	}
	ts.expect(IntValue(100), "XTRIM", "s", "MAXLEN", "~", "120")
	ts.expect(IntValue(150), "XLEN", "s")
	ts.expect(IntValue(0), "XTRIM", "s", "MAXLEN", "~", "120")
	// LIMIT stops before a node that would exceed it.
	ts.expect(IntValue(0), "XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "99")
	ts.expect(IntValue(100), "XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "100")
	// MINID ~ removes a node only when its last ID is below the minimum.
	ts.expect(IntValue(0), "XTRIM", "s", "MINID", "~", "250")
	ts.expect(IntValue(49), "XTRIM", "s", "MINID", "250")
	// Deleted entries keep their room in a node: after deleting, new
	// entries still open a node at 100 slots.
	ts.do("DEL", "d")
	for i := 1; i <= 100; i++ {
		ts.do("XADD", "d", fmt.Sprintf("%d-1", i), "f", "v")
	}
	ts.do("XDEL", "d", "50-1")
	ts.do("XADD", "d", "101-1", "f", "v")
	if k := ts.stInfo("d")["radix-tree-keys"].Int(); k != 2 {
		t.Fatalf("radix-tree-keys after XDEL+XADD %d, want 2", k)
	}
	// A node fills up at 4096 bytes too.
	big := strings.Repeat("x", 1000)
	for i := 1; i <= 5; i++ {
		ts.do("XADD", "b", fmt.Sprintf("%d-1", i), "f", big)
	}
	if k := ts.stInfo("b")["radix-tree-keys"].Int(); k != 2 {
		t.Fatalf("radix-tree-keys with big values %d, want 2", k)
	}
}

// ---- XRANGE, XREVRANGE ----

func TestStreamRange(t *testing.T) {
	ts := newTestStore(t)
	ts.stAdd("r", "1-1", "1-2", "2-1", "2-5", "3-0")
	e := func(id string, i int) Value { return stEntry(id, "f", "v"+strconv.Itoa(i)) }
	ts.expect(stEntries(e("1-1", 0), e("1-2", 1), e("2-1", 2), e("2-5", 3), e("3-0", 4)), "XRANGE", "r", "-", "+")
	ts.expect(stEntries(e("1-1", 0), e("1-2", 1), e("2-1", 2), e("2-5", 3)), "XRANGE", "r", "1", "2")
	ts.expect(stEntries(e("1-2", 1), e("2-1", 2)), "XRANGE", "r", "(1-1", "(2-5")
	ts.expect(stEntries(e("2-1", 2), e("2-5", 3), e("3-0", 4)), "XRANGE", "r", "(2", "+")
	ts.expect(stEntries(e("3-0", 4)), "XRANGE", "r", "(2-5", "+")
	ts.expect(stEntries(e("1-1", 0), e("1-2", 1)), "XRANGE", "r", "-", "+", "COUNT", "2")
	ts.expect(nullArrayValue, "XRANGE", "r", "-", "+", "COUNT", "0")
	ts.expect(nullArrayValue, "XRANGE", "r", "-", "+", "COUNT", "-1")
	ts.expect(ArrayValue(), "XRANGE", "r", "2", "1")
	ts.expect(ArrayValue(), "XRANGE", "nokey", "-", "+", "COUNT", "0")
	ts.expect(stEntries(e("3-0", 4), e("2-5", 3)), "XREVRANGE", "r", "+", "-", "COUNT", "2")
	ts.expect(stEntries(e("2-5", 3), e("2-1", 2), e("1-2", 1)), "XREVRANGE", "r", "(3-0", "(1-1")
	ts.expect(stEntries(e("2-1", 2)), "XREVRANGE", "r", "2-1", "2-1")
	ts.expect(ArrayValue(), "XREVRANGE", "r", "-", "+")
	ts.do("SET", "str", "v")
	for _, c := range [][]any{
		{"ERR invalid start ID for the interval", "XRANGE", "r", "(18446744073709551615-18446744073709551615", "+"},
		{"ERR invalid end ID for the interval", "XRANGE", "r", "-", "(0-0"},
		{"ERR invalid end ID for the interval", "XREVRANGE", "r", "(0-0", "-"},
		{ErrStreamInvalidID.Error(), "XRANGE", "r", "(-", "+"},
		{ErrStreamInvalidID.Error(), "XRANGE", "r", "(", "+"},
		{ErrStreamInvalidID.Error(), "XRANGE", "r", "-", "x"},
		{ErrStreamInvalidID.Error(), "XRANGE", "nokey", "x", "+"},
		{"ERR syntax error", "XRANGE", "r", "-", "+", "COUNT"},
		{"ERR syntax error", "XRANGE", "r", "-", "+", "LIMIT", "1"},
		{"ERR value is not an integer or out of range", "XRANGE", "r", "-", "+", "COUNT", "x"},
		{ErrWrongType.Error(), "XRANGE", "str", "-", "+"},
		{ErrWrongType.Error(), "XREVRANGE", "str", "+", "-"},
		{"ERR wrong number of arguments for 'xrange' command", "XRANGE", "r", "-"},
		{"ERR wrong number of arguments for 'xrevrange' command", "XREVRANGE", "r", "+"},
	} {
		ts.expectErr(c[0].(string), c[1:]...)
	}
	ms, err := ts.XRevRange(stCtx, "r", "+", "-", 2)
	if err != nil || stMsgIDs(ms) != "3-0 2-5" {
		t.Fatalf("XRevRange: %v %v", stMsgIDs(ms), err)
	}
	ms, err = ts.XRange(stCtx, "nokey", "-", "+", 0)
	if err != nil || len(ms) != 0 {
		t.Fatalf("XRange missing: %v %v", ms, err)
	}
	if _, err := ts.XRange(stCtx, "r", "x", "+", 0); !errors.Is(err, ErrStreamInvalidID) {
		t.Fatalf("XRange bad ID: %v", err)
	}
}

// TestStreamRangeModel compares XRANGE/XREVRANGE over a seeded random
// stream with a plain sorted slice.
func TestStreamRangeModel(t *testing.T) {
	ts := newTestStore(t)
	rnd := rand.New(rand.NewPCG(7, 11))
	var ids []streamID
	ms := uint64(1)
	for i := 0; i < 400; i++ {
		ms += uint64(rnd.IntN(3))
		v := ts.do("XADD", "m", strconv.FormatUint(ms, 10)+"-*", "f", "v")
		id, _ := parseStrictID(v.Str())
		ids = append(ids, id)
		if rnd.IntN(10) == 0 {
			j := rnd.IntN(len(ids))
			ts.do("XDEL", "m", ids[j].String())
			ids = append(ids[:j], ids[j+1:]...)
		}
	}
	for k := 0; k < 200; k++ {
		a := streamID{Ms: uint64(rnd.IntN(int(ms + 2))), Seq: uint64(rnd.IntN(3))}
		b := streamID{Ms: uint64(rnd.IntN(int(ms + 2))), Seq: uint64(rnd.IntN(3))}
		count := rnd.IntN(6)
		var want []string
		for _, id := range ids {
			if a.Compare(id) <= 0 && id.Compare(b) <= 0 {
				want = append(want, id.String())
			}
		}
		rwant := make([]string, len(want))
		for i := range want {
			rwant[i] = want[len(want)-1-i]
		}
		if count > 0 && len(want) > count {
			want, rwant = want[:count], rwant[:count]
		}
		got, _ := ts.XRange(stCtx, "m", a.String(), b.String(), int64(count))
		if g := stMsgIDs(got); g != strings.Join(want, " ") {
			t.Fatalf("XRANGE %s %s COUNT %d: got %s want %s", a, b, count, g, strings.Join(want, " "))
		}
		rgot, _ := ts.XRevRange(stCtx, "m", b.String(), a.String(), int64(count))
		if g := stMsgIDs(rgot); g != strings.Join(rwant, " ") {
			t.Fatalf("XREVRANGE %s %s COUNT %d: got %s want %s", b, a, count, g, strings.Join(rwant, " "))
		}
	}
}

// ---- XDEL ----

func TestStreamDel(t *testing.T) {
	ts := newTestStore(t)
	ts.stAdd("d", "1-1", "2-1", "3-1", "4-1")
	ts.expect(IntValue(1), "XDEL", "d", "2-1")
	ts.expect(IntValue(0), "XDEL", "d", "2-1")
	ts.expect(IntValue(2), "XDEL", "d", "1-1", "5-1", "3-1")
	ts.expectErr(ErrStreamInvalidID.Error(), "XDEL", "d", "4-1", "x")
	ts.expect(IntValue(1), "XLEN", "d") // nothing deleted by the failed call
	ts.expect(IntValue(0), "XDEL", "nokey", "x")
	ts.do("SET", "str", "v")
	ts.expectErr(ErrWrongType.Error(), "XDEL", "str", "1-1")
	ts.expectErr("ERR wrong number of arguments for 'xdel' command", "XDEL", "d")
	info := ts.stInfo("d")
	if info["recorded-first-entry-id"].Str() != "4-1" || info["max-deleted-entry-id"].Str() != "3-1" {
		t.Fatalf("after XDEL: %v", info)
	}
	if n, err := ts.XDel(stCtx, "d", "4-1"); err != nil || n != 1 {
		t.Fatalf("XDel: %d %v", n, err)
	}
	info = ts.stInfo("d")
	if info["length"].Int() != 0 || info["recorded-first-entry-id"].Str() != "0-0" || info["max-deleted-entry-id"].Str() != "4-1" || info["radix-tree-keys"].Int() != 0 {
		t.Fatalf("emptied by XDEL: %v", info)
	}
	ts.expect(IntValue(1), "EXISTS", "d")
	ts.expectErr(ErrStreamIDTooSmall.Error(), "XADD", "d", "4-1", "a", "b")
}

// ---- XREAD ----

func TestStreamRead(t *testing.T) {
	ts := newTestStore(t)
	ts.stAdd("r1", "1-1", "2-1")
	ts.stAdd("r2", "1-5")
	r1 := stEntries(stEntry("1-1", "f", "v0"), stEntry("2-1", "f", "v1"))
	// RESP3 (typed and Do handles): a map keyed by stream.
	ts.expect(MapValue(BulkValue("r1"), r1), "XREAD", "STREAMS", "r1", "0")
	ts.expect(MapValue(BulkValue("r1"), stEntries(stEntry("1-1", "f", "v0")), BulkValue("r2"), stEntries(stEntry("1-5", "f", "v0"))),
		"XREAD", "COUNT", "1", "STREAMS", "r1", "r2", "0", "0")
	ts.expect(MapValue(BulkValue("r2"), stEntries(stEntry("1-5", "f", "v0"))), "XREAD", "STREAMS", "r1", "r2", "2-1", "0")
	ts.expect(nullArrayValue, "XREAD", "STREAMS", "r1", "$")
	ts.expect(nullArrayValue, "XREAD", "STREAMS", "nokey", "0")
	// BLOCK without anything to read waits (blocking_test.go); with
	// something to read it replies at once.
	ts.expect(MapValue(BulkValue("r1"), r1), "XREAD", "BLOCK", "10", "STREAMS", "r1", "0")

	// RESP2: an array of [key, entries].
	d2 := &DB{s: ts.Store, cl: &client{proto: 2}}
	v, _ := d2.exec(stCtx, []string{"XREAD", "STREAMS", "r1", "0"})
	if !valuesEqual(v, ArrayValue(ArrayValue(BulkValue("r1"), r1))) {
		t.Fatalf("RESP2 XREAD: %s", v)
	}
	got, err := (&DB{s: ts.Store, cl: &client{proto: 2}}).XRead(stCtx, XReadArgs{Streams: []string{"r1"}, IDs: []string{"1-1"}})
	if err != nil || len(got) != 1 || stMsgIDs(got[0].Messages) != "2-1" {
		t.Fatalf("RESP2 typed XRead: %+v %v", got, err)
	}

	ts.do("SET", "str", "v")
	for _, c := range [][]any{
		{"ERR timeout is negative", "XREAD", "BLOCK", "-1", "STREAMS", "r1", "0"},
		{"ERR timeout is not an integer or out of range", "XREAD", "BLOCK", "x", "STREAMS", "r1", "0"},
		{"ERR value is not an integer or out of range", "XREAD", "COUNT", "x", "STREAMS", "r1", "0"},
		{"ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.", "XREAD", "STREAMS", "r1", "r2", "0"},
		{"ERR syntax error", "XREAD", "r1", "0", "x"},
		{"ERR syntax error", "XREAD", "foo", "STREAMS", "r1", "0"},
		{"ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.", "XREAD", "STREAMS", "r1", ">"},
		{"ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.", "XREAD", "GROUP", "g", "c", "STREAMS", "r1", "0"},
		{"ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.", "XREAD", "NOACK", "STREAMS", "r1", "0"},
		{ErrStreamInvalidID.Error(), "XREAD", "STREAMS", "r1", "-"},
		{ErrStreamInvalidID.Error(), "XREAD", "STREAMS", "r1", "x"},
		{ErrWrongType.Error(), "XREAD", "STREAMS", "str", "0"},
		{ErrWrongType.Error(), "XREAD", "STREAMS", "r1", "str", "0", "x"},
		{"ERR wrong number of arguments for 'xread' command", "XREAD", "STREAMS", "r1"},
	} {
		ts.expectErr(c[0].(string), c[1:]...)
	}
	if _, err := ts.XRead(stCtx, XReadArgs{Streams: []string{"r1"}, IDs: []string{"$"}}); !errors.Is(err, Nil) {
		t.Fatalf("XRead $: %v", err)
	}
	got, err = ts.XRead(stCtx, XReadArgs{Streams: []string{"r1", "r2"}, IDs: []string{"0", "0"}, Count: 1})
	if err != nil || len(got) != 2 || got[1].Stream != "r2" || stMsgIDs(got[0].Messages) != "1-1" {
		t.Fatalf("XRead: %+v %v", got, err)
	}
}

// ---- consumer groups ----

func TestStreamGroupLifecycle(t *testing.T) {
	ts := newTestStore(t)
	ts.expectErr(ErrXGroupKeyMissing.Error(), "XGROUP", "CREATE", "g1", "grp", "$")
	ts.expect(okValue, "XGROUP", "CREATE", "g1", "grp", "$", "MKSTREAM")
	ts.expectErr(ErrBusyGroup.Error(), "XGROUP", "CREATE", "g1", "grp", "$", "MKSTREAM")
	ts.expect(IntValue(0), "XLEN", "g1")
	ts.do("SET", "str", "v")
	for _, c := range [][]any{
		{ErrStreamInvalidID.Error(), "XGROUP", "CREATE", "g1", "x", "x"},
		{ErrStreamInvalidID.Error(), "XGROUP", "CREATE", "g1", "x", "-"},
		{"ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.", "XGROUP", "CREATE", "nokey", "g", "0", "foo"},
		{"ERR value for ENTRIESREAD must be positive or -1", "XGROUP", "CREATE", "g1", "x", "0", "ENTRIESREAD", "-2"},
		{"ERR value is not an integer or out of range", "XGROUP", "CREATE", "g1", "x", "0", "ENTRIESREAD", "x"},
		{ErrWrongType.Error(), "XGROUP", "CREATE", "str", "g", "0", "MKSTREAM"},
		{"ERR wrong number of arguments for 'xgroup|create' command", "XGROUP", "CREATE", "g1", "grp"},
		{"NOGROUP No such consumer group 'nog' for key name 'g1'", "XGROUP", "SETID", "g1", "nog", "0"},
		{ErrXGroupKeyMissing.Error(), "XGROUP", "SETID", "nokey", "grp", "0"},
		{"ERR unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP HELP.", "XGROUP", "SETID", "g1", "grp", "0", "MKSTREAM"},
		{ErrStreamInvalidID.Error(), "XGROUP", "SETID", "g1", "grp", "x"},
		{"NOGROUP No such consumer group 'nog' for key name 'g1'", "XGROUP", "CREATECONSUMER", "g1", "nog", "c"},
		{"NOGROUP No such consumer group 'nog' for key name 'g1'", "XGROUP", "DELCONSUMER", "g1", "nog", "c"},
		{ErrXGroupKeyMissing.Error(), "XGROUP", "DESTROY", "nokey", "grp"},
		{ErrWrongType.Error(), "XGROUP", "DESTROY", "str", "grp"},
		{"ERR unknown subcommand 'FOO'. Try XGROUP HELP.", "XGROUP", "FOO"},
		{"ERR wrong number of arguments for 'xgroup' command", "XGROUP"},
		{"ERR wrong number of arguments for 'xgroup|help' command", "XGROUP", "HELP", "x"},
	} {
		ts.expectErr(c[0].(string), c[1:]...)
	}
	ts.expect(okValue, "XGROUP", "SETID", "g1", "grp", "+")
	ts.expect(IntValue(1), "XGROUP", "CREATECONSUMER", "g1", "grp", "alice")
	ts.expect(IntValue(0), "XGROUP", "CREATECONSUMER", "g1", "grp", "alice")
	ts.expect(IntValue(0), "XGROUP", "DELCONSUMER", "g1", "grp", "alice")
	ts.expect(IntValue(0), "XGROUP", "DELCONSUMER", "g1", "grp", "alice")
	ts.expect(IntValue(1), "XGROUP", "DESTROY", "g1", "grp")
	ts.expect(IntValue(0), "XGROUP", "DESTROY", "g1", "grp")
	if v := ts.do("XGROUP", "HELP"); v.Len() != len(xgroupHelp) || v.elems[0].Str() != xgroupHelp[0] {
		t.Fatalf("XGROUP HELP: %s", v)
	}
	if v := ts.do("XINFO", "HELP"); v.Len() != len(xinfoHelp) {
		t.Fatalf("XINFO HELP: %s", v)
	}

	// Typed.
	er := int64(3)
	if err := ts.XGroupCreate(stCtx, "t", "g", "0", XGroupOptions{MkStream: true, EntriesRead: &er}); err != nil {
		t.Fatal(err)
	}
	if err := ts.XGroupCreate(stCtx, "t", "g", "0", XGroupOptions{}); !errors.Is(err, ErrBusyGroup) {
		t.Fatalf("busy: %v", err)
	}
	if err := ts.XGroupCreate(stCtx, "nokey", "g", "0", XGroupOptions{}); !errors.Is(err, ErrXGroupKeyMissing) {
		t.Fatalf("missing key: %v", err)
	}
	if gs, err := ts.XInfoGroups(stCtx, "t"); err != nil || len(gs) != 1 || gs[0].EntriesRead != 3 {
		t.Fatalf("XInfoGroups: %+v %v", gs, err)
	}
	if err := ts.XGroupSetID(stCtx, "t", "g", "$", XGroupOptions{}); err != nil {
		t.Fatal(err)
	}
	if gs, _ := ts.XInfoGroups(stCtx, "t"); gs[0].EntriesRead != -1 || gs[0].Lag != 0 {
		t.Fatalf("after SETID: %+v", gs)
	}
	if ok, err := ts.XGroupCreateConsumer(stCtx, "t", "g", "c"); !ok || err != nil {
		t.Fatalf("XGroupCreateConsumer: %v %v", ok, err)
	}
	if n, err := ts.XGroupDelConsumer(stCtx, "t", "g", "c"); n != 0 || err != nil {
		t.Fatalf("XGroupDelConsumer: %v %v", n, err)
	}
	if ok, err := ts.XGroupDestroy(stCtx, "t", "g"); !ok || err != nil {
		t.Fatalf("XGroupDestroy: %v %v", ok, err)
	}
	var e *Error
	if err := ts.XGroupSetID(stCtx, "t", "g", "0", XGroupOptions{}); !errors.As(err, &e) || e.Prefix() != "NOGROUP" {
		t.Fatalf("SETID missing group: %v", err)
	}
}

// TestStreamReadGroupBookkeeping follows PELs, delivery counts, idle times
// (ManualClock), last-delivered ID, entries-read and lag through a session.
func TestStreamReadGroupBookkeeping(t *testing.T) {
	ts := newTestStore(t)
	ts.stAdd("q", "1-1", "2-1", "3-1", "4-1")
	ts.expect(okValue, "XGROUP", "CREATE", "q", "g", "0")
	g := ts.stGroupInfo("q", "g")
	if !g["entries-read"].IsNull() || g["lag"].Int() != 4 {
		t.Fatalf("new group: %v", g)
	}
	got, err := ts.XReadGroup(stCtx, XReadGroupArgs{Group: "g", Consumer: "alice", Streams: []string{"q"}, IDs: []string{">"}, Count: 2})
	if err != nil || len(got) != 1 || stMsgIDs(got[0].Messages) != "1-1 2-1" {
		t.Fatalf("XReadGroup: %+v %v", got, err)
	}
	g = ts.stGroupInfo("q", "g")
	if g["entries-read"].Int() != 2 || g["lag"].Int() != 2 || g["last-delivered-id"].Str() != "2-1" || g["pending"].Int() != 2 {
		t.Fatalf("after read: %v", g)
	}
	ts.clk.Advance(100 * time.Millisecond)
	ts.do("XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "q", ">")
	ts.clk.Advance(50 * time.Millisecond)

	sum, err := ts.XPending(stCtx, "q", "g")
	if err != nil || sum.Count != 3 || sum.Lowest != "1-1" || sum.Highest != "3-1" ||
		len(sum.Consumers) != 2 || sum.Consumers[0] != (XPendingConsumer{"alice", 2}) || sum.Consumers[1] != (XPendingConsumer{"bob", 1}) {
		t.Fatalf("XPending: %+v %v", sum, err)
	}
	ts.expect(ArrayValue(IntValue(3), BulkValue("1-1"), BulkValue("3-1"),
		ArrayValue(ArrayValue(BulkValue("alice"), BulkValue("2")), ArrayValue(BulkValue("bob"), BulkValue("1")))), "XPENDING", "q", "g")
	pe := func(id, c string, idle, n int64) Value {
		return ArrayValue(BulkValue(id), BulkValue(c), IntValue(idle), IntValue(n))
	}
	ts.expect(ArrayValue(pe("1-1", "alice", 150, 1), pe("2-1", "alice", 150, 1), pe("3-1", "bob", 50, 1)), "XPENDING", "q", "g", "-", "+", "10")
	ts.expect(ArrayValue(pe("1-1", "alice", 150, 1), pe("2-1", "alice", 150, 1)), "XPENDING", "q", "g", "IDLE", "100", "-", "+", "10")
	ts.expect(ArrayValue(pe("2-1", "alice", 150, 1)), "XPENDING", "q", "g", "(1-1", "+", "10", "alice")
	ts.expect(ArrayValue(), "XPENDING", "q", "g", "-", "+", "10", "nobody")
	ts.expect(ArrayValue(), "XPENDING", "q", "g", "-", "+", "0")
	ents, err := ts.XPendingExt(stCtx, XPendingArgs{Stream: "q", Group: "g", Start: "-", End: "+", Count: 10, MinIdle: 100 * time.Millisecond})
	if err != nil || len(ents) != 2 || ents[0].Idle != 150*time.Millisecond || ents[0].Consumer != "alice" || ents[0].Deliveries != 1 {
		t.Fatalf("XPendingExt: %+v %v", ents, err)
	}
	cons, err := ts.XInfoConsumers(stCtx, "q", "g")
	if err != nil || len(cons) != 2 || cons[0].Idle != 150*time.Millisecond || cons[1].Idle != 50*time.Millisecond || cons[0].Pending != 2 {
		t.Fatalf("XInfoConsumers: %+v %v", cons, err)
	}

	// History: re-reading counts a delivery and resets the idle time.
	ts.expect(MapValue(BulkValue("q"), stEntries(stEntry("2-1", "f", "v1"))), "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "q", "1-1")
	ts.expect(ArrayValue(pe("1-1", "alice", 150, 1), pe("2-1", "alice", 0, 2)), "XPENDING", "q", "g", "-", "+", "10", "alice")
	// An unknown consumer's history is empty but creates it.
	ts.expect(MapValue(BulkValue("q"), ArrayValue()), "XREADGROUP", "GROUP", "g", "carol", "STREAMS", "q", "0")
	if n := len(ts.do("XINFO", "CONSUMERS", "q", "g").Elems()); n != 3 {
		t.Fatalf("consumers after carol: %d", n)
	}
	// Nothing new: nil, and no consumer created.
	ts.do("XREADGROUP", "GROUP", "g", "dave", "STREAMS", "q", ">")
	ts.do("XREADGROUP", "GROUP", "g", "dave", "STREAMS", "q", ">")
	if n := len(ts.do("XINFO", "CONSUMERS", "q", "g").Elems()); n != 4 {
		// dave read 4-1 on the first call.
		t.Fatalf("consumers after dave: %d", n)
	}
	ts.expect(nullArrayValue, "XREADGROUP", "GROUP", "g", "erin", "STREAMS", "q", ">")
	if n := len(ts.do("XINFO", "CONSUMERS", "q", "g").Elems()); n != 4 {
		t.Fatalf("erin created without a delivery")
	}

	// XACK.
	ts.expect(IntValue(1), "XACK", "q", "g", "1-1")
	ts.expect(IntValue(0), "XACK", "q", "g", "1-1")
	ts.expect(IntValue(2), "XACK", "q", "g", "2-1", "3-1", "9-9")
	ts.expectErr(ErrStreamInvalidID.Error(), "XACK", "q", "g", "4-1", "x")
	ts.expect(IntValue(0), "XACK", "q", "nog", "x")
	ts.expect(IntValue(0), "XACK", "nokey", "g", "x")
	if n, err := ts.XAck(stCtx, "q", "g", "4-1"); n != 1 || err != nil {
		t.Fatalf("XAck: %d %v", n, err)
	}
	ts.expect(ArrayValue(IntValue(0), nullValue, nullValue, nullArrayValue), "XPENDING", "q", "g")

	// NOACK delivers without pending.
	ts.stAdd("q", "5-1")
	ts.expect(MapValue(BulkValue("q"), stEntries(stEntry("5-1", "f", "v0"))), "XREADGROUP", "GROUP", "g", "alice", "NOACK", "STREAMS", "q", ">")
	if n := ts.do("XPENDING", "q", "g").elems[0].Int(); n != 0 {
		t.Fatalf("NOACK left %d pending", n)
	}
	g = ts.stGroupInfo("q", "g")
	if g["entries-read"].Int() != 5 || g["lag"].Int() != 0 {
		t.Fatalf("after NOACK: %v", g)
	}

	// A deleted pending entry shows as [id, nil] in the history.
	ts.stAdd("q", "6-1")
	ts.do("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "q", ">")
	ts.do("XDEL", "q", "6-1")
	ts.expect(MapValue(BulkValue("q"), ArrayValue(ArrayValue(BulkValue("6-1"), nullArrayValue))), "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "q", "0")
	got, _ = ts.XReadGroup(stCtx, XReadGroupArgs{Group: "g", Consumer: "alice", Streams: []string{"q"}, IDs: []string{"0"}})
	if len(got) != 1 || len(got[0].Messages) != 1 || !got[0].Messages[0].Deleted {
		t.Fatalf("deleted history entry: %+v", got)
	}
	// Its delivery count did not grow.
	ts.expect(ArrayValue(pe("6-1", "alice", 0, 1)), "XPENDING", "q", "g", "-", "+", "10")

	ts.do("SET", "str", "v")
	for _, c := range [][]any{
		{"NOGROUP No such key 'q' or consumer group 'nog' in XREADGROUP with GROUP option", "XREADGROUP", "GROUP", "nog", "c", "STREAMS", "q", ">"},
		{"NOGROUP No such key 'nokey' or consumer group 'g' in XREADGROUP with GROUP option", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "nokey", ">"},
		{ErrWrongType.Error(), "XREADGROUP", "GROUP", "g", "c", "STREAMS", "str", ">"},
		{"ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "q", "$"},
		{"ERR syntax error", "XREADGROUP", "COUNT", "1", "a", "b", "STREAMS", "q", ">"},
		{"ERR Missing GROUP option for XREADGROUP", "XREADGROUP", "COUNT", "1", "NOACK", "STREAMS", "q", ">"},
		{"ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "q", "q", ">"},
		{ErrStreamInvalidID.Error(), "XREADGROUP", "GROUP", "g", "c", "STREAMS", "q", "x"},
		{"ERR wrong number of arguments for 'xreadgroup' command", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "q"},
		{"ERR syntax error", "XPENDING", "q", "g", "-", "+"},
		{"ERR syntax error", "XPENDING", "q", "g", "IDLE", "5", "-", "+"},
		{"ERR value is not an integer or out of range", "XPENDING", "q", "g", "IDLE", "x", "-", "+", "10"},
		{"ERR value is not an integer or out of range", "XPENDING", "q", "g", "-", "+", "x"},
		{ErrStreamInvalidID.Error(), "XPENDING", "q", "g", "x", "+", "10"},
		{"ERR invalid start ID for the interval", "XPENDING", "q", "g", "(18446744073709551615-18446744073709551615", "+", "10"},
		{"NOGROUP No such key 'q' or consumer group 'nog'", "XPENDING", "q", "nog"},
		{"NOGROUP No such key 'nokey' or consumer group 'g'", "XPENDING", "nokey", "g"},
		{ErrWrongType.Error(), "XPENDING", "str", "g"},
		{ErrWrongType.Error(), "XACK", "str", "g", "1-1"},
	} {
		ts.expectErr(c[0].(string), c[1:]...)
	}
	if _, err := ts.XReadGroup(stCtx, XReadGroupArgs{Group: "nog", Consumer: "c", Streams: []string{"q"}, IDs: []string{">"}}); err == nil {
		t.Fatal("XReadGroup on a missing group succeeded")
	}
}

// TestStreamLag checks entries-read and lag through deletions, trims,
// SETID and ENTRIESREAD (expected values from redis-server 7.0.15).
func TestStreamLag(t *testing.T) {
	ts := newTestStore(t)
	lag := func(group string) (string, string) {
		g := ts.stGroupInfo("l", group)
		return g["entries-read"].String(), g["lag"].String()
	}
	check := func(group, er, lg string) {
		t.Helper()
		if a, b := lag(group); a != er || b != lg {
			t.Fatalf("group %s: entries-read %s lag %s, want %s %s", group, a, b, er, lg)
		}
	}
	ts.do("XGROUP", "CREATE", "l", "g", "$", "MKSTREAM")
	check("g", "(nil)", "(integer) 0")
	ts.stAdd("l", "1-1", "2-1", "3-1", "4-1", "5-1")
	check("g", "(nil)", "(integer) 5")
	ts.do("XGROUP", "CREATE", "l", "g2", "$")
	ts.do("XGROUP", "CREATE", "l", "g3", "2-1")
	ts.do("XGROUP", "CREATE", "l", "g5", "0", "ENTRIESREAD", "3")
	ts.do("XGROUP", "CREATE", "l", "g6", "9-9")
	check("g2", "(nil)", "(integer) 0")
	check("g3", "(nil)", "(nil)")
	check("g5", "(integer) 3", "(integer) 2")
	check("g6", "(nil)", "(nil)")
	ts.do("XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "l", ">")
	check("g", "(integer) 2", "(integer) 3")
	ts.do("XDEL", "l", "4-1")
	check("g", "(integer) 2", "(nil)")
	ts.do("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "l", ">")
	check("g", "(nil)", "(nil)")
	ts.do("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "l", ">")
	check("g", "(integer) 5", "(integer) 0")
	ts.do("XREADGROUP", "GROUP", "g3", "c", "COUNT", "1", "STREAMS", "l", ">")
	check("g3", "(nil)", "(nil)")
	ts.do("XTRIM", "l", "MAXLEN", "1")
	check("g3", "(nil)", "(integer) 1")
	ts.stAdd("l", "6-1")
	ts.do("XGROUP", "SETID", "l", "g3", "0", "ENTRIESREAD", "0")
	check("g3", "(integer) 0", "(integer) 6")
}

// TestStreamClaim covers XCLAIM's options with the manual clock.
func TestStreamClaim(t *testing.T) {
	ts := newTestStore(t)
	ts.stAdd("c", "1-1", "2-1", "3-1", "4-1")
	ts.do("XGROUP", "CREATE", "c", "g", "0")
	ts.do("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "c", ">")
	ts.clk.Advance(time.Second)
	pe := func(id, c string, idle, n int64) Value {
		return ArrayValue(BulkValue(id), BulkValue(c), IntValue(idle), IntValue(n))
	}
	// Not idle long enough: nothing claimed, no consumer created.
	ts.expect(ArrayValue(), "XCLAIM", "c", "g", "bob", "2000", "1-1")
	if n := len(ts.do("XINFO", "CONSUMERS", "c", "g").Elems()); n != 1 {
		t.Fatalf("consumers: %d", n)
	}
	ts.expect(stEntries(stEntry("1-1", "f", "v0")), "XCLAIM", "c", "g", "bob", "1000", "1-1")
	ts.expect(ArrayValue(pe("1-1", "bob", 0, 2)), "XPENDING", "c", "g", "-", "+", "1")
	ts.expect(bulkStrings([]string{"2-1"}), "XCLAIM", "c", "g", "bob", "0", "2-1", "JUSTID", "IDLE", "500")
	ts.expect(ArrayValue(pe("2-1", "bob", 500, 1)), "XPENDING", "c", "g", "2-1", "2-1", "1")
	ts.expect(bulkStrings([]string{"3-1"}), "XCLAIM", "c", "g", "carol", "0", "3-1", "RETRYCOUNT", "7", "JUSTID", "TIME", strconv.FormatInt(ts.clk.Now().UnixMilli()-40, 10))
	ts.expect(ArrayValue(pe("3-1", "carol", 40, 7)), "XPENDING", "c", "g", "3-1", "3-1", "1")
	// A TIME in the future means now.
	ts.do("XCLAIM", "c", "g", "carol", "0", "3-1", "TIME", strconv.FormatInt(ts.clk.Now().UnixMilli()+5000, 10))
	ts.expect(ArrayValue(pe("3-1", "carol", 0, 8)), "XPENDING", "c", "g", "3-1", "3-1", "1")
	// FORCE creates pending entries for existing entries only.
	ts.do("XACK", "c", "g", "4-1")
	ts.expect(ArrayValue(), "XCLAIM", "c", "g", "carol", "0", "4-1")
	ts.expect(ArrayValue(), "XCLAIM", "c", "g", "carol", "0", "9-9", "FORCE")
	ts.expect(bulkStrings([]string{"4-1"}), "XCLAIM", "c", "g", "carol", "0", "4-1", "FORCE", "JUSTID")
	ts.expect(ArrayValue(pe("4-1", "carol", 0, 0)), "XPENDING", "c", "g", "4-1", "4-1", "1")
	// A deleted entry is dropped from the PEL.
	ts.do("XDEL", "c", "2-1")
	ts.expect(ArrayValue(), "XCLAIM", "c", "g", "carol", "0", "2-1")
	if n := ts.do("XPENDING", "c", "g").elems[0].Int(); n != 3 {
		t.Fatalf("pending after deleted claim: %d", n)
	}
	// LASTID moves the group's last ID forward only.
	ts.do("XCLAIM", "c", "g", "carol", "0", "1-1", "LASTID", "8-8")
	ts.do("XCLAIM", "c", "g", "carol", "0", "1-1", "LASTID", "2-2")
	if id := ts.stGroupInfo("c", "g")["last-delivered-id"].Str(); id != "8-8" {
		t.Fatalf("last-delivered-id %s", id)
	}
	ts.do("SET", "str", "v")
	for _, c := range [][]any{
		{"ERR Invalid IDLE option argument for XCLAIM", "XCLAIM", "c", "g", "x", "0", "1-1", "IDLE", "x"},
		{"ERR Invalid TIME option argument for XCLAIM", "XCLAIM", "c", "g", "x", "0", "1-1", "TIME", "x"},
		{"ERR Invalid RETRYCOUNT option argument for XCLAIM", "XCLAIM", "c", "g", "x", "0", "1-1", "RETRYCOUNT", "x"},
		{ErrStreamInvalidID.Error(), "XCLAIM", "c", "g", "x", "0", "1-1", "LASTID", "x"},
		{"ERR Unrecognized XCLAIM option 'FOO'", "XCLAIM", "c", "g", "x", "0", "1-1", "FOO"},
		{"ERR Unrecognized XCLAIM option 'IDLE'", "XCLAIM", "c", "g", "x", "0", "1-1", "IDLE"},
		{"ERR Unrecognized XCLAIM option 'x'", "XCLAIM", "c", "g", "x", "0", "x"},
		{"ERR Invalid min-idle-time argument for XCLAIM", "XCLAIM", "c", "g", "x", "x", "1-1"},
		{"NOGROUP No such key 'c' or consumer group 'nog'", "XCLAIM", "c", "nog", "x", "0", "1-1"},
		{"NOGROUP No such key 'nokey' or consumer group 'g'", "XCLAIM", "nokey", "g", "x", "x", "1-1"},
		{ErrWrongType.Error(), "XCLAIM", "str", "g", "x", "0", "1-1"},
		{"ERR wrong number of arguments for 'xclaim' command", "XCLAIM", "c", "g", "x", "0"},
	} {
		ts.expectErr(c[0].(string), c[1:]...)
	}

	// Typed.
	rc := int64(3)
	ms, err := ts.XClaim(stCtx, XClaimArgs{Stream: "c", Group: "g", Consumer: "dan", IDs: []string{"1-1", "3-1"}, RetryCount: &rc})
	if err != nil || stMsgIDs(ms) != "1-1 3-1" {
		t.Fatalf("XClaim: %v %v", stMsgIDs(ms), err)
	}
	ids, err := ts.XClaimJustID(stCtx, XClaimArgs{Stream: "c", Group: "g", Consumer: "eve", IDs: []string{"1-1"}, Idle: time.Minute, Force: true, LastID: "9-9"})
	if err != nil || len(ids) != 1 {
		t.Fatalf("XClaimJustID: %v %v", ids, err)
	}
	ents, _ := ts.XPendingExt(stCtx, XPendingArgs{Stream: "c", Group: "g", Start: "-", End: "+", Count: 10, Consumer: "dan"})
	if len(ents) != 1 || ents[0].ID != "3-1" || ents[0].Deliveries != 3 {
		t.Fatalf("dan's pending: %+v", ents)
	}
}

// TestStreamAutoClaim covers XAUTOCLAIM's cursor, COUNT and deleted IDs.
func TestStreamAutoClaim(t *testing.T) {
	ts := newTestStore(t)
	ts.stAdd("a", "1-1", "2-1", "3-1", "4-1", "5-1")
	ts.do("XGROUP", "CREATE", "a", "g", "0")
	ts.do("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "a", ">")
	ts.clk.Advance(time.Minute)
	ts.expect(ArrayValue(BulkValue("3-1"), stEntries(stEntry("1-1", "f", "v0"), stEntry("2-1", "f", "v1")), ArrayValue()),
		"XAUTOCLAIM", "a", "g", "bob", "60000", "0", "COUNT", "2")
	ts.expect(ArrayValue(BulkValue("5-1"), bulkStrings([]string{"3-1", "4-1"}), ArrayValue()),
		"XAUTOCLAIM", "a", "g", "bob", "0", "3-1", "COUNT", "2", "JUSTID")
	ts.expect(ArrayValue(BulkValue("0-0"), stEntries(stEntry("5-1", "f", "v4")), ArrayValue()), "XAUTOCLAIM", "a", "g", "bob", "1000", "(4-1")
	ts.do("XDEL", "a", "2-1", "4-1")
	// Deleted entries are dropped, reported, and count against COUNT.
	ts.expect(ArrayValue(BulkValue("2-1"), stEntries(stEntry("1-1", "f", "v0")), ArrayValue()),
		"XAUTOCLAIM", "a", "g", "carol", "0", "0", "COUNT", "1")
	claimed, next, deleted, err := ts.XAutoClaim(stCtx, XAutoClaimArgs{Stream: "a", Group: "g", Consumer: "carol", Start: "2-1", Count: 10})
	if err != nil || stMsgIDs(claimed) != "3-1 5-1" || next != "0-0" || strings.Join(deleted, " ") != "2-1 4-1" {
		t.Fatalf("XAutoClaim: %v %q %v %v", stMsgIDs(claimed), next, deleted, err)
	}
	ids, next, _, err := ts.XAutoClaimJustID(stCtx, XAutoClaimArgs{Stream: "a", Group: "g", Consumer: "dan"})
	if err != nil || strings.Join(ids, " ") != "1-1 3-1 5-1" || next != "0-0" {
		t.Fatalf("XAutoClaimJustID: %v %q %v", ids, next, err)
	}
	// Attempts: COUNT*10 entries examined at most, the cursor continues.
	for i := 10; i < 40; i++ {
		ts.do("XADD", "a", fmt.Sprintf("%d-1", i), "f", "v")
	}
	ts.do("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "a", ">")
	v := ts.do("XAUTOCLAIM", "a", "g", "bob", "1000", "0", "COUNT", "1")
	if v.elems[0].Str() != "17-1" || v.elems[1].Len() != 0 { // 1-1 3-1 5-1 10-1 ... 16-1 examined
		t.Fatalf("attempt-limited XAUTOCLAIM: %s", v)
	}
	ts.do("SET", "str", "v")
	for _, c := range [][]any{
		{"ERR COUNT must be > 0", "XAUTOCLAIM", "a", "g", "c", "0", "0", "COUNT", "0"},
		{"ERR COUNT must be > 0", "XAUTOCLAIM", "a", "g", "c", "0", "0", "COUNT", "x"},
		{"ERR COUNT must be > 0", "XAUTOCLAIM", "a", "g", "c", "0", "0", "COUNT", "576460752303423488"},
		{"ERR Insufficient memory, failed allocating transient memory, COUNT too high.", "XAUTOCLAIM", "a", "g", "c", "0", "0", "COUNT", "576460752303423487"},
		{"ERR syntax error", "XAUTOCLAIM", "a", "g", "c", "0", "0", "COUNT"},
		{"ERR syntax error", "XAUTOCLAIM", "a", "g", "c", "0", "0", "FOO"},
		{"ERR Invalid min-idle-time argument for XAUTOCLAIM", "XAUTOCLAIM", "nokey", "g", "c", "x", "0"},
		{ErrStreamInvalidID.Error(), "XAUTOCLAIM", "a", "g", "c", "0", "x"},
		{"ERR invalid start ID for the interval", "XAUTOCLAIM", "a", "g", "c", "0", "(18446744073709551615-18446744073709551615"},
		{"NOGROUP No such key 'a' or consumer group 'nog'", "XAUTOCLAIM", "a", "nog", "c", "0", "0"},
		{"NOGROUP No such key 'nokey' or consumer group 'g'", "XAUTOCLAIM", "nokey", "g", "c", "0", "0"},
		{ErrWrongType.Error(), "XAUTOCLAIM", "str", "g", "c", "0", "0"},
		{"ERR wrong number of arguments for 'xautoclaim' command", "XAUTOCLAIM", "a", "g", "c", "0"},
	} {
		ts.expectErr(c[0].(string), c[1:]...)
	}
}

func TestStreamSetID(t *testing.T) {
	ts := newTestStore(t)
	ts.stAdd("x", "1-1", "2-1")
	ts.expect(okValue, "XSETID", "x", "5-0")
	ts.expectErr("ERR The ID specified in XSETID is smaller than the target stream top item", "XSETID", "x", "1-0")
	ts.expect(okValue, "XSETID", "x", "2-1")
	ts.expectErr(ErrStreamIDTooSmall.Error(), "XADD", "x", "2-1", "a", "b")
	ts.expect(okValue, "XSETID", "x", "10-0", "ENTRIESADDED", "10", "MAXDELETEDID", "3-0")
	info := ts.stInfo("x")
	if info["last-generated-id"].Str() != "10-0" || info["entries-added"].Int() != 10 || info["max-deleted-entry-id"].Str() != "3-0" {
		t.Fatalf("XSETID: %v", info)
	}
	ts.do("SET", "str", "v")
	for _, c := range [][]any{
		{"ERR The entries_added specified in XSETID is smaller than the target stream length", "XSETID", "x", "10-0", "ENTRIESADDED", "1"},
		{"ERR entries_added must be positive", "XSETID", "x", "10-0", "ENTRIESADDED", "-1"},
		{"ERR value is not an integer or out of range", "XSETID", "x", "10-0", "ENTRIESADDED", "x"},
		{"ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id", "XSETID", "x", "10-0", "MAXDELETEDID", "11-0"},
		{ErrStreamInvalidID.Error(), "XSETID", "x", "10-0", "MAXDELETEDID", "x"},
		{"ERR syntax error", "XSETID", "x", "10-0", "FOO"},
		{ErrStreamInvalidID.Error(), "XSETID", "x", "-"},
		{ErrStreamInvalidID.Error(), "XSETID", "nokey", "x"},
		{"ERR no such key", "XSETID", "nokey", "1-1"},
		{ErrWrongType.Error(), "XSETID", "str", "1-1"},
		{"ERR wrong number of arguments for 'xsetid' command", "XSETID", "x"},
	} {
		ts.expectErr(c[0].(string), c[1:]...)
	}
	// An empty stream accepts any ID, even below its max deleted ID.
	ts.do("XDEL", "x", "1-1", "2-1")
	ts.expect(okValue, "XSETID", "x", "0-5")
	ea := int64(0)
	if err := ts.XSetID(stCtx, "x", "0-6", XSetIDOptions{EntriesAdded: &ea, MaxDeletedID: "0-1"}); err != nil {
		t.Fatal(err)
	}
	if err := ts.XSetID(stCtx, "nokey", "1-1", XSetIDOptions{}); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("XSetID missing: %v", err)
	}
}

func TestStreamInfo(t *testing.T) {
	ts := newTestStore(t)
	ts.stAdd("i", "1-1", "2-1", "3-1")
	ts.do("XGROUP", "CREATE", "i", "g1", "0")
	ts.do("XGROUP", "CREATE", "i", "g0", "$")
	ts.do("XREADGROUP", "GROUP", "g1", "c2", "COUNT", "1", "STREAMS", "i", ">")
	ts.clk.Advance(time.Second)
	ts.do("XREADGROUP", "GROUP", "g1", "c1", "STREAMS", "i", ">")
	now := ts.clk.Now().UnixMilli()
	info, err := ts.XInfoStream(stCtx, "i")
	if err != nil || info.Length != 3 || info.RadixTreeKeys != 1 || info.RadixTreeNodes != 2 || info.LastGeneratedID != "3-1" ||
		info.EntriesAdded != 3 || info.RecordedFirstEntryID != "1-1" || info.Groups != 2 || info.FirstEntry.ID != "1-1" || info.LastEntry.ID != "3-1" {
		t.Fatalf("XInfoStream: %+v %v", info, err)
	}
	gs, _ := ts.XInfoGroups(stCtx, "i")
	if len(gs) != 2 || gs[0].Name != "g0" || gs[1].Consumers != 2 || gs[1].Pending != 3 || gs[1].Lag != 0 || gs[1].EntriesRead != 3 {
		t.Fatalf("XInfoGroups: %+v", gs)
	}
	full := ts.do("XINFO", "STREAM", "i", "FULL", "COUNT", "2")
	want := MapValue(
		BulkValue("length"), IntValue(3), BulkValue("radix-tree-keys"), IntValue(1), BulkValue("radix-tree-nodes"), IntValue(2),
		BulkValue("last-generated-id"), BulkValue("3-1"), BulkValue("max-deleted-entry-id"), BulkValue("0-0"),
		BulkValue("entries-added"), IntValue(3), BulkValue("recorded-first-entry-id"), BulkValue("1-1"),
		BulkValue("entries"), stEntries(stEntry("1-1", "f", "v0"), stEntry("2-1", "f", "v1")),
		BulkValue("groups"), ArrayValue(
			MapValue(BulkValue("name"), BulkValue("g0"), BulkValue("last-delivered-id"), BulkValue("3-1"),
				BulkValue("entries-read"), nullValue, BulkValue("lag"), IntValue(0), BulkValue("pel-count"), IntValue(0),
				BulkValue("pending"), ArrayValue(), BulkValue("consumers"), ArrayValue()),
			MapValue(BulkValue("name"), BulkValue("g1"), BulkValue("last-delivered-id"), BulkValue("3-1"),
				BulkValue("entries-read"), IntValue(3), BulkValue("lag"), IntValue(0), BulkValue("pel-count"), IntValue(3),
				BulkValue("pending"), ArrayValue(
					ArrayValue(BulkValue("1-1"), BulkValue("c2"), IntValue(now-1000), IntValue(1)),
					ArrayValue(BulkValue("2-1"), BulkValue("c1"), IntValue(now), IntValue(1))),
				BulkValue("consumers"), ArrayValue(
					MapValue(BulkValue("name"), BulkValue("c1"), BulkValue("seen-time"), IntValue(now), BulkValue("pel-count"), IntValue(2),
						BulkValue("pending"), ArrayValue(
							ArrayValue(BulkValue("2-1"), IntValue(now), IntValue(1)),
							ArrayValue(BulkValue("3-1"), IntValue(now), IntValue(1)))),
					MapValue(BulkValue("name"), BulkValue("c2"), BulkValue("seen-time"), IntValue(now-1000), BulkValue("pel-count"), IntValue(1),
						BulkValue("pending"), ArrayValue(
							ArrayValue(BulkValue("1-1"), IntValue(now-1000), IntValue(1)))))),
		))
	if !valuesEqual(full, want) {
		t.Fatalf("XINFO STREAM FULL:\n got %s\nwant %s", full, want)
	}
	fr, err := ts.XInfoStreamFull(stCtx, "i", 1)
	if err != nil || fr.Length != 3 || len(fr.Entries) != 1 || len(fr.Groups) != 2 || fr.Groups[0].EntriesRead != -1 ||
		fr.Groups[1].PelCount != 3 || len(fr.Groups[1].Pending) != 1 || fr.Groups[1].Pending[0].Consumer != "c2" ||
		!fr.Groups[1].Pending[0].DeliveryTime.Equal(time.UnixMilli(now-1000)) || len(fr.Groups[1].Consumers) != 2 ||
		fr.Groups[1].Consumers[0].Name != "c1" || len(fr.Groups[1].Consumers[0].Pending) != 1 || fr.Groups[1].Consumers[0].Pending[0].ID != "2-1" ||
		!fr.Groups[1].Consumers[1].SeenTime.Equal(time.UnixMilli(now-1000)) {
		t.Fatalf("XInfoStreamFull: %+v %v", fr, err)
	}
	if n := len(ts.do("XINFO", "STREAM", "i", "FULL", "COUNT", "0").elems[15].elems); n != 3 {
		t.Fatalf("FULL COUNT 0 entries: %d", n)
	}
	ts.do("XGROUP", "CREATE", "e", "g", "$", "MKSTREAM")
	ts.expect(MapValue(
		BulkValue("length"), IntValue(0), BulkValue("radix-tree-keys"), IntValue(0), BulkValue("radix-tree-nodes"), IntValue(1),
		BulkValue("last-generated-id"), BulkValue("0-0"), BulkValue("max-deleted-entry-id"), BulkValue("0-0"),
		BulkValue("entries-added"), IntValue(0), BulkValue("recorded-first-entry-id"), BulkValue("0-0"),
		BulkValue("groups"), IntValue(1), BulkValue("first-entry"), nullValue, BulkValue("last-entry"), nullValue), "XINFO", "STREAM", "e")
	ts.do("SET", "str", "v")
	for _, c := range [][]any{
		{"ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.", "XINFO", "STREAM", "i", "foo"},
		{"ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.", "XINFO", "STREAM", "i", "FULL", "COUNT"},
		{"ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.", "XINFO", "STREAM", "i", "FULL", "foo", "1"},
		{"ERR value is not an integer or out of range", "XINFO", "STREAM", "i", "FULL", "COUNT", "x"},
		{"ERR no such key", "XINFO", "STREAM", "nokey", "foo"},
		{"ERR no such key", "XINFO", "GROUPS", "nokey"},
		{"ERR no such key", "XINFO", "CONSUMERS", "nokey", "g"},
		{"NOGROUP No such consumer group 'nog' for key name 'i'", "XINFO", "CONSUMERS", "i", "nog"},
		{ErrWrongType.Error(), "XINFO", "STREAM", "str"},
		{ErrWrongType.Error(), "XINFO", "GROUPS", "str"},
		{"ERR unknown subcommand 'FOO'. Try XINFO HELP.", "XINFO", "FOO"},
		{"ERR wrong number of arguments for 'xinfo|stream' command", "XINFO", "STREAM"},
		{"ERR wrong number of arguments for 'xinfo|groups' command", "XINFO", "GROUPS", "i", "x"},
	} {
		ts.expectErr(c[0].(string), c[1:]...)
	}
	if _, err := ts.XInfoStream(stCtx, "nokey"); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("XInfoStream missing: %v", err)
	}
}

// TestStreamCopy checks that COPY deep-copies entries, groups and PELs.
func TestStreamCopy(t *testing.T) {
	ts := newTestStore(t)
	ts.stAdd("cp", "1-1", "2-1")
	ts.do("XGROUP", "CREATE", "cp", "g", "0")
	ts.do("XREADGROUP", "GROUP", "g", "c", "STREAMS", "cp", ">")
	ts.expect(IntValue(1), "COPY", "cp", "cp2")
	ts.expect(IntValue(1), "XACK", "cp2", "g", "1-1")
	ts.expect(IntValue(1), "XDEL", "cp2", "2-1")
	ts.do("XADD", "cp2", "3-1", "a", "b")
	if n := ts.do("XPENDING", "cp", "g").elems[0].Int(); n != 2 {
		t.Fatalf("source PEL changed: %d", n)
	}
	ts.expect(IntValue(2), "XLEN", "cp")
	ts.expect(IntValue(2), "XLEN", "cp2")
	ts.expect(BulkValue("stream"), "OBJECT", "ENCODING", "cp2")
}

// TestStreamInvariantCheck checks that checkInvariants notices broken
// bookkeeping.
func TestStreamInvariantCheck(t *testing.T) {
	s := newStream()
	s.add([]string{"f", "v"}, &streamID{Ms: 1, Seq: 1}, true, 0)
	s.add([]string{"f", "v"}, &streamID{Ms: 2, Seq: 1}, true, 0)
	g := s.createGroup("g", streamID{}, entriesReadInvalid)
	c := g.consumer("c", true, true, 0)
	g.deliver(c, streamID{Ms: 1, Seq: 1}, 0)
	if err := s.checkInvariants(); err != nil {
		t.Fatalf("healthy stream: %v", err)
	}
	c.pel.Delete(nackProbe(streamID{Ms: 1, Seq: 1}))
	if err := s.checkInvariants(); err == nil {
		t.Fatal("PEL mismatch not noticed")
	}
	s2 := newStream()
	s2.add([]string{"f", "v"}, &streamID{Ms: 1, Seq: 1}, true, 0)
	s2.first = streamID{Ms: 9}
	if err := s2.checkInvariants(); err == nil {
		t.Fatal("wrong first ID not noticed")
	}
	s3 := newStream()
	s3.add([]string{"f", "v"}, &streamID{Ms: 1, Seq: 1}, true, 0)
	nd, _ := s3.nodes.Min()
	nd.live = 5
	if err := s3.checkInvariants(); err == nil {
		t.Fatal("node count mismatch not noticed")
	}
}

// ---- concurrency ----

// TestStreamConsumersConcurrent runs several consumers of one group in
// goroutines: every entry is delivered and acknowledged exactly once. A
// consumer that "dies" (reads and never acknowledges) leaves its entries
// pending, and they become claimable with XAUTOCLAIM once idle.
func TestStreamConsumersConcurrent(t *testing.T) {
	ts := newTestStore(t)
	const n = 300
	if err := ts.XGroupCreate(stCtx, "jobs", "workers", "0", XGroupOptions{MkStream: true}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if _, err := ts.XAdd(stCtx, XAddArgs{Stream: "jobs", ID: fmt.Sprintf("%d-1", i+1), Fields: stFields("job", strconv.Itoa(i))}); err != nil {
			t.Fatal(err)
		}
	}
	// The dead consumer takes 7 entries and never acknowledges them.
	dead, err := ts.XReadGroup(stCtx, XReadGroupArgs{Group: "workers", Consumer: "dead", Streams: []string{"jobs"}, IDs: []string{">"}, Count: 7})
	if err != nil || len(dead[0].Messages) != 7 {
		t.Fatalf("dead consumer read: %v", err)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			for {
				got, err := ts.XReadGroup(stCtx, XReadGroupArgs{Group: "workers", Consumer: name, Streams: []string{"jobs"}, IDs: []string{">"}, Count: 5})
				if errors.Is(err, Nil) {
					return
				}
				if err != nil {
					errs <- err
					return
				}
				for _, m := range got[0].Messages {
					mu.Lock()
					seen[m.ID]++
					mu.Unlock()
					if n, err := ts.XAck(stCtx, "jobs", "workers", m.ID); err != nil || n != 1 {
						errs <- fmt.Errorf("XAck %s: %d %v", m.ID, n, err)
						return
					}
				}
			}
		}(fmt.Sprintf("w%d", w))
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != n-7 {
		t.Fatalf("workers saw %d entries, want %d", len(seen), n-7)
	}
	for id, k := range seen {
		if k != 1 {
			t.Fatalf("entry %s delivered %d times", id, k)
		}
	}
	sum, _ := ts.XPending(stCtx, "jobs", "workers")
	if sum.Count != 7 || len(sum.Consumers) != 1 || sum.Consumers[0].Name != "dead" {
		t.Fatalf("pending after workers: %+v", sum)
	}
	// Not idle long enough yet.
	claimed, _, _, _ := ts.XAutoClaim(stCtx, XAutoClaimArgs{Stream: "jobs", Group: "workers", Consumer: "rescuer", MinIdle: time.Minute})
	if len(claimed) != 0 {
		t.Fatalf("claimed %d entries too early", len(claimed))
	}
	ts.clk.Advance(time.Minute)
	claimed, next, _, err := ts.XAutoClaim(stCtx, XAutoClaimArgs{Stream: "jobs", Group: "workers", Consumer: "rescuer", MinIdle: time.Minute})
	if err != nil || len(claimed) != 7 || next != "0-0" {
		t.Fatalf("XAutoClaim: %d %q %v", len(claimed), next, err)
	}
	for _, m := range claimed {
		if seen[m.ID] != 0 {
			t.Fatalf("entry %s both acknowledged and claimed", m.ID)
		}
		ts.XAck(stCtx, "jobs", "workers", m.ID)
	}
	if sum, _ := ts.XPending(stCtx, "jobs", "workers"); sum.Count != 0 {
		t.Fatalf("pending at the end: %+v", sum)
	}
	if g, _ := ts.XInfoGroups(stCtx, "jobs"); g[0].Lag != 0 || g[0].EntriesRead != n {
		t.Fatalf("group at the end: %+v", g)
	}
}

// TestStreamBlockNotBlocking checks the executor-side read function that
// the blocking path will call: served is false when nothing is available,
// and true once an entry arrives.
func TestStreamBlockNotBlocking(t *testing.T) {
	ts := newTestStore(t)
	ts.stAdd("b", "1-1")
	ts.do("XGROUP", "CREATE", "b", "g", "$")
	var served1, served2, served3 bool
	var reply Value
	err := ts.onExecutor(stCtx, func(s *Store) {
		c := &call{s: s, cl: &client{proto: 3}, db: s.dbs[0], args: []string{"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "b", ">"}, cmd: commands["xreadgroup"], now: 1}
		a, _, ok := c.parseXRead()
		if !ok || a.block != 0 {
			t.Errorf("parse: %+v", a)
			return
		}
		_, served1 = c.xreadServe(a)
		c2 := &call{s: s, cl: &client{proto: 3}, db: s.dbs[0], args: []string{"XADD", "b", "2-1", "f", "v"}, cmd: commands["xadd"], now: 1}
		cmdXAdd(c2)
		reply, served2 = c.xreadServe(a)
		_, served3 = c.xreadServe(a)
	})
	if err != nil {
		t.Fatal(err)
	}
	if served1 || !served2 || served3 {
		t.Fatalf("served %v %v %v", served1, served2, served3)
	}
	if !valuesEqual(reply, MapValue(BulkValue("b"), stEntries(stEntry("2-1", "f", "v")))) {
		t.Fatalf("reply %s", reply)
	}
	ts.expect(nullArrayValue, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "b", ">")
}

// ---- benchmarks ----

// BenchmarkStreamXAdd adds entries with generated IDs through the typed
// method and through Do.
func BenchmarkStreamXAdd(b *testing.B) {
	fields := stFields("field", "value")
	b.Run("typed", func(b *testing.B) {
		ts := newTestStore(b)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := ts.XAdd(stCtx, XAddArgs{Stream: "s", Fields: fields}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("do", func(b *testing.B) {
		ts := newTestStore(b)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			ts.DoStrings(stCtx, "XADD", "s", "*", "field", "value")
		}
	})
}

// benchStream is a stream of a million entries built once and shared by
// the benchmarks that only read it.
var benchStream = sync.OnceValue(func() *stream {
	s := newStream()
	for i := 1; i <= 1_000_000; i++ {
		id := streamID{Ms: uint64(i), Seq: 0}
		if _, err := s.add([]string{"field", strconv.Itoa(i)}, &id, true, 0); err != nil {
			panic(err)
		}
	}
	return s
})

// BenchmarkStreamXRangeMiddle reads 10 entries from the middle of a
// stream of 1,000,000.
func BenchmarkStreamXRangeMiddle(b *testing.B) {
	big := benchStream()
	ts := newTestStore(b)
	if err := ts.onExecutor(stCtx, func(s *Store) {
		c := &call{s: s, cl: &client{proto: 3}, db: s.dbs[0], now: 0}
		c.setObject("big", typeStream, big, evNone)
	}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ms, err := ts.XRange(stCtx, "big", "500000", "+", 10)
		if err != nil || len(ms) != 10 {
			b.Fatal(len(ms), err)
		}
	}
}

// BenchmarkStreamReadGroupAck measures a consumer's cycle: XREADGROUP of
// COUNT entries, then one XACK for all of them.
func BenchmarkStreamReadGroupAck(b *testing.B) {
	for _, count := range []int{1, 10} {
		b.Run("count="+strconv.Itoa(count), func(b *testing.B) {
			ts := newTestStore(b)
			ts.XGroupCreate(stCtx, "s", "g", "$", XGroupOptions{MkStream: true})
			for i := 0; i < b.N*count; i++ {
				ts.DoStrings(stCtx, "XADD", "s", "*", "field", "value")
			}
			args := XReadGroupArgs{Group: "g", Consumer: "c", Streams: []string{"s"}, IDs: []string{">"}, Count: int64(count)}
			ids := make([]string, 0, count)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				res, err := ts.XReadGroup(stCtx, args)
				if err != nil {
					b.Fatal(err)
				}
				ids = ids[:0]
				for _, m := range res[0].Messages {
					ids = append(ids, m.ID)
				}
				if n, err := ts.XAck(stCtx, "s", "g", ids...); err != nil || n != int64(count) {
					b.Fatal(n, err)
				}
			}
			b.ReportMetric(float64(b.N*count)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}

func TestStreamReadKeyPositions(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"XREAD", "STREAMS", "a", "b", "0", "0"}, "[2 3]"},
		{[]string{"XREAD", "COUNT", "streams", "STREAMS", "a", "0"}, "[4]"},
		{[]string{"XREADGROUP", "GROUP", "streams", "c", "BLOCK", "5", "NOACK", "STREAMS", "k", ">"}, "[8]"},
		{[]string{"XREAD", "STREAMS", "a"}, "[]"},
		{[]string{"XREAD", "COUNT", "1"}, "[]"},
	} {
		if got := fmt.Sprint(xreadKeyPositions(c.args)); got != c.want {
			t.Errorf("%v: %s, want %s", c.args, got, c.want)
		}
	}
}

// ExampleDB_XReadGroup shows a consumer group's read/acknowledge cycle.
func ExampleDB_XReadGroup() {
	ctx := context.Background()
	s, _ := Open(Options{})
	defer s.Close()
	s.XGroupCreate(ctx, "events", "mailer", "$", XGroupOptions{MkStream: true})
	s.XAdd(ctx, XAddArgs{Stream: "events", ID: "1-1", Fields: []XField{{"type", "signup"}, {"user", "ann"}}})
	s.XAdd(ctx, XAddArgs{Stream: "events", ID: "2-1", Fields: []XField{{"type", "signup"}, {"user", "bob"}}})

	res, _ := s.XReadGroup(ctx, XReadGroupArgs{Group: "mailer", Consumer: "m1", Streams: []string{"events"}, IDs: []string{">"}})
	for _, m := range res[0].Messages {
		fmt.Println(m.ID, m.Fields[1].Value)
		s.XAck(ctx, "events", "mailer", m.ID)
	}
	sum, _ := s.XPending(ctx, "events", "mailer")
	fmt.Println("pending:", sum.Count)
	// Output:
	// 1-1 ann
	// 2-1 bob
	// pending: 0
}

// TestStreamNodeSizes adds entries whose field and value sizes exercise
// every listpack element encoding, so nodes fill up by bytes at points that
// depend on each size; the node count matches redis-server 7.0.15 for the
// same sequence.
func TestStreamNodeSizes(t *testing.T) {
	ts := newTestStore(t)
	vals := []string{"-5000", "40000", "100000000", "1099511627776", strings.Repeat("x", 100), strings.Repeat("y", 70),
		"-1", "0", "127", "128", "-4097", "8388608", "-2147483649", "00"}
	k := 0
	for rep := 0; rep < 12; rep++ {
		for i, v := range vals {
			k++
			id := fmt.Sprintf("%d-%d", rep*1000+i*7+1, (k*37)%5)
			ts.do("XADD", "z", id, "f"+strconv.Itoa(i%3), v, "g", vals[(i+3)%len(vals)])
		}
	}
	info := ts.stInfo("z")
	if info["length"].Int() != 168 || info["radix-tree-keys"].Int() != 3 || info["radix-tree-nodes"].Int() != 8 {
		t.Fatalf("layout: length %d keys %d nodes %d, want 168 3 8", info["length"].Int(), info["radix-tree-keys"].Int(), info["radix-tree-nodes"].Int())
	}
	// A value beyond the node's byte limit opens a node, and the node it
	// fills is closed for the next entry.
	ts.do("XADD", "z", "99999-1", "big", strings.Repeat("x", 5000))
	ts.do("XADD", "z", "99999-2", "small", "x")
	info = ts.stInfo("z")
	if info["length"].Int() != 170 || info["radix-tree-keys"].Int() != 5 || info["radix-tree-nodes"].Int() != 13 {
		t.Fatalf("layout: length %d keys %d nodes %d, want 170 5 13", info["length"].Int(), info["radix-tree-keys"].Int(), info["radix-tree-nodes"].Int())
	}
	if got, want := lpStrSize(strings.Repeat("a", 5000)), 5000+5+2; got != want {
		t.Fatalf("lpStrSize(5000 bytes) = %d, want %d", got, want)
	}
	for v, want := range map[int64]int{0: 2, 127: 2, 128: 3, -4096: 3, 4096: 4, -32769: 5, 8388608: 6, math.MaxInt32 + 1: 10} {
		if got := lpIntSize(v); got != want {
			t.Errorf("lpIntSize(%d) = %d, want %d", v, got, want)
		}
	}
}

// TestStreamRedeliveryAfterSetID checks that entries read again after
// XGROUP SETID move to the new reader with a fresh delivery count.
func TestStreamRedeliveryAfterSetID(t *testing.T) {
	ts := newTestStore(t)
	ts.stAdd("s", "1-1", "2-1")
	ts.do("XGROUP", "CREATE", "s", "g", "0")
	ts.do("XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">")
	ts.do("XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", "0") // count 2
	ts.clk.Advance(time.Second)
	ts.do("XGROUP", "SETID", "s", "g", "0")
	ts.do("XREADGROUP", "GROUP", "g", "b", "COUNT", "1", "STREAMS", "s", ">")
	pe := func(id, c string, idle, n int64) Value {
		return ArrayValue(BulkValue(id), BulkValue(c), IntValue(idle), IntValue(n))
	}
	ts.expect(ArrayValue(pe("1-1", "b", 0, 1), pe("2-1", "a", 1000, 2)), "XPENDING", "s", "g", "-", "+", "10")
	ts.expect(IntValue(1), "XGROUP", "DELCONSUMER", "s", "g", "a")
	ts.expect(ArrayValue(IntValue(1), BulkValue("1-1"), BulkValue("1-1"), ArrayValue(ArrayValue(BulkValue("b"), BulkValue("1")))), "XPENDING", "s", "g")
}
