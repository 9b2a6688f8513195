package embedis

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/embedis/embedis/internal/dict"
	"github.com/embedis/embedis/persist/rdb"
)

// Conversions between the store's values and persist/rdb's neutral ones,
// for DUMP/RESTORE, snapshots and loading. They run on the executor (they
// read and build values the executor owns) and do no I/O.
//
// entryToRDB keeps every order the store knows to be Redis's: the
// insertion order of a listpack hash, the ascending order of an intset
// and of a sorted set, a list's order, a stream's node boundaries. So a
// DUMP of a value whose layout Redis fixes by its contents is byte for
// byte Redis's. rdbToEntry builds the value in the encoding Redis 7.0
// gives it when it loads that RDB type under the current limits
// (rdbLoadObject), which is not always the encoding its contents alone
// would get: a listpack hash or sorted set is converted on load only when
// it has too many entries, never for a long element.

// entryToRDB returns e's value as a neutral rdb.Value (sharing its
// strings, which are immutable) and its expiry as rdb.KeyMeta. The
// eviction clocks are not set: callers that write them (a snapshot with
// an LRU/LFU policy) add them. The value must not be changed while the
// rdb.Value is in use, except that it may be discarded.
func entryToRDB(e *entry) (rdb.Value, rdb.KeyMeta) {
	var meta rdb.KeyMeta
	if e.expire != 0 {
		meta.ExpireMs, meta.HasExpire = e.expire, true
	}
	switch e.typ {
	case typeString:
		return rdb.String(e.str), meta
	case typeList:
		l := e.obj.(*list)
		return rdb.List(l.d.AppendTo(make([]string, 0, l.len()), 0, l.len())), meta
	case typeSet:
		s := e.obj.(*setType)
		out := make(rdb.Set, 0, s.len())
		for m := range s.all() {
			out = append(out, m)
		}
		return out, meta
	case typeZSet:
		z := e.obj.(*zsetType)
		out := make(rdb.ZSet, 0, z.len())
		for x := z.zsl.First(); x != nil; x = x.Next() {
			out = append(out, rdb.ZMember{Member: x.Member, Score: x.Score})
		}
		return out, meta
	case typeHash:
		h := e.obj.(*hashType)
		out := make(rdb.Hash, 0, h.len())
		for f, v := range h.all() {
			out = append(out, rdb.HashField{Field: f, Value: v})
		}
		return out, meta
	case typeStream:
		return streamToRDB(e.obj.(*stream)), meta
	}
	panic(fmt.Sprintf("embedis: entryToRDB of value type %d", e.typ))
}

func toRDBID(id streamID) rdb.StreamID { return rdb.StreamID{Ms: id.Ms, Seq: id.Seq} }

func fromRDBID(id rdb.StreamID) streamID { return streamID{Ms: id.Ms, Seq: id.Seq} }

// streamToRDB converts a stream with its node layout (live entries per
// node) and its groups.
func streamToRDB(s *stream) *rdb.Stream {
	out := &rdb.Stream{
		Entries:      make([]rdb.StreamEntry, 0, s.len()),
		Length:       uint64(s.len()),
		LastID:       toRDBID(s.last),
		FirstID:      toRDBID(s.first),
		MaxDeletedID: toRDBID(s.maxDeleted),
		EntriesAdded: s.entriesAdded,
	}
	var cur *streamNode
	s.entries.Ascend(func(e *streamEntry) bool {
		out.Entries = append(out.Entries, rdb.StreamEntry{ID: toRDBID(e.id), Fields: e.fields})
		if e.node != cur || len(out.NodeSizes) == 0 {
			out.NodeSizes = append(out.NodeSizes, 0)
			cur = e.node
		}
		out.NodeSizes[len(out.NodeSizes)-1]++
		return true
	})
	for _, g := range s.groups {
		rg := rdb.StreamGroup{Name: g.name, LastID: toRDBID(g.lastID), EntriesRead: g.entriesRead}
		g.pel.Ascend(func(nk *streamNACK) bool {
			rg.PEL = append(rg.PEL, rdb.PendingEntry{ID: toRDBID(nk.id), DeliveryTime: nk.deliveryTime, DeliveryCount: uint64(nk.deliveryCount)})
			return true
		})
		for _, c := range g.consumers {
			rc := rdb.StreamConsumer{Name: c.name, SeenTime: c.seenTime}
			c.pel.Ascend(func(nk *streamNACK) bool {
				rc.PEL = append(rc.PEL, toRDBID(nk.id))
				return true
			})
			rg.Consumers = append(rg.Consumers, rc)
		}
		out.Groups = append(out.Groups, rg)
	}
	return out
}

