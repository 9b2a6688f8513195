package embedis

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/embedis/embedis/internal/glob"
)

// Sets.
//
// A set value is a *setType in entry.obj. Like Redis 7.0 it has two
// encodings, and the one it uses decides both OBJECT ENCODING and the order
// in which its members are replied:
//
//   - intset: every member is an integer in Redis's string2ll form and there
//     are at most set-max-intset-entries (512) of them. The members are kept
//     as a sorted []int64, so SMEMBERS, SSCAN and friends reply in ascending
//     numeric order, exactly as Redis does.
//   - hashtable: anything else. The members are a slice plus a map from
//     member to its position in the slice, so a member is found in O(1) and
//     a uniformly random member is picked in O(1) (SPOP, SRANDMEMBER);
//     removal moves the last member into the hole. Redis replies these sets
//     in its hash-table order, which embedis cannot reproduce: replies of
//     such sets are equal to Redis's as sets, not as sequences.
//
// A set converts from intset to hashtable when it gets a non-integer member
// or too many members, and never back, as in Redis 7.0 (Redis 7.2's
// listpack encoding of small sets does not exist in 7.0). An empty set is
// never stored: the command that empties it deletes the key.

// defaultSetMaxIntsetEntries is Redis's set-max-intset-entries default.
const defaultSetMaxIntsetEntries = 512

// setMaxIntsetEntries is the largest intset-encoded set. It is a method so
// that CONFIG SET set-max-intset-entries can later change it; today it is
// Redis's default.
func (s *Store) setMaxIntsetEntries() int { return s.limits.setMaxIntsetEntries }

// setType is a set value. Owned by the executor goroutine.
//
// Invariants: when !ht, ints is sorted ascending without duplicates and
// members and index are nil; when ht, ints is nil, len(members) ==
// len(index) and index[members[i]] == i for every i.
type setType struct {
	ht      bool
	ints    []int64
	members []string
	index   map[string]int
}

// newSetFor returns an empty set in the encoding Redis gives a set created
// for its first member (setTypeCreate): intset when the member is an
// integer, hashtable otherwise.
func newSetFor(first string) *setType {
	if _, ok := parseInt(first); ok {
		return &setType{}
	}
	return &setType{ht: true, index: map[string]int{}}
}

// encoding is the set's OBJECT ENCODING.
func (s *setType) encoding() string {
	if s.ht {
		return "hashtable"
	}
	return "intset"
}

func (s *setType) len() int {
	if s.ht {
		return len(s.members)
	}
	return len(s.ints)
}

// has reports whether m is a member.
func (s *setType) has(m string) bool {
	if s.ht {
		_, ok := s.index[m]
		return ok
	}
	v, ok := parseInt(m)
	if !ok {
		return false
	}
	_, found := slices.BinarySearch(s.ints, v)
	return found
}

// add adds m and reports whether it was new; maxInts is the largest size
// an intset may have.
func (s *setType) add(m string, maxInts int) bool {
	if !s.ht {
		v, ok := parseInt(m)
		if ok {
			i, found := slices.BinarySearch(s.ints, v)
			if found {
				return false
			}
			s.ints = slices.Insert(s.ints, i, v)
			if len(s.ints) > maxInts {
				s.toHashtable()
			}
			return true
		}
		s.toHashtable()
	}
	if _, ok := s.index[m]; ok {
		return false
	}
	s.index[m] = len(s.members)
	s.members = append(s.members, m)
	return true
}

// toHashtable converts an intset to the hashtable encoding, keeping the
// members in ascending order in the slice.
func (s *setType) toHashtable() {
	s.members = make([]string, len(s.ints), len(s.ints)+1)
	s.index = make(map[string]int, len(s.ints)+1)
	for i, v := range s.ints {
		m := strconv.FormatInt(v, 10)
		s.members[i] = m
		s.index[m] = i
	}
	s.ints = nil
	s.ht = true
}

// remove removes m and reports whether it was a member.
func (s *setType) remove(m string) bool {
	if s.ht {
		i, ok := s.index[m]
		if !ok {
			return false
		}
		s.removeAt(i)
		return true
	}
	v, ok := parseInt(m)
	if !ok {
		return false
	}
	i, found := slices.BinarySearch(s.ints, v)
	if found {
		s.ints = slices.Delete(s.ints, i, i+1)
	}
	return found
}

