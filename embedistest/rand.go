package embedistest

import (
	"hash/fnv"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// SeedEnv is the environment variable that sets Rand's seed, to replay a
// failing run: EMBEDISTEST_SEED=1234 go test -run TestX.
const SeedEnv = "EMBEDISTEST_SEED"

// Rand returns a random generator for t, seeded from $EMBEDISTEST_SEED
// when set, else from the test's name, so every run of a test makes the
// same choices. The seed is logged when the test fails, so a failure can
// be replayed even after the test's name changes.
func Rand(t testing.TB) *rand.Rand {
	t.Helper()
	var seed uint64
	if v := os.Getenv(SeedEnv); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("embedistest.Rand: %s=%q is not an unsigned integer", SeedEnv, v)
		}
		seed = n
	} else {
		h := fnv.New64a()
		h.Write([]byte(t.Name()))
		seed = h.Sum64()
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("embedistest.Rand: replay with %s=%d", SeedEnv, seed)
		}
	})
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}
