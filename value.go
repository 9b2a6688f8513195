package embedis

import (
	"math"
	"strconv"
	"strings"
)

// Kind is the kind of a reply Value. The kinds are RESP3's; a RESP2
// connection receives each one in its RESP2 form (a map as a flat array, a
// double as a bulk string, a boolean as an integer, and so on).
type Kind uint8

// The reply kinds.
const (
	// KindNull is Redis's nil reply ($-1 in RESP2, _ in RESP3). Typed
	// methods report it as the Nil error.
	KindNull Kind = iota
	// KindNullArray is the nil reply of array-returning commands (*-1 in
	// RESP2, _ in RESP3).
	KindNullArray
	KindSimple    // a status reply such as OK
	KindError     // an error reply; Value.Err converts it
	KindInt       // a 64-bit integer
	KindDouble    // a double (RESP2: bulk string)
	KindBulk      // a binary-safe string
	KindArray     // an ordered list of values
	KindMap       // key/value pairs (RESP2: flat array)
	KindSet       // an unordered collection (RESP2: array)
	KindBool      // a boolean (RESP2: integer 0 or 1)
	KindVerbatim  // a string with a three-letter format (RESP2: bulk)
	KindBigNumber // an arbitrary-precision integer as decimal text (RESP2: bulk)
	KindPush      // an out-of-band push message (RESP2: array)
)

var kindNames = [...]string{"null", "null-array", "simple", "error", "integer", "double", "bulk", "array", "map", "set", "boolean", "verbatim", "big-number", "push"}

// String names the kind ("bulk", "map", ...), for messages and tests.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one command reply. Its zero value is the nil reply.
//
// Values are small and passed by value. A Value returned by Do belongs to
// the caller; its strings are never modified afterwards.
type Value struct {
	kind Kind
	// str holds the text of simple, error, bulk, verbatim and big-number
	// replies; for verbatim replies its first three bytes are the format.
	str string
	// num holds integers and booleans (0 or 1).
	num int64
	dbl float64
	// elems holds array, set and push elements, and map keys and values
	// interleaved (k0, v0, k1, v1, ...).
	elems []Value
}

// Reply constructors, used by command handlers.

// nullValue is the nil bulk reply.
var nullValue = Value{kind: KindNull}

// nullArrayValue is the nil array reply.
var nullArrayValue = Value{kind: KindNullArray}

var okValue = Value{kind: KindSimple, str: "OK"}

// SimpleValue returns a status reply.
func SimpleValue(s string) Value { return Value{kind: KindSimple, str: s} }

// ErrorValue returns an error reply with Redis's text, e.g.
// "ERR syntax error".
func ErrorValue(msg string) Value { return Value{kind: KindError, str: msg} }

// IntValue returns an integer reply.
func IntValue(n int64) Value { return Value{kind: KindInt, num: n} }

// BulkValue returns a bulk string reply.
func BulkValue(s string) Value { return Value{kind: KindBulk, str: s} }

// DoubleValue returns a double reply.
func DoubleValue(f float64) Value { return Value{kind: KindDouble, dbl: f} }

// BoolValue returns a boolean reply.
func BoolValue(b bool) Value {
	if b {
		return Value{kind: KindBool, num: 1}
	}
	return Value{kind: KindBool}
}

// ArrayValue returns an array reply.
func ArrayValue(elems ...Value) Value { return Value{kind: KindArray, elems: elems} }

// MapValue returns a map reply from interleaved keys and values.
func MapValue(kv ...Value) Value { return Value{kind: KindMap, elems: kv} }

// SetValue returns a set reply.
func SetValue(elems ...Value) Value { return Value{kind: KindSet, elems: elems} }

// VerbatimValue returns a verbatim string reply; format is three letters
// such as "txt".
func VerbatimValue(format, s string) Value {
	return Value{kind: KindVerbatim, str: format + ":" + s}
}

// BigNumberValue returns a big-number reply from its decimal text.
func BigNumberValue(decimal string) Value { return Value{kind: KindBigNumber, str: decimal} }

// PushValue returns a push reply.
func PushValue(elems ...Value) Value { return Value{kind: KindPush, elems: elems} }

