// Command expvar exports an embedis store's Stats through the standard
// library's expvar package, the way a service that embeds the store would
// publish them next to its own metrics, with no dependency added:
//
//	go run ./examples/expvar              # print the exported JSON once
//	go run ./examples/expvar -http :8080  # serve it at /debug/vars
//
// expvar.Func calls Stats on every scrape; a snapshot costs about as much
// as one command, so scraping every second is cheap.
package main

import (
	"context"
	"encoding/json"
	"expvar"
	"flag"
	"fmt"
	"log"
	"net/http"

	"github.com/embedis/embedis"
)

func main() {
	addr := flag.String("http", "", "serve /debug/vars on this address instead of printing once")
	flag.Parse()

	s, err := embedis.Open(embedis.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	expvar.Publish("embedis", expvar.Func(func() any {
		st, err := s.Stats(context.Background())
		if err != nil {
			return map[string]string{"error": err.Error()}
		}
		return st
	}))

	// Some traffic, so that the counters move.
	ctx := context.Background()
	for i := 0; i < 10; i++ {
		if err := s.Set(ctx, fmt.Sprint("key:", i), "value", embedis.SetOptions{}); err != nil {
			log.Fatal(err)
		}
	}
	for i := 0; i < 15; i++ {
		s.Get(ctx, fmt.Sprint("key:", i)) // 10 hits, 5 misses
	}

	if *addr == "" {
		var st embedis.Stats
		if err := json.Unmarshal([]byte(expvar.Get("embedis").String()), &st); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("commands=%d hits=%d misses=%d keys(db0)=%d\n", st.Commands, st.Hits, st.Misses, st.Keys[0])
		return
	}
	log.Printf("serving expvar at http://%s/debug/vars", *addr)
	log.Fatal(http.ListenAndServe(*addr, nil))
}
