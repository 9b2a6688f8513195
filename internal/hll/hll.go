// Package hll implements Redis 7.0's HyperLogLog representation and
// estimator, byte for byte, so an HLL built here and one built by
// redis-server from the same elements are the same string.
//
// # Format
//
// An HLL is a string of a 16-byte header followed by the registers:
//
//	+------+---+-----+----------+-------------------------------+
//	| HYLL | E | 0 0 0 | card (8) | registers (dense or sparse)   |
//	+------+---+-----+----------+-------------------------------+
//	  0..3   4   5..7    8..15     16..
//
// E is the encoding: 0 dense, 1 sparse. card is the cached cardinality,
// little endian; the top bit of its last byte (byte 15) set means the
// cache is stale and PFCOUNT must recompute it.
//
// There are 16384 (2^14) registers of 6 bits. An element is hashed with
// MurmurHash64A (seed 0xadc83b19); the low 14 bits pick the register, and
// the run of zeros above them, plus one, is the value the register keeps
// the maximum of.
//
// Dense: 12288 bytes, register i at bits 6i..6i+5 counted from the least
// significant bit of the first byte (a register may straddle two bytes).
//
// Sparse: a sequence of run-length opcodes covering all 16384 registers:
//
//	00xxxxxx           ZERO:  xxxxxx+1 registers (1..64) are zero
//	01xxxxxx yyyyyyyy  XZERO: xxxxxxyyyyyyyy+1 registers (1..16384) are zero
//	1vvvvvxx           VAL:   xx+1 registers (1..4) hold vvvvv+1 (1..32)
//
// An HLL starts sparse and becomes dense when a register needs a value
// above 32 or when the sparse form would exceed hll-sparse-max-bytes.
//
// Functions that change an HLL take its bytes and return them, possibly
// reallocated (sparse edits grow and shrink the string). Reading past the
// end of the bytes yields zero, as Redis's strings are followed by a NUL.
package hll

import (
	"math"
	"strconv"
	"strings"
)

// Sizes and encodings.
const (
	// P is the number of hash bits that select a register.
	P = 14
	// Q is the number of hash bits left for the run of zeros.
	Q = 64 - P
	// Registers is the number of registers.
	Registers = 1 << P
	// RegisterMax is the largest value a dense register holds.
	RegisterMax = 1<<6 - 1
	// HeaderSize is the size of the header.
	HeaderSize = 16
	// DenseSize is the size of a dense HLL, header included.
	DenseSize = HeaderSize + (Registers*6+7)/8
	// Dense and Sparse are the values of the encoding byte.
	Dense  = 0
	Sparse = 1
	// Seed is the seed Redis hashes elements with.
	Seed = 0xadc83b19
)

// Sparse opcode limits.
const (
	sparseValMaxValue = 32
	sparseValMaxLen   = 4
	sparseZeroMaxLen  = 64
	sparseXZeroMaxLen = 16384
)

// MurmurHash64A is the 64-bit MurmurHash2 variant Redis hashes HLL elements
// with (byte order independent: words are read little endian).
func MurmurHash64A(key string, seed uint32) uint64 {
	const m = 0xc6a4a7935bd1e995
	const r = 47
	h := uint64(seed) ^ uint64(len(key))*m
	n := len(key) &^ 7
	for i := 0; i < n; i += 8 {
		k := uint64(key[i]) | uint64(key[i+1])<<8 | uint64(key[i+2])<<16 | uint64(key[i+3])<<24 |
			uint64(key[i+4])<<32 | uint64(key[i+5])<<40 | uint64(key[i+6])<<48 | uint64(key[i+7])<<56
		k *= m
		k ^= k >> r
		k *= m
		h ^= k
		h *= m
	}
	if rest := key[n:]; len(rest) > 0 {
		for i := len(rest) - 1; i >= 0; i-- {
			h ^= uint64(rest[i]) << (8 * i)
		}
		h *= m
	}
	h ^= h >> r
	h *= m
	h ^= h >> r
	return h
}

// patLen returns the register an element maps to and the length of the
// 0...01 pattern of its hash above the register bits (1..Q+1).
func patLen(ele string) (index int, count uint8) {
	hash := MurmurHash64A(ele, Seed)
	index = int(hash & (Registers - 1))
	hash >>= P
	hash |= 1 << Q // the loop ends by bit Q at the latest
	count = 1
	for bit := uint64(1); hash&bit == 0; bit <<= 1 {
		count++
	}
	return index, count
}

