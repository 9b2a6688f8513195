package embedis

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/embedis/embedis/internal/deque"
)

// Lists.
//
// A list value is a *list: a ring-buffer deque of strings (internal/deque),
// so pushes and pops at both ends and LINDEX/LSET are O(1), and LINSERT or
// a removal in the middle moves only the shorter side.
//
// Invariants (owned by the executor goroutine):
//   - a stored list is never empty: every command that removes elements
//     deletes the key when the last one goes, as Redis does;
//   - every change calls c.dirty(key) (setObject and del do it; in-place
//     changes call it themselves), which is where WATCH, blocked clients
//     and keyspace events hook in.

// list is the value of a key of type list.
type list struct {
	d deque.Deque[string]
}

// encoding is what OBJECT ENCODING reports for a list. Redis 7.0 reports
// "quicklist" for every list, however small: the listpack encoding for
// small lists (list-max-listpack-size) arrived in Redis 7.2, and 7.0.15
// answers "quicklist" even for a one-element list.
func (l *list) encoding() string { return "quicklist" }

// clone returns an independent copy of the list (for COPY). The strings are
// immutable and shared.
func (l *list) clone() *list { return &list{d: *l.d.Clone()} }

func (l *list) cloneObject() any { return l.clone() }

// len returns the number of elements.
func (l *list) len() int { return l.d.Len() }

// checkInvariants reports a broken list invariant (for the store's
// invariant check; hook: the lead calls it from checkInvariants for
// typeList entries).
func (l *list) checkInvariants() error {
	if l.len() == 0 {
		return errors.New("empty list stored")
	}
	return nil
}

// ListSide names an end of a list: the head (ListLeft) or the tail
// (ListRight), as LMOVE's LEFT and RIGHT arguments do.
type ListSide uint8

// The two ends of a list.
const (
	// ListLeft is the head: index 0, where LPUSH and LPOP work.
	ListLeft ListSide = iota
	// ListRight is the tail: index -1, where RPUSH and RPOP work.
	ListRight
)

// String returns the Redis keyword of the side: "left" or "right".
func (s ListSide) String() string {
	if s == ListRight {
		return "right"
	}
	return "left"
}

// The keyspace events of the list commands.
var (
	evLPush   = keyEvent{classList, "lpush"}
	evRPush   = keyEvent{classList, "rpush"}
	evLPop    = keyEvent{classList, "lpop"}
	evRPop    = keyEvent{classList, "rpop"}
	evLSet    = keyEvent{classList, "lset"}
	evLInsert = keyEvent{classList, "linsert"}
	evLTrim   = keyEvent{classList, "ltrim"}
	evLRem    = keyEvent{classList, "lrem"}
)

// ---- typed methods ----

// LPush inserts the values at the head of the list at key, creating the
// list when the key does not exist, and returns the new length (LPUSH).
// The values are inserted one after the other, so the last one ends up
// first. ErrWrongType when the key holds another type.
func (d *DB) LPush(ctx context.Context, key string, values ...string) (int64, error) {
	return asInt(d.pushArgs(ctx, "lpush", key, values))
}

// pushArgs runs a push command; one or two values fit the pooled request's
// argument array, so the common single push allocates no argument slice.
func (d *DB) pushArgs(ctx context.Context, cmd, key string, values []string) (Value, error) {
	switch len(values) {
	case 1:
		return d.execArgs(ctx, cmd, key, values[0])
	case 2:
		return d.execArgs(ctx, cmd, key, values[0], values[1])
	}
	return d.exec(ctx, append([]string{cmd, key}, values...))
}

// RPush appends the values at the tail of the list at key, creating the
// list when the key does not exist, and returns the new length (RPUSH).
func (d *DB) RPush(ctx context.Context, key string, values ...string) (int64, error) {
	return asInt(d.pushArgs(ctx, "rpush", key, values))
}

// LPushX is LPush that only acts when the list exists; it returns 0 and
// creates nothing when the key does not exist (LPUSHX).
func (d *DB) LPushX(ctx context.Context, key string, values ...string) (int64, error) {
	return asInt(d.pushArgs(ctx, "lpushx", key, values))
}

// RPushX is RPush that only acts when the list exists (RPUSHX).
func (d *DB) RPushX(ctx context.Context, key string, values ...string) (int64, error) {
	return asInt(d.pushArgs(ctx, "rpushx", key, values))
}

// LPop removes and returns the first element of the list at key, or Nil
// when the key does not exist (LPOP). A list whose last element is popped
// is deleted.
func (d *DB) LPop(ctx context.Context, key string) (string, error) {
	return asString(d.execArgs(ctx, "lpop", key))
}

// RPop removes and returns the last element of the list at key, or Nil
// when the key does not exist (RPOP).
func (d *DB) RPop(ctx context.Context, key string) (string, error) {
	return asString(d.execArgs(ctx, "rpop", key))
}

