package embedis

import (
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/embedis/embedis/internal/dict"
	"github.com/embedis/embedis/internal/zindex"
	"github.com/embedis/embedis/persist/rdb"
)

// Point-in-time snapshots without fork.
//
// Redis forks for BGSAVE: the child sees the dataset frozen at the fork
// and the kernel copies pages the parent then writes. A Go process cannot
// fork, and copying the dataset up front would double memory and stall
// the executor for as long as the copy takes. So a snapshot here is
// incremental and copy-on-write at the granularity of a key:
//
//   - Start (on the executor, O(databases)): epoch E = ++counter,
//     s.snapEpoch = E, the snapshot becomes s.observer, every database's
//     table is pinned (a pinned dict.Dict never shrinks, so a scan of it
//     spread over many requests returns each key at most once), and the
//     function libraries' code is captured (it is small).
//   - Slices: between requests (after every batch the executor serves,
//     and in a loop while it is idle) the executor serializes a bounded
//     slice of keys: it scans the current database's table from its
//     cursor and, for every entry with e.snap != E, converts the value to
//     an rdb value (strings are shared: Go strings are immutable), sets
//     e.snap = E and queues the record for the writer goroutine.
//   - Pre-images: every change to a key passes s.beforeChange first
//     (mutate.go). If the key holds a value with e.snap != E, the
//     snapshot converts it now, while it still holds its value at the
//     start, and sets e.snap = E. Keys created after the start get
//     e.snap = E where they are created (db.put, placeIn), so neither
//     the scan nor the hook writes them.
//   - Whole tables: FLUSHDB and FLUSHALL replace a database's table by a
//     new one, SWAPDB exchanges two tables. The snapshot tracks the tables
//     it started from by identity (table -> database number at start): it
//     keeps scanning an old table after a flush (nobody mutates it any
//     more), and a pre-image taken from the table now at database d goes
//     under the database number that table had at the start.
//
// So each key that existed at the start is written exactly once, with its
// value at the start, whatever order the scan and the commands reach it
// in; without the pre-image hook the interleaving "the scan has not
// reached k; LPUSH k x; the scan writes k with x" would produce a
// snapshot that never existed.
//
// File order. An RDB groups each database's keys after its SELECTDB, so
// the snapshot serializes one database at a time, in number order. A
// pre-image of the database being serialized goes straight to the output;
// one of a later database is buffered in memory until that database's
// turn (a database before the current one has no key left without the
// epoch). The buffer is bounded by what the commands change during the
// save: at worst each key of the later databases once, as pointers to its
// strings.
//
// Large values. A list, set, hash or sorted set with more than
// snapChunkMin elements (in its hash-table or skiplist form) is written
// in chunks across slices with the rdb Writer's Begin/Add/End calls, so
// one huge key does not stall the executor. While a chunked value is in
// progress, pre-images of the same database are buffered (they cannot be
// interleaved inside a value) and go out after its end. If a command is
// about to change the value being chunked, the snapshot first emits all
// its remaining elements, at once: the cost is bounded by one pointer
// copy per remaining element. Two costs stay proportional to one value
// and are paid in one slice: a big list's quicklist node count, which the
// file declares before the elements (one pass over the element lengths,
// no copy: some milliseconds for ten million elements), and a stream,
// which is converted whole.
//
// Off the executor. Encoding, LZF compression, the CRC64 and the I/O run
// on a writer goroutine that receives records in batches through a
// bounded channel. The executor never blocks on it during BGSAVE: when
// the channel is full the slice stops and the writer wakes the executor
// when it has taken a batch. SAVE uses the same path and blocks.

