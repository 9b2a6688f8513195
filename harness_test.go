package embedis

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: every
// Store a test opens must be closed, and Close must stop everything.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testStart is the time a test store's manual clock starts at.
var testStart = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// testStore is a Store opened for one test, with a manual clock.
type testStore struct {
	*Store
	t   testing.TB
	clk *ManualClock
}

// newTestStore opens a store for t with a manual clock and a fixed seed.
// On cleanup it checks the store's invariants and closes it.
func newTestStore(t testing.TB, opts ...func(*Options)) *testStore {
	t.Helper()
	clk := NewManualClock(testStart)
	o := Options{Clock: clk, Seed: 1}
	for _, f := range opts {
		f(&o)
	}
	s, err := Open(o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		var ierr error
		if err := s.onExecutor(context.Background(), func(s *Store) { ierr = s.checkInvariants() }); err != nil && err != ErrClosed {
			t.Errorf("invariant check: %v", err)
		}
		if ierr != nil {
			t.Errorf("store invariants: %v", ierr)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return &testStore{Store: s, t: t, clk: clk}
}

// do runs a command in database 0 through Do and returns its reply.
func (ts *testStore) do(args ...any) Value {
	ts.t.Helper()
	v, err := ts.Do(context.Background(), args...)
	if err != nil {
		ts.t.Fatalf("Do%v: %v", args, err)
	}
	return v
}

// expect runs a command and checks its reply against want, compared by
// kind and content (want is built with the Value constructors).
func (ts *testStore) expect(want Value, args ...any) {
	ts.t.Helper()
	got := ts.do(args...)
	if !valuesEqual(got, want) {
		ts.t.Errorf("%v:\n got  %s (%s)\n want %s (%s)", args, got, got.Kind(), want, want.Kind())
	}
}

// expectErr runs a command and checks that it replies with the error text.
func (ts *testStore) expectErr(msg string, args ...any) {
	ts.t.Helper()
	ts.expect(ErrorValue(msg), args...)
}

// valuesEqual compares two replies by kind and content.
func valuesEqual(a, b Value) bool {
	if a.kind != b.kind || a.str != b.str || a.num != b.num || len(a.elems) != len(b.elems) {
		return false
	}
	if a.kind == KindDouble && formatDouble(a.dbl) != formatDouble(b.dbl) {
		return false
	}
	for i := range a.elems {
		if !valuesEqual(a.elems[i], b.elems[i]) {
			return false
		}
	}
	return true
}
