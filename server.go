package embedis

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Server and connection commands: PING and ECHO, which work anywhere, and
// the commands that read or change a wire connection's state (HELLO, AUTH,
// SELECT, RESET, QUIT, CLIENT ...). The latter carry flagConn: through Do,
// which has no connection, they are refused.

// redisVersion is the Redis version embedis answers as (HELLO, INFO).
const redisVersion = "7.0.15"

// Ping checks that the store is serving and returns "PONG" (PING).
func (d *DB) Ping(ctx context.Context) (string, error) {
	return asString(d.execArgs(ctx, "ping"))
}

// Echo returns message (ECHO).
func (d *DB) Echo(ctx context.Context, message string) (string, error) {
	return asString(d.execArgs(ctx, "echo", message))
}

var (
	aclConn       = []string{"fast", "connection"}
	aclSlowConn   = []string{"slow", "connection"}
	aclAdminConn  = []string{"admin", "slow", "dangerous", "connection"}
	flagsNoAuthOK = flagNoScript | flagLoading | flagStale | flagFast | flagNoAuth | flagAllowBusy
	flagsClient   = flagNoScript | flagLoading | flagStale | flagConn
)

func init() {
	register(
		&command{name: "ping", arity: -1, flags: flagFast, acl: aclConn, handler: cmdPing},
		&command{name: "echo", arity: 2, flags: flagLoading | flagStale | flagFast, acl: aclConn, handler: cmdEcho},
		&command{name: "hello", arity: -1, flags: flagsNoAuthOK | flagConn, acl: aclConn, handler: cmdHello},
		&command{name: "auth", arity: -2, flags: flagsNoAuthOK | flagConn, acl: aclConn, handler: cmdAuth},
		&command{name: "quit", arity: -1, flags: flagsNoAuthOK, acl: aclConn, handler: cmdQuit},
		&command{name: "reset", arity: 1, flags: flagsNoAuthOK | flagConn, acl: aclConn, handler: cmdReset},
		&command{name: "select", arity: 2, flags: flagLoading | flagStale | flagFast | flagConn, acl: aclConn, handler: cmdSelect},

		&command{name: "client", arity: -2, acl: []string{"slow"}},
		&command{name: "client|id", arity: 2, flags: flagsClient, acl: aclSlowConn, handler: cmdClientID},
		&command{name: "client|getname", arity: 2, flags: flagsClient, acl: aclSlowConn, handler: cmdClientGetname},
		&command{name: "client|setname", arity: 3, flags: flagsClient, acl: aclSlowConn, handler: cmdClientSetname},
		&command{name: "client|info", arity: 2, flags: flagsClient, acl: aclSlowConn, handler: cmdClientInfo},
		// LIST and KILL read or close other connections, not the caller's:
		// Do, without a connection, may run them.
		&command{name: "client|list", arity: -2, flags: flagsClient&^flagConn | flagAdmin, acl: aclAdminConn, handler: cmdClientList},
		&command{name: "client|kill", arity: -3, flags: flagsClient&^flagConn | flagAdmin, acl: aclAdminConn, handler: cmdClientKill},
		&command{name: "client|reply", arity: 3, flags: flagsClient, acl: aclSlowConn, handler: cmdClientReply},
		&command{name: "client|no-evict", arity: 3, flags: flagsClient | flagAdmin, acl: aclAdminConn, handler: cmdClientNoEvict},
		&command{name: "client|pause", arity: -3, flags: flagsClient | flagAdmin, acl: aclAdminConn, handler: cmdClientPause},
		&command{name: "client|unpause", arity: 2, flags: flagsClient | flagAdmin, acl: aclAdminConn, handler: cmdClientUnpause},
		&command{name: "client|unblock", arity: -3, flags: flagsClient | flagAdmin, acl: aclAdminConn, handler: cmdClientUnblock},
		&command{name: "client|getredir", arity: 2, flags: flagsClient, acl: aclSlowConn, handler: cmdClientGetredir},
		&command{name: "client|trackinginfo", arity: 2, flags: flagsClient, acl: aclSlowConn, handler: cmdClientTrackinginfo},
		&command{name: "client|tracking", arity: -3, flags: flagsClient, acl: aclSlowConn, handler: cmdClientTracking},
		&command{name: "client|caching", arity: 3, flags: flagsClient, acl: aclSlowConn, handler: cmdClientCaching},
		&command{name: "client|help", arity: 2, flags: flagLoading | flagStale, acl: aclSlowConn, handler: cmdClientHelp},
	)
}

