package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/embedis/embedis"
	"github.com/embedis/embedis/internal/resp"
)

// directive is one line of configuration: a name and its arguments, with
// where it came from for error messages.
type directive struct {
	name string
	args []string
	src  string // "file:line" or "command line"
}

func (d directive) String() string {
	return strings.TrimSpace(d.name + " " + strings.Join(d.args, " "))
}

// configError is a directive the server cannot accept, reported as
// redis-server reports a bad config file.
type configError struct {
	d   directive
	why string
}

func (e *configError) Error() string {
	return fmt.Sprintf("*** FATAL CONFIG FILE ERROR (embedis) *** at %s\n>>> '%s'\n%s", e.d.src, e.d, e.why)
}

// oldFlags are the Go-style flags the server took before it read Redis
// configuration; they keep working ("-addr 127.0.0.1:6380", "-addr=...").
var oldFlags = map[string]bool{"addr": true, "requirepass": true, "databases": true,
	"dir": true, "dbfilename": true, "save": true,
	"appendonly": true, "appendfsync": true, "appenddirname": true}

// parseCommandLine reads redis-server's command line: an optional config
// file path first ("-" for standard input), then "--directive value..."
// pairs, each taking the arguments up to the next "--name". The old
// single-dash flags -addr, -requirepass and -databases are accepted too.
// Directives from the command line come after the file's, so they win.
func parseCommandLine(args []string, readFile func(string) ([]byte, error)) ([]directive, error) {
	var out []directive
	if len(args) > 0 && (!strings.HasPrefix(args[0], "-") || args[0] == "-") {
		ds, err := readConfigFile(args[0], readFile, 0)
		if err != nil {
			return nil, err
		}
		out, args = ds, args[1:]
	}
	var cur *directive
	for _, a := range args {
		name, isName := "", false
		switch {
		case strings.HasPrefix(a, "--") && len(a) > 2:
			name, isName = a[2:], true
		case strings.HasPrefix(a, "-") && oldFlags[strings.SplitN(a[1:], "=", 2)[0]]:
			name, isName = a[1:], true
		}
		if !isName {
			if cur == nil {
				return nil, fmt.Errorf("command line: %q is not a --directive (a config file path must come first)", a)
			}
			cur.args = append(cur.args, a)
			continue
		}
		d := directive{src: "command line"}
		if n, v, ok := strings.Cut(name, "="); ok && oldFlags[n] {
			name, d.args = n, []string{v}
		}
		d.name = strings.ToLower(name)
		out = append(out, d)
		cur = &out[len(out)-1]
	}
	return out, nil
}

// readConfigFile reads a redis.conf file: one directive per line, its
// arguments split as redis-server splits them (quotes and escapes), "#"
// comments and blank lines skipped, "include path" read in place.
func readConfigFile(path string, readFile func(string) ([]byte, error), depth int) ([]directive, error) {
	if depth > 16 {
		return nil, fmt.Errorf("%s: includes nested too deep", path)
	}
	var b []byte
	var err error
	if path == "-" {
		b, err = readFile("/dev/stdin")
	} else {
		b, err = readFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the config file: %w", err)
	}
	var out []directive
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		src := fmt.Sprintf("%s:%d", path, i+1)
		argv, ok := resp.SplitArgs([]byte(line))
		if !ok {
			return nil, &configError{directive{name: line, src: src}, "Unbalanced quotes in configuration line"}
		}
		if len(argv) == 0 {
			continue
		}
		d := directive{name: strings.ToLower(argv[0]), args: argv[1:], src: src}
		if d.name == "include" {
			if len(d.args) != 1 {
				return nil, &configError{d, "include takes one file"}
			}
			inc, err := readConfigFile(d.args[0], readFile, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, inc...)
			continue
		}
		out = append(out, d)
	}
	return out, nil
}

// serverConfig is what the directives ask for: the store's options, where
// to listen, and the settings applied with CONFIG SET once the store is
// open.
type serverConfig struct {
	opts       embedis.Options
	addrs      []string // TCP addresses to listen on
	unixSocket string
	// set are applied in order with CONFIG SET.
	set []directive
	// ignored are directives CONFIG knows but that cannot change once a
	// store is open (or mean nothing for embedis: daemonize, pidfile,
	// logfile ...); they are logged, not fatal.
	ignored []directive
}

// startOnly are directives read before the store opens: the options of
// Open and the listeners.
var startOnly = map[string]bool{
	"port": true, "bind": true, "addr": true, "unixsocket": true,
	"requirepass": true, "databases": true, "hz": true,
}

// unsupported are redis.conf directives that CONFIG does not know and
// embedis does not implement; redis-server accepts them, so a file with
// them gets a clear error rather than "bad directive".
var unsupported = map[string]string{
	"rename-command": "embedis does not rename commands",
	"user":           "embedis has no ACL users yet",
	"loadmodule":     "embedis does not load Redis modules",
	"sentinel":       "embedis is not a Sentinel",
}

