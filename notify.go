package embedis

import (
	"strconv"
	"strings"
)

// Keyspace notifications: each change raises its keyspace event on the
// mutation path (mutate.go, point 3), and when notify-keyspace-events
// selects the event's class the notifier publishes it as Redis does, as
// two ordinary pub/sub messages:
//
//	__keyspace@<db>__:<key>    with the event name as payload   (flag K)
//	__keyevent@<db>__:<event>  with the key as payload          (flag E)
//
// in that order, to wire and Go subscribers alike. The classes are g
// (generic: del, expire, rename_from ...), $ (strings), l (lists), s
// (sets), h (hashes), z (sorted sets), x (expired, raised when a lookup or
// the active expiry cycle removes the key, on the store's clock), e
// (evicted), t (streams), m (keymiss: a read lookup of a missing key), d
// (module events, which embedis never raises), n (new: a key created),
// and A for g$lshzxetd. Keyspace events are not propagated: a replica
// raises its own from the writes it applies.

// notifyFlags is notify-keyspace-events parsed, with Redis's bits.
type notifyFlags uint32

const (
	notifyKeyspace notifyFlags = 1 << iota // K
	notifyKeyevent                         // E
	notifyGeneric                          // g
	notifyString                           // $
	notifyList                             // l
	notifySet                              // s
	notifyHash                             // h
	notifyZSet                             // z
	notifyExpired                          // x
	notifyEvicted                          // e
	notifyStream                           // t
	notifyKeyMiss                          // m
	notifyLoaded                           // (module key loaded: no letter)
	notifyModule                           // d
	notifyNew                              // n

	notifyAll = notifyGeneric | notifyString | notifyList | notifySet | notifyHash |
		notifyZSet | notifyExpired | notifyEvicted | notifyStream | notifyModule
)

// classKeyMiss is the class of the keymiss event.
const classKeyMiss = 'm'

// evKeyMiss is raised by read lookups of a missing key.
var evKeyMiss = keyEvent{classKeyMiss, "keymiss"}

// notifyLetters maps each class letter to its flag, in the order Redis
// prints them.
var notifyLetters = []struct {
	c byte
	f notifyFlags
}{
	{'g', notifyGeneric}, {'$', notifyString}, {'l', notifyList}, {'s', notifySet},
	{'h', notifyHash}, {'z', notifyZSet}, {'x', notifyExpired}, {'e', notifyEvicted},
	{'t', notifyStream}, {'d', notifyModule}, {'n', notifyNew},
}

// classFlag returns the flag of an event class letter.
func classFlag(c byte) notifyFlags {
	switch c {
	case 'A':
		return notifyAll
	case 'K':
		return notifyKeyspace
	case 'E':
		return notifyKeyevent
	case 'm':
		return notifyKeyMiss
	}
	for _, l := range notifyLetters {
		if l.c == c {
			return l.f
		}
	}
	return 0
}

// parseNotifyFlags parses a notify-keyspace-events value; false on a
// character that is no class.
func parseNotifyFlags(s string) (notifyFlags, bool) {
	var f notifyFlags
	for i := 0; i < len(s); i++ {
		b := classFlag(s[i])
		if b == 0 {
			return 0, false
		}
		f |= b
	}
	return f, true
}

// String formats the flags as CONFIG GET shows them: A for all of
// g$lshzxetd, else the classes, then K, E and m.
func (f notifyFlags) String() string {
	var b strings.Builder
	if f&notifyAll == notifyAll {
		b.WriteByte('A')
	} else {
		for _, l := range notifyLetters {
			if f&l.f != 0 {
				b.WriteByte(l.c)
			}
		}
	}
	if f&notifyKeyspace != 0 {
		b.WriteByte('K')
	}
	if f&notifyKeyevent != 0 {
		b.WriteByte('E')
	}
	if f&notifyKeyMiss != 0 {
		b.WriteByte('m')
	}
	return b.String()
}

// errNotifyClass is CONFIG SET's refusal of a bad notify-keyspace-events.
const errNotifyClass = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."

// setNotify applies notify-keyspace-events. Executor only. The sink is
// attached only when some event can be published, so that a store without
// notifications pays one nil check per change.
func (s *Store) setNotify(f notifyFlags) {
	s.ps.notify = f
	_, ours := s.events.(keyspaceNotifier)
	on := f&(notifyKeyspace|notifyKeyevent) != 0 && f&^(notifyKeyspace|notifyKeyevent) != 0
	switch {
	case on:
		s.events = keyspaceNotifier{s}
	case ours:
		s.events = nil
	}
}

// keyspaceNotifier publishes keyspace events (the keyEventSink of a store
// with notify-keyspace-events set).
type keyspaceNotifier struct{ s *Store }

func (n keyspaceNotifier) keyEvent(db int, key string, ev keyEvent) {
	s := n.s
	f := s.ps.notify
	if f&classFlag(ev.class) == 0 {
		return
	}
	if len(s.ps.channels) == 0 && len(s.ps.patterns) == 0 {
		return // nobody can receive it
	}
	if f&notifyKeyspace != 0 {
		s.publish(KeyspaceChannel(db, key), ev.name)
	}
	if f&notifyKeyevent != 0 {
		s.publish(KeyeventChannel(db, ev.name), key)
	}
}

// KeyspaceChannel is the channel of key's keyspace notifications in
// database db ("__keyspace@0__:key"): its messages carry the event names
// ("set", "del", "expired" ...). Notifications must be enabled with
// notify-keyspace-events including K.
func KeyspaceChannel(db int, key string) string {
	return "__keyspace@" + strconv.Itoa(db) + "__:" + key
}

// KeyeventChannel is the channel of the keyspace event named event in
// database db ("__keyevent@0__:expired"): its messages carry the key.
// Notifications must be enabled with notify-keyspace-events including E.
func KeyeventChannel(db int, event string) string {
	return "__keyevent@" + strconv.Itoa(db) + "__:" + event
}
