package persisttest

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"strconv"
	"sync"
	"testing"

	"github.com/embedis/embedis/persist"
)

func openLog(t *testing.T, open LogOpener) persist.LogBackend {
	t.Helper()
	b, err := open()
	if err != nil {
		t.Fatalf("opening the backend: %v", err)
	}
	return b
}

// readAll reads the named file through Open and checks its Size.
func readAll(t *testing.T, b persist.LogBackend, name string) []byte {
	t.Helper()
	r, err := b.Open(name)
	if err != nil {
		t.Fatalf("Open(%s): %v", name, err)
	}
	defer r.Close()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	if r.Size() != int64(len(got)) {
		t.Fatalf("%s: Size %d, read %d bytes", name, r.Size(), len(got))
	}
	if r.Name() != name {
		t.Fatalf("reader Name %q, want %q", r.Name(), name)
	}
	return got
}

func wantFile(t *testing.T, b persist.LogBackend, name string, want []byte) {
	t.Helper()
	if got := readAll(t, b, name); !bytes.Equal(got, want) {
		t.Fatalf("%s holds %d bytes %q..., want %d bytes", name, len(got), trunc(got), len(want))
	}
	st, err := b.Stat(name)
	if err != nil {
		t.Fatalf("Stat(%s): %v", name, err)
	}
	if st != (persist.FileInfo{Name: name, Size: int64(len(want))}) {
		t.Fatalf("Stat(%s) = %+v, want size %d", name, st, len(want))
	}
}

func trunc(p []byte) []byte {
	if len(p) > 16 {
		return p[:16]
	}
	return p
}

func wantMissing(t *testing.T, b persist.LogBackend, name string) {
	t.Helper()
	if _, err := b.Stat(name); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Stat(%s): %v, want fs.ErrNotExist", name, err)
	}
	if r, err := b.Open(name); !errors.Is(err, fs.ErrNotExist) {
		if r != nil {
			r.Close()
		}
		t.Fatalf("Open(%s): %v, want fs.ErrNotExist", name, err)
	}
}

func wantList(t *testing.T, b persist.LogBackend, want ...persist.FileInfo) {
	t.Helper()
	got, err := b.List()
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(got) != len(want) {
		t.Fatalf("List = %+v, want %+v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("List = %+v, want %+v", got, want)
		}
	}
}

