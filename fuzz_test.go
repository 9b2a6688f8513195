package embedis

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"
)

// fuzzAlphabet is what fuzzed arguments are drawn from: keys that collide,
// numbers at the edges of every parser, option keywords of many commands,
// range and ID syntax, and strings around the encoding thresholds.
var fuzzAlphabet = []string{
	// keys and members
	"k1", "k2", "k3", "k1", "k2", "a", "b", "c", "f1", "f2", "m1", "m2", "g1", "c1", "c2", "", "f", "g",
	// numbers
	"0", "-1", "1", "2", "3", "10", "100", "-9223372036854775808", "9223372036854775807",
	"9223372036854775808", "1e308", "-1e308", "inf", "-inf", "+inf", "nan", "1.5", "-0", "0.001",
	"1e-320", "2147483648", "4294967296", "00", " 1", "0x10", "5",
	// stream IDs and ranges
	"0-0", "0-1", "1-0", "1-1", "2-1", "1-*", "18446744073709551615-18446744073709551615",
	"$", ">", "*", "-", "+", "(1", "[a", "(a", "[", "(", "(-inf", "(+inf",
	// patterns and types
	"k*", "?", "*1", "[k]*", "\\", "string", "list", "set", "zset", "hash", "stream",
	// keywords
	"NX", "XX", "GT", "LT", "CH", "INCR", "WITHSCORES", "LIMIT", "COUNT", "MATCH", "TYPE", "BY",
	"GET", "STORE", "ALPHA", "ASC", "DESC", "LEFT", "RIGHT", "BEFORE", "AFTER", "MIN", "MAX", "SUM",
	"WEIGHTS", "AGGREGATE", "BYSCORE", "BYLEX", "REV", "RANK", "MAXLEN", "MINID", "~", "=",
	"NOMKSTREAM", "STREAMS", "GROUP", "NOACK", "MKSTREAM", "ENTRIESREAD", "ENTRIESADDED",
	"MAXDELETEDID", "IDLE", "TIME", "RETRYCOUNT", "FORCE", "JUSTID", "FULL", "EX", "PX", "EXAT",
	"PXAT", "KEEPTTL", "PERSIST", "REPLACE", "DB", "LEN", "IDX", "MINMATCHLEN", "WITHMATCHLEN",
	"WITHVALUES", "WITHCOORD", "WITHDIST", "WITHHASH", "ANY", "STOREDIST", "BYRADIUS", "BYBOX",
	"FROMMEMBER", "FROMLONLAT", "m", "km", "ft", "mi", "nosort", "#", "k*->f1", "ENCODING",
	"IDLETIME", "FREQ", "REFCOUNT", "HELP", "FLUSH", "ASYNC", "SYNC", "LIBRARYNAME", "WITHCODE",
	"maxmemory", "list-max-listpack-size", "set-max-intset-entries", "hash-max-listpack-entries",
	"zset-max-listpack-entries", "zset-max-listpack-value", "maxmemory-policy", "allkeys-lru",
	"13.361389", "38.115556", "15.087269", "37.502669", "180", "-85.05112879", "200",
	// scripts and libraries
	"return 1", "return redis.call('set',KEYS[1],ARGV[1])", "return redis.pcall('incr',KEYS[1])",
	"return redis.call('lpush',KEYS[1],'x')", "return {1,'a',{2}}", "return redis.status_reply('OK')",
	"error(", "#!lua name=lib\nredis.register_function('f', function(k, a) return redis.call('get', k[1]) end)",
	"#!lua name=lib2\nredis.register_function{function_name='g', callback=function(k, a) return #k end, flags={'no-writes'}}",
	"e0e1f9fabfc9d4800c877a703b823ac0578ff8db",
	// long strings: past the listpack value limit and bigger
	strings.Repeat("x", 65), strings.Repeat("y", 300), strings.Repeat("7", 21),
}

// fuzzReader hands out the bytes of a fuzz input; past the end it gives 0.
type fuzzReader struct {
	b []byte
	i int
}

func (r *fuzzReader) next() byte {
	if r.i >= len(r.b) {
		r.i++
		return 0
	}
	c := r.b[r.i]
	r.i++
	return c
}

func (r *fuzzReader) done() bool { return r.i >= len(r.b) }

// fuzzCommands lists every command as it is called: top-level names, and
// each container's subcommands as "NAME SUB". Containers themselves are kept
// too, for their arity and unknown-subcommand paths.
func fuzzCommands() [][]string {
	var out [][]string
	for _, n := range commandNames() {
		out = append(out, []string{n})
		cmd := commands[n]
		var subs []string
		for s := range cmd.subcommands {
			subs = append(subs, s)
		}
		sort.Strings(subs)
		for _, s := range subs {
			out = append(out, []string{n, s})
		}
	}
	return out
}

