package embedis_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/embedis/embedis/embedistest"
	"github.com/embedis/embedis/internal/redistest"
)

// dumpInteropCase builds key "k" on both sides with the same commands.
type dumpInteropCase struct {
	name   string
	config []string // CONFIG SET pairs applied on both sides before cmds
	after  []string // CONFIG SET pairs applied on both sides before RESTORE
	cmds   [][]string
}

func eval(script string, args ...string) []string {
	return append([]string{"EVAL", script, "1", "k"}, args...)
}

func dumpInteropCases() []dumpInteropCase {
	return []dumpInteropCase{
		{name: "string short", cmds: [][]string{{"SET", "k", "hello"}}},
		{name: "string int", cmds: [][]string{{"SET", "k", "-123456789"}}},
		{name: "string long", cmds: [][]string{eval("redis.call('set', KEYS[1], string.rep('abcdefgh', 5000))")}},
		{name: "string random", cmds: [][]string{eval("local t = {} for i = 1, 3000 do t[i] = string.char((i * 7919) % 256) end redis.call('set', KEYS[1], table.concat(t))")}},
		{name: "list small", cmds: [][]string{{"RPUSH", "k", "a", "1", "", "-5"}}},
		{name: "list large", cmds: [][]string{eval("for i = 1, 20000 do redis.call('rpush', KEYS[1], string.rep('x', i % 100)) end")}},
		{name: "list pushed left", cmds: [][]string{eval("for i = 1, 5000 do redis.call('lpush', KEYS[1], i) end")}},
		{name: "list plain nodes", cmds: [][]string{eval("for i = 1, 5 do redis.call('rpush', KEYS[1], string.rep('p', 9000 * i)) redis.call('rpush', KEYS[1], 'small') end")}},
		{name: "list compressed", config: []string{"list-compress-depth", "1", "list-max-listpack-size", "8"},
			cmds: [][]string{eval("for i = 1, 500 do redis.call('rpush', KEYS[1], 'element number ' .. i) end")}},
		{name: "set intset", cmds: [][]string{eval("for i = 1, 500 do redis.call('sadd', KEYS[1], i * 1000003 - 250000000) end")}},
		{name: "set hashtable", cmds: [][]string{eval("for i = 1, 3000 do redis.call('sadd', KEYS[1], 'member:' .. i) end")}},
		{name: "set hashtable of ints", cmds: [][]string{eval("for i = 1, 1000 do redis.call('sadd', KEYS[1], i) end")}},
		{name: "set sticky", cmds: [][]string{{"SADD", "k", "1", "2", "x"}, {"SREM", "k", "x"}}},
		{name: "zset listpack", cmds: [][]string{{"ZADD", "k", "1", "a", "2.5", "b", "-inf", "c", "inf", "d", "1e-300", "e", "3", "12345"}}},
		{name: "zset skiplist", cmds: [][]string{eval("for i = 1, 3000 do redis.call('zadd', KEYS[1], (i * 37) % 1001 / 7, 'm' .. i) end")}},
		{name: "zset long member", cmds: [][]string{{"ZADD", "k", "1", "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm", "2", "b"}}},
		{name: "zset listpack with long member", config: []string{"zset-max-listpack-value", "200"}, after: []string{"zset-max-listpack-value", "64"},
			cmds: [][]string{{"ZADD", "k", "1", "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm", "2", "b"}}},
		{name: "hash listpack", cmds: [][]string{{"HSET", "k", "f1", "v1", "f2", "2", "f3", ""}, {"HDEL", "k", "f1"}, {"HSET", "k", "f1", "again"}}},
		{name: "hash hashtable", cmds: [][]string{eval("for i = 1, 3000 do redis.call('hset', KEYS[1], 'field:' .. i, string.rep('v', i % 80)) end")}},
		{name: "hash listpack with long value", config: []string{"hash-max-listpack-value", "200"}, after: []string{"hash-max-listpack-value", "64"},
			cmds: [][]string{eval("redis.call('hset', KEYS[1], 'f', string.rep('v', 150), 'g', 1)")}},
		{name: "hash hashtable after config", config: []string{"hash-max-listpack-entries", "4"},
			cmds: [][]string{eval("for i = 1, 10 do redis.call('hset', KEYS[1], 'f' .. i, i) end")}},
		{name: "stream", cmds: [][]string{eval("for i = 1, 1000 do redis.call('xadd', KEYS[1], i .. '-' .. (i % 3), 'f', i, 'g' .. (i % 4), string.rep('v', i % 300)) end")}},
		{name: "stream with deletions", cmds: [][]string{
			eval("for i = 1, 300 do redis.call('xadd', KEYS[1], i .. '-0', 'f', i) end"),
			{"XDEL", "k", "1-0", "2-0", "150-0", "299-0"},
			{"XTRIM", "k", "MAXLEN", "250"},
		}},
		{name: "stream groups", cmds: [][]string{
			eval("for i = 1, 50 do redis.call('xadd', KEYS[1], i .. '-0', 'f', i) end"),
			{"XGROUP", "CREATE", "k", "g1", "0"},
			{"XGROUP", "CREATE", "k", "g2", "10-0", "ENTRIESREAD", "10"},
			{"XREADGROUP", "GROUP", "g1", "alice", "COUNT", "7", "STREAMS", "k", ">"},
			{"XREADGROUP", "GROUP", "g1", "bob", "COUNT", "3", "STREAMS", "k", ">"},
			{"XACK", "k", "g1", "3-0"},
			{"XREADGROUP", "GROUP", "g2", "carol", "COUNT", "2", "STREAMS", "k", ">"},
			{"XGROUP", "CREATECONSUMER", "k", "g2", "dave"},
			{"XSETID", "k", "100-5", "ENTRIESADDED", "70", "MAXDELETEDID", "60-0"},
		}},
		{name: "stream empty", cmds: [][]string{{"XADD", "k", "5-5", "f", "v"}, {"XDEL", "k", "5-5"}}},
	}
}

