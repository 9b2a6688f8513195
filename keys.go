package embedis

import (
	"context"
	"errors"
	"iter"
	"math"
	"strconv"
	"time"

	"github.com/embedis/embedis/internal/dict"
	"github.com/embedis/embedis/internal/glob"
)

// Generic key commands (Redis's "generic" group, as far as it applies in
// one process): existence, deletion, expiry, renaming, copying and moving,
// iteration, introspection; and the keyspace-wide commands DBSIZE, FLUSHDB,
// FLUSHALL, SWAPDB and TIME.
//
// Lookups follow Redis's flavours, because they decide what OBJECT
// IDLETIME and the keyspace hit/miss counters report:
//
//	lookupRead     a read that touches the key (GET, TOUCH, COPY's source)
//	lookupNoTouch  a read that does not (TYPE, TTL, EXISTS, OBJECT)
//	lookupWrite    a write; touches the key, counts no hit or miss
//
// All three delete a key whose time has come before looking at it.

// NoTTL is what TTL and PTTL return for a key that exists but does not
// expire (Redis's -1).
const NoTTL time.Duration = -1

// ---- typed methods ----

// Del removes the keys and returns how many existed (DEL).
func (d *DB) Del(ctx context.Context, keys ...string) (int64, error) {
	return asInt(d.exec(ctx, append([]string{"del"}, keys...)))
}

// Unlink removes the keys and returns how many existed (UNLINK). In
// embedis it is the same as Del: memory is reclaimed by Go's collector
// either way.
func (d *DB) Unlink(ctx context.Context, keys ...string) (int64, error) {
	return asInt(d.exec(ctx, append([]string{"unlink"}, keys...)))
}

// Exists returns how many of the keys exist, counting repeats (EXISTS).
func (d *DB) Exists(ctx context.Context, keys ...string) (int64, error) {
	return asInt(d.exec(ctx, append([]string{"exists"}, keys...)))
}

// Touch marks the keys as just accessed (resetting OBJECT IDLETIME) and
// returns how many exist (TOUCH).
func (d *DB) Touch(ctx context.Context, keys ...string) (int64, error) {
	return asInt(d.exec(ctx, append([]string{"touch"}, keys...)))
}

// Type returns the type of the value at key: "string", "list", "set",
// "zset", "hash" or "stream", or "none" when the key does not exist (TYPE).
func (d *DB) Type(ctx context.Context, key string) (string, error) {
	return asString(d.execArgs(ctx, "type", key))
}

// ExpireCond is a condition on a key's current TTL under which Expire and
// its variants set a new one. Conditions combine with |; Redis refuses NX
// with any other, and GT with LT (ErrExpireNXOptions, ErrExpireGTLT).
type ExpireCond uint8

// The conditions of Expire, PExpire, ExpireAt and PExpireAt.
const (
	// ExpireNX sets the TTL only when the key has none.
	ExpireNX ExpireCond = 1 << iota
	// ExpireXX sets the TTL only when the key has one.
	ExpireXX
	// ExpireGT sets the TTL only when it is later than the current one (a
	// key without a TTL counts as expiring never, so GT never applies).
	ExpireGT
	// ExpireLT sets the TTL only when it is earlier than the current one
	// (or the key has none).
	ExpireLT
)

// expireArgs builds the argument vector of an EXPIRE-family command.
func expireArgs(cmd, key string, n int64, conds []ExpireCond) []string {
	args := make([]string, 3, 7)
	args[0], args[1], args[2] = cmd, key, strconv.FormatInt(n, 10)
	var all ExpireCond
	for _, c := range conds {
		all |= c
	}
	for i, name := range [...]string{"nx", "xx", "gt", "lt"} {
		if all&(1<<i) != 0 {
			args = append(args, name)
		}
	}
	return args
}

// Expire sets key to expire after ttl, truncated to whole seconds
// (EXPIRE), and reports whether it did: false when the key does not exist
// or a condition was not met. A ttl of zero or less deletes the key at
// once (and reports true). Use PExpire for millisecond precision.
func (d *DB) Expire(ctx context.Context, key string, ttl time.Duration, conds ...ExpireCond) (bool, error) {
	return asBool(d.exec(ctx, expireArgs("expire", key, int64(ttl/time.Second), conds)))
}

// PExpire is Expire with millisecond precision (PEXPIRE).
func (d *DB) PExpire(ctx context.Context, key string, ttl time.Duration, conds ...ExpireCond) (bool, error) {
	return asBool(d.exec(ctx, expireArgs("pexpire", key, ttl.Milliseconds(), conds)))
}

// ExpireAt sets key to expire at t, truncated to whole seconds (EXPIREAT).
// A time not after the store clock's present deletes the key at once.
func (d *DB) ExpireAt(ctx context.Context, key string, t time.Time, conds ...ExpireCond) (bool, error) {
	return asBool(d.exec(ctx, expireArgs("expireat", key, t.Unix(), conds)))
}

// PExpireAt is ExpireAt with millisecond precision (PEXPIREAT).
func (d *DB) PExpireAt(ctx context.Context, key string, t time.Time, conds ...ExpireCond) (bool, error) {
	return asBool(d.exec(ctx, expireArgs("pexpireat", key, t.UnixMilli(), conds)))
}

