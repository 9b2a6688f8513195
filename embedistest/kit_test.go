package embedistest_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/embedis/embedis"
	"github.com/embedis/embedis/embedistest"
	"github.com/embedis/embedis/internal/redistest"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func client(t *testing.T, s *embedis.Store, o ...func(*redis.Options)) *redis.Client {
	opts := &redis.Options{Dialer: s.DialContext}
	for _, f := range o {
		f(opts)
	}
	c := redis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	return c
}

// A BLPOP with a short timeout times out by itself with the default
// clock, which follows real time: the hang a stopped ManualClock caused.
func TestBlockingTimeoutWithDefaultClock(t *testing.T) {
	s := embedistest.Open(t)
	rdb := client(t, s)
	start := time.Now()
	// BLPOP with a 100 ms timeout (go-redis's BLPop rounds up to 1s).
	_, err := rdb.Do(context.Background(), "BLPOP", "queue", "0.1").Result()
	require.ErrorIs(t, err, redis.Nil)
	// Timeouts are checked at the store's Hz (10/s); far below go-redis's
	// read timeout, which a hang would hit.
	assert.Less(t, time.Since(start), 2*time.Second)
}

// With a frozen clock a blocked command waits until FastForward passes
// its timeout, and FastForward answers it before returning.
func TestFrozenClockFastForwardUnblocks(t *testing.T) {
	s := embedistest.Open(t)
	embedistest.ClockOf(t, s).Freeze()
	rdb := client(t, s)
	done := make(chan error, 1)
	go func() {
		_, err := rdb.BLPop(context.Background(), time.Second, "queue").Result()
		done <- err
	}()
	// Wait until the BLPOP is blocked (CLIENT LIST through a second
	// client would also do; the store's blocked-clients count is direct).
	require.Eventually(t, func() bool {
		v, err := s.Do(context.Background(), "INFO", "clients")
		return err == nil && strings.Contains(v.Str(), "blocked_clients:1")
	}, 10*time.Second, time.Millisecond)
	embedistest.FastForward(t, s, 2*time.Second)
	require.ErrorIs(t, <-done, redis.Nil)
}

func TestFastForwardExpiresKeys(t *testing.T) {
	s := embedistest.Open(t)
	clk := embedistest.ClockOf(t, s)
	clk.Freeze()
	ctx := context.Background()
	rdb := client(t, s)
	require.NoError(t, rdb.Set(ctx, "session", "alice", time.Minute).Err())
	require.NoError(t, rdb.Set(ctx, "forever", "x", 0).Err())
	embedistest.AssertTTL(t, s, "session", time.Minute, time.Minute)
	embedistest.FastForward(t, s, 30*time.Second)
	embedistest.AssertTTL(t, s, "session", 30*time.Second, 30*time.Second)
	embedistest.FastForward(t, s, 30*time.Second)
	embedistest.AssertNotExists(t, s, "session")
	// Deleted, not only invisible: DBSIZE counts what is stored.
	n, err := rdb.DBSize(ctx).Result()
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	assert.Panics(t, func() { clk.FastForward(-time.Second) })
}

func TestClockFollowsRealTime(t *testing.T) {
	start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	clk := embedistest.NewClock(start)
	require.False(t, clk.Frozen())
	clk.FastForward(time.Hour)
	now := clk.Now()
	assert.False(t, now.Before(start.Add(time.Hour)))
	clk.Freeze()
	frozen := clk.Now()
	assert.Equal(t, frozen, clk.Now())
	clk.Set(frozen.Add(time.Minute))
	assert.Equal(t, frozen.Add(time.Minute), clk.Now())
	clk.Resume()
	assert.False(t, clk.Now().Before(frozen.Add(time.Minute)))
	// The store's TIME reads the kit's clock.
	s := embedistest.Open(t, embedis.Options{Clock: clk})
	v, err := s.Do(context.Background(), "TIME")
	require.NoError(t, err)
	sec, err := strconv.ParseInt(v.Elems()[0].Str(), 10, 64)
	require.NoError(t, err)
	want := start.Add(time.Hour + time.Minute).Unix()
	assert.True(t, sec >= want && sec < want+60, "TIME = %s, want about %d", v, want)
}

func TestFastForwardWithManualClock(t *testing.T) {
	clk := embedis.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	s := embedistest.Open(t, embedis.Options{Clock: clk})
	ctx := context.Background()
	_, err := s.Do(ctx, "SET", "k", "v", "PX", 10)
	require.NoError(t, err)
	embedistest.FastForward(t, s, 10*time.Millisecond)
	embedistest.AssertNotExists(t, s, "k")
	n, err := s.Do(ctx, "DBSIZE")
	require.NoError(t, err)
	assert.Equal(t, int64(0), n.Int())
}