// TestDumpRestoreInterop moves every type and encoding both ways between
// redis-server 7.0 and embedis by DUMP and RESTORE: a payload from either
// side restores on both, and the restored copies have the same contents
// (DEBUG DIGEST-VALUE), the same encoding and, for streams, the same
// groups, consumers and PELs (XINFO STREAM FULL).
func TestDumpRestoreInterop(t *testing.T) {
	for _, tc := range dumpInteropCases() {
		t.Run(tc.name, func(t *testing.T) {
			red, err := redistest.Dial(redistest.StartWith(t, "--enable-debug-command", "yes"))
			if err != nil {
				t.Fatal(err)
			}
			defer red.Close()
			emb, err := redistest.Dial(embedistest.Addr(t, embedistest.Open(t)))
			if err != nil {
				t.Fatal(err)
			}
			defer emb.Close()
			sides := []*redistest.Conn{red, emb}
			do := func(c *redistest.Conn, args ...string) redistest.Reply {
				t.Helper()
				r, err := c.Do(args...)
				if err != nil {
					t.Fatal(err)
				}
				if r.Kind == redistest.Error {
					t.Fatalf("%q: %s", args, r.Text)
				}
				return r
			}
			both := func(args ...string) {
				t.Helper()
				for _, c := range sides {
					do(c, args...)
				}
			}
			for i := 0; i+1 < len(tc.config); i += 2 {
				both("CONFIG", "SET", tc.config[i], tc.config[i+1])
			}
			for _, cmd := range tc.cmds {
				both(cmd...)
			}
			if d1, d2 := do(red, "DEBUG", "DIGEST-VALUE", "k"), do(emb, "DEBUG", "DIGEST-VALUE", "k"); !d1.Equal(d2) {
				t.Fatalf("the commands built different values: %s vs %s", d1, d2)
			}
			fromRedis := do(red, "DUMP", "k").Text
			fromEmb := do(emb, "DUMP", "k").Text
			for i := 0; i+1 < len(tc.after); i += 2 {
				both("CONFIG", "SET", tc.after[i], tc.after[i+1])
			}
			both("RESTORE", "from-redis", "0", fromRedis)
			both("RESTORE", "from-embedis", "0", fromEmb)
			want := do(red, "DEBUG", "DIGEST-VALUE", "k")
			for _, key := range []string{"from-redis", "from-embedis"} {
				for _, q := range [][]string{{"DEBUG", "DIGEST-VALUE", key}, {"OBJECT", "ENCODING", key}, {"TYPE", key}} {
					r, e := do(red, q...), do(emb, q...)
					if !r.Equal(e) {
						t.Errorf("%q: redis %s, embedis %s", q, r, e)
					}
				}
				if got := do(red, "DEBUG", "DIGEST-VALUE", key); !got.Equal(want) {
					t.Errorf("%s: digest %s, want the original's %s", key, got, want)
				}
				if do(red, "TYPE", key).Text == "stream" {
					q := []string{"XINFO", "STREAM", key, "FULL", "COUNT", "0"}
					if r, e := do(red, q...), do(emb, q...); !r.Equal(e) {
						t.Errorf("%q:\nredis   %s\nembedis %s", q, r.Render(4000), e.Render(4000))
					}
				}
			}
			if fromRedis != fromEmb {
				t.Logf("payloads differ (%d and %d bytes): expected for hash tables, lists pushed at the head, streams with deletions or groups", len(fromRedis), len(fromEmb))
			}
		})
	}
}

// TestWriteRestoreCorpus writes redis-server's DUMP payloads of the
// interop cases (those under 16 KB) into testdata/fuzz/FuzzRestore, the
// seed corpus of FuzzRestore. It runs only when EMBEDIS_WRITE_CORPUS is
// set, to refresh the corpus.
func TestWriteRestoreCorpus(t *testing.T) {
	if os.Getenv("EMBEDIS_WRITE_CORPUS") == "" {
		t.Skip("set EMBEDIS_WRITE_CORPUS=1 to rewrite testdata/fuzz/FuzzRestore")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzRestore")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range dumpInteropCases() {
		red, err := redistest.Dial(redistest.StartWith(t))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(tc.config); i += 2 {
			if _, err := red.Do("CONFIG", "SET", tc.config[i], tc.config[i+1]); err != nil {
				t.Fatal(err)
			}
		}
		for _, cmd := range tc.cmds {
			if _, err := red.Do(cmd...); err != nil {
				t.Fatal(err)
			}
		}
		r, err := red.Do("DUMP", "k")
		red.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Text) > 16<<10 {
			continue
		}
		name := "redis-" + strings.ReplaceAll(tc.name, " ", "-")
		body := "go test fuzz v1\n[]byte(" + strconv.Quote(r.Text) + ")\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