// at returns the member at position i (0 <= i < len): the i-th smallest
// integer of an intset, an arbitrary but stable member of a hashtable.
func (s *setType) at(i int) string {
	if s.ht {
		return s.members[i]
	}
	return strconv.FormatInt(s.ints[i], 10)
}

// removeAt removes the member at position i and returns it.
func (s *setType) removeAt(i int) string {
	if !s.ht {
		m := strconv.FormatInt(s.ints[i], 10)
		s.ints = slices.Delete(s.ints, i, i+1)
		return m
	}
	m := s.members[i]
	last := len(s.members) - 1
	if i != last {
		moved := s.members[last]
		s.members[i] = moved
		s.index[moved] = i
	}
	s.members[last] = ""
	s.members = s.members[:last]
	delete(s.index, m)
	return m
}

// all yields the members in the set's order: ascending for an intset.
func (s *setType) all() iter.Seq[string] {
	return func(yield func(string) bool) {
		for i := range s.len() {
			if !yield(s.at(i)) {
				return
			}
		}
	}
}

// cloneObject is clone for COPY (the cloner interface).
func (s *setType) cloneObject() any { return s.clone() }

// checkInvariants is check for the store's invariant check (the checker
// interface); an empty stored set is a violation too.
func (s *setType) checkInvariants() error {
	if s.len() == 0 {
		return fmt.Errorf("empty set stored")
	}
	return s.check()
}

// clone returns an independent copy of the set (COPY, snapshots).
func (s *setType) clone() *setType {
	if !s.ht {
		return &setType{ints: slices.Clone(s.ints)}
	}
	return &setType{ht: true, members: slices.Clone(s.members), index: maps.Clone(s.index)}
}

// check verifies the set's invariants; tests and the store's invariant
// check call it.
func (s *setType) check() error {
	if !s.ht {
		if s.members != nil || s.index != nil {
			return fmt.Errorf("intset set has hashtable fields")
		}
		for i := 1; i < len(s.ints); i++ {
			if s.ints[i-1] >= s.ints[i] {
				return fmt.Errorf("intset not strictly ascending at %d", i)
			}
		}
		return nil
	}
	if s.ints != nil {
		return fmt.Errorf("hashtable set has intset fields")
	}
	if len(s.members) != len(s.index) {
		return fmt.Errorf("hashtable set: %d members but %d index entries", len(s.members), len(s.index))
	}
	for i, m := range s.members {
		if j, ok := s.index[m]; !ok || j != i {
			return fmt.Errorf("hashtable set: member %q at %d indexed at %d (%v)", m, i, j, ok)
		}
	}
	return nil
}

// reply is the set as a set reply, in the set's order.
func (s *setType) reply() Value {
	vs := make([]Value, s.len())
	for i := range vs {
		vs[i] = BulkValue(s.at(i))
	}
	return SetValue(vs...)
}

// ---- typed methods ----

// SAdd adds the members to the set at key, creating it when missing, and
// returns how many were not already members (SADD). ErrWrongType when key
// holds another type.
func (d *DB) SAdd(ctx context.Context, key string, members ...string) (int64, error) {
	return asInt(d.exec(ctx, append([]string{"sadd", key}, members...)))
}

// SRem removes the members from the set at key and returns how many were
// members (SREM). A set left empty is deleted.
func (d *DB) SRem(ctx context.Context, key string, members ...string) (int64, error) {
	return asInt(d.exec(ctx, append([]string{"srem", key}, members...)))
}

// SCard returns the number of members of the set at key, 0 when the key
// does not exist (SCARD).
func (d *DB) SCard(ctx context.Context, key string) (int64, error) {
	return asInt(d.execArgs(ctx, "scard", key))
}

// SIsMember reports whether member is in the set at key (SISMEMBER).
func (d *DB) SIsMember(ctx context.Context, key, member string) (bool, error) {
	return asBool(d.execArgs(ctx, "sismember", key, member))
}

// SMIsMember reports, for each member in order, whether it is in the set
// at key (SMISMEMBER).
func (d *DB) SMIsMember(ctx context.Context, key string, members ...string) ([]bool, error) {
	v, err := d.exec(ctx, append([]string{"smismember", key}, members...))
	if err != nil {
		return nil, err
	}
	if v.kind == KindError {
		return nil, v.Err()
	}
	out := make([]bool, len(v.elems))
	for i, e := range v.elems {
		out[i] = e.num != 0
	}
	return out, nil
}

