package rdb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// KeyMeta is what precedes a key in a file besides its value: expiry and
// the eviction clocks. The zero KeyMeta is a key without TTL or clocks.
type KeyMeta struct {
	// ExpireMs is the expiry time in Unix milliseconds, when HasExpire.
	ExpireMs  int64
	HasExpire bool
	// Idle is the LRU idle time in seconds (RDB_OPCODE_IDLE), when HasIdle.
	Idle    uint64
	HasIdle bool
	// Freq is the LFU counter (RDB_OPCODE_FREQ), when HasFreq.
	Freq    uint8
	HasFreq bool
}

// Header is the AUX fields Redis 7.0 writes after the magic, in its order.
type Header struct {
	// RedisVer is redis-ver; "" writes "7.0.15".
	RedisVer string
	// RedisBits is redis-bits; 0 writes 64.
	RedisBits int
	// CTime is ctime: the creation time in Unix seconds.
	CTime int64
	// UsedMem is used-mem: the bytes in use when the snapshot began.
	UsedMem int64
	// Repl, when set, adds repl-stream-db, repl-id and repl-offset (an RDB
	// for a replica, or one saved for a later partial resync).
	Repl *ReplInfo
	// AOFBase is aof-base: 1 in the RDB preamble of an AOF base file.
	AOFBase bool
}

// ReplInfo is the replication state saved in an RDB's AUX fields.
type ReplInfo struct {
	StreamDB int    // repl-stream-db: the database of the master's stream
	ID       string // repl-id: the 40-character replication ID
	Offset   int64  // repl-offset: the master replication offset
}

// ErrWriterState is returned for calls out of order: a key in the middle
// of a chunked value, an Add without Begin, anything after Close.
var ErrWriterState = errors.New("rdb: writer call out of order")

// Writer writes an RDB version 10 file as Redis 7.0 writes it. Call
// WriteHeader, then WriteFunction for each function library, then for each
// non-empty database SelectDB and its keys (WriteKey, or the Begin/Add/End
// calls for a large value), then Close. A Writer buffers up to about 64 KB
// and is not safe for concurrent use; the first error sticks.
type Writer struct {
	w     io.Writer
	cfg   Config
	crc   uint64
	buf   []byte
	err   error
	done  bool
	chunk *chunkState
}

// chunkState is a value being written in slices.
type chunkState struct {
	t     Type
	want  uint64 // declared elements (nodes for a list)
	added uint64
	list  *quicklist
}

// NewWriter returns a Writer of w under cfg (see DefaultConfig).
func NewWriter(w io.Writer, cfg Config) *Writer {
	return &Writer{w: w, cfg: cfg, buf: make([]byte, 0, 64<<10)}
}

// flushIfFull writes the buffer once it is large.
func (w *Writer) flushIfFull() error {
	if len(w.buf) >= 64<<10 {
		return w.Flush()
	}
	return nil
}

// Flush writes what is buffered to the underlying writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if len(w.buf) == 0 {
		return nil
	}
	w.crc = CRC64(w.crc, w.buf)
	if _, err := w.w.Write(w.buf); err != nil {
		w.err = fmt.Errorf("rdb: writing: %w", err)
		return w.err
	}
	w.buf = w.buf[:0]
	return nil
}

func (w *Writer) ready() error {
	if w.err != nil {
		return w.err
	}
	if w.done || w.chunk != nil {
		return ErrWriterState
	}
	return nil
}

// WriteMagic writes "REDIS0010". WriteHeader calls it; use it directly
// only to write AUX fields of your own choosing with WriteAux.
func (w *Writer) WriteMagic() error {
	if err := w.ready(); err != nil {
		return err
	}
	w.buf = append(w.buf, "REDIS0010"...)
	return nil
}

// WriteAux writes one AUX field. Values are strings, written (as Redis
// does) as integers when they read as one.
func (w *Writer) WriteAux(key, value string) error {
	if err := w.ready(); err != nil {
		return err
	}
	w.buf = append(w.buf, opAux)
	w.buf = appendString(w.buf, key, w.cfg.Compression)
	w.buf = appendString(w.buf, value, w.cfg.Compression)
	return w.flushIfFull()
}