// LPopCount removes and returns up to count elements from the head of the
// list at key (LPOP key count), or Nil when the key does not exist. A
// negative count is ErrNotPositive.
func (d *DB) LPopCount(ctx context.Context, key string, count int64) ([]string, error) {
	return asStrings(d.execArgs(ctx, "lpop", key, strconv.FormatInt(count, 10)))
}

// RPopCount removes and returns up to count elements from the tail of the
// list at key, last element first (RPOP key count), or Nil when the key
// does not exist.
func (d *DB) RPopCount(ctx context.Context, key string, count int64) ([]string, error) {
	return asStrings(d.execArgs(ctx, "rpop", key, strconv.FormatInt(count, 10)))
}

// LLen returns the length of the list at key, 0 when the key does not
// exist (LLEN).
func (d *DB) LLen(ctx context.Context, key string) (int64, error) {
	return asInt(d.execArgs(ctx, "llen", key))
}

// LIndex returns the element at index of the list at key (LINDEX).
// Negative indexes count from the tail (-1 is the last element). Nil when
// the key does not exist or the index is out of range.
func (d *DB) LIndex(ctx context.Context, key string, index int64) (string, error) {
	return asString(d.execArgs(ctx, "lindex", key, strconv.FormatInt(index, 10)))
}

// LSet replaces the element at index of the list at key (LSET).
// ErrNoSuchKey when the key does not exist, ErrIndexOutOfRange when the
// index is outside the list.
func (d *DB) LSet(ctx context.Context, key string, index int64, value string) error {
	return asOK(d.execArgs(ctx, "lset", key, strconv.FormatInt(index, 10), value))
}

// LInsertBefore inserts value just before the first element equal to pivot
// in the list at key and returns the new length (LINSERT BEFORE); -1 when
// pivot is not in the list, 0 when the key does not exist.
func (d *DB) LInsertBefore(ctx context.Context, key, pivot, value string) (int64, error) {
	return asInt(d.exec(ctx, []string{"linsert", key, "before", pivot, value}))
}

// LInsertAfter inserts value just after the first element equal to pivot
// (LINSERT AFTER); results as for LInsertBefore.
func (d *DB) LInsertAfter(ctx context.Context, key, pivot, value string) (int64, error) {
	return asInt(d.exec(ctx, []string{"linsert", key, "after", pivot, value}))
}

// LRange returns the elements from start to stop, both inclusive, of the
// list at key (LRANGE). Negative indexes count from the tail; out-of-range
// indexes are clamped, so LRange(ctx, key, 0, -1) returns the whole list.
// A missing key gives an empty slice.
func (d *DB) LRange(ctx context.Context, key string, start, stop int64) ([]string, error) {
	return asStrings(d.execArgs(ctx, "lrange", key, strconv.FormatInt(start, 10), strconv.FormatInt(stop, 10)))
}

// LTrim keeps only the elements from start to stop, both inclusive, of the
// list at key (LTRIM), with LRange's index rules; the key is deleted when
// nothing remains.
func (d *DB) LTrim(ctx context.Context, key string, start, stop int64) error {
	return asOK(d.execArgs(ctx, "ltrim", key, strconv.FormatInt(start, 10), strconv.FormatInt(stop, 10)))
}

// LRem removes elements equal to value from the list at key and returns how
// many it removed (LREM): with count > 0 the first count matches from the
// head, with count < 0 the first -count matches from the tail, with 0 all.
func (d *DB) LRem(ctx context.Context, key string, count int64, value string) (int64, error) {
	return asInt(d.execArgs(ctx, "lrem", key, strconv.FormatInt(count, 10), value))
}

// LPosOptions are the options of LPos and LPosCount. The zero value finds
// the first match, scanning the whole list.
type LPosOptions struct {
	// Rank picks which match counts as the first: 2 skips the first match,
	// -1 starts from the tail (the last match), -2 the one before it, and
	// so on (LPOS RANK). 0 means 1.
	Rank int64
	// MaxLen, when positive, compares at most this many elements from the
	// starting end (LPOS MAXLEN). 0 scans the whole list.
	MaxLen int64
}

func (o LPosOptions) args(cmd []string) []string {
	if o.Rank != 0 {
		cmd = append(cmd, "rank", strconv.FormatInt(o.Rank, 10))
	}
	if o.MaxLen != 0 {
		cmd = append(cmd, "maxlen", strconv.FormatInt(o.MaxLen, 10))
	}
	return cmd
}

// LPos returns the index (counted from the head) of the first element equal
// to element in the list at key, or Nil when there is none (LPOS).
func (d *DB) LPos(ctx context.Context, key, element string, opts LPosOptions) (int64, error) {
	return asInt(d.exec(ctx, opts.args([]string{"lpos", key, element})))
}

// LPosCount returns the indexes of up to count elements equal to element in
// the list at key (LPOS ... COUNT); count 0 returns every match. The result
// is empty, not Nil, when there is no match or no key. With a negative Rank
// the indexes come in the order found, from the tail.
func (d *DB) LPosCount(ctx context.Context, key, element string, count int64, opts LPosOptions) ([]int64, error) {
	v, err := d.exec(ctx, opts.args([]string{"lpos", key, element, "count", strconv.FormatInt(count, 10)}))
	if err != nil {
		return nil, err
	}
	if v.kind == KindError {
		return nil, v.Err()
	}
	out := make([]int64, len(v.elems))
	for i, e := range v.elems {
		out[i] = e.num
	}
	return out, nil
}

