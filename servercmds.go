package embedis

import "context"

// Server commands of a process that embeds the store: SHUTDOWN, ROLE,
// WAIT, FAILOVER, LOLWUT and MODULE, answered as a Redis 7.0.15 primary
// with no replicas and no modules.

// serverVersion is the Redis version embedis answers as.
const serverVersion = "7.0.15"

// shutdownState is SHUTDOWN's hook. Owned by the executor.
type shutdownState struct {
	// save, when set, is what SHUTDOWN runs before it closes the store
	// (persistence wires it): explicit is true for SHUTDOWN SAVE, false
	// for a plain SHUTDOWN, which saves only when the store is configured
	// to save (Redis's save points); SHUTDOWN NOSAVE never calls it. An
	// error stops the shutdown ("Errors trying to SHUTDOWN") unless FORCE
	// was given. nil: nothing to save. It runs on the executor.
	save func(explicit bool) error
}

// SetShutdownSave installs the hook SHUTDOWN runs to save before the store
// closes (see shutdownState.save). Call it before the store serves
// commands (after Open, before Serve); it is meant for the persistence
// layer.
func (s *Store) SetShutdownSave(fn func(explicit bool) error) {
	_ = s.onExecutor(context.Background(), func(s *Store) { s.shutdown.save = fn })
}

func init() {
	register(
		&command{name: "shutdown", arity: -1, flags: flagAdmin | flagNoScript | flagLoading | flagStale | flagNoMulti | flagAllowBusy, acl: []string{"admin", "slow", "dangerous"}, handler: cmdShutdown},
		&command{name: "role", arity: 1, flags: flagNoScript | flagLoading | flagStale | flagFast, acl: []string{"admin", "fast", "dangerous"}, handler: cmdRole},
		&command{name: "wait", arity: 3, flags: flagNoScript, acl: []string{"slow", "connection"}, handler: cmdWait},
		&command{name: "failover", arity: -1, flags: flagAdmin | flagNoScript | flagStale, acl: []string{"admin", "slow", "dangerous"}, handler: cmdFailover},
		&command{name: "lolwut", arity: -1, flags: flagReadonly | flagFast, acl: []string{"read", "fast"}, handler: cmdLolwut},

		&command{name: "module", arity: -2, acl: []string{"slow"}},
		&command{name: "module|help", arity: 2, flags: flagLoading | flagStale, acl: []string{"slow"}, handler: cmdModuleHelp},
		&command{name: "module|list", arity: 2, flags: flagAdmin | flagNoScript, acl: []string{"admin", "slow", "dangerous"}, handler: cmdModuleList},
		&command{name: "module|load", arity: -3, flags: flagAdmin | flagNoScript | flagNoAsyncLoading, acl: []string{"admin", "slow", "dangerous"}, handler: cmdModuleRefused},
		&command{name: "module|loadex", arity: -3, flags: flagAdmin | flagNoScript | flagNoAsyncLoading, acl: []string{"admin", "slow", "dangerous"}, handler: cmdModuleRefused},
		&command{name: "module|unload", arity: 3, flags: flagAdmin | flagNoScript | flagNoAsyncLoading, acl: []string{"admin", "slow", "dangerous"}, handler: cmdModuleRefused},
	)
}

// cmdShutdown parses SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] as Redis
// does, saves through the hook unless NOSAVE, and closes the store: the
// executor stops taking commands, every connection is closed (the caller's
// without a reply, as when redis-server exits) and every later call gets
// ErrClosed. Commands after SHUTDOWN in the same pipeline still run but
// get no reply.
func cmdShutdown(c *call) Value {
	var nosave, save, abort, force bool
	for _, a := range c.args[1:] {
		switch {
		case eqFold(a, "nosave"):
			nosave = true
		case eqFold(a, "save"):
			save = true
		case eqFold(a, "now"):
			// No replicas to wait for: NOW changes nothing.
		case eqFold(a, "force"):
			force = true
		case eqFold(a, "abort"):
			abort = true
		default:
			return errSyntax
		}
	}
	if (abort && len(c.args) > 2) || (nosave && save) {
		return errSyntax
	}
	if abort {
		// A shutdown never waits for replicas here, so none is ever in
		// progress.
		return ErrorValue("ERR No shutdown in progress.")
	}
	if !nosave && c.s.script.serving {
		// Redis refuses to save while a busy script holds the data
		// (only SHUTDOWN NOSAVE stops it).
		return ErrorValue("ERR Errors trying to SHUTDOWN. Check logs.")
	}
	saveFn := c.s.shutdown.save
	if saveFn == nil && c.s.persist.backend != nil {
		saveFn = c.s.shutdownSnapshot
	}
	if !nosave && saveFn != nil {
		if err := saveFn(save); err != nil && !force {
			return ErrorValue("ERR Errors trying to SHUTDOWN. Check logs.")
		}
	}
	if ss, ok := c.cl.conn.(*session); ok {
		ss.replyOff = true // redis-server exits without a reply
		ss.closeAfter = true
	}
	c.s.closeOnce.Do(func() {
		c.s.closed.Store(true)
		close(c.s.quit)
	})
	// Close waits for the executor to exit, which it does after this
	// turn: it cannot run here, on the executor.
	go c.s.Close()
	return okValue
}

