package lua

import (
	"strings"
	"testing"
)

type scriptCase struct{ script, want string }

// runCases runs each script and compares the reply; a want ending in "..."
// compares a prefix, and error locations ("script: ...") are not compared.
func runCases(t *testing.T, cases []scriptCase) {
	t.Helper()
	e := newEngine(t)
	h := newFakeHost()
	for _, c := range cases {
		got := eval(t, e, h, c.script, nil, nil).String()
		if i := strings.Index(got, " script: "); i >= 0 && strings.HasPrefix(got, "-") {
			got = got[:i]
		}
		if got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.script, got, c.want)
		}
	}
}

func TestCjson(t *testing.T) {
	runCases(t, []scriptCase{
		{`return cjson.encode({1,2,3,'a/b',true,false,{},{a={b=1.5}}})`, `"[1,2,3,\"a\\/b\",true,false,{},{\"a\":{\"b\":1.5}}]"`},
		{`return cjson.encode({[1]=1,[3]=3})`, `"[1,null,3]"`},
		{`return cjson.encode({[1]=1,[20]=3})`, `-ERR user_script:1: Cannot serialise table: excessively sparse array`},
		{`return cjson.encode(0/0)`, `-ERR user_script:1: Cannot serialise number: must not be NaN or Inf`},
		{`return cjson.encode(1/0)`, `-ERR user_script:1: Cannot serialise number: must not be NaN or Inf`},
		{`return cjson.encode(function() end)`, `-ERR user_script:1: Cannot serialise function: type not supported`},
		{`return cjson.encode({[true]=1})`, `-ERR user_script:1: Cannot serialise boolean: table key must be a number or string`},
		{`return cjson.encode('\0\1\n\t\"\\é')`, `"\"\\u0000\\u0001\\n\\t\\\"\\\\\xc3\xa9\""`},
		{`return cjson.encode(0.1)`, `"0.1"`},
		{`return cjson.encode(1e20)`, `"1e+20"`},
		{`return cjson.encode(123456789012345678)`, `"1.2345678901235e+17"`},
		{`return cjson.encode(-0.0)`, `"-0"`},
		{`return cjson.encode(cjson.null)`, `"null"`},
		{`return cjson.encode(nil)`, `"null"`},
		{`return cjson.encode()`, `-ERR user_script:1: bad argument #1 to 'encode' (expected 1 argument)`},
		{`local t = {} t[1] = t return cjson.encode(t)`, `-ERR user_script:1: Cannot serialise, excessive nesting (1001)`},
		{`return cjson.encode({[1.5]=1})`, `"{\"1.5\":1}"`},
		{`return cjson.encode({'a',nil,'b'})`, `"[\"a\",null,\"b\"]"`},
		{`return cjson.decode('[1,2,null,"x",{"a":true}]')[4]`, `"x"`},
		{`return type(cjson.decode('null'))`, `"userdata"`},
		{`return cjson.decode('null') == cjson.null`, `:1`},
		{`return cjson.decode('[1,')`, `-ERR user_script:1: Expected value but found T_END at character 4`},
		{`return cjson.decode('{"a" 1}')`, `-ERR user_script:1: Expected colon but found T_NUMBER at character 6`},
		{`return cjson.decode('')`, `-ERR user_script:1: Expected value but found T_END at character 1`},
		{`return cjson.decode('x')`, `-ERR user_script:1: Expected value but found invalid token at character 1`},
		{`return cjson.decode('"\\u00e9\\ud83d\\ude00"')`, `"\xc3\xa9\xf0\x9f\x98\x80"`},
		{`return cjson.decode('1e2')`, `:100`},
		{`return cjson.decode('[1] x')`, `-ERR user_script:1: Expected the end but found invalid token at character 5`},
		{`return cjson.decode('{"a":1}').a`, `:1`},
		{`return cjson.decode()`, `-ERR user_script:1: bad argument #1 to 'decode' (expected 1 argument)`},
		{`return cjson.decode(1)`, `:1`},
		{`return cjson.decode('0x10')`, `:16`},
		{`return cjson.decode('NaN')`, `:-9223372036854775808`},
		{`return tostring(cjson.decode('-0'))`, `"-0"`},
		{`return {cjson.encode_max_depth(), cjson.decode_max_depth(), cjson.encode_number_precision(), cjson.encode_keep_buffer(), cjson.encode_invalid_numbers(), cjson.decode_invalid_numbers()}`, `[:1000 :1000 :14 :1 (nil) :1]`},
		{`return {cjson.encode_sparse_array()}`, `[(nil) :2 :10]`},
		{`return cjson.decode('"\\x"')`, `-ERR user_script:1: Expected value but found invalid escape code at character 2`},
		{`return cjson.decode('[[[[1]]]]')[1][1][1][1]`, `:1`},
		{`return cjson.encode(cjson.decode('{"a":[1,2,{"b":null}]}'))`, `"{\"a\":[1,2,{\"b\":null}]}"`},
		{`return cjson.decode(string.rep('[', 1001))`, `-ERR user_script:1: Found too many nested data structures (1001) at character 1001`},
		{`local c = cjson.new() c.encode_number_precision(3) return {c.encode(1/3), cjson.encode(1/3)}`, `["0.333" "0.33333333333333"]`},
		{`cjson.encode_sparse_array(true) return cjson.encode({[1]=1,[20]=3})`, `"{\"1\":1,\"20\":3}"`},
	})
}

