package rdb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// decoder reads RDB items from a source.
type decoder struct {
	src *source
	ver int
}

// corrupt returns a FormatError of kind ErrCorrupt at offset off.
func corruptAt(off int64, format string, args ...any) error {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...), Kind: ErrCorrupt}
}

func unsupportedAt(off int64, format string, args ...any) error {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...), Kind: ErrUnsupported}
}

// ioErr wraps a read error at the current offset: truncation is
// corruption, anything else is the reader's own error.
func (d *decoder) ioErr(what string, err error) error {
	return &FormatError{Offset: d.src.off, Msg: "reading " + what, Kind: ErrCorrupt, Err: err}
}

func (d *decoder) readByte(what string) (byte, error) {
	b, err := d.src.take(1)
	if err != nil {
		return 0, d.ioErr(what, err)
	}
	return b[0], nil
}

// readRawLen reads a length or a special-encoding marker.
func (d *decoder) readRawLen(what string) (n uint64, special bool, err error) {
	c, err := d.readByte(what)
	if err != nil {
		return 0, false, err
	}
	switch c >> 6 {
	case len6Bit:
		return uint64(c & 0x3F), false, nil
	case len14Bit:
		b, err := d.readByte(what)
		if err != nil {
			return 0, false, err
		}
		return uint64(c&0x3F)<<8 | uint64(b), false, nil
	case lenEnc:
		return uint64(c & 0x3F), true, nil
	}
	switch c {
	case len32Bit:
		b, err := d.src.take(4)
		if err != nil {
			return 0, false, d.ioErr(what, err)
		}
		return uint64(binary.BigEndian.Uint32(b)), false, nil
	case len64Bit:
		b, err := d.src.take(8)
		if err != nil {
			return 0, false, d.ioErr(what, err)
		}
		return binary.BigEndian.Uint64(b), false, nil
	}
	return 0, false, corruptAt(d.src.off-1, "unknown length encoding 0x%02x in %s", c, what)
}

// readLen reads a plain length.
func (d *decoder) readLen(what string) (uint64, error) {
	off := d.src.off
	n, special, err := d.readRawLen(what)
	if err == nil && special {
		return 0, corruptAt(off, "%s: a string encoding where a length belongs", what)
	}
	return n, err
}

// readCount reads a collection length, refusing one that could not fit in
// the remaining input of any real file (each element takes at least one
// byte), which keeps hostile counts from driving allocations.
func (d *decoder) readCount(what string) (int, error) {
	off := d.src.off
	n, err := d.readLen(what)
	if err != nil {
		return 0, err
	}
	if n > math.MaxInt32 {
		return 0, corruptAt(off, "%s %d is too large", what, n)
	}
	return int(n), nil
}

// readStringBytes reads a string in any encoding into a new slice.
func (d *decoder) readStringBytes(what string) ([]byte, error) {
	off := d.src.off
	n, special, err := d.readRawLen(what)
	if err != nil {
		return nil, err
	}
	if !special {
		b, err := d.src.readBytes(n)
		if err != nil {
			return nil, d.ioErr(what, err)
		}
		return b, nil
	}
	switch n {
	case encInt8:
		b, err := d.src.take(1)
		if err != nil {
			return nil, d.ioErr(what, err)
		}
		return strconv.AppendInt(nil, int64(int8(b[0])), 10), nil
	case encInt16:
		b, err := d.src.take(2)
		if err != nil {
			return nil, d.ioErr(what, err)
		}
		return strconv.AppendInt(nil, int64(int16(binary.LittleEndian.Uint16(b))), 10), nil
	case encInt32:
		b, err := d.src.take(4)
		if err != nil {
			return nil, d.ioErr(what, err)
		}
		return strconv.AppendInt(nil, int64(int32(binary.LittleEndian.Uint32(b))), 10), nil
	case encLZF:
		clen, err := d.readLen(what + " (compressed length)")
		if err != nil {
			return nil, err
		}
		ulen, err := d.readLen(what + " (uncompressed length)")
		if err != nil {
			return nil, err
		}
		// A 3-byte back reference expands to at most 264 bytes.
		if ulen > clen*88+32 || ulen > math.MaxInt32*4 {
			return nil, corruptAt(off, "%s: LZF length %d cannot come from %d compressed bytes", what, ulen, clen)
		}
		c, err := d.src.readBytes(clen)
		if err != nil {
			return nil, d.ioErr(what, err)
		}
		out, err := lzfDecompress(c, int(ulen))
		if err != nil {
			return nil, corruptAt(off, "%s: %v", what, err)
		}
		return out, nil
	}
	return nil, corruptAt(off, "%s: unknown string encoding %d", what, n)
}

func (d *decoder) readString(what string) (string, error) {
	b, err := d.readStringBytes(what)
	return ownedString(b), err
}

// readBinaryDouble reads 8 bytes little endian.
func (d *decoder) readBinaryDouble(what string) (float64, error) {
	b, err := d.src.take(8)
	if err != nil {
		return 0, d.ioErr(what, err)
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b)), nil
}

