package lua

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	glua "github.com/yuin/gopher-lua"
)

// cjson: the lua-cjson 2.1 library Redis ships, with its defaults and error
// texts: numbers encoded with %.14g, "/" escaped, sparse arrays refused,
// NaN/Inf refused on encode and accepted on decode, depth limits of 1000.

type cjsonConfig struct {
	sparseConvert  bool
	sparseRatio    int
	sparseSafe     int
	encodeMaxDepth int
	decodeMaxDepth int
	precision      int
	keepBuffer     bool
	encodeInvalid  int // 0 off, 1 on, 2 "null"
	decodeInvalid  bool
}

func defaultCjson() *cjsonConfig {
	return &cjsonConfig{sparseRatio: 2, sparseSafe: 10, encodeMaxDepth: 1000, decodeMaxDepth: 1000, precision: 14, keepBuffer: true, decodeInvalid: true}
}

func openCjson(L *glua.LState) *glua.LTable {
	return newCjson(L, glua.LNil)
}

func newCjson(L *glua.LState, null glua.LValue) *glua.LTable {
	cfg := defaultCjson()
	t := L.NewTable()
	if null == glua.LNil {
		null = L.NewUserData()
	}
	t.RawSetString("null", null)
	t.RawSetString("_NAME", glua.LString("cjson"))
	t.RawSetString("_VERSION", glua.LString("2.1.0"))
	t.RawSetString("encode", L.NewFunction(func(L *glua.LState) int {
		if L.GetTop() != 1 {
			L.RaiseError("bad argument #1 to 'encode' (expected 1 argument)")
		}
		var b strings.Builder
		if msg := cjsonEncode(&b, cfg, null, L.Get(1), 0); msg != "" {
			L.RaiseError("%s", msg)
		}
		L.Push(glua.LString(b.String()))
		return 1
	}))
	t.RawSetString("decode", L.NewFunction(func(L *glua.LState) int {
		if L.GetTop() != 1 {
			L.RaiseError("bad argument #1 to 'decode' (expected 1 argument)")
		}
		var s string
		switch v := L.Get(1).(type) {
		case glua.LString:
			s = string(v)
		case glua.LNumber:
			s = formatNumber(float64(v))
		default:
			L.RaiseError("bad argument #1 to 'decode' (string expected, got %s)", v.Type().String())
		}
		d := &jsonDecoder{L: L, s: s, cfg: cfg, null: null}
		v, msg := d.decode()
		if msg != "" {
			L.RaiseError("%s", msg)
		}
		L.Push(v)
		return 1
	}))
	t.RawSetString("new", L.NewFunction(func(L *glua.LState) int {
		L.Push(newCjson(L, glua.LNil))
		return 1
	}))
	intOpt := func(name string, p *int, lo, hi int) {
		t.RawSetString(name, L.NewFunction(func(L *glua.LState) int {
			if L.GetTop() >= 1 && L.Get(1) != glua.LNil {
				n := int(L.CheckNumber(1))
				if n < lo || n > hi {
					L.RaiseError("bad argument #1 to '%s' (expected integer between %d and %d)", name, lo, hi)
				}
				*p = n
			}
			L.Push(glua.LNumber(*p))
			return 1
		}))
	}
	intOpt("encode_max_depth", &cfg.encodeMaxDepth, 1, math.MaxInt32)
	intOpt("decode_max_depth", &cfg.decodeMaxDepth, 1, math.MaxInt32)
	intOpt("encode_number_precision", &cfg.precision, 1, 14)
	t.RawSetString("encode_keep_buffer", L.NewFunction(func(L *glua.LState) int {
		if L.GetTop() >= 1 && L.Get(1) != glua.LNil {
			cfg.keepBuffer = cjsonBool(L, 1, "encode_keep_buffer")
		}
		L.Push(glua.LBool(cfg.keepBuffer))
		return 1
	}))
	t.RawSetString("decode_invalid_numbers", L.NewFunction(func(L *glua.LState) int {
		if L.GetTop() >= 1 && L.Get(1) != glua.LNil {
			cfg.decodeInvalid = cjsonBool(L, 1, "decode_invalid_numbers")
		}
		L.Push(glua.LBool(cfg.decodeInvalid))
		return 1
	}))
	t.RawSetString("encode_invalid_numbers", L.NewFunction(func(L *glua.LState) int {
		if L.GetTop() >= 1 && L.Get(1) != glua.LNil {
			if s, ok := L.Get(1).(glua.LString); ok && s == "null" {
				cfg.encodeInvalid = 2
			} else if cjsonBool(L, 1, "encode_invalid_numbers") {
				cfg.encodeInvalid = 1
			} else {
				cfg.encodeInvalid = 0
			}
		}
		switch cfg.encodeInvalid {
		case 1:
			L.Push(glua.LTrue)
		case 2:
			L.Push(glua.LString("null"))
		default:
			L.Push(glua.LFalse)
		}
		return 1
	}))
	t.RawSetString("encode_sparse_array", L.NewFunction(func(L *glua.LState) int {
		if L.GetTop() >= 1 && L.Get(1) != glua.LNil {
			cfg.sparseConvert = cjsonBool(L, 1, "encode_sparse_array")
		}
		if L.GetTop() >= 2 && L.Get(2) != glua.LNil {
			cfg.sparseRatio = int(L.CheckNumber(2))
		}
		if L.GetTop() >= 3 && L.Get(3) != glua.LNil {
			cfg.sparseSafe = int(L.CheckNumber(3))
		}
		L.Push(glua.LBool(cfg.sparseConvert))
		L.Push(glua.LNumber(cfg.sparseRatio))
		L.Push(glua.LNumber(cfg.sparseSafe))
		return 3
	}))
	return t
}