// LMove atomically pops an element from the from side of the list at src
// and pushes it at the to side of the list at dst, creating dst when
// needed, and returns the element (LMOVE). Nil when src does not exist.
// src and dst may be the same key, which rotates the list.
func (d *DB) LMove(ctx context.Context, src, dst string, from, to ListSide) (string, error) {
	return asString(d.execArgs(ctx, "lmove", src, dst, from.String(), to.String()))
}

// RPopLPush is LMove(ctx, src, dst, ListRight, ListLeft) (RPOPLPUSH).
func (d *DB) RPopLPush(ctx context.Context, src, dst string) (string, error) {
	return asString(d.execArgs(ctx, "rpoplpush", src, dst))
}

// LMPop pops up to count elements (count 0 means 1) from the side of the
// first non-empty list among keys, and returns that list's key and the
// elements in the order popped (LMPOP). Nil when none of the keys exists.
func (d *DB) LMPop(ctx context.Context, side ListSide, count int64, keys ...string) (key string, values []string, err error) {
	args := make([]string, 0, len(keys)+5)
	args = append(args, "lmpop", strconv.Itoa(len(keys)))
	args = append(args, keys...)
	args = append(args, side.String())
	if count != 0 {
		args = append(args, "count", strconv.FormatInt(count, 10))
	}
	return asKeyValues(d.exec(ctx, args))
}

// timeoutArg formats a blocking command's timeout as Redis's seconds
// argument: 0 (wait without limit) stays "0"; a timeout below a
// millisecond waits one millisecond, as Redis rounds up.
func timeoutArg(timeout time.Duration) string {
	return strconv.FormatFloat(timeout.Seconds(), 'f', -1, 64)
}

// BLPop pops the first element of the first non-empty list among keys
// and returns that key and the element (BLPOP). When every list is empty
// it waits until a push makes one of them non-empty (callers waiting on a
// key are served in the order they came), until timeout passes (0: no
// limit; the timeout is measured on the store's clock), or until ctx
// ends. Nil when the timeout passed; ctx's error when ctx ended first, and
// then no element was popped for this call.
func (d *DB) BLPop(ctx context.Context, timeout time.Duration, keys ...string) (key, value string, err error) {
	return d.bpop(ctx, "blpop", timeout, keys)
}

// BRPop is BLPop popping the last element (BRPOP).
func (d *DB) BRPop(ctx context.Context, timeout time.Duration, keys ...string) (key, value string, err error) {
	return d.bpop(ctx, "brpop", timeout, keys)
}

func (d *DB) bpop(ctx context.Context, cmd string, timeout time.Duration, keys []string) (string, string, error) {
	args := make([]string, 0, len(keys)+2)
	args = append(args, cmd)
	args = append(args, keys...)
	args = append(args, timeoutArg(timeout))
	vals, err := asStrings(d.exec(ctx, args))
	if err != nil {
		return "", "", err
	}
	return vals[0], vals[1], nil
}

// BLMove is LMove that waits, as BLPop does, while src does not exist
// (BLMOVE). Nil when the timeout passed.
func (d *DB) BLMove(ctx context.Context, src, dst string, from, to ListSide, timeout time.Duration) (string, error) {
	return asString(d.exec(ctx, []string{"blmove", src, dst, from.String(), to.String(), timeoutArg(timeout)}))
}

// BRPopLPush is BLMove(ctx, src, dst, ListRight, ListLeft, timeout)
// (BRPOPLPUSH).
func (d *DB) BRPopLPush(ctx context.Context, src, dst string, timeout time.Duration) (string, error) {
	return asString(d.execArgs(ctx, "brpoplpush", src, dst, timeoutArg(timeout)))
}

// BLMPop is LMPop that waits, as BLPop does, while every list is empty
// (BLMPOP). Nil when the timeout passed.
func (d *DB) BLMPop(ctx context.Context, timeout time.Duration, side ListSide, count int64, keys ...string) (key string, values []string, err error) {
	args := make([]string, 0, len(keys)+6)
	args = append(args, "blmpop", timeoutArg(timeout), strconv.Itoa(len(keys)))
	args = append(args, keys...)
	args = append(args, side.String())
	if count != 0 {
		args = append(args, "count", strconv.FormatInt(count, 10))
	}
	return asKeyValues(d.exec(ctx, args))
}

// asKeyValues converts the [key, [values...]] reply of LMPOP (and of
// ZMPOP-style commands) to Go values; Nil for the nil reply.
func asKeyValues(v Value, err error) (string, []string, error) {
	if err != nil {
		return "", nil, err
	}
	switch v.kind {
	case KindError:
		return "", nil, v.Err()
	case KindNull, KindNullArray:
		return "", nil, Nil
	}
	if len(v.elems) != 2 {
		return "", nil, &Error{msg: "embedis: unexpected reply shape " + v.kind.String()}
	}
	vals, err := asStrings(v.elems[1], nil)
	return v.elems[0].Str(), vals, err
}

