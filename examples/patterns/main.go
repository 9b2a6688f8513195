// Command patterns runs the everyday Redis patterns against an embedded
// embedis store, each with the go-redis code a service would use against
// a real Redis: the client reaches the store through its in-memory
// connection, and pointing it at a Redis address instead changes nothing
// else.
//
//	go run ./examples/patterns            # every pattern
//	go run ./examples/patterns lock queue # some of them
//
// With REDIS_ADDR=host:port in the environment the same code runs against
// that Redis instead (it is flushed before each pattern: use a disposable
// server), and prints the same lines.
//
// Patterns: session, counters, lock, ratelimit, leaderboard, queue, feed,
// friends, drivers, events, optimistic, dau. Each prints lines that
// examples_test.go checks.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/embedis/embedis"
	"github.com/redis/go-redis/v9"
)

// pattern is one use case: it gets a fresh store and a client on it.
type pattern struct {
	name string
	run  func(ctx context.Context, s *embedis.Store, rdb *redis.Client) error
}

var patterns = []pattern{
	{"session", sessionCache},
	{"counters", pageViews},
	{"lock", distributedLock},
	{"ratelimit", rateLimiters},
	{"leaderboard", leaderboard},
	{"queue", messageQueue},
	{"feed", activityFeed},
	{"friends", tagsAndFriends},
	{"drivers", nearbyDrivers},
	{"events", eventLog},
	{"optimistic", optimisticLocking},
	{"dau", dailyActiveUsers},
}

func main() {
	want := map[string]bool{}
	for _, a := range os.Args[1:] {
		want[a] = true
	}
	ran := 0
	for _, p := range patterns {
		if len(want) > 0 && !want[p.name] {
			continue
		}
		ran++
		fmt.Printf("== %s\n", p.name)
		if err := runOne(p); err != nil {
			log.Fatalf("%s: %v", p.name, err)
		}
	}
	if ran < len(want) {
		log.Fatalf("unknown pattern in %v", os.Args[1:])
	}
}

// runOne opens a store for p, runs it and closes everything.
func runOne(p pattern) error {
	s, err := embedis.Open(embedis.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	opts := &redis.Options{Dialer: s.DialContext}
	if addr := os.Getenv("REDIS_ADDR"); addr != "" {
		opts = &redis.Options{Addr: addr}
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	if err := rdb.FlushAll(context.Background()).Err(); err != nil {
		return err
	}
	return p.run(context.Background(), s, rdb)
}