func TestStruct(t *testing.T) {
	runCases(t, []scriptCase{
		{`return struct.pack('>I2', 258)`, `"\x01\x02"`},
		{`return struct.pack('<i4h', -2, 3)`, `"\xfe\xff\xff\xff\x03\x00"`},
		{`return {struct.unpack('>I2', struct.pack('>I2', 258))}`, `[:258 :3]`},
		{`return {struct.unpack('<i4h', struct.pack('<i4h', -2, 3))}`, `[:-2 :3 :7]`},
		{`return struct.size('>i4hbd')`, `:15`},
		{`return struct.size('s')`, `-ERR user_script:1: bad argument #1 to 'size' (option 's' has no fixed size)`},
		{`return struct.size('c0')`, `-ERR user_script:1: bad argument #1 to 'size' (option 'c0' has no fixed size)`},
		{`return struct.size('!4 b i4')`, `:8`},
		{`return struct.pack('!4 b i4', 1, 2)`, `"\x01\x00\x00\x00\x02\x00\x00\x00"`},
		{`return struct.pack('z', 1)`, `-ERR user_script:1: bad argument #1 to 'pack' (invalid format option 'z')`},
		{`return struct.pack('i3', 1)`, `"\x01\x00\x00"`},
		{`return struct.pack('i33', 1)`, `-ERR user_script:1: integral size 33 is larger than limit of 32`},
		{`return struct.pack('i16', -1)`, `"\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00"`},
		{`return {struct.unpack('i16', struct.pack('i16', -1))}`, `[:-1 :17]`},
		{`return struct.pack('!3', 1)`, `-ERR user_script:1: alignment 3 is not a power of 2`},
		{`return {struct.unpack('>I2', 'a')}`, `-ERR user_script:1: bad argument #2 to 'unpack' (data string too short)`},
		{`return {struct.unpack('c0', 'abc')}`, `-ERR user_script:1: format 'c0' needs a previous size`},
		{`return {struct.unpack('bc0', '\2abc')}`, `["ab" :4]`},
		{`return {struct.unpack('s', 'abc')}`, `-ERR user_script:1: unfinished string in data`},
		{`return {struct.unpack('s', 'ab\0c')}`, `["ab" :4]`},
		{`return struct.pack('c', 'abc')`, `"a"`},
		{`return struct.pack('c5', 'abc')`, `-ERR user_script:1: bad argument #3 to 'pack' (string too short)`},
		{`return struct.pack('c0s', 'ab', 'cd')`, `"abcd\x00"`},
		{`return {struct.unpack('>d', struct.pack('>d', 1.5))}`, `[:1 :9]`},
		{`return {struct.unpack('<f', struct.pack('<f', 0.1))}`, `[:0 :5]`},
		{`return tostring(struct.unpack('<f', struct.pack('<f', 0.5)))`, `"0.5"`},
		{`return struct.pack('>T', 5)`, `"\x00\x00\x00\x00\x00\x00\x00\x05"`},
		{`return struct.pack('>l', -1)`, `"\xff\xff\xff\xff\xff\xff\xff\xff"`},
		{`return {struct.unpack('>L', struct.pack('>l', -1))}`, `[:-9223372036854775808 :9]`},
		{`return {struct.unpack('B', 'abc', 2)}`, `[:98 :3]`},
		{`return {struct.unpack('B', 'abc', 5)}`, `-ERR user_script:1: bad argument #2 to 'unpack' (data string too short)`},
		{`return {struct.unpack('x B', 'abc')}`, `[:98 :3]`},
		{`return struct.pack('b', 'x')`, `-ERR user_script:1: bad argument #2 to 'pack' (number expected, got string)`},
		{`return struct.pack('>i8', 2^53)`, `"\x00 \x00\x00\x00\x00\x00\x00"`},
		{`return struct.pack('>I8', 2^63)`, `"\x80\x00\x00\x00\x00\x00\x00\x00"`},
		{`return struct.pack('>i4', 4294967295)`, `"\xff\xff\xff\xff"`},
		{`return {struct.unpack('>i8', struct.pack('>i8', -5))}`, `[:-5 :9]`},
	})
}

