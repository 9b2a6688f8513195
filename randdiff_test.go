package embedis_test

import (
	"flag"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"github.com/embedis/embedis/embedistest"
	"github.com/embedis/embedis/internal/redistest"
)

// randDiffSeed replays one seed of TestRandomDiff:
//
//	go test -run TestRandomDiff/lists -randdiff.seed 7
var randDiffSeed = flag.Int64("randdiff.seed", 0, "TestRandomDiff: run only this seed (0: the default seeds)")

// randDiffMany runs seeds 1..N instead of the default ones, to hunt for
// mismatches: go test -run TestRandomDiff -randdiff.many 200
var randDiffMany = flag.Int("randdiff.many", 0, "TestRandomDiff: run seeds 1..N (0: the default seeds)")

// randDiffSeeds are the seeds TestRandomDiff runs for each group.
var randDiffSeeds = []int64{1, 2, 3}

// randDiffLen is the number of commands of one stream.
var randDiffLen = flag.Int("randdiff.len", 150, "TestRandomDiff: commands per stream")

// TestRandomDiff sends seeded random command streams, one per data-type
// group and seed, to a real redis-server and to embedis over the wire, over
// RESP2 and RESP3, and compares every reply as the differential scripts do.
// What is legitimately non-deterministic is normalised: replies in
// hash-table order are sorted, random commands are compared by shape, TTLs
// within a tolerance, and stream IDs are always explicit. A mismatch names
// the group, the seed and the command's index in the stream; the stream is
// a function of the seed alone, so -randdiff.seed replays it.
func TestRandomDiff(t *testing.T) {
	seeds := randDiffSeeds
	if *randDiffMany > 0 {
		seeds = nil
		for i := 1; i <= *randDiffMany; i++ {
			seeds = append(seeds, int64(i))
		}
	}
	if *randDiffSeed != 0 {
		seeds = []int64{*randDiffSeed}
	}
	for _, g := range randGroups {
		t.Run(g.name, func(t *testing.T) {
			redisAddr := redistest.StartWith(t, "--enable-debug-command", "yes")
			embedisAddr := embedistest.Addr(t, embedistest.Open(t))
			for _, seed := range seeds {
				sc := randScript(g, seed, *randDiffLen)
				for _, proto := range []int{2, 3} {
					want, err := redistest.Dial(redisAddr)
					if err != nil {
						t.Fatal(err)
					}
					got, err := redistest.Dial(embedisAddr)
					if err != nil {
						want.Close()
						t.Fatal(err)
					}
					ms, err := redistest.Run(sc, proto,
						redistest.Side{Name: "redis", Conn: want},
						redistest.Side{Name: "embedis", Conn: got})
					if err == nil {
						// The whole dataset, compared in one call: DEBUG
						// DIGEST as Redis computes it.
						wd, err1 := want.Do("DEBUG", "DIGEST")
						gd, err2 := got.Do("DEBUG", "DIGEST")
						if err1 != nil || err2 != nil || !wd.Equal(gd) {
							t.Errorf("seed %d RESP%d: DEBUG DIGEST differs: redis %v (%v), embedis %v (%v)", seed, proto, wd, err1, gd, err2)
						}
					}
					want.Close()
					got.Close()
					for _, m := range ms {
						t.Errorf("seed %d, command #%d (replay: -run TestRandomDiff/%s -randdiff.seed %d):\n%s",
							seed, m.Line.No, g.name, seed, m)
					}
					if err != nil {
						t.Fatalf("seed %d: %v", seed, err)
					}
				}
			}
		})
	}
}

// randScript builds the stream of group g for a seed: the group's set-up
// commands, then n random commands. Line.No is the command's index.
func randScript(g randGroup, seed int64, n int) *redistest.Script {
	r := rand.New(rand.NewSource(seed))
	sc := &redistest.Script{Name: fmt.Sprintf("%s seed %d", g.name, seed)}
	add := func(c rcmd) {
		ln := c.line
		ln.File = sc.Name
		ln.No = len(sc.Lines)
		ln.Args = c.args
		ln.Text = quoteArgs(c.args)
		sc.Lines = append(sc.Lines, ln)
	}
	gen := &rgen{r: r}
	// Half the seeds lower the encoding thresholds so that small
	// collections convert (and hash-table order shows up).
	small := seed%2 == 0
	for _, p := range []string{"hash-max-listpack-entries", "set-max-intset-entries",
		"zset-max-listpack-entries", "list-max-listpack-size", "set-max-listpack-entries"} {
		v := "128"
		if p == "set-max-intset-entries" {
			v = "512"
		}
		if p == "list-max-listpack-size" {
			v = "-2"
		}
		if small {
			v = "3"
		}
		if p == "set-max-listpack-entries" {
			continue // Redis 7.2; not in 7.0
		}
		add(rcmd{args: []string{"CONFIG", "SET", p, v}})
	}
	for i := 0; i < n; i++ {
		c := g.ops[r.Intn(len(g.ops))](gen)
		if c.seq != nil {
			for _, x := range c.seq {
				add(x)
			}
			continue
		}
		add(c)
	}
	return sc
}