func cmdPing(c *call) Value {
	if inSubscribedMode(c.cl) {
		// RESP2 subscribed mode: PING answers in the shape of a message.
		msg := ""
		if len(c.args) == 2 {
			msg = c.args[1]
		} else if len(c.args) > 2 {
			return errArity(c.cmd.name)
		}
		return ArrayValue(BulkValue("pong"), BulkValue(msg))
	}
	switch len(c.args) {
	case 1:
		return SimpleValue("PONG")
	case 2:
		return BulkValue(c.args[1])
	}
	return errArity(c.cmd.name)
}

func cmdEcho(c *call) Value { return BulkValue(c.args[1]) }

// sess returns the wire session of the call; commands with flagConn only
// run with one.
func (c *call) sess() *session { return c.cl.conn.(*session) }

// helloReply is HELLO's map.
func (ss *session) helloReply() Value {
	return MapValue(
		BulkValue("server"), BulkValue("redis"),
		BulkValue("version"), BulkValue(redisVersion),
		BulkValue("proto"), IntValue(int64(ss.cl.proto)),
		BulkValue("id"), IntValue(ss.id),
		BulkValue("mode"), BulkValue("standalone"),
		BulkValue("role"), BulkValue("master"),
		BulkValue("modules"), ArrayValue(),
	)
}