// SMembers returns the members of the set at key (SMEMBERS); an empty
// slice when the key does not exist. A set stored as an intset (only
// integers and never more than 512 members; see OBJECT ENCODING) comes in
// ascending numeric order, as from Redis; other sets in no particular
// order.
func (d *DB) SMembers(ctx context.Context, key string) ([]string, error) {
	return asStrings(d.execArgs(ctx, "smembers", key))
}

// SMove moves member from the set at src to the set at dst and reports
// whether it was a member of src (SMOVE).
func (d *DB) SMove(ctx context.Context, src, dst, member string) (bool, error) {
	return asBool(d.execArgs(ctx, "smove", src, dst, member))
}

// SPop removes and returns a random member of the set at key (SPOP), or
// Nil when the key does not exist.
func (d *DB) SPop(ctx context.Context, key string) (string, error) {
	return asString(d.execArgs(ctx, "spop", key))
}

// SPopN removes and returns up to count random members of the set at key
// (SPOP key count); an empty slice when the key does not exist. A negative
// count is ErrNotPositive.
func (d *DB) SPopN(ctx context.Context, key string, count int64) ([]string, error) {
	return asStrings(d.execArgs(ctx, "spop", key, strconv.FormatInt(count, 10)))
}

// SRandMember returns a random member of the set at key without removing
// it (SRANDMEMBER), or Nil when the key does not exist.
func (d *DB) SRandMember(ctx context.Context, key string) (string, error) {
	return asString(d.execArgs(ctx, "srandmember", key))
}

// SRandMemberN returns random members of the set at key without removing
// them (SRANDMEMBER key count): with count > 0, up to count distinct
// members; with count < 0, exactly -count members that may repeat.
func (d *DB) SRandMemberN(ctx context.Context, key string, count int64) ([]string, error) {
	return asStrings(d.execArgs(ctx, "srandmember", key, strconv.FormatInt(count, 10)))
}

// SInter returns the members common to all the sets at keys (SINTER); a
// missing key is an empty set.
func (d *DB) SInter(ctx context.Context, keys ...string) ([]string, error) {
	return asStrings(d.exec(ctx, append([]string{"sinter"}, keys...)))
}

// SInterStore stores the intersection of the sets at keys in dst,
// replacing dst (and deleting it when the intersection is empty), and
// returns its size (SINTERSTORE).
func (d *DB) SInterStore(ctx context.Context, dst string, keys ...string) (int64, error) {
	return asInt(d.exec(ctx, append([]string{"sinterstore", dst}, keys...)))
}

// SInterCard returns the size of the intersection of the sets at keys
// without building it (SINTERCARD). A limit > 0 stops counting at limit;
// 0 means no limit.
func (d *DB) SInterCard(ctx context.Context, limit int64, keys ...string) (int64, error) {
	args := make([]string, 0, len(keys)+4)
	args = append(args, "sintercard", strconv.Itoa(len(keys)))
	args = append(args, keys...)
	if limit != 0 {
		args = append(args, "limit", strconv.FormatInt(limit, 10))
	}
	return asInt(d.exec(ctx, args))
}

// SUnion returns the members of any of the sets at keys (SUNION).
func (d *DB) SUnion(ctx context.Context, keys ...string) ([]string, error) {
	return asStrings(d.exec(ctx, append([]string{"sunion"}, keys...)))
}

// SUnionStore stores the union of the sets at keys in dst, replacing dst
// (deleting it when the union is empty), and returns its size
// (SUNIONSTORE).
func (d *DB) SUnionStore(ctx context.Context, dst string, keys ...string) (int64, error) {
	return asInt(d.exec(ctx, append([]string{"sunionstore", dst}, keys...)))
}

// SDiff returns the members of the set at the first key that are in none
// of the sets at the other keys (SDIFF).
func (d *DB) SDiff(ctx context.Context, keys ...string) ([]string, error) {
	return asStrings(d.exec(ctx, append([]string{"sdiff"}, keys...)))
}

// SDiffStore stores the difference of the sets at keys (as SDiff) in dst,
// replacing dst (deleting it when the difference is empty), and returns
// its size (SDIFFSTORE).
func (d *DB) SDiffStore(ctx context.Context, dst string, keys ...string) (int64, error) {
	return asInt(d.exec(ctx, append([]string{"sdiffstore", dst}, keys...)))
}

