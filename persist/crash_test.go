package persist_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/embedis/embedis/persist"
)

func mustWrite(t *testing.T, w io.Writer, s string) {
	t.Helper()
	if _, err := io.WriteString(w, s); err != nil {
		t.Fatalf("write %q: %v", s, err)
	}
}

func content(t *testing.T, b persist.LogBackend, name string) (string, bool) {
	t.Helper()
	r, err := b.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false
	}
	if err != nil {
		t.Fatalf("Open(%s): %v", name, err)
	}
	defer r.Close()
	p, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	return string(p), true
}

func names(t *testing.T, b persist.LogBackend) []string {
	t.Helper()
	list, err := b.List()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range list {
		out = append(out, f.Name)
	}
	return out
}

// TestMemLogCrashModel checks that a simulated crash loses exactly what
// was not made durable.
func TestMemLogCrashModel(t *testing.T) {
	m := persist.NewMemLog()

	// WriteFileAtomic is durable on return.
	if err := m.WriteFileAtomic("manifest", []byte("m1")); err != nil {
		t.Fatal(err)
	}

	// Synced bytes of a file whose entry was made durable survive; the
	// unsynced tail does not.
	f, err := m.Create("incr")
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, f, "synced;")
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := m.SyncDir(); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, f, "lost;")

	// A durable file renamed and removed without SyncDir comes back.
	h, err := m.Create("old")
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, h, "old content")
	if err := h.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := m.SyncDir(); err != nil {
		t.Fatal(err)
	}
	if err := m.Rename("old", "new"); err != nil {
		t.Fatal(err)
	}
	if err := m.Remove("incr"); err != nil {
		t.Fatal(err)
	}

	// A file synced but never followed by SyncDir is lost entirely.
	g, err := m.Create("orphan")
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, g, "data")
	if err := g.Sync(); err != nil {
		t.Fatal(err)
	}

	if got, want := m.Unsynced(), []string{"incr", "new", "old", "orphan"}; !slices.Equal(got, want) {
		t.Fatalf("Unsynced = %v, want %v", got, want)
	}

	m.Crash()

	if got, want := names(t, m), []string{"incr", "manifest", "old"}; !slices.Equal(got, want) {
		t.Fatalf("files after crash = %v, want %v", got, want)
	}
	if s, _ := content(t, m, "incr"); s != "synced;" {
		t.Fatalf("incr after crash = %q, want the synced prefix", s)
	}
	if s, _ := content(t, m, "old"); s != "old content" {
		t.Fatalf("old after crash = %q", s)
	}
	if s, _ := content(t, m, "manifest"); s != "m1" {
		t.Fatalf("manifest after crash = %q", s)
	}
	if len(m.Unsynced()) != 0 {
		t.Fatalf("Unsynced right after a crash = %v", m.Unsynced())
	}
	// Handles from before the crash are dead.
	if _, err := f.Write([]byte("x")); !errors.Is(err, persist.ErrCrashed) {
		t.Fatalf("Write on a pre-crash handle: %v, want ErrCrashed", err)
	}
	if err := g.Sync(); !errors.Is(err, persist.ErrCrashed) {
		t.Fatalf("Sync on a pre-crash handle: %v, want ErrCrashed", err)
	}
	// The MemLog works after the crash, on what survived.
	f2, err := m.OpenAppend("incr")
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, f2, "again;")
	if s, _ := content(t, m, "incr"); s != "synced;again;" {
		t.Fatalf("incr after append = %q", s)
	}
}

