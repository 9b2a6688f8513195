package embedis

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/embedis/embedis/internal/resp"
	"github.com/embedis/embedis/persist"
)

// The append-only log: Redis 7.0's multi-part AOF, fed by the write feed.
//
// The executor side is a feed sink: each execution unit's ops are encoded
// as RESP into s.aof.buf (with SELECT when the database changes, and a
// "#TS:<unix seconds>" annotation when aof-timestamp-enabled is yes and
// the second changed). At the end of each executor turn the turn's bytes
// and the requests it finished go, in one hand-off, to the writer
// goroutine (the durability step of feed.go), which appends them to the
// current incremental file and then completes the requests:
//
//   - always: after write and fsync. Every turn that arrived while the
//     previous fsync ran is written and fsynced together, so one fsync
//     covers many turns and many callers: group commit.
//   - everysec: after the write; the writer fsyncs when a second has
//     passed since the last fsync.
//   - no: after the write; the operating system decides when to flush.
//
// Why replies wait for the write even under everysec and no: Redis writes
// its AOF buffer before it sends the replies of the same event-loop
// iteration, so a process that dies (rather than a machine) loses no
// acknowledged write. Completing a request before its bytes reached the
// kernel would lose that.
//
// Why a read waits too: a read in the same turn may have seen a write not
// yet durable; the read's caller must not act on it before the write is.
// A read-only turn with nothing in flight completes at once.
//
// Errors. A write or fsync error sets the log's status; while it is set,
// write commands (and PING) are refused with "MISCONF Errors writing to
// the AOF file: <reason>", reads keep working. The bytes not written stay
// queued and the writer retries them every second; the first retry that
// writes (and, under always, fsyncs) everything clears the status. A
// short write is cut back with Truncate when the backend allows, so the
// file never holds half a command followed by the retried whole one.
// Under always, Redis exits on such an error; embedis instead fails the
// requests of the affected turns with ErrAOFWrite (a wire client sees its
// connection closed, as when redis-server exits): their effect is in
// memory but was not made durable.

// FsyncPolicy is when the append-only log is fsynced (Redis's
// appendfsync).
type FsyncPolicy uint8

// The fsync policies.
const (
	// FsyncEverySec fsyncs once a second, off the executor: a crash of
	// the machine loses at most about the last two seconds of writes.
	// The default, as in Redis.
	FsyncEverySec FsyncPolicy = iota
	// FsyncAlways fsyncs before any reply that depends on the write is
	// released: nothing acknowledged is lost. Group commit makes one
	// fsync cover every caller of an executor turn.
	FsyncAlways
	// FsyncNo never fsyncs; the operating system flushes when it likes.
	FsyncNo
)

// String returns the policy as CONFIG GET appendfsync shows it.
func (p FsyncPolicy) String() string {
	switch p {
	case FsyncAlways:
		return "always"
	case FsyncNo:
		return "no"
	}
	return "everysec"
}

func parseFsyncPolicy(s string) (FsyncPolicy, bool) {
	switch s {
	case "always":
		return FsyncAlways, true
	case "everysec":
		return FsyncEverySec, true
	case "no":
		return FsyncNo, true
	}
	return 0, false
}

// Errors of the append-only log.
var (
	// ErrAOFWrite is returned, under appendfsync always, to calls whose
	// writes (or whose turn's writes) could not be written and fsynced
	// to the append-only log: the effect is in memory but not durable.
	// Later writes are refused with a MISCONF error until the log can be
	// written again.
	ErrAOFWrite = errors.New("embedis: append-only log write failed; the effect is in memory but not durable")
	// ErrNoAOFDir is the error of enabling the append-only log (Options
	// or CONFIG SET appendonly yes) without Options.Dir or
	// Options.AppendLog.
	ErrNoAOFDir = errors.New("embedis: append-only log needs Options.Dir or Options.AppendLog")
)

