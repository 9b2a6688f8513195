package embedis

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// A read deadline already past fails Read with a timeout even when data is
// waiting, as on net.Pipe and TCP; the data stays for the next Read.
func TestPipeReadDeadlineWithPendingData(t *testing.T) {
	a, b := newPipe("a", "b")
	defer a.Close()
	defer b.Close()
	if _, err := b.Write([]byte("pending")); err != nil {
		t.Fatal(err)
	}
	a.SetReadDeadline(time.Unix(1, 0))
	var buf [16]byte
	n, err := a.Read(buf[:])
	var ne net.Error
	if n != 0 || !errors.As(err, &ne) || !ne.Timeout() || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Read past deadline with data pending = %d, %v; want 0 and a timeout", n, err)
	}
	b.SetWriteDeadline(time.Unix(1, 0))
	if _, err := b.Write([]byte("x")); !errors.As(err, &ne) || !ne.Timeout() || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Write past deadline = %v; want a timeout", err)
	}
	a.SetReadDeadline(time.Time{})
	if n, err := a.Read(buf[:]); err != nil || string(buf[:n]) != "pending" {
		t.Fatalf("Read after clearing the deadline = %q, %v", buf[:n], err)
	}
}

// The errors of the in-memory connection are those of a TCP socket: the
// peer's close is io.EOF to Read and a broken pipe (a non-timeout
// net.Error) to Write; the local close is net.ErrClosed in a *net.OpError.
func TestPipeErrorsLikeTCP(t *testing.T) {
	a, b := newPipe("a", "b")
	b.Write([]byte("last"))
	if err := b.Close(); err != nil {
		t.Fatalf("first Close: %v", err)
	}
	var buf [8]byte
	if n, err := a.Read(buf[:]); err != nil || string(buf[:n]) != "last" {
		t.Fatalf("Read before EOF = %q, %v", buf[:n], err)
	}
	if _, err := a.Read(buf[:]); err != io.EOF {
		t.Fatalf("Read after the peer closed = %v, want io.EOF", err)
	}
	_, err := a.Write([]byte("x"))
	var oe *net.OpError
	if !errors.As(err, &oe) || oe.Op != "write" || oe.Timeout() || !errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("Write after the peer closed = %#v, want a broken pipe *net.OpError", err)
	}
	if err := a.Close(); err != nil {
		t.Fatalf("first Close: %v", err)
	}
	for name, err := range map[string]error{
		"Close": a.Close(),
		"Read":  func() error { _, err := a.Read(buf[:]); return err }(),
		"Write": func() error { _, err := a.Write(buf[:]); return err }(),
	} {
		if !errors.As(err, &oe) || !errors.Is(err, net.ErrClosed) {
			t.Errorf("%s after Close = %v, want net.ErrClosed in a *net.OpError", name, err)
		}
	}
}

// A blocked client's further writes are kept for after the block, but no
// more than client-query-buffer-limit of them: beyond it the client is
// closed, as Redis closes a client that reached max query buffer length.
func TestBlockingWatcherQueryLimit(t *testing.T) {
	ts := newTestStore(t)
	admin := dialRaw(t, ts.Store)
	admin.roundTrip("CONFIG SET client-query-buffer-limit 64kb\r\n", "+OK\r\n")

	// Under the limit: kept and served after the block.
	a := dialRaw(t, ts.Store)
	a.send("BLPOP k 0\r\n")
	ts.waitBlocked(1)
	a.send(strings.Repeat("PING\r\n", 1000))
	admin.roundTrip("RPUSH k v\r\n", ":1\r\n")
	a.expect("*2\r\n$1\r\nk\r\n$1\r\nv\r\n")
	for i := 0; i < 1000; i++ {
		a.expect("+PONG\r\n")
	}

	// Over it: dropped, and its blocked call with it.
	c := dialRaw(t, ts.Store)
	c.send("BLPOP k 0\r\n")
	ts.waitBlocked(1)
	// The server closes the connection while this is being written, so
	// the write may fail part way.
	go c.c.Write([]byte(strings.Repeat("PING\r\n", 20000)))
	// Bounded only so that a regression fails rather than hangs.
	c.c.SetReadDeadline(time.Now().Add(30 * time.Second))
	c.expectClosed()
	ts.waitBlocked(0)
	admin.roundTrip("RPUSH k w\r\n", ":1\r\n")
	admin.roundTrip("LLEN k\r\n", ":1\r\n")
}

// After CLIENT KILL of its connection, a go-redis client's next command
// succeeds on a new connection, over the in-memory dialer as over TCP.
func TestGoRedisRedialAfterKill(t *testing.T) {
	ts := newTestStore(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go ts.Serve(l)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		opts redis.Options
	}{
		{"pipe", redis.Options{Dialer: ts.DialContext, PoolSize: 1}},
		{"tcp", redis.Options{Addr: l.Addr().String(), PoolSize: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rdb := redis.NewClient(&tc.opts)
			defer rdb.Close()
			id, err := rdb.ClientID(ctx).Result()
			if err != nil {
				t.Fatal(err)
			}
			admin := dialRaw(t, ts.Store)
			admin.roundTrip("CLIENT KILL ID "+itoa(int(id))+"\r\n", ":1\r\n")
			waitGone(admin, int(id)) // the kill is done
			if err := rdb.Set(ctx, "k", tc.name, 0).Err(); err != nil {
				t.Fatalf("SET after CLIENT KILL: %v", err)
			}
			id2, err := rdb.ClientID(ctx).Result()
			if err != nil || id2 == id {
				t.Fatalf("CLIENT ID after the redial = %d, %v (was %d)", id2, err, id)
			}
		})
	}
}

// When the store closes, its in-memory connections see what a TCP client
// sees when the server goes away: EOF, then a broken pipe on write.
func TestPipeServerClose(t *testing.T) {
	s, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.DialContext(context.Background(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s.Close()
	var buf [8]byte
	if _, err := c.Read(buf[:]); err != io.EOF {
		t.Fatalf("Read after the store closed = %v, want io.EOF", err)
	}
	if _, err := c.Write([]byte("PING\r\n")); !errors.Is(err, syscall.EPIPE) {
		t.Fatalf("Write after the store closed = %v, want a broken pipe", err)
	}
}