// Valid reports whether s is a string PFADD, PFCOUNT and PFMERGE accept as
// an HLL: the magic, a known encoding, and the exact size when dense. The
// sparse opcodes are not checked here; the commands detect corrupt ones
// as they walk them.
func Valid(s string) bool {
	if len(s) < HeaderSize || s[:4] != "HYLL" || s[4] > Sparse {
		return false
	}
	return s[4] != Dense || len(s) == DenseSize
}

// New returns an empty sparse HLL: XZERO opcodes covering every register,
// a cached cardinality of 0 (valid).
func New() []byte {
	n := (Registers + sparseXZeroMaxLen - 1) / sparseXZeroMaxLen
	h := make([]byte, HeaderSize, HeaderSize+2*n+8)
	copy(h, "HYLL")
	h[4] = Sparse
	for left := Registers; left > 0; {
		run := min(left, sparseXZeroMaxLen)
		h = append(h, 0, 0)
		setXZero(h[len(h)-2:], run)
		left -= run
	}
	return h
}

// Invalidate marks the cached cardinality stale.
func Invalidate(h []byte) { h[15] |= 0x80 }

// Cached returns the cached cardinality, and whether it is valid.
func Cached(h string) (uint64, bool) {
	if h[15]&0x80 != 0 {
		return 0, false
	}
	var card uint64
	for i := 7; i >= 0; i-- {
		card = card<<8 | uint64(h[8+i])
	}
	return card, true
}

// SetCache stores card as the cached cardinality (valid, as the top bit of
// a cardinality is never set).
func SetCache(h []byte, card uint64) {
	for i := 0; i < 8; i++ {
		h[8+i] = byte(card >> (8 * i))
	}
}

// ---- dense registers ----

func denseGet(regs []byte, i int) uint8 {
	b := i * 6 / 8
	fb := uint(i*6) & 7
	v := uint(regs[b]) >> fb
	if b+1 < len(regs) {
		v |= uint(regs[b+1]) << (8 - fb)
	}
	return uint8(v & RegisterMax)
}

func denseSetReg(regs []byte, i int, val uint8) {
	b := i * 6 / 8
	fb := uint(i*6) & 7
	v := uint(val)
	regs[b] = byte(uint(regs[b])&^(RegisterMax<<fb) | v<<fb)
	if b+1 < len(regs) {
		regs[b+1] = byte(uint(regs[b+1])&^(RegisterMax>>(8-fb)) | v>>(8-fb))
	}
}

// denseSet raises register i to count; it reports whether it changed.
func denseSet(regs []byte, i int, count uint8) bool {
	if count > denseGet(regs, i) {
		denseSetReg(regs, i, count)
		return true
	}
	return false
}

// ---- sparse opcodes ----

func isZero(b byte) bool  { return b&0xc0 == 0 }
func isXZero(b byte) bool { return b&0xc0 == 0x40 }
func isVal(b byte) bool   { return b&0x80 != 0 }
func zeroLen(b byte) int  { return int(b&0x3f) + 1 }
func valValue(b byte) int { return int(b>>2&0x1f) + 1 }
func valLen(b byte) int   { return int(b&3) + 1 }

// xzeroLen reads the XZERO opcode at h[p] (its second byte may lie past
// the end, where it reads as zero).
func xzeroLen(h []byte, p int) int {
	return (int(h[p]&0x3f)<<8 | int(at(h, p+1))) + 1
}

func at(h []byte, i int) byte {
	if i < len(h) {
		return h[i]
	}
	return 0
}

func valOp(val, n int) byte { return byte((val-1)<<2|(n-1)) | 0x80 }
func setXZero(p []byte, n int) {
	p[0] = byte((n-1)>>8) | 0x40
	p[1] = byte(n - 1)
}

// ToDense converts a sparse HLL to dense, keeping the header (cache
// included); a dense one is returned as is. ok is false when the sparse
// opcodes do not cover exactly the 16384 registers.
func ToDense(h []byte) (out []byte, ok bool) {
	if h[4] == Dense {
		return h, true
	}
	d := make([]byte, DenseSize)
	copy(d, h[:HeaderSize])
	d[4] = Dense
	regs := d[HeaderSize:]
	idx := 0
	for p := HeaderSize; p < len(h) && idx <= Registers; {
		switch {
		case isZero(h[p]):
			idx += zeroLen(h[p])
			p++
		case isXZero(h[p]):
			idx += xzeroLen(h, p)
			p += 2
		default:
			n, v := valLen(h[p]), valValue(h[p])
			if idx+n > Registers {
				p = len(h) // a run past the last register: corrupt
				break
			}
			for ; n > 0; n-- {
				denseSetReg(regs, idx, uint8(v))
				idx++
			}
			p++
		}
	}
	if idx != Registers {
		return h, false
	}
	return d, true
}

