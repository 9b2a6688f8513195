// Package digest computes Redis 7.0's DEBUG DIGEST and DEBUG DIGEST-VALUE
// from values in a neutral form, so a dataset held by embedis can be
// compared with one held by redis-server (after a snapshot round trip, an
// append-log replay or a replication sync) by a single 40-hex-digit text.
//
// # The algorithm
//
// Two SHA1 primitives build every digest. xor(d, s) xors SHA1(s) into the
// 20-byte state d, so the order of xored items does not matter (set
// members, hash fields, sorted-set members, keys of a database). mix(d, s)
// is xor(d, s) followed by d = SHA1(d), so order matters (list elements,
// stream entries, database ids) and "fo","obar" differs from "foo","bar".
//
// The digest of one value (DEBUG DIGEST-VALUE key) starts from 20 zero
// bytes and is built as:
//
//	mix(type code as a 4-byte big-endian integer)
//	string:  mix(the bytes)
//	list:    mix(element) for each element, head to tail
//	set:     xor(member) for each member
//	zset:    xor(e) for each member, where e = mix(mix(0, member), score text)
//	hash:    xor(e) for each field, where e = mix(mix(0, field), value)
//	stream:  for each entry in ID order: mix("<ms>.<seq>"), then
//	         mix(field), mix(value) for each field of the entry
//	then, if the key has a time to live: xor("!!expire!!")
//
// The score text is C's printf("%.17g"), with "inf" and "-inf" for the
// infinities. Integers (int-encoded strings, listpack integers) enter as
// their decimal text, so the digest does not depend on the encoding. A
// stream's digest covers its entries only: not its consumer groups, its
// last ID, its entries-added counter or its deleted entries. Only whether a
// key has a time to live enters the digest, not the time itself.
//
// The digest of a key in a dataset (DEBUG DIGEST) is the same computation
// started from mix(0, key) instead of zeros. The dataset digest starts from
// zeros and, for each non-empty database in increasing id order, mixes in
// the database id (4-byte big-endian) and then, for every key of that
// database, xors in SHA1 of the key's digest (xor(final, keyDigest), as
// for the sorted-set and hash elements above, not the raw 20 bytes). An empty dataset's digest is 20 zero bytes.
//
// Redis's DEBUG DIGEST iterates the raw keyspace, so keys whose time to
// live has passed but that have not been removed yet are counted; callers
// that want to match a live redis-server must feed the same keys.
package digest

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"math"
	"sort"
	"strconv"
)

// Size is the length of a digest in bytes.
const Size = sha1.Size

// Digest is a 20-byte DEBUG DIGEST or DEBUG DIGEST-VALUE result.
type Digest [Size]byte

// String returns the digest as Redis prints it: 40 lower-case hex digits.
func (d Digest) String() string { return hex.EncodeToString(d[:]) }

// IsZero reports whether d is all zeros, the digest of an empty dataset
// and of a missing key in DEBUG DIGEST-VALUE.
func (d Digest) IsZero() bool { return d == Digest{} }

// Type is a value type as Redis numbers it (OBJ_STRING ... OBJ_STREAM);
// the number is part of the digest.
type Type uint32

// The value types with their Redis type codes. Code 5 is Redis's module
// type, which embedis does not have.
const (
	TypeString Type = 0
	TypeList   Type = 1
	TypeSet    Type = 2
	TypeZSet   Type = 3
	TypeHash   Type = 4
	TypeStream Type = 6
)

// xorInto xors SHA1(s) into d.
func xorInto(d *Digest, s []byte) {
	h := sha1.Sum(s)
	for i := range d {
		d[i] ^= h[i]
	}
}

// xorString is xorInto for a string, without copying it to the heap when
// the compiler can avoid it.
func xorString(d *Digest, s string) {
	h := sha1.Sum([]byte(s))
	for i := range d {
		d[i] ^= h[i]
	}
}

// mixString xors SHA1(s) into d and replaces d by its own SHA1: an
// order-dependent step.
func mixString(d *Digest, s string) {
	xorString(d, s)
	*d = sha1.Sum(d[:])
}

