package main

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/embedis/embedis"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func files(m map[string]string) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		if s, ok := m[p]; ok {
			return []byte(s), nil
		}
		return nil, os.ErrNotExist
	}
}

func TestParseCommandLine(t *testing.T) {
	read := files(map[string]string{
		"r.conf": "# comment\n\nport 7000\nsave 900 1\n  requirepass \"a b\"  \n",
	})
	for _, c := range []struct {
		args []string
		want []string // directives as "name args" with src
	}{
		{[]string{"r.conf", "--port", "6390", "--save", "", "--maxmemory", "1gb"},
			[]string{"r.conf:3 port 7000", "r.conf:4 save 900 1", "r.conf:5 requirepass a b", "command line port 6390", "command line save", "command line maxmemory 1gb"}},
		{[]string{"--save", "900", "1", "300", "10", "--appendonly", "yes"},
			[]string{"command line save 900 1 300 10", "command line appendonly yes"}},
		{[]string{"-addr", "127.0.0.1:7001", "-requirepass=x", "-databases", "4"},
			[]string{"command line addr 127.0.0.1:7001", "command line requirepass x", "command line databases 4"}},
		{[]string{"--PORT", "1"}, []string{"command line port 1"}},
	} {
		ds, err := parseCommandLine(c.args, read)
		require.NoError(t, err, "%q", c.args)
		var got []string
		for _, d := range ds {
			got = append(got, d.src+" "+d.String())
		}
		assert.Equal(t, c.want, got, "%q", c.args)
	}
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"missing.conf"}, "reading the config file"},
		{[]string{"--port", "1", "stray.conf"}, ""}, // a value of --port
		{[]string{"-x", "1"}, `"-x" is not a --directive`},
		{[]string{"bad.conf"}, "bad.conf:2"},
	} {
		read := files(map[string]string{"bad.conf": "port 1\nrequirepass \"unterminated\n"})
		_, err := parseCommandLine(c.args, read)
		if c.err == "" {
			assert.NoError(t, err)
			continue
		}
		require.Error(t, err, "%q", c.args)
		assert.Contains(t, err.Error(), c.err)
	}
}

func TestBuildConfig(t *testing.T) {
	build := func(args ...string) (*serverConfig, error) {
		ds, err := parseCommandLine(args, files(nil))
		require.NoError(t, err)
		return buildConfig(ds)
	}
	c, err := build()
	require.NoError(t, err)
	assert.Equal(t, []string{"127.0.0.1:6380"}, c.addrs)

	c, err = build("--port", "7000", "--bind", "127.0.0.1", "-::1", "--requirepass", "pw", "--databases", "2", "--hz", "50")
	require.NoError(t, err)
	assert.Equal(t, []string{"127.0.0.1:7000", "[::1]:7000"}, c.addrs)
	assert.Equal(t, embedis.Options{Password: "pw", Databases: 2, Hz: 50}, c.opts)

	c, err = build("--bind", "*", "-::*", "--port", "7000")
	require.NoError(t, err)
	assert.Equal(t, []string{":7000"}, c.addrs)

	c, err = build("-addr", "127.0.0.1:7001", "--port", "9")
	require.NoError(t, err)
	assert.Equal(t, []string{"127.0.0.1:7001"}, c.addrs, "-addr wins over port and bind")

	// save lines accumulate; an empty one clears.
	c, err = build("--save", "900", "1", "--save", "300", "10", "--maxmemory", "1mb")
	require.NoError(t, err)
	assert.Equal(t, []string{"maxmemory 1mb", "save 900 1 300 10"}, strs(c.set))
	c, err = build("--save", "900", "1", "--save", "")
	require.NoError(t, err)
	assert.Equal(t, []string{"save"}, strs(c.set))

	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"--port", "x"}, "between 0 and 65535"},
		{[]string{"--port", "1", "2"}, "wrong number of arguments"},
		{[]string{"--databases", "0"}, "between 1 and 65536"},
		{[]string{"--rename-command", "FLUSHALL", ""}, "does not rename commands"},
		{[]string{"--bind"}, "wrong number of arguments"},
	} {
		_, err := build(c.args...)
		require.Error(t, err, "%q", c.args)
		assert.Contains(t, err.Error(), c.err)
		var ce *configError
		assert.True(t, errors.As(err, &ce))
	}
}

