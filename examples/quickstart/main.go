// Command quickstart shows embedis's basics: strings, counters, TTLs and a
// lock taken with SET NX, all in one process with no server.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/embedis/embedis"
)

func main() {
	ctx := context.Background()
	s, err := embedis.Open(embedis.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	// Strings: a cached value with a TTL.
	if err := s.Set(ctx, "user:123", "John Doe", embedis.SetOptions{TTL: time.Minute}); err != nil {
		log.Fatal(err)
	}
	name, err := s.Get(ctx, "user:123")
	if err != nil {
		log.Fatal(err)
	}
	ttl, err := s.TTL(ctx, "user:123")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("user:123 = %q, expires in %v\n", name, ttl)

	// A missing key is the Nil sentinel, as Redis's nil reply.
	if _, err := s.Get(ctx, "user:999"); errors.Is(err, embedis.Nil) {
		fmt.Println("user:999 does not exist")
	}

	// Counters.
	for range 3 {
		if _, err := s.Incr(ctx, "page:views"); err != nil {
			log.Fatal(err)
		}
	}
	views, err := s.IncrBy(ctx, "page:views", 10)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("page:views =", views)

	// Errors carry Redis's text and match the catalog with errors.Is.
	if _, err := s.Incr(ctx, "user:123"); errors.Is(err, embedis.ErrNotInteger) {
		fmt.Println("INCR user:123:", err)
	}

	// A lock: SET NX succeeds for the first taker only.
	first, err := s.SetNX(ctx, "lock:order:789", "worker-1")
	if err != nil {
		log.Fatal(err)
	}
	second, err := s.SetNX(ctx, "lock:order:789", "worker-2")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("worker-1 got the lock:", first, "- worker-2 got the lock:", second)

	// Any command by name.
	v, err := s.Do(ctx, "GETRANGE", "user:123", 0, 3)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("GETRANGE user:123 0 3 = %s\n", v)
}
