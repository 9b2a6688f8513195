// Package persist decides where embedis's persistent bytes go: the
// snapshot (an RDB file) and the append log (Redis 7.0's multi-part AOF
// directory). It defines two backend interfaces, implementations on a
// directory and in memory, fault injection for tests, and (in
// persist/persisttest) a conformance suite any backend can run. It knows
// nothing of the formats: the RDB and AOF codecs write through these
// interfaces, and this package imports nothing from embedis.
//
// # Basics
//
// A SnapshotBackend holds point-in-time snapshots. Create returns a
// SnapshotWriter; the snapshot is written through it and becomes the
// latest, whole, when Commit returns, or is discarded by Abort. Open reads
// the latest committed one; List and Remove manage the ones kept.
//
//	w, err := snaps.Create()
//	if err != nil { ... }
//	defer w.Abort() // does nothing after a successful Commit
//	if err := encodeRDB(w); err != nil { return err }
//	info, err := w.Commit()
//
// Implementations: FileSnapshots keeps one file (e.g. dump.rdb) in a
// LogBackend, as Redis does (OpenSnapshotDir for a real directory);
// MemSnapshots keeps every committed snapshot in memory under numbered
// names, as a versioned object store would.
//
// A LogBackend is one flat directory of files, the shape of Redis 7.0's
// appenddirname: a manifest replaced atomically (WriteFileAtomic), a base
// file and incremental files appended to (Create, OpenAppend and
// LogFile.Write) and synced (LogFile.Sync), renamed and removed after a
// rewrite. Implementations: LogDir on a real directory (OpenLogDir) and
// MemLog in memory.
//
// # Durability
//
// "Durable" means the data survives a crash of the machine (power loss),
// not only of the process. What each method promises when it returns
// without error:
//
//   - SnapshotWriter.Write: nothing; the bytes are not visible to Open.
//   - SnapshotWriter.Commit: the snapshot is durable and is the latest.
//     FileSnapshots: fsync of the temporary file, rename over the target,
//     fsync of the directory. Until the rename the previous snapshot is
//     intact; a crash at any step leaves either the previous snapshot or
//     the new one whole, never a mix. If Commit fails after the rename
//     (the directory fsync), the new snapshot is visible but a crash may
//     bring the previous one back: treat the snapshot as not taken.
//   - SnapshotWriter.Abort: nothing is left behind (FileSnapshots removes
//     its temporary file; one left by a crash is ignored and removed by
//     the next NewFileSnapshots or OpenSnapshotDir).
//   - SnapshotBackend.Remove: FileSnapshots syncs the directory, so the
//     removal is durable.
//   - LogBackend.Create, Rename, Remove: visible at once, durable only
//     after the next SyncDir. A crash before it may undo them: a created
//     file may vanish with its content even if it was synced, a renamed
//     file may be back under its old name, a removed file may be back.
//   - LogFile.Write: visible to readers opened afterwards; not durable.
//   - LogFile.Sync: every byte written to the file before it is durable
//     (given a durable directory entry: see SyncDir). This is fsync, the
//     step appendfsync always / everysec pays for.
//   - LogBackend.SyncDir: every Create, Rename and Remove before it is
//     durable (fsync of the directory).
//   - LogBackend.Truncate: the new length is durable.
//   - LogBackend.WriteFileAtomic: the file holds the new content and that
//     is durable (temporary file, fsync, rename, fsync of the directory).
//     A crash at any step leaves the old content or the new, whole.
//
// A failed fsync leaves the file's durable state unknown; code above must
// not retry the fsync and assume the earlier writes are safe (the
// "fsyncgate" lesson): rewrite the data or stop, as Redis does on a failed
// AOF fsync with appendfsync always.
//
// # Concurrency
//
// Backends are safe for concurrent use by several goroutines; each handle
// (LogFile, LogReader, SnapshotWriter, SnapshotReader) is used by one at a
// time. One directory must be used by one process: NewFileSnapshots
// removes temporary files it finds, which would break a second live
// writer, and Redis makes the same assumption.
//
// # Errors
//
// Every error names the file and the step that failed and wraps the cause
// with %w: the operating system's *fs.PathError (so errors.Is(err,
// syscall.ENOSPC) and errors.Is(err, fs.ErrNotExist) work), fs.ErrInvalid
// for a name that is not a plain file name, ErrClosed for a handle used
// after Close, Commit or Abort, ErrCrashed after a simulated crash.
//
// # Testing
//
// MemLog keeps two states: the files as written and what a power loss
// would leave (entries as of the last SyncDir, contents as of each file's
// last Sync). MemLog.Crash drops the difference, so a test can check that
// nothing acknowledged is lost. FaultyLog and FaultySnapshots wrap any
// backend and make the Nth write short, fail with ENOSPC, fail an fsync or
// a rename, or crash at any operation (on a MemLog the crash also drops
// what was not durable). Counting a workload's operations (Count) and
// crashing it at each in turn checks every interleaving of a commit
// protocol; TestSnapshotCrashAtEveryStep in this package does so for
// FileSnapshots.
//
// # Caveats
//
// A crash simulated on a real directory (FaultyLog over LogDir) only stops
// the operations, as a killed process would; the operating system keeps
// what it has. Only MemLog can lose unsynced bytes on purpose. MemLog
// models the strictest POSIX file system; real ones (ext4 with
// data=ordered, for one) often keep more.
package persist
