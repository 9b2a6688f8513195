package embedis_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/embedis/embedis/embedistest"
	"github.com/embedis/embedis/internal/redistest"
)

// TestCommandMetaMatchesRedis compares COMMAND INFO and COMMAND DOCS of
// every command embedis has (subcommands included) with redis-server
// 7.0.15's replies, over RESP3: name, arity, flags, key positions, ACL
// categories, tips, key specs, docs. Subcommands are compared as sets
// (their order is a hash table's in Redis). A mismatch names the command.
func TestCommandMetaMatchesRedis(t *testing.T) {
	want, err := redistest.Dial(redistest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()
	got, err := redistest.Dial(embedistest.Addr(t, embedistest.Open(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	for _, c := range []*redistest.Conn{want, got} {
		if _, err := c.Do("HELLO", "3"); err != nil {
			t.Fatal(err)
		}
	}
	list, err := got.Do("COMMAND", "LIST")
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Elems) < 100 {
		t.Fatalf("COMMAND LIST of embedis: %d names", len(list.Elems))
	}
	for _, n := range list.Elems {
		name := n.Text
		for _, sub := range []string{"INFO", "DOCS"} {
			w, err1 := want.Do("COMMAND", sub, name)
			g, err2 := got.Do("COMMAND", sub, name)
			if err1 != nil || err2 != nil {
				t.Fatalf("COMMAND %s %s: %v / %v", sub, name, err1, err2)
			}
			w, g = sortSubcommands(w), sortSubcommands(g)
			if !w.Equal(g) {
				t.Errorf("COMMAND %s %s differs:\nredis:   %s\nembedis: %s", sub, name, w.Render(4000), g.Render(4000))
			}
		}
	}
}

// sortSubcommands sorts, at every level, the subcommand lists of a
// COMMAND INFO reply (the 10th element of an entry) and the "subcommands"
// maps of a COMMAND DOCS reply.
func sortSubcommands(r redistest.Reply) redistest.Reply {
	elems := make([]redistest.Reply, len(r.Elems))
	for i, e := range r.Elems {
		elems[i] = sortSubcommands(e)
	}
	r.Elems = elems
	switch {
	case r.Kind == redistest.Array && len(r.Elems) == 10 && r.Elems[0].Kind == redistest.Bulk:
		subs := r.Elems[9].Elems
		sort.Slice(subs, func(i, j int) bool { return subs[i].Elems[0].Text < subs[j].Elems[0].Text })
	case r.Kind == redistest.Map:
		for i := 0; i+1 < len(r.Elems); i += 2 {
			if r.Elems[i].Text == "subcommands" {
				r.Elems[i+1] = redistest.SortedPairs(r.Elems[i+1])
			}
		}
	}
	return r
}

// TestCommandListFilterPattern checks COMMAND LIST FILTERBY PATTERN with a
// pattern that matches commands and subcommands.
func TestCommandListFilterPattern(t *testing.T) {
	got, err := redistest.Dial(embedistest.Addr(t, embedistest.Open(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	all, err := got.Do("COMMAND", "LIST")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, n := range all.Elems {
		if strings.Contains(n.Text, "get") {
			want = append(want, n.Text)
		}
	}
	r, err := got.Do("COMMAND", "LIST", "FILTERBY", "PATTERN", "*GET*")
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, n := range r.Elems {
		have = append(have, n.Text)
	}
	sort.Strings(want)
	sort.Strings(have)
	if strings.Join(have, " ") != strings.Join(want, " ") || len(have) < 10 {
		t.Errorf("COMMAND LIST FILTERBY PATTERN *GET* = %v, want %v", have, want)
	}
}
