package embedis

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/embedis/embedis/internal/lcs"
	"github.com/embedis/embedis/internal/ldouble"
)

// Strings.
//
// A string value lives in entry.str, with entry.enc recording the encoding
// Redis 7.0 would report for it in OBJECT ENCODING:
//
//   - int: stored by SET, GETSET, MSET, SETNX, SETEX, PSETEX or APPEND (to
//     a missing key) when the value is a 64-bit integer in canonical form,
//     and always by the INCR family;
//   - embstr: other values of at most 44 bytes stored by those commands,
//     and INCRBYFLOAT results of at most 44 bytes (never int);
//   - raw: longer values, and every string modified in place by APPEND or
//     SETRANGE, whatever its length.
//
// Strings are immutable Go strings, so a reply hands the stored string out
// without copying; commands that modify a string build a new one.

// maxStringLen is Redis's proto-max-bulk-len default, 512 MB: APPEND and
// SETRANGE refuse to build a longer string, and LCS refuses a larger table.
const maxStringLen = 512 << 20

// stringLimit is the limit in force; tests lower it to exercise the limit
// without allocating 512 MB.
var stringLimit int64 = maxStringLen

// ---- typed methods ----

// SetOptions are the options of Set (Redis's SET arguments). The zero value
// is a plain SET: no TTL, no condition.
type SetOptions struct {
	// TTL, when positive, expires the key after this duration (SET PX,
	// millisecond precision; a TTL under a millisecond counts as one).
	TTL time.Duration
	// ExpireAt, when not zero, expires the key at this time (SET PXAT).
	// Setting both TTL and ExpireAt, or either with KeepTTL, is a syntax
	// error (ErrSyntax), as in Redis.
	ExpireAt time.Time
	// KeepTTL keeps the key's existing TTL (SET KEEPTTL); otherwise SET
	// clears it.
	KeepTTL bool
	// NX sets the key only when it does not exist; XX only when it does.
	// Both together are a syntax error.
	NX, XX bool
}