// Persist removes the TTL of key and reports whether it had one (PERSIST).
func (d *DB) Persist(ctx context.Context, key string) (bool, error) {
	return asBool(d.execArgs(ctx, "persist", key))
}

// ttlResult turns the reply of TTL and its variants into Go values: Nil
// for a missing key (-2), NoTTL for a key without a TTL (-1).
func ttlResult(v Value, err error, unit time.Duration) (time.Duration, error) {
	n, err := asInt(v, err)
	switch {
	case err != nil:
		return 0, err
	case n == -2:
		return 0, Nil
	case n == -1:
		return NoTTL, nil
	}
	return time.Duration(n) * unit, nil
}

// TTL returns the remaining time to live of key, rounded to whole seconds
// (TTL); NoTTL when the key does not expire; Nil when it does not exist.
func (d *DB) TTL(ctx context.Context, key string) (time.Duration, error) {
	v, err := d.execArgs(ctx, "ttl", key)
	return ttlResult(v, err, time.Second)
}

// PTTL is TTL in milliseconds (PTTL).
func (d *DB) PTTL(ctx context.Context, key string) (time.Duration, error) {
	v, err := d.execArgs(ctx, "pttl", key)
	return ttlResult(v, err, time.Millisecond)
}

// expireTimeResult turns the reply of EXPIRETIME and PEXPIRETIME into a
// time: Nil for a missing key, the zero Time for a key without a TTL.
func expireTimeResult(v Value, err error, ms bool) (time.Time, error) {
	n, err := asInt(v, err)
	switch {
	case err != nil:
		return time.Time{}, err
	case n == -2:
		return time.Time{}, Nil
	case n == -1:
		return time.Time{}, nil
	case ms:
		return time.UnixMilli(n), nil
	}
	return time.Unix(n, 0), nil
}

// ExpireTime returns when key expires, rounded to whole seconds
// (EXPIRETIME): the zero Time when it does not expire, Nil when it does
// not exist.
func (d *DB) ExpireTime(ctx context.Context, key string) (time.Time, error) {
	v, err := d.execArgs(ctx, "expiretime", key)
	return expireTimeResult(v, err, false)
}

// PExpireTime is ExpireTime with millisecond precision (PEXPIRETIME).
func (d *DB) PExpireTime(ctx context.Context, key string) (time.Time, error) {
	v, err := d.execArgs(ctx, "pexpiretime", key)
	return expireTimeResult(v, err, true)
}

// Rename renames key to newkey, replacing newkey if it exists; the value
// keeps its TTL (RENAME). ErrNoSuchKey when key does not exist.
func (d *DB) Rename(ctx context.Context, key, newkey string) error {
	return asOK(d.execArgs(ctx, "rename", key, newkey))
}

// RenameNX renames key to newkey only when newkey does not exist, and
// reports whether it did (RENAMENX). ErrNoSuchKey when key does not exist.
func (d *DB) RenameNX(ctx context.Context, key, newkey string) (bool, error) {
	return asBool(d.execArgs(ctx, "renamenx", key, newkey))
}

// CopyOptions are the options of Copy. The zero value copies within the
// handle's database and leaves an existing destination alone.
type CopyOptions struct {
	// ToDB, when not nil, is the destination database (COPY ... DB n). It
	// must be a handle of the same Store.
	ToDB *DB
	// Replace overwrites an existing destination key (COPY ... REPLACE).
	Replace bool
}

// errForeignDB is returned by Copy for a destination of another Store.
var errForeignDB = errors.New("embedis: CopyOptions.ToDB is a database of another Store")

// Copy copies the value (and TTL) of src to dst and reports whether it did
// (COPY): false when src does not exist or dst exists without Replace.
// ErrSameObject when src and dst are the same key of the same database.
func (d *DB) Copy(ctx context.Context, src, dst string, opts CopyOptions) (bool, error) {
	args := []string{"copy", src, dst}
	if opts.ToDB != nil {
		if opts.ToDB.s != d.s {
			return false, errForeignDB
		}
		args = append(args, "db", strconv.Itoa(opts.ToDB.Index()))
	}
	if opts.Replace {
		args = append(args, "replace")
	}
	return asBool(d.exec(ctx, args))
}

// Move moves key to database db and reports whether it did (MOVE): false
// when key does not exist here or already exists there. ErrSameObject when
// db is this database, ErrDBIndex when it is out of range.
func (d *DB) Move(ctx context.Context, key string, db int) (bool, error) {
	return asBool(d.execArgs(ctx, "move", key, strconv.Itoa(db)))
}

// RandomKey returns a key chosen at random, or Nil when the database is
// empty (RANDOMKEY).
func (d *DB) RandomKey(ctx context.Context) (string, error) {
	return asString(d.execArgs(ctx, "randomkey"))
}

// Keys returns the keys that match the glob-style pattern, in no
// particular order (KEYS). It examines every key in one step, during which
// no other command runs: on large databases prefer Scan or ScanAll.
//
// Pattern syntax: * any run of bytes, ? any one byte, [abc] [^abc] [a-z]
// classes, \ escapes the next byte.
func (d *DB) Keys(ctx context.Context, pattern string) ([]string, error) {
	return asStrings(d.execArgs(ctx, "keys", pattern))
}

