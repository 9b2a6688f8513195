package embedis

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Tests of the pipeline API and of the hand-off between callers and the
// executor (store.go: queue, submit, run).

func TestPipelineRepliesInOrder(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	p := ts.Pipeline()
	p.Do("SET", "k", "v")
	p.Do("INCR", "n")
	p.Do("INCR", "k") // an error reply does not stop the batch
	p.DoStrings("get", "k")
	p.Do("INCRBY", "n", 41)
	p.Do() // empty command
	p.Do("nosuch")
	p.Do("GET") // wrong arity
	if p.Len() != 8 {
		t.Fatalf("Len = %d, want 8", p.Len())
	}
	got, err := p.Exec(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []Value{
		okValue,
		IntValue(1),
		ErrorValue("ERR value is not an integer or out of range"),
		BulkValue("v"),
		IntValue(42),
		ErrorValue("ERR empty command"),
		ErrorValue("ERR unknown command 'nosuch', with args beginning with: "),
		ErrorValue("ERR wrong number of arguments for 'get' command"),
	}
	if len(got) != len(want) {
		t.Fatalf("%d replies, want %d", len(got), len(want))
	}
	for i := range want {
		if !valuesEqual(got[i], want[i]) {
			t.Errorf("reply %d: got %s, want %s", i, got[i], want[i])
		}
	}
	if !errors.Is(got[2].Err(), ErrNotInteger) {
		t.Errorf("reply 2: Err() = %v, want ErrNotInteger", got[2].Err())
	}
	if p.Len() != 0 {
		t.Errorf("Len after Exec = %d, want 0", p.Len())
	}
}

func TestPipelineReuseAndReset(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	p := ts.Pipeline()
	if vs, err := p.Exec(ctx); vs != nil || err != nil {
		t.Fatalf("empty Exec = %v, %v; want nil, nil", vs, err)
	}
	// Replies of one Exec stay valid after the next: each Exec returns a
	// slice of its own, and argument storage is never reused.
	var all [][]Value
	for round := 0; round < 3; round++ {
		for i := 0; i < 50; i++ { // enough to outgrow the first arena
			p.Do("SET", "k"+strconv.Itoa(i), round*100+i)
		}
		p.Do("INCR", "rounds")
		vs, err := p.Exec(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, vs)
	}
	for round, vs := range all {
		if len(vs) != 51 {
			t.Fatalf("round %d: %d replies", round, len(vs))
		}
		if n := vs[50]; !valuesEqual(n, IntValue(int64(round+1))) {
			t.Errorf("round %d: INCR = %s", round, n)
		}
	}
	ts.expect(BulkValue("200"), "GET", "k0")
	ts.expect(BulkValue("249"), "GET", "k49")

	p.Do("SET", "discarded", "1")
	p.Reset()
	if vs, err := p.Exec(ctx); vs != nil || err != nil {
		t.Fatalf("Exec after Reset = %v, %v", vs, err)
	}
	ts.expect(IntValue(0), "EXISTS", "discarded")
}

func TestPipelineUsesItsDatabase(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	p := ts.Database(3).Pipeline()
	p.Do("SET", "k", "three")
	if _, err := p.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	ts.expect(nullValue, "GET", "k")
	if v, err := ts.Database(3).Get(ctx, "k"); err != nil || v != "three" {
		t.Fatalf("db 3 GET = %q, %v", v, err)
	}
}

func TestPipelineAfterClose(t *testing.T) {
	s, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := s.Pipeline()
	p.Do("SET", "k", "v")
	s.Close()
	if _, err := p.Exec(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Exec after Close: %v, want ErrClosed", err)
	}
}

// blockExecutor runs a job on the executor that holds it until the
// returned release is called, and returns once the job has started: the
// executor takes nothing new meanwhile.
func blockExecutor(t *testing.T, s *Store) (release func()) {
	t.Helper()
	started, hold, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		if err := s.onExecutor(context.Background(), func(*Store) {
			close(started)
			<-hold
		}); err != nil {
			t.Errorf("blocking job: %v", err)
		}
	}()
	<-started
	return func() { close(hold); <-done }
}

