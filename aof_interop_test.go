package embedis

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/embedis/embedis/internal/redistest"
)

// finishRewrite drives the rewrite in progress (or scheduled) to its end on
// the executor and returns its outcome: a test's way to wait for it without
// sleeping.
func finishRewrite(t testing.TB, s *Store) error {
	t.Helper()
	var out error
	err := s.onExecutor(context.Background(), func(s *Store) {
		a := &s.aof
		if a.rewrite == nil && a.scheduled {
			if j := s.persist.job; j != nil {
				_ = j.runToEnd()
				s.snapStep()
			}
			if err := s.startRewrite(); err != nil {
				out = err
				return
			}
		}
		rw := a.rewrite
		if rw == nil {
			out = a.lastRewriteErr
			return
		}
		if !rw.job.detached {
			_ = rw.job.runToEnd()
		}
		<-rw.job.done
		s.snapStep()
		s.rewriteStep()
		if a.rewrite != nil {
			<-rw.finished
			s.rewriteStep()
		}
		out = a.lastRewriteErr
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkAOFDir runs redis-check-aof on the manifest of dir's log.
func checkAOFDir(t *testing.T, aofDir string) {
	t.Helper()
	check := redisTool(t, "redis-check-aof")
	out, err := exec.Command(check, filepath.Join(aofDir, "appendonly.aof.manifest")).CombinedOutput()
	if err != nil {
		t.Fatalf("redis-check-aof refuses %s: %v\n%s", aofDir, err, out)
	}
}

// TestAOFToRedis: a log embedis writes (a base from a rewrite, then
// incremental files with SELECT, MULTI/EXEC from a script and a
// transaction, function libraries, every type) passes redis-check-aof, and
// redis-server 7.0 started on the directory with appendonly yes has the
// same DEBUG DIGEST.
func TestAOFToRedis(t *testing.T) {
	for _, ts := range []bool{false, true} {
		name := "plain"
		if ts {
			name = "timestamps"
		}
		t.Run(name, func(t *testing.T) {
			redisTool(t, "redis-check-aof")
			dir := t.TempDir()
			st := newTestStore(t, func(o *Options) {
				o.Dir, o.SavePoints, o.AppendOnly, o.AppendFsync = dir, []SavePoint{}, true, FsyncAlways
				o.AOFTimestamps = ts
				o.Clock = nil // real time: redis-server drops keys whose TTL passed
			})
			populateAllTypes(t, st.Store)
			st.expect(SimpleValue("Background append only file rewriting started"), "BGREWRITEAOF")
			if err := finishRewrite(t, st.Store); err != nil {
				t.Fatal(err)
			}
			writeMixed(t, st.Store)
			st.do("DEBUG", "SET-ACTIVE-EXPIRE", "0")
			want := digestOf(t, st.Store)
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			aofDir := filepath.Join(dir, "appendonlydir")
			checkAOFDir(t, aofDir)
			man, _ := os.ReadFile(filepath.Join(aofDir, "appendonly.aof.manifest"))
			if string(man) != "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n" {
				t.Fatalf("manifest after a rewrite:\n%s", man)
			}
			redisHolds(t, want, "embedis's log", "--dir", dir, "--appendonly", "yes")
		})
	}
}

// TestAOFFromRedis: a log redis-server 7.0 writes (RDB or RESP base, then
// commands of every type, SELECT, MULTI/EXEC) opens in embedis with the
// same DEBUG DIGEST.
func TestAOFFromRedis(t *testing.T) {
	for _, preamble := range []string{"yes", "no"} {
		t.Run("aof-use-rdb-preamble="+preamble, func(t *testing.T) {
			dir := t.TempDir()
			addr := redistest.StartWith(t, "--dir", dir, "--appendonly", "yes", "--appendfsync", "always",
				"--aof-use-rdb-preamble", preamble, "--aof-timestamp-enabled", "yes", "--enable-debug-command", "yes")
			c, err := redistest.Dial(addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			// Not DEBUG POPULATE: redis-server does not log it.
			for i := 0; i < 1000; i += 100 {
				args := []string{"MSET"}
				for j := i; j < i+100; j++ {
					args = append(args, "pop:"+itoa(j), "value:"+itoa(j))
				}
				redisDo(t, c, args...)
			}
			cur := 0
			for _, cmd := range allTypesCommands() {
				if cmd.db != cur {
					redisDo(t, c, "SELECT", itoa(cmd.db))
					cur = cmd.db
				}
				redisDo(t, c, cmd.args...)
			}
			redisDo(t, c, "SELECT", "0")
			redisDo(t, c, "MULTI")
			redisDo(t, c, "INCR", "ctr")
			redisDo(t, c, "SET", "k", "v", "EX", "1000")
			redisDo(t, c, "EXEC")
			redisDo(t, c, "EVAL", "redis.call('set','a1','1'); redis.call('incr','a1'); return 1", "0")
			want := redisDo(t, c, "DEBUG", "DIGEST").Text
			st := newTestStore(t, func(o *Options) {
				o.Dir, o.SavePoints, o.AppendOnly = dir, []SavePoint{}, true
			})
			if got := digestOf(t, st.Store); got != want {
				t.Fatalf("embedis's digest of redis-server's log %s, want %s", got, want)
			}
			st.expect(BulkValue("hi"), "FCALL", "myfunc", "0", "hi")
		})
	}
}