// go-redis retries LOADING and READONLY replies and dropped connections:
// faults used up within its retries are invisible to the caller.
func TestFaultsRetriedByGoRedis(t *testing.T) {
	ctx := context.Background()
	for _, f := range []embedistest.Fault{
		{Command: "get", Times: 2, Err: embedistest.Loading},
		{Command: "GET", Times: 1, Err: embedistest.MasterDown},
		{Command: "GET", Times: 2, Drop: true},
		{Times: 1, Err: embedistest.Loading}, // any command but the handshake
	} {
		t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
			s := embedistest.Open(t)
			rdb := client(t, s, func(o *redis.Options) { o.MinRetryBackoff, o.MaxRetryBackoff = time.Millisecond, time.Millisecond })
			require.NoError(t, rdb.Set(ctx, "k", "v", 0).Err())
			embedistest.InjectFault(t, s, f)
			got, err := rdb.Get(ctx, "k").Result()
			require.NoError(t, err)
			assert.Equal(t, "v", got)
		})
	}
}

func TestFaultErrorReplies(t *testing.T) {
	ctx := context.Background()
	s := embedistest.Open(t)
	rdb := client(t, s, func(o *redis.Options) { o.MaxRetries = -1 })
	embedistest.InjectFault(t, s, embedistest.Fault{Command: "SET", Times: 1, Err: embedistest.ReadOnly})
	embedistest.InjectFault(t, s, embedistest.Fault{Command: "SET", Times: 1, Err: embedistest.Busy})
	embedistest.InjectFault(t, s, embedistest.Fault{Command: "SET", Times: 1, Err: "ERR custom"})
	for _, want := range []string{embedistest.ReadOnly, embedistest.Busy, "ERR custom"} {
		err := rdb.Set(ctx, "k", "v", 0).Err()
		require.Error(t, err)
		assert.Equal(t, want, err.Error())
	}
	require.NoError(t, rdb.Set(ctx, "k", "v", 0).Err(), "the faults are used up")
	// The Go API sees the faults too.
	embedistest.InjectFault(t, s, embedistest.Fault{Command: "get", Times: 1, Err: embedistest.Loading})
	_, err := s.Get(ctx, "k")
	require.Error(t, err)
	assert.Equal(t, embedistest.Loading, err.Error())
	// Unlimited until cleared.
	embedistest.InjectFault(t, s, embedistest.Fault{Command: "incr", Err: embedistest.OOM})
	for range 3 {
		assert.EqualError(t, rdb.Incr(ctx, "n").Err(), embedistest.OOM)
	}
	embedistest.ClearFaults(s)
	assert.NoError(t, rdb.Incr(ctx, "n").Err())
}

// A fault inside MULTI aborts the transaction, as Redis's LOADING does.
func TestFaultInMulti(t *testing.T) {
	ctx := context.Background()
	s := embedistest.Open(t)
	rdb := client(t, s, func(o *redis.Options) { o.MaxRetries = -1 })
	embedistest.InjectFault(t, s, embedistest.Fault{Command: "INCR", Times: 1, Err: embedistest.Loading})
	_, err := rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, "a", "1", 0)
		p.Incr(ctx, "b")
		return nil
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "EXECABORT")
	embedistest.AssertNotExists(t, s, "a")
}

// A delayed command makes a client with a short read timeout give up.
func TestFaultDelay(t *testing.T) {
	ctx := context.Background()
	s := embedistest.Open(t)
	rdb := client(t, s, func(o *redis.Options) { o.ReadTimeout, o.MaxRetries = 20*time.Millisecond, -1 })
	embedistest.InjectFault(t, s, embedistest.Fault{Command: "GET", Times: 1, Delay: 200 * time.Millisecond})
	err := rdb.Get(ctx, "k").Err()
	var ne interface{ Timeout() bool }
	require.True(t, errors.As(err, &ne) && ne.Timeout(), "err = %v, want a timeout", err)
	// The next GET runs normally (through the Go API, which waits for the
	// delayed one to finish first, unlike the client's short timeout).
	_, err = s.Get(ctx, "k")
	assert.ErrorIs(t, err, embedis.Nil)
}

