package embedis

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/embedis/embedis/persist"
	"github.com/embedis/embedis/persist/rdb"
)

// farFuture is an expiry time (2100-01-01) that no clock reaches in a
// test, so files move between stores and redis-server with their TTLs.
const farFuture = "4102444800000"

// dbCmd is a command to run in a database.
type dbCmd struct {
	db   int
	args []string
}

// allTypesCommands builds every type in every encoding, values big enough
// to be written in chunks, TTLs, several databases and a function
// library: the same commands for embedis and redis-server.
func allTypesCommands() []dbCmd {
	var out []dbCmd
	add := func(db int, args ...string) { out = append(out, dbCmd{db, args}) }
	bulk := func(db int, cmd, key string, n int, elem func(i int) []string) {
		for i := 0; i < n; i += 500 {
			args := []string{cmd, key}
			for k := i; k < min(i+500, n); k++ {
				args = append(args, elem(k)...)
			}
			add(db, args...)
		}
	}
	itoa := strconv.Itoa
	add(0, "SET", "int", "12345")
	add(0, "SET", "neg", "-9876543210")
	add(0, "SET", "emb", "hello")
	add(0, "SET", "raw", strings.Repeat("abcdefgh", 20))
	add(0, "SET", "bin", "\x00\xff\r\n binary")
	add(0, "SET", "ttl", "v", "PXAT", farFuture)
	add(0, "RPUSH", "list-small", "a", "b", "1", "2")
	bulk(0, "RPUSH", "list-big", 3000, func(i int) []string { return []string{"element-" + itoa(i)} })
	add(0, "RPUSH", "list-long-elem", strings.Repeat("x", 10000), "y")
	add(0, "SADD", "set-int", "1", "2", "3", "-7")
	add(0, "SADD", "set-str", "a", "b", "c")
	bulk(0, "SADD", "set-big", 2000, func(i int) []string { return []string{"m" + itoa(i)} })
	bulk(0, "SADD", "set-big-int", 2000, func(i int) []string { return []string{itoa(i * 3)} })
	add(0, "HSET", "hash-lp", "f1", "v1", "f2", "2")
	add(0, "HSET", "hash-ht", "f", strings.Repeat("v", 100))
	bulk(0, "HSET", "hash-big", 2000, func(i int) []string { return []string{"f" + itoa(i), "v" + itoa(i*7)} })
	add(0, "ZADD", "z-lp", "1", "a", "2.5", "b", "-3", "c")
	add(0, "ZADD", "z-sl", "1", strings.Repeat("m", 100), "inf", "top", "-inf", "bottom")
	bulk(0, "ZADD", "z-big", 2000, func(i int) []string { return []string{itoa(i%97) + "." + itoa(i), "member" + itoa(i)} })
	add(0, "PEXPIREAT", "z-big", farFuture)
	for i := 0; i < 300; i++ {
		add(0, "XADD", "stream", itoa(i+1)+"-1", "field", "value"+itoa(i), "n", itoa(i))
	}
	add(0, "XDEL", "stream", "5-1")
	add(0, "XGROUP", "CREATE", "stream", "g1", "0")
	add(0, "XGROUP", "CREATE", "stream", "g2", "$")
	add(0, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "10", "STREAMS", "stream", ">")
	add(0, "XREADGROUP", "GROUP", "g1", "bob", "COUNT", "3", "STREAMS", "stream", ">")
	add(0, "XACK", "stream", "g1", "2-1")
	add(0, "XADD", "empty-stream", "1-1", "a", "b")
	add(0, "XDEL", "empty-stream", "1-1")
	add(3, "SET", "in-db3", "x")
	add(3, "LPUSH", "l3", "1")
	add(15, "HSET", "h15", "a", "1")
	add(0, "FUNCTION", "LOAD", "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return args[1] end)")
	return out
}

// populateAllTypes runs allTypesCommands on a store.
func populateAllTypes(t testing.TB, s *Store) {
	t.Helper()
	ctx := context.Background()
	for _, c := range allTypesCommands() {
		v, err := s.Database(c.db).DoStrings(ctx, c.args...)
		if err == nil {
			err = v.Err()
		}
		if err != nil {
			t.Fatalf("%q: %v", c.args, err)
		}
	}
}