// snapChunkMin is the number of elements above which a collection is
// written in chunks; snapChunkStep is the number of elements per Add.
const (
	snapChunkMin  = 1024
	snapChunkStep = 512
	// snapSliceBudget bounds the work of one slice, in keys plus
	// elements, and snapSliceTime its duration (checked every
	// snapTimeCheck steps): a slice runs between two requests, so its
	// length is added to a waiting command's latency. Keys scattered in
	// a large heap cost up to a microsecond each in cache misses, so
	// the time bound is usually the one that ends a slice.
	snapSliceBudget = 1000
	snapSliceTime   = 50 * time.Microsecond
	snapTimeCheck   = 16
	// snapBatchRecs is the number of records handed to the writer at
	// once; snapQueueLen the number of batches in flight.
	snapBatchRecs = 256
	snapQueueLen  = 16
)

// snapOp says what a snapRec asks the writer goroutine to do.
type snapOp uint8

const (
	recKey    snapOp = iota // WriteKey(key, val, meta)
	recSelect               // SelectDB(db, n, nexp)
	recBegin                // Begin<typ>(key, n, meta)
	recAdd                  // Add<typ>(val)
	recEnd                  // EndValue
)

// snapRec is one item for the writer goroutine. The values it holds share
// the store's strings, which are immutable, and nothing else.
type snapRec struct {
	op      snapOp
	typ     valueType // of recBegin and recAdd
	db      int
	n, nexp uint64
	key     string
	val     rdb.Value
	meta    rdb.KeyMeta
}

// snapSink is where a snapshot's bytes go: a backend's snapshot writer,
// or a caller's io.Writer (WriteSnapshot).
type snapSink interface {
	io.Writer
	Commit() error
	Abort() error
}

// snapDB is the state of one database of a snapshot, by its number at the
// start.
type snapDB struct {
	keys          *dict.Dict[entry] // the table at the start
	size, expires uint64            // its counts at the start (RESIZEDB)
	cursor        uint64
	begun, done   bool
	// pending are pre-images of this database captured before its turn
	// (or during a chunked value), in capture order.
	pending []snapRec
}

// snapshotJob is a point-in-time snapshot in progress. Its fields are
// owned by the executor goroutine except where marked.
type snapshotJob struct {
	s     *Store
	epoch uint32
	// tables maps every table the snapshot started from to its database
	// number at the start (see "Whole tables" above).
	tables map[*dict.Dict[entry]]int
	dbs    []snapDB
	cur    int // the database being serialized; len(dbs) once all are
	// stash holds entries a scan step returned, stash[stashAt:] not yet
	// processed (a scan returns a whole bucket; a chunked value can
	// interrupt it). An index rather than reslicing, so the array is
	// reused once drained instead of growing and copying.
	stash   []stashed
	stashAt int
	chunk   *snapChunk
	batch   []snapRec
	// detached is set once the executor side is over: tables unpinned,
	// observer and epoch cleared, out closed.
	detached bool
	sync     bool // SAVE: sends block instead of ending the slice
	// external marks a WriteSnapshot: it does not count as a save.
	external bool
	budget   int

	// keysTotal and keysDone feed INFO's current_save_keys_*.
	keysTotal, keysDone int64
	dirtyAtStart        int64
	startedAt           time.Time

	// out carries batches to the writer goroutine; kick (capacity 1) is
	// the writer's "I took a batch" to an executor waiting for room.
	out  chan []snapRec
	kick chan struct{}
	// free returns emptied batches from the writer for reuse, so a save
	// of a million keys does not allocate thousands of batch arrays.
	free chan []snapRec
	// done is closed by the writer goroutine when it has finished; werr
	// (written by the writer before the close) is its result, ferr the
	// executor's reason for failing the snapshot (written before out is
	// closed, so before done). Read both only after done.
	done chan struct{}
	werr error
	ferr error
	// cfg is the encoding configuration, fixed at the start.
	cfg rdb.Config
	// failed is set by the writer on its first error, so the executor
	// stops serializing early; aborted by the executor to make the
	// writer discard the snapshot.
	failed  atomic.Bool
	aborted atomic.Bool
}

type stashed struct {
	key string
	e   *entry
}