func TestMemLogTruncateAndCreateOverCrash(t *testing.T) {
	m := persist.NewMemLog()
	f, _ := m.Create("f")
	mustWrite(t, f, "0123456789")
	_ = f.Sync()
	_ = m.SyncDir()
	if err := m.Truncate("f", 4); err != nil {
		t.Fatal(err)
	}
	m.Crash()
	if s, _ := content(t, m, "f"); s != "0123" {
		t.Fatalf("after Truncate and crash: %q, want 0123 (Truncate is durable)", s)
	}
	// Create over an existing file truncates it, but only a Sync makes
	// the truncation durable.
	g, _ := m.Create("f")
	mustWrite(t, g, "xy")
	m.Crash()
	if s, _ := content(t, m, "f"); s != "0123" {
		t.Fatalf("after an unsynced re-Create and crash: %q, want 0123", s)
	}
}

// commitSnapshot writes s as a snapshot of b.
func commitSnapshot(b persist.SnapshotBackend, s string) error {
	w, err := b.Create()
	if err != nil {
		return err
	}
	defer w.Abort()
	for i := 0; i < len(s); i += 7 {
		if _, err := io.WriteString(w, s[i:min(i+7, len(s))]); err != nil {
			return err
		}
	}
	_, err = w.Commit()
	return err
}

func readLatest(t *testing.T, b persist.SnapshotBackend) (string, bool) {
	t.Helper()
	r, err := b.Open()
	if errors.Is(err, fs.ErrNotExist) {
		return "", false
	}
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer r.Close()
	p, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(p), true
}

// TestSnapshotCrashAtEveryStep crashes a snapshot commit at each of its
// operations (on a MemLog, so the crash loses what was not durable) and
// checks that a restart finds the old snapshot whole or the new one whole,
// the new one exactly when Commit succeeded, and no temporary file.
func TestSnapshotCrashAtEveryStep(t *testing.T) {
	const old, next = "REDIS0010 the old snapshot", "REDIS0010 the new snapshot, longer than the old"
	setup := func() (*persist.MemLog, *persist.FaultyLog, *persist.FileSnapshots) {
		m := persist.NewMemLog()
		fl := persist.NewFaultyLog(m)
		s, err := persist.NewFileSnapshots(fl, "dump.rdb")
		if err != nil {
			t.Fatal(err)
		}
		if err := commitSnapshot(s, old); err != nil {
			t.Fatal(err)
		}
		return m, fl, s
	}
	// Count the operations of one commit.
	_, fl, s := setup()
	before := fl.Count(persist.OpAny)
	if err := commitSnapshot(s, next); err != nil {
		t.Fatal(err)
	}
	steps := fl.Count(persist.OpAny) - before
	if steps < 6 {
		t.Fatalf("a commit took %d operations; expected create, writes, fsync, rename, fsync-dir", steps)
	}
	for i := 1; i <= steps+1; i++ {
		m, fl, s := setup()
		fl.Inject(persist.Fault{Op: persist.OpAny, N: i, Kind: persist.Crash})
		err := commitSnapshot(s, next)
		if (err == nil) == fl.Crashed() {
			t.Fatalf("step %d: commit returned %v, crashed %v", i, err, fl.Crashed())
		}
		if err != nil && !errors.Is(err, persist.ErrCrashed) {
			t.Fatalf("step %d: commit failed with %v, want ErrCrashed", i, err)
		}
		fl.Recover()
		s2, err2 := persist.NewFileSnapshots(m, "dump.rdb")
		if err2 != nil {
			t.Fatal(err2)
		}
		got, ok := readLatest(t, s2)
		switch {
		case !ok:
			t.Fatalf("step %d: no snapshot after the crash", i)
		case err == nil && got != next:
			t.Fatalf("step %d: commit succeeded but the snapshot is %q", i, got)
		case got != old && got != next:
			t.Fatalf("step %d: snapshot after the crash is %q, neither old nor new", i, got)
		}
		if ns := names(t, m); !slices.Equal(ns, []string{"dump.rdb"}) {
			t.Fatalf("step %d: files after restart = %v, want only dump.rdb", i, ns)
		}
	}
}

