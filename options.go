package embedis

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/embedis/embedis/persist"
)

// Options configures a Store. The zero value is a valid configuration: an
// in-memory store with 16 databases and the real clock. Open validates the
// options once and keeps its own copy; changing the struct afterwards has no
// effect.
type Options struct {
	// Databases is the number of databases (SELECT 0..Databases-1).
	// Default 16, as Redis's "databases" setting.
	Databases int

	// Clock is the source of time for expiry and TTLs. Default: the real
	// clock. Use a *ManualClock in tests to move time.
	Clock Clock

	// Hz is how many times per second the executor runs its background
	// work: the active expiry cycle and incremental rehashing. Default 10,
	// as Redis's "hz". Between 1 and 500.
	Hz int

	// Password, when not empty, is required by connections served over the
	// wire (Redis's "requirepass"): a connection must AUTH before other
	// commands. It does not apply to typed methods and Do, which are
	// in-process calls.
	Password string

	// Seed seeds the store's random choices (RANDOMKEY, key sampling). Zero
	// means a seed from the clock. A fixed seed makes a test's random
	// choices replayable.
	Seed uint64

	// BusyThreshold is how long a Lua script or function may run before
	// other callers' commands are answered with a BUSY error instead of
	// waiting, and SCRIPT KILL / FUNCTION KILL are expected (Redis's
	// busy-reply-threshold, alias lua-time-limit, which CONFIG SET
	// changes at run time). The script itself is not stopped. Default 5s.
	BusyThreshold time.Duration

	// Dir is the directory of the snapshot file (Redis's "dir"), created
	// if missing. When Dir and Snapshots are both unset the store keeps
	// nothing on disk: SAVE and BGSAVE return ErrNoSnapshots and no save
	// rules run. An embedded store defaults to no persistence, unlike
	// redis-server, because a program that did not ask for files must
	// not find dump.rdb in its working directory.
	Dir string

	// DBFilename is the snapshot file's name in Dir (Redis's
	// "dbfilename"). Default "dump.rdb".
	DBFilename string

	// Snapshots, when set, is where snapshots go instead of Dir: any
	// persist.SnapshotBackend (persist.NewMemSnapshots for tests, an
	// object store of your own). Open loads its latest snapshot.
	Snapshots persist.SnapshotBackend

	// SavePoints are the save rules (Redis's "save <seconds> <changes>"):
	// a background save starts when, for some rule, at least Changes
	// writes happened and After has passed since the last successful
	// save. nil means Redis's default, "3600 1 300 100 60 10000", when Dir
	// or Snapshots is set (and none otherwise); a non-nil empty slice
	// means no rules (saves only by SAVE, BGSAVE and the Go API). CONFIG
	// SET save changes them at run time.
	SavePoints []SavePoint

	// LoadFrom, when set, is an RDB snapshot (from redis-server or
	// WriteSnapshot) that Open loads instead of the backend's latest.
	// Open reads it to the end and does not close it.
	LoadFrom io.Reader

	// Logger receives the messages Redis would write to its log, such as
	// the warning that CONFIG SET set a parameter embedis accepts but does
	// not act on (see InertConfigParameters). Default nil: nothing is
	// logged.
	Logger *slog.Logger

	// ClusterEnabled presents the store as a Redis Cluster node that owns
	// all 16384 hash slots (Redis's "cluster-enabled yes", which CONFIG
	// GET then reports): CLUSTER SLOTS / SHARDS / NODES / INFO / MYID /
	// KEYSLOT / COUNTKEYSINSLOT / GETKEYSINSLOT answer, READONLY,
	// READWRITE and ASKING are accepted, and a command (or a MULTI/EXEC
	// transaction, or a script's redis.call) whose keys hash to different
	// slots is refused with CROSSSLOT, as a cluster would, so that tests
	// of cluster-bound code catch it. SELECT of a database other than 0
	// is refused. Cluster clients (go-redis's ClusterClient) work against
	// the store's listeners. Default false. See cluster.go.
	ClusterEnabled bool

	// group and groupIndex make the store node groupIndex of a
	// multi-node cluster face; set only by OpenCluster.
	group      *clusterGroup
	groupIndex int

	// AppendOnly enables the append-only log (Redis's appendonly): every
	// write is appended, in Redis 7.0's multi-part AOF format, to
	// AppendDirName under Dir (or to AppendLog), and Open loads the log
	// instead of the snapshot. Requires Dir or AppendLog. CONFIG SET
	// appendonly changes it at run time (yes starts with a rewrite).
	// Default false.
	AppendOnly bool

	// AppendDirName is the log's directory under Dir (Redis's
	// appenddirname). Default "appendonlydir".
	AppendDirName string

	// AppendFilename is the prefix of the log's file names (Redis's
	// appendfilename): appendonly.aof.manifest, appendonly.aof.1.base.rdb,
	// appendonly.aof.1.incr.aof. Default "appendonly.aof".
	AppendFilename string

	// AppendLog, when set, is where the log's files go instead of
	// Dir/AppendDirName: any persist.LogBackend (persist.NewMemLog and
	// persist.NewFaultyLog for tests).
	AppendLog persist.LogBackend

	// AppendFsync is when the log is fsynced (Redis's appendfsync).
	// Default FsyncEverySec. See FsyncPolicy for what each can lose.
	AppendFsync FsyncPolicy

	// AOFNoRDBPreamble is Redis's aof-use-rdb-preamble no. embedis
	// always writes the rewrite's base as an RDB; the setting is kept
	// for CONFIG. Default false (yes).
	AOFNoRDBPreamble bool

	// AOFTimestamps is aof-timestamp-enabled: a "#TS:<unix seconds>"
	// annotation before the first command of each second. Default false.
	AOFTimestamps bool

	// AOFStrictLoad is aof-load-truncated no: a log whose last file ends
	// inside a command fails Open instead of being cut back to its last
	// complete command with a logged warning. Default false.
	AOFStrictLoad bool

	// AutoAOFRewritePercentage and AutoAOFRewriteMinSize are Redis's
	// auto-aof-rewrite-percentage and auto-aof-rewrite-min-size: a
	// rewrite starts when the log is larger than the minimum and has
	// grown by the percentage since the last rewrite. Defaults 100 and
	// 64 MiB; a negative percentage turns the automatic rewrite off.
	AutoAOFRewritePercentage int
	AutoAOFRewriteMinSize    int64

	// Logf receives the append log's warnings (a truncated log cut back
	// at Open, a failed rewrite). Default: Logger at warning level, or
	// nothing when Logger is nil.
	Logf func(format string, args ...any)
}

