package hll

import (
	"encoding/binary"
	"fmt"
	"math"
)

// SelfTest runs the checks of PFSELFTEST and returns "" when they pass, or
// the TESTFAILED text Redis would answer:
//
//  1. a thousand rounds of setting every dense register to a random value
//     and reading them all back;
//  2. ten million distinct elements added to a dense and a sparse HLL at
//     once, checking at each power of ten that the sparse one is still
//     sparse while small, that both estimate the same, and that the error
//     is within six standard errors.
//
// rnd supplies the random numbers (31 bits are used of each).
func SelfTest(rnd func() uint64, sparseMax int) string {
	dense := make([]byte, DenseSize)
	regs := dense[HeaderSize:]
	var want [Registers]uint8
	for round := 0; round < 1000; round++ {
		for i := range want {
			want[i] = uint8(rnd() & RegisterMax)
			denseSetReg(regs, i, want[i])
		}
		for i := range want {
			if got := denseGet(regs, i); got != want[i] {
				return fmt.Sprintf("TESTFAILED Register %d should be %d but is %d", i, want[i], got)
			}
		}
	}

	clear(regs)
	dense[4] = Dense
	copy(dense, "HYLL")
	sparse := New()
	relErr := 1.04 / math.Sqrt(Registers)
	seed := rnd()&0x7fffffff | (rnd()&0x7fffffff)<<32
	checkpoint := uint64(1)
	var ele [8]byte
	for j := uint64(1); j <= 10000000; j++ {
		binary.LittleEndian.PutUint64(ele[:], j^seed)
		index, count := patLen(string(ele[:]))
		denseSet(regs, index, count)
		sparse, _ = Set(sparse, index, count, sparseMax)
		if j != checkpoint {
			continue
		}
		if j < uint64(sparseMax/2) && sparse[4] != Sparse {
			return "TESTFAILED sparse encoding not used"
		}
		d, _ := Count(dense)
		s, _ := Count(sparse)
		if d != s {
			return "TESTFAILED dense/sparse disagree"
		}
		abs := int64(checkpoint) - int64(d)
		maxErr := uint64(math.Ceil(relErr * 6 * float64(checkpoint)))
		if j == 10 {
			maxErr = 1
		}
		if abs < 0 {
			abs = -abs
		}
		if abs > int64(maxErr) {
			return fmt.Sprintf("TESTFAILED Too big error. card:%d abserr:%d", checkpoint, abs)
		}
		checkpoint *= 10
	}
	return ""
}
