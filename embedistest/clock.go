package embedistest

import (
	"sync"
	"time"

	"github.com/embedis/embedis"
)

// manualClock names embedis.ManualClock for embedding in Clock without an
// exported field: the store learns from it when the time jumps.
type manualClock = embedis.ManualClock

// Clock is a store clock for tests that follows real time and can be moved
// forward. Open gives every store one (unless the test passes its own
// Options.Clock); ClockOf returns it.
//
// Running (the default), the clock advances with real time, so keys expire
// by themselves and a blocking command's timeout (BLPOP key 0.1) passes
// as it would against Redis. FastForward jumps ahead: keys whose TTL it
// passes read as missing at once, and blocked commands whose timeout it
// passes are answered. Use the store-level FastForward to also delete the
// expired keys before it returns.
//
// Freeze stops the clock for tests that assert exact TTLs. A frozen clock
// moves only by FastForward: nothing that waits on time (a BLPOP timeout,
// XREAD BLOCK, a key's TTL) happens by itself, so a client blocked with a
// timeout waits until the test moves the clock past it (or until its own
// read timeout). Resume lets it run again.
//
// A Clock is safe for concurrent use; the test may move it while clients
// are connected and commands are blocked.
type Clock struct {
	// manualClock carries the store's subscription to time jumps: Clock
	// signals it on every move. Its own time is not used.
	*manualClock

	mu sync.Mutex
	// base is the clock's time at realAt (running) or its time (frozen).
	base   time.Time
	realAt time.Time // a reading of the real clock with its monotonic part
	frozen bool
}

// NewClock returns a running clock that reads start now and then advances
// with real time. A zero start means the real time.
func NewClock(start time.Time) *Clock {
	now := time.Now()
	if start.IsZero() {
		start = now.Round(0) // the wall reading, without the monotonic part
	}
	return &Clock{manualClock: embedis.NewManualClock(start), base: start, realAt: now}
}

// Now returns the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *Clock) nowLocked() time.Time {
	if c.frozen {
		return c.base
	}
	return c.base.Add(time.Since(c.realAt))
}

// FastForward moves the clock forward by d; it panics if d is negative
// (time in a Redis store does not go back). Keys whose TTL passes read as
// missing from then on, and the store answers the blocked commands whose
// timeout passed. A running clock keeps running from the new time.
func (c *Clock) FastForward(d time.Duration) {
	if d < 0 {
		panic("embedistest: Clock.FastForward with a negative duration " + d.String())
	}
	c.mu.Lock()
	c.base = c.base.Add(d)
	c.mu.Unlock()
	c.manualClock.Advance(d) // tells the store that time jumped
}

// Advance is FastForward, for code written against embedis.ManualClock.
func (c *Clock) Advance(d time.Duration) { c.FastForward(d) }

// Set moves the clock to t, which must not be before its current time
// (it panics otherwise). A running clock keeps running from t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	d := t.Sub(c.nowLocked())
	c.mu.Unlock()
	c.FastForward(d)
}

// Freeze stops the clock at its current time. See Clock for what a frozen
// clock means for timeouts.
func (c *Clock) Freeze() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.frozen {
		c.base, c.frozen = c.nowLocked(), true
	}
}

// Resume lets a frozen clock follow real time again, from the time it
// was frozen at.
func (c *Clock) Resume() {
	c.mu.Lock()
	if c.frozen {
		c.frozen, c.realAt = false, time.Now()
	}
	c.mu.Unlock()
	c.manualClock.Advance(0) // deadlines may be due again
}

// Frozen reports whether the clock is stopped.
func (c *Clock) Frozen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.frozen
}