// Defaults of the AOF options.
const (
	defaultAppendDirName     = "appendonlydir"
	defaultAppendFilename    = "appendonly.aof"
	defaultAutoAOFPercentage = 100
	defaultAutoAOFMinSize    = 64 << 20
	// aofDelayedFsyncAfter: an everysec fsync slower than this delayed
	// the writes behind it, which INFO counts as aof_delayed_fsync
	// (Redis postpones writes for up to 2 seconds behind a running fsync).
	aofDelayedFsyncAfter = 2 * time.Second
)

// aofState is the store's side of the append-only log. Owned by the
// executor goroutine, except where marked.
type aofState struct {
	// backend and where are set in Open (where names the directory in
	// messages); backend is nil without Dir and AppendLog.
	backend persist.LogBackend
	where   string
	prefix  string // appendfilename
	logf    func(format string, args ...any)

	// on: the sink is attached and the writer runs (appendonly yes).
	on     bool
	policy FsyncPolicy
	// settings CONFIG SET changes.
	rdbPreamble, timestamps, loadTruncated bool
	autoPct                                int
	autoMin                                int64

	// buf holds the RESP bytes of the current turn; selDB is the database
	// the current incremental file last selected (-1: none yet); lastTS
	// the second of the last timestamp annotation.
	buf    []byte
	selDB  int
	lastTS int64
	w      *aofWriter
	// seq numbers hand-offs to the writer; a read-only turn completes at
	// once when the writer has finished every one (w.doneSeq == seq).
	seq uint64

	// manifest is the manifest found at Open (numbering continues from
	// it when the log is enabled at run time); the writer owns the live
	// one.
	manifest    aofManifest
	hasManifest bool
	// loaded: Open loaded the dataset from the log (the snapshot is not
	// loaded then).
	loaded bool

	// rewrite is the rewrite in progress; scheduled a BGREWRITEAOF
	// waiting for a background save to end; waitRewrite that the log was
	// enabled at run time and its first rewrite has not finished.
	rewrite     *aofRewrite
	scheduled   bool
	waitRewrite bool
	// rewrite statistics for INFO.
	lastRewriteErr  error
	lastRewriteSecs int64
	rewrites        int64
	rewriteFailures int64
	baseSize        int64 // aof_base_size: the log's size after the last rewrite
}

// aofUnitHint is the initial capacity of a turn's buffer.
const aofUnitHint = 4096

// feedUnit implements feedSink: the unit's ops as RESP. Executor only.
func (a *aofState) feedUnit(ops []feedOp, now int64) {
	if a.timestamps {
		if sec := now / 1000; sec != a.lastTS {
			a.lastTS = sec
			a.buf = append(a.buf, "#TS:"...)
			a.buf = strconv.AppendInt(a.buf, sec, 10)
			a.buf = append(a.buf, "\r\n"...)
		}
	}
	for _, op := range ops {
		if op.db != a.selDB {
			a.selDB = op.db
			a.buf = appendCommand(a.buf, "SELECT", strconv.Itoa(op.db))
		}
		a.buf = appendCommand(a.buf, op.args...)
	}
}

// appendCommand appends args as a RESP array of bulk strings.
func appendCommand(b []byte, args ...string) []byte {
	b = resp.AppendHeader(b, '*', int64(len(args)))
	for _, a := range args {
		b = resp.AppendBulk(b, a)
	}
	return b
}

// aofSink adapts the store's aofState to feedSink (it needs the clock).
type aofSink struct{ s *Store }

func (k aofSink) feedUnit(ops []feedOp) {
	k.s.aof.feedUnit(ops, k.s.opts.Clock.Now().UnixMilli())
}

// aofStep is the durability step of the log (feed.go's durabilityStep).
type aofStep struct{ s *Store }

