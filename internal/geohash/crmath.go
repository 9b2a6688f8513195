package geohash

import "math"

// Correctly rounded sin, cos and asin.
//
// Redis computes distances with the C library's sin, cos and asin. Go's
// math package is accurate to about one ulp but differs from glibc's
// results often (math.Sin in about 15% of arguments, math.Asin in about
// a third), and one ulp in a term moves the last digit of a distance:
// enough to change what GEOSEARCHSTORE ... STOREDIST stores, and
// occasionally a four-decimal WITHDIST reply or a point on the very edge of
// a radius. These functions evaluate in double-double arithmetic (about
// 106 bits) and round once, so they return the double nearest the exact
// value. glibc's are accurate to about 0.55 ulp rather than correctly
// rounded: measured against glibc 2.36 they agree on about 99.86% of
// random arguments, and the last bit of a distance can still differ in
// rare cases (see the report in geo.go's doc comment).
//
// They cost several times Go's math; the searches use them only for the
// points they return and for points whose fast distance is within a hair
// of the search's edge (see Shape.Contains).

// dd is a double-double: the unevaluated sum hi + lo with |lo| <= ulp(hi)/2.
type dd struct{ hi, lo float64 }

// twoSum returns a+b exactly as a double-double.
func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

// quickTwoSum is twoSum for |a| >= |b|.
func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

// twoProd returns a*b exactly as a double-double.
func twoProd(a, b float64) dd {
	p := a * b
	return dd{p, math.FMA(a, b, -p)}
}

func ddAdd(a, b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	s.lo += t.hi
	s = quickTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return quickTwoSum(s.hi, s.lo)
}

func ddMul(a, b dd) dd {
	p := twoProd(a.hi, b.hi)
	p.lo += a.hi*b.lo + a.lo*b.hi
	return quickTwoSum(p.hi, p.lo)
}

// ddMulF multiplies by a double.
func ddMulF(a dd, b float64) dd {
	p := twoProd(a.hi, b)
	p.lo += a.lo * b
	return quickTwoSum(p.hi, p.lo)
}

func ddNeg(a dd) dd { return dd{-a.hi, -a.lo} }

// round returns the double nearest a.
func (a dd) round() float64 { return a.hi + a.lo }

// π and π/2 as double-doubles.
var (
	ddPi     = dd{3.141592653589793116, 1.224646799147353207e-16}
	ddHalfPi = dd{1.570796326794896558, 6.123233995736766036e-17}
)

// invFact[k] is 1/(2k+1)! as a double-double, for the sine series.
var invFact = func() [20]dd {
	var t [20]dd
	f := dd{1, 0}
	for k := range t {
		// f = 1/(2k+1)!; the next is f / ((2k+2)(2k+3)).
		t[k] = f
		d := float64((2*k + 2) * (2*k + 3))
		q := f.hi / d
		// One correction step of the division in double-double.
		r := ddAdd(f, ddNeg(ddMulF(dd{q, 0}, d)))
		f = quickTwoSum(q, r.hi/d)
	}
	return t
}()

// sinSeries is sin(r) for |r| <= π/2 by its Taylor series in
// double-double: r times the polynomial sum of (-r²)^k/(2k+1)!, by Horner's
// rule from the last term (r^39/39! is below 2^-110 for |r| <= π/2).
func sinSeries(r dd) dd {
	r2 := ddMul(r, r)
	term := func(k int) dd {
		if k%2 == 1 {
			return ddNeg(invFact[k])
		}
		return invFact[k]
	}
	n := len(invFact) - 1
	sum := term(n)
	for k := n - 1; k >= 0; k-- {
		sum = ddAdd(term(k), ddMul(sum, r2))
	}
	return ddMul(sum, r)
}

// sinDD is sin(x) for |x| <= π in double-double.
func sinDD(x dd) dd {
	neg := x.hi < 0
	if neg {
		x = ddNeg(x)
	}
	if x.hi > ddHalfPi.hi {
		x = ddAdd(ddPi, ddNeg(x)) // sin(π - x) = sin(x)
	}
	s := sinSeries(x)
	if neg {
		s = ddNeg(s)
	}
	return s
}

// crSin is sin(x) correctly rounded, for |x| <= π (Go's math.Sin beyond).
func crSin(x float64) float64 {
	if !(math.Abs(x) <= math.Pi) {
		return math.Sin(x)
	}
	return sinDD(dd{x, 0}).round()
}

// crCos is cos(x) correctly rounded, for |x| <= π/2 (Go's math.Cos
// beyond): cos(x) = sin(π/2 - |x|).
func crCos(x float64) float64 {
	if !(math.Abs(x) <= math.Pi/2) {
		return math.Cos(x)
	}
	return sinSeries(ddAdd(ddHalfPi, dd{-math.Abs(x), 0})).round()
}

// asinSmall is asin(y) for 0 <= y <= 0.5+ε as a double-double: Go's
// estimate refined by one Newton step on sin, which doubles its ~53
// correct bits.
func asinSmall(y dd) dd {
	t := math.Asin(y.hi)
	r := ddAdd(y, ddNeg(sinDD(dd{t, 0}))) // y - sin(t)
	delta := r.hi / math.Cos(t)
	return twoSum(t, delta)
}

// crAsin is asin(y) correctly rounded for 0 <= y <= 1; other arguments
// get Go's math.Asin (NaN above 1, as in C).
func crAsin(y float64) float64 {
	if !(y >= 0 && y <= 1) {
		return math.Asin(y)
	}
	if y <= 0.5 {
		return asinSmall(dd{y, 0}).round()
	}
	// Near 1 asin is ill-conditioned in y; use
	// asin(y) = π/2 - 2 asin(sqrt((1-y)/2)), where 1-y is exact.
	z := (1 - y) / 2
	s := math.Sqrt(z)
	var w dd
	if s == 0 {
		w = dd{}
	} else {
		w = quickTwoSum(s, math.FMA(-s, s, z)/(2*s))
	}
	a := asinSmall(w)
	return ddAdd(ddHalfPi, ddNeg(ddMulF(a, 2))).round()
}
