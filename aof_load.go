package embedis

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"github.com/embedis/embedis/persist"
)

// Loading the append-only log at Open.
//
// The manifest names a base (an RDB, recognised by its "REDIS" magic, or
// RESP commands) and the incremental files, which are replayed in order
// through the dispatcher, as every other entry point runs commands. The
// loader is a client with no connection that never expires keys by the
// store's clock (as Redis loads: a key whose PEXPIREAT is in the past
// stays until it is read or the active cycle deletes it). SELECT changes
// its database; MULTI ... EXEC are collected by the loader and applied in
// order at EXEC; "#" lines are annotations and skipped.
//
// Damage: a last file (the last incremental file, or the base when there
// is none) that ends inside a command, or inside a MULTI without its
// EXEC, is cut back to the last complete command before it, with a logged
// warning, when aof-load-truncated is yes (Options.AOFStrictLoad false);
// anything else that is not a well-formed command fails Open with an
// error naming the file and the byte offset. A file the manifest names
// that does not exist fails Open.

// errAOFTruncated marks a file that ends inside a command.
var errAOFTruncated = errors.New("unexpected end of file")

// aofParseError is a malformed command at a byte offset.
type aofParseError struct {
	off int64
	msg string
}

func (e *aofParseError) Error() string {
	return fmt.Sprintf("byte offset %d: bad file format reading the append only file: %s", e.off, e.msg)
}

// aofReader reads RESP commands from a log file, tracking the offset.
type aofReader struct {
	r   *bufio.Reader
	off int64
	buf []byte // reused for each argument
}

// line reads a line ending in "\n"; io.EOF at offset start only when
// nothing was read.
func (ar *aofReader) line() (string, error) {
	s, err := ar.r.ReadString('\n')
	ar.off += int64(len(s))
	if err == io.EOF {
		if s == "" {
			return "", io.EOF
		}
		return "", errAOFTruncated
	}
	if err != nil {
		return "", err
	}
	return strings.TrimRight(s, "\r\n"), nil
}

// next returns the next command, or nil for an annotation. io.EOF: the
// file ended at a command boundary.
func (ar *aofReader) next() ([]string, error) {
	start := ar.off
	l, err := ar.line()
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(l, "#") {
		return nil, nil
	}
	if !strings.HasPrefix(l, "*") {
		return nil, &aofParseError{start, "expected '*'"}
	}
	argc, err := strconv.ParseInt(l[1:], 10, 64)
	if err != nil || argc < 1 || argc > 1<<20 {
		return nil, &aofParseError{start, "invalid argument count"}
	}
	args := make([]string, 0, min(argc, 64))
	for i := int64(0); i < argc; i++ {
		at := ar.off
		l, err := ar.line()
		if err == io.EOF {
			return nil, errAOFTruncated
		}
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(l, "$") {
			return nil, &aofParseError{at, "expected '$'"}
		}
		n, err := strconv.ParseInt(l[1:], 10, 64)
		if err != nil || n < 0 || n > 1<<32 {
			return nil, &aofParseError{at, "invalid bulk length"}
		}
		if int64(cap(ar.buf)) < n+2 {
			ar.buf = make([]byte, n+2)
		}
		buf := ar.buf[:n+2]
		m, err := io.ReadFull(ar.r, buf)
		ar.off += int64(m)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, errAOFTruncated
		}
		if err != nil {
			return nil, err
		}
		if buf[n] != '\r' || buf[n+1] != '\n' {
			return nil, &aofParseError{at, "bulk string not followed by CRLF"}
		}
		args = append(args, string(buf[:n]))
	}
	return args, nil
}

// aofLoader replays commands into the store.
type aofLoader struct {
	s     *Store
	cl    *client
	multi [][]string // commands between MULTI and EXEC; nil outside
	inTx  bool
}

// apply runs one command of the log.
func (ld *aofLoader) apply(args []string) error {
	switch {
	case strings.EqualFold(args[0], "multi"):
		if ld.inTx {
			return errors.New("MULTI inside MULTI")
		}
		ld.inTx, ld.multi = true, ld.multi[:0]
		return nil
	case strings.EqualFold(args[0], "exec"):
		if !ld.inTx {
			return errors.New("EXEC without MULTI")
		}
		ld.inTx = false
		for _, a := range ld.multi {
			if err := ld.run(a); err != nil {
				return err
			}
		}
		ld.multi = ld.multi[:0]
		return nil
	case ld.inTx:
		ld.multi = append(ld.multi, args)
		return nil
	}
	return ld.run(args)
}

