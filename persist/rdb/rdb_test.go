package rdb

import (
	"bytes"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestCRC64(t *testing.T) {
	if got := CRC64(0, []byte("123456789")); got != 0xe9c6d914c4b8d9ca {
		t.Fatalf("crc64(123456789) = %#x", got)
	}
	// Incremental equals one-shot.
	data := []byte(strings.Repeat("redis crc64 check ", 100))
	if CRC64(CRC64(0, data[:77]), data[77:]) != CRC64(0, data) {
		t.Fatal("incremental CRC differs")
	}
}

func TestLZFRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		n := r.IntN(3000) + 1
		in := make([]byte, n)
		alpha := r.IntN(255) + 1
		for j := range in {
			if j > 10 && r.IntN(3) == 0 {
				in[j] = in[j-1-r.IntN(10)]
			} else {
				in[j] = byte(r.IntN(alpha))
			}
		}
		c := lzfCompress(in, n+n/16+64)
		if c == nil {
			t.Fatalf("case %d: compression into a roomy buffer failed", i)
		}
		out, err := lzfDecompress(c, n)
		if err != nil || !bytes.Equal(out, in) {
			t.Fatalf("case %d: round trip failed: %v", i, err)
		}
		if _, err := lzfDecompress(c, n+1); err == nil {
			t.Fatalf("case %d: wrong length accepted", i)
		}
	}
	// Hostile inputs: never a panic, always an error or exact length.
	for i := range 2000 {
		in := make([]byte, r.IntN(40))
		for j := range in {
			in[j] = byte(r.Uint32())
		}
		out, err := lzfDecompress(in, 50)
		if err == nil && len(out) != 50 {
			t.Fatalf("case %d: length %d", i, len(out))
		}
	}
}

func TestLengthEncoding(t *testing.T) {
	for _, n := range []uint64{0, 63, 64, 16383, 16384, math.MaxUint32, math.MaxUint32 + 1, math.MaxUint64} {
		b := appendLen(nil, n)
		d := decoder{src: newSource(bytes.NewReader(b))}
		got, err := d.readLen("len")
		if err != nil || got != n {
			t.Fatalf("len %d: got %d, %v (bytes % x)", n, got, err, b)
		}
	}
}

func TestStringEncodings(t *testing.T) {
	cases := []struct {
		s    string
		want []byte
	}{
		{"12", []byte{0xC0, 12}},
		{"-128", []byte{0xC0, 0x80}},
		{"300", []byte{0xC1, 0x2C, 0x01}},
		{"2147483647", []byte{0xC2, 0xFF, 0xFF, 0xFF, 0x7F}},
		{"2147483648", append([]byte{10}, "2147483648"...)},
		{"012", append([]byte{3}, "012"...)},
		{"-0", append([]byte{2}, "-0"...)},
		{"+1", append([]byte{2}, "+1"...)},
	}
	for _, c := range cases {
		if got := appendString(nil, c.s, true); !bytes.Equal(got, c.want) {
			t.Errorf("%q: % x, want % x", c.s, got, c.want)
		}
	}
	// A compressible string is compressed, an incompressible one is not.
	long := strings.Repeat("abc", 20)
	if b := appendString(nil, long, true); b[0] != 0xC3 {
		t.Errorf("compressible string written raw")
	}
	if b := appendString(nil, long, false); b[0] != byte(len(long)) {
		t.Errorf("compression off but string compressed")
	}
	for _, s := range []string{"12", "-3000", "2147483647", long, "x", ""} {
		d := decoder{src: newSource(bytes.NewReader(appendString(nil, s, true)))}
		got, err := d.readString("s")
		if err != nil || got != s {
			t.Errorf("%q read back as %q, %v", s, got, err)
		}
	}
}

func TestFormatScore(t *testing.T) {
	cases := map[float64]string{
		1: "1", -2: "-2", 1.5: "1.5", 0.1: "0.10000000000000001", math.Inf(1): "inf",
		math.Inf(-1): "-inf", math.Copysign(0, -1): "-0", 1e20: "1e+20", 3e-7: "2.9999999999999999e-07",
	}
	for f, want := range cases {
		if got := formatScore(f); got != want {
			t.Errorf("formatScore(%v) = %q, want %q", f, got, want)
		}
	}
}