// readOldDouble reads a string-encoded double (RDB_TYPE_ZSET): a length
// byte, 253 nan, 254 +inf, 255 -inf, else that many bytes of decimal text.
func (d *decoder) readOldDouble(what string) (float64, error) {
	off := d.src.off
	n, err := d.readByte(what)
	if err != nil {
		return 0, err
	}
	switch n {
	case 253:
		return math.NaN(), nil
	case 254:
		return math.Inf(1), nil
	case 255:
		return math.Inf(-1), nil
	}
	b, err := d.src.take(int(n))
	if err != nil {
		return 0, d.ioErr(what, err)
	}
	f, ok := parseScore(string(b))
	if !ok {
		return 0, corruptAt(off, "%s: %q is not a number", what, b)
	}
	return f, nil
}

func (d *decoder) readMillis(what string) (int64, error) {
	b, err := d.src.take(8)
	if err != nil {
		return 0, d.ioErr(what, err)
	}
	return int64(binary.LittleEndian.Uint64(b)), nil
}

// parseScore parses a score as strtod would in the forms Redis writes
// (decimal, exponent, inf, -inf, nan).
func parseScore(s string) (float64, bool) {
	switch s {
	case "inf", "+inf":
		return math.Inf(1), true
	case "-inf":
		return math.Inf(-1), true
	case "nan", "-nan":
		return math.NaN(), true
	}
	if s == "" || len(s) > 128 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+') {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return f, true
}

// readValue reads a value of type t, which begins at offset off.
func (d *decoder) readValue(t Type) (Value, error) {
	off := d.src.off
	switch t {
	case TypeString:
		s, err := d.readString("string value")
		if err != nil {
			return nil, err
		}
		return String(s), nil
	case TypeList:
		n, err := d.readCount("list length")
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, errEmptyKey
		}
		l := make(List, 0, min(n, 1024))
		for range n {
			s, err := d.readString("list element")
			if err != nil {
				return nil, err
			}
			l = append(l, s)
		}
		return l, nil
	case TypeSet:
		n, err := d.readCount("set size")
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, errEmptyKey
		}
		set := make(Set, 0, min(n, 1024))
		seen := make(map[string]struct{}, min(n, 1024))
		for range n {
			eoff := d.src.off
			s, err := d.readString("set member")
			if err != nil {
				return nil, err
			}
			if _, dup := seen[s]; dup {
				return nil, corruptAt(eoff, "duplicate set member")
			}
			seen[s] = struct{}{}
			set = append(set, s)
		}
		return set, nil
	case TypeZSet, TypeZSet2:
		n, err := d.readCount("sorted set size")
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, errEmptyKey
		}
		z := make(ZSet, 0, min(n, 1024))
		seen := make(map[string]struct{}, min(n, 1024))
		for range n {
			eoff := d.src.off
			m, err := d.readString("sorted set member")
			if err != nil {
				return nil, err
			}
			var f float64
			if t == TypeZSet {
				f, err = d.readOldDouble("sorted set score")
			} else {
				f, err = d.readBinaryDouble("sorted set score")
			}
			if err != nil {
				return nil, err
			}
			if math.IsNaN(f) {
				return nil, corruptAt(eoff, "sorted set with a NaN score")
			}
			if _, dup := seen[m]; dup {
				return nil, corruptAt(eoff, "duplicate sorted set member")
			}
			seen[m] = struct{}{}
			z = append(z, ZMember{Member: m, Score: f})
		}
		return z, nil
	case TypeHash:
		n, err := d.readCount("hash size")
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, errEmptyKey
		}
		h := make(Hash, 0, min(n, 1024))
		seen := make(map[string]struct{}, min(n, 1024))
		for range n {
			eoff := d.src.off
			f, err := d.readString("hash field")
			if err != nil {
				return nil, err
			}
			v, err := d.readString("hash value")
			if err != nil {
				return nil, err
			}
			if _, dup := seen[f]; dup {
				return nil, corruptAt(eoff, "duplicate hash field")
			}
			seen[f] = struct{}{}
			h = append(h, HashField{Field: f, Value: v})
		}
		return h, nil
	case TypeListQuicklist, TypeListQuicklist2:
		return d.readQuicklist(t)
	case TypeHashZipmap, TypeListZiplist, TypeSetIntset, TypeZSetZiplist,
		TypeHashZiplist, TypeHashListpack, TypeZSetListpack:
		blob, err := d.readString("encoded value")
		if err != nil {
			return nil, err
		}
		v, err := decodeBlob(t, blob)
		if err != nil {
			if errors.Is(err, errEmptyKey) {
				return nil, err
			}
			return nil, corruptAt(off, "%v", err)
		}
		return v, nil
	case TypeStreamListpacks, TypeStreamListpacks2:
		return d.readStream(t)
	case TypeModule, TypeModule2:
		return nil, unsupportedAt(off-1, "module values are not supported (RDB type %d)", t)
	case typeSetListpack, typeStreamListpacks3:
		return nil, unsupportedAt(off-1, "RDB type %d is from Redis 7.2 (RDB version 11), newer than version 10", t)
	}
	return nil, corruptAt(off-1, "unknown RDB type %d", t)
}

