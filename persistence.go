package embedis

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/embedis/embedis/internal/dict"
	"github.com/embedis/embedis/persist"
	"github.com/embedis/embedis/persist/rdb"
)

// Snapshots: SAVE, BGSAVE, LASTSAVE, save rules, start-up loading and the
// Go API over them. The point-in-time machinery is in rdbsave.go.

// SavePoint is one save rule, as redis.conf's "save <seconds> <changes>":
// a background save starts when at least Changes writes happened and
// After has passed since the last successful save.
type SavePoint struct {
	After   time.Duration
	Changes int64
}

// defaultSavePoints are Redis 7.0's defaults ("3600 1 300 100 60 10000"),
// used when a snapshot backend is configured and Options.SavePoints is nil.
var defaultSavePoints = []SavePoint{
	{After: 3600 * time.Second, Changes: 1},
	{After: 300 * time.Second, Changes: 100},
	{After: 60 * time.Second, Changes: 10000},
}

// Errors of snapshots.
var (
	// ErrNoSnapshots is returned by SAVE, BGSAVE and the Go API when the
	// store has no snapshot backend (Options.Dir and Options.Snapshots
	// unset).
	ErrNoSnapshots = newError("ERR snapshots are not configured: set Options.Dir or Options.Snapshots")
	// ErrSaveInProgress is BGSAVE's and SAVE's reply while a background
	// save runs.
	ErrSaveInProgress = newError("ERR Background save already in progress")
	// ErrMisconf is the reply to write commands (and PING) after a
	// background save failed, while save rules are set and
	// stop-writes-on-bgsave-error is yes; a successful save clears it.
	ErrMisconf = newError("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.")
)

// errSaveFailed is SAVE's reply when the save failed (Redis replies a bare
// "ERR"; the Go API returns the cause).
var errSaveFailed = ErrorValue("ERR")

// bgsaveRetryDelay is how long save rules wait after a failed background
// save before trying again (Redis's CONFIG_BGSAVE_RETRY_DELAY).
const bgsaveRetryDelay = 5 * time.Second

// persistState is the snapshot state of a store. Owned by the executor
// goroutine, except backend and name, which are set in Open and never
// changed.
type persistState struct {
	backend persist.SnapshotBackend // nil: no persistence
	name    string                  // for messages: the file or "snapshot backend"
	rules   []SavePoint
	// epochs counts snapshots started, for entry.snap.
	epochs uint32
	// sliceBudget overrides snapSliceBudget (tests use a tiny one);
	// noIdleSlices (tests) makes the executor serialize only after
	// batches, never while idle, so a save spans a known number of
	// requests.
	sliceBudget  int
	noIdleSlices bool

	// job is the background snapshot in progress (BGSAVE, save rules or
	// WriteSnapshot), nil when none.
	job       *snapshotJob
	scheduled bool // BGSAVE inside MULTI: start when the executor is free

	lastSave      time.Time // last successful save
	dirtyAtSave   int64     // stats.dirty when the last successful save began
	bgsaveErr     error     // last background save's error; nil when ok or after a good SAVE
	lastBGResult  error     // the last background save's result (WaitBGSave)
	lastTry       time.Time // when the last background save started
	lastBgsaveDur int64     // seconds, -1 before the first
	saves         int64     // successful saves

	loadedKeys, expiredOnLoad int64 // of the last load
}

// sink over a backend's snapshot writer.
type backendSink struct{ w persist.SnapshotWriter }

func (b backendSink) Write(p []byte) (int, error) { return b.w.Write(p) }
func (b backendSink) Commit() error               { _, err := b.w.Commit(); return err }
func (b backendSink) Abort() error                { return b.w.Abort() }

// writerSink writes a snapshot to a caller's io.Writer.
type writerSink struct{ w io.Writer }

func (b writerSink) Write(p []byte) (int, error) { return b.w.Write(p) }
func (writerSink) Commit() error                 { return nil }
func (writerSink) Abort() error                  { return nil }

