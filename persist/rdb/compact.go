package rdb

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// ---- intset (intset.c) ----
//
//	<encoding uint32 LE: 2, 4 or 8> <length uint32 LE> <length values, LE, ascending>

// intsetBytes encodes sorted distinct values as Redis's intset: the width
// is the smallest of 2, 4, 8 bytes that holds every value.
func intsetBytes(vals []int64) []byte {
	width := 2
	for _, v := range vals {
		if v < math.MinInt32 || v > math.MaxInt32 {
			width = 8
			break
		}
		if v < math.MinInt16 || v > math.MaxInt16 {
			width = 4
		}
	}
	b := make([]byte, 8, 8+width*len(vals))
	binary.LittleEndian.PutUint32(b[0:], uint32(width))
	binary.LittleEndian.PutUint32(b[4:], uint32(len(vals)))
	for _, v := range vals {
		switch width {
		case 2:
			b = binary.LittleEndian.AppendUint16(b, uint16(v))
		case 4:
			b = binary.LittleEndian.AppendUint32(b, uint32(v))
		default:
			b = binary.LittleEndian.AppendUint64(b, uint64(v))
		}
	}
	return b
}

// intsetDecode validates an intset (size, encoding, strictly ascending
// values) and returns its members in decimal.
func intsetDecode(s string) ([]string, error) {
	if len(s) < 8 {
		return nil, fmt.Errorf("intset of %d bytes is shorter than its header", len(s))
	}
	b := []byte(s)
	width := binary.LittleEndian.Uint32(b[0:])
	if width != 2 && width != 4 && width != 8 {
		return nil, fmt.Errorf("intset has invalid encoding %d", width)
	}
	n := binary.LittleEndian.Uint32(b[4:])
	if uint64(n)*uint64(width)+8 != uint64(len(s)) {
		return nil, fmt.Errorf("intset of %d %d-byte values does not fill its %d bytes", n, width, len(s))
	}
	out := make([]string, 0, n)
	var prev int64
	for i := range int(n) {
		var v int64
		p := b[8+i*int(width):]
		switch width {
		case 2:
			v = int64(int16(binary.LittleEndian.Uint16(p)))
		case 4:
			v = int64(int32(binary.LittleEndian.Uint32(p)))
		default:
			v = int64(binary.LittleEndian.Uint64(p))
		}
		if i > 0 && v <= prev {
			return nil, fmt.Errorf("intset values are not strictly ascending at index %d", i)
		}
		prev = v
		out = append(out, strconv.FormatInt(v, 10))
	}
	return out, nil
}

// intsetCandidate reports whether members can form an intset under limit
// entries, and returns them as sorted integers.
func intsetCandidate(members []string, limit int) ([]int64, bool) {
	if len(members) > limit {
		return nil, false
	}
	vals := make([]int64, len(members))
	for i, m := range members {
		v, ok := parseStrictInt(m)
		if !ok {
			return nil, false
		}
		vals[i] = v
	}
	slices.Sort(vals)
	return vals, true
}

// ---- ziplist (ziplist.c), read only ----
//
//	<zlbytes uint32 LE> <zltail uint32 LE> <zllen uint16 LE> <entry> ... <0xFF>
//
// entry: <prevlen: 1 byte < 254, or 0xFE + uint32 LE> <encoding> <data>

// ziplistDecode validates a ziplist as ziplistValidateIntegrity with deep
// checking does and returns its entries.
func ziplistDecode(s string) ([]lpEntry, error) {
	const header = 10
	if len(s) < header+1 {
		return nil, fmt.Errorf("ziplist of %d bytes is shorter than its header", len(s))
	}
	b := []byte(s[:header])
	if uint64(binary.LittleEndian.Uint32(b)) != uint64(len(s)) {
		return nil, fmt.Errorf("ziplist header size does not match the blob's %d bytes", len(s))
	}
	tail := int(binary.LittleEndian.Uint32(b[4:]))
	count := int(binary.LittleEndian.Uint16(b[8:]))
	if s[len(s)-1] != 0xFF {
		return nil, fmt.Errorf("ziplist does not end with 0xFF")
	}
	if tail > len(s)-1 {
		return nil, fmt.Errorf("ziplist tail offset %d out of range", tail)
	}
	end := len(s) - 1
	capHint := count
	if capHint > len(s) {
		capHint = len(s)
	}
	out := make([]lpEntry, 0, capHint)
	p := header
	prevLen, lastStart := 0, header
	for p < end {
		start := p
		var pl int
		if s[p] < 254 {
			pl = int(s[p])
			p++
		} else if s[p] == 254 {
			if p+5 > end {
				return nil, fmt.Errorf("ziplist entry at byte %d: prevlen runs past the end", start)
			}
			pl = int(binary.LittleEndian.Uint32([]byte(s[p+1 : p+5])))
			p += 5
		} else {
			return nil, fmt.Errorf("ziplist entry at byte %d: invalid prevlen", start)
		}
		if pl != prevLen {
			return nil, fmt.Errorf("ziplist entry at byte %d: prevlen %d, previous entry is %d bytes", start, pl, prevLen)
		}
		if p >= end {
			return nil, fmt.Errorf("ziplist entry at byte %d: encoding runs past the end", start)
		}
		e, n, err := ziplistEntry(s, p, end)
		if err != nil {
			return nil, fmt.Errorf("ziplist entry at byte %d: %w", start, err)
		}
		p += n
		prevLen = p - start
		lastStart = start
		out = append(out, e)
	}
	if p != end {
		return nil, fmt.Errorf("ziplist entries overrun the terminator")
	}
	if len(out) > 0 && tail != lastStart || len(out) == 0 && tail != header {
		return nil, fmt.Errorf("ziplist tail offset %d is not the last entry", tail)
	}
	if count != 65535 && count != len(out) {
		return nil, fmt.Errorf("ziplist header says %d entries, found %d", count, len(out))
	}
	return out, nil
}

