package redistest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseScript(t *testing.T) {
	text := strings.Join([]string{
		"# comment",
		"",
		"  SET k \"hello world\"   # trailing comment",
		"SET k \"a\\n\\r\\t\\\"\\\\\\x41\\xff\"",
		"SET k 'single \\n \"quoted\"'",
		"SET \"\" ''",
		"SET k ab\"c d\"",
		"!sort KEYS *",
		"!kind RANDOMKEY",
		"!len SCAN 0",
		"!approx 2 TTL k",
		"!resp2 HGETALL h",
		"!resp3 !sort SMEMBERS s",
		"GET \"!notadirective\"",
		"!sortpairs HGETALL h",
		"GET k\r",
	}, "\n")
	sc, err := ParseScript("t.txt", text)
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{
		{No: 3, Args: []string{"SET", "k", "hello world"}},
		{No: 4, Args: []string{"SET", "k", "a\n\r\t\"\\A\xff"}},
		{No: 5, Args: []string{"SET", "k", `single \n "quoted"`}},
		{No: 6, Args: []string{"SET", "", ""}},
		{No: 7, Args: []string{"SET", "k", "abc d"}},
		{No: 8, Args: []string{"KEYS", "*"}, Sort: true},
		{No: 9, Args: []string{"RANDOMKEY"}, KindOf: true},
		{No: 10, Args: []string{"SCAN", "0"}, Len: true},
		{No: 11, Args: []string{"TTL", "k"}, Approx: 2},
		{No: 12, Args: []string{"HGETALL", "h"}, Proto: 2},
		{No: 13, Args: []string{"SMEMBERS", "s"}, Proto: 3, Sort: true},
		{No: 14, Args: []string{"GET", "!notadirective"}},
		{No: 15, Args: []string{"HGETALL", "h"}, SortPairs: true},
		{No: 16, Args: []string{"GET", "k"}},
	}
	if len(sc.Lines) != len(want) {
		t.Fatalf("parsed %d lines, want %d: %+v", len(sc.Lines), len(want), sc.Lines)
	}
	for i, w := range want {
		got := sc.Lines[i]
		if got.File != "t.txt" || got.Text == "" {
			t.Errorf("line %d: File %q Text %q", w.No, got.File, got.Text)
		}
		got.File, got.Text = "", ""
		if !reflect.DeepEqual(got, w) {
			t.Errorf("line %d:\n got %+v\nwant %+v", w.No, got, w)
		}
	}
	if p := sc.Lines[0].Pos(); p != "t.txt:3" {
		t.Errorf("Pos = %q", p)
	}
}

func TestParseScriptErrors(t *testing.T) {
	for _, text := range []string{
		`SET k "unterminated`,
		`SET k 'unterminated`,
		`SET k "a"b`,
		`SET k 'a'b`,
		`SET k "\x4"`,
		`!bogus GET k`,
		`!sort`,
		`!approx GET k`,
		`!approx -1 GET k`,
		`!resp2 !resp3 GET k`,
		`!kind !len GET k`,
	} {
		if _, err := ParseScript("bad.txt", "PING\n"+text); err == nil || !strings.HasPrefix(err.Error(), "bad.txt:2: ") {
			t.Errorf("%s: err = %v, want one naming bad.txt:2", text, err)
		}
	}
}

// TestScriptsParse checks that every script in testdata/diff parses, so
// that a typo fails here even where no redis-server is installed.
func TestScriptsParse(t *testing.T) {
	files, err := filepath.Glob("../../testdata/diff/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scripts in testdata/diff")
	}
	for _, f := range files {
		sc, err := ParseFile(f)
		if err != nil {
			t.Error(err)
			continue
		}
		if len(sc.Lines) == 0 {
			t.Errorf("%s: no commands", f)
		}
	}
	if _, err := os.Stat("../../testdata/diff/README.md"); err != nil {
		t.Error(err)
	}
}