// barrier hands the turn's bytes and requests to the writer. Executor
// only; it never blocks.
func (k aofStep) barrier(held []*request) {
	a := &k.s.aof
	if len(a.buf) == 0 && a.w.doneSeq.Load() == a.seq && a.w.status.Load() == nil {
		// Nothing in flight and nothing new: the replies depend on
		// nothing that is not already written (and fsynced).
		for _, r := range held {
			r.complete()
		}
		return
	}
	a.handOff(held, nil)
}

// handOff queues the turn's bytes (and requests, and a control step) for
// the writer. Executor only.
func (a *aofState) handOff(held []*request, ctl func(*aofWriter)) {
	a.seq++
	op := aofOp{held: held, ctl: ctl, seq: a.seq}
	if len(a.buf) > 0 { // the buffer goes to the writer; an empty one stays
		op.data, a.buf = a.buf, getAOFBuf()
	}
	a.w.push(op)
}

// aofBufs recycles turn buffers: the writer returns each once it has
// copied its bytes, so a turn allocates nothing in the steady state.
var aofBufs = sync.Pool{New: func() any { b := make([]byte, 0, aofUnitHint); return &b }}

func getAOFBuf() []byte { return (*aofBufs.Get().(*[]byte))[:0] }

func putAOFBuf(b []byte) {
	if cap(b) == 0 || cap(b) > 1<<20 {
		return
	}
	b = b[:0]
	aofBufs.Put(&b)
}

// flushBuf hands bytes written outside any request (expired keys from the
// cron) to the writer. Executor only.
func (a *aofState) flushBuf() {
	if a.on && len(a.buf) > 0 {
		a.handOff(nil, nil)
	}
}

// aofOp is one hand-off to the writer: bytes to append, requests to
// complete after them, and optionally a control step run after the bytes
// are written (a file rotation, a rewrite's end).
type aofOp struct {
	data []byte
	held []*request
	ctl  func(*aofWriter)
	seq  uint64
}

// aofWriter is the goroutine that writes and fsyncs the log and owns its
// files and manifest. Fields are owned by that goroutine unless marked.
type aofWriter struct {
	backend persist.LogBackend
	prefix  string
	where   string
	clock   Clock

	// mu guards q; wake (capacity 1) tells the goroutine that q is not
	// empty; quit ends it after it has drained q; done is closed when it
	// has exited. (Shared.)
	mu   sync.Mutex
	q    []aofOp
	wake chan struct{}
	quit chan struct{}
	done chan struct{}

	// policy is the fsync policy (CONFIG SET changes it). Shared.
	policy atomic.Uint32
	// status is the last write or fsync error, nil when the log is
	// healthy. Shared: the executor refuses writes while it is set.
	status atomic.Pointer[error]
	// doneSeq is the seq of the last hand-off fully processed. Shared.
	doneSeq atomic.Uint64
	// size is the log's size (base plus incremental files), delayed the
	// aof_delayed_fsync count, fsyncs the fsyncs done. Shared.
	size    atomic.Int64
	delayed atomic.Int64

	man      aofManifest
	f        persist.LogFile // the current incremental file; nil after a failed rotation start
	fsize    int64           // its length as written
	pending  []byte          // bytes not yet written (after an error)
	unsynced bool            // bytes written since the last fsync
	lastSync time.Time
	// persistManifest is false while the log waits for its first rewrite
	// (enabled at run time): the manifest is written by the rewrite's end.
	persistManifest bool
}

func (w *aofWriter) push(op aofOp) {
	w.mu.Lock()
	w.q = append(w.q, op)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *aofWriter) take() []aofOp {
	w.mu.Lock()
	q := w.q
	w.q = nil
	w.mu.Unlock()
	return q
}

func (w *aofWriter) fsyncPolicy() FsyncPolicy { return FsyncPolicy(w.policy.Load()) }

// run is the writer goroutine.
func (w *aofWriter) run() {
	defer close(w.done)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		quit := false
		select {
		case <-w.wake:
		case <-tick.C:
		case <-w.quit:
			quit = true
		}
		w.process(w.take())
		if quit {
			// Close: everything queued is processed; fsync whatever is
			// left, whatever the policy, as Redis does at shutdown.
			if w.f != nil {
				if w.unsynced {
					_ = w.sync()
				}
				_ = w.f.Close()
			}
			return
		}
	}
}

