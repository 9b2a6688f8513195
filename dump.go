package embedis

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/embedis/embedis/persist/rdb"
)

// DUMP and RESTORE.
//
// DUMP serializes a key's value in Redis's DUMP format (persist/rdb's
// EncodeDump: the RDB encoding of the value, the RDB version and a
// CRC64), so a payload from embedis restores into redis-server 7.0 and
// one from redis-server restores here. The payload is byte for byte
// Redis's where the store keeps Redis's order (strings, lists, intsets,
// listpack hashes and sorted sets, skiplist sorted sets, streams without
// deleted entries); hash-table sets and hashes come out in the store's
// own order.
//
// RESTORE follows Redis 7.0.15's restoreCommand step by step, since the
// order decides which error a bad call gets: options (syntax, IDLETIME,
// FREQ), then BUSYKEY, then the TTL, then the payload's footer (version
// and CRC64), then its value. A replaced key is deleted without an event
// and the new one raises "new" and "restore"; a TTL already in the past
// creates nothing (replying OK) and, when REPLACE deleted a key, raises
// "del" and propagates DEL. A relative TTL propagates as an absolute one:
// the TTL argument is rewritten and ABSTTL appended.

// The errors of RESTORE.
var (
	// ErrBusyKey: RESTORE without REPLACE of a key that exists.
	ErrBusyKey = newError("BUSYKEY Target key name already exists.")
	// ErrDumpPayload: a RESTORE payload too short for its footer, of an
	// RDB version above 10, or with a wrong CRC64.
	ErrDumpPayload = newError(rdb.ErrDumpPayload.Error())
	// ErrBadDataFormat: a RESTORE payload whose value does not decode or
	// that the store cannot hold (an empty collection, duplicates, a
	// module value, a type newer than Redis 7.0's).
	ErrBadDataFormat = newError(rdb.ErrBadDataFormat.Error())
)

var (
	errBusyKey       = errValue(ErrBusyKey)
	errDumpPayload   = errValue(ErrDumpPayload)
	errBadDataFormat = errValue(ErrBadDataFormat)
	errRestoreTTL    = ErrorValue("ERR Invalid TTL value, must be >= 0")
	errRestoreIdle   = ErrorValue("ERR Invalid IDLETIME value, must be >= 0")
	errRestoreFreq   = ErrorValue("ERR Invalid FREQ value, must be >= 0 and <= 255")
)

// ---- typed methods ----

// Dump returns the value at key serialized as DUMP does, for Restore here
// or RESTORE in Redis 7.0; Nil when the key does not exist.
func (d *DB) Dump(ctx context.Context, key string) (string, error) {
	return asString(d.execArgs(ctx, "dump", key))
}

// RestoreOptions are the options of Restore. The zero value restores
// without replacing, with a TTL relative to now.
type RestoreOptions struct {
	// Replace replaces an existing key (REPLACE); without it Restore of an
	// existing key fails with ErrBusyKey.
	Replace bool
	// ExpireAt, when not zero, is the absolute expiry time (ABSTTL); the
	// ttl argument of Restore is then ignored. A time in the past makes
	// Restore create nothing (and, with Replace, delete the key).
	ExpireAt time.Time
	// IdleTime, when positive, sets the key's idle time (IDLETIME, whole
	// seconds), as OBJECT IDLETIME then reports it.
	IdleTime time.Duration
	// Freq, when not nil, is the LFU frequency counter (FREQ, 0..255). It
	// is validated but has no effect until embedis has LFU eviction.
	// IdleTime and Freq exclude each other.
	Freq *int
}

// args builds the RESTORE argument vector.
func (o *RestoreOptions) args(key string, ttl time.Duration, payload string) []string {
	args := []string{"restore", key, strconv.FormatInt(ttl.Milliseconds(), 10), payload}
	if o == nil {
		return args
	}
	if o.Replace {
		args = append(args, "replace")
	}
	if !o.ExpireAt.IsZero() {
		args[2] = strconv.FormatInt(o.ExpireAt.UnixMilli(), 10)
		args = append(args, "absttl")
	}
	if o.IdleTime > 0 {
		args = append(args, "idletime", strconv.FormatInt(int64(o.IdleTime/time.Second), 10))
	}
	if o.Freq != nil {
		args = append(args, "freq", strconv.Itoa(*o.Freq))
	}
	return args
}

