package embedis_test

import (
	"context"
	"fmt"

	"github.com/embedis/embedis"
)

// Stats is a consistent snapshot of the store's counters, cheap enough to
// poll every second for a metrics exporter (see examples/expvar).
func ExampleStore_Stats() {
	ctx := context.Background()
	s, _ := embedis.Open(embedis.Options{})
	defer s.Close()

	s.Set(ctx, "user:1", "ada", embedis.SetOptions{})
	s.Get(ctx, "user:1")
	s.Get(ctx, "user:2")

	st, _ := s.Stats(ctx)
	fmt.Println("commands:", st.Commands, "hits:", st.Hits, "misses:", st.Misses, "keys in db 0:", st.Keys[0])
	// Output: commands: 3 hits: 1 misses: 1 keys in db 0: 1
}

// Info returns INFO's sections parsed; INFO commandstats counts each
// command's calls and time.
func ExampleDB_Info() {
	ctx := context.Background()
	s, _ := embedis.Open(embedis.Options{})
	defer s.Close()

	s.Set(ctx, "k", "v", embedis.SetOptions{})
	info, _ := s.Info(ctx, "commandstats", "keyspace")
	db0, _ := info["keyspace"].Get("db0")
	fmt.Println(db0)
	fmt.Println(len(info["commandstats"].Fields), info["commandstats"].Fields[0].Name)
	// Output:
	// keys=1,expires=0,avg_ttl=0
	// 1 cmdstat_set
}
