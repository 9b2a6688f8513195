package embedis

import (
	"context"
	"strconv"
	"testing"
)

// geoRender renders a reply as the test tables write it (Value.String),
// after giving it the shape a RESP2 connection receives when resp2: doubles
// become bulk strings and maps flat arrays, as the wire writer sends them.
func geoRender(v Value, resp2 bool) string {
	if resp2 {
		v = geoAsRESP2(v)
	}
	return v.String()
}

func geoAsRESP2(v Value) Value {
	switch v.kind {
	case KindDouble:
		return BulkValue(v.Str())
	case KindArray, KindSet, KindMap, KindPush:
		elems := make([]Value, len(v.elems))
		for i, e := range v.elems {
			elems[i] = geoAsRESP2(e)
		}
		return ArrayValue(elems...)
	}
	return v
}

// geoDo runs a command as a client of the given protocol (2 or 3), on the
// executor, as a wire connection would.
func (ts *testStore) geoDo(proto int, args ...string) Value {
	ts.t.Helper()
	var v Value
	cl := &client{db: 0, proto: proto}
	if err := ts.onExecutor(context.Background(), func(s *Store) { v = s.dispatch(cl, args) }); err != nil {
		ts.t.Fatalf("%v: %v", args, err)
	}
	return v
}

// geoGolden is a session of geo commands and the replies redis-server
// 7.0.15 gave to each, recorded with a RESP3 connection and again with a
// RESP2 one (resp2 is "" where both render the same), rendered as
// Value.String renders replies. Every command, every option and every
// error path of the group is here; later commands depend on the state the
// earlier ones leave.
var geoGolden = []struct {
	args         []string
	resp3, resp2 string
}{
	{[]string{"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"}, "(integer) 2", ""},
	{[]string{"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo"}, "(integer) 0", ""},
	{[]string{"GEOADD", "Sicily", "CH", "13.361389", "38.115557", "Palermo", "12.5", "37.8", "Marsala"}, "(integer) 1", ""},
	{[]string{"GEOADD", "Sicily", "NX", "13.0", "38.0", "Palermo", "14.0", "37.0", "Gela"}, "(integer) 1", ""},
	{[]string{"GEOADD", "Sicily", "XX", "13.361389", "38.115556", "Palermo", "15.5", "37.1", "Siracusa"}, "(integer) 0", ""},
	{[]string{"GEOADD", "Sicily", "XX", "CH", "13.361389", "38.115556", "Palermo"}, "(integer) 0", ""},
	{[]string{"GEOADD", "Sicily", "NX", "XX", "1", "2", "x"}, "(error) ERR syntax error", ""},
	{[]string{"GEOADD", "Sicily", "GT", "1", "2", "x"}, "(error) ERR syntax error", ""},
	{[]string{"GEOADD", "Sicily", "1", "2", "x", "3"}, "(error) ERR syntax error", ""},
	{[]string{"GEOADD", "Sicily", "1", "2"}, "(error) ERR wrong number of arguments for 'geoadd' command", ""},
	{[]string{"GEOADD", "Sicily", "CH"}, "(error) ERR wrong number of arguments for 'geoadd' command", ""},
	{[]string{"GEOADD", "Sicily", "12", "100", "x"}, "(error) ERR invalid longitude,latitude pair 12.000000,100.000000", ""},
	{[]string{"GEOADD", "Sicily", "181", "0", "x"}, "(error) ERR invalid longitude,latitude pair 181.000000,0.000000", ""},
	{[]string{"GEOADD", "Sicily", "-180.5", "0", "x"}, "(error) ERR invalid longitude,latitude pair -180.500000,0.000000", ""},
	{[]string{"GEOADD", "Sicily", "0", "-85.06", "x"}, "(error) ERR invalid longitude,latitude pair 0.000000,-85.060000", ""},
	{[]string{"GEOADD", "Sicily", "inf", "0", "x"}, "(error) ERR invalid longitude,latitude pair inf,0.000000", ""},
	{[]string{"GEOADD", "Sicily", "1", "2", "ok", "200", "2", "bad"}, "(error) ERR invalid longitude,latitude pair 200.000000,2.000000", ""},
	{[]string{"GEOADD", "Sicily", "abc", "2", "x"}, "(error) ERR value is not a valid float", ""},
	{[]string{"GEOADD", "Sicily", "1", "nan", "x"}, "(error) ERR value is not a valid float", ""},
	{[]string{"ZCARD", "Sicily"}, "(integer) 4", ""},
	{[]string{"SET", "str", "hello"}, "OK", ""},
	{[]string{"GEOADD", "str", "1", "2", "x"}, "(error) WRONGTYPE Operation against a key holding the wrong kind of value", ""},
	{[]string{"GEOADD", "str", "1", "200", "x"}, "(error) ERR invalid longitude,latitude pair 1.000000,200.000000", ""},
	{[]string{"GEOADD", "edges", "180", "85.05112878", "ne", "-180", "-85.05112878", "sw", "0", "0", "origin"}, "(integer) 3", ""},
	{[]string{"ZRANGE", "edges", "0", "-1", "WITHSCORES"}, `1) 1) "sw"
   2) (double) 0
2) 1) "origin"
   2) (double) 3377699720527872
3) 1) "ne"
   2) (double) 13510798882111488`, `1) "sw"
2) "0"
3) "origin"
4) "3377699720527872"
5) "ne"
6) "13510798882111488"`},
	{[]string{"GEOPOS", "edges", "ne", "sw", "origin"}, `1) 1) (double) 180
   2) (double) 85.0511287799999991
2) 1) (double) -179.99999731779098511
   2) (double) -85.05112751263942528
3) 1) (double) 0.00000268220901489
   2) (double) 0.00000126736058093`, `1) 1) "180"
   2) "85.0511287799999991"
2) 1) "-179.99999731779098511"
   2) "-85.05112751263942528"
3) 1) "0.00000268220901489"
   2) "0.00000126736058093"`},
	{[]string{"GEOHASH", "edges", "ne", "sw", "origin"}, `1) "bp05b5048p0"
2) "00bh0hbj200"
3) "s0000000000"`, ""},
	{[]string{"GEOPOS", "Sicily", "Palermo", "Catania", "nosuch"}, `1) 1) (double) 13.36138933897018433
   2) (double) 38.11555639549629859
2) 1) (double) 15.08726745843887329
   2) (double) 37.50266842333162032
3) (nil)`, `1) 1) "13.36138933897018433"
   2) "38.11555639549629859"
2) 1) "15.08726745843887329"
   2) "37.50266842333162032"
3) (nil)`},
	{[]string{"GEOPOS", "Sicily"}, "(empty array)", ""},
	{[]string{"GEOPOS", "nokey", "a", "b"}, `1) (nil)
2) (nil)`, ""},
	{[]string{"GEOPOS", "str", "a"}, "(error) WRONGTYPE Operation against a key holding the wrong kind of value", ""},
	{[]string{"GEOPOS"}, "(error) ERR wrong number of arguments for 'geopos' command", ""},
	{[]string{"GEOHASH", "Sicily", "Palermo", "Catania", "nosuch"}, `1) "sqc8b49rny0"
2) "sqdtr74hyu0"
3) (nil)`, ""},
	{[]string{"GEOHASH", "Sicily"}, "(empty array)", ""},
	{[]string{"GEOHASH", "nokey", "a"}, "1) (nil)", ""},
	{[]string{"GEOHASH", "str", "a"}, "(error) WRONGTYPE Operation against a key holding the wrong kind of value", ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania"}, `"166274.1516"`, ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "m"}, `"166274.1516"`, ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "km"}, `"166.2742"`, ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "KM"}, `"166.2742"`, ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "mi"}, `"103.3182"`, ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "ft"}, `"545518.8700"`, ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Palermo"}, `"0.0000"`, ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "nosuch"}, "(nil)", ""},
	{[]string{"GEODIST", "Sicily", "nosuch", "Palermo", "km"}, "(nil)", ""},
	{[]string{"GEODIST", "nokey", "a", "b"}, "(nil)", ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "parsec"}, "(error) ERR unsupported unit provided. please use M, KM, FT, MI", ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "km", "extra"}, "(error) ERR syntax error", ""},
	{[]string{"GEODIST", "str", "a", "b"}, "(error) WRONGTYPE Operation against a key holding the wrong kind of value", ""},
	{[]string{"GEODIST", "str", "a", "b", "parsec"}, "(error) ERR unsupported unit provided. please use M, KM, FT, MI", ""},
	{[]string{"GEODIST", "Sicily", "Palermo"}, "(error) ERR wrong number of arguments for 'geodist' command", ""},
	{[]string{"ZADD", "plain", "9007199254740991", "big", "-5", "neg", "1e300", "huge"}, "(integer) 3", ""},
	{[]string{"GEOPOS", "plain", "big", "neg", "huge"}, `1) 1) (double) 179.99999731779098511
   2) (double) 85.0511287799999991
2) 1) (double) 180
   2) (double) 85.0511287799999991
3) 1) (double) -179.99999731779098511
   2) (double) -85.05112751263942528`, `1) 1) "179.99999731779098511"
   2) "85.0511287799999991"
2) 1) "180"
   2) "85.0511287799999991"
3) 1) "-179.99999731779098511"
   2) "-85.05112751263942528"`},
	{[]string{"GEOHASH", "plain", "big", "neg", "huge"}, `1) "zzpgzgpfxz0"
2) "bp05b5048p0"
3) "00bh0hbj200"`, ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km"}, `1) "Gela"
2) "Palermo"
3) "Catania"`, ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "ASC"}, `1) "Catania"
2) "Gela"
3) "Palermo"`, ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "DESC"}, `1) "Palermo"
2) "Gela"
3) "Catania"`, ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST"}, `1) 1) "Gela"
   2) "88.8287"