// snapChunk is a value being written in chunks.
type snapChunk struct {
	key  string
	e    *entry
	typ  valueType
	pos  int          // next element of a list or set
	node *zindex.Node // next member of a sorted set (highest score first)
	// hcursor is the scan cursor of a hash table; hbegun tells its
	// first call from the end.
	hcursor uint64
	hbegun  bool
	n       int // total elements
}

// errSnapshotAborted is the result of a snapshot cut short by Close or by
// a DEBUG RELOAD that took over.
var errSnapshotAborted = errors.New("embedis: snapshot aborted")

// startSnapshot begins a point-in-time snapshot into sink (created by
// open on the writer goroutine). Executor only; no other snapshot may be
// in progress.
func (s *Store) startSnapshot(open func() (snapSink, error), sync bool) *snapshotJob {
	s.persist.epochs++
	if s.persist.epochs == 0 { // wrapped: 0 means "none"
		s.persist.epochs = 1
	}
	j := &snapshotJob{
		s:            s,
		epoch:        s.persist.epochs,
		tables:       make(map[*dict.Dict[entry]]int, len(s.dbs)),
		dbs:          make([]snapDB, len(s.dbs)),
		cur:          -1,
		sync:         sync,
		budget:       s.persist.sliceBudget,
		dirtyAtStart: s.stats.dirty,
		startedAt:    s.opts.Clock.Now(),
		out:          make(chan []snapRec, snapQueueLen),
		kick:         make(chan struct{}, 1),
		free:         make(chan []snapRec, snapQueueLen+1),
		done:         make(chan struct{}),
	}
	if j.budget <= 0 {
		j.budget = snapSliceBudget
	}
	for i, d := range s.dbs {
		d.keys.Pin()
		j.tables[d.keys] = i
		j.dbs[i] = snapDB{keys: d.keys, size: uint64(d.keys.Len()), expires: uint64(d.expires.Len())}
		j.keysTotal += int64(d.keys.Len())
	}
	s.snapEpoch = j.epoch
	s.observer = j
	var funcs []string
	if e := s.script.engine.Load(); e != nil {
		funcs = e.LibraryCodes()
	}
	j.cfg = s.rdbConfig()
	hdr := rdb.Header{CTime: j.startedAt.Unix(), UsedMem: usedMemory()}
	go j.write(open, hdr, funcs, j.cfg)
	j.nextDB()
	return j
}

// nextDB moves to the next database that had keys at the start, emitting
// its SELECTDB and the pre-images buffered for it.
func (j *snapshotJob) nextDB() {
	for j.cur++; j.cur < len(j.dbs); j.cur++ {
		d := &j.dbs[j.cur]
		if d.size == 0 {
			continue
		}
		d.begun = true
		j.emit(snapRec{op: recSelect, db: j.cur, n: d.size, nexp: d.expires})
		j.flushPending()
		return
	}
}

// flushPending emits the buffered pre-images of the current database.
func (j *snapshotJob) flushPending() {
	d := &j.dbs[j.cur]
	for _, r := range d.pending {
		j.emit(r)
	}
	d.pending = nil
}

func (j *snapshotJob) emit(r snapRec) {
	if j.batch == nil {
		select {
		case j.batch = <-j.free:
		default:
			j.batch = make([]snapRec, 0, snapBatchRecs)
		}
	}
	j.batch = append(j.batch, r)
}

// beforeKey implements changeObserver: the pre-image hook.
func (j *snapshotJob) beforeKey(d *db, key string) {
	idx, ok := j.tables[d.keys]
	if !ok {
		return // a table created after the start: every key in it is new
	}
	e := d.keys.Get(key)
	if e == nil {
		return
	}
	if e.snap == j.epoch {
		if j.chunk != nil && j.chunk.e == e {
			j.finishChunk() // it is about to change: write the rest now
		}
		return
	}
	e.snap = j.epoch
	j.keysDone++
	rec := keyRecord(key, e)
	switch {
	case idx == j.cur && j.chunk == nil:
		j.emit(rec)
	case idx >= j.cur:
		j.dbs[idx].pending = append(j.dbs[idx].pending, rec)
	default:
		// A database already serialized has no key without the epoch;
		// writing this one would break the file's grouping. Fail the
		// snapshot rather than write a wrong one.
		j.failNow(fmt.Errorf("embedis: snapshot: key %q of database %d changed after its database was written", key, idx))
	}
}

