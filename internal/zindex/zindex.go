// Package zindex is the order-statistic index of sorted sets: a skiplist
// with spans, ordered by (score, member), where members compare bytewise.
//
// Every node keeps, for each of its levels, the number of nodes its forward
// pointer skips (the span), so the rank of a node is the sum of the spans
// walked to reach it, and the node of a given rank is found by walking
// while the running sum stays at or below it. Insert, Delete, Rank, ByRank
// and the first or last node of a score or lex range all cost O(log n) on
// average; walking M nodes from one of them with Next or Prev costs O(M).
//
// The index holds each (score, member) pair at most once; the caller (the
// sorted set, which also keeps a member→score map) guarantees that a member
// is inserted once and deleted with the score it has. The list is not safe
// for concurrent use.
//
// The level of a new node is drawn from a generator seeded by the caller
// (New), so a list's shape, and so its cost, is replayable; the answers of
// every query do not depend on it.
package zindex

import (
	"fmt"
	"math"
)

const (
	// MaxLevel bounds the height of a node: 32 levels index 4^32 nodes at
	// p = 1/4, more than memory can hold.
	MaxLevel = 32
	// a node reaches level i+1 with probability 1/4, as in Redis.
	levelBits = 2
)

// Node is one (score, member) pair of the index. Its fields must not be
// modified by the caller.
type Node struct {
	Member string
	Score  float64
	// backward is the previous node on level 0; nil for the first node.
	backward *Node
	level    []link
}

// link is one level of a node: the next node on that level and how many
// level-0 steps it is away (the span).
type link struct {
	forward *Node
	span    int
}

// Next returns the node after n in order, or nil after the last.
func (n *Node) Next() *Node { return n.level[0].forward }

// Prev returns the node before n in order, or nil before the first.
func (n *Node) Prev() *Node { return n.backward }

// List is the index. The zero value is not usable; call New.
type List struct {
	header *Node // sentinel: no pair, MaxLevel levels
	tail   *Node
	length int
	level  int    // levels in use, at least 1
	rnd    uint64 // state of the level generator (splitmix64)
}

// New returns an empty index whose node levels are drawn from seed.
func New(seed uint64) *List {
	return &List{
		header: &Node{level: make([]link, MaxLevel)},
		level:  1,
		rnd:    seed,
	}
}

// Len is the number of nodes.
func (l *List) Len() int { return l.length }

// First returns the first node (lowest score), nil when empty.
func (l *List) First() *Node { return l.header.level[0].forward }

// Last returns the last node (highest score), nil when empty.
func (l *List) Last() *Node { return l.tail }

func (l *List) randomLevel() int {
	l.rnd += 0x9e3779b97f4a7c15
	z := l.rnd
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	lvl := 1
	for lvl < MaxLevel && z&(1<<levelBits-1) == 0 {
		lvl++
		z >>= levelBits
	}
	return lvl
}

// less reports whether (s1, m1) sorts before (s2, m2).
func less(s1 float64, m1 string, s2 float64, m2 string) bool {
	return s1 < s2 || (s1 == s2 && m1 < m2)
}

// Insert adds the pair (score, member), which must not be in the index,
// and returns its node. score must not be NaN.
func (l *List) Insert(score float64, member string) *Node {
	var update [MaxLevel]*Node
	var rank [MaxLevel]int
	x := l.header
	for i := l.level - 1; i >= 0; i-- {
		if i < l.level-1 {
			rank[i] = rank[i+1]
		}
		for f := x.level[i].forward; f != nil && less(f.Score, f.Member, score, member); f = x.level[i].forward {
			rank[i] += x.level[i].span
			x = f
		}
		update[i] = x
	}
	lvl := l.randomLevel()
	if lvl > l.level {
		for i := l.level; i < lvl; i++ {
			rank[i] = 0
			update[i] = l.header
			update[i].level[i].span = l.length
		}
		l.level = lvl
	}
	n := &Node{Member: member, Score: score, level: make([]link, lvl)}
	for i := 0; i < lvl; i++ {
		n.level[i].forward = update[i].level[i].forward
		update[i].level[i].forward = n
		// rank[0]-rank[i] nodes lie between update[i] and n's predecessor.
		n.level[i].span = update[i].level[i].span - (rank[0] - rank[i])
		update[i].level[i].span = rank[0] - rank[i] + 1
	}
	for i := lvl; i < l.level; i++ {
		update[i].level[i].span++
	}
	if update[0] != l.header {
		n.backward = update[0]
	}
	if n.level[0].forward != nil {
		n.level[0].forward.backward = n
	} else {
		l.tail = n
	}
	l.length++
	return n
}

