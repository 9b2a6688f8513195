package embedis

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"math"
	"math/big"
	"slices"
	"sort"
	"strconv"

	"github.com/embedis/embedis/internal/dict"
	"github.com/embedis/embedis/internal/glob"
	"github.com/embedis/embedis/internal/ldouble"
)

// Hashes.
//
// A hash value is a *hashType in entry.obj. Like Redis, it has two
// encodings, and the choice is visible (OBJECT ENCODING, and the order of
// HGETALL, HKEYS, HVALS, HSCAN and HRANDFIELD replies):
//
//   - listpack: while the hash has at most hash-max-listpack-entries fields
//     (512) and no field or value longer than hash-max-listpack-value bytes
//     (64), Redis keeps it as one flat list in insertion order, and deleting
//     a field closes the gap. We keep a slice of pairs in the same order, so
//     replies about small hashes match a real server exactly. Redis scans
//     the list on every lookup; we also keep a field -> position map once
//     the list is longer than a few pairs, so only the speed differs.
//   - hashtable: once a write would break either limit, the hash moves to
//     a hash table (internal/dict, the keyspace's table, which also gives
//     HSCAN Redis's cursor guarantee). The move is one-way: deleting fields
//     never converts back, as in Redis 7.0.
//
// Invariants: a hash in the keyspace is never empty (removing its last
// field deletes the key); exactly one of lp and ht is in use.

// The listpack limits' defaults in Redis 7.0 (checked on 7.0.15: CONFIG GET
// hash-max-listpack-entries answers 512).
const (
	defaultHashMaxListpackEntries = 512
	defaultHashMaxListpackValue   = 64
)

// hashMaxListpackEntries is the hash-max-listpack-entries setting (alias
// hash-max-ziplist-entries); CONFIG SET will change it. Executor only.
func (s *Store) hashMaxListpackEntries() int { return s.limits.hashMaxListpackEntries }

// hashMaxListpackValue is the hash-max-listpack-value setting (alias
// hash-max-ziplist-value). Executor only.
func (s *Store) hashMaxListpackValue() int { return s.limits.hashMaxListpackValue }

// hashType is a hash value. Owned by the executor goroutine.
type hashType struct {
	// lp holds the pairs in insertion order while the hash is
	// listpack-encoded; it is nil once ht is in use.
	lp []hashPair
	// lpIdx maps a field to its position in lp once lp is longer than
	// lpIndexMin, so a 512-field listpack is not searched linearly on
	// every access (Redis does scan; only the speed differs). nil below
	// the threshold and once ht is in use.
	lpIdx map[string]int
	// ht holds the pairs (field -> value) once the hash is
	// hashtable-encoded; nil before.
	ht *dict.Dict[string]
}

type hashPair struct{ field, value string }

func newHash() *hashType { return &hashType{} }

// encoding is the encoding OBJECT ENCODING reports.
func (h *hashType) encoding() string {
	if h.ht != nil {
		return "hashtable"
	}
	return "listpack"
}

func (h *hashType) len() int {
	if h.ht != nil {
		return h.ht.Len()
	}
	return len(h.lp)
}

// lpIndexMin is the listpack length above which lpIdx is kept.
const lpIndexMin = 16

func (h *hashType) lpIndex(field string) int {
	if h.lpIdx != nil {
		if i, ok := h.lpIdx[field]; ok {
			return i
		}
		return -1
	}
	for i := range h.lp {
		if h.lp[i].field == field {
			return i
		}
	}
	return -1
}

func (h *hashType) get(field string) (string, bool) {
	if h.ht != nil {
		if v := h.ht.Get(field); v != nil {
			return *v, true
		}
		return "", false
	}
	if i := h.lpIndex(field); i >= 0 {
		return h.lp[i].value, true
	}
	return "", false
}

// set stores value at field and reports whether the field is new. It does
// not convert; callers apply the listpack limits (see call.hashSet).
func (h *hashType) set(field, value string) bool {
	if h.ht != nil {
		v, added := h.ht.Put(field)
		*v = value
		return added
	}
	if i := h.lpIndex(field); i >= 0 {
		h.lp[i].value = value
		return false
	}
	h.lp = append(h.lp, hashPair{field, value})
	switch {
	case h.lpIdx != nil:
		h.lpIdx[field] = len(h.lp) - 1
	case len(h.lp) > lpIndexMin:
		h.lpIdx = make(map[string]int, 2*len(h.lp))
		for i, p := range h.lp {
			h.lpIdx[p.field] = i
		}
	}
	return true
}

