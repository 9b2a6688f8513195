package rdb

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
)

// Stream entry flags (stream.h).
const (
	streamFlagDeleted    = 1
	streamFlagSameFields = 2
)

// A stream node is a listpack keyed by its master ID (16 bytes, ms and seq
// big endian). Inside (t_stream.c):
//
//	master entry: count | deleted | num-fields | field_1 ... field_N | 0
//	each entry:   flags | ms-diff | seq-diff | num-fields | f1 | v1 ... | lp-count
//	same fields:  flags | ms-diff | seq-diff | v1 ... vN | lp-count
//
// IDs are deltas from the master ID; lp-count is the number of elements of
// the entry before it, so the node can be walked backwards.

// lpInt returns an entry as an integer, accepting a string that reads as
// one (lpGetIntegerIfValid).
func lpInt(e lpEntry) (int64, bool) {
	if e.isInt {
		return e.v, true
	}
	return parseStrictInt(e.s)
}

// decodeStreamNode appends the live entries of one node to out.
func decodeStreamNode(master StreamID, blob string, out []StreamEntry) ([]StreamEntry, int, error) {
	es, err := lpDecode(blob)
	if err != nil {
		return nil, 0, err
	}
	if len(es) == 0 {
		return nil, 0, fmt.Errorf("empty listpack inside stream")
	}
	i := 0
	next := func(what string) (lpEntry, error) {
		if i >= len(es) {
			return lpEntry{}, fmt.Errorf("stream node ends inside %s", what)
		}
		e := es[i]
		i++
		return e, nil
	}
	nextInt := func(what string) (int64, error) {
		e, err := next(what)
		if err != nil {
			return 0, err
		}
		v, ok := lpInt(e)
		if !ok {
			return 0, fmt.Errorf("stream node: %s is not an integer", what)
		}
		return v, nil
	}
	count, err := nextInt("master count")
	if err != nil {
		return nil, 0, err
	}
	deleted, err := nextInt("master deleted count")
	if err != nil {
		return nil, 0, err
	}
	nf, err := nextInt("master field count")
	if err != nil {
		return nil, 0, err
	}
	if count < 0 || deleted < 0 || nf < 0 || nf > int64(len(es)) || count+deleted > int64(len(es)) {
		return nil, 0, fmt.Errorf("stream node master entry has impossible counts")
	}
	masterFields := make([]string, nf)
	for j := range masterFields {
		e, err := next("master fields")
		if err != nil {
			return nil, 0, err
		}
		masterFields[j] = e.str()
	}
	if z, err := nextInt("master terminator"); err != nil || z != 0 {
		return nil, 0, fmt.Errorf("stream node master entry has no zero terminator")
	}
	live := 0
	for range count + deleted {
		flags, err := nextInt("entry flags")
		if err != nil {
			return nil, 0, err
		}
		msd, err := nextInt("entry ms delta")
		if err != nil {
			return nil, 0, err
		}
		seqd, err := nextInt("entry seq delta")
		if err != nil {
			return nil, 0, err
		}
		id := StreamID{Ms: master.Ms + uint64(msd), Seq: master.Seq + uint64(seqd)}
		var fields []string
		extra := int64(3)
		if flags&streamFlagSameFields != 0 {
			fields = make([]string, 0, 2*len(masterFields))
			for _, f := range masterFields {
				v, err := next("entry value")
				if err != nil {
					return nil, 0, err
				}
				fields = append(fields, f, v.str())
			}
			nf = int64(len(masterFields))
		} else {
			if nf, err = nextInt("entry field count"); err != nil {
				return nil, 0, err
			}
			if nf < 0 || nf > int64(len(es)-i)/2 {
				return nil, 0, fmt.Errorf("stream entry field count %d out of range", nf)
			}
			fields = make([]string, 0, 2*nf)
			for range 2 * nf {
				e, err := next("entry fields")
				if err != nil {
					return nil, 0, err
				}
				fields = append(fields, e.str())
			}
			extra += nf + 1
		}
		lpCount, err := nextInt("entry lp-count")
		if err != nil {
			return nil, 0, err
		}
		if lpCount != nf+extra {
			return nil, 0, fmt.Errorf("stream entry lp-count %d, want %d", lpCount, nf+extra)
		}
		if flags&streamFlagDeleted != 0 {
			continue
		}
		if n := len(out); n > 0 && !out[n-1].ID.Less(id) {
			return nil, 0, fmt.Errorf("stream entry IDs are not ascending")
		}
		if id.Less(master) {
			return nil, 0, fmt.Errorf("stream entry ID below its node's master ID")
		}
		out = append(out, StreamEntry{ID: id, Fields: fields})
		live++
	}
	if i != len(es) {
		return nil, 0, fmt.Errorf("stream node has %d elements after its last entry", len(es)-i)
	}
	if int64(live) != count {
		return nil, 0, fmt.Errorf("stream node master count %d, found %d live entries", count, live)
	}
	return out, live, nil
}

