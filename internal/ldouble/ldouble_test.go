package ldouble

import (
	"os"
	"strings"
	"testing"
)

// incrByFloat is what INCRBYFLOAT does with a stored value a and an
// increment b, as reply text.
func incrByFloat(a, b string) string {
	va, ok1 := Parse(a)
	vb, ok2 := Parse(b)
	if !ok1 || !ok2 {
		return "ERR value is not a valid float"
	}
	s, ok := Add(va, vb)
	if !ok {
		return "ERR increment would produce NaN or Infinity"
	}
	return FormatHuman(s)
}

// TestEdgeCases: replies of a real redis-server 7.0.15 (x86-64) to
// SET k a; INCRBYFLOAT k b.
func TestEdgeCases(t *testing.T) {
	const notFloat = "ERR value is not a valid float"
	const nanInf = "ERR increment would produce NaN or Infinity"
	for _, c := range []struct{ a, b, want string }{
		{"10.5", "0.1", "10.6"},
		{"0.1", "0.2", "0.3"},
		{"5.0e3", "0", "5000"},
		{"0", "1e5", "100000"},
		{"100000", "0x10", "100016"},
		{"0", " 1", notFloat},
		{"0", "1 ", notFloat},
		{"0", "", notFloat},
		{"abc", "1", notFloat},
		{"0", "-0", "0"},
		{"0", "-1e-20", "0"},
		{"0", "0.000003814697265625", "0.00000381469726562"}, // tie: half to even
		{"0", "1e-4951", notFloat},                           // underflows to zero
		{"0", "2e-4951", "0"},                                // a subnormal
		{"0", "0x1p-16445", "0"},
		{"0", "0x1p-16446", notFloat},
		{"0", "0x1.0000001p-16446", "0"},
		{"0", "1.19e4932", notFloat},
		{"0", "0x1p16384", notFloat},
		{"0", "inf", nanInf},
		{"inf", "1", nanInf},
		{"-inf", "inf", nanInf},
		{"0", "INFINITY", nanInf},
		{"0", "nan", notFloat},
		{"0", "nan(123)", notFloat},
		{"0", "infin", notFloat},
		{"0", "0x", notFloat},
		{"0", "0x.8", "0.5"},
		{"0.5", "0x8.", "8.5"},
		{"0", "0x1p", notFloat},
		{"0", "1e+", notFloat},
		{"0", "1_0", notFloat},
		{"0", "0b1", notFloat},
		{"0", "1E2", "100"},
		{"0", ".5", "0.5"},
		{"0", "5.", "5"},
		{"0", "+.5e1", "5"},
		{"0", ".", notFloat},
		{"0", "1\x00", notFloat},
		{"0", "0e-999999999999999999999999", "0"},
		{"0", "1e-999999999999999999999999", notFloat},
		{"0", "1e999999999999999999999999", notFloat},
		{"1e308", "1e308", "199999999999999999993371759311691291321120199694831134415594095989843469737676123744200253843777078640893494450108026446304269499187921167194841628860392837535918200039206381557326219209014213335878306791577877829121087126122536729803237260434173178506889763247582601711514636284849020905456510092687857156096"},
		{"11111111111111111111111111111111111111111111111111", "1", "11111111111111111111157189290920927820784081043456"},
		{strings.Repeat("1", 5119), "0", notFloat}, // beyond any long double
		{strings.Repeat("0", 5119), "1", "1"},
		{strings.Repeat("0", 5120), "1", notFloat}, // too long for string2ld
	} {
		if got := incrByFloat(c.a, c.b); got != c.want {
			t.Errorf("%q + %q = %.60q, want %.60q", c.a, c.b, got, c.want)
		}
	}
}

// TestAgainstRedis replays pairs recorded from a real redis-server 7.0.15
// (random decimal and hexadecimal inputs of every magnitude, seeded).
func TestAgainstRedis(t *testing.T) {
	data, err := os.ReadFile("testdata/redis-7.0.15.txt")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		ab, want, _ := strings.Cut(line, "\t")
		a, b, _ := strings.Cut(ab, " ")
		if got := incrByFloat(a, b); got != want {
			t.Errorf("%q + %q = %.60q, want %.60q", a, b, got, want)
		}
		n++
	}
	if n < 100 {
		t.Fatalf("only %d cases", n)
	}
}
