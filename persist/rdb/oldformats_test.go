package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strconv"
	"testing"
)

// Builders of the encodings Redis 7.0 only reads (ziplist, zipmap, the
// first stream format), written from the format descriptions so the
// reader's support for files of Redis 2.x to 6.2 is tested.

// zlBuild builds a ziplist of the given elements: integers in the
// smallest integer encoding, others as strings.
func zlBuild(elems ...string) []byte {
	b := make([]byte, 10)
	prev, tail := 0, 10
	for _, e := range elems {
		start := len(b)
		tail = start
		if prev < 254 {
			b = append(b, byte(prev))
		} else {
			b = append(b, 254)
			b = binary.LittleEndian.AppendUint32(b, uint32(prev))
		}
		if v, ok := parseStrictInt(e); ok {
			switch {
			case v >= 0 && v <= 12:
				b = append(b, 0xF1+byte(v))
			case v >= -128 && v <= 127:
				b = append(b, 0xFE, byte(v))
			case v >= -32768 && v <= 32767:
				b = append(b, 0xC0)
				b = binary.LittleEndian.AppendUint16(b, uint16(v))
			case v >= -1<<23 && v < 1<<23:
				b = append(b, 0xF0, byte(v), byte(v>>8), byte(v>>16))
			case v >= -1<<31 && v < 1<<31:
				b = append(b, 0xD0)
				b = binary.LittleEndian.AppendUint32(b, uint32(v))
			default:
				b = append(b, 0xE0)
				b = binary.LittleEndian.AppendUint64(b, uint64(v))
			}
		} else {
			n := len(e)
			switch {
			case n < 64:
				b = append(b, byte(n))
			case n < 16384:
				b = append(b, 0x40|byte(n>>8), byte(n))
			default:
				b = append(b, 0x80)
				b = binary.BigEndian.AppendUint32(b, uint32(n))
			}
			b = append(b, e...)
		}
		prev = len(b) - start
	}
	b = append(b, 0xFF)
	binary.LittleEndian.PutUint32(b[0:], uint32(len(b)))
	binary.LittleEndian.PutUint32(b[4:], uint32(tail))
	binary.LittleEndian.PutUint16(b[8:], uint16(len(elems)))
	return b
}

// zmBuild builds a zipmap of field/value pairs.
func zmBuild(pairs ...string) []byte {
	b := []byte{byte(len(pairs) / 2)}
	for i, s := range pairs {
		b = append(b, byte(len(s)))
		if i%2 == 1 {
			b = append(b, 0) // free
		}
		b = append(b, s...)
	}
	return append(b, 0xFF)
}

// oldFile assembles a version-9 file from raw key records.
func oldFile(records ...[]byte) []byte {
	b := []byte("REDIS0009")
	b = append(b, opSelectDB, 0)
	for _, r := range records {
		b = append(b, r...)
	}
	b = append(b, opEOF)
	return binary.LittleEndian.AppendUint64(b, CRC64(0, b))
}

func rec(t Type, key string, body ...[]byte) []byte {
	b := appendString([]byte{byte(t)}, key, false)
	for _, p := range body {
		b = append(b, p...)
	}
	return b
}

func blob(p []byte) []byte { return appendBlob(nil, p, true) }