// decodeBlob decodes the single-blob encodings.
func decodeBlob(t Type, blob string) (Value, error) {
	switch t {
	case TypeHashZipmap:
		h, err := zipmapDecode(blob)
		if err != nil {
			return nil, err
		}
		if len(h) == 0 {
			return nil, errEmptyKey
		}
		return h, checkHashDups(h)
	case TypeListZiplist:
		es, err := ziplistDecode(blob)
		if err != nil {
			return nil, err
		}
		if len(es) == 0 {
			return nil, errEmptyKey
		}
		l := make(List, len(es))
		for i, e := range es {
			l[i] = e.str()
		}
		return l, nil
	case TypeSetIntset:
		ms, err := intsetDecode(blob)
		if err != nil {
			return nil, err
		}
		if len(ms) == 0 {
			return nil, errEmptyKey
		}
		return Set(ms), nil
	case TypeZSetZiplist, TypeZSetListpack:
		var es []lpEntry
		var err error
		if t == TypeZSetZiplist {
			es, err = ziplistDecode(blob)
		} else {
			es, err = lpDecode(blob)
		}
		if err != nil {
			return nil, err
		}
		if len(es)%2 != 0 {
			return nil, fmt.Errorf("sorted set with an odd number of elements")
		}
		if len(es) == 0 {
			return nil, errEmptyKey
		}
		z := make(ZSet, 0, len(es)/2)
		seen := make(map[string]struct{}, len(es)/2)
		for i := 0; i < len(es); i += 2 {
			m := es[i].str()
			var f float64
			if es[i+1].isInt {
				f = float64(es[i+1].v)
			} else {
				var ok bool
				if f, ok = parseScore(es[i+1].s); !ok {
					return nil, fmt.Errorf("sorted set score %q is not a number", es[i+1].s)
				}
			}
			if math.IsNaN(f) {
				return nil, fmt.Errorf("sorted set with a NaN score")
			}
			if _, dup := seen[m]; dup {
				return nil, fmt.Errorf("duplicate sorted set member")
			}
			seen[m] = struct{}{}
			z = append(z, ZMember{Member: m, Score: f})
		}
		return z, nil
	case TypeHashZiplist, TypeHashListpack:
		var es []lpEntry
		var err error
		if t == TypeHashZiplist {
			es, err = ziplistDecode(blob)
		} else {
			es, err = lpDecode(blob)
		}
		if err != nil {
			return nil, err
		}
		if len(es)%2 != 0 {
			return nil, fmt.Errorf("hash with an odd number of elements")
		}
		if len(es) == 0 {
			return nil, errEmptyKey
		}
		h := make(Hash, 0, len(es)/2)
		for i := 0; i < len(es); i += 2 {
			h = append(h, HashField{Field: es[i].str(), Value: es[i+1].str()})
		}
		return h, checkHashDups(h)
	}
	return nil, fmt.Errorf("RDB type %d is not a blob encoding", t)
}

func checkHashDups(h Hash) error {
	seen := make(map[string]struct{}, len(h))
	for _, f := range h {
		if _, dup := seen[f.Field]; dup {
			return fmt.Errorf("duplicate hash field")
		}
		seen[f.Field] = struct{}{}
	}
	return nil
}

// readQuicklist reads LIST_QUICKLIST (ziplist nodes) and LIST_QUICKLIST_2
// (container type, then a listpack or one plain element).
func (d *decoder) readQuicklist(t Type) (Value, error) {
	n, err := d.readCount("quicklist node count")
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, errEmptyKey
	}
	var l List
	for range n {
		container := uint64(2)
		if t == TypeListQuicklist2 {
			coff := d.src.off
			if container, err = d.readLen("quicklist container"); err != nil {
				return nil, err
			}
			if container != 1 && container != 2 {
				return nil, corruptAt(coff, "quicklist container type %d", container)
			}
		}
		boff := d.src.off
		blob, err := d.readString("quicklist node")
		if err != nil {
			return nil, err
		}
		if len(blob) == 0 {
			return nil, corruptAt(boff, "empty quicklist node")
		}
		if container == 1 {
			l = append(l, blob)
			continue
		}
		var es []lpEntry
		if t == TypeListQuicklist2 {
			es, err = lpDecode(blob)
		} else {
			es, err = ziplistDecode(blob)
		}
		if err != nil {
			return nil, corruptAt(boff, "%v", err)
		}
		for _, e := range es {
			l = append(l, e.str())
		}
	}
	if len(l) == 0 {
		return nil, errEmptyKey
	}
	return l, nil
}
