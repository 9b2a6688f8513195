package embedis

import (
	"context"
	"errors"
	"testing"
)

func TestBitmapTypedMethods(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	check := func(what string, got, want int64, err error) {
		t.Helper()
		if err != nil || got != want {
			t.Errorf("%s = %d, %v; want %d", what, got, err, want)
		}
	}
	n, err := ts.SetBit(ctx, "b", 7, 1)
	check("SetBit", n, 0, err)
	n, err = ts.SetBit(ctx, "b", 7, 1)
	check("SetBit again", n, 1, err)
	n, err = ts.GetBit(ctx, "b", 7)
	check("GetBit", n, 1, err)
	n, err = ts.GetBit(ctx, "b", 1000)
	check("GetBit past the end", n, 0, err)
	if s, _ := ts.Get(ctx, "b"); s != "\x01" {
		t.Errorf("Get = %q", s)
	}
	if _, err := ts.SetBit(ctx, "b", -1, 1); !errors.Is(err, ErrBitOffset) {
		t.Errorf("SetBit -1: %v", err)
	}
	if _, err := ts.SetBit(ctx, "b", 0, 2); !errors.Is(err, ErrBitValue) {
		t.Errorf("SetBit value 2: %v", err)
	}

	if err := ts.Set(ctx, "s", "foobar", SetOptions{}); err != nil {
		t.Fatal(err)
	}
	n, err = ts.BitCount(ctx, "s", nil)
	check("BitCount", n, 26, err)
	n, err = ts.BitCount(ctx, "s", &BitCount{Start: 1, End: 1})
	check("BitCount 1 1", n, 6, err)
	n, err = ts.BitCount(ctx, "s", &BitCount{Start: 5, End: 30, Unit: BitUnitBit})
	check("BitCount 5 30 BIT", n, 17, err)
	if _, err := ts.BitCount(ctx, "s", &BitCount{Unit: "words"}); !errors.Is(err, ErrSyntax) {
		t.Errorf("BitCount bad unit: %v", err)
	}

	if err := ts.Set(ctx, "p", "\xff\xf0\x00", SetOptions{}); err != nil {
		t.Fatal(err)
	}
	n, err = ts.BitPos(ctx, "p", 0)
	check("BitPos 0", n, 12, err)
	n, err = ts.BitPos(ctx, "p", 1, 2)
	check("BitPos 1 2", n, -1, err)
	n, err = ts.BitPos(ctx, "p", 0, 0, 0)
	check("BitPos 0 0 0", n, -1, err)
	n, err = ts.BitPosSpan(ctx, "p", 0, 8, 15, BitUnitBit)
	check("BitPosSpan", n, 12, err)
	if _, err := ts.BitPos(ctx, "p", 2); !errors.Is(err, ErrBitPosBit) {
		t.Errorf("BitPos 2: %v", err)
	}

	n, err = ts.BitOpAnd(ctx, "and", "s", "p")
	check("BitOpAnd", n, 6, err)
	n, err = ts.BitOpOr(ctx, "or", "s", "p")
	check("BitOpOr", n, 6, err)
	n, err = ts.BitOpXor(ctx, "xor", "p", "p")
	check("BitOpXor", n, 3, err)
	n, err = ts.BitOpNot(ctx, "not", "p")
	check("BitOpNot", n, 3, err)
	if s, _ := ts.Get(ctx, "not"); s != "\x00\x0f\xff" {
		t.Errorf("NOT = %q", s)
	}
	if s, _ := ts.Get(ctx, "and"); s != "f`\x00\x00\x00\x00" {
		t.Errorf("AND = %q", s)
	}
	if _, err := ts.BitOp(ctx, BitNot, "not", "p", "s"); !errors.Is(err, ErrBitOpNotOneKey) {
		t.Errorf("BitOp NOT with two keys: %v", err)
	}
	n, err = ts.BitOpAnd(ctx, "not", "missing")
	check("BitOpAnd of nothing", n, 0, err)
	if _, err := ts.Get(ctx, "not"); !errors.Is(err, Nil) {
		t.Errorf("destination of an empty BITOP not deleted: %v", err)
	}
}

func TestBitFieldTypedMethods(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	var ops BitFieldArgs
	ops.Set("i8", 0, 100).Get("i8", 0).IncrBy("u4", 8, 20).
		Overflow(OverflowFail).IncrBy("u4", 8, 20).
		Overflow(OverflowSat).IncrBy("i8", 0, 100)
	res, err := ts.BitField(ctx, "f", &ops)
	if err != nil {
		t.Fatal(err)
	}
	want := []any{int64(0), int64(100), int64(4), nil, int64(127)}
	if len(res) != len(want) {
		t.Fatalf("BitField = %d results, want %d", len(res), len(want))
	}
	for i, w := range want {
		switch {
		case w == nil && res[i] != nil:
			t.Errorf("result %d = %d, want nil", i, *res[i])
		case w != nil && (res[i] == nil || *res[i] != w.(int64)):
			t.Errorf("result %d = %v, want %d", i, res[i], w)
		}
	}
	var ro BitFieldArgs
	ro.Get("u8", 0).Get("u4", 8)
	vals, err := ts.BitFieldRO(ctx, "f", &ro)
	if err != nil || len(vals) != 2 || vals[0] != 127 || vals[1] != 4 {
		t.Errorf("BitFieldRO = %v, %v", vals, err)
	}
	if _, err := ts.BitFieldRO(ctx, "f", &ops); !errors.Is(err, ErrBitFieldRO) {
		t.Errorf("BitFieldRO with SET: %v", err)
	}
	var bad BitFieldArgs
	bad.Get("u64", 0)
	if _, err := ts.BitField(ctx, "f", &bad); !errors.Is(err, ErrBitFieldType) {
		t.Errorf("u64: %v", err)
	}
	bad = BitFieldArgs{}
	bad.Overflow("never")
	if _, err := ts.BitField(ctx, "f", &bad); !errors.Is(err, ErrBitFieldOverflow) {
		t.Errorf("bad overflow: %v", err)
	}
	if res, err := ts.BitField(ctx, "f", nil); err != nil || len(res) != 0 {
		t.Errorf("BitField with no ops = %v, %v", res, err)
	}
}

// TestBitWritesAreCounted checks that the bitmap writes announce their
// changes (WATCH sees them) and that writes that change nothing do not.
func TestBitWritesAreCounted(t *testing.T) {
	ts := newTestStore(t)
	dirty := func() int64 {
		var n int64
		if err := ts.onExecutor(context.Background(), func(s *Store) { n = s.stats.dirty }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c := range []struct {
		cmd     []any
		changes bool
	}{
		{[]any{"setbit", "k", "3", "1"}, true},
		{[]any{"setbit", "k", "3", "1"}, false},
		{[]any{"setbit", "k", "3", "0"}, true},
		{[]any{"bitfield", "k", "set", "u8", "0", "0"}, false},
		{[]any{"bitfield", "k", "set", "u8", "0", "7"}, true},
		{[]any{"bitfield", "k", "overflow", "fail", "incrby", "u8", "0", "1000"}, false},
		{[]any{"bitfield", "k", "get", "u8", "0"}, false},
		{[]any{"bitop", "not", "d", "k"}, true},
		{[]any{"bitcount", "k"}, false},
	} {
		before := dirty()
		ts.do(c.cmd...)
		if changed := dirty() != before; changed != c.changes {
			t.Errorf("%v: counted as a change %v, want %v", c.cmd, changed, c.changes)
		}
	}
}
