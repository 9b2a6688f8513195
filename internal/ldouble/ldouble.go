// Package ldouble emulates the x87 80-bit long double arithmetic that Redis
// uses for INCRBYFLOAT (and HINCRBYFLOAT): parsing as glibc's strtold does
// under Redis's string2ld checks, one correctly rounded addition, and the
// "%.17Lf with trailing zeros removed" formatting of Redis's ld2string in
// its human-friendly mode.
//
// A long double has a 64-bit significand and a 15-bit exponent: normal
// values span 2^-16382 to just under 2^16384, and subnormal values go down
// to 2^-16445 with fewer significant bits. float64 has 53 bits, so it gives
// different digits (Redis prints 0.1+0.2 as "0.3" because the long double
// sum rounds to 0.30000000000000000 at 17 decimals, where the double sum
// does not). Values are math/big.Floats at precision 64 with
// round-to-nearest-even, which is exactly the long double arithmetic for
// every normal result; subnormal inputs are rounded to the subnormal grid
// explicitly, and sums of values on that grid are exact there, so no
// result differs from the hardware's.
package ldouble

import (
	"math/big"
	"strings"
)

const (
	// Prec is the significand precision of an x87 long double.
	Prec = 64
	// maxExp is the exponent (as big.Float.MantExp reports it, with the
	// mantissa in [0.5, 1)) of the largest finite long double; a value
	// whose exponent exceeds it is infinite.
	maxExp = 16384
	// minNormalExp is the MantExp exponent of the smallest normal value,
	// 2^-16382.
	minNormalExp = -16381
	// subnormalShift: every long double is an integer multiple of
	// 2^-subnormalShift (the smallest subnormal).
	subnormalShift = 16445
	// maxChars mirrors Redis's MAX_LONG_DOUBLE_CHARS: string2ld refuses
	// strings of this length or longer.
	maxChars = 5 * 1024
)

// Parse converts s to a long double as Redis's string2ld does: strtold in
// the C locale, with the whole string consumed, no leading white space, no
// NaN, and no overflow or underflow to zero (a result that underflows to a
// nonzero subnormal is accepted). Decimal and hexadecimal ("0x1.8p3")
// notation, an optional sign, and "inf"/"infinity" in any case are
// accepted. The result is rounded to nearest, ties to even, as strtold
// rounds. ok is false when Redis would reply "value is not a valid float".
func Parse(s string) (v *big.Float, ok bool) {
	if len(s) == 0 || len(s) >= maxChars || isSpace(s[0]) {
		return nil, false
	}
	neg := false
	p := s
	if p[0] == '+' || p[0] == '-' {
		neg = p[0] == '-'
		p = p[1:]
	}
	switch {
	case strings.EqualFold(p, "inf") || strings.EqualFold(p, "infinity"):
		return new(big.Float).SetInf(neg), true
	case len(p) > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'):
		return parseHex(p[2:], neg)
	}
	return parseDec(p, neg)
}

// parseDec parses digits[.digits][e[sign]digits] (at least one mantissa
// digit) exactly and rounds it once.
func parseDec(p string, neg bool) (*big.Float, bool) {
	mant, fracDigits, rest, ok := scanMantissa(p, isDigit)
	if !ok {
		return nil, false
	}
	exp, ok := scanExponent(rest, 'e')
	if !ok {
		return nil, false
	}
	mant = strings.TrimLeft(mant, "0")
	if mant == "" {
		return signedZero(neg), true
	}
	e10 := exp - int64(fracDigits)
	nd := int64(len(mant))
	// The value lies in [10^(nd-1+e10), 10^(nd+e10)). Decide the hopeless
	// cases before building big numbers: the largest long double is about
	// 1.19e4932 and half the smallest subnormal about 1.8e-4951.
	if nd-1+e10 >= 4933 {
		return nil, false
	}
	if nd+e10 <= -4952 {
		return nil, false
	}
	num, _ := new(big.Int).SetString(mant, 10)
	den := big.NewInt(1)
	ten := big.NewInt(10)
	if e10 >= 0 {
		num.Mul(num, new(big.Int).Exp(ten, big.NewInt(e10), nil))
	} else {
		den.Exp(ten, big.NewInt(-e10), nil)
	}
	return round(num, den, neg)
}

// parseHex parses the part after "0x": hexdigits[.hexdigits][p[sign]digits].
// When no hex digit follows "0x", strtold converts just the "0" and stops at
// the 'x', which leaves the rest unconsumed: not a valid float either way.
func parseHex(p string, neg bool) (*big.Float, bool) {
	mant, fracDigits, rest, ok := scanMantissa(p, isHexDigit)
	if !ok {
		return nil, false
	}
	exp, ok := scanExponent(rest, 'p')
	if !ok {
		return nil, false
	}
	mant = strings.TrimLeft(mant, "0")
	if mant == "" {
		return signedZero(neg), true
	}
	e2 := exp - 4*int64(fracDigits)
	num, _ := new(big.Int).SetString(mant, 16)
	bits := int64(num.BitLen())
	if bits+e2 > maxExp+1 { // >= 2^16385 even after rounding down
		return nil, false
	}
	if bits+e2 < -subnormalShift-1 { // < 2^-16447: rounds to zero
		return nil, false
	}
	den := big.NewInt(1)
	if e2 >= 0 {
		num.Lsh(num, uint(e2))
	} else {
		den.Lsh(den, uint(-e2))
	}
	return round(num, den, neg)
}