// ---- commands ----

func init() {
	register(
		&command{name: "lpush", arity: -3, flags: flagWrite | flagDenyOOM | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "list", "fast"}, handler: cmdLPush},
		&command{name: "rpush", arity: -3, flags: flagWrite | flagDenyOOM | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "list", "fast"}, handler: cmdRPush},
		&command{name: "lpushx", arity: -3, flags: flagWrite | flagDenyOOM | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "list", "fast"}, handler: cmdLPushX},
		&command{name: "rpushx", arity: -3, flags: flagWrite | flagDenyOOM | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "list", "fast"}, handler: cmdRPushX},
		&command{name: "lpop", arity: -2, flags: flagWrite | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "list", "fast"}, handler: cmdLPop},
		&command{name: "rpop", arity: -2, flags: flagWrite | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "list", "fast"}, handler: cmdRPop},
		&command{name: "llen", arity: 2, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "list", "fast"}, handler: cmdLLen},
		&command{name: "lindex", arity: 3, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "list", "slow"}, handler: cmdLIndex},
		&command{name: "lset", arity: 4, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "list", "slow"}, handler: cmdLSet},
		&command{name: "linsert", arity: 5, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "list", "slow"}, handler: cmdLInsert},
		&command{name: "lrange", arity: 4, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "list", "slow"}, handler: cmdLRange},
		&command{name: "ltrim", arity: 4, flags: flagWrite, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "list", "slow"}, handler: cmdLTrim},
		&command{name: "lrem", arity: 4, flags: flagWrite, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "list", "slow"}, handler: cmdLRem},
		&command{name: "lpos", arity: -3, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "list", "slow"}, handler: cmdLPos},
		&command{name: "lmove", arity: 5, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: 2, step: 1, acl: []string{"write", "list", "slow"}, handler: cmdLMove},
		&command{name: "rpoplpush", arity: 3, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: 2, step: 1, acl: []string{"write", "list", "slow"}, handler: cmdRPopLPush},
		// LMPOP's keys follow numkeys (COMMAND INFO reports 0 0 0 and a
		// keynum key spec); lmpopKeys extracts them.
		&command{name: "lmpop", arity: -4, flags: flagWrite | flagMovableKeys, acl: []string{"write", "list", "slow"}, handler: cmdLMPop},
		// The blocking commands (blocking.go has the machinery).
		&command{name: "blpop", arity: -3, flags: flagWrite | flagNoScript | flagBlocking, firstKey: 1, lastKey: -2, step: 1, acl: []string{"write", "list", "slow", "blocking"}, handler: cmdBLPop},
		&command{name: "brpop", arity: -3, flags: flagWrite | flagNoScript | flagBlocking, firstKey: 1, lastKey: -2, step: 1, acl: []string{"write", "list", "slow", "blocking"}, handler: cmdBRPop},
		&command{name: "blmove", arity: 6, flags: flagWrite | flagDenyOOM | flagNoScript | flagBlocking, firstKey: 1, lastKey: 2, step: 1, acl: []string{"write", "list", "slow", "blocking"}, handler: cmdBLMove},
		&command{name: "brpoplpush", arity: 4, flags: flagWrite | flagDenyOOM | flagNoScript | flagBlocking, firstKey: 1, lastKey: 2, step: 1, acl: []string{"write", "list", "slow", "blocking"}, handler: cmdBRPopLPush},
		&command{name: "blmpop", arity: -5, flags: flagWrite | flagBlocking | flagMovableKeys, acl: []string{"write", "list", "slow", "blocking"}, handler: cmdBLMPop},
	)
}

// readList returns the list at key for a read (counting a keyspace hit or
// miss), nil when the key does not exist; ok is false when the key holds
// another type.
func (c *call) readList(key string) (l *list, ok bool) {
	return valueAt[*list](c, key, typeList, false)
}

// writeList is readList for a command about to modify the list: it does not
// count keyspace hits, as Redis's lookupKeyWrite does not.
func (c *call) writeList(key string) (l *list, ok bool) {
	return valueAt[*list](c, key, typeList, true)
}

// listPush pushes vals one by one at the head (left) or tail of the list at
// key and returns the new length. A missing key is created unless
// onlyExisting (LPUSHX, RPUSHX), in which case 0 is returned.
func (c *call) listPush(key string, vals []string, left, onlyExisting bool) Value {
	l, ok := c.writeList(key)
	if !ok {
		return errWrongType
	}
	if l == nil {
		if onlyExisting {
			return IntValue(0)
		}
		l = &list{}
		c.addObject(key, typeList, l)
	}
	for _, v := range vals {
		if left {
			l.d.PushFront(v)
		} else {
			l.d.PushBack(v)
		}
	}
	if left {
		c.changed(key, evLPush)
	} else {
		c.changed(key, evRPush)
	}
	return IntValue(int64(l.len()))
}

