// Package longdouble emulates the arithmetic Redis 7.0 does in C's long
// double (the x87 80-bit extended format on x86-64: a 64-bit significand and
// a 15-bit exponent) for INCRBYFLOAT and HINCRBYFLOAT, so that embedis gives
// the same digits a real server gives for the same sequence of increments.
//
// Redis parses both operands with strtold (string2ld), adds them in long
// double, and formats the sum with "%.17Lf", dropping trailing zeros
// (ld2string in LD_STR_HUMAN mode). Doing the same in float64 would differ
// in the last digits for most non-trivial values (0.1+0.2 is one example),
// so the numbers here are math/big Floats rounded to 64 bits of
// significand, to nearest-even, with the exponent range of the x87 format:
//
//   - Parse rounds the exact decimal (or hexadecimal) value once, as glibc's
//     strtold does; it rejects what string2ld rejects: leading space,
//     trailing garbage, NaN, values that overflow, and non-zero values
//     that underflow to zero.
//   - Add rounds the exact sum once; a sum whose magnitude reaches 2^16384
//     is infinite, as in the hardware.
//   - Format converts the binary value exactly to decimal and rounds to 17
//     fractional digits half-to-even, as glibc's printf does.
//
// Subnormal results (below 2^-16382) keep more precision here than in the
// hardware; since every such number prints as 0 with 17 fractional digits
// and Redis stores the printed text, the difference is never visible.
package longdouble

import (
	"math/big"
	"strings"
)

// MaxChars is Redis's MAX_LONG_DOUBLE_CHARS: string2ld refuses inputs of
// this length or longer.
const MaxChars = 5 * 1024

const (
	prec = 64 // bits of significand of the x87 extended format
	// maxExp: the largest finite value is just below 2^16384, so a value
	// whose big.Float exponent (value = m * 2^exp, 0.5 <= m < 1) exceeds
	// 16384 is infinite.
	maxExp = 16384
	// tinyExp: glibc's strtold returns zero (with ERANGE) for non-zero
	// values of at most half the smallest subnormal, 2^-16445.
	tinyExp = -16446
)

// Float is a long double value. The zero value is +0.
type Float struct {
	f *big.Float // nil means zero
}

func newFloat() *big.Float { return new(big.Float).SetPrec(prec).SetMode(big.ToNearestEven) }

func (x Float) big() *big.Float {
	if x.f == nil {
		return newFloat()
	}
	return x.f
}

// FromInt64 returns n, which a long double holds exactly.
func FromInt64(n int64) Float { return Float{newFloat().SetInt64(n)} }

// IsInf reports whether x is an infinity.
func (x Float) IsInf() bool { return x.f != nil && x.f.IsInf() }

// Float64 returns x rounded to the nearest float64.
func (x Float) Float64() float64 {
	f, _ := x.big().Float64()
	return f
}

// Parse parses s as Redis's string2ld does (strtold plus Redis's checks)
// and reports whether Redis would accept it. Accepted are decimal and
// hexadecimal (0x1.8p3) floating-point numbers with an optional sign, and
// "inf"/"infinity" in any case. Rejected are the empty string, strings of
// MaxChars bytes or more, a leading space, trailing characters, NaN,
// values too large for a long double, and non-zero values so small that
// they round to zero.
func Parse(s string) (Float, bool) {
	if len(s) == 0 || len(s) >= MaxChars || isSpace(s[0]) {
		return Float{}, false
	}
	p := s
	neg := false
	if p[0] == '+' || p[0] == '-' {
		neg = p[0] == '-'
		p = p[1:]
	}
	var z *big.Float
	var ok bool
	switch {
	case len(p) > 0 && (p[0] == 'i' || p[0] == 'I'):
		if !strings.EqualFold(p, "inf") && !strings.EqualFold(p, "infinity") {
			return Float{}, false
		}
		z, ok = newFloat().SetInf(false), true
	case len(p) > 1 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'):
		z, ok = parseHex(p[2:])
	default:
		z, ok = parseDecimal(p)
	}
	if !ok {
		return Float{}, false
	}
	if neg {
		z.Neg(z)
	}
	return Float{z}, true
}

func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f'
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

func hexVal(b byte) (int, bool) {
	switch {
	case '0' <= b && b <= '9':
		return int(b - '0'), true
	case 'a' <= b && b <= 'f':
		return int(b-'a') + 10, true
	case 'A' <= b && b <= 'F':
		return int(b-'A') + 10, true
	}
	return 0, false
}

// parseExp parses an exponent's optional sign and digits, which must make
// up all of s, saturating far beyond any exponent that matters.
func parseExp(s string) (int64, bool) {
	neg := false
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 {
		return 0, false
	}
	var e int64
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		if e < 1<<40 {
			e = e*10 + int64(s[i]-'0')
		}
	}
	if neg {
		e = -e
	}
	return e, true
}

