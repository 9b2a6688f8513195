package embedis_test

import (
	"strconv"
	"testing"

	"github.com/embedis/embedis/embedistest"
	"github.com/embedis/embedis/internal/redistest"
)

// notifyScript is the command list whose keyspace events are compared
// with redis-server's: every type's writes, the generic commands, and
// reads of missing keys (keymiss).
var notifyScript = []string{
	// strings
	"SET s v", "SET s w NX", "SET s2 v XX", "SETNX s x", "SETNX s3 x", "SETEX s4 100 v", "PSETEX s5 100000 v",
	"MSET m1 a m2 b", "MSETNX m3 c m1 d", "APPEND s tail", "APPEND s6 new", "SETRANGE s 1 XY", "SETRANGE s7 2 z",
	"INCR n", "INCRBY n 5", "DECR n", "DECRBY n 2", "INCRBYFLOAT f 1.5", "GETSET s gs", "GETDEL s2", "GETDEL m2",
	"GETEX s EX 100", "GETEX s PERSIST", "GETEX nosuch EX 1", "GET nosuch", "MGET m1 nosuch",
	"SETBIT b 7 1", "BITOP OR b2 b b", "BITFIELD bf SET u8 0 200", "BITFIELD bf GET u8 0", "PFADD h1 a b", "PFADD h1 a", "PFMERGE h2 h1",
	"STRLEN nosuch", "GETRANGE nosuch 0 1", "LCS s m1",
	// generic
	"EXPIRE s 100", "PEXPIRE s 100000", "EXPIREAT s 99999999999", "PERSIST s", "PERSIST s", "EXPIRE s 0",
	"SET e v", "EXPIRE e -1", "SET r v", "RENAME r r2", "RENAMENX r2 r3", "COPY r3 r4", "COPY r3 r4 REPLACE",
	"MOVE r4 1", "DEL r3 nosuch", "UNLINK m1", "TOUCH m3 nosuch", "EXISTS nosuch", "TYPE nosuch", "TTL nosuch",
	"SET d v", "DUMP nosuch", "OBJECT ENCODING nosuch",
	// lists
	"LPUSH l a b c", "RPUSH l d", "LPUSHX l e", "RPUSHX nol x", "LPOP l", "RPOP l", "LPOP l 1", "LSET l 0 z",
	"LINSERT l BEFORE z y", "LREM l 1 y", "LTRIM l 0 0", "RPOPLPUSH l l2", "LMOVE l2 l3 LEFT RIGHT",
	"LMPOP 1 l3 LEFT", "RPUSH l4 a b c", "LTRIM l4 5 10", "LPOP nosuch", "LRANGE nosuch 0 -1", "LLEN nosuch",
	"BLPOP nosuch2 l3 0.01", "RPUSH l5 1", "BLMOVE l5 l6 LEFT LEFT 0",
	// sets
	"SADD st a b c", "SADD st a", "SREM st a", "SREM st nosuch", "SMOVE st st2 b", "SPOP st", "SADD st x y z",
	"SINTERSTORE si st st2", "SUNIONSTORE su st st2", "SDIFFSTORE sd st st2", "SINTERSTORE si nosuch",
	"SMEMBERS nosuch", "SISMEMBER nosuch a", "SCARD nosuch",
	// hashes
	"HSET h f v g w", "HSET h f v2", "HSETNX h f x", "HSETNX h n x", "HDEL h f", "HINCRBY h c 1",
	"HINCRBYFLOAT h fl 1.5", "HMSET h a 1", "HDEL h a g n c fl", "HGET nosuch f", "HGETALL nosuch",
	// sorted sets
	"ZADD z 1 a 2 b 3 c", "ZADD z 1 a", "ZINCRBY z 5 a", "ZREM z b", "ZREMRANGEBYSCORE z 0 3", "ZADD z 1 a 2 b",
	"ZREMRANGEBYRANK z 0 0", "ZREMRANGEBYLEX z - +", "ZADD z 1 a 2 b 3 c", "ZPOPMIN z", "ZPOPMAX z", "ZMPOP 1 z MIN",
	"ZADD z2 1 x", "ZUNIONSTORE zu 2 z z2", "ZINTERSTORE zi 2 z z2", "ZDIFFSTORE zd 1 z2", "ZRANGESTORE zr z2 0 -1",
	"BZPOPMIN z2 0", "ZSCORE nosuch a", "ZRANGE nosuch 0 -1",
	// geo
	"GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
	"GEOSEARCHSTORE gs g FROMLONLAT 15 37 BYRADIUS 200 km", "GEORADIUS g 15 37 200 km STORE gr",
	// streams
	"XADD x 1-1 a 1", "XADD x 2-1 b 2", "XGROUP CREATE x g 0", "XGROUP CREATECONSUMER x g c2",
	"XREADGROUP GROUP g c COUNT 1 STREAMS x >", "XACK x g 1-1", "XCLAIM x g c3 0 1-1", "XAUTOCLAIM x g c4 0 0",
	"XDEL x 2-1", "XTRIM x MAXLEN 0", "XSETID x 5-0", "XGROUP SETID x g 0", "XGROUP DELCONSUMER x g c",
	"XGROUP DESTROY x g", "XADD x2 NOMKSTREAM * a 1", "XLEN nosuch", "XRANGE nosuch - +",
	// sort, scripts, transactions
	"RPUSH sl 3 1 2", "SORT sl STORE so", "SORT nosuch STORE so2",
	"EVAL \"redis.call('SET', KEYS[1], 'x') return redis.call('DEL', KEYS[1])\" 1 ev",
	"MULTI", "SET t1 v", "INCR t2", "EXEC",
	"RESTORE rs 0 \"\\x00\\x01v\\x0a\\x00\\x17\\xb2\\x13\\xd1Gq\\xcd\\xac\"",
	// missing sources
	"SUNIONSTORE su2 nosuch", "SDIFFSTORE sd2 nosuch", "SINTERCARD 1 nosuch", "ZDIFFSTORE zd2 1 nosuch",
	"ZUNIONSTORE zu2 1 nosuch", "ZRANGESTORE zr2 nosuch 0 -1", "GEOSEARCHSTORE gs2 nosuch FROMLONLAT 0 0 BYRADIUS 1 km",
	"LMOVE nosuch l3 LEFT LEFT", "SMOVE nosuch st a", "BITOP AND bo nosuch", "PFMERGE h3 nosuch", "PFCOUNT nosuch",
	"COPY nosuch cx", "XGROUP CREATE xs g $ MKSTREAM", "HRANDFIELD nosuch", "SRANDMEMBER nosuch", "ZRANDMEMBER nosuch",
	"SUNION nosuch", "SDIFF nosuch", "ZUNION 1 nosuch", "LPOS nosuch a", "LINDEX nosuch 0", "GEOPOS nosuch a",
	"BITCOUNT nosuch", "GETBIT nosuch 1", "HEXISTS nosuch f", "HSTRLEN nosuch f", "ZRANK nosuch a", "XINFO STREAM nosuch",
	"SET exs v EX 100", "SET exs v PXAT 99999999999999", "GETEX exs PX 100000", "SET exs2 v KEEPTTL",
	"INCR nonew", "HINCRBY nonew2 f 1", "SPOP nosuch", "LREM nosuch 0 a", "DEL nosuch", "EXPIRE nosuch 10",
	// destinations emptied, expiry variants, counts
	"SET dst v", "SINTERSTORE dst nosuch", "SET dst v", "SUNIONSTORE dst nosuch", "SET dst v", "SDIFFSTORE dst nosuch",
	"SET dst v", "ZUNIONSTORE dst 1 nosuch", "SET dst v", "ZINTERSTORE dst 1 nosuch", "SET dst v", "ZRANGESTORE dst nosuch 0 -1",
	"SET dst v", "SORT nosuch STORE dst", "SET dst v", "BITOP OR dst nosuch", "SET dst v",
	"GEOSEARCHSTORE dst nosuch FROMLONLAT 0 0 BYRADIUS 1 km", "SET dst v", "GEORADIUS nosuch 0 0 1 km STORE dst",
	"SET ex v", "EXPIRE ex 100 NX", "EXPIRE ex 200 NX", "EXPIRE ex 300 GT", "EXPIRE ex 10 GT", "PEXPIREAT ex 1",
	"SET ex v", "EXPIREAT ex 1", "SET ex v EX 100", "SET ex w KEEPTTL", "GETEX ex PXAT 99999999999999", "GETEX ex",
	"SADD sp a b c d", "SPOP sp 2", "SPOP sp 5", "ZADD zp 1 a 2 b 3 c", "ZPOPMIN zp 2", "ZADD zp INCR 5 a", "ZADD zp GT 1 a",
	"ZADD zp XX 9 nosuchmember", "RPUSH bl a b", "BLMPOP 0 1 bl LEFT COUNT 5", "ZADD bz 1 a", "BZMPOP 0 1 bz MAX",
	"XADD xs2 MAXLEN 1 1-1 a 1", "XADD xs2 MAXLEN 1 2-1 a 2", "XTRIM xs2 MINID 3", "XADD xs2 3-1 a 3", "XDEL xs2 3-1",
	"HSET hh a 1", "HINCRBYFLOAT hh a 0.5", "HDEL hh a", "SETRANGE sr 0 \"\"", "APPEND sr \"\"",
	"RESTORE rs 0 \"\\x00\\x01v\\x0a\\x00\\x17\\xb2\\x13\\xd1Gq\\xcd\\xac\" REPLACE",
	"SET a1 v", "SET a2 v", "DEL a1 a2 nosuch", "RENAME a3 a3", "SET a3 v", "RENAME a3 a3",
	"LPUSH lx a", "LINSERT lx AFTER a b", "LINSERT lx AFTER nosuch c", "LSET lx 0 q", "LREM lx 0 q", "LTRIM lx 1 0",
	// databases
	"SELECT 1", "SET db1 v", "DEL db1", "SELECT 0", "SWAPDB 0 1", "SWAPDB 0 1", "FLUSHDB",
}

