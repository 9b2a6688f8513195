package embedis

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/embedis/embedis/internal/redistest"
)

// redisTool finds a Redis tool on PATH: a skip locally, a failure in CI.
func redisTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if redistest.InCI() {
			t.Fatalf("%s is not on PATH (CI=true): %v", name, err)
		}
		t.Skipf("%s is not on PATH: %v", name, err)
	}
	return p
}

// redisDo runs a command on a redis-server connection and fails on an
// error reply.
func redisDo(t *testing.T, c *redistest.Conn, args ...string) redistest.Reply {
	t.Helper()
	r, err := c.Do(args...)
	if err != nil {
		t.Fatalf("redis-server %q: %v", args, err)
	}
	if r.Kind == redistest.Error {
		t.Fatalf("redis-server %q: %s", args, r.Text)
	}
	return r
}

// TestSnapshotToRedis: a file embedis SAVEs passes redis-check-rdb, and
// redis-server 7.0 started on it has the same DEBUG DIGEST and the
// function library.
func TestSnapshotToRedis(t *testing.T) {
	check := redisTool(t, "redis-check-rdb")
	dir := t.TempDir()
	ts := newTestStore(t, func(o *Options) { o.Dir = dir; o.SavePoints = []SavePoint{} })
	populateAllTypes(t, ts.Store)
	ts.do("DEBUG", "SET-ACTIVE-EXPIRE", "0")
	ts.expect(SimpleValue("OK"), "SAVE")
	want := digestOf(t, ts.Store)
	path := filepath.Join(dir, "dump.rdb")
	if out, err := exec.Command(check, path).CombinedOutput(); err != nil {
		t.Fatalf("redis-check-rdb refuses the file: %v\n%s", err, out)
	}
	redisHolds(t, want, "embedis's file", "--dir", dir, "--dbfilename", "dump.rdb")
}

// redisHolds starts redis-server with args (and the DEBUG command) on
// files embedis wrote and checks that it holds the same dataset (DEBUG
// DIGEST want) and the function library populateAllTypes loads.
func redisHolds(t *testing.T, want, what string, args ...string) {
	t.Helper()
	addr := redistest.StartWith(t, append(args, "--enable-debug-command", "yes")...)
	c, err := redistest.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := redisDo(t, c, "DEBUG", "DIGEST").Text; got != want {
		t.Fatalf("redis-server's digest of %s %s, want %s", what, got, want)
	}
	if got := redisDo(t, c, "FCALL", "myfunc", "0", "hi").Text; got != "hi" {
		t.Fatalf("FCALL myfunc on redis-server: %q", got)
	}
}

// TestSnapshotFromRedis: a file redis-server 7.0 SAVEs (DEBUG POPULATE
// keys, every type and encoding, a function library) loads into embedis
// at Open with the same DEBUG DIGEST.
func TestSnapshotFromRedis(t *testing.T) {
	for _, compression := range []string{"yes", "no"} {
		t.Run("rdbcompression="+compression, func(t *testing.T) {
			dir := t.TempDir()
			addr := redistest.StartWith(t, "--dir", dir, "--enable-debug-command", "yes", "--rdbcompression", compression)
			c, err := redistest.Dial(addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			redisDo(t, c, "DEBUG", "POPULATE", "10000", "pop", "20")
			cur := 0
			for _, cmd := range allTypesCommands() {
				if cmd.db != cur {
					redisDo(t, c, "SELECT", itoa(cmd.db))
					cur = cmd.db
				}
				redisDo(t, c, cmd.args...)
			}
			redisDo(t, c, "SAVE")
			want := redisDo(t, c, "DEBUG", "DIGEST").Text
			ts := newTestStore(t, func(o *Options) { o.Dir = dir; o.SavePoints = []SavePoint{} })
			if got := digestOf(t, ts.Store); got != want {
				t.Fatalf("embedis's digest of redis-server's file %s, want %s", got, want)
			}
			ts.expect(BulkValue("hi"), "FCALL", "myfunc", "0", "hi")
			if got := infoField(t, ts.Store, "rdb_last_load_keys_loaded"); got == "0" {
				t.Fatalf("rdb_last_load_keys_loaded %s", got)
			}
		})
	}
}
