package longdouble

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// incrByFloat is what HINCRBYFLOAT does with a stored value and an
// increment, with Redis's error texts.
func incrByFloat(value, incr string) string {
	in, ok := Parse(incr)
	if !ok {
		return "ERR value is not a valid float"
	}
	if in.IsInf() {
		return "ERR value is NaN or Infinity"
	}
	v, ok := Parse(value)
	if !ok {
		return "ERR hash value is not a float"
	}
	sum := v.Add(in)
	if sum.IsInf() {
		return "ERR increment would produce NaN or Infinity"
	}
	return sum.Format()
}

// TestAgainstRedis replays increments whose replies were recorded from a
// real redis-server 7.0.15 on x86-64.
func TestAgainstRedis(t *testing.T) {
	f, err := os.Open("testdata/hincrbyfloat.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		p := strings.Split(line, "\t")
		if len(p) != 3 {
			t.Fatalf("bad line %q", line)
		}
		n++
		if got := incrByFloat(p[0], p[1]); got != p[2] {
			t.Errorf("%s + %s:\n got  %s\n want %s", p[0], p[1], got, p[2])
		}
	}
	if n == 0 {
		t.Fatal("no cases")
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		ok   bool
		want string
	}{
		{"1", true, "1"}, {"+1", true, "1"}, {"-1.5", true, "-1.5"}, {".5", true, "0.5"},
		{"5.", true, "5"}, {"1e3", true, "1000"}, {"1E+3", true, "1000"}, {"0x10", true, "16"},
		{"0x1p-1", true, "0.5"}, {"0X.8P1", true, "1"}, {"inf", true, "inf"}, {"-Infinity", true, "-inf"},
		{"0e99999999999999999999", true, "0"}, {"-0", true, "0"},
		{"", false, ""}, {" 1", false, ""}, {"1 ", false, ""}, {"nan", false, ""}, {"NaN", false, ""},
		{"infx", false, ""}, {"1e", false, ""}, {"1e+", false, ""}, {"0x", false, ""}, {"0xp1", false, ""},
		{"0x1p", false, ""}, {".", false, ""}, {"-", false, ""}, {"1_0", false, ""}, {"1e5000", false, ""},
		{"1e-5000", false, ""}, {"1e99999999999999999999", false, ""}, {"0x1p16384", false, ""},
		{"0x1p-16446", false, ""}, {"0x1.000001p-16446", true, "0"}, {strings.Repeat("1", MaxChars), false, ""},
		{"0x1p16383", true, ""}, {"abc", false, ""}, {"0x1.ffffffffffffffffp16383", false, ""},
		{"0x1.fffffffffffffffe8p16383", true, ""}, {"0x1.fffffffffffffffe7p16383", true, ""},
	} {
		f, ok := Parse(tc.in)
		if ok != tc.ok {
			t.Errorf("Parse(%.40q) ok = %v, want %v", tc.in, ok, tc.ok)
			continue
		}
		if ok && tc.want != "" && f.Format() != tc.want {
			t.Errorf("Parse(%q) = %s, want %s", tc.in, f.Format(), tc.want)
		}
	}
}

func TestAddOverflow(t *testing.T) {
	big, _ := Parse("1e4932")
	if !big.Add(big).IsInf() {
		t.Error("1e4932+1e4932 should overflow")
	}
	if big.Add(FromInt64(1)).IsInf() {
		t.Error("1e4932+1 should be finite")
	}
	if got := FromInt64(-3).Add(FromInt64(3)).Format(); got != "0" {
		t.Errorf("-3+3 = %s", got)
	}
	if got := FromInt64(1<<62).Float64(); got != 1<<62 {
		t.Errorf("Float64 = %v", got)
	}
}
