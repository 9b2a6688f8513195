package embedis

import (
	"errors"
	"strings"

	"github.com/embedis/embedis/lua"
)

// Nil is returned by typed methods where Redis replies with its nil reply:
// GET of a missing key, LPOP of an empty list, and so on. Test for it with
// errors.Is(err, embedis.Nil).
var Nil = errors.New("embedis: nil")

// ErrClosed is returned by every call made after Close.
var ErrClosed = errors.New("embedis: store closed")

// ErrBroken is the reply to every command of a store in which a command
// panicked (a bug in embedis): the store stops serving rather than risk
// serving damaged data. Store.Broken tells what panicked; reopen the
// store to go on.
var ErrBroken = newError("ERR embedis stopped serving after an internal error; see Store.Broken")

// Error is an error reply of a command. Its text is exactly the text Redis
// 7.0 sends for the same failure, so the wire and the Go API share it. Two
// Errors with the same text match under errors.Is, so a caller compares with
// the sentinels below:
//
//	if errors.Is(err, embedis.ErrWrongType) { ... }
type Error struct{ msg string }

// Error returns the reply's text, exactly as Redis sends it.
func (e *Error) Error() string { return e.msg }

// Is reports whether target is an *Error with the same text.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.msg == e.msg
}

// Prefix returns the error code: the first word of the text, such as "ERR"
// or "WRONGTYPE".
func (e *Error) Prefix() string {
	if i := strings.IndexByte(e.msg, ' '); i >= 0 {
		return e.msg[:i]
	}
	return e.msg
}

// newError declares a sentinel and enters it in the catalog.
func newError(msg string) *Error {
	e := &Error{msg: msg}
	catalog[msg] = e
	return e
}

