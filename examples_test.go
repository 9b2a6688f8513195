package embedis_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestExamplesRun runs the example programs as a user would (go run) and
// checks a line of each one's output, so that they keep working as
// written. examples/server runs until stopped and is exercised by the wire
// tests instead.
func TestExamplesRun(t *testing.T) {
	for _, ex := range []struct{ dir, want string }{
		{"./examples/quickstart", "worker-1 got the lock: true - worker-2 got the lock: false"},
		{"./examples/scripting", "rate limiter: allowed 100 of 105 requests"},
		{"./examples/consumer", "0 pending"},
		{"./examples/expvar", "commands=25 hits=10 misses=5 keys(db0)=10"},
	} {
		t.Run(strings.TrimPrefix(ex.dir, "./examples/"), func(t *testing.T) {
			out, err := exec.Command("go", "run", ex.dir).CombinedOutput()
			if err != nil {
				t.Fatalf("go run %s: %v\n%s", ex.dir, err, out)
			}
			if !strings.Contains(string(out), ex.want) {
				t.Fatalf("go run %s: output lacks %q:\n%s", ex.dir, ex.want, out)
			}
		})
	}
}
