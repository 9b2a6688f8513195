package embedis

import (
	"context"
	"math"
	"strconv"
	"time"
)

// Strings.
//
// A string value lives in entry.str, with entry.enc recording the encoding
// Redis 7.0 would report (int, embstr, raw). Strings are immutable Go
// strings, so a reply can hand the stored string out without copying.

// maxStringLen is Redis's proto-max-bulk-len default: 512 MB.
const maxStringLen = 512 << 20

// ---- typed methods ----

// SetOptions are the options of Set (Redis's SET arguments). The zero value
// is a plain SET: no TTL, no condition.
type SetOptions struct {
	// TTL, when positive, expires the key after this duration (SET PX,
	// millisecond precision).
	TTL time.Duration
	// ExpireAt, when not zero, expires the key at this time (SET PXAT).
	// It cannot be combined with TTL or KeepTTL.
	ExpireAt time.Time
	// KeepTTL keeps the key's existing TTL (SET KEEPTTL).
	KeepTTL bool
	// NX sets the key only when it does not exist; XX only when it does.
	NX, XX bool
}

func (o SetOptions) args(key, value string, get bool) []string {
	args := make([]string, 3, 8)
	args[0], args[1], args[2] = "set", key, value
	switch {
	case o.TTL > 0:
		args = append(args, "px", strconv.FormatInt(max(o.TTL.Milliseconds(), 1), 10))
	case !o.ExpireAt.IsZero():
		args = append(args, "pxat", strconv.FormatInt(o.ExpireAt.UnixMilli(), 10))
	}
	if o.KeepTTL {
		args = append(args, "keepttl")
	}
	if o.NX {
		args = append(args, "nx")
	}
	if o.XX {
		args = append(args, "xx")
	}
	if get {
		args = append(args, "get")
	}
	return args
}

// Get returns the value of key, or Nil when the key does not exist.
func (d *DB) Get(ctx context.Context, key string) (string, error) {
	return asString(d.execArgs(ctx, "get", key))
}

// Set stores value at key (SET). With NX or XX, it returns Nil when the
// condition prevented the write.
func (d *DB) Set(ctx context.Context, key, value string, opts SetOptions) error {
	if opts == (SetOptions{}) {
		return asOK(d.execArgs(ctx, "set", key, value))
	}
	return asOK(d.exec(ctx, opts.args(key, value, false)))
}

// SetGet stores value at key and returns the old value (SET ... GET), or
// Nil when the key did not exist.
func (d *DB) SetGet(ctx context.Context, key, value string, opts SetOptions) (string, error) {
	return asString(d.exec(ctx, opts.args(key, value, true)))
}

// SetNX stores value at key only when the key does not exist, and reports
// whether it did (SETNX): the building block of a simple lock.
func (d *DB) SetNX(ctx context.Context, key, value string) (bool, error) {
	return asBool(d.execArgs(ctx, "setnx", key, value))
}

// SetEX stores value at key with a TTL in whole seconds (SETEX); ttl must
// be at least one second.
func (d *DB) SetEX(ctx context.Context, key, value string, ttl time.Duration) error {
	return asOK(d.execArgs(ctx, "setex", key, strconv.FormatInt(int64(ttl/time.Second), 10), value))
}

// PSetEX stores value at key with a TTL in milliseconds (PSETEX).
func (d *DB) PSetEX(ctx context.Context, key, value string, ttl time.Duration) error {
	return asOK(d.execArgs(ctx, "psetex", key, strconv.FormatInt(ttl.Milliseconds(), 10), value))
}

// Incr adds one to the integer at key (0 when missing) and returns the new
// value. ErrNotInteger when the value is not an integer, ErrOverflow on
// overflow.
func (d *DB) Incr(ctx context.Context, key string) (int64, error) {
	return asInt(d.execArgs(ctx, "incr", key))
}

// Decr subtracts one from the integer at key (DECR).
func (d *DB) Decr(ctx context.Context, key string) (int64, error) {
	return asInt(d.execArgs(ctx, "decr", key))
}

