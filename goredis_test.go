package embedis_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/embedis/embedis"
	"github.com/embedis/embedis/embedistest"
	"github.com/redis/go-redis/v9"
)

// The go-redis suite: the real client, with default options (RESP3), on the
// store's in-memory connection.

// captureLogger records what go-redis logs.
type captureLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *captureLogger) Printf(_ context.Context, format string, v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.lines) < 100 {
		l.lines = append(l.lines, fmt.Sprintf(format, v...))
	}
}

func (l *captureLogger) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.lines
	l.lines = nil
	return out
}

// goRedisLog captures go-redis's log. go-redis has one global logger,
// which other tests replace too, so newGoRedis installs it for every test.
var goRedisLog = &captureLogger{}

// newGoRedis opens a store with a manual clock and a go-redis client on its
// in-memory connection; both are closed when the test ends. Anything
// go-redis logs fails the test.
func newGoRedis(t *testing.T) (*redis.Client, *embedis.ManualClock) {
	t.Helper()
	redis.SetLogger(goRedisLog)
	goRedisLog.take()
	clk := embedis.NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	s := embedistest.Open(t, embedis.Options{Clock: clk})
	c := redis.NewClient(&redis.Options{Dialer: s.DialContext})
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("closing the client: %v", err)
		}
		for _, l := range goRedisLog.take() {
			t.Errorf("go-redis logged: %s", l)
		}
	})
	return c, clk
}

func TestGoRedisConnectLogsNothing(t *testing.T) {
	c, _ := newGoRedis(t)
	ctx := context.Background()
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("PING: %v", err)
	}
	// The handshake (HELLO 3, CLIENT SETINFO ...) is done: nothing logged.
	if lines := goRedisLog.take(); len(lines) != 0 {
		t.Errorf("go-redis logged on connect:\n%s", strings.Join(lines, "\n"))
	}
	// The connection is RESP3: a RESP3-only reply shape arrives as such.
	proto, err := c.Do(ctx, "HELLO").Result()
	if err != nil {
		t.Fatalf("HELLO: %v", err)
	}
	m, ok := proto.(map[any]any)
	if !ok || m["proto"] != int64(3) {
		t.Errorf("HELLO replied %#v, want a map with proto 3", proto)
	}
	if lines := goRedisLog.take(); len(lines) != 0 {
		t.Errorf("go-redis logged:\n%s", strings.Join(lines, "\n"))
	}

	// The capture works: go-redis logs when it rounds a TTL below 1ms up.
	if err := c.Set(ctx, "k", "v", time.Microsecond).Err(); err != nil {
		t.Fatalf("SET PX 1: %v", err)
	}
	lines := goRedisLog.take()
	if len(lines) != 1 || !strings.Contains(lines[0], "truncating to 1ms") {
		t.Errorf("go-redis logged %q, want its one line about truncating to 1ms", lines)
	}
}

func TestGoRedisSetGet(t *testing.T) {
	c, _ := newGoRedis(t)
	ctx := context.Background()
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatalf("SET: %v", err)
	}
	if v, err := c.Get(ctx, "k").Result(); err != nil || v != "v" {
		t.Errorf("GET k = %q, %v; want \"v\"", v, err)
	}
	bin := "a\x00b\r\n"
	if err := c.Set(ctx, "bin", bin, 0).Err(); err != nil {
		t.Fatalf("SET bin: %v", err)
	}
	if v, err := c.Get(ctx, "bin").Result(); err != nil || v != bin {
		t.Errorf("GET bin = %q, %v; want %q", v, err, bin)
	}
	if ok, err := c.SetNX(ctx, "k", "other", 0).Result(); err != nil || ok {
		t.Errorf("SETNX existing = %v, %v; want false", ok, err)
	}
}

func TestGoRedisNil(t *testing.T) {
	c, _ := newGoRedis(t)
	ctx := context.Background()
	v, err := c.Get(ctx, "missing").Result()
	if err != redis.Nil {
		t.Errorf("GET missing = %q, %v; want redis.Nil", v, err)
	}
}

func TestGoRedisIncr(t *testing.T) {
	c, _ := newGoRedis(t)
	ctx := context.Background()
	for want := int64(1); want <= 3; want++ {
		if n, err := c.Incr(ctx, "n").Result(); err != nil || n != want {
			t.Fatalf("INCR = %d, %v; want %d", n, err, want)
		}
	}
	if n, err := c.IncrBy(ctx, "n", -10).Result(); err != nil || n != -7 {
		t.Errorf("INCRBY -10 = %d, %v; want -7", n, err)
	}
	if n, err := c.DecrBy(ctx, "n", 3).Result(); err != nil || n != -10 {
		t.Errorf("DECRBY 3 = %d, %v; want -10", n, err)
	}
}

func TestGoRedisErrors(t *testing.T) {
	c, _ := newGoRedis(t)
	ctx := context.Background()
	if err := c.Set(ctx, "s", "hello", 0).Err(); err != nil {
		t.Fatal(err)
	}
	err := c.Incr(ctx, "s").Err()
	if err == nil || err.Error() != "ERR value is not an integer or out of range" {
		t.Errorf("INCR on a string: %v", err)
	}
	err = c.Do(ctx, "NOSUCHCOMMAND", "a").Err()
	if err == nil || err.Error() != "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' " {
		t.Errorf("unknown command: %v", err)
	}
	err = c.Do(ctx, "GET").Err()
	if err == nil || err.Error() != "ERR wrong number of arguments for 'get' command" {
		t.Errorf("GET with no key: %v", err)
	}
	// The connection is still good after errors.
	if v, err := c.Get(ctx, "s").Result(); err != nil || v != "hello" {
		t.Errorf("GET after errors = %q, %v", v, err)
	}
}

func TestGoRedisPipeline(t *testing.T) {
	c, _ := newGoRedis(t)
	ctx := context.Background()
	var set *redis.StatusCmd
	var incr *redis.IntCmd
	var get, missing *redis.StringCmd
	cmds, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		set = p.Set(ctx, "k", "v", 0)
		incr = p.Incr(ctx, "n")
		p.Incr(ctx, "k") // fails: not an integer
		get = p.Get(ctx, "k")
		missing = p.Get(ctx, "missing")
		return nil
	})
	// Pipelined returns the first failure among the commands.
	if err == nil || err.Error() != "ERR value is not an integer or out of range" {
		t.Errorf("Pipelined err = %v", err)
	}
	if len(cmds) != 5 {
		t.Fatalf("Pipelined ran %d commands, want 5", len(cmds))
	}
	if v, err := set.Result(); err != nil || v != "OK" {
		t.Errorf("SET = %q, %v", v, err)
	}
	if v, err := incr.Result(); err != nil || v != 1 {
		t.Errorf("INCR = %d, %v", v, err)
	}
	if v, err := get.Result(); err != nil || v != "v" {
		t.Errorf("GET = %q, %v", v, err)
	}
	if _, err := missing.Result(); err != redis.Nil {
		t.Errorf("GET missing: %v, want redis.Nil", err)
	}

	// A longer pipeline keeps the order of its replies.
	const n = 200
	res := make([]*redis.IntCmd, n)
	if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i := range res {
			res[i] = p.Incr(ctx, "seq")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if v, err := r.Result(); err != nil || v != int64(i+1) {
			t.Fatalf("INCR #%d = %d, %v", i, v, err)
		}
	}
}