2) 1) "Palermo"
   2) "190.4424"
3) 1) "Catania"
   2) "56.4413"`, ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHCOORD"}, `1) 1) "Gela"
   2) 1) (double) 14.00000184774398804
      2) (double) 37.00000026605963654
2) 1) "Palermo"
   2) 1) (double) 13.36138933897018433
      2) (double) 38.11555639549629859
3) 1) "Catania"
   2) 1) (double) 15.08726745843887329
      2) (double) 37.50266842333162032`, `1) 1) "Gela"
   2) 1) "14.00000184774398804"
      2) "37.00000026605963654"
2) 1) "Palermo"
   2) 1) "13.36138933897018433"
      2) "38.11555639549629859"
3) 1) "Catania"
   2) 1) "15.08726745843887329"
      2) "37.50266842333162032"`},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHHASH"}, `1) 1) "Gela"
   2) (integer) 3476101302610854
2) 1) "Palermo"
   2) (integer) 3479099956230698
3) 1) "Catania"
   2) (integer) 3479447370796909`, ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "WITHCOORD", "WITHHASH", "ASC"}, `1) 1) "Catania"
   2) "56.4413"
   3) (integer) 3479447370796909
   4) 1) (double) 15.08726745843887329
      2) (double) 37.50266842333162032
2) 1) "Gela"
   2) "88.8287"
   3) (integer) 3476101302610854
   4) 1) (double) 14.00000184774398804
      2) (double) 37.00000026605963654
