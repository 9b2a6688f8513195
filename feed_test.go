package embedis

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/embedis/embedis/internal/redistest"
	"github.com/stretchr/testify/require"
)

// feedRecorder is a write-feed sink that renders the feed as a Redis
// replica receives it: one line per command, SELECT inserted where the
// database changes. Safe to read from the test goroutine.
type feedRecorder struct {
	mu    sync.Mutex
	db    int
	lines []string
	units int
}

func newFeedRecorder() *feedRecorder { return &feedRecorder{db: -1} }

func (f *feedRecorder) feedUnit(ops []feedOp) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.units++
	for _, op := range ops {
		if op.db != f.db {
			f.lines = append(f.lines, "SELECT "+strconv.Itoa(op.db))
			f.db = op.db
		}
		f.lines = append(f.lines, strings.Join(op.args, " "))
	}
}

func (f *feedRecorder) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.lines
	f.lines = nil
	return out
}

// attachFeed adds a recorder to ts's feed.
func attachFeed(t testing.TB, s *Store) *feedRecorder {
	t.Helper()
	rec := newFeedRecorder()
	require.NoError(t, s.onExecutor(context.Background(), func(s *Store) { s.addFeedSink(rec) }))
	return rec
}

func TestFeedForms(t *testing.T) {
	ts := newTestStore(t)
	rec := attachFeed(t, ts.Store)
	now := testStart.UnixMilli()
	at := func(ms int64) string { return strconv.FormatInt(now+ms, 10) }

	for _, tc := range []struct {
		cmd  []any
		want []string
	}{
		{[]any{"SET", "a", "1"}, []string{"SELECT 0", "SET a 1"}},
		{[]any{"SET", "a", "1", "NX"}, nil}, // changed nothing
		{[]any{"GET", "a"}, nil},
		{[]any{"SET", "b", "2", "EX", "10"}, []string{"SET b 2 PXAT " + at(10000)}},
		{[]any{"SETEX", "b", "5", "x"}, []string{"SET b x PXAT " + at(5000)}},
		{[]any{"EXPIRE", "a", "100"}, []string{"PEXPIREAT a " + at(100000)}},
		{[]any{"GETEX", "a", "PERSIST"}, []string{"PERSIST a"}},
		{[]any{"GETDEL", "a"}, []string{"DEL a"}},
		{[]any{"INCRBYFLOAT", "f", "1.5"}, []string{"SET f 1.5 KEEPTTL"}},
		{[]any{"HINCRBYFLOAT", "h", "x", "2.5"}, []string{"HSET h x 2.5"}},
		{[]any{"SADD", "s", "m"}, []string{"SADD s m"}},
		{[]any{"SPOP", "s"}, []string{"SREM s m"}},
		{[]any{"RPUSH", "l", "a", "b", "c"}, []string{"RPUSH l a b c"}},
		{[]any{"BLPOP", "l", "0"}, []string{"LPOP l"}},
		{[]any{"LMPOP", "1", "l", "RIGHT", "COUNT", "5"}, []string{"RPOP l 2"}},
		{[]any{"ZADD", "z", "1", "a", "2", "b"}, []string{"ZADD z 1 a 2 b"}},
		{[]any{"BZPOPMAX", "z", "0"}, []string{"ZPOPMAX z"}},
		{[]any{"XADD", "st", "*", "f", "v"}, []string{"XADD st " + at(0) + "-0 f v"}},
		{[]any{"EVAL", "redis.call('set','e1','1') redis.call('set','e2','2')", "0"},
			[]string{"MULTI", "set e1 1", "set e2 2", "EXEC"}},
		{[]any{"EVAL", "return redis.call('get','e1')", "0"}, nil},
		{[]any{"DEL", "nosuchkey"}, nil},
		{[]any{"FLUSHALL"}, []string{"FLUSHALL"}},
	} {
		ts.do(tc.cmd...)
		require.Equal(t, tc.want, rec.take(), "%v", tc.cmd)
	}

	// Expiry, lazy and active, propagates as DEL, a unit of its own.
	ts.do("SET", "k", "v", "PX", "100")
	rec.take()
	ts.clk.Advance(200 * time.Millisecond)
	ts.do("GET", "k")
	require.Equal(t, []string{"DEL k"}, rec.take(), "lazy expiry")
}