// buildConfig turns directives into a serverConfig. Names it does not
// handle itself go to CONFIG SET (checked by applyConfig).
func buildConfig(ds []directive) (*serverConfig, error) {
	c := &serverConfig{}
	port, binds := "6380", []string{"127.0.0.1"}
	var addr string
	// save lines accumulate in a file (save 900 1 / save 300 10), and
	// client-output-buffer-limit lines set one class each: Redis joins
	// the first and applies the second one at a time.
	var saves []string
	savesSeen := false
	for _, d := range ds {
		if why, ok := unsupported[d.name]; ok {
			return nil, &configError{d, why}
		}
		one := func() (string, error) {
			if len(d.args) != 1 {
				return "", &configError{d, "wrong number of arguments"}
			}
			return d.args[0], nil
		}
		num := func(lo, hi int) (int, error) {
			v, err := one()
			if err != nil {
				return 0, err
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < lo || n > hi {
				return 0, &configError{d, fmt.Sprintf("argument must be between %d and %d", lo, hi)}
			}
			return n, nil
		}
		var err error
		switch d.name {
		case "port":
			var n int
			n, err = num(0, 65535)
			port = strconv.Itoa(n)
		case "bind":
			if len(d.args) == 0 {
				return nil, &configError{d, "wrong number of arguments"}
			}
			binds = binds[:0]
			for _, a := range d.args {
				a = strings.TrimPrefix(a, "-") // "-::*": optional address
				switch a {
				case "*", "::*":
					a = ""
				}
				binds = append(binds, a)
			}
		case "addr":
			addr, err = one()
		case "unixsocket":
			c.unixSocket, err = one()
		case "dir":
			c.opts.Dir, err = one()
		case "appendonly":
			var v string
			if v, err = one(); err == nil {
				switch strings.ToLower(v) {
				case "yes":
					c.opts.AppendOnly = true
				case "no":
					c.opts.AppendOnly = false
				default:
					err = &configError{d, "argument must be 'yes' or 'no'"}
				}
			}
		case "appendfsync":
			var v string
			if v, err = one(); err == nil {
				switch strings.ToLower(v) {
				case "always":
					c.opts.AppendFsync = embedis.FsyncAlways
				case "everysec":
					c.opts.AppendFsync = embedis.FsyncEverySec
				case "no":
					c.opts.AppendFsync = embedis.FsyncNo
				default:
					err = &configError{d, "argument(s) must be one of the following: always, everysec, no"}
				}
			}
		case "appenddirname":
			c.opts.AppendDirName, err = one()
		case "dbfilename":
			c.opts.DBFilename, err = one()
		case "requirepass":
			c.opts.Password, err = one()
		case "databases":
			c.opts.Databases, err = num(1, 1<<16)
		case "hz":
			c.opts.Hz, err = num(1, 500)
		case "save":
			if !savesSeen {
				saves, savesSeen = nil, true
			}
			if len(d.args) == 1 && d.args[0] == "" {
				saves = nil
			} else {
				saves = append(saves, d.args...)
			}
		default:
			c.set = append(c.set, d)
		}
		if err != nil {
			return nil, err
		}
	}
	if savesSeen {
		c.set = append(c.set, directive{name: "save", args: []string{strings.Join(saves, " ")}, src: "save lines"})
	}
	if addr != "" {
		c.addrs = []string{addr}
	} else if port != "0" {
		seen := map[string]bool{}
		for _, b := range binds {
			a := netJoin(b, port)
			if !seen[a] {
				seen[a] = true
				c.addrs = append(c.addrs, a)
			}
		}
	}
	return c, nil
}

// netJoin is net.JoinHostPort, with "" meaning every interface.
func netJoin(host, port string) string {
	if strings.Contains(host, ":") {
		return "[" + host + "]:" + port
	}
	return host + ":" + port
}

// applyConfig applies the CONFIG SET settings to the open store. A name
// CONFIG does not know is fatal, as in redis-server; one it knows but
// cannot change at run time (immutable or protected) is recorded in
// c.ignored.
func applyConfig(ctx context.Context, s *embedis.Store, c *serverConfig) error {
	for _, d := range c.set {
		known, err := s.Do(ctx, "CONFIG", "GET", d.name)
		if err != nil {
			return err
		}
		if len(known.Elems()) == 0 {
			return &configError{d, "Bad directive or wrong number of arguments"}
		}
		v, err := s.Do(ctx, "CONFIG", "SET", d.name, strings.Join(d.args, " "))
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			msg := err.Error()
			if strings.Contains(msg, "can't set immutable config") || strings.Contains(msg, "can't set protected config") {
				// Quietly accepted when it asks for what the store has.
				if len(known.Elems()) != 2 || known.Elems()[1].Str() != strings.Join(d.args, " ") {
					c.ignored = append(c.ignored, d)
				}
				continue
			}
			return &configError{d, msg}
		}
	}
	return nil
}

// errNoListener is returned when the configuration listens nowhere.
var errNoListener = errors.New("nothing to listen on: port 0 and no unixsocket")

// loadConfig reads the command line into a serverConfig.
func loadConfig(args []string) (*serverConfig, error) {
	ds, err := parseCommandLine(args, os.ReadFile)
	if err != nil {
		return nil, err
	}
	c, err := buildConfig(ds)
	if err != nil {
		return nil, err
	}
	if len(c.addrs) == 0 && c.unixSocket == "" {
		return nil, errNoListener
	}
	return c, nil
}