3) 1) "Palermo"
   2) "190.4424"
   3) (integer) 3479099956230698
   4) 1) (double) 13.36138933897018433
      2) (double) 38.11555639549629859`, `1) 1) "Catania"
   2) "56.4413"
   3) (integer) 3479447370796909
   4) 1) "15.08726745843887329"
      2) "37.50266842333162032"
2) 1) "Gela"
   2) "88.8287"
   3) (integer) 3476101302610854
   4) 1) "14.00000184774398804"
      2) "37.00000026605963654"
3) 1) "Palermo"
   2) "190.4424"
   3) (integer) 3479099956230698
   4) 1) "13.36138933897018433"
      2) "38.11555639549629859"`},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "2"}, `1) "Catania"
2) "Gela"`, ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "2", "DESC", "WITHDIST"}, `1) 1) "Palermo"
   2) "190.4424"
2) 1) "Gela"
   2) "88.8287"`, ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "1", "ANY"}, `1) "Gela"`, ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200000", "m", "WITHDIST", "ASC"}, `1) 1) "Catania"
   2) "56441.2579"
2) 1) "Gela"
   2) "88828.7002"
3) 1) "Palermo"
   2) "190442.4298"`, ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "124", "mi", "WITHDIST", "ASC"}, `1) 1) "Catania"
   2) "35.0711"
2) 1) "Gela"
   2) "55.1957"
3) 1) "Palermo"
   2) "118.3357"`, ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "656168", "ft", "WITHDIST", "ASC"}, `1) 1) "Catania"
   2) "185174.7305"
2) 1) "Gela"
   2) "291432.7434"
