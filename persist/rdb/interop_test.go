package rdb

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/embedis/embedis/internal/redistest"
)

// server is a redis-server 7.0 whose data directory the test knows.
type server struct {
	t   testing.TB
	c   *redistest.Conn
	dir string
}

// startServer starts redis-server with dir as its data directory (loading
// dir/dump.rdb if present).
func startServer(t testing.TB, dir string, extra ...string) *server {
	t.Helper()
	args := append([]string{"--dir", dir, "--dbfilename", "dump.rdb", "--enable-debug-command", "yes"}, extra...)
	addr := redistest.StartWith(t, args...)
	c, err := redistest.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &server{t: t, c: c, dir: dir}
}

func (s *server) do(args ...string) redistest.Reply {
	s.t.Helper()
	r, err := s.c.Do(args...)
	if err != nil {
		s.t.Fatalf("%v: %v", args, err)
	}
	if r.Kind == redistest.Error {
		s.t.Fatalf("%v: %s", args, r.Text)
	}
	return r
}

func strs(r redistest.Reply) []string {
	out := make([]string, len(r.Elems))
	for i, e := range r.Elems {
		out[i] = e.Text
	}
	return out
}

func parseID(t testing.TB, s string) StreamID {
	t.Helper()
	ms, seq, ok := strings.Cut(s, "-")
	a, err1 := strconv.ParseUint(ms, 10, 64)
	b, err2 := strconv.ParseUint(seq, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		t.Fatalf("bad stream ID %q", s)
	}
	return StreamID{a, b}
}

func field(t testing.TB, m redistest.Reply, name string) redistest.Reply {
	t.Helper()
	for i := 0; i+1 < len(m.Elems); i += 2 {
		if m.Elems[i].Text == name {
			return m.Elems[i+1]
		}
	}
	t.Fatalf("no field %q in %s", name, m.Render(20))
	return redistest.Reply{}
}

func atoi64(t testing.TB, s string) int64 {
	t.Helper()
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("not an integer: %q", s)
	}
	return v
}

// fetch reads a key's value from the server over RESP.
func (s *server) fetch(key string) Value {
	t := s.t
	t.Helper()
	switch typ := s.do("TYPE", key).Text; typ {
	case "string":
		return String(s.do("GET", key).Text)
	case "list":
		return List(strs(s.do("LRANGE", key, "0", "-1")))
	case "set":
		return Set(strs(s.do("SMEMBERS", key)))
	case "zset":
		r := strs(s.do("ZRANGE", key, "0", "-1", "WITHSCORES"))
		var z ZSet
		for i := 0; i < len(r); i += 2 {
			f, ok := parseScore(r[i+1])
			if !ok {
				t.Fatalf("score %q", r[i+1])
			}
			z = append(z, ZMember{r[i], f})
		}
		return z
	case "hash":
		r := strs(s.do("HGETALL", key))
		var h Hash
		for i := 0; i < len(r); i += 2 {
			h = append(h, HashField{r[i], r[i+1]})
		}
		return h
	case "stream":
		info := s.do("XINFO", "STREAM", key, "FULL", "COUNT", "0")
		st := &Stream{
			Length:       uint64(atoi64(t, field(t, info, "length").Text)),
			LastID:       parseID(t, field(t, info, "last-generated-id").Text),
			MaxDeletedID: parseID(t, field(t, info, "max-deleted-entry-id").Text),
			EntriesAdded: uint64(atoi64(t, field(t, info, "entries-added").Text)),
			FirstID:      parseID(t, field(t, info, "recorded-first-entry-id").Text),
		}
		for _, e := range field(t, info, "entries").Elems {
			st.Entries = append(st.Entries, StreamEntry{ID: parseID(t, e.Elems[0].Text), Fields: strs(e.Elems[1])})
		}
		for _, g := range field(t, info, "groups").Elems {
			grp := StreamGroup{Name: field(t, g, "name").Text, LastID: parseID(t, field(t, g, "last-delivered-id").Text), EntriesRead: -1}
			if er := field(t, g, "entries-read"); !er.Kind.IsNull() {
				grp.EntriesRead = atoi64(t, er.Text)
			}
			for _, p := range field(t, g, "pending").Elems {
				grp.PEL = append(grp.PEL, PendingEntry{ID: parseID(t, p.Elems[0].Text),
					DeliveryTime: atoi64(t, p.Elems[2].Text), DeliveryCount: uint64(atoi64(t, p.Elems[3].Text))})
			}
			for _, c := range field(t, g, "consumers").Elems {
				con := StreamConsumer{Name: field(t, c, "name").Text, SeenTime: atoi64(t, field(t, c, "seen-time").Text)}
				for _, p := range field(t, c, "pending").Elems {
					con.PEL = append(con.PEL, parseID(t, p.Elems[0].Text))
				}
				grp.Consumers = append(grp.Consumers, con)
			}
			st.Groups = append(st.Groups, grp)
		}
		return st
	default:
		t.Fatalf("key %q has type %q", key, typ)
	}
	return nil
}

