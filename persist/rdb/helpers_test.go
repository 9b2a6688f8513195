package rdb

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// normalize returns v in a canonical form for comparison: sets and hash
// fields sorted, sorted sets in score order, stream groups by name,
// NodeSizes dropped.
func normalize(v Value) Value {
	switch v := v.(type) {
	case Set:
		s := slices.Clone(v)
		slices.Sort(s)
		return Set(s)
	case ZSet:
		z := slices.Clone(v)
		slices.SortFunc(z, cmpZMember)
		return ZSet(z)
	case Hash:
		h := slices.Clone(v)
		slices.SortFunc(h, func(a, b HashField) int { return strings.Compare(a.Field, b.Field) })
		return Hash(h)
	case List:
		if v == nil {
			return List{}
		}
	case *Stream:
		s := *v
		s.NodeSizes = nil
		if len(s.Entries) == 0 {
			s.Entries = nil
		}
		s.Groups = slices.Clone(s.Groups)
		slices.SortFunc(s.Groups, func(a, b StreamGroup) int { return strings.Compare(a.Name, b.Name) })
		if len(s.Groups) == 0 {
			s.Groups = nil
		}
		for i := range s.Groups {
			g := &s.Groups[i]
			if len(g.PEL) == 0 {
				g.PEL = nil
			}
			g.Consumers = slices.Clone(g.Consumers)
			slices.SortFunc(g.Consumers, func(a, b StreamConsumer) int { return strings.Compare(a.Name, b.Name) })
			if len(g.Consumers) == 0 {
				g.Consumers = nil
			}
			for j := range g.Consumers {
				if len(g.Consumers[j].PEL) == 0 {
					g.Consumers[j].PEL = nil
				}
			}
		}
		return &s
	}
	return v
}

func sameValue(a, b Value) bool {
	return reflect.DeepEqual(normalize(a), normalize(b))
}

func describe(v Value) string {
	s := fmt.Sprintf("%#v", normalize(v))
	if len(s) > 2000 {
		s = s[:2000] + "..."
	}
	return s
}

// key is one key of a test dataset.
type key struct {
	db    int
	name  string
	value Value
	meta  KeyMeta
}

// writeFile writes keys (grouped by db in order of appearance) and
// functions as an RDB file.
func writeFile(t testing.TB, cfg Config, keys []key, functions []string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf, cfg)
	must(t, w.WriteHeader(Header{CTime: 1700000000, UsedMem: 1234567}))
	for _, f := range functions {
		must(t, w.WriteFunction(f))
	}
	dbs := map[int][]key{}
	var order []int
	for _, k := range keys {
		if _, ok := dbs[k.db]; !ok {
			order = append(order, k.db)
		}
		dbs[k.db] = append(dbs[k.db], k)
	}
	slices.Sort(order)
	for _, db := range order {
		var exp uint64
		for _, k := range dbs[db] {
			if k.meta.HasExpire {
				exp++
			}
		}
		must(t, w.SelectDB(db, uint64(len(dbs[db])), exp))
		for _, k := range dbs[db] {
			must(t, w.WriteKey(k.name, k.value, k.meta))
		}
	}
	must(t, w.Close())
	return buf.Bytes()
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// readAll reads a whole file and returns its keys, functions and aux
// fields.
func readAll(t testing.TB, data io.Reader) (map[string]Record, []string, map[string]string) {
	t.Helper()
	r := NewReader(data)
	keys := map[string]Record{}
	var funcs []string
	aux := map[string]string{}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("reading: %v", err)
		}
		switch rec.Kind {
		case KindKey:
			keys[strconv.Itoa(rec.DB)+"/"+rec.Key] = rec
		case KindFunction:
			funcs = append(funcs, rec.Function)
		case KindAux:
			aux[rec.AuxKey] = rec.AuxValue
		}
	}
	return keys, funcs, aux
}

func randString(r *rand.Rand, n int) string {
	const alpha = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alpha[r.IntN(len(alpha))]
	}
	return string(b)
}

