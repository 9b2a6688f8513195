package embedistest_test

import (
	"context"
	"testing"
	"time"

	"github.com/embedis/embedis/embedistest"
	"github.com/redis/go-redis/v9"
)

// A test of code that uses go-redis gets a fresh store and a client on the
// store's in-memory connection; FastForward expires keys without waiting.
// (The test function is shown, not run, since an example has no
// *testing.T of its own.)
func Example() {
	testSessionExpiry := func(t *testing.T) {
		s := embedistest.Open(t)
		rdb := redis.NewClient(&redis.Options{Dialer: s.DialContext})
		defer rdb.Close()
		ctx := context.Background()

		if err := rdb.Set(ctx, "session:1", "alice", time.Minute).Err(); err != nil {
			t.Fatal(err)
		}
		embedistest.AssertString(t, s, "session:1", "alice")
		embedistest.AssertTTL(t, s, "session:1", 50*time.Second, time.Minute)
		embedistest.FastForward(t, s, 2*time.Minute)
		embedistest.AssertNotExists(t, s, "session:1")
	}
	_ = testSessionExpiry
}

// A client's retry path: the first two GETs find Redis still loading its
// dataset; go-redis retries LOADING, so the call succeeds.
func ExampleInjectFault() {
	testRetry := func(t *testing.T) {
		s := embedistest.Open(t)
		rdb := redis.NewClient(&redis.Options{Dialer: s.DialContext})
		defer rdb.Close()
		embedistest.InjectFault(t, s, embedistest.Fault{Command: "GET", Times: 2, Err: embedistest.Loading})
		if err := rdb.Get(context.Background(), "k").Err(); err != redis.Nil {
			t.Fatalf("GET: %v, want redis.Nil after the retries", err)
		}
	}
	_ = testRetry
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