// waitQueued waits until n requests are in s's queue. The executor must be
// blocked (see blockExecutor), so nothing takes them meanwhile.
func waitQueued(s *Store, n int) {
	for {
		c := 0
		for r := s.q.head.Load(); r != nil && r != queueClosed; r = r.next {
			c++
		}
		if c >= n {
			return
		}
		runtime.Gosched()
	}
}

func TestCancelWhileQueuedDoesNotRun(t *testing.T) {
	ts := newTestStore(t)
	release := blockExecutor(t, ts.Store)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 2)
	go func() {
		_, err := ts.Incr(ctx, "n")
		errc <- err
	}()
	go func() {
		p := ts.Pipeline()
		p.Do("INCR", "n")
		_, err := p.Exec(ctx)
		errc <- err
	}()
	waitQueued(ts.Store, 2)
	cancel()
	for i := 0; i < 2; i++ {
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("call %d: %v, want context.Canceled", i, err)
		}
	}
	release()
	ts.expect(nullValue, "GET", "n")
}

func TestCancelledContextNeverRuns(t *testing.T) {
	ts := newTestStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ts.Incr(ctx, "n"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Incr: %v, want context.Canceled", err)
	}
	ts.expect(nullValue, "GET", "n")
}

func TestCancelAfterTakenCompletes(t *testing.T) {
	ts := newTestStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	ran := false
	// The job cancels its own context while it runs: it was taken, so it
	// completes and its caller hears success.
	err := ts.onExecutor(ctx, func(*Store) { ran = true; cancel() })
	if err != nil || !ran {
		t.Fatalf("onExecutor = %v, ran = %v; want nil, true", err, ran)
	}
}

func TestCloseFailsQueued(t *testing.T) {
	s, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	release := blockExecutor(t, s)
	const n = 6
	errc := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			if i%2 == 0 {
				_, err := s.Incr(context.Background(), "n")
				errc <- err
				return
			}
			p := s.Pipeline()
			p.Do("INCR", "n")
			_, err := p.Exec(context.Background())
			errc <- err
		}()
	}
	waitQueued(s, n)
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	for !s.closed.Load() {
		runtime.Gosched()
	}
	release()
	<-closed
	for i := 0; i < n; i++ {
		if err := <-errc; !errors.Is(err, ErrClosed) {
			t.Errorf("queued call: %v, want ErrClosed", err)
		}
	}
}

// TestRequestBatch is the contract of the wire server: a request with
// batch and replies runs every vector in one turn.
func TestRequestBatch(t *testing.T) {
	ts := newTestStore(t)
	r := getRequest(&client{db: 0, proto: 3})
	r.batch = [][]string{{"set", "a", "1"}, {"incr", "a"}, {"get", "a"}}
	r.replies = make([]Value, len(r.batch))
	if err := ts.submit(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	want := []Value{okValue, IntValue(2), BulkValue("2")}
	for i := range want {
		if !valuesEqual(r.replies[i], want[i]) {
			t.Errorf("reply %d: got %s, want %s", i, r.replies[i], want[i])
		}
	}
	putRequest(r)
}

// hammer runs callers goroutines that each make ops seeded-random calls
// (typed INCR, Do INCR, or a pipeline of INCRs) on counter keys, and
// checks the totals afterwards.
func hammer(t *testing.T, s *Store, callers, ops int) {
	t.Helper()
	ctx := context.Background()
	const keys = 4
	var (
		mu   sync.Mutex
		want [keys]int64
		wg   sync.WaitGroup
	)
	for g := 0; g < callers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 42))
			var mine [keys]int64
			for i := 0; i < ops; i++ {
				k := rng.IntN(keys)
				key := "c" + strconv.Itoa(k)
				switch rng.IntN(3) {
				case 0:
					if _, err := s.Incr(ctx, key); err != nil {
						t.Error(err)
						return
					}
					mine[k]++
				case 1:
					if v, err := s.Do(ctx, "INCRBY", key, 2); err != nil || v.Kind() != KindInt {
						t.Error(v, err)
						return
					}
					mine[k] += 2
				default:
					p := s.Pipeline()
					n := 1 + rng.IntN(5)
					for j := 0; j < n; j++ {
						p.Do("INCR", key)
					}
					vs, err := p.Exec(ctx)
					if err != nil || len(vs) != n {
						t.Error(len(vs), err)
						return
					}
					// Consecutive replies: no other caller's command ran
					// between them in this executor.
					for j := 1; j < n; j++ {
						if vs[j].Int() != vs[j-1].Int()+1 {
							t.Errorf("pipeline replies %d, %d not consecutive", vs[j-1].Int(), vs[j].Int())
						}
					}
					mine[k] += int64(n)
				}
			}
			mu.Lock()
			for k := range mine {
				want[k] += mine[k]
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	for k := range want {
		got, err := s.Get(ctx, "c"+strconv.Itoa(k))
		if err != nil && !errors.Is(err, Nil) {
			t.Fatal(err)
		}
		if want[k] != 0 && got != strconv.FormatInt(want[k], 10) {
			t.Errorf("c%d = %q, want %d", k, got, want[k])
		}
	}
}

