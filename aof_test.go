package embedis

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/embedis/embedis/persist"
)

// aofOpts configures a store with the append-only log on backend b.
func aofOpts(b persist.LogBackend, p FsyncPolicy) func(*Options) {
	return func(o *Options) {
		o.AppendOnly, o.AppendLog, o.AppendFsync = true, b, p
		o.Logf = func(string, ...any) {}
	}
}

// writeMixed runs writes of several kinds, databases, a script (MULTI/EXEC
// in the log) and a transaction.
func writeMixed(t testing.TB, s *Store) {
	t.Helper()
	ctx := context.Background()
	cmds := [][]any{
		{"SET", "s", "v"},
		{"SET", "e", "x", "EX", "1000"},
		{"RPUSH", "l", "a", "b", "c"},
		{"SADD", "set", "m1", "m2"},
		{"HSET", "h", "f", "v", "g", "w"},
		{"ZADD", "z", "1", "a", "2", "b"},
		{"XADD", "st", "1-1", "k", "v"},
		{"INCRBYFLOAT", "f", "1.5"},
		{"EVAL", "redis.call('set','a1','1'); redis.call('incr','a1'); return 1", "0"},
		{"SPOP", "set"},
		{"PFADD", "hll", "a", "b"},
		{"SETBIT", "bits", "7", "1"},
		{"DEL", "nosuch"},
	}
	for _, c := range cmds {
		if _, err := s.Do(ctx, c...); err != nil {
			t.Fatalf("%v: %v", c, err)
		}
	}
	if _, err := s.Database(3).Do(ctx, "SET", "in3", "yes"); err != nil {
		t.Fatal(err)
	}
	tx := s.TxPipeline()
	tx.Do("INCR", "ctr")
	tx.Do("LPUSH", "l", "z")
	if _, err := tx.Exec(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestAOFRoundTrip(t *testing.T) {
	for _, p := range []FsyncPolicy{FsyncAlways, FsyncEverySec, FsyncNo} {
		t.Run(p.String(), func(t *testing.T) {
			mem := persist.NewMemLog()
			s1 := newTestStore(t, aofOpts(mem, p))
			writeMixed(t, s1.Store)
			want := digestOf(t, s1.Store)
			if err := s1.Close(); err != nil {
				t.Fatal(err)
			}
			man, err := readAll(mem, "appendonly.aof.manifest")
			if err != nil {
				t.Fatal(err)
			}
			if got := string(man); got != "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n" {
				t.Fatalf("manifest:\n%s", got)
			}
			s2 := newTestStore(t, aofOpts(mem, p))
			if got := digestOf(t, s2.Store); got != want {
				t.Fatalf("digest after reopen %s, want %s", got, want)
			}
			s2.expect(nullValue, "GET", "in3") // in database 3, not 0
		})
	}
}

func TestAOFAlwaysCrashLosesNothingAcknowledged(t *testing.T) {
	mem := persist.NewMemLog()
	s1 := newTestStore(t, aofOpts(mem, FsyncAlways))
	writeMixed(t, s1.Store)
	want := digestOf(t, s1.Store)
	mem.Crash() // everything not fsynced is lost; the store is abandoned
	s2, err := Open(Options{AppendOnly: true, AppendLog: mem, Logf: func(string, ...any) {}})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got := digestOf(t, s2); got != want {
		t.Fatalf("digest after crash %s, want %s", got, want)
	}
	_ = errors.New
	_ = strings.Contains
}

// TestAOFEnableAtRunTime: CONFIG SET appendonly yes starts with a rewrite
// whose base holds the data written before; the log then opens with the
// same dataset. appendonly no stops it, and yes again starts over.
func TestAOFEnableAtRunTime(t *testing.T) {
	dir := t.TempDir()
	quiet := func(o *Options) { o.Dir, o.SavePoints, o.Logf = dir, []SavePoint{}, func(string, ...any) {} }
	s1 := newTestStore(t, quiet)
	s1.do("SET", "before", "1")
	s1.expect(SimpleValue("OK"), "CONFIG", "SET", "appendonly", "yes")
	s1.do("SET", "during", "2")
	if err := finishRewrite(t, s1.Store); err != nil {
		t.Fatal(err)
	}
	s1.do("SET", "after", "3")
	s1.expect(SimpleValue("OK"), "CONFIG", "SET", "appendonly", "no")
	s1.do("SET", "off", "4") // not logged
	s1.expect(SimpleValue("OK"), "CONFIG", "SET", "appendonly", "yes")
	if err := finishRewrite(t, s1.Store); err != nil {
		t.Fatal(err)
	}
	s1.do("INCR", "after")
	if v := infoField(t, s1.Store, "aof_rewrites"); v != "2" {
		t.Fatalf("aof_rewrites %s", v)
	}
	want := digestOf(t, s1.Store)
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}
	man, err := readAll(mustLogDir(t, dir), "appendonly.aof.manifest")
	if err != nil {
		t.Fatal(err)
	}
	if string(man) != "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n" {
		t.Fatalf("manifest:\n%s", man)
	}
	s2 := newTestStore(t, quiet, func(o *Options) { o.AppendOnly = true })
	if got := digestOf(t, s2.Store); got != want {
		t.Fatalf("digest %s, want %s", got, want)
	}
	s2.expect(BulkValue("4"), "GET", "after")
	s2.expect(BulkValue("4"), "GET", "off")
}

func mustLogDir(t testing.TB, dir string) persist.LogBackend {
	t.Helper()
	b, err := persist.OpenLogDir(dir + "/appendonlydir")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAOFConfig: CONFIG GET shows the options; CONFIG SET appendonly yes
// without a directory fails.
func TestAOFConfig(t *testing.T) {
	s := newTestStore(t)
	s.expect(MapValue(BulkValue("appendonly"), BulkValue("no")), "CONFIG", "GET", "appendonly")
	if v := s.do("CONFIG", "SET", "appendonly", "yes"); v.Err() == nil {
		t.Fatalf("CONFIG SET appendonly yes without a directory: %v", v)
	}
	mem := persist.NewMemLog()
	s2 := newTestStore(t, aofOpts(mem, FsyncAlways))
	s2.expect(MapValue(BulkValue("appendfsync"), BulkValue("always")), "CONFIG", "GET", "appendfsync")
	s2.expect(SimpleValue("OK"), "CONFIG", "SET", "appendfsync", "no")
	s2.expect(MapValue(BulkValue("appendfsync"), BulkValue("no")), "CONFIG", "GET", "appendfsync")
	s2.expect(MapValue(BulkValue("appenddirname"), BulkValue("appendonlydir")), "CONFIG", "GET", "appenddirname")
	if v := infoField(t, s2.Store, "aof_enabled"); v != "1" {
		t.Fatalf("aof_enabled %s", v)
	}
	if _, err := Open(Options{AppendOnly: true}); !errors.Is(err, ErrNoAOFDir) {
		t.Fatalf("Open with AppendOnly and no directory: %v", err)
	}
}