// keys returns the keys of the selected database.
func (s *server) keys() []string {
	k := strs(s.do("KEYS", "*"))
	sort.Strings(k)
	return k
}

// populate fills the server with every type and encoding and returns the
// function libraries it loaded.
func populate(s *server) []string {
	r := rand.New(rand.NewPCG(11, 12))
	s.do("DEBUG", "POPULATE", "1000")
	s.do("SET", "str", "hello")
	s.do("SET", "int", "12345")
	s.do("SET", "bigint", "-9223372036854775808")
	s.do("SET", "comp", strings.Repeat("compress me ", 30))
	s.do("SET", "bin\x00key", "\x00\xff\x01")
	s.do("SET", "ttl", "x")
	s.do("PEXPIREAT", "ttl", "4102444800123")
	s.do("RPUSH", "list", "a", "1", "-20000", "b")
	for i := range 3000 {
		s.do("RPUSH", "biglist", randString(r, r.IntN(50)))
		_ = i
	}
	s.do("SADD", "intset", "1", "5", "-100000", "7")
	s.do("SADD", "set", "a", "b", "c")
	for i := range 600 {
		s.do("SADD", "bigintset", strconv.Itoa(i))
	}
	s.do("HSET", "hash", "f1", "v1", "f2", "2", "f3", "")
	for i := range 600 {
		s.do("HSET", "bighash", "field"+strconv.Itoa(i), randString(r, 10))
	}
	s.do("ZADD", "zset", "1", "a", "2.5", "b", "-inf", "c", "1e200", "d", "0.1", "e")
	for i := range 200 {
		s.do("ZADD", "bigzset", strconv.FormatFloat(r.Float64()*100, 'f', -1, 64), "m"+strconv.Itoa(i))
	}
	for i := range 300 {
		args := []string{"XADD", "stream", "*", "a", strconv.Itoa(i), "b", randString(r, 5)}
		if i%10 == 0 {
			args = []string{"XADD", "stream", "*", "other", "1"}
		}
		s.do(args...)
	}
	s.do("XGROUP", "CREATE", "stream", "g1", "0")
	s.do("XGROUP", "CREATE", "stream", "g2", "$")
	s.do("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", "stream", ">")
	s.do("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "3", "STREAMS", "stream", ">")
	s.do("XGROUP", "CREATECONSUMER", "stream", "g1", "carol")
	first := strs(s.do("XRANGE", "stream", "-", "+", "COUNT", "2"))
	_ = first
	ids := s.do("XRANGE", "stream", "-", "+", "COUNT", "20")
	s.do("XACK", "stream", "g1", ids.Elems[1].Elems[0].Text)
	s.do("XDEL", "stream", ids.Elems[15].Elems[0].Text, ids.Elems[16].Elems[0].Text)
	s.do("XADD", "smallstream", "1-1", "f", "v")
	s.do("XADD", "smallstream", "2-0", "f", "w", "g", "x")
	s.do("XADD", "emptystream", "5-5", "f", "v")
	s.do("XDEL", "emptystream", "5-5")
	s.do("SELECT", "2")
	s.do("SET", "in-db-2", "yes")
	s.do("SELECT", "0")
	lib := "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return args[1] end)"
	s.do("FUNCTION", "LOAD", lib)
	return []string{lib}
}

// TestInteropReadRedisSave: redis-server writes every type and encoding,
// our reader reads its dump.rdb, the contents match what the server
// reports.
func TestInteropReadRedisSave(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, dir)
	libs := populate(s)
	s.do("SAVE")
	f, err := os.Open(filepath.Join(dir, "dump.rdb"))
	must(t, err)
	defer f.Close()
	got, funcs, aux := readAll(t, f)
	if aux["redis-ver"] != "7.0.15" {
		t.Errorf("aux: %v", aux)
	}
	if len(funcs) != 1 || funcs[0] != libs[0] {
		t.Errorf("functions %q", funcs)
	}
	for _, db := range []int{0, 2} {
		s.do("SELECT", strconv.Itoa(db))
		keys := s.keys()
		n := 0
		for k := range got {
			if strings.HasPrefix(k, strconv.Itoa(db)+"/") {
				n++
			}
		}
		if n != len(keys) {
			t.Errorf("db %d: file has %d keys, server %d", db, n, len(keys))
		}
		for _, k := range keys {
			rec, ok := got[strconv.Itoa(db)+"/"+k]
			if !ok {
				t.Errorf("key %q not in the file", k)
				continue
			}
			if want := s.fetch(k); !sameValue(rec.Value, want) {
				t.Errorf("key %q:\nfile   %s\nserver %s", k, describe(rec.Value), describe(want))
			}
			exp := atoi64(t, s.do("PEXPIRETIME", k).Text)
			if (exp >= 0) != rec.Meta.HasExpire || exp >= 0 && exp != rec.Meta.ExpireMs {
				t.Errorf("key %q: expire %d, file %+v", k, exp, rec.Meta)
			}
		}
	}
	// The encodings we saw are the ones Redis reports.
	wantType := map[string]Type{"hash": TypeHashListpack, "bighash": TypeHash, "intset": TypeSetIntset,
		"set": TypeSet, "bigintset": TypeSet, "zset": TypeZSetListpack, "bigzset": TypeZSet2,
		"list": TypeListQuicklist2, "stream": TypeStreamListpacks2}
	for k, want := range wantType {
		if got["0/"+k].Type != want {
			t.Errorf("key %q: type %d, want %d", k, got["0/"+k].Type, want)
		}
	}
	// Writing the same values gives the same encodings.
	cfg := DefaultConfig()
	for k, rec := range got {
		if ct := cfg.TypeOf(rec.Value); ct != rec.Type && rec.Type != TypeString {
			t.Errorf("key %s: redis wrote type %d, we would write %d", k, rec.Type, ct)
		}
	}
}

