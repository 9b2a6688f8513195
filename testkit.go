package embedis

import (
	"context"
	"errors"
	"sync/atomic"
)

// Hooks for test kits.
//
// The methods in this file exist so that a test kit outside the package
// (embedistest, or a user's own) can check a store's consistency, expire
// keys after moving a clock and inject faults, using only the exported API.
// Production code has no use for them.

// Interceptor sees each command a client sends (over the wire, through Do
// or a typed method) before it runs, with its arguments as received
// (args[0] is the command name, in the client's case). It returns nil to
// let the command run, or an error to answer the command with that error
// instead of running it: the reply is an error reply with err's text, so
// an interceptor returning errors.New("LOADING Redis is loading the
// dataset in memory") makes the client see exactly what a loading Redis
// sends. ErrDropConnection closes the client's connection without a reply.
//
// The interceptor runs on the store's executor goroutine, so it must not
// call the store; a time.Sleep in it delays every client of the store, as
// a slow Redis would. It sees the commands of pipelines one by one, MULTI
// and EXEC (a command it refuses inside MULTI makes EXEC fail with
// EXECABORT, as Redis does), and EVAL, but not the commands a transaction
// or a script runs: those run inside one atomic step. Unknown commands
// and commands with the wrong number of arguments are answered before it
// sees them; it sees a command before the connection's AUTH check.
type Interceptor func(args []string) error

// ErrDropConnection is returned by an Interceptor to close the client's
// connection instead of replying, as a server that goes away mid-request
// does: the client sees the connection end (EOF), exactly as with a
// closed socket. For a call without a connection (Do, typed methods) the
// command is answered with this error's text as an error reply.
var ErrDropConnection = errors.New("ERR embedis: connection dropped by the test's interceptor")

// interceptHolder boxes an Interceptor for an atomic.Pointer.
type interceptHolder struct{ fn Interceptor }

// testkitState is the test kits' state of a store; see the fields.
type testkitState struct {
	// intercept is the installed Interceptor, nil for none. Set by any
	// goroutine (Intercept), read by the executor at each command.
	intercept atomic.Pointer[interceptHolder]
}

// Intercept installs fn as the store's Interceptor, replacing any other;
// nil removes it. It is meant for test kits (embedistest's fault
// injection); safe to call from any goroutine, also while clients are
// connected: the commands served after it returns see fn.
func (s *Store) Intercept(fn Interceptor) {
	if fn == nil {
		s.testkit.intercept.Store(nil)
		return
	}
	s.testkit.intercept.Store(&interceptHolder{fn: fn})
}

// intercepted runs the Interceptor, if any, on a resolved top-level
// command; dispatch calls it. It reports whether the command was answered
// (refused) instead of run, with the reply. It is kept small enough to
// inline, so that a store without an interceptor pays one atomic load per
// command.
func (s *Store) intercepted(cl *client, args []string) (v Value, done bool) {
	if s.testkit.intercept.Load() != nil {
		v, done = s.runInterceptor(cl, args)
	}
	return
}

// runInterceptor runs the installed Interceptor for intercepted.
func (s *Store) runInterceptor(cl *client, args []string) (Value, bool) {
	h := s.testkit.intercept.Load()
	if h == nil || s.callDepth != 0 {
		return Value{}, false
	}
	err := h.fn(args)
	if err == nil {
		return Value{}, false
	}
	if errors.Is(err, ErrDropConnection) {
		if ss, ok := cl.conn.(*session); ok {
			ss.kill()
		}
	}
	return s.rejectInMulti(cl, args, ErrorValue(err.Error())), true
}

// CheckInvariants verifies the store's internal consistency (every key
// has a type; the expiry index matches the keys with a TTL; each value's
// own invariants, such as a sorted set's map against its order index) and
// returns the first violation, or nil. It runs between commands on the
// executor and is meant for test kits, which call it when a test ends; a
// violation is a bug in embedis. It returns ErrClosed (or ctx's error)
// when the check could not run.
func (s *Store) CheckInvariants(ctx context.Context) error {
	var ierr error
	if err := s.onExecutor(ctx, func(s *Store) { ierr = s.checkInvariants() }); err != nil {
		return err
	}
	return ierr
}

// ExpireNow deletes every key whose TTL has passed on the store's clock,
// in every database, and returns how many it deleted. Without it expired
// keys are already invisible to every command, and the store deletes them
// by itself over time (lazily on access, and by the active expiry cycle a
// bounded number at a time); ExpireNow does at once what the cycle would
// do eventually, so that DBSIZE, INFO keyspace and keyspace events reflect
// a clock a test has just moved. Each deletion is a normal expiry: an
// "expired" keyspace event and a DEL in the write feed. A store that
// replicates a primary (which expires nothing by itself) deletes nothing.
func (s *Store) ExpireNow(ctx context.Context) (int, error) {
	n := 0
	err := s.onExecutor(ctx, func(s *Store) {
		if s.noSelfExpire {
			return
		}
		for _, d := range s.dbs {
			var due []string
			d.expires.All(func(key string, _ *struct{}) bool {
				if e := d.keys.Get(key); e != nil && e.expired(s.now) {
					due = append(due, key)
				}
				return true
			})
			for _, key := range due {
				s.expireKey(d, key)
				n++
			}
		}
		s.expireBlocked()
	})
	return n, err
}