// process writes a group of hand-offs and completes their requests.
func (w *aofWriter) process(ops []aofOp) {
	var held []*request
	var last uint64
	var failed error
	fresh := false // some op brought new bytes
	for _, op := range ops {
		fresh = fresh || len(op.data) > 0
		w.pending = append(w.pending, op.data...)
		putAOFBuf(op.data)
		held = append(held, op.held...)
		last = op.seq
		if op.ctl != nil {
			if err := w.flush(); err != nil && failed == nil {
				failed = err
			}
			op.ctl(w)
		}
	}
	err := w.flush()
	pol := w.fsyncPolicy()
	if err == nil && w.unsynced {
		switch pol {
		case FsyncAlways:
			err = w.sync()
		case FsyncEverySec:
			if w.clock.Now().Sub(w.lastSync) >= time.Second {
				start := time.Now()
				err = w.sync()
				if time.Since(start) > aofDelayedFsyncAfter {
					w.delayed.Add(1)
				}
			}
		}
	}
	if err == nil && failed == nil && len(w.pending) == 0 && w.status.Load() != nil {
		// The retry wrote everything: the log is healthy again.
		if pol != FsyncAlways || !w.unsynced {
			w.status.Store(nil)
		}
	}
	if failed == nil {
		failed = err
	}
	// Under always, the requests of a group whose bytes could not be
	// made durable fail (reads too: they may have seen those writes). A
	// group that only retried older bytes completes as usual: its
	// requests wrote nothing, and the writers were failed already.
	for _, r := range held {
		if failed != nil && pol == FsyncAlways && fresh {
			r.err = fmt.Errorf("%w: %v", ErrAOFWrite, failed)
		}
		r.complete()
	}
	if last != 0 {
		w.doneSeq.Store(last)
	}
}

// fail records an I/O error as the log's status.
func (w *aofWriter) fail(err error) error {
	w.status.Store(&err)
	return err
}

// flush writes the pending bytes to the current file.
func (w *aofWriter) flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	if w.f == nil {
		return w.fail(fmt.Errorf("embedis: AOF %s: no incremental file open", w.where))
	}
	n, err := w.f.Write(w.pending)
	if err != nil {
		if n > 0 {
			// Cut the partial command back, so the retry appends whole
			// commands; if that fails, keep what was written and send
			// only the rest later (Redis's rule).
			if terr := w.backend.Truncate(w.f.Name(), w.fsize); terr == nil {
				n = 0
			}
		}
		w.fsize += int64(n)
		w.size.Add(int64(n))
		w.pending = append(w.pending[:0], w.pending[n:]...)
		if n > 0 {
			w.unsynced = true
		}
		return w.fail(fmt.Errorf("embedis: writing AOF %s/%s: %w", w.where, w.f.Name(), err))
	}
	w.fsize += int64(n)
	w.size.Add(int64(n))
	w.pending = w.pending[:0]
	w.unsynced = true
	return nil
}

// sync fsyncs the current file.
func (w *aofWriter) sync() error {
	if err := w.f.Sync(); err != nil {
		return w.fail(fmt.Errorf("embedis: fsync of AOF %s/%s: %w", w.where, w.f.Name(), err))
	}
	w.unsynced = false
	w.lastSync = w.clock.Now()
	return nil
}

// writeManifest persists m and adopts it.
func (w *aofWriter) writeManifest(m aofManifest) error {
	if err := w.backend.WriteFileAtomic(manifestFileName(w.prefix), m.bytes()); err != nil {
		return fmt.Errorf("embedis: writing AOF manifest %s/%s: %w", w.where, manifestFileName(w.prefix), err)
	}
	w.man = m
	return nil
}

