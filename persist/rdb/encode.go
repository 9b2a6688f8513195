package rdb

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strings"
)

// TypeOf returns the RDB type the writer uses for v under c: the encoding
// Redis 7.0 gives such a value once loaded (a hash, sorted set or set that
// fits the listpack or intset limits is written compact, otherwise as a
// hash table or skiplist; lists are always quicklists; streams
// STREAM_LISTPACKS_2). It returns 0 (TypeString) for strings and unknown
// values.
func (c Config) TypeOf(v Value) Type {
	switch v := v.(type) {
	case List:
		return TypeListQuicklist2
	case Set:
		if _, ok := intsetCandidate(v, c.SetMaxIntsetEntries); ok {
			return TypeSetIntset
		}
		return TypeSet
	case ZSet:
		if len(v) <= c.ZSetMaxListpackEntries {
			small := true
			for _, m := range v {
				if len(m.Member) > c.ZSetMaxListpackValue {
					small = false
					break
				}
			}
			if small {
				return TypeZSetListpack
			}
		}
		return TypeZSet2
	case Hash:
		if len(v) <= c.HashMaxListpackEntries {
			small := true
			for _, f := range v {
				if len(f.Field) > c.HashMaxListpackValue || len(f.Value) > c.HashMaxListpackValue {
					small = false
					break
				}
			}
			if small {
				return TypeHashListpack
			}
		}
		return TypeHash
	case *Stream:
		return TypeStreamListpacks2
	}
	return TypeString
}

// appendValue appends the type byte and the encoding of v.
func appendValue(b []byte, v Value, cfg *Config) ([]byte, error) {
	if v == nil {
		return nil, fmt.Errorf("rdb: nil value")
	}
	t := cfg.TypeOf(v)
	b = append(b, byte(t))
	switch v := v.(type) {
	case String:
		return appendString(b, string(v), cfg.Compression), nil
	case List:
		if len(v) == 0 {
			return nil, fmt.Errorf("rdb: empty list")
		}
		nodes := uint64(countListNodes(cfg, slices.Values(v)))
		q := newQuicklist(cfg, nodes)
		q.b = appendLen(b, nodes)
		for _, e := range v {
			q.push(e)
		}
		return q.finish()
	case Set:
		if len(v) == 0 {
			return nil, fmt.Errorf("rdb: empty set")
		}
		if t == TypeSetIntset {
			vals, _ := intsetCandidate(v, cfg.SetMaxIntsetEntries)
			for i := 1; i < len(vals); i++ {
				if vals[i] == vals[i-1] {
					return nil, fmt.Errorf("rdb: duplicate set member %d", vals[i])
				}
			}
			return appendBlob(b, intsetBytes(vals), cfg.Compression), nil
		}
		b = appendLen(b, uint64(len(v)))
		for _, m := range v {
			b = appendString(b, m, cfg.Compression)
		}
		return b, nil
	case ZSet:
		if len(v) == 0 {
			return nil, fmt.Errorf("rdb: empty sorted set")
		}
		sorted := slices.Clone(v)
		slices.SortFunc(sorted, cmpZMember)
		for i := range sorted {
			if sorted[i].Score != sorted[i].Score {
				return nil, fmt.Errorf("rdb: sorted set member %q has a NaN score", sorted[i].Member)
			}
		}
		if t == TypeZSetListpack {
			l := newLP()
			for _, m := range sorted {
				l.appendString(m.Member)
				l.appendString(formatScore(m.Score))
			}
			return appendBlob(b, l.bytes(), cfg.Compression), nil
		}
		// Redis writes the skiplist from its tail: highest score first.
		b = appendLen(b, uint64(len(sorted)))
		for i := len(sorted) - 1; i >= 0; i-- {
			b = appendString(b, sorted[i].Member, cfg.Compression)
			b = appendBinaryDouble(b, sorted[i].Score)
		}
		return b, nil
	case Hash:
		if len(v) == 0 {
			return nil, fmt.Errorf("rdb: empty hash")
		}
		if t == TypeHashListpack {
			l := newLP()
			for _, f := range v {
				l.appendString(f.Field)
				l.appendString(f.Value)
			}
			return appendBlob(b, l.bytes(), cfg.Compression), nil
		}
		b = appendLen(b, uint64(len(v)))
		for _, f := range v {
			b = appendString(b, f.Field, cfg.Compression)
			b = appendString(b, f.Value, cfg.Compression)
		}
		return b, nil
	case *Stream:
		if v == nil {
			return nil, fmt.Errorf("rdb: nil stream")
		}
		return appendStream(b, v, cfg)
	}
	return nil, fmt.Errorf("rdb: unknown value type %T", v)
}