// beforeDB implements changeObserver. FLUSHDB, FLUSHALL and SWAPDB
// replace or exchange whole tables and never change the old ones, which
// the snapshot keeps by identity, so there is nothing to capture.
func (j *snapshotJob) beforeDB(d *db) {}

// keyRecord converts a key's whole value.
func keyRecord(key string, e *entry) snapRec {
	v, meta := entryToRDB(e)
	return snapRec{op: recKey, key: key, val: v, meta: meta}
}

// chunkable reports whether e is written in chunks, and its length.
func chunkable(e *entry) (int, bool) {
	switch e.typ {
	case typeList:
		n := e.obj.(*list).len()
		return n, n > snapChunkMin
	case typeSet:
		s := e.obj.(*setType)
		return s.len(), s.ht && s.len() > snapChunkMin
	case typeHash:
		h := e.obj.(*hashType)
		return h.len(), h.ht != nil && h.len() > snapChunkMin
	case typeZSet:
		z := e.obj.(*zsetType)
		return z.len(), z.skiplist && z.len() > snapChunkMin
	}
	return 1, false
}

// slice serializes up to the budget; it reports whether it did any work.
// Executor only.
func (j *snapshotJob) slice() bool {
	if j.detached {
		return false
	}
	if j.failed.Load() {
		j.detach()
		return true
	}
	if !j.handOff() && !j.sync {
		return false // the writer is behind; it kicks us when it is not
	}
	work := false
	var deadline time.Time
	if !j.sync {
		deadline = time.Now().Add(snapSliceTime)
	}
	for budget, steps := j.budget, 0; budget > 0; steps++ {
		if !j.sync && steps%snapTimeCheck == snapTimeCheck-1 && time.Now().After(deadline) {
			break
		}
		work = true
		switch {
		case j.chunk != nil:
			budget -= j.advanceChunk(snapChunkStep)
		case j.stashAt < len(j.stash):
			st := j.stash[j.stashAt]
			j.stash[j.stashAt] = stashed{}
			if j.stashAt++; j.stashAt == len(j.stash) {
				j.stash, j.stashAt = j.stash[:0], 0
			}
			budget -= j.process(st.key, st.e)
		case j.cur < len(j.dbs):
			d := &j.dbs[j.cur]
			if d.begun && d.cursor == 0 && d.done {
				j.nextDB()
				continue
			}
			d.cursor = d.keys.Scan(d.cursor, func(key string, e *entry) {
				if e.snap != j.epoch {
					j.stash = append(j.stash, stashed{key, e})
				}
			})
			if d.cursor == 0 {
				d.done = true
			}
			budget--
		default:
			// All written: hand off the last batch without blocking
			// (when the writer is behind, wait for its kick), then end.
			if !j.handOff() {
				return work
			}
			j.detach()
			return true
		}
		if len(j.batch) >= snapBatchRecs && !j.handOff() && !j.sync {
			return true
		}
	}
	j.handOff()
	return work
}