// KeysSeq is Keys as an iterator: it runs KEYS once and yields the keys;
// on failure it yields one error.
//
//	for key, err := range s.KeysSeq(ctx, "user:*") { ... }
func (d *DB) KeysSeq(ctx context.Context, pattern string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		keys, err := d.Keys(ctx, pattern)
		if err != nil {
			yield("", err)
			return
		}
		for _, k := range keys {
			if !yield(k, nil) {
				return
			}
		}
	}
}

// ScanOptions are the options of Scan and ScanAll. The zero value returns
// every key, about ten per call.
type ScanOptions struct {
	// Match, when not empty, returns only keys matching this glob-style
	// pattern (SCAN ... MATCH); see Keys for the syntax.
	Match string
	// Count is a hint of how much work one call does (SCAN ... COUNT);
	// zero means Redis's default of 10.
	Count int64
	// Type, when not empty, returns only keys holding that type: "string",
	// "list", "set", "zset", "hash" or "stream" (SCAN ... TYPE).
	Type string
}

func (o ScanOptions) args(cursor uint64) []string {
	args := make([]string, 2, 8)
	args[0], args[1] = "scan", strconv.FormatUint(cursor, 10)
	if o.Match != "" {
		args = append(args, "match", o.Match)
	}
	if o.Count != 0 {
		args = append(args, "count", strconv.FormatInt(o.Count, 10))
	}
	if o.Type != "" {
		args = append(args, "type", o.Type)
	}
	return args
}

// Scan does one step of an incremental iteration over the keys (SCAN):
// start with cursor 0 and call again with the cursor returned until it is
// 0. A key that exists from the first call to the last is returned at
// least once; a key may be returned more than once, and a call may return
// no keys without the iteration being over.
func (d *DB) Scan(ctx context.Context, cursor uint64, opts ScanOptions) (keys []string, next uint64, err error) {
	items, next, err := asScanPage(d.exec(ctx, opts.args(cursor)))
	if err != nil {
		return nil, 0, err
	}
	keys, err = asStrings(items, nil)
	return keys, next, err
}

// ScanAll iterates over the keys with Scan until the cursor returns to 0,
// yielding each key; on failure it yields one error and stops. Other
// commands run between the steps. As with Scan, a key present for the
// whole iteration is yielded at least once and may be yielded twice.
//
//	for key, err := range s.ScanAll(ctx, embedis.ScanOptions{Match: "session:*"}) { ... }
func (d *DB) ScanAll(ctx context.Context, opts ScanOptions) iter.Seq2[string, error] {
	return scanSeq(func(cursor uint64) ([]string, uint64, error) { return d.Scan(ctx, cursor, opts) })
}

// ObjectEncoding returns the internal encoding Redis would use for the
// value at key, such as "int", "embstr" or "raw" for strings (OBJECT
// ENCODING), or Nil when the key does not exist.
func (d *DB) ObjectEncoding(ctx context.Context, key string) (string, error) {
	return asString(d.execArgs(ctx, "object", "encoding", key))
}

// ObjectRefCount returns the reference count Redis would report for the
// value at key (OBJECT REFCOUNT), or Nil when the key does not exist.
func (d *DB) ObjectRefCount(ctx context.Context, key string) (int64, error) {
	return asInt(d.execArgs(ctx, "object", "refcount", key))
}

// ObjectIdleTime returns how long ago key was last accessed, in whole
// seconds (OBJECT IDLETIME), or Nil when the key does not exist.
func (d *DB) ObjectIdleTime(ctx context.Context, key string) (time.Duration, error) {
	n, err := asInt(d.execArgs(ctx, "object", "idletime", key))
	return time.Duration(n) * time.Second, err
}

// ObjectFreq returns the access-frequency counter of key (OBJECT FREQ),
// Nil when the key does not exist. embedis has no LFU eviction policy yet,
// so for an existing key it returns ErrNoLFU, as Redis does without one.
func (d *DB) ObjectFreq(ctx context.Context, key string) (int64, error) {
	return asInt(d.execArgs(ctx, "object", "freq", key))
}

// DBSize returns the number of keys in the database (DBSIZE). Keys whose
// TTL has passed but which have not been removed yet are counted, as in
// Redis.
func (d *DB) DBSize(ctx context.Context) (int64, error) {
	return asInt(d.execArgs(ctx, "dbsize"))
}

// FlushDB removes every key of the database (FLUSHDB).
func (d *DB) FlushDB(ctx context.Context) error {
	return asOK(d.execArgs(ctx, "flushdb"))
}

// FlushAll removes every key of every database of the store (FLUSHALL).
func (d *DB) FlushAll(ctx context.Context) error {
	return asOK(d.execArgs(ctx, "flushall"))
}

// SwapDB swaps the contents of databases i and j (SWAPDB): afterwards the
// handle of database i sees what database j held, and the other way round.
// ErrDBIndex when either is out of range.
func (d *DB) SwapDB(ctx context.Context, i, j int) error {
	return asOK(d.execArgs(ctx, "swapdb", strconv.Itoa(i), strconv.Itoa(j)))
}

