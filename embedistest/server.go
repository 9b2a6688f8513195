package embedistest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/embedis/embedis"
)

// Server is what a test talks to through a client: a fresh embedis store,
// or a real Redis when the REDIS_ADDR environment variable is set, so the
// same test checks the code under test (and embedis) against both.
//
//	srv := embedistest.Start(t)
//	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr, Dialer: srv.Dial})
//	// ... the test, with assertions on srv ...
//	embedistest.AssertList(t, srv, "queue", []string{"a", "b"})
//
// Against a real Redis the server must be disposable: Start runs
// FLUSHALL before the test, and tests that share it must not run in
// parallel. Time control and fault injection need embedis: FastForward
// and Store fail or skip the test against a real Redis (see each).
type Server struct {
	// Addr is the address clients connect to: a TCP listener on 127.0.0.1
	// serving the store, or REDIS_ADDR.
	Addr string
	// Store is the embedis store; nil against a real Redis.
	Store *embedis.Store

	t    testing.TB
	mu   sync.Mutex // serializes Do against a real Redis
	conn net.Conn   // the assertion connection to a real Redis
	rd   *bufio.Reader
}

// RedisAddrEnv is the environment variable that points Start at a real
// Redis ("host:port").
const RedisAddrEnv = "REDIS_ADDR"

// Start returns the Server for t: a store from Open served on Addr, or the
// real Redis at $REDIS_ADDR, flushed. Everything is closed when t ends.
func Start(t testing.TB, opts ...embedis.Options) *Server {
	t.Helper()
	addr := os.Getenv(RedisAddrEnv)
	if addr == "" {
		s := Open(t, opts...)
		return &Server{Addr: Addr(t, s), Store: s, t: t}
	}
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("embedistest.Start: %s=%s: %v", RedisAddrEnv, addr, err)
	}
	srv := &Server{Addr: addr, t: t, conn: c, rd: bufio.NewReader(c)}
	t.Cleanup(func() { c.Close() })
	if v, err := srv.Do(context.Background(), "FLUSHALL"); err != nil || v.Err() != nil {
		t.Fatalf("embedistest.Start: FLUSHALL on %s: %v %v", addr, err, v.Err())
	}
	return srv
}

// Real reports whether the server is a real Redis (REDIS_ADDR).
func (srv *Server) Real() bool { return srv.Store == nil }

// Dial connects to the server, for a client's dialer option (go-redis's
// Options.Dialer): the store's in-memory connection, or TCP to a real
// Redis. The addr argument is ignored.
func (srv *Server) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if srv.Store != nil {
		return srv.Store.DialContext(ctx, network, addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", srv.Addr)
}

// Do runs a command on database 0 and returns its reply, so assertions
// (AssertString ...) and test setup work against both kinds of server.
// Against a real Redis the reply is read as RESP2.
func (srv *Server) Do(ctx context.Context, args ...any) (embedis.Value, error) {
	if srv.Store != nil {
		return srv.Store.Do(ctx, args...)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if dl, ok := ctx.Deadline(); ok {
		srv.conn.SetDeadline(dl)
		defer srv.conn.SetDeadline(time.Time{})
	}
	buf := []byte("*" + strconv.Itoa(len(args)) + "\r\n")
	for _, a := range args {
		s := argText(a)
		buf = append(buf, "$"+strconv.Itoa(len(s))+"\r\n"+s+"\r\n"...)
	}
	if _, err := srv.conn.Write(buf); err != nil {
		return embedis.Value{}, fmt.Errorf("embedistest: writing to %s: %w", srv.Addr, err)
	}
	v, err := readReply(srv.rd)
	if err != nil {
		return embedis.Value{}, fmt.Errorf("embedistest: reading from %s: %w", srv.Addr, err)
	}
	return v, nil
}

// FastForward moves the embedis store's clock (see the package-level
// FastForward). Against a real Redis, whose clock cannot move, it skips
// the test.
func (srv *Server) FastForward(d time.Duration) {
	srv.t.Helper()
	if srv.Store == nil {
		srv.t.Skipf("embedistest: time control needs embedis; %s is a real Redis", srv.Addr)
	}
	FastForward(srv.t, srv.Store, d)
}

// InjectFault injects f in the embedis store (see the package-level
// InjectFault). Against a real Redis it skips the test.
func (srv *Server) InjectFault(f Fault) {
	srv.t.Helper()
	if srv.Store == nil {
		srv.t.Skipf("embedistest: fault injection needs embedis; %s is a real Redis", srv.Addr)
	}
	InjectFault(srv.t, srv.Store, f)
}

// argText formats a command argument as Store.Do does: []byte as is,
// bools as 1 or 0, durations in whole seconds, the rest with fmt.Sprint.
func argText(a any) string {
	switch v := a.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case bool:
		if v {
			return "1"
		}
		return "0"
	case time.Duration:
		return strconv.FormatInt(int64(v/time.Second), 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(v), 'f', -1, 32)
	}
	return fmt.Sprint(a)
}

// errProtocol reports a reply that is not RESP2.
var errProtocol = errors.New("malformed RESP2 reply")

// readReply reads one RESP2 reply.
func readReply(rd *bufio.Reader) (embedis.Value, error) {
	line, err := rd.ReadString('\n')
	if err != nil {
		return embedis.Value{}, err
	}
	if len(line) < 3 || line[len(line)-2] != '\r' {
		return embedis.Value{}, errProtocol
	}
	body := line[1 : len(line)-2]
	switch line[0] {
	case '+':
		return embedis.SimpleValue(body), nil
	case '-':
		return embedis.ErrorValue(body), nil
	case ':':
		n, err := strconv.ParseInt(body, 10, 64)
		if err != nil {
			return embedis.Value{}, errProtocol
		}
		return embedis.IntValue(n), nil
	case '$':
		n, err := strconv.Atoi(body)
		if err != nil || n < -1 {
			return embedis.Value{}, errProtocol
		}
		if n == -1 {
			return embedis.Value{}, nil // the null reply
		}
		b := make([]byte, n+2)
		if _, err := io.ReadFull(rd, b); err != nil {
			return embedis.Value{}, err
		}
		return embedis.BulkValue(string(b[:n])), nil
	case '*':
		n, err := strconv.Atoi(body)
		if err != nil || n < -1 {
			return embedis.Value{}, errProtocol
		}
		if n == -1 {
			return embedis.Value{}, nil
		}
		elems := make([]embedis.Value, n)
		for i := range elems {
			if elems[i], err = readReply(rd); err != nil {
				return embedis.Value{}, err
			}
		}
		return embedis.ArrayValue(elems...), nil
	}
	return embedis.Value{}, errProtocol
}
