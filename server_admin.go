package embedis

import (
	"log/slog"
	"math"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Server administration: CONFIG, INFO, COMMAND and DEBUG.

// adminState is the server-wide state of the administration commands.
// Owned by the executor goroutine.
type adminState struct {
	// config holds every parameter's current value, filled from
	// configDefaults and Options on first use.
	config map[string]string
	kinds  map[string]string
	// started is when the store opened, for uptime.
	started time.Time
	// activeExpireOff is DEBUG SET-ACTIVE-EXPIRE 0: the cron skips the
	// active expiry cycle.
	activeExpireOff bool
}

// configValues returns the parameter table, creating it on first use.
func (s *Store) configValues() map[string]string {
	a := &s.admin
	if a.config == nil {
		a.config = make(map[string]string, len(configDefaults))
		a.kinds = make(map[string]string, len(configDefaults))
		for _, p := range configDefaults {
			a.config[p.name] = p.value
			a.kinds[p.name] = p.kind
		}
		a.config["databases"] = strconv.Itoa(s.opts.Databases)
		a.config["hz"] = strconv.Itoa(s.opts.Hz)
		a.config["requirepass"] = s.requirePass()
		a.config["busy-reply-threshold"] = strconv.FormatInt(s.busyThreshold(), 10)
		a.config["lua-time-limit"] = a.config["busy-reply-threshold"]
		if s.opts.ClusterEnabled {
			a.config["cluster-enabled"] = "yes"
		}
		if wd, err := os.Getwd(); err == nil {
			a.config["dir"] = wd
		}
		s.persistConfig(a.config) // save, dir, dbfilename (persistence.go)
		s.aofConfig(a.config)     // appendonly & co. (aof.go)
	}
	return a.config
}

func init() {
	adminFlags := flagAdmin | flagNoScript | flagLoading | flagStale
	adminACL := []string{"admin", "slow", "dangerous"}
	cmdFlags := flagLoading | flagStale
	register(
		&command{name: "config", arity: -2, acl: []string{"slow"}},
		&command{name: "config|get", arity: -3, flags: adminFlags, acl: adminACL, handler: cmdConfigGet},
		&command{name: "config|set", arity: -4, flags: adminFlags, acl: adminACL, handler: cmdConfigSet},
		&command{name: "config|resetstat", arity: 2, flags: adminFlags, acl: adminACL, handler: cmdConfigResetstat},
		&command{name: "config|rewrite", arity: 2, flags: adminFlags, acl: adminACL, handler: cmdConfigRewrite},
		&command{name: "config|help", arity: 2, flags: flagLoading | flagStale, acl: []string{"slow"}, handler: cmdConfigHelp},

		&command{name: "info", arity: -1, flags: flagLoading | flagStale, acl: []string{"slow", "dangerous"}, handler: cmdInfo},

		&command{name: "command", arity: -1, flags: cmdFlags, acl: aclSlowConn, handler: cmdCommand},
		&command{name: "command|count", arity: 2, flags: cmdFlags, acl: aclSlowConn, handler: cmdCommandCount},
		&command{name: "command|list", arity: -2, flags: cmdFlags, acl: aclSlowConn, handler: cmdCommandList},
		&command{name: "command|info", arity: -2, flags: cmdFlags, acl: aclSlowConn, handler: cmdCommandInfo},
		&command{name: "command|docs", arity: -2, flags: cmdFlags, acl: aclSlowConn, handler: cmdCommandDocs},
		&command{name: "command|getkeys", arity: -4, flags: cmdFlags, acl: aclSlowConn, handler: cmdCommandGetkeys},
		&command{name: "command|getkeysandflags", arity: -4, flags: cmdFlags, acl: aclSlowConn, handler: cmdCommandGetkeysandflags},
		&command{name: "command|help", arity: 2, flags: cmdFlags, acl: aclSlowConn, handler: cmdCommandHelp},

		&command{name: "debug", arity: -2, flags: adminFlags, acl: adminACL, handler: cmdDebug},
	)
}

// ---- CONFIG ----

// configGlobMatch matches s against a glob pattern (* ? [abc] [^a-z] \x) as
// Redis's stringmatchlen does, optionally ignoring ASCII case.
func configGlobMatch(pattern, s string, nocase bool) bool {
	lower := func(b byte) byte {
		if nocase && 'A' <= b && b <= 'Z' {
			return b + 'a' - 'A'
		}
		return b
	}
	for len(pattern) > 0 {
		switch pattern[0] {
		case '*':
			for len(pattern) > 1 && pattern[1] == '*' {
				pattern = pattern[1:]
			}
			if len(pattern) == 1 {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if configGlobMatch(pattern[1:], s[i:], nocase) {
					return true
				}
			}
			return false
		case '?':
			if len(s) == 0 {
				return false
			}
			s = s[1:]
		case '[':
			if len(s) == 0 {
				return false
			}
			p := pattern[1:]
			not := len(p) > 0 && p[0] == '^'
			if not {
				p = p[1:]
			}
			match := false
			for len(p) > 0 && p[0] != ']' {
				switch {
				case p[0] == '\\' && len(p) >= 2:
					p = p[1:]
					if lower(p[0]) == lower(s[0]) {
						match = true
					}
				case len(p) >= 3 && p[1] == '-':
					lo, hi := lower(p[0]), lower(p[2])
					if lo > hi {
						lo, hi = hi, lo
					}
					if c := lower(s[0]); c >= lo && c <= hi {
						match = true
					}
					p = p[2:]
				default:
					if lower(p[0]) == lower(s[0]) {
						match = true
					}
				}
				p = p[1:]
			}
			if not {
				match = !match
			}
			if !match {
				return false
			}
			s = s[1:]
			if len(p) == 0 {
				return len(s) == 0 // unterminated class: the pattern ends
			}
			pattern = p
		case '\\':
			if len(pattern) >= 2 {
				pattern = pattern[1:]
			}
			fallthrough
		default:
			if len(s) == 0 || lower(pattern[0]) != lower(s[0]) {
				return false
			}
			s = s[1:]
		}
		pattern = pattern[1:]
	}
	return len(s) == 0
}

func cmdConfigGet(c *call) Value {
	cfg := c.s.configValues()
	seen := map[string]bool{}
	var out []Value
	for _, pat := range c.args[2:] {
		if !strings.ContainsAny(pat, "*?[") {
			if v, ok := cfg[strings.ToLower(pat)]; ok && !seen[strings.ToLower(pat)] {
				seen[strings.ToLower(pat)] = true
				out = append(out, BulkValue(pat), BulkValue(v))
			}
			continue
		}
		var names []string
		for name := range cfg {
			if !seen[name] && configGlobMatch(pat, name, true) {
				names = append(names, name)
			}
		}
		sort.Strings(names)
		for _, name := range names {
			seen[name] = true
			out = append(out, BulkValue(name), BulkValue(cfg[name]))
		}
	}
	return MapValue(out...)
}

// configSetErr is the reply for a value CONFIG SET refuses.
func configSetErr(name, why string) Value {
	return ErrorValue("ERR CONFIG SET failed (possibly related to argument '" + sanitize(name) + "') - " + why)
}

// configParseMemory parses a memory value: an integer with an optional unit
// (b, k, kb, m, mb, g, gb; case-insensitive).
func configParseMemory(s string) (int64, bool) {
	l := strings.ToLower(s)
	mul := int64(1)
	for _, u := range []struct {
		suffix string
		mul    int64
	}{{"kb", 1024}, {"mb", 1024 * 1024}, {"gb", 1024 * 1024 * 1024}, {"k", 1000}, {"m", 1000 * 1000}, {"g", 1000 * 1000 * 1000}, {"b", 1}} {
		if strings.HasSuffix(l, u.suffix) {
			l, mul = l[:len(l)-len(u.suffix)], u.mul
			break
		}
	}
	n, ok := parseInt(l)
	if !ok || n < 0 || (mul > 1 && n > (1<<63-1)/mul) {
		return 0, false
	}
	return n * mul, true
}

// configCheck validates value for a parameter and returns the value to
// store (memory values are stored in bytes).
func configCheck(name, kind, value string) (string, Value, bool) {
	switch {
	case kind == "immutable":
		return "", configSetErr(name, "can't set immutable config"), false
	case kind == "protected":
		return "", configSetErr(name, "can't set protected config"), false
	case kind == "bool":
		switch {
		case eqFold(value, "yes"):
			return "yes", Value{}, true
		case eqFold(value, "no"):
			return "no", Value{}, true
		}
		return "", configSetErr(name, "argument must be 'yes' or 'no'"), false
	case kind == "memory":
		n, ok := configParseMemory(value)
		if !ok {
			return "", configSetErr(name, "argument must be a memory value"), false
		}
		return strconv.FormatInt(n, 10), Value{}, true
	case strings.HasPrefix(kind, "int:"):
		parts := strings.Split(kind, ":")
		lo, _ := strconv.ParseInt(parts[1], 10, 64)
		hi, _ := strconv.ParseInt(parts[2], 10, 64)
		n, ok := configParseMemory(value) // Redis accepts units for numbers too
		if !ok {
			if m, ok2 := parseInt(value); ok2 {
				n, ok = m, true
			}
		}
		if !ok {
			return "", configSetErr(name, "argument couldn't be parsed into an integer"), false
		}
		if n < lo || n > hi {
			return "", configSetErr(name, "argument must be between "+parts[1]+" and "+parts[2]+" inclusive"), false
		}
		return strconv.FormatInt(n, 10), Value{}, true
	case strings.HasPrefix(kind, "enum:"):
		opts := strings.Split(kind[5:], ",")
		for _, o := range opts {
			if eqFold(value, o) {
				return o, Value{}, true
			}
		}
		return "", configSetErr(name, "argument(s) must be one of the following: "+strings.Join(opts, ", ")), false
	}
	return value, Value{}, true
}

func cmdConfigSet(c *call) Value {
	if len(c.args)%2 != 0 {
		return errSyntax
	}
	cfg := c.s.configValues()
	type change struct{ name, value string }
	var changes []change
	seen := map[string]bool{}
	var notify notifyFlags // notify.go: the flags, which the normalized text may not show (n under A)
	for i := 2; i < len(c.args); i += 2 {
		name := strings.ToLower(c.args[i])
		kind, ok := c.s.admin.kinds[name]
		if !ok {
			return ErrorValue("ERR Unknown option or number of arguments for CONFIG SET - '" + sanitize(c.args[i]) + "'")
		}
		if seen[name] {
			return configSetErr(c.args[i], "duplicate parameter")
		}
		seen[name] = true
		v, errv, ok := configCheck(c.args[i], kind, c.args[i+1])
		if !ok {
			return errv
		}
		if name == "save" {
			if _, ok := parseSavePoints(v); !ok {
				return configSetErr(c.args[i], "Invalid save parameters")
			}
		}
		if name == "notify-keyspace-events" { // notify.go
			f, ok := parseNotifyFlags(v)
			if !ok {
				return configSetErr(c.args[i], errNotifyClass)
			}
			v, notify = f.String(), f
		}
		if errv, ok := c.s.aofConfigCheck(name, v); !ok {
			return errv
		}
		if name == "hz" {
			// Redis keeps hz within 1..500.
			n, _ := strconv.Atoi(v)
			v = strconv.Itoa(min(max(n, 1), 500))
		}
		changes = append(changes, change{name, v})
	}
	// All values are valid: apply them together.
	for _, ch := range changes {
		cfg[ch.name] = ch.value
		if alias, ok := configAliases[ch.name]; ok {
			cfg[alias] = ch.value
		}
		if lim := c.s.limits.field(ch.name); lim != nil {
			n, _ := strconv.ParseInt(ch.value, 10, 64)
			*lim = int(min(n, math.MaxInt32))
		}
		switch ch.name {
		case "requirepass":
			p := ch.value
			c.s.wire.password.Store(&p)
		case "proto-max-bulk-len":
			n, _ := strconv.ParseInt(ch.value, 10, 64)
			c.s.wire.maxBulk.Store(n)
		case "busy-reply-threshold", "lua-time-limit":
			// Aliases: one setting (scripting.go).
			n, _ := strconv.ParseInt(ch.value, 10, 64)
			c.s.setBusyThreshold(n)
			cfg["busy-reply-threshold"], cfg["lua-time-limit"] = ch.value, ch.value
		case "save":
			c.s.persist.rules, _ = parseSavePoints(ch.value)
			cfg["save"] = formatSavePoints(c.s.persist.rules)
		case "notify-keyspace-events":
			c.s.setNotify(notify)
		case "client-query-buffer-limit":
			n, _ := strconv.ParseInt(ch.value, 10, 64)
			c.s.wire.maxQuery.Store(n)
		case "appendonly", "appendfsync", "aof-use-rdb-preamble", "aof-timestamp-enabled",
			"aof-load-truncated", "auto-aof-rewrite-percentage", "auto-aof-rewrite-min-size":
			c.s.aofConfigSet(ch.name, ch.value) // aof.go
		}
		c.s.obsConfigChanged(ch.name, ch.value) // obs.go
		c.s.warnInert(ch.name)                  // inert.go
	}
	return okValue
}

// cmdConfigResetstat resets what Redis's resetServerStats resets: the
// counters of INFO stats, commandstats and errorstats. The slow log, the
// latency monitor, rdb_changes_since_last_save and the peak memory stay.
func cmdConfigResetstat(c *call) Value {
	st := &c.s.stats
	st.commands, st.expiredKeys, st.hits, st.miss = 0, 0, 0, 0
	c.s.wire.connections.Store(0)
	c.s.obsResetStats()
	return okValue
}

func cmdConfigRewrite(c *call) Value {
	return ErrorValue("ERR The server is running without a config file")
}

func cmdConfigHelp(c *call) Value {
	return serverHelp(`CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:
GET <pattern>
    Return parameters matching the glob-like <pattern> and their values.
SET <directive> <value>
    Set the configuration <directive> to <value>.
RESETSTAT
    Reset statistics reported by the INFO command.
REWRITE
    Rewrite the configuration file.
HELP
    Prints this help.`)
}

// ---- INFO ----

// infoSectionNames are INFO's sections in the order Redis prints them;
// infoDefault marks those of INFO without arguments (and INFO default).
var infoSectionNames = []string{"server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace"}

var infoDefault = map[string]bool{"server": true, "clients": true, "memory": true, "persistence": true, "stats": true,
	"replication": true, "cpu": true, "modules": true, "errorstats": true, "cluster": true, "keyspace": true}

// infoWanted returns the sections INFO args (without the command name)
// ask for: several sections, all, everything, default, in any letter case.
func infoWanted(args []string) map[string]bool {
	want := map[string]bool{}
	if len(args) == 0 {
		return infoDefault
	}
	for _, a := range args {
		a = strings.ToLower(a)
		switch a {
		case "all", "everything":
			for _, s := range infoSectionNames {
				want[s] = true
			}
		case "default":
			for s := range infoDefault {
				want[s] = true
			}
		default:
			want[a] = true
		}
	}
	return want
}

func cmdInfo(c *call) Value {
	return VerbatimValue("txt", c.s.infoText(infoWanted(c.args[1:]), c.now))
}

// infoText is the text of INFO for the wanted sections.
func (s *Store) infoText(want map[string]bool, now int64) string {
	var b strings.Builder
	for _, sec := range infoSectionNames {
		if !want[sec] {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\r\n")
		}
		s.infoSection(&b, sec, now)
	}
	return b.String()
}

// infoSection writes one section of INFO, with every field name Redis 7.0
// prints, in its order. A field is measured where embedis has the figure;
// the others are constants, each with the reason next to it (no fork, no
// jemalloc, no replication or cluster yet ...), so that dashboards and
// redis_exporter find every name they expect.
func (s *Store) infoSection(b *strings.Builder, sec string, now int64) {
	f := func(k string, v any) {
		b.WriteString(k)
		b.WriteByte(':')
		switch x := v.(type) {
		case string:
			b.WriteString(x)
		case int:
			b.WriteString(strconv.Itoa(x))
		case int64:
			b.WriteString(strconv.FormatInt(x, 10))
		case float64:
			b.WriteString(strconv.FormatFloat(x, 'f', 2, 64))
		}
		b.WriteString("\r\n")
	}
	cfg := s.configValues()
	if !s.obs.ready {
		s.obsInit()
	}
	uptime := int64(time.Since(s.admin.started) / time.Second)
	switch sec {
	case "server":
		b.WriteString("# Server\r\n")
		f("redis_version", redisVersion)
		f("redis_git_sha1", "00000000") // not a build of Redis's tree
		f("redis_git_dirty", 0)
		f("redis_build_id", "embedis") // no Redis build
		f("redis_mode", "standalone")
		f("os", runtime.GOOS+" "+runtime.GOARCH)
		f("arch_bits", strconv.Itoa(strconv.IntSize))
		f("monotonic_clock", "Go runtime monotonic clock")
		f("multiplexing_api", "go") // the Go runtime's network poller
		f("atomicvar_api", "go-sync-atomic")
		f("gcc_version", "0.0.0") // not compiled by gcc; mem_allocator names the Go version
		f("process_id", os.Getpid())
		f("process_supervised", "no")
		f("run_id", s.obsRunID())
		f("tcp_port", s.wire.tcpPort())
		f("server_time_usec", time.Now().UnixMicro())
		f("uptime_in_seconds", uptime)
		f("uptime_in_days", uptime/86400)
		f("hz", cfg["hz"])
		f("configured_hz", cfg["hz"])
		f("lru_clock", (now/1000)&(1<<24-1))
		exe, _ := os.Executable()
		f("executable", exe)
		f("config_file", "")      // embedis takes Options, not a file
		f("io_threads_active", 0) // one executor; I/O runs on session goroutines
	case "clients":
		b.WriteString("# Clients\r\n")
		f("connected_clients", len(s.sessions()))
		f("cluster_connections", 0) // no cluster bus
		f("maxclients", cfg["maxclients"])
		f("client_recent_max_input_buffer", 0)  // not tracked: sessions read with a fixed buffer
		f("client_recent_max_output_buffer", 0) // not tracked
		f("blocked_clients", s.blk.count)       // blocking.go
		f("tracking_clients", 0)                // no CLIENT TRACKING
		f("clients_in_timeout_table", s.blk.deadlines.Len())
	case "memory":
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		used := int64(ms.HeapAlloc)
		s.obs.peakMem = max(s.obs.peakMem, used)
		peak := s.obs.peakMem
		maxmem, _ := strconv.ParseInt(cfg["maxmemory"], 10, 64)
		sysmem := totalSystemMemory()
		b.WriteString("# Memory\r\n")
		f("used_memory", used)
		f("used_memory_human", bytesHuman(used))
		f("used_memory_rss", int64(ms.Sys))
		f("used_memory_rss_human", bytesHuman(int64(ms.Sys)))
		f("used_memory_peak", peak)
		f("used_memory_peak_human", bytesHuman(peak))
		f("used_memory_peak_perc", strconv.FormatFloat(100*float64(used)/float64(max(peak, 1)), 'f', 2, 64)+"%")
		f("used_memory_overhead", 0) // needs the store's own accounting (memory issue)
		f("used_memory_startup", 0)
		f("used_memory_dataset", used)
		f("used_memory_dataset_perc", "100.00%")
		f("allocator_allocated", int64(ms.HeapAlloc)) // the Go heap stands in for the allocator
		f("allocator_active", int64(ms.HeapInuse))
		f("allocator_resident", int64(ms.HeapSys-ms.HeapReleased))
		f("total_system_memory", sysmem)
		f("total_system_memory_human", bytesHuman(sysmem))
		f("used_memory_lua", 0) // gopher-lua's memory is part of the Go heap, not measured apart
		f("used_memory_vm_eval", 0)
		f("used_memory_lua_human", "0B")
		f("used_memory_scripts_eval", 0)
		nScripts, nLibs, nFuncs := s.scriptCounts()
		f("number_of_cached_scripts", nScripts)
		f("number_of_functions", nFuncs)
		f("number_of_libraries", nLibs)
		f("used_memory_vm_functions", 0)
		f("used_memory_vm_total", 0)
		f("used_memory_vm_total_human", "0B")
		f("used_memory_functions", 0)
		f("used_memory_scripts", 0)
		f("used_memory_scripts_human", "0B")
		f("maxmemory", maxmem)
		f("maxmemory_human", bytesHuman(maxmem))
		f("maxmemory_policy", cfg["maxmemory-policy"])
		f("allocator_frag_ratio", 1.0) // Go's collector compacts nothing; ratios are not computed
		f("allocator_frag_bytes", 0)
		f("allocator_rss_ratio", 1.0)
		f("allocator_rss_bytes", 0)
		f("rss_overhead_ratio", 1.0)
		f("rss_overhead_bytes", 0)
		f("mem_fragmentation_ratio", 1.0)
		f("mem_fragmentation_bytes", 0)
		f("mem_not_counted_for_evict", 0)
		f("mem_replication_backlog", 0) // no replication backlog yet
		f("mem_total_replication_buffers", 0)
		f("mem_clients_slaves", 0)
		f("mem_clients_normal", 0)
		f("mem_cluster_links", 0)
		f("mem_aof_buffer", 0)
		f("mem_allocator", "go-"+runtime.Version())
		f("active_defrag_running", 0) // no defragmentation: Go's allocator
		f("lazyfree_pending_objects", 0)
		f("lazyfreed_objects", 0)
	case "persistence":
		b.WriteString("# Persistence\r\n")
		s.infoPersistence(f) // persistence.go
		s.infoAOF(f)         // aof.go
	case "stats":
		b.WriteString("# Stats\r\n")
		f("total_connections_received", s.wire.connections.Load())
		f("total_commands_processed", s.stats.commands)
		f("instantaneous_ops_per_sec", s.obsOpsPerSec())
		f("total_net_input_bytes", 0) // not counted by the wire sessions
		f("total_net_output_bytes", 0)
		f("total_net_repl_input_bytes", 0)
		f("total_net_repl_output_bytes", 0)
		f("instantaneous_input_kbps", "0.00")
		f("instantaneous_output_kbps", "0.00")
		f("instantaneous_input_repl_kbps", "0.00")
		f("instantaneous_output_repl_kbps", "0.00")
		f("rejected_connections", 0) // maxclients is not enforced
		f("sync_full", 0)            // no replicas yet
		f("sync_partial_ok", 0)
		f("sync_partial_err", 0)
		f("expired_keys", s.stats.expiredKeys)
		f("expired_stale_perc", "0.00")
		f("expired_time_cap_reached_count", 0)
		f("expire_cycle_cpu_milliseconds", 0)
		f("evicted_keys", 0) // eviction belongs to the memory issue
		f("evicted_clients", 0)
		f("total_eviction_exceeded_time", 0)
		f("current_eviction_exceeded_time", 0)
		f("keyspace_hits", s.stats.hits)
		f("keyspace_misses", s.stats.miss)
		f("pubsub_channels", int64(len(s.ps.channels)))
		f("pubsub_patterns", int64(len(s.ps.patterns)))
		f("pubsubshard_channels", int64(len(s.ps.shard)))
		f("latest_fork_usec", 0) // no fork
		f("total_forks", 0)
		f("migrate_cached_sockets", 0) // no MIGRATE
		f("slave_expires_tracked_keys", 0)
		f("active_defrag_hits", 0)
		f("active_defrag_misses", 0)
		f("active_defrag_key_hits", 0)
		f("active_defrag_key_misses", 0)
		f("total_active_defrag_time", 0)
		f("current_active_defrag_time", 0)
		f("tracking_total_keys", 0) // no CLIENT TRACKING
		f("tracking_total_items", 0)
		f("tracking_total_prefixes", 0)
		f("unexpected_error_replies", 0) // replies to a primary: no replication yet
		f("total_error_replies", s.obs.errTotal)
		f("dump_payload_sanitizations", 0)
		f("total_reads_processed", 0) // the session goroutines' reads are not counted
		f("total_writes_processed", 0)
		f("io_threaded_reads_processed", 0) // no I/O threads
		f("io_threaded_writes_processed", 0)
		f("reply_buffer_shrinks", 0)
		f("reply_buffer_expands", 0)
	case "replication":
		b.WriteString("# Replication\r\n")
		f("role", "master")
		f("connected_slaves", 0)
		f("master_failover_state", "no-failover")
		f("master_replid", s.obsRunID())
		f("master_replid2", "0000000000000000000000000000000000000000")
		f("master_repl_offset", 0)
		f("second_repl_offset", -1)
		f("repl_backlog_active", 0)
		f("repl_backlog_size", cfg["repl-backlog-size"])
		f("repl_backlog_first_byte_offset", 0)
		f("repl_backlog_histlen", 0)
	case "cpu":
		b.WriteString("# CPU\r\n")
		sys, user := processCPU()
		f("used_cpu_sys", strconv.FormatFloat(sys, 'f', 6, 64))
		f("used_cpu_user", strconv.FormatFloat(user, 'f', 6, 64))
		f("used_cpu_sys_children", "0.000000") // no child processes
		f("used_cpu_user_children", "0.000000")
		// Goroutines are not threads: the process's figures stand in.
		f("used_cpu_sys_main_thread", strconv.FormatFloat(sys, 'f', 6, 64))
		f("used_cpu_user_main_thread", strconv.FormatFloat(user, 'f', 6, 64))
	case "modules":
		b.WriteString("# Modules\r\n")
	case "commandstats":
		b.WriteString("# Commandstats\r\n")
		s.infoCommandstats(b)
	case "errorstats":
		b.WriteString("# Errorstats\r\n")
		s.infoErrorstats(b)
	case "latencystats":
		b.WriteString("# Latencystats\r\n")
		s.infoLatencystats(b)
	case "cluster":
		b.WriteString("# Cluster\r\n")
		f("cluster_enabled", clusterEnabledInt(s.opts.ClusterEnabled))
	case "keyspace":
		b.WriteString("# Keyspace\r\n")
		for _, d := range s.dbs {
			if n := d.keys.Len(); n > 0 {
				f("db"+strconv.Itoa(d.id), "keys="+strconv.Itoa(n)+",expires="+strconv.Itoa(d.expires.Len())+",avg_ttl=0")
			}
		}
	}
}

// ---- COMMAND ----

// sortedCommands returns the top-level rows sorted by name.
func sortedCommands() []*command {
	names := commandNames()
	out := make([]*command, len(names))
	for i, n := range names {
		out[i] = commands[n]
	}
	return out
}

// subcommandsOf returns a container's rows sorted by name.
func subcommandsOf(cmd *command) []*command {
	names := make([]string, 0, len(cmd.subcommands))
	for n := range cmd.subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]*command, len(names))
	for i, n := range names {
		out[i] = cmd.subcommands[n]
	}
	return out
}

