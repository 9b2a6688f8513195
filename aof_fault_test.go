package embedis

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/embedis/embedis/persist"
)

// TestAOFWriteFaults: a failed write or fsync refuses later writes (and
// PING) with Redis's MISCONF text for the AOF, reads keep working, and the
// store recovers once the log can be written again; nothing is lost.
func TestAOFWriteFaults(t *testing.T) {
	cases := []struct {
		name   string
		fault  persist.Fault
		policy FsyncPolicy
		reason string
	}{
		{"ENOSPC/everysec", persist.Fault{Op: persist.OpWrite, N: 1, Kind: persist.NoSpace}, FsyncEverySec, "No space left on device"},
		{"ENOSPC/always", persist.Fault{Op: persist.OpWrite, N: 1, Kind: persist.NoSpace}, FsyncAlways, "No space left on device"},
		{"short/no", persist.Fault{Op: persist.OpWrite, N: 1, Kind: persist.ShortWrite}, FsyncNo, "short write"},
		{"fsync/always", persist.Fault{Op: persist.OpSync, N: 1, Kind: persist.IOError}, FsyncAlways, "Input/output error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := persist.NewMemLog()
			fl := persist.NewFaultyLog(mem)
			s := newTestStore(t, aofOpts(fl, tc.policy))
			ctx := context.Background()
			s.do("SET", "ok", "1")
			// The first four attempts fail: the write, and the retries of
			// the three turns after it.
			for n := 1; n <= 4; n++ {
				f := tc.fault
				f.N = n
				fl.Inject(f)
			}
			_, err := s.Do(ctx, "SET", "a", "1")
			if tc.policy == FsyncAlways {
				if !errors.Is(err, ErrAOFWrite) {
					t.Fatalf("SET under always with a failing log: %v", err)
				}
			} else if err != nil {
				t.Fatalf("SET under %v: %v", tc.policy, err)
			}
			v := s.do("SET", "b", "2")
			if !strings.HasPrefix(v.Str(), "MISCONF Errors writing to the AOF file: ") || !strings.Contains(v.Str(), tc.reason) {
				t.Fatalf("write while the log fails: %q", v.Str())
			}
			if v := s.do("PING"); v.Err() == nil {
				t.Fatalf("PING while the log fails: %v", v)
			}
			if v := infoField(t, s.Store, "aof_last_write_status"); v != "err" {
				t.Fatalf("aof_last_write_status %s", v)
			}
			s.expect(BulkValue("1"), "GET", "a") // in memory; this turn also retries the write
			s.expect(BulkValue("1"), "GET", "a") // this retry succeeds
			s.expect(SimpleValue("OK"), "SET", "b", "2")
			if v := infoField(t, s.Store, "aof_last_write_status"); v != "ok" {
				t.Fatalf("aof_last_write_status after recovery %s", v)
			}
			want := digestOf(t, s.Store)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s2 := newTestStore(t, aofOpts(mem, tc.policy))
			if got := digestOf(t, s2.Store); got != want {
				t.Fatalf("digest after reopen %s, want %s", got, want)
			}
			s2.expect(BulkValue("1"), "GET", "a")
		})
	}
}

// TestAOFCrashAtEveryStep: under appendfsync always, a crash at each
// backend operation of a workload (writes, fsyncs, a rewrite's files and
// manifest) loses no acknowledged write, and the log always opens.
func TestAOFCrashAtEveryStep(t *testing.T) {
	run := func(fl *persist.FaultyLog, crashAt int) (acked map[string]string, opened bool) {
		acked = map[string]string{}
		s, err := Open(Options{AppendOnly: true, AppendLog: fl, AppendFsync: FsyncAlways, Logf: func(string, ...any) {}, Seed: 1})
		if err != nil {
			return acked, false
		}
		if crashAt > 0 {
			fl.Inject(persist.Fault{Op: persist.OpAny, N: crashAt, Kind: persist.Crash})
		}
		ctx := context.Background()
		for i := 0; i < 40; i++ {
			k, v := fmt.Sprintf("k%d", i%13), fmt.Sprintf("v%d", i)
			if r, err := s.Do(ctx, "SET", k, v); err == nil && r.Err() == nil {
				acked[k] = v
			}
			if i == 15 {
				_, _ = s.Do(ctx, "BGREWRITEAOF")
				_ = finishRewrite(t, s)
			}
		}
		_ = s.Close()
		return acked, true
	}
	mem := persist.NewMemLog()
	fl := persist.NewFaultyLog(mem)
	fl.Inject() // counts from here
	if _, ok := run(fl, 0); !ok {
		t.Fatal("workload without faults did not open")
	}
	ops := fl.Count(persist.OpAny)
	if ops < 40 {
		t.Fatalf("only %d backend operations counted", ops)
	}
	for at := 1; at <= ops; at++ {
		mem := persist.NewMemLog()
		fl := persist.NewFaultyLog(mem)
		s, err := Open(Options{AppendOnly: true, AppendLog: fl, Logf: func(string, ...any) {}})
		if err != nil {
			t.Fatal(err)
		}
		_ = s.Close()
		acked, _ := run(fl, at)
		fl.Recover()
		s2, err := Open(Options{AppendOnly: true, AppendLog: mem, Logf: func(string, ...any) {}})
		if err != nil {
			t.Fatalf("crash at operation %d: reopen: %v", at, err)
		}
		for k, v := range acked {
			got, err := s2.Get(context.Background(), k)
			if err != nil || got != v {
				// A later unacknowledged SET of the same key may have
				// reached the disk; an older value never may.
				if !laterValue(got, v) {
					t.Errorf("crash at operation %d: %s = %q (%v), acknowledged %q", at, k, got, err, v)
				}
			}
		}
		_ = s2.Close()
	}
}

// laterValue reports whether got ("v<i>") was written after want.
func laterValue(got, want string) bool {
	var g, w int
	if _, err := fmt.Sscanf(got, "v%d", &g); err != nil {
		return false
	}
	if _, err := fmt.Sscanf(want, "v%d", &w); err != nil {
		return false
	}
	return g > w
}