// openPersistence sets up the backend and loads the snapshot, before the
// executor starts (Open). It runs on Open's goroutine, which owns the
// store until the executor starts.
func (s *Store) openPersistence() error {
	p := &s.persist
	p.lastSave = s.opts.Clock.Now()
	p.lastBgsaveDur = -1
	o := &s.opts
	switch {
	case o.Snapshots != nil:
		p.backend, p.name = o.Snapshots, "snapshot backend"
	case o.Dir != "":
		b, err := persist.OpenSnapshotDir(o.Dir, o.DBFilename)
		if err != nil {
			return fmt.Errorf("embedis: opening snapshot directory: %w", err)
		}
		p.backend, p.name = b, filepath.Join(o.Dir, o.DBFilename)
	}
	switch {
	case o.SavePoints != nil:
		p.rules = append([]SavePoint(nil), o.SavePoints...)
	case p.backend != nil:
		p.rules = defaultSavePoints
	}
	if o.LoadFrom != nil {
		return s.loadSnapshot(o.LoadFrom, "Options.LoadFrom")
	}
	if p.backend == nil || s.aof.loaded { // the append-only log had the dataset
		return nil
	}
	r, err := p.backend.Open()
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("embedis: opening snapshot %s: %w", p.name, err)
	}
	defer r.Close()
	name := r.Info().Name
	if o.Snapshots == nil {
		name = filepath.Join(o.Dir, name)
	}
	return s.loadSnapshot(r, name)
}

// loadSnapshot loads an RDB into the (empty) databases: keys through
// loadKey, expired ones dropped as a Redis primary drops them, function
// libraries into the script engine. Executor only (or Open before the
// executor starts). An error names the file and the byte offset.
func (s *Store) loadSnapshot(src io.Reader, name string) error {
	r := rdb.NewReader(src)
	now := s.opts.Clock.Now().UnixMilli()
	var loaded, expired int64
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("embedis: loading snapshot %s: %w", name, err)
		}
		switch rec.Kind {
		case rdb.KindFunction:
			e := s.scriptEngine()
			ctx, cancel := s.loadContext()
			_, err := e.FunctionLoad(ctx, &s.script.host, rec.Function, false)
			cancel()
			if err != nil {
				return fmt.Errorf("embedis: loading snapshot %s: function library at byte offset %d: %w", name, rec.Offset, err)
			}
		case rdb.KindSelectDB:
			if rec.DB >= len(s.dbs) {
				return fmt.Errorf("embedis: loading snapshot %s: byte offset %d: database %d out of range (the store has %d)", name, rec.Offset, rec.DB, len(s.dbs))
			}
		case rdb.KindKey:
			if rec.DB >= len(s.dbs) {
				return fmt.Errorf("embedis: loading snapshot %s: byte offset %d: database %d out of range (the store has %d)", name, rec.Offset, rec.DB, len(s.dbs))
			}
			if rec.Meta.HasExpire && rec.Meta.ExpireMs <= now {
				expired++
				continue
			}
			v, err := rdbToEntry(rec.Value, rec.Type, s.limits)
			if err != nil {
				return fmt.Errorf("embedis: loading snapshot %s: key %q at byte offset %d: %w", name, rec.Key, rec.Offset, err)
			}
			var exp int64
			if rec.Meta.HasExpire {
				exp = rec.Meta.ExpireMs
			}
			e := s.loadKey(s.dbs[rec.DB], rec.Key, v, exp)
			e.access = now
			loaded++
		}
	}
	s.persist.loadedKeys, s.persist.expiredOnLoad = loaded, expired
	return nil
}

// usedMemory is used-mem for a snapshot's header.
func usedMemory() int64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// openBackendSink returns the function that creates the snapshot in the
// backend, run on the writer goroutine.
func (s *Store) openBackendSink() func() (snapSink, error) {
	b, name := s.persist.backend, s.persist.name
	return func() (snapSink, error) {
		w, err := b.Create()
		if err != nil {
			return nil, fmt.Errorf("embedis: snapshot %s: %w", name, err)
		}
		return backendSink{w}, nil
	}
}

// saveSync is SAVE: a snapshot written to the backend while the executor
// waits. Executor only.
func (s *Store) saveSync() error {
	p := &s.persist
	if p.backend == nil {
		return ErrNoSnapshots
	}
	if p.job != nil {
		return ErrSaveInProgress
	}
	j := s.startSnapshot(s.openBackendSink(), true)
	err := j.runToEnd()
	s.recordSave(j, err, false)
	return err
}