// Time returns the store clock's current time, to the microsecond (TIME).
func (d *DB) Time(ctx context.Context) (time.Time, error) {
	ss, err := asStrings(d.execArgs(ctx, "time"))
	if err != nil {
		return time.Time{}, err
	}
	if len(ss) != 2 {
		return time.Time{}, errors.New("embedis: malformed TIME reply")
	}
	sec, err1 := strconv.ParseInt(ss[0], 10, 64)
	usec, err2 := strconv.ParseInt(ss[1], 10, 64)
	if err1 != nil || err2 != nil {
		return time.Time{}, errors.New("embedis: malformed TIME reply")
	}
	return time.Unix(sec, usec*1000), nil
}

// ---- commands ----

func init() {
	ks := func(cat ...string) []string { return append([]string{"keyspace"}, cat...) }
	register(
		&command{name: "del", arity: -2, flags: flagWrite, firstKey: 1, lastKey: -1, step: 1, acl: ks("write", "slow"), handler: cmdDel},
		&command{name: "unlink", arity: -2, flags: flagWrite | flagFast, firstKey: 1, lastKey: -1, step: 1, acl: ks("write", "fast"), handler: cmdDel},
		&command{name: "exists", arity: -2, flags: flagReadonly | flagFast, firstKey: 1, lastKey: -1, step: 1, acl: ks("read", "fast"), handler: cmdExists},
		&command{name: "touch", arity: -2, flags: flagReadonly | flagFast, firstKey: 1, lastKey: -1, step: 1, acl: ks("read", "fast"), handler: cmdTouch},
		&command{name: "type", arity: 2, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: ks("read", "fast"), handler: cmdType},

		&command{name: "expire", arity: -3, flags: flagWrite | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: ks("write", "fast"), handler: cmdExpire},
		&command{name: "pexpire", arity: -3, flags: flagWrite | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: ks("write", "fast"), handler: cmdPExpire},
		&command{name: "expireat", arity: -3, flags: flagWrite | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: ks("write", "fast"), handler: cmdExpireAt},
		&command{name: "pexpireat", arity: -3, flags: flagWrite | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: ks("write", "fast"), handler: cmdPExpireAt},
		&command{name: "persist", arity: 2, flags: flagWrite | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: ks("write", "fast"), handler: cmdPersist},
		&command{name: "ttl", arity: 2, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: ks("read", "fast"), handler: cmdTTL},
		&command{name: "pttl", arity: 2, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: ks("read", "fast"), handler: cmdPTTL},
		&command{name: "expiretime", arity: 2, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: ks("read", "fast"), handler: cmdExpireTime},
		&command{name: "pexpiretime", arity: 2, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: ks("read", "fast"), handler: cmdPExpireTime},

		&command{name: "rename", arity: 3, flags: flagWrite, firstKey: 1, lastKey: 2, step: 1, acl: ks("write", "slow"), handler: cmdRename},
		&command{name: "renamenx", arity: 3, flags: flagWrite | flagFast, firstKey: 1, lastKey: 2, step: 1, acl: ks("write", "fast"), handler: cmdRenameNX},
		&command{name: "copy", arity: -3, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: 2, step: 1, acl: ks("write", "slow"), handler: cmdCopy},
		&command{name: "move", arity: 3, flags: flagWrite | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: ks("write", "fast"), handler: cmdMove},

		&command{name: "randomkey", arity: 1, flags: flagReadonly, acl: ks("read", "slow"), handler: cmdRandomKey},
		&command{name: "keys", arity: 2, flags: flagReadonly, acl: ks("read", "slow", "dangerous"), handler: cmdKeys},
		&command{name: "scan", arity: -2, flags: flagReadonly, acl: ks("read", "slow"), handler: cmdScan},

		&command{name: "object", arity: -2, acl: []string{"slow"}},
		&command{name: "object|encoding", arity: 3, flags: flagReadonly, firstKey: 2, lastKey: 2, step: 1, acl: ks("read", "slow"), handler: cmdObjectEncoding},
		&command{name: "object|freq", arity: 3, flags: flagReadonly, firstKey: 2, lastKey: 2, step: 1, acl: ks("read", "slow"), handler: cmdObjectFreq},
		&command{name: "object|idletime", arity: 3, flags: flagReadonly, firstKey: 2, lastKey: 2, step: 1, acl: ks("read", "slow"), handler: cmdObjectIdleTime},
		&command{name: "object|refcount", arity: 3, flags: flagReadonly, firstKey: 2, lastKey: 2, step: 1, acl: ks("read", "slow"), handler: cmdObjectRefCount},
		&command{name: "object|help", arity: 2, flags: flagLoading | flagStale, acl: ks("slow"), handler: cmdObjectHelp},

		&command{name: "dbsize", arity: 1, flags: flagReadonly | flagFast, acl: ks("read", "fast"), handler: cmdDBSize},
		&command{name: "flushdb", arity: -1, flags: flagWrite, acl: ks("write", "slow", "dangerous"), handler: cmdFlushDB},
		&command{name: "flushall", arity: -1, flags: flagWrite, acl: ks("write", "slow", "dangerous"), handler: cmdFlushAll},
		&command{name: "swapdb", arity: 3, flags: flagWrite | flagFast, acl: ks("write", "fast", "dangerous"), handler: cmdSwapDB},
		&command{name: "time", arity: 1, flags: flagLoading | flagStale | flagFast, acl: []string{"fast"}, handler: cmdTime},
	)
}

