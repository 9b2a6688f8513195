package embedis

import (
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/embedis/embedis/persist"
)

// AOF rewrite (BGREWRITEAOF and the automatic trigger).
//
// A rewrite replaces the log's base and the incremental files before it
// with one new base holding the dataset at a point in time, without
// stopping the executor:
//
//  1. Start (executor, between two execution units): the turn's bytes so
//     far and a "rotate" step are handed to the writer, and a
//     point-in-time snapshot (rdbsave.go) starts at once. The writer
//     writes those bytes to the current incremental file, fsyncs it,
//     opens a new incremental file and persists a manifest that lists
//     it after the old ones. Every write the feed carries from now on
//     goes to the new file, and the snapshot holds exactly the writes
//     before it: the two meet at the same point of the feed.
//  2. The snapshot's writer goroutine waits for the rotation, then
//     writes the base into a temporary file and fsyncs it.
//  3. End (writer goroutine): the temporary file is renamed to the next
//     base name, the manifest is replaced by one naming the new base and
//     the incremental files from the rotation on, and the old base and
//     incremental files (now history) are removed.
//
// A crash at any step leaves a manifest that names complete files: before
// step 3's manifest write, the old base and all incremental files (old
// and new, in order); after it, the new base and the new files. A
// leftover temporary base is removed at the next start.
//
// The base is always an RDB (the RDB preamble): with aof-use-rdb-preamble
// no, embedis still writes an RDB base, named .base.rdb as Redis names
// it; a RESP base written by redis-server loads.
//
// A rewrite never runs beside a background save: the snapshot machinery
// runs one capture at a time. BGREWRITEAOF during a BGSAVE is scheduled
// and starts when the save ends, as in Redis.

// aofRewrite is a rewrite in progress. Owned by the executor, except the
// fields the writer sets before closing rotated and finished.
type aofRewrite struct {
	job     *snapshotJob
	tmp     string
	started time.Time

	rotated   chan struct{}
	firstIncr string // written by the AOF writer before rotated is closed
	rotErr    error  // likewise

	finishing bool
	finished  chan struct{}
	endErr    error // written by the AOF writer before finished is closed
	size      int64 // likewise: the log's size after the rewrite
}

var rewriteTmpSeq atomic.Uint64

// rewriteTmpPrefix starts the name of a rewrite's temporary base.
const rewriteTmpPrefix = "temp-rewriteaof-bg-"

var errRewriteInProgress = errors.New("ERR Background append only file rewriting already in progress")

// startRewrite starts a rewrite, or schedules it while a background save
// runs. It must run between execution units (not inside EXEC or a
// script). Executor only.
func (s *Store) startRewrite() error {
	a := &s.aof
	if !a.on {
		return errors.New("ERR append only file is off")
	}
	if a.rewrite != nil {
		return errRewriteInProgress
	}
	if s.persist.job != nil {
		a.scheduled = true
		return nil
	}
	a.scheduled = false
	rw := &aofRewrite{
		tmp:      rewriteTmpPrefix + strconv.FormatUint(rewriteTmpSeq.Add(1), 10) + ".aof",
		started:  s.opts.Clock.Now(),
		rotated:  make(chan struct{}),
		finished: make(chan struct{}),
	}
	a.rewrite = rw
	a.handOff(nil, func(w *aofWriter) {
		rw.firstIncr, rw.rotErr = w.rotate()
		close(rw.rotated)
	})
	a.selDB = -1 // the new file starts without a database selected
	backend := a.backend
	j := s.startSnapshot(func() (snapSink, error) {
		<-rw.rotated
		if rw.rotErr != nil {
			return nil, rw.rotErr
		}
		f, err := backend.Create(rw.tmp)
		if err != nil {
			return nil, fmt.Errorf("embedis: AOF rewrite: creating %s: %w", rw.tmp, err)
		}
		return &baseSink{f: f, b: backend}, nil
	}, false)
	j.external = true
	s.persist.job = j
	rw.job = j
	return nil
}

// baseSink writes a rewrite's base into its temporary file.
type baseSink struct {
	f persist.LogFile
	b persist.LogBackend
}

func (k *baseSink) Write(p []byte) (int, error) { return k.f.Write(p) }

func (k *baseSink) Commit() error {
	if err := k.f.Sync(); err != nil {
		_ = k.Abort()
		return fmt.Errorf("embedis: AOF rewrite: fsync of %s: %w", k.f.Name(), err)
	}
	if err := k.f.Close(); err != nil {
		_ = k.b.Remove(k.f.Name())
		return fmt.Errorf("embedis: AOF rewrite: closing %s: %w", k.f.Name(), err)
	}
	return nil
}

func (k *baseSink) Abort() error {
	_ = k.f.Close()
	return k.b.Remove(k.f.Name())
}

// rewriteStep advances the rewrite in progress: once the base is
// written, it hands the end to the writer; once the writer is done, it
// records the outcome. Executor only.
func (s *Store) rewriteStep() {
	a := &s.aof
	rw := a.rewrite
	if rw == nil {
		return
	}
	if !rw.finishing {
		select {
		case <-rw.job.done:
		default:
			return
		}
		if err := rw.job.result(); err != nil {
			s.rewriteDone(rw, err)
			return
		}
		rw.finishing = true
		a.handOff(nil, func(w *aofWriter) {
			rw.endErr = w.finishRewrite(rw)
			rw.size = w.size.Load()
			close(rw.finished)
		})
		return
	}
	select {
	case <-rw.finished:
	default:
		return
	}
	s.rewriteDone(rw, rw.endErr)
}