// TestFeedBlockedServed: a BLPOP parked and served by a later push
// propagates as the push, then the pop in its non-blocking form.
func TestFeedBlockedServed(t *testing.T) {
	ts := newTestStore(t)
	rec := attachFeed(t, ts.Store)
	done := make(chan Value)
	go func() {
		v, _ := ts.Do(context.Background(), "BLPOP", "q", "0")
		done <- v
	}()
	waitBlocked(t, ts.Store, 1)
	ts.do("RPUSH", "q", "x")
	v := <-done
	require.Equal(t, "x", v.Elems()[1].Str())
	require.Equal(t, []string{"SELECT 0", "RPUSH q x", "LPOP q"}, rec.take())
}

// waitBlocked waits until n requests are blocked (the executor reports
// it; no sleeps).
func waitBlocked(t testing.TB, s *Store, n int) {
	t.Helper()
	for {
		var got int
		require.NoError(t, s.onExecutor(context.Background(), func(s *Store) { got = s.blockedCount() }))
		if got >= n {
			return
		}
		runtime.Gosched()
	}
}

// TestFeedTransactions: MULTI/EXEC wraps only when more than one command
// wrote.
func TestFeedTransactions(t *testing.T) {
	ts := newTestStore(t)
	rec := attachFeed(t, ts.Store)
	nc, err := ts.DialContext(context.Background(), "", "")
	require.NoError(t, err)
	c := redistest.NewConn(nc)
	defer c.Close()
	for _, cmd := range [][]string{{"MULTI"}, {"SET", "x", "1"}, {"GET", "x"}, {"EXEC"}} {
		_, err := c.Do(cmd...)
		require.NoError(t, err)
	}
	require.Equal(t, []string{"SELECT 0", "SET x 1"}, rec.take())
	for _, cmd := range [][]string{{"MULTI"}, {"SET", "x", "1"}, {"INCR", "x"}, {"EXEC"}} {
		_, err := c.Do(cmd...)
		require.NoError(t, err)
	}
	require.Equal(t, []string{"MULTI", "SET x 1", "INCR x", "EXEC"}, rec.take())
}

// feedScript is run against redis-server and embedis; the replication
// stream of the first and the write feed of the second must agree, after
// times and generated stream IDs are normalized.
var feedScript = [][]string{
	{"SET", "a", "1"},
	{"SET", "a", "2", "NX"},
	{"GET", "a"},
	{"SET", "b", "2", "EX", "100"},
	{"SET", "c", "3", "PX", "100000"},
	{"SETEX", "d", "100", "v"},
	{"PSETEX", "e", "100000", "v"},
	{"SET", "f", "v", "EXAT", "99999999999"},
	{"SET", "g", "v", "PXAT", "99999999999999"},
	{"SET", "g", "w", "KEEPTTL"},
	{"SET", "g", "x", "GET"},
	{"PUBLISH", "news", "hello"},
	{"SPUBLISH", "shard", "hello"},
	{"MULTI"},
	{"PUBLISH", "news", "in multi"},
	{"EXEC"},
	{"MULTI"},
	{"SET", "pm", "1"},
	{"PUBLISH", "news", "with a write"},
	{"EXEC"},
	{"EVAL", "redis.call('PUBLISH', 'news', 'from lua') return 1", "0"},
	{"EVAL", "redis.call('SET', 'ps', '1') redis.call('PUBLISH', 'news', 'lua write') return 1", "0"},
	{"EXPIRE", "a", "100"},
	{"PEXPIRE", "a", "100000"},
	{"EXPIREAT", "a", "99999999999"},
	{"PEXPIREAT", "a", "99999999999999"},
	{"PERSIST", "a"},
	{"EXPIRE", "a", "-1"},
	{"GETEX", "b", "EX", "100"},
	{"GETEX", "b", "PERSIST"},
	{"GETEX", "b"},
	{"GETDEL", "c"},
	{"INCR", "n"},
	{"INCRBYFLOAT", "n", "1.5"},
	{"APPEND", "n", "0"},
	{"HSET", "h", "f", "1"},
	{"HINCRBYFLOAT", "h", "f", "2.5"},
	{"HINCRBY", "h", "g", "2"},
	{"HDEL", "h", "f", "g"},
	{"SADD", "s1", "x"},
	{"SPOP", "s1"},
	{"SADD", "s2", "1", "2", "3"},
	{"SPOP", "s2", "3"},
	{"SMOVE", "s2", "s3", "nope"},
	{"LPUSH", "l1", "a", "b", "c"},
	{"LPOP", "l1"},
	{"BLPOP", "l1", "0"},
	{"LMPOP", "1", "l1", "LEFT", "COUNT", "5"},
	{"RPUSH", "l2", "x", "y"},
	{"BLMOVE", "l2", "l3", "LEFT", "RIGHT", "0"},
	{"BRPOPLPUSH", "l3", "l2", "0"},
	{"BLMPOP", "0", "1", "l2", "RIGHT", "COUNT", "10"},
	{"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"},
	{"ZINCRBY", "z", "1", "a"},
	{"BZPOPMIN", "z", "0"},
	{"ZMPOP", "1", "z", "MAX", "COUNT", "1"},
	{"BZMPOP", "0", "1", "z", "MIN"},
	{"ZREM", "z", "d", "zz"},
	{"XADD", "st", "*", "f", "v"},
	{"XADD", "st", "99999999999999-*", "f", "v"},
	{"XADD", "st", "99999999999999-5", "f", "v"},
	{"XDEL", "st", "99999999999999-5"},
	{"MULTI"}, {"SET", "x", "1"}, {"SET", "y", "2"}, {"EXEC"},
	{"MULTI"}, {"SET", "x", "3"}, {"GET", "x"}, {"EXEC"},
	{"MULTI"}, {"GET", "x"}, {"EXEC"},
	{"EVAL", "redis.call('set','e1','1') redis.call('set','e2','2')", "0"},
	{"EVAL", "redis.call('set','e3','3')", "0"},
	{"EVAL", "return redis.call('get','e1')", "0"},
	{"SELECT", "1"},
	{"SET", "one", "1"},
	{"MOVE", "one", "2"},
	{"SELECT", "0"},
	{"RENAME", "e1", "e4"},
	{"COPY", "e4", "e5"},
	{"DEL", "e4", "nosuch"},
	{"UNLINK", "e5"},
	{"FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f', function() return 1 end)"},
	{"FUNCTION", "DELETE", "lib"},
	{"SWAPDB", "0", "1"},
	{"FLUSHDB"},
	{"FLUSHALL"},
}