// TestInteropRedisLoadsOurFile: our writer writes every type and encoding,
// redis-check-rdb accepts the file and redis-server loads it with the same
// contents, TTLs and encodings.
func TestInteropRedisLoadsOurFile(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil && !redistest.InCI() {
		t.Skip("redis-server not on PATH")
	}
	for _, cfg := range []Config{DefaultConfig(), func() Config {
		c := DefaultConfig()
		c.Compression, c.Checksum, c.ListCompressDepth = false, false, 1
		return c
	}()} {
		dir := t.TempDir()
		keys := dataset(21)
		lib := "#!lua name=ourlib\nredis.register_function('ourfunc', function(keys, args) return 7 end)"
		data := writeFile(t, cfg, keys, []string{lib})
		path := filepath.Join(dir, "dump.rdb")
		must(t, os.WriteFile(path, data, 0o644))
		if out, err := exec.Command("redis-check-rdb", path).CombinedOutput(); err != nil || !bytes.Contains(out, []byte("RDB looks OK")) {
			t.Fatalf("redis-check-rdb: %v\n%s", err, out)
		}
		s := startServer(t, dir)
		if got := s.do("FCALL", "ourfunc", "0").Text; got != "7" {
			t.Errorf("FCALL ourfunc: %q", got)
		}
		encoding := map[Type]string{TypeHashListpack: "listpack", TypeHash: "hashtable", TypeSetIntset: "intset",
			TypeSet: "hashtable", TypeZSetListpack: "listpack", TypeZSet2: "skiplist", TypeListQuicklist2: "quicklist",
			TypeStreamListpacks2: "stream"}
		for _, k := range keys {
			s.do("SELECT", strconv.Itoa(k.db))
			if got := s.fetch(k.name); !sameValue(got, k.value) {
				t.Errorf("key %q:\nserver %s\nwrote  %s", k.name, describe(got), describe(k.value))
			}
			exp := atoi64(t, s.do("PEXPIRETIME", k.name).Text)
			if (exp >= 0) != k.meta.HasExpire || exp >= 0 && exp != k.meta.ExpireMs {
				t.Errorf("key %q: expire %d, wrote %+v", k.name, exp, k.meta)
			}
			if want, ok := encoding[cfg.TypeOf(k.value)]; ok {
				if got := s.do("OBJECT", "ENCODING", k.name).Text; got != want {
					t.Errorf("key %q: encoding %s, want %s", k.name, got, want)
				}
			}
		}
	}
}

