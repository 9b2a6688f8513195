package bitops

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"
)

// Naive references: one bit at a time, straight from the definitions.

func bitAt(s string, i int64) int {
	if i>>3 >= int64(len(s)) {
		return 0
	}
	return int(s[i>>3]>>(7-i&7)) & 1
}

// naiveRange normalizes a range the way BITCOUNT documents it, in bits.
func naiveRange(n, start, end int64, unit Unit) (lo, hi int64) {
	total := n
	if unit == Bit {
		total = n * 8
	}
	if start < 0 {
		start += total
	}
	if end < 0 {
		end += total
	}
	start, end = max(start, 0), max(end, 0)
	end = min(end, total-1)
	if unit == Byte {
		return start * 8, end*8 + 7
	}
	return start, end
}

func naiveCount(s string, start, end int64, unit Unit) int64 {
	if start < 0 && end < 0 && start > end {
		return 0
	}
	lo, hi := naiveRange(int64(len(s)), start, end, unit)
	var n int64
	for i := lo; i <= hi; i++ {
		n += int64(bitAt(s, i))
	}
	return n
}

func naivePos(s string, bit int, start, end int64, endGiven bool, unit Unit) int64 {
	lo, hi := naiveRange(int64(len(s)), start, end, unit)
	if lo > hi {
		return -1
	}
	for i := lo; i <= hi; i++ {
		if bitAt(s, i) == bit {
			return i
		}
	}
	if bit == 0 && !endGiven {
		return hi + 1
	}
	return -1
}

func randString(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		switch r.IntN(4) {
		case 0:
			b[i] = 0
		case 1:
			b[i] = 0xff
		default:
			b[i] = byte(r.Uint32())
		}
	}
	return string(b)
}

func TestCount(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 100; n++ {
		s := randString(r, n)
		if got, want := Count(s), naiveCount(s, 0, -1, Byte); got != want {
			t.Fatalf("Count(%x) = %d, want %d", s, got, want)
		}
	}
}

func TestCountRangeAndPosRange(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for iter := 0; iter < 20000; iter++ {
		s := randString(r, r.IntN(40))
		unit := Unit(r.IntN(2))
		lim := int64(len(s)+3) * 8
		start, end := r.Int64N(2*lim)-lim, r.Int64N(2*lim)-lim
		if got, want := CountRange(s, start, end, unit), naiveCount(s, start, end, unit); got != want {
			t.Fatalf("CountRange(%x, %d, %d, %d) = %d, want %d", s, start, end, unit, got, want)
		}
		bit := r.IntN(2)
		endGiven := unit == Bit || r.IntN(2) == 0
		if got, want := PosRange(s, bit, start, end, endGiven, unit), naivePos(s, bit, start, end, endGiven, unit); got != want {
			t.Fatalf("PosRange(%x, %d, %d, %d, %v, %d) = %d, want %d", s, bit, start, end, endGiven, unit, got, want)
		}
	}
}

