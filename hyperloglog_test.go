package embedis

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestHLLTypedMethods(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	changed, err := ts.PFAdd(ctx, "h", "a", "b", "c")
	if err != nil || !changed {
		t.Fatalf("PFAdd = %v, %v", changed, err)
	}
	if changed, err = ts.PFAdd(ctx, "h", "a"); err != nil || changed {
		t.Fatalf("PFAdd of a known element = %v, %v", changed, err)
	}
	if n, err := ts.PFCount(ctx, "h"); err != nil || n != 3 {
		t.Fatalf("PFCount = %d, %v", n, err)
	}
	for i := 0; i < 1000; i++ {
		if _, err := ts.PFAdd(ctx, "h2", "e"+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := ts.PFCount(ctx, "h", "h2", "missing"); err != nil || n < 980 || n > 1020 {
		t.Fatalf("PFCount of a union = %d, %v", n, err)
	}
	if err := ts.PFMerge(ctx, "m", "h", "h2"); err != nil {
		t.Fatal(err)
	}
	n1, _ := ts.PFCount(ctx, "m")
	n2, _ := ts.PFCount(ctx, "h", "h2")
	if n1 != n2 {
		t.Errorf("PFCount of the merge %d, of the union %d", n1, n2)
	}

	if err := ts.Set(ctx, "str", "plain", SetOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.PFAdd(ctx, "str", "x"); !errors.Is(err, ErrNotHLL) {
		t.Errorf("PFAdd on a plain string: %v", err)
	}
	if _, err := ts.PFCount(ctx, "h", "str"); !errors.Is(err, ErrNotHLL) {
		t.Errorf("PFCount with a plain string: %v", err)
	}
	if err := ts.Set(ctx, "bad", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80", SetOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.PFCount(ctx, "bad"); !errors.Is(err, ErrHLLCorrupt) {
		t.Errorf("PFCount of a corrupt HLL: %v", err)
	}
	ts.putList("l")
	if err := ts.PFMerge(ctx, "h", "l"); !errors.Is(err, ErrWrongType) {
		t.Errorf("PFMerge of a list: %v", err)
	}
}

// TestPFCountCachesAndCounts: PFCOUNT of one key stores the estimate in
// the string (a counted change) only when the cache was stale.
func TestPFCountCachesAndCounts(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	if _, err := ts.PFAdd(ctx, "h", "x", "y"); err != nil {
		t.Fatal(err)
	}
	dirty := func() int64 {
		var n int64
		if err := ts.onExecutor(ctx, func(s *Store) { n = s.stats.dirty }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before, _ := ts.Get(ctx, "h")
	d0 := dirty()
	ts.expect(IntValue(2), "pfcount", "h")
	after, _ := ts.Get(ctx, "h")
	if before[15]&0x80 == 0 || after[15]&0x80 != 0 || after[8] != 2 {
		t.Errorf("cache bytes before %x, after %x", before[8:16], after[8:16])
	}
	if dirty() != d0+1 {
		t.Errorf("recomputing the cache was not counted as a change")
	}
	ts.expect(IntValue(2), "pfcount", "h")
	ts.expect(IntValue(2), "pfcount", "h", "h")
	if dirty() != d0+1 {
		t.Errorf("a cached PFCOUNT was counted as a change")
	}
}

// FuzzPFCountCorrupt stores arbitrary bytes behind an HLL header and runs
// every HyperLogLog command on them: none may panic, and every reply is a
// number, OK, an array, or one of the documented errors.
func FuzzPFCountCorrupt(f *testing.F) {
	f.Add(byte(1), []byte("\x7f\xff"), "a")
	f.Add(byte(1), []byte("\x7f"), "a")
	f.Add(byte(1), []byte("\x7f\xfe\x83\x80"), "b")
	f.Add(byte(1), []byte("\x3f\x80\x7f\xbe\x00"), "c")
	f.Add(byte(0), make([]byte, 12288), "d")
	f.Add(byte(1), []byte{}, "")
	ts := newTestStore(f)
	f.Fuzz(func(t *testing.T, enc byte, body []byte, ele string) {
		hdr := []byte("HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80")
		hdr[4] = enc
		val := string(append(hdr, body...))
		for _, cmd := range [][]any{
			{"set", "k", val},
			{"pfcount", "k"},
			{"set", "k", val},
			{"pfcount", "k", "other"},
			{"pfadd", "k", ele, ele + "x"},
			{"pfdebug", "decode", "k"},
			{"set", "k", val},
			{"pfmerge", "dst", "k"},
			{"pfdebug", "todense", "k"},
			{"pfdebug", "getreg", "k"},
			{"pfmerge", "k", "dst"},
			{"del", "k", "dst"},
		} {
			v, err := ts.Do(context.Background(), cmd...)
			if err != nil {
				t.Fatalf("%v: %v", cmd[:2], err)
			}
			if v.Kind() == KindError {
				switch v.Str() {
				case ErrNotHLL.Error(), ErrHLLCorrupt.Error(), "ERR HLL encoding is not sparse":
				default:
					t.Fatalf("%v: unexpected error %q", cmd[:2], v.Str())
				}
			}
		}
	})
}

// TestHLLFeed: PFADD and PFMERGE propagate as issued when they change
// something; PFCOUNT, read-only, propagates only when it rewrote the
// cache; a PFADD that changed nothing propagates nothing.
func TestHLLFeed(t *testing.T) {
	ts := newTestStore(t)
	rec := attachFeed(t, ts.Store)
	for _, cmd := range [][]any{
		{"pfadd", "h", "a"},
		{"pfadd", "h", "a"},
		{"pfcount", "h"},
		{"pfcount", "h"},
		{"pfmerge", "m", "h"},
		{"setbit", "b", "1", "1"},
		{"setbit", "b", "1", "1"},
	} {
		ts.do(cmd...)
	}
	want := []string{"SELECT 0", "pfadd h a", "pfcount h", "pfmerge m h", "setbit b 1 1"}
	got := rec.take()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("feed = %q, want %q", got, want)
	}
}