// infoValue is a row as COMMAND INFO reports it: name, arity, flags,
// first key, last key, step, ACL categories, tips, key specs,
// subcommands.
func (cmd *command) infoValue() Value {
	flags := flagSet(cmd.flags.names())
	acl := make([]Value, len(cmd.acl))
	for i, a := range cmd.acl {
		acl[i] = SimpleValue("@" + a)
	}
	var specs []Value
	specsV, haveSpecs := cmd.metaSpecs() // commandmeta.go: Redis's own key specs
	if haveSpecs {
		specs = specsV.elems
	} else if cmd.firstKey > 0 {
		access := []Value{SimpleValue("RW"), SimpleValue("access")}
		if cmd.flags&flagWrite == 0 {
			access = []Value{SimpleValue("RO"), SimpleValue("access")}
		}
		if cmd.flags&flagPubSub != 0 {
			// Shard channels sit in key positions, for cluster slots.
			access = []Value{SimpleValue("not_key")}
		}
		specs = append(specs, MapValue(
			BulkValue("flags"), SetValue(access...),
			BulkValue("begin_search"), MapValue(BulkValue("type"), BulkValue("index"),
				BulkValue("spec"), MapValue(BulkValue("index"), IntValue(int64(cmd.firstKey)))),
			BulkValue("find_keys"), MapValue(BulkValue("type"), BulkValue("range"),
				BulkValue("spec"), MapValue(BulkValue("lastkey"), IntValue(int64(keyRangeLast(cmd))),
					BulkValue("keystep"), IntValue(int64(max(cmd.step, 1))), BulkValue("limit"), IntValue(0))),
		))
	}
	var subs []Value
	for _, sub := range subcommandsOf(cmd) {
		subs = append(subs, sub.infoValue())
	}
	subsValue := SetValue()
	if len(subs) > 0 {
		subsValue = ArrayValue(subs...)
	}
	tips, ok := cmd.metaTips()
	if !ok {
		tips = SetValue()
	}
	return ArrayValue(
		BulkValue(cmd.name),
		IntValue(int64(cmd.arity)),
		flags,
		IntValue(int64(cmd.firstKey)),
		IntValue(int64(cmd.lastKey)),
		IntValue(int64(cmd.step)),
		SetValue(acl...),
		tips,
		SetValue(specs...),
		subsValue, // Redis: an empty set for a leaf, an array of subcommands
	)
}

