package redistest

import (
	"strconv"
	"strings"
	"testing"
)

func bulk(s string) Reply    { return Reply{Kind: Bulk, Text: s} }
func integer(s string) Reply { return Reply{Kind: Integer, Text: s} }
func array(e ...Reply) Reply { return Reply{Kind: Array, Elems: e} }

func TestCompare(t *testing.T) {
	exact := Line{}
	cases := []struct {
		name      string
		ln        Line
		want, got Reply
		equal     bool
	}{
		{"same bulk", exact, bulk("a"), bulk("a"), true},
		{"other text", exact, bulk("a"), bulk("b"), false},
		{"simple vs bulk", exact, Reply{Kind: Simple, Text: "OK"}, bulk("OK"), false},
		{"null bulk vs null array", exact, Reply{Kind: NullBulk}, Reply{Kind: NullArray}, false},
		{"null vs empty bulk", exact, Reply{Kind: NullBulk}, bulk(""), false},
		{"null array vs empty array", exact, Reply{Kind: NullArray}, array(), false},
		{"error text", exact, Reply{Kind: Error, Text: "ERR syntax error"}, Reply{Kind: Error, Text: "ERR Syntax error"}, false},
		{"error vs blob error", exact, Reply{Kind: Error, Text: "ERR x"}, Reply{Kind: BlobError, Text: "ERR x"}, false},
		{"integer vs double", exact, integer("1"), Reply{Kind: Double, Text: "1"}, false},
		{"double text", exact, Reply{Kind: Double, Text: "1.5"}, Reply{Kind: Double, Text: "1.50"}, false},
		{"order", exact, array(bulk("a"), bulk("b")), array(bulk("b"), bulk("a")), false},
		{"length", exact, array(bulk("a")), array(bulk("a"), bulk("a")), false},
		{"array vs set", exact, array(bulk("a")), Reply{Kind: Set, Elems: []Reply{bulk("a")}}, false},
		{"nested", exact, array(array(integer("1"))), array(array(integer("2"))), false},
		{"verbatim format", exact, Reply{Kind: Verbatim, Format: "txt", Text: "x"}, Reply{Kind: Verbatim, Format: "mkd", Text: "x"}, false},
		{"attributes", exact, Reply{Kind: Simple, Text: "OK", Attrs: []Reply{bulk("a"), bulk("b")}}, Reply{Kind: Simple, Text: "OK"}, false},

		{"sort", Line{Sort: true}, array(bulk("b"), bulk("a"), bulk("c")), array(bulk("c"), bulk("b"), bulk("a")), true},
		{"sort nested", Line{Sort: true}, array(array(bulk("y"), bulk("x")), bulk("a")), array(bulk("a"), array(bulk("x"), bulk("y"))), true},
		{"sort keeps multiplicity", Line{Sort: true}, array(bulk("a"), bulk("a"), bulk("b")), array(bulk("a"), bulk("b"), bulk("b")), false},
		{"sort keeps kinds", Line{Sort: true}, array(bulk("1"), integer("2")), array(integer("1"), bulk("2")), false},
		{"sort map pairs", Line{Sort: true},
			Reply{Kind: Map, Elems: []Reply{bulk("f1"), bulk("1"), bulk("f2"), bulk("2")}},
			Reply{Kind: Map, Elems: []Reply{bulk("f2"), bulk("2"), bulk("f1"), bulk("1")}}, true},
		{"sort map keeps pairs", Line{Sort: true},
			Reply{Kind: Map, Elems: []Reply{bulk("f1"), bulk("1"), bulk("f2"), bulk("2")}},
			Reply{Kind: Map, Elems: []Reply{bulk("f1"), bulk("2"), bulk("f2"), bulk("1")}}, false},
		{"sort NUL", Line{Sort: true}, array(bulk("a\x00"), bulk("a")), array(bulk("a"), bulk("a\x00")), true},

		{"sortpairs array", Line{SortPairs: true},
			array(bulk("f2"), bulk("2"), bulk("f1"), bulk("1")),
			array(bulk("f1"), bulk("1"), bulk("f2"), bulk("2")), true},
		{"sortpairs keeps pairs", Line{SortPairs: true},
			array(bulk("f1"), bulk("1"), bulk("f2"), bulk("2")),
			array(bulk("f1"), bulk("2"), bulk("f2"), bulk("1")), false},
		{"sort would not keep pairs", Line{Sort: true},
			array(bulk("f1"), bulk("1"), bulk("f2"), bulk("2")),
			array(bulk("f1"), bulk("2"), bulk("f2"), bulk("1")), true},
		{"sortpairs map", Line{SortPairs: true},
			Reply{Kind: Map, Elems: []Reply{bulk("b"), array(bulk("y"), bulk("x")), bulk("a"), bulk("1")}},
			Reply{Kind: Map, Elems: []Reply{bulk("a"), bulk("1"), bulk("b"), array(bulk("y"), bulk("x"))}}, true},
		{"sortpairs top level only", Line{SortPairs: true},
			Reply{Kind: Map, Elems: []Reply{bulk("b"), array(bulk("y"), bulk("x"))}},
			Reply{Kind: Map, Elems: []Reply{bulk("b"), array(bulk("x"), bulk("y"))}}, false},
		{"sortpairs odd", Line{SortPairs: true}, array(bulk("b"), bulk("a"), bulk("c")), array(bulk("a"), bulk("b"), bulk("c")), false},
		{"kind", Line{KindOf: true}, bulk("a"), bulk("b"), true},
		{"kind differs", Line{KindOf: true}, bulk("a"), Reply{Kind: NullBulk}, false},
		{"kind ignores length", Line{KindOf: true}, array(bulk("a")), array(), true},

		{"len", Line{Len: true}, array(bulk("17"), array(bulk("a"), bulk("b"))), array(bulk("0"), array(bulk("c"), bulk("d"))), true},
		{"len differs", Line{Len: true}, array(bulk("0"), array(bulk("a"))), array(bulk("0"), array(bulk("a"), bulk("b"))), false},
		{"len kinds", Line{Len: true}, array(bulk("0")), array(integer("0")), false},

		{"approx", Line{Approx: 1}, integer("100"), integer("99"), true},
		{"approx above", Line{Approx: 1}, integer("100"), integer("102"), false},
		{"approx nested", Line{Approx: 1}, array(integer("5"), bulk("x")), array(integer("6"), bulk("x")), true},
		{"approx text still exact", Line{Approx: 1}, array(integer("5"), bulk("x")), array(integer("5"), bulk("y")), false},
		{"approx double", Line{Approx: 1}, Reply{Kind: Double, Text: "1.5"}, Reply{Kind: Double, Text: "2.25"}, true},
		{"approx inf", Line{Approx: 1}, Reply{Kind: Double, Text: "inf"}, Reply{Kind: Double, Text: "-inf"}, false},
		{"approx kind", Line{Approx: 1}, integer("1"), bulk("1"), false},
		{"approx extremes", Line{Approx: 1}, integer("9223372036854775807"), integer("-9223372036854775808"), false},
	}
	for _, c := range cases {
		if got := Compare(c.ln, c.want, c.got); got != c.equal {
			t.Errorf("%s: Compare = %v, want %v\nwant %s\n got %s", c.name, got, c.equal, c.want, c.got)
		}
	}
}

