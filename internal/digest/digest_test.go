package digest

import (
	"crypto/sha1"
	"math"
	"testing"
)

func TestEmptyDataset(t *testing.T) {
	var s Dataset
	if got := s.Sum().String(); got != "0000000000000000000000000000000000000000" {
		t.Fatalf("empty dataset digest = %s, want 40 zeros", got)
	}
	if !s.Sum().IsZero() {
		t.Fatal("empty dataset digest is not IsZero")
	}
}

// TestPrimitives checks the building blocks against a direct statement of
// the algorithm, so a refactor of the helpers cannot drift silently.
func TestPrimitives(t *testing.T) {
	// DIGEST-VALUE of the string "v": mix(type 0) then mix("v").
	var d Digest
	h := sha1.Sum([]byte{0, 0, 0, 0})
	copy(d[:], h[:])
	d = sha1.Sum(d[:])
	h = sha1.Sum([]byte("v"))
	for i := range d {
		d[i] ^= h[i]
	}
	d = sha1.Sum(d[:])
	if got := OfValue(String("v"), false); got != d {
		t.Fatalf("OfValue(String v) = %s, want %s", got, d)
	}
	e := sha1.Sum([]byte("!!expire!!"))
	for i := range d {
		d[i] ^= e[i]
	}
	if got := OfValue(String("v"), true); got != d {
		t.Fatalf("OfValue(String v, expire) = %s, want %s", got, d)
	}
}

func TestOrderRules(t *testing.T) {
	if OfValue(List{"a", "b"}, false) == OfValue(List{"b", "a"}, false) {
		t.Error("list digest ignores element order")
	}
	if OfValue(List{"fo", "obar"}, false) == OfValue(List{"foo", "bar"}, false) {
		t.Error("list digest ignores element boundaries")
	}
	if OfValue(Set{"a", "b"}, false) != OfValue(Set{"b", "a"}, false) {
		t.Error("set digest depends on member order")
	}
	if OfValue(Hash{{"f", "1"}, {"g", "2"}}, false) != OfValue(Hash{{"g", "2"}, {"f", "1"}}, false) {
		t.Error("hash digest depends on field order")
	}
	if OfValue(Hash{{"f", "1"}, {"g", "2"}}, false) == OfValue(Hash{{"f", "2"}, {"g", "1"}}, false) {
		t.Error("hash digest ignores which value goes with which field")
	}
	if OfValue(ZSet{{"a", 1}, {"b", 2}}, false) != OfValue(ZSet{{"b", 2}, {"a", 1}}, false) {
		t.Error("zset digest depends on member order")
	}
	if OfValue(String("x"), false) == OfValue(List{"x"}, false) {
		t.Error("type code does not enter the digest")
	}
	var a, b Dataset
	a.Add(0, "k", String("v"), false)
	b.Add(1, "k", String("v"), false)
	if a.Sum() == b.Sum() {
		t.Error("database id does not enter the dataset digest")
	}
	// Databases added in any order give the same digest.
	var c, d Dataset
	c.Add(0, "x", String("1"), false)
	c.Add(3, "y", String("2"), true)
	d.Add(3, "y", String("2"), true)
	d.Add(0, "x", String("1"), false)
	if c.Sum() != d.Sum() {
		t.Error("dataset digest depends on the order databases were added in")
	}
}

func TestFormatScore(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "-0"},
		{1, "1"},
		{1.5, "1.5"},
		{-2.25, "-2.25"},
		{0.1, "0.10000000000000001"},
		{1e16, "10000000000000000"},
		{1e17, "1e+17"},
		{1.5e300, "1.5000000000000001e+300"},
		{1e-5, "1.0000000000000001e-05"},
		{0.0001, "0.0001"},
		{123456789.125, "123456789.125"},
		{math.Inf(1), "inf"},
		{math.Inf(-1), "-inf"},
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{5e-324, "4.9406564584124654e-324"},
	} {
		if got := FormatScore(c.in); got != c.want {
			t.Errorf("FormatScore(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestBuilderMatchesValues: feeding a Builder piece by piece gives what the
// neutral value types give, for every type, in DIGEST-VALUE and DIGEST form.
func TestBuilderMatchesValues(t *testing.T) {
	st := Stream{{MS: 1, Seq: 0, Fields: []string{"f", "v", "g", "w"}}, {MS: 1, Seq: 1, Fields: []string{"f", "x"}}}
	cases := []struct {
		v    Value
		feed func(b *Builder)
	}{
		{String("12"), func(b *Builder) { b.String("12") }},
		{List{"a", "b"}, func(b *Builder) { b.ListElement("a"); b.ListElement("b") }},
		{Set{"a", "b"}, func(b *Builder) { b.SetMember("b"); b.SetMember("a") }},
		{ZSet{{"a", 1}, {"b", 2.5}}, func(b *Builder) { b.ZSetMember("b", 2.5); b.ZSetMember("a", 1) }},
		{Hash{{"f", "1"}}, func(b *Builder) { b.HashField("f", "1") }},
		{st, func(b *Builder) {
			b.StreamEntry(1, 0)
			b.StreamField("f", "v")
			b.StreamField("g", "w")
			b.StreamEntry(1, 1)
			b.StreamField("f", "x")
		}},
		{Stream{}, func(*Builder) {}},
	}
	for _, c := range cases {
		for _, ttl := range []bool{false, true} {
			b := NewValue(TypeOf(c.v))
			c.feed(b)
			if got, want := b.Sum(ttl), OfValue(c.v, ttl); got != want {
				t.Errorf("%T %v ttl %v: builder %s, value %s", c.v, c.v, ttl, got, want)
			}
			k := NewKey("key", TypeOf(c.v))
			c.feed(k)
			if got, want := k.Sum(ttl), OfKey("key", c.v, ttl); got != want {
				t.Errorf("%T %v ttl %v: key builder %s, OfKey %s", c.v, c.v, ttl, got, want)
			}
		}
	}
	// An odd field list still changes the digest (the last field gets an
	// empty value rather than being dropped).
	odd := Stream{{MS: 1, Fields: []string{"f", "v", "g"}}}
	even := Stream{{MS: 1, Fields: []string{"f", "v"}}}
	if OfValue(odd, false) == OfValue(even, false) {
		t.Error("a trailing field without a value was dropped")
	}
}
