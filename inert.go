package embedis

import (
	"log/slog"
	"sort"
)

// Inert configuration parameters.
//
// CONFIG SET accepts every parameter Redis 7.0 has, so that tools and
// client libraries that set them keep working, but embedis honours only
// some. The rest are inert: CONFIG SET stores the value (CONFIG GET returns
// it) and nothing else changes. The first CONFIG SET of each inert
// parameter is logged at warning level through Options.Logger.

// configHonoured lists the parameters whose value embedis acts on. Every
// other parameter of configDefaults is inert (see InertConfigParameters).
// A change that makes a parameter take effect adds it here.
var configHonoured = map[string]bool{
	"requirepass":                       true, // wire.go: AUTH
	"proto-max-bulk-len":                true, // wire.go
	"client-query-buffer-limit":         true, // wire.go
	"client-output-buffer-limit":        true, // wire_out.go
	"busy-reply-threshold":              true, // scripting.go
	"lua-time-limit":                    true, // alias of busy-reply-threshold
	"set-max-intset-entries":            true, // OBJECT ENCODING
	"hash-max-listpack-entries":         true,
	"hash-max-listpack-value":           true,
	"hash-max-ziplist-entries":          true,
	"hash-max-ziplist-value":            true,
	"zset-max-listpack-entries":         true,
	"zset-max-listpack-value":           true,
	"zset-max-ziplist-entries":          true,
	"zset-max-ziplist-value":            true,
	"list-max-listpack-size":            true, // rdbconv.go: list nodes written
	"list-max-ziplist-size":             true,
	"hll-sparse-max-bytes":              true, // hyperloglog.go
	"slowlog-log-slower-than":           true, // slowlog.go
	"slowlog-max-len":                   true,
	"latency-monitor-threshold":         true, // latency.go
	"latency-tracking":                  true, // obs.go: latencystats
	"latency-tracking-info-percentiles": true,
	"notify-keyspace-events":            true, // notify.go
	"save":                              true, // persistence.go: save rules
	"rdbcompression":                    true, // rdbconv.go: rdbConfig
	"rdbchecksum":                       true,
	"stop-writes-on-bgsave-error":       true, // persistence.go: MISCONF
	"appendonly":                        true, // aof.go
	"appendfsync":                       true,
	"aof-timestamp-enabled":             true,
	"aof-load-truncated":                true,
	"auto-aof-rewrite-percentage":       true,
	"auto-aof-rewrite-min-size":         true,
}

// InertConfigParameters returns, sorted, the CONFIG parameters that CONFIG
// SET accepts but embedis does not act on (immutable and protected ones,
// which CONFIG SET refuses, are not listed).
func InertConfigParameters() []string {
	var out []string
	for _, p := range configDefaults {
		if configHonoured[p.name] || p.kind == "immutable" || p.kind == "protected" {
			continue
		}
		out = append(out, p.name)
	}
	sort.Strings(out)
	return out
}

// warnInert logs, once per parameter and store, that CONFIG SET set a
// parameter embedis does not honour. Executor only.
func (s *Store) warnInert(name string) {
	if configHonoured[name] || s.opts.Logger == nil {
		return
	}
	if s.obs.inertWarned == nil {
		s.obs.inertWarned = map[string]bool{}
	}
	if s.obs.inertWarned[name] {
		return
	}
	s.obs.inertWarned[name] = true
	s.logAt(slog.LevelWarn, "embedis: CONFIG SET accepted a parameter that has no effect in embedis",
		slog.String("parameter", name))
}
