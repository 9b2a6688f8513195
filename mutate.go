package embedis

// The mutation path: the one way a key changes.
//
// Snapshots, the append log, replication, keyspace notifications, memory
// accounting, WATCH and blocked clients all need to see every change to
// every key, and to see it at the right moment. So every change passes
// the same three points, in this order, and nothing else in the package
// writes to a keyspace table:
//
//  1. Before the change: s.beforeChange(d, key). c.lookupWrite and c.put
//     call it for the key they return, c.del and expiry before they
//     delete; FLUSHDB, FLUSHALL and SWAPDB call s.beforeChangeDB for a
//     whole database. This is where a point-in-time snapshot that has not
//     yet written the key serializes its old value (its pre-image), so
//     the key must still hold the old value here: a handler modifies only
//     a value it obtained through lookupWrite (or valueAt with write set)
//     or put, never one from a read lookup.
//  2. The change itself, done by the handler to that value.
//  3. After the change: c.changed(key, event) (or s.afterChange). It
//     counts the write, invalidates WATCHes, wakes clients blocked on the
//     key, and is where keyspace events and memory accounting hang. The
//     event is Redis's keyspace-event name and class ("lpush", 'l').
//
// And, for the command as a whole, the form it propagates (the write
// feed, below): by default the command as issued when it changed
// anything; a handler states another form with c.propagateAs (SET EX ->
// SET PXAT, SPOP -> SREM), adds commands with c.alsoPropagate, or
// suppresses its own with c.noPropagate (EXEC and scripts, whose inner
// commands propagate themselves).
//
// Why the pre-image hook sits in the lookups rather than in each handler:
// the interleaving it prevents is "BGSAVE has not reached key k; LPUSH k x
// runs; BGSAVE then writes k with x", a snapshot that never existed. A
// hook a handler must remember to call is one a new handler forgets; the
// lookup it cannot avoid. Calling it for a write that then changes nothing
// (LPUSH of a wrong type, SET NX on an existing key) only serializes that
// key early, which is still its point-in-time value.
//
// The coverage check (build tag embedischeck, mutcheck_on.go) digests
// every key before and after every request and fails the store when a key
// changed without passing points 1 and 3; CI runs the whole suite with it.

// keyEvent is a keyspace event: its class (the letter notify-keyspace-events
// uses) and its name.
type keyEvent struct {
	class byte
	name  string
}

// Event classes, as notify-keyspace-events spells them.
const (
	classGeneric = 'g'
	classString  = '$'
	classList    = 'l'
	classSet     = 's'
	classHash    = 'h'
	classZSet    = 'z'
	classExpired = 'x'
	classEvicted = 'e'
	classStream  = 't'
	classNew     = 'n'
)

// evNone is a change that raises no keyspace event (Redis raises none for
// some writes, e.g. a stream consumer's seen-time in XREADGROUP).
var evNone = keyEvent{}

// The events of the generic and string commands; each type's file
// declares its own.
var (
	evDel      = keyEvent{classGeneric, "del"}
	evExpire   = keyEvent{classGeneric, "expire"}
	evPersist  = keyEvent{classGeneric, "persist"}
	evRenameF  = keyEvent{classGeneric, "rename_from"}
	evRenameT  = keyEvent{classGeneric, "rename_to"}
	evMoveF    = keyEvent{classGeneric, "move_from"}
	evMoveT    = keyEvent{classGeneric, "move_to"}
	evCopyTo   = keyEvent{classGeneric, "copy_to"}
	evRestore  = keyEvent{classGeneric, "restore"}
	evSortSt   = keyEvent{classList, "sortstore"}
	evExpired  = keyEvent{classExpired, "expired"}
	evEvicted  = keyEvent{classEvicted, "evicted"}
	evNew      = keyEvent{classNew, "new"}
	evSet      = keyEvent{classString, "set"}
	evSetRange = keyEvent{classString, "setrange"}
	evAppend   = keyEvent{classString, "append"}
	evIncrBy   = keyEvent{classString, "incrby"}
	evIncrFlt  = keyEvent{classString, "incrbyfloat"}
)

// changeObserver sees every change before it happens: the pre-image hook
// of point-in-time snapshots. Its methods run on the executor and must not
// block.
type changeObserver interface {
	// beforeKey is called before key of d changes, is created or is
	// deleted; the key still holds its old value (or is absent).
	beforeKey(d *db, key string)
	// beforeDB is called before every key of d changes at once (FLUSHDB,
	// FLUSHALL, SWAPDB). d.keys still holds the old contents; the caller
	// then replaces the table rather than clearing it, so the observer
	// may keep the old table.
	beforeDB(d *db)
}

// loadKey stores a key read from a snapshot or a replication stream into
// d at start-up or in a full resync, outside any command: no hooks, no
// events, no propagation (as Redis's dbAddRDBLoad). It replaces a key
// that is already there. The keyspace code's only other writer.
func (s *Store) loadKey(d *db, key string, v entry, expire int64) *entry {
	e, _ := d.keys.Put(key)
	if e.expire != 0 {
		d.expires.Delete(key)
	}
	v.expire = 0
	*e = v
	if expire != 0 {
		d.setExpire(key, e, expire)
	}
	return e
}