3) 1) "Palermo"
   2) "624811.1215"`, ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "0", "km"}, "(empty array)", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "1", "km"}, "(empty array)", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "ANY"}, "(error) ERR the ANY argument requires COUNT argument", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "0"}, "(error) ERR COUNT must be > 0", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "-3"}, "(error) ERR COUNT must be > 0", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "abc"}, "(error) ERR value is not an integer or out of range", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "99999999999999999999"}, "(error) ERR value is not an integer or out of range", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT"}, "(error) ERR syntax error", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "BOGUS"}, "(error) ERR syntax error", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "parsec"}, "(error) ERR unsupported unit provided. please use M, KM, FT, MI", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "abc", "km"}, "(error) ERR need numeric radius", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "-1", "km"}, "(error) ERR radius cannot be negative", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "nan", "km"}, "(error) ERR need numeric radius", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "100", "200", "km"}, "(error) ERR invalid longitude,latitude pair 15.000000,100.000000", ""},
	{[]string{"GEORADIUS", "Sicily", "abc", "37", "200", "km"}, "(error) ERR value is not a valid float", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "FROMMEMBER", "Palermo"}, "(error) ERR syntax error", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "BYRADIUS", "10", "km"}, "(error) ERR syntax error", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200"}, "(error) ERR wrong number of arguments for 'georadius' command", ""},
	{[]string{"GEORADIUS", "str", "15", "37", "200", "km"}, "(error) WRONGTYPE Operation against a key holding the wrong kind of value", ""},
	{[]string{"GEORADIUS", "str", "15", "37", "abc", "km"}, "(error) WRONGTYPE Operation against a key holding the wrong kind of value", ""},
	{[]string{"GEORADIUS", "nokey", "15", "37", "200", "km"}, "(empty array)", ""},
	{[]string{"GEORADIUS", "nokey", "15", "37", "abc", "km"}, "(error) ERR need numeric radius", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst"}, "(integer) 3", ""},
	{[]string{"ZRANGE", "dst", "0", "-1", "WITHSCORES"}, `1) 1) "Gela"
   2) (double) 3476101302610854
2) 1) "Palermo"
   2) (double) 3479099956230698
3) 1) "Catania"
   2) (double) 3479447370796909`, `1) "Gela"
2) "3476101302610854"
3) "Palermo"
4) "3479099956230698"
5) "Catania"
6) "3479447370796909"`},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "STOREDIST", "dst2"}, "(integer) 3", ""},
	{[]string{"ZRANGE", "dst2", "0", "-1", "WITHSCORES"}, `1) 1) "Catania"
   2) (double) 56.441257870158204
2) 1) "Gela"
   2) (double) 88.828700193395804
3) 1) "Palermo"
   2) (double) 190.44242984775784`, `1) "Catania"
2) "56.441257870158204"
3) "Gela"
4) "88.828700193395804"
5) "Palermo"
6) "190.44242984775784"`},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst3", "COUNT", "1", "DESC"}, "(integer) 1", ""},
	{[]string{"ZRANGE", "dst3", "0", "-1", "WITHSCORES"}, `1) 1) "Palermo"
   2) (double) 3479099956230698`, `1) "Palermo"
2) "3479099956230698"`},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst", "STOREDIST", "dst4"}, "(integer) 3", ""},
	{[]string{"EXISTS", "dst"}, "(integer) 1", ""},
	{[]string{"ZRANGE", "dst4", "0", "-1", "WITHSCORES"}, `1) 1) "Catania"
   2) (double) 56.441257870158204
2) 1) "Gela"
   2) (double) 88.828700193395804
3) 1) "Palermo"
   2) (double) 190.44242984775784`, `1) "Catania"
2) "56.441257870158204"
3) "Gela"
4) "88.828700193395804"
5) "Palermo"
6) "190.44242984775784"`},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst", "WITHDIST"}, "(error) ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE"}, "(error) ERR syntax error", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "1", "m", "STORE", "dst4"}, "(integer) 0", ""},
	{[]string{"EXISTS", "dst4"}, "(integer) 0", ""},
	{[]string{"SET", "strdst", "x"}, "OK", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "strdst"}, "(integer) 3", ""},
	{[]string{"TYPE", "strdst"}, "zset", ""},
	{[]string{"GEORADIUS", "nokey", "15", "37", "200", "km", "STORE", "dst3"}, "(integer) 0", ""},
	{[]string{"EXISTS", "dst3"}, "(integer) 0", ""},
	{[]string{"GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "WITHDIST", "ASC"}, `1) 1) "Catania"
   2) "56.4413"
2) 1) "Gela"
   2) "88.8287"
3) 1) "Palermo"
   2) "190.4424"`, ""},
	{[]string{"GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "STORE", "dst"}, "(error) ERR syntax error", ""},
	{[]string{"GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "STOREDIST", "dst"}, "(error) ERR syntax error", ""},
	{[]string{"GEORADIUS_RO", "str", "15", "37", "200", "km"}, "(error) WRONGTYPE Operation against a key holding the wrong kind of value", ""},
	{[]string{"GEORADIUS_RO", "Sicily", "15", "37"}, "(error) ERR wrong number of arguments for 'georadius_ro' command", ""},
	{[]string{"GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km"}, `1) "Marsala"
2) "Palermo"
3) "Catania"
4) "Gela"`, ""},
	{[]string{"GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "WITHDIST", "WITHCOORD", "ASC"}, `1) 1) "Palermo"
   2) "0.0000"
   3) 1) (double) 13.36138933897018433
      2) (double) 38.11555639549629859