// SScan returns one batch of the members of the set at key and the cursor
// for the next call (SSCAN); start with cursor 0 and stop when the
// returned cursor is 0. match, when not empty, is a glob pattern the
// members must match; count, when positive, is a hint for the batch size.
// A member present for the whole iteration is returned at least once;
// members may be returned more than once when the set shrinks meanwhile.
func (d *DB) SScan(ctx context.Context, key string, cursor uint64, match string, count int64) ([]string, uint64, error) {
	args := make([]string, 3, 7)
	args[0], args[1], args[2] = "sscan", key, strconv.FormatUint(cursor, 10)
	if match != "" {
		args = append(args, "match", match)
	}
	if count > 0 {
		args = append(args, "count", strconv.FormatInt(count, 10))
	}
	items, next, err := asScanPage(d.exec(ctx, args))
	if err != nil {
		return nil, 0, err
	}
	members, _ := asStrings(items, nil)
	return members, next, nil
}

// SScanAll iterates over the members of the set at key matching match
// (every member when match is empty) with repeated SSCAN calls of count
// members (Redis's default of 10 when count <= 0). Each SSCAN call is
// atomic but the iteration is not: it has SSCAN's guarantees (see SScan).
// An error ends the iteration after being yielded once.
//
//	for m, err := range s.SScanAll(ctx, "tags", "go*", 100) {
//		if err != nil { return err }
//		fmt.Println(m)
//	}
func (d *DB) SScanAll(ctx context.Context, key, match string, count int64) iter.Seq2[string, error] {
	return scanSeq(func(cursor uint64) ([]string, uint64, error) { return d.SScan(ctx, key, cursor, match, count) })
}

// ---- commands ----

func init() {
	register(
		&command{name: "sadd", arity: -3, flags: flagWrite | flagDenyOOM | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "set", "fast"}, handler: cmdSAdd},
		&command{name: "scard", arity: 2, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "set", "fast"}, handler: cmdSCard},
		&command{name: "sdiff", arity: -2, flags: flagReadonly, firstKey: 1, lastKey: -1, step: 1, acl: []string{"read", "set", "slow"}, handler: cmdSDiff},
		&command{name: "sdiffstore", arity: -3, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: -1, step: 1, acl: []string{"write", "set", "slow"}, handler: cmdSDiffStore},
		&command{name: "sinter", arity: -2, flags: flagReadonly, firstKey: 1, lastKey: -1, step: 1, acl: []string{"read", "set", "slow"}, handler: cmdSInter},
		&command{name: "sintercard", arity: -3, flags: flagReadonly | flagMovableKeys, acl: []string{"read", "set", "slow"}, handler: cmdSInterCard},
		&command{name: "sinterstore", arity: -3, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: -1, step: 1, acl: []string{"write", "set", "slow"}, handler: cmdSInterStore},
		&command{name: "sismember", arity: 3, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "set", "fast"}, handler: cmdSIsMember},
		&command{name: "smembers", arity: 2, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "set", "slow"}, handler: cmdSMembers},
		&command{name: "smismember", arity: -3, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "set", "fast"}, handler: cmdSMIsMember},
		&command{name: "smove", arity: 4, flags: flagWrite | flagFast, firstKey: 1, lastKey: 2, step: 1, acl: []string{"write", "set", "fast"}, handler: cmdSMove},
		&command{name: "spop", arity: -2, flags: flagWrite | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "set", "fast"}, handler: cmdSPop},
		&command{name: "srandmember", arity: -2, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "set", "slow"}, handler: cmdSRandMember},
		&command{name: "srem", arity: -3, flags: flagWrite | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "set", "fast"}, handler: cmdSRem},
		&command{name: "sscan", arity: -3, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "set", "slow"}, handler: cmdSScan},
		&command{name: "sunion", arity: -2, flags: flagReadonly, firstKey: 1, lastKey: -1, step: 1, acl: []string{"read", "set", "slow"}, handler: cmdSUnion},
		&command{name: "sunionstore", arity: -3, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: -1, step: 1, acl: []string{"write", "set", "slow"}, handler: cmdSUnionStore},
	)
}