// WriteHeader writes the magic and the AUX fields of h as Redis 7.0 does:
// redis-ver, redis-bits, ctime, used-mem, [repl-stream-db, repl-id,
// repl-offset,] aof-base.
func (w *Writer) WriteHeader(h Header) error {
	ver := h.RedisVer
	if ver == "" {
		ver = "7.0.15"
	}
	bits := h.RedisBits
	if bits == 0 {
		bits = 64
	}
	itoa := func(v int64) string { return strconv.FormatInt(v, 10) }
	aof := int64(0)
	if h.AOFBase {
		aof = 1
	}
	fields := [][2]string{
		{"redis-ver", ver},
		{"redis-bits", itoa(int64(bits))},
		{"ctime", itoa(h.CTime)},
		{"used-mem", itoa(h.UsedMem)},
	}
	if h.Repl != nil {
		fields = append(fields,
			[2]string{"repl-stream-db", itoa(int64(h.Repl.StreamDB))},
			[2]string{"repl-id", h.Repl.ID},
			[2]string{"repl-offset", itoa(h.Repl.Offset)})
	}
	fields = append(fields, [2]string{"aof-base", itoa(aof)})
	if err := w.WriteMagic(); err != nil {
		return err
	}
	for _, f := range fields {
		if err := w.WriteAux(f[0], f[1]); err != nil {
			return err
		}
	}
	return nil
}

// WriteFunction writes one function library (RDB_OPCODE_FUNCTION2): its
// code as FUNCTION LOAD received it, "#!lua name=..." line included.
// Redis writes them after the AUX fields, before the first database.
func (w *Writer) WriteFunction(code string) error {
	if err := w.ready(); err != nil {
		return err
	}
	w.buf = append(w.buf, opFunction2)
	w.buf = appendString(w.buf, code, w.cfg.Compression)
	return w.flushIfFull()
}

// SelectDB starts database db: SELECTDB, then RESIZEDB with its number of
// keys and of keys with a TTL. Redis skips empty databases.
func (w *Writer) SelectDB(db int, keys, expires uint64) error {
	if err := w.ready(); err != nil {
		return err
	}
	if db < 0 {
		return fmt.Errorf("rdb: database %d is negative", db)
	}
	w.buf = append(w.buf, opSelectDB)
	w.buf = appendLen(w.buf, uint64(db))
	w.buf = append(w.buf, opResizeDB)
	w.buf = appendLen(w.buf, keys)
	w.buf = appendLen(w.buf, expires)
	return w.flushIfFull()
}

func (w *Writer) appendMeta(meta KeyMeta) {
	if meta.HasExpire {
		w.buf = append(w.buf, opExpireTimeMs)
		w.buf = appendMillis(w.buf, meta.ExpireMs)
	}
	if meta.HasIdle {
		w.buf = append(w.buf, opIdle)
		w.buf = appendLen(w.buf, meta.Idle)
	}
	if meta.HasFreq {
		w.buf = append(w.buf, opFreq, meta.Freq)
	}
}

// WriteKey writes one key with its value, encoded as Config.TypeOf says.
// Empty collections are refused (Redis never has them).
func (w *Writer) WriteKey(key string, v Value, meta KeyMeta) error {
	if err := w.ready(); err != nil {
		return err
	}
	mark := len(w.buf)
	w.appendMeta(meta)
	// The type byte comes from appendValue; the key goes between it and
	// the value, so encode the value apart.
	val, err := appendValue(nil, v, &w.cfg)
	if err != nil {
		w.buf = w.buf[:mark]
		return fmt.Errorf("rdb: key %q: %w", key, err)
	}
	w.buf = append(w.buf, val[0])
	w.buf = appendString(w.buf, key, w.cfg.Compression)
	w.buf = append(w.buf, val[1:]...)
	return w.flushIfFull()
}

// ---- chunked values ----

// BeginSet starts a set of n members written as a hash table (TypeSet) in
// slices with AddMembers, ended by EndValue. Use it for sets TypeOf would
// not write as an intset.
func (w *Writer) BeginSet(key string, n uint64, meta KeyMeta) error {
	return w.begin(key, TypeSet, n, meta)
}

// BeginHash starts a hash of n fields written as a hash table (TypeHash)
// with AddFields.
func (w *Writer) BeginHash(key string, n uint64, meta KeyMeta) error {
	return w.begin(key, TypeHash, n, meta)
}

// BeginZSet starts a sorted set of n members written as a skiplist
// (TypeZSet2) with AddZMembers. Redis writes members from the highest
// score down; add them in that order for identical bytes.
func (w *Writer) BeginZSet(key string, n uint64, meta KeyMeta) error {
	return w.begin(key, TypeZSet2, n, meta)
}

