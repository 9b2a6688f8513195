package main

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServerProcess builds the server and runs it as a user would, with
// redis-server's command line: it serves on a Unix socket, asks for the
// password given with --requirepass, and exits cleanly on SIGINT.
func TestServerProcess(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "server")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	sock := filepath.Join(dir, "s.sock")
	cmd := exec.Command(bin, "--port", "0", "--unixsocket", sock, "--requirepass", "secret", "--maxmemory-policy", "allkeys-lru")
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer cmd.Process.Kill()
	// The server logs its listener once it is ready.
	lines := bufio.NewScanner(stderr)
	ready := false
	for lines.Scan() {
		if strings.Contains(lines.Text(), "serving the Redis protocol on "+sock) {
			ready = true
			break
		}
	}
	require.True(t, ready, "the server never said it was serving")
	go func() {
		for lines.Scan() { // keep draining so the server never blocks on its log
		}
	}()

	c, err := net.Dial("unix", sock)
	require.NoError(t, err)
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	rd := bufio.NewReader(c)
	send := func(cmd string) string {
		_, err := c.Write([]byte(cmd + "\r\n"))
		require.NoError(t, err)
		line, err := rd.ReadString('\n')
		require.NoError(t, err)
		return strings.TrimRight(line, "\r\n")
	}
	assert.True(t, strings.HasPrefix(send("PING"), "-NOAUTH"))
	assert.Equal(t, "+OK", send("AUTH secret"))
	assert.Equal(t, "+PONG", send("PING"))
	assert.Equal(t, "*2", send("CONFIG GET maxmemory-policy"))

	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		assert.NoError(t, err, "the server's exit after SIGINT")
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not exit after SIGINT")
	}
	_, err = os.Stat(sock)
	assert.True(t, os.IsNotExist(err), "the socket file is removed: %v", err)
}