// The error catalog: each sentinel's text is the reply Redis sends.
var (
	// Type and value errors.

	// ErrWrongType: the key holds a value of another type.
	ErrWrongType = newError("WRONGTYPE Operation against a key holding the wrong kind of value")
	// ErrNotInteger: an argument or a stored value is not a 64-bit integer.
	ErrNotInteger = newError("ERR value is not an integer or out of range")
	// ErrNotFloat: an argument or a stored value is not a valid float.
	ErrNotFloat = newError("ERR value is not a valid float")
	// ErrOverflow: an increment would overflow a 64-bit integer.
	ErrOverflow = newError("ERR increment or decrement would overflow")
	// ErrNaNOrInf: an INCRBYFLOAT would produce NaN or Infinity.
	ErrNaNOrInf = newError("ERR increment would produce NaN or Infinity")
	// ErrHashNotInteger: HINCRBY on a hash field whose value is not an integer.
	ErrHashNotInteger = newError("ERR hash value is not an integer")
	// ErrHashNotFloat: HINCRBYFLOAT on a hash field whose value is not a number.
	ErrHashNotFloat = newError("ERR hash value is not a float")
	// ErrNaNOrInfValue: HINCRBYFLOAT with an infinite increment.
	ErrNaNOrInfValue = newError("ERR value is NaN or Infinity")
	// ErrValueOutOfRange: HRANDFIELD WITHVALUES with a count beyond ±2^62.
	ErrValueOutOfRange = newError("ERR value is out of range")
	// ErrCountOutOfRange: a count argument of -2^63 (HRANDFIELD), which
	// Redis cannot negate.
	ErrCountOutOfRange = newError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
	// ErrStringTooLong: a string would exceed 512 MB.
	ErrStringTooLong = newError("ERR string exceeds maximum allowed size (proto-max-bulk-len)")

	// Syntax and argument errors.

	// ErrSyntax: the arguments do not follow the command's grammar.
	ErrSyntax = newError("ERR syntax error")
	// ErrInvalidExpireSet: SET with a TTL that is zero, negative or too
	// large. The text names the command, so SETEX, PSETEX and GETEX have
	// sentinels of their own.
	ErrInvalidExpireSet = newError("ERR invalid expire time in 'set' command")
	// ErrInvalidExpireSetEX: SETEX with a TTL under one second or too large.
	ErrInvalidExpireSetEX = newError("ERR invalid expire time in 'setex' command")
	// ErrInvalidExpirePSetEX: PSETEX with a TTL under one millisecond or too large.
	ErrInvalidExpirePSetEX = newError("ERR invalid expire time in 'psetex' command")
	// ErrInvalidExpireGetEx: GETEX with a TTL that is zero, negative or too large.
	ErrInvalidExpireGetEx = newError("ERR invalid expire time in 'getex' command")
	// ErrDecrementOverflow: DECRBY by -9223372036854775808, whose negation
	// overflows.
	ErrDecrementOverflow = newError("ERR decrement would overflow")
	// ErrLCSNotString: LCS on a key that holds another type (LCS answers
	// this rather than WRONGTYPE).
	ErrLCSNotString = newError("ERR The specified keys must contain string values")
	// ErrLCSLenAndIdx: LCS with both LEN and IDX.
	ErrLCSLenAndIdx = newError("ERR If you want both the length and indexes, please just use IDX.")
	// ErrLCSTooLarge: LCS on strings whose table would exceed 512 MB.
	ErrLCSTooLarge = newError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len")
	// ErrNoSuchKey: RENAME and friends on a missing key.
	ErrNoSuchKey = newError("ERR no such key")
	// ErrDBIndex: SELECT, MOVE, SWAPDB with a database number out of range.
	ErrDBIndex = newError("ERR DB index is out of range")
	// ErrInvalidDBIndex: a database number that is not an integer.
	ErrInvalidDBIndex = newError("ERR invalid DB index")
	// ErrOffsetRange: SETRANGE with a negative offset.
	ErrOffsetRange = newError("ERR offset is out of range")
	// ErrInvalidCursor: SCAN with a cursor that is not a uint64.
	ErrInvalidCursor = newError("ERR invalid cursor")
	// ErrSameObject: MOVE (and COPY) into the key's own database.
	ErrSameObject = newError("ERR source and destination objects are the same")
	// ErrExpireNXOptions: EXPIRE and friends with NX and also XX, GT or LT.
	ErrExpireNXOptions = newError("ERR NX and XX, GT or LT options at the same time are not compatible")
	// ErrExpireGTLT: EXPIRE and friends with both GT and LT.
	ErrExpireGTLT = newError("ERR GT and LT options at the same time are not compatible")
	// ErrInvalidExpire: EXPIRE with a TTL whose expiry time overflows.
	ErrInvalidExpire = newError("ERR invalid expire time in 'expire' command")
	// ErrInvalidPExpire: PEXPIRE with a TTL whose expiry time overflows.
	ErrInvalidPExpire = newError("ERR invalid expire time in 'pexpire' command")
	// ErrInvalidExpireAt: EXPIREAT with a time that overflows in milliseconds.
	ErrInvalidExpireAt = newError("ERR invalid expire time in 'expireat' command")
	// ErrIntRange: an argument that must be a 32-bit integer (a database
	// number of MOVE or COPY) is an integer out of that range.
	ErrIntRange = newError("ERR value is out of range, value must between -2147483648 and 2147483647")
	// ErrInvalidFirstDB: SWAPDB with a first database number that is not an
	// integer.
	ErrInvalidFirstDB = newError("ERR invalid first DB index")
	// ErrInvalidSecondDB: SWAPDB with a second database number that is not
	// an integer.
	ErrInvalidSecondDB = newError("ERR invalid second DB index")
	// ErrNoLFU: OBJECT FREQ without an LFU eviction policy.
	ErrNoLFU = newError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
	// ErrNoAuth: a command on a connection that has not authenticated.
	ErrNoAuth = newError("NOAUTH Authentication required.")
	// ErrWrongPass: AUTH with a wrong password.
	ErrWrongPass = newError("WRONGPASS invalid username-password pair or user is disabled.")

	// Sorted-set errors.

	// ErrMinMaxNotFloat: a score range bound (ZCOUNT, ZRANGEBYSCORE ...)
	// that is not a number, "-inf"/"+inf" or a "(" followed by one.
	ErrMinMaxNotFloat = newError("ERR min or max is not a float")
	// ErrMinMaxNotString: a lex range bound (ZRANGEBYLEX, ZLEXCOUNT ...)
	// that is not "-", "+", or a member after "[" or "(".
	ErrMinMaxNotString = newError("ERR min or max not valid string range item")
	// ErrZSetNaN: ZINCRBY or ZADD INCR whose sum is NaN (inf plus -inf).
	ErrZSetNaN = newError("ERR resulting score is not a number (NaN)")
	// ErrZAddXXNX: ZADD with both XX and NX.
	ErrZAddXXNX = newError("ERR XX and NX options at the same time are not compatible")
	// ErrZAddGTLTNX: ZADD with GT and LT, or either with NX.
	ErrZAddGTLTNX = newError("ERR GT, LT, and/or NX options at the same time are not compatible")
	// ErrZAddIncrPair: ZADD INCR with more than one score-member pair.
	ErrZAddIncrPair = newError("ERR INCR option supports a single increment-element pair")
	// ErrZRangeLimit: ZRANGE with LIMIT but neither BYSCORE nor BYLEX.
	ErrZRangeLimit = newError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
	// ErrZRangeLexScores: ZRANGE BYLEX (or ZRANGEBYLEX) with WITHSCORES.
	ErrZRangeLexScores = newError("ERR syntax error, WITHSCORES not supported in combination with BYLEX")
	// ErrWeightNotFloat: a ZUNION/ZINTER weight that is not a number.
	ErrWeightNotFloat = newError("ERR weight value is not a float")
)