// IncrBy adds n to the integer at key (INCRBY).
func (d *DB) IncrBy(ctx context.Context, key string, n int64) (int64, error) {
	return asInt(d.execArgs(ctx, "incrby", key, strconv.FormatInt(n, 10)))
}

// DecrBy subtracts n from the integer at key (DECRBY).
func (d *DB) DecrBy(ctx context.Context, key string, n int64) (int64, error) {
	return asInt(d.execArgs(ctx, "decrby", key, strconv.FormatInt(n, 10)))
}

// ---- commands ----

func init() {
	register(
		&command{name: "get", arity: 2, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "string", "fast"}, handler: cmdGet},
		&command{name: "set", arity: -3, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "string", "slow"}, handler: cmdSet},
		&command{name: "setnx", arity: 3, flags: flagWrite | flagDenyOOM | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "string", "fast"}, handler: cmdSetNX},
		&command{name: "setex", arity: 4, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "string", "slow"}, handler: cmdSetEX},
		&command{name: "psetex", arity: 4, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "string", "slow"}, handler: cmdPSetEX},
		&command{name: "incr", arity: 2, flags: flagWrite | flagDenyOOM | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "string", "fast"}, handler: cmdIncr},
		&command{name: "decr", arity: 2, flags: flagWrite | flagDenyOOM | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "string", "fast"}, handler: cmdDecr},
		&command{name: "incrby", arity: 3, flags: flagWrite | flagDenyOOM | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "string", "fast"}, handler: cmdIncrBy},
		&command{name: "decrby", arity: 3, flags: flagWrite | flagDenyOOM | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "string", "fast"}, handler: cmdDecrBy},
	)
}

// getString returns the string at key; ok is false (with the reply to
// send) when key holds another type. A missing key is found=false.
func (c *call) getString(key string) (s string, found bool, errv Value, ok bool) {
	e := c.lookupRead(key)
	if e == nil {
		return "", false, Value{}, true
	}
	if e.typ != typeString {
		return "", false, errWrongType, false
	}
	return e.str, true, Value{}, true
}

func cmdGet(c *call) Value {
	s, found, errv, ok := c.getString(c.args[1])
	if !ok {
		return errv
	}
	if !found {
		return nullValue
	}
	return BulkValue(s)
}

// Flags of SET's extended arguments.
const (
	setNX = 1 << iota
	setXX
	setGet
	setKeepTTL
	setEX
	setPX
	setEXAT
	setPXAT
)

// expireArg parses the TTL argument of SET, SETEX, PSETEX and GETEX into an
// absolute unix-millisecond time, with Redis's checks and error texts.
func (c *call) expireArg(arg string, unitSeconds, relative bool) (int64, Value, bool) {
	ms, ok := parseInt(arg)
	if !ok {
		return 0, errNotInteger, false
	}
	bad := ErrorValue("ERR invalid expire time in '" + c.cmd.name + "' command")
	if ms <= 0 || (unitSeconds && ms > math.MaxInt64/1000) {
		return 0, bad, false
	}
	if unitSeconds {
		ms *= 1000
	}
	if relative {
		if ms > math.MaxInt64-c.now {
			return 0, bad, false
		}
		ms += c.now
	}
	if ms <= 0 {
		return 0, bad, false
	}
	return ms, Value{}, true
}

