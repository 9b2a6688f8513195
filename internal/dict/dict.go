// Package dict is the keyspace hash table: a chained hash table keyed by
// string, hashed with xxhash, grown and shrunk by incremental rehashing, and
// iterated with Redis's reverse-binary cursor.
//
// A Go map cannot do what the keyspace needs:
//
//   - SCAN must be stateless and still return every key that is present for
//     the whole scan, even while the table grows or shrinks between calls.
//     Incrementing the cursor in bit-reversed order visits buckets so that a
//     bucket split (grow) or merge (shrink) never moves a key to a bucket the
//     cursor has already passed; see Scan.
//   - RANDOMKEY, eviction and the active expiry cycle sample keys uniformly
//     enough in O(1); a Go map has no random access.
//
// A Dict is not safe for concurrent use. In embedis each one is owned by the
// executor goroutine.
package dict

import (
	"crypto/rand"
	"encoding/binary"
	"math/bits"

	"github.com/cespare/xxhash/v2"
)

const minSize = 4

type node[V any] struct {
	key  string
	hash uint64
	next *node[V]
	val  V
}

type table[V any] struct {
	buckets []*node[V]
	mask    uint64
	used    int
}

// Dict maps strings to values of type V. The zero value is an empty Dict
// ready to use.
type Dict[V any] struct {
	// t[0] is the main table; t[1] is non-empty only while rehashing, when
	// entries move bucket by bucket from t[0] to t[1].
	t [2]table[V]
	// rehashIdx is the next t[0] bucket to move, or -1 when not rehashing.
	rehashIdx int
	init      bool
	// pins counts the scans that must see every key at most once (see
	// Pin): while it is positive the table never shrinks.
	pins int
}

// seed keys the hash function, chosen at random when the process starts:
// clients that choose keys (anyone who can reach a wire listener) must not
// be able to predict which keys share a bucket, or they could make every
// lookup walk one long chain (hash flooding). Redis seeds its SipHash the
// same way.
var seed = func() uint64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("dict: no randomness for the hash seed: " + err.Error())
	}
	return binary.LittleEndian.Uint64(b[:])
}()

// Hash is the hash function of the table: xxhash keyed with the process's
// random seed. The digest lives on the stack, so hashing allocates nothing.
func Hash(key string) uint64 {
	var d xxhash.Digest
	d.ResetWithSeed(seed)
	d.WriteString(key)
	return d.Sum64()
}

func (d *Dict[V]) lazyInit() {
	if !d.init {
		d.rehashIdx = -1
		d.init = true
	}
}

// Len is the number of keys.
func (d *Dict[V]) Len() int { return d.t[0].used + d.t[1].used }

func (d *Dict[V]) rehashing() bool { return d.init && d.rehashIdx >= 0 }

// rehashStep moves up to n non-empty buckets from t[0] to t[1], visiting at
// most 10*n empty buckets so one step stays O(1).
func (d *Dict[V]) rehashStep(n int) {
	if !d.rehashing() {
		return
	}
	empty := n * 10
	for ; n > 0 && d.t[0].used > 0; n-- {
		for d.t[0].buckets[d.rehashIdx] == nil {
			d.rehashIdx++
			empty--
			if empty == 0 {
				return
			}
		}
		for e := d.t[0].buckets[d.rehashIdx]; e != nil; {
			next := e.next
			i := e.hash & d.t[1].mask
			e.next = d.t[1].buckets[i]
			d.t[1].buckets[i] = e
			d.t[0].used--
			d.t[1].used++
			e = next
		}
		d.t[0].buckets[d.rehashIdx] = nil
		d.rehashIdx++
	}
	if d.t[0].used == 0 {
		d.t[0] = d.t[1]
		d.t[1] = table[V]{}
		d.rehashIdx = -1
	}
}