// TestInteropDumpIdentical: DUMP of small values made by redis-server
// equals our encoding of the same contents byte for byte, and RESTORE of
// our payloads recreates every value.
func TestInteropDumpIdentical(t *testing.T) {
	s := startServer(t, t.TempDir())
	r := rand.New(rand.NewPCG(5, 6))
	s.do("SET", "str", "hello")
	s.do("SET", "int", "-123456")
	s.do("SET", "comp", strings.Repeat("abcabcabd", 10))
	s.do("SET", "rand", randString(r, 100))
	s.do("HSET", "hash", "a", "1", "b", "two", "c", strings.Repeat("x", 30), "100000", "-7")
	s.do("ZADD", "zset", "1", "a", "2.5", "b", "-3", "c", "0.1", "d", "1e100", "e", "inf", "f")
	s.do("SADD", "intset", "3", "1", "2")
	s.do("SADD", "intset64", "3", "10000000000")
	s.do("RPUSH", "list", "a", "b", "12", "-1", strings.Repeat("long", 30))
	for i := range 2000 {
		s.do("RPUSH", "biglist", randString(r, r.IntN(60)))
		_ = i
	}
	for i := range 300 {
		s.do("ZADD", "bigzset", strconv.Itoa(r.IntN(1000)), "member"+strconv.Itoa(i))
	}
	for i := range 250 {
		if i%9 == 0 {
			s.do("XADD", "stream", "*", "x", strconv.Itoa(i))
		} else {
			s.do("XADD", "stream", "*", "f1", strconv.Itoa(i), "f2", randString(r, 8))
		}
	}
	s.do("XGROUP", "CREATE", "stream", "grp", "0")
	s.do("XREADGROUP", "GROUP", "grp", "c1", "COUNT", "4", "STREAMS", "stream", ">")
	// Strings of many lengths and redundancies, to compare LZF output.
	lzfKeys := []string{}
	for i := range 60 {
		n := 21 + r.IntN(3000)
		alpha := "ab"
		if i%3 == 1 {
			alpha = "abcdefgh"
		} else if i%3 == 2 {
			alpha = "abcdefghijklmnopqrstuvwxyz0123456789 "
		}
		b := make([]byte, n)
		for j := range b {
			if j > 8 && r.IntN(4) == 0 {
				b[j] = b[j-1-r.IntN(8)]
			} else {
				b[j] = alpha[r.IntN(len(alpha))]
			}
		}
		k := "lzf" + strconv.Itoa(i)
		s.do("SET", k, string(b))
		lzfKeys = append(lzfKeys, k)
	}
	cfg := DefaultConfig()
	for _, k := range append([]string{"str", "int", "comp", "rand", "hash", "zset", "intset", "intset64", "list", "biglist", "bigzset", "stream"}, lzfKeys...) {
		want := []byte(s.do("DUMP", k).Text)
		got, err := EncodeDump(s.fetch(k), cfg)
		must(t, err)
		if !bytes.Equal(got, want) {
			t.Errorf("DUMP %s differs:\nredis % x\nours  % x", k, head(want), head(got))
		}
		if _, _, err := DecodeDump(want); err != nil {
			t.Errorf("DecodeDump(DUMP %s): %v", k, err)
		}
	}
	// RESTORE of our payloads of the whole dataset.
	for _, k := range dataset(33) {
		p, err := EncodeDump(k.value, cfg)
		must(t, err)
		s.do("RESTORE", "restored:"+k.name, "0", string(p))
		if got := s.fetch("restored:" + k.name); !sameValue(got, k.value) {
			t.Errorf("RESTORE %q:\nserver %s\nwrote  %s", k.name, describe(got), describe(k.value))
		}
	}
}

func head(b []byte) []byte {
	if len(b) > 120 {
		return b[:120]
	}
	return b
}

