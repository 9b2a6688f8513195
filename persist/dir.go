package persist

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// LogDir is a LogBackend on a directory of the operating system's file
// system. Files are created with mode 0644 (less the umask), as Redis
// creates its own.
type LogDir struct {
	path string
}

var _ LogBackend = (*LogDir)(nil)

// OpenLogDir returns the backend for the directory at path, creating the
// directory (mode 0755, and its parents) if it does not exist, as Redis
// creates appenddirname. It removes nothing: leftover temporary files
// (IsTemp) are the caller's to clean.
func OpenLogDir(path string) (*LogDir, error) {
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("persist: creating directory %s: %w", path, err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("persist: opening directory %s: %w", path, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("persist: opening directory %s: not a directory: %w", path, fs.ErrInvalid)
	}
	return &LogDir{path: path}, nil
}

// Path returns the directory's path.
func (d *LogDir) Path() string { return d.path }

func (d *LogDir) join(name string) string { return filepath.Join(d.path, name) }

// Create implements LogBackend.
func (d *LogDir) Create(name string) (LogFile, error) {
	if err := checkName("create", name); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(d.join(name), os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("persist: creating %s: %w", name, err)
	}
	return &dirFile{f: f, name: name}, nil
}

// OpenAppend implements LogBackend.
func (d *LogDir) OpenAppend(name string) (LogFile, error) {
	if err := checkName("open for append", name); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(d.join(name), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, fmt.Errorf("persist: opening %s for append: %w", name, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("persist: opening %s for append: stat: %w", name, err)
	}
	return &dirFile{f: f, name: name, size: st.Size()}, nil
}

// Open implements LogBackend.
func (d *LogDir) Open(name string) (LogReader, error) {
	if err := checkName("open", name); err != nil {
		return nil, err
	}
	f, err := os.Open(d.join(name))
	if err != nil {
		return nil, fmt.Errorf("persist: opening %s: %w", name, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("persist: opening %s: stat: %w", name, err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("persist: opening %s: not a regular file: %w", name, fs.ErrInvalid)
	}
	return &dirReader{f: f, name: name, size: st.Size()}, nil
}

// Stat implements LogBackend.
func (d *LogDir) Stat(name string) (FileInfo, error) {
	if err := checkName("stat", name); err != nil {
		return FileInfo{}, err
	}
	st, err := os.Stat(d.join(name))
	if err != nil {
		return FileInfo{}, fmt.Errorf("persist: stat of %s: %w", name, err)
	}
	return FileInfo{Name: name, Size: st.Size()}, nil
}

// List implements LogBackend. Subdirectories and other non-regular files
// are left out.
func (d *LogDir) List() ([]FileInfo, error) {
	ents, err := os.ReadDir(d.path)
	if err != nil {
		return nil, fmt.Errorf("persist: listing directory %s: %w", d.path, err)
	}
	out := make([]FileInfo, 0, len(ents))
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed since ReadDir
		}
		if err != nil {
			return nil, fmt.Errorf("persist: listing directory %s: stat of %s: %w", d.path, e.Name(), err)
		}
		out = append(out, FileInfo{Name: e.Name(), Size: info.Size()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Rename implements LogBackend with rename(2), which is atomic within one
// directory.
func (d *LogDir) Rename(oldName, newName string) error {
	if err := checkName("rename", oldName); err != nil {
		return err
	}
	if err := checkName("rename", newName); err != nil {
		return err
	}
	if err := os.Rename(d.join(oldName), d.join(newName)); err != nil {
		return fmt.Errorf("persist: renaming %s to %s: %w", oldName, newName, err)
	}
	return nil
}

// Remove implements LogBackend.
func (d *LogDir) Remove(name string) error {
	if err := checkName("remove", name); err != nil {
		return err
	}
	if err := os.Remove(d.join(name)); err != nil {
		return fmt.Errorf("persist: removing %s: %w", name, err)
	}
	return nil
}

// Truncate implements LogBackend: ftruncate(2) then fsync(2) of the file.
func (d *LogDir) Truncate(name string, size int64) error {
	if err := checkName("truncate", name); err != nil {
		return err
	}
	f, err := os.OpenFile(d.join(name), os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("persist: truncating %s: %w", name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("persist: truncating %s: stat: %w", name, err)
	}
	if size < 0 || size > st.Size() {
		return fmt.Errorf("persist: truncating %s to %d bytes: the file has %d: %w", name, size, st.Size(), fs.ErrInvalid)
	}
	if err := f.Truncate(size); err != nil {
		return fmt.Errorf("persist: truncating %s to %d bytes: %w", name, size, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("persist: truncating %s: fsync: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("persist: truncating %s: close: %w", name, err)
	}
	return nil
}

// SyncDir implements LogBackend with fsync(2) of the directory.
func (d *LogDir) SyncDir() error { return syncDir(d.path) }

func syncDir(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("persist: fsync of directory %s: open: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("persist: fsync of directory %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("persist: fsync of directory %s: close: %w", path, err)
	}
	return nil
}

// WriteFileAtomic implements LogBackend with WriteFileAtomicVia.
func (d *LogDir) WriteFileAtomic(name string, data []byte) error {
	return WriteFileAtomicVia(d, name, data)
}

// dirFile is a LogFile on an *os.File opened with O_APPEND.
type dirFile struct {
	mu     sync.Mutex // guards closed against Close racing a Write
	f      *os.File
	name   string
	size   int64
	closed bool
}

func (f *dirFile) Name() string { return f.name }

func (f *dirFile) Size() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.size
}

func (f *dirFile) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0, fmt.Errorf("persist: writing %s: %w", f.name, ErrClosed)
	}
	n, err := f.f.Write(p)
	f.size += int64(n)
	if err != nil {
		return n, fmt.Errorf("persist: writing %s at offset %d: %w", f.name, f.size, err)
	}
	return n, nil
}

func (f *dirFile) Sync() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return fmt.Errorf("persist: fsync of %s: %w", f.name, ErrClosed)
	}
	if err := f.f.Sync(); err != nil {
		return fmt.Errorf("persist: fsync of %s: %w", f.name, err)
	}
	return nil
}

func (f *dirFile) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return fmt.Errorf("persist: closing %s: %w", f.name, ErrClosed)
	}
	f.closed = true
	if err := f.f.Close(); err != nil {
		return fmt.Errorf("persist: closing %s: %w", f.name, err)
	}
	return nil
}

// dirReader is a LogReader on an *os.File.
type dirReader struct {
	f    *os.File
	name string
	size int64
}

func (r *dirReader) Name() string { return r.name }
func (r *dirReader) Size() int64  { return r.size }

func (r *dirReader) Read(p []byte) (int, error) {
	n, err := r.f.Read(p)
	if errors.Is(err, os.ErrClosed) {
		return n, fmt.Errorf("persist: reading %s: %w", r.name, ErrClosed)
	}
	if err != nil && !isEOF(err) {
		return n, fmt.Errorf("persist: reading %s: %w", r.name, err)
	}
	return n, err
}

func (r *dirReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := r.f.ReadAt(p, off)
	if errors.Is(err, os.ErrClosed) {
		return n, fmt.Errorf("persist: reading %s: %w", r.name, ErrClosed)
	}
	if err != nil && !isEOF(err) {
		return n, fmt.Errorf("persist: reading %s at offset %d: %w", r.name, off, err)
	}
	return n, err
}

func (r *dirReader) Close() error {
	if err := r.f.Close(); err != nil {
		if errors.Is(err, os.ErrClosed) {
			return fmt.Errorf("persist: closing %s: %w", r.name, ErrClosed)
		}
		return fmt.Errorf("persist: closing %s: %w", r.name, err)
	}
	return nil
}