// del removes field and reports whether it existed. In a listpack the
// later fields move up, keeping the insertion order.
func (h *hashType) del(field string) bool {
	if h.ht != nil {
		_, ok := h.ht.Delete(field)
		return ok
	}
	if i := h.lpIndex(field); i >= 0 {
		h.lp = slices.Delete(h.lp, i, i+1)
		if h.lpIdx != nil {
			delete(h.lpIdx, field)
			for j := i; j < len(h.lp); j++ {
				h.lpIdx[h.lp[j].field] = j
			}
		}
		return true
	}
	return false
}

// all iterates over the pairs in the encoding's order: insertion order for
// a listpack, table order for a hashtable.
func (h *hashType) all() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		if h.ht != nil {
			h.ht.All(func(f string, v *string) bool { return yield(f, *v) })
			return
		}
		for _, p := range h.lp {
			if !yield(p.field, p.value) {
				return
			}
		}
	}
}

// convert moves a listpack-encoded hash to a hash table.
func (h *hashType) convert() {
	if h.ht != nil {
		return
	}
	h.ht = new(dict.Dict[string])
	for _, p := range h.lp {
		v, _ := h.ht.Put(p.field)
		*v = p.value
	}
	h.lp, h.lpIdx = nil, nil
}

// random returns a pair chosen uniformly (a listpack) or nearly so (a
// hashtable, as Redis's dictGetFairRandomKey). The hash must not be empty.
func (h *hashType) random(s *Store) (string, string) {
	if h.ht != nil {
		f, v, _ := h.ht.Random(s.rnd.Uint64)
		return f, *v
	}
	p := h.lp[s.rnd.IntN(len(h.lp))]
	return p.field, p.value
}

// sortHashField reads a field for SORT's BY and GET "key_*->field"
// patterns (the sortHashSource interface of sort.go).
func (h *hashType) sortHashField(field string) (string, bool) { return h.get(field) }

// cloneObject is clone for COPY (the cloner interface of db.go).
func (h *hashType) cloneObject() any { return h.clone() }

// clone returns an independent copy with the same encoding and order (for
// COPY and snapshots).
func (h *hashType) clone() *hashType {
	c := &hashType{}
	if h.ht == nil {
		c.lp = slices.Clone(h.lp)
		if h.lpIdx != nil {
			c.lpIdx = maps.Clone(h.lpIdx)
		}
		return c
	}
	c.ht = new(dict.Dict[string])
	h.ht.All(func(f string, v *string) bool {
		nv, _ := c.ht.Put(f)
		*nv = *v
		return true
	})
	return c
}

// checkInvariants verifies the hash's invariants (the checker interface
// of db.go, run by the test harness after every test).
func (h *hashType) checkInvariants() error {
	if h.len() == 0 {
		return fmt.Errorf("empty hash in the keyspace")
	}
	if h.ht != nil && h.lp != nil {
		return fmt.Errorf("hash has both encodings")
	}
	if h.ht == nil {
		seen := make(map[string]bool, len(h.lp))
		for i, p := range h.lp {
			if seen[p.field] {
				return fmt.Errorf("listpack hash has field %q twice", p.field)
			}
			seen[p.field] = true
			if h.lpIdx != nil && h.lpIdx[p.field] != i {
				return fmt.Errorf("listpack index has %q at %d, not %d", p.field, h.lpIdx[p.field], i)
			}
		}
		if h.lpIdx != nil && len(h.lpIdx) != len(h.lp) {
			return fmt.Errorf("listpack index has %d fields for %d pairs", len(h.lpIdx), len(h.lp))
		}
	} else if h.lpIdx != nil {
		return fmt.Errorf("hashtable hash keeps a listpack index")
	}
	return nil
}

// ---- typed methods ----

// FieldValue is one field of a hash with its value.
type FieldValue struct {
	// Field is the hash field's name; Value is its value.
	Field, Value string
}

