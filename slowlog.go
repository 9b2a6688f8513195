package embedis

import (
	"strconv"
	"strings"
)

// SLOWLOG: the commands that ran longer than slowlog-log-slower-than
// microseconds (default 10000; 0 logs every command, a negative value none),
// newest first, at most slowlog-max-len of them (default 128).

// slowlog is the executor's slow log. Owned by the executor goroutine.
type slowlog struct {
	entries []slowEntry // newest last
	nextID  int64
}

// slowEntry is one logged command. Its args own their memory: they are
// copies (trimmed as Redis trims them), never the command's vector, which
// lives only while its request is served (see ownArgs).
type slowEntry struct {
	id       int64
	unix     int64 // when the command ended, unix seconds
	usec     int64 // duration
	args     []string
	addr     string
	name     string
	clientID int64
}

// Trimming of a logged command's arguments, as Redis does.
const (
	slowlogMaxArgs = 32
	slowlogMaxArg  = 128
)

// slowlogArgs returns the arguments as the slow log keeps them: at most 32
// (the last one replaced by "... (N more arguments)"), each at most 128
// bytes (then followed by "... (N more bytes)"), in fresh memory.
func slowlogArgs(args []string) []string {
	n := len(args)
	if n > slowlogMaxArgs {
		n = slowlogMaxArgs
	}
	out := make([]string, n)
	for i := 0; i < n; i++ {
		if i == slowlogMaxArgs-1 && len(args) > slowlogMaxArgs {
			out[i] = "... (" + strconv.Itoa(len(args)-slowlogMaxArgs+1) + " more arguments)"
			break
		}
		a := args[i]
		if len(a) > slowlogMaxArg {
			out[i] = a[:slowlogMaxArg] + "... (" + strconv.Itoa(len(a)-slowlogMaxArg) + " more bytes)"
		} else {
			// A copy, so that the log does not keep alive a larger
			// buffer the argument may share.
			out[i] = strings.Clone(a)
		}
	}
	return out
}

// slowlogPush logs the command of c, which took usec microseconds.
func (s *Store) slowlogPush(c *call, usec int64) {
	o := &s.obs
	if o.slowlogMaxLen <= 0 {
		o.slowlog.nextID++ // logged and trimmed away at once, as in Redis
		return
	}
	e := slowEntry{id: o.slowlog.nextID, unix: s.opts.Clock.Now().Unix(), usec: usec, args: slowlogArgs(c.args)}
	o.slowlog.nextID++
	if ss, ok := c.cl.conn.(*session); ok {
		e.addr, e.name, e.clientID = ss.conn.RemoteAddr().String(), ss.name, ss.id
	}
	o.slowlog.entries = append(o.slowlog.entries, e)
	o.slowlog.trim(o.slowlogMaxLen)
}

// trim keeps the newest max entries.
func (l *slowlog) trim(max int) {
	if max < 0 {
		max = 0
	}
	if d := len(l.entries) - max; d > 0 {
		clear(l.entries[:d])
		l.entries = append(l.entries[:0], l.entries[d:]...)
	}
}

func init() {
	f := flagAdmin | flagLoading | flagStale
	acl := []string{"admin", "slow", "dangerous"}
	register(
		&command{name: "slowlog", arity: -2, acl: []string{"slow"}},
		&command{name: "slowlog|get", arity: -2, flags: f, acl: acl, handler: cmdSlowlogGet},
		&command{name: "slowlog|len", arity: 2, flags: f, acl: acl, handler: cmdSlowlogLen},
		&command{name: "slowlog|reset", arity: 2, flags: f, acl: acl, handler: cmdSlowlogReset},
		&command{name: "slowlog|help", arity: 2, flags: flagLoading | flagStale, acl: []string{"slow"}, handler: cmdSlowlogHelp},
	)
}

func cmdSlowlogGet(c *call) Value {
	count := int64(10)
	if len(c.args) > 3 {
		return ErrorValue("ERR unknown subcommand or wrong number of arguments for '" + sanitize(truncate(c.args[1], 128)) + "'. Try SLOWLOG HELP.")
	}
	if len(c.args) == 3 {
		n, ok := parseInt(c.args[2])
		if !ok || n < -1 {
			return ErrorValue("ERR count should be greater than or equal to -1")
		}
		count = n
	}
	l := c.s.obs.slowlog.entries
	if count == -1 || count > int64(len(l)) {
		count = int64(len(l))
	}
	out := make([]Value, 0, count)
	for i := len(l) - 1; i >= 0 && int64(len(out)) < count; i-- {
		e := &l[i]
		args := make([]Value, len(e.args))
		for j, a := range e.args {
			args[j] = BulkValue(a)
		}
		out = append(out, ArrayValue(IntValue(e.id), IntValue(e.unix), IntValue(e.usec),
			ArrayValue(args...), BulkValue(e.addr), BulkValue(e.name)))
	}
	return ArrayValue(out...)
}

func cmdSlowlogLen(c *call) Value { return IntValue(int64(len(c.s.obs.slowlog.entries))) }

func cmdSlowlogReset(c *call) Value {
	c.s.obs.slowlog.trim(0)
	return okValue
}

func cmdSlowlogHelp(c *call) Value {
	return serverHelp(`SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:
GET [<count>]
    Return top <count> entries from the slowlog (default: 10, -1 mean all).
    Entries are made of:
    id, timestamp, time in microseconds, arguments array, client IP and port,
    client name
LEN
    Return the length of the slowlog.
RESET
    Reset the slowlog.
HELP
    Prints this help.`)
}