// TestWriteFileAtomicCrashAtEveryStep does the same for the manifest's
// atomic replace.
func TestWriteFileAtomicCrashAtEveryStep(t *testing.T) {
	const m1 = "file appendonly.aof.1.base.rdb seq 1 type b\n"
	const m2 = "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n"
	for i := 1; ; i++ {
		m := persist.NewMemLog()
		if err := m.WriteFileAtomic("appendonly.aof.manifest", []byte(m1)); err != nil {
			t.Fatal(err)
		}
		fl := persist.NewFaultyLog(m)
		fl.Inject(persist.Fault{Op: persist.OpAny, N: i, Kind: persist.Crash})
		err := fl.WriteFileAtomic("appendonly.aof.manifest", []byte(m2))
		fl.Recover()
		got, _ := content(t, m, "appendonly.aof.manifest")
		if err == nil && got != m2 || got != m1 && got != m2 {
			t.Fatalf("crash at step %d (err %v): manifest %q", i, err, got)
		}
		for _, n := range names(t, m) {
			if persist.IsTemp(n) {
				// The temporary file's entry is never made durable on
				// its own: the only SyncDir comes after the rename.
				t.Fatalf("crash at step %d: temporary file %s survived", i, n)
			}
		}
		if err == nil {
			break // the crash fault was never reached: every step is covered
		}
		if i > 20 {
			t.Fatal("WriteFileAtomic never completed")
		}
	}
}

func TestInjectedErrors(t *testing.T) {
	setup := func() (*persist.MemLog, *persist.FaultyLog, *persist.FileSnapshots) {
		m := persist.NewMemLog()
		fl := persist.NewFaultyLog(m)
		s, err := persist.NewFileSnapshots(fl, "dump.rdb")
		if err != nil {
			t.Fatal(err)
		}
		if err := commitSnapshot(s, "old"); err != nil {
			t.Fatal(err)
		}
		return m, fl, s
	}
	for _, c := range []struct {
		fault persist.Fault
		want  error
	}{
		{persist.Fault{Op: persist.OpWrite, N: 2, Kind: persist.ShortWrite}, io.ErrShortWrite},
		{persist.Fault{Op: persist.OpWrite, N: 1, Kind: persist.NoSpace}, syscall.ENOSPC},
		{persist.Fault{Op: persist.OpCreate, N: 1, Kind: persist.NoSpace}, syscall.ENOSPC},
		{persist.Fault{Op: persist.OpSync, N: 1, Kind: persist.IOError}, syscall.EIO},
		{persist.Fault{Op: persist.OpRename, N: 1, Kind: persist.IOError}, syscall.EIO},
		{persist.Fault{Op: persist.OpSyncDir, N: 1, Kind: persist.IOError}, syscall.EIO},
	} {
		t.Run(fmt.Sprintf("%v-%v", c.fault.Op, c.fault.Kind), func(t *testing.T) {
			m, fl, s := setup()
			fl.Inject(c.fault)
			err := commitSnapshot(s, "a new snapshot")
			if !errors.Is(err, c.want) {
				t.Fatalf("commit with %+v: %v, want an error wrapping %v", c.fault, err, c.want)
			}
			if !strings.Contains(err.Error(), "dump.rdb") {
				t.Fatalf("error %q does not name the file", err)
			}
			got, _ := readLatest(t, s)
			if c.fault.Op == persist.OpSyncDir {
				// The rename happened but is not durable: the new
				// snapshot is visible, and a crash would undo it.
				if got != "a new snapshot" {
					t.Fatalf("after a failed directory fsync: %q", got)
				}
				m.Crash()
				got, _ = readLatest(t, s)
			}
			if got != "old" {
				t.Fatalf("after %+v the snapshot is %q, want the old one intact", c.fault, got)
			}
			for _, n := range names(t, m) {
				if n != "dump.rdb" {
					t.Fatalf("file %s left after a failed commit", n)
				}
			}
		})
	}
}