// errRDBValue is the error of rdbToEntry for a value the store cannot
// hold: empty collections, duplicates, NaN scores, inconsistent streams.
// The reader refuses all of these already; rdbToEntry checks again so
// that a value from anywhere keeps the store's invariants.
var errRDBValue = errors.New("embedis: invalid value")

func badValue(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errRDBValue}, args...)...)
}

// rdbToEntry builds the store's value for v, read as RDB type t (the Type
// rdb.DecodeDump or a Record reports; 0 for a string), in the encoding
// Redis 7.0 gives it after loading under the limits lim. The entry has
// no expiry and no access time; the caller places it (c.put ...) and sets
// both. It returns an error wrapping errRDBValue for a value the store
// cannot hold.
func rdbToEntry(v rdb.Value, t rdb.Type, lim encodingLimits) (entry, error) {
	switch v := v.(type) {
	case rdb.String:
		s := string(v)
		return entry{typ: typeString, enc: stringEncoding(s), str: s}, nil
	case rdb.List:
		if len(v) == 0 {
			return entry{}, badValue("empty list")
		}
		l := &list{}
		for _, x := range v {
			l.d.PushBack(x)
		}
		return entry{typ: typeList, obj: l}, nil
	case rdb.Set:
		s, err := rdbToSet(v, t, lim)
		return entry{typ: typeSet, obj: s}, err
	case rdb.ZSet:
		z, err := rdbToZset(v, t, lim)
		return entry{typ: typeZSet, obj: z}, err
	case rdb.Hash:
		h, err := rdbToHash(v, t, lim)
		return entry{typ: typeHash, obj: h}, err
	case *rdb.Stream:
		s, err := rdbToStream(v)
		return entry{typ: typeStream, obj: s}, err
	}
	return entry{}, badValue("unknown value type %T", v)
}

// rdbToSet: an intset when every member is an integer and there are at
// most set-max-intset-entries of them (for SET and SET_INTSET alike),
// else a hashtable whose members keep the payload's order.
func rdbToSet(v rdb.Set, t rdb.Type, lim encodingLimits) (*setType, error) {
	if len(v) == 0 {
		return nil, badValue("empty set")
	}
	maxInts := min(lim.setMaxIntsetEntries, 1<<30)
	if len(v) <= maxInts {
		ints := make([]int64, 0, len(v))
		for _, m := range v {
			n, ok := parseInt(m)
			if !ok {
				ints = nil
				break
			}
			ints = append(ints, n)
		}
		if ints != nil {
			slices.Sort(ints)
			for i := 1; i < len(ints); i++ {
				if ints[i] == ints[i-1] {
					return nil, badValue("duplicate set member %d", ints[i])
				}
			}
			return &setType{ints: ints}, nil
		}
	}
	s := &setType{ht: true, members: make([]string, 0, len(v)), index: make(map[string]int, len(v))}
	for _, m := range v {
		if !s.add(m, 0) {
			return nil, badValue("duplicate set member %q", m)
		}
	}
	return s, nil
}

// rdbToZset: from a skiplist type (ZSET, ZSET_2) a listpack when both
// limits allow; from a compact type (ZSET_ZIPLIST, ZSET_LISTPACK) a
// listpack unless it has too many members, whatever their length.
func rdbToZset(v rdb.ZSet, t rdb.Type, lim encodingLimits) (*zsetType, error) {
	if len(v) == 0 {
		return nil, badValue("empty sorted set")
	}
	z := newZset()
	if len(v) > lim.zsetMaxListpackEntries {
		z.skiplist = true
	} else if t == rdb.TypeZSet || t == rdb.TypeZSet2 {
		for _, m := range v {
			if len(m.Member) > lim.zsetMaxListpackValue {
				z.skiplist = true
				break
			}
		}
	}
	for _, m := range v {
		if math.IsNaN(m.Score) {
			return nil, badValue("sorted set member %q has a NaN score", m.Member)
		}
		score := z.store(m.Score)
		p, added := z.dict.Put(m.Member)
		if !added {
			return nil, badValue("duplicate sorted set member %q", m.Member)
		}
		*p = score
		z.zsl.Insert(score, m.Member)
	}
	return z, nil
}