// rotate opens a new incremental file after the current one, fsyncing
// the old one first, and persists the manifest that lists it (unless the
// log waits for its first rewrite). It returns the new file's name. On
// error the current file stays in use.
func (w *aofWriter) rotate() (string, error) {
	if w.f != nil && w.unsynced {
		if err := w.sync(); err != nil {
			return "", err
		}
	}
	m := w.man.clone()
	name := m.newIncr(w.prefix)
	f, err := w.backend.Create(name)
	if err != nil {
		return "", fmt.Errorf("embedis: creating AOF %s/%s: %w", w.where, name, err)
	}
	if err := w.backend.SyncDir(); err != nil {
		_ = f.Close()
		return "", fmt.Errorf("embedis: AOF %s: fsync of the directory: %w", w.where, err)
	}
	if w.persistManifest {
		if err := w.writeManifest(m); err != nil {
			_ = f.Close()
			_ = w.backend.Remove(name)
			return "", err
		}
	} else {
		w.man = m
	}
	if w.f != nil {
		_ = w.f.Close()
	}
	w.f, w.fsize, w.unsynced = f, 0, false
	return name, nil
}

// aofMisconf reports whether cmd is refused because the log cannot be
// written, and the reply. Executor only.
//
// The commands refused are those a failed background save refuses
// (misconf in persistence.go): writes, PING from a client, and an EXEC
// that would run a write. Redis checks the snapshot's error first.
func (s *Store) aofMisconf(cl *client, cmd *command) (Value, bool) {
	a := &s.aof
	if !a.on {
		return Value{}, false
	}
	p := a.w.status.Load()
	if p == nil {
		return Value{}, false
	}
	_, inScript := cl.conn.(*scriptConn)
	write := cmd.flags&flagWrite != 0 || (cmd.name == "ping" && !inScript)
	if !write && cmd.name == "exec" {
		if t := txOf(cl); t != nil && t.active {
			for _, q := range t.queue {
				write = write || q.cmd.flags&flagWrite != 0
			}
		}
	}
	if !write {
		return Value{}, false
	}
	return ErrorValue("MISCONF Errors writing to the AOF file: " + strerror(*p)), true
}

// strerror is the C library's text for the errno err wraps, else err's
// text.
func strerror(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		if s != "" {
			return string(s[0]-'a'+'A') + s[1:]
		}
	}
	return err.Error()
}

// ---- lifecycle ----

// openAOF sets up the log and loads it, in Open before the snapshot.
func (s *Store) openAOF() error {
	if err := s.initAOF(); err != nil {
		return err
	}
	return s.loadAOF()
}

// initAOF sets up the log's settings and backend from the options, in
// Open before anything is loaded.
func (s *Store) initAOF() error {
	o := &s.opts
	a := &s.aof
	a.prefix = o.AppendFilename
	a.policy = o.AppendFsync
	a.rdbPreamble = !o.AOFNoRDBPreamble
	a.timestamps = o.AOFTimestamps
	a.loadTruncated = !o.AOFStrictLoad
	a.autoPct, a.autoMin = o.AutoAOFRewritePercentage, o.AutoAOFRewriteMinSize
	a.selDB = -1
	a.logf = o.Logf
	if a.logf == nil {
		// Through Options.Logger, at warning level; nothing is printed
		// when no logger is set (a library stays quiet by default).
		logger := o.Logger
		a.logf = func(format string, args ...any) {
			if logger != nil {
				logger.Warn(fmt.Sprintf(format, args...))
			}
		}
	}
	switch {
	case o.AppendLog != nil:
		a.backend, a.where = o.AppendLog, "append log backend"
	case o.Dir != "":
		a.where = o.Dir + "/" + o.AppendDirName
		if o.AppendOnly {
			if err := a.openDir(); err != nil {
				return err
			}
		}
	case o.AppendOnly:
		return fmt.Errorf("%w: %w", ErrInvalidOptions, ErrNoAOFDir)
	}
	return nil
}