// digestOf returns DEBUG DIGEST of a store.
func digestOf(t testing.TB, s *Store) string {
	t.Helper()
	v, err := s.Do(context.Background(), "DEBUG", "DIGEST")
	if err != nil {
		t.Fatal(err)
	}
	return v.Str()
}

func TestSnapshotRoundTripEveryType(t *testing.T) {
	for _, chunk := range []bool{false, true} {
		t.Run(fmt.Sprintf("tinySlices=%v", chunk), func(t *testing.T) {
			mem := persist.NewMemSnapshots()
			ts := newTestStore(t, func(o *Options) { o.Snapshots = mem })
			if chunk {
				ts.setSliceBudget(3)
			}
			populateAllTypes(t, ts.Store)
			want := digestOf(t, ts.Store)
			ctx := context.Background()
			if chunk {
				if err := ts.BGSave(ctx); err != nil {
					t.Fatal(err)
				}
				if err := ts.WaitBGSave(ctx); err != nil {
					t.Fatal(err)
				}
			} else {
				ts.expect(SimpleValue("OK"), "SAVE")
			}
			back := newTestStore(t, func(o *Options) { o.Snapshots = mem })
			if got := digestOf(t, back.Store); got != want {
				t.Fatalf("digest after reload %s, want %s", got, want)
			}
			back.expect(BulkValue("hi"), "FCALL", "myfunc", "0", "hi")
			v := back.do("PTTL", "ttl")
			if n := v.Int(); n <= 0 {
				t.Fatalf("PTTL after reload = %v", v)
			}
			back.expect(BulkValue("quicklist"), "OBJECT", "ENCODING", "list-big")
			back.expect(BulkValue("intset"), "OBJECT", "ENCODING", "set-int")
			back.expect(BulkValue("listpack"), "OBJECT", "ENCODING", "hash-lp")
			back.expect(BulkValue("hashtable"), "OBJECT", "ENCODING", "hash-ht")
			back.expect(BulkValue("skiplist"), "OBJECT", "ENCODING", "z-sl")
		})
	}
}

// setSliceBudget makes background saves serialize n keys or elements per
// slice, so that one spans many requests.
func (ts *testStore) setSliceBudget(n int) {
	ts.t.Helper()
	if err := ts.onExecutor(context.Background(), func(s *Store) { s.persist.sliceBudget = n }); err != nil {
		ts.t.Fatal(err)
	}
}

func TestDebugReloadKeepsDigest(t *testing.T) {
	for _, withBackend := range []bool{false, true} {
		t.Run(fmt.Sprintf("backend=%v", withBackend), func(t *testing.T) {
			ts := newTestStore(t, func(o *Options) {
				if withBackend {
					o.Dir = t.TempDir()
				}
			})
			populateAllTypes(t, ts.Store)
			want := digestOf(t, ts.Store)
			ts.expect(SimpleValue("OK"), "DEBUG", "RELOAD")
			if got := digestOf(t, ts.Store); got != want {
				t.Fatalf("digest after DEBUG RELOAD %s, want %s", got, want)
			}
			ts.expect(BulkValue("x"), "FCALL", "myfunc", "0", "x")
		})
	}
}

