package benchmarks

import (
	"context"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/embedis/embedis"
	"github.com/embedis/embedis/embedistest"
	"github.com/redis/go-redis/v9"
)

// perTest is a testing.TB for one simulated test: it collects the
// cleanups the kit registers and runs them when the "test" ends, so a
// benchmark iteration measures a whole test's setup and teardown.
type perTest struct {
	testing.TB
	cleanups []func()
}

func (p *perTest) Cleanup(f func()) { p.cleanups = append(p.cleanups, f) }

func (p *perTest) end() {
	for i := len(p.cleanups) - 1; i >= 0; i-- {
		p.cleanups[i]()
	}
	p.cleanups = p.cleanups[:0]
}

// BenchmarkOpenPerTest is what one test pays for a fresh server: open it,
// connect go-redis, run one SET, close everything. embedistest.Open with
// the in-memory dialer and with a TCP address (Addr), next to
// miniredis.RunT (which always listens on TCP).
func BenchmarkOpenPerTest(b *testing.B) {
	ctx := context.Background()
	run := func(b *testing.B, open func(t testing.TB) *redis.Options) {
		b.ReportAllocs()
		p := &perTest{TB: b}
		for b.Loop() {
			rdb := redis.NewClient(open(p))
			if err := rdb.Set(ctx, "k", "v", 0).Err(); err != nil {
				b.Fatal(err)
			}
			rdb.Close()
			p.end()
		}
	}
	b.Run("embedistest.Open/dialer", func(b *testing.B) {
		run(b, func(t testing.TB) *redis.Options {
			s := embedistest.Open(t)
			return &redis.Options{Dialer: s.DialContext}
		})
	})
	b.Run("embedistest.Open/tcp", func(b *testing.B) {
		run(b, func(t testing.TB) *redis.Options {
			s := embedistest.Open(t)
			return &redis.Options{Addr: embedistest.Addr(t, s)}
		})
	})
	b.Run("miniredis.RunT/tcp", func(b *testing.B) {
		run(b, func(t testing.TB) *redis.Options {
			return &redis.Options{Addr: miniredis.RunT(t).Addr()}
		})
	})
	// The store alone, without a client: the floor of a test's cost.
	b.Run("embedistest.Open/no-client", func(b *testing.B) {
		b.ReportAllocs()
		p := &perTest{TB: b}
		for b.Loop() {
			s := embedistest.Open(p)
			if err := s.Set(ctx, "k", "v", embedis.SetOptions{}); err != nil {
				b.Fatal(err)
			}
			p.end()
		}
	})
}
