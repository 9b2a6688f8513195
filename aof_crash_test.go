package embedis

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var aofCrashRounds = flag.Int("aofcrash.rounds", 3, "SIGKILL rounds of TestAOFCrashKill (a soak run: 200)")

// TestAOFCrashKill runs the test binary as a child that writes through the
// Go API from several goroutines under appendfsync always (with a rewrite
// now and then) and prints each acknowledged write; the parent kills it
// with SIGKILL after a seeded random number of acknowledgements, reopens
// the directory, and checks that every acknowledged write is there. The
// rounds reuse one directory, so each start also recovers the previous
// crash.
func TestAOFCrashKill(t *testing.T) {
	if os.Getenv("EMBEDIS_AOF_CRASH_DIR") != "" {
		t.Skip("child")
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewSource(7))
	acked := map[string][2]int{} // key -> (round, seq) of the newest acknowledged value
	for round := 1; round <= *aofCrashRounds; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAOFCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "EMBEDIS_AOF_CRASH_DIR="+dir, "EMBEDIS_AOF_CRASH_ROUND="+strconv.Itoa(round))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		killAfter := 20 + rng.Intn(400)
		sc := bufio.NewScanner(out)
		n := 0
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) != 3 {
				continue
			}
			r, _ := strconv.Atoi(f[1])
			sq, _ := strconv.Atoi(f[2])
			if old, ok := acked[f[0]]; !ok || old[0] < r || (old[0] == r && old[1] < sq) {
				acked[f[0]] = [2]int{r, sq}
			}
			if n++; n == killAfter {
				_ = cmd.Process.Kill() // SIGKILL
			}
		}
		_ = cmd.Wait()
		if n < killAfter {
			t.Fatalf("round %d: the child exited after %d acknowledgements", round, n)
		}
		s, err := Open(Options{Dir: dir, SavePoints: []SavePoint{}, AppendOnly: true, Logf: t.Logf})
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		for k, want := range acked {
			got, err := s.Get(context.Background(), k)
			var gr, gs int
			if _, serr := fmt.Sscanf(got, "%d-%d", &gr, &gs); err != nil || serr != nil || gr < want[0] || (gr == want[0] && gs < want[1]) {
				t.Errorf("round %d: %s = %q (%v), acknowledged %d-%d", round, k, got, err, want[0], want[1])
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAOFCrashChild is the child of TestAOFCrashKill; it runs until killed.
func TestAOFCrashChild(t *testing.T) {
	dir := os.Getenv("EMBEDIS_AOF_CRASH_DIR")
	if dir == "" {
		t.Skip("only as the child of TestAOFCrashKill")
	}
	round := os.Getenv("EMBEDIS_AOF_CRASH_ROUND")
	s, err := Open(Options{Dir: dir, SavePoints: []SavePoint{}, AppendOnly: true, AppendFsync: FsyncAlways,
		AutoAOFRewriteMinSize: 1 << 14, AutoAOFRewritePercentage: 50})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		os.Exit(2)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for seq := 0; ; seq++ {
				k := fmt.Sprintf("g%d:%d", g, seq%17)
				v := round + "-" + strconv.Itoa(seq)
				if err := s.Set(context.Background(), k, v, SetOptions{}); err != nil {
					fmt.Fprintln(os.Stderr, "child set:", err)
					os.Exit(3)
				}
				mu.Lock()
				fmt.Fprintf(os.Stdout, "%s %s %d\n", k, round, seq)
				mu.Unlock()
			}
		}(g)
	}
	wg.Wait()
}
