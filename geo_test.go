package embedis

import (
	"context"
	"errors"
	"fmt"
	"github.com/embedis/embedis/internal/geohash"
	"math"
	"math/rand/v2"
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

// The San Francisco drivers of the seed document, through the typed API.
// Expected values are what redis-server 7.0.15 replied to the same
// commands (GEODIST, GEORADIUS ... WITHDIST WITHCOORD WITHHASH ASC, GEOPOS,
// GEOHASH, GEOSEARCH ... BYBOX, GEORADIUSBYMEMBER ... STOREDIST).
func TestGeoTypedDrivers(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	n, err := ts.GeoAdd(ctx, "drivers", GeoAddOptions{},
		GeoLocation{Name: "driver1", Longitude: -122.4194, Latitude: 37.7749},
		GeoLocation{Name: "driver2", Longitude: -122.4094, Latitude: 37.7849})
	if err != nil || n != 2 {
		t.Fatalf("GeoAdd = %d, %v", n, err)
	}
	if d, err := ts.GeoDist(ctx, "drivers", "driver1", "driver2", "km"); err != nil || d != 1.4176 {
		t.Errorf("GeoDist km = %v, %v; Redis 1.4176", d, err)
	}
	if d, err := ts.GeoDist(ctx, "drivers", "driver1", "driver2", ""); err != nil || d != 1417.6398 {
		t.Errorf("GeoDist m = %v, %v; Redis 1417.6398", d, err)
	}
	locs, err := ts.GeoRadius(ctx, "drivers", -122.4194, 37.7749, 5, GeoQueryOptions{Unit: "km"})
	if err != nil || len(locs) != 2 || locs[0].Name != "driver1" || locs[1].Name != "driver2" {
		t.Errorf("GeoRadius = %+v, %v", locs, err)
	}
	locs, err = ts.GeoRadius(ctx, "drivers", -122.4194, 37.7749, 5, GeoQueryOptions{Unit: "km", Sort: "ASC", WithDist: true, WithHash: true, WithCoord: true})
	want := []GeoLocation{
		{Name: "driver1", Dist: 0.0001, Hash: 1367859919124626, Longitude: -122.41940170526504517, Latitude: 37.77490001056577995},
		{Name: "driver2", Dist: 1.4175, Hash: 1367859961007699, Longitude: -122.40940243005752563, Latitude: 37.78489948553937694},
	}
	if err != nil || fmt.Sprint(locs) != fmt.Sprint(want) {
		t.Errorf("GeoRadius with everything =\n %+v, %v\nwant\n %+v", locs, err, want)
	}
	pos, err := ts.GeoPos(ctx, "drivers", "driver2", "nobody")
	if err != nil || len(pos) != 2 || pos[1] != nil || *pos[0] != (GeoPosition{-122.40940243005752563, 37.78489948553937694}) {
		t.Errorf("GeoPos = %v, %v", pos, err)
	}
	hashes, err := ts.GeoHash(ctx, "drivers", "driver1", "driver2", "nobody")
	if err != nil || fmt.Sprint(hashes) != "[9q8yyk8ytp0 9q8yyw80yp0 ]" {
		t.Errorf("GeoHash = %q, %v", hashes, err)
	}
	locs, err = ts.GeoSearch(ctx, "drivers", GeoSearchQuery{Longitude: -122.41, Latitude: 37.78, BoxWidth: 2, BoxHeight: 2,
		GeoQueryOptions: GeoQueryOptions{Unit: "km", Sort: "ASC", WithDist: true}})
	if err != nil || fmt.Sprint(locs) != fmt.Sprint([]GeoLocation{{Name: "driver2", Dist: 0.5475}, {Name: "driver1", Dist: 1.0025}}) {
		t.Errorf("GeoSearch box = %+v, %v", locs, err)
	}
	locs, err = ts.GeoRadiusByMember(ctx, "drivers", "driver1", 1, GeoQueryOptions{Unit: "km"})
	if err != nil || len(locs) != 1 || locs[0].Name != "driver1" {
		t.Errorf("GeoRadiusByMember = %+v, %v", locs, err)
	}
	if n, err := ts.GeoRadiusByMemberStore(ctx, "drivers", "driver1", 2, GeoQueryOptions{Unit: "km"}, "near", true); err != nil || n != 2 {
		t.Errorf("GeoRadiusByMemberStore = %d, %v", n, err)
	}
	if s, err := ts.ZScore(ctx, "near", "driver2"); err != nil || s != 1.4176398013187546 {
		t.Errorf("stored distance = %v, %v; Redis 1.4176398013187546", s, err)
	}
	// The geo set is a sorted set of hashes.
	if s, err := ts.ZScore(ctx, "drivers", "driver1"); err != nil || s != 1367859919124626 {
		t.Errorf("ZSCORE of a geo member = %v, %v", s, err)
	}
}

func TestGeoTypedStoreAndOptions(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	palermo := GeoLocation{Name: "Palermo", Longitude: 13.361389, Latitude: 38.115556}
	catania := GeoLocation{Name: "Catania", Longitude: 15.087269, Latitude: 37.502669}
	if n, _ := ts.GeoAdd(ctx, "Sicily", GeoAddOptions{}, palermo, catania); n != 2 {
		t.Fatalf("GeoAdd added %d", n)
	}
	// NX does not move Palermo; XX does not add Gela; CH counts the move.
	if n, _ := ts.GeoAdd(ctx, "Sicily", GeoAddOptions{NX: true}, GeoLocation{Name: "Palermo", Longitude: 1, Latitude: 1}); n != 0 {
		t.Errorf("GeoAdd NX = %d", n)
	}
	if n, _ := ts.GeoAdd(ctx, "Sicily", GeoAddOptions{XX: true}, GeoLocation{Name: "Gela", Longitude: 14.25, Latitude: 37.07}); n != 0 {
		t.Errorf("GeoAdd XX = %d", n)
	}
	if n, _ := ts.GeoAdd(ctx, "Sicily", GeoAddOptions{XX: true, CH: true}, GeoLocation{Name: "Catania", Longitude: 15.087269, Latitude: 37.5}); n != 1 {
		t.Errorf("GeoAdd XX CH = %d", n)
	}
	if n, _ := ts.GeoAdd(ctx, "Sicily", GeoAddOptions{CH: true}, catania); n != 1 {
		t.Errorf("GeoAdd CH back = %d", n)
	}
	if _, err := ts.GeoAdd(ctx, "Sicily", GeoAddOptions{NX: true, XX: true}, palermo); !errors.Is(err, ErrSyntax) {
		t.Errorf("GeoAdd NX XX: %v", err)
	}

	q := GeoSearchQuery{Longitude: 15, Latitude: 37, Radius: 200, GeoQueryOptions: GeoQueryOptions{Unit: "km"}}
	if n, err := ts.GeoSearchStore(ctx, "dst", "Sicily", q, false); err != nil || n != 2 {
		t.Errorf("GeoSearchStore = %d, %v", n, err)
	}
	// Stored with their hashes, dst is a geo set in its own right.
	if d, err := ts.GeoDist(ctx, "dst", "Palermo", "Catania", "km"); err != nil || d != 166.2742 {
		t.Errorf("GeoDist in the stored set = %v, %v; Redis 166.2742", d, err)
	}
	q.Count, q.Sort = 1, "DESC"
	if n, err := ts.GeoSearchStore(ctx, "dst", "Sicily", q, true); err != nil || n != 1 {
		t.Errorf("GeoSearchStore STOREDIST = %d, %v", n, err)
	}
	if s, err := ts.ZScore(ctx, "dst", "Palermo"); err != nil || math.Abs(s-190.4424) > 1e-4 {
		t.Errorf("stored distance = %v, %v; Redis 190.4424 (4 decimals)", s, err)
	}
	// A search that matches nothing deletes the destination.
	if n, err := ts.GeoRadiusStore(ctx, "Sicily", 0, 0, 1, GeoQueryOptions{}, "dst", false); err != nil || n != 0 {
		t.Errorf("GeoRadiusStore of nothing = %d, %v", n, err)
	}
	if n, _ := ts.Exists(ctx, "dst"); n != 0 {
		t.Errorf("destination survives an empty result")
	}
	if n, err := ts.GeoRadiusStore(ctx, "Sicily", 15, 37, 100, GeoQueryOptions{Unit: "mi", Count: 1}, "dst", false); err != nil || n != 1 {
		t.Errorf("GeoRadiusStore = %d, %v", n, err)
	}
	// ANY stops at the first match in scan order; without it COUNT takes
	// the nearest.
	locs, err := ts.GeoSearch(ctx, "Sicily", GeoSearchQuery{Longitude: 15, Latitude: 37, Radius: 200,
		GeoQueryOptions: GeoQueryOptions{Unit: "km", Count: 1, Any: true}})
	if err != nil || len(locs) != 1 || locs[0].Name != "Palermo" {
		t.Errorf("GeoSearch COUNT 1 ANY = %+v, %v; Redis Palermo", locs, err)
	}
	locs, err = ts.GeoSearch(ctx, "Sicily", GeoSearchQuery{Member: "Palermo", Radius: 200,
		GeoQueryOptions: GeoQueryOptions{Unit: "km", Count: 1, WithHash: true}})
	if err != nil || len(locs) != 1 || locs[0].Name != "Palermo" || locs[0].Hash != 3479099956230698 {
		t.Errorf("GeoSearch FROMMEMBER COUNT 1 = %+v, %v", locs, err)
	}
	// Missing keys.
	if locs, err := ts.GeoSearch(ctx, "nokey", q); err != nil || len(locs) != 0 {
		t.Errorf("GeoSearch of a missing key = %v, %v", locs, err)
	}
	if _, err := ts.GeoDist(ctx, "nokey", "a", "b", "m"); !errors.Is(err, Nil) {
		t.Errorf("GeoDist of a missing key: %v", err)
	}
	if _, err := ts.GeoDist(ctx, "Sicily", "Palermo", "Atlantis", "m"); !errors.Is(err, Nil) {
		t.Errorf("GeoDist of a missing member: %v", err)
	}
	if pos, err := ts.GeoPos(ctx, "nokey", "a"); err != nil || len(pos) != 1 || pos[0] != nil {
		t.Errorf("GeoPos of a missing key = %v, %v", pos, err)
	}
	if h, err := ts.GeoHash(ctx, "nokey", "a"); err != nil || len(h) != 1 || h[0] != "" {
		t.Errorf("GeoHash of a missing key = %q, %v", h, err)
	}
}

func TestGeoTypedErrors(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	ts.GeoAdd(ctx, "Sicily", GeoAddOptions{}, GeoLocation{Name: "Palermo", Longitude: 13.361389, Latitude: 38.115556})
	ts.do("SET", "str", "x")

	_, err := ts.GeoAdd(ctx, "Sicily", GeoAddOptions{}, GeoLocation{Name: "x", Longitude: 12, Latitude: 100})
	if err == nil || err.Error() != "ERR invalid longitude,latitude pair 12.000000,100.000000" {
		t.Errorf("GeoAdd out of range: %v", err)
	}
	checks := []struct {
		name string
		err  error
		want error
	}{
		{"GeoAdd wrong type", second(ts.GeoAdd(ctx, "str", GeoAddOptions{}, GeoLocation{Name: "x"})), ErrWrongType},
		{"GeoDist unit", second(ts.GeoDist(ctx, "Sicily", "a", "b", "parsec")), ErrGeoUnit},
		{"GeoDist wrong type", second(ts.GeoDist(ctx, "str", "a", "b", "")), ErrWrongType},
		{"GeoPos wrong type", second(ts.GeoPos(ctx, "str", "a")), ErrWrongType},
		{"GeoHash wrong type", second(ts.GeoHash(ctx, "str", "a")), ErrWrongType},
		{"GeoSearch missing member", second(ts.GeoSearch(ctx, "Sicily", GeoSearchQuery{Member: "Atlantis", Radius: 1})), ErrGeoMember},
		{"GeoSearch negative radius", second(ts.GeoSearch(ctx, "Sicily", GeoSearchQuery{Radius: -1})), ErrGeoRadiusNegative},
		{"GeoSearch negative box", second(ts.GeoSearch(ctx, "Sicily", GeoSearchQuery{BoxWidth: -1, BoxHeight: 1})), ErrGeoBoxNegative},
		{"GeoSearch unit", second(ts.GeoSearch(ctx, "Sicily", GeoSearchQuery{Radius: 1, GeoQueryOptions: GeoQueryOptions{Unit: "yd"}})), ErrGeoUnit},
		{"GeoSearch wrong type", second(ts.GeoSearch(ctx, "str", GeoSearchQuery{Radius: 1})), ErrWrongType},
		{"GeoSearchStore with", second(ts.GeoSearchStore(ctx, "d", "Sicily", GeoSearchQuery{Radius: 1, GeoQueryOptions: GeoQueryOptions{WithDist: true}}, false)), ErrGeoSearchStoreWith},
		{"GeoRadiusStore with", second(ts.GeoRadiusStore(ctx, "Sicily", 0, 0, 1, GeoQueryOptions{WithCoord: true}, "d", false)), ErrGeoRadiusStoreWith},
		{"GeoRadiusByMember missing member", second(ts.GeoRadiusByMember(ctx, "Sicily", "Atlantis", 1, GeoQueryOptions{})), ErrGeoMember},
		{"GeoRadiusByMemberStore wrong type", second(ts.GeoRadiusByMemberStore(ctx, "str", "a", 1, GeoQueryOptions{}, "d", true)), ErrWrongType},
		{"GeoRadius radius", second(ts.GeoRadius(ctx, "Sicily", 0, 0, math.NaN(), GeoQueryOptions{})), ErrGeoRadiusNotNumber},
	}
	for _, c := range checks {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.err, c.want)
		}
	}
	// The errors the typed API cannot produce, through Do.
	for _, c := range []struct {
		want *Error
		args []any
	}{
		{ErrGeoCount, []any{"GEOSEARCH", "Sicily", "FROMLONLAT", 0, 0, "BYRADIUS", 1, "m", "COUNT", 0}},
		{ErrGeoAnyNeedsCount, []any{"GEOSEARCH", "Sicily", "FROMLONLAT", 0, 0, "BYRADIUS", 1, "m", "ANY"}},
		{ErrGeoWidthNotNumber, []any{"GEOSEARCH", "Sicily", "FROMLONLAT", 0, 0, "BYBOX", "w", 1, "m"}},
		{ErrGeoHeightNotNumber, []any{"GEOSEARCH", "Sicily", "FROMLONLAT", 0, 0, "BYBOX", 1, "h", "m"}},
		{ErrNotInteger, []any{"GEORADIUS", "Sicily", 0, 0, 1, "m", "COUNT", "many"}},
		{ErrNotFloat, []any{"GEOADD", "Sicily", "east", 0, "x"}},
		{ErrSyntax, []any{"GEOSEARCH", "Sicily", "FROMLONLAT", 0, 0, "BYRADIUS", 1, "m", "STORE", "d"}},
	} {
		if err := ts.do(c.args...).Err(); !errors.Is(err, c.want) {
			t.Errorf("%v: %v, want %v", c.args, err, c.want)
		}
	}
	ts.expectErr("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH", "GEOSEARCH", "Sicily", "BYRADIUS", 1, "m", "ASC", "WITHDIST")
	ts.expectErr("ERR exactly one of BYRADIUS and BYBOX can be specified for geosearchstore", "geosearchstore", "d", "Sicily", "FROMLONLAT", 0, 0, "ASC", "DESC")
}

