package persist

import (
	"fmt"
	"io"
	"io/fs"
	"sort"
	"sync"
)

// MemLog is a LogBackend in memory, for tests. Besides the files as
// written it keeps what a power loss would leave (the durable state), so
// Crash can simulate one: it loses exactly what was not made durable.
//
// The model is the strictest POSIX allows, as if every crash hit the worst
// moment: a file's bytes are durable up to its last Sync; a directory entry
// (a Create, Rename or Remove) is durable only after the next SyncDir, so a
// file synced but never followed by SyncDir is lost entirely, and a Rename
// not followed by SyncDir is undone. Truncate and WriteFileAtomic are
// durable on return, as their contracts say.
//
// The zero MemLog is not usable; use NewMemLog.
type MemLog struct {
	mu sync.Mutex
	// gen counts crashes; a handle opened in an earlier generation fails
	// with ErrCrashed.
	gen int
	// files is the directory as written; durable is the directory as of
	// the last SyncDir. Both map names to the same *memInode values, as
	// hard links do.
	files   map[string]*memInode
	durable map[string]*memInode
}

var _ LogBackend = (*MemLog)(nil)

// memInode is one file's content. data grows by appends only, except
// Create (truncate) and Truncate, which give it a new backing array, so
// byte ranges handed to readers and to synced are never written again.
type memInode struct {
	data   []byte // as written
	synced []byte // as of the last Sync: what survives a crash
}

// NewMemLog returns an empty in-memory LogBackend.
func NewMemLog() *MemLog {
	return &MemLog{files: map[string]*memInode{}, durable: map[string]*memInode{}}
}

// Crash simulates a power loss and restart: the directory goes back to its
// state at the last SyncDir, and every file's content to its state at its
// last Sync. Handles opened before Crash fail with ErrCrashed from then
// on; the MemLog itself stays usable, as a restarted process would find it.
func (m *MemLog) Crash() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen++
	m.files = make(map[string]*memInode, len(m.durable))
	for name, ino := range m.durable {
		ino.data = ino.synced[:len(ino.synced):len(ino.synced)]
		m.files[name] = ino
	}
}

