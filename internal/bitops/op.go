package bitops

import "encoding/binary"

// Operation is a BITOP operation.
type Operation uint8

// The BITOP operations.
const (
	And Operation = iota
	Or
	Xor
	Not
)

// Op computes op over srcs as BITOP does and returns the result, as long
// as the longest source (nil when every source is empty). A shorter
// source counts as padded with zero bytes. Not takes exactly one source;
// Op panics otherwise (a broken caller).
func Op(op Operation, srcs []string) []byte {
	if op == Not && len(srcs) != 1 {
		panic("bitops: NOT takes one source")
	}
	maxLen, minLen := 0, -1
	for _, s := range srcs {
		maxLen = max(maxLen, len(s))
		if minLen < 0 || len(s) < minLen {
			minLen = len(s)
		}
	}
	if maxLen == 0 {
		return nil
	}
	res := make([]byte, maxLen)
	first := srcs[0]
	// Where every source has bytes: eight at a time.
	j := 0
	for ; j+8 <= minLen; j += 8 {
		w := le64(first, j)
		switch op {
		case And:
			for _, s := range srcs[1:] {
				w &= le64(s, j)
			}
		case Or:
			for _, s := range srcs[1:] {
				w |= le64(s, j)
			}
		case Xor:
			for _, s := range srcs[1:] {
				w ^= le64(s, j)
			}
		case Not:
			w = ^w
		}
		binary.LittleEndian.PutUint64(res[j:], w)
	}
	// The rest byte by byte, missing bytes counting as zero.
	for ; j < maxLen; j++ {
		out := byteAt(first, j)
		switch op {
		case And:
			for _, s := range srcs[1:] {
				if out == 0 {
					break
				}
				out &= byteAt(s, j)
			}
		case Or:
			for _, s := range srcs[1:] {
				out |= byteAt(s, j)
			}
		case Xor:
			for _, s := range srcs[1:] {
				out ^= byteAt(s, j)
			}
		case Not:
			out = ^out
		}
		res[j] = out
	}
	return res
}

func le64(s string, j int) uint64 {
	_ = s[j+7]
	return uint64(s[j]) | uint64(s[j+1])<<8 | uint64(s[j+2])<<16 | uint64(s[j+3])<<24 |
		uint64(s[j+4])<<32 | uint64(s[j+5])<<40 | uint64(s[j+6])<<48 | uint64(s[j+7])<<56
}

func byteAt(s string, j int) byte {
	if j < len(s) {
		return s[j]
	}
	return 0
}