// resize starts a rehash into a table of the given power-of-two size.
func (d *Dict[V]) resize(size int) {
	if size < minSize {
		size = minSize
	}
	size = 1 << bits.Len(uint(size-1))
	if d.rehashing() || size == len(d.t[0].buckets) {
		return
	}
	nt := table[V]{buckets: make([]*node[V], size), mask: uint64(size - 1)}
	if d.t[0].buckets == nil {
		d.t[0] = nt
		return
	}
	d.t[1] = nt
	d.rehashIdx = 0
}

func (d *Dict[V]) maybeGrow() {
	if d.rehashing() {
		return
	}
	if d.t[0].buckets == nil {
		d.resize(minSize)
		return
	}
	if d.t[0].used >= len(d.t[0].buckets) {
		d.resize(d.t[0].used + 1)
	}
}

func (d *Dict[V]) maybeShrink() {
	if d.rehashing() || len(d.t[0].buckets) <= minSize || d.pins > 0 {
		return
	}
	// Redis shrinks below 10% fill; 1/8 keeps the arithmetic in shifts.
	if d.t[0].used < len(d.t[0].buckets)/8 {
		d.resize(d.t[0].used * 2)
	}
}

func (d *Dict[V]) find(key string, h uint64) *node[V] {
	for t := 0; t < 2; t++ {
		tb := &d.t[t]
		if tb.buckets == nil {
			break
		}
		for e := tb.buckets[h&tb.mask]; e != nil; e = e.next {
			if e.hash == h && e.key == key {
				return e
			}
		}
		if !d.rehashing() {
			break
		}
	}
	return nil
}

// Get returns a pointer to the value stored for key, or nil. The pointer
// stays valid until the key is deleted; rehashing moves nodes, not values.
func (d *Dict[V]) Get(key string) *V {
	d.lazyInit()
	if d.Len() == 0 {
		return nil
	}
	d.rehashStep(1)
	if e := d.find(key, Hash(key)); e != nil {
		return &e.val
	}
	return nil
}

// Put returns a pointer to the value for key, inserting a zero value first
// when the key is absent; added reports whether it was inserted.
func (d *Dict[V]) Put(key string) (v *V, added bool) {
	d.lazyInit()
	d.rehashStep(1)
	h := Hash(key)
	if e := d.find(key, h); e != nil {
		return &e.val, false
	}
	d.maybeGrow()
	tb := &d.t[0]
	if d.rehashing() {
		tb = &d.t[1]
	}
	i := h & tb.mask
	e := &node[V]{key: key, hash: h, next: tb.buckets[i]}
	tb.buckets[i] = e
	tb.used++
	return &e.val, true
}

// Delete removes key and returns its value.
func (d *Dict[V]) Delete(key string) (old V, ok bool) {
	d.lazyInit()
	if d.Len() == 0 {
		return old, false
	}
	d.rehashStep(1)
	h := Hash(key)
	for t := 0; t < 2; t++ {
		tb := &d.t[t]
		if tb.buckets == nil {
			break
		}
		p := &tb.buckets[h&tb.mask]
		for e := *p; e != nil; e = *p {
			if e.hash == h && e.key == key {
				*p = e.next
				tb.used--
				old = e.val
				d.maybeShrink()
				return old, true
			}
			p = &e.next
		}
		if !d.rehashing() {
			break
		}
	}
	return old, false
}

// Clear removes every key.
func (d *Dict[V]) Clear() { *d = Dict[V]{} }

// Random returns a key chosen at random, using rnd for randomness (it must
// return a uniformly distributed uint64). Keys in long chains are slightly
// less likely than others, as in Redis; the cost is O(1) on average because
// the table is kept at least 1/8 full.
func (d *Dict[V]) Random(rnd func() uint64) (key string, v *V, ok bool) {
	d.lazyInit()
	if d.Len() == 0 {
		return "", nil, false
	}
	d.rehashStep(1)
	var e *node[V]
	if d.rehashing() {
		// Buckets of t[0] below rehashIdx are empty; draw from the rest of
		// t[0] and all of t[1].
		n0 := uint64(len(d.t[0].buckets) - d.rehashIdx)
		total := n0 + uint64(len(d.t[1].buckets))
		for e == nil {
			i := rnd() % total
			if i < n0 {
				e = d.t[0].buckets[uint64(d.rehashIdx)+i]
			} else {
				e = d.t[1].buckets[i-n0]
			}
		}
	} else {
		for e == nil {
			e = d.t[0].buckets[rnd()&d.t[0].mask]
		}
	}
	n := 0
	for p := e; p != nil; p = p.next {
		n++
	}
	for i := rnd() % uint64(n); i > 0; i-- {
		e = e.next
	}
	return e.key, &e.val, true
}

