package embedis_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/embedis/embedis"
)

func Example() {
	ctx := context.Background()
	s, err := embedis.Open(embedis.Options{})
	if err != nil {
		panic(err)
	}
	defer s.Close()

	s.Set(ctx, "user:123", "John Doe", embedis.SetOptions{TTL: time.Minute})
	name, _ := s.Get(ctx, "user:123")
	n, _ := s.Incr(ctx, "counter")
	fmt.Println(name, n)
	// Output: John Doe 1
}

func ExampleDB_Get_missing() {
	ctx := context.Background()
	s, _ := embedis.Open(embedis.Options{})
	defer s.Close()

	_, err := s.Get(ctx, "nope")
	fmt.Println(errors.Is(err, embedis.Nil))
	// Output: true
}

func ExampleDB_SetNX() {
	ctx := context.Background()
	s, _ := embedis.Open(embedis.Options{})
	defer s.Close()

	first, _ := s.SetNX(ctx, "lock:order:789", "token-a")
	second, _ := s.SetNX(ctx, "lock:order:789", "token-b")
	fmt.Println(first, second)
	// Output: true false
}

func ExampleDB_Do() {
	ctx := context.Background()
	s, _ := embedis.Open(embedis.Options{})
	defer s.Close()

	s.Set(ctx, "k", "v", embedis.SetOptions{})
	v, _ := s.Do(ctx, "SET", "k", "w", "GET")
	fmt.Println(v.Kind(), v.Str())
	v, _ = s.Do(ctx, "INCR", "k")
	fmt.Println(v.Kind(), v.Err())
	// Output:
	// bulk v
	// error ERR value is not an integer or out of range
}

func ExampleManualClock() {
	ctx := context.Background()
	clk := embedis.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	s, _ := embedis.Open(embedis.Options{Clock: clk})
	defer s.Close()

	s.Set(ctx, "session", "data", embedis.SetOptions{TTL: 30 * time.Second})
	clk.Advance(29 * time.Second)
	_, err := s.Get(ctx, "session")
	fmt.Println("after 29s:", err)
	clk.Advance(time.Second)
	_, err = s.Get(ctx, "session")
	fmt.Println("after 30s:", err)
	// Output:
	// after 29s: <nil>
	// after 30s: embedis: nil
}

func ExampleError() {
	ctx := context.Background()
	s, _ := embedis.Open(embedis.Options{})
	defer s.Close()

	s.Set(ctx, "name", "ada", embedis.SetOptions{})
	_, err := s.Incr(ctx, "name")
	fmt.Println(errors.Is(err, embedis.ErrNotInteger), err)
	// Output: true ERR value is not an integer or out of range
}