// second returns the error of a two-result call.
func second[T any](_ T, err error) error { return err }

// Searches return exactly the points within the area, by brute force over
// random points: circles and boxes of every size, anywhere, including the
// poles and the antimeridian. Seeded; the seed is in the failure message.
func TestGeoSearchBruteForce(t *testing.T) {
	const seed = 20260101
	r := rand.New(rand.NewPCG(seed, 1))
	ts := newTestStore(t)
	ctx := context.Background()
	type point struct {
		name      string
		long, lat float64
	}
	var pts []point
	var locs []GeoLocation
	for i := range 1500 {
		long, lat := r.Float64()*360-180, r.Float64()*170-85
		if i%3 == 0 { // a cluster, so small areas have members
			long, lat = 13+r.Float64(), 37+r.Float64()
		}
		l := GeoLocation{Name: "p" + strconv.Itoa(i), Longitude: long, Latitude: lat}
		locs = append(locs, l)
	}
	if _, err := ts.GeoAdd(ctx, "pts", GeoAddOptions{}, locs...); err != nil {
		t.Fatal(err)
	}
	for _, l := range locs {
		bits, _ := geohash.EncodeWGS84(l.Longitude, l.Latitude)
		long, lat := geohash.DecodeWGS84(bits)
		pts = append(pts, point{l.Name, long, lat})
	}
	for q := range 100 {
		var query GeoSearchQuery
		if q%2 == 0 {
			query.Longitude, query.Latitude = 13+r.Float64(), 37+r.Float64()
		} else {
			query.Longitude, query.Latitude = r.Float64()*360-180, r.Float64()*170-85
		}
		size := math.Pow(10, r.Float64()*4) // 1 .. 10000 km
		box := q%4 >= 2
		if box {
			query.BoxWidth, query.BoxHeight = size, size*(0.3+r.Float64())
		} else {
			query.Radius = size
		}
		query.Unit, query.Sort, query.WithDist = "km", "ASC", true
		got, err := ts.GeoSearch(ctx, "pts", query)
		if err != nil {
			t.Fatal(err)
		}
		shape := geohash.Shape{Long: query.Longitude, Lat: query.Latitude, Box: box, Radius: query.Radius,
			Width: query.BoxWidth, Height: query.BoxHeight, Conversion: 1000}
		want := map[string]bool{}
		for _, p := range pts {
			if _, in := shape.Contains(p.long, p.lat, false); in {
				want[p.name] = true
			}
		}
		if len(got) != len(want) {
			t.Fatalf("seed %d query %d %+v: %d results, brute force %d", seed, q, query, len(got), len(want))
		}
		for i, l := range got {
			if !want[l.Name] {
				t.Fatalf("seed %d query %d: %s returned but outside", seed, q, l.Name)
			}
			if i > 0 && l.Dist < got[i-1].Dist {
				t.Fatalf("seed %d query %d: results not in ascending distance", seed, q)
			}
		}
	}
}