func (d *decoder) readStreamID(what string) (StreamID, error) {
	ms, err := d.readLen(what + " ms")
	if err != nil {
		return StreamID{}, err
	}
	seq, err := d.readLen(what + " seq")
	return StreamID{Ms: ms, Seq: seq}, err
}

func (d *decoder) readRawID(what string) (StreamID, error) {
	b, err := d.src.take(16)
	if err != nil {
		return StreamID{}, d.ioErr(what, err)
	}
	return StreamID{Ms: binary.BigEndian.Uint64(b), Seq: binary.BigEndian.Uint64(b[8:])}, nil
}

// readStream reads STREAM_LISTPACKS and STREAM_LISTPACKS_2.
func (d *decoder) readStream(t Type) (Value, error) {
	s := &Stream{}
	nodes, err := d.readCount("stream node count")
	if err != nil {
		return nil, err
	}
	var prevKey StreamID
	for j := range nodes {
		koff := d.src.off
		key, err := d.readString("stream node key")
		if err != nil {
			return nil, err
		}
		if len(key) != 16 {
			return nil, corruptAt(koff, "stream node key of %d bytes, not 16", len(key))
		}
		master := StreamID{Ms: binary.BigEndian.Uint64([]byte(key[:8])), Seq: binary.BigEndian.Uint64([]byte(key[8:]))}
		if j > 0 && !prevKey.Less(master) {
			return nil, corruptAt(koff, "stream node keys are not ascending")
		}
		prevKey = master
		boff := d.src.off
		blob, err := d.readString("stream node listpack")
		if err != nil {
			return nil, err
		}
		var live int
		s.Entries, live, err = decodeStreamNode(master, blob, s.Entries)
		if err != nil {
			return nil, corruptAt(boff, "%v", err)
		}
		s.NodeSizes = append(s.NodeSizes, live)
	}
	moff := d.src.off
	if s.Length, err = d.readLen("stream length"); err != nil {
		return nil, err
	}
	if s.Length != uint64(len(s.Entries)) {
		return nil, corruptAt(moff, "stream length %d, but %d entries", s.Length, len(s.Entries))
	}
	if s.LastID, err = d.readStreamID("stream last ID"); err != nil {
		return nil, err
	}
	if n := len(s.Entries); n > 0 && s.LastID.Less(s.Entries[n-1].ID) {
		return nil, corruptAt(moff, "stream last ID below its last entry")
	}
	if t == TypeStreamListpacks2 {
		if s.FirstID, err = d.readStreamID("stream first ID"); err != nil {
			return nil, err
		}
		if s.MaxDeletedID, err = d.readStreamID("stream max deleted ID"); err != nil {
			return nil, err
		}
		if s.EntriesAdded, err = d.readLen("stream entries added"); err != nil {
			return nil, err
		}
	} else {
		// As 7.0 migrates a 5.0-6.2 stream: entries-added is the length and
		// the first ID that of the first entry (all ones when empty).
		s.EntriesAdded = s.Length
		if len(s.Entries) > 0 {
			s.FirstID = s.Entries[0].ID
		} else {
			s.FirstID = StreamID{Ms: ^uint64(0), Seq: ^uint64(0)}
		}
	}
	ngroups, err := d.readCount("stream group count")
	if err != nil {
		return nil, err
	}
	names := make(map[string]struct{})
	for range ngroups {
		goff := d.src.off
		var g StreamGroup
		if g.Name, err = d.readString("stream group name"); err != nil {
			return nil, err
		}
		if _, dup := names[g.Name]; dup {
			return nil, corruptAt(goff, "duplicate consumer group name %q", g.Name)
		}
		names[g.Name] = struct{}{}
		if g.LastID, err = d.readStreamID("stream group last ID"); err != nil {
			return nil, err
		}
		if t == TypeStreamListpacks2 {
			er, err := d.readLen("stream group entries read")
			if err != nil {
				return nil, err
			}
			g.EntriesRead = int64(er)
		} else {
			g.EntriesRead = estimateEntriesRead(s, g.LastID)
		}
		npel, err := d.readCount("stream PEL size")
		if err != nil {
			return nil, err
		}
		owner := make(map[StreamID]bool, min(npel, 1024))
		for range npel {
			poff := d.src.off
			var p PendingEntry
			if p.ID, err = d.readRawID("stream PEL ID"); err != nil {
				return nil, err
			}
			if p.DeliveryTime, err = d.readMillis("stream PEL delivery time"); err != nil {
				return nil, err
			}
			if p.DeliveryCount, err = d.readLen("stream PEL delivery count"); err != nil {
				return nil, err
			}
			if _, dup := owner[p.ID]; dup {
				return nil, corruptAt(poff, "duplicate group PEL entry")
			}
			owner[p.ID] = false
			g.PEL = append(g.PEL, p)
		}
		ncons, err := d.readCount("stream consumer count")
		if err != nil {
			return nil, err
		}
		cnames := make(map[string]struct{})
		for range ncons {
			coff := d.src.off
			var c StreamConsumer
			if c.Name, err = d.readString("stream consumer name"); err != nil {
				return nil, err
			}
			if _, dup := cnames[c.Name]; dup {
				return nil, corruptAt(coff, "duplicate stream consumer")
			}
			cnames[c.Name] = struct{}{}
			if c.SeenTime, err = d.readMillis("stream consumer seen time"); err != nil {
				return nil, err
			}
			n, err := d.readCount("stream consumer PEL size")
			if err != nil {
				return nil, err
			}
			for range n {
				poff := d.src.off
				id, err := d.readRawID("stream consumer PEL ID")
				if err != nil {
					return nil, err
				}
				owned, ok := owner[id]
				if !ok {
					return nil, corruptAt(poff, "consumer PEL entry not in the group PEL")
				}
				if owned {
					return nil, corruptAt(poff, "stream PEL entry owned twice")
				}
				owner[id] = true
				c.PEL = append(c.PEL, id)
			}
			g.Consumers = append(g.Consumers, c)
		}
		for _, owned := range owner {
			if !owned {
				return nil, corruptAt(goff, "stream group PEL entry without consumer")
			}
		}
		s.Groups = append(s.Groups, g)
	}
	return s, nil
}

