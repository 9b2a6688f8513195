package rdb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Kind says what a Record holds.
type Kind uint8

// The record kinds, in the order they usually appear in a file.
const (
	KindAux      Kind = iota + 1 // an AUX field: AuxKey, AuxValue
	KindFunction                 // a function library: Function
	KindSelectDB                 // SELECTDB: DB
	KindResizeDB                 // RESIZEDB: DBSize, ExpiresSize
	KindKey                      // a key: DB, Key, Type, Value, Meta
	KindEnd                      // EOF (checksum verified): Checksum
)

// Record is one item of a file.
type Record struct {
	Kind Kind
	// Offset is the byte offset where the record (its first opcode) begins.
	Offset int64
	// DB is the database SELECTDB chose, for KindSelectDB and KindKey.
	DB int
	// AuxKey and AuxValue are an AUX field's name and value.
	AuxKey, AuxValue string
	// DBSize and ExpiresSize are RESIZEDB's hints.
	DBSize, ExpiresSize uint64
	// Key, Type and Value are a key, the RDB type its value had, and the
	// value; Meta holds its expiry and eviction clocks.
	Key   string
	Type  Type
	Value Value
	Meta  KeyMeta
	// Function is a function library's code.
	Function string
	// Checksum is the file's CRC64 as stored (0: the writer had
	// rdbchecksum off, and nothing was verified).
	Checksum uint64
}

// Reader reads an RDB file (versions 1 to 10) one record at a time,
// holding at most one value in memory. It validates as Redis 7.0 does with
// sanitize-dump-payload yes, and verifies the CRC64 at the end.
type Reader struct {
	d       decoder
	started bool
	ended   bool
	err     error
	db      int
	skipped int
}

// NewReader returns a Reader of r. It buffers r itself.
func NewReader(r io.Reader) *Reader {
	return &Reader{d: decoder{src: newSource(r)}}
}

// Version returns the file's RDB version, known after the first Next.
func (r *Reader) Version() int { return r.d.ver }

// Offset returns the number of bytes consumed so far.
func (r *Reader) Offset() int64 { return r.d.src.off }

// EmptyKeysSkipped returns the number of keys with an empty collection the
// reader dropped, as Redis 7.0 drops them while loading.
func (r *Reader) EmptyKeysSkipped() int { return r.skipped }

// Next returns the next record. After the KindEnd record it returns
// io.EOF; after an error it returns the same error again.
func (r *Reader) Next() (Record, error) {
	if r.err != nil {
		return Record{}, r.err
	}
	if r.ended {
		return Record{}, io.EOF
	}
	rec, err := r.next()
	if err != nil {
		r.err = err
		return Record{}, err
	}
	if rec.Kind == KindEnd {
		r.ended = true
	}
	return rec, nil
}

