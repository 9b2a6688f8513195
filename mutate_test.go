package embedis

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestPanicBreaksStore: a panic on the executor does not take down the
// process; the request that panicked gets an error naming it, every later
// command gets ErrBroken, Broken tells what happened, Close works.
func TestPanicBreaksStore(t *testing.T) {
	s, err := Open(Options{})
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, s.Set(ctx, "k", "v", SetOptions{}))
	require.NoError(t, s.onExecutor(ctx, func(*Store) { panic("boom") }))

	_, err = s.Get(ctx, "k")
	require.ErrorIs(t, err, ErrBroken)
	v, err := s.Do(ctx, "PING")
	require.NoError(t, err)
	require.ErrorIs(t, v.Err(), ErrBroken)

	berr := s.Broken()
	require.ErrorIs(t, berr, ErrBroken)
	require.Contains(t, berr.Error(), "boom")
	require.Contains(t, berr.Error(), "goroutine") // the stack
	require.NoError(t, s.Close())
}

// TestPanicInBatch: every command of a batch from the one that panicked
// on gets the error reply, and the caller gets its replies.
func TestPanicInBatch(t *testing.T) {
	s, err := Open(Options{})
	require.NoError(t, err)
	defer s.Close()
	// A client whose database does not exist makes invoke panic (an
	// index out of range): a stand-in for a handler bug.
	r := getRequest(&client{db: 99, proto: 3})
	r.batch = [][]string{{"SET", "a", "1"}, {"GET", "a"}}
	r.replies = make([]Value, 2)
	require.NoError(t, s.submit(context.Background(), r))
	for _, v := range r.replies {
		require.Contains(t, v.Str(), "panicked")
	}
	putRequest(r)
	require.ErrorIs(t, s.Broken(), ErrBroken)
}

// fakeDurable is a durability step a test completes by hand.
type fakeDurable struct {
	turns chan []*request
}

func (f *fakeDurable) barrier(held []*request) { f.turns <- held }

// TestReleaseAfterDurability: with a durability step installed, a reply is
// released only when the step completes the turn; one step covers every
// request of the turn.
func TestReleaseAfterDurability(t *testing.T) {
	ts := newTestStore(t)
	fd := &fakeDurable{turns: make(chan []*request, 4)}
	done := make(chan error, 1)
	go func() { done <- ts.onExecutor(context.Background(), func(s *Store) { s.durable = fd }) }()
	// The job that installs the step is the first request held by it.
	for _, r := range <-fd.turns {
		r.complete()
	}
	require.NoError(t, <-done)

	go func() { done <- ts.Set(context.Background(), "k", "v", SetOptions{}) }()
	held := <-fd.turns
	require.Len(t, held, 1)
	select {
	case err := <-done:
		t.Fatalf("Set returned (%v) before its durability step completed", err)
	default:
	}
	for _, r := range held {
		r.complete()
	}
	require.NoError(t, <-done)

	// Remove the step (the job removing it is released at once, since
	// the step is gone when it ends); later calls are released at once.
	require.NoError(t, ts.onExecutor(context.Background(), func(s *Store) { s.durable = nil }))
	require.Equal(t, "v", ts.do("GET", "k").Str())
}

// TestNoSelfExpire: with expiry by the store's own clock off (a replica),
// an expired key reads as missing but stays stored, nothing is
// propagated, and only a DEL through the write path removes it.
func TestNoSelfExpire(t *testing.T) {
	ts := newTestStore(t)
	rec := attachFeed(t, ts.Store)
	ts.do("SET", "k", "v", "PX", "100")
	ts.do("SET", "k2", "v", "PX", "100")
	require.NoError(t, ts.onExecutor(context.Background(), func(s *Store) { s.noSelfExpire = true }))
	rec.take()
	ts.clk.Advance(time.Second)
	require.True(t, ts.do("GET", "k").IsNull())
	require.Equal(t, int64(0), ts.do("EXISTS", "k").Int())
	require.NoError(t, ts.onExecutor(context.Background(), func(s *Store) { s.cron() }))
	require.Equal(t, int64(2), ts.do("DBSIZE").Int(), "expired keys stay stored")
	require.Empty(t, rec.take(), "nothing propagated")
	// A client's DEL sees nothing; the primary's removes the key.
	require.Equal(t, int64(0), ts.do("DEL", "k").Int())
	primary := &DB{s: ts.Store, cl: &client{proto: 3, primary: true}}
	v, err := primary.Do(context.Background(), "DEL", "k")
	require.NoError(t, err)
	require.Equal(t, int64(1), v.Int())
	require.Equal(t, int64(1), ts.do("DBSIZE").Int())
	// A write replaces a logically expired key.
	require.Equal(t, int64(1), ts.do("RPUSH", "k2", "x").Int())
}

func TestBrokenErrorText(t *testing.T) {
	require.True(t, strings.HasPrefix(ErrBroken.Error(), "ERR "))
	require.True(t, errors.Is(ErrBroken, ErrBroken))
}

// TestReplayingKeepsPastTTL: a client replaying a log or a primary's stream
// applies an expiry time already past instead of deleting the key (the
// stream carries the DEL itself), as Redis does while loading.
func TestReplayingKeepsPastTTL(t *testing.T) {
	ts := newTestStore(t)
	ts.do("SET", "k", "v")
	ts.do("SET", "k2", "v")
	loader := &DB{s: ts.Store, cl: &client{proto: 3, loading: true}}
	v, err := loader.Do(context.Background(), "PEXPIREAT", "k", "1")
	require.NoError(t, err)
	require.Equal(t, int64(1), v.Int())
	require.NoError(t, ts.onExecutor(context.Background(), func(s *Store) {
		e := s.dbs[0].keys.Get("k")
		require.NotNil(t, e, "replayed past expiry deleted the key")
		require.Equal(t, int64(1), e.expire)
	}))
	// An ordinary client's past expiry deletes at once.
	require.Equal(t, int64(1), ts.do("PEXPIREAT", "k2", "1").Int())
	require.Equal(t, int64(0), ts.do("EXISTS", "k2").Int())
}