// keyRangeLast is a key spec's lastkey: relative to the first key when
// non-negative, as Redis's range spec.
func keyRangeLast(cmd *command) int {
	if cmd.lastKey < 0 {
		return cmd.lastKey
	}
	return cmd.lastKey - cmd.firstKey
}

func flagSet(names []string) Value {
	vs := make([]Value, len(names))
	for i, n := range names {
		vs[i] = SimpleValue(n)
	}
	return SetValue(vs...)
}

func cmdCommand(c *call) Value {
	var out []Value
	for _, cmd := range sortedCommands() {
		out = append(out, cmd.infoValue())
	}
	return ArrayValue(out...)
}

func cmdCommandCount(c *call) Value { return IntValue(int64(len(commands))) }

// commandByFullName looks up "name" or "container|sub" in the table.
func commandByFullName(name string) *command {
	if i := strings.IndexByte(name, '|'); i >= 0 {
		parent := lookupCommand(commands, name[:i])
		if parent == nil || parent.subcommands == nil {
			return nil
		}
		return lookupCommand(parent.subcommands, name[i+1:])
	}
	return lookupCommand(commands, name)
}

func cmdCommandInfo(c *call) Value {
	if len(c.args) == 2 {
		return cmdCommand(c)
	}
	out := make([]Value, 0, len(c.args)-2)
	for _, n := range c.args[2:] {
		if cmd := commandByFullName(n); cmd != nil {
			out = append(out, cmd.infoValue())
		} else {
			out = append(out, nullValue)
		}
	}
	return ArrayValue(out...)
}