// unlink removes x, whose predecessors on each level are update.
func (l *List) unlink(x *Node, update *[MaxLevel]*Node) {
	for i := 0; i < l.level; i++ {
		if update[i].level[i].forward == x {
			update[i].level[i].span += x.level[i].span - 1
			update[i].level[i].forward = x.level[i].forward
		} else {
			update[i].level[i].span--
		}
	}
	if x.level[0].forward != nil {
		x.level[0].forward.backward = x.backward
	} else {
		l.tail = x.backward
	}
	for l.level > 1 && l.header.level[l.level-1].forward == nil {
		l.level--
	}
	l.length--
}

// find fills update with the last node before (score, member) on each level
// and returns the node holding the pair, or nil.
func (l *List) find(score float64, member string, update *[MaxLevel]*Node) *Node {
	x := l.header
	for i := l.level - 1; i >= 0; i-- {
		for f := x.level[i].forward; f != nil && less(f.Score, f.Member, score, member); f = x.level[i].forward {
			x = f
		}
		update[i] = x
	}
	x = x.level[0].forward
	if x != nil && x.Score == score && x.Member == member {
		return x
	}
	return nil
}

// Delete removes the pair (score, member) and reports whether it was there.
func (l *List) Delete(score float64, member string) bool {
	var update [MaxLevel]*Node
	x := l.find(score, member, &update)
	if x == nil {
		return false
	}
	l.unlink(x, &update)
	return true
}

// UpdateScore moves member from score old, which it must have, to score
// new, and returns its node. When the node keeps its place in the order it
// is updated where it stands, without relinking.
func (l *List) UpdateScore(old float64, member string, new float64) *Node {
	var update [MaxLevel]*Node
	x := l.find(old, member, &update)
	if x == nil {
		panic("zindex: UpdateScore of a pair not in the index")
	}
	if (x.backward == nil || less(x.backward.Score, x.backward.Member, new, member)) &&
		(x.level[0].forward == nil || less(new, member, x.level[0].forward.Score, x.level[0].forward.Member)) {
		x.Score = new
		return x
	}
	l.unlink(x, &update)
	return l.Insert(new, member)
}

// DeleteRangeByRank removes the n nodes from 0-based position start on
// (fewer when the list ends first), calling fn for each in order before it
// is unlinked, and returns how many it removed. O(log n + removed).
func (l *List) DeleteRangeByRank(start, n int, fn func(x *Node)) int {
	if start < 0 || start >= l.length || n <= 0 {
		return 0
	}
	var update [MaxLevel]*Node
	x := l.header
	traversed := 0
	for i := l.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && traversed+x.level[i].span <= start {
			traversed += x.level[i].span
			x = x.level[i].forward
		}
		update[i] = x
	}
	// update[i] are the last nodes before position start on each level;
	// they stay the predecessors as the nodes after them are unlinked.
	x = x.level[0].forward
	removed := 0
	for x != nil && removed < n {
		next := x.level[0].forward
		if fn != nil {
			fn(x)
		}
		l.unlink(x, &update)
		removed++
		x = next
	}
	return removed
}

// Rank returns the 0-based position of the pair (score, member), or -1 when
// it is not in the index.
func (l *List) Rank(score float64, member string) int {
	x := l.header
	rank := 0
	for i := l.level - 1; i >= 0; i-- {
		for f := x.level[i].forward; f != nil && !less(score, member, f.Score, f.Member); f = x.level[i].forward {
			rank += x.level[i].span
			x = f
		}
		if x != l.header && x.Score == score && x.Member == member {
			return rank - 1
		}
	}
	return -1
}

// ByRank returns the node at 0-based position r, or nil when r is out of
// range.
func (l *List) ByRank(r int) *Node {
	if r < 0 || r >= l.length {
		return nil
	}
	target := r + 1
	x := l.header
	traversed := 0
	for i := l.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && traversed+x.level[i].span <= target {
			traversed += x.level[i].span
			x = x.level[i].forward
		}
		if traversed == target {
			return x
		}
	}
	return nil
}

// ScoreRange is an interval of scores; MinEx and MaxEx make an end
// exclusive, as Redis's "(" prefix does.
type ScoreRange struct {
	Min, Max     float64
	MinEx, MaxEx bool
}

func (r *ScoreRange) aboveMin(v float64) bool {
	if r.MinEx {
		return v > r.Min
	}
	return v >= r.Min
}

