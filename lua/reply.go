package lua

import (
	"strconv"
	"strings"
)

// Kind is the RESP3 type of a Reply.
type Kind uint8

// The reply kinds. They mirror RESP3; a host that speaks RESP2 to its client
// downgrades them as Redis does (map → flat array, set → array, double →
// bulk string, bool → integer or null, big number → bulk, verbatim → bulk).
const (
	KindNull      Kind = iota // null: RESP2 nil bulk or nil array, RESP3 null
	KindStatus                // simple string; Str holds the text without "+"
	KindError                 // error; Str holds the full text, code included ("ERR ...")
	KindInt                   // integer; Int
	KindDouble                // double; Float
	KindBulk                  // bulk string; Str
	KindArray                 // array; Elems
	KindMap                   // map; Elems holds key, value, key, value ...
	KindSet                   // set; Elems
	KindBool                  // boolean; Bool
	KindBigNumber             // big number; Str holds the digits
	KindVerbatim              // verbatim string; Str the text, Format the three-letter format ("txt")
)

var kindNames = [...]string{"null", "status", "error", "integer", "double", "bulk", "array", "map", "set", "bool", "bignumber", "verbatim"}

// String returns the kind's name, for messages and tests.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Reply is a neutral, RESP3-shaped reply tree: what a host returns from a
// command called by a script, and what a script returns to its caller. Only the
// fields named by Kind are meaningful.
type Reply struct {
	Kind   Kind    // the reply's RESP3 type; the zero value is KindNull
	Str    string  // the text for KindStatus, KindError, KindBulk, KindBigNumber and KindVerbatim
	Int    int64   // the value for KindInt
	Float  float64 // the value for KindDouble
	Bool   bool    // the value for KindBool
	Format string  // the three-letter format of a KindVerbatim reply, e.g. "txt"
	Elems  []Reply // the elements of KindArray and KindSet; key, value, ... for KindMap
}

// Null returns the null reply.
func Null() Reply { return Reply{Kind: KindNull} }

// Status returns a simple-string reply such as "OK".
func Status(s string) Reply { return Reply{Kind: KindStatus, Str: s} }

// Error returns an error reply; msg is the full text with its code, e.g.
// "ERR syntax error" or "WRONGTYPE Operation against a key holding the wrong kind of value".
func Error(msg string) Reply { return Reply{Kind: KindError, Str: msg} }

// Int returns an integer reply.
func Int(n int64) Reply { return Reply{Kind: KindInt, Int: n} }

// Double returns a double reply (RESP3).
func Double(f float64) Reply { return Reply{Kind: KindDouble, Float: f} }

// Bulk returns a bulk-string reply.
func Bulk(s string) Reply { return Reply{Kind: KindBulk, Str: s} }

// Array returns an array reply of elems.
func Array(elems ...Reply) Reply {
	if elems == nil {
		elems = []Reply{}
	}
	return Reply{Kind: KindArray, Elems: elems}
}

// Map returns a map reply; kv holds key, value, key, value ...
func Map(kv ...Reply) Reply {
	if kv == nil {
		kv = []Reply{}
	}
	return Reply{Kind: KindMap, Elems: kv}
}

// Set returns a set reply of elems.
func Set(elems ...Reply) Reply {
	if elems == nil {
		elems = []Reply{}
	}
	return Reply{Kind: KindSet, Elems: elems}
}

// Bool returns a boolean reply (RESP3).
func Bool(b bool) Reply { return Reply{Kind: KindBool, Bool: b} }

// BigNumber returns a big-number reply holding the decimal digits s.
func BigNumber(s string) Reply { return Reply{Kind: KindBigNumber, Str: s} }

// Verbatim returns a verbatim-string reply; format is three letters, e.g. "txt".
func Verbatim(format, s string) Reply { return Reply{Kind: KindVerbatim, Format: format, Str: s} }

// IsError reports whether r is an error reply.
func (r Reply) IsError() bool { return r.Kind == KindError }

// String renders r compactly for tests and debugging (not a wire format).
func (r Reply) String() string {
	var b strings.Builder
	r.render(&b)
	return b.String()
}

func (r Reply) render(b *strings.Builder) {
	switch r.Kind {
	case KindNull:
		b.WriteString("(nil)")
	case KindStatus:
		b.WriteString("+" + r.Str)
	case KindError:
		b.WriteString("-" + r.Str)
	case KindInt:
		b.WriteString(":" + strconv.FormatInt(r.Int, 10))
	case KindDouble:
		b.WriteString("," + strconv.FormatFloat(r.Float, 'g', 17, 64))
	case KindBulk:
		quoteBytes(b, r.Str)
	case KindBool:
		if r.Bool {
			b.WriteString("#t")
		} else {
			b.WriteString("#f")
		}
	case KindBigNumber:
		b.WriteString("(" + r.Str)
	case KindVerbatim:
		b.WriteString("=" + r.Format + ":")
		quoteBytes(b, r.Str)
	case KindArray, KindMap, KindSet:
		open, close := "[", "]"
		if r.Kind == KindMap {
			open, close = "{", "}"
		} else if r.Kind == KindSet {
			open, close = "~{", "}"
		}
		b.WriteString(open)
		for i, e := range r.Elems {
			if i > 0 {
				b.WriteString(" ")
			}
			e.render(b)
		}
		b.WriteString(close)
	default:
		b.WriteString("?")
	}
}

// scriptError is an error whose text is a Redis error reply's text.
type scriptError struct{ msg string }

func (e *scriptError) Error() string { return e.msg }

func newError(msg string) error { return &scriptError{msg} }

// quoteBytes writes s in double quotes, escaping quotes, backslashes and
// every byte outside printable ASCII as \xNN (as redis-cli does).
func quoteBytes(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			b.WriteString(`\x`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	b.WriteByte('"')
}