// quoteArgs renders a command for reports.
func quoteArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\"'\\") || strings.IndexFunc(a, func(r rune) bool { return r < ' ' || r > '~' }) >= 0 {
			a = strconv.Quote(a)
		}
		q[i] = a
	}
	return strings.Join(q, " ")
}

// rcmd is one generated command and how its reply is compared.
type rcmd struct {
	args []string
	line redistest.Line // only the directives are used
	seq  []rcmd         // when set, several commands in a row instead
}

// merge gives a reply that holds the replies of cs (EXEC's) the loosest
// of their comparisons.
func merge(line *redistest.Line, cs ...rcmd) {
	for _, c := range cs {
		l := c.line
		line.Sort = line.Sort || l.Sort || l.SortPairs
		line.Len = line.Len || l.Len || l.KindOf
		line.Approx = max(line.Approx, l.Approx)
	}
	if line.Len {
		line.Sort, line.Approx = false, 0
	}
}

// fromGroups draws a command of one of the named groups.
func fromGroups(g *rgen, names ...string) rcmd {
	name := names[g.r.Intn(len(names))]
	for _, grp := range randGroups {
		if grp.name == name {
			return grp.ops[g.r.Intn(len(grp.ops))](g)
		}
	}
	panic("no group " + name)
}

var composite = []string{"strings", "lists", "sets", "hashes", "zsets", "keys"}

func init() {
	randGroups = append(randGroups,
		randGroup{"scripts", []func(g *rgen) rcmd{
			func(g *rgen) rcmd {
				// A command run by a script: Redis's reply converted to Lua
				// and back, under RESP2 or RESP3 inside the script.
				c := fromGroups(g, composite...)
				body := g.pick("return redis.pcall(unpack(ARGV))", "redis.setresp(3); return redis.pcall(unpack(ARGV))",
					"return redis.call(unpack(ARGV))")
				out := rcmd{args: cat([]string{"EVAL", body, "0"}, c.args)}
				if strings.HasPrefix(body, "redis.setresp(3)") {
					// A RESP3 map becomes a Lua table, and comes back in
					// the order of Lua's hash part, which is Lua 5.1's
					// own: compared sorted.
					out.line.Sort = true
				}
				merge(&out.line, c)
				return out
			},
		}},
		randGroup{"multi", []func(g *rgen) rcmd{
			func(g *rgen) rcmd {
				seq := []rcmd{cmd("MULTI")}
				exec := rcmd{args: []string{g.pick("EXEC", "EXEC", "EXEC", "DISCARD")}}
				for i := 1 + g.r.Intn(4); i > 0; i-- {
					c := fromGroups(g, composite...)
					seq = append(seq, cmd(c.args...)) // replies QUEUED or an error
					merge(&exec.line, c)
				}
				return rcmd{seq: append(seq, exec)}
			},
			func(g *rgen) rcmd { return fromGroups(g, composite...) },
			func(g *rgen) rcmd { return cmd("WATCH", g.key()) },
		}},
	)
}

func cmd(args ...string) rcmd { return rcmd{args: args} }

func sorted(args ...string) rcmd { return rcmd{args: args, line: redistest.Line{Sort: true}} }

func pairs(args ...string) rcmd { return rcmd{args: args, line: redistest.Line{SortPairs: true}} }

func shape(args ...string) rcmd { return rcmd{args: args, line: redistest.Line{Len: true}} }

func approx(n int, args ...string) rcmd { return rcmd{args: args, line: redistest.Line{Approx: n}} }

// rgen draws arguments.
type rgen struct{ r *rand.Rand }

func (g *rgen) pick(xs ...string) string { return xs[g.r.Intn(len(xs))] }

// key is one of three keys, so that commands collide.
func (g *rgen) key() string { return g.pick("k1", "k2", "k3") }

// member is a short string, an integer, or now and then a long value past
// the listpack value limit.
func (g *rgen) member() string {
	switch g.r.Intn(10) {
	case 0:
		return strings.Repeat("v", 65+g.r.Intn(3))
	case 1, 2, 3:
		return strconv.Itoa(g.r.Intn(20) - 5)
	case 4:
		if g.r.Intn(3) == 0 {
			return g.pick("01", " 1", "-0", "1.0e3", "3.0", "1e308", "9223372036854775807",
				"-9223372036854775808", "18446744073709551616", "0x1", "", "10.50", "inf",
				"a\x00b", "\xff", "é", "A", "a ")
		}
	}
	return string(rune('a' + g.r.Intn(8)))
}

func (g *rgen) members(max int) []string {
	n := 1 + g.r.Intn(max)
	out := make([]string, n)
	for i := range out {
		out[i] = g.member()
	}
	return out
}

// num is an integer argument, mostly small, sometimes at the edges.
func (g *rgen) num() string {
	if g.r.Intn(12) == 0 {
		return g.pick("9223372036854775807", "-9223372036854775808", "x", "1.5", "")
	}
	return strconv.Itoa(g.r.Intn(13) - 4)
}

// score is a float argument.
func (g *rgen) score() string {
	if g.r.Intn(10) == 0 {
		return g.pick("inf", "-inf", "+inf", "1e308", "nan", "x", "0.1", "-0", "1e-5")
	}
	return strconv.Itoa(g.r.Intn(10) - 3)
}

