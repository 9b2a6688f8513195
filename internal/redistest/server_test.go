package redistest

import (
	"bufio"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestStartStops(t *testing.T) {
	var addr string
	t.Run("server", func(t *testing.T) {
		addr = Start(t)
		c, err := Dial(addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		r, err := c.Do("SET", "k", "v")
		if err != nil || !r.Equal(Reply{Kind: Simple, Text: "OK"}) {
			t.Fatalf("SET: %s, %v", r, err)
		}
		// Persistence is off.
		r, err = c.Do("CONFIG", "GET", "save")
		want := array(bulk("save"), bulk(""))
		if err != nil || !r.Equal(want) {
			t.Errorf("CONFIG GET save: %s, %v; want %s", r, err, want)
		}
	})
	if addr == "" {
		return // skipped: no redis-server
	}
	// The cleanup has killed and reaped the server: its port is closed.
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Errorf("redis-server at %s still accepts connections after cleanup", addr)
	}
}

// TestReadRealReplies reads every RESP3 type from a real server (DEBUG
// PROTOCOL sends one of each) and the RESP2 forms of the same replies.
func TestReadRealReplies(t *testing.T) {
	addr := StartWith(t, "--enable-debug-command", "local")
	c, err := Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	resp3 := map[string]Kind{
		"string": Bulk, "integer": Integer, "double": Double, "bignum": BigNumber,
		"null": Null, "array": Array, "set": Set, "map": Map, "attrib": Bulk,
		"push": Push, "verbatim": Verbatim, "true": Boolean, "false": Boolean,
	}
	resp2 := map[string]Kind{
		"string": Bulk, "integer": Integer, "double": Bulk, "bignum": Bulk,
		"null": NullBulk, "array": Array, "set": Array, "map": Array, "attrib": Bulk,
		"verbatim": Bulk, "true": Integer, "false": Integer,
	}
	check := func(proto int, kinds map[string]Kind) {
		for typ, kind := range kinds {
			r, err := c.Do("DEBUG", "PROTOCOL", typ)
			if err != nil {
				t.Fatalf("RESP%d DEBUG PROTOCOL %s: %v", proto, typ, err)
			}
			if typ == "push" {
				// The push comes first, then the command's own reply.
				next, err := c.Read()
				if err != nil {
					t.Fatalf("RESP%d DEBUG PROTOCOL push: reply after the push: %v", proto, err)
				}
				if next.Kind != Bulk {
					t.Errorf("RESP%d DEBUG PROTOCOL push: reply after the push is %s", proto, next)
				}
			}
			if r.Kind != kind {
				t.Errorf("RESP%d DEBUG PROTOCOL %s: kind %s, want %s: %s", proto, typ, r.Kind, kind, r)
			}
			if typ == "attrib" && proto == 3 && len(r.Attrs) != 2 {
				t.Errorf("RESP3 DEBUG PROTOCOL attrib: attributes %v", r.Attrs)
			}
			if c.Buffered() != 0 {
				t.Fatalf("RESP%d DEBUG PROTOCOL %s: %d bytes left over", proto, typ, c.Buffered())
			}
		}
	}
	check(2, resp2)
	if r, err := c.Do("HELLO", "3"); err != nil || r.Kind != Map {
		t.Fatalf("HELLO 3: %s, %v", r, err)
	}
	check(3, resp3)
}

// scripts parses every testdata/diff script.
func scripts(t *testing.T) []*Script {
	t.Helper()
	files, err := filepath.Glob("../../testdata/diff/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []*Script
	for _, f := range files {
		sc, err := ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sc)
	}
	return out
}

func dialSide(t *testing.T, name, addr string) Side {
	t.Helper()
	c, err := Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return Side{Name: name, Conn: c}
}

// TestRedisAgreesWithRedis runs every script against two real servers: any
// mismatch is a non-deterministic line that lacks a directive, or a fault
// of the runner. Each run gets fresh servers, as in TestDiff, so a script
// that changes the configuration cannot affect the next one.
func TestRedisAgreesWithRedis(t *testing.T) {
	for _, sc := range scripts(t) {
		for _, proto := range []int{2, 3} {
			t.Run(fmt.Sprintf("%s/RESP%d", sc.Name, proto), func(t *testing.T) {
				a, b := Start(t), Start(t)
				ms, err := Run(sc, proto, dialSide(t, "redis-a", a), dialSide(t, "redis-b", b))
				for _, m := range ms {
					t.Error(m)
				}
				if err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// encodeRESP writes a reply back onto the wire, for the fake server below.
func encodeRESP(b *strings.Builder, r Reply) {
	if len(r.Attrs) > 0 {
		fmt.Fprintf(b, "|%d\r\n", len(r.Attrs)/2)
		for _, a := range r.Attrs {
			encodeRESP(b, a)
		}
	}
	switch r.Kind {
	case Simple:
		b.WriteString("+" + r.Text + "\r\n")
	case Error:
		b.WriteString("-" + r.Text + "\r\n")
	case Integer:
		b.WriteString(":" + r.Text + "\r\n")
	case Double:
		b.WriteString("," + r.Text + "\r\n")
	case BigNumber:
		b.WriteString("(" + r.Text + "\r\n")
	case Boolean:
		b.WriteString("#" + r.Text + "\r\n")
	case Null:
		b.WriteString("_\r\n")
	case NullBulk:
		b.WriteString("$-1\r\n")
	case NullArray:
		b.WriteString("*-1\r\n")
	case Bulk:
		fmt.Fprintf(b, "$%d\r\n%s\r\n", len(r.Text), r.Text)
	case BlobError:
		fmt.Fprintf(b, "!%d\r\n%s\r\n", len(r.Text), r.Text)
	case Verbatim:
		fmt.Fprintf(b, "=%d\r\n%s:%s\r\n", len(r.Text)+4, r.Format, r.Text)
	case Array, Set, Push, Map:
		n := len(r.Elems)
		if r.Kind == Map {
			n /= 2
		}
		fmt.Fprintf(b, "%c%d\r\n", map[Kind]byte{Array: '*', Set: '~', Push: '>', Map: '%'}[r.Kind], n)
		for _, e := range r.Elems {
			encodeRESP(b, e)
		}
	}
}

// fakeServer serves one connection by forwarding each command to a real
// server and sending back its reply, after alter has had its way with it.
func fakeServer(t *testing.T, upstream string, alter func(args []string, r Reply) Reply) *Conn {
	t.Helper()
	up, err := Dial(upstream)
	if err != nil {
		t.Fatal(err)
	}
	client, server := net.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer up.Close()
		br := bufio.NewReader(server)
		for {
			cmd, err := ReadReply(br)
			if err != nil {
				return // the client closed the pipe
			}
			args := make([]string, len(cmd.Elems))
			for i, e := range cmd.Elems {
				args[i] = e.Text
			}
			r, err := up.Do(args...)
			if err != nil {
				r = Reply{Kind: Error, Text: "ERR upstream: " + err.Error()}
			}
			var b strings.Builder
			encodeRESP(&b, alter(args, r))
			if _, err := server.Write([]byte(b.String())); err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		client.Close()
		<-done
		server.Close()
	})
	return NewConn(client)
}

// TestRunCatchesWrongReplies checks the runner against a server that is
// wrong on purpose in the ways a RESP server can be subtly wrong.
func TestRunCatchesWrongReplies(t *testing.T) {
	// Each side has its own server: the fake forwards to a second one.
	addr, upstream := Start(t), Start(t)
	script := strings.Join([]string{
		"SET k v",             // 1: +OK sent as a bulk string
		"GET missing",         // 2: RESP2 null bulk sent as null array
		"GET k",               // 3: right
		"INCR n",              // 4: off by one
		"!approx 1 INCR n",    // 5: off by one, allowed
		"RPUSH l a b c",       // 6: right
		"LRANGE l 0 -1",       // 7: order reversed
		"!sort LRANGE l 0 -1", // 8: order reversed, allowed
		"INCR k",              // 9: error text changed
		"!kind GET k",         // 10: text changed, allowed
		"!resp3 HSET h f v",   // 11: right, RESP3 only
		"!resp3 HGETALL h",    // 12: map sent as an array in RESP3
		"!resp2 GET nope",     // 13: RESP2 only, right
	}, "\n")
	sc, err := ParseScript("wrong.txt", script)
	if err != nil {
		t.Fatal(err)
	}
	reverse := func(r Reply) Reply {
		e := make([]Reply, len(r.Elems))
		for i := range e {
			e[i] = r.Elems[len(e)-1-i]
		}
		r.Elems = e
		return r
	}
	alter := func(args []string, r Reply) Reply {
		switch strings.Join(args, " ") {
		case "SET k v":
			return Reply{Kind: Bulk, Text: r.Text}
		case "GET missing":
			if r.Kind == NullBulk {
				return Reply{Kind: NullArray}
			}
		case "INCR n":
			n, _ := strconv.Atoi(r.Text)
			return Reply{Kind: Integer, Text: strconv.Itoa(n + 1)}
		case "LRANGE l 0 -1":
			return reverse(r)
		case "INCR k":
			return Reply{Kind: Error, Text: strings.ToUpper(r.Text)}
		case "HGETALL h":
			r.Kind = Array
			return r
		}
		return r
	}
	// Line 10 (!kind GET k) runs after INCR k failed, so GET k still
	// returns "v": make the second GET k differ in text only.
	gets := 0
	alter2 := func(args []string, r Reply) Reply {
		if strings.Join(args, " ") == "GET k" {
			gets++
			if gets == 2 {
				return Reply{Kind: Bulk, Text: "other"}
			}
		}
		return alter(args, r)
	}
	wantLines := map[int][]int{2: {1, 2, 4, 7, 9}, 3: {1, 4, 7, 9, 12}}
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			gets = 0
			want := dialSide(t, "redis", addr)
			got := Side{Name: "fake", Conn: fakeServer(t, upstream, alter2)}
			ms, err := Run(sc, proto, want, got)
			if err != nil {
				t.Fatal(err)
			}
			var lines []int
			for _, m := range ms {
				lines = append(lines, m.Line.No)
				if !strings.HasPrefix(m.String(), fmt.Sprintf("wrong.txt:%d (RESP%d): ", m.Line.No, proto)) {
					t.Errorf("report does not start with the position: %s", m)
				}
			}
			if fmt.Sprint(lines) != fmt.Sprint(wantLines[proto]) {
				t.Errorf("mismatches on lines %v, want %v; reports:", lines, wantLines[proto])
				for _, m := range ms {
					t.Log(m)
				}
			}
		})
	}
}