func TestOldFormats(t *testing.T) {
	// A stream in the first format: one node, two entries, a group.
	nb := newStreamNode(StreamEntry{ID: StreamID{10, 1}, Fields: []string{"f", "v"}})
	nb.add(StreamEntry{ID: StreamID{10, 1}, Fields: []string{"f", "v"}})
	nb.add(StreamEntry{ID: StreamID{12, 0}, Fields: []string{"g", "w"}})
	var key [16]byte
	binary.BigEndian.PutUint64(key[:8], 10)
	binary.BigEndian.PutUint64(key[8:], 1)
	stream := appendLen(nil, 1)
	stream = appendBlob(stream, key[:], false)
	stream = appendBlob(stream, nb.listpack(), true)
	stream = appendLen(stream, 2)                                 // length
	stream = appendLen(appendLen(stream, 12), 0)                  // last ID
	stream = appendLen(stream, 1)                                 // groups
	stream = appendString(stream, "grp", false)                   // name
	stream = appendLen(appendLen(stream, 10), 1)                  // last delivered
	stream = appendLen(stream, 1)                                 // PEL
	stream = appendRawID(stream, StreamID{10, 1})                 //
	stream = appendLen(appendMillis(stream, 5000), 3)             // time, count
	stream = appendLen(stream, 1)                                 // consumers
	stream = appendMillis(appendString(stream, "c", false), 6000) // name, seen
	stream = appendRawID(appendLen(stream, 1), StreamID{10, 1})   // its PEL

	oldZSet := appendLen(nil, 3)
	oldZSet = append(appendString(oldZSet, "a", false), 3, '1', '.', '5')
	oldZSet = append(appendString(oldZSet, "b", false), 254)
	oldZSet = append(appendString(oldZSet, "c", false), 255)

	data := oldFile(
		rec(TypeHashZipmap, "zipmap", blob(zmBuild("f1", "v1", "f2", "v2"))),
		rec(TypeListZiplist, "ziplist", blob(zlBuild("a", "7", "-100", "1000", "100000", "5000000000", string(make([]byte, 300))))),
		rec(TypeZSetZiplist, "zsetzl", blob(zlBuild("m1", "1", "m2", "2.5"))),
		rec(TypeHashZiplist, "hashzl", blob(zlBuild("f", "v", "n", "12"))),
		rec(TypeListQuicklist, "quicklist", appendLen(nil, 2), blob(zlBuild("a", "b")), blob(zlBuild("c"))),
		rec(TypeList, "linked", appendLen(nil, 2), appendString(nil, "x", false), appendString(nil, "y", false)),
		rec(TypeZSet, "oldzset", oldZSet),
		rec(TypeStreamListpacks, "stream1", stream),
		rec(TypeListQuicklist, "emptyql", appendLen(nil, 1), blob(zlBuild())),
	)
	got, _, _ := readAll(t, bytes.NewReader(data))
	inf := func(s int) float64 {
		f, _ := strconv.ParseFloat(map[int]string{1: "+Inf", -1: "-Inf"}[s], 64)
		return f
	}
	want := map[string]Value{
		"zipmap":    Hash{{"f1", "v1"}, {"f2", "v2"}},
		"ziplist":   List{"a", "7", "-100", "1000", "100000", "5000000000", string(make([]byte, 300))},
		"zsetzl":    ZSet{{"m1", 1}, {"m2", 2.5}},
		"hashzl":    Hash{{"f", "v"}, {"n", "12"}},
		"quicklist": List{"a", "b", "c"},
		"linked":    List{"x", "y"},
		"oldzset":   ZSet{{"a", 1.5}, {"b", inf(1)}, {"c", inf(-1)}},
		"stream1": &Stream{
			Entries:      []StreamEntry{{StreamID{10, 1}, []string{"f", "v"}}, {StreamID{12, 0}, []string{"g", "w"}}},
			Length:       2,
			LastID:       StreamID{12, 0},
			FirstID:      StreamID{10, 1},
			EntriesAdded: 2,
			Groups: []StreamGroup{{Name: "grp", LastID: StreamID{10, 1}, EntriesRead: 1,
				PEL:       []PendingEntry{{StreamID{10, 1}, 5000, 3}},
				Consumers: []StreamConsumer{{"c", 6000, []StreamID{{10, 1}}}}}},
		},
	}
	if len(got) != len(want) {
		t.Errorf("read %d keys, want %d (the empty quicklist is skipped)", len(got), len(want))
	}
	for k, w := range want {
		if r, ok := got["0/"+k]; !ok || !sameValue(r.Value, w) {
			t.Errorf("%s:\n got %s\nwant %s", k, describe(r.Value), describe(w))
		}
	}
}

func TestRefusals(t *testing.T) {
	cases := map[string][]byte{
		"module value":  oldFile(rec(TypeModule2, "m", appendLen(nil, 12345))),
		"module aux":    oldFile([]byte{opModuleAux, 1, 2, 3}),
		"7.2 set":       oldFile(rec(typeSetListpack, "s", blob(newLP().bytes()))),
		"version 11":    []byte("REDIS0011\xff"),
		"dup set":       oldFile(rec(TypeSet, "s", appendLen(nil, 2), appendString(nil, "a", false), appendString(nil, "a", false))),
		"dup hash":      oldFile(rec(TypeHashZiplist, "h", blob(zlBuild("f", "1", "f", "2")))),
		"unsorted iset": oldFile(rec(TypeSetIntset, "i", blob(intsetBytesRaw(2, 5, 3)))),
		"odd hash":      oldFile(rec(TypeHashZiplist, "h", blob(zlBuild("f", "1", "g")))),
		"nan score":     oldFile(rec(TypeZSet, "z", appendLen(nil, 1), appendString(nil, "a", false), []byte{253})),
		"bad magic":     []byte("RODIS0009"),
	}
	for name, data := range cases {
		r := NewReader(bytes.NewReader(data))
		var err error
		for err == nil {
			_, err = r.Next()
		}
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%s: %v is not a FormatError", name, err)
			continue
		}
		wantKind := ErrCorrupt
		if name == "module value" || name == "module aux" || name == "7.2 set" || name == "version 11" {
			wantKind = ErrUnsupported
		}
		if !errors.Is(err, wantKind) {
			t.Errorf("%s: %v, want kind %v", name, err, wantKind)
		}
	}
}

// intsetBytesRaw builds an intset of 16-bit values in the given order.
func intsetBytesRaw(vals ...int16) []byte {
	b := binary.LittleEndian.AppendUint32(nil, 2)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(vals)))
	for _, v := range vals {
		b = binary.LittleEndian.AppendUint16(b, uint16(v))
	}
	return b
}
