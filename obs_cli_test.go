package embedis_test

import (
	"bufio"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/embedis/embedis/internal/redistest"
)

// startExampleServer builds and starts examples/server on a free port and
// returns its address; the process is killed by PID at cleanup.
func startExampleServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "server")
	if out, err := exec.Command("go", "build", "-o", bin, "./examples/server").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if i := strings.LastIndex(sc.Text(), " on "); i >= 0 {
			addr := sc.Text()[i+4:]
			go func() { // drain the rest of its log
				for sc.Scan() {
				}
			}()
			return addr
		}
	}
	t.Fatalf("examples/server printed no address: %v", sc.Err())
	return ""
}

// cliLines runs redis-cli with args, line-buffered, and returns its first
// n lines of output; the process is then killed by PID. timeout bounds a
// hung run (a failure), it is not a wait.
func cliLines(t *testing.T, n int, args ...string) []string {
	t.Helper()
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		if redistest.InCI() {
			t.Fatalf("redis-cli not on PATH: %v", err)
		}
		t.Skipf("redis-cli not on PATH: %v", err)
	}
	argv := append([]string{cli}, args...)
	if sb, err := exec.LookPath("stdbuf"); err == nil {
		argv = append([]string{sb, "-oL"}, argv...) // redis-cli buffers a pipe
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(out)
	for len(lines) < n && sc.Scan() {
		lines = append(lines, sc.Text())
	}
	cmd.Process.Kill()
	cmd.Wait()
	if len(lines) < n {
		t.Fatalf("redis-cli %q: %d lines, want %d: %q", args, len(lines), n, lines)
	}
	return lines
}

// TestRedisCliStat runs redis-cli --stat against examples/server: its rows
// come from INFO, and the requests column counts the INFO calls.
func TestRedisCliStat(t *testing.T) {
	addr := startExampleServer(t)
	host, port, _ := strings.Cut(addr, ":")
	lines := cliLines(t, 5, "-h", host, "-p", port, "--stat", "-i", "0.1")
	if !strings.Contains(lines[1], "keys") || !strings.Contains(lines[1], "requests") {
		t.Fatalf("header: %q", lines[:2])
	}
	for _, row := range lines[2:] {
		f := strings.Fields(row)
		if len(f) < 6 || f[2] != "1" || !strings.HasPrefix(f[5], "(+") {
			t.Fatalf("row %q (all: %q)", row, lines)
		}
	}
}

// TestRedisCliLatency runs redis-cli --latency against examples/server: it
// PINGs and prints "min max avg samples".
func TestRedisCliLatency(t *testing.T) {
	addr := startExampleServer(t)
	host, port, _ := strings.Cut(addr, ":")
	lines := cliLines(t, 1, "-h", host, "-p", port, "--latency", "-i", "0.1")
	if f := strings.Fields(lines[0]); len(f) != 4 {
		t.Fatalf("--latency: %q", lines)
	}
}