// openDir opens appenddirname under Dir as the backend.
func (a *aofState) openDir() error {
	if a.backend != nil {
		return nil
	}
	b, err := persist.OpenLogDir(a.where)
	if err != nil {
		return fmt.Errorf("embedis: opening AOF directory: %w", err)
	}
	a.backend = b
	return nil
}

// newWriter makes the writer for man (not started).
func (s *Store) newWriter(man aofManifest) *aofWriter {
	a := &s.aof
	w := &aofWriter{
		backend: a.backend, prefix: a.prefix, where: a.where, clock: s.opts.Clock,
		wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{}),
		man: man, persistManifest: true,
	}
	w.policy.Store(uint32(a.policy))
	w.lastSync = s.opts.Clock.Now()
	return w
}

// attachAOF attaches the sink and the durability step and starts the
// writer. Executor only (or Open).
func (s *Store) attachAOF(w *aofWriter) {
	a := &s.aof
	a.w, a.on, a.selDB, a.seq = w, true, -1, 0
	a.buf = getAOFBuf()
	s.addFeedSink(aofSink{s})
	s.durable = aofStep{s}
	go w.run()
}

// detachAOF stops the log: the writer writes and fsyncs everything
// queued and exits. Executor only; it blocks for the final fsync, as
// Redis's stopAppendOnly does.
func (s *Store) detachAOF() {
	a := &s.aof
	if !a.on {
		return
	}
	s.endTurn() // held requests go out with the last bytes
	a.flushBuf()
	if rw := a.rewrite; rw != nil {
		s.abortRewrite(errors.New("appendonly turned off"))
	}
	s.removeFeedSink(aofSink{s})
	s.durable = nil
	close(a.w.quit)
	<-a.w.done
	a.man() // keep the numbering for a later start
	a.on, a.w, a.waitRewrite = false, nil, false
}

// man copies the writer's manifest into a.manifest (after the writer
// exited).
func (a *aofState) man() {
	if a.w != nil {
		a.manifest, a.hasManifest = a.w.man.clone(), true
	}
}

// startAOF starts the log at Open, after loading: it appends to the
// manifest's last incremental file, or creates the first base (from the
// dataset loaded so far, e.g. a snapshot) and incremental file.
func (s *Store) startAOF() error {
	a := &s.aof
	if !s.opts.AppendOnly {
		return nil
	}
	if a.hasManifest && (a.manifest.base != nil || len(a.manifest.incr) > 0) {
		m := a.manifest.clone()
		w := s.newWriter(m)
		var err error
		if len(m.incr) == 0 {
			_, err = w.rotate()
		} else {
			last := m.incr[len(m.incr)-1].name
			w.f, err = a.backend.OpenAppend(last)
			if err == nil {
				w.fsize = w.f.Size()
			} else {
				err = fmt.Errorf("embedis: opening AOF %s/%s: %w", a.where, last, err)
			}
		}
		if err != nil {
			return err
		}
		w.size.Store(s.aofSizeOf(m))
		a.baseSize = w.size.Load()
		s.removeHistory(w)
		s.attachAOF(w)
		return nil
	}
	// A fresh log: a base with the current dataset, then the first
	// incremental file, then the manifest naming both.
	m := a.manifest.clone()
	w := s.newWriter(m)
	base, seq := m.baseName(a.prefix, true)
	if err := s.writeBaseSync(base); err != nil {
		return err
	}
	m.base, m.baseSeq = &aofFile{name: base, seq: seq, typ: aofBase}, seq
	for _, f := range m.incr {
		f.typ = aofHist
		m.history = append(m.history, f)
	}
	m.incr = nil
	w.man = m
	if _, err := w.rotate(); err != nil {
		return err
	}
	w.size.Store(s.aofSizeOf(w.man))
	a.baseSize = w.size.Load()
	s.removeHistory(w)
	s.attachAOF(w)
	return nil
}