func TestShortWriteStoresHalf(t *testing.T) {
	m := persist.NewMemLog()
	fl := persist.NewFaultyLog(m)
	f, err := fl.Create("incr")
	if err != nil {
		t.Fatal(err)
	}
	fl.Inject(persist.Fault{Op: persist.OpWrite, N: 1, Kind: persist.ShortWrite})
	n, err := f.Write([]byte("12345678"))
	if n != 4 || !errors.Is(err, io.ErrShortWrite) {
		t.Fatalf("short write = %d, %v", n, err)
	}
	if s, _ := content(t, m, "incr"); s != "1234" {
		t.Fatalf("file after a short write = %q", s)
	}
	fl.Inject(persist.Fault{Op: persist.OpWrite, N: 1, Kind: persist.NoSpace})
	n, err = f.Write([]byte("abcd"))
	var pe *fs.PathError
	if n != 2 || !errors.Is(err, syscall.ENOSPC) || !errors.As(err, &pe) || pe.Path != "incr" {
		t.Fatalf("ENOSPC write = %d, %v", n, err)
	}
	if n, err := f.Write([]byte("!")); n != 1 || err != nil {
		t.Fatalf("write after the faults = %d, %v", n, err)
	}
	if s, _ := content(t, m, "incr"); s != "1234ab!" {
		t.Fatalf("file = %q", s)
	}
	if fl.Count(persist.OpWrite) != 3 {
		t.Fatalf("Count(OpWrite) = %d, want 3", fl.Count(persist.OpWrite))
	}
}

func TestFaultySnapshots(t *testing.T) {
	inner := persist.NewMemSnapshots()
	s := persist.NewFaultySnapshots(inner)
	if err := commitSnapshot(s, "one"); err != nil {
		t.Fatal(err)
	}
	s.Inject(persist.Fault{Op: persist.OpCommit, N: 1, Kind: persist.IOError})
	if err := commitSnapshot(s, "two"); !errors.Is(err, syscall.EIO) {
		t.Fatalf("faulted commit: %v", err)
	}
	if got, _ := readLatest(t, s); got != "one" {
		t.Fatalf("after a failed commit: %q", got)
	}
	list, _ := s.List()
	if len(list) != 1 {
		t.Fatalf("List after a failed commit = %+v", list)
	}
	// A crash while a snapshot is being written loses it.
	w, err := s.Create()
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, w, "three")
	s.Inject(persist.Fault{Op: persist.OpWrite, N: 1, Kind: persist.Crash})
	if _, err := w.Write([]byte("more")); !errors.Is(err, persist.ErrCrashed) {
		t.Fatalf("write at the crash: %v", err)
	}
	if _, err := s.List(); !errors.Is(err, persist.ErrCrashed) {
		t.Fatalf("List after the crash: %v", err)
	}
	s.Recover()
	if _, err := w.Commit(); err == nil {
		t.Fatal("a writer from before the crash committed")
	}
	if got, _ := readLatest(t, s); got != "one" {
		t.Fatalf("after the crash: %q", got)
	}
}

func TestSnapshotDirCleansLeftovers(t *testing.T) {
	dir := t.TempDir()
	s, err := persist.OpenSnapshotDir(dir, "dump.rdb")
	if err != nil {
		t.Fatal(err)
	}
	if err := commitSnapshot(s, "kept"); err != nil {
		t.Fatal(err)
	}
	// A writer that never finishes leaves its temporary file, as a
	// killed process would.
	w, err := s.Create()
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, w, "half a snapshot")
	// Files that are not ours stay.
	if err := os.WriteFile(filepath.Join(dir, "temp-123.rdb"), []byte("redis's"), 0o644); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 3 {
		t.Fatalf("directory holds %d files, want 3", len(ents))
	}
	s2, err := persist.OpenSnapshotDir(dir, "dump.rdb")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := readLatest(t, s2); got != "kept" {
		t.Fatalf("snapshot = %q", got)
	}
	ents, _ = os.ReadDir(dir)
	var left []string
	for _, e := range ents {
		left = append(left, e.Name())
	}
	if !slices.Equal(left, []string{"dump.rdb", "temp-123.rdb"}) {
		t.Fatalf("directory after reopen = %v", left)
	}
	// Aborting the orphaned writer now finds its file gone.
	if err := w.Abort(); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Abort of a writer whose file was cleaned: %v", err)
	}
}