2) 1) "Marsala"
   2) "83.2973"
   3) 1) (double) 12.49999791383743286
      2) (double) 37.79999881948555895
3) 1) "Gela"
   2) "136.2572"
   3) 1) (double) 14.00000184774398804
      2) (double) 37.00000026605963654
4) 1) "Catania"
   2) "166.2742"
   3) 1) (double) 15.08726745843887329
      2) (double) 37.50266842333162032`, `1) 1) "Palermo"
   2) "0.0000"
   3) 1) "13.36138933897018433"
      2) "38.11555639549629859"
2) 1) "Marsala"
   2) "83.2973"
   3) 1) "12.49999791383743286"
      2) "37.79999881948555895"
3) 1) "Gela"
   2) "136.2572"
   3) 1) "14.00000184774398804"
      2) "37.00000026605963654"
4) 1) "Catania"
   2) "166.2742"
   3) 1) "15.08726745843887329"
      2) "37.50266842333162032"`},
	{[]string{"GEORADIUSBYMEMBER", "Sicily", "Palermo", "100", "km", "COUNT", "1"}, `1) "Palermo"`, ""},
	{[]string{"GEORADIUSBYMEMBER", "Sicily", "nosuch", "200", "km"}, "(error) ERR could not decode requested zset member", ""},
	{[]string{"GEORADIUSBYMEMBER", "Sicily", "Palermo", "abc", "km"}, "(error) ERR need numeric radius", ""},
	{[]string{"GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "parsec"}, "(error) ERR unsupported unit provided. please use M, KM, FT, MI", ""},
	{[]string{"GEORADIUSBYMEMBER", "nokey", "nosuch", "200", "km"}, "(empty array)", ""},
	{[]string{"GEORADIUSBYMEMBER", "nokey", "nosuch", "abc", "parsec"}, "(empty array)", ""},
	{[]string{"GEORADIUSBYMEMBER", "nokey", "nosuch", "200", "km", "STORE", "dst"}, "(integer) 0", ""},
	{[]string{"GEORADIUSBYMEMBER", "str", "nosuch", "200", "km"}, "(error) WRONGTYPE Operation against a key holding the wrong kind of value", ""},
	{[]string{"GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "STOREDIST", "dst5", "ASC"}, "(integer) 4", ""},
	{[]string{"ZRANGE", "dst5", "0", "-1", "WITHSCORES"}, `1) 1) "Palermo"
   2) (double) 0
2) 1) "Marsala"
   2) (double) 83.297322452927489
3) 1) "Gela"
   2) (double) 136.257175267864
4) 1) "Catania"
   2) (double) 166.27415156960032`, `1) "Palermo"
2) "0"
3) "Marsala"
4) "83.297322452927489"
5) "Gela"
6) "136.257175267864"
7) "Catania"
8) "166.27415156960032"`},
	{[]string{"GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "STORE", "dst5", "WITHHASH"}, "(error) ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options", ""},
	{[]string{"GEORADIUSBYMEMBER", "Sicily", "Palermo", "200"}, "(error) ERR wrong number of arguments for 'georadiusbymember' command", ""},
	{[]string{"GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", "200", "km", "WITHHASH"}, `1) 1) "Marsala"
   2) (integer) 3478922452344708
2) 1) "Palermo"
   2) (integer) 3479099956230698
3) 1) "Catania"
   2) (integer) 3479447370796909
4) 1) "Gela"
   2) (integer) 3476101302610854`, ""},
	{[]string{"GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", "200", "km", "STORE", "dst"}, "(error) ERR syntax error", ""},
	{[]string{"GEORADIUSBYMEMBER_RO", "Sicily", "nosuch", "200", "km"}, "(error) ERR could not decode requested zset member", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"}, `1) "Gela"
2) "Palermo"
3) "Catania"`, ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC", "WITHDIST", "WITHCOORD", "WITHHASH"}, `1) 1) "Catania"
   2) "56.4413"
   3) (integer) 3479447370796909
   4) 1) (double) 15.08726745843887329
      2) (double) 37.50266842333162032
2) 1) "Gela"
   2) "88.8287"
   3) (integer) 3476101302610854
   4) 1) (double) 14.00000184774398804
      2) (double) 37.00000026605963654
3) 1) "Palermo"
   2) "190.4424"
   3) (integer) 3479099956230698
   4) 1) (double) 13.36138933897018433
      2) (double) 38.11555639549629859`, `1) 1) "Catania"
   2) "56.4413"
   3) (integer) 3479447370796909
   4) 1) "15.08726745843887329"
      2) "37.50266842333162032"
2) 1) "Gela"
   2) "88.8287"
   3) (integer) 3476101302610854
   4) 1) "14.00000184774398804"
      2) "37.00000026605963654"
