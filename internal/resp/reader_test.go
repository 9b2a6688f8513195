package resp

import (
	"bytes"
	"io"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll reads every request from r until an error.
func readAll(r *Reader) ([][]string, error) {
	var out [][]string
	for {
		args, err := r.ReadCommand()
		if err != nil {
			return out, err
		}
		out = append(out, args)
	}
}

var readerCases = []struct {
	name string
	in   string
	want [][]string
	err  string // "" means io.EOF
}{
	{"multibulk", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", [][]string{{"GET", "k"}}, ""},
	{"binary", "*1\r\n$4\r\na\r\nb\r\n", [][]string{{"a\r\nb"}}, ""},
	{"empty arg", "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", [][]string{{"ECHO", ""}}, ""},
	{"pipeline", "*1\r\n$4\r\nPING\r\nPING\r\n*1\r\n$4\r\nPING\r\n", [][]string{{"PING"}, {"PING"}, {"PING"}}, ""},
	{"inline", "SET k \"a b\" 'c d'\r\n", [][]string{{"SET", "k", "a b", "c d"}}, ""},
	{"inline lf", "PING\nPING\n", [][]string{{"PING"}, {"PING"}}, ""},
	{"inline escapes", `ECHO "\x41\n\t\"\\" 'it\'s'` + "\r\n", [][]string{{"ECHO", "A\n\t\"\\", "it's"}}, ""},
	{"inline quotes in word", "ECHO a\"b c\"\r\n", [][]string{{"ECHO", "ab c"}}, ""},
	{"inline empty quoted", "ECHO \"\"\r\n", [][]string{{"ECHO", ""}}, ""},
	{"blank lines", "\r\n  \r\n\nPING\r\n", [][]string{{"PING"}}, ""},
	{"empty multibulk", "*0\r\n*-1\r\nPING\r\n", [][]string{{"PING"}}, ""},
	{"unchecked trailer", "*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n", [][]string{{"PING"}, {"PING"}}, ""},
	{"partial", "*2\r\n$3\r\nGET\r\n$1\r\n", nil, ""},
	{"bad count", "*x\r\n", nil, "Protocol error: invalid multibulk length"},
	{"count too big", "*2147483648\r\n", nil, "Protocol error: invalid multibulk length"},
	{"count plus", "*+1\r\n", nil, "Protocol error: invalid multibulk length"},
	{"count leading zero", "*01\r\n", nil, "Protocol error: invalid multibulk length"},
	{"expected dollar", "*1\r\n:1\r\n", nil, "Protocol error: expected '$', got ':'"},
	{"expected dollar cr", "*1\r\n\r\n", nil, "Protocol error: expected '$', got ' '"},
	{"bad bulk", "*1\r\n$x\r\n", nil, "Protocol error: invalid bulk length"},
	{"negative bulk", "*1\r\n$-1\r\n", nil, "Protocol error: invalid bulk length"},
	{"bulk too big", "*1\r\n$536870913\r\n", nil, "Protocol error: invalid bulk length"},
	{"unbalanced", "PING \"a\r\n", nil, "Protocol error: unbalanced quotes in request"},
	{"unbalanced single", "PING 'a\r\n", nil, "Protocol error: unbalanced quotes in request"},
	{"quote then word", "PING \"a\"b\r\n", nil, "Protocol error: unbalanced quotes in request"},
	{"commands before error", "PING\r\n*x\r\n", [][]string{{"PING"}}, "Protocol error: invalid multibulk length"},
	{"big inline", strings.Repeat("a", MaxInline+1), nil, "Protocol error: too big inline request"},
	{"big inline line", strings.Repeat("a", MaxInline+1) + "\n", nil, "Protocol error: too big inline request"},
	{"big count line", "*" + strings.Repeat("1", MaxInline+1), nil, "Protocol error: too big mbulk count string"},
	{"big bulk line", "*1\r\n$" + strings.Repeat("1", MaxInline+1), nil, "Protocol error: too big bulk count string"},
	{"nul hides newline", "ECHO a\x00b c\r\nPING\r\n", nil, ""},
	{"nul hides cr", "*1\r\n$4\x00\r\nPING\r\n", nil, ""},
	{"nul in bulk", "*2\r\n$4\r\nECHO\r\n$1\r\n\x00\r\n", [][]string{{"ECHO", "\x00"}}, ""},
}

func checkCase(t *testing.T, name string, r *Reader, want [][]string, wantErr string) {
	t.Helper()
	got, err := readAll(r)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: got %q, want %q", name, got, want)
	}
	switch {
	case wantErr == "" && err != io.EOF:
		t.Errorf("%s: err %v, want EOF", name, err)
	case wantErr != "" && (err == nil || err.Error() != wantErr || !IsProtocolError(err)):
		t.Errorf("%s: err %v, want %q", name, err, wantErr)
	}
}

func TestReader(t *testing.T) {
	for _, c := range readerCases {
		checkCase(t, c.name, NewReader(strings.NewReader(c.in)), c.want, c.err)
		// Byte by byte: the incremental parser must agree.
		checkCase(t, c.name+"/bytewise", NewReader(iotest.OneByteReader(strings.NewReader(c.in))), c.want, c.err)
	}
}

func TestReaderUnauthenticated(t *testing.T) {
	for _, c := range []struct{ in, err string }{
		{"*11\r\n", "Protocol error: unauthenticated multibulk length"},
		{"*1\r\n$16385\r\n", "Protocol error: unauthenticated bulk length"},
	} {
		r := NewReader(strings.NewReader(c.in))
		r.Unauthenticated = true
		checkCase(t, c.in, r, nil, c.err)
	}
	r := NewReader(strings.NewReader("*10\r\n" + strings.Repeat("$1\r\nx\r\n", 10)))
	r.Unauthenticated = true
	checkCase(t, "ten args", r, [][]string{strings.Split(strings.Repeat("x", 10), "")}, "")
}

// TestReaderBuffered: Buffered returns what has arrived, and nil without
// blocking for a partial request.
func TestReaderBuffered(t *testing.T) {
	pr, pw := io.Pipe()
	r := NewReader(pr)
	go pw.Write([]byte("PING\r\n*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO"))
	args, err := r.ReadCommand()
	if err != nil || !reflect.DeepEqual(args, []string{"PING"}) {
		t.Fatalf("ReadCommand = %q, %v", args, err)
	}
	if args, err := r.Buffered(); err != nil || !reflect.DeepEqual(args, []string{"PING"}) {
		t.Fatalf("Buffered = %q, %v", args, err)
	}
	if args, err := r.Buffered(); err != nil || args != nil {
		t.Fatalf("Buffered on a partial request = %q, %v", args, err)
	}
	if r.Pending() == 0 {
		t.Fatal("Pending = 0 with a partial request buffered")
	}
	go pw.Write([]byte("\r\n$1\r\nx\r\n"))
	if args, err := r.ReadCommand(); err != nil || !reflect.DeepEqual(args, []string{"ECHO", "x"}) {
		t.Fatalf("ReadCommand = %q, %v", args, err)
	}
	pw.Close()
}

// TestReaderHostileLength: a huge announced bulk length allocates nothing
// until the data arrives.
func TestReaderHostileLength(t *testing.T) {
	r := NewReader(strings.NewReader("*1\r\n$536870912\r\nabc"))
	if _, err := r.ReadCommand(); err != io.EOF {
		t.Fatalf("err = %v", err)
	}
	if cap(r.buf) > 64*1024 {
		t.Fatalf("buffer grew to %d bytes for 3 bytes of data", cap(r.buf))
	}
	r = NewReader(strings.NewReader("*2147483647\r\n$1\r\nx\r\n"))
	if _, err := r.ReadCommand(); err != io.EOF {
		t.Fatalf("err = %v", err)
	}
	if cap(r.args) > 1024 {
		t.Fatalf("args preallocated %d", cap(r.args))
	}
}

func TestReaderLargeBulk(t *testing.T) {
	big := strings.Repeat("z", 1<<20)
	in := "*2\r\n$4\r\nECHO\r\n$" + itoa(len(big)) + "\r\n" + big + "\r\nPING\r\n"
	checkCase(t, "large", NewReader(strings.NewReader(in)), [][]string{{"ECHO", big}, {"PING"}}, "")
}

func itoa(n int) string { return string(AppendInt(nil, int64(n))[1 : len(AppendInt(nil, int64(n)))-2]) }

func TestAppend(t *testing.T) {
	var b []byte
	b = AppendHeader(b, '*', 2)
	b = AppendBulk(b, "a")
	b = AppendInt(b, -3)
	b = AppendSimple(b, "OK")
	b = AppendError(b, "ERR x")
	b = AppendNull(AppendNullBulk(AppendNullArray(b)))
	b = AppendBool(AppendBool(b, true), false)
	b = AppendDouble(b, "1.5")
	b = AppendBigNumber(b, "12345678901234567890")
	b = AppendVerbatim(b, "txt:hi")
	want := "*2\r\n$1\r\na\r\n:-3\r\n+OK\r\n-ERR x\r\n*-1\r\n$-1\r\n_\r\n#t\r\n#f\r\n,1.5\r\n(12345678901234567890\r\n=6\r\ntxt:hi\r\n"
	if string(b) != want {
		t.Fatalf("got %q\nwant %q", b, want)
	}
}

// FuzzReader feeds arbitrary bytes to the reader, whole and byte by byte:
// it must never panic, both ways must agree, and every request it returns
// must survive a re-encoding round trip.
func FuzzReader(f *testing.F) {
	for _, c := range readerCases {
		if len(c.in) < 1024 {
			f.Add([]byte(c.in))
		}
	}
	f.Add([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\nGET k\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		whole, werr := readAll(NewReader(bytes.NewReader(data)))
		bytewise, berr := readAll(NewReader(iotest.OneByteReader(bytes.NewReader(data))))
		if !reflect.DeepEqual(whole, bytewise) || errText(werr) != errText(berr) {
			t.Fatalf("whole %q %v, bytewise %q %v", whole, werr, bytewise, berr)
		}
		if werr != io.EOF && !IsProtocolError(werr) {
			t.Fatalf("unexpected error %v", werr)
		}
		// Re-encode as multibulk and read back.
		var b []byte
		for _, args := range whole {
			if len(args) == 0 {
				t.Fatal("empty request returned")
			}
			b = AppendHeader(b, '*', int64(len(args)))
			for _, a := range args {
				b = AppendBulk(b, a)
			}
		}
		again, err := readAll(NewReader(bytes.NewReader(b)))
		if err != io.EOF || !reflect.DeepEqual(again, whole) {
			t.Fatalf("round trip: %q %v, want %q", again, err, whole)
		}
	})
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestReaderQueryLimit(t *testing.T) {
	r := NewReader(strings.NewReader("*1\r\n$100000\r\n" + strings.Repeat("x", 100000)))
	r.MaxQuery = 32 * 1024
	if _, err := r.ReadCommand(); err != ErrQueryBufferLimit {
		t.Fatalf("err = %v, want ErrQueryBufferLimit", err)
	}
	r = NewReader(strings.NewReader("*1\r\n$10\r\n0123456789\r\n"))
	r.MaxBulk = 9
	checkCase(t, "max bulk", r, nil, "Protocol error: invalid bulk length")
}

// TestReaderArgVectors checks the vectors carved from a slab: each has its
// capacity cut to its length (appending to one never writes into the
// next), they stay intact across many slabs, and a request with big
// arguments gets a vector of its own.
func TestReaderArgVectors(t *testing.T) {
	var in strings.Builder
	const n = 3 * slabSize
	for i := range n {
		in.WriteString("*2\r\n$3\r\nGET\r\n$1\r\n" + string(rune('a'+i%26)) + "\r\n")
	}
	big := strings.Repeat("x", slabArgBytes+1)
	in.WriteString("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + strconv.Itoa(len(big)) + "\r\n" + big + "\r\n")
	rd := NewReader(strings.NewReader(in.String()))
	got, err := readAll(rd)
	if err != io.EOF || len(got) != n+1 {
		t.Fatalf("read %d requests, err %v", len(got), err)
	}
	for i, args := range got[:n] {
		if cap(args) != 2 {
			t.Fatalf("request %d: cap %d, want 2", i, cap(args))
		}
		_ = append(args, "extra") // must not touch the next vector
	}
	for i, args := range got[:n] {
		if want := []string{"GET", string(rune('a' + i%26))}; !reflect.DeepEqual(args, want) {
			t.Fatalf("request %d = %q, want %q", i, args, want)
		}
	}
	last := got[n]
	if !reflect.DeepEqual(last, []string{"SET", "k", big}) {
		t.Fatalf("big request = %.20q", last)
	}
	for _, a := range rd.slab[:cap(rd.slab)] {
		if a == big {
			t.Fatal("the slab still holds the big argument")
		}
	}
}

// loopSource replays the same bytes forever.
type loopSource struct {
	data []byte
	off  int
}

func (s *loopSource) Read(p []byte) (int, error) {
	n := copy(p, s.data[s.off:])
	s.off = (s.off + n) % len(s.data)
	return n, nil
}

// BenchmarkReaderPipeline parses a pipeline of short commands (what
// redis-benchmark -P 16 sends): ns/op is per command.
func BenchmarkReaderPipeline(b *testing.B) {
	var in []byte
	for i := 0; i < 16; i++ {
		in = append(in, "*3\r\n$3\r\nSET\r\n$16\r\nkey:__rand_int__\r\n$3\r\nxxx\r\n"...)
		in = append(in, "*2\r\n$3\r\nGET\r\n$16\r\nkey:__rand_int__\r\n"...)
	}
	rd := NewReader(&loopSource{data: in})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rd.ReadCommand(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestStrchrShort checks strchrShort against strchr on seeded random lines
// of lengths around its 32-byte cut, made of digits, '\r', '\n' and NUL.
func TestStrchrShort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	alphabet := []byte("0123456789$\r\n\x00")
	for n := 0; n < 20000; n++ {
		b := make([]byte, r.IntN(70))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
			if r.IntN(4) != 0 {
				b[i] = '0' + byte(r.IntN(10)) // mostly digits
			}
		}
		if got, want := strchrShort(b, '\r'), strchr(b, '\r'); got != want {
			t.Fatalf("strchrShort(%q) = %d, strchr = %d", b, got, want)
		}
	}
}
