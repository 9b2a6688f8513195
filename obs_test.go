package embedis

import (
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestSlowlogArgsTrim(t *testing.T) {
	args := make([]string, 40)
	for i := range args {
		args[i] = "a"
	}
	args[1] = strings.Repeat("x", 200)
	got := slowlogArgs(args)
	if len(got) != 32 || got[31] != "... (9 more arguments)" {
		t.Fatalf("trim: len %d last %q", len(got), got[len(got)-1])
	}
	if want := strings.Repeat("x", 128) + "... (72 more bytes)"; got[1] != want {
		t.Fatalf("long arg: %q", got[1])
	}
	if got := slowlogArgs([]string{"get", "k"}); len(got) != 2 || got[1] != "k" {
		t.Fatalf("short: %q", got)
	}
}

func TestLatHist(t *testing.T) {
	var h latHist
	for v := uint64(0); v < 1000; v++ {
		h.record(v * 1000) // 0 .. 999 µs
		if b := latBucket(v * 1000); latBucketHigh(b) < v*1000 || (b > 0 && latBucketHigh(b-1) >= v*1000) {
			t.Fatalf("value %d in bucket %d [.., %d]", v*1000, b, latBucketHigh(b))
		}
	}
	p50 := h.percentile(50)
	if p50 < 499000 || p50 > 499000*9/8+1 {
		t.Fatalf("p50 = %d", p50)
	}
	if p := h.percentile(100); p < 999000 {
		t.Fatalf("p100 = %d", p)
	}
	cdf := h.cdf()
	if len(cdf) == 0 || cdf[len(cdf)-1].num != 1000 {
		t.Fatalf("cdf %v", cdf)
	}
}

func TestCommandstatsAndErrorstats(t *testing.T) {
	ts := newTestStore(t)
	ts.do("SET", "k", "v")
	ts.do("GET", "k")
	ts.do("GET", "k")
	ts.do("LPUSH", "k", "x") // WRONGTYPE: failed
	ts.do("GET")             // arity: rejected
	info := ts.do("INFO", "commandstats", "errorstats").str
	for _, want := range []string{
		"# Commandstats\r\n", "cmdstat_get:calls=2,", "rejected_calls=1,failed_calls=0",
		"cmdstat_lpush:calls=1,", "rejected_calls=0,failed_calls=1",
		"# Errorstats\r\n", "errorstat_ERR:count=1", "errorstat_WRONGTYPE:count=1",
	} {
		if !strings.Contains(info, want) {
			t.Errorf("INFO lacks %q:\n%s", want, info)
		}
	}
	if s := ts.do("INFO", "stats").str; !strings.Contains(s, "total_error_replies:2\r\n") {
		t.Errorf("total_error_replies: %s", s)
	}
	if s := ts.do("INFO", "latencystats").str; !strings.Contains(s, "latency_percentiles_usec_get:p50=") {
		t.Errorf("latencystats: %s", s)
	}
	ts.expect(okValue, "CONFIG", "RESETSTAT")
	if s := ts.do("INFO", "commandstats").str; strings.Contains(s, "cmdstat_get") {
		t.Errorf("after RESETSTAT: %s", s)
	}
}

func TestSlowlog(t *testing.T) {
	ts := newTestStore(t)
	ts.expect(okValue, "CONFIG", "SET", "slowlog-log-slower-than", "0")
	ts.do("SET", "k", strings.Repeat("v", 130))
	ts.expect(IntValue(2), "SLOWLOG", "LEN") // CONFIG SET and SET
	v := ts.do("SLOWLOG", "GET", "2")        // SLOWLOG LEN is the newest
	if len(v.elems) != 2 {
		t.Fatalf("SLOWLOG GET 2: %v", v)
	}
	e := v.elems[1]
	if e.elems[0].num != 1 || len(e.elems[3].elems) != 3 || e.elems[3].elems[2].str != strings.Repeat("v", 128)+"... (2 more bytes)" {
		t.Fatalf("entry: %v", e)
	}
	ts.expectErr("ERR count should be greater than or equal to -1", "SLOWLOG", "GET", "-2")
	ts.expect(okValue, "SLOWLOG", "RESET")
	ts.expect(IntValue(1), "SLOWLOG", "LEN") // RESET itself is logged
	ts.expect(okValue, "CONFIG", "SET", "slowlog-max-len", "0")
	ts.expect(IntValue(0), "SLOWLOG", "LEN")
}

func TestLatencyMonitor(t *testing.T) {
	ts := newTestStore(t)
	ts.expectErr("ERR No samples available for event 'command'", "LATENCY", "GRAPH", "command")
	ts.expect(okValue, "CONFIG", "SET", "latency-monitor-threshold", "1")
	ts.expect(okValue, "DEBUG", "SLEEP", "0.005")
	v := ts.do("LATENCY", "LATEST")
	if len(v.elems) != 1 || v.elems[0].elems[0].str != "command" || v.elems[0].elems[2].num < 5 {
		t.Fatalf("LATEST: %v", v)
	}
	if h := ts.do("LATENCY", "HISTORY", "command"); len(h.elems) != 1 {
		t.Fatalf("HISTORY: %v", h)
	}
	if g := ts.do("LATENCY", "GRAPH", "command"); !strings.HasPrefix(g.str, "txt:command - high ") {
		t.Fatalf("GRAPH: %v", g)
	}
	if d := ts.do("LATENCY", "DOCTOR"); !strings.Contains(d.str, "1. command: 1 latency spikes") {
		t.Fatalf("DOCTOR: %v", d)
	}
	if h := ts.do("LATENCY", "HISTOGRAM", "debug"); len(h.elems) != 2 || h.elems[0].str != "debug" {
		t.Fatalf("HISTOGRAM: %v", h)
	}
	ts.expect(IntValue(1), "LATENCY", "RESET")
	ts.expect(ArrayValue(), "LATENCY", "LATEST")
}

func TestStatsInfoConfigTyped(t *testing.T) {
	ts := newTestStore(t)
	ctx := t.Context()
	ts.do("SET", "k", "v")
	ts.do("GET", "k")
	ts.do("GET", "missing")
	st, err := ts.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Commands != 3 || st.Hits != 1 || st.Misses != 1 || st.Keys[0] != 1 || len(st.Keys) != 16 {
		t.Fatalf("Stats: %+v", st)
	}
	info, err := ts.Info(ctx, "server", "keyspace")
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := info["keyspace"].Get("db0"); !ok || v != "keys=1,expires=0,avg_ttl=0" {
		t.Fatalf("Info keyspace: %+v", info["keyspace"])
	}
	if v, _ := info["server"].Get("tcp_port"); v != "0" {
		t.Fatalf("tcp_port without a listener: %q", v)
	}
	if _, ok := info["memory"]; ok {
		t.Fatal("Info returned a section not asked for")
	}
	if err := ts.ConfigSet(ctx, map[string]string{"slowlog-max-len": "7"}); err != nil {
		t.Fatal(err)
	}
	got, err := ts.ConfigGet(ctx, "slowlog-max-*")
	if err != nil || got["slowlog-max-len"] != "7" {
		t.Fatalf("ConfigGet: %v %v", got, err)
	}
	if err := ts.ConfigSet(ctx, map[string]string{"slowlog-max-len": "x"}); err == nil {
		t.Fatal("ConfigSet of a bad value succeeded")
	}
}

func TestInertConfigLoggedOnce(t *testing.T) {
	var buf strings.Builder
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	ts := newTestStore(t, func(o *Options) { o.Logger = logger })
	ts.expect(okValue, "CONFIG", "SET", "activedefrag", "yes")
	ts.expect(okValue, "CONFIG", "SET", "activedefrag", "no")
	ts.expect(okValue, "CONFIG", "SET", "slowlog-max-len", "10") // honoured: not logged
	if n := strings.Count(buf.String(), "level=WARN"); n != 1 || !strings.Contains(buf.String(), "parameter=activedefrag") {
		t.Fatalf("log:\n%s", buf.String())
	}
	inert := InertConfigParameters()
	if !slices.Contains(inert, "activedefrag") || slices.Contains(inert, "slowlog-max-len") || slices.Contains(inert, "databases") {
		t.Fatalf("InertConfigParameters: %v", inert)
	}
}

func TestDebugObjectFields(t *testing.T) {
	ts := newTestStore(t)
	ts.do("RPUSH", "l", "a", "b", "c")
	v := ts.do("DEBUG", "OBJECT", "l").str
	for _, want := range []string{"refcount:1 encoding:quicklist serializedlength:19 ", "ql_nodes:1 ql_avg_node:3.00 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:"} {
		if !strings.Contains(v, want) {
			t.Errorf("DEBUG OBJECT l = %q, lacks %q", v, want)
		}
	}
	ts.expectErr("ERR no such key", "DEBUG", "OBJECT", "nokey")
	ts.expectErr("boom here", "DEBUG", "ERROR", "boom here")
}

// BenchmarkObsPerCommand is what the executor adds to every command for
// commandstats, latencystats, SLOWLOG and LATENCY: obsBegin and obsEnd
// around a command in a batch (one monotonic clock read, counters, one
// histogram bucket).
func BenchmarkObsPerCommand(b *testing.B) {
	b.ReportAllocs()
	s, err := Open(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	err = s.onExecutor(b.Context(), func(s *Store) {
		c := &call{s: s, cl: s.DB.cl, cmd: commands["get"], args: []string{"get", "k"}}
		v := BulkValue("v")
		for i := 0; i < b.N; i++ {
			start := s.obsBegin()
			s.obsEnd(c, start, v)
		}
	})
	if err != nil {
		b.Fatal(err)
	}
}

func TestCommandstatsBlocked(t *testing.T) {
	ts := newTestStore(t)
	done := make(chan Value)
	go func() {
		v, _ := ts.Do(t.Context(), "BLPOP", "q", "0")
		done <- v
	}()
	// Wait, without sleeping, until BLPOP is blocked.
	for !strings.Contains(ts.do("INFO", "clients").Str(), "blocked_clients:1\r\n") {
		runtime.Gosched()
	}
	if s := ts.do("INFO", "commandstats").Str(); strings.Contains(s, "cmdstat_blpop") {
		t.Fatalf("blocked BLPOP counted before it answered: %s", s)
	}
	ts.do("RPUSH", "q", "x")
	if v := <-done; len(v.elems) != 2 {
		t.Fatalf("BLPOP: %v", v)
	}
	if s := ts.do("INFO", "commandstats").Str(); !strings.Contains(s, "cmdstat_blpop:calls=1,") {
		t.Fatalf("BLPOP not counted once answered: %s", s)
	}
}

// FuzzParseInfo: ParseInfo never panics, and every field it returns came
// from a "name:value" line of the input.
func FuzzParseInfo(f *testing.F) {
	f.Add("# Server\r\nredis_version:7.0.15\r\n\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n")
	f.Add("no section\r\na:b\r\n# \r\n:\r\n#x")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		for _, sec := range ParseInfo(text) {
			for _, fl := range sec.Fields {
				if !strings.Contains(text, fl.Name+":"+fl.Value) {
					t.Fatalf("field %q:%q not in input", fl.Name, fl.Value)
				}
			}
		}
	})
}
