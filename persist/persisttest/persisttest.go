// Package persisttest is the conformance suite for persist backends: any
// SnapshotBackend or LogBackend, a user's object-store backend included,
// can run it from a test to check that it keeps the contracts embedis
// relies on (atomic commit, abort leaves nothing, latest wins, listing,
// removal, what readers see, what survives a reopen).
//
//	func TestMyBackend(t *testing.T) {
//		persisttest.TestSnapshotBackend(t, func(t *testing.T) persisttest.SnapshotOpener {
//			bucket := newTestBucket(t) // fresh, empty storage
//			return func() (persist.SnapshotBackend, error) { return mybackend.Open(bucket) }
//		})
//	}
//
// Crash behaviour is not part of the suite (a backend cannot be made to
// lose power from outside); persist's own tests check it on MemLog.
package persisttest

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"math/rand"
	"sync"
	"testing"

	"github.com/embedis/embedis/persist"
)

// SnapshotOpener opens a SnapshotBackend on one storage; each call opens
// the same storage again, as a restarted process would.
type SnapshotOpener func() (persist.SnapshotBackend, error)

// SnapshotStorage makes fresh, empty storage for one subtest (cleaned up
// with t.Cleanup) and returns the opener for it.
type SnapshotStorage func(t *testing.T) SnapshotOpener

// LogOpener opens a LogBackend on one storage; each call opens the same
// storage again, as a restarted process would.
type LogOpener func() (persist.LogBackend, error)

// LogStorage makes fresh, empty storage for one subtest (cleaned up with
// t.Cleanup) and returns the opener for it.
type LogStorage func(t *testing.T) LogOpener

// data returns n seeded pseudo-random bytes, different per seed.
func data(seed int64, n int) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	return b
}

func openSnap(t *testing.T, open SnapshotOpener) persist.SnapshotBackend {
	t.Helper()
	b, err := open()
	if err != nil {
		t.Fatalf("opening the backend: %v", err)
	}
	return b
}

// commit writes p as a snapshot in chunks of varied sizes (an empty write
// included) and commits it.
func commit(t *testing.T, b persist.SnapshotBackend, p []byte) persist.SnapshotInfo {
	t.Helper()
	w, err := b.Create()
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	write(t, w, p)
	info, err := w.Commit()
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if info.Size != int64(len(p)) {
		t.Fatalf("Commit returned size %d, wrote %d bytes", info.Size, len(p))
	}
	if info.Name == "" {
		t.Fatal("Commit returned an empty name")
	}
	return info
}

func write(t *testing.T, w io.Writer, p []byte) {
	t.Helper()
	if _, err := w.Write(nil); err != nil {
		t.Fatalf("Write of nothing: %v", err)
	}
	for chunk := 1; len(p) > 0; chunk *= 3 {
		n := min(chunk, len(p))
		m, err := w.Write(p[:n])
		if err != nil || m != n {
			t.Fatalf("Write of %d bytes: wrote %d, %v", n, m, err)
		}
		p = p[n:]
	}
}

// wantLatest checks that Open returns want's bytes under info.
func wantLatest(t *testing.T, b persist.SnapshotBackend, info persist.SnapshotInfo, want []byte) {
	t.Helper()
	r, err := b.Open()
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer r.Close()
	if got := r.Info(); got != info {
		t.Fatalf("Open: info %+v, want %+v", got, info)
	}
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("reading the snapshot: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("snapshot %s: read %d bytes, not the %d committed", info.Name, len(got), len(want))
	}
	list, err := b.List()
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(list) == 0 || list[0] != info {
		t.Fatalf("List = %+v, want %+v first", list, info)
	}
}

func wantNone(t *testing.T, b persist.SnapshotBackend) {
	t.Helper()
	if r, err := b.Open(); !errors.Is(err, fs.ErrNotExist) {
		if r != nil {
			r.Close()
		}
		t.Fatalf("Open with no snapshot: %v, want an error wrapping fs.ErrNotExist", err)
	}
	list, err := b.List()
	if err != nil || len(list) != 0 {
		t.Fatalf("List with no snapshot = %+v, %v; want none", list, err)
	}
}