func cjsonBool(L *glua.LState, i int, name string) bool {
	switch v := L.Get(i).(type) {
	case glua.LBool:
		return bool(v)
	case glua.LString:
		switch v {
		case "on":
			return true
		case "off":
			return false
		}
	}
	L.RaiseError("bad argument #%d to '%s' (invalid option '%s')", i, name, L.ToStringMeta(L.Get(i)).String())
	return false
}

// cjsonEncode appends v's JSON to b; it returns an error message or "".
func cjsonEncode(b *strings.Builder, cfg *cjsonConfig, null, v glua.LValue, depth int) string {
	switch x := v.(type) {
	case glua.LString:
		jsonQuote(b, string(x))
	case glua.LNumber:
		return cjsonNumber(b, cfg, float64(x))
	case glua.LBool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case *glua.LNilType:
		b.WriteString("null")
	case *glua.LUserData:
		if v == null {
			b.WriteString("null")
			return ""
		}
		return "Cannot serialise userdata: type not supported"
	case *glua.LTable:
		depth++
		if depth > cfg.encodeMaxDepth {
			return "Cannot serialise, excessive nesting (" + strconv.Itoa(depth) + ")"
		}
		n, msg := cjsonArrayLength(cfg, x)
		if msg != "" {
			return msg
		}
		if n > 0 {
			b.WriteByte('[')
			for i := 1; i <= n; i++ {
				if i > 1 {
					b.WriteByte(',')
				}
				if m := cjsonEncode(b, cfg, null, x.RawGetInt(i), depth); m != "" {
					return m
				}
			}
			b.WriteByte(']')
			return ""
		}
		b.WriteByte('{')
		first := true
		k, val := x.Next(glua.LNil)
		for k != glua.LNil {
			if !first {
				b.WriteByte(',')
			}
			first = false
			switch kk := k.(type) {
			case glua.LString:
				jsonQuote(b, string(kk))
			case glua.LNumber:
				b.WriteByte('"')
				if m := cjsonNumber(b, cfg, float64(kk)); m != "" {
					return m
				}
				b.WriteByte('"')
			default:
				return "Cannot serialise " + k.Type().String() + ": table key must be a number or string"
			}
			b.WriteByte(':')
			if m := cjsonEncode(b, cfg, null, val, depth); m != "" {
				return m
			}
			k, val = x.Next(k)
		}
		b.WriteByte('}')
	default:
		return "Cannot serialise " + v.Type().String() + ": type not supported"
	}
	return ""
}

func cjsonNumber(b *strings.Builder, cfg *cjsonConfig, f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		switch cfg.encodeInvalid {
		case 0:
			return "Cannot serialise number: must not be NaN or Inf"
		case 2:
			b.WriteString("null")
			return ""
		}
		switch {
		case math.IsNaN(f):
			b.WriteString("nan")
		case f > 0:
			b.WriteString("inf")
		default:
			b.WriteString("-inf")
		}
		return ""
	}
	b.WriteString(formatG(f, cfg.precision))
	return ""
}

// cjsonArrayLength is lua-cjson's lua_array_length: the array length if every
// key is a positive integer, 0 for an object, or the sparse-array error.
func cjsonArrayLength(cfg *cjsonConfig, t *glua.LTable) (int, string) {
	max, items := 0, 0
	k, _ := t.Next(glua.LNil)
	for k != glua.LNil {
		n, ok := k.(glua.LNumber)
		if !ok || float64(n) < 1 || math.Floor(float64(n)) != float64(n) {
			return 0, ""
		}
		if int(n) > max {
			max = int(n)
		}
		items++
		k, _ = t.Next(k)
	}
	if cfg.sparseRatio > 0 && max > items*cfg.sparseRatio && max > cfg.sparseSafe {
		if !cfg.sparseConvert {
			return 0, "Cannot serialise table: excessively sparse array"
		}
		return 0, ""
	}
	return max, ""
}

