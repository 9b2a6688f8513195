package embedis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
)

// incrWatched adds one to key the optimistic way: WATCH, GET, MULTI SET
// EXEC. between, if set, runs between the read and the EXEC.
func incrWatched(ctx context.Context, d *DB, key string, between func()) error {
	return d.Watch(ctx, func(tx *Tx) error {
		v, err := tx.Get(ctx, key)
		if err != nil && !errors.Is(err, Nil) {
			return err
		}
		n, _ := strconv.Atoi(v)
		if between != nil {
			between()
		}
		_, err = tx.TxPipelined(ctx, func(p *TxPipeline) error {
			p.Set(key, strconv.Itoa(n+1))
			return nil
		})
		return err
	}, key)
}

func TestTxWatch(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	if err := incrWatched(ctx, ts.DB, "n", nil); err != nil {
		t.Fatal(err)
	}
	ts.expect(BulkValue("1"), "GET", "n")
	// Another client's write between the read and EXEC: nothing written.
	err := incrWatched(ctx, ts.DB, "n", func() { ts.do("SET", "n", "10") })
	if !errors.Is(err, ErrTxFailed) {
		t.Fatalf("err = %v, want ErrTxFailed", err)
	}
	ts.expect(BulkValue("10"), "GET", "n")
	// An expiry between them counts as a change too.
	ts.do("PEXPIRE", "n", 50)
	err = incrWatched(ctx, ts.DB, "n", func() { ts.clk.Advance(100e6) })
	if !errors.Is(err, ErrTxFailed) {
		t.Fatalf("err = %v, want ErrTxFailed", err)
	}
	if n := ts.registrySize(); n != 0 {
		t.Fatalf("registry holds %d watches", n)
	}
	// Another database: its own keys.
	if err := incrWatched(ctx, ts.Database(7), "n", func() { ts.do("SET", "n", "0") }); err != nil {
		t.Fatal(err)
	}
	if v, _ := ts.Database(7).Get(ctx, "n"); v != "1" {
		t.Fatalf("db 7 n = %q", v)
	}
}

