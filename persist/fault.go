package persist

import (
	"fmt"
	"io"
	"io/fs"
	"sync"
	"syscall"
)

// Op is a kind of backend operation a Fault can hit.
type Op uint8

// The operations faults are counted on. OpAny counts every one of them.
const (
	OpAny      Op = iota // any of the operations below
	OpCreate             // LogBackend.Create and OpenAppend; SnapshotBackend.Create
	OpWrite              // LogFile.Write; SnapshotWriter.Write
	OpSync               // LogFile.Sync
	OpRename             // LogBackend.Rename
	OpRemove             // LogBackend.Remove; SnapshotBackend.Remove
	OpTruncate           // LogBackend.Truncate
	OpSyncDir            // LogBackend.SyncDir
	OpCommit             // SnapshotWriter.Commit (FaultySnapshots only)
)

var opNames = [...]string{"any", "create", "write", "fsync", "rename", "remove", "truncate", "fsync-dir", "commit"}

// String returns the operation's name, e.g. "fsync".
func (o Op) String() string {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return fmt.Sprintf("op(%d)", int(o))
}

// FaultKind is what a Fault does to the operation it hits.
type FaultKind uint8

// The fault kinds.
const (
	// ShortWrite makes a Write store the first half of its bytes and
	// return that count with an error wrapping io.ErrShortWrite. On other
	// operations it acts as IOError.
	ShortWrite FaultKind = iota + 1
	// NoSpace makes a Write store the first half of its bytes and return
	// an error wrapping syscall.ENOSPC; other operations do nothing and
	// return that error.
	NoSpace
	// IOError makes the operation do nothing and return an error wrapping
	// syscall.EIO (an fsync that failed, a rename that failed).
	IOError
	// Crash makes the operation not happen and the backend crash: this
	// and every later operation, on the backend and on every handle it
	// gave out, fail with ErrCrashed until Recover. If the wrapped
	// backend has a Crash method (MemLog, MemSnapshots) it is called, so
	// exactly what was not durable is lost; a real directory keeps what
	// the operating system has, as when the process is killed.
	Crash
)

var kindNames = [...]string{"none", "short-write", "ENOSPC", "EIO", "crash"}

// String returns the kind's name, e.g. "ENOSPC".
func (k FaultKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("fault(%d)", int(k))
}

// Fault makes the Nth operation of kind Op, counted from when it is
// injected (N = 1 is the next one), fail as Kind says.
type Fault struct {
	Op   Op        // the operation counted; OpAny counts every one
	N    int       // which one fails: 1 is the next; must be at least 1
	Kind FaultKind // how it fails
}

// faults is the fault state shared by a wrapper and its handles.
type faults struct {
	mu      sync.Mutex
	pending []pendingFault
	counts  [len(opNames)]int
	crashed bool
	crash   func() // the wrapped backend's Crash, or nil
}

type pendingFault struct {
	Fault
	left int // matching operations still to pass before it fires
}

func (s *faults) inject(fs []Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range fs {
		if f.N < 1 {
			panic(fmt.Sprintf("persist: fault %v: N must be at least 1", f))
		}
		s.pending = append(s.pending, pendingFault{Fault: f, left: f.N})
	}
}

// hit counts one operation op and returns the fault that fires on it, if
// any (0 for none), or ErrCrashed if the backend has crashed. A Crash
// fault has already crashed the backend when hit returns.
func (s *faults) hit(op Op) (FaultKind, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.crashed {
		return 0, ErrCrashed
	}
	s.counts[op]++
	s.counts[OpAny]++
	var fired FaultKind
	keep := s.pending[:0]
	for _, p := range s.pending {
		if p.Op == op || p.Op == OpAny {
			p.left--
			if p.left == 0 {
				if fired == 0 || p.Kind == Crash {
					fired = p.Kind
				}
				continue
			}
		}
		keep = append(keep, p)
	}
	s.pending = keep
	if fired == Crash {
		s.crashed = true
		if s.crash != nil {
			s.crash()
		}
		return 0, ErrCrashed
	}
	return fired, nil
}