// round converts the exact value num/den (both positive) to a long double:
// rounded to 64 significant bits, or to the subnormal grid below 2^-16382.
// ok is false on overflow and on underflow to zero (strtold's ERANGE).
func round(num, den *big.Int, neg bool) (*big.Float, bool) {
	a := new(big.Float).SetInt(num)
	b := new(big.Float).SetInt(den)
	z := new(big.Float).SetPrec(Prec).SetMode(big.ToNearestEven).Quo(a, b)
	e := z.MantExp(nil)
	if e > maxExp {
		return nil, false
	}
	if e < minNormalExp {
		// Subnormal: the value is k * 2^-16445 with k the exact quotient
		// rounded to an integer, ties to even.
		n := new(big.Int).Lsh(num, subnormalShift)
		q, r := new(big.Int).QuoRem(n, den, new(big.Int))
		r.Lsh(r, 1)
		if c := r.Cmp(den); c > 0 || (c == 0 && q.Bit(0) == 1) {
			q.Add(q, big.NewInt(1))
		}
		if q.Sign() == 0 {
			return nil, false
		}
		z.SetInt(q)
		z.SetMantExp(z, -subnormalShift)
	}
	if neg {
		z.Neg(z)
	}
	return z, true
}

// Add returns a+b rounded as the x87 unit rounds a long double sum. ok is
// false when the sum is NaN or infinite (an operand infinite, or overflow),
// which INCRBYFLOAT refuses.
func Add(a, b *big.Float) (*big.Float, bool) {
	if a.IsInf() || b.IsInf() {
		return nil, false
	}
	z := new(big.Float).SetPrec(Prec).SetMode(big.ToNearestEven).Add(a, b)
	if z.MantExp(nil) > maxExp {
		return nil, false
	}
	return z, true
}

// FormatHuman formats v as Redis's ld2string does in LD_STR_HUMAN mode:
// "%.17Lf" (exact decimal expansion rounded half to even, as glibc does),
// then trailing zeros and a trailing '.' removed, and "-0" written as "0".
func FormatHuman(v *big.Float) string {
	if v.IsInf() {
		if v.Signbit() {
			return "-inf"
		}
		return "inf"
	}
	if v.Sign() == 0 || v.MantExp(nil) < -60 {
		// |v| < 2^-61 < 0.5e-17 rounds to zero at 17 decimals; skip the
		// exact expansion, which for a subnormal has thousands of digits.
		return "0"
	}
	s := v.Text('f', 17)
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	if s == "-0" {
		return "0"
	}
	return s
}

func signedZero(neg bool) *big.Float {
	z := new(big.Float).SetPrec(Prec)
	if neg {
		z.Neg(z)
	}
	return z
}

// scanMantissa reads digits[.digits] (or .digits) with at least one digit,
// returning the digits without the point, how many followed the point, and
// the rest of the string.
func scanMantissa(p string, digit func(byte) bool) (mant string, frac int, rest string, ok bool) {
	i := 0
	for i < len(p) && digit(p[i]) {
		i++
	}
	intPart := p[:i]
	fracPart := ""
	if i < len(p) && p[i] == '.' {
		j := i + 1
		for j < len(p) && digit(p[j]) {
			j++
		}
		fracPart = p[i+1 : j]
		i = j
	}
	if intPart == "" && fracPart == "" {
		return "", 0, "", false
	}
	return intPart + fracPart, len(fracPart), p[i:], true
}

// scanExponent reads an optional exponent marker (e or p, either case)
// followed by an optional sign and at least one digit, and requires it to
// end the string. The exponent saturates far beyond any meaningful value.
func scanExponent(p string, marker byte) (int64, bool) {
	if p == "" {
		return 0, true
	}
	if p[0]|0x20 != marker {
		return 0, false
	}
	p = p[1:]
	neg := false
	if p != "" && (p[0] == '+' || p[0] == '-') {
		neg = p[0] == '-'
		p = p[1:]
	}
	if p == "" {
		return 0, false
	}
	var e int64
	for i := 0; i < len(p); i++ {
		if !isDigit(p[i]) {
			return 0, false
		}
		if e < 1<<40 {
			e = e*10 + int64(p[i]-'0')
		}
	}
	if neg {
		e = -e
	}
	return e, true
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

func isHexDigit(b byte) bool {
	return isDigit(b) || ('a' <= b|0x20 && b|0x20 <= 'f')
}

func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f'
}