// estimateEntriesRead is 7.0's streamEstimateDistanceFromFirstEverEntry,
// used for groups of a stream of RDB type 15, which has no counter.
func estimateEntriesRead(s *Stream, id StreamID) int64 {
	if s.EntriesAdded == 0 {
		return 0
	}
	if s.Length == 0 && !s.LastID.Less(id) {
		return int64(s.EntriesAdded)
	}
	if id == s.LastID {
		return int64(s.EntriesAdded)
	}
	if s.LastID.Less(id) {
		return -1
	}
	if s.MaxDeletedID.IsZero() || s.MaxDeletedID.Less(s.FirstID) {
		if id.Less(s.FirstID) {
			return int64(s.EntriesAdded - s.Length)
		}
		if id == s.FirstID {
			return int64(s.EntriesAdded - s.Length + 1)
		}
	}
	return -1
}

// ---- writing ----

// streamNodes splits the entries into nodes: by s.NodeSizes when given,
// else as XADD would under the config's limits.
func streamNodes(s *Stream, cfg *Config) ([][]StreamEntry, error) {
	if s.NodeSizes != nil {
		var out [][]StreamEntry
		i := 0
		for _, n := range s.NodeSizes {
			if n <= 0 || i+n > len(s.Entries) {
				return nil, fmt.Errorf("rdb: stream NodeSizes do not match its %d entries", len(s.Entries))
			}
			out = append(out, s.Entries[i:i+n])
			i += n
		}
		if i != len(s.Entries) {
			return nil, fmt.Errorf("rdb: stream NodeSizes sum to %d, stream has %d entries", i, len(s.Entries))
		}
		return out, nil
	}
	maxBytes := cfg.StreamNodeMaxBytes
	if maxBytes <= 0 || maxBytes > 1<<30 {
		maxBytes = 1 << 30
	}
	var out [][]StreamEntry
	start := 0
	var nb *streamNodeBuilder
	for i, e := range s.Entries {
		if nb != nil {
			tot := 0
			for _, f := range e.Fields {
				tot += len(f)
			}
			if nb.bytes()+tot >= maxBytes ||
				(cfg.StreamNodeMaxEntries > 0 && nb.count >= cfg.StreamNodeMaxEntries) {
				out = append(out, s.Entries[start:i])
				nb = nil
			}
		}
		if nb == nil {
			nb = newStreamNode(e)
			start = i
		}
		nb.add(e)
	}
	if nb != nil {
		out = append(out, s.Entries[start:])
	}
	return out, nil
}