// lookupNoTouch is a read lookup that counts a keyspace hit or miss but
// leaves the access time alone (Redis's LOOKUP_NOTOUCH).
func (c *call) lookupNoTouch(key string) *entry {
	e := c.lookup(key)
	if e == nil {
		c.s.stats.miss++
		if c.s.events != nil { // keymiss (notify.go)
			c.s.events.keyEvent(c.db.id, key, evKeyMiss)
		}
		return nil
	}
	c.s.stats.hits++
	return e
}

// lookupWrite is the lookup of a write: it touches the key but counts no
// hit or miss, and it is point 1 of the mutation path (mutate.go): the
// caller may change the entry it returns, and then calls c.changed.
func (c *call) lookupWrite(key string) *entry {
	e := c.lookup(key)
	if e != nil {
		c.s.beforeChange(c.db, key)
		e.access = c.now
	}
	return e
}

// dbNumber parses a database number as Redis's getIntFromObjectOrReply
// does: a 32-bit integer. ok is false for anything else; inRange is false
// for an integer beyond 32 bits.
func dbNumber(arg string) (n int64, ok, inRange bool) {
	n, ok = parseInt(arg)
	return n, ok, ok && n >= math.MinInt32 && n <= math.MaxInt32
}

// dbArg parses a database number of MOVE or COPY and returns that
// database, or the error reply Redis gives.
func (c *call) dbArg(arg string) (*db, Value, bool) {
	n, ok, inRange := dbNumber(arg)
	switch {
	case !ok:
		return nil, errNotInteger, false
	case !inRange:
		return nil, errValue(ErrIntRange), false
	case n < 0 || n >= int64(len(c.s.dbs)):
		return nil, errDBIndex, false
	}
	return c.s.dbs[n], Value{}, true
}

func cmdDel(c *call) Value {
	var n int64
	for _, k := range c.args[1:] {
		if c.lookup(k) != nil && c.del(k) {
			n++
		}
	}
	return IntValue(n)
}

func cmdExists(c *call) Value {
	var n int64
	for _, k := range c.args[1:] {
		if c.lookupNoTouch(k) != nil {
			n++
		}
	}
	return IntValue(n)
}

func cmdTouch(c *call) Value {
	var n int64
	for _, k := range c.args[1:] {
		if c.lookupRead(k) != nil {
			n++
		}
	}
	return IntValue(n)
}

func cmdType(c *call) Value {
	e := c.lookupNoTouch(c.args[1])
	if e == nil {
		return SimpleValue("none")
	}
	return SimpleValue(e.typ.String())
}

// Expiry.

// Conditions of the EXPIRE family, parsed.
const (
	expNX = 1 << iota
	expXX
	expGT
	expLT
)

// parseExpireConds parses the NX/XX/GT/LT options as Redis 7.0 does: every
// word first (an unknown one is an error naming it), then the conflicts.
func parseExpireConds(args []string) (int, Value, bool) {
	flags := 0
	for _, a := range args {
		switch {
		case eqFold(a, "nx"):
			flags |= expNX
		case eqFold(a, "xx"):
			flags |= expXX
		case eqFold(a, "gt"):
			flags |= expGT
		case eqFold(a, "lt"):
			flags |= expLT
		default:
			return 0, ErrorValue("ERR Unsupported option " + sanitize(a)), false
		}
	}
	if flags&expNX != 0 && flags&(expXX|expGT|expLT) != 0 {
		return 0, errValue(ErrExpireNXOptions), false
	}
	if flags&expGT != 0 && flags&expLT != 0 {
		return 0, errValue(ErrExpireGTLT), false
	}
	return flags, Value{}, true
}

// expireGeneric is EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT: the time
// argument is relative to base (now, or 0 for the AT forms), in seconds
// or milliseconds. A time that is not in the future deletes the key.
func (c *call) expireGeneric(base int64, seconds bool) Value {
	flags, errv, ok := parseExpireConds(c.args[3:])
	if !ok {
		return errv
	}
	when, ok := parseInt(c.args[2])
	if !ok {
		return errNotInteger
	}
	bad := ErrorValue("ERR invalid expire time in '" + c.cmd.name + "' command")
	if seconds {
		if when > math.MaxInt64/1000 || when < math.MinInt64/1000 {
			return bad
		}
		when *= 1000
	}
	if when > math.MaxInt64-base {
		return bad
	}
	when += base

	key := c.args[1]
	e := c.lookupWrite(key)
	if e == nil {
		return IntValue(0)
	}
	cur := e.expire // 0: no TTL, which counts as infinite
	switch {
	case flags&expNX != 0 && cur != 0,
		flags&expXX != 0 && cur == 0,
		flags&expGT != 0 && (cur == 0 || when <= cur),
		flags&expLT != 0 && cur != 0 && when >= cur:
		return IntValue(0)
	}
	if when <= c.now && !c.replaying() {
		c.del(key)
		c.propagateAs("DEL", key)
		return IntValue(1)
	}
	c.db.setExpire(key, e, when)
	c.changed(key, evExpire)
	if c.cmd.name != "pexpireat" {
		// Relative and second-based forms propagate as the absolute
		// time they resolved to, so a replay later means the same.
		c.propagateAs("PEXPIREAT", key, strconv.FormatInt(when, 10))
	}
	return IntValue(1)
}

