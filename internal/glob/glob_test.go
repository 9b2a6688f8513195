package glob

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// The cases below were checked against redis-server 7.0.15 with KEYS (one
// key, one pattern each; "*" aside, which KEYS answers without matching).
var cases = []struct {
	pattern, s string
	want       bool
}{
	{"", "", true},
	{"", "a", false},
	{"*", "", false}, // Redis's loop never starts on an empty string
	{"**", "", false},
	{"*", "a", true},
	{"*", "hello", true},
	{"h*o", "hello", true},
	{"h*o", "hell", false},
	{"h*l*o", "hello", true},
	{"*llo", "hello", true},
	{"*ll", "hello", false},
	{"he*", "he", true},
	{"he**", "he", true},
	{"?", "", false},
	{"?", "a", true},
	{"?", "ab", false},
	{"h?llo", "hallo", true},
	{"h?llo", "hllo", false},
	{"h[ae]llo", "hello", true},
	{"h[ae]llo", "hillo", false},
	{"h[^e]llo", "hallo", true},
	{"h[^e]llo", "hello", false},
	{"h[a-b]llo", "hbllo", true},
	{"h[b-a]llo", "hbllo", true}, // reversed range
	{"h[a-b]llo", "hcllo", false},
	{"[]", "a", false},           // empty class
	{"[]", "]", false},           // empty class
	{"[]a]", "]", false},         // "[]" then "a]"
	{"[]a]", "a]", false},        // the class needs a byte
	{"[]a]", "xa]", false},       // the empty class matches nothing
	{"[^]", "x", true},           // negated empty class: any byte
	{"[^]a]", "xa]", true},       // "[^]" then "a]"
	{"[", "a", false},            // unclosed empty class
	{"[ab", "a", true},           // unclosed class
	{"[ab", "c", false},          // unclosed class
	{"[^", "a", true},            // unclosed negated empty class
	{"[a-]", "]", true},          // range ']'..'a', class unclosed
	{"[a-]", "_", true},          // inside ']'..'a'
	{"[a-]", "-", false},         // '-' is not in the range
	{"[a-]x", "_", true},         // the range eats "a-]"; "x" is still in the class
	{"[a-]x", "x", true},         // the range eats "a-]"; "x" is still in the class
	{"[-a]", "-", true},          // leading '-' is a literal
	{"[\\]]", "]", true},         // escaped ']'
	{"[\\]", "]", true},          // escaped ']', unclosed
	{"[\\]", "\\", false},        // the backslash escapes
	{"[a\\-z]", "-", true},       // escaped '-' is a literal
	{"[a\\-z]", "b", false},      // so this is not a range
	{"\\*", "*", true},           // escaped star
	{"\\*", "a", false},          // escaped star
	{"\\?", "?", true},           // escaped question mark
	{"\\?", "a", false},          // escaped question mark
	{"a\\", "a\\", true},         // trailing backslash is literal
	{"\\", "\\", true},           // lone backslash
	{"\\[a]", "[a]", true},       // escaped bracket
	{"\\[a]", "a", false},        // escaped bracket
	{"*\\*", "ab*", true},        // star then escaped star
	{"[*]", "*", true},           // star in a class is literal
	{"[?]", "a", false},          // so is '?'
	{"a*b*c", "abc", true},       // stars match empty runs
	{"a*b*c", "aXbYc", true},     // and non-empty ones
	{"a*b*c", "aXbY", false},     // missing c
	{"*a*a*a*b", "aaaab", true},  // backtracking
	{"*a*a*a*b", "aaaaa", false}, // backtracking fails
	{"[\x80-a]", "b", false},     // signed chars: 0x80 is -128, range -128..97
	{"[\x80-a]", "a", true},      // signed chars
	{"[\x80-a]", "\x90", true},   // -112 is in -128..97
	{"[a-\xff]", "\x80", false},  // range -1..97 excludes -128
	{"[a-\xff]", "\xff", true},   // and includes -1
	{"[a-\xff]", "A", true},      // and 65
	{"[a-\xff]", "b", false},     // but not 98
	{"h\x00o", "h\x00o", true},   // NUL bytes are ordinary
	{"h?o", "h\x00o", true},      // NUL bytes are ordinary
}

func TestMatchCases(t *testing.T) {
	for _, c := range cases {
		if got := Match(c.pattern, c.s, false); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pattern, c.s, got, c.want)
		}
		if ref := redisMatch(c.pattern, c.s, false); ref != c.want {
			t.Errorf("reference(%q, %q) = %v, want %v (bad case)", c.pattern, c.s, ref, c.want)
		}
	}
}

func TestMatchNoCase(t *testing.T) {
	for _, c := range []struct {
		pattern, s string
		want       bool
	}{
		{"HELLO", "hello", true},
		{"h*O", "HELLO", true},
		{"[A-C]x", "bX", true},
		{"[a-c]x", "BX", true},
		{"[^a]", "A", false},
		{"[\\A]", "a", false}, // an escaped byte in a class matches exactly
		{"[\\A]", "A", true},
		{"\\A", "a", true}, // outside a class the escape is still case-blind
		// The ends are swapped before they are lowered: 'Z'..'a' becomes
		// 'z'..'a', which is empty.
		{"[Z-a]", "_", false},
		{"[Z-a]", "z", false},
		{"[Z-a]", "a", false},
		{"[a-Z]", "_", false},
	} {
		if got := Match(c.pattern, c.s, true); got != c.want {
			t.Errorf("Match(%q, %q, nocase) = %v, want %v", c.pattern, c.s, got, c.want)
		}
		if ref := redisMatch(c.pattern, c.s, true); ref != c.want {
			t.Errorf("reference(%q, %q, nocase) = %v, want %v (bad case)", c.pattern, c.s, ref, c.want)
		}
	}
}

