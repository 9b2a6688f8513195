package embedis

import (
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
)

// An in-memory connection: the two ends of a buffered, full-duplex pipe
// that satisfy net.Conn with working deadlines. net.Pipe would do, but it
// is unbuffered: each Write waits for the peer's Read, so a pipeline of
// requests or a large reply costs one goroutine hand-off per write call.
// Here a writer copies into the peer's buffer and goes on, up to
// pipeBufLimit bytes in flight per direction.
//
// To its user each end looks like a TCP socket, since clients decide by
// the error whether a connection is broken and a command may be retried:
// after the peer closes, Read drains what was sent and then returns
// io.EOF, and Write fails with a broken pipe (EPIPE); after this end's
// Close, every method fails with net.ErrClosed; a deadline that has passed
// fails Read and Write with os.ErrDeadlineExceeded (a net.Error whose
// Timeout is true) even when data is waiting. Errors other than io.EOF
// come as *net.OpError, as the net package's connections return them.

// pipeBufLimit bounds the unread bytes in one direction; a writer waits
// for the reader beyond it.
const pipeBufLimit = 1 << 20

// pipeHalf is one direction of the pipe.
type pipeHalf struct {
	mu      sync.Mutex
	data    []byte
	off     int  // data[off:] is unread
	wclosed bool // the writing end closed: reads drain, then io.EOF
	rclosed bool // the reading end closed: writes fail

	readable chan struct{} // capacity 1: data arrived or wclosed
	writable chan struct{} // capacity 1: room freed or rclosed
}

func newPipeHalf() *pipeHalf {
	return &pipeHalf{readable: make(chan struct{}, 1), writable: make(chan struct{}, 1)}
}

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// pipeConn is one end of the pipe.
type pipeConn struct {
	in, out       *pipeHalf
	rdl, wdl      *pipeDeadline
	done          chan struct{} // closed by Close
	closeOnce     sync.Once
	local, remote pipeAddr
}

// newPipe returns the two connected ends.
func newPipe(clientName, serverName string) (client, server *pipeConn) {
	a, b := newPipeHalf(), newPipeHalf()
	client = &pipeConn{in: a, out: b, rdl: newPipeDeadline(), wdl: newPipeDeadline(), done: make(chan struct{}),
		local: pipeAddr(clientName), remote: pipeAddr(serverName)}
	server = &pipeConn{in: b, out: a, rdl: newPipeDeadline(), wdl: newPipeDeadline(), done: make(chan struct{}),
		local: pipeAddr(serverName), remote: pipeAddr(clientName)}
	return client, server
}

func (c *pipeConn) Read(p []byte) (int, error) {
	h := c.in
	for {
		// Closed and expired come before pending data, as on a socket: a
		// deadline already past fails the call even when bytes are
		// waiting (the watcher of a blocked session relies on it).
		select {
		case <-c.done:
			return 0, c.opError("read", net.ErrClosed)
		default:
		}
		if isClosed(c.rdl.wait()) {
			return 0, c.opError("read", os.ErrDeadlineExceeded)
		}
		h.mu.Lock()
		if h.off < len(h.data) {
			n := copy(p, h.data[h.off:])
			h.off += n
			more := h.off < len(h.data)
			if !more {
				h.data, h.off = h.data[:0], 0
			}
			h.mu.Unlock()
			signal(h.writable)
			if more {
				signal(h.readable) // for another reader
			}
			return n, nil
		}
		if h.wclosed {
			h.mu.Unlock()
			return 0, io.EOF
		}
		h.mu.Unlock()
		if len(p) == 0 {
			return 0, nil
		}
		select {
		case <-h.readable:
		case <-c.done:
			return 0, c.opError("read", net.ErrClosed)
		case <-c.rdl.wait():
			return 0, c.opError("read", os.ErrDeadlineExceeded)
		}
	}
}

