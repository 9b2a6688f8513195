package embedis

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestInterceptor(t *testing.T) {
	ts := newTestStore(t)
	var seen []string
	ts.Intercept(func(args []string) error {
		seen = append(seen, strings.ToLower(args[0]))
		if strings.EqualFold(args[0], "get") {
			return errors.New("LOADING Redis is loading the dataset in memory")
		}
		return nil
	})
	ts.do("SET", "k", "v")
	ts.expectErr("LOADING Redis is loading the dataset in memory", "GET", "k")
	// A script's calls run inside EVAL's atomic step: only EVAL is seen.
	ts.expect(BulkValue("v"), "EVAL", "return redis.call('GET', KEYS[1])", 1, "k")
	// Unknown commands are answered before the interceptor.
	ts.expectErr("ERR unknown command 'NOPE', with args beginning with: ", "NOPE")
	if want := "set get eval"; strings.Join(seen, " ") != want {
		t.Errorf("intercepted %q, want %q", strings.Join(seen, " "), want)
	}
	// Dropping a connection-less call answers with the error.
	ts.Intercept(func([]string) error { return ErrDropConnection })
	ts.expectErr(ErrDropConnection.Error(), "GET", "k")
	ts.Intercept(nil)
	ts.expect(BulkValue("v"), "GET", "k")
}

func TestExpireNow(t *testing.T) {
	ts := newTestStore(t)
	ts.do("SET", "a", "1", "PX", 100)
	ts.do("SET", "b", "1", "PX", 200)
	ts.do("SET", "c", "1")
	ts.Database(1).Do(context.Background(), "SET", "d", "1", "PX", 50)
	ts.clk.Advance(150 * time.Millisecond)
	// Expired but not yet deleted: DBSIZE counts what is stored, as Redis.
	ts.expect(IntValue(3), "DBSIZE")
	n, err := ts.ExpireNow(context.Background())
	if err != nil || n != 2 {
		t.Fatalf("ExpireNow = %d, %v; want 2 keys", n, err)
	}
	ts.expect(IntValue(2), "DBSIZE")
	ts.expect(IntValue(1), "EXISTS", "b")
	if err := ts.CheckInvariants(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestCheckInvariantsClosed(t *testing.T) {
	s, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CheckInvariants(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := s.CheckInvariants(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("CheckInvariants after Close: %v, want ErrClosed", err)
	}
	if _, err := s.ExpireNow(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("ExpireNow after Close: %v, want ErrClosed", err)
	}
}
