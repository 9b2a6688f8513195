package hll

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestMurmurHash64A(t *testing.T) {
	// Values computed with Redis 7.0's C function (seed 0xadc83b19) for
	// inputs of every tail length.
	cases := []struct {
		in   string
		want uint64
	}{
		{"", 0xd8dfea6585bc9732},
		{"a", 0x53d2470a9b43b1a7},
		{"ab", 0x0eaed676437142cf},
		{"abc", 0x77ec90aeb374e502},
		{"abcd", 0xb079ee3d44202b3e},
		{"abcde", 0x52a7daa2324a0e8e},
		{"abcdef", 0x3a4f3a74f538b54f},
		{"abcdefg", 0x22fe613bb08c9602},
		{"abcdefgh", 0xf3a65df559914567},
		{"abcdefghi", 0x834fba4d9152daf7},
		{"hello world, this is redis", 0x13ea3d21686b0718},
	}
	for _, c := range cases {
		if got := MurmurHash64A(c.in, Seed); got != c.want {
			t.Errorf("MurmurHash64A(%q) = %#x, want %#x", c.in, got, c.want)
		}
	}
}

func TestNew(t *testing.T) {
	h := New()
	want := "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"
	if string(h) != want {
		t.Fatalf("New() = %q, want %q", h, want)
	}
	if !Valid(string(h)) {
		t.Fatal("New() not Valid")
	}
	if got := Decode(h); got != "Z:16384" {
		t.Fatalf("Decode(New()) = %q", got)
	}
	if card, ok := Count(h); !ok || card != 0 {
		t.Fatalf("Count(New()) = %d, %v", card, ok)
	}
}

func TestValid(t *testing.T) {
	dense := make([]byte, DenseSize)
	copy(dense, "HYLL")
	for _, c := range []struct {
		s  string
		ok bool
	}{
		{"", false},
		{"HYLL", false},
		{string(New()), true},
		{"HYLX" + string(New()[4:]), false},
		{"HYLL\x02" + string(New()[5:]), false},
		{string(dense), true},
		{string(dense[:DenseSize-1]), false},
		{string(dense) + "x", false},
		{"HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", true}, // no opcodes: Valid, but corrupt
	} {
		if got := Valid(c.s); got != c.ok {
			t.Errorf("Valid(%q...) = %v, want %v", c.s[:min(len(c.s), 20)], got, c.ok)
		}
	}
}

func TestRegisterAccess(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	if msg := SelfTest(r.Uint64, 3000); msg != "" {
		t.Fatal(msg)
	}
}

// TestSparseMatchesDense adds the same elements to a sparse HLL (with
// several sparse size limits) and to a dense one, and checks after every
// add that converting the sparse one gives the dense one's registers and
// that both count alike.
func TestSparseMatchesDense(t *testing.T) {
	for _, sparseMax := range []int{0, 100, 3000, 1 << 20} {
		r := rand.New(rand.NewPCG(2, uint64(sparseMax)))
		sparse := New()
		dense, ok := ToDense(New())
		if !ok {
			t.Fatal("ToDense(New()) failed")
		}
		for i := 0; i < 3000; i++ {
			ele := strconv.FormatUint(r.Uint64()%5000, 10)
			var rs, rd int
			sparse, rs = Add(sparse, ele, sparseMax)
			dense, rd = Add(dense, ele, sparseMax)
			if rs != rd {
				t.Fatalf("max %d, add %d (%s): sparse %d, dense %d", sparseMax, i, ele, rs, rd)
			}
			if sparse[4] == Sparse && len(sparse) > max(sparseMax, len(New())) {
				t.Fatalf("max %d: sparse HLL grew to %d bytes", sparseMax, len(sparse))
			}
			if i%97 != 0 {
				continue
			}
			conv, ok := ToDense(append([]byte(nil), sparse...))
			if !ok {
				t.Fatalf("max %d, add %d: sparse corrupt: %s", sparseMax, i, Decode(sparse))
			}
			if !bytes.Equal(conv[HeaderSize:], dense[HeaderSize:]) {
				t.Fatalf("max %d, add %d: registers differ", sparseMax, i)
			}
			cs, ok1 := Count(sparse)
			cd, ok2 := Count(dense)
			if !ok1 || !ok2 || cs != cd {
				t.Fatalf("max %d, add %d: counts %d/%v vs %d/%v", sparseMax, i, cs, ok1, cd, ok2)
			}
			var regs [Registers]uint8
			if !Merge(&regs, sparse) {
				t.Fatal("Merge of a valid sparse HLL failed")
			}
			if c := CountRegisters(&regs); c != cd {
				t.Fatalf("CountRegisters = %d, want %d", c, cd)
			}
		}
	}
}

