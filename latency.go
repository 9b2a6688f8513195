package embedis

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// LATENCY: the latency monitor. When latency-monitor-threshold (ms) is
// above 0, every event at least that slow is sampled under its event name:
//
//	command       a command without the fast flag (obs.go)
//	fast-command  a command with the fast flag
//	expire-cycle  the active expiry cycle of the cron
//
// Redis has more events (fork, aof-*, eviction-*, rdb-unlink-temp-file);
// embedis records them where it has the operation, through latencyAdd.
// Every event keeps its last 160 samples, one per second at most (the
// largest of the second), and its all-time maximum.

const latencyHistoryLen = 160

// latencyMonitor is the set of sampled events. Owned by the executor.
type latencyMonitor struct {
	events map[string]*latencyEvent
}

type latencySample struct {
	unix int64
	ms   int64
}

// latencyEvent is one event's ring of samples.
type latencyEvent struct {
	samples []latencySample // oldest first, at most latencyHistoryLen
	max     int64
}

// add records a sample of ev, merged with the last one when it falls in
// the same second.
func (m *latencyMonitor) add(ev string, unix, ms int64) {
	if m.events == nil {
		m.events = map[string]*latencyEvent{}
	}
	e := m.events[ev]
	if e == nil {
		e = &latencyEvent{}
		m.events[ev] = e
	}
	e.max = max(e.max, ms)
	if n := len(e.samples); n > 0 && e.samples[n-1].unix == unix {
		e.samples[n-1].ms = max(e.samples[n-1].ms, ms)
		return
	}
	if len(e.samples) == latencyHistoryLen {
		copy(e.samples, e.samples[1:])
		e.samples = e.samples[:latencyHistoryLen-1]
	}
	e.samples = append(e.samples, latencySample{unix, ms})
}

// latencyAdd samples event ev that lasted ms milliseconds, if the monitor
// is on and ms reaches its threshold. Executor only.
func (s *Store) latencyAdd(ev string, ms int64) {
	if t := s.obs.latencyMonitor; t > 0 && ms >= t {
		s.obs.latency.add(ev, s.opts.Clock.Now().Unix(), ms)
	}
}

// latencyStart returns the start of an operation the monitor may sample
// (see latencyEnd), reading the clock only when the monitor is on.
// Executor only.
func (s *Store) latencyStart() int64 {
	if !s.obs.ready {
		s.obsInit()
	}
	if s.obs.latencyMonitor <= 0 {
		return -1
	}
	return int64(time.Since(s.obs.base))
}

// latencyEnd samples event ev begun at start (from latencyStart).
func (s *Store) latencyEnd(ev string, start int64) {
	if start < 0 {
		return
	}
	d := time.Duration(int64(time.Since(s.obs.base)) - start)
	s.latencyAdd(ev, int64(d/time.Millisecond))
}

