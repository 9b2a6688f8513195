// Package glob matches strings against Redis's glob-style patterns, with the
// semantics of Redis 7.0's stringmatchlen (used by KEYS, SCAN MATCH,
// PSUBSCRIBE, CONFIG GET and others), quirks included:
//
//   - any run of bytes
//     ?        any one byte
//     [abc]    one of the bytes listed
//     [^abc]   one byte not listed
//     [a-z]    one byte in the range (the ends may be given in either order)
//     \x       the byte x, literally (inside and outside brackets)
//
// The quirks Redis has and this package keeps:
//
//   - The empty string matches only the empty pattern ("*" does not match "").
//   - An unclosed bracket extends to the end of the pattern: "[ab" is the
//     class {a, b}, and "[" the empty class, which matches nothing.
//   - "[]" is the empty class; "[^]" matches any byte.
//   - In a class, "x-y" is a range whenever three bytes remain, whatever
//     they are: "[a-]" is the range from ']' to 'a', after which the class
//     is unclosed.
//   - Range ends and the byte tested are compared as C's signed chars, so a
//     byte of 0x80 or more sorts below every ASCII byte.
//   - A backslash at the end of the pattern is a literal backslash.
//   - With nocase, ASCII letters match either case, except a byte escaped
//     inside a class, which matches exactly.
//
// Redis's own matcher backtracks recursively, one level per '*'. Since
// 7.0.9 it cuts the search short once a suffix has failed everywhere; before
// that, a pattern such as "*a*a*a*a*a*a*b" against a long run of 'a's took
// exponential time. This package compiles the pattern to a sequence of
// byte sets and stars and matches with a single backtracking point (the last
// star seen), which gives the same answers in O(len(pattern)*len(s)) time at
// worst: once the part after the last star has failed at one start, a longer
// match of an earlier star cannot help, because the later star can absorb
// any difference.
package glob

// set is a set of bytes, one bit per byte value.
type set [4]uint64

func (s *set) add(b byte)      { s[b>>6] |= 1 << (b & 63) }
func (s *set) has(b byte) bool { return s[b>>6]&(1<<(b&63)) != 0 }
func (s *set) invert()         { s[0], s[1], s[2], s[3] = ^s[0], ^s[1], ^s[2], ^s[3] }

func (s *set) addFunc(f func(b byte) bool) {
	for i := 0; i < 256; i++ {
		if f(byte(i)) {
			s.add(byte(i))
		}
	}
}

// token is one element of a compiled pattern: a star, or a set of bytes
// that matches exactly one byte of the string.
type token struct {
	star bool
	set  set
}

// Pattern is a compiled pattern. It is immutable and safe for concurrent
// use.
type Pattern struct {
	toks []token
	// all is true for the pattern "*" and longer runs of stars, which match
	// every non-empty string.
	all bool
}

// Compile compiles a pattern. Every byte string is a valid pattern, so
// Compile cannot fail.
func Compile(pattern string, nocase bool) *Pattern {
	p := &Pattern{}
	for i := 0; i < len(pattern); {
		var t token
		switch pattern[i] {
		case '*':
			for i < len(pattern) && pattern[i] == '*' {
				i++
			}
			t.star = true
		case '?':
			t.set.invert()
			i++
		case '[':
			i = compileClass(pattern, i+1, nocase, &t.set)
		case '\\':
			if i+1 < len(pattern) {
				i++
			}
			literal(pattern[i], nocase, &t.set)
			i++
		default:
			literal(pattern[i], nocase, &t.set)
			i++
		}
		p.toks = append(p.toks, t)
	}
	p.all = len(p.toks) == 1 && p.toks[0].star
	return p
}

// literal adds the byte b, and with nocase its other ASCII case, to s.
func literal(b byte, nocase bool, s *set) {
	s.add(b)
	if nocase {
		s.add(lower(b))
		s.add(upper(b))
	}
}

// compileClass parses a bracket class that starts at pattern[i] (just
// after the '['), fills s, and returns the index after the class. It walks
// the class exactly as Redis does for one string byte, but records the
// outcome for all 256 bytes at once.
func compileClass(pattern string, i int, nocase bool, s *set) int {
	not := i < len(pattern) && pattern[i] == '^'
	if not {
		i++
	}
	for {
		rest := len(pattern) - i
		switch {
		case rest >= 2 && pattern[i] == '\\':
			// An escaped byte matches exactly, even with nocase.
			i++
			s.add(pattern[i])
		case rest > 0 && pattern[i] == ']':
			i++
			goto done
		case rest == 0:
			// Unclosed: the class ends with the pattern.
			goto done
		case rest >= 3 && pattern[i+1] == '-':
			rangeSet(pattern[i], pattern[i+2], nocase, s)
			i += 2
		default:
			literal(pattern[i], nocase, s)
		}
		i++
	}
done:
	if not {
		s.invert()
	}
	return i
}

// rangeSet adds the bytes of the range a-b to s, with C's signed-char
// comparisons and, under nocase, tolower applied to both ends and to the
// byte tested.
func rangeSet(a, b byte, nocase bool, s *set) {
	start, end := int(int8(a)), int(int8(b))
	if start > end {
		start, end = end, start
	}
	if nocase {
		start, end = ctolower(start), ctolower(end)
	}
	s.addFunc(func(c byte) bool {
		v := int(int8(c))
		if nocase {
			v = ctolower(v)
		}
		return start <= v && v <= end
	})
}

// ctolower is C's tolower in the C locale on a (possibly negative) char.
func ctolower(v int) int {
	if 'A' <= v && v <= 'Z' {
		return v + 'a' - 'A'
	}
	return v
}

func lower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func upper(b byte) byte {
	if 'a' <= b && b <= 'z' {
		return b - ('a' - 'A')
	}
	return b
}

// MatchAll reports whether the pattern is "*" (or "**"...), which matches
// every non-empty string; callers can skip matching altogether.
func (p *Pattern) MatchAll() bool { return p.all }

// Match reports whether s matches the pattern.
func (p *Pattern) Match(s string) bool {
	toks := p.toks
	if len(s) == 0 {
		// Redis's loop never starts on an empty string: only the empty
		// pattern matches it.
		return len(toks) == 0
	}
	// pi, si: the positions in the pattern and the string. After a star,
	// starP is the token after it and starS the string position it was
	// tried from; on a mismatch the star absorbs one more byte.
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(toks) {
			t := &toks[pi]
			if t.star {
				pi++
				if pi == len(toks) {
					return true
				}
				starP, starS = pi, si
				continue
			}
			if t.set.has(s[si]) {
				pi++
				si++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		starS++
		pi, si = starP, starS
	}
	for pi < len(toks) && toks[pi].star {
		pi++
	}
	return pi == len(toks)
}

// Match reports whether s matches pattern; see the package documentation
// for the syntax. To match many strings against one pattern, Compile it
// once.
func Match(pattern, s string, nocase bool) bool {
	return Compile(pattern, nocase).Match(s)
}
