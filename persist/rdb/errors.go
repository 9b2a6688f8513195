package rdb

import (
	"errors"
	"fmt"
)

// Errors of reading. Every error the reader and DecodeDump return for bad
// input is a *FormatError (naming the byte offset) and matches ErrCorrupt
// or ErrUnsupported with errors.Is; I/O errors of the underlying reader are
// wrapped with %w.
var (
	// ErrCorrupt matches input that is not a valid RDB file or value:
	// truncation, bad lengths, broken listpacks/ziplists/intsets,
	// duplicates in sets, hashes and sorted sets, a bad checksum.
	ErrCorrupt = errors.New("rdb: corrupt data")
	// ErrUnsupported matches valid input this package refuses: module
	// values and module aux data, RDB versions above 10 and types newer
	// than version 10 (Redis 7.2's).
	ErrUnsupported = errors.New("rdb: unsupported data")
)

// The errors of DecodeDump, with the exact texts of the error replies
// RESTORE sends in Redis 7.0. Return their Error() text to a client as is.
var (
	// ErrDumpPayload is the error for a payload shorter than its footer,
	// with an RDB version above 10 or a wrong CRC64.
	ErrDumpPayload = errors.New("ERR DUMP payload version or checksum are wrong")
	// ErrBadDataFormat is the error for a payload whose value does not
	// decode (or is an empty collection, which Redis refuses too).
	ErrBadDataFormat = errors.New("ERR Bad data format")
)

// FormatError is an error in the input at a byte offset.
type FormatError struct {
	// Offset is the byte offset in the input (from the start of the file,
	// or of the DUMP payload) where the bad item begins.
	Offset int64
	// Msg says what is wrong.
	Msg string
	// Kind is ErrCorrupt or ErrUnsupported.
	Kind error
	// Err is the underlying cause, if any (io.ErrUnexpectedEOF for a
	// truncated input).
	Err error
}

// Error reports the offset, what is wrong and the cause.
func (e *FormatError) Error() string {
	s := fmt.Sprintf("rdb: byte offset %d: %s", e.Offset, e.Msg)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the kind and the cause, for errors.Is.
func (e *FormatError) Unwrap() []error {
	if e.Err != nil {
		return []error{e.Kind, e.Err}
	}
	return []error{e.Kind}
}

// dumpError is what DecodeDump returns: its text is exactly the sentinel's
// (the reply a client must see), and it unwraps to the sentinel and to the
// detailed cause.
type dumpError struct {
	sentinel error
	cause    error
}

func (e *dumpError) Error() string { return e.sentinel.Error() }

func (e *dumpError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.sentinel}
	}
	return []error{e.sentinel, e.cause}
}

// errEmptyKey marks an empty collection, which the reader skips as Redis
// 7.0 does and DecodeDump refuses.
var errEmptyKey = errors.New("empty collection")