// TestInteropRewriteIdentical: a file redis-server saved, read by our
// reader and written again record by record by our writer, is the same
// file byte for byte (with contents whose layout is not history-made).
func TestInteropRewriteIdentical(t *testing.T) {
	for _, compress := range []string{"yes", "no"} {
		dir := t.TempDir()
		s := startServer(t, dir, "--rdbcompression", compress)
		r := rand.New(rand.NewPCG(8, 9))
		s.do("DEBUG", "POPULATE", "300")
		s.do("SET", "comp", strings.Repeat("0123456789", 20))
		s.do("SET", "ttl", "x", "PXAT", "4102444800555")
		for i := range 700 {
			s.do("SADD", "bigset", randString(r, 12))
			s.do("HSET", "bighash", "f"+strconv.Itoa(i), randString(r, 9))
			s.do("ZADD", "bigzset", strconv.Itoa(r.IntN(100)), "m"+strconv.Itoa(i))
			s.do("RPUSH", "biglist", randString(r, r.IntN(40)))
			s.do("XADD", "stream", "*", "a", strconv.Itoa(i), "b", randString(r, 3))
		}
		s.do("SADD", "intset", "5", "-1", "100000")
		s.do("HSET", "hash", "x", "1", "y", "two")
		s.do("ZADD", "zset", "1.5", "a", "-2", "b")
		s.do("XGROUP", "CREATE", "stream", "g", "0")
		s.do("XREADGROUP", "GROUP", "g", "c1", "COUNT", "3", "STREAMS", "stream", ">")
		s.do("XREADGROUP", "GROUP", "g", "c2", "COUNT", "2", "STREAMS", "stream", ">")
		s.do("SELECT", "5")
		s.do("SET", "five", "5", "PXAT", "4102444800666")
		s.do("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function('f', function() return 1 end)")
		s.do("SAVE")
		orig, err := os.ReadFile(filepath.Join(dir, "dump.rdb"))
		must(t, err)

		cfg := DefaultConfig()
		cfg.Compression = compress == "yes"
		var out bytes.Buffer
		w := NewWriter(&out, cfg)
		must(t, w.WriteMagic())
		rd := NewReader(bytes.NewReader(orig))
		db := 0
		for {
			rec, err := rd.Next()
			if err == io.EOF {
				break
			}
			must(t, err)
			switch rec.Kind {
			case KindAux:
				must(t, w.WriteAux(rec.AuxKey, rec.AuxValue))
			case KindFunction:
				must(t, w.WriteFunction(rec.Function))
			case KindSelectDB:
				db = rec.DB
			case KindResizeDB:
				must(t, w.SelectDB(db, rec.DBSize, rec.ExpiresSize))
			case KindKey:
				if got := cfg.TypeOf(rec.Value); got != rec.Type {
					t.Errorf("key %q: redis wrote type %d, we write %d", rec.Key, rec.Type, got)
				}
				must(t, w.WriteKey(rec.Key, rec.Value, rec.Meta))
			}
		}
		must(t, w.Close())
		if !bytes.Equal(out.Bytes(), orig) {
			i := 0
			for i < len(orig) && i < out.Len() && orig[i] == out.Bytes()[i] {
				i++
			}
			t.Errorf("rdbcompression %s: rewritten file differs from byte %d (sizes %d, %d)", compress, i, len(orig), out.Len())
		}
	}
}

// TestInteropDumpCompressedList: with list-compress-depth 1 the inner
// quicklist nodes are stored LZF-compressed as Redis keeps them.
func TestInteropDumpCompressedList(t *testing.T) {
	s := startServer(t, t.TempDir(), "--list-compress-depth", "1", "--list-max-listpack-size", "-1")
	r := rand.New(rand.NewPCG(15, 16))
	for range 1500 {
		s.do("RPUSH", "l", randString(r, r.IntN(20))+strings.Repeat("ab", r.IntN(10)))
	}
	cfg := DefaultConfig()
	cfg.ListCompressDepth, cfg.ListMaxListpackSize = 1, -1
	want := []byte(s.do("DUMP", "l").Text)
	got, err := EncodeDump(s.fetch("l"), cfg)
	must(t, err)
	if !bytes.Equal(got, want) {
		t.Errorf("DUMP differs (sizes %d, %d)", len(want), len(got))
	}
	cfg.ListCompressDepth, cfg.Compression = 0, false
	plain, err := EncodeDump(s.fetch("l"), cfg)
	must(t, err)
	if len(plain) <= len(got) {
		t.Errorf("no node was compressed: %d bytes plain, %d with depth 1", len(plain), len(got))
	}
}
