package embedis

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"

	"github.com/cespare/xxhash/v2"
)

// The coverage check of the mutation path (mutate.go), compiled in with
// -tags embedischeck. Before each request the executor digests every key
// of every database; after it, every key whose digest changed (written,
// created or deleted) must have passed both the before-change and the
// after-change hooks during the request, or its whole database must have
// (FLUSHDB, SWAPDB). A key that changed silently is a write path that
// snapshots, the log, replicas and WATCH would all miss: the check panics
// on the executor, which fails the test binary with the key and command.
//
// Stores with more than mutCheckMaxKeys keys are not checked (the digest
// is O(dataset) per request); mcheck.skipped counts those requests.

const mutCheckMaxKeys = 5000

type dbKey struct {
	db  int
	key string
}

// mutCheck is the state of the check. Owned by the executor goroutine.
type mutCheck struct {
	active  bool
	before  map[dbKey]uint64
	hooked  map[dbKey]uint8 // bit 1: before-change, bit 2: after-change
	wholeDB map[int]bool
	what    string // the request being checked, for the message
	skipped int
	// fail reports a violation; nil panics (the default). Tests of the
	// check itself set it.
	fail func(msg string)
}

func (m *mutCheck) noteBefore(db int, key string) {
	if m.active {
		m.hooked[dbKey{db, key}] |= 1
	}
}

func (m *mutCheck) noteAfter(db int, key string) {
	if m.active {
		m.hooked[dbKey{db, key}] |= 2
	}
}

func (m *mutCheck) noteDB(db int) {
	if m.active {
		m.wholeDB[db] = true
	}
}

// mutCheckBegin digests the dataset before a request runs.
func (s *Store) mutCheckBegin(what string) {
	m := &s.mcheck
	n := 0
	for _, d := range s.dbs {
		n += d.keys.Len()
	}
	if n > mutCheckMaxKeys {
		m.active = false
		m.skipped++
		return
	}
	m.active, m.what = true, what
	m.before = s.datasetDigests()
	m.hooked = map[dbKey]uint8{}
	m.wholeDB = map[int]bool{}
}

// mutCheckEnd compares the dataset with the digests taken before the
// request and panics on a change that bypassed the hooks.
func (s *Store) mutCheckEnd() {
	m := &s.mcheck
	if !m.active {
		return
	}
	m.active = false
	after := s.datasetDigests()
	var bad []string
	check := func(k dbKey) {
		if m.wholeDB[k.db] || m.hooked[k] == 3 {
			return
		}
		bad = append(bad, fmt.Sprintf("db %d key %q (hooks seen: %02b)", k.db, k.key, m.hooked[k]))
	}
	for k, h := range after {
		if b, ok := m.before[k]; !ok || b != h {
			check(k)
		}
	}
	for k := range m.before {
		if _, ok := after[k]; !ok {
			check(k)
		}
	}
	m.before, m.hooked, m.wholeDB = nil, nil, nil
	if len(bad) > 0 {
		sort.Strings(bad)
		msg := fmt.Sprintf("embedis: mutation check: %s changed keys without the mutation hooks: %v", m.what, bad)
		if m.fail != nil {
			m.fail(msg)
			return
		}
		panic(msg)
	}
}

func (s *Store) datasetDigests() map[dbKey]uint64 {
	out := map[dbKey]uint64{}
	for _, d := range s.dbs {
		d.keys.All(func(key string, e *entry) bool {
			out[dbKey{d.id, key}] = entryDigest(e)
			return true
		})
	}
	return out
}

// entryDigest hashes what a command can observe of a key: type, encoding,
// expiry and contents (not the access time, nor the encoding).
func entryDigest(e *entry) uint64 {
	var h xxhash.Digest
	h.Reset()
	w := func(s string) {
		var n [8]byte
		putU64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.WriteString(s)
	}
	u := func(x uint64) {
		var n [8]byte
		putU64(n[:], x)
		h.Write(n[:])
	}
	// Encodings are left out: they are representation, not data, and
	// Redis converts some on reads (SORT turns a listpack zset into a
	// skiplist) without calling it a change.
	u(uint64(e.typ))
	u(uint64(e.expire))
	switch e.typ {
	case typeString:
		w(e.str)
	case typeList:
		l, ok := e.obj.(*list)
		if !ok {
			break // a test's stand-in value
		}
		for i := 0; i < l.d.Len(); i++ {
			w(l.d.At(i))
		}
	case typeSet:
		// Order-independent: a hashtable's iteration order may move with
		// incremental rehashing, which is no change.
		st, ok := e.obj.(*setType)
		if !ok {
			break
		}
		var acc uint64
		for m := range st.all() {
			acc += xxhash.Sum64String(m)
		}
		u(acc)
	case typeZSet:
		z, ok := e.obj.(*zsetType)
		if !ok {
			break
		}
		for n := z.zsl.First(); n != nil; n = n.Next() {
			w(n.Member)
			u(math.Float64bits(n.Score))
		}
	case typeHash:
		hv, ok := e.obj.(*hashType)
		if !ok {
			break
		}
		if hv.ht == nil {
			for f, v := range hv.all() { // listpack order is observable
				w(f)
				w(v)
			}
			break
		}
		var acc uint64
		for f, v := range hv.all() {
			acc += xxhash.Sum64String(f) ^ (xxhash.Sum64String(v) * 31)
		}
		u(acc)
	case typeStream:
		st, ok := e.obj.(*stream)
		if !ok {
			break
		}
		for _, id := range []streamID{st.last, st.first, st.maxDeleted} {
			u(id.Ms)
			u(id.Seq)
		}
		u(st.entriesAdded)
		st.entries.Ascend(func(se *streamEntry) bool {
			u(se.id.Ms)
			u(se.id.Seq)
			for _, f := range se.fields {
				w(f)
			}
			return true
		})
		st.nodes.Ascend(func(n *streamNode) bool {
			u(n.master.Ms)
			u(n.master.Seq)
			u(uint64(n.live))
			u(uint64(n.deleted))
			return true
		})
		for _, name := range slices.Sorted(maps.Keys(st.groups)) {
			g := st.groups[name]
			w(g.name)
			u(g.lastID.Ms)
			u(g.lastID.Seq)
			u(uint64(g.entriesRead))
			g.pel.Ascend(func(n *streamNACK) bool {
				u(n.id.Ms)
				u(n.id.Seq)
				w(n.consumer.name)
				u(uint64(n.deliveryTime))
				u(uint64(n.deliveryCount))
				return true
			})
			for _, cn := range slices.Sorted(maps.Keys(g.consumers)) {
				c := g.consumers[cn]
				w(c.name)
				u(uint64(c.seenTime))
			}
		}
	}
	return h.Sum64()
}

func putU64(b []byte, x uint64) {
	for i := 0; i < 8; i++ {
		b[i] = byte(x >> (8 * i))
	}
}