// Unsynced returns the names of files whose entry or content would change
// in a crash now: those with bytes not yet synced or entries not yet made
// durable by SyncDir (including names removed or renamed away). Tests use
// it to assert that an operation left everything durable.
func (m *MemLog) Unsynced() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for name, ino := range m.files {
		if m.durable[name] != ino || len(ino.data) != len(ino.synced) {
			out = append(out, name)
		}
	}
	for name := range m.durable {
		if _, ok := m.files[name]; !ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Create implements LogBackend.
func (m *MemLog) Create(name string) (LogFile, error) {
	if err := checkName("create", name); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	ino := m.files[name]
	if ino == nil {
		ino = &memInode{}
		m.files[name] = ino
	} else {
		ino.data = nil // truncation; durable only at the next Sync
	}
	return &memFile{m: m, gen: m.gen, ino: ino, name: name}, nil
}

// OpenAppend implements LogBackend.
func (m *MemLog) OpenAppend(name string) (LogFile, error) {
	if err := checkName("open for append", name); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	ino := m.files[name]
	if ino == nil {
		return nil, notExist("opening for append", name)
	}
	return &memFile{m: m, gen: m.gen, ino: ino, name: name, size: int64(len(ino.data))}, nil
}

// Open implements LogBackend. The reader sees the bytes present at open.
func (m *MemLog) Open(name string) (LogReader, error) {
	if err := checkName("open", name); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	ino := m.files[name]
	if ino == nil {
		return nil, notExist("opening", name)
	}
	data := ino.data[:len(ino.data):len(ino.data)]
	return &memReader{m: m, gen: m.gen, name: name, data: data}, nil
}

// Stat implements LogBackend.
func (m *MemLog) Stat(name string) (FileInfo, error) {
	if err := checkName("stat", name); err != nil {
		return FileInfo{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	ino := m.files[name]
	if ino == nil {
		return FileInfo{}, notExist("stat of", name)
	}
	return FileInfo{Name: name, Size: int64(len(ino.data))}, nil
}

// List implements LogBackend.
func (m *MemLog) List() ([]FileInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]FileInfo, 0, len(m.files))
	for name, ino := range m.files {
		out = append(out, FileInfo{Name: name, Size: int64(len(ino.data))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Rename implements LogBackend.
func (m *MemLog) Rename(oldName, newName string) error {
	if err := checkName("rename", oldName); err != nil {
		return err
	}
	if err := checkName("rename", newName); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	ino := m.files[oldName]
	if ino == nil {
		return notExist("renaming", oldName)
	}
	if oldName == newName {
		return nil
	}
	m.files[newName] = ino
	delete(m.files, oldName)
	return nil
}

// Remove implements LogBackend.
func (m *MemLog) Remove(name string) error {
	if err := checkName("remove", name); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files[name] == nil {
		return notExist("removing", name)
	}
	delete(m.files, name)
	return nil
}

// Truncate implements LogBackend. The new length is durable on return
// (the file's entry still needs SyncDir if it was never made durable).
func (m *MemLog) Truncate(name string, size int64) error {
	if err := checkName("truncate", name); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	ino := m.files[name]
	if ino == nil {
		return notExist("truncating", name)
	}
	if size < 0 || size > int64(len(ino.data)) {
		return fmt.Errorf("persist: truncating %s to %d bytes: the file has %d: %w", name, size, len(ino.data), fs.ErrInvalid)
	}
	ino.data = append([]byte(nil), ino.data[:size]...)
	ino.synced = ino.data[:size:size]
	return nil
}

// SyncDir implements LogBackend.
func (m *MemLog) SyncDir() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.durable = make(map[string]*memInode, len(m.files))
	for name, ino := range m.files {
		m.durable[name] = ino
	}
	return nil
}

// WriteFileAtomic implements LogBackend with WriteFileAtomicVia.
func (m *MemLog) WriteFileAtomic(name string, data []byte) error {
	return WriteFileAtomicVia(m, name, data)
}

// memFile is a LogFile of a MemLog.
type memFile struct {
	m      *MemLog
	gen    int
	ino    *memInode
	name   string
	size   int64
	closed bool
}

// check returns the error for a closed or crashed handle; m.mu is held.
func (f *memFile) check(step string) error {
	if f.gen != f.m.gen {
		return fmt.Errorf("persist: %s %s: %w", step, f.name, ErrCrashed)
	}
	if f.closed {
		return fmt.Errorf("persist: %s %s: %w", step, f.name, ErrClosed)
	}
	return nil
}

func (f *memFile) Name() string { return f.name }

func (f *memFile) Size() int64 {
	f.m.mu.Lock()
	defer f.m.mu.Unlock()
	return f.size
}

func (f *memFile) Write(p []byte) (int, error) {
	f.m.mu.Lock()
	defer f.m.mu.Unlock()
	if err := f.check("writing"); err != nil {
		return 0, err
	}
	f.ino.data = append(f.ino.data, p...)
	f.size = int64(len(f.ino.data))
	return len(p), nil
}

func (f *memFile) Sync() error {
	f.m.mu.Lock()
	defer f.m.mu.Unlock()
	if err := f.check("fsync of"); err != nil {
		return err
	}
	f.ino.synced = f.ino.data[:len(f.ino.data):len(f.ino.data)]
	return nil
}

func (f *memFile) Close() error {
	f.m.mu.Lock()
	defer f.m.mu.Unlock()
	if err := f.check("closing"); err != nil {
		return err
	}
	f.closed = true
	return nil
}

// memReader is a LogReader of a MemLog over the bytes present at open.
type memReader struct {
	m      *MemLog
	gen    int
	name   string
	data   []byte
	off    int64
	closed bool
}

func (r *memReader) Name() string { return r.name }
func (r *memReader) Size() int64  { return int64(len(r.data)) }

func (r *memReader) check(step string) error {
	r.m.mu.Lock()
	defer r.m.mu.Unlock()
	if r.gen != r.m.gen {
		return fmt.Errorf("persist: %s %s: %w", step, r.name, ErrCrashed)
	}
	if r.closed {
		return fmt.Errorf("persist: %s %s: %w", step, r.name, ErrClosed)
	}
	return nil
}

func (r *memReader) Read(p []byte) (int, error) {
	if err := r.check("reading"); err != nil {
		return 0, err
	}
	if r.off >= int64(len(r.data)) {
		return 0, io.EOF
	}
	n := copy(p, r.data[r.off:])
	r.off += int64(n)
	return n, nil
}

func (r *memReader) ReadAt(p []byte, off int64) (int, error) {
	if err := r.check("reading"); err != nil {
		return 0, err
	}
	if off < 0 {
		return 0, fmt.Errorf("persist: reading %s at offset %d: %w", r.name, off, fs.ErrInvalid)
	}
	if off >= int64(len(r.data)) {
		return 0, io.EOF
	}
	n := copy(p, r.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (r *memReader) Close() error {
	if err := r.check("closing"); err != nil {
		return err
	}
	r.m.mu.Lock()
	r.closed = true
	r.m.mu.Unlock()
	return nil
}