// rdbToHash: from HASH a listpack unless it has too many fields or a
// field or value is too long; from a compact type (ZIPMAP, ZIPLIST,
// LISTPACK) a listpack unless it has too many fields (7.0 also checks the
// lengths of a zipmap's). A listpack keeps the payload's order.
func rdbToHash(v rdb.Hash, t rdb.Type, lim encodingLimits) (*hashType, error) {
	if len(v) == 0 {
		return nil, badValue("empty hash")
	}
	h := newHash()
	big := len(v) > lim.hashMaxListpackEntries
	if !big && t != rdb.TypeHashZiplist && t != rdb.TypeHashListpack {
		for _, f := range v {
			if len(f.Field) > lim.hashMaxListpackValue || len(f.Value) > lim.hashMaxListpackValue {
				big = true
				break
			}
		}
	}
	if big {
		h.ht = new(dict.Dict[string])
	}
	for _, f := range v {
		if !h.set(f.Field, f.Value) {
			return nil, badValue("duplicate hash field %q", f.Field)
		}
	}
	return h, nil
}

// rdbToStream rebuilds a stream with the node layout v.NodeSizes gives
// (nodes over stream-node-max-entries are split, since the store's node
// shadow holds at most that many), its counters and its groups. The first
// ID is recomputed from the entries, as the store keeps it.
func rdbToStream(v *rdb.Stream) (*stream, error) {
	if v == nil {
		return nil, badValue("nil stream")
	}
	if v.Length != uint64(len(v.Entries)) {
		return nil, badValue("stream length %d, %d entries", v.Length, len(v.Entries))
	}
	s := newStream()
	sizes := v.NodeSizes
	if sizes == nil {
		sizes = []int{len(v.Entries)}
	}
	i := 0
	var prev streamID
	for _, n := range sizes {
		if n < 0 || n > len(v.Entries)-i {
			return nil, badValue("stream node sizes do not match its %d entries", len(v.Entries))
		}
		var nd *streamNode
		for k := 0; k < n; k++ {
			e := v.Entries[i]
			id := fromRDBID(e.ID)
			if i > 0 && !prev.Less(id) {
				return nil, badValue("stream entry %s not above %s", id, prev)
			}
			if len(e.Fields) == 0 || len(e.Fields)%2 != 0 {
				return nil, badValue("stream entry %s has %d field strings", id, len(e.Fields))
			}
			if k%streamNodeMaxEntries == 0 {
				nd = nil
			}
			s.insertInto(nd, id, e.Fields)
			nd, _ = s.nodes.Max()
			prev = id
			i++
		}
	}
	if i != len(v.Entries) {
		return nil, badValue("stream node sizes sum to %d, stream has %d entries", i, len(v.Entries))
	}
	s.last = fromRDBID(v.LastID)
	if s.len() > 0 && s.last.Less(prev) {
		return nil, badValue("stream last ID %s below its last entry %s", s.last, prev)
	}
	s.maxDeleted = fromRDBID(v.MaxDeletedID)
	s.entriesAdded = max(v.EntriesAdded, uint64(s.len()))
	s.updateFirst()
	if len(v.Groups) != 0 {
		s.groups = make(map[string]*streamGroup, len(v.Groups))
	}
	for _, rg := range v.Groups {
		if _, dup := s.groups[rg.Name]; dup {
			return nil, badValue("duplicate consumer group %q", rg.Name)
		}
		g := &streamGroup{name: rg.Name, lastID: fromRDBID(rg.LastID), entriesRead: rg.EntriesRead,
			pel: newPEL(), consumers: make(map[string]*streamConsumer, len(rg.Consumers))}
		if g.entriesRead < 0 {
			g.entriesRead = entriesReadInvalid
		}
		nacks := make(map[streamID]*streamNACK, len(rg.PEL))
		for _, p := range rg.PEL {
			id := fromRDBID(p.ID)
			if _, dup := nacks[id]; dup {
				return nil, badValue("group %q: duplicate pending entry %s", rg.Name, id)
			}
			nk := &streamNACK{id: id, deliveryTime: p.DeliveryTime, deliveryCount: int64(min(p.DeliveryCount, math.MaxInt64))}
			nacks[id] = nk
			g.pel.ReplaceOrInsert(nk)
		}
		for _, rc := range rg.Consumers {
			if _, dup := g.consumers[rc.Name]; dup {
				return nil, badValue("group %q: duplicate consumer %q", rg.Name, rc.Name)
			}
			c := &streamConsumer{name: rc.Name, seenTime: rc.SeenTime, pel: newPEL()}
			g.consumers[rc.Name] = c
			for _, rid := range rc.PEL {
				id := fromRDBID(rid)
				nk := nacks[id]
				if nk == nil {
					return nil, badValue("group %q: consumer %q owns %s, not in the group's PEL", rg.Name, rc.Name, id)
				}
				if nk.consumer != nil {
					return nil, badValue("group %q: pending entry %s owned twice", rg.Name, id)
				}
				nk.consumer = c
				c.pel.ReplaceOrInsert(nk)
			}
		}
		for id, nk := range nacks {
			if nk.consumer == nil {
				return nil, badValue("group %q: pending entry %s has no consumer", rg.Name, id)
			}
		}
		s.groups[rg.Name] = g
	}
	return s, nil
}

