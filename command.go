package embedis

import (
	"sort"
	"strings"
)

// cmdFlags are a command's properties, as Redis's command table has them.
// The dispatcher, MULTI, scripts, the append log and COMMAND INFO all read
// them from the table; no handler repeats them.
type cmdFlags uint32

const (
	flagWrite           cmdFlags = 1 << iota // modifies data
	flagReadonly                             // reads data only
	flagDenyOOM                              // may grow memory; refused at maxmemory
	flagAdmin                                // administrative
	flagPubSub                               // pub/sub related
	flagNoScript                             // refused inside scripts
	flagBlocking                             // may block the caller
	flagLoading                              // allowed while loading
	flagStale                                // allowed on a stale replica
	flagSkipMonitor                          // not shown in MONITOR
	flagSkipSlowlog                          // not logged in SLOWLOG
	flagFast                                 // O(1) or O(log N)
	flagNoAuth                               // allowed before AUTH
	flagMayReplicate                         // may replicate (e.g. PUBLISH)
	flagNoMandatoryKeys                      // may be called without keys
	flagNoAsyncLoading                       // refused during async loading
	flagNoMulti                              // refused inside MULTI
	flagMovableKeys                          // key positions depend on arguments
	flagAllowBusy                            // allowed while a script is busy

	// embedis-only flags (not reported by COMMAND).

	// flagConn marks commands that change or read a connection's state
	// (SELECT, HELLO, AUTH, CLIENT ...). Through Do, which has no
	// connection, they are refused.
	flagConn
)

var flagNames = []struct {
	f    cmdFlags
	name string
}{
	{flagWrite, "write"}, {flagReadonly, "readonly"}, {flagDenyOOM, "denyoom"},
	{flagAdmin, "admin"}, {flagPubSub, "pubsub"}, {flagNoScript, "noscript"},
	{flagBlocking, "blocking"}, {flagLoading, "loading"}, {flagStale, "stale"},
	{flagSkipMonitor, "skip_monitor"}, {flagSkipSlowlog, "skip_slowlog"},
	{flagFast, "fast"}, {flagNoAuth, "no_auth"}, {flagMayReplicate, "may_replicate"},
	{flagNoMandatoryKeys, "no_mandatory_keys"}, {flagNoAsyncLoading, "no_async_loading"},
	{flagNoMulti, "no_multi"}, {flagMovableKeys, "movablekeys"}, {flagAllowBusy, "allow_busy"},
}

// names returns the flags as COMMAND INFO lists them.
func (f cmdFlags) names() []string {
	var out []string
	for _, fn := range flagNames {
		if f&fn.f != 0 {
			out = append(out, fn.name)
		}
	}
	return out
}

// command is one row of the command table.
type command struct {
	// name is the lower-case name; for a subcommand, "container|sub".
	name string
	// arity follows Redis's sign convention: N > 0 means exactly N
	// arguments (the name included); -N means at least N.
	arity int
	flags cmdFlags
	// firstKey, lastKey and step give the key positions as COMMAND INFO
	// does: lastKey -1 means the last argument, -2 the one before it.
	firstKey, lastKey, step int
	// acl lists the ACL categories without the leading '@'.
	acl []string
	// handler runs the command on the executor goroutine. It may assume the
	// arity has been checked.
	handler func(c *call) Value
	// subcommands of a container command (OBJECT, CONFIG, CLIENT ...),
	// keyed by lower-case name. A container has no handler of its own.
	subcommands map[string]*command
	// parent is the container of a subcommand.
	parent *command
	// statIdx is the row's index in a store's command statistics (obs.go),
	// assigned once, after the table is complete.
	statIdx int32
}

// commands is the command table, keyed by lower-case name. It is filled by
// the init functions of the files that define commands and never changed
// afterwards, so any goroutine may read it.
var commands = map[string]*command{}

// register adds rows to the table; a row whose name has a '|' is a
// subcommand of the row named before the '|', which must already exist.
func register(rows ...*command) {
	for _, r := range rows {
		if i := strings.IndexByte(r.name, '|'); i >= 0 {
			parent := commands[r.name[:i]]
			if parent == nil {
				panic("embedis: subcommand " + r.name + " registered before its container")
			}
			if parent.subcommands == nil {
				parent.subcommands = map[string]*command{}
			}
			r.parent = parent
			parent.subcommands[r.name[i+1:]] = r
			continue
		}
		if _, dup := commands[r.name]; dup {
			panic("embedis: command " + r.name + " registered twice")
		}
		commands[r.name] = r
	}
}

// lookupCommand finds the row for a name in any letter case without
// allocating for names up to 32 bytes.
func lookupCommand(table map[string]*command, name string) *command {
	if c, ok := table[name]; ok {
		return c
	}
	var buf [32]byte
	if len(name) > len(buf) {
		return table[strings.ToLower(name)]
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		buf[i] = b
	}
	return table[string(buf[:len(name)])]
}

// resolve finds the row that args name (the subcommand row for a container
// command) or returns the error reply Redis gives for an unknown command or
// subcommand or a wrong number of arguments.
func resolve(args []string) (*command, Value, bool) {
	cmd := lookupCommand(commands, args[0])
	if cmd == nil {
		return nil, errUnknownCommand(args), false
	}
	if cmd.subcommands != nil && len(args) >= 2 {
		sub := lookupCommand(cmd.subcommands, args[1])
		if sub == nil {
			return nil, ErrorValue("ERR unknown subcommand '" + sanitize(truncate(args[1], 128)) +
				"'. Try " + strings.ToUpper(cmd.name) + " HELP."), false
		}
		cmd = sub
	}
	if (cmd.arity > 0 && len(args) != cmd.arity) || len(args) < -cmd.arity {
		return nil, errArity(cmd.name), false
	}
	return cmd, Value{}, true
}

// errUnknownCommand is Redis 7.0's reply to an unknown command.
func errUnknownCommand(args []string) Value {
	var b strings.Builder
	for _, a := range args[1:] {
		if b.Len() >= 128 {
			break
		}
		b.WriteString("'" + truncate(a, 128-b.Len()) + "' ")
	}
	return ErrorValue("ERR unknown command '" + sanitize(truncate(args[0], 128)) +
		"', with args beginning with: " + sanitize(b.String()))
}

func truncate(s string, n int) string {
	if n < 0 {
		n = 0
	}
	if len(s) > n {
		return s[:n]
	}
	return s
}

// sanitize replaces the characters that cannot appear in an error reply
// (CR and LF) with spaces, as Redis does.
func sanitize(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		return strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' {
				return ' '
			}
			return r
		}, s)
	}
	return s
}

// commandNames lists the table's top-level names, sorted (for tests and
// COMMAND LIST).
func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// keyPositions returns the argument indexes of the keys of a command call
// according to its row (first, last, step), for commands with fixed
// positions.
func (cmd *command) keyPositions(args []string) []int {
	if cmd.firstKey == 0 {
		return nil
	}
	last := cmd.lastKey
	if last < 0 {
		last = len(args) + last
	}
	step := cmd.step
	if step <= 0 {
		step = 1
	}
	var pos []int
	for i := cmd.firstKey; i <= last && i < len(args); i += step {
		pos = append(pos, i)
	}
	return pos
}
