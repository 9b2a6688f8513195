package lua

import (
	"encoding/binary"
	"math"
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// struct: Roberto Ierusalimschy's struct library as Redis ships it (pack,
// unpack, size) on a little-endian 64-bit machine: > < endianness, ![n]
// alignment, x padding, b/B h/H l/L T i/I[n] integers, f d floats, c[n]
// fixed strings, s zero-terminated strings.

const (
	structMaxIntSize = 32
	structMaxAlign   = 8
)

func openStruct(L *glua.LState) *glua.LTable {
	t := L.NewTable()
	t.RawSetString("pack", L.NewFunction(structPack))
	t.RawSetString("unpack", L.NewFunction(structUnpack))
	t.RawSetString("size", L.NewFunction(structSize))
	return t
}

type structHeader struct {
	little bool
	align  int
}

type structReader struct {
	L   *glua.LState
	fn  string
	fmt string
	i   int
	h   structHeader
}

func (r *structReader) num(def int) int {
	if r.i >= len(r.fmt) || r.fmt[r.i] < '0' || r.fmt[r.i] > '9' {
		return def
	}
	n := 0
	for r.i < len(r.fmt) && r.fmt[r.i] >= '0' && r.fmt[r.i] <= '9' {
		n = n*10 + int(r.fmt[r.i]-'0')
		r.i++
	}
	return n
}

func argError(L *glua.LState, n int, fn, msg string) {
	L.RaiseError("bad argument #%d to '%s' (%s)", n, fn, msg)
}

// optsize returns the size of option opt, reading its count.
func (r *structReader) optsize(opt byte) int {
	switch opt {
	case 'B', 'b':
		return 1
	case 'H', 'h':
		return 2
	case 'L', 'l', 'T':
		return 8
	case 'f':
		return 4
	case 'd':
		return 8
	case 'x':
		return 1
	case 'c':
		return r.num(1)
	case 'i', 'I':
		sz := r.num(4)
		if sz > structMaxIntSize {
			r.L.RaiseError("integral size %d is larger than limit of %d", sz, structMaxIntSize)
		}
		return sz
	case 's', ' ', '<', '>', '!':
		return 0
	}
	argError(r.L, 1, r.fn, "invalid format option '"+string(opt)+"'")
	return 0
}

func (r *structReader) toalign(n, size int, opt byte) int {
	if size == 0 || opt == 'c' {
		return 0
	}
	if size > r.h.align {
		size = r.h.align
	}
	if size&(size-1) != 0 {
		argError(r.L, 1, r.fn, "format asks for alignment not power of 2")
	}
	return (size - (n & (size - 1))) & (size - 1)
}

func (r *structReader) common(opt byte) {
	switch opt {
	case '>':
		r.h.little = false
	case '<':
		r.h.little = true
	case '!':
		a := r.num(structMaxAlign)
		if a <= 0 || a&(a-1) != 0 {
			r.L.RaiseError("alignment %d is not a power of 2", a)
		}
		r.h.align = a
	}
}

func newStructReader(L *glua.LState, fn string) *structReader {
	return &structReader{L: L, fn: fn, fmt: L.CheckString(1), h: structHeader{little: true, align: 1}}
}

func luaTypeName(L *glua.LState, n int) string {
	if n > L.GetTop() {
		return "no value"
	}
	return L.Get(n).Type().String()
}

func checkNumberArg(L *glua.LState, n int, fn string) float64 {
	f, ok := toNumber(L.Get(n))
	if !ok {
		argError(L, n, fn, "number expected, got "+luaTypeName(L, n))
	}
	return f
}

func checkStringArg(L *glua.LState, n int, fn string) string {
	switch v := L.Get(n).(type) {
	case glua.LString:
		return string(v)
	case glua.LNumber:
		return formatNumber(float64(v))
	}
	argError(L, n, fn, "string expected, got "+luaTypeName(L, n))
	return ""
}

func structPack(L *glua.LState) int {
	r := newStructReader(L, "pack")
	var b []byte
	arg := 2
	for r.i < len(r.fmt) {
		opt := r.fmt[r.i]
		r.i++
		size := r.optsize(opt)
		for pad := r.toalign(len(b), size, opt); pad > 0; pad-- {
			b = append(b, 0)
		}
		switch opt {
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			n := checkNumberArg(L, arg, "pack")
			arg++
			var v uint64
			if n < math.MaxInt64 {
				v = uint64(luaToInt64(n))
			} else {
				v = uint64(n)
			}
			buf := make([]byte, size)
			for i := 0; i < size && i < 8; i++ {
				byteAt := byte(v >> (8 * i))
				if r.h.little {
					buf[i] = byteAt
				} else {
					buf[size-1-i] = byteAt
				}
			}
			b = append(b, buf...)
		case 'x':
			b = append(b, 0)
		case 'f':
			n := checkNumberArg(L, arg, "pack")
			arg++
			b = appendUint(b, uint64(math.Float32bits(float32(n))), 4, r.h.little)
		case 'd':
			n := checkNumberArg(L, arg, "pack")
			arg++
			b = appendUint(b, math.Float64bits(n), 8, r.h.little)
		case 'c', 's':
			s := checkStringArg(L, arg, "pack")
			arg++
			if size == 0 {
				size = len(s)
			}
			if len(s) < size {
				argError(L, arg, "pack", "string too short")
			}
			b = append(b, s[:size]...)
			if opt == 's' {
				b = append(b, 0)
			}
		default:
			r.common(opt)
		}
	}
	L.Push(glua.LString(b))
	return 1
}

func appendUint(b []byte, v uint64, size int, little bool) []byte {
	var buf [8]byte
	if little {
		binary.LittleEndian.PutUint64(buf[:], v)
		return append(b, buf[:size]...)
	}
	binary.BigEndian.PutUint64(buf[:], v)
	return append(b, buf[8-size:]...)
}

func structUnpack(L *glua.LState) int {
	r := newStructReader(L, "unpack")
	data := checkStringArg(L, 2, "unpack")
	pos := 0
	if L.GetTop() >= 3 && L.Get(3) != glua.LNil {
		pos = int(checkNumberArg(L, 3, "unpack")) - 1
	}
	var out []glua.LValue
	for r.i < len(r.fmt) {
		opt := r.fmt[r.i]
		r.i++
		size := r.optsize(opt)
		pos += r.toalign(pos, size, opt)
		if pos < 0 || pos+size > len(data) {
			argError(L, 2, "unpack", "data string too short")
		}
		switch opt {
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			signed := opt >= 'a' && opt <= 'z'
			var v uint64
			n := size
			if n > 8 {
				n = 8
			}
			for i := 0; i < n; i++ {
				var c byte
				if r.h.little {
					c = data[pos+i]
				} else {
					c = data[pos+size-1-i]
				}
				v |= uint64(c) << (8 * i)
			}
			if signed {
				if n < 8 && v&(1<<(uint(n)*8-1)) != 0 {
					v |= ^uint64(0) << (uint(n) * 8)
				}
				out = append(out, glua.LNumber(float64(int64(v))))
			} else {
				out = append(out, glua.LNumber(float64(v)))
			}
		case 'x':
		case 'f':
			v := readUint([]byte(data[pos:pos+4]), r.h.little)
			out = append(out, glua.LNumber(float64(math.Float32frombits(uint32(v)))))
		case 'd':
			v := readUint([]byte(data[pos:pos+8]), r.h.little)
			out = append(out, glua.LNumber(math.Float64frombits(v)))
		case 'c':
			if size == 0 {
				if len(out) == 0 {
					L.RaiseError("format 'c0' needs a previous size")
				}
				prev, ok := toNumber(out[len(out)-1])
				if !ok {
					L.RaiseError("format 'c0' needs a previous size")
				}
				size = int(prev)
				out = out[:len(out)-1]
				if size < 0 || pos+size > len(data) {
					argError(L, 2, "unpack", "data string too short")
				}
			}
			out = append(out, glua.LString(data[pos:pos+size]))
		case 's':
			e := strings.IndexByte(data[pos:], 0)
			if e < 0 {
				L.RaiseError("unfinished string in data")
			}
			out = append(out, glua.LString(data[pos:pos+e]))
			size = e + 1
		default:
			r.common(opt)
		}
		pos += size
	}
	for _, v := range out {
		L.Push(v)
	}
	L.Push(glua.LNumber(pos + 1))
	return len(out) + 1
}

func readUint(b []byte, little bool) uint64 {
	var buf [8]byte
	if little {
		copy(buf[:], b)
		return binary.LittleEndian.Uint64(buf[:])
	}
	copy(buf[8-len(b):], b)
	return binary.BigEndian.Uint64(buf[:])
}

func structSize(L *glua.LState) int {
	r := newStructReader(L, "size")
	pos := 0
	for r.i < len(r.fmt) {
		opt := r.fmt[r.i]
		r.i++
		start := r.i
		size := r.optsize(opt)
		pos += r.toalign(pos, size, opt)
		if opt == 's' {
			argError(L, 1, "size", "option 's' has no fixed size")
		} else if opt == 'c' && size == 0 {
			argError(L, 1, "size", "option 'c"+r.fmt[start:r.i]+"' has no fixed size")
		}
		if opt == '!' || opt == '<' || opt == '>' {
			r.common(opt)
		}
		pos += size
	}
	L.Push(glua.LNumber(pos))
	return 1
}
