package geohash

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

const bigPrec = 300

// bigSin is sin(x) by its Taylor series in 300-bit arithmetic.
func bigSin(x *big.Float) *big.Float {
	x2 := new(big.Float).SetPrec(bigPrec).Mul(x, x)
	term := new(big.Float).SetPrec(bigPrec).Set(x)
	sum := new(big.Float).SetPrec(bigPrec).Set(x)
	for k := 1; k < 80; k++ {
		term.Mul(term, x2)
		term.Quo(term, new(big.Float).SetPrec(bigPrec).SetInt64(int64((2*k)*(2*k+1))))
		term.Neg(term)
		sum.Add(sum, term)
	}
	return sum
}

func bigPi() *big.Float {
	// π = 16 atan(1/5) - 4 atan(1/239) (Machin), in 300-bit arithmetic.
	atanInv := func(n int64) *big.Float {
		x := new(big.Float).SetPrec(bigPrec).Quo(big.NewFloat(1).SetPrec(bigPrec), new(big.Float).SetPrec(bigPrec).SetInt64(n))
		x2 := new(big.Float).SetPrec(bigPrec).Mul(x, x)
		term := new(big.Float).SetPrec(bigPrec).Set(x)
		sum := new(big.Float).SetPrec(bigPrec).Set(x)
		for k := 1; k < 250; k++ {
			term.Mul(term, x2)
			term.Neg(term)
			t := new(big.Float).SetPrec(bigPrec).Quo(term, new(big.Float).SetPrec(bigPrec).SetInt64(int64(2*k+1)))
			sum.Add(sum, t)
		}
		return sum
	}
	a := new(big.Float).SetPrec(bigPrec).Mul(atanInv(5), big.NewFloat(16))
	b := new(big.Float).SetPrec(bigPrec).Mul(atanInv(239), big.NewFloat(4))
	return a.Sub(a, b)
}

func rounded(f *big.Float) float64 { v, _ := f.Float64(); return v }

// The double-double functions agree with 300-bit references, rounded to
// the nearest double, on random arguments across their domains.
func TestCorrectlyRounded(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	pi := bigPi()
	if rounded(pi) != math.Pi {
		t.Fatalf("reference π = %v", rounded(pi))
	}
	half := new(big.Float).SetPrec(bigPrec).Quo(pi, big.NewFloat(2))
	for i := range 800 {
		x := (r.Float64()*2 - 1) * math.Pi
		if i%10 == 0 {
			x *= 1e-6
		}
		bx := new(big.Float).SetPrec(bigPrec).SetFloat64(x)
		// sin on [-π, π]: reduce to [-π/2, π/2] exactly in big arithmetic.
		red := new(big.Float).SetPrec(bigPrec).Set(bx)
		if math.Abs(x) > math.Pi/2 {
			sign := 1.0
			if x < 0 {
				sign = -1
			}
			red.Sub(new(big.Float).SetPrec(bigPrec).Mul(pi, big.NewFloat(sign)), bx)
		}
		if want := rounded(bigSin(red)); crSin(x) != want {
			t.Errorf("crSin(%v) = %v, want %v (math.Sin %v)", x, crSin(x), want, math.Sin(x))
		}
		c := x / 2
		bc := new(big.Float).SetPrec(bigPrec).SetFloat64(math.Abs(c))
		if want := rounded(bigSin(new(big.Float).SetPrec(bigPrec).Sub(half, bc))); crCos(c) != want {
			t.Errorf("crCos(%v) = %v, want %v (math.Cos %v)", c, crCos(c), want, math.Cos(c))
		}
	}
	// asin: check through sin, bracketing. y = asin(x) correctly rounded
	// means sin of the midpoints around it bracket x.
	for i := range 800 {
		y := r.Float64()
		if i%3 == 0 {
			y = 1 - y*1e-6
		}
		a := crAsin(y)
		lo := new(big.Float).SetPrec(bigPrec).SetFloat64(a)
		lo.Add(lo, new(big.Float).SetPrec(bigPrec).SetFloat64(math.Nextafter(a, 0)))
		lo.Quo(lo, big.NewFloat(2))
		hi := new(big.Float).SetPrec(bigPrec).SetFloat64(a)
		hi.Add(hi, new(big.Float).SetPrec(bigPrec).SetFloat64(math.Nextafter(a, 2)))
		hi.Quo(hi, big.NewFloat(2))
		by := new(big.Float).SetPrec(bigPrec).SetFloat64(y)
		if bigSin(lo).Cmp(by) > 0 || bigSin(hi).Cmp(by) < 0 {
			t.Errorf("crAsin(%v) = %v is not the nearest double (math.Asin %v)", y, a, math.Asin(y))
		}
	}
	if crAsin(1) != math.Pi/2 || crAsin(0) != 0 || !math.IsNaN(crAsin(1.0000000000000002)) {
		t.Errorf("crAsin edges: %v %v %v", crAsin(1), crAsin(0), crAsin(1.0000000000000002))
	}
}