// HSet sets fields of the hash at key, given as field, value, field, value
// ..., creating the key when missing, and returns how many fields were new
// (HSET). An odd number of arguments is an error reply, as in Redis.
func (d *DB) HSet(ctx context.Context, key string, fieldValues ...string) (int64, error) {
	args := make([]string, 0, 2+len(fieldValues))
	args = append(append(args, "hset", key), fieldValues...)
	return asInt(d.exec(ctx, args))
}

// HSetMap sets the fields of m in the hash at key (HSET) and returns how
// many were new. The fields are sent in sorted order, so a new small hash
// lists them sorted.
func (d *DB) HSetMap(ctx context.Context, key string, m map[string]string) (int64, error) {
	fields := make([]string, 0, len(m))
	for f := range m {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	args := make([]string, 0, 2+2*len(m))
	args = append(args, "hset", key)
	for _, f := range fields {
		args = append(args, f, m[f])
	}
	return asInt(d.exec(ctx, args))
}

// HMSet is HSet under its deprecated name: it sets the fields and returns
// nil instead of a count (HMSET).
func (d *DB) HMSet(ctx context.Context, key string, fieldValues ...string) error {
	args := make([]string, 0, 2+len(fieldValues))
	args = append(append(args, "hmset", key), fieldValues...)
	return asOK(d.exec(ctx, args))
}

// HSetNX sets field only when it does not exist yet, and reports whether
// it did (HSETNX).
func (d *DB) HSetNX(ctx context.Context, key, field, value string) (bool, error) {
	return asBool(d.execArgs(ctx, "hsetnx", key, field, value))
}

// HGet returns the value of field, or Nil when the field or the key does
// not exist (HGET).
func (d *DB) HGet(ctx context.Context, key, field string) (string, error) {
	return asString(d.execArgs(ctx, "hget", key, field))
}

// HMGet returns the values of the fields, in order, with nil for each
// field that does not exist (HMGET). A missing key gives all nils.
func (d *DB) HMGet(ctx context.Context, key string, fields ...string) ([]*string, error) {
	args := make([]string, 0, 2+len(fields))
	args = append(append(args, "hmget", key), fields...)
	return asOptStrings(d.exec(ctx, args))
}

// HGetAll returns every field and value of the hash; an empty map when the
// key does not exist (HGETALL).
func (d *DB) HGetAll(ctx context.Context, key string) (map[string]string, error) {
	v, err := d.execArgs(ctx, "hgetall", key)
	if err != nil {
		return nil, err
	}
	if v.kind == KindError {
		return nil, v.Err()
	}
	m := make(map[string]string, len(v.elems)/2)
	for i := 0; i+1 < len(v.elems); i += 2 {
		m[v.elems[i].Str()] = v.elems[i+1].Str()
	}
	return m, nil
}

// HKeys returns the fields of the hash (HKEYS); small hashes list them in
// insertion order.
func (d *DB) HKeys(ctx context.Context, key string) ([]string, error) {
	return asStrings(d.execArgs(ctx, "hkeys", key))
}

// HVals returns the values of the hash (HVALS), in the order of HKeys.
func (d *DB) HVals(ctx context.Context, key string) ([]string, error) {
	return asStrings(d.execArgs(ctx, "hvals", key))
}

// HLen returns the number of fields of the hash, 0 when the key does not
// exist (HLEN).
func (d *DB) HLen(ctx context.Context, key string) (int64, error) {
	return asInt(d.execArgs(ctx, "hlen", key))
}

// HExists reports whether field exists in the hash (HEXISTS).
func (d *DB) HExists(ctx context.Context, key, field string) (bool, error) {
	return asBool(d.execArgs(ctx, "hexists", key, field))
}

// HDel removes fields from the hash and returns how many existed (HDEL).
// Removing the last field deletes the key.
func (d *DB) HDel(ctx context.Context, key string, fields ...string) (int64, error) {
	args := make([]string, 0, 2+len(fields))
	args = append(append(args, "hdel", key), fields...)
	return asInt(d.exec(ctx, args))
}

// HStrLen returns the length of field's value, 0 when the field or the key
// does not exist (HSTRLEN).
func (d *DB) HStrLen(ctx context.Context, key, field string) (int64, error) {
	return asInt(d.execArgs(ctx, "hstrlen", key, field))
}

// HIncrBy adds n to the integer in field (0 when missing) and returns the
// new value (HINCRBY). ErrHashNotInteger when the value is not an integer,
// ErrOverflow when the sum would overflow an int64.
func (d *DB) HIncrBy(ctx context.Context, key, field string, n int64) (int64, error) {
	return asInt(d.execArgs(ctx, "hincrby", key, field, strconv.FormatInt(n, 10)))
}

// HIncrByFloat adds incr to the number in field (0 when missing) and
// returns the new value (HINCRBYFLOAT). Redis computes in long double and
// stores the result as text with up to 17 decimals; the text is what HGet
// returns afterwards, and the float64 here is it rounded. ErrHashNotFloat
// when the value is not a number, ErrNaNOrInf when the sum would be
// infinite.
func (d *DB) HIncrByFloat(ctx context.Context, key, field string, incr float64) (float64, error) {
	s, err := asString(d.execArgs(ctx, "hincrbyfloat", key, field, strconv.FormatFloat(incr, 'g', -1, 64)))
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0, err
	}
	return f, nil
}