func cmdLPush(c *call) Value  { return c.listPush(c.args[1], c.args[2:], true, false) }
func cmdRPush(c *call) Value  { return c.listPush(c.args[1], c.args[2:], false, false) }
func cmdLPushX(c *call) Value { return c.listPush(c.args[1], c.args[2:], true, true) }
func cmdRPushX(c *call) Value { return c.listPush(c.args[1], c.args[2:], false, true) }

// listPop removes up to count elements from the head (left) or tail of l,
// the non-empty list stored at key, and returns them in the order popped.
// It deletes key when the list empties and records the write. It is the
// executor-side pop shared by LPOP, RPOP, LMPOP and the blocking pops
// (BLPOP, BRPOP, BLMPOP serve a ready key through it).
func (c *call) listPop(key string, l *list, left bool, count int64) []string {
	n := int(min(count, int64(l.len())))
	out := make([]string, n)
	for i := range out {
		if left {
			out[i] = l.d.PopFront()
		} else {
			out[i] = l.d.PopBack()
		}
	}
	if left {
		c.changed(key, evLPop)
	} else {
		c.changed(key, evRPop)
	}
	c.delIfEmpty(key, l.len())
	return out
}

// delIfEmpty deletes key when the collection it holds has emptied, as
// Redis does after the command's own event: Redis never keeps an empty
// collection.
func (c *call) delIfEmpty(key string, n int) {
	if n == 0 {
		c.del(key)
	}
}

// popGeneric is LPOP and RPOP: key [count].
func (c *call) popGeneric(left bool) Value {
	if len(c.args) > 3 {
		return errArity(c.cmd.name)
	}
	hasCount := len(c.args) == 3
	count := int64(1)
	if hasCount {
		n, ok := parseInt(c.args[2])
		if !ok || n < 0 {
			return errNotPositive
		}
		count = n
	}
	l, ok := c.writeList(c.args[1])
	if !ok {
		return errWrongType
	}
	if l == nil {
		if hasCount {
			return nullArrayValue
		}
		return nullValue
	}
	if count == 0 {
		return ArrayValue()
	}
	vals := c.listPop(c.args[1], l, left, count)
	if !hasCount {
		return BulkValue(vals[0])
	}
	return bulkStrings(vals)
}

func cmdLPop(c *call) Value { return c.popGeneric(true) }
func cmdRPop(c *call) Value { return c.popGeneric(false) }

// bpopReady is the non-blocking half of BLPOP and BRPOP: it pops one
// element from the head (left) or tail of the first existing list among
// keys and replies [key, element]. served is false when no key exists (the
// caller then blocks); a key of another type before the first list stops
// with WRONGTYPE, as in Redis.
func (c *call) bpopReady(keys []string, left bool) (reply Value, served bool) {
	for _, k := range keys {
		l, ok := c.writeList(k)
		if !ok {
			return errWrongType, true
		}
		if l == nil {
			continue
		}
		v := c.listPop(k, l, left, 1)
		// BLPOP and BRPOP propagate as the pop they did, immediate or
		// served later: a replay must not block.
		c.propagateAs(popName(left), k)
		return ArrayValue(BulkValue(k), BulkValue(v[0])), true
	}
	return nullArrayValue, false
}

// lmpopArgs are the parsed arguments of LMPOP and BLMPOP after numkeys.
type lmpopArgs struct {
	keys  []string
	left  bool
	count int64
}

// parseLMPop parses "numkeys key [key ...] LEFT|RIGHT [COUNT count]"
// starting at args[i] (i is 1 for LMPOP, 2 for BLMPOP, whose timeout
// comes first), with Redis 7.0's checks in its order and its error texts.
func parseLMPop(args []string, i int) (lmpopArgs, Value, bool) {
	numkeys, ok := parseInt(args[i])
	if !ok || numkeys < 1 {
		return lmpopArgs{}, errNumKeys, false
	}
	// The side must follow the keys: numkeys counts more keys than there
	// are arguments left otherwise.
	if numkeys > int64(len(args)-i-2) {
		return lmpopArgs{}, errSyntax, false
	}
	a := lmpopArgs{keys: args[i+1 : i+1+int(numkeys)], count: -1}
	j := i + 1 + int(numkeys)
	left, ok := parseSide(args[j])
	if !ok {
		return lmpopArgs{}, errSyntax, false
	}
	a.left = left
	for j++; j < len(args); j++ {
		if a.count == -1 && eqFold(args[j], "count") && j+1 < len(args) {
			j++
			n, ok := parseInt(args[j])
			if !ok || n < 1 {
				return lmpopArgs{}, errCountPositive, false
			}
			a.count = n
			continue
		}
		return lmpopArgs{}, errSyntax, false
	}
	if a.count == -1 {
		a.count = 1
	}
	return a, Value{}, true
}