func (r *ScoreRange) belowMax(v float64) bool {
	if r.MaxEx {
		return v < r.Max
	}
	return v <= r.Max
}

// Empty reports whether no score can lie in r.
func (r *ScoreRange) Empty() bool {
	return r.Min > r.Max || (r.Min == r.Max && (r.MinEx || r.MaxEx))
}

// Contains reports whether v lies in r.
func (r *ScoreRange) Contains(v float64) bool { return r.aboveMin(v) && r.belowMax(v) }

// inRange reports whether some node may lie in r.
func (l *List) inRange(r *ScoreRange) bool {
	if r.Empty() || l.tail == nil {
		return false
	}
	return r.aboveMin(l.tail.Score) && r.belowMax(l.First().Score)
}

// FirstInRange returns the first node whose score lies in r, or nil.
func (l *List) FirstInRange(r ScoreRange) *Node {
	if !l.inRange(&r) {
		return nil
	}
	x := l.header
	for i := l.level - 1; i >= 0; i-- {
		for f := x.level[i].forward; f != nil && !r.aboveMin(f.Score); f = x.level[i].forward {
			x = f
		}
	}
	x = x.level[0].forward
	if x == nil || !r.belowMax(x.Score) {
		return nil
	}
	return x
}

// LastInRange returns the last node whose score lies in r, or nil.
func (l *List) LastInRange(r ScoreRange) *Node {
	if !l.inRange(&r) {
		return nil
	}
	x := l.header
	for i := l.level - 1; i >= 0; i-- {
		for f := x.level[i].forward; f != nil && r.belowMax(f.Score); f = x.level[i].forward {
			x = f
		}
	}
	if x == l.header || !r.aboveMin(x.Score) {
		return nil
	}
	return x
}

// LexBound is one end of a range of members: a member with an inclusive
// ("[") or exclusive ("(") mark, or one of the infinite ends "-" and "+".
type LexBound struct {
	// Inf is -1 for "-" (below every member), +1 for "+" (above every
	// member), 0 for a member bound.
	Inf       int
	Member    string
	Exclusive bool
}

// LexRange is an interval of members. The lex queries assume all the
// nodes have the same score, as Redis's ZRANGEBYLEX does; otherwise they
// answer as Redis's skiplist walk would.
type LexRange struct{ Min, Max LexBound }

// cmp compares member m with bound b: -1, 0 or 1.
func (b *LexBound) cmp(m string) int {
	switch {
	case b.Inf < 0:
		return 1
	case b.Inf > 0:
		return -1
	case m < b.Member:
		return -1
	case m > b.Member:
		return 1
	}
	return 0
}

func (r *LexRange) aboveMin(m string) bool {
	c := r.Min.cmp(m)
	if r.Min.Exclusive {
		return c > 0
	}
	return c >= 0
}

func (r *LexRange) belowMax(m string) bool {
	c := r.Max.cmp(m)
	if r.Max.Exclusive {
		return c < 0
	}
	return c <= 0
}

// Empty reports whether no member can lie in r.
func (r *LexRange) Empty() bool {
	lo, hi := r.Min, r.Max
	switch {
	case lo.Inf > 0 || hi.Inf < 0:
		return true
	case lo.Inf < 0 || hi.Inf > 0:
		return false
	}
	if lo.Member > hi.Member {
		return true
	}
	return lo.Member == hi.Member && (lo.Exclusive || hi.Exclusive)
}

// Contains reports whether member m lies in r.
func (r *LexRange) Contains(m string) bool { return r.aboveMin(m) && r.belowMax(m) }

func (l *List) inLexRange(r *LexRange) bool {
	if r.Empty() || l.tail == nil {
		return false
	}
	return r.aboveMin(l.tail.Member) && r.belowMax(l.First().Member)
}

// FirstInLexRange returns the first node whose member lies in r, or nil.
func (l *List) FirstInLexRange(r LexRange) *Node {
	if !l.inLexRange(&r) {
		return nil
	}
	x := l.header
	for i := l.level - 1; i >= 0; i-- {
		for f := x.level[i].forward; f != nil && !r.aboveMin(f.Member); f = x.level[i].forward {
			x = f
		}
	}
	x = x.level[0].forward
	if x == nil || !r.belowMax(x.Member) {
		return nil
	}
	return x
}