func cmdRole(c *call) Value {
	return ArrayValue(BulkValue("master"), IntValue(0), ArrayValue())
}

// cmdWait answers WAIT numreplicas timeout. The store has no replicas: it
// answers 0 at once for numreplicas <= 0 (and inside MULTI or a script,
// which cannot block), else it blocks until the timeout (forever for 0) and
// answers 0, as redis-server without replicas does.
func cmdWait(c *call) Value {
	n, ok := parseInt(c.args[1])
	if !ok {
		return errNotInteger
	}
	ms, ok := parseInt(c.args[2])
	if !ok {
		return ErrorValue("ERR timeout is not an integer or out of range")
	}
	if ms < 0 {
		return ErrorValue("ERR timeout is negative")
	}
	if n <= 0 {
		return IntValue(0)
	}
	return c.block(nil, c.deadlineAfter(ms), IntValue(0), nil)
}

func cmdFailover(c *call) Value {
	if c.s.opts.ClusterEnabled {
		return ErrorValue("ERR FAILOVER not allowed in cluster mode.")
	}
	args := c.args[1:]
	if len(args) == 1 && eqFold(args[0], "abort") {
		return ErrorValue("ERR No failover in progress.")
	}
	var timeout int64
	var host, force bool
	for j := 0; j < len(args); j++ {
		switch {
		case eqFold(args[j], "timeout") && j+1 < len(args) && timeout == 0:
			v, ok := parseInt(args[j+1])
			if !ok {
				return errNotInteger
			}
			if v <= 0 {
				return ErrorValue("ERR FAILOVER timeout must be greater than 0")
			}
			timeout = v
			j++
		case eqFold(args[j], "to") && j+2 < len(args) && !host:
			if _, ok := parseInt(args[j+2]); !ok {
				return errNotInteger
			}
			host = true
			j += 2
		case eqFold(args[j], "force") && !force:
			force = true
		default:
			return errSyntax
		}
	}
	return ErrorValue("ERR FAILOVER requires connected replicas.")
}

// cmdLolwut answers LOLWUT with Redis's last line, the version. The
// generative art of VERSION 5 and 6 is not drawn: every version answers
// as the versions without art do.
func cmdLolwut(c *call) Value {
	if len(c.args) >= 3 && eqFold(c.args[1], "version") {
		if _, ok := parseInt(c.args[2]); !ok {
			return errNotInteger
		}
	}
	return VerbatimValue("txt", "Redis ver. "+serverVersion+"\n")
}

const moduleHelp = `MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:
LIST
    Return a list of loaded modules.
LOAD <path> [<arg> ...]
    Load a module library from <path>, passing to it any optional arguments.
LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]
    Load a module library from <path>, while passing it module configurations and optional arguments.
UNLOAD <name>
    Unload a module.
HELP
    Prints this help.`

func cmdModuleHelp(c *call) Value { return serverHelp(moduleHelp) }

func cmdModuleList(c *call) Value { return ArrayValue() }

// errModuleCommand is Redis 7.0's refusal of MODULE LOAD/LOADEX/UNLOAD
// under enable-module-command no (its default), which embedis keeps: it
// cannot load Redis modules.
var errModuleCommand = ErrorValue(`ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`)

func cmdModuleRefused(c *call) Value { return errModuleCommand }

// shutdownSnapshot is SHUTDOWN's save when the store has a snapshot
// backend and no SetShutdownSave hook: as redis-server, it saves when
// asked (SHUTDOWN SAVE) or when save rules are configured, after
// abandoning a background save in progress. On the executor.
func (s *Store) shutdownSnapshot(explicit bool) error {
	p := &s.persist
	if !explicit && len(p.rules) == 0 {
		return nil
	}
	if j := p.job; j != nil {
		j.abort()
		<-j.done
		s.snapStep()
	}
	return s.saveSync()
}
