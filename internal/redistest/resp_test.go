package redistest

import (
	"bufio"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
)

func read(t *testing.T, wire string) (Reply, error) {
	t.Helper()
	r := bufio.NewReader(strings.NewReader(wire))
	rep, err := ReadReply(r)
	if err == nil && r.Buffered() != 0 {
		t.Fatalf("%q: %d bytes left after the reply", wire, r.Buffered())
	}
	return rep, err
}

func TestReadReply(t *testing.T) {
	cases := []struct {
		wire string
		want Reply
	}{
		{"+OK\r\n", Reply{Kind: Simple, Text: "OK"}},
		{"+\r\n", Reply{Kind: Simple}},
		{"-ERR unknown command 'x'\r\n", Reply{Kind: Error, Text: "ERR unknown command 'x'"}},
		{":0\r\n", Reply{Kind: Integer, Text: "0"}},
		{":-9223372036854775808\r\n", Reply{Kind: Integer, Text: "-9223372036854775808"}},
		{"$0\r\n\r\n", Reply{Kind: Bulk}},
		{"$4\r\na\r\nb\r\n", Reply{Kind: Bulk, Text: "a\r\nb"}},
		{"$-1\r\n", Reply{Kind: NullBulk}},
		{"*-1\r\n", Reply{Kind: NullArray}},
		{"*0\r\n", Reply{Kind: Array, Elems: []Reply{}}},
		{"*2\r\n$1\r\na\r\n$-1\r\n", Reply{Kind: Array, Elems: []Reply{{Kind: Bulk, Text: "a"}, {Kind: NullBulk}}}},
		{"*1\r\n*1\r\n:1\r\n", Reply{Kind: Array, Elems: []Reply{{Kind: Array, Elems: []Reply{{Kind: Integer, Text: "1"}}}}}},
		{"_\r\n", Reply{Kind: Null}},
		{",1.5\r\n", Reply{Kind: Double, Text: "1.5"}},
		{",inf\r\n", Reply{Kind: Double, Text: "inf"}},
		{",-inf\r\n", Reply{Kind: Double, Text: "-inf"}},
		{",nan\r\n", Reply{Kind: Double, Text: "nan"}},
		{",3\r\n", Reply{Kind: Double, Text: "3"}},
		{"#t\r\n", Reply{Kind: Boolean, Text: "t"}},
		{"#f\r\n", Reply{Kind: Boolean, Text: "f"}},
		{"!7\r\nERR bad\r\n", Reply{Kind: BlobError, Text: "ERR bad"}},
		{"=7\r\ntxt:abc\r\n", Reply{Kind: Verbatim, Format: "txt", Text: "abc"}},
		{"(-12345678901234567890\r\n", Reply{Kind: BigNumber, Text: "-12345678901234567890"}},
		{"%1\r\n+a\r\n:1\r\n", Reply{Kind: Map, Elems: []Reply{{Kind: Simple, Text: "a"}, {Kind: Integer, Text: "1"}}}},
		{"~1\r\n$1\r\nx\r\n", Reply{Kind: Set, Elems: []Reply{{Kind: Bulk, Text: "x"}}}},
		{">2\r\n+message\r\n$1\r\nx\r\n", Reply{Kind: Push, Elems: []Reply{{Kind: Simple, Text: "message"}, {Kind: Bulk, Text: "x"}}}},
		{"|1\r\n+ttl\r\n:3\r\n+OK\r\n", Reply{Kind: Simple, Text: "OK", Attrs: []Reply{{Kind: Simple, Text: "ttl"}, {Kind: Integer, Text: "3"}}}},
	}
	for _, c := range cases {
		got, err := read(t, c.wire)
		if err != nil {
			t.Errorf("%q: %v", c.wire, err)
			continue
		}
		if !got.Equal(c.want) {
			t.Errorf("%q:\n got %s\nwant %s", c.wire, got, c.want)
		}
	}
}