func (m *latencyMonitor) names() []string {
	out := make([]string, 0, len(m.events))
	for n := range m.events {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func init() {
	f := flagAdmin | flagNoScript | flagLoading | flagStale
	acl := []string{"admin", "slow", "dangerous"}
	register(
		&command{name: "latency", arity: -2, acl: []string{"slow"}},
		&command{name: "latency|doctor", arity: 2, flags: f, acl: acl, handler: cmdLatencyDoctor},
		&command{name: "latency|graph", arity: 3, flags: f, acl: acl, handler: cmdLatencyGraph},
		&command{name: "latency|history", arity: 3, flags: f, acl: acl, handler: cmdLatencyHistory},
		&command{name: "latency|latest", arity: 2, flags: f, acl: acl, handler: cmdLatencyLatest},
		&command{name: "latency|reset", arity: -2, flags: f, acl: acl, handler: cmdLatencyReset},
		&command{name: "latency|histogram", arity: -2, flags: f, acl: acl, handler: cmdLatencyHistogram},
		&command{name: "latency|help", arity: 2, flags: flagLoading | flagStale, acl: []string{"slow"}, handler: cmdLatencyHelp},
	)
}

func cmdLatencyLatest(c *call) Value {
	m := &c.s.obs.latency
	var out []Value
	for _, n := range m.names() {
		e := m.events[n]
		if len(e.samples) == 0 {
			continue
		}
		last := e.samples[len(e.samples)-1]
		out = append(out, ArrayValue(BulkValue(n), IntValue(last.unix), IntValue(last.ms), IntValue(e.max)))
	}
	return ArrayValue(out...)
}

func cmdLatencyHistory(c *call) Value {
	e := c.s.obs.latency.events[c.args[2]]
	if e == nil {
		return ArrayValue()
	}
	out := make([]Value, len(e.samples))
	for i, sm := range e.samples {
		out[i] = ArrayValue(IntValue(sm.unix), IntValue(sm.ms))
	}
	return ArrayValue(out...)
}

func cmdLatencyReset(c *call) Value {
	m := &c.s.obs.latency
	if len(c.args) == 2 {
		n := len(m.events)
		m.events = nil
		return IntValue(int64(n))
	}
	n := 0
	for _, ev := range c.args[2:] {
		if _, ok := m.events[ev]; ok {
			delete(m.events, ev)
			n++
		}
	}
	return IntValue(int64(n))
}

// cmdLatencyGraph draws an event's samples as columns of characters, the
// newest on the right, with the age of each sample written vertically
// under its column. The drawing is embedis's own; the header line has
// Redis's form.
func cmdLatencyGraph(c *call) Value {
	ev := c.args[2]
	e := c.s.obs.latency.events[ev]
	if e == nil || len(e.samples) == 0 {
		return ErrorValue("ERR No samples available for event '" + sanitize(ev) + "'")
	}
	lo, hi := e.samples[0].ms, e.samples[0].ms
	for _, sm := range e.samples {
		lo, hi = min(lo, sm.ms), max(hi, sm.ms)
	}
	var b strings.Builder
	b.WriteString(ev + " - high " + strconv.FormatInt(hi, 10) + " ms, low " + strconv.FormatInt(lo, 10) +
		" ms (all time high " + strconv.FormatInt(e.max, 10) + " ms)\n")
	b.WriteString(strings.Repeat("-", 80) + "\n")
	const rows = 4
	now := c.s.opts.Clock.Now().Unix()
	samples := e.samples
	if len(samples) > 80 {
		samples = samples[len(samples)-80:]
	}
	for r := rows; r >= 1; r-- {
		for _, sm := range samples {
			level := int64(rows)
			if hi > lo {
				level = 1 + (sm.ms-lo)*(rows-1)/(hi-lo)
			}
			switch {
			case level > int64(r):
				b.WriteByte('|')
			case level == int64(r):
				b.WriteByte('_')
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteByte('\n')
	}
	labels := make([]string, len(samples))
	width := 0
	for i, sm := range samples {
		labels[i] = latencyAge(now - sm.unix)
		width = max(width, len(labels[i]))
	}
	for r := 0; r < width; r++ {
		for _, l := range labels {
			if r < len(l) {
				b.WriteByte(l[r])
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteByte('\n')
	}
	return VerbatimValue("txt", b.String())
}

// latencyAge writes an age in seconds as a short label: 5s, 3m, 2h, 1d.
func latencyAge(sec int64) string {
	switch {
	case sec < 60:
		return strconv.FormatInt(sec, 10) + "s"
	case sec < 3600:
		return strconv.FormatInt(sec/60, 10) + "m"
	case sec < 86400:
		return strconv.FormatInt(sec/3600, 10) + "h"
	}
	return strconv.FormatInt(sec/86400, 10) + "d"
}

// cmdLatencyDoctor writes a short report in embedis's own words: each
// event's spikes with their average and maximum, and the settings that
// matter.
func cmdLatencyDoctor(c *call) Value {
	m := &c.s.obs.latency
	var b strings.Builder
	names := m.names()
	if len(names) == 0 {
		b.WriteString("No latency spike was recorded since the store opened or the last LATENCY RESET")
		if c.s.obs.latencyMonitor == 0 {
			b.WriteString(" (the latency monitor is off: CONFIG SET latency-monitor-threshold <milliseconds> turns it on)")
		}
		b.WriteString(".\n")
		return VerbatimValue("txt", b.String())
	}
	b.WriteString("Latency spikes recorded by embedis:\n\n")
	for i, n := range names {
		e := m.events[n]
		var sum int64
		for _, sm := range e.samples {
			sum += sm.ms
		}
		avg := int64(0)
		if len(e.samples) > 0 {
			avg = sum / int64(len(e.samples))
		}
		b.WriteString(strconv.Itoa(i+1) + ". " + n + ": " + strconv.Itoa(len(e.samples)) +
			" latency spikes (average " + strconv.FormatInt(avg, 10) + "ms). Worst all time event " +
			strconv.FormatInt(e.max, 10) + "ms.\n")
	}
	b.WriteString("\nAdvice:\n\n")
	b.WriteString("- SLOWLOG GET lists the slowest commands with their arguments (slowlog-log-slower-than is " +
		strconv.FormatInt(c.s.obs.slowlogSlower, 10) + " microseconds).\n")
	b.WriteString("- Every command runs on the store's one executor goroutine: a slow command (a large KEYS, SORT, DEL of a big value, a long script) delays all others.\n")
	return VerbatimValue("txt", b.String())
}

func cmdLatencyHistogram(c *call) Value {
	o := &c.s.obs
	var rows []*command
	if len(c.args) == 2 {
		for i, cmd := range cmdIndex {
			if h := o.cmd[i].hist; h != nil && h.total > 0 {
				rows = append(rows, cmd)
			}
		}
	} else {
		seen := map[*command]bool{}
		for _, n := range c.args[2:] {
			cmd := commandByFullName(n)
			if cmd == nil || seen[cmd] {
				continue
			}
			seen[cmd] = true
			if h := o.cmd[cmd.statIdx].hist; h != nil && h.total > 0 {
				rows = append(rows, cmd)
			}
		}
	}
	out := make([]Value, 0, 2*len(rows))
	for _, cmd := range rows {
		st := &o.cmd[cmd.statIdx]
		out = append(out, BulkValue(cmd.name), MapValue(
			BulkValue("calls"), IntValue(st.calls),
			BulkValue("histogram_usec"), MapValue(st.hist.cdf()...)))
	}
	return MapValue(out...)
}

func cmdLatencyHelp(c *call) Value {
	return serverHelp(`LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:
DOCTOR
    Return a human readable latency analysis report.
GRAPH <event>
    Return an ASCII latency graph for the <event> class.
HISTORY <event>
    Return time-latency samples for the <event> class.
LATEST
    Return the latest latency samples for all events.
RESET [<event> ...]
    Reset latency data of one or more <event> classes.
    (default: reset all data for all event classes)
HISTOGRAM [COMMAND ...]
    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.
    If no commands are specified then all histograms are replied.
HELP
    Prints this help.`)
}
