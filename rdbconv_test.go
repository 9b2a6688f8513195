package embedis

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/embedis/embedis/persist/rdb"
)

// rdbConvCase builds one key with commands, optionally under CONFIG
// settings, and names the encoding OBJECT ENCODING must report.
type rdbConvCase struct {
	name   string
	config []string // CONFIG SET name value ...
	cmds   [][]any
	enc    string
	// loadEnc is the encoding Redis 7.0 gives the value when it loads it
	// (RESTORE): a hash table that shrank is loaded compact. "" means enc.
	loadEnc string
}

func rdbConvCases() []rdbConvCase {
	seq := func(cmd string, n int, f func(i int) []any) [][]any {
		var out [][]any
		for i := 0; i < n; i++ {
			out = append(out, append([]any{cmd, "k"}, f(i)...))
		}
		return out
	}
	one := func(args ...any) [][]any { return [][]any{args} }
	return []rdbConvCase{
		{name: "string embstr", cmds: one("set", "k", "hello"), enc: "embstr"},
		{name: "string int shared", cmds: one("set", "k", "1234"), enc: "int"},
		{name: "string int negative", cmds: one("set", "k", "-987654"), enc: "int"},
		{name: "string int 64-bit", cmds: one("set", "k", "-9223372036854775808"), enc: "int"},
		{name: "string raw compressible", cmds: one("set", "k", strings.Repeat("abc", 40)), enc: "raw"},
		{name: "string raw binary", cmds: one("set", "k", "\x00\xff"+strings.Repeat("z", 50)), enc: "raw"},
		{name: "string with ttl", cmds: [][]any{{"set", "k", "v"}, {"pexpire", "k", 100000}}, enc: "embstr"},
		{name: "list small", cmds: one("rpush", "k", "a", "1", "", "bb"), enc: "quicklist"},
		{name: "list large", cmds: seq("rpush", 3000, func(i int) []any { return []any{strings.Repeat("x", i%70)} }), enc: "quicklist"},
		{name: "list lpush", cmds: seq("lpush", 500, func(i int) []any { return []any{i} }), enc: "quicklist"},
		{name: "set intset", cmds: one("sadd", "k", 5, -3, 100000, 7), enc: "intset"},
		{name: "set intset 64-bit", cmds: one("sadd", "k", 1, "9223372036854775807"), enc: "intset"},
		{name: "set intset large", cmds: seq("sadd", 512, func(i int) []any { return []any{i * 3} }), enc: "intset"},
		{name: "set hashtable", cmds: one("sadd", "k", "a", "b", "c", 1), enc: "hashtable"},
		{name: "set hashtable of ints", cmds: seq("sadd", 600, func(i int) []any { return []any{i} }), enc: "hashtable"},
		{name: "set hashtable sticky", cmds: [][]any{{"sadd", "k", 1, 2, "x"}, {"srem", "k", "x"}}, enc: "hashtable", loadEnc: "intset"},
		{name: "set low limit", config: []string{"set-max-intset-entries", "2"}, cmds: one("sadd", "k", 1, 2, 3), enc: "hashtable"},
		{name: "zset listpack", cmds: one("zadd", "k", 1, "a", 2.5, "b", "-inf", "c", "inf", "d", 0, "z"), enc: "listpack"},
		{name: "zset listpack ties", cmds: one("zadd", "k", 1, "b", 1, "a", 1, "c"), enc: "listpack"},
		{name: "zset skiplist by count", cmds: seq("zadd", 200, func(i int) []any { return []any{i % 17, "m" + strconv.Itoa(i)} }), enc: "skiplist"},
		{name: "zset skiplist by length", cmds: one("zadd", "k", 1, strings.Repeat("m", 65), 2, "b"), enc: "skiplist"},
		{name: "zset skiplist sticky", cmds: [][]any{{"zadd", "k", 1, strings.Repeat("m", 65), 2, "b"}, {"zrem", "k", strings.Repeat("m", 65)}}, enc: "skiplist", loadEnc: "listpack"},
		{name: "zset skiplist negative zero", cmds: one("zadd", "k", "-0", strings.Repeat("m", 65), 2, "b"), enc: "skiplist"},
		{name: "hash listpack", cmds: one("hset", "k", "f1", "v1", "f2", "2", "3", ""), enc: "listpack"},
		{name: "hash listpack order", cmds: [][]any{{"hset", "k", "z", 1, "a", 2, "m", 3}, {"hdel", "k", "a"}, {"hset", "k", "a", 4}}, enc: "listpack"},
		{name: "hash listpack indexed", cmds: seq("hset", 100, func(i int) []any { return []any{"f" + strconv.Itoa(i), i} }), enc: "listpack"},
		{name: "hash hashtable by count", cmds: seq("hset", 600, func(i int) []any { return []any{"f" + strconv.Itoa(i), i} }), enc: "hashtable"},
		{name: "hash hashtable by length", cmds: one("hset", "k", "f", strings.Repeat("v", 65)), enc: "hashtable"},
		{name: "hash hashtable sticky", cmds: [][]any{{"hset", "k", "f", strings.Repeat("v", 65), "g", 1}, {"hdel", "k", "f"}}, enc: "hashtable", loadEnc: "listpack"},
		{name: "hash low limit", config: []string{"hash-max-listpack-entries", "2"}, cmds: one("hset", "k", "a", 1, "b", 2, "c", 3), enc: "hashtable"},
		{name: "stream small", cmds: [][]any{{"xadd", "k", "1-1", "a", "1", "b", "x"}, {"xadd", "k", "1-2", "a", "2", "b", "y"}, {"xadd", "k", "2-0", "c", "z"}}, enc: "stream"},
		{name: "stream many nodes", cmds: seq("xadd", 350, func(i int) []any { return []any{fmt.Sprintf("%d-1", i+1), "f", i, "g", strings.Repeat("v", i%90)} }), enc: "stream"},
		{name: "stream with deletions", cmds: append(seq("xadd", 120, func(i int) []any { return []any{fmt.Sprintf("%d-0", i+1), "f", i} }),
			[]any{"xdel", "k", "1-0", "50-0", "101-0"}), enc: "stream"},
		{name: "stream emptied", cmds: [][]any{{"xadd", "k", "5-5", "f", "v"}, {"xdel", "k", "5-5"}}, enc: "stream"},
		{name: "stream groups", cmds: append(seq("xadd", 20, func(i int) []any { return []any{fmt.Sprintf("%d-0", i+1), "f", i} }),
			[]any{"xgroup", "create", "k", "g1", "0"},
			[]any{"xgroup", "create", "k", "g2", "$"},
			[]any{"xreadgroup", "group", "g1", "alice", "count", 5, "streams", "k", ">"},
			[]any{"xreadgroup", "group", "g1", "bob", "count", 3, "streams", "k", ">"},
			[]any{"xack", "k", "g1", "2-0"},
			[]any{"xgroup", "createconsumer", "k", "g2", "carol"}), enc: "stream"},
	}
}

