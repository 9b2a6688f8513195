package embedis

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/embedis/embedis/internal/redistest"
)

// TestSnapshotFigures measures the figures of BENCHMARKS.md's snapshot
// section: SAVE and load of 1,000,000 small keys by embedis and by
// redis-server in the same run, and command latency during a BGSAVE of
// that store. It takes tens of seconds and a few hundred MB, so it runs
// only with EMBEDIS_SNAPSHOT_FIGURES=1:
//
//	EMBEDIS_SNAPSHOT_FIGURES=1 go test -run TestSnapshotFigures -v -timeout 10m .
func TestSnapshotFigures(t *testing.T) {
	if os.Getenv("EMBEDIS_SNAPSHOT_FIGURES") != "1" {
		t.Skip("set EMBEDIS_SNAPSHOT_FIGURES=1 to measure")
	}
	const n = 1_000_000
	ctx := context.Background()

	// redis-server: DEBUG POPULATE makes key:N -> value:N.
	rdir := t.TempDir()
	addr := redistest.StartWith(t, "--dir", rdir, "--enable-debug-command", "yes")
	rc, err := redistest.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	redisDo(t, rc, "DEBUG", "POPULATE", strconv.Itoa(n))
	start := time.Now()
	redisDo(t, rc, "SAVE")
	redisSave := time.Since(start)
	start = time.Now()
	redisDo(t, rc, "DEBUG", "RELOAD")
	redisReload := time.Since(start)
	st, _ := os.Stat(filepath.Join(rdir, "dump.rdb"))
	t.Logf("redis-server: SAVE %v, DEBUG RELOAD (save+load) %v, so load ~%v; file %d bytes", redisSave, redisReload, redisReload-redisSave, st.Size())
	redisDo(t, rc, "FLUSHALL")

	// embedis: the same keys.
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir, SavePoints: []SavePoint{}})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i += 1000 {
		args := make([]string, 0, 2001)
		args = append(args, "MSET")
		for k := i; k < i+1000; k++ {
			args = append(args, "key:"+strconv.Itoa(k), "value:"+strconv.Itoa(k))
		}
		if _, err := s.DoStrings(ctx, args...); err != nil {
			t.Fatal(err)
		}
	}
	start = time.Now()
	if err := s.Save(ctx); err != nil {
		t.Fatal(err)
	}
	save := time.Since(start)
	st, _ = os.Stat(filepath.Join(dir, "dump.rdb"))
	start = time.Now()
	if v, err := s.Do(ctx, "DEBUG", "RELOAD"); err != nil || v.Err() != nil {
		t.Fatal(err, v)
	}
	reload := time.Since(start)
	t.Logf("embedis: SAVE %v, DEBUG RELOAD (save+load) %v, so load ~%v; file %d bytes", save, reload, reload-save, st.Size())
	s.Close()
	start = time.Now()
	s, err = Open(Options{Dir: dir, SavePoints: []SavePoint{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("embedis: Open loading the file %v", time.Since(start))
	defer s.Close()

	// Latency of GET/SET while a BGSAVE runs, against the same loop
	// without one.
	measure := func(during bool) (lat []time.Duration, saveTime time.Duration) {
		if during {
			if err := s.BGSave(ctx); err != nil {
				t.Fatal(err)
			}
		}
		t0 := time.Now()
		for i := 0; ; i++ {
			k := "key:" + strconv.Itoa((i*7919)%n)
			a := time.Now()
			if i%2 == 0 {
				_, err = s.DoStrings(ctx, "SET", k, "changed")
			} else {
				_, err = s.DoStrings(ctx, "GET", k)
			}
			if err != nil {
				t.Fatal(err)
			}
			lat = append(lat, time.Since(a))
			if !during && i == 200_000 {
				return lat, 0
			}
			if during && i%1000 == 0 {
				var running bool
				_ = s.onExecutor(ctx, func(s *Store) { running = s.persist.job != nil })
				if !running {
					return lat, time.Since(t0)
				}
			}
		}
	}
	report := func(name string, lat []time.Duration) {
		slices.Sort(lat)
		q := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
		t.Logf("%s: %d commands, p50 %v, p99 %v, p99.9 %v, max %v", name, len(lat), q(0.5), q(0.99), q(0.999), lat[len(lat)-1])
	}
	base, _ := measure(false)
	report("GET/SET without BGSAVE", base)
	during, took := measure(true)
	report("GET/SET during BGSAVE", during)
	t.Logf("BGSAVE took %v under that load; result %v", took, s.WaitBGSave(ctx))
}
