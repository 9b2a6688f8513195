package redistest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Script is a parsed testdata/diff script; see testdata/diff/README.md for
// the format.
type Script struct {
	Name  string // file name, used in reports
	Lines []Line // the commands, in order
}

// Line is one command of a script with the directives that precede it.
type Line struct {
	File string   // script name
	No   int      // 1-based line number
	Text string   // the line as written
	Args []string // the command and its arguments

	Sort      bool // !sort: sort aggregates at every level before comparing
	SortPairs bool // !sortpairs: sort the top-level reply's key/value pairs
	KindOf    bool // !kind: compare the reply kind only
	Len       bool // !len: compare kinds and aggregate lengths only
	Approx    int  // !approx N: integers and doubles may differ by at most N (0: exact)
	Proto     int  // !resp2 or !resp3: run over this protocol only (0: both)
}

// Pos is "file:line" for reports.
func (l Line) Pos() string { return l.File + ":" + strconv.Itoa(l.No) }

// ParseFile reads and parses a script file.
func ParseFile(path string) (*Script, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseScript(filepath.Base(path), string(data))
}

// ParseScript parses a script's text. The error names the line at fault.
func ParseScript(name, text string) (*Script, error) {
	sc := &Script{Name: name}
	for i, raw := range strings.Split(text, "\n") {
		raw = strings.TrimSuffix(raw, "\r")
		no := i + 1
		toks, err := splitLine(raw)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, no, err)
		}
		if len(toks) == 0 {
			continue
		}
		ln := Line{File: name, No: no, Text: strings.TrimSpace(raw)}
		// Directives are unquoted tokens starting with '!' before the
		// command; several may be stacked.
		for len(toks) > 0 && !toks[0].quoted && strings.HasPrefix(toks[0].s, "!") {
			d := toks[0].s
			toks = toks[1:]
			switch d {
			case "!sort":
				ln.Sort = true
			case "!sortpairs":
				ln.SortPairs = true
			case "!kind":
				ln.KindOf = true
			case "!len":
				ln.Len = true
			case "!resp2", "!resp3":
				p := int(d[5] - '0')
				if ln.Proto != 0 && ln.Proto != p {
					return nil, fmt.Errorf("%s:%d: both !resp2 and !resp3", name, no)
				}
				ln.Proto = p
			case "!approx":
				if len(toks) == 0 {
					return nil, fmt.Errorf("%s:%d: !approx needs a number", name, no)
				}
				n, err := strconv.Atoi(toks[0].s)
				if err != nil || n < 0 {
					return nil, fmt.Errorf("%s:%d: !approx needs a non-negative integer, got %q", name, no, toks[0].s)
				}
				ln.Approx = n
				toks = toks[1:]
			default:
				return nil, fmt.Errorf("%s:%d: unknown directive %s", name, no, d)
			}
		}
		if len(toks) == 0 {
			return nil, fmt.Errorf("%s:%d: directive without a command", name, no)
		}
		if ln.KindOf && ln.Len {
			return nil, fmt.Errorf("%s:%d: !kind and !len together", name, no)
		}
		for _, t := range toks {
			ln.Args = append(ln.Args, t.s)
		}
		sc.Lines = append(sc.Lines, ln)
	}
	return sc, nil
}

type token struct {
	s      string
	quoted bool
}

// splitLine splits a line into arguments the way redis-cli does: words
// separated by blanks; "double quotes" with \n \r \t \b \a \" \\ and \xHH
// escapes; 'single quotes' taken literally. A closing quote must be
// followed by a blank or the end of the line. A '#' that starts a word
// outside quotes starts a comment that runs to the end of the line.
func splitLine(line string) ([]token, error) {
	var toks []token
	i := 0
	for {
		for i < len(line) && isBlank(line[i]) {
			i++
		}
		if i >= len(line) || line[i] == '#' {
			return toks, nil
		}
		var b strings.Builder
		quoted := false
		for i < len(line) && !isBlank(line[i]) {
			switch c := line[i]; c {
			case '"':
				quoted = true
				i++
				for {
					if i >= len(line) {
						return nil, fmt.Errorf("unterminated double quote")
					}
					c := line[i]
					if c == '"' {
						i++
						break
					}
					if c == '\\' && i+1 < len(line) {
						i++
						switch e := line[i]; e {
						case 'n':
							b.WriteByte('\n')
						case 'r':
							b.WriteByte('\r')
						case 't':
							b.WriteByte('\t')
						case 'b':
							b.WriteByte('\b')
						case 'a':
							b.WriteByte('\a')
						case 'x':
							if i+2 >= len(line) || !isHex(line[i+1]) || !isHex(line[i+2]) {
								return nil, fmt.Errorf(`bad \x escape`)
							}
							v, _ := strconv.ParseUint(line[i+1:i+3], 16, 8)
							b.WriteByte(byte(v))
							i += 2
						default:
							b.WriteByte(e)
						}
						i++
						continue
					}
					b.WriteByte(c)
					i++
				}
				if i < len(line) && !isBlank(line[i]) {
					return nil, fmt.Errorf("closing quote must be followed by a blank")
				}
			case '\'':
				quoted = true
				i++
				j := strings.IndexByte(line[i:], '\'')
				if j < 0 {
					return nil, fmt.Errorf("unterminated single quote")
				}
				b.WriteString(line[i : i+j])
				i += j + 1
				if i < len(line) && !isBlank(line[i]) {
					return nil, fmt.Errorf("closing quote must be followed by a blank")
				}
			default:
				b.WriteByte(c)
				i++
			}
		}
		toks = append(toks, token{s: b.String(), quoted: quoted})
	}
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