// Error replies of the set commands.
var (
	errNumkeysTooMany   = ErrorValue(ErrNumkeysTooMany.msg)
	errLimitNegative    = ErrorValue(ErrLimitNegative.msg)
	errSRandCountRange  = ErrorValue("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
	errSRandCountMemory = ErrorValue(fmt.Sprintf("ERR SRANDMEMBER count must be at least %d: embedis builds replies in memory", -maxSRandRepeats))
)

// maxSRandRepeats bounds SRANDMEMBER's negative count. Redis streams such a
// reply to the socket (and runs out of memory for absurd counts); embedis
// builds every reply in memory before sending it, so it refuses counts
// whose reply alone would take gigabytes instead of crashing the process.
const maxSRandRepeats = 1 << 24

// getSet returns the set at key: nil when the key is missing, ok=false
// when it holds another type. write selects a write lookup, which does not
// count keyspace hits and misses.
func (c *call) getSet(key string, write bool) (s *setType, ok bool) {
	return valueAt[*setType](c, key, typeSet, write)
}

func cmdSAdd(c *call) Value {
	key := c.args[1]
	s, ok := c.getSet(key, true)
	if !ok {
		return errWrongType
	}
	if s == nil {
		s = newSetFor(c.args[2])
		c.addObject(key, typeSet, s)
	}
	maxInts := c.s.setMaxIntsetEntries()
	var added int64
	for _, m := range c.args[2:] {
		if s.add(m, maxInts) {
			added++
		}
	}
	if added > 0 {
		c.changed(key, evSAdd)
	}
	return IntValue(added)
}

func cmdSRem(c *call) Value {
	key := c.args[1]
	s, ok := c.getSet(key, true)
	if !ok {
		return errWrongType
	}
	if s == nil {
		return IntValue(0)
	}
	var removed int64
	for _, m := range c.args[2:] {
		if s.remove(m) {
			removed++
			if s.len() == 0 {
				break
			}
		}
	}
	if removed > 0 {
		c.setChanged(key, s, evSRem)
	}
	return IntValue(removed)
}

// setChanged records an in-place change of the set at key with event ev,
// deleting the key after it when the set became empty.
func (c *call) setChanged(key string, s *setType, ev keyEvent) {
	c.changed(key, ev)
	c.delIfEmpty(key, s.len())
}

// The keyspace events of the set commands.
var (
	evSAdd     = keyEvent{classSet, "sadd"}
	evSRem     = keyEvent{classSet, "srem"}
	evSPop     = keyEvent{classSet, "spop"}
	evSInterSt = keyEvent{classSet, "sinterstore"}
	evSUnionSt = keyEvent{classSet, "sunionstore"}
	evSDiffSt  = keyEvent{classSet, "sdiffstore"}
)

func cmdSCard(c *call) Value {
	s, ok := c.getSet(c.args[1], false)
	if !ok {
		return errWrongType
	}
	if s == nil {
		return IntValue(0)
	}
	return IntValue(int64(s.len()))
}

func cmdSIsMember(c *call) Value {
	s, ok := c.getSet(c.args[1], false)
	if !ok {
		return errWrongType
	}
	if s != nil && s.has(c.args[2]) {
		return IntValue(1)
	}
	return IntValue(0)
}

func cmdSMIsMember(c *call) Value {
	s, ok := c.getSet(c.args[1], false)
	if !ok {
		return errWrongType
	}
	vs := make([]Value, len(c.args)-2)
	for i, m := range c.args[2:] {
		if s != nil && s.has(m) {
			vs[i] = IntValue(1)
		} else {
			vs[i] = IntValue(0)
		}
	}
	return ArrayValue(vs...)
}

func cmdSMembers(c *call) Value {
	s, ok := c.getSet(c.args[1], false)
	if !ok {
		return errWrongType
	}
	if s == nil {
		return SetValue()
	}
	return s.reply()
}

func cmdSMove(c *call) Value {
	srcKey, dstKey, m := c.args[1], c.args[2], c.args[3]
	src, ok := c.getSet(srcKey, true)
	if !ok {
		return errWrongType
	}
	dst, dstOK := c.getSet(dstKey, true)
	if src == nil {
		// Redis answers 0 before looking at dst's type.
		return IntValue(0)
	}
	if !dstOK {
		return errWrongType
	}
	if src == dst {
		if src.has(m) {
			return IntValue(1)
		}
		return IntValue(0)
	}
	if !src.remove(m) {
		return IntValue(0)
	}
	c.setChanged(srcKey, src, evSRem)
	if dst == nil {
		dst = newSetFor(m)
		c.addObject(dstKey, typeSet, dst)
	}
	// Redis signals dst as modified even when it already had the member,
	// but raises "sadd" only when it added it.
	if dst.add(m, c.s.setMaxIntsetEntries()) {
		c.changed(dstKey, evSAdd)
	} else {
		c.changed(dstKey, evNone)
	}
	return IntValue(1)
}

func cmdSPop(c *call) Value {
	switch {
	case len(c.args) == 3:
		return c.spopCount()
	case len(c.args) > 3:
		return errSyntax
	}
	key := c.args[1]
	s, ok := c.getSet(key, true)
	if !ok {
		return errWrongType
	}
	if s == nil {
		return nullValue
	}
	m := s.removeAt(c.s.rnd.IntN(s.len()))
	c.setChanged(key, s, evSPop)
	// The member it chose, not a new random draw on replay.
	c.propagateAs("SREM", key, m)
	return BulkValue(m)
}

// spopCount is SPOP key count.
func (c *call) spopCount() Value {
	n, ok := parseInt(c.args[2])
	if !ok || n < 0 {
		return errNotPositive
	}
	key := c.args[1]
	s, ok := c.getSet(key, true)
	if !ok {
		return errWrongType
	}
	if s == nil || n == 0 {
		return SetValue()
	}
	if n >= int64(s.len()) {
		// The whole set. Redis replies it as the union of the set with
		// nothing, that is, in the order of a freshly built set: ascending
		// when that set is an intset.
		out := c.newSetOrder(slices.Collect(s.all()))
		c.changed(key, evSPop)
		c.del(key)
		c.propagateAs("DEL", key)
		return bulkSet(out)
	}
	count := int(n)
	vs := make([]Value, count)
	// Propagated as SREMs of the members chosen, at most sremBatch each,
	// as Redis 7.0 does (several of them are wrapped in MULTI/EXEC).
	var srem []string
	for i := range vs {
		m := s.removeAt(c.s.rnd.IntN(s.len()))
		vs[i] = BulkValue(m)
		if c.s.feed.on() {
			if srem == nil {
				srem = append(make([]string, 0, min(count, sremBatch)+2), "SREM", key)
			}
			srem = append(srem, m)
			if len(srem) == sremBatch+2 || i == count-1 {
				c.alsoPropagate(srem...)
				srem = nil
			}
		}
	}
	c.noPropagate()
	if s.ht && s.len()*spopRebuildRatio <= count {
		// Redis pops most of a set by building a new set of the few members
		// that remain, so they get the encoding of a fresh set: a hashtable
		// of integers becomes an intset again. Mirror that for OBJECT
		// ENCODING (and for the reply order of later commands).
		rest := newSetFor(s.at(0))
		maxInts := c.s.setMaxIntsetEntries()
		for m := range s.all() {
			rest.add(m, maxInts)
		}
		*s = *rest
	}
	c.changed(key, evSPop)
	return SetValue(vs...)
}

// sremBatch is how many members one propagated SREM of SPOP with a count
// carries at most.
const sremBatch = 1024

// spopRebuildRatio: SPOP with a count rebuilds the set from the remaining
// members when count >= remaining*spopRebuildRatio, as Redis does
// (SPOP_MOVE_STRATEGY_MUL).
const spopRebuildRatio = 5

// newSetOrder orders members (distinct) as a set built from them would
// reply them: in ascending numeric order when they would form an intset,
// as given otherwise.
func (c *call) newSetOrder(members []string) []string {
	if len(members) > c.s.setMaxIntsetEntries() {
		return members
	}
	ints := make([]int64, len(members))
	for i, m := range members {
		v, ok := parseInt(m)
		if !ok {
			return members
		}
		ints[i] = v
	}
	slices.Sort(ints)
	for i, v := range ints {
		members[i] = strconv.FormatInt(v, 10)
	}
	return members
}

func bulkSet(ss []string) Value {
	v := bulkStrings(ss)
	v.kind = KindSet
	return v
}

func cmdSRandMember(c *call) Value {
	switch {
	case len(c.args) == 3:
		return c.srandmemberCount()
	case len(c.args) > 3:
		return errSyntax
	}
	s, ok := c.getSet(c.args[1], false)
	if !ok {
		return errWrongType
	}
	if s == nil {
		return nullValue
	}
	return BulkValue(s.at(c.s.rnd.IntN(s.len())))
}

// srandmemberCount is SRANDMEMBER key count.
//
// A negative count draws -count members independently (repeats allowed).
// A positive count smaller than the set draws distinct members: the first
// count steps of a Fisher-Yates shuffle of the positions, run on a sparse
// map of the swapped positions so the work is O(count) whatever the size
// of the set.
func (c *call) srandmemberCount() Value {
	n, ok := parseInt(c.args[2])
	if !ok {
		return errNotInteger
	}
	if n == math.MinInt64 {
		return errSRandCountRange
	}
	s, ok := c.getSet(c.args[1], false)
	if !ok {
		return errWrongType
	}
	if s == nil || n == 0 {
		return ArrayValue()
	}
	size := s.len()
	if n < 0 {
		if -n > maxSRandRepeats {
			return errSRandCountMemory
		}
		vs := make([]Value, -n)
		for i := range vs {
			vs[i] = BulkValue(s.at(c.s.rnd.IntN(size)))
		}
		return ArrayValue(vs...)
	}
	if n >= int64(size) {
		vs := make([]Value, size)
		for i := range vs {
			vs[i] = BulkValue(s.at(i))
		}
		return ArrayValue(vs...)
	}
	count := int(n)
	swapped := make(map[int]int, count)
	pos := func(i int) int {
		if j, ok := swapped[i]; ok {
			return j
		}
		return i
	}
	vs := make([]Value, count)
	for k := range vs {
		j := k + c.s.rnd.IntN(size-k)
		pj := pos(j)
		swapped[j] = pos(k)
		vs[k] = BulkValue(s.at(pj))
	}
	return ArrayValue(vs...)
}

// setOperands looks up the sets at keys for SINTER, SUNION, SDIFF and their
// STORE forms: a missing key is a nil set; any key holding another type
// fails the whole command, even after a missing key.
func (c *call) setOperands(keys []string, write bool) ([]*setType, bool) {
	sets := make([]*setType, len(keys))
	for i, k := range keys {
		s, ok := c.getSet(k, write)
		if !ok {
			return nil, false
		}
		sets[i] = s
	}
	return sets, true
}

// interEach calls fn for each member of the intersection of sets, in the
// order of the smallest set, until fn returns false. A nil (missing) set
// makes the intersection empty.
func interEach(sets []*setType, fn func(m string) bool) {
	for _, s := range sets {
		if s == nil {
			return
		}
	}
	sorted := slices.Clone(sets)
	slices.SortStableFunc(sorted, func(a, b *setType) int { return cmp.Compare(a.len(), b.len()) })
	first, rest := sorted[0], sorted[1:]
	for m := range first.all() {
		in := true
		for _, o := range rest {
			if o != first && !o.has(m) {
				in = false
				break
			}
		}
		if in && !fn(m) {
			return
		}
	}
}

// setOp computes SUNION (union) or SDIFF (!union) into a new set, built as
// Redis builds it: starting as an intset.
func (c *call) setOp(sets []*setType, union bool) *setType {
	maxInts := c.s.setMaxIntsetEntries()
	out := &setType{}
	if union {
		for _, s := range sets {
			if s == nil {
				continue
			}
			for m := range s.all() {
				out.add(m, maxInts)
			}
		}
		return out
	}
	first := sets[0]
	if first == nil {
		return out
	}
	for m := range first.all() {
		keep := true
		for _, o := range sets[1:] {
			if o != nil && o.has(m) {
				keep = false
				break
			}
		}
		if keep {
			out.add(m, maxInts)
		}
	}
	return out
}

// storeSet stores a computed set at dst, replacing what dst held, or
// deletes dst when the set is empty; it replies the set's size.
func (c *call) storeSet(dst string, s *setType, ev keyEvent) Value {
	if s.len() == 0 {
		c.del(dst)
		return IntValue(0)
	}
	c.setObject(dst, typeSet, s, ev)
	return IntValue(int64(s.len()))
}

func cmdSInter(c *call) Value {
	sets, ok := c.setOperands(c.args[1:], false)
	if !ok {
		return errWrongType
	}
	var vs []Value
	interEach(sets, func(m string) bool {
		vs = append(vs, BulkValue(m))
		return true
	})
	return SetValue(vs...)
}

func cmdSInterStore(c *call) Value {
	sets, ok := c.setOperands(c.args[2:], false) // read lookups, as Redis 7.0 (keymiss)
	if !ok {
		return errWrongType
	}
	maxInts := c.s.setMaxIntsetEntries()
	out := &setType{}
	interEach(sets, func(m string) bool {
		out.add(m, maxInts)
		return true
	})
	return c.storeSet(c.args[1], out, evSInterSt)
}

// sintercardKeys returns the positions of the keys of a SINTERCARD call:
// they follow numkeys, so the row's fixed key positions cannot describe
// them (the row is flagged movablekeys). It is the hook for COMMAND
// GETKEYS and anything else that needs a call's keys; a malformed call has
// none.
func sintercardKeys(args []string) []int {
	return numkeysKeys(args, 1, 0)
}

func cmdSInterCard(c *call) Value {
	numkeys, ok := parseInt(c.args[1])
	if !ok || numkeys < 1 {
		return errNumKeys
	}
	if numkeys > int64(len(c.args)-2) {
		return errNumkeysTooMany
	}
	keys := c.args[2 : 2+numkeys]
	var limit int64
	for i := 2 + int(numkeys); i < len(c.args); i++ {
		if eqFold(c.args[i], "limit") && i+1 < len(c.args) {
			i++
			l, ok := parseInt(c.args[i])
			if !ok || l < 0 {
				return errLimitNegative
			}
			limit = l
			continue
		}
		return errSyntax
	}
	sets, ok := c.setOperands(keys, false)
	if !ok {
		return errWrongType
	}
	var n int64
	interEach(sets, func(string) bool {
		n++
		return limit == 0 || n < limit
	})
	return IntValue(n)
}

func cmdSUnion(c *call) Value {
	sets, ok := c.setOperands(c.args[1:], false)
	if !ok {
		return errWrongType
	}
	return c.setOp(sets, true).reply()
}

func cmdSUnionStore(c *call) Value {
	sets, ok := c.setOperands(c.args[2:], false) // read lookups, as Redis 7.0 (keymiss)
	if !ok {
		return errWrongType
	}
	return c.storeSet(c.args[1], c.setOp(sets, true), evSUnionSt)
}

func cmdSDiff(c *call) Value {
	sets, ok := c.setOperands(c.args[1:], false)
	if !ok {
		return errWrongType
	}
	return c.setOp(sets, false).reply()
}

func cmdSDiffStore(c *call) Value {
	sets, ok := c.setOperands(c.args[2:], false) // read lookups, as Redis 7.0 (keymiss)
	if !ok {
		return errWrongType
	}
	return c.storeSet(c.args[1], c.setOp(sets, false), evSDiffSt)
}

// SSCAN.
//
// An intset is replied whole in one call with cursor 0, as Redis does. A
// hashtable is walked from the end of its member slice towards the start:
// the cursor is the number of positions not yet visited. Removal moves the
// last member into the hole; that member either was already visited (and
// may be returned again, which SSCAN allows) or was unvisited below the
// cursor and stays below it. So every member present for the whole scan is
// returned at least once, Redis's guarantee. Members added meanwhile go to
// the end, past the cursor, and may be missed, which SSCAN also allows.

// defaultScanCount is SCAN's default COUNT.
const defaultScanCount = 10

func cmdSScan(c *call) Value {
	cursor, ok := parseCursor(c.args[2])
	if !ok {
		return errValue(ErrInvalidCursor)
	}
	s, ok := c.getSet(c.args[1], false)
	if !ok {
		return errWrongType
	}
	if s == nil {
		return ArrayValue(BulkValue("0"), ArrayValue())
	}
	count := int64(defaultScanCount)
	var match *glob.Pattern
	for i := 3; i < len(c.args); i++ {
		a := c.args[i]
		if i+1 >= len(c.args) {
			return errSyntax
		}
		switch {
		case eqFold(a, "count"):
			i++
			n, ok := parseInt(c.args[i])
			if !ok {
				return errNotInteger
			}
			if n < 1 {
				return errSyntax
			}
			count = n
		case eqFold(a, "match"):
			i++
			// Only "*" itself skips matching, as in Redis: "**" does not
			// match the empty member.
			match = nil
			if c.args[i] != "*" {
				match = glob.Compile(c.args[i], false)
			}
		default:
			return errSyntax
		}
	}
	var batch []string
	var next uint64
	if !s.ht {
		batch = slices.Collect(s.all())
	} else {
		p := uint64(s.len())
		if cursor != 0 && cursor < p {
			p = cursor
		}
		lo := uint64(0)
		if uint64(count) < p {
			lo = p - uint64(count)
		}
		for i := p; i > lo; i-- {
			batch = append(batch, s.members[i-1])
		}
		next = lo
	}
	vs := make([]Value, 0, len(batch))
	for _, m := range batch {
		if match != nil && !match.Match(m) {
			continue
		}
		vs = append(vs, BulkValue(m))
	}
	return ArrayValue(BulkValue(strconv.FormatUint(next, 10)), ArrayValue(vs...))
}

// sortElements gives SORT the members in the set's own order.
func (s *setType) sortElements() []string {
	out := make([]string, 0, s.len())
	for m := range s.all() {
		out = append(out, m)
	}
	return out
}
