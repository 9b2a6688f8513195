package embedis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/embedis/embedis/internal/streamid"
	"github.com/google/btree"
)

// Streams.
//
// A stream value is a *stream: its entries in a B-tree ordered by ID, so
// XRANGE from any ID is O(log n + M), plus the counters Redis 7.0 keeps
// beside them (last generated ID, entries added, max deleted ID, first ID)
// and the consumer groups, each with its pending-entries list (PEL) shared
// with its consumers' lists.
//
// Redis stores entries in listpack nodes of at most stream-node-max-entries
// (100) entries and stream-node-max-bytes (4096) bytes, and approximate
// trimming (MAXLEN ~, MINID ~) removes whole nodes only, so how many entries
// survive "XADD s MAXLEN ~ 1000 * ..." depends on where the node boundaries
// fall. To give the same answers, the stream keeps a shadow of the node
// layout (streamNode): which entries share a node, how many are live or
// marked deleted, and the byte size the listpack would have. Only sizes are
// computed; no listpack is built.
//
// Invariants (owned by the executor goroutine; checked by checkInvariants):
//   - a stored stream may be empty: unlike other types, a stream key is not
//     deleted when its last entry goes (XDEL, XTRIM), as in Redis;
//   - every entry belongs to exactly one node, and a node's live count is
//     the number of its entries in the tree;
//   - first is the first entry's ID (0-0 when empty); last is at least the
//     greatest entry ID; entriesAdded is at least the length;
//   - every pending entry of a group is in exactly one consumer's list, the
//     same object in both.

// streamNodeMaxEntries and streamNodeMaxBytes are Redis 7.0's defaults of
// stream-node-max-entries and stream-node-max-bytes.
const (
	streamNodeMaxEntries = 100
	streamNodeMaxBytes   = 4096
)

// entriesReadInvalid is SCG_INVALID_ENTRIES_READ: a group whose logical read
// counter is unknown.
const entriesReadInvalid = -1

type streamID = streamid.ID

// streamEntry is one entry: its ID and its field/value pairs, interleaved.
type streamEntry struct {
	id     streamID
	fields []string
	node   *streamNode
}

// streamNode shadows one listpack node of Redis's representation.
type streamNode struct {
	master       streamID // the rax key: ID of the entry that opened the node
	masterFields []string // field names of that entry
	live         int      // entries not deleted
	deleted      int      // entries marked deleted, still occupying space
	bytes        int      // size the listpack would have (lpBytes)
	last         streamID // ID of the last entry appended, deleted or not
}

// stream is the value of a key of type stream.
type stream struct {
	entries *btree.BTreeG[*streamEntry]
	nodes   *btree.BTreeG[*streamNode]

	last         streamID // last generated ID (XADD, XSETID)
	first        streamID // first entry's ID, 0-0 when empty
	maxDeleted   streamID // greatest ID removed by XDEL (or set by XSETID)
	entriesAdded uint64   // entries ever added

	groups map[string]*streamGroup
}

// streamGroup is a consumer group.
type streamGroup struct {
	name        string
	lastID      streamID // last delivered ID
	entriesRead int64    // logical read counter, entriesReadInvalid when unknown
	pel         *btree.BTreeG[*streamNACK]
	consumers   map[string]*streamConsumer
}

// streamConsumer is a consumer of a group.
type streamConsumer struct {
	name     string
	seenTime int64 // last time it read or claimed, unix ms
	pel      *btree.BTreeG[*streamNACK]
}

// streamNACK is a delivered, not yet acknowledged entry. The same object
// sits in its group's PEL and in its consumer's.
type streamNACK struct {
	id            streamID
	consumer      *streamConsumer
	deliveryTime  int64 // unix ms
	deliveryCount int64
}

const btreeDegree = 32

func entryLess(a, b *streamEntry) bool { return a.id.Less(b.id) }
func nodeLess(a, b *streamNode) bool   { return a.master.Less(b.master) }
func nackLess(a, b *streamNACK) bool   { return a.id.Less(b.id) }

func newStream() *stream {
	return &stream{
		entries: btree.NewG(btreeDegree, entryLess),
		nodes:   btree.NewG(8, nodeLess),
	}
}

func newPEL() *btree.BTreeG[*streamNACK] { return btree.NewG(16, nackLess) }

// encoding is what OBJECT ENCODING reports for a stream.
func (s *stream) encoding() string { return "stream" }

func (s *stream) len() int { return s.entries.Len() }

// cloneObject deep-copies the stream for COPY: entries (field strings are
// immutable and shared), node shadows, counters and groups with their PELs.
func (s *stream) cloneObject() any {
	n := newStream()
	n.last, n.first, n.maxDeleted, n.entriesAdded = s.last, s.first, s.maxDeleted, s.entriesAdded
	nodeMap := make(map[*streamNode]*streamNode, s.nodes.Len())
	s.nodes.Ascend(func(nd *streamNode) bool {
		c := *nd
		nodeMap[nd] = &c
		n.nodes.ReplaceOrInsert(&c)
		return true
	})
	s.entries.Ascend(func(e *streamEntry) bool {
		n.entries.ReplaceOrInsert(&streamEntry{id: e.id, fields: e.fields, node: nodeMap[e.node]})
		return true
	})
	if s.groups != nil {
		n.groups = make(map[string]*streamGroup, len(s.groups))
		for name, g := range s.groups {
			ng := &streamGroup{name: name, lastID: g.lastID, entriesRead: g.entriesRead, pel: newPEL(), consumers: map[string]*streamConsumer{}}
			for cname, c := range g.consumers {
				ng.consumers[cname] = &streamConsumer{name: cname, seenTime: c.seenTime, pel: newPEL()}
			}
			g.pel.Ascend(func(nk *streamNACK) bool {
				c := ng.consumers[nk.consumer.name]
				nn := &streamNACK{id: nk.id, consumer: c, deliveryTime: nk.deliveryTime, deliveryCount: nk.deliveryCount}
				ng.pel.ReplaceOrInsert(nn)
				c.pel.ReplaceOrInsert(nn)
				return true
			})
			n.groups[name] = ng
		}
	}
	return n
}

