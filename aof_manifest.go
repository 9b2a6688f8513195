package embedis

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/embedis/embedis/internal/resp"
)

// The AOF manifest of Redis 7.0's multi-part append-only file.
//
// The manifest (appendonly.aof.manifest in appenddirname) lists the files
// that make up the log, one per line:
//
//	file appendonly.aof.2.base.rdb seq 2 type b
//	file appendonly.aof.1.incr.aof seq 1 type h
//	file appendonly.aof.3.incr.aof seq 3 type i
//
// "b" is the base (an RDB preamble, .rdb, or RESP commands, .aof), "i" the
// incremental files in replay order (increasing seq), "h" history files a
// finished rewrite left behind, which nothing loads and which are
// removed. Lines starting with '#' are comments; keys may come in any
// order and unknown key/value pairs are ignored (Redis's forward
// compatibility); a name that needs quoting is written as Redis's
// sdscatrepr quotes it and read back with the rules of its sdssplitargs.
// The file is always replaced atomically (write a temporary file, fsync,
// rename, fsync the directory), so a crash leaves the old list or the new
// one.

// aofFileType is a manifest entry's type letter.
type aofFileType byte

const (
	aofBase aofFileType = 'b'
	aofHist aofFileType = 'h'
	aofIncr aofFileType = 'i'
)

// aofFile is one manifest entry.
type aofFile struct {
	name string
	seq  int64
	typ  aofFileType
}

// aofManifest is the parsed manifest. A value type: the writer goroutine
// copies it, changes the copy, persists it and only then adopts it.
type aofManifest struct {
	base    *aofFile
	history []aofFile
	incr    []aofFile
	// baseSeq and incrSeq are the highest sequence numbers used, for the
	// next names.
	baseSeq, incrSeq int64
}

// manifestMaxLine is the longest line Redis accepts in a manifest.
const manifestMaxLine = 1024

// parseManifest parses a manifest's content; name is used in errors.
func parseManifest(data []byte, name string) (aofManifest, error) {
	var m aofManifest
	if len(data) == 0 {
		return m, fmt.Errorf("manifest %s: found an empty AOF manifest", name)
	}
	var maxSeq int64
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	lineno := 0
	for sc.Scan() {
		lineno++
		raw := sc.Text()
		if strings.HasPrefix(raw, "#") {
			continue
		}
		if len(raw) > manifestMaxLine {
			return m, fmt.Errorf("manifest %s line %d: the AOF manifest file contains too long line", name, lineno)
		}
		line := strings.Trim(raw, " \t\r\n")
		if line == "" {
			return m, fmt.Errorf("manifest %s line %d: invalid AOF manifest file format", name, lineno)
		}
		args, ok := resp.SplitArgs([]byte(line))
		if !ok || len(args) < 6 || len(args)%2 != 0 {
			return m, fmt.Errorf("manifest %s line %d: invalid AOF manifest file format", name, lineno)
		}
		var f aofFile
		for i := 0; i < len(args); i += 2 {
			switch strings.ToLower(args[i]) {
			case "file":
				f.name = args[i+1]
				if strings.ContainsAny(f.name, "/\\") || f.name == "." || f.name == ".." {
					return m, fmt.Errorf("manifest %s line %d: file can't be a path, just a filename", name, lineno)
				}
			case "seq":
				f.seq = atoll(args[i+1])
			case "type":
				if args[i+1] != "" {
					f.typ = aofFileType(args[i+1][0])
				}
			}
		}
		if f.name == "" || f.seq == 0 || f.typ == 0 {
			return m, fmt.Errorf("manifest %s line %d: invalid AOF manifest file format", name, lineno)
		}
		switch f.typ {
		case aofBase:
			if m.base != nil {
				return m, fmt.Errorf("manifest %s line %d: found duplicate base file information", name, lineno)
			}
			b := f
			m.base = &b
			m.baseSeq = f.seq
		case aofHist:
			m.history = append(m.history, f)
		case aofIncr:
			if f.seq <= maxSeq {
				return m, fmt.Errorf("manifest %s line %d: found a non-monotonic sequence number", name, lineno)
			}
			m.incr = append(m.incr, f)
			m.incrSeq, maxSeq = f.seq, f.seq
		default:
			return m, fmt.Errorf("manifest %s line %d: unknown AOF file type %q", name, lineno, byte(f.typ))
		}
	}
	if err := sc.Err(); err != nil {
		return m, fmt.Errorf("manifest %s line %d: %w", name, lineno+1, err)
	}
	if lineno == 0 {
		return m, fmt.Errorf("manifest %s: found an empty AOF manifest", name)
	}
	return m, nil
}

// atoll is C's atoll: leading digits with an optional sign, 0 otherwise.
func atoll(s string) int64 {
	s = strings.TrimLeft(s, " \t")
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, _ := strconv.ParseInt(s[:i], 10, 64)
	return n
}

// bytes formats the manifest as Redis writes it: base, history, incr.
func (m *aofManifest) bytes() []byte {
	var b []byte
	line := func(f aofFile) {
		b = append(b, "file "...)
		b = append(b, manifestName(f.name)...)
		b = append(b, " seq "...)
		b = strconv.AppendInt(b, f.seq, 10)
		b = append(b, " type "...)
		b = append(b, byte(f.typ), '\n')
	}
	if m.base != nil {
		line(*m.base)
	}
	for _, f := range m.history {
		line(f)
	}
	for _, f := range m.incr {
		line(f)
	}
	return b
}

// manifestName quotes a file name as sdscatrepr does when it needs it
// (sdsneedsrepr: a space, a quote, a backslash or a non-printable byte).
func manifestName(name string) string {
	need := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '\\' || c == '"' || c == '\'' || c <= ' ' || c >= 0x7f {
			need = true
			break
		}
	}
	if !need {
		return name
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(name); i++ {
		switch c := name[i]; c {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		default:
			if c > ' ' && c < 0x7f || c == ' ' {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, `\x%02x`, c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// clone returns a deep copy.
func (m aofManifest) clone() aofManifest {
	if m.base != nil {
		b := *m.base
		m.base = &b
	}
	m.history = append([]aofFile(nil), m.history...)
	m.incr = append([]aofFile(nil), m.incr...)
	return m
}

// newIncr adds a new incremental file and returns its name.
func (m *aofManifest) newIncr(prefix string) string {
	m.incrSeq++
	f := aofFile{name: fmt.Sprintf("%s.%d.incr.aof", prefix, m.incrSeq), seq: m.incrSeq, typ: aofIncr}
	m.incr = append(m.incr, f)
	return f.name
}

// newBase makes name the base, with the next base sequence number; the
// previous base and every incremental file before the last keep files
// of the rewrite become history.
func (m *aofManifest) baseName(prefix string, rdbPreamble bool) (string, int64) {
	ext := ".aof"
	if rdbPreamble {
		ext = ".rdb"
	}
	seq := m.baseSeq + 1
	return fmt.Sprintf("%s.%d.base%s", prefix, seq, ext), seq
}

// manifestFileName is the manifest's name for appendfilename prefix.
func manifestFileName(prefix string) string { return prefix + ".manifest" }