// cmpZMember orders as Redis's skiplist: by score, then member bytes.
func cmpZMember(a, c ZMember) int {
	if a.Score != c.Score {
		return cmp.Compare(a.Score, c.Score)
	}
	return strings.Compare(a.Member, c.Member)
}

// ---- quicklist ----

// quicklist mirrors how RPUSH fills a quicklist (quicklistPushTail) and
// writes each node as soon as it is full, so a list can be written in
// slices.
type quicklist struct {
	cfg      *Config
	b        []byte
	nodes    uint64 // declared node count
	written  uint64 // nodes written
	cur      *lpBuilder
	curPlain bool
}

// largeElement is Redis's packed_threshold: elements of 1 GB or more get a
// plain node of their own.
const largeElement = 1 << 30

var quicklistLevels = [...]int{4096, 8192, 16384, 32768, 65536}

// allowInsert is _quicklistNodeAllowInsert for a node of size sz (lpBytes)
// holding count elements and a new element of n bytes.
func allowInsert(fill, sz, count, n int) bool {
	if n >= largeElement {
		return false
	}
	newSz := sz + n + 8
	if fill < 0 {
		if off := -fill - 1; off < len(quicklistLevels) && newSz <= quicklistLevels[off] {
			return true
		}
	}
	if newSz > 8192 {
		return false
	}
	return count < fill
}

// countListNodes returns the number of quicklist nodes Redis builds when
// it RPUSHes the elements one by one.
func countListNodes(cfg *Config, elems iter.Seq[string]) int {
	nodes := 0
	open := false // the tail node can take more
	sz, count := 0, 0
	var sizer lpBuilder
	for e := range elems {
		if open && allowInsert(cfg.ListMaxListpackSize, sz, count, len(e)) {
			sizer.buf = sizer.buf[:0]
			sizer.appendString(e)
			sz += len(sizer.buf)
			count++
			continue
		}
		nodes++
		if len(e) >= largeElement {
			open = false
			continue
		}
		open = true
		sizer.buf = sizer.buf[:0]
		sizer.appendString(e)
		sz = lpHeaderSize + 1 + len(sizer.buf)
		count = 1
	}
	return nodes
}

// ListNodes returns the number of quicklist nodes the list with these
// elements (head first) has under c: what BeginList needs up front. Only
// the elements' bytes matter, so a caller can pass an iterator over its
// own storage.
func (c Config) ListNodes(elems iter.Seq[string]) uint64 {
	return uint64(countListNodes(&c, elems))
}

func newQuicklist(cfg *Config, nodes uint64) *quicklist {
	return &quicklist{cfg: cfg, nodes: nodes}
}

func (q *quicklist) push(e string) {
	if q.cur != nil && !q.curPlain && allowInsert(q.cfg.ListMaxListpackSize, q.cur.size(), q.cur.count, len(e)) {
		q.cur.appendString(e)
		return
	}
	q.flush()
	if len(e) >= largeElement {
		q.b = appendLen(q.b, 1) // plain container
		q.b = appendString(q.b, e, q.cfg.Compression)
		q.written++
		q.cur, q.curPlain = nil, false
		return
	}
	q.cur = newLP()
	q.cur.appendString(e)
}

// flush writes the open packed node.
func (q *quicklist) flush() {
	if q.cur == nil {
		return
	}
	lp := q.cur.bytes()
	q.cur = nil
	q.b = appendLen(q.b, 2) // packed container
	idx := q.written
	q.written++
	depth := uint64(max(q.cfg.ListCompressDepth, 0))
	if depth > 0 && q.nodes > 2*depth && idx >= depth && idx < q.nodes-depth && len(lp) >= 48 {
		// An inner node Redis keeps LZF-compressed and saves as it is.
		if c := lzfCompress(lp, len(lp)); c != nil && len(c)+8 < len(lp) {
			q.b = append(q.b, lenEnc<<6|encLZF)
			q.b = appendLen(q.b, uint64(len(c)))
			q.b = appendLen(q.b, uint64(len(lp)))
			q.b = append(q.b, c...)
			return
		}
	}
	q.b = appendBlob(q.b, lp, q.cfg.Compression)
}

func (q *quicklist) finish() ([]byte, error) {
	q.flush()
	if q.written != q.nodes {
		return nil, fmt.Errorf("rdb: list has %d quicklist nodes, %d were declared", q.written, q.nodes)
	}
	return q.b, nil
}
