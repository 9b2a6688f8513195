package redistest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// startTimeout bounds how long Start waits for redis-server to say it is
// ready; it is a failure bound, not a synchronization delay.
const startTimeout = 20 * time.Second

// InCI reports whether the tests run in CI (the environment variable CI is
// "true"), where a missing redis-server is a failure rather than a skip.
func InCI() bool { return os.Getenv("CI") == "true" }

// Start starts a real redis-server from PATH for t, listening on a free
// 127.0.0.1 port with persistence off and a t.TempDir() as its working
// directory, waits until it answers PING, and returns its address. The
// server is killed and reaped in t.Cleanup.
//
// Without a redis-server on PATH the test is skipped, except in CI (see
// InCI), where it fails.
func Start(t testing.TB) (addr string) {
	t.Helper()
	return StartWith(t)
}

// StartWith is Start with extra redis-server configuration arguments
// appended to the command line, e.g. "--enable-debug-command", "local".
func StartWith(t testing.TB, args ...string) (addr string) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if InCI() {
			t.Fatalf("redistest: redis-server is not on PATH (CI=true): %v", err)
		}
		t.Skipf("redistest: redis-server is not on PATH: %v", err)
	}
	dir := t.TempDir()
	var lastErr error
	// The port is found free and then handed to redis-server, so another
	// process may take it in between: then redis-server exits with
	// "Address already in use" and we try another port.
	for range 5 {
		addr, err := startOnce(t, bin, dir, args)
		if err == nil {
			return addr
		}
		lastErr = err
	}
	t.Fatalf("redistest: starting redis-server: %v", lastErr)
	return ""
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func startOnce(t testing.TB, bin, dir string, extra []string) (string, error) {
	port, err := freePort()
	if err != nil {
		return "", err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	args := []string{
		"--port", strconv.Itoa(port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--daemonize", "no",
		"--dir", dir,
		"--logfile", "",
		"--loglevel", "notice",
	}
	cmd := exec.Command(bin, append(args, extra...)...)
	log := &logWatcher{ready: make(chan struct{})}
	cmd.Stdout = log
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		return "", err
	}
	exited := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(exited)
	}()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}

	// Wait for the log line that says the server accepts connections (or
	// for the process to die, or for the failure bound).
	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case <-log.ready:
	case <-exited:
		return "", fmt.Errorf("redis-server on port %d exited before it was ready (%v); its log:\n%s", port, waitErr, log.text())
	case <-timer.C:
		stop()
		return "", fmt.Errorf("redis-server on port %d not ready after %v; its log:\n%s", port, startTimeout, log.text())
	}
	if err := ping(addr); err != nil {
		stop()
		return "", fmt.Errorf("redis-server on port %d does not answer PING: %v; its log:\n%s", port, err, log.text())
	}
	t.Cleanup(stop)
	return addr, nil
}

func ping(addr string) error {
	c, err := Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	r, err := c.Do("PING")
	if err != nil {
		return err
	}
	if r.Kind != Simple || r.Text != "PONG" {
		return fmt.Errorf("PING replied %s", r)
	}
	return nil
}

// logWatcher collects redis-server's log (bounded) and closes ready when
// the log says the server accepts connections.
type logWatcher struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	ready chan struct{}
	seen  bool
}

func (w *logWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.buf.Len() < 64<<10 {
		w.buf.Write(p)
	}
	if !w.seen && strings.Contains(w.buf.String(), "Ready to accept connections") {
		w.seen = true
		close(w.ready)
	}
	return len(p), nil
}

func (w *logWatcher) text() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
