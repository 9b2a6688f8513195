package embedis

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Benchmarks of the hand-off between callers and the executor, with the two
// references the issue measures against, in the same run:
//
//   - ref=chan: a bare channel round trip to one goroutine that does no work
//     (the cost of the naive hand-off, and its throughput ceiling);
//   - ref=mutex: a map[string]string behind a sync.Mutex (what a caller
//     would write without a store).
//
// Every benchmark that takes a number of goroutines (g=N) splits b.N
// operations among exactly N goroutines, whatever GOMAXPROCS is, and
// reports Mops/s (millions of operations per second, all goroutines
// together). ns/op is wall time divided by b.N, so with N > 1 it is the
// inverse of throughput, not a latency.
//
// Reproduce (see BENCHMARKS.md):
//
//	go test -run '^$' -bench 'Handoff|ExecutorOnly' -benchtime 50000x -count 3 .

// benchKeys is the key set of every benchmark: present keys, so GET finds
// its value.
const benchKeys = 1024

var benchKeyNames, benchValues = func() ([]string, []string) {
	k := make([]string, benchKeys)
	v := make([]string, benchKeys)
	for i := range k {
		k[i] = "key:" + strconv.Itoa(i)
		v[i] = "value:" + strconv.Itoa(i)
	}
	return k, v
}()

var benchGoroutines = []int{1, 2, 8, 64}

// runGoroutines runs op b.N times in total, split among g goroutines, and
// reports throughput. op receives the goroutine's number and a running
// index, so each goroutine walks the key set from its own place.
func runGoroutines(b *testing.B, g int, op func(w, i int)) {
	b.ReportAllocs()
	var next atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	const chunk = 64 // claim work in chunks so the counter is no hot spot
	for w := 0; w < g; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			i := w * 7919
			for {
				lo := next.Add(chunk) - chunk
				if lo >= int64(b.N) {
					return
				}
				hi := min(lo+chunk, int64(b.N))
				for n := lo; n < hi; n++ {
					op(w, i)
					i++
				}
			}
		}()
	}
	b.ResetTimer()
	t0 := time.Now()
	close(start)
	wg.Wait()
	el := time.Since(t0)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/el.Seconds()/1e6, "Mops/s")
}

// mutexMap is the reference: a map behind a mutex.
type mutexMap struct {
	mu sync.Mutex
	m  map[string]string
}

func (m *mutexMap) get(k string) (string, bool) {
	m.mu.Lock()
	v, ok := m.m[k]
	m.mu.Unlock()
	return v, ok
}

func (m *mutexMap) set(k, v string) {
	m.mu.Lock()
	m.m[k] = v
	m.mu.Unlock()
}

func newMutexMap() *mutexMap {
	m := &mutexMap{m: make(map[string]string, benchKeys)}
	for i := range benchKeyNames {
		m.m[benchKeyNames[i]] = benchValues[i]
	}
	return m
}

