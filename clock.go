package embedis

import (
	"sync"
	"time"
)

// Clock is the store's source of time: expiry, TTL, TIME, idle times and
// stream IDs all read it. The default is the real clock; tests pass a
// *ManualClock to move time without sleeping.
//
// Now is called by the executor goroutine once per command, so it must be
// cheap and safe to call from any goroutine.
type Clock interface {
	Now() time.Time
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// ManualClock is a Clock that moves only when told to. It is safe for
// concurrent use.
//
// Nothing that waits on time happens by itself on a ManualClock: a client
// blocked in BLPOP with a 100 ms timeout waits until Advance passes the
// timeout (or until its own read timeout). Tests of code that blocks with
// timeouts are better served by embedistest's clock, which follows real
// time and can also be moved forward.
//
//	clk := embedis.NewManualClock(time.Unix(1700000000, 0))
//	s, _ := embedis.Open(embedis.Options{Clock: clk})
//	s.Set(ctx, "k", "v", embedis.SetOptions{TTL: time.Second})
//	clk.Advance(2 * time.Second) // "k" has expired
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
	// watchers are signalled (without blocking) whenever the time moves, so
	// a store's executor notices deadlines (blocked commands' timeouts,
	// expiry) at once instead of at its next tick.
	watchers map[chan<- struct{}]struct{}
}

// timeWatcher is implemented by clocks that can tell a store when time
// jumps; only ManualClock does.
type timeWatcher interface {
	watch(ch chan<- struct{})
	unwatch(ch chan<- struct{})
}

func (c *ManualClock) watch(ch chan<- struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.watchers == nil {
		c.watchers = map[chan<- struct{}]struct{}{}
	}
	c.watchers[ch] = struct{}{}
}

func (c *ManualClock) unwatch(ch chan<- struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.watchers, ch)
}

// notify signals the watchers; called with c.mu held.
func (c *ManualClock) notify() {
	for ch := range c.watchers {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// NewManualClock returns a clock stopped at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t} }

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (backward when d is negative).
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.notify()
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.notify()
	c.mu.Unlock()
}
