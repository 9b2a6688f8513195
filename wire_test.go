package embedis

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

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

// goRedisLog records what go-redis logs.
type goRedisLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *goRedisLog) Printf(ctx context.Context, format string, v ...any) {
	l.mu.Lock()
	l.lines = append(l.lines, fmt.Sprintf(format, v...))
	l.mu.Unlock()
}

// TestWireGoRedis connects a default go-redis client over DialContext: its
// handshake (HELLO 3, CLIENT SETINFO, CLIENT MAINT_NOTIFICATIONS, answered
// as Redis 7.0.15 answers them) must succeed without a logged complaint.
func TestWireGoRedis(t *testing.T) {
	ts := newTestStore(t)
	logs := &goRedisLog{}
	redis.SetLogger(logs)
	rdb := redis.NewClient(&redis.Options{Dialer: ts.DialContext})
	defer rdb.Close()
	ctx := context.Background()
	defer func() {
		logs.mu.Lock()
		defer logs.mu.Unlock()
		if len(logs.lines) > 0 {
			t.Errorf("go-redis logged: %q", logs.lines)
		}
	}()
	if err := rdb.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if v, err := rdb.Get(ctx, "k").Result(); err != nil || v != "v" {
		t.Fatalf("GET = %q, %v", v, err)
	}
	if _, err := rdb.Get(ctx, "missing").Result(); !errors.Is(err, redis.Nil) {
		t.Fatalf("GET missing: %v, want redis.Nil", err)
	}
	// The handshake negotiated RESP3.
	if v, err := rdb.Do(ctx, "CLIENT", "INFO").Text(); err != nil || !strings.Contains(v, " resp=3") {
		t.Fatalf("CLIENT INFO = %q, %v", v, err)
	}
	// A pipeline arrives as one batch.
	pipe := rdb.Pipeline()
	incrs := make([]*redis.IntCmd, 50)
	for i := range incrs {
		incrs[i] = pipe.Incr(ctx, "n")
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if n := incrs[49].Val(); n != 50 {
		t.Fatalf("last INCR = %d", n)
	}

	// With a password.
	ts2 := newTestStore(t, func(o *Options) { o.Password = "pw" })
	bad := redis.NewClient(&redis.Options{Dialer: ts2.DialContext, Password: "nope"})
	defer bad.Close()
	if err := bad.Ping(ctx).Err(); err == nil || !strings.Contains(err.Error(), "WRONGPASS") {
		t.Fatalf("PING with a wrong password: %v", err)
	}
	good := redis.NewClient(&redis.Options{Dialer: ts2.DialContext, Password: "pw", DB: 2})
	defer good.Close()
	if err := good.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if v, _ := ts2.Database(2).Get(ctx, "k"); v != "v" {
		t.Fatalf("db2 k = %q", v)
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

func helloReply(proto, id int) string {
	head := "*14\r\n"
	if proto == 3 {
		head = "%7\r\n"
	}
	return head + "$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:" + itoa(proto) +
		"\r\n$2\r\nid\r\n:" + itoa(id) + "\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n"
}

func TestWireHelloAndProtocols(t *testing.T) {
	ts := newTestStore(t)
	rc := dialRaw(t, ts.Store)
	rc.roundTrip("CLIENT ID\r\n", ":1\r\n")
	rc.roundTrip("HELLO\r\n", helloReply(2, 1))
	rc.roundTrip("HELLO 4\r\n", "-NOPROTO unsupported protocol version\r\n")
	rc.roundTrip("HELLO x\r\n", "-ERR Protocol version is not an integer or out of range\r\n")
	rc.roundTrip("HELLO 3 foo\r\n", "-ERR Syntax error in HELLO option 'foo'\r\n")
	rc.roundTrip("HELLO 3 SETNAME \"a b\"\r\n", "-ERR Client names cannot contain spaces, newlines or special characters.\r\n")
	rc.roundTrip("GET missing\r\n", "$-1\r\n")
	// HELLO 3 and the commands pipelined after it are answered in RESP3.
	rc.send("HELLO 3 SETNAME me\r\nGET missing\r\nCLIENT GETNAME\r\n")
	rc.expect(helloReply(3, 1))
	rc.expect("_\r\n")
	rc.expect("$2\r\nme\r\n")
	rc.roundTrip("CLIENT TRACKINGINFO\r\n", "%3\r\n$5\r\nflags\r\n~1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n")
	rc.send("RESET\r\nGET missing\r\nCLIENT GETNAME\r\n")
	rc.expect("+RESET\r\n")
	rc.expect("$-1\r\n")
	rc.expect("$-1\r\n")
}

// TestWireEncoding checks each reply kind in RESP2 and RESP3.
func TestWireEncoding(t *testing.T) {
	cases := []struct {
		v            Value
		resp2, resp3 string
	}{
		{nullValue, "$-1\r\n", "_\r\n"},
		{nullArrayValue, "*-1\r\n", "_\r\n"},
		{SimpleValue("OK"), "+OK\r\n", "+OK\r\n"},
		{ErrorValue("ERR x"), "-ERR x\r\n", "-ERR x\r\n"},
		{IntValue(-7), ":-7\r\n", ":-7\r\n"},
		{DoubleValue(1.5), "$3\r\n1.5\r\n", ",1.5\r\n"},
		{DoubleValue(math.Inf(1)), "$3\r\ninf\r\n", ",inf\r\n"},
		{DoubleValue(math.Inf(-1)), "$4\r\n-inf\r\n", ",-inf\r\n"},
		{BulkValue(""), "$0\r\n\r\n", "$0\r\n\r\n"},
		{BoolValue(true), ":1\r\n", "#t\r\n"},
		{BoolValue(false), ":0\r\n", "#f\r\n"},
		{VerbatimValue("txt", "hi"), "$2\r\nhi\r\n", "=6\r\ntxt:hi\r\n"},
		{BigNumberValue("123456789012345678901234567890"), "$30\r\n123456789012345678901234567890\r\n", "(123456789012345678901234567890\r\n"},
		{ArrayValue(), "*0\r\n", "*0\r\n"},
		{ArrayValue(IntValue(1), nullValue), "*2\r\n:1\r\n$-1\r\n", "*2\r\n:1\r\n_\r\n"},
		{MapValue(BulkValue("a"), IntValue(1)), "*2\r\n$1\r\na\r\n:1\r\n", "%1\r\n$1\r\na\r\n:1\r\n"},
		{SetValue(BulkValue("a")), "*1\r\n$1\r\na\r\n", "~1\r\n$1\r\na\r\n"},
		{PushValue(BulkValue("m")), "*1\r\n$1\r\nm\r\n", ">1\r\n$1\r\nm\r\n"},
		{ArrayValue(MapValue(BulkValue("d"), DoubleValue(0.25))), "*1\r\n*2\r\n$1\r\nd\r\n$4\r\n0.25\r\n", "*1\r\n%1\r\n$1\r\nd\r\n,0.25\r\n"},
	}
	for _, c := range cases {
		if got := string(appendReply(nil, c.v, 2)); got != c.resp2 {
			t.Errorf("RESP2 %s: got %q, want %q", c.v.Kind(), got, c.resp2)
		}
		if got := string(appendReply(nil, c.v, 3)); got != c.resp3 {
			t.Errorf("RESP3 %s: got %q, want %q", c.v.Kind(), got, c.resp3)
		}
	}
}

func TestWireProtocolErrors(t *testing.T) {
	ts := newTestStore(t)
	cases := []struct{ send, want string }{
		{"*2147483648\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
		{"*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
		{"*+1\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
		{"*1\r\n\r\n", "-ERR Protocol error: expected '$', got ' '\r\n"},
		{"*1\r\nx\r\n", "-ERR Protocol error: expected '$', got 'x'\r\n"},
		{"*1\r\n$536870913\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
		{"*1\r\n$-1\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
		{"*1\r\n$04\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
		{"PING \"a\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n"},
		{"ECHO 'a'b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n"},
		{strings.Repeat("x", 64*1024+1), "-ERR Protocol error: too big inline request\r\n"},
		{"*1\r\n" + strings.Repeat("$", 64*1024+1), "-ERR Protocol error: too big bulk count string\r\n"},
		{"*" + strings.Repeat("1", 64*1024+1), "-ERR Protocol error: too big mbulk count string\r\n"},
	}
	for _, c := range cases {
		rc := dialRaw(t, ts.Store)
		// Commands before the error, in the same write, are answered first.
		rc.send("PING\r\n" + c.send)
		rc.expect("+PONG\r\n")
		rc.expect(c.want)
		rc.expectClosed()
	}
	// With CLIENT REPLY OFF the error is not sent either.
	rc := dialRaw(t, ts.Store)
	rc.send("CLIENT REPLY OFF\r\n*x\r\n")
	rc.expectClosed()

	// Empty and negative multibulk counts and blank lines are skipped.
	rc = dialRaw(t, ts.Store)
	rc.send("*0\r\n*-5\r\n\r\n   \r\n*1\r\n$4\r\nPING\r\n")
	rc.expect("+PONG\r\n")
	// As Redis, the two bytes after a bulk are skipped unchecked.
	rc.roundTrip("*2\r\n$4\r\nECHO\r\n$1\r\nxYZ", "$1\r\nx\r\n")
}

func TestWireAuth(t *testing.T) {
	ts := newTestStore(t, func(o *Options) { o.Password = "pw" })
	rc := dialRaw(t, ts.Store)
	rc.roundTrip("GET x\r\n", "-NOAUTH Authentication required.\r\n")
	rc.roundTrip("NOSUCH\r\n", "-ERR unknown command 'NOSUCH', with args beginning with: \r\n")
	rc.roundTrip("GET\r\n", "-ERR wrong number of arguments for 'get' command\r\n")
	rc.roundTrip("HELLO 3\r\n", "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n")
	rc.roundTrip("AUTH x\r\n", "-WRONGPASS invalid username-password pair or user is disabled.\r\n")
	rc.roundTrip("AUTH a b c\r\n", "-ERR syntax error\r\n")
	// AUTH then a command in one write: the second is read as authenticated.
	rc.send("AUTH pw\r\nGET x\r\n")
	rc.expect("+OK\r\n")
	rc.expect("$-1\r\n")
	rc.roundTrip("RESET\r\n", "+RESET\r\n")
	rc.roundTrip("GET x\r\n", "-NOAUTH Authentication required.\r\n")
	rc.roundTrip("HELLO 3 AUTH default pw\r\n", helloReply(3, 1))
	rc.roundTrip("GET x\r\n", "_\r\n")

	// An unauthenticated client may not announce big requests.
	for _, c := range []struct{ send, want string }{
		{"*11\r\n", "-ERR Protocol error: unauthenticated multibulk length\r\n"},
		{"*1\r\n$16385\r\n", "-ERR Protocol error: unauthenticated bulk length\r\n"},
	} {
		rc := dialRaw(t, ts.Store)
		rc.send(c.send)
		rc.expect(c.want)
		rc.expectClosed()
	}

	// Without a password, AUTH <password> is an error and AUTH default <any>
	// succeeds.
	ts2 := newTestStore(t)
	rc2 := dialRaw(t, ts2.Store)
	rc2.roundTrip("AUTH x\r\n", "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n")
	rc2.roundTrip("AUTH default x\r\n", "+OK\r\n")
	rc2.roundTrip("AUTH other x\r\n", "-WRONGPASS invalid username-password pair or user is disabled.\r\n")
}

func TestWireSelectQuitReply(t *testing.T) {
	ts := newTestStore(t)
	rc := dialRaw(t, ts.Store)
	rc.roundTrip("SELECT 16\r\n", "-ERR DB index is out of range\r\n")
	rc.roundTrip("SELECT -1\r\n", "-ERR DB index is out of range\r\n")
	rc.roundTrip("SELECT x\r\n", "-ERR value is not an integer or out of range\r\n")
	rc.roundTrip("SELECT 3\r\n", "+OK\r\n")
	rc.roundTrip("SET k in3\r\n", "+OK\r\n")
	if v, _ := ts.Database(3).Get(context.Background(), "k"); v != "in3" {
		t.Fatalf("db3 k = %q", v)
	}
	rc.send("CLIENT REPLY OFF\r\nPING\r\nCLIENT REPLY ON\r\nPING x\r\n")
	rc.expect("+OK\r\n")
	rc.expect("$1\r\nx\r\n")
	rc.send("CLIENT REPLY SKIP\r\nPING a\r\nPING b\r\n")
	rc.expect("$1\r\nb\r\n")
	rc.roundTrip("CLIENT REPLY foo\r\n", "-ERR syntax error\r\n")
	rc.send("QUIT x\r\nPING\r\n")
	rc.expect("+OK\r\n")
	rc.expectClosed()

	// Through Do, connection commands are refused; QUIT is harmless.
	if v := ts.do("SELECT", 1); v.Kind() != KindError {
		t.Fatalf("Do SELECT = %v", v)
	}
	ts.expect(okValue, "QUIT")
}

func TestWireClientListKill(t *testing.T) {
	ts := newTestStore(t)
	a := dialRaw(t, ts.Store)
	b := dialRaw(t, ts.Store)
	a.roundTrip("CLIENT SETNAME alpha\r\n", "+OK\r\n")
	b.roundTrip("CLIENT ID\r\n", ":2\r\n")
	a.send("CLIENT LIST\r\n")
	list, err := a.readFrame()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(list, "id=1 addr=") || !strings.Contains(list, " name=alpha ") ||
		!strings.Contains(list, "id=2 ") || !strings.Contains(list, "cmd=client|list") {
		t.Fatalf("CLIENT LIST = %q", list)
	}
	a.roundTrip("CLIENT LIST ID x\r\n", "-ERR Invalid client ID\r\n")
	a.roundTrip("CLIENT LIST TYPE foo\r\n", "-ERR Unknown client type 'foo'\r\n")
	a.roundTrip("CLIENT LIST TYPE pubsub\r\n", "$0\r\n\r\n")
	a.roundTrip("CLIENT KILL ID 0\r\n", "-ERR client-id should be greater than 0\r\n")
	a.roundTrip("CLIENT KILL 1.2.3.4:5\r\n", "-ERR No such client\r\n")
	a.roundTrip("CLIENT KILL ID 1\r\n", ":0\r\n") // SKIPME yes by default
	a.roundTrip("CLIENT KILL ID 2\r\n", ":1\r\n")
	b.expectClosed()
	a.roundTrip("CLIENT KILL ID 1 SKIPME no\r\n", ":1\r\n")
	a.expectClosed()
}

func TestWireClientPause(t *testing.T) {
	ts := newTestStore(t)
	a := dialRaw(t, ts.Store)
	b := dialRaw(t, ts.Store)
	a.roundTrip("CLIENT PAUSE -1\r\n", "-ERR timeout is negative\r\n")
	a.roundTrip("CLIENT PAUSE 1 foo\r\n", "-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n")
	a.roundTrip("CLIENT PAUSE 100000 WRITE\r\n", "+OK\r\n")
	b.roundTrip("GET k\r\n", "$-1\r\n") // reads pass
	b.send("SET k v\r\n")               // held until UNPAUSE
	a.roundTrip("CLIENT UNPAUSE\r\n", "+OK\r\n")
	b.expect("+OK\r\n")
}

// A client that disconnects in the middle of a request, or with replies
// unread, harms nobody.
func TestWireDisconnectMidCommand(t *testing.T) {
	ts := newTestStore(t)
	for _, part := range []string{"*3\r\n$3\r\nSET\r\n$1\r\nk", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nabc", "GET k"} {
		rc := dialRaw(t, ts.Store)
		rc.send(part)
		rc.c.Close()
	}
	rc := dialRaw(t, ts.Store)
	rc.send(strings.Repeat("PING\r\n", 10000))
	rc.c.Close()
	ts.expect(nullValue, "GET", "k")
}

// TestWireTCPLarge sends a large value and a long pipeline over TCP.
func TestWireTCPLarge(t *testing.T) {
	ts := newTestStore(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go ts.Serve(l)
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rc := &rawConn{t: t, c: c, br: bufio.NewReader(c)}
	big := strings.Repeat("v", 3<<20)
	rc.roundTrip("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$"+itoa(len(big))+"\r\n"+big+"\r\n", "+OK\r\n")
	rc.roundTrip("GET big\r\n", "$"+itoa(len(big))+"\r\n"+big+"\r\n")
	var b strings.Builder
	for i := 0; i < 5000; i++ {
		b.WriteString("*2\r\n$4\r\nINCR\r\n$3\r\nctr\r\n")
	}
	go io.WriteString(c, b.String())
	for i := 1; i <= 5000; i++ {
		rc.expect(":" + itoa(i) + "\r\n")
	}
}

// TestPipeDeadlines: the in-memory connection honours read and write
// deadlines and Close.
func TestPipeDeadlines(t *testing.T) {
	a, b := newPipe("a", "b")
	defer b.Close()
	a.SetReadDeadline(time.Now().Add(-time.Second))
	var buf [4]byte
	if _, err := a.Read(buf[:]); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Read past deadline: %v", err)
	}
	a.SetReadDeadline(time.Time{})
	b.Write([]byte("hi"))
	if n, err := a.Read(buf[:]); err != nil || string(buf[:n]) != "hi" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
	// Fill b's outgoing buffer; the next write blocks until its deadline.
	if _, err := b.Write(make([]byte, pipeBufLimit)); err != nil {
		t.Fatal(err)
	}
	b.SetWriteDeadline(time.Now().Add(-time.Second))
	if _, err := b.Write([]byte("x")); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Write past deadline: %v", err)
	}
	b.Close()
	n := 0
	for {
		m, err := a.Read(make([]byte, 64<<10))
		n += m
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if n != pipeBufLimit {
		t.Fatalf("read %d bytes after the peer closed, want %d", n, pipeBufLimit)
	}
	a.Close()
	if _, err := a.Read(buf[:]); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Read after Close: %v", err)
	}
	if _, err := a.Write(buf[:]); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Write after Close: %v", err)
	}
}

// A go-redis client talks to a Store through DialContext, with no port.
func ExampleStore_DialContext() {
	s, err := Open(Options{})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	rdb := redis.NewClient(&redis.Options{Dialer: s.DialContext})
	defer rdb.Close()

	ctx := context.Background()
	rdb.Set(ctx, "greeting", "hello", 0)
	v, _ := rdb.Get(ctx, "greeting").Result()
	_, err = rdb.Get(ctx, "missing").Result()
	fmt.Println(v, err == redis.Nil)
	// Output: hello true
}

func BenchmarkWireGoRedisGet(b *testing.B) {
	ts := newTestStore(b)
	rdb := redis.NewClient(&redis.Options{Dialer: ts.DialContext})
	defer rdb.Close()
	ctx := context.Background()
	rdb.Set(ctx, "k", "v", 0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := rdb.Get(ctx, "k").Err(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWirePipeline(b *testing.B) {
	for _, n := range []int{1, 16, 256} {
		b.Run(itoa(n), func(b *testing.B) {
			ts := newTestStore(b)
			rc := dialRaw(b, ts.Store)
			req := strings.Repeat("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", n)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rc.send(req)
				for j := 0; j < n; j++ {
					rc.expect("$-1\r\n")
				}
			}
		})
	}
}

// FuzzWireSession sends arbitrary bytes to a session: whatever arrives, the
// store must not panic or hang, and must close cleanly with its invariants
// intact.
func FuzzWireSession(f *testing.F) {
	for _, seed := range []string{
		"PING\r\n", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\nGET k\r\n", "HELLO 3\r\nCLIENT INFO\r\n",
		"CLIENT REPLY OFF\r\nPING\r\n", "CONFIG SET hz 5\r\nINFO\r\n", "COMMAND GETKEYS get a\r\n",
		"CLIENT KILL ID 1 SKIPME no\r\nPING\r\n", "SELECT 2\r\nSET a b\r\nRESET\r\n", "*1\r\n$-5\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Open(Options{Seed: 1, Clock: NewManualClock(testStart)})
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.DialContext(context.Background(), "", "")
		if err != nil {
			t.Fatal(err)
		}
		c.Write(data)
		c.Write([]byte("\r\n*1\r\n$4\r\nPING\r\n"))
		c.Close()
		var ierr error
		if err := s.onExecutor(context.Background(), func(s *Store) { ierr = s.checkInvariants() }); err != nil {
			t.Fatal(err)
		}
		if ierr != nil {
			t.Fatal(ierr)
		}
		s.Close()
	})
}