// TestTxRetry: concurrent read-modify-write increments, retried on
// ErrTxFailed, lose no update.
func TestTxRetry(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	const workers, rounds = 4, 50
	var wg sync.WaitGroup
	var mu sync.Mutex
	retries := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				for {
					err := incrWatched(ctx, ts.DB, "counter", nil)
					if err == nil {
						break
					}
					if !errors.Is(err, ErrTxFailed) {
						t.Error(err)
						return
					}
					mu.Lock()
					retries++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	ts.expect(BulkValue(strconv.Itoa(workers*rounds)), "GET", "counter")
	if n := ts.registrySize(); n != 0 {
		t.Fatalf("registry holds %d watches", n)
	}
	t.Logf("%d retries", retries)
}

func TestTxPipelined(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	replies, err := ts.TxPipelined(ctx, func(p *TxPipeline) error {
		p.Set("a", "1")
		p.Incr("a")
		p.IncrBy("a", 10)
		p.Get("a")
		p.Get("missing")
		p.Do("RPUSH", "l", 1, 2)
		p.DoStrings("LRANGE", "l", "0", "-1")
		p.Del("a", "l")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Value{okValue, IntValue(2), IntValue(12), BulkValue("12"), nullValue, IntValue(2),
		ArrayValue(BulkValue("1"), BulkValue("2")), IntValue(2)}
	if len(replies) != len(want) {
		t.Fatalf("replies %v", replies)
	}
	for i := range want {
		if !valuesEqual(replies[i], want[i]) {
			t.Errorf("reply %d = %v, want %v", i, replies[i], want[i])
		}
	}

	// A run-time error: the others run, the error is returned.
	ts.do("SET", "s", "x")
	replies, err = ts.TxPipelined(ctx, func(p *TxPipeline) error {
		p.Set("before", "1")
		p.Do("LPUSH", "s", "a")
		p.Set("after", "1")
		return nil
	})
	if !errors.Is(err, ErrWrongType) || len(replies) != 3 || !valuesEqual(replies[2], okValue) {
		t.Fatalf("replies %v, err %v", replies, err)
	}
	ts.expect(IntValue(2), "EXISTS", "before", "after")

	// A queue-time error: nothing runs.
	replies, err = ts.TxPipelined(ctx, func(p *TxPipeline) error {
		p.Set("q", "1")
		p.Do("NOSUCH", "x")
		return nil
	})
	if !errors.Is(err, ErrExecAbort) || len(replies) != 2 || !valuesEqual(replies[0], queuedValue) {
		t.Fatalf("replies %v, err %v", replies, err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Prefix() != "EXECABORT" {
		t.Errorf("err %v does not unwrap to the EXECABORT *Error", err)
	}
	if replies[1].Err() == nil {
		t.Errorf("reply to NOSUCH = %v", replies[1])
	}
	ts.expect(IntValue(0), "EXISTS", "q")
	_, err = ts.TxPipelined(ctx, func(p *TxPipeline) error { p.Do("GET"); return nil })
	if !errors.Is(err, ErrExecAbort) || !errors.Is(err, catalogError("ERR wrong number of arguments for 'get' command")) {
		t.Errorf("arity: %v", err)
	}

	// Connection commands have no connection to act on.
	_, err = ts.TxPipelined(ctx, func(p *TxPipeline) error { p.Do("SELECT", 1); p.Set("q", "1"); return nil })
	if !errors.Is(err, ErrExecAbort) {
		t.Errorf("SELECT: %v", err)
	}
	ts.expect(IntValue(0), "EXISTS", "q")

	// Nothing queued, an empty command, fn's own error: nothing sent.
	if r, err := ts.TxPipelined(ctx, func(p *TxPipeline) error { return nil }); r != nil || err != nil {
		t.Errorf("empty: %v, %v", r, err)
	}
	if _, err := ts.TxPipelined(ctx, func(p *TxPipeline) error { p.Set("q", "1"); p.Do(); return nil }); err == nil {
		t.Error("empty command accepted")
	}
	boom := errors.New("boom")
	if _, err := ts.TxPipelined(ctx, func(p *TxPipeline) error { p.Set("q", "1"); return boom }); err != boom {
		t.Errorf("fn error: %v", err)
	}
	ts.expect(IntValue(0), "EXISTS", "q")

	// A TxPipeline is reusable; Discard drops its commands.
	p := ts.Database(3).TxPipeline()
	p.Set("d3", "v")
	if p.Len() != 1 {
		t.Errorf("Len = %d", p.Len())
	}
	if _, err := p.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	p.Set("d3", "w")
	p.Discard()
	if r, err := p.Exec(ctx); r != nil || err != nil {
		t.Errorf("after Discard: %v, %v", r, err)
	}
	if v, _ := ts.Database(3).Get(ctx, "d3"); v != "v" {
		t.Errorf("db 3 d3 = %q", v)
	}

	// A cancelled context: the batch runs whole or not at all.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = ts.TxPipelined(cctx, func(p *TxPipeline) error { p.Set("q", "1"); p.Set("r", "1"); return nil })
	switch {
	case err == nil: // the executor took the batch first
		ts.expect(IntValue(2), "EXISTS", "q", "r")
	case errors.Is(err, context.Canceled):
		ts.expect(IntValue(0), "EXISTS", "q", "r")
	default:
		t.Errorf("cancelled: %v", err)
	}
	// A closed store.
	ts2 := newTestStore(t)
	ts2.Close()
	if _, err := ts2.TxPipelined(ctx, func(p *TxPipeline) error { p.Set("q", "1"); return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("closed: %v", err)
	}
}

// catalogError returns the error for an error reply's text.
func catalogError(msg string) error { return errorFromText(msg) }

func TestTxWatchAPI(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	ts.do("SET", "a", "1")

	// Watches are released whatever fn does: returns early, fails, or
	// runs with a cancelled context.
	boom := errors.New("boom")
	err := ts.Watch(ctx, func(tx *Tx) error {
		if n := ts.registrySize(); n != 2 {
			t.Errorf("registry holds %d watches, want 2", n)
		}
		return boom
	}, "a", "b")
	if err != boom {
		t.Fatalf("err = %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	ts.Watch(ctx, func(tx *Tx) error {
		cancel()
		_, err := tx.TxPipelined(cctx, func(p *TxPipeline) error { p.Set("a", "2"); return nil })
		return err
	}, "a")
	if n := ts.registrySize(); n != 0 {
		t.Fatalf("registry holds %d watches", n)
	}

	// Tx.Watch adds keys; Tx.Unwatch forgets them and their changes.
	err = ts.Watch(ctx, func(tx *Tx) error {
		if err := tx.Watch(ctx, "b"); err != nil {
			return err
		}
		ts.do("SET", "b", "x")
		if err := tx.Unwatch(ctx); err != nil {
			return err
		}
		if err := tx.Watch(ctx, "c"); err != nil {
			return err
		}
		_, err := tx.TxPipelined(ctx, func(p *TxPipeline) error { p.Set("a", "3"); return nil })
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ts.expect(BulkValue("3"), "GET", "a")
	if err := ts.Watch(ctx, func(tx *Tx) error { return tx.Watch(ctx) }); err == nil {
		t.Error("Watch with no keys accepted")
	}

	// Commands between WATCH and EXEC run at once, on the Tx's client.
	err = ts.Watch(ctx, func(tx *Tx) error {
		if err := tx.Set(ctx, "a", "4", SetOptions{}); err != nil {
			return err
		}
		_, err := tx.TxPipelined(ctx, func(p *TxPipeline) error { p.Set("a", "5"); return nil })
		return err
	}, "a")
	if !errors.Is(err, ErrTxFailed) {
		t.Fatalf("own write before EXEC: %v, want ErrTxFailed", err)
	}
	ts.expect(BulkValue("4"), "GET", "a")

	// Connection commands are refused on a Tx; so is a second MULTI.
	err = ts.Watch(ctx, func(tx *Tx) error {
		if v, _ := tx.Do(ctx, "SELECT", 2); v.Err() == nil {
			t.Errorf("SELECT on a Tx: %v", v)
		}
		if v, _ := tx.Do(ctx, "CLIENT", "ID"); v.Err() == nil {
			t.Errorf("CLIENT ID on a Tx: %v", v)
		}
		tx.Do(ctx, "MULTI")
		_, err := tx.TxPipelined(ctx, func(p *TxPipeline) error { p.Set("a", "6"); return nil })
		return err
	}, "a")
	if !errors.Is(err, ErrMultiNested) {
		t.Errorf("MULTI through Do, then TxPipelined: %v", err)
	}
	ts.expect(BulkValue("4"), "GET", "a")
	if n := ts.registrySize(); n != 0 {
		t.Fatalf("registry holds %d watches", n)
	}
}

// ExampleDB_Watch shows the optimistic read-modify-write loop.
func ExampleDB_Watch() {
	s, _ := Open(Options{})
	defer s.Close()
	ctx := context.Background()
	s.Set(ctx, "balance", "100", SetOptions{})

	withdraw := func(amount int) error {
		for {
			err := s.Watch(ctx, func(tx *Tx) error {
				v, err := tx.Get(ctx, "balance")
				if err != nil {
					return err
				}
				n, _ := strconv.Atoi(v)
				if n < amount {
					return errors.New("insufficient funds")
				}
				_, err = tx.TxPipelined(ctx, func(p *TxPipeline) error {
					p.Set("balance", strconv.Itoa(n-amount))
					return nil
				})
				return err
			}, "balance")
			if !errors.Is(err, ErrTxFailed) {
				return err // done, or failed for good
			}
			// Someone changed the balance in between: read it again.
		}
	}
	fmt.Println(withdraw(30), withdraw(80))
	v, _ := s.Get(ctx, "balance")
	fmt.Println(v)
	// Output:
	// <nil> insufficient funds
	// 70
}

// ExampleDB_TxPipelined runs commands as one MULTI/EXEC transaction.
func ExampleDB_TxPipelined() {
	s, _ := Open(Options{})
	defer s.Close()
	ctx := context.Background()
	replies, err := s.TxPipelined(ctx, func(p *TxPipeline) error {
		p.Incr("visits")
		p.Do("EXPIRE", "visits", 3600)
		return nil
	})
	fmt.Println(replies[0].Int(), replies[1].Int(), err)
	// Output: 1 1 <nil>
}
