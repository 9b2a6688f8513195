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
// the caller. Exec returns an error only when the store is closed
// (ErrClosed) or ctx ends before the executor starts the batch (ctx's
// error); then no command has run. Once started, the whole batch runs.
// With no commands queued, Exec returns nil, nil.
func (p *Pipeline) Exec(ctx context.Context) ([]Value, error) {
	if len(p.cmds) == 0 {
		return nil, nil
	}
	cmds := p.cmds
	p.lastCmds, p.lastArgs = len(p.cmds), len(p.arena)
	p.Reset()

	replies := make([]Value, len(cmds))
	if p.d.s.busyBatch(cmds, replies) {
		// A script is past its busy threshold: answered without waiting
		// for the executor, as single commands are.
		return replies, nil
	}
	r := getRequest(p.d.cl)
	r.batch = cmds
	r.replies = replies
	if err := p.d.s.submit(ctx, r); err != nil {
		// r may still be in the queue; the executor drops it.
		return nil, err
	}
	putRequest(r)
	return replies, nil
}