// Set raises register index to count if it is lower, as PFADD and PFMERGE
// do, and returns the HLL (possibly reallocated or promoted to dense) and
// 1 when it changed, 0 when not, -1 when the sparse form is corrupt (h is
// then returned unchanged). A sparse HLL is promoted to dense when count is
// above 32 or when the edit would make it longer than sparseMax bytes.
// Setting a sparse register invalidates the cached cardinality; setting a
// dense one does not (the caller does, as Redis does).
func Set(h []byte, index int, count uint8, sparseMax int) ([]byte, int) {
	switch h[4] {
	case Dense:
		if denseSet(h[HeaderSize:], index, count) {
			return h, 1
		}
		return h, 0
	case Sparse:
		return sparseSet(h, index, count, sparseMax)
	}
	return h, -1
}

// Add adds an element (PFADD): Set of the register and count its hash
// gives.
func Add(h []byte, ele string, sparseMax int) ([]byte, int) {
	index, count := patLen(ele)
	return Set(h, index, count, sparseMax)
}

func sparseSet(h []byte, index int, count uint8, sparseMax int) ([]byte, int) {
	if count > sparseValMaxValue {
		return promote(h, index, count)
	}
	// Find the opcode that covers the register.
	end := len(h)
	p, prev := HeaderSize, -1
	first, span := 0, 0
	for p < end {
		oplen := 1
		switch {
		case isZero(h[p]):
			span = zeroLen(h[p])
		case isVal(h[p]):
			span = valLen(h[p])
		default:
			span = xzeroLen(h, p)
			oplen = 2
		}
		if index <= first+span-1 {
			break
		}
		prev = p
		p += oplen
		first += span
	}
	if span == 0 || p >= end {
		return h, -1
	}
	op := h[p]
	oldLen := 1
	var runlen int
	switch {
	case isZero(op):
		runlen = zeroLen(op)
	case isXZero(op):
		runlen = xzeroLen(h, p)
		oldLen = 2
	default:
		runlen = valLen(op)
	}
	next := p + oldLen
	hasNext := next < end

	switch {
	case isVal(op) && valValue(op) >= int(count):
		return h, 0
	case isVal(op) && runlen == 1, isZero(op) && runlen == 1:
		h[p] = valOp(int(count), 1)
	default:
		// Split the opcode in up to three: the registers before index,
		// index itself, the registers after it.
		var seq [5]byte
		n := 0
		last := first + span - 1
		if isVal(op) {
			cur := valValue(op)
			if index != first {
				seq[n] = valOp(cur, index-first)
				n++
			}
			seq[n] = valOp(int(count), 1)
			n++
			if index != last {
				seq[n] = valOp(cur, last-index)
				n++
			}
		} else {
			zeros := func(k int) {
				if k > sparseZeroMaxLen {
					setXZero(seq[n:], k)
					n += 2
				} else {
					seq[n] = byte(k - 1)
					n++
				}
			}
			if index != first {
				zeros(index - first)
			}
			seq[n] = valOp(int(count), 1)
			n++
			if index != last {
				zeros(last - index)
			}
		}
		delta := n - oldLen
		if delta > 0 && len(h)+delta > sparseMax {
			return promote(h, index, count)
		}
		if delta > 0 {
			h = append(h, make([]byte, delta)...)
		}
		if delta != 0 && hasNext {
			copy(h[next+delta:], h[next:end])
		}
		h = h[:end+delta]
		// A truncated XZERO at the very end (corrupt) leaves no room for
		// the whole sequence; Redis writes its last byte past the end.
		copy(h[p:], seq[:n])
		end += delta
	}

	// Merge adjacent VAL opcodes of the same value where the edit made
	// that possible, scanning a few opcodes from the one before the edit.
	p = HeaderSize
	if prev >= 0 {
		p = prev
	}
	for scan := 5; p < end && scan > 0; scan-- {
		switch {
		case isXZero(h[p]):
			p += 2
			continue
		case isZero(h[p]):
			p++
			continue
		}
		if p+1 < end && isVal(h[p+1]) {
			v := valValue(h[p])
			if v == valValue(h[p+1]) {
				if n := valLen(h[p]) + valLen(h[p+1]); n <= sparseValMaxLen {
					h[p+1] = valOp(v, n)
					copy(h[p:], h[p+1:end])
					end--
					h = h[:end]
					continue
				}
			}
		}
		p++
	}
	Invalidate(h)
	return h, 1
}