// docValue is a row's entry in COMMAND DOCS. embedis keeps no prose docs:
// it reports the group and, for containers, the subcommands.
func (cmd *command) docValue() Value {
	if v, ok := cmd.metaDocs(); ok { // commandmeta.go: Redis's own docs
		return v
	}
	group := "server"
	if len(cmd.acl) > 0 {
		for _, a := range cmd.acl {
			switch a {
			case "string", "list", "set", "sortedset", "hash", "stream", "geo", "hyperloglog", "bitmap", "pubsub", "connection", "transaction", "scripting":
				group = a
			case "keyspace":
				group = "generic"
			}
		}
	}
	if group == "sortedset" {
		group = "sorted-set"
	}
	kv := []Value{BulkValue("summary"), BulkValue(""), BulkValue("since"), BulkValue("1.0.0"), BulkValue("group"), BulkValue(group)}
	if len(cmd.subcommands) > 0 {
		var subs []Value
		for _, sub := range subcommandsOf(cmd) {
			subs = append(subs, BulkValue(sub.name), sub.docValue())
		}
		kv = append(kv, BulkValue("subcommands"), MapValue(subs...))
	}
	return MapValue(kv...)
}

func cmdCommandDocs(c *call) Value {
	var out []Value
	if len(c.args) == 2 {
		for _, cmd := range sortedCommands() {
			out = append(out, BulkValue(cmd.name), cmd.docValue())
		}
	} else {
		for _, n := range c.args[2:] {
			if cmd := commandByFullName(n); cmd != nil {
				out = append(out, BulkValue(cmd.name), cmd.docValue())
			}
		}
	}
	return MapValue(out...)
}

