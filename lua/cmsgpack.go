package lua

import (
	"encoding/binary"
	"math"

	glua "github.com/yuin/gopher-lua"
)

// cmsgpack: lua-cmsgpack 0.4.0 as Redis ships it. Integral numbers use the
// smallest integer encoding, other numbers float32 when exact else float64;
// tables whose keys are exactly 1..n are arrays, others maps; nesting deeper
// than 16 and unsupported types encode as nil.

const cmsgpackMaxNesting = 16

func openCmsgpack(L *glua.LState) *glua.LTable {
	t := L.NewTable()
	t.RawSetString("pack", L.NewFunction(msgpackPack))
	t.RawSetString("unpack", L.NewFunction(func(L *glua.LState) int { return msgpackUnpack(L, "unpack", 0, 0, false) }))
	t.RawSetString("unpack_one", L.NewFunction(func(L *glua.LState) int {
		return msgpackUnpack(L, "unpack_one", 1, optInt(L, 2), true)
	}))
	t.RawSetString("unpack_limit", L.NewFunction(func(L *glua.LState) int {
		return msgpackUnpack(L, "unpack_limit", optInt(L, 2), optInt(L, 3), true)
	}))
	t.RawSetString("_NAME", glua.LString("cmsgpack"))
	t.RawSetString("_VERSION", glua.LString("lua-cmsgpack 0.4.0"))
	t.RawSetString("_COPYRIGHT", glua.LString("Copyright (C) 2012, Salvatore Sanfilippo"))
	t.RawSetString("_DESCRIPTION", glua.LString("MessagePack C implementation for Lua"))
	return t
}

func optInt(L *glua.LState, n int) int {
	if L.GetTop() < n || L.Get(n) == glua.LNil {
		return 0
	}
	return int(checkNumberArg(L, n, "unpack"))
}

func msgpackPack(L *glua.LState) int {
	n := L.GetTop()
	if n == 0 {
		argError(L, 0, "pack", "MessagePack pack needs input.")
	}
	var b []byte
	for i := 1; i <= n; i++ {
		b = msgpackEncode(b, L.Get(i), 0)
	}
	L.Push(glua.LString(b))
	return 1
}

func msgpackEncode(b []byte, v glua.LValue, level int) []byte {
	switch x := v.(type) {
	case glua.LString:
		return msgpackString(b, string(x))
	case glua.LBool:
		if x {
			return append(b, 0xc3)
		}
		return append(b, 0xc2)
	case glua.LNumber:
		f := float64(x)
		if !math.IsInf(f, 0) && !math.IsNaN(f) && float64(luaToInt64(f)) == f && !(f >= 9.223372036854775807e18) {
			return msgpackInt(b, int64(f))
		}
		if float64(float32(f)) == f || math.IsInf(f, 0) {
			b = append(b, 0xca)
			return binary.BigEndian.AppendUint32(b, math.Float32bits(float32(f)))
		}
		b = append(b, 0xcb)
		return binary.BigEndian.AppendUint64(b, math.Float64bits(f))
	case *glua.LTable:
		if level == cmsgpackMaxNesting {
			return append(b, 0xc0)
		}
		if n, ok := msgpackArrayLen(x); ok {
			b = msgpackHeader(b, n, 0x90, 0xdc, 0xdd)
			for i := 1; i <= n; i++ {
				b = msgpackEncode(b, x.RawGetInt(i), level+1)
			}
			return b
		}
		count := 0
		x.ForEach(func(_, _ glua.LValue) { count++ })
		b = msgpackHeader(b, count, 0x80, 0xde, 0xdf)
		k, val := x.Next(glua.LNil)
		for k != glua.LNil {
			b = msgpackEncode(b, k, level+1)
			b = msgpackEncode(b, val, level+1)
			k, val = x.Next(k)
		}
		return b
	}
	return append(b, 0xc0)
}

// msgpackArrayLen is table_is_an_array: every key a positive integer and no holes.
func msgpackArrayLen(t *glua.LTable) (int, bool) {
	max, count := 0, 0
	ok := true
	t.ForEach(func(k, _ glua.LValue) {
		n, isNum := k.(glua.LNumber)
		if !isNum || float64(n) <= 0 || math.Floor(float64(n)) != float64(n) {
			ok = false
			return
		}
		if int(n) > max {
			max = int(n)
		}
		count++
	})
	return max, ok && max == count
}

func msgpackHeader(b []byte, n int, fix, b16, b32 byte) []byte {
	switch {
	case n < 16:
		return append(b, fix|byte(n))
	case n <= 0xffff:
		return binary.BigEndian.AppendUint16(append(b, b16), uint16(n))
	default:
		return binary.BigEndian.AppendUint32(append(b, b32), uint32(n))
	}
}

func msgpackString(b []byte, s string) []byte {
	n := len(s)
	switch {
	case n < 32:
		b = append(b, 0xa0|byte(n))
	case n <= 0xff:
		b = append(b, 0xd9, byte(n))
	case n <= 0xffff:
		b = binary.BigEndian.AppendUint16(append(b, 0xda), uint16(n))
	default:
		b = binary.BigEndian.AppendUint32(append(b, 0xdb), uint32(n))
	}
	return append(b, s...)
}

