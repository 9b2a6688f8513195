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
	"unsafe"

	"github.com/embedis/embedis/persist/rdb"
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

// debugObject is DEBUG OBJECT's line for e: Redis's fields, with
// serializedlength computed by the RDB encoder (the DUMP payload without
// its type byte and footer), an address that is a stable stand-in, and for
// lists the quicklist fields of the one-node-per-128-elements quicklist
// Redis would hold (embedis lists are deques; the figures are estimates).
func (s *Store) debugObject(e *entry, now int64) string {
	ser := 0
	v, _ := entryToRDB(e)
	if p, err := rdb.EncodeDump(v, pinEncoding(s.rdbConfig(), e)); err == nil {
		ser = len(p) - 11 // type byte, RDB version (2), CRC64 (8)
	}
	refcount := int64(1)
	if e.typ == typeString && e.enc == encInt {
		if n, ok := parseInt(e.str); ok && n >= 0 && n < 10000 {
			refcount = sharedRefCount
		}
	}
	idle := max((now-e.access)/1000, 0)
	var b strings.Builder
	b.WriteString("Value at:0x" + strconv.FormatUint(uint64(uintptr(unsafe.Pointer(e))), 16) +
		" refcount:" + strconv.FormatInt(refcount, 10) +
		" encoding:" + encodingName(e) +
		" serializedlength:" + strconv.Itoa(ser) +
		" lru:" + strconv.FormatInt((e.access/1000)&lruClockMax, 10) +
		" lru_seconds_idle:" + strconv.FormatInt(idle, 10))
	if l, ok := e.obj.(*list); ok {
		n := l.len()
		nodes := max((n+127)/128, 1)
		size := 0
		for i := 0; i < n; i++ {
			size += len(l.d.At(i)) + 2
		}
		b.WriteString(" ql_nodes:" + strconv.Itoa(nodes) +
			" ql_avg_node:" + strconv.FormatFloat(float64(n)/float64(nodes), 'f', 2, 64) +
			" ql_listpack_max:" + s.configValues()["list-max-listpack-size"] +
			" ql_compressed:" + map[bool]string{true: "1", false: "0"}[s.configValues()["list-compress-depth"] != "0"] +
			" ql_uncompressed_size:" + strconv.Itoa(size+7*nodes))
	}
	return b.String()
}