func cmdExpire(c *call) Value    { return c.expireGeneric(c.now, true) }
func cmdPExpire(c *call) Value   { return c.expireGeneric(c.now, false) }
func cmdExpireAt(c *call) Value  { return c.expireGeneric(0, true) }
func cmdPExpireAt(c *call) Value { return c.expireGeneric(0, false) }

func cmdPersist(c *call) Value {
	key := c.args[1]
	e := c.lookupWrite(key)
	if e == nil || e.expire == 0 {
		return IntValue(0)
	}
	c.db.setExpire(key, e, 0)
	c.changed(key, evPersist)
	return IntValue(1)
}

// ttlGeneric is TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 for a missing
// key, -1 for one without a TTL; seconds are rounded to the nearest.
func (c *call) ttlGeneric(ms, abs bool) Value {
	e := c.lookupNoTouch(c.args[1])
	if e == nil {
		return IntValue(-2)
	}
	if e.expire == 0 {
		return IntValue(-1)
	}
	t := e.expire
	if !abs {
		t = max(e.expire-c.now, 0)
	}
	if ms {
		return IntValue(t)
	}
	// t >= 0; unsigned, so the largest expiry time rounds as in Redis
	// instead of overflowing.
	return IntValue(int64((uint64(t) + 500) / 1000))
}

func cmdTTL(c *call) Value         { return c.ttlGeneric(false, false) }
func cmdPTTL(c *call) Value        { return c.ttlGeneric(true, false) }
func cmdExpireTime(c *call) Value  { return c.ttlGeneric(false, true) }
func cmdPExpireTime(c *call) Value { return c.ttlGeneric(true, true) }

// Renaming, copying, moving.

func (c *call) renameGeneric(nx bool) Value {
	src, dst := c.args[1], c.args[2]
	e := c.lookupWrite(src)
	if e == nil {
		return errNoSuchKey
	}
	if src == dst {
		if nx {
			return IntValue(0)
		}
		return okValue
	}
	if c.lookupWrite(dst) != nil {
		if nx {
			return IntValue(0)
		}
		c.s.removeKey(c.db, dst)
	}
	// e stays valid across deleting another key: values live in table
	// nodes, which rehashing relinks but never copies.
	v, expire := *e, e.expire
	c.s.removeKey(c.db, src)
	c.s.placeIn(c.db, dst, v, expire) // "new" dst first, as Redis
	c.changed(src, evRenameF)
	c.changed(dst, evRenameT)
	if nx {
		return IntValue(1)
	}
	return okValue
}

func cmdRename(c *call) Value   { return c.renameGeneric(false) }
func cmdRenameNX(c *call) Value { return c.renameGeneric(true) }

func cmdCopy(c *call) Value {
	src, dst := c.args[1], c.args[2]
	to := c.db
	replace := false
	for i := 3; i < len(c.args); i++ {
		switch a := c.args[i]; {
		case eqFold(a, "replace"):
			replace = true
		case eqFold(a, "db") && i+1 < len(c.args):
			d, errv, ok := c.dbArg(c.args[i+1])
			if !ok {
				return errv
			}
			to = d
			i++
		default:
			return errSyntax
		}
	}
	if c.s.opts.ClusterEnabled && (to.id != 0 || c.db.id != 0) {
		return ErrorValue("ERR Copying to another database is not allowed in cluster mode")
	}
	if to == c.db && src == dst {
		return errValue(ErrSameObject)
	}
	e := c.lookupRead(src)
	if e == nil {
		return IntValue(0)
	}
	if c.s.lookupDB(to, dst, c.now) != nil {
		if !replace {
			return IntValue(0)
		}
	}
	v := copyValue(e)
	if v.typ == 0 {
		return ErrorValue("ERR COPY does not support values of type " + e.typ.String() + " yet")
	}
	v.access = c.now
	if v.typ == typeString && v.enc == encInt {
		// Redis duplicates the object: the copy of a shared integer is
		// not shared (OBJECT REFCOUNT 1).
		v.enc = encIntOwned
	}
	expire := e.expire
	c.s.removeKey(to, dst)
	c.s.placeIn(to, dst, v, expire)
	c.changedIn(to, dst, evCopyTo)
	return IntValue(1)
}

func cmdMove(c *call) Value {
	if c.s.opts.ClusterEnabled {
		return ErrorValue("ERR MOVE is not allowed in cluster mode")
	}
	key := c.args[1]
	to, errv, ok := c.dbArg(c.args[2])
	if !ok {
		return errv
	}
	if to == c.db {
		return errValue(ErrSameObject)
	}
	e := c.lookupWrite(key)
	if e == nil {
		return IntValue(0)
	}
	if c.s.lookupDB(to, key, c.now) != nil {
		return IntValue(0)
	}
	v, expire := *e, e.expire
	c.s.removeKey(c.db, key)
	c.s.placeIn(to, key, v, expire) // "new" in the target first, as Redis
	c.changed(key, evMoveF)
	c.changedIn(to, key, evMoveT)
	return IntValue(1)
}

// Sampling and iteration.

