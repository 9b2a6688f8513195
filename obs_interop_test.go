package embedis_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/embedis/embedis"
	"github.com/embedis/embedis/embedistest"
	"github.com/embedis/embedis/internal/redistest"
)

// obsPair dials a fresh redis-server and a fresh embedis store over the
// wire; both are closed at the end of the test.
func obsPair(t *testing.T) (want, got *redistest.Conn) {
	t.Helper()
	want, err := redistest.Dial(redistest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { want.Close() })
	got, err = redistest.Dial(embedistest.Addr(t, embedistest.Open(t)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { got.Close() })
	return want, got
}

// both sends the same command to both sides and returns the replies.
func both(t *testing.T, want, got *redistest.Conn, args ...string) (redistest.Reply, redistest.Reply) {
	t.Helper()
	w, err := want.Do(args...)
	if err != nil {
		t.Fatalf("redis %q: %v", args, err)
	}
	g, err := got.Do(args...)
	if err != nil {
		t.Fatalf("embedis %q: %v", args, err)
	}
	return w, g
}

var (
	intRe   = regexp.MustCompile(`^-?[0-9]+$`)
	floatRe = regexp.MustCompile(`^-?[0-9]+\.[0-9]+$`)
)

// valueKind classifies an INFO value as int, float or string.
func valueKind(v string) string {
	switch {
	case intRe.MatchString(v):
		return "int"
	case floatRe.MatchString(v):
		return "float"
	}
	return "string"
}

// TestInfoShapeInterop compares INFO everything between redis-server 7.0.15
// and embedis after the same commands: the same sections in the same
// order, and in each the same field names in the same order with values
// of the same kind (integer, decimal, text).
func TestInfoShapeInterop(t *testing.T) {
	want, got := obsPair(t)
	for _, cmd := range [][]string{
		{"SET", "k", "v"}, {"GET", "k"}, {"GET", "nokey"}, {"LPUSH", "k", "x"}, {"GET"}, {"NOSUCHCOMMAND"},
	} {
		both(t, want, got, cmd...)
	}
	for _, arg := range [][]string{{"INFO", "everything"}, {"INFO"}, {"INFO", "default"}, {"INFO", "all"}, {"INFO", "server", "CLIENTS", "keyspace"}, {"INFO", "nosuchsection"}} {
		w, g := both(t, want, got, arg...)
		ws, gs := parseInfoText(w.Text), parseInfoText(g.Text)
		if len(ws) != len(gs) {
			t.Errorf("%q: sections %v, embedis %v", arg, names(ws), names(gs))
			continue
		}
		for i := range ws {
			if ws[i].Name != gs[i].Name {
				t.Errorf("%q: section %d is %q, embedis %q", arg, i, ws[i].Name, gs[i].Name)
				continue
			}
			wf, gf := ws[i].Fields, gs[i].Fields
			switch ws[i].Name {
			case "Commandstats", "Latencystats", "Errorstats":
				// Redis lists these in hash-table order, and counted the
				// PING with which the test harness waited for it.
				wf, gf = sortedFields(wf, "ping"), sortedFields(gf, "ping")
			}
			for j := 0; j < len(wf) || j < len(gf); j++ {
				switch {
				case j >= len(gf):
					t.Errorf("%q %s: embedis lacks %s", arg, ws[i].Name, wf[j][0])
				case j >= len(wf):
					t.Errorf("%q %s: embedis has extra %s", arg, ws[i].Name, gf[j][0])
				case wf[j][0] != gf[j][0]:
					t.Errorf("%q %s: field %d is %s, embedis %s", arg, ws[i].Name, j, wf[j][0], gf[j][0])
				case valueKind(wf[j][1]) != valueKind(gf[j][1]):
					t.Errorf("%q %s: %s is %q (%s), embedis %q (%s)", arg, ws[i].Name, wf[j][0],
						wf[j][1], valueKind(wf[j][1]), gf[j][1], valueKind(gf[j][1]))
				}
			}
		}
	}
}

func names(ss []infoSec) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Name)
	}
	return out
}