// scoreRange is a ZRANGEBYSCORE bound.
func (g *rgen) scoreBound() string {
	b := g.score()
	if g.r.Intn(3) == 0 && b != "" {
		b = "(" + b
	}
	return b
}

// lexKey is the sorted set the lex-range commands use: its members all
// have score 0. Lex ranges over mixed scores are undefined in Redis (the
// answer depends on the skiplist's random levels), so no other command
// writes it.
func (g *rgen) lexKey() string { return g.pick("kl", "kl", "kl", "nokey") }

func (g *rgen) lexBound() string {
	switch g.r.Intn(6) {
	case 0:
		return "-"
	case 1:
		return "+"
	case 2:
		return "(" + g.member()
	case 3:
		return g.member() // invalid
	}
	return "[" + g.member()
}

func cat(head []string, tail ...[]string) []string {
	out := append([]string(nil), head...)
	for _, t := range tail {
		out = append(out, t...)
	}
	return out
}

// randGroup is a data-type group: the commands its streams are made of.
type randGroup struct {
	name string
	ops  []func(g *rgen) rcmd
}

var randGroups = []randGroup{
	{"strings", []func(g *rgen) rcmd{
		func(g *rgen) rcmd {
			a := []string{"SET", g.key(), g.member()}
			switch g.r.Intn(6) {
			case 0:
				a = append(a, g.pick("NX", "XX"))
			case 1:
				a = append(a, "GET")
			case 2:
				a = append(a, "EX", g.pick("100", "0", "-1", "x"))
			case 3:
				a = append(a, "KEEPTTL", g.pick("GET", "XX", "PX"))
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd { return cmd("GET", g.key()) },
		func(g *rgen) rcmd { return cmd("GETSET", g.key(), g.member()) },
		func(g *rgen) rcmd { return cmd("GETDEL", g.key()) },
		func(g *rgen) rcmd {
			return cmd("GETEX", g.key(), g.pick("PERSIST", "EX", "PX"), g.pick("100000", "0", "x"))
		},
		func(g *rgen) rcmd { return cmd("APPEND", g.key(), g.member()) },
		func(g *rgen) rcmd { return cmd("STRLEN", g.key()) },
		func(g *rgen) rcmd { return cmd(g.pick("INCR", "DECR"), g.key()) },
		func(g *rgen) rcmd { return cmd(g.pick("INCRBY", "DECRBY"), g.key(), g.num()) },
		func(g *rgen) rcmd { return cmd("INCRBYFLOAT", g.key(), g.score()) },
		func(g *rgen) rcmd { return cmd("SETRANGE", g.key(), strconv.Itoa(g.r.Intn(12)-1), g.member()) },
		func(g *rgen) rcmd { return cmd(g.pick("GETRANGE", "SUBSTR"), g.key(), g.num(), g.num()) },
		func(g *rgen) rcmd { return cmd("MSET", g.key(), g.member(), g.key(), g.member()) },
		func(g *rgen) rcmd { return cmd("MSETNX", g.key(), g.member(), g.key(), g.member()) },
		func(g *rgen) rcmd { return cmd("MGET", g.key(), g.key(), "nokey") },
		func(g *rgen) rcmd { return cmd("SETNX", g.key(), g.member()) },
		func(g *rgen) rcmd { return approx(1, "TTL", g.key()) },
		func(g *rgen) rcmd {
			a := []string{"LCS", g.key(), g.key()}
			switch g.r.Intn(3) {
			case 0:
				a = append(a, "LEN")
			case 1:
				a = append(a, "IDX", "MINMATCHLEN", g.pick("0", "1", "2"), "WITHMATCHLEN")
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd {
			return cmd("SET", g.key(), g.member(), g.pick("EXAT", "PXAT"), g.pick("4000000000", "4000000000000", "1", "0"))
		},
		func(g *rgen) rcmd {
			return cmd("GETEX", g.key(), g.pick("EXAT", "PXAT"), g.pick("4000000000", "1", "-1"))
		},
		func(g *rgen) rcmd { return cmd("SETRANGE", g.key(), g.pick("536870912", "0", "3"), g.pick("", "x")) },
		func(g *rgen) rcmd { return cmd("OBJECT", "ENCODING", g.key()) },
		func(g *rgen) rcmd { return cmd("INCRBYFLOAT", g.key(), g.pick("1e308", "-1e308", "0", "1.5e-3")) },
		func(g *rgen) rcmd { return cmd("RPUSH", g.key(), "x") }, // wrong type for what follows
		func(g *rgen) rcmd { return cmd("DEL", g.key()) },
	}},
	{"keys", []func(g *rgen) rcmd{
		func(g *rgen) rcmd { return cmd("SET", g.key(), g.member()) },
		func(g *rgen) rcmd { return cmd("RPUSH", g.key(), g.member(), g.member()) },
		func(g *rgen) rcmd { return cmd("SADD", g.key(), g.member(), g.member()) },
		func(g *rgen) rcmd { return cmd("HSET", g.key(), g.member(), g.member()) },
		func(g *rgen) rcmd { return cmd("ZADD", g.key(), g.score(), g.member()) },
		func(g *rgen) rcmd { return cmd("TYPE", g.key()) },
		func(g *rgen) rcmd { return cmd("EXISTS", g.key(), g.key()) },
		func(g *rgen) rcmd { return cmd(g.pick("DEL", "UNLINK", "TOUCH"), g.key(), g.key()) },
		func(g *rgen) rcmd { return cmd(g.pick("RENAME", "RENAMENX"), g.key(), g.key()) },
		func(g *rgen) rcmd {
			a := []string{"COPY", g.key(), g.key()}
			if g.r.Intn(2) == 0 {
				a = append(a, "REPLACE")
			}
			if g.r.Intn(3) == 0 {
				a = append(a, "DB", g.pick("0", "1", "16", "x"))
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd { return cmd("MOVE", g.key(), g.pick("0", "1")) },
		func(g *rgen) rcmd {
			a := []string{g.pick("EXPIRE", "PEXPIRE"), g.key(), g.pick("100000", "200000", "-1", "0", "x", "9223372036854775807")}
			if g.r.Intn(3) == 0 {
				a = append(a, g.pick("NX", "XX", "GT", "LT", "NX XX"))
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd {
			return cmd(g.pick("EXPIREAT", "PEXPIREAT"), g.key(), g.pick("1", "4000000000000", "0"))
		},
		func(g *rgen) rcmd { return cmd("PERSIST", g.key()) },
		func(g *rgen) rcmd { return approx(1, "TTL", g.key()) },
		func(g *rgen) rcmd { return approx(1000, "PTTL", g.key()) },
		func(g *rgen) rcmd { return approx(1, "EXPIRETIME", g.key()) },
		func(g *rgen) rcmd { return approx(1000, "PEXPIRETIME", g.key()) },
		func(g *rgen) rcmd { return cmd("DBSIZE") },
		func(g *rgen) rcmd { return sorted("KEYS", g.pick("*", "k[12]", "k?", "*3")) },
		func(g *rgen) rcmd {
			a := []string{"SCAN", "0", "COUNT", "1000"}
			if g.r.Intn(2) == 0 {
				a = append(a, "MATCH", g.pick("k*", "*1"))
			}
			if g.r.Intn(2) == 0 {
				a = append(a, "TYPE", g.pick("string", "list", "set", "zset", "hash", "nosuch"))
			}
			return sorted(a...)
		},
		func(g *rgen) rcmd { return cmd("OBJECT", "ENCODING", g.key()) },
		func(g *rgen) rcmd { return rcmd{args: []string{"RANDOMKEY"}, line: redistest.Line{KindOf: true}} },
		func(g *rgen) rcmd { return cmd("APPEND", g.key(), g.member()) },
		func(g *rgen) rcmd { return cmd("INCR", g.key()) },
		func(g *rgen) rcmd { return cmd("OBJECT", g.pick("REFCOUNT", "FREQ"), g.key()) },
		func(g *rgen) rcmd {
			a := []string{"SORT", g.key()}
			if g.r.Intn(2) == 0 {
				a = append(a, "BY", g.pick("k*", "k*->a", "nosort", "*->b", "x"))
			}
			for i := g.r.Intn(3); i > 0; i-- {
				a = append(a, "GET", g.pick("#", "k*", "k*->a", "k*->1", "*->"))
			}
			if g.r.Intn(2) == 0 {
				a = append(a, "ALPHA")
			}
			if len(a) > 3 && a[2] == "BY" {
				// Equal weights (or none, or nosort) leave a set's elements
				// in hash-table order.
				return sorted(a...)
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd {
			a := []string{"SORT", g.key()}
			if g.r.Intn(2) == 0 {
				a = append(a, "ALPHA")
			}
			if g.r.Intn(2) == 0 {
				a = append(a, "LIMIT", g.num(), g.num())
			}
			if g.r.Intn(2) == 0 {
				a = append(a, g.pick("ASC", "DESC"))
			}
			if g.r.Intn(3) == 0 {
				a = append(a, "STORE", g.key())
			}
			return cmd(a...)
		},
	}},
	{"lists", []func(g *rgen) rcmd{
		func(g *rgen) rcmd {
			return cmd(cat([]string{g.pick("LPUSH", "RPUSH")}, []string{g.key()}, g.members(5))...)
		},
		func(g *rgen) rcmd { return cmd(g.pick("LPUSHX", "RPUSHX"), g.key(), g.member()) },
		func(g *rgen) rcmd {
			if g.r.Intn(2) == 0 {
				return cmd(g.pick("LPOP", "RPOP"), g.key())
			}
			return cmd(g.pick("LPOP", "RPOP"), g.key(), g.num())
		},
		func(g *rgen) rcmd { return cmd("LRANGE", g.key(), g.num(), g.num()) },
		func(g *rgen) rcmd { return cmd("LINDEX", g.key(), g.num()) },
		func(g *rgen) rcmd { return cmd("LSET", g.key(), g.num(), g.member()) },
		func(g *rgen) rcmd { return cmd("LLEN", g.key()) },
		func(g *rgen) rcmd { return cmd("LREM", g.key(), g.num(), g.member()) },
		func(g *rgen) rcmd { return cmd("LTRIM", g.key(), g.num(), g.num()) },
		func(g *rgen) rcmd {
			return cmd("LINSERT", g.key(), g.pick("BEFORE", "AFTER", "X"), g.member(), g.member())
		},
		func(g *rgen) rcmd {
			return cmd("LMOVE", g.key(), g.key(), g.pick("LEFT", "RIGHT"), g.pick("LEFT", "RIGHT", "UP"))
		},
		func(g *rgen) rcmd { return cmd("RPOPLPUSH", g.key(), g.key()) },
		func(g *rgen) rcmd {
			a := []string{"LMPOP", g.pick("1", "2", "0"), g.key(), g.key()}
			a = append(a, g.pick("LEFT", "RIGHT"))
			if g.r.Intn(2) == 0 {
				a = append(a, "COUNT", g.num())
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd {
			a := []string{"LPOS", g.key(), g.member()}
			if g.r.Intn(2) == 0 {
				a = append(a, "RANK", g.num())
			}
			if g.r.Intn(2) == 0 {
				a = append(a, "COUNT", g.num())
			}
			if g.r.Intn(3) == 0 {
				a = append(a, "MAXLEN", g.num())
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd { return cmd("OBJECT", "ENCODING", g.key()) },
		func(g *rgen) rcmd { return cmd("SORT", g.key(), g.pick("ALPHA", "DESC", "ASC")) },
		func(g *rgen) rcmd { return cmd("SET", g.key(), "s") },
		func(g *rgen) rcmd { return cmd("DEL", g.key()) },
	}},
	{"sets", []func(g *rgen) rcmd{
		func(g *rgen) rcmd { return cmd(cat([]string{"SADD", g.key()}, g.members(6))...) },
		func(g *rgen) rcmd { return cmd(cat([]string{"SREM", g.key()}, g.members(3))...) },
		func(g *rgen) rcmd { return cmd("SCARD", g.key()) },
		func(g *rgen) rcmd { return sorted("SMEMBERS", g.key()) },
		func(g *rgen) rcmd { return cmd("SISMEMBER", g.key(), g.member()) },
		func(g *rgen) rcmd { return cmd(cat([]string{"SMISMEMBER", g.key()}, g.members(3))...) },
		func(g *rgen) rcmd { return cmd("SMOVE", g.key(), g.key(), g.member()) },
		func(g *rgen) rcmd { return sorted(g.pick("SINTER", "SUNION", "SDIFF"), g.key(), g.key(), g.key()) },
		func(g *rgen) rcmd {
			return cmd(g.pick("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), g.key(), g.key(), g.key())
		},
		func(g *rgen) rcmd {
			a := []string{"SINTERCARD", g.pick("1", "2", "0", "3"), g.key(), g.key()}
			if g.r.Intn(2) == 0 {
				a = append(a, "LIMIT", g.num())
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd {
			// With no count, or a count that takes everything, SRANDMEMBER
			// has one possible answer up to order.
			return shape("SRANDMEMBER", g.key(), g.pick("-3", "0", "1", "100", "-1"))
		},
		func(g *rgen) rcmd { return sorted("SPOP", g.key(), "1000") },
		func(g *rgen) rcmd { return sorted("SSCAN", g.key(), "0", "COUNT", "1000") },
		func(g *rgen) rcmd { return cmd("OBJECT", "ENCODING", g.key()) },
		func(g *rgen) rcmd { return cmd("SORT", g.key(), g.pick("ALPHA", "DESC", "ASC")) },
		func(g *rgen) rcmd { return cmd("SET", g.key(), "s") },
		func(g *rgen) rcmd { return cmd("DEL", g.key()) },
	}},
	{"hashes", []func(g *rgen) rcmd{
		func(g *rgen) rcmd { return cmd(cat([]string{"HSET", g.key()}, g.members(3), g.members(3))...) },
		func(g *rgen) rcmd { return cmd("HSET", g.key(), g.member(), g.member(), g.member(), g.member()) },
		func(g *rgen) rcmd { return cmd("HMSET", g.key(), g.member(), g.member()) },
		func(g *rgen) rcmd { return cmd("HSETNX", g.key(), g.member(), g.member()) },
		func(g *rgen) rcmd { return cmd("HGET", g.key(), g.member()) },
		func(g *rgen) rcmd { return cmd(cat([]string{"HMGET", g.key()}, g.members(3))...) },
		func(g *rgen) rcmd { return cmd(cat([]string{"HDEL", g.key()}, g.members(3))...) },
		func(g *rgen) rcmd { return cmd("HLEN", g.key()) },
		func(g *rgen) rcmd { return cmd("HSTRLEN", g.key(), g.member()) },
		func(g *rgen) rcmd { return cmd("HEXISTS", g.key(), g.member()) },
		func(g *rgen) rcmd { return cmd("HINCRBY", g.key(), g.member(), g.num()) },
		func(g *rgen) rcmd { return cmd("HINCRBYFLOAT", g.key(), g.member(), g.score()) },
		func(g *rgen) rcmd { return pairs("HGETALL", g.key()) },
		func(g *rgen) rcmd { return sorted(g.pick("HKEYS", "HVALS"), g.key()) },
		func(g *rgen) rcmd {
			a := []string{"HRANDFIELD", g.key()}
			if g.r.Intn(3) > 0 {
				a = append(a, g.pick("-3", "0", "1", "100"))
				if g.r.Intn(2) == 0 {
					a = append(a, "WITHVALUES")
				}
			}
			return shape(a...)
		},
		func(g *rgen) rcmd { return sorted("HSCAN", g.key(), "0", "COUNT", "1000") },
		func(g *rgen) rcmd { return cmd("OBJECT", "ENCODING", g.key()) },
		func(g *rgen) rcmd { return cmd("SET", g.key(), "s") },
		func(g *rgen) rcmd { return cmd("DEL", g.key()) },
	}},
	{"zsets", []func(g *rgen) rcmd{
		func(g *rgen) rcmd {
			a := []string{"ZADD", g.key()}
			for g.r.Intn(3) == 0 {
				a = append(a, g.pick("NX", "XX", "GT", "LT", "CH", "INCR"))
			}
			for i := 1 + g.r.Intn(4); i > 0; i-- {
				a = append(a, g.score(), g.member())
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd { return cmd("ZINCRBY", g.key(), g.score(), g.member()) },
		func(g *rgen) rcmd { return cmd(cat([]string{"ZREM", g.key()}, g.members(3))...) },
		func(g *rgen) rcmd { return cmd("ZCARD", g.key()) },
		func(g *rgen) rcmd { return cmd("ZSCORE", g.key(), g.member()) },
		func(g *rgen) rcmd { return cmd(cat([]string{"ZMSCORE", g.key()}, g.members(3))...) },
		func(g *rgen) rcmd { return cmd(g.pick("ZRANK", "ZREVRANK"), g.key(), g.member()) },
		func(g *rgen) rcmd { return cmd("ZCOUNT", g.key(), g.scoreBound(), g.scoreBound()) },
		func(g *rgen) rcmd { return cmd("ZLEXCOUNT", g.lexKey(), g.lexBound(), g.lexBound()) },
		func(g *rgen) rcmd {
			a := []string{"ZADD", "kl"}
			for i := 1 + g.r.Intn(4); i > 0; i-- {
				a = append(a, "0", g.member())
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd { return cmd("ZRANGE", "kl", "0", "-1") },
		func(g *rgen) rcmd {
			var a []string
			switch g.r.Intn(3) {
			case 0:
				a = []string{"ZRANGE", g.key(), g.num(), g.num()}
			case 1:
				a = []string{"ZRANGE", g.key(), g.scoreBound(), g.scoreBound(), "BYSCORE"}
			default:
				a = []string{"ZRANGE", g.lexKey(), g.lexBound(), g.lexBound(), "BYLEX"}
			}
			if g.r.Intn(2) == 0 {
				a = append(a, "REV")
			}
			if g.r.Intn(3) == 0 {
				a = append(a, "LIMIT", g.num(), g.num())
			}
			if g.r.Intn(2) == 0 {
				a = append(a, "WITHSCORES")
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd {
			a := []string{g.pick("ZRANGEBYSCORE", "ZREVRANGEBYSCORE"), g.key(), g.scoreBound(), g.scoreBound()}
			if g.r.Intn(2) == 0 {
				a = append(a, "WITHSCORES")
			}
			if g.r.Intn(3) == 0 {
				a = append(a, "LIMIT", g.num(), g.num())
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd {
			return cmd(g.pick("ZRANGEBYLEX", "ZREVRANGEBYLEX"), g.lexKey(), g.lexBound(), g.lexBound())
		},
		func(g *rgen) rcmd { return cmd("ZRANGESTORE", g.key(), g.key(), g.num(), g.num()) },
		func(g *rgen) rcmd { return cmd("ZREMRANGEBYRANK", g.key(), g.num(), g.num()) },
		func(g *rgen) rcmd { return cmd("ZREMRANGEBYSCORE", g.key(), g.scoreBound(), g.scoreBound()) },
		func(g *rgen) rcmd { return cmd("ZREMRANGEBYLEX", g.lexKey(), g.lexBound(), g.lexBound()) },
		func(g *rgen) rcmd {
			if g.r.Intn(2) == 0 {
				return cmd(g.pick("ZPOPMIN", "ZPOPMAX"), g.key())
			}
			return cmd(g.pick("ZPOPMIN", "ZPOPMAX"), g.key(), g.num())
		},
		func(g *rgen) rcmd {
			a := []string{"ZMPOP", g.pick("1", "2"), g.key(), g.key(), g.pick("MIN", "MAX")}
			if g.r.Intn(2) == 0 {
				a = append(a, "COUNT", g.num())
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd {
			op := g.pick("ZUNION", "ZINTER", "ZDIFF", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE")
			var a []string
			if strings.HasSuffix(op, "STORE") {
				a = []string{op, g.key(), "2", g.key(), g.key()}
			} else {
				a = []string{op, "2", g.key(), g.key()}
			}
			if op != "ZDIFF" && op != "ZDIFFSTORE" {
				if g.r.Intn(2) == 0 {
					a = append(a, "WEIGHTS", g.score(), g.score())
				}
				if g.r.Intn(2) == 0 {
					a = append(a, "AGGREGATE", g.pick("SUM", "MIN", "MAX"))
				}
			}
			if !strings.HasSuffix(op, "STORE") && g.r.Intn(2) == 0 {
				a = append(a, "WITHSCORES")
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd {
			a := []string{"ZINTERCARD", "2", g.key(), g.key()}
			if g.r.Intn(2) == 0 {
				a = append(a, "LIMIT", g.num())
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd { return shape("ZRANDMEMBER", g.key(), g.pick("-3", "0", "1", "100")) },
		func(g *rgen) rcmd { return sorted("ZSCAN", g.key(), "0", "COUNT", "1000") },
		func(g *rgen) rcmd { return cmd("OBJECT", "ENCODING", g.key()) },
		func(g *rgen) rcmd { return cmd("SET", g.key(), "s") },
		func(g *rgen) rcmd { return cmd("DEL", g.key()) },
	}},
	{"geo", []func(g *rgen) rcmd{
		func(g *rgen) rcmd {
			a := []string{"GEOADD", g.key()}
			if g.r.Intn(4) == 0 {
				a = append(a, g.pick("NX", "XX", "CH"))
			}
			for i := 1 + g.r.Intn(3); i > 0; i-- {
				lon := fmt.Sprintf("%.4f", 13+g.r.Float64()*3)
				lat := fmt.Sprintf("%.4f", 37+g.r.Float64()*2)
				if g.r.Intn(15) == 0 {
					lon, lat = g.pick("181", "-180", "x"), g.pick("86", "-85.05112878", "0")
				}
				a = append(a, lon, lat, g.member())
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd { return cmd(cat([]string{"GEOPOS", g.key()}, g.members(3))...) },
		func(g *rgen) rcmd { return cmd(cat([]string{"GEOHASH", g.key()}, g.members(3))...) },
		func(g *rgen) rcmd {
			return cmd("GEODIST", g.key(), g.member(), g.member(), g.pick("m", "km", "mi", "ft", "x"))
		},
		func(g *rgen) rcmd {
			a := []string{"GEOSEARCH", g.key()}
			if g.r.Intn(2) == 0 {
				a = append(a, "FROMMEMBER", g.member())
			} else {
				a = append(a, "FROMLONLAT", "14.5", "38")
			}
			if g.r.Intn(2) == 0 {
				a = append(a, "BYRADIUS", g.pick("50", "200", "0"), g.pick("km", "m"))
			} else {
				a = append(a, "BYBOX", g.pick("100", "400"), g.pick("100", "300"), "km")
			}
			a = append(a, g.pick("ASC", "DESC"))
			if g.r.Intn(2) == 0 {
				a = append(a, "COUNT", g.pick("1", "3", "0"))
				if g.r.Intn(2) == 0 {
					a = append(a, "ANY")
				}
			}
			for _, w := range []string{"WITHCOORD", "WITHDIST", "WITHHASH"} {
				if g.r.Intn(2) == 0 {
					a = append(a, w)
				}
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd {
			a := []string{"GEOSEARCHSTORE", g.key(), g.key(), "FROMLONLAT", "14.5", "38", "BYRADIUS", "150", "km", "ASC"}
			if g.r.Intn(2) == 0 {
				a = append(a, "STOREDIST")
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd {
			return cmd("GEORADIUS", g.key(), "14.5", "38", g.pick("100", "250"), "km", g.pick("ASC", "DESC"), "WITHDIST")
		},
		func(g *rgen) rcmd {
			return cmd("GEORADIUSBYMEMBER", g.key(), g.member(), "200", "km", "ASC", "WITHCOORD")
		},
		func(g *rgen) rcmd { return cmd("ZRANGE", g.key(), "0", "-1", "WITHSCORES") },
		func(g *rgen) rcmd { return cmd("ZREM", g.key(), g.member()) },
		func(g *rgen) rcmd { return cmd("SET", g.key(), "s") },
	}},
	{"streams", []func(g *rgen) rcmd{
		func(g *rgen) rcmd {
			a := []string{"XADD", g.key()}
			if g.r.Intn(6) == 0 {
				a = append(a, "NOMKSTREAM")
			}
			if g.r.Intn(6) == 0 {
				a = append(a, "MAXLEN", g.pick("=", "~"), g.pick("2", "5", "0"))
			}
			id := strconv.Itoa(g.r.Intn(30)) + "-" + g.pick("0", "1", "2", "*")
			if g.r.Intn(10) == 0 {
				id = g.pick("0-0", "x", "1", "18446744073709551615-18446744073709551615")
			}
			return cmd(cat(a, []string{id, "f", g.member()})...)
		},
		func(g *rgen) rcmd { return cmd("XLEN", g.key()) },
		func(g *rgen) rcmd {
			a := []string{g.pick("XRANGE", "XREVRANGE"), g.key(), g.pick("-", "+", "5", "(5-0", "10-1"), g.pick("+", "-", "20", "(20")}
			if g.r.Intn(2) == 0 {
				a = append(a, "COUNT", g.num())
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd { return cmd("XDEL", g.key(), strconv.Itoa(g.r.Intn(30))+"-"+g.pick("0", "1")) },
		func(g *rgen) rcmd {
			if g.r.Intn(2) == 0 {
				return cmd("XTRIM", g.key(), "MAXLEN", g.pick("=", "~"), g.pick("0", "2", "4"))
			}
			return cmd("XTRIM", g.key(), "MINID", strconv.Itoa(g.r.Intn(30)))
		},
		func(g *rgen) rcmd {
			a := []string{"XGROUP", "CREATE", g.key(), g.pick("g1", "g2"), g.pick("$", "0", "10")}
			if g.r.Intn(2) == 0 {
				a = append(a, "MKSTREAM")
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd {
			return cmd("XGROUP", "SETID", g.key(), g.pick("g1", "g2"), g.pick("$", "0", "5-0"))
		},
		func(g *rgen) rcmd {
			return cmd("XGROUP", "CREATECONSUMER", g.key(), g.pick("g1", "g2"), g.pick("c1", "c2"))
		},
		func(g *rgen) rcmd {
			return cmd("XGROUP", "DELCONSUMER", g.key(), g.pick("g1", "g2"), g.pick("c1", "c2"))
		},
		func(g *rgen) rcmd {
			a := []string{"XREADGROUP", "GROUP", g.pick("g1", "g2"), g.pick("c1", "c2")}
			if g.r.Intn(2) == 0 {
				a = append(a, "COUNT", g.pick("1", "2", "0"))
			}
			if g.r.Intn(4) == 0 {
				a = append(a, "NOACK")
			}
			return cmd(cat(a, []string{"STREAMS", g.key(), g.pick(">", ">", "0", "5-0")})...)
		},
		func(g *rgen) rcmd {
			a := []string{"XREAD"}
			if g.r.Intn(2) == 0 {
				a = append(a, "COUNT", g.pick("1", "2"))
			}
			return cmd(cat(a, []string{"STREAMS", g.key(), g.key(), g.pick("0", "5-0"), g.pick("0", "$", "10")})...)
		},
		func(g *rgen) rcmd {
			return cmd("XACK", g.key(), g.pick("g1", "g2"), strconv.Itoa(g.r.Intn(30))+"-0", strconv.Itoa(g.r.Intn(30))+"-1")
		},
		func(g *rgen) rcmd { return cmd("XPENDING", g.key(), g.pick("g1", "g2")) },
		func(g *rgen) rcmd {
			// The extended form reports idle times: compared by shape.
			return shape("XPENDING", g.key(), g.pick("g1", "g2"), "-", "+", "10")
		},
		func(g *rgen) rcmd {
			a := []string{"XCLAIM", g.key(), g.pick("g1", "g2"), g.pick("c1", "c2"), "0", strconv.Itoa(g.r.Intn(30)) + "-0"}
			a = append(a, "JUSTID")
			return cmd(a...)
		},
		func(g *rgen) rcmd {
			return cmd("XAUTOCLAIM", g.key(), g.pick("g1", "g2"), g.pick("c1", "c2"), "0", "0-0", "COUNT", g.pick("1", "5"), "JUSTID")
		},
		func(g *rgen) rcmd { return cmd("XINFO", "GROUPS", g.key()) },
		func(g *rgen) rcmd {
			a := []string{"XCLAIM", g.key(), g.pick("g1", "g2"), g.pick("c1", "c2"), "0", strconv.Itoa(g.r.Intn(30)) + "-0", strconv.Itoa(g.r.Intn(30)) + "-1"}
			if g.r.Intn(2) == 0 {
				a = append(a, "RETRYCOUNT", g.pick("0", "5", "x"))
			}
			if g.r.Intn(3) == 0 {
				a = append(a, "FORCE")
			}
			return cmd(a...)
		},
		func(g *rgen) rcmd {
			return cmd("XAUTOCLAIM", g.key(), g.pick("g1", "g2"), g.pick("c1", "c2"), "0", g.pick("0-0", "5", "(5"), "COUNT", g.pick("1", "5", "0"))
		},
		func(g *rgen) rcmd {
			a := []string{"XPENDING", g.key(), g.pick("g1", "g2")}
			a = append(a, "IDLE", "0", g.pick("-", "(3"), g.pick("+", "(20"), g.pick("10", "1", "0"))
			if g.r.Intn(2) == 0 {
				a = append(a, g.pick("c1", "c2"))
			}
			return shape(a...)
		},
		func(g *rgen) rcmd {
			return cmd("XADD", g.key(), "MINID", g.pick("=", "~"), strconv.Itoa(g.r.Intn(30)), "LIMIT", g.pick("0", "10"), strconv.Itoa(30+g.r.Intn(5))+"-*", "f", "v")
		},
		func(g *rgen) rcmd { return cmd("XINFO", "STREAM", g.key()) },
		func(g *rgen) rcmd { return cmd("XSETID", g.key(), strconv.Itoa(g.r.Intn(40))+"-0") },
		func(g *rgen) rcmd { return cmd("XGROUP", "DESTROY", g.key(), g.pick("g1", "g2")) },
		func(g *rgen) rcmd { return cmd("SET", g.key(), "s") },
		func(g *rgen) rcmd { return cmd("DEL", g.key()) },
	}},
}
