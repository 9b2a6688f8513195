// Package resp reads Redis requests and writes RESP2/RESP3 replies.
//
// The Reader parses what clients send: multibulk requests
// ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n") and inline commands ("GET k\r\n", as
// telnet and redis-cli in some modes send them), with the limits and the
// protocol-error texts of Redis 7.0. It is incremental: a request that has
// arrived in part keeps its parsed prefix, so the server can take every
// request already buffered without blocking (see Reader.Buffered) and submit
// a pipeline as one batch.
//
// The Append functions encode reply frames into a byte slice; the root
// package maps its reply values onto them.
package resp

import (
	"bytes"
	"errors"
	"io"
	"math"
)

// Limits, as Redis 7.0 has them.
const (
	// MaxInline is PROTO_INLINE_MAX_SIZE: the longest inline request, and
	// the longest length line of a multibulk request.
	MaxInline = 64 * 1024
	// DefaultMaxBulk is proto-max-bulk-len's default: 512 MB.
	DefaultMaxBulk = 512 << 20
	// MaxMultibulk is the largest argument count a request may announce
	// (INT_MAX in Redis 7.0).
	MaxMultibulk = math.MaxInt32
	// UnauthMaxMultibulk and UnauthMaxBulk bound the requests of a client
	// that has not authenticated yet, so that it cannot make the server
	// buffer much before it proves it knows the password.
	UnauthMaxMultibulk = 10
	UnauthMaxBulk      = 16384
)

// DefaultMaxQuery is client-query-buffer-limit's default: 1 GB.
const DefaultMaxQuery = 1 << 30

// ErrQueryBufferLimit is returned when a client has sent more unprocessed
// data than MaxQuery; Redis closes such a connection without a reply.
var ErrQueryBufferLimit = errors.New("resp: client query buffer limit reached")

// initialBuf is the size of a Reader's first buffer (Redis reads 16 KB at a
// time).
const initialBuf = 16 * 1024

// ProtocolError is a request that breaks the protocol. Its text is what
// Redis replies (after "ERR "), and the server closes the connection after
// sending it.
type ProtocolError struct{ Msg string }

func (e *ProtocolError) Error() string { return e.Msg }

func protoErr(msg string) error { return &ProtocolError{Msg: "Protocol error: " + msg} }

var (
	errInvalidMultibulk = protoErr("invalid multibulk length")
	errUnauthMultibulk  = protoErr("unauthenticated multibulk length")
	errInvalidBulk      = protoErr("invalid bulk length")
	errUnauthBulk       = protoErr("unauthenticated bulk length")
	errBigInline        = protoErr("too big inline request")
	errBigMbulkCount    = protoErr("too big mbulk count string")
	errBigBulkCount     = protoErr("too big bulk count string")
	errUnbalanced       = protoErr("unbalanced quotes in request")
)

// IsProtocolError reports whether err is a ProtocolError.
func IsProtocolError(err error) bool {
	var pe *ProtocolError
	return errors.As(err, &pe)
}

// Reader reads requests from a connection.
type Reader struct {
	src io.Reader
	buf []byte
	r   int // start of unparsed data in buf
	w   int // end of data in buf

	// MaxBulk is the longest bulk argument accepted (proto-max-bulk-len).
	// Zero means DefaultMaxBulk.
	MaxBulk int64
	// MaxQuery bounds the bytes of requests buffered at once
	// (client-query-buffer-limit); a client beyond it gets
	// ErrQueryBufferLimit. Zero means DefaultMaxQuery.
	MaxQuery int
	// Unauthenticated applies Redis's tighter limits for clients that must
	// still AUTH. The server sets it before each read.
	Unauthenticated bool

	// A multibulk request in progress.
	multibulk int64 // arguments still to read; 0 when none is in progress
	bulklen   int64 // length of the next argument; -1 before its header
	args      []string

	// slab is where small requests' argument vectors are carved from, so
	// a pipeline of short commands costs one allocation per slab, not one
	// per command. A carved vector has its capacity cut to its length,
	// and the slab only moves forward: a vector is never reused, so a
	// command may keep its arguments.
	slab     []string
	argBytes int64 // bytes of the arguments of the request in progress

	err error // sticky: a read error or a protocol error
}