// The partial sort of COUNT puts the nearest first, whatever the input.
func TestGeoPartialSort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for range 300 {
		n := 1 + r.IntN(120)
		pts := make([]geoPoint, n)
		for i := range pts {
			pts[i] = geoPoint{dist: float64(r.IntN(20)), member: strconv.Itoa(i)}
		}
		k := 1 + r.IntN(n)
		desc := r.IntN(2) == 0
		geoSortPoints(pts, k, desc)
		for i := 1; i < k; i++ {
			if (!desc && pts[i].dist < pts[i-1].dist) || (desc && pts[i].dist > pts[i-1].dist) {
				t.Fatalf("n %d k %d desc %v: prefix not sorted at %d", n, k, desc, i)
			}
		}
		for i := k; i < n; i++ {
			if (!desc && pts[i].dist < pts[k-1].dist) || (desc && pts[i].dist > pts[k-1].dist) {
				t.Fatalf("n %d k %d desc %v: element %d beyond the prefix belongs in it", n, k, desc, i)
			}
		}
	}
}

func TestGeoKeys(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"GEORADIUS", "k", "0", "0", "1", "m"}, "[1]"},
		{[]string{"GEORADIUS", "k", "0", "0", "1", "m", "STORE", "d"}, "[1 7]"},
		{[]string{"georadius", "k", "0", "0", "1", "m", "STORE", "d", "STOREDIST", "e"}, "[1 9]"},
		{[]string{"GEORADIUSBYMEMBER", "k", "m", "1", "m", "storedist", "d"}, "[1 6]"},
	} {
		if got := fmt.Sprint(georadiusKeys(c.args)); got != c.want {
			t.Errorf("georadiusKeys(%v) = %s, want %s", c.args, got, c.want)
		}
	}
}