3) 1) "Palermo"
   2) "190.4424"
   3) (integer) 3479099956230698
   4) 1) "13.36138933897018433"
      2) "38.11555639549629859"`},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "DESC"}, `1) "Catania"
2) "Gela"
3) "Marsala"
4) "Palermo"`, ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km", "ASC", "WITHDIST"}, `1) 1) "Palermo"
   2) "0.0000"
2) 1) "Marsala"
   2) "83.2973"
3) 1) "Gela"
   2) "136.2572"
4) 1) "Catania"
   2) "166.2742"`, ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "100", "km", "ASC"}, `1) "Gela"`, ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "100", "400", "km", "ASC"}, `1) "Catania"`, ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "250", "250", "mi", "COUNT", "2", "WITHDIST"}, `1) 1) "Catania"
   2) "35.0711"
2) 1) "Gela"
   2) "55.1957"`, ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "1", "ANY"}, `1) "Gela"`, ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "2", "ANY", "DESC"}, `1) "Palermo"
2) "Gela"`, ""},
	{[]string{"GEOSEARCH", "Sicily", "frommember", "Palermo", "byradius", "0", "m"}, `1) "Palermo"`, ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "FROMMEMBER", "Catania", "BYRADIUS", "10", "km"}, `1) "Catania"`, ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "BYRADIUS", "200", "km"}, `1) "Gela"
2) "Palermo"
3) "Catania"`, ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km"}, "(error) ERR syntax error", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"}, "(error) ERR syntax error", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "BYBOX", "1", "1", "km"}, "(error) ERR syntax error", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "1", "1", "km", "BYRADIUS", "200", "km"}, "(error) ERR syntax error", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "WITHDIST", "ASC"}, "(error) ERR exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCH", ""},
	{[]string{"GEOSEARCH", "Sicily", "BYRADIUS", "200", "km", "ASC", "DESC"}, "(error) ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH", ""},
	{[]string{"GEOSEARCH", "Sicily", "WITHDIST", "WITHHASH", "WITHCOORD", "ASC"}, "(error) ERR wrong number of arguments for 'geosearch' command", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ANY"}, "(error) ERR the ANY argument requires COUNT argument", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "0"}, "(error) ERR COUNT must be > 0", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "x"}, "(error) ERR value is not an integer or out of range", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "x", "km"}, "(error) ERR need numeric radius", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "-1", "km"}, "(error) ERR radius cannot be negative", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "parsec"}, "(error) ERR unsupported unit provided. please use M, KM, FT, MI", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "x", "1", "km"}, "(error) ERR need numeric width", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "1", "x", "km"}, "(error) ERR need numeric height", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "-1", "1", "km"}, "(error) ERR height or width cannot be negative", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "1", "-1", "km"}, "(error) ERR height or width cannot be negative", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "1", "1", "parsec"}, "(error) ERR unsupported unit provided. please use M, KM, FT, MI", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "1", "1"}, "(error) ERR syntax error", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "200", "37", "BYRADIUS", "1", "km"}, "(error) ERR invalid longitude,latitude pair 200.000000,37.000000", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "x", "37", "BYRADIUS", "1", "km"}, "(error) ERR value is not a valid float", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "x", "BYRADIUS", "1", "km"}, "(error) ERR value is not a valid float", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "nosuch", "BYRADIUS", "1", "km"}, "(error) ERR could not decode requested zset member", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STORE", "dst"}, "(error) ERR syntax error", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST"}, "(error) ERR syntax error", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "BOGUS"}, "(error) ERR syntax error", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200"}, "(error) ERR syntax error", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT"}, "(error) ERR syntax error", ""},
	{[]string{"GEOSEARCH", "nokey", "FROMMEMBER", "nosuch", "BYRADIUS", "1", "km"}, "(empty array)", ""},
	{[]string{"GEOSEARCH", "nokey", "FROMLONLAT", "15", "37", "BYBOX", "1", "1", "km", "WITHCOORD"}, "(empty array)", ""},
	{[]string{"GEOSEARCH", "nokey", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "ANY"}, "(error) ERR the ANY argument requires COUNT argument", ""},
	{[]string{"GEOSEARCH", "nokey", "FROMLONLAT", "15", "37", "BYRADIUS", "x", "km"}, "(error) ERR need numeric radius", ""},
	{[]string{"GEOSEARCH", "str", "FROMMEMBER", "nosuch", "BYRADIUS", "1", "km"}, "(error) WRONGTYPE Operation against a key holding the wrong kind of value", ""},
	{[]string{"GEOSEARCH", "str", "FROMMEMBER", "nosuch", "BYRADIUS", "x", "km"}, "(error) WRONGTYPE Operation against a key holding the wrong kind of value", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37"}, "(error) ERR wrong number of arguments for 'geosearch' command", ""},
	{[]string{"GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"}, "(integer) 3", ""},
	{[]string{"ZRANGE", "dst", "0", "-1", "WITHSCORES"}, `1) 1) "Gela"
   2) (double) 3476101302610854