func TestHandoffConcurrentCallers(t *testing.T) {
	ts := newTestStore(t)
	hammer(t, ts.Store, 16, 300)
}

// TestHandoffGOMAXPROCS1 checks that nothing starves or hangs when the
// executor and its callers share one processor: callers must not spin
// there, and the executor's spin must yield.
func TestHandoffGOMAXPROCS1(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	ts := newTestStore(t)     // opened under GOMAXPROCS=1
	if ts.callSpinners != 0 { // none may spin
		t.Errorf("callSpinners = %d with GOMAXPROCS=1, want 0", ts.callSpinners)
	}
	hammer(t, ts.Store, 8, 200)
}

func TestCloseWhileCallersHammer(t *testing.T) {
	for _, procs := range []int{1, 2} {
		t.Run("procs="+strconv.Itoa(procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			s, err := Open(Options{})
			if err != nil {
				t.Fatal(err)
			}
			var wg, started sync.WaitGroup
			for g := 0; g < 8; g++ {
				wg.Add(1)
				started.Add(1)
				go func() {
					defer wg.Done()
					ctx := context.Background()
					p := s.Pipeline()
					for i := 0; ; i++ {
						if i == 1 {
							started.Done()
						}
						var err error
						if g%2 == 0 {
							_, err = s.Incr(ctx, "n")
						} else {
							p.Do("INCR", "n")
							_, err = p.Exec(ctx)
						}
						if err != nil {
							if i == 0 {
								started.Done()
							}
							if !errors.Is(err, ErrClosed) {
								t.Errorf("call: %v", err)
							}
							return
						}
					}
				}()
			}
			started.Wait()
			s.Close()
			wg.Wait() // hangs if a push racing Close is never answered
		})
	}
}

// TestExecutorParksWhenIdle checks that the executor's spin is bounded:
// with no work it ends up parked (this test would time out otherwise).
func TestExecutorParksWhenIdle(t *testing.T) {
	ts := newTestStore(t)
	for i := 0; i < 10; i++ {
		if _, err := ts.Incr(context.Background(), "n"); err != nil {
			t.Fatal(err)
		}
	}
	for !ts.q.sleeping.Load() {
		runtime.Gosched()
	}
}

// TestCronRunsWhileBusy checks that a store kept busy by one caller still
// runs its periodic work: a key past its TTL, never touched, is removed by
// active expiry while the caller hammers another key.
func TestCronRunsWhileBusy(t *testing.T) {
	ts := newTestStore(t, func(o *Options) { o.Hz = 500 })
	ctx := context.Background()
	if err := ts.Set(ctx, "ttl", "v", SetOptions{TTL: time.Second}); err != nil {
		t.Fatal(err)
	}
	ts.clk.Advance(2 * time.Second)
	for i := 0; ; i++ {
		if _, err := ts.Incr(ctx, "n"); err != nil {
			t.Fatal(err)
		}
		if i%256 != 0 {
			continue
		}
		var n int
		if err := ts.onExecutor(ctx, func(s *Store) { n = s.dbs[0].keys.Len() }); err != nil {
			t.Fatal(err)
		}
		if n == 1 { // only "n" is left
			return
		}
	}
}
