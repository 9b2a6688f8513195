// Package embedistest helps the tests of Redis-backed code: each test gets
// its own embedis store, opened in microseconds, checked and closed when
// the test ends, reachable through the Go API and over the Redis protocol.
//
//	func TestCache(t *testing.T) {
//		s := embedistest.Open(t)
//		rdb := redis.NewClient(&redis.Options{Dialer: s.DialContext})
//		defer rdb.Close()
//		// ... exercise the code under test with rdb ...
//		embedistest.AssertString(t, s, "user:1:name", "alice")
//		embedistest.AssertTTL(t, s, "session:1", 50*time.Minute, time.Hour)
//	}
//
// Clients: go-redis and other clients that accept a dialer use the store's
// in-memory connection (Store.DialContext); code configured with an
// address, and tools such as redis-cli, use Addr, a TCP listener on
// 127.0.0.1 closed when the test ends.
//
// Time: every store Open opens has a Clock that follows real time, so keys
// expire by themselves and blocking commands time out as against Redis.
// FastForward(t, s, d) jumps ahead: keys past their TTL are deleted and
// blocked commands past their timeout are answered before it returns.
// ClockOf(t, s).Freeze() stops the clock for exact TTL assertions; see
// Clock for what a frozen clock means for timeouts.
//
// Faults: InjectFault makes the next commands (all of them, or those of
// one name) fail with LOADING, READONLY, BUSY or any error, drop the
// connection, or wait first, to test a client's retry paths.
//
// Real Redis: Start(t) gives a Server that is a fresh embedis store, or,
// when the REDIS_ADDR environment variable is set, the real Redis at that
// address (flushed before the test), so one test runs against both.
//
// Randomness: Open seeds the store (RANDOMKEY, SPOP ...) with a fixed seed,
// and Rand(t) gives the test a generator whose seed is logged and can be
// set with EMBEDISTEST_SEED to replay a failure.
package embedistest

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/embedis/embedis"
)

// clocks maps each store Open opened to a function that moves its clock
// forward (an *embedistest.Clock's or an *embedis.ManualClock's), for
// FastForward and ClockOf. Entries are removed when the test ends.
var clocks sync.Map // *embedis.Store -> clockEntry

type clockEntry struct {
	kit    *Clock // nil when the test passed its own clock
	manual *embedis.ManualClock
}

// Open opens a fresh in-memory store for t. When t and its subtests have
// finished (t.Cleanup) it checks the store's internal invariants (a
// violation, a bug in embedis, fails the test) and closes it. It fails the
// test if the store cannot be opened.
//
// opts, if given, configures the store (at most one embedis.Options).
// When its Clock is nil, the store gets a running Clock starting at the
// real time (see ClockOf). When its Seed is zero, Open uses a fixed seed
// (1) instead of one from the clock, so a test's random choices
// (RANDOMKEY, SPOP ...) are the same on every run.
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
	var ce clockEntry
	switch c := o.Clock.(type) {
	case nil:
		ce.kit = NewClock(time.Time{})
		o.Clock = ce.kit
	case *Clock:
		ce.kit = c
	case *embedis.ManualClock:
		ce.manual = c
	}
	s, err := embedis.Open(o)
	if err != nil {
		t.Fatalf("embedistest.Open: %v", err)
	}
	clocks.Store(s, ce)
	t.Cleanup(func() {
		clocks.Delete(s)
		s.Intercept(nil)
		if err := s.CheckInvariants(context.Background()); err != nil && !errors.Is(err, embedis.ErrClosed) {
			t.Errorf("embedistest: store invariants at the end of the test: %v", err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("embedistest: closing the store: %v", err)
		}
	})
	return s
}

// ClockOf returns the Clock of a store Open opened with the default clock
// (or with a *Clock in its Options). It fails the test for any other
// store, whose clock the kit cannot move.
func ClockOf(t testing.TB, s *embedis.Store) *Clock {
	t.Helper()
	v, ok := clocks.Load(s)
	if !ok || v.(clockEntry).kit == nil {
		t.Fatalf("embedistest.ClockOf: the store was not opened by embedistest.Open with an embedistest.Clock")
		return nil
	}
	return v.(clockEntry).kit
}

// FastForward moves the clock of s, a store Open opened, forward by d, as
// Clock.FastForward does, and then deletes every key whose TTL has passed
// and answers every blocked command whose timeout has passed, so that when
// it returns DBSIZE, SCAN and keyspace events reflect the new time. It
// works with the default Clock and with an *embedis.ManualClock passed in
// the Options; it fails the test for a store with any other clock.
func FastForward(t testing.TB, s *embedis.Store, d time.Duration) {
	t.Helper()
	v, ok := clocks.Load(s)
	if !ok {
		t.Fatalf("embedistest.FastForward: the store was not opened by embedistest.Open")
		return
	}
	switch ce := v.(clockEntry); {
	case ce.kit != nil:
		ce.kit.FastForward(d)
	case ce.manual != nil:
		ce.manual.Advance(d)
	default:
		t.Fatalf("embedistest.FastForward: the store's clock cannot be moved; open it with the default clock, an *embedistest.Clock or an *embedis.ManualClock")
		return
	}
	if _, err := s.ExpireNow(context.Background()); err != nil {
		t.Fatalf("embedistest.FastForward: expiring keys: %v", err)
	}
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
