package embedis

import (
	"bytes"
	"context"
	"math/rand"
	"strings"
	"testing"

	"github.com/embedis/embedis/persist"
)

// memLogWith returns a MemLog holding files.
func memLogWith(t testing.TB, files map[string]string) *persist.MemLog {
	t.Helper()
	mem := persist.NewMemLog()
	for name, data := range files {
		if err := mem.WriteFileAtomic(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	return mem
}

const incrOnlyManifest = "file appendonly.aof.1.incr.aof seq 1 type i\n"

// openLog opens a store on mem with the log on; strict is
// aof-load-truncated no.
func openLog(mem persist.LogBackend, strict bool) (*Store, error) {
	return Open(Options{AppendOnly: true, AppendLog: mem, AOFStrictLoad: strict, Logf: func(string, ...any) {}, Seed: 1})
}

func aofCmd(args ...string) string { return string(appendCommand(nil, args...)) }

// TestAOFLoadTruncated: a last file cut anywhere inside its last command
// loads without that command (and is cut back) when aof-load-truncated
// is yes, and fails naming the file and offset when it is no.
func TestAOFLoadTruncated(t *testing.T) {
	head := aofCmd("SET", "a", "1") + "#TS:1700000000\r\n" + aofCmd("SELECT", "2") + aofCmd("SET", "b", "2")
	last := aofCmd("SET", "c", "3")
	for cut := 1; cut < len(last); cut++ {
		data := head + last[:cut]
		mem := memLogWith(t, map[string]string{"appendonly.aof.manifest": incrOnlyManifest, "appendonly.aof.1.incr.aof": data})
		if _, err := openLog(mem, true); err == nil || !strings.Contains(err.Error(), "appendonly.aof.1.incr.aof") || !strings.Contains(err.Error(), "byte offset") {
			t.Fatalf("cut %d, strict: %v", cut, err)
		}
		s, err := openLog(mem, false)
		if err != nil {
			t.Fatalf("cut %d: %v", cut, err)
		}
		ctx := context.Background()
		if v, _ := s.Database(2).Get(ctx, "b"); v != "2" {
			t.Fatalf("cut %d: b = %q", cut, v)
		}
		if n, _ := s.Database(2).Exists(ctx, "c"); n != 0 {
			t.Fatalf("cut %d: c exists", cut)
		}
		s.Close()
		fi, err := mem.Stat("appendonly.aof.1.incr.aof")
		if err != nil || fi.Size != int64(len(head)) {
			t.Fatalf("cut %d: file is %d bytes after load, want %d (%v)", cut, fi.Size, len(head), err)
		}
	}
}

// TestAOFLoadIncompleteMulti: a last file ending inside MULTI is cut back
// to before the MULTI (Redis reverts the incomplete transaction).
func TestAOFLoadIncompleteMulti(t *testing.T) {
	head := aofCmd("SET", "a", "1")
	data := head + aofCmd("MULTI") + aofCmd("SET", "b", "2") + aofCmd("INCR", "a")
	mem := memLogWith(t, map[string]string{"appendonly.aof.manifest": incrOnlyManifest, "appendonly.aof.1.incr.aof": data})
	s, err := openLog(mem, false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if v, _ := s.Get(ctx, "a"); v != "1" {
		t.Fatalf("a = %q", v)
	}
	if n, _ := s.Exists(ctx, "b"); n != 0 {
		t.Fatal("b of the incomplete transaction was applied")
	}
	// A complete transaction applies.
	mem2 := memLogWith(t, map[string]string{"appendonly.aof.manifest": incrOnlyManifest, "appendonly.aof.1.incr.aof": data + aofCmd("EXEC")})
	s2, err := openLog(mem2, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if v, _ := s2.Get(ctx, "a"); v != "2" {
		t.Fatalf("a = %q after a complete transaction", v)
	}
}

// TestAOFLoadErrors: damage that is not a truncated tail fails Open with
// an error naming the file and what is wrong.
func TestAOFLoadErrors(t *testing.T) {
	good := aofCmd("SET", "a", "1") + aofCmd("SET", "b", "2")
	cases := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"bad byte", map[string]string{"appendonly.aof.manifest": incrOnlyManifest, "appendonly.aof.1.incr.aof": aofCmd("SET", "a", "1") + "x" + aofCmd("SET", "b", "2")[1:]}, "appendonly.aof.1.incr.aof: byte offset 27"},
		{"bad bulk length", map[string]string{"appendonly.aof.manifest": incrOnlyManifest, "appendonly.aof.1.incr.aof": "*1\r\n$x\r\n"}, "byte offset 4"},
		{"missing CRLF", map[string]string{"appendonly.aof.manifest": incrOnlyManifest, "appendonly.aof.1.incr.aof": "*1\r\n$3\r\nSETxx" + good}, "byte offset 4"},
		{"unknown command", map[string]string{"appendonly.aof.manifest": incrOnlyManifest, "appendonly.aof.1.incr.aof": aofCmd("NOSUCH", "a")}, "unknown command"},
		{"missing file", map[string]string{"appendonly.aof.manifest": incrOnlyManifest}, "appendonly.aof.1.incr.aof"},
		{"truncated non-last file", map[string]string{
			"appendonly.aof.manifest":   "file appendonly.aof.1.base.aof seq 1 type b\n" + incrOnlyManifest,
			"appendonly.aof.1.base.aof": good[:len(good)-3], "appendonly.aof.1.incr.aof": good}, "appendonly.aof.1.base.aof: byte offset 27"},
		{"bad manifest", map[string]string{"appendonly.aof.manifest": "file x seq 1\n"}, "invalid AOF manifest file format"},
		{"manifest path", map[string]string{"appendonly.aof.manifest": "file ../x seq 1 type i\n"}, "just a filename"},
		{"manifest order", map[string]string{"appendonly.aof.manifest": "file a seq 2 type i\nfile b seq 1 type i\n"}, "non-monotonic"},
		{"manifest type", map[string]string{"appendonly.aof.manifest": "file a seq 2 type x\n"}, "unknown AOF file type"},
		{"empty manifest", map[string]string{"appendonly.aof.manifest": ""}, "empty AOF manifest"},
		{"bad rdb base", map[string]string{
			"appendonly.aof.manifest":   "file appendonly.aof.1.base.rdb seq 1 type b\n",
			"appendonly.aof.1.base.rdb": "REDIS0010garbage"}, "appendonly.aof.1.base.rdb"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := openLog(memLogWith(t, tc.files), false)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

// TestAOFManifestQuoting: names that need quoting survive a round trip as
// Redis's sdscatrepr and sdssplitargs treat them.
func TestAOFManifestQuoting(t *testing.T) {
	m := aofManifest{incr: []aofFile{{name: `my log "1".aof`, seq: 1, typ: aofIncr}}}
	b := m.bytes()
	if string(b) != `file "my log \"1\".aof" seq 1 type i`+"\n" {
		t.Fatalf("manifest line %q", b)
	}
	got, err := parseManifest(b, "m")
	if err != nil || len(got.incr) != 1 || got.incr[0].name != m.incr[0].name {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	if _, err := parseManifest([]byte("# comment\nfile a seq 3 type i newkey v\n"), "m"); err != nil {
		t.Fatalf("comment and unknown keys: %v", err)
	}
}

// TestAOFDamagedFiles: random truncations and bit flips of every file of
// a log written by embedis (base, incremental, manifest): Open recovers or
// fails with an error; it never panics. Seeded.
func TestAOFDamagedFiles(t *testing.T) {
	src := persist.NewMemLog()
	s := newTestStore(t, aofOpts(src, FsyncAlways))
	writeMixed(t, s.Store)
	s.expect(SimpleValue("Background append only file rewriting started"), "BGREWRITEAOF")
	if err := finishRewrite(t, s.Store); err != nil {
		t.Fatal(err)
	}
	writeMixed(t, s.Store)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := src.List()
	if err != nil {
		t.Fatal(err)
	}
	orig := map[string]string{}
	for _, f := range files {
		data, err := readAll(src, f.Name)
		if err != nil {
			t.Fatal(err)
		}
		orig[f.Name] = string(data)
	}
	rng := rand.New(rand.NewSource(11))
	for i := 0; i < 300; i++ {
		damaged := map[string]string{}
		for k, v := range orig {
			damaged[k] = v
		}
		name := files[rng.Intn(len(files))].Name
		data := []byte(damaged[name])
		if len(data) == 0 {
			continue
		}
		if rng.Intn(2) == 0 {
			data = data[:rng.Intn(len(data))]
		} else {
			data = bytes.Clone(data)
			data[rng.Intn(len(data))] ^= 1 << rng.Intn(8)
		}
		damaged[name] = string(data)
		st, err := openLog(memLogWith(t, damaged), false)
		if err == nil {
			st.Close()
		}
	}
}

// FuzzLoadAOF: any content of an incremental file opens or fails with an
// error, never a panic.
func FuzzLoadAOF(f *testing.F) {
	f.Add([]byte(aofCmd("SET", "a", "1") + aofCmd("MULTI") + aofCmd("INCR", "n") + aofCmd("EXEC")))
	f.Add([]byte("#TS:1\r\n" + aofCmd("SELECT", "3") + aofCmd("RPUSH", "l", "a") + "*2\r\n$3\r\nDEL"))
	f.Add([]byte(aofCmd("XADD", "s", "1-1", "f", "v") + aofCmd("PEXPIREAT", "s", "1")))
	f.Add([]byte("*1\r\n$-1\r\n*0\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		mem := persist.NewMemLog()
		_ = mem.WriteFileAtomic("appendonly.aof.manifest", []byte(incrOnlyManifest))
		_ = mem.WriteFileAtomic("appendonly.aof.1.incr.aof", data)
		s, err := openLog(mem, false)
		if err == nil {
			s.Close()
		}
	})
}
