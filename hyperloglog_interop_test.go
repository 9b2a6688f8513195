package embedis_test

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/embedis/embedis/embedistest"
	"github.com/embedis/embedis/internal/redistest"
)

// TestHLLInterop adds the same seeded random elements, in random batches,
// to HyperLogLogs in embedis and in a real redis-server, and after every
// batch compares the reply, the HLL's bytes (GET), its encoding and
// PFCOUNT, so the sparse form, its promotion to dense and the estimator
// must match Redis's byte for byte. PFMERGE and the PFCOUNT of several keys
// are compared along the way. Several hll-sparse-max-bytes settings move
// the promotion point.
func TestHLLInterop(t *testing.T) {
	want, err := redistest.Dial(redistest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()
	got, err := redistest.Dial(embedistest.Addr(t, embedistest.Open(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()

	same := func(args ...string) redistest.Reply {
		t.Helper()
		w, err := want.Do(args...)
		if err != nil {
			t.Fatalf("redis %q: %v", args, err)
		}
		g, err := got.Do(args...)
		if err != nil {
			t.Fatalf("embedis %q: %v", args, err)
		}
		if !w.Equal(g) {
			t.Fatalf("%.60q:\nredis   %.200s\nembedis %.200s", args, w, g)
		}
		return w
	}

	for _, tc := range []struct {
		seed      uint64
		sparseMax string
		elements  int
	}{
		{1, "3000", 6000},
		{2, "200", 1500},
		{3, "10000", 12000},
		{4, "3000", 60000},
	} {
		r := rand.New(rand.NewPCG(tc.seed, 99))
		same("FLUSHALL")
		same("CONFIG", "SET", "hll-sparse-max-bytes", tc.sparseMax)
		keys := []string{"a", "b", "c"}
		for added := 0; added < tc.elements; {
			key := keys[r.IntN(len(keys))]
			n := 1 + r.IntN(40)
			args := []string{"PFADD", key}
			for i := 0; i < n; i++ {
				// Elements of every length, repeats included.
				e := strconv.FormatUint(r.Uint64()>>r.IntN(64), 36)
				if r.IntN(8) == 0 {
					e += string(rune('a' + r.IntN(26)))
				}
				args = append(args, e)
			}
			added += n
			same(args...)
			same("GET", key)
			same("PFDEBUG", "ENCODING", key)
			if r.IntN(3) == 0 {
				same("PFCOUNT", key)
				same("GET", key)
			}
			if r.IntN(10) == 0 {
				same("PFCOUNT", "a", "b", "c")
			}
			if r.IntN(15) == 0 {
				dst := "m" + strconv.Itoa(r.IntN(2))
				same("PFMERGE", dst, keys[r.IntN(3)], keys[r.IntN(3)])
				same("GET", dst)
				same("PFCOUNT", dst)
			}
		}
		for _, k := range keys {
			same("PFCOUNT", k)
			same("GET", k)
		}
	}
}