// streamNodeBuilder builds one node's listpack as XADD does.
type streamNodeBuilder struct {
	master StreamID
	fields []string // master fields
	rest   *lpBuilder
	count  int
}

func newStreamNode(first StreamEntry) *streamNodeBuilder {
	nb := &streamNodeBuilder{master: first.ID, rest: newLP()}
	nf := len(first.Fields) / 2
	nb.fields = make([]string, nf)
	for i := range nf {
		nb.fields[i] = first.Fields[2*i]
	}
	// The master entry after count: deleted, num-fields, fields, 0.
	nb.rest.appendInt(0)
	nb.rest.appendInt(int64(nf))
	for _, f := range nb.fields {
		nb.rest.appendString(f)
	}
	nb.rest.appendInt(0)
	return nb
}

// bytes is lpBytes of the node as it stands.
func (nb *streamNodeBuilder) bytes() int {
	c := newLP()
	c.appendInt(int64(nb.count))
	return nb.rest.size() + len(c.buf) - lpHeaderSize
}

func (nb *streamNodeBuilder) add(e StreamEntry) {
	nf := len(e.Fields) / 2
	same := nf == len(nb.fields)
	if same {
		for i := range nf {
			if e.Fields[2*i] != nb.fields[i] {
				same = false
				break
			}
		}
	}
	flags := int64(0)
	if same {
		flags = streamFlagSameFields
	}
	r := nb.rest
	r.appendInt(flags)
	r.appendInt(int64(e.ID.Ms - nb.master.Ms))
	r.appendInt(int64(e.ID.Seq - nb.master.Seq))
	if !same {
		r.appendInt(int64(nf))
	}
	for i := range nf {
		if !same {
			r.appendString(e.Fields[2*i])
		}
		r.appendString(e.Fields[2*i+1])
	}
	lpCount := int64(nf) + 3
	if !same {
		lpCount += int64(nf) + 1
	}
	r.appendInt(lpCount)
	nb.count++
}