// promote converts h to dense and sets the register there.
func promote(h []byte, index int, count uint8) ([]byte, int) {
	d, ok := ToDense(h)
	if !ok {
		return h, -1
	}
	denseSet(d[HeaderSize:], index, count)
	return d, 1
}

// ---- counting ----

// histogram counts the registers of each value; ok is false when sparse
// opcodes do not cover exactly 16384 registers.
func histogram(h []byte, hist *[64]int) bool {
	if h[4] == Dense {
		regs := h[HeaderSize:]
		for i := 0; i < Registers; i++ {
			hist[denseGet(regs, i)]++
		}
		return true
	}
	idx := 0
	for p := HeaderSize; p < len(h); {
		switch {
		case isZero(h[p]):
			n := zeroLen(h[p])
			idx += n
			hist[0] += n
			p++
		case isXZero(h[p]):
			n := xzeroLen(h, p)
			idx += n
			hist[0] += n
			p += 2
		default:
			n := valLen(h[p])
			idx += n
			hist[valValue(h[p])] += n
			p++
		}
	}
	return idx == Registers
}

// Count computes the cardinality estimate of h (ignoring the cache); ok
// is false when h is a corrupt sparse HLL.
func Count(h []byte) (card uint64, ok bool) {
	var hist [64]int
	if !histogram(h, &hist) {
		return 0, false
	}
	return estimate(&hist), true
}

// CountRegisters computes the estimate for plain registers, one byte each
// (PFCOUNT of several keys merges into these).
func CountRegisters(regs *[Registers]uint8) uint64 {
	var hist [64]int
	for _, r := range regs {
		hist[r&63]++
	}
	return estimate(&hist)
}

// estimate is the estimator of Ertl, "New cardinality estimation
// algorithms for HyperLogLog sketches" (arXiv:1702.01284), as Redis 7.0
// computes it, in the same order of floating-point operations.
func estimate(hist *[64]int) uint64 {
	const alphaInf = 0.721347520444481703680 // 0.5/ln(2)
	m := float64(Registers)
	z := m * tau((m-float64(hist[Q+1]))/m)
	for j := Q; j >= 1; j-- {
		z += float64(hist[j])
		z *= 0.5
	}
	z += m * sigma(float64(hist[0])/m)
	return uint64(math.Round(alphaInf * m * m / z))
}

func sigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x *= x
		prev := z
		z += x * y
		y += y
		if prev == z {
			return z
		}
	}
}

func tau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		prev := z
		y *= 0.5
		z -= (1 - x) * (1 - x) * y
		if prev == z {
			return z / 3
		}
	}
}

// Merge raises each of max's registers to h's where h's is higher
// (PFMERGE, PFCOUNT of several keys); ok is false when h is a corrupt
// sparse HLL (max may then be partly merged).
func Merge(max *[Registers]uint8, h []byte) bool {
	if h[4] == Dense {
		regs := h[HeaderSize:]
		for i := range max {
			if v := denseGet(regs, i); v > max[i] {
				max[i] = v
			}
		}
		return true
	}
	i := 0
	for p := HeaderSize; p < len(h) && i <= Registers; {
		switch {
		case isZero(h[p]):
			i += zeroLen(h[p])
			p++
		case isXZero(h[p]):
			i += xzeroLen(h, p)
			p += 2
		default:
			n, v := valLen(h[p]), uint8(valValue(h[p]))
			if i+n > Registers {
				p = len(h)
				break
			}
			for ; n > 0; n-- {
				if v > max[i] {
					max[i] = v
				}
				i++
			}
			p++
		}
	}
	return i == Registers
}

// Register returns register i of a dense HLL.
func Register(h []byte, i int) uint8 { return denseGet(h[HeaderSize:], i) }

// Decode lists the opcodes of a sparse HLL as PFDEBUG DECODE does:
// "z:N" (ZERO), "Z:N" (XZERO), "v:value,N" (VAL), space separated.
func Decode(h []byte) string {
	var b strings.Builder
	for p := HeaderSize; p < len(h); {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		switch {
		case isZero(h[p]):
			b.WriteString("z:" + strconv.Itoa(zeroLen(h[p])))
			p++
		case isXZero(h[p]):
			b.WriteString("Z:" + strconv.Itoa(xzeroLen(h, p)))
			p += 2
		default:
			b.WriteString("v:" + strconv.Itoa(valValue(h[p])) + "," + strconv.Itoa(valLen(h[p])))
			p++
		}
	}
	return b.String()
}