func cmdCommandList(c *call) Value {
	var match func(cmd *command) bool
	switch {
	case len(c.args) == 2:
	case len(c.args) == 5 && eqFold(c.args[2], "filterby"):
		val := c.args[4]
		switch {
		case eqFold(c.args[3], "module"):
			match = func(*command) bool { return false }
		case eqFold(c.args[3], "aclcat"):
			match = func(cmd *command) bool {
				for _, a := range cmd.acl {
					if eqFold(val, a) {
						return true
					}
				}
				return false
			}
		case eqFold(c.args[3], "pattern"):
			match = func(cmd *command) bool { return configGlobMatch(val, cmd.name, true) }
		default:
			return errSyntax
		}
	default:
		return errSyntax
	}
	var out []Value
	for _, cmd := range sortedCommands() {
		if match == nil || match(cmd) {
			out = append(out, BulkValue(cmd.name))
		}
		for _, sub := range subcommandsOf(cmd) {
			if match == nil || match(sub) {
				out = append(out, BulkValue(sub.name))
			}
		}
	}
	return ArrayValue(out...)
}

// commandKeys returns the key positions of a full command, or an error
// reply as COMMAND GETKEYS gives it.
func commandKeys(args []string) ([]int, Value, bool) {
	cmd, _, ok := resolve(args)
	if !ok {
		if lookupCommand(commands, args[0]) == nil {
			return nil, ErrorValue("ERR Invalid command specified"), false
		}
		if cmd == nil {
			// Unknown subcommand or wrong arity.
			c := lookupCommand(commands, args[0])
			if c.subcommands != nil && len(args) >= 2 && lookupCommand(c.subcommands, args[1]) == nil {
				return nil, ErrorValue("ERR Invalid command specified"), false
			}
			return nil, ErrorValue("ERR Invalid number of arguments specified for command"), false
		}
	}
	if find := keyFinders[cmd.name]; find != nil {
		pos := find(args)
		if len(pos) == 0 && cmd.flags&flagNoMandatoryKeys == 0 {
			return nil, ErrorValue("ERR Invalid arguments specified for command"), false
		}
		return pos, Value{}, true
	}
	if cmd.firstKey == 0 || cmd.flags&flagPubSub != 0 { // shard channels are not_key
		return nil, ErrorValue("ERR The command has no key arguments"), false
	}
	return cmd.keyPositions(args), Value{}, true
}