// checkInvariants verifies the counters against the contents and the PELs
// of groups against those of their consumers.
func (s *stream) checkInvariants() error {
	live := map[*streamNode]int{}
	var prev *streamEntry
	var err error
	s.entries.Ascend(func(e *streamEntry) bool {
		if e.node == nil {
			err = fmt.Errorf("entry %s has no node", e.id)
			return false
		}
		if nd, ok := s.nodes.Get(e.node); !ok || nd != e.node {
			err = fmt.Errorf("entry %s: its node %s is not in the node index", e.id, e.node.master)
			return false
		}
		if e.id.Less(e.node.master) || e.node.last.Less(e.id) {
			err = fmt.Errorf("entry %s outside its node [%s, %s]", e.id, e.node.master, e.node.last)
			return false
		}
		if prev != nil && prev.node != e.node && e.node.master.Less(prev.node.master) {
			err = fmt.Errorf("entry %s: nodes out of order", e.id)
			return false
		}
		if len(e.fields) == 0 || len(e.fields)%2 != 0 {
			err = fmt.Errorf("entry %s has %d field strings", e.id, len(e.fields))
			return false
		}
		live[e.node]++
		prev = e
		return true
	})
	if err != nil {
		return err
	}
	s.nodes.Ascend(func(nd *streamNode) bool {
		if live[nd] != nd.live {
			err = fmt.Errorf("node %s: live count %d, entries %d", nd.master, nd.live, live[nd])
			return false
		}
		if nd.live+nd.deleted > streamNodeMaxEntries {
			err = fmt.Errorf("node %s holds %d entries", nd.master, nd.live+nd.deleted)
			return false
		}
		return true
	})
	if err != nil {
		return err
	}
	if n := s.len(); n == 0 {
		if !s.first.IsZero() {
			return fmt.Errorf("empty stream with first ID %s", s.first)
		}
	} else {
		f, _ := s.entries.Min()
		l, _ := s.entries.Max()
		if f.id != s.first {
			return fmt.Errorf("first ID %s, first entry %s", s.first, f.id)
		}
		if s.last.Less(l.id) {
			return fmt.Errorf("last ID %s below last entry %s", s.last, l.id)
		}
	}
	if s.entriesAdded < uint64(s.len()) {
		return fmt.Errorf("entries-added %d below length %d", s.entriesAdded, s.len())
	}
	for name, g := range s.groups {
		total := 0
		for cname, c := range g.consumers {
			if c.name != cname {
				return fmt.Errorf("group %q: consumer %q filed as %q", name, c.name, cname)
			}
			total += c.pel.Len()
			c.pel.Ascend(func(nk *streamNACK) bool {
				if gn, ok := g.pel.Get(nk); !ok || gn != nk {
					err = fmt.Errorf("group %q: consumer %q pending %s missing from the group PEL", name, cname, nk.id)
					return false
				}
				if nk.consumer != c {
					err = fmt.Errorf("group %q: pending %s in consumer %q's list names another consumer", name, nk.id, cname)
					return false
				}
				return true
			})
			if err != nil {
				return err
			}
		}
		if total != g.pel.Len() {
			return fmt.Errorf("group %q: PEL has %d entries, consumers %d", name, g.pel.Len(), total)
		}
		g.pel.Ascend(func(nk *streamNACK) bool {
			if c := g.consumers[nk.consumer.name]; c != nk.consumer {
				err = fmt.Errorf("group %q: pending %s owned by a consumer not in the group", name, nk.id)
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

// ---- listpack size model ----

// lpIntSize is the size of an integer element of a listpack, backlen
// included.
func lpIntSize(v int64) int {
	switch {
	case v >= 0 && v <= 127:
		return 2
	case v >= -4096 && v <= 4095:
		return 3
	case v >= -32768 && v <= 32767:
		return 4
	case v >= -8388608 && v <= 8388607:
		return 5
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return 6
	}
	return 10
}

// lpStrSize is the size of a string element, which a listpack stores as an
// integer when it is one.
func lpStrSize(s string) int {
	if v, ok := parseInt(s); ok {
		return lpIntSize(v)
	}
	n := len(s)
	switch {
	case n <= 63:
		n++
	case n <= 4095:
		n += 2
	default:
		n += 5
	}
	switch {
	case n <= 127:
		return n + 1
	case n < 16383:
		return n + 2
	case n < 2097151:
		return n + 3
	case n < 268435455:
		return n + 4
	}
	return n + 5
}

// ---- entries ----

// probe returns a search key for the entry tree.
func entryProbe(id streamID) *streamEntry { return &streamEntry{id: id} }

// get returns the entry with id, or nil.
func (s *stream) get(id streamID) *streamEntry {
	e, _ := s.entries.Get(entryProbe(id))
	return e
}

// nextID is streamNextID: the clock's millisecond with sequence 0 when it
// is ahead of the last ID, otherwise the last ID plus one, so IDs stay
// monotonic when the clock goes backwards.
func (s *stream) nextID(now int64) (streamID, bool) {
	if now > 0 && uint64(now) > s.last.Ms {
		return streamID{Ms: uint64(now)}, true
	}
	return s.last.Next()
}

// errXAddIDTooSmall is returned by add when the ID is not above the top.
var errXAddIDTooSmall = errors.New("id too small")

// add appends an entry as streamAppendItem does: with the given ID when
// given (seqGiven false: choose the sequence), otherwise a new one.
func (s *stream) add(fields []string, given *streamID, seqGiven bool, now int64) (streamID, error) {
	var id streamID
	switch {
	case given == nil:
		var ok bool
		if id, ok = s.nextID(now); !ok {
			return id, errXAddIDTooSmall
		}
	case seqGiven:
		id = *given
	default:
		if s.last.Ms == given.Ms {
			if s.last.Seq == math.MaxUint64 {
				return id, errXAddIDTooSmall
			}
			id = streamID{Ms: given.Ms, Seq: s.last.Seq + 1}
		} else {
			id = *given
		}
	}
	if id.Compare(s.last) <= 0 {
		return id, errXAddIDTooSmall
	}
	s.insert(id, fields)
	s.entriesAdded++
	s.last = id
	if s.len() == 1 {
		s.first = id
	}
	return id, nil
}

// insert places a new entry (greater than every other) in the tail node,
// or opens a node when the tail one is full by Redis's rules.
func (s *stream) insert(id streamID, fields []string) {
	nd, _ := s.nodes.Max()
	if nd != nil {
		tot := 0
		for _, f := range fields {
			tot += len(f)
		}
		if nd.bytes+tot >= streamNodeMaxBytes || nd.live+nd.deleted >= streamNodeMaxEntries {
			nd = nil
		}
	}
	s.insertInto(nd, id, fields)
}

// insertInto appends a new entry (greater than every other) to node nd,
// which must be the tail node, or to a new node when nd is nil. Loading a
// snapshot or RESTORE payload calls it to rebuild another stream's node
// layout.
func (s *stream) insertInto(nd *streamNode, id streamID, fields []string) {
	n := len(fields) / 2
	same := false
	if nd == nil {
		nd = &streamNode{master: id, bytes: 7}
		nd.masterFields = make([]string, n)
		// Master entry: count, deleted, num-fields, the fields, terminator.
		nd.bytes += lpIntSize(1) + lpIntSize(0) + lpIntSize(int64(n)) + lpIntSize(0)
		for i := 0; i < n; i++ {
			nd.masterFields[i] = fields[2*i]
			nd.bytes += lpStrSize(fields[2*i])
		}
		s.nodes.ReplaceOrInsert(nd)
		same = true
	} else if n == len(nd.masterFields) {
		same = true
		for i := 0; i < n; i++ {
			if fields[2*i] != nd.masterFields[i] {
				same = false
				break
			}
		}
	}
	// Entry: flags, ms delta, seq delta, [num-fields], [field] value ...,
	// lp-count.
	b := lpIntSize(0) + lpIntSize(int64(id.Ms-nd.master.Ms)) + lpIntSize(int64(id.Seq-nd.master.Seq))
	lpCount := int64(n + 3)
	if same {
		for i := 0; i < n; i++ {
			b += lpStrSize(fields[2*i+1])
		}
	} else {
		b += lpIntSize(int64(n))
		for _, f := range fields {
			b += lpStrSize(f)
		}
		lpCount += int64(n + 1)
	}
	b += lpIntSize(lpCount)
	nd.bytes += b
	nd.live++
	nd.last = id
	s.entries.ReplaceOrInsert(&streamEntry{id: id, fields: fields, node: nd})
}

// remove deletes one entry as XDEL does: its node keeps the space (marked
// deleted) until no live entry is left, when the node goes.
func (s *stream) remove(e *streamEntry) {
	s.entries.Delete(e)
	nd := e.node
	nd.live--
	nd.deleted++
	if nd.live == 0 {
		s.nodes.Delete(nd)
	}
}

// updateFirst recomputes the first ID after removals.
func (s *stream) updateFirst() {
	if f, ok := s.entries.Min(); ok {
		s.first = f.id
	} else {
		s.first = streamID{}
	}
}

// trimArgs are the parsed trimming options of XADD and XTRIM.
type trimArgs struct {
	strategy int // trimNone, trimMaxLen, trimMinID
	maxLen   int64
	minID    streamID
	approx   bool
	limit    int64 // 0: no limit
}

const (
	trimNone = iota
	trimMaxLen
	trimMinID
)

// trim is streamTrim: whole nodes go while they can, then, unless approx,
// entries inside the first remaining node. It returns how many entries it
// removed. The max-deleted ID is not changed by trimming, as in Redis.
func (s *stream) trim(a *trimArgs) int64 {
	var deleted int64
	for {
		if a.strategy == trimMaxLen && int64(s.len()) <= a.maxLen {
			break
		}
		nd, ok := s.nodes.Min()
		if !ok {
			break
		}
		entries := int64(nd.live)
		if a.limit != 0 && deleted+entries > a.limit {
			break
		}
		var removeNode bool
		if a.strategy == trimMaxLen {
			removeNode = int64(s.len())-entries >= a.maxLen
		} else {
			removeNode = nd.last.Less(a.minID)
		}
		if removeNode {
			var doomed []*streamEntry
			s.entries.AscendGreaterOrEqual(entryProbe(nd.master), func(e *streamEntry) bool {
				if e.node != nd {
					return false
				}
				doomed = append(doomed, e)
				return true
			})
			for _, e := range doomed {
				s.entries.Delete(e)
			}
			s.nodes.Delete(nd)
			deleted += entries
			continue
		}
		if a.approx {
			break
		}
		var doomed []*streamEntry
		length := int64(s.len())
		s.entries.AscendGreaterOrEqual(entryProbe(nd.master), func(e *streamEntry) bool {
			if e.node != nd {
				return false
			}
			if a.strategy == trimMaxLen {
				if length <= a.maxLen {
					return false
				}
			} else if e.id.Compare(a.minID) >= 0 {
				return false
			}
			doomed = append(doomed, e)
			length--
			return true
		})
		for _, e := range doomed {
			// Marked deleted inside the node; the node stays even when
			// no live entry is left in it, as in Redis.
			s.entries.Delete(e)
			nd.live--
			nd.deleted++
		}
		deleted += int64(len(doomed))
		break
	}
	if deleted > 0 {
		s.updateFirst()
	}
	return deleted
}

// lastValidID is streamLastValidID: the greatest entry ID, 0-0 when empty.
func (s *stream) lastValidID() streamID {
	if l, ok := s.entries.Max(); ok {
		return l.id
	}
	return streamID{}
}

// rangeHasTombstones is streamRangeHasTombstones: whether an entry deleted
// by XDEL may lie in [start, end] (end nil: up to the maximum ID).
func (s *stream) rangeHasTombstones(start streamID, end *streamID) bool {
	if s.len() == 0 || s.maxDeleted.IsZero() {
		return false
	}
	if s.first.Compare(s.maxDeleted) > 0 {
		return false
	}
	e := streamid.Max
	if end != nil {
		e = *end
	}
	return start.Compare(s.maxDeleted) <= 0 && s.maxDeleted.Compare(e) <= 0
}

// estimateDistance is streamEstimateDistanceFromFirstEverEntry: the logical
// position (1-based count of entries ever added) of id, when it can be
// known, otherwise entriesReadInvalid.
func (s *stream) estimateDistance(id streamID) int64 {
	if s.entriesAdded == 0 {
		return 0
	}
	if s.len() == 0 && id.Compare(s.last) < 1 {
		return int64(s.entriesAdded)
	}
	switch id.Compare(s.last) {
	case 0:
		return int64(s.entriesAdded)
	case 1:
		return entriesReadInvalid
	}
	cmpFirst := id.Compare(s.first)
	if s.maxDeleted.IsZero() || s.maxDeleted.Compare(s.first) < 0 {
		switch {
		case cmpFirst < 0:
			return int64(s.entriesAdded) - int64(s.len())
		case cmpFirst == 0:
			return int64(s.entriesAdded) - int64(s.len()) + 1
		}
	}
	return entriesReadInvalid
}

// lag is the group's lag as XINFO reports it; ok is false when unknown
// (reported as nil).
func (s *stream) lag(g *streamGroup) (int64, bool) {
	if s.entriesAdded == 0 {
		return 0, true
	}
	if g.entriesRead != entriesReadInvalid && !s.rangeHasTombstones(g.lastID, nil) {
		return int64(s.entriesAdded) - g.entriesRead, true
	}
	if r := s.estimateDistance(g.lastID); r != entriesReadInvalid {
		return int64(s.entriesAdded) - r, true
	}
	return 0, false
}

// ---- groups and consumers ----

func (s *stream) group(name string) *streamGroup {
	if s.groups == nil {
		return nil
	}
	return s.groups[name]
}

// sortedGroups returns the groups in the order of Redis's rax (bytewise).
func (s *stream) sortedGroups() []*streamGroup {
	gs := make([]*streamGroup, 0, len(s.groups))
	for _, g := range s.groups {
		gs = append(gs, g)
	}
	sort.Slice(gs, func(i, j int) bool { return gs[i].name < gs[j].name })
	return gs
}

func (g *streamGroup) sortedConsumers() []*streamConsumer {
	cs := make([]*streamConsumer, 0, len(g.consumers))
	for _, c := range g.consumers {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	return cs
}

func (s *stream) createGroup(name string, id streamID, entriesRead int64) *streamGroup {
	if s.groups == nil {
		s.groups = map[string]*streamGroup{}
	}
	if s.groups[name] != nil {
		return nil
	}
	g := &streamGroup{name: name, lastID: id, entriesRead: entriesRead, pel: newPEL(), consumers: map[string]*streamConsumer{}}
	s.groups[name] = g
	return g
}

// consumer returns the named consumer, creating it when create; its seen
// time is refreshed to now when refresh.
func (g *streamGroup) consumer(name string, create, refresh bool, now int64) *streamConsumer {
	c := g.consumers[name]
	if c == nil {
		if !create {
			return nil
		}
		c = &streamConsumer{name: name, pel: newPEL(), seenTime: now}
		g.consumers[name] = c
	}
	if refresh {
		c.seenTime = now
	}
	return c
}

// delConsumer removes a consumer and its pending entries from the group,
// returning how many were pending.
func (g *streamGroup) delConsumer(name string) int64 {
	c := g.consumers[name]
	if c == nil {
		return 0
	}
	n := int64(c.pel.Len())
	c.pel.Ascend(func(nk *streamNACK) bool {
		g.pel.Delete(nk)
		return true
	})
	delete(g.consumers, name)
	return n
}

func nackProbe(id streamID) *streamNACK { return &streamNACK{id: id} }

// deliver records that the entry id was delivered to c (streamReplyWithRange
// for a group): a new NACK, or an existing one reassigned to c with its
// count reset.
func (g *streamGroup) deliver(c *streamConsumer, id streamID, now int64) {
	if nk, ok := g.pel.Get(nackProbe(id)); ok {
		nk.consumer.pel.Delete(nk)
		nk.consumer = c
		nk.deliveryTime = now
		nk.deliveryCount = 1
		c.pel.ReplaceOrInsert(nk)
		return
	}
	nk := &streamNACK{id: id, consumer: c, deliveryTime: now, deliveryCount: 1}
	g.pel.ReplaceOrInsert(nk)
	c.pel.ReplaceOrInsert(nk)
}

// dropNACK removes a pending entry from the group and its consumer.
func (g *streamGroup) dropNACK(nk *streamNACK) {
	g.pel.Delete(nk)
	if nk.consumer != nil {
		nk.consumer.pel.Delete(nk)
	}
}

// ---- replies ----

func idValue(id streamID) Value { return BulkValue(id.String()) }

// entryValue is the [id, [field, value, ...]] reply of one entry.
func entryValue(e *streamEntry) Value {
	return ArrayValue(idValue(e.id), bulkStrings(e.fields))
}

// rangeEntries collects entries from start to end (inclusive), forward or
// reverse, at most count (0: all).
func (s *stream) rangeEntries(start, end streamID, count int64, rev bool) []*streamEntry {
	var out []*streamEntry
	if start.Compare(end) > 0 {
		return nil
	}
	visit := func(e *streamEntry) bool {
		out = append(out, e)
		return count == 0 || int64(len(out)) < count
	}
	if rev {
		s.entries.DescendRange(entryProbe(end), entryProbe(start), func(e *streamEntry) bool {
			return visit(e)
		})
		// DescendRange excludes the lower bound.
		if (count == 0 || int64(len(out)) < count) && s.get(start) != nil {
			out = append(out, s.get(start))
		}
		return out
	}
	s.entries.AscendGreaterOrEqual(entryProbe(start), func(e *streamEntry) bool {
		if e.id.Compare(end) > 0 {
			return false
		}
		return visit(e)
	})
	return out
}

func entriesValue(es []*streamEntry) Value {
	vs := make([]Value, len(es))
	for i, e := range es {
		vs[i] = entryValue(e)
	}
	return ArrayValue(vs...)
}

// ---- typed methods ----

// XField is one field and its value in a stream entry. Entries keep their
// fields in the order they were added, duplicates included.
type XField struct {
	// Field is the field's name; Value is its value.
	Field, Value string
}

// XMessage is a stream entry. Deleted is true (and Fields nil) for an
// entry that a consumer's history still lists as pending but that was
// deleted from the stream since (XREADGROUP with an ID).
type XMessage struct {
	// ID is the entry's ID, "<ms>-<seq>".
	ID string
	// Fields are the entry's fields in the order they were added; nil
	// when Deleted.
	Fields []XField
	// Deleted reports a pending entry that was deleted from the stream.
	Deleted bool
}

// XStream is what a read returned for one stream.
type XStream struct {
	// Stream is the stream's key.
	Stream string
	// Messages are the entries read from it, in ID order.
	Messages []XMessage
}

// XTrimOptions selects the entries a trim removes: with MinID set, those
// with IDs below MinID (MINID); otherwise the oldest beyond MaxLen entries
// (MAXLEN, 0 allowed). Approx ("~") lets Redis remove only whole internal
// nodes of 100 entries, which is much cheaper and may keep a few more
// entries than asked; Limit (only with Approx) caps the entries removed in
// one call, 0 meaning the default of 10000.
type XTrimOptions struct {
	// MaxLen is the number of newest entries to keep (MAXLEN); used only
	// when MinID is empty. 0 empties the stream.
	MaxLen int64
	// MinID, when not empty, removes the entries with IDs below it
	// (MINID) instead of trimming by MaxLen.
	MinID string
	// Approx trims approximately ("~") rather than exactly ("=").
	Approx bool
	// Limit, when not 0, caps the entries removed in one call (LIMIT);
	// only valid with Approx. 0 means the default of 10000.
	Limit int64
}

func (o *XTrimOptions) args(args []string) []string {
	op := "="
	if o.Approx {
		op = "~"
	}
	if o.MinID != "" {
		args = append(args, "minid", op, o.MinID)
	} else {
		args = append(args, "maxlen", op, strconv.FormatInt(o.MaxLen, 10))
	}
	if o.Limit != 0 {
		args = append(args, "limit", strconv.FormatInt(o.Limit, 10))
	}
	return args
}

// XAddArgs are the arguments of XAdd.
type XAddArgs struct {
	// Stream is the key.
	Stream string
	// ID is the entry's ID: "" or "*" for one generated from the store's
	// clock, "<ms>-*" for a generated sequence, or an explicit "<ms>-<seq>"
	// greater than the stream's last ID.
	ID string
	// NoMkStream, when true, does not create a missing stream: XAdd then
	// returns Nil (NOMKSTREAM).
	NoMkStream bool
	// Trim, when set, trims the stream after the addition.
	Trim *XTrimOptions
	// Fields are the entry's fields, at least one.
	Fields []XField
}

// XAdd appends an entry to a stream, creating the stream unless
// NoMkStream, and returns its ID (XADD). Errors: ErrStreamIDTooSmall when
// an explicit ID is not above the stream's last ID, ErrStreamIDZero for
// 0-0, ErrStreamInvalidID for a malformed ID, ErrWrongType.
func (d *DB) XAdd(ctx context.Context, a XAddArgs) (string, error) {
	args := make([]string, 0, 8+2*len(a.Fields))
	args = append(args, "xadd", a.Stream)
	if a.NoMkStream {
		args = append(args, "nomkstream")
	}
	if a.Trim != nil {
		args = a.Trim.args(args)
	}
	id := a.ID
	if id == "" {
		id = "*"
	}
	args = append(args, id)
	for _, f := range a.Fields {
		args = append(args, f.Field, f.Value)
	}
	return asString(d.exec(ctx, args))
}

// XLen returns the number of entries of a stream, 0 when the key does not
// exist (XLEN).
func (d *DB) XLen(ctx context.Context, key string) (int64, error) {
	return asInt(d.execArgs(ctx, "xlen", key))
}

// XRange returns the entries with IDs from start to end, both inclusive
// (XRANGE). "-" and "+" are the smallest and largest IDs, "(" before an ID
// excludes it, and an ID without sequence ("5") means 5-0 as start and
// 5-<max> as end. count > 0 returns at most count entries; 0 returns all.
func (d *DB) XRange(ctx context.Context, key, start, end string, count int64) ([]XMessage, error) {
	return asXMessages(d.exec(ctx, rangeArgs("xrange", key, start, end, count)))
}

// XRevRange is XRange in reverse order, from end down to start
// (XREVRANGE end start).
func (d *DB) XRevRange(ctx context.Context, key, end, start string, count int64) ([]XMessage, error) {
	return asXMessages(d.exec(ctx, rangeArgs("xrevrange", key, end, start, count)))
}

func rangeArgs(cmd, key, a, b string, count int64) []string {
	args := []string{cmd, key, a, b}
	if count > 0 {
		args = append(args, "count", strconv.FormatInt(count, 10))
	}
	return args
}

// XDel deletes entries by ID and returns how many existed (XDEL).
func (d *DB) XDel(ctx context.Context, key string, ids ...string) (int64, error) {
	return asInt(d.exec(ctx, append([]string{"xdel", key}, ids...)))
}

// XTrim trims a stream and returns how many entries it removed (XTRIM).
func (d *DB) XTrim(ctx context.Context, key string, o XTrimOptions) (int64, error) {
	return asInt(d.exec(ctx, o.args([]string{"xtrim", key})))
}

// BlockForever, as the Block of XReadArgs or XReadGroupArgs, waits without
// a timeout (BLOCK 0).
const BlockForever time.Duration = -1

// XReadArgs are the arguments of XRead.
type XReadArgs struct {
	// Streams are the keys, IDs the ID after which to read in each (in
	// the same order); "$" reads only entries added after the call.
	Streams []string
	// IDs holds one ID per entry of Streams, in the same order: entries
	// with greater IDs are read; "$" means the stream's last ID.
	IDs []string
	// Count caps the entries returned per stream; 0 means no cap.
	Count int64
	// Block, when not 0, asks to wait up to Block (BlockForever: without
	// limit; measured on the store's clock, in whole milliseconds rounded
	// up) for entries when none are available; the call also ends when
	// ctx does. A reader that waited is answered with the entries of the
	// one stream that got them first. Where a command may not block, as
	// inside MULTI, the read returns Nil at once, as Redis does.
	Block time.Duration
}

func blockArgs(args []string, block time.Duration) []string {
	switch {
	case block == BlockForever:
		args = append(args, "block", "0")
	case block > 0:
		// Rounded up: BLOCK 0 would wait without limit.
		ms := int64((block + time.Millisecond - 1) / time.Millisecond)
		args = append(args, "block", strconv.FormatInt(ms, 10))
	}
	return args
}

// XRead reads entries after the given IDs from one or more streams
// (XREAD) and returns the streams that had any, in argument order. Nil
// when none had.
func (d *DB) XRead(ctx context.Context, a XReadArgs) ([]XStream, error) {
	args := []string{"xread"}
	if a.Count > 0 {
		args = append(args, "count", strconv.FormatInt(a.Count, 10))
	}
	args = blockArgs(args, a.Block)
	args = append(args, "streams")
	args = append(args, a.Streams...)
	args = append(args, a.IDs...)
	return asXStreams(d.exec(ctx, args))
}

// XReadGroupArgs are the arguments of XReadGroup.
type XReadGroupArgs struct {
	// Group and Consumer name the reader; the consumer is created on its
	// first read.
	Group, Consumer string
	// Streams are the keys, IDs for each: ">" for entries never delivered
	// to the group, or an ID to re-read this consumer's own pending
	// entries after it.
	Streams []string
	// IDs holds one ID per entry of Streams, in the same order: ">" for
	// new entries, or an ID after which to re-read the consumer's own
	// pending entries.
	IDs []string
	// Count caps the entries returned per stream; 0 means no cap.
	Count int64
	// NoAck delivers without adding the entries to the pending lists.
	NoAck bool
	// Block: as in XReadArgs.
	Block time.Duration
}

// XReadGroup reads as a consumer of a group (XREADGROUP): new entries
// become pending for the consumer until XAck. Nil when nothing was
// available. A missing key or group is a NOGROUP error (an *Error whose
// Prefix is "NOGROUP").
func (d *DB) XReadGroup(ctx context.Context, a XReadGroupArgs) ([]XStream, error) {
	args := []string{"xreadgroup", "group", a.Group, a.Consumer}
	if a.Count > 0 {
		args = append(args, "count", strconv.FormatInt(a.Count, 10))
	}
	if a.NoAck {
		args = append(args, "noack")
	}
	args = blockArgs(args, a.Block)
	args = append(args, "streams")
	args = append(args, a.Streams...)
	args = append(args, a.IDs...)
	return asXStreams(d.exec(ctx, args))
}

// XAck acknowledges entries of a group, removing them from its pending
// lists, and returns how many were pending (XACK).
func (d *DB) XAck(ctx context.Context, key, group string, ids ...string) (int64, error) {
	return asInt(d.exec(ctx, append([]string{"xack", key, group}, ids...)))
}

// XPendingSummary is the summary form of XPENDING.
type XPendingSummary struct {
	// Count is the number of pending entries; Lowest and Highest their
	// smallest and greatest IDs ("" when none).
	Count int64
	// Lowest and Highest are the smallest and greatest pending IDs; ""
	// when nothing is pending.
	Lowest, Highest string
	// Consumers are the consumers with pending entries, by name.
	Consumers []XPendingConsumer
}

// XPendingConsumer is a consumer and its number of pending entries.
type XPendingConsumer struct {
	// Name is the consumer's name.
	Name string
	// Pending is the number of entries pending for it.
	Pending int64
}

// XPending returns the summary of a group's pending entries (XPENDING key
// group).
func (d *DB) XPending(ctx context.Context, key, group string) (XPendingSummary, error) {
	v, err := d.execArgs(ctx, "xpending", key, group)
	if err != nil {
		return XPendingSummary{}, err
	}
	if v.kind == KindError {
		return XPendingSummary{}, v.Err()
	}
	var s XPendingSummary
	if len(v.elems) != 4 {
		return s, errReplyShape
	}
	s.Count = v.elems[0].num
	s.Lowest, s.Highest = v.elems[1].Str(), v.elems[2].Str()
	for _, c := range v.elems[3].elems {
		if len(c.elems) == 2 {
			n, _ := strconv.ParseInt(c.elems[1].Str(), 10, 64)
			s.Consumers = append(s.Consumers, XPendingConsumer{Name: c.elems[0].Str(), Pending: n})
		}
	}
	return s, nil
}

// XPendingArgs select pending entries for XPendingExt.
type XPendingArgs struct {
	// Stream is the stream's key and Group the consumer group's name.
	Stream, Group string
	// Start and End bound the IDs ("-" and "+" for all; "(" excludes).
	Start, End string
	// Count caps the entries returned; it must be positive to get any.
	Count int64
	// Consumer, when set, lists only that consumer's entries.
	Consumer string
	// MinIdle, when positive, lists only entries idle at least that long.
	MinIdle time.Duration
}

// XPendingEntry is one pending entry.
type XPendingEntry struct {
	// ID is the entry's ID and Consumer the consumer it is pending for.
	ID, Consumer string
	// Idle is the time since the entry was last delivered.
	Idle time.Duration
	// Deliveries is how many times it was delivered.
	Deliveries int64
}

// XPendingExt lists pending entries of a group (the extended XPENDING).
func (d *DB) XPendingExt(ctx context.Context, a XPendingArgs) ([]XPendingEntry, error) {
	args := []string{"xpending", a.Stream, a.Group}
	if a.MinIdle > 0 {
		args = append(args, "idle", strconv.FormatInt(int64(a.MinIdle/time.Millisecond), 10))
	}
	args = append(args, a.Start, a.End, strconv.FormatInt(a.Count, 10))
	if a.Consumer != "" {
		args = append(args, a.Consumer)
	}
	v, err := d.exec(ctx, args)
	if err != nil {
		return nil, err
	}
	if v.kind == KindError {
		return nil, v.Err()
	}
	out := make([]XPendingEntry, 0, len(v.elems))
	for _, e := range v.elems {
		if len(e.elems) != 4 {
			return nil, errReplyShape
		}
		out = append(out, XPendingEntry{ID: e.elems[0].Str(), Consumer: e.elems[1].Str(),
			Idle: time.Duration(e.elems[2].num) * time.Millisecond, Deliveries: e.elems[3].num})
	}
	return out, nil
}

// XClaimArgs are the arguments of XClaim and XClaimJustID.
type XClaimArgs struct {
	// Stream is the stream's key, Group the consumer group's name and
	// Consumer the consumer that takes the entries (created if missing).
	Stream, Group, Consumer string
	// MinIdle: only entries idle at least this long are claimed (sent in
	// whole milliseconds, truncated; 0 claims regardless of idle time).
	MinIdle time.Duration
	// IDs are the IDs of the entries to claim.
	IDs []string
	// Idle, when positive, sets the claimed entries' idle time (IDLE,
	// in whole milliseconds).
	Idle time.Duration
	// Time, when not zero, sets the claimed entries' last delivery time
	// instead (TIME, in Unix milliseconds); it overrides Idle.
	Time time.Time
	// RetryCount, when not nil, sets their delivery count (RETRYCOUNT).
	RetryCount *int64
	// Force creates pending entries for IDs that exist in the stream but
	// are not pending (FORCE).
	Force bool
	// LastID, when set, advances the group's last delivered ID to it if
	// greater (LASTID).
	LastID string
}

func (a *XClaimArgs) args(justID bool) []string {
	args := []string{"xclaim", a.Stream, a.Group, a.Consumer, strconv.FormatInt(int64(a.MinIdle/time.Millisecond), 10)}
	args = append(args, a.IDs...)
	if a.Idle > 0 {
		args = append(args, "idle", strconv.FormatInt(int64(a.Idle/time.Millisecond), 10))
	}
	if !a.Time.IsZero() {
		args = append(args, "time", strconv.FormatInt(a.Time.UnixMilli(), 10))
	}
	if a.RetryCount != nil {
		args = append(args, "retrycount", strconv.FormatInt(*a.RetryCount, 10))
	}
	if a.Force {
		args = append(args, "force")
	}
	if a.LastID != "" {
		args = append(args, "lastid", a.LastID)
	}
	if justID {
		args = append(args, "justid")
	}
	return args
}

// XClaim transfers pending entries to a consumer and returns the entries
// claimed (XCLAIM); each claim counts a delivery. Pending entries whose
// stream entry was deleted are dropped from the pending list silently.
func (d *DB) XClaim(ctx context.Context, a XClaimArgs) ([]XMessage, error) {
	return asXMessages(d.exec(ctx, a.args(false)))
}

// XClaimJustID is XClaim returning only the IDs, without counting a
// delivery (XCLAIM ... JUSTID).
func (d *DB) XClaimJustID(ctx context.Context, a XClaimArgs) ([]string, error) {
	return asStrings(d.exec(ctx, a.args(true)))
}

// XAutoClaimArgs are the arguments of XAutoClaim.
type XAutoClaimArgs struct {
	// Stream is the stream's key, Group the consumer group's name and
	// Consumer the consumer that takes the entries (created if missing).
	Stream, Group, Consumer string
	// MinIdle: only entries idle at least this long are claimed.
	MinIdle time.Duration
	// Start is the ID to scan the pending list from ("0-0" or "-" at
	// first, then the cursor the previous call returned).
	Start string
	// Count caps the entries examined-and-claimed; 0 means Redis's 100.
	Count int64
}

func (a *XAutoClaimArgs) args(justID bool) []string {
	args := []string{"xautoclaim", a.Stream, a.Group, a.Consumer, strconv.FormatInt(int64(a.MinIdle/time.Millisecond), 10), a.Start}
	if a.Start == "" {
		args[5] = "0-0"
	}
	if a.Count > 0 {
		args = append(args, "count", strconv.FormatInt(a.Count, 10))
	}
	if justID {
		args = append(args, "justid")
	}
	return args
}

// XAutoClaim claims pending entries idle at least MinIdle, scanning the
// group's pending list from Start (XAUTOCLAIM). It returns the claimed
// entries, the cursor to pass as the next Start ("0-0" when the scan is
// complete), and the IDs of pending entries it dropped because they were
// deleted from the stream.
func (d *DB) XAutoClaim(ctx context.Context, a XAutoClaimArgs) (claimed []XMessage, next string, deleted []string, err error) {
	items, next, deleted, err := asAutoClaim(d.exec(ctx, a.args(false)))
	if err != nil {
		return nil, "", nil, err
	}
	claimed, err = asXMessages(items, nil)
	return claimed, next, deleted, err
}

// asAutoClaim splits an XAUTOCLAIM reply: [next cursor, claimed, deleted IDs].
func asAutoClaim(v Value, err error) (claimed Value, next string, deleted []string, _ error) {
	if err != nil {
		return Value{}, "", nil, err
	}
	if v.kind == KindError {
		return Value{}, "", nil, v.Err()
	}
	if len(v.elems) != 3 {
		return Value{}, "", nil, errReplyShape
	}
	deleted, _ = asStrings(v.elems[2], nil)
	return v.elems[1], v.elems[0].Str(), deleted, nil
}

// XAutoClaimJustID is XAutoClaim returning only IDs, without counting a
// delivery (XAUTOCLAIM ... JUSTID).
func (d *DB) XAutoClaimJustID(ctx context.Context, a XAutoClaimArgs) (claimed []string, next string, deleted []string, err error) {
	items, next, deleted, err := asAutoClaim(d.exec(ctx, a.args(true)))
	if err != nil {
		return nil, "", nil, err
	}
	claimed, _ = asStrings(items, nil)
	return claimed, next, deleted, nil
}

// XSetIDOptions are XSetID's optional arguments.
type XSetIDOptions struct {
	// EntriesAdded, when not nil, sets the count of entries ever added.
	EntriesAdded *int64
	// MaxDeletedID, when set, sets the greatest deleted ID.
	MaxDeletedID string
}

// XSetID sets a stream's last generated ID (XSETID); it may not go below
// the last entry's. ErrNoSuchKey when the key does not exist.
func (d *DB) XSetID(ctx context.Context, key, id string, o XSetIDOptions) error {
	args := []string{"xsetid", key, id}
	if o.EntriesAdded != nil {
		args = append(args, "entriesadded", strconv.FormatInt(*o.EntriesAdded, 10))
	}
	if o.MaxDeletedID != "" {
		args = append(args, "maxdeletedid", o.MaxDeletedID)
	}
	return asOK(d.exec(ctx, args))
}

// XGroupOptions are the options of XGroupCreate and XGroupSetID.
type XGroupOptions struct {
	// MkStream creates the stream when it does not exist (CREATE only).
	MkStream bool
	// EntriesRead, when not nil, sets the group's count of entries read,
	// from which its lag is computed (-1: unknown).
	EntriesRead *int64
}

// XGroupCreate creates a consumer group whose last delivered ID is id
// ("$": the stream's last ID; "0": deliver everything) (XGROUP CREATE).
// ErrBusyGroup when it exists; ErrXGroupKeyMissing when the stream does
// not exist and MkStream is false.
func (d *DB) XGroupCreate(ctx context.Context, key, group, id string, o XGroupOptions) error {
	args := []string{"xgroup", "create", key, group, id}
	if o.MkStream {
		args = append(args, "mkstream")
	}
	if o.EntriesRead != nil {
		args = append(args, "entriesread", strconv.FormatInt(*o.EntriesRead, 10))
	}
	return asOK(d.exec(ctx, args))
}

// XGroupSetID sets a group's last delivered ID (XGROUP SETID); MkStream is
// ignored.
func (d *DB) XGroupSetID(ctx context.Context, key, group, id string, o XGroupOptions) error {
	args := []string{"xgroup", "setid", key, group, id}
	if o.EntriesRead != nil {
		args = append(args, "entriesread", strconv.FormatInt(*o.EntriesRead, 10))
	}
	return asOK(d.exec(ctx, args))
}

// XGroupDestroy deletes a group and reports whether it existed (XGROUP
// DESTROY).
func (d *DB) XGroupDestroy(ctx context.Context, key, group string) (bool, error) {
	return asBool(d.exec(ctx, []string{"xgroup", "destroy", key, group}))
}

// XGroupCreateConsumer adds a consumer to a group and reports whether it
// was new (XGROUP CREATECONSUMER).
func (d *DB) XGroupCreateConsumer(ctx context.Context, key, group, consumer string) (bool, error) {
	return asBool(d.exec(ctx, []string{"xgroup", "createconsumer", key, group, consumer}))
}

// XGroupDelConsumer removes a consumer and returns how many entries it had
// pending, which are dropped from the group's pending list (XGROUP
// DELCONSUMER).
func (d *DB) XGroupDelConsumer(ctx context.Context, key, group, consumer string) (int64, error) {
	return asInt(d.exec(ctx, []string{"xgroup", "delconsumer", key, group, consumer}))
}

// XInfoStreamResult is XINFO STREAM's reply.
type XInfoStreamResult struct {
	XStreamCounters
	// Groups is the number of consumer groups.
	Groups int64
	// FirstEntry and LastEntry are nil when the stream is empty.
	FirstEntry, LastEntry *XMessage
}

// XStreamCounters are the figures both forms of XINFO STREAM report.
type XStreamCounters struct {
	// Length is the number of entries (XLEN).
	Length int64
	// RadixTreeKeys and RadixTreeNodes describe Redis's internal layout,
	// which embedis emulates so the numbers match.
	RadixTreeKeys, RadixTreeNodes int64
	// LastGeneratedID is the ID of the last entry ever added.
	LastGeneratedID string
	// MaxDeletedEntryID is the largest ID ever deleted ("0-0" if none).
	MaxDeletedEntryID string
	// EntriesAdded counts every entry ever added, deleted ones included.
	EntriesAdded int64
	// RecordedFirstEntryID is the ID of the first entry still present.
	RecordedFirstEntryID string
}

// setField stores one field of an XINFO STREAM reply; it reports whether
// the field was one of the counters.
func (h *XStreamCounters) setField(name string, val Value) bool {
	switch name {
	case "length":
		h.Length = val.num
	case "radix-tree-keys":
		h.RadixTreeKeys = val.num
	case "radix-tree-nodes":
		h.RadixTreeNodes = val.num
	case "last-generated-id":
		h.LastGeneratedID = val.Str()
	case "max-deleted-entry-id":
		h.MaxDeletedEntryID = val.Str()
	case "entries-added":
		h.EntriesAdded = val.num
	case "recorded-first-entry-id":
		h.RecordedFirstEntryID = val.Str()
	default:
		return false
	}
	return true
}

// XInfoStream describes a stream (XINFO STREAM). ErrNoSuchKey when the key
// does not exist.
func (d *DB) XInfoStream(ctx context.Context, key string) (XInfoStreamResult, error) {
	var r XInfoStreamResult
	v, err := d.execArgs(ctx, "xinfo", "stream", key)
	if err != nil {
		return r, err
	}
	if v.kind == KindError {
		return r, v.Err()
	}
	for i := 0; i+1 < len(v.elems); i += 2 {
		val := v.elems[i+1]
		if r.setField(v.elems[i].Str(), val) {
			continue
		}
		switch v.elems[i].Str() {
		case "groups":
			r.Groups = val.num
		case "first-entry", "last-entry":
			if val.IsNull() {
				continue
			}
			m := toXMessage(val)
			if v.elems[i].Str() == "first-entry" {
				r.FirstEntry = &m
			} else {
				r.LastEntry = &m
			}
		}
	}
	return r, nil
}

// XInfoStreamFullResult is XINFO STREAM FULL's reply.
type XInfoStreamFullResult struct {
	XStreamCounters
	// Entries are the first entries, at most the COUNT asked for.
	Entries []XMessage
	// Groups describes the stream's consumer groups.
	Groups []XInfoGroupFull
}

// XInfoGroupFull describes a group in XINFO STREAM FULL.
type XInfoGroupFull struct {
	// Name is the group's name.
	Name string
	// LastDeliveredID is the ID of the last entry delivered to the group.
	LastDeliveredID string
	// EntriesRead is the group's logical read counter; -1 when unknown
	// (nil in the reply).
	EntriesRead int64
	// Lag is the number of entries not yet delivered to the group; -1
	// when unknown (nil in the reply).
	Lag int64
	// PelCount is the number of entries pending in the group.
	PelCount int64
	// Pending are the first pending entries (at most COUNT).
	Pending []XInfoPendingFull
	// Consumers describes the group's consumers.
	Consumers []XInfoConsumerFull
}

// XInfoPendingFull is a pending entry in XINFO STREAM FULL.
type XInfoPendingFull struct {
	// ID is the pending entry's ID.
	ID       string
	Consumer string // empty in a consumer's own list
	// DeliveryTime is the time of the last delivery.
	DeliveryTime time.Time
	// Deliveries is how many times the entry was delivered.
	Deliveries int64
}

// XInfoConsumerFull describes a consumer in XINFO STREAM FULL.
type XInfoConsumerFull struct {
	// Name is the consumer's name.
	Name string
	// SeenTime is when it last read or claimed.
	SeenTime time.Time
	// PelCount is the number of entries pending for the consumer.
	PelCount int64
	// Pending are the consumer's first pending entries (at most COUNT).
	Pending []XInfoPendingFull
}

// XInfoStreamFull describes a stream with its entries, groups, consumers
// and pending lists (XINFO STREAM key FULL COUNT count); every list is
// capped at count, 0 meaning no cap.
func (d *DB) XInfoStreamFull(ctx context.Context, key string, count int64) (XInfoStreamFullResult, error) {
	var r XInfoStreamFullResult
	v, err := d.exec(ctx, []string{"xinfo", "stream", key, "full", "count", strconv.FormatInt(count, 10)})
	if err != nil {
		return r, err
	}
	if v.kind == KindError {
		return r, v.Err()
	}
	ms := func(v Value) time.Time { return time.UnixMilli(v.num) }
	pending := func(v Value, withConsumer bool) []XInfoPendingFull {
		out := make([]XInfoPendingFull, 0, len(v.elems))
		for _, p := range v.elems {
			e := p.elems
			x := XInfoPendingFull{ID: e[0].Str()}
			if withConsumer && len(e) == 4 {
				x.Consumer, x.DeliveryTime, x.Deliveries = e[1].Str(), ms(e[2]), e[3].num
			} else if len(e) == 3 {
				x.DeliveryTime, x.Deliveries = ms(e[1]), e[2].num
			}
			out = append(out, x)
		}
		return out
	}
	for i := 0; i+1 < len(v.elems); i += 2 {
		val := v.elems[i+1]
		if r.setField(v.elems[i].Str(), val) {
			continue
		}
		switch v.elems[i].Str() {
		case "entries":
			r.Entries, _ = asXMessages(val, nil)
		case "groups":
			for _, g := range val.elems {
				x := XInfoGroupFull{EntriesRead: -1, Lag: -1}
				for j := 0; j+1 < len(g.elems); j += 2 {
					gv := g.elems[j+1]
					switch g.elems[j].Str() {
					case "name":
						x.Name = gv.Str()
					case "last-delivered-id":
						x.LastDeliveredID = gv.Str()
					case "entries-read":
						if !gv.IsNull() {
							x.EntriesRead = gv.num
						}
					case "lag":
						if !gv.IsNull() {
							x.Lag = gv.num
						}
					case "pel-count":
						x.PelCount = gv.num
					case "pending":
						x.Pending = pending(gv, true)
					case "consumers":
						for _, c := range gv.elems {
							var cx XInfoConsumerFull
							for k := 0; k+1 < len(c.elems); k += 2 {
								cv := c.elems[k+1]
								switch c.elems[k].Str() {
								case "name":
									cx.Name = cv.Str()
								case "seen-time":
									cx.SeenTime = ms(cv)
								case "pel-count":
									cx.PelCount = cv.num
								case "pending":
									cx.Pending = pending(cv, false)
								}
							}
							x.Consumers = append(x.Consumers, cx)
						}
					}
				}
				r.Groups = append(r.Groups, x)
			}
		}
	}
	return r, nil
}

// XInfoGroup describes a consumer group (XINFO GROUPS).
type XInfoGroup struct {
	// Name is the group's name.
	Name string
	// Consumers is the number of consumers in the group.
	Consumers int64
	// Pending is the number of entries pending in the group (delivered
	// but not acknowledged).
	Pending int64
	// LastDeliveredID is the ID of the last entry delivered to the group.
	LastDeliveredID string
	// EntriesRead is the group's logical read counter; -1 when Redis
	// reports it as unknown (nil).
	EntriesRead int64
	// Lag is the number of entries not yet delivered to the group; -1
	// when Redis reports it as unknown (nil).
	Lag int64
}

// XInfoGroups describes a stream's groups in name order (XINFO GROUPS).
func (d *DB) XInfoGroups(ctx context.Context, key string) ([]XInfoGroup, error) {
	v, err := d.execArgs(ctx, "xinfo", "groups", key)
	if err != nil {
		return nil, err
	}
	if v.kind == KindError {
		return nil, v.Err()
	}
	out := make([]XInfoGroup, 0, len(v.elems))
	for _, g := range v.elems {
		x := XInfoGroup{EntriesRead: -1, Lag: -1}
		for i := 0; i+1 < len(g.elems); i += 2 {
			val := g.elems[i+1]
			switch g.elems[i].Str() {
			case "name":
				x.Name = val.Str()
			case "consumers":
				x.Consumers = val.num
			case "pending":
				x.Pending = val.num
			case "last-delivered-id":
				x.LastDeliveredID = val.Str()
			case "entries-read":
				if !val.IsNull() {
					x.EntriesRead = val.num
				}
			case "lag":
				if !val.IsNull() {
					x.Lag = val.num
				}
			}
		}
		out = append(out, x)
	}
	return out, nil
}

// XInfoConsumer describes a consumer (XINFO CONSUMERS).
type XInfoConsumer struct {
	// Name is the consumer's name.
	Name string
	// Pending is the number of entries pending for the consumer.
	Pending int64
	// Idle is the time since the consumer last read or claimed.
	Idle time.Duration
}

// XInfoConsumers describes a group's consumers in name order (XINFO
// CONSUMERS).
func (d *DB) XInfoConsumers(ctx context.Context, key, group string) ([]XInfoConsumer, error) {
	v, err := d.exec(ctx, []string{"xinfo", "consumers", key, group})
	if err != nil {
		return nil, err
	}
	if v.kind == KindError {
		return nil, v.Err()
	}
	out := make([]XInfoConsumer, 0, len(v.elems))
	for _, c := range v.elems {
		var x XInfoConsumer
		for i := 0; i+1 < len(c.elems); i += 2 {
			val := c.elems[i+1]
			switch c.elems[i].Str() {
			case "name":
				x.Name = val.Str()
			case "pending":
				x.Pending = val.num
			case "idle":
				x.Idle = time.Duration(val.num) * time.Millisecond
			}
		}
		out = append(out, x)
	}
	return out, nil
}

var errReplyShape = errors.New("embedis: unexpected reply shape")

// toXMessage converts an [id, [f, v, ...]] reply.
func toXMessage(v Value) XMessage {
	if len(v.elems) != 2 {
		return XMessage{}
	}
	m := XMessage{ID: v.elems[0].Str()}
	if v.elems[1].IsNull() {
		m.Deleted = true
		return m
	}
	fs := v.elems[1].elems
	m.Fields = make([]XField, len(fs)/2)
	for i := range m.Fields {
		m.Fields[i] = XField{Field: fs[2*i].Str(), Value: fs[2*i+1].Str()}
	}
	return m
}

// asXMessages converts an array of entries; the nil reply (XRANGE COUNT 0)
// gives an empty slice.
func asXMessages(v Value, err error) ([]XMessage, error) {
	if err != nil {
		return nil, err
	}
	if v.kind == KindError {
		return nil, v.Err()
	}
	out := make([]XMessage, len(v.elems))
	for i, e := range v.elems {
		out[i] = toXMessage(e)
	}
	return out, nil
}

// asXStreams converts XREAD's reply: a map (RESP3) or an array of
// [key, entries] pairs (RESP2); Nil for the nil reply.
func asXStreams(v Value, err error) ([]XStream, error) {
	if err != nil {
		return nil, err
	}
	switch v.kind {
	case KindError:
		return nil, v.Err()
	case KindNull, KindNullArray:
		return nil, Nil
	}
	var out []XStream
	add := func(k, es Value) {
		ms, _ := asXMessages(es, nil)
		out = append(out, XStream{Stream: k.Str(), Messages: ms})
	}
	if v.kind == KindMap {
		for i := 0; i+1 < len(v.elems); i += 2 {
			add(v.elems[i], v.elems[i+1])
		}
		return out, nil
	}
	for _, p := range v.elems {
		if len(p.elems) == 2 {
			add(p.elems[0], p.elems[1])
		}
	}
	return out, nil
}

// ---- command table ----

func init() {
	kf := func(name string, arity int, flags cmdFlags, acl string, h func(*call) Value) *command {
		return &command{name: name, arity: arity, flags: flags, firstKey: 1, lastKey: 1, step: 1,
			acl: strings.Fields(acl), handler: h}
	}
	sub := func(name string, arity int, flags cmdFlags, acl string, h func(*call) Value) *command {
		return &command{name: name, arity: arity, flags: flags, firstKey: 2, lastKey: 2, step: 1,
			acl: strings.Fields(acl), handler: h}
	}
	register(
		kf("xadd", -5, flagWrite|flagDenyOOM|flagFast, "write stream fast", cmdXAdd),
		kf("xlen", 2, flagReadonly|flagFast, "read stream fast", cmdXLen),
		kf("xrange", -4, flagReadonly, "read stream slow", cmdXRange),
		kf("xrevrange", -4, flagReadonly, "read stream slow", cmdXRevRange),
		kf("xdel", -3, flagWrite|flagFast, "write stream fast", cmdXDel),
		kf("xtrim", -4, flagWrite, "write stream slow", cmdXTrim),
		&command{name: "xread", arity: -4, flags: flagReadonly | flagBlocking | flagMovableKeys,
			acl: []string{"read", "stream", "slow", "blocking"}, handler: cmdXRead},
		&command{name: "xreadgroup", arity: -7, flags: flagWrite | flagBlocking | flagMovableKeys,
			acl: []string{"write", "stream", "slow", "blocking"}, handler: cmdXRead},
		kf("xack", -4, flagWrite|flagFast, "write stream fast", cmdXAck),
		kf("xpending", -3, flagReadonly, "read stream slow", cmdXPending),
		kf("xclaim", -6, flagWrite|flagFast, "write stream fast", cmdXClaim),
		kf("xautoclaim", -6, flagWrite|flagFast, "write stream fast", cmdXAutoClaim),
		kf("xsetid", -3, flagWrite|flagDenyOOM|flagFast, "write stream fast", cmdXSetID),

		&command{name: "xgroup", arity: -2, acl: []string{"slow"}},
		sub("xgroup|create", -5, flagWrite|flagDenyOOM, "write stream slow", cmdXGroupCreate),
		sub("xgroup|setid", -5, flagWrite, "write stream slow", cmdXGroupSetID),
		sub("xgroup|destroy", 4, flagWrite, "write stream slow", cmdXGroupDestroy),
		sub("xgroup|createconsumer", 5, flagWrite|flagDenyOOM, "write stream slow", cmdXGroupCreateConsumer),
		sub("xgroup|delconsumer", 5, flagWrite, "write stream slow", cmdXGroupDelConsumer),
		&command{name: "xgroup|help", arity: 2, flags: flagLoading | flagStale, acl: []string{"stream", "slow"}, handler: cmdXGroupHelp},

		&command{name: "xinfo", arity: -2, acl: []string{"slow"}},
		sub("xinfo|consumers", 4, flagReadonly, "read stream slow", cmdXInfoConsumers),
		sub("xinfo|groups", 3, flagReadonly, "read stream slow", cmdXInfoGroups),
		sub("xinfo|stream", -3, flagReadonly, "read stream slow", cmdXInfoStream),
		&command{name: "xinfo|help", arity: 2, flags: flagLoading | flagStale, acl: []string{"stream", "slow"}, handler: cmdXInfoHelp},
	)
}

// Error replies of the stream commands (texts are Redis 7.0's).
var (
	errStreamID         = errValue(ErrStreamInvalidID)
	errXAddTooSmall     = errValue(ErrStreamIDTooSmall)
	errXAddZero         = errValue(ErrStreamIDZero)
	errStreamExhausted  = errValue(ErrStreamExhausted)
	errBusyGroup        = errValue(ErrBusyGroup)
	errXGroupNoKey      = errValue(ErrXGroupKeyMissing)
	errInvalidStartID   = ErrorValue("ERR invalid start ID for the interval")
	errInvalidEndID     = ErrorValue("ERR invalid end ID for the interval")
	errMaxLenNegative   = ErrorValue("ERR The MAXLEN argument must be >= 0.")
	errXLimitNegative   = ErrorValue("ERR The LIMIT argument must be >= 0.")
	errMaxLenAndMinID   = ErrorValue("ERR syntax error, MAXLEN and MINID options at the same time are not compatible")
	errLimitNoStrategy  = ErrorValue("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy")
	errXTrimNoStrategy  = ErrorValue("ERR syntax error, XTRIM must be called with a trimming strategy")
	errLimitNoApprox    = ErrorValue("ERR syntax error, LIMIT cannot be used without the special ~ option")
	errXReadUnbalanced  = ErrorValue("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.")
	errTimeoutNegative  = ErrorValue("ERR timeout is negative")
	errTimeoutNotInt    = ErrorValue("ERR timeout is not an integer or out of range")
	errAutoClaimCount   = ErrorValue("ERR COUNT must be > 0")
	errEntriesReadValue = ErrorValue("ERR value for ENTRIESREAD must be positive or -1")
)

func errNoGroupKey(key, group string) Value {
	return ErrorValue("NOGROUP No such key '" + key + "' or consumer group '" + group + "'")
}

func errNoGroupFor(key, group string) Value {
	return ErrorValue("NOGROUP No such consumer group '" + group + "' for key name '" + key + "'")
}

func errSubcommandSyntax(c *call) Value {
	return ErrorValue("ERR unknown subcommand or wrong number of arguments for '" + truncate(c.args[1], 128) +
		"'. Try " + strings.ToUpper(c.cmd.parent.name) + " HELP.")
}

// The keyspace events of the stream commands. XREADGROUP, XACK, XCLAIM
// and XAUTOCLAIM change group state with no event of their own here yet
// (evNone); the notifications issue checks every event against Redis.
var (
	evXAdd             = keyEvent{classStream, "xadd"}
	evXDel             = keyEvent{classStream, "xdel"}
	evXTrim            = keyEvent{classStream, "xtrim"}
	evXSetID           = keyEvent{classStream, "xsetid"}
	evXGroupCreate     = keyEvent{classStream, "xgroup-create"}
	evXGroupSetID      = keyEvent{classStream, "xgroup-setid"}
	evXGroupDestroy    = keyEvent{classStream, "xgroup-destroy"}
	evXGroupCreateCons = keyEvent{classStream, "xgroup-createconsumer"}
	evXGroupDelCons    = keyEvent{classStream, "xgroup-delconsumer"}
)

// readStream returns the stream at key for a read (nil when missing);
// ok is false when the key holds another type.
func (c *call) readStream(key string) (*stream, bool) {
	return valueAt[*stream](c, key, typeStream, false)
}

// writeStream is readStream for a command that will modify the stream.
func (c *call) writeStream(key string) (*stream, bool) {
	return valueAt[*stream](c, key, typeStream, true)
}

// parseID parses an ID argument (non-strict: "-" and "+" allowed).
func parseID(s string, missingSeq uint64) (streamID, bool) {
	return streamid.Parse(s, missingSeq, false, nil)
}

// parseStrictID parses an ID argument where "-" and "+" are not allowed.
func parseStrictID(s string) (streamID, bool) {
	return streamid.Parse(s, 0, true, nil)
}

// parseIntervalID is streamParseIntervalIDOrReply: an ID that may start
// with '(' to exclude it from the interval.
func parseIntervalID(s string, missingSeq uint64) (id streamID, exclusive, ok bool) {
	if len(s) > 1 && s[0] == '(' {
		id, ok = streamid.Parse(s[1:], missingSeq, true, nil)
		return id, true, ok
	}
	id, ok = parseID(s, missingSeq)
	return id, false, ok
}

// parseRangeStart parses a range's start ID, stepping past an excluded one.
func parseRangeStart(s string) (streamID, Value, bool) {
	id, ex, ok := parseIntervalID(s, 0)
	if !ok {
		return id, errStreamID, false
	}
	if ex {
		if id, ok = id.Next(); !ok {
			return id, errInvalidStartID, false
		}
	}
	return id, Value{}, true
}

// parseRangeEnd parses a range's end ID, stepping before an excluded one.
func parseRangeEnd(s string) (streamID, Value, bool) {
	id, ex, ok := parseIntervalID(s, math.MaxUint64)
	if !ok {
		return id, errStreamID, false
	}
	if ex {
		if id, ok = id.Prev(); !ok {
			return id, errInvalidEndID, false
		}
	}
	return id, Value{}, true
}

// addArgs are XADD's parsed arguments.
type addArgs struct {
	trimArgs
	noMkStream bool
	idGiven    bool
	seqGiven   bool
	id         streamID
}

// parseAddTrim is streamParseAddOrTrimArgsOrReply: the options of XADD
// (xadd) or XTRIM from args[2]; for XADD it returns the index of the ID.
func parseAddTrim(args []string, xadd bool) (a addArgs, idpos int, errv Value, ok bool) {
	limitGiven := false
	i := 2
	for ; i < len(args); i++ {
		more := len(args) - 1 - i
		opt := args[i]
		switch {
		case xadd && opt == "*":
			goto done
		case eqFold(opt, "maxlen") && more > 0, eqFold(opt, "minid") && more > 0:
			if a.strategy != trimNone {
				return a, 0, errMaxLenAndMinID, false
			}
			a.approx = false
			if next := args[i+1]; more >= 2 && (next == "~" || next == "=") {
				a.approx = next == "~"
				i++
			}
			if eqFold(opt, "maxlen") {
				n, ok := parseInt(args[i+1])
				if !ok {
					return a, 0, errNotInteger, false
				}
				if n < 0 {
					return a, 0, errMaxLenNegative, false
				}
				a.maxLen, a.strategy = n, trimMaxLen
			} else {
				id, ok := parseStrictID(args[i+1])
				if !ok {
					return a, 0, errStreamID, false
				}
				a.minID, a.strategy = id, trimMinID
			}
			i++
		case eqFold(opt, "limit") && more > 0:
			n, ok := parseInt(args[i+1])
			if !ok {
				return a, 0, errNotInteger, false
			}
			if n < 0 {
				return a, 0, errXLimitNegative, false
			}
			a.limit, limitGiven = n, true
			i++
		case xadd && eqFold(opt, "nomkstream"):
			a.noMkStream = true
		case xadd:
			id, ok := streamid.Parse(opt, 0, true, &a.seqGiven)
			if !ok {
				return a, 0, errStreamID, false
			}
			a.id, a.idGiven = id, true
			goto done
		default:
			return a, 0, errSyntax, false
		}
	}
done:
	if a.limit != 0 && a.strategy == trimNone {
		return a, 0, errLimitNoStrategy, false
	}
	if !xadd && a.strategy == trimNone {
		return a, 0, errXTrimNoStrategy, false
	}
	if limitGiven {
		if !a.approx {
			return a, 0, errLimitNoApprox, false
		}
	} else if a.approx {
		a.limit = 100 * streamNodeMaxEntries
	} else {
		a.limit = 0
	}
	return a, i, Value{}, true
}

func cmdXAdd(c *call) Value {
	a, idpos, errv, ok := parseAddTrim(c.args, true)
	if !ok {
		return errv
	}
	fieldPos := idpos + 1
	if n := len(c.args) - fieldPos; n < 2 || n%2 == 1 {
		return errArity("xadd")
	}
	if a.idGiven && a.seqGiven && a.id.IsZero() {
		return errXAddZero
	}
	key := c.args[1]
	s, ok := c.writeStream(key)
	if !ok {
		return errWrongType
	}
	if s == nil {
		if a.noMkStream {
			return nullValue
		}
		s = newStream()
		c.addObject(key, typeStream, s)
	}
	if s.last == streamid.Max {
		// A stream XADD just created cannot be exhausted, so nothing
		// was stored.
		return errStreamExhausted
	}
	var given *streamID
	if a.idGiven {
		given = &a.id
	}
	fields := append([]string(nil), c.args[fieldPos:]...)
	id, err := s.add(fields, given, a.seqGiven, c.now)
	if err != nil {
		if s.len() == 0 && s.last.IsZero() && len(s.groups) == 0 {
			c.del(key) // created for this XADD; nothing was added
		}
		return errXAddTooSmall
	}
	c.changed(key, evXAdd)
	if a.strategy != trimNone && s.trim(&a.trimArgs) > 0 {
		c.changed(key, evXTrim)
	}
	if c.s.feed.on() && c.args[fieldPos-1] != id.String() {
		// The ID it chose (for *, or ms-*), so a replay adds the same.
		args := ownArgs(c.args)
		args[fieldPos-1] = id.String()
		c.prop, c.propSet = args, true
	}
	return idValue(id)
}

func cmdXLen(c *call) Value {
	s, ok := c.readStream(c.args[1])
	if !ok {
		return errWrongType
	}
	if s == nil {
		return IntValue(0)
	}
	return IntValue(int64(s.len()))
}

func cmdXRange(c *call) Value    { return xrange(c, false) }
func cmdXRevRange(c *call) Value { return xrange(c, true) }

func xrange(c *call, rev bool) Value {
	startArg, endArg := c.args[2], c.args[3]
	if rev {
		startArg, endArg = endArg, startArg
	}
	start, errv, ok := parseRangeStart(startArg)
	if !ok {
		return errv
	}
	end, errv, ok := parseRangeEnd(endArg)
	if !ok {
		return errv
	}
	count := int64(-1)
	for j := 4; j < len(c.args); j++ {
		if eqFold(c.args[j], "count") && j+1 < len(c.args) {
			n, ok := parseInt(c.args[j+1])
			if !ok {
				return errNotInteger
			}
			count = max(n, 0)
			j++
			continue
		}
		return errSyntax
	}
	s, ok := c.readStream(c.args[1])
	if !ok {
		return errWrongType
	}
	if s == nil {
		return ArrayValue()
	}
	if count == 0 {
		return nullArrayValue
	}
	if count < 0 {
		count = 0
	}
	return entriesValue(s.rangeEntries(start, end, count, rev))
}

func cmdXDel(c *call) Value {
	key := c.args[1]
	s, ok := c.writeStream(key)
	if !ok {
		return errWrongType
	}
	if s == nil {
		return IntValue(0)
	}
	ids := make([]streamID, 0, len(c.args)-2)
	for _, a := range c.args[2:] {
		id, ok := parseStrictID(a)
		if !ok {
			return errStreamID
		}
		ids = append(ids, id)
	}
	deleted := 0
	firstGone := false
	for _, id := range ids {
		e := s.get(id)
		if e == nil {
			continue
		}
		s.remove(e)
		if id == s.first {
			firstGone = true
		}
		if id.Compare(s.maxDeleted) > 0 {
			s.maxDeleted = id
		}
		deleted++
	}
	if deleted > 0 {
		if s.len() == 0 || firstGone {
			s.updateFirst()
		}
		c.changed(key, evXDel)
	}
	return IntValue(int64(deleted))
}

func cmdXTrim(c *call) Value {
	a, _, errv, ok := parseAddTrim(c.args, false)
	if !ok {
		return errv
	}
	key := c.args[1]
	s, ok := c.writeStream(key)
	if !ok {
		return errWrongType
	}
	if s == nil {
		return IntValue(0)
	}
	n := s.trim(&a.trimArgs)
	if n > 0 {
		c.changed(key, evXTrim)
	}
	return IntValue(n)
}

// xreadArgs are the parsed arguments of XREAD and XREADGROUP. The IDs are
// resolved at parse time ('$' becomes the stream's last ID then), so a
// blocked reader that is served later reads what arrived after it blocked.
type xreadArgs struct {
	group    string // "" for XREAD
	consumer string
	count    int64 // 0: no limit
	noack    bool
	block    int64 // BLOCK milliseconds; -1 when not given
	keys     []string
	ids      []streamID
	newOnly  []bool // the ID was '>': entries never delivered to the group
}

// parseXRead parses XREAD or XREADGROUP, checking the keys' types and
// groups and resolving the IDs in Redis's order, so the first error is the
// one Redis gives.
func (c *call) parseXRead() (*xreadArgs, Value, bool) {
	args := c.args
	isGroup := len(args[0]) == 10
	a := &xreadArgs{block: -1}
	groupGiven := false
	streamsArg := 0
	for i := 1; i < len(args); i++ {
		more := len(args) - i - 1
		o := args[i]
		switch {
		case eqFold(o, "block") && more > 0:
			if c.inScript() {
				// Redis refuses BLOCK in scripts outright (rather than
				// acting non-blocking, as in MULTI), naming the command as
				// the script spelled it.
				return nil, ErrorValue("ERR " + c.args[0] + " command is not allowed with BLOCK option from scripts"), false
			}
			i++
			t, ok := parseInt(args[i])
			if !ok {
				return nil, errTimeoutNotInt, false
			}
			if t < 0 {
				return nil, errTimeoutNegative, false
			}
			a.block = t
		case eqFold(o, "count") && more > 0:
			i++
			n, ok := parseInt(args[i])
			if !ok {
				return nil, errNotInteger, false
			}
			a.count = max(n, 0)
		case eqFold(o, "streams") && more > 0:
			streamsArg = i + 1
			n := len(args) - streamsArg
			if n%2 != 0 {
				return nil, errXReadUnbalanced, false
			}
			a.keys = args[streamsArg : streamsArg+n/2]
			i = len(args)
		case eqFold(o, "group") && more >= 2:
			if !isGroup {
				return nil, ErrorValue("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."), false
			}
			a.group, a.consumer, groupGiven = args[i+1], args[i+2], true
			i += 2
		case eqFold(o, "noack"):
			if !isGroup {
				return nil, ErrorValue("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."), false
			}
			a.noack = true
		default:
			return nil, errSyntax, false
		}
	}
	if streamsArg == 0 {
		return nil, errSyntax, false
	}
	if isGroup && !groupGiven {
		return nil, ErrorValue("ERR Missing GROUP option for XREADGROUP"), false
	}
	// The keys are copied: the argument vector may be reused after the
	// command returns, and a blocked reader keeps them.
	a.keys = append([]string(nil), a.keys...)
	n := len(a.keys)
	a.ids = make([]streamID, n)
	a.newOnly = make([]bool, n)
	for k, idArg := range args[streamsArg+n:] {
		key := a.keys[k]
		s, ok := c.readStream(key)
		if !ok {
			return nil, errWrongType, false
		}
		if isGroup && (s == nil || s.group(a.group) == nil) {
			return nil, ErrorValue("NOGROUP No such key '" + key + "' or consumer group '" + a.group + "' in XREADGROUP with GROUP option"), false
		}
		switch idArg {
		case "$":
			if isGroup {
				return nil, ErrorValue("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set."), false
			}
			if s != nil {
				a.ids[k] = s.last
			}
			continue
		case ">":
			if !isGroup {
				return nil, ErrorValue("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."), false
			}
			a.ids[k], a.newOnly[k] = streamid.Max, true
			continue
		}
		id, ok := parseStrictID(idArg)
		if !ok {
			return nil, errStreamID, false
		}
		a.ids[k] = id
		// Redis marks '>' with the maximum ID, so an explicit maximum ID
		// reads as '>' too.
		a.newOnly[k] = isGroup && id == streamid.Max
	}
	return a, Value{}, true
}

// xreadKeyPositions returns the argument indexes of the keys of an XREAD
// or XREADGROUP call: the first half of the arguments after STREAMS (as
// Redis's xreadGetKeys). The command rows are flagMovableKeys; this is the
// hook for whatever needs their keys (COMMAND GETKEYS, key-based ACLs,
// blocking on keys). nil when the call has no valid STREAMS part.
func xreadKeyPositions(args []string) []int {
	for i := 1; i < len(args); i++ {
		switch {
		case eqFold(args[i], "block"), eqFold(args[i], "count"):
			i++
		case eqFold(args[i], "group"):
			i += 2
		case eqFold(args[i], "streams"):
			n := len(args) - i - 1
			if n == 0 || n%2 != 0 {
				return nil
			}
			pos := make([]int, n/2)
			for k := range pos {
				pos[k] = i + 1 + k
			}
			return pos
		}
	}
	return nil
}

func cmdXRead(c *call) Value {
	a, errv, ok := c.parseXRead()
	if !ok {
		return errv
	}
	v, served := c.xreadServe(a)
	if served || a.block < 0 {
		return v
	}
	// BLOCK: park the caller (blocking.go). Inside MULTI or a script this
	// replies at once as if the timeout had expired.
	return c.block(a.keys, c.deadlineAfter(a.block), nullArrayValue, func(c *call, key string) (Value, bool) {
		return c.xreadResume(a, key)
	})
}

// xreadBlockedCount is the COUNT Redis gives a blocked reader that asked
// for no limit (XREAD_BLOCKED_DEFAULT_COUNT).
const xreadBlockedCount = 1000

// xreadResume serves a blocked XREAD or XREADGROUP from key, which was
// written: only that key is in the reply, as in Redis 7.0. A reader of a
// group is answered with an error when the key no longer holds a stream
// or the group is gone; a plain reader keeps waiting then.
func (c *call) xreadResume(a *xreadArgs, key string) (Value, bool) {
	i := 0
	for i < len(a.keys) && a.keys[i] != key {
		i++
	}
	if i == len(a.keys) {
		return Value{}, false
	}
	s, ok := c.readStream(key)
	if !ok || s == nil {
		if a.group != "" {
			return ErrorValue("UNBLOCKED the stream key no longer exists"), true
		}
		return Value{}, false
	}
	b := *a
	b.keys, b.ids, b.newOnly = a.keys[i:i+1], a.ids[i:i+1], a.newOnly[i:i+1]
	if b.count == 0 {
		b.count = xreadBlockedCount
	}
	return c.xreadServe(&b)
}

// xreadServe is the non-blocking half of XREAD and XREADGROUP: it reads
// what is available from the streams in a and returns the reply; served is
// false when no stream has anything to give (the caller then blocks or
// replies nil). For groups it updates the PELs, the last delivered ID and
// the read counter. It runs on the executor and may be called again for
// the same arguments each time a key of a blocked reader is written.
func (c *call) xreadServe(a *xreadArgs) (reply Value, served bool) {
	var out []Value
	for i, key := range a.keys {
		var s *stream
		var ok bool
		if a.group != "" {
			s, ok = c.writeStream(key) // reading through a group writes its PEL
		} else {
			s, ok = c.readStream(key)
		}
		if !ok {
			// The key was replaced by another type while a reader was
			// blocked on it.
			return errWrongType, true
		}
		if s == nil {
			continue
		}
		var g *streamGroup
		if a.group != "" {
			if g = s.group(a.group); g == nil {
				return ErrorValue("NOGROUP the consumer group this client was blocked on no longer exists"), true
			}
		}
		gt := a.ids[i]
		history := false
		serve := false
		switch {
		case g != nil && !a.newOnly[i]:
			serve, history = true, true
		case g != nil:
			if s.lastValidID().Compare(g.lastID) > 0 {
				serve, gt = true, g.lastID
			}
		default:
			serve = s.len() > 0 && s.lastValidID().Compare(gt) > 0
		}
		if !serve {
			continue
		}
		var entries Value
		if g != nil {
			created := g.consumers[a.consumer] == nil
			cons := g.consumer(a.consumer, true, true, c.now)
			if created {
				c.changed(key, evXGroupCreateCons) // as Redis's XREADGROUP
			}
			if history {
				start, _ := gt.Next()
				entries = c.readHistory(s, g, cons, start, a.count)
			} else {
				entries = c.readNew(s, g, cons, gt, a.count, a.noack)
			}
			c.changed(key, evNone)
		} else {
			start, _ := gt.Next()
			entries = entriesValue(s.rangeEntries(start, streamid.Max, a.count, false))
		}
		if c.cl.proto == 2 {
			out = append(out, ArrayValue(BulkValue(key), entries))
		} else {
			out = append(out, BulkValue(key), entries)
		}
	}
	if len(out) == 0 {
		return nullArrayValue, false
	}
	if c.cl.proto == 2 {
		return ArrayValue(out...), true
	}
	return MapValue(out...), true
}

// readNew delivers entries after gt to consumer cons of group g
// (XREADGROUP with '>'), advancing the group's last ID and read counter
// and adding the entries to the PELs unless noack.
func (c *call) readNew(s *stream, g *streamGroup, cons *streamConsumer, gt streamID, count int64, noack bool) Value {
	start, _ := gt.Next()
	es := s.rangeEntries(start, streamid.Max, count, false)
	vs := make([]Value, len(es))
	for i, e := range es {
		if e.id.Compare(g.lastID) > 0 {
			if g.entriesRead != entriesReadInvalid && !s.rangeHasTombstones(e.id, nil) {
				g.entriesRead++
			} else if s.entriesAdded != 0 {
				g.entriesRead = s.estimateDistance(e.id)
			}
			g.lastID = e.id
		}
		vs[i] = entryValue(e)
		if !noack {
			g.deliver(cons, e.id, c.now)
		}
	}
	return ArrayValue(vs...)
}

// readHistory replies with the consumer's own pending entries from start
// (XREADGROUP with an ID): an entry deleted since is reported as [id, nil]
// and its delivery count is left alone; the others count one delivery more.
func (c *call) readHistory(s *stream, g *streamGroup, cons *streamConsumer, start streamID, count int64) Value {
	var vs []Value
	cons.pel.AscendGreaterOrEqual(nackProbe(start), func(nk *streamNACK) bool {
		if count != 0 && int64(len(vs)) >= count {
			return false
		}
		if e := s.get(nk.id); e != nil {
			vs = append(vs, entryValue(e))
			nk.deliveryTime = c.now
			nk.deliveryCount++
		} else {
			vs = append(vs, ArrayValue(idValue(nk.id), nullArrayValue))
		}
		return true
	})
	return ArrayValue(vs...)
}

func cmdXAck(c *call) Value {
	key := c.args[1]
	s, ok := c.writeStream(key)
	if !ok {
		return errWrongType
	}
	var g *streamGroup
	if s != nil {
		g = s.group(c.args[2])
	}
	if g == nil {
		return IntValue(0)
	}
	ids := make([]streamID, 0, len(c.args)-3)
	for _, a := range c.args[3:] {
		id, ok := parseStrictID(a)
		if !ok {
			return errStreamID
		}
		ids = append(ids, id)
	}
	acked := 0
	for _, id := range ids {
		if nk, ok := g.pel.Get(nackProbe(id)); ok {
			g.dropNACK(nk)
			acked++
		}
	}
	if acked > 0 {
		c.changed(key, evNone)
	}
	return IntValue(int64(acked))
}

func cmdXPending(c *call) Value {
	args := c.args
	justInfo := len(args) == 3
	if len(args) != 3 && (len(args) < 6 || len(args) > 9) {
		return errSyntax
	}
	var start, end streamID
	var count, minIdle int64
	consumerName, hasConsumer := "", false
	if len(args) >= 6 {
		si := 3
		if eqFold(args[3], "idle") {
			n, ok := parseInt(args[4])
			if !ok {
				return errNotInteger
			}
			minIdle = n
			if len(args) < 8 {
				return errSyntax
			}
			si += 2
		}
		n, ok := parseInt(args[si+2])
		if !ok {
			return errNotInteger
		}
		count = max(n, 0)
		var errv Value
		if start, errv, ok = parseRangeStart(args[si]); !ok {
			return errv
		}
		if end, errv, ok = parseRangeEnd(args[si+1]); !ok {
			return errv
		}
		if si+3 < len(args) {
			consumerName, hasConsumer = args[si+3], true
		}
	}
	s, ok := c.readStream(args[1])
	if !ok {
		return errWrongType
	}
	var g *streamGroup
	if s != nil {
		g = s.group(args[2])
	}
	if g == nil {
		return errNoGroupKey(args[1], args[2])
	}
	if justInfo {
		if g.pel.Len() == 0 {
			return ArrayValue(IntValue(0), nullValue, nullValue, nullArrayValue)
		}
		first, _ := g.pel.Min()
		last, _ := g.pel.Max()
		var cs []Value
		for _, cons := range g.sortedConsumers() {
			if cons.pel.Len() == 0 {
				continue
			}
			cs = append(cs, ArrayValue(BulkValue(cons.name), BulkValue(strconv.Itoa(cons.pel.Len()))))
		}
		return ArrayValue(IntValue(int64(g.pel.Len())), idValue(first.id), idValue(last.id), ArrayValue(cs...))
	}
	pel := g.pel
	if hasConsumer {
		cons := g.consumer(consumerName, false, false, c.now)
		if cons == nil {
			return ArrayValue()
		}
		pel = cons.pel
	}
	var out []Value
	if count > 0 && start.Compare(end) <= 0 {
		pel.AscendGreaterOrEqual(nackProbe(start), func(nk *streamNACK) bool {
			if nk.id.Compare(end) > 0 || count == 0 {
				return false
			}
			idle := c.now - nk.deliveryTime
			if minIdle != 0 && idle < minIdle {
				return true
			}
			count--
			out = append(out, ArrayValue(idValue(nk.id), BulkValue(nk.consumer.name), IntValue(max(idle, 0)), IntValue(nk.deliveryCount)))
			return true
		})
	}
	return ArrayValue(out...)
}

func cmdXClaim(c *call) Value {
	args := c.args
	key := args[1]
	s, ok := c.writeStream(key)
	if !ok {
		return errWrongType
	}
	var g *streamGroup
	if s != nil {
		g = s.group(args[2])
	}
	if g == nil {
		return errNoGroupKey(key, args[2])
	}
	minIdle, ok := parseInt(args[4])
	if !ok {
		return ErrorValue("ERR Invalid min-idle-time argument for XCLAIM")
	}
	minIdle = max(minIdle, 0)
	j := 5
	for ; j < len(args); j++ {
		if _, ok := parseStrictID(args[j]); !ok {
			break
		}
	}
	lastIDArg := j - 1
	now := c.now
	var retryCount, deliveryTime int64 = -1, -1
	force, justID := false, false
	var lastID streamID
	for ; j < len(args); j++ {
		more := len(args) - 1 - j
		opt := args[j]
		switch {
		case eqFold(opt, "force"):
			force = true
		case eqFold(opt, "justid"):
			justID = true
		case eqFold(opt, "idle") && more > 0:
			j++
			n, ok := parseInt(args[j])
			if !ok {
				return ErrorValue("ERR Invalid IDLE option argument for XCLAIM")
			}
			deliveryTime = now - n
		case eqFold(opt, "time") && more > 0:
			j++
			n, ok := parseInt(args[j])
			if !ok {
				return ErrorValue("ERR Invalid TIME option argument for XCLAIM")
			}
			deliveryTime = n
		case eqFold(opt, "retrycount") && more > 0:
			j++
			n, ok := parseInt(args[j])
			if !ok {
				return ErrorValue("ERR Invalid RETRYCOUNT option argument for XCLAIM")
			}
			retryCount = n
		case eqFold(opt, "lastid") && more > 0:
			j++
			id, ok := parseStrictID(args[j])
			if !ok {
				return errStreamID
			}
			lastID = id
		default:
			return ErrorValue("ERR Unrecognized XCLAIM option '" + opt + "'")
		}
	}
	if deliveryTime != -1 {
		if deliveryTime < 0 || deliveryTime > now {
			deliveryTime = now
		}
	} else {
		deliveryTime = now
	}
	changed := false
	if lastID.Compare(g.lastID) > 0 {
		g.lastID = lastID
		changed = true
	}
	var cons *streamConsumer
	var out []Value
	for k := 5; k <= lastIDArg; k++ {
		id, _ := parseStrictID(args[k])
		nk, found := g.pel.Get(nackProbe(id))
		e := s.get(id)
		if e == nil {
			if found {
				g.dropNACK(nk)
				changed = true
			}
			continue
		}
		if force && !found {
			nk = &streamNACK{id: id}
			g.pel.ReplaceOrInsert(nk)
			found = true
		}
		if !found {
			continue
		}
		if nk.consumer != nil && minIdle != 0 && now-nk.deliveryTime < minIdle {
			continue
		}
		if cons == nil {
			cons = g.consumer(args[3], true, true, now)
		}
		if nk.consumer != cons && nk.consumer != nil {
			nk.consumer.pel.Delete(nk)
		}
		nk.deliveryTime = deliveryTime
		if retryCount >= 0 {
			nk.deliveryCount = retryCount
		} else if !justID {
			nk.deliveryCount++
		}
		if nk.consumer != cons {
			cons.pel.ReplaceOrInsert(nk)
			nk.consumer = cons
		}
		if justID {
			out = append(out, idValue(id))
		} else {
			out = append(out, entryValue(e))
		}
		changed = true
	}
	if changed {
		c.changed(key, evNone)
	}
	return ArrayValue(out...)
}

// autoClaimMaxCount is the largest XAUTOCLAIM COUNT accepted. Redis
// allocates room for COUNT deleted IDs (16 bytes each) before it starts and
// fails with an out-of-memory error when the allocation does; where that
// happens depends on the machine, so embedis draws the line at 64 GiB.
const autoClaimMaxCount = 1 << 32

func cmdXAutoClaim(c *call) Value {
	args := c.args
	key := args[1]
	minIdle, ok := parseInt(args[4])
	if !ok {
		return ErrorValue("ERR Invalid min-idle-time argument for XAUTOCLAIM")
	}
	minIdle = max(minIdle, 0)
	start, errv, ok := parseRangeStart(args[5])
	if !ok {
		return errv
	}
	count := int64(100)
	justID := false
	for j := 6; j < len(args); {
		more := len(args) - 1 - j
		switch {
		case eqFold(args[j], "count") && more > 0:
			n, ok := parseInt(args[j+1])
			if !ok || n < 1 || n > math.MaxInt64/16 {
				return errAutoClaimCount
			}
			if n > autoClaimMaxCount {
				// Redis allocates COUNT IDs up front and refuses when
				// the allocation fails.
				return ErrorValue("ERR Insufficient memory, failed allocating transient memory, COUNT too high.")
			}
			count = n
			j += 2
		case eqFold(args[j], "justid"):
			justID = true
			j++
		default:
			return errSyntax
		}
	}
	s, ok := c.writeStream(key)
	if !ok {
		return errWrongType
	}
	var g *streamGroup
	if s != nil {
		g = s.group(args[2])
	}
	if g == nil {
		return errNoGroupKey(key, args[2])
	}
	attempts := count * 10
	now := c.now
	var cons *streamConsumer
	var claimed, deleted []Value
	changed := false
	// Walk the PEL from start as Redis's rax iterator does; next is the
	// cursor: the first pending entry not examined.
	next, more := g.pel.Min()
	var pos streamID = start
	seek := func(from streamID) (*streamNACK, bool) {
		var found *streamNACK
		g.pel.AscendGreaterOrEqual(nackProbe(from), func(nk *streamNACK) bool {
			found = nk
			return false
		})
		return found, found != nil
	}
	next, more = seek(pos)
	for attempts > 0 && count > 0 && more {
		attempts--
		nk := next
		if nx, ok := nk.id.Next(); ok {
			next, more = seek(nx)
		} else {
			next, more = nil, false
		}
		e := s.get(nk.id)
		if e == nil {
			g.dropNACK(nk)
			deleted = append(deleted, idValue(nk.id))
			count--
			changed = true
			continue
		}
		if minIdle != 0 && now-nk.deliveryTime < minIdle {
			continue
		}
		if cons == nil {
			cons = g.consumer(args[3], true, true, now)
		}
		if nk.consumer != cons {
			nk.consumer.pel.Delete(nk)
		}
		nk.deliveryTime = now
		if !justID {
			nk.deliveryCount++
		}
		if nk.consumer != cons {
			cons.pel.ReplaceOrInsert(nk)
			nk.consumer = cons
		}
		if justID {
			claimed = append(claimed, idValue(nk.id))
		} else {
			claimed = append(claimed, entryValue(e))
		}
		count--
		changed = true
	}
	cursor := streamID{}
	if more {
		cursor = next.id
	}
	if changed {
		c.changed(key, evNone)
	}
	return ArrayValue(idValue(cursor), ArrayValue(claimed...), ArrayValue(deleted...))
}

func cmdXSetID(c *call) Value {
	args := c.args
	id, ok := parseStrictID(args[2])
	if !ok {
		return errStreamID
	}
	entriesAdded := int64(-1)
	var maxXDel streamID
	for i := 3; i < len(args); {
		more := len(args) - 1 - i
		switch {
		case eqFold(args[i], "entriesadded") && more > 0:
			n, ok := parseInt(args[i+1])
			if !ok {
				return errNotInteger
			}
			if n < 0 {
				return ErrorValue("ERR entries_added must be positive")
			}
			entriesAdded = n
			i += 2
		case eqFold(args[i], "maxdeletedid") && more > 0:
			m, ok := parseStrictID(args[i+1])
			if !ok {
				return errStreamID
			}
			if id.Compare(m) < 0 {
				return ErrorValue("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id")
			}
			maxXDel = m
			i += 2
		default:
			return errSyntax
		}
	}
	key := args[1]
	s, ok := c.writeStream(key)
	if !ok {
		return errWrongType
	}
	if s == nil {
		return errNoSuchKey
	}
	if s.len() > 0 {
		if id.Compare(s.lastValidID()) < 0 {
			return ErrorValue("ERR The ID specified in XSETID is smaller than the target stream top item")
		}
		if entriesAdded != -1 && int64(s.len()) > entriesAdded {
			return ErrorValue("ERR The entries_added specified in XSETID is smaller than the target stream length")
		}
	}
	s.last = id
	if entriesAdded != -1 {
		s.entriesAdded = uint64(entriesAdded)
	}
	if !maxXDel.IsZero() {
		s.maxDeleted = maxXDel
	}
	c.changed(key, evXSetID)
	return okValue
}

// xgroupTarget parses the options after XGROUP CREATE/SETID's ID and finds
// the stream and group as xgroupCommand does, in its order of checks.
// mkstream is reported for CREATE; entriesRead defaults to invalid (-1).
func (c *call) xgroupTarget(needGroup bool) (s *stream, g *streamGroup, mkstream bool, entriesRead int64, errv Value, ok bool) {
	entriesRead = entriesReadInvalid
	create := c.cmd.name == "xgroup|create"
	setid := c.cmd.name == "xgroup|setid"
	for i := 5; i < len(c.args); {
		switch {
		case create && eqFold(c.args[i], "mkstream"):
			mkstream = true
			i++
		case (create || setid) && eqFold(c.args[i], "entriesread") && i+1 < len(c.args):
			n, ok := parseInt(c.args[i+1])
			if !ok {
				return nil, nil, false, 0, errNotInteger, false
			}
			if n < 0 && n != entriesReadInvalid {
				return nil, nil, false, 0, errEntriesReadValue, false
			}
			entriesRead = n
			i += 2
		default:
			return nil, nil, false, 0, errSubcommandSyntax(c), false
		}
	}
	s, ok = c.writeStream(c.args[2])
	if !ok {
		return nil, nil, false, 0, errWrongType, false
	}
	if !mkstream {
		if s == nil {
			return nil, nil, false, 0, errXGroupNoKey, false
		}
		g = s.group(c.args[3])
		if g == nil && needGroup {
			return nil, nil, false, 0, errNoGroupFor(c.args[2], c.args[3]), false
		}
	} else if s != nil {
		g = s.group(c.args[3])
	}
	return s, g, mkstream, entriesRead, Value{}, true
}

func cmdXGroupCreate(c *call) Value {
	s, _, _, entriesRead, errv, ok := c.xgroupTarget(false)
	if !ok {
		return errv
	}
	var id streamID
	if c.args[4] == "$" {
		if s != nil {
			id = s.last
		}
	} else if id, ok = parseStrictID(c.args[4]); !ok {
		return errStreamID
	}
	key := c.args[2]
	if s == nil {
		s = newStream()
		c.addObject(key, typeStream, s)
	}
	if s.createGroup(c.args[3], id, entriesRead) == nil {
		return errBusyGroup
	}
	c.changed(key, evXGroupCreate)
	return okValue
}

func cmdXGroupSetID(c *call) Value {
	s, g, _, entriesRead, errv, ok := c.xgroupTarget(true)
	if !ok {
		return errv
	}
	var id streamID
	if c.args[4] == "$" {
		id = s.last
	} else if id, ok = parseID(c.args[4], 0); !ok {
		return errStreamID
	}
	g.lastID = id
	g.entriesRead = entriesRead
	c.changed(c.args[2], evXGroupSetID)
	return okValue
}

func cmdXGroupDestroy(c *call) Value {
	s, g, _, _, errv, ok := c.xgroupTarget(false)
	if !ok {
		return errv
	}
	if g == nil {
		return IntValue(0)
	}
	delete(s.groups, g.name)
	c.changed(c.args[2], evXGroupDestroy)
	return IntValue(1)
}

func cmdXGroupCreateConsumer(c *call) Value {
	_, g, _, _, errv, ok := c.xgroupTarget(true)
	if !ok {
		return errv
	}
	if g.consumers[c.args[4]] != nil {
		return IntValue(0)
	}
	g.consumer(c.args[4], true, true, c.now)
	c.changed(c.args[2], evXGroupCreateCons)
	return IntValue(1)
}

func cmdXGroupDelConsumer(c *call) Value {
	_, g, _, _, errv, ok := c.xgroupTarget(true)
	if !ok {
		return errv
	}
	n := g.delConsumer(c.args[4])
	c.changed(c.args[2], evXGroupDelCons)
	return IntValue(n)
}

var xgroupHelp = []string{
	"XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CREATE <key> <groupname> <id|$> [option]",
	"    Create a new consumer group. Options are:",
	"    * MKSTREAM",
	"      Create the empty stream if it does not exist.",
	"    * ENTRIESREAD entries_read",
	"      Set the group's entries_read counter (internal use).",
	"CREATECONSUMER <key> <groupname> <consumer>",
	"    Create a new consumer in the specified group.",
	"DELCONSUMER <key> <groupname> <consumer>",
	"    Remove the specified consumer.",
	"DESTROY <key> <groupname>",
	"    Remove the specified group.",
	"SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
	"    Set the current group ID and entries_read counter.",
	"HELP",
	"    Prints this help.",
}

var xinfoHelp = []string{
	"XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CONSUMERS <key> <groupname>",
	"    Show consumers of <groupname>.",
	"GROUPS <key>",
	"    Show the stream consumer groups.",
	"STREAM <key> [FULL [COUNT <count>]",
	"    Show information about the stream.",
	"HELP",
	"    Prints this help.",
}

func helpValue(lines []string) Value {
	vs := make([]Value, len(lines))
	for i, l := range lines {
		vs[i] = SimpleValue(l)
	}
	return ArrayValue(vs...)
}

func cmdXGroupHelp(c *call) Value { return helpValue(xgroupHelp) }
func cmdXInfoHelp(c *call) Value  { return helpValue(xinfoHelp) }

// xinfoStream finds the stream for XINFO: "ERR no such key" when missing.
func (c *call) xinfoStream() (*stream, Value, bool) {
	s, ok := c.readStream(c.args[2])
	if !ok {
		return nil, errWrongType, false
	}
	if s == nil {
		return nil, errNoSuchKey, false
	}
	return s, Value{}, true
}

func cmdXInfoConsumers(c *call) Value {
	s, errv, ok := c.xinfoStream()
	if !ok {
		return errv
	}
	g := s.group(c.args[3])
	if g == nil {
		return errNoGroupFor(c.args[2], c.args[3])
	}
	var out []Value
	for _, cons := range g.sortedConsumers() {
		idle := max(c.now-cons.seenTime, 0)
		out = append(out, MapValue(
			BulkValue("name"), BulkValue(cons.name),
			BulkValue("pending"), IntValue(int64(cons.pel.Len())),
			BulkValue("idle"), IntValue(idle),
		))
	}
	return ArrayValue(out...)
}

// entriesReadValue is a group's entries-read: nil when unknown.
func entriesReadValue(g *streamGroup) Value {
	if g.entriesRead == entriesReadInvalid {
		return nullValue
	}
	return IntValue(g.entriesRead)
}

func lagValue(s *stream, g *streamGroup) Value {
	if lag, ok := s.lag(g); ok {
		return IntValue(lag)
	}
	return nullValue
}

func cmdXInfoGroups(c *call) Value {
	s, errv, ok := c.xinfoStream()
	if !ok {
		return errv
	}
	var out []Value
	for _, g := range s.sortedGroups() {
		out = append(out, MapValue(
			BulkValue("name"), BulkValue(g.name),
			BulkValue("consumers"), IntValue(int64(len(g.consumers))),
			BulkValue("pending"), IntValue(int64(g.pel.Len())),
			BulkValue("last-delivered-id"), idValue(g.lastID),
			BulkValue("entries-read"), entriesReadValue(g),
			BulkValue("lag"), lagValue(s, g),
		))
	}
	return ArrayValue(out...)
}

func cmdXInfoStream(c *call) Value {
	s, errv, ok := c.xinfoStream()
	if !ok {
		return errv
	}
	opts := c.args[3:]
	full := len(opts) > 0
	count := int64(10)
	if full {
		if (len(opts) != 1 && len(opts) != 3) || !eqFold(opts[0], "full") {
			return errSubcommandSyntax(c)
		}
		if len(opts) == 3 {
			if !eqFold(opts[1], "count") {
				return errSubcommandSyntax(c)
			}
			n, ok := parseInt(opts[2])
			if !ok {
				return errNotInteger
			}
			if n < 0 {
				n = 10
			}
			count = n
		}
	}
	kv := []Value{
		BulkValue("length"), IntValue(int64(s.len())),
		BulkValue("radix-tree-keys"), IntValue(int64(s.nodes.Len())),
		BulkValue("radix-tree-nodes"), IntValue(s.raxNodes()),
		BulkValue("last-generated-id"), idValue(s.last),
		BulkValue("max-deleted-entry-id"), idValue(s.maxDeleted),
		BulkValue("entries-added"), IntValue(int64(s.entriesAdded)),
		BulkValue("recorded-first-entry-id"), idValue(s.first),
	}
	if !full {
		first, last := nullValue, nullValue
		if f, ok := s.entries.Min(); ok {
			first = entryValue(f)
		}
		if l, ok := s.entries.Max(); ok {
			last = entryValue(l)
		}
		kv = append(kv,
			BulkValue("groups"), IntValue(int64(len(s.groups))),
			BulkValue("first-entry"), first,
			BulkValue("last-entry"), last)
		return MapValue(kv...)
	}
	kv = append(kv, BulkValue("entries"), entriesValue(s.rangeEntries(streamID{}, streamid.Max, count, false)))
	var groups []Value
	for _, g := range s.sortedGroups() {
		var pel []Value
		g.pel.Ascend(func(nk *streamNACK) bool {
			if count != 0 && int64(len(pel)) >= count {
				return false
			}
			pel = append(pel, ArrayValue(idValue(nk.id), BulkValue(nk.consumer.name), IntValue(nk.deliveryTime), IntValue(nk.deliveryCount)))
			return true
		})
		var conss []Value
		for _, cons := range g.sortedConsumers() {
			var cp []Value
			cons.pel.Ascend(func(nk *streamNACK) bool {
				if count != 0 && int64(len(cp)) >= count {
					return false
				}
				cp = append(cp, ArrayValue(idValue(nk.id), IntValue(nk.deliveryTime), IntValue(nk.deliveryCount)))
				return true
			})
			conss = append(conss, MapValue(
				BulkValue("name"), BulkValue(cons.name),
				BulkValue("seen-time"), IntValue(cons.seenTime),
				BulkValue("pel-count"), IntValue(int64(cons.pel.Len())),
				BulkValue("pending"), ArrayValue(cp...),
			))
		}
		groups = append(groups, MapValue(
			BulkValue("name"), BulkValue(g.name),
			BulkValue("last-delivered-id"), idValue(g.lastID),
			BulkValue("entries-read"), entriesReadValue(g),
			BulkValue("lag"), lagValue(s, g),
			BulkValue("pel-count"), IntValue(int64(g.pel.Len())),
			BulkValue("pending"), ArrayValue(pel...),
			BulkValue("consumers"), ArrayValue(conss...),
		))
	}
	kv = append(kv, BulkValue("groups"), ArrayValue(groups...))
	return MapValue(kv...)
}

// raxNodes estimates the number of nodes of the radix tree in which Redis
// keeps the listpack nodes, keyed by their master IDs as 16 big-endian
// bytes (XINFO STREAM's radix-tree-nodes). It counts the canonical form
// raxInsert builds: a compressed node over every run of bytes shared by
// all keys below a point, a branching node where they diverge, and a leaf
// per key. (Deletions may leave Redis's tree less compact than this.)
func (s *stream) raxNodes() int64 {
	keys := make([][16]byte, 0, s.nodes.Len())
	s.nodes.Ascend(func(nd *streamNode) bool {
		var k [16]byte
		for i := 0; i < 8; i++ {
			k[i] = byte(nd.master.Ms >> (56 - 8*i))
			k[8+i] = byte(nd.master.Seq >> (56 - 8*i))
		}
		keys = append(keys, k)
		return true
	})
	if len(keys) == 0 {
		return 1 // the empty root
	}
	return raxCount(keys, 0)
}

// lcpAll is the length of the prefix shared by sorted keys.
func lcpAll(keys [][16]byte) int {
	f, l := keys[0], keys[len(keys)-1]
	n := 0
	for n < 16 && f[n] == l[n] {
		n++
	}
	return n
}

// raxCount counts the nodes of the subtree at depth d over sorted keys
// that share their first d bytes.
func raxCount(keys [][16]byte, d int) int64 {
	if d == 16 {
		return 1
	}
	if l := lcpAll(keys); l > d {
		return 1 + raxCount(keys, l)
	}
	n := int64(1)
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j][d] == keys[i][d] {
			j++
		}
		n += raxCount(keys[i:j], d+1)
		i = j
	}
	return n
}