// TestSnapshotBackend runs the SnapshotBackend conformance suite on
// storage, one subtest per contract.
func TestSnapshotBackend(t *testing.T, storage SnapshotStorage) {
	t.Run("Empty", func(t *testing.T) {
		wantNone(t, openSnap(t, storage(t)))
	})

	t.Run("CommitThenOpen", func(t *testing.T) {
		b := openSnap(t, storage(t))
		for i, n := range []int{0, 1, 9, 4096, 1 << 20} {
			p := data(int64(i), n)
			wantLatest(t, b, commit(t, b, p), p)
		}
	})

	t.Run("UncommittedInvisible", func(t *testing.T) {
		b := openSnap(t, storage(t))
		w, err := b.Create()
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort()
		write(t, w, data(1, 1000))
		wantNone(t, b)
		a := data(2, 500)
		infoA := commit(t, b, a)
		write(t, w, data(3, 1000))
		wantLatest(t, b, infoA, a)
	})

	t.Run("AbortLeavesNothing", func(t *testing.T) {
		b := openSnap(t, storage(t))
		w, err := b.Create()
		if err != nil {
			t.Fatal(err)
		}
		write(t, w, data(1, 3000))
		if err := w.Abort(); err != nil {
			t.Fatalf("Abort: %v", err)
		}
		wantNone(t, b)
		a := data(2, 100)
		infoA := commit(t, b, a)
		w, err = b.Create()
		if err != nil {
			t.Fatal(err)
		}
		write(t, w, data(3, 100))
		if err := w.Abort(); err != nil {
			t.Fatalf("Abort: %v", err)
		}
		if err := w.Abort(); err != nil {
			t.Fatalf("second Abort: %v, want nil", err)
		}
		if _, err := w.Write([]byte("x")); err == nil {
			t.Fatal("Write after Abort succeeded")
		}
		if _, err := w.Commit(); !errors.Is(err, persist.ErrClosed) {
			t.Fatalf("Commit after Abort: %v, want ErrClosed", err)
		}
		wantLatest(t, b, infoA, a)
		list, _ := b.List()
		if len(list) != 1 {
			t.Fatalf("List after one commit and two aborts = %+v, want one snapshot", list)
		}
	})

	t.Run("CommitTwiceAndDeferredAbort", func(t *testing.T) {
		b := openSnap(t, storage(t))
		w, err := b.Create()
		if err != nil {
			t.Fatal(err)
		}
		p := data(1, 10)
		write(t, w, p)
		info, err := w.Commit()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Commit(); !errors.Is(err, persist.ErrClosed) {
			t.Fatalf("second Commit: %v, want ErrClosed", err)
		}
		if err := w.Abort(); err != nil {
			t.Fatalf("Abort after Commit: %v, want nil", err)
		}
		wantLatest(t, b, info, p)
	})

	t.Run("LatestWins", func(t *testing.T) {
		b := openSnap(t, storage(t))
		var info persist.SnapshotInfo
		var p []byte
		for i := 0; i < 4; i++ {
			p = data(int64(i), 100+i)
			info = commit(t, b, p)
		}
		wantLatest(t, b, info, p)
		// Of two writers open at once, the one committed last wins.
		w1, err := b.Create()
		if err != nil {
			t.Fatal(err)
		}
		w2, err := b.Create()
		if err != nil {
			t.Fatal(err)
		}
		p1, p2 := data(10, 77), data(20, 88)
		write(t, w1, p1)
		write(t, w2, p2)
		if _, err := w2.Commit(); err != nil {
			t.Fatal(err)
		}
		info1, err := w1.Commit()
		if err != nil {
			t.Fatal(err)
		}
		wantLatest(t, b, info1, p1)
	})

	t.Run("ReaderKeepsItsSnapshot", func(t *testing.T) {
		b := openSnap(t, storage(t))
		a := data(1, 70000)
		commit(t, b, a)
		r, err := b.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		head := make([]byte, 100)
		if _, err := io.ReadFull(r, head); err != nil {
			t.Fatal(err)
		}
		nb := data(2, 50)
		infoB := commit(t, b, nb)
		rest, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("reading an older snapshot after a newer commit: %v", err)
		}
		if !bytes.Equal(append(head, rest...), a) {
			t.Fatal("a reader opened before a commit did not read the snapshot it opened")
		}
		if err := r.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if _, err := r.Read(head); err == nil {
			t.Fatal("Read after Close succeeded")
		}
		wantLatest(t, b, infoB, nb)
	})

	t.Run("Remove", func(t *testing.T) {
		b := openSnap(t, storage(t))
		if err := b.Remove("no-such-snapshot"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Remove of an unknown name: %v, want fs.ErrNotExist", err)
		}
		for i := 0; i < 3; i++ {
			commit(t, b, data(int64(i), 10))
		}
		for {
			list, err := b.List()
			if err != nil {
				t.Fatal(err)
			}
			if len(list) == 0 {
				break
			}
			if err := b.Remove(list[0].Name); err != nil {
				t.Fatalf("Remove(%s): %v", list[0].Name, err)
			}
			if err := b.Remove(list[0].Name); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("second Remove(%s): %v, want fs.ErrNotExist", list[0].Name, err)
			}
			after, err := b.List()
			if err != nil {
				t.Fatal(err)
			}
			if len(after) != len(list)-1 {
				t.Fatalf("List after Remove(%s) = %+v, was %+v", list[0].Name, after, list)
			}
			if len(after) > 0 {
				r, err := b.Open()
				if err != nil {
					t.Fatalf("Open after removing the newest: %v", err)
				}
				if r.Info() != after[0] {
					t.Fatalf("Open after removing the newest: %+v, want %+v", r.Info(), after[0])
				}
				r.Close()
			}
		}
		wantNone(t, b)
	})

	t.Run("Concurrent", func(t *testing.T) {
		b := openSnap(t, storage(t))
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 5; i++ {
					w, err := b.Create()
					if err != nil {
						t.Errorf("Create: %v", err)
						return
					}
					if _, err := w.Write(data(int64(g*10+i), 1000)); err != nil {
						t.Errorf("Write: %v", err)
					}
					if i%2 == 0 {
						_ = w.Abort()
					} else if _, err := w.Commit(); err != nil {
						t.Errorf("Commit: %v", err)
					}
					if _, err := b.List(); err != nil {
						t.Errorf("List: %v", err)
					}
				}
			}()
		}
		wg.Wait()
		// The latest is one of the committed snapshots, whole.
		r, err := b.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		got, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for g := 0; g < 4 && !found; g++ {
			for i := 1; i < 5; i += 2 {
				if bytes.Equal(got, data(int64(g*10+i), 1000)) {
					found = true
				}
			}
		}
		if !found {
			t.Fatal("after concurrent commits the latest snapshot is none of them")
		}
	})

	t.Run("Reopen", func(t *testing.T) {
		open := storage(t)
		b := openSnap(t, open)
		p := data(5, 12345)
		info := commit(t, b, p)
		w, err := b.Create()
		if err != nil {
			t.Fatal(err)
		}
		write(t, w, data(6, 100)) // never committed
		_ = w.Abort()
		b2 := openSnap(t, open)
		wantLatest(t, b2, info, p)
		list, err := b2.List()
		if err != nil || len(list) != 1 {
			t.Fatalf("List after reopen = %+v, %v; want the one committed snapshot", list, err)
		}
	})
}
