package embedis

import (
	"context"
	"errors"
	"sync"
	"testing"
)

func TestOpenCloseIdempotent(t *testing.T) {
	s, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Set(ctx, "k", "v", SetOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := s.Get(ctx, "k"); !errors.Is(err, ErrClosed) {
		t.Fatalf("Get after Close: %v, want ErrClosed", err)
	}
	if _, err := s.Do(ctx, "PING"); !errors.Is(err, ErrClosed) {
		t.Fatalf("Do after Close: %v, want ErrClosed", err)
	}
}

func TestOpenValidatesOptions(t *testing.T) {
	for _, o := range []Options{{Databases: -1}, {Databases: maxDatabases + 1}, {Hz: -5}, {Hz: 501}} {
		if _, err := Open(o); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("Open(%+v) = %v, want ErrInvalidOptions", o, err)
		}
	}
}

func TestCloseWhileCallersWait(t *testing.T) {
	s, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var wg, started sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		started.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				if i == 1 {
					started.Done()
				}
				if _, err := s.Incr(ctx, "n"); err != nil {
					if i == 0 {
						started.Done()
					}
					if !errors.Is(err, ErrClosed) {
						t.Errorf("Incr: %v", err)
					}
					return
				}
			}
		}()
	}
	started.Wait() // every caller is in its loop
	s.Close()
	wg.Wait()
}

func TestContextCancelledBeforeRun(t *testing.T) {
	ts := newTestStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// A cancelled context may or may not beat the executor; either the
	// command ran fully or it did not run at all.
	_, err := ts.Incr(ctx, "n")
	v, _ := ts.Get(context.Background(), "n")
	switch {
	case err == nil && v != "1":
		t.Fatalf("Incr succeeded but n=%q", v)
	case errors.Is(err, context.Canceled) && v != "":
		t.Fatalf("Incr cancelled but n=%q", v)
	case err != nil && !errors.Is(err, context.Canceled):
		t.Fatalf("Incr: %v", err)
	}
}

func TestDoUnknownAndArity(t *testing.T) {
	ts := newTestStore(t)
	ts.expectErr("ERR unknown command 'nosuch', with args beginning with: 'a' 'b' ", "nosuch", "a", "b")
	ts.expectErr("ERR unknown command 'nosuch', with args beginning with: ", "nosuch")
	ts.expectErr("ERR wrong number of arguments for 'get' command", "GET")
	ts.expectErr("ERR wrong number of arguments for 'get' command", "get", "a", "b")
	ts.expect(BulkValue("x"), "EcHo", "x")
}
