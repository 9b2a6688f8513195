package embedis

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// rawConn is a client conversation in raw RESP.
type rawConn struct {
	t  testing.TB
	c  net.Conn
	br *bufio.Reader
}

func dialRaw(t testing.TB, s *Store) *rawConn {
	t.Helper()
	c, err := s.DialContext(context.Background(), "tcp", "")
	if err != nil {
		t.Fatalf("DialContext: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawConn{t: t, c: c, br: bufio.NewReader(c)}
}

func (rc *rawConn) send(data string) {
	rc.t.Helper()
	if _, err := io.WriteString(rc.c, data); err != nil {
		rc.t.Fatalf("write: %v", err)
	}
}

// readFrame reads one whole RESP frame (with nested frames) as raw text.
func (rc *rawConn) readFrame() (string, error) {
	line, err := rc.br.ReadString('\n')
	if err != nil {
		return line, err
	}
	switch line[0] {
	case '$', '=':
		n := atoiLine(line)
		if n < 0 {
			return line, nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(rc.br, buf); err != nil {
			return line, err
		}
		return line + string(buf), nil
	case '*', '~', '>', '%':
		n := atoiLine(line)
		if line[0] == '%' {
			n *= 2
		}
		out := line
		for i := 0; i < n; i++ {
			f, err := rc.readFrame()
			out += f
			if err != nil {
				return out, err
			}
		}
		return out, nil
	}
	return line, nil
}

func atoiLine(line string) int {
	n, ok := parseInt(strings.TrimRight(line[1:], "\r\n"))
	if !ok {
		return -1
	}
	return int(n)
}

// expect reads one frame and compares it with want.
func (rc *rawConn) expect(want string) {
	rc.t.Helper()
	got, err := rc.readFrame()
	if err != nil {
		rc.t.Fatalf("read: %v (got %q, want %q)", err, got, want)
	}
	if got != want {
		rc.t.Fatalf("got %q, want %q", got, want)
	}
}

// roundTrip sends data and expects one frame.
func (rc *rawConn) roundTrip(data, want string) {
	rc.t.Helper()
	rc.send(data)
	rc.expect(want)
}

// expectClosed checks that the server closed the connection.
func (rc *rawConn) expectClosed() {
	rc.t.Helper()
	got, err := rc.readFrame()
	if err != io.EOF {
		rc.t.Fatalf("want EOF, got %q, %v", got, err)
	}
}

func TestWireBasic(t *testing.T) {
	ts := newTestStore(t)
	rc := dialRaw(t, ts.Store)
	rc.roundTrip("*1\r\n$4\r\nPING\r\n", "+PONG\r\n")
	rc.roundTrip("PING\r\n", "+PONG\r\n")
	rc.roundTrip("SET k v\r\n", "+OK\r\n")
	rc.roundTrip("GET k\r\n", "$1\r\nv\r\n")
	rc.roundTrip("GET nokey\r\n", "$-1\r\n")
	rc.roundTrip("ECHO \"a\\x41\\n\"\r\n", "$3\r\naA\n\r\n")
	rc.roundTrip("nosuch a\r\n", "-ERR unknown command 'nosuch', with args beginning with: 'a' \r\n")
}

func TestWirePipeline(t *testing.T) {
	ts := newTestStore(t)
	rc := dialRaw(t, ts.Store)
	var b strings.Builder
	for i := 0; i < 100; i++ {
		b.WriteString("*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n")
	}
	rc.send(b.String() + "GET n\r\n")
	for i := 1; i <= 100; i++ {
		rc.expect(":" + itoa(i) + "\r\n")
	}
	rc.expect("$3\r\n100\r\n")
}

func itoa(i int) string { return string(IntValue(int64(i)).Str()) }

func TestWireGoRedis(t *testing.T) {
	ts := newTestStore(t)
	rdb := redis.NewClient(&redis.Options{Dialer: ts.DialContext})
	defer rdb.Close()
	ctx := context.Background()
	if err := rdb.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if v, err := rdb.Get(ctx, "k").Result(); err != nil || v != "v" {
		t.Fatalf("GET = %q, %v", v, err)
	}
	if _, err := rdb.Get(ctx, "missing").Result(); !errors.Is(err, redis.Nil) {
		t.Fatalf("GET missing: %v, want redis.Nil", err)
	}
}

func TestWireTCPServeAndClose(t *testing.T) {
	s, err := Open(Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(l) }()
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rc := &rawConn{t: t, c: c, br: bufio.NewReader(c)}
	rc.roundTrip("SET a 1\r\n", "+OK\r\n")
	rc.roundTrip("*2\r\n$4\r\nINCR\r\n$1\r\na\r\n", ":2\r\n")
	// An idle in-memory connection too: Close must end its session.
	mc, err := s.DialContext(context.Background(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve after Close = %v, want nil", err)
	}
	rc.expectClosed()
	if _, err := s.DialContext(context.Background(), "", ""); !errors.Is(err, ErrClosed) {
		t.Fatalf("DialContext after Close: %v", err)
	}
	if err := s.Serve(l); !errors.Is(err, ErrClosed) {
		t.Fatalf("Serve after Close: %v", err)
	}
}
