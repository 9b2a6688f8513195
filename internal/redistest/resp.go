// Package redistest holds the tools of embedis's differential tests: a real
// redis-server started for a test (Start), a small raw RESP client (Conn)
// whose replies are comparable trees (Reply), and the runner of the
// testdata/diff scripts (ParseScript, Run).
//
// The RESP reader here is written independently of embedis's own
// server-side codec on purpose: it is the oracle the server's output is
// judged by, so it shares no code with it. It is strict: anything that is
// not well-formed RESP2 or RESP3 is an error, not a best guess.
package redistest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// Kind is the wire type of a reply. RESP2's two nil replies and RESP3's
// null are distinct kinds, so a comparison tells them apart.
type Kind uint8

// The reply kinds, one per RESP type byte (and one per RESP2 nil form).
const (
	Simple    Kind = iota + 1 // +OK
	Error                     // -ERR text
	Integer                   // :1
	Bulk                      // $3\r\nabc
	NullBulk                  // $-1 (RESP2 nil)
	Array                     // *2 ...
	NullArray                 // *-1 (RESP2 nil array)
	Null                      // _ (RESP3)
	Double                    // ,1.5 (RESP3)
	Boolean                   // #t or #f (RESP3)
	BlobError                 // !5\r\nERR x (RESP3)
	Verbatim                  // =7\r\ntxt:abc (RESP3)
	BigNumber                 // (123 (RESP3)
	Map                       // %1 ... (RESP3)
	Set                       // ~2 ... (RESP3)
	Push                      // >2 ... (RESP3)
)

var kindNames = map[Kind]string{
	Simple: "simple", Error: "error", Integer: "integer", Bulk: "bulk",
	NullBulk: "null-bulk", Array: "array", NullArray: "null-array", Null: "null",
	Double: "double", Boolean: "boolean", BlobError: "blob-error",
	Verbatim: "verbatim", BigNumber: "big-number", Map: "map", Set: "set",
	Push: "push",
}

// String returns the kind's name as reports show it: "bulk", "null-array" ...
func (k Kind) String() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// IsNull reports whether k is one of the nil replies.
func (k Kind) IsNull() bool { return k == NullBulk || k == NullArray || k == Null }

// IsAggregate reports whether k has child elements.
func (k Kind) IsAggregate() bool { return k == Array || k == Map || k == Set || k == Push }

// Reply is one reply as it came off the wire.
//
// Text holds the payload of scalar replies exactly as sent: the string of
// simple, error, bulk, blob-error and big-number replies, the digits of an
// integer, the text of a double (not reparsed, so "1.5" and "1.50" differ),
// "t" or "f" for a boolean, and the text after "fmt:" of a verbatim string,
// whose format is in Format. Elems holds the elements of an array, set or
// push, and the keys and values of a map interleaved (k0, v0, k1, v1 ...).
// Attrs holds the key/value pairs of a RESP3 attribute that preceded the
// reply, if any.
//
// Two Replies are the same reply exactly when reflect.DeepEqual says so, or
// when Equal does (which treats nil and empty slices alike).
type Reply struct {
	Kind   Kind
	Text   string
	Format string
	Elems  []Reply
	Attrs  []Reply
}

// Equal reports whether r and o are the same reply: same kind, same text,
// same elements in the same order.
func (r Reply) Equal(o Reply) bool {
	if r.Kind != o.Kind || r.Text != o.Text || r.Format != o.Format ||
		len(r.Elems) != len(o.Elems) || len(r.Attrs) != len(o.Attrs) {
		return false
	}
	for i := range r.Elems {
		if !r.Elems[i].Equal(o.Elems[i]) {
			return false
		}
	}
	for i := range r.Attrs {
		if !r.Attrs[i].Equal(o.Attrs[i]) {
			return false
		}
	}
	return true
}

// String renders the reply readably, one element per line, each scalar
// tagged with its kind, e.g.
//
//	(array) 2 elements
//	  1) (bulk) "a"
//	  2) (null-bulk)
func (r Reply) String() string {
	var b strings.Builder
	r.render(&b, "", -1)
	return b.String()
}

// Render is String with at most limit elements shown of each aggregate
// (the rest summarized as "... N more"); limit < 0 shows all.
func (r Reply) Render(limit int) string {
	var b strings.Builder
	r.render(&b, "", limit)
	return b.String()
}