// Restore creates key from a DUMP payload (RESTORE), from this store or
// Redis 7.0. ttl is the time to live (0: none); opts may be nil. Errors:
// ErrBusyKey when the key exists and opts.Replace is not set,
// ErrDumpPayload or ErrBadDataFormat for a payload that is not valid.
func (d *DB) Restore(ctx context.Context, key string, ttl time.Duration, payload string, opts *RestoreOptions) error {
	return asOK(d.exec(ctx, opts.args(key, ttl, payload)))
}

// ---- commands ----

func init() {
	ks := func(cat ...string) []string { return append([]string{"keyspace"}, cat...) }
	register(
		&command{name: "dump", arity: 2, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: ks("read", "slow"), handler: cmdDump},
		&command{name: "restore", arity: -4, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: 1, step: 1, acl: ks("write", "slow", "dangerous"), handler: cmdRestore},
	)
}

func cmdDump(c *call) Value {
	e := c.lookupRead(c.args[1])
	if e == nil {
		return nullValue
	}
	v, _ := entryToRDB(e)
	p, err := rdb.EncodeDump(v, pinEncoding(c.s.rdbConfig(), e))
	if err != nil {
		// Only a value that breaks the store's invariants (an empty
		// collection) fails to encode.
		return ErrorValue("ERR DUMP failed: " + err.Error())
	}
	return BulkValue(string(p))
}

// lruClockMax is Redis's LRU_CLOCK_MAX: the LRU clock counts seconds in 24
// bits and wraps.
const lruClockMax = 1<<24 - 1

func cmdRestore(c *call) Value {
	args := c.args
	key := args[1]
	replace, absttl := false, false
	idle, freq := int64(-1), int64(-1)
	for j := 4; j < len(args); j++ {
		more := len(args) - j - 1
		switch {
		case eqFold(args[j], "replace"):
			replace = true
		case eqFold(args[j], "absttl"):
			absttl = true
		case eqFold(args[j], "idletime") && more >= 1 && freq == -1:
			n, ok := parseInt(args[j+1])
			if !ok {
				return errNotInteger
			}
			if n < 0 {
				return errRestoreIdle
			}
			idle = n
			j++
		case eqFold(args[j], "freq") && more >= 1 && idle == -1:
			n, ok := parseInt(args[j+1])
			if !ok {
				return errNotInteger
			}
			if n < 0 || n > 255 {
				return errRestoreFreq
			}
			freq = n
			j++
		default:
			return errSyntax
		}
	}
	// Redis looks the key up for writing, which touches an existing key
	// even when RESTORE then fails.
	if !replace && c.lookupWrite(key) != nil {
		return errBusyKey
	}
	ttl, ok := parseInt(args[2])
	if !ok {
		return errNotInteger
	}
	if ttl < 0 {
		return errRestoreTTL
	}
	v, typ, err := rdb.DecodeDump([]byte(args[3]))
	if err != nil {
		if errors.Is(err, rdb.ErrDumpPayload) {
			return errDumpPayload
		}
		return errBadDataFormat
	}
	val, err := rdbToEntry(v, typ, c.s.limits)
	if err != nil {
		return errBadDataFormat
	}

	deleted := replace && c.s.removeKey(c.db, key)
	if ttl != 0 && !absttl {
		// Redis adds in 64-bit arithmetic that wraps; a wrapped (negative)
		// time is in the past.
		ttl = int64(uint64(ttl) + uint64(c.now))
	}
	if ttl != 0 && ttl <= c.now {
		if deleted {
			c.changed(key, evDel)
			c.propagateAs("DEL", key)
		}
		return okValue
	}
	e, _ := c.put(key)
	e.typ, e.enc, e.str, e.obj = val.typ, val.enc, val.str, val.obj
	e.access = c.now
	if idle >= 0 {
		e.access = restoreAccess(c.now, idle)
	}
	if ttl != 0 {
		c.db.setExpire(key, e, ttl)
		if !absttl {
			prop := append(append([]string(nil), args...), "ABSTTL")
			prop[2] = strconv.FormatInt(ttl, 10)
			c.propagateAs(prop...)
		}
	}
	c.changed(key, evRestore)
	return okValue
}

// restoreAccess returns the access time that makes OBJECT IDLETIME report
// idle seconds at now, as Redis's objectSetLRUOrLFU sets its 24-bit LRU
// clock: an idle time longer than the clock's current value wraps to half
// the clock's range.
func restoreAccess(now, idle int64) int64 {
	clock := (now / 1000) & lruClockMax
	if idle > clock {
		idle = (lruClockMax + 1) / 2
	}
	return (now/1000 - idle) * 1000
}
