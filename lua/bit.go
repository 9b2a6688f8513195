package lua

import (
	"math"

	glua "github.com/yuin/gopher-lua"
)

// bit: the LuaBitOp library Redis ships (bit.band, bit.tohex, ...), on 32-bit
// integers.

func openBit(L *glua.LState) *glua.LTable {
	t := L.NewTable()
	var name string // set while registering, captured by each function
	unary := func(f func(int32) int32) glua.LGFunction {
		name := name
		return func(L *glua.LState) int {
			L.Push(glua.LNumber(f(toBit(L, 1, name))))
			return 1
		}
	}
	fold := func(f func(a, b int32) int32) glua.LGFunction {
		name := name
		return func(L *glua.LState) int {
			r := toBit(L, 1, name)
			for i := 2; i <= L.GetTop(); i++ {
				r = f(r, toBit(L, i, name))
			}
			L.Push(glua.LNumber(r))
			return 1
		}
	}
	shift := func(f func(x int32, n uint) int32) glua.LGFunction {
		name := name
		return func(L *glua.LState) int {
			x := toBit(L, 1, name)
			n := uint(toBit(L, 2, name)) & 31
			L.Push(glua.LNumber(f(x, n)))
			return 1
		}
	}
	reg := func(n string, mk func() glua.LGFunction) {
		name = n
		t.RawSetString(n, L.NewFunction(mk()))
	}
	reg("tobit", func() glua.LGFunction { return unary(func(x int32) int32 { return x }) })
	reg("bnot", func() glua.LGFunction { return unary(func(x int32) int32 { return ^x }) })
	reg("bswap", func() glua.LGFunction {
		return unary(func(x int32) int32 {
			u := uint32(x)
			return int32(u>>24 | (u>>8)&0xff00 | (u&0xff00)<<8 | u<<24)
		})
	})
	reg("band", func() glua.LGFunction { return fold(func(a, b int32) int32 { return a & b }) })
	reg("bor", func() glua.LGFunction { return fold(func(a, b int32) int32 { return a | b }) })
	reg("bxor", func() glua.LGFunction { return fold(func(a, b int32) int32 { return a ^ b }) })
	reg("lshift", func() glua.LGFunction { return shift(func(x int32, n uint) int32 { return int32(uint32(x) << n) }) })
	reg("rshift", func() glua.LGFunction { return shift(func(x int32, n uint) int32 { return int32(uint32(x) >> n) }) })
	reg("arshift", func() glua.LGFunction { return shift(func(x int32, n uint) int32 { return x >> n }) })
	reg("rol", func() glua.LGFunction {
		return shift(func(x int32, n uint) int32 { u := uint32(x); return int32(u<<n | u>>((32-n)&31)) })
	})
	reg("ror", func() glua.LGFunction {
		return shift(func(x int32, n uint) int32 { u := uint32(x); return int32(u>>n | u<<((32-n)&31)) })
	})
	t.RawSetString("tohex", L.NewFunction(bitTohex))
	return t
}

// toBit is LuaBitOp's barg: the number normalized to a 32-bit integer the way
// the library does it (adding 2^52+2^51 and taking the low word), so large
// and fractional values wrap and round like the C library.
func toBit(L *glua.LState, i int, name string) int32 {
	f := checkNumberArg(L, i, name)
	f += 6755399441055744.0 // 2^52 + 2^51
	return int32(uint32(math.Float64bits(f)))
}

func bitTohex(L *glua.LState) int {
	b := uint32(toBit(L, 1, "tohex"))
	n := 8
	if L.GetTop() >= 2 && L.Get(2) != glua.LNil {
		n = int(toBit(L, 2, "tohex"))
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