func TestDirErrorsNameTheFile(t *testing.T) {
	d, err := persist.OpenLogDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Open("appendonly.aof.3.incr.aof")
	var pe *fs.PathError
	if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &pe) || !strings.Contains(err.Error(), "appendonly.aof.3.incr.aof") {
		t.Fatalf("Open of a missing file: %v", err)
	}
	if err := d.Rename("a", "b"); !errors.Is(err, syscall.ENOENT) {
		t.Fatalf("Rename of a missing file: %v, want ENOENT", err)
	}
	// A file where the directory should be.
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := persist.OpenLogDir(file); err == nil || !strings.Contains(err.Error(), file) {
		t.Fatalf("OpenLogDir on a file: %v", err)
	}
	if _, err := persist.OpenSnapshotDir(file, "dump.rdb"); err == nil {
		t.Fatal("OpenSnapshotDir on a file succeeded")
	}
	if _, err := persist.OpenSnapshotDir(t.TempDir(), "a/dump.rdb"); !errors.Is(err, fs.ErrInvalid) {
		t.Fatalf("OpenSnapshotDir with a path as name: %v", err)
	}
}

func TestIsTemp(t *testing.T) {
	d, _ := persist.OpenLogDir(t.TempDir())
	s, _ := persist.NewFileSnapshots(d, "dump.rdb")
	w, err := s.Create()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	list, _ := d.List()
	if len(list) != 1 || !persist.IsTemp(list[0].Name) {
		t.Fatalf("temporary file %+v not recognised by IsTemp", list)
	}
	for _, n := range []string{"dump.rdb", "appendonly.aof.manifest", "temp-1.rdb", "appendonly.aof.1.incr.aof"} {
		if persist.IsTemp(n) {
			t.Errorf("IsTemp(%q) = true", n)
		}
	}
	if !bytes.Contains([]byte(list[0].Name), []byte("dump.rdb")) {
		t.Errorf("temporary name %q does not start with the target", list[0].Name)
	}
}

// TestFaultyLogCrashOnDir: on a real directory a crash stops every
// operation, and what was written stays (as when a process is killed).
func TestFaultyLogCrashOnDir(t *testing.T) {
	d, err := persist.OpenLogDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fl := persist.NewFaultyLog(d)
	f, err := fl.Create("incr")
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, f, "written")
	fl.Inject(persist.Fault{Op: persist.OpSync, N: 1, Kind: persist.Crash})
	if err := f.Sync(); !errors.Is(err, persist.ErrCrashed) {
		t.Fatalf("Sync at the crash: %v", err)
	}
	if _, err := f.Write([]byte("x")); !errors.Is(err, persist.ErrCrashed) {
		t.Fatalf("Write after the crash: %v", err)
	}
	if _, err := fl.Open("incr"); !errors.Is(err, persist.ErrCrashed) || !strings.Contains(err.Error(), "incr") {
		t.Fatalf("Open after the crash: %v", err)
	}
	if _, err := fl.Create("other"); !errors.Is(err, persist.ErrCrashed) {
		t.Fatalf("Create after the crash: %v", err)
	}
	if err := f.Close(); !errors.Is(err, persist.ErrCrashed) {
		t.Fatalf("Close after the crash: %v", err)
	}
	if !fl.Crashed() {
		t.Fatal("Crashed() = false after a crash")
	}
	fl.Recover()
	if s, _ := content(t, fl, "incr"); s != "written" {
		t.Fatalf("after recovery: %q", s)
	}
	if fl.Count(persist.OpAny) != 0 {
		t.Fatalf("Count after Recover = %d", fl.Count(persist.OpAny))
	}
}
