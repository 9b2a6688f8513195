package embedis

import (
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// An in-memory connection: the two ends of a buffered, full-duplex pipe
// that satisfy net.Conn with working deadlines. net.Pipe would do, but it
// is unbuffered: each Write waits for the peer's Read, so a pipeline of
// requests or a large reply costs one goroutine hand-off per write call.
// Here a writer copies into the peer's buffer and goes on, up to
// pipeBufLimit bytes in flight per direction.

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
		select {
		case <-c.done:
			return 0, net.ErrClosed
		default:
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
			return 0, net.ErrClosed
		case <-c.rdl.wait():
			return 0, os.ErrDeadlineExceeded
		}
	}
}

func (c *pipeConn) Write(p []byte) (int, error) {
	h := c.out
	total := 0
	for {
		select {
		case <-c.done:
			return total, net.ErrClosed
		default:
		}
		select {
		case <-c.wdl.wait():
			return total, os.ErrDeadlineExceeded
		default:
		}
		h.mu.Lock()
		if h.rclosed {
			h.mu.Unlock()
			return total, io.ErrClosedPipe
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
			return total, net.ErrClosed
		case <-c.wdl.wait():
			return total, os.ErrDeadlineExceeded
		}
	}
}

// Close closes this end: its blocked calls return net.ErrClosed, the peer
// reads what was written and then io.EOF, and the peer's writes fail.
func (c *pipeConn) Close() error {
	c.closeOnce.Do(func() {
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
	return nil
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