// BeginList starts a list written as a quicklist (TypeListQuicklist2) with
// AddElements, head first. nodes is Config.ListNodes of the same elements.
func (w *Writer) BeginList(key string, nodes uint64, meta KeyMeta) error {
	return w.begin(key, TypeListQuicklist2, nodes, meta)
}

func (w *Writer) begin(key string, t Type, n uint64, meta KeyMeta) error {
	if err := w.ready(); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("rdb: key %q: empty collection", key)
	}
	w.appendMeta(meta)
	w.buf = append(w.buf, byte(t))
	w.buf = appendString(w.buf, key, w.cfg.Compression)
	w.buf = appendLen(w.buf, n)
	w.chunk = &chunkState{t: t, want: n}
	if t == TypeListQuicklist2 {
		w.chunk.list = newQuicklist(&w.cfg, n)
	}
	return w.flushIfFull()
}

func (w *Writer) add(t Type, n int) error {
	if w.err != nil {
		return w.err
	}
	if w.chunk == nil || w.chunk.t != t {
		return ErrWriterState
	}
	if t != TypeListQuicklist2 && w.chunk.added+uint64(n) > w.chunk.want {
		w.err = fmt.Errorf("rdb: more elements than the %d declared", w.chunk.want)
		return w.err
	}
	w.chunk.added += uint64(n)
	return nil
}

// AddMembers adds members to the set begun by BeginSet.
func (w *Writer) AddMembers(members ...string) error {
	if err := w.add(TypeSet, len(members)); err != nil {
		return err
	}
	for _, m := range members {
		w.buf = appendString(w.buf, m, w.cfg.Compression)
	}
	return w.flushIfFull()
}

// AddFields adds fields to the hash begun by BeginHash.
func (w *Writer) AddFields(fields ...HashField) error {
	if err := w.add(TypeHash, len(fields)); err != nil {
		return err
	}
	for _, f := range fields {
		w.buf = appendString(w.buf, f.Field, w.cfg.Compression)
		w.buf = appendString(w.buf, f.Value, w.cfg.Compression)
	}
	return w.flushIfFull()
}

// AddZMembers adds members to the sorted set begun by BeginZSet.
func (w *Writer) AddZMembers(members ...ZMember) error {
	if err := w.add(TypeZSet2, len(members)); err != nil {
		return err
	}
	for _, m := range members {
		if m.Score != m.Score {
			w.err = fmt.Errorf("rdb: sorted set member %q has a NaN score", m.Member)
			return w.err
		}
		w.buf = appendString(w.buf, m.Member, w.cfg.Compression)
		w.buf = appendBinaryDouble(w.buf, m.Score)
	}
	return w.flushIfFull()
}

// AddElements appends elements to the list begun by BeginList.
func (w *Writer) AddElements(elems ...string) error {
	if err := w.add(TypeListQuicklist2, len(elems)); err != nil {
		return err
	}
	q := w.chunk.list
	q.b = w.buf
	for _, e := range elems {
		q.push(e)
		if q.written > q.nodes {
			w.err = fmt.Errorf("rdb: list needs more than the %d nodes declared", q.nodes)
			return w.err
		}
	}
	w.buf = q.b
	q.b = nil
	return w.flushIfFull()
}

// EndValue ends the value begun by a Begin call; the number of elements
// (nodes for a list) must be the one declared.
func (w *Writer) EndValue() error {
	if w.err != nil {
		return w.err
	}
	c := w.chunk
	if c == nil {
		return ErrWriterState
	}
	if c.t == TypeListQuicklist2 {
		c.list.b = w.buf
		b, err := c.list.finish()
		if err != nil {
			w.err = err
			return err
		}
		w.buf = b
	} else if c.added != c.want {
		w.err = fmt.Errorf("rdb: %d elements added, %d declared", c.added, c.want)
		return w.err
	}
	w.chunk = nil
	return w.flushIfFull()
}

// Close writes EOF and the checksum (8 zero bytes when Config.Checksum is
// off) and flushes. It does not close the underlying writer.
func (w *Writer) Close() error {
	if err := w.ready(); err != nil {
		return err
	}
	w.buf = append(w.buf, opEOF)
	if err := w.Flush(); err != nil {
		return err
	}
	var sum uint64
	if w.cfg.Checksum {
		sum = w.crc
	}
	w.buf = binary.LittleEndian.AppendUint64(w.buf, sum)
	w.done = true
	return w.Flush()
}