// List and SORT errors.
var (
	// ErrNotPositive: a count that must be zero or positive is negative or
	// not an integer (LPOP and RPOP with a count).
	ErrNotPositive = newError("ERR value is out of range, must be positive")
	// ErrIndexOutOfRange: LSET with an index outside the list.
	ErrIndexOutOfRange = newError("ERR index out of range")
	// ErrNumKeys: LMPOP or BLMPOP with numkeys not a positive integer.
	ErrNumKeys = newError("ERR numkeys should be greater than 0")
	// ErrCountPositive: LMPOP or BLMPOP with COUNT not a positive integer.
	ErrCountPositive = newError("ERR count should be greater than 0")
	// ErrLPosRankZero: LPOS with RANK 0.
	ErrLPosRankZero = newError("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")
	// ErrLPosCountNegative: LPOS with a COUNT that is negative or not an integer.
	ErrLPosCountNegative = newError("ERR COUNT can't be negative")
	// ErrLPosMaxLenNegative: LPOS with a MAXLEN that is negative or not an integer.
	ErrLPosMaxLenNegative = newError("ERR MAXLEN can't be negative")
	// ErrSortNotDouble: SORT without ALPHA met an element (or BY value) that
	// is not a number.
	ErrSortNotDouble = newError("ERR One or more scores can't be converted into double")
)

// Set errors (ErrNotPositive and ErrNumKeys above serve SPOP and
// SINTERCARD too).
var (
	// ErrNumkeysTooMany: SINTERCARD (and other numkeys commands) with a
	// numkeys larger than the number of arguments.
	ErrNumkeysTooMany = newError("ERR Number of keys can't be greater than number of args")
	// ErrLimitNegative: SINTERCARD with a LIMIT that is negative or not an
	// integer.
	ErrLimitNegative = newError("ERR LIMIT can't be negative")
)

// Geo errors.
var (
	// ErrGeoUnit: a distance unit other than m, km, ft or mi.
	ErrGeoUnit = newError("ERR unsupported unit provided. please use M, KM, FT, MI")
	// ErrGeoMember: a search centred on a member (GEORADIUSBYMEMBER,
	// GEOSEARCH FROMMEMBER) that is not in the set.
	ErrGeoMember = newError("ERR could not decode requested zset member")
	// ErrGeoRadiusNotNumber: a radius that is not a number.
	ErrGeoRadiusNotNumber = newError("ERR need numeric radius")
	// ErrGeoRadiusNegative: a negative radius.
	ErrGeoRadiusNegative = newError("ERR radius cannot be negative")
	// ErrGeoWidthNotNumber: a BYBOX width that is not a number.
	ErrGeoWidthNotNumber = newError("ERR need numeric width")
	// ErrGeoHeightNotNumber: a BYBOX height that is not a number.
	ErrGeoHeightNotNumber = newError("ERR need numeric height")
	// ErrGeoBoxNegative: a BYBOX width or height below zero.
	ErrGeoBoxNegative = newError("ERR height or width cannot be negative")
	// ErrGeoCount: a search COUNT that is zero or negative.
	ErrGeoCount = newError("ERR COUNT must be > 0")
	// ErrGeoAnyNeedsCount: a search with ANY but no COUNT.
	ErrGeoAnyNeedsCount = newError("ERR the ANY argument requires COUNT argument")
	// ErrGeoRadiusStoreWith: GEORADIUS STORE or STOREDIST together with
	// WITHDIST, WITHHASH or WITHCOORD.
	ErrGeoRadiusStoreWith = newError("ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options")
	// ErrGeoSearchStoreWith: GEOSEARCHSTORE with WITHDIST, WITHHASH or
	// WITHCOORD.
	ErrGeoSearchStoreWith = newError("ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options")
)

// Stream errors.
var (
	// ErrStreamInvalidID: an argument that must be a stream ID ("ms-seq")
	// is not one.
	ErrStreamInvalidID = newError("ERR Invalid stream ID specified as stream command argument")
	// ErrStreamIDTooSmall: XADD with an ID not greater than the stream's
	// last ID.
	ErrStreamIDTooSmall = newError("ERR The ID specified in XADD is equal or smaller than the target stream top item")
	// ErrStreamIDZero: XADD with the ID 0-0.
	ErrStreamIDZero = newError("ERR The ID specified in XADD must be greater than 0-0")
	// ErrStreamExhausted: XADD to a stream whose last ID is the largest
	// possible one.
	ErrStreamExhausted = newError("ERR The stream has exhausted the last possible ID, unable to add more items")
	// ErrBusyGroup: XGROUP CREATE of a group that already exists.
	ErrBusyGroup = newError("BUSYGROUP Consumer Group name already exists")
	// ErrXGroupKeyMissing: an XGROUP subcommand on a missing key (CREATE
	// without MKSTREAM).
	ErrXGroupKeyMissing = newError("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.")
)