// startBGSave starts a background save to the backend. Executor only.
func (s *Store) startBGSave() error {
	p := &s.persist
	if p.backend == nil {
		return ErrNoSnapshots
	}
	if p.job != nil {
		return ErrSaveInProgress
	}
	p.scheduled = false
	p.lastTry = s.opts.Clock.Now()
	p.job = s.startSnapshot(s.openBackendSink(), false)
	return nil
}

// recordSave updates the save status after j ended with err. A
// successful save, foreground or background, resets the change count and
// clears a failed background save's MISCONF, as in Redis; a failed SAVE
// changes neither.
func (s *Store) recordSave(j *snapshotJob, err error, background bool) {
	p := &s.persist
	now := s.opts.Clock.Now()
	if background {
		p.lastBgsaveDur = int64(now.Sub(j.startedAt) / time.Second)
		p.lastBGResult = err
	}
	if err == nil {
		p.lastSave = now
		p.dirtyAtSave = j.dirtyAtStart
		p.bgsaveErr = nil
		p.saves++
		return
	}
	if background && !errors.Is(err, errSnapshotAborted) {
		p.bgsaveErr = err
	}
}

// snapStep advances the background snapshot, if any: a slice of keys,
// or, once the writer has finished, the status. It reports whether it did
// work. Executor only.
func (s *Store) snapStep() bool {
	j := s.persist.job
	if j == nil {
		return false
	}
	if !j.detached {
		return j.safeSlice()
	}
	select {
	case <-j.done:
	default:
		return false
	}
	s.persist.job = nil
	if !j.external {
		s.recordSave(j, j.result(), true)
	}
	return true
}

// safeSlice is j.slice, with a panic (a bug in the snapshot code, which
// runs outside any command) failing the snapshot instead of the process.
// The dataset itself is not changed by a slice, so the store keeps
// serving.
func (j *snapshotJob) safeSlice() (work bool) {
	defer func() {
		if p := recover(); p != nil {
			j.failNow(fmt.Errorf("embedis: snapshot: internal error: %v\n%s", p, debug.Stack()))
			work = true
		}
	}()
	return j.slice()
}

// snapWait returns the channels the idle executor waits on for the
// snapshot: room in the writer's queue, and the writer's end (nil when
// there is nothing to wait for).
func (s *Store) snapWait() (kick, done <-chan struct{}) {
	j := s.persist.job
	if j == nil {
		return nil, nil
	}
	if j.detached {
		return nil, j.done
	}
	return j.kick, nil
}

// persistCron runs the save rules and a scheduled BGSAVE. Executor only.
func (s *Store) persistCron() {
	p := &s.persist
	if p.job != nil || p.backend == nil {
		return
	}
	now := s.opts.Clock.Now()
	if p.scheduled {
		_ = s.startBGSave()
		return
	}
	changes := s.stats.dirty - p.dirtyAtSave
	for _, r := range p.rules {
		if changes >= r.Changes && now.Sub(p.lastSave) >= r.After &&
			(p.bgsaveErr == nil || now.Sub(p.lastTry) >= bgsaveRetryDelay) {
			_ = s.startBGSave()
			return
		}
	}
}

// persistStop aborts a snapshot in progress; the executor is exiting.
func (s *Store) persistStop() {
	if j := s.persist.job; j != nil && !j.detached {
		j.abort()
	}
}

// denyWrites reports whether write commands get MISCONF: the last
// background save failed, save rules are set and
// stop-writes-on-bgsave-error is yes (Redis's
// writeCommandsDeniedByDiskError).
func (s *Store) denyWrites() bool {
	p := &s.persist
	return p.bgsaveErr != nil && len(p.rules) > 0 && s.configValues()["stop-writes-on-bgsave-error"] == "yes"
}

// misconf reports whether cmd is refused with MISCONF: after a failed
// background save, writes (and PING, as in Redis) are refused until a save
// succeeds. The dispatcher calls it before MULTI queues a command, so a
// refused command aborts the transaction as in Redis.
//
// A script's redis.call of a write gets MISCONF too (Redis's
// scriptVerifyWriteCommandAllow), but not a PING: that check is only
// the client's.
func (s *Store) misconf(cl *client, cmd *command) bool {
	_, inScript := cl.conn.(*scriptConn)
	write := cmd.flags&flagWrite != 0 || (cmd.name == "ping" && !inScript)
	if !write && cmd.name == "exec" {
		// EXEC counts as a write when it would run one (Redis's
		// is_write_command), and is then aborted with EXECABORT.
		if t := txOf(cl); t != nil && t.active {
			for _, q := range t.queue {
				write = write || q.cmd.flags&flagWrite != 0
			}
		}
	}
	return write && s.denyWrites()
}