func mixBytes(d *Digest, s []byte) {
	xorInto(d, s)
	*d = sha1.Sum(d[:])
}

func mixUint32(d *Digest, v uint32) {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	mixBytes(d, b[:])
}

// FormatScore returns a sorted-set score as Redis 7.0's digest formats it:
// C's "%.17g" (17 significant digits, trailing zeros dropped, exponent form
// when the exponent is below -4 or at least 17), and "inf" / "-inf".
func FormatScore(score float64) string {
	switch {
	case math.IsInf(score, 1):
		return "inf"
	case math.IsInf(score, -1):
		return "-inf"
	case math.IsNaN(score):
		return "nan" // a sorted set never holds NaN; C prints "nan" or "-nan"
	}
	return strconv.FormatFloat(score, 'g', 17, 64)
}

// Builder accumulates the digest of one value, fed in its neutral form
// through the method for the value's type. The methods for other types
// must not be called: a Builder does not check. A Builder is not safe for
// concurrent use. The zero Builder is not usable; start one with NewValue
// or NewKey.
type Builder struct {
	d Digest
}

// NewValue starts the digest of a value of type t as DEBUG DIGEST-VALUE
// computes it (the key name is not part of it).
func NewValue(t Type) *Builder {
	b := &Builder{}
	mixUint32(&b.d, uint32(t))
	return b
}

// NewKey starts the digest of key holding a value of type t as DEBUG
// DIGEST computes it for the key's share of the dataset digest.
func NewKey(key string, t Type) *Builder {
	b := &Builder{}
	mixString(&b.d, key)
	mixUint32(&b.d, uint32(t))
	return b
}

// String feeds the bytes of a string value (integers as decimal text).
// Call it once.
func (b *Builder) String(s string) { mixString(&b.d, s) }

// ListElement feeds the next element of a list, from head to tail.
func (b *Builder) ListElement(elem string) { mixString(&b.d, elem) }

// SetMember feeds one member of a set, in any order.
func (b *Builder) SetMember(member string) { xorString(&b.d, member) }

// ZSetMember feeds one member of a sorted set with its score, in any
// order.
func (b *Builder) ZSetMember(member string, score float64) {
	var e Digest
	mixString(&e, member)
	mixString(&e, FormatScore(score))
	xorInto(&b.d, e[:])
}

// HashField feeds one field of a hash with its value, in any order.
func (b *Builder) HashField(field, value string) {
	var e Digest
	mixString(&e, field)
	mixString(&e, value)
	xorInto(&b.d, e[:])
}

// StreamEntry feeds the ID of the next stream entry, in increasing ID
// order; the entry's fields follow with StreamField. Deleted entries are
// not fed.
func (b *Builder) StreamEntry(ms, seq uint64) {
	buf := make([]byte, 0, 42)
	buf = strconv.AppendUint(buf, ms, 10)
	buf = append(buf, '.')
	buf = strconv.AppendUint(buf, seq, 10)
	mixBytes(&b.d, buf)
}

// StreamField feeds the next field of the current stream entry, in the
// entry's field order.
func (b *Builder) StreamField(field, value string) {
	mixString(&b.d, field)
	mixString(&b.d, value)
}

// Sum returns the digest fed so far, finished with whether the key has a
// time to live. It does not change the Builder.
func (b *Builder) Sum(hasExpire bool) Digest {
	d := b.d
	if hasExpire {
		xorString(&d, "!!expire!!")
	}
	return d
}

// Value is a value in neutral form: one of String, List, Set, ZSet, Hash
// and Stream. It is sealed: only this package's types implement it.
type Value interface {
	typ() Type
	feed(b *Builder)
}

// String is a string value (an integer as its decimal text).
type String string

// List is a list value, head first.
type List []string

// Set is a set value, members in any order.
type Set []string

// ZSet is a sorted-set value, members in any order.
type ZSet []ZMember

// ZMember is one member of a sorted set with its score.
type ZMember struct {
	Member string  // the member's bytes
	Score  float64 // its score; formatted by FormatScore for the digest
}

// Hash is a hash value, fields in any order.
type Hash []HashField