func (r *Reader) next() (Record, error) {
	d := &r.d
	if !r.started {
		b, err := d.src.take(9)
		if err != nil {
			return Record{}, d.ioErr("the magic string", err)
		}
		if string(b[:5]) != "REDIS" {
			return Record{}, corruptAt(0, "not an RDB file: wrong signature %q", b[:5])
		}
		v, err := strconv.Atoi(string(b[5:9]))
		if err != nil || v < 1 {
			return Record{}, corruptAt(5, "bad RDB version %q", b[5:9])
		}
		if v > Version {
			return Record{}, unsupportedAt(5, "RDB version %d is newer than %d", v, Version)
		}
		d.ver = v
		r.started = true
	}
	var meta KeyMeta
	start := d.src.off
	for {
		off := d.src.off
		op, err := d.readByte("the type of the next record")
		if err != nil {
			return Record{}, err
		}
		switch op {
		case opExpireTime:
			b, err := d.src.take(4)
			if err != nil {
				return Record{}, d.ioErr("expire time", err)
			}
			meta.ExpireMs = int64(int32(binary.LittleEndian.Uint32(b))) * 1000
			meta.HasExpire = true
			continue
		case opExpireTimeMs:
			ms, err := d.readMillis("expire time")
			if err != nil {
				return Record{}, err
			}
			meta.ExpireMs, meta.HasExpire = ms, true
			continue
		case opFreq:
			b, err := d.readByte("LFU frequency")
			if err != nil {
				return Record{}, err
			}
			meta.Freq, meta.HasFreq = b, true
			continue
		case opIdle:
			v, err := d.readLen("LRU idle time")
			if err != nil {
				return Record{}, err
			}
			meta.Idle, meta.HasIdle = v, true
			continue
		case opEOF:
			rec := Record{Kind: KindEnd, Offset: off}
			if d.ver >= 5 {
				want := d.src.checksum()
				b, err := d.src.take(8)
				if err != nil {
					return Record{}, d.ioErr("the checksum", err)
				}
				rec.Checksum = binary.LittleEndian.Uint64(b)
				if rec.Checksum != 0 && rec.Checksum != want {
					return Record{}, corruptAt(off+1, "RDB CRC error: file says %#016x, data has %#016x", rec.Checksum, want)
				}
			}
			return rec, nil
		case opSelectDB:
			db, err := d.readLen("SELECTDB database")
			if err != nil {
				return Record{}, err
			}
			if db > 1<<20 {
				return Record{}, corruptAt(off, "SELECTDB database %d out of range", db)
			}
			r.db = int(db)
			return Record{Kind: KindSelectDB, Offset: off, DB: r.db}, nil
		case opResizeDB:
			n, err := d.readLen("RESIZEDB size")
			if err != nil {
				return Record{}, err
			}
			e, err := d.readLen("RESIZEDB expires size")
			if err != nil {
				return Record{}, err
			}
			return Record{Kind: KindResizeDB, Offset: off, DBSize: n, ExpiresSize: e}, nil
		case opAux:
			k, err := d.readString("AUX key")
			if err != nil {
				return Record{}, err
			}
			v, err := d.readString("AUX value")
			if err != nil {
				return Record{}, err
			}
			return Record{Kind: KindAux, Offset: off, AuxKey: k, AuxValue: v}, nil
		case opModuleAux:
			return Record{}, unsupportedAt(off, "module AUX data is not supported")
		case opFunction2:
			code, err := d.readString("function library")
			if err != nil {
				return Record{}, err
			}
			return Record{Kind: KindFunction, Offset: off, Function: code}, nil
		case opFunction:
			code, err := r.readOldFunction()
			if err != nil {
				return Record{}, err
			}
			return Record{Kind: KindFunction, Offset: off, Function: code}, nil
		}
		// A key: type, key, value.
		t := Type(op)
		key, err := d.readString("key")
		if err != nil {
			return Record{}, err
		}
		v, err := d.readValue(t)
		if errors.Is(err, errEmptyKey) {
			r.skipped++
			meta = KeyMeta{}
			start = d.src.off
			continue
		}
		if err != nil {
			var fe *FormatError
			if errors.As(err, &fe) {
				fe.Msg = fmt.Sprintf("key %q: %s", key, fe.Msg)
			}
			return Record{}, err
		}
		return Record{Kind: KindKey, Offset: start, DB: r.db, Key: key, Type: t, Value: v, Meta: meta}, nil
	}
}

// readOldFunction reads the RDB_OPCODE_FUNCTION of Redis 7.0 release
// candidates (name, engine, optional description, code) and turns it into
// the current form as 7.0.15 does: "#!<engine> name=<name>\n<code>".
func (r *Reader) readOldFunction() (string, error) {
	d := &r.d
	name, err := d.readString("function library name")
	if err != nil {
		return "", err
	}
	engine, err := d.readString("function engine name")
	if err != nil {
		return "", err
	}
	hasDesc, err := d.readLen("function description flag")
	if err != nil {
		return "", err
	}
	if hasDesc != 0 {
		if _, err := d.readString("function description"); err != nil {
			return "", err
		}
	}
	code, err := d.readString("function code")
	if err != nil {
		return "", err
	}
	return "#!" + engine + " name=" + name + "\n" + code, nil
}
