package embedis

import (
	"context"
	"strings"
	"time"
)

// Go-side observability: a Stats snapshot for metrics exporters, INFO
// parsed into sections, and typed CONFIG GET / SET.

// Stats is a snapshot of the store's counters, taken on the executor
// between two commands, so its figures are consistent with each other.
// Taking one costs about as much as one command plus a slice per
// database: cheap enough to poll every second.
type Stats struct {
	// Commands is the number of commands run (INFO total_commands_processed).
	Commands int64
	// OpsPerSec is the recent command rate (instantaneous_ops_per_sec),
	// measured between this snapshot and the previous INFO or Stats call
	// at least 100 ms earlier.
	OpsPerSec int64
	// Hits and Misses count key lookups of read commands that found, or
	// did not find, their key (keyspace_hits, keyspace_misses).
	Hits, Misses int64
	// Expired counts keys removed because their TTL passed (expired_keys).
	Expired int64
	// Evicted counts keys removed by the maxmemory policy (evicted_keys);
	// always 0 until eviction exists.
	Evicted int64
	// ErrorReplies counts error replies (total_error_replies).
	ErrorReplies int64
	// Dirty is the number of writes since the store opened
	// (rdb_changes_since_last_save until snapshots reset it).
	Dirty int64
	// Keys and Expires hold, per database, the number of keys and of keys
	// with a TTL (index: database number).
	Keys, Expires []int
	// Clients is the number of open wire connections; BlockedClients the
	// callers blocked in BLPOP and friends.
	Clients, BlockedClients int
	// ConnectionsReceived counts the wire connections accepted.
	ConnectionsReceived int64
	// SlowlogLen is the number of entries in the slow log.
	SlowlogLen int
	// Persistence is the state of snapshots and the append log.
	Persistence PersistenceStats
	// Uptime is how long the store has been open.
	Uptime time.Duration
}

// PersistenceStats is the persistence part of Stats. Until the snapshot
// and append-log features report into it, it holds the figures of a store
// without persistence.
type PersistenceStats struct {
	// Loading is true while the store loads a snapshot or log at Open.
	Loading bool
	// SaveInProgress is true while a snapshot is being written.
	SaveInProgress bool
	// LastSave is when the last snapshot completed (the open time when
	// none did), and LastSaveOK whether the last attempt succeeded.
	LastSave   time.Time
	LastSaveOK bool
	// AOFEnabled is whether the append log is on.
	AOFEnabled bool
}

// Stats returns a snapshot of the store's counters. It fails only when the
// store is closed or ctx ends first.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.onExecutor(ctx, func(s *Store) {
		if !s.obs.ready {
			s.obsInit()
		}
		st = Stats{
			Commands:            s.stats.commands,
			OpsPerSec:           s.obsOpsPerSec(),
			Hits:                s.stats.hits,
			Misses:              s.stats.miss,
			Expired:             s.stats.expiredKeys,
			ErrorReplies:        s.obs.errTotal,
			Dirty:               s.stats.dirty,
			Keys:                make([]int, len(s.dbs)),
			Expires:             make([]int, len(s.dbs)),
			Clients:             len(s.sessions()),
			BlockedClients:      s.blk.count,
			ConnectionsReceived: s.wire.connections.Load(),
			SlowlogLen:          len(s.obs.slowlog.entries),
			Persistence:         PersistenceStats{LastSave: s.admin.started, LastSaveOK: true},
			Uptime:              time.Since(s.admin.started),
		}
		for i, d := range s.dbs {
			st.Keys[i], st.Expires[i] = d.keys.Len(), d.expires.Len()
		}
	})
	return st, err
}

// InfoSection is one section of INFO: its title as INFO prints it
// ("Server", "Commandstats" ...) and its fields, in order.
type InfoSection struct {
	Name   string
	Fields []InfoField
}

// InfoField is one "name:value" line of an INFO section.
type InfoField struct {
	Name, Value string
}

// Get returns the value of the named field and whether the section has
// it.
func (s InfoSection) Get(name string) (string, bool) {
	for _, f := range s.Fields {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
}

// Info runs INFO with the given section names (none: the default
// sections; "all", "everything", "default" as in Redis) and returns the
// sections parsed, keyed by lower-case name ("server", "commandstats" ...).
func (d *DB) Info(ctx context.Context, sections ...string) (map[string]InfoSection, error) {
	args := append([]string{"info"}, sections...)
	text, err := asString(d.exec(ctx, args))
	if err != nil {
		return nil, err
	}
	return ParseInfo(text), nil
}

// ParseInfo parses INFO text (from embedis or a Redis server) into its
// sections, keyed by lower-case name. Lines that are neither a "# Title"
// nor "name:value" are skipped.
func ParseInfo(text string) map[string]InfoSection {
	out := map[string]InfoSection{}
	var cur *InfoSection
	var key string
	flush := func() {
		if cur != nil {
			out[key] = *cur
		}
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		switch {
		case strings.HasPrefix(line, "# "):
			flush()
			cur = &InfoSection{Name: line[2:]}
			key = strings.ToLower(cur.Name)
		case cur != nil && strings.Contains(line, ":"):
			i := strings.IndexByte(line, ':')
			cur.Fields = append(cur.Fields, InfoField{Name: line[:i], Value: line[i+1:]})
		}
	}
	flush()
	return out
}

// ConfigGet returns the parameters matching the glob patterns and their
// values (CONFIG GET).
func (d *DB) ConfigGet(ctx context.Context, patterns ...string) (map[string]string, error) {
	args := append([]string{"config", "get"}, patterns...)
	v, err := d.exec(ctx, args)
	if err != nil {
		return nil, err
	}
	if v.kind == KindError {
		return nil, v.Err()
	}
	out := make(map[string]string, len(v.elems)/2)
	for i := 0; i+1 < len(v.elems); i += 2 {
		out[v.elems[i].Str()] = v.elems[i+1].Str()
	}
	return out, nil
}

// ConfigSet sets one or more parameters atomically (CONFIG SET name value
// [name value ...]): all or none. Parameters embedis accepts but does not
// act on are listed by InertConfigParameters.
func (d *DB) ConfigSet(ctx context.Context, params map[string]string) error {
	args := make([]string, 0, 2+2*len(params))
	args = append(args, "config", "set")
	for k, v := range params {
		args = append(args, k, v)
	}
	return asOK(d.exec(ctx, args))
}