func cmdCommandGetkeys(c *call) Value {
	pos, errv, ok := commandKeys(c.args[2:])
	if !ok {
		return errv
	}
	out := make([]Value, len(pos))
	for i, p := range pos {
		out[i] = BulkValue(c.args[2+p])
	}
	return ArrayValue(out...)
}

func cmdCommandGetkeysandflags(c *call) Value {
	pos, errv, ok := commandKeys(c.args[2:])
	if !ok {
		return errv
	}
	cmd, _, _ := resolve(c.args[2:])
	flag := "RW"
	if cmd.flags&flagWrite == 0 {
		flag = "RO"
	}
	out := make([]Value, len(pos))
	for i, p := range pos {
		out[i] = ArrayValue(BulkValue(c.args[2+p]), SetValue(SimpleValue(flag), SimpleValue("access")))
	}
	return ArrayValue(out...)
}

func cmdCommandHelp(c *call) Value {
	return serverHelp(`COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:
(no subcommand)
    Return details about all Redis commands.
COUNT
    Return the total number of commands in this Redis server.
LIST
    Return a list of all commands in this Redis server.
INFO [<command-name> ...]
    Return details about multiple Redis commands.
    If no command names are given, documentation details for all
    commands are returned.
DOCS [<command-name> ...]
    Return documentation details about multiple Redis commands.
    If no command names are given, documentation details for all
    commands are returned.
GETKEYS <full-command>
    Return the keys from a full Redis command.
GETKEYSANDFLAGS <full-command>
    Return the keys and the access flags from a full Redis command.
HELP
    Prints this help.`)
}

