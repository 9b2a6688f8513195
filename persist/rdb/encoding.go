package rdb

import (
	"encoding/binary"
	"math"
	"strconv"
)

// Length encoding: the two top bits of the first byte select the form.
const (
	len6Bit  = 0    // 00xxxxxx
	len14Bit = 1    // 01xxxxxx xxxxxxxx (big endian)
	len32Bit = 0x80 // then 4 bytes big endian
	len64Bit = 0x81 // then 8 bytes big endian
	lenEnc   = 3    // 11xxxxxx: a special string encoding follows

	encInt8  = 0 // 11000000: int8 string
	encInt16 = 1 // 11000001: int16 little endian
	encInt32 = 2 // 11000010: int32 little endian
	encLZF   = 3 // 11000011: LZF compressed string
)

// appendLen appends an RDB length in its shortest form.
func appendLen(b []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(b, byte(n))
	case n < 1<<14:
		return append(b, byte(n>>8)|len14Bit<<6, byte(n))
	case n <= math.MaxUint32:
		b = append(b, len32Bit)
		return binary.BigEndian.AppendUint32(b, uint32(n))
	default:
		b = append(b, len64Bit)
		return binary.BigEndian.AppendUint64(b, n)
	}
}

// parseStrictInt parses s as Redis's string2ll does: an optional '-',
// then digits without leading zeros ("0" alone is fine, "-0" is not),
// fitting in int64. Exactly the strings for which FormatInt(v) == s.
func parseStrictInt(s string) (int64, bool) {
	n := len(s)
	if n == 0 || n > 20 {
		return 0, false
	}
	if s == "0" {
		return 0, true
	}
	i := 0
	neg := false
	if s[0] == '-' {
		neg = true
		i = 1
		if n == 1 {
			return 0, false
		}
	}
	if s[i] < '1' || s[i] > '9' {
		return 0, false
	}
	var v uint64
	for ; i < n; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > (math.MaxUint64-9)/10 {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
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

// appendIntEncoded appends v in the 11xxxxxx integer string forms when it
// fits in 32 bits, as rdbEncodeInteger does.
func appendIntEncoded(b []byte, v int64) ([]byte, bool) {
	switch {
	case v >= math.MinInt8 && v <= math.MaxInt8:
		return append(b, lenEnc<<6|encInt8, byte(v)), true
	case v >= math.MinInt16 && v <= math.MaxInt16:
		b = append(b, lenEnc<<6|encInt16)
		return binary.LittleEndian.AppendUint16(b, uint16(v)), true
	case v >= math.MinInt32 && v <= math.MaxInt32:
		b = append(b, lenEnc<<6|encInt32)
		return binary.LittleEndian.AppendUint32(b, uint32(v)), true
	}
	return b, false
}

// appendString appends s as rdbSaveRawString does: as an integer when it
// is at most 11 bytes and reads back to itself; else LZF-compressed when
// compress is set, s is longer than 20 bytes and compression saves at
// least 4 bytes; else raw.
func appendString(b []byte, s string, compress bool) []byte {
	if len(s) <= 11 {
		if v, ok := parseStrictInt(s); ok {
			if out, ok := appendIntEncoded(b, v); ok {
				return out
			}
		}
	}
	if compress && len(s) > 20 {
		if c := lzfCompress([]byte(s), len(s)-4); c != nil {
			b = append(b, lenEnc<<6|encLZF)
			b = appendLen(b, uint64(len(c)))
			b = appendLen(b, uint64(len(s)))
			return append(b, c...)
		}
	}
	b = appendLen(b, uint64(len(s)))
	return append(b, s...)
}

// appendBlob is appendString for a binary blob (a listpack, an intset):
// Redis writes those with the same rdbSaveRawString.
func appendBlob(b []byte, p []byte, compress bool) []byte {
	if compress && len(p) > 20 {
		if c := lzfCompress(p, len(p)-4); c != nil {
			b = append(b, lenEnc<<6|encLZF)
			b = appendLen(b, uint64(len(c)))
			b = appendLen(b, uint64(len(p)))
			return append(b, c...)
		}
	}
	if len(p) <= 11 {
		if v, ok := parseStrictInt(string(p)); ok {
			if out, ok := appendIntEncoded(b, v); ok {
				return out
			}
		}
	}
	b = appendLen(b, uint64(len(p)))
	return append(b, p...)
}

// appendBinaryDouble appends a double as 8 bytes little endian
// (rdbSaveBinaryDoubleValue).
func appendBinaryDouble(b []byte, f float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
}

// appendMillis appends a millisecond time as 8 bytes little endian
// (rdbSaveMillisecondTime).
func appendMillis(b []byte, ms int64) []byte {
	return binary.LittleEndian.AppendUint64(b, uint64(ms))
}

// formatScore formats a sorted-set score as Redis's d2string does for the
// score element of a listpack: nan, inf, -inf, 0, -0, an integer when the
// double is integral and within ±2^62, else %.17g.
func formatScore(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f == 0:
		if math.Signbit(f) {
			return "-0"
		}
		return "0"
	}
	const lim = float64(math.MaxInt64 / 2)
	if f >= -lim && f <= lim {
		if v := int64(f); float64(v) == f {
			return strconv.FormatInt(v, 10)
		}
	}
	return strconv.FormatFloat(f, 'g', 17, 64)
}