// HRandField returns random fields of the hash (HRANDFIELD key count):
// up to count distinct fields when count is positive, exactly -count
// fields, possibly repeated, when it is negative. A missing key gives an
// empty slice. As in Redis, the whole reply is built in memory: a huge
// negative count needs that much memory.
func (d *DB) HRandField(ctx context.Context, key string, count int64) ([]string, error) {
	return asStrings(d.execArgs(ctx, "hrandfield", key, strconv.FormatInt(count, 10)))
}

// HRandFieldWithValues is HRandField returning the values too (HRANDFIELD
// key count WITHVALUES). count must lie within ±2^62.
func (d *DB) HRandFieldWithValues(ctx context.Context, key string, count int64) ([]FieldValue, error) {
	v, err := d.execArgs(ctx, "hrandfield", key, strconv.FormatInt(count, 10), "withvalues")
	if err != nil {
		return nil, err
	}
	if v.kind == KindError {
		return nil, v.Err()
	}
	out := make([]FieldValue, 0, len(v.elems))
	for _, p := range v.elems {
		if len(p.elems) == 2 {
			out = append(out, FieldValue{p.elems[0].Str(), p.elems[1].Str()})
		}
	}
	return out, nil
}

// HScanOptions are the options of HScan. The zero value matches every
// field with Redis's default COUNT of 10.
type HScanOptions struct {
	// Match, when not empty, returns only the fields that match this
	// glob-style pattern (MATCH).
	Match string
	// Count is a hint of how much work one call does (COUNT); zero means
	// Redis's default of 10, and Redis refuses a negative one. A call may
	// return more or fewer fields than this.
	Count int64
}

func (o HScanOptions) args(key string, cursor uint64) []string {
	args := []string{"hscan", key, strconv.FormatUint(cursor, 10)}
	if o.Match != "" {
		args = append(args, "match", o.Match)
	}
	if o.Count != 0 {
		args = append(args, "count", strconv.FormatInt(o.Count, 10))
	}
	return args
}

// HScan returns one page of the fields of the hash, starting at cursor (0
// for the first call), and the cursor for the next call; 0 when the scan
// is complete (HSCAN). A field present for the whole scan is returned at
// least once; one that is added or removed meanwhile may or may not be,
// and a field may be returned more than once.
func (d *DB) HScan(ctx context.Context, key string, cursor uint64, opts HScanOptions) ([]FieldValue, uint64, error) {
	items, next, err := asScanPage(d.exec(ctx, opts.args(key, cursor)))
	if err != nil {
		return nil, 0, err
	}
	kv := items.elems
	out := make([]FieldValue, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, FieldValue{kv[i].Str(), kv[i+1].Str()})
	}
	return out, next, nil
}

// HScanAll iterates over the whole hash with HSCAN, page by page, with
// HScan's guarantees. An error (a wrong type, a cancelled ctx) is yielded
// once, with a zero FieldValue, and ends the iteration.
//
//	for fv, err := range s.HScanAll(ctx, "user:1", embedis.HScanOptions{}) {
//		if err != nil { return err }
//		fmt.Println(fv.Field, fv.Value)
//	}
func (d *DB) HScanAll(ctx context.Context, key string, opts HScanOptions) iter.Seq2[FieldValue, error] {
	return scanSeq(func(cursor uint64) ([]FieldValue, uint64, error) { return d.HScan(ctx, key, cursor, opts) })
}

// ---- commands ----

