package embedis

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/embedis/embedis/persist/rdb"
)

// FuzzRestore feeds arbitrary bytes to RESTORE as the payload. It must
// never panic; the reply must be OK or one of the two payload errors; a
// restored key must keep the store's invariants, answer the read commands
// of its type, and survive DUMP and RESTORE again with the same digest.
// The seed corpus (testdata/fuzz/FuzzRestore) holds redis-server's own
// payloads of every type and encoding; the seeds below add embedis's.
func FuzzRestore(f *testing.F) {
	cfg := rdb.DefaultConfig()
	for _, v := range []rdb.Value{
		rdb.String("hello"), rdb.String("12345"), rdb.String(strings.Repeat("ab", 40)),
		rdb.List{"a", "1", ""}, rdb.Set{"1", "2", "-3"}, rdb.Set{"a", "b"},
		rdb.ZSet{{Member: "a", Score: 1}, {Member: "b", Score: -2.5}},
		rdb.Hash{{Field: "f", Value: "v"}, {Field: "g", Value: "1"}},
		&rdb.Stream{Entries: []rdb.StreamEntry{{ID: rdb.StreamID{Ms: 1, Seq: 1}, Fields: []string{"f", "v"}}}, Length: 1,
			LastID: rdb.StreamID{Ms: 1, Seq: 1}, FirstID: rdb.StreamID{Ms: 1, Seq: 1}, EntriesAdded: 1,
			Groups: []rdb.StreamGroup{{Name: "g", LastID: rdb.StreamID{Ms: 1, Seq: 1}, EntriesRead: 1,
				PEL:       []rdb.PendingEntry{{ID: rdb.StreamID{Ms: 1, Seq: 1}, DeliveryTime: 5, DeliveryCount: 2}},
				Consumers: []rdb.StreamConsumer{{Name: "c", SeenTime: 5, PEL: []rdb.StreamID{{Ms: 1, Seq: 1}}}}}}},
	} {
		p, err := rdb.EncodeDump(v, cfg)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(p)
	}
	f.Add([]byte{})
	f.Add(make([]byte, 10))

	// One store for the whole run (opening one per input would make
	// minimizing large payloads crawl); RESTORE ... REPLACE reuses the
	// keys, and the invariants are checked after every input.
	st := newTestStore(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, payload []byte) {
		do := func(args ...any) Value {
			v, err := st.Do(ctx, args...)
			if err != nil {
				t.Fatalf("%v: %v", args[:2], err)
			}
			return v
		}
		v := do("restore", "k", "0", payload, "replace")
		if err := v.Err(); err != nil {
			if !errors.Is(err, ErrDumpPayload) && !errors.Is(err, ErrBadDataFormat) {
				t.Fatalf("RESTORE replied %q", err)
			}
			return
		}
		if v.Str() != "OK" {
			t.Fatalf("RESTORE replied %s", v)
		}
		var ierr error
		if err := st.onExecutor(ctx, func(s *Store) { ierr = s.checkInvariants() }); err != nil {
			t.Fatal(err)
		}
		if ierr != nil {
			t.Fatalf("invariants after RESTORE: %v", ierr)
		}
		typ := do("type", "k").Str()
		for _, cmd := range map[string][][]any{
			"string": {{"get", "k"}, {"strlen", "k"}},
			"list":   {{"lrange", "k", 0, -1}, {"llen", "k"}},
			"set":    {{"smembers", "k"}, {"srandmember", "k", -3}, {"sscan", "k", 0}},
			"zset":   {{"zrange", "k", 0, -1, "withscores"}, {"zrangebylex", "k", "-", "+"}, {"zscan", "k", 0}},
			"hash":   {{"hgetall", "k"}, {"hrandfield", "k", -3}, {"hscan", "k", 0}},
			"stream": {{"xrange", "k", "-", "+"}, {"xinfo", "stream", "k", "full"}, {"xinfo", "groups", "k"}},
		}[typ] {
			if r := do(cmd...); r.Kind() == KindError {
				t.Fatalf("%v after RESTORE: %s", cmd, r)
			}
		}
		do("object", "encoding", "k")
		d := do("dump", "k")
		if d.Kind() != KindBulk {
			t.Fatalf("DUMP after RESTORE: %s", d)
		}
		if r := do("restore", "k2", "0", d.Str(), "replace"); r.Str() != "OK" {
			t.Fatalf("RESTORE of embedis's DUMP: %s", r)
		}
		d1, d2 := do("debug", "digest-value", "k"), do("debug", "digest-value", "k2")
		if !valuesEqual(d1, d2) {
			t.Fatalf("digest changed by DUMP and RESTORE: %s vs %s", d1, d2)
		}
	})
}
