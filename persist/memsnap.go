package persist

import (
	"bytes"
	"fmt"
	"io/fs"
	"strconv"
	"sync"
)

// MemSnapshots is a SnapshotBackend in memory, for tests. It keeps every
// committed snapshot until Remove, as an object store with versioned names
// would, naming them "snapshot-000001", "snapshot-000002" ... in commit
// order. A committed snapshot survives Crash; a snapshot still being
// written does not. The zero MemSnapshots is not usable; use
// NewMemSnapshots.
type MemSnapshots struct {
	mu    sync.Mutex
	gen   int // counts crashes; writers of an earlier generation fail
	seq   int // the last number given to a committed snapshot
	snaps []memSnap
}

var _ SnapshotBackend = (*MemSnapshots)(nil)

type memSnap struct {
	name string
	data []byte
}

// NewMemSnapshots returns an empty in-memory SnapshotBackend.
func NewMemSnapshots() *MemSnapshots { return &MemSnapshots{} }

// Crash simulates a power loss and restart: snapshots being written are
// lost (their writers fail with ErrCrashed from then on); committed ones
// stay.
func (m *MemSnapshots) Crash() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen++
}

// Create implements SnapshotBackend.
func (m *MemSnapshots) Create() (SnapshotWriter, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return &memSnapWriter{m: m, gen: m.gen}, nil
}

// Open implements SnapshotBackend.
func (m *MemSnapshots) Open() (SnapshotReader, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.snaps) == 0 {
		return nil, fmt.Errorf("persist: opening the latest snapshot: none committed: %w", fs.ErrNotExist)
	}
	s := m.snaps[len(m.snaps)-1]
	return &memSnapReader{r: bytes.NewReader(s.data), info: SnapshotInfo{Name: s.name, Size: int64(len(s.data))}}, nil
}

// List implements SnapshotBackend.
func (m *MemSnapshots) List() ([]SnapshotInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]SnapshotInfo, 0, len(m.snaps))
	for i := len(m.snaps) - 1; i >= 0; i-- {
		out = append(out, SnapshotInfo{Name: m.snaps[i].name, Size: int64(len(m.snaps[i].data))})
	}
	return out, nil
}

// Remove implements SnapshotBackend.
func (m *MemSnapshots) Remove(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, s := range m.snaps {
		if s.name == name {
			m.snaps = append(m.snaps[:i:i], m.snaps[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("persist: removing snapshot %q: %w", name, fs.ErrNotExist)
}

type memSnapWriter struct {
	m    *MemSnapshots
	gen  int
	buf  []byte
	done bool
}

// check returns the error for a finished or crashed writer; m.mu is held.
func (w *memSnapWriter) check(step string) error {
	if w.gen != w.m.gen {
		return fmt.Errorf("persist: snapshot: %s: %w", step, ErrCrashed)
	}
	if w.done {
		return fmt.Errorf("persist: snapshot: %s: %w", step, ErrClosed)
	}
	return nil
}

func (w *memSnapWriter) Write(p []byte) (int, error) {
	w.m.mu.Lock()
	defer w.m.mu.Unlock()
	if err := w.check("writing"); err != nil {
		return 0, err
	}
	w.buf = append(w.buf, p...)
	return len(p), nil
}

func (w *memSnapWriter) Commit() (SnapshotInfo, error) {
	w.m.mu.Lock()
	defer w.m.mu.Unlock()
	if err := w.check("commit"); err != nil {
		return SnapshotInfo{}, err
	}
	w.done = true
	w.m.seq++
	name := "snapshot-" + pad6(w.m.seq)
	w.m.snaps = append(w.m.snaps, memSnap{name: name, data: w.buf})
	return SnapshotInfo{Name: name, Size: int64(len(w.buf))}, nil
}

func (w *memSnapWriter) Abort() error {
	w.m.mu.Lock()
	defer w.m.mu.Unlock()
	w.done = true
	w.buf = nil
	return nil
}

// pad6 formats n in decimal with at least six digits, so names sort in
// commit order for the first million snapshots.
func pad6(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 6 {
		s = "0" + s
	}
	return s
}

type memSnapReader struct {
	r      *bytes.Reader // not embedded: its WriteTo would skip the closed check
	info   SnapshotInfo
	closed bool
}

func (r *memSnapReader) Info() SnapshotInfo { return r.info }

func (r *memSnapReader) Read(p []byte) (int, error) {
	if r.closed {
		return 0, fmt.Errorf("persist: reading snapshot %s: %w", r.info.Name, ErrClosed)
	}
	return r.r.Read(p)
}

func (r *memSnapReader) Close() error {
	if r.closed {
		return fmt.Errorf("persist: closing snapshot %s: %w", r.info.Name, ErrClosed)
	}
	r.closed = true
	return nil
}