func init() {
	rw := func(name string, arity int, flags cmdFlags, acl string, h func(*call) Value) *command {
		return &command{name: name, arity: arity, flags: flags, firstKey: 1, lastKey: 1, step: 1,
			acl: []string{map[bool]string{true: "write", false: "read"}[flags&flagWrite != 0], "hash", acl}, handler: h}
	}
	register(
		rw("hdel", -3, flagWrite|flagFast, "fast", cmdHDel),
		rw("hexists", 3, flagReadonly|flagFast, "fast", cmdHExists),
		rw("hget", 3, flagReadonly|flagFast, "fast", cmdHGet),
		rw("hgetall", 2, flagReadonly, "slow", cmdHGetAll),
		rw("hincrby", 4, flagWrite|flagDenyOOM|flagFast, "fast", cmdHIncrBy),
		rw("hincrbyfloat", 4, flagWrite|flagDenyOOM|flagFast, "fast", cmdHIncrByFloat),
		rw("hkeys", 2, flagReadonly, "slow", cmdHKeys),
		rw("hlen", 2, flagReadonly|flagFast, "fast", cmdHLen),
		rw("hmget", -3, flagReadonly|flagFast, "fast", cmdHMGet),
		rw("hmset", -4, flagWrite|flagDenyOOM|flagFast, "fast", cmdHSet),
		rw("hrandfield", -2, flagReadonly, "slow", cmdHRandField),
		rw("hscan", -3, flagReadonly, "slow", cmdHScan),
		rw("hset", -4, flagWrite|flagDenyOOM|flagFast, "fast", cmdHSet),
		rw("hsetnx", 4, flagWrite|flagDenyOOM|flagFast, "fast", cmdHSetNX),
		rw("hstrlen", 3, flagReadonly|flagFast, "fast", cmdHStrLen),
		rw("hvals", 2, flagReadonly, "slow", cmdHVals),
	)
}

// Error replies of the hash commands.
var (
	errHashNotInteger = errValue(ErrHashNotInteger)
	errHashNotFloat   = errValue(ErrHashNotFloat)
	errHashIncrNaN    = errValue(ErrNaNOrInfValue)
	errHashNaNOrInf   = errValue(ErrNaNOrInf)
	errHashRange      = errValue(ErrValueOutOfRange)
	errHashLongRange  = errValue(ErrCountOutOfRange)
	errHScanCursor    = errValue(ErrInvalidCursor)
)

// hashRead returns the hash at key for a read command: nil when the key is
// missing, ok=false when it holds another type.
func (c *call) hashRead(key string) (h *hashType, ok bool) {
	return valueAt[*hashType](c, key, typeHash, false)
}

// hashWrite returns the hash at key for a write command, or a new empty
// hash (not yet stored: see hashStore) when the key is missing. ok=false
// when the key holds another type.
func (c *call) hashWrite(key string) (h *hashType, exists, ok bool) {
	h, ok = valueAt[*hashType](c, key, typeHash, true)
	if ok && h == nil {
		return newHash(), false, true
	}
	return h, ok, ok
}

// hashStore records a write to the hash at key with event ev: it stores a
// new hash, or deletes the key after the event when the write emptied the
// hash.
func (c *call) hashStore(key string, h *hashType, exists bool, ev keyEvent) {
	switch {
	case h.len() == 0:
		if exists {
			c.changed(key, ev)
			c.del(key)
		}
	case !exists:
		c.setObject(key, typeHash, h, ev)
	default:
		c.changed(key, ev)
	}
}

// The keyspace events of the hash commands.
var (
	evHSet     = keyEvent{classHash, "hset"}
	evHDel     = keyEvent{classHash, "hdel"}
	evHIncrBy  = keyEvent{classHash, "hincrby"}
	evHIncrFlt = keyEvent{classHash, "hincrbyfloat"}
)

// hashTryConversion converts a listpack-encoded hash before a write of
// strs when any of them is longer than hash-max-listpack-value, as Redis's
// hashTypeTryConversion does for HSET's arguments.
func (c *call) hashTryConversion(h *hashType, strs []string) {
	if h.ht != nil {
		return
	}
	limit := c.s.hashMaxListpackValue()
	for _, s := range strs {
		if len(s) > limit {
			h.convert()
			return
		}
	}
}