// TestMatchAgreesWithRedis compares the compiled matcher with a literal
// port of Redis's recursive stringmatchlen on random patterns and strings
// over a small alphabet rich in special bytes.
func TestMatchAgreesWithRedis(t *testing.T) {
	const alphabet = "ab*?[]^-\\A\x80\xff"
	rnd := rand.New(rand.NewPCG(1, 2))
	gen := func(n int, alpha string) string {
		var b strings.Builder
		for i := rnd.IntN(n + 1); i > 0; i-- {
			b.WriteByte(alpha[rnd.IntN(len(alpha))])
		}
		return b.String()
	}
	for i := 0; i < 200000; i++ {
		pat := gen(8, alphabet)
		s := gen(6, "ab]-A\\\x80\xff")
		nocase := i%2 == 1
		if got, want := Match(pat, s, nocase), redisMatch(pat, s, nocase); got != want {
			t.Fatalf("Match(%q, %q, nocase=%v) = %v, Redis says %v", pat, s, nocase, got, want)
		}
	}
}

// TestNoExponentialBacktracking: patterns that made Redis's matcher before
// 7.0.9 take exponential time finish at once.
func TestNoExponentialBacktracking(t *testing.T) {
	s := strings.Repeat("a", 20000)
	pat := strings.Repeat("*a", 30) + "*b"
	if Match(pat, s, false) {
		t.Fatal("matched a string without b")
	}
	if !Match(pat, s+"b", false) {
		t.Fatal("did not match a string ending in b")
	}
	long := strings.Repeat("*?", 5000) + "x"
	if Match(long, s, true) {
		t.Fatal("matched a string without x")
	}
}

func TestMatchAll(t *testing.T) {
	for _, p := range []string{"*", "**", "***"} {
		if !Compile(p, false).MatchAll() {
			t.Errorf("%q: MatchAll false", p)
		}
	}
	for _, p := range []string{"", "a*", "*a", "\\*", "[*]"} {
		if Compile(p, false).MatchAll() {
			t.Errorf("%q: MatchAll true", p)
		}
	}
}

// redisMatch is a line-by-line port of Redis's stringmatchlen (without
// the 7.0.9 early exit, which does not change results), used as the
// reference. at reads a byte like C reads a NUL-terminated buffer.
func redisMatch(pattern, s string, nocase bool) bool {
	return refMatch(pattern, 0, s, 0, nocase)
}

func refMatch(pattern string, p int, s string, si int, nocase bool) bool {
	at := func(str string, i int) int {
		if i < len(str) {
			return int(int8(str[i]))
		}
		return 0
	}
	tolower := func(c int) int { return ctolower(c) }
	plen, slen := len(pattern)-p, len(s)-si
	for plen > 0 && slen > 0 {
		switch at(pattern, p) {
		case '*':
			for plen > 0 && at(pattern, p+1) == '*' {
				p++
				plen--
			}
			if plen == 1 {
				return true
			}
			for slen > 0 {
				if refMatch(pattern, p+1, s, si, nocase) {
					return true
				}
				si++
				slen--
			}
			return false
		case '?':
			si++
			slen--
		case '[':
			p++
			plen--
			not := at(pattern, p) == '^'
			if not {
				p++
				plen--
			}
			match := false
			for {
				if at(pattern, p) == '\\' && plen >= 2 {
					p++
					plen--
					if at(pattern, p) == at(s, si) {
						match = true
					}
				} else if at(pattern, p) == ']' {
					break
				} else if plen == 0 {
					p--
					plen++
					break
				} else if plen >= 3 && at(pattern, p+1) == '-' {
					start, end, c := at(pattern, p), at(pattern, p+2), at(s, si)
					if start > end {
						start, end = end, start
					}
					if nocase {
						start, end, c = tolower(start), tolower(end), tolower(c)
					}
					p += 2
					plen -= 2
					if c >= start && c <= end {
						match = true
					}
				} else if !nocase {
					if at(pattern, p) == at(s, si) {
						match = true
					}
				} else if tolower(at(pattern, p)) == tolower(at(s, si)) {
					match = true
				}
				p++
				plen--
			}
			if not {
				match = !match
			}
			if !match {
				return false
			}
			si++
			slen--
		default:
			if at(pattern, p) == '\\' && plen >= 2 {
				p++
				plen--
			}
			if !nocase {
				if at(pattern, p) != at(s, si) {
					return false
				}
			} else if tolower(at(pattern, p)) != tolower(at(s, si)) {
				return false
			}
			si++
			slen--
		}
		p++
		plen--
		if slen == 0 {
			for at(pattern, p) == '*' {
				p++
				plen--
			}
			break
		}
	}
	return plen == 0 && slen == 0
}

func BenchmarkMatch(b *testing.B) {
	p := Compile("user:*:session[0-9]", false)
	s := "user:12345678:session7"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !p.Match(s) {
			b.Fatal("no match")
		}
	}
}