// parseDecimal parses digits[.digits][e[+-]digits] (at least one digit),
// which must be all of s, and rounds the value once.
func parseDecimal(s string) (*big.Float, bool) {
	i := 0
	var mant []byte // significant digits, leading zeros dropped
	var exp10 int64 // value = mant * 10^exp10
	digits := 0
	for ; i < len(s) && isDigit(s[i]); i++ {
		digits++
		if len(mant) > 0 || s[i] != '0' {
			mant = append(mant, s[i])
		}
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && isDigit(s[i]); i++ {
			digits++
			exp10--
			if len(mant) > 0 || s[i] != '0' {
				mant = append(mant, s[i])
			}
		}
	}
	if digits == 0 {
		return nil, false
	}
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return nil, false
		}
		e, ok := parseExp(s[i+1:])
		if !ok {
			return nil, false
		}
		exp10 += e
	}
	z := newFloat()
	if len(mant) == 0 {
		return z, true // an exact zero: no range error
	}
	for len(mant) > 1 && mant[len(mant)-1] == '0' {
		mant = mant[:len(mant)-1]
		exp10++
	}
	// The value lies in [10^mag, 10^(mag+1)). Far outside the long double
	// range, answer without building huge numbers.
	mag := int64(len(mant)-1) + exp10
	if mag > 4940 {
		return nil, false // overflow
	}
	if mag < -4960 {
		return nil, false // underflow to zero
	}
	m, _ := new(big.Int).SetString(string(mant), 10)
	if exp10 >= 0 {
		m.Mul(m, new(big.Int).Exp(big.NewInt(10), big.NewInt(exp10), nil))
		z.SetInt(m)
	} else {
		den := new(big.Int).Exp(big.NewInt(10), big.NewInt(-exp10), nil)
		r := new(big.Rat).SetFrac(m, den)
		// Zero after rounding to the subnormal grid: at most 2^tinyExp.
		limit := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Lsh(big.NewInt(1), -tinyExp))
		if r.Cmp(limit) <= 0 {
			return nil, false
		}
		z.SetRat(r)
	}
	if z.MantExp(nil) > maxExp {
		return nil, false
	}
	return z, true
}

// parseHex parses hexdigits[.hexdigits][p[+-]digits] (at least one hex
// digit), the part of a hexadecimal float after "0x", which must be all of
// s. Without a hex digit, strtold reads just the "0" and stops at the 'x',
// which Redis rejects as trailing garbage.
func parseHex(s string) (*big.Float, bool) {
	i := 0
	m := new(big.Int)
	var exp2 int64
	digits := 0
	for ; i < len(s); i++ {
		v, ok := hexVal(s[i])
		if !ok {
			break
		}
		digits++
		m.Lsh(m, 4).Or(m, big.NewInt(int64(v)))
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s); i++ {
			v, ok := hexVal(s[i])
			if !ok {
				break
			}
			digits++
			exp2 -= 4
			m.Lsh(m, 4).Or(m, big.NewInt(int64(v)))
		}
	}
	if digits == 0 {
		return nil, false
	}
	if i < len(s) {
		if s[i] != 'p' && s[i] != 'P' {
			return nil, false
		}
		e, ok := parseExp(s[i+1:])
		if !ok {
			return nil, false
		}
		exp2 += e
	}
	z := newFloat()
	if m.Sign() == 0 {
		return z, true
	}
	// value = m * 2^exp2, with 2^(L-1) <= m < 2^L.
	top := int64(m.BitLen()-1) + exp2 // floor(log2(value))
	if top >= maxExp {
		return nil, false // at least 2^16384: overflow
	}
	if top < tinyExp || (top == tinyExp && m.TrailingZeroBits() == uint(m.BitLen()-1)) {
		return nil, false // at most 2^tinyExp: rounds to zero
	}
	z.SetInt(m)
	z.SetMantExp(z, int(exp2))
	if z.MantExp(nil) > maxExp {
		return nil, false
	}
	return z, true
}

// Add returns x+y rounded to a long double; the result is infinite when it
// overflows (and when x or y is). Adding infinities of opposite signs,
// which would be NaN, returns an infinity too: callers reject infinite
// operands first, as Redis does.
func (x Float) Add(y Float) Float {
	a, b := x.big(), y.big()
	if a.IsInf() {
		return Float{newFloat().Set(a)}
	}
	if b.IsInf() {
		return Float{newFloat().Set(b)}
	}
	z := newFloat().Add(a, b)
	if z.MantExp(nil) > maxExp {
		z.SetInf(z.Signbit())
	}
	return Float{z}
}

// Format formats x as ld2string does in LD_STR_HUMAN mode: "%.17Lf" with
// the trailing zeros after the point dropped (and the point itself when
// nothing follows it), and "-0" written as "0". Infinities are "inf" and
// "-inf".
func (x Float) Format() string {
	z := x.big()
	if z.IsInf() {
		if z.Signbit() {
			return "-inf"
		}
		return "inf"
	}
	s := z.Text('f', 17)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}