// LastInLexRange returns the last node whose member lies in r, or nil.
func (l *List) LastInLexRange(r LexRange) *Node {
	if !l.inLexRange(&r) {
		return nil
	}
	x := l.header
	for i := l.level - 1; i >= 0; i-- {
		for f := x.level[i].forward; f != nil && r.belowMax(f.Member); f = x.level[i].forward {
			x = f
		}
	}
	if x == l.header || !r.aboveMin(x.Member) {
		return nil
	}
	return x
}

// Check verifies the index's invariants: order, spans, backward links,
// tail, length and level. It returns the first violation found. It costs
// O(n * levels) and is meant for tests.
func (l *List) Check() error {
	if l.level < 1 || l.level > MaxLevel {
		return fmt.Errorf("zindex: level %d out of range", l.level)
	}
	for i := l.level; i < MaxLevel; i++ {
		if l.header.level[i].forward != nil {
			return fmt.Errorf("zindex: header has a forward link on unused level %d", i)
		}
	}
	if l.level > 1 && l.header.level[l.level-1].forward == nil {
		return fmt.Errorf("zindex: top level %d is empty", l.level-1)
	}
	// Level 0: order, backward links, length, tail; record each node's
	// position.
	pos := map[*Node]int{l.header: 0}
	var prev *Node
	n := 0
	for x := l.First(); x != nil; x = x.Next() {
		n++
		pos[x] = n
		if math.IsNaN(x.Score) {
			return fmt.Errorf("zindex: node %q has a NaN score", x.Member)
		}
		if x.backward != prev {
			return fmt.Errorf("zindex: node %q at %d has a wrong backward link", x.Member, n-1)
		}
		if prev != nil && !less(prev.Score, prev.Member, x.Score, x.Member) {
			return fmt.Errorf("zindex: nodes %q and %q at %d out of order", prev.Member, x.Member, n-1)
		}
		if len(x.level) < 1 || len(x.level) > l.level {
			return fmt.Errorf("zindex: node %q has %d levels, list %d", x.Member, len(x.level), l.level)
		}
		if x.level[0].span != 1 && x.level[0].forward != nil {
			return fmt.Errorf("zindex: node %q has level-0 span %d", x.Member, x.level[0].span)
		}
		prev = x
	}
	if n != l.length {
		return fmt.Errorf("zindex: %d nodes, length %d", n, l.length)
	}
	if l.tail != prev {
		return fmt.Errorf("zindex: wrong tail")
	}
	// Every level: the forward link is the next node of that height, and
	// the span is the distance to it (to the end, for the last link).
	for i := 0; i < l.level; i++ {
		x := l.header
		for {
			f := x.level[i].forward
			// The next node tall enough for level i.
			var want *Node
			start := x.Next()
			if x == l.header {
				start = l.First()
			}
			for y := start; y != nil; y = y.Next() {
				if len(y.level) > i {
					want = y
					break
				}
			}
			if f != want {
				return fmt.Errorf("zindex: level %d link from position %d skips a node", i, pos[x])
			}
			if f == nil {
				if x.level[i].span != 0 && x.level[i].span != l.length-pos[x] {
					return fmt.Errorf("zindex: level %d last span %d, want 0 or %d", i, x.level[i].span, l.length-pos[x])
				}
				break
			}
			if x.level[i].span != pos[f]-pos[x] {
				return fmt.Errorf("zindex: level %d span from %d is %d, want %d", i, pos[x], x.level[i].span, pos[f]-pos[x])
			}
			x = f
		}
	}
	return nil
}

// FirstInLexRangeScan is FirstInLexRange as Redis computes it for a small
// (listpack-encoded) sorted set: a scan from the first node for one not
// below r's minimum, which must then not be above its maximum. When all
// scores are equal both agree; when they are not, the members are not in
// bytewise order and the two walks can stop at different nodes, so a
// caller that mirrors Redis's encodings picks the one Redis would use.
// O(n).
func (l *List) FirstInLexRangeScan(r LexRange) *Node {
	if !l.inLexRange(&r) {
		return nil
	}
	for x := l.First(); x != nil; x = x.Next() {
		if r.aboveMin(x.Member) {
			if r.belowMax(x.Member) {
				return x
			}
			return nil
		}
	}
	return nil
}

// LastInLexRangeScan is LastInLexRange as Redis computes it for a
// listpack: a scan back from the last node. O(n).
func (l *List) LastInLexRangeScan(r LexRange) *Node {
	if !l.inLexRange(&r) {
		return nil
	}
	for x := l.Last(); x != nil; x = x.Prev() {
		if r.belowMax(x.Member) {
			if r.aboveMin(x.Member) {
				return x
			}
			return nil
		}
	}
	return nil
}
