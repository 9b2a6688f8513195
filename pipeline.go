package embedis

import "context"

// Pipeline collects commands and runs them together: Exec hands all of them
// to the executor at once and the executor runs them back to back in one
// turn, so a pipeline of n commands pays for one hand-off instead of n.
//
//	p := s.Pipeline()
//	p.Do("SET", "k", "v")
//	p.Do("INCR", "n")
//	p.Do("GET", "k")
//	replies, err := p.Exec(ctx) // replies[2].Str() == "v"
//
// A pipeline is not a transaction. Its commands run in order and, in the
// current executor, no other caller's command runs between them, but that
// is a property of the implementation, not a promise: there is no
// isolation and no all-or-nothing. A command that fails (wrong type, wrong
// arity, unknown command) puts its error reply in its slot and the
// commands after it still run, as in a Redis pipeline. Use MULTI/EXEC (or a
// script) when the commands must be atomic.
//
// Commands that change connection state (SELECT, MULTI, ...) are refused
// with an error reply, as they are through Do: a pipeline runs in the
// database of the handle it was made from.
//
// A Pipeline is not safe for concurrent use; give each goroutine its own.
// After Exec (whatever its outcome) the pipeline is empty and can be
// reused.
type Pipeline struct {
	d *DB
	// cmds are the queued argument vectors; their strings live in arena.
	// Both are handed to the executor by Exec and replaced, never reused,
	// afterwards: a handler may keep a reference to its argument slice.
	cmds  [][]string
	arena []string
	// sizes remember the last Exec's lengths, so the next batch is
	// allocated at its final size in one go.
	lastCmds, lastArgs int
}

// Pipeline returns an empty pipeline that runs its commands in d's
// database.
func (d *DB) Pipeline() *Pipeline { return &Pipeline{d: d} }

// Do queues a command, with arguments converted as DB.Do converts them. It
// runs only when Exec is called. An empty command gets the error reply
// "ERR empty command" in its slot.
func (p *Pipeline) Do(args ...any) {
	lo := p.grow(len(args))
	for _, a := range args {
		p.arena = append(p.arena, argString(a))
	}
	p.cmds = append(p.cmds, p.arena[lo:len(p.arena):len(p.arena)])
}

// DoStrings is Do with string arguments, without conversion.
func (p *Pipeline) DoStrings(args ...string) {
	lo := p.grow(len(args))
	p.arena = append(p.arena, args...)
	p.cmds = append(p.cmds, p.arena[lo:len(p.arena):len(p.arena)])
}

// grow makes room for one command of n arguments and returns where its
// arguments start in the arena. When the arena must grow, the vectors
// already queued keep pointing into the old array, which stays valid: the
// arena is only ever appended to.
func (p *Pipeline) grow(n int) int {
	if p.cmds == nil {
		p.cmds = make([][]string, 0, max(p.lastCmds, 8))
	}
	if cap(p.arena)-len(p.arena) < n {
		p.arena = make([]string, 0, max(2*cap(p.arena), p.lastArgs, n, 16))
	}
	return len(p.arena)
}

// Len is the number of queued commands.
func (p *Pipeline) Len() int { return len(p.cmds) }

// Reset discards the queued commands without running them.
func (p *Pipeline) Reset() {
	p.cmds, p.arena = nil, nil
}

// Exec runs the queued commands in one hand-off and returns their replies,
// replies[i] being the reply to the i-th queued command; error replies are
// Values whose Err method returns the error. The returned slice belongs to
// the caller. With no commands queued, Exec returns nil, nil.
//
// Once the executor has started the batch, the whole batch runs, whatever
// ctx does: the replies are non-nil exactly when it ran. Outcomes:
//
//   - The batch ran: all replies, and a nil error.
//   - ctx ended while a blocking command of the batch (BLPOP, XREAD BLOCK
//     ...) waited, or before the executor reached it: that command is
//     answered as if its timeout had passed (BLPOP's null reply; it took
//     nothing), the commands after it still run (a later blocking command
//     answers the same way at once), and Exec returns all replies together
//     with ctx's error.
//   - The store is closed (ErrClosed), or ctx ended before the executor
//     started the batch (ctx's error): nil replies; no command ran.
//
// A single blocking command called on its own (DB.Do, BLPop ...) is
// different: a ctx that ends while it waits abandons it, and the call
// returns only ctx's error, since nothing ran.
func (p *Pipeline) Exec(ctx context.Context) ([]Value, error) {
	if len(p.cmds) == 0 {
		return nil, nil
	}
	cmds := p.cmds
	p.lastCmds, p.lastArgs = len(p.cmds), len(p.arena)
	p.Reset()

	replies := make([]Value, len(cmds))
	if p.d.s.busyBatch(p.d.cl, cmds, replies) {
		// A script is past its busy threshold: answered without waiting
		// for the executor, as single commands are.
		return replies, nil
	}
	r := getRequest(p.d.cl)
	r.batch = cmds
	r.replies = replies
	r.whole = true
	if err := p.d.s.submit(ctx, r); err != nil {
		// r may still be in the queue; the executor drops it.
		return nil, err
	}
	cut := r.cut
	putRequest(r)
	if cut {
		return replies, ctx.Err()
	}
	return replies, nil
}

// cutBlocked is the caller's side of a ctx that ends after the executor
// has taken r, a whole batch (request.whole): the batch must run to its
// end, so r is not abandoned; instead its blocked command, if any, is
// answered with its timeout reply and the rest of the batch runs.
//
// Why a job on the executor, not a CAS by the caller as abandonBlocked
// does: serving the rest of the batch is the executor's work. The caller
// sets r.cancelled first, so a command of the batch that blocks later, or
// one the executor has claimed and is putting back (reblock), is cut
// short by the executor itself; the job cuts the one blocked now. The job
// reads r, so the caller keeps r out of the pool until the job has run
// (onExecutor waits for it) and r is complete.
func (s *Store) cutBlocked(r *request) {
	r.cancelled.Store(true)
	// Background: the job must run; it fails only when the store closes,
	// and then the executor fails r itself.
	s.onExecutor(context.Background(), func(s *Store) {
		// On the executor r is either complete or blocked (registered,
		// r.blk set): never half-served.
		if bs := r.blk; bs != nil && r.claimBlocked() {
			r.cut = true
			s.finishWaiter(bs, bs.timeout)
			s.handleReady()
		}
	})
}