// hashSet sets field to value, applying the listpack limits as Redis's
// hashTypeSet does: a long field or value converts first, and exceeding
// hash-max-listpack-entries converts after the insertion.
func (c *call) hashSet(h *hashType, field, value string) bool {
	if h.ht == nil {
		if limit := c.s.hashMaxListpackValue(); len(field) > limit || len(value) > limit {
			h.convert()
		}
	}
	added := h.set(field, value)
	if h.ht == nil && len(h.lp) > c.s.hashMaxListpackEntries() {
		h.convert()
	}
	return added
}

// cmdHSet serves HSET and HMSET, which differ only in the reply.
func cmdHSet(c *call) Value {
	if len(c.args)%2 != 0 {
		return errArity(c.cmd.name)
	}
	key := c.args[1]
	h, exists, ok := c.hashWrite(key)
	if !ok {
		return errWrongType
	}
	c.hashTryConversion(h, c.args[2:])
	var added int64
	for i := 2; i < len(c.args); i += 2 {
		if c.hashSet(h, c.args[i], c.args[i+1]) {
			added++
		}
	}
	c.hashStore(key, h, exists, evHSet)
	if c.cmd.name == "hmset" {
		return okValue
	}
	return IntValue(added)
}

func cmdHSetNX(c *call) Value {
	key, field, value := c.args[1], c.args[2], c.args[3]
	h, exists, ok := c.hashWrite(key)
	if !ok {
		return errWrongType
	}
	if _, found := h.get(field); found {
		return IntValue(0)
	}
	c.hashTryConversion(h, c.args[2:4])
	c.hashSet(h, field, value)
	c.hashStore(key, h, exists, evHSet)
	return IntValue(1)
}

func cmdHGet(c *call) Value {
	h, ok := c.hashRead(c.args[1])
	if !ok {
		return errWrongType
	}
	if h == nil {
		return nullValue
	}
	if v, found := h.get(c.args[2]); found {
		return BulkValue(v)
	}
	return nullValue
}

func cmdHMGet(c *call) Value {
	h, ok := c.hashRead(c.args[1])
	if !ok {
		return errWrongType
	}
	fields := c.args[2:]
	out := make([]Value, len(fields))
	for i, f := range fields {
		out[i] = nullValue
		if h != nil {
			if v, found := h.get(f); found {
				out[i] = BulkValue(v)
			}
		}
	}
	return ArrayValue(out...)
}

func cmdHDel(c *call) Value {
	key := c.args[1]
	h, exists, ok := c.hashWrite(key)
	if !ok {
		return errWrongType
	}
	if !exists {
		return IntValue(0)
	}
	var n int64
	for _, f := range c.args[2:] {
		if h.del(f) {
			n++
			if h.len() == 0 {
				break
			}
		}
	}
	if n > 0 {
		c.hashStore(key, h, true, evHDel)
	}
	return IntValue(n)
}

func cmdHLen(c *call) Value {
	h, ok := c.hashRead(c.args[1])
	if !ok {
		return errWrongType
	}
	if h == nil {
		return IntValue(0)
	}
	return IntValue(int64(h.len()))
}

func cmdHStrLen(c *call) Value {
	h, ok := c.hashRead(c.args[1])
	if !ok {
		return errWrongType
	}
	if h == nil {
		return IntValue(0)
	}
	v, _ := h.get(c.args[2])
	return IntValue(int64(len(v)))
}

func cmdHExists(c *call) Value {
	h, ok := c.hashRead(c.args[1])
	if !ok {
		return errWrongType
	}
	if h == nil {
		return IntValue(0)
	}
	_, found := h.get(c.args[2])
	if found {
		return IntValue(1)
	}
	return IntValue(0)
}

// Which parts of the pairs hashGetAll replies with.
const (
	hashFields = 1 << iota
	hashValues
)

// hashGetAll serves HKEYS, HVALS and HGETALL.
func hashGetAll(c *call, what int) Value {
	h, ok := c.hashRead(c.args[1])
	if !ok {
		return errWrongType
	}
	if h == nil {
		if what == hashFields|hashValues {
			return MapValue()
		}
		return ArrayValue()
	}
	n := h.len()
	if what == hashFields|hashValues {
		n *= 2
	}
	out := make([]Value, 0, n)
	for f, v := range h.all() {
		if what&hashFields != 0 {
			out = append(out, BulkValue(f))
		}
		if what&hashValues != 0 {
			out = append(out, BulkValue(v))
		}
	}
	if what == hashFields|hashValues {
		return MapValue(out...)
	}
	return ArrayValue(out...)
}

