package embedis

// The write feed: every change leaves the executor once, here, in Redis's
// propagation form. The append log, replicas, MONITOR-like consumers and
// tests read it; nothing else re-derives writes from commands.
//
// The unit of the feed is Redis's execution unit: a top-level command, a
// blocked command served when its key became ready, one key removed by
// the active expiry cycle. The ops of a unit are collected while it runs
// and handed to the sinks when it ends, wrapped in MULTI ... EXEC when
// there is more than one (a transaction or script that wrote several
// commands, a command that also expired keys), so a consumer replays
// them atomically. Commands that changed nothing propagate nothing.
//
// An op names its database; each sink tracks the database it last wrote
// and inserts SELECT itself, since an append log and a replica that
// attached later need SELECT at different places.
//
// Argument vectors in the feed own their memory: they outlive the request
// whose pooled argv they came from (see ownArgs).

// feedOp is one command of the write feed, in propagation form.
type feedOp struct {
	db   int
	args []string
}

// feedSink consumes the write feed. feedUnit runs on the executor once per
// execution unit, with the unit's ops in order (MULTI first and EXEC last
// when there are several); it must not block, and it may keep ops and
// their argument vectors, which are not reused.
type feedSink interface {
	feedUnit(ops []feedOp)
}

// feedState is the executor's side of the feed. Owned by the executor
// goroutine.
type feedState struct {
	// sinks are the consumers; with none the feed records nothing, and
	// the per-command cost is one length check.
	sinks []feedSink
	// ops collects the current execution unit.
	ops []feedOp
}

// on reports whether anything consumes the feed.
func (f *feedState) on() bool { return len(f.sinks) != 0 }

// add appends an op to the current unit; args must be owned.
func (f *feedState) add(db int, args []string) {
	f.ops = append(f.ops, feedOp{db: db, args: args})
}

// endUnit hands the current unit to the sinks.
func (f *feedState) endUnit() {
	if len(f.ops) == 0 {
		return
	}
	ops := f.ops
	f.ops = nil
	if len(ops) > 1 {
		wrapped := make([]feedOp, 0, len(ops)+2)
		wrapped = append(wrapped, feedOp{db: ops[0].db, args: []string{"MULTI"}})
		wrapped = append(wrapped, ops...)
		wrapped = append(wrapped, feedOp{db: ops[len(ops)-1].db, args: []string{"EXEC"}})
		ops = wrapped
	}
	for _, s := range f.sinks {
		s.feedUnit(ops)
	}
}

// propagateAs states the form in which the running command propagates,
// in place of the command as issued (SET ... EX -> SET ... PXAT). It has
// effect only when the command changed something. args is copied.
func (c *call) propagateAs(args ...string) {
	c.prop = ownArgs(args)
	c.propSet = true
}

// alsoPropagate adds a command to the feed now, before the running
// command's own form (Redis's alsoPropagate): the SREMs of SPOP with a
// count, the DEL of a key a command emptied in another database. args is
// copied.
func (c *call) alsoPropagate(args ...string) {
	if c.s.feed.on() {
		c.s.feed.add(c.db.id, ownArgs(args))
	}
}

// noPropagate suppresses the running command's own form: EXEC, EVAL and
// FCALL, whose inner commands propagate themselves, and commands that
// state all their effects with alsoPropagate.
func (c *call) noPropagate() {
	c.prop = nil
	c.propSet = true
}

// endCall records the propagation of a command that has just run, given
// the write counter before it ran.
func (s *Store) endCall(c *call, dirtyBefore int64) {
	if s.stats.dirty == dirtyBefore || c.cmd == nil {
		return
	}
	switch {
	case c.propSet:
		if c.prop != nil {
			s.feed.add(c.db.id, c.prop)
		}
	case c.cmd.flags&flagWrite != 0:
		s.feed.add(c.db.id, ownArgs(c.args))
	}
}

// propagateExpired puts the deletion of an expired key into the feed, as
// DEL (Redis propagates expiry as a deletion so that replicas and the log
// never expire keys on their own clock). Outside a command it is a unit
// of its own.
func (s *Store) propagateExpired(d *db, key string) {
	if !s.feed.on() {
		return
	}
	s.feed.add(d.id, []string{"DEL", key})
	if s.callDepth == 0 {
		s.feed.endUnit()
	}
}

// addFeedSink attaches a consumer of the write feed. Executor only.
func (s *Store) addFeedSink(k feedSink) { s.feed.sinks = append(s.feed.sinks, k) }

// removeFeedSink detaches a consumer. Executor only.
func (s *Store) removeFeedSink(k feedSink) {
	for i, x := range s.feed.sinks {
		if x == k {
			s.feed.sinks = append(s.feed.sinks[:i], s.feed.sinks[i+1:]...)
			return
		}
	}
}

// The release point of replies.
//
// A reply tells its caller that a write happened; with appendfsync always
// it must also mean the write is on disk, and with WAIT that replicas
// have it. So the executor does not complete requests itself when a
// durability step is installed: it holds every request it finished
// during a turn (reads too: a read may have seen a write not yet durable,
// and a client must not act on it), and at the end of the turn hands the
// held requests to the step, which completes them once the turn's writes
// are durable. One step thus covers every write of the turn and every
// caller that arrived meanwhile: group commit.

// durabilityStep makes a turn's writes durable and then releases the
// replies that waited for them. barrier runs on the executor at the end of
// a turn; it must not block: it starts the step (for example an fsync on
// another goroutine) and calls complete on each request when the step is
// done, from any goroutine.
type durabilityStep interface {
	barrier(held []*request)
}

// release completes r, now or after the turn's durability step.
func (s *Store) release(r *request) {
	if s.durable == nil {
		r.complete()
		return
	}
	s.held = append(s.held, r)
}

// endTurn hands the requests held during a turn to the durability step.
func (s *Store) endTurn() {
	if len(s.held) == 0 {
		return
	}
	held := s.held
	s.held = nil
	s.durable.barrier(held)
}
