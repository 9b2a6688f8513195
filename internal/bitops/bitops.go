// Package bitops holds the pure algorithms behind Redis's bitmap commands
// (BITCOUNT, BITPOS, BITOP, BITFIELD), over the bytes of a string value.
//
// Bit numbering follows Redis: bit 0 is the most significant bit of the
// first byte, bit 7 its least significant bit, bit 8 the most significant
// bit of the second byte, and so on. A string is read as if followed by an
// infinite run of zero bytes.
//
// Nothing here allocates except Op, which returns its result, and nothing
// keeps a reference to its arguments.
package bitops

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// bytesOf returns the bytes of s without copying. The slice is only read.
func bytesOf(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// Count returns the number of set bits in s, eight bytes at a time.
func Count(s string) int64 {
	b := bytesOf(s)
	var n int
	for len(b) >= 32 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(b)) +
			bits.OnesCount64(binary.LittleEndian.Uint64(b[8:])) +
			bits.OnesCount64(binary.LittleEndian.Uint64(b[16:])) +
			bits.OnesCount64(binary.LittleEndian.Uint64(b[24:]))
		b = b[32:]
	}
	for len(b) >= 8 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(b))
		b = b[8:]
	}
	for _, c := range b {
		n += bits.OnesCount8(c)
	}
	return int64(n)
}

// Unit says whether a range's start and end count bytes or bits
// (BITCOUNT's and BITPOS's BYTE and BIT options).
type Unit uint8

const (
	// Byte: start and end are byte indexes (the default).
	Byte Unit = iota
	// Bit: start and end are bit indexes.
	Bit
)

// span is a range normalized to whole bytes, with the masks of the bits
// of the first and last byte that lie outside the range (BIT unit).
type span struct {
	start, end        int64 // byte indexes, inclusive; empty when start > end
	firstOut, lastOut byte  // bits outside the range in bytes start and end
}

// normalize clips start and end (negative counts from the end) to a
// string of n bytes as BITCOUNT and BITPOS do, and converts a bit range to
// bytes with edge masks.
func normalize(n, start, end int64, unit Unit) span {
	total := n
	if unit == Bit {
		total <<= 3
	}
	if start < 0 {
		start += total
	}
	if end < 0 {
		end += total
	}
	start, end = max(start, 0), max(end, 0)
	if end >= total {
		end = total - 1
	}
	sp := span{start: start, end: end}
	if unit == Bit && start <= end {
		sp.firstOut = ^byte(0xff >> (start & 7))
		sp.lastOut = byte(1<<(7-(end&7))) - 1
		sp.start, sp.end = start>>3, end>>3
	}
	return sp
}

// CountRange returns the number of set bits of s between start and end
// inclusive, with BITCOUNT's rules: negative indexes count from the end,
// indexes are clipped to the string, and when both are negative with
// start > end the count is 0.
func CountRange(s string, start, end int64, unit Unit) int64 {
	if start < 0 && end < 0 && start > end {
		return 0
	}
	sp := normalize(int64(len(s)), start, end, unit)
	if sp.start > sp.end {
		return 0
	}
	n := Count(s[sp.start : sp.end+1])
	n -= int64(bits.OnesCount8(s[sp.start]&sp.firstOut) + bits.OnesCount8(s[sp.end]&sp.lastOut))
	return n
}

// Pos returns the position of the first bit equal to bit (0 or 1) in s.
// When there is none, it returns -1 when looking for a 1, and len(s)*8
// (the first bit of the zero padding) when looking for a 0.
func Pos(s string, bit int) int64 {
	b := bytesOf(s)
	skip := uint64(0)
	if bit == 0 {
		skip = ^uint64(0)
	}
	var pos int64
	for len(b) >= 8 {
		w := binary.BigEndian.Uint64(b)
		if w != skip {
			return pos + firstBit(w, bit)
		}
		b = b[8:]
		pos += 64
	}
	for _, c := range b {
		w := uint64(c) << 56
		if bit == 0 {
			w |= 1<<56 - 1
		}
		if w != skip {
			return pos + firstBit(w, bit)
		}
		pos += 8
	}
	if bit == 1 {
		return -1
	}
	return pos
}

// firstBit is the index, from the most significant end, of the first bit
// of w equal to bit; w holds one.
func firstBit(w uint64, bit int) int64 {
	if bit == 0 {
		w = ^w
	}
	return int64(bits.LeadingZeros64(w))
}

// PosRange returns what BITPOS answers for s (an existing key) with a
// range: the first bit equal to bit between start and end inclusive
// (normalized as CountRange does), or -1. endGiven says whether the caller
// gave end explicitly: without it a search for a 0 in a range of ones
// answers the first bit after the range (the string is zero padded), with
// it -1.
func PosRange(s string, bit int, start, end int64, endGiven bool, unit Unit) int64 {
	sp := normalize(int64(len(s)), start, end, unit)
	if sp.start > sp.end {
		return -1
	}
	// Search the bytes of the range with the bits outside it forced to the
	// value not searched for, so they never match.
	sub := s[sp.start : sp.end+1]
	var edge [1]byte
	force := func(c, out byte) byte {
		if bit == 1 {
			return c &^ out
		}
		return c | out
	}
	pos := int64(-1)
	switch {
	case len(sub) == 1:
		edge[0] = force(force(sub[0], sp.firstOut), sp.lastOut)
		pos = Pos(string(edge[:]), bit)
	default:
		edge[0] = force(sub[0], sp.firstOut)
		if pos = Pos(string(edge[:]), bit); pos != -1 && pos != 8 {
			break
		}
		if mid := sub[1 : len(sub)-1]; len(mid) > 0 {
			if p := Pos(mid, bit); p != -1 && p != int64(len(mid))*8 {
				pos = 8 + p
				break
			}
		}
		edge[0] = force(sub[len(sub)-1], sp.lastOut)
		if p := Pos(string(edge[:]), bit); p != -1 {
			pos = int64(len(sub)-1)*8 + p
		} else {
			pos = -1
		}
	}
	if bit == 0 && pos == int64(len(sub))*8 && endGiven {
		return -1
	}
	if pos == -1 {
		return -1
	}
	return sp.start*8 + pos
}