// ---- save rules in CONFIG ----

// parseSavePoints parses CONFIG SET save's value: pairs of seconds and
// changes, or "" for none.
func parseSavePoints(v string) ([]SavePoint, bool) {
	f := strings.Fields(v)
	if len(f)%2 != 0 {
		return nil, false
	}
	out := []SavePoint{}
	for i := 0; i < len(f); i += 2 {
		sec, err1 := strconv.ParseInt(f[i], 10, 64)
		ch, err2 := strconv.ParseInt(f[i+1], 10, 64)
		if err1 != nil || err2 != nil || sec < 0 || ch < 0 {
			return nil, false
		}
		out = append(out, SavePoint{After: time.Duration(sec) * time.Second, Changes: ch})
	}
	return out, true
}

// ParseSavePoints parses save rules written as redis.conf and CONFIG SET
// save write them: pairs of seconds and changes, "3600 1 300 100". An
// empty string is no rules (a non-nil empty slice, which
// Options.SavePoints reads as "none").
func ParseSavePoints(v string) ([]SavePoint, error) {
	p, ok := parseSavePoints(v)
	if !ok {
		return nil, fmt.Errorf("%w: invalid save parameters %q: want pairs of seconds and changes", ErrInvalidOptions, v)
	}
	return p, nil
}

// formatSavePoints is CONFIG GET save's value.
func formatSavePoints(rules []SavePoint) string {
	var b strings.Builder
	for i, r := range rules {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatInt(int64(r.After/time.Second), 10))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(r.Changes, 10))
	}
	return b.String()
}

// persistConfig fills the parameters the snapshot options decide.
func (s *Store) persistConfig(cfg map[string]string) {
	cfg["save"] = formatSavePoints(s.persist.rules)
	if s.opts.Dir != "" {
		if abs, err := filepath.Abs(s.opts.Dir); err == nil {
			cfg["dir"] = abs
		}
	}
	cfg["dbfilename"] = s.opts.DBFilename
}

// ---- commands ----

func init() {
	register(
		&command{name: "save", arity: 1, flags: flagAdmin | flagNoScript | flagNoAsyncLoading | flagNoMulti, acl: []string{"admin", "slow", "dangerous"}, handler: cmdSave},
		&command{name: "bgsave", arity: -1, flags: flagAdmin | flagNoScript | flagNoAsyncLoading, acl: []string{"admin", "slow", "dangerous"}, handler: cmdBGSave},
		&command{name: "lastsave", arity: 1, flags: flagLoading | flagStale | flagFast, acl: []string{"admin", "fast", "dangerous"}, handler: cmdLastSave},
	)
}

func cmdSave(c *call) Value {
	err := c.s.saveSync()
	var e *Error
	if errors.As(err, &e) {
		return errValue(e)
	}
	if err != nil {
		return errSaveFailed
	}
	return okValue
}

func cmdBGSave(c *call) Value {
	// SCHEDULE matters in Redis when another kind of child (an AOF
	// rewrite) runs; embedis has none, so it only has to be valid.
	if len(c.args) > 1 && (len(c.args) != 2 || !eqFold(c.args[1], "schedule")) {
		return errSyntax
	}
	p := &c.s.persist
	if p.backend == nil {
		return errValue(ErrNoSnapshots)
	}
	if p.job != nil && !p.job.external {
		return errValue(ErrSaveInProgress)
	}
	// Inside MULTI the save waits for the transaction's end, as Redis's
	// does: started here, it would capture the keys the transaction
	// changes later as their pre-images and the others as they are now,
	// a state between two commands of one atomic unit that nobody saw.
	// A WriteSnapshot in progress delays it too (SCHEDULE or not).
	if c.multi || p.job != nil {
		p.scheduled = true
		return SimpleValue("Background saving scheduled")
	}
	if err := c.s.startBGSave(); err != nil {
		return errSaveFailed
	}
	return SimpleValue("Background saving started")
}

func cmdLastSave(c *call) Value { return IntValue(c.s.persist.lastSave.Unix()) }

