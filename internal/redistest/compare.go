package redistest

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Compare reports whether got matches want under the line's directives:
// exact by default (kind, text, element order, attributes); !sort sorts
// aggregates at every level first; !kind compares kinds only; !len compares
// kinds and aggregate lengths at every level; !approx N lets integers and
// doubles differ by at most N; !sortpairs sorts the key/value pairs of a
// top-level map or flat array.
func Compare(ln Line, want, got Reply) bool {
	want, got = Normalize(ln, want), Normalize(ln, got)
	switch {
	case ln.KindOf:
		return want.Kind == got.Kind
	case ln.Len:
		return sameShape(want, got)
	}
	return equalApprox(want, got, ln.Approx)
}

// Normalize returns r as the line's directives have it compared: with its
// pairs sorted under !sortpairs, and sorted at every level under !sort.
func Normalize(ln Line, r Reply) Reply {
	if ln.SortPairs {
		r = SortedPairs(r)
	}
	if ln.Sort {
		r = Sorted(r)
	}
	return r
}

func sameShape(a, b Reply) bool {
	if a.Kind != b.Kind || len(a.Elems) != len(b.Elems) {
		return false
	}
	for i := range a.Elems {
		if !sameShape(a.Elems[i], b.Elems[i]) {
			return false
		}
	}
	return true
}

func equalApprox(a, b Reply, n int) bool {
	if n == 0 {
		return a.Equal(b)
	}
	if a.Kind != b.Kind || a.Format != b.Format || len(a.Elems) != len(b.Elems) || len(a.Attrs) != len(b.Attrs) {
		return false
	}
	switch a.Kind {
	case Integer:
		x, err1 := strconv.ParseInt(a.Text, 10, 64)
		y, err2 := strconv.ParseInt(b.Text, 10, 64)
		if err1 != nil || err2 != nil {
			return a.Text == b.Text
		}
		// The distance in uint64 cannot overflow.
		var d uint64
		if x >= y {
			d = uint64(x) - uint64(y)
		} else {
			d = uint64(y) - uint64(x)
		}
		return d <= uint64(n)
	case Double:
		x, err1 := strconv.ParseFloat(a.Text, 64)
		y, err2 := strconv.ParseFloat(b.Text, 64)
		if err1 != nil || err2 != nil || math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) {
			return a.Text == b.Text
		}
		return math.Abs(x-y) <= float64(n)
	}
	if a.Text != b.Text {
		return false
	}
	for i := range a.Elems {
		if !equalApprox(a.Elems[i], b.Elems[i], n) {
			return false
		}
	}
	for i := range a.Attrs {
		if !equalApprox(a.Attrs[i], b.Attrs[i], n) {
			return false
		}
	}
	return true
}

// Sorted returns r with the elements of every array, set and push sorted,
// and the pairs of every map sorted by key, at every level. The order is
// that of a canonical encoding, so it is total and deterministic.
func Sorted(r Reply) Reply {
	if len(r.Elems) == 0 {
		return r
	}
	elems := make([]Reply, len(r.Elems))
	for i, e := range r.Elems {
		elems[i] = Sorted(e)
	}
	r.Elems = elems
	if r.Kind == Map {
		return SortedPairs(r)
	}
	keys := make([]string, len(elems))
	idx := make([]int, len(elems))
	for i := range elems {
		keys[i] = encode(elems[i])
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return keys[idx[i]] < keys[idx[j]] })
	out := make([]Reply, len(elems))
	for i, j := range idx {
		out[i] = elems[j]
	}
	r.Elems = out
	return r
}

// encode is a canonical, unambiguous text of a reply, used as a sort key.
// Scalars sort by their text before their kind, so that a sorted array of
// bulk strings is in byte order.
func encode(r Reply) string {
	var b strings.Builder
	encodeTo(&b, r)
	return b.String()
}

func encodeTo(b *strings.Builder, r Reply) {
	// Text first, with NUL escaped as NUL 1 and ended by NUL NUL: byte
	// order is kept and no two texts encode alike.
	b.WriteString(strings.ReplaceAll(r.Text, "\x00", "\x00\x01"))
	b.WriteString("\x00\x00")
	b.WriteString(strconv.Itoa(int(r.Kind)))
	b.WriteString(r.Format)
	b.WriteByte('[')
	b.WriteString(strconv.Itoa(len(r.Elems)))
	for _, e := range r.Elems {
		b.WriteByte(',')
		encodeTo(b, e)
	}
	b.WriteByte(']')
}

// SortedPairs returns r, a map or an array of key/value pairs laid flat
// (RESP2's form of a map: HGETALL, CONFIG GET), with its pairs sorted by
// key and each pair kept together. Only the top level is sorted. An array
// of odd length is returned as it is (and then compares unequal to any
// proper pair list).
func SortedPairs(r Reply) Reply {
	if (r.Kind != Map && r.Kind != Array) || len(r.Elems)%2 != 0 {
		return r
	}
	type pair struct {
		key  string
		k, v Reply
	}
	ps := make([]pair, 0, len(r.Elems)/2)
	for i := 0; i < len(r.Elems); i += 2 {
		ps = append(ps, pair{encode(r.Elems[i]) + "\x00" + encode(r.Elems[i+1]), r.Elems[i], r.Elems[i+1]})
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].key < ps[j].key })
	elems := make([]Reply, len(r.Elems))
	for i, p := range ps {
		elems[2*i], elems[2*i+1] = p.k, p.v
	}
	r.Elems = elems
	return r
}

// FirstDiff describes where got first departs from want under the line's
// directives, as a path of element indexes and what differs there, e.g.
// "[1][3]: (bulk) "a" vs (bulk) "b"". It returns "" when they match. Call
// it on the replies as compared (after Sorted or SortedPairs).
func FirstDiff(ln Line, want, got Reply) string {
	return firstDiff(ln, want, got, "")
}

func firstDiff(ln Line, a, b Reply, path string) string {
	at := path
	if at == "" {
		at = "reply"
	}
	if a.Kind != b.Kind {
		return fmt.Sprintf("%s: kind %s vs %s", at, a.Kind, b.Kind)
	}
	if ln.KindOf {
		return ""
	}
	if !ln.Len && (a.Format != b.Format || !equalApprox(Reply{Kind: a.Kind, Text: a.Text}, Reply{Kind: b.Kind, Text: b.Text}, ln.Approx)) {
		return fmt.Sprintf("%s: %s vs %s", at, Reply{Kind: a.Kind, Text: a.Text, Format: a.Format}, Reply{Kind: b.Kind, Text: b.Text, Format: b.Format})
	}
	for i := 0; i < len(a.Elems) && i < len(b.Elems); i++ {
		if d := firstDiff(ln, a.Elems[i], b.Elems[i], path+"["+strconv.Itoa(i)+"]"); d != "" {
			return d
		}
	}
	if len(a.Elems) != len(b.Elems) {
		return fmt.Sprintf("%s: %d vs %d elements", at, len(a.Elems), len(b.Elems))
	}
	if !ln.Len {
		if len(a.Attrs) != len(b.Attrs) {
			return fmt.Sprintf("%s: attributes differ", at)
		}
		for i := range a.Attrs {
			if d := firstDiff(ln, a.Attrs[i], b.Attrs[i], path+"{attr "+strconv.Itoa(i)+"}"); d != "" {
				return d
			}
		}
	}
	return ""
}
