package embedistest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/embedis/embedis"
	"github.com/embedis/embedis/embedistest"
)

func TestOpenIsFreshAndClosed(t *testing.T) {
	ctx := context.Background()
	var s *embedis.Store
	t.Run("first", func(t *testing.T) {
		s = embedistest.Open(t)
		if _, err := s.Do(ctx, "SET", "k", "v"); err != nil {
			t.Fatal(err)
		}
	})
	// The first store was closed when its test ended.
	if _, err := s.Get(ctx, "k"); !errors.Is(err, embedis.ErrClosed) {
		t.Errorf("Get after the test ended: err = %v, want ErrClosed", err)
	}
	// A new store starts empty.
	s2 := embedistest.Open(t)
	if _, err := s2.Get(ctx, "k"); !errors.Is(err, embedis.Nil) {
		t.Errorf("Get on a fresh store: err = %v, want Nil", err)
	}
}

func TestOpenOptions(t *testing.T) {
	ctx := context.Background()
	clk := embedis.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	s := embedistest.Open(t, embedis.Options{Clock: clk})
	if _, err := s.Do(ctx, "SET", "k", "v", "EX", 10); err != nil {
		t.Fatal(err)
	}
	clk.Advance(11 * time.Second)
	if _, err := s.Get(ctx, "k"); !errors.Is(err, embedis.Nil) {
		t.Errorf("Get after the TTL: err = %v, want Nil", err)
	}
}
