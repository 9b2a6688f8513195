package rdb

import (
	"errors"
	"sync"
)

// LZF is the compression of liblzf 3.6 as Redis 7.0 builds it (lzf_c.c
// with HLOG 16 and VERY_FAST): the same input gives the same output bytes,
// which makes our compressed strings and DUMP payloads identical to
// Redis's.
//
// Format of the compressed stream, one control byte at a time:
//
//	000LLLLL <L+1 bytes>        literal run of 1..32 bytes
//	LLLooooo oooooooo           back reference of L+2 (3..8) bytes, offset o+1
//	111ooooo LLLLLLLL oooooooo  back reference of L+9 bytes, offset o+1
const (
	lzfHashLog = 16
	lzfMaxLit  = 1 << 5
	lzfMaxOff  = 1 << 13
	lzfMaxRef  = (1 << 8) + (1 << 3)
)

// lzfIndex is liblzf's hash of the three bytes accumulated in h (VERY_FAST
// variant), computed in 32-bit unsigned arithmetic as in C.
func lzfIndex(h uint32) uint32 {
	return ((h >> (3*8 - lzfHashLog)) - h*5) & (1<<lzfHashLog - 1)
}

// lzfCompress compresses in into a buffer of at most outLen bytes and
// returns it, or nil when the output would not fit in outLen bytes (the
// caller then stores the data uncompressed), exactly as lzf_compress
// returns 0. The hash table starts empty; Redis's starts with whatever the
// stack held, which can only add matches on inputs that repeat themselves
// in ways real data rarely does.
func lzfCompress(in []byte, outLen int) []byte {
	inLen := len(in)
	if inLen == 0 || outLen <= 0 {
		return nil
	}
	t := lzfTables.Get().(*lzfTable)
	defer lzfTables.Put(t)
	t.gen++
	if t.gen == 0 { // wrapped: stale stamps could look current
		clear(t.slots[:])
		t.gen = 1
	}
	gen := uint64(t.gen) << 32
	htab := &t.slots
	get := func(slot uint32) int {
		if v := htab[slot]; v&^0xFFFFFFFF == gen {
			return int(uint32(v))
		}
		return 0
	}
	set := func(slot uint32, posPlus1 int) { htab[slot] = gen | uint64(uint32(posPlus1)) }
	out := make([]byte, outLen)
	ip, op := 0, 0
	lit := 0
	op++ // start run
	at := func(i int) uint32 {
		if i < inLen {
			return uint32(in[i])
		}
		return 0
	}
	hval := at(0)<<8 | at(1)
	for ip < inLen-2 {
		hval = hval<<8 | uint32(in[ip+2])
		slot := lzfIndex(hval)
		ref := get(slot) - 1
		set(slot, ip+1)
		var off int
		if ref > 0 && ref < ip {
			off = ip - ref - 1
		}
		if ref > 0 && ref < ip && off < lzfMaxOff &&
			in[ref+2] == in[ip+2] && in[ref] == in[ip] && in[ref+1] == in[ip+1] {
			// match found at ref
			length := 2
			maxLen := inLen - ip - length
			if maxLen > lzfMaxRef {
				maxLen = lzfMaxRef
			}
			if op+3+1 >= outLen {
				x := 0
				if lit == 0 {
					x = 1
				}
				if op-x+3+1 >= outLen {
					return nil
				}
			}
			out[op-lit-1] = byte(lit - 1) // stop run
			if lit == 0 {
				op-- // undo run if length is zero
			}
			// The match length loop of lzf_c.c, kept exact: the unrolled
			// part may run past maxLen when maxLen is 17 or 18.
			matched := false
			if maxLen > 16 {
				for range 16 {
					length++
					if in[ref+length] != in[ip+length] {
						matched = true
						break
					}
				}
			}
			if !matched {
				for {
					length++
					if !(length < maxLen && in[ref+length] == in[ip+length]) {
						break
					}
				}
			}
			length -= 2 // now #octets - 1
			ip++
			if length < 7 {
				out[op] = byte(off>>8 + length<<5)
				op++
			} else {
				out[op] = byte(off>>8 + 7<<5)
				out[op+1] = byte(length - 7)
				op += 2
			}
			out[op] = byte(off)
			op++
			lit = 0
			op++ // start run
			ip += length + 1
			if ip >= inLen-2 {
				break
			}
			ip -= 2
			hval = uint32(in[ip])<<8 | uint32(in[ip+1])
			hval = hval<<8 | uint32(in[ip+2])
			set(lzfIndex(hval), ip+1)
			ip++
			hval = hval<<8 | uint32(in[ip+2])
			set(lzfIndex(hval), ip+1)
			ip++
		} else {
			if op >= outLen {
				return nil
			}
			lit++
			out[op] = in[ip]
			op++
			ip++
			if lit == lzfMaxLit {
				out[op-lit-1] = byte(lit - 1)
				lit = 0
				op++
			}
		}
	}
	if op+3 > outLen {
		return nil
	}
	for ip < inLen {
		lit++
		out[op] = in[ip]
		op++
		ip++
		if lit == lzfMaxLit {
			out[op-lit-1] = byte(lit - 1)
			lit = 0
			op++
		}
	}
	out[op-lit-1] = byte(lit - 1) // end run
	if lit == 0 {
		op--
	}
	return out[:op]
}

// lzfTable is a compression hash table. Each slot holds a generation
// stamp in its high 32 bits and position+1 in its low 32 bits; bumping
// the generation empties the table without clearing 512 KB per call.
type lzfTable struct {
	gen   uint32
	slots [1 << lzfHashLog]uint64
}

var lzfTables = sync.Pool{New: func() any { return new(lzfTable) }}

var errLZF = errors.New("invalid LZF compressed data")

// lzfDecompress decompresses in into exactly outLen bytes. It never reads
// or writes out of bounds: any reference before the start of the output,
// any run past either end, and any length other than outLen is an error.
func lzfDecompress(in []byte, outLen int) ([]byte, error) {
	out := make([]byte, 0, outLen)
	ip := 0
	for ip < len(in) {
		ctrl := int(in[ip])
		ip++
		if ctrl < 1<<5 { // literal run
			n := ctrl + 1
			if ip+n > len(in) || len(out)+n > outLen {
				return nil, errLZF
			}
			out = append(out, in[ip:ip+n]...)
			ip += n
			continue
		}
		n := ctrl >> 5
		if n == 7 {
			if ip >= len(in) {
				return nil, errLZF
			}
			n += int(in[ip])
			ip++
		}
		if ip >= len(in) {
			return nil, errLZF
		}
		ref := len(out) - (ctrl&0x1f)<<8 - 1 - int(in[ip])
		ip++
		n += 2
		if ref < 0 || len(out)+n > outLen {
			return nil, errLZF
		}
		if ref+n <= len(out) {
			out = append(out, out[ref:ref+n]...)
		} else {
			for i := range n { // byte by byte: the source overlaps the output
				out = append(out, out[ref+i])
			}
		}
	}
	if len(out) != outLen {
		return nil, errLZF
	}
	return out, nil
}
