package embedis_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/embedis/embedis/embedistest"
	"github.com/embedis/embedis/internal/redistest"
)

// pubsubScenarios are pub/sub exchanges over two connections. A step is
// "A <command>" or "B <command>", optionally "A+n <command>" when the
// command answers with n frames (SUBSCRIBE a b c: one confirmation per
// channel), or "A<n" to read n frames that arrived on A without sending
// anything (messages published by B). Every frame is compared exactly.
var pubsubScenarios = map[string][]string{
	"subscribe publish unsubscribe": {
		"A+2 SUBSCRIBE a b", "B PUBLISH a hello", "A<1", "B PUBLISH b world", "A<1",
		"B PUBLISH c nobody", "A+1 UNSUBSCRIBE a", "B PUBLISH a gone", "B PUBLISH b still", "A<1",
		"A UNSUBSCRIBE b", "A UNSUBSCRIBE", "A PING", "A GET x",
	},
	"subscribed mode": {
		"A SUBSCRIBE a", "A GET x", "A PING", "A PING hi", "A NOSUCH", "A GET", "A MULTI",
		"A CLIENT LIST", "A SUBSCRIBE a", "A UNSUBSCRIBE nosuch", "A UNSUBSCRIBE a", "A GET x",
	},
	"patterns": {
		"A+2 PSUBSCRIBE news.* h?llo", "B PUBLISH news.art x", "A<1", "B PUBLISH hallo y", "A<1",
		"A SUBSCRIBE news.art", "B PUBLISH news.art z", "A<2", "B PUBSUB NUMPAT", "B PUBSUB NUMSUB news.art nosuch",
		"B PUBSUB CHANNELS", "B PUBSUB CHANNELS news*", "B PUBSUB CHANNELS x*",
		"A PUNSUBSCRIBE news.*", "B PUBLISH news.art w", "A<1", "A PUNSUBSCRIBE", "A PUNSUBSCRIBE",
		"A UNSUBSCRIBE", "B PUBSUB NUMPAT",
	},
	"pattern syntax": {
		"A+3 PSUBSCRIBE [a-c]x \\* a\\?b", "B PUBLISH bx 1", "A<1", "B PUBLISH * 2", "A<1",
		"B PUBLISH a?b 3", "A<1", "B PUBLISH aab 4", "B PUBLISH dx 5",
	},
	"shard channels": {
		"A+2 SSUBSCRIBE s1 s2", "A SUBSCRIBE c", "B SPUBLISH s1 m", "A<1", "B PUBLISH s1 m2",
		"B PUBSUB SHARDCHANNELS s1", "B PUBSUB SHARDNUMSUB s1 s3", "B PUBSUB SHARDCHANNELS s2*",
		"A SUNSUBSCRIBE s1", "A SUNSUBSCRIBE s2", "A SUNSUBSCRIBE", "A UNSUBSCRIBE", "A GET x",
	},
	"publish counts": {
		"A SUBSCRIBE c", "A PSUBSCRIBE c*", "B SUBSCRIBE c", "B PSUBSCRIBE *", "C PUBLISH c m", "A<2", "B<2",
		"C PUBLISH x m", "B<1", "C PUBSUB NUMSUB c", "C PUBSUB NUMPAT",
	},
	"publish in multi and script": {
		"A SUBSCRIBE c", "B MULTI", "B PUBLISH c one", "B SET k v", "B PUBLISH c two", "B EXEC", "A<2",
		"B EVAL \"return redis.call('PUBLISH', 'c', 'three')\" 0", "A<1",
		"B SUBSCRIBE c", "C PUBLISH c four", "A<1", "B<1",
	},
	"reset leaves subscriptions": {
		"A SUBSCRIBE c", "A PSUBSCRIBE p*", "A RESET", "B PUBLISH c m", "B PUBLISH px m", "A PING", "B PUBSUB NUMSUB c", "B PUBSUB NUMPAT",
	},
	"quit leaves subscriptions": {
		"A SUBSCRIBE c", "A QUIT", "B PUBSUB NUMSUB c", "B PUBLISH c m",
	},
	"resp3 pushes interleave": {
		"A SUBSCRIBE c", "A SET k v", "B PUBLISH c m1", "A<1", "A GET k", "A+2 PUBLISH c self", "A INCR n",
	},
	"unsubscribe with nothing": {
		"A UNSUBSCRIBE", "A PUNSUBSCRIBE", "A SUNSUBSCRIBE", "A UNSUBSCRIBE a b", "A GET x",
	},
	"keyspace notifications": {
		"B CONFIG SET notify-keyspace-events KEA", "B CONFIG GET notify-keyspace-events",
		"A+2 SUBSCRIBE __keyspace@0__:k __keyevent@0__:del", "B SET k v", "A<1", "B DEL k", "A<2",
		"B CONFIG SET notify-keyspace-events Elg", "B SET k v", "B DEL k", "A<1",
		"B CONFIG SET notify-keyspace-events Kq", "B CONFIG SET notify-keyspace-events ''",
	},
}