func (o SetOptions) args(key, value string, get bool) []string {
	args := make([]string, 3, 10)
	args[0], args[1], args[2] = "set", key, value
	if o.TTL > 0 {
		args = append(args, "px", strconv.FormatInt(max(o.TTL.Milliseconds(), 1), 10))
	}
	if !o.ExpireAt.IsZero() {
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
// ErrWrongType when key holds another type.
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
// Nil when the key did not exist. With NX or XX the old value is returned
// even when the condition prevented the write. ErrWrongType (and no write)
// when key holds another type.
func (d *DB) SetGet(ctx context.Context, key, value string, opts SetOptions) (string, error) {
	return asString(d.exec(ctx, opts.args(key, value, true)))
}

// SetNX stores value at key only when the key does not exist, and reports
// whether it did (SETNX): the building block of a simple lock.
func (d *DB) SetNX(ctx context.Context, key, value string) (bool, error) {
	return asBool(d.execArgs(ctx, "setnx", key, value))
}

// SetEX stores value at key with a TTL in whole seconds (SETEX); a ttl
// under one second is refused with ErrInvalidExpireSetEX.
func (d *DB) SetEX(ctx context.Context, key, value string, ttl time.Duration) error {
	return asOK(d.execArgs(ctx, "setex", key, strconv.FormatInt(int64(ttl/time.Second), 10), value))
}

// PSetEX stores value at key with a TTL in milliseconds (PSETEX); a ttl
// under one millisecond is refused with ErrInvalidExpirePSetEX.
func (d *DB) PSetEX(ctx context.Context, key, value string, ttl time.Duration) error {
	return asOK(d.execArgs(ctx, "psetex", key, strconv.FormatInt(ttl.Milliseconds(), 10), value))
}

// Incr adds one to the integer at key (0 when missing) and returns the new
// value. ErrNotInteger when the value is not an integer, ErrOverflow on
// overflow. The key's TTL is kept.
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

// DecrBy subtracts n from the integer at key (DECRBY). n = math.MinInt64
// is refused with ErrDecrementOverflow.
func (d *DB) DecrBy(ctx context.Context, key string, n int64) (int64, error) {
	return asInt(d.execArgs(ctx, "decrby", key, strconv.FormatInt(n, 10)))
}

// IncrByFloat adds incr to the number at key (0 when missing) and returns
// the new value (INCRBYFLOAT). The addition is done as Redis does it, in
// 80-bit extended precision, and the key stores Redis's decimal text for
// the result (GET returns "10.6" after 10.5 + 0.1); the float64 returned is
// that text parsed, so a result beyond float64's range comes back as ±Inf.
// ErrNotFloat when the stored value or incr is not a number, ErrNaNOrInf
// when the result would be infinite. The key's TTL is kept.
func (d *DB) IncrByFloat(ctx context.Context, key string, incr float64) (float64, error) {
	s, err := asString(d.execArgs(ctx, "incrbyfloat", key, strconv.FormatFloat(incr, 'g', -1, 64)))
	if err != nil {
		return 0, err
	}
	// The reply is always a well-formed number; beyond float64's range
	// ParseFloat gives ±Inf (with ErrRange, which says no more than that).
	f, _ := strconv.ParseFloat(s, 64)
	return f, nil
}

// Append appends value to the string at key, creating it when missing, and
// returns the new length (APPEND). ErrStringTooLong when the result would
// exceed 512 MB.
func (d *DB) Append(ctx context.Context, key, value string) (int64, error) {
	return asInt(d.execArgs(ctx, "append", key, value))
}

// GetDel returns the value of key and deletes the key (GETDEL), or Nil when
// the key does not exist. ErrWrongType (and no deletion) when key holds
// another type.
func (d *DB) GetDel(ctx context.Context, key string) (string, error) {
	return asString(d.execArgs(ctx, "getdel", key))
}

// GetExOptions are the options of GetEx. The zero value changes nothing:
// GetEx is then a Get that Redis counts as a write.
type GetExOptions struct {
	// TTL, when positive, sets the key's TTL to this duration (GETEX PX,
	// millisecond precision; a TTL under a millisecond counts as one).
	TTL time.Duration
	// ExpireAt, when not zero, sets the key to expire at this time (GETEX
	// PXAT); a time in the past deletes the key after reading it.
	ExpireAt time.Time
	// Persist removes the key's TTL (GETEX PERSIST).
	//
	// Setting more than one of TTL, ExpireAt and Persist is a syntax error
	// (ErrSyntax).
	Persist bool
}

// GetEx returns the value of key and changes its TTL as opts say (GETEX),
// or Nil when the key does not exist (then nothing is checked further: an
// invalid TTL is only reported for an existing key, as in Redis).
func (d *DB) GetEx(ctx context.Context, key string, opts GetExOptions) (string, error) {
	if opts == (GetExOptions{}) {
		return asString(d.execArgs(ctx, "getex", key))
	}
	args := make([]string, 2, 7)
	args[0], args[1] = "getex", key
	if opts.TTL > 0 {
		args = append(args, "px", strconv.FormatInt(max(opts.TTL.Milliseconds(), 1), 10))
	}
	if !opts.ExpireAt.IsZero() {
		args = append(args, "pxat", strconv.FormatInt(opts.ExpireAt.UnixMilli(), 10))
	}
	if opts.Persist {
		args = append(args, "persist")
	}
	return asString(d.exec(ctx, args))
}

// GetRange returns the bytes of the string at key from start to end
// inclusive (GETRANGE); negative offsets count from the end (-1 is the last
// byte), and the range is clipped to the string. A missing key or an empty
// range gives "" (not Nil).
func (d *DB) GetRange(ctx context.Context, key string, start, end int64) (string, error) {
	return asString(d.execArgs(ctx, "getrange", key, strconv.FormatInt(start, 10), strconv.FormatInt(end, 10)))
}

// GetSet stores value at key and returns the old value (GETSET), or Nil
// when the key did not exist; the key's TTL is cleared. New code can use
// SetGet, which also takes SET's options.
func (d *DB) GetSet(ctx context.Context, key, value string) (string, error) {
	return asString(d.execArgs(ctx, "getset", key, value))
}

// MGet returns the values of the keys (MGET): nil where a key does not
// exist or does not hold a string.
func (d *DB) MGet(ctx context.Context, keys ...string) ([]*string, error) {
	args := make([]string, 0, len(keys)+1)
	return asOptStrings(d.exec(ctx, append(append(args, "mget"), keys...)))
}

// MSet stores several keys at once (MSET), given as key, value, key,
// value...; every key's TTL is cleared. An odd number of arguments is
// refused with Redis's wrong-number-of-arguments error.
func (d *DB) MSet(ctx context.Context, pairs ...string) error {
	args := make([]string, 0, len(pairs)+1)
	return asOK(d.exec(ctx, append(append(args, "mset"), pairs...)))
}

// MSetNX stores several keys at once, given as key, value, key, value...,
// only when none of them exists, and reports whether it did (MSETNX).
func (d *DB) MSetNX(ctx context.Context, pairs ...string) (bool, error) {
	args := make([]string, 0, len(pairs)+1)
	return asBool(d.exec(ctx, append(append(args, "msetnx"), pairs...)))
}

// SetRange overwrites the string at key from offset on with value, padding
// with zero bytes when the string is shorter than offset, and returns the
// new length (SETRANGE). An empty value changes nothing (and creates no
// key). ErrOffsetRange for a negative offset, ErrStringTooLong when the
// result would exceed 512 MB.
func (d *DB) SetRange(ctx context.Context, key string, offset int64, value string) (int64, error) {
	return asInt(d.execArgs(ctx, "setrange", key, strconv.FormatInt(offset, 10), value))
}

// StrLen returns the length of the string at key, 0 when missing (STRLEN).
func (d *DB) StrLen(ctx context.Context, key string) (int64, error) {
	return asInt(d.execArgs(ctx, "strlen", key))
}

// LCSOptions select what LCS computes. The zero value asks for the longest
// common subsequence itself.
type LCSOptions struct {
	// Len asks only for its length (LCS ... LEN); LCSResult.MatchString is
	// then empty.
	Len bool
	// Idx asks for the positions of the matching runs (LCS ... IDX) in
	// LCSResult.Matches, with the length; MatchString is then empty. Len
	// and Idx together are refused with ErrLCSLenAndIdx.
	Idx bool
	// MinMatchLen, with Idx, leaves out runs shorter than this.
	MinMatchLen int
	// WithMatchLen, with Idx, fills in LCSMatch.Len.
	WithMatchLen bool
}

// LCSResult is the result of LCS.
type LCSResult struct {
	// MatchString is the longest common subsequence (without Len or Idx).
	MatchString string
	// Len is its length (always set).
	Len int64
	// Matches are the runs of consecutive matching bytes, from the end of
	// the strings towards the start, as Redis lists them (with Idx).
	Matches []LCSMatch
}

// LCSMatch is one run of consecutive bytes that both strings share.
type LCSMatch struct {
	// Key1 and Key2 are the run's byte positions in each string.
	Key1, Key2 LCSRange
	// Len is the run's length (with WithMatchLen; 0 otherwise).
	Len int64
}

// LCSRange is an inclusive range of byte positions.
type LCSRange struct {
	// Start and End are the 0-based positions of the range's first and
	// last bytes; End is included.
	Start, End int64
}

// LCS computes the longest common subsequence of the strings at key1 and
// key2 (LCS); a missing key counts as "". ErrLCSNotString when a key holds
// another type, ErrLCSTooLarge when Redis would refuse the computation's
// table (about 11585 bytes squared).
func (d *DB) LCS(ctx context.Context, key1, key2 string, opts LCSOptions) (LCSResult, error) {
	args := []string{"lcs", key1, key2}
	if opts.Len {
		args = append(args, "len")
	}
	if opts.Idx {
		args = append(args, "idx")
		if opts.MinMatchLen != 0 {
			args = append(args, "minmatchlen", strconv.Itoa(opts.MinMatchLen))
		}
		if opts.WithMatchLen {
			args = append(args, "withmatchlen")
		}
	}
	v, err := d.exec(ctx, args)
	if err != nil {
		return LCSResult{}, err
	}
	switch v.kind {
	case KindError:
		return LCSResult{}, v.Err()
	case KindInt:
		return LCSResult{Len: v.num}, nil
	case KindBulk:
		return LCSResult{MatchString: v.str, Len: int64(len(v.str))}, nil
	}
	// IDX: a map {"matches": [[[a0,a1],[b0,b1](,len)]...], "len": n}.
	var res LCSResult
	for i := 0; i+1 < len(v.elems); i += 2 {
		val := v.elems[i+1]
		switch v.elems[i].str {
		case "len":
			res.Len = val.num
		case "matches":
			res.Matches = make([]LCSMatch, len(val.elems))
			for j, m := range val.elems {
				a, b := m.elems[0].elems, m.elems[1].elems
				res.Matches[j] = LCSMatch{Key1: LCSRange{a[0].num, a[1].num}, Key2: LCSRange{b[0].num, b[1].num}}
				if len(m.elems) > 2 {
					res.Matches[j].Len = m.elems[2].num
				}
			}
		}
	}
	return res, nil
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
		&command{name: "incrbyfloat", arity: 3, flags: flagWrite | flagDenyOOM | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "string", "fast"}, handler: cmdIncrByFloat},
		&command{name: "append", arity: 3, flags: flagWrite | flagDenyOOM | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "string", "fast"}, handler: cmdAppend},
		&command{name: "getdel", arity: 2, flags: flagWrite | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "string", "fast"}, handler: cmdGetDel},
		&command{name: "getex", arity: -2, flags: flagWrite | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "string", "fast"}, handler: cmdGetEx},
		&command{name: "getset", arity: 3, flags: flagWrite | flagDenyOOM | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "string", "fast"}, handler: cmdGetSet},
		&command{name: "getrange", arity: 4, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "string", "slow"}, handler: cmdGetRange},
		&command{name: "substr", arity: 4, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "string", "slow"}, handler: cmdGetRange},
		&command{name: "setrange", arity: 4, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "string", "slow"}, handler: cmdSetRange},
		&command{name: "strlen", arity: 2, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "string", "fast"}, handler: cmdStrLen},
		&command{name: "mget", arity: -2, flags: flagReadonly | flagFast, firstKey: 1, lastKey: -1, step: 1, acl: []string{"read", "string", "fast"}, handler: cmdMGet},
		&command{name: "mset", arity: -3, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: -1, step: 2, acl: []string{"write", "string", "slow"}, handler: cmdMSet},
		&command{name: "msetnx", arity: -3, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: -1, step: 2, acl: []string{"write", "string", "slow"}, handler: cmdMSetNX},
		&command{name: "lcs", arity: -3, flags: flagReadonly, firstKey: 1, lastKey: 2, step: 1, acl: []string{"read", "string", "slow"}, handler: cmdLCS},
	)
}