// ErrTxFailed is returned by a transaction's Exec (TxPipeline.Exec,
// Tx.TxPipelined) when EXEC ran nothing because a key watched with
// DB.Watch or Tx.Watch had changed since it was watched; Redis's reply is
// then nil. Nothing was written: run the whole DB.Watch call again.
var ErrTxFailed = errors.New("embedis: transaction failed: a watched key changed")

// Transaction errors (MULTI, EXEC, DISCARD, WATCH; multi.go, tx.go).
var (
	// ErrExecAbort: EXEC of a transaction in which a command was refused
	// while queueing (unknown command, wrong number of arguments ...); no
	// command of it ran.
	ErrExecAbort = newError("EXECABORT Transaction discarded because of previous errors.")
	// ErrMultiNested: MULTI inside MULTI (the transaction stays open).
	ErrMultiNested = newError("ERR MULTI calls can not be nested")
	// ErrExecWithoutMulti: EXEC with no MULTI before it.
	ErrExecWithoutMulti = newError("ERR EXEC without MULTI")
	// ErrDiscardWithoutMulti: DISCARD with no MULTI before it.
	ErrDiscardWithoutMulti = newError("ERR DISCARD without MULTI")
	// ErrWatchInMulti: WATCH between MULTI and EXEC (the transaction stays
	// open; the keys are not watched).
	ErrWatchInMulti = newError("ERR WATCH inside MULTI is not allowed")
	// ErrNotInMulti: a command flagged no-multi (SAVE, SHUTDOWN ...) sent
	// inside MULTI; the transaction will fail with ErrExecAbort.
	ErrNotInMulti = newError("ERR Command not allowed inside a transaction")
)

// Scripting errors (texts from the lua package, which Redis shares).
var (
	// ErrCrossSlot: in cluster mode (Options.ClusterEnabled), a command,
	// a MULTI/EXEC transaction or EVAL's declared keys hash to different
	// slots. Put the keys that must go together under one hash tag
	// ("{user:1}:a", "{user:1}:b").
	ErrCrossSlot = newError("CROSSSLOT Keys in request don't hash to the same slot")
	// ErrNoScript: EVALSHA of a SHA1 that is not in the script cache.
	ErrNoScript = newError(lua.ErrNoScript)
	// ErrBusy: a command sent while a script has run past BusyThreshold.
	ErrBusy = newError(lua.ErrBusy)
	// ErrBusyFunction: ErrBusy while a function (FCALL) runs.
	ErrBusyFunction = newError(lua.ErrBusyFunction)
	// ErrNotBusy: SCRIPT KILL or FUNCTION KILL with no script running.
	ErrNotBusy = newError(lua.ErrNotBusy)
	// ErrUnkillable: SCRIPT KILL of a script that has written; only Close
	// stops it.
	ErrUnkillable = newError(lua.ErrUnkillable)
)

// catalog maps every sentinel's text to the sentinel, so an error reply
// arriving as text is returned as the very sentinel (errors.Is works either
// way; identity is a convenience for ==). newError fills it: a sentinel is
// declared in one place only.
var catalog = map[string]*Error{}

func errorFromText(msg string) error {
	if e, ok := catalog[msg]; ok {
		return e
	}
	return &Error{msg: msg}
}

// Error replies used by handlers, built once.
var (
	errWrongType   = ErrorValue(ErrWrongType.msg)
	errNotInteger  = ErrorValue(ErrNotInteger.msg)
	errNotFloat    = ErrorValue(ErrNotFloat.msg)
	errOverflow    = ErrorValue(ErrOverflow.msg)
	errSyntax      = ErrorValue(ErrSyntax.msg)
	errNoSuchKey   = ErrorValue(ErrNoSuchKey.msg)
	errDBIndex     = ErrorValue(ErrDBIndex.msg)
	errStringLimit = ErrorValue(ErrStringTooLong.msg)

	errNotPositive        = errValue(ErrNotPositive)
	errIndexOutOfRange    = errValue(ErrIndexOutOfRange)
	errNumKeys            = errValue(ErrNumKeys)
	errCountPositive      = errValue(ErrCountPositive)
	errLPosRankZero       = errValue(ErrLPosRankZero)
	errLPosCountNegative  = errValue(ErrLPosCountNegative)
	errLPosMaxLenNegative = errValue(ErrLPosMaxLenNegative)
	errSortNotDouble      = errValue(ErrSortNotDouble)
)

// errArity is the reply for a wrong number of arguments.
func errArity(name string) Value {
	return ErrorValue("ERR wrong number of arguments for '" + strings.ToLower(name) + "' command")
}

// errValue turns an *Error into its reply.
func errValue(e *Error) Value { return ErrorValue(e.msg) }