// rewriteDone records a rewrite's outcome. Executor only.
func (s *Store) rewriteDone(rw *aofRewrite, err error) {
	a := &s.aof
	a.rewrite = nil
	a.lastRewriteSecs = int64(s.opts.Clock.Now().Sub(rw.started) / time.Second)
	a.lastRewriteErr = err
	if err != nil {
		a.rewriteFailures++
		a.logf("embedis: background AOF rewrite failed: %v", err)
		return
	}
	a.rewrites++
	a.rewriteFailures = 0
	a.baseSize = rw.size
	a.waitRewrite = false
}

// abortRewrite stops a rewrite in progress (appendonly no, Close).
// Executor only.
func (s *Store) abortRewrite(err error) {
	a := &s.aof
	rw := a.rewrite
	if rw == nil {
		return
	}
	if rw.job != nil && !rw.job.detached {
		rw.job.abort()
	}
	if rw.job != nil {
		<-rw.job.done
		if s.persist.job == rw.job {
			s.persist.job = nil
		}
	}
	if rw.finishing {
		<-rw.finished
	}
	s.rewriteDone(rw, err)
}

// finishRewrite is step 3, on the writer goroutine.
func (w *aofWriter) finishRewrite(rw *aofRewrite) error {
	<-rw.rotated
	if rw.rotErr != nil {
		_ = w.backend.Remove(rw.tmp)
		return rw.rotErr
	}
	m := w.man.clone()
	name, seq := m.baseName(w.prefix, true)
	if err := w.backend.Rename(rw.tmp, name); err != nil {
		_ = w.backend.Remove(rw.tmp)
		return fmt.Errorf("embedis: AOF rewrite: renaming %s to %s: %w", rw.tmp, name, err)
	}
	if m.base != nil {
		b := *m.base
		b.typ = aofHist
		m.history = append(m.history, b)
	}
	m.base, m.baseSeq = &aofFile{name: name, seq: seq, typ: aofBase}, seq
	keep := m.incr[:0:0]
	old := true
	for _, f := range m.incr {
		if f.name == rw.firstIncr {
			old = false
		}
		if old {
			f.typ = aofHist
			m.history = append(m.history, f)
		} else {
			keep = append(keep, f)
		}
	}
	m.incr = keep
	if err := w.writeManifest(m); err != nil {
		return err
	}
	w.persistManifest = true
	for _, f := range w.man.history {
		_ = w.backend.Remove(f.name)
	}
	m = w.man.clone()
	m.history = nil
	_ = w.writeManifest(m) // best effort: history files are gone either way
	var size int64
	if fi, err := w.backend.Stat(name); err == nil {
		size = fi.Size
	}
	for _, f := range m.incr {
		if f.name == w.f.Name() {
			size += w.fsize
		} else if fi, err := w.backend.Stat(f.name); err == nil {
			size += fi.Size
		}
	}
	w.size.Store(size)
	return nil
}

// ---- commands ----

func init() {
	register(
		&command{name: "bgrewriteaof", arity: 1, flags: flagAdmin | flagNoScript | flagNoAsyncLoading, acl: []string{"admin", "slow", "dangerous"}, handler: cmdBGRewriteAOF},
	)
}

func cmdBGRewriteAOF(c *call) Value {
	a := &c.s.aof
	if !a.on {
		return ErrorValue("ERR The append-only log is off: set appendonly yes (Options.AppendOnly) first")
	}
	if a.rewrite != nil {
		return ErrorValue(errRewriteInProgress.Error())
	}
	// Inside EXEC the rewrite waits for the end of the unit: its
	// commands before BGREWRITEAOF are in the dataset but not yet in the
	// feed, and would end up both in the base and in the new file.
	if c.multi || c.s.persist.job != nil {
		a.scheduled = true
		return SimpleValue("Background append only file rewriting scheduled")
	}
	if err := c.s.startRewrite(); err != nil {
		return ErrorValue(err.Error())
	}
	return SimpleValue("Background append only file rewriting started")
}

// writeBaseSync writes the dataset as the base file name, with the
// executor (or Open's goroutine) waiting: the first base of a log started
// at Open.
func (s *Store) writeBaseSync(name string) error {
	b := s.aof.backend
	tmp := rewriteTmpPrefix + strconv.FormatUint(rewriteTmpSeq.Add(1), 10) + ".aof"
	j := s.startSnapshot(func() (snapSink, error) {
		f, err := b.Create(tmp)
		if err != nil {
			return nil, fmt.Errorf("embedis: AOF base: creating %s: %w", tmp, err)
		}
		return &baseSink{f: f, b: b}, nil
	}, true)
	if err := j.runToEnd(); err != nil {
		return fmt.Errorf("embedis: writing AOF base %s/%s: %w", s.aof.where, name, err)
	}
	if err := b.Rename(tmp, name); err != nil {
		_ = b.Remove(tmp)
		return fmt.Errorf("embedis: AOF base: renaming %s to %s: %w", tmp, name, err)
	}
	return nil
}
