package streamid

import (
	"math"
	"testing"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in       string
		missing  uint64
		strict   bool
		want     ID
		ok       bool
		seqGiven bool
	}{
		{"1-2", 0, true, ID{1, 2}, true, true},
		{"5", 0, true, ID{5, 0}, true, true},
		{"5", math.MaxUint64, true, ID{5, math.MaxUint64}, true, true},
		{"5-*", 0, true, ID{5, 0}, true, false},
		{"-", 0, false, ID{}, true, true},
		{"+", 0, false, Max, true, true},
		{"-", 0, true, ID{}, false, true},
		{"+", 0, true, ID{}, false, true},
		{"07-01", 0, true, ID{7, 1}, true, true},
		{" +8", 0, true, ID{8, 0}, true, true},
		{"9--01", 0, true, ID{9, math.MaxUint64}, true, true},
		{"9--1", 0, true, ID{}, false, true},
		{"9--0", 0, true, ID{9, 0}, true, true},
		{"-5", 0, true, ID{}, false, true},
		{"1-", 0, true, ID{}, false, true},
		{"1-x", 0, true, ID{}, false, true},
		{"18446744073709551615-18446744073709551615", 0, true, Max, true, true},
		{"18446744073709551616", 0, true, ID{}, false, true},
		{"9-10000000000000000000", 0, true, ID{9, 10000000000000000000}, true, true},
		{"9--10000000000000000000", 0, true, ID{9, 8446744073709551616}, true, true},
		{"", 0, true, ID{}, false, true},
		{" ", 0, true, ID{}, false, true},
		{"1 ", 0, true, ID{}, false, true},
	} {
		var sg bool
		got, ok := Parse(c.in, c.missing, c.strict, &sg)
		if ok != c.ok || (ok && (got != c.want || sg != c.seqGiven)) {
			t.Errorf("Parse(%q): %v %v %v, want %v %v %v", c.in, got, ok, sg, c.want, c.ok, c.seqGiven)
		}
	}
	if _, ok := Parse("5-*", 0, true, nil); ok {
		t.Error("ms-* accepted without seqGiven")
	}
	long := make([]byte, 128)
	for i := range long {
		long[i] = '1'
	}
	if _, ok := Parse(string(long), 0, true, nil); ok {
		t.Error("128-byte ID accepted")
	}
}

func TestOrderAndSteps(t *testing.T) {
	a, b := ID{1, 5}, ID{2, 0}
	if !a.Less(b) || a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Fatal("order")
	}
	if n, ok := (ID{1, math.MaxUint64}).Next(); !ok || n != (ID{2, 0}) {
		t.Fatalf("Next: %v", n)
	}
	if _, ok := Max.Next(); ok {
		t.Fatal("Max.Next")
	}
	if p, ok := (ID{2, 0}).Prev(); !ok || p != (ID{1, math.MaxUint64}) {
		t.Fatalf("Prev: %v", p)
	}
	if _, ok := (ID{}).Prev(); ok {
		t.Fatal("0-0.Prev")
	}
	if s := (ID{12, 3}).String(); s != "12-3" {
		t.Fatal(s)
	}
	if !(ID{}).IsZero() || (ID{0, 1}).IsZero() {
		t.Fatal("IsZero")
	}
}
