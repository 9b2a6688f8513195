package embedis

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/embedis/embedis/persist"
)

// populateAllTypes fills a store with every type in every encoding,
// values big enough to be written in chunks, TTLs, several databases and
// a function library. It goes through Do, so it works on any store.
func populateAllTypes(t testing.TB, s *Store) {
	t.Helper()
	ctx := context.Background()
	must := func(d *DB, args ...any) {
		t.Helper()
		v, err := d.Do(ctx, args...)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if err := v.Err(); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	d0, d3 := s.Database(0), s.Database(3)
	must(d0, "SET", "int", "12345")
	must(d0, "SET", "neg", "-9876543210")
	must(d0, "SET", "emb", "hello")
	must(d0, "SET", "raw", strings.Repeat("abcdefgh", 20))
	must(d0, "SET", "bin", "\x00\xff\r\n binary")
	must(d0, "SET", "ttl", "v", "PX", "3600000")
	must(d0, "RPUSH", "list-small", "a", "b", "1", "2")
	for i := 0; i < 3000; i += 500 {
		args := []any{"RPUSH", "list-big"}
		for k := i; k < i+500; k++ {
			args = append(args, "element-"+strconv.Itoa(k))
		}
		must(d0, args...)
	}
	must(d0, "RPUSH", "list-long-elem", strings.Repeat("x", 10000), "y")
	must(d0, "SADD", "set-int", "1", "2", "3", "-7")
	must(d0, "SADD", "set-str", "a", "b", "c")
	for i := 0; i < 2000; i += 500 {
		args := []any{"SADD", "set-big"}
		for k := i; k < i+500; k++ {
			args = append(args, "m"+strconv.Itoa(k))
		}
		must(d0, args...)
	}
	must(d0, "HSET", "hash-lp", "f1", "v1", "f2", "2")
	must(d0, "HSET", "hash-ht", "f", strings.Repeat("v", 100))
	for i := 0; i < 2000; i += 500 {
		args := []any{"HSET", "hash-big"}
		for k := i; k < i+500; k++ {
			args = append(args, "f"+strconv.Itoa(k), "v"+strconv.Itoa(k*7))
		}
		must(d0, args...)
	}
	must(d0, "ZADD", "z-lp", "1", "a", "2.5", "b", "-3", "c")
	must(d0, "ZADD", "z-sl", "1", strings.Repeat("m", 100), "inf", "top", "-inf", "bottom")
	for i := 0; i < 2000; i += 500 {
		args := []any{"ZADD", "z-big"}
		for k := i; k < i+500; k++ {
			args = append(args, strconv.Itoa(k%97)+"."+strconv.Itoa(k), "member"+strconv.Itoa(k))
		}
		must(d0, args...)
	}
	must(d0, "EXPIRE", "z-big", "100000")
	for i := 0; i < 300; i++ {
		must(d0, "XADD", "stream", strconv.Itoa(i+1)+"-1", "field", "value"+strconv.Itoa(i), "n", strconv.Itoa(i))
	}
	must(d0, "XDEL", "stream", "5-1")
	must(d0, "XGROUP", "CREATE", "stream", "g1", "0")
	must(d0, "XGROUP", "CREATE", "stream", "g2", "$")
	must(d0, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "10", "STREAMS", "stream", ">")
	must(d0, "XREADGROUP", "GROUP", "g1", "bob", "COUNT", "3", "STREAMS", "stream", ">")
	must(d0, "XACK", "stream", "g1", "2-1")
	must(d3, "SET", "in-db3", "x")
	must(d3, "LPUSH", "l3", "1")
	must(d0, "FUNCTION", "LOAD", "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return args[1] end)")
}

// digestOf returns DEBUG DIGEST of a store.
func digestOf(t testing.TB, s *Store) string {
	t.Helper()
	v, err := s.Do(context.Background(), "DEBUG", "DIGEST")
	if err != nil {
		t.Fatal(err)
	}
	return v.String()
}

func TestSnapshotRoundTripEveryType(t *testing.T) {
	for _, chunk := range []bool{false, true} {
		t.Run(fmt.Sprintf("tinySlices=%v", chunk), func(t *testing.T) {
			mem := persist.NewMemSnapshots()
			ts := newTestStore(t, func(o *Options) { o.Snapshots = mem })
			if chunk {
				ts.setSliceBudget(3)
			}
			populateAllTypes(t, ts.Store)
			want := digestOf(t, ts.Store)
			ctx := context.Background()
			if chunk {
				if err := ts.BGSave(ctx); err != nil {
					t.Fatal(err)
				}
				if err := ts.WaitBGSave(ctx); err != nil {
					t.Fatal(err)
				}
			} else {
				ts.expect(SimpleValue("OK"), "SAVE")
			}
			back := newTestStore(t, func(o *Options) { o.Snapshots = mem })
			if got := digestOf(t, back.Store); got != want {
				t.Fatalf("digest after reload %s, want %s", got, want)
			}
			back.expect(BulkValue("hi"), "FCALL", "myfunc", "0", "hi")
			v := back.do("PTTL", "ttl")
			if n := v.Int(); n <= 0 || n > 3600000 {
				t.Fatalf("PTTL after reload = %v", v)
			}
			back.expect(BulkValue("quicklist"), "OBJECT", "ENCODING", "list-big")
			back.expect(BulkValue("intset"), "OBJECT", "ENCODING", "set-int")
			back.expect(BulkValue("listpack"), "OBJECT", "ENCODING", "hash-lp")
			back.expect(BulkValue("hashtable"), "OBJECT", "ENCODING", "hash-ht")
			back.expect(BulkValue("skiplist"), "OBJECT", "ENCODING", "z-sl")
		})
	}
}

// setSliceBudget makes background saves serialize n keys or elements per
// slice, so that one spans many requests.
func (ts *testStore) setSliceBudget(n int) {
	ts.t.Helper()
	if err := ts.onExecutor(context.Background(), func(s *Store) { s.persist.sliceBudget = n }); err != nil {
		ts.t.Fatal(err)
	}
}

func TestDebugReloadKeepsDigest(t *testing.T) {
	for _, withBackend := range []bool{false, true} {
		t.Run(fmt.Sprintf("backend=%v", withBackend), func(t *testing.T) {
			ts := newTestStore(t, func(o *Options) {
				if withBackend {
					o.Dir = t.TempDir()
				}
			})
			populateAllTypes(t, ts.Store)
			want := digestOf(t, ts.Store)
			ts.expect(SimpleValue("OK"), "DEBUG", "RELOAD")
			if got := digestOf(t, ts.Store); got != want {
				t.Fatalf("digest after DEBUG RELOAD %s, want %s", got, want)
			}
			ts.expect(BulkValue("x"), "FCALL", "myfunc", "0", "x")
		})
	}
}
