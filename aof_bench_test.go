package embedis

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// writeSetLog writes an AOF directory under dir whose one incremental
// file holds n SETs (key:<i> value:<i>), as redis-server would log them.
func writeSetLog(tb testing.TB, dir string, n int) {
	tb.Helper()
	aofDir := filepath.Join(dir, "appendonlydir")
	if err := os.MkdirAll(aofDir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(aofDir, "appendonly.aof.manifest"), []byte(incrOnlyManifest), 0o644); err != nil {
		tb.Fatal(err)
	}
	f, err := os.Create(filepath.Join(aofDir, "appendonly.aof.1.incr.aof"))
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var b []byte
	b = appendCommand(b, "SELECT", "0")
	for i := 0; i < n; i++ {
		b = appendCommand(b, "SET", "key:"+strconv.Itoa(i), "value:"+strconv.Itoa(i))
		if len(b) > 64<<10 {
			w.Write(b)
			b = b[:0]
		}
	}
	w.Write(b)
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
}

// BenchmarkAOFReplay opens a log of 1,000,000 SETs (set
// EMBEDIS_AOF_REPLAY_N for another size): the time of Open is the replay.
func BenchmarkAOFReplay(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("EMBEDIS_AOF_REPLAY_N")); err == nil {
		n = v
	}
	dir := b.TempDir()
	writeSetLog(b, dir, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := Open(Options{Dir: dir, SavePoints: []SavePoint{}, AppendOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if n2, _ := s.DBSize(context.Background()); n2 != int64(n) {
			b.Fatalf("%d keys, want %d", n2, n)
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "cmds/s")
}

// BenchmarkAOFSetAlways is the typed Set under appendfsync always on a
// real directory, from 1 and from 64 goroutines: group commit makes the
// 64-goroutine figure far higher than 1/fsync latency.
func BenchmarkAOFSetAlways(b *testing.B) {
	for _, g := range []int{1, 64} {
		b.Run(fmt.Sprintf("goroutines=%d", g), func(b *testing.B) {
			s, err := Open(Options{Dir: b.TempDir(), SavePoints: []SavePoint{}, AppendOnly: true, AppendFsync: FsyncAlways})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.ReportAllocs()
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			for w := 0; w < g; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx := context.Background()
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						if err := s.Set(ctx, "k"+strconv.FormatInt(i%10000, 10), "v", SetOptions{}); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sets/s")
		})
	}
}
