package embedis

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

// ---- differential script dumper ----

// TestStreamDiffDump runs testdata/diff/stream.txt through embedis over a
// RESP2 and a RESP3 client and writes every reply as JSON to the file named
// by EMBEDIS_STREAM_DIFF_OUT, for a comparison against a real redis-server
// until the wire-level differential harness runs the script itself. It is
// skipped unless that variable is set.
func TestStreamDiffDump(t *testing.T) {
	out := os.Getenv("EMBEDIS_STREAM_DIFF_OUT")
	if out == "" {
		t.Skip("EMBEDIS_STREAM_DIFF_OUT not set")
	}
	script := os.Getenv("EMBEDIS_STREAM_DIFF_SCRIPT")
	if script == "" {
		script = "testdata/diff/stream.txt"
	}
	lines := readDiffScript(t, script)
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	for _, proto := range []int{2, 3} {
		s, err := Open(Options{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		d := &DB{s: s, cl: &client{db: 0, proto: proto}}
		for _, l := range lines {
			if (l.only == 2 && proto != 2) || (l.only == 3 && proto != 3) {
				continue
			}
			v, err := d.exec(context.Background(), l.args)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(map[string]any{"proto": proto, "line": l.n, "reply": respJSON(v, proto)})
			w.Write(append(b, '\n'))
		}
		s.Close()
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}

type diffLine struct {
	n    int
	args []string
	only int // 2 or 3: run over that protocol only
}

// readDiffScript parses the README's format (directives other than !resp2
// and !resp3 concern the comparison only and are skipped here).
func readDiffScript(t testing.TB, path string) []diffLine {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []diffLine
	for i, raw := range strings.Split(string(data), "\n") {
		args := splitDiffLine(t, raw)
		l := diffLine{n: i + 1}
		for len(args) > 0 && strings.HasPrefix(args[0], "!") {
			switch args[0] {
			case "!resp2":
				l.only = 2
			case "!resp3":
				l.only = 3
			case "!approx":
				args = args[1:]
			}
			args = args[1:]
		}
		if len(args) == 0 {
			continue
		}
		l.args = args
		out = append(out, l)
	}
	return out
}

func splitDiffLine(t testing.TB, s string) []string {
	var args []string
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) || s[i] == '#' {
			break
		}
		var b strings.Builder
		switch s[i] {
		case '"':
			i++
			for i < len(s) && s[i] != '"' {
				if s[i] == '\\' && i+1 < len(s) {
					i++
					switch s[i] {
					case 'n':
						b.WriteByte('\n')
					case 'r':
						b.WriteByte('\r')
					case 't':
						b.WriteByte('\t')
					case 'x':
						v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
						b.WriteByte(byte(v))
						i += 2
					default:
						b.WriteByte(s[i])
					}
				} else {
					b.WriteByte(s[i])
				}
				i++
			}
			i++
		case '\'':
			i++
			for i < len(s) && s[i] != '\'' {
				b.WriteByte(s[i])
				i++
			}
			i++
		default:
			for i < len(s) && s[i] != ' ' && s[i] != '\t' {
				b.WriteByte(s[i])
				i++
			}
		}
		args = append(args, b.String())
	}
	return args
}

// respJSON renders a reply as the wire would carry it for proto, as
// [type, value] with RESP type characters.
func respJSON(v Value, proto int) any {
	arr := func(t string, es []Value) any {
		xs := make([]any, len(es))
		for i, e := range es {
			xs[i] = respJSON(e, proto)
		}
		return []any{t, xs}
	}
	switch v.kind {
	case KindNull:
		if proto == 2 {
			return []any{"$", nil}
		}
		return []any{"_", nil}
	case KindNullArray:
		if proto == 2 {
			return []any{"*", nil}
		}
		return []any{"_", nil}
	case KindSimple:
		return []any{"+", v.str}
	case KindError:
		return []any{"-", v.str}
	case KindInt:
		return []any{":", v.num}
	case KindBulk, KindVerbatim, KindBigNumber:
		return []any{"$", latin1(v.Str())}
	case KindDouble:
		if proto == 2 {
			return []any{"$", v.Str()}
		}
		return []any{",", v.Str()}
	case KindBool:
		if proto == 2 {
			return []any{":", v.num}
		}
		return []any{"#", v.num}
	case KindMap:
		if proto == 2 {
			return arr("*", v.elems)
		}
		return arr("%", v.elems)
	case KindSet:
		if proto == 2 {
			return arr("*", v.elems)
		}
		return arr("~", v.elems)
	}
	return arr("*", v.elems)
}

// latin1 maps each byte to the rune of the same value, as the comparison
// script decodes Redis's replies.
func latin1(s string) string {
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return string(r)
}
