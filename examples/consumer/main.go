// Command consumer shows a stream consumer group used as a work queue: a
// producer adds jobs with XADD, workers take them with XREADGROUP and
// acknowledge them with XACK, and a worker that dies without acknowledging
// leaves its jobs pending, from where XAUTOCLAIM hands them to a live
// worker once they have been idle long enough.
//
//	go run ./examples/consumer
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/embedis/embedis"
)

const (
	stream = "jobs"
	group  = "workers"
	nJobs  = 30
	// claimAfter is how long a job may stay unacknowledged before another
	// worker may take it over.
	claimAfter = 100 * time.Millisecond
)

func main() {
	ctx := context.Background()
	s, err := embedis.Open(embedis.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	// The group starts at "$": it sees jobs added from now on. MkStream
	// creates the stream if it does not exist yet.
	if err := s.XGroupCreate(ctx, stream, group, "$", embedis.XGroupOptions{MkStream: true}); err != nil {
		log.Fatal(err)
	}
	for i := 1; i <= nJobs; i++ {
		_, err := s.XAdd(ctx, embedis.XAddArgs{
			Stream: stream,
			Fields: []embedis.XField{{Field: "job", Value: strconv.Itoa(i)}},
			// Keep the stream bounded; ~ lets it trim cheaply, whole
			// nodes at a time.
			Trim: &embedis.XTrimOptions{MaxLen: 10000, Approx: true},
		})
		if err != nil {
			log.Fatal(err)
		}
	}

	// A worker that crashes: it takes three jobs and never acknowledges
	// them.
	if _, err := s.XReadGroup(ctx, embedis.XReadGroupArgs{
		Group: group, Consumer: "crashed", Streams: []string{stream}, IDs: []string{">"}, Count: 3,
	}); err != nil {
		log.Fatal(err)
	}

	var mu sync.Mutex
	done := map[string]string{} // job -> worker that did it
	process := func(worker string, m embedis.XMessage) {
		mu.Lock()
		done[m.Fields[0].Value] = worker
		mu.Unlock()
		if _, err := s.XAck(ctx, stream, group, m.ID); err != nil {
			log.Fatal(err)
		}
	}

	// Live workers take new jobs (">") until none are left.
	var wg sync.WaitGroup
	for w := 1; w <= 3; w++ {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			for {
				res, err := s.XReadGroup(ctx, embedis.XReadGroupArgs{
					Group: group, Consumer: name, Streams: []string{stream}, IDs: []string{">"}, Count: 4,
				})
				if errors.Is(err, embedis.Nil) {
					return // nothing new
				}
				if err != nil {
					log.Fatal(err)
				}
				for _, m := range res[0].Messages {
					process(name, m)
				}
			}
		}(fmt.Sprintf("worker-%d", w))
	}
	wg.Wait()

	sum, err := s.XPending(ctx, stream, group)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("processed %d jobs; %d pending with %s\n", len(done), sum.Count, sum.Consumers[0].Name)

	// The crashed worker's jobs can be claimed once idle for claimAfter.
	time.Sleep(claimAfter)
	start := "0-0"
	for {
		msgs, next, _, err := s.XAutoClaim(ctx, embedis.XAutoClaimArgs{
			Stream: stream, Group: group, Consumer: "rescuer", MinIdle: claimAfter, Start: start, Count: 10,
		})
		if err != nil {
			log.Fatal(err)
		}
		for _, m := range msgs {
			process("rescuer", m)
		}
		if next == "0-0" {
			break // the whole pending list was scanned
		}
		start = next
	}

	sum, err = s.XPending(ctx, stream, group)
	if err != nil {
		log.Fatal(err)
	}
	var rescued []int
	for job, w := range done {
		if w == "rescuer" {
			n, _ := strconv.Atoi(job)
			rescued = append(rescued, n)
		}
	}
	sort.Ints(rescued)
	fmt.Printf("rescued jobs %v; processed %d of %d; %d pending\n", rescued, len(done), nJobs, sum.Count)
}