func TestFaultDropWithoutRetry(t *testing.T) {
	ctx := context.Background()
	s := embedistest.Open(t)
	rdb := client(t, s, func(o *redis.Options) { o.MaxRetries = -1 })
	require.NoError(t, rdb.Ping(ctx).Err())
	embedistest.InjectFault(t, s, embedistest.Fault{Command: "GET", Times: 1, Drop: true})
	err := rdb.Get(ctx, "k").Err()
	require.Error(t, err)
	assert.NotErrorIs(t, err, redis.Nil)
	assert.ErrorIs(t, rdb.Get(ctx, "k").Err(), redis.Nil, "a new connection works")
}

// fakeT records what the assertions report.
type fakeT struct{ msgs []string }

func (f *fakeT) Errorf(format string, args ...any) {
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}

func TestAssertions(t *testing.T) {
	ctx := context.Background()
	s := embedistest.Open(t)
	embedistest.ClockOf(t, s).Freeze()
	for _, c := range [][]any{
		{"SET", "str", "hello", "EX", 100},
		{"RPUSH", "list", "a", "b", "c"},
		{"SADD", "set", "x", "y"},
		{"HSET", "hash", "f", "1", "g", "2"},
		{"ZADD", "zset", 2, "b", 1, "a"},
	} {
		v, err := s.Do(ctx, c...)
		require.NoError(t, err)
		require.NoError(t, v.Err())
	}
	// The passing forms.
	assert.True(t, embedistest.AssertExists(t, s, "str"))
	assert.True(t, embedistest.AssertNotExists(t, s, "nope"))
	assert.True(t, embedistest.AssertType(t, s, "list", "list"))
	assert.True(t, embedistest.AssertString(t, s, "str", "hello"))
	assert.True(t, embedistest.AssertList(t, s, "list", []string{"a", "b", "c"}))
	assert.True(t, embedistest.AssertSet(t, s, "set", []string{"y", "x"}))
	assert.True(t, embedistest.AssertHash(t, s, "hash", map[string]string{"f": "1", "g": "2"}))
	assert.True(t, embedistest.AssertZSet(t, s, "zset", []embedistest.Z{{"a", 1}, {"b", 2}}))
	assert.True(t, embedistest.AssertTTL(t, s, "str", 100*time.Second, 100*time.Second))
	// Another database through its handle.
	_, err := s.Database(3).Do(ctx, "SET", "k", "v")
	require.NoError(t, err)
	assert.True(t, embedistest.AssertString(t, s.Database(3), "k", "v"))

	// The failing forms print what differs.
	for _, c := range []struct {
		check func(f *fakeT) bool
		want  []string
	}{
		{func(f *fakeT) bool { return embedistest.AssertExists(f, s, "nope") }, []string{`key "nope" does not exist`}},
		{func(f *fakeT) bool { return embedistest.AssertString(f, s, "str", "bye") }, []string{`value of "str"`, `-bye`, `+hello`}},
		{func(f *fakeT) bool { return embedistest.AssertString(f, s, "list", "a") }, []string{`TYPE "list"`, `"list"`}},
		{func(f *fakeT) bool { return embedistest.AssertList(f, s, "list", []string{"a", "c"}) }, []string{`list "list"`, `+ (string) (len=1) "b",`}},
		{func(f *fakeT) bool { return embedistest.AssertSet(f, s, "set", []string{"x"}) }, []string{`set "set"`, `"y"`}},
		{func(f *fakeT) bool { return embedistest.AssertHash(f, s, "hash", map[string]string{"f": "1"}) }, []string{`hash "hash"`, `"g"`}},
		{func(f *fakeT) bool { return embedistest.AssertZSet(f, s, "zset", []embedistest.Z{{"a", 1}, {"b", 3}}) }, []string{`sorted set "zset"`, `Score: (float64) 3`}},
		{func(f *fakeT) bool { return embedistest.AssertTTL(f, s, "str", time.Second, 2*time.Second) }, []string{`TTL of "str" is 1m40s; want between 1s and 2s`}},
		{func(f *fakeT) bool { return embedistest.AssertTTL(f, s, "list", time.Second, 2*time.Second) }, []string{`key "list" has no TTL`}},
		{func(f *fakeT) bool { return embedistest.AssertTTL(f, s, "nope", time.Second, 2*time.Second) }, []string{`key "nope" does not exist`}},
	} {
		f := &fakeT{}
		assert.False(t, c.check(f))
		msg := strings.Join(f.msgs, "\n")
		for _, w := range c.want {
			assert.Contains(t, msg, w)
		}
	}
}

