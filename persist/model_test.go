package persist_test

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand"
	"slices"
	"testing"

	"github.com/embedis/embedis/persist"
)

// TestMemLogMatchesDir runs one seeded random stream of operations on a
// MemLog and on a real directory and checks after every step that both
// agree on the result class of the operation, the listing and every
// file's content: MemLog is a faithful model of a directory (its crash
// model aside).
func TestMemLogMatchesDir(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { modelRun(t, seed) })
	}
}

func errClass(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, fs.ErrNotExist):
		return "not-exist"
	case errors.Is(err, fs.ErrInvalid):
		return "invalid"
	case errors.Is(err, persist.ErrClosed):
		return "closed"
	}
	return "other: " + err.Error()
}

func modelRun(t *testing.T, seed int64) {
	rng := rand.New(rand.NewSource(seed))
	d, err := persist.OpenLogDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	backends := []persist.LogBackend{persist.NewMemLog(), d}
	names := []string{"a", "b", "c", "appendonly.aof.manifest"}
	handles := make([][]persist.LogFile, len(backends)) // parallel handles
	// Closed handles stay in the list: using them must fail alike.
	defer func() {
		for _, hs := range handles {
			for _, h := range hs {
				h.Close()
			}
		}
	}()
	for step := 0; step < 400; step++ {
		name, name2 := names[rng.Intn(len(names))], names[rng.Intn(len(names))]
		op := rng.Intn(10)
		payload := make([]byte, rng.Intn(50))
		rng.Read(payload)
		size := int64(rng.Intn(60))
		hi := -1
		if len(handles[0]) > 0 {
			hi = rng.Intn(len(handles[0]))
		}
		var classes []string
		for i, b := range backends {
			var err error
			switch op {
			case 0, 1:
				var f persist.LogFile
				if op == 0 {
					f, err = b.Create(name)
				} else {
					f, err = b.OpenAppend(name)
				}
				if err == nil {
					handles[i] = append(handles[i], f)
				}
			case 2, 3:
				if hi >= 0 {
					_, err = handles[i][hi].Write(payload)
				}
			case 4:
				if hi >= 0 {
					err = handles[i][hi].Sync()
				}
			case 5:
				if hi >= 0 {
					err = handles[i][hi].Close()
				}
			case 6:
				err = b.Rename(name, name2)
			case 7:
				err = b.Remove(name)
			case 8:
				err = b.Truncate(name, size)
			case 9:
				err = b.WriteFileAtomic(name, payload)
			}
			classes = append(classes, errClass(err))
		}
		if classes[0] != classes[1] {
			t.Fatalf("step %d op %d (%s, %s): memory %s, directory %s", step, op, name, name2, classes[0], classes[1])
		}
		var lists [][]persist.FileInfo
		for _, b := range backends {
			l, err := b.List()
			if err != nil {
				t.Fatal(err)
			}
			lists = append(lists, l)
		}
		if !slices.Equal(lists[0], lists[1]) {
			t.Fatalf("step %d op %d: memory lists %+v, directory %+v", step, op, lists[0], lists[1])
		}
		for _, f := range lists[0] {
			m, _ := content(t, backends[0], f.Name)
			r, _ := content(t, backends[1], f.Name)
			if m != r {
				t.Fatalf("step %d op %d: %s differs", step, op, f.Name)
			}
		}
	}
}