// dataset returns a seeded set of keys covering every type and encoding.
func dataset(seed uint64) []key {
	r := rand.New(rand.NewPCG(seed, 7))
	var keys []key
	add := func(name string, v Value) { keys = append(keys, key{name: name, value: v}) }
	// strings
	add("s:small", String("hello"))
	add("s:int8", String("12"))
	add("s:int16", String("-3000"))
	add("s:int32", String("2000000000"))
	add("s:int64", String("9223372036854775807"))
	add("s:lead0", String("0123"))
	add("s:neg0", String("-0"))
	add("s:empty", String(""))
	add("s:compress", String(strings.Repeat("abcdefgh", 40)))
	add("s:random", String(randString(r, 300)))
	add("s:big", String(strings.Repeat("x", 70000)))
	add("s:binary\x00\xff", String("\x00\x01\x02\xff"))
	// lists
	add("l:small", List{"a", "b", "1", "-5", "300", "70000", "-9000000", "4294967296", strings.Repeat("z", 100)})
	var big List
	for i := range 3000 {
		big = append(big, randString(r, r.IntN(40)))
		_ = i
	}
	add("l:big", big)
	add("l:large-elems", List{strings.Repeat("q", 5000), strings.Repeat("w", 9000), "x"})
	// sets
	add("set:intset16", Set{"1", "2", "3", "-7"})
	add("set:intset32", Set{"100000", "-5"})
	add("set:intset64", Set{"10000000000", "1"})
	add("set:strings", Set{"a", "b", "c"})
	var bigInts Set
	for i := range 600 {
		bigInts = append(bigInts, strconv.Itoa(i*3))
	}
	add("set:bigints", bigInts)
	// sorted sets
	add("z:small", ZSet{{"a", 1}, {"b", 2.5}, {"c", -3}, {"d", 1e300}, {"e", 0.1}, {"123", 7}})
	var bigZ ZSet
	for i := range 200 {
		bigZ = append(bigZ, ZMember{randString(r, 10) + strconv.Itoa(i), float64(r.IntN(50)) / 4})
	}
	add("z:big", bigZ)
	add("z:longmember", ZSet{{strings.Repeat("m", 65), 1}})
	// hashes
	add("h:small", Hash{{"f1", "v1"}, {"n", "42"}, {"neg", "-1"}})
	var bigH Hash
	for i := range 600 {
		bigH = append(bigH, HashField{"field" + strconv.Itoa(i), randString(r, 20)})
	}
	add("h:big", bigH)
	add("h:longvalue", Hash{{"f", strings.Repeat("v", 65)}})
	// streams
	st := &Stream{}
	for i := range 250 {
		id := StreamID{Ms: 1700000000000 + uint64(i/3), Seq: uint64(i % 3)}
		f := []string{"temp", strconv.Itoa(r.IntN(100)), "loc", randString(r, 5)}
		if i%7 == 0 {
			f = []string{"other", "x"}
		}
		st.Entries = append(st.Entries, StreamEntry{ID: id, Fields: f})
	}
	st.Length = uint64(len(st.Entries))
	st.LastID = st.Entries[len(st.Entries)-1].ID
	st.FirstID = st.Entries[0].ID
	st.EntriesAdded = st.Length
	st.Groups = []StreamGroup{
		{Name: "g2", LastID: st.Entries[10].ID, EntriesRead: 11,
			PEL: []PendingEntry{
				{ID: st.Entries[3].ID, DeliveryTime: 1700000001000, DeliveryCount: 2},
				{ID: st.Entries[5].ID, DeliveryTime: 1700000002000, DeliveryCount: 1},
			},
			Consumers: []StreamConsumer{
				{Name: "bob", SeenTime: 1700000003000, PEL: []StreamID{st.Entries[5].ID}},
				{Name: "alice", SeenTime: 1700000004000, PEL: []StreamID{st.Entries[3].ID}},
				{Name: "idle", SeenTime: 1700000005000},
			}},
		{Name: "g1", LastID: StreamID{}, EntriesRead: 0},
	}
	add("x:stream", st)
	add("x:empty", &Stream{LastID: StreamID{Ms: 5, Seq: 1}, EntriesAdded: 3, MaxDeletedID: StreamID{Ms: 5, Seq: 1}})
	// expiry and other databases
	keys = append(keys, key{name: "ttl", value: String("v"), meta: KeyMeta{ExpireMs: 4102444800000, HasExpire: true}})
	keys = append(keys, key{name: "lru", value: String("x"), meta: KeyMeta{Idle: 1000, HasIdle: true}})
	keys = append(keys, key{name: "lfu", value: List{"y"}, meta: KeyMeta{Freq: 9, HasFreq: true, ExpireMs: 4102444800999, HasExpire: true}})
	keys = append(keys, key{db: 3, name: "db3", value: String("three")})
	return keys
}
