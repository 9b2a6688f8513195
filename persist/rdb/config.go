package rdb

// Config holds the settings that decide how the writer encodes values, as
// the same-named redis.conf settings decide it in Redis 7.0. Start from
// DefaultConfig; the zero Config is not useful.
type Config struct {
	// HashMaxListpackEntries: a hash with at most this many fields, and
	// HashMaxListpackValue: whose fields and values are all at most this
	// many bytes, is written as a listpack (TypeHashListpack); else as a
	// hash table (TypeHash). Defaults 512 and 64 (Redis 7.0.15's
	// config.c; 128 is the sorted-set default).
	HashMaxListpackEntries, HashMaxListpackValue int
	// ZSetMaxListpackEntries and ZSetMaxListpackValue: the same for sorted
	// sets (TypeZSetListpack, else TypeZSet2). Defaults 128 and 64.
	ZSetMaxListpackEntries, ZSetMaxListpackValue int
	// SetMaxIntsetEntries: a set of at most this many members that are all
	// integers is an intset (TypeSetIntset); else a hash table (TypeSet).
	// Default 512.
	SetMaxIntsetEntries int
	// ListMaxListpackSize is list-max-listpack-size: negative -1..-5 caps
	// each quicklist node at 4, 8, 16, 32 or 64 KB; positive caps the
	// number of elements per node (and 8 KB). Default -2.
	ListMaxListpackSize int
	// ListCompressDepth is list-compress-depth: the number of nodes at
	// each end of a list left uncompressed; the inner nodes are stored
	// LZF-compressed as Redis keeps them. 0 (the default) compresses none.
	ListCompressDepth int
	// StreamNodeMaxBytes and StreamNodeMaxEntries bound a stream's
	// listpack nodes as XADD does (0: no limit). Defaults 4096 and 100.
	StreamNodeMaxBytes, StreamNodeMaxEntries int
	// Compression is rdbcompression: strings longer than 20 bytes are
	// LZF-compressed when that saves at least 4 bytes. Default true.
	Compression bool
	// Checksum is rdbchecksum: the file ends with its CRC64, else with 8
	// zero bytes. Default true. (DUMP payloads always carry a CRC64.)
	Checksum bool
}

// DefaultConfig returns Redis 7.0's default settings.
func DefaultConfig() Config {
	return Config{
		HashMaxListpackEntries: 512,
		HashMaxListpackValue:   64,
		ZSetMaxListpackEntries: 128,
		ZSetMaxListpackValue:   64,
		SetMaxIntsetEntries:    512,
		ListMaxListpackSize:    -2,
		ListCompressDepth:      0,
		StreamNodeMaxBytes:     4096,
		StreamNodeMaxEntries:   100,
		Compression:            true,
		Checksum:               true,
	}
}