// openBenchStore opens a store with the benchmark's keys loaded. It uses
// the real clock: the clock is part of the cost of a command.
func openBenchStore(b *testing.B) *Store {
	b.Helper()
	s, err := Open(Options{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ctx := context.Background()
	p := s.Pipeline()
	for i := range benchKeyNames {
		p.Do("SET", benchKeyNames[i], benchValues[i])
	}
	if _, err := p.Exec(ctx); err != nil {
		b.Fatal(err)
	}
	return s
}

// chanServer is the reference hand-off: one goroutine that answers every
// request on the channel it carries, doing no work.
type chanServer struct {
	in   chan chan struct{}
	quit chan struct{}
	done chan struct{}
}

func startChanServer() *chanServer {
	c := &chanServer{in: make(chan chan struct{}), quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		for {
			select {
			case r := <-c.in:
				r <- struct{}{}
			case <-c.quit:
				return
			}
		}
	}()
	return c
}

func (c *chanServer) stop() { close(c.quit); <-c.done }

func BenchmarkHandoff(b *testing.B) {
	ctx := context.Background()
	for _, g := range benchGoroutines {
		gs := "g=" + strconv.Itoa(g)

		b.Run("ref=chan/"+gs, func(b *testing.B) {
			c := startChanServer()
			defer c.stop()
			replies := make([]chan struct{}, g)
			for i := range replies {
				replies[i] = make(chan struct{})
			}
			runGoroutines(b, g, func(w, _ int) {
				c.in <- replies[w]
				<-replies[w]
			})
		})

		b.Run("ref=mutex/get/"+gs, func(b *testing.B) {
			m := newMutexMap()
			runGoroutines(b, g, func(_, i int) {
				if _, ok := m.get(benchKeyNames[i%benchKeys]); !ok {
					b.Error("missing key")
				}
			})
		})
		b.Run("ref=mutex/set/"+gs, func(b *testing.B) {
			m := newMutexMap()
			runGoroutines(b, g, func(_, i int) {
				m.set(benchKeyNames[i%benchKeys], benchValues[i%benchKeys])
			})
		})

		b.Run("typed/get/"+gs, func(b *testing.B) {
			s := openBenchStore(b)
			runGoroutines(b, g, func(_, i int) {
				if _, err := s.Get(ctx, benchKeyNames[i%benchKeys]); err != nil {
					b.Error(err)
				}
			})
		})
		b.Run("typed/set/"+gs, func(b *testing.B) {
			s := openBenchStore(b)
			runGoroutines(b, g, func(_, i int) {
				if err := s.Set(ctx, benchKeyNames[i%benchKeys], benchValues[i%benchKeys], SetOptions{}); err != nil {
					b.Error(err)
				}
			})
		})

		b.Run("do/get/"+gs, func(b *testing.B) {
			s := openBenchStore(b)
			runGoroutines(b, g, func(_, i int) {
				if v, err := s.Do(ctx, "GET", benchKeyNames[i%benchKeys]); err != nil || v.Kind() != KindBulk {
					b.Error(v, err)
				}
			})
		})
		b.Run("do/set/"+gs, func(b *testing.B) {
			s := openBenchStore(b)
			runGoroutines(b, g, func(_, i int) {
				if v, err := s.Do(ctx, "SET", benchKeyNames[i%benchKeys], benchValues[i%benchKeys]); err != nil || v.Kind() != KindSimple {
					b.Error(v, err)
				}
			})
		})
	}

	// A pipeline of 100 commands (half GET, half SET) from one goroutine,
	// against the same 100 operations on the mutex map. ns/cmd is the
	// figure to compare.
	const plen = 100
	b.Run("ref=mutex/pipeline100", func(b *testing.B) {
		b.ReportAllocs()
		m := newMutexMap()
		b.ResetTimer()
		for n := 0; n < b.N; n++ {
			for j := 0; j < plen; j++ {
				k := (n*plen + j) % benchKeys
				if j&1 == 0 {
					m.get(benchKeyNames[k])
				} else {
					m.set(benchKeyNames[k], benchValues[k])
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*plen), "ns/cmd")
	})
	for _, how := range []string{"do", "strings"} {
		// do: Pipeline.Do with upper-case names, as a user writes it;
		// strings: Pipeline.DoStrings with lower-case names, no boxing.
		b.Run("pipeline100/"+how, func(b *testing.B) {
			b.ReportAllocs()
			s := openBenchStore(b)
			p := s.Pipeline()
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				for j := 0; j < plen; j++ {
					k := (n*plen + j) % benchKeys
					switch {
					case how == "do" && j&1 == 0:
						p.Do("GET", benchKeyNames[k])
					case how == "do":
						p.Do("SET", benchKeyNames[k], benchValues[k])
					case j&1 == 0:
						p.DoStrings("get", benchKeyNames[k])
					default:
						p.DoStrings("set", benchKeyNames[k], benchValues[k])
					}
				}
				vs, err := p.Exec(ctx)
				if err != nil || len(vs) != plen {
					b.Fatal(len(vs), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*plen), "ns/cmd")
		})
	}
}

// BenchmarkExecutorOnly is the cost of a command on the executor with no
// hand-off at all: GETs (or SETs) dispatched in a loop inside one executor
// job. The difference between it and typed/get/g=1 is what the hand-off
// costs.
func BenchmarkExecutorOnly(b *testing.B) {
	for _, op := range []string{"get", "set"} {
		b.Run(op, func(b *testing.B) {
			b.ReportAllocs()
			s := openBenchStore(b)
			b.ResetTimer()
			err := s.onExecutor(context.Background(), func(s *Store) {
				// One argument buffer, reused: GET and SET keep strings,
				// never the slice.
				get, set := []string{"get", ""}, []string{"set", "", ""}
				for i := 0; i < b.N; i++ {
					k := i % benchKeys
					var v Value
					if op == "get" {
						get[1] = benchKeyNames[k]
						v = s.dispatch(s.DB.cl, get)
					} else {
						set[1], set[2] = benchKeyNames[k], benchValues[k]
						v = s.dispatch(s.DB.cl, set)
					}
					if v.Kind() == KindError {
						b.Error(v)
					}
				}
			})
			if err != nil {
				b.Fatal(err)
			}
		})
	}
}