func (r Reply) render(b *strings.Builder, indent string, limit int) {
	if len(r.Attrs) > 0 {
		b.WriteString("(attribute) ")
		Reply{Kind: Map, Elems: r.Attrs}.render(b, indent, limit)
		b.WriteString("\n" + indent)
	}
	switch r.Kind {
	case NullBulk, NullArray, Null:
		b.WriteString("(" + r.Kind.String() + ")")
	case Simple, Error, Integer, Double, BigNumber:
		b.WriteString("(" + r.Kind.String() + ") " + r.Text)
	case Boolean:
		if r.Text == "t" {
			b.WriteString("(boolean) true")
		} else {
			b.WriteString("(boolean) false")
		}
	case Bulk, BlobError:
		b.WriteString("(" + r.Kind.String() + ") " + strconv.Quote(r.Text))
	case Verbatim:
		b.WriteString("(verbatim " + r.Format + ") " + strconv.Quote(r.Text))
	case Array, Set, Push, Map:
		n := len(r.Elems)
		unit := "elements"
		if r.Kind == Map {
			n /= 2
			unit = "pairs"
		}
		if n == 1 {
			unit = unit[:len(unit)-1]
		}
		fmt.Fprintf(b, "(%s) %d %s", r.Kind, n, unit)
		// Indexes are right-aligned, as redis-cli does: " 9)", "10)".
		w := len(strconv.Itoa(n))
		inner := indent + strings.Repeat(" ", w+4)
		for i := 0; i < len(r.Elems); i++ {
			pos, more := i, len(r.Elems)-i // element index, elements left
			if r.Kind == Map {
				pos, more = i/2, more/2
			}
			if limit >= 0 && pos >= limit {
				fmt.Fprintf(b, "\n%s  ... %d more", indent, more)
				break
			}
			if r.Kind == Map {
				fmt.Fprintf(b, "\n%s  %*d) key: ", indent, w, i/2+1)
				r.Elems[i].render(b, inner, limit)
				i++
				if i < len(r.Elems) {
					b.WriteString("\n" + inner + "value: ")
					r.Elems[i].render(b, inner+"  ", limit)
				}
				continue
			}
			fmt.Fprintf(b, "\n%s  %*d) ", indent, w, i+1)
			r.Elems[i].render(b, inner, limit)
		}
	default:
		fmt.Fprintf(b, "(%s) %q", r.Kind, r.Text)
	}
}

// ErrProtocol is wrapped by every error for a reply that is not well-formed
// RESP.
var ErrProtocol = errors.New("redistest: protocol error")

// Conn is a raw RESP connection: it writes commands as multibulk arrays and
// reads replies one at a time. It is not safe for concurrent use.
type Conn struct {
	nc      net.Conn
	r       *bufio.Reader
	w       *bufio.Writer
	timeout time.Duration
}

// DefaultTimeout bounds each Do and Read, so that a server that never
// answers fails the test instead of hanging it.
const DefaultTimeout = 10 * time.Second

// Dial connects to a RESP server at a TCP address.
func Dial(addr string) (*Conn, error) {
	nc, err := net.DialTimeout("tcp", addr, DefaultTimeout)
	if err != nil {
		return nil, err
	}
	return NewConn(nc), nil
}

// NewConn wraps an established connection.
func NewConn(nc net.Conn) *Conn {
	return &Conn{nc: nc, r: bufio.NewReader(nc), w: bufio.NewWriter(nc), timeout: DefaultTimeout}
}

// Close closes the connection.
func (c *Conn) Close() error { return c.nc.Close() }

// Write sends one command as a RESP multibulk array of bulk strings.
func (c *Conn) Write(args ...string) error {
	if c.timeout > 0 {
		_ = c.nc.SetWriteDeadline(time.Now().Add(c.timeout))
	}
	fmt.Fprintf(c.w, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(c.w, "$%d\r\n", len(a))
		c.w.WriteString(a)
		c.w.WriteString("\r\n")
	}
	return c.w.Flush()
}

// Read reads one reply.
func (c *Conn) Read() (Reply, error) {
	if c.timeout > 0 {
		_ = c.nc.SetReadDeadline(time.Now().Add(c.timeout))
	}
	return ReadReply(c.r)
}

// Do writes one command and reads one reply.
func (c *Conn) Do(args ...string) (Reply, error) {
	if err := c.Write(args...); err != nil {
		return Reply{}, err
	}
	return c.Read()
}

// Buffered reports how many bytes have been received but not yet read as
// replies: after a reply has been read, bytes left over mean the server sent
// more than one reply to one command.
func (c *Conn) Buffered() int { return c.r.Buffered() }

// maxLen bounds declared lengths, so that a corrupt header fails instead of
// allocating without bound.
const maxLen = 512 << 20

// ReadReply reads one RESP2 or RESP3 reply from r.
func ReadReply(r *bufio.Reader) (Reply, error) {
	rep, err := readReply(r)
	if err != nil {
		return Reply{}, err
	}
	if rep.Kind == attributeKind {
		// An attribute is followed by the reply it describes.
		attrs := rep.Elems
		rep, err = ReadReply(r)
		if err != nil {
			return Reply{}, err
		}
		rep.Attrs = append(attrs, rep.Attrs...)
	}
	return rep, nil
}

