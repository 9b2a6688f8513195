// Package embedistest helps the tests of Redis-backed code: each test gets
// its own embedis store, opened in microseconds and closed when the test
// ends, reachable both through the Go API and over the Redis protocol.
//
//	func TestCache(t *testing.T) {
//		s := embedistest.Open(t)
//		client := redis.NewClient(&redis.Options{Addr: embedistest.Addr(t, s)})
//		defer client.Close()
//		// ... exercise the code under test with client ...
//	}
//
// For a client that accepts a dialer (go-redis's Options.Dialer), the store's
// in-memory connection (Store.DialContext) skips the TCP listener.
//
// Time: pass embedis.Options{Clock: clk} with an *embedis.ManualClock to
// control expiry; Advance the clock to expire keys instead of sleeping.
package embedistest

import (
	"errors"
	"net"
	"testing"

	"github.com/embedis/embedis"
)

// Open opens a fresh in-memory store for t and closes it when t and its
// subtests have finished (t.Cleanup). It fails the test if the store cannot
// be opened.
//
// opts, if given, configures the store (at most one embedis.Options). When
// its Seed is zero, Open uses a fixed seed (1) instead of one from the
// clock, so a test's random choices (RANDOMKEY, SPOP ...) are the same on
// every run.
func Open(t testing.TB, opts ...embedis.Options) *embedis.Store {
	t.Helper()
	var o embedis.Options
	switch len(opts) {
	case 0:
	case 1:
		o = opts[0]
	default:
		t.Fatalf("embedistest.Open: %d Options given, want at most one", len(opts))
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	s, err := embedis.Open(o)
	if err != nil {
		t.Fatalf("embedistest.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("embedistest: closing the store: %v", err)
		}
	})
	return s
}

// Addr serves s over TCP on a free port of 127.0.0.1 until t ends, and
// returns the address ("127.0.0.1:port") for clients and tools that need
// one (redis-cli -p, a client configured by address). At cleanup the
// listener is closed and its Serve loop waited for; connections already
// accepted stay open until the store is closed, which Open does at the end
// of the test. A client that takes a dialer can skip the socket altogether
// with s.DialContext.
func Addr(t testing.TB, s *embedis.Store) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("embedistest.Addr: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(l) }()
	t.Cleanup(func() {
		l.Close()
		// Serve returns the listener's error when it was closed here, and
		// nil or ErrClosed when the store was closed first.
		if err := <-done; err != nil && !errors.Is(err, net.ErrClosed) && !errors.Is(err, embedis.ErrClosed) {
			t.Errorf("embedistest.Addr: serving %s: %v", l.Addr(), err)
		}
	})
	return l.Addr().String()
}