func TestListpackRoundTrip(t *testing.T) {
	vals := []string{"0", "127", "128", "-1", "4095", "-4096", "4096", "32767", "-32768", "32768",
		"8388607", "-8388608", "8388608", "2147483647", "-2147483648", "2147483648",
		"9223372036854775807", "-9223372036854775808", "", "a", strings.Repeat("b", 63),
		strings.Repeat("c", 64), strings.Repeat("d", 4095), strings.Repeat("e", 4096), "012", "-0"}
	l := newLP()
	for _, v := range vals {
		l.appendString(v)
	}
	es, err := lpDecode(string(l.bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range es {
		if e.str() != vals[i] {
			t.Errorf("entry %d: %q, want %q", i, e.str(), vals[i])
		}
	}
	// Every single-byte corruption is rejected or decodes, never panics.
	b := l.bytes()
	for i := range b {
		c := append([]byte(nil), b...)
		c[i] ^= 0x5A
		_, _ = lpDecode(string(c))
	}
}

func TestRoundTrip(t *testing.T) {
	for _, compress := range []bool{true, false} {
		cfg := DefaultConfig()
		cfg.Compression = compress
		keys := dataset(1)
		funcs := []string{"#!lua name=mylib\nredis.register_function('f', function() return 1 end)"}
		data := writeFile(t, cfg, keys, funcs)
		got, gotFuncs, aux := readAll(t, bytes.NewReader(data))
		if aux["redis-ver"] != "7.0.15" || aux["redis-bits"] != "64" || aux["ctime"] != "1700000000" || aux["aof-base"] != "0" {
			t.Errorf("aux fields: %v", aux)
		}
		if len(gotFuncs) != 1 || gotFuncs[0] != funcs[0] {
			t.Errorf("functions: %q", gotFuncs)
		}
		if len(got) != len(keys) {
			t.Errorf("read %d keys, wrote %d", len(got), len(keys))
		}
		for _, k := range keys {
			rec, ok := got[itoa(k.db)+"/"+k.name]
			if !ok {
				t.Errorf("key %q missing", k.name)
				continue
			}
			if !sameValue(rec.Value, k.value) {
				t.Errorf("key %q:\n got %s\nwant %s", k.name, describe(rec.Value), describe(k.value))
			}
			if rec.Meta != k.meta {
				t.Errorf("key %q: meta %+v, want %+v", k.name, rec.Meta, k.meta)
			}
			if want := cfg.TypeOf(k.value); rec.Type != want {
				t.Errorf("key %q: type %d, want %d", k.name, rec.Type, want)
			}
		}
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

func TestEncodingChoices(t *testing.T) {
	cfg := DefaultConfig()
	cases := []struct {
		v    Value
		want Type
	}{
		{Set{"1", "2"}, TypeSetIntset},
		{Set{"1", "a"}, TypeSet},
		{Hash{{"a", "b"}}, TypeHashListpack},
		{Hash{{"a", strings.Repeat("x", 65)}}, TypeHash},
		{ZSet{{"a", 1}}, TypeZSetListpack},
		{List{"a"}, TypeListQuicklist2},
		{&Stream{}, TypeStreamListpacks2},
		{String("x"), TypeString},
	}
	for _, c := range cases {
		if got := cfg.TypeOf(c.v); got != c.want {
			t.Errorf("%#v: %d, want %d", c.v, got, c.want)
		}
	}
}

func TestChunkedEqualsWhole(t *testing.T) {
	cfg := DefaultConfig()
	r := rand.New(rand.NewPCG(3, 4))
	var list List
	for range 5000 {
		list = append(list, randString(r, r.IntN(30)))
	}
	var set Set
	var hash Hash
	var zset ZSet
	for i := range 2000 {
		set = append(set, "m"+itoa(i%10)+randString(r, 8))
		hash = append(hash, HashField{"f" + randString(r, 10), randString(r, 5)})
		zset = append(zset, ZMember{"z" + randString(r, 10), float64(i)})
	}
	whole := func(k string, v Value) []byte {
		var b bytes.Buffer
		w := NewWriter(&b, cfg)
		must(t, w.WriteMagic())
		must(t, w.WriteKey(k, v, KeyMeta{ExpireMs: 99, HasExpire: true}))
		must(t, w.Close())
		return b.Bytes()
	}
	chunked := func(k string, begin func(w *Writer) error, add func(w *Writer, i, j int) error, n int) []byte {
		var b bytes.Buffer
		w := NewWriter(&b, cfg)
		must(t, w.WriteMagic())
		must(t, begin(w))
		for i := 0; i < n; i += 333 {
			must(t, add(w, i, min(i+333, n)))
		}
		must(t, w.EndValue())
		must(t, w.Close())
		return b.Bytes()
	}
	meta := KeyMeta{ExpireMs: 99, HasExpire: true}
	// Lists: identical bytes.
	nodes := cfg.ListNodes(func(yield func(string) bool) {
		for _, e := range list {
			if !yield(e) {
				return
			}
		}
	})
	a := whole("l", list)
	b := chunked("l", func(w *Writer) error { return w.BeginList("l", nodes, meta) },
		func(w *Writer, i, j int) error { return w.AddElements(list[i:j]...) }, len(list))
	if !bytes.Equal(a, b) {
		t.Error("chunked list differs from WriteKey")
	}
	// Sets and hashes: same content (the whole writer keeps the order).
	b = chunked("s", func(w *Writer) error { return w.BeginSet("s", uint64(len(set)), meta) },
		func(w *Writer, i, j int) error { return w.AddMembers(set[i:j]...) }, len(set))
	if !bytes.Equal(whole("s", set), b) {
		t.Error("chunked set differs from WriteKey")
	}
	b = chunked("h", func(w *Writer) error { return w.BeginHash("h", uint64(len(hash)), meta) },
		func(w *Writer, i, j int) error { return w.AddFields(hash[i:j]...) }, len(hash))
	if !bytes.Equal(whole("h", hash), b) {
		t.Error("chunked hash differs from WriteKey")
	}
	// Sorted sets: identical when added highest first.
	desc := make(ZSet, len(zset))
	for i := range zset {
		desc[i] = zset[len(zset)-1-i]
	}
	b = chunked("z", func(w *Writer) error { return w.BeginZSet("z", uint64(len(desc)), meta) },
		func(w *Writer, i, j int) error { return w.AddZMembers(desc[i:j]...) }, len(desc))
	if !bytes.Equal(whole("z", zset), b) {
		t.Error("chunked zset differs from WriteKey")
	}
	// Count mismatches are errors.
	var buf bytes.Buffer
	w := NewWriter(&buf, cfg)
	must(t, w.WriteMagic())
	must(t, w.BeginSet("s", 2, KeyMeta{}))
	must(t, w.AddMembers("a"))
	if err := w.EndValue(); err == nil {
		t.Error("EndValue accepted too few members")
	}
}

func TestReaderErrorsNameOffset(t *testing.T) {
	data := writeFile(t, DefaultConfig(), dataset(2), nil)
	// Truncations: always an error naming an offset, never a panic.
	for _, n := range []int{0, 5, 9, 20, len(data) / 2, len(data) - 1} {
		r := NewReader(bytes.NewReader(data[:n]))
		var err error
		for err == nil {
			_, err = r.Next()
		}
		var fe *FormatError
		if !errors.As(err, &fe) || !errors.Is(err, ErrCorrupt) {
			t.Errorf("truncated at %d: %v", n, err)
		}
	}
	// A flipped byte in the body fails the checksum at least.
	bad := append([]byte(nil), data...)
	bad[len(bad)/2] ^= 1
	r := NewReader(bytes.NewReader(bad))
	var err error
	for err == nil {
		_, err = r.Next()
	}
	if err == io.EOF || !errors.Is(err, ErrCorrupt) {
		t.Errorf("flipped byte: %v", err)
	}
}

func TestDumpRoundTrip(t *testing.T) {
	cfg := DefaultConfig()
	for _, k := range dataset(5) {
		p, err := EncodeDump(k.value, cfg)
		if err != nil {
			t.Fatalf("%s: %v", k.name, err)
		}
		v, typ, err := DecodeDump(p)
		if err != nil {
			t.Fatalf("%s: %v", k.name, err)
		}
		if typ != cfg.TypeOf(k.value) || !sameValue(v, k.value) {
			t.Errorf("%s: got %s", k.name, describe(v))
		}
	}
	p, _ := EncodeDump(String("abc"), cfg)
	p[len(p)-1] ^= 1
	if _, _, err := DecodeDump(p); err == nil || err.Error() != "ERR DUMP payload version or checksum are wrong" || !errors.Is(err, ErrDumpPayload) {
		t.Errorf("bad CRC: %v", err)
	}
	p, _ = EncodeDump(String("abc"), cfg)
	p[len(p)-10] = 11
	if _, _, err := DecodeDump(p); !errors.Is(err, ErrDumpPayload) {
		t.Errorf("version 11: %v", err)
	}
	// A valid footer over a broken value.
	body := []byte{byte(TypeSetIntset), 3, 1, 2, 3, 10, 0}
	body = append(body, make([]byte, 8)...)
	sum := CRC64(0, body[:len(body)-8])
	for i := range 8 {
		body[len(body)-8+i] = byte(sum >> (8 * i))
	}
	if _, _, err := DecodeDump(body); err == nil || err.Error() != "ERR Bad data format" || !errors.Is(err, ErrBadDataFormat) {
		t.Errorf("bad value: %v", err)
	}
}

func TestHeaderRepl(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, DefaultConfig())
	must(t, w.WriteHeader(Header{CTime: 1, UsedMem: 2, AOFBase: true,
		Repl: &ReplInfo{StreamDB: 3, ID: strings.Repeat("a", 40), Offset: 12345678901}}))
	must(t, w.Close())
	r := NewReader(&buf)
	var got []string
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		must(t, err)
		if rec.Kind == KindAux {
			got = append(got, rec.AuxKey+"="+rec.AuxValue)
		}
	}
	want := "redis-ver=7.0.15 redis-bits=64 ctime=1 used-mem=2 repl-stream-db=3 repl-id=" +
		strings.Repeat("a", 40) + " repl-offset=12345678901 aof-base=1"
	if strings.Join(got, " ") != want {
		t.Errorf("aux fields:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}