// ziplistEntry decodes the encoding and data at p.
func ziplistEntry(s string, p, end int) (lpEntry, int, error) {
	c := s[p]
	str := func(hdr int, n uint64) (lpEntry, int, error) {
		if n > uint64(end-p-hdr) {
			return lpEntry{}, 0, fmt.Errorf("string of %d bytes runs past the end", n)
		}
		return lpEntry{s: s[p+hdr : p+hdr+int(n)]}, hdr + int(n), nil
	}
	need := func(n int) error {
		if p+n > end {
			return fmt.Errorf("entry runs past the end")
		}
		return nil
	}
	switch c >> 6 {
	case 0:
		return str(1, uint64(c&0x3F))
	case 1:
		if err := need(2); err != nil {
			return lpEntry{}, 0, err
		}
		return str(2, uint64(c&0x3F)<<8|uint64(s[p+1]))
	case 2:
		if c != 0x80 {
			return lpEntry{}, 0, fmt.Errorf("invalid string encoding 0x%02x", c)
		}
		if err := need(5); err != nil {
			return lpEntry{}, 0, err
		}
		return str(5, uint64(binary.BigEndian.Uint32([]byte(s[p+1:p+5]))))
	}
	intOf := func(n int) (uint64, error) {
		if err := need(1 + n); err != nil {
			return 0, err
		}
		var v uint64
		for i := n - 1; i >= 0; i-- {
			v = v<<8 | uint64(s[p+1+i])
		}
		return v, nil
	}
	switch c {
	case 0xC0:
		v, err := intOf(2)
		return lpEntry{v: int64(int16(v)), isInt: true}, 3, err
	case 0xD0:
		v, err := intOf(4)
		return lpEntry{v: int64(int32(v)), isInt: true}, 5, err
	case 0xE0:
		v, err := intOf(8)
		return lpEntry{v: int64(v), isInt: true}, 9, err
	case 0xF0:
		v, err := intOf(3)
		return lpEntry{v: int64(int32(v<<8) >> 8), isInt: true}, 4, err
	case 0xFE:
		v, err := intOf(1)
		return lpEntry{v: int64(int8(v)), isInt: true}, 2, err
	}
	if c >= 0xF1 && c <= 0xFD {
		return lpEntry{v: int64(c&0x0F) - 1, isInt: true}, 1, nil
	}
	return lpEntry{}, 0, fmt.Errorf("invalid encoding byte 0x%02x", c)
}

// ---- zipmap (zipmap.c, Redis before 2.6), read only ----
//
//	<zmlen 1 byte> <len> key <len> <free 1 byte> value <free bytes> ... <0xFF>
//
// len: 1 byte < 254, or 254 + uint32 (host order, little endian in
// practice).

// zipmapDecode validates a zipmap and returns its fields and values.
func zipmapDecode(s string) (Hash, error) {
	if len(s) < 2 {
		return nil, fmt.Errorf("zipmap of %d bytes is too short", len(s))
	}
	p := 1
	end := len(s)
	readLen := func() (int, error) {
		if p >= end {
			return 0, fmt.Errorf("zipmap length at byte %d past the end", p)
		}
		c := s[p]
		if c < 254 {
			p++
			return int(c), nil
		}
		if c == 254 && p+5 <= end {
			n := binary.LittleEndian.Uint32([]byte(s[p+1 : p+5]))
			p += 5
			if uint64(n) > uint64(end-p) {
				return 0, fmt.Errorf("zipmap length %d past the end", n)
			}
			return int(n), nil
		}
		return 0, fmt.Errorf("zipmap invalid length at byte %d", p)
	}
	var h Hash
	for {
		if p >= end {
			return nil, fmt.Errorf("zipmap has no terminator")
		}
		if s[p] == 0xFF {
			p++
			break
		}
		kl, err := readLen()
		if err != nil {
			return nil, err
		}
		if p+kl > end {
			return nil, fmt.Errorf("zipmap key at byte %d runs past the end", p)
		}
		key := s[p : p+kl]
		p += kl
		vl, err := readLen()
		if err != nil {
			return nil, err
		}
		if p >= end {
			return nil, fmt.Errorf("zipmap free byte past the end")
		}
		free := int(s[p])
		p++
		if p+vl+free > end {
			return nil, fmt.Errorf("zipmap value at byte %d runs past the end", p)
		}
		h = append(h, HashField{Field: key, Value: s[p : p+vl]})
		p += vl + free
	}
	if p != end {
		return nil, fmt.Errorf("zipmap has %d bytes after its terminator", end-p)
	}
	if c := int(s[0]); c < 254 && c != len(h) {
		return nil, fmt.Errorf("zipmap header says %d entries, found %d", c, len(h))
	}
	return h, nil
}
