package lcs

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// redisShape renders a result as Redis's reply converted by cjson in a
// script: [lcs, ["matches", [[[a0,a1],[b0,b1],len]...], "len", n]].
func redisShape(a, b string, minLen int) string {
	s, runs := Compute(a, b, true, minLen)
	ms := make([]any, 0, len(runs))
	for _, m := range runs {
		ms = append(ms, []any{[]int{m.A0, m.A1}, []int{m.B0, m.B1}, m.Len()})
	}
	if len(ms) == 0 {
		// cjson encodes an empty Lua table as an object.
		return fmt.Sprintf(`[%q,["matches",{},"len",%d]]`, s, len(s))
	}
	out, _ := json.Marshal([]any{s, []any{"matches", ms, "len", len(s)}})
	return string(out)
}

func TestAgainstRedis(t *testing.T) {
	data, err := os.ReadFile("testdata/redis-7.0.15.txt")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		var minLen int
		fmt.Sscan(f[2], &minLen)
		if got := redisShape(f[0], f[1], minLen); got != f[3] {
			t.Errorf("LCS %q %q MINMATCHLEN %d:\n got  %s\n want %s", f[0], f[1], minLen, got, f[3])
		}
		n++
	}
	if n < 100 {
		t.Fatalf("only %d cases", n)
	}
}

func TestExamples(t *testing.T) {
	s, runs := Compute("ohmytext", "mynewtext", true, 0)
	want := []Match{{4, 7, 5, 8}, {2, 3, 0, 1}}
	if s != "mytext" || fmt.Sprint(runs) != fmt.Sprint(want) {
		t.Fatalf("got %q %v", s, runs)
	}
	if s, runs := Compute("", "abc", true, 0); s != "" || runs != nil {
		t.Fatalf("empty: %q %v", s, runs)
	}
	if _, runs := Compute("ohmytext", "mynewtext", false, 0); runs != nil {
		t.Fatalf("runs without matches: %v", runs)
	}
}

// TestLengthAgrees checks the linear-memory Length against the table, and
// that the result is a common subsequence, on seeded random strings.
func TestLengthAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	gen := func() string {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte('a' + r.IntN(4))
		}
		return string(b)
	}
	isSub := func(s, of string) bool {
		i := 0
		for j := 0; j < len(of) && i < len(s); j++ {
			if of[j] == s[i] {
				i++
			}
		}
		return i == len(s)
	}
	for n := 0; n < 500; n++ {
		a, b := gen(), gen()
		s, runs := Compute(a, b, true, 0)
		if Length(a, b) != len(s) || !isSub(s, a) || !isSub(s, b) {
			t.Fatalf("%q %q: lcs %q, Length %d", a, b, s, Length(a, b))
		}
		total := 0
		for _, m := range runs {
			if a[m.A0:m.A1+1] != b[m.B0:m.B1+1] {
				t.Fatalf("%q %q: run %v does not match", a, b, m)
			}
			total += m.Len()
		}
		if total != len(s) {
			t.Fatalf("%q %q: runs cover %d of %d", a, b, total, len(s))
		}
	}
	if got := TableBytes(11584, 11584); got > 512<<20 {
		t.Fatalf("TableBytes(11584,11584) = %d, Redis accepts it", got)
	}
	if got := TableBytes(11585, 11585); got <= 512<<20 {
		t.Fatalf("TableBytes(11585,11585) = %d, Redis refuses it", got)
	}
}
