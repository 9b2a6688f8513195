package persist

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// SnapshotBackend stores point-in-time snapshots (RDB files). A snapshot is
// written through a SnapshotWriter and becomes visible, whole, only when
// Commit returns; until then the previous snapshot is the one Open
// returns. Implementations must be safe for concurrent use by several
// goroutines; a handle is used by one goroutine at a time.
type SnapshotBackend interface {
	// Create starts a new snapshot. Nothing of it is visible to Open or
	// List until its Commit returns.
	Create() (SnapshotWriter, error)

	// Open opens the latest committed snapshot for reading. With none
	// committed it returns an error wrapping fs.ErrNotExist.
	Open() (SnapshotReader, error)

	// List returns the committed snapshots still kept, newest first: the
	// first is the one Open opens. A backend that keeps only the latest
	// (FileSnapshots) lists at most one.
	List() ([]SnapshotInfo, error)

	// Remove removes the named committed snapshot. A name List does not
	// return is an error wrapping fs.ErrNotExist.
	Remove(name string) error
}

// SnapshotWriter is a snapshot being written.
type SnapshotWriter interface {
	// Write appends p to the snapshot.
	io.Writer

	// Commit makes the snapshot durable and then visible as the latest,
	// atomically: Open returns either the previous snapshot or all of
	// this one, before and after a crash. On error the snapshot is
	// discarded and the previous one stays the latest. Commit or Abort
	// after Commit do nothing more: Commit returns ErrClosed, Abort nil.
	Commit() (SnapshotInfo, error)

	// Abort discards the snapshot. It returns nil after Commit (so a
	// deferred Abort is harmless) and after an earlier Abort.
	Abort() error
}

// SnapshotReader reads one committed snapshot.
type SnapshotReader interface {
	io.ReadCloser

	// Info returns the snapshot's name and size.
	Info() SnapshotInfo
}

// SnapshotInfo names a committed snapshot and gives its size in bytes.
type SnapshotInfo struct {
	Name string // the name List returns and Remove takes, e.g. "dump.rdb"
	Size int64  // the snapshot's length in bytes
}

// FileSnapshots is a SnapshotBackend that keeps one snapshot as one file
// of a LogBackend, the way Redis keeps dump.rdb: a snapshot is written to
// a temporary file in the same directory, synced, renamed over the file
// and made durable with a sync of the directory. The previous file stays
// intact until the rename replaces it.
type FileSnapshots struct {
	dir  LogBackend
	name string
}

var _ SnapshotBackend = (*FileSnapshots)(nil)

// OpenSnapshotDir returns the FileSnapshots keeping the snapshot named
// name (e.g. "dump.rdb") in the directory at path, creating the directory
// if it does not exist and removing temporary files an earlier process
// left behind (see NewFileSnapshots).
func OpenSnapshotDir(path, name string) (*FileSnapshots, error) {
	d, err := OpenLogDir(path)
	if err != nil {
		return nil, err
	}
	return NewFileSnapshots(d, name)
}

// NewFileSnapshots returns the FileSnapshots keeping the snapshot named
// name in dir. It removes the temporary files of name's snapshots that an
// earlier process left when it died mid-snapshot, so one directory must
// not be shared by two live FileSnapshots of the same name.
func NewFileSnapshots(dir LogBackend, name string) (*FileSnapshots, error) {
	if err := checkName("snapshot", name); err != nil {
		return nil, err
	}
	s := &FileSnapshots{dir: dir, name: name}
	files, err := dir.List()
	if err != nil {
		return nil, fmt.Errorf("persist: snapshot %s: looking for leftover temporary files: %w", name, err)
	}
	for _, f := range files {
		if strings.HasPrefix(f.Name, name+tempMarker) {
			if err := dir.Remove(f.Name); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("persist: snapshot %s: removing leftover temporary file: %w", name, err)
			}
		}
	}
	return s, nil
}

// Name returns the snapshot's file name.
func (s *FileSnapshots) Name() string { return s.name }

