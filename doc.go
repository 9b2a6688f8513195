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
// # Pipelines and transactions
//
// DB.Pipeline queues commands and submits them in one hand-off, run in one
// executor turn: the cheapest way to send many commands. A pipeline is not
// atomic in the MULTI sense (its replies are independent, and an error
// reply does not stop the rest), though no other caller's command runs
// between its commands in practice. Once the executor has started a
// pipeline it runs to its end: a context that ends meanwhile only cuts a
// blocking command of it short, answered as if its timeout had passed
// (see Pipeline.Exec).
//
// DB.TxPipelined is MULTI/EXEC: the queued commands run atomically. A
// command Redis refuses while queueing (unknown, wrong arity) aborts the
// whole transaction (ErrExecAbort); a command that fails while running
// (WRONGTYPE) fails alone, with no rollback, as in Redis.
//
// DB.Watch is optimistic locking (WATCH): fn reads through the *Tx it is
// given and queues its writes with Tx.TxPipelined; when any watched key
// changed after WATCH (a write by anyone, a delete, an expiry, a flush),
// nothing is written and ErrTxFailed is returned, so the caller retries.
//
// # The wire
//
// Store.Serve and Store.ListenAndServe speak RESP2 and RESP3 to any Redis
// client; Store.DialContext returns an in-memory connection for clients
// that take a dialer (go-redis's Options.Dialer), with no port at all.
// Every connection is a session with its own selected database, protocol,
// name and MULTI state, and commands from it run through the same table
// and handlers as typed calls. Pipelined commands of a connection reach
// the executor together.
//
// # Changes, the write feed and failures
//
// Every change to a key, whoever makes it (a command from any entry point,
// a script, EXEC, a blocked command served when its key became ready,
// lazy and active expiry, FLUSHDB, FLUSHALL, SWAPDB), passes one path
// inside the store (mutate.go), and nothing changes a key any other way:
// a hook before the change (where a point-in-time snapshot saves the old
// value), the change, and a hook after it (WATCH, blocked callers,
// keyspace events). A build with -tags embedischeck digests every key
// before and after every command and fails on a change that bypassed the
// path; CI runs the whole suite that way.
//
// Each change also leaves the store once, in Redis's propagation form,
// on an internal write feed that the append log and replication read:
// relative times become absolute (SET EX becomes SET PXAT, EXPIRE becomes
// PEXPIREAT), random and computed results become their effect (SPOP
// becomes SREM, INCRBYFLOAT becomes SET KEEPTTL, XADD * the ID it chose),
// blocking commands their non-blocking form, scripts and transactions the
// commands they ran (in MULTI/EXEC when more than one wrote), expiry a
// DEL. The tests compare this feed with redis-server's own replication
// stream.
//
// A reply is released to its caller only after the durability step of
// the executor turn that produced it, when one is configured (the append
// log's fsync under appendfsync always): one step covers every write of
// the turn.
//
// A command that panics is a bug in embedis. The executor recovers it
// rather than taking the host process down: that command's caller gets an
// error reply naming the panic, and from then on the store refuses every
// command with ErrBroken, since a command stopped half-way may have left
// data inconsistent; Store.Broken tells what panicked (with its stack),
// and Close still works. Redis itself aborts on a failed assertion; this
// is the same decision without killing the program that embeds the store.
//
// # Pub/Sub and keyspace notifications
//
// PUBLISH from any caller (wire, Do, MULTI, scripts, Store.Publish)
// reaches wire subscribers (SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE) and
// in-process ones (Store.Subscribe, Store.PSubscribe) alike, on the
// executor: a message published after a subscription was acknowledged is
// delivered to it exactly once, in publish order. Publishing never waits
// for a subscriber: a wire client that does not read is closed by
// client-output-buffer-limit pubsub, and a Subscription whose bounded
// buffer is full is dropped with ErrSlowSubscriber. With
// notify-keyspace-events set (CONFIG SET), every change publishes Redis's
// keyspace events on KeyspaceChannel and KeyeventChannel; "expired" fires
// when a lookup or the active expiry cycle removes a key, on the store's
// clock.
//
// # Durability
//
// A store opened with the zero Options is in memory only: its data is gone
// when the process exits or Close returns.
//
// Snapshots. With Options.Dir (or Options.Snapshots, any
// persist.SnapshotBackend) the store keeps an RDB file as redis-server
// 7.0 does: Open loads it, SAVE / Store.Save write it while every command
// waits, BGSAVE / Store.BGSave and the save rules (Options.SavePoints,
// CONFIG SET save; Redis's "3600 1 300 100 60 10000" by default when a
// backend is set, none without one) write it in the background. Either
// way the file is written to a temporary name, synced, renamed over the
// previous one and the directory synced: after a crash at any point the
// latest file is a whole snapshot, this one or the previous. A snapshot is
// a point in time, the moment SAVE or BGSAVE ran, without fork and without
// copying the dataset (rdbsave.go explains how): commands keep running
// during BGSAVE, and the keys they change are written with the value they
// had at the start. Writes made after the last successful snapshot are
// lost in a crash. Close saves once more when save rules are set and
// anything changed. After a failed background save, writes are refused
// with MISCONF (stop-writes-on-bgsave-error) until a save succeeds.
// The files are Redis's: redis-server 7.0 loads embedis's snapshot and
// embedis loads redis-server's. Store.WriteSnapshot writes one to any
// io.Writer; Store.LoadSnapshot and Options.LoadFrom read one.
//
// The append-only log. With Options.AppendOnly (or CONFIG SET appendonly
// yes, which starts with a rewrite) every write is appended, as the RESP
// command Redis would propagate, to Redis 7.0's multi-part AOF in
// Dir/AppendDirName (or Options.AppendLog): a manifest, a base (an RDB)
// and incremental files. Open then loads the log instead of the
// snapshot. What a crash can lose depends on Options.AppendFsync:
//
//   - FsyncAlways: nothing acknowledged. A reply (over the wire or from a
//     Go call) is released only after the fsync that covers its write;
//     one fsync covers every caller whose request the executor served in
//     the same turn or while the previous fsync ran (group commit), so
//     many callers get far more than 1/fsync-latency writes per second.
//   - FsyncEverySec (the default): about the last one or two seconds, if
//     the machine (not just the process) goes down.
//   - FsyncNo: whatever the operating system had not flushed.
//
// Under every policy a reply waits for the write to reach the operating
// system, so a crash of the process alone loses nothing acknowledged.
// BGREWRITEAOF and the automatic rewrite (auto-aof-rewrite-percentage and
// -min-size) replace the log with a new base from a point in time while
// commands keep running, and switch to it with an atomic manifest update.
// A write or fsync error refuses writes with "MISCONF Errors writing to the
// AOF file: ..." until the log can be written again; reads keep working.
// A last file that ends inside a command is cut back at Open with a
// logged warning (aof-load-truncated yes); any other damage fails Open
// with an error naming the file and byte offset. redis-server 7.0 opens
// embedis's log directory and embedis opens redis-server's.
//
// # Caveats
//
// embedis implements one Redis process: there is no replication yet, no
// clustering, and no ACL users beyond the default user's password. With
// Options.ClusterEnabled it presents a cluster face instead: one node that
// owns all 16384 slots, so cluster clients connect and CROSSSLOT mistakes
// (keys of one command, transaction or script in different hash slots)
// fail as on Redis Cluster; OpenCluster presents several stores as a
// multi-node cluster with MOVED redirections (no ASK: slots never
// migrate). SHUTDOWN closes the store. Commands
// that change a connection's state (SELECT, HELLO, AUTH, CLIENT ...) need a
// connection and are refused through Do; use Store.Database to address
// another database, DB.Watch and DB.TxPipelined for transactions.
//
// Replies match Redis 7.0.15 byte for byte where the differential tests
// (testdata/diff) can show it. Where Redis's own answer depends on its
// hash-table layout (the order of SMEMBERS or HGETALL of a large value,
// SCAN pages), embedis keeps Redis's guarantees but not its order.
//
// A Lua script holds the executor while it runs, as it holds Redis's event
// loop. Past Options.BusyThreshold (busy-reply-threshold, default 5s) other
// callers get ErrBusy instead of waiting, those already waiting too, except
// for the commands Redis allows while busy (MULTI, WATCH, AUTH, HELLO ...),
// which run; a BUSY inside MULTI dooms the transaction, as in Redis. SCRIPT
// KILL / FUNCTION KILL (ScriptKill, FunctionKill) stop a script that has
// not written: a script is killed before its first write or not at all.
// One that has written answers ErrUnkillable and runs until it returns or
// the store is closed: Close stops any running script (there is no SHUTDOWN
// NOSAVE).
package embedis