// lmpop pops from the first existing list among a.keys and replies
// [key, [elements...]]. served is false when no key exists, the reply then
// being the nil array: BLMPOP blocks in that case instead of replying.
// A key of another type before the first list stops with WRONGTYPE.
func (c *call) lmpop(a lmpopArgs) (reply Value, served bool) {
	for _, k := range a.keys {
		l, ok := c.writeList(k)
		if !ok {
			return errWrongType, true
		}
		if l == nil {
			continue
		}
		vals := c.listPop(k, l, a.left, a.count)
		// LMPOP and BLMPOP propagate as LPOP or RPOP of the key with the
		// count popped.
		c.propagateAs(popName(a.left), k, strconv.Itoa(len(vals)))
		return ArrayValue(BulkValue(k), bulkStrings(vals)), true
	}
	return nullArrayValue, false
}

func cmdLMPop(c *call) Value {
	a, errv, ok := parseLMPop(c.args, 1)
	if !ok {
		return errv
	}
	reply, _ := c.lmpop(a)
	return reply
}

// lmpopKeys returns the argument positions of the keys of an LMPOP call
// (numkeysIdx 1) or BLMPOP call (numkeysIdx 2), for COMMAND GETKEYS and key
// extraction; nil when numkeys is invalid.
func lmpopKeys(args []string, numkeysIdx int) []int {
	return numkeysKeys(args, numkeysIdx, 0)
}

// parseSide parses LEFT or RIGHT, in any case.
func parseSide(s string) (left, ok bool) {
	switch {
	case eqFold(s, "left"):
		return true, true
	case eqFold(s, "right"):
		return false, true
	}
	return false, false
}

// lmoveGeneric pops an element from the fromLeft side of the list at src
// and pushes it at the toLeft side of the list at dst, and replies with the
// element; the nil reply when src does not exist. dst's type is checked
// before anything is popped, so a WRONGTYPE destination loses nothing. It
// is the executor-side move shared by LMOVE, RPOPLPUSH, BLMOVE and
// BRPOPLPUSH. src == dst rotates the list.
func (c *call) lmoveGeneric(src, dst string, fromLeft, toLeft bool) Value {
	sl, ok := c.writeList(src)
	if !ok {
		return errWrongType
	}
	if sl == nil {
		return nullValue
	}
	dl, ok := c.writeList(dst)
	if !ok {
		return errWrongType
	}
	var v string
	if fromLeft {
		v = sl.d.PopFront()
	} else {
		v = sl.d.PopBack()
	}
	if dl == nil {
		dl = &list{}
		c.addObject(dst, typeList, dl)
	}
	// Events in Redis's order: the push to dst, then the pop from src.
	if toLeft {
		dl.d.PushFront(v)
		c.changed(dst, evLPush)
	} else {
		dl.d.PushBack(v)
		c.changed(dst, evRPush)
	}
	if fromLeft {
		c.changed(src, evLPop)
	} else {
		c.changed(src, evRPop)
	}
	// The source is deleted only now: when src == dst the element went
	// back into the same list, which is therefore not empty.
	c.delIfEmpty(src, sl.len())
	return BulkValue(v)
}

func cmdLMove(c *call) Value {
	from, ok := parseSide(c.args[3])
	if !ok {
		return errSyntax
	}
	to, ok := parseSide(c.args[4])
	if !ok {
		return errSyntax
	}
	return c.lmoveGeneric(c.args[1], c.args[2], from, to)
}

func cmdRPopLPush(c *call) Value { return c.lmoveGeneric(c.args[1], c.args[2], false, true) }

// ---- blocking pops ----

// bpopGeneric is BLPOP and BRPOP: key [key ...] timeout. It pops from the
// first non-empty list, or blocks on every key; the reply when served or
// timed out has the shape of the immediate one.
func (c *call) bpopGeneric(left bool) Value {
	deadline, errv, ok := c.blockDeadline(c.args[len(c.args)-1])
	if !ok {
		return errv
	}
	keys := c.args[1 : len(c.args)-1]
	if v, served := c.bpopReady(keys, left); served {
		return v
	}
	return c.block(keys, deadline, nullArrayValue, func(c *call, key string) (Value, bool) {
		v, served := c.bpopReady([]string{key}, left)
		if v.kind == KindError {
			return Value{}, false // no longer a list: keep waiting, as Redis
		}
		return v, served
	})
}

func cmdBLPop(c *call) Value { return c.bpopGeneric(true) }
func cmdBRPop(c *call) Value { return c.bpopGeneric(false) }