var (
	feedTimeRe = regexp.MustCompile(`\b1[0-9]{12}\b`)
)

// normalizeFeed replaces times around now (absolute ms, and the ms part
// of generated stream IDs) with a placeholder, since the two servers run
// the script at different moments.
func normalizeFeed(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = feedTimeRe.ReplaceAllString(l, "<now>")
	}
	return out
}

// TestFeedDiff compares the write feed with redis-server 7.0's
// replication stream, read through SYNC, for the same commands.
func TestFeedDiff(t *testing.T) {
	addr := redistest.Start(t)
	repl, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer repl.Close()
	r := bufio.NewReader(repl)
	_, err = repl.Write([]byte("SYNC\r\n"))
	require.NoError(t, err)
	require.NoError(t, skipRDBPayload(r))

	cl, err := redistest.Dial(addr)
	require.NoError(t, err)
	defer cl.Close()
	for _, cmd := range feedScript {
		_, err := cl.Do(cmd...)
		require.NoError(t, err)
	}
	_, err = cl.Do("SET", "__end__", "1")
	require.NoError(t, err)
	var want []string
	for {
		reply, err := redistest.ReadReply(r)
		require.NoError(t, err)
		parts := make([]string, len(reply.Elems))
		for i, e := range reply.Elems {
			parts[i] = e.Text
		}
		line := strings.Join(parts, " ")
		if line == "SET __end__ 1" {
			break
		}
		if strings.EqualFold(line, "PING") {
			continue
		}
		want = append(want, line)
	}

	s, err := Open(Options{})
	require.NoError(t, err)
	defer s.Close()
	rec := attachFeed(t, s)
	nc, err := s.DialContext(context.Background(), "", "")
	require.NoError(t, err)
	c := redistest.NewConn(nc)
	defer c.Close()
	for _, cmd := range feedScript {
		_, err := c.Do(cmd...)
		require.NoError(t, err)
	}
	got := rec.take()
	require.Equal(t, normalizeFeed(want), normalizeFeed(got))
}

// skipRDBPayload reads the RDB a primary sends after SYNC: "$<len>" and
// that many bytes, or "$EOF:<40-byte mark>" and bytes up to the mark
// (diskless sync). Newlines sent while the RDB is prepared are skipped.
func skipRDBPayload(r *bufio.Reader) error {
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "$") {
			return fmt.Errorf("unexpected SYNC reply %q", line)
		}
		if mark, ok := strings.CutPrefix(line, "$EOF:"); ok {
			var tail []byte
			for !strings.HasSuffix(string(tail), mark) {
				b, err := r.ReadByte()
				if err != nil {
					return err
				}
				tail = append(tail, b)
				if len(tail) > 2*len(mark) {
					tail = tail[1:]
				}
			}
			return nil
		}
		n, err := strconv.Atoi(line[1:])
		if err != nil {
			return err
		}
		_, err = io.CopyN(io.Discard, r, int64(n))
		return err
	}
}
