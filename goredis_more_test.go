package embedis_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestGoRedisWrongType(t *testing.T) {
	c, _ := newGoRedis(t)
	ctx := context.Background()
	if err := c.RPush(ctx, "list", "a").Err(); err != nil {
		t.Fatalf("RPUSH: %v", err)
	}
	const wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"
	if err := c.Get(ctx, "list").Err(); err == nil || err.Error() != wrongType {
		t.Errorf("GET of a list: %v; want %q", err, wrongType)
	}
	if err := c.Incr(ctx, "list").Err(); err == nil || err.Error() != wrongType {
		t.Errorf("INCR of a list: %v; want %q", err, wrongType)
	}
	var re redis.Error
	if err := c.Get(ctx, "list").Err(); !errors.As(err, &re) {
		t.Errorf("GET of a list: %T is not a redis.Error", err)
	}
}

func TestGoRedisTTL(t *testing.T) {
	c, clk := newGoRedis(t)
	ctx := context.Background()
	if err := c.Set(ctx, "k", "v", 10*time.Second).Err(); err != nil {
		t.Fatalf("SET EX: %v", err)
	}
	if d, err := c.TTL(ctx, "k").Result(); err != nil || d != 10*time.Second {
		t.Errorf("TTL = %v, %v; want 10s", d, err)
	}
	if d, err := c.PTTL(ctx, "k").Result(); err != nil || d != 10*time.Second {
		t.Errorf("PTTL = %v, %v; want 10s", d, err)
	}
	clk.Advance(4 * time.Second)
	if d, err := c.TTL(ctx, "k").Result(); err != nil || d != 6*time.Second {
		t.Errorf("TTL after 4s = %v, %v; want 6s", d, err)
	}
	if err := c.Set(ctx, "px", "v", 1500*time.Millisecond).Err(); err != nil { // SET px v PX 1500
		t.Fatalf("SET PX: %v", err)
	}
	clk.Advance(7 * time.Second)
	if _, err := c.Get(ctx, "k").Result(); err != redis.Nil {
		t.Errorf("GET after the TTL: %v, want redis.Nil", err)
	}
	if _, err := c.Get(ctx, "px").Result(); err != redis.Nil {
		t.Errorf("GET px after the TTL: %v, want redis.Nil", err)
	}
	// TTL of a key without expiry is -1, of a missing key -2; go-redis
	// reports both as those numbers of nanoseconds.
	if err := c.Set(ctx, "forever", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if d, err := c.TTL(ctx, "forever").Result(); err != nil || d != -1 {
		t.Errorf("TTL of a persistent key = %v, %v; want -1", d, err)
	}
	if d, err := c.TTL(ctx, "k").Result(); err != nil || d != -2 {
		t.Errorf("TTL of a missing key = %v, %v; want -2", d, err)
	}
}