func (s *faults) isCrashed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.crashed
}

func (s *faults) count(op Op) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[op]
}

func (s *faults) recover() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.crashed = false
	s.pending = nil
	s.counts = [len(opNames)]int{}
}

// faultErr is the error an injected fault returns for op on name.
func faultErr(kind FaultKind, op Op, name string) error {
	errno := syscall.EIO
	if kind == NoSpace {
		errno = syscall.ENOSPC
	}
	if kind == ShortWrite && op == OpWrite {
		return fmt.Errorf("persist: %s %s: injected fault: %w", op, name, io.ErrShortWrite)
	}
	return fmt.Errorf("persist: %s %s: injected fault: %w", op, name, &fs.PathError{Op: op.String(), Path: name, Err: errno})
}

// crashedErr is the error of step (an Op's name, or "open", "stat" ...)
// on name after a simulated crash.
func crashedErr(step fmt.Stringer, name string) error {
	return fmt.Errorf("persist: %s %s: %w", step, name, ErrCrashed)
}

// step names a step that is not an Op, for crashedErr.
type step string

func (s step) String() string { return string(s) }

// FaultyLog wraps a LogBackend and makes chosen operations fail (Inject),
// for tests of the code above it: short writes, a full disk, a failed
// fsync or rename, a crash at any step. Without faults injected it behaves
// as the wrapped backend. It is safe for concurrent use.
type FaultyLog struct {
	inner LogBackend
	f     faults
}

var _ LogBackend = (*FaultyLog)(nil)

// NewFaultyLog returns a FaultyLog over inner, with no faults injected.
func NewFaultyLog(inner LogBackend) *FaultyLog {
	l := &FaultyLog{inner: inner}
	if c, ok := inner.(interface{ Crash() }); ok {
		l.f.crash = c.Crash
	}
	return l
}

// Inject adds faults; each fires once, on the Nth matching operation
// after this call. A fault with N < 1 panics.
func (l *FaultyLog) Inject(faults ...Fault) { l.f.inject(faults) }

// Crashed reports whether a Crash fault has fired (and Recover has not
// been called since).
func (l *FaultyLog) Crashed() bool { return l.f.isCrashed() }

// Count returns how many operations of kind op were attempted since the
// FaultyLog was made or last recovered (OpAny: of every kind). A test can
// run a workload once, count its operations, and then crash it at each.
func (l *FaultyLog) Count(op Op) int { return l.f.count(op) }

// Recover ends a simulated crash: pending faults and counts are dropped,
// and the FaultyLog works again on what the wrapped backend kept, as a
// restarted process would. Handles from before the crash stay unusable.
func (l *FaultyLog) Recover() { l.f.recover() }

// Inner returns the wrapped backend.
func (l *FaultyLog) Inner() LogBackend { return l.inner }

func (l *FaultyLog) open(op Op, name string, open func(string) (LogFile, error)) (LogFile, error) {
	kind, err := l.f.hit(op)
	if err != nil {
		return nil, crashedErr(op, name)
	}
	if kind != 0 {
		return nil, faultErr(kind, op, name)
	}
	f, err := open(name)
	if err != nil {
		return nil, err
	}
	return &faultyFile{l: l, f: f}, nil
}

// Create implements LogBackend.
func (l *FaultyLog) Create(name string) (LogFile, error) {
	return l.open(OpCreate, name, l.inner.Create)
}

// OpenAppend implements LogBackend.
func (l *FaultyLog) OpenAppend(name string) (LogFile, error) {
	return l.open(OpCreate, name, l.inner.OpenAppend)
}

// Open implements LogBackend. Reads are not faulted, but fail with
// ErrCrashed after a crash.
func (l *FaultyLog) Open(name string) (LogReader, error) {
	if l.f.isCrashed() {
		return nil, crashedErr(step("open"), name)
	}
	r, err := l.inner.Open(name)
	if err != nil {
		return nil, err
	}
	return &faultyReader{LogReader: r, l: l}, nil
}