// attributeKind marks an attribute while it is read; it never escapes
// ReadReply.
const attributeKind Kind = 255

func protoErr(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrProtocol}, a...)...)
}

// readLine reads up to CRLF and returns the line without it. A bare LF or a
// CR not followed by LF is a protocol error.
func readLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		if err == io.EOF && line != "" {
			return "", io.ErrUnexpectedEOF
		}
		return "", err
	}
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return "", protoErr("line %q does not end in CRLF", line)
	}
	line = line[:len(line)-2]
	if strings.IndexByte(line, '\r') >= 0 {
		return "", protoErr("stray CR in line %q", line)
	}
	return line, nil
}

// parseLen parses a length header: a decimal, or -1 when allowNeg.
func parseLen(s string, allowNeg bool) (int, error) {
	if allowNeg && s == "-1" {
		return -1, nil
	}
	if s == "" || len(s) > 10 {
		return 0, protoErr("bad length %q", s)
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' || (i == 0 && s[i] == '0' && len(s) > 1) {
			return 0, protoErr("bad length %q", s)
		}
		n = n*10 + int(s[i]-'0')
	}
	if n > maxLen {
		return 0, protoErr("length %d too large", n)
	}
	return n, nil
}

// isInteger reports whether s is a canonical signed 64-bit decimal.
func isInteger(s string) bool {
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && strconv.FormatInt(n, 10) == s
}

func readBlob(r *bufio.Reader, n int) (string, error) {
	buf := make([]byte, n+2)
	if _, err := io.ReadFull(r, buf); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return "", err
	}
	if buf[n] != '\r' || buf[n+1] != '\n' {
		return "", protoErr("blob of %d bytes not followed by CRLF", n)
	}
	return string(buf[:n]), nil
}

func readReply(r *bufio.Reader) (Reply, error) {
	line, err := readLine(r)
	if err != nil {
		return Reply{}, err
	}
	if line == "" {
		return Reply{}, protoErr("empty line")
	}
	t, rest := line[0], line[1:]
	switch t {
	case '+':
		return Reply{Kind: Simple, Text: rest}, nil
	case '-':
		return Reply{Kind: Error, Text: rest}, nil
	case ':':
		if !isInteger(rest) {
			return Reply{}, protoErr("bad integer %q", rest)
		}
		return Reply{Kind: Integer, Text: rest}, nil
	case '(':
		if !isBigNumber(rest) {
			return Reply{}, protoErr("bad big number %q", rest)
		}
		return Reply{Kind: BigNumber, Text: rest}, nil
	case ',':
		if !isDouble(rest) {
			return Reply{}, protoErr("bad double %q", rest)
		}
		return Reply{Kind: Double, Text: rest}, nil
	case '#':
		if rest != "t" && rest != "f" {
			return Reply{}, protoErr("bad boolean %q", rest)
		}
		return Reply{Kind: Boolean, Text: rest}, nil
	case '_':
		if rest != "" {
			return Reply{}, protoErr("bad null %q", line)
		}
		return Reply{Kind: Null}, nil
	case '$', '!', '=':
		n, err := parseLen(rest, t == '$')
		if err != nil {
			return Reply{}, err
		}
		if n < 0 {
			return Reply{Kind: NullBulk}, nil
		}
		s, err := readBlob(r, n)
		if err != nil {
			return Reply{}, err
		}
		switch t {
		case '!':
			return Reply{Kind: BlobError, Text: s}, nil
		case '=':
			if len(s) < 4 || s[3] != ':' {
				return Reply{}, protoErr("bad verbatim string %q", s)
			}
			return Reply{Kind: Verbatim, Format: s[:3], Text: s[4:]}, nil
		}
		return Reply{Kind: Bulk, Text: s}, nil
	case '*', '~', '>', '%', '|':
		n, err := parseLen(rest, t == '*')
		if err != nil {
			return Reply{}, err
		}
		if n < 0 {
			return Reply{Kind: NullArray}, nil
		}
		kind := map[byte]Kind{'*': Array, '~': Set, '>': Push, '%': Map, '|': attributeKind}[t]
		count := n
		if t == '%' || t == '|' {
			count = 2 * n
		}
		elems := make([]Reply, 0, min(count, 1024))
		for range count {
			e, err := ReadReply(r)
			if err != nil {
				return Reply{}, err
			}
			elems = append(elems, e)
		}
		return Reply{Kind: kind, Elems: elems}, nil
	}
	return Reply{}, protoErr("unknown type byte %q in line %q", t, line)
}

func isBigNumber(s string) bool {
	d := strings.TrimPrefix(s, "-")
	if d == "" {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return true
}

func isDouble(s string) bool {
	switch s {
	case "inf", "-inf", "nan":
		return true
	}
	if s == "" || strings.ContainsAny(s, " \t_xXpP") {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
