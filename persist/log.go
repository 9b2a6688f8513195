package persist

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
)

// LogBackend is one flat directory of files, as the append log uses it:
// Redis 7.0's multi-part AOF keeps a manifest, a base file and incremental
// files in one directory (appenddirname), and appends to the last of them.
// Names are plain file names (no path separators). The durability of each
// method is in the package documentation. Implementations must be safe for
// concurrent use by several goroutines; a handle (LogFile, LogReader) is
// used by one goroutine at a time.
type LogBackend interface {
	// Create creates the named file, or truncates it if it exists, and
	// opens it for appending.
	Create(name string) (LogFile, error)

	// OpenAppend opens an existing file for appending at its end. A
	// missing file is an error wrapping fs.ErrNotExist.
	OpenAppend(name string) (LogFile, error)

	// Open opens an existing file for reading from its start. A missing
	// file is an error wrapping fs.ErrNotExist.
	Open(name string) (LogReader, error)

	// Stat returns the name and size of an existing file. A missing file
	// is an error wrapping fs.ErrNotExist.
	Stat(name string) (FileInfo, error)

	// List returns every file of the directory, sorted by name.
	List() ([]FileInfo, error)

	// Rename renames oldName to newName, replacing newName if it exists,
	// atomically: a reader sees either the old or the new file under
	// newName, never a mix or nothing.
	Rename(oldName, newName string) error

	// Remove removes the named file. A missing file is an error wrapping
	// fs.ErrNotExist.
	Remove(name string) error

	// Truncate cuts the named file to size bytes (size no more than its
	// length) and makes the new length durable before it returns. The AOF
	// loader uses it to cut off a truncated last record.
	Truncate(name string, size int64) error

	// SyncDir makes the directory's entries durable: every Create,
	// Rename and Remove that returned before it.
	SyncDir() error

	// WriteFileAtomic replaces the named file with data so that, even
	// across a crash, the file holds either its old content or all of
	// data. It is durable when it returns. It is meant for small files
	// such as the AOF manifest; WriteFileAtomicVia implements it with the
	// other methods (temporary file, write, Sync, Rename, SyncDir).
	WriteFileAtomic(name string, data []byte) error
}

// LogFile is a file of a LogBackend open for appending.
type LogFile interface {
	// Write appends p to the file. The bytes are visible to readers
	// opened afterwards; they are durable only after Sync.
	io.Writer

	// Sync makes every byte written before it durable. It does not make
	// the file's name durable: SyncDir does.
	Sync() error

	// Close releases the handle without syncing. Later calls fail with
	// ErrClosed; a second Close returns ErrClosed too.
	Close() error

	// Name returns the file's name in the directory.
	Name() string

	// Size returns the file's length after the last write through this
	// handle (or at open, before any).
	Size() int64
}

// LogReader is a file of a LogBackend open for reading. It returns at
// least the bytes present when it was opened; whether it also returns
// bytes appended later is up to the backend.
type LogReader interface {
	io.Reader
	io.ReaderAt
	io.Closer

	// Name returns the file's name in the directory.
	Name() string

	// Size returns the file's length when it was opened.
	Size() int64
}

// FileInfo names a file of a LogBackend and gives its length in bytes.
type FileInfo struct {
	Name string // the file's name in the directory
	Size int64  // the file's length in bytes, as written (synced or not)
}

// tempMarker is part of the name of every temporary file this package
// creates (by WriteFileAtomicVia and the snapshot backends), so leftovers
// of a crash can be recognised (IsTemp) and removed.
const tempMarker = ".persist-tmp-"

var tempSeq atomic.Uint64

// tempName returns a fresh temporary name for a file that will be renamed
// to target: in the same directory, so the rename is atomic.
func tempName(target string) string {
	return target + tempMarker + strconv.FormatUint(tempSeq.Add(1), 10)
}

// IsTemp reports whether name is a temporary file of this package: one a
// WriteFileAtomic or an uncommitted snapshot left behind when the process
// died. Such files hold nothing committed and may be removed.
func IsTemp(name string) bool { return strings.Contains(name, tempMarker) }

// WriteFileAtomicVia implements LogBackend.WriteFileAtomic with b's other
// methods: it writes data to a temporary file in the directory, syncs it,
// renames it over name and syncs the directory. On failure it removes the
// temporary file (as far as it can) and leaves name as it was.
func WriteFileAtomicVia(b LogBackend, name string, data []byte) (err error) {
	if err := checkName("write atomically", name); err != nil {
		return err
	}
	tmp := tempName(name)
	f, err := b.Create(tmp)
	if err != nil {
		return fmt.Errorf("persist: replacing %s: creating temporary file: %w", name, err)
	}
	closed, renamed := false, false
	defer func() {
		if err != nil && !closed {
			_ = f.Close()
		}
		if err != nil && !renamed {
			_ = b.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("persist: replacing %s: writing %s: %w", name, tmp, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("persist: replacing %s: fsync of %s: %w", name, tmp, err)
	}
	closed = true
	if err := f.Close(); err != nil {
		return fmt.Errorf("persist: replacing %s: closing %s: %w", name, tmp, err)
	}
	if err := b.Rename(tmp, name); err != nil {
		return fmt.Errorf("persist: replacing %s: rename of %s: %w", name, tmp, err)
	}
	renamed = true
	if err := b.SyncDir(); err != nil {
		// The new content is in place but its name may not survive a
		// crash: the caller must treat the write as not durable.
		return fmt.Errorf("persist: replacing %s: fsync of the directory after rename: %w", name, err)
	}
	return nil
}