// TestSlowlogInterop compares SLOWLOG replies: entries' shapes, arguments
// (trimmed the same way) and the error and help texts.
func TestSlowlogInterop(t *testing.T) {
	want, got := obsPair(t)
	long := strings.Repeat("x", 300)
	many := []string{"RPUSH", "l"}
	for i := 0; i < 40; i++ {
		many = append(many, "e")
	}
	for _, cmd := range [][]string{
		{"CONFIG", "SET", "slowlog-log-slower-than", "0"}, {"SET", "k", long}, many, {"CLIENT", "SETNAME", "obs"},
	} {
		both(t, want, got, cmd...)
	}
	w, g := both(t, want, got, "SLOWLOG", "GET", "-1")
	if len(w.Elems) != len(g.Elems) {
		t.Fatalf("SLOWLOG GET: %d entries, embedis %d", len(w.Elems), len(g.Elems))
	}
	for i := range w.Elems {
		we, ge := w.Elems[i], g.Elems[i]
		if len(we.Elems) != 6 || len(ge.Elems) != 6 {
			t.Fatalf("entry %d: %s / %s", i, we, ge)
		}
		for _, j := range []int{0, 3, 5} { // id, arguments, client name
			if !we.Elems[j].Equal(ge.Elems[j]) {
				t.Errorf("entry %d field %d: redis %s, embedis %s", i, j, we.Elems[j], ge.Elems[j])
			}
		}
		for _, j := range []int{1, 2, 4} {
			if we.Elems[j].Kind != ge.Elems[j].Kind {
				t.Errorf("entry %d field %d kind: redis %s, embedis %s", i, j, we.Elems[j], ge.Elems[j])
			}
		}
	}
	for _, cmd := range [][]string{
		{"SLOWLOG", "LEN"}, {"SLOWLOG", "GET", "-2"}, {"SLOWLOG", "GET", "x"}, {"SLOWLOG", "GET", "1", "2"},
		{"SLOWLOG", "HELP"}, {"SLOWLOG", "NOPE"}, {"SLOWLOG", "RESET"}, {"SLOWLOG", "LEN"},
		{"CONFIG", "SET", "slowlog-max-len", "1"}, {"SLOWLOG", "LEN"},
	} {
		if w, g := both(t, want, got, cmd...); !w.Equal(g) {
			t.Errorf("%q: redis %s, embedis %s", cmd, w, g)
		}
	}
}

// TestLatencyInterop compares the LATENCY replies that do not depend on
// timing.
func TestLatencyInterop(t *testing.T) {
	want, got := obsPair(t)
	for _, cmd := range [][]string{
		{"LATENCY", "HELP"}, {"LATENCY", "LATEST"}, {"LATENCY", "HISTORY", "command"},
		{"LATENCY", "GRAPH", "command"}, {"LATENCY", "RESET"}, {"LATENCY", "RESET", "command", "x"},
		{"LATENCY", "HISTORY"}, {"LATENCY", "NOPE"}, {"LATENCY", "HISTOGRAM", "nosuch"},
		{"CONFIG", "SET", "latency-monitor-threshold", "100"}, {"LATENCY", "LATEST"},
	} {
		if w, g := both(t, want, got, cmd...); !w.Equal(g) {
			t.Errorf("%q: redis %s, embedis %s", cmd, w, g)
		}
	}
	both(t, want, got, "SET", "a", "b")
	w, g := both(t, want, got, "LATENCY", "HISTOGRAM", "set")
	if len(w.Elems) != 2 || len(g.Elems) != 2 || !w.Elems[0].Equal(g.Elems[0]) || len(g.Elems[1].Elems) != 4 {
		t.Errorf("HISTOGRAM set: redis %s, embedis %s", w, g)
	}
}