// cmdRandomKey draws keys until it finds one that has not expired,
// deleting each expired one it draws. As in Redis on a primary, the loop
// has no fixed bound, but every round that does not return removes a key,
// so it ends after at most as many rounds as there are keys; and it only
// runs long when many keys have expired that neither lazy nor active
// expiry has reached yet.
func cmdRandomKey(c *call) Value {
	for tries := 0; ; tries++ {
		key, e, ok := c.db.keys.Random(c.s.rnd.Uint64)
		if !ok {
			return nullValue
		}
		if !e.expired(c.now) {
			return BulkValue(key)
		}
		if c.s.noSelfExpire {
			// A replica deletes nothing, so a table of expired keys
			// would loop forever: after 100 draws Redis returns an
			// expired key's name, as this does.
			if tries >= 100 {
				return BulkValue(key)
			}
			continue
		}
		c.s.expireKey(c.db, key)
	}
}

// matcher returns a predicate for a MATCH or KEYS pattern; nil matches
// everything. Redis skips matching for exactly "*", which also lets "*"
// match the empty key (the matcher itself matches "" only to "").
func matcher(pattern string) func(string) bool {
	if pattern == "*" {
		return nil
	}
	return glob.Compile(pattern, false).Match
}

func cmdKeys(c *call) Value {
	match := matcher(c.args[1])
	var keys []Value
	c.db.keys.All(func(k string, e *entry) bool {
		// Expired keys are skipped, not deleted: the callback must not
		// change the table.
		if (match == nil || match(k)) && !e.expired(c.now) {
			keys = append(keys, BulkValue(k))
		}
		return true
	})
	return ArrayValue(keys...)
}

