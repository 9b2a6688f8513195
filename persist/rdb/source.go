package rdb

import (
	"errors"
	"io"
	"unsafe"
)

// source is a buffered reader that counts the offset and keeps the CRC64
// of every byte consumed (not of bytes merely buffered ahead).
type source struct {
	r        io.Reader
	buf      []byte
	pos, end int
	off      int64  // offset of buf[pos] in the input
	crc      uint64 // CRC64 of the input before buf[crcPos]
	crcPos   int    // consumed bytes from here to pos are not in crc yet
	err      error  // sticky read error
}

const sourceBuf = 64 << 10

func newSource(r io.Reader) *source {
	return &source{r: r, buf: make([]byte, sourceBuf)}
}

// newSourceSize is newSource with a buffer of n bytes (at least 16, the
// largest fixed-size item read at once).
func newSourceSize(r io.Reader, n int) *source {
	return &source{r: r, buf: make([]byte, min(max(n, 16), sourceBuf))}
}

// fill makes at least n (<= len(buf)) bytes available.
func (s *source) fill(n int) error {
	if s.end-s.pos >= n {
		return nil
	}
	s.sumConsumed()
	if n > len(s.buf) {
		s.buf = append(s.buf, make([]byte, n-len(s.buf))...)
	}
	if s.pos > 0 {
		copy(s.buf, s.buf[s.pos:s.end])
		s.end -= s.pos
		s.pos = 0
		s.crcPos = 0
	}
	empty := 0
	for s.end < n {
		if s.err != nil {
			return s.err
		}
		k, err := s.r.Read(s.buf[s.end:])
		s.end += k
		if k == 0 && err == nil {
			if empty++; empty > 100 {
				err = io.ErrNoProgress
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			s.err = err
		}
	}
	return nil
}

// take consumes n (<= len(buf)) bytes and returns them; the slice is valid
// until the next call.
func (s *source) take(n int) ([]byte, error) {
	if err := s.fill(n); err != nil {
		return nil, err
	}
	p := s.buf[s.pos : s.pos+n]
	s.pos += n
	s.off += int64(n)
	return p, nil
}

// sumConsumed folds the consumed bytes into crc.
func (s *source) sumConsumed() {
	if s.pos > s.crcPos {
		s.crc = CRC64(s.crc, s.buf[s.crcPos:s.pos])
		s.crcPos = s.pos
	}
}

// checksum returns the CRC64 of every byte consumed so far.
func (s *source) checksum() uint64 {
	s.sumConsumed()
	return s.crc
}

// readFull fills p from the input.
func (s *source) readFull(p []byte) error {
	for len(p) > 0 {
		k := min(len(p), len(s.buf))
		b, err := s.take(k)
		if err != nil {
			return err
		}
		copy(p, b)
		p = p[k:]
	}
	return nil
}

// readBytes reads n bytes into a new slice. The slice grows as data
// arrives, so a hostile length cannot allocate more than about twice what
// the input really holds.
func (s *source) readBytes(n uint64) ([]byte, error) {
	const step = 1 << 20
	if n <= step {
		b := make([]byte, n)
		return b, s.readFull(b)
	}
	b := make([]byte, 0, step)
	for uint64(len(b)) < n {
		k := min(n-uint64(len(b)), uint64(max(len(b), step)))
		l := len(b)
		b = append(b, make([]byte, k)...)
		if err := s.readFull(b[l:]); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// ownedString returns b as a string without copying. The caller must own
// b and never change it afterwards.
func ownedString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