func TestRandIsSeededByName(t *testing.T) {
	var a, b uint64
	t.Run("x", func(t *testing.T) { a = embedistest.Rand(t).Uint64() })
	t.Run("x#01", func(t *testing.T) { b = embedistest.Rand(t).Uint64() })
	var a2 uint64
	t.Run("x", func(t *testing.T) { a2 = embedistest.Rand(t).Uint64() })
	assert.NotEqual(t, a, b)
	t.Setenv(embedistest.SeedEnv, "42")
	var c, d uint64
	t.Run("y", func(t *testing.T) { c = embedistest.Rand(t).Uint64() })
	t.Run("z", func(t *testing.T) { d = embedistest.Rand(t).Uint64() })
	assert.Equal(t, c, d)
	_ = a2
}

// The same test runs against embedis, and against a real Redis when
// REDIS_ADDR is set.
func TestStartServer(t *testing.T) {
	srv := embedistest.Start(t)
	checkServer(t, srv)
	srv.FastForward(2 * time.Hour) // skips against a real Redis
	embedistest.AssertNotExists(t, srv, "s")
}

// TestStartRealRedis runs checkServer against redis-server 7.0 through
// REDIS_ADDR.
func TestStartRealRedis(t *testing.T) {
	t.Setenv(embedistest.RedisAddrEnv, redistest.Start(t))
	srv := embedistest.Start(t)
	require.True(t, srv.Real())
	checkServer(t, srv)
}

func checkServer(t *testing.T, srv *embedistest.Server) {
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr, Dialer: srv.Dial})
	t.Cleanup(func() { rdb.Close() })
	require.NoError(t, rdb.RPush(ctx, "q", "a", "b").Err())
	require.NoError(t, rdb.HSet(ctx, "h", "f", "v").Err())
	require.NoError(t, rdb.ZAdd(ctx, "z", redis.Z{Score: 1.5, Member: "m"}).Err())
	require.NoError(t, rdb.SAdd(ctx, "set", "x", "y").Err())
	embedistest.AssertList(t, srv, "q", []string{"a", "b"})
	embedistest.AssertHash(t, srv, "h", map[string]string{"f": "v"})
	embedistest.AssertZSet(t, srv, "z", []embedistest.Z{{"m", 1.5}})
	embedistest.AssertSet(t, srv, "set", []string{"y", "x"})
	embedistest.AssertType(t, srv, "nope", "none")
	require.NoError(t, rdb.Set(ctx, "s", "v", time.Hour).Err())
	embedistest.AssertString(t, srv, "s", "v")
	embedistest.AssertTTL(t, srv, "s", 59*time.Minute, time.Hour)
}

// The kit's clock drives stream IDs and idle times too.
func TestFastForwardStreamIDsAndIdleTime(t *testing.T) {
	ctx := context.Background()
	s := embedistest.Open(t)
	clk := embedistest.ClockOf(t, s)
	clk.Freeze()
	at := clk.Now()
	_, err := s.Do(ctx, "SET", "k", "v")
	require.NoError(t, err)
	embedistest.FastForward(t, s, time.Hour)
	id, err := s.Do(ctx, "XADD", "events", "*", "type", "login")
	require.NoError(t, err)
	ms, _, _ := strings.Cut(id.Str(), "-")
	assert.Equal(t, strconv.FormatInt(at.Add(time.Hour).UnixMilli(), 10), ms)
	idle, err := s.Do(ctx, "OBJECT", "IDLETIME", "k")
	require.NoError(t, err)
	assert.Equal(t, int64(3600), idle.Int())
}

// A connection closed by the server (CLIENT KILL) looks to go-redis as a
// closed socket does: it redials on the in-memory dialer and the call
// succeeds.
func TestClientKillRedials(t *testing.T) {
	ctx := context.Background()
	s := embedistest.Open(t)
	rdb := client(t, s, func(o *redis.Options) { o.PoolSize = 1 })
	admin := client(t, s)
	require.NoError(t, rdb.Set(ctx, "k", "v", 0).Err())
	id, err := rdb.ClientID(ctx).Result()
	require.NoError(t, err)
	n, err := admin.ClientKillByFilter(ctx, "ID", strconv.FormatInt(id, 10)).Result()
	require.NoError(t, err)
	require.Equal(t, int64(1), n)
	got, err := rdb.Get(ctx, "k").Result()
	require.NoError(t, err)
	assert.Equal(t, "v", got)
	id2, err := rdb.ClientID(ctx).Result()
	require.NoError(t, err)
	assert.NotEqual(t, id, id2, "a new connection")
}