func jsonQuote(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '/':
			b.WriteString(`\/`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 || c == 0x7f {
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&15])
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}

// jsonDecoder is lua-cjson's decoder: a tokenizer with its token names in
// the error messages and 1-based character positions.
type jsonDecoder struct {
	L     *glua.LState
	s     string
	pos   int
	cfg   *cjsonConfig
	null  glua.LValue
	depth int
}

type jsonToken struct {
	kind  string // T_OBJ_BEGIN ... or "invalid token" style errors for T_ERROR
	at    int    // 0-based start
	value glua.LValue
	err   bool
}

func (d *jsonDecoder) next() jsonToken {
	for d.pos < len(d.s) && strings.IndexByte(" \t\n\r", d.s[d.pos]) >= 0 {
		d.pos++
	}
	at := d.pos
	if d.pos >= len(d.s) {
		return jsonToken{kind: "T_END", at: at}
	}
	c := d.s[d.pos]
	switch c {
	case '{':
		d.pos++
		return jsonToken{kind: "T_OBJ_BEGIN", at: at}
	case '}':
		d.pos++
		return jsonToken{kind: "T_OBJ_END", at: at}
	case '[':
		d.pos++
		return jsonToken{kind: "T_ARR_BEGIN", at: at}
	case ']':
		d.pos++
		return jsonToken{kind: "T_ARR_END", at: at}
	case ':':
		d.pos++
		return jsonToken{kind: "T_COLON", at: at}
	case ',':
		d.pos++
		return jsonToken{kind: "T_COMMA", at: at}
	case '"':
		return d.str()
	}
	if c == '-' || (c >= '0' && c <= '9') || d.invalidNumberAhead() {
		if !d.cfg.decodeInvalid && d.invalidNumberAhead() {
			return jsonToken{kind: "invalid number", at: at, err: true}
		}
		f, n := strtod(d.s[d.pos:])
		if n == 0 {
			return jsonToken{kind: "invalid number", at: at, err: true}
		}
		d.pos += n
		return jsonToken{kind: "T_NUMBER", at: at, value: glua.LNumber(f)}
	}
	for _, w := range []struct {
		word string
		v    glua.LValue
		kind string
	}{{"true", glua.LTrue, "T_BOOLEAN"}, {"false", glua.LFalse, "T_BOOLEAN"}, {"null", d.null, "T_NULL"}} {
		if strings.HasPrefix(d.s[d.pos:], w.word) {
			d.pos += len(w.word)
			return jsonToken{kind: w.kind, at: at, value: w.v}
		}
	}
	return jsonToken{kind: "invalid token", at: at, err: true}
}

// invalidNumberAhead reports a hex number, inf or nan at the position, which
// lua-cjson accepts only with decode_invalid_numbers.
func (d *jsonDecoder) invalidNumberAhead() bool {
	s := d.s[d.pos:]
	if strings.HasPrefix(s, "-") {
		s = s[1:]
	}
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		return true
	}
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "inf") || strings.HasPrefix(l, "nan")
}

func (d *jsonDecoder) str() jsonToken {
	at := d.pos
	d.pos++ // opening quote
	var b strings.Builder
	for {
		if d.pos >= len(d.s) {
			return jsonToken{kind: "unexpected end of string", at: d.pos, err: true}
		}
		c := d.s[d.pos]
		if c == '"' {
			d.pos++
			return jsonToken{kind: "T_STRING", at: at, value: glua.LString(b.String())}
		}
		if c != '\\' {
			b.WriteByte(c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.s) {
			return jsonToken{kind: "unexpected end of string", at: d.pos, err: true}
		}
		e := d.s[d.pos+1]
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, n := d.unicode(d.pos)
			if n == 0 {
				return jsonToken{kind: "invalid unicode escape code", at: d.pos, err: true}
			}
			var buf [4]byte
			b.Write(buf[:utf8.EncodeRune(buf[:], r)])
			d.pos += n
			continue
		default:
			return jsonToken{kind: "invalid escape code", at: d.pos, err: true}
		}
		d.pos += 2
	}
}

// unicode decodes \uXXXX (and a following low surrogate) at i; it returns the
// rune and the bytes consumed, 0 when invalid.
func (d *jsonDecoder) unicode(i int) (rune, int) {
	hex4 := func(j int) (rune, bool) {
		if j+6 > len(d.s) || d.s[j] != '\\' || d.s[j+1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(d.s[j+2:j+6], 16, 32)
		return rune(v), err == nil
	}
	r, ok := hex4(i)
	if !ok {
		return 0, 0
	}
	if r >= 0xDC00 && r <= 0xDFFF {
		return 0, 0
	}
	if r >= 0xD800 && r <= 0xDBFF {
		lo, ok := hex4(i + 6)
		if !ok || lo < 0xDC00 || lo > 0xDFFF {
			return 0, 0
		}
		return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), 12
	}
	return r, 6
}