// HashField is one field of a hash with its value.
type HashField struct {
	Field string // the field's name
	Value string // its value
}

// Stream is a stream value: its entries in increasing ID order. Consumer
// groups do not enter the digest, so they have no place here.
type Stream []StreamEntry

// StreamEntry is one stream entry: its ID and its field/value pairs
// interleaved (field0, value0, field1, value1 ...) in the entry's order.
type StreamEntry struct {
	MS     uint64   // the ID's milliseconds part
	Seq    uint64   // the ID's sequence part
	Fields []string // field0, value0, field1, value1 ... as stored
}

func (String) typ() Type { return TypeString }
func (List) typ() Type   { return TypeList }
func (Set) typ() Type    { return TypeSet }
func (ZSet) typ() Type   { return TypeZSet }
func (Hash) typ() Type   { return TypeHash }
func (Stream) typ() Type { return TypeStream }

func (v String) feed(b *Builder) { b.String(string(v)) }

func (v List) feed(b *Builder) {
	for _, e := range v {
		b.ListElement(e)
	}
}

func (v Set) feed(b *Builder) {
	for _, m := range v {
		b.SetMember(m)
	}
}

func (v ZSet) feed(b *Builder) {
	for _, m := range v {
		b.ZSetMember(m.Member, m.Score)
	}
}

func (v Hash) feed(b *Builder) {
	for _, f := range v {
		b.HashField(f.Field, f.Value)
	}
}

// feed feeds the entries; a trailing field without a value (an odd Fields
// length) is fed with an empty value rather than dropped, so a malformed
// entry still changes the digest.
func (v Stream) feed(b *Builder) {
	for _, e := range v {
		b.StreamEntry(e.MS, e.Seq)
		for i := 0; i < len(e.Fields); i += 2 {
			val := ""
			if i+1 < len(e.Fields) {
				val = e.Fields[i+1]
			}
			b.StreamField(e.Fields[i], val)
		}
	}
}

// TypeOf returns the Redis type code of v.
func TypeOf(v Value) Type { return v.typ() }

// OfValue returns DEBUG DIGEST-VALUE of v for a key with (hasExpire) or
// without a time to live.
func OfValue(v Value, hasExpire bool) Digest {
	b := NewValue(v.typ())
	v.feed(b)
	return b.Sum(hasExpire)
}

// OfKey returns key's share of DEBUG DIGEST: the digest of key holding v,
// with or without a time to live, to be added to a Dataset.
func OfKey(key string, v Value, hasExpire bool) Digest {
	b := NewKey(key, v.typ())
	v.feed(b)
	return b.Sum(hasExpire)
}

// Dataset accumulates DEBUG DIGEST over the keys of every database. Keys
// may be added in any order, databases included. The zero Dataset is empty
// and ready to use; it is not safe for concurrent use.
type Dataset struct {
	dbs map[int]Digest // per non-empty database: xor of SHA1 of each key digest
}

// AddKeyDigest adds a key digest made by OfKey or NewKey(...).Sum to
// database db. A database to which nothing is added counts as empty.
func (s *Dataset) AddKeyDigest(db int, keyDigest Digest) {
	if s.dbs == nil {
		s.dbs = make(map[int]Digest)
	}
	acc := s.dbs[db]
	xorInto(&acc, keyDigest[:])
	s.dbs[db] = acc
}

// Add adds key holding v, with or without a time to live, to database db.
func (s *Dataset) Add(db int, key string, v Value, hasExpire bool) {
	s.AddKeyDigest(db, OfKey(key, v, hasExpire))
}

// Sum returns the dataset digest: DEBUG DIGEST's 20 bytes. It does not
// change the Dataset.
func (s *Dataset) Sum() Digest {
	ids := make([]int, 0, len(s.dbs))
	for id := range s.dbs {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	var final Digest
	for _, id := range ids {
		// Redis mixes the id as a C uint32 in network order.
		mixUint32(&final, uint32(id))
		acc := s.dbs[id]
		for i := range final {
			final[i] ^= acc[i]
		}
	}
	return final
}