// debugReload is DEBUG RELOAD: save, empty every database and the
// function libraries, and load the snapshot back. Without a backend the
// snapshot goes through memory. A background save in progress is
// finished first.
func (s *Store) debugReload(now int64) Value {
	if j := s.persist.job; j != nil {
		_ = j.runToEnd()
		s.snapStep()
	}
	var buf bytes.Buffer
	var err error
	if s.persist.backend != nil {
		err = s.saveSync()
	} else {
		j := s.startSnapshot(func() (snapSink, error) { return writerSink{&buf}, nil }, true)
		err = j.runToEnd()
	}
	if err != nil {
		return ErrorValue("ERR Error trying to save the DB")
	}
	var src io.Reader = &buf
	if s.persist.backend != nil {
		r, err := s.persist.backend.Open()
		if err != nil {
			return ErrorValue("ERR Error trying to load the RDB dump, check server logs.")
		}
		defer r.Close()
		src = r
	}
	s.emptyData(now)
	if err := s.loadSnapshot(src, "DEBUG RELOAD"); err != nil {
		return ErrorValue("ERR Error trying to load the RDB dump, check server logs.")
	}
	s.persist.dirtyAtSave = s.stats.dirty
	return okValue
}

// emptyData empties every database and the function libraries, as a
// whole-database change of each (WATCH, blocked clients).
func (s *Store) emptyData(now int64) {
	for _, d := range s.dbs {
		s.beforeChangeDB(d)
		d.keys, d.expires = new(dict.Dict[entry]), new(dict.Dict[struct{}])
		s.afterChangeDB(d, now)
	}
	if e := s.script.engine.Load(); e != nil {
		e.FunctionFlush()
	}
}

// checkPersistInvariants: the pre-image hook and the epoch are installed
// exactly while a snapshot's executor side runs, so that no write pays
// for a snapshot that is over and none escapes one that is not.
func (s *Store) checkPersistInvariants() error {
	j := s.persist.job
	running := j != nil && !j.detached
	if running != (s.observer != nil) || running != (s.snapEpoch != 0) {
		return fmt.Errorf("snapshot running %v, but observer set %v and epoch %d", running, s.observer != nil, s.snapEpoch)
	}
	if running && s.snapEpoch != j.epoch {
		return fmt.Errorf("snapshot epoch %d, store epoch %d", j.epoch, s.snapEpoch)
	}
	return nil
}

// ---- INFO persistence ----

func (s *Store) infoPersistence(f func(string, any)) {
	p := &s.persist
	now := s.opts.Clock.Now()
	inProgress, cur := 0, int64(-1)
	var keysDone, keysTotal int64
	if j := p.job; j != nil && !j.external {
		inProgress, cur = 1, int64(now.Sub(j.startedAt)/time.Second)
		keysDone, keysTotal = j.keysDone, j.keysTotal
	}
	status := "ok"
	if p.bgsaveErr != nil {
		status = "err"
	}
	f("loading", 0)
	f("async_loading", 0)
	f("current_cow_peak", 0)
	f("current_cow_size", 0)
	f("current_cow_size_age", 0)
	f("current_fork_perc", "0.00")
	f("current_save_keys_processed", keysDone)
	f("current_save_keys_total", keysTotal)
	f("rdb_changes_since_last_save", s.stats.dirty-p.dirtyAtSave)
	f("rdb_bgsave_in_progress", inProgress)
	f("rdb_last_save_time", p.lastSave.Unix())
	f("rdb_last_bgsave_status", status)
	f("rdb_last_bgsave_time_sec", p.lastBgsaveDur)
	f("rdb_current_bgsave_time_sec", cur)
	f("rdb_saves", p.saves)
	f("rdb_last_cow_size", 0)
	f("rdb_last_load_keys_expired", p.expiredOnLoad)
	f("rdb_last_load_keys_loaded", p.loadedKeys)
}

// ---- Go API ----

// Save writes a snapshot to the store's backend now, as SAVE does: every
// command waits until it is written and committed. It returns
// ErrNoSnapshots without a backend, ErrSaveInProgress while a background
// save runs, and otherwise the error of the write or commit, naming the
// file and step.
func (s *Store) Save(ctx context.Context) error {
	var err error
	if e := s.onExecutor(ctx, func(s *Store) { err = s.saveSync() }); e != nil {
		return e
	}
	return err
}