// aofSizeOf sums the sizes of m's base and incremental files.
func (s *Store) aofSizeOf(m aofManifest) int64 {
	var n int64
	add := func(name string) {
		if fi, err := s.aof.backend.Stat(name); err == nil {
			n += fi.Size
		}
	}
	if m.base != nil {
		add(m.base.name)
	}
	for _, f := range m.incr {
		add(f.name)
	}
	return n
}

// removeHistory deletes the history files of w's manifest and persists
// the manifest without them (on the writer goroutine, or before it
// starts).
func (s *Store) removeHistory(w *aofWriter) {
	if len(w.man.history) == 0 {
		return
	}
	for _, f := range w.man.history {
		_ = w.backend.Remove(f.name)
	}
	m := w.man.clone()
	m.history = nil
	if w.persistManifest {
		_ = w.writeManifest(m)
	} else {
		w.man = m
	}
}

// stopAOF is the executor's exit: the writer drains and fsyncs.
func (s *Store) stopAOF() {
	a := &s.aof
	if !a.on {
		return
	}
	a.flushBuf()
	if a.rewrite != nil {
		s.abortRewrite(errSnapshotAborted)
	}
	close(a.w.quit)
	<-a.w.done
}

// aofCron runs every cron tick: bytes written outside requests, a
// rewrite's progress, the automatic rewrite. Executor only.
func (s *Store) aofCron() {
	a := &s.aof
	if !a.on {
		return
	}
	a.flushBuf()
	s.rewriteStep()
	if a.rewrite == nil && (a.scheduled || a.waitRewrite) && s.persist.job == nil {
		_ = s.startRewrite()
		return
	}
	if a.rewrite == nil && a.autoPct > 0 && s.persist.job == nil {
		size := a.w.size.Load()
		base := max(a.baseSize, 1)
		if size > a.autoMin && (size-base)*100/base >= int64(a.autoPct) {
			_ = s.startRewrite()
		}
	}
}

// infoAOF writes the aof_* fields of INFO persistence.
func (s *Store) infoAOF(f func(string, any)) {
	a := &s.aof
	enabled, rewriting, status := 0, 0, "ok"
	var cur int64 = -1
	if a.on {
		enabled = 1
		if a.w.status.Load() != nil {
			status = "err"
		}
	}
	if a.rewrite != nil {
		rewriting = 1
		cur = int64(s.opts.Clock.Now().Sub(a.rewrite.started) / time.Second)
	}
	last := "ok"
	if a.lastRewriteErr != nil {
		last = "err"
	}
	sched := 0
	if a.scheduled {
		sched = 1
	}
	lastSecs := a.lastRewriteSecs
	if a.rewrites+a.rewriteFailures == 0 {
		lastSecs = -1
	}
	f("aof_enabled", enabled)
	f("aof_rewrite_in_progress", rewriting)
	f("aof_rewrite_scheduled", sched)
	f("aof_last_rewrite_time_sec", lastSecs)
	f("aof_current_rewrite_time_sec", cur)
	f("aof_last_bgrewrite_status", last)
	f("aof_rewrites", a.rewrites)
	f("aof_rewrites_consecutive_failures", a.rewriteFailures)
	f("aof_last_write_status", status)
	f("aof_last_cow_size", 0)
	f("module_fork_in_progress", 0)
	f("module_fork_last_cow_size", 0)
	if a.on {
		f("aof_current_size", a.w.size.Load())
		f("aof_base_size", a.baseSize)
		f("aof_pending_rewrite", sched)
		f("aof_buffer_length", len(a.buf))
		f("aof_pending_bio_fsync", 0)
		f("aof_delayed_fsync", a.w.delayed.Load())
	}
}