// Limits and defaults.
const (
	defaultDatabases = 16
	defaultHz        = 10
	maxDatabases     = 1 << 16
)

// ErrInvalidOptions is wrapped by the error Open returns for options out of
// range.
var ErrInvalidOptions = errors.New("embedis: invalid options")

// withDefaults validates o and returns the copy the store keeps.
func (o Options) withDefaults() (Options, error) {
	if o.Databases == 0 {
		o.Databases = defaultDatabases
	}
	if o.Databases < 1 || o.Databases > maxDatabases {
		return o, fmt.Errorf("%w: Databases must be between 1 and %d, got %d", ErrInvalidOptions, maxDatabases, o.Databases)
	}
	if o.Hz == 0 {
		o.Hz = defaultHz
	}
	if o.Hz < 1 || o.Hz > 500 {
		return o, fmt.Errorf("%w: Hz must be between 1 and 500, got %d", ErrInvalidOptions, o.Hz)
	}
	if o.BusyThreshold == 0 {
		o.BusyThreshold = 5 * time.Second
	}
	if o.BusyThreshold < 0 {
		return o, fmt.Errorf("%w: BusyThreshold must not be negative, got %v", ErrInvalidOptions, o.BusyThreshold)
	}
	if o.Clock == nil {
		o.Clock = realClock{}
	}
	if o.DBFilename == "" {
		o.DBFilename = "dump.rdb"
	}
	for _, p := range o.SavePoints {
		if p.After < 0 || p.Changes < 0 {
			return o, fmt.Errorf("%w: SavePoints must not be negative, got %v", ErrInvalidOptions, p)
		}
	}
	if o.AppendDirName == "" {
		o.AppendDirName = defaultAppendDirName
	}
	if o.AppendFilename == "" {
		o.AppendFilename = defaultAppendFilename
	}
	if strings.ContainsAny(o.AppendDirName+o.AppendFilename, "/\\") {
		return o, fmt.Errorf("%w: AppendDirName and AppendFilename must be plain names, got %q and %q", ErrInvalidOptions, o.AppendDirName, o.AppendFilename)
	}
	if o.AppendFsync > FsyncNo {
		return o, fmt.Errorf("%w: AppendFsync %d is not a policy", ErrInvalidOptions, o.AppendFsync)
	}
	switch {
	case o.AutoAOFRewritePercentage == 0:
		o.AutoAOFRewritePercentage = defaultAutoAOFPercentage
	case o.AutoAOFRewritePercentage < 0:
		o.AutoAOFRewritePercentage = 0
	}
	if o.AutoAOFRewriteMinSize == 0 {
		o.AutoAOFRewriteMinSize = defaultAutoAOFMinSize
	}
	if o.Seed == 0 {
		o.Seed = uint64(time.Now().UnixNano())
	}
	return o, nil
}