func TestEstimateAccuracy(t *testing.T) {
	h := New()
	for i := 0; i < 100000; i++ {
		h, _ = Add(h, "ele:"+strconv.Itoa(i), 3000)
	}
	card, ok := Count(h)
	if !ok {
		t.Fatal("corrupt")
	}
	if card < 98000 || card > 102000 {
		t.Fatalf("estimate %d for 100000 distinct elements", card)
	}
}

func TestCache(t *testing.T) {
	h := New()
	if _, ok := Cached(string(h)); !ok {
		t.Fatal("New() cache should be valid")
	}
	Invalidate(h)
	if _, ok := Cached(string(h)); ok {
		t.Fatal("cache still valid after Invalidate")
	}
	SetCache(h, 0x0102030405060708)
	if c, ok := Cached(string(h)); !ok || c != 0x0102030405060708 {
		t.Fatalf("Cached = %#x, %v", c, ok)
	}
}

func TestCorruptSparse(t *testing.T) {
	hdr := "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	for _, body := range []string{
		"",                 // no registers
		"\x7f\xfe",         // 16383 registers
		"\x7f\xff\x00",     // 16385
		"\x7f",             // truncated XZERO
		"\x7f\xfe\x83\x80", // VAL run past the end
	} {
		h := []byte(hdr + body)
		if _, ok := Count(h); ok {
			t.Errorf("Count(%q) ok", body)
		}
		if _, ok := ToDense(h); ok {
			t.Errorf("ToDense(%q) ok", body)
		}
		var regs [Registers]uint8
		if Merge(&regs, h) {
			t.Errorf("Merge(%q) ok", body)
		}
	}
}

// FuzzHLL feeds arbitrary bytes behind a sparse or dense header to every
// function that walks registers: none may panic, and a string that Count
// accepts converts to dense with the same estimate.
func FuzzHLL(f *testing.F) {
	f.Add(byte(Sparse), []byte("\x7f\xff"), "a")
	f.Add(byte(Sparse), []byte("\x7f"), "b")
	f.Add(byte(Sparse), []byte("\x3f\x83\x40\x00"), "c")
	f.Add(byte(Dense), make([]byte, DenseSize-HeaderSize), "d")
	f.Fuzz(func(t *testing.T, enc byte, body []byte, ele string) {
		h := append([]byte("HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), body...)
		h[4] = enc
		if !Valid(string(h)) {
			return
		}
		card, ok := Count(h)
		var regs [Registers]uint8
		mok := Merge(&regs, h)
		if ok != mok {
			t.Fatalf("Count ok %v, Merge ok %v", ok, mok)
		}
		d, dok := ToDense(append([]byte(nil), h...))
		if dok != ok {
			t.Fatalf("Count ok %v, ToDense ok %v", ok, dok)
		}
		if ok {
			if c2, _ := Count(d); c2 != card {
				t.Fatalf("dense estimate %d, sparse %d", c2, card)
			}
			if c3 := CountRegisters(&regs); c3 != card {
				t.Fatalf("merged estimate %d, direct %d", c3, card)
			}
		}
		_ = Decode(h)
		h2, r := Add(append([]byte(nil), h...), ele, 3000)
		if r < 0 {
			return
		}
		if !Valid(string(h2)) {
			t.Fatalf("Add made an invalid HLL from a valid one")
		}
	})
}
