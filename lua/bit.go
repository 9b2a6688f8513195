package lua

import (
	"math"

	glua "github.com/yuin/gopher-lua"
)

// bit: the LuaBitOp library Redis ships (bit.band, bit.tohex, ...), on 32-bit
// integers.

func openBit(L *glua.LState) *glua.LTable {
	t := L.NewTable()
	unary := func(f func(int32) int32) glua.LGFunction {
		return func(L *glua.LState) int {
			L.Push(glua.LNumber(f(toBit(L, 1))))
			return 1
		}
	}
	fold := func(f func(a, b int32) int32) glua.LGFunction {
		return func(L *glua.LState) int {
			r := toBit(L, 1)
			for i := 2; i <= L.GetTop(); i++ {
				r = f(r, toBit(L, i))
			}
			L.Push(glua.LNumber(r))
			return 1
		}
	}
	shift := func(f func(x int32, n uint) int32) glua.LGFunction {
		return func(L *glua.LState) int {
			x := toBit(L, 1)
			n := uint(toBit(L, 2)) & 31
			L.Push(glua.LNumber(f(x, n)))
			return 1
		}
	}
	fns := map[string]glua.LGFunction{
		"tobit": unary(func(x int32) int32 { return x }),
		"bnot":  unary(func(x int32) int32 { return ^x }),
		"bswap": unary(func(x int32) int32 {
			u := uint32(x)
			return int32(u>>24 | (u>>8)&0xff00 | (u&0xff00)<<8 | u<<24)
		}),
		"band":    fold(func(a, b int32) int32 { return a & b }),
		"bor":     fold(func(a, b int32) int32 { return a | b }),
		"bxor":    fold(func(a, b int32) int32 { return a ^ b }),
		"lshift":  shift(func(x int32, n uint) int32 { return int32(uint32(x) << n) }),
		"rshift":  shift(func(x int32, n uint) int32 { return int32(uint32(x) >> n) }),
		"arshift": shift(func(x int32, n uint) int32 { return x >> n }),
		"rol":     shift(func(x int32, n uint) int32 { u := uint32(x); return int32(u<<n | u>>((32-n)&31)) }),
		"ror":     shift(func(x int32, n uint) int32 { u := uint32(x); return int32(u>>n | u<<((32-n)&31)) }),
		"tohex":   bitTohex,
	}
	for name, f := range fns {
		t.RawSetString(name, L.NewFunction(f))
	}
	return t
}

// toBit is LuaBitOp's barg: the number normalized to a 32-bit integer the way
// the library does it (adding 2^52+2^51 and taking the low word), so large
// and fractional values wrap and round like the C library.
func toBit(L *glua.LState, i int) int32 {
	v := L.Get(i)
	var f float64
	switch x := v.(type) {
	case glua.LNumber:
		f = float64(x)
	case glua.LString:
		n, ok := toNumber(x)
		if !ok {
			L.TypeError(i, glua.LTNumber)
		}
		f = n
	default:
		L.TypeError(i, glua.LTNumber)
	}
	f += 6755399441055744.0 // 2^52 + 2^51
	return int32(uint32(math.Float64bits(f)))
}

func bitTohex(L *glua.LState) int {
	b := uint32(toBit(L, 1))
	n := 8
	if L.GetTop() >= 2 && L.Get(2) != glua.LNil {
		n = int(toBit(L, 2))
	}
	hexdigits := "0123456789abcdef"
	if n < 0 {
		n = -n
		hexdigits = "0123456789ABCDEF"
	}
	if n > 8 {
		n = 8
	}
	buf := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		buf[i] = hexdigits[b&15]
		b >>= 4
	}
	L.Push(glua.LString(buf))
	return 1
}