func cmdHello(c *call) Value {
	ss := c.sess()
	ver := int64(0)
	if len(c.args) >= 2 {
		v, ok := parseInt(c.args[1])
		if !ok {
			return ErrorValue("ERR Protocol version is not an integer or out of range")
		}
		if v < 2 || v > 3 {
			return ErrorValue("NOPROTO unsupported protocol version")
		}
		ver = v
	}
	var user, pass, name *string
	for j := 2; j < len(c.args); j++ {
		more := len(c.args) - 1 - j
		opt := c.args[j]
		switch {
		case eqFold(opt, "auth") && more >= 2:
			user, pass = &c.args[j+1], &c.args[j+2]
			j += 2
		case eqFold(opt, "setname") && more >= 1:
			if e, ok := validClientName(c.args[j+1]); !ok {
				return e
			}
			name = &c.args[j+1]
			j++
		default:
			return ErrorValue("ERR Syntax error in HELLO option '" + sanitize(opt) + "'")
		}
	}
	if user != nil && !c.s.authenticate(ss, *user, *pass) {
		return errValue(ErrWrongPass)
	}
	if ss.authRequired() {
		return ErrorValue("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
	}
	if name != nil {
		ss.name = *name
	}
	if ver != 0 {
		ss.cl.proto = int(ver)
	}
	return ss.helloReply()
}

// authenticate checks a user and password as Redis's default user does:
// with no requirepass any password is accepted; the only user is
// "default".
func (s *Store) authenticate(ss *session, user, pass string) bool {
	if user != "default" {
		return false
	}
	if want := s.requirePass(); want != "" && pass != want {
		return false
	}
	ss.authenticated = true
	return true
}

func cmdAuth(c *call) Value {
	if len(c.args) > 3 {
		return errSyntax
	}
	user, pass := "default", c.args[1]
	if len(c.args) == 2 {
		if c.s.requirePass() == "" {
			return ErrorValue("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
		}
	} else {
		user, pass = c.args[1], c.args[2]
	}
	if !c.s.authenticate(c.sess(), user, pass) {
		return errValue(ErrWrongPass)
	}
	return okValue
}

func cmdQuit(c *call) Value {
	if ss, ok := c.cl.conn.(*session); ok {
		ss.closeAfter = true
		// Leave pub/sub now rather than when the session goroutine has
		// closed the connection, so that a command another client sends
		// after seeing QUIT's reply finds the subscriptions gone.
		c.s.resetSubscriptions(ss)
	}
	return okValue
}

func cmdReset(c *call) Value {
	ss := c.sess()
	ss.cl.db = 0
	ss.cl.proto = 2
	ss.name = ""
	ss.noEvict = false
	ss.authenticated = c.s.requirePass() == ""
	c.s.resetSubscriptions(ss) // pubsub.go
	// The session goroutine resets CLIENT REPLY when it sees the reply.
	return SimpleValue("RESET")
}

func cmdSelect(c *call) Value {
	n, ok := parseInt(c.args[1])
	if !ok || n < -1<<31 || n > 1<<31-1 {
		return errNotInteger
	}
	if n != 0 && c.s.opts.ClusterEnabled {
		return ErrorValue("ERR SELECT is not allowed in cluster mode")
	}
	if n < 0 || n >= int64(len(c.s.dbs)) {
		return errDBIndex
	}
	c.cl.db = int(n)
	c.db = c.s.dbs[n]
	return okValue
}

// ---- CLIENT ----

func cmdClientID(c *call) Value { return IntValue(c.sess().id) }

func cmdClientGetname(c *call) Value {
	if n := c.sess().name; n != "" {
		return BulkValue(n)
	}
	return nullValue
}

// validClientName checks a client name as Redis does: printable ASCII
// without spaces.
func validClientName(name string) (Value, bool) {
	for i := 0; i < len(name); i++ {
		if name[i] < '!' || name[i] > '~' {
			return ErrorValue("ERR Client names cannot contain spaces, newlines or special characters."), false
		}
	}
	return Value{}, true
}

func cmdClientSetname(c *call) Value {
	if e, ok := validClientName(c.args[2]); !ok {
		return e
	}
	c.sess().name = c.args[2]
	return okValue
}

func cmdClientInfo(c *call) Value {
	return VerbatimValue("txt", c.sess().infoLine(time.Now(), c.s.blockedSessions()))
}

// infoLine is the session's line of CLIENT LIST, with Redis's fields.
// Fields about buffers and memory report embedis's own figures where it
// has them and Redis's idle defaults otherwise.
func (ss *session) infoLine(now time.Time, blocked map[int64]bool) string {
	var b strings.Builder
	flags := ss.flagLetters(blocked[ss.id]) // obs_client.go
	cmd := ss.lastCmd
	if cmd == "" {
		cmd = "NULL"
	}
	name := ss.name
	field := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(v)
	}
	itoa := func(n int64) string { return strconv.FormatInt(n, 10) }
	field("id", itoa(ss.id))
	field("addr", ss.conn.RemoteAddr().String())
	field("laddr", ss.conn.LocalAddr().String())
	field("fd", "-1")
	field("name", name)
	field("age", itoa(int64(now.Sub(ss.created)/time.Second)))
	field("idle", itoa(int64(now.Sub(ss.lastActive)/time.Second)))
	field("flags", flags)
	field("db", itoa(int64(ss.cl.db)))
	var sub, psub, ssub int
	if ss.psub != nil {
		sub, psub, ssub = ss.psub.channels.len(), ss.psub.patterns.len(), ss.psub.shard.len()
	}
	field("sub", itoa(int64(sub)))
	field("psub", itoa(int64(psub)))
	field("ssub", itoa(int64(ssub)))
	multi, multiMem := ss.multiFigures() // obs_client.go
	field("multi", itoa(multi))
	field("qbuf", "0")      // the session's reader holds no unparsed query between commands
	field("qbuf-free", "0") // bufio buffer, not sized per client
	field("argv-mem", "0")  // no command is being read when the line is made
	field("multi-mem", itoa(multiMem))
	field("rbs", "16384")
	field("rbp", "16384")
	field("obl", "0")
	field("oll", itoa(int64(ss.ob.queued.Load())))
	field("omem", itoa(ss.ob.pending.Load()))
	field("tot-mem", itoa(multiMem+ss.ob.pending.Load()))
	events := "r"
	if ss.ob.pending.Load() > 0 {
		events = "rw"
	}
	field("events", events)
	field("cmd", cmd)
	field("user", "default")
	field("redir", "-1")
	field("resp", itoa(int64(ss.cl.proto)))
	b.WriteByte('\n')
	return b.String()
}

// sessions returns the open sessions in ID order.
func (s *Store) sessions() []*session {
	s.wire.mu.Lock()
	out := make([]*session, 0, len(s.wire.sessions))
	for ss := range s.wire.sessions {
		out = append(out, ss)
	}
	s.wire.mu.Unlock()
	for i := 1; i < len(out); i++ { // insertion sort: few sessions
		for j := i; j > 0 && out[j].id < out[j-1].id; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// validClientType checks a client type name of CLIENT LIST/KILL TYPE and
// returns its output class (wire_out.go); "master" is numOutClasses, which
// no session has, as embedis is never a replica's client.
func validClientType(t string) (outClass, bool) {
	switch {
	case eqFold(t, "normal"):
		return outNormal, true
	case eqFold(t, "slave"), eqFold(t, "replica"):
		return outReplica, true
	case eqFold(t, "pubsub"):
		return outPubSub, true
	case eqFold(t, "master"):
		return numOutClasses, true
	}
	return 0, false
}

func cmdClientList(c *call) Value {
	class, typeSet := outNormal, false
	var ids map[int64]bool
	switch {
	case len(c.args) == 2:
	case len(c.args) == 4 && eqFold(c.args[2], "type"):
		cl, ok := validClientType(c.args[3])
		if !ok {
			return ErrorValue("ERR Unknown client type '" + sanitize(c.args[3]) + "'")
		}
		class, typeSet = cl, true
	case len(c.args) > 3 && eqFold(c.args[2], "id"):
		ids = map[int64]bool{}
		for _, a := range c.args[3:] {
			id, ok := parseInt(a)
			if !ok {
				return ErrorValue("ERR Invalid client ID")
			}
			ids[id] = true
		}
	default:
		return errSyntax
	}
	var b strings.Builder
	now := time.Now()
	blocked := c.s.blockedSessions()
	for _, ss := range c.s.sessions() {
		if (ids == nil || ids[ss.id]) && (!typeSet || ss.ob.class == class) {
			b.WriteString(ss.infoLine(now, blocked))
		}
	}
	return VerbatimValue("txt", b.String())
}

func cmdClientKill(c *call) Value {
	self, _ := c.cl.conn.(*session) // nil through Do
	var (
		addr, laddr *string
		id          int64
		typeSet     bool
		class       outClass
		skipme      = true
		oldForm     = len(c.args) == 3
	)
	if oldForm {
		addr = &c.args[2]
		skipme = false // the old form may kill the caller itself
	} else {
		for i := 2; i < len(c.args); i += 2 {
			if i+1 >= len(c.args) {
				return errSyntax
			}
			opt, val := c.args[i], c.args[i+1]
			switch {
			case eqFold(opt, "id"):
				n, ok := parseInt(val)
				if !ok || n < 1 {
					return ErrorValue("ERR client-id should be greater than 0")
				}
				id = n
			case eqFold(opt, "type"):
				cl, ok := validClientType(val)
				if !ok {
					return ErrorValue("ERR Unknown client type '" + sanitize(val) + "'")
				}
				typeSet, class = true, cl
			case eqFold(opt, "addr"):
				addr = &c.args[i+1]
			case eqFold(opt, "laddr"):
				laddr = &c.args[i+1]
			case eqFold(opt, "user"):
				if val != "default" {
					return ErrorValue("ERR No such user '" + sanitize(val) + "'")
				}
			case eqFold(opt, "skipme"):
				switch {
				case eqFold(val, "yes"):
					skipme = true
				case eqFold(val, "no"):
					skipme = false
				default:
					return errSyntax
				}
			default:
				return errSyntax
			}
		}
	}
	killed := 0
	for _, ss := range c.s.sessions() {
		switch {
		case addr != nil && ss.conn.RemoteAddr().String() != *addr,
			laddr != nil && ss.conn.LocalAddr().String() != *laddr,
			id != 0 && ss.id != id,
			typeSet && ss.ob.class != class,
			skipme && ss == self:
			continue
		}
		if ss == self {
			ss.closeAfter = true
		} else {
			ss.kill()
		}
		killed++
	}
	if oldForm {
		if killed == 0 {
			return ErrorValue("ERR No such client")
		}
		return okValue
	}
	return IntValue(int64(killed))
}

// kill closes another session's connection; its goroutine then ends.
func (ss *session) kill() {
	ss.cancel()
	ss.conn.Close()
}

func cmdClientReply(c *call) Value {
	a := c.args[2]
	if eqFold(a, "on") || eqFold(a, "off") || eqFold(a, "skip") {
		// The session goroutine applies the mode when it sends replies
		// (session.replyMode), since it decides which replies go out.
		return okValue
	}
	return errSyntax
}

func cmdClientNoEvict(c *call) Value {
	switch a := c.args[2]; {
	case eqFold(a, "on"):
		c.sess().noEvict = true
	case eqFold(a, "off"):
		c.sess().noEvict = false
	default:
		return errSyntax
	}
	return okValue
}

func cmdClientPause(c *call) Value {
	ms, ok := parseInt(c.args[2])
	if !ok {
		return ErrorValue("ERR timeout is not an integer or out of range")
	}
	if ms < 0 {
		return ErrorValue("ERR timeout is negative")
	}
	all := true
	if len(c.args) == 4 {
		switch {
		case eqFold(c.args[3], "write"):
			all = false
		case eqFold(c.args[3], "all"):
		default:
			return ErrorValue("ERR CLIENT PAUSE mode must be WRITE or ALL")
		}
	} else if len(c.args) > 4 {
		return errSyntax
	}
	c.s.wire.pause(time.Now().Add(time.Duration(ms)*time.Millisecond), all)
	return okValue
}

func cmdClientUnpause(c *call) Value {
	c.s.wire.unpause()
	return okValue
}

func cmdClientUnblock(c *call) Value {
	id, ok := parseInt(c.args[2])
	if !ok {
		return errNotInteger
	}
	if len(c.args) == 4 && !eqFold(c.args[3], "timeout") && !eqFold(c.args[3], "error") || len(c.args) > 4 {
		return ErrorValue("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
	}
	return IntValue(c.s.unblockSession(id, len(c.args) == 4 && eqFold(c.args[3], "error"))) // blocking.go
}

func cmdClientGetredir(c *call) Value { return IntValue(-1) }

func cmdClientTrackinginfo(c *call) Value {
	return MapValue(
		BulkValue("flags"), SetValue(BulkValue("off")),
		BulkValue("redirect"), IntValue(-1),
		BulkValue("prefixes"), ArrayValue(),
	)
}

func cmdClientTracking(c *call) Value {
	if eqFold(c.args[2], "off") && len(c.args) == 3 {
		return okValue
	}
	return ErrorValue("ERR embedis does not support CLIENT TRACKING (client-side caching)")
}

func cmdClientCaching(c *call) Value {
	return ErrorValue("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled")
}

func cmdClientHelp(c *call) Value { return serverHelp(clientHelp) }

// serverHelp is the reply of a HELP subcommand: its lines as status replies.
func serverHelp(text string) Value {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	vs := make([]Value, len(lines))
	for i, l := range lines {
		vs[i] = SimpleValue(l)
	}
	return ArrayValue(vs...)
}

const clientHelp = `CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:
CACHING (YES|NO)
    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.
GETREDIR
    Return the client ID we are redirecting to when tracking is enabled.
GETNAME
    Return the name of the current connection.
ID
    Return the ID of the current connection.
INFO
    Return information about the current client connection.
KILL <ip:port>
    Kill connection made from <ip:port>.
KILL <option> <value> [<option> <value> [...]]
    Kill connections. Options are:
    * ADDR (<ip:port>|<unixsocket>:0)
      Kill connections made from the specified address
    * LADDR (<ip:port>|<unixsocket>:0)
      Kill connections made to specified local address
    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)
      Kill connections by type.
    * USER <username>
      Kill connections authenticated by <username>.
    * SKIPME (YES|NO)
      Skip killing current connection (default: yes).
LIST [options ...]
    Return information about client connections. Options:
    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)
      Return clients of specified type.
UNPAUSE
    Stop the current client pause, resuming traffic.
PAUSE <timeout> [WRITE|ALL]
    Suspend all, or just write, clients for <timeout> milliseconds.
REPLY (ON|OFF|SKIP)
    Control the replies sent to the current connection.
SETNAME <name>
    Assign the name <name> to the current connection.
UNBLOCK <clientid> [TIMEOUT|ERROR]
    Unblock the specified blocked client.
TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]
         [OPTIN] [OPTOUT] [NOLOOP]
    Control server assisted client side caching.
TRACKINGINFO
    Report tracking status for the current connection.
NO-EVICT (ON|OFF)
    Protect current client connection from eviction.
HELP
    Prints this help.
`
