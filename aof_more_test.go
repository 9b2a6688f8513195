package embedis

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/embedis/embedis/internal/redistest"
	"github.com/embedis/embedis/persist"
)

// dialAOFConn opens a raw RESP connection to s's in-memory listener.
func dialAOFConn(t *testing.T, s *Store) *redistest.Conn {
	t.Helper()
	nc, err := s.DialContext(context.Background(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	c := redistest.NewConn(nc)
	t.Cleanup(func() { c.Close() })
	return c
}

// TestAOFWireAlwaysWaitsForFsync: over the wire under always, a write
// whose fsync fails is never acknowledged (the connection closes, as
// when redis-server exits on it); later writes get MISCONF until the log
// recovers; reads work throughout.
func TestAOFWireAlwaysWaitsForFsync(t *testing.T) {
	fl := persist.NewFaultyLog(persist.NewMemLog())
	s := newTestStore(t, aofOpts(fl, FsyncAlways))
	c := dialAOFConn(t, s.Store)
	if r, err := c.Do("SET", "a", "1"); err != nil || r.Text != "OK" {
		t.Fatalf("SET: %v %v", r, err)
	}
	fl.Inject(persist.Fault{Op: persist.OpSync, N: 1, Kind: persist.IOError}, persist.Fault{Op: persist.OpSync, N: 2, Kind: persist.IOError})
	if r, err := c.Do("SET", "b", "2"); err == nil {
		t.Fatalf("SET with a failing fsync was acknowledged: %v", r)
	}
	c2 := dialAOFConn(t, s.Store)
	r, err := c2.Do("SET", "c", "3")
	if err != nil || r.Kind != redistest.Error || r.Text != "MISCONF Errors writing to the AOF file: Input/output error" {
		t.Fatalf("write while the log fails: %v %v", r, err)
	}
	if r, err := c2.Do("GET", "b"); err != nil || r.Text != "2" {
		t.Fatalf("GET: %v %v", r, err)
	}
	if r, err := c2.Do("SET", "c", "3"); err != nil || r.Text != "OK" {
		t.Fatalf("SET after recovery: %v %v", r, err)
	}
}

// TestAOFGroupCommit: under always, writes from 64 goroutines need far
// fewer fsyncs than writes (one per executor turn or fewer), and all of
// them are in the log.
func TestAOFGroupCommit(t *testing.T) {
	mem := persist.NewMemLog()
	fl := persist.NewFaultyLog(mem)
	s := newTestStore(t, aofOpts(fl, FsyncAlways))
	base := fl.Count(persist.OpSync)
	const goroutines, each = 64, 50
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if err := s.Set(context.Background(), fmt.Sprintf("k%d:%d", g, i), "v", SetOptions{}); err != nil {
					t.Error(err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	fsyncs := fl.Count(persist.OpSync) - base
	if fsyncs >= goroutines*each {
		t.Fatalf("%d fsyncs for %d writes: no group commit", fsyncs, goroutines*each)
	}
	t.Logf("%d fsyncs for %d writes", fsyncs, goroutines*each)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := newTestStore(t, aofOpts(mem, FsyncAlways))
	if n, _ := s2.DBSize(context.Background()); n != goroutines*each {
		t.Fatalf("%d keys after reopen, want %d", n, goroutines*each)
	}
}

// TestAOFAutoRewrite: the log grows past auto-aof-rewrite-min-size and
// the percentage: the cron starts a rewrite; INFO shows it; the log
// reopens with the same data and its old files are gone.
func TestAOFAutoRewrite(t *testing.T) {
	mem := persist.NewMemLog()
	s := newTestStore(t, aofOpts(mem, FsyncEverySec), func(o *Options) {
		o.AutoAOFRewriteMinSize, o.AutoAOFRewritePercentage = 1024, 100
	})
	for i := 0; i < 200; i++ {
		s.do("SET", "k"+strconv.Itoa(i%10), strings.Repeat("x", i))
	}
	if err := s.onExecutor(context.Background(), func(s *Store) { s.aofCron() }); err != nil {
		t.Fatal(err)
	}
	// (The real cron may have started it already; either way exactly
	// one rewrite runs, which aof_rewrites checks below.)
	if err := finishRewrite(t, s.Store); err != nil {
		t.Fatal(err)
	}
	for field, want := range map[string]string{"aof_rewrites": "1", "aof_last_bgrewrite_status": "ok", "aof_rewrite_in_progress": "0", "aof_enabled": "1"} {
		if got := infoField(t, s.Store, field); got != want {
			t.Errorf("%s = %s, want %s", field, got, want)
		}
	}
	if cur, base := infoField(t, s.Store, "aof_current_size"), infoField(t, s.Store, "aof_base_size"); cur != base {
		t.Errorf("aof_current_size %s, aof_base_size %s right after a rewrite", cur, base)
	}
	s.do("SET", "after", "1")
	want := digestOf(t, s.Store)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := mem.List()
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, " "); got != "appendonly.aof.2.base.rdb appendonly.aof.2.incr.aof appendonly.aof.manifest" {
		t.Fatalf("files after the rewrite: %s", got)
	}
	s2 := newTestStore(t, aofOpts(mem, FsyncEverySec))
	if got := digestOf(t, s2.Store); got != want {
		t.Fatalf("digest %s, want %s", got, want)
	}
}

// TestAOFRewriteInsideMulti: BGREWRITEAOF inside a transaction is
// scheduled (the transaction's writes would otherwise be in both the base
// and the new file) and runs afterwards; the log replays to the same
// data.
func TestAOFRewriteInsideMulti(t *testing.T) {
	mem := persist.NewMemLog()
	s := newTestStore(t, aofOpts(mem, FsyncAlways))
	c := dialAOFConn(t, s.Store)
	for _, cmd := range [][]string{{"MULTI"}, {"INCR", "n"}, {"BGREWRITEAOF"}, {"INCR", "n"}} {
		if _, err := c.Do(cmd...); err != nil {
			t.Fatal(err)
		}
	}
	r, err := c.Do("EXEC")
	if err != nil || len(r.Elems) != 3 || r.Elems[1].Text != "Background append only file rewriting scheduled" {
		t.Fatalf("EXEC: %v %v", r, err)
	}
	if err := finishRewrite(t, s.Store); err != nil {
		t.Fatal(err)
	}
	s.do("INCR", "n")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := newTestStore(t, aofOpts(mem, FsyncAlways))
	s2.expect(BulkValue("3"), "GET", "n")
}

// TestAOFCloseDuringRewrite: Close with a rewrite in progress (and a
// final snapshot by the save rules) abandons the rewrite; the log and
// the snapshot both reopen with the data.
func TestAOFCloseDuringRewrite(t *testing.T) {
	dir := t.TempDir()
	s := newTestStore(t, func(o *Options) { o.Dir, o.AppendOnly, o.Logf = dir, true, func(string, ...any) {} })
	for i := 0; i < 2000; i++ {
		s.do("SET", "k"+strconv.Itoa(i), "v")
	}
	s.expect(SimpleValue("Background append only file rewriting started"), "BGREWRITEAOF")
	s.do("SET", "last", "1")
	want := digestOf(t, s.Store)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, aof := range []bool{true, false} {
		s2 := newTestStore(t, func(o *Options) { o.Dir, o.AppendOnly, o.SavePoints = dir, aof, []SavePoint{} })
		if got := digestOf(t, s2.Store); got != want {
			t.Fatalf("appendonly %v: digest %s, want %s", aof, got, want)
		}
		s2.Close()
	}
}