// process writes one scanned entry unless it was written meanwhile; it
// returns the work done.
func (j *snapshotJob) process(key string, e *entry) int {
	if e.snap == j.epoch {
		return 1
	}
	e.snap = j.epoch
	j.keysDone++
	n, big := chunkable(e)
	if !big {
		j.emit(keyRecord(key, e))
		return 1 + n
	}
	j.chunk = &snapChunk{key: key, e: e, typ: e.typ, n: n}
	var meta rdb.KeyMeta
	if e.expire != 0 {
		meta.ExpireMs, meta.HasExpire = e.expire, true
	}
	begin := snapRec{op: recBegin, typ: e.typ, key: key, n: uint64(n), meta: meta}
	switch e.typ {
	case typeList:
		// The writer must declare the quicklist's node count first: one
		// pass over the element lengths (no copy).
		l := e.obj.(*list)
		begin.n = j.cfg.ListNodes(func(yield func(string) bool) {
			for i := 0; i < l.len(); i++ {
				if !yield(l.d.At(i)) {
					return
				}
			}
		})
	case typeZSet:
		j.chunk.node = e.obj.(*zsetType).zsl.Last()
	case typeHash:
		// A table in the middle of a rehash could return keys twice to
		// a scan that spans a shrink; finish it first. While the value
		// is chunked nothing changes it (the hook finishes the chunk
		// before any change), so no rehash starts.
		ht := e.obj.(*hashType).ht
		for ht.Rehashing() {
			ht.RehashSteps(1 << 20)
		}
	}
	j.emit(begin)
	return 1 + j.advanceChunk(snapChunkStep)
}

// advanceChunk emits up to max elements of the chunked value, and its end
// when they are all out; it returns the number emitted.
func (j *snapshotJob) advanceChunk(max int) int {
	c := j.chunk
	rec := snapRec{op: recAdd, typ: c.typ}
	n := 0
	switch c.typ {
	case typeList:
		l := c.e.obj.(*list)
		end := min(c.pos+max, l.len())
		rec.val = rdb.List(l.d.AppendTo(make([]string, 0, end-c.pos), c.pos, end))
		n = end - c.pos
		c.pos = end
		if c.pos == l.len() {
			c.n = 0
		}
	case typeSet:
		st := c.e.obj.(*setType)
		end := min(c.pos+max, st.len())
		out := make(rdb.Set, 0, end-c.pos)
		for i := c.pos; i < end; i++ {
			out = append(out, st.at(i))
		}
		rec.val, n, c.pos = out, end-c.pos, end
		if c.pos == st.len() {
			c.n = 0
		}
	case typeZSet:
		out := make(rdb.ZSet, 0, min(max, c.n))
		for ; c.node != nil && len(out) < max; c.node = c.node.Prev() {
			out = append(out, rdb.ZMember{Member: c.node.Member, Score: c.node.Score})
		}
		rec.val, n = out, len(out)
		if c.node == nil {
			c.n = 0
		}
	case typeHash:
		ht := c.e.obj.(*hashType).ht
		var out rdb.Hash
		for len(out) < max && !(c.hbegun && c.hcursor == 0) {
			c.hbegun = true
			c.hcursor = ht.Scan(c.hcursor, func(f string, v *string) {
				out = append(out, rdb.HashField{Field: f, Value: *v})
			})
		}
		rec.val, n = out, len(out)
		if c.hcursor == 0 {
			c.n = 0
		}
	}
	if n > 0 {
		j.emit(rec)
	}
	if c.n == 0 {
		j.emit(snapRec{op: recEnd})
		j.chunk = nil
		j.flushPending()
	}
	if n == 0 {
		return 1
	}
	return n
}

// finishChunk emits everything left of the chunked value.
func (j *snapshotJob) finishChunk() {
	for j.chunk != nil {
		j.advanceChunk(1 << 30)
	}
}

// handOff passes the current batch to the writer; it reports false when
// the writer's queue is full (never in sync mode, where it waits).
func (j *snapshotJob) handOff() bool {
	if len(j.batch) == 0 {
		return true
	}
	if j.sync {
		j.out <- j.batch
		j.batch = nil
		return true
	}
	select {
	case j.out <- j.batch:
		j.batch = nil
		return true
	default:
		return false
	}
}

// failNow ends the executor side of a snapshot that cannot be written
// correctly; the writer discards it.
func (j *snapshotJob) failNow(err error) {
	if j.ferr == nil {
		j.ferr = err
	}
	j.aborted.Store(true)
	j.detach()
}