// blmoveGeneric is BLMOVE and BRPOPLPUSH: LMOVE that blocks on src while
// it does not exist. The timeout is parsed after the sides, as in Redis.
func (c *call) blmoveGeneric(src, dst string, fromLeft, toLeft bool, timeout string) Value {
	deadline, errv, ok := c.blockDeadline(timeout)
	if !ok {
		return errv
	}
	sl, ok := c.writeList(src)
	if !ok {
		return errWrongType
	}
	if sl != nil {
		return c.blmoveServe(src, dst, fromLeft, toLeft)
	}
	if !c.mayBlock() {
		// Redis 7.0 answers a nil bulk where it may not block (MULTI),
		// but a nil array when a wait times out.
		return nullValue
	}
	return c.block([]string{src}, deadline, nullArrayValue, func(c *call, key string) (Value, bool) {
		// A source that is (still or again) not a list keeps the caller
		// waiting, as in Redis; a destination of another type is
		// answered with WRONGTYPE, and the element stays in src.
		if l, ok := c.writeList(key); !ok || l == nil {
			return Value{}, false
		}
		return c.blmoveServe(src, dst, fromLeft, toLeft), true
	})
}

// blmoveServe is the move of BLMOVE and BRPOPLPUSH, immediate or served
// later, propagated as LMOVE or RPOPLPUSH: a replay must not block.
func (c *call) blmoveServe(src, dst string, fromLeft, toLeft bool) Value {
	v := c.lmoveGeneric(src, dst, fromLeft, toLeft)
	if c.cmd.name == "brpoplpush" {
		c.propagateAs("RPOPLPUSH", src, dst)
	} else {
		c.propagateAs("LMOVE", src, dst, sideName(fromLeft), sideName(toLeft))
	}
	return v
}

// popName is the pop command of a side, as propagated.
func popName(left bool) string {
	if left {
		return "LPOP"
	}
	return "RPOP"
}

// sideName is LMOVE's keyword for a side, as propagated.
func sideName(left bool) string {
	if left {
		return "LEFT"
	}
	return "RIGHT"
}

func cmdBLMove(c *call) Value {
	from, ok := parseSide(c.args[3])
	if !ok {
		return errSyntax
	}
	to, ok := parseSide(c.args[4])
	if !ok {
		return errSyntax
	}
	return c.blmoveGeneric(c.args[1], c.args[2], from, to, c.args[5])
}

func cmdBRPopLPush(c *call) Value {
	return c.blmoveGeneric(c.args[1], c.args[2], false, true, c.args[3])
}

// cmdBLMPop is BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT n].
func cmdBLMPop(c *call) Value {
	a, errv, ok := parseLMPop(c.args, 2)
	if !ok {
		return errv
	}
	deadline, errv, ok := c.blockDeadline(c.args[1])
	if !ok {
		return errv
	}
	if v, served := c.lmpop(a); served {
		return v
	}
	return c.block(a.keys, deadline, nullArrayValue, func(c *call, key string) (Value, bool) {
		b := a
		b.keys = []string{key}
		v, served := c.lmpop(b)
		if v.kind == KindError {
			return Value{}, false // no longer a list: keep waiting
		}
		return v, served
	})
}

func cmdLLen(c *call) Value {
	l, ok := c.readList(c.args[1])
	if !ok {
		return errWrongType
	}
	if l == nil {
		return IntValue(0)
	}
	return IntValue(int64(l.len()))
}

// listIndex converts a Redis list index (negative from the tail) to a
// position in a list of length n; ok is false when it is out of range.
func listIndex(idx int64, n int) (int, bool) {
	if idx < 0 {
		idx += int64(n)
	}
	if idx < 0 || idx >= int64(n) {
		return 0, false
	}
	return int(idx), true
}

func cmdLIndex(c *call) Value {
	// Redis looks the key up before it parses the index.
	l, ok := c.readList(c.args[1])
	if !ok {
		return errWrongType
	}
	if l == nil {
		return nullValue
	}
	idx, errv, ok := intArg(c.args[2])
	if !ok {
		return errv
	}
	i, ok := listIndex(idx, l.len())
	if !ok {
		return nullValue
	}
	return BulkValue(l.d.At(i))
}

func cmdLSet(c *call) Value {
	l, ok := c.writeList(c.args[1])
	if !ok {
		return errWrongType
	}
	if l == nil {
		return errNoSuchKey
	}
	idx, errv, ok := intArg(c.args[2])
	if !ok {
		return errv
	}
	i, ok := listIndex(idx, l.len())
	if !ok {
		return errIndexOutOfRange
	}
	l.d.Set(i, c.args[3])
	c.changed(c.args[1], evLSet)
	return okValue
}

func cmdLInsert(c *call) Value {
	var after bool
	switch {
	case eqFold(c.args[2], "after"):
		after = true
	case eqFold(c.args[2], "before"):
	default:
		return errSyntax
	}
	key, pivot := c.args[1], c.args[3]
	l, ok := c.writeList(key)
	if !ok {
		return errWrongType
	}
	if l == nil {
		return IntValue(0)
	}
	at := -1
	l.d.Range(0, l.len(), false, func(i int, v string) bool {
		if v == pivot {
			at = i
			return false
		}
		return true
	})
	if at < 0 {
		return IntValue(-1)
	}
	if after {
		at++
	}
	l.d.Insert(at, c.args[4])
	c.changed(key, evLInsert)
	return IntValue(int64(l.len()))
}