// rdbConfig returns the rdb encoding settings from the store's current
// CONFIG values: the listpack and intset limits OBJECT ENCODING follows,
// list-max-listpack-size, list-compress-depth, rdbcompression and
// rdbchecksum. The stream node limits are the store's own (stream.go
// keeps Redis's defaults). Executor only.
func (s *Store) rdbConfig() rdb.Config {
	cfg := rdb.DefaultConfig()
	cfg.HashMaxListpackEntries = s.limits.hashMaxListpackEntries
	cfg.HashMaxListpackValue = s.limits.hashMaxListpackValue
	cfg.ZSetMaxListpackEntries = s.limits.zsetMaxListpackEntries
	cfg.ZSetMaxListpackValue = s.limits.zsetMaxListpackValue
	cfg.SetMaxIntsetEntries = s.limits.setMaxIntsetEntries
	cfg.StreamNodeMaxBytes = streamNodeMaxBytes
	cfg.StreamNodeMaxEntries = streamNodeMaxEntries
	conf := s.configValues()
	if n, err := strconv.Atoi(conf["list-max-listpack-size"]); err == nil {
		cfg.ListMaxListpackSize = n
	}
	if n, err := strconv.Atoi(conf["list-compress-depth"]); err == nil {
		cfg.ListCompressDepth = n
	}
	cfg.Compression = conf["rdbcompression"] == "yes"
	cfg.Checksum = conf["rdbchecksum"] == "yes"
	return cfg
}

// pinEncoding returns cfg with the thresholds moved so that the rdb
// writer picks e's current encoding rather than the one its contents
// alone would get: Redis writes a value in the encoding it has, and a
// hash, set or sorted set that has become a hash table stays one after
// shrinking (and one that is compact stays so after CONFIG SET lowers a
// limit). For DUMP, where the config is per value.
func pinEncoding(cfg rdb.Config, e *entry) rdb.Config {
	switch e.typ {
	case typeSet:
		if e.obj.(*setType).ht {
			cfg.SetMaxIntsetEntries = -1
		} else {
			cfg.SetMaxIntsetEntries = math.MaxInt
		}
	case typeZSet:
		if e.obj.(*zsetType).skiplist {
			cfg.ZSetMaxListpackEntries = -1
		} else {
			cfg.ZSetMaxListpackEntries, cfg.ZSetMaxListpackValue = math.MaxInt, math.MaxInt
		}
	case typeHash:
		if e.obj.(*hashType).ht != nil {
			cfg.HashMaxListpackEntries = -1
		} else {
			cfg.HashMaxListpackEntries, cfg.HashMaxListpackValue = math.MaxInt, math.MaxInt
		}
	}
	return cfg
}