func TestBit(t *testing.T) {
	runCases(t, []scriptCase{
		{`return {bit.band(0xff, 0x0f), bit.bor(1, 2, 4), bit.bxor(3, 1), bit.bnot(0)}`, `[:15 :7 :2 :-1]`},
		{`return {bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.rol(0x80000001, 1), bit.ror(1, 1)}`, `[:-2147483648 :15 :-16 :3 :-2147483648]`},
		{`return {bit.tobit(0xffffffff), bit.tobit(2^32 + 5), bit.tohex(255), bit.tohex(-1, -4), bit.tohex(0x1234, 2), bit.bswap(0x12345678)}`, `[:-1 :5 "000000ff" "FFFF" "34" :2018915346]`},
		{`return bit.band('x')`, `-ERR user_script:1: bad argument #1 to 'band' (number expected, got string)`},
		{`return bit.band()`, `-ERR user_script:1: bad argument #1 to 'band' (number expected, got no value)`},
		{`return {bit.band('7', 3), bit.tobit(1.5), bit.tobit(2.5)}`, `[:3 :2 :2]`},
	})
}

func TestCmsgpack(t *testing.T) {
	runCases(t, []scriptCase{
		{`return cmsgpack.pack(1, -1, 127, 128, 255, 256, 65536, 2^32, -33, -129, -32769, -2^31-1, 1.5, 0.1, 'abc', true, false, nil)`,
			`"\x01\xff\x7f\xcc\x80\xcc\xff\xcd\x01\x00\xce\x00\x01\x00\x00\xcf\x00\x00\x00\x01\x00\x00\x00\x00\xd0\xdf\xd1\xff\x7f\xd2\xff\xff\x7f\xff\xd3\xff\xff\xff\xff\x7f\xff\xff\xff\xca?\xc0\x00\x00\xcb?\xb9\x99\x99\x99\x99\x99\x9a\xa3abc\xc3\xc2\xc0"`},
		{`return cmsgpack.pack({1,2,3}, {}, {a=1}, {[1]=1,[3]=3}, string.rep('x', 40))`, `"\x93\x01\x02\x03\x90\x81\xa1a\x01\x82\x01\x01\x03\x03\xd9(xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"`},
		{`return cmsgpack.pack()`, `-ERR user_script:1: bad argument #0 to 'pack' (MessagePack pack needs input.)`},
		{`return cmsgpack.pack(function() end)`, `"\xc0"`},
		{`return {cmsgpack.unpack(cmsgpack.pack(1, 'a', {1,2}, {a=5}, 1.5))}`, `[:1 "a" [:1 :2] [] :1]`},
		{`local t = cmsgpack.unpack(cmsgpack.pack({a=5})) return t.a`, `:5`},
		{`return {cmsgpack.unpack('')}`, `[]`},
		{`return {cmsgpack.unpack('\205')}`, `-ERR user_script:1: Missing bytes in input.`},
		{`return {cmsgpack.unpack('\193')}`, `-ERR user_script:1: Bad data format in input.`},
		{`return {cmsgpack.unpack_one(cmsgpack.pack(1,2,3))}`, `[:1 :1]`},
		{`return {cmsgpack.unpack_one(cmsgpack.pack(1,2,3), 2)}`, `[:-1 :3]`},
		{`return {cmsgpack.unpack_one(cmsgpack.pack(1,2,3), 3)}`, `[:-1]`},
		{`return {cmsgpack.unpack_limit(cmsgpack.pack(1,2,3), 2)}`, `[:2 :1 :2]`},
		{`return {cmsgpack.unpack_limit(cmsgpack.pack(1,2,3), 2, 1)}`, `[:-1 :2 :3]`},
		{`return cmsgpack.unpack()`, `-ERR user_script:1: bad argument #1 to 'unpack' (string expected, got no value)`},
		{`local t = {} local c = t for i=1,20 do c[1] = {} c = c[1] end return cmsgpack.pack(t)`, `"\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\xc0"`},
		{`return cmsgpack.pack(1/0)`, `"\xca\x7f\x80\x00\x00"`},
		{`return cmsgpack.pack(2^64)`, `"\xca_\x80\x00\x00"`},
		{`return {cmsgpack.unpack(cmsgpack.pack(-2^63))}`, `[:-9223372036854775808]`},
		{`return cmsgpack._VERSION .. cmsgpack._NAME`, `"lua-cmsgpack 0.4.0cmsgpack"`},
		{`local s = string.rep('y', 70000) return #cmsgpack.unpack(cmsgpack.pack(s))`, `:70000`},
		{`local t = {} for i=1,20 do t['k'..i] = i end local u = cmsgpack.unpack(cmsgpack.pack(t)) return u.k20`, `:20`},
	})
}