// getString returns the string at key (a read: it counts a keyspace hit
// or miss); ok is false (with the reply to send) when key holds another
// type. A missing key is found=false.
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

// cstr is an argument as C code sees it: up to its first NUL byte. Redis
// matches option keywords with C string functions, so "nx\x00junk" is NX
// there, and so it is here.
func cstr(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
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

// Flags of SET's and GETEX's extended arguments.
const (
	setNX = 1 << iota
	setXX
	setGet
	setKeepTTL
	setEX
	setPX
	setEXAT
	setPXAT
	setPersist

	setExpireFlags = setEX | setPX | setEXAT | setPXAT
)

// expireArg parses the TTL argument of SET, SETEX, PSETEX and GETEX into an
// absolute unix-millisecond time, with Redis's checks and error texts (the
// error names the command).
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

// expireFlagArg converts the TTL argument of the expire flag in flags.
func (c *call) expireFlagArg(flags int, arg string) (int64, Value, bool) {
	return c.expireArg(arg, flags&(setEX|setEXAT) != 0, flags&(setEX|setPX) != 0)
}

// parseExtendedArgs parses the options of SET (from args[3] on) or of GETEX
// (from args[2] on, getex true) as Redis 7.0's
// parseExtendedStringArgumentsOrReply does: the same option may repeat (the
// last TTL wins), conflicting options and options of the other command are
// a syntax error. It returns the flags and the TTL argument, unparsed:
// SET checks it before looking at the key, GETEX after.
func parseExtendedArgs(args []string, getex bool) (flags int, expArg string, ok bool) {
	set := !getex
	for i := 0; i < len(args); i++ {
		a := cstr(args[i])
		hasNext := i+1 < len(args)
		var exp int
		switch {
		case set && eqFold(a, "nx") && flags&setXX == 0:
			flags |= setNX
		case set && eqFold(a, "xx") && flags&setNX == 0:
			flags |= setXX
		case set && eqFold(a, "get"):
			flags |= setGet
		case set && eqFold(a, "keepttl") && flags&(setPersist|setExpireFlags) == 0:
			flags |= setKeepTTL
		case getex && eqFold(a, "persist") && flags&(setKeepTTL|setExpireFlags) == 0:
			flags |= setPersist
		case eqFold(a, "ex"):
			exp = setEX
		case eqFold(a, "px"):
			exp = setPX
		case eqFold(a, "exat"):
			exp = setEXAT
		case eqFold(a, "pxat"):
			exp = setPXAT
		default:
			return 0, "", false
		}
		if exp != 0 {
			if flags&(setKeepTTL|setPersist|(setExpireFlags&^exp)) != 0 || !hasNext {
				return 0, "", false
			}
			flags |= exp
			i++
			expArg = args[i]
		}
	}
	return flags, expArg, true
}

func cmdSet(c *call) Value {
	flags, expArg, ok := parseExtendedArgs(c.args[3:], false)
	if !ok {
		return errSyntax
	}
	var expireAt int64
	if flags&setExpireFlags != 0 {
		var errv Value
		if expireAt, errv, ok = c.expireFlagArg(flags, expArg); !ok {
			return errv
		}
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
	e := c.setString(key, val, stringEncoding(val), flags&setKeepTTL != 0 || expireAt != 0, evSet)
	if expireAt != 0 {
		c.db.setExpire(key, e, expireAt)
		// Redis raises "expire" after "set" (part of the same change, so
		// no second dirty count).
		if c.s.events != nil {
			c.s.events.keyEvent(c.db.id, key, evExpire)
		}
		if flags&setPXAT == 0 {
			// EX, PX, EXAT, SETEX and PSETEX propagate as the absolute
			// millisecond time they resolved to, as Redis 7.0 does.
			c.propagateAs("SET", key, val, "PXAT", strconv.FormatInt(expireAt, 10))
		}
	}
	if flags&setGet != 0 && !c.propSet && c.s.feed.on() {
		// GET only shapes the reply: propagated without it.
		args := make([]string, 0, len(c.args)-1)
		for _, a := range c.args {
			if !eqFold(a, "get") || len(args) < 3 {
				args = append(args, a)
			}
		}
		c.prop, c.propSet = args, true
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

func cmdGetSet(c *call) Value {
	old, found, errv, ok := c.getString(c.args[1])
	if !ok {
		return errv
	}
	c.setString(c.args[1], c.args[2], stringEncoding(c.args[2]), false, evSet)
	if !found {
		return nullValue
	}
	return BulkValue(old)
}

func cmdGetDel(c *call) Value {
	old, found, errv, ok := c.getString(c.args[1])
	if !ok {
		return errv
	}
	if !found {
		return nullValue
	}
	c.del(c.args[1])
	c.propagateAs("DEL", c.args[1])
	return BulkValue(old)
}

// cmdGetEx: unlike SET, GETEX looks the key up before it checks the TTL
// argument, so a missing key answers nil even for "EX 0" (but a syntax
// error comes first).
func cmdGetEx(c *call) Value {
	key := c.args[1]
	flags, expArg, ok := parseExtendedArgs(c.args[2:], true)
	if !ok {
		return errSyntax
	}
	e := c.lookupRead(key)
	if e == nil {
		return nullValue
	}
	if e.typ != typeString {
		return errWrongType
	}
	reply := BulkValue(e.str)
	switch {
	case flags&setExpireFlags != 0:
		at, errv, ok := c.expireFlagArg(flags, expArg)
		if !ok {
			return errv
		}
		if flags&(setEXAT|setPXAT) != 0 && at <= c.now {
			// An absolute time already past deletes the key at once.
			c.del(key)
			c.propagateAs("DEL", key)
		} else {
			c.s.beforeChange(c.db, key)
			c.db.setExpire(key, e, at)
			c.changed(key, evExpire)
			c.propagateAs("PEXPIREAT", key, strconv.FormatInt(at, 10))
		}
	case flags&setPersist != 0 && e.expire != 0:
		c.s.beforeChange(c.db, key)
		c.db.setExpire(key, e, 0)
		c.changed(key, evPersist)
		c.propagateAs("PERSIST", key)
	}
	return reply
}

// incrDecr adds by to the integer at key, keeping the key's TTL.
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
	c.setString(key, strconv.FormatInt(cur, 10), encInt, true, evIncrBy)
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
		return errValue(ErrDecrementOverflow)
	}
	return c.incrDecr(c.args[1], -n)
}

// cmdIncrByFloat computes in long double as Redis does (see
// internal/ldouble) and stores the decimal text, never an int encoding.
// The stored value is checked before the increment.
func cmdIncrByFloat(c *call) Value {
	key := c.args[1]
	e := c.lookup(key)
	if e != nil && e.typ != typeString {
		return errWrongType
	}
	cur, ok := ldouble.Parse("0")
	if e != nil {
		if cur, ok = ldouble.Parse(e.str); !ok {
			return errNotFloat
		}
	}
	incr, ok := ldouble.Parse(c.args[2])
	if !ok {
		return errNotFloat
	}
	sum, ok := ldouble.Add(cur, incr)
	if !ok {
		return errValue(ErrNaNOrInf)
	}
	s := ldouble.FormatHuman(sum)
	enc := encEmbstr
	if len(s) > embstrMax {
		enc = encRaw
	}
	c.setString(key, s, enc, true, evIncrFlt)
	// The result, not the increment: a replay must not depend on the
	// floating-point arithmetic of whoever replays it.
	c.propagateAs("SET", key, s, "KEEPTTL")
	return BulkValue(s)
}

// embstrMax is the longest string Redis stores as embstr.
const embstrMax = 44

// cmdAppend: appending to a missing key stores the argument as SET would
// (int or embstr encodings included); appending to an existing string
// makes it raw, even when the argument is empty.
func cmdAppend(c *call) Value {
	key, val := c.args[1], c.args[2]
	e := c.lookupWrite(key)
	if e == nil {
		c.setString(key, val, stringEncoding(val), false, evAppend)
		return IntValue(int64(len(val)))
	}
	if e.typ != typeString {
		return errWrongType
	}
	if int64(len(e.str))+int64(len(val)) > stringLimit {
		return errStringLimit
	}
	appendString(e, val)
	e.enc = encRaw
	c.changed(key, evAppend)
	return IntValue(int64(len(e.str)))
}

// appendBuf is the spare capacity of a string that APPEND grew, kept in
// entry.obj: e.str is a view of b[:len(b)], so the next APPEND writes
// into the capacity after it instead of copying the whole value, as
// Redis's sds does (amortized O(1) per append, where += on a Go string
// copies the value every time: O(n²) for n appends).
//
// Why this does not break Go's string immutability: bytes are only ever
// written past the end of every string made from b. A string handed out
// earlier (a GET reply, a snapshot's copy, a COPY of the key) views a
// prefix of b that no later append touches; when the capacity runs out,
// append moves on to a new array and the old one stays as it was for
// whoever still holds it. Any other write to a string value (SET,
// SETRANGE, SETBIT ...) replaces e.str and drops the buffer (obj = nil).
type appendBuf struct{ b []byte }

// appendString appends val to the string value of e in amortized O(1).
func appendString(e *entry, val string) {
	ab, ok := e.obj.(*appendBuf)
	if !ok || len(ab.b) != len(e.str) || len(ab.b) == 0 || unsafe.StringData(e.str) != &ab.b[0] {
		// First append (or the value was replaced since): allocate with
		// room to grow, as sdsMakeRoomFor does: double below 1 MB, then
		// 1 MB more at a time.
		n := len(e.str) + len(val)
		room := n * 2
		if n >= 1<<20 {
			room = n + 1<<20
		}
		ab = &appendBuf{b: make([]byte, len(e.str), max(room, 16))}
		copy(ab.b, e.str)
		e.obj = ab
	}
	ab.b = append(ab.b, val...)
	e.str = unsafe.String(unsafe.SliceData(ab.b), len(ab.b))
}

// cmdSetRange: the offset is checked first (integer, then sign), then the
// key's type; an empty value changes nothing and creates nothing; the
// limit applies to offset+len(value) even when that is inside the string.
func cmdSetRange(c *call) Value {
	key, val := c.args[1], c.args[3]
	offset, errv, ok := intArg(c.args[2])
	if !ok {
		return errv
	}
	if offset < 0 {
		return errValue(ErrOffsetRange)
	}
	e := c.lookupWrite(key)
	if e != nil && e.typ != typeString {
		return errWrongType
	}
	var old string
	if e != nil {
		old = e.str
	}
	if len(val) == 0 {
		return IntValue(int64(len(old)))
	}
	if offset > stringLimit-int64(len(val)) {
		return errStringLimit
	}
	end := int(offset) + len(val)
	var b strings.Builder
	b.Grow(max(end, len(old)))
	if int(offset) <= len(old) {
		b.WriteString(old[:offset])
	} else {
		b.WriteString(old)
		writeZeros(&b, int(offset)-len(old))
	}
	b.WriteString(val)
	if end < len(old) {
		b.WriteString(old[end:])
	}
	if e == nil {
		c.setString(key, b.String(), encRaw, false, evSetRange)
	} else {
		e.str, e.enc, e.obj = b.String(), encRaw, nil
		c.changed(key, evSetRange)
	}
	return IntValue(int64(b.Len()))
}

var zeros [512]byte

func writeZeros(b *strings.Builder, n int) {
	for n > 0 {
		k := min(n, len(zeros))
		b.Write(zeros[:k])
		n -= k
	}
}

// cmdGetRange serves GETRANGE and SUBSTR, with Redis 7.0's clipping: both
// offsets negative with start after end is empty at once; otherwise
// negative offsets count from the end and are clipped to 0, and end is
// clipped to the last byte.
func cmdGetRange(c *call) Value {
	start, errv, ok := intArg(c.args[2])
	if !ok {
		return errv
	}
	end, errv, ok := intArg(c.args[3])
	if !ok {
		return errv
	}
	s, _, errv, ok := c.getString(c.args[1])
	if !ok {
		return errv
	}
	n := int64(len(s))
	if start < 0 && end < 0 && start > end {
		return BulkValue("")
	}
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start, end = max(start, 0), max(end, 0)
	if end >= n {
		end = n - 1
	}
	if start > end || n == 0 {
		return BulkValue("")
	}
	return BulkValue(s[start : end+1])
}

func cmdStrLen(c *call) Value {
	s, _, errv, ok := c.getString(c.args[1])
	if !ok {
		return errv
	}
	return IntValue(int64(len(s)))
}

// cmdMGet answers nil for keys that are missing or hold another type.
func cmdMGet(c *call) Value {
	out := make([]Value, len(c.args)-1)
	for i, key := range c.args[1:] {
		e := c.lookupRead(key)
		if e == nil || e.typ != typeString {
			out[i] = nullValue
			continue
		}
		out[i] = BulkValue(e.str)
	}
	return ArrayValue(out...)
}

func cmdMSet(c *call) Value {
	if len(c.args)%2 == 0 {
		return errArity(c.cmd.name)
	}
	c.msetAll()
	return okValue
}

// cmdMSetNX sets nothing when any key exists.
func cmdMSetNX(c *call) Value {
	if len(c.args)%2 == 0 {
		return errArity(c.cmd.name)
	}
	for i := 1; i < len(c.args); i += 2 {
		if c.lookup(c.args[i]) != nil {
			return IntValue(0)
		}
	}
	c.msetAll()
	return IntValue(1)
}

func (c *call) msetAll() {
	for i := 1; i < len(c.args); i += 2 {
		c.setString(c.args[i], c.args[i+1], stringEncoding(c.args[i+1]), false, evSet)
	}
}

// cmdLCS checks the keys' types before the options, as Redis does, and
// refuses inputs whose DP table Redis would refuse to allocate. LEN alone
// needs no table here (linear memory), but the same limit applies so the
// replies match.
func cmdLCS(c *call) Value {
	var s [2]string
	for i := range s {
		e := c.lookupRead(c.args[1+i])
		if e != nil && e.typ != typeString {
			return errValue(ErrLCSNotString)
		}
		if e != nil {
			s[i] = e.str
		}
	}
	var getLen, getIdx, withMatchLen bool
	var minMatchLen int64
	for i := 3; i < len(c.args); i++ {
		opt := cstr(c.args[i])
		switch {
		case eqFold(opt, "idx"):
			getIdx = true
		case eqFold(opt, "len"):
			getLen = true
		case eqFold(opt, "withmatchlen"):
			withMatchLen = true
		case eqFold(opt, "minmatchlen") && i+1 < len(c.args):
			n, errv, ok := intArg(c.args[i+1])
			if !ok {
				return errv
			}
			minMatchLen = max(n, 0)
			i++
		default:
			return errSyntax
		}
	}
	if getIdx && getLen {
		return errValue(ErrLCSLenAndIdx)
	}
	if lcs.TableBytes(len(s[0]), len(s[1])) > uint64(stringLimit) {
		return errValue(ErrLCSTooLarge)
	}
	if getLen {
		return IntValue(int64(lcs.Length(s[0], s[1])))
	}
	if minMatchLen > math.MaxInt32 {
		minMatchLen = math.MaxInt32 // longer than any possible run
	}
	sub, runs := lcs.Compute(s[0], s[1], getIdx, int(minMatchLen))
	if !getIdx {
		return BulkValue(sub)
	}
	matches := make([]Value, len(runs))
	for i, r := range runs {
		m := []Value{
			ArrayValue(IntValue(int64(r.A0)), IntValue(int64(r.A1))),
			ArrayValue(IntValue(int64(r.B0)), IntValue(int64(r.B1))),
		}
		if withMatchLen {
			m = append(m, IntValue(int64(r.Len())))
		}
		matches[i] = ArrayValue(m...)
	}
	return MapValue(BulkValue("matches"), ArrayValue(matches...), BulkValue("len"), IntValue(int64(len(sub))))
}