// parseCursor parses a SCAN cursor as Redis does with strtoul: optional
// sign (a negative number wraps around), decimal digits, nothing after them
// (the text ends at a NUL byte, as in C), no leading space, no overflow.
// The empty string is cursor 0.
func parseCursor(s string) (uint64, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			s = s[:i]
			break
		}
	}
	if s == "" {
		return 0, true
	}
	if isSpace(s[0]) {
		return 0, false
	}
	neg := false
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		d := s[i]
		if d < '0' || d > '9' {
			return 0, false
		}
		if v > (math.MaxUint64-uint64(d-'0'))/10 {
			return 0, false
		}
		v = v*10 + uint64(d-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

func cmdScan(c *call) Value {
	cursor, ok := parseCursor(c.args[1])
	if !ok {
		return errValue(ErrInvalidCursor)
	}
	count := int64(10)
	pattern, typ := "", ""
	hasMatch, hasType := false, false
	for i := 2; i < len(c.args); i += 2 {
		a := c.args[i]
		if i+1 >= len(c.args) {
			return errSyntax
		}
		switch {
		case eqFold(a, "count"):
			n, ok := parseInt(c.args[i+1])
			if !ok {
				return errNotInteger
			}
			if n < 1 {
				return errSyntax
			}
			count = n
		case eqFold(a, "match"):
			pattern, hasMatch = c.args[i+1], true
		case eqFold(a, "type"):
			typ, hasType = c.args[i+1], true
		default:
			return errSyntax
		}
	}

	// Collect: visit buckets until COUNT keys are in hand or about
	// 10*COUNT buckets have been visited, so a sparse table does not make
	// one call slow.
	maxIter := int64(math.MaxInt64)
	if count <= math.MaxInt64/10 {
		maxIter = count * 10
	}
	keys := make([]string, 0, min(count, 64))
	collect := func(k string, _ *entry) { keys = append(keys, k) }
	for {
		cursor = c.db.keys.Scan(cursor, collect)
		if cursor == 0 || maxIter == 0 || int64(len(keys)) >= count {
			break
		}
		maxIter--
	}

	// Filter, after the scan step, since the callback must not change the
	// table and expired keys are deleted here.
	var match func(string) bool
	if hasMatch {
		match = matcher(pattern)
	}
	out := make([]Value, 0, len(keys))
	for _, k := range keys {
		if match != nil && !match(k) {
			continue
		}
		if hasType {
			e := c.lookupNoTouch(k)
			if e == nil || !eqFoldAny(typ, e.typ.String()) {
				continue
			}
		} else if c.lookup(k) == nil {
			continue
		}
		out = append(out, BulkValue(k))
	}
	return ArrayValue(BulkValue(strconv.FormatUint(cursor, 10)), ArrayValue(out...))
}

// eqFoldAny reports whether a and b are equal ignoring ASCII case
// (strcasecmp == 0).
func eqFoldAny(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// OBJECT.

// encodingName is the encoding OBJECT ENCODING reports for e. A value type
// other than string reports its own by implementing encoding() string.
func encodingName(e *entry) string {
	if e.typ == typeString {
		switch e.enc {
		case encInt, encIntOwned:
			return "int"
		case encEmbstr:
			return "embstr"
		}
		return "raw"
	}
	if en, ok := e.obj.(encoder); ok {
		return en.encoding()
	}
	return "unknown"
}

// sharedRefCount is the refcount Redis reports for its shared objects,
// such as the integers 0..9999 (OBJ_SHARED_REFCOUNT, INT_MAX).
const sharedRefCount = math.MaxInt32

// lookupObject is OBJECT's lookup: lookupNoTouch without the keymiss
// event, as Redis's LOOKUP_NONOTIFY.
func (c *call) lookupObject(key string) *entry {
	e := c.lookup(key)
	if e == nil {
		c.s.stats.miss++
		return nil
	}
	c.s.stats.hits++
	return e
}

func cmdObjectEncoding(c *call) Value {
	e := c.lookupObject(c.args[2])
	if e == nil {
		return nullValue
	}
	return BulkValue(encodingName(e))
}

func cmdObjectRefCount(c *call) Value {
	e := c.lookupObject(c.args[2])
	if e == nil {
		return nullValue
	}
	// Redis stores small integers as pointers to shared objects.
	if e.typ == typeString && e.enc == encInt {
		if n, ok := parseInt(e.str); ok && n >= 0 && n < 10000 {
			return IntValue(sharedRefCount)
		}
	}
	return IntValue(1)
}

func cmdObjectIdleTime(c *call) Value {
	e := c.lookupObject(c.args[2])
	if e == nil {
		return nullValue
	}
	// Redis's LRU clock has a resolution of one second.
	return IntValue(max(c.now/1000-e.access/1000, 0))
}

func cmdObjectFreq(c *call) Value {
	if c.lookupObject(c.args[2]) == nil {
		return nullValue
	}
	return errValue(ErrNoLFU)
}

var objectHelp = func() Value {
	lines := []string{
		"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
		"ENCODING <key>",
		"    Return the kind of internal representation used in order to store the value",
		"    associated with a <key>.",
		"FREQ <key>",
		"    Return the access frequency index of the <key>. The returned integer is",
		"    proportional to the logarithm of the recent access frequency of the key.",
		"IDLETIME <key>",
		"    Return the idle time of the <key>, that is the approximated number of",
		"    seconds elapsed since the last access to the key.",
		"REFCOUNT <key>",
		"    Return the number of references of the value associated with the specified",
		"    <key>.",
		"HELP",
		"    Prints this help.",
	}
	vs := make([]Value, len(lines))
	for i, l := range lines {
		vs[i] = SimpleValue(l)
	}
	return ArrayValue(vs...)
}()

func cmdObjectHelp(c *call) Value { return objectHelp }

// Keyspace-wide commands.

func cmdDBSize(c *call) Value { return IntValue(int64(c.db.keys.Len())) }

// flush removes every key of d.
// flushDB empties d as one change of every key. The tables are replaced,
// not cleared: an observer of the mutation path (a snapshot still
// writing d) may hold the old ones.
func (s *Store) flushDB(d *db, now int64) {
	if d.keys.Len() == 0 {
		// Still a write (FLUSHALL propagates, counts as a change) but no
		// key changes.
		s.stats.dirty++
		return
	}
	s.beforeChangeDB(d)
	d.keys, d.expires = new(dict.Dict[entry]), new(dict.Dict[struct{}])
	s.afterChangeDB(d, now)
}

// flushArgs parses FLUSHDB's and FLUSHALL's optional SYNC or ASYNC. Both
// free memory the same way in embedis (the collector reclaims it), so the
// choice only has to be valid.
func flushArgs(c *call) (Value, bool) {
	switch {
	case len(c.args) == 1:
	case len(c.args) == 2 && (eqFold(c.args[1], "sync") || eqFold(c.args[1], "async")):
	default:
		return errSyntax, false
	}
	return Value{}, true
}

func cmdFlushDB(c *call) Value {
	if errv, ok := flushArgs(c); !ok {
		return errv
	}
	c.s.flushDB(c.db, c.now)
	return okValue
}

func cmdFlushAll(c *call) Value {
	if errv, ok := flushArgs(c); !ok {
		return errv
	}
	for _, d := range c.s.dbs {
		c.s.flushDB(d, c.now)
	}
	return okValue
}

func cmdSwapDB(c *call) Value {
	if c.s.opts.ClusterEnabled {
		return ErrorValue("ERR SWAPDB is not allowed in cluster mode")
	}
	// A custom message replaces both "not an integer" and "out of range".
	i, _, ok := dbNumber(c.args[1])
	if !ok {
		return errValue(ErrInvalidFirstDB)
	}
	j, _, ok := dbNumber(c.args[2])
	if !ok {
		return errValue(ErrInvalidSecondDB)
	}
	n := int64(len(c.s.dbs))
	if i < 0 || i >= n || j < 0 || j >= n {
		return errDBIndex
	}
	if i == j {
		return okValue
	}
	// Only the data changes places, as in Redis: state that belongs to a
	// database number rather than to its contents (clients blocked or
	// watching keys there) stays, and is then told its keys changed.
	a, b := c.s.dbs[i], c.s.dbs[j]
	c.s.beforeChangeDB(a)
	c.s.beforeChangeDB(b)
	a.keys, b.keys = b.keys, a.keys
	a.expires, b.expires = b.expires, a.expires
	c.s.afterChangeDB(a, c.now)
	c.s.afterChangeDB(b, c.now)
	return okValue
}

func cmdTime(c *call) Value {
	now := c.s.opts.Clock.Now()
	return ArrayValue(
		BulkValue(strconv.FormatInt(now.Unix(), 10)),
		BulkValue(strconv.FormatInt(int64(now.Nanosecond()/1000), 10)),
	)
}
