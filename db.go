package embedis

import (
	"github.com/embedis/embedis/internal/dict"
)

// valueType is the Redis type of a key's value.
type valueType uint8

const (
	typeString valueType = iota + 1
	typeList
	typeSet
	typeZSet
	typeHash
	typeStream
)

var typeNames = [...]string{typeString: "string", typeList: "list", typeSet: "set",
	typeZSet: "zset", typeHash: "hash", typeStream: "stream"}

func (t valueType) String() string {
	if int(t) < len(typeNames) && typeNames[t] != "" {
		return typeNames[t]
	}
	return "none"
}

// String encodings, as OBJECT ENCODING reports them.
const (
	encRaw uint8 = iota
	encEmbstr
	encInt
	// encIntOwned is an int-encoded string that is its own object, not
	// one of Redis's shared integers: COPY's duplicate of an int. OBJECT
	// ENCODING reports "int", OBJECT REFCOUNT 1.
	encIntOwned
)

// entry is one key's value and metadata, stored inline in the keyspace
// table. Owned by the executor goroutine.
type entry struct {
	typ valueType
	// enc is the encoding of a string value (encRaw, encEmbstr, encInt);
	// other types derive their encoding from the value.
	enc uint8
	// expire is the absolute expiry time in unix milliseconds; 0 means
	// the key does not expire. A key with expire != 0 is also in
	// db.expires.
	expire int64
	// access is the time of the last access in unix milliseconds, for
	// OBJECT IDLETIME (and LRU eviction later).
	access int64
	// snap is the epoch of the last point-in-time snapshot that has
	// written this key (or that began before the key was created, and so
	// must not write it): a snapshot skips keys with its epoch, which
	// makes "each key exactly once" hold whatever order the pre-image
	// hook and the snapshot's own scan reach a key in.
	snap uint32
	// str is the value of a string key; strings live here rather than in
	// obj so that storing one allocates nothing beyond the table node.
	str string
	// obj is the value of the other types.
	obj any
}

// db is one database: the keyspace and the index of keys with a TTL. Owned
// by the executor goroutine.
type db struct {
	id int
	// keys is the keyspace. A pointer, so that FLUSHDB and SWAPDB replace
	// or exchange whole tables: a snapshot in progress keeps the tables it
	// started from and tells them apart by identity (mutate.go).
	keys *dict.Dict[entry]
	// expires holds the keys that have a TTL, so the active expiry cycle
	// can sample them at random without walking the whole keyspace.
	expires *dict.Dict[struct{}]
	// watched is the WATCH registry of this database number (multi.go):
	// key -> the watches on it. Empty (nil) while nobody watches, so the
	// dirty hooks cost one length check. It stays with the database
	// number when SWAPDB exchanges contents, as Redis's does.
	watched map[string][]*watchedKey
}

func newDB(id int) *db {
	return &db{id: id, keys: new(dict.Dict[entry]), expires: new(dict.Dict[struct{}])}
}

// expired reports whether e has expired at now.
func (e *entry) expired(now int64) bool { return e.expire != 0 && e.expire <= now }

// lookup returns the live entry of key or nil, deleting it first when it
// has expired (lazy expiry), so no command ever sees an expired key.
func (c *call) lookup(key string) *entry {
	if c.cl.primary {
		// The replication stream: keys exist until the primary deletes
		// them, whatever this store's clock says (Redis's master client).
		return c.db.keys.Get(key)
	}
	return c.s.lookupDB(c.db, key, c.now)
}

func (s *Store) lookupDB(d *db, key string, now int64) *entry {
	e := d.keys.Get(key)
	if e == nil {
		return nil
	}
	if e.expired(now) {
		if s.noSelfExpire {
			// A replica: the key is gone for readers, but only the
			// primary's DEL removes it (see Store.noSelfExpire).
			return nil
		}
		s.expireKey(d, key)
		return nil
	}
	return e
}

// lookupRead is lookup for a read: it counts a keyspace hit or miss and
// updates the access time.
func (c *call) lookupRead(key string) *entry {
	e := c.lookup(key)
	if e == nil {
		c.s.stats.miss++
		if c.s.events != nil { // keymiss (notify.go)
			c.s.events.keyEvent(c.db.id, key, evKeyMiss)
		}
		return nil
	}
	c.s.stats.hits++
	e.access = c.now
	return e
}

// lookupType returns the entry of key when it holds typ, nil when the key
// is missing, and ok=false (with the WRONGTYPE reply to send) when it holds
// another type.
func (c *call) lookupType(key string, typ valueType) (e *entry, ok bool) {
	e = c.lookupRead(key)
	if e != nil && e.typ != typ {
		return nil, false
	}
	return e, true
}

// valueAt returns the object of type T stored at key when the key holds
// typ: zero and ok when the key is missing, ok=false when it holds another
// type (the caller replies WRONGTYPE). A read counts a keyspace hit or miss
// (Redis's lookupKeyRead); a write does not (lookupKeyWrite); both touch
// the key's access time. Every collection type's lookups go through it.
func valueAt[T any](c *call, key string, typ valueType, write bool) (v T, ok bool) {
	var e *entry
	if write {
		e = c.lookupWrite(key)
	} else {
		e = c.lookupRead(key)
	}
	if e == nil {
		return v, true
	}
	if e.typ != typ {
		return v, false
	}
	return e.obj.(T), true
}