2) 1) "Palermo"
   2) (double) 3479099956230698
3) 1) "Catania"
   2) (double) 3479447370796909`, `1) "Gela"
2) "3476101302610854"
3) "Palermo"
4) "3479099956230698"
5) "Catania"
6) "3479447370796909"`},
	{[]string{"GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST"}, "(integer) 3", ""},
	{[]string{"ZRANGE", "dst", "0", "-1", "WITHSCORES"}, `1) 1) "Catania"
   2) (double) 56.441257870158204
2) 1) "Gela"
   2) (double) 88.828700193395804
3) 1) "Palermo"
   2) (double) 190.44242984775784`, `1) "Catania"
2) "56.441257870158204"
3) "Gela"
4) "88.828700193395804"
5) "Palermo"
6) "190.44242984775784"`},
	{[]string{"GEOSEARCHSTORE", "dst", "Sicily", "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km", "DESC", "COUNT", "1", "STOREDIST"}, "(integer) 1", ""},
	{[]string{"ZRANGE", "dst", "0", "-1", "WITHSCORES"}, `1) 1) "Catania"
   2) (double) 166.27415156960032`, `1) "Catania"
2) "166.27415156960032"`},
	{[]string{"GEOSEARCHSTORE", "dst", "Sicily", "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km", "COUNT", "2", "ANY"}, "(integer) 2", ""},
	{[]string{"ZRANGE", "dst", "0", "-1", "WITHSCORES"}, `1) 1) "Marsala"
   2) (double) 3478922452344708
2) 1) "Palermo"
   2) (double) 3479099956230698`, `1) "Marsala"
2) "3478922452344708"
3) "Palermo"
4) "3479099956230698"`},
	{[]string{"GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"}, "(integer) 0", ""},
	{[]string{"EXISTS", "dst"}, "(integer) 0", ""},
	{[]string{"GEOSEARCHSTORE", "str", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"}, "(integer) 3", ""},
	{[]string{"TYPE", "str"}, "zset", ""},
	{[]string{"GEOSEARCHSTORE", "dst", "nokey", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"}, "(integer) 0", ""},
	{[]string{"GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHDIST"}, "(error) ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options", ""},
	{[]string{"GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STORE", "x"}, "(error) ERR syntax error", ""},
	{[]string{"GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHCOORD", "STOREDIST"}, "(error) ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options", ""},
	{[]string{"GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS"}, "(error) ERR wrong number of arguments for 'geosearchstore' command", ""},
	{[]string{"GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37"}, "(error) ERR wrong number of arguments for 'geosearchstore' command", ""},
	{[]string{"GEOSEARCHSTORE", "dst", "plain", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"}, "(integer) 0", ""},
	{[]string{"SET", "str", "hello"}, "OK", ""},
	{[]string{"GEOSEARCHSTORE", "dst", "str", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"}, "(error) WRONGTYPE Operation against a key holding the wrong kind of value", ""},
	{[]string{"GEOSEARCH", "plain", "FROMLONLAT", "180", "85", "BYRADIUS", "1000", "km", "WITHCOORD", "WITHHASH"}, "(empty array)", ""},
	{[]string{"ZADD", "Sicily", "0", "zero"}, "(integer) 1", ""},
	{[]string{"GEOPOS", "Sicily", "zero"}, `1) 1) (double) -179.99999731779098511
   2) (double) -85.05112751263942528`, `1) 1) "-179.99999731779098511"
   2) "-85.05112751263942528"`},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "zero", "BYRADIUS", "1", "km", "WITHCOORD"}, `1) 1) "zero"
   2) 1) (double) -179.99999731779098511
      2) (double) -85.05112751263942528`, `1) 1) "zero"
   2) 1) "-179.99999731779098511"
      2) "-85.05112751263942528"`},
	{[]string{"GEOADD", "world", "-0.1276", "51.5072", "London", "2.3522", "48.8566", "Paris", "139.6917", "35.6895", "Tokyo", "-122.4194", "37.7749", "SanFrancisco", "151.2093", "-33.8688", "Sydney", "-58.3816", "-34.6037", "BuenosAires", "179.9", "0", "EastEdge", "-179.9", "0", "WestEdge", "10", "84.9", "North", "-10", "-84.9", "South"}, "(integer) 10", ""},
	{[]string{"GEOSEARCH", "world", "FROMLONLAT", "0", "0", "BYRADIUS", "25000", "km"}, `1) "Paris"
