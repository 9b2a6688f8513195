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
		{`return cjson.encode('\0\1\n\t\"\\é')`, `"\"\\u0000\\u0001\\n\\t\\\"\\\\é\""`},
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
		{`return cjson.decode('"\\u00e9\\ud83d\\ude00"')`, `"é😀"`},
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
