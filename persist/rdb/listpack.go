package rdb

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
)

// A listpack (listpack.c) is
//
//	<total bytes uint32 LE> <element count uint16 LE, 65535 = unknown>
//	<entry> ... <0xFF>
//
// and each entry is <encoding+data> <backlen>, where backlen is the length
// of encoding+data in 1 to 5 bytes readable from the right.
const (
	lpHeaderSize = 6
	lpEOF        = 0xFF
)

// lpBuilder builds a listpack byte-identical to what Redis builds by
// appending the same elements.
type lpBuilder struct {
	buf   []byte
	count int
}

func newLP() *lpBuilder {
	return &lpBuilder{buf: make([]byte, lpHeaderSize, 64)}
}

// appendString appends s, as an integer when Redis would store it as one
// (lpStringToInt64 accepts it).
func (l *lpBuilder) appendString(s string) {
	if v, ok := parseStrictInt(s); ok {
		l.appendInt(v)
		return
	}
	start := len(l.buf)
	n := len(s)
	switch {
	case n < 64:
		l.buf = append(l.buf, 0x80|byte(n))
	case n < 4096:
		l.buf = append(l.buf, 0xE0|byte(n>>8), byte(n))
	default:
		l.buf = append(l.buf, 0xF0)
		l.buf = binary.LittleEndian.AppendUint32(l.buf, uint32(n))
	}
	l.buf = append(l.buf, s...)
	l.finish(start)
}

// appendInt appends v in the smallest integer encoding.
func (l *lpBuilder) appendInt(v int64) {
	start := len(l.buf)
	switch {
	case v >= 0 && v <= 127:
		l.buf = append(l.buf, byte(v))
	case v >= -4096 && v <= 4095:
		u := uint64(v)
		if v < 0 {
			u = uint64(1<<13 + v)
		}
		l.buf = append(l.buf, 0xC0|byte(u>>8), byte(u))
	case v >= math.MinInt16 && v <= math.MaxInt16:
		l.buf = append(l.buf, 0xF1)
		l.buf = binary.LittleEndian.AppendUint16(l.buf, uint16(v))
	case v >= -1<<23 && v < 1<<23:
		u := uint32(v)
		l.buf = append(l.buf, 0xF2, byte(u), byte(u>>8), byte(u>>16))
	case v >= math.MinInt32 && v <= math.MaxInt32:
		l.buf = append(l.buf, 0xF3)
		l.buf = binary.LittleEndian.AppendUint32(l.buf, uint32(v))
	default:
		l.buf = append(l.buf, 0xF4)
		l.buf = binary.LittleEndian.AppendUint64(l.buf, uint64(v))
	}
	l.finish(start)
}

// finish appends the backlen of the entry that began at start.
func (l *lpBuilder) finish(start int) {
	n := uint64(len(l.buf) - start)
	switch {
	case n <= 127:
		l.buf = append(l.buf, byte(n))
	case n < 16383:
		l.buf = append(l.buf, byte(n>>7), byte(n&127)|128)
	case n < 2097151:
		l.buf = append(l.buf, byte(n>>14), byte((n>>7)&127)|128, byte(n&127)|128)
	case n < 268435455:
		l.buf = append(l.buf, byte(n>>21), byte((n>>14)&127)|128, byte((n>>7)&127)|128, byte(n&127)|128)
	default:
		l.buf = append(l.buf, byte(n>>28), byte((n>>21)&127)|128, byte((n>>14)&127)|128, byte((n>>7)&127)|128, byte(n&127)|128)
	}
	l.count++
}

// size is the listpack's total size were it finished now.
func (l *lpBuilder) size() int { return len(l.buf) + 1 }

// bytes finishes the listpack: header and terminator.
func (l *lpBuilder) bytes() []byte {
	b := append(l.buf, lpEOF)
	binary.LittleEndian.PutUint32(b[0:], uint32(len(b)))
	c := l.count
	if c > 65535 {
		c = 65535
	}
	binary.LittleEndian.PutUint16(b[4:], uint16(c))
	return b
}

// lpEntry is one decoded listpack entry: a string (isInt false) or an
// integer.
type lpEntry struct {
	s     string
	v     int64
	isInt bool
}

// str returns the entry as Redis would return it to a client: integers in
// decimal.
func (e lpEntry) str() string {
	if e.isInt {
		return strconv.FormatInt(e.v, 10)
	}
	return e.s
}