// NewReader returns a Reader of requests from src.
func NewReader(src io.Reader) *Reader {
	return &Reader{src: src, bulklen: -1}
}

// ReadCommand returns the next request's arguments, reading from the source
// as needed. It never returns an empty request (Redis skips "*0", "*-1" and
// blank lines). After an error every later call returns the same error: a
// *ProtocolError, or the source's error (io.EOF when the peer closed,
// possibly mid-request).
func (r *Reader) ReadCommand() ([]string, error) {
	for {
		args, err := r.parse()
		if args != nil || err != nil {
			return args, err
		}
		if err := r.fill(); err != nil {
			r.err = err
			return nil, err
		}
	}
}

// Buffered returns the next request if it has arrived completely, and nil
// without reading from the source otherwise. A protocol error in buffered
// data is returned as ReadCommand would.
func (r *Reader) Buffered() ([]string, error) {
	return r.parse()
}

// Pending reports how many bytes have been received but not yet returned as
// requests.
func (r *Reader) Pending() int { return r.w - r.r }

// fill reads more data into the buffer, making room first.
func (r *Reader) fill() error {
	if r.r == r.w {
		r.r, r.w = 0, 0
		if len(r.buf) > 64*initialBuf {
			r.buf = nil // do not keep a big request's buffer while idle
		}
	}
	if r.buf == nil {
		r.buf = make([]byte, initialBuf)
	}
	if len(r.buf)-r.w < initialBuf/4 {
		n := r.w - r.r
		if r.r > 0 && n <= len(r.buf)/2 {
			copy(r.buf, r.buf[r.r:r.w])
		} else {
			// The buffer is full of data that has arrived: grow it. Memory
			// stays within twice what the peer has actually sent, whatever
			// lengths it announces.
			limit := r.MaxQuery
			if limit <= 0 {
				limit = DefaultMaxQuery
			}
			if n >= limit {
				return ErrQueryBufferLimit
			}
			nb := make([]byte, min(2*len(r.buf), limit+initialBuf))
			copy(nb, r.buf[r.r:r.w])
			r.buf = nb
		}
		r.r, r.w = 0, n
	}
	for {
		n, err := r.src.Read(r.buf[r.w:])
		r.w += n
		if n > 0 {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// parse returns the next complete request from the buffer, or nil.
func (r *Reader) parse() ([]string, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		if r.multibulk == 0 {
			if r.r == r.w {
				return nil, nil
			}
			if r.buf[r.r] != '*' {
				args, done, err := r.parseInline()
				if err != nil {
					r.err = err
					return nil, err
				}
				if !done {
					return nil, nil
				}
				if len(args) == 0 {
					continue // a blank line
				}
				return args, nil
			}
			n, done, err := r.parseMultibulkLen()
			if err != nil {
				r.err = err
				return nil, err
			}
			if !done {
				return nil, nil
			}
			if n <= 0 {
				continue // Redis ignores empty and negative counts
			}
			r.multibulk = n
			r.bulklen = -1
			r.args = r.argVector(int(min(n, 1024)))
		}
		for r.multibulk > 0 {
			if r.bulklen < 0 {
				n, done, err := r.parseBulkLen()
				if err != nil {
					r.err = err
					return nil, err
				}
				if !done {
					return nil, nil
				}
				r.bulklen = n
			}
			if int64(r.w-r.r) < r.bulklen+2 {
				return nil, nil
			}
			end := r.r + int(r.bulklen)
			r.args = append(r.args, string(r.buf[r.r:end]))
			r.argBytes += r.bulklen
			// As Redis, the two bytes after the data are skipped unchecked.
			r.r = end + 2
			r.bulklen = -1
			r.multibulk--
		}
		args := r.args
		r.args = nil
		if r.argBytes > slabArgBytes && cap(args) <= slabMax {
			// Do not let the slab keep big arguments alive after the
			// command is done with them: give this vector its own array.
			own := make([]string, len(args))
			copy(own, args)
			clear(args)
			args = own
		}
		r.argBytes = 0
		return args, nil
	}
}

// slabSize is the number of argument slots in one slab; slabMax is the
// largest vector carved from one (larger ones get their own allocation).
const (
	slabSize = 256
	slabMax  = 16
	// slabArgBytes is the largest total argument size of a request whose
	// vector stays in a slab, so a slab keeps at most slabSize times this
	// alive.
	slabArgBytes = 1024
)

// argVector returns an empty vector with room for n arguments.
func (r *Reader) argVector(n int) []string {
	if n > slabMax {
		return make([]string, 0, n)
	}
	if cap(r.slab)-len(r.slab) < n {
		r.slab = make([]string, 0, slabSize)
	}
	i := len(r.slab)
	r.slab = r.slab[:i+n]
	return r.slab[i : i : i+n]
}

// line finds the '\r' that ends a length line starting at r.r. It reports
// done=false while the line (and the byte after '\r') has not arrived.
func (r *Reader) line(tooBig error) (end int, done bool, err error) {
	i := strchrShort(r.buf[r.r:r.w], '\r')
	if i < 0 {
		if r.w-r.r > MaxInline {
			return 0, false, tooBig
		}
		return 0, false, nil
	}
	end = r.r + i
	if end+1 >= r.w {
		return 0, false, nil // the '\n' is not here yet
	}
	return end, true, nil
}

func (r *Reader) parseMultibulkLen() (int64, bool, error) {
	end, done, err := r.line(errBigMbulkCount)
	if !done {
		return 0, false, err
	}
	n, ok := parseInt(r.buf[r.r+1 : end])
	if !ok || n > MaxMultibulk {
		return 0, false, errInvalidMultibulk
	}
	if r.Unauthenticated && n > UnauthMaxMultibulk {
		return 0, false, errUnauthMultibulk
	}
	r.r = end + 2
	return n, true, nil
}

func (r *Reader) parseBulkLen() (int64, bool, error) {
	end, done, err := r.line(errBigBulkCount)
	if !done {
		return 0, false, err
	}
	if c := r.buf[r.r]; c != '$' {
		if c == '\r' || c == '\n' {
			c = ' '
		}
		return 0, false, protoErr("expected '$', got '" + string([]byte{c}) + "'")
	}
	max := r.MaxBulk
	if max <= 0 {
		max = DefaultMaxBulk
	}
	n, ok := parseInt(r.buf[r.r+1 : end])
	if !ok || n < 0 || n > max {
		return 0, false, errInvalidBulk
	}
	if r.Unauthenticated && n > UnauthMaxBulk {
		return 0, false, errUnauthBulk
	}
	r.r = end + 2
	return n, true, nil
}

func (r *Reader) parseInline() ([]string, bool, error) {
	i := strchr(r.buf[r.r:r.w], '\n')
	if i < 0 {
		if r.w-r.r > MaxInline {
			return nil, false, errBigInline
		}
		return nil, false, nil
	}
	if i > MaxInline {
		// Redis reads 16 KB at a time and gives up once 64 KB have arrived
		// without a newline; a longer line is refused whatever the reads.
		return nil, false, errBigInline
	}
	line := r.buf[r.r : r.r+i]
	r.r += i + 1
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	args, ok := SplitArgs(line)
	if !ok {
		return nil, false, errUnbalanced
	}
	return args, true, nil
}

// strchr finds c in b as C's strchr does on Redis's NUL-terminated query
// buffer: a NUL byte before c hides it. (Redis then waits for more data
// until the line limit; so does this reader.)
func strchr(b []byte, c byte) int {
	i := bytes.IndexByte(b, c)
	if i < 0 {
		return -1
	}
	if bytes.IndexByte(b[:i], 0) >= 0 {
		return -1
	}
	return i
}

// strchrShort is strchr for the short lines of lengths ("$16"): a byte
// loop over the first bytes, which is cheaper than two IndexByte calls when
// the line is a few bytes long, and strchr for anything longer.
func strchrShort(b []byte, c byte) int {
	for i := range min(len(b), 32) {
		switch b[i] {
		case c:
			return i
		case 0:
			return -1 // a NUL before c hides it, as in strchr
		}
	}
	if len(b) <= 32 {
		return -1
	}
	return strchr(b, c)
}

// parseInt parses a length as Redis's string2ll: an optional '-', no '+',
// no leading zeros, no spaces.
func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	if b[0] < '1' || b[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, d := range b {
		if d < '0' || d > '9' || v > (math.MaxUint64-9)/10 {
			return 0, false
		}
		v = v*10 + uint64(d-'0')
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}
