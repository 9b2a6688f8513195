package embedis

import (
	"context"
	"strings"
	"testing"
)

func TestConfigGetSet(t *testing.T) {
	ts := newTestStore(t, func(o *Options) { o.Databases = 4; o.Hz = 20 })
	ts.expect(MapValue(BulkValue("hz"), BulkValue("20")), "CONFIG", "GET", "hz")
	ts.expect(MapValue(BulkValue("HZ"), BulkValue("20")), "CONFIG", "GET", "HZ")
	ts.expect(MapValue(BulkValue("databases"), BulkValue("4")), "CONFIG", "GET", "databases")
	ts.expect(MapValue(), "CONFIG", "GET", "nosuch")
	ts.expect(MapValue(BulkValue("hz"), BulkValue("20")), "CONFIG", "GET", "h?", "hz")
	v := ts.do("CONFIG", "GET", "*")
	if v.Len() != len(configDefaults) {
		t.Fatalf("CONFIG GET * has %d parameters, want %d", v.Len(), len(configDefaults))
	}
	ts.expect(okValue, "CONFIG", "SET", "hz", "1000", "maxmemory", "1mb")
	ts.expect(MapValue(BulkValue("hz"), BulkValue("500")), "CONFIG", "GET", "hz")
	ts.expect(MapValue(BulkValue("maxmemory"), BulkValue("1048576")), "CONFIG", "GET", "maxmemory")
	ts.expectErr("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer", "CONFIG", "SET", "hz", "x")
	ts.expectErr("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config", "CONFIG", "SET", "databases", "3")
	ts.expectErr("ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter", "CONFIG", "SET", "hz", "1", "hz", "2")
	ts.expectErr("ERR Unknown option or number of arguments for CONFIG SET - 'foo'", "CONFIG", "SET", "hz", "11", "foo", "1")
	ts.expect(MapValue(BulkValue("hz"), BulkValue("500")), "CONFIG", "GET", "hz") // nothing applied
	ts.expectErr("ERR syntax error", "CONFIG", "SET", "hz", "1", "maxmemory")
	ts.expectErr("ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction",
		"CONFIG", "SET", "maxmemory-policy", "foo")
	ts.expect(okValue, "CONFIG", "SET", "activedefrag", "YES")
	ts.expect(MapValue(BulkValue("activedefrag"), BulkValue("yes")), "CONFIG", "GET", "activedefrag")
}

func TestConfigRequirepass(t *testing.T) {
	ts := newTestStore(t)
	old := dialRaw(t, ts.Store) // connected before the password: stays authenticated
	old.roundTrip("CONFIG SET requirepass secret\r\n", "+OK\r\n")
	rc := dialRaw(t, ts.Store)
	rc.roundTrip("PING\r\n", "-NOAUTH Authentication required.\r\n")
	rc.roundTrip("AUTH secret\r\n", "+OK\r\n")
	old.roundTrip("PING\r\n", "+PONG\r\n")
	old.roundTrip("CONFIG SET requirepass \"\"\r\n", "+OK\r\n")
	rc2 := dialRaw(t, ts.Store)
	rc2.roundTrip("PING\r\n", "+PONG\r\n")
}

func TestInfo(t *testing.T) {
	ts := newTestStore(t)
	ts.do("SET", "a", "1")
	ts.do("SET", "b", "2", "PX", "100000")
	info := ts.do("INFO", "keyspace")
	if info.Kind() != KindVerbatim || info.Str() != "# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\n" {
		t.Fatalf("INFO keyspace = %q (%s)", info.Str(), info.Kind())
	}
	all := ts.do("INFO").Str()
	for _, want := range []string{"# Server\r\nredis_version:7.0.15\r\n", "\r\n\r\n# Clients\r\nconnected_clients:", "# Stats\r\n", "keyspace_hits:", "# Keyspace\r\ndb0:keys=2"} {
		if !strings.Contains(all, want) {
			t.Errorf("INFO lacks %q", want)
		}
	}
	if s := ts.do("INFO", "keyspace", "server").Str(); !strings.HasPrefix(s, "# Server\r\n") || !strings.Contains(s, "\r\n\r\n# Keyspace\r\n") {
		t.Errorf("INFO keyspace server = %q", s)
	}
	ts.expect(VerbatimValue("txt", ""), "INFO", "nosuch")
}

func TestCommandIntrospection(t *testing.T) {
	ts := newTestStore(t)
	ts.expect(IntValue(int64(len(commands))), "COMMAND", "COUNT")
	ts.expect(ArrayValue(BulkValue("a")), "COMMAND", "GETKEYS", "get", "a")
	ts.expectErr("ERR Invalid command specified", "COMMAND", "GETKEYS", "nosuch", "a")
	ts.expectErr("ERR Invalid number of arguments specified for command", "COMMAND", "GETKEYS", "get", "a", "b")
	ts.expectErr("ERR The command has no key arguments", "COMMAND", "GETKEYS", "echo", "a")
	info := ts.do("COMMAND", "INFO", "get", "nosuch", "client")
	e := info.Elems()
	if len(e) != 3 || e[0].Elems()[0].Str() != "get" || !e[1].IsNull() || e[2].Elems()[9].Len() != len(commands["client"].subcommands) {
		t.Fatalf("COMMAND INFO = %v", info)
	}
	list := ts.do("COMMAND", "LIST", "FILTERBY", "pattern", "client|s*")
	if list.Len() != 1 || list.Elems()[0].Str() != "client|setname" {
		t.Fatalf("COMMAND LIST FILTERBY pattern = %v", list)
	}
	ts.expectErr("ERR syntax error", "COMMAND", "LIST", "FILTERBY", "foo", "bar")
	if docs := ts.do("COMMAND", "DOCS", "get"); docs.Len() != 1 {
		t.Fatalf("COMMAND DOCS get = %v", docs)
	}
	if all := ts.do("COMMAND"); all.Len() != len(commands) {
		t.Fatalf("COMMAND has %d rows", all.Len())
	}
}

func TestDebug(t *testing.T) {
	ts := newTestStore(t)
	ts.do("SET", "n", "12")
	v := ts.do("DEBUG", "OBJECT", "n")
	if !strings.Contains(v.Str(), " encoding:int ") {
		t.Fatalf("DEBUG OBJECT = %v", v)
	}
	ts.expectErr("ERR no such key", "DEBUG", "OBJECT", "nokey")
	ts.expect(okValue, "DEBUG", "SET-ACTIVE-EXPIRE", "0")
	ts.expect(okValue, "DEBUG", "SLEEP", "0")
	ts.expectErr("ERR unknown subcommand 'foo'. Try DEBUG HELP.", "DEBUG", "foo")
	if err := ts.onExecutor(context.Background(), func(s *Store) {
		if !s.admin.activeExpireOff {
			t.Error("active expiry still on")
		}
	}); err != nil {
		t.Fatal(err)
	}
}

func TestConfigGlob(t *testing.T) {
	for _, c := range []struct {
		pat, s string
		want   bool
	}{
		{"*", "", true}, {"h?", "hz", true}, {"h?", "h", false}, {"H*", "hz", true},
		{"[a-c]x", "bx", true}, {"[^a-c]x", "bx", false}, {"[\\]]", "]", true},
		{"a\\*", "a*", true}, {"a\\*", "ab", false}, {"*-max-*", "hash-max-listpack", true},
	} {
		if got := configGlobMatch(c.pat, c.s, true); got != c.want {
			t.Errorf("match(%q, %q) = %v", c.pat, c.s, got)
		}
	}
}