// TestRDBConvRoundTrip converts every kind of value to rdb.Value and
// back, directly and through a DUMP payload, and checks that the encoding,
// the contents (DEBUG DIGEST-VALUE) and the payload bytes survive.
func TestRDBConvRoundTrip(t *testing.T) {
	for _, tc := range rdbConvCases() {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestStore(t)
			for i := 0; i+1 < len(tc.config); i += 2 {
				ts.expect(okValue, "config", "set", tc.config[i], tc.config[i+1])
			}
			for _, c := range tc.cmds {
				if v := ts.do(c...); v.Kind() == KindError {
					t.Fatalf("%v: %s", c, v)
				}
			}
			ts.expect(BulkValue(tc.enc), "object", "encoding", "k")
			err := ts.onExecutor(context.Background(), func(s *Store) {
				e := s.dbs[0].keys.Get("k")
				loadEnc := tc.loadEnc
				if loadEnc == "" {
					loadEnc = tc.enc
				}
				checkRDBRoundTrip(t, s, e, loadEnc)
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// checkRDBRoundTrip checks e against its conversions. Runs on the executor.
// loadEnc is the encoding the loaded value must have. The payload must
// survive a second round trip byte for byte when the store knows the
// value's order (everything but hash-table sets and hashes).
func checkRDBRoundTrip(t *testing.T, s *Store, e *entry, loadEnc string) {
	t.Helper()
	v, meta := entryToRDB(e)
	if meta.HasExpire != (e.expire != 0) || meta.ExpireMs != e.expire {
		t.Errorf("meta %+v for expire %d", meta, e.expire)
	}
	cfg := pinEncoding(s.rdbConfig(), e)
	typ := cfg.TypeOf(v)
	back, err := rdbToEntry(v, typ, s.limits)
	if err != nil {
		t.Fatalf("rdbToEntry: %v", err)
	}
	compareEntries(t, "direct", e, &back, loadEnc)

	payload, err := rdb.EncodeDump(v, cfg)
	if err != nil {
		t.Fatalf("EncodeDump: %v", err)
	}
	v2, typ2, err := rdb.DecodeDump(payload)
	if err != nil {
		t.Fatalf("DecodeDump: %v", err)
	}
	if typ2 != typ {
		t.Errorf("payload type %d, want %d", typ2, typ)
	}
	back2, err := rdbToEntry(v2, typ2, s.limits)
	if err != nil {
		t.Fatalf("rdbToEntry of the payload: %v", err)
	}
	compareEntries(t, "payload", e, &back2, loadEnc)
	v3, _ := entryToRDB(&back2)
	again, err := rdb.EncodeDump(v3, pinEncoding(s.rdbConfig(), &back2))
	if err != nil {
		t.Fatalf("EncodeDump again: %v", err)
	}
	if orderKnown(e) && encodingName(e) == encodingName(&back2) && !bytes.Equal(again, payload) {
		t.Errorf("payload changed by a round trip:\n%q\n%q", payload, again)
	}
}

// compareEntries checks that got has want's type, encoding, contents
// (digest) and, for streams, groups; and that got keeps its invariants.
func compareEntries(t *testing.T, what string, want, got *entry, enc string) {
	t.Helper()
	if got.typ != want.typ {
		t.Fatalf("%s: type %s, want %s", what, got.typ, want.typ)
	}
	if g := encodingName(got); g != enc {
		t.Errorf("%s: encoding %s, want %s", what, g, enc)
	}
	if g, w := valueDigest(&entry{typ: got.typ, str: got.str, obj: got.obj}), valueDigest(&entry{typ: want.typ, str: want.str, obj: want.obj}); g != w {
		t.Errorf("%s: digest %s, want %s", what, g, w)
	}
	if c, ok := got.obj.(checker); ok {
		if err := c.checkInvariants(); err != nil {
			t.Errorf("%s: invariants: %v", what, err)
		}
	}
	if want.typ == typeStream {
		ws, gs := streamToRDB(want.obj.(*stream)), streamToRDB(got.obj.(*stream))
		normalizeGroups(ws)
		normalizeGroups(gs)
		if !reflect.DeepEqual(ws, gs) {
			t.Errorf("%s: stream\n got  %+v\n want %+v", what, gs, ws)
		}
	}
	if orderKnown(want) && encodingName(want) == enc && want.typ != typeStream {
		// Orders the store knows to be Redis's survive.
		wv, _ := entryToRDB(want)
		gv, _ := entryToRDB(got)
		if !reflect.DeepEqual(wv, gv) {
			t.Errorf("%s: order changed", what)
		}
	}
}

// orderKnown reports whether the store keeps e's value in Redis's order:
// all but hash-table sets and hashes.
func orderKnown(e *entry) bool {
	switch e.typ {
	case typeSet:
		return !e.obj.(*setType).ht
	case typeHash:
		return e.obj.(*hashType).ht == nil
	}
	return true
}

// normalizeGroups sorts a stream's groups and consumers by name, which the
// store keeps in maps.
func normalizeGroups(s *rdb.Stream) {
	slices.SortFunc(s.Groups, func(a, b rdb.StreamGroup) int { return strings.Compare(a.Name, b.Name) })
	for i := range s.Groups {
		slices.SortFunc(s.Groups[i].Consumers, func(a, b rdb.StreamConsumer) int { return strings.Compare(a.Name, b.Name) })
	}
}

// TestRDBToEntryLoadEncodings checks the encodings Redis 7.0's loader
// gives each RDB type under the limits: compact types are converted only
// for too many entries, hash-table types by contents.
func TestRDBToEntryLoadEncodings(t *testing.T) {
	lim := defaultEncodingLimits()
	long := strings.Repeat("x", 100)
	cases := []struct {
		v    rdb.Value
		t    rdb.Type
		want string
	}{
		{rdb.Hash{{Field: "f", Value: long}}, rdb.TypeHashListpack, "listpack"},
		{rdb.Hash{{Field: "f", Value: long}}, rdb.TypeHashZiplist, "listpack"},
		{rdb.Hash{{Field: "f", Value: long}}, rdb.TypeHash, "hashtable"},
		{rdb.Hash{{Field: "f", Value: "v"}}, rdb.TypeHash, "listpack"},
		{rdb.ZSet{{Member: long, Score: 1}}, rdb.TypeZSetListpack, "listpack"},
		{rdb.ZSet{{Member: long, Score: 1}}, rdb.TypeZSet2, "skiplist"},
		{rdb.ZSet{{Member: "m", Score: 1}}, rdb.TypeZSet2, "listpack"},
		{rdb.Set{"1", "2"}, rdb.TypeSet, "intset"},
		{rdb.Set{"1", "a"}, rdb.TypeSet, "hashtable"},
		{rdb.Set{"01"}, rdb.TypeSet, "hashtable"},
		{rdb.String("123"), rdb.TypeString, "int"},
		{rdb.String("0123"), rdb.TypeString, "embstr"},
		{rdb.String(long), rdb.TypeString, "raw"},
	}
	for _, c := range cases {
		e, err := rdbToEntry(c.v, c.t, lim)
		if err != nil {
			t.Fatalf("%v as %d: %v", c.v, c.t, err)
		}
		if got := encodingName(&e); got != c.want {
			t.Errorf("%v as type %d: encoding %s, want %s", c.v, c.t, got, c.want)
		}
	}
	bad := []rdb.Value{rdb.List{}, rdb.Set{}, rdb.Set{"a", "a"}, rdb.Set{"1", "1"}, rdb.ZSet{}, rdb.Hash{},
		rdb.Hash{{Field: "a"}, {Field: "a"}}, rdb.ZSet{{Member: "a"}, {Member: "a"}},
		&rdb.Stream{Length: 1},
		&rdb.Stream{Entries: []rdb.StreamEntry{{ID: rdb.StreamID{Ms: 1}, Fields: []string{"f"}}}, Length: 1},
		&rdb.Stream{Entries: []rdb.StreamEntry{{ID: rdb.StreamID{Ms: 1}, Fields: []string{"f", "v"}}}, Length: 1,
			Groups: []rdb.StreamGroup{{Name: "g", PEL: []rdb.PendingEntry{{ID: rdb.StreamID{Ms: 1}}}}}}}
	for _, v := range bad {
		if _, err := rdbToEntry(v, 0, lim); err == nil {
			t.Errorf("rdbToEntry(%#v) accepted", v)
		}
	}
}
