package embedis

import (
	"errors"
	"fmt"
	"time"
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
	if o.Seed == 0 {
		o.Seed = uint64(time.Now().UnixNano())
	}
	return o, nil
}
