package embedis

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"
)

// Benchmarks of the bitmap and HyperLogLog commands through Do (the
// executor hand-off included), on one goroutine:
//
//	go test -run '^$' -bench 'BitCount|BitOp|PFAdd|PFCount' .

// benchBitmap stores a random bitmap of n bytes at key.
func benchBitmap(b *testing.B, ts *testStore, key string, n int, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 1))
	buf := make([]byte, n)
	for i := range buf {
		buf[i] = byte(r.Uint32())
	}
	ts.do("set", key, string(buf))
}

func BenchmarkBitCount(b *testing.B) {
	for _, size := range []int{1 << 10, 1 << 20} {
		b.Run("bytes="+strconv.Itoa(size), func(b *testing.B) {
			ts := newTestStore(b)
			benchBitmap(b, ts, "bm", size, 1)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ts.do("bitcount", "bm")
			}
		})
	}
}

func BenchmarkBitOpAnd(b *testing.B) {
	for _, size := range []int{1 << 10, 1 << 20} {
		b.Run("bytes="+strconv.Itoa(size), func(b *testing.B) {
			ts := newTestStore(b)
			benchBitmap(b, ts, "x", size, 1)
			benchBitmap(b, ts, "y", size, 2)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ts.do("bitop", "and", "dst", "x", "y")
			}
		})
	}
}

func BenchmarkSetBit(b *testing.B) {
	for _, size := range []int{1 << 10, 1 << 20} {
		b.Run("bytes="+strconv.Itoa(size), func(b *testing.B) {
			ts := newTestStore(b)
			benchBitmap(b, ts, "bm", size, 1)
			offs := make([]string, 1024)
			for i := range offs {
				offs[i] = strconv.Itoa(i * 7919 % (size * 8))
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ts.do("setbit", "bm", offs[i%len(offs)], "1")
			}
		})
	}
}

// BenchmarkPFAdd adds one new element per call to an HLL that is sparse
// (empty at the start of each round of 500) or dense.
func BenchmarkPFAdd(b *testing.B) {
	elems := make([]string, 1<<16)
	for i := range elems {
		elems[i] = "element:" + strconv.Itoa(i)
	}
	b.Run("sparse", func(b *testing.B) {
		ts := newTestStore(b)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if i%500 == 0 {
				b.StopTimer()
				ts.do("del", "h")
				b.StartTimer()
			}
			ts.do("pfadd", "h", elems[i%len(elems)])
		}
	})
	b.Run("dense", func(b *testing.B) {
		ts := newTestStore(b)
		ts.do("pfadd", "h", "x")
		ts.do("pfdebug", "todense", "h")
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			ts.do("pfadd", "h", elems[i%len(elems)])
		}
	})
}

// BenchmarkPFCount counts a dense HLL: from the cache, recomputed after
// every PFADD (stale cache), and the union of two keys.
func BenchmarkPFCount(b *testing.B) {
	ts := newTestStore(b)
	ctx := context.Background()
	for i := 0; i < 20000; i++ {
		ts.do("pfadd", "h", "a:"+strconv.Itoa(i))
		ts.do("pfadd", "g", "b:"+strconv.Itoa(i))
	}
	if _, err := ts.PFCount(ctx, "h"); err != nil {
		b.Fatal(err)
	}
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			ts.do("pfcount", "h")
		}
	})
	b.Run("stale", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			ts.do("pfadd", "h", "new:"+strconv.Itoa(i))
			ts.do("pfcount", "h")
		}
	})
	b.Run("union", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			ts.do("pfcount", "h", "g")
		}
	})
}