func TestGeoHumanText(t *testing.T) {
	for f, want := range map[float64]string{
		13.361389338970184: "13.36138933897018433", 0: "0", -180: "-180", 2.6822090148925781e-06: "0.00000268220901489",
		geohash.LatMax: "85.0511287799999991", // as GEOPOS of a clamped point
	} {
		if got := geoHumanText(f); got != want {
			t.Errorf("geoHumanText(%v) = %s, want %s", f, got, want)
		}
	}
}

// BenchmarkGeoSearch runs GEOSEARCH BYRADIUS over 100,000 points spread
// over a 10 by 10 degree square (about 1,100 km across), for radii whose
// areas hold about 10, 100 and 3,000 points.
func BenchmarkGeoSearch(b *testing.B) {
	ts := newTestStore(b)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(42, 42))
	locs := make([]GeoLocation, 0, 1000)
	for i := range 100_000 {
		locs = append(locs, GeoLocation{Name: "p" + strconv.Itoa(i), Longitude: 5 + 10*r.Float64(), Latitude: 40 + 10*r.Float64()})
		if len(locs) == cap(locs) {
			if _, err := ts.GeoAdd(ctx, "pts", GeoAddOptions{}, locs...); err != nil {
				b.Fatal(err)
			}
			locs = locs[:0]
		}
	}
	for _, radius := range []float64{10, 30, 170} {
		b.Run(fmt.Sprintf("radius=%gkm", radius), func(b *testing.B) {
			b.ReportAllocs()
			found := 0
			for i := 0; b.Loop(); i++ {
				q := GeoSearchQuery{Longitude: 7 + 6*r.Float64(), Latitude: 42 + 6*r.Float64(), Radius: radius,
					GeoQueryOptions: GeoQueryOptions{Unit: "km"}}
				res, err := ts.GeoSearch(ctx, "pts", q)
				if err != nil {
					b.Fatal(err)
				}
				found += len(res)
			}
			b.ReportMetric(float64(found)/float64(b.N), "results/op")
		})
	}
}