func cmdHKeys(c *call) Value   { return hashGetAll(c, hashFields) }
func cmdHVals(c *call) Value   { return hashGetAll(c, hashValues) }
func cmdHGetAll(c *call) Value { return hashGetAll(c, hashFields|hashValues) }

func cmdHIncrBy(c *call) Value {
	incr, errv, ok := intArg(c.args[3])
	if !ok {
		return errv
	}
	key, field := c.args[1], c.args[2]
	h, exists, ok := c.hashWrite(key)
	if !ok {
		return errWrongType
	}
	var cur int64
	if s, found := h.get(field); found {
		n, ok := parseInt(s)
		if !ok {
			return errHashNotInteger
		}
		cur = n
	}
	if (incr < 0 && cur < 0 && incr < math.MinInt64-cur) || (incr > 0 && cur > 0 && incr > math.MaxInt64-cur) {
		return errOverflow
	}
	cur += incr
	c.hashSet(h, field, strconv.FormatInt(cur, 10))
	c.hashStore(key, h, exists, evHIncrBy)
	return IntValue(cur)
}

// cmdHIncrByFloat adds in long double, as Redis 7.0 does, and stores the
// sum as "%.17Lf" text without trailing zeros (see internal/ldouble).
// The append log must record the effect as HSET of the new text, as Redis
// propagates it, so a replay does not depend on the arithmetic.
func cmdHIncrByFloat(c *call) Value {
	incr, ok := ldouble.Parse(c.args[3])
	if !ok {
		return errNotFloat
	}
	if incr.IsInf() {
		return errHashIncrNaN
	}
	key, field := c.args[1], c.args[2]
	h, exists, ok := c.hashWrite(key)
	if !ok {
		return errWrongType
	}
	cur := new(big.Float)
	if s, found := h.get(field); found {
		cur, ok = ldouble.Parse(s)
		if !ok {
			return errHashNotFloat
		}
	}
	sum, ok := ldouble.Add(cur, incr)
	if !ok {
		return errHashNaNOrInf
	}
	text := ldouble.FormatHuman(sum)
	c.hashSet(h, field, text)
	c.hashStore(key, h, exists, evHIncrFlt)
	// The result, not the increment: a replay must not depend on the
	// replayer's floating-point arithmetic.
	c.propagateAs("HSET", key, field, text)
	return BulkValue(text)
}

// hrandfieldSubStrategyMul is Redis's HRANDFIELD_SUB_STRATEGY_MUL: a
// positive count below the size but above size/3 is served by copying the
// hash and removing random fields (case 3), a smaller one by sampling
// (case 4).
const hrandfieldSubStrategyMul = 3

func cmdHRandField(c *call) Value {
	if len(c.args) >= 3 {
		return hrandfieldWithCount(c)
	}
	h, ok := c.hashRead(c.args[1])
	if !ok {
		return errWrongType
	}
	if h == nil {
		return nullValue
	}
	f, _ := h.random(c.s)
	return BulkValue(f)
}

