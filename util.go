package embedis

import (
	"math"
	"strconv"
	"strings"
)

// parseInt parses a 64-bit integer exactly as Redis's string2ll does: an
// optional '-', no '+', no leading zeros (except "0" itself), no spaces, at
// most 20 bytes. Anything Redis would reject is rejected.
func parseInt(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 20 {
		return 0, false
	}
	if len(s) == 1 && s[0] == '0' {
		return 0, true
	}
	neg := false
	p := s
	if p[0] == '-' {
		neg = true
		p = p[1:]
		if len(p) == 0 {
			return 0, false
		}
	}
	if p[0] < '1' || p[0] > '9' {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(p); i++ {
		d := p[i]
		if d < '0' || d > '9' {
			return 0, false
		}
		if v > (math.MaxUint64-9)/10 {
			return 0, false
		}
		v = v*10 + uint64(d-'0')
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return int64(-v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// parseFloat parses a double as Redis's string2d/getDoubleFromObject does
// (strtod): no leading space, the whole string consumed, NaN rejected.
// "inf", "+inf", "-inf" and "infinity" are accepted.
func parseFloat(s string) (float64, bool) {
	if len(s) == 0 || isSpace(s[0]) || strings.ContainsRune(s, '_') {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Syntax errors, and overflow, which Redis rejects as strtod's
		// ERANGE.
		return 0, false
	}
	if math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f'
}

// stringEncoding is the encoding Redis 7.0 gives a string stored by SET and
// similar commands (tryObjectEncoding): int when it is a 64-bit integer of
// at most 20 bytes, embstr up to 44 bytes, raw beyond.
func stringEncoding(s string) uint8 {
	if len(s) <= 20 {
		if _, ok := parseInt(s); ok {
			return encInt
		}
	}
	if len(s) <= 44 {
		return encEmbstr
	}
	return encRaw
}

// eqFold reports whether s equals the lower-case word w, ignoring the case
// of s. Used for option keywords.
func eqFold(s, w string) bool {
	if len(s) != len(w) {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if b != w[i] {
			return false
		}
	}
	return true
}

// intArg parses an integer argument, answering ErrNotInteger.
func intArg(s string) (int64, Value, bool) {
	n, ok := parseInt(s)
	if !ok {
		return 0, errNotInteger, false
	}
	return n, Value{}, true
}

// floatArg parses a float argument, answering ErrNotFloat.
func floatArg(s string) (float64, Value, bool) {
	f, ok := parseFloat(s)
	if !ok {
		return 0, errNotFloat, false
	}
	return f, Value{}, true
}
