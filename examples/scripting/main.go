// Command scripting runs the seed design's two Lua scripts verbatim — a
// rate limiter and a safe lock release — and an optimistic increment with
// WATCH that retries under contention.
//
//	go run ./examples/scripting
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strconv"
	"sync"

	"github.com/embedis/embedis"
)

// rateLimit allows ARGV[2] calls per ARGV[1] seconds for the key KEYS[1].
const rateLimit = `local current = redis.call('INCR', KEYS[1]) if current == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end if current > tonumber(ARGV[2]) then return 0 end return 1`

// releaseLock deletes the lock only when it still holds our token.
const releaseLock = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`

func main() {
	ctx := context.Background()
	s, err := embedis.Open(embedis.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	// Rate limiting: 100 requests a minute for user 123.
	limiter := embedis.NewScript(rateLimit)
	allowed := 0
	for range 105 {
		v, err := limiter.Run(ctx, s.DB, []string{"rate:user:123"}, 60, 100)
		if err != nil {
			log.Fatal(err)
		}
		allowed += int(v.Int())
	}
	fmt.Println("rate limiter: allowed", allowed, "of 105 requests")

	// A lock taken with SET NX and released only by its owner.
	release := embedis.NewScript(releaseLock)
	if ok, err := s.SetNX(ctx, "lock:order:789", "token-a"); err != nil || !ok {
		log.Fatalf("lock not taken: %v", err)
	}
	other, err := release.Run(ctx, s.DB, []string{"lock:order:789"}, "token-b")
	if err != nil {
		log.Fatal(err)
	}
	mine, err := release.Run(ctx, s.DB, []string{"lock:order:789"}, "token-a")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("lock release: by another owner", other.Int(), "- by its owner", mine.Int())

	// Optimistic increment: WATCH, GET, then MULTI/SET/EXEC, retried when
	// another writer got in between.
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				for {
					err := s.Watch(ctx, func(tx *embedis.Tx) error {
						n := 0
						if v, err := tx.Get(ctx, "counter"); err == nil {
							n, _ = strconv.Atoi(v)
						} else if !errors.Is(err, embedis.Nil) {
							return err
						}
						_, err := tx.TxPipelined(ctx, func(p *embedis.TxPipeline) error {
							p.Set("counter", strconv.Itoa(n+1))
							return nil
						})
						return err
					}, "counter")
					if errors.Is(err, embedis.ErrTxFailed) {
						continue // another worker wrote first: read again
					}
					if err != nil {
						log.Fatal(err)
					}
					break
				}
			}
		}()
	}
	wg.Wait()
	total, err := s.Get(ctx, "counter")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("optimistic increments: counter =", total, "(8 workers × 50; every conflict retried)")
}