func msgpackInt(b []byte, n int64) []byte {
	if n >= 0 {
		switch {
		case n <= 127:
			return append(b, byte(n))
		case n <= 0xff:
			return append(b, 0xcc, byte(n))
		case n <= 0xffff:
			return binary.BigEndian.AppendUint16(append(b, 0xcd), uint16(n))
		case n <= 0xffffffff:
			return binary.BigEndian.AppendUint32(append(b, 0xce), uint32(n))
		default:
			return binary.BigEndian.AppendUint64(append(b, 0xcf), uint64(n))
		}
	}
	switch {
	case n >= -32:
		return append(b, byte(int8(n)))
	case n >= -128:
		return append(b, 0xd0, byte(int8(n)))
	case n >= -32768:
		return binary.BigEndian.AppendUint16(append(b, 0xd1), uint16(int16(n)))
	case n >= -2147483648:
		return binary.BigEndian.AppendUint32(append(b, 0xd2), uint32(int32(n)))
	default:
		return binary.BigEndian.AppendUint64(append(b, 0xd3), uint64(n))
	}
}

type msgpackDecoder struct {
	L   *glua.LState
	s   string
	pos int
	err string
}

// msgpackUnpack decodes up to limit values (0: all) from offset; with
// withOffset it first returns the offset of the next value, or -1 at the end.
func msgpackUnpack(L *glua.LState, fn string, limit, offset int, withOffset bool) int {
	if L.GetTop() < 1 {
		argError(L, 1, fn, "string expected, got no value")
	}
	s := checkStringArg(L, 1, fn)
	if offset < 0 || limit < 0 {
		argError(L, 2, fn, "Invalid request to unpack with offset of "+formatNumber(float64(offset))+" and limit of "+formatNumber(float64(limit))+".")
	}
	if offset > len(s) {
		offset = len(s)
	}
	d := &msgpackDecoder{L: L, s: s, pos: offset}
	var out []glua.LValue
	for d.pos < len(s) && (limit == 0 || len(out) < limit) {
		v := d.value()
		if d.err != "" {
			L.RaiseError("%s", d.err)
		}
		out = append(out, v)
	}
	if withOffset {
		next := d.pos
		if next >= len(s) {
			next = -1
		}
		L.Push(glua.LNumber(next))
	}
	for _, v := range out {
		L.Push(v)
	}
	if withOffset {
		return len(out) + 1
	}
	return len(out)
}

func (d *msgpackDecoder) need(n int) bool {
	if d.err != "" {
		return false
	}
	if d.pos+n > len(d.s) {
		d.err = "Missing bytes in input."
		return false
	}
	return true
}

func (d *msgpackDecoder) uint(n int) uint64 {
	if !d.need(n) {
		return 0
	}
	var v uint64
	for i := 0; i < n; i++ {
		v = v<<8 | uint64(d.s[d.pos+i])
	}
	d.pos += n
	return v
}

func (d *msgpackDecoder) str(n int) glua.LValue {
	if !d.need(n) {
		return glua.LNil
	}
	s := d.s[d.pos : d.pos+n]
	d.pos += n
	return glua.LString(s)
}

func (d *msgpackDecoder) array(n int) glua.LValue {
	t := d.L.CreateTable(n, 0)
	for i := 1; i <= n && d.err == ""; i++ {
		t.RawSetInt(i, d.value())
	}
	return t
}

func (d *msgpackDecoder) mapping(n int) glua.LValue {
	t := d.L.CreateTable(0, n)
	for i := 0; i < n && d.err == ""; i++ {
		k := d.value()
		v := d.value()
		if d.err == "" && k != glua.LNil {
			t.RawSet(k, v)
		}
	}
	return t
}

func (d *msgpackDecoder) value() glua.LValue {
	if !d.need(1) {
		return glua.LNil
	}
	c := d.s[d.pos]
	d.pos++
	switch {
	case c <= 0x7f:
		return glua.LNumber(c)
	case c >= 0xe0:
		return glua.LNumber(int8(c))
	case c&0xe0 == 0xa0:
		return d.str(int(c & 0x1f))
	case c&0xf0 == 0x90:
		return d.array(int(c & 0x0f))
	case c&0xf0 == 0x80:
		return d.mapping(int(c & 0x0f))
	}
	switch c {
	case 0xc0:
		return glua.LNil
	case 0xc2:
		return glua.LFalse
	case 0xc3:
		return glua.LTrue
	case 0xcc:
		return glua.LNumber(d.uint(1))
	case 0xcd:
		return glua.LNumber(d.uint(2))
	case 0xce:
		return glua.LNumber(d.uint(4))
	case 0xcf:
		return glua.LNumber(float64(d.uint(8)))
	case 0xd0:
		return glua.LNumber(int8(d.uint(1)))
	case 0xd1:
		return glua.LNumber(int16(d.uint(2)))
	case 0xd2:
		return glua.LNumber(int32(d.uint(4)))
	case 0xd3:
		return glua.LNumber(float64(int64(d.uint(8))))
	case 0xca:
		return glua.LNumber(math.Float32frombits(uint32(d.uint(4))))
	case 0xcb:
		return glua.LNumber(math.Float64frombits(d.uint(8)))
	case 0xc4, 0xd9:
		return d.str(int(d.uint(1)))
	case 0xc5, 0xda:
		return d.str(int(d.uint(2)))
	case 0xc6, 0xdb:
		return d.str(int(d.uint(4)))
	case 0xdc:
		return d.array(int(d.uint(2)))
	case 0xdd:
		return d.array(int(d.uint(4)))
	case 0xde:
		return d.mapping(int(d.uint(2)))
	case 0xdf:
		return d.mapping(int(d.uint(4)))
	}
	d.err = "Bad data format in input."
	return glua.LNil
}