func TestMismatchString(t *testing.T) {
	m := Mismatch{
		Line:     Line{File: "basics.txt", No: 7, Text: "MGET a b"},
		Proto:    2,
		Want:     array(bulk("1"), Reply{Kind: NullBulk}),
		Got:      Reply{Kind: Error, Text: "ERR unknown command 'MGET'"},
		WantName: "redis",
		GotName:  "embedis",
	}
	want := strings.Join([]string{
		`basics.txt:7 (RESP2): MGET a b`,
		`    redis:    (array) 2 elements`,
		`                1) (bulk) "1"`,
		`                2) (null-bulk)`,
		`    embedis:  (error) ERR unknown command 'MGET'`,
		`    first difference at reply: kind array vs error`,
	}, "\n")
	if got := m.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestFirstDiff(t *testing.T) {
	cases := []struct {
		ln        Line
		want, got Reply
		diff      string
	}{
		{Line{}, bulk("a"), bulk("a"), ""},
		{Line{}, bulk("a"), Reply{Kind: NullBulk}, "reply: kind bulk vs null-bulk"},
		{Line{}, array(bulk("a"), array(bulk("b"), integer("1"))), array(bulk("a"), array(bulk("b"), integer("2"))),
			"[1][1]: (integer) 1 vs (integer) 2"},
		{Line{}, array(bulk("a")), array(bulk("a"), bulk("b")), "reply: 1 vs 2 elements"},
		{Line{}, array(bulk("a"), bulk("x")), array(bulk("b")), `[0]: (bulk) "a" vs (bulk) "b"`},
		{Line{Approx: 1}, array(integer("1"), integer("5")), array(integer("2"), integer("7")), "[1]: (integer) 5 vs (integer) 7"},
		{Line{Len: true}, array(bulk("a"), array(bulk("b"))), array(bulk("z"), array()), "[1]: 1 vs 0 elements"},
		{Line{KindOf: true}, array(bulk("a")), array(), ""},
	}
	for _, c := range cases {
		if got := FirstDiff(c.ln, c.want, c.got); got != c.diff {
			t.Errorf("FirstDiff(%s, %s) = %q, want %q", c.want, c.got, got, c.diff)
		}
		if (c.diff == "") != Compare(c.ln, c.want, c.got) {
			t.Errorf("FirstDiff and Compare disagree on %s vs %s", c.want, c.got)
		}
	}
}

func TestRenderLimit(t *testing.T) {
	var elems []Reply
	for i := range 5 {
		elems = append(elems, integer(strconv.Itoa(i)))
	}
	got := array(elems...).Render(2)
	want := "(array) 5 elements\n  1) (integer) 0\n  2) (integer) 1\n  ... 3 more"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	m := Reply{Kind: Map, Elems: []Reply{bulk("a"), integer("1"), bulk("b"), integer("2")}}
	if got := m.Render(1); !strings.HasSuffix(got, "\n  ... 1 more") {
		t.Errorf("map: got\n%s", got)
	}
}
