package embedistest_test

import (
	"context"
	"testing"
	"time"

	"github.com/embedis/embedis"
	"github.com/embedis/embedis/embedistest"
	"github.com/redis/go-redis/v9"
)

// A test of code that uses go-redis gets a fresh store and a client on the
// store's in-memory connection; a manual clock expires keys without
// waiting. (The test function is shown, not run, since an example has no
// *testing.T of its own.)
func Example() {
	testSessionExpiry := func(t *testing.T) {
		clk := embedis.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		s := embedistest.Open(t, embedis.Options{Clock: clk})
		rdb := redis.NewClient(&redis.Options{Dialer: s.DialContext})
		defer rdb.Close()
		ctx := context.Background()

		if err := rdb.Set(ctx, "session:1", "alice", time.Minute).Err(); err != nil {
			t.Fatal(err)
		}
		clk.Advance(2 * time.Minute)
		if err := rdb.Get(ctx, "session:1").Err(); err != redis.Nil {
			t.Fatalf("session:1 outlived its TTL: %v", err)
		}
	}
	_ = testSessionExpiry
}

// Code that is configured with an address (or a tool such as redis-cli)
// reaches the store through a TCP listener on 127.0.0.1.
func ExampleAddr() {
	testWithAddress := func(t *testing.T) {
		s := embedistest.Open(t)
		addr := embedistest.Addr(t, s) // "127.0.0.1:port", closed at cleanup

		rdb := redis.NewClient(&redis.Options{Addr: addr})
		defer rdb.Close()
		ctx := context.Background()
		if err := rdb.Set(ctx, "greeting", "hello", 0).Err(); err != nil {
			t.Fatal(err)
		}
		// What the code under test wrote over the wire is visible through
		// the store's own methods too.
		if v, err := s.Get(ctx, "greeting"); err != nil || v != "hello" {
			t.Fatalf("greeting = %q, %v", v, err)
		}
	}
	_ = testWithAddress
}