func TestReadReplyMalformed(t *testing.T) {
	for _, wire := range []string{
		"+OK\n",          // bare LF
		"+O\rK\r\n",      // stray CR
		"\r\n",           // empty line
		"?x\r\n",         // unknown type
		":1.5\r\n",       // not an integer
		":01\r\n",        // not canonical
		":+1\r\n",        // not canonical
		"$-2\r\n",        // bad length
		"$01\r\na\r\n",   // bad length
		"$3\r\nabcd\r\n", // no CRLF after 3 bytes
		"$1\r\nab\r\n",   // long blob
		"!-1\r\n",        // no null blob error
		"=3\r\nabc\r\n",  // verbatim without format
		"%-1\r\n",        // no null map
		",1.5x\r\n",      // bad double
		",\r\n",          // bad double
		"#x\r\n",         // bad boolean
		"_x\r\n",         // bad null
		"(1.5\r\n",       // bad big number
	} {
		_, err := read(t, wire)
		if !errors.Is(err, ErrProtocol) {
			t.Errorf("%q: err = %v, want a protocol error", wire, err)
		}
	}
	for _, wire := range []string{"", "+OK", "$5\r\nab", "*2\r\n:1\r\n"} {
		_, err := read(t, wire)
		if err != io.EOF && err != io.ErrUnexpectedEOF {
			t.Errorf("%q: err = %v, want EOF", wire, err)
		}
	}
}

func TestKindEquality(t *testing.T) {
	// RESP2's null bulk and null array, and RESP3's null, are different
	// replies; so are a simple string and a bulk string with the same text.
	nulls := []Reply{{Kind: NullBulk}, {Kind: NullArray}, {Kind: Null}}
	for i := range nulls {
		for j := range nulls {
			if nulls[i].Equal(nulls[j]) != (i == j) {
				t.Errorf("%s == %s: %v", nulls[i], nulls[j], nulls[i].Equal(nulls[j]))
			}
		}
	}
	if (Reply{Kind: Simple, Text: "OK"}).Equal(Reply{Kind: Bulk, Text: "OK"}) {
		t.Error("simple OK equals bulk OK")
	}
	if !(Reply{Kind: Array}).Equal(Reply{Kind: Array, Elems: []Reply{}}) {
		t.Error("nil and empty element slices differ")
	}
}

func TestConnWrite(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	c := NewConn(a)
	done := make(chan error, 1)
	go func() { done <- c.Write("SET", "k", "a b\r\n", "") }()
	want := "*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\na b\r\n\r\n$0\r\n\r\n"
	buf := make([]byte, len(want))
	if _, err := io.ReadFull(b, buf); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if string(buf) != want {
		t.Errorf("wrote %q, want %q", buf, want)
	}
}

func TestRenderAlignsIndexes(t *testing.T) {
	var elems []Reply
	for i := range 10 {
		elems = append(elems, Reply{Kind: Integer, Text: strconv.Itoa(i)})
	}
	got := Reply{Kind: Array, Elems: elems}.String()
	if !strings.Contains(got, "\n   9) (integer) 8\n  10) (integer) 9") {
		t.Errorf("indexes not aligned:\n%s", got)
	}
}

func TestRender(t *testing.T) {
	r := Reply{Kind: Array, Elems: []Reply{
		{Kind: Bulk, Text: "a\n"},
		{Kind: NullBulk},
		{Kind: Map, Elems: []Reply{{Kind: Simple, Text: "k"}, {Kind: Array, Elems: []Reply{{Kind: Integer, Text: "1"}}}}},
	}}
	want := `(array) 3 elements
  1) (bulk) "a\n"
  2) (null-bulk)
  3) (map) 1 pair
       1) key: (simple) k
          value: (array) 1 element
              1) (integer) 1`
	if got := r.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// FuzzReadReply checks that the reader never panics, and that what it
// accepts survives a round trip through the encoder.
func FuzzReadReply(f *testing.F) {
	for _, s := range []string{
		"+OK\r\n", "-ERR x\r\n", ":12\r\n", "$3\r\nabc\r\n", "$-1\r\n", "*-1\r\n",
		"*2\r\n:1\r\n$1\r\na\r\n", "_\r\n", ",1.5\r\n", "#t\r\n", "!3\r\nERR\r\n",
		"=7\r\ntxt:abc\r\n", "(123\r\n", "%1\r\n+a\r\n:1\r\n", "~1\r\n+a\r\n",
		">1\r\n+a\r\n", "|1\r\n+a\r\n+b\r\n+OK\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ReadReply(bufio.NewReader(strings.NewReader(string(data))))
		if err != nil {
			return
		}
		var b strings.Builder
		encodeRESP(&b, r)
		again, err := ReadReply(bufio.NewReader(strings.NewReader(b.String())))
		if err != nil {
			t.Fatalf("re-reading %q (from %q): %v", b.String(), data, err)
		}
		if !again.Equal(r) {
			t.Fatalf("round trip of %q: %s, then %s", data, r, again)
		}
	})
}