// createFile creates name with p, synced and closed.
func createFile(t *testing.T, b persist.LogBackend, name string, p []byte) {
	t.Helper()
	f, err := b.Create(name)
	if err != nil {
		t.Fatalf("Create(%s): %v", name, err)
	}
	write(t, f, p)
	if f.Size() != int64(len(p)) {
		t.Fatalf("%s: Size %d after writing %d bytes", name, f.Size(), len(p))
	}
	if err := f.Sync(); err != nil {
		t.Fatalf("Sync(%s): %v", name, err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("Close(%s): %v", name, err)
	}
}

// TestLogBackend runs the LogBackend conformance suite on storage, one
// subtest per contract.
func TestLogBackend(t *testing.T, storage LogStorage) {
	t.Run("Empty", func(t *testing.T) {
		b := openLog(t, storage(t))
		wantList(t, b)
		wantMissing(t, b, "appendonly.aof.1.incr.aof")
		if _, err := b.OpenAppend("x"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("OpenAppend of a missing file: %v, want fs.ErrNotExist", err)
		}
		if err := b.Remove("x"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Remove of a missing file: %v, want fs.ErrNotExist", err)
		}
		if err := b.Rename("x", "y"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Rename of a missing file: %v, want fs.ErrNotExist", err)
		}
		if err := b.Truncate("x", 0); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Truncate of a missing file: %v, want fs.ErrNotExist", err)
		}
		if err := b.SyncDir(); err != nil {
			t.Fatalf("SyncDir: %v", err)
		}
	})

	t.Run("InvalidNames", func(t *testing.T) {
		b := openLog(t, storage(t))
		for _, name := range []string{"", ".", "..", "a/b", "../x", "a\x00b"} {
			if _, err := b.Create(name); !errors.Is(err, fs.ErrInvalid) {
				t.Errorf("Create(%q): %v, want fs.ErrInvalid", name, err)
			}
			if _, err := b.Open(name); !errors.Is(err, fs.ErrInvalid) {
				t.Errorf("Open(%q): %v, want fs.ErrInvalid", name, err)
			}
			if err := b.WriteFileAtomic(name, []byte("x")); !errors.Is(err, fs.ErrInvalid) {
				t.Errorf("WriteFileAtomic(%q): %v, want fs.ErrInvalid", name, err)
			}
		}
		wantList(t, b)
	})

	t.Run("CreateWriteRead", func(t *testing.T) {
		b := openLog(t, storage(t))
		big := data(1, 1<<20+7)
		createFile(t, b, "b.aof", big)
		createFile(t, b, "a.aof", nil)
		createFile(t, b, "c.aof", []byte("*1\r\n$4\r\nPING\r\n"))
		wantFile(t, b, "b.aof", big)
		wantFile(t, b, "a.aof", nil)
		wantList(t, b,
			persist.FileInfo{Name: "a.aof", Size: 0},
			persist.FileInfo{Name: "b.aof", Size: int64(len(big))},
			persist.FileInfo{Name: "c.aof", Size: 14})
		r, err := b.Open("b.aof")
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		buf := make([]byte, 10)
		if n, err := r.ReadAt(buf, 1000); n != 10 || err != nil || !bytes.Equal(buf, big[1000:1010]) {
			t.Fatalf("ReadAt(1000) = %d, %v, %q", n, err, buf[:n])
		}
		if n, err := r.ReadAt(buf, int64(len(big))-3); n != 3 || err != io.EOF {
			t.Fatalf("ReadAt of the last 3 bytes into 10 = %d, %v; want 3, io.EOF", n, err)
		}
	})

	t.Run("CreateTruncatesExisting", func(t *testing.T) {
		b := openLog(t, storage(t))
		createFile(t, b, "f", data(1, 100))
		createFile(t, b, "f", []byte("new"))
		wantFile(t, b, "f", []byte("new"))
	})

	t.Run("AppendAndVisibility", func(t *testing.T) {
		b := openLog(t, storage(t))
		createFile(t, b, "log", []byte("first;"))
		f, err := b.OpenAppend("log")
		if err != nil {
			t.Fatal(err)
		}
		if f.Size() != 6 || f.Name() != "log" {
			t.Fatalf("OpenAppend: Size %d Name %q, want 6 and log", f.Size(), f.Name())
		}
		before, err := b.Open("log") // opened before the append
		if err != nil {
			t.Fatal(err)
		}
		defer before.Close()
		write(t, f, []byte("second;"))
		if err := f.Sync(); err != nil {
			t.Fatal(err)
		}
		if f.Size() != 13 {
			t.Fatalf("Size after append = %d, want 13", f.Size())
		}
		// Synced bytes are visible to a reader opened afterwards.
		wantFile(t, b, "log", []byte("first;second;"))
		// A reader opened before sees at least what was there at open.
		got, err := io.ReadAll(before)
		if err != nil {
			t.Fatal(err)
		}
		if before.Size() != 6 || !bytes.HasPrefix(got, []byte("first;")) || !bytes.HasPrefix([]byte("first;second;"), got) {
			t.Fatalf("reader opened before the append: Size %d, read %q", before.Size(), got)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte("x")); !errors.Is(err, persist.ErrClosed) {
			t.Fatalf("Write after Close: %v, want ErrClosed", err)
		}
		if err := f.Sync(); !errors.Is(err, persist.ErrClosed) {
			t.Fatalf("Sync after Close: %v, want ErrClosed", err)
		}
		if err := f.Close(); !errors.Is(err, persist.ErrClosed) {
			t.Fatalf("second Close: %v, want ErrClosed", err)
		}
	})

	t.Run("Rename", func(t *testing.T) {
		b := openLog(t, storage(t))
		createFile(t, b, "temp-rewrite", []byte("new base"))
		createFile(t, b, "base", []byte("old base"))
		if err := b.Rename("temp-rewrite", "base"); err != nil {
			t.Fatalf("Rename over an existing file: %v", err)
		}
		wantMissing(t, b, "temp-rewrite")
		wantFile(t, b, "base", []byte("new base"))
		if err := b.Rename("base", "base2"); err != nil {
			t.Fatalf("Rename to a new name: %v", err)
		}
		wantMissing(t, b, "base")
		wantList(t, b, persist.FileInfo{Name: "base2", Size: 8})
		if err := b.SyncDir(); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("Remove", func(t *testing.T) {
		b := openLog(t, storage(t))
		createFile(t, b, "a", []byte("1"))
		createFile(t, b, "b", []byte("2"))
		if err := b.Remove("a"); err != nil {
			t.Fatal(err)
		}
		wantMissing(t, b, "a")
		wantList(t, b, persist.FileInfo{Name: "b", Size: 1})
		if err := b.Remove("a"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("second Remove: %v, want fs.ErrNotExist", err)
		}
	})

	t.Run("Truncate", func(t *testing.T) {
		b := openLog(t, storage(t))
		p := data(3, 1000)
		createFile(t, b, "incr", p)
		if err := b.Truncate("incr", 600); err != nil {
			t.Fatal(err)
		}
		wantFile(t, b, "incr", p[:600])
		if err := b.Truncate("incr", 601); err == nil {
			t.Fatal("Truncate beyond the end succeeded")
		}
		f, err := b.OpenAppend("incr")
		if err != nil {
			t.Fatal(err)
		}
		write(t, f, []byte("tail"))
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		wantFile(t, b, "incr", append(p[:600:600], "tail"...))
		if err := b.Truncate("incr", 0); err != nil {
			t.Fatal(err)
		}
		wantFile(t, b, "incr", nil)
	})

	t.Run("WriteFileAtomic", func(t *testing.T) {
		b := openLog(t, storage(t))
		m1 := []byte("file appendonly.aof.1.base.rdb seq 1 type b\n")
		m2 := []byte("file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n")
		if err := b.WriteFileAtomic("appendonly.aof.manifest", m1); err != nil {
			t.Fatal(err)
		}
		wantFile(t, b, "appendonly.aof.manifest", m1)
		if err := b.WriteFileAtomic("appendonly.aof.manifest", m2); err != nil {
			t.Fatal(err)
		}
		wantFile(t, b, "appendonly.aof.manifest", m2)
		// No temporary file is left behind.
		wantList(t, b, persist.FileInfo{Name: "appendonly.aof.manifest", Size: int64(len(m2))})
	})

	t.Run("Concurrent", func(t *testing.T) {
		b := openLog(t, storage(t))
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				name := "file" + strconv.Itoa(g)
				f, err := b.Create(name)
				if err != nil {
					t.Errorf("Create: %v", err)
					return
				}
				defer f.Close()
				for i := 0; i < 20; i++ {
					if _, err := f.Write([]byte{byte(g), byte(i)}); err != nil {
						t.Errorf("Write: %v", err)
					}
					if i%5 == 0 {
						if err := f.Sync(); err != nil {
							t.Errorf("Sync: %v", err)
						}
						if _, err := b.List(); err != nil {
							t.Errorf("List: %v", err)
						}
						if err := b.WriteFileAtomic("manifest", []byte(name)); err != nil {
							t.Errorf("WriteFileAtomic: %v", err)
						}
					}
				}
			}()
		}
		wg.Wait()
		for g := 0; g < 4; g++ {
			var want []byte
			for i := 0; i < 20; i++ {
				want = append(want, byte(g), byte(i))
			}
			wantFile(t, b, "file"+strconv.Itoa(g), want)
		}
		if m := readAll(t, b, "manifest"); !bytes.HasPrefix(m, []byte("file")) || len(m) != 5 {
			t.Fatalf("manifest after concurrent replaces = %q", m)
		}
		list, err := b.List()
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 5 {
			t.Fatalf("List = %+v, want 4 files and the manifest", list)
		}
	})

	t.Run("Reopen", func(t *testing.T) {
		open := storage(t)
		b := openLog(t, open)
		p := data(4, 5000)
		createFile(t, b, "appendonly.aof.1.base.rdb", p)
		f, err := b.Create("appendonly.aof.1.incr.aof")
		if err != nil {
			t.Fatal(err)
		}
		write(t, f, []byte("*1\r\n$5\r\nMULTI\r\n"))
		if err := f.Sync(); err != nil {
			t.Fatal(err)
		}
		if err := b.WriteFileAtomic("appendonly.aof.manifest", []byte("m")); err != nil {
			t.Fatal(err)
		}
		if err := b.SyncDir(); err != nil {
			t.Fatal(err)
		}
		b2 := openLog(t, open)
		wantFile(t, b2, "appendonly.aof.1.base.rdb", p)
		wantFile(t, b2, "appendonly.aof.1.incr.aof", []byte("*1\r\n$5\r\nMULTI\r\n"))
		wantFile(t, b2, "appendonly.aof.manifest", []byte("m"))
		// The old handle still appends to the same file.
		write(t, f, []byte("*1\r\n$4\r\nEXEC\r\n"))
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		wantFile(t, b2, "appendonly.aof.1.incr.aof", []byte("*1\r\n$5\r\nMULTI\r\n*1\r\n$4\r\nEXEC\r\n"))
	})
}
