package embedis

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/embedis/embedis/internal/dict"
	"github.com/embedis/embedis/internal/zindex"
)

// Sorted sets.
//
// A sorted set is two structures kept in step: a member→score table (a
// dict.Dict, so ZSCORE is O(1) and ZSCAN has Redis's cursor guarantee) and
// an order-statistic index (internal/zindex, a skiplist with spans) of the
// (score, member) pairs, so ZRANK, ZADD, ZREM and finding where a ZRANGE
// starts cost O(log n), and a range of M elements O(log n + M). Members
// with equal scores are ordered bytewise, as in Redis.
//
// OBJECT ENCODING reports what Redis 7.0 would use: "listpack" while the
// set has at most zset-max-listpack-entries (128) members, none longer
// than zset-max-listpack-value (64) bytes, and "skiplist" once either limit
// has been crossed by an insertion; the conversion is one-way, except that
// the STORE commands build a fresh set whose encoding depends only on its
// final contents. The representation is the same for both; the encoding
// decides only what Redis-visible behaviour differs: a listpack ZSCAN
// returns everything in one call, and a listpack stores a score of -0 as 0.
//
// Invariants (checked by checkInvariants): the table and the index hold the same
// pairs; no score is NaN; an empty sorted set is never stored (every
// command that removes the last member deletes the key).

// Defaults of the listpack thresholds (redis.conf).
const (
	defaultZsetMaxListpackEntries = 128
	defaultZsetMaxListpackValue   = 64
)

// zsetMaxListpackEntries is zset-max-listpack-entries. The lead connects it
// to CONFIG; until then it is Redis's default.
func (s *Store) zsetMaxListpackEntries() int { return s.limits.zsetMaxListpackEntries }

// zsetMaxListpackValue is zset-max-listpack-value.
func (s *Store) zsetMaxListpackValue() int { return s.limits.zsetMaxListpackValue }

// zindexSeed seeds the level generator of every index: the shape of an
// index (and so its cost) is replayable; its answers never depend on it.
const zindexSeed = 0x5eed_2e70

// zsetType is the value of a sorted-set key. Owned by the executor.
type zsetType struct {
	dict dict.Dict[float64] // member → score
	zsl  *zindex.List       // (score, member) order with ranks
	// skiplist records that the set has crossed a listpack limit, so
	// OBJECT ENCODING reports "skiplist" from then on.
	skiplist bool
}

func newZset() *zsetType { return &zsetType{zsl: zindex.New(zindexSeed)} }

// encoding is the encoding OBJECT ENCODING reports.
func (z *zsetType) encoding() string {
	if z.skiplist {
		return "skiplist"
	}
	return "listpack"
}

func (z *zsetType) len() int { return z.zsl.Len() }

// score returns member's score.
func (z *zsetType) score(member string) (float64, bool) {
	p := z.dict.Get(member)
	if p == nil {
		return 0, false
	}
	return *p, true
}

// store normalizes a score as the encoding stores it: a listpack keeps the
// text "0" for -0.
func (z *zsetType) store(score float64) float64 {
	if score == 0 && !z.skiplist {
		return 0
	}
	return score
}

// insert adds a member that is not in the set, converting the encoding
// first when the set would cross a listpack limit.
func (z *zsetType) insert(s *Store, member string, score float64) {
	if !z.skiplist && (z.len()+1 > s.zsetMaxListpackEntries() || len(member) > s.zsetMaxListpackValue()) {
		z.skiplist = true
	}
	score = z.store(score)
	p, _ := z.dict.Put(member)
	*p = score
	z.zsl.Insert(score, member)
}

// update changes the score of a member in the set.
func (z *zsetType) update(member string, old, score float64) {
	score = z.store(score)
	*z.dict.Get(member) = score
	z.zsl.UpdateScore(old, member, score)
}

// remove deletes member and reports whether it was there.
func (z *zsetType) remove(member string) bool {
	score, ok := z.dict.Delete(member)
	if !ok {
		return false
	}
	z.zsl.Delete(score, member)
	return true
}

// firstInLex and lastInLex find where a lex range starts as Redis does
// for the set's encoding: the two differ only when scores differ, where
// ZRANGEBYLEX's answer is unspecified but deterministic.
func (z *zsetType) firstInLex(r zindex.LexRange) *zindex.Node {
	if z.skiplist {
		return z.zsl.FirstInLexRange(r)
	}
	return z.zsl.FirstInLexRangeScan(r)
}

func (z *zsetType) lastInLex(r zindex.LexRange) *zindex.Node {
	if z.skiplist {
		return z.zsl.LastInLexRange(r)
	}
	return z.zsl.LastInLexRangeScan(r)
}

// deleteRange removes n members from 0-based rank start on, calling fn
// (when not nil) with each in order. O(log n + removed).
func (z *zsetType) deleteRange(start, n int, fn func(x *zindex.Node)) {
	z.zsl.DeleteRangeByRank(start, n, func(x *zindex.Node) {
		z.dict.Delete(x.Member)
		if fn != nil {
			fn(x)
		}
	})
}

// clone returns an independent copy with the same encoding (for COPY).
func (z *zsetType) clone() *zsetType {
	n := newZset()
	n.skiplist = z.skiplist
	for x := z.zsl.First(); x != nil; x = x.Next() {
		p, _ := n.dict.Put(x.Member)
		*p = x.Score
		n.zsl.Insert(x.Score, x.Member)
	}
	return n
}

// zsetFromPairs builds the result of ZUNIONSTORE, ZINTERSTORE and
// ZDIFFSTORE: a fresh set whose encoding depends only on its contents, as
// Redis converts the result once it is complete.
func zsetFromPairs(s *Store, pairs []Z) *zsetType {
	z := newZset()
	if len(pairs) > s.zsetMaxListpackEntries() {
		z.skiplist = true
	}
	for _, p := range pairs {
		if len(p.Member) > s.zsetMaxListpackValue() {
			z.skiplist = true
		}
	}
	for _, p := range pairs {
		score := z.store(p.Score)
		q, _ := z.dict.Put(p.Member)
		*q = score
		z.zsl.Insert(score, p.Member)
	}
	return z
}

// check verifies the invariants of one sorted set.
func (z *zsetType) check() error {
	if err := z.zsl.Check(); err != nil {
		return err
	}
	if z.dict.Len() != z.zsl.Len() {
		return fmt.Errorf("zset: table has %d members, index %d", z.dict.Len(), z.zsl.Len())
	}
	if z.len() == 0 {
		return errors.New("zset: empty sorted set stored")
	}
	for x := z.zsl.First(); x != nil; x = x.Next() {
		p := z.dict.Get(x.Member)
		if p == nil || *p != x.Score || math.Signbit(*p) != math.Signbit(x.Score) {
			return fmt.Errorf("zset: member %q has another score in the table", x.Member)
		}
		if !z.skiplist && x.Score == 0 && math.Signbit(x.Score) {
			return errors.New("zset: listpack set stores -0")
		}
	}
	return nil
}