// abort ends the snapshot without committing it (Close, DEBUG RELOAD).
func (j *snapshotJob) abort() {
	j.aborted.Store(true)
	j.detach()
}

// detach ends the executor side: the remaining batch goes out (blocking:
// the writer is draining), the tables are unpinned and the hook removed.
func (j *snapshotJob) detach() {
	if j.detached {
		return
	}
	j.detached = true
	if len(j.batch) > 0 && !j.aborted.Load() && !j.failed.Load() {
		j.out <- j.batch
	}
	j.batch, j.stash, j.stashAt, j.chunk = nil, nil, 0, nil
	close(j.out)
	for t := range j.tables {
		t.Unpin()
	}
	j.tables = nil
	for i := range j.dbs {
		j.dbs[i] = snapDB{}
	}
	s := j.s
	if s.observer == changeObserver(j) {
		s.observer = nil
		s.snapEpoch = 0
	}
}

// runToEnd drives the snapshot to its end on the executor and waits for
// the writer: SAVE, and a BGSAVE that must finish now.
func (j *snapshotJob) runToEnd() error {
	j.sync = true
	for !j.detached {
		j.slice()
	}
	<-j.done
	return j.result()
}

// result is the writer's outcome, once done is closed.
func (j *snapshotJob) result() error {
	if j.ferr != nil {
		return j.ferr
	}
	if j.werr != nil {
		return j.werr
	}
	if j.aborted.Load() {
		return errSnapshotAborted
	}
	return nil
}

// write is the writer goroutine: it encodes the records it receives and
// commits the snapshot when out is closed.
func (j *snapshotJob) write(open func() (snapSink, error), hdr rdb.Header, funcs []string, cfg rdb.Config) {
	var err error
	defer func() {
		j.werr = err
		close(j.done)
	}()
	sink, err := open()
	if err != nil {
		j.failed.Store(true)
		for range j.out { // drain until the executor notices
		}
		return
	}
	w := rdb.NewWriter(sink, cfg)
	err = w.WriteHeader(hdr)
	for _, code := range funcs {
		if err == nil {
			err = w.WriteFunction(code)
		}
	}
	for batch := range j.out {
		select {
		case j.kick <- struct{}{}:
		default:
		}
		if err != nil || j.aborted.Load() {
			continue
		}
		for i := range batch {
			if err = writeRec(w, &batch[i]); err != nil {
				j.failed.Store(true)
				break
			}
		}
		if cap(batch) == snapBatchRecs {
			clear(batch) // drop the references to keys and values
			select {
			case j.free <- batch[:0]:
			default:
			}
		}
	}
	if err == nil && j.aborted.Load() {
		err = errSnapshotAborted
	}
	if err == nil {
		err = w.Close()
	}
	if err == nil {
		err = sink.Commit()
		return
	}
	_ = sink.Abort()
}

// writeRec applies one record to the rdb writer.
func writeRec(w *rdb.Writer, r *snapRec) error {
	switch r.op {
	case recKey:
		return w.WriteKey(r.key, r.val, r.meta)
	case recSelect:
		return w.SelectDB(r.db, r.n, r.nexp)
	case recBegin:
		switch r.typ {
		case typeList:
			return w.BeginList(r.key, r.n, r.meta)
		case typeSet:
			return w.BeginSet(r.key, r.n, r.meta)
		case typeHash:
			return w.BeginHash(r.key, r.n, r.meta)
		case typeZSet:
			return w.BeginZSet(r.key, r.n, r.meta)
		}
	case recAdd:
		switch v := r.val.(type) {
		case rdb.List:
			return w.AddElements(v...)
		case rdb.Set:
			return w.AddMembers(v...)
		case rdb.Hash:
			return w.AddFields(v...)
		case rdb.ZSet:
			return w.AddZMembers(v...)
		}
	case recEnd:
		return w.EndValue()
	}
	return fmt.Errorf("embedis: snapshot: bad record %d", r.op)
}