// run runs one command now.
func (ld *aofLoader) run(args []string) error {
	if strings.EqualFold(args[0], "select") {
		if len(args) != 2 {
			return errors.New("wrong number of arguments for SELECT")
		}
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 0 || n >= len(ld.s.dbs) {
			return fmt.Errorf("SELECT %q: database out of range (the store has %d)", args[1], len(ld.s.dbs))
		}
		ld.cl.db = n
		return nil
	}
	if _, errv, ok := resolve(args); !ok {
		return fmt.Errorf("unknown command %q reading the append only file: %s", args[0], errv.str)
	}
	// Command errors (WRONGTYPE and the like) are ignored, as Redis's
	// loader discards the fake client's replies.
	ld.s.dispatch(ld.cl, args)
	return nil
}

// loadAOF loads the manifest and its files, before the executor starts
// (Open). It does nothing without Options.AppendOnly or without a
// manifest.
func (s *Store) loadAOF() error {
	a := &s.aof
	if a.backend == nil {
		return nil
	}
	mname := manifestFileName(a.prefix)
	data, err := readAll(a.backend, mname)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("embedis: reading AOF manifest %s/%s: %w", a.where, mname, err)
	}
	m, err := parseManifest(data, a.where+"/"+mname)
	if err != nil {
		return fmt.Errorf("embedis: loading AOF: %w", err)
	}
	a.manifest, a.hasManifest = m, true
	if !s.opts.AppendOnly {
		return nil
	}
	// Leftovers of a crash in a rewrite or a manifest write hold nothing
	// committed.
	if files, err := a.backend.List(); err == nil {
		for _, f := range files {
			if strings.HasPrefix(f.Name, rewriteTmpPrefix) || persist.IsTemp(f.Name) {
				_ = a.backend.Remove(f.Name)
			}
		}
	}
	ld := &aofLoader{s: s, cl: &client{proto: 2, primary: true}}
	var files []aofFile
	if m.base != nil {
		files = append(files, *m.base)
	}
	files = append(files, m.incr...)
	for i, f := range files {
		if err := s.loadAOFFile(ld, f, i == len(files)-1); err != nil {
			return err
		}
	}
	a.loaded = true
	s.persist.dirtyAtSave = s.stats.dirty
	return nil
}

// loadAOFFile loads one file of the log; last says whether a truncated
// tail may be cut off.
func (s *Store) loadAOFFile(ld *aofLoader, f aofFile, last bool) error {
	a := &s.aof
	path := a.where + "/" + f.name
	r, err := a.backend.Open(f.name)
	if err != nil {
		return fmt.Errorf("embedis: loading AOF %s: %w", path, err)
	}
	defer r.Close()
	size := r.Size()
	if size == 0 {
		return nil
	}
	var magic [5]byte
	if n, _ := r.ReadAt(magic[:], 0); n == 5 && string(magic[:]) == "REDIS" {
		if err := s.loadSnapshot(io.NewSectionReader(r, 0, size), path); err != nil {
			return fmt.Errorf("embedis: loading AOF: %w", err)
		}
		return nil
	}
	ar := &aofReader{r: bufio.NewReaderSize(io.NewSectionReader(r, 0, size), 64<<10)}
	ld.cl.db = 0 // each file starts in database 0, as Redis's fake client
	valid, beforeMulti := int64(0), int64(0)
	for {
		args, err := ar.next()
		if err == io.EOF {
			break
		}
		if errors.Is(err, errAOFTruncated) {
			if ld.inTx { // revert the incomplete transaction too
				ld.inTx, ld.multi, valid = false, ld.multi[:0], beforeMulti
			}
			return s.aofTruncated(f, path, valid, last, "unexpected end of file")
		}
		if err != nil {
			return fmt.Errorf("embedis: loading AOF %s: %w", path, err)
		}
		if args == nil {
			valid = ar.off
			continue
		}
		if !ld.inTx && strings.EqualFold(args[0], "multi") {
			beforeMulti = valid
		}
		if err := ld.apply(args); err != nil {
			return fmt.Errorf("embedis: loading AOF %s: command at byte offset %d: %w", path, valid, err)
		}
		valid = ar.off
	}
	if ld.inTx {
		ld.inTx, ld.multi = false, ld.multi[:0]
		return s.aofTruncated(f, path, beforeMulti, last, "MULTI without EXEC (incomplete transaction)")
	}
	return nil
}

// aofTruncated handles a file that ends inside a command: cut it back to
// valid when it is the last file and aof-load-truncated is yes.
func (s *Store) aofTruncated(f aofFile, path string, valid int64, last bool, what string) error {
	a := &s.aof
	if !last || !a.loadTruncated {
		return fmt.Errorf("embedis: loading AOF %s: byte offset %d: %s (the last complete command ends there; aof-load-truncated is %s, last file: %v)", path, valid, what, yesNo(a.loadTruncated), last)
	}
	a.logf("embedis: !!! Warning: short read while loading the AOF file %s !!! %s after byte offset %d; AOF loaded anyway because aof-load-truncated is enabled; truncating the file to %d bytes", path, what, valid, valid)
	if err := a.backend.Truncate(f.name, valid); err != nil {
		return fmt.Errorf("embedis: loading AOF %s: truncating to %d bytes: %w", path, valid, err)
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