func (d *jsonDecoder) fail(expected string, t jsonToken) string {
	return "Expected " + expected + " but found " + t.kind + " at character " + strconv.Itoa(t.at+1)
}

func (d *jsonDecoder) decode() (glua.LValue, string) {
	t := d.next()
	v, msg := d.value(t)
	if msg != "" {
		return nil, msg
	}
	if end := d.next(); end.kind != "T_END" {
		return nil, d.fail("the end", end)
	}
	return v, ""
}

func (d *jsonDecoder) value(t jsonToken) (glua.LValue, string) {
	switch t.kind {
	case "T_STRING", "T_NUMBER", "T_BOOLEAN", "T_NULL":
		return t.value, ""
	case "T_OBJ_BEGIN":
		return d.object(t)
	case "T_ARR_BEGIN":
		return d.array(t)
	}
	return nil, d.fail("value", t)
}

func (d *jsonDecoder) descend(t jsonToken) string {
	d.depth++
	if d.depth > d.cfg.decodeMaxDepth {
		return "Found too many nested data structures (" + strconv.Itoa(d.depth) + ") at character " + strconv.Itoa(t.at+1)
	}
	return ""
}

func (d *jsonDecoder) object(open jsonToken) (glua.LValue, string) {
	if m := d.descend(open); m != "" {
		return nil, m
	}
	tbl := d.L.NewTable()
	t := d.next()
	if t.kind == "T_OBJ_END" {
		d.depth--
		return tbl, ""
	}
	for {
		if t.kind != "T_STRING" {
			return nil, d.fail("object key string", t)
		}
		key := t.value
		if c := d.next(); c.kind != "T_COLON" {
			return nil, d.fail("colon", c)
		}
		v, msg := d.value(d.next())
		if msg != "" {
			return nil, msg
		}
		tbl.RawSet(key, v)
		t = d.next()
		if t.kind == "T_OBJ_END" {
			d.depth--
			return tbl, ""
		}
		if t.kind != "T_COMMA" {
			return nil, d.fail("comma or object end", t)
		}
		t = d.next()
	}
}

func (d *jsonDecoder) array(open jsonToken) (glua.LValue, string) {
	if m := d.descend(open); m != "" {
		return nil, m
	}
	tbl := d.L.NewTable()
	t := d.next()
	if t.kind == "T_ARR_END" {
		d.depth--
		return tbl, ""
	}
	for i := 1; ; i++ {
		v, msg := d.value(t)
		if msg != "" {
			return nil, msg
		}
		tbl.RawSetInt(i, v)
		t = d.next()
		if t.kind == "T_ARR_END" {
			d.depth--
			return tbl, ""
		}
		if t.kind != "T_COMMA" {
			return nil, d.fail("comma or array end", t)
		}
		t = d.next()
	}
}

// strtod parses the longest prefix of s that C's strtod accepts (decimal,
// hex integers, inf, nan) and returns the value and its length, 0 if none.
func strtod(s string) (float64, int) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	rest := strings.ToLower(s[i:])
	sign := 1.0
	if neg {
		sign = -1
	}
	switch {
	case strings.HasPrefix(rest, "infinity"):
		return sign * math.Inf(1), i + 8
	case strings.HasPrefix(rest, "inf"):
		return sign * math.Inf(1), i + 3
	case strings.HasPrefix(rest, "nan"):
		return math.NaN(), i + 3
	case len(rest) > 2 && rest[0] == '0' && rest[1] == 'x' && isHex(rest[2]):
		j := i + 2
		var v float64
		for j < len(s) && isHex(s[j]) {
			d, _ := strconv.ParseUint(s[j:j+1], 16, 8)
			v = v*16 + float64(d)
			j++
		}
		return sign * v, j
	}
	j := i
	digits := 0
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
		digits++
	}
	if j < len(s) && s[j] == '.' {
		j++
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
			digits++
		}
	}
	if digits == 0 {
		return 0, 0
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < len(s) && s[k] >= '0' && s[k] <= '9' {
			for k < len(s) && s[k] >= '0' && s[k] <= '9' {
				k++
			}
			j = k
		}
	}
	f, err := strconv.ParseFloat(s[:j], 64)
	if err != nil {
		// Out of range: strtod returns ±HUGE_VAL or 0.
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, j
		}
		return 0, 0
	}
	return f, j
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
