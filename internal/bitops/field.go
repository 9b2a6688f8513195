package bitops

import "math"

// Bit fields (BITFIELD): integers of 1 to 64 bits stored at any bit
// offset, most significant bit first, in the bit numbering of the package.

// GetUnsigned reads the bits-wide unsigned integer at bit offset off of b
// (1 <= bits <= 64); bytes past the end of b read as zero.
func GetUnsigned(b []byte, off uint64, bits uint) uint64 {
	var v uint64
	for i := uint(0); i < bits; i++ {
		byteIdx := off >> 3
		var bit uint64
		if byteIdx < uint64(len(b)) {
			bit = uint64(b[byteIdx]>>(7-off&7)) & 1
		}
		v = v<<1 | bit
		off++
	}
	return v
}

// GetSigned reads the bits-wide two's complement integer at bit offset off
// of b, sign-extended.
func GetSigned(b []byte, off uint64, bits uint) int64 {
	v := GetUnsigned(b, off, bits)
	if bits < 64 && v&(1<<(bits-1)) != 0 {
		v |= ^uint64(0) << bits
	}
	return int64(v)
}

// SetUnsigned writes the low bits bits of v at bit offset off of b, which
// must be long enough.
func SetUnsigned(b []byte, off uint64, bits uint, v uint64) {
	for i := uint(0); i < bits; i++ {
		bit := byte(v>>(bits-1-i)) & 1
		shift := 7 - off&7
		b[off>>3] = b[off>>3]&^(1<<shift) | bit<<shift
		off++
	}
}

// SetSigned writes v in two's complement as a bits-wide field.
func SetSigned(b []byte, off uint64, bits uint, v int64) {
	SetUnsigned(b, off, bits, uint64(v))
}

// Overflow is BITFIELD's OVERFLOW behaviour.
type Overflow uint8

// The OVERFLOW behaviours.
const (
	// Wrap wraps around, as C unsigned arithmetic does, and for signed
	// fields towards the most negative value (the default).
	Wrap Overflow = iota
	// Sat saturates at the type's minimum or maximum.
	Sat
	// Fail leaves the field unchanged and answers nil.
	Fail
)

// CheckUnsigned reports whether value+incr overflows an unsigned field of
// bits bits (1 <= bits <= 63): +1 above the maximum (or when value itself
// is above it), -1 below zero, 0 when it fits. On overflow, limit is the
// value to store under ow (Wrap: the wrapped sum; Sat: the bound; Fail:
// unspecified).
func CheckUnsigned(value uint64, incr int64, bits uint, ow Overflow) (limit uint64, over int) {
	maxV := uint64(1)<<bits - 1
	maxIncr := int64(maxV - value)
	minIncr := int64(-value)
	switch {
	case value > maxV || (incr > 0 && incr > maxIncr):
		over, limit = 1, maxV
	case incr < 0 && incr < minIncr:
		over, limit = -1, 0
	default:
		return 0, 0
	}
	if ow == Wrap {
		limit = (value + uint64(incr)) &^ (^uint64(0) << bits)
	}
	return limit, over
}

// CheckSigned is CheckUnsigned for a signed field of bits bits (1 <= bits
// <= 64); Wrap wraps towards the most negative value.
func CheckSigned(value, incr int64, bits uint, ow Overflow) (limit int64, over int) {
	maxV := int64(math.MaxInt64)
	if bits < 64 {
		maxV = int64(1)<<(bits-1) - 1
	}
	minV := -maxV - 1
	// maxIncr and minIncr may wrap; they are only used where they do not.
	maxIncr := int64(uint64(maxV) - uint64(value))
	minIncr := minV - value
	switch {
	case value > maxV || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr):
		over, limit = 1, maxV
	case value < minV || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr):
		over, limit = -1, minV
	default:
		return 0, 0
	}
	if ow == Wrap {
		c := uint64(value) + uint64(incr)
		if bits < 64 {
			mask := ^uint64(0) << bits
			if c&(1<<(bits-1)) != 0 {
				c |= mask
			} else {
				c &^= mask
			}
		}
		limit = int64(c)
	}
	return limit, over
}
