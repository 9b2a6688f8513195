package benchmarks

import (
	"context"
	"strconv"
	"testing"

	"github.com/embedis/embedis"
	"github.com/redis/go-redis/v9"
)

// rateLimiter is the seed document's rate-limiting script, verbatim.
const rateLimiter = `local current = redis.call('INCR', KEYS[1]) if current == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end if current > tonumber(ARGV[2]) then return 0 end return 1`

// BenchmarkScriptsAndTx measures, per side in one run: EVALSHA of the
// rate limiter, MULTI/EXEC of 10 SETs, and a pipeline of 100 SETs (ns/op is
// per script call, per transaction and per pipeline).
//
//	cd benchmarks && go test -run '^$' -bench ScriptsAndTx -benchtime 300ms -count 3 .
func BenchmarkScriptsAndTx(b *testing.B) {
	ctx := context.Background()
	keys := make([]string, 100)
	for i := range keys {
		keys[i] = "k" + strconv.Itoa(i)
	}

	b.Run("embedis-typed", func(b *testing.B) {
		s := openStore(b)
		sha, err := s.ScriptLoad(ctx, rateLimiter)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("EVALSHA-ratelimit", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.EvalSha(ctx, sha, []string{"rate:user:123"}, 60, 100); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("MULTI-10-SET", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.TxPipelined(ctx, func(p *embedis.TxPipeline) error {
					for _, k := range keys[:10] {
						p.Set(k, "v")
					}
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("pipeline-100-SET", func(b *testing.B) {
			b.ReportAllocs()
			p := s.Pipeline()
			for b.Loop() {
				for _, k := range keys {
					p.DoStrings("set", k, "v")
				}
				if _, err := p.Exec(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	})

	clients := []struct {
		name string
		open func(b *testing.B) *redis.Client
	}{
		{"embedis-inmem", func(b *testing.B) *redis.Client {
			return newClient(b, &redis.Options{Dialer: openStore(b).DialContext})
		}},
		{"embedis-tcp", func(b *testing.B) *redis.Client {
			return newClient(b, &redis.Options{Addr: serveLoopback(b, openStore(b))})
		}},
		{"redis-server", func(b *testing.B) *redis.Client {
			return newClient(b, &redis.Options{Addr: startRedis(b)})
		}},
	}
	for _, cs := range clients {
		b.Run(cs.name, func(b *testing.B) {
			c := cs.open(b)
			sha, err := c.ScriptLoad(ctx, rateLimiter).Result()
			if err != nil {
				b.Fatal(err)
			}
			b.Run("EVALSHA-ratelimit", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := c.EvalSha(ctx, sha, []string{"rate:user:123"}, 60, 100).Err(); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("MULTI-10-SET", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
						for _, k := range keys[:10] {
							p.Set(ctx, k, "v", 0)
						}
						return nil
					}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("pipeline-100-SET", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
						for _, k := range keys {
							p.Set(ctx, k, "v", 0)
						}
						return nil
					}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkBLPOPHandoff measures the hand-off from a producer to a
// consumer blocked in BLPOP: the producer pushes one element and waits
// until the consumer's BLPOP has returned it (ns/op is that round, push to
// pop-return). A Go channel hand-off between two goroutines is the
// reference.
//
//	cd benchmarks && go test -run '^$' -bench BLPOPHandoff -benchtime 300ms -count 3 .
func BenchmarkBLPOPHandoff(b *testing.B) {
	ctx := context.Background()
	b.Run("ref=chan", func(b *testing.B) {
		in, out := make(chan string), make(chan string)
		go func() {
			for v := range in {
				out <- v
			}
			close(out)
		}()
		for b.Loop() {
			in <- "v"
			<-out
		}
		close(in)
	})
	b.Run("embedis-typed", func(b *testing.B) {
		s := openStore(b)
		got := make(chan error)
		stop := make(chan struct{})
		go func() {
			for {
				_, _, err := s.BLPop(ctx, 0, "q")
				select {
				case got <- err:
				case <-stop:
					return
				}
			}
		}()
		for b.Loop() {
			if _, err := s.LPush(ctx, "q", "v"); err != nil {
				b.Fatal(err)
			}
			if err := <-got; err != nil {
				b.Fatal(err)
			}
		}
		close(stop)
		s.LPush(ctx, "q", "last") // releases the consumer's final BLPOP
	})
	for _, cs := range []struct {
		name string
		addr func(b *testing.B) string
	}{
		{"embedis-tcp", func(b *testing.B) string { return serveLoopback(b, openStore(b)) }},
		{"redis-server", startRedis},
	} {
		b.Run(cs.name, func(b *testing.B) {
			addr := cs.addr(b)
			prod := newClient(b, &redis.Options{Addr: addr})
			cons := newClient(b, &redis.Options{Addr: addr})
			got := make(chan error)
			stop := make(chan struct{})
			go func() {
				for {
					err := cons.BLPop(ctx, 0, "q").Err()
					select {
					case got <- err:
					case <-stop:
						return
					}
				}
			}()
			for b.Loop() {
				if err := prod.LPush(ctx, "q", "v").Err(); err != nil {
					b.Fatal(err)
				}
				if err := <-got; err != nil {
					b.Fatal(err)
				}
			}
			close(stop)
			prod.LPush(ctx, "q", "last")
		})
	}
}