// parseSetArgs parses SET's options (from args[3] on) as Redis 7.0's
// parseExtendedStringArgumentsOrReply does.
func (c *call) parseSetArgs(args []string) (flags int, expireAt int64, errv Value, ok bool) {
	var expArg string
	for i := 0; i < len(args); i++ {
		a := args[i]
		hasNext := i+1 < len(args)
		switch {
		case eqFold(a, "nx") && flags&setXX == 0:
			flags |= setNX
		case eqFold(a, "xx") && flags&setNX == 0:
			flags |= setXX
		case eqFold(a, "get"):
			flags |= setGet
		case eqFold(a, "keepttl") && flags&(setEX|setPX|setEXAT|setPXAT) == 0:
			flags |= setKeepTTL
		case eqFold(a, "ex") && flags&(setKeepTTL|setPX|setEXAT|setPXAT) == 0 && hasNext:
			flags |= setEX
			i++
			expArg = args[i]
		case eqFold(a, "px") && flags&(setKeepTTL|setEX|setEXAT|setPXAT) == 0 && hasNext:
			flags |= setPX
			i++
			expArg = args[i]
		case eqFold(a, "exat") && flags&(setKeepTTL|setEX|setPX|setPXAT) == 0 && hasNext:
			flags |= setEXAT
			i++
			expArg = args[i]
		case eqFold(a, "pxat") && flags&(setKeepTTL|setEX|setPX|setEXAT) == 0 && hasNext:
			flags |= setPXAT
			i++
			expArg = args[i]
		default:
			return 0, 0, errSyntax, false
		}
	}
	if flags&(setEX|setPX|setEXAT|setPXAT) != 0 {
		expireAt, errv, ok = c.expireArg(expArg, flags&(setEX|setEXAT) != 0, flags&(setEX|setPX) != 0)
		if !ok {
			return 0, 0, errv, false
		}
	}
	return flags, expireAt, Value{}, true
}

func cmdSet(c *call) Value {
	flags, expireAt, errv, ok := c.parseSetArgs(c.args[3:])
	if !ok {
		return errv
	}
	return c.setGeneric(flags, c.args[1], c.args[2], expireAt, okValue, nullValue)
}

// setGeneric is the body shared by SET, SETNX, SETEX and PSETEX.
func (c *call) setGeneric(flags int, key, val string, expireAt int64, okReply, abortReply Value) Value {
	var reply Value
	if flags&setGet != 0 {
		old, found, errv, ok := c.getString(key)
		if !ok {
			return errv
		}
		reply = nullValue
		if found {
			reply = BulkValue(old)
		}
	}
	found := c.lookup(key) != nil
	if (flags&setNX != 0 && found) || (flags&setXX != 0 && !found) {
		if flags&setGet != 0 {
			return reply
		}
		return abortReply
	}
	e := c.setString(key, val, stringEncoding(val), flags&setKeepTTL != 0 || expireAt != 0)
	if expireAt != 0 {
		c.db.setExpire(key, e, expireAt)
	}
	if flags&setGet != 0 {
		return reply
	}
	return okReply
}

func cmdSetNX(c *call) Value {
	return c.setGeneric(setNX, c.args[1], c.args[2], 0, IntValue(1), IntValue(0))
}

func cmdSetEX(c *call) Value {
	at, errv, ok := c.expireArg(c.args[2], true, true)
	if !ok {
		return errv
	}
	return c.setGeneric(0, c.args[1], c.args[3], at, okValue, nullValue)
}

func cmdPSetEX(c *call) Value {
	at, errv, ok := c.expireArg(c.args[2], false, true)
	if !ok {
		return errv
	}
	return c.setGeneric(0, c.args[1], c.args[3], at, okValue, nullValue)
}

// incrDecr adds by to the integer at key.
func (c *call) incrDecr(key string, by int64) Value {
	e := c.lookup(key)
	var cur int64
	if e != nil {
		if e.typ != typeString {
			return errWrongType
		}
		n, ok := parseInt(e.str)
		if !ok {
			return errNotInteger
		}
		cur = n
	}
	if (by < 0 && cur < 0 && by < math.MinInt64-cur) || (by > 0 && cur > 0 && by > math.MaxInt64-cur) {
		return errOverflow
	}
	cur += by
	c.setString(key, strconv.FormatInt(cur, 10), encInt, true)
	return IntValue(cur)
}

func cmdIncr(c *call) Value { return c.incrDecr(c.args[1], 1) }
func cmdDecr(c *call) Value { return c.incrDecr(c.args[1], -1) }

func cmdIncrBy(c *call) Value {
	n, errv, ok := intArg(c.args[2])
	if !ok {
		return errv
	}
	return c.incrDecr(c.args[1], n)
}

func cmdDecrBy(c *call) Value {
	n, errv, ok := intArg(c.args[2])
	if !ok {
		return errv
	}
	if n == math.MinInt64 {
		return ErrorValue("ERR decrement would overflow")
	}
	return c.incrDecr(c.args[1], -n)
}