// Stat implements LogBackend.
func (l *FaultyLog) Stat(name string) (FileInfo, error) {
	if l.f.isCrashed() {
		return FileInfo{}, crashedErr(step("stat"), name)
	}
	return l.inner.Stat(name)
}

// List implements LogBackend.
func (l *FaultyLog) List() ([]FileInfo, error) {
	if l.f.isCrashed() {
		return nil, crashedErr(step("list"), "directory")
	}
	return l.inner.List()
}

func (l *FaultyLog) simple(op Op, name string, do func() error) error {
	kind, err := l.f.hit(op)
	if err != nil {
		return crashedErr(op, name)
	}
	if kind != 0 {
		return faultErr(kind, op, name)
	}
	return do()
}

// Rename implements LogBackend.
func (l *FaultyLog) Rename(oldName, newName string) error {
	return l.simple(OpRename, oldName, func() error { return l.inner.Rename(oldName, newName) })
}

// Remove implements LogBackend.
func (l *FaultyLog) Remove(name string) error {
	return l.simple(OpRemove, name, func() error { return l.inner.Remove(name) })
}

// Truncate implements LogBackend.
func (l *FaultyLog) Truncate(name string, size int64) error {
	return l.simple(OpTruncate, name, func() error { return l.inner.Truncate(name, size) })
}

// SyncDir implements LogBackend.
func (l *FaultyLog) SyncDir() error {
	return l.simple(OpSyncDir, "directory", l.inner.SyncDir)
}

// WriteFileAtomic implements LogBackend with WriteFileAtomicVia on the
// FaultyLog itself, so faults can hit each of its steps.
func (l *FaultyLog) WriteFileAtomic(name string, data []byte) error {
	return WriteFileAtomicVia(l, name, data)
}

type faultyFile struct {
	l *FaultyLog
	f LogFile
}

func (f *faultyFile) Name() string { return f.f.Name() }
func (f *faultyFile) Size() int64  { return f.f.Size() }

func (f *faultyFile) Write(p []byte) (int, error) {
	kind, err := f.l.f.hit(OpWrite)
	if err != nil {
		return 0, crashedErr(OpWrite, f.f.Name())
	}
	switch kind {
	case 0:
		return f.f.Write(p)
	case ShortWrite, NoSpace:
		n, err := f.f.Write(p[:len(p)/2])
		if err != nil {
			return n, err
		}
		return n, faultErr(kind, OpWrite, f.f.Name())
	}
	return 0, faultErr(kind, OpWrite, f.f.Name())
}

func (f *faultyFile) Sync() error {
	return f.l.simple(OpSync, f.f.Name(), f.f.Sync)
}

// Close releases the wrapped handle even after a crash (so a test does not
// leak file descriptors), but then reports ErrCrashed.
func (f *faultyFile) Close() error {
	err := f.f.Close()
	if f.l.f.isCrashed() {
		return crashedErr(step("close"), f.f.Name())
	}
	return err
}

type faultyReader struct {
	LogReader
	l *FaultyLog
}

func (r *faultyReader) Read(p []byte) (int, error) {
	if r.l.f.isCrashed() {
		return 0, crashedErr(step("read"), r.Name())
	}
	return r.LogReader.Read(p)
}

func (r *faultyReader) Close() error {
	err := r.LogReader.Close()
	if r.l.f.isCrashed() {
		return crashedErr(step("close"), r.Name())
	}
	return err
}

func (r *faultyReader) ReadAt(p []byte, off int64) (int, error) {
	if r.l.f.isCrashed() {
		return 0, crashedErr(step("read"), r.Name())
	}
	return r.LogReader.ReadAt(p, off)
}

// FaultySnapshots wraps a SnapshotBackend and makes chosen operations fail
// (Inject): OpCreate, OpWrite (ShortWrite and NoSpace store half of the
// bytes), OpCommit (the snapshot is discarded and the previous one stays
// the latest, as when its fsync or rename fails) and OpRemove. For faults
// at each step of a commit (fsync, rename, directory fsync), use
// FileSnapshots over a FaultyLog instead. It is safe for concurrent use.
type FaultySnapshots struct {
	inner SnapshotBackend
	f     faults
}