// listRange normalizes LRANGE/LTRIM indexes for a list of length n into a
// half-open range [from, to); from == to means empty.
func listRange(start, stop int64, n int) (from, to int) {
	ln := int64(n)
	if start < 0 {
		start += ln
	}
	if stop < 0 {
		stop += ln
	}
	if start < 0 {
		start = 0
	}
	if start > stop || start >= ln {
		return 0, 0
	}
	if stop >= ln {
		stop = ln - 1
	}
	return int(start), int(stop) + 1
}

func cmdLRange(c *call) Value {
	start, errv, ok := intArg(c.args[2])
	if !ok {
		return errv
	}
	stop, errv, ok := intArg(c.args[3])
	if !ok {
		return errv
	}
	l, ok := c.readList(c.args[1])
	if !ok {
		return errWrongType
	}
	if l == nil {
		return ArrayValue()
	}
	from, to := listRange(start, stop, l.len())
	if from == to {
		return ArrayValue()
	}
	vs := make([]Value, 0, to-from)
	l.d.Range(from, to, false, func(_ int, v string) bool {
		vs = append(vs, BulkValue(v))
		return true
	})
	return ArrayValue(vs...)
}

func cmdLTrim(c *call) Value {
	start, errv, ok := intArg(c.args[2])
	if !ok {
		return errv
	}
	stop, errv, ok := intArg(c.args[3])
	if !ok {
		return errv
	}
	key := c.args[1]
	l, ok := c.writeList(key)
	if !ok {
		return errWrongType
	}
	if l == nil {
		return okValue
	}
	from, to := listRange(start, stop, l.len())
	if from == to {
		l.d.TrimBack(l.len())
	} else {
		l.d.TrimBack(l.len() - to)
		l.d.TrimFront(from)
	}
	c.changed(key, evLTrim)
	c.delIfEmpty(key, l.len())
	return okValue
}

func cmdLRem(c *call) Value {
	count, errv, ok := intArg(c.args[2])
	if !ok {
		return errv
	}
	key, elem := c.args[1], c.args[3]
	l, ok := c.writeList(key)
	if !ok {
		return errWrongType
	}
	if l == nil {
		return IntValue(0)
	}
	var removed int
	switch {
	case count >= 0:
		// From the head: the first count matches (all when 0).
		var n int64
		removed = l.d.Keep(func(_ int, v string) bool {
			if v == elem && (count == 0 || n < count) {
				n++
				return false
			}
			return true
		})
	default:
		// From the tail: find the index of the -count-th match from the
		// tail, then drop every match from there on.
		cut, seen := 0, int64(0)
		l.d.Range(0, l.len(), true, func(i int, v string) bool {
			if v == elem {
				seen++
				if seen == -count {
					cut = i
					return false
				}
			}
			return true
		})
		removed = l.d.Keep(func(i int, v string) bool { return i < cut || v != elem })
	}
	if removed > 0 {
		c.changed(key, evLRem)
		c.delIfEmpty(key, l.len())
	}
	return IntValue(int64(removed))
}

func cmdLPos(c *call) Value {
	rank, count, maxlen := int64(1), int64(-1), int64(0)
	for j := 3; j < len(c.args); j++ {
		opt, more := c.args[j], j+1 < len(c.args)
		switch {
		case eqFold(opt, "rank") && more:
			j++
			n, errv, ok := intArg(c.args[j])
			if !ok {
				return errv
			}
			if n == 0 {
				return errLPosRankZero
			}
			rank = n
		case eqFold(opt, "count") && more:
			j++
			n, ok := parseInt(c.args[j])
			if !ok || n < 0 {
				return errLPosCountNegative
			}
			count = n
		case eqFold(opt, "maxlen") && more:
			j++
			n, ok := parseInt(c.args[j])
			if !ok || n < 0 {
				return errLPosMaxLenNegative
			}
			maxlen = n
		default:
			return errSyntax
		}
	}
	fromTail := false
	if rank < 0 {
		// For rank == MinInt64 the negation wraps to itself, as it does in
		// Redis 7.0: every match then satisfies "matches >= rank" below,
		// so the first match from the tail is returned, and with COUNT the
		// wrapped arithmetic never reaches the count (all matches).
		rank = -rank
		fromTail = true
	}
	l, ok := c.readList(c.args[1])
	if !ok {
		return errWrongType
	}
	if l == nil {
		if count != -1 {
			return ArrayValue()
		}
		return nullValue
	}
	elem, n := c.args[2], l.len()
	var found []Value
	var index, matches int64
	result := int64(-1)
	l.d.Range(0, n, fromTail, func(i int, v string) bool {
		if maxlen != 0 && index >= maxlen {
			return false
		}
		index++
		if v != elem {
			return true
		}
		matches++
		if matches < rank {
			return true
		}
		if count == -1 {
			result = int64(i)
			return false
		}
		found = append(found, IntValue(int64(i)))
		return count == 0 || matches-rank+1 < count
	})
	if count != -1 {
		return ArrayValue(found...)
	}
	if result < 0 {
		return nullValue
	}
	return IntValue(result)
}