// Scan calls fn for every key in the buckets the cursor names and returns the
// next cursor; 0 means the scan is complete. A key present from the first call
// (cursor 0) to the last is passed to fn at least once, whatever the table
// does in between; keys may be passed more than once when the table shrinks.
// fn must not modify the Dict.
//
// The cursor counts in bit-reversed order: the high bits of the bucket index
// advance first. When the table doubles, bucket i splits into i and
// i+size; both have the same low bits as i, so they sort after every bucket
// the cursor has visited. While rehashing, the smaller table's bucket is
// emitted together with every bucket of the larger table that it expands to.
func (d *Dict[V]) Scan(cursor uint64, fn func(key string, v *V)) uint64 {
	d.lazyInit()
	if d.Len() == 0 {
		return 0
	}
	emit := func(tb *table[V], i uint64) {
		for e := tb.buckets[i]; e != nil; {
			next := e.next
			fn(e.key, &e.val)
			e = next
		}
	}
	v := cursor
	if !d.rehashing() {
		m0 := d.t[0].mask
		emit(&d.t[0], v&m0)
		v |= ^m0
		v = bits.Reverse64(bits.Reverse64(v) + 1)
		return v
	}
	small, large := &d.t[0], &d.t[1]
	if len(small.buckets) > len(large.buckets) {
		small, large = large, small
	}
	m0, m1 := small.mask, large.mask
	emit(small, v&m0)
	for {
		emit(large, v&m1)
		v |= ^m1
		v = bits.Reverse64(bits.Reverse64(v) + 1)
		if v&(m0^m1) == 0 {
			break
		}
	}
	return v
}

// Pin makes Scan return each key at most once until the matching Unpin,
// besides at least once for every key present throughout: only a table
// that shrinks can make the cursor revisit buckets (Scan's comment), so a
// pinned table grows as usual but never shrinks. Pins nest. A snapshot
// scanning a table across many requests pins it.
func (d *Dict[V]) Pin() { d.pins++ }

// Unpin undoes a Pin; a table left mostly empty shrinks again at the next
// RehashSteps.
func (d *Dict[V]) Unpin() {
	if d.pins > 0 {
		d.pins--
	}
}

// All calls fn for every key until fn returns false. fn must not modify the
// Dict.
func (d *Dict[V]) All(fn func(key string, v *V) bool) {
	for t := 0; t < 2; t++ {
		for _, e := range d.t[t].buckets {
			for ; e != nil; e = e.next {
				if !fn(e.key, &e.val) {
					return
				}
			}
		}
	}
}

// Buckets is the number of buckets of the main table (for tests and stats).
func (d *Dict[V]) Buckets() int { return len(d.t[0].buckets) + len(d.t[1].buckets) }

// Rehashing reports whether an incremental rehash is in progress.
func (d *Dict[V]) Rehashing() bool { return d.rehashing() }

// RehashSteps does up to n steps of incremental rehashing, and shrinks a
// table that deletions left mostly empty; the executor calls it from its
// timer, as Redis's cron resizes and rehashes, so an idle table finishes
// rehashing and one that shrank while a rehash was running (deletions
// cannot start a second one) still gets small.
func (d *Dict[V]) RehashSteps(n int) {
	d.lazyInit()
	for round := 0; round < 2; round++ {
		if !d.rehashing() {
			d.maybeShrink()
		}
		d.rehashStep(n)
	}
}