// decodeFuzz turns a fuzz input into at most 12 commands: per command, two
// bytes pick the command (a first byte 255 moves the clock instead, 254
// runs the next command through EVAL), one the argument count (see
// fuzzArgCount), and one per argument picks from fuzzAlphabet or, past its
// end, takes up to 23 raw bytes from the input.
func decodeFuzz(data []byte, table [][]string) (cmds [][]string) {
	r := &fuzzReader{b: data}
	script := false
	for len(cmds) < 12 && !r.done() {
		b := r.next()
		if b == 255 {
			// A clock step, as a pseudo-command.
			cmds = append(cmds, []string{"\x00advance", string([]byte{r.next()})})
			continue
		}
		if b == 254 {
			// The next command runs inside a script, through redis.pcall.
			script = true
			continue
		}
		pick := int(b)<<8 | int(r.next())
		cmd := append([]string(nil), table[pick%len(table)]...)
		n := fuzzArgCount(cmd, r.next())
		for j := 0; j < n; j++ {
			a := int(r.next())
			if a < len(fuzzAlphabet) {
				cmd = append(cmd, fuzzAlphabet[a])
				continue
			}
			ln := int(r.next() % 24)
			var sb strings.Builder
			for k := 0; k < ln && !r.done(); k++ {
				sb.WriteByte(r.next())
			}
			cmd = append(cmd, sb.String())
		}
		if script {
			cmd = append([]string{"eval", fuzzScript, "0"}, cmd...)
			script = false
		}
		cmds = append(cmds, cmd)
	}
	return cmds
}

// fuzzScript runs its arguments as a command from a script, so that any
// command's reply goes through the Lua conversions both ways.
const fuzzScript = "return redis.pcall(unpack(ARGV))"

// fuzzArgCount is how many arguments follow cmd: below 32, b itself (mod
// 9), so any count can be tried; otherwise one the command's arity accepts,
// so that most commands get past the arity check.
func fuzzArgCount(cmd []string, b byte) int {
	if b < 32 {
		return int(b % 9)
	}
	row := lookupCommand(commands, cmd[0])
	if row == nil {
		return int(b % 9)
	}
	if len(cmd) > 1 && row.subcommands != nil {
		if sub := lookupCommand(row.subcommands, cmd[1]); sub != nil {
			row = sub
		}
	}
	if row.arity > 0 {
		return max(row.arity-len(cmd), 0)
	}
	return max(-row.arity-len(cmd), 0) + int(b%6)
}

// fuzzSkip reports whether a command would block or sleep, which a fuzz
// run cannot afford: DEBUG SLEEP, WAIT, SHUTDOWN, and blocking commands
// (XREAD with BLOCK, BLPOP and friends), whose timeout is wall-clock or
// forever.
func fuzzSkip(args []string) bool {
	if args[0] == "eval" && len(args) > 3 && args[1] == fuzzScript {
		args = args[3:]
	}
	cmd := lookupCommand(commands, args[0])
	if cmd == nil {
		return false
	}
	if eqFold(args[0], "debug") && len(args) > 1 && eqFold(args[1], "sleep") {
		return true
	}
	// WAIT for replicas blocks (until its timeout, or forever); SHUTDOWN
	// closes the store.
	if cmd.name == "wait" || cmd.name == "shutdown" {
		return true
	}
	if cmd.flags&flagBlocking != 0 {
		if eqFold(args[0], "xread") || eqFold(args[0], "xreadgroup") {
			for _, a := range args {
				if eqFold(a, "block") {
					return true
				}
			}
			return false
		}
		return true
	}
	return false
}