// TestDiffKeyspaceEvents runs notifyScript on redis-server 7.0 and on
// embedis with notify-keyspace-events KEAnm and a subscriber to every
// keyspace and keyevent channel, and compares the events each command
// raised, in order.
func TestDiffKeyspaceEvents(t *testing.T) {
	redisAddr := redistest.Start(t)
	embedisAddr := embedistest.Addr(t, embedistest.Open(t))
	want := keyspaceEvents(t, redisAddr)
	got := keyspaceEvents(t, embedisAddr)
	for i, cmd := range notifyScript {
		if !equalStrings(want[i], got[i]) {
			t.Errorf("%q:\n redis:   %q\n embedis: %q", cmd, want[i], got[i])
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// keyspaceEvents runs notifyScript against addr and returns the events of
// each command as "channel payload" lines. After each command the writer
// publishes a marker on channel "sync", which ends that command's events.
func keyspaceEvents(t *testing.T, addr string) [][]string {
	t.Helper()
	cs := dialN(t, addr, 2, 2)
	sub, cl := cs[0], cs[1]
	mustDo := func(c *redistest.Conn, args ...string) redistest.Reply {
		r, err := c.Do(args...)
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		return r
	}
	mustDo(cl, "FLUSHALL")
	mustDo(cl, "CONFIG", "SET", "notify-keyspace-events", "KEAnm")
	t.Cleanup(func() { cl.Do("CONFIG", "SET", "notify-keyspace-events", "") })
	mustDo(sub, "PSUBSCRIBE", "__key*@*__:*")
	mustDo(sub, "SUBSCRIBE", "sync")
	out := make([][]string, len(notifyScript))
	inMulti := false
	for i, line := range notifyScript {
		args := splitStep(t, line)
		mustDo(cl, args...)
		switch args[0] {
		case "MULTI":
			inMulti = true
		case "EXEC":
			inMulti = false
		}
		if inMulti {
			continue // the transaction's events come with EXEC
		}
		marker := strconv.Itoa(i)
		mustDo(cl, "PUBLISH", "sync", marker)
		for {
			r, err := sub.Read()
			if err != nil {
				t.Fatalf("%q: reading events: %v", line, err)
			}
			if len(r.Elems) == 3 && r.Elems[0].Text == "message" && r.Elems[1].Text == "sync" {
				if r.Elems[2].Text != marker {
					t.Fatalf("%q: marker %q, want %q", line, r.Elems[2].Text, marker)
				}
				break
			}
			if len(r.Elems) != 4 {
				t.Fatalf("%q: unexpected frame %s", line, r.Render(10))
			}
			out[i] = append(out[i], r.Elems[2].Text+" "+r.Elems[3].Text)
		}
	}
	return out
}