// lpDecode validates a whole listpack as lpValidateIntegrity with deep
// checking does and returns its entries. s is the listpack (strings of the
// result share its memory).
func lpDecode(s string) ([]lpEntry, error) {
	if len(s) < lpHeaderSize+1 {
		return nil, fmt.Errorf("listpack of %d bytes is shorter than its header", len(s))
	}
	total := binary.LittleEndian.Uint32([]byte(s[0:4]))
	if uint64(total) != uint64(len(s)) {
		return nil, fmt.Errorf("listpack header says %d bytes, blob has %d", total, len(s))
	}
	if s[len(s)-1] != lpEOF {
		return nil, fmt.Errorf("listpack does not end with 0xFF")
	}
	count := int(binary.LittleEndian.Uint16([]byte(s[4:6])))
	capHint := count
	if capHint == 65535 || capHint > len(s) {
		capHint = len(s) / 2
	}
	out := make([]lpEntry, 0, capHint)
	p := lpHeaderSize
	end := len(s) - 1
	for p < end {
		e, n, err := lpDecodeEntry(s, p, end)
		if err != nil {
			return nil, fmt.Errorf("listpack entry at byte %d: %w", p, err)
		}
		// backlen
		bl, blLen := lpBacklenSize(uint64(n))
		if p+n+blLen > end {
			return nil, fmt.Errorf("listpack entry at byte %d: backlen past the end", p)
		}
		got, ok := lpReadBacklen(s[p+n : p+n+blLen])
		if !ok || got != uint64(n) || bl != blLen {
			return nil, fmt.Errorf("listpack entry at byte %d: backlen does not match its length %d", p, n)
		}
		out = append(out, e)
		p += n + blLen
	}
	if p != end {
		return nil, fmt.Errorf("listpack entries overrun the terminator")
	}
	if count != 65535 && count != len(out) {
		return nil, fmt.Errorf("listpack header says %d entries, found %d", count, len(out))
	}
	return out, nil
}

func lpBacklenSize(n uint64) (int, int) {
	switch {
	case n <= 127:
		return 1, 1
	case n < 16383:
		return 2, 2
	case n < 2097151:
		return 3, 3
	case n < 268435455:
		return 4, 4
	}
	return 5, 5
}

// lpReadBacklen decodes a backlen field written left to right: the first
// byte holds the top bits without the continuation flag.
func lpReadBacklen(b string) (uint64, bool) {
	var v uint64
	for i := 0; i < len(b); i++ {
		c := b[i]
		if i > 0 && c&128 == 0 {
			return 0, false
		}
		if i == 0 && c&128 != 0 {
			return 0, false
		}
		v = v<<7 | uint64(c&127)
	}
	return v, true
}

// lpDecodeEntry decodes the entry at p (its encoding and data, without the
// backlen) and returns it with its encoded size.
func lpDecodeEntry(s string, p, end int) (lpEntry, int, error) {
	c := s[p]
	need := func(n int) error {
		if p+n > end {
			return fmt.Errorf("entry of %d bytes runs past the end", n)
		}
		return nil
	}
	le := func(off, n int) uint64 {
		var v uint64
		for i := n - 1; i >= 0; i-- {
			v = v<<8 | uint64(s[p+off+i])
		}
		return v
	}
	switch {
	case c&0x80 == 0: // 7-bit uint
		return lpEntry{v: int64(c), isInt: true}, 1, nil
	case c&0xC0 == 0x80: // 6-bit string
		n := int(c & 0x3F)
		if err := need(1 + n); err != nil {
			return lpEntry{}, 0, err
		}
		return lpEntry{s: s[p+1 : p+1+n]}, 1 + n, nil
	case c&0xE0 == 0xC0: // 13-bit int
		if err := need(2); err != nil {
			return lpEntry{}, 0, err
		}
		u := uint64(c&0x1F)<<8 | uint64(s[p+1])
		v := int64(u)
		if u >= 1<<12 {
			v = int64(u) - 1<<13
		}
		return lpEntry{v: v, isInt: true}, 2, nil
	case c&0xF0 == 0xE0: // 12-bit string
		if err := need(2); err != nil {
			return lpEntry{}, 0, err
		}
		n := int(c&0x0F)<<8 | int(s[p+1])
		if err := need(2 + n); err != nil {
			return lpEntry{}, 0, err
		}
		return lpEntry{s: s[p+2 : p+2+n]}, 2 + n, nil
	}
	switch c {
	case 0xF0: // 32-bit string
		if err := need(5); err != nil {
			return lpEntry{}, 0, err
		}
		n := le(1, 4)
		if n > uint64(end-p-5) {
			return lpEntry{}, 0, fmt.Errorf("string of %d bytes runs past the end", n)
		}
		return lpEntry{s: s[p+5 : p+5+int(n)]}, 5 + int(n), nil
	case 0xF1:
		if err := need(3); err != nil {
			return lpEntry{}, 0, err
		}
		return lpEntry{v: int64(int16(le(1, 2))), isInt: true}, 3, nil
	case 0xF2:
		if err := need(4); err != nil {
			return lpEntry{}, 0, err
		}
		return lpEntry{v: int64(int32(le(1, 3)<<8) >> 8), isInt: true}, 4, nil
	case 0xF3:
		if err := need(5); err != nil {
			return lpEntry{}, 0, err
		}
		return lpEntry{v: int64(int32(le(1, 4))), isInt: true}, 5, nil
	case 0xF4:
		if err := need(9); err != nil {
			return lpEntry{}, 0, err
		}
		return lpEntry{v: int64(le(1, 8)), isInt: true}, 9, nil
	}
	return lpEntry{}, 0, fmt.Errorf("invalid encoding byte 0x%02x", c)
}