// BGSave starts a point-in-time snapshot to the store's backend, as
// BGSAVE does, and returns once it has started; commands keep running
// while it is written. Use WaitBGSave for its outcome. It returns
// ErrNoSnapshots without a backend and ErrSaveInProgress while another
// runs.
func (s *Store) BGSave(ctx context.Context) error {
	var err error
	if e := s.onExecutor(ctx, func(s *Store) { err = s.startBGSave() }); e != nil {
		return e
	}
	return err
}

// WaitBGSave waits for the background save in progress, if any, and
// returns the error of the last background save (BGSAVE, BGSave or a save
// rule): nil when it succeeded or none has run.
func (s *Store) WaitBGSave(ctx context.Context) error {
	var j *snapshotJob
	var last error
	if e := s.onExecutor(ctx, func(s *Store) {
		if s.persist.job != nil && !s.persist.job.external {
			j = s.persist.job
		}
		last = s.persist.lastBGResult
	}); e != nil {
		return e
	}
	if j == nil {
		return last
	}
	select {
	case <-j.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	// The status is recorded by the executor; this makes sure it has
	// been before returning, so LASTSAVE and INFO agree with the result.
	if e := s.onExecutor(ctx, func(s *Store) {
		if s.persist.job == j {
			s.snapStep()
		}
	}); e != nil {
		return e
	}
	return j.result()
}

// LastSave returns the time of the last successful save (LASTSAVE), or
// when the store opened if none has succeeded.
func (s *Store) LastSave(ctx context.Context) (time.Time, error) {
	var t time.Time
	err := s.onExecutor(ctx, func(s *Store) { t = s.persist.lastSave })
	return t, err
}

// WriteSnapshot writes a point-in-time RDB snapshot of the whole store to
// w (the same file SAVE writes, readable by redis-server 7.0 and by
// LoadSnapshot or Options.LoadFrom). Commands keep running while it is
// written: the snapshot is of the moment it started. A background save in
// progress is waited for first. It does not change LASTSAVE or the save
// status.
func (s *Store) WriteSnapshot(ctx context.Context, w io.Writer) error {
	for {
		var j, busy *snapshotJob
		if e := s.onExecutor(ctx, func(s *Store) {
			if busy = s.persist.job; busy != nil {
				return
			}
			j = s.startSnapshot(func() (snapSink, error) { return writerSink{w}, nil }, false)
			j.external = true
			s.persist.job = j
		}); e != nil {
			return e
		}
		if j != nil {
			// The writer holds w until done: wait even if ctx ends, so
			// that w is not written after return.
			<-j.done
			_ = s.onExecutor(context.Background(), func(s *Store) {
				if s.persist.job == j {
					s.snapStep()
				}
			})
			return j.result()
		}
		select {
		case <-busy.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// LoadSnapshot replaces the whole dataset (every database and the
// function libraries) with the RDB snapshot read from r, as DEBUG RELOAD's
// load does; commands wait while it loads. On a format error (which names
// the byte offset) the store is left with the keys loaded so far.
func (s *Store) LoadSnapshot(ctx context.Context, r io.Reader) error {
	var err error
	if e := s.onExecutor(ctx, func(s *Store) {
		if j := s.persist.job; j != nil {
			j.abort()
			<-j.done
			s.snapStep()
		}
		now := s.opts.Clock.Now().UnixMilli()
		s.emptyData(now)
		err = s.loadSnapshot(r, "LoadSnapshot")
	}); e != nil {
		return e
	}
	return err
}

// saveOnClose is Close's final save: with a backend and save rules, and
// changes since the last save, a SAVE (Redis's SHUTDOWN saves when save
// points are set). A store whose executor is held by a running script is
// not saved: waiting could hang Close.
func (s *Store) saveOnClose() error {
	if s.persist.backend == nil || s.script.active.Load() {
		return nil
	}
	var err error
	e := s.onExecutor(context.Background(), func(s *Store) {
		p := &s.persist
		if len(p.rules) == 0 || s.stats.dirty == p.dirtyAtSave || s.broken != nil {
			return
		}
		if j := p.job; j != nil {
			j.abort()
			<-j.done
			s.snapStep()
		}
		if err = s.saveSync(); err != nil {
			err = fmt.Errorf("embedis: saving on Close: %w", err)
		}
	})
	if e != nil && !errors.Is(e, ErrClosed) {
		return e
	}
	return err
}