// A radius search around a point, nearest first, with distances.
func ExampleDB_GeoSearch() {
	s, err := Open(Options{})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	ctx := context.Background()
	s.GeoAdd(ctx, "Sicily", GeoAddOptions{},
		GeoLocation{Name: "Palermo", Longitude: 13.361389, Latitude: 38.115556},
		GeoLocation{Name: "Catania", Longitude: 15.087269, Latitude: 37.502669})
	locs, err := s.GeoSearch(ctx, "Sicily", GeoSearchQuery{
		Longitude: 15, Latitude: 37, Radius: 200,
		GeoQueryOptions: GeoQueryOptions{Unit: "km", Sort: "ASC", WithDist: true},
	})
	if err != nil {
		panic(err)
	}
	for _, l := range locs {
		fmt.Printf("%s %.4f km\n", l.Name, l.Dist)
	}
	d, _ := s.GeoDist(ctx, "Sicily", "Palermo", "Catania", "km")
	fmt.Println("Palermo-Catania", d, "km")
	// Output:
	// Catania 56.4413 km
	// Palermo 190.4424 km
	// Palermo-Catania 166.2742 km
}

// Over the wire, byte for byte as redis-server 7.0.15 answered the same
// commands: coordinates are bulk strings in RESP2 and doubles with
// Redis's seventeen-decimal text in RESP3; distances are bulk strings in
// both.
func TestGeoWire(t *testing.T) {
	ts := newTestStore(t)
	rc := dialRaw(t, ts.Store)
	rc.roundTrip("GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania\r\n", ":2\r\n")
	search := "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km WITHDIST WITHCOORD WITHHASH\r\n"
	rc.roundTrip("GEOPOS Sicily Palermo nonex\r\n",
		"*2\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*-1\r\n")
	rc.roundTrip(search, "*2\r\n*4\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n:3479099956230698\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n"+
		"*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n")
	rc.roundTrip("GEODIST Sicily Palermo Catania\r\n", "$11\r\n166274.1516\r\n")
	rc.send("HELLO 3\r\n")
	if _, err := rc.readFrame(); err != nil {
		t.Fatal(err)
	}
	rc.roundTrip("GEOPOS Sicily Palermo nonex\r\n", "*2\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n_\r\n")
	rc.roundTrip(search, "*2\r\n*4\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n:3479099956230698\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n"+
		"*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n*2\r\n,15.08726745843887329\r\n,37.50266842333162032\r\n")
	rc.roundTrip("GEODIST Sicily Palermo Catania\r\n", "$11\r\n166274.1516\r\n")
}