// TestBGSaveUnderLoad starts a background save that spans thousands of
// requests (a tiny slice budget, no slices while idle) and, while it runs,
// writes, deletes, renames and moves keys, changes big values being
// written in chunks, flushes and swaps databases. The file must load to
// exactly the dataset at the moment BGSAVE started.
func TestBGSaveUnderLoad(t *testing.T) {
	const seed = 20261208
	rng := rand.New(rand.NewPCG(seed, 1))
	mem := persist.NewMemSnapshots()
	ts := newTestStore(t, func(o *Options) { o.Snapshots = mem; o.SavePoints = []SavePoint{} })
	ctx := context.Background()
	populateAllTypes(t, ts.Store)
	const nkeys = 20000
	for db := 0; db < 4; db++ {
		d := ts.Database(db)
		for i := 0; i < nkeys/4; i += 100 {
			args := []any{"MSET"}
			for k := i; k < i+100; k++ {
				args = append(args, "k"+strconv.Itoa(k), strconv.Itoa(db)+":"+strconv.Itoa(k))
			}
			if _, err := d.Do(ctx, args...); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < 50; i++ {
			if _, err := d.Do(ctx, "RPUSH", "list"+strconv.Itoa(i), "a", "b", strconv.Itoa(i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	var want string
	if err := ts.onExecutor(ctx, func(s *Store) {
		s.persist.sliceBudget = 7
		s.persist.noIdleSlices = true
		want = s.datasetDigest().String()
		if err := s.startBGSave(); err != nil {
			t.Error(err)
		}
	}); err != nil {
		t.Fatal(err)
	}
	running := func() bool {
		var r bool
		_ = ts.onExecutor(ctx, func(s *Store) { r = s.persist.job != nil && !s.persist.job.detached })
		return r
	}
	ops := 0
	key := func() string { return "k" + strconv.Itoa(rng.IntN(nkeys/4)) }
	for ops = 0; running(); ops++ {
		d := ts.Database(rng.IntN(4))
		var args []any
		switch r := rng.IntN(100); {
		case r < 30:
			args = []any{"SET", key(), "new" + strconv.Itoa(ops)}
		case r < 45:
			args = []any{"DEL", key(), key()}
		case r < 55:
			args = []any{"RENAME", key(), "renamed" + strconv.Itoa(ops)}
		case r < 60:
			args = []any{"MOVE", key(), strconv.Itoa(rng.IntN(4))}
		case r < 65:
			args = []any{"EXPIRE", key(), "1000"}
		case r < 72:
			big := []string{"list-big", "set-big", "hash-big", "z-big"}[rng.IntN(4)]
			d = ts.Database(0)
			switch big {
			case "list-big":
				args = []any{"LPUSH", big, "x"}
			case "set-big":
				args = []any{"SREM", big, "m" + strconv.Itoa(rng.IntN(2000))}
			case "hash-big":
				args = []any{"HSET", big, "f" + strconv.Itoa(rng.IntN(2000)), "changed"}
			default:
				args = []any{"ZINCRBY", big, "1000", "member" + strconv.Itoa(rng.IntN(2000))}
			}
		case r < 80:
			args = []any{"LPUSH", "list" + strconv.Itoa(rng.IntN(50)), "pushed"}
		case r < 82:
			args = []any{"SWAPDB", strconv.Itoa(rng.IntN(4)), strconv.Itoa(rng.IntN(4))}
		case r < 83 && ops > 500:
			args = []any{"FLUSHDB"}
		case r < 90:
			args = []any{"XADD", "stream", "*", "f", "v"}
			d = ts.Database(0)
		default:
			args = []any{"GET", key()}
		}
		if _, err := d.Do(ctx, args...); err != nil {
			t.Fatal(err)
		}
	}
	if ops < 1000 {
		t.Fatalf("the save finished after %d operations; want it to span many", ops)
	}
	if err := ts.onExecutor(ctx, func(s *Store) { s.persist.noIdleSlices = false }); err != nil {
		t.Fatal(err)
	}
	if err := ts.WaitBGSave(ctx); err != nil {
		t.Fatalf("BGSAVE: %v", err)
	}
	back := newTestStore(t, func(o *Options) { o.Snapshots = mem; o.SavePoints = []SavePoint{} })
	if got := digestOf(t, back.Store); got != want {
		t.Fatalf("seed %d: snapshot digest %s, want the digest at BGSAVE time %s (after %d ops)", seed, got, want, ops)
	}
	if digestOf(t, ts.Store) == want {
		t.Fatalf("the operations during the save changed nothing; the test proves nothing")
	}
	t.Logf("%d operations during the save", ops)
}

// TestBGSaveChangesChunkedValue changes a big value while its chunked write
// is in progress: the snapshot must hold the value as it was at the start.
func TestBGSaveChangesChunkedValue(t *testing.T) {
	fill := map[string][]any{
		"list": {"RPUSH", "big"},
		"set":  {"SADD", "big"},
		"hash": {"HSET", "big"},
		"zset": {"ZADD", "big"},
	}
	change := map[string][][]any{
		"list": {{"LPUSH", "big", "new"}, {"LTRIM", "big", "0", "10"}, {"DEL", "big"}},
		"set":  {{"SREM", "big", "e1", "e2000"}, {"DEL", "big"}},
		"hash": {{"HSET", "big", "e1", "changed"}, {"HDEL", "big", "e2999"}},
		"zset": {{"ZINCRBY", "big", "1000", "e1"}, {"ZREM", "big", "e2999"}},
	}
	for typ, cmds := range change {
		for _, cmd := range cmds {
			t.Run(typ+"/"+fmt.Sprint(cmd[0]), func(t *testing.T) {
				mem := persist.NewMemSnapshots()
				ts := newTestStore(t, func(o *Options) { o.Snapshots = mem })
				args := append([]any(nil), fill[typ]...)
				for i := 0; i < 3000; i++ {
					switch typ {
					case "hash":
						args = append(args, "e"+strconv.Itoa(i), "v"+strconv.Itoa(i))
					case "zset":
						args = append(args, strconv.Itoa(i%13), "e"+strconv.Itoa(i))
					default:
						args = append(args, "e"+strconv.Itoa(i))
					}
				}
				ts.do(args...)
				ts.do("SET", "other", "x")
				ctx := context.Background()
				var want string
				var inChunk bool
				if err := ts.onExecutor(ctx, func(s *Store) {
					s.persist.sliceBudget = 1
					s.persist.noIdleSlices = true
					want = s.datasetDigest().String()
					if err := s.startBGSave(); err != nil {
						t.Error(err)
					}
				}); err != nil {
					t.Fatal(err)
				}
				// Serialize slices until the big value's chunked write has
				// begun (one slice per request).
				for i := 0; i < 10 && !inChunk; i++ {
					ts.do("PING")
					_ = ts.onExecutor(ctx, func(s *Store) {
						j := s.persist.job
						inChunk = j != nil && j.chunk != nil
					})
				}
				if !inChunk {
					t.Fatal("the big value's chunked write never began")
				}
				ts.do(cmd...)
				if err := ts.onExecutor(ctx, func(s *Store) { s.persist.noIdleSlices = false }); err != nil {
					t.Fatal(err)
				}
				if err := ts.WaitBGSave(ctx); err != nil {
					t.Fatal(err)
				}
				back := newTestStore(t, func(o *Options) { o.Snapshots = mem })
				if got := digestOf(t, back.Store); got != want {
					t.Fatalf("digest %s, want %s", got, want)
				}
			})
		}
	}
}

// infoField returns one field of INFO persistence.
func infoField(t testing.TB, s *Store, name string) string {
	t.Helper()
	v, err := s.Do(context.Background(), "INFO", "persistence")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(v.Str(), "\r\n") {
		if k, val, ok := strings.Cut(line, ":"); ok && k == name {
			return val
		}
	}
	t.Fatalf("INFO persistence has no %s:\n%s", name, v.Str())
	return ""
}

// loadFile opens a store from an RDB file and returns its digest.
func loadFileDigest(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := newTestStore(t, func(o *Options) { o.LoadFrom = f })
	return digestOf(t, s.Store)
}

// TestBGSaveFaults: a background save that fails (ENOSPC, a failed fsync)
// leaves the previous snapshot intact, reports err in INFO and makes
// writes and PING fail with MISCONF, until a save succeeds.
func TestBGSaveFaults(t *testing.T) {
	dir := t.TempDir()
	ld, err := persist.OpenLogDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fl := persist.NewFaultyLog(ld)
	fsnap, err := persist.NewFileSnapshots(fl, "dump.rdb")
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestStore(t, func(o *Options) {
		o.Snapshots = fsnap
		o.SavePoints = []SavePoint{{After: time.Hour, Changes: 1}}
	})
	ctx := context.Background()
	ts.do("SET", "a", "1")
	ts.expect(SimpleValue("OK"), "SAVE")
	first := digestOf(t, ts.Store)
	path := filepath.Join(dir, "dump.rdb")
	ts.do("SET", "a", "2")

	// A transaction that queued a write before the failure.
	early := dialRaw(t, ts.Store)
	early.line("MULTI", wantOK)
	early.line("SET q 1", wantQueued)

	for _, f := range []persist.Fault{
		{Op: persist.OpWrite, N: 1, Kind: persist.NoSpace},
		{Op: persist.OpSync, N: 1, Kind: persist.IOError},
		{Op: persist.OpRename, N: 1, Kind: persist.IOError},
	} {
		fl.Inject(f)
		ts.expect(SimpleValue("Background saving started"), "BGSAVE")
		err := ts.WaitBGSave(ctx)
		if err == nil {
			t.Fatalf("%v: BGSAVE succeeded", f)
		}
		if f.Kind == persist.NoSpace && !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("%v: error %v does not wrap ENOSPC", f, err)
		}
		if got := infoField(t, ts.Store, "rdb_last_bgsave_status"); got != "err" {
			t.Fatalf("%v: rdb_last_bgsave_status %s", f, got)
		}
		ts.expectErr(ErrMisconf.Error(), "SET", "b", "1")
		ts.expectErr(ErrMisconf.Error(), "PING")
		if v := ts.do("EVAL", "return redis.call('SET', 'b', '1')", "0"); !strings.HasPrefix(v.Str(), ErrMisconf.Error()+" script: ") {
			t.Fatalf("a script's write after a failed save: %v", v)
		}
		ts.expect(SimpleValue("PONG"), "EVAL", "return redis.call('PING')", "0")
		// In MULTI a refused write aborts the transaction.
		rc := dialRaw(t, ts.Store)
		rc.line("MULTI", wantOK)
		rc.line("GET a", wantQueued)
		rc.line("SET b 1", "-"+ErrMisconf.Error()+"\r\n")
		rc.line("EXEC", "-EXECABORT Transaction discarded because of previous errors.\r\n")
		ts.expect(BulkValue("2"), "GET", "a")
		if got := loadFileDigest(t, path); got != first {
			t.Fatalf("%v: the previous snapshot changed: digest %s, want %s", f, got, first)
		}
		if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 1 {
			t.Fatalf("%v: files left in the directory: %v", f, left)
		}
	}
	early.line("EXEC", "-EXECABORT Transaction discarded because of: "+ErrMisconf.Error()+"\r\n")
	// stop-writes-on-bgsave-error no lifts MISCONF; yes restores it.
	ts.expect(SimpleValue("OK"), "CONFIG", "SET", "stop-writes-on-bgsave-error", "no")
	ts.expect(SimpleValue("OK"), "SET", "c", "1")
	ts.expect(SimpleValue("OK"), "CONFIG", "SET", "stop-writes-on-bgsave-error", "yes")
	ts.expectErr(ErrMisconf.Error(), "SET", "c", "2")
	// A failed SAVE replies a bare ERR and keeps the state.
	fl.Inject(persist.Fault{Op: persist.OpWrite, N: 1, Kind: persist.NoSpace})
	ts.expectErr("ERR", "SAVE")
	if err := ts.Save(ctx); err != nil {
		t.Fatalf("Save: %v", err)
	}
	// A successful save clears MISCONF.
	ts.expect(SimpleValue("OK"), "SET", "b", "1")
	if got := infoField(t, ts.Store, "rdb_last_bgsave_status"); got != "ok" {
		t.Fatalf("after a good save rdb_last_bgsave_status %s", got)
	}
	// The file has a=2 and c=1, but not b, written after the save.
	if got, now := loadFileDigest(t, path), digestOf(t, ts.Store); got == first || got == now {
		t.Fatalf("after Save the file digest %s is the first snapshot's or the current dataset's", got)
	}
	ts.expect(SimpleValue("Background saving started"), "BGSAVE")
	if err := ts.WaitBGSave(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := loadFileDigest(t, path), digestOf(t, ts.Store); got != want {
		t.Fatalf("after a good BGSAVE the file digest %s, want %s", got, want)
	}
}

// TestSnapshotCrashDuringSave: the process "dies" in the middle of a save
// (a Crash fault on the in-memory file system drops everything not synced):
// the store that opens afterwards finds the previous snapshot whole.
func TestSnapshotCrashDuringSave(t *testing.T) {
	for _, op := range []persist.Op{persist.OpWrite, persist.OpSync, persist.OpRename, persist.OpSyncDir} {
		t.Run(op.String(), func(t *testing.T) {
			ml := persist.NewMemLog()
			fl := persist.NewFaultyLog(ml)
			open := func() persist.SnapshotBackend {
				b, err := persist.NewFileSnapshots(fl, "dump.rdb")
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			ctx := context.Background()
			ts := newTestStore(t, func(o *Options) { o.Snapshots = open(); o.SavePoints = []SavePoint{} })
			populateAllTypes(t, ts.Store)
			if err := ts.Save(ctx); err != nil {
				t.Fatal(err)
			}
			want := digestOf(t, ts.Store)
			ts.do("SET", "after", "x")
			ts.do("DEL", "list-big")
			fl.Inject(persist.Fault{Op: op, N: 1, Kind: persist.Crash})
			// At OpSyncDir the rename has happened but is not durable:
			// the crash loses it, and Save reports the failure.
			if err := ts.Save(ctx); err == nil {
				t.Fatal("Save succeeded through a crash")
			}
			fl.Recover()
			back := newTestStore(t, func(o *Options) { o.Snapshots = open(); o.SavePoints = []SavePoint{} })
			if got := digestOf(t, back.Store); got != want {
				t.Fatalf("after a crash at %v the snapshot digest is %s, want the previous %s", op, got, want)
			}
		})
	}
}

// TestOpenCorruptSnapshot: a truncated or corrupt file fails Open with an
// error naming the file and the byte offset, never a panic.
func TestOpenCorruptSnapshot(t *testing.T) {
	dir := t.TempDir()
	ts := newTestStore(t, func(o *Options) { o.Dir = dir; o.SavePoints = []SavePoint{} })
	populateAllTypes(t, ts.Store)
	ts.expect(SimpleValue("OK"), "SAVE")
	path := filepath.Join(dir, "dump.rdb")
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	cases := map[string][]byte{
		"empty":     {},
		"magic":     good[:5],
		"truncated": good[:len(good)/2],
		"no-crc":    good[:len(good)-3],
	}
	for i := 0; i < 5; i++ {
		b := bytes.Clone(good)
		b[9+rng.IntN(len(b)-9)] ^= 0x40
		cases["flipped-"+strconv.Itoa(i)] = b
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			d := t.TempDir()
			if err := os.WriteFile(filepath.Join(d, "dump.rdb"), data, 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := Open(Options{Dir: d, SavePoints: []SavePoint{}})
			if err == nil {
				s.Close()
				t.Fatal("Open accepted a damaged snapshot")
			}
			msg := err.Error()
			if !strings.Contains(msg, filepath.Join(d, "dump.rdb")) || !strings.Contains(msg, "byte offset") {
				t.Fatalf("error does not name the file and offset: %v", err)
			}
		})
	}
}

// FuzzLoadSnapshot opens a store on arbitrary bytes: Open either loads
// them into a store whose invariants hold or fails with an error; it
// never panics.
func FuzzLoadSnapshot(f *testing.F) {
	seeds, _ := filepath.Glob("persist/rdb/testdata/*.rdb")
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("REDIS0010\xff\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Open(Options{LoadFrom: bytes.NewReader(data), Clock: NewManualClock(testStart), Seed: 1})
		if err != nil {
			if !strings.Contains(err.Error(), "Options.LoadFrom") {
				t.Fatalf("error does not name the source: %v", err)
			}
			return
		}
		var ierr error
		if err := s.onExecutor(context.Background(), func(s *Store) { ierr = s.checkInvariants() }); err != nil {
			t.Fatal(err)
		}
		if ierr != nil {
			t.Fatalf("invariants after loading: %v", ierr)
		}
		s.Close()
	})
}

// configGet returns one parameter's value from CONFIG GET.
func configGet(t testing.TB, s *Store, name string) string {
	t.Helper()
	v, err := s.Do(context.Background(), "CONFIG", "GET", name)
	if err != nil || len(v.Elems()) != 2 {
		t.Fatalf("CONFIG GET %s: %v %v", name, v, err)
	}
	return v.Elems()[1].Str()
}

// TestSaveCommands: the replies of SAVE, BGSAVE and LASTSAVE, BGSAVE inside
// MULTI, INFO persistence, and stores without a backend.
func TestSaveCommands(t *testing.T) {
	ctx := context.Background()
	none := newTestStore(t)
	none.expectErr(ErrNoSnapshots.Error(), "SAVE")
	none.expectErr(ErrNoSnapshots.Error(), "BGSAVE")
	if got := configGet(t, none.Store, "save"); got != "" {
		t.Fatalf("CONFIG GET save without a backend: %q", got)
	}
	if err := none.Save(ctx); !errors.Is(err, ErrNoSnapshots) {
		t.Fatalf("Save without a backend: %v", err)
	}

	mem := persist.NewMemSnapshots()
	ts := newTestStore(t, func(o *Options) { o.Snapshots = mem })
	ts.expect(IntValue(testStart.Unix()), "LASTSAVE")
	if got := infoField(t, ts.Store, "rdb_last_bgsave_time_sec"); got != "-1" {
		t.Fatalf("rdb_last_bgsave_time_sec before any save: %s", got)
	}
	for i := 0; i < 100; i++ {
		ts.do("SET", "k"+strconv.Itoa(i), "1")
	}
	if got := infoField(t, ts.Store, "rdb_changes_since_last_save"); got != "100" {
		t.Fatalf("rdb_changes_since_last_save %s, want 100", got)
	}
	ts.clk.Advance(10 * time.Second)
	if err := ts.onExecutor(ctx, func(s *Store) { s.persist.noIdleSlices, s.persist.sliceBudget = true, 1 }); err != nil {
		t.Fatal(err)
	}
	ts.expect(SimpleValue("Background saving started"), "BGSAVE")
	ts.expectErr("ERR Background save already in progress", "BGSAVE")
	ts.expectErr("ERR Background save already in progress", "BGSAVE", "SCHEDULE")
	ts.expectErr("ERR Background save already in progress", "SAVE")
	if got := infoField(t, ts.Store, "rdb_bgsave_in_progress"); got != "1" {
		t.Fatalf("rdb_bgsave_in_progress %s during BGSAVE", got)
	}
	if err := ts.onExecutor(ctx, func(s *Store) { s.persist.noIdleSlices = false }); err != nil {
		t.Fatal(err)
	}
	if err := ts.WaitBGSave(ctx); err != nil {
		t.Fatal(err)
	}
	ts.expect(IntValue(testStart.Unix()+10), "LASTSAVE")
	for name, want := range map[string]string{
		"rdb_bgsave_in_progress":      "0",
		"rdb_changes_since_last_save": "0",
		"rdb_last_bgsave_status":      "ok",
		"rdb_last_bgsave_time_sec":    "0",
		"rdb_saves":                   "1",
		"rdb_last_cow_size":           "0",
	} {
		if got := infoField(t, ts.Store, name); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	if last, err := ts.LastSave(ctx); err != nil || !last.Equal(testStart.Add(10*time.Second)) {
		t.Fatalf("LastSave %v, %v", last, err)
	}

	// Inside MULTI, BGSAVE is scheduled for after the transaction (and
	// runs from the timer).
	rc := dialRaw(t, ts.Store)
	rc.line("MULTI", wantOK)
	rc.line("BGSAVE", wantQueued)
	rc.line("SET c 1", wantQueued)
	rc.line("EXEC", "*2\r\n+Background saving scheduled\r\n+OK\r\n")
	if err := ts.onExecutor(ctx, func(s *Store) {
		if !s.persist.scheduled {
			t.Error("BGSAVE in MULTI did not schedule a save")
		}
		s.cron()
	}); err != nil {
		t.Fatal(err)
	}
	if err := ts.WaitBGSave(ctx); err != nil {
		t.Fatal(err)
	}
	if got := infoField(t, ts.Store, "rdb_saves"); got != "2" {
		t.Fatalf("rdb_saves %s after the scheduled save", got)
	}
}

// TestSaveRules: the cron starts a background save when a rule's changes
// and time are reached (time from the store's clock), CONFIG SET save
// changes the rules, and Close saves what changed.
func TestSaveRules(t *testing.T) {
	ctx := context.Background()
	mem := persist.NewMemSnapshots()
	ts := newTestStore(t, func(o *Options) {
		o.Snapshots = mem
		o.SavePoints = []SavePoint{{After: 60 * time.Second, Changes: 3}}
	})
	if got := configGet(t, ts.Store, "save"); got != "60 3" {
		t.Fatalf("CONFIG GET save: %q", got)
	}
	cron := func() {
		t.Helper()
		if err := ts.onExecutor(ctx, func(s *Store) { s.cron() }); err != nil {
			t.Fatal(err)
		}
		if err := ts.WaitBGSave(ctx); err != nil {
			t.Fatal(err)
		}
	}
	saves := func() string { return infoField(t, ts.Store, "rdb_saves") }
	ts.do("SET", "a", "1")
	ts.do("SET", "a", "2")
	ts.clk.Advance(2 * time.Minute)
	cron()
	if saves() != "0" {
		t.Fatal("saved after 2 changes with a rule of 3")
	}
	ts.do("SET", "a", "3")
	cron()
	if saves() != "1" {
		t.Fatal("no save after 3 changes and 2 minutes")
	}
	ts.do("SET", "a", "4")
	ts.expect(SimpleValue("OK"), "CONFIG", "SET", "save", "1 1")
	if got := configGet(t, ts.Store, "save"); got != "1 1" {
		t.Fatalf("CONFIG GET save: %q", got)
	}
	ts.clk.Advance(time.Second)
	cron()
	if saves() != "2" {
		t.Fatal("no save after CONFIG SET save 1 1")
	}
	ts.do("SET", "a", "5")
	want := digestOf(t, ts.Store)
	if err := ts.Close(); err != nil {
		t.Fatal(err)
	}
	back := newTestStore(t, func(o *Options) { o.Snapshots = mem })
	if got := digestOf(t, back.Store); got != want {
		t.Fatalf("Close did not save the last change: digest %s, want %s", got, want)
	}
}

// TestWriteSnapshotAndLoad: WriteSnapshot to a buffer while commands run,
// then LoadSnapshot and Options.LoadFrom of it.
func TestWriteSnapshotAndLoad(t *testing.T) {
	ctx := context.Background()
	ts := newTestStore(t)
	populateAllTypes(t, ts.Store)
	want := digestOf(t, ts.Store)
	var buf bytes.Buffer
	if err := ts.WriteSnapshot(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	if _, err := rdb.NewReader(bytes.NewReader(buf.Bytes())).Next(); err != nil {
		t.Fatalf("not an RDB file: %v", err)
	}
	ts.do("FLUSHALL")
	ts.do("SET", "gone", "1")
	if err := ts.LoadSnapshot(ctx, bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	if got := digestOf(t, ts.Store); got != want {
		t.Fatalf("after LoadSnapshot digest %s, want %s", got, want)
	}
	other := newTestStore(t, func(o *Options) { o.LoadFrom = bytes.NewReader(buf.Bytes()) })
	if got := digestOf(t, other.Store); got != want {
		t.Fatalf("Options.LoadFrom digest %s, want %s", got, want)
	}
	if err := ts.LoadSnapshot(ctx, bytes.NewReader(buf.Bytes()[:100])); err == nil || !strings.Contains(err.Error(), "byte offset") {
		t.Fatalf("LoadSnapshot of a truncated file: %v", err)
	}
}

// TestLoadDropsExpiredKeys: keys whose TTL passed while the store was
// closed are not loaded (as a Redis primary drops them), and INFO counts
// them.
func TestLoadDropsExpiredKeys(t *testing.T) {
	mem := persist.NewMemSnapshots()
	ts := newTestStore(t, func(o *Options) { o.Snapshots = mem; o.SavePoints = []SavePoint{} })
	ts.do("SET", "short", "1", "PX", "500")
	ts.do("SET", "long", "1", "EX", "3600")
	ts.do("SET", "forever", "1")
	ts.expect(SimpleValue("OK"), "SAVE")
	clk := NewManualClock(testStart.Add(time.Second))
	back := newTestStore(t, func(o *Options) { o.Snapshots = mem; o.Clock = clk })
	back.expect(IntValue(2), "DBSIZE")
	back.expect(IntValue(0), "EXISTS", "short")
	if got := infoField(t, back.Store, "rdb_last_load_keys_expired"); got != "1" {
		t.Fatalf("rdb_last_load_keys_expired %s, want 1", got)
	}
	if got := infoField(t, back.Store, "rdb_last_load_keys_loaded"); got != "2" {
		t.Fatalf("rdb_last_load_keys_loaded %s, want 2", got)
	}
}
