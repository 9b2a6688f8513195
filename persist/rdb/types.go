package rdb

// Type is an RDB object type byte: which value follows a key and how it is
// encoded (rdb.h RDB_TYPE_*).
type Type byte

// The object types of RDB version 10 and the older ones a version 1..10
// file may hold. Types 20 and 21 (Redis 7.2's set listpack and third stream
// format) are newer than version 10 and refused.
const (
	TypeString           Type = 0  // a string
	TypeList             Type = 1  // a linked list of strings (before 3.2)
	TypeSet              Type = 2  // a hash-table set
	TypeZSet             Type = 3  // a skiplist sorted set, scores as decimal strings
	TypeHash             Type = 4  // a hash-table hash
	TypeZSet2            Type = 5  // a skiplist sorted set, scores as binary doubles
	TypeModule           Type = 6  // a module value (refused)
	TypeModule2          Type = 7  // a module value (refused)
	TypeHashZipmap       Type = 9  // a zipmap hash (before 2.6)
	TypeListZiplist      Type = 10 // a ziplist list (before 3.2)
	TypeSetIntset        Type = 11 // an intset
	TypeZSetZiplist      Type = 12 // a ziplist sorted set (before 7.0)
	TypeHashZiplist      Type = 13 // a ziplist hash (before 7.0)
	TypeListQuicklist    Type = 14 // a quicklist of ziplists (3.2 to 6.2)
	TypeStreamListpacks  Type = 15 // a stream (5.0 to 6.2)
	TypeHashListpack     Type = 16 // a listpack hash
	TypeZSetListpack     Type = 17 // a listpack sorted set
	TypeListQuicklist2   Type = 18 // a quicklist of listpacks and plain nodes
	TypeStreamListpacks2 Type = 19 // a stream with 7.0's metadata
	typeSetListpack      Type = 20 // Redis 7.2 (refused)
	typeStreamListpacks3 Type = 21 // Redis 7.2 (refused)
)

// The opcodes of the file format (rdb.h RDB_OPCODE_*): they take the place
// of a type byte.
const (
	opFunction2    = 245
	opFunction     = 246
	opModuleAux    = 247
	opIdle         = 248
	opFreq         = 249
	opAux          = 250
	opResizeDB     = 251
	opExpireTimeMs = 252
	opExpireTime   = 253
	opSelectDB     = 254
	opEOF          = 255
)

// Version is the RDB format version this package writes (Redis 7.0's).
// The reader accepts versions 1 to Version.
const Version = 10

// Value is one of the neutral value types: String, List, Set, ZSet, Hash
// or *Stream. Strings inside values are Go strings so a store can keep
// them without copying.
type Value interface {
	isValue()
}

// String is a string value.
type String string

// List is a list value, head first.
type List []string

// Set is a set value; members are distinct, in no particular order.
type Set []string

// ZSet is a sorted-set value. Members are distinct; the order is the
// caller's (the writer sorts when an encoding needs an order).
type ZSet []ZMember

// ZMember is one member of a sorted set with its score.
type ZMember struct {
	Member string
	Score  float64
}

// Hash is a hash value: distinct fields with their values, in the order
// the caller keeps them (a listpack hash keeps insertion order, and the
// writer writes this order).
type Hash []HashField

// HashField is one field of a hash with its value.
type HashField struct {
	Field, Value string
}

// StreamID is a stream entry ID, ms-seq.
type StreamID struct {
	Ms, Seq uint64
}

// Less reports whether id sorts before o.
func (id StreamID) Less(o StreamID) bool {
	return id.Ms < o.Ms || (id.Ms == o.Ms && id.Seq < o.Seq)
}

// IsZero reports whether id is 0-0.
func (id StreamID) IsZero() bool { return id.Ms == 0 && id.Seq == 0 }

// StreamEntry is one live stream entry.
type StreamEntry struct {
	ID StreamID
	// Fields holds the entry's field/value pairs flattened:
	// field1, value1, field2, value2 ...
	Fields []string
}

// Stream is a stream value with its metadata and consumer groups.
type Stream struct {
	// Entries are the live entries in ascending ID order.
	Entries []StreamEntry
	// Length is the number of live entries (XLEN); it must equal
	// len(Entries).
	Length uint64
	// LastID is the greatest ID ever added (XINFO last-generated-id).
	LastID StreamID
	// FirstID is the ID of the first live entry, 0-0 when empty.
	FirstID StreamID
	// MaxDeletedID is the greatest ID ever deleted (max-deleted-entry-id).
	MaxDeletedID StreamID
	// EntriesAdded counts every entry ever added (entries-added).
	EntriesAdded uint64
	// Groups are the consumer groups (the writer orders them by name, as
	// Redis's radix tree does).
	Groups []StreamGroup
	// NodeSizes optionally gives the number of entries of each listpack
	// node, first node first, so a writer can reproduce another stream's
	// node layout; it must sum to len(Entries). When nil the writer splits
	// nodes as XADD does under Config's StreamNodeMaxBytes and
	// StreamNodeMaxEntries. The reader fills it with the live entries per
	// node it read.
	NodeSizes []int
}

// StreamGroup is one consumer group of a stream.
type StreamGroup struct {
	Name   string
	LastID StreamID
	// EntriesRead is the group's entries-read counter; -1 when unknown
	// (Redis's SCG_INVALID_ENTRIES_READ).
	EntriesRead int64
	// PEL is the group's pending entries list, in ascending ID order.
	PEL []PendingEntry
	// Consumers are the group's consumers.
	Consumers []StreamConsumer
}

// PendingEntry is one entry of a group's pending entries list.
type PendingEntry struct {
	ID StreamID
	// DeliveryTime is the last delivery time, Unix milliseconds.
	DeliveryTime int64
	// DeliveryCount is the number of deliveries.
	DeliveryCount uint64
}

// StreamConsumer is one consumer of a group.
type StreamConsumer struct {
	Name string
	// SeenTime is the consumer's last activity, Unix milliseconds.
	SeenTime int64
	// PEL lists the IDs of the group's pending entries this consumer owns,
	// ascending; each must be in the group's PEL.
	PEL []StreamID
}

func (String) isValue()  {}
func (List) isValue()    {}
func (Set) isValue()     {}
func (ZSet) isValue()    {}
func (Hash) isValue()    {}
func (*Stream) isValue() {}
