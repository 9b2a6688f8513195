// Package benchmarks compares embedis with its rivals, measured in the same
// run: go-redis talking to embedis (in-memory connection and loopback TCP),
// to a real redis-server over loopback, and to miniredis. It is a module of
// its own so that the library's go.mod stays lean. BENCHMARKS.md has the
// figures and the commands that produced them:
//
//	cd benchmarks && go test -run '^$' -bench GoRedis -benchtime 300ms -count 3 .
//	cd benchmarks && go test -run '^$' -bench DataTypes -benchtime 300ms -count 3 .
//	bash benchmarks/redis-benchmark.sh 200000 3   # from the repository root
package benchmarks

import (
	"context"
	"net"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/embedis/embedis"
	"github.com/redis/go-redis/v9"
)

// target is one server under test, reached by a go-redis client.
type target struct {
	name string
	open func(b *testing.B) *redis.Client
}

func targets() []target {
	return []target{
		{"embedis-inmem", func(b *testing.B) *redis.Client {
			s := openStore(b)
			return newClient(b, &redis.Options{Dialer: s.DialContext})
		}},
		{"embedis-tcp", func(b *testing.B) *redis.Client {
			return newClient(b, &redis.Options{Addr: serveLoopback(b, openStore(b))})
		}},
		{"redis-server", func(b *testing.B) *redis.Client {
			return newClient(b, &redis.Options{Addr: startRedis(b)})
		}},
		{"miniredis", func(b *testing.B) *redis.Client {
			m := miniredis.NewMiniRedis()
			if err := m.Start(); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(m.Close)
			return newClient(b, &redis.Options{Addr: m.Addr()})
		}},
	}
}

func openStore(b *testing.B) *embedis.Store {
	s, err := embedis.Open(embedis.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// serveLoopback serves s on a free loopback port and returns its address;
// closing the store (at cleanup) stops the server.
func serveLoopback(b *testing.B, s *embedis.Store) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go s.Serve(l)
	return l.Addr().String()
}

func newClient(b *testing.B, o *redis.Options) *redis.Client {
	o.PoolSize = 64
	c := redis.NewClient(o)
	b.Cleanup(func() { c.Close() })
	if err := c.Ping(context.Background()).Err(); err != nil {
		b.Fatal(err)
	}
	return c
}

// startRedis starts redis-server on a free loopback port, stopped by PID at
// cleanup. Without redis-server on PATH the benchmark is skipped.
func startRedis(b *testing.B) string {
	path, err := exec.LookPath("redis-server")
	if err != nil {
		b.Skip("redis-server not on PATH")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(path, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", b.TempDir())
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := "127.0.0.1:" + strconv.Itoa(port)
	for i := 0; i < 200; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr
		}
		time.Sleep(10 * time.Millisecond)
	}
	b.Fatal("redis-server did not start")
	return ""
}

// ops are the commands measured, each as a function of a client.
var ops = []struct {
	name string
	do   func(ctx context.Context, c redis.Cmdable) error
}{
	{"GET", func(ctx context.Context, c redis.Cmdable) error { return c.Get(ctx, "key").Err() }},
	{"SET", func(ctx context.Context, c redis.Cmdable) error { return c.Set(ctx, "key", "value", 0).Err() }},
	{"INCR", func(ctx context.Context, c redis.Cmdable) error { return c.Incr(ctx, "counter").Err() }},
}

// BenchmarkGoRedis measures GET, SET and INCR through go-redis: sequential,
// 8 parallel clients, and pipelines of 100 (reported per command).
func BenchmarkGoRedis(b *testing.B) {
	ctx := context.Background()
	for _, tg := range targets() {
		b.Run(tg.name, func(b *testing.B) {
			c := tg.open(b)
			if err := c.Set(ctx, "key", "value", 0).Err(); err != nil {
				b.Fatal(err)
			}
			for _, op := range ops {
				b.Run(op.name+"/seq", func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if err := op.do(ctx, c); err != nil {
							b.Fatal(err)
						}
					}
				})
				b.Run(op.name+"/par8", func(b *testing.B) {
					b.ReportAllocs()
					b.SetParallelism(4) // 2 cores × 4 = 8 goroutines
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							if err := op.do(ctx, c); err != nil {
								b.Error(err)
								return
							}
						}
					})
				})
				b.Run(op.name+"/pipe100", func(b *testing.B) {
					b.ReportAllocs()
					for i := 0; i < b.N; i += 100 {
						_, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
							for j := 0; j < 100; j++ {
								op.do(ctx, p)
							}
							return nil
						})
						if err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
