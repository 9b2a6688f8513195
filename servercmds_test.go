package embedis_test

import (
	"context"
	"errors"
	"testing"

	"github.com/embedis/embedis"
	"github.com/embedis/embedis/embedistest"
	"github.com/redis/go-redis/v9"
)

// TestShutdown checks that SHUTDOWN closes the store: the caller's
// connection ends without a reply (go-redis reports success on that EOF)
// and every later call gets ErrClosed.
func TestShutdown(t *testing.T) {
	s := embedistest.Open(t)
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: embedistest.Addr(t, s), MaxRetries: -1})
	defer rdb.Close()
	if err := rdb.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if err := rdb.Do(ctx, "shutdown", "bogus").Err(); err == nil || err.Error() != "ERR syntax error" {
		t.Fatalf("SHUTDOWN bogus: %v", err)
	}
	if err := rdb.Shutdown(ctx).Err(); err != nil {
		t.Fatalf("SHUTDOWN: %v", err)
	}
	// Close waits for the shutdown to finish; then the store refuses.
	s.Close()
	if _, err := s.Get(ctx, "k"); !errors.Is(err, embedis.ErrClosed) {
		t.Fatalf("GET after SHUTDOWN: %v", err)
	}
}

// TestShutdownSaveHook checks which SHUTDOWN forms call the save hook and
// what a failing save does.
func TestShutdownSaveHook(t *testing.T) {
	ctx := context.Background()
	fail := errors.New("disk full")
	for _, tc := range []struct {
		args     []any
		hookErr  error
		wantCall bool
		wantExpl bool
		wantErr  string // "" : the store shuts down
	}{
		{[]any{"shutdown"}, nil, true, false, ""},
		{[]any{"shutdown", "save"}, nil, true, true, ""},
		{[]any{"shutdown", "nosave"}, nil, false, false, ""},
		{[]any{"shutdown", "save"}, fail, true, true, "ERR Errors trying to SHUTDOWN. Check logs."},
		{[]any{"shutdown", "save", "force"}, fail, true, true, ""},
	} {
		s := embedistest.Open(t)
		called, explicit := false, false
		s.SetShutdownSave(func(e bool) error { called, explicit = true, e; return tc.hookErr })
		v, err := s.Do(ctx, tc.args...)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if called != tc.wantCall || explicit != tc.wantExpl {
			t.Errorf("%v: hook called %v (explicit %v), want %v (%v)", tc.args, called, explicit, tc.wantCall, tc.wantExpl)
		}
		if tc.wantErr != "" {
			if v.Err() == nil || v.Err().Error() != tc.wantErr {
				t.Errorf("%v: %v, want %s", tc.args, v, tc.wantErr)
			}
			if err := s.Set(ctx, "k", "v", embedis.SetOptions{}); err != nil {
				t.Errorf("%v: the store should still serve: %v", tc.args, err)
			}
			continue
		}
		s.Close()
		if err := s.Set(ctx, "k", "v", embedis.SetOptions{}); !errors.Is(err, embedis.ErrClosed) {
			t.Errorf("%v: after shutdown: %v", tc.args, err)
		}
	}
}

// TestWaitRoleModule checks WAIT (no replicas: 0, after the timeout when
// replicas are asked for), ROLE and MODULE LIST.
func TestWaitRoleModule(t *testing.T) {
	s := embedistest.Open(t)
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Dialer: s.DialContext})
	defer rdb.Close()
	if n, err := rdb.Wait(ctx, 0, 0).Result(); err != nil || n != 0 {
		t.Errorf("WAIT 0 0 = %d, %v", n, err)
	}
	// One replica asked for: none comes, so WAIT answers 0 at its
	// timeout (1 ms on the store clock).
	if n, err := rdb.Wait(ctx, 1, 1e6).Result(); err != nil || n != 0 {
		t.Errorf("WAIT 1 1 = %d, %v", n, err)
	}
	role, err := rdb.Do(ctx, "role").Slice()
	if err != nil || len(role) != 3 || role[0] != "master" || role[1] != int64(0) {
		t.Errorf("ROLE = %v, %v", role, err)
	}
	if mods, err := rdb.Do(ctx, "module", "list").Slice(); err != nil || len(mods) != 0 {
		t.Errorf("MODULE LIST = %v, %v", mods, err)
	}
}
