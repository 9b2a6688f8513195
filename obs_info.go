package embedis

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// Figures INFO reports that come from outside the executor's counters.

// obsRunID returns the store's run ID, choosing it on first use.
func (s *Store) obsRunID() string {
	if s.obs.runID == "" {
		var b [20]byte
		rand.Read(b[:])
		s.obs.runID = hex.EncodeToString(b[:])
	}
	return s.obs.runID
}

// tcpPort is the port of the first TCP listener Serve runs, or 0 when the
// store listens on none (an in-memory store, or pipes only).
func (w *wireState) tcpPort() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	port := 0
	for l := range w.listeners {
		if a, ok := l.Addr().(*net.TCPAddr); ok && (port == 0 || a.Port < port) {
			port = a.Port
		}
	}
	return port
}

// obsOpsPerSec is instantaneous_ops_per_sec: the commands per second
// since the previous sample, sampled when INFO or Stats asks (at most
// every 100 ms; Redis samples in its cron instead). Executor only.
func (s *Store) obsOpsPerSec() int64 {
	o := &s.obs
	now := time.Now()
	if o.opsAt.IsZero() {
		o.opsAt, o.opsCmds = now, s.stats.commands
		return 0
	}
	if d := now.Sub(o.opsAt); d >= 100*time.Millisecond {
		o.ops = int64(float64(s.stats.commands-o.opsCmds) / d.Seconds())
		o.opsAt, o.opsCmds = now, s.stats.commands
	}
	return max(o.ops, 0)
}

// scriptCounts returns the cached EVAL scripts, and the function libraries
// and functions loaded, when the Lua engine exists.
func (s *Store) scriptCounts() (scripts, libs, funcs int) {
	e := s.script.engine.Load()
	if e == nil {
		return 0, 0, 0
	}
	libs, funcs = e.NumFunctions()
	return e.NumScripts(), libs, funcs
}

// bytesHuman writes a byte count as Redis's INFO *_human fields do.
func bytesHuman(n int64) string {
	f := float64(n)
	switch {
	case n < 1024:
		return strconv.FormatInt(n, 10) + "B"
	case n < 1<<20:
		return strconv.FormatFloat(f/(1<<10), 'f', 2, 64) + "K"
	case n < 1<<30:
		return strconv.FormatFloat(f/(1<<20), 'f', 2, 64) + "M"
	case n < 1<<40:
		return strconv.FormatFloat(f/(1<<30), 'f', 2, 64) + "G"
	case n < 1<<50:
		return strconv.FormatFloat(f/(1<<40), 'f', 2, 64) + "T"
	}
	return strconv.FormatFloat(f/(1<<50), 'f', 2, 64) + "P"
}

// totalSystemMemory reads MemTotal from /proc/meminfo; 0 where there is
// none (not Linux).
func totalSystemMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			fs := strings.Fields(rest)
			if len(fs) >= 1 {
				n, _ := strconv.ParseInt(fs[0], 10, 64)
				return n * 1024
			}
		}
	}
	return 0
}