// pubsubRESP3Only lists the scenarios that need RESP3 (commands interleaved with messages).
var pubsubRESP3Only = map[string]bool{"resp3 pushes interleave": true}

// TestDiffPubSub runs each pub/sub scenario against redis-server 7.0 and
// embedis, over RESP2 and RESP3, and compares every frame.
func TestDiffPubSub(t *testing.T) {
	for name, steps := range pubsubScenarios {
		for _, proto := range []int{2, 3} {
			if proto == 2 && pubsubRESP3Only[name] {
				continue
			}
			t.Run(fmt.Sprintf("%s/RESP%d", name, proto), func(t *testing.T) {
				redisAddr := redistest.Start(t)
				embedisAddr := embedistest.Addr(t, embedistest.Open(t))
				want := dialN(t, redisAddr, proto, 3)
				got := dialN(t, embedisAddr, proto, 3)
				for i, step := range steps {
					side, frames, args := parsePubSubStep(t, step)
					for j, cs := range [][]*redistest.Conn{want, got} {
						if args != nil {
							if err := cs[side].Write(args...); err != nil {
								t.Fatalf("step %d %q: write: %v", i, step, err)
							}
						}
						_ = j
					}
					for f := 0; f < frames; f++ {
						w, err := want[side].Read()
						if err != nil {
							t.Fatalf("step %d %q frame %d: redis: %v", i, step, f, err)
						}
						g, err := got[side].Read()
						if err != nil {
							t.Fatalf("step %d %q frame %d: embedis: %v (redis sent %s)", i, step, f, err, w.Render(20))
						}
						if !w.Equal(g) {
							t.Errorf("step %d %q frame %d:\n redis:   %s\n embedis: %s", i, step, f, w.Render(20), g.Render(20))
						}
					}
				}
			})
		}
	}
}

// parsePubSubStep splits a step into its connection, the frames to read
// and the command (nil for a read-only step).
func parsePubSubStep(t *testing.T, step string) (side, frames int, args []string) {
	t.Helper()
	head, rest, _ := strings.Cut(step, " ")
	side = int(head[0] - 'A')
	frames = 1
	switch {
	case strings.HasPrefix(head[1:], "<"):
		n, err := strconv.Atoi(head[2:])
		if err != nil {
			t.Fatalf("bad step %q", step)
		}
		return side, n, nil
	case strings.HasPrefix(head[1:], "+"):
		n, err := strconv.Atoi(head[2:])
		if err != nil {
			t.Fatalf("bad step %q", step)
		}
		frames = n
	}
	return side, frames, splitStep(t, rest)
}

// dialN opens n connections to addr, switched to proto.
func dialN(t *testing.T, addr string, proto, n int) []*redistest.Conn {
	t.Helper()
	cs := make([]*redistest.Conn, n)
	for i := range cs {
		c, err := redistest.Dial(addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if proto == 3 {
			if _, err := c.Do("HELLO", "3"); err != nil {
				t.Fatal(err)
			}
		}
		cs[i] = c
	}
	return cs
}