// ---- DEBUG ----

// cmdDebug implements the DEBUG subcommands that make sense in embedis:
// OBJECT, SLEEP, SET-ACTIVE-EXPIRE and JMAP-free helpers. Redis 7.0 refuses
// DEBUG unless enable-debug-command is set; embedis allows it, since the
// embedding program owns the store.
func cmdDebug(c *call) Value {
	sub := c.args[1]
	switch {
	case eqFold(sub, "object") && len(c.args) == 3:
		e := c.lookupNoTouch(c.args[2])
		if e == nil {
			return errNoSuchKey
		}
		return SimpleValue(c.s.debugObject(e, c.now))
	case eqFold(sub, "sleep") && len(c.args) == 3:
		secs, ok := parseFloat(c.args[2])
		if !ok {
			return errNotFloat
		}
		// Sleeps on the executor, blocking every command, as Redis does;
		// Close cuts it short.
		t := time.NewTimer(time.Duration(secs * float64(time.Second)))
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.s.quit:
		}
		return okValue
	case eqFold(sub, "set-active-expire") && len(c.args) == 3:
		n, ok := parseInt(c.args[2])
		if !ok {
			return errNotInteger
		}
		c.s.admin.activeExpireOff = n == 0
		return okValue
	case eqFold(sub, "reload") && len(c.args) == 2:
		return c.s.debugReload(c.now) // persistence.go
	case eqFold(sub, "digest") && len(c.args) == 2:
		return SimpleValue(c.s.datasetDigest().String())
	case eqFold(sub, "digest-value"):
		out := make([]Value, 0, len(c.args)-2)
		for _, k := range c.args[2:] {
			out = append(out, SimpleValue(valueDigest(c.db.keys.Get(k)).String()))
		}
		return ArrayValue(out...)
	case eqFold(sub, "change-repl-id") && len(c.args) == 2:
		c.s.obs.runID = "" // a new one is chosen on next use
		return okValue
	case eqFold(sub, "log") && len(c.args) == 3:
		c.s.logAt(slog.LevelWarn, "DEBUG LOG: "+c.args[2])
		return okValue
	case eqFold(sub, "error") && len(c.args) == 3:
		return ErrorValue(c.args[2])
	case eqFold(sub, "quicklist-packed-threshold") && len(c.args) == 3:
		// Lists are not quicklists in embedis: accepted, no effect.
		if _, ok := configParseMemory(c.args[2]); !ok {
			return ErrorValue("ERR argument must be a memory value bigger than 1 and smaller than 4gb")
		}
		return okValue
	case eqFold(sub, "jmap"), eqFold(sub, "segfault"), eqFold(sub, "panic"), eqFold(sub, "assert"),
		eqFold(sub, "oom"), eqFold(sub, "crash-and-recover"), eqFold(sub, "restart"), eqFold(sub, "leak"), eqFold(sub, "mallctl"), eqFold(sub, "mallctl-str"):
		// Crashing, restarting or poking the allocator of the process
		// that embeds the store is not DEBUG's to do.
		return ErrorValue("ERR DEBUG " + strings.ToUpper(sub) + " is not applicable to embedis")
	case eqFold(sub, "help"):
		return serverHelp(`DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:
ERROR <string>
    Return a Redis protocol error with <string> as message. Useful for clients
    unit tests to simulate Redis errors.
LOG <message>
    Write <message> to the server log.
OBJECT <key>
    Show low level info about ` + "`key`" + ` and associated value.
QUICKLIST-PACKED-THRESHOLD <size>
    Sets the threshold for elements to be inserted as plain vs packed nodes
    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.
CHANGE-REPL-ID
    Change the replication IDs of the instance.
    Dangerous: should be used only for testing the replication subsystem.
DIGEST
    Output a hex signature representing the current DB content.
DIGEST-VALUE <key> [<key> ...]
    Output a hex signature of the values of all the specified keys.
RELOAD
    Save the RDB on disk and reload it back to memory.
SET-ACTIVE-EXPIRE <0|1>
    Setting it to 0 disables expiring keys in background when they are not
    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the
    default.
SLEEP <seconds>
    Stop the server for <seconds>. Decimals allowed.
HELP
    Prints this help.`)
	}
	return ErrorValue("ERR unknown subcommand '" + sanitize(truncate(sub, 128)) + "'. Try DEBUG HELP.")
}

