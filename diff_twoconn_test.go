package embedis_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/embedis/embedis/embedistest"
	"github.com/embedis/embedis/internal/redistest"
)

// twoConnScenarios are command sequences over two connections, A and B,
// that a one-connection script cannot express: a second client modifying
// keys that the first watches, or writing while the first queues a
// transaction. Each step is "A ..." or "B ...".
var twoConnScenarios = map[string][]string{
	"watched key written": {
		"A WATCH k", "B SET k 1", "A MULTI", "A SET k 2", "A EXEC", "A GET k",
	},
	"watched key only read": {
		"A WATCH k", "B GET k", "B EXISTS k", "A MULTI", "A INCR k", "A EXEC",
	},
	"delete of a missing watched key": {
		"A WATCH k", "B DEL k", "A MULTI", "A SET k 1", "A EXEC",
	},
	"expire set on a watched key": {
		"A SET k v", "A WATCH k", "B EXPIRE k 100", "A MULTI", "A GET k", "A EXEC",
	},
	"flushdb with the watched key present": {
		"A SET k v", "A WATCH k", "B FLUSHDB", "A MULTI", "A SET k 2", "A EXEC",
	},
	"flushdb with the watched key absent": {
		"A SET other v", "A WATCH k", "B FLUSHDB", "A MULTI", "A SET k 2", "A EXEC",
	},
	"write in another database": {
		"A WATCH k", "B SELECT 1", "B SET k x", "A MULTI", "A SET k 2", "A EXEC",
	},
	"swapdb bringing the key in": {
		"B SELECT 1", "B SET k x", "A WATCH k", "A SWAPDB 0 1", "A MULTI", "A GET k", "A EXEC",
	},
	"rename onto a watched key": {
		"A SET src v", "A WATCH k", "B RENAME src k", "A MULTI", "A GET k", "A EXEC",
	},
	"rename away from a watched key": {
		"A SET k v", "A WATCH k", "B RENAME k dst", "A MULTI", "A GET k", "A EXEC",
	},
	"script writing a watched key": {
		"A WATCH k", "B EVAL \"return redis.call('SET', KEYS[1], 'x')\" 1 k", "A MULTI", "A GET k", "A EXEC",
	},
	"push after MULTI": {
		"A WATCH k", "A MULTI", "B LPUSH k a", "A LLEN k", "A EXEC", "A LLEN k",
	},
	"unwatch forgets a change": {
		"A WATCH k1 k2", "B SET k2 x", "A UNWATCH", "A MULTI", "A SET k1 y", "A EXEC",
	},
	"queued commands see later writes": {
		"A MULTI", "A INCR n", "B SET n 10", "A INCR n", "A EXEC", "A GET n",
	},
	"watch in one transaction does not outlive EXEC": {
		"A WATCH k", "A MULTI", "A SET k 1", "A EXEC", "B SET k 2", "A MULTI", "A SET k 3", "A EXEC", "A GET k",
	},
	"discard releases watches": {
		"A WATCH k", "A MULTI", "A DISCARD", "B SET k 1", "A MULTI", "A SET k 2", "A EXEC",
	},
	"client list sees both": {
		"A CLIENT SETNAME alice", "B CLIENT SETNAME bob", "A CLIENT GETNAME", "B CLIENT GETNAME",
	},
}

// TestDiffTwoConnections runs each two-connection scenario against a real
// redis-server and against embedis, over RESP2 and RESP3, and compares
// every reply exactly.
func TestDiffTwoConnections(t *testing.T) {
	for name, steps := range twoConnScenarios {
		for _, proto := range []int{2, 3} {
			t.Run(fmt.Sprintf("%s/RESP%d", name, proto), func(t *testing.T) {
				redisAddr := redistest.Start(t)
				embedisAddr := embedistest.Addr(t, embedistest.Open(t))
				want := dialPair(t, redisAddr, proto)
				got := dialPair(t, embedisAddr, proto)
				for i, step := range steps {
					side := 0
					if strings.HasPrefix(step, "B ") {
						side = 1
					}
					args := splitStep(t, step[2:])
					w, err := want[side].Do(args...)
					if err != nil {
						t.Fatalf("step %d %q: redis: %v", i, step, err)
					}
					g, err := got[side].Do(args...)
					if err != nil {
						t.Fatalf("step %d %q: embedis: %v", i, step, err)
					}
					if !w.Equal(g) {
						t.Errorf("step %d %q:\n redis:   %s\n embedis: %s", i, step, w.Render(20), g.Render(20))
					}
				}
			})
		}
	}
}

// dialPair opens connections A and B to addr, switched to proto.
func dialPair(t *testing.T, addr string, proto int) [2]*redistest.Conn {
	t.Helper()
	var cs [2]*redistest.Conn
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

// splitStep splits a step into arguments with the scripts' quoting rules.
func splitStep(t *testing.T, s string) []string {
	t.Helper()
	sc, err := redistest.ParseScript("step", s)
	if err != nil || len(sc.Lines) != 1 {
		t.Fatalf("bad step %q: %v", s, err)
	}
	return sc.Lines[0].Args
}