// hrandfieldWithCount serves HRANDFIELD key count [WITHVALUES] with the
// strategies of Redis 7.0, whose choice shows in the order of the reply:
//
//  1. a negative count (or a count of 1): independent picks, in random
//     order;
//  2. a count of at least the size: the whole hash in its order
//     (insertion order for a listpack);
//  3. a count above a third of the size: a copy of the hash with random
//     fields removed, in no particular order;
//  4. a smaller count: for a listpack, a sample taken in one pass, so in
//     the hash's order; for a hashtable, random picks with duplicates
//     skipped, in pick order.
func hrandfieldWithCount(c *call) Value {
	n, ok := parseInt(c.args[2])
	if !ok {
		return errNotInteger
	}
	if n == math.MinInt64 {
		return errHashLongRange
	}
	withValues := false
	if len(c.args) > 4 || (len(c.args) == 4 && !eqFold(c.args[3], "withvalues")) {
		return errSyntax
	}
	if len(c.args) == 4 {
		withValues = true
		if n < -math.MaxInt64/2 || n > math.MaxInt64/2 {
			return errHashRange
		}
	}
	h, ok := c.hashRead(c.args[1])
	if !ok {
		return errWrongType
	}
	if h == nil || n == 0 {
		return ArrayValue()
	}
	count, uniq := uint64(n), true
	if n < 0 {
		count, uniq = uint64(-n), false
	}
	resp3 := c.cl.proto >= 3
	var out []Value
	emit := func(f, v string) {
		switch {
		case !withValues:
			out = append(out, BulkValue(f))
		case resp3:
			out = append(out, ArrayValue(BulkValue(f), BulkValue(v)))
		default:
			out = append(out, BulkValue(f), BulkValue(v))
		}
	}
	size := uint64(h.len())

	// Case 1.
	if !uniq || count == 1 {
		out = make([]Value, 0, min(count, 1024)*2)
		for i := uint64(0); i < count; i++ {
			emit(h.random(c.s))
		}
		return ArrayValue(out...)
	}
	out = make([]Value, 0, 2*min(count, size))

	// Case 2.
	if count >= size {
		for f, v := range h.all() {
			emit(f, v)
		}
		return ArrayValue(out...)
	}

	// Case 3.
	if count*hrandfieldSubStrategyMul > size {
		pairs := make([]hashPair, 0, size)
		for f, v := range h.all() {
			pairs = append(pairs, hashPair{f, v})
		}
		for uint64(len(pairs)) > count {
			i := c.s.rnd.IntN(len(pairs))
			last := len(pairs) - 1
			pairs[i] = pairs[last]
			pairs = pairs[:last]
		}
		for _, p := range pairs {
			emit(p.field, p.value)
		}
		return ArrayValue(out...)
	}

	// Case 4.
	if h.ht == nil {
		// Selection sampling: keep each pair with probability
		// (still wanted) / (still unseen), which picks exactly count pairs,
		// each set of count pairs equally likely.
		want := count
		for i, p := range h.lp {
			if want == 0 {
				break
			}
			if c.s.rnd.Uint64N(size-uint64(i)) < want {
				emit(p.field, p.value)
				want--
			}
		}
		return ArrayValue(out...)
	}
	seen := make(map[string]struct{}, count)
	for uint64(len(seen)) < count {
		f, v := h.random(c.s)
		if _, dup := seen[f]; dup {
			continue
		}
		seen[f] = struct{}{}
		emit(f, v)
	}
	return ArrayValue(out...)
}

func cmdHScan(c *call) Value {
	cursor, ok := parseCursor(c.args[2])
	if !ok {
		return errHScanCursor
	}
	h, ok := c.hashRead(c.args[1])
	if !ok {
		return errWrongType
	}
	if h == nil {
		return ArrayValue(BulkValue("0"), ArrayValue())
	}
	count := int64(10)
	var match *glob.Pattern
	for i := 3; i < len(c.args); i += 2 {
		a := c.args[i]
		switch {
		case eqFold(a, "count") && i+1 < len(c.args):
			n, errv, ok := intArg(c.args[i+1])
			if !ok {
				return errv
			}
			if n < 1 {
				return errSyntax
			}
			count = n
		case eqFold(a, "match") && i+1 < len(c.args):
			match = glob.Compile(c.args[i+1], false)
		default:
			return errSyntax
		}
	}
	var out []Value
	add := func(f, v string) {
		if match == nil || match.MatchAll() || match.Match(f) {
			out = append(out, BulkValue(f), BulkValue(v))
		}
	}
	if h.ht == nil {
		// A listpack is returned whole, whatever the cursor and COUNT.
		for f, v := range h.all() {
			add(f, v)
		}
		return ArrayValue(BulkValue("0"), ArrayValue(out...))
	}
	// Like Redis 7.0: COUNT is doubled for a hash, since each field comes
	// with its value; then buckets are visited until that many items
	// (fields and values, before MATCH filters them) or ten times that
	// many buckets.
	count *= 2
	items := int64(0)
	maxIter := count * 10
	for {
		cursor = h.ht.Scan(cursor, func(f string, v *string) {
			items += 2
			add(f, *v)
		})
		if cursor == 0 || maxIter == 0 || items >= count {
			break
		}
		maxIter--
	}
	return ArrayValue(BulkValue(strconv.FormatUint(cursor, 10)), ArrayValue(out...))
}
