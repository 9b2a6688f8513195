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
	// One byte view per source, for word loads.
	views := make([][]byte, len(srcs))
	for i, s := range srcs {
		views[i] = bytesOf(s)
	}
	// Where every source has bytes: eight at a time.
	j := 0
	for ; j+8 <= minLen; j += 8 {
		w := binary.LittleEndian.Uint64(views[0][j:])
		switch op {
		case And:
			for _, v := range views[1:] {
				w &= binary.LittleEndian.Uint64(v[j:])
			}
		case Or:
			for _, v := range views[1:] {
				w |= binary.LittleEndian.Uint64(v[j:])
			}
		case Xor:
			for _, v := range views[1:] {
				w ^= binary.LittleEndian.Uint64(v[j:])
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

func byteAt(s string, j int) byte {
	if j < len(s) {
		return s[j]
	}
	return 0
}