var _ SnapshotBackend = (*FaultySnapshots)(nil)

// NewFaultySnapshots returns a FaultySnapshots over inner, with no faults
// injected.
func NewFaultySnapshots(inner SnapshotBackend) *FaultySnapshots {
	s := &FaultySnapshots{inner: inner}
	if c, ok := inner.(interface{ Crash() }); ok {
		s.f.crash = c.Crash
	}
	return s
}

// Inject adds faults, as FaultyLog.Inject does.
func (s *FaultySnapshots) Inject(faults ...Fault) { s.f.inject(faults) }

// Crashed reports whether a Crash fault has fired (and Recover has not
// been called since).
func (s *FaultySnapshots) Crashed() bool { return s.f.isCrashed() }

// Count returns how many operations of kind op were attempted since the
// FaultySnapshots was made or last recovered.
func (s *FaultySnapshots) Count(op Op) int { return s.f.count(op) }

// Recover ends a simulated crash, as FaultyLog.Recover does. Writers from
// before the crash stay unusable; whatever they had not committed is lost
// (the wrapped backend's Crash, if it has one, was called at the crash;
// otherwise they are aborted now).
func (s *FaultySnapshots) Recover() { s.f.recover() }

// Inner returns the wrapped backend.
func (s *FaultySnapshots) Inner() SnapshotBackend { return s.inner }

// Create implements SnapshotBackend.
func (s *FaultySnapshots) Create() (SnapshotWriter, error) {
	kind, err := s.f.hit(OpCreate)
	if err != nil {
		return nil, crashedErr(OpCreate, "snapshot")
	}
	if kind != 0 {
		return nil, faultErr(kind, OpCreate, "snapshot")
	}
	w, err := s.inner.Create()
	if err != nil {
		return nil, err
	}
	return &faultySnapWriter{s: s, w: w}, nil
}

// Open implements SnapshotBackend. Reads are not faulted.
func (s *FaultySnapshots) Open() (SnapshotReader, error) {
	if s.f.isCrashed() {
		return nil, crashedErr(step("open"), "snapshot")
	}
	return s.inner.Open()
}

// List implements SnapshotBackend.
func (s *FaultySnapshots) List() ([]SnapshotInfo, error) {
	if s.f.isCrashed() {
		return nil, crashedErr(step("list"), "snapshots")
	}
	return s.inner.List()
}

// Remove implements SnapshotBackend.
func (s *FaultySnapshots) Remove(name string) error {
	kind, err := s.f.hit(OpRemove)
	if err != nil {
		return crashedErr(OpRemove, name)
	}
	if kind != 0 {
		return faultErr(kind, OpRemove, name)
	}
	return s.inner.Remove(name)
}

type faultySnapWriter struct {
	s *FaultySnapshots
	w SnapshotWriter
}

func (w *faultySnapWriter) Write(p []byte) (int, error) {
	kind, err := w.s.f.hit(OpWrite)
	if err != nil {
		_ = w.w.Abort()
		return 0, crashedErr(OpWrite, "snapshot")
	}
	switch kind {
	case 0:
		return w.w.Write(p)
	case ShortWrite, NoSpace:
		n, err := w.w.Write(p[:len(p)/2])
		if err != nil {
			return n, err
		}
		return n, faultErr(kind, OpWrite, "snapshot")
	}
	return 0, faultErr(kind, OpWrite, "snapshot")
}

func (w *faultySnapWriter) Commit() (SnapshotInfo, error) {
	kind, err := w.s.f.hit(OpCommit)
	if err != nil {
		// A crash before the commit: the snapshot is lost.
		_ = w.w.Abort()
		return SnapshotInfo{}, crashedErr(OpCommit, "snapshot")
	}
	if kind != 0 {
		_ = w.w.Abort()
		return SnapshotInfo{}, faultErr(kind, OpCommit, "snapshot")
	}
	return w.w.Commit()
}

func (w *faultySnapWriter) Abort() error { return w.w.Abort() }
