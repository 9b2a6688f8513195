// Package embedis is Redis 7.0 inside a Go process: an in-memory data store
// with Redis's commands and semantics, opened as a value, with no server to
// run. The same store also speaks the Redis wire protocol, so any Redis client
// can talk to it over a listener or an in-memory connection.
//
// # Basics
//
// Open a store, use its typed methods, close it:
//
//	s, err := embedis.Open(embedis.Options{})
//	if err != nil { ... }
//	defer s.Close()
//	err = s.Set(ctx, "user:123", "John Doe", embedis.SetOptions{TTL: time.Minute})
//	name, err := s.Get(ctx, "user:123")
//	n, err := s.Incr(ctx, "visits")
//
// Every Redis command is also reachable by name through Do, which returns
// the reply as a Value:
//
//	v, err := s.Do(ctx, "GETRANGE", "user:123", 0, 3)
//
// A Store holds 16 databases by default; the Store's own methods work on
// database 0 and Store.Database returns a handle for another.
//
// Errors. Where Redis replies nil (GET of a missing key), typed methods
// return the sentinel Nil. Error replies are *Error values whose text is
// exactly Redis's ("WRONGTYPE Operation against a key holding the wrong kind
// of value"); compare them with errors.Is against the sentinels ErrWrongType,
// ErrNotInteger, ErrSyntax and the rest of the catalog. Do returns an error
// reply as a Value of KindError (Value.Err converts it), and returns a Go
// error itself only when the store is closed (ErrClosed) or the context ends
// first.
//
// Time. The store reads time from Options.Clock. Tests pass a *ManualClock
// and move it with Advance to expire keys without sleeping.
//
// # Concurrency
//
// Every command runs on one goroutine, the executor, which owns all data:
// there are no locks around data structures, and every command is atomic
// with respect to every other, exactly as in Redis's single-threaded event
// loop. A method call hands its command to the executor and waits for the
// reply; all methods are safe to call from any number of goroutines.
//
// What this means for callers:
//
//   - Commands from one goroutine run in the order issued. Commands from
//     different goroutines interleave command by command, never inside one.
//   - A slow command (KEYS over a large database, a long script) delays every
//     other caller, as in Redis.
//   - The context of a call bounds the wait: when it ends before the executor
//     has taken the command, the command does not run and the context's
//     error is returned. Once taken, a command runs to completion and its
//     reply is returned, so a caller always knows whether a write happened.
//   - The hand-off costs far less than a network round trip but more than a
//     map access; pipelines submit many commands in one hand-off.
//   - A blocking command (BLPOP, BLMOVE, BZPOPMIN, XREAD BLOCK ...) parks
//     its caller, never the executor. Callers waiting on a key are served
//     in arrival order when a write (a push, LMOVE, XADD, a transaction)
//     gives it something. Its timeout is measured on the store's clock (0
//     waits without limit); its context may end the wait too, and then
//     nothing was taken for it: a waiter that times out or is cancelled at
//     the moment it is served either returns the element or leaves it in
//     place. Inside MULTI or a script these commands do not wait.
//
// Close stops the executor: calls still queued and every later call return
// ErrClosed, and no goroutine of the store outlives Close.
//
// # Durability
//
// A store opened with the zero Options is in memory only: its data is gone
// when the process exits or Close returns.
//
// # Caveats
//
// embedis implements one Redis process: there is no replication, no
// clustering, and no ACL users beyond the default user's password. Commands
// that change a connection's state (SELECT, HELLO, AUTH, CLIENT ...) need a
// connection and are refused through Do; use Store.Database to address
// another database.
package embedis
