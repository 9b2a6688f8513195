package embedis

import (
	"math/bits"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Observability kept by the executor: per-command statistics (INFO
// commandstats, latencystats, LATENCY HISTOGRAM), error statistics (INFO
// errorstats), the slow log (slowlog.go) and the latency monitor
// (latency.go).
//
// Cost. Every command's duration is measured, because commandstats needs
// it, with one clock read per command: a command starts where the previous
// one of the same executor turn ended (obsState.mark), and the first
// command of a request starts at the time serve already reads for the
// store clock (obsServe), so the only new read is the one at the end of
// each command. Commands nested in EXEC or a script read the clock at
// their start too, so that the script's own Lua time between two
// redis.call is not billed to the second call. The per-command record is
// a few counter increments and one histogram bucket increment; nothing
// allocates after a command's first call.

// obsState is the executor's observability state. Owned by the executor
// goroutine.
type obsState struct {
	ready bool
	// realTime is set when the store clock is the real clock: its
	// readings then carry Go's monotonic time, and serve's reading can
	// start the first command of a request.
	realTime bool
	// base is the origin of the monotonic readings below: a reading is
	// time.Since(base), which reads only the monotonic clock (about half
	// the cost of time.Now, which reads the wall clock too).
	base time.Time
	// mark is the end of the last command measured in this request, or
	// the request's start, in nanoseconds since base; valid when markOK.
	mark   int64
	markOK bool

	// cmd holds the statistics of each command row, indexed by
	// command.statIdx.
	cmd []cmdStat
	// errors counts error replies by their code (the first word),
	// errorstats; errTotal is total_error_replies.
	errors   map[string]int64
	errTotal int64

	// Cached numeric forms of the CONFIG parameters read per command.
	slowlogSlower   int64 // slowlog-log-slower-than in µs; negative: off
	slowlogMaxLen   int   // slowlog-max-len
	latencyMonitor  int64 // latency-monitor-threshold in ms; 0: off
	latencyTracking bool  // latency-tracking
	percentiles     []float64

	slowlog slowlog
	latency latencyMonitor

	// runID is INFO's run_id (and master_replid): 40 random hex digits
	// chosen on first use.
	runID string
	// peakMem is the largest used_memory INFO has reported.
	peakMem int64
	// opsAt and opsCmds are the last sample of the command count for
	// instantaneous_ops_per_sec, taken when INFO or Stats asks; ops is
	// the rate computed from the sample before.
	opsAt   time.Time
	opsCmds int64
	ops     int64
	// inertWarned records the inert parameters already logged (inert.go).
	inertWarned map[string]bool
}

// cmdStat is one command row's statistics.
type cmdStat struct {
	calls    int64
	nanos    int64 // total duration of the calls
	rejected int64 // refused before running (arity, NOAUTH, MULTI ...)
	failed   int64 // ran and answered an error
	hist     *latHist
}

// cmdIndex lists every command row (subcommands included) in the order of
// their statIdx; built once, on first use, from the immutable table.
var (
	cmdIndexOnce sync.Once
	cmdIndex     []*command
)

func buildCmdIndex() {
	for _, name := range commandNames() {
		c := commands[name]
		c.statIdx = int32(len(cmdIndex))
		cmdIndex = append(cmdIndex, c)
		for _, sub := range subcommandsOf(c) {
			sub.statIdx = int32(len(cmdIndex))
			cmdIndex = append(cmdIndex, sub)
		}
	}
}

// obsInit sets up the state from the configuration, on the executor's
// first request.
func (s *Store) obsInit() {
	cmdIndexOnce.Do(buildCmdIndex)
	o := &s.obs
	o.ready = true
	o.base = time.Now()
	_, o.realTime = s.opts.Clock.(realClock)
	o.cmd = make([]cmdStat, len(cmdIndex))
	o.errors = map[string]int64{}
	cfg := s.configValues()
	for _, name := range []string{"slowlog-log-slower-than", "slowlog-max-len", "latency-monitor-threshold", "latency-tracking", "latency-tracking-info-percentiles"} {
		s.obsConfigChanged(name, cfg[name])
	}
}

// obsConfigChanged caches a parameter the executor reads per command; CONFIG
// SET calls it for every parameter it sets.
func (s *Store) obsConfigChanged(name, value string) {
	o := &s.obs
	n, _ := strconv.ParseInt(value, 10, 64)
	switch name {
	case "slowlog-log-slower-than":
		o.slowlogSlower = n
	case "slowlog-max-len":
		o.slowlogMaxLen = int(n)
		o.slowlog.trim(o.slowlogMaxLen)
	case "latency-monitor-threshold":
		o.latencyMonitor = n
	case "latency-tracking":
		o.latencyTracking = value == "yes"
	case "latency-tracking-info-percentiles":
		o.percentiles = o.percentiles[:0]
		for _, f := range strings.Fields(value) {
			if p, err := strconv.ParseFloat(f, 64); err == nil {
				o.percentiles = append(o.percentiles, p)
			}
		}
	}
}

// obsServe is called by serve with the store clock's reading for the
// request: with the real clock it is the start of the request's first
// command.
func (s *Store) obsServe(t time.Time) {
	if !s.obs.ready {
		s.obsInit()
	}
	// With the real clock, t carries a monotonic reading: the request's
	// start costs no clock read of its own.
	s.obs.mark, s.obs.markOK = int64(t.Sub(s.obs.base)), s.obs.realTime
}

// obsBegin returns the start time of a command about to run (see the
// cost note above).
func (s *Store) obsBegin() int64 {
	if !s.obs.ready {
		// Commands run before the first request: loading an append
		// log at Open.
		s.obsInit()
	}
	// invoke has already counted this command's level: depth 1 is the
	// top of a request, deeper is inside EXEC or a script.
	if s.callDepth > 1 || !s.obs.markOK {
		s.obs.mark, s.obs.markOK = int64(time.Since(s.obs.base)), true
	}
	return s.obs.mark
}

// obsEnd records a command that ran from start and answered v.
func (s *Store) obsEnd(c *call, start int64, v Value) {
	if v.kind == kindBlocked {
		// The command parked its caller: it is counted when it is
		// answered (obsUnblocked), as Redis counts a blocked call when
		// it unblocks.
		return
	}
	end := int64(time.Since(s.obs.base))
	s.obs.mark = end
	d := time.Duration(max(end-start, 0))
	o := &s.obs
	st := &o.cmd[c.cmd.statIdx]
	st.calls++
	st.nanos += int64(d)
	if o.latencyTracking {
		if st.hist == nil {
			st.hist = new(latHist)
		}
		st.hist.record(uint64(d))
	}
	if v.kind == KindError {
		st.failed++
		s.obsError(v.str)
	}
	us := int64(d / time.Microsecond)
	if o.slowlogSlower >= 0 && us >= o.slowlogSlower && c.cmd.flags&flagSkipSlowlog == 0 &&
		(c.cmd.parent == nil || c.cmd.parent.flags&flagSkipSlowlog == 0) {
		s.slowlogPush(c, us)
	}
	if o.latencyMonitor > 0 {
		if ms := int64(d / time.Millisecond); ms >= o.latencyMonitor {
			ev := "command"
			if c.cmd.flags&flagFast != 0 {
				ev = "fast-command"
			}
			s.latencyAdd(ev, ms)
		}
	}
}

// obsUnblocked records a blocked command answered with v (served, timed
// out or unblocked). Its duration is the time since the end of the last
// command measured, which is the one that made its key ready when it is
// served; the time it spent waiting is not counted, as in Redis.
func (s *Store) obsUnblocked(cmd *command, args []string, cl *client, v Value) {
	if !s.obs.ready {
		s.obsInit()
	}
	start := s.obs.mark
	if !s.obs.markOK {
		start = int64(time.Since(s.obs.base))
	}
	c := call{s: s, cl: cl, cmd: cmd, args: args}
	s.obsEnd(&c, start, v)
}

// obsRejected counts a command refused before it ran (an error reply
// that did not come from its handler).
func (s *Store) obsRejected(args []string, errv Value) {
	if !s.obs.ready {
		s.obsInit()
	}
	if errv.kind != KindError {
		return
	}
	s.obsError(errv.str)
	if len(args) == 0 {
		return
	}
	cmd := lookupCommand(commands, args[0])
	if cmd == nil {
		return
	}
	if cmd.subcommands != nil && len(args) >= 2 {
		if sub := lookupCommand(cmd.subcommands, args[1]); sub != nil {
			cmd = sub
		} else {
			return
		}
	}
	s.obs.cmd[cmd.statIdx].rejected++
}

// maxErrorCodes bounds the distinct error codes errorstats keeps, as
// Redis does, so that errors with random first words cannot grow it.
const maxErrorCodes = 128

// obsError counts an error reply by its code.
func (s *Store) obsError(msg string) {
	o := &s.obs
	o.errTotal++
	code := msg
	if i := strings.IndexByte(code, ' '); i >= 0 {
		code = code[:i]
	}
	if _, ok := o.errors[code]; !ok && len(o.errors) >= maxErrorCodes {
		return
	}
	o.errors[code]++
}

// obsResetStats is the part of CONFIG RESETSTAT kept here: command and
// error statistics (not the slow log nor the latency monitor, which Redis
// keeps too).
func (s *Store) obsResetStats() {
	if !s.obs.ready {
		s.obsInit()
	}
	clear(s.obs.cmd)
	clear(s.obs.errors)
	s.obs.errTotal = 0
}

// cmdStatName is a row's name as INFO commandstats writes it.
func cmdStatName(c *command) string { return c.name }

// infoCommandstats writes the commandstats section's lines.
func (s *Store) infoCommandstats(b *strings.Builder) {
	for i, cmd := range cmdIndex {
		st := &s.obs.cmd[i]
		if st.calls == 0 && st.rejected == 0 && st.failed == 0 {
			continue
		}
		usec := st.nanos / 1000
		per := 0.0
		if st.calls > 0 {
			per = float64(st.nanos) / 1000 / float64(st.calls)
		}
		b.WriteString("cmdstat_" + cmdStatName(cmd) + ":calls=" + strconv.FormatInt(st.calls, 10) +
			",usec=" + strconv.FormatInt(usec, 10) +
			",usec_per_call=" + strconv.FormatFloat(per, 'f', 2, 64) +
			",rejected_calls=" + strconv.FormatInt(st.rejected, 10) +
			",failed_calls=" + strconv.FormatInt(st.failed, 10) + "\r\n")
	}
}

// infoLatencystats writes the latencystats section's lines.
func (s *Store) infoLatencystats(b *strings.Builder) {
	if !s.obs.latencyTracking {
		return
	}
	for i, cmd := range cmdIndex {
		h := s.obs.cmd[i].hist
		if h == nil || h.total == 0 {
			continue
		}
		b.WriteString("latency_percentiles_usec_" + cmdStatName(cmd) + ":")
		for j, p := range s.obs.percentiles {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString("p" + strconv.FormatFloat(p, 'f', -1, 64) + "=" +
				strconv.FormatFloat(float64(h.percentile(p))/1000, 'f', 3, 64))
		}
		b.WriteString("\r\n")
	}
}

// infoErrorstats writes the errorstats section's lines, sorted by code.
func (s *Store) infoErrorstats(b *strings.Builder) {
	codes := make([]string, 0, len(s.obs.errors))
	for c := range s.obs.errors {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		b.WriteString("errorstat_" + c + ":count=" + strconv.FormatInt(s.obs.errors[c], 10) + "\r\n")
	}
}

// ---- latency histogram ----

// latHist is a log-linear histogram of durations in nanoseconds: values
// below 8 have a bucket each; above, every power of two is split into 8
// equal sub-buckets, so a value is known within 12.5% (Redis keeps an
// HdrHistogram with 2 significant digits; this is coarser and 4 KiB per
// command, allocated on the command's first call).
type latHist struct {
	counts [latBuckets]uint64
	total  uint64
}

const latBuckets = 8 + 61*8

// latBucket returns the bucket of v.
func latBucket(v uint64) int {
	if v < 8 {
		return int(v)
	}
	e := bits.Len64(v) - 1 // position of the top bit, >= 3
	m := (v >> (e - 3)) & 7
	return 8 + (e-3)*8 + int(m)
}

// latBucketHigh returns the highest value bucket i holds.
func latBucketHigh(i int) uint64 {
	if i < 8 {
		return uint64(i)
	}
	e := (i-8)/8 + 3
	m := uint64((i - 8) % 8)
	lo := (8 | m) << (e - 3)
	return lo + (1 << (e - 3)) - 1
}

func (h *latHist) record(v uint64) {
	h.counts[latBucket(v)]++
	h.total++
}

// percentile returns the value at or below which p percent of the
// recorded values lie (the highest value of that bucket).
func (h *latHist) percentile(p float64) uint64 {
	if h.total == 0 {
		return 0
	}
	want := uint64(p / 100 * float64(h.total))
	if float64(want) < p/100*float64(h.total) {
		want++
	}
	want = max(want, 1)
	var n uint64
	for i, c := range h.counts {
		n += c
		if n >= want {
			return latBucketHigh(i)
		}
	}
	return latBucketHigh(latBuckets - 1)
}

// countUpTo returns how many values are at most v, for v a power of two
// at least 8 (a bucket boundary: exact).
func (h *latHist) countUpTo(v uint64) uint64 {
	var n uint64
	for i, c := range h.counts {
		if latBucketHigh(i) >= v {
			break
		}
		n += c
	}
	return n
}

// cdf is LATENCY HISTOGRAM's map for the histogram: at each power-of-two
// bound from 1024 ns, the cumulative count, reported when it grew, keyed
// by the bound in microseconds as Redis's HdrHistogram iteration names it
// (its highest equivalent value at 2 significant digits).
func (h *latHist) cdf() []Value {
	var out []Value
	var prev uint64
	for k := 0; k < 54; k++ {
		bound := uint64(1024) << k
		n := h.countUpTo(bound + 1)
		if n > prev {
			// hdr's highest equivalent value of the bound.
			key := (bound + (uint64(1) << (k + 3)) - 1) / 1000
			out = append(out, IntValue(int64(key)), IntValue(int64(n)))
		}
		prev = n
		if n == h.total {
			break
		}
	}
	return out
}