// checkZsets checks every sorted set of the store. It runs on the
// executor; the zset tests call it on cleanup, and checkInvariants should
// call it too (invariants.go is outside this group's files).
func (s *Store) checkZsets() error {
	for _, d := range s.dbs {
		var err error
		d.keys.All(func(key string, e *entry) bool {
			if e.typ != typeZSet {
				return true
			}
			z, ok := e.obj.(*zsetType)
			if !ok {
				err = fmt.Errorf("db %d: zset key %q holds %T", d.id, key, e.obj)
				return false
			}
			if cerr := z.check(); cerr != nil {
				err = fmt.Errorf("db %d: key %q: %w", d.id, key, cerr)
				return false
			}
			return true
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// zsetSetView is what a plain set offers to ZUNION, ZINTER, ZDIFF,
// ZINTERCARD and their STORE forms, which read a set as a sorted set whose
// members all score 1. The sets group's *setType has these methods (len,
// has, at), so a typeSet entry's value satisfies it with no glue; should
// that change, the sets group adapts zsetReadSet.
type zsetSetView interface {
	len() int
	has(member string) bool
	at(i int) string // 0 <= i < len(), each member once
}

// zsetReadSet returns the view of a typeSet entry's value. It is a
// variable so the sets group can replace it if its value type does not
// satisfy zsetSetView directly.
var zsetReadSet = func(obj any) (zsetSetView, bool) {
	v, ok := obj.(zsetSetView)
	return v, ok
}

// ---- typed methods ----

// Z is a member of a sorted set with its score.
type Z struct {
	// Member is the member's name (a binary-safe string).
	Member string
	// Score is the member's score, which orders the set (ties by Member).
	Score float64
}

// ZAddOptions are ZADD's flags. The zero value adds new members and
// updates the scores of existing ones.
type ZAddOptions struct {
	// NX only adds new members; XX only updates existing ones. Both
	// together are refused with ErrZAddXXNX.
	NX, XX bool
	// GT and LT update an existing member only when the new score is
	// greater (GT) or less (LT) than the current one; new members are
	// still added (unless XX). Either with NX, or both, is refused with
	// ErrZAddGTLTNX.
	GT, LT bool
	// CH makes ZAdd count changed members (added or updated) rather than
	// only added ones.
	CH bool
}

func (o ZAddOptions) args(key string, incr bool, n int) []string {
	args := make([]string, 2, 9+2*n)
	args[0], args[1] = "zadd", key
	if o.NX {
		args = append(args, "nx")
	}
	if o.XX {
		args = append(args, "xx")
	}
	if o.GT {
		args = append(args, "gt")
	}
	if o.LT {
		args = append(args, "lt")
	}
	if o.CH {
		args = append(args, "ch")
	}
	if incr {
		args = append(args, "incr")
	}
	return args
}

func formatScoreArg(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "+inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// ZAdd adds members with their scores to the sorted set at key, creating
// it when missing, and returns the number of members added (or changed,
// with CH) (ZADD). A NaN score is refused with ErrNotFloat; ErrWrongType
// when key holds another type.
func (d *DB) ZAdd(ctx context.Context, key string, opts ZAddOptions, members ...Z) (int64, error) {
	args := opts.args(key, false, len(members))
	for _, m := range members {
		args = append(args, formatScoreArg(m.Score), m.Member)
	}
	return asInt(d.exec(ctx, args))
}

// ZAddIncr adds incr to member's score as ZADD ... INCR does, with the
// conditions of opts, and returns the new score; Nil when a condition (NX,
// XX, GT, LT) prevented the change. ErrZSetNaN when the sum is NaN (inf
// plus -inf).
func (d *DB) ZAddIncr(ctx context.Context, key string, opts ZAddOptions, member string, incr float64) (float64, error) {
	args := opts.args(key, true, 1)
	args = append(args, formatScoreArg(incr), member)
	return asFloat(d.exec(ctx, args))
}

// ZIncrBy adds incr to member's score, adding the member with score incr
// when missing, and returns the new score (ZINCRBY). ErrZSetNaN when the
// sum is NaN.
func (d *DB) ZIncrBy(ctx context.Context, key string, incr float64, member string) (float64, error) {
	return asFloat(d.execArgs(ctx, "zincrby", key, formatScoreArg(incr), member))
}

// ZCard returns the number of members, 0 when key is missing (ZCARD).
func (d *DB) ZCard(ctx context.Context, key string) (int64, error) {
	return asInt(d.execArgs(ctx, "zcard", key))
}

// ZCount returns the number of members with a score between min and max
// (ZCOUNT). The bounds are Redis's: a number, "-inf"/"+inf", and a "("
// prefix for an exclusive bound, e.g. ZCount(ctx, "k", "(1", "+inf").
// ErrMinMaxNotFloat for a malformed bound.
func (d *DB) ZCount(ctx context.Context, key, min, max string) (int64, error) {
	return asInt(d.execArgs(ctx, "zcount", key, min, max))
}

// ZLexCount returns the number of members between min and max in bytewise
// order (ZLEXCOUNT), for a set whose members all have the same score.
// Bounds are "-", "+", or a member prefixed with "[" (inclusive) or "("
// (exclusive). ErrMinMaxNotString for a malformed bound.
func (d *DB) ZLexCount(ctx context.Context, key, min, max string) (int64, error) {
	return asInt(d.execArgs(ctx, "zlexcount", key, min, max))
}

// ZScore returns member's score, or Nil when the member or the key does
// not exist (ZSCORE).
func (d *DB) ZScore(ctx context.Context, key, member string) (float64, error) {
	return asFloat(d.execArgs(ctx, "zscore", key, member))
}

// ZMScore returns the scores of the members, nil where a member does not
// exist (ZMSCORE).
func (d *DB) ZMScore(ctx context.Context, key string, members ...string) ([]*float64, error) {
	args := append([]string{"zmscore", key}, members...)
	v, err := d.exec(ctx, args)
	if err != nil {
		return nil, err
	}
	if v.kind == KindError {
		return nil, v.Err()
	}
	out := make([]*float64, len(v.elems))
	for i, e := range v.elems {
		if !e.IsNull() {
			f, err := asFloat(e, nil)
			if err != nil {
				return nil, err
			}
			out[i] = &f
		}
	}
	return out, nil
}

// ZRank returns member's 0-based position in ascending order, or Nil when
// the member or the key does not exist (ZRANK). O(log n).
func (d *DB) ZRank(ctx context.Context, key, member string) (int64, error) {
	return asInt(d.execArgs(ctx, "zrank", key, member))
}

// ZRevRank returns member's 0-based position in descending order, or Nil
// (ZREVRANK).
func (d *DB) ZRevRank(ctx context.Context, key, member string) (int64, error) {
	return asInt(d.execArgs(ctx, "zrevrank", key, member))
}

// ZRem removes the members and returns how many existed (ZREM); the key
// is deleted when it empties.
func (d *DB) ZRem(ctx context.Context, key string, members ...string) (int64, error) {
	return asInt(d.exec(ctx, append([]string{"zrem", key}, members...)))
}

// ZRangeOptions select the kind of range of ZRange, ZRangeWithScores and
// ZRangeStore. The zero value is a range by index, ascending.
type ZRangeOptions struct {
	// ByScore interprets start and stop as score bounds ("1", "(1",
	// "-inf", "+inf"); ByLex as member bounds ("-", "+", "[a", "(a").
	// Both together are a syntax error.
	ByScore, ByLex bool
	// Rev reverses the order; with ByScore or ByLex, start is then the
	// upper bound and stop the lower, as in Redis.
	Rev bool
	// Offset and Count page a ByScore or ByLex range (LIMIT offset count):
	// skip Offset elements, then return at most Count. LIMIT is sent when
	// either is non-zero; a Count of zero or less then means no limit.
	Offset, Count int64
}

func (o ZRangeOptions) args(args []string, withScores bool) []string {
	if o.ByScore {
		args = append(args, "byscore")
	}
	if o.ByLex {
		args = append(args, "bylex")
	}
	if o.Rev {
		args = append(args, "rev")
	}
	if o.Offset != 0 || o.Count != 0 {
		count := o.Count
		if count <= 0 {
			count = -1
		}
		args = append(args, "limit", strconv.FormatInt(o.Offset, 10), strconv.FormatInt(count, 10))
	}
	if withScores {
		args = append(args, "withscores")
	}
	return args
}

// ZRange returns the members of the range from start to stop (ZRANGE):
// by default 0-based indexes, inclusive, negative ones counting from the
// end (-1 is the last); see ZRangeOptions for ranges by score and by
// member. A missing key gives an empty slice. O(log n + M) for M members
// returned.
func (d *DB) ZRange(ctx context.Context, key, start, stop string, opts ZRangeOptions) ([]string, error) {
	return asStrings(d.exec(ctx, opts.args([]string{"zrange", key, start, stop}, false)))
}

// ZRangeWithScores is ZRange returning the scores too (ZRANGE ...
// WITHSCORES). With ByLex it is refused, as in Redis.
func (d *DB) ZRangeWithScores(ctx context.Context, key, start, stop string, opts ZRangeOptions) ([]Z, error) {
	return asZs(d.exec(ctx, opts.args([]string{"zrange", key, start, stop}, true)))
}

// ZRangeStore stores the range of src that ZRange would return in dst,
// replacing it (and deleting dst when the range is empty), and returns the
// number of members stored (ZRANGESTORE).
func (d *DB) ZRangeStore(ctx context.Context, dst, src, start, stop string, opts ZRangeOptions) (int64, error) {
	return asInt(d.exec(ctx, opts.args([]string{"zrangestore", dst, src, start, stop}, false)))
}

// asZs converts a WITHSCORES reply, in either shape (flat member, score
// pairs, or an array of [member, score] arrays), to a slice of Z.
func asZs(v Value, err error) ([]Z, error) {
	if err != nil {
		return nil, err
	}
	switch v.kind {
	case KindError:
		return nil, v.Err()
	case KindNull, KindNullArray:
		return nil, Nil
	}
	if len(v.elems) > 0 && v.elems[0].kind == KindArray {
		out := make([]Z, len(v.elems))
		for i, p := range v.elems {
			f, err := asFloat(p.elems[1], nil)
			if err != nil {
				return nil, err
			}
			out[i] = Z{Member: p.elems[0].Str(), Score: f}
		}
		return out, nil
	}
	out := make([]Z, len(v.elems)/2)
	for i := range out {
		f, err := asFloat(v.elems[2*i+1], nil)
		if err != nil {
			return nil, err
		}
		out[i] = Z{Member: v.elems[2*i].Str(), Score: f}
	}
	return out, nil
}

// ZPopMin removes and returns up to count members with the lowest scores,
// lowest first (ZPOPMIN key count); an empty slice when key is missing.
// a negative count is refused ("ERR value is out of range, must be
// positive").
func (d *DB) ZPopMin(ctx context.Context, key string, count int64) ([]Z, error) {
	return asZs(d.execArgs(ctx, "zpopmin", key, strconv.FormatInt(count, 10)))
}

// ZPopMax removes and returns up to count members with the highest
// scores, highest first (ZPOPMAX key count).
func (d *DB) ZPopMax(ctx context.Context, key string, count int64) ([]Z, error) {
	return asZs(d.execArgs(ctx, "zpopmax", key, strconv.FormatInt(count, 10)))
}

// ZMPop pops up to count members (lowest scores, or highest with max)
// from the first of keys that holds a non-empty sorted set, and returns
// that key and the members (ZMPOP); Nil when none does. count must be at
// least 1.
func (d *DB) ZMPop(ctx context.Context, keys []string, max bool, count int64) (string, []Z, error) {
	return d.zmpop(ctx, []string{"zmpop"}, keys, max, count)
}

// zmpop runs ZMPOP or BZMPOP (head is the command and, for BZMPOP, its
// timeout) and converts the [key, [[member, score] ...]] reply.
func (d *DB) zmpop(ctx context.Context, head []string, keys []string, max bool, count int64) (string, []Z, error) {
	args := make([]string, 0, len(head)+len(keys)+4)
	args = append(args, head...)
	args = append(args, strconv.Itoa(len(keys)))
	args = append(args, keys...)
	if max {
		args = append(args, "max")
	} else {
		args = append(args, "min")
	}
	args = append(args, "count", strconv.FormatInt(count, 10))
	v, err := d.exec(ctx, args)
	if err != nil {
		return "", nil, err
	}
	switch v.kind {
	case KindError:
		return "", nil, v.Err()
	case KindNull, KindNullArray:
		return "", nil, Nil
	}
	zs, err := asZs(v.elems[1], nil)
	return v.elems[0].Str(), zs, err
}

// BZPopMin pops the member with the lowest score from the first
// non-empty sorted set among keys and returns that key and the member
// (BZPOPMIN). When every key is empty it waits, as BLPop does, until a
// write fills one of them, the timeout passes (Nil; 0 waits without
// limit) or ctx ends.
func (d *DB) BZPopMin(ctx context.Context, timeout time.Duration, keys ...string) (string, Z, error) {
	return d.bzpop(ctx, "bzpopmin", timeout, keys)
}

// BZPopMax is BZPopMin popping the highest score (BZPOPMAX).
func (d *DB) BZPopMax(ctx context.Context, timeout time.Duration, keys ...string) (string, Z, error) {
	return d.bzpop(ctx, "bzpopmax", timeout, keys)
}

func (d *DB) bzpop(ctx context.Context, cmd string, timeout time.Duration, keys []string) (string, Z, error) {
	args := make([]string, 0, len(keys)+2)
	args = append(args, cmd)
	args = append(args, keys...)
	args = append(args, timeoutArg(timeout))
	v, err := d.exec(ctx, args)
	if err != nil {
		return "", Z{}, err
	}
	switch v.kind {
	case KindError:
		return "", Z{}, v.Err()
	case KindNull, KindNullArray:
		return "", Z{}, Nil
	}
	if len(v.elems) != 3 {
		return "", Z{}, &Error{msg: "embedis: unexpected reply shape " + v.kind.String()}
	}
	f, err := asFloat(v.elems[2], nil)
	return v.elems[0].Str(), Z{Member: v.elems[1].Str(), Score: f}, err
}

// BZMPop is ZMPop that waits, as BZPopMin does, while every key is empty
// (BZMPOP). Nil when the timeout passed.
func (d *DB) BZMPop(ctx context.Context, timeout time.Duration, keys []string, max bool, count int64) (string, []Z, error) {
	return d.zmpop(ctx, []string{"bzmpop", timeoutArg(timeout)}, keys, max, count)
}

// ZRandMember returns count distinct random members (ZRANDMEMBER key
// count): all of them when count exceeds the size; with a negative count,
// -count members that may repeat. A missing key gives an empty slice.
func (d *DB) ZRandMember(ctx context.Context, key string, count int64) ([]string, error) {
	return asStrings(d.execArgs(ctx, "zrandmember", key, strconv.FormatInt(count, 10)))
}

// ZRandMemberWithScores is ZRandMember returning the scores too.
func (d *DB) ZRandMemberWithScores(ctx context.Context, key string, count int64) ([]Z, error) {
	return asZs(d.execArgs(ctx, "zrandmember", key, strconv.FormatInt(count, 10), "withscores"))
}

// ZRemRangeByRank removes the members from index start to stop inclusive
// (negative indexes count from the end) and returns how many it removed
// (ZREMRANGEBYRANK).
func (d *DB) ZRemRangeByRank(ctx context.Context, key string, start, stop int64) (int64, error) {
	return asInt(d.execArgs(ctx, "zremrangebyrank", key, strconv.FormatInt(start, 10), strconv.FormatInt(stop, 10)))
}

// ZRemRangeByScore removes the members with a score between min and max
// (bounds as in ZCount) and returns how many (ZREMRANGEBYSCORE).
func (d *DB) ZRemRangeByScore(ctx context.Context, key, min, max string) (int64, error) {
	return asInt(d.execArgs(ctx, "zremrangebyscore", key, min, max))
}

// ZRemRangeByLex removes the members between min and max (bounds as in
// ZLexCount) and returns how many (ZREMRANGEBYLEX).
func (d *DB) ZRemRangeByLex(ctx context.Context, key, min, max string) (int64, error) {
	return asInt(d.execArgs(ctx, "zremrangebylex", key, min, max))
}

// ZStoreOptions are the options of the union and intersection commands.
// The zero value weighs every input 1 and sums the scores.
type ZStoreOptions struct {
	// Weights, when not empty, multiply each input's scores (one per
	// key, in order). A plain set's members score 1.
	Weights []float64
	// Aggregate is how the scores of a member found in several inputs
	// combine: "SUM" (the default when empty), "MIN" or "MAX".
	Aggregate string
}

func (o ZStoreOptions) args(args []string, withScores bool) []string {
	if len(o.Weights) > 0 {
		args = append(args, "weights")
		for _, w := range o.Weights {
			args = append(args, formatScoreArg(w))
		}
	}
	if o.Aggregate != "" {
		args = append(args, "aggregate", o.Aggregate)
	}
	if withScores {
		args = append(args, "withscores")
	}
	return args
}

func setOpArgs(name, dst string, keys []string) []string {
	args := make([]string, 0, len(keys)+8)
	args = append(args, name)
	if dst != "" {
		args = append(args, dst)
	}
	args = append(args, strconv.Itoa(len(keys)))
	return append(args, keys...)
}

// ZUnion returns the union of the sorted sets (and plain sets) at keys,
// ordered by combined score (ZUNION). Missing keys count as empty.
func (d *DB) ZUnion(ctx context.Context, keys []string, opts ZStoreOptions) ([]string, error) {
	return asStrings(d.exec(ctx, opts.args(setOpArgs("zunion", "", keys), false)))
}

// ZUnionWithScores is ZUnion with the combined scores.
func (d *DB) ZUnionWithScores(ctx context.Context, keys []string, opts ZStoreOptions) ([]Z, error) {
	return asZs(d.exec(ctx, opts.args(setOpArgs("zunion", "", keys), true)))
}

// ZUnionStore stores the union in dst, replacing it (deleting it when the
// union is empty), and returns its size (ZUNIONSTORE).
func (d *DB) ZUnionStore(ctx context.Context, dst string, keys []string, opts ZStoreOptions) (int64, error) {
	return asInt(d.exec(ctx, opts.args(setOpArgs("zunionstore", dst, keys), false)))
}

// ZInter returns the members present in every one of keys (ZINTER).
func (d *DB) ZInter(ctx context.Context, keys []string, opts ZStoreOptions) ([]string, error) {
	return asStrings(d.exec(ctx, opts.args(setOpArgs("zinter", "", keys), false)))
}

// ZInterWithScores is ZInter with the combined scores.
func (d *DB) ZInterWithScores(ctx context.Context, keys []string, opts ZStoreOptions) ([]Z, error) {
	return asZs(d.exec(ctx, opts.args(setOpArgs("zinter", "", keys), true)))
}

// ZInterStore stores the intersection in dst and returns its size
// (ZINTERSTORE).
func (d *DB) ZInterStore(ctx context.Context, dst string, keys []string, opts ZStoreOptions) (int64, error) {
	return asInt(d.exec(ctx, opts.args(setOpArgs("zinterstore", dst, keys), false)))
}

// ZInterCard returns the size of the intersection (ZINTERCARD), stopping
// at limit when limit > 0.
func (d *DB) ZInterCard(ctx context.Context, keys []string, limit int64) (int64, error) {
	args := setOpArgs("zintercard", "", keys)
	if limit != 0 {
		args = append(args, "limit", strconv.FormatInt(limit, 10))
	}
	return asInt(d.exec(ctx, args))
}

// ZDiff returns the members of the first key's set that are in none of
// the others (ZDIFF).
func (d *DB) ZDiff(ctx context.Context, keys ...string) ([]string, error) {
	return asStrings(d.exec(ctx, setOpArgs("zdiff", "", keys)))
}

// ZDiffWithScores is ZDiff with the scores.
func (d *DB) ZDiffWithScores(ctx context.Context, keys ...string) ([]Z, error) {
	return asZs(d.exec(ctx, append(setOpArgs("zdiff", "", keys), "withscores")))
}

// ZDiffStore stores the difference in dst and returns its size
// (ZDIFFSTORE).
func (d *DB) ZDiffStore(ctx context.Context, dst string, keys ...string) (int64, error) {
	return asInt(d.exec(ctx, setOpArgs("zdiffstore", dst, keys)))
}

// ZScanOptions are the options of ZScan and ZScanAll.
type ZScanOptions struct {
	// Match, when not empty, returns only members matching this
	// glob-style pattern (ZSCAN ... MATCH).
	Match string
	// Count is a hint of how much work one call does; zero means Redis's
	// default of 10. A small (listpack) set is returned whole in one call.
	Count int64
}

// ZScan does one step of an incremental iteration over a sorted set
// (ZSCAN): start with cursor 0 and call again with the cursor returned
// until it is 0. A member present for the whole iteration is returned at
// least once, possibly more.
func (d *DB) ZScan(ctx context.Context, key string, cursor uint64, opts ZScanOptions) (members []Z, next uint64, err error) {
	args := []string{"zscan", key, strconv.FormatUint(cursor, 10)}
	if opts.Match != "" {
		args = append(args, "match", opts.Match)
	}
	if opts.Count != 0 {
		args = append(args, "count", strconv.FormatInt(opts.Count, 10))
	}
	items, next, err := asScanPage(d.exec(ctx, args))
	if err != nil {
		return nil, 0, err
	}
	members, err = asZs(items, nil)
	return members, next, err
}

// ZScanAll iterates over a sorted set with ZScan until the cursor returns
// to 0, yielding each member; on failure it yields one error and stops.
// Other commands may run between steps; a member present for the whole
// iteration is yielded at least once.
//
//	for m, err := range s.ZScanAll(ctx, "board", embedis.ZScanOptions{}) { ... }
func (d *DB) ZScanAll(ctx context.Context, key string, opts ZScanOptions) iter.Seq2[Z, error] {
	return scanSeq(func(cursor uint64) ([]Z, uint64, error) { return d.ZScan(ctx, key, cursor, opts) })
}

// ---- commands ----

func init() {
	zr := func(extra ...string) []string { return append([]string{"read", "sortedset"}, extra...) }
	zw := func(extra ...string) []string { return append([]string{"write", "sortedset"}, extra...) }
	register(
		&command{name: "zadd", arity: -4, flags: flagWrite | flagDenyOOM | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: zw("fast"), handler: cmdZAdd},
		&command{name: "zincrby", arity: 4, flags: flagWrite | flagDenyOOM | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: zw("fast"), handler: cmdZIncrBy},
		&command{name: "zcard", arity: 2, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: zr("fast"), handler: cmdZCard},
		&command{name: "zcount", arity: 4, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: zr("fast"), handler: cmdZCount},
		&command{name: "zlexcount", arity: 4, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: zr("fast"), handler: cmdZLexCount},
		&command{name: "zscore", arity: 3, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: zr("fast"), handler: cmdZScore},
		&command{name: "zmscore", arity: -3, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: zr("fast"), handler: cmdZMScore},
		&command{name: "zrank", arity: 3, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: zr("fast"), handler: cmdZRank},
		&command{name: "zrevrank", arity: 3, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: zr("fast"), handler: cmdZRevRank},
		&command{name: "zrem", arity: -3, flags: flagWrite | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: zw("fast"), handler: cmdZRem},
		&command{name: "zrange", arity: -4, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: zr("slow"), handler: cmdZRange},
		&command{name: "zrangestore", arity: -5, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: 2, step: 1, acl: zw("slow"), handler: cmdZRangeStore},
		&command{name: "zrangebyscore", arity: -4, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: zr("slow"), handler: cmdZRangeByScore},
		&command{name: "zrevrangebyscore", arity: -4, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: zr("slow"), handler: cmdZRevRangeByScore},
		&command{name: "zrangebylex", arity: -4, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: zr("slow"), handler: cmdZRangeByLex},
		&command{name: "zrevrangebylex", arity: -4, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: zr("slow"), handler: cmdZRevRangeByLex},
		&command{name: "zrevrange", arity: -4, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: zr("slow"), handler: cmdZRevRange},
		&command{name: "zremrangebyrank", arity: 4, flags: flagWrite, firstKey: 1, lastKey: 1, step: 1, acl: zw("slow"), handler: cmdZRemRangeByRank},
		&command{name: "zremrangebyscore", arity: 4, flags: flagWrite, firstKey: 1, lastKey: 1, step: 1, acl: zw("slow"), handler: cmdZRemRangeByScore},
		&command{name: "zremrangebylex", arity: 4, flags: flagWrite, firstKey: 1, lastKey: 1, step: 1, acl: zw("slow"), handler: cmdZRemRangeByLex},
		&command{name: "zpopmin", arity: -2, flags: flagWrite | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: zw("fast"), handler: cmdZPopMin},
		&command{name: "zpopmax", arity: -2, flags: flagWrite | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: zw("fast"), handler: cmdZPopMax},
		&command{name: "zmpop", arity: -4, flags: flagWrite | flagMovableKeys, acl: zw("slow"), handler: cmdZMPop},
		// The blocking pops (blocking.go has the machinery).
		&command{name: "bzpopmin", arity: -3, flags: flagWrite | flagNoScript | flagBlocking | flagFast, firstKey: 1, lastKey: -2, step: 1, acl: zw("fast", "blocking"), handler: cmdBZPopMin},
		&command{name: "bzpopmax", arity: -3, flags: flagWrite | flagNoScript | flagBlocking | flagFast, firstKey: 1, lastKey: -2, step: 1, acl: zw("fast", "blocking"), handler: cmdBZPopMax},
		&command{name: "bzmpop", arity: -5, flags: flagWrite | flagBlocking | flagMovableKeys, acl: zw("slow", "blocking"), handler: cmdBZMPop},
		&command{name: "zrandmember", arity: -2, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: zr("slow"), handler: cmdZRandMember},
		&command{name: "zscan", arity: -3, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: zr("slow"), handler: cmdZScan},
		&command{name: "zunion", arity: -3, flags: flagReadonly | flagMovableKeys, acl: zr("slow"), handler: cmdZUnion},
		&command{name: "zinter", arity: -3, flags: flagReadonly | flagMovableKeys, acl: zr("slow"), handler: cmdZInter},
		&command{name: "zdiff", arity: -3, flags: flagReadonly | flagMovableKeys, acl: zr("slow"), handler: cmdZDiff},
		&command{name: "zintercard", arity: -3, flags: flagReadonly | flagMovableKeys, acl: zr("slow"), handler: cmdZInterCard},
		&command{name: "zunionstore", arity: -4, flags: flagWrite | flagDenyOOM | flagMovableKeys, firstKey: 1, lastKey: 1, step: 1, acl: zw("slow"), handler: cmdZUnionStore},
		&command{name: "zinterstore", arity: -4, flags: flagWrite | flagDenyOOM | flagMovableKeys, firstKey: 1, lastKey: 1, step: 1, acl: zw("slow"), handler: cmdZInterStore},
		&command{name: "zdiffstore", arity: -4, flags: flagWrite | flagDenyOOM | flagMovableKeys, firstKey: 1, lastKey: 1, step: 1, acl: zw("slow"), handler: cmdZDiffStore},
	)
}

// Error replies of the group, built once. The texts of the last group are
// shared with the list and set commands, whose branches declare them as
// sentinels (ErrNotPositive, ErrNumKeys, ErrCountPositive, ErrLimitNegative,
// ErrValueOutOfRange, ErrCountOutOfRange); errors.Is matches them by text
// either way, and at merge these can point at those sentinels.
var (
	errZMinMaxFloat  = errValue(ErrMinMaxNotFloat)
	errZMinMaxString = errValue(ErrMinMaxNotString)
	errZNaN          = errValue(ErrZSetNaN)

	errZPositive      = ErrorValue("ERR value is out of range, must be positive")
	errZNumKeys       = ErrorValue("ERR numkeys should be greater than 0")
	errZCountPositive = ErrorValue("ERR count should be greater than 0")
	errZLimitNegative = ErrorValue("ERR LIMIT can't be negative")
	errZOutOfRange    = ErrorValue("ERR value is out of range")
	errZCountRange    = ErrorValue("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
)

// lookupZset returns the sorted set at key for a read (nil when missing);
// ok is false when key holds another type.
func (c *call) lookupZset(key string) (z *zsetType, ok bool) {
	return valueAt[*zsetType](c, key, typeZSet, false)
}

// lookupZsetWrite is lookupZset for a write.
func (c *call) lookupZsetWrite(key string) (z *zsetType, ok bool) {
	return valueAt[*zsetType](c, key, typeZSet, true)
}

// zsetDeleteIfEmpty deletes key when z has no members left: an empty
// sorted set is never stored.
func (c *call) zsetDeleteIfEmpty(key string, z *zsetType) {
	c.delIfEmpty(key, z.len())
}

// The keyspace events of the sorted-set commands.
var (
	evZAdd     = keyEvent{classZSet, "zadd"}
	evZIncr    = keyEvent{classZSet, "zincr"}
	evZRem     = keyEvent{classZSet, "zrem"}
	evZPopMin  = keyEvent{classZSet, "zpopmin"}
	evZPopMax  = keyEvent{classZSet, "zpopmax"}
	evZRangeSt = keyEvent{classZSet, "zrangestore"}
)

// zremrangeEvent is the event of ZREMRANGEBYRANK, -SCORE and -LEX.
func zremrangeEvent(kind zsetRangeKind) keyEvent {
	switch kind {
	case zrangeRank:
		return keyEvent{classZSet, "zremrangebyrank"}
	case zrangeScore:
		return keyEvent{classZSet, "zremrangebyscore"}
	}
	return keyEvent{classZSet, "zremrangebylex"}
}

// Score parsing.

// strtod parses the longest prefix of s that C's strtod would, and returns
// the value, the bytes consumed (0 when nothing converts), and whether the
// value overflowed or underflowed to zero (ERANGE). It accepts leading
// white space, a sign, decimal and hexadecimal numbers, "inf", "infinity"
// and "nan" in any case.
func strtod(s string) (v float64, n int, erange bool) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	start := i
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	body := i
	lower := func(j int) byte {
		if j < len(s) && 'A' <= s[j] && s[j] <= 'Z' {
			return s[j] + 'a' - 'A'
		}
		if j < len(s) {
			return s[j]
		}
		return 0
	}
	hasPrefix := func(j int, w string) bool {
		for k := 0; k < len(w); k++ {
			if lower(j+k) != w[k] {
				return false
			}
		}
		return true
	}
	isDigit := func(j int) bool { return j < len(s) && s[j] >= '0' && s[j] <= '9' }
	isHex := func(j int) bool {
		c := lower(j)
		return j < len(s) && (c >= '0' && c <= '9' || c >= 'a' && c <= 'f')
	}
	switch {
	case hasPrefix(body, "infinity"):
		i = body + 8
	case hasPrefix(body, "inf"):
		i = body + 3
	case hasPrefix(body, "nan"):
		i = body + 3
		if i < len(s) && s[i] == '(' {
			j := i + 1
			for j < len(s) && (isDigit(j) || lower(j) >= 'a' && lower(j) <= 'z' || s[j] == '_') {
				j++
			}
			if j < len(s) && s[j] == ')' {
				i = j + 1
			}
		}
		return math.NaN(), i, false
	case s[body:] != "" && s[body] == '0' && lower(body+1) == 'x' && (isHex(body+2) || lower(body+2) == '.' && isHex(body+3)):
		j := body + 2
		for isHex(j) {
			j++
		}
		if j < len(s) && s[j] == '.' {
			j++
			for isHex(j) {
				j++
			}
		}
		text := s[start:j]
		if lower(j) == 'p' {
			k := j + 1
			if k < len(s) && (s[k] == '+' || s[k] == '-') {
				k++
			}
			if isDigit(k) {
				for isDigit(k) {
					k++
				}
				text = s[start:k]
				j = k
			}
		}
		if !strings.ContainsAny(text, "pP") {
			text += "p0"
		}
		f, err := strconv.ParseFloat(text, 64)
		return f, j, err != nil || (f == 0 && strings.Trim(text[strings.IndexAny(text, "xX")+1:strings.IndexAny(text, "pP")], "0.") != "")
	default:
		j := body
		digits := 0
		for isDigit(j) {
			j++
			digits++
		}
		if j < len(s) && s[j] == '.' {
			j++
			for isDigit(j) {
				j++
				digits++
			}
		}
		if digits == 0 {
			return 0, 0, false
		}
		mant := j
		if lower(j) == 'e' {
			k := j + 1
			if k < len(s) && (s[k] == '+' || s[k] == '-') {
				k++
			}
			if isDigit(k) {
				for isDigit(k) {
					k++
				}
				j = k
			}
		}
		f, err := strconv.ParseFloat(s[start:j], 64)
		if err != nil {
			// Only ErrRange can happen here: overflow to ±Inf.
			return f, j, true
		}
		if f == 0 && strings.Trim(s[body:mant], "0.") != "" {
			return f, j, true // underflow to zero
		}
		return f, j, false
	}
	f, _ := strconv.ParseFloat(s[start:i], 64)
	return f, i, false
}

// zsetParseScore parses a score argument as Redis's getDoubleFromObject:
// the whole argument, no leading space, no NaN, no overflow or underflow
// to zero.
func zsetParseScore(s string) (float64, bool) {
	if s == "" || isSpace(s[0]) {
		return 0, false
	}
	f, n, erange := strtod(s)
	if n != len(s) || math.IsNaN(f) || (erange && (math.IsInf(f, 0) || f == 0)) {
		return 0, false
	}
	return f, true
}

// zsetBoundFloat parses one score bound as zslParseRange does with strtod:
// leading space allowed, parsing stops at a NUL byte, overflow gives
// ±inf, NaN is refused.
func zsetBoundFloat(s string) (float64, bool) {
	f, n, _ := strtod(s)
	if n < len(s) && s[n] != 0 {
		return 0, false
	}
	if math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// zsetParseRange parses the min and max of a score range ("(" prefix for
// an exclusive end).
func zsetParseRange(min, max string) (r zindex.ScoreRange, ok bool) {
	parse := func(s string) (float64, bool, bool) {
		if s != "" && s[0] == '(' {
			f, ok := zsetBoundFloat(s[1:])
			return f, true, ok
		}
		f, ok := zsetBoundFloat(s)
		return f, false, ok
	}
	var ok1, ok2 bool
	r.Min, r.MinEx, ok1 = parse(min)
	r.Max, r.MaxEx, ok2 = parse(max)
	return r, ok1 && ok2
}

// zsetParseLexBound parses "-", "+", "[member" or "(member".
func zsetParseLexBound(s string) (b zindex.LexBound, ok bool) {
	if s == "" {
		return b, false
	}
	switch s[0] {
	case '+', '-':
		if len(s) > 1 && s[1] != 0 {
			return b, false
		}
		if s[0] == '+' {
			b.Inf = 1
		} else {
			b.Inf = -1
		}
		b.Exclusive = true
		return b, true
	case '(':
		return zindex.LexBound{Member: s[1:], Exclusive: true}, true
	case '[':
		return zindex.LexBound{Member: s[1:]}, true
	}
	return b, false
}

func zsetParseLexRange(min, max string) (r zindex.LexRange, ok bool) {
	var ok1, ok2 bool
	r.Min, ok1 = zsetParseLexBound(min)
	r.Max, ok2 = zsetParseLexBound(max)
	return r, ok1 && ok2
}

// Replies.

// zsetPairsReply builds the reply for members with (optionally) scores:
// a flat array member, score, ... for RESP2 (or without scores), and an
// array of [member, score] pairs for RESP3 when nested.
func zsetPairsReply(pairs []Z, withScores, nested bool) Value {
	if !withScores {
		out := make([]Value, len(pairs))
		for i, p := range pairs {
			out[i] = BulkValue(p.Member)
		}
		return ArrayValue(out...)
	}
	if nested {
		out := make([]Value, len(pairs))
		for i, p := range pairs {
			out[i] = ArrayValue(BulkValue(p.Member), DoubleValue(p.Score))
		}
		return ArrayValue(out...)
	}
	out := make([]Value, 0, 2*len(pairs))
	for _, p := range pairs {
		out = append(out, BulkValue(p.Member), DoubleValue(p.Score))
	}
	return ArrayValue(out...)
}

// resp3 reports whether the caller wants RESP3 shapes.
func (c *call) resp3() bool { return c.cl.proto >= 3 }

// ---- ZADD / ZINCRBY ----

// ZADD flags.
const (
	zaddNX = 1 << iota
	zaddXX
	zaddGT
	zaddLT
	zaddCH
	zaddIncr
)

// zaddGeneric is ZADD, and ZINCRBY (flags zaddIncr), as Redis's
// zaddGenericCommand: options, then pairs; every score is parsed before
// anything changes, so a command either runs whole or not at all (an INCR
// whose sum is NaN fails leaving the set as it was).
func zaddGeneric(c *call, flags int) Value {
	key := c.args[1]
	i := 2
options:
	for ; i < len(c.args); i++ {
		o := cstr(c.args[i])
		switch {
		case eqFold(o, "nx"):
			flags |= zaddNX
		case eqFold(o, "xx"):
			flags |= zaddXX
		case eqFold(o, "ch"):
			flags |= zaddCH
		case eqFold(o, "incr"):
			flags |= zaddIncr
		case eqFold(o, "gt"):
			flags |= zaddGT
		case eqFold(o, "lt"):
			flags |= zaddLT
		default:
			break options
		}
	}
	n := len(c.args) - i
	if n == 0 || n%2 != 0 {
		return errSyntax
	}
	n /= 2
	nx, xx, gt, lt, incr := flags&zaddNX != 0, flags&zaddXX != 0, flags&zaddGT != 0, flags&zaddLT != 0, flags&zaddIncr != 0
	if nx && xx {
		return errValue(ErrZAddXXNX)
	}
	if (gt && nx) || (lt && nx) || (gt && lt) {
		return errValue(ErrZAddGTLTNX)
	}
	if incr && n > 1 {
		return errValue(ErrZAddIncrPair)
	}
	scores := make([]float64, n)
	for j := range scores {
		f, ok := zsetParseScore(c.args[i+2*j])
		if !ok {
			return errNotFloat
		}
		scores[j] = f
	}
	e := c.lookupWrite(key)
	if e != nil && e.typ != typeZSet {
		return errWrongType
	}
	var z *zsetType
	if e == nil {
		if xx {
			if incr {
				return nullValue
			}
			return IntValue(0)
		}
		z = newZset()
	} else {
		z = e.obj.(*zsetType)
	}
	var added, updated, processed int64
	var score float64
	var errv Value
	failed := false
	for j := 0; j < n; j++ {
		member := c.args[i+2*j+1]
		r, newScore := z.add(c.s, member, scores[j], flags)
		if r == zaddNaN {
			errv, failed = errZNaN, true
			break
		}
		switch r {
		case zaddAdded:
			added++
		case zaddUpdated:
			updated++
		}
		if r != zaddNop {
			processed++
			score = newScore
		}
	}
	ev := evZAdd
	if incr {
		ev = evZIncr
	}
	switch {
	case e == nil && z.len() > 0:
		c.setObject(key, typeZSet, z, ev)
	case added+updated > 0:
		c.changed(key, ev)
	}
	if failed {
		return errv
	}
	if incr {
		if processed == 0 {
			return nullValue
		}
		return DoubleValue(score)
	}
	if flags&zaddCH != 0 {
		return IntValue(added + updated)
	}
	return IntValue(added)
}

// Results of zsetType.add.
const (
	zaddNop = iota
	zaddAdded
	zaddUpdated
	zaddSame // processed, score unchanged
	zaddNaN
)

// add applies one ZADD pair with its flags, as Redis's zsetAdd, and
// returns what happened and the member's resulting score.
func (z *zsetType) add(s *Store, member string, score float64, flags int) (int, float64) {
	if math.IsNaN(score) {
		return zaddNaN, 0
	}
	cur, exists := z.score(member)
	if exists {
		if flags&zaddNX != 0 {
			return zaddNop, 0
		}
		if flags&zaddIncr != 0 {
			score += cur
			if math.IsNaN(score) {
				return zaddNaN, 0
			}
		}
		if (flags&zaddLT != 0 && score >= cur) || (flags&zaddGT != 0 && score <= cur) {
			return zaddNop, 0
		}
		if score != cur {
			z.update(member, cur, score)
			return zaddUpdated, score
		}
		return zaddSame, score
	}
	if flags&zaddXX != 0 {
		return zaddNop, 0
	}
	z.insert(s, member, score)
	return zaddAdded, score
}

func cmdZAdd(c *call) Value { return zaddGeneric(c, 0) }

func cmdZIncrBy(c *call) Value { return zaddGeneric(c, zaddIncr) }

// ---- simple reads ----

func cmdZCard(c *call) Value {
	z, ok := c.lookupZset(c.args[1])
	if !ok {
		return errWrongType
	}
	if z == nil {
		return IntValue(0)
	}
	return IntValue(int64(z.len()))
}

func cmdZScore(c *call) Value {
	z, ok := c.lookupZset(c.args[1])
	if !ok {
		return errWrongType
	}
	if z == nil {
		return nullValue
	}
	f, found := z.score(c.args[2])
	if !found {
		return nullValue
	}
	return DoubleValue(f)
}

func cmdZMScore(c *call) Value {
	z, ok := c.lookupZset(c.args[1])
	if !ok {
		return errWrongType
	}
	out := make([]Value, len(c.args)-2)
	for i, m := range c.args[2:] {
		out[i] = nullValue
		if z != nil {
			if f, found := z.score(m); found {
				out[i] = DoubleValue(f)
			}
		}
	}
	return ArrayValue(out...)
}

func zrankGeneric(c *call, rev bool) Value {
	z, ok := c.lookupZset(c.args[1])
	if !ok {
		return errWrongType
	}
	if z == nil {
		return nullValue
	}
	f, found := z.score(c.args[2])
	if !found {
		return nullValue
	}
	r := z.zsl.Rank(f, c.args[2])
	if rev {
		r = z.len() - 1 - r
	}
	return IntValue(int64(r))
}

func cmdZRank(c *call) Value    { return zrankGeneric(c, false) }
func cmdZRevRank(c *call) Value { return zrankGeneric(c, true) }

// countBetween returns the number of nodes from first to last inclusive.
func (z *zsetType) countBetween(first, last *zindex.Node) int {
	if first == nil || last == nil {
		return 0
	}
	return z.zsl.Rank(last.Score, last.Member) - z.zsl.Rank(first.Score, first.Member) + 1
}

func cmdZCount(c *call) Value {
	r, ok := zsetParseRange(c.args[2], c.args[3])
	if !ok {
		return errZMinMaxFloat
	}
	z, ok := c.lookupZset(c.args[1])
	if !ok {
		return errWrongType
	}
	if z == nil {
		return IntValue(0)
	}
	return IntValue(int64(z.countBetween(z.zsl.FirstInRange(r), z.zsl.LastInRange(r))))
}

func cmdZLexCount(c *call) Value {
	r, ok := zsetParseLexRange(c.args[2], c.args[3])
	if !ok {
		return errZMinMaxString
	}
	z, ok := c.lookupZset(c.args[1])
	if !ok {
		return errWrongType
	}
	if z == nil {
		return IntValue(0)
	}
	if !z.skiplist {
		// Redis walks a listpack from the first member in range while
		// members stay below the maximum.
		n := 0
		for x := z.firstInLex(r); x != nil && !aboveMaxLex(&r, x.Member); x = x.Next() {
			n++
		}
		return IntValue(int64(n))
	}
	first := z.zsl.FirstInLexRange(r)
	if first == nil {
		return IntValue(0)
	}
	// Redis's skiplist count: from the first member in range to the end,
	// less what lies after the last member in range.
	n := z.len() - z.zsl.Rank(first.Score, first.Member)
	if last := z.zsl.LastInLexRange(r); last != nil {
		n -= z.len() - 1 - z.zsl.Rank(last.Score, last.Member)
	}
	return IntValue(int64(n))
}

// ---- ZREM and ZREMRANGEBY* ----

func cmdZRem(c *call) Value {
	key := c.args[1]
	z, ok := c.lookupZsetWrite(key)
	if !ok {
		return errWrongType
	}
	if z == nil {
		return IntValue(0)
	}
	var n int64
	for _, m := range c.args[2:] {
		if z.remove(m) {
			n++
			if z.len() == 0 {
				break
			}
		}
	}
	if n > 0 {
		c.changed(key, evZRem)
		c.zsetDeleteIfEmpty(key, z)
	}
	return IntValue(n)
}

// zsetRangeKind is how a range's ends are given.
type zsetRangeKind int

const (
	zrangeAuto zsetRangeKind = iota
	zrangeRank
	zrangeScore
	zrangeLex
)

// rankRange normalizes Redis rank arguments against length n and reports
// the inclusive 0-based range, or ok=false when it is empty.
func rankRange(start, end int64, n int) (int, int, bool) {
	ln := int64(n)
	if start < 0 {
		start += ln
	}
	if end < 0 {
		end += ln
	}
	if start < 0 {
		start = 0
	}
	if start > end || start >= ln {
		return 0, 0, false
	}
	if end >= ln {
		end = ln - 1
	}
	return int(start), int(end), true
}

func zremrangeGeneric(c *call, kind zsetRangeKind) Value {
	key := c.args[1]
	var start, end int64
	var sr zindex.ScoreRange
	var lr zindex.LexRange
	switch kind {
	case zrangeRank:
		var ok bool
		if start, ok = parseInt(c.args[2]); !ok {
			return errNotInteger
		}
		if end, ok = parseInt(c.args[3]); !ok {
			return errNotInteger
		}
	case zrangeScore:
		var ok bool
		if sr, ok = zsetParseRange(c.args[2], c.args[3]); !ok {
			return errZMinMaxFloat
		}
	case zrangeLex:
		var ok bool
		if lr, ok = zsetParseLexRange(c.args[2], c.args[3]); !ok {
			return errZMinMaxString
		}
	}
	z, ok := c.lookupZsetWrite(key)
	if !ok {
		return errWrongType
	}
	if z == nil {
		return IntValue(0)
	}
	// The victims: from the first member in range, walking while members
	// stay within the far end, as Redis deletes; then one unlinking pass.
	var first *zindex.Node
	n := 0
	switch kind {
	case zrangeRank:
		s, e, ok := rankRange(start, end, z.len())
		if !ok {
			return IntValue(0)
		}
		first, n = z.zsl.ByRank(s), e-s+1
	case zrangeScore:
		first = z.zsl.FirstInRange(sr)
		for x := first; x != nil && !aboveMaxScore(&sr, x.Score); x = x.Next() {
			n++
		}
	case zrangeLex:
		first = z.firstInLex(lr)
		for x := first; x != nil && !aboveMaxLex(&lr, x.Member); x = x.Next() {
			n++
		}
	}
	if n == 0 {
		return IntValue(0)
	}
	z.deleteRange(z.zsl.Rank(first.Score, first.Member), n, nil)
	c.changed(key, zremrangeEvent(kind))
	c.zsetDeleteIfEmpty(key, z)
	return IntValue(int64(n))
}

func cmdZRemRangeByRank(c *call) Value  { return zremrangeGeneric(c, zrangeRank) }
func cmdZRemRangeByScore(c *call) Value { return zremrangeGeneric(c, zrangeScore) }
func cmdZRemRangeByLex(c *call) Value   { return zremrangeGeneric(c, zrangeLex) }

// ---- the ZRANGE family ----

// zrangeSpec is a parsed ZRANGE-family command.
type zrangeSpec struct {
	kind       zsetRangeKind
	rev        bool
	withScores bool
	start, end int64
	score      zindex.ScoreRange
	lex        zindex.LexRange
	offset     int64
	limit      int64 // -1: no limit
}

// parseZRange parses the arguments after the key of a ZRANGE-family
// command, as Redis's zrangeGenericCommand: argStart is the index of the
// source key; kind and rev are fixed by the legacy commands (zrangeAuto
// and false let ZRANGE's BYSCORE, BYLEX and REV choose).
func parseZRange(c *call, argStart int, store bool, kind zsetRangeKind, rev bool) (zrangeSpec, Value, bool) {
	sp := zrangeSpec{kind: kind, rev: rev, limit: -1}
	// Only ZRANGE and ZRANGESTORE (kind zrangeAuto) take REV, BYSCORE and
	// BYLEX; each at most once.
	dirAuto := kind == zrangeAuto
	for j := argStart + 3; j < len(c.args); j++ {
		left := len(c.args) - j - 1
		a := cstr(c.args[j])
		switch {
		case !store && eqFold(a, "withscores"):
			sp.withScores = true
		case eqFold(a, "limit") && left >= 2:
			var ok bool
			if sp.offset, ok = parseInt(c.args[j+1]); !ok {
				return sp, errNotInteger, false
			}
			if sp.limit, ok = parseInt(c.args[j+2]); !ok {
				return sp, errNotInteger, false
			}
			j += 2
		case dirAuto && !sp.rev && eqFold(a, "rev"):
			sp.rev = true
		case sp.kind == zrangeAuto && eqFold(a, "bylex"):
			sp.kind = zrangeLex
		case sp.kind == zrangeAuto && eqFold(a, "byscore"):
			sp.kind = zrangeScore
		default:
			return sp, errSyntax, false
		}
	}
	if sp.kind == zrangeAuto {
		sp.kind = zrangeRank
	}
	if sp.limit != -1 && sp.kind == zrangeRank {
		return sp, errValue(ErrZRangeLimit), false
	}
	if sp.withScores && sp.kind == zrangeLex {
		return sp, errValue(ErrZRangeLexScores), false
	}
	minArg, maxArg := c.args[argStart+1], c.args[argStart+2]
	if sp.rev && sp.kind != zrangeRank {
		minArg, maxArg = maxArg, minArg
	}
	switch sp.kind {
	case zrangeRank:
		var ok bool
		if sp.start, ok = parseInt(minArg); !ok {
			return sp, errNotInteger, false
		}
		if sp.end, ok = parseInt(maxArg); !ok {
			return sp, errNotInteger, false
		}
	case zrangeScore:
		var ok bool
		if sp.score, ok = zsetParseRange(minArg, maxArg); !ok {
			return sp, errZMinMaxFloat, false
		}
	case zrangeLex:
		var ok bool
		if sp.lex, ok = zsetParseLexRange(minArg, maxArg); !ok {
			return sp, errZMinMaxString, false
		}
	}
	return sp, Value{}, true
}

// collect returns the pairs the range selects, in reply order. Reaching
// the first one costs O(log n); each further one O(1).
func (sp *zrangeSpec) collect(z *zsetType) []Z {
	if z == nil {
		return nil
	}
	var x *zindex.Node
	n := -1 // remaining; -1 = until the range ends
	switch sp.kind {
	case zrangeRank:
		s, e, ok := rankRange(sp.start, sp.end, z.len())
		if !ok {
			return nil
		}
		n = e - s + 1
		if sp.rev {
			x = z.zsl.ByRank(z.len() - 1 - s)
		} else {
			x = z.zsl.ByRank(s)
		}
		out := make([]Z, 0, n)
		for ; x != nil && n > 0; n-- {
			out = append(out, Z{x.Member, x.Score})
			if sp.rev {
				x = x.Prev()
			} else {
				x = x.Next()
			}
		}
		return out
	case zrangeScore:
		if sp.rev {
			x = z.zsl.LastInRange(sp.score)
		} else {
			x = z.zsl.FirstInRange(sp.score)
		}
	case zrangeLex:
		if sp.rev {
			x = z.lastInLex(sp.lex)
		} else {
			x = z.firstInLex(sp.lex)
		}
	}
	// Redis skips a negative offset's worth of nothing: its loop
	// "while (offset--)" never ends before the range does, so a negative
	// offset selects nothing.
	if sp.offset < 0 {
		return nil
	}
	if sp.offset > 0 && sp.offset >= int64(z.len()) {
		return nil
	}
	// Walking away from the near end, stop at the first node past the far
	// end, as Redis's walks do.
	inRange := func(x *zindex.Node) bool {
		switch {
		case sp.kind == zrangeScore && sp.rev:
			return !belowMinScore(&sp.score, x.Score)
		case sp.kind == zrangeScore:
			return !aboveMaxScore(&sp.score, x.Score)
		case sp.rev:
			return !belowMinLex(&sp.lex, x.Member)
		}
		return !aboveMaxLex(&sp.lex, x.Member)
	}
	step := func(x *zindex.Node) *zindex.Node {
		if sp.rev {
			return x.Prev()
		}
		return x.Next()
	}
	// Skip the offset by rank when the range is long: O(log n).
	if x != nil && sp.offset > 0 {
		r := z.zsl.Rank(x.Score, x.Member)
		if sp.rev {
			r -= int(sp.offset)
		} else {
			r += int(sp.offset)
		}
		x = z.zsl.ByRank(r)
		if x != nil && !inRange(x) {
			x = nil
		}
	}
	var out []Z
	for limit := sp.limit; x != nil && limit != 0; limit-- {
		if !inRange(x) {
			break
		}
		out = append(out, Z{x.Member, x.Score})
		x = step(x)
	}
	return out
}

func aboveMaxScore(r *zindex.ScoreRange, v float64) bool {
	if r.MaxEx {
		return v >= r.Max
	}
	return v > r.Max
}

func belowMinScore(r *zindex.ScoreRange, v float64) bool {
	if r.MinEx {
		return v <= r.Min
	}
	return v < r.Min
}

func aboveMaxLex(r *zindex.LexRange, m string) bool {
	probe := zindex.LexRange{Min: zindex.LexBound{Inf: -1}, Max: r.Max}
	return !probe.Contains(m)
}

func belowMinLex(r *zindex.LexRange, m string) bool {
	probe := zindex.LexRange{Min: r.Min, Max: zindex.LexBound{Inf: 1}}
	return !probe.Contains(m)
}

// zrangeGeneric runs a ZRANGE-family command; dst is the destination of
// ZRANGESTORE ("" otherwise).
func zrangeGeneric(c *call, argStart int, dst string, kind zsetRangeKind, rev bool) Value {
	store := dst != ""
	sp, errv, ok := parseZRange(c, argStart, store, kind, rev)
	if !ok {
		return errv
	}
	z, ok := c.lookupZset(c.args[argStart])
	if !ok {
		return errWrongType
	}
	pairs := sp.collect(z)
	if store {
		// Redis builds ZRANGESTORE's result by insertion into a set that
		// starts as a listpack unless a rank range is known to be longer
		// than the limit, so a -0 score is stored as 0 until (and unless)
		// an insertion converts the set.
		if len(pairs) == 0 {
			return c.zsetStore(dst, nil)
		}
		d := newZset()
		d.skiplist = sp.kind == zrangeRank && len(pairs) > c.s.zsetMaxListpackEntries()
		for _, p := range pairs {
			d.insert(c.s, p.Member, p.Score)
		}
		c.setObject(dst, typeZSet, d, evZRangeSt)
		return IntValue(int64(len(pairs)))
	}
	return zsetPairsReply(pairs, sp.withScores, c.resp3())
}

// zsetStore replaces dst with a sorted set of pairs, or deletes it when
// pairs is empty, and replies with the size stored.
func (c *call) zsetStore(dst string, pairs []Z) Value {
	if len(pairs) == 0 {
		if c.lookupWrite(dst) != nil {
			c.del(dst)
		}
		return IntValue(0)
	}
	// The event is the command's name: zunionstore, zinterstore,
	// zdiffstore, zrangestore.
	c.setObject(dst, typeZSet, zsetFromPairs(c.s, pairs), keyEvent{classZSet, c.cmd.name})
	return IntValue(int64(len(pairs)))
}

func cmdZRange(c *call) Value { return zrangeGeneric(c, 1, "", zrangeAuto, false) }
func cmdZRangeStore(c *call) Value {
	return zrangeGeneric(c, 2, c.args[1], zrangeAuto, false)
}
func cmdZRangeByScore(c *call) Value    { return zrangeGeneric(c, 1, "", zrangeScore, false) }
func cmdZRevRangeByScore(c *call) Value { return zrangeGeneric(c, 1, "", zrangeScore, true) }
func cmdZRangeByLex(c *call) Value      { return zrangeGeneric(c, 1, "", zrangeLex, false) }
func cmdZRevRangeByLex(c *call) Value   { return zrangeGeneric(c, 1, "", zrangeLex, true) }
func cmdZRevRange(c *call) Value        { return zrangeGeneric(c, 1, "", zrangeRank, true) }

// ---- pops ----

// zpopShape is how a pop lays out its reply.
type zpopShape int

const (
	// zpopFlat: member, score, ... (ZPOPMIN/ZPOPMAX in RESP2, and without
	// a count in RESP3).
	zpopFlat zpopShape = iota
	// zpopPairs: [member, score], ... (ZPOPMIN/ZPOPMAX with a count in
	// RESP3).
	zpopPairs
	// zpopKeyFlat: key, member, score, ... (BZPOPMIN/BZPOPMAX).
	zpopKeyFlat
	// zpopKeyPairs: [key, [[member, score], ...]] (ZMPOP/BZMPOP).
	zpopKeyPairs
)

// zsetPop pops up to count members from the min (or max) end of the
// sorted set at key, deleting the key when it empties, and returns them in
// pop order. It runs on the executor and is the core of ZPOPMIN, ZPOPMAX
// and ZMPOP, and of the blocking BZPOPMIN, BZPOPMAX and BZMPOP, which call
// it when a key they wait on becomes ready.
func (c *call) zsetPop(key string, z *zsetType, max bool, count int64) []Z {
	n := int(min(count, int64(z.len())))
	out := make([]Z, 0, n)
	start := 0
	if max {
		start = z.len() - n
	}
	z.deleteRange(start, n, func(x *zindex.Node) { out = append(out, Z{x.Member, x.Score}) })
	if max {
		slices.Reverse(out)
	}
	if n > 0 {
		if max {
			c.changed(key, evZPopMax)
		} else {
			c.changed(key, evZPopMin)
		}
		c.zsetDeleteIfEmpty(key, z)
	}
	return out
}

// zsetPopFirst is Redis's genericZpopCommand: it pops from the first key
// of keys that holds a sorted set (WRONGTYPE when a key before it holds
// another type) and builds the reply in the given shape. count -1 means a
// plain pop of one. popped is false when no key held a sorted set, which
// is when a blocking caller would block instead of replying.
func (c *call) zsetPopFirst(keys []string, max bool, count int64, shape zpopShape, nilWhenEmpty bool) (reply Value, popped bool) {
	var z *zsetType
	var key string
	for _, k := range keys {
		e := c.lookupWrite(k)
		if e == nil {
			continue
		}
		if e.typ != typeZSet {
			return errWrongType, false
		}
		z, key = e.obj.(*zsetType), k
		break
	}
	if z == nil {
		if nilWhenEmpty {
			return nullArrayValue, false
		}
		return ArrayValue(), false
	}
	if count == 0 {
		return ArrayValue(), false
	}
	if count == -1 {
		count = 1
	}
	pairs := c.zsetPop(key, z, max, count)
	if c.cmd.name != "zpopmin" && c.cmd.name != "zpopmax" {
		// BZPOPMIN, BZPOPMAX, ZMPOP and BZMPOP propagate as the pop
		// they did; a replay must not block.
		name := "ZPOPMIN"
		if max {
			name = "ZPOPMAX"
		}
		if shape == zpopKeyPairs {
			c.propagateAs(name, key, strconv.Itoa(len(pairs)))
		} else {
			c.propagateAs(name, key)
		}
	}
	switch shape {
	case zpopFlat:
		return zsetPairsReply(pairs, true, false), true
	case zpopPairs:
		return zsetPairsReply(pairs, true, true), true
	case zpopKeyFlat:
		out := make([]Value, 0, 1+2*len(pairs))
		out = append(out, BulkValue(key))
		out = append(out, zsetPairsReply(pairs, true, false).elems...)
		return ArrayValue(out...), true
	}
	return ArrayValue(BulkValue(key), zsetPairsReply(pairs, true, true)), true
}

func zpopMinMax(c *call, max bool) Value {
	if len(c.args) > 3 {
		return errSyntax
	}
	count := int64(-1)
	if len(c.args) == 3 {
		n, ok := parseInt(c.args[2])
		if !ok || n < 0 {
			return errZPositive
		}
		count = n
	}
	shape := zpopFlat
	if count != -1 && c.resp3() {
		shape = zpopPairs
	}
	v, _ := c.zsetPopFirst(c.args[1:2], max, count, shape, false)
	return v
}

func cmdZPopMin(c *call) Value { return zpopMinMax(c, false) }
func cmdZPopMax(c *call) Value { return zpopMinMax(c, true) }

// parseZMPop parses ZMPOP's arguments from numkeys on (at index at): the
// keys, MIN or MAX, and COUNT. BZMPOP calls it with at = 2.
func parseZMPop(c *call, at int) (keys []string, max bool, count int64, errv Value, ok bool) {
	numkeys, isInt := parseInt(c.args[at])
	if !isInt || numkeys < 1 {
		return nil, false, 0, errZNumKeys, false
	}
	if numkeys >= int64(len(c.args)) {
		return nil, false, 0, errSyntax, false
	}
	whereIdx := at + int(numkeys) + 1
	if whereIdx >= len(c.args) {
		return nil, false, 0, errSyntax, false
	}
	switch w := cstr(c.args[whereIdx]); {
	case eqFold(w, "min"):
	case eqFold(w, "max"):
		max = true
	default:
		return nil, false, 0, errSyntax, false
	}
	count = -1
	for j := whereIdx + 1; j < len(c.args); j++ {
		more := len(c.args) - 1 - j
		if count == -1 && eqFold(cstr(c.args[j]), "count") && more > 0 {
			j++
			n, isInt := parseInt(c.args[j])
			if !isInt || n < 1 {
				return nil, false, 0, errZCountPositive, false
			}
			count = n
			continue
		}
		return nil, false, 0, errSyntax, false
	}
	if count == -1 {
		count = 1
	}
	return c.args[at+1 : whereIdx], max, count, Value{}, true
}

func cmdZMPop(c *call) Value {
	keys, max, count, errv, ok := parseZMPop(c, 1)
	if !ok {
		return errv
	}
	v, _ := c.zsetPopFirst(keys, max, count, zpopKeyPairs, true)
	return v
}

// ---- blocking pops ----

// bzpopGeneric blocks on keys until one holds a sorted set (BZPOPMIN,
// BZPOPMAX, BZMPOP), popping from the key that became ready.
func (c *call) bzpopGeneric(keys []string, max bool, count int64, shape zpopShape, timeout string) Value {
	deadline, errv, ok := c.blockDeadline(timeout)
	if !ok {
		return errv
	}
	if v, popped := c.zsetPopFirst(keys, max, count, shape, true); popped || v.kind == KindError {
		return v
	}
	return c.block(keys, deadline, nullArrayValue, func(c *call, key string) (Value, bool) {
		return c.zsetPopFirst([]string{key}, max, count, shape, true)
	})
}

func cmdBZPopMin(c *call) Value {
	return c.bzpopGeneric(c.args[1:len(c.args)-1], false, -1, zpopKeyFlat, c.args[len(c.args)-1])
}

func cmdBZPopMax(c *call) Value {
	return c.bzpopGeneric(c.args[1:len(c.args)-1], true, -1, zpopKeyFlat, c.args[len(c.args)-1])
}

// cmdBZMPop is BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT n].
func cmdBZMPop(c *call) Value {
	keys, max, count, errv, ok := parseZMPop(c, 2)
	if !ok {
		return errv
	}
	return c.bzpopGeneric(keys, max, count, zpopKeyPairs, c.args[1])
}

// ---- ZRANDMEMBER ----

func cmdZRandMember(c *call) Value {
	key := c.args[1]
	if len(c.args) == 2 {
		z, ok := c.lookupZset(key)
		if !ok {
			return errWrongType
		}
		if z == nil {
			return nullValue
		}
		m, _, _ := z.dict.Random(c.s.rnd.Uint64)
		return BulkValue(m)
	}
	count, ok := parseInt(c.args[2])
	if !ok {
		return errNotInteger
	}
	if count == math.MinInt64 {
		return errZCountRange
	}
	withScores := false
	if len(c.args) > 4 || (len(c.args) == 4 && !eqFold(cstr(c.args[3]), "withscores")) {
		return errSyntax
	}
	if len(c.args) == 4 {
		withScores = true
		if count < -math.MaxInt64/2 || count > math.MaxInt64/2 {
			return errZOutOfRange
		}
	}
	z, ok := c.lookupZset(key)
	if !ok {
		return errWrongType
	}
	if z == nil || count == 0 {
		return ArrayValue()
	}
	size := int64(z.len())
	var pairs []Z
	switch {
	case count < 0:
		// Repeats allowed: independent draws.
		pairs = make([]Z, 0, min(-count, 1<<16))
		for i := int64(0); i < -count; i++ {
			m, p, _ := z.dict.Random(c.s.rnd.Uint64)
			pairs = append(pairs, Z{m, *p})
		}
	case count >= size:
		pairs = (&zrangeSpec{kind: zrangeRank, start: 0, end: -1}).collect(z)
	default:
		// count distinct ranks (Floyd's sampling), each found in
		// O(log n).
		chosen := make(map[int64]struct{}, count)
		for j := size - count; j < size; j++ {
			t := c.s.rnd.Int64N(j + 1)
			if _, dup := chosen[t]; dup {
				t = j
			}
			chosen[t] = struct{}{}
			x := z.zsl.ByRank(int(t))
			pairs = append(pairs, Z{x.Member, x.Score})
		}
	}
	return zsetPairsReply(pairs, withScores, c.resp3())
}

// ---- ZSCAN ----

func cmdZScan(c *call) Value {
	cursor, ok := parseCursor(c.args[2])
	if !ok {
		return errValue(ErrInvalidCursor)
	}
	z, ok := c.lookupZset(c.args[1])
	if !ok {
		return errWrongType
	}
	if z == nil {
		return ArrayValue(BulkValue("0"), ArrayValue())
	}
	count := int64(10)
	var match func(string) bool
	for i := 3; i < len(c.args); {
		left := len(c.args) - i
		a := cstr(c.args[i])
		switch {
		case eqFold(a, "count") && left >= 2:
			n, ok := parseInt(c.args[i+1])
			if !ok {
				return errNotInteger
			}
			if n < 1 {
				return errSyntax
			}
			count = n
			i += 2
		case eqFold(a, "match") && left >= 2:
			match = matcher(c.args[i+1])
			i += 2
		default:
			return errSyntax
		}
	}
	var pairs []Z
	if !z.skiplist {
		// A listpack is returned whole, in order, with cursor 0.
		for x := z.zsl.First(); x != nil; x = x.Next() {
			pairs = append(pairs, Z{x.Member, x.Score})
		}
		cursor = 0
	} else {
		maxIter := count * 10
		if count > math.MaxInt64/10 {
			maxIter = math.MaxInt64
		}
		for {
			cursor = z.dict.Scan(cursor, func(m string, s *float64) { pairs = append(pairs, Z{m, *s}) })
			maxIter--
			if cursor == 0 || maxIter <= 0 || int64(len(pairs)) >= count {
				break
			}
		}
	}
	out := make([]Value, 0, 2*len(pairs))
	for _, p := range pairs {
		if match != nil && !match(p.Member) {
			continue
		}
		out = append(out, BulkValue(p.Member), BulkValue(formatDouble(p.Score)))
	}
	return ArrayValue(BulkValue(strconv.FormatUint(cursor, 10)), ArrayValue(out...))
}

// ---- ZUNION, ZINTER, ZDIFF, ZINTERCARD and the STORE forms ----

type zsetOp int

const (
	zopUnion zsetOp = iota
	zopInter
	zopDiff
)

// zsetSource is one input of a set operation: a sorted set, a plain set
// (every member scoring 1) or nothing (a missing key).
type zsetSource struct {
	z      *zsetType
	set    zsetSetView
	weight float64
}

func (s *zsetSource) len() int {
	switch {
	case s.z != nil:
		return s.z.len()
	case s.set != nil:
		return s.set.len()
	}
	return 0
}

// find returns member's score in the source.
func (s *zsetSource) find(member string) (float64, bool) {
	switch {
	case s.z != nil:
		return s.z.score(member)
	case s.set != nil:
		return 1, s.set.has(member)
	}
	return 0, false
}

// each calls fn for every member with its score until fn returns false.
func (s *zsetSource) each(fn func(member string, score float64) bool) {
	switch {
	case s.z != nil:
		for x := s.z.zsl.First(); x != nil; x = x.Next() {
			if !fn(x.Member, x.Score) {
				return
			}
		}
	case s.set != nil:
		for i, n := 0, s.set.len(); i < n; i++ {
			if !fn(s.set.at(i), 1) {
				return
			}
		}
	}
}

// Aggregates.
const (
	aggSum = iota
	aggMin
	aggMax
)

func aggregate(target *float64, v float64, agg int) {
	switch agg {
	case aggSum:
		*target += v
		// inf + -inf is NaN; Redis keeps 0 instead.
		if math.IsNaN(*target) {
			*target = 0
		}
	case aggMin:
		if v < *target {
			*target = v
		}
	case aggMax:
		if v > *target {
			*target = v
		}
	}
}

// zsetOpGeneric is Redis's zunionInterDiffGenericCommand: numkeysIdx is
// the index of numkeys, dst the destination of a STORE form ("" for the
// others), cardOnly is ZINTERCARD.
func zsetOpGeneric(c *call, numkeysIdx int, dst string, op zsetOp, cardOnly bool) Value {
	store := dst != ""
	n, ok := parseInt(c.args[numkeysIdx])
	if !ok {
		return errNotInteger
	}
	if n < 1 {
		return ErrorValue("ERR at least 1 input key is needed for '" + c.cmd.name + "' command")
	}
	if n > int64(len(c.args)-numkeysIdx-1) {
		return errSyntax
	}
	setnum := int(n)
	src := make([]zsetSource, setnum)
	j := numkeysIdx + 1
	for i := 0; i < setnum; i, j = i+1, j+1 {
		// A read lookup in the STORE forms too, as Redis 7.0 (keymiss).
		e := c.lookupRead(c.args[j])
		src[i].weight = 1
		if e == nil {
			continue
		}
		switch e.typ {
		case typeZSet:
			src[i].z = e.obj.(*zsetType)
		case typeSet:
			v, ok := zsetReadSet(e.obj)
			if !ok {
				return errWrongType
			}
			src[i].set = v
		default:
			return errWrongType
		}
	}
	agg := aggSum
	withScores := false
	limit := int64(0)
	for remaining := len(c.args) - j; remaining > 0; remaining = len(c.args) - j {
		a := cstr(c.args[j])
		switch {
		case op != zopDiff && !cardOnly && remaining >= setnum+1 && eqFold(a, "weights"):
			j++
			for i := 0; i < setnum; i, j = i+1, j+1 {
				w, ok := zsetParseScore(c.args[j])
				if !ok {
					return errValue(ErrWeightNotFloat)
				}
				src[i].weight = w
			}
		case op != zopDiff && !cardOnly && remaining >= 2 && eqFold(a, "aggregate"):
			switch g := cstr(c.args[j+1]); {
			case eqFold(g, "sum"):
				agg = aggSum
			case eqFold(g, "min"):
				agg = aggMin
			case eqFold(g, "max"):
				agg = aggMax
			default:
				return errSyntax
			}
			j += 2
		case !store && !cardOnly && eqFold(a, "withscores"):
			withScores = true
			j++
		case cardOnly && remaining >= 2 && eqFold(a, "limit"):
			l, ok := parseInt(c.args[j+1])
			if !ok || l < 0 {
				return errZLimitNegative
			}
			limit = l
			j += 2
		default:
			return errSyntax
		}
	}

	var result map[string]float64
	switch op {
	case zopUnion:
		result = zsetUnion(src, agg)
	case zopInter:
		if cardOnly {
			return IntValue(zsetInterCard(src, limit))
		}
		result = zsetInter(src, agg)
	case zopDiff:
		result = zsetDiff(src)
	}
	pairs := make([]Z, 0, len(result))
	for m, s := range result {
		pairs = append(pairs, Z{m, s})
	}
	slices.SortFunc(pairs, compareZ)
	if store {
		return c.zsetStore(dst, pairs)
	}
	return zsetPairsReply(pairs, withScores, c.resp3())
}

// compareZ orders pairs as a sorted set does.
func compareZ(a, b Z) int {
	switch {
	case a.Score < b.Score:
		return -1
	case a.Score > b.Score:
		return 1
	}
	return strings.Compare(a.Member, b.Member)
}

// weighted is score*weight with Redis's NaN rule (0 * inf is 0).
func weighted(score, weight float64) float64 {
	v := score * weight
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// bySize orders the sources from the smallest, as Redis does before a
// union or intersection (it changes only the order of additions).
func bySize(src []zsetSource) {
	slices.SortStableFunc(src, func(a, b zsetSource) int { return a.len() - b.len() })
}

func zsetUnion(src []zsetSource, agg int) map[string]float64 {
	bySize(src)
	acc := map[string]float64{}
	for i := range src {
		w := src[i].weight
		src[i].each(func(m string, s float64) bool {
			v := weighted(s, w)
			if cur, ok := acc[m]; ok {
				aggregate(&cur, v, agg)
				acc[m] = cur
			} else {
				acc[m] = v
			}
			return true
		})
	}
	return acc
}

func zsetInter(src []zsetSource, agg int) map[string]float64 {
	bySize(src)
	acc := map[string]float64{}
	if src[0].len() == 0 {
		return acc
	}
	src[0].each(func(m string, s float64) bool {
		score := weighted(s, src[0].weight)
		for k := 1; k < len(src); k++ {
			v, ok := src[k].find(m)
			if !ok {
				return true
			}
			aggregate(&score, v*src[k].weight, agg)
		}
		acc[m] = score
		return true
	})
	return acc
}

func zsetInterCard(src []zsetSource, limit int64) int64 {
	bySize(src)
	var n int64
	if src[0].len() == 0 {
		return 0
	}
	src[0].each(func(m string, _ float64) bool {
		for k := 1; k < len(src); k++ {
			if _, ok := src[k].find(m); !ok {
				return true
			}
		}
		n++
		return limit == 0 || n < limit
	})
	return n
}

func zsetDiff(src []zsetSource) map[string]float64 {
	acc := map[string]float64{}
	src[0].each(func(m string, s float64) bool {
		for k := 1; k < len(src); k++ {
			if _, ok := src[k].find(m); ok {
				return true
			}
		}
		acc[m] = s
		return true
	})
	return acc
}

func cmdZUnion(c *call) Value      { return zsetOpGeneric(c, 1, "", zopUnion, false) }
func cmdZInter(c *call) Value      { return zsetOpGeneric(c, 1, "", zopInter, false) }
func cmdZDiff(c *call) Value       { return zsetOpGeneric(c, 1, "", zopDiff, false) }
func cmdZInterCard(c *call) Value  { return zsetOpGeneric(c, 1, "", zopInter, true) }
func cmdZUnionStore(c *call) Value { return zsetOpGeneric(c, 2, c.args[1], zopUnion, false) }
func cmdZInterStore(c *call) Value { return zsetOpGeneric(c, 2, c.args[1], zopInter, false) }
func cmdZDiffStore(c *call) Value  { return zsetOpGeneric(c, 2, c.args[1], zopDiff, false) }

// checkInvariants plugs the sorted set into the store's invariant check.
func (z *zsetType) checkInvariants() error { return z.check() }

// cloneObject deep-copies the sorted set for COPY.
func (z *zsetType) cloneObject() any { return z.clone() }

// sortElements gives SORT the members in ascending (score, member) order.
// Like Redis, SORT converts a listpack sorted set to a skiplist for good
// (sort.c: "Destructively convert encoded sorted sets for SORT"), so
// OBJECT ENCODING reports "skiplist" afterwards.
func (z *zsetType) sortElements() []string {
	z.skiplist = true
	out := make([]string, 0, z.len())
	for x := z.zsl.First(); x != nil; x = x.Next() {
		out = append(out, x.Member)
	}
	return out
}