2) "North"
3) "EastEdge"
4) "Tokyo"
5) "Sydney"
6) "WestEdge"
7) "SanFrancisco"
8) "London"
9) "South"
10) "BuenosAires"`, ""},
	{[]string{"GEOSEARCH", "world", "FROMLONLAT", "0", "0", "BYRADIUS", "25000", "km", "ASC", "WITHDIST"}, `1) 1) "Paris"
   2) "5438.8287"
2) 1) "London"
   2) "5728.9679"
3) 1) "BuenosAires"
   2) "7166.9871"
4) 1) "North"
   2) "9451.7530"
5) 1) "South"
   2) "9451.7530"
6) 1) "SanFrancisco"
   2) "12799.0271"
7) 1) "Tokyo"
   2) "14266.8984"
8) 1) "Sydney"
   2) "15203.7386"
9) 1) "EastEdge"
   2) "20009.6113"
10) 1) "WestEdge"
   2) "20009.6113"`, ""},
	{[]string{"GEOSEARCH", "world", "FROMLONLAT", "180", "0", "BYRADIUS", "100", "km", "WITHDIST"}, `1) 1) "EastEdge"
   2) "11.1227"`, ""},
	{[]string{"GEOSEARCH", "world", "FROMMEMBER", "EastEdge", "BYBOX", "50", "50", "km", "ASC"}, `1) "EastEdge"
2) "WestEdge"`, ""},
	{[]string{"GEOSEARCH", "world", "FROMLONLAT", "0", "85", "BYRADIUS", "1000", "km", "WITHDIST"}, `1) 1) "North"
   2) "98.4096"`, ""},
	{[]string{"GEOSEARCH", "world", "FROMLONLAT", "0", "-85", "BYBOX", "3000", "1000", "km", "WITHDIST"}, `1) 1) "South"
   2) "98.4096"`, ""},
	{[]string{"GEOSEARCH", "world", "FROMMEMBER", "London", "BYRADIUS", "1000", "km", "WITHDIST", "ASC"}, `1) 1) "London"
   2) "0.0000"
2) 1) "Paris"
   2) "343.6268"`, ""},
	{[]string{"GEOSEARCH", "world", "FROMMEMBER", "London", "BYRADIUS", "10000", "km", "COUNT", "3", "DESC", "WITHDIST"}, `1) 1) "Tokyo"
   2) "9561.4222"
2) 1) "SanFrancisco"
   2) "8618.8873"
3) 1) "North"
   2) "3724.1280"`, ""},
	{[]string{"GEOSEARCH", "world", "FROMLONLAT", "0", "0", "BYRADIUS", "inf", "km"}, `1) "Paris"
2) "North"
3) "EastEdge"
4) "Tokyo"
5) "Sydney"
6) "WestEdge"
7) "SanFrancisco"
8) "London"
9) "South"
10) "BuenosAires"`, ""},
	{[]string{"GEORADIUS", "world", "0", "0", "1e6", "km", "COUNT", "5"}, `1) "Paris"
2) "London"
3) "BuenosAires"
4) "South"
5) "North"`, ""},
	{[]string{"GEODIST", "world", "London", "Tokyo", "km"}, `"9561.4222"`, ""},
	{[]string{"GEODIST", "world", "SanFrancisco", "Tokyo", "mi"}, `"5140.6461"`, ""},
	{[]string{"GEODIST", "world", "Sydney", "BuenosAires", "ft"}, `"38728331.8858"`, ""},
	{[]string{"GEOHASH", "world", "London", "Paris", "Tokyo", "SanFrancisco", "Sydney", "BuenosAires", "North", "South"}, `1) "gcpvj0e54w0"
2) "u09tvw0f640"
3) "xn774c06kt0"
4) "9q8yyk8ytp0"
5) "r3gx2f77bj0"
6) "69y7pkxff40"
7) "upp4gx9f2g0"
8) "5bbvh2qjxh0"`, ""},
}

func TestGeoGoldenAgainstRedis(t *testing.T) {
	for _, proto := range []int{3, 2} {
		t.Run("RESP"+strconv.Itoa(proto), func(t *testing.T) {
			ts := newTestStore(t)
			for i, c := range geoGolden {
				want := c.resp3
				if proto == 2 && c.resp2 != "" {
					want = c.resp2
				}
				got := geoRender(ts.geoDo(proto, c.args...), proto == 2)
				if got != want {
					t.Errorf("#%d %v:\n got\n%s\n want\n%s", i, c.args, got, want)
				}
			}
		})
	}
}