// bulkStrings makes an array of bulk strings.
func bulkStrings(ss []string) Value {
	vs := make([]Value, len(ss))
	for i, s := range ss {
		vs[i] = BulkValue(s)
	}
	return ArrayValue(vs...)
}

// Kind reports the kind of the reply.
func (v Value) Kind() Kind { return v.kind }

// IsNull reports whether the reply is a nil reply (bulk or array).
func (v Value) IsNull() bool { return v.kind == KindNull || v.kind == KindNullArray }

// Str returns the text of a simple, error, bulk, big-number or verbatim reply
// (without the verbatim format), the decimal text of an integer, and the
// formatted text of a double; "" otherwise.
func (v Value) Str() string {
	switch v.kind {
	case KindSimple, KindError, KindBulk, KindBigNumber:
		return v.str
	case KindVerbatim:
		if len(v.str) >= 4 {
			return v.str[4:]
		}
		return v.str
	case KindInt:
		return strconv.FormatInt(v.num, 10)
	case KindDouble:
		if v.str != "" {
			// A double with its own text: the coordinates of geo
			// replies, which Redis formats differently (geo.go).
			return v.str
		}
		return formatDouble(v.dbl)
	case KindBool:
		if v.num != 0 {
			return "1"
		}
		return "0"
	}
	return ""
}

// VerbatimFormat returns the three-letter format of a verbatim reply.
func (v Value) VerbatimFormat() string {
	if v.kind == KindVerbatim && len(v.str) >= 3 {
		return v.str[:3]
	}
	return ""
}

// Int returns the integer of an integer or boolean reply, 0 otherwise.
func (v Value) Int() int64 { return v.num }

// Float returns the number of a double reply, or of an integer reply.
func (v Value) Float() float64 {
	if v.kind == KindInt {
		return float64(v.num)
	}
	return v.dbl
}

// Bool returns the value of a boolean reply (or an integer reply other than 0).
func (v Value) Bool() bool { return v.num != 0 }

// Elems returns the elements of an array, set or push reply, or the keys
// and values of a map reply interleaved.
func (v Value) Elems() []Value { return v.elems }

// Len is the number of elements of an aggregate reply (pairs for a map).
func (v Value) Len() int {
	if v.kind == KindMap {
		return len(v.elems) / 2
	}
	return len(v.elems)
}

// Err returns the reply as a Go error when it is an error reply, nil
// otherwise. The error's text is Redis's; errors.Is matches it against the
// sentinel with the same text (ErrWrongType, ErrNotInteger, ...).
func (v Value) Err() error {
	if v.kind != KindError {
		return nil
	}
	return errorFromText(v.str)
}

// String renders the value for humans, in the style of redis-cli.
func (v Value) String() string {
	var b strings.Builder
	v.render(&b, "")
	return b.String()
}

func (v Value) render(b *strings.Builder, indent string) {
	switch v.kind {
	case KindNull, KindNullArray:
		b.WriteString("(nil)")
	case KindSimple:
		b.WriteString(v.str)
	case KindError:
		b.WriteString("(error) " + v.str)
	case KindInt:
		b.WriteString("(integer) " + strconv.FormatInt(v.num, 10))
	case KindDouble:
		b.WriteString("(double) " + v.Str())
	case KindBool:
		if v.num != 0 {
			b.WriteString("(true)")
		} else {
			b.WriteString("(false)")
		}
	case KindBulk, KindVerbatim, KindBigNumber:
		b.WriteString(strconv.Quote(v.Str()))
	default:
		if len(v.elems) == 0 {
			b.WriteString("(empty array)")
			return
		}
		for i, e := range v.elems {
			if i > 0 {
				b.WriteString("\n" + indent)
			}
			b.WriteString(strconv.Itoa(i+1) + ") ")
			e.render(b, indent+"   ")
		}
	}
}

// formatDouble formats a double the way Redis 7.0 replies with one:
// "%.17g", with inf, -inf and nan spelled as Redis does.
func formatDouble(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	return strconv.FormatFloat(f, 'g', 17, 64)
}