// setExpire sets or clears (at == 0) the expiry of a live entry.
func (d *db) setExpire(key string, e *entry, at int64) {
	switch {
	case at == 0 && e.expire != 0:
		d.expires.Delete(key)
	case at != 0 && e.expire == 0:
		d.expires.Put(key)
	}
	e.expire = at
}

// put returns the entry for key, creating an empty one when the key is
// absent; an existing entry is returned as is (its TTL kept). It is point
// 1 of the mutation path (mutate.go) for key: the caller changes the
// entry and then calls c.changed.
func (c *call) put(key string) (e *entry, added bool) {
	c.s.beforeChange(c.db, key)
	if c.s.noSelfExpire {
		// A write replaces a key that is logically expired, as Redis's
		// writable replicas delete it on a write lookup.
		if old := c.db.keys.Get(key); old != nil && old.expired(c.now) {
			c.s.removeKey(c.db, key)
			c.s.afterChange(c.db, key, evExpired)
		}
	}
	e, added = c.db.keys.Put(key)
	if added {
		e.snap = c.s.snapEpoch // created after a running snapshot began
		e.access = c.now
		if c.s.events != nil {
			c.s.events.keyEvent(c.db.id, key, evNew)
		}
	}
	return e, added
}

// setString stores a string value, replacing whatever key held; the TTL is
// cleared unless keepTTL. It raises ev (evNone for none).
func (c *call) setString(key, val string, enc uint8, keepTTL bool, ev keyEvent) *entry {
	e, added := c.put(key)
	if !added && !keepTTL && e.expire != 0 {
		c.db.setExpire(key, e, 0)
	}
	e.typ, e.enc, e.str, e.obj = typeString, enc, val, nil
	e.access = c.now
	c.changed(key, ev)
	return e
}

// setObject stores a value of a non-string type, replacing whatever key
// held and clearing its TTL, and raises ev.
func (c *call) setObject(key string, typ valueType, obj any, ev keyEvent) *entry {
	e := c.addObject(key, typ, obj)
	c.changed(key, ev)
	return e
}

// addObject is setObject without point 3 of the mutation path: for a
// command that creates a value and then fills it (LPUSH on a new key), and
// calls c.changed once it has.
func (c *call) addObject(key string, typ valueType, obj any) *entry {
	e, added := c.put(key)
	if !added && e.expire != 0 {
		c.db.setExpire(key, e, 0)
	}
	e.typ, e.enc, e.str, e.obj = typ, 0, "", obj
	return e
}

// copyValue returns an independent copy of e's value for COPY: type,
// encoding and value, without expiry or access time. A value that commands
// modify in place must be deep-copied here; each type adds its case. For a
// type without a case it returns an entry of type 0, which COPY refuses.
func copyValue(e *entry) entry {
	switch e.typ {
	case typeString:
		// Go strings are immutable: sharing is a copy.
		return entry{typ: typeString, enc: e.enc, str: e.str}
	}
	if o, ok := e.obj.(cloner); ok {
		return entry{typ: e.typ, obj: o.cloneObject()}
	}
	return entry{}
}

// The methods a value type's object implements; copyValue, OBJECT ENCODING
// and the invariant check find them by interface, so adding a type touches
// only its own file.
type (
	// cloner deep-copies a value for COPY.
	cloner interface{ cloneObject() any }
	// encoder reports the encoding Redis 7.0 would show in OBJECT ENCODING.
	encoder interface{ encoding() string }
	// checker verifies a value's internal invariants (tests).
	checker interface{ checkInvariants() error }
)

// Active expiry.
//
// Lazy expiry alone would keep keys that are never read again forever; the
// active cycle samples keys with a TTL at random on every tick and deletes
// the expired ones. As in Redis, it keeps sampling a database while more
// than a quarter of a sample had expired, but stops after a fixed amount of
// work per tick so a burst of expiring keys never stalls commands: the rest
// is left for the next tick (and for lazy expiry, which keeps them
// invisible meanwhile).
const (
	expireSample      = 20   // keys sampled per round
	expireMaxPerTick  = 2000 // keys examined per tick, across databases
	expireRepeatRatio = 4    // repeat while expired > sample/ratio
)

func (s *Store) activeExpireCycle(now int64) {
	budget := expireMaxPerTick
	for _, d := range s.dbs {
		for budget > 0 && d.expires.Len() > 0 {
			n := min(expireSample, d.expires.Len())
			expired := 0
			for i := 0; i < n; i++ {
				key, _, _ := d.expires.Random(s.rnd.Uint64)
				e := d.keys.Get(key)
				if e != nil && e.expired(now) {
					s.expireKey(d, key)
					expired++
				}
			}
			budget -= n
			if expired*expireRepeatRatio <= n {
				break
			}
		}
	}
}