// TestClientListInterop compares CLIENT LIST and CLIENT INFO field names,
// in order, and the flags of a client in MULTI.
func TestClientListInterop(t *testing.T) {
	want, got := obsPair(t)
	fields := func(line string) []string {
		var out []string
		for _, f := range strings.Fields(line) {
			out = append(out, f[:strings.IndexByte(f, '=')])
		}
		return out
	}
	for _, cmd := range [][]string{{"CLIENT", "LIST"}, {"CLIENT", "INFO"}, {"CLIENT", "LIST", "TYPE", "normal"}} {
		w, g := both(t, want, got, cmd...)
		if wf, gf := strings.Join(fields(w.Text), " "), strings.Join(fields(g.Text), " "); wf != gf {
			t.Errorf("%q fields:\nredis   %s\nembedis %s", cmd, wf, gf)
		}
	}
	both(t, want, got, "MULTI")
	both(t, want, got, "SET", "a", "b")
	w, g := both(t, want, got, "CLIENT", "INFO")
	pick := func(line, name string) string {
		for _, f := range strings.Fields(line) {
			if strings.HasPrefix(f, name+"=") {
				return f
			}
		}
		return ""
	}
	for _, name := range []string{"flags", "multi", "cmd", "db", "name"} {
		if pick(w.Text, name) != pick(g.Text, name) {
			t.Errorf("in MULTI %s: redis %s, embedis %s", name, pick(w.Text, name), pick(g.Text, name))
		}
	}
	both(t, want, got, "DISCARD")
	for _, cmd := range [][]string{{"CLIENT", "LIST", "TYPE", "nope"}, {"CLIENT", "LIST", "ID", "x"}, {"CLIENT", "KILL", "ID", "999999"}, {"CLIENT", "KILL", "1.2.3.4:5"}} {
		if w, g := both(t, want, got, cmd...); !w.Equal(g) {
			t.Errorf("%q: redis %s, embedis %s", cmd, w, g)
		}
	}
}

// TestDebugObjectInterop compares DEBUG OBJECT's fields (all but the
// address and LRU clock) for values of each kind.
func TestDebugObjectInterop(t *testing.T) {
	want, err := redistest.Dial(redistest.StartWith(t, "--enable-debug-command", "yes"))
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()
	got, err := redistest.Dial(embedistest.Addr(t, embedistest.Open(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	for _, cmd := range [][]string{
		{"SET", "s", "hello"}, {"SET", "n", "12"}, {"SET", "big", strings.Repeat("abc", 100)},
		{"HSET", "h", "a", "1"}, {"SADD", "set", "1", "2"}, {"ZADD", "z", "1", "a"},
	} {
		both(t, want, got, cmd...)
	}
	strip := func(line string) []string {
		var out []string
		for _, f := range strings.Fields(line) {
			if !strings.HasPrefix(f, "at:") && !strings.HasPrefix(f, "lru:") && f != "Value" {
				out = append(out, f)
			}
		}
		sort.Strings(out)
		return out
	}
	for _, k := range []string{"s", "n", "big", "h", "set", "z", "nokey"} {
		w, g := both(t, want, got, "DEBUG", "OBJECT", k)
		if ws, gs := strings.Join(strip(w.Text), " "), strings.Join(strip(g.Text), " "); ws != gs || w.Kind != g.Kind {
			t.Errorf("DEBUG OBJECT %s:\nredis   %s\nembedis %s", k, w, g)
		}
	}
}

// TestClientListWithoutConnection: CLIENT LIST through Do answers, as it
// changes nothing.
func TestClientListWithoutConnection(t *testing.T) {
	s := embedistest.Open(t)
	v, err := s.Do(t.Context(), "CLIENT", "LIST")
	if err != nil || v.Kind() == embedis.KindError {
		t.Fatalf("CLIENT LIST: %v %v", v, err)
	}
}

// infoSec is an INFO section in order: its title and name/value pairs.
type infoSec struct {
	Name   string
	Fields [][2]string
}

// parseInfoText splits INFO text into its sections, keeping order.
func parseInfoText(text string) []infoSec {
	var out []infoSec
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		switch {
		case strings.HasPrefix(line, "# "):
			out = append(out, infoSec{Name: line[2:]})
		case len(out) > 0 && strings.Contains(line, ":"):
			i := strings.IndexByte(line, ':')
			out[len(out)-1].Fields = append(out[len(out)-1].Fields, [2]string{line[:i], line[i+1:]})
		}
	}
	return out
}

// sortedFields returns fields sorted by name, without those whose name
// ends with _skip.
func sortedFields(fs [][2]string, skip string) [][2]string {
	var out [][2]string
	for _, f := range fs {
		if !strings.HasSuffix(f[0], "_"+skip) {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}