// aofConfig fills CONFIG GET's AOF values.
func (s *Store) aofConfig(cfg map[string]string) {
	a := &s.aof
	yn := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	cfg["appendonly"] = yn(s.opts.AppendOnly)
	cfg["appendfsync"] = a.policy.String()
	cfg["appendfilename"] = s.opts.AppendFilename
	cfg["appenddirname"] = s.opts.AppendDirName
	cfg["aof-use-rdb-preamble"] = yn(a.rdbPreamble)
	cfg["aof-timestamp-enabled"] = yn(a.timestamps)
	cfg["aof-load-truncated"] = yn(a.loadTruncated)
	cfg["auto-aof-rewrite-percentage"] = strconv.Itoa(max(a.autoPct, 0))
	cfg["auto-aof-rewrite-min-size"] = strconv.FormatInt(a.autoMin, 10)
}

// aofConfigCheck validates an AOF setting of CONFIG SET before anything
// is applied.
func (s *Store) aofConfigCheck(name, v string) (Value, bool) {
	if name == "appendonly" && v == "yes" && !s.aof.on && s.aof.backend == nil && s.opts.Dir == "" {
		return ErrorValue("ERR CONFIG SET failed (possibly related to argument 'appendonly') - " + ErrNoAOFDir.Error()), false
	}
	return Value{}, true
}

// aofConfigSet applies an AOF setting of CONFIG SET. Executor only.
func (s *Store) aofConfigSet(name, v string) {
	a := &s.aof
	switch name {
	case "appendonly":
		if v == "yes" && !a.on {
			s.enableAOF()
		} else if v == "no" && a.on {
			s.detachAOF()
		}
	case "appendfsync":
		a.policy, _ = parseFsyncPolicy(v)
		if a.on {
			a.w.policy.Store(uint32(a.policy))
		}
	case "aof-use-rdb-preamble":
		a.rdbPreamble = v == "yes"
	case "aof-timestamp-enabled":
		a.timestamps = v == "yes"
	case "aof-load-truncated":
		a.loadTruncated = v == "yes"
	case "auto-aof-rewrite-percentage":
		a.autoPct, _ = strconv.Atoi(v)
	case "auto-aof-rewrite-min-size":
		a.autoMin, _ = strconv.ParseInt(v, 10, 64)
	}
}

// enableAOF is CONFIG SET appendonly yes at run time: as Redis, the log
// starts with a rewrite; the manifest is written when it ends, and until
// then writes go to a new incremental file that no manifest names yet.
func (s *Store) enableAOF() {
	a := &s.aof
	if err := a.openDir(); err != nil {
		a.logf("embedis: enabling the append-only log: %v", err)
		return
	}
	if !a.hasManifest {
		if data, err := readAll(a.backend, manifestFileName(a.prefix)); err == nil {
			if m, err := parseManifest(data, manifestFileName(a.prefix)); err == nil {
				a.manifest, a.hasManifest = m, true
			}
		}
	}
	m := a.manifest.clone()
	// Files of an earlier period become history: the rewrite's base
	// replaces them all.
	if m.base != nil {
		b := *m.base
		b.typ = aofHist
		m.history = append(m.history, b)
		m.base = nil
	}
	for _, f := range m.incr {
		f.typ = aofHist
		m.history = append(m.history, f)
	}
	m.incr = nil
	w := s.newWriter(m)
	w.persistManifest = false
	s.attachAOF(w)
	a.waitRewrite = true
	// Inside EXEC (or while a background save runs) the rewrite waits
	// for the cron; meanwhile writes go to a new incremental file.
	if s.callDepth > 1 || s.persist.job != nil {
		a.handOff(nil, func(w *aofWriter) {
			if _, err := w.rotate(); err != nil {
				w.fail(err)
			}
		})
		return
	}
	if err := s.startRewrite(); err != nil {
		a.logf("embedis: starting the AOF rewrite: %v", err)
	}
}

// readAll reads a whole file of b.
func readAll(b persist.LogBackend, name string) ([]byte, error) {
	r, err := b.Open(name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	buf := make([]byte, r.Size())
	_, err = r.ReadAt(buf, 0)
	if err != nil && r.Size() > 0 {
		return nil, err
	}
	return buf, nil
}
