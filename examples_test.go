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
		{"./examples/httpservice -demo", strings.Join([]string{
			`POST /visit/home -> 200 {"page":"home","views":"2"}`,
			`GET /me -> 200 {"user":"alice"}`,
			`GET /me -> 401 {"error":"no session"}`,
		}, "\n")},
		{"./examples/quickstart", "worker-1 got the lock: true - worker-2 got the lock: false"},
		{"./examples/scripting", "rate limiter: allowed 100 of 105 requests"},
		{"./examples/consumer", "0 pending"},
		{"./examples/patterns", strings.Join([]string{
			"session abc: user=alice roles=[admin], expires within 30m: true",
			"/home: 3 views, by day map[2026-01-01:2 2026-01-02:1]",
			"worker-2 release with its own token: 0 (not its lock)",
			"worker-2 acquired after release: true",
			"fixed window: allowed 5 of 7 (limit 5 per minute)",
			"sliding window: 0:true 100:true 200:true 300:false 1050:true 1100:true 1150:false 2500:true",
			"top 3: carol=310 alice=250 bob=180; dave is #4",
			"worker processed job-3",
			"feed (5 kept): event-8 event-7 event-6 event-5 event-4",
			"mutual friends of alice and bob: [carol erin]",
			"articles tagged go and redis: [article:2 article:4]",
			"drivers within 5 km: driver-1 0.46km, driver-3 0.71km, driver-2 3.84km",
			"consumer-b recovered [login purchase]; 0 pending",
			"balance after 20 concurrent deposits of 10: 200",
			"bitmaps: 5 active on day 1, 3 on day 2, 2 on both",
			"hyperloglog: about 6 distinct users over the two days",
		}, "\n")},
		{"./examples/expvar", "commands=25 hits=10 misses=5 keys(db0)=10"},
	} {
		t.Run(strings.Fields(strings.TrimPrefix(ex.dir, "./examples/"))[0], func(t *testing.T) {
			out, err := exec.Command("go", append([]string{"run"}, strings.Fields(ex.dir)...)...).CombinedOutput()
			if err != nil {
				t.Fatalf("go run %s: %v\n%s", ex.dir, err, out)
			}
			for _, line := range strings.Split(ex.want, "\n") {
				if !strings.Contains(string(out), line) {
					t.Errorf("go run %s: output lacks %q:\n%s", ex.dir, line, out)
				}
			}
		})
	}
}