// keyEventSink receives every keyspace event after its change, on the
// executor (keyspace notifications, removal callbacks, tests).
type keyEventSink interface {
	keyEvent(db int, key string, ev keyEvent)
}

// beforeChange is point 1 of the mutation path for key of d.
func (s *Store) beforeChange(d *db, key string) {
	if s.observer != nil {
		s.observer.beforeKey(d, key)
	}
	if mutationCheck {
		s.mcheck.noteBefore(d.id, key)
	}
}

// beforeChangeDB is point 1 for every key of d at once.
func (s *Store) beforeChangeDB(d *db) {
	if s.observer != nil {
		s.observer.beforeDB(d)
	}
	if mutationCheck {
		s.mcheck.noteDB(d.id)
	}
}

// afterChange is point 3 of the mutation path: key of d has changed (been
// written, created or deleted).
func (s *Store) afterChange(d *db, key string, ev keyEvent) {
	s.stats.dirty++
	if len(d.watched) != 0 { // WATCH invalidation (multi.go)
		s.touchWatched(d, key)
	}
	if s.blk.count != 0 { // wake callers blocked on key (blocking.go)
		s.signalReady(d.id, key)
	}
	if ev.name != "" && s.events != nil {
		s.events.keyEvent(d.id, key, ev)
	}
	if mutationCheck {
		s.mcheck.noteAfter(d.id, key)
	}
}

// afterChangeDB is point 3 for a change of every key of d at once. It runs
// after the change: d holds its new contents (none after a flush).
func (s *Store) afterChangeDB(d *db, now int64) {
	s.stats.dirty++
	if len(d.watched) != 0 { // WATCH invalidation (multi.go)
		s.touchWatchedDB(d, now)
	}
	if s.blk.count != 0 { // wake callers blocked in d (blocking.go)
		s.signalDB(d.id)
	}
}

// changed is point 3 for key of the call's database.
func (c *call) changed(key string, ev keyEvent) { c.s.afterChange(c.db, key, ev) }

// changedIn is changed for a key of database d, which may not be the
// call's (MOVE, COPY ... DB).
func (c *call) changedIn(d *db, key string, ev keyEvent) { c.s.afterChange(d, key, ev) }

// removeKey deletes key from d, with its TTL, after the before-change
// hook; it reports whether the key existed. It raises no event: the
// caller does (del, expiry, eviction, an overwrite).
func (s *Store) removeKey(d *db, key string) bool {
	if d.keys.Get(key) == nil {
		return false
	}
	s.beforeChange(d, key)
	e, _ := d.keys.Delete(key)
	if e.expire != 0 {
		d.expires.Delete(key)
	}
	return true
}

// del deletes key in the call's database as a change of the command, with
// the "del" event; it reports whether the key existed.
func (c *call) del(key string) bool {
	if c.s.removeKey(c.db, key) {
		c.changed(key, evDel)
		return true
	}
	return false
}

// delIn is del for a key of database d.
func (c *call) delIn(d *db, key string) bool {
	if c.s.removeKey(d, key) {
		c.changedIn(d, key, evDel)
		return true
	}
	return false
}

// expireKey removes a key whose time has come, from a lookup or the active
// cycle: a change like any other ("expired" event, WATCH, the write feed,
// where it goes as DEL as Redis propagates it).
func (s *Store) expireKey(d *db, key string) {
	s.removeKey(d, key)
	s.stats.expiredKeys++
	s.afterChange(d, key, evExpired)
	s.propagateExpired(d, key)
}

// placeIn stores v (a value whose expire field is ignored) at key in d,
// which must not hold key, with expiry time expire (0 for none): the
// second half of RENAME, MOVE and COPY, after the before-change hook.
// The caller raises the event.
func (s *Store) placeIn(d *db, key string, v entry, expire int64) *entry {
	s.beforeChange(d, key)
	e, _ := d.keys.Put(key)
	if s.events != nil { // the key is created: "new", as Redis's dbAdd
		s.events.keyEvent(d.id, key, evNew)
	}
	v.expire, v.snap = 0, s.snapEpoch
	*e = v
	if expire != 0 {
		d.setExpire(key, e, expire)
	}
	return e
}

// keylessChange records a change that is not to a key: FUNCTION LOAD,
// DELETE, FLUSH and RESTORE change the function libraries, which
// snapshots, the log and replicas carry. It counts as a write (so the
// command propagates and save rules see it).
func (c *call) keylessChange() { c.s.stats.dirty++ }

// replaying reports whether the command replays writes decided elsewhere:
// an append log at start-up or a primary's stream. Such a command applies
// a time already past as it is (EXPIRE, RESTORE with a past TTL) instead
// of deleting the key, as Redis's checkAlreadyExpired does while loading
// and for its master client: the deletion, if any, comes as its own
// command in the same stream.
func (c *call) replaying() bool { return c.cl.loading || c.cl.primary }