// runFuzzCommands runs cmds on a fresh store with a manual clock and fails
// t on a panic (the store's executor would crash the process), on a broken
// invariant after any command, or when Close fails. Each reply is also
// encoded for the wire in RESP2 and RESP3.
func runFuzzCommands(t *testing.T, cmds [][]string) {
	clk := NewManualClock(testStart)
	s, err := Open(Options{Clock: clk, Seed: 1})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	ctx := context.Background()
	db := s.Database(0)
	var buf []byte
	for i, args := range cmds {
		if args[0] == "\x00advance" {
			clk.Advance(time.Duration(args[1][0]) * 100 * time.Millisecond)
			continue
		}
		if fuzzSkip(args) {
			continue
		}
		v, err := db.DoStrings(ctx, args...)
		if err != nil {
			t.Fatalf("command %d %q: Do: %v", i, args, err)
		}
		// Any reply is fine, errors included, as long as the wire can
		// encode it in both protocols.
		buf = appendReply(appendReply(buf[:0], v, 2), v, 3)
		var ierr error
		if err := s.onExecutor(ctx, func(s *Store) { ierr = s.checkInvariants() }); err != nil {
			t.Fatalf("command %d %q: invariant check: %v", i, args, err)
		}
		if ierr != nil {
			t.Fatalf("after command %d %q: %v", i, args, ierr)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// FuzzDispatch runs short command sequences decoded from the input (see
// decodeFuzz) on one store: no command may panic, the store's invariants
// must hold after each, and Close must return. The seed corpus is in
// testdata/fuzz/FuzzDispatch; run longer with
//
//	go test -run '^$' -fuzz FuzzDispatch -fuzztime 5m
func FuzzDispatch(f *testing.F) {
	table := fuzzCommands()
	index := map[string]int{}
	for i, c := range table {
		index[strings.Join(c, " ")] = i
	}
	alpha := map[string]byte{}
	for i := len(fuzzAlphabet) - 1; i >= 0; i-- {
		alpha[fuzzAlphabet[i]] = byte(i)
	}
	// seed encodes commands as decodeFuzz reads them.
	seed := func(cmds ...[]string) []byte {
		var b []byte
		for _, c := range cmds {
			name, rest := c[0], c[1:]
			i, ok := index[name]
			if !ok && len(c) > 1 {
				if j, ok2 := index[c[0]+" "+c[1]]; ok2 {
					i, ok, rest = j, true, c[2:]
				}
			}
			if !ok {
				f.Fatalf("seed: no command %q", name)
			}
			b = append(b, byte(i>>8), byte(i), byte(len(rest)))
			for _, a := range rest {
				x, ok := alpha[a]
				if !ok {
					f.Fatalf("seed: %q is not in the alphabet", a)
				}
				b = append(b, x)
			}
		}
		return b
	}
	f.Add(seed([]string{"set", "k1", "1"}, []string{"incr", "k1"}, []string{"get", "k1"}))
	f.Add(seed([]string{"rpush", "k1", "a", "b"}, []string{"lmove", "k1", "k1", "LEFT", "RIGHT"}, []string{"lrange", "k1", "0", "-1"}))
	f.Add(seed([]string{"zadd", "k2", "1", "a", "inf", "b"}, []string{"zrangestore", "k3", "k2", "(1", "+inf", "BYSCORE"}, []string{"zunionstore", "k2", "2", "k2", "k3", "WEIGHTS", "nan", "1"}))
	f.Add(seed([]string{"xadd", "k1", "1-1", "f1", "a"}, []string{"xgroup create", "k1", "g1", "0"}, []string{"xreadgroup", "GROUP", "g1", "c1", "STREAMS", "k1", ">"}, []string{"xautoclaim", "k1", "g1", "c2", "0", "0-0"}))
	f.Add(seed([]string{"hset", "k3", "f1", "1"}, []string{"hincrbyfloat", "k3", "f1", "1e308"}, []string{"hincrbyfloat", "k3", "f1", "1e308"}))
	f.Add(seed([]string{"sadd", "k1", "1", "2", "3"}, []string{"sort", "k1", "BY", "k*->f1", "GET", "#", "STORE", "k2"}, []string{"sintercard", "2", "k1", "k2", "LIMIT", "1"}))
	f.Add(seed([]string{"geoadd", "k1", "13.361389", "38.115556", "a"}, []string{"geosearchstore", "k2", "k1", "FROMMEMBER", "a", "BYRADIUS", "200", "km", "STOREDIST"}))
	f.Add(seed([]string{"set", "k1", "a", "PX", "100"}, []string{"copy", "k1", "k2"}, []string{"pexpire", "k2", "9223372036854775807"}))
	f.Add(seed([]string{"eval", "return redis.call('set',KEYS[1],ARGV[1])", "1", "k1", "a"}, []string{"function load", "#!lua name=lib\nredis.register_function('f', function(k, a) return redis.call('get', k[1]) end)"}, []string{"fcall", "f", "1", "k1"}))
	f.Add(seed([]string{"config set", "set-max-intset-entries", "1"}, []string{"sadd", "k1", "1", "2"}, []string{"object encoding", "k1"}))
	// 254: the next command runs in a script.
	f.Add(append(append([]byte{254}, seed([]string{"zadd", "k1", "1.5", "a"})...), append([]byte{254}, seed([]string{"zrange", "k1", "0", "-1", "WITHSCORES"})...)...))
	f.Add(append(seed([]string{"xadd", "k1", "1-1", "f1", "a"}), append([]byte{254}, seed([]string{"xinfo stream", "k1", "FULL"})...)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		runFuzzCommands(t, decodeFuzz(data, table))
	})
}