func TestPos(t *testing.T) {
	cases := []struct {
		s    string
		bit  int
		want int64
	}{
		{"", 1, -1}, {"", 0, 0},
		{"\x00", 1, -1}, {"\x00", 0, 0},
		{"\xff", 0, 8}, {"\xff\xf0", 0, 12},
		{"\x00\x00\x00\x00\x00\x00\x00\x00\x01", 1, 71},
		{"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 0, 72},
	}
	for _, c := range cases {
		if got := Pos(c.s, c.bit); got != c.want {
			t.Errorf("Pos(%x, %d) = %d, want %d", c.s, c.bit, got, c.want)
		}
	}
}

func naiveOp(op Operation, srcs []string) []byte {
	n := 0
	for _, s := range srcs {
		n = max(n, len(s))
	}
	if n == 0 {
		return nil
	}
	out := make([]byte, n)
	for j := range out {
		v := byteAt(srcs[0], j)
		for _, s := range srcs[1:] {
			switch op {
			case And:
				v &= byteAt(s, j)
			case Or:
				v |= byteAt(s, j)
			case Xor:
				v ^= byteAt(s, j)
			}
		}
		if op == Not {
			v = ^v
		}
		out[j] = v
	}
	return out
}

func TestOp(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for iter := 0; iter < 3000; iter++ {
		op := Operation(r.IntN(4))
		k := 1
		if op != Not {
			k = 1 + r.IntN(5)
		}
		srcs := make([]string, k)
		for i := range srcs {
			srcs[i] = randString(r, r.IntN(50))
		}
		if got, want := Op(op, srcs), naiveOp(op, srcs); !bytes.Equal(got, want) {
			t.Fatalf("Op(%d, %q) = %x, want %x", op, srcs, got, want)
		}
	}
}

func TestFieldRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for iter := 0; iter < 5000; iter++ {
		bits := uint(1 + r.IntN(64))
		off := uint64(r.IntN(100))
		b := []byte(randString(r, 24))
		orig := append([]byte(nil), b...)
		v := r.Uint64()
		SetUnsigned(b, off, bits, v)
		mask := uint64(math.MaxUint64)
		if bits < 64 {
			mask = 1<<bits - 1
		}
		if got := GetUnsigned(b, off, bits); got != v&mask {
			t.Fatalf("bits %d off %d: got %x want %x", bits, off, got, v&mask)
		}
		// The bits around the field are untouched.
		for i := int64(0); i < int64(len(b))*8; i++ {
			if (uint64(i) < off || uint64(i) >= off+uint64(bits)) && bitAt(string(b), i) != bitAt(string(orig), i) {
				t.Fatalf("bit %d changed outside field [%d,+%d)", i, off, bits)
			}
		}
		sv := GetSigned(b, off, bits)
		if bits < 64 && (sv < -(1<<(bits-1)) || sv > 1<<(bits-1)-1) {
			t.Fatalf("GetSigned %d bits = %d out of range", bits, sv)
		}
		if uint64(sv)&mask != v&mask {
			t.Fatalf("GetSigned %d bits = %d, low bits differ from %x", bits, sv, v&mask)
		}
	}
	// Reads past the end are zero.
	if got := GetUnsigned([]byte{0xff}, 4, 8); got != 0xf0 {
		t.Fatalf("GetUnsigned past end = %x", got)
	}
}

func TestCheckUnsigned(t *testing.T) {
	cases := []struct {
		value uint64
		incr  int64
		bits  uint
		ow    Overflow
		limit uint64
		over  int
	}{
		{250, 5, 8, Wrap, 0, 0},
		{250, 6, 8, Wrap, 0, 1},
		{250, 10, 8, Sat, 255, 1},
		{5, -6, 8, Wrap, 255, -1},
		{5, -6, 8, Sat, 0, -1},
		{5, -5, 8, Sat, 0, 0},
		{math.MaxUint64, 0, 8, Wrap, 255, 1}, // SET u8 -1
		{math.MaxUint64, 0, 8, Sat, 255, 1},
		{300, 0, 8, Wrap, 44, 1},
		{0, math.MaxInt64, 63, Wrap, math.MaxInt64, 0},
		{1, math.MaxInt64, 63, Wrap, 0, 1},
		{1, math.MinInt64, 63, Sat, 0, -1},
	}
	for _, c := range cases {
		limit, over := CheckUnsigned(c.value, c.incr, c.bits, c.ow)
		if over != c.over || (over != 0 && limit != c.limit) {
			t.Errorf("CheckUnsigned(%d, %d, %d, %d) = %d, %d; want %d, %d", c.value, c.incr, c.bits, c.ow, limit, over, c.limit, c.over)
		}
	}
}

func TestCheckSigned(t *testing.T) {
	cases := []struct {
		value, incr int64
		bits        uint
		ow          Overflow
		limit       int64
		over        int
	}{
		{120, 7, 8, Wrap, 0, 0},
		{120, 8, 8, Wrap, -128, 1},
		{120, 8, 8, Sat, 127, 1},
		{-120, -9, 8, Wrap, 127, -1},
		{-120, -9, 8, Sat, -128, -1},
		{200, 0, 8, Wrap, -56, 1}, // SET i8 200
		{-200, 0, 8, Sat, -128, -1},
		{math.MaxInt64, 1, 64, Wrap, math.MinInt64, 1},
		{math.MaxInt64, 1, 64, Sat, math.MaxInt64, 1},
		{math.MinInt64, -1, 64, Sat, math.MinInt64, -1},
		{math.MinInt64, -1, 64, Wrap, math.MaxInt64, -1},
		{-1, math.MaxInt64, 64, Wrap, 0, 0},
		{0, -1, 1, Wrap, 0, 0},
		{0, 1, 1, Wrap, -1, 1},
		{-1, -1, 1, Sat, -1, -1},
	}
	for _, c := range cases {
		limit, over := CheckSigned(c.value, c.incr, c.bits, c.ow)
		if over != c.over || (over != 0 && limit != c.limit) {
			t.Errorf("CheckSigned(%d, %d, %d, %d) = %d, %d; want %d, %d", c.value, c.incr, c.bits, c.ow, limit, over, c.limit, c.over)
		}
	}
}