// listpack returns the finished node.
func (nb *streamNodeBuilder) listpack() []byte {
	l := newLP()
	l.appendInt(int64(nb.count))
	l.buf = append(l.buf, nb.rest.buf[lpHeaderSize:]...)
	l.count += nb.rest.count
	return l.bytes()
}

// appendStream appends a STREAM_LISTPACKS_2 value.
func appendStream(b []byte, s *Stream, cfg *Config) ([]byte, error) {
	if s.Length != uint64(len(s.Entries)) {
		return nil, fmt.Errorf("rdb: stream Length %d but %d entries", s.Length, len(s.Entries))
	}
	for i, e := range s.Entries {
		if len(e.Fields)%2 != 0 || len(e.Fields) == 0 {
			return nil, fmt.Errorf("rdb: stream entry %d-%d has %d field strings, want a positive even number", e.ID.Ms, e.ID.Seq, len(e.Fields))
		}
		if i > 0 && !s.Entries[i-1].ID.Less(e.ID) {
			return nil, fmt.Errorf("rdb: stream entry IDs are not ascending at %d-%d", e.ID.Ms, e.ID.Seq)
		}
	}
	nodes, err := streamNodes(s, cfg)
	if err != nil {
		return nil, err
	}
	b = appendLen(b, uint64(len(nodes)))
	for _, node := range nodes {
		nb := newStreamNode(node[0])
		for _, e := range node {
			nb.add(e)
		}
		var key [16]byte
		binary.BigEndian.PutUint64(key[:8], nb.master.Ms)
		binary.BigEndian.PutUint64(key[8:], nb.master.Seq)
		b = appendBlob(b, key[:], cfg.Compression)
		b = appendBlob(b, nb.listpack(), cfg.Compression)
	}
	b = appendLen(b, s.Length)
	b = appendLen(b, s.LastID.Ms)
	b = appendLen(b, s.LastID.Seq)
	b = appendLen(b, s.FirstID.Ms)
	b = appendLen(b, s.FirstID.Seq)
	b = appendLen(b, s.MaxDeletedID.Ms)
	b = appendLen(b, s.MaxDeletedID.Seq)
	b = appendLen(b, s.EntriesAdded)
	groups := slices.Clone(s.Groups)
	slices.SortFunc(groups, func(a, c StreamGroup) int { return strings.Compare(a.Name, c.Name) })
	b = appendLen(b, uint64(len(groups)))
	for _, g := range groups {
		b = appendString(b, g.Name, cfg.Compression)
		b = appendLen(b, g.LastID.Ms)
		b = appendLen(b, g.LastID.Seq)
		b = appendLen(b, uint64(g.EntriesRead))
		pel := slices.Clone(g.PEL)
		slices.SortFunc(pel, func(a, c PendingEntry) int { return cmpID(a.ID, c.ID) })
		b = appendLen(b, uint64(len(pel)))
		for _, p := range pel {
			b = appendRawID(b, p.ID)
			b = appendMillis(b, p.DeliveryTime)
			b = appendLen(b, p.DeliveryCount)
		}
		cons := slices.Clone(g.Consumers)
		slices.SortFunc(cons, func(a, c StreamConsumer) int { return strings.Compare(a.Name, c.Name) })
		b = appendLen(b, uint64(len(cons)))
		for _, c := range cons {
			b = appendString(b, c.Name, cfg.Compression)
			b = appendMillis(b, c.SeenTime)
			ids := slices.Clone(c.PEL)
			slices.SortFunc(ids, cmpID)
			b = appendLen(b, uint64(len(ids)))
			for _, id := range ids {
				b = appendRawID(b, id)
			}
		}
	}
	return b, nil
}

func cmpID(a, c StreamID) int {
	switch {
	case a.Less(c):
		return -1
	case c.Less(a):
		return 1
	}
	return 0
}

func appendRawID(b []byte, id StreamID) []byte {
	b = binary.BigEndian.AppendUint64(b, id.Ms)
	return binary.BigEndian.AppendUint64(b, id.Seq)
}