func (c *pipeConn) Write(p []byte) (int, error) {
	h := c.out
	total := 0
	for {
		select {
		case <-c.done:
			return total, c.opError("write", net.ErrClosed)
		default:
		}
		if isClosed(c.wdl.wait()) {
			return total, c.opError("write", os.ErrDeadlineExceeded)
		}
		h.mu.Lock()
		if h.rclosed {
			h.mu.Unlock()
			return total, c.opError("write", errBrokenPipe)
		}
		if room := pipeBufLimit - (len(h.data) - h.off); room > 0 {
			n := min(room, len(p))
			if h.off > 0 && len(h.data)+n > cap(h.data) {
				// Reuse the consumed front before growing.
				m := copy(h.data, h.data[h.off:])
				h.data, h.off = h.data[:m], 0
			}
			h.data = append(h.data, p[:n]...)
			h.mu.Unlock()
			signal(h.readable)
			p = p[n:]
			total += n
			if len(p) == 0 {
				return total, nil
			}
			continue
		}
		h.mu.Unlock()
		select {
		case <-h.writable:
		case <-c.done:
			return total, c.opError("write", net.ErrClosed)
		case <-c.wdl.wait():
			return total, c.opError("write", os.ErrDeadlineExceeded)
		}
	}
}

// Close closes this end: its blocked calls fail with net.ErrClosed, the
// peer reads what was written and then io.EOF, and the peer's writes fail
// with a broken pipe. Closing again returns net.ErrClosed, as a socket's
// Close does.
func (c *pipeConn) Close() error {
	first := false
	c.closeOnce.Do(func() {
		first = true
		close(c.done)
		c.out.mu.Lock()
		c.out.wclosed = true
		c.out.mu.Unlock()
		signal(c.out.readable)
		c.in.mu.Lock()
		c.in.rclosed = true
		c.in.data, c.in.off = nil, 0
		c.in.mu.Unlock()
		signal(c.in.writable)
	})
	if !first {
		return c.opError("close", net.ErrClosed)
	}
	return nil
}

// errBrokenPipe is what a write to a connection whose peer has closed
// fails with: EPIPE, as a socket's write reports it, so that clients
// classify it as they do over TCP (go-redis, for one, treats it as a bad
// connection and retries the command on a new one).
var errBrokenPipe = os.NewSyscallError("write", syscall.EPIPE)

// opError wraps err as a socket's methods do (*net.OpError), so that
// errors.Is(err, net.ErrClosed), errors.Is(err, os.ErrDeadlineExceeded)
// and the net.Error Timeout method work as on a TCP connection.
func (c *pipeConn) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: "embedis", Source: c.local, Addr: c.remote, Err: err}
}

func (c *pipeConn) LocalAddr() net.Addr  { return c.local }
func (c *pipeConn) RemoteAddr() net.Addr { return c.remote }

func (c *pipeConn) SetDeadline(t time.Time) error {
	c.rdl.set(t)
	c.wdl.set(t)
	return nil
}

func (c *pipeConn) SetReadDeadline(t time.Time) error  { c.rdl.set(t); return nil }
func (c *pipeConn) SetWriteDeadline(t time.Time) error { c.wdl.set(t); return nil }

// pipeAddr is the address of an in-memory connection.
type pipeAddr string

func (pipeAddr) Network() string  { return "embedis" }
func (a pipeAddr) String() string { return string(a) }

// pipeDeadline is a deadline whose channel is closed when it passes.
type pipeDeadline struct {
	mu    sync.Mutex
	timer *time.Timer
	ch    chan struct{}
}

func newPipeDeadline() *pipeDeadline { return &pipeDeadline{ch: make(chan struct{})} }

func (d *pipeDeadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil && !d.timer.Stop() {
		<-d.ch // the timer fired: wait until its function has closed ch
	}
	d.timer = nil
	closed := isClosed(d.ch)
	if t.IsZero() {
		if closed {
			d.ch = make(chan struct{})
		}
		return
	}
	if dur := time.Until(t); dur > 0 {
		if closed {
			d.ch = make(chan struct{})
		}
		ch := d.ch
		d.timer = time.AfterFunc(dur, func() { close(ch) })
		return
	}
	if !closed {
		close(d.ch)
	}
}

func (d *pipeDeadline) wait() chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.ch
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