func strs(ds []directive) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.String())
	}
	return out
}

// startFor runs the server's start-up on args and returns the store; the
// listeners are closed and the store with them at the end of the test.
func startFor(t *testing.T, args ...string) (*embedis.Store, *serverConfig, error) {
	t.Helper()
	c, err := loadConfig(args)
	if err != nil {
		return nil, nil, err
	}
	s, ls, err := start(c)
	if err != nil {
		return nil, nil, err
	}
	t.Cleanup(func() {
		for _, l := range ls {
			l.Close()
		}
		s.Close()
	})
	return s, c, nil
}

func configGet(t *testing.T, s *embedis.Store, name string) string {
	t.Helper()
	v, err := s.Do(context.Background(), "CONFIG", "GET", name)
	require.NoError(t, err)
	require.Len(t, v.Elems(), 2, "CONFIG GET %s", name)
	return v.Elems()[1].Str()
}

func TestStartWithConfigFile(t *testing.T) {
	s, c, err := startFor(t, "testdata/embedis.conf", "--maxmemory-policy", "volatile-ttl", "--unixsocket", t.TempDir()+"/s.sock")
	require.NoError(t, err)
	for name, want := range map[string]string{
		"maxmemory":               "104857600",
		"maxmemory-policy":        "volatile-ttl", // the command line wins
		"slowlog-log-slower-than": "5000",
		"save":                    "900 1 300 10",
		"timeout":                 "300",
		"busy-reply-threshold":    "2000",
	} {
		assert.Equal(t, want, configGet(t, s, name), name)
	}
	// These read back as CONFIG SET of the file's value leaves them (how
	// CONFIG normalizes them is CONFIG's business, tested with it).
	ref, err := embedis.Open(embedis.Options{})
	require.NoError(t, err)
	defer ref.Close()
	for name, value := range map[string]string{
		"notify-keyspace-events":     "Ex",
		"client-output-buffer-limit": "pubsub 64mb 16mb 90",
	} {
		v, err := ref.Do(context.Background(), "CONFIG", "SET", name, value)
		require.NoError(t, err)
		require.NoError(t, v.Err())
		assert.Equal(t, configGet(t, ref, name), configGet(t, s, name), name)
	}
	assert.Equal(t, `from "include"`, c.opts.Password)
	assert.Equal(t, 4, c.opts.Databases)
	assert.Equal(t, []string{"pidfile /var/run/embedis-test.pid"}, strs(c.ignored))
	// A client must AUTH over the wire with the included password.
	conn, err := s.DialContext(context.Background(), "", "")
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("PING\r\n"))
	require.NoError(t, err)
	buf := make([]byte, 64)
	n, _ := conn.Read(buf)
	assert.True(t, strings.HasPrefix(string(buf[:n]), "-NOAUTH"), "%q", buf[:n])
}

func TestStartRefusesBadDirectives(t *testing.T) {
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"--port", "0", "--no-such-directive", "1"}, "Bad directive"},
		{[]string{"--port", "0", "--maxmemory-policy", "sometimes"}, "maxmemory-policy"},
		{[]string{"--port", "0", "--appendfsync", "always", "--hz", "0"}, "between 1 and 500"},
		{[]string{"--port", "0"}, "nothing to listen on"},
	} {
		if len(c.args) > 2 {
			c.args = append(c.args, "--unixsocket", t.TempDir()+"/s.sock")
		}
		_, _, err := startFor(t, c.args...)
		require.Error(t, err, "%q", c.args)
		assert.Contains(t, err.Error(), c.err, "%q", c.args)
	}
}

// The redis.conf a Redis package installs starts the server (where one is
// installed, as in CI), with the directives embedis cannot honour logged.
func TestStartWithInstalledRedisConf(t *testing.T) {
	const path = "/etc/redis/redis.conf"
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			// .ci/run installs Debian's redis-server, which ships it.
			t.Fatalf("%s: %v (CI=true)", path, err)
		}
		t.Skipf("%s: %v", path, err)
	}
	_, c, err := startFor(t, path, "--port", "0", "--unixsocket", t.TempDir()+"/s.sock")
	require.NoError(t, err)
	for _, d := range c.ignored {
		t.Logf("ignored: %s (%s)", d, d.src)
	}
}
