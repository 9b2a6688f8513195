// Package rdb reads and writes Redis's RDB format as Redis 7.0 does: the
// snapshot file (SAVE/BGSAVE, the RDB preamble of an AOF base file, the
// payload of a replication full sync) and the DUMP/RESTORE payload of a
// single value. It imports nothing from embedis: values cross the package
// line as the neutral types String, List, Set, ZSet, Hash and *Stream,
// whose strings are Go strings a store can keep without copying.
//
// # Basics
//
// Writing (version 10, byte for byte what redis-server 7.0.15 writes for
// the same contents and settings):
//
//	w := rdb.NewWriter(bufio.NewWriter(f), rdb.DefaultConfig())
//	w.WriteHeader(rdb.Header{CTime: now, UsedMem: used})
//	w.WriteFunction(libraryCode)                 // each FUNCTION library
//	w.SelectDB(0, keys, keysWithTTL)             // each non-empty database
//	w.WriteKey("k", rdb.String("v"), rdb.KeyMeta{})
//	w.BeginSet("big", n, meta); w.AddMembers(...); ...; w.EndValue()
//	w.Close()                                    // EOF and CRC64
//
// Reading (versions 1 to 10), one record at a time, never more than one
// value in memory:
//
//	r := rdb.NewReader(f)
//	for {
//		rec, err := r.Next()
//		if err == io.EOF { break }
//		if err != nil { return err } // a *FormatError naming the offset
//		switch rec.Kind { case rdb.KindKey: ... }
//	}
//
// DUMP payloads: EncodeDump and DecodeDump.
//
// # File layout
//
//	+-------+------+----------------------------------------------------+
//	| REDIS | 0010 |  magic and 4-digit version                          |
//	+-------+------+----------------------------------------------------+
//	| 0xFA AUX   <string key> <string value>      (redis-ver, ctime ...) |
//	| 0xF5 FUNCTION2 <string library code>                               |
//	| 0xFE SELECTDB <len db>                                             |
//	| 0xFB RESIZEDB <len keys> <len keys with TTL>                        |
//	| [0xFC EXPIRETIME_MS <8 bytes LE ms>]  (0xFD EXPIRETIME: 4 bytes s)  |
//	| [0xF8 IDLE <len seconds>] [0xF9 FREQ <1 byte>]                      |
//	| <type byte> <string key> <value>      ... one per key             |
//	| ... SELECTDB for the next database ...                             |
//	| 0xFF EOF                                                           |
//	| <8 bytes CRC64 LE of everything before, 0 when disabled>  (v >= 5) |
//	+--------------------------------------------------------------------+
//
//	len:    00xxxxxx                      6 bits
//	        01xxxxxx xxxxxxxx             14 bits, big endian
//	        10000000 <4 bytes BE>         32 bits
//	        10000001 <8 bytes BE>         64 bits
//	string: <len> <bytes>
//	        11000000 <int8>  11000001 <int16 LE>  11000010 <int32 LE>
//	        11000011 <len compressed> <len original> <LZF data>
//
//	value by type:
//	  0  STRING            <string>
//	  2  SET               <len n> n × <string>
//	  4  HASH              <len n> n × <string field> <string value>
//	  5  ZSET_2            <len n> n × <string member> <8-byte LE double>
//	                       (highest score first)
//	  11 SET_INTSET        <string: intset>
//	  16 HASH_LISTPACK     <string: listpack f1 v1 f2 v2 ...>
//	  17 ZSET_LISTPACK     <string: listpack m1 s1 m2 s2 ...> (ascending)
//	  18 LIST_QUICKLIST_2  <len nodes> nodes × (<len 1 plain | 2 packed>
//	                       <string: element | listpack>)
//	  19 STREAM_LISTPACKS_2
//	       <len nodes> nodes × (<string: 16-byte master ID> <string: listpack>)
//	       <len length> <len last ms> <len last seq> <len first ms>
//	       <len first seq> <len max-deleted ms> <len max-deleted seq>
//	       <len entries-added>
//	       <len groups> groups × (<string name> <len last ms> <len last seq>
//	         <len entries-read> <len pel> pel × (<16-byte ID> <8-byte LE
//	         delivery ms> <len delivery count>) <len consumers> consumers ×
//	         (<string name> <8-byte LE seen ms> <len n> n × <16-byte ID>))
//	  read only: 1 LIST, 3 ZSET (scores as strings), 9 HASH_ZIPMAP,
//	  10 LIST_ZIPLIST, 12 ZSET_ZIPLIST, 13 HASH_ZIPLIST, 14 LIST_QUICKLIST
//	  (ziplist nodes), 15 STREAM_LISTPACKS (no first/max-deleted/added,
//	  no entries-read; derived as 7.0 derives them)
//
//	DUMP payload: <type byte> <value> <2 bytes LE RDB version = 10>
//	              <8 bytes LE CRC64 of everything before>
//
// Listpacks, intsets and LZF output are byte-identical to Redis's for the
// same contents, which makes DUMP payloads identical to redis-server's for
// values whose layout is determined by their contents (everything but
// hash-table sets and hashes, whose order is the caller's, and streams
// with deleted entries, which the neutral Stream does not carry).
//
// # Encoding choices
//
// Config holds the redis.conf settings that decide encodings (defaults as
// in 7.0.15: hash-max-listpack-entries 512 / -value 64,
// zset-max-listpack-entries 128 / -value 64, set-max-intset-entries 512,
// list-max-listpack-size -2, list-compress-depth 0, stream-node-max-bytes
// 4096 / -entries 100, rdbcompression and rdbchecksum yes).
// Config.TypeOf tells which RDB type WriteKey picks for a value: the one
// Redis gives a value with those contents once it loads them. Lists are
// split into quicklist nodes as RPUSH fills them; streams into nodes as
// XADD fills them, or as Stream.NodeSizes says.
//
// # Validation
//
// The reader checks what Redis 7.0 checks with sanitize-dump-payload yes,
// and a little more, so that no input yields a value a store cannot hold:
// listpack, ziplist, zipmap and intset headers, lengths, back-lengths,
// terminators, entry counts and intset order; duplicates in sets, hashes
// and sorted sets; NaN scores; stream node structure, ascending IDs, the
// stream length against its entries, group PELs against consumer PELs.
// Keys whose collection is empty are skipped (as Redis 7.0 skips them;
// EmptyKeysSkipped counts them). The CRC64 is verified at EOF unless the
// file stores 0. Every error is a *FormatError with the byte offset,
// matching ErrCorrupt or ErrUnsupported; nothing panics on bad input.
//
// # Refused
//
// Module values (types 6 and 7) and module AUX data (opcode 0xF7) are
// refused with ErrUnsupported, as is anything from Redis 7.2 and later:
// RDB versions above 10, types 20 (set listpack) and 21 (third stream
// format). The FUNCTION opcode of 7.0's release candidates (0xF6) is read
// and turned into the library code 7.0.15 would load.
//
// # Concurrency
//
// A Reader or Writer belongs to one goroutine. EncodeDump, DecodeDump and
// Config's methods are safe for concurrent use.
package rdb
