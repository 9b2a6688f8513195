package embedis_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/embedis/embedis/embedistest"
	"github.com/embedis/embedis/internal/redistest"
)

// TestDiff runs every testdata/diff script against a real redis-server and
// against embedis over the wire, over RESP2 and over RESP3, and compares
// every reply exactly (see testdata/diff/README.md). Each run has a fresh
// redis-server and a fresh store. Without redis-server on PATH it is
// skipped, or fails when CI=true.
func TestDiff(t *testing.T) {
	files, err := filepath.Glob("testdata/diff/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scripts in testdata/diff")
	}
	for _, f := range files {
		sc, err := redistest.ParseFile(f)
		if err != nil {
			t.Error(err)
			continue
		}
		for _, proto := range []int{2, 3} {
			t.Run(fmt.Sprintf("%s/RESP%d", sc.Name, proto), func(t *testing.T) {
				runDiff(t, sc, proto)
			})
		}
	}
}

func runDiff(t *testing.T, sc *redistest.Script, proto int) {
	want, err := redistest.Dial(redistest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()
	// The real clock, as the reference server has; a fixed seed.
	got, err := redistest.Dial(embedistest.Addr(t, embedistest.Open(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	ms, err := redistest.Run(sc, proto,
		redistest.Side{Name: "redis", Conn: want},
		redistest.Side{Name: "embedis", Conn: got})
	for _, m := range ms {
		t.Error(m)
	}
	if err != nil {
		t.Fatal(err)
	}
}
