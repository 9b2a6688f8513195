package embedistest_test

import (
	"context"
	"errors"
	"io"
	"net"
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

func TestAddr(t *testing.T) {
	var addr string
	t.Run("served", func(t *testing.T) {
		s := embedistest.Open(t)
		addr = embedistest.Addr(t, s)
		if _, err := s.Do(context.Background(), "SET", "k", "hello"); err != nil {
			t.Fatal(err)
		}
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Write([]byte("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")); err != nil {
			t.Fatal(err)
		}
		want := "$5\r\nhello\r\n"
		buf := make([]byte, len(want))
		if _, err := io.ReadFull(c, buf); err != nil {
			t.Fatal(err)
		}
		if string(buf) != want {
			t.Errorf("GET over TCP: %q, want %q", buf, want)
		}
	})
	// The listener was closed when the test ended.
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after the test", addr)
	}
}

func TestAddrStoreClosedFirst(t *testing.T) {
	s, err := embedis.Open(embedis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("served", func(t *testing.T) {
		embedistest.Addr(t, s)
		// Closing the store stops Serve; Addr's cleanup must not mind.
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	})
}
