package rdb

import (
	"bytes"
	"io"
	"strconv"
	"testing"
)

func benchKeys() []key {
	var keys []key
	for i := range 1000 {
		keys = append(keys, key{name: "key:" + strconv.Itoa(i), value: String("value:" + strconv.Itoa(i))})
	}
	return append(keys, dataset(1)...)
}

func BenchmarkWrite(b *testing.B) {
	keys := benchKeys()
	b.ReportAllocs()
	for b.Loop() {
		writeFile(b, DefaultConfig(), keys, nil)
	}
}

func BenchmarkRead(b *testing.B) {
	data := writeFile(b, DefaultConfig(), benchKeys(), nil)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewReader(bytes.NewReader(data))
		for {
			if _, err := r.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkChunkedSet writes a 100k-member set in slices of 1000.
func BenchmarkChunkedSet(b *testing.B) {
	members := make([]string, 100000)
	for i := range members {
		members[i] = "member:" + strconv.Itoa(i)
	}
	b.ReportAllocs()
	for b.Loop() {
		w := NewWriter(io.Discard, DefaultConfig())
		must(b, w.WriteMagic())
		must(b, w.BeginSet("s", uint64(len(members)), KeyMeta{}))
		for i := 0; i < len(members); i += 1000 {
			must(b, w.AddMembers(members[i:i+1000]...))
		}
		must(b, w.EndValue())
		must(b, w.Close())
	}
}