// Create implements SnapshotBackend.
func (s *FileSnapshots) Create() (SnapshotWriter, error) {
	tmp := tempName(s.name)
	f, err := s.dir.Create(tmp)
	if err != nil {
		return nil, fmt.Errorf("persist: snapshot %s: creating temporary file: %w", s.name, err)
	}
	return &fileSnapWriter{s: s, f: f, tmp: tmp}, nil
}

// Open implements SnapshotBackend.
func (s *FileSnapshots) Open() (SnapshotReader, error) {
	r, err := s.dir.Open(s.name)
	if err != nil {
		return nil, fmt.Errorf("persist: snapshot %s: %w", s.name, err)
	}
	return &fileSnapReader{LogReader: r, info: SnapshotInfo{Name: s.name, Size: r.Size()}}, nil
}

// List implements SnapshotBackend: the snapshot file if it exists.
func (s *FileSnapshots) List() ([]SnapshotInfo, error) {
	st, err := s.dir.Stat(s.name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("persist: snapshot %s: %w", s.name, err)
	}
	return []SnapshotInfo{{Name: st.Name, Size: st.Size}}, nil
}

// Remove implements SnapshotBackend: it removes the snapshot file and
// syncs the directory.
func (s *FileSnapshots) Remove(name string) error {
	if name != s.name {
		return fmt.Errorf("persist: snapshot %s: removing %q: %w", s.name, name, fs.ErrNotExist)
	}
	if err := s.dir.Remove(name); err != nil {
		return fmt.Errorf("persist: snapshot %s: %w", s.name, err)
	}
	if err := s.dir.SyncDir(); err != nil {
		return fmt.Errorf("persist: snapshot %s: after removing it: %w", s.name, err)
	}
	return nil
}

type fileSnapWriter struct {
	s    *FileSnapshots
	f    LogFile
	tmp  string
	done bool // committed, aborted or failed: the temporary file is gone
}

func (w *fileSnapWriter) Write(p []byte) (int, error) {
	if w.done {
		return 0, fmt.Errorf("persist: snapshot %s: writing: %w", w.s.name, ErrClosed)
	}
	n, err := w.f.Write(p)
	if err != nil {
		return n, fmt.Errorf("persist: snapshot %s: %w", w.s.name, err)
	}
	return n, nil
}

func (w *fileSnapWriter) Commit() (SnapshotInfo, error) {
	if w.done {
		return SnapshotInfo{}, fmt.Errorf("persist: snapshot %s: commit: %w", w.s.name, ErrClosed)
	}
	w.done = true
	name, size := w.s.name, w.f.Size()
	if err := w.f.Sync(); err != nil {
		w.discard()
		return SnapshotInfo{}, fmt.Errorf("persist: snapshot %s: commit: %w", name, err)
	}
	if err := w.f.Close(); err != nil {
		w.discard()
		return SnapshotInfo{}, fmt.Errorf("persist: snapshot %s: commit: %w", name, err)
	}
	if err := w.s.dir.Rename(w.tmp, name); err != nil {
		w.discard()
		return SnapshotInfo{}, fmt.Errorf("persist: snapshot %s: commit: %w", name, err)
	}
	if err := w.s.dir.SyncDir(); err != nil {
		// The new snapshot is in place but may not survive a crash.
		return SnapshotInfo{}, fmt.Errorf("persist: snapshot %s: commit: after rename: %w", name, err)
	}
	return SnapshotInfo{Name: name, Size: size}, nil
}

// discard closes and removes the temporary file after a failure, ignoring
// errors: the failure being reported matters more.
func (w *fileSnapWriter) discard() {
	_ = w.f.Close()
	_ = w.s.dir.Remove(w.tmp)
}

func (w *fileSnapWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	cerr := w.f.Close()
	if err := w.s.dir.Remove(w.tmp); err != nil {
		return fmt.Errorf("persist: snapshot %s: abort: %w", w.s.name, err)
	}
	if cerr != nil {
		return fmt.Errorf("persist: snapshot %s: abort: %w", w.s.name, cerr)
	}
	return nil
}

type fileSnapReader struct {
	LogReader
	info SnapshotInfo
}

func (r *fileSnapReader) Info() SnapshotInfo { return r.info }
