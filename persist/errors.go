package persist

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// Errors that callers can test for with errors.Is. Besides these, a missing
// file or snapshot is reported with an error wrapping fs.ErrNotExist, a bad
// file name with one wrapping fs.ErrInvalid, and every operating-system
// failure with one wrapping the *fs.PathError (and so the syscall.Errno,
// e.g. syscall.ENOSPC) that the system call returned.
var (
	// ErrClosed is returned by a LogFile, LogReader, SnapshotWriter or
	// SnapshotReader used after Close, Commit or Abort.
	ErrClosed = errors.New("persist: handle already closed")

	// ErrCrashed is returned by every operation of a backend (and of every
	// handle it gave out) after a simulated crash: a Crash fault of a
	// FaultyLog or FaultySnapshots, or a call of MemLog.Crash or
	// MemSnapshots.Crash for handles opened before it.
	ErrCrashed = errors.New("persist: simulated crash")
)

// checkName reports whether name is a plain file name: not empty, not "."
// or "..", without a path separator or NUL. Backends take one directory's
// file names only, never paths.
func checkName(step, name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\\\x00") {
		return fmt.Errorf("persist: %s %q: not a plain file name: %w", step, name, fs.ErrInvalid)
	}
	return nil
}

// notExist is the error for a name a memory backend does not hold.
func notExist(step, name string) error {
	return fmt.Errorf("persist: %s %s: %w", step, name, fs.ErrNotExist)
}

// isEOF reports whether err is io.EOF itself, which readers return bare
// (wrapping it would break callers that compare with ==).
func isEOF(err error) bool { return err == io.EOF }