// configAliases pairs the parameters Redis 7.0 keeps under two names (the
// old ziplist names); setting one sets both.
var configAliases = map[string]string{
	"hash-max-listpack-entries": "hash-max-ziplist-entries",
	"hash-max-ziplist-entries":  "hash-max-listpack-entries",
	"hash-max-listpack-value":   "hash-max-ziplist-value",
	"hash-max-ziplist-value":    "hash-max-listpack-value",
	"zset-max-listpack-entries": "zset-max-ziplist-entries",
	"zset-max-ziplist-entries":  "zset-max-listpack-entries",
	"zset-max-listpack-value":   "zset-max-ziplist-value",
	"zset-max-ziplist-value":    "zset-max-listpack-value",
	"list-max-listpack-size":    "list-max-ziplist-size",
	"list-max-ziplist-size":     "list-max-listpack-size",
}

// encodingLimits are the CONFIG parameters that decide the compact
// encodings of small values (and so what OBJECT ENCODING reports). Owned by
// the executor; CONFIG SET changes them.
type encodingLimits struct {
	setMaxIntsetEntries    int
	hashMaxListpackEntries int
	hashMaxListpackValue   int
	zsetMaxListpackEntries int
	zsetMaxListpackValue   int
}

func defaultEncodingLimits() encodingLimits {
	return encodingLimits{
		setMaxIntsetEntries:    defaultSetMaxIntsetEntries,
		hashMaxListpackEntries: defaultHashMaxListpackEntries,
		hashMaxListpackValue:   defaultHashMaxListpackValue,
		zsetMaxListpackEntries: defaultZsetMaxListpackEntries,
		zsetMaxListpackValue:   defaultZsetMaxListpackValue,
	}
}

// field returns the limit a CONFIG parameter sets, or nil.
func (l *encodingLimits) field(name string) *int {
	switch name {
	case "set-max-intset-entries":
		return &l.setMaxIntsetEntries
	case "hash-max-listpack-entries", "hash-max-ziplist-entries":
		return &l.hashMaxListpackEntries
	case "hash-max-listpack-value", "hash-max-ziplist-value":
		return &l.hashMaxListpackValue
	case "zset-max-listpack-entries", "zset-max-ziplist-entries":
		return &l.zsetMaxListpackEntries
	case "zset-max-listpack-value", "zset-max-ziplist-value":
		return &l.zsetMaxListpackValue
	}
	return nil
}
